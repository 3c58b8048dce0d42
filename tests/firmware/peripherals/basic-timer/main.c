/*
 * peripherals-basic-timer: TIM6 and TIM7 driven the way ST's HAL drives them.
 *
 * - The HAL time base (HAL_InitTick on TIM6): TIMCLK from the RCC registers
 *   (PCLK1, or 2 x PCLK1 when APB1 divides HCLK: the second run's profile),
 *   PSC = TIMCLK / 1 MHz - 1, ARR = 999, EGR.UG to load the prescaler, UIF
 *   cleared, UIE, CEN; the update interrupt then ticks at exactly 1 kHz of
 *   virtual time (checked over 200 ms with the runner's -icount).
 * - CNT follows the virtual clock between ticks and never passes ARR.
 * - SR is cleared by writing 0 (writing 1 keeps it); EGR.UG with URS = 1
 *   sets no flag; UDIS blocks update events.
 * - ARR preload (ARPE): a new period starts only after the next update.
 * - One-pulse mode on TIM7: one update, then CEN is clear.
 */
#include "fwtest.h"

#define RCC_BASE        0x46020C00u
#define RCC_CFGR2       (RCC_BASE + 0x020)
#define RCC_APB1ENR1    (RCC_BASE + 0x09C)
#define APB1ENR1_TIM6EN (1u << 4)
#define APB1ENR1_TIM7EN (1u << 5)

typedef struct {
    volatile uint32_t CR1, CR2, SMCR, DIER, SR, EGR, CCMR1, CCMR2, CCER, CNT, PSC, ARR;
} BasicTimer;

#define TIM6 ((BasicTimer *)0x40001000u)
#define TIM7 ((BasicTimer *)0x40001400u)
#define CR1_CEN  (1u << 0)
#define CR1_UDIS (1u << 1)
#define CR1_URS  (1u << 2)
#define CR1_OPM  (1u << 3)
#define CR1_ARPE (1u << 7)
#define SR_UIF   (1u << 0)
#define EGR_UG   (1u << 0)
#define DIER_UIE (1u << 0)

static volatile uint32_t tim6_ticks, tim7_updates;

void TIM6_IRQHandler(void)
{
    if (TIM6->SR & SR_UIF) {
        TIM6->SR = ~SR_UIF;     /* __HAL_TIM_CLEAR_IT */
        tim6_ticks++;
    }
}

void TIM7_IRQHandler(void)
{
    if (TIM7->SR & SR_UIF) {
        TIM7->SR = ~SR_UIF;
        tim7_updates++;
    }
}

/* TIMCLK as HAL_RCC_GetPCLK1Freq() and HAL_InitTick derive it. */
static uint32_t timer_clock(void)
{
    uint32_t pclk1 = 0, cfgr2 = 0;
    mvGetPClk1(&pclk1);
    mvPeriphPeek32(RCC_CFGR2, &cfgr2);
    return ((cfgr2 >> 4) & 7) < 4 ? pclk1 : 2 * pclk1; /* PPRE1 = /1: x1 */
}

static void spin_us(uint32_t us)
{
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
    }
}

