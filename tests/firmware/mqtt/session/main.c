/*
 * mqtt-session-v311 / mqtt-session-v5 (MQ_PROTOCOL): one whole MQTT session
 * against the runner's broker (docs/mqtt.md):
 *
 *  - synchronous refusals: a handle that is no MQTT channel, an unreadable
 *    request, a missing client id; nothing queued, RESPONSENOTPRESENT;
 *  - connect with a will (the runner checks it is never published: this
 *    session ends with DISCONNECT), REQUESTALREADYSENT for a second one;
 *  - subscribe to two topics (granted QoS 1 and 0); INVALIDBUFFERSIZE for
 *    room for one code only;
 *  - publish QoS 0, 1 and 2 to the subscribed topic: three responses with
 *    their correlation IDs and three messages back, each with its own ID,
 *    QoS 1 ones acknowledged; a read of the wrong kind is WRONGDATAREQUESTED;
 *  - a retained publish the runner's subscriber sees;
 *  - a 700-byte message through a 512-byte receive buffer: MESSAGELOST;
 *  - unsubscribe, disconnect, and requests after it answered NOTCONNECTED;
 *  - one CHANNELDATAREADABLE per item.
 */
#include "../mqtttest.h"

#if MQ_PROTOCOL == 5
#define PROTO MV_MQTTPROTOCOLVERSION_V5
#define T(s) "mvemu/test/v5/" s
#else
#define PROTO MV_MQTTPROTOCOLVERSION_V3_1_1
#define T(s) "mvemu/test/v311/" s
#endif

static volatile struct MvNotification ring[32] __attribute__((aligned(8)));
static MqChannel m;
static uint8_t rx[512] __attribute__((aligned(512)));
static uint8_t tx[1024] __attribute__((aligned(512)));
static uint8_t big[700];

void TIM1_BRK_IRQHandler(void) { link_isr(&m.center); }

static uint32_t items_read;

static void publish(uint32_t id, const char *topic, const uint8_t *payload, uint32_t len,
                    uint32_t qos, uint32_t retain)
{
    struct MvMqttPublishRequest p = {
        .correlation_id = id,
        .topic = mq_str(topic),
        .payload = { payload, len },
        .desired_qos = qos,
        .retain = retain,
    };
    CHECK_STATUS(mvMqttRequestPublish(m.ch, &p), MV_STATUS_OKAY);
}

