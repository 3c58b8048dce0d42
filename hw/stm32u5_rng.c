/*
 * STM32U5 true random number generator (RNG) (RM0456, "True random number
 * generator").
 *
 * What is modelled: the control sequence of ST's HAL (HAL_RNG_Init,
 * HAL_RNGEx_SetConfig, HAL_RNG_GenerateRandomNumber). The configuration
 * fields of CR (CED, ARDIS, RNG_CONFIG1-3, NISTC, CLKDIV) change only in a
 * write that has CONDRST set, and not at all once CONFIGLOCK is set
 * (set-only until reset; HTCR and NSCR are locked with them). Writing
 * CONDRST = 1 flushes the output; writing it back to 0 ends the
 * conditioning reset at once (CONDRST reads 0). While RNGEN is set and
 * CONDRST clear, a 32-bit value is always ready: SR.DRDY is set, reading
 * DR returns the value and readies the next one. The values come from
 * qemu_guest_getrandom_nofail(): the host's entropy, or, when QEMU runs
 * with -seed N, a deterministic sequence that repeats run to run. Reading
 * DR with DRDY clear returns 0; nothing ever blocks. The interrupt is
 * CR.IE & (DRDY | CEIS | SEIS). SR.CEIS and SEIS clear on writing 0.
 *
 * Not modelled: the noise source and its health tests. The clock never
 * fails and no seed error happens (CECS, SECS, CEIS and SEIS stay 0), so
 * CED, the RNG_CONFIGx/NISTC/CLKDIV values, HTCR and NSCR are stored with
 * no effect on the output, and there is no 4-word FIFO timing: a value is
 * ready at once. NSCR (noise source control, 0x0C) is in RM0456 but not in
 * the STM32U585 device header; it is kept as a plain register.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/guest-random.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/irq.h"
#include "hw/register.h"
#include "stm32u5_regblock.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_rng.h"
#include "trace.h"

REG32(CR, 0x00)
    FIELD(CR, RNGEN, 2, 1)
    FIELD(CR, IE, 3, 1)
    FIELD(CR, CED, 5, 1)
    FIELD(CR, ARDIS, 7, 1)
    FIELD(CR, RNG_CONFIG3, 8, 4)
    FIELD(CR, NISTC, 12, 1)
    FIELD(CR, RNG_CONFIG2, 13, 3)
    FIELD(CR, CLKDIV, 16, 4)
    FIELD(CR, RNG_CONFIG1, 20, 6)
    FIELD(CR, CONDRST, 30, 1)
    FIELD(CR, CONFIGLOCK, 31, 1)
REG32(SR, 0x04)
    FIELD(SR, DRDY, 0, 1)
    FIELD(SR, CECS, 1, 1)
    FIELD(SR, SECS, 2, 1)
    FIELD(SR, CEIS, 5, 1)
    FIELD(SR, SEIS, 6, 1)
REG32(DR, 0x08)
REG32(NSCR, 0x0C)
REG32(HTCR, 0x10)

/* The configuration fields, which CONDRST and CONFIGLOCK guard */
#define CR_CONFIG_MASK  (R_CR_CED_MASK | R_CR_ARDIS_MASK | \
                         R_CR_RNG_CONFIG3_MASK | R_CR_NISTC_MASK | \
                         R_CR_RNG_CONFIG2_MASK | R_CR_CLKDIV_MASK | \
                         R_CR_RNG_CONFIG1_MASK)
#define CR_WMASK        (CR_CONFIG_MASK | R_CR_RNGEN_MASK | R_CR_IE_MASK | \
                         R_CR_CONDRST_MASK | R_CR_CONFIGLOCK_MASK)
/* RM0456 reset value of CR: RNG_CONFIG1 = 0x08, RNG_CONFIG3 = 0xD */
#define CR_RESET        0x00800D00u
#define SR_RC_W0        (R_SR_CEIS_MASK | R_SR_SEIS_MASK)
#define NSCR_MASK       0x0003FFFFu   /* EN_OSC1-EN_OSC6, 3 bits each */

static STM32U5RngState *rng_of(RegisterInfo *reg)
{
    return STM32U5_RNG(reg->opaque);
}

static bool rng_running(STM32U5RngState *s)
{
    return FIELD_EX32(s->regs[R_CR], CR, RNGEN) &&
           !FIELD_EX32(s->regs[R_CR], CR, CONDRST);
}

static void rng_update_irq(STM32U5RngState *s)
{
    uint32_t sr = s->regs[R_SR];

    qemu_set_irq(s->irq, FIELD_EX32(s->regs[R_CR], CR, IE) &&
                         (sr & (R_SR_DRDY_MASK | SR_RC_W0)));
}

/* Make a fresh value ready in DR if the generator runs and none is. */
static void rng_refill(STM32U5RngState *s)
{
    if (rng_running(s) && !FIELD_EX32(s->regs[R_SR], SR, DRDY)) {
        qemu_guest_getrandom_nofail(&s->regs[R_DR], sizeof(s->regs[R_DR]));
        s->regs[R_SR] = FIELD_DP32(s->regs[R_SR], SR, DRDY, 1);
    }
}

static void rng_flush(STM32U5RngState *s)
{
    s->regs[R_DR] = 0;
    s->regs[R_SR] = FIELD_DP32(s->regs[R_SR], SR, DRDY, 0);
}

