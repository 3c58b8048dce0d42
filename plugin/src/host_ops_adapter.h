// Host implemented over the C contract (MvemuHostOps) the board provides.
#pragma once

#include <string>

#include "host.h"
#include "mvemu/backend_abi.h"

namespace mvemu {

class HostOpsAdapter final : public Host {
public:
    explicit HostOpsAdapter(const MvemuHostOps& ops) : ops_(ops) {}

    bool mem_read(uint32_t addr, void* buf, uint32_t len, bool secure) override {
        return ops_.mem_read(ops_.host, addr, buf, len, secure) == 0;
    }
    bool mem_write(uint32_t addr, const void* buf, uint32_t len, bool secure) override {
        return ops_.mem_write(ops_.host, addr, buf, len, secure) == 0;
    }
    void irq_pend(uint32_t irq) override { ops_.irq_pend(ops_.host, irq); }
    bool irq_busy(uint32_t irq) override { return ops_.irq_busy(ops_.host, irq); }
    uint32_t irq_count() override { return ops_.irq_count(ops_.host); }
    bool periph_peek32(uint32_t addr, uint32_t& value) override {
        return ops_.periph_peek32(ops_.host, addr, &value) == 0;
    }
    bool periph_poke32(uint32_t addr, uint32_t mask, uint32_t xorvalue) override {
        return ops_.periph_poke32(ops_.host, addr, mask, xorvalue) == 0;
    }
    int64_t clock_ns() override { return ops_.clock_ns(ops_.host); }
    void set_deadline(int64_t deadline_ns) override { ops_.set_deadline(ops_.host, deadline_ns); }
    void wake_main_loop() override { ops_.wake_main_loop(ops_.host); }
    bool cpu_read(uint32_t addr, void* buf, uint32_t len) override {
        return ops_.cpu_read(ops_.host, addr, buf, len) == 0;
    }
    bool cpu_write(uint32_t addr, const void* buf, uint32_t len) override {
        return ops_.cpu_write(ops_.host, addr, buf, len) == 0;
    }
    void cpu_halt() override { ops_.cpu_halt(ops_.host); }
    bool flash_program(uint32_t addr, const void* buf, uint32_t len) override {
        return ops_.flash_program(ops_.host, addr, buf, len) == 0;
    }
    void request_reset() override { ops_.request_reset(ops_.host); }
    void request_exit(int status) override { ops_.request_exit(ops_.host, status); }
    void log(LogLevel level, std::string_view line) override {
        std::string text(line);
        ops_.log(ops_.host, static_cast<int>(level), text.c_str());
    }

    bool apply_input(std::string_view input) override {
        std::string text(input);
        return ops_.apply_input && ops_.apply_input(ops_.host, text.c_str()) == 0;
    }

private:
    MvemuHostOps ops_;
};

}  // namespace mvemu
