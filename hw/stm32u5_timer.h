/*
 * STM32U5 timers: advanced (TIM1, TIM8), general-purpose (TIM2-5,
 * TIM15-17) and basic (TIM6, TIM7), one model with QOM properties for the
 * variant.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_TIMER_H
#define HW_MVEMU_STM32U5_TIMER_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "hw/clock.h"
#include "qemu/timer.h"
#include "qom/object.h"

#define TYPE_STM32U5_TIMER "stm32u5-timer"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5TimerState, STM32U5_TIMER)

#define STM32U5_TIMER_MMIO_SIZE     0x400
/* CR1 ... OR1; DCR and DMAR (DMA bursts) are not modelled */
#define STM32U5_TIMER_NUM_WORDS     (0x6C / 4)
#define STM32U5_TIMER_MAX_CHANNELS  4

/* The sysbus IRQs with "split-irqs" (TIM1, TIM8); otherwise only one. */
enum {
    STM32U5_TIMER_IRQ_BRK,
    STM32U5_TIMER_IRQ_UP,
    STM32U5_TIMER_IRQ_TRG_COM,
    STM32U5_TIMER_IRQ_CC,
    STM32U5_TIMER_NUM_IRQS,
};

struct STM32U5TimerState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    /* This variant's copy of the register table (its writable bits) */
    RegisterAccessInfo *access_info;
    uint32_t regs[STM32U5_TIMER_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_TIMER_NUM_WORDS];

    qemu_irq irq[STM32U5_TIMER_NUM_IRQS];
    qemu_irq oc[STM32U5_TIMER_MAX_CHANNELS];   /* named GPIO outputs "oc" */
    Clock *clk;             /* the kernel clock, TIMxCLK */
    QEMUTimer *event_timer; /* the next update or compare event */

    /* Properties: the variant */
    uint8_t num_channels;   /* capture/compare channels, 0 to 4 */
    uint8_t counter_bits;   /* width of CNT, ARR and CCRx: 16 or 32 */
    bool can_count_down;    /* CR1.DIR and CR1.CMS (centre-aligned) */
    bool has_rcr_bdtr;      /* repetition counter, BDTR with MOE */
    bool split_irqs;        /* BRK, UP, TRG_COM and CC lines */

    /* Shadow registers: what the counter runs with until the next update */
    uint32_t psc_active;
    uint32_t arr_active;
    uint32_t ccr_active[STM32U5_TIMER_MAX_CHANNELS];
    uint32_t repetition;    /* REP_CNT: over/underflows left before a UEV */
    /*
     * The counter held epoch_count at virtual time epoch_ns and has moved
     * since, in one direction, until the next over/underflow (or, in
     * centre-aligned mode, turn); the events of its first epoch_done counts
     * have happened.
     */
    int64_t epoch_ns;
    uint32_t epoch_count;
    uint32_t epoch_done;
    bool counting_down;
    uint32_t ocref;         /* OCxREF of each channel, bit x - 1 */
    uint32_t oc_levels;     /* the "oc" outputs, bit x - 1: "oc-levels" */
};

#endif /* HW_MVEMU_STM32U5_TIMER_H */
