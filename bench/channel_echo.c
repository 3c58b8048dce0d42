/*
 * Benchmark: the network data path of an opaque-bytes channel.
 *
 * The channel (an emulator extension, docs/network.md) goes to endpoint
 * "echo", a TCP echo server that bench/run starts on 127.0.0.1 and names in
 * a temporary profile. Each byte written goes from the send buffer through
 * the backend's event-loop thread to the socket; the echo comes back through
 * the main-loop queue into the receive buffer, announced by a
 * CHANNELDATAREADABLE notification.
 *
 *  - Round trips: ROUNDS rounds of TRIPS round trips of TRIP_BYTES bytes:
 *    mvWriteChannel, then spin on mvReadChannel until all bytes are back
 *    (bounded), mvReadChannelComplete. Each echo is compared with what was
 *    sent (each trip carries its number).
 *  - Notified round trips: NOTIFIED_TRIPS round trips that wait for the
 *    CHANNELDATAREADABLE record (spinning on the ISR's count, as an RTOS
 *    task waits for its ISR) before reading, as interrupt-driven firmware
 *    does: once without reading before the record, once after one
 *    mvReadChannel that finds nothing (the loop thread then leaves the
 *    socket to the firmware until its polls stop, docs/network.md).
 *  - Stream: STREAM_BYTES with mvWriteChannelStream while reading the echo
 *    back as it comes, STREAM_ROUNDS times.
 *
 * Without -icount QEMU's virtual clock (mvGetMicroseconds) follows the
 * host's clock, so the firmware times itself. bench/run reads the BENCH lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvemu_cm33.h"
#include "mvtest.h"
#include "stm32u585_irq.h"

#define ROUNDS 3
#define TRIPS 2000u
#define TRIP_BYTES 64u
#define NOTIFIED_TRIPS 500u
#define STREAM_ROUNDS 3
#define STREAM_BYTES (1024u * 1024u)
#define BUF 1024u
#define TRIP_TIMEOUT_US 2000000u     /* one round trip, virtual time */
#define STREAM_TIMEOUT_US 60000000u  /* one stream round */

#define TAG_NET 0x4e4554u
#define TAG_ECHO 0x454348u
#define SLOTS 16u

static uint8_t rx[BUF] __attribute__((aligned(512)));
static uint8_t tx[BUF] __attribute__((aligned(512)));

/* One notification center for the network and the channel; its ISR counts
 * the records by type, the way a demo application consumes them. */
static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static volatile uint32_t ring_index;
static volatile uint32_t seen[6];  /* by MvEventType */

void TIM1_UP_IRQHandler(void)
{
    volatile struct MvNotification *n = &ring[ring_index];
    uint32_t type = n->event_type;
    if (type < 6u) {
        seen[type]++;
    }
    n->event_type = MV_EVENTTYPE_NOEVENT;
    ring_index = (ring_index + 1u) % SLOTS;
}

static uint64_t now_us(void)
{
    uint64_t us = 0;
    mvGetMicroseconds(&us);
    return us;
}

static enum MvStatus open_center(MvNotificationHandle *center)
{
    static struct MvNotificationSetup setup;
    memset((void *)ring, 0, sizeof ring);
    setup.irq = TIM1_UP_IRQn;
    setup.buffer = (struct MvNotification *)ring;
    setup.buffer_size = sizeof ring;
    enum MvStatus s = mvSetupNotifications(&setup, center);
    if (s == MV_STATUS_OKAY) {
        mv_nvic_clear_pending(TIM1_UP_IRQn);
        mv_nvic_enable_irq(TIM1_UP_IRQn);
    }
    return s;
}

static int wait_connected(MvNetworkHandle net)
{
    uint64_t start = now_us();
    enum MvNetworkStatus s = MV_NETWORKSTATUS_CONNECTING;
    while (now_us() - start < 10000000u) {
        if (mvGetNetworkStatus(net, &s) == MV_STATUS_OKAY && s == MV_NETWORKSTATUS_CONNECTED) {
            return 1;
        }
    }
    return 0;
}

/* Read exactly `len` bytes into `out`, completing each piece; bounded. */
static int read_exact(MvChannelHandle h, uint8_t *out, uint32_t len, uint32_t timeout_us)
{
    uint32_t got = 0;
    uint64_t start = 0;
    int timed = 0;
    while (got < len) {
        uint8_t *p = 0;
        uint32_t n = 0;
        if (mvReadChannel(h, &p, &n) != MV_STATUS_OKAY) {
            return 0;
        }
        if (n == 0) {
            /* Only look at the clock while waiting. */
            if (!timed) {
                start = now_us();
                timed = 1;
            } else if (now_us() - start > timeout_us) {
                return 0;
            }
            continue;
        }
        if (n > len - got) {
            n = len - got;
        }
        memcpy(out + got, p, n);
        got += n;
        if (mvReadChannelComplete(h, n) != MV_STATUS_OKAY) {
            return 0;
        }
    }
    return 1;
}

