/*
 * ring-order: records triggered back to back on a 4-record center all reach
 * the ISR, one per interrupt, in tag order, written in ring order (slot 0,
 * 1, 2, 3, 0, ...), with timestamps from the mvGetMicroseconds clock.
 *
 * Two bursts of ten: the first with interrupts open (the ISR runs between
 * the triggers), the second with PRIMASK set while triggering and for a
 * further 20 delivery gaps. The NVIC has one pending bit per line, so while
 * the interrupt cannot be taken the emulator must hold the queued records
 * back instead of overrunning the ring.
 */
#include "fwtest.h"

#define IRQ      TIM1_BRK_IRQn  /* 41 */
#define SLOTS    4u
#define BURST    10u
#define COUNT    (2u * BURST)
#define TAG0     100u
#define HOLD_US  2000u          /* 20 x the default 100 us delivery gap */

static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static FwCenter center;

/* What the ISR saw at each entry, checked later in thread mode. */
static volatile uint32_t entries;
static volatile uint32_t seen_slot[COUNT];
static volatile uint32_t seen_tag[COUNT];
static volatile uint32_t seen_type[COUNT];
static volatile uint64_t seen_us[COUNT];

void TIM1_BRK_IRQHandler(void)
{
    uint32_t i = entries++;

    if (i < COUNT) {
        /* The record the emulator wrote must be the one at our read index:
         * its tag proves which slot it went to. */
        seen_slot[i] = center.read_index;
        seen_us[i] = ring[center.read_index].microseconds;
    }
    fw_center_isr(&center);
    if (i < COUNT) {
        seen_tag[i] = center.last_tag;
        seen_type[i] = center.last_type;
    }
}

static void spin_us(uint32_t us)
{
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
    }
}

/* Trigger records first..first+BURST-1; [before, after] bounds their times. */
static void burst(uint32_t first, int masked, uint64_t *before, uint64_t *after)
{
    if (masked)
        mv_disable_irq();
    *before = fw_micros();
    for (uint32_t i = first; i < first + BURST; i++)
        CHECK_STATUS(mvTempTriggerNotification(center.handle,
                                               MV_EVENTTYPE_CHANNELDATAREADABLE,
                                               TAG0 + i),
                     MV_STATUS_OKAY);
    if (masked) {
        spin_us(HOLD_US);
        CHECK_EQ(entries, first);        /* nothing taken while masked */
        CHECK_EQ(mv_nvic_is_pending(IRQ), 1);
        mv_enable_irq();
    }
    CHECK(fw_center_wait(&center, first + BURST, 1000000u));
    *after = fw_micros();
}

int main(void)
{
    uint64_t before[2], after[2];

    mvtest_begin("notifications-ring-order");
    mv_enable_irq();

    if (!CHECK_STATUS(fw_center_open(&center, ring, SLOTS, IRQ), MV_STATUS_OKAY))
        mvtest_end();

    burst(0, 0, &before[0], &after[0]);
    burst(BURST, 1, &before[1], &after[1]);

    /* Let any extra (wrong) delivery or spurious entry show up. */
    spin_us(5000u);
    CHECK_EQ(entries, COUNT);
    CHECK_EQ(center.received, COUNT);
    CHECK_EQ(mv_nvic_is_pending(IRQ), 0);

    uint32_t n = entries < COUNT ? entries : COUNT;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b = i / BURST;
        CHECK_EQ(seen_slot[i], i % SLOTS);
        CHECK_EQ(seen_tag[i], TAG0 + i);
        CHECK_EQ(seen_type[i], (uint32_t)MV_EVENTTYPE_CHANNELDATAREADABLE);
        CHECK(seen_us[i] >= before[b]);
        CHECK(seen_us[i] <= after[b]);
        if (i > 0)
            CHECK(seen_us[i] >= seen_us[i - 1]);
    }

    /* After five laps the ring holds the last four tags, all consumed. */
    for (uint32_t s = 0; s < SLOTS; s++) {
        CHECK_EQ(ring[s].tag, TAG0 + COUNT - SLOTS + s);
        CHECK_EQ((uint32_t)ring[s].event_type, (uint32_t)MV_EVENTTYPE_NOEVENT);
    }

    mvtest_log("burst 1: %lu..%lu us, burst 2: %lu..%lu us",
               (unsigned long)before[0], (unsigned long)after[0],
               (unsigned long)before[1], (unsigned long)after[1]);
    mvtest_end();
}
