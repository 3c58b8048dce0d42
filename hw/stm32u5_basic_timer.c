/*
 * STM32U5 basic timers (TIM6, TIM7): a 16-bit up-counter with prescaler,
 * auto-reload preload, one-pulse mode and the update event (RM0456,
 * "Basic timers"). ST's HAL runs its 1 kHz time base on TIM6.
 *
 * The counter is not ticked: while it runs it is a function of QEMU's
 * virtual clock (CNT = count at the last epoch + elapsed kernel-clock ticks
 * / (PSC + 1)), and one QEMUTimer fires at each update event. Each update
 * re-bases the epoch on the exact time it was due, not on when the timer
 * callback ran, so the period never drifts. PSC is always buffered and ARR
 * when CR1.ARPE is set; both take effect at an update event (counter
 * overflow or EGR.UG), as on the part.
 *
 * Not modelled: the trigger output (CR2.MMS) to other timers and the DAC,
 * DMA requests (DIER.UDE), debug freeze (DBGMCU), the dithering mode
 * (CR1.DITHEN) and the RCC enable and reset bits (the registers always
 * answer).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/irq.h"
#include "hw/qdev-clock.h"
#include "hw/register.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_basic_timer.h"
#include "trace.h"

REG32(CR1, 0x00)
    FIELD(CR1, CEN, 0, 1)
    FIELD(CR1, UDIS, 1, 1)
    FIELD(CR1, URS, 2, 1)
    FIELD(CR1, OPM, 3, 1)
    FIELD(CR1, ARPE, 7, 1)
    FIELD(CR1, UIFREMAP, 11, 1)
    FIELD(CR1, DITHEN, 12, 1)
REG32(CR2, 0x04)
    FIELD(CR2, MMS, 4, 3)
REG32(DIER, 0x0C)
    FIELD(DIER, UIE, 0, 1)
    FIELD(DIER, UDE, 8, 1)
REG32(SR, 0x10)
    FIELD(SR, UIF, 0, 1)
REG32(EGR, 0x14)
    FIELD(EGR, UG, 0, 1)
REG32(CNT, 0x24)
    FIELD(CNT, CNT, 0, 16)
    FIELD(CNT, UIFCPY, 31, 1)
REG32(PSC, 0x28)
REG32(ARR, 0x2C)

static STM32U5BasicTimerState *timer_of(RegisterInfo *reg)
{
    return STM32U5_BASIC_TIMER(reg->opaque);
}

static bool tim_counting(STM32U5BasicTimerState *s)
{
    return FIELD_EX32(s->regs[R_CR1], CR1, CEN) && s->arr_active &&
           clock_has_source(s->clk) && clock_get(s->clk);
}

static uint64_t tim_ticks_to_ns(STM32U5BasicTimerState *s, uint64_t counts)
{
    return clock_ticks_to_ns(s->clk, counts * (s->psc_active + 1));
}

/* The counter's value at @now_ns (it never passes ARR: updates re-base). */
static uint32_t tim_count_at(STM32U5BasicTimerState *s, int64_t now_ns)
{
    uint64_t counts;

    if (!tim_counting(s)) {
        return s->epoch_count;
    }
    counts = clock_ns_to_ticks(s->clk, now_ns - s->epoch_ns) /
             (s->psc_active + 1);
    return MIN(s->epoch_count + counts, s->arr_active);
}

static void tim_update_irq(STM32U5BasicTimerState *s)
{
    qemu_set_irq(s->irq, FIELD_EX32(s->regs[R_SR], SR, UIF) &&
                         FIELD_EX32(s->regs[R_DIER], DIER, UIE));
}

/* Freeze the counter at its current value (before changing how it runs). */
static void tim_freeze(STM32U5BasicTimerState *s, int64_t now_ns)
{
    s->epoch_count = tim_count_at(s, now_ns);
    s->epoch_ns = now_ns;
}

static void tim_schedule(STM32U5BasicTimerState *s)
{
    if (!tim_counting(s)) {
        timer_del(s->update_timer);
        return;
    }
    timer_mod(s->update_timer, s->epoch_ns +
              tim_ticks_to_ns(s, s->arr_active + 1 - s->epoch_count));
}

/*
 * An update event at @when_ns: the counter restarts from 0, the shadow
 * registers take the preloaded values, and UIF is set unless UDIS blocks
 * the event or URS limits it to overflows (@overflow false: EGR.UG).
 */
