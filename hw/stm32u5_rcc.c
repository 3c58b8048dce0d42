/*
 * STM32U5 reset and clock control (RCC) as a Microvisor application sees it
 *
 * A register file on QEMU's register API. Nothing is really clocked or
 * reset by it: it holds the values firmware reads back, makes the ready and
 * status bits follow their enable bits so that polling loops end, and is
 * programmed at reset with the clock tree Microvisor's boot leaves behind
 * (the frequency properties).
 *
 * On a Microvisor device the RCC is secured: the Non-secure application
 * reads it directly but changes it only through mvPeriphPoke32(), and only
 * the bits Microvisor lets it (stm32u5_rcc_app_poke(), which holds that
 * policy). So reads are served in both security states and bus writes only
 * in the Secure one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/qdev-properties.h"
#include "hw/register.h"
#include "stm32u5_regblock.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_rcc.h"
#include "trace.h"

REG32(CR, 0x000)
    FIELD(CR, MSISON, 0, 1)
    FIELD(CR, MSISRDY, 2, 1)
    FIELD(CR, MSIKON, 4, 1)
    FIELD(CR, MSIKRDY, 5, 1)
    FIELD(CR, HSION, 8, 1)
    FIELD(CR, HSIRDY, 10, 1)
    FIELD(CR, HSI48ON, 12, 1)
    FIELD(CR, HSI48RDY, 13, 1)
    FIELD(CR, SHSION, 14, 1)
    FIELD(CR, SHSIRDY, 15, 1)
    FIELD(CR, HSEON, 16, 1)
    FIELD(CR, HSERDY, 17, 1)
    FIELD(CR, PLL1ON, 24, 1)
    FIELD(CR, PLL1RDY, 25, 1)
    FIELD(CR, PLL2ON, 26, 1)
    FIELD(CR, PLL2RDY, 27, 1)
    FIELD(CR, PLL3ON, 28, 1)
    FIELD(CR, PLL3RDY, 29, 1)
REG32(ICSCR1, 0x008)
REG32(ICSCR2, 0x00C)
REG32(ICSCR3, 0x010)
REG32(CRRCR, 0x014)
REG32(CFGR1, 0x01C)
    FIELD(CFGR1, SW, 0, 2)
    FIELD(CFGR1, SWS, 2, 2)
REG32(CFGR2, 0x020)
    FIELD(CFGR2, HPRE, 0, 4)
    FIELD(CFGR2, PPRE1, 4, 3)
    FIELD(CFGR2, PPRE2, 8, 3)
REG32(CFGR3, 0x024)
REG32(PLL1CFGR, 0x028)
    FIELD(PLL1CFGR, PLL1SRC, 0, 2)
    FIELD(PLL1CFGR, PLL1RGE, 2, 2)
    FIELD(PLL1CFGR, PLL1M, 8, 4)
    FIELD(PLL1CFGR, PLL1REN, 18, 1)
REG32(PLL2CFGR, 0x02C)
REG32(PLL3CFGR, 0x030)
REG32(PLL1DIVR, 0x034)
    FIELD(PLL1DIVR, PLL1N, 0, 9)
    FIELD(PLL1DIVR, PLL1R, 24, 7)
REG32(PLL1FRACR, 0x038)
REG32(PLL2DIVR, 0x03C)
REG32(PLL2FRACR, 0x040)
REG32(PLL3DIVR, 0x044)
REG32(PLL3FRACR, 0x048)
REG32(CIER, 0x050)
REG32(CIFR, 0x054)
REG32(CICR, 0x058)
REG32(AHB1RSTR, 0x060)
REG32(AHB2RSTR1, 0x064)
REG32(AHB2RSTR2, 0x068)
REG32(AHB3RSTR, 0x06C)
REG32(APB1RSTR1, 0x074)
REG32(APB1RSTR2, 0x078)
REG32(APB2RSTR, 0x07C)
REG32(APB3RSTR, 0x080)
REG32(AHB1ENR, 0x088)
REG32(AHB2ENR1, 0x08C)
REG32(AHB2ENR2, 0x090)
REG32(AHB3ENR, 0x094)
REG32(APB1ENR1, 0x09C)
REG32(APB1ENR2, 0x0A0)
REG32(APB2ENR, 0x0A4)
REG32(APB3ENR, 0x0A8)
REG32(AHB1SMENR, 0x0B0)
REG32(AHB2SMENR1, 0x0B4)
REG32(AHB2SMENR2, 0x0B8)
REG32(AHB3SMENR, 0x0BC)
REG32(APB1SMENR1, 0x0C4)
REG32(APB1SMENR2, 0x0C8)
REG32(APB2SMENR, 0x0CC)
REG32(APB3SMENR, 0x0D0)
REG32(SRDAMR, 0x0D8)
REG32(CCIPR1, 0x0E0)
REG32(CCIPR2, 0x0E4)
REG32(CCIPR3, 0x0E8)
REG32(BDCR, 0x0F0)
    FIELD(BDCR, LSEON, 0, 1)
    FIELD(BDCR, LSERDY, 1, 1)
    FIELD(BDCR, LSESYSEN, 7, 1)
    FIELD(BDCR, LSESYSRDY, 11, 1)
    FIELD(BDCR, LSION, 26, 1)
    FIELD(BDCR, LSIRDY, 27, 1)
REG32(CSR, 0x0F4)
    FIELD(CSR, RMVF, 23, 1)
    FIELD(CSR, RSTF, 25, 7)     /* OBLRSTF .. LPWRRSTF */
