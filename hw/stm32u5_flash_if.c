/*
 * STM32U5 embedded flash memory interface registers (FLASH_R block)
 *
 * Only a register file: there is no flash programming or option byte
 * model yet. Reads return the table values from either security state.
 * The one accepted write is FLASH_ACR (wait states, prefetch and the
 * low-power bits); from non-secure code only LATENCY and PRFTEN may
 * change. Every other write is logged as a guest error and ignored,
 * which also keeps NSCR/SECCR locked and the status registers idle
 * (BSY = 0), so polling loops end.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_flash_if.h"
#include "stm32u5_regtable.h"
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

/* ACR bits non-secure code may change */
#define ACR_NS_WMASK    (R_ACR_LATENCY_MASK | R_ACR_PRFTEN_MASK)


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
 *   at 0x08000000, 1 MiB) non-secure, bank 2 secure (Microvisor).
 *   SECWMx_PSTRT > SECWMx_PEND means "no secure area"; the same encoding
 *   disables the WRP areas.
 * Reserved bits of option registers read as 0 here.
 */
static const STM32U5RegInfo flash_regs[] = {
    STM32U5_REG(ACR,          0x00000000, R_ACR_LATENCY_MASK | R_ACR_PRFTEN_MASK |
                                        R_ACR_LPM_MASK | R_ACR_SLEEP_PD_MASK),
    STM32U5_REG(NSKEYR,       0x00000000, 0),
    STM32U5_REG(SECKEYR,      0x00000000, 0),
    STM32U5_REG(OPTKEYR,      0x00000000, 0),
    STM32U5_REG(PDKEY1R,      0x00000000, 0),
    STM32U5_REG(PDKEY2R,      0x00000000, 0),
    STM32U5_REG(NSSR,         0x00000000, 0),
    STM32U5_REG(SECSR,        0x00000000, 0),
    STM32U5_REG(NSCR,         0xC0000000, 0),
    STM32U5_REG(SECCR,        0x80000000, 0),
    STM32U5_REG(ECCR,         0x00000000, 0),
    STM32U5_REG(OPSR,         0x00000000, 0),
    STM32U5_REG(OPTR,         0x9FEFF8AA, 0),
    STM32U5_REG(NSBOOTADD0R,  0x08000000, 0),
    STM32U5_REG(NSBOOTADD1R,  0x0BF90000, 0),
    STM32U5_REG(SECBOOTADD0R, 0x0C000000, 0),
    STM32U5_REG(SECWM1R1,     0x0000007F, 0),
    STM32U5_REG(SECWM1R2,     0x00000000, 0),
    STM32U5_REG(WRP1AR,       0x0000007F, 0),
    STM32U5_REG(WRP1BR,       0x0000007F, 0),
    STM32U5_REG(SECWM2R1,     0x007F0000, 0),
    STM32U5_REG(SECWM2R2,     0x00000000, 0),
    STM32U5_REG(WRP2AR,       0x0000007F, 0),
    STM32U5_REG(WRP2BR,       0x0000007F, 0),
    STM32U5_REG(OEM1KEYR1,    0x00000000, 0),
    STM32U5_REG(OEM1KEYR2,    0x00000000, 0),
    STM32U5_REG(OEM2KEYR1,    0x00000000, 0),
    STM32U5_REG(OEM2KEYR2,    0x00000000, 0),
    STM32U5_REG(SECBB1R1,     0x00000000, 0),
    STM32U5_REG(SECBB1R2,     0x00000000, 0),
    STM32U5_REG(SECBB1R3,     0x00000000, 0),
    STM32U5_REG(SECBB1R4,     0x00000000, 0),
    STM32U5_REG(SECBB2R1,     0x00000000, 0),
    STM32U5_REG(SECBB2R2,     0x00000000, 0),
    STM32U5_REG(SECBB2R3,     0x00000000, 0),
    STM32U5_REG(SECBB2R4,     0x00000000, 0),
    STM32U5_REG(SECHDPCR,     0x00000000, 0),
    STM32U5_REG(PRIVCFGR,     0x00000000, 0),
    STM32U5_REG(PRIVBB1R1,    0x00000000, 0),
    STM32U5_REG(PRIVBB1R2,    0x00000000, 0),
    STM32U5_REG(PRIVBB1R3,    0x00000000, 0),
    STM32U5_REG(PRIVBB1R4,    0x00000000, 0),
    STM32U5_REG(PRIVBB2R1,    0x00000000, 0),
    STM32U5_REG(PRIVBB2R2,    0x00000000, 0),
    STM32U5_REG(PRIVBB2R3,    0x00000000, 0),
    STM32U5_REG(PRIVBB2R4,    0x00000000, 0),
};

