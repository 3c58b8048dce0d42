/*
 * mqtt-breaker: the cloud's circuit breaker ([mqtt] max_incoming_per_second
 * = 5 in the profile). The firmware subscribes to its own topic and
 * publishes 12 QoS 0 messages at once; the sixth incoming message within a
 * second drops the connection: at most 5 messages are read, then a
 * DISCONNECTRESPONSE with CONNECTIONCIRCUITBREAKER, one CHANNELNOTCONNECTED
 * with closure reason CHANNELCLOSEDBYSERVER, and requests get CHANNELCLOSED.
 * The broker lost the client without DISCONNECT: it publishes the will.
 */
#include "../mqtttest.h"

MQ_ONE_CHANNEL_TEST(32)

#define TOPIC "mvemu/test/breaker/flood"

int main(void)
{
    mvtest_begin("mqtt-breaker");
    mv_enable_irq();
    struct MvMqttWill will = { mq_str("mvemu/test/breaker/will"), mq_str("tripped"), 0, 0 };
    mq_connect_with_will(&m, ring, 32, rx, tx, sizeof rx, MV_MQTTPROTOCOLVERSION_V5,
                         "mvemu-breaker", &will);
    struct MvMqttSubscription sub = { mq_str(TOPIC), 0, 0, 0, 0 };
    struct MvMqttSubscribeRequest sr = { 1, &sub, 1 };
    CHECK_STATUS(mvMqttRequestSubscribe(m.ch, &sr), MV_STATUS_OKAY);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    CHECK_STATUS(mq_read_codes(&m, 1, 8).status, MV_STATUS_OKAY);

    /* The breaker may trip before the last publishes: they are refused. */
    for (uint32_t i = 0; i < 12; i++) {
        struct MvMqttPublishRequest p = { 10 + i, mq_str(TOPIC), mq_str("x"), 0, 0 };
        enum MvStatus st = mvMqttRequestPublish(m.ch, &p);
        if (st == MV_STATUS_CHANNELCLOSED && i > 5) {
            break;
        }
        CHECK_STATUS(st, MV_STATUS_OKAY);
    }
    uint32_t messages = 0, responses = 0;
    struct MvMqttDisconnectResponse d = { (enum MvMqttRequestState)0xEE, 0xEE };
    for (;;) {
        enum MvMqttReadableDataType t = mq_wait_item(&m, MQ_WAIT_US);
        if (t == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED) {
            static MqMessage msg;
            mq_receive(&m, &msg, 16);
            CHECK_STATUS(msg.status, MV_STATUS_OKAY);
            messages++;
        } else if (t == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE) {
            struct MvMqttPublishResponse r;
            CHECK_STATUS(mvMqttReadPublishResponse(m.ch, &r), MV_STATUS_OKAY);
            responses++;
        } else {
            CHECK_EQ(t, MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
            CHECK_STATUS(mvMqttReadDisconnectResponse(m.ch, &d), MV_STATUS_OKAY);
            break;
        }
    }
    mvtest_log("%u messages and %u publish responses before the breaker", (unsigned)messages,
               (unsigned)responses);
    CHECK(messages <= 5);
    CHECK_EQ(d.request_state, MV_MQTTREQUESTSTATE_CONNECTIONCIRCUITBREAKER);
    CHECK(link_wait(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG, 1, MQ_WAIT_US));
    CHECK_EQ(link_reason(m.ch), MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    struct MvMqttPublishRequest p = { 99, mq_str(TOPIC), mq_str("x"), 0, 0 };
    CHECK_STATUS(mvMqttRequestPublish(m.ch, &p), MV_STATUS_CHANNELCLOSED);
    fw_spin_us(20000);
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG), 1u);
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
    mvtest_end();
}
