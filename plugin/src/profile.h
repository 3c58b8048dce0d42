// The device profile: one human-editable TOML file describing the emulated
// device (docs/profile.md). Every key is optional; defaults describe a
// plausible device.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config_store.h"

namespace mvemu {

enum class WallClock { host, not_set, fixed };

// The profile's name of an MvWakeReason ("coldboot", "deep-sleep-checkin", ...).
const char* wake_reason_name(uint8_t reason);

struct Profile {
    // [device]
    std::string device_id = "UV6d76656d750000000000000000000001";
    uint8_t wake_reason = 0;          // MV_WAKEREASON_COLDBOOT
    bool application_test_mode = true;
    uint32_t handle_seed = 0x6d76656du;

    // [clocks] in Hz. The machine is built with its clock tree (its
    // *-frequency properties, which ./mvemu run sets from this table); the
    // backend adopts the machine's and refuses a profile that disagrees.
    uint32_t sysclk_hz = 160000000;
    uint32_t hclk_hz = 160000000;
    uint32_t pclk1_hz = 160000000;
    uint32_t pclk2_hz = 160000000;
    std::vector<std::string> clocks_given;  // the [clocks] keys the file sets

    // [time]
    WallClock wall_clock = WallClock::host;
    int64_t wall_clock_start_us = 0;  // fixed: Unix time at boot, advancing with virtual time

    // [logging]
    std::string log_file;             // optional copy of the server log lines
    uint32_t log_max_message = 1024;  // LOGMESSAGETOOLONG above this

    // [notifications]
    uint32_t delivery_gap_us = 0;     // minimum virtual time between records of one center
    uint32_t max_centers = 32;

    // [network]: the emulated uplink (docs/network.md)
    bool link_up_at_boot = true;           // link = "up" | "down"
    uint32_t bring_up_ms = 100;            // virtual time from wanting the link to CONNECTED
    bool notify_when_already_connected = false;  // a record at mvRequestNetwork if already up
    struct Outage {
        uint32_t at_ms;                    // virtual time since boot
        uint32_t for_ms;
    };
    std::vector<Outage> outages;           // outages = [{ at_ms = 5000, for_ms = 3000 }]

    // [network.hosts]: emulator extension, like /etc/hosts for the host
    // names the application uses (MQTT and HTTP): name (lower case, matched
    // without case) -> host and optional port (0 = keep)
    struct HostTarget {
        std::string host;  // a name or an address (IPv6 without brackets)
        uint16_t port = 0;
    };
    std::map<std::string, HostTarget> hosts;
    // [network] dns = "hosts-only": a name the map does not list fails as
    // an unknown name would, without asking the host's resolver (hermetic
    // test runs); "system" (the default) looks it up.
    bool dns_hosts_only = false;

    // [tls] ca_files: CA certificates (PEM or DER files) trusted besides the
    // host's store by MQTT (when the application gives no CA) and HTTP, as
    // PEM text (docs/mqtt.md, docs/http.md)
    std::vector<std::string> ca_pem;

    // [channels]
    uint32_t max_opens_per_second = 8;     // the device's limit; 0 = no limit
    // [channels.opaque_bytes_endpoints]: emulator extension, name -> "host:port"
    std::map<std::string, std::string> opaque_endpoints;

    // [config], [config.device|account], [secrets.device|account]: the
    // config-fetch channel's stores (docs/config.md)
    uint32_t config_latency_ms = 50;       // virtual time from the request to its answer
    ConfigStore config_store;
    // [mqtt]
    bool mqtt_plain_tcp = false;           // plain_tcp = true: no TLS (local brokers)
    uint32_t mqtt_max_incoming_per_second = 0;  // the cloud's circuit breaker; 0 = none
    uint32_t mqtt_connect_timeout_s = 30;  // CONNACK within this, or the connect fails (SOCKETERROR)

    // [power]: a deep sleep lasts this long in virtual time, then the device
    // wakes (a reset) with this reason (docs/decisions.md "Power")
    uint32_t deep_sleep_ms = 60000;
    uint8_t deep_sleep_wake_reason = 12;   // MV_WAKEREASON_DEEPSLEEPCHECKIN

    // [external_flash]: the NOR part behind mvExternalFlash*
    std::string external_flash_file;       // absolute, or empty: contents live for the run only
    uint32_t external_flash_size = 8u << 20;   // 64 Mbit, a multiple of 4 KiB
    uint32_t external_flash_chip_id = 0x00C22817u;  // JEDEC ID (manufacturer, type, capacity)

    // [wifi]: the configuration the device starts with (mvGetWifiConfig)
    std::string wifi_ssid;
    WipedBytes wifi_password;

    // Parse `path`; on failure returns nullopt and sets `error`.
    static std::optional<Profile> load(const std::string& path, std::string& error);
    // Check values that depend on each other; empty when valid.
    std::string validate() const;
};

}  // namespace mvemu
