/*
 * STM32U5 extended interrupt and event controller (EXTI)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_EXTI_H
#define HW_MVEMU_STM32U5_EXTI_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_EXTI "stm32u5-exti"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5ExtiState, STM32U5_EXTI)

#define STM32U5_EXTI_MMIO_SIZE      0x400
#define STM32U5_EXTI_NUM_WORDS      (0x88 / 4)
#define STM32U5_EXTI_NUM_PORTS      9       /* GPIOA-I */
#define STM32U5_EXTI_PINS_PER_PORT  16
#define STM32U5_EXTI_NUM_GPIO_LINES 16      /* EXTI0-15, each its own IRQ */
#define STM32U5_EXTI_NUM_INPUTS \
    (STM32U5_EXTI_NUM_PORTS * STM32U5_EXTI_PINS_PER_PORT)

/*
 * Inputs: one GPIO input per port pin, numbered port * 16 + pin (PA0 = 0,
 * PC13 = 45). Outputs: sysbus IRQ n is EXTI line n (0-15).
 */
struct STM32U5ExtiState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_EXTI_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_EXTI_NUM_WORDS];

    qemu_irq irq[STM32U5_EXTI_NUM_GPIO_LINES];
    /* The level of each port pin, as the GPIO ports last reported it */
    uint16_t pin_levels[STM32U5_EXTI_NUM_PORTS];
};

#endif /* HW_MVEMU_STM32U5_EXTI_H */
