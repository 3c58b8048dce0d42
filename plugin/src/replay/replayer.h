// --replay: stands in for the backend. It serves nothing itself: each
// system call gets the status and the memory writes the recording has
// for it, and what the host set off (socket data, timers, monitor
// commands) is applied again at the virtual time it happened; the idle
// clock jumps as it did. No socket is opened.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "dispatch.h"
#include "guest_memory.h"
#include "host.h"
#include "replay/recording.h"
#include "trace/syscall_trace.h"

namespace mvemu::replay {

// Exit status of a replay that no longer follows its recording.
inline constexpr int kDiverged = 120;

class Replayer {
public:
    // Reads all of `path`; `error` is set when it is not a recording.
    Replayer(Host& board, const std::string& path, std::string& error);

    bool start_trace(trace::TraceOptions options, std::string& error);
    uint32_t syscall(uint32_t slot, const CallArgs& args);
    void reset();
    void irq_taken(uint32_t irq);
    void timer_expired();
    int64_t clock_warp(int64_t executed, int64_t delta_ns);
    std::string monitor(const std::string& command);

private:
    // Apply the host-driven triggers that are due, in order, up to the
    // next one the guest must set off; then arm the timer for what is next.
    void run_due();
    void arm();
    void apply(const Trigger& trigger);
    // Guest-driven trigger `kind` number `seq` happens now: the head of
    // the recording if it matches, else nullptr (and a divergence, when
    // `required`).
    const Trigger* take(Trigger::Kind kind, uint64_t seq, bool required, const std::string& what);
    void diverged(const std::string& what);
    void warn(const std::string& text);

    Host& board_;
    GuestMemory memory_;
    SyscallTable table_;
    std::unique_ptr<trace::SyscallTrace> trace_;
    std::vector<Trigger> triggers_;
    size_t next_ = 0;
    std::deque<Trigger> warps_;
    uint64_t syscalls_ = 0, irqs_taken_ = 0, resets_ = 0;
    bool diverged_ = false;
    bool exited_ = false;
    bool timing_reported_ = false;
};

}  // namespace mvemu::replay
