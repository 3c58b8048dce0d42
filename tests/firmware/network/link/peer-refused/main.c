/*
 * network-link-peer-refused: an opaque-bytes channel whose endpoint refuses
 * the connection (127.0.0.1:1) opens OKAY (the connect runs on the backend's
 * event loop, never in the call), then gets one CHANNELNOTCONNECTED with
 * closure reason CONNECTIONTERMINATED. The network and a second channel to
 * the echo server are unaffected.
 */
#include <string.h>

#include "../linktest.h"

#define TAG_NET 0x4e4554u
#define TAG_DEAD 0x444541u
#define TAG_ECHO 0x454348u

static volatile struct MvNotification net_ring[8] __attribute__((aligned(8)));
static volatile struct MvNotification chan_ring[16] __attribute__((aligned(8)));
static LinkCenter net_center, chan_center;

static uint8_t dead_rx[512] __attribute__((aligned(512)));
static uint8_t dead_tx[512] __attribute__((aligned(512)));
static uint8_t echo_rx[512] __attribute__((aligned(512)));
static uint8_t echo_tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&net_center); }
void TIM1_UP_IRQHandler(void) { link_isr(&chan_center); }

int main(void)
{
    mvtest_begin("network-link-peer-refused");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&net_center.c, net_ring, 8, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&chan_center.c, chan_ring, 16, TIM1_UP_IRQn), MV_STATUS_OKAY);

    MvNetworkHandle net = 0;
    CHECK_STATUS(link_request(&net_center, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK_EQ(link_wait_status(net, MV_NETWORKSTATUS_CONNECTED, 5000000u), MV_NETWORKSTATUS_CONNECTED);
    fw_spin_us(5000);
    uint32_t net_records = net_center.c.received;

    MvChannelHandle echo = 0, dead = 0;
    CHECK_STATUS(link_open(&chan_center, TAG_ECHO, net, MV_CHANNELTYPE_OPAQUEBYTES, "echo", echo_rx,
                           sizeof echo_rx, echo_tx, sizeof echo_tx, &echo), MV_STATUS_OKAY);
    CHECK_STATUS(link_open(&chan_center, TAG_DEAD, net, MV_CHANNELTYPE_OPAQUEBYTES, "refused",
                           dead_rx, sizeof dead_rx, dead_tx, sizeof dead_tx, &dead), MV_STATUS_OKAY);
    CHECK(dead != 0);

    CHECK(link_wait(&chan_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_DEAD, 1, 5000000u));
    fw_spin_us(20000);
    CHECK_EQ(link_count(&chan_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_DEAD), 1u);
    CHECK_EQ(link_count(&chan_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_ECHO), 0u);
    CHECK_EQ(link_reason(dead), MV_CLOSUREREASON_CONNECTIONTERMINATED);
    CHECK_EQ(link_reason(echo), MV_CLOSUREREASON_NONE);

    /* Nothing was ever received; nothing can be sent. */
    uint8_t *p = 0;
    uint32_t n = 0;
    CHECK_STATUS(mvReadChannel(dead, &p, &n), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvReadChannelComplete(dead, 1), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvWriteChannel(dead, (const uint8_t *)"x", 1, &n), MV_STATUS_CHANNELCLOSED);
    CHECK_STATUS(mvWriteChannelStream(dead, (const uint8_t *)"x", 1, &n), MV_STATUS_CHANNELCLOSED);

    /* The network did not change; the other channel still echoes. */
    enum MvNetworkStatus status = (enum MvNetworkStatus)0xff;
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);
    CHECK_EQ(net_center.c.received, net_records);
    uint32_t available = 0;
    CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"alive", 5, &available), MV_STATUS_OKAY);
    uint8_t back[5] = { 0 };
    CHECK_EQ(link_read_exact(echo, back, 5, 5000000u), 5u);
    CHECK(memcmp(back, "alive", 5) == 0);

    /* The refused channel closes like any other and its buffers are free again. */
    CHECK_STATUS(mvCloseChannel(&dead), MV_STATUS_OKAY);
    CHECK_EQ(dead, 0u);
    CHECK_STATUS(link_open(&chan_center, TAG_DEAD, net, MV_CHANNELTYPE_HTTP, "", dead_rx,
                           sizeof dead_rx, dead_tx, sizeof dead_tx, &dead), MV_STATUS_OKAY);
    CHECK_STATUS(mvCloseChannel(&dead), MV_STATUS_OKAY);
    CHECK_STATUS(mvCloseChannel(&echo), MV_STATUS_OKAY);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
