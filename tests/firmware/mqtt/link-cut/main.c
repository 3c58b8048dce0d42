/*
 * mqtt-link-cut: the emulated link goes down (QMP mvemu-set-link) under a
 * connected MQTT channel: a DISCONNECTRESPONSE (NOTCONNECTED) and one
 * CHANNELNOTCONNECTED, closure reason NETWORKDISCONNECTED, requests refused
 * with CHANNELCLOSED; the broker lost the client without DISCONNECT, so the
 * runner's subscriber sees the will (docs/mqtt.md "Losing the broker").
 */
#include "../mqtttest.h"

MQ_ONE_CHANNEL_TEST(16)

int main(void)
{
    mvtest_begin("mqtt-link-cut");
    mv_enable_irq();
    struct MvMqttWill will = { mq_str("mvemu/test/cut/will"), mq_str("link lost"), 0, 0 };
    mq_connect_with_will(&m, ring, 16, rx, tx, sizeof rx, MV_MQTTPROTOCOLVERSION_V3_1_1, "mvemu-cut", &will);

    mvtest_log("CUT THE LINK");
    CHECK(link_wait(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG, 1, MQ_WAIT_US));
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    struct MvMqttDisconnectResponse dr;
    CHECK_STATUS(mvMqttReadDisconnectResponse(m.ch, &dr), MV_STATUS_OKAY);
    CHECK_EQ(dr.request_state, MV_MQTTREQUESTSTATE_NOTCONNECTED);
    CHECK_EQ(link_reason(m.ch), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    struct MvMqttPublishRequest p = { 1, mq_str("mvemu/test/cut/x"), mq_str("x"), 0, 0 };
    CHECK_STATUS(mvMqttRequestPublish(m.ch, &p), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvMqttRequestDisconnect(m.ch), MV_STATUS_CHANNELCLOSED);
    fw_spin_us(20000);
    /* The connect response and the disconnect response. */
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELDATAREADABLE, MQ_TAG), 2u);
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG), 1u);
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
    mvtest_end();
}
