/*
 * channels-rate-limit: at most 8 successful opens in any second of virtual
 * time (a sliding window); the 9th is RATELIMITED and works again once the
 * oldest open is a second old (docs/network.md, mvOpenChannel's table).
 *
 *   t0:          opens 1-4 (each closed again)
 *   t0 + 400 ms: opens 5-8, kept open (4 open, the device's maximum)
 *   open 9:      TOOMANYCHANNELS (checked before the rate); close one,
 *                then RATELIMITED, however often it is tried (refused
 *                opens do not count)
 *   t0 + 1 s:    opens 1-4 left the window: exactly four more work, the
 *                fifth is RATELIMITED again
 *   a second after opens 5-8: open again.
 *
 * Built a second time with UNLIMITED=1 for the profile's
 * max_opens_per_second = 0: 40 opens in a row all work (the 4-channel
 * limit still holds).
 */
#include "fwtest.h"
#include "../chutil.h"

#ifndef UNLIMITED
#define UNLIMITED 0
#endif

#define IRQ TIM1_BRK_IRQn
#define TAG 0x524154u

static volatile struct MvNotification ring[8] __attribute__((aligned(8)));
static FwCenter center;
static uint8_t pool[10][512] __attribute__((aligned(512)));
static MvNetworkHandle net;

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }

/* Open an HTTP channel on buffer pair `slot` (0-4). */
static enum MvStatus open_slot(uint32_t slot, MvChannelHandle *h)
{
    struct MvOpenChannelParams p = ch_params(center.handle, TAG, net, MV_CHANNELTYPE_HTTP,
                                             pool[2 * slot], 512, pool[2 * slot + 1], 512);
    return mvOpenChannel(&p, h);
}

/* Open and close at once on `slot`; 1 when both worked. */
static int open_close(uint32_t slot)
{
    MvChannelHandle h = 0;
    if (!CHECK_STATUS(open_slot(slot, &h), MV_STATUS_OKAY)) {
        return 0;
    }
    return CHECK_STATUS(mvCloseChannel(&h), MV_STATUS_OKAY);
}

/* Open on `slot` expecting `status`; a refusal leaves the output alone. */
#define EXPECT_REFUSED(slot, status) do {                     \
        MvChannelHandle h_ = FILL;                           \
        CHECK_STATUS(open_slot((slot), &h_), (status));      \
        CHECK_EQ(h_, FILL);                                  \
    } while (0)

#if UNLIMITED
static void run(void)
{
    uint64_t t0 = fw_micros();
    uint32_t ok = 0;
    for (uint32_t i = 0; i < 40; i++) {
        ok += (uint32_t)open_close(i % 5);
    }
    CHECK_EQ(ok, 40u);
    CHECK(fw_micros() - t0 < 1000000u);  /* all within one second */

    /* The channel limit is not lifted. */
    MvChannelHandle held[4];
    for (uint32_t i = 0; i < 4; i++) {
        CHECK_STATUS(open_slot(i, &held[i]), MV_STATUS_OKAY);
    }
    EXPECT_REFUSED(4, MV_STATUS_TOOMANYCHANNELS);
    for (uint32_t i = 0; i < 4; i++) {
        CHECK_STATUS(mvCloseChannel(&held[i]), MV_STATUS_OKAY);
    }
    CHECK(open_close(4));
}
#else
/* Spin until fw_micros() reaches `t` (bounded by 2 s). */
static void wait_until(uint64_t t)
{
    uint64_t start = fw_micros();
    while (fw_micros() < t && fw_micros() - start < 2000000u) {
    }
}

static void run(void)
{
    MvChannelHandle held[4] = { 0, 0, 0, 0 };

    /* Opens 1-4. */
    uint64_t t0 = fw_micros();
    for (uint32_t i = 0; i < 4; i++) {
        open_close(i);
    }
    uint64_t t0_end = fw_micros();

    fw_spin_us(400000);

    /* Opens 5-8, kept. */
    uint64_t t1 = fw_micros();
    for (uint32_t i = 0; i < 4; i++) {
        CHECK_STATUS(open_slot(i, &held[i]), MV_STATUS_OKAY);
    }
    uint64_t t1_end = fw_micros();

    /* The 9th: first the channel limit, then the rate. */
    EXPECT_REFUSED(4, MV_STATUS_TOOMANYCHANNELS);
    CHECK_STATUS(mvCloseChannel(&held[3]), MV_STATUS_OKAY);
    for (int i = 0; i < 5; i++) {
        EXPECT_REFUSED(4, MV_STATUS_RATELIMITED);
    }
    CHECK(fw_micros() - t0 < 1000000u);  /* the refusals were inside the second */

    /* A second after opens 1-4 (and still within one of opens 5-8), four
     * places are free in the window, not more. */
    wait_until(t0_end + 1000000u + 1000u);
    mvtest_log("window 1: %u us after t0, %u us after t1",
               (unsigned)(fw_micros() - t0), (unsigned)(fw_micros() - t1));
    CHECK(fw_micros() - t1 < 1000000u - 50000u);
    CHECK_STATUS(open_slot(3, &held[3]), MV_STATUS_OKAY);  /* 9th */
    CHECK_STATUS(mvCloseChannel(&held[3]), MV_STATUS_OKAY);
    CHECK(open_close(3));                                   /* 10th */
    CHECK(open_close(4));                                   /* 11th */
    CHECK(open_close(3));                                   /* 12th */
    EXPECT_REFUSED(4, MV_STATUS_RATELIMITED);
    CHECK(fw_micros() - t1 < 1000000u);

    /* A second after opens 5-8. */
    wait_until(t1_end + 1000000u + 1000u);
    CHECK(open_close(4));

    for (uint32_t i = 0; i < 3; i++) {
        CHECK_STATUS(mvCloseChannel(&held[i]), MV_STATUS_OKAY);
    }
}
#endif

int main(void)
{
    mvtest_begin(UNLIMITED ? "channels-rate-unlimited" : "channels-rate-limit");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center, ring, 8, IRQ), MV_STATUS_OKAY);
    CHECK_STATUS(fw_request_network(center.handle, TAG, &net), MV_STATUS_OKAY);
    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 1000000u));

    run();

    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