static const STM32U5RegInfo *flash_find_reg(hwaddr offset)
{
    return stm32u5_reg_find(flash_regs, ARRAY_SIZE(flash_regs), offset);
}

static MemTxResult stm32u5_flash_if_read(void *opaque, hwaddr offset,
                                         uint64_t *data, unsigned size,
                                         MemTxAttrs attrs)
{
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(opaque);
    const STM32U5RegInfo *ri = flash_find_reg(offset);

    if (!ri) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: read from unknown offset 0x%03"
                      HWADDR_PRIx "\n", __func__, offset);
        *data = 0;
        return MEMTX_OK;
    }
    *data = s->regs[offset / 4];
    trace_stm32u5_flash_if_read(ri->name, offset, *data, attrs.secure);
    return MEMTX_OK;
}

static MemTxResult stm32u5_flash_if_write(void *opaque, hwaddr offset,
                                          uint64_t data, unsigned size,
                                          MemTxAttrs attrs)
{
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(opaque);
    const STM32U5RegInfo *ri = flash_find_reg(offset);
    uint32_t value = data;
    uint32_t *reg;
    uint32_t wmask;

    if (!ri) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write of 0x%08" PRIx32
                      " to unknown offset 0x%03" HWADDR_PRIx "\n",
                      __func__, value, offset);
        return MEMTX_OK;
    }
    trace_stm32u5_flash_if_write(ri->name, offset, value, attrs.secure);

    if (!ri->wmask) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: %s write of 0x%08" PRIx32
                      " to FLASH_%s ignored (flash programming and option "
                      "bytes are not modelled)\n", __func__,
                      attrs.secure ? "secure" : "non-secure", value, ri->name);
        return MEMTX_OK;
    }

    reg = &s->regs[offset / 4];
    wmask = ri->wmask;
    if (!attrs.secure && offset == A_ACR) {
        wmask &= ACR_NS_WMASK;
    }
    if ((value ^ *reg) & ri->wmask & ~wmask) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: non-secure write of 0x%08" PRIx32
                      " to FLASH_%s: only bits 0x%08" PRIx32 " may change\n",
                      __func__, value, ri->name, wmask);
    }
    *reg = (*reg & ~wmask) | (value & wmask);
    return MEMTX_OK;
}

static const MemoryRegionOps stm32u5_flash_if_ops = {
    .read_with_attrs = stm32u5_flash_if_read,
    .write_with_attrs = stm32u5_flash_if_write,
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

static void stm32u5_flash_if_reset_hold(Object *obj)
{
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(obj);

    memset(s->regs, 0, sizeof(s->regs));
    for (size_t i = 0; i < ARRAY_SIZE(flash_regs); i++) {
        s->regs[flash_regs[i].offset / 4] = flash_regs[i].reset;
    }
    s->regs[R_ACR] = FIELD_DP32(s->regs[R_ACR], ACR, LATENCY, s->latency);
    trace_stm32u5_flash_if_reset(s->latency);
}

static void stm32u5_flash_if_init(Object *obj)
{
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(obj);

    memory_region_init_io(&s->mmio, obj, &stm32u5_flash_if_ops, s,
                          TYPE_STM32U5_FLASH_IF, STM32U5_FLASH_IF_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->mmio);
}

static void stm32u5_flash_if_realize(DeviceState *dev, Error **errp)
{
    STM32U5FlashIfState *s = STM32U5_FLASH_IF(dev);

    if (s->latency > R_ACR_LATENCY_MASK) {
        error_setg(errp, "stm32u5-flash-if: latency %" PRIu32
                   " is out of range (0..15 wait states)", s->latency);
    }
}

static Property stm32u5_flash_if_properties[] = {
    DEFINE_PROP_UINT32("latency", STM32U5FlashIfState, latency, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateDescription vmstate_stm32u5_flash_if = {
    .name = TYPE_STM32U5_FLASH_IF,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
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
    .class_init    = stm32u5_flash_if_class_init,
};

static void stm32u5_flash_if_register_types(void)
{
    type_register_static(&stm32u5_flash_if_info);
}

type_init(stm32u5_flash_if_register_types)
