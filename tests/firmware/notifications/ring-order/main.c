/*
 * ring-order: ten records triggered back to back on a 4-record center all
 * reach the ISR, one per interrupt, in tag order, written in ring order
 * (slot 0, 1, 2, 3, 0, ...), with timestamps from the mvGetMicroseconds
 * clock.
 */
#include "fwtest.h"

#define IRQ      TIM1_BRK_IRQn  /* 41 */
#define SLOTS    4u
#define COUNT    10u
#define TAG0     100u

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

int main(void)
{
    mvtest_begin("notifications-ring-order");
    mv_enable_irq();

    if (!CHECK_STATUS(fw_center_open(&center, ring, SLOTS, IRQ), MV_STATUS_OKAY))
        mvtest_end();

    uint64_t before = fw_micros();
    for (uint32_t i = 0; i < COUNT; i++)
        CHECK_STATUS(mvTempTriggerNotification(center.handle,
                                               MV_EVENTTYPE_CHANNELDATAREADABLE,
                                               TAG0 + i),
                     MV_STATUS_OKAY);

    CHECK(fw_center_wait(&center, COUNT, 1000000u));
    uint64_t after = fw_micros();

    /* Let any extra (wrong) delivery or spurious entry show up. */
    uint64_t settle = fw_micros();
    while (fw_micros() - settle < 5000u) {
    }
    CHECK_EQ(entries, COUNT);
    CHECK_EQ(center.received, COUNT);
    CHECK_EQ(mv_nvic_is_pending(IRQ), 0);

    uint32_t n = entries < COUNT ? entries : COUNT;
    for (uint32_t i = 0; i < n; i++) {
        CHECK_EQ(seen_slot[i], i % SLOTS);
        CHECK_EQ(seen_tag[i], TAG0 + i);
        CHECK_EQ(seen_type[i], (uint32_t)MV_EVENTTYPE_CHANNELDATAREADABLE);
        CHECK(seen_us[i] >= before);
        CHECK(seen_us[i] <= after);
        if (i > 0)
            CHECK(seen_us[i] >= seen_us[i - 1]);
    }

    /* After 2.5 laps the ring holds the last four tags, all consumed. */
    CHECK_EQ(ring[0].tag, TAG0 + 8);
    CHECK_EQ(ring[1].tag, TAG0 + 9);
    CHECK_EQ(ring[2].tag, TAG0 + 6);
    CHECK_EQ(ring[3].tag, TAG0 + 7);
    for (uint32_t s = 0; s < SLOTS; s++)
        CHECK_EQ(ring[s].event_type, MV_EVENTTYPE_NOEVENT);

    mvtest_log("before=%lu after=%lu first=%lu last=%lu (us)",
               (unsigned long)before, (unsigned long)after,
               (unsigned long)seen_us[0], (unsigned long)seen_us[COUNT - 1]);
    mvtest_end();
}
