/*
 * network-link-cut-qmp: the link is cut by the monitor (QMP mvemu-set-link)
 * while an HTTP channel and an opaque-bytes channel (to the runner's TCP echo
 * server) are open, then restored (docs/network.md "Losing the connection";
 * the networking guide's "Unexpected channel closures").
 *
 * Cut: each channel gets exactly one CHANNELNOTCONNECTED on its own center
 * and tag, the network's center one NETWORKSTATUSCHANGED, the status is
 * CONNECTING, both closure reasons NETWORKDISCONNECTED; the bytes received
 * before the cut (a full receive buffer) can still be read and completed,
 * echoed bytes still waiting for space are never added, then mvReadChannel
 * says CHANNELCLOSED; writes say CHANNELCLOSED; the typed channel's byte calls
 * still say UNAVAILABLE.
 * Restore: NETWORKSTATUSCHANGED again after bring_up_ms, CONNECTED, the old
 * channels stay disconnected and close normally, a new channel echoes.
 *
 * The runner cuts the link at "CUT LINK NOW" and restores it at
 * "RESTORE LINK" (querying the network state first each time).
 */
#include <string.h>

#include "../linktest.h"

#define TAG_NET 0x4e4554u
#define TAG_HTTP 0x485454u
#define TAG_ECHO 0x454348u
#define TAG_ECHO2 0x454332u
#define BRING_UP_US 100000u

static volatile struct MvNotification net_ring[16] __attribute__((aligned(8)));
static volatile struct MvNotification http_ring[16] __attribute__((aligned(8)));
static volatile struct MvNotification echo_ring[16] __attribute__((aligned(8)));
static LinkCenter net_center, http_center, echo_center;

static uint8_t http_rx[1024] __attribute__((aligned(512)));
static uint8_t http_tx[512] __attribute__((aligned(512)));
static uint8_t echo_rx[512] __attribute__((aligned(512)));
static uint8_t echo_tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&net_center); }
void TIM1_UP_IRQHandler(void) { link_isr(&http_center); }
void TIM1_TRG_COM_IRQHandler(void) { link_isr(&echo_center); }

/* Wait until everything written has left the send buffer. */
static int wait_send_empty(MvChannelHandle h)
{
    uint64_t start = fw_micros();
    uint32_t available = 0;
    while (fw_micros() - start < 2000000u) {
        if (mvWriteChannel(h, echo_tx, 0, &available) == MV_STATUS_OKAY &&
            available == sizeof echo_tx) {
            return 1;
        }
    }
    return 0;
}

/* The four byte-stream calls on a typed channel: UNAVAILABLE whatever its state. */
static void check_typed_unavailable(MvChannelHandle http)
{
    uint8_t *p = 0;
    uint32_t n = 0;
    CHECK_STATUS(mvReadChannel(http, &p, &n), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvReadChannelComplete(http, 0), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvWriteChannel(http, (const uint8_t *)"x", 1, &n), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvWriteChannelStream(http, (const uint8_t *)"x", 1, &n), MV_STATUS_UNAVAILABLE);
}

