/*
 * config-fetch: a config-fetch channel end to end (docs/config.md), against
 * tests/firmware/config/profile.toml:
 *   - before a request every read is RESPONSENOTPRESENT;
 *   - mvSendConfigFetchRequest's refusals (PARAMETERFAULT, INVALIDHANDLE,
 *     TOOMANYCONFIGKEYS, UNKNOWNCONFIGSCOPE, UNKNOWNCONFIGSTORE,
 *     INVALIDCONFIGKEY, INVALIDBUFFERSIZE) spend nothing; the good request
 *     for config and secret items of both scopes is answered after the
 *     profile's 50 ms by one CHANNELDATAREADABLE with the channel's tag; a
 *     second request is REQUESTALREADYSENT;
 *   - every item is read and checked, twice and out of order: strings, the
 *     DER file as lowercase hex (decoded two digits per byte, as the MQTT
 *     demo does) and raw, a missing key (KEYNOTFOUND, length 0), a
 *     server error; INDEXINVALID, LATEFAULT for each bad nested pointer,
 *     truncation to the buffer;
 *   - a 512-byte receive buffer gets RESPONSETOOLARGE;
 *   - a channel losing its connection before the answer gets none and reads
 *     CHANNELCLOSED; an answer received before the link is cut (by the
 *     runner, after it queried the monitor) stays readable.
 * Secret values are compared, never logged: the runner rejects them in the
 * console, the QEMU trace and the monitor's replies.
 */
#include <string.h>

#include "fwnet.h"
#include "../../network/channels/chutil.h"

#define IRQ TIM1_BRK_IRQn
#define TAG_NET 0x4e4554u
#define TAG_CFG 0x434647u
#define TAG_BIG 0x424947u
#define TAG_LOST 0x4c4f53u
#define LATENCY_US 50000u

static volatile struct MvNotification ring[16] __attribute__((aligned(8)));
static FwCenter center;
static uint8_t rx[2048] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));
static uint8_t rx_small[512] __attribute__((aligned(512)));
static uint8_t tx2[512] __attribute__((aligned(512)));
static uint8_t rx3[512] __attribute__((aligned(512)));
static uint8_t tx3[512] __attribute__((aligned(512)));
static uint8_t log_buffer[4096] __attribute__((aligned(512)));
static uint8_t value[1024];
static uint8_t decoded[512];
static char long_key[101];

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }

#define KEY(scope_, store_, text_)                                                     \
    { .scope = (scope_), .store = (store_),                                            \
      .key = { .data = (const uint8_t *)(text_), .length = sizeof(text_) - 1 } }

static const struct MvConfigKeyToFetch keys[] = {
    KEY(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "broker-host"),
    KEY(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "broker-port"),
    KEY(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "root-CA"),
    KEY(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "cert"),
    KEY(MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_CONFIG, "region"),
    KEY(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_SECRET, "client-key"),
    KEY(MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_SECRET, "password"),
    KEY(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "no-such-key"),
    KEY(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "flaky"),
    /* The device scope holds no region: no fallback between scopes. */
    KEY(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "region"),
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* The bytes of the two DER files beside profile.toml: a SEQUENCE header,
 * then byte i = (i * 37 + 11) & 0xff (ca.der, 296 bytes after the header)
 * or (i * 101 + 7) & 0xff (client-key.der, 62 bytes). */
static uint8_t ca_byte(uint32_t i)
{
    static const uint8_t head[4] = { 0x30, 0x82, 0x01, 0x28 };
    return i < 4 ? head[i] : (uint8_t)((i - 4) * 37 + 11);
}
#define CA_LEN 300u
static uint8_t key_byte(uint32_t i)
{
    return i == 0 ? 0x30 : i == 1 ? 0x3e : (uint8_t)((i - 2) * 101 + 7);
}
#define KEY_LEN 64u

static const char password[] = "s3cr3t-pa55w0rd-never-logged";

static void server_log(const char *text)
{
    mvServerLog((const uint8_t *)text, (uint16_t)strlen(text));
}

/* Read item `index` into `value` (size `size`): the status; result and length out. */
static enum MvStatus read_item(MvChannelHandle h, uint32_t index, uint32_t size,
                               uint32_t *result, uint32_t *length)
{
    *result = FILL;
    *length = FILL;
    memset(value, 0x5A, sizeof value);
    struct MvConfigResponseReadItemParams p = {
        .item_index = index,
        .result = (enum MvConfigKeyFetchResult *)result,
        .buf = { .data = value, .size = size, .length = length },
    };
    return mvReadConfigResponseItem(h, &p);
}

/* Two hex digits per byte, either case (the MQTT demo's decoder). */
static uint32_t unhex(const uint8_t *text, uint32_t len, uint8_t *out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i + 1 < len; i += 2) {
        uint8_t v = 0;
        for (uint32_t j = 0; j < 2; j++) {
            uint8_t ch = text[i + j];
            v = (uint8_t)(v << 4 | (ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10));
        }
        out[n++] = v;
    }
    return n;
}