REG32(SECCFGR, 0x110)
REG32(PRIVCFGR, 0x114)

static void rcc_status_post_write(RegisterInfo *reg, uint64_t val);
static uint64_t rcc_csr_pre_write(RegisterInfo *reg, uint64_t val);

/*
 * A register with its RM0456 reset value and the bits software may write:
 * everything else is read-only to the register API. Hardware-owned bits
 * (xxRDY flags, CFGR1.SWS, calibration values, CIFR flags, CSR reset flags)
 * are among the read-only ones; post_write keeps them in step.
 */
#define RCC_REG(reg, rst, writable) { \
    .name = #reg, .addr = A_##reg, .reset = (rst), \
    .ro = ~(uint64_t)(writable), .post_write = rcc_status_post_write }

/*
 * Every register of rcc.md except the RESERVED slots. Factory calibration
 * fields (MSICAL, HSICAL, HSI48CAL) read as 0. CICR is write-1-to-clear
 * into CIFR; as no flag is ever raised it holds nothing.
 */
static const RegisterAccessInfo rcc_regs_info[] = {
    RCC_REG(CR,         0x00000035, 0x151D53DB),
    RCC_REG(ICSCR1,     0x44000000, 0xFFC00000),
    RCC_REG(ICSCR2,     0x00084210, 0x000FFFFF),
    RCC_REG(ICSCR3,     0x00100000, 0x001F0000),
    RCC_REG(CRRCR,      0x00000000, 0x00000000),
    RCC_REG(CFGR1,      0x00000000, 0x7F000033),
    RCC_REG(CFGR2,      0x00000000, 0x001F077F),
    RCC_REG(CFGR3,      0x00000000, 0x00030070),
    RCC_REG(PLL1CFGR,   0x00000000, 0x0007FF1F),
    RCC_REG(PLL2CFGR,   0x00000000, 0x00070F1F),
    RCC_REG(PLL3CFGR,   0x00000000, 0x00070F1F),
    RCC_REG(PLL1DIVR,   0x01010280, 0x7F7FFFFF),
    RCC_REG(PLL1FRACR,  0x00000000, 0x0000FFF8),
    RCC_REG(PLL2DIVR,   0x01010280, 0x7F7FFFFF),
    RCC_REG(PLL2FRACR,  0x00000000, 0x0000FFF8),
    RCC_REG(PLL3DIVR,   0x01010280, 0x7F7FFFFF),
    RCC_REG(PLL3FRACR,  0x00000000, 0x0000FFF8),
    RCC_REG(CIER,       0x00000000, 0x000019FF),
    RCC_REG(CIFR,       0x00000000, 0x00000000),
    RCC_REG(CICR,       0x00000000, 0x00000000),
    RCC_REG(AHB1RSTR,   0x00000000, 0x0007100F),
    RCC_REG(AHB2RSTR1,  0x00000000, 0x19BF55FF),
    RCC_REG(AHB2RSTR2,  0x00000000, 0x00000111),
    RCC_REG(AHB3RSTR,   0x00000000, 0x00000661),
    RCC_REG(APB1RSTR1,  0x00000000, 0x017E403F),
    RCC_REG(APB1RSTR2,  0x00000000, 0x00800222),
    RCC_REG(APB2RSTR,   0x00000000, 0x00677800),
    RCC_REG(APB3RSTR,   0x00000000, 0x0010F8E2),
    RCC_REG(AHB1ENR,    0xD0000100, 0xD107110F),
    RCC_REG(AHB2ENR1,   0xC0000000, 0xD9BF55FF),
    RCC_REG(AHB2ENR2,   0x00000000, 0x00000111),
    RCC_REG(AHB3ENR,    0x80000000, 0x80001665),
    RCC_REG(APB1ENR1,   0x00000000, 0x017E483F),
    RCC_REG(APB1ENR2,   0x00000000, 0x00800222),
    RCC_REG(APB2ENR,    0x00000000, 0x00677800),
    RCC_REG(APB3ENR,    0x00000000, 0x0030F8E2),
    RCC_REG(AHB1SMENR,  0xFFFFFFFF, 0xF107110F),
    RCC_REG(AHB2SMENR1, 0xFFFFFFFF, 0xD9BF55FF),
    RCC_REG(AHB2SMENR2, 0xFFFFFFFF, 0x00000111),
    RCC_REG(AHB3SMENR,  0xFFFFFFFF, 0x80001665),
    RCC_REG(APB1SMENR1, 0xFFFFFFFF, 0x017E483F),
    RCC_REG(APB1SMENR2, 0xFFFFFFFF, 0x00800222),
    RCC_REG(APB2SMENR,  0xFFFFFFFF, 0x00677800),
    RCC_REG(APB3SMENR,  0xFFFFFFFF, 0x0030F8E2),
    RCC_REG(SRDAMR,     0x00000000, 0xBE30F8E0),
    RCC_REG(CCIPR1,     0x00000000, 0xEFFFFFFF),
    RCC_REG(CCIPR2,     0x00000000, 0x00307FE7),
    RCC_REG(CCIPR3,     0x00000000, 0x0007FFDF),
    RCC_REG(BDCR,       0x00000000, 0x170193BD),
    {
        .name = "CSR", .addr = A_CSR, .reset = 0x0C004400,
        .ro = ~(uint64_t)0x0080FF00, .pre_write = rcc_csr_pre_write,
    },
    RCC_REG(SECCFGR,    0x00000000, 0x00001FFF),
    RCC_REG(PRIVCFGR,   0x00000000, 0x00000003),
};

