/*
 * STM32U5 embedded flash memory interface registers (FLASH_R block)
 *
 * A register file on QEMU's register API, with no flash programming or
 * option byte model yet. Reads return the table values from either
 * security state. The one accepted write is FLASH_ACR (wait states,
 * prefetch and the low-power bits); from Non-secure code only LATENCY and
 * PRFTEN may change. Every other write is logged as a guest error and
 * ignored, which also keeps NSCR/SECCR locked and the status registers
 * idle (BSY = 0), so polling loops end.
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
#include "stm32u5_flash_if.h"
#include "trace.h"

REG32(ACR, 0x000)
    FIELD(ACR, LATENCY, 0, 4)
    FIELD(ACR, PRFTEN, 8, 1)
    FIELD(ACR, LPM, 11, 1)
    FIELD(ACR, SLEEP_PD, 14, 1)
REG32(NSKEYR, 0x008)
REG32(SECKEYR, 0x00C)
REG32(OPTKEYR, 0x010)
REG32(PDKEY1R, 0x018)
REG32(PDKEY2R, 0x01C)
REG32(NSSR, 0x020)
REG32(SECSR, 0x024)
REG32(NSCR, 0x028)
REG32(SECCR, 0x02C)
REG32(ECCR, 0x030)
REG32(OPSR, 0x034)
REG32(OPTR, 0x040)
REG32(NSBOOTADD0R, 0x044)
REG32(NSBOOTADD1R, 0x048)
REG32(SECBOOTADD0R, 0x04C)
REG32(SECWM1R1, 0x050)
REG32(SECWM1R2, 0x054)
REG32(WRP1AR, 0x058)
REG32(WRP1BR, 0x05C)
REG32(SECWM2R1, 0x060)
REG32(SECWM2R2, 0x064)
REG32(WRP2AR, 0x068)
REG32(WRP2BR, 0x06C)
REG32(OEM1KEYR1, 0x070)
REG32(OEM1KEYR2, 0x074)
REG32(OEM2KEYR1, 0x078)
REG32(OEM2KEYR2, 0x07C)
REG32(SECBB1R1, 0x080)
REG32(SECBB1R2, 0x084)
REG32(SECBB1R3, 0x088)
REG32(SECBB1R4, 0x08C)
REG32(SECBB2R1, 0x0A0)
REG32(SECBB2R2, 0x0A4)
REG32(SECBB2R3, 0x0A8)
REG32(SECBB2R4, 0x0AC)
REG32(SECHDPCR, 0x0C0)
REG32(PRIVCFGR, 0x0C4)
REG32(PRIVBB1R1, 0x0D0)
REG32(PRIVBB1R2, 0x0D4)
REG32(PRIVBB1R3, 0x0D8)
REG32(PRIVBB1R4, 0x0DC)
REG32(PRIVBB2R1, 0x0F0)
REG32(PRIVBB2R2, 0x0F4)
REG32(PRIVBB2R3, 0x0F8)
REG32(PRIVBB2R4, 0x0FC)

/* ACR bits Non-secure code may change */
#define ACR_NS_WMASK    (R_ACR_LATENCY_MASK | R_ACR_PRFTEN_MASK)

static uint64_t flash_unmodelled_pre_write(RegisterInfo *reg, uint64_t val)
{
    qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-flash-if: write to FLASH_%s "
                  "ignored (flash programming and option bytes are not "
                  "modelled)\n", reg->access->name);
    return val;
}

#define FLASH_RO_REG(reg, rst) { \
    .name = #reg, .addr = A_##reg, .reset = (rst), .ro = UINT64_MAX, \
    .pre_write = flash_unmodelled_pre_write }

