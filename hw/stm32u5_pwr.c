/*
 * STM32U5 power control (PWR): the registers ST's HAL programs while it
 * starts (RM0456, "Power control").
 *
 * What is modelled: voltage scaling, the booster (EPOD) and the regulator
 * choice take effect at once. Writing VOSR.VOS/BOOSTEN leaves VOSRDY set,
 * BOOSTRDY following BOOSTEN, and SVMSR reporting the new range
 * (ACTVOS = VOS, ACTVOSRDY = 1) and regulator (REGS = CR3.REGSEL), so the
 * polling loops of HAL_PWREx_ControlVoltageScaling and
 * HAL_PWREx_ConfigSupply end on their first read. The supplies are all
 * present: SVMSR.VDDUSBRDY/VDDIO2RDY/VDDA1RDY/VDDA2RDY read 1 while their
 * monitor (SVMCR.UVMEN/IO2VMEN/AVM1EN/AVM2EN) is on; PVDO reads 0 (VDD is
 * above every threshold). The configuration registers (CR1-CR3, SVMCR,
 * wakeup, backup domain with DBPR.DBP, UCPDR, APCR and the pull-up/down
 * registers) hold what is written in their defined bits. SECCFGR and
 * PRIVCFGR.SPRIV change only from Secure code.
 *
 * Not modelled: low-power modes (CR1.LPMS is stored, WFI does not stop),
 * wakeup pins and flags (SR, WUSR stay 0; SR.CSSF and WUSCR accept writes
 * and have nothing to clear), SRAM power-down and retention (stored, no
 * effect), the PVD/PVM interrupt (PVD_PVM, IRQ 1, is never raised: no
 * voltage ever drops), VBAT charging and backup-domain monitoring (BDSR
 * reads 0), and the standby pull configuration (stored only). DBPR.DBP is
 * stored but does not gate writes to the RTC/TAMP/backup registers.
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
#include "stm32u5_pwr.h"
#include "trace.h"

REG32(CR1, 0x000)
REG32(CR2, 0x004)
REG32(CR3, 0x008)
    FIELD(CR3, REGSEL, 1, 1)
    FIELD(CR3, FSTEN, 2, 1)
REG32(VOSR, 0x00C)
    FIELD(VOSR, BOOSTRDY, 14, 1)
    FIELD(VOSR, VOSRDY, 15, 1)
    FIELD(VOSR, VOS, 16, 2)
    FIELD(VOSR, BOOSTEN, 18, 1)
REG32(SVMCR, 0x010)
    FIELD(SVMCR, PVDE, 4, 1)
    FIELD(SVMCR, PVDLS, 5, 3)
    FIELD(SVMCR, UVMEN, 24, 1)
    FIELD(SVMCR, IO2VMEN, 25, 1)
    FIELD(SVMCR, AVM1EN, 26, 1)
    FIELD(SVMCR, AVM2EN, 27, 1)
    FIELD(SVMCR, USV, 28, 1)
    FIELD(SVMCR, IO2SV, 29, 1)
    FIELD(SVMCR, ASV, 30, 1)
REG32(WUCR1, 0x014)
REG32(WUCR2, 0x018)
REG32(WUCR3, 0x01C)
REG32(BDCR1, 0x020)
REG32(BDCR2, 0x024)
REG32(DBPR, 0x028)
    FIELD(DBPR, DBP, 0, 1)
REG32(UCPDR, 0x02C)
REG32(SECCFGR, 0x030)
REG32(PRIVCFGR, 0x034)
    FIELD(PRIVCFGR, SPRIV, 0, 1)
    FIELD(PRIVCFGR, NSPRIV, 1, 1)
REG32(SR, 0x038)
REG32(SVMSR, 0x03C)
    FIELD(SVMSR, REGS, 1, 1)
    FIELD(SVMSR, PVDO, 4, 1)
    FIELD(SVMSR, ACTVOSRDY, 15, 1)
    FIELD(SVMSR, ACTVOS, 16, 2)
    FIELD(SVMSR, VDDUSBRDY, 24, 1)
    FIELD(SVMSR, VDDIO2RDY, 25, 1)
    FIELD(SVMSR, VDDA1RDY, 26, 1)
    FIELD(SVMSR, VDDA2RDY, 27, 1)
REG32(BDSR, 0x040)
REG32(WUSR, 0x044)
REG32(WUSCR, 0x048)
REG32(APCR, 0x04C)
REG32(PUCRA, 0x050)
REG32(PDCRA, 0x054)
REG32(PUCRB, 0x058)
REG32(PDCRB, 0x05C)
REG32(PUCRC, 0x060)
REG32(PDCRC, 0x064)
REG32(PUCRD, 0x068)
REG32(PDCRD, 0x06C)
REG32(PUCRE, 0x070)
REG32(PDCRE, 0x074)
REG32(PUCRF, 0x078)
REG32(PDCRF, 0x07C)
REG32(PUCRG, 0x080)
REG32(PDCRG, 0x084)
REG32(PUCRH, 0x088)
REG32(PDCRH, 0x08C)
REG32(PUCRI, 0x090)
REG32(PDCRI, 0x094)

/* Writable bits of each register (pwr.md) */
#define CR1_WMASK       0x00000FE7u   /* LPMS, RRSB1/2, ULPMEN, SRAMxPD */
#define CR2_WMASK       0x80FF7F77u
#define CR3_WMASK       (R_CR3_REGSEL_MASK | R_CR3_FSTEN_MASK)
#define VOSR_WMASK      (R_VOSR_VOS_MASK | R_VOSR_BOOSTEN_MASK)
#define SVMCR_WMASK     0x7F0000F0u
#define SECCFGR_WMASK   0x0000F0FFu
#define PRIVCFGR_WMASK  (R_PRIVCFGR_SPRIV_MASK | R_PRIVCFGR_NSPRIV_MASK)

