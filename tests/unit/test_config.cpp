// Config fetch (docs/config.md): the profile's [config] and [secrets] stores,
// mvSendConfigFetchRequest (slot 38), mvReadConfigFetchResponseData (39) and
// mvReadConfigResponseItem (40) with every status on good and bad input, and
// the rule that no secret value reaches a log line or the monitor.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "chan_rig.h"
#include "temp_dir.h"
#include "net/config_fetch_channel.h"

using namespace chanrig;
using mvemu::ConfigItem;
using mvemu::Profile;
using nlohmann::json;

namespace {

namespace R = mvemu::layout::config_response_read_item_params;

constexpr uint32_t ACCOUNT = MV_CONFIGKEYFETCHSCOPE_ACCOUNT, DEVICE = MV_CONFIGKEYFETCHSCOPE_DEVICE;
constexpr uint32_t SECRET = MV_CONFIGKEYFETCHSTORE_SECRET, CONFIG = MV_CONFIGKEYFETCHSTORE_CONFIG;

// Guest scratch areas (apart from chan_rig.h's and the channel buffers at 0x20008000).
constexpr uint32_t kReq = 0x20002000u;      // MvConfigKeyFetchParams
constexpr uint32_t kKeys = 0x20002100u;     // MvConfigKeyToFetch[] (up to 40)
constexpr uint32_t kKeyText = 0x20003000u;  // key characters, 128 bytes per key
constexpr uint32_t kResp = 0x20005000u;     // MvConfigResponseData
constexpr uint32_t kItem = 0x20005100u;     // MvConfigResponseReadItemParams
constexpr uint32_t kResult = 0x20005200u, kLength = 0x20005204u;
constexpr uint32_t kValue = 0x20006000u;    // value buffer (4 KiB)
constexpr uint32_t kFill = 0xA5A5A5A5u;

// The secret values of the test profile: none may appear in any log line.
const std::string kClientKey = "-----client-key-5ecr3t-----";
const std::string kPassword = "hunter2-passw0rd";

// A temporary directory holding a profile and the files it names.

std::optional<Profile> load_text(const TempDir& dir, const std::string& toml, std::string& error) {
    return Profile::load(dir.write("profile.toml", toml), error);
}

std::string load_error(const std::string& toml) {
    TempDir dir;
    dir.write("ca.der", std::string("\x30\x82\x01\x0a", 4));
    std::string error;
    CHECK_FALSE(load_text(dir, toml, error).has_value());
    CHECK_FALSE(error.empty());
    return error;
}

std::string value_of(const ConfigItem* item) {
    REQUIRE(item != nullptr);
    return std::string(item->value.data(), item->value.data() + item->value.size());
}

// A store for the call tests.
Profile config_profile(uint32_t latency_ms = 50) {
    Profile p;
    p.config_latency_ms = latency_ms;
    auto put = [&](uint32_t scope, uint32_t store, const std::string& key, const std::string& v) {
        p.config_store.put(scope, store, key, ConfigItem{mvemu::WipedBytes(v), false});
    };
    put(DEVICE, CONFIG, "broker-host", "mqtt.example.com");
    put(DEVICE, CONFIG, "broker-port", "8883");
    put(ACCOUNT, CONFIG, "region", "eu-west");
    put(DEVICE, SECRET, "client-key", kClientKey);
    put(ACCOUNT, SECRET, "password", kPassword);
    put(DEVICE, CONFIG, "big", std::string(3000, 'b'));
    p.config_store.put(DEVICE, CONFIG, "flaky", ConfigItem{{}, true});
    return p;
}

struct Key {
    uint32_t scope, store;
    std::string key;
};

struct ConfigRig : ChanRig {
    explicit ConfigRig(Profile p = config_profile()) : ChanRig(std::move(p)) {}

