// While the application reads a socket itself (system calls on the vCPU
// thread), the loop thread stops watching that socket for reading: otherwise
// both wake for every segment that arrives and take turns on a 2-core host.
// Once the polls stop, the watch comes back within kRecheck, so an
// application that then waits for its notification still gets it.
#pragma once

#include <glib.h>

#include <atomic>
#include <cstdint>
#include <functional>

#include "event_loop.h"

namespace mvemu {

class PollHandoff {
public:
    // A poll this recent means the application is still polling.
    static constexpr int64_t kPollingWindowNs = 50'000;
    // How often the parked loop thread looks again.
    static constexpr int64_t kRecheckNs = 200'000;

    explicit PollHandoff(EventLoop& loop) : loop_(loop) {}
    ~PollHandoff();
    PollHandoff(const PollHandoff&) = delete;
    PollHandoff& operator=(const PollHandoff&) = delete;

    // Any thread: the application just read the socket.
    void polled();
    // Loop thread: whether it should leave reading to the application now.
    bool polling() const;
    // Loop thread: run `resume` once the application has stopped polling.
    // False if no timer could be made (the caller then keeps watching).
    bool resume_after_polls(std::function<void()> resume);
    // Loop thread: forget a pending resume (before destruction, too).
    void cancel();

private:
    bool arm();
    bool on_timer();

    EventLoop& loop_;
    std::atomic<int64_t> last_poll_ns_{INT64_MIN / 2};
    int timer_fd_ = -1;
    guint timer_watch_ = 0;
    std::function<void()> resume_;
};

}  // namespace mvemu
