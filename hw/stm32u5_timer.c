/*
 * STM32U5 timers (RM0456 "Advanced-control timers", "General-purpose
 * timers", "Basic timers"): one model for TIM1-8 and TIM15-17, the variant
 * given by QOM properties (channels, counter width, up/down counting,
 * repetition counter and BDTR, split interrupt lines).
 *
 * The counter is not ticked: while it runs it is a function of QEMU's
 * virtual clock. The model keeps an epoch (a count, the virtual time it was
 * reached, the direction) that is re-based at each over/underflow (and, in
 * centre-aligned mode, at each turn), on the exact time it was due; the
 * count at any time follows from the elapsed kernel-clock ticks divided by
 * PSC + 1. One QEMUTimer fires at the next event (an over/underflow or a
 * compare match of a channel in output mode), so interrupts and output
 * levels change at the exact virtual time of their event and the period
 * never drifts. Every register access first catches up with the events due
 * by then, so a late timer callback is never visible to the guest.
 *
 * PSC is always preloaded, ARR with CR1.ARPE, CCRx with CCMRx.OCxPE, RCR
 * always: they take effect at an update event (UEV: an over/underflow
 * with the repetition counter at 0, or EGR.UG), unless CR1.UDIS blocks it.
 * Counting modes: up, down (CR1.DIR), centre-aligned (CR1.CMS 1-3: over-
 * and underflows both count towards the repetition counter; CMS chooses
 * in which direction compare matches set CCxIF); one-pulse mode (OPM)
 * clears CEN at the UEV.
 *
 * Output compare (CCxS = 0): frozen, active, inactive or toggle on match,
 * forced inactive or active, PWM mode 1 and 2 give OCxREF; the channel's
 * "oc" GPIO output is OCxREF ^ CCxP while CCxE is set and, on timers with
 * BDTR, MOE is set (MOE clear: CR2.OISx if BDTR.OSSI, else 0); a disabled
 * channel drives 0. "oc-levels" reads the outputs as a bit mask.
 *
 * Not modelled (the registers keep what is written, nothing happens):
 * input capture (a channel with CCxS != 0 has no compare events; EGR.CCxG
 * copies CNT to CCRx), the slave mode controller and triggers (SMCR,
 * CR2.MMS, TISEL, AF1, AF2), complementary outputs and dead time (CCxNE,
 * DTG, DTR2), the break inputs (only EGR.BG and B2G set BIF/B2IF and clear
 * MOE; BDTR.AOE sets it again at the next UEV), the COM event's preloaded
 * control bits (EGR.COMG only sets COMIF), channels 5 and 6 of TIM1/TIM8,
 * OCxM modes 8-15 (retriggerable one-pulse, combined and asymmetric PWM:
 * the reference is frozen), encoder mode and ECR, DMA requests and
 * DCR/DMAR, dithering, CKD, debug freeze (DBGMCU) and the RCC enable and
 * reset bits (the registers always answer). Writing CNT or ARR (without
 * ARPE) above ARR clamps the counter to ARR instead of letting it wrap at
 * the counter's width.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/irq.h"
#include "hw/qdev-clock.h"
#include "hw/qdev-properties.h"
#include "hw/register.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_timer.h"
#include "trace.h"

REG32(CR1, 0x00)
    FIELD(CR1, CEN, 0, 1)
    FIELD(CR1, UDIS, 1, 1)
    FIELD(CR1, URS, 2, 1)
    FIELD(CR1, OPM, 3, 1)
    FIELD(CR1, DIR, 4, 1)
    FIELD(CR1, CMS, 5, 2)
    FIELD(CR1, ARPE, 7, 1)
    FIELD(CR1, UIFREMAP, 11, 1)
REG32(CR2, 0x04)
    FIELD(CR2, MMS, 4, 3)
REG32(SMCR, 0x08)
REG32(DIER, 0x0C)
    FIELD(DIER, UIE, 0, 1)
    FIELD(DIER, CCIE, 1, 4)     /* CC1IE ... CC4IE */
    FIELD(DIER, COMIE, 5, 1)
    FIELD(DIER, TIE, 6, 1)
    FIELD(DIER, BIE, 7, 1)
    FIELD(DIER, UDE, 8, 1)
REG32(SR, 0x10)
    FIELD(SR, UIF, 0, 1)
    FIELD(SR, CCIF, 1, 4)       /* CC1IF ... CC4IF */
    FIELD(SR, COMIF, 5, 1)
    FIELD(SR, TIF, 6, 1)
    FIELD(SR, BIF, 7, 1)
    FIELD(SR, B2IF, 8, 1)
    FIELD(SR, CCOF, 9, 4)       /* CC1OF ... CC4OF */
    FIELD(SR, SBIF, 13, 1)
