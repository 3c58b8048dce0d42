/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * peripherals-timers: TIM1-5, TIM8, TIM15-17 driven the way ST's HAL drives
 * them (TIM_Base_SetConfig, HAL_TIM_Base_Start_IT, TIM_OCx_SetConfig,
 * HAL_TIM_PWM_Start, HAL_TIM_OnePulse_Init), rates measured in virtual time
 * under the runner's -icount.
 *
 * - Reset values: ARR is 32 bits wide on TIM2-5, 16 on the others; TIM16 has
 *   one channel (CCR2 reads 0); TIM15-17 cannot count down (DIR reads 0).
 * - TIM2 (32-bit): a period beyond 16 bits (ARR = 99999 at 10 MHz: 100 Hz),
 *   CNT above 0xFFFF.
 * - TIM3 counting down: 1 kHz updates, CNT falls.
 * - TIM1 centre-aligned (CMS = 1) with RCR = 1: ARR = 500 at 1 MHz turns
 *   every 500 us; with one repetition the update interrupt (TIM1_UP, its own
 *   line) comes every 1 ms; DIR reads back both directions; CC1IF only while
 *   counting down.
 * - TIM8 edge-aligned with RCR = 2: an update every third overflow.
 * - TIM4 output compare: CC1 (toggle) and CC2 (frozen) interrupts at 1 kHz
 *   each, raised when CNT reaches CCRx; CC3IF without its interrupt; CCR4
 *   above ARR never matches; EGR.CC3G; CCR preload (OC1PE) waits for the
 *   update.
 * - TIM15: EGR.TG and EGR.BG set TIF and BIF and clear MOE on its one line.
 * - One-pulse mode on TIM2: one update, CEN clear, CNT stays 0.
 * - Output levels (the "oc-levels" property, read by the runner over QMP at
 *   "OC LEVELS READY"): TIM1 0 (MOE clear), TIM2 2 (after the one pulse:
 *   CH1 PWM2 back to inactive, CH2 toggled once), TIM3 9 (stopped at
 *   CNT = 100: PWM1 CCR 500 active, PWM1 CCR 50 inactive, PWM2 CCR 500
 *   inactive, PWM1 CCR 50 with CC4P inverted), TIM4 5 (running: PWM1 at
 *   100 %, PWM1 at 0 %, PWM2 at 0 %, forced active inverted), TIM8 3 (as
 *   TIM1 with MOE), TIM16 1 (forced active).
 */
#include "fwtest.h"

#define RCC_BASE        0x46020C00u
#define RCC_CFGR2       (RCC_BASE + 0x020)

typedef struct {
    volatile uint32_t CR1, CR2, SMCR, DIER, SR, EGR, CCMR1, CCMR2, CCER, CNT,
                      PSC, ARR, RCR, CCR[4], BDTR;
} Timer;

#define TIM2  ((Timer *)0x40000000u)
#define TIM3  ((Timer *)0x40000400u)
#define TIM4  ((Timer *)0x40000800u)
#define TIM5  ((Timer *)0x40000C00u)
#define TIM1  ((Timer *)0x40012C00u)
#define TIM8  ((Timer *)0x40013400u)
#define TIM15 ((Timer *)0x40014000u)
#define TIM16 ((Timer *)0x40014400u)
#define TIM17 ((Timer *)0x40014800u)

#define CR1_CEN     (1u << 0)
#define CR1_OPM     (1u << 3)
#define CR1_DIR     (1u << 4)
#define CR1_CMS_1   (1u << 5)       /* centre-aligned mode 1 */
#define CR1_CMS     (3u << 5)
#define CR1_ARPE    (1u << 7)
#define CR1_CKD     (3u << 8)
#define SR_UIF      (1u << 0)
#define SR_CCIF(ch) (1u << (ch))    /* ch = 1 ... 4 */
#define SR_TIF      (1u << 6)
#define SR_BIF      (1u << 7)
#define DIER_UIE    (1u << 0)
#define DIER_CCIE(ch) (1u << (ch))
#define DIER_TIE    (1u << 6)
#define DIER_BIE    (1u << 7)
#define EGR_UG      (1u << 0)
#define EGR_CCG(ch) (1u << (ch))
#define EGR_TG      (1u << 6)
#define EGR_BG      (1u << 7)
#define BDTR_MOE    (1u << 15)

