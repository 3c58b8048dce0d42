/*
 * http-json - fetch a JSON document over HTTPS and log one field of it.
 *
 * The way Microvisor's HTTP demo works: request the network, open an HTTP
 * channel, send one GET, wait for CHANNELDATAREADABLE on the channel's
 * notification center, read the status and the body, close the channel.
 * The URL names https://api.example.com/json; the profile's [network.hosts]
 * sends that name to a local server and its [tls] ca_files trusts that
 * server's CA (./mvemu example-http sets both up).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvemu_cm33.h"
#include "stm32u585_irq.h"

#define NOTIFY_IRQ TIM8_BRK_IRQn
#define TAG_NETWORK 1u
#define TAG_HTTP 2u
#define URL "https://api.example.com/json"
#define FIELD "greeting"

static uint8_t log_buffer[4096] __attribute__((aligned(512)));
static volatile struct MvNotification records[16] __attribute__((aligned(8)));
static volatile uint32_t read_index, http_ready;
static uint8_t rx[2048] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));
static char body[2048];

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0) {
        mvServerLog((const uint8_t *)line, (uint16_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
    }
}

void TIM8_BRK_IRQHandler(void)
{
    volatile struct MvNotification *n = &records[read_index];
    if (n->event_type == MV_EVENTTYPE_CHANNELDATAREADABLE && n->tag == TAG_HTTP) {
        http_ready = 1;
    }
    n->event_type = 0;
    read_index = (read_index + 1) % 16;
}

static uint64_t micros(void)
{
    uint64_t us = 0;
    mvGetMicroseconds(&us);
    return us;
}

/* The string value of "key" in a flat JSON object, copied to out. */
static int json_string(const char *json, const char *key, char *out, size_t size)
{
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const char *p = strstr(json, quoted);
    if (!p) return 0;
    p = strchr(p + strlen(quoted), ':');
    if (!p) return 0;
    while (*++p == ' ') {
    }
    if (*p != '"') return 0;
    const char *end = strchr(++p, '"');
    if (!end || (size_t)(end - p) >= size) return 0;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = 0;
    return 1;
}

static int fetch(void)
{
    MvNotificationHandle center = 0;
    struct MvNotificationSetup setup = { NOTIFY_IRQ, (struct MvNotification *)records, sizeof records };
    if (mvSetupNotifications(&setup, &center) != MV_STATUS_OKAY) return 0;
    mv_nvic_clear_pending(NOTIFY_IRQ);
    mv_nvic_enable_irq(NOTIFY_IRQ);

    MvNetworkHandle net = 0;
    struct MvRequestNetworkParams np = { .version = 1, .v1 = { center, TAG_NETWORK } };
    if (mvRequestNetwork(&np, &net) != MV_STATUS_OKAY) return 0;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_CONNECTING;
    for (uint64_t start = micros(); status != MV_NETWORKSTATUS_CONNECTED;) {
        mvGetNetworkStatus(net, &status);
        if (micros() - start > 5000000u) return 0;
    }

    MvChannelHandle ch = 0;
    struct MvOpenChannelParams op = {
        .version = 1,
        .v1 = { .notification_handle = center, .notification_tag = TAG_HTTP, .network_handle = net,
                .receive_buffer = rx, .receive_buffer_len = sizeof rx,
                .send_buffer = tx, .send_buffer_len = sizeof tx,
                .channel_type = MV_CHANNELTYPE_HTTP,
                .endpoint = { (const uint8_t *)"", 0 } },
    };
    if (mvOpenChannel(&op, &ch) != MV_STATUS_OKAY) return 0;
    static const struct MvHttpHeader headers[] = {
        { sizeof "Accept: application/json" - 1, (const uint8_t *)"Accept: application/json" },
    };
    struct MvHttpRequest request = {
        .method = { (const uint8_t *)"GET", 3 },
        .url = { (const uint8_t *)URL, sizeof URL - 1 },
        .num_headers = 1,
        .headers = headers,
        .timeout_ms = 10000,
    };
    log_line("GET %s", URL);
    enum MvStatus s = mvSendHttpRequest(ch, &request);
    if (s != MV_STATUS_OKAY) {
        log_line("mvSendHttpRequest: status %u", (unsigned)s);
        return 0;
    }
    for (uint64_t start = micros(); !http_ready;) {
        if (micros() - start > 15000000u) {
            log_line("no response within 15 s");
            return 0;
        }
    }
    struct MvHttpResponseData data;
    mvReadHttpResponseData(ch, &data);
    log_line("result %u, status %u, %u headers, %u body bytes", (unsigned)data.result,
             (unsigned)data.status_code, (unsigned)data.num_headers, (unsigned)data.body_length);
    int ok = 0;
    if (data.result == MV_HTTPRESULT_OK && data.status_code == 200 && data.body_length < sizeof body) {
        mvReadHttpResponseBody(ch, 0, (uint8_t *)body, data.body_length);
        body[data.body_length] = 0;
        char value[128];
        if (json_string(body, FIELD, value, sizeof value)) {
            log_line("%s: %s", FIELD, value);
            ok = 1;
        } else {
            log_line("no string field \"%s\" in the response", FIELD);
        }
    }
    mvCloseChannel(&ch);
    mvReleaseNetwork(&net);
    return ok;
}

int main(void)
{
    mvServerLoggingInit(log_buffer, sizeof log_buffer);
    mv_enable_irq();
    int ok = fetch();
    log_line(ok ? "done" : "failed");
    mvTestingComplete(ok ? 0 : 1);
    for (;;) {
        __asm__ volatile("wfi");
    }
}