    uint32_t open_config(uint32_t i = 0, uint32_t rx_len = kRxLen, uint32_t tx_len = kTxLen) {
        OpenParams o = params(i, MV_CHANNELTYPE_CONFIGFETCH);
        if (rx_len > kRxLen) {
            o.rx = 0x20020000u + i * 0x2000u;  // room beyond chan_rig.h's layout
        }
        o.rx_len = rx_len;
        o.tx_len = tx_len;
        return open_ok(o);
    }
    // Write the request for `keys` at kReq (its array at kKeys).
    void put_request(const std::vector<Key>& keys) {
        host.write_u32(kReq + 0, uint32_t(keys.size()));
        host.write_u32(kReq + 4, kKeys);
        for (uint32_t i = 0; i < keys.size(); i++) {
            uint32_t entry = kKeys + i * 16, text = kKeyText + i * 128;
            host.write_u32(entry + 0, keys[i].scope);
            host.write_u32(entry + 4, keys[i].store);
            host.write_u32(entry + 8, host.put_string(text, keys[i].key));
            host.write_u32(entry + 12, uint32_t(keys[i].key.size()));
        }
    }
    mvemu::Status send(uint32_t h, const std::vector<Key>& keys) {
        put_request(keys);
        return call(slot::mvSendConfigFetchRequest, h, kReq);
    }
    mvemu::Status send_raw(uint32_t h, uint32_t request = kReq) {
        return call(slot::mvSendConfigFetchRequest, h, request);
    }
    // mvReadConfigFetchResponseData: status, and (result, count) on OKAY.
    mvemu::Status response(uint32_t h, uint32_t& result, uint32_t& count) {
        host.write_u32(kResp, kFill);
        host.write_u32(kResp + 4, kFill);
        mvemu::Status s = call(slot::mvReadConfigFetchResponseData, h, kResp);
        result = host.read_u32(kResp);
        count = host.read_u32(kResp + 4);
        return s;
    }
    void put_item(uint32_t index, uint32_t size, uint32_t data = kValue, uint32_t result = kResult,
                  uint32_t length = kLength) {
        host.write_u32(kItem + R::item_index, index);
        host.write_u32(kItem + R::result, result);
        host.write_u32(kItem + R::buf_data, data);
        host.write_u32(kItem + R::buf_size, size);
        host.write_u32(kItem + R::buf_length, length);
        host.write_u32(kResult, kFill);
        host.write_u32(kLength, kFill);
        host.fill(kValue, 4096, 0x5A);
    }
    mvemu::Status item(uint32_t h, uint32_t index, uint32_t size = 4096) {
        put_item(index, size);
        return call(slot::mvReadConfigResponseItem, h, kItem);
    }
    uint32_t item_result() { return host.read_u32(kResult); }
    static bool result_unwritten(uint32_t result, uint32_t count) {
        return result == kFill && count == kFill;
    }
    std::string item_value() { return host.read_string(kValue, host.read_u32(kLength)); }
    // One config channel that has sent `keys` and received the answer.
    uint32_t fetched(const std::vector<Key>& keys, uint32_t rx_len = kRxLen) {
        uint32_t h = open_config(0, rx_len);
        REQUIRE(send(h, keys) == MV_STATUS_OKAY);
        run_for(backend.profile().config_latency_ms * kMs);
        return h;
    }
    // Every log line so far, for the secrecy checks.
    bool logs_contain(const std::string& needle) const {
        for (const auto& line : host.logs) {
            if (line.text.find(needle) != std::string::npos) return true;
        }
        return false;
    }
};

std::string hex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace

// ---- the profile ------------------------------------------------------------------

TEST_CASE("config profile: defaults are an empty store and 50 ms", "[config][profile]") {
    std::string error;
    auto p = Profile::load("", error);
    REQUIRE(p);
    CHECK(p->config_latency_ms == 50u);
    CHECK(p->config_store.size() == 0);
}

TEST_CASE("config profile: strings, integers and files, raw or hex, per scope and store",
          "[config][profile]") {
    TempDir dir;
    const std::string der("\x30\x82\x00\xff\x0a\x00\x7f", 7);
    dir.write("ca.der", der);
    std::filesystem::create_directories(dir.path() / "keys");
    dir.write("keys/client.der", der + "!");
    std::string absolute = dir.write("abs.bin", "ABS");
    std::string error;
    auto p = load_text(dir, R"(
[config]
latency_ms = 250
[config.device]
broker-host = "mqtt.example.com"
broker-port = 8883
root-CA = { file = "ca.der", encoding = "hex" }
raw-ca = { file = "ca.der" }
absolute = { file = ")" + absolute + R"(", encoding = "raw" }
empty = ""
"with space" = "x"
flaky = { result = "server-error" }
[config.account]
broker-host = "account.example.com"
[secrets.device]
private_key = { file = "keys/client.der", encoding = "hex" }
[secrets.account]
password = "pw"
)",
                       error);
    INFO(error);
    REQUIRE(p);
    const auto& s = p->config_store;
    CHECK(p->config_latency_ms == 250u);
    CHECK(s.size() == 11);
    CHECK(value_of(s.find(DEVICE, CONFIG, "broker-host")) == "mqtt.example.com");
    CHECK(value_of(s.find(ACCOUNT, CONFIG, "broker-host")) == "account.example.com");
    CHECK(value_of(s.find(DEVICE, CONFIG, "broker-port")) == "8883");
    CHECK(value_of(s.find(DEVICE, CONFIG, "root-CA")) == "308200ff0a007f");
    CHECK(value_of(s.find(DEVICE, CONFIG, "raw-ca")) == der);
    CHECK(value_of(s.find(DEVICE, CONFIG, "absolute")) == "ABS");
    CHECK(value_of(s.find(DEVICE, CONFIG, "empty")).empty());
    CHECK(value_of(s.find(DEVICE, CONFIG, "with space")) == "x");
    CHECK(value_of(s.find(DEVICE, SECRET, "private_key")) == "308200ff0a007f21");
    CHECK(value_of(s.find(ACCOUNT, SECRET, "password")) == "pw");
    REQUIRE(s.find(DEVICE, CONFIG, "flaky"));
    CHECK(s.find(DEVICE, CONFIG, "flaky")->server_error);
    // Exact matches only: no case folding, no fallback between scopes or stores.
    CHECK(s.find(DEVICE, CONFIG, "root-ca") == nullptr);
    CHECK(s.find(ACCOUNT, CONFIG, "broker-port") == nullptr);
    CHECK(s.find(DEVICE, SECRET, "broker-host") == nullptr);
    CHECK(s.secret_values().size() == 2);
}