/* OCxM values (TIM_OCMODE_*) */
enum {
    OC_FROZEN, OC_ACTIVE, OC_INACTIVE, OC_TOGGLE, OC_FORCED_INACTIVE,
    OC_FORCED_ACTIVE, OC_PWM1, OC_PWM2,
};

/* TIM_Base_SetConfig followed by the UG and UIF clearing it does. */
static void base_init(Timer *t, uint32_t psc, uint32_t arr, uint32_t mode,
                      int has_rcr, uint32_t rcr)
{
    uint32_t cr1 = t->CR1;
    cr1 &= ~(CR1_DIR | CR1_CMS);
    cr1 |= mode;
    cr1 &= ~CR1_CKD;
    cr1 &= ~CR1_ARPE;
    t->CR1 = cr1;
    t->ARR = arr;
    t->PSC = psc;
    if (has_rcr) {
        t->RCR = rcr;
    }
    t->EGR = EGR_UG;
    if (t->SR & SR_UIF) {
        t->SR &= ~SR_UIF;
    }
}

/*
 * TIM_OCx_SetConfig (mode, polarity, CCRx; OCxPE untouched), then the
 * OCxPE that HAL_TIM_PWM_ConfigChannel sets after it.
 */
static void oc_config(Timer *t, int ch, uint32_t mode, uint32_t pulse,
                      int inverted, int preload)
{
    volatile uint32_t *ccmr = ch <= 2 ? &t->CCMR1 : &t->CCMR2;
    unsigned shift = ch % 2 ? 0 : 8;
    uint32_t v;

    t->CCER &= ~(1u << ((ch - 1) * 4));
    v = *ccmr;
    v &= ~((0x73u << shift) | (1u << (16 + shift)));  /* OCxM, CCxS */
    v |= ((mode & 7u) << (4 + shift)) | ((mode >> 3) << (16 + shift));
    *ccmr = v;
    t->CCER = (t->CCER & ~(2u << ((ch - 1) * 4))) |
              (inverted ? 2u << ((ch - 1) * 4) : 0);
    t->CCR[ch - 1] = pulse;
    if (preload) {
        *ccmr |= 1u << (3 + shift);                 /* OCxPE */
    }
}

/* HAL_TIM_PWM_Start / HAL_TIM_OC_Start without the counter enable. */
static void channel_enable(Timer *t, int ch)
{
    t->CCER |= 1u << ((ch - 1) * 4);
}

static uint32_t apb_timer_clock(int apb)
{
    uint32_t pclk = 0, cfgr2 = 0;
    if (apb == 1) {
        mvGetPClk1(&pclk);
    } else {
        mvGetPClk2(&pclk);
    }
    mvPeriphPeek32(RCC_CFGR2, &cfgr2);
    uint32_t ppre = (cfgr2 >> (apb == 1 ? 4 : 8)) & 7;
    return ppre < 4 ? pclk : 2 * pclk;
}

static void spin_us(uint32_t us)
{
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
    }
}

/* Counter of `*count` over `us` of virtual time, starting at an event. */
static uint32_t events_in(volatile uint32_t *count, uint32_t us)
{
    uint64_t start = fw_micros();
    while (*count == 0 && fw_micros() - start < 100000) {
    }
    uint32_t first = *count;
    spin_us(us);
    return *count - first;
}

static volatile uint32_t tim2_updates, tim3_updates, tim1_updates, tim8_updates;
static volatile uint32_t tim4_cc1, tim4_cc2, tim4_cc1_late, tim1_cc1, tim15_irqs;
static volatile uint32_t tim15_sr;

