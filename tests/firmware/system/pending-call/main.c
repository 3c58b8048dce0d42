/*
 * pending-call-reported-once: a call the emulator does not serve yet
 * (mvRequestNetwork) returns UNAVAILABLE every time, and the emulator
 * names it on the console once, not once per call (the runner counts the
 * lines). Replace this test when networking is emulated.
 */
#include "fwtest.h"

#define IRQ    TIM1_BRK_IRQn  /* 41 */

static volatile struct MvNotification ring[4] __attribute__((aligned(8)));
static FwCenter center;

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
}

int main(void)
{
    mvtest_begin("pending-call-reported-once");
    mv_enable_irq();

    /* Parameters as a demo would pass them. */
    CHECK_STATUS(fw_center_open(&center, ring, 4, IRQ), MV_STATUS_OKAY);
    struct MvRequestNetworkParams params = {
        .version = 1,
        .v1 = { .notification_handle = center.handle, .notification_tag = 7 },
    };
    MvNetworkHandle net = 0;

    CHECK_STATUS(mvRequestNetwork(&params, &net), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvRequestNetwork(&params, &net), MV_STATUS_UNAVAILABLE);
    CHECK_EQ(net, 0u);

    /* No notification comes of it. */
    uint64_t start = fw_micros();
    while (fw_micros() - start < 5000u) {
    }
    CHECK_EQ(center.received, 0u);
    mvtest_end();
}