static void tim_update_event(STM32U5BasicTimerState *s, int64_t when_ns,
                             bool overflow)
{
    s->epoch_ns = when_ns;
    s->epoch_count = 0;
    if (FIELD_EX32(s->regs[R_CR1], CR1, UDIS)) {
        return;
    }
    s->psc_active = s->regs[R_PSC];
    s->arr_active = s->regs[R_ARR];
    if (overflow || !FIELD_EX32(s->regs[R_CR1], CR1, URS)) {
        s->regs[R_SR] = FIELD_DP32(s->regs[R_SR], SR, UIF, 1);
    }
    trace_stm32u5_basic_timer_update(DEVICE(s)->canonical_path, overflow,
                                     s->psc_active, s->arr_active);
}

static void tim_overflow(void *opaque)
{
    STM32U5BasicTimerState *s = opaque;
    int64_t due = s->epoch_ns +
                  tim_ticks_to_ns(s, s->arr_active + 1 - s->epoch_count);

    tim_update_event(s, due, true);
    if (FIELD_EX32(s->regs[R_CR1], CR1, OPM)) {
        /* One-pulse mode: the counter stops at the update event. */
        s->regs[R_CR1] = FIELD_DP32(s->regs[R_CR1], CR1, CEN, 0);
    }
    tim_update_irq(s);
    tim_schedule(s);
}

static uint64_t tim_cr1_pre_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5BasicTimerState *s = timer_of(reg);

    tim_freeze(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    return val;
}

static void tim_cr1_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5BasicTimerState *s = timer_of(reg);

    if (!FIELD_EX32(s->regs[R_CR1], CR1, ARPE)) {
        s->arr_active = s->regs[R_ARR];
    }
    tim_schedule(s);
}

/* SR flags are cleared by writing 0 and kept by writing 1 (rc_w0). */
static uint64_t tim_sr_pre_write(RegisterInfo *reg, uint64_t val)
{
    return timer_of(reg)->regs[R_SR] & val;
}

static void tim_irq_post_write(RegisterInfo *reg, uint64_t val)
{
    tim_update_irq(timer_of(reg));
}

static void tim_egr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5BasicTimerState *s = timer_of(reg);

    if (FIELD_EX32(val, EGR, UG)) {
        tim_update_event(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), false);
        tim_update_irq(s);
        tim_schedule(s);
    }
    s->regs[R_EGR] = 0;     /* write-only, reads as 0 */
}

static uint64_t tim_cnt_post_read(RegisterInfo *reg, uint64_t val)
{
    STM32U5BasicTimerState *s = timer_of(reg);
    uint32_t cnt = tim_count_at(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));

    if (FIELD_EX32(s->regs[R_CR1], CR1, UIFREMAP)) {
        cnt = FIELD_DP32(cnt, CNT, UIFCPY,
                         FIELD_EX32(s->regs[R_SR], SR, UIF));
    }
    return cnt;
}

static void tim_cnt_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5BasicTimerState *s = timer_of(reg);

    s->epoch_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    s->epoch_count = MIN(FIELD_EX32(val, CNT, CNT), s->arr_active);
    tim_schedule(s);
}

static void tim_arr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5BasicTimerState *s = timer_of(reg);

    if (!FIELD_EX32(s->regs[R_CR1], CR1, ARPE)) {
        tim_freeze(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
        s->arr_active = val;
        s->epoch_count = MIN(s->epoch_count, s->arr_active);
        tim_schedule(s);
    }
}

static const RegisterAccessInfo tim_regs_info[] = {
    {
        .name = "CR1", .addr = A_CR1, .ro = ~(uint64_t)0x1B8F,
        .pre_write = tim_cr1_pre_write, .post_write = tim_cr1_post_write,
    }, {
        .name = "CR2", .addr = A_CR2, .ro = ~(uint64_t)R_CR2_MMS_MASK,
    }, {
        .name = "DIER", .addr = A_DIER,
        .ro = ~(uint64_t)(R_DIER_UIE_MASK | R_DIER_UDE_MASK),
        .post_write = tim_irq_post_write,
    }, {
        .name = "SR", .addr = A_SR, .ro = ~(uint64_t)R_SR_UIF_MASK,
        .pre_write = tim_sr_pre_write, .post_write = tim_irq_post_write,
    }, {
        .name = "EGR", .addr = A_EGR, .ro = ~(uint64_t)R_EGR_UG_MASK,
        .post_write = tim_egr_post_write,
    }, {
        .name = "CNT", .addr = A_CNT, .ro = ~(uint64_t)R_CNT_CNT_MASK,
        .post_read = tim_cnt_post_read, .post_write = tim_cnt_post_write,
    }, {
        .name = "PSC", .addr = A_PSC, .ro = ~(uint64_t)0xFFFF,
    }, {
        .name = "ARR", .addr = A_ARR, .reset = 0xFFFF, .ro = ~(uint64_t)0xFFFF,
        .post_write = tim_arr_post_write,
    },
};

