/*
 * STM32U5 debug support MCU block (DBGMCU)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_DBGMCU_H
#define HW_MVEMU_STM32U5_DBGMCU_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_DBGMCU "stm32u5-dbgmcu"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5DbgmcuState, STM32U5_DBGMCU)

#define STM32U5_DBGMCU_MMIO_SIZE    0x400
#define STM32U5_DBGMCU_NUM_WORDS    (0x2C / 4)

/* DBGMCU_IDCODE.DEV_ID of the STM32U575/U585 */
#define STM32U5_DBGMCU_DEV_ID_U575_U585 0x482

struct STM32U5DbgmcuState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_DBGMCU_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_DBGMCU_NUM_WORDS];

    /* Properties: what IDCODE reports */
    uint32_t dev_id;
    uint32_t rev_id;
};

#endif /* HW_MVEMU_STM32U5_DBGMCU_H */
