/*
 * network-flaps: the link flaps every 100 ms (the profile's outages: down
 * 40 ms of every 100 for 3 s) while the firmware keeps an MQTT channel and
 * an HTTP channel busy, as a device does that reconnects on its own:
 *
 *  - MQTT (the runner's broker, MQTT 5, a persistent session subscribed to
 *    its own topic): NUM_MESSAGES QoS 1 publishes, up to WINDOW
 *    outstanding; after each loss the firmware closes the channel, opens a
 *    new one when the link is back, reconnects and publishes again what has
 *    no PUBLISHRESPONSE yet. QoS 1 is at least once: the test ends when
 *    every message is confirmed and has come back at least once.
 *  - HTTP (the runner's HTTPS server): one GET after another on a fresh
 *    channel each; a request the link cuts short ends as the documents say
 *    (REQUESTFAILED, or CHANNELCLOSED once the connection is gone).
 *
 * Every status is checked against what the documents allow at that point
 * (opening during an outage is NETWORKNOTCONNECTED, the open rate limit is
 * RATELIMITED, a request into a lost connection is CHANNELCLOSED, ...);
 * anything else is a failed check. The runner samples the emulator's
 * descriptors and RSS before and after (--max-growth).
 */
#define MQ_WAIT_US 10000000u
#include <stdio.h>

#include "../../mqtt/mqtttest.h"

#define NUM_MESSAGES 200u
#define WINDOW 4u
#define TOPIC "mvemu/test/flaps"
#define TAG_HTTP 0x485454u
#define FLAPS_END_US 3400000u
#define GIVE_UP_US 20000000u
#define MIN_HTTP_OK 20u

static volatile struct MvNotification ring[64] __attribute__((aligned(8)));
static LinkCenter center;
static MvNetworkHandle net;
static uint8_t mqtt_rx[1024] __attribute__((aligned(512)));
static uint8_t mqtt_tx[1024] __attribute__((aligned(512)));
static uint8_t http_rx[1024] __attribute__((aligned(512)));
static uint8_t http_tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&center); }

static enum { M_CLOSED, M_CONNECTING, M_SUBSCRIBING, M_READY } mqtt_state;
static MqChannel m;
static uint8_t confirmed[NUM_MESSAGES], sent_here[NUM_MESSAGES];
static uint32_t seen[NUM_MESSAGES];
static char payloads[NUM_MESSAGES][8];
static uint32_t outstanding, mqtt_losses, mqtt_connects, connect_failures, publishes;

static enum { H_CLOSED, H_WAITING } http_state;
static MvChannelHandle http;
static uint32_t http_ok, http_failed, http_lost, http_sent;

static uint32_t opens_refused, rate_limited;

static int one_of(enum MvStatus st, enum MvStatus a, enum MvStatus b, enum MvStatus c)
{
    if (st == a || st == b || st == c) {
        return 1;
    }
    mvtest_log("unexpected status %lu", (unsigned long)st);
    return CHECK(0);
}

static int link_connected(void)
{
    enum MvNetworkStatus s = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    return mvGetNetworkStatus(net, &s) == MV_STATUS_OKAY && s == MV_NETWORKSTATUS_CONNECTED;
}

/* Open a channel: OKAY, or the link went (NETWORKNOTCONNECTED), or the open
 * rate limit (RATELIMITED). */
static int open_channel(uint32_t tag, enum MvChannelType type, uint8_t *rx, uint32_t rx_len,
                        uint8_t *tx, uint32_t tx_len, MvChannelHandle *h)
{
    enum MvStatus st = link_open(&center, tag, net, type, "", rx, rx_len, tx, tx_len, h);
    one_of(st, MV_STATUS_OKAY, MV_STATUS_NETWORKNOTCONNECTED, MV_STATUS_RATELIMITED);
    opens_refused += st == MV_STATUS_NETWORKNOTCONNECTED;
    rate_limited += st == MV_STATUS_RATELIMITED;
    return st == MV_STATUS_OKAY;
}

static void mqtt_close(void)
{
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
    mqtt_state = M_CLOSED;
    outstanding = 0;
}

static void mqtt_start(void)
{
    if (!link_connected() ||
        !open_channel(MQ_TAG, MV_CHANNELTYPE_MQTT, mqtt_rx, sizeof mqtt_rx, mqtt_tx,
                      sizeof mqtt_tx, &m.ch)) {
        return;
    }
    struct MvMqttConnectRequest req = mq_connect_request(MV_MQTTPROTOCOLVERSION_V5, "mvemu-flaps");
    req.clean_start = 0;
    enum MvStatus st = mvMqttRequestConnect(m.ch, &req);
    one_of(st, MV_STATUS_OKAY, MV_STATUS_CHANNELCLOSED, MV_STATUS_CHANNELCLOSED);
    if (st != MV_STATUS_OKAY) {
        mqtt_close();
        return;
    }
    mqtt_state = M_CONNECTING;
}

