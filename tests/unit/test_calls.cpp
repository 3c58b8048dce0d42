// System calls through Backend::syscall on a fake board: system, time,
// identity and logging calls, and the dispatcher's own rules.
#include <catch2/catch.hpp>

#include <chrono>

#include "backend_rig.h"

using mvemu::LogLevel;
using mvemu::Profile;
using mvemu::WallClock;

namespace {

constexpr uint32_t kLogBuffer = 0x20010000u;  // 512-aligned
constexpr uint32_t kMessage = 0x20020000u;

Profile test_mode(bool on) {
    Profile p;
    p.application_test_mode = on;
    return p;
}

}  // namespace

// ---- dispatcher ------------------------------------------------------------------

TEST_CASE("mvNoOp returns OKAY and touches nothing", "[calls]") {
    Rig r;
    CHECK(r.call(slot::mvNoOp) == MV_STATUS_OKAY);
    CHECK(r.host.bus_writes == 0);
    CHECK(r.host.logs.empty());
}

TEST_CASE("slots without a call return UNAVAILABLE", "[calls]") {
    Rig r;
    CHECK(r.call(20) == MV_STATUS_UNAVAILABLE);  // never assigned
    CHECK(r.call(71) == MV_STATUS_UNAVAILABLE);  // never assigned
    CHECK(r.call(74) == MV_STATUS_UNAVAILABLE);  // past the table
    CHECK(r.call(99) == MV_STATUS_UNAVAILABLE);
    CHECK(r.call(0xFFFFFFFFu) == MV_STATUS_UNAVAILABLE);
}

TEST_CASE("every call of the ABI table has a handler", "[calls]") {
    mvemu::SyscallTable table;
    mvemu::register_all_calls(table);
    uint32_t named = 0;
    for (uint32_t slot = 0; slot < mvemu::kSyscallSlots; slot++) {
        const mvemu::Syscall* call = table.at(slot);
        if (call->name.empty()) {
            continue;  // slots 20 and 71: never assigned
        }
        named++;
        INFO(call->name);
        CHECK(call->handler);
    }
    CHECK(named == mvemu::kSyscallSlots - 2);
}

TEST_CASE("calls flagged unavailable in handlers return UNAVAILABLE from an ISR", "[calls]") {
    Rig r;
    r.host.fill(kScratch, 4, 0xAA);
    CHECK(r.call_from_handler(slot::mvGetWakeReason, kScratch) == MV_STATUS_UNAVAILABLE);
    CHECK(r.host.read_u32(kScratch) == 0xAAAAAAAAu);  // nothing written
    CHECK(r.call_from_handler(slot::mvRestart, MV_RESTARTMODE_AUTOAPPLYUPDATE) ==
          MV_STATUS_UNAVAILABLE);
    CHECK(r.host.resets == 0);
    // Calls without the flag work from handlers.
    CHECK(r.call_from_handler(slot::mvNoOp) == MV_STATUS_OKAY);
    CHECK(r.call_from_handler(slot::mvGetMicroseconds, kScratch) == MV_STATUS_OKAY);
    // And the flagged ones work from thread mode.
    CHECK(r.call(slot::mvGetWakeReason, kScratch) == MV_STATUS_OKAY);
}

// ---- mvGetMicroseconds -------------------------------------------------------------

TEST_CASE("mvGetMicroseconds writes the virtual clock in microseconds, u64 little-endian",
          "[calls][time]") {
    Rig r;
    r.host.fill(kScratch, 16, 0xAA);
    r.host.now_ns = 0x123456789ABCDEFLL;  // > 32 bits of microseconds
    REQUIRE(r.call(slot::mvGetMicroseconds, kScratch) == MV_STATUS_OKAY);
    uint64_t expected = 0x123456789ABCDEFull / 1000;
    CHECK(r.host.read_u64(kScratch) == expected);
    CHECK(r.host.read_u8(kScratch) == uint8_t(expected));  // low byte first
    CHECK(r.host.read_u32(kScratch + 8) == 0xAAAAAAAAu);   // exactly 8 bytes

    r.host.now_ns = 1999;  // truncated, not rounded
    REQUIRE(r.call(slot::mvGetMicroseconds, kScratch) == MV_STATUS_OKAY);
    CHECK(r.host.read_u64(kScratch) == 1u);
}