/* SVMSR's supply-ready bits follow the monitor enables in SVMCR. */
#define SVMCR_MONITORS  (R_SVMCR_UVMEN_MASK | R_SVMCR_IO2VMEN_MASK | \
                         R_SVMCR_AVM1EN_MASK | R_SVMCR_AVM2EN_MASK)

static STM32U5PwrState *pwr_of(RegisterInfo *reg)
{
    return STM32U5_PWR(reg->opaque);
}

/* Bring the ready flags in line with the controls: everything is instant. */
static void pwr_update_status(STM32U5PwrState *s)
{
    uint32_t vosr = s->regs[R_VOSR];
    uint32_t vos = FIELD_EX32(vosr, VOSR, VOS);
    uint32_t svmsr = 0;

    vosr = FIELD_DP32(vosr, VOSR, VOSRDY, 1);
    vosr = FIELD_DP32(vosr, VOSR, BOOSTRDY,
                      FIELD_EX32(vosr, VOSR, BOOSTEN));
    s->regs[R_VOSR] = vosr;

    svmsr = FIELD_DP32(svmsr, SVMSR, REGS,
                       FIELD_EX32(s->regs[R_CR3], CR3, REGSEL));
    svmsr = FIELD_DP32(svmsr, SVMSR, ACTVOSRDY, 1);
    svmsr = FIELD_DP32(svmsr, SVMSR, ACTVOS, vos);
    /* UVMEN..AVM2EN (bits 24-27) line up with VDDUSBRDY..VDDA2RDY. */
    svmsr |= s->regs[R_SVMCR] & SVMCR_MONITORS;
    s->regs[R_SVMSR] = svmsr;
}

static void pwr_status_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5PwrState *s = pwr_of(reg);

    pwr_update_status(s);
    trace_stm32u5_pwr_status(FIELD_EX32(s->regs[R_VOSR], VOSR, VOS),
                             FIELD_EX32(s->regs[R_VOSR], VOSR, BOOSTEN),
                             FIELD_EX32(s->regs[R_CR3], CR3, REGSEL),
                             s->regs[R_SVMSR]);
}

#define PWR_REG(reg, wmask) { \
    .name = #reg, .addr = A_##reg, .ro = ~(uint64_t)(wmask) }

static const RegisterAccessInfo pwr_regs_info[] = {
    PWR_REG(CR1, CR1_WMASK),
    PWR_REG(CR2, CR2_WMASK),
    {
        .name = "CR3", .addr = A_CR3, .ro = ~(uint64_t)CR3_WMASK,
        .post_write = pwr_status_post_write,
    }, {
        /* RM0456 reset value: range 4, VOSRDY set */
        .name = "VOSR", .addr = A_VOSR, .reset = R_VOSR_VOSRDY_MASK,
        .ro = ~(uint64_t)VOSR_WMASK,
        .post_write = pwr_status_post_write,
    }, {
        .name = "SVMCR", .addr = A_SVMCR, .ro = ~(uint64_t)SVMCR_WMASK,
        .post_write = pwr_status_post_write,
    },
    PWR_REG(WUCR1, 0xFF),
    PWR_REG(WUCR2, 0xFF),
    PWR_REG(WUCR3, 0xFFFF),
    PWR_REG(BDCR1, 0x11),
    PWR_REG(BDCR2, 0x3),
    PWR_REG(DBPR, R_DBPR_DBP_MASK),
    PWR_REG(UCPDR, 0x3),
    PWR_REG(SECCFGR, SECCFGR_WMASK),
    PWR_REG(PRIVCFGR, PRIVCFGR_WMASK),
    /* No low-power mode is ever entered: STOPF/SBF stay 0, CSSF reads 0. */
    PWR_REG(SR, 0),
    {
        .name = "SVMSR", .addr = A_SVMSR, .ro = UINT64_MAX,
        .reset = R_SVMSR_ACTVOSRDY_MASK,
    },
    PWR_REG(BDSR, 0),
    PWR_REG(WUSR, 0),
    PWR_REG(WUSCR, 0),
    PWR_REG(APCR, 0x1),
    PWR_REG(PUCRA, 0xBFFF),
    PWR_REG(PDCRA, 0x5FFF),
    PWR_REG(PUCRB, 0xFFFF),
    PWR_REG(PDCRB, 0xFFEF),
    PWR_REG(PUCRC, 0xFFFF),
    PWR_REG(PDCRC, 0xFFFF),
    PWR_REG(PUCRD, 0xFFFF),
    PWR_REG(PDCRD, 0xFFFF),
    PWR_REG(PUCRE, 0xFFFF),
    PWR_REG(PDCRE, 0xFFFF),
    PWR_REG(PUCRF, 0xFFFF),
    PWR_REG(PDCRF, 0xFFFF),
    PWR_REG(PUCRG, 0xFFFF),
    PWR_REG(PDCRG, 0xFFFF),
    PWR_REG(PUCRH, 0xFFFF),
    PWR_REG(PDCRH, 0xFFFF),
    PWR_REG(PUCRI, 0xFF),
    PWR_REG(PDCRI, 0xFF),
};