/* NOTIFIED_TRIPS round trips, each read only once its record was taken
 * (after one empty read first when `poll_first`); per-trip times (µs) in
 * `trip_us`. Returns the trips done. */
static uint32_t notified_trips(MvChannelHandle echo, int poll_first, uint32_t *trip_us)
{
    static uint8_t out[TRIP_BYTES], back[TRIP_BYTES];
    for (uint32_t i = 0; i < NOTIFIED_TRIPS; i++) {
        memset(out, (int)i, sizeof out);
        uint32_t readable = seen[MV_EVENTTYPE_CHANNELDATAREADABLE];
        uint64_t start = now_us();
        uint32_t available = 0;
        if (!CHECK_STATUS(mvWriteChannel(echo, out, TRIP_BYTES, &available), MV_STATUS_OKAY)) {
            return i;
        }
        if (poll_first) {
            uint8_t *p = 0;
            uint32_t n = 0;
            if (!CHECK_STATUS(mvReadChannel(echo, &p, &n), MV_STATUS_OKAY)) {
                return i;
            }
            if (n > 0) {
                readable--;  /* the echo was already there: no record comes for it */
            }
        }
        while (seen[MV_EVENTTYPE_CHANNELDATAREADABLE] == readable) {
            if (now_us() - start > TRIP_TIMEOUT_US) {
                CHECK(0);
                return i;
            }
        }
        if (!CHECK(read_exact(echo, back, TRIP_BYTES, TRIP_TIMEOUT_US)) ||
            !CHECK(memcmp(out, back, TRIP_BYTES) == 0)) {
            return i;
        }
        trip_us[i] = (uint32_t)(now_us() - start);
    }
    return NOTIFIED_TRIPS;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* TRIPS round trips; per-trip times (µs) in `trip_us`. Returns the trips done. */
static uint32_t round_trips(MvChannelHandle echo, uint32_t first, uint32_t *trip_us)
{
    static uint8_t out[TRIP_BYTES], back[TRIP_BYTES];
    for (uint32_t i = 0; i < TRIP_BYTES; i++) {
        out[i] = (uint8_t)(i * 7u + 13u);
    }
    uint64_t last = now_us();
    for (uint32_t i = 0; i < TRIPS; i++) {
        uint32_t trip = first + i;
        memcpy(out, &trip, sizeof trip);
        uint32_t available = 0;
        if (!CHECK_STATUS(mvWriteChannel(echo, out, TRIP_BYTES, &available), MV_STATUS_OKAY) ||
            !CHECK(read_exact(echo, back, TRIP_BYTES, TRIP_TIMEOUT_US)) ||
            !CHECK(memcmp(out, back, TRIP_BYTES) == 0)) {
            return i;
        }
        uint64_t t = now_us();
        trip_us[i] = (uint32_t)(t - last);
        last = t;
    }
    return TRIPS;
}

/*
 * Stream `total` bytes with mvWriteChannelStream while reading the echo back;
 * stream position i carries (uint8_t)i, and the first and last byte of every
 * piece read are checked (cheaply: the guest's own work is not the subject).
 * Returns the bytes received.
 */
static uint32_t stream(MvChannelHandle echo, uint32_t total, uint32_t *mismatches)
{
    static uint8_t src[BUF];
    for (uint32_t i = 0; i < BUF; i++) {
        src[i] = (uint8_t)i;
    }
    uint32_t sent = 0, received = 0;
    *mismatches = 0;
    uint64_t start = now_us();
    uint32_t polls = 0;
    while (received < total) {
        if (sent < total) {
            uint32_t off = sent % BUF;
            uint32_t n = BUF - off < total - sent ? BUF - off : total - sent;
            uint32_t written = 0;
            if (mvWriteChannelStream(echo, src + off, n, &written) != MV_STATUS_OKAY) {
                break;
            }
            sent += written;
        }
        uint8_t *p = 0;
        uint32_t n = 0;
        if (mvReadChannel(echo, &p, &n) != MV_STATUS_OKAY) {
            break;
        }
        if (n > 0) {
            *mismatches += p[0] != (uint8_t)received;
            *mismatches += p[n - 1] != (uint8_t)(received + n - 1);
            received += n;
            if (mvReadChannelComplete(echo, n) != MV_STATUS_OKAY) {
                break;
            }
        } else if ((++polls & 1023u) == 0 && now_us() - start > STREAM_TIMEOUT_US) {
            break;
        }
    }
    return received;
}

int main(void)
{
    static uint32_t trip_us[TRIPS], sorted[TRIPS];

    mvtest_begin("channel-echo");
    mv_enable_irq();
    MvNotificationHandle center = 0;
    if (!CHECK_STATUS(open_center(&center), MV_STATUS_OKAY)) {
        mvtest_end();
    }
    struct MvRequestNetworkParams req = {
        .version = 1,
        .v1 = { .notification_handle = center, .notification_tag = TAG_NET },
    };
    MvNetworkHandle net = 0;
    if (!CHECK_STATUS(mvRequestNetwork(&req, &net), MV_STATUS_OKAY) ||
        !CHECK(wait_connected(net))) {
        mvtest_end();
    }
    static const char endpoint[] = "echo";
    struct MvOpenChannelParams open = {
        .version = 1,
        .v1 = {
            .notification_handle = center,
            .notification_tag = TAG_ECHO,
            .network_handle = net,
            .receive_buffer = rx,
            .receive_buffer_len = sizeof rx,
            .send_buffer = tx,
            .send_buffer_len = sizeof tx,
            .channel_type = MV_CHANNELTYPE_OPAQUEBYTES,
            .endpoint = { .data = (const uint8_t *)endpoint, .length = sizeof endpoint - 1 },
        },
    };
    MvChannelHandle echo = 0;
    if (!CHECK_STATUS(mvOpenChannel(&open, &echo), MV_STATUS_OKAY)) {
        mvtest_end();
    }

    /* Warm up: the connection is made, the code paths translated. */
    if (!CHECK_EQ(round_trips(echo, 0xffff0000u, trip_us), TRIPS)) {
        mvtest_end();
    }

    for (int round = 0; round < ROUNDS; round++) {
        uint32_t readable = seen[MV_EVENTTYPE_CHANNELDATAREADABLE];
        uint64_t t0 = now_us();
        uint32_t done = round_trips(echo, (uint32_t)round * TRIPS, trip_us);
        uint64_t t1 = now_us();
        if (!CHECK_EQ(done, TRIPS)) {
            break;
        }
        memcpy(sorted, trip_us, sizeof sorted);
        qsort(sorted, TRIPS, sizeof sorted[0], compare_u32);
        /* mean from the round's total (ns); median and minimum per trip (µs
         * resolution); CHANNELDATAREADABLE records taken by the ISR */
        mvtest_log("BENCH channel-echo round=%d trips=%lu bytes=%lu mean_ns=%lu median_us=%lu "
                   "min_us=%lu readable=%lu",
                   round, (unsigned long)TRIPS, (unsigned long)TRIP_BYTES,
                   (unsigned long)((t1 - t0) * 1000u / TRIPS), (unsigned long)sorted[TRIPS / 2],
                   (unsigned long)sorted[0],
                   (unsigned long)(seen[MV_EVENTTYPE_CHANNELDATAREADABLE] - readable));
    }

    for (int poll_first = 0; poll_first <= 1 && mvtest_failures() == 0; poll_first++) {
        uint32_t done = notified_trips(echo, poll_first, trip_us);
        if (!CHECK_EQ(done, NOTIFIED_TRIPS)) {
            break;
        }
        memcpy(sorted, trip_us, NOTIFIED_TRIPS * sizeof sorted[0]);
        qsort(sorted, NOTIFIED_TRIPS, sizeof sorted[0], compare_u32);
        mvtest_log("BENCH channel-notified after=%s trips=%lu median_us=%lu",
                   poll_first ? "poll" : "write", (unsigned long)NOTIFIED_TRIPS,
                   (unsigned long)sorted[NOTIFIED_TRIPS / 2]);
    }

    for (int round = 0; round < STREAM_ROUNDS && mvtest_failures() == 0; round++) {
        uint32_t readable = seen[MV_EVENTTYPE_CHANNELDATAREADABLE];
        uint32_t writespace = seen[MV_EVENTTYPE_CHANNELDATAWRITESPACE];
        uint32_t mismatches = 0;
        uint64_t t0 = now_us();
        uint32_t received = stream(echo, STREAM_BYTES, &mismatches);
        uint64_t t1 = now_us();
        if (!CHECK_EQ(received, STREAM_BYTES) || !CHECK_EQ(mismatches, 0u)) {
            break;
        }
        mvtest_log("BENCH channel-stream round=%d bytes=%lu us=%lu readable=%lu writespace=%lu",
                   round, (unsigned long)STREAM_BYTES, (unsigned long)(t1 - t0),
                   (unsigned long)(seen[MV_EVENTTYPE_CHANNELDATAREADABLE] - readable),
                   (unsigned long)(seen[MV_EVENTTYPE_CHANNELDATAWRITESPACE] - writespace));
    }

    CHECK_STATUS(mvCloseChannel(&echo), MV_STATUS_OKAY);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