TEST_CASE("mvGetMicroseconds rejects bad pointers", "[calls][time]") {
    Rig r;
    auto addr = GENERATE(0u, kFlashBase + 0x100, kScratch + 2, kRamEnd - 4, 0x20080000u,
                         0x30000100u);
    INFO("pointer " << std::hex << addr);
    CHECK(r.call(slot::mvGetMicroseconds, addr) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.host.read_u32(0x20080000u) == 0);  // the SRAM it must not touch
}

TEST_CASE("mvGetMicroseconds at the last doubleword of RAM", "[calls][time]") {
    Rig r;
    r.host.now_ns = 5000;
    CHECK(r.call(slot::mvGetMicroseconds, kRamEnd - 8) == MV_STATUS_OKAY);
    CHECK(r.host.read_u64(kRamEnd - 8) == 5u);
}

// ---- clocks ----------------------------------------------------------------------

TEST_CASE("clock calls report the profile's frequencies", "[calls][time]") {
    Profile p;
    p.sysclk_hz = 120000000;
    p.hclk_hz = 60000000;
    p.pclk1_hz = 30000000;
    p.pclk2_hz = 15000000;
    Rig r(p);
    struct Case {
        uint32_t slot, hz;
    };
    for (auto c : {Case{slot::mvGetSysClk, 120000000}, Case{slot::mvGetHClk, 60000000},
                   Case{slot::mvGetPClk1, 30000000}, Case{slot::mvGetPClk2, 15000000}}) {
        INFO("slot " << c.slot);
        r.host.write_u32(kScratch, 0);
        CHECK(r.call(c.slot, kScratch) == MV_STATUS_OKAY);
        CHECK(r.host.read_u32(kScratch) == c.hz);
        CHECK(r.call(c.slot, kFlashBase) == MV_STATUS_PARAMETERFAULT);
        CHECK(r.call(c.slot, kScratch + 1) == MV_STATUS_PARAMETERFAULT);
        CHECK(r.call(c.slot, 0) == MV_STATUS_PARAMETERFAULT);
    }
}

// ---- mvGetDeviceId -----------------------------------------------------------------

TEST_CASE("mvGetDeviceId needs exactly 34 bytes and writes exactly 34", "[calls][identity]") {
    Profile p;
    p.device_id = "UV0123456789abcdef0123456789abcdef";
    Rig r(p);
    r.host.fill(kScratch, 40, 0xAA);
    CHECK(r.call(slot::mvGetDeviceId, kScratch, 33) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.call(slot::mvGetDeviceId, kScratch, 35) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.call(slot::mvGetDeviceId, kScratch, 0) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.host.read_u8(kScratch) == 0xAA);

    REQUIRE(r.call(slot::mvGetDeviceId, kScratch, 34) == MV_STATUS_OKAY);
    CHECK(r.host.read_string(kScratch, 34) == p.device_id);
    CHECK(r.host.read_u8(kScratch + 34) == 0xAA);  // no terminator

    CHECK(r.call(slot::mvGetDeviceId, kFlashBase, 34) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetDeviceId, kRamEnd - 33, 34) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetDeviceId, kScratch + 1, 34) == MV_STATUS_OKAY);  // bytes: any alignment
}

// ---- mvGetWallTime -----------------------------------------------------------------

TEST_CASE("mvGetWallTime from the host clock", "[calls][time]") {
    Rig r;  // default: wall_clock = host
    auto now_us = [] {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    int64_t before = now_us();
    REQUIRE(r.call(slot::mvGetWallTime, kScratch) == MV_STATUS_OKAY);
    int64_t after = now_us();
    auto t = static_cast<int64_t>(r.host.read_u64(kScratch));
    CHECK(t >= before);
    CHECK(t <= after);
}

TEST_CASE("mvGetWallTime before time is set is TIMENOTSET", "[calls][time]") {
    Profile p;
    p.wall_clock = WallClock::not_set;
    Rig r(p);
    r.host.write_u64(kScratch, 0x1111111111111111ull);
    CHECK(r.call(slot::mvGetWallTime, kScratch) == MV_STATUS_TIMENOTSET);
    CHECK(r.host.read_u64(kScratch) == 0x1111111111111111ull);
    // A bad pointer is still a PARAMETERFAULT.
    CHECK(r.call(slot::mvGetWallTime, kFlashBase) == MV_STATUS_PARAMETERFAULT);
}

TEST_CASE("a fixed wall clock starts at the profile's time and follows virtual time",
          "[calls][time]") {
    Profile p;
    p.wall_clock = WallClock::fixed;
    p.wall_clock_start_us = 1769860800LL * 1000000;
    Rig r(p);
    REQUIRE(r.call(slot::mvGetWallTime, kScratch) == MV_STATUS_OKAY);
    CHECK(r.host.read_u64(kScratch) == uint64_t(p.wall_clock_start_us));
    r.host.now_ns = 2'500'000'000;  // 2.5 s later
    REQUIRE(r.call(slot::mvGetWallTime, kScratch) == MV_STATUS_OKAY);
    CHECK(r.host.read_u64(kScratch) == uint64_t(p.wall_clock_start_us) + 2'500'000);
    CHECK(r.call(slot::mvGetWallTime, kScratch + 2) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetWallTime, kRamEnd - 4) == MV_STATUS_PARAMETERFAULT);
}

