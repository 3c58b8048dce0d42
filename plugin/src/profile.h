// The device profile: one human-editable TOML file describing the emulated
// device (docs/profile.md). Every key is optional; defaults describe a
// plausible device.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mvemu {

enum class WallClock { host, not_set, fixed };

struct Profile {
    // [device]
    std::string device_id = "UV6d76656d750000000000000000000001";
    uint8_t wake_reason = 0;          // MV_WAKEREASON_COLDBOOT
    bool application_test_mode = true;
    uint32_t handle_seed = 0x6d76656du;

    // [clocks] in Hz; ST's HAL sees the same tree in the RCC registers.
    uint32_t sysclk_hz = 160000000;
    uint32_t hclk_hz = 160000000;
    uint32_t pclk1_hz = 160000000;
    uint32_t pclk2_hz = 160000000;

    // [time]
    WallClock wall_clock = WallClock::host;
    int64_t wall_clock_start_us = 0;  // fixed: Unix time at boot, advancing with virtual time

    // [logging]
    std::string log_file;             // optional copy of the server log lines
    uint32_t log_max_message = 1024;  // LOGMESSAGETOOLONG above this

    // [notifications]
    uint32_t delivery_gap_us = 100;   // minimum virtual time between records of one center
    uint32_t max_centers = 32;

    // Parse `path`; on failure returns nullopt and sets `error`.
    static std::optional<Profile> load(const std::string& path, std::string& error);
    // Check values that depend on each other; empty when valid.
    std::string validate() const;
};

}  // namespace mvemu
