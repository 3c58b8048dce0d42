/*
 * mqtt-will-kill: connect (MQTT 5) with a will, then wait forever; the
 * runner kills QEMU at "CONNECTED, KILL ME" and checks with its own
 * subscriber that the broker published the will (docs/mqtt.md "The will").
 */
#include "../mqtttest.h"

MQ_ONE_CHANNEL_TEST(16)

int main(void)
{
    mvtest_begin("mqtt-will-kill");
    mv_enable_irq();
    struct MvMqttWill will = { mq_str("mvemu/test/kill/will"), mq_str("device vanished"), 1, 0 };
    mq_connect_with_will(&m, ring, 16, rx, tx, sizeof rx, MV_MQTTPROTOCOLVERSION_V5, "mvemu-kill", &will);
    mvtest_log("CONNECTED, KILL ME");
    for (;;) {
        fw_spin_us(1000);
    }
}
