/*
 * STM32U5 I2C controller (I2C1-I2C4), master mode
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_I2C_H
#define HW_MVEMU_STM32U5_I2C_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "hw/i2c/i2c.h"
#include "qom/object.h"

#define TYPE_STM32U5_I2C "stm32u5-i2c"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5I2CState, STM32U5_I2C)

#define STM32U5_I2C_MMIO_SIZE   0x400
#define STM32U5_I2C_NUM_WORDS   (0x30 / 4)

/* Sysbus IRQ 0 is the event interrupt, IRQ 1 the error interrupt. */
struct STM32U5I2CState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_I2C_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_I2C_NUM_WORDS];

    I2CBus *bus;
    qemu_irq event_irq;
    qemu_irq error_irq;

    /* The transfer in progress (between START and STOP) */
    bool in_transfer;
    bool reading;
    uint8_t address;        /* the 7-bit target address */
    uint32_t bytes_left;    /* of the NBYTES of the current (reload) chunk */

    char *bus_name;         /* property "bus-name": the I2C bus's id */
};

#endif /* HW_MVEMU_STM32U5_I2C_H */