TEST_CASE("config profile: errors name the section, the key and the file", "[config][profile]") {
    using Catch::Matchers::Contains;
    CHECK_THAT(load_error("[config]\nbroker-host = \"x\""),
               Contains("[config] unknown key \"broker-host\"") && Contains("[config.device]"));
    CHECK_THAT(load_error("[secrets]\nlatency_ms = 5"),
               Contains("[secrets] unknown key \"latency_ms\""));
    CHECK_THAT(load_error("config = 3"), Contains("[config] must be a table"));
    CHECK_THAT(load_error("[config]\ndevice = 3"), Contains("[config.device] must be a table"));
    CHECK_THAT(load_error("[config]\nlatency_ms = -1"), Contains("[config] latency_ms"));
    CHECK_THAT(load_error("[config]\nlatency_ms = \"fast\""), Contains("[config] latency_ms"));
    CHECK_THAT(load_error("[config.device]\n\"" + std::string(101, 'k') + "\" = \"v\""),
               Contains("1 to 100 printable ASCII"));
    CHECK_THAT(load_error("[config.device]\n\"a\\u0001b\" = \"v\""),
               Contains("key \"a?b\"") && Contains("printable ASCII"));
    CHECK_THAT(load_error("[config.device]\n\"caf\\u00e9\" = \"v\""), Contains("printable ASCII"));
    CHECK_THAT(load_error("[config.device]\nk = true"),
               Contains("[config.device] k: must be a string"));
    CHECK_THAT(load_error("[config.device]\nk = 1.5"), Contains("must be a string"));
    CHECK_THAT(load_error("[config.device]\nk = { path = \"ca.der\" }"),
               Contains("unknown key \"path\""));
    CHECK_THAT(load_error("[config.device]\nk = { encoding = \"hex\" }"), Contains("needs file"));
    CHECK_THAT(load_error("[config.device]\nk = { file = \"ca.der\", encoding = \"base64\" }"),
               Contains("encoding must be"));
    CHECK_THAT(load_error("[config.device]\nk = { file = \"ca.der\", encoding = 1 }"),
               Contains("encoding must be"));
    CHECK_THAT(load_error("[config.device]\nk = { file = \"nope.der\" }"),
               Contains("k: no such file") && Contains("nope.der"));
    CHECK_THAT(load_error("[config.device]\nk = { file = \".\" }"), Contains("not a regular file"));
    CHECK_THAT(load_error("[config.device]\nk = { result = \"timeout\" }"),
               Contains("result must be \"server-error\""));
    CHECK_THAT(load_error("[config.device]\nk = { result = \"server-error\", file = \"ca.der\" }"),
               Contains("alone"));
    CHECK_THAT(load_error("[config.device]\nk = \"" + std::string(4097, 'v') + "\""),
               Contains("4097 bytes") && Contains("at most 4096"));
}

TEST_CASE("config profile: values at the cloud's limit; hex doubles a file's length",
          "[config][profile]") {
    TempDir dir;
    dir.write("2048.der", std::string(2048, '\x01'));
    dir.write("2049.der", std::string(2049, '\x01'));
    std::string error;
    auto p = load_text(dir, "[config.device]\nk = \"" + std::string(4096, 'v') +
                                "\"\nh = { file = \"2048.der\", encoding = \"hex\" }",
                       error);
    INFO(error);
    REQUIRE(p);
    CHECK(p->config_store.find(DEVICE, CONFIG, "h")->value.size() == 4096);
    CHECK_FALSE(load_text(dir, "[secrets.device]\nh = { file = \"2049.der\", encoding = \"hex\" }",
                          error));
    CHECK_THAT(error, Catch::Matchers::Contains("[secrets.device] h: the value is 4098 bytes"));
}