void TIM2_IRQHandler(void)
{
    if (TIM2->SR & SR_UIF) {
        TIM2->SR = ~SR_UIF;
        tim2_updates++;
    }
}

void TIM3_IRQHandler(void)
{
    if (TIM3->SR & SR_UIF) {
        TIM3->SR = ~SR_UIF;
        tim3_updates++;
    }
}

void TIM1_UP_IRQHandler(void)
{
    if (TIM1->SR & SR_UIF) {
        TIM1->SR = ~SR_UIF;
        tim1_updates++;
    }
}

void TIM1_CC_IRQHandler(void)
{
    if (TIM1->SR & SR_CCIF(1)) {
        TIM1->SR = ~SR_CCIF(1);
        tim1_cc1++;
    }
}

void TIM8_UP_IRQHandler(void)
{
    if (TIM8->SR & SR_UIF) {
        TIM8->SR = ~SR_UIF;
        tim8_updates++;
    }
}

/* HAL_TIM_IRQHandler's order: CC1, CC2, ... then update. */
void TIM4_IRQHandler(void)
{
    uint32_t sr = TIM4->SR;
    if (sr & SR_CCIF(1)) {
        uint32_t cnt = TIM4->CNT;
        TIM4->SR = ~SR_CCIF(1);
        tim4_cc1++;
        if (cnt < 250 || cnt > 300) {   /* raised when CNT reached CCR1 */
            tim4_cc1_late++;
        }
    }
    if (sr & SR_CCIF(2)) {
        TIM4->SR = ~SR_CCIF(2);
        tim4_cc2++;
    }
}

void TIM15_IRQHandler(void)
{
    tim15_sr = TIM15->SR;
    TIM15->SR = 0;
    tim15_irqs++;
}

static void check_reset_values(void)
{
    CHECK_EQ(TIM2->ARR, 0xFFFFFFFFu);
    CHECK_EQ(TIM5->ARR, 0xFFFFFFFFu);
    CHECK_EQ(TIM1->ARR, 0xFFFFu);
    CHECK_EQ(TIM17->ARR, 0xFFFFu);
    TIM3->ARR = 0x12345678u;            /* 32 bits kept */
    CHECK_EQ(TIM3->ARR, 0x12345678u);
    TIM8->ARR = 0x12345678u;            /* 16 bits */
    CHECK_EQ(TIM8->ARR, 0x5678u);
    TIM16->CCR[0] = 0x1234;
    TIM16->CCR[1] = 0x1234;             /* TIM16 has one channel */
    CHECK_EQ(TIM16->CCR[0], 0x1234u);
    CHECK_EQ(TIM16->CCR[1], 0u);
    TIM16->CR1 = CR1_DIR;               /* no down-counting on TIM15-17 */
    CHECK_EQ(TIM16->CR1, 0u);
    TIM3->ARR = 0xFFFFFFFFu;
    TIM8->ARR = 0xFFFFu;
}

static void check_tim2_32bit(uint32_t timclk1)
{
    base_init(TIM2, timclk1 / 10000000u - 1u, 99999, 0, 0, 0);   /* 100 Hz */
    TIM2->DIER |= DIER_UIE;
    mv_nvic_enable_irq(TIM2_IRQn);
    TIM2->CR1 |= CR1_CEN;
    uint32_t updates = events_in(&tim2_updates, 200000);
    mvtest_log("TIM2 updates=%lu in 200 ms", (unsigned long)updates);
    CHECK(updates >= 19 && updates <= 21);
    uint64_t start = fw_micros();
    while (TIM2->CNT <= 0xFFFFu && fw_micros() - start < 20000) {
    }
    CHECK(TIM2->CNT > 0xFFFFu);
    CHECK(TIM2->CNT <= 99999u);
    TIM2->CR1 &= ~CR1_CEN;
    TIM2->DIER = 0;
    mv_nvic_disable_irq(TIM2_IRQn);
}