static int all_lowercase_hex(const uint8_t *text, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

/* Read item `index`, which must be found with `want_length` bytes. */
static void read_found(MvChannelHandle h, uint32_t index, uint32_t want_length)
{
    uint32_t result, length;
    CHECK_STATUS(read_item(h, index, sizeof value, &result, &length), MV_STATUS_OKAY);
    CHECK_EQ(result, MV_CONFIGKEYFETCHRESULT_OK);
    CHECK_EQ(length, want_length);
    CHECK_EQ(value[want_length], 0x5Au);  /* no terminator */
}

/* How many of `n` bytes differ from the file's pattern. */
static uint32_t mismatches(const uint8_t *bytes, uint32_t n, uint8_t (*pattern)(uint32_t))
{
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < n; i++) {
        wrong += bytes[i] != pattern(i);
    }
    return wrong;
}

/* `value` holds a file of `n` bytes as lowercase hex text. */
static void check_hex(uint32_t n, uint8_t (*pattern)(uint32_t))
{
    CHECK(all_lowercase_hex(value, 2 * n));
    CHECK_EQ(unhex(value, 2 * n, decoded), n);
    CHECK_EQ(mismatches(decoded, n, pattern), 0u);
}

static void check_items(MvChannelHandle h)
{
    uint32_t result, length;

    /* Last first: reads do not consume. */
    for (uint32_t i = NKEYS; i-- > 7;) {
        CHECK_STATUS(read_item(h, i, sizeof value, &result, &length), MV_STATUS_OKAY);
        CHECK_EQ(result, i == 8 ? MV_CONFIGKEYFETCHRESULT_SERVERERROR
                                : MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND);
        CHECK_EQ(length, 0u);
        CHECK_EQ(value[0], 0x5Au);
    }

    read_found(h, 0, 16);
    CHECK(memcmp(value, "mqtt.example.com", 16) == 0);
    mvtest_log("broker-host = %.*s", 16, (const char *)value);
    read_found(h, 1, 4);
    CHECK(memcmp(value, "8883", 4) == 0);
    read_found(h, 2, 2 * CA_LEN);
    check_hex(CA_LEN, ca_byte);
    mvtest_log("root-CA: %u hex digits, %u DER bytes", 2 * CA_LEN, CA_LEN);
    read_found(h, 3, CA_LEN);  /* the same file, raw */
    CHECK_EQ(mismatches(value, CA_LEN, ca_byte), 0u);
    read_found(h, 4, 9);
    CHECK(memcmp(value, "eu-west-1", 9) == 0);

    /* Secrets: compared, never logged. */
    read_found(h, 5, 2 * KEY_LEN);
    check_hex(KEY_LEN, key_byte);
    read_found(h, 6, sizeof password - 1);
    CHECK(memcmp(value, password, sizeof password - 1) == 0);
    mvtest_log("secrets: client-key %u hex digits, password %u characters", 2 * KEY_LEN,
               (unsigned)(sizeof password - 1));
}

