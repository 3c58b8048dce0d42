// Work handed from the backend's own threads to QEMU's main loop, where guest
// state may change. Any thread may post; drain() runs on the main loop.
#pragma once

#include <deque>
#include <functional>
#include <mutex>

#include "host.h"

namespace mvemu {

class MainQueue {
public:
    explicit MainQueue(Host& host) : host_(host) {}

    void post(std::function<void()> work);
    // Runs what was queued before the call; returns how many items ran.
    size_t drain();
    // Drop queued work (machine reset); work posted later still runs.
    void clear();

private:
    Host& host_;
    std::mutex mutex_;
    std::deque<std::function<void()>> items_;
};

}  // namespace mvemu
