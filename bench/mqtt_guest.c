/*
 * Benchmark: MQTT through an emulated channel (docs/mqtt.md), against the
 * Mosquitto broker bench/run starts on 127.0.0.1 (named "bench.example.com"
 * in a temporary profile, plain TCP). bench/mqtt_native.c does the same with
 * libmosquitto directly; bench/run prints the ratios.
 *
 *  - Throughput: MSGS publishes of PAYLOAD bytes to a topic nobody
 *    subscribes to, at QoS 0 and at QoS 1, keeping WINDOW outstanding (the
 *    channel's in-flight limit is 16); timed from the first publish to the
 *    last PUBLISHRESPONSE read.
 *  - Round trip: TRIPS times, a QoS 0 publish to a topic the channel
 *    subscribes to, timed until the message is readable (its
 *    MESSAGERECEIVED at the head of the queue); the publish response is
 *    read too.
 *
 * Without -icount the virtual clock follows the host's, so the firmware
 * times itself and prints BENCH lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvemu_cm33.h"
#include "mvtest.h"
#include "stm32u585_irq.h"

#include "mqtt_bench.h"

#define TAG_NET 0x4e4554u
#define TAG_MQTT 0x4d5154u
#define SLOTS 32u
#define TIMEOUT_US 10000000u

static uint8_t rx[4096] __attribute__((aligned(512)));
static uint8_t tx[4096] __attribute__((aligned(512)));
static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static volatile uint32_t ring_index;
static MvChannelHandle ch;
static uint8_t payload[PAYLOAD];

void TIM1_UP_IRQHandler(void)
{
    ring[ring_index].event_type = MV_EVENTTYPE_NOEVENT;
    ring_index = (ring_index + 1u) % SLOTS;
}

static uint64_t now_us(void)
{
    uint64_t us = 0;
    mvGetMicroseconds(&us);
    return us;
}

static struct MvSizedString str(const char *s)
{
    struct MvSizedString out = { (const uint8_t *)s, (uint32_t)strlen(s) };
    return out;
}

/* The next item's type, waiting (bounded) while there is none. */
static enum MvMqttReadableDataType next_item(void)
{
    enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
    uint64_t start = now_us();
    while (mvMqttGetNextReadableDataType(ch, &t) == MV_STATUS_OKAY &&
           t == MV_MQTTREADABLEDATATYPE_NONE && now_us() - start < TIMEOUT_US) {
    }
    return t;
}

