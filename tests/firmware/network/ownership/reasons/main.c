/*
 * network-ownership-reasons: who owns the connection and what
 * mvGetNetworkReasons reports, from boot through requests and releases
 * (docs/network.md "Ownership and status").
 *
 *   boot, no request yet      NEVERUSEDNETWORKAPI | COLDBOOTCONNECTION, 0
 *   handles held              USINGNETWORK, number of live handles
 *   every handle released     0, 0 (the boot flags never come back)
 *
 * Built twice: EXPECT_RTC is 0 with the default profile and 1 with
 * [time] wall_clock = "not-set", which adds RTCNOTSET to every answer.
 */
#include "fwtest.h"
#include "../netutil.h"

#ifndef EXPECT_RTC
#define EXPECT_RTC 0
#endif
#define RTC (EXPECT_RTC ? MV_NETWORKREASON_RTCNOTSET : 0u)
#define BOOT_REASONS \
    (MV_NETWORKREASON_NEVERUSEDNETWORKAPI | MV_NETWORKREASON_COLDBOOTCONNECTION | RTC)
#define USING (MV_NETWORKREASON_USINGNETWORK | RTC)

#define IRQ TIM1_BRK_IRQn
#define TAG 0x52454153u

static volatile struct MvNotification ring[8] __attribute__((aligned(8)));
static FwCenter center;

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
}

int main(void)
{
    mvtest_begin("network-ownership-reasons");
    mv_enable_irq();

    /* Callable before anything else, also before any center exists. */
    CHECK_REASONS(BOOT_REASONS, 0);

    /* Microvisor's boot connection comes up (100 ms) and changes nothing. */
    fw_spin_us(150000);
    CHECK_REASONS(BOOT_REASONS, 0);

    CHECK_STATUS(fw_center_open(&center, ring, 8, IRQ), MV_STATUS_OKAY);

    /* The first request takes over a connection that is already up. */
    MvNetworkHandle h1 = 0, h2 = 0, h3 = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG, &h1), MV_STATUS_OKAY);
    CHECK(h1 != 0);
    CHECK_EQ(fw_network_status(h1), MV_NETWORKSTATUS_CONNECTED);
    CHECK_REASONS(USING, 1);

    /* A second request: a new handle, counted. */
    CHECK_STATUS(fw_request_network(center.handle, TAG, &h2), MV_STATUS_OKAY);
    CHECK(h2 != 0 && h2 != h1 && h2 != center.handle);
    CHECK_EQ(fw_network_status(h2), MV_NETWORKSTATUS_CONNECTED);
    CHECK_REASONS(USING, 2);

    /* Releasing one leaves the other's connection up. */
    MvNetworkHandle old1 = h1;
    CHECK_STATUS(mvReleaseNetwork(&h1), MV_STATUS_OKAY);
    CHECK_EQ(h1, 0u);
    CHECK_REASONS(USING, 1);
    CHECK_EQ(fw_network_status(h2), MV_NETWORKSTATUS_CONNECTED);
    CHECK_STATUS(mvGetNetworkStatus(old1, (enum MvNetworkStatus *)&(uint32_t){0}),
                 MV_STATUS_INVALIDHANDLE);

    /* Releasing the last: nobody uses the network; the boot flags stay gone,
     * also after a while (Microvisor does not take the link back). */
    MvNetworkHandle old2 = h2;
    CHECK_STATUS(mvReleaseNetwork(&h2), MV_STATUS_OKAY);
    CHECK_EQ(h2, 0u);
    CHECK_REASONS(RTC, 0);
    fw_spin_us(150000);
    CHECK_REASONS(RTC, 0);

    /* A new request brings the connection up again: CONNECTING at once,
     * CONNECTED after bring_up_ms (100 ms). */
    uint64_t t0 = fw_micros();
    CHECK_STATUS(fw_request_network(center.handle, TAG, &h3), MV_STATUS_OKAY);
    CHECK(h3 != 0 && h3 != old1 && h3 != old2);
    CHECK_EQ(fw_network_status(h3), MV_NETWORKSTATUS_CONNECTING);
    CHECK_REASONS(USING, 1);
    CHECK(fw_wait_network_status(h3, MV_NETWORKSTATUS_CONNECTED, 1000000u));
    uint64_t took = fw_micros() - t0;
    mvtest_log("connected again after %u us", (unsigned)took);
    CHECK(took >= 100000u);
    CHECK(took < 500000u);
    CHECK_REASONS(USING, 1);

    /* Only that bring-up was announced (the first two requests found the
     * connection up, and the release posts nothing). */
    CHECK(fw_center_wait(&center, 1, 1000000u));
    fw_spin_us(20000);
    CHECK_EQ(center.received, 1u);
    CHECK_EQ(center.last_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);

    CHECK_STATUS(mvReleaseNetwork(&h3), MV_STATUS_OKAY);
    CHECK_REASONS(RTC, 0);
    mvtest_end();
}
