/*
 * STM32U5 reset and clock control (RCC) as seen by a Microvisor application
 *
 * The model is a table-driven register file. Nothing is really clocked or
 * reset by it: it only holds the values firmware reads back, and makes the
 * ready/status bits follow their enable bits so that polling loops end.
 *
 * On a Microvisor device the RCC is secured: the non-secure application
 * reads it directly but changes it only through mvPeriphPoke32(), which
 * the emulator's host backend performs as a secure access. So reads are
 * allowed from both security states and writes only from the secure one.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/registerfields.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_rcc.h"
#include "stm32u5_regtable.h"
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


/*
 * Every register of rcc.md except the RESERVED slots.
 *
 * Reset values are those of ST's reference manual RM0456 for the
 * STM32U575/585; factory calibration fields (MSICAL, HSICAL, HSI48CAL)
 * read as 0 here. Writable masks are the fields listed in rcc.md, minus
 * the bits hardware owns: xxRDY flags, CFGR1.SWS, calibration values,
 * CIFR flags and the CSR reset flags (cleared with CSR.RMVF). CICR is
 * write-1-to-clear into CIFR; as no flag is ever raised it holds nothing.
 */
static const STM32U5RegInfo rcc_regs[] = {
    STM32U5_REG(CR,         0x00000035, 0x151D53DB),
    STM32U5_REG(ICSCR1,     0x44000000, 0xFFC00000),
    STM32U5_REG(ICSCR2,     0x00084210, 0x000FFFFF),
    STM32U5_REG(ICSCR3,     0x00100000, 0x001F0000),
    STM32U5_REG(CRRCR,      0x00000000, 0x00000000),
    STM32U5_REG(CFGR1,      0x00000000, 0x7F000033),
    STM32U5_REG(CFGR2,      0x00000000, 0x001F077F),
    STM32U5_REG(CFGR3,      0x00000000, 0x00030070),
    STM32U5_REG(PLL1CFGR,   0x00000000, 0x0007FF1F),
    STM32U5_REG(PLL2CFGR,   0x00000000, 0x00070F1F),
    STM32U5_REG(PLL3CFGR,   0x00000000, 0x00070F1F),
    STM32U5_REG(PLL1DIVR,   0x01010280, 0x7F7FFFFF),
    STM32U5_REG(PLL1FRACR,  0x00000000, 0x0000FFF8),
    STM32U5_REG(PLL2DIVR,   0x01010280, 0x7F7FFFFF),
    STM32U5_REG(PLL2FRACR,  0x00000000, 0x0000FFF8),
    STM32U5_REG(PLL3DIVR,   0x01010280, 0x7F7FFFFF),
    STM32U5_REG(PLL3FRACR,  0x00000000, 0x0000FFF8),
    STM32U5_REG(CIER,       0x00000000, 0x000019FF),
    STM32U5_REG(CIFR,       0x00000000, 0x00000000),
    STM32U5_REG(CICR,       0x00000000, 0x00000000),
    STM32U5_REG(AHB1RSTR,   0x00000000, 0x0007100F),
    STM32U5_REG(AHB2RSTR1,  0x00000000, 0x19BF55FF),
    STM32U5_REG(AHB2RSTR2,  0x00000000, 0x00000111),
    STM32U5_REG(AHB3RSTR,   0x00000000, 0x00000661),
    STM32U5_REG(APB1RSTR1,  0x00000000, 0x017E403F),
    STM32U5_REG(APB1RSTR2,  0x00000000, 0x00800222),
    STM32U5_REG(APB2RSTR,   0x00000000, 0x00677800),
    STM32U5_REG(APB3RSTR,   0x00000000, 0x0010F8E2),
    STM32U5_REG(AHB1ENR,    0xD0000100, 0xD107110F),
    STM32U5_REG(AHB2ENR1,   0xC0000000, 0xD9BF55FF),
    STM32U5_REG(AHB2ENR2,   0x00000000, 0x00000111),
    STM32U5_REG(AHB3ENR,    0x80000000, 0x80001665),
    STM32U5_REG(APB1ENR1,   0x00000000, 0x017E483F),
    STM32U5_REG(APB1ENR2,   0x00000000, 0x00800222),
    STM32U5_REG(APB2ENR,    0x00000000, 0x00677800),
    STM32U5_REG(APB3ENR,    0x00000000, 0x0030F8E2),
    STM32U5_REG(AHB1SMENR,  0xFFFFFFFF, 0xF107110F),
    STM32U5_REG(AHB2SMENR1, 0xFFFFFFFF, 0xD9BF55FF),
    STM32U5_REG(AHB2SMENR2, 0xFFFFFFFF, 0x00000111),
    STM32U5_REG(AHB3SMENR,  0xFFFFFFFF, 0x80001665),
    STM32U5_REG(APB1SMENR1, 0xFFFFFFFF, 0x017E483F),
    STM32U5_REG(APB1SMENR2, 0xFFFFFFFF, 0x00800222),
    STM32U5_REG(APB2SMENR,  0xFFFFFFFF, 0x00677800),
    STM32U5_REG(APB3SMENR,  0xFFFFFFFF, 0x0030F8E2),
    STM32U5_REG(SRDAMR,     0x00000000, 0xBE30F8E0),
    STM32U5_REG(CCIPR1,     0x00000000, 0xEFFFFFFF),
    STM32U5_REG(CCIPR2,     0x00000000, 0x00307FE7),
    STM32U5_REG(CCIPR3,     0x00000000, 0x0007FFDF),
    STM32U5_REG(BDCR,       0x00000000, 0x170193BD),
    STM32U5_REG(CSR,        0x0C004400, 0x0000FF00),
    STM32U5_REG(SECCFGR,    0x00000000, 0x00001FFF),
    STM32U5_REG(PRIVCFGR,   0x00000000, 0x00000003),
};

