/*
 * mqtt-exit-open (under valgrind): QEMU exits while an MQTT channel is
 * connected over TLS and subscribed, with a second channel's connect to a port
 * nobody listens on just answered. The backend must leave no memory and no
 * descriptor behind (the libmosquitto objects, their sockets and TLS contexts included).
 */
/* Valgrind makes the TLS handshake slow: generous waits. */
#define MQ_WAIT_US 60000000u
#include "../mqtttest.h"

static volatile struct MvNotification ring[16] __attribute__((aligned(8)));
static MqChannel m;
static MvChannelHandle other;
static uint8_t rx[512] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));
static uint8_t rx2[512] __attribute__((aligned(512)));
static uint8_t tx2[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&m.center); }

int main(void)
{
    mvtest_begin("mqtt-exit-open");
    mv_enable_irq();
    CHECK(mq_open(&m, ring, 16, TIM1_BRK_IRQn, rx, sizeof rx, tx, sizeof tx));
    struct MvMqttConnectRequest req = mq_connect_request(MV_MQTTPROTOCOLVERSION_V5, "mvemu-exit");
    uint32_t reason = 0xEE;
    CHECK_EQ(mq_connect(&m, &req, &reason), MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    struct MvMqttSubscription sub = { mq_str("mvemu/test/exit"), 1, 0, 0, 0 };
    struct MvMqttSubscribeRequest sr = { 1, &sub, 1 };
    CHECK_STATUS(mvMqttRequestSubscribe(m.ch, &sr), MV_STATUS_OKAY);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    /* Left unread. A second channel whose connect is still in flight. */
    CHECK_STATUS(link_open(&m.center, MQ_TAG + 1, m.net, MV_CHANNELTYPE_MQTT, "", rx2, sizeof rx2,
                           tx2, sizeof tx2, &other), MV_STATUS_OKAY);
    req.host = mq_str("refused.example.com");
    CHECK_STATUS(mvMqttRequestConnect(other, &req), MV_STATUS_OKAY);
    mvtest_end();
}
