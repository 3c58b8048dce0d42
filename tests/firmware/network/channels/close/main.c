/*
 * channels-close: mvCloseChannel and what a closed handle is worth
 * (docs/network.md "Channels"):
 *   - close returns OKAY and zeroes the handle;
 *   - the old value is dead: close, mvGetChannelClosureReason and the
 *     byte-stream calls give INVALIDHANDLE and write nothing;
 *   - handle 0 and foreign handles: INVALIDHANDLE, nothing is closed;
 *   - a bad handle pointer: PARAMETERFAULT, the channel stays open;
 *   - a channel whose network handle is released (another handle keeping
 *     the network up) gets one CHANNELNOTCONNECTED, is still open, reports
 *     NETWORKDISCONNECTED and closes with OKAY; a channel on the other
 *     handle is not affected.
 */
#include "fwtest.h"
#include "../chutil.h"

#define IRQ TIM1_BRK_IRQn
#define TAG_NET 0x4e4554u
#define TAG_CH  0x434841u

static volatile struct MvNotification ring[16] __attribute__((aligned(8)));
static FwCenter center;
static uint8_t rx[1024] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));
static uint8_t rx2[512] __attribute__((aligned(512)));
static uint8_t tx2[512] __attribute__((aligned(512)));
static const MvChannelHandle flash_handle = 0x1234u;
static uint32_t words[4];

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }

static enum MvStatus open_http(MvNetworkHandle net, MvChannelHandle *h)
{
    struct MvOpenChannelParams p = ch_params(center.handle, TAG_CH, net, MV_CHANNELTYPE_HTTP,
                                             rx, sizeof rx, tx, sizeof tx);
    return mvOpenChannel(&p, h);
}

/* Every call taking a channel handle refuses `h` as INVALIDHANDLE. */
static void check_dead(MvChannelHandle h)
{
    uint32_t reason = FILL;
    uint32_t len = FILL, avail = FILL;
    uint8_t *ptr = PTR(FILL);
    static const uint8_t data[4] = { 1, 2, 3, 4 };

    MvChannelHandle copy = h;
    CHECK_STATUS(mvCloseChannel(&copy), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(copy, h);  /* a refused close does not zero the handle */
    CHECK_STATUS(mvGetChannelClosureReason(h, (enum MvClosureReason *)&reason),
                 MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvReadChannel(h, &ptr, &len), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvReadChannelComplete(h, 0), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvWriteChannel(h, data, sizeof data, &avail), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvWriteChannelStream(h, data, sizeof data, &avail), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(reason, FILL);
    CHECK_EQ((uintptr_t)ptr, FILL);
    CHECK_EQ(len, FILL);
    CHECK_EQ(avail, FILL);
}

/* The channel is live and connected. */
static void check_live(MvChannelHandle h)
{
    uint32_t reason = FILL;
    CHECK_STATUS(mvGetChannelClosureReason(h, (enum MvClosureReason *)&reason), MV_STATUS_OKAY);
    CHECK_EQ(reason, MV_CLOSUREREASON_NONE);
}

int main(void)
{
    mvtest_begin("channels-close");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center, ring, 16, IRQ), MV_STATUS_OKAY);
    MvNetworkHandle net = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 1000000u));
    CHECK(fw_center_wait(&center, 1, 1000000u));  /* the bring-up */

    MvChannelHandle ch = 0;
    CHECK_STATUS(open_http(net, &ch), MV_STATUS_OKAY);
    CHECK(ch != 0);
    check_live(ch);

    /* Bad handle pointers: refused, the channel stays open. */
    CHECK_STATUS(mvCloseChannel(NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseChannel(PTR(&flash_handle)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseChannel(PTR(FW_SECURE_SRAM)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseChannel(PTR(FW_UNMAPPED)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseChannel(PTR((uint8_t *)words + 2)), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(flash_handle, 0x1234u);
    check_live(ch);
    /* The closure reason's own output pointer. */
    CHECK_STATUS(mvGetChannelClosureReason(ch, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetChannelClosureReason(ch, PTR(&flash_handle)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetChannelClosureReason(ch, PTR((uint8_t *)words + 1)),
                 MV_STATUS_PARAMETERFAULT);

    /* Zero and foreign handles close nothing. */
    MvChannelHandle zero = 0;
    CHECK_STATUS(mvCloseChannel(&zero), MV_STATUS_INVALIDHANDLE);
    uint32_t reason = FILL;
    CHECK_STATUS(mvGetChannelClosureReason(0, (enum MvClosureReason *)&reason),
                 MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(reason, FILL);
    MvChannelHandle foreign = net;
    CHECK_STATUS(mvCloseChannel(&foreign), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(foreign, net);
    foreign = center.handle;
    CHECK_STATUS(mvCloseChannel(&foreign), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(foreign, center.handle);
    check_dead(0);
    check_live(ch);
    uint32_t s = FILL;
    CHECK_STATUS(mvGetNetworkStatus(net, (enum MvNetworkStatus *)&s), MV_STATUS_OKAY);
    CHECK_EQ(s, MV_NETWORKSTATUS_CONNECTED);

    /* Close: OKAY, zeroed, the old value dead for good. */
    MvChannelHandle old = ch;
    CHECK_STATUS(mvCloseChannel(&ch), MV_STATUS_OKAY);
    CHECK_EQ(ch, 0u);
    check_dead(old);

    /* A new channel gets a new handle, and the old one stays dead. */
    CHECK_STATUS(open_http(net, &ch), MV_STATUS_OKAY);
    CHECK(ch != 0 && ch != old);
    check_dead(old);

    /* The channel's network handle is released while another keeps the
     * network up: the channel loses its connection but stays open. */
    MvNetworkHandle keep = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &keep), MV_STATUS_OKAY);
    /* A channel on the other handle is not affected. */
    MvChannelHandle other = 0;
    struct MvOpenChannelParams p2 = ch_params(center.handle, TAG_CH + 1, keep,
                                              MV_CHANNELTYPE_MQTT, rx2, sizeof rx2,
                                              tx2, sizeof tx2);
    CHECK_STATUS(mvOpenChannel(&p2, &other), MV_STATUS_OKAY);
    fw_spin_us(10000);
    uint32_t before = center.received;
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    CHECK(fw_center_wait(&center, before + 1, 1000000u));
    CHECK_EQ(center.last_type, MV_EVENTTYPE_CHANNELNOTCONNECTED);
    CHECK_EQ(center.last_tag, TAG_CH);
    reason = FILL;
    CHECK_STATUS(mvGetChannelClosureReason(ch, (enum MvClosureReason *)&reason), MV_STATUS_OKAY);
    CHECK_EQ(reason, MV_CLOSUREREASON_NETWORKDISCONNECTED);
    fw_spin_us(10000);
    CHECK_EQ(center.received, before + 1);  /* only the hosted channel was told */
    check_live(other);
    CHECK_STATUS(mvCloseChannel(&other), MV_STATUS_OKAY);
    old = ch;
    CHECK_STATUS(mvCloseChannel(&ch), MV_STATUS_OKAY);
    CHECK_EQ(ch, 0u);
    check_dead(old);

    CHECK_STATUS(mvReleaseNetwork(&keep), MV_STATUS_OKAY);
    mvtest_end();
}
