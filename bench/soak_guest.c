/*
 * The soak firmware (bench/soak.py, docs/reliability.md "Soak"): runs until
 * it is stopped, as a device in the field does, and reconnects by itself:
 *
 *  - MQTT to the soak's broker (plain TCP, MQTT 5, persistent session,
 *    subscribed to its own topic): a publish every 50 ms of virtual time,
 *    QoS 0 and QoS 1 in turn; each loss (the soak cuts the link every 10 s)
 *    closes the channel and the next one reconnects;
 *  - an HTTPS GET a second on a fresh channel.
 *
 * Every 10 s it logs one SOAK line with its counters: what it published at
 * each QoS, the PUBACKs, what came back at each QoS, HTTP outcomes and
 * connection losses. The soak compares them with what its own subscriber
 * saw at the broker.
 */
#define MQ_WAIT_US 10000000u
#include <stdio.h>

#include "../tests/firmware/mqtt/mqtttest.h"

#define TOPIC "mvemu/soak"
#define TAG_HTTP 0x485454u
#define PUBLISH_EVERY_US 50000u
#define HTTP_EVERY_US 1000000u
#define REPORT_EVERY_US 10000000u
#define WINDOW 8u

static volatile struct MvNotification ring[64] __attribute__((aligned(8)));
static LinkCenter center;
static MvNetworkHandle net;
static MqChannel m;
static uint8_t mqtt_rx[2048] __attribute__((aligned(512)));
static uint8_t mqtt_tx[1024] __attribute__((aligned(512)));
static uint8_t http_rx[1024] __attribute__((aligned(512)));
static uint8_t http_tx[512] __attribute__((aligned(512)));
static MvChannelHandle http;

void TIM1_BRK_IRQHandler(void) { link_isr(&center); }
void SysTick_Handler(void) {}  /* wakes the WFI below once a millisecond */

static enum { M_CLOSED, M_CONNECTING, M_SUBSCRIBING, M_READY } mqtt_state;
static int http_busy;
static uint32_t outstanding, sequence;
static uint32_t published[2], acked, received[2], losses, connects;
static uint32_t http_ok, http_failed, http_lost, unexpected;

static void note_unexpected(const char *what, uint32_t value)
{
    if (unexpected++ < 20) {
        mvtest_log("unexpected %s %lu", what, (unsigned long)value);
    }
}

static int link_connected(void)
{
    enum MvNetworkStatus s = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    return mvGetNetworkStatus(net, &s) == MV_STATUS_OKAY && s == MV_NETWORKSTATUS_CONNECTED;
}

static void mqtt_close(void)
{
    (void)mvCloseChannel(&m.ch);
    mqtt_state = M_CLOSED;
    outstanding = 0;
}

static void mqtt_item(enum MvMqttReadableDataType t)
{
    switch (t) {
    case MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE: {
        struct MvMqttConnectResponse r = { (enum MvMqttRequestState)0xEEu, 0xEEu };
        (void)mvMqttReadConnectResponse(m.ch, &r);
        if (r.request_state != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED || r.reason_code != 0) {
            mqtt_close();
            return;
        }
        connects++;
        struct MvMqttSubscription sub = { mq_str(TOPIC), 1, 0, 0, 0 };
        struct MvMqttSubscribeRequest sr = { 1, &sub, 1 };
        (void)mvMqttRequestSubscribe(m.ch, &sr);
        mqtt_state = M_SUBSCRIBING;
        return;
    }
    case MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE:
        (void)mq_read_codes(&m, 1, 8);
        mqtt_state = M_READY;
        return;
    case MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE: {
        struct MvMqttPublishResponse r;
        (void)mvMqttReadPublishResponse(m.ch, &r);
        if (r.correlation_id & 1u) {
            acked += r.request_state == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED;
        }
        outstanding--;
        return;
    }
    case MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED: {
        static MqMessage msg;
        mq_receive(&m, &msg, 32);
        if (msg.status == MV_STATUS_OKAY) {
            received[msg.qos ? 1 : 0]++;
            (void)mvMqttAcknowledgeMessage(m.ch, msg.correlation_id);
        }
        return;
    }
    case MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE: {
        struct MvMqttDisconnectResponse d;
        (void)mvMqttReadDisconnectResponse(m.ch, &d);
        losses++;
        mqtt_close();
        return;
    }
    default:
        note_unexpected("MQTT item", t);
        mqtt_close();
        return;
    }
}

