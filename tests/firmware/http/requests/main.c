/*
 * http-requests: HTTP channels end to end (docs/http.md) against the
 * runner's HTTPS server (--https-server; tests/https_server.py), reached as
 * api.example.com through the profile's [network.hosts], trusted through
 * its [tls] ca_files:
 *   - status codes (a redirect is not followed), HEAD, POST/PUT/PATCH/
 *     DELETE/OPTIONS with a body and a custom header echoed back;
 *   - 32 response headers read by index (cut to the buffer, INDEXINVALID);
 *   - a large binary body and a chunked one read at offsets (OFFSETINVALID);
 *   - a body too large for the receive buffer (RESPONSETOOLARGE, then
 *     REQUESTUNSUCCESSFUL for header and body reads);
 *   - a slow server within and beyond the timeout, a reset, an unknown
 *     host, an expired certificate, a certificate from another CA
 *     (REQUESTFAILED);
 *   - the results Microvisor's server gives a bad request (scheme, method,
 *     headers, timeout) and every synchronous refusal of mvSendHttpRequest
 *     and the reads (PARAMETERFAULT, INVALIDHANDLE, TOOMANYELEMENTS,
 *     INVALIDBUFFERSIZE, LATEFAULT, REQUESTALREADYSENT, RESPONSENOTPRESENT);
 *   - a request whose network handle is released before the answer
 *     (CHANNELNOTCONNECTED, CHANNELCLOSED).
 * Built with CLOUD_FAULTS (http-cloud-faults) it runs only the misbehaving
 * servers of tests/faulty_peer.py instead: garbage instead of TLS, a server
 * that trickles one byte a second, a TLS handshake that stalls, a reset
 * (REQUESTFAILED each, the slow ones at the timeout).
 */
#include <string.h>

#include "fwnet.h"
#include "../../network/channels/chutil.h"

#define IRQ TIM1_BRK_IRQn
#define TAG_NET 0x4e4554u
#define TAG_HTTP 0x485454u
#define WAIT_US 20000000u  /* an answer within 20 s (the longest request takes 7) */

static volatile struct MvNotification ring[32] __attribute__((aligned(8)));
static FwCenter center;
static uint8_t rx[8192] __attribute__((aligned(512)));
static uint8_t tx[1024] __attribute__((aligned(512)));
static uint8_t rx2[512] __attribute__((aligned(512)));
static uint8_t tx2[512] __attribute__((aligned(512)));
static uint8_t body[8192];
static char text[256];
static MvNetworkHandle net;

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }

#define S(lit) { .data = (const uint8_t *)(lit), .length = sizeof(lit) - 1 }
#define H(lit) { .length = sizeof(lit) - 1, .data = (const uint8_t *)(lit) }

static struct MvHttpRequest request(const char *method, const char *url)
{
    struct MvHttpRequest r = {
        .method = { (const uint8_t *)method, (uint32_t)strlen(method) },
        .url = { (const uint8_t *)url, (uint32_t)strlen(url) },
        .timeout_ms = 10000,
    };
    return r;
}

static MvChannelHandle open_http(uint8_t *rxb, uint32_t rx_len, uint8_t *txb, uint32_t tx_len,
                                 MvNetworkHandle on)
{
    MvChannelHandle h = 0;
    struct MvOpenChannelParams op = ch_params(center.handle, TAG_HTTP, on, MV_CHANNELTYPE_HTTP,
                                              rxb, rx_len, txb, tx_len);
    CHECK_STATUS(mvOpenChannel(&op, &h), MV_STATUS_OKAY);
    return h;
}

/* Send `r` on a new channel and wait for its one CHANNELDATAREADABLE; the
 * response data in `d`; the channel stays open. */