static void check_tim3_down(uint32_t timclk1)
{
    base_init(TIM3, timclk1 / 1000000u - 1u, 999, CR1_DIR, 0, 0);
    CHECK_EQ(TIM3->CNT, 999u);          /* UG loads ARR when counting down */
    TIM3->DIER |= DIER_UIE;
    mv_nvic_enable_irq(TIM3_IRQn);
    TIM3->CR1 |= CR1_CEN;
    uint32_t updates = events_in(&tim3_updates, 200000);
    mvtest_log("TIM3 down updates=%lu in 200 ms", (unsigned long)updates);
    CHECK(updates >= 199 && updates <= 201);
    uint32_t c0 = TIM3->CNT;
    spin_us(100);
    uint32_t c1 = TIM3->CNT;
    uint32_t fell = (c0 + 1000 - c1) % 1000;
    mvtest_log("TIM3 CNT %lu -> %lu", (unsigned long)c0, (unsigned long)c1);
    CHECK(fell >= 90 && fell <= 130);
    TIM3->CR1 &= ~CR1_CEN;
    TIM3->DIER = 0;
    mv_nvic_disable_irq(TIM3_IRQn);
}

static void check_tim1_centre(uint32_t timclk2)
{
    /* HAL: CounterMode = TIM_COUNTERMODE_CENTERALIGNED1, RCR = 1 */
    base_init(TIM1, timclk2 / 1000000u - 1u, 500, CR1_CMS_1, 1, 1);
    oc_config(TIM1, 1, OC_FROZEN, 100, 0, 0);
    TIM1->DIER |= DIER_UIE | DIER_CCIE(1);
    mv_nvic_enable_irq(TIM1_UP_IRQn);
    mv_nvic_enable_irq(TIM1_CC_IRQn);
    TIM1->CR1 |= CR1_CEN;
    uint32_t updates = events_in(&tim1_updates, 200000);
    uint32_t cc = tim1_cc1;
    mvtest_log("TIM1 centre-aligned RCR=1 updates=%lu in 200 ms, CC1 %lu",
               (unsigned long)updates, (unsigned long)cc);
    CHECK(updates >= 199 && updates <= 201);
    /* CMS = 1: CC1IF once per 1 ms cycle (counting down), not twice */
    CHECK(cc >= 195 && cc <= 215);
    /* DIR is read-only and shows the direction */
    int seen_up = 0, seen_down = 0;
    uint64_t start = fw_micros();
    while (!(seen_up && seen_down) && fw_micros() - start < 5000) {
        if (TIM1->CR1 & CR1_DIR) {
            seen_down = 1;
        } else {
            seen_up = 1;
        }
    }
    CHECK(seen_up && seen_down);
    TIM1->CR1 &= ~CR1_CEN;
    TIM1->DIER = 0;
    mv_nvic_disable_irq(TIM1_UP_IRQn);
    mv_nvic_disable_irq(TIM1_CC_IRQn);
}

static void check_tim8_repetition(uint32_t timclk2)
{
    base_init(TIM8, timclk2 / 1000000u - 1u, 999, 0, 1, 2);
    TIM8->DIER |= DIER_UIE;
    mv_nvic_enable_irq(TIM8_UP_IRQn);
    TIM8->CR1 |= CR1_CEN;
    uint32_t updates = events_in(&tim8_updates, 300000);
    mvtest_log("TIM8 RCR=2 updates=%lu in 300 ms", (unsigned long)updates);
    CHECK(updates >= 99 && updates <= 101);
    TIM8->CR1 &= ~CR1_CEN;
    TIM8->DIER = 0;
    mv_nvic_disable_irq(TIM8_UP_IRQn);
}

