/*
 * network-link-outage-script: the profile's outage script,
 *   [network] bring_up_ms = 100
 *   outages = [{ at_ms = 300, for_ms = 200 }, { at_ms = 550, for_ms = 20 }]
 * cuts the link at 300 ms of virtual time and brings it back at 500 ms; the
 * second outage interrupts the bring-up (due at 600 ms), which starts over
 * at 570 ms, so the connection is CONNECTED again at 670 ms. The firmware
 * checks the records' timestamps against that schedule: the open channel's
 * CHANNELNOTCONNECTED and NETWORKSTATUSCHANGED to both network handles at
 * >= 300 ms, status CONNECTING in between (the interrupted bring-up is not
 * announced), the second NETWORKSTATUSCHANGED at >= 670 ms with CONNECTED,
 * and a NETWORK system notification seeing both changes.
 */
#include <string.h>

#include "../linktest.h"

#define TAG_NET 0x4e4554u
#define TAG_NET2 0x4e4532u
#define TAG_SYS 0x535953u
#define TAG_CHAN 0x434841u

#define OUTAGE_AT_US 300000u
#define OUTAGE_END_US 570000u  /* the end of the second outage */
#define BRING_UP_US 100000u
/* Generous upper bounds: the schedule is virtual time, so records come
 * right at it; these only catch a record that comes much too late. */
#define SLACK_US 150000u

static volatile struct MvNotification net_ring[16] __attribute__((aligned(8)));
static volatile struct MvNotification chan_ring[16] __attribute__((aligned(8)));
static LinkCenter net_center, chan_center;

static uint8_t rx[512] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&net_center); }
void TIM1_UP_IRQHandler(void) { link_isr(&chan_center); }

int main(void)
{
    mvtest_begin("network-link-outage-script");
    mv_enable_irq();

    CHECK_STATUS(fw_center_open(&net_center.c, net_ring, 16, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&chan_center.c, chan_ring, 16, TIM1_UP_IRQn), MV_STATUS_OKAY);

    MvSystemEventHandle sys = 0;
    struct MvOpenSystemNotificationParams sp = {
        .notification_handle = net_center.c.handle,
        .notification_tag = TAG_SYS,
        .notification_source = MV_SYSTEMNOTIFICATIONSOURCE_NETWORK,
    };
    CHECK_STATUS(mvOpenSystemNotification(&sp, &sys), MV_STATUS_OKAY);

    MvNetworkHandle net = 0;
    CHECK_STATUS(link_request(&net_center, TAG_NET, &net), MV_STATUS_OKAY);
    MvNetworkHandle net2 = 0;
    CHECK_STATUS(link_request(&net_center, TAG_NET2, &net2), MV_STATUS_OKAY);
    CHECK_EQ(link_wait_status(net, MV_NETWORKSTATUS_CONNECTED, 2000000u), MV_NETWORKSTATUS_CONNECTED);
    uint64_t connected_at = fw_micros();
    mvtest_log("connected at %u us", (unsigned)connected_at);
    /* The test needs to be connected well before the outage. */
    CHECK(connected_at < OUTAGE_AT_US - 50000u);
    fw_spin_us(5000);
    uint32_t net_base = link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET);
    uint32_t sys_base = link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_SYS);
    uint32_t net2_base = link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET2);

    MvChannelHandle chan = 0;
    CHECK_STATUS(link_open(&chan_center, TAG_CHAN, net, MV_CHANNELTYPE_MQTT, "", rx, sizeof rx, tx,
                           sizeof tx, &chan), MV_STATUS_OKAY);
    CHECK_EQ(link_reason(chan), MV_CLOSUREREASON_NONE);

    /* ---- The outage starts at 300 ms. ---- */
    CHECK(link_wait(&chan_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_CHAN, 1, 2000000u));
    CHECK(link_wait(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET, net_base + 1, 1000000u));
    enum MvNetworkStatus status = (enum MvNetworkStatus)0xff;
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTING);
    CHECK(fw_micros() < OUTAGE_END_US + BRING_UP_US);  /* still inside the outage */
    CHECK_EQ(link_reason(chan), MV_CLOSUREREASON_NETWORKDISCONNECTED);

    const LinkRecord *lost = link_find(&chan_center, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG_CHAN, 0);
    const LinkRecord *down = link_find(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET,
                                       net_base);
    CHECK(lost != 0 && down != 0);
    if (lost && down) {
        mvtest_log("channel lost at %u us, network changed at %u us", (unsigned)lost->us,
                   (unsigned)down->us);
        CHECK(lost->us >= OUTAGE_AT_US && lost->us < OUTAGE_AT_US + SLACK_US);
        CHECK(down->us >= OUTAGE_AT_US && down->us < OUTAGE_AT_US + SLACK_US);
    }
    /* A new channel cannot be opened during the outage. */
    MvChannelHandle refused = 0;
    static uint8_t rx2[512] __attribute__((aligned(512)));
    static uint8_t tx2[512] __attribute__((aligned(512)));
    CHECK_STATUS(link_open(&chan_center, TAG_CHAN, net, MV_CHANNELTYPE_HTTP, "", rx2, sizeof rx2, tx2,
                           sizeof tx2, &refused), MV_STATUS_NETWORKNOTCONNECTED);

    /* At 620 ms the first bring-up would have finished, had the second
     * outage not interrupted it: still CONNECTING, nothing announced. */
    while (fw_micros() < 620000u) {
    }
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTING);
    CHECK_EQ(link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET), net_base + 1);

    /* ---- The link is back at 500 ms, down again at 550 ms before the
     * bring-up finished, back at 570 ms: CONNECTED at 670 ms. ---- */
    CHECK(link_wait(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET, net_base + 2, 2000000u));
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);
    const LinkRecord *up = link_find(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET,
                                     net_base + 1);
    CHECK(up != 0);
    if (up) {
        mvtest_log("connected again at %u us", (unsigned)up->us);
        CHECK(up->us >= OUTAGE_END_US + BRING_UP_US);
        CHECK(up->us < OUTAGE_END_US + BRING_UP_US + SLACK_US);
    }

    /* Nothing more happens: one outage, two changes, one channel record. The
     * system notification saw the same two changes. */
    fw_spin_us(300000);
    CHECK_EQ(link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET), net_base + 2);
    CHECK_EQ(link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_SYS), sys_base + 2);
    CHECK_EQ(link_count(&net_center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET2), net2_base + 2);
    CHECK_EQ(net_center.c.received, net_base + sys_base + net2_base + 6);
    CHECK_EQ(chan_center.c.received, 1u);
    CHECK_EQ(link_reason(chan), MV_CLOSUREREASON_NETWORKDISCONNECTED);

    /* The old channel stays lost; a new one opens. */
    CHECK_STATUS(mvCloseChannel(&chan), MV_STATUS_OKAY);
    CHECK_EQ(chan, 0u);
    CHECK_STATUS(link_open(&chan_center, TAG_CHAN, net, MV_CHANNELTYPE_MQTT, "", rx, sizeof rx, tx,
                           sizeof tx, &chan), MV_STATUS_OKAY);
    CHECK_EQ(link_reason(chan), MV_CLOSUREREASON_NONE);
    CHECK_STATUS(mvCloseChannel(&chan), MV_STATUS_OKAY);

    CHECK_STATUS(mvCloseSystemNotification(&sys), MV_STATUS_OKAY);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    CHECK_STATUS(mvReleaseNetwork(&net2), MV_STATUS_OKAY);
    mvtest_end();
}