TEST_CASE("config profile: no error message shows a secret value", "[config][profile]") {
    std::string secret(4097, 's');
    std::string error = load_error("[secrets.device]\nk = \"" + secret + "\"");
    CHECK(error.find("sss") == std::string::npos);
    error = load_error("[secrets.device]\ngood = \"" + kPassword + "\"\nbad = true");
    CHECK(error.find(kPassword) == std::string::npos);
}

// ---- the session -------------------------------------------------------------------

TEST_CASE("config fetch: one request, one CHANNELDATAREADABLE after the latency, items in order",
          "[config]") {
    ConfigRig r;
    uint32_t h = r.open_config();
    uint32_t result = 0, count = 0;
    CHECK(r.response(h, result, count) == MV_STATUS_RESPONSENOTPRESENT);  // nothing sent yet
    REQUIRE(r.send(h, {{DEVICE, CONFIG, "broker-host"},
                       {DEVICE, CONFIG, "broker-port"},
                       {DEVICE, SECRET, "client-key"},
                       {ACCOUNT, SECRET, "password"},
                       {DEVICE, CONFIG, "missing"},
                       {ACCOUNT, CONFIG, "region"},
                       {DEVICE, CONFIG, "flaky"}}) == MV_STATUS_OKAY);
    CHECK(r.response(h, result, count) == MV_STATUS_RESPONSENOTPRESENT);
    CHECK(r.result_unwritten(result, count));
    CHECK(r.item(h, 0) == MV_STATUS_RESPONSENOTPRESENT);
    CHECK(r.item_result() == kFill);

    r.run_for(49 * kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 0);
    CHECK(r.response(h, result, count) == MV_STATUS_RESPONSENOTPRESENT);
    r.run_for(1 * kMs);
    REQUIRE(r.new_records() == std::vector<Record>{{MV_EVENTTYPE_CHANNELDATAREADABLE, 0x434800u}});

    REQUIRE(r.response(h, result, count) == MV_STATUS_OKAY);
    CHECK(result == MV_CONFIGFETCHRESULT_OK);
    CHECK(count == 7);
    const std::pair<uint32_t, std::string> want[] = {
        {MV_CONFIGKEYFETCHRESULT_OK, "mqtt.example.com"},
        {MV_CONFIGKEYFETCHRESULT_OK, "8883"},
        {MV_CONFIGKEYFETCHRESULT_OK, kClientKey},
        {MV_CONFIGKEYFETCHRESULT_OK, kPassword},
        {MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND, ""},
        {MV_CONFIGKEYFETCHRESULT_OK, "eu-west"},
        {MV_CONFIGKEYFETCHRESULT_SERVERERROR, ""},
    };
    // Reads do not consume: any order, any number of times.
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 7; i-- > 0;) {
            INFO("item " << i);
            REQUIRE(r.item(h, i) == MV_STATUS_OKAY);
            CHECK(r.item_result() == want[i].first);
            CHECK(r.host.read_u32(kLength) == want[i].second.size());
            CHECK(r.item_value() == want[i].second);
            // No terminator: the byte after the value is untouched.
            CHECK(r.host.read_u8(kValue + uint32_t(want[i].second.size())) == 0x5A);
        }
    }
    CHECK(r.item(h, 7) == MV_STATUS_INDEXINVALID);
    CHECK(r.item(h, 0xFFFFFFFFu) == MV_STATUS_INDEXINVALID);
    CHECK(r.item_result() == kFill);
    CHECK(r.host.read_u32(kLength) == kFill);
    // Nothing more is posted, and the one request is spent.
    r.run_for(1000 * kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);
    CHECK(r.send(h, {{DEVICE, CONFIG, "broker-host"}}) == MV_STATUS_REQUESTALREADYSENT);
    REQUIRE(r.response(h, result, count) == MV_STATUS_OKAY);
    CHECK(count == 7);
    CHECK(r.close(h) == MV_STATUS_OKAY);
}