REG32(EGR, 0x14)
    FIELD(EGR, UG, 0, 1)
    FIELD(EGR, CCG, 1, 4)       /* CC1G ... CC4G */
    FIELD(EGR, COMG, 5, 1)
    FIELD(EGR, TG, 6, 1)
    FIELD(EGR, BG, 7, 1)
    FIELD(EGR, B2G, 8, 1)
REG32(CCMR1, 0x18)
REG32(CCMR2, 0x1C)
REG32(CCER, 0x20)
REG32(CNT, 0x24)
    FIELD(CNT, UIFCPY, 31, 1)
REG32(PSC, 0x28)
REG32(ARR, 0x2C)
REG32(RCR, 0x30)
REG32(CCR1, 0x34)
REG32(CCR2, 0x38)
REG32(CCR3, 0x3C)
REG32(CCR4, 0x40)
REG32(BDTR, 0x44)
    FIELD(BDTR, OSSI, 10, 1)
    FIELD(BDTR, AOE, 14, 1)
    FIELD(BDTR, MOE, 15, 1)
REG32(CCR5, 0x48)
REG32(CCR6, 0x4C)
REG32(CCMR3, 0x50)
REG32(DTR2, 0x54)
REG32(ECR, 0x58)
REG32(TISEL, 0x5C)
REG32(AF1, 0x60)
REG32(AF2, 0x64)
REG32(OR1, 0x68)

/* Output compare modes (CCMRx.OCxM, 4 bits) */
enum {
    OCM_FROZEN,
    OCM_ACTIVE_ON_MATCH,
    OCM_INACTIVE_ON_MATCH,
    OCM_TOGGLE,
    OCM_FORCE_INACTIVE,
    OCM_FORCE_ACTIVE,
    OCM_PWM1,
    OCM_PWM2,
};

static STM32U5TimerState *timer_of(RegisterInfo *reg)
{
    return STM32U5_TIMER(reg->opaque);
}

