/*
 * STM32U5 instruction cache (ICACHE) control registers (RM0456,
 * "Instruction cache").
 *
 * QEMU does not cache guest code the way the part does, so there is no
 * cache behind these registers: what is modelled is the control protocol
 * ST's HAL runs. CR.EN is stored. A cache invalidation (CR.CACHEINV
 * written 1, or CR.EN going from 1 to 0, which starts one on the part)
 * completes at once: BUSYF stays 0, BSYENDF is set and CACHEINV reads 0
 * again, so HAL_ICACHE_Invalidate and HAL_ICACHE_WaitForInvalidateComplete
 * return on their first poll. The invalidation the part runs after reset is
 * likewise over when the guest first looks (SR reads BSYENDF = 1). FCR
 * clears SR flags (write 1 to clear); the interrupt is BSYENDF & BSYENDIE
 * or ERRF & ERRIE. WAYSEL changes only while the cache is disabled, as on
 * the part. The remap regions CRR0-CRR3 hold what is written.
 *
 * Not modelled: the hit and miss monitors (HMONR/MMONR read 0; the enable
 * and reset bits are stored), region remapping (CRRx have no effect on
 * addresses), cache errors (ERRF is never set) and the identification
 * registers HWCFGR, VERR, IPIDR and SIDR (read 0 and log a guest error).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/irq.h"
#include "hw/register.h"
#include "stm32u5_regblock.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_icache.h"
#include "trace.h"

REG32(CR, 0x00)
    FIELD(CR, EN, 0, 1)
    FIELD(CR, CACHEINV, 1, 1)
    FIELD(CR, WAYSEL, 2, 1)
    FIELD(CR, HITMEN, 16, 1)
    FIELD(CR, MISSMEN, 17, 1)
    FIELD(CR, HITMRST, 18, 1)
    FIELD(CR, MISSMRST, 19, 1)
REG32(SR, 0x04)
    FIELD(SR, BUSYF, 0, 1)
    FIELD(SR, BSYENDF, 1, 1)
    FIELD(SR, ERRF, 2, 1)
REG32(IER, 0x08)
    FIELD(IER, BSYENDIE, 1, 1)
    FIELD(IER, ERRIE, 2, 1)
REG32(FCR, 0x0C)
    FIELD(FCR, CBSYENDF, 1, 1)
    FIELD(FCR, CERRF, 2, 1)
REG32(HMONR, 0x10)
REG32(MMONR, 0x14)
REG32(CRR0, 0x20)
REG32(CRR1, 0x24)
REG32(CRR2, 0x28)
REG32(CRR3, 0x2C)

#define CR_WMASK    (R_CR_EN_MASK | R_CR_CACHEINV_MASK | R_CR_WAYSEL_MASK | \
                     R_CR_HITMEN_MASK | R_CR_MISSMEN_MASK | \
                     R_CR_HITMRST_MASK | R_CR_MISSMRST_MASK)
#define IER_WMASK   (R_IER_BSYENDIE_MASK | R_IER_ERRIE_MASK)
#define FCR_WMASK   (R_FCR_CBSYENDF_MASK | R_FCR_CERRF_MASK)
/* BASEADDR, RSIZE, REN, REMAPADDR, MSTSEL, HBURST */
#define CRR_WMASK   0x97FF8EFFu
/* RM0456 reset value of CRRx: RSIZE = 1 (2 Mbytes) */
#define CRR_RESET   0x00000200u

static STM32U5ICacheState *icache_of(RegisterInfo *reg)
{
    return STM32U5_ICACHE(reg->opaque);
}

static void icache_update_irq(STM32U5ICacheState *s)
{
    uint32_t sr = s->regs[R_SR];
    uint32_t ier = s->regs[R_IER];

    qemu_set_irq(s->irq,
                 (FIELD_EX32(sr, SR, BSYENDF) &&
                  FIELD_EX32(ier, IER, BSYENDIE)) ||
                 (FIELD_EX32(sr, SR, ERRF) && FIELD_EX32(ier, IER, ERRIE)));
}

/* A full invalidation: it is over as soon as it starts. */
static void icache_invalidate(STM32U5ICacheState *s)
{
    trace_stm32u5_icache_invalidate(FIELD_EX32(s->regs[R_CR], CR, EN));
    s->regs[R_SR] = FIELD_DP32(s->regs[R_SR], SR, BUSYF, 0);
    s->regs[R_SR] = FIELD_DP32(s->regs[R_SR], SR, BSYENDF, 1);
    s->regs[R_CR] = FIELD_DP32(s->regs[R_CR], CR, CACHEINV, 0);
    icache_update_irq(s);
}