TEST_CASE("config fetch: the request's checks, in order; a refused request is not spent",
          "[config]") {
    ConfigRig r;
    uint32_t h = r.open_config();
    uint32_t mqtt = r.open_ok(1, MV_CHANNELTYPE_MQTT);
    r.put_request({{DEVICE, CONFIG, "broker-host"}});
    // The request struct: readable and 4-aligned.
    CHECK(r.send_raw(h, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.send_raw(h, kReq + 2) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.send_raw(h, 0x30000000u) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.send_raw(h, kRamEnd - 4) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.send_raw(0, 0) == MV_STATUS_PARAMETERFAULT);  // the pointer before the handle
    // The handle: a live config-fetch channel.
    CHECK(r.send_raw(0) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.send_raw(r.net) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.send_raw(r.c.handle) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.send_raw(mqtt) == MV_STATUS_INVALIDHANDLE);
    // The count, then the array.
    std::vector<Key> many(33, Key{DEVICE, CONFIG, "k"});
    CHECK(r.send(h, many) == MV_STATUS_TOOMANYCONFIGKEYS);
    r.put_request({{DEVICE, CONFIG, "broker-host"}});
    r.host.write_u32(kReq, 0xFFFFFFFFu);
    CHECK(r.send_raw(h) == MV_STATUS_TOOMANYCONFIGKEYS);
    r.host.write_u32(kReq, 1);
    for (uint32_t bad : {0u, 0x30000000u, kKeys + 2, kRamEnd - 8}) {
        r.host.write_u32(kReq + 4, bad);
        CHECK(r.send_raw(h) == MV_STATUS_PARAMETERFAULT);
    }
    // Per key: scope, store, length, characters readable, printable.
    auto key_status = [&](Key k) { return r.send(h, {{DEVICE, CONFIG, "ok"}, k}); };
    CHECK(key_status({2, CONFIG, "k"}) == MV_STATUS_UNKNOWNCONFIGSCOPE);
    CHECK(key_status({0xFFFFFFFFu, 7, "k"}) == MV_STATUS_UNKNOWNCONFIGSCOPE);
    CHECK(key_status({DEVICE, 2, "k"}) == MV_STATUS_UNKNOWNCONFIGSTORE);
    CHECK(key_status({DEVICE, CONFIG, ""}) == MV_STATUS_INVALIDCONFIGKEY);
    CHECK(key_status({DEVICE, CONFIG, std::string(101, 'k')}) == MV_STATUS_INVALIDCONFIGKEY);
    CHECK(key_status({DEVICE, CONFIG, "tab\there"}) == MV_STATUS_INVALIDCONFIGKEY);
    CHECK(key_status({DEVICE, CONFIG, "del\x7f"}) == MV_STATUS_INVALIDCONFIGKEY);
    CHECK(key_status({DEVICE, CONFIG, "caf\xc3\xa9"}) == MV_STATUS_INVALIDCONFIGKEY);
    CHECK(key_status({DEVICE, CONFIG, std::string("nul\0x", 5)}) == MV_STATUS_INVALIDCONFIGKEY);
    r.put_request({{DEVICE, CONFIG, "ok"}, {DEVICE, CONFIG, "k"}});
    r.host.write_u32(kKeys + 16 + 8, 0x30000000u);
    CHECK(r.send_raw(h) == MV_STATUS_PARAMETERFAULT);
    r.host.write_u32(kKeys + 16 + 8, kRamEnd - 1);
    r.host.write_u32(kKeys + 16 + 12, 2);
    CHECK(r.send_raw(h) == MV_STATUS_PARAMETERFAULT);
    // The whole request must fit the send buffer: 4 + 4 + 100 bytes per key.
    std::vector<Key> long_keys(5, Key{DEVICE, CONFIG, std::string(100, 'k')});
    CHECK(r.send(h, long_keys) == MV_STATUS_INVALIDBUFFERSIZE);  // 524 > 512
    long_keys.pop_back();
    long_keys.push_back({DEVICE, CONFIG, std::string(88, 'k')});  // exactly 512
    // Nothing was posted or spent by the refusals; the fitting request goes.
    r.run_for(100 * kMs);
    CHECK(r.new_records().empty());
    CHECK(r.send(h, long_keys) == MV_STATUS_OKAY);
    CHECK(r.send(h, long_keys) == MV_STATUS_REQUESTALREADYSENT);
    // The checks that come before REQUESTALREADYSENT still do.
    CHECK(r.send_raw(h, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.send_raw(0) == MV_STATUS_INVALIDHANDLE);
    r.run_for(50 * kMs);
    uint32_t result = 0, count = 0;
    REQUIRE(r.response(h, result, count) == MV_STATUS_OKAY);
    CHECK(count == 5);
    for (uint32_t i = 0; i < 5; i++) {
        REQUIRE(r.item(h, i) == MV_STATUS_OKAY);
        CHECK(r.item_result() == MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND);
        CHECK(r.host.read_u32(kLength) == 0);
    }
}

TEST_CASE("config fetch: keys may lie in flash; a key of 100 characters is fine", "[config]") {
    ConfigRig r(config_profile(0));
    uint32_t h = r.open_config();
    const std::string name = "broker-host";
    r.host.poke_bytes(kFlashBase + 0x100, name.data(), uint32_t(name.size()));
    r.host.write_u32(kReq, 2);
    r.host.write_u32(kReq + 4, kKeys);
    r.host.write_u32(kKeys + 0, DEVICE);
    r.host.write_u32(kKeys + 4, CONFIG);
    r.host.write_u32(kKeys + 8, kFlashBase + 0x100);
    r.host.write_u32(kKeys + 12, uint32_t(name.size()));
    r.host.write_u32(kKeys + 16, ACCOUNT);
    r.host.write_u32(kKeys + 20, SECRET);
    r.host.write_u32(kKeys + 24, r.host.put_string(kKeyText, std::string(100, '~')));
    r.host.write_u32(kKeys + 28, 100);
    REQUIRE(r.send_raw(h) == MV_STATUS_OKAY);
    r.run_for(0);  // latency 0: answered at the next timer expiry
    REQUIRE(r.item(h, 0) == MV_STATUS_OKAY);
    CHECK(r.item_value() == "mqtt.example.com");
    REQUIRE(r.item(h, 1) == MV_STATUS_OKAY);
    CHECK(r.item_result() == MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND);
}

TEST_CASE("config fetch: zero keys is an empty answer; the array is not read", "[config]") {
    ConfigRig r;
    uint32_t h = r.open_config();
    r.host.write_u32(kReq, 0);
    r.host.write_u32(kReq + 4, 0);
    REQUIRE(r.send_raw(h) == MV_STATUS_OKAY);
    r.run_for(50 * kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);
    uint32_t result = 0, count = 0;
    REQUIRE(r.response(h, result, count) == MV_STATUS_OKAY);
    CHECK(result == MV_CONFIGFETCHRESULT_OK);
    CHECK(count == 0);
    CHECK(r.item(h, 0) == MV_STATUS_INDEXINVALID);
}

TEST_CASE("config fetch: the latency comes from the profile", "[config]") {
    ConfigRig r(config_profile(250));
    uint32_t h = r.open_config();
    REQUIRE(r.send(h, {{DEVICE, CONFIG, "broker-host"}}) == MV_STATUS_OKAY);
    r.run_for(249 * kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 0);
    r.run_for(1 * kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);
}

TEST_CASE("mvReadConfigFetchResponseData: its checks", "[config]") {
    ConfigRig r;
    uint32_t h = r.fetched({{DEVICE, CONFIG, "broker-host"}});
    uint32_t mqtt = r.open_ok(1, MV_CHANNELTYPE_MQTT);
    for (uint32_t bad : {0u, kResp + 2, 0x30000000u, kFlashBase, kRamEnd - 4}) {
        CHECK(r.call(slot::mvReadConfigFetchResponseData, h, bad) == MV_STATUS_PARAMETERFAULT);
    }
    CHECK(r.call(slot::mvReadConfigFetchResponseData, 0, 0) == MV_STATUS_PARAMETERFAULT);
    uint32_t result = 0, count = 0;
    CHECK(r.response(0, result, count) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.response(mqtt, result, count) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.response(r.net, result, count) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.result_unwritten(result, count));
    CHECK(r.response(h, result, count) == MV_STATUS_OKAY);
    CHECK(count == 1);
    // A closed channel's handle is stale.
    REQUIRE(r.close(h) == MV_STATUS_OKAY);
    CHECK(r.response(h, result, count) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.item(h, 0) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.send(h, {{DEVICE, CONFIG, "k"}}) == MV_STATUS_INVALIDHANDLE);
}

TEST_CASE("mvReadConfigResponseItem: params, handle, then index, then nested pointers",
          "[config]") {
    ConfigRig r;
    uint32_t h = r.fetched({{DEVICE, CONFIG, "broker-host"}, {DEVICE, CONFIG, "missing"}});
    uint32_t mqtt = r.open_ok(1, MV_CHANNELTYPE_MQTT);
    r.put_item(0, 64);
    for (uint32_t bad : {0u, kItem + 2, 0x30000000u, kRamEnd - 16}) {
        CHECK(r.call(slot::mvReadConfigResponseItem, h, bad) == MV_STATUS_PARAMETERFAULT);
    }
    CHECK(r.call(slot::mvReadConfigResponseItem, 0, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadConfigResponseItem, 0, kItem) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvReadConfigResponseItem, mqtt, kItem) == MV_STATUS_INVALIDHANDLE);
    // Index before the nested pointers.
    r.put_item(2, 64, 0, 0, 0);
    CHECK(r.call(slot::mvReadConfigResponseItem, h, kItem) == MV_STATUS_INDEXINVALID);
    // Each nested pointer: LATEFAULT, nothing written.
    struct Bad {
        uint32_t data, size, result, length;
    };
    const Bad bads[] = {
        {kValue, 64, 0, kLength},           {kValue, 64, kResult + 1, kLength},
        {kValue, 64, kFlashBase, kLength},  {kValue, 64, kResult, 0},
        {kValue, 64, kResult, kLength + 2}, {kValue, 64, kResult, 0x30000000u},
        {0, 64, kResult, kLength},          {kFlashBase, 64, kResult, kLength},
        {kRamEnd - 32, 64, kResult, kLength}, {kValue, 0xFFFFFFFFu, kResult, kLength},
    };
    for (uint32_t index : {0u, 1u}) {  // found or not, the pointers are checked
        for (const Bad& b : bads) {
            INFO("index " << index << " data " << b.data << " size " << b.size << " result "
                          << b.result << " length " << b.length);
            r.put_item(index, b.size, b.data, b.result, b.length);
            CHECK(r.call(slot::mvReadConfigResponseItem, h, kItem) == MV_STATUS_LATEFAULT);
            CHECK(r.host.read_u32(kResult) == kFill);
            CHECK(r.host.read_u32(kLength) == kFill);
            CHECK(r.host.read_u8(kValue) == 0x5A);
        }
    }
    // Size 0: the data pointer is never looked at; nothing is copied.
    r.put_item(0, 0, 0);
    REQUIRE(r.call(slot::mvReadConfigResponseItem, h, kItem) == MV_STATUS_OKAY);
    CHECK(r.item_result() == MV_CONFIGKEYFETCHRESULT_OK);
    CHECK(r.host.read_u32(kLength) == 0);
    // A value bigger than the buffer is cut to it (said once per item).
    REQUIRE(r.item(h, 0, 4) == MV_STATUS_OKAY);
    CHECK(r.item_result() == MV_CONFIGKEYFETCHRESULT_OK);
    CHECK(r.host.read_u32(kLength) == 4);
    CHECK(r.host.read_string(kValue, 5) == "mqtt\x5A");
    REQUIRE(r.item(h, 0, 15) == MV_STATUS_OKAY);
    CHECK(r.item_value() == "mqtt.example.co");
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "was cut to the buffer's") == 1);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "\"broker-host\", 16 bytes") == 1);
    REQUIRE(r.item(h, 0, 16) == MV_STATUS_OKAY);  // exactly fits
    CHECK(r.item_value() == "mqtt.example.com");
    // A missing key writes its result and a length of 0, and no data.
    REQUIRE(r.item(h, 1, 64) == MV_STATUS_OKAY);
    CHECK(r.item_result() == MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND);
    CHECK(r.host.read_u32(kLength) == 0);
    CHECK(r.host.read_u8(kValue) == 0x5A);
}

