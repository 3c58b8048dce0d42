/*
 * overwrite: Microvisor writes each record into the next slot whatever that
 * slot still holds (shared/semantics.md section 1: demos fill the ring with
 * 0xFF and some never clear consumed slots, yet keep receiving). This ISR
 * never clears event_type, and must still get every record over three laps
 * of a 2-slot ring.
 */
#include "fwtest.h"

#define IRQ    TIM1_BRK_IRQn  /* 41 */
#define SLOTS  2u
#define COUNT  6u             /* three laps */
#define TAG0   200u

static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static FwCenter center;

static volatile uint32_t entries;
static volatile uint32_t seen_tag[COUNT];
static volatile uint32_t seen_type[COUNT];

/* Like fw_center_isr, but leaves the slot as it found it. */
void TIM1_BRK_IRQHandler(void)
{
    volatile struct MvNotification *n = &ring[center.read_index];
    uint32_t i = entries++;

    if (i < COUNT) {
        seen_tag[i] = n->tag;
        seen_type[i] = n->event_type;
    }
    center.read_index = (center.read_index + 1u) % SLOTS;
}

int main(void)
{
    mvtest_begin("notifications-overwrite");
    mv_enable_irq();

    /* fw_center_open fills the ring with 0xFF, as the demos do. */
    if (!CHECK_STATUS(fw_center_open(&center, ring, SLOTS, IRQ), MV_STATUS_OKAY))
        mvtest_end();

    for (uint32_t i = 0; i < COUNT; i++)
        CHECK_STATUS(mvTempTriggerNotification(center.handle,
                                               MV_EVENTTYPE_CHANNELDATAREADABLE,
                                               TAG0 + i),
                     MV_STATUS_OKAY);

    uint64_t start = fw_micros();
    while (entries < COUNT && fw_micros() - start < 1000000u) {
    }
    uint64_t settle = fw_micros();
    while (fw_micros() - settle < 5000u) {
    }
    CHECK_EQ(entries, COUNT);

    uint32_t n = entries < COUNT ? entries : COUNT;
    for (uint32_t i = 0; i < n; i++) {
        CHECK_EQ(seen_tag[i], TAG0 + i);
        CHECK_EQ(seen_type[i], (uint32_t)MV_EVENTTYPE_CHANNELDATAREADABLE);
    }

    /* The last lap is still in the ring, never marked consumed. */
    CHECK_EQ(ring[0].tag, TAG0 + 4);
    CHECK_EQ(ring[1].tag, TAG0 + 5);
    CHECK_EQ((uint32_t)ring[0].event_type, (uint32_t)MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK_EQ((uint32_t)ring[1].event_type, (uint32_t)MV_EVENTTYPE_CHANNELDATAREADABLE);
    mvtest_end();
}
