// mvSystemLedEnable, mvPowerSave, mvDeepSleep, mvSetWifiConfig,
// mvGetWifiConfig and mvTemporaryStructTest.
#include "backend.h"

namespace mvemu {

namespace {

namespace L = layout;

Status system_led_enable(Backend& b, const CallArgs& c) {
    if (c.a[0] > 1) {
        return MV_STATUS_PARAMETERFAULT;  // "other values are reserved"
    }
    bool on = c.a[0] == 1;
    if (b.device().led_on != on) {
        b.device().led_on = on;
        b.console().info(on ? "system LED: on" : "system LED: off");
    }
    return MV_STATUS_OKAY;
}

// Deeper than SLEEP the radio stops too, which Microvisor refuses while the
// application holds the network ("network is still active").
bool network_in_use(Backend& b) { return b.network().request_count() > 0; }

Status power_save(Backend& b, const CallArgs& c) {
    uint8_t mode = static_cast<uint8_t>(c.a[0]);  // a 1-byte enum
    if (mode > MV_POWERSAVINGMODE_STOP3) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (mode != MV_POWERSAVINGMODE_SLEEP && network_in_use(b)) {
        return MV_STATUS_MICROVISORBUSY;
    }
    // Every mode waits for an interrupt, as WFI: the vCPU halts (no host
    // CPU is used) and the first enabled pending interrupt resumes it after
    // the call. The modes differ on the device in current only.
    b.host().cpu_halt();
    return MV_STATUS_OKAY;
}

Status deep_sleep(Backend& b, const CallArgs& c) {
    uint8_t mode = static_cast<uint8_t>(c.a[0]);
    if (mode > MV_DEEPSLEEPMODE_SHUTDOWN) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (network_in_use(b)) {
        return MV_STATUS_MICROVISORBUSY;
    }
    b.console().info(std::string("deep sleep (") +
                     (mode == MV_DEEPSLEEPMODE_STANDBY ? "standby" : "shutdown") + ") for " +
                     std::to_string(b.profile().deep_sleep_ms) + " ms");
    // The device powers down and wakes with a reset: stop the CPU now,
    // reset, stay halted until the wake-up (Backend::enter_deep_sleep).
    b.device().deep_sleep_requested = true;
    b.device().deep_sleep_mode = mode;
    b.host().cpu_halt();
    b.host().request_reset();
    return MV_STATUS_OKAY;
}

constexpr uint32_t kSsidMax = 32;      // IEEE 802.11
constexpr uint32_t kPasswordMax = 64;  // WPA2: 8-63 characters or 64 hex digits

// An MvSizedString's bytes, or nullopt for an unreadable one.
std::optional<std::vector<uint8_t>> sized_string(Backend& b, const GuestMemory::Struct& s,
                                                 uint32_t at, uint32_t max, bool& too_long) {
    uint32_t data = s.u32(at + L::sized_string::data);
    uint32_t length = s.u32(at + L::sized_string::length);
    too_long = length > max;
    if (length == 0) {
        return std::vector<uint8_t>{};
    }
    if (too_long) {
        return std::vector<uint8_t>{};
    }
    return b.memory().read_bytes(data, length);
}

Status set_wifi_config(Backend& b, const CallArgs& c) {
    auto params = b.memory().read_struct(c.a[0], L::wifi_config::size);
    if (!params) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (params->u32(L::wifi_config::version) != 1) {
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    }
    uint8_t mode = params->u8(L::wifi_config::config_mode);
    if (mode == MV_WIFICONFIGMODE_CLEARNOW) {
        b.device().wifi_ssid.clear();
        b.device().wifi_password = WipedBytes();
        b.console().info("Wi-Fi configuration cleared");
        return MV_STATUS_OKAY;
    }
    if (mode != MV_WIFICONFIGMODE_APPLYNOW) {
        return MV_STATUS_PARAMETERFAULT;
    }
    bool ssid_long = false, password_long = false;
    auto ssid = sized_string(b, *params, L::wifi_config::ssid, kSsidMax, ssid_long);
    auto password = sized_string(b, *params, L::wifi_config::password, kPasswordMax, password_long);
    if (!ssid || !password) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (ssid_long || password_long) {
        return MV_STATUS_INPUTTOOLONG;
    }
    if (ssid->empty()) {
        return MV_STATUS_REQUIREDELEMENTMISSING;
    }
    b.device().wifi_ssid.assign(ssid->begin(), ssid->end());
    b.device().wifi_password = WipedBytes(std::move(*password));
    // The password is never shown, not even its length.
    b.console().info("Wi-Fi configuration set: SSID \"" + Console::printable(*ssid) + "\", " +
                     (b.device().wifi_password.size() ? "with a password" : "open network"));
    return MV_STATUS_OKAY;
}

Status get_wifi_config(Backend& b, const CallArgs& c) {
    auto params = b.memory().read_struct(c.a[0], L::wifi_config_out::size);
    if (!params) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (params->u32(L::wifi_config_out::version) != 1) {
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    }
    const uint32_t ssid_at = L::wifi_config_out::ssid;
    uint32_t data = params->u32(ssid_at + L::sized_string_buffer::data);
    uint32_t size = params->u32(ssid_at + L::sized_string_buffer::capacity);
    uint32_t length_out = params->u32(ssid_at + L::sized_string_buffer::length_out);
    uint32_t has_encryption = params->u32(L::wifi_config_out::has_encryption);
    const std::string& ssid = b.device().wifi_ssid;
    if ((size && !b.memory().writable(data, size)) || !b.memory().writable_aligned(length_out, 4, 4) ||
        !b.memory().writable(has_encryption, 1)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (ssid.size() > size) {
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    b.memory().write_bytes(data, ssid.data(), static_cast<uint32_t>(ssid.size()));
    b.memory().write_u32(length_out, static_cast<uint32_t>(ssid.size()));
    b.memory().write_u8(has_encryption, b.device().wifi_password.size() ? 1 : 0);
    return MV_STATUS_OKAY;
}

// Slot 12: a kernel test entry the SDK stopped declaring (0.7.0); it takes
// no documented parameters, so nothing can use it.
Status temporary_struct_test(Backend&, const CallArgs&) { return MV_STATUS_UNAVAILABLE; }

}  // namespace

void register_device_calls(SyscallTable& table) {
    table.set("mvSystemLedEnable", system_led_enable);
    table.set("mvPowerSave", power_save);
    table.set("mvDeepSleep", deep_sleep);
    table.set("mvSetWifiConfig", set_wifi_config);
    table.set("mvGetWifiConfig", get_wifi_config);
    table.set("mvTemporaryStructTest", temporary_struct_test);
}

}  // namespace mvemu