static void check_item_refusals(MvChannelHandle h)
{
    uint32_t result = FILL, length = FILL;
    static const uint32_t flash_word = 0;

    CHECK_STATUS(mvReadConfigResponseItem(h, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadConfigResponseItem(h, PTR(FW_SECURE_SRAM)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(read_item(0, 0, 16, &result, &length), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(read_item(h, NKEYS, 16, &result, &length), MV_STATUS_INDEXINVALID);
    CHECK_STATUS(read_item(h, 0xFFFFFFFFu, 16, &result, &length), MV_STATUS_INDEXINVALID);
    CHECK_EQ(result, FILL);
    CHECK_EQ(length, FILL);

    /* Each bad nested pointer: LATEFAULT, nothing written. */
    struct MvConfigResponseReadItemParams p = {
        .item_index = 0,
        .result = (enum MvConfigKeyFetchResult *)&result,
        .buf = { .data = value, .size = 64, .length = &length },
    };
    const struct MvConfigResponseReadItemParams good = p;
    p.result = NULL;
    CHECK_STATUS(mvReadConfigResponseItem(h, &p), MV_STATUS_LATEFAULT);
    p = good;
    p.result = PTR(&flash_word);
    CHECK_STATUS(mvReadConfigResponseItem(h, &p), MV_STATUS_LATEFAULT);
    p = good;
    p.result = PTR((uint8_t *)&result + 1);
    CHECK_STATUS(mvReadConfigResponseItem(h, &p), MV_STATUS_LATEFAULT);
    p = good;
    p.buf.length = PTR(FW_SECURE_SRAM);
    CHECK_STATUS(mvReadConfigResponseItem(h, &p), MV_STATUS_LATEFAULT);
    p = good;
    p.buf.data = PTR(FW_APP_FLASH);
    CHECK_STATUS(mvReadConfigResponseItem(h, &p), MV_STATUS_LATEFAULT);
    p = good;
    p.buf.data = PTR(FW_BEYOND_APP_RAM - 32);
    CHECK_STATUS(mvReadConfigResponseItem(h, &p), MV_STATUS_LATEFAULT);
    CHECK_EQ(result, FILL);
    CHECK_EQ(length, FILL);

    /* Cut to the buffer: the length says what was copied. */
    CHECK_STATUS(read_item(h, 0, 4, &result, &length), MV_STATUS_OKAY);
    CHECK_EQ(result, MV_CONFIGKEYFETCHRESULT_OK);
    CHECK_EQ(length, 4u);
    CHECK(memcmp(value, "mqtt", 4) == 0);
    CHECK_EQ(value[4], 0x5Au);
    /* Size 0: the data pointer is not looked at. */
    p = good;
    p.buf.data = NULL;
    p.buf.size = 0;
    CHECK_STATUS(mvReadConfigResponseItem(h, &p), MV_STATUS_OKAY);
    CHECK_EQ(result, MV_CONFIGKEYFETCHRESULT_OK);
    CHECK_EQ(length, 0u);
}

static void check_request_refusals(MvChannelHandle h, MvChannelHandle not_config)
{
    struct MvConfigKeyToFetch bad[2] = { keys[0], keys[1] };
    struct MvConfigKeyFetchParams req = { .num_items = 2, .keys_to_fetch = bad };
    static struct MvConfigKeyToFetch many[33];

    CHECK_STATUS(mvSendConfigFetchRequest(h, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSendConfigFetchRequest(h, PTR(FW_UNMAPPED)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSendConfigFetchRequest(0, &req), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvSendConfigFetchRequest(not_config, &req), MV_STATUS_INVALIDHANDLE);

    for (uint32_t i = 0; i < 33; i++) {
        many[i] = keys[0];
    }
    req.keys_to_fetch = many;
    req.num_items = 33;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_TOOMANYCONFIGKEYS);
    req.keys_to_fetch = PTR(FW_SECURE_SRAM);
    req.num_items = 1;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_PARAMETERFAULT);

    req.keys_to_fetch = bad;
    req.num_items = 2;
    bad[1].scope = 2;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_UNKNOWNCONFIGSCOPE);
    bad[1] = keys[1];
    bad[1].store = 7;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_UNKNOWNCONFIGSTORE);
    bad[1] = keys[1];
    bad[1].key.length = 0;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_INVALIDCONFIGKEY);
    memset(long_key, 'k', sizeof long_key);
    bad[1].key.data = (const uint8_t *)long_key;
    bad[1].key.length = 101;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_INVALIDCONFIGKEY);
    bad[1].key.data = (const uint8_t *)"new\nline";
    bad[1].key.length = 8;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_INVALIDCONFIGKEY);
    bad[1].key.data = PTR(FW_SECURE_FLASH);
    bad[1].key.length = 4;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_PARAMETERFAULT);

    /* Five 100-character keys take 4 + 5 * 104 = 524 bytes: more than the
     * 512-byte send buffer. */
    for (uint32_t i = 0; i < 5; i++) {
        many[i] = keys[0];
        many[i].key.data = (const uint8_t *)long_key;
        many[i].key.length = 100;
    }
    req.keys_to_fetch = many;
    req.num_items = 5;
    CHECK_STATUS(mvSendConfigFetchRequest(h, &req), MV_STATUS_INVALIDBUFFERSIZE);
}

