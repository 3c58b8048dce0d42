/*
 * Helpers shared by the MQTT tests (tests/firmware/mqtt/): the network and
 * one MQTT channel on a counting center, a connect request filled in from a
 * few values, bounded waits for the next readable item, and readers for
 * each kind of item.
 *
 * Header-only (static functions) so each test stays one main.c. The
 * runner's broker (--mosquitto) listens on the port the test's profile maps
 * "mqtt.example.com" to ([network.hosts]).
 */
#ifndef MVEMU_MQTTTEST_H
#define MVEMU_MQTTTEST_H

#include <string.h>

#include "../network/link/linktest.h"

#define MQ_TAG_NET 0x4e4554u
#define MQ_TAG 0x4d5154u
#ifndef MQ_WAIT_US
#define MQ_WAIT_US 5000000u  /* bounded waits, virtual time (a test may set more) */
#endif

typedef struct MqChannel {
    LinkCenter center;
    MvNetworkHandle net;
    MvChannelHandle ch;
} MqChannel;

/* The state most tests need: a center of `slots` records on TIM1_BRK, its
 * ISR, one MqChannel `m` and 512-byte buffers `rx` and `tx`. */
#define MQ_ONE_CHANNEL_TEST(slots)                                              \
    static volatile struct MvNotification ring[slots] __attribute__((aligned(8))); \
    static MqChannel m;                                                         \
    static uint8_t rx[512] __attribute__((aligned(512)));                       \
    static uint8_t tx[512] __attribute__((aligned(512)));                       \
    void TIM1_BRK_IRQHandler(void) { link_isr(&m.center); }

static inline struct MvSizedString mq_str(const char *s)
{
    struct MvSizedString out = { (const uint8_t *)s, (uint32_t)strlen(s) };
    return out;
}

/* Network up, then one MQTT channel on `rx`/`tx`. */
static inline int mq_open(MqChannel *m, volatile struct MvNotification *ring, uint32_t slots,
                          uint32_t irq, uint8_t *rx, uint32_t rx_len, uint8_t *tx, uint32_t tx_len)
{
    if (fw_center_open(&m->center.c, ring, slots, irq) != MV_STATUS_OKAY ||
        link_request(&m->center, MQ_TAG_NET, &m->net) != MV_STATUS_OKAY ||
        link_wait_status(m->net, MV_NETWORKSTATUS_CONNECTED, MQ_WAIT_US) != MV_NETWORKSTATUS_CONNECTED) {
        return 0;
    }
    return link_open(&m->center, MQ_TAG, m->net, MV_CHANNELTYPE_MQTT, "", rx, rx_len, tx, tx_len,
                     &m->ch) == MV_STATUS_OKAY;
}

static inline struct MvMqttConnectRequest mq_connect_request(enum MvMqttProtocolVersion v,
                                                             const char *client_id)
{
    struct MvMqttConnectRequest r;
    memset(&r, 0, sizeof r);
    r.protocol_version = v;
    r.host = mq_str("mqtt.example.com");
    r.port = 8883;  /* the profile's host map gives the broker's real port */
    r.clientid = mq_str(client_id);
    r.authentication.method = MV_MQTTAUTHENTICATIONMETHOD_NONE;
    r.keepalive = 60;
    r.clean_start = 1;
    return r;
}

/* The next readable type, waiting (bounded) while there is none. */
static inline enum MvMqttReadableDataType mq_wait_item(MqChannel *m, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
    do {
        if (mvMqttGetNextReadableDataType(m->ch, &t) != MV_STATUS_OKAY) {
            return (enum MvMqttReadableDataType)0xEEu;
        }
    } while (t == MV_MQTTREADABLEDATATYPE_NONE && fw_micros() - start < timeout_us);
    return t;
}

/* Connect and read the response; returns request_state, or 0xEE... on a
 * failed call; `*reason` gets the CONNACK code. */
