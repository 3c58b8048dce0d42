/*
 * mqtt-broker-killed: the broker dies mid-session (the runner kills it at
 * "KILL THE BROKER"): a DISCONNECTRESPONSE (NOTCONNECTED, code 0), then one
 * CHANNELNOTCONNECTED, closure reason CHANNELRESETBYSERVER; the response
 * already queued before is still read first; requests are CHANNELCLOSED
 * (docs/mqtt.md "Outcomes").
 */
#include "../mqtttest.h"

MQ_ONE_CHANNEL_TEST(16)

int main(void)
{
    mvtest_begin("mqtt-broker-killed");
    mv_enable_irq();
    mq_connect_with_will(&m, ring, 16, rx, tx, sizeof rx, MV_MQTTPROTOCOLVERSION_V5,
                         "mvemu-broker-killed", NULL);
    struct MvMqttSubscription sub = { mq_str("mvemu/test/killed"), 1, 0, 0, 0 };
    struct MvMqttSubscribeRequest sr = { 0x77u, &sub, 1 };
    CHECK_STATUS(mvMqttRequestSubscribe(m.ch, &sr), MV_STATUS_OKAY);
    CHECK(link_wait(&m.center, MV_EVENTTYPE_CHANNELDATAREADABLE, MQ_TAG, 2, MQ_WAIT_US));

    mvtest_log("KILL THE BROKER");
    CHECK(link_wait(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG, 1, MQ_WAIT_US));
    /* The subscribe response came before the loss and is read first. */
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    MqCodes codes = mq_read_codes(&m, 1, 8);
    CHECK_STATUS(codes.status, MV_STATUS_OKAY);
    CHECK_EQ(codes.correlation_id, 0x77u);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    struct MvMqttDisconnectResponse dr = { (enum MvMqttRequestState)0xEEu, 0xEE };
    CHECK_STATUS(mvMqttReadDisconnectResponse(m.ch, &dr), MV_STATUS_OKAY);
    CHECK_EQ(dr.request_state, MV_MQTTREQUESTSTATE_NOTCONNECTED);
    CHECK_EQ(dr.disconnect_code, 0u);
    CHECK_EQ(link_reason(m.ch), MV_CLOSUREREASON_CHANNELRESETBYSERVER);
    CHECK_STATUS(mvMqttRequestSubscribe(m.ch, &sr), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvMqttAcknowledgeMessage(m.ch, 1), MV_STATUS_CHANNELCLOSED);
    fw_spin_us(20000);
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG), 1u);
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELDATAREADABLE, MQ_TAG), 3u);
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
    mvtest_end();
}