static void check_tim4_compare(uint32_t timclk1)
{
    base_init(TIM4, timclk1 / 1000000u - 1u, 999, 0, 0, 0);
    oc_config(TIM4, 1, OC_TOGGLE, 250, 0, 0);
    oc_config(TIM4, 2, OC_FROZEN, 750, 0, 0);
    oc_config(TIM4, 3, OC_FROZEN, 600, 0, 0);
    oc_config(TIM4, 4, OC_FROZEN, 2000, 0, 0);  /* beyond ARR */
    TIM4->DIER |= DIER_CCIE(1) | DIER_CCIE(2);
    mv_nvic_enable_irq(TIM4_IRQn);
    TIM4->CR1 |= CR1_CEN;
    uint32_t cc1 = events_in(&tim4_cc1, 200000);
    uint32_t cc2 = tim4_cc2;
    mvtest_log("TIM4 CC1=%lu CC2=%lu in 200 ms, CC1 late %lu",
               (unsigned long)cc1, (unsigned long)cc2,
               (unsigned long)tim4_cc1_late);
    CHECK(cc1 >= 199 && cc1 <= 201);
    CHECK(cc2 >= 195 && cc2 <= 205);
    CHECK_EQ(tim4_cc1_late, 0u);
    /* CC3IF without its interrupt; CCR4 beyond ARR never matches */
    TIM4->SR = ~(SR_CCIF(3) | SR_CCIF(4));
    spin_us(1100);
    CHECK(TIM4->SR & SR_CCIF(3));
    CHECK_EQ(TIM4->SR & SR_CCIF(4), 0u);
    TIM4->SR = ~SR_CCIF(3);
    CHECK_EQ(TIM4->SR & SR_CCIF(3), 0u);
    TIM4->EGR = EGR_CCG(3);             /* software compare event */
    CHECK(TIM4->SR & SR_CCIF(3));
    TIM4->DIER = 0;
    mv_nvic_disable_irq(TIM4_IRQn);

    /* OC3PE: a new CCR3 takes effect at the next update only */
    TIM4->CR1 &= ~CR1_CEN;
    oc_config(TIM4, 3, OC_FROZEN, 100, 0, 1);
    TIM4->EGR = EGR_UG;                 /* CCR3 = 100 active */
    TIM4->CCR[2] = 900;                 /* preloaded */
    TIM4->SR = 0;
    TIM4->CR1 |= CR1_CEN;
    spin_us(300);                       /* CNT passed 100, not 900 */
    CHECK(TIM4->SR & SR_CCIF(3));
    CHECK(TIM4->CNT < 900u);
    TIM4->CR1 &= ~CR1_CEN;
}

static void check_tim15_events(void)
{
    TIM15->BDTR = BDTR_MOE;
    TIM15->SR = 0;
    TIM15->DIER = DIER_TIE | DIER_BIE;
    mv_nvic_enable_irq(TIM15_IRQn);
    TIM15->EGR = EGR_TG;
    CHECK_EQ(tim15_irqs, 1u);
    CHECK_EQ(tim15_sr & SR_TIF, SR_TIF);
    TIM15->EGR = EGR_BG;
    CHECK_EQ(tim15_irqs, 2u);
    CHECK_EQ(tim15_sr & SR_BIF, SR_BIF);
    CHECK_EQ(TIM15->BDTR & BDTR_MOE, 0u);    /* a break clears MOE */
    TIM15->DIER = 0;
    mv_nvic_disable_irq(TIM15_IRQn);
}

/* HAL_TIM_OnePulse_Init + HAL_TIM_OnePulse_Start with PWM2 on CH1. */
static void check_tim2_one_pulse(uint32_t timclk1)
{
    base_init(TIM2, timclk1 / 1000000u - 1u, 199, 0, 0, 0);
    TIM2->CR1 = (TIM2->CR1 & ~CR1_OPM) | CR1_OPM;
    oc_config(TIM2, 1, OC_PWM2, 100, 0, 1);
    oc_config(TIM2, 2, OC_TOGGLE, 50, 0, 0);
    channel_enable(TIM2, 1);
    channel_enable(TIM2, 2);
    tim2_updates = 0;
    TIM2->SR = 0;
    TIM2->DIER = DIER_UIE;
    mv_nvic_enable_irq(TIM2_IRQn);
    TIM2->CR1 |= CR1_CEN;
    spin_us(1000);
    CHECK_EQ(tim2_updates, 1u);
    CHECK_EQ(TIM2->CR1 & CR1_CEN, 0u);
    CHECK_EQ(TIM2->CNT, 0u);
    spin_us(300);
    CHECK_EQ(TIM2->CNT, 0u);
    TIM2->DIER = 0;
    mv_nvic_disable_irq(TIM2_IRQn);
}