static MvChannelHandle exchange(const struct MvHttpRequest *r, struct MvHttpResponseData *d)
{
    MvChannelHandle h = open_http(rx, sizeof rx, tx, sizeof tx, net);
    uint32_t before = center.received;
    CHECK_STATUS(mvSendHttpRequest(h, r), MV_STATUS_OKAY);
    CHECK(fw_center_wait(&center, before + 1, WAIT_US));
    CHECK_EQ(center.last_type, MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK_EQ(center.last_tag, TAG_HTTP);
    memset(d, 0xA5, sizeof *d);
    CHECK_STATUS(mvReadHttpResponseData(h, d), MV_STATUS_OKAY);
    return h;
}

static void close_channel(MvChannelHandle *h)
{
    CHECK_STATUS(mvCloseChannel(h), MV_STATUS_OKAY);
    CHECK_EQ(*h, 0u);
}

/* Header `i` as text (zeroed buffer, size one less: the demos' way). */
static const char *header(MvChannelHandle h, uint32_t i)
{
    memset(text, 0, sizeof text);
    if (mvReadHttpResponseHeader(h, i, (uint8_t *)text, sizeof text - 1) != MV_STATUS_OKAY) {
        return "";
    }
    return text;
}

/* Whether some header starts with `prefix`. */
static int has_header(MvChannelHandle h, uint32_t n, const char *prefix)
{
    for (uint32_t i = 0; i < n; i++) {
        if (strncmp(header(h, i), prefix, strlen(prefix)) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A request that ends as `result` with no status, headers or body. */
static void expect_result(const struct MvHttpRequest *r, enum MvHttpResult result, const char *what)
{
    struct MvHttpResponseData d;
    MvChannelHandle h = exchange(r, &d);
    CHECK_EQ(d.result, result);
    CHECK_EQ(d.num_headers, 0u);
    CHECK_EQ(d.body_length, 0u);
    if (result != MV_HTTPRESULT_RESPONSETOOLARGE) {
        CHECK_EQ(d.status_code, 0u);
    }
    CHECK_STATUS(mvReadHttpResponseHeader(h, 0, (uint8_t *)text, 8), MV_STATUS_REQUESTUNSUCCESSFUL);
    CHECK_STATUS(mvReadHttpResponseBody(h, 0, body, 8), MV_STATUS_REQUESTUNSUCCESSFUL);
    CHECK_STATUS(mvSendHttpRequest(h, r), MV_STATUS_REQUESTALREADYSENT);
    mvtest_log("http: %s -> result %u", what, (unsigned)d.result);
    close_channel(&h);
}

static uint32_t pattern_mismatches(const uint8_t *b, uint32_t offset, uint32_t n)
{
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < n; i++) {
        wrong += b[i] != (uint8_t)((offset + i) * 37 + 11);
    }
    return wrong;
}

static void check_statuses(void)
{
    static const struct { const char *url; uint32_t code; } cases[] = {
        { "https://api.example.com/status/200", 200 }, { "https://api.example.com/status/201", 201 },
        { "https://api.example.com/status/204", 204 }, { "https://api.example.com/redirect", 302 },
        { "https://api.example.com/status/404", 404 }, { "https://api.example.com/status/500", 500 },
        { "https://api.example.com/status/503", 503 },
    };
    for (uint32_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct MvHttpRequest r = request("GET", cases[i].url);
        struct MvHttpResponseData d;
        MvChannelHandle h = exchange(&r, &d);
        CHECK_EQ(d.result, MV_HTTPRESULT_OK);
        CHECK_EQ(d.status_code, cases[i].code);
        if (cases[i].code == 302) {
            CHECK(has_header(h, d.num_headers, "Location: /status/200"));  /* not followed */
        }
        mvtest_log("http: status %u, %u headers, %u body bytes", (unsigned)d.status_code,
                   (unsigned)d.num_headers, (unsigned)d.body_length);
        close_channel(&h);
    }
}

static void check_small_response(void)
{
    struct MvHttpRequest r = request("GET", "https://api.example.com/status/200");
    struct MvHttpResponseData d;
    MvChannelHandle h = exchange(&r, &d);
    CHECK_EQ(d.body_length, 11u);
    CHECK(has_header(h, d.num_headers, "Server: mvemu-test"));
    CHECK(has_header(h, d.num_headers, "Content-Length: 11"));
    /* Reads at any offset; nothing is written beyond what is copied. */
    memset(body, 0x5A, 32);
    CHECK_STATUS(mvReadHttpResponseBody(h, 0, body, 32), MV_STATUS_OKAY);
    CHECK(memcmp(body, "status 200\n", 11) == 0);
    CHECK_EQ(body[11], 0x5Au);
    memset(body, 0x5A, 32);
    CHECK_STATUS(mvReadHttpResponseBody(h, 7, body, 2), MV_STATUS_OKAY);
    CHECK(memcmp(body, "20", 2) == 0);
    CHECK_EQ(body[2], 0x5Au);
    memset(body, 0x5A, 32);
    CHECK_STATUS(mvReadHttpResponseBody(h, 11, body, 4), MV_STATUS_OKAY);
    CHECK_EQ(body[0], 0x5Au);
    CHECK_STATUS(mvReadHttpResponseBody(h, 12, body, 4), MV_STATUS_OFFSETINVALID);
    CHECK_STATUS(mvReadHttpResponseBody(h, 0xFFFFFFFFu, body, 4), MV_STATUS_OFFSETINVALID);
    CHECK_STATUS(mvReadHttpResponseBody(h, 0, NULL, 0), MV_STATUS_OKAY);
    CHECK_STATUS(mvReadHttpResponseBody(h, 0, PTR(FW_APP_FLASH), 4), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadHttpResponseBody(h, 0, PTR(FW_BEYOND_APP_RAM - 2), 4), MV_STATUS_PARAMETERFAULT);
    /* Headers: cut to the buffer, no terminator; INDEXINVALID past the end. */
    memset(text, 0x5A, 8);
    uint32_t server = 0;
    for (uint32_t i = 0; i < d.num_headers; i++) {
        if (strncmp(header(h, i), "Server:", 7) == 0) server = i;
    }
    memset(text, 0x5A, 8);
    CHECK_STATUS(mvReadHttpResponseHeader(h, server, (uint8_t *)text, 4), MV_STATUS_OKAY);
    CHECK(memcmp(text, "Serv", 4) == 0);
    CHECK_EQ((uint8_t)text[4], 0x5Au);
    CHECK_STATUS(mvReadHttpResponseHeader(h, d.num_headers, (uint8_t *)text, 8), MV_STATUS_INDEXINVALID);
    CHECK_STATUS(mvReadHttpResponseHeader(h, 0xFFFFFFFFu, (uint8_t *)text, 8), MV_STATUS_INDEXINVALID);
    CHECK_STATUS(mvReadHttpResponseHeader(h, 0, PTR(FW_SECURE_SRAM), 8), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadHttpResponseHeader(0, 0, (uint8_t *)text, 8), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvReadHttpResponseData(h, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadHttpResponseData(h, PTR((uintptr_t)&d + 2)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadHttpResponseData(0, &d), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_REQUESTALREADYSENT);
    close_channel(&h);
}

static void check_methods(void)
{
    static const char *const methods[] = { "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };
    static const struct MvHttpHeader headers[] = { H("X-Custom: from-firmware"),
                                                   H("Content-Type: text/plain") };
    for (uint32_t i = 0; i < 5; i++) {
        struct MvHttpRequest r = request(methods[i], "https://api.example.com/echo");
        r.num_headers = 2;
        r.headers = headers;
        r.body = (struct MvSizedString)S("payload from the device");
        struct MvHttpResponseData d;
        MvChannelHandle h = exchange(&r, &d);
        CHECK_EQ(d.result, MV_HTTPRESULT_OK);
        CHECK_EQ(d.status_code, 200u);
        CHECK_EQ(d.body_length, 23u);
        CHECK_STATUS(mvReadHttpResponseBody(h, 0, body, sizeof body), MV_STATUS_OKAY);
        CHECK(memcmp(body, "payload from the device", 23) == 0);
        CHECK(has_header(h, d.num_headers, "X-Echo-Custom: from-firmware"));
        char want[40] = "X-Echo-Method: ";
        strcat(want, methods[i]);
        CHECK(has_header(h, d.num_headers, want));
        close_channel(&h);
    }
    struct MvHttpRequest r = request("HEAD", "https://api.example.com/bytes/100");
    struct MvHttpResponseData d;
    MvChannelHandle h = exchange(&r, &d);
    CHECK_EQ(d.result, MV_HTTPRESULT_OK);
    CHECK_EQ(d.status_code, 200u);
    CHECK_EQ(d.body_length, 0u);
    CHECK(has_header(h, d.num_headers, "Content-Length: 100"));
    close_channel(&h);
    mvtest_log("http: methods done");
}

static void check_many_headers(void)
{
    struct MvHttpRequest r = request("GET", "https://api.example.com/headers/32");
    static struct MvHttpHeader many[32];
    static char names[32][24];
    for (uint32_t i = 0; i < 32; i++) {
        uint32_t n = 0;
        memcpy(names[i], "X-Req-", 6);
        n = 6;
        names[i][n++] = (char)('a' + i % 26);
        names[i][n++] = (char)('0' + i / 26);
        memcpy(names[i] + n, ": v", 3);
        n += 3;
        many[i].data = (const uint8_t *)names[i];
        many[i].length = n;
    }
    r.num_headers = 32;
    r.headers = many;
    struct MvHttpResponseData d;
    MvChannelHandle h = exchange(&r, &d);
    CHECK_EQ(d.result, MV_HTTPRESULT_OK);
    CHECK_EQ(d.num_headers, 35u);  /* Server, Date, 32 of X-Mvemu-i, Content-Length */
    uint32_t found = 0;
    for (uint32_t i = 0; i < d.num_headers; i++) {
        const char *t = header(h, i);
        if (strncmp(t, "X-Mvemu-", 8) == 0) {
            found++;
        }
    }
    CHECK_EQ(found, 32u);
    CHECK(has_header(h, d.num_headers, "X-Mvemu-31: value-31"));
    mvtest_log("http: %u headers", (unsigned)d.num_headers);
    close_channel(&h);
}

static void check_bodies(void)
{
    static const char *const urls[] = { "https://api.example.com/bytes/6000",
                                        "https://api.example.com/chunked/5000/300" };
    static const uint32_t lengths[] = { 6000, 5000 };
    for (uint32_t k = 0; k < 2; k++) {
        struct MvHttpRequest r = request("GET", urls[k]);
        struct MvHttpResponseData d;
        MvChannelHandle h = exchange(&r, &d);
        CHECK_EQ(d.result, MV_HTTPRESULT_OK);
        CHECK_EQ(d.body_length, lengths[k]);
        /* In 512-byte pieces, the last one short. */
        uint32_t wrong = 0;
        for (uint32_t off = 0; off < d.body_length; off += 512) {
            memset(body, 0, 512);
            CHECK_STATUS(mvReadHttpResponseBody(h, off, body, 512), MV_STATUS_OKAY);
            uint32_t n = d.body_length - off < 512 ? d.body_length - off : 512;
            wrong += pattern_mismatches(body, off, n);
        }
        CHECK_EQ(wrong, 0u);
        CHECK_STATUS(mvReadHttpResponseBody(h, 4321, body, 3), MV_STATUS_OKAY);
        CHECK_EQ(pattern_mismatches(body, 4321, 3), 0u);
        CHECK_STATUS(mvReadHttpResponseBody(h, d.body_length + 1, body, 1), MV_STATUS_OFFSETINVALID);
        if (k == 1) {
            CHECK(has_header(h, d.num_headers, "Transfer-Encoding: chunked"));
        }
        mvtest_log("http: body of %u bytes read at offsets", (unsigned)d.body_length);
        close_channel(&h);
    }
    /* 9000 bytes do not fit an 8 KiB receive buffer. */
    struct MvHttpRequest r = request("GET", "https://api.example.com/bytes/9000");
    expect_result(&r, MV_HTTPRESULT_RESPONSETOOLARGE, "9000-byte body");
}

static void check_failures(void)
{
    struct MvHttpRequest r = request("GET", "https://api.example.com/slow/1500");
    r.timeout_ms = 5000;
    struct MvHttpResponseData d;
    MvChannelHandle h = exchange(&r, &d);
    CHECK_EQ(d.result, MV_HTTPRESULT_OK);
    CHECK_EQ(d.status_code, 200u);
    close_channel(&h);

    r = request("GET", "https://api.example.com/slow/7000");
    r.timeout_ms = 5000;
    uint64_t start = fw_micros();
    expect_result(&r, MV_HTTPRESULT_REQUESTFAILED, "slow server");
    CHECK(fw_micros() - start >= 4500000u);
    r = request("GET", "https://api.example.com/reset");
    expect_result(&r, MV_HTTPRESULT_REQUESTFAILED, "reset");
    r = request("GET", "https://no-such-host.invalid/status/200");
    expect_result(&r, MV_HTTPRESULT_REQUESTFAILED, "unknown host");
    r = request("GET", "https://expired.example.com/status/200");
    expect_result(&r, MV_HTTPRESULT_REQUESTFAILED, "expired certificate");
    r = request("GET", "https://wrongca.example.com/status/200");
    expect_result(&r, MV_HTTPRESULT_REQUESTFAILED, "unknown CA");
}

static void check_server_results(void)
{
    struct MvHttpRequest r = request("GET", "http://api.example.com/status/200");
    expect_result(&r, MV_HTTPRESULT_UNSUPPORTEDURISCHEME, "http://");
    r = request("FETCH", "https://api.example.com/status/200");
    expect_result(&r, MV_HTTPRESULT_UNSUPPORTEDMETHOD, "FETCH");
    r = request("get", "https://api.example.com/status/200");
    expect_result(&r, MV_HTTPRESULT_UNSUPPORTEDMETHOD, "get");
    static const struct MvHttpHeader no_colon[] = { H("X-Fine: yes"), H("NoColonHere") };
    r = request("GET", "https://api.example.com/status/200");
    r.num_headers = 2;
    r.headers = no_colon;
    expect_result(&r, MV_HTTPRESULT_INVALIDHEADERS, "header without a colon");
    static const struct MvHttpHeader crlf[] = { H("X-Split: a\r\nX-Injected: b") };
    r.num_headers = 1;
    r.headers = crlf;
    expect_result(&r, MV_HTTPRESULT_INVALIDHEADERS, "header with CRLF");
    r = request("GET", "https://api.example.com/status/200");
    r.timeout_ms = 4999;
    expect_result(&r, MV_HTTPRESULT_INVALIDTIMEOUT, "timeout 4999");
    r.timeout_ms = 10001;
    expect_result(&r, MV_HTTPRESULT_INVALIDTIMEOUT, "timeout 10001");
}

static void check_refusals(void)
{
    static const uint32_t flash_word = 0;
    MvChannelHandle h = open_http(rx2, sizeof rx2, tx2, sizeof tx2, net);
    struct MvHttpRequest r = request("GET", "https://api.example.com/status/200");
    struct MvHttpResponseData d = { FILL, FILL, FILL, FILL };

    /* Before any request. */
    CHECK_STATUS(mvReadHttpResponseData(h, &d), MV_STATUS_RESPONSENOTPRESENT);
    CHECK_STATUS(mvReadHttpResponseHeader(h, 0, (uint8_t *)text, 8), MV_STATUS_RESPONSENOTPRESENT);
    CHECK_STATUS(mvReadHttpResponseBody(h, 0, body, 8), MV_STATUS_RESPONSENOTPRESENT);
    CHECK_EQ(d.result, FILL);

    CHECK_STATUS(mvSendHttpRequest(h, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSendHttpRequest(h, PTR(FW_UNMAPPED)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSendHttpRequest(h, PTR((uintptr_t)&r + 1)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSendHttpRequest(0, &r), MV_STATUS_INVALIDHANDLE);
    MvChannelHandle cfg = 0;
    struct MvOpenChannelParams op = ch_params(center.handle, TAG_HTTP, net, MV_CHANNELTYPE_CONFIGFETCH,
                                              rx, sizeof rx, tx, sizeof tx);
    CHECK_STATUS(mvOpenChannel(&op, &cfg), MV_STATUS_OKAY);
    CHECK_STATUS(mvSendHttpRequest(cfg, &r), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvReadHttpResponseData(cfg, &d), MV_STATUS_INVALIDHANDLE);
    close_channel(&cfg);

    static struct MvHttpHeader many[33];
    for (uint32_t i = 0; i < 33; i++) {
        many[i] = (struct MvHttpHeader)H("X-A: b");
    }
    r.num_headers = 33;
    r.headers = many;
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_TOOMANYELEMENTS);
    /* 4 + 3 + 4 + 35 + 4 + 0 + 32 * (4 + 6) = 370: fits 512 bytes. A
     * 300-byte body more does not. */
    r.num_headers = 32;
    r.body.data = body;
    r.body.length = 300;
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_INVALIDBUFFERSIZE);
    r.body.length = 0x7FFFFFFFu;
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_STATUS(mvReadHttpResponseData(h, &d), MV_STATUS_RESPONSENOTPRESENT);  /* nothing spent */

    /* A bad nested pointer: LATEFAULT, and the channel's request is spent. */
    r = request("GET", "https://api.example.com/status/200");
    r.url.data = PTR(FW_SECURE_FLASH);
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_LATEFAULT);
    r = request("GET", "https://api.example.com/status/200");
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_REQUESTALREADYSENT);
    CHECK_STATUS(mvReadHttpResponseData(h, &d), MV_STATUS_RESPONSENOTPRESENT);
    close_channel(&h);

    struct { struct MvHttpRequest r; } bad[5];
    for (uint32_t i = 0; i < 5; i++) bad[i].r = request("GET", "https://api.example.com/status/200");
    bad[0].r.method.data = NULL;
    bad[1].r.num_headers = 1;
    bad[1].r.headers = PTR(FW_SECURE_SRAM);
    static const struct MvHttpHeader bad_header[] = { { .length = 4, .data = PTR(FW_UNMAPPED) } };
    bad[2].r.num_headers = 1;
    bad[2].r.headers = bad_header;
    bad[3].r.body.data = PTR(FW_BEYOND_APP_RAM);
    bad[3].r.body.length = 8;
    bad[4].r.num_headers = 1;
    bad[4].r.headers = PTR((uintptr_t)&flash_word + 2);
    for (uint32_t i = 0; i < 5; i++) {
        h = open_http(rx2, sizeof rx2, tx2, sizeof tx2, net);
        CHECK_STATUS(mvSendHttpRequest(h, &bad[i].r), MV_STATUS_LATEFAULT);
        close_channel(&h);
    }
    /* Empty strings are not looked at: a NULL body of length 0 is fine. */
    r = request("GET", "https://api.example.com/status/200");
    r.body.data = NULL;
    r.headers = NULL;
    MvChannelHandle ok = exchange(&r, &d);
    CHECK_EQ(d.result, MV_HTTPRESULT_OK);
    /* The byte-stream calls are not for HTTP channels. */
    uint32_t n = 0;
    CHECK_STATUS(mvWriteChannel(ok, body, 4, &n), MV_STATUS_UNAVAILABLE);
    close_channel(&ok);
    mvtest_log("http: refusals done");
}

/* The hosting network handle released while the request is on its way. */
static void check_lost(void)
{
    MvNetworkHandle net2 = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net2), MV_STATUS_OKAY);
    MvChannelHandle h = open_http(rx2, sizeof rx2, tx2, sizeof tx2, net2);
    struct MvHttpRequest r = request("GET", "https://api.example.com/slow/1000");
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_OKAY);
    uint32_t before = center.received;
    CHECK_STATUS(mvReleaseNetwork(&net2), MV_STATUS_OKAY);
    CHECK(fw_center_wait(&center, before + 1, WAIT_US));
    CHECK_EQ(center.last_type, MV_EVENTTYPE_CHANNELNOTCONNECTED);
    fw_spin_us(2000000u);
    CHECK_EQ(center.received, before + 1);  /* no response comes */
    struct MvHttpResponseData d;
    CHECK_STATUS(mvReadHttpResponseData(h, &d), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvReadHttpResponseBody(h, 0, body, 4), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_CHANNELCLOSED);
    close_channel(&h);
}

#ifdef CLOUD_FAULTS
/* A request to a misbehaving server fails, and no later than its timeout. */
static void expect_fault(const char *url)
{
    struct MvHttpRequest r = request("GET", url);
    r.timeout_ms = 5000;
    uint64_t start = fw_micros();
    expect_result(&r, MV_HTTPRESULT_REQUESTFAILED, url);
    CHECK(fw_micros() - start < 7000000u);
}

static void check_cloud_faults(void)
{
    expect_fault("https://garbage.example.com/");
    expect_fault("https://trickle.example.com/");
    expect_fault("https://silent.example.com/");
    expect_fault("https://reset.example.com/");
}
#endif

int main(void)
{
#ifdef CLOUD_FAULTS
    mvtest_begin("http-cloud-faults");
#else
    mvtest_begin("http-requests");
#endif
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center, ring, 32, IRQ), MV_STATUS_OKAY);
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 1000000u));
    CHECK(fw_center_wait(&center, 1, 1000000u));

#ifdef CLOUD_FAULTS
    check_cloud_faults();
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
#endif
    check_small_response();
    check_statuses();
    check_methods();
    check_many_headers();
    check_bodies();
    check_server_results();
    check_refusals();
    check_failures();
    check_lost();
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
