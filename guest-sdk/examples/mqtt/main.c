/*
 * mqtt - an MQTT client as a Microvisor application writes one.
 *
 * 1. Brings the network up and opens a config-fetch channel.
 * 2. Fetches, as the MQTT demo names them, `broker-host`, `broker-port`,
 *    `root-CA` and `cert` from the device config store and `private_key`
 *    from the device secret store. Certificates and the key are uploaded as
 *    lowercase hex text of their DER bytes; they are decoded here.
 * 3. Opens an MQTT channel and connects (MQTT 5, TLS, the fetched CA and
 *    client certificate with its PKCS#8 key).
 * 4. Subscribes to a topic, publishes a QoS 1 message to it, reads that
 *    message back and acknowledges it, then disconnects.
 * 5. Reports with mvTestingComplete: 0 when every step worked.
 *
 * Run it against a local broker with `./mvemu example-mqtt` (README.md).
 * Nothing secret is logged: the key is reported by its size only.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvemu_cm33.h"
#include "stm32u585_irq.h"

#define NOTIFY_IRQ   TIM8_BRK_IRQn
#define TAG_NET      1u
#define TAG_CONFIG   2u
#define TAG_MQTT     3u
#define WAIT_US      10000000u  /* every wait is bounded (virtual time) */

#define TOPIC        "mvemu/example/echo"
#define MESSAGE      "hello from the mqtt example"

static uint8_t log_buffer[4096] __attribute__((aligned(512)));
static volatile struct MvNotification ring[16] __attribute__((aligned(8)));
static volatile uint32_t ring_index;

/* The config answer holds three hex documents: room for all of them. */
static uint8_t config_rx[12288] __attribute__((aligned(512)));
static uint8_t config_tx[512] __attribute__((aligned(512)));
static uint8_t mqtt_rx[4096] __attribute__((aligned(512)));
static uint8_t mqtt_tx[4096] __attribute__((aligned(512)));

/* One item's text (3 KiB, as the demo reads them) and the decoded DER. */
static uint8_t item[3072];
static char host[256];
static uint8_t ca_der[1536], cert_der[1536], key_der[1536];
static uint32_t ca_len, cert_len, key_len;
static uint32_t port;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = (int)sizeof line - 1;
    (void)mvServerLog((const uint8_t *)line, (uint16_t)n);
}

/* The example polls; its ISR only consumes records. */
void TIM8_BRK_IRQHandler(void)
{
    ring[ring_index].event_type = MV_EVENTTYPE_NOEVENT;
    ring_index = (ring_index + 1u) % (sizeof ring / sizeof ring[0]);
}

static uint64_t now_us(void)
{
    uint64_t t = 0;
    (void)mvGetMicroseconds(&t);
    return t;
}

static void fail(const char *what, uint32_t code) __attribute__((noreturn));
static void fail(const char *what, uint32_t code)
{
    say("example-mqtt: FAILED: %s (%lu)", what, (unsigned long)code);
    mvTestingComplete(1);
    for (;;)
        mv_wfi();
}

static struct MvSizedString text(const char *s)
{
    struct MvSizedString out = { (const uint8_t *)s, (uint32_t)strlen(s) };
    return out;
}

/* Two hex digits per byte (either case); 0 on a bad digit or no room. */
static uint32_t unhex(const uint8_t *in, uint32_t len, uint8_t *out, uint32_t room)
{
    if (len % 2u || len / 2u > room)
        return 0;
    for (uint32_t i = 0; i < len; i += 2) {
        uint8_t v = 0;
        for (uint32_t j = 0; j < 2; j++) {
            uint8_t c = in[i + j], d;
            if (c >= '0' && c <= '9')
                d = (uint8_t)(c - '0');
            else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                d = (uint8_t)((c | 0x20) - 'a' + 10);
            else
                return 0;
            v = (uint8_t)(v << 4 | d);
        }
        out[i / 2u] = v;
    }
    return len / 2u;
}