int main(void)
{
    mvtest_begin(MQ_PROTOCOL == 5 ? "mqtt-session-v5" : "mqtt-session-v311");
    mv_enable_irq();
    CHECK(mq_open(&m, ring, 32, TIM1_BRK_IRQn, rx, sizeof rx, tx, sizeof tx));

    /* ---- Refused before anything is sent. ---- */
    struct MvMqttConnectRequest req = mq_connect_request(PROTO, "mvemu-session");
    CHECK_STATUS(mvMqttRequestConnect(m.net, &req), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvMqttRequestConnect(m.ch, (const struct MvMqttConnectRequest *)FW_UNMAPPED),
                 MV_STATUS_PARAMETERFAULT);
    req.clientid = mq_str("");
    CHECK_STATUS(mvMqttRequestConnect(m.ch, &req), MV_STATUS_REQUIREDELEMENTMISSING);
    enum MvMqttReadableDataType type = (enum MvMqttReadableDataType)0xEEu;
    CHECK_STATUS(mvMqttGetNextReadableDataType(m.ch, &type), MV_STATUS_OKAY);
    CHECK_EQ(type, MV_MQTTREADABLEDATATYPE_NONE);
    struct MvMqttConnectResponse cr;
    CHECK_STATUS(mvMqttReadConnectResponse(m.ch, &cr), MV_STATUS_RESPONSENOTPRESENT);

    /* ---- Connect, with a will that must not be published. ---- */
    struct MvMqttWill will = { mq_str(T("will")), mq_str("session died"), 1, 0 };
    req = mq_connect_request(PROTO, MQ_PROTOCOL == 5 ? "mvemu-session-v5" : "mvemu-session-v311");
    req.will = &will;
    uint32_t reason = 0xEE;
    CHECK_EQ(mq_connect(&m, &req, &reason), MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(reason, 0u);
    items_read++;
    CHECK_STATUS(mvMqttRequestConnect(m.ch, &req), MV_STATUS_REQUESTALREADYSENT);

    /* ---- Subscribe. ---- */
    struct MvMqttSubscription subs[2] = {
        { mq_str(T("echo")), 1, 0, 0, 0 },
        { mq_str(T("in")), 0, 0, 0, 0 },
    };
    struct MvMqttSubscribeRequest sr = { 0x5501u, subs, 2 };
    CHECK_STATUS(mvMqttRequestSubscribe(m.ch, &sr), MV_STATUS_OKAY);
    /* (A second one while this is outstanding is RATELIMITED: the broker's
     * loopback answer can beat the next instruction, so the unit tests
     * check that, deterministically.) */
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    MqCodes codes = mq_read_codes(&m, 1, 1);
    CHECK_STATUS(codes.status, MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_EQ(codes.len, 2u);
    codes = mq_read_codes(&m, 1, 8);
    CHECK_STATUS(codes.status, MV_STATUS_OKAY);
    CHECK_EQ(codes.state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(codes.correlation_id, 0x5501u);
    CHECK_EQ(codes.len, 2u);
    CHECK_EQ(codes.codes[0], 1u);
    CHECK_EQ(codes.codes[1], 0u);
    items_read++;

    /* ---- QoS 0, 1, 2 to ourselves. ---- */
    static const char *payloads[3] = { "qos zero", "qos one", "qos two" };
    for (uint32_t q = 0; q < 3; q++) {
        publish(0x100u + q, T("echo"), (const uint8_t *)payloads[q], (uint32_t)strlen(payloads[q]),
                q, 0);
    }
    uint32_t responses = 0, messages = 0, ids[3] = { 0 };
    for (int i = 0; i < 6; i++) {
        type = mq_wait_item(&m, MQ_WAIT_US);
        if (type == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE) {
            MqMessage wrong;
            mq_receive(&m, &wrong, sizeof wrong.payload);
            CHECK_STATUS(wrong.status, MV_STATUS_WRONGDATAREQUESTED);
            struct MvMqttPublishResponse pr = { (enum MvMqttRequestState)0xEEu, 0, 0xEE };
            CHECK_STATUS(mvMqttReadPublishResponse(m.ch, &pr), MV_STATUS_OKAY);
            CHECK_EQ(pr.request_state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
            CHECK(pr.correlation_id >= 0x100u && pr.correlation_id <= 0x102u);
            responses |= 1u << (pr.correlation_id - 0x100u);
        } else if (type == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED) {
            MqMessage msg;
            mq_receive(&m, &msg, sizeof msg.payload);
            CHECK_STATUS(msg.status, MV_STATUS_OKAY);
            msg.topic[msg.topic_len < sizeof msg.topic ? msg.topic_len : 0] = 0;
            CHECK(strcmp(msg.topic, T("echo")) == 0);
            int which = -1;
            for (int k = 0; k < 3; k++) {
                if (msg.payload_len == strlen(payloads[k]) &&
                    memcmp(msg.payload, payloads[k], msg.payload_len) == 0) {
                    which = k;
                }
            }
            if (CHECK(which >= 0)) {
                /* Subscribed at QoS 1: QoS 2 comes down as 1. */
                CHECK_EQ(msg.qos, which == 0 ? 0u : 1u);
                ids[which] = msg.correlation_id;
                messages |= 1u << which;
            }
            CHECK_EQ(msg.retain, 0);
            if (msg.qos > 0) {
                CHECK_STATUS(mvMqttAcknowledgeMessage(m.ch, msg.correlation_id), MV_STATUS_OKAY);
            }
        } else {
            mvtest_log("unexpected item %u", (unsigned)type);
            CHECK(0);
            break;
        }
        items_read++;
    }
    CHECK_EQ(responses, 7u);
    CHECK_EQ(messages, 7u);
    CHECK(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);

    /* ---- Retained, for the runner's subscriber. ---- */
    publish(0x200u, T("out"), (const uint8_t *)"hello from firmware", 19, 1, 1);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE);
    struct MvMqttPublishResponse pr;
    CHECK_STATUS(mvMqttReadPublishResponse(m.ch, &pr), MV_STATUS_OKAY);
    CHECK_EQ(pr.correlation_id, 0x200u);
    items_read++;

    /* ---- Too big for the receive buffer. ---- */
    memset(big, 'B', sizeof big);
    publish(0x300u, T("echo"), big, sizeof big, 0, 0);
    int lost = 0;
    for (int i = 0; i < 2; i++) {
        type = mq_wait_item(&m, MQ_WAIT_US);
        if (type == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE) {
            CHECK_STATUS(mvMqttReadPublishResponse(m.ch, &pr), MV_STATUS_OKAY);
            CHECK_EQ(pr.correlation_id, 0x300u);
        } else if (CHECK_EQ(type, MV_MQTTREADABLEDATATYPE_MESSAGELOST)) {
            enum MvMqttLostMessageReason why = (enum MvMqttLostMessageReason)0xEEu;
            char topic[64];
            uint32_t topic_len = 0, len = 0;
            struct MvMqttLostMessageInfo info = { &why, { (uint8_t *)topic, sizeof topic, &topic_len },
                                                  &len };
            CHECK_STATUS(mvMqttReceiveLostMessageInfo(m.ch, &info), MV_STATUS_OKAY);
            CHECK_EQ(why, MV_MQTTLOSTMESSAGEREASON_DEVICERECEIVEBUFFERTOOSMALL);
            CHECK_EQ(topic_len, (uint32_t)strlen(T("echo")));
            CHECK(memcmp(topic, T("echo"), topic_len) == 0);
            CHECK_EQ(len, sizeof big + topic_len);
            lost = 1;
        } else {
            break;
        }
        items_read++;
    }
    CHECK(lost);

    /* ---- Unsubscribe, disconnect. ---- */
    struct MvSizedString topics[1] = { mq_str(T("echo")) };
    struct MvMqttUnsubscribeRequest ur = { 0x6601u, topics, 1 };
    CHECK_STATUS(mvMqttRequestUnsubscribe(m.ch, &ur), MV_STATUS_OKAY);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE);
    codes = mq_read_codes(&m, 0, 8);
    CHECK_STATUS(codes.status, MV_STATUS_OKAY);
    CHECK_EQ(codes.correlation_id, 0x6601u);
    CHECK_EQ(codes.state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    items_read++;

    CHECK_STATUS(mvMqttRequestDisconnect(m.ch), MV_STATUS_OKAY);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    struct MvMqttDisconnectResponse dr = { (enum MvMqttRequestState)0xEEu, 0xEE };
    CHECK_STATUS(mvMqttReadDisconnectResponse(m.ch, &dr), MV_STATUS_OKAY);
    CHECK_EQ(dr.request_state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(dr.disconnect_code, 0u);
    items_read++;

    publish(0x400u, T("echo"), (const uint8_t *)"late", 4, 0, 0);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE);
    CHECK_STATUS(mvMqttReadPublishResponse(m.ch, &pr), MV_STATUS_OKAY);
    CHECK_EQ(pr.request_state, MV_MQTTREQUESTSTATE_NOTCONNECTED);
    items_read++;

    /* One record per item; the channel itself never lost its connection. */
    fw_spin_us(20000);
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELDATAREADABLE, MQ_TAG), items_read);
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG), 0u);
    mvtest_log("items read: %u", (unsigned)items_read);
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
    mvtest_end();
}
