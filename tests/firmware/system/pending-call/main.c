/*
 * pending-call-reported-once: a call the emulator does not serve yet
 * (mvMqttRequestConnect) returns UNAVAILABLE every time, and the emulator
 * names it on the console once, not once per call (the runner counts the
 * lines). Point it at another call when MQTT is emulated.
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

    CHECK_STATUS(fw_center_open(&center, ring, 4, IRQ), MV_STATUS_OKAY);
    static struct MvMqttConnectRequest request;

    CHECK_STATUS(mvMqttRequestConnect(0x12345678u, &request), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvMqttRequestConnect(0x12345678u, &request), MV_STATUS_UNAVAILABLE);

    /* No notification comes of it. */
    uint64_t start = fw_micros();
    while (fw_micros() - start < 5000u) {
    }
    CHECK_EQ(center.received, 0u);
    mvtest_end();
}