/* Stable output levels for the runner to read over QMP. */
static void set_up_output_levels(uint32_t timclk1, uint32_t timclk2)
{
    /* TIM3 stopped at CNT = 100 */
    base_init(TIM3, 0, 999, 0, 0, 0);
    oc_config(TIM3, 1, OC_PWM1, 500, 0, 1);
    oc_config(TIM3, 2, OC_PWM1, 50, 0, 1);
    oc_config(TIM3, 3, OC_PWM2, 500, 0, 1);
    oc_config(TIM3, 4, OC_PWM1, 50, 1, 1);
    TIM3->EGR = EGR_UG;
    for (int ch = 1; ch <= 4; ch++) {
        channel_enable(TIM3, ch);
    }
    TIM3->CNT = 700;                    /* CH1 inactive here ... */
    TIM3->CNT = 100;                    /* ... active again */

    /* TIM4 running at 1 kHz: 100 %, 0 %, PWM2 0 % (100 %), forced */
    base_init(TIM4, timclk1 / 1000000u - 1u, 999, 0, 0, 0);
    oc_config(TIM4, 1, OC_PWM1, 1000, 0, 1);
    oc_config(TIM4, 2, OC_PWM1, 0, 0, 1);
    oc_config(TIM4, 3, OC_PWM2, 0, 0, 1);
    oc_config(TIM4, 4, OC_FORCED_ACTIVE, 0, 1, 0);
    TIM4->EGR = EGR_UG;
    for (int ch = 1; ch <= 4; ch++) {
        channel_enable(TIM4, ch);
    }
    TIM4->CR1 |= CR1_CEN;

    /* TIM1 and TIM8 alike, MOE only on TIM8 */
    Timer *advanced[] = { TIM1, TIM8 };
    for (int i = 0; i < 2; i++) {
        Timer *t = advanced[i];
        base_init(t, timclk2 / 1000000u - 1u, 999, 0, 1, 0);
        oc_config(t, 1, OC_PWM1, 1000, 0, 1);
        oc_config(t, 2, OC_FORCED_ACTIVE, 0, 0, 0);
        channel_enable(t, 1);
        channel_enable(t, 2);
        t->BDTR = i ? BDTR_MOE : 0;     /* __HAL_TIM_MOE_ENABLE on TIM8 */
        t->CR1 |= CR1_CEN;
    }

    oc_config(TIM16, 1, OC_FORCED_ACTIVE, 0, 0, 0);
    channel_enable(TIM16, 1);
    TIM16->BDTR = BDTR_MOE;
}

int main(void)
{
    mvtest_begin("peripherals-timers");
    uint32_t timclk1 = apb_timer_clock(1), timclk2 = apb_timer_clock(2);
    mvtest_log("TIMCLK1 %lu Hz, TIMCLK2 %lu Hz", (unsigned long)timclk1,
               (unsigned long)timclk2);
    mv_enable_irq();

    check_reset_values();
    check_tim2_32bit(timclk1);
    check_tim3_down(timclk1);
    check_tim1_centre(timclk2);
    check_tim8_repetition(timclk2);
    check_tim4_compare(timclk1);
    check_tim15_events();
    check_tim2_one_pulse(timclk1);
    set_up_output_levels(timclk1, timclk2);
    spin_us(3000);                      /* a few PWM periods */

    mvtest_log("SNAPSHOT checks=%lu failures=%lu",
               (unsigned long)mvtest_checks(), (unsigned long)mvtest_failures());
    /* The runner reads the levels here and stops the run (--until). */
    mvtest_log("OC LEVELS READY");
    spin_us(20000000);
    mvtest_end();
}
