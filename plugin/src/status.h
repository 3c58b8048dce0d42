// System-call status values and struct layouts shared with the firmware.
#pragma once

#include <cstdint>

#include "mv_enums.h"

namespace mvemu {

using Status = MvStatus;

// Arguments of one system call, as the board read them from r0-r3.
struct CallArgs {
    uint32_t a[4];
    bool from_handler;  // the caller was an interrupt handler
    uint32_t caller = 0;  // the call's return address (LR), for the trace
};

}  // namespace mvemu
