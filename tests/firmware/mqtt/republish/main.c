/*
 * mqtt-republish-restart / mqtt-republish-cut: nothing published with QoS 1
 * is lost when the connection goes mid-publish, for a device that does what
 * Microvisor allows (semantics.md section 4: a channel connects once; to
 * reconnect, close it and open a new one) and keeps a persistent session.
 *
 * The firmware subscribes (QoS 1) to its own topic in a persistent session
 * (clean_start 0), publishes 6 QoS 1 messages and waits for their PUBACKs and
 * their copies, then logs DISRUPT NOW and publishes one every 20 ms (of 40
 * in all) until the connection goes: the runner restarts the broker (SIGTERM: it keeps sessions; mqtt-republish-
 * restart) or cuts the emulated link and raises it again (mqtt-republish-cut).
 * Publishes outstanding at the loss get no response (docs/mqtt.md); the
 * channel reports DISCONNECTRESPONSE and CHANNELNOTCONNECTED. The firmware
 * then opens new channels until one connects, resubscribes, publishes again
 * every message it has no PUBLISHRESPONSE for (and those not yet sent), and waits until it has seen
 * every message at least once (QoS 1 is at least once: duplicates are
 * counted, not refused).
 */
#define MQ_WAIT_US 10000000u
#include <stdio.h>

#include "../mqtttest.h"

MQ_ONE_CHANNEL_TEST(32)

#define N 40u
#define FIRST 6u
#define TOPIC "mvemu/test/republish/" MQ_VARIANT

static uint8_t confirmed[N];
static uint32_t seen[N];
static char payloads[N][8];
static uint32_t losses, publishes, resent;

static void publish(uint32_t i)
{
    struct MvMqttPublishRequest p = { i, mq_str(TOPIC), mq_str(payloads[i]), 1, 0 };
    enum MvStatus st = mvMqttRequestPublish(m.ch, &p);
    /* A publish into a connection that just went is refused; sent again later. */
    if (st != MV_STATUS_OKAY && st != MV_STATUS_CHANNELCLOSED) {
        CHECK_STATUS(st, MV_STATUS_OKAY);
    }
    publishes++;
}

static int all(uint32_t upto, int need_seen)
{
    for (uint32_t i = 0; i < upto; i++) {
        if (!confirmed[i] || (need_seen && !seen[i])) {
            return 0;
        }
    }
    return 1;
}

/* Handle items until the first `upto` are confirmed and seen (1), the
 * connection is gone (0) or time runs out (-1). */
static int pump(uint32_t upto, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    while (!all(upto, 1)) {
        if (fw_micros() - start > timeout_us) {
            return -1;
        }
        enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
        if (!CHECK_STATUS(mvMqttGetNextReadableDataType(m.ch, &t), MV_STATUS_OKAY)) {
            return -1;
        }
        if (t == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE) {
            struct MvMqttPublishResponse r;
            CHECK_STATUS(mvMqttReadPublishResponse(m.ch, &r), MV_STATUS_OKAY);
            if (CHECK(r.correlation_id < N) && r.request_state == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED) {
                confirmed[r.correlation_id] = 1;
            }
        } else if (t == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED) {
            static MqMessage msg;
            mq_receive(&m, &msg, 16);
            CHECK_STATUS(msg.status, MV_STATUS_OKAY);
            unsigned i = N;
            if (msg.payload_len == 3 && msg.payload[0] == 'm') {
                i = (unsigned)(msg.payload[1] - '0') * 10u + (unsigned)(msg.payload[2] - '0');
            }
            if (CHECK(i < N)) {
                seen[i]++;
            }
            /* The connection may go between reading the message and
             * acknowledging it: CHANNELCLOSED then, and the broker sends the
             * message again on the next channel (QoS 1: at least once). */
            enum MvStatus ack = mvMqttAcknowledgeMessage(m.ch, msg.correlation_id);
            CHECK(ack == MV_STATUS_OKAY || ack == MV_STATUS_CHANNELCLOSED);
        } else if (t == MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE) {
            struct MvMqttDisconnectResponse d;
            CHECK_STATUS(mvMqttReadDisconnectResponse(m.ch, &d), MV_STATUS_OKAY);
            CHECK_EQ(d.request_state, MV_MQTTREQUESTSTATE_NOTCONNECTED);
            /* The record follows the item. */
            CHECK(link_wait(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG, losses + 1, MQ_WAIT_US));
            losses++;
            return 0;
        } else if (t != MV_MQTTREADABLEDATATYPE_NONE) {
            CHECK_EQ(t, MV_MQTTREADABLEDATATYPE_NONE);
            return -1;
        }
    }
    return 1;
}

