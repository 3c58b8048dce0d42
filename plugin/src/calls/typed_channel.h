// Finding the channel a typed channel's call names (config fetch, HTTP).
#pragma once

#include "backend.h"

namespace mvemu {

// The channel of class T (of `type`) behind `handle`: any other handle,
// channel or not, is INVALIDHANDLE. With `answered`, one whose answer has
// arrived: while connected and it has not (no request yet, or on its way)
// RESPONSENOTPRESENT; once the connection is gone, CHANNELCLOSED (none will
// come).
template <typename T>
Status find_typed_channel(Backend& b, uint32_t handle, MvChannelType type, bool answered,
                          T*& channel) {
    Channel* c = b.channels().find(handle);
    if (!c || c->type() != type) {
        return MV_STATUS_INVALIDHANDLE;
    }
    channel = static_cast<T*>(c);
    if (answered && !channel->response_present()) {
        return channel->connected() ? MV_STATUS_RESPONSENOTPRESENT : MV_STATUS_CHANNELCLOSED;
    }
    return MV_STATUS_OKAY;
}

}  // namespace mvemu
