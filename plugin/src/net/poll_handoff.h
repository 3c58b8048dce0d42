// While the application reads a socket itself (system calls on the vCPU
// thread), the loop thread stops watching that socket for reading: otherwise
// both wake for every segment that arrives and take turns on a 2-core host.
// Woken by data, the loop thread leaves it to the application only if that
// read the socket lately and reads it again within kConfirmNs (a spinning
// firmware reads every microsecond or two; one that read once and now waits
// for its notification does not, and gets its data at once). It then looks
// again soon, and less and less often while the polls go on; once an
// interval passes without one, it watches again.
#pragma once

#include <glib.h>

#include <atomic>
#include <cstdint>
#include <functional>

#include "event_loop.h"

namespace mvemu {

class PollHandoff {
public:
    // A read of the socket this recent suggests the application is polling;
    // one more within kConfirmNs of the loop thread's wake-up confirms it.
    static constexpr int64_t kPollingWindowNs = 50'000;
    static constexpr int64_t kConfirmNs = 10'000;
    // The first look after stopping, doubled while the polls go on, up to
    // the last.
    static constexpr int64_t kFirstRecheckNs = 10'000;
    static constexpr int64_t kLastRecheckNs = 200'000;

    explicit PollHandoff(EventLoop& loop) : loop_(loop) {}
    ~PollHandoff();
    PollHandoff(const PollHandoff&) = delete;
    PollHandoff& operator=(const PollHandoff&) = delete;

    // Any thread: the application just read the socket itself.
    void polled();
    // Loop thread, woken by data: whether to leave reading to the
    // application (it may wait up to kConfirmNs to tell).
    bool polling() const;
    // Loop thread: run `resume` once an interval passes with no poll.
    // False if no timer could be made (the caller then keeps watching).
    bool resume_after_polls(std::function<void()> resume);
    // How often reading was left to the application (tests).
    uint64_t handoffs() const { return handoffs_.load(std::memory_order_relaxed); }
    // Loop thread: forget a pending resume (before destruction, too).
    void cancel();

private:
    bool arm(int64_t delay_ns);
    bool on_timer();

    EventLoop& loop_;
    std::atomic<int64_t> last_poll_ns_{INT64_MIN / 2};
    std::atomic<uint64_t> polls_{0};
    std::atomic<uint64_t> handoffs_{0};
    // Loop thread only.
    uint64_t polls_seen_ = 0;  // polls_ when the timer was armed
    int64_t delay_ns_ = 0;
    int timer_fd_ = -1;
    guint timer_watch_ = 0;
    std::function<void()> resume_;
};

}  // namespace mvemu