/*
 * What Microvisor lets the application change through mvPeriphPoke32.
 * It owns the system clock (CR's MSI/HSI/HSE/PLL1 controls, CFGR1-3,
 * PLL1), the RTC domain and the security configuration; the application
 * may run PLL2/3 and the kernel-clock oscillators, enable, reset and
 * sleep-gate peripherals, choose kernel clocks and clear the reset flags.
 * Writes to any other bit are dropped silently, as on the device.
 */
typedef struct RCCPokeRule {
    hwaddr offset;
    uint32_t mask;
} RCCPokeRule;

static const RCCPokeRule rcc_app_poke_rules[] = {
    { A_CR, R_CR_MSIKON_MASK | R_CR_HSI48ON_MASK | R_CR_SHSION_MASK |
            R_CR_PLL2ON_MASK | R_CR_PLL3ON_MASK | (1u << 1) | (1u << 9) },
    { A_PLL2CFGR, UINT32_MAX }, { A_PLL3CFGR, UINT32_MAX },
    { A_PLL2DIVR, UINT32_MAX }, { A_PLL2FRACR, UINT32_MAX },
    { A_PLL3DIVR, UINT32_MAX }, { A_PLL3FRACR, UINT32_MAX },
    { A_CICR, UINT32_MAX },
    { A_AHB1RSTR, UINT32_MAX }, { A_AHB2RSTR1, UINT32_MAX },
    { A_AHB2RSTR2, UINT32_MAX }, { A_AHB3RSTR, UINT32_MAX },
    { A_APB1RSTR1, UINT32_MAX }, { A_APB1RSTR2, UINT32_MAX },
    { A_APB2RSTR, UINT32_MAX }, { A_APB3RSTR, UINT32_MAX },
    { A_AHB1ENR, UINT32_MAX }, { A_AHB2ENR1, UINT32_MAX },
    { A_AHB2ENR2, UINT32_MAX }, { A_AHB3ENR, UINT32_MAX },
    { A_APB1ENR1, UINT32_MAX }, { A_APB1ENR2, UINT32_MAX },
    { A_APB2ENR, UINT32_MAX }, { A_APB3ENR, UINT32_MAX },
    { A_AHB1SMENR, UINT32_MAX }, { A_AHB2SMENR1, UINT32_MAX },
    { A_AHB2SMENR2, UINT32_MAX }, { A_AHB3SMENR, UINT32_MAX },
    { A_APB1SMENR1, UINT32_MAX }, { A_APB1SMENR2, UINT32_MAX },
    { A_APB2SMENR, UINT32_MAX }, { A_APB3SMENR, UINT32_MAX },
    { A_SRDAMR, UINT32_MAX },
    { A_CCIPR1, UINT32_MAX }, { A_CCIPR2, UINT32_MAX },
    { A_CCIPR3, UINT32_MAX },
    { A_CSR, R_CSR_RMVF_MASK },
};

