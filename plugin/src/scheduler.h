// Work due at a point of the guest's virtual time. The backend has one host
// timer; this keeps the earliest deadline armed on it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>

#include "host.h"

namespace mvemu {

class Scheduler {
public:
    using TimerId = uint64_t;
    explicit Scheduler(Host& host) : host_(host) {}

    TimerId at(int64_t deadline_ns, std::function<void()> fn);
    TimerId after(int64_t delay_ns, std::function<void()> fn) {
        return at(host_.clock_ns() + delay_ns, std::move(fn));
    }
    void cancel(TimerId id);
    void cancel_all();
    // Run everything due by now (callbacks may schedule more), then re-arm.
    void run_due();
    size_t pending() const { return by_deadline_.size(); }

private:
    void rearm();

    Host& host_;
    TimerId next_id_ = 1;
    std::multimap<int64_t, TimerId> by_deadline_;
    std::map<TimerId, std::pair<int64_t, std::function<void()>>> timers_;
    int64_t armed_ = INT64_MAX;
};

}  // namespace mvemu