/*
 * Every register of flash.md except the RESERVED slots.
 *
 * Control and status values are RM0456 reset values: NSCR has LOCK and
 * OPTLOCK set, SECCR has LOCK set, status registers are idle; key
 * registers are write-only and read 0. The option registers are loaded
 * from option bytes on hardware; here they hold the factory defaults
 * (OPTR 0x1FEFF8AA: RDP level 0, dual bank, boot from flash) except:
 * - OPTR.TZEN = 1 (0x9FEFF8AA), as Microvisor runs with TrustZone on;
 * - the watermarks describe Microvisor's layout: bank 1 (the application
 *   at 0x08000000, 1 MiB) Non-secure, bank 2 Secure (Microvisor).
 *   SECWMx_PSTRT > SECWMx_PEND means "no secure area"; the same encoding
 *   disables the WRP areas.
 * Reserved bits of option registers read as 0 here. ACR's reset value is
 * replaced by the "latency" property at reset.
 */
static const RegisterAccessInfo flash_regs_info[] = {
    {
        .name = "ACR", .addr = A_ACR, .reset = 0,
        .ro = ~(uint64_t)(R_ACR_LATENCY_MASK | R_ACR_PRFTEN_MASK |
                          R_ACR_LPM_MASK | R_ACR_SLEEP_PD_MASK),
    },
    FLASH_RO_REG(NSKEYR,       0x00000000),
    FLASH_RO_REG(SECKEYR,      0x00000000),
    FLASH_RO_REG(OPTKEYR,      0x00000000),
    FLASH_RO_REG(PDKEY1R,      0x00000000),
    FLASH_RO_REG(PDKEY2R,      0x00000000),
    FLASH_RO_REG(NSSR,         0x00000000),
    FLASH_RO_REG(SECSR,        0x00000000),
    FLASH_RO_REG(NSCR,         0xC0000000),
    FLASH_RO_REG(SECCR,        0x80000000),
    FLASH_RO_REG(ECCR,         0x00000000),
    FLASH_RO_REG(OPSR,         0x00000000),
    FLASH_RO_REG(OPTR,         0x9FEFF8AA),
    FLASH_RO_REG(NSBOOTADD0R,  0x08000000),
    FLASH_RO_REG(NSBOOTADD1R,  0x0BF90000),
    FLASH_RO_REG(SECBOOTADD0R, 0x0C000000),
    FLASH_RO_REG(SECWM1R1,     0x0000007F),
    FLASH_RO_REG(SECWM1R2,     0x00000000),
    FLASH_RO_REG(WRP1AR,       0x0000007F),
    FLASH_RO_REG(WRP1BR,       0x0000007F),
    FLASH_RO_REG(SECWM2R1,     0x007F0000),
    FLASH_RO_REG(SECWM2R2,     0x00000000),
    FLASH_RO_REG(WRP2AR,       0x0000007F),
    FLASH_RO_REG(WRP2BR,       0x0000007F),
    FLASH_RO_REG(OEM1KEYR1,    0x00000000),
    FLASH_RO_REG(OEM1KEYR2,    0x00000000),
    FLASH_RO_REG(OEM2KEYR1,    0x00000000),
    FLASH_RO_REG(OEM2KEYR2,    0x00000000),
    FLASH_RO_REG(SECBB1R1,     0x00000000),
    FLASH_RO_REG(SECBB1R2,     0x00000000),
    FLASH_RO_REG(SECBB1R3,     0x00000000),
    FLASH_RO_REG(SECBB1R4,     0x00000000),
    FLASH_RO_REG(SECBB2R1,     0x00000000),
    FLASH_RO_REG(SECBB2R2,     0x00000000),
    FLASH_RO_REG(SECBB2R3,     0x00000000),
    FLASH_RO_REG(SECBB2R4,     0x00000000),
    FLASH_RO_REG(SECHDPCR,     0x00000000),
    FLASH_RO_REG(PRIVCFGR,     0x00000000),
    FLASH_RO_REG(PRIVBB1R1,    0x00000000),
    FLASH_RO_REG(PRIVBB1R2,    0x00000000),
    FLASH_RO_REG(PRIVBB1R3,    0x00000000),
    FLASH_RO_REG(PRIVBB1R4,    0x00000000),
    FLASH_RO_REG(PRIVBB2R1,    0x00000000),
    FLASH_RO_REG(PRIVBB2R2,    0x00000000),
    FLASH_RO_REG(PRIVBB2R3,    0x00000000),
    FLASH_RO_REG(PRIVBB2R4,    0x00000000),
};