static void mqtt_step(int publish_due)
{
    if (mqtt_state == M_CLOSED) {
        if (link_connected() &&
            link_open(&center, MQ_TAG, net, MV_CHANNELTYPE_MQTT, "", mqtt_rx, sizeof mqtt_rx,
                      mqtt_tx, sizeof mqtt_tx, &m.ch) == MV_STATUS_OKAY) {
            struct MvMqttConnectRequest req =
                mq_connect_request(MV_MQTTPROTOCOLVERSION_V5, "mvemu-soak");
            req.clean_start = 0;
            if (mvMqttRequestConnect(m.ch, &req) == MV_STATUS_OKAY) {
                mqtt_state = M_CONNECTING;
            } else {
                mqtt_close();
            }
        }
        return;
    }
    enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
    if (mvMqttGetNextReadableDataType(m.ch, &t) == MV_STATUS_OKAY &&
        t != MV_MQTTREADABLEDATATYPE_NONE) {
        mqtt_item(t);
    } else if (publish_due && mqtt_state == M_READY && outstanding < WINDOW) {
        char payload[24];
        uint32_t id = sequence++;
        uint32_t qos = id & 1u;
        int n = snprintf(payload, sizeof payload, "q%lu-%lu", (unsigned long)qos, (unsigned long)id);
        struct MvMqttPublishRequest p = { id, mq_str(TOPIC), { (const uint8_t *)payload, (uint32_t)n },
                                          qos, 0 };
        if (mvMqttRequestPublish(m.ch, &p) == MV_STATUS_OKAY) {
            published[qos]++;
            outstanding++;
        }
    }
}

static void http_step(int request_due)
{
    if (!http_busy) {
        if (!request_due || !link_connected() ||
            link_open(&center, TAG_HTTP, net, MV_CHANNELTYPE_HTTP, "", http_rx, sizeof http_rx,
                      http_tx, sizeof http_tx, &http) != MV_STATUS_OKAY) {
            return;
        }
        static const char method[] = "GET", url[] = "https://api.example.com/status/200";
        struct MvHttpRequest r = {
            .method = { (const uint8_t *)method, sizeof method - 1 },
            .url = { (const uint8_t *)url, sizeof url - 1 },
            .timeout_ms = 5000,
        };
        if (mvSendHttpRequest(http, &r) == MV_STATUS_OKAY) {
            http_busy = 1;
        } else {
            (void)mvCloseChannel(&http);
        }
        return;
    }
    struct MvHttpResponseData d = { (enum MvHttpResult)0xEEu, 0, 0, 0 };
    enum MvStatus st = mvReadHttpResponseData(http, &d);
    if (st == MV_STATUS_RESPONSENOTPRESENT) {
        return;
    }
    if (st == MV_STATUS_OKAY && d.result == MV_HTTPRESULT_OK && d.status_code == 200u) {
        http_ok++;
    } else if (st == MV_STATUS_OKAY) {
        http_failed++;
    } else if (st == MV_STATUS_CHANNELCLOSED) {
        http_lost++;
    } else {
        note_unexpected("HTTP read status", st);
    }
    (void)mvCloseChannel(&http);
    http_busy = 0;
}

int main(void)
{
    mvtest_begin("soak");
    mv_enable_irq();
    if (fw_center_open(&center.c, ring, 64, TIM1_BRK_IRQn) != MV_STATUS_OKAY ||
        link_request(&center, MQ_TAG_NET, &net) != MV_STATUS_OKAY) {
        mvtest_log("FATAL no network");
        mvtest_end();
    }
    m.net = net;
    uint32_t sysclk = 160000000u;
    (void)mvGetSysClk(&sysclk);
    MVEMU_REG32(MVEMU_SYST_RVR) = sysclk / 1000u - 1u;
    MVEMU_REG32(MVEMU_SYST_CVR) = 0;
    MVEMU_REG32(MVEMU_SYST_CSR) =
        MVEMU_SYST_CSR_ENABLE | MVEMU_SYST_CSR_TICKINT | MVEMU_SYST_CSR_CLKSOURCE;
    uint64_t start = fw_micros(), next_publish = start, next_http = start,
             next_report = start + REPORT_EVERY_US;
    for (;;) {
        uint64_t now = fw_micros();
        int publish_due = now >= next_publish, http_due = now >= next_http;
        if (publish_due) {
            next_publish += PUBLISH_EVERY_US;
        }
        if (http_due) {
            next_http += HTTP_EVERY_US;
        }
        mqtt_step(publish_due);
        http_step(http_due);
        if (now >= next_report) {
            next_report += REPORT_EVERY_US;
            mvtest_log("SOAK t=%lu published0=%lu published1=%lu acked1=%lu received0=%lu "
                       "received1=%lu http_ok=%lu http_failed=%lu http_lost=%lu losses=%lu "
                       "connects=%lu unexpected=%lu",
                       (unsigned long)((now - start) / 1000000u), (unsigned long)published[0],
                       (unsigned long)published[1], (unsigned long)acked,
                       (unsigned long)received[0], (unsigned long)received[1],
                       (unsigned long)http_ok, (unsigned long)http_failed,
                       (unsigned long)http_lost, (unsigned long)losses, (unsigned long)connects,
                       (unsigned long)unexpected);
        }
        __asm volatile("wfi");  /* SysTick or a notification wakes it */
    }
}
