/*
 * STM32U5 debug support MCU block (DBGMCU) (RM0456, "Debug support"): the
 * device identification HAL_GetDEVID/HAL_GetREVID read, and the debug
 * configuration registers. It sits on the Cortex-M33's external PPB at
 * 0xE0044000, not in the peripheral address space.
 *
 * What is modelled: IDCODE reads DEV_ID 0x482 (STM32U575/U585) and a
 * revision (properties "dev-id" and "rev-id"; the default 0x2001 is
 * revision X). CR and the APB1FZR1/APB1FZR2/APB2FZR/APB3FZR/AHB1FZR/
 * AHB3FZR freeze registers hold what is written in their defined bits.
 *
 * Not modelled: what those bits do. Freezing timers, watchdogs, I2C, RTC
 * and DMA channels while the core is halted has no effect (QEMU's
 * gdbstub stops the whole machine anyway), nor do debug in Stop/Standby
 * (CR.DBG_STOP/DBG_STANDBY) and the trace port (CR.TRACE_*). The status,
 * authentication and CoreSight identification registers above 0x2C read
 * 0 and log a guest error.
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
#include "stm32u5_dbgmcu.h"
#include "trace.h"

REG32(IDCODE, 0x00)
    FIELD(IDCODE, DEV_ID, 0, 12)
    FIELD(IDCODE, REV_ID, 16, 16)
REG32(CR, 0x04)
REG32(APB1FZR1, 0x08)
REG32(APB1FZR2, 0x0C)
REG32(APB2FZR, 0x10)
REG32(APB3FZR, 0x14)
REG32(AHB1FZR, 0x20)
REG32(AHB3FZR, 0x28)

static void dbgmcu_post_write(RegisterInfo *reg, uint64_t val)
{
    trace_stm32u5_dbgmcu_write(reg->access->name, *(uint32_t *)reg->data);
}

#define DBGMCU_REG(reg, wmask) { \
    .name = #reg, .addr = A_##reg, .ro = ~(uint64_t)(wmask), \
    .post_write = dbgmcu_post_write }

/* Writable bits: the fields of dbgmcu.md */
static const RegisterAccessInfo dbgmcu_regs_info[] = {
    { .name = "IDCODE", .addr = A_IDCODE, .ro = UINT64_MAX },
    DBGMCU_REG(CR, 0x000000F6),         /* DBG_STOP/STANDBY, TRACE_* */
    DBGMCU_REG(APB1FZR1, 0x0060183F),   /* TIM2-7, WWDG, IWDG, I2C1-2 */
    DBGMCU_REG(APB1FZR2, 0x00000222),   /* I2C4, LPTIM2, FDCAN */
    DBGMCU_REG(APB2FZR, 0x00072800),    /* TIM1, TIM8, TIM15-17 */
    DBGMCU_REG(APB3FZR, 0x400E0400),    /* I2C3, LPTIM1/3/4, RTC */
    DBGMCU_REG(AHB1FZR, 0x0000FFFF),    /* GPDMA channels 0-15 */
    DBGMCU_REG(AHB3FZR, 0x0000000F),    /* LPDMA channels 0-3 */
};

static void stm32u5_dbgmcu_reset_hold(Object *obj, ResetType type)
{
    STM32U5DbgmcuState *s = STM32U5_DBGMCU(obj);
    uint32_t idcode = 0;

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
    idcode = FIELD_DP32(idcode, IDCODE, DEV_ID, s->dev_id);
    idcode = FIELD_DP32(idcode, IDCODE, REV_ID, s->rev_id);
    s->regs[R_IDCODE] = idcode;
}

static void stm32u5_dbgmcu_init(Object *obj)
{
    STM32U5DbgmcuState *s = STM32U5_DBGMCU(obj);

    s->reg_array = stm32u5_regblock_init(SYS_BUS_DEVICE(obj), dbgmcu_regs_info,
                                         ARRAY_SIZE(dbgmcu_regs_info),
                                         s->regs_info, s->regs,
                                         STM32U5_DBGMCU_MMIO_SIZE);
}

static void stm32u5_dbgmcu_finalize(Object *obj)
{
    register_finalize_block(STM32U5_DBGMCU(obj)->reg_array);
}

static void stm32u5_dbgmcu_realize(DeviceState *dev, Error **errp)
{
    STM32U5DbgmcuState *s = STM32U5_DBGMCU(dev);

    if (s->dev_id > R_IDCODE_DEV_ID_MASK || s->rev_id > UINT16_MAX) {
        error_setg(errp, "stm32u5-dbgmcu: dev-id 0x%" PRIx32 " or rev-id 0x%"
                   PRIx32 " does not fit IDCODE (12 and 16 bits)",
                   s->dev_id, s->rev_id);
    }
}

static const Property stm32u5_dbgmcu_properties[] = {
    DEFINE_PROP_UINT32("dev-id", STM32U5DbgmcuState, dev_id,
                       STM32U5_DBGMCU_DEV_ID_U575_U585),
    DEFINE_PROP_UINT32("rev-id", STM32U5DbgmcuState, rev_id, 0x2001),
};

static const VMStateDescription vmstate_stm32u5_dbgmcu = {
    .name = TYPE_STM32U5_DBGMCU,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5DbgmcuState,
                             STM32U5_DBGMCU_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_dbgmcu_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 debug MCU block (DBGMCU; freezing not modelled)";
    dc->realize = stm32u5_dbgmcu_realize;
    dc->vmsd = &vmstate_stm32u5_dbgmcu;
    device_class_set_props(dc, stm32u5_dbgmcu_properties);
    rc->phases.hold = stm32u5_dbgmcu_reset_hold;
}

static const TypeInfo stm32u5_dbgmcu_info = {
    .name          = TYPE_STM32U5_DBGMCU,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5DbgmcuState),
    .instance_init = stm32u5_dbgmcu_init,
    .instance_finalize = stm32u5_dbgmcu_finalize,
    .class_init    = stm32u5_dbgmcu_class_init,
};

static void stm32u5_dbgmcu_register_types(void)
{
    type_register_static(&stm32u5_dbgmcu_info);
}

type_init(stm32u5_dbgmcu_register_types)
