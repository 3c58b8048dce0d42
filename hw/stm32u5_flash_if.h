/*
 * STM32U5 embedded flash memory interface registers (FLASH_R block)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_FLASH_IF_H
#define HW_MVEMU_STM32U5_FLASH_IF_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_FLASH_IF "stm32u5-flash-if"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5FlashIfState, STM32U5_FLASH_IF)

#define STM32U5_FLASH_IF_MMIO_SIZE  0x400
#define STM32U5_FLASH_IF_NUM_WORDS  (STM32U5_FLASH_IF_MMIO_SIZE / 4)

struct STM32U5FlashIfState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_FLASH_IF_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_FLASH_IF_NUM_WORDS];

    /* Property "latency": ACR.LATENCY wait states after reset (0..15) */
    uint32_t latency;
};

#endif /* HW_MVEMU_STM32U5_FLASH_IF_H */
