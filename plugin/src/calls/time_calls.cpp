// Time, clocks and identity: mvGetMicroseconds, mvGetWallTime, mvGet*Clk,
// mvGetDeviceId.
#include <chrono>

#include "backend.h"

namespace mvemu {

namespace {

constexpr uint32_t kDeviceIdLength = 34;  // "UV" and 32 hex digits, no terminator

Status get_microseconds(Backend& b, const CallArgs& c) {
    uint64_t us = static_cast<uint64_t>(b.host().clock_ns() / 1000);
    return b.memory().write_u64(c.a[0], us) ? MV_STATUS_OKAY : MV_STATUS_PARAMETERFAULT;
}

Status get_wall_time(Backend& b, const CallArgs& c) {
    if (!b.memory().writable_aligned(c.a[0], 8, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    uint64_t us = 0;
    switch (b.profile().wall_clock) {
    case WallClock::not_set:
        return MV_STATUS_TIMENOTSET;
    case WallClock::host:
        us = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
        break;
    case WallClock::fixed:
        us = static_cast<uint64_t>(b.profile().wall_clock_start_us + b.host().clock_ns() / 1000);
        break;
    }
    b.memory().write_u64(c.a[0], us);
    return MV_STATUS_OKAY;
}

Status write_clock(Backend& b, uint32_t out, uint32_t hz) {
    return b.memory().write_u32(out, hz) ? MV_STATUS_OKAY : MV_STATUS_PARAMETERFAULT;
}

Status get_sysclk(Backend& b, const CallArgs& c) { return write_clock(b, c.a[0], b.profile().sysclk_hz); }
Status get_hclk(Backend& b, const CallArgs& c) { return write_clock(b, c.a[0], b.profile().hclk_hz); }
Status get_pclk1(Backend& b, const CallArgs& c) { return write_clock(b, c.a[0], b.profile().pclk1_hz); }
Status get_pclk2(Backend& b, const CallArgs& c) { return write_clock(b, c.a[0], b.profile().pclk2_hz); }

Status get_device_id(Backend& b, const CallArgs& c) {
    uint32_t buf = c.a[0], len = c.a[1];
    if (len != kDeviceIdLength) {
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    const std::string& id = b.profile().device_id;
    return b.memory().write_bytes(buf, id.data(), kDeviceIdLength) ? MV_STATUS_OKAY
                                                                   : MV_STATUS_PARAMETERFAULT;
}

}  // namespace

void register_time_calls(SyscallTable& table) {
    table.set("mvGetMicroseconds", get_microseconds);
    table.set("mvGetWallTime", get_wall_time);
    table.set("mvGetSysClk", get_sysclk);
    table.set("mvGetHClk", get_hclk);
    table.set("mvGetPClk1", get_pclk1);
    table.set("mvGetPClk2", get_pclk2);
    table.set("mvGetDeviceId", get_device_id);
}

}  // namespace mvemu