/* Copy bit @from of @val to bit @to */
static uint32_t rcc_mirror_bit(uint32_t val, unsigned from, unsigned to)
{
    return deposit32(val, to, 1, extract32(val, from, 1));
}

/* Oscillators and PLLs lock instantly, and the clock switch is immediate */
static void rcc_update_status(STM32U5RCCState *s)
{
    static const struct {
        uint8_t on, rdy;
    } cr_pairs[] = {
        { R_CR_MSISON_SHIFT,  R_CR_MSISRDY_SHIFT },
        { R_CR_MSIKON_SHIFT,  R_CR_MSIKRDY_SHIFT },
        { R_CR_HSION_SHIFT,   R_CR_HSIRDY_SHIFT },
        { R_CR_HSI48ON_SHIFT, R_CR_HSI48RDY_SHIFT },
        { R_CR_SHSION_SHIFT,  R_CR_SHSIRDY_SHIFT },
        { R_CR_HSEON_SHIFT,   R_CR_HSERDY_SHIFT },
        { R_CR_PLL1ON_SHIFT,  R_CR_PLL1RDY_SHIFT },
        { R_CR_PLL2ON_SHIFT,  R_CR_PLL2RDY_SHIFT },
        { R_CR_PLL3ON_SHIFT,  R_CR_PLL3RDY_SHIFT },
    };
    uint32_t *r = s->regs;

    for (size_t i = 0; i < ARRAY_SIZE(cr_pairs); i++) {
        r[R_CR] = rcc_mirror_bit(r[R_CR], cr_pairs[i].on, cr_pairs[i].rdy);
    }
    r[R_CFGR1] = FIELD_DP32(r[R_CFGR1], CFGR1, SWS,
                            FIELD_EX32(r[R_CFGR1], CFGR1, SW));
    r[R_BDCR] = rcc_mirror_bit(r[R_BDCR], R_BDCR_LSEON_SHIFT,
                               R_BDCR_LSERDY_SHIFT);
    r[R_BDCR] = rcc_mirror_bit(r[R_BDCR], R_BDCR_LSESYSEN_SHIFT,
                               R_BDCR_LSESYSRDY_SHIFT);
    r[R_BDCR] = rcc_mirror_bit(r[R_BDCR], R_BDCR_LSION_SHIFT,
                               R_BDCR_LSIRDY_SHIFT);
}

static void rcc_status_post_write(RegisterInfo *reg, uint64_t val)
{
    rcc_update_status(STM32U5_RCC(reg->opaque));
}

/* CSR.RMVF clears the reset flags; the bit itself reads as 0. */
static uint64_t rcc_csr_pre_write(RegisterInfo *reg, uint64_t val)
{
    if (val & R_CSR_RMVF_MASK) {
        val &= ~(uint64_t)R_CSR_RSTF_MASK;
    }
    return val & ~(uint64_t)R_CSR_RMVF_MASK;
}

/*
 * Program the clock tree on top of the reset values:
 * SYSCLK = PLL1 R output fed by the 16 MHz HSE, and the AHB/APB prescalers
 * chosen so that ST's HAL, reading these registers, computes exactly the
 * frequency properties.
 */
static void rcc_apply_clock_tree(STM32U5RCCState *s)
{
    uint32_t *r = s->regs;

    r[R_CR] |= R_CR_HSEON_MASK | R_CR_PLL1ON_MASK;

    r[R_PLL1CFGR] = FIELD_DP32(0, PLL1CFGR, PLL1SRC, 3);     /* HSE */
    r[R_PLL1CFGR] = FIELD_DP32(r[R_PLL1CFGR], PLL1CFGR, PLL1RGE, 3);
    r[R_PLL1CFGR] = FIELD_DP32(r[R_PLL1CFGR], PLL1CFGR, PLL1M, 0);
    r[R_PLL1CFGR] = FIELD_DP32(r[R_PLL1CFGR], PLL1CFGR, PLL1REN, 1);

    r[R_PLL1DIVR] = FIELD_DP32(r[R_PLL1DIVR], PLL1DIVR, PLL1N, s->pll1_n - 1);
    r[R_PLL1DIVR] = FIELD_DP32(r[R_PLL1DIVR], PLL1DIVR, PLL1R, s->pll1_r - 1);
    r[R_PLL1FRACR] = 0;

    r[R_CFGR1] = FIELD_DP32(r[R_CFGR1], CFGR1, SW, 3);       /* PLL1 R */
    r[R_CFGR2] = FIELD_DP32(r[R_CFGR2], CFGR2, HPRE, s->hpre);
    r[R_CFGR2] = FIELD_DP32(r[R_CFGR2], CFGR2, PPRE1, s->ppre1);
    r[R_CFGR2] = FIELD_DP32(r[R_CFGR2], CFGR2, PPRE2, s->ppre2);
}

