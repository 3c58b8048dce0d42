/*
 * network-seed-flow: the networking guide's usage flow end to end, as a demo
 * application writes it: a notification center, mvRequestNetwork, a poll of
 * mvGetNetworkStatus until CONNECTED, an HTTP channel on 512-aligned
 * buffers, mvCloseChannel, mvReleaseNetwork and mvCloseNotifications, with
 * every handle checked at each step.
 */
#include <string.h>

#include "fwtest.h"

#define IRQ TIM1_BRK_IRQn
#define TAG_NETWORK 0x4e4554u
#define TAG_CHANNEL 0x434841u

static volatile struct MvNotification ring[16] __attribute__((aligned(8)));
static FwCenter center;
static uint8_t rx_buffer[1536] __attribute__((aligned(512)));
static uint8_t tx_buffer[512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
}

int main(void)
{
    mvtest_begin("network-seed-flow");
    mv_enable_irq();

    struct {
        MvNotificationHandle notification;
        MvNetworkHandle network;
        MvChannelHandle channel;
    } handles = { 0, 0, 0 };

    CHECK_STATUS(fw_center_open(&center, ring, 16, IRQ), MV_STATUS_OKAY);
    handles.notification = center.handle;
    CHECK(handles.notification != 0);

    struct MvRequestNetworkParams network_config = {
        .version = 1,
        .v1 = { .notification_handle = handles.notification, .notification_tag = TAG_NETWORK },
    };
    CHECK_STATUS(mvRequestNetwork(&network_config, &handles.network), MV_STATUS_OKAY);
    CHECK(handles.network != 0);
    CHECK(handles.network != handles.notification);

    /* The demos' wait: poll the status until CONNECTED. */
    enum MvNetworkStatus net_status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    uint64_t start = fw_micros();
    while (fw_micros() - start < 5000000u) {
        if (mvGetNetworkStatus(handles.network, &net_status) == MV_STATUS_OKAY &&
            net_status == MV_NETWORKSTATUS_CONNECTED) {
            break;
        }
    }
    CHECK_EQ(net_status, MV_NETWORKSTATUS_CONNECTED);
    mvtest_log("connected after %u us", (unsigned)(fw_micros() - start));

    /* The boot connection was still coming up when the request was made, so
     * the change to CONNECTED is announced to the request's center. */
    CHECK(fw_center_wait(&center, 1, 1000000u));
    CHECK_EQ(center.last_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK_EQ(center.last_tag, TAG_NETWORK);

    struct MvOpenChannelParams channel_config = {
        .version = 1,
        .v1 = {
            .notification_handle = handles.notification,
            .notification_tag = TAG_CHANNEL,
            .network_handle = handles.network,
            .receive_buffer = rx_buffer,
            .receive_buffer_len = sizeof(rx_buffer),
            .send_buffer = tx_buffer,
            .send_buffer_len = sizeof(tx_buffer),
            .channel_type = MV_CHANNELTYPE_HTTP,
            .endpoint = { .data = (const uint8_t *)"", .length = 0 },
        },
    };
    CHECK_STATUS(mvOpenChannel(&channel_config, &handles.channel), MV_STATUS_OKAY);
    CHECK(handles.channel != 0);
    CHECK(handles.channel != handles.network && handles.channel != handles.notification);

    enum MvClosureReason reason = MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED;
    CHECK_STATUS(mvGetChannelClosureReason(handles.channel, &reason), MV_STATUS_OKAY);
    CHECK_EQ(reason, MV_CLOSUREREASON_NONE);

    MvChannelHandle closed = handles.channel;
    CHECK_STATUS(mvCloseChannel(&handles.channel), MV_STATUS_OKAY);
    CHECK_EQ(handles.channel, 0u);
    /* The old handle is dead for good. */
    CHECK_STATUS(mvGetChannelClosureReason(closed, &reason), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvCloseChannel(&closed), MV_STATUS_INVALIDHANDLE);

    /* Opening and closing a channel posts nothing. */
    start = fw_micros();
    while (fw_micros() - start < 20000u) {
    }
    CHECK_EQ(center.received, 1u);

    MvNetworkHandle released = handles.network;
    CHECK_STATUS(mvReleaseNetwork(&handles.network), MV_STATUS_OKAY);
    CHECK_EQ(handles.network, 0u);
    CHECK_STATUS(mvGetNetworkStatus(released, &net_status), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvReleaseNetwork(&released), MV_STATUS_INVALIDHANDLE);

    CHECK_STATUS(mvCloseNotifications(&handles.notification), MV_STATUS_OKAY);
    CHECK_EQ(handles.notification, 0u);
    mvtest_end();
}