int main(void)
{
    mvtest_begin("network-link-cut-qmp");
    mv_enable_irq();

    CHECK_STATUS(fw_center_open(&net_center.c, net_ring, 16, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&http_center.c, http_ring, 16, TIM1_UP_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&echo_center.c, echo_ring, 16, TIM1_TRG_COM_IRQn), MV_STATUS_OKAY);

    MvNetworkHandle net = 0;
    CHECK_STATUS(link_request(&net_center, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK_EQ(link_wait_status(net, MV_NETWORKSTATUS_CONNECTED, 5000000u), MV_NETWORKSTATUS_CONNECTED);
    /* Let the bring-up record arrive before counting. */
    fw_spin_us(5000);
    uint32_t net_changes = link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET);

    mvtest_log("SAMPLE BEFORE CHANNELS");
    fw_spin_us(10000);
    MvChannelHandle http = 0, echo = 0;
    CHECK_STATUS(link_open(&http_center, TAG_HTTP, net, MV_CHANNELTYPE_HTTP, "", http_rx,
                           sizeof http_rx, http_tx, sizeof http_tx, &http), MV_STATUS_OKAY);
    CHECK_STATUS(link_open(&echo_center, TAG_ECHO, net, MV_CHANNELTYPE_OPAQUEBYTES, "echo", echo_rx,
                           sizeof echo_rx, echo_tx, sizeof echo_tx, &echo), MV_STATUS_OKAY);
    CHECK(http != 0 && echo != 0 && http != echo);
    CHECK_EQ(link_reason(http), MV_CLOSUREREASON_NONE);
    CHECK_EQ(link_reason(echo), MV_CLOSUREREASON_NONE);
    check_typed_unavailable(http);

    /* "hello" goes out and comes back; it stays unread in the receive buffer. */
    uint32_t available = 0;
    CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"hello", 5, &available), MV_STATUS_OKAY);
    CHECK(available == sizeof echo_tx - 5 || available == sizeof echo_tx);  /* sent in the call */
    CHECK(link_wait(&echo_center, MV_EVENTTYPE_CHANNELDATAREADABLE, TAG_ECHO, 1, 2000000u));
    uint8_t *p = 0;
    uint32_t n = 0;
    uint64_t start = fw_micros();
    do {
        CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_OKAY);
    } while (n < 5 && fw_micros() - start < 5000000u);
    CHECK_EQ(n, 5u);
    CHECK(p == echo_rx);
    CHECK(n == 5 && memcmp(p, "hello", 5) == 0);

    /* Fill the receive buffer (5 + 507 bytes), and have 100 more echoed
     * bytes wait on the host for space: those must never be added once the
     * link is gone. */
    static uint8_t fill[507];
    for (uint32_t i = 0; i < sizeof fill; i++) {
        fill[i] = (uint8_t)('a' + i % 26);
    }
    CHECK_STATUS(mvWriteChannel(echo, fill, sizeof fill, &available), MV_STATUS_OKAY);
    CHECK(wait_send_empty(echo));
    CHECK_STATUS(mvWriteChannel(echo, fill, 100, &available), MV_STATUS_OKAY);
    CHECK(wait_send_empty(echo));
    fw_spin_us(20000);
    CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_OKAY);
    CHECK(p == echo_rx);
    CHECK_EQ(n, sizeof echo_rx);

    /* ---- The link goes down. ---- */
    fw_spin_us(5000);
    uint32_t readable = link_count(&echo_center, MV_EVENTTYPE_CHANNELDATAREADABLE, TAG_ECHO);
    uint64_t cut_at = fw_micros();
    mvtest_log("CUT LINK NOW");
    CHECK(link_wait(&http_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_HTTP, 1, 2000000u));
    CHECK(link_wait(&echo_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_ECHO, 1, 2000000u));
    CHECK(link_wait(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET, net_changes + 1,
                    2000000u));
    mvtest_log("link lost %u us after the marker", (unsigned)(fw_micros() - cut_at));
    fw_spin_us(20000);
    /* One record each, on the right center and tag, nothing else. */
    CHECK_EQ(link_count(&http_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_HTTP), 1u);
    CHECK_EQ(link_count(&echo_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_ECHO), 1u);
    CHECK_EQ(http_center.c.received, 1u);
    CHECK_EQ(link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET), net_changes + 1);
    CHECK_EQ(net_center.c.received, net_changes + 1);

    enum MvNetworkStatus status = (enum MvNetworkStatus)0xff;
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTING);
    /* The application still holds its handle: it still uses the network. */
    enum MvNetworkReason reasons = (enum MvNetworkReason)0;
    uint32_t refs = 0;
    CHECK_STATUS(mvGetNetworkReasons(&reasons, &refs), MV_STATUS_OKAY);
    CHECK((reasons & MV_NETWORKREASON_USINGNETWORK) != 0);
    CHECK_EQ(refs, 1u);

    CHECK_EQ(link_reason(http), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_EQ(link_reason(echo), MV_CLOSUREREASON_NETWORKDISCONNECTED);

    /* What was received before the cut is still there... */
    p = 0;
    n = 0;
    CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_OKAY);
    CHECK(p == echo_rx);
    CHECK_EQ(n, sizeof echo_rx);
    CHECK(n == sizeof echo_rx && memcmp(p, "hello", 5) == 0 && memcmp(p + 5, fill, sizeof fill) == 0);
    CHECK_STATUS(mvReadChannelComplete(echo, sizeof echo_rx + 1), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadChannelComplete(echo, 2), MV_STATUS_OKAY);
    CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_OKAY);
    CHECK(p == echo_rx + 2);
    CHECK_EQ(n, sizeof echo_rx - 2);
    CHECK_STATUS(mvReadChannelComplete(echo, sizeof echo_rx - 2), MV_STATUS_OKAY);
    /* ...the 100 bytes that were waiting for space are not added... */
    fw_spin_us(20000);
    CHECK_EQ(link_count(&echo_center, MV_EVENTTYPE_CHANNELDATAREADABLE, TAG_ECHO), readable);
    /* ...and once it is read the channel reports itself closed. */
    CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvReadChannelComplete(echo, 1), MV_STATUS_PARAMETERFAULT);

    /* Nothing can be sent. */
    available = 0x5a5a5a5au;
    CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"more", 4, &available), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"more", 0, &available), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvWriteChannelStream(echo, (const uint8_t *)"more", 4, &available),
                 MV_STATUS_CHANNELCLOSED);
    check_typed_unavailable(http);

    /* No new channel while the network is down. */
    MvChannelHandle refused = 0;
    static uint8_t spare_rx[512] __attribute__((aligned(512)));
    static uint8_t spare_tx[512] __attribute__((aligned(512)));
    CHECK_STATUS(link_open(&http_center, TAG_HTTP, net, MV_CHANNELTYPE_MQTT, "", spare_rx,
                           sizeof spare_rx, spare_tx, sizeof spare_tx, &refused),
                 MV_STATUS_NETWORKNOTCONNECTED);
    CHECK_EQ(refused, 0u);

    /* ---- The link comes back. ---- */
    uint64_t restore_at = fw_micros();
    mvtest_log("RESTORE LINK");
    CHECK(link_wait(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET, net_changes + 2,
                    2000000u));
    const LinkRecord *back = link_find(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET,
                                       net_changes + 1);
    CHECK(back != 0);
    if (back) {
        mvtest_log("connected again %u us after the marker", (unsigned)(back->us - restore_at));
        CHECK(back->us >= restore_at + BRING_UP_US);
    }
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);

    /* The old channels stay disconnected: no new record, same reason. */
    fw_spin_us(20000);
    CHECK_EQ(http_center.c.received, 1u);
    CHECK_EQ(link_count(&echo_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_ECHO), 1u);
    CHECK_EQ(link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET), net_changes + 2);
    CHECK_EQ(link_reason(http), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_EQ(link_reason(echo), MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"more", 4, &available), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_CHANNELCLOSED);

    /* Close them (OKAY, handles zeroed) and open a new one on the same buffers. */
    MvChannelHandle old_echo = echo;
    CHECK_STATUS(mvCloseChannel(&http), MV_STATUS_OKAY);
    CHECK_EQ(http, 0u);
    CHECK_STATUS(mvCloseChannel(&echo), MV_STATUS_OKAY);
    CHECK_EQ(echo, 0u);
    CHECK_STATUS(mvGetChannelClosureReason(old_echo, &(enum MvClosureReason){0}),
                 MV_STATUS_INVALIDHANDLE);

    uint32_t readable_before = link_count(&echo_center, MV_EVENTTYPE_CHANNELDATAREADABLE, TAG_ECHO2);
    CHECK_STATUS(link_open(&echo_center, TAG_ECHO2, net, MV_CHANNELTYPE_OPAQUEBYTES, "echo", echo_rx,
                           sizeof echo_rx, echo_tx, sizeof echo_tx, &echo), MV_STATUS_OKAY);
    CHECK(echo != 0 && echo != old_echo);
    CHECK_EQ(link_reason(echo), MV_CLOSUREREASON_NONE);
    CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"again", 5, &available), MV_STATUS_OKAY);
    CHECK(available == sizeof echo_tx - 5 || available == sizeof echo_tx);  /* sent in the call */
    CHECK(link_wait(&echo_center, MV_EVENTTYPE_CHANNELDATAREADABLE, TAG_ECHO2, readable_before + 1,
                    2000000u));
    uint8_t back_bytes[5] = { 0 };
    CHECK_EQ(link_read_exact(echo, back_bytes, 5, 5000000u), 5u);
    CHECK(memcmp(back_bytes, "again", 5) == 0);

    CHECK_STATUS(mvCloseChannel(&echo), MV_STATUS_OKAY);
    /* Every channel's socket is closed by now (the runner compares QEMU's
     * open descriptors here with those before the first channel). */
    fw_spin_us(10000);
    mvtest_log("SAMPLE AFTER CHANNELS");
    fw_spin_us(10000);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
