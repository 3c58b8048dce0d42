/*
 * STM32U5 instruction cache (ICACHE) control registers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_ICACHE_H
#define HW_MVEMU_STM32U5_ICACHE_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_ICACHE "stm32u5-icache"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5ICacheState, STM32U5_ICACHE)

#define STM32U5_ICACHE_MMIO_SIZE    0x400
#define STM32U5_ICACHE_NUM_WORDS    (0x30 / 4)

struct STM32U5ICacheState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_ICACHE_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_ICACHE_NUM_WORDS];

    qemu_irq irq;           /* ICACHE, NVIC line 107 */
};

#endif /* HW_MVEMU_STM32U5_ICACHE_H */
