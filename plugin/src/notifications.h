// Notification centers: rings of 16-byte records in application memory.
//
// Records go into the ring in order from slot 0, overwriting whatever is
// there (the application marks consumed slots itself). Each record pends the
// center's interrupt once. Because the NVIC has one pending bit per line and
// applications consume one record per interrupt, a center delivers its next
// record only once the previous interrupt has been taken (or the line is
// disabled): at once, from the board's exception-entry hook (irq_taken), or
// no sooner than the profile's delivery gap when one is set.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>

#include "abi_layout.h"
#include "guest_memory.h"
#include "handles.h"
#include "scheduler.h"
#include "status.h"

namespace mvemu {

class NotificationCenters {
public:
    NotificationCenters(Host& host, GuestMemory& memory, Scheduler& scheduler,
                        HandleAllocator& handles, uint32_t max_centers, uint32_t gap_us);

    Status setup(uint32_t setup_addr, uint32_t handle_out_addr);
    Status close(uint32_t handle_inout_addr);
    Status trigger(uint32_t handle, uint32_t event_type, uint32_t tag);
    // The CPU has taken `irq`: the center on it may deliver its next record.
    void irq_taken(uint32_t irq);

    // Queue a record for delivery. False if `handle` names no live center
    // (the record is dropped, as on the device when the center was closed).
    bool post(uint32_t handle, uint32_t event_type, uint32_t tag);
    bool exists(uint32_t handle) { return centers_.find(handle) != nullptr; }
    // Whether a live center pends `irq`.
    bool uses_irq(uint32_t irq) const;
    // Lines taken for another purpose (fast interrupts): INVALIDINTERRUPT.
    void set_irq_reserved(std::function<bool(uint32_t)> reserved) { reserved_ = std::move(reserved); }
    size_t count() const { return centers_.size(); }
    // Whether [buffer, buffer + size) touches a live center's ring.
    bool overlaps(uint32_t buffer, uint32_t size);
    void reset();

private:
    struct Center {
        uint32_t irq;
        uint32_t buffer;
        uint32_t slots;
        uint32_t write_index = 0;
        std::deque<std::pair<uint32_t, uint32_t>> queue;  // (event type, tag)
        int64_t next_allowed_ns = 0;
        Scheduler::TimerId retry = 0;
    };

    void pump(uint32_t handle);
    uint32_t center_on_irq(uint32_t irq) const;  // its handle, 0 if none
    bool deliver(Center& c);

    Host& host_;
    GuestMemory& memory_;
    Scheduler& scheduler_;
    HandleTable<Center> centers_;
    std::function<bool(uint32_t)> reserved_;
    uint32_t max_centers_;
    int64_t gap_ns_;
};

}  // namespace mvemu