static int64_t now_ns(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static uint32_t counter_mask(STM32U5TimerState *s)
{
    return s->counter_bits == 32 ? UINT32_MAX : 0xFFFF;
}

static bool centre_aligned(STM32U5TimerState *s)
{
    return FIELD_EX32(s->regs[R_CR1], CR1, CMS) != 0;
}

/* CCMRx's byte for channel @ch (0-based) and OCxM[3], which sits apart. */
static uint32_t channel_ccmr(STM32U5TimerState *s, int ch)
{
    uint32_t ccmr = s->regs[ch < 2 ? R_CCMR1 : R_CCMR2];

    return extract32(ccmr, (ch % 2) * 8, 8) |
           extract32(ccmr, 16 + (ch % 2) * 8, 1) << 8;
}

static bool channel_is_output(STM32U5TimerState *s, int ch)
{
    return extract32(channel_ccmr(s, ch), 0, 2) == 0;
}

static bool channel_preloaded(STM32U5TimerState *s, int ch)
{
    return extract32(channel_ccmr(s, ch), 3, 1);
}

static unsigned channel_mode(STM32U5TimerState *s, int ch)
{
    uint32_t ccmr = channel_ccmr(s, ch);

    return extract32(ccmr, 4, 3) | extract32(ccmr, 8, 1) << 3;
}

static bool tim_counting(STM32U5TimerState *s)
{
    return FIELD_EX32(s->regs[R_CR1], CR1, CEN) && s->arr_active &&
           clock_has_source(s->clk) && clock_get(s->clk);
}

static int64_t counts_to_ns(STM32U5TimerState *s, uint64_t counts)
{
    uint64_t ns = clock_ticks_to_ns(s->clk, counts * (s->psc_active + 1));

    return MIN(ns, INT64_MAX - s->epoch_ns);
}

/*
 * Counts from the epoch to the end of its run: the over/underflow, or in
 * centre-aligned mode the turn at ARR (overflow) or 0 (underflow).
 */
static uint64_t run_length(STM32U5TimerState *s)
{
    if (centre_aligned(s)) {
        return s->counting_down ? s->epoch_count
                                : s->arr_active - s->epoch_count;
    }
    return s->counting_down ? (uint64_t)s->epoch_count + 1
                            : (uint64_t)s->arr_active + 1 - s->epoch_count;
}

/* Keep the epoch inside [0, ARR], and a centre-aligned run non-empty. */
static void normalise_epoch(STM32U5TimerState *s)
{
    s->epoch_count = MIN(s->epoch_count, s->arr_active);
    if (centre_aligned(s) && s->arr_active) {
        if (!s->counting_down && s->epoch_count == s->arr_active) {
            s->counting_down = true;
        } else if (s->counting_down && s->epoch_count == 0) {
            s->counting_down = false;
        }
    }
}

static uint32_t count_after(STM32U5TimerState *s, uint64_t counts)
{
    return s->counting_down ? s->epoch_count - counts
                            : s->epoch_count + counts;
}

/* Counts since the epoch at @when_ns, within the events already handled. */
static uint64_t counts_at(STM32U5TimerState *s, int64_t when_ns)
{
    uint64_t counts;

    if (!tim_counting(s)) {
        return s->epoch_done;
    }
    counts = clock_ns_to_ticks(s->clk, when_ns - s->epoch_ns) /
             (s->psc_active + 1);
    return MAX(s->epoch_done, MIN(counts, run_length(s) - 1));
}

/*
 * Move the epoch to the count the counter holds at @when_ns (to the time
 * that count was reached, so the prescaler keeps its phase), before a
 * register write changes how it counts.
 */
static void tim_rebase(STM32U5TimerState *s, int64_t when_ns)
{
    if (tim_counting(s)) {
        uint64_t counts = counts_at(s, when_ns);

        s->epoch_ns += counts_to_ns(s, counts);
        s->epoch_count = count_after(s, counts);
    } else {
        s->epoch_ns = when_ns;
        s->epoch_count = count_after(s, s->epoch_done);
    }
    s->epoch_done = 0;
}

/* Counts from the epoch to the next event: a run's end or a match. */
static uint64_t next_event_counts(STM32U5TimerState *s)
{
    uint64_t next = run_length(s);

    for (int ch = 0; ch < s->num_channels; ch++) {
        uint32_t ccr = s->ccr_active[ch];
        uint64_t counts;

        if (!channel_is_output(s, ch)) {
            continue;
        }
        if (s->counting_down ? ccr >= s->epoch_count
                             : ccr <= s->epoch_count) {
            continue;   /* behind the epoch (or at it: already handled) */
        }
        counts = s->counting_down ? s->epoch_count - ccr
                                  : ccr - s->epoch_count;
        if (counts > s->epoch_done && counts < next) {
            next = counts;
        }
    }
    return next;
}

static void tim_update_irqs(STM32U5TimerState *s)
{
    uint32_t pending = s->regs[R_SR] & s->regs[R_DIER];
    bool brk = FIELD_EX32(s->regs[R_DIER], DIER, BIE) &&
               (s->regs[R_SR] & (R_SR_BIF_MASK | R_SR_B2IF_MASK |
                                 R_SR_SBIF_MASK));
    bool up = pending & R_SR_UIF_MASK;
    bool trg_com = pending & (R_SR_TIF_MASK | R_SR_COMIF_MASK);
    bool cc = pending & R_SR_CCIF_MASK;

    if (s->split_irqs) {
        qemu_set_irq(s->irq[STM32U5_TIMER_IRQ_BRK], brk);
        qemu_set_irq(s->irq[STM32U5_TIMER_IRQ_UP], up);
        qemu_set_irq(s->irq[STM32U5_TIMER_IRQ_TRG_COM], trg_com);
        qemu_set_irq(s->irq[STM32U5_TIMER_IRQ_CC], cc);
    } else {
        qemu_set_irq(s->irq[0], brk || up || trg_com || cc);
    }
}

/* OCxREF for the modes that follow the counter (or nothing) at once. */
static void refresh_refs(STM32U5TimerState *s)
{
    uint32_t count = count_after(s, s->epoch_done);

    for (int ch = 0; ch < s->num_channels; ch++) {
        uint32_t ccr = s->ccr_active[ch];
        bool active;

        switch (channel_mode(s, ch)) {
        case OCM_FORCE_INACTIVE:
            active = false;
            break;
        case OCM_FORCE_ACTIVE:
            active = true;
            break;
        case OCM_PWM1:
        case OCM_PWM2:
            /* RM0456: up, active while CNT < CCRx; down, while CNT <= CCRx */
            active = s->counting_down ? count <= ccr : count < ccr;
            active ^= channel_mode(s, ch) == OCM_PWM2;
            break;
        default:
            continue;   /* frozen or set on match: kept */
        }
        s->ocref = deposit32(s->ocref, ch, 1, active);
    }
}

/* Drive the "oc" lines from OCxREF, CCER and MOE. */
static void refresh_outputs(STM32U5TimerState *s)
{
    uint32_t ccer = s->regs[R_CCER];
    bool moe = FIELD_EX32(s->regs[R_BDTR], BDTR, MOE);
    bool ossi = FIELD_EX32(s->regs[R_BDTR], BDTR, OSSI);
    uint32_t levels = 0;

    refresh_refs(s);
    for (int ch = 0; ch < s->num_channels; ch++) {
        bool level = false;

        if (extract32(ccer, ch * 4, 1)) {           /* CCxE */
            if (s->has_rcr_bdtr && !moe) {
                /* OSSI: the idle level CR2.OISx; else not driven */
                level = ossi && extract32(s->regs[R_CR2], 8 + ch * 2, 1);
            } else {
                level = extract32(s->ocref, ch, 1) ^
                        extract32(ccer, ch * 4 + 1, 1);    /* CCxP */
            }
        }
        levels = deposit32(levels, ch, 1, level);
    }
    if (levels == s->oc_levels) {
        return;
    }
    for (int ch = 0; ch < s->num_channels; ch++) {
        if (extract32(levels ^ s->oc_levels, ch, 1)) {
            qemu_set_irq(s->oc[ch], extract32(levels, ch, 1));
        }
    }
    s->oc_levels = levels;
    trace_stm32u5_timer_outputs(DEVICE(s)->canonical_path, levels);
}

/* The counter reached @count: channels matching it see a compare event. */
static void compare_matches(STM32U5TimerState *s, uint32_t count)
{
    unsigned cms = FIELD_EX32(s->regs[R_CR1], CR1, CMS);
    /* CMS 1: flags only counting down; 2: only counting up; 3: both */
    bool flags = cms == 0 || cms == 3 || (cms == 1) == s->counting_down;

    for (int ch = 0; ch < s->num_channels; ch++) {
        if (!channel_is_output(s, ch) || s->ccr_active[ch] != count) {
            continue;
        }
        trace_stm32u5_timer_compare(DEVICE(s)->canonical_path, ch + 1, count);
        if (flags) {
            s->regs[R_SR] |= 1u << (R_SR_CCIF_SHIFT + ch);
        }
        switch (channel_mode(s, ch)) {
        case OCM_ACTIVE_ON_MATCH:
            s->ocref |= 1u << ch;
            break;
        case OCM_INACTIVE_ON_MATCH:
            s->ocref &= ~(1u << ch);
            break;
        case OCM_TOGGLE:
            s->ocref ^= 1u << ch;
            break;
        }
    }
}

/* The preloaded registers take effect (an update event that UDIS allows). */
static void load_shadows(STM32U5TimerState *s)
{
    s->psc_active = s->regs[R_PSC];
    s->arr_active = s->regs[R_ARR];
    for (int ch = 0; ch < s->num_channels; ch++) {
        s->ccr_active[ch] = s->regs[R_CCR1 + ch];
    }
    s->repetition = s->regs[R_RCR];
    if (FIELD_EX32(s->regs[R_BDTR], BDTR, AOE)) {
        s->regs[R_BDTR] = FIELD_DP32(s->regs[R_BDTR], BDTR, MOE, 1);
    }
}

/*
 * An over/underflow due at @when_ns: the counter wraps (or turns), and it
 * is an update event once the repetition counter has run down.
 */
static void tim_overflow(STM32U5TimerState *s, int64_t when_ns)
{
    bool underflow = s->counting_down;
    bool uev = !FIELD_EX32(s->regs[R_CR1], CR1, UDIS);

    if (s->repetition > 0) {
        s->repetition--;
        uev = false;
    }
    if (uev) {
        load_shadows(s);
        s->regs[R_SR] |= R_SR_UIF_MASK;
        if (FIELD_EX32(s->regs[R_CR1], CR1, OPM)) {
            s->regs[R_CR1] = FIELD_DP32(s->regs[R_CR1], CR1, CEN, 0);
        }
        trace_stm32u5_timer_update(DEVICE(s)->canonical_path, true,
                                   s->psc_active, s->arr_active);
    }
    s->epoch_ns = when_ns;
    s->epoch_done = 0;
    if (centre_aligned(s)) {
        s->epoch_count = underflow ? 0 : s->arr_active;
        s->counting_down = !underflow;
    } else {
        s->epoch_count = underflow ? s->arr_active : 0;
    }
    normalise_epoch(s);
    compare_matches(s, s->epoch_count);
}

static void tim_schedule(STM32U5TimerState *s)
{
    if (!tim_counting(s)) {
        timer_del(s->event_timer);
        return;
    }
    timer_mod(s->event_timer,
              s->epoch_ns + counts_to_ns(s, next_event_counts(s)));
}

/* Handle every event due by @when_ns, each at its own time. */
static void tim_catch_up(STM32U5TimerState *s, int64_t when_ns)
{
    while (tim_counting(s)) {
        uint64_t counts = next_event_counts(s);
        int64_t due = s->epoch_ns + counts_to_ns(s, counts);

        if (due > when_ns) {
            break;
        }
        if (counts == run_length(s)) {
            tim_overflow(s, due);
        } else {
            s->epoch_done = counts;
            compare_matches(s, count_after(s, counts));
        }
        refresh_outputs(s);
        tim_update_irqs(s);
    }
}

/* After a register write changed the timer: outputs, IRQs, next event. */
static void tim_changed(STM32U5TimerState *s)
{
    refresh_outputs(s);
    tim_update_irqs(s);
    tim_schedule(s);
}

static void tim_event(void *opaque)
{
    STM32U5TimerState *s = opaque;

    tim_catch_up(s, now_ns());
    tim_schedule(s);
}

static uint64_t tim_cr1_pre_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);

    tim_rebase(s, now_ns());
    if (FIELD_EX32(val, CR1, CMS)) {
        /* DIR is read-only in centre-aligned mode: it shows the direction */
        val = FIELD_DP32(val, CR1, DIR, s->counting_down);
    } else {
        s->counting_down = FIELD_EX32(val, CR1, DIR);
    }
    return val;
}