static int read_publish_response(void)
{
    struct MvMqttPublishResponse r;
    return CHECK_EQ(next_item(), MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE) &&
           CHECK_STATUS(mvMqttReadPublishResponse(ch, &r), MV_STATUS_OKAY) &&
           CHECK_EQ(r.request_state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
}

static int publish(const char *topic, uint32_t qos, uint32_t id)
{
    struct MvMqttPublishRequest p = { id, str(topic), { payload, PAYLOAD }, qos, 0 };
    return CHECK_STATUS(mvMqttRequestPublish(ch, &p), MV_STATUS_OKAY);
}

static void throughput(uint32_t qos, int round)
{
    uint32_t sent = 0, done = 0;
    uint64_t start = now_us();
    while (done < MSGS) {
        while (sent < MSGS && sent - done < WINDOW) {
            if (!publish(SINK_TOPIC, qos, sent++)) {
                return;
            }
        }
        if (!read_publish_response()) {
            return;
        }
        done++;
    }
    mvtest_log("BENCH mqtt-throughput qos=%lu round=%d msgs=%lu us=%lu", (unsigned long)qos, round,
               (unsigned long)MSGS, (unsigned long)(now_us() - start));
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void round_trips(int round)
{
    static uint32_t us[TRIPS];
    static char topic[64];
    static uint8_t got[PAYLOAD];
    uint32_t id = 0, topic_len = 0, got_len = 0, q = 0;
    uint8_t retain = 0;
    struct MvMqttMessage msg = { &id, { (uint8_t *)topic, sizeof topic, &topic_len },
                                 { got, sizeof got, &got_len }, &q, &retain };
    for (uint32_t i = 0; i < TRIPS; i++) {
        uint64_t start = now_us();
        if (!publish(ECHO_TOPIC, 0, i)) {
            return;
        }
        /* The publish response comes first (QoS 0: once written). */
        if (!read_publish_response() ||
            !CHECK_EQ(next_item(), MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED)) {
            return;
        }
        us[i] = (uint32_t)(now_us() - start);
        if (!CHECK_STATUS(mvMqttReceiveMessage(ch, &msg), MV_STATUS_OKAY)) {
            return;
        }
    }
    qsort(us, TRIPS, sizeof us[0], cmp_u32);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < TRIPS; i++) {
        sum += us[i];
    }
    mvtest_log("BENCH mqtt-roundtrip round=%d trips=%lu median_us=%lu mean_us=%lu", round,
               (unsigned long)TRIPS, (unsigned long)us[TRIPS / 2],
               (unsigned long)(sum / TRIPS));
}

int main(void)
{
    mvtest_begin("mqtt-bench");
    mv_enable_irq();
    memset(payload, 'p', sizeof payload);
    static struct MvNotificationSetup setup;
    setup.irq = TIM1_UP_IRQn;
    setup.buffer = (struct MvNotification *)ring;
    setup.buffer_size = sizeof ring;
    MvNotificationHandle center = 0;
    if (!CHECK_STATUS(mvSetupNotifications(&setup, &center), MV_STATUS_OKAY)) {
        mvtest_end();
    }
    mv_nvic_clear_pending(TIM1_UP_IRQn);
    mv_nvic_enable_irq(TIM1_UP_IRQn);
    struct MvRequestNetworkParams nreq = { .version = 1, .v1 = { center, TAG_NET } };
    MvNetworkHandle net = 0;
    CHECK_STATUS(mvRequestNetwork(&nreq, &net), MV_STATUS_OKAY);
    enum MvNetworkStatus ns = MV_NETWORKSTATUS_CONNECTING;
    uint64_t t0 = now_us();
    while (mvGetNetworkStatus(net, &ns) == MV_STATUS_OKAY && ns != MV_NETWORKSTATUS_CONNECTED &&
           now_us() - t0 < TIMEOUT_US) {
    }
    struct MvOpenChannelParams op = {
        .version = 1,
        .v1 = { .notification_handle = center, .notification_tag = TAG_MQTT,
                .network_handle = net, .receive_buffer = rx, .receive_buffer_len = sizeof rx,
                .send_buffer = tx, .send_buffer_len = sizeof tx,
                .channel_type = MV_CHANNELTYPE_MQTT, .endpoint = { (const uint8_t *)"", 0 } },
    };
    if (!CHECK_STATUS(mvOpenChannel(&op, &ch), MV_STATUS_OKAY)) {
        mvtest_end();
    }
    struct MvMqttConnectRequest conn = {
        .protocol_version = MV_MQTTPROTOCOLVERSION_V3_1_1,
        .host = str("bench.example.com"),
        .port = 1883,
        .clientid = str("mvemu-bench-guest"),
        .authentication = { .method = MV_MQTTAUTHENTICATIONMETHOD_NONE },
        .keepalive = 60,
        .clean_start = 1,
    };
    struct MvMqttConnectResponse cr;
    if (!CHECK_STATUS(mvMqttRequestConnect(ch, &conn), MV_STATUS_OKAY) ||
        !CHECK_EQ(next_item(), MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE) ||
        !CHECK_STATUS(mvMqttReadConnectResponse(ch, &cr), MV_STATUS_OKAY) ||
        !CHECK_EQ(cr.request_state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED)) {
        mvtest_end();
    }
    struct MvMqttSubscription sub = { str(ECHO_TOPIC), 0, 0, 0, 0 };
    struct MvMqttSubscribeRequest sr = { 1, &sub, 1 };
    enum MvMqttRequestState state;
    uint32_t cid, codes[1], ncodes;
    struct MvMqttSubscribeResponse sresp = { &state, &cid, codes, 1, &ncodes };
    if (!CHECK_STATUS(mvMqttRequestSubscribe(ch, &sr), MV_STATUS_OKAY) ||
        !CHECK_EQ(next_item(), MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE) ||
        !CHECK_STATUS(mvMqttReadSubscribeResponse(ch, &sresp), MV_STATUS_OKAY)) {
        mvtest_end();
    }
    for (int round = 0; round < ROUNDS; round++) {
        throughput(0, round);
        throughput(1, round);
        round_trips(round);
    }
    mvMqttRequestDisconnect(ch);
    next_item();
    mvtest_end();
}
