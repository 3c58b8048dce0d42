/*
 * network-stress: 10,000 channel open/close cycles, and 1,000 cycles each of
 * network handle request/release (100 of them releasing a handle that hosts
 * a channel), notification center setup/close and system notification
 * open/close, with the device's limits (4 channels, 16 network handles, 32 centers) at
 * their defaults; only the open rate limit is lifted by the profile.
 *
 * Channel types rotate MQTT, HTTP, CONFIGFETCH; every 10th cycle is an
 * opaque-bytes channel to the runner's TCP echo server that sends 8 bytes,
 * waits (bounded) for the CHANNELDATAREADABLE record and reads the echo
 * before closing, so 1,000 real sockets are
 * opened and closed. Every 5th cycle keeps a second channel open on the other
 * buffer pair while the first is open. Every handle must be OKAY, non-zero,
 * and differ from the last WINDOW channel handles and from the live center
 * and network handles.
 *
 * The runner samples QEMU's open descriptors and RSS at "SAMPLE before"
 * (after a warm-up of every kind of cycle) and at "SAMPLE after" (same
 * resources held: one center, one network handle, no channel) and bounds
 * the growth (meson.build). The firmware idles after each marker so the
 * sample is taken while nothing is happening.
 */
#include <stdint.h>
#include <string.h>

#include "fwtest.h"

#define IRQ_MAIN      TIM1_BRK_IRQn
#define IRQ_SPARE     TIM1_UP_IRQn
#define TAG_NETWORK   0x4e4554u
#define TAG_CHANNEL   0x434800u
#define TAG_EXTRA     0x455854u

#define WARMUP        200u
/* -DCYCLES=N: to see whether RSS growth scales with the number of cycles. */
#ifndef CYCLES
#define CYCLES        10000u
#endif
#define OPAQUE_EVERY  10u      /* cycle % 10 == 9: opaque bytes */
#define PAIR_EVERY    5u       /* cycle % 5 == 0: a second channel at once */
#define SIDE_EVERY    10u      /* cycle % 10 == 3: network handle and center cycles */
#define LOSS_EVERY    100u     /* cycle % 100 == 3: a channel on the released handle */
#define WINDOW        8u
#define ECHO_LEN      8u
#define ECHO_WAIT_US  2000000u
#define IDLE_US       500000u
#define SETTLE_US     50000u

static volatile struct MvNotification ring[32] __attribute__((aligned(8)));
static volatile struct MvNotification spare_ring[8] __attribute__((aligned(8)));
static FwCenter center, spare;

/* Two buffer pairs: a second channel may be open while the first is. */
static uint8_t rx_buffer[2][1024] __attribute__((aligned(512)));
static uint8_t tx_buffer[2][512] __attribute__((aligned(512)));

static MvNetworkHandle network;
static MvChannelHandle recent[WINDOW];
static uint32_t recent_next;
static uint32_t opaque_done, loss_done, side_done;
static volatile uint32_t readable_records;

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
    readable_records += center.last_type == MV_EVENTTYPE_CHANNELDATAREADABLE;
}

void TIM1_UP_IRQHandler(void)
{
    fw_center_isr(&spare);
}

static void idle_us(uint32_t us)
{
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
    }
}

/* A channel handle must be new: non-zero, not one of the last WINDOW, not a
 * live handle of another kind. */
static int fresh_handle(MvChannelHandle h)
{
    int ok = CHECK(h != 0);
    ok &= CHECK(h != network && h != center.handle);
    for (uint32_t i = 0; i < WINDOW; i++) {
        ok &= CHECK(h != recent[i]);
    }
    recent[recent_next] = h;
    recent_next = (recent_next + 1) % WINDOW;
    return ok;
}

static enum MvStatus open_channel(MvNetworkHandle net, uint32_t pair, enum MvChannelType type,
                                  uint32_t tag, MvChannelHandle *h)
{
    static const char echo[] = "echo";
    int opaque = type == MV_CHANNELTYPE_OPAQUEBYTES;
    struct MvOpenChannelParams p = {
        .version = 1,
        .v1 = {
            .notification_handle = center.handle,
            .notification_tag = tag,
            .network_handle = net,
            .receive_buffer = rx_buffer[pair],
            .receive_buffer_len = sizeof rx_buffer[pair],
            .send_buffer = tx_buffer[pair],
            .send_buffer_len = sizeof tx_buffer[pair],
            .channel_type = type,
            .endpoint = { .data = (const uint8_t *)echo, .length = opaque ? 4u : 0u },
        },
    };
    return mvOpenChannel(&p, h);
}

/* Write ECHO_LEN bytes, wait for the record that announces their echo (the
 * application does not poll before it: a polling read takes bytes without
 * a record), then read until the same bytes are back. */