static void tim_cr1_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);

    if (!FIELD_EX32(s->regs[R_CR1], CR1, ARPE)) {
        s->arr_active = s->regs[R_ARR];
    }
    normalise_epoch(s);
    tim_changed(s);
}

static uint64_t tim_cr1_post_read(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);

    if (centre_aligned(s)) {
        val = FIELD_DP32(val, CR1, DIR, s->counting_down);
    }
    return val;
}

/* SR flags are cleared by writing 0 and kept by writing 1 (rc_w0). */
static uint64_t tim_sr_pre_write(RegisterInfo *reg, uint64_t val)
{
    return timer_of(reg)->regs[R_SR] & val;
}

static void tim_irq_post_write(RegisterInfo *reg, uint64_t val)
{
    tim_update_irqs(timer_of(reg));
}

static void tim_output_post_write(RegisterInfo *reg, uint64_t val)
{
    refresh_outputs(timer_of(reg));
}

/* EGR.UG: restart the counter and, unless UDIS, load the shadows. */
static void tim_generate_update(STM32U5TimerState *s)
{
    bool udis = FIELD_EX32(s->regs[R_CR1], CR1, UDIS);

    if (!udis) {
        load_shadows(s);
        if (!FIELD_EX32(s->regs[R_CR1], CR1, URS)) {
            s->regs[R_SR] |= R_SR_UIF_MASK;
        }
    }
    s->epoch_ns = now_ns();
    s->epoch_done = 0;
    s->counting_down = !centre_aligned(s) &&
                       FIELD_EX32(s->regs[R_CR1], CR1, DIR);
    s->epoch_count = s->counting_down ? s->arr_active : 0;
    trace_stm32u5_timer_update(DEVICE(s)->canonical_path, false,
                               s->psc_active, s->arr_active);
}

