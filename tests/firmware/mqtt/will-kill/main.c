/*
 * mqtt-will-kill: connect (MQTT 5) with a will, then wait forever; the
 * runner kills QEMU at "CONNECTED, KILL ME" and checks with its own
 * subscriber that the broker published the will (docs/mqtt.md "The will").
 */
#include "../mqtttest.h"

static volatile struct MvNotification ring[16] __attribute__((aligned(8)));
static MqChannel m;
static uint8_t rx[512] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&m.center); }

int main(void)
{
    mvtest_begin("mqtt-will-kill");
    mv_enable_irq();
    CHECK(mq_open(&m, ring, 16, TIM1_BRK_IRQn, rx, sizeof rx, tx, sizeof tx));
    struct MvMqttWill will = { mq_str("mvemu/test/kill/will"), mq_str("device vanished"), 1, 0 };
    struct MvMqttConnectRequest req = mq_connect_request(MV_MQTTPROTOCOLVERSION_V5, "mvemu-kill");
    req.will = &will;
    uint32_t reason = 0xEE;
    CHECK_EQ(mq_connect(&m, &req, &reason), MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(reason, 0u);
    mvtest_log("CONNECTED, KILL ME");
    for (;;) {
        fw_spin_us(1000);
    }
}
