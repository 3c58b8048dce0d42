#include "replay/replayer.h"

#include <fstream>

#include "text_format.h"

namespace mvemu::replay {

namespace {

// How long past its recorded time a guest-driven trigger may be missing
// before the replay says it diverged (virtual time).
constexpr int64_t kGuestSlackNs = 10'000'000;
// The deadline kept once nothing is left to replay.
constexpr int64_t kIdleTickNs = 1'000'000'000;

std::string kind_name(Trigger::Kind kind) {
    switch (kind) {
    case Trigger::Kind::syscall: return "system call";
    case Trigger::Kind::irq_taken: return "interrupt entry";
    case Trigger::Kind::reset: return "reset";
    case Trigger::Kind::end: return "end of the recording";
    default: return "host event";
    }
}

}  // namespace

Replayer::Replayer(Host& board, const std::string& path, std::string& error)
    : board_(board), memory_(board) {
    register_all_calls(table_);
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) {
        error = "cannot read the recording " + path;
        return;
    }
    if (!parse_header(line, error)) {
        error = path + ": " + error;
        return;
    }
    for (size_t number = 2; std::getline(in, line); number++) {
        if (line.empty()) {
            continue;
        }
        auto trigger = parse_line(line, error);
        if (!trigger) {
            error = path + ":" + std::to_string(number) + ": " + error;
            return;
        }
        if (trigger->kind == Trigger::Kind::warp) {
            warps_.push_back(std::move(*trigger));
        } else {
            triggers_.push_back(std::move(*trigger));
        }
    }
    // What the backend did while it was created, before the guest ran.
    if (!triggers_.empty() && triggers_.front().kind == Trigger::Kind::start) {
        apply(triggers_.front());
        next_ = 1;
    }
    arm();
}

bool Replayer::start_trace(trace::TraceOptions options, std::string& error) {
    if (!options.enabled) {
        return true;
    }
    trace_ = std::make_unique<trace::SyscallTrace>(board_, std::move(options), error);
    return error.empty();
}

uint32_t Replayer::syscall(uint32_t slot, const CallArgs& args) {
    const Syscall* call = table_.at(slot);
    bool traced = trace_ && is_served(call, args) && trace_->wants(call->name);
    trace::Fields arguments;
    if (traced) {
        arguments = trace::decode_arguments(call->name, args, memory_);
    }
    run_due();
    std::string name = call && !call->name.empty() ? std::string(call->name)
                                                   : "slot " + std::to_string(slot);
    const Trigger* t = take(Trigger::Kind::syscall, syscalls_++, true, name);
    if (t && t->entry != slot) {
        diverged("call #" + std::to_string(t->seq) + " is " + name + " here but slot " +
                 std::to_string(t->entry) + " in the recording");
        t = nullptr;
    }
    uint32_t status = MV_STATUS_UNAVAILABLE;
    if (t) {
        apply(*t);
        status = t->status;
    }
    if (traced) {
        trace_->record(call->name, arguments, static_cast<Status>(status), args.caller);
    }
    run_due();
    return status;
}

void Replayer::reset() {
    if (const Trigger* t = take(Trigger::Kind::reset, resets_++, true, "reset")) {
        apply(*t);
    }
    run_due();
}

void Replayer::irq_taken(uint32_t irq) {
    // Only the entries that had effects were recorded.
    uint64_t seq = irqs_taken_++;
    if (next_ < triggers_.size() && triggers_[next_].kind == Trigger::Kind::irq_taken &&
        triggers_[next_].seq == seq) {
        const Trigger* t = take(Trigger::Kind::irq_taken, seq, true, "interrupt entry");
        if (t && t->entry != irq) {
            diverged("interrupt entry #" + std::to_string(seq) + " is line " +
                     std::to_string(irq) + " here but " + std::to_string(t->entry) +
                     " in the recording");
        } else if (t) {
            apply(*t);
        }
        run_due();
    }
}

void Replayer::timer_expired() { run_due(); }

const Trigger* Replayer::take(Trigger::Kind kind, uint64_t seq, bool required,
                              const std::string& what) {
    if (diverged_) {
        return nullptr;
    }
    if (next_ >= triggers_.size() || triggers_[next_].kind != kind ||
        triggers_[next_].seq != seq) {
        if (required) {
            std::string recorded = next_ < triggers_.size()
                                       ? kind_name(triggers_[next_].kind) + " at " +
                                             virtual_seconds(triggers_[next_].ns) + " s"
                                       : std::string("nothing more");
            diverged(what + " (" + kind_name(kind) + " #" + std::to_string(seq) +
                     ") where the recording has " + recorded);
        }
        return nullptr;
    }
    const Trigger& t = triggers_[next_++];
    int64_t now = board_.clock_ns();
    if (t.ns != now && !timing_reported_) {
        // Same order, other time: the log still matches; say so once.
        timing_reported_ = true;
        warn(what + " came at " + virtual_seconds(now) + " s, recorded at " +
             virtual_seconds(t.ns) + " s (the replay is not instruction-exact from here)");
    }
    return &t;
}

