/*
 * STM32U5 system configuration controller (SYSCFG) (RM0456, "System
 * configuration controller"). On the U5 the EXTI port selection lives in
 * EXTI (EXTI_EXTICRx), not here, and there is no SRAM2 erase/write
 * protection block (SCSR, SKR, SWPR: those are L4/G4 registers; RAMCFG has
 * that role on the U5), so those offsets read 0 and log a guest error.
 *
 * What is modelled: the registers of syscfg.md with their RM0456 reset
 * values and writable bits. The lock registers (CNSLCKR, CSLCKR) and the
 * CFGR2 error-link locks are set-only until reset. SECCFGR and CSLCKR
 * change only from Secure code. MESR's flags clear on writing 1. The I/O
 * compensation cells settle at once: CCCSR.RDY1/RDY2 read 1 while
 * EN1/EN2 are set, and CCVR then holds the cell's codes.
 *
 * Not modelled: what the bits act on. Locking the VTOR/MPU/SAU registers
 * (CNSLCKR, CSLCKR) does not stop the CPU model changing them, the FPU
 * exception interrupt mask (FPUIMR) does not gate the FPU IRQ (95, not
 * raised here), CFGR1 (I2C Fm+ drive, analog switch booster), the error
 * links of CFGR2, the erase of SRAM2/PKA/... behind MESR and RSSCMDR, and
 * SECCFGR/privilege filtering of the other registers. The compensation
 * codes in CCVR are a fixed mid-scale value, not a measurement.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/register.h"
#include "stm32u5_regblock.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_syscfg.h"
#include "trace.h"

REG32(SECCFGR, 0x00)
REG32(CFGR1, 0x04)
REG32(FPUIMR, 0x08)
REG32(CNSLCKR, 0x0C)
REG32(CSLCKR, 0x10)
REG32(CFGR2, 0x14)
REG32(MESR, 0x18)
    FIELD(MESR, MCLR, 0, 1)
    FIELD(MESR, IPMEE, 16, 1)
REG32(CCCSR, 0x1C)
    FIELD(CCCSR, EN1, 0, 1)
    FIELD(CCCSR, CS1, 1, 1)
    FIELD(CCCSR, EN2, 2, 1)
    FIELD(CCCSR, CS2, 3, 1)
    FIELD(CCCSR, RDY1, 8, 1)
    FIELD(CCCSR, RDY2, 9, 1)
REG32(CCVR, 0x20)
    FIELD(CCVR, NCV1, 0, 4)
    FIELD(CCVR, PCV1, 4, 4)
    FIELD(CCVR, NCV2, 8, 4)
    FIELD(CCVR, PCV2, 12, 4)
REG32(CCCR, 0x24)
REG32(RSSCMDR, 0x2C)
REG32(UCPD, 0x70)

#define SECCFGR_WMASK   0x0000000Bu   /* SYSCFGSEC, CLASSBSEC, FPUSEC */
#define CFGR1_WMASK     0x000F0300u   /* BOOSTEN, ANASWVDD, PB6-PB9_FMP */
#define CCCSR_WMASK     (R_CCCSR_EN1_MASK | R_CCCSR_CS1_MASK | \
                         R_CCCSR_EN2_MASK | R_CCCSR_CS2_MASK)
#define MESR_W1C        (R_MESR_MCLR_MASK | R_MESR_IPMEE_MASK)
/* The codes a settled cell reports (4-bit NMOS/PMOS codes, mid-scale) */
#define CCVR_CELL_CODE  0x7u

static STM32U5SyscfgState *syscfg_of(RegisterInfo *reg)
{
    return STM32U5_SYSCFG(reg->opaque);
}

/* Lock bits: once set they stay set until reset. */
static uint64_t syscfg_set_only_pre_write(RegisterInfo *reg, uint64_t val)
{
    return val | *(uint32_t *)reg->data;
}

/* A compensation cell is ready as soon as it is enabled. */
static void syscfg_cccsr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5SyscfgState *s = syscfg_of(reg);
    uint32_t cccsr = s->regs[R_CCCSR];
    bool en1 = FIELD_EX32(cccsr, CCCSR, EN1);
    bool en2 = FIELD_EX32(cccsr, CCCSR, EN2);

    cccsr = FIELD_DP32(cccsr, CCCSR, RDY1, en1);
    cccsr = FIELD_DP32(cccsr, CCCSR, RDY2, en2);
    s->regs[R_CCCSR] = cccsr;
    if (en1) {
        s->regs[R_CCVR] = FIELD_DP32(s->regs[R_CCVR], CCVR, NCV1,
                                     CCVR_CELL_CODE);
        s->regs[R_CCVR] = FIELD_DP32(s->regs[R_CCVR], CCVR, PCV1,
                                     CCVR_CELL_CODE);
    }
    if (en2) {
        s->regs[R_CCVR] = FIELD_DP32(s->regs[R_CCVR], CCVR, NCV2,
                                     CCVR_CELL_CODE);
        s->regs[R_CCVR] = FIELD_DP32(s->regs[R_CCVR], CCVR, PCV2,
                                     CCVR_CELL_CODE);
    }
    trace_stm32u5_syscfg_compensation(cccsr, s->regs[R_CCVR]);
}

