/*
 * Helpers of the network ownership tests (the general ones are in
 * common/fwnet.h).
 */
#ifndef MVEMU_OWNERSHIP_NETUTIL_H
#define MVEMU_OWNERSHIP_NETUTIL_H

#include "fwnet.h"

/* mvGetNetworkReasons must succeed and give exactly these values. */
#define CHECK_REASONS(want_reasons, want_count) do {                              \
        uint32_t r_ = FILL, n_ = FILL;                                            \
        CHECK_STATUS(mvGetNetworkReasons((enum MvNetworkReason *)&r_, &n_),       \
                     MV_STATUS_OKAY);                                             \
        CHECK_EQ(r_, (uint32_t)(want_reasons));                                   \
        CHECK_EQ(n_, (uint32_t)(want_count));                                     \
    } while (0)

#endif
