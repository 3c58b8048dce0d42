/*
 * disabled-irq: a center whose NVIC line stays disabled (a polling
 * application). With the line disabled the emulator cannot wait for an ISR
 * to take the interrupt, only for its delivery gap (500 us in this test's
 * profile), so three triggered records must show up in slots 0, 1, 2 at
 * least a gap apart, and the interrupt stays pending without ever being
 * taken.
 */
#include <string.h>

#include "fwtest.h"

#define IRQ     TIM1_BRK_IRQn  /* 41 */
#define SLOTS   4u
#define COUNT   3u
#define TAG0    300u
#define GAP_US  500u           /* [notifications] delivery_gap_us in meson.build */
#define EMPTY   0xFFFFFFFFu

static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static volatile uint32_t isr_entries;

void TIM1_BRK_IRQHandler(void)
{
    isr_entries++;
}

int main(void)
{
    mvtest_begin("notifications-disabled-irq");
    mv_enable_irq();

    memset((void *)ring, 0xff, sizeof ring);
    struct MvNotificationSetup s = {
        .irq = IRQ,
        .buffer = (struct MvNotification *)ring,
        .buffer_size = sizeof ring,
    };
    MvNotificationHandle h = 0;
    if (!CHECK_STATUS(mvSetupNotifications(&s, &h), MV_STATUS_OKAY))
        mvtest_end();
    mv_nvic_clear_pending(IRQ);
    CHECK_EQ(mv_nvic_is_enabled(IRQ), 0);

    uint64_t before = fw_micros();
    for (uint32_t i = 0; i < COUNT; i++)
        CHECK_STATUS(mvTempTriggerNotification(h, MV_EVENTTYPE_CHANNELDATAREADABLE, TAG0 + i),
                     MV_STATUS_OKAY);

    /* Poll the last slot we expect, bounded by one second of virtual time. */
    while ((uint32_t)ring[COUNT - 1].event_type == EMPTY && fw_micros() - before < 1000000u) {
    }
    /* Let the record finish, and let a wrong fourth record show up. */
    uint64_t settle = fw_micros();
    while (fw_micros() - settle < 4u * GAP_US) {
    }

    CHECK((uint32_t)ring[COUNT - 1].event_type != EMPTY);
    for (uint32_t i = 0; i < COUNT; i++) {
        CHECK_EQ(ring[i].tag, TAG0 + i);
        CHECK_EQ((uint32_t)ring[i].event_type, (uint32_t)MV_EVENTTYPE_CHANNELDATAREADABLE);
        CHECK(ring[i].microseconds >= before);
        if (i > 0)
            CHECK(ring[i].microseconds >= ring[i - 1].microseconds + GAP_US);
    }
    /* Slot 3 never written. */
    CHECK_EQ((uint32_t)ring[3].event_type, EMPTY);
    CHECK_EQ(ring[3].tag, EMPTY);
    CHECK_EQ(ring[3].microseconds, 0xFFFFFFFFFFFFFFFFull);

    /* Pended but never taken. */
    CHECK_EQ(mv_nvic_is_pending(IRQ), 1);
    CHECK_EQ(isr_entries, 0u);

    CHECK_STATUS(mvCloseNotifications(&h), MV_STATUS_OKAY);
    mvtest_end();
}
