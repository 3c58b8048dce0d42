/*
 * network-link-down-at-boot: with `[network] link = "down"` the connection
 * stays CONNECTING (no record, no channel) until the monitor switches the
 * link up; it is CONNECTED bring_up_ms (250 here) later, announced by one
 * NETWORKSTATUSCHANGED. At "BRING THE LINK UP" the runner sends a malformed
 * switch (refused), then switches the link up three times (QMP, QMP, HMP):
 * only the first changes anything.
 */
#include <string.h>

#include "../linktest.h"

#define TAG_NET 0x4e4554u
#define TAG_CHAN 0x434841u
#define BRING_UP_US 250000u

static volatile struct MvNotification ring[16] __attribute__((aligned(8)));
static LinkCenter center;

static uint8_t rx[512] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { link_isr(&center); }

int main(void)
{
    mvtest_begin("network-link-down-at-boot");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center.c, ring, 16, TIM1_BRK_IRQn), MV_STATUS_OKAY);

    /* Microvisor's boot connection cannot come up either. */
    enum MvNetworkReason reasons = (enum MvNetworkReason)0;
    uint32_t refs = 99;
    CHECK_STATUS(mvGetNetworkReasons(&reasons, &refs), MV_STATUS_OKAY);
    CHECK((reasons & MV_NETWORKREASON_COLDBOOTCONNECTION) != 0);
    CHECK_EQ(refs, 0u);

    MvNetworkHandle net = 0;
    CHECK_STATUS(link_request(&center, TAG_NET, &net), MV_STATUS_OKAY);
    enum MvNetworkStatus status = (enum MvNetworkStatus)0xff;
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTING);

    /* Well past bring_up_ms: still connecting, nothing announced. */
    fw_spin_us(2 * BRING_UP_US);
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTING);
    CHECK_EQ(center.c.received, 0u);
    MvChannelHandle chan = 0;
    CHECK_STATUS(link_open(&center, TAG_CHAN, net, MV_CHANNELTYPE_HTTP, "", rx, sizeof rx, tx,
                           sizeof tx, &chan), MV_STATUS_NETWORKNOTCONNECTED);
    CHECK_EQ(chan, 0u);

    uint64_t marker_at = fw_micros();
    mvtest_log("BRING THE LINK UP");
    CHECK(link_wait(&center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET, 1, 5000000u));
    CHECK_STATUS(mvGetNetworkStatus(net, &status), MV_STATUS_OKAY);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);
    const LinkRecord *up = link_find(&center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, TAG_NET, 0);
    CHECK(up != 0);
    if (up) {
        mvtest_log("connected %u us after the marker", (unsigned)(up->us - marker_at));
        CHECK(up->us >= marker_at + BRING_UP_US);
    }

    CHECK_STATUS(link_open(&center, TAG_CHAN, net, MV_CHANNELTYPE_HTTP, "", rx, sizeof rx, tx,
                           sizeof tx, &chan), MV_STATUS_OKAY);
    CHECK_EQ(link_reason(chan), MV_CLOSUREREASON_NONE);

    /* The second "up" changed nothing: one record in all. */
    fw_spin_us(50000);
    CHECK_EQ(center.c.received, 1u);
    CHECK_EQ(link_reason(chan), MV_CLOSUREREASON_NONE);

    CHECK_STATUS(mvCloseChannel(&chan), MV_STATUS_OKAY);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