static int echo_round_trip(MvChannelHandle h, uint32_t cycle)
{
    uint8_t msg[ECHO_LEN] = { 'p', 'i', 'n', 'g' };
    memcpy(&msg[4], &cycle, 4);
    uint32_t available = 0;
    uint32_t readable_before = readable_records;
    if (!CHECK_STATUS(mvWriteChannel(h, msg, ECHO_LEN, &available), MV_STATUS_OKAY)) {
        return 0;
    }
    uint64_t start = fw_micros();
    while (readable_records == readable_before) {
        if (fw_micros() - start > ECHO_WAIT_US) {
            mvtest_log("cycle %lu: no CHANNELDATAREADABLE after %u us", (unsigned long)cycle,
                       ECHO_WAIT_US);
            return CHECK(0);
        }
    }
    uint32_t got = 0;
    while (got < ECHO_LEN) {
        uint8_t *data = 0;
        uint32_t len = 0;
        if (!CHECK_STATUS(mvReadChannel(h, &data, &len), MV_STATUS_OKAY)) {
            return 0;
        }
        if (len > 0) {
            if (!CHECK(got + len <= ECHO_LEN) || !CHECK(memcmp(data, &msg[got], len) == 0)) {
                return 0;
            }
            if (!CHECK_STATUS(mvReadChannelComplete(h, len), MV_STATUS_OKAY)) {
                return 0;
            }
            got += len;
        } else if (fw_micros() - start > ECHO_WAIT_US) {
            mvtest_log("cycle %lu: no echo after %u us", (unsigned long)cycle, ECHO_WAIT_US);
            return CHECK(0);
        }
    }
    enum MvClosureReason reason = MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED;
    return CHECK_STATUS(mvGetChannelClosureReason(h, &reason), MV_STATUS_OKAY) &&
           CHECK_EQ(reason, MV_CLOSUREREASON_NONE);
}

static int close_channel(MvChannelHandle *h)
{
    return CHECK_STATUS(mvCloseChannel(h), MV_STATUS_OKAY) && CHECK_EQ(*h, 0u);
}

/* A second network handle requested and released while the main one keeps
 * the connection up; every LOSS_EVERY cycles a channel hosted by it loses its
 * connection when it is released. Then a second center and a system
 * notification are set up and closed. */
static int side_cycle(uint32_t cycle)
{
    struct MvRequestNetworkParams rp = {
        .version = 1,
        .v1 = { .notification_handle = center.handle, .notification_tag = TAG_EXTRA },
    };
    MvNetworkHandle extra = 0;
    if (!CHECK_STATUS(mvRequestNetwork(&rp, &extra), MV_STATUS_OKAY) ||
        !CHECK(extra != 0 && extra != network)) {
        return 0;
    }
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    if (!CHECK_STATUS(mvGetNetworkStatus(extra, &status), MV_STATUS_OKAY) ||
        !CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED)) {
        return 0;
    }
    MvChannelHandle lost = 0;
    if (cycle % LOSS_EVERY == 3) {
        if (!CHECK_STATUS(open_channel(extra, 1, MV_CHANNELTYPE_MQTT, TAG_EXTRA, &lost),
                          MV_STATUS_OKAY) ||
            !fresh_handle(lost)) {
            return 0;
        }
    }
    if (!CHECK_STATUS(mvReleaseNetwork(&extra), MV_STATUS_OKAY) || !CHECK_EQ(extra, 0u)) {
        return 0;
    }
    if (lost) {
        enum MvClosureReason reason = MV_CLOSUREREASON_NONE;
        if (!CHECK_STATUS(mvGetChannelClosureReason(lost, &reason), MV_STATUS_OKAY) ||
            !CHECK_EQ(reason, MV_CLOSUREREASON_NETWORKDISCONNECTED) || !close_channel(&lost)) {
            return 0;
        }
        loss_done++;
    }

    if (!CHECK_STATUS(fw_center_open(&spare, spare_ring, 8, IRQ_SPARE), MV_STATUS_OKAY) ||
        !CHECK(spare.handle != 0 && spare.handle != center.handle)) {
        return 0;
    }
    struct MvOpenSystemNotificationParams sp = {
        .notification_handle = spare.handle,
        .notification_tag = cycle,
        .notification_source = MV_SYSTEMNOTIFICATIONSOURCE_NETWORK,
    };
    MvSystemEventHandle sys = 0;
    if (!CHECK_STATUS(mvOpenSystemNotification(&sp, &sys), MV_STATUS_OKAY) || !CHECK(sys != 0) ||
        !CHECK_STATUS(mvCloseSystemNotification(&sys), MV_STATUS_OKAY) ||
        !CHECK_STATUS(mvCloseNotifications(&spare.handle), MV_STATUS_OKAY)) {
        return 0;
    }
    side_done++;
    return 1;
}

