// The recording of one run (./mvemu run --record, docs/reliability.md
// "Record and replay"): everything the backend did to the guest, grouped
// by what set it off, stamped in virtual time. One JSON object a line: a
// header, then triggers and clock warps in the order they happened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mvemu::replay {

// What the backend did to the machine (a Host call that changes it).
struct Effect {
    enum class Kind : char {
        mem_write = 'W',      // address, secure, bytes
        cpu_write = 'C',      // address, bytes
        irq_pend = 'P',       // irq
        cpu_halt = 'H',
        flash_program = 'F',  // address, bytes
        periph_poke = 'K',    // address, mask, xor
        request_reset = 'R',
        request_exit = 'X',   // status
        log = 'L',            // level, text
        board_input = 'N',    // text: an input to the board's own models
    };
    Effect() = default;
    Effect(Kind k, uint32_t address_ = 0, uint32_t mask_ = 0, uint32_t xorvalue_ = 0,
           std::vector<uint8_t> bytes_ = {}, std::string text_ = {})
        : kind(k), address(address_), mask(mask_), xorvalue(xorvalue_),
          bytes(std::move(bytes_)), text(std::move(text_)) {}

    Kind kind = Kind::log;
    uint32_t address = 0;  // or irq, status, level
    uint32_t mask = 0;     // periph_poke's mask; mem_write's secure flag
    uint32_t xorvalue = 0;
    std::vector<uint8_t> bytes;
    std::string text;
};

// What set effects off.
struct Trigger {
    enum class Kind : char {
        start = 'I',       // while the backend was created
        syscall = 'S',     // the guest's n-th system call (always recorded)
        irq_taken = 'Q',   // the n-th exception entry of an external interrupt
        reset = 'Z',       // the n-th machine reset (always recorded)
        timer = 'T',       // the backend's own virtual-time deadline
        host_work = 'M',   // socket data, connect outcomes, DNS answers
        monitor = 'O',     // a QMP/HMP mvemu-* command (link, update, restart)
        end = 'E',         // the recorded run stopped here
        warp = 'G',        // the idle virtual clock jumped (no effects)
    };
    explicit Trigger(Kind k) : kind(k) {}

    Kind kind;
    int64_t ns = 0;          // virtual time (for warp: the instruction count)
    uint64_t seq = 0;        // syscall, irq_taken, reset: which one of its kind
    uint32_t entry = 0;      // syscall: veneer slot; irq_taken: the line
    uint32_t status = 0;     // syscall: what it returned
    int64_t delta_ns = 0;    // warp: how far
    std::vector<Effect> effects;

    // Set off by the guest at a point of its own (matched by `seq`), not
    // by the host at a time (matched by `ns`).
    bool guest_driven() const {
        return kind == Kind::syscall || kind == Kind::irq_taken || kind == Kind::reset;
    }
};

// The first line: "mvemu_recording": kFormat, with the launcher's note.
inline constexpr int kFormat = 1;
std::string header_line(const std::string& note);
// Checks a header line; false with `error` set for something else.
bool parse_header(const std::string& line, std::string& error);

std::string to_line(const Trigger& trigger);
// nullopt with `error` set for a line that is not a trigger.
std::optional<Trigger> parse_line(const std::string& line, std::string& error);

}  // namespace mvemu::replay