static const MemoryRegionOps tim_ops = {
    .read = register_read_memory,
    .write = register_write_memory,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void stm32u5_basic_timer_reset_hold(Object *obj, ResetType type)
{
    STM32U5BasicTimerState *s = STM32U5_BASIC_TIMER(obj);

    timer_del(s->update_timer);
    s->epoch_ns = 0;
    s->epoch_count = 0;
    for (size_t i = 0; i < ARRAY_SIZE(s->regs_info); i++) {
        register_reset(&s->regs_info[i]);
    }
    s->psc_active = 0;
    s->arr_active = s->regs[R_ARR];
}

static void stm32u5_basic_timer_reset_exit(Object *obj, ResetType type)
{
    tim_update_irq(STM32U5_BASIC_TIMER(obj));
}

static void stm32u5_basic_timer_clock_changed(void *opaque, ClockEvent event)
{
    STM32U5BasicTimerState *s = opaque;

    tim_freeze(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    tim_schedule(s);
}

static void stm32u5_basic_timer_init(Object *obj)
{
    STM32U5BasicTimerState *s = STM32U5_BASIC_TIMER(obj);

    s->reg_array = register_init_block32(DEVICE(obj), tim_regs_info,
                                         ARRAY_SIZE(tim_regs_info),
                                         s->regs_info, s->regs, &tim_ops,
                                         false,
                                         STM32U5_BASIC_TIMER_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->reg_array->mem);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    s->clk = qdev_init_clock_in(DEVICE(obj), "clk",
                                stm32u5_basic_timer_clock_changed, s,
                                ClockPreUpdate | ClockUpdate);
    s->update_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, tim_overflow, s);
}

static void stm32u5_basic_timer_finalize(Object *obj)
{
    STM32U5BasicTimerState *s = STM32U5_BASIC_TIMER(obj);

    timer_free(s->update_timer);
    register_finalize_block(s->reg_array);
}

static void stm32u5_basic_timer_realize(DeviceState *dev, Error **errp)
{
    STM32U5BasicTimerState *s = STM32U5_BASIC_TIMER(dev);

    if (!clock_has_source(s->clk)) {
        error_setg(errp, "stm32u5-basic-timer: clk must be connected");
    }
}

static const VMStateDescription vmstate_stm32u5_basic_timer = {
    .name = TYPE_STM32U5_BASIC_TIMER,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5BasicTimerState,
                             STM32U5_BASIC_TIMER_NUM_WORDS),
        VMSTATE_UINT32(psc_active, STM32U5BasicTimerState),
        VMSTATE_UINT32(arr_active, STM32U5BasicTimerState),
        VMSTATE_INT64(epoch_ns, STM32U5BasicTimerState),
        VMSTATE_UINT32(epoch_count, STM32U5BasicTimerState),
        VMSTATE_TIMER_PTR(update_timer, STM32U5BasicTimerState),
        VMSTATE_CLOCK(clk, STM32U5BasicTimerState),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_basic_timer_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 basic timer (TIM6/TIM7)";
    dc->realize = stm32u5_basic_timer_realize;
    dc->vmsd = &vmstate_stm32u5_basic_timer;
    rc->phases.hold = stm32u5_basic_timer_reset_hold;
    rc->phases.exit = stm32u5_basic_timer_reset_exit;
}

static const TypeInfo stm32u5_basic_timer_info = {
    .name          = TYPE_STM32U5_BASIC_TIMER,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5BasicTimerState),
    .instance_init = stm32u5_basic_timer_init,
    .instance_finalize = stm32u5_basic_timer_finalize,
    .class_init    = stm32u5_basic_timer_class_init,
};

static void stm32u5_basic_timer_register_types(void)
{
    type_register_static(&stm32u5_basic_timer_info);
}

type_init(stm32u5_basic_timer_register_types)