static uint64_t icache_cr_pre_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5ICacheState *s = icache_of(reg);
    uint32_t old = s->regs[R_CR];

    /* WAYSEL can change only while the cache is disabled. */
    if (FIELD_EX32(old, CR, EN) &&
        FIELD_EX32(val, CR, WAYSEL) != FIELD_EX32(old, CR, WAYSEL)) {
        qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-icache: ICACHE_CR.WAYSEL "
                      "written while the cache is enabled: ignored\n");
        val = FIELD_DP32(val, CR, WAYSEL, FIELD_EX32(old, CR, WAYSEL));
    }
    /* Disabling the cache starts an invalidation. */
    if (FIELD_EX32(old, CR, EN) && !FIELD_EX32(val, CR, EN)) {
        val = FIELD_DP32(val, CR, CACHEINV, 1);
    }
    return val;
}

static void icache_cr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5ICacheState *s = icache_of(reg);

    trace_stm32u5_icache_cr(s->regs[R_CR]);
    if (FIELD_EX32(s->regs[R_CR], CR, CACHEINV)) {
        icache_invalidate(s);
    }
}

static void icache_ier_post_write(RegisterInfo *reg, uint64_t val)
{
    icache_update_irq(icache_of(reg));
}

/* FCR is write-only: each 1 clears the matching SR flag. */
static void icache_fcr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5ICacheState *s = icache_of(reg);

    s->regs[R_SR] &= ~(val & FCR_WMASK);
    s->regs[R_FCR] = 0;
    icache_update_irq(s);
}

#define CRR_REG(n) { \
    .name = "CRR" #n, .addr = A_CRR##n, .reset = CRR_RESET, \
    .ro = ~(uint64_t)CRR_WMASK }

static const RegisterAccessInfo icache_regs_info[] = {
    {
        /* RM0456 reset value: 2-way set associative, disabled */
        .name = "CR", .addr = A_CR, .reset = R_CR_WAYSEL_MASK,
        .ro = ~(uint64_t)CR_WMASK,
        .pre_write = icache_cr_pre_write, .post_write = icache_cr_post_write,
    }, {
        /* The reset-time invalidation has ended (see above). */
        .name = "SR", .addr = A_SR, .reset = R_SR_BSYENDF_MASK,
        .ro = UINT64_MAX,
    }, {
        .name = "IER", .addr = A_IER, .ro = ~(uint64_t)IER_WMASK,
        .post_write = icache_ier_post_write,
    }, {
        .name = "FCR", .addr = A_FCR, .ro = ~(uint64_t)FCR_WMASK,
        .post_write = icache_fcr_post_write,
    }, {
        .name = "HMONR", .addr = A_HMONR, .ro = UINT64_MAX,
    }, {
        .name = "MMONR", .addr = A_MMONR, .ro = UINT64_MAX,
    },
    CRR_REG(0), CRR_REG(1), CRR_REG(2), CRR_REG(3),
};

static void stm32u5_icache_reset_hold(Object *obj, ResetType type)
{
    STM32U5ICacheState *s = STM32U5_ICACHE(obj);

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
}

static void stm32u5_icache_reset_exit(Object *obj, ResetType type)
{
    icache_update_irq(STM32U5_ICACHE(obj));
}

static void stm32u5_icache_init(Object *obj)
{
    STM32U5ICacheState *s = STM32U5_ICACHE(obj);

    s->reg_array = stm32u5_regblock_init(SYS_BUS_DEVICE(obj), icache_regs_info,
                                         ARRAY_SIZE(icache_regs_info),
                                         s->regs_info, s->regs,
                                         STM32U5_ICACHE_MMIO_SIZE);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
}

static void stm32u5_icache_finalize(Object *obj)
{
    register_finalize_block(STM32U5_ICACHE(obj)->reg_array);
}

static const VMStateDescription vmstate_stm32u5_icache = {
    .name = TYPE_STM32U5_ICACHE,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5ICacheState,
                             STM32U5_ICACHE_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_icache_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 instruction cache control (no cache model)";
    dc->vmsd = &vmstate_stm32u5_icache;
    rc->phases.hold = stm32u5_icache_reset_hold;
    rc->phases.exit = stm32u5_icache_reset_exit;
}

static const TypeInfo stm32u5_icache_info = {
    .name          = TYPE_STM32U5_ICACHE,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5ICacheState),
    .instance_init = stm32u5_icache_init,
    .instance_finalize = stm32u5_icache_finalize,
    .class_init    = stm32u5_icache_class_init,
};

static void stm32u5_icache_register_types(void)
{
    type_register_static(&stm32u5_icache_info);
}

type_init(stm32u5_icache_register_types)
