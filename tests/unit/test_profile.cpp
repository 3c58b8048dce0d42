// The device profile (TOML): defaults, every section, and the errors a user
// sees for a wrong file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "mv_enums.h"
#include "profile.h"

using mvemu::Profile;
using mvemu::WallClock;

namespace {

// A profile file in the temporary directory, removed at the end of the test.
class TempProfile {
public:
    explicit TempProfile(const std::string& text) {
        static int counter = 0;
        path_ = (std::filesystem::temp_directory_path() /
                 ("mvemu-unit-profile-" + std::to_string(getpid()) + "-" +
                  std::to_string(counter++) + ".toml"))
                    .string();
        std::ofstream(path_) << text;
    }
    ~TempProfile() { std::filesystem::remove(path_); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Load `text`; the error (if any) goes to `error`.
std::optional<Profile> load(const std::string& text, std::string& error) {
    TempProfile file(text);
    return Profile::load(file.path(), error);
}

// Load `text`, which must be rejected; returns the error message.
std::string load_error(const std::string& text) {
    std::string error;
    auto p = load(text, error);
    CHECK_FALSE(p.has_value());
    CHECK_FALSE(error.empty());
    return error;
}

constexpr int64_t k2026_01_31_noon_us = 1769860800LL * 1000000;  // 2026-01-31T12:00:00Z

}  // namespace

TEST_CASE("profile: [network] dns", "[profile]") {
    std::string error;
    auto p = load("[network]\ndns = \"hosts-only\"\n", error);
    REQUIRE(p.has_value());
    CHECK(p->dns_hosts_only);
    p = load("[network]\ndns = \"system\"\n", error);
    REQUIRE(p.has_value());
    CHECK_FALSE(p->dns_hosts_only);
    CHECK_FALSE(load("[network]\ndns = \"none\"\n", error).has_value());
    CHECK(error.find("[network] dns must be \"system\" or \"hosts-only\"") != std::string::npos);
}

TEST_CASE("without a file the defaults describe a plausible, valid device", "[profile]") {
    std::string error;
    auto p = Profile::load("", error);
    REQUIRE(p.has_value());
    CHECK(error.empty());
    CHECK(p->device_id == "UV6d76656d750000000000000000000001");
    CHECK(p->wake_reason == MV_WAKEREASON_COLDBOOT);
    CHECK(p->application_test_mode);
    CHECK(p->sysclk_hz == 160000000u);
    CHECK(p->hclk_hz == 160000000u);
    CHECK(p->pclk1_hz == 160000000u);
    CHECK(p->pclk2_hz == 160000000u);
    CHECK(p->wall_clock == WallClock::host);
    CHECK(p->log_file.empty());
    CHECK(p->log_max_message == 1024u);
    CHECK(p->delivery_gap_us == 0u);
    CHECK(p->max_centers == 32u);
    CHECK(p->validate().empty());
}

TEST_CASE("an empty file gives the defaults", "[profile]") {
    std::string error;
    auto p = load("", error);
    REQUIRE(p.has_value());
    CHECK(p->device_id == Profile{}.device_id);
    CHECK(p->sysclk_hz == Profile{}.sysclk_hz);
}

TEST_CASE("a full profile sets every key", "[profile]") {
    std::string error;
    auto p = load(R"(
[device]
id = "UV0123456789abcdef0123456789ABCDEF"
wake_reason = "application-update"
application_test_mode = false
handle_seed = 42

[clocks]
sysclk_hz = 100000000
hclk_hz = 50000000
pclk1_hz = 25000000
pclk2_hz = 50000000

[time]
wall_clock = "fixed"
start = "2026-01-31T12:00:00Z"

[logging]
file = "/tmp/mvemu-unit-server.log"
max_message = 512

[notifications]
delivery_gap_us = 250
max_centers = 8
)",
                  error);
    INFO(error);
    REQUIRE(p.has_value());
    CHECK(p->device_id == "UV0123456789abcdef0123456789ABCDEF");
    CHECK(p->wake_reason == MV_WAKEREASON_APPLICATIONUPDATE);
    CHECK_FALSE(p->application_test_mode);
    CHECK(p->handle_seed == 42u);
    CHECK(p->sysclk_hz == 100000000u);
    CHECK(p->hclk_hz == 50000000u);
    CHECK(p->pclk1_hz == 25000000u);
    CHECK(p->pclk2_hz == 50000000u);
    CHECK(p->wall_clock == WallClock::fixed);
    CHECK(p->wall_clock_start_us == k2026_01_31_noon_us);
    CHECK(p->log_file == "/tmp/mvemu-unit-server.log");
    CHECK(p->log_max_message == 512u);
    CHECK(p->delivery_gap_us == 250u);
    CHECK(p->max_centers == 8u);
}

TEST_CASE("wake reasons by name and by number", "[profile]") {
    struct Case {
        const char* value;
        uint8_t expected;
    };
    auto c = GENERATE(Case{"\"coldboot\"", MV_WAKEREASON_COLDBOOT},
                      Case{"\"debugger-restart\"", MV_WAKEREASON_DEBUGGERRESTART},
                      Case{"\"application-crash\"", MV_WAKEREASON_APPLICATIONCRASH},
                      Case{"\"deep-sleep-other\"", MV_WAKEREASON_DEEPSLEEPOTHER},
                      Case{"0", MV_WAKEREASON_COLDBOOT},
                      Case{"13", MV_WAKEREASON_DEEPSLEEPAPPLICATION},
                      Case{"16", MV_WAKEREASON_DEEPSLEEPOTHER});
    INFO("wake_reason = " << c.value);
    std::string error;
    auto p = load(std::string("[device]\nwake_reason = ") + c.value + "\n", error);
    INFO(error);
    REQUIRE(p.has_value());
    CHECK(int(p->wake_reason) == int(c.expected));
}

TEST_CASE("wall clock modes", "[profile]") {
    std::string error;
    auto host = load("[time]\nwall_clock = \"host\"\n", error);
    REQUIRE(host.has_value());
    CHECK(host->wall_clock == WallClock::host);
    auto unset = load("[time]\nwall_clock = \"not-set\"\n", error);
    REQUIRE(unset.has_value());
    CHECK(unset->wall_clock == WallClock::not_set);
    CHECK(load_error("[time]\nwall_clock = \"sundial\"\n").find("wall_clock") != std::string::npos);
}

TEST_CASE("profile errors name the problem", "[profile]") {
    SECTION("device id that is not UV + 32 hex digits") {
        CHECK(load_error("[device]\nid = \"UV123\"\n").find("id") != std::string::npos);
        load_error("[device]\nid = \"UX0123456789abcdef0123456789abcdef\"\n");
        load_error("[device]\nid = \"UV0123456789abcdef0123456789abcdeg\"\n");
        load_error("[device]\nid = \"UV0123456789abcdef0123456789abcdef0\"\n");
    }
    SECTION("unknown wake reason") {
        CHECK(load_error("[device]\nwake_reason = \"sleepy\"\n").find("wake_reason") !=
              std::string::npos);
        load_error("[device]\nwake_reason = 17\n");
        load_error("[device]\nwake_reason = -1\n");
    }
    SECTION("fixed wall clock without a start") {
        CHECK(load_error("[time]\nwall_clock = \"fixed\"\n").find("start") != std::string::npos);
    }
    SECTION("start that is not a date") {
        CHECK(load_error("[time]\nwall_clock = \"fixed\"\nstart = \"31/01/2026 12:00\"\n")
                  .find("start") != std::string::npos);
        load_error("[time]\nwall_clock = \"fixed\"\nstart = \"2026-13-01T00:00:00Z\"\n");
        load_error("[time]\nwall_clock = \"fixed\"\nstart = \"2026-01-31\"\n");
    }
    SECTION("clock tree that cannot exist") {
        CHECK(load_error("[clocks]\nsysclk_hz = 80000000\nhclk_hz = 160000000\n")
                  .find("clocks") != std::string::npos);
        load_error("[clocks]\npclk1_hz = 200000000\n");  // above the default HCLK
        load_error("[clocks]\nsysclk_hz = 0\n");
    }
    SECTION("negative and oversized numbers") {
        CHECK(load_error("[clocks]\nsysclk_hz = -1\n").find("sysclk_hz") != std::string::npos);
        CHECK(load_error("[notifications]\ndelivery_gap_us = -5\n").find("delivery_gap_us") !=
              std::string::npos);
        load_error("[clocks]\nsysclk_hz = 4294967296\n");  // does not fit 32 bits
        load_error("[notifications]\nmax_centers = \"many\"\n");
    }
    SECTION("no notification centers at all") {
        load_error("[notifications]\nmax_centers = 0\n");
    }
}

TEST_CASE("errors start with the file name", "[profile]") {
    TempProfile file("[device]\nid = \"UV123\"\n");
    std::string error;
    CHECK_FALSE(Profile::load(file.path(), error).has_value());
    CHECK(error.rfind(file.path(), 0) == 0);
}

TEST_CASE("a TOML syntax error names the file and line", "[profile]") {
    TempProfile file("[device]\nid = \"UV0123456789abcdef0123456789abcdef\"\nwake_reason = = 3\n");
    std::string error;
    CHECK_FALSE(Profile::load(file.path(), error).has_value());
    CHECK(error.find(file.path()) != std::string::npos);
    CHECK(error.find(":3") != std::string::npos);  // the offending line
}

TEST_CASE("a missing profile file is an error naming it", "[profile]") {
    std::string path = "/nonexistent-dir/mvemu-unit-no-such-profile.toml";
    std::string error;
    CHECK_FALSE(Profile::load(path, error).has_value());
    CHECK(error.find(path) != std::string::npos);
}

TEST_CASE("start must be exactly the documented format", "[profile]") {
    // The error text promises "must look like 2026-01-31T12:00:00Z": text
    // after the seconds, or a day the month does not have, is not that format
    // and must not be silently accepted (or moved to another day).
    std::string error;
    SECTION("trailing text") {
        auto p = load("[time]\nwall_clock = \"fixed\"\nstart = \"2026-01-31T12:00:00Z+05:00\"\n",
                      error);
        INFO("accepted as start_us = " << (p ? p->wall_clock_start_us : 0));
        CHECK_FALSE(p.has_value());
    }
    SECTION("30 February") {
        auto p = load("[time]\nwall_clock = \"fixed\"\nstart = \"2026-02-30T12:00:00Z\"\n", error);
        INFO("accepted as start_us = " << (p ? p->wall_clock_start_us : 0));
        CHECK_FALSE(p.has_value());
    }
}

TEST_CASE("MQTT keys: the host map, plain TCP and CA files", "[profile]") {
    std::string error;
    auto p = load("[network.hosts]\n\"MQTT.example.com\" = \"127.0.0.1:1883\"\n"
                  "\"v6.example.com\" = \"[::1]:8883\"\n\"keep.example.com\" = \"broker.local\"\n"
                  "[mqtt]\nplain_tcp = true\n",
                  error);
    REQUIRE(p);
    CHECK(p->mqtt_plain_tcp);
    CHECK(p->hosts.at("mqtt.example.com").host == "127.0.0.1");
    CHECK(p->hosts.at("mqtt.example.com").port == 1883);
    CHECK(p->hosts.at("v6.example.com").host == "::1");
    CHECK(p->hosts.at("v6.example.com").port == 8883);
    CHECK(p->hosts.at("keep.example.com").host == "broker.local");
    CHECK(p->hosts.at("keep.example.com").port == 0);  // the firmware's port
    CHECK_FALSE(Profile{}.mqtt_plain_tcp);             // TLS unless the profile says otherwise
    CHECK(Profile{}.mqtt_connect_timeout_s == 30u);
    REQUIRE(load("[mqtt]\nconnect_timeout_s = 2\n", error));
    CHECK(load("[mqtt]\nconnect_timeout_s = 2\n", error)->mqtt_connect_timeout_s == 2u);
    CHECK(load_error("[mqtt]\nconnect_timeout_s = 0\n").find("connect_timeout_s") != std::string::npos);
    load_error("[mqtt]\nconnect_timeout_s = 3601\n");

    CHECK(load_error("[network.hosts]\n\"a\" = \"127.0.0.1:0\"\n").find("[network.hosts] \"a\"") !=
          std::string::npos);
    load_error("[network.hosts]\n\"a\" = \"127.0.0.1:70000\"\n");
    load_error("[network.hosts]\n\"a\" = \"two words\"\n");
    load_error("[network.hosts]\n\"a\" = 5\n");
    load_error("[mqtt]\nplain_tcp = \"yes\"\n");
    CHECK(load_error("[tls]\nca_files = [\"/nonexistent/ca.pem\"]\n").find("ca_files") !=
          std::string::npos);
    TempProfile not_a_cert("just text");
    CHECK(load_error("[tls]\nca_files = [\"" + not_a_cert.path() + "\"]\n")
              .find("is neither a PEM nor a DER certificate") != std::string::npos);
}