static uint64_t rng_cr_pre_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5RngState *s = rng_of(reg);
    uint32_t old = s->regs[R_CR];
    uint32_t keep = 0;

    if (FIELD_EX32(old, CR, CONFIGLOCK)) {
        keep = CR_CONFIG_MASK;
        val |= R_CR_CONFIGLOCK_MASK;    /* set-only until reset */
    } else if (!FIELD_EX32(val, CR, CONDRST)) {
        keep = CR_CONFIG_MASK;          /* taken only with CONDRST = 1 */
    }
    if ((val ^ old) & keep) {
        qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-rng: RNG_CR configuration "
                      "change 0x%08" PRIx64 " ignored (%s)\n", val,
                      FIELD_EX32(old, CR, CONFIGLOCK) ? "CONFIGLOCK is set" :
                      "CONDRST is not set in the same write");
    }
    return (val & ~keep) | (old & keep);
}

static void rng_cr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5RngState *s = rng_of(reg);

    if (FIELD_EX32(val, CR, CONDRST)) {
        rng_flush(s);               /* the conditioning logic restarts */
    }
    rng_refill(s);
    trace_stm32u5_rng_cr(s->regs[R_CR], s->regs[R_SR]);
    rng_update_irq(s);
}

/* CEIS and SEIS clear on writing 0; writing 1 keeps them (rc_w0). */
static uint64_t rng_sr_pre_write(RegisterInfo *reg, uint64_t val)
{
    return rng_of(reg)->regs[R_SR] & (val | ~(uint64_t)SR_RC_W0);
}

static void rng_sr_post_write(RegisterInfo *reg, uint64_t val)
{
    rng_update_irq(rng_of(reg));
}

static uint64_t rng_dr_post_read(RegisterInfo *reg, uint64_t val)
{
    STM32U5RngState *s = rng_of(reg);
    uint32_t value = 0;

    if (FIELD_EX32(s->regs[R_SR], SR, DRDY)) {
        value = s->regs[R_DR];
        rng_flush(s);
        rng_refill(s);
        rng_update_irq(s);
    }
    trace_stm32u5_rng_read(value, FIELD_EX32(s->regs[R_SR], SR, DRDY));
    return value;
}

/* HTCR and NSCR are locked with the configuration. */
static uint64_t rng_locked_pre_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5RngState *s = rng_of(reg);

    if (FIELD_EX32(s->regs[R_CR], CR, CONFIGLOCK)) {
        qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-rng: write to RNG_%s "
                      "ignored: CONFIGLOCK is set\n", reg->access->name);
        return *(uint32_t *)reg->data;
    }
    return val;
}

static const RegisterAccessInfo rng_regs_info[] = {
    {
        .name = "CR", .addr = A_CR, .reset = CR_RESET,
        .ro = ~(uint64_t)CR_WMASK,
        .pre_write = rng_cr_pre_write, .post_write = rng_cr_post_write,
    }, {
        .name = "SR", .addr = A_SR, .ro = ~(uint64_t)SR_RC_W0,
        .pre_write = rng_sr_pre_write, .post_write = rng_sr_post_write,
    }, {
        .name = "DR", .addr = A_DR, .ro = UINT64_MAX,
        .post_read = rng_dr_post_read,
    }, {
        .name = "NSCR", .addr = A_NSCR, .reset = NSCR_MASK,
        .ro = ~(uint64_t)NSCR_MASK, .pre_write = rng_locked_pre_write,
    }, {
        .name = "HTCR", .addr = A_HTCR, .pre_write = rng_locked_pre_write,
    },
};

static void stm32u5_rng_reset_hold(Object *obj, ResetType type)
{
    STM32U5RngState *s = STM32U5_RNG(obj);

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
}

static void stm32u5_rng_reset_exit(Object *obj, ResetType type)
{
    rng_update_irq(STM32U5_RNG(obj));
}

static void stm32u5_rng_init(Object *obj)
{
    STM32U5RngState *s = STM32U5_RNG(obj);

    s->reg_array = stm32u5_regblock_init(SYS_BUS_DEVICE(obj), rng_regs_info,
                                         ARRAY_SIZE(rng_regs_info),
                                         s->regs_info, s->regs,
                                         STM32U5_RNG_MMIO_SIZE);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
}

static void stm32u5_rng_finalize(Object *obj)
{
    register_finalize_block(STM32U5_RNG(obj)->reg_array);
}

static const VMStateDescription vmstate_stm32u5_rng = {
    .name = TYPE_STM32U5_RNG,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5RngState, STM32U5_RNG_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_rng_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 random number generator (RNG)";
    dc->vmsd = &vmstate_stm32u5_rng;
    rc->phases.hold = stm32u5_rng_reset_hold;
    rc->phases.exit = stm32u5_rng_reset_exit;
}

static const TypeInfo stm32u5_rng_info = {
    .name          = TYPE_STM32U5_RNG,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5RngState),
    .instance_init = stm32u5_rng_init,
    .instance_finalize = stm32u5_rng_finalize,
    .class_init    = stm32u5_rng_class_init,
};

static void stm32u5_rng_register_types(void)
{
    type_register_static(&stm32u5_rng_info);
}

type_init(stm32u5_rng_register_types)