void Replayer::run_due() {
    int64_t now = board_.clock_ns();
    while (!diverged_ && !exited_ && next_ < triggers_.size()) {
        const Trigger& t = triggers_[next_];
        if (t.guest_driven()) {
            if (now > t.ns + kGuestSlackNs) {
                diverged("the firmware never reached the recorded " + kind_name(t.kind) + " #" +
                         std::to_string(t.seq) + " (at " + virtual_seconds(t.ns) + " s)");
            }
            break;
        }
        if (t.ns > now) {
            break;
        }
        next_++;
        if (t.kind == Trigger::Kind::end) {
            // The recorded run was stopped here from outside (a timeout, a
            // signal): so is the replay, with the timeout's status. Not a
            // console line: the board's own time limit may stop the replay
            // at this very instant, as it did the recording.
            board_.log(LogLevel::debug, "replay: the recording ends here");
            exited_ = true;
            board_.request_exit(124);
            break;
        }
        apply(t);
    }
    arm();
}

void Replayer::arm() {
    if (diverged_ || exited_ || next_ >= triggers_.size()) {
        // Nothing left to replay, but a deadline all the same: with no
        // timer at all, sleep=off's idle clock stops and QEMU says so.
        board_.set_deadline(board_.clock_ns() + kIdleTickNs);
        return;
    }
    const Trigger& t = triggers_[next_];
    int64_t at = t.guest_driven() ? t.ns + kGuestSlackNs + 1 : t.ns;
    board_.set_deadline(std::max(at, board_.clock_ns() + 1));  // never due again at once
}

void Replayer::apply(const Trigger& trigger) {
    for (const Effect& e : trigger.effects) {
        switch (e.kind) {
        case Effect::Kind::mem_write:
            board_.mem_write(e.address, e.bytes.data(), static_cast<uint32_t>(e.bytes.size()),
                             e.mask != 0);
            break;
        case Effect::Kind::cpu_write:
            board_.cpu_write(e.address, e.bytes.data(), static_cast<uint32_t>(e.bytes.size()));
            break;
        case Effect::Kind::flash_program:
            board_.flash_program(e.address, e.bytes.data(),
                                 static_cast<uint32_t>(e.bytes.size()));
            break;
        case Effect::Kind::irq_pend:
            board_.irq_pend(e.address);
            break;
        case Effect::Kind::periph_poke:
            board_.periph_poke32(e.address, e.mask, e.xorvalue);
            break;
        case Effect::Kind::cpu_halt:
            board_.cpu_halt();
            break;
        case Effect::Kind::request_reset:
            board_.request_reset();
            break;
        case Effect::Kind::request_exit:
            exited_ = true;  // what the recording has after this is QEMU shutting down
            board_.request_exit(static_cast<int>(e.address));
            break;
        case Effect::Kind::log:
            board_.log(static_cast<LogLevel>(e.address), e.text);
            break;
        case Effect::Kind::board_input:
            if (!board_.apply_input(e.text)) {
                diverged("the board cannot apply the recorded input '" + e.text + "'");
            }
            break;
        }
    }
}

int64_t Replayer::clock_warp(int64_t executed, int64_t delta_ns) {
    while (!warps_.empty() && warps_.front().ns < executed) {
        warps_.pop_front();  // one the replay never idled for
    }
    if (warps_.empty() || warps_.front().ns != executed) {
        return delta_ns;
    }
    int64_t recorded = warps_.front().delta_ns;
    warps_.pop_front();
    return recorded;
}

std::string Replayer::monitor(const std::string& command) {
    return "{\"error\": \"" + command +
           ": the run is a replay; the recorded monitor commands are replayed instead\"}";
}

void Replayer::warn(const std::string& text) {
    board_.log(LogLevel::warn, console_stamp(board_.clock_ns()) + "mvemu: replay: " + text);
}

void Replayer::diverged(const std::string& what) {
    if (diverged_) {
        return;
    }
    diverged_ = true;
    warn("diverged: " + what);
    board_.request_exit(kDiverged);
}

}  // namespace mvemu::replay