TEST_CASE("config fetch: an answer larger than the receive buffer is RESPONSETOOLARGE",
          "[config]") {
    // The answer takes 8 bytes, plus 8 and the value's length per item.
    {
        ConfigRig r;
        uint32_t h = r.fetched({{DEVICE, CONFIG, "big"}}, 512);
        CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);
        uint32_t result = 0, count = 0;
        REQUIRE(r.response(h, result, count) == MV_STATUS_OKAY);
        CHECK(result == MV_CONFIGFETCHRESULT_RESPONSETOOLARGE);
        CHECK(count == 0);
        CHECK(r.item(h, 0) == MV_STATUS_INDEXINVALID);
    }
    {
        ConfigRig r;
        uint32_t h = r.fetched({{DEVICE, CONFIG, "big"}}, 3072);  // 3016 bytes: fits
        uint32_t result = 0, count = 0;
        REQUIRE(r.response(h, result, count) == MV_STATUS_OKAY);
        CHECK(result == MV_CONFIGFETCHRESULT_OK);
        CHECK(count == 1);
        REQUIRE(r.item(h, 0) == MV_STATUS_OKAY);
        CHECK(r.item_value() == std::string(3000, 'b'));
    }
    {
        ConfigRig r;  // 8 + 3008 + 8 * 8 (missing keys) = 3080 > 3072
        std::vector<Key> keys{{DEVICE, CONFIG, "big"}};
        for (int i = 0; i < 8; i++) keys.push_back({DEVICE, CONFIG, "none" + std::to_string(i)});
        uint32_t h = r.fetched(keys, 3072);
        uint32_t result = 0, count = 0;
        REQUIRE(r.response(h, result, count) == MV_STATUS_OKAY);
        CHECK(result == MV_CONFIGFETCHRESULT_RESPONSETOOLARGE);
        CHECK(count == 0);
    }
}