static MemTxResult pwr_read(void *opaque, hwaddr offset, uint64_t *data,
                            unsigned size, MemTxAttrs attrs)
{
    *data = register_read_memory(opaque, offset, size);
    return MEMTX_OK;
}

/*
 * SECCFGR and PRIVCFGR.SPRIV are Secure-only: a Non-secure write leaves
 * them as they are (RM0456: the write is ignored).
 */
static MemTxResult pwr_write(void *opaque, hwaddr offset, uint64_t data,
                             unsigned size, MemTxAttrs attrs)
{
    RegisterInfoArray *array = opaque;
    STM32U5PwrState *s = STM32U5_PWR(array->r[0]->opaque);

    trace_stm32u5_pwr_write(offset, data, attrs.secure);
    if (!attrs.secure && offset == A_SECCFGR) {
        qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-pwr: Non-secure write of "
                      "0x%08" PRIx64 " to PWR_SECCFGR ignored\n", data);
        return MEMTX_OK;
    }
    if (!attrs.secure && offset == A_PRIVCFGR) {
        data = (data & ~R_PRIVCFGR_SPRIV_MASK) |
               (s->regs[R_PRIVCFGR] & R_PRIVCFGR_SPRIV_MASK);
    }
    register_write_memory(opaque, offset, data, size);
    return MEMTX_OK;
}

static const MemoryRegionOps pwr_ops = {
    .read_with_attrs = pwr_read,
    .write_with_attrs = pwr_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void stm32u5_pwr_reset_hold(Object *obj, ResetType type)
{
    STM32U5PwrState *s = STM32U5_PWR(obj);

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
    s->regs[R_VOSR] = FIELD_DP32(s->regs[R_VOSR], VOSR, VOS, s->reset_vos);
    s->regs[R_VOSR] = FIELD_DP32(s->regs[R_VOSR], VOSR, BOOSTEN,
                                 s->reset_boost);
    pwr_update_status(s);
}

static void stm32u5_pwr_init(Object *obj)
{
    STM32U5PwrState *s = STM32U5_PWR(obj);

    s->reg_array = register_init_block32(DEVICE(obj), pwr_regs_info,
                                         ARRAY_SIZE(pwr_regs_info),
                                         s->regs_info, s->regs, &pwr_ops,
                                         false, STM32U5_PWR_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->reg_array->mem);
}

static void stm32u5_pwr_finalize(Object *obj)
{
    register_finalize_block(STM32U5_PWR(obj)->reg_array);
}

static void stm32u5_pwr_realize(DeviceState *dev, Error **errp)
{
    STM32U5PwrState *s = STM32U5_PWR(dev);

    if (s->reset_vos > R_VOSR_VOS_MASK >> R_VOSR_VOS_SHIFT) {
        error_setg(errp, "stm32u5-pwr: vos %" PRIu32 " is out of range "
                   "(0 = range 4 .. 3 = range 1)", s->reset_vos);
    }
}

static const Property stm32u5_pwr_properties[] = {
    DEFINE_PROP_UINT32("vos", STM32U5PwrState, reset_vos, 0),
    DEFINE_PROP_BOOL("boost", STM32U5PwrState, reset_boost, false),
};

static const VMStateDescription vmstate_stm32u5_pwr = {
    .name = TYPE_STM32U5_PWR,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5PwrState, STM32U5_PWR_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_pwr_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 power control (PWR)";
    dc->realize = stm32u5_pwr_realize;
    dc->vmsd = &vmstate_stm32u5_pwr;
    device_class_set_props(dc, stm32u5_pwr_properties);
    rc->phases.hold = stm32u5_pwr_reset_hold;
}

static const TypeInfo stm32u5_pwr_info = {
    .name          = TYPE_STM32U5_PWR,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5PwrState),
    .instance_init = stm32u5_pwr_init,
    .instance_finalize = stm32u5_pwr_finalize,
    .class_init    = stm32u5_pwr_class_init,
};

static void stm32u5_pwr_register_types(void)
{
    type_register_static(&stm32u5_pwr_info);
}

type_init(stm32u5_pwr_register_types)
