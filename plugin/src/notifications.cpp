#include "notifications.h"

#include <algorithm>

namespace mvemu {

namespace L = layout;

namespace {

// A record waiting for a busy line normally goes out from irq_taken(); this
// re-check only covers a line the guest un-pends or disables instead of
// taking the interrupt.
constexpr int64_t kBusyLineRecheckNs = 1'000'000;

}  // namespace

NotificationCenters::NotificationCenters(Host& host, GuestMemory& memory, Scheduler& scheduler,
                                         HandleAllocator& handles, uint32_t max_centers,
                                         uint32_t gap_us)
    : host_(host),
      memory_(memory),
      scheduler_(scheduler),
      centers_(handles),
      max_centers_(max_centers),
      gap_ns_(int64_t{gap_us} * 1000) {}

bool NotificationCenters::overlaps(uint32_t buffer, uint32_t size) {
    for (auto& [handle, c] : centers_) {
        if (MemoryRange{c->buffer, c->slots * L::notification::size}.overlaps({buffer, size})) {
            return true;
        }
    }
    return false;
}

Status NotificationCenters::setup(uint32_t setup_addr, uint32_t handle_out_addr) {
    auto setup = memory_.read_struct(setup_addr, L::notification_setup::size);
    if (!setup || !memory_.writable_aligned(handle_out_addr, 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    uint32_t irq = setup->u32(L::notification_setup::irq);
    uint32_t buffer = setup->u32(L::notification_setup::buffer);
    uint32_t size = setup->u32(L::notification_setup::buffer_size);

    if (size < 2 * L::notification::size || size % L::notification::size != 0) {
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    // Records hold a 64-bit field: the ring must be 8-byte aligned (demos
    // align it so, and Microvisor's doubleword stores would fault otherwise).
    if (!memory_.writable_aligned(buffer, size, 8)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (overlaps(buffer, size)) {
        return MV_STATUS_BUFFERALREADYINUSE;
    }
    if (irq >= host_.irq_count() || uses_irq(irq) || (reserved_ && reserved_(irq))) {
        return MV_STATUS_INVALIDINTERRUPT;
    }
    if (centers_.size() >= max_centers_) {
        return MV_STATUS_TOOMANYNOTIFICATIONBUFFERS;
    }
    auto center = std::make_unique<Center>();
    center->irq = irq;
    center->buffer = buffer;
    center->slots = size / L::notification::size;
    uint32_t handle = centers_.add(std::move(center));
    memory_.write_u32(handle_out_addr, handle);
    return MV_STATUS_OKAY;
}

uint32_t NotificationCenters::center_on_irq(uint32_t irq) const {
    for (const auto& [handle, c] : centers_) {
        if (c->irq == irq) {
            return handle;
        }
    }
    return 0;
}

bool NotificationCenters::uses_irq(uint32_t irq) const { return center_on_irq(irq) != 0; }

void NotificationCenters::irq_taken(uint32_t irq) {
    uint32_t handle = center_on_irq(irq);
    Center* c = handle ? centers_.find(handle) : nullptr;
    if (!c || c->queue.empty()) {
        return;
    }
    scheduler_.cancel(c->retry);
    pump(handle);
}

Status NotificationCenters::close(uint32_t handle_inout_addr) {
    auto handle = memory_.read_u32(handle_inout_addr);
    if (!handle || !memory_.writable(handle_inout_addr, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    Center* c = centers_.find(*handle);
    if (!c) {
        return MV_STATUS_INVALIDHANDLE;
    }
    scheduler_.cancel(c->retry);
    centers_.remove(*handle);
    memory_.write_u32(handle_inout_addr, 0);
    return MV_STATUS_OKAY;
}

Status NotificationCenters::trigger(uint32_t handle, uint32_t event_type, uint32_t tag) {
    return post(handle, event_type, tag) ? MV_STATUS_OKAY : MV_STATUS_INVALIDHANDLE;
}

bool NotificationCenters::post(uint32_t handle, uint32_t event_type, uint32_t tag) {
    Center* c = centers_.find(handle);
    if (!c) {
        return false;
    }
    c->queue.emplace_back(event_type, tag);
    if (c->retry == 0) {
        pump(handle);
    }
    return true;
}

bool NotificationCenters::deliver(Center& c) {
    auto [type, tag] = c.queue.front();
    uint32_t slot = c.buffer + c.write_index * L::notification::size;
    uint64_t micros = static_cast<uint64_t>(host_.clock_ns() / 1000);
    // The whole record is in memory before the interrupt is pended.
    if (!memory_.write_u64(slot + L::notification::microseconds, micros) ||
        !memory_.write_u32(slot + L::notification::event_type, type) ||
        !memory_.write_u32(slot + L::notification::tag, tag)) {
        c.queue.pop_front();  // the ring was validated at setup: cannot happen
        return false;
    }
    c.queue.pop_front();
    c.write_index = (c.write_index + 1) % c.slots;
    host_.irq_pend(c.irq);
    c.next_allowed_ns = host_.clock_ns() + gap_ns_;
    return true;
}

void NotificationCenters::pump(uint32_t handle) {
    Center* c = centers_.find(handle);
    if (!c) {
        return;
    }
    c->retry = 0;
    if (c->queue.empty()) {
        return;
    }
    int64_t now = host_.clock_ns();
    if (now >= c->next_allowed_ns && !host_.irq_busy(c->irq)) {
        deliver(*c);
    }
    if (!c->queue.empty()) {
        // Before the gap has passed: when it ends. Otherwise the line is
        // busy, and the guest must run before it can become free.
        int64_t when = now < c->next_allowed_ns ? c->next_allowed_ns : now + kBusyLineRecheckNs;
        c->retry = scheduler_.at(when, [this, handle] { pump(handle); });
    }
}

void NotificationCenters::reset() {
    for (auto& [handle, c] : centers_) {
        scheduler_.cancel(c->retry);
    }
    centers_.clear();
}

}  // namespace mvemu