static MvChannelHandle open_channel(MvNotificationHandle center, MvNetworkHandle net,
                                    uint32_t tag, enum MvChannelType type, uint8_t *rx,
                                    uint32_t rx_len, uint8_t *tx, uint32_t tx_len)
{
    struct MvOpenChannelParams p = {
        .version = 1,
        .v1 = {
            .notification_handle = center,
            .notification_tag = tag,
            .network_handle = net,
            .receive_buffer = rx,
            .receive_buffer_len = rx_len,
            .send_buffer = tx,
            .send_buffer_len = tx_len,
            .channel_type = type,
            .endpoint = { (const uint8_t *)"", 0 },
        },
    };
    MvChannelHandle h = 0;
    enum MvStatus st = mvOpenChannel(&p, &h);
    if (st != MV_STATUS_OKAY)
        fail("mvOpenChannel", st);
    return h;
}

#define KEY(store_, name_)                                                          \
    { .scope = MV_CONFIGKEYFETCHSCOPE_DEVICE, .store = MV_CONFIGKEYFETCHSTORE_##store_, \
      .key = { (const uint8_t *)(name_), sizeof(name_) - 1 } }

static const struct MvConfigKeyToFetch keys[] = {
    KEY(CONFIG, "broker-host"), KEY(CONFIG, "broker-port"), KEY(CONFIG, "root-CA"),
    KEY(CONFIG, "cert"), KEY(SECRET, "private_key"),
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* Item `i` of the answer into `item`: its length. */
static uint32_t read_item(MvChannelHandle h, uint32_t i)
{
    enum MvConfigKeyFetchResult result = (enum MvConfigKeyFetchResult)0xff;
    uint32_t len = 0;
    struct MvConfigResponseReadItemParams p = {
        .item_index = i, .result = &result, .buf = { item, sizeof item - 1, &len },
    };
    enum MvStatus st = mvReadConfigResponseItem(h, &p);
    if (st != MV_STATUS_OKAY)
        fail("mvReadConfigResponseItem", st);
    if (result != MV_CONFIGKEYFETCHRESULT_OK) {
        say("example-mqtt: config item %.*s: result %u", (int)keys[i].key.length,
            (const char *)keys[i].key.data, (unsigned)result);
        fail("a config item is missing", result);
    }
    item[len] = 0;
    return len;
}

static void fetch_config(MvNotificationHandle center, MvNetworkHandle net)
{
    MvChannelHandle h = open_channel(center, net, TAG_CONFIG, MV_CHANNELTYPE_CONFIGFETCH,
                                     config_rx, sizeof config_rx, config_tx, sizeof config_tx);
    struct MvConfigKeyFetchParams req = { NKEYS, keys };
    enum MvStatus st = mvSendConfigFetchRequest(h, &req);
    if (st != MV_STATUS_OKAY)
        fail("mvSendConfigFetchRequest", st);
    struct MvConfigResponseData resp;
    uint64_t start = now_us();
    while ((st = mvReadConfigFetchResponseData(h, &resp)) == MV_STATUS_RESPONSENOTPRESENT) {
        if (now_us() - start > WAIT_US)
            fail("no config answer", 0);
    }
    if (st != MV_STATUS_OKAY || resp.result != MV_CONFIGFETCHRESULT_OK)
        fail("mvReadConfigFetchResponseData", st != MV_STATUS_OKAY ? st : resp.result);

    uint32_t n = read_item(h, 0);
    if (n >= sizeof host)
        fail("broker-host too long", n);
    memcpy(host, item, n + 1);
    read_item(h, 1);
    port = 0;
    for (const uint8_t *c = item; *c >= '0' && *c <= '9'; c++)
        port = port * 10u + (uint32_t)(*c - '0');
    if (!(ca_len = unhex(item, read_item(h, 2), ca_der, sizeof ca_der)))
        fail("root-CA is not hex DER", 0);
    if (!(cert_len = unhex(item, read_item(h, 3), cert_der, sizeof cert_der)))
        fail("cert is not hex DER", 0);
    if (!(key_len = unhex(item, read_item(h, 4), key_der, sizeof key_der)))
        fail("private_key is not hex DER", 0);
    memset(item, 0, sizeof item);  /* the key's text */
    (void)mvCloseChannel(&h);
    say("example-mqtt: config: broker %s port %lu, CA %lu bytes, certificate %lu bytes, "
        "key %lu bytes", host, (unsigned long)port, (unsigned long)ca_len,
        (unsigned long)cert_len, (unsigned long)key_len);
}

/* Wait for the next MQTT item; it must be `want`. */
static void expect_item(MvChannelHandle h, enum MvMqttReadableDataType want, const char *what)
{
    enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
    uint64_t start = now_us();
    do {
        enum MvStatus st = mvMqttGetNextReadableDataType(h, &t);
        if (st != MV_STATUS_OKAY)
            fail("mvMqttGetNextReadableDataType", st);
    } while (t == MV_MQTTREADABLEDATATYPE_NONE && now_us() - start < WAIT_US);
    if (t != want) {
        say("example-mqtt: waiting for the %s, got item type %u", what, (unsigned)t);
        fail("unexpected MQTT item", t);
    }
}

static void run_mqtt(MvNotificationHandle center, MvNetworkHandle net)
{
    MvChannelHandle h = open_channel(center, net, TAG_MQTT, MV_CHANNELTYPE_MQTT, mqtt_rx,
                                     sizeof mqtt_rx, mqtt_tx, sizeof mqtt_tx);
    const struct MvSizedString ca[1] = { { ca_der, ca_len } };
    const struct MvSizedString cert[1] = { { cert_der, cert_len } };
    const struct MvTlsCredentials tls = {
        .cacert = { 1, ca },
        .clientcert = { { 1, cert }, { key_der, key_len } },
    };
    struct MvMqttConnectRequest conn = {
        .protocol_version = MV_MQTTPROTOCOLVERSION_V5,
        .host = text(host),
        .port = (uint16_t)port,
        .clientid = text("mvemu-example"),
        .authentication = { .method = MV_MQTTAUTHENTICATIONMETHOD_NONE },
        .tls_credentials = &tls,
        .keepalive = 60,
        .clean_start = 1,
    };
    enum MvStatus st = mvMqttRequestConnect(h, &conn);
    if (st != MV_STATUS_OKAY)
        fail("mvMqttRequestConnect", st);
    expect_item(h, MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE, "connect response");
    struct MvMqttConnectResponse cr;
    if ((st = mvMqttReadConnectResponse(h, &cr)) != MV_STATUS_OKAY)
        fail("mvMqttReadConnectResponse", st);
    memset(key_der, 0, sizeof key_der);  /* Microvisor has its copy */
    if (cr.request_state != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED || cr.reason_code != 0) {
        say("example-mqtt: connect: request_state %u reason %lu", (unsigned)cr.request_state,
            (unsigned long)cr.reason_code);
        fail("the broker did not accept the connection", cr.request_state);
    }
    say("example-mqtt: connected to %s over TLS with the client certificate", host);

    const struct MvMqttSubscription sub = { text(TOPIC), 1, 0, 0, 0 };
    const struct MvMqttSubscribeRequest sreq = { 10, &sub, 1 };
    if ((st = mvMqttRequestSubscribe(h, &sreq)) != MV_STATUS_OKAY)
        fail("mvMqttRequestSubscribe", st);
    expect_item(h, MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE, "subscribe response");
    enum MvMqttRequestState state;
    uint32_t cid = 0, codes[1] = { 0xff }, ncodes = 0;
    const struct MvMqttSubscribeResponse sresp = { &state, &cid, codes, 1, &ncodes };
    if ((st = mvMqttReadSubscribeResponse(h, &sresp)) != MV_STATUS_OKAY)
        fail("mvMqttReadSubscribeResponse", st);
    if (state != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED || cid != 10 || ncodes != 1 || codes[0] != 1)
        fail("subscribe refused", codes[0]);
    say("example-mqtt: subscribed to " TOPIC " (QoS 1 granted)");

    const struct MvMqttPublishRequest pub = { 11, text(TOPIC), text(MESSAGE), 1, 0 };
    if ((st = mvMqttRequestPublish(h, &pub)) != MV_STATUS_OKAY)
        fail("mvMqttRequestPublish", st);

    /* The PUBACK and our own message come back in either order. */
    int acked = 0, echoed = 0;
    while (!acked || !echoed) {
        enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
        uint64_t start = now_us();
        while (mvMqttGetNextReadableDataType(h, &t) == MV_STATUS_OKAY &&
               t == MV_MQTTREADABLEDATATYPE_NONE && now_us() - start < WAIT_US) {
        }
        if (t == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE) {
            struct MvMqttPublishResponse pr;
            if ((st = mvMqttReadPublishResponse(h, &pr)) != MV_STATUS_OKAY)
                fail("mvMqttReadPublishResponse", st);
            if (pr.request_state != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED || pr.correlation_id != 11)
                fail("publish not acknowledged", pr.request_state);
            acked = 1;
        } else if (t == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED) {
            char topic[64];
            uint8_t payload[128];
            uint32_t mid = 0, topic_len = 0, payload_len = 0, qos = 0;
            uint8_t retain = 0;
            const struct MvMqttMessage msg = {
                &mid, { (uint8_t *)topic, sizeof topic - 1, &topic_len },
                { payload, sizeof payload - 1, &payload_len }, &qos, &retain,
            };
            if ((st = mvMqttReceiveMessage(h, &msg)) != MV_STATUS_OKAY)
                fail("mvMqttReceiveMessage", st);
            topic[topic_len] = 0;
            payload[payload_len] = 0;
            say("example-mqtt: received on %s (QoS %lu): %s", topic, (unsigned long)qos,
                (const char *)payload);
            if (strcmp(topic, TOPIC) != 0 || strcmp((const char *)payload, MESSAGE) != 0)
                fail("a message we did not send", 0);
            if ((st = mvMqttAcknowledgeMessage(h, mid)) != MV_STATUS_OKAY)
                fail("mvMqttAcknowledgeMessage", st);
            echoed = 1;
        } else {
            fail("waiting for the publish response and the message, got item type", t);
        }
    }

    if ((st = mvMqttRequestDisconnect(h)) != MV_STATUS_OKAY)
        fail("mvMqttRequestDisconnect", st);
    expect_item(h, MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE, "disconnect response");
    struct MvMqttDisconnectResponse dr;
    if ((st = mvMqttReadDisconnectResponse(h, &dr)) != MV_STATUS_OKAY)
        fail("mvMqttReadDisconnectResponse", st);
    if (dr.request_state != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED)
        fail("disconnect", dr.request_state);
    (void)mvCloseChannel(&h);
    say("example-mqtt: disconnected");
}

int main(void)
{
    (void)mvServerLoggingInit(log_buffer, sizeof log_buffer);

    const struct MvNotificationSetup setup = {
        .irq = (uint32_t)NOTIFY_IRQ,
        .buffer = (struct MvNotification *)ring,
        .buffer_size = sizeof ring,
    };
    MvNotificationHandle center = 0;
    enum MvStatus st = mvSetupNotifications(&setup, &center);
    if (st != MV_STATUS_OKAY)
        fail("mvSetupNotifications", st);
    mv_nvic_clear_pending(NOTIFY_IRQ);
    mv_nvic_enable_irq(NOTIFY_IRQ);
    mv_enable_irq();

    const struct MvRequestNetworkParams np = { .version = 1, .v1 = { center, TAG_NET } };
    MvNetworkHandle net = 0;
    if ((st = mvRequestNetwork(&np, &net)) != MV_STATUS_OKAY)
        fail("mvRequestNetwork", st);
    enum MvNetworkStatus ns = MV_NETWORKSTATUS_CONNECTING;
    uint64_t start = now_us();
    while (mvGetNetworkStatus(net, &ns) == MV_STATUS_OKAY && ns != MV_NETWORKSTATUS_CONNECTED) {
        if (now_us() - start > WAIT_US)
            fail("the network did not come up", ns);
    }

    fetch_config(center, net);
    run_mqtt(center, net);
    say("example-mqtt: done");
    mvTestingComplete(0);
    for (;;)
        mv_wfi();
}
