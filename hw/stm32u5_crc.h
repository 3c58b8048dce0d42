/*
 * STM32U5 cyclic redundancy check calculation unit (CRC)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_CRC_H
#define HW_MVEMU_STM32U5_CRC_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_CRC "stm32u5-crc"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5CrcState, STM32U5_CRC)

#define STM32U5_CRC_MMIO_SIZE   0x400
#define STM32U5_CRC_NUM_WORDS   (0x18 / 4)

struct STM32U5CrcState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    /* regs[R_DR] is the running CRC, before any output reversal */
    uint32_t regs[STM32U5_CRC_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_CRC_NUM_WORDS];
};

#endif /* HW_MVEMU_STM32U5_CRC_H */
