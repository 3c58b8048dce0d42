/*
 * Helpers shared by the link tests (tests/firmware/network/link/): a
 * notification center that counts the records it consumed by type and tag
 * and logs the first LINK_LOG_SIZE of them (type, tag, timestamp), bounded
 * waits on those counts and on the network status, and a short way to fill
 * in MvOpenChannelParams.
 *
 * Header-only (static functions) so each test stays one main.c.
 */
#ifndef MVEMU_LINKTEST_H
#define MVEMU_LINKTEST_H

#include <stdint.h>
#include <string.h>

#include "fwnet.h"
#include "fwtest.h"

#define LINK_LOG_SIZE 256u
#define LINK_KINDS 16u

typedef struct LinkRecord {
    uint32_t type;
    uint32_t tag;
    uint64_t us;
} LinkRecord;

typedef struct LinkCenter {
    FwCenter c;
    /* Every record, counted by (type, tag); kinds beyond LINK_KINDS count
     * in `others` (a test that sees it non-zero has too many kinds). */
    volatile struct { uint32_t type, tag, count; } kinds[LINK_KINDS];
    volatile uint32_t nkinds, others;
    LinkRecord log[LINK_LOG_SIZE];  /* the first records only */
} LinkCenter;

/* Call from the center's IRQ handler: count and log the record, then consume it. */
static inline void link_isr(LinkCenter *lc)
{
    volatile struct MvNotification *n = &lc->c.records[lc->c.read_index];
    uint32_t type = n->event_type, tag = n->tag;
    uint32_t i = lc->c.received;
    if (i < LINK_LOG_SIZE) {
        lc->log[i].type = type;
        lc->log[i].tag = tag;
        lc->log[i].us = n->microseconds;
    }
    uint32_t k = 0;
    while (k < lc->nkinds && (lc->kinds[k].type != type || lc->kinds[k].tag != tag)) {
        k++;
    }
    if (k == lc->nkinds && k < LINK_KINDS) {
        lc->kinds[k].type = type;
        lc->kinds[k].tag = tag;
        lc->kinds[k].count = 0;
        lc->nkinds = k + 1;
    }
    if (k < LINK_KINDS) {
        lc->kinds[k].count++;
    } else {
        lc->others++;
    }
    fw_center_isr(&lc->c);
}

/* Records of `type` with `tag` consumed so far. */
static inline uint32_t link_count(LinkCenter *lc, uint32_t type, uint32_t tag)
{
    uint32_t nkinds = lc->nkinds;
    for (uint32_t k = 0; k < nkinds; k++) {
        if (lc->kinds[k].type == type && lc->kinds[k].tag == tag) {
            return lc->kinds[k].count;
        }
    }
    return 0;
}

/* The `nth` (0-based) record of `type` with `tag` among the first
 * LINK_LOG_SIZE, or NULL. */
static inline const LinkRecord *link_find(LinkCenter *lc, uint32_t type, uint32_t tag,
                                          uint32_t nth)
{
    uint32_t received = lc->c.received;
    if (received > LINK_LOG_SIZE) {
        received = LINK_LOG_SIZE;
    }
    for (uint32_t i = 0; i < received; i++) {
        if (lc->log[i].type == type && lc->log[i].tag == tag && nth-- == 0) {
            return &lc->log[i];
        }
    }
    return 0;
}

/* Spin (bounded by virtual time) until `count` records of type/tag arrived. */
static inline int link_wait(LinkCenter *lc, uint32_t type, uint32_t tag, uint32_t count,
                            uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    while (link_count(lc, type, tag) < count) {
        if (fw_micros() - start > timeout_us) {
            return 0;
        }
    }
    return 1;
}

/* Poll mvGetNetworkStatus until it is `want`; returns the last status seen. */
static inline enum MvNetworkStatus link_wait_status(MvNetworkHandle net, enum MvNetworkStatus want,
                                                    uint32_t timeout_us)
{
    enum MvNetworkStatus s = (enum MvNetworkStatus)0xffu;
    uint64_t start = fw_micros();
    do {
        if (mvGetNetworkStatus(net, &s) == MV_STATUS_OKAY && s == want) {
            break;
        }
    } while (fw_micros() - start < timeout_us);
    return s;
}

static inline enum MvStatus link_request(LinkCenter *lc, uint32_t tag, MvNetworkHandle *net)
{
    return fw_request_network(lc->c.handle, tag, net);
}

/* Open a channel; `endpoint` may be "" (typed channels). */
static inline enum MvStatus link_open(LinkCenter *lc, uint32_t tag, MvNetworkHandle net,
                                      enum MvChannelType type, const char *endpoint,
                                      uint8_t *rx, uint32_t rx_len, uint8_t *tx, uint32_t tx_len,
                                      MvChannelHandle *out)
{
    struct MvOpenChannelParams p = {
        .version = 1,
        .v1 = {
            .notification_handle = lc->c.handle,
            .notification_tag = tag,
            .network_handle = net,
            .receive_buffer = rx,
            .receive_buffer_len = rx_len,
            .send_buffer = tx,
            .send_buffer_len = tx_len,
            .channel_type = type,
            .endpoint = { .data = (const uint8_t *)endpoint, .length = (uint32_t)strlen(endpoint) },
        },
    };
    return mvOpenChannel(&p, out);
}

static inline enum MvClosureReason link_reason(MvChannelHandle h)
{
    enum MvClosureReason r = (enum MvClosureReason)0xffu;
    if (mvGetChannelClosureReason(h, &r) != MV_STATUS_OKAY) {
        return (enum MvClosureReason)0xfeu;
    }
    return r;
}

/*
 * Read `len` bytes from an opaque-bytes channel into `out`, completing each
 * piece as it is copied, within `timeout_us`. Returns the number of bytes
 * read (less than `len` on timeout or error).
 */
static inline uint32_t link_read_exact(MvChannelHandle h, uint8_t *out, uint32_t len,
                                       uint32_t timeout_us)
{
    uint32_t got = 0;
    uint64_t start = fw_micros();
    while (got < len && fw_micros() - start < timeout_us) {
        uint8_t *p = 0;
        uint32_t n = 0;
        if (mvReadChannel(h, &p, &n) != MV_STATUS_OKAY) {
            break;
        }
        if (n > len - got) {
            n = len - got;
        }
        if (n > 0) {
            memcpy(out + got, p, n);
            got += n;
            if (mvReadChannelComplete(h, n) != MV_STATUS_OKAY) {
                break;
            }
        }
    }
    return got;
}

#endif
