/*
 * STM32U5 true random number generator (RNG)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_RNG_H
#define HW_MVEMU_STM32U5_RNG_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_RNG "stm32u5-rng"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5RngState, STM32U5_RNG)

#define STM32U5_RNG_MMIO_SIZE   0x400
#define STM32U5_RNG_NUM_WORDS   (0x14 / 4)

struct STM32U5RngState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_RNG_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_RNG_NUM_WORDS];

    qemu_irq irq;           /* RNG, NVIC line 94 */
};

#endif /* HW_MVEMU_STM32U5_RNG_H */