static const STM32U5RegInfo *rcc_find_reg(hwaddr offset)
{
    return stm32u5_reg_find(rcc_regs, ARRAY_SIZE(rcc_regs), offset);
}

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

/*
 * Program the stored clock tree on top of the current register values.
 * The caller then runs rcc_update_status() for HSERDY, PLL1RDY and SWS.
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

void stm32u5_rcc_set_clock_tree(STM32U5RCCState *s, uint32_t sysclk_hz,
                                uint32_t hclk_hz, uint32_t pclk1_hz,
                                uint32_t pclk2_hz, Error **errp)
{
    uint32_t n, r, hpre, ppre1, ppre2;

    if (!rcc_find_pll1(sysclk_hz, &n, &r)) {
        error_setg(errp, "stm32u5-rcc: SYSCLK %" PRIu32 " Hz cannot be made "
                   "by PLL1 from the 16 MHz HSE (16 MHz * N / R with N in "
                   "4..512 and R 1 or even up to 128)", sysclk_hz);
        return;
    }
    if (!rcc_find_presc(rcc_ahb_presc, ARRAY_SIZE(rcc_ahb_presc),
                        sysclk_hz, hclk_hz, &hpre)) {
        error_setg(errp, "stm32u5-rcc: HCLK %" PRIu32 " Hz is not SYSCLK %"
                   PRIu32 " Hz divided by 1, 2, 4, 8, 16, 64, 128, 256 or 512",
                   hclk_hz, sysclk_hz);
        return;
    }
    if (!rcc_find_presc(rcc_apb_presc, ARRAY_SIZE(rcc_apb_presc),
                        hclk_hz, pclk1_hz, &ppre1)) {
        error_setg(errp, "stm32u5-rcc: PCLK1 %" PRIu32 " Hz is not HCLK %"
                   PRIu32 " Hz divided by 1, 2, 4, 8 or 16",
                   pclk1_hz, hclk_hz);
        return;
    }
    if (!rcc_find_presc(rcc_apb_presc, ARRAY_SIZE(rcc_apb_presc),
                        hclk_hz, pclk2_hz, &ppre2)) {
        error_setg(errp, "stm32u5-rcc: PCLK2 %" PRIu32 " Hz is not HCLK %"
                   PRIu32 " Hz divided by 1, 2, 4, 8 or 16",
                   pclk2_hz, hclk_hz);
        return;
    }

    s->clock_tree_set = true;
    s->sysclk_hz = sysclk_hz;
    s->hclk_hz = hclk_hz;
    s->pclk1_hz = pclk1_hz;
    s->pclk2_hz = pclk2_hz;
    s->pll1_n = n;
    s->pll1_r = r;
    s->hpre = hpre;
    s->ppre1 = ppre1;
    s->ppre2 = ppre2;
    trace_stm32u5_rcc_set_clock_tree(sysclk_hz, hclk_hz, pclk1_hz, pclk2_hz,
                                     n, r);

    /* Before realize, the reset that follows it applies the tree */
    if (DEVICE(s)->realized) {
        rcc_apply_clock_tree(s);
        rcc_update_status(s);
    }
}

