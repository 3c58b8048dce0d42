/*
 * channels-no-notifications: opening and closing channels posts no record
 * at all (docs/network.md "Channels": demo ISRs would stall on an event
 * type they do not expect), neither to the channels' center nor to a
 * NETWORK system notification; nor does a refused open. Only the network's
 * own bring-up record arrives; the other ring slots are never written.
 */
#include "fwtest.h"
#include "../chutil.h"

#define TAG_NET 0x4e4554u
#define TAG_CH  0x434841u
#define TAG_SYS 0x535953u
#define SLOTS 16

static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static volatile struct MvNotification ring_s[SLOTS] __attribute__((aligned(8)));
static FwCenter center, cs;
static uint8_t pool[10][512] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }
void TIM1_UP_IRQHandler(void) { fw_center_isr(&cs); }

static enum MvStatus open_slot(MvNetworkHandle net, uint32_t slot, enum MvChannelType type,
                               MvChannelHandle *h)
{
    struct MvOpenChannelParams p = ch_params(center.handle, TAG_CH + slot, net, type,
                                             pool[2 * slot], 512, pool[2 * slot + 1], 512);
    return mvOpenChannel(&p, h);
}

/* Ring slots from `from` on still hold fw_center_open's 0xFF fill. */
static uint32_t written_slots(volatile struct MvNotification *r, uint32_t from)
{
    uint32_t n = 0;
    for (uint32_t i = from; i < SLOTS; i++) {
        if ((uint32_t)r[i].event_type != 0xFFFFFFFFu || r[i].tag != 0xFFFFFFFFu) {
            n++;
        }
    }
    return n;
}

int main(void)
{
    mvtest_begin("channels-no-notifications");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center, ring, SLOTS, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&cs, ring_s, SLOTS, TIM1_UP_IRQn), MV_STATUS_OKAY);
    MvSystemEventHandle sys = 0;
    struct MvOpenSystemNotificationParams sp = {
        .notification_handle = cs.handle,
        .notification_tag = TAG_SYS,
        .notification_source = MV_SYSTEMNOTIFICATIONSOURCE_NETWORK,
    };
    CHECK_STATUS(mvOpenSystemNotification(&sp, &sys), MV_STATUS_OKAY);

    MvNetworkHandle net = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 1000000u));
    CHECK(fw_center_wait(&center, 1, 1000000u));
    CHECK(fw_center_wait(&cs, 1, 1000000u));
    CHECK_EQ(center.last_tag, TAG_NET);
    fw_spin_us(20000);
    CHECK_EQ(center.received, 1u);
    CHECK_EQ(cs.received, 1u);

    /* One of each type, opened and closed. */
    static const enum MvChannelType types[4] = {
        MV_CHANNELTYPE_MQTT, MV_CHANNELTYPE_HTTP, MV_CHANNELTYPE_CONFIGFETCH, MV_CHANNELTYPE_HTTP,
    };
    for (uint32_t i = 0; i < 3; i++) {
        MvChannelHandle h = 0;
        CHECK_STATUS(open_slot(net, i, types[i], &h), MV_STATUS_OKAY);
        CHECK_STATUS(mvCloseChannel(&h), MV_STATUS_OKAY);
    }
    fw_spin_us(30000);

    /* Four held for a while, a refused fifth, then all closed. */
    MvChannelHandle held[4] = { 0, 0, 0, 0 };
    for (uint32_t i = 0; i < 4; i++) {
        CHECK_STATUS(open_slot(net, i, types[i], &held[i]), MV_STATUS_OKAY);
    }
    MvChannelHandle fifth = FILL;
    CHECK_STATUS(open_slot(net, 4, MV_CHANNELTYPE_HTTP, &fifth), MV_STATUS_TOOMANYCHANNELS);
    fw_spin_us(30000);
    for (uint32_t i = 0; i < 4; i++) {
        CHECK_STATUS(mvCloseChannel(&held[i]), MV_STATUS_OKAY);
    }
    fw_spin_us(50000);

    CHECK_EQ(center.received, 1u);
    CHECK_EQ(cs.received, 1u);
    CHECK_EQ(written_slots(ring, 1), 0u);
    CHECK_EQ(written_slots(ring_s, 1), 0u);

    CHECK_STATUS(mvCloseSystemNotification(&sys), MV_STATUS_OKAY);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