static void tim_egr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);

    if (FIELD_EX32(val, EGR, UG)) {
        tim_generate_update(s);
    }
    for (int ch = 0; ch < s->num_channels; ch++) {
        if (!extract32(val, R_EGR_CCG_SHIFT + ch, 1)) {
            continue;
        }
        if (!channel_is_output(s, ch)) {
            /* A software capture: CCRx takes CNT, a second one overruns */
            tim_rebase(s, now_ns());
            if (s->regs[R_SR] & (1u << (R_SR_CCIF_SHIFT + ch))) {
                s->regs[R_SR] |= 1u << (R_SR_CCOF_SHIFT + ch);
            }
            s->regs[R_CCR1 + ch] = s->epoch_count;
            s->ccr_active[ch] = s->epoch_count;
        }
        s->regs[R_SR] |= 1u << (R_SR_CCIF_SHIFT + ch);
    }
    if (FIELD_EX32(val, EGR, COMG)) {
        s->regs[R_SR] |= R_SR_COMIF_MASK;
    }
    if (FIELD_EX32(val, EGR, TG)) {
        s->regs[R_SR] |= R_SR_TIF_MASK;
    }
    if (val & (R_EGR_BG_MASK | R_EGR_B2G_MASK)) {
        /* A break: the outputs go to their idle state */
        s->regs[R_SR] |= val & R_EGR_BG_MASK ? R_SR_BIF_MASK : 0;
        s->regs[R_SR] |= val & R_EGR_B2G_MASK ? R_SR_B2IF_MASK : 0;
        s->regs[R_BDTR] = FIELD_DP32(s->regs[R_BDTR], BDTR, MOE, 0);
    }
    s->regs[R_EGR] = 0;     /* write-only, reads as 0 */
    tim_changed(s);
}

static uint64_t tim_cnt_post_read(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);
    uint32_t cnt = count_after(s, counts_at(s, now_ns()));

    if (FIELD_EX32(s->regs[R_CR1], CR1, UIFREMAP)) {
        cnt = FIELD_DP32(cnt, CNT, UIFCPY,
                         FIELD_EX32(s->regs[R_SR], SR, UIF));
    }
    return cnt;
}