static const RegisterAccessInfo syscfg_regs_info[] = {
    {
        .name = "SECCFGR", .addr = A_SECCFGR, .ro = ~(uint64_t)SECCFGR_WMASK,
    }, {
        .name = "CFGR1", .addr = A_CFGR1, .ro = ~(uint64_t)CFGR1_WMASK,
    }, {
        /* RM0456 reset value: all FPU exception interrupts enabled */
        .name = "FPUIMR", .addr = A_FPUIMR, .reset = 0x1F, .ro = ~0x3Full,
    }, {
        .name = "CNSLCKR", .addr = A_CNSLCKR, .ro = ~0x3ull,
        .pre_write = syscfg_set_only_pre_write,
    }, {
        .name = "CSLCKR", .addr = A_CSLCKR, .ro = ~0x7ull,
        .pre_write = syscfg_set_only_pre_write,
    }, {
        .name = "CFGR2", .addr = A_CFGR2, .ro = ~0xFull,
        .pre_write = syscfg_set_only_pre_write,
    }, {
        .name = "MESR", .addr = A_MESR, .ro = ~(uint64_t)MESR_W1C,
        .w1c = MESR_W1C,
    }, {
        /* RM0456 reset value: cells off, codes from CCCR selected */
        .name = "CCCSR", .addr = A_CCCSR,
        .reset = R_CCCSR_CS1_MASK | R_CCCSR_CS2_MASK,
        .ro = ~(uint64_t)CCCSR_WMASK,
        .post_write = syscfg_cccsr_post_write,
    }, {
        .name = "CCVR", .addr = A_CCVR, .ro = UINT64_MAX,
    }, {
        .name = "CCCR", .addr = A_CCCR, .reset = 0x7878, .ro = ~0xFFFFull,
    }, {
        .name = "RSSCMDR", .addr = A_RSSCMDR, .ro = ~0xFFFFull,
    }, {
        .name = "UCPD", .addr = A_UCPD, .ro = ~0x3ull,
    },
};

static MemTxResult syscfg_read(void *opaque, hwaddr offset, uint64_t *data,
                               unsigned size, MemTxAttrs attrs)
{
    *data = register_read_memory(opaque, offset, size);
    return MEMTX_OK;
}

/* SECCFGR and CSLCKR can be written only by Secure code. */
static MemTxResult syscfg_write(void *opaque, hwaddr offset, uint64_t data,
                                unsigned size, MemTxAttrs attrs)
{
    trace_stm32u5_syscfg_write(offset, data, attrs.secure);
    if (!attrs.secure && (offset == A_SECCFGR || offset == A_CSLCKR)) {
        qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-syscfg: Non-secure write of "
                      "0x%08" PRIx64 " to SYSCFG_%s ignored\n", data,
                      offset == A_SECCFGR ? "SECCFGR" : "CSLCKR");
        return MEMTX_OK;
    }
    register_write_memory(opaque, offset, data, size);
    return MEMTX_OK;
}

static const MemoryRegionOps syscfg_ops = {
    .read_with_attrs = syscfg_read,
    .write_with_attrs = syscfg_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void stm32u5_syscfg_reset_hold(Object *obj, ResetType type)
{
    STM32U5SyscfgState *s = STM32U5_SYSCFG(obj);

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
}

static void stm32u5_syscfg_init(Object *obj)
{
    STM32U5SyscfgState *s = STM32U5_SYSCFG(obj);

    s->reg_array = register_init_block32(DEVICE(obj), syscfg_regs_info,
                                         ARRAY_SIZE(syscfg_regs_info),
                                         s->regs_info, s->regs, &syscfg_ops,
                                         false, STM32U5_SYSCFG_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->reg_array->mem);
}

static void stm32u5_syscfg_finalize(Object *obj)
{
    register_finalize_block(STM32U5_SYSCFG(obj)->reg_array);
}

static const VMStateDescription vmstate_stm32u5_syscfg = {
    .name = TYPE_STM32U5_SYSCFG,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5SyscfgState,
                             STM32U5_SYSCFG_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_syscfg_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 system configuration controller (SYSCFG)";
    dc->vmsd = &vmstate_stm32u5_syscfg;
    rc->phases.hold = stm32u5_syscfg_reset_hold;
}

static const TypeInfo stm32u5_syscfg_info = {
    .name          = TYPE_STM32U5_SYSCFG,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5SyscfgState),
    .instance_init = stm32u5_syscfg_init,
    .instance_finalize = stm32u5_syscfg_finalize,
    .class_init    = stm32u5_syscfg_class_init,
};

static void stm32u5_syscfg_register_types(void)
{
    type_register_static(&stm32u5_syscfg_info);
}

type_init(stm32u5_syscfg_register_types)
