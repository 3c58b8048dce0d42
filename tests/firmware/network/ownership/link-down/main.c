/*
 * network-link-down: with the profile's [network] link = "down" the
 * connection never comes up (docs/network.md "Profile keys"): the status
 * stays CONNECTING for 300 ms of virtual time (three bring-up times),
 * nothing is announced, and mvOpenChannel gives NETWORKNOTCONNECTED.
 */
#include "fwtest.h"
#include "../netutil.h"

#define TAG_NET 0x4c4e4bu
#define TAG_SYS 0x535953u

static volatile struct MvNotification ring[8] __attribute__((aligned(8)));
static volatile struct MvNotification ring_s[8] __attribute__((aligned(8)));
static FwCenter center, cs;
static uint8_t rx[512] __attribute__((aligned(512)));
static uint8_t tx[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }
void TIM1_UP_IRQHandler(void) { fw_center_isr(&cs); }

int main(void)
{
    mvtest_begin("network-link-down");
    mv_enable_irq();

    CHECK_REASONS(MV_NETWORKREASON_NEVERUSEDNETWORKAPI | MV_NETWORKREASON_COLDBOOTCONNECTION, 0);
    CHECK_STATUS(fw_center_open(&center, ring, 8, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&cs, ring_s, 8, TIM1_UP_IRQn), MV_STATUS_OKAY);
    MvSystemEventHandle sys = 0;
    struct MvOpenSystemNotificationParams sp = {
        .notification_handle = cs.handle,
        .notification_tag = TAG_SYS,
        .notification_source = MV_SYSTEMNOTIFICATIONSOURCE_NETWORK,
    };
    CHECK_STATUS(mvOpenSystemNotification(&sp, &sys), MV_STATUS_OKAY);

    MvNetworkHandle net = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK_REASONS(MV_NETWORKREASON_USINGNETWORK, 1);

    /* Poll for 300 ms: never anything but CONNECTING. */
    uint32_t polls = 0, other = 0, last = FILL;
    uint64_t start = fw_micros();
    while (fw_micros() - start < 300000u) {
        uint32_t s = fw_network_status(net);
        polls++;
        if (s != MV_NETWORKSTATUS_CONNECTING) {
            other++;
            last = s;
        }
    }
    mvtest_log("%u polls, %u not CONNECTING", (unsigned)polls, (unsigned)other);
    CHECK(polls > 10);
    CHECK_EQ(other, 0u);
    CHECK_EQ(last, FILL);
    CHECK_EQ(center.received, 0u);
    CHECK_EQ(cs.received, 0u);

    /* No channel on a connection that is not up. */
    struct MvOpenChannelParams cp = {
        .version = 1,
        .v1 = {
            .notification_handle = center.handle,
            .notification_tag = 1,
            .network_handle = net,
            .receive_buffer = rx,
            .receive_buffer_len = sizeof rx,
            .send_buffer = tx,
            .send_buffer_len = sizeof tx,
            .channel_type = MV_CHANNELTYPE_HTTP,
            .endpoint = { .data = (const uint8_t *)"", .length = 0 },
        },
    };
    MvChannelHandle ch = FILL;
    CHECK_STATUS(mvOpenChannel(&cp, &ch), MV_STATUS_NETWORKNOTCONNECTED);
    CHECK_EQ(ch, FILL);

    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    CHECK_REASONS(0, 0);
    CHECK_STATUS(mvCloseSystemNotification(&sys), MV_STATUS_OKAY);
    CHECK_EQ(center.received, 0u);
    CHECK_EQ(cs.received, 0u);
    mvtest_end();
}
