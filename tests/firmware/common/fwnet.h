/*
 * Network helpers shared by the firmware tests under network/: requesting a
 * network, reading and awaiting its status (always bounded), and what
 * outputs are prefilled with to show that a failing call wrote nothing.
 */
#ifndef MVEMU_FWNET_H
#define MVEMU_FWNET_H

#include <stdint.h>

#include "fwtest.h"

#define PTR(addr) ((void *)(uintptr_t)(addr))
/* What outputs are prefilled with, to see that a failing call wrote nothing. */
#define FILL 0xA5A5A5A5u

/* Spin for `us` microseconds of virtual time. */
static inline void fw_spin_us(uint32_t us)
{
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
    }
}

static inline enum MvStatus fw_request_network(MvNotificationHandle center, uint32_t tag,
                                               MvNetworkHandle *out)
{
    struct MvRequestNetworkParams p = {
        .version = 1,
        .v1 = { .notification_handle = center, .notification_tag = tag },
    };
    return mvRequestNetwork(&p, out);
}

/* The network status now, or FILL when the call fails. */
static inline uint32_t fw_network_status(MvNetworkHandle h)
{
    uint32_t s = FILL;
    if (mvGetNetworkStatus(h, (enum MvNetworkStatus *)&s) != MV_STATUS_OKAY) {
        return FILL;
    }
    return s;
}

/* Poll (bounded) until the status is `want`; 1 when it was reached. */
static inline int fw_wait_network_status(MvNetworkHandle h, uint32_t want, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    while (fw_network_status(h) != want) {
        if (fw_micros() - start > timeout_us) {
            return 0;
        }
    }
    return 1;
}

#endif