static void tim_cnt_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);

    s->epoch_ns = now_ns();
    s->epoch_done = 0;
    s->epoch_count = val & counter_mask(s);
    normalise_epoch(s);
    tim_changed(s);
}

static void tim_arr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);

    if (!FIELD_EX32(s->regs[R_CR1], CR1, ARPE)) {
        tim_rebase(s, now_ns());
        s->arr_active = val;
        normalise_epoch(s);
        tim_changed(s);
    }
}

static int ccr_channel(RegisterInfo *reg)
{
    return (reg->access->addr - A_CCR1) / 4;
}

static void tim_ccr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);
    int ch = ccr_channel(reg);

    if (ch < s->num_channels && !channel_preloaded(s, ch)) {
        tim_rebase(s, now_ns());
        s->ccr_active[ch] = val;
        tim_changed(s);
    }
}

static uint64_t tim_ccmr_pre_write(RegisterInfo *reg, uint64_t val)
{
    tim_rebase(timer_of(reg), now_ns());
    return val;
}

static void tim_ccmr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5TimerState *s = timer_of(reg);

    for (int ch = 0; ch < s->num_channels; ch++) {
        if (channel_mode(s, ch) > OCM_PWM2) {
            qemu_log_mask(LOG_UNIMP, "%s: OC%dM mode %u is not modelled\n",
                          DEVICE(s)->canonical_path, ch + 1,
                          channel_mode(s, ch));
        }
        if (!channel_preloaded(s, ch)) {
            s->ccr_active[ch] = s->regs[R_CCR1 + ch];
        }
    }
    tim_changed(s);
}

static const RegisterAccessInfo tim_regs_info[] = {
    {
        .name = "CR1", .addr = A_CR1,
        .pre_write = tim_cr1_pre_write, .post_write = tim_cr1_post_write,
        .post_read = tim_cr1_post_read,
    }, {
        .name = "CR2", .addr = A_CR2, .post_write = tim_output_post_write,
    }, {
        .name = "SMCR", .addr = A_SMCR,
    }, {
        .name = "DIER", .addr = A_DIER, .post_write = tim_irq_post_write,
    }, {
        .name = "SR", .addr = A_SR,
        .pre_write = tim_sr_pre_write, .post_write = tim_irq_post_write,
    }, {
        .name = "EGR", .addr = A_EGR, .post_write = tim_egr_post_write,
    }, {
        .name = "CCMR1", .addr = A_CCMR1,
        .pre_write = tim_ccmr_pre_write, .post_write = tim_ccmr_post_write,
    }, {
        .name = "CCMR2", .addr = A_CCMR2,
        .pre_write = tim_ccmr_pre_write, .post_write = tim_ccmr_post_write,
    }, {
        .name = "CCER", .addr = A_CCER, .post_write = tim_output_post_write,
    }, {
        .name = "CNT", .addr = A_CNT,
        .post_read = tim_cnt_post_read, .post_write = tim_cnt_post_write,
    }, {
        .name = "PSC", .addr = A_PSC,
    }, {
        .name = "ARR", .addr = A_ARR, .post_write = tim_arr_post_write,
    }, {
        .name = "RCR", .addr = A_RCR,
    }, {
        .name = "CCR1", .addr = A_CCR1, .post_write = tim_ccr_post_write,
    }, {
        .name = "CCR2", .addr = A_CCR2, .post_write = tim_ccr_post_write,
    }, {
        .name = "CCR3", .addr = A_CCR3, .post_write = tim_ccr_post_write,
    }, {
        .name = "CCR4", .addr = A_CCR4, .post_write = tim_ccr_post_write,
    }, {
        .name = "BDTR", .addr = A_BDTR, .post_write = tim_output_post_write,
    },
    { .name = "CCR5", .addr = A_CCR5 },
    { .name = "CCR6", .addr = A_CCR6 },
    { .name = "CCMR3", .addr = A_CCMR3 },
    { .name = "DTR2", .addr = A_DTR2 },
    { .name = "ECR", .addr = A_ECR },
    { .name = "TISEL", .addr = A_TISEL },
    { .name = "AF1", .addr = A_AF1 },
    { .name = "AF2", .addr = A_AF2 },
    { .name = "OR1", .addr = A_OR1 },
};