static void mqtt_publish_more(void)
{
    for (uint32_t i = 0; i < NUM_MESSAGES && outstanding < WINDOW; i++) {
        if (confirmed[i] || sent_here[i]) {
            continue;
        }
        struct MvMqttPublishRequest p = { i, mq_str(TOPIC), mq_str(payloads[i]), 1, 0 };
        enum MvStatus st = mvMqttRequestPublish(m.ch, &p);
        one_of(st, MV_STATUS_OKAY, MV_STATUS_CHANNELCLOSED, MV_STATUS_RATELIMITED);
        if (st != MV_STATUS_OKAY) {
            return;  /* the loss shows as a DISCONNECTRESPONSE */
        }
        sent_here[i] = 1;
        outstanding++;
        publishes++;
    }
}

static void mqtt_item(enum MvMqttReadableDataType t)
{
    switch (t) {
    case MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE: {
        struct MvMqttConnectResponse r = { (enum MvMqttRequestState)0xEEu, 0xEEu };
        CHECK_STATUS(mvMqttReadConnectResponse(m.ch, &r), MV_STATUS_OKAY);
        if (r.request_state != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED || r.reason_code != 0) {
            /* The link went during the connect. */
            CHECK_EQ(r.request_state, MV_MQTTREQUESTSTATE_SOCKETERROR);
            connect_failures++;
            mqtt_close();
            return;
        }
        mqtt_connects++;
        struct MvMqttSubscription sub = { mq_str(TOPIC), 1, 0, 0, 0 };
        struct MvMqttSubscribeRequest sr = { 100, &sub, 1 };
        enum MvStatus st = mvMqttRequestSubscribe(m.ch, &sr);
        one_of(st, MV_STATUS_OKAY, MV_STATUS_CHANNELCLOSED, MV_STATUS_CHANNELCLOSED);
        mqtt_state = M_SUBSCRIBING;
        break;
    }
    case MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE: {
        MqCodes c = mq_read_codes(&m, 1, 8);
        CHECK_STATUS(c.status, MV_STATUS_OKAY);
        CHECK_EQ(c.state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
        memset(sent_here, 0, sizeof sent_here);
        mqtt_state = M_READY;
        break;
    }
    case MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE: {
        struct MvMqttPublishResponse r;
        CHECK_STATUS(mvMqttReadPublishResponse(m.ch, &r), MV_STATUS_OKAY);
        if (CHECK(r.correlation_id < NUM_MESSAGES) &&
            CHECK_EQ(r.request_state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED)) {
            confirmed[r.correlation_id] = 1;
        }
        outstanding--;
        break;
    }
    case MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED: {
        static MqMessage msg;
        mq_receive(&m, &msg, 16);
        CHECK_STATUS(msg.status, MV_STATUS_OKAY);
        unsigned i = NUM_MESSAGES;
        if (msg.payload_len == 4 && msg.payload[0] == 'm') {
            i = (unsigned)(msg.payload[1] - '0') * 100u + (unsigned)(msg.payload[2] - '0') * 10u +
                (unsigned)(msg.payload[3] - '0');
        }
        if (CHECK(i < NUM_MESSAGES)) {
            seen[i]++;
        }
        one_of(mvMqttAcknowledgeMessage(m.ch, msg.correlation_id), MV_STATUS_OKAY,
               MV_STATUS_CHANNELCLOSED, MV_STATUS_CHANNELCLOSED);
        break;
    }
    case MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE: {
        struct MvMqttDisconnectResponse d;
        CHECK_STATUS(mvMqttReadDisconnectResponse(m.ch, &d), MV_STATUS_OKAY);
        CHECK_EQ(d.request_state, MV_MQTTREQUESTSTATE_NOTCONNECTED);
        mqtt_losses++;
        mqtt_close();
        break;
    }
    default:
        mvtest_log("unexpected MQTT item %lu", (unsigned long)t);
        CHECK(0);
        mqtt_close();
        break;
    }
}

static void mqtt_step(void)
{
    if (mqtt_state == M_CLOSED) {
        mqtt_start();
        return;
    }
    enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
    CHECK_STATUS(mvMqttGetNextReadableDataType(m.ch, &t), MV_STATUS_OKAY);
    if (t != MV_MQTTREADABLEDATATYPE_NONE) {
        mqtt_item(t);
    } else if (mqtt_state == M_READY) {
        mqtt_publish_more();
    }
}

static void http_close(void)
{
    CHECK_STATUS(mvCloseChannel(&http), MV_STATUS_OKAY);
    http_state = H_CLOSED;
}

static void http_step(void)
{
    if (http_state == H_CLOSED) {
        if (!link_connected() ||
            !open_channel(TAG_HTTP, MV_CHANNELTYPE_HTTP, http_rx, sizeof http_rx, http_tx,
                          sizeof http_tx, &http)) {
            return;
        }
        static const char method[] = "GET", url[] = "https://api.example.com/status/200";
        struct MvHttpRequest r = {
            .method = { (const uint8_t *)method, sizeof method - 1 },
            .url = { (const uint8_t *)url, sizeof url - 1 },
            .timeout_ms = 5000,
        };
        enum MvStatus st = mvSendHttpRequest(http, &r);
        one_of(st, MV_STATUS_OKAY, MV_STATUS_CHANNELCLOSED, MV_STATUS_CHANNELCLOSED);
        if (st != MV_STATUS_OKAY) {
            http_close();
            return;
        }
        http_sent++;
        http_state = H_WAITING;
        return;
    }
    struct MvHttpResponseData d = { (enum MvHttpResult)0xEEu, 0, 0, 0 };
    enum MvStatus st = mvReadHttpResponseData(http, &d);
    one_of(st, MV_STATUS_OKAY, MV_STATUS_RESPONSENOTPRESENT, MV_STATUS_CHANNELCLOSED);
    if (st == MV_STATUS_RESPONSENOTPRESENT) {
        return;
    }
    if (st == MV_STATUS_OKAY && d.result == MV_HTTPRESULT_OK) {
        CHECK_EQ(d.status_code, 200u);
        http_ok++;
    } else if (st == MV_STATUS_OKAY) {
        CHECK_EQ(d.result, MV_HTTPRESULT_REQUESTFAILED);
        http_failed++;
    } else {
        http_lost++;
    }
    http_close();
}

static int all_done(void)
{
    for (uint32_t i = 0; i < NUM_MESSAGES; i++) {
        if (!confirmed[i] || !seen[i]) {
            return 0;
        }
    }
    return http_ok >= MIN_HTTP_OK;
}

int main(void)
{
    mvtest_begin("network-flaps");
    mv_enable_irq();
    for (uint32_t i = 0; i < NUM_MESSAGES; i++) {
        snprintf(payloads[i], sizeof payloads[i], "m%03u", (unsigned)i);
    }
    if (!CHECK_STATUS(fw_center_open(&center.c, ring, 64, TIM1_BRK_IRQn), MV_STATUS_OKAY) ||
        !CHECK_STATUS(link_request(&center, MQ_TAG_NET, &net), MV_STATUS_OKAY)) {
        mvtest_end();
    }
    m.net = net;
    uint64_t start = fw_micros();
    uint64_t now = start;
    int warm = 0;
    while (!(now - start > FLAPS_END_US && all_done()) && now - start < GIVE_UP_US &&
           mvtest_failures() == 0) {
        mqtt_step();
        http_step();
        if (!warm && http_ok > 0 && mqtt_state == M_READY) {
            /* The baseline for the runner's sample: one of each done, before
             * the first flap (the profile's outages start at 400 ms). */
            CHECK(mqtt_losses == 0 && http_lost == 0);
            mvtest_log("FLAPS BEGIN");
            warm = 1;
        }
        now = fw_micros();
    }
    CHECK(warm);
    uint32_t duplicates = 0, missing = 0;
    for (uint32_t i = 0; i < NUM_MESSAGES; i++) {
        duplicates += seen[i] > 1 ? seen[i] - 1 : 0;
        missing += !confirmed[i] || !seen[i];
    }
    mvtest_log("mqtt: %lu connects, %lu connect failures, %lu losses, %lu publishes, "
               "%lu duplicates, %lu missing",
               (unsigned long)mqtt_connects, (unsigned long)connect_failures,
               (unsigned long)mqtt_losses, (unsigned long)publishes, (unsigned long)duplicates,
               (unsigned long)missing);
    mvtest_log("http: %lu sent, %lu ok, %lu failed, %lu lost", (unsigned long)http_sent,
               (unsigned long)http_ok, (unsigned long)http_failed, (unsigned long)http_lost);
    mvtest_log("opens refused: %lu (link down), %lu (rate limit)", (unsigned long)opens_refused,
               (unsigned long)rate_limited);
    CHECK_EQ(missing, 0u);
    /* The flaps really cut MQTT: connections lost, or connects cut short
     * (on a slow host, e.g. under ASan, most flaps land during a connect). */
    CHECK(mqtt_losses + connect_failures >= 10u);
    CHECK(http_failed + http_lost >= 5u);
    CHECK(http_ok >= MIN_HTTP_OK);
    if (mqtt_state != M_CLOSED) {
        mqtt_close();
    }
    if (http_state != H_CLOSED) {
        http_close();
    }
    /* The sockets close on the event loop: settle before the sample, and
     * stay alive while the runner takes it. */
    fw_spin_us(200000);
    mvtest_log("FLAPS END");
    fw_spin_us(300000);
    mvtest_end();
}
