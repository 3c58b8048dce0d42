#include "replay/recorder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mvemu::replay {

namespace {

std::vector<uint8_t> copy_of(const void* buf, uint32_t len) {
    auto p = static_cast<const uint8_t*>(buf);
    return std::vector<uint8_t>(p, p + len);
}

}  // namespace

Recorder::Recorder(Host& board, const std::string& path, const std::string& note,
                   std::string& error)
    : board_(board) {
    open_.ns = board_.clock_ns();
    // Created 0600 before anything is written: it will hold secrets.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = "cannot write the recording " + path + ": " + std::strerror(errno);
        return;
    }
    ::fchmod(fd, 0600);  // an existing file keeps its mode through O_TRUNC
    ::close(fd);
    file_.open(path, std::ios::out | std::ios::trunc);
    if (!file_) {
        error = "cannot write the recording " + path;
        return;
    }
    file_ << header_line(note) << '\n';
}

Recorder::~Recorder() { finish(); }

void Recorder::begin(Trigger::Kind kind, uint32_t entry) {
    if (depth_++ > 0) {
        return;
    }
    open_ = Trigger{kind};
    open_.ns = board_.clock_ns();
    open_.entry = entry;
    if (kind == Trigger::Kind::syscall) {
        open_.seq = syscalls_++;
    } else if (kind == Trigger::Kind::irq_taken) {
        open_.seq = irqs_taken_++;
    } else if (kind == Trigger::Kind::reset) {
        open_.seq = resets_++;
    }
}

void Recorder::end(uint32_t status) {
    if (depth_ == 0 || --depth_ > 0) {
        return;
    }
    open_.status = status;
    bool always = open_.kind == Trigger::Kind::syscall || open_.kind == Trigger::Kind::reset;
    if (always || !open_.effects.empty()) {
        write(open_);
    }
    open_.effects.clear();
}

int64_t Recorder::warp(int64_t executed, int64_t delta_ns) {
    if (delta_ns > 0) {
        Trigger t{Trigger::Kind::warp};
        t.ns = executed;
        t.delta_ns = delta_ns;
        write(t);
    }
    return delta_ns;
}

void Recorder::finish() {
    if (finished_ || !file_.is_open()) {
        return;
    }
    Trigger t{Trigger::Kind::end};
    t.ns = board_.clock_ns();
    write(t);
    finished_ = true;  // what the backend does while it shuts down is not the run's
    file_.flush();
}

void Recorder::write(const Trigger& trigger) {
    if (finished_ || !file_.is_open()) {
        return;
    }
    // Flushed when the run stops (finish): a flush per line would cost a
    // write(2) per system call.
    file_ << to_line(trigger) << '\n';
}

void Recorder::add(Effect effect) {
    if (depth_ > 0) {
        open_.effects.push_back(std::move(effect));
    } else {
        // Outside every trigger (should not happen): its own line at the time.
        Trigger t{Trigger::Kind::host_work};
        t.ns = board_.clock_ns();
        t.effects.push_back(std::move(effect));
        write(t);
    }
}

bool Recorder::mem_write(uint32_t addr, const void* buf, uint32_t len, bool secure) {
    add({Effect::Kind::mem_write, addr, secure ? 1u : 0u, 0, copy_of(buf, len), {}});
    return board_.mem_write(addr, buf, len, secure);
}

void Recorder::irq_pend(uint32_t irq) {
    add({Effect::Kind::irq_pend, irq});
    board_.irq_pend(irq);
}

bool Recorder::periph_poke32(uint32_t addr, uint32_t mask, uint32_t xorvalue) {
    add({Effect::Kind::periph_poke, addr, mask, xorvalue});
    return board_.periph_poke32(addr, mask, xorvalue);
}

bool Recorder::cpu_write(uint32_t addr, const void* buf, uint32_t len) {
    add({Effect::Kind::cpu_write, addr, 0, 0, copy_of(buf, len), {}});
    return board_.cpu_write(addr, buf, len);
}

void Recorder::cpu_halt() {
    add({Effect::Kind::cpu_halt});
    board_.cpu_halt();
}

bool Recorder::flash_program(uint32_t addr, const void* buf, uint32_t len) {
    add({Effect::Kind::flash_program, addr, 0, 0, copy_of(buf, len), {}});
    return board_.flash_program(addr, buf, len);
}

void Recorder::request_reset() {
    add({Effect::Kind::request_reset});
    board_.request_reset();
}

void Recorder::request_exit(int status) {
    add({Effect::Kind::request_exit, static_cast<uint32_t>(status)});
    board_.request_exit(status);
}

void Recorder::log(LogLevel level, std::string_view line) {
    add({Effect::Kind::log, static_cast<uint32_t>(level), 0, 0, {}, std::string(line)});
    board_.log(level, line);
}

}  // namespace mvemu::replay
