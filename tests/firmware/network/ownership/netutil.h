/*
 * Small helpers shared by the network ownership tests.
 */
#ifndef MVEMU_OWNERSHIP_NETUTIL_H
#define MVEMU_OWNERSHIP_NETUTIL_H

#include "fwtest.h"

#define PTR(addr) ((void *)(uintptr_t)(addr))
/* What outputs are prefilled with, to see that a failing call wrote nothing. */
#define FILL 0xA5A5A5A5u

/* Spin for `us` microseconds of virtual time. */
static inline void net_spin_us(uint32_t us)
{
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
    }
}

static inline enum MvStatus net_request(MvNotificationHandle center, uint32_t tag,
                                        MvNetworkHandle *out)
{
    struct MvRequestNetworkParams p = {
        .version = 1,
        .v1 = { .notification_handle = center, .notification_tag = tag },
    };
    return mvRequestNetwork(&p, out);
}

/* The network status now, or FILL when the call fails. */
static inline uint32_t net_status(MvNetworkHandle h)
{
    uint32_t s = FILL;
    if (mvGetNetworkStatus(h, (enum MvNetworkStatus *)&s) != MV_STATUS_OKAY) {
        return FILL;
    }
    return s;
}

/* Poll (bounded) until the status is `want`; 1 when it was reached. */
static inline int net_wait_status(MvNetworkHandle h, uint32_t want, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    while (net_status(h) != want) {
        if (fw_micros() - start > timeout_us) {
            return 0;
        }
    }
    return 1;
}

/* mvGetNetworkReasons must succeed and give exactly these values. */
#define CHECK_REASONS(want_reasons, want_count) do {                              \
        uint32_t r_ = FILL, n_ = FILL;                                            \
        CHECK_STATUS(mvGetNetworkReasons((enum MvNetworkReason *)&r_, &n_),       \
                     MV_STATUS_OKAY);                                             \
        CHECK_EQ(r_, (uint32_t)(want_reasons));                                   \
        CHECK_EQ(n_, (uint32_t)(want_count));                                     \
    } while (0)

#endif
