// The board as the backend sees it. Production code wraps MvemuHostOps
// (host_ops_adapter.h); unit tests substitute a fake machine.
#pragma once

#include <cstdint>
#include <string_view>

namespace mvemu {

enum class LogLevel { info = 0, warn = 1, debug = 2 };

class Host {
public:
    virtual ~Host() = default;
    // Bus access as the application (secure=false) or Microvisor (secure=true).
    virtual bool mem_read(uint32_t addr, void* buf, uint32_t len, bool secure) = 0;
    virtual bool mem_write(uint32_t addr, const void* buf, uint32_t len, bool secure) = 0;
    virtual void irq_pend(uint32_t irq) = 0;
    virtual bool irq_busy(uint32_t irq) = 0;
    virtual uint32_t irq_count() = 0;
    // mvPeriphPeek32/Poke32 as Microvisor performs them (the board's models
    // hold the access policy); false for a register kept from the application.
    virtual bool periph_peek32(uint32_t addr, uint32_t& value) = 0;
    virtual bool periph_poke32(uint32_t addr, uint32_t mask, uint32_t xorvalue) = 0;
    virtual int64_t clock_ns() = 0;
    virtual void set_deadline(int64_t deadline_ns) = 0;
    virtual void wake_main_loop() = 0;  // thread-safe
    // The CPU's view of the bus as Non-secure privileged code (its NVIC and
    // SCB registers included).
    virtual bool cpu_read(uint32_t addr, void* buf, uint32_t len) = 0;
    virtual bool cpu_write(uint32_t addr, const void* buf, uint32_t len) = 0;
    // Halt the CPU until an interrupt is pending (WFI).
    virtual void cpu_halt() = 0;
    // Program the application flash (an update being applied, at reset).
    virtual bool flash_program(uint32_t addr, const void* buf, uint32_t len) = 0;
    virtual void request_reset() = 0;
    virtual void request_exit(int status) = 0;
    virtual void log(LogLevel level, std::string_view line) = 0;
    // Replay: apply a recorded input of the board's own models (a pin
    // driven over QMP); false for one the board does not know.
    virtual bool apply_input(std::string_view input) {
        (void)input;
        return false;
    }
};

}  // namespace mvemu
