/*
 * mqtt-persistent-v311 / -v5: a persistent session (clean_start 0) keeps its
 * subscription and the QoS 1 messages published while the device is away,
 * and a QoS 1 message from another client reaches the firmware exactly once.
 *
 *  1. Session "mvemu-persist" subscribes to .../in with QoS 1 and
 *     disconnects cleanly (the session stays: MQTT 5 gets a session expiry
 *     interval, 3.1.1 a cleared clean-session flag).
 *  2. A second client subscribes to .../go and logs OFFLINE NOW: the runner
 *     publishes "queued" to .../in, then "go" to .../go (mosquitto_pub, QoS
 *     1, one after the other, so "queued" is at the broker before "go"
 *     arrives).
 *  3. "mvemu-persist" connects again with clean_start 0, without
 *     subscribing: "queued" arrives, once (the firmware waits a while for a
 *     duplicate), QoS 1. It logs ONLINE NOW: the runner publishes "live";
 *     it too arrives once.
 */
#include "../mqtttest.h"

MQ_ONE_CHANNEL_TEST(32)

#define BASE "mvemu/test/persist/v" MQ_NAME
#define CLIENT "mvemu-persist-v" MQ_NAME

/* Read messages for `us` of virtual time: how many had `payload` (QoS 1,
 * on `topic`); any other item fails. */
static uint32_t count_messages(const char *topic, const char *payload, uint32_t us)
{
    uint32_t n = 0;
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
        enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
        CHECK_STATUS(mvMqttGetNextReadableDataType(m.ch, &t), MV_STATUS_OKAY);
        if (t == MV_MQTTREADABLEDATATYPE_NONE) {
            continue;
        }
        if (!CHECK_EQ(t, MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED)) {
            break;
        }
        static MqMessage msg;
        mq_receive(&m, &msg, 64);
        CHECK_STATUS(msg.status, MV_STATUS_OKAY);
        msg.payload[msg.payload_len] = 0;
        if (CHECK(strcmp(msg.topic, topic) == 0) &&
            CHECK(strcmp((const char *)msg.payload, payload) == 0)) {
            CHECK_EQ(msg.qos, 1u);
            n++;
        }
        CHECK_STATUS(mvMqttAcknowledgeMessage(m.ch, msg.correlation_id), MV_STATUS_OKAY);
    }
    return n;
}

static void connect_as(const char *client, uint8_t clean_start)
{
    CHECK_STATUS(link_open(&m.center, MQ_TAG, m.net, MV_CHANNELTYPE_MQTT, "", rx, sizeof rx, tx,
                           sizeof tx, &m.ch), MV_STATUS_OKAY);
    struct MvMqttConnectRequest req = mq_connect_request(MQ_PROTOCOL == 5 ? MV_MQTTPROTOCOLVERSION_V5
                                                                          : MV_MQTTPROTOCOLVERSION_V3_1_1,
                                                         client);
    req.clean_start = clean_start;
    uint32_t reason = 0xEE;
    CHECK_EQ(mq_connect(&m, &req, &reason), MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(reason, 0u);
}

static void subscribe(const char *topic)
{
    struct MvMqttSubscription sub = { mq_str(topic), 1, 0, 0, 0 };
    struct MvMqttSubscribeRequest sr = { 7, &sub, 1 };
    CHECK_STATUS(mvMqttRequestSubscribe(m.ch, &sr), MV_STATUS_OKAY);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    MqCodes c = mq_read_codes(&m, 1, 8);
    CHECK_STATUS(c.status, MV_STATUS_OKAY);
    CHECK_EQ(c.len, 1u);
    CHECK_EQ(c.codes[0], 1u);
}

static void disconnect(void)
{
    CHECK_STATUS(mvMqttRequestDisconnect(m.ch), MV_STATUS_OKAY);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    struct MvMqttDisconnectResponse d;
    CHECK_STATUS(mvMqttReadDisconnectResponse(m.ch, &d), MV_STATUS_OKAY);
    CHECK_EQ(d.request_state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
}

int main(void)
{
    mvtest_begin("mqtt-persistent-v" MQ_NAME);
    mv_enable_irq();
    CHECK(fw_center_open(&m.center.c, ring, 32, TIM1_BRK_IRQn) == MV_STATUS_OKAY);
    CHECK_STATUS(link_request(&m.center, MQ_TAG_NET, &m.net), MV_STATUS_OKAY);
    CHECK_EQ(link_wait_status(m.net, MV_NETWORKSTATUS_CONNECTED, MQ_WAIT_US), MV_NETWORKSTATUS_CONNECTED);

    connect_as(CLIENT, 0);
    subscribe(BASE "/in");
    disconnect();

    connect_as(CLIENT "-go", 1);
    subscribe(BASE "/go");
    mvtest_log("OFFLINE NOW");
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED);
    CHECK_EQ(count_messages(BASE "/go", "go", 200000), 1u);
    disconnect();

    connect_as(CLIENT, 0);
    CHECK_EQ(count_messages(BASE "/in", "queued", 1500000), 1u);
    mvtest_log("ONLINE NOW");
    CHECK_EQ(count_messages(BASE "/in", "live", 1500000), 1u);
    disconnect();
    mvtest_end();
}