static MemTxResult stm32u5_rcc_read(void *opaque, hwaddr offset,
                                    uint64_t *data, unsigned size,
                                    MemTxAttrs attrs)
{
    STM32U5RCCState *s = STM32U5_RCC(opaque);
    const STM32U5RegInfo *ri = rcc_find_reg(offset);

    if (!ri) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: read from unknown offset 0x%03"
                      HWADDR_PRIx "\n", __func__, offset);
        *data = 0;
        return MEMTX_OK;
    }
    *data = s->regs[offset / 4];
    trace_stm32u5_rcc_read(ri->name, offset, *data, attrs.secure);
    return MEMTX_OK;
}

static MemTxResult stm32u5_rcc_write(void *opaque, hwaddr offset,
                                     uint64_t data, unsigned size,
                                     MemTxAttrs attrs)
{
    STM32U5RCCState *s = STM32U5_RCC(opaque);
    const STM32U5RegInfo *ri = rcc_find_reg(offset);
    uint32_t value = data;
    uint32_t *reg;

    if (!ri) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write of 0x%08" PRIx32
                      " to unknown offset 0x%03" HWADDR_PRIx "\n",
                      __func__, value, offset);
        return MEMTX_OK;
    }
    trace_stm32u5_rcc_write(ri->name, offset, value, attrs.secure);

    if (!attrs.secure) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: non-secure write of 0x%08" PRIx32
                      " to RCC_%s ignored: Microvisor secures the RCC, the "
                      "application must use mvPeriphPoke32()\n",
                      __func__, value, ri->name);
        return MEMTX_OK;
    }

    reg = &s->regs[offset / 4];
    *reg = (*reg & ~ri->wmask) | (value & ri->wmask);
    if (offset == A_CSR && (value & R_CSR_RMVF_MASK)) {
        *reg &= ~R_CSR_RSTF_MASK;
    }
    rcc_update_status(s);
    return MEMTX_OK;
}

static const MemoryRegionOps stm32u5_rcc_ops = {
    .read_with_attrs = stm32u5_rcc_read,
    .write_with_attrs = stm32u5_rcc_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void stm32u5_rcc_reset_hold(Object *obj)
{
    STM32U5RCCState *s = STM32U5_RCC(obj);

    memset(s->regs, 0, sizeof(s->regs));
    for (size_t i = 0; i < ARRAY_SIZE(rcc_regs); i++) {
        s->regs[rcc_regs[i].offset / 4] = rcc_regs[i].reset;
    }
    if (s->clock_tree_set) {
        rcc_apply_clock_tree(s);
    }
    rcc_update_status(s);
    trace_stm32u5_rcc_reset(s->clock_tree_set);
}

static void stm32u5_rcc_init(Object *obj)
{
    STM32U5RCCState *s = STM32U5_RCC(obj);

    memory_region_init_io(&s->mmio, obj, &stm32u5_rcc_ops, s,
                          TYPE_STM32U5_RCC, STM32U5_RCC_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->mmio);
}

static const VMStateDescription vmstate_stm32u5_rcc = {
    .name = TYPE_STM32U5_RCC,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5RCCState, STM32U5_RCC_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_rcc_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 RCC (register file, secure-write-only)";
    dc->vmsd = &vmstate_stm32u5_rcc;
    rc->phases.hold = stm32u5_rcc_reset_hold;
}

static const TypeInfo stm32u5_rcc_info = {
    .name          = TYPE_STM32U5_RCC,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5RCCState),
    .instance_init = stm32u5_rcc_init,
    .class_init    = stm32u5_rcc_class_init,
};

static void stm32u5_rcc_register_types(void)
{
    type_register_static(&stm32u5_rcc_info);
}

type_init(stm32u5_rcc_register_types)