static inline uint32_t mq_connect(MqChannel *m, const struct MvMqttConnectRequest *r,
                                  uint32_t *reason)
{
    if (mvMqttRequestConnect(m->ch, r) != MV_STATUS_OKAY ||
        mq_wait_item(m, MQ_WAIT_US) != MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE) {
        return 0xEEEEEEEEu;
    }
    struct MvMqttConnectResponse resp = { (enum MvMqttRequestState)0xEEu, 0xEEu };
    if (mvMqttReadConnectResponse(m->ch, &resp) != MV_STATUS_OKAY) {
        return 0xEEEEEEEEu;
    }
    *reason = resp.reason_code;
    return resp.request_state;
}

/* Open the network and a channel, then connect as `client_id` with a will
 * (QoS 0 or 1, not retained): whether it was accepted. */
static inline int mq_connect_with_will(MqChannel *m, volatile struct MvNotification *ring,
                                       uint32_t slots, uint8_t *rx, uint8_t *tx, uint32_t len,
                                       enum MvMqttProtocolVersion v, const char *client_id,
                                       const struct MvMqttWill *will)
{
    if (!CHECK(mq_open(m, ring, slots, TIM1_BRK_IRQn, rx, len, tx, len))) {
        return 0;
    }
    struct MvMqttConnectRequest req = mq_connect_request(v, client_id);
    req.will = will;
    uint32_t reason = 0xEE;
    return CHECK_EQ(mq_connect(m, &req, &reason), MV_MQTTREQUESTSTATE_REQUESTCOMPLETED) &&
           CHECK_EQ(reason, 0u);
}

/* One connect attempt on a fresh channel on `rx`/`tx` (`len` bytes each):
 * open, connect with `req`, run `accepted` if the broker accepted, close.
 * Returns request_state (0xEE... if the channel did not open). */
static inline uint32_t mq_attempt(MqChannel *m, uint8_t *rx, uint8_t *tx, uint32_t len,
                                  const struct MvMqttConnectRequest *req, uint32_t *reason,
                                  void (*accepted)(MqChannel *))
{
    if (!CHECK_STATUS(link_open(&m->center, MQ_TAG, m->net, MV_CHANNELTYPE_MQTT, "", rx, len, tx,
                                len, &m->ch), MV_STATUS_OKAY)) {
        return 0xEEEEEEEEu;
    }
    *reason = 0xEE;
    uint32_t state = mq_connect(m, req, reason);
    if (accepted && state == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED && *reason == 0) {
        accepted(m);
    }
    CHECK_STATUS(mvCloseChannel(&m->ch), MV_STATUS_OKAY);
    return state;
}

/* A subscribe or unsubscribe response into `codes` (room for 8). */
typedef struct MqCodes {
    enum MvStatus status;
    enum MvMqttRequestState state;
    uint32_t correlation_id;
    uint32_t codes[8];
    uint32_t len;
} MqCodes;

static inline MqCodes mq_read_codes(MqChannel *m, int subscribe, uint32_t capacity)
{
    MqCodes c;
    memset(&c, 0xEE, sizeof c);
    if (subscribe) {
        struct MvMqttSubscribeResponse r = { &c.state, &c.correlation_id, c.codes, capacity, &c.len };
        c.status = mvMqttReadSubscribeResponse(m->ch, &r);
    } else {
        struct MvMqttUnsubscribeResponse r = { &c.state, &c.correlation_id, c.codes, capacity, &c.len };
        c.status = mvMqttReadUnsubscribeResponse(m->ch, &r);
    }
    return c;
}

typedef struct MqMessage {
    enum MvStatus status;
    uint32_t correlation_id, qos, topic_len, payload_len;
    uint8_t retain;
    char topic[64];
    uint8_t payload[600];
} MqMessage;

static inline void mq_receive(MqChannel *m, MqMessage *out, uint32_t payload_capacity)
{
    memset(out, 0, sizeof *out);
    struct MvMqttMessage msg = {
        .correlation_id = &out->correlation_id,
        .topic = { (uint8_t *)out->topic, sizeof out->topic - 1, &out->topic_len },
        .payload = { out->payload, payload_capacity, &out->payload_len },
        .qos = &out->qos,
        .retain = &out->retain,
    };
    out->status = mvMqttReceiveMessage(m->ch, &msg);
}

#endif