int main(void)
{
    mvtest_begin("peripherals-basic-timer");
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR1, APB1ENR1_TIM6EN | APB1ENR1_TIM7EN,
                                APB1ENR1_TIM6EN | APB1ENR1_TIM7EN), MV_STATUS_OKAY);
    CHECK_EQ(TIM6->ARR, 0xFFFFu);   /* reset values */
    CHECK_EQ(TIM6->CR1, 0u);

    /* HAL_InitTick(TICK_INT_PRIORITY) on TIM6. */
    uint32_t timclk = timer_clock();
    mvtest_log("TIMCLK %lu Hz", (unsigned long)timclk);
    TIM6->CR1 = 0;
    TIM6->ARR = 1000000u / 1000u - 1u;
    TIM6->PSC = timclk / 1000000u - 1u;
    TIM6->EGR = EGR_UG;
    CHECK(TIM6->SR & SR_UIF);       /* UG with URS = 0 sets UIF */
    TIM6->SR = ~SR_UIF;
    CHECK_EQ(TIM6->SR, 0u);
    TIM6->DIER |= DIER_UIE;
    mv_nvic_set_priority(TIM6_IRQn, 0);
    mv_nvic_enable_irq(TIM6_IRQn);
    mv_enable_irq();
    TIM6->CR1 |= CR1_CEN;

    /* 1 kHz: count the ticks of 200 ms, from one tick to another. */
    while (tim6_ticks == 0) {
    }
    uint32_t first = tim6_ticks;
    uint64_t start = fw_micros();
    spin_us(200000);
    uint32_t ticks = tim6_ticks - first;
    uint64_t elapsed = fw_micros() - start;
    mvtest_log("TIM6 ticks=%lu in %lu us", (unsigned long)ticks, (unsigned long)elapsed);
    CHECK(ticks >= 199 && ticks <= 201);

    /* CNT moves with virtual time and stays within ARR. */
    uint32_t c0 = TIM6->CNT;
    spin_us(300);
    uint32_t c1 = TIM6->CNT;
    CHECK(c0 <= 999 && c1 <= 999);
    CHECK(c1 != c0);

    /* SR: writing 1 keeps, writing 0 clears; UG with URS = 1 sets nothing. */
    TIM6->DIER = 0;
    TIM6->CR1 |= CR1_URS;
    TIM6->SR = 0;
    TIM6->EGR = EGR_UG;
    CHECK_EQ(TIM6->SR & SR_UIF, 0u);
    CHECK(TIM6->CNT < 200u);        /* UG restarted the counter */
    TIM6->SR = SR_UIF;              /* writing 1 does not set it */
    CHECK_EQ(TIM6->SR & SR_UIF, 0u);
    spin_us(1500);                  /* an overflow sets it even with URS */
    CHECK(TIM6->SR & SR_UIF);
    TIM6->SR = ~SR_UIF;
    CHECK_EQ(TIM6->SR & SR_UIF, 0u);

    /* UDIS: no update events, so no flag. */
    TIM6->CR1 |= CR1_UDIS;
    spin_us(2500);
    CHECK_EQ(TIM6->SR & SR_UIF, 0u);
    TIM6->CR1 &= ~(CR1_UDIS | CR1_URS | CR1_CEN);

    /* ARR preload: with ARPE, a longer period starts after the next update. */
    TIM6->SR = 0;
    TIM6->CR1 = CR1_ARPE;
    TIM6->ARR = 99;                 /* 100 us */
    TIM6->EGR = EGR_UG;             /* loads ARR = 99 */
    TIM6->SR = 0;
    TIM6->ARR = 4999;               /* 5 ms, preloaded */
    TIM6->CR1 |= CR1_CEN;
    spin_us(150);                   /* first period (100 us) is over */
    CHECK(TIM6->SR & SR_UIF);
    TIM6->SR = 0;
    spin_us(1000);                  /* now 5 ms periods: no second flag yet */
    CHECK_EQ(TIM6->SR & SR_UIF, 0u);
    CHECK(TIM6->CNT > 99u);
    TIM6->CR1 = 0;

    /* One-pulse mode on TIM7: one update interrupt, then the counter stops. */
    TIM7->PSC = timclk / 1000000u - 1u;
    TIM7->ARR = 499;
    TIM7->EGR = EGR_UG;
    TIM7->SR = 0;
    TIM7->DIER = DIER_UIE;
    mv_nvic_enable_irq(TIM7_IRQn);
    TIM7->CR1 = CR1_OPM | CR1_CEN;
    spin_us(3000);
    CHECK_EQ(tim7_updates, 1u);
    CHECK_EQ(TIM7->CR1 & CR1_CEN, 0u);
    uint32_t stopped = TIM7->CNT;
    spin_us(200);
    CHECK_EQ(TIM7->CNT, stopped);

    mvtest_end();
}
