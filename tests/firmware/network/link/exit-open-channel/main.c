/*
 * network-exit-open-channel: the firmware ends its run while it still holds
 * a network and an opaque-bytes channel with a live TCP connection. QEMU
 * runs under valgrind (the runner's --valgrind): at exit the backend must
 * have closed its sockets, stopped its event-loop thread and freed what it
 * allocated, although the application never closed anything.
 */
#include "../linktest.h"

#define TAG_NET 0x4e4554u
#define TAG_CHAN 0x434841u

static volatile struct MvNotification net_ring[8] __attribute__((aligned(8)));
static volatile struct MvNotification chan_ring[16] __attribute__((aligned(8)));
static LinkCenter net_center, chan_center;
static uint8_t rx[512] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&net_center); }
void TIM1_UP_IRQHandler(void) { link_isr(&chan_center); }

int main(void)
{
    mvtest_begin("network-exit-open-channel");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&net_center.c, net_ring, 8, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&chan_center.c, chan_ring, 16, TIM1_UP_IRQn), MV_STATUS_OKAY);

    MvNetworkHandle net = 0;
    CHECK_STATUS(link_request(&net_center, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK_EQ(link_wait_status(net, MV_NETWORKSTATUS_CONNECTED, 30000000u), MV_NETWORKSTATUS_CONNECTED);

    MvChannelHandle ch = 0;
    CHECK_STATUS(link_open(&chan_center, TAG_CHAN, net, MV_CHANNELTYPE_OPAQUEBYTES, "echo", rx,
                           sizeof rx, tx, sizeof tx, &ch), MV_STATUS_OKAY);
    uint32_t n = 0;
    CHECK_STATUS(mvWriteChannel(ch, (const uint8_t *)"ping", 4, &n), MV_STATUS_OKAY);
    uint8_t echo[4];
    CHECK_EQ(link_read_exact(ch, echo, sizeof echo, 30000000u), 4u);
    /* Ends with the channel, the network and both centers still open. */
    mvtest_end();
}
