/*
 * guest-paced: with no delivery gap (the default), a center hands over its
 * next record as soon as the CPU has taken the previous interrupt, not on a
 * clock. 2,000 records are queued with PRIMASK set; once it is cleared they
 * must all arrive, in order, one per interrupt entry, each within a few
 * microseconds of virtual time of the one before (the ISR's own length under
 * -icount), where a 100 us gap would have spread them over 200 ms.
 */
#include "fwtest.h"

#define IRQ       TIM1_BRK_IRQn  /* 41 */
#define SLOTS     4u
#define COUNT     2000u
#define TAG0      7000u
#define MAX_STEP_US 10u          /* between two records: the ISR's length, not a gap */

static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static FwCenter center;

static volatile uint32_t entries;
static volatile uint32_t out_of_order;
static volatile uint32_t widest_step_us;
static volatile uint64_t first_us, last_us;

void TIM1_BRK_IRQHandler(void)
{
    uint32_t i = entries++;
    uint64_t us = ring[center.read_index].microseconds;

    fw_center_isr(&center);
    if (center.last_tag != TAG0 + i)
        out_of_order++;
    /* Record 0 went out at the first trigger, before the other 1,999 calls:
     * the spacing counts from record 1, the first one the hook handed over. */
    if (i == 1) {
        first_us = us;
    } else if (i > 1 && us - last_us > widest_step_us) {
        widest_step_us = (uint32_t)(us - last_us);
    }
    last_us = us;
}

int main(void)
{
    mvtest_begin("notifications-guest-paced");
    mv_enable_irq();
    if (!CHECK_STATUS(fw_center_open(&center, ring, SLOTS, IRQ), MV_STATUS_OKAY))
        mvtest_end();

    mv_disable_irq();
    for (uint32_t i = 0; i < COUNT; i++)
        CHECK_STATUS(mvTempTriggerNotification(center.handle, MV_EVENTTYPE_CHANNELDATAREADABLE,
                                               TAG0 + i),
                     MV_STATUS_OKAY);
    CHECK_EQ(entries, 0u);
    mv_enable_irq();

    CHECK(fw_center_wait(&center, COUNT, 2000000u));
    CHECK_EQ(entries, COUNT);
    CHECK_EQ(center.received, COUNT);
    CHECK_EQ(out_of_order, 0u);
    CHECK(widest_step_us <= MAX_STEP_US);
    CHECK(last_us - first_us < COUNT * MAX_STEP_US);
    CHECK_EQ(mv_nvic_is_pending(IRQ), 0);
    mvtest_log("%lu records after the first in %lu us of virtual time, widest step %lu us",
               (unsigned long)(COUNT - 1), (unsigned long)(last_us - first_us),
               (unsigned long)widest_step_us);
    mvtest_end();
}
