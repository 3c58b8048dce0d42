#include "net/poll_handoff.h"

#include <sys/timerfd.h>
#include <unistd.h>

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

void PollHandoff::polled() { last_poll_ns_.store(monotonic_ns(), std::memory_order_relaxed); }

bool PollHandoff::polling() const {
    return monotonic_ns() - last_poll_ns_.load(std::memory_order_relaxed) < kPollingWindowNs;
}

bool PollHandoff::resume_after_polls(std::function<void()> resume) {
    if (timer_fd_ < 0) {
        timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (timer_fd_ < 0) {
            return false;
        }
    }
    resume_ = std::move(resume);
    if (!arm()) {
        resume_ = nullptr;
        return false;
    }
    if (timer_watch_ == 0) {
        timer_watch_ = loop_.watch_fd(timer_fd_, G_IO_IN, [this](GIOCondition) { return on_timer(); });
    }
    return true;
}

bool PollHandoff::arm() {
    itimerspec when{};
    when.it_value.tv_nsec = kRecheckNs;
    return timerfd_settime(timer_fd_, 0, &when, nullptr) == 0;
}

bool PollHandoff::on_timer() {
    uint64_t expirations;
    if (::read(timer_fd_, &expirations, sizeof expirations) < 0 || !resume_) {
        return true;  // spurious, or cancelled meanwhile
    }
    if (polling() && arm()) {
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
