// The system-call trace (--trace-syscalls): names, decoded arguments,
// statuses by name, groups, JSON lines, and no secret in any line.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstring>
#include <fstream>
#include <sstream>

#include "abi_layout.h"
#include "backend_rig.h"
#include "temp_dir.h"
#include "trace/call_signatures.h"

using mvemu::LogLevel;
namespace T = mvemu::trace;
namespace L = mvemu::layout;

namespace {

constexpr uint32_t kStruct = 0x20000400u;
constexpr uint32_t kStrings = 0x20000800u;
constexpr uint32_t kOut = 0x20000200u;

std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// A sized string {data, length} at `at` pointing to `text` at `data`.
void sized(FakeHost& h, uint32_t at, uint32_t data, const std::string& text) {
    h.poke_bytes(data, text.data(), static_cast<uint32_t>(text.size()));
    h.write_u32(at, data);
    h.write_u32(at + 4, static_cast<uint32_t>(text.size()));
}

}  // namespace

TEST_CASE("trace: tables generated from the SDK headers", "[trace]") {
    CHECK(T::enum_name("MvStatus", MV_STATUS_PARAMETERFAULT) == "PARAMETERFAULT");
    CHECK(T::enum_name("MvChannelType", MV_CHANNELTYPE_MQTT) == "MQTT");
    CHECK_FALSE(T::enum_name("MvStatus", 0xFFFFu).has_value());
    CHECK(T::call_signatures().size() == 72);
    CHECK(T::group_of("mvMqttRequestPublish") == "mqtt");
    CHECK(T::group_of("mvReadHttpResponseBody") == "http");
    CHECK(T::group_of("mvGetPClk2") == "time");
    CHECK(T::group_of("mvGetDeviceId") == "device");
}

TEST_CASE("trace: one text line per call, arguments decoded, status by name", "[trace]") {
    TempDir dir;
    std::string path = (dir.path() / "trace.txt").string(), error;
    Rig r;
    REQUIRE(r.backend.start_trace({true, path, false, {}}, error));
    CHECK(r.backend.syscall(slot::mvGetDeviceId, {{kOut, 3, 0, 0}, false, 0x08000123u}) ==
          MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.call(slot::mvGetSysClk, kOut) == MV_STATUS_OKAY);
    auto lines = lines_of(path);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "[     0.000000] syscall: mvGetDeviceId(buf=0x20000200, len=3) -> "
                      "INVALIDBUFFERSIZE pc=0x08000123");
    CHECK(lines[1].find("mvGetSysClk(hz=0x20000200) -> OKAY") != std::string::npos);
}

TEST_CASE("trace: MQTT connect shows host and client, never the password", "[trace]") {
    TempDir dir;
    std::string path = (dir.path() / "trace.jsonl").string(), error;
    Rig r;
    REQUIRE(r.backend.start_trace({true, path, true, {"mqtt"}}, error));
    namespace C = L::mqtt_connect_request;
    r.host.fill(kStruct, C::size, 0);
    r.host.write_u32(kStruct + C::protocol_version, MV_MQTTPROTOCOLVERSION_V5);
    sized(r.host, kStruct + C::host, kStrings, "broker.example.com");
    r.host.write_u32(kStruct + C::port, 8883);
    sized(r.host, kStruct + C::clientid, kStrings + 64, "device-7");
    r.host.write_u32(kStruct + C::auth_method, MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD);
    sized(r.host, kStruct + C::username, kStrings + 128, "alice");
    sized(r.host, kStruct + C::password, kStrings + 192, "hunter2-secret");
    r.call(slot::mvMqttRequestConnect, 0x1234, kStruct);  // a stale handle: INVALIDHANDLE
    r.call(slot::mvGetSysClk, kOut);                      // not in the group: not traced
    auto lines = lines_of(path);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("hunter2") == std::string::npos);
    auto j = nlohmann::json::parse(lines[0]);
    CHECK(j["call"] == "mvMqttRequestConnect");
    CHECK(j["group"] == "mqtt");
    CHECK(j["status"] == "INVALIDHANDLE");
    CHECK(j["args"]["handle"] == "0x00001234");
    CHECK(j["args"]["host"] == "\"broker.example.com\"");
    CHECK(j["args"]["port"] == "8883");
    CHECK(j["args"]["client_id"] == "\"device-7\"");
    CHECK(j["args"]["protocol"] == "V5");
    CHECK(j["args"]["authentication"] == "USERNAMEPASSWORD");
}

TEST_CASE("trace: without a file the lines go to the console; bad groups refused", "[trace]") {
    std::string error;
    Rig r;
    REQUIRE(r.backend.start_trace({true, "", false, {"time"}}, error));
    r.call(slot::mvGetSysClk, kOut);
    CHECK(r.host.count_logs(LogLevel::info, "syscall: mvGetSysClk(hz=0x20000200) -> OKAY") == 1);
    Rig other;
    CHECK_FALSE(other.backend.start_trace({true, "", false, {"nosuchgroup"}}, error));
    CHECK(error.find("no group \"nosuchgroup\"") != std::string::npos);
}