// ---- server logging ----------------------------------------------------------------

TEST_CASE("mvServerLog before mvServerLoggingInit is UNAVAILABLE", "[calls][logging]") {
    Rig r;
    r.host.put_string(kMessage, "hello");
    CHECK(r.call(slot::mvServerLog, kMessage, 5) == MV_STATUS_UNAVAILABLE);
    CHECK(r.host.logs.empty());
}

TEST_CASE("mvServerLoggingInit checks buffer, alignment and size", "[calls][logging]") {
    Rig r;
    CHECK(r.call(slot::mvServerLoggingInit, kLogBuffer + 0x100, 1024) ==
          MV_STATUS_INVALIDBUFFERALIGNMENT);
    CHECK(r.call(slot::mvServerLoggingInit, kLogBuffer + 4, 1024) ==
          MV_STATUS_INVALIDBUFFERALIGNMENT);
    CHECK(r.call(slot::mvServerLoggingInit, kLogBuffer, 0) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.call(slot::mvServerLoggingInit, kLogBuffer, 100) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.call(slot::mvServerLoggingInit, kLogBuffer, 1000) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.call(slot::mvServerLoggingInit, kFlashBase, 1024) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvServerLoggingInit, kRamEnd - 512, 1024) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvServerLoggingInit, 0, 1024) == MV_STATUS_PARAMETERFAULT);
    // Still not initialised after all those failures.
    r.host.put_string(kMessage, "x");
    CHECK(r.call(slot::mvServerLog, kMessage, 1) == MV_STATUS_UNAVAILABLE);

    CHECK(r.call(slot::mvServerLoggingInit, kLogBuffer, 1024) == MV_STATUS_OKAY);
    CHECK(r.call(slot::mvServerLog, kMessage, 1) == MV_STATUS_OKAY);
}

TEST_CASE("mvServerLog puts one console line with the device id and the text",
          "[calls][logging]") {
    Profile p;
    p.device_id = "UVfeedfacefeedfacefeedfacefeedface";
    Rig r(p);
    REQUIRE(r.call(slot::mvServerLoggingInit, kLogBuffer, 1024) == MV_STATUS_OKAY);
    r.host.now_ns = 3'000'250'000;  // 3.000250 s
    r.host.put_string(kMessage, "temperature 21.5C");
    REQUIRE(r.call(slot::mvServerLog, kMessage, 17) == MV_STATUS_OKAY);
    REQUIRE(r.host.logs.size() == 1);
    const auto& line = r.host.logs[0];
    CHECK(line.level == LogLevel::info);
    CHECK(line.text.find("UVfeedfacefeedfacefeedfacefeedface") != std::string::npos);
    CHECK(line.text.find("temperature 21.5C") != std::string::npos);
    CHECK(line.text.find("3.000250") != std::string::npos);  // virtual time stamp
    CHECK(line.text.find('\n') == std::string::npos);
}

TEST_CASE("mvServerLog logs exactly `length` bytes, escaping control bytes", "[calls][logging]") {
    Rig r;
    REQUIRE(r.call(slot::mvServerLoggingInit, kLogBuffer, 1024) == MV_STATUS_OKAY);
    const uint8_t msg[] = {'a', 0x01, 'b', 0x1b, '[', '3', '1', 'm', 0xff, 'c', 'Z', 'Z'};
    r.host.poke_bytes(kMessage, msg, sizeof msg);
    REQUIRE(r.call(slot::mvServerLog, kMessage, 10) == MV_STATUS_OKAY);  // without "ZZ"
    REQUIRE(r.host.logs.size() == 1);
    const std::string& text = r.host.logs[0].text;
    CHECK(text.find("a\\x01b\\x1b[31m\\xffc") != std::string::npos);
    CHECK(text.find("ZZ") == std::string::npos);
    // No raw control byte reaches the console.
    bool raw_control = false;
    for (unsigned char c : text) raw_control = raw_control || (c < 0x20 && c != '\t') || c >= 0x7f;
    CHECK_FALSE(raw_control);
}