static MemTxResult flash_if_read(void *opaque, hwaddr offset, uint64_t *data,
                                 unsigned size, MemTxAttrs attrs)
{
    *data = register_read_memory(opaque, offset, size);
    return MEMTX_OK;
}

static MemTxResult flash_if_write(void *opaque, hwaddr offset, uint64_t data,
                                  unsigned size, MemTxAttrs attrs)
{
    RegisterInfoArray *array = opaque;
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(array->r[0]->opaque);

    trace_stm32u5_flash_if_write(offset, data, attrs.secure);
    if (!attrs.secure && offset == A_ACR) {
        uint32_t old = s->regs[R_ACR];

        if ((data ^ old) & (R_ACR_LPM_MASK | R_ACR_SLEEP_PD_MASK)) {
            qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-flash-if: Non-secure "
                          "write of 0x%08" PRIx64 " to FLASH_ACR: only bits "
                          "0x%08x may change\n", data, ACR_NS_WMASK);
        }
        data = (old & ~ACR_NS_WMASK) | (data & ACR_NS_WMASK);
    }
    register_write_memory(opaque, offset, data, size);
    return MEMTX_OK;
}

static const MemoryRegionOps flash_if_ops = {
    .read_with_attrs = flash_if_read,
    .write_with_attrs = flash_if_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void stm32u5_flash_if_reset_hold(Object *obj, ResetType type)
{
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(obj);

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
    s->regs[R_ACR] = FIELD_DP32(s->regs[R_ACR], ACR, LATENCY, s->latency);
    trace_stm32u5_flash_if_reset(s->latency);
}

static void stm32u5_flash_if_init(Object *obj)
{
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(obj);

    s->reg_array = register_init_block32(DEVICE(obj), flash_regs_info,
                                         ARRAY_SIZE(flash_regs_info),
                                         s->regs_info, s->regs, &flash_if_ops,
                                         false, STM32U5_FLASH_IF_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->reg_array->mem);
}

static void stm32u5_flash_if_finalize(Object *obj)
{
    register_finalize_block(STM32U5_FLASH_IF(obj)->reg_array);
}

static void stm32u5_flash_if_realize(DeviceState *dev, Error **errp)
{
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(dev);

    if (s->latency > R_ACR_LATENCY_MASK) {
        error_setg(errp, "stm32u5-flash-if: latency %" PRIu32
                   " is out of range (0..15 wait states)", s->latency);
    }
}

static const Property stm32u5_flash_if_properties[] = {
    DEFINE_PROP_UINT32("latency", STM32U5FlashIfState, latency, 0),
};

static const VMStateDescription vmstate_stm32u5_flash_if = {
    .name = TYPE_STM32U5_FLASH_IF,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5FlashIfState,
                             STM32U5_FLASH_IF_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_flash_if_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 flash interface registers (no programming model)";
    dc->realize = stm32u5_flash_if_realize;
    dc->vmsd = &vmstate_stm32u5_flash_if;
    device_class_set_props(dc, stm32u5_flash_if_properties);
    rc->phases.hold = stm32u5_flash_if_reset_hold;
}

static const TypeInfo stm32u5_flash_if_info = {
    .name          = TYPE_STM32U5_FLASH_IF,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5FlashIfState),
    .instance_init = stm32u5_flash_if_init,
    .instance_finalize = stm32u5_flash_if_finalize,
    .class_init    = stm32u5_flash_if_class_init,
};

static void stm32u5_flash_if_register_types(void)
{
    type_register_static(&stm32u5_flash_if_info);
}

type_init(stm32u5_flash_if_register_types)
