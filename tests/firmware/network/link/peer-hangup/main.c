/*
 * network-link-peer-hangup: the server sends 1,300 bytes and closes the
 * connection before the application reads anything. The channel gets one
 * CHANNELNOTCONNECTED with closure reason CHANNELCLOSEDBYSERVER, yet every
 * byte sent before the close still arrives: the 512-byte receive buffer is
 * refilled as the application reads, across wraps. Once it is all read,
 * mvReadChannel reports CHANNELCLOSED; writes are refused throughout.
 */
#include <string.h>

#include "../linktest.h"

#define TAG_NET 0x4e4554u
#define TAG_CHAN 0x434841u
#define GREETING_LEN 1300u

static volatile struct MvNotification net_ring[8] __attribute__((aligned(8)));
static volatile struct MvNotification chan_ring[16] __attribute__((aligned(8)));
static LinkCenter net_center, chan_center;
static uint8_t rx[512] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));
static uint8_t got[GREETING_LEN + 16];

void TIM1_BRK_IRQHandler(void) { link_isr(&net_center); }
void TIM1_UP_IRQHandler(void) { link_isr(&chan_center); }

int main(void)
{
    mvtest_begin("network-link-peer-hangup");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&net_center.c, net_ring, 8, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&chan_center.c, chan_ring, 16, TIM1_UP_IRQn), MV_STATUS_OKAY);

    MvNetworkHandle net = 0;
    CHECK_STATUS(link_request(&net_center, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK_EQ(link_wait_status(net, MV_NETWORKSTATUS_CONNECTED, 5000000u), MV_NETWORKSTATUS_CONNECTED);

    MvChannelHandle ch = 0;
    CHECK_STATUS(link_open(&chan_center, TAG_CHAN, net, MV_CHANNELTYPE_OPAQUEBYTES, "echo", rx,
                           sizeof rx, tx, sizeof tx, &ch), MV_STATUS_OKAY);

    /* The server hangs up long before the application reads. */
    CHECK(link_wait(&chan_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_CHAN, 1, 5000000u));
    CHECK_EQ(link_reason(ch), MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    uint32_t n = 0;
    CHECK_STATUS(mvWriteChannel(ch, (const uint8_t *)"late", 4, &n), MV_STATUS_CHANNELCLOSED);

    /* All 1,300 bytes come through the 512-byte buffer, in order. */
    CHECK_EQ(link_read_exact(ch, got, GREETING_LEN, 5000000u), GREETING_LEN);
    int in_order = 1;
    for (uint32_t i = 0; i < GREETING_LEN; i++) {
        in_order &= got[i] == (uint8_t)('A' + i % 26);
    }
    CHECK(in_order);
    uint8_t *p = 0;
    CHECK_STATUS(mvReadChannel(ch, &p, &n), MV_STATUS_CHANNELCLOSED);
    CHECK_EQ(link_count(&chan_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_CHAN), 1u);
    CHECK(link_count(&chan_center, MV_EVENTTYPE_CHANNELDATAREADABLE, TAG_CHAN) >= 1u);

    CHECK_STATUS(mvCloseChannel(&ch), MV_STATUS_OKAY);
    CHECK_EQ(ch, 0u);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