static int cycle_once(uint32_t cycle)
{
    static const enum MvChannelType typed[3] = {
        MV_CHANNELTYPE_MQTT, MV_CHANNELTYPE_HTTP, MV_CHANNELTYPE_CONFIGFETCH,
    };
    int opaque = cycle % OPAQUE_EVERY == OPAQUE_EVERY - 1;
    enum MvChannelType type = opaque ? MV_CHANNELTYPE_OPAQUEBYTES : typed[cycle % 3];
    MvChannelHandle a = 0, b = 0;

    if (!CHECK_STATUS(open_channel(network, 0, type, TAG_CHANNEL | type, &a), MV_STATUS_OKAY) ||
        !fresh_handle(a)) {
        return 0;
    }
    if (cycle % PAIR_EVERY == 0) {
        if (!CHECK_STATUS(open_channel(network, 1, typed[(cycle + 1) % 3], TAG_CHANNEL, &b),
                          MV_STATUS_OKAY) ||
            !fresh_handle(b) || !close_channel(&b)) {
            return 0;
        }
    }
    if (opaque) {
        if (!echo_round_trip(a, cycle)) {
            return 0;
        }
        opaque_done++;
    }
    if (!close_channel(&a)) {
        return 0;
    }
    if (cycle % SIDE_EVERY == 3) {
        return side_cycle(cycle);
    }
    return 1;
}

/* Runs cycles [first, first + count); stops at the first failure. */
static int run_cycles(uint32_t first, uint32_t count)
{
    for (uint32_t i = first; i < first + count; i++) {
        if (!cycle_once(i)) {
            mvtest_log("stopped at cycle %lu", (unsigned long)i);
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    mvtest_begin("network-stress");
    mv_enable_irq();

    CHECK_STATUS(fw_center_open(&center, ring, 32, IRQ_MAIN), MV_STATUS_OKAY);
    struct MvRequestNetworkParams rp = {
        .version = 1,
        .v1 = { .notification_handle = center.handle, .notification_tag = TAG_NETWORK },
    };
    CHECK_STATUS(mvRequestNetwork(&rp, &network), MV_STATUS_OKAY);
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    uint64_t start = fw_micros();
    while (fw_micros() - start < 5000000u &&
           (mvGetNetworkStatus(network, &status) != MV_STATUS_OKAY ||
            status != MV_NETWORKSTATUS_CONNECTED)) {
    }
    if (!CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED)) {
        mvtest_end();
    }

    /* Warm-up: every kind of cycle, so that allocations that persist by
     * design (thread arenas, caches, the translated code) exist before the
     * first sample. */
    if (!run_cycles(0, WARMUP)) {
        mvtest_end();
    }
    idle_us(SETTLE_US);
    mvtest_log("SAMPLE before");
    idle_us(IDLE_US);

    uint64_t t0 = fw_micros();
    opaque_done = loss_done = side_done = 0;
    int ok = run_cycles(WARMUP, CYCLES);
    uint64_t took = fw_micros() - t0;
    mvtest_log("cycles=%lu opaque=%lu side=%lu lost=%lu in %lu ms", (unsigned long)CYCLES,
               (unsigned long)opaque_done, (unsigned long)side_done, (unsigned long)loss_done,
               (unsigned long)(took / 1000u));
    if (ok) {
        CHECK_EQ(opaque_done, CYCLES / OPAQUE_EVERY);
        CHECK_EQ(side_done, CYCLES / SIDE_EVERY);
        CHECK_EQ(loss_done, CYCLES / LOSS_EVERY);
    }

    /* Back to the state of the first sample: one center, one network
     * handle, no channel. Sockets close on the backend's loop thread. */
    enum MvNetworkReason reasons = 0;
    uint32_t count = 99;
    CHECK_STATUS(mvGetNetworkReasons(&reasons, &count), MV_STATUS_OKAY);
    CHECK_EQ(count, 1u);
    CHECK(reasons & MV_NETWORKREASON_USINGNETWORK);
    enum MvClosureReason reason;
    for (uint32_t i = 0; i < WINDOW; i++) {
        CHECK_STATUS(mvGetChannelClosureReason(recent[i], &reason), MV_STATUS_INVALIDHANDLE);
    }
    idle_us(SETTLE_US);
    mvtest_log("SAMPLE after");
    idle_us(IDLE_US);

    /* Every data-readable and lost-channel record reached the ISR (one per
     * opaque cycle at least, one per lost channel, plus CONNECTED). */
    uint32_t expected = 1u + (WARMUP + CYCLES) / OPAQUE_EVERY + (WARMUP + CYCLES) / LOSS_EVERY;
    CHECK(center.received >= expected);
    mvtest_log("records=%lu (at least %lu)", (unsigned long)center.received,
               (unsigned long)expected);

    CHECK_STATUS(mvReleaseNetwork(&network), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetNetworkReasons(&reasons, &count), MV_STATUS_OKAY);
    CHECK_EQ(count, 0u);
    CHECK_STATUS(mvCloseNotifications(&center.handle), MV_STATUS_OKAY);
    mvtest_end();
}
