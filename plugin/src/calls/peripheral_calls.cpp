// mvPeriphPeek32 / mvPeriphPoke32: the application's access to peripherals
// Microvisor keeps secure. Peeks and pokes reach the board's RCC model
// through the bus with Microvisor's (secure) attributes.
#include "backend.h"

namespace mvemu {

namespace {

constexpr uint32_t kRccBase = 0x46020C00u;  // Non-secure alias, as the application names it
constexpr uint32_t kRccSize = 0x400u;
constexpr uint32_t kRccSecureBase = 0x56020C00u;
constexpr uint32_t kFlashAcr = 0x40022000u;  // ST's HAL reads the latency field
constexpr uint32_t kFlashAcrSecure = 0x50022000u;

// RCC registers and bits the application may change. Microvisor owns the
// system clock (CR's MSI/HSI/HSE/PLL1 controls, CFGR1-3, PLL1), the RTC
// domain and the security configuration; writes to those bits are dropped
// silently, as on the device.
struct PokeRule {
    uint32_t offset;
    uint32_t mask;
};
constexpr PokeRule kRccPokeRules[] = {
    {0x000, (1u << 1) | (1u << 4) | (1u << 9) | (1u << 12) | (1u << 14) | (1u << 26) | (1u << 28)},
    {0x02C, 0xffffffffu}, {0x030, 0xffffffffu},  // PLL2CFGR, PLL3CFGR
    {0x03C, 0xffffffffu}, {0x040, 0xffffffffu},  // PLL2DIVR, PLL2FRACR
    {0x044, 0xffffffffu}, {0x048, 0xffffffffu},  // PLL3DIVR, PLL3FRACR
    {0x058, 0xffffffffu},                        // CICR
    {0x060, 0xffffffffu}, {0x064, 0xffffffffu}, {0x068, 0xffffffffu}, {0x06C, 0xffffffffu},
    {0x074, 0xffffffffu}, {0x078, 0xffffffffu}, {0x07C, 0xffffffffu}, {0x080, 0xffffffffu},
    {0x088, 0xffffffffu}, {0x08C, 0xffffffffu}, {0x090, 0xffffffffu}, {0x094, 0xffffffffu},
    {0x09C, 0xffffffffu}, {0x0A0, 0xffffffffu}, {0x0A4, 0xffffffffu}, {0x0A8, 0xffffffffu},
    {0x0B0, 0xffffffffu}, {0x0B4, 0xffffffffu}, {0x0B8, 0xffffffffu}, {0x0BC, 0xffffffffu},
    {0x0C4, 0xffffffffu}, {0x0C8, 0xffffffffu}, {0x0CC, 0xffffffffu}, {0x0D0, 0xffffffffu},
    {0x0D8, 0xffffffffu},                        // SRDAMR
    {0x0E0, 0xffffffffu}, {0x0E4, 0xffffffffu}, {0x0E8, 0xffffffffu},  // CCIPR1-3
    {0x0F4, 1u << 23},                           // CSR.RMVF: clear reset flags
};

uint32_t app_writable_bits(uint32_t offset) {
    for (const auto& rule : kRccPokeRules) {
        if (rule.offset == offset) {
            return rule.mask;
        }
    }
    return 0;
}

// The secure alias of a register the application may peek, or 0.
uint32_t peekable(uint32_t reg) {
    if (reg % 4 != 0) {
        return 0;
    }
    if (reg >= kRccBase && reg - kRccBase < kRccSize) {
        return kRccSecureBase + (reg - kRccBase);
    }
    return reg == kFlashAcr ? kFlashAcrSecure : 0;
}

Status peek32(Backend& b, const CallArgs& c) {
    uint32_t reg = c.a[0], out = c.a[1];
    uint32_t target = peekable(reg);
    if (target == 0) {
        return MV_STATUS_PERIPHERALACCESSFAULT;
    }
    if (!b.memory().writable_aligned(out, 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    uint32_t value = 0;
    if (!b.host().mem_read(target, &value, 4, true)) {
        return MV_STATUS_PERIPHERALACCESSFAULT;
    }
    b.memory().write_u32(out, value);
    return MV_STATUS_OKAY;
}

Status poke32(Backend& b, const CallArgs& c) {
    uint32_t reg = c.a[0], mask = c.a[1], xorvalue = c.a[2];
    if (reg % 4 != 0 || reg < kRccBase || reg - kRccBase >= kRccSize) {
        return MV_STATUS_PERIPHERALACCESSFAULT;
    }
    uint32_t target = kRccSecureBase + (reg - kRccBase);
    uint32_t old = 0;
    if (!b.host().mem_read(target, &old, 4, true)) {
        return MV_STATUS_PERIPHERALACCESSFAULT;
    }
    // new = (old & ~mask) ^ xorvalue: mask bits are set to xorvalue's bits,
    // the others are toggled by them (mv_syscalls.h).
    uint32_t requested = (old & ~mask) ^ xorvalue;
    uint32_t allowed = app_writable_bits(reg - kRccBase);
    uint32_t value = (old & ~allowed) | (requested & allowed);
    if (value != old && !b.host().mem_write(target, &value, 4, true)) {
        return MV_STATUS_PERIPHERALACCESSFAULT;
    }
    return MV_STATUS_OKAY;
}

}  // namespace

void register_peripheral_calls(SyscallTable& table) {
    table.set("mvPeriphPeek32", peek32);
    table.set("mvPeriphPoke32", poke32);
}

}  // namespace mvemu
