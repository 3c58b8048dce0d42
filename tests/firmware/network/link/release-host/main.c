/*
 * network-link-release-host: releasing the network handle that hosts
 * channels disconnects exactly those channels, even while another handle
 * keeps the connection up (networking guide, "Close the network
 * connection"; docs/network.md "Losing the connection").
 *
 * Handle A hosts an HTTP channel, an MQTT channel and an opaque-bytes channel
 * with unread echoed bytes; handle B hosts a config-fetch channel. Releasing
 * A: each of A's channels gets one CHANNELNOTCONNECTED and
 * NETWORKDISCONNECTED, the unread bytes can still be read, B's channel and
 * the connection are untouched (no NETWORKSTATUSCHANGED). Releasing B then
 * takes the connection down (DELIBERATELYOFFLINE, not announced) and B's
 * channel gets its one record.
 */
#include <string.h>

#include "../linktest.h"

#define TAG_NET_A 0x4e4541u
#define TAG_NET_B 0x4e4542u
#define TAG_HTTP 0x485454u
#define TAG_MQTT 0x4d5154u
#define TAG_ECHO 0x454348u
#define TAG_CONF 0x434f4eu

static volatile struct MvNotification a_ring[16] __attribute__((aligned(8)));
static volatile struct MvNotification b_ring[16] __attribute__((aligned(8)));
static LinkCenter a_center, b_center;

static uint8_t http_rx[512] __attribute__((aligned(512)));
static uint8_t http_tx[512] __attribute__((aligned(512)));
static uint8_t mqtt_rx[512] __attribute__((aligned(512)));
static uint8_t mqtt_tx[512] __attribute__((aligned(512)));
static uint8_t echo_rx[512] __attribute__((aligned(512)));
static uint8_t echo_tx[512] __attribute__((aligned(512)));
static uint8_t conf_rx[512] __attribute__((aligned(512)));
static uint8_t conf_tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&a_center); }
void TIM1_UP_IRQHandler(void) { link_isr(&b_center); }