/* A new channel connected with the persistent session and subscribed; 0
 * when the broker (or the link) is not back within the attempts. */
static int reconnect(int first)
{
    for (uint32_t attempt = 0; attempt < 60; attempt++) {
        if (!first) {
            CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
            fw_spin_us(250000);
            link_wait_status(m.net, MV_NETWORKSTATUS_CONNECTED, MQ_WAIT_US);
            if (!CHECK_STATUS(link_open(&m.center, MQ_TAG, m.net, MV_CHANNELTYPE_MQTT, "", rx,
                                        sizeof rx, tx, sizeof tx, &m.ch), MV_STATUS_OKAY)) {
                return 0;
            }
        }
        first = 0;
        struct MvMqttConnectRequest req = mq_connect_request(MV_MQTTPROTOCOLVERSION_V5,
                                                             "mvemu-republish-" MQ_VARIANT);
        req.clean_start = 0;
        uint32_t reason = 0xEE;
        if (mq_connect(&m, &req, &reason) != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED || reason != 0) {
            continue;
        }
        struct MvMqttSubscription sub = { mq_str(TOPIC), 1, 0, 0, 0 };
        struct MvMqttSubscribeRequest sr = { 100, &sub, 1 };
        if (mvMqttRequestSubscribe(m.ch, &sr) != MV_STATUS_OKAY ||
            mq_wait_item(&m, MQ_WAIT_US) != MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE) {
            continue;
        }
        MqCodes c = mq_read_codes(&m, 1, 8);
        if (c.status == MV_STATUS_OKAY && c.state == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED &&
            c.len == 1 && c.codes[0] == 1) {
            return 1;
        }
    }
    return 0;
}

int main(void)
{
    mvtest_begin("mqtt-republish-" MQ_VARIANT);
    mv_enable_irq();
    for (uint32_t i = 0; i < N; i++) {
        snprintf(payloads[i], sizeof payloads[i], "m%02u", (unsigned)i);
    }
    CHECK(mq_open(&m, ring, 32, TIM1_BRK_IRQn, rx, sizeof rx, tx, sizeof tx));
    CHECK(reconnect(1));
    for (uint32_t i = 0; i < FIRST; i++) {
        publish(i);
    }
    CHECK_EQ(pump(FIRST, MQ_WAIT_US), 1);

    /* A steady stream (one every 20 ms) until the connection goes. */
    mvtest_log("DISRUPT NOW");
    int r = -1;
    uint32_t sent = FIRST;
    while (sent < N && r != 0) {
        publish(sent++);
        r = pump(sent, 20000);
    }
    uint32_t outstanding = 0;
    for (uint32_t i = 0; i < sent; i++) {
        outstanding += !confirmed[i];
    }
    mvtest_log("connection lost: %s after %u publishes; %u of them without a response",
               r == 0 ? "yes" : "no", (unsigned)sent, (unsigned)outstanding);
    CHECK_EQ(r, 0);

    /* Reconnect and publish again what was not confirmed, until all is seen. */
    for (uint32_t round = 0; round < 5 && !all(N, 1); round++) {
        if (!CHECK(reconnect(0))) {
            break;
        }
        /* In batches of 8: at most 16 publishes may be outstanding. */
        int r2 = 1;
        for (uint32_t i = 0, batch = 0; i < N && r2 != 0; i++) {
            if (!confirmed[i]) {
                publish(i);
                resent++;
                if (++batch % 8u == 0) {
                    r2 = pump(i + 1, MQ_WAIT_US);
                }
            }
        }
        if (r2 != 0 && pump(N, MQ_WAIT_US) == 1) {
            break;
        }
    }
    uint32_t duplicates = 0;
    for (uint32_t i = 0; i < N; i++) {
        CHECK(confirmed[i]);
        CHECK(seen[i] >= 1);
        duplicates += seen[i] > 1 ? seen[i] - 1 : 0;
    }
    mvtest_log("all %u messages confirmed and received: %u publish calls, %u after reconnecting, "
               "%u duplicates, %u connections lost", (unsigned)N, (unsigned)publishes,
               (unsigned)resent, (unsigned)duplicates, (unsigned)losses);
    CHECK_STATUS(mvMqttRequestDisconnect(m.ch), MV_STATUS_OKAY);
    CHECK_EQ(mq_wait_item(&m, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
    mvtest_end();
}
