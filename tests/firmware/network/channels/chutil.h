/*
 * Small helpers shared by the channel tests: a center, a CONNECTED network
 * handle, and mvOpenChannel parameters that are valid until a test spoils
 * one field.
 */
#ifndef MVEMU_CHANNELS_CHUTIL_H
#define MVEMU_CHANNELS_CHUTIL_H

#include "fwtest.h"

#define PTR(addr) ((void *)(uintptr_t)(addr))
/* What outputs are prefilled with, to see that a failing call wrote nothing. */
#define FILL 0xA5A5A5A5u

/* Spin for `us` microseconds of virtual time. */
static inline void ch_spin_us(uint32_t us)
{
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
    }
}

static inline enum MvStatus ch_request(MvNotificationHandle center, uint32_t tag,
                                       MvNetworkHandle *out)
{
    struct MvRequestNetworkParams p = {
        .version = 1,
        .v1 = { .notification_handle = center, .notification_tag = tag },
    };
    return mvRequestNetwork(&p, out);
}

/* Poll (bounded) until the network is CONNECTED; 1 when it is. */
static inline int ch_wait_connected(MvNetworkHandle h, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    for (;;) {
        uint32_t s = FILL;
        if (mvGetNetworkStatus(h, (enum MvNetworkStatus *)&s) == MV_STATUS_OKAY &&
            s == MV_NETWORKSTATUS_CONNECTED) {
            return 1;
        }
        if (fw_micros() - start > timeout_us) {
            return 0;
        }
    }
}

/* Valid parameters: a typed channel with an empty endpoint. */
static inline struct MvOpenChannelParams ch_params(MvNotificationHandle center, uint32_t tag,
                                                   MvNetworkHandle net, enum MvChannelType type,
                                                   void *rx, uint32_t rx_len,
                                                   void *tx, uint32_t tx_len)
{
    struct MvOpenChannelParams p = {
        .version = 1,
        .v1 = {
            .notification_handle = center,
            .notification_tag = tag,
            .network_handle = net,
            .receive_buffer = (uint8_t *)rx,
            .receive_buffer_len = rx_len,
            .send_buffer = (uint8_t *)tx,
            .send_buffer_len = tx_len,
            .channel_type = type,
            .endpoint = { .data = (const uint8_t *)"", .length = 0 },
        },
    };
    return p;
}

#endif