/*
 * Find N (4..512) and R (1, or even up to 128: RM0456 forbids odd PLL1R
 * dividers other than 1) with HSE * N / R == @sysclk, smallest R first.
 */
static bool rcc_find_pll1(uint32_t sysclk, uint32_t *n, uint32_t *r)
{
    for (uint32_t div = 1; div <= 128; div = (div == 1) ? 2 : div + 2) {
        uint64_t vco = (uint64_t)sysclk * div;
        uint64_t mul = vco / STM32U5_RCC_HSE_HZ;

        if (mul > 512) {
            break;
        }
        if (vco % STM32U5_RCC_HSE_HZ == 0 && mul >= 4) {
            *n = mul;
            *r = div;
            return true;
        }
    }
    return false;
}

typedef struct RCCPrescaler {
    uint32_t div;
    uint32_t field;
} RCCPrescaler;

/* CFGR2.HPRE: AHB clock = SYSCLK / div (there is no /32) */
static const RCCPrescaler rcc_ahb_presc[] = {
    { 1, 0 }, { 2, 8 }, { 4, 9 }, { 8, 10 }, { 16, 11 },
    { 64, 12 }, { 128, 13 }, { 256, 14 }, { 512, 15 },
};

/* CFGR2.PPRE1 / PPRE2: APB clock = HCLK / div */
static const RCCPrescaler rcc_apb_presc[] = {
    { 1, 0 }, { 2, 4 }, { 4, 5 }, { 8, 6 }, { 16, 7 },
};

static bool rcc_find_presc(const RCCPrescaler *tab, size_t n,
                           uint32_t in_hz, uint32_t out_hz, uint32_t *field)
{
    for (size_t i = 0; i < n; i++) {
        if (in_hz % tab[i].div == 0 && in_hz / tab[i].div == out_hz) {
            *field = tab[i].field;
            return true;
        }
    }
    return false;
}

bool stm32u5_rcc_app_poke(STM32U5RCCState *s, hwaddr offset, uint32_t mask,
                          uint32_t xorvalue)
{
    uint32_t allowed = 0, old, requested;

    if (offset % 4 || offset >= STM32U5_RCC_MMIO_SIZE) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(rcc_app_poke_rules); i++) {
        if (rcc_app_poke_rules[i].offset == offset) {
            allowed = rcc_app_poke_rules[i].mask;
        }
    }
    old = s->regs[offset / 4];
    /* Bits in @mask are set to @xorvalue's, the others toggled by it. */
    requested = (old & ~mask) ^ xorvalue;
    trace_stm32u5_rcc_app_poke(offset, old, requested, allowed);
    if ((requested ^ old) & allowed) {
        register_write_memory(s->reg_array, offset,
                              (old & ~allowed) | (requested & allowed), 4);
    }
    return true;
}

static MemTxResult rcc_read(void *opaque, hwaddr offset, uint64_t *data,
                            unsigned size, MemTxAttrs attrs)
{
    *data = register_read_memory(opaque, offset, size);
    return MEMTX_OK;
}

static MemTxResult rcc_write(void *opaque, hwaddr offset, uint64_t data,
                             unsigned size, MemTxAttrs attrs)
{
    trace_stm32u5_rcc_write(offset, data, attrs.secure);
    if (!attrs.secure) {
        qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-rcc: Non-secure write of 0x%08"
                      PRIx64 " at 0x%03" HWADDR_PRIx " ignored: Microvisor "
                      "secures the RCC, the application uses mvPeriphPoke32()\n",
                      data, offset);
        return MEMTX_OK;
    }
    register_write_memory(opaque, offset, data, size);
    return MEMTX_OK;
}