int main(void)
{
    mvtest_begin("network-link-release-host");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&a_center.c, a_ring, 16, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&b_center.c, b_ring, 16, TIM1_UP_IRQn), MV_STATUS_OKAY);

    MvNetworkHandle a = 0, b = 0;
    CHECK_STATUS(link_request(&a_center, TAG_NET_A, &a), MV_STATUS_OKAY);
    CHECK_STATUS(link_request(&b_center, TAG_NET_B, &b), MV_STATUS_OKAY);
    CHECK(a != 0 && b != 0 && a != b);
    CHECK_EQ(link_wait_status(a, MV_NETWORKSTATUS_CONNECTED, 5000000u), MV_NETWORKSTATUS_CONNECTED);
    fw_spin_us(5000);
    uint32_t a_records = a_center.c.received, b_records = b_center.c.received;

    MvChannelHandle http = 0, mqtt = 0, echo = 0, conf = 0;
    CHECK_STATUS(link_open(&a_center, TAG_HTTP, a, MV_CHANNELTYPE_HTTP, "", http_rx, sizeof http_rx,
                           http_tx, sizeof http_tx, &http), MV_STATUS_OKAY);
    CHECK_STATUS(link_open(&a_center, TAG_MQTT, a, MV_CHANNELTYPE_MQTT, "", mqtt_rx, sizeof mqtt_rx,
                           mqtt_tx, sizeof mqtt_tx, &mqtt), MV_STATUS_OKAY);
    CHECK_STATUS(link_open(&a_center, TAG_ECHO, a, MV_CHANNELTYPE_OPAQUEBYTES, "echo", echo_rx,
                           sizeof echo_rx, echo_tx, sizeof echo_tx, &echo), MV_STATUS_OKAY);
    CHECK_STATUS(link_open(&b_center, TAG_CONF, b, MV_CHANNELTYPE_CONFIGFETCH, "", conf_rx,
                           sizeof conf_rx, conf_tx, sizeof conf_tx, &conf), MV_STATUS_OKAY);

    /* Unread bytes in the opaque channel. */
    uint32_t available = 0;
    CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"kept", 4, &available), MV_STATUS_OKAY);
    CHECK(link_wait(&a_center, MV_EVENTTYPE_CHANNELDATAREADABLE, TAG_ECHO, 1, 5000000u));
    uint8_t *p = 0;
    uint32_t n = 0;
    uint64_t start = fw_micros();
    do {
        CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_OKAY);
    } while (n < 4 && fw_micros() - start < 5000000u);
    CHECK_EQ(n, 4u);
    fw_spin_us(5000);
    a_records = a_center.c.received;

    /* ---- Release A. ---- */
    MvNetworkHandle released = a;
    CHECK_STATUS(mvReleaseNetwork(&a), MV_STATUS_OKAY);
    CHECK_EQ(a, 0u);
    CHECK(link_wait(&a_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_HTTP, 1, 1000000u));
    CHECK(link_wait(&a_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_MQTT, 1, 1000000u));
    CHECK(link_wait(&a_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_ECHO, 1, 1000000u));
    fw_spin_us(50000);
    CHECK_EQ(a_center.c.received, a_records + 3);  /* exactly those three */
    CHECK_EQ(b_center.c.received, b_records);       /* B heard nothing */

    CHECK_EQ(link_reason(http), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_EQ(link_reason(mqtt), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_EQ(link_reason(echo), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_EQ(link_reason(conf), MV_CLOSUREREASON_NONE);

    /* The connection is still up for B. */
    enum MvNetworkStatus status = (enum MvNetworkStatus)0xff;
    CHECK_STATUS(mvGetNetworkStatus(b, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);
    CHECK_STATUS(mvGetNetworkStatus(released, &status), MV_STATUS_INVALIDHANDLE);
    enum MvNetworkReason reasons = (enum MvNetworkReason)0;
    uint32_t refs = 0;
    CHECK_STATUS(mvGetNetworkReasons(&reasons, &refs), MV_STATUS_OKAY);
    CHECK_EQ(refs, 1u);

    /* The opaque channel keeps what it had received; it sends nothing. */
    CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_OKAY);
    CHECK(p == echo_rx);
    CHECK_EQ(n, 4u);
    CHECK(n == 4 && memcmp(p, "kept", 4) == 0);
    CHECK_STATUS(mvReadChannelComplete(echo, 4), MV_STATUS_OKAY);
    CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"x", 1, &available), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvWriteChannelStream(echo, (const uint8_t *)"x", 1, &available),
                 MV_STATUS_CHANNELCLOSED);

    /* No channel on the released handle; B can still open one (the lost
     * channels still hold their buffers until closed). */
    MvChannelHandle other = 0;
    static uint8_t spare_rx[512] __attribute__((aligned(512)));
    static uint8_t spare_tx[512] __attribute__((aligned(512)));
    CHECK_STATUS(link_open(&a_center, TAG_HTTP, released, MV_CHANNELTYPE_HTTP, "", spare_rx,
                           sizeof spare_rx, spare_tx, sizeof spare_tx, &other),
                 MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(link_open(&b_center, TAG_HTTP, b, MV_CHANNELTYPE_HTTP, "", http_rx, sizeof http_rx,
                           spare_tx, sizeof spare_tx, &other), MV_STATUS_BUFFERALREADYINUSE);
    CHECK_STATUS(mvCloseChannel(&http), MV_STATUS_OKAY);
    CHECK_STATUS(mvCloseChannel(&mqtt), MV_STATUS_OKAY);
    CHECK_STATUS(mvCloseChannel(&echo), MV_STATUS_OKAY);
    CHECK(http == 0 && mqtt == 0 && echo == 0);
    CHECK_STATUS(link_open(&b_center, TAG_HTTP, b, MV_CHANNELTYPE_HTTP, "", http_rx, sizeof http_rx,
                           http_tx, sizeof http_tx, &other), MV_STATUS_OKAY);
    CHECK_EQ(link_reason(other), MV_CLOSUREREASON_NONE);

    /* ---- Release B: the connection goes down; B's channels get their record. ---- */
    CHECK_STATUS(mvReleaseNetwork(&b), MV_STATUS_OKAY);
    CHECK(link_wait(&b_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_CONF, 1, 1000000u));
    CHECK(link_wait(&b_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_HTTP, 1, 1000000u));
    fw_spin_us(50000);
    CHECK_EQ(b_center.c.received, b_records + 2);
    CHECK_EQ(a_center.c.received, a_records + 3);
    CHECK_EQ(link_reason(conf), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_EQ(link_reason(other), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_STATUS(mvGetNetworkReasons(&reasons, &refs), MV_STATUS_OKAY);
    CHECK_EQ(refs, 0u);
    CHECK_EQ(reasons & MV_NETWORKREASON_USINGNETWORK, 0u);

    CHECK_STATUS(mvCloseChannel(&conf), MV_STATUS_OKAY);
    CHECK_STATUS(mvCloseChannel(&other), MV_STATUS_OKAY);
    mvtest_end();
}
