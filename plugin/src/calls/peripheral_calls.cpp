// mvPeriphPeek32 / mvPeriphPoke32: the application's access to peripherals
// Microvisor keeps secure. Which registers and bits the application may
// reach is the board's business (the RCC model holds its poke policy); the
// backend checks the guest's pointers and maps the outcome to a status.
#include "backend.h"

namespace mvemu {

namespace {

Status peek32(Backend& b, const CallArgs& c) {
    uint32_t reg = c.a[0], out = c.a[1];
    uint32_t value = 0;
    if (!b.host().periph_peek32(reg, value)) {
        return MV_STATUS_PERIPHERALACCESSFAULT;
    }
    if (!b.memory().writable_aligned(out, 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    b.memory().write_u32(out, value);
    return MV_STATUS_OKAY;
}

Status poke32(Backend& b, const CallArgs& c) {
    uint32_t reg = c.a[0], mask = c.a[1], xorvalue = c.a[2];
    return b.host().periph_poke32(reg, mask, xorvalue) ? MV_STATUS_OKAY
                                                       : MV_STATUS_PERIPHERALACCESSFAULT;
}

}  // namespace

void register_peripheral_calls(SyscallTable& table) {
    table.set("mvPeriphPeek32", peek32);
    table.set("mvPeriphPoke32", poke32);
}

}  // namespace mvemu
