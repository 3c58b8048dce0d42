/*
 * channels-typed-bytestream: the byte-stream calls on MQTT, HTTP and
 * CONFIGFETCH channels (docs/network.md "The byte-stream calls"):
 * mvReadChannel, mvReadChannelComplete, mvWriteChannel and
 * mvWriteChannelStream return UNAVAILABLE, write nothing, whatever the
 * channel's state (also after it lost its connection); the console says so
 * once per call (checked by the runner). Before that, mvReadChannel's bad
 * output pointers are a PARAMETERFAULT.
 */
#include "fwtest.h"
#include "../chutil.h"

#define IRQ TIM1_BRK_IRQn
#define TAG_NET 0x4e4554u
#define TAG_CH  0x434841u

static volatile struct MvNotification ring[16] __attribute__((aligned(8)));
static FwCenter center;
static uint8_t pool[6][512] __attribute__((aligned(512)));
static const uint32_t flash_word = 0x1234u;
static uint32_t words[4];

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }

/* Nothing in the channel's buffers was touched by the refused calls. */
static uint32_t untouched(uint32_t slot)
{
    uint32_t bad = 0;
    for (uint32_t i = 0; i < 512; i++) {
        bad += pool[2 * slot][i] != 0x5A;
        bad += pool[2 * slot + 1][i] != 0x5A;
    }
    return bad;
}

static void refused(MvChannelHandle h, uint32_t slot)
{
    static const uint8_t data[8] = "abcdefg";
    uint8_t *ptr = PTR(FILL);
    uint32_t len = FILL, out = FILL;

    CHECK_STATUS(mvReadChannel(h, &ptr, &len), MV_STATUS_UNAVAILABLE);
    CHECK_EQ((uintptr_t)ptr, FILL);
    CHECK_EQ(len, FILL);
    CHECK_STATUS(mvReadChannelComplete(h, 0), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvReadChannelComplete(h, 4), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvWriteChannel(h, data, sizeof data, &out), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvWriteChannel(h, data, 0, &out), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvWriteChannelStream(h, data, sizeof data, &out), MV_STATUS_UNAVAILABLE);
    CHECK_EQ(out, FILL);
    CHECK_EQ(untouched(slot), 0u);

    /* mvReadChannel's output pointers are checked before the type. */
    CHECK_STATUS(mvReadChannel(h, NULL, &len), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadChannel(h, &ptr, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadChannel(h, PTR(&flash_word), &len), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadChannel(h, &ptr, PTR(FW_SECURE_SRAM)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReadChannel(h, PTR((uint8_t *)words + 2), &len), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(len, FILL);
    CHECK_EQ((uintptr_t)ptr, FILL);
}

int main(void)
{
    mvtest_begin("channels-typed-bytestream");
    mv_enable_irq();
    for (uint32_t i = 0; i < 6; i++) {
        for (uint32_t j = 0; j < 512; j++) {
            pool[i][j] = 0x5A;
        }
    }
    CHECK_STATUS(fw_center_open(&center, ring, 16, IRQ), MV_STATUS_OKAY);
    MvNetworkHandle net = 0, keep = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &keep), MV_STATUS_OKAY);
    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 1000000u));
    CHECK(fw_center_wait(&center, 2, 1000000u));  /* the bring-up, to each handle */

    static const enum MvChannelType types[3] = {
        MV_CHANNELTYPE_MQTT, MV_CHANNELTYPE_HTTP, MV_CHANNELTYPE_CONFIGFETCH,
    };
    MvChannelHandle ch[3] = { 0, 0, 0 };
    for (uint32_t i = 0; i < 3; i++) {
        struct MvOpenChannelParams p = ch_params(center.handle, TAG_CH + i, net, types[i],
                                                 pool[2 * i], 512, pool[2 * i + 1], 512);
        CHECK_STATUS(mvOpenChannel(&p, &ch[i]), MV_STATUS_OKAY);
    }

    /* Connected. */
    for (uint32_t i = 0; i < 3; i++) {
        refused(ch[i], i);
    }

    /* Disconnected (their network handle released): still UNAVAILABLE,
     * not CHANNELCLOSED. */
    uint32_t before = center.received;
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    CHECK(fw_center_wait(&center, before + 3, 1000000u));  /* one loss each */
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t reason = FILL;
        CHECK_STATUS(mvGetChannelClosureReason(ch[i], (enum MvClosureReason *)&reason),
                     MV_STATUS_OKAY);
        CHECK_EQ(reason, MV_CLOSUREREASON_NETWORKDISCONNECTED);
        refused(ch[i], i);
    }

    for (uint32_t i = 0; i < 3; i++) {
        CHECK_STATUS(mvCloseChannel(&ch[i]), MV_STATUS_OKAY);
    }
    CHECK_STATUS(mvReleaseNetwork(&keep), MV_STATUS_OKAY);
    mvtest_end();
}