static void check_no_response(MvChannelHandle h, enum MvStatus want)
{
    struct MvConfigResponseData data = { .result = FILL, .num_items = FILL };
    uint32_t result, length;
    CHECK_STATUS(mvReadConfigFetchResponseData(h, &data), want);
    CHECK_EQ(data.result, FILL);
    CHECK_EQ(data.num_items, FILL);
    CHECK_STATUS(read_item(h, 0, 16, &result, &length), want);
    CHECK_EQ(result, FILL);
}

int main(void)
{
    mvtest_begin("config-fetch");
    mv_enable_irq();
    CHECK_STATUS(mvServerLoggingInit(log_buffer, sizeof log_buffer), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&center, ring, 16, IRQ), MV_STATUS_OKAY);
    MvNetworkHandle net = 0, net2 = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 1000000u));
    CHECK(fw_center_wait(&center, 1, 1000000u));
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net2), MV_STATUS_OKAY);

    MvChannelHandle ch = 0, big = 0, lost = 0;
    struct MvOpenChannelParams op = ch_params(center.handle, TAG_CFG, net,
                                              MV_CHANNELTYPE_CONFIGFETCH, rx, sizeof rx, tx,
                                              sizeof tx);
    CHECK_STATUS(mvOpenChannel(&op, &ch), MV_STATUS_OKAY);
    op = ch_params(center.handle, TAG_BIG, net, MV_CHANNELTYPE_MQTT, rx_small, sizeof rx_small,
                   tx2, sizeof tx2);
    MvChannelHandle mqtt = 0;
    CHECK_STATUS(mvOpenChannel(&op, &mqtt), MV_STATUS_OKAY);

    /* Nothing to read before a request. */
    check_no_response(ch, MV_STATUS_RESPONSENOTPRESENT);
    struct MvConfigResponseData data = { .result = FILL, .num_items = FILL };
    CHECK_STATUS(mvReadConfigFetchResponseData(ch, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadConfigFetchResponseData(ch, PTR(FW_APP_FLASH)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadConfigFetchResponseData(0, &data), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvReadConfigFetchResponseData(mqtt, &data), MV_STATUS_INVALIDHANDLE);

    check_request_refusals(ch, mqtt);
    CHECK_STATUS(mvCloseChannel(&mqtt), MV_STATUS_OKAY);

    /* The request: answered once, after the latency. */
    uint32_t before = center.received;
    struct MvConfigKeyFetchParams req = { .num_items = NKEYS, .keys_to_fetch = keys };
    uint64_t sent_at = fw_micros();
    CHECK_STATUS(mvSendConfigFetchRequest(ch, &req), MV_STATUS_OKAY);
    CHECK_STATUS(mvSendConfigFetchRequest(ch, &req), MV_STATUS_REQUESTALREADYSENT);
    check_no_response(ch, MV_STATUS_RESPONSENOTPRESENT);
    CHECK(fw_center_wait(&center, before + 1, 1000000u));
    CHECK(fw_micros() - sent_at >= LATENCY_US);
    CHECK_EQ(center.last_type, MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK_EQ(center.last_tag, TAG_CFG);
    server_log("config: response arrived");

    CHECK_STATUS(mvReadConfigFetchResponseData(ch, &data), MV_STATUS_OKAY);
    CHECK_EQ(data.result, MV_CONFIGFETCHRESULT_OK);
    CHECK_EQ(data.num_items, NKEYS);
    check_items(ch);
    check_items(ch);
    check_item_refusals(ch);
    CHECK_STATUS(mvSendConfigFetchRequest(ch, &req), MV_STATUS_REQUESTALREADYSENT);

    /* A response too large for a 512-byte receive buffer. */
    op = ch_params(center.handle, TAG_BIG, net, MV_CHANNELTYPE_CONFIGFETCH, rx_small,
                   sizeof rx_small, tx2, sizeof tx2);
    CHECK_STATUS(mvOpenChannel(&op, &big), MV_STATUS_OKAY);
    req.num_items = 3;  /* broker-host, broker-port, root-CA (600 hex digits) */
    before = center.received;
    CHECK_STATUS(mvSendConfigFetchRequest(big, &req), MV_STATUS_OKAY);
    CHECK(fw_center_wait(&center, before + 1, 1000000u));
    CHECK_EQ(center.last_tag, TAG_BIG);
    data.result = FILL;
    CHECK_STATUS(mvReadConfigFetchResponseData(big, &data), MV_STATUS_OKAY);
    CHECK_EQ(data.result, MV_CONFIGFETCHRESULT_RESPONSETOOLARGE);
    CHECK_EQ(data.num_items, 0u);
    uint32_t result, length;
    CHECK_STATUS(read_item(big, 0, 16, &result, &length), MV_STATUS_INDEXINVALID);
    CHECK_STATUS(mvCloseChannel(&big), MV_STATUS_OKAY);

    /* The connection lost before the answer: none comes. */
    op = ch_params(center.handle, TAG_LOST, net2, MV_CHANNELTYPE_CONFIGFETCH, rx3, sizeof rx3,
                   tx3, sizeof tx3);
    CHECK_STATUS(mvOpenChannel(&op, &lost), MV_STATUS_OKAY);
    req.num_items = 1;
    CHECK_STATUS(mvSendConfigFetchRequest(lost, &req), MV_STATUS_OKAY);
    before = center.received;
    CHECK_STATUS(mvReleaseNetwork(&net2), MV_STATUS_OKAY);
    CHECK(fw_center_wait(&center, before + 1, 1000000u));
    CHECK_EQ(center.last_type, MV_EVENTTYPE_CHANNELNOTCONNECTED);
    CHECK_EQ(center.last_tag, TAG_LOST);
    fw_spin_us(2 * LATENCY_US);
    CHECK_EQ(center.received, before + 1);
    check_no_response(lost, MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvSendConfigFetchRequest(lost, &req), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvCloseChannel(&lost), MV_STATUS_OKAY);

    /* At this line the runner queries the monitor, then cuts the link: the
     * first channel's answer stays readable until it is closed. */
    before = center.received;
    server_log("config: FETCHED");
    CHECK(fw_center_wait(&center, before + 2, 10000000u));  /* network and channel records */
    uint32_t reason = FILL;
    CHECK_STATUS(mvGetChannelClosureReason(ch, (enum MvClosureReason *)&reason), MV_STATUS_OKAY);
    CHECK_EQ(reason, MV_CLOSUREREASON_NETWORKDISCONNECTED);
    data.num_items = FILL;
    CHECK_STATUS(mvReadConfigFetchResponseData(ch, &data), MV_STATUS_OKAY);
    CHECK_EQ(data.num_items, NKEYS);
    check_items(ch);
    CHECK_STATUS(mvCloseChannel(&ch), MV_STATUS_OKAY);
    CHECK_EQ(ch, 0u);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