TEST_CASE("a trailing newline ends the line; it is not escaped", "[calls][logging]") {
    Rig r;
    REQUIRE(r.call(slot::mvServerLoggingInit, kLogBuffer, 1024) == MV_STATUS_OKAY);
    r.host.put_string(kMessage, "done\r\n");
    REQUIRE(r.call(slot::mvServerLog, kMessage, 6) == MV_STATUS_OKAY);
    REQUIRE(r.host.logs.size() == 1);
    const std::string& text = r.host.logs[0].text;
    CHECK(text.size() >= 4);
    CHECK(text.substr(text.size() - 4) == "done");
}

TEST_CASE("mvServerLog's length is a uint16_t: only the low 16 bits count", "[calls][logging]") {
    Rig r;
    REQUIRE(r.call(slot::mvServerLoggingInit, kLogBuffer, 1024) == MV_STATUS_OKAY);
    r.host.put_string(kMessage, "abcdefgh");
    // A caller's stale upper half of r1 must not make this 65541 bytes.
    REQUIRE(r.call(slot::mvServerLog, kMessage, 0x00010005u) == MV_STATUS_OKAY);
    REQUIRE(r.host.logs.size() == 1);
    const std::string& text = r.host.logs[0].text;
    CHECK(text.substr(text.size() - 5) == "abcde");
}

TEST_CASE("mvServerLog message limits and pointers", "[calls][logging]") {
    Rig r;
    REQUIRE(r.call(slot::mvServerLoggingInit, kLogBuffer, 4096) == MV_STATUS_OKAY);
    r.host.fill(kMessage, 2048, 'm');
    CHECK(r.call(slot::mvServerLog, kMessage, 1024) == MV_STATUS_OKAY);  // the profile's maximum
    CHECK(r.call(slot::mvServerLog, kMessage, 1025) == MV_STATUS_LOGMESSAGETOOLONG);
    CHECK(r.call(slot::mvServerLog, kMessage, 0xFFFF) == MV_STATUS_LOGMESSAGETOOLONG);
    CHECK(r.host.logs.size() == 1);

    // Constant strings live in flash: logging them is fine.
    r.host.put_string(kFlashBase + 0x4000, "from flash");
    CHECK(r.call(slot::mvServerLog, kFlashBase + 0x4000, 10) == MV_STATUS_OKAY);
    CHECK(r.host.logs.back().text.find("from flash") != std::string::npos);

    CHECK(r.call(slot::mvServerLog, 0x30000000u, 4) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvServerLog, kRamEnd - 2, 4) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.host.logs.size() == 2);
}

TEST_CASE("a reset forgets logging initialisation", "[calls][logging]") {
    Rig r;
    REQUIRE(r.call(slot::mvServerLoggingInit, kLogBuffer, 1024) == MV_STATUS_OKAY);
    r.backend.reset();
    r.host.put_string(kMessage, "x");
    CHECK(r.call(slot::mvServerLog, kMessage, 1) == MV_STATUS_UNAVAILABLE);
}

// ---- application test mode -----------------------------------------------------------

TEST_CASE("test logging works in application test mode", "[calls][logging]") {
    Rig r(test_mode(true));
    CHECK(r.call(slot::mvTestLog, kMessage, 1) == MV_STATUS_UNAVAILABLE);  // before init
    CHECK(r.call(slot::mvTestLoggingInit, kLogBuffer + 8, 512) == MV_STATUS_INVALIDBUFFERALIGNMENT);
    REQUIRE(r.call(slot::mvTestLoggingInit, kLogBuffer, 512) == MV_STATUS_OKAY);
    r.host.put_string(kMessage, "step 1 ok");
    CHECK(r.call(slot::mvTestLog, kMessage, 9) == MV_STATUS_OKAY);
    CHECK(r.host.count_logs(LogLevel::info, "step 1 ok") == 1);
    // The server log is separate and still uninitialised.
    CHECK(r.call(slot::mvServerLog, kMessage, 9) == MV_STATUS_UNAVAILABLE);
}

