#include "scheduler.h"

namespace mvemu {

Scheduler::TimerId Scheduler::at(int64_t deadline_ns, std::function<void()> fn) {
    TimerId id = next_id_++;
    by_deadline_.emplace(deadline_ns, id);
    timers_.emplace(id, std::make_pair(deadline_ns, std::move(fn)));
    rearm();
    return id;
}

void Scheduler::cancel(TimerId id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) {
        return;
    }
    auto [first, last] = by_deadline_.equal_range(it->second.first);
    for (auto d = first; d != last; ++d) {
        if (d->second == id) {
            by_deadline_.erase(d);
            break;
        }
    }
    timers_.erase(it);
    rearm();
}

void Scheduler::cancel_all() {
    by_deadline_.clear();
    timers_.clear();
    rearm();
}

void Scheduler::run_due() {
    int64_t now = host_.clock_ns();
    while (!by_deadline_.empty() && by_deadline_.begin()->first <= now) {
        TimerId id = by_deadline_.begin()->second;
        by_deadline_.erase(by_deadline_.begin());
        auto node = timers_.extract(id);
        node.mapped().second();
    }
    armed_ = INT64_MIN;  // force re-arming after the host timer fired
    rearm();
}

void Scheduler::rearm() {
    int64_t next = by_deadline_.empty() ? INT64_MAX : by_deadline_.begin()->first;
    if (next != armed_) {
        armed_ = next;
        host_.set_deadline(next);
    }
}

}  // namespace mvemu
