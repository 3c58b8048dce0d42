/*
 * Helpers of the channel tests: mvOpenChannel parameters that are valid
 * until a test spoils one field (the general ones are in common/fwnet.h).
 */
#ifndef MVEMU_CHANNELS_CHUTIL_H
#define MVEMU_CHANNELS_CHUTIL_H

#include "fwnet.h"

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