TEST_CASE("config fetch: losing the connection before the answer loses the answer", "[config]") {
    ConfigRig r;
    uint32_t h = r.open_config();
    REQUIRE(r.send(h, {{DEVICE, CONFIG, "broker-host"}}) == MV_STATUS_OKAY);
    r.backend.network().set_link(false);
    r.run_for(500 * kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELNOTCONNECTED) == 1);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 0);
    uint32_t result = 0, count = 0;
    CHECK(r.response(h, result, count) == MV_STATUS_CHANNELCLOSED);
    CHECK(r.item(h, 0) == MV_STATUS_CHANNELCLOSED);
    CHECK(r.send(h, {{DEVICE, CONFIG, "broker-host"}}) == MV_STATUS_CHANNELCLOSED);
    CHECK(r.close(h) == MV_STATUS_OKAY);
}

TEST_CASE("config fetch: an answer received before the loss stays readable", "[config]") {
    ConfigRig r;
    uint32_t h = r.fetched({{DEVICE, CONFIG, "broker-host"}});
    r.backend.network().set_link(false);
    uint32_t result = 0, count = 0;
    REQUIRE(r.response(h, result, count) == MV_STATUS_OKAY);
    CHECK(count == 1);
    REQUIRE(r.item(h, 0) == MV_STATUS_OKAY);
    CHECK(r.item_value() == "mqtt.example.com");
    CHECK(r.closure(h) == MV_CLOSUREREASON_NETWORKDISCONNECTED);
}