/* The bits of register @addr this variant has (the rest read as 0). */
static uint32_t variant_bits(STM32U5TimerState *s, hwaddr addr)
{
    uint32_t channels = MAKE_64BIT_MASK(0, s->num_channels);
    uint32_t per_channel_nibble = 0, ccmr1 = 0, ccmr2 = 0;
    bool general = s->num_channels > 0;

    for (int ch = 0; ch < s->num_channels; ch++) {
        per_channel_nibble |= 0xFu << (ch * 4);
    }
    /* Each channel: its CCMR byte and OCxM[3] (bits 16 and 24) */
    ccmr1 = (s->num_channels > 0 ? 0x000100FF : 0) |
            (s->num_channels > 1 ? 0x0100FF00 : 0);
    ccmr2 = (s->num_channels > 2 ? 0x000100FF : 0) |
            (s->num_channels > 3 ? 0x0100FF00 : 0);

    switch (addr) {
    case A_CR1:
        return 0x1B8F | (s->can_count_down ? 0x70 : 0);
    case A_CR2:
        return general ? 0x03F7FFFD : R_CR2_MMS_MASK;
    case A_SMCR:
        return general ? 0x03F1FFF7 : 0;
    case A_DIER:
        return R_DIER_UIE_MASK | R_DIER_UDE_MASK |
               (general ? channels << 1 | channels << 9 | 0x60 | 0x4000 : 0) |
               (s->has_rcr_bdtr ? 0x2080 : 0);
    case A_SR:
        return R_SR_UIF_MASK |
               (general ? channels << 1 | channels << 9 | R_SR_TIF_MASK : 0) |
               (s->has_rcr_bdtr ? R_SR_COMIF_MASK | R_SR_BIF_MASK |
                                  R_SR_B2IF_MASK | R_SR_SBIF_MASK : 0);
    case A_EGR:
        return R_EGR_UG_MASK |
               (general ? channels << 1 | R_EGR_TG_MASK : 0) |
               (s->has_rcr_bdtr ? R_EGR_COMG_MASK | R_EGR_BG_MASK |
                                  R_EGR_B2G_MASK : 0);
    case A_CCMR1:
        return ccmr1;
    case A_CCMR2:
        return ccmr2;
    case A_CCER:
        return per_channel_nibble;
    case A_CNT:
        return counter_mask(s);
    case A_PSC:
        return 0xFFFF;
    case A_ARR:
        return counter_mask(s);
    case A_RCR:
        return s->has_rcr_bdtr ? 0xFFFF : 0;
    case A_CCR1 ... A_CCR4:
        return (addr - A_CCR1) / 4 < s->num_channels ? counter_mask(s) : 0;
    case A_BDTR:
        return s->has_rcr_bdtr ? 0x3FFFFFFF : 0;
    default:
        /* stored, not modelled: where the timer has channels */
        return general ? UINT32_MAX : 0;
    }
}

static uint64_t tim_read(void *opaque, hwaddr addr, unsigned size)
{
    RegisterInfoArray *reg_array = opaque;
    STM32U5TimerState *s = STM32U5_TIMER(reg_array->r[0]->opaque);

    tim_catch_up(s, now_ns());
    return register_read_memory(opaque, addr, size);
}

static void tim_write(void *opaque, hwaddr addr, uint64_t value,
                      unsigned size)
{
    RegisterInfoArray *reg_array = opaque;
    STM32U5TimerState *s = STM32U5_TIMER(reg_array->r[0]->opaque);

    tim_catch_up(s, now_ns());
    register_write_memory(opaque, addr, value, size);
}

static const MemoryRegionOps tim_ops = {
    .read = tim_read,
    .write = tim_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void stm32u5_timer_reset_hold(Object *obj, ResetType type)
{
    STM32U5TimerState *s = STM32U5_TIMER(obj);

    timer_del(s->event_timer);
    for (size_t i = 0; i < ARRAY_SIZE(s->regs_info); i++) {
        if (s->regs_info[i].access) {
            register_reset(&s->regs_info[i]);
        }
    }
    s->epoch_ns = 0;
    s->epoch_count = 0;
    s->epoch_done = 0;
    s->counting_down = false;
    s->psc_active = 0;
    s->arr_active = s->regs[R_ARR];
    memset(s->ccr_active, 0, sizeof(s->ccr_active));
    s->repetition = 0;
    s->ocref = 0;
}

static void stm32u5_timer_reset_exit(Object *obj, ResetType type)
{
    STM32U5TimerState *s = STM32U5_TIMER(obj);

    for (int ch = 0; ch < s->num_channels; ch++) {
        qemu_set_irq(s->oc[ch], 0);
    }
    s->oc_levels = 0;
    tim_update_irqs(s);
}

static void stm32u5_timer_clock_changed(void *opaque, ClockEvent event)
{
    STM32U5TimerState *s = opaque;

    if (event == ClockPreUpdate) {
        /* Up to now the counter ran with the old period */
        tim_catch_up(s, now_ns());
        tim_rebase(s, now_ns());
    } else {
        tim_schedule(s);
    }
}

static void stm32u5_timer_init(Object *obj)
{
    STM32U5TimerState *s = STM32U5_TIMER(obj);

    s->clk = qdev_init_clock_in(DEVICE(obj), "clk",
                                stm32u5_timer_clock_changed, s,
                                ClockPreUpdate | ClockUpdate);
    s->event_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, tim_event, s);
    object_property_add_uint32_ptr(obj, "oc-levels", &s->oc_levels,
                                   OBJ_PROP_FLAG_READ);
}

