// --record: the Host the backend talks to while a run is recorded. It
// passes every call on to the board and keeps what changed the machine
// as an effect of the trigger that is open (a system call, an interrupt
// taken, socket data arriving, ...); a trigger whose effects are all in
// is one line of the recording.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

#include "host.h"
#include "replay/recording.h"

namespace mvemu::replay {

class Recorder final : public Host {
public:
    // Writes the header with `note`; `error` is set when `path` cannot be
    // written. The file is the user's only (0600): it holds everything
    // the guest was given, config secrets included.
    Recorder(Host& board, const std::string& path, const std::string& note, std::string& error);
    ~Recorder() override;

    // Open a trigger; effects until end() belong to it. Triggers do not
    // nest: an inner one's effects join the outer one.
    void begin(Trigger::Kind kind, uint32_t entry = 0);
    // Close it (a system call's `status`) and write it, unless it changed
    // nothing and only its effects matter (interrupts, host work, timers).
    void end(uint32_t status = 0);
    // The idle clock jumps `delta_ns` at instruction count `executed`.
    int64_t warp(int64_t executed, int64_t delta_ns);
    // The board applied `input` to its own models (inside a monitor trigger).
    void board_input(const std::string& input) {
        add({Effect::Kind::board_input, 0, 0, 0, {}, input});
    }
    // The run stops: the last line says when.
    void finish();

    bool mem_read(uint32_t addr, void* buf, uint32_t len, bool secure) override {
        return board_.mem_read(addr, buf, len, secure);
    }
    bool mem_write(uint32_t addr, const void* buf, uint32_t len, bool secure) override;
    void irq_pend(uint32_t irq) override;
    bool irq_busy(uint32_t irq) override { return board_.irq_busy(irq); }
    uint32_t irq_count() override { return board_.irq_count(); }
    bool periph_peek32(uint32_t addr, uint32_t& value) override {
        return board_.periph_peek32(addr, value);
    }
    bool periph_poke32(uint32_t addr, uint32_t mask, uint32_t xorvalue) override;
    int64_t clock_ns() override { return board_.clock_ns(); }
    void set_deadline(int64_t deadline_ns) override { board_.set_deadline(deadline_ns); }
    void wake_main_loop() override { board_.wake_main_loop(); }
    bool cpu_read(uint32_t addr, void* buf, uint32_t len) override {
        return board_.cpu_read(addr, buf, len);
    }
    bool cpu_write(uint32_t addr, const void* buf, uint32_t len) override;
    void cpu_halt() override;
    bool flash_program(uint32_t addr, const void* buf, uint32_t len) override;
    void request_reset() override;
    void request_exit(int status) override;
    void log(LogLevel level, std::string_view line) override;

private:
    void add(Effect effect);
    void write(const Trigger& trigger);

    Host& board_;
    std::ofstream file_;
    Trigger open_{Trigger::Kind::start};
    int depth_ = 1;  // the start trigger is open until the backend is up
    uint64_t syscalls_ = 0, irqs_taken_ = 0, resets_ = 0;
    bool finished_ = false;
};

// Opens a trigger for the length of a scope.
class TriggerScope {
public:
    TriggerScope(Recorder* recorder, Trigger::Kind kind, uint32_t entry = 0)
        : recorder_(recorder) {
        if (recorder_) {
            recorder_->begin(kind, entry);
        }
    }
    ~TriggerScope() {
        if (recorder_) {
            recorder_->end(status_);
        }
    }
    void set_status(uint32_t status) { status_ = status; }
    TriggerScope(const TriggerScope&) = delete;
    TriggerScope& operator=(const TriggerScope&) = delete;

private:
    Recorder* recorder_;
    uint32_t status_ = 0;
};

}  // namespace mvemu::replay