TEST_CASE("config fetch: a channel never sent is CHANNELCLOSED once disconnected", "[config]") {
    ConfigRig r;
    uint32_t h = r.open_config();
    r.backend.network().set_link(false);
    uint32_t result = 0, count = 0;
    CHECK(r.response(h, result, count) == MV_STATUS_CHANNELCLOSED);
    CHECK(r.send(h, {{DEVICE, CONFIG, "broker-host"}}) == MV_STATUS_CHANNELCLOSED);
}

TEST_CASE("config fetch: closing or resetting before the answer leaves nothing behind",
          "[config]") {
    ConfigRig r;
    uint32_t h = r.open_config();
    size_t timers = r.backend.scheduler().pending();
    REQUIRE(r.send(h, {{DEVICE, CONFIG, "broker-host"}}) == MV_STATUS_OKAY);
    CHECK(r.backend.scheduler().pending() == timers + 1);
    REQUIRE(r.close(h) == MV_STATUS_OKAY);
    CHECK(r.backend.scheduler().pending() == timers);
    r.run_for(100 * kMs);
    CHECK(r.new_records().empty());
    // Each channel has its own request; two channels fetch independently.
    uint32_t a = r.open_config(1), b = r.open_config(2);
    REQUIRE(r.send(a, {{DEVICE, CONFIG, "broker-host"}}) == MV_STATUS_OKAY);
    REQUIRE(r.send(b, {{DEVICE, CONFIG, "broker-port"}, {DEVICE, CONFIG, "x"}}) == MV_STATUS_OKAY);
    r.run_for(51 * kMs);  // the second record follows the first after the delivery gap
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 2);
    uint32_t result = 0, count = 0;
    REQUIRE(r.response(b, result, count) == MV_STATUS_OKAY);
    CHECK(count == 2);
    REQUIRE(r.item(a, 0) == MV_STATUS_OKAY);
    CHECK(r.item_value() == "mqtt.example.com");
    uint32_t pending = r.open_config(3);
    REQUIRE(r.send(pending, {{DEVICE, CONFIG, "broker-host"}}) == MV_STATUS_OKAY);
    r.backend.reset();  // the channel and its timer go; nothing fires later
    r.run_for(100 * kMs);
    CHECK(r.backend.channels().all().size() == 0);
}

TEST_CASE("config fetch: no secret value reaches a log line or the monitor", "[config][secret]") {
    ConfigRig r;
    uint32_t h = r.open_config();
    REQUIRE(r.send(h, {{DEVICE, SECRET, "client-key"}, {ACCOUNT, SECRET, "password"},
                       {DEVICE, SECRET, "missing"}, {DEVICE, CONFIG, "broker-host"}}) ==
            MV_STATUS_OKAY);
    json during = r.monitor("query-network");
    r.run_for(50 * kMs);
    // Every read path: whole, cut short (which warns), faults.
    for (uint32_t i = 0; i < 4; i++) {
        REQUIRE(r.item(h, i) == MV_STATUS_OKAY);
        REQUIRE(r.item(h, i, 3) == MV_STATUS_OKAY);
    }
    CHECK(r.item_value() == "mqt");
    r.put_item(0, 64, kValue, 0);
    CHECK(r.call(slot::mvReadConfigResponseItem, h, kItem) == MV_STATUS_LATEFAULT);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "secret item 0 (\"client-key\"") == 1);
    json after = r.monitor("query-network");
    r.backend.network().set_link(false);
    json lost = r.monitor("query-network");
    REQUIRE(!r.host.logs.empty());
    for (const std::string& secret : {kClientKey, kPassword}) {
        for (const std::string& form : {secret, hex(secret)}) {
            INFO(form);
            CHECK_FALSE(r.logs_contain(form));
            for (const json& q : {during, after, lost}) {
                CHECK(q.dump().find(form) == std::string::npos);
            }
        }
    }
}