static void stm32u5_timer_finalize(Object *obj)
{
    STM32U5TimerState *s = STM32U5_TIMER(obj);

    timer_free(s->event_timer);
    if (s->reg_array) {
        register_finalize_block(s->reg_array);
    }
    g_free(s->access_info);
}

static void stm32u5_timer_realize(DeviceState *dev, Error **errp)
{
    STM32U5TimerState *s = STM32U5_TIMER(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (!clock_has_source(s->clk)) {
        error_setg(errp, "stm32u5-timer: clk must be connected");
        return;
    }
    if (s->num_channels > STM32U5_TIMER_MAX_CHANNELS) {
        error_setg(errp, "stm32u5-timer: num-channels is at most %d",
                   STM32U5_TIMER_MAX_CHANNELS);
        return;
    }
    if (s->counter_bits != 16 && s->counter_bits != 32) {
        error_setg(errp, "stm32u5-timer: counter-bits must be 16 or 32");
        return;
    }

    s->access_info = g_memdup2(tim_regs_info, sizeof(tim_regs_info));
    for (size_t i = 0; i < ARRAY_SIZE(tim_regs_info); i++) {
        RegisterAccessInfo *info = &s->access_info[i];

        info->ro = ~(uint64_t)variant_bits(s, info->addr);
        if (info->addr == A_ARR) {
            info->reset = counter_mask(s);
        }
    }
    s->reg_array = register_init_block32(dev, s->access_info,
                                         ARRAY_SIZE(tim_regs_info),
                                         s->regs_info, s->regs, &tim_ops,
                                         false, STM32U5_TIMER_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->reg_array->mem);
    for (int i = 0; i < (s->split_irqs ? STM32U5_TIMER_NUM_IRQS : 1); i++) {
        sysbus_init_irq(sbd, &s->irq[i]);
    }
    qdev_init_gpio_out_named(dev, s->oc, "oc", s->num_channels);
}

static const VMStateDescription vmstate_stm32u5_timer = {
    .name = TYPE_STM32U5_TIMER,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5TimerState,
                             STM32U5_TIMER_NUM_WORDS),
        VMSTATE_UINT32(psc_active, STM32U5TimerState),
        VMSTATE_UINT32(arr_active, STM32U5TimerState),
        VMSTATE_UINT32_ARRAY(ccr_active, STM32U5TimerState,
                             STM32U5_TIMER_MAX_CHANNELS),
        VMSTATE_UINT32(repetition, STM32U5TimerState),
        VMSTATE_INT64(epoch_ns, STM32U5TimerState),
        VMSTATE_UINT32(epoch_count, STM32U5TimerState),
        VMSTATE_UINT32(epoch_done, STM32U5TimerState),
        VMSTATE_BOOL(counting_down, STM32U5TimerState),
        VMSTATE_UINT32(ocref, STM32U5TimerState),
        VMSTATE_UINT32(oc_levels, STM32U5TimerState),
        VMSTATE_TIMER_PTR(event_timer, STM32U5TimerState),
        VMSTATE_CLOCK(clk, STM32U5TimerState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property stm32u5_timer_properties[] = {
    DEFINE_PROP_UINT8("num-channels", STM32U5TimerState, num_channels, 0),
    DEFINE_PROP_UINT8("counter-bits", STM32U5TimerState, counter_bits, 16),
    DEFINE_PROP_BOOL("can-count-down", STM32U5TimerState, can_count_down,
                     false),
    DEFINE_PROP_BOOL("has-rcr-bdtr", STM32U5TimerState, has_rcr_bdtr, false),
    DEFINE_PROP_BOOL("split-irqs", STM32U5TimerState, split_irqs, false),
};

static void stm32u5_timer_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 timer (TIM1-8, TIM15-17)";
    dc->realize = stm32u5_timer_realize;
    dc->vmsd = &vmstate_stm32u5_timer;
    device_class_set_props(dc, stm32u5_timer_properties);
    rc->phases.hold = stm32u5_timer_reset_hold;
    rc->phases.exit = stm32u5_timer_reset_exit;
}

static const TypeInfo stm32u5_timer_info = {
    .name          = TYPE_STM32U5_TIMER,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5TimerState),
    .instance_init = stm32u5_timer_init,
    .instance_finalize = stm32u5_timer_finalize,
    .class_init    = stm32u5_timer_class_init,
};

static void stm32u5_timer_register_types(void)
{
    type_register_static(&stm32u5_timer_info);
}

type_init(stm32u5_timer_register_types)