static const MemoryRegionOps rcc_ops = {
    .read_with_attrs = rcc_read,
    .write_with_attrs = rcc_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void stm32u5_rcc_reset_hold(Object *obj, ResetType type)
{
    STM32U5RCCState *s = STM32U5_RCC(obj);

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
    rcc_apply_clock_tree(s);
    rcc_update_status(s);
    trace_stm32u5_rcc_reset(s->sysclk_hz, s->hclk_hz, s->pclk1_hz,
                            s->pclk2_hz);
}

static void stm32u5_rcc_init(Object *obj)
{
    STM32U5RCCState *s = STM32U5_RCC(obj);

    s->reg_array = register_init_block32(DEVICE(obj), rcc_regs_info,
                                         ARRAY_SIZE(rcc_regs_info),
                                         s->regs_info, s->regs, &rcc_ops,
                                         false, STM32U5_RCC_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->reg_array->mem);
}

static void stm32u5_rcc_finalize(Object *obj)
{
    register_finalize_block(STM32U5_RCC(obj)->reg_array);
}

static void stm32u5_rcc_realize(DeviceState *dev, Error **errp)
{
    STM32U5RCCState *s = STM32U5_RCC(dev);

    if (!rcc_find_pll1(s->sysclk_hz, &s->pll1_n, &s->pll1_r)) {
        error_setg(errp, "stm32u5-rcc: SYSCLK %" PRIu32 " Hz cannot be made "
                   "by PLL1 from the 16 MHz HSE (16 MHz * N / R with N in "
                   "4..512 and R 1 or even up to 128)", s->sysclk_hz);
        return;
    }
    if (!rcc_find_presc(rcc_ahb_presc, ARRAY_SIZE(rcc_ahb_presc),
                        s->sysclk_hz, s->hclk_hz, &s->hpre)) {
        error_setg(errp, "stm32u5-rcc: HCLK %" PRIu32 " Hz is not SYSCLK %"
                   PRIu32 " Hz divided by 1, 2, 4, 8, 16, 64, 128, 256 or 512",
                   s->hclk_hz, s->sysclk_hz);
        return;
    }
    if (!rcc_find_presc(rcc_apb_presc, ARRAY_SIZE(rcc_apb_presc),
                        s->hclk_hz, s->pclk1_hz, &s->ppre1) ||
        !rcc_find_presc(rcc_apb_presc, ARRAY_SIZE(rcc_apb_presc),
                        s->hclk_hz, s->pclk2_hz, &s->ppre2)) {
        error_setg(errp, "stm32u5-rcc: PCLK1 %" PRIu32 " Hz and PCLK2 %"
                   PRIu32 " Hz must each be HCLK %" PRIu32 " Hz divided by "
                   "1, 2, 4, 8 or 16", s->pclk1_hz, s->pclk2_hz, s->hclk_hz);
        return;
    }
}

static const VMStateDescription vmstate_stm32u5_rcc = {
    .name = TYPE_STM32U5_RCC,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5RCCState, STM32U5_RCC_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static const Property stm32u5_rcc_properties[] = {
    DEFINE_PROP_UINT32("sysclk-frequency", STM32U5RCCState, sysclk_hz,
                       STM32U5_DEFAULT_CLOCK_HZ),
    DEFINE_PROP_UINT32("hclk-frequency", STM32U5RCCState, hclk_hz,
                       STM32U5_DEFAULT_CLOCK_HZ),
    DEFINE_PROP_UINT32("pclk1-frequency", STM32U5RCCState, pclk1_hz,
                       STM32U5_DEFAULT_CLOCK_HZ),
    DEFINE_PROP_UINT32("pclk2-frequency", STM32U5RCCState, pclk2_hz,
                       STM32U5_DEFAULT_CLOCK_HZ),
};

static void stm32u5_rcc_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 RCC (register file, Secure writes only)";
    dc->realize = stm32u5_rcc_realize;
    dc->vmsd = &vmstate_stm32u5_rcc;
    device_class_set_props(dc, stm32u5_rcc_properties);
    rc->phases.hold = stm32u5_rcc_reset_hold;
}

static const TypeInfo stm32u5_rcc_info = {
    .name          = TYPE_STM32U5_RCC,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5RCCState),
    .instance_init = stm32u5_rcc_init,
    .instance_finalize = stm32u5_rcc_finalize,
    .class_init    = stm32u5_rcc_class_init,
};

static void stm32u5_rcc_register_types(void)
{
    type_register_static(&stm32u5_rcc_info);
}

type_init(stm32u5_rcc_register_types)
