#include "net/poll_handoff.h"

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

namespace mvemu {

namespace {

int64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

PollHandoff::~PollHandoff() {
    // The owner cancelled on the loop thread; otherwise the loop is gone
    // and took the watch with it.
    if (timer_fd_ >= 0) {
        ::close(timer_fd_);
    }
}

void PollHandoff::polled() {
    last_poll_ns_.store(monotonic_ns(), std::memory_order_relaxed);
    polls_.fetch_add(1, std::memory_order_relaxed);
}

bool PollHandoff::polling() const {
    int64_t now = monotonic_ns();
    if (now - last_poll_ns_.load(std::memory_order_relaxed) >= kPollingWindowNs) {
        return false;
    }
    uint64_t seen = polls_.load(std::memory_order_relaxed);
    for (int64_t until = now + kConfirmNs; monotonic_ns() < until;) {
        if (polls_.load(std::memory_order_relaxed) != seen) {
            return true;
        }
    }
    return false;
}

bool PollHandoff::resume_after_polls(std::function<void()> resume) {
    if (timer_fd_ < 0) {
        timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (timer_fd_ < 0) {
            return false;
        }
    }
    resume_ = std::move(resume);
    if (!arm(kFirstRecheckNs)) {
        resume_ = nullptr;
        return false;
    }
    if (timer_watch_ == 0) {
        timer_watch_ = loop_.watch_fd(timer_fd_, G_IO_IN, [this](GIOCondition) { return on_timer(); });
    }
    handoffs_.fetch_add(1, std::memory_order_relaxed);
    return true;
}

bool PollHandoff::arm(int64_t delay_ns) {
    polls_seen_ = polls_.load(std::memory_order_relaxed);
    delay_ns_ = delay_ns;
    itimerspec when{};
    when.it_value.tv_nsec = delay_ns;
    return timerfd_settime(timer_fd_, 0, &when, nullptr) == 0;
}

bool PollHandoff::on_timer() {
    uint64_t expirations;
    if (::read(timer_fd_, &expirations, sizeof expirations) < 0 || !resume_) {
        return true;  // spurious, or cancelled meanwhile
    }
    // Still polling: look again later.
    if (polls_.load(std::memory_order_relaxed) != polls_seen_ &&
        arm(std::min(2 * delay_ns_, kLastRecheckNs))) {
        return true;
    }
    auto resume = std::move(resume_);
    resume_ = nullptr;
    resume();
    return true;
}

void PollHandoff::cancel() {
    resume_ = nullptr;
    if (timer_watch_ != 0) {
        loop_.unwatch(timer_watch_);
        timer_watch_ = 0;
    }
}

}  // namespace mvemu
