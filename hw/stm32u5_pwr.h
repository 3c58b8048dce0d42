/*
 * STM32U5 power control (PWR)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_PWR_H
#define HW_MVEMU_STM32U5_PWR_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_PWR "stm32u5-pwr"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5PwrState, STM32U5_PWR)

#define STM32U5_PWR_MMIO_SIZE   0x400
#define STM32U5_PWR_NUM_WORDS   (0x98 / 4)

struct STM32U5PwrState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_PWR_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_PWR_NUM_WORDS];

    /* Properties: the voltage scaling the (Secure) boot code left */
    uint32_t reset_vos;     /* VOSR.VOS after reset: 0 = range 4 .. 3 = 1 */
    bool reset_boost;       /* VOSR.BOOSTEN after reset */
};

#endif /* HW_MVEMU_STM32U5_PWR_H */
