/*
 * STM32U5 basic timers (TIM6, TIM7)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_BASIC_TIMER_H
#define HW_MVEMU_STM32U5_BASIC_TIMER_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "hw/clock.h"
#include "qemu/timer.h"
#include "qom/object.h"

#define TYPE_STM32U5_BASIC_TIMER "stm32u5-basic-timer"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5BasicTimerState, STM32U5_BASIC_TIMER)

#define STM32U5_BASIC_TIMER_MMIO_SIZE   0x400
#define STM32U5_BASIC_TIMER_NUM_WORDS   (0x30 / 4)

struct STM32U5BasicTimerState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_BASIC_TIMER_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_BASIC_TIMER_NUM_WORDS];

    qemu_irq irq;
    Clock *clk;             /* the kernel clock, TIMxCLK */
    QEMUTimer *update_timer;

    /* Shadow registers: what the counter runs with until the next update */
    uint32_t psc_active;
    uint32_t arr_active;
    /*
     * While counting, the counter held epoch_count at virtual time
     * epoch_ns; its value now follows from the elapsed time.
     */
    int64_t epoch_ns;
    uint32_t epoch_count;
};

#endif /* HW_MVEMU_STM32U5_BASIC_TIMER_H */
