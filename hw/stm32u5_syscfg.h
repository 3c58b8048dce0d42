/*
 * STM32U5 system configuration controller (SYSCFG)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_SYSCFG_H
#define HW_MVEMU_STM32U5_SYSCFG_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_SYSCFG "stm32u5-syscfg"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5SyscfgState, STM32U5_SYSCFG)

#define STM32U5_SYSCFG_MMIO_SIZE    0x400
#define STM32U5_SYSCFG_NUM_WORDS    (0x74 / 4)

struct STM32U5SyscfgState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_SYSCFG_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_SYSCFG_NUM_WORDS];
};

#endif /* HW_MVEMU_STM32U5_SYSCFG_H */
