// The pattern every release/close call shares: read the handle behind a
// pointer the call will zero, end the resource, then write 0 back.
#pragma once

#include "guest_memory.h"
#include "status.h"

namespace mvemu {

// `end(handle)` returns false when the handle names no live resource.
template <typename End>
Status end_resource(GuestMemory& memory, uint32_t handle_in_out, End&& end) {
    auto handle = memory.writable_aligned(handle_in_out, 4, 4) ? memory.read_u32(handle_in_out)
                                                               : std::nullopt;
    if (!handle) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (!end(*handle)) {
        return MV_STATUS_INVALIDHANDLE;
    }
    memory.write_u32(handle_in_out, 0);
    return MV_STATUS_OKAY;
}

}  // namespace mvemu