TEST_CASE("test calls are UNAVAILABLE outside application test mode", "[calls][logging]") {
    Rig r(test_mode(false));
    CHECK(r.call(slot::mvTestLoggingInit, kLogBuffer, 512) == MV_STATUS_UNAVAILABLE);
    r.host.put_string(kMessage, "x");
    CHECK(r.call(slot::mvTestLog, kMessage, 1) == MV_STATUS_UNAVAILABLE);
    CHECK(r.call(slot::mvTestingComplete, 0) == MV_STATUS_UNAVAILABLE);
    CHECK(r.host.exit_calls == 0);
    // Server logging does not depend on the mode.
    CHECK(r.call(slot::mvServerLoggingInit, kLogBuffer, 512) == MV_STATUS_OKAY);
}

TEST_CASE("mvTestingComplete turns the verdict into the exit status", "[calls][logging]") {
    struct Case {
        uint32_t verdict;
        int status;
    };
    auto c = GENERATE(Case{0, 0}, Case{3, 3}, Case{0xFF, 0xFF}, Case{0x100, 1}, Case{0x1FF, 0xFF},
                      Case{0xFFFFFF00u, 1});
    INFO("verdict " << c.verdict);
    Rig r(test_mode(true));
    CHECK(r.call(slot::mvTestingComplete, c.verdict) == MV_STATUS_OKAY);
    CHECK(r.host.exit_calls == 1);
    REQUIRE(r.host.exit_status.has_value());
    CHECK(*r.host.exit_status == c.status);
}

// ---- wake reason and restart -------------------------------------------------------

TEST_CASE("mvGetWakeReason writes one byte: the profile's reason", "[calls][system]") {
    Profile p;
    p.wake_reason = MV_WAKEREASON_DEEPSLEEPAPPLICATION;
    Rig r(p);
    r.host.fill(kScratch, 8, 0xAA);
    REQUIRE(r.call(slot::mvGetWakeReason, kScratch + 1) == MV_STATUS_OKAY);  // a byte: any address
    CHECK(r.host.read_u8(kScratch + 1) == MV_WAKEREASON_DEEPSLEEPAPPLICATION);
    CHECK(r.host.read_u8(kScratch) == 0xAA);
    CHECK(r.host.read_u8(kScratch + 2) == 0xAA);
    CHECK(r.host.read_u8(kScratch + 3) == 0xAA);
    CHECK(r.host.read_u8(kScratch + 4) == 0xAA);
    CHECK(r.call(slot::mvGetWakeReason, kFlashBase) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetWakeReason, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetWakeReason, kRamEnd) == MV_STATUS_PARAMETERFAULT);
}

TEST_CASE("mvRestart(AUTOAPPLYUPDATE) resets; the next boot reports an application update",
          "[calls][system]") {
    Rig r;  // cold boot
    REQUIRE(r.call(slot::mvRestart, MV_RESTARTMODE_AUTOAPPLYUPDATE) == MV_STATUS_OKAY);
    CHECK(r.host.resets == 1);
    // The reason changes only when the machine actually resets.
    CHECK(r.backend.wake_reason() == MV_WAKEREASON_COLDBOOT);

    r.backend.reset();
    r.host.fill(kScratch, 4, 0);
    REQUIRE(r.call(slot::mvGetWakeReason, kScratch) == MV_STATUS_OKAY);
    CHECK(r.host.read_u8(kScratch) == MV_WAKEREASON_APPLICATIONUPDATE);

    // A reset not asked for by mvRestart reports the profile's reason again.
    r.backend.reset();
    REQUIRE(r.call(slot::mvGetWakeReason, kScratch) == MV_STATUS_OKAY);
    CHECK(r.host.read_u8(kScratch) == MV_WAKEREASON_COLDBOOT);
}

TEST_CASE("mvRestart with an unknown mode is a PARAMETERFAULT and does nothing",
          "[calls][system]") {
    Rig r;
    CHECK(r.call(slot::mvRestart, 1) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvRestart, 0xFFFFFFFFu) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.host.resets == 0);
    r.backend.reset();
    CHECK(r.backend.wake_reason() == MV_WAKEREASON_COLDBOOT);
}
