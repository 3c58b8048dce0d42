// A fake board for the backend's unit tests.
//
// It models just enough of the machine for the backend to be driven without
// QEMU: byte arrays behind the bus for the application's RAM and flash, the
// extra SRAM the application is *not* granted (so tests can prove the backend
// refuses it although the bus would accept it), and the two secure register
// files the peripheral calls reach (RCC and FLASH ACR). Everything the backend
// asks of the board (interrupts, the timer deadline, resets, exit, log lines)
// is recorded for the tests to inspect.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "host.h"
#include "mvemu/stm32u585_map.h"

class FakeHost : public mvemu::Host {
public:
    // Memory map (mvemu/stm32u585_map.h, from shared/abi/stm32u585.md).
    static constexpr uint32_t kRamBase = MVEMU_APP_SRAM_BASE, kRamSize = MVEMU_APP_SRAM_SIZE;
    // The rest of SRAM1-3, above the application's share (to 0x200BFFFF).
    static constexpr uint32_t kSram3Base = MVEMU_APP_SRAM_BASE + MVEMU_APP_SRAM_SIZE,
                              kSram3Size = MVEMU_SRAM_NS_BASE + MVEMU_SRAM_SIZE - kSram3Base;
    static constexpr uint32_t kFlashBase = MVEMU_APP_FLASH_BASE, kFlashSize = MVEMU_APP_FLASH_SIZE;
    static constexpr uint32_t kRccSecureBase = MVEMU_RCC_NS_BASE + MVEMU_PERIPH_S_OFFSET,
                              kRccSize = MVEMU_RCC_SIZE;
    // FLASH_ACR is the interface's first register.
    static constexpr uint32_t kFlashAcrSecure = MVEMU_FLASH_IF_NS_BASE + MVEMU_PERIPH_S_OFFSET;
    static constexpr uint32_t kIrqCount = 125;
    // set_deadline has never been called (distinct from INT64_MAX, "nothing pending").
    static constexpr int64_t kNeverArmed = INT64_MIN;
    // irq_busy polled this often without the clock moving means the backend is
    // spinning; the fake throws so that a livelock fails a test instead of hanging it.
    static constexpr uint64_t kBusyPollLimit = 100000;

    struct LogLine {
        mvemu::LogLevel level;
        std::string text;
    };

    FakeHost()
        : ram_(kRamSize, 0), sram3_(kSram3Size, 0), flash_(kFlashSize, 0xFF), rcc_(kRccSize, 0) {}

    // ---- state the tests set ----------------------------------------------
    int64_t now_ns = 0;
    std::array<bool, kIrqCount> busy{};  // per-IRQ "pending or active" flag

    // ---- what the backend did ---------------------------------------------
    std::vector<uint32_t> pended;          // every irq_pend, in order
    int64_t deadline = kNeverArmed;        // last set_deadline argument
    int deadline_calls = 0;
    std::atomic<int> wakes{0};             // wake_main_loop is called from any thread
    int resets = 0;
    int exit_calls = 0;
    std::optional<int> exit_status;
    std::vector<LogLine> logs;
    int halts = 0;                         // cpu_halt calls
    int flash_programs = 0;                // successful flash_program calls
    // The fake System Control Space.
    static constexpr uint32_t kScbVtor = 0xE000ED08u, kNvicIser = 0xE000E100u,
                              kNvicIcer = 0xE000E180u, kNvicIpr = 0xE000E400u;
    uint32_t vtor_ns = MVEMU_APP_FLASH_BASE;
    std::array<uint32_t, 4> nvic_enabled{};
    std::array<uint8_t, kIrqCount> nvic_priority{};
    bool irq_enabled(uint32_t irq) const { return nvic_enabled[irq / 32] >> (irq % 32) & 1; }
    int bus_reads = 0, bus_writes = 0;     // successful and failed accesses alike

    // ---- mvemu::Host --------------------------------------------------------
    bool mem_read(uint32_t addr, void* buf, uint32_t len, bool secure) override {
        bus_reads++;
        uint8_t* p = map(addr, len, secure);
        if (!p) {
            return false;
        }
        std::memcpy(buf, p, len);
        return true;
    }

    bool mem_write(uint32_t addr, const void* buf, uint32_t len, bool secure) override {
        bus_writes++;
        if (in(addr, len, kFlashBase, kFlashSize)) {
            return true;  // the bus ignores writes to ROM
        }
        uint8_t* p = map(addr, len, secure);
        if (!p) {
            return false;
        }
        std::memcpy(p, buf, len);
        return true;
    }

    void irq_pend(uint32_t irq) override { pended.push_back(irq); }

    bool irq_busy(uint32_t irq) override {
        if (now_ns != busy_poll_clock_) {
            busy_poll_clock_ = now_ns;
            busy_polls_ = 0;
        }
        if (++busy_polls_ > kBusyPollLimit) {
            throw std::runtime_error("irq_busy polled endlessly at one instant: livelock");
        }
        return irq < kIrqCount && busy[irq];
    }

    uint32_t irq_count() override { return kIrqCount; }

    // Microvisor's peripheral access as the board routes it: RCC and
    // FLASH_ACR can be read, RCC written. The bit-level poke policy is the
    // board's RCC model's (tested by firmware on the board), so the fake
    // applies every bit and records the request.
    struct Poke {
        uint32_t addr, mask, xorvalue;
    };
    std::vector<Poke> pokes;
    bool periph_peek32(uint32_t addr, uint32_t& value) override {
        if (addr % 4 ||
            (addr - MVEMU_RCC_NS_BASE >= kRccSize && addr != MVEMU_FLASH_IF_NS_BASE)) {
            return false;
        }
        value = read_u32(addr + MVEMU_PERIPH_S_OFFSET);
        return true;
    }
    bool periph_poke32(uint32_t addr, uint32_t mask, uint32_t xorvalue) override {
        uint32_t offset = addr - MVEMU_RCC_NS_BASE;
        if (addr % 4 || offset >= kRccSize) {
            return false;
        }
        pokes.push_back({addr, mask, xorvalue});
        set_rcc(offset, (rcc(offset) & ~mask) ^ xorvalue);
        return true;
    }
    int64_t clock_ns() override { return now_ns; }
    void set_deadline(int64_t deadline_ns) override {
        deadline = deadline_ns;
        deadline_calls++;
    }
    void wake_main_loop() override { wakes++; }
    // The CPU's view: the bus plus a small System Control Space (NVIC
    // ISER/ICER, IPR bytes and VTOR_NS), as Non-secure privileged code.
    bool cpu_read(uint32_t addr, void* buf, uint32_t len) override {
        uint8_t* out = static_cast<uint8_t*>(buf);
        if (addr == kScbVtor && len == 4) {
            std::memcpy(out, &vtor_ns, 4);
            return true;
        }
        if (addr >= kNvicIser && addr + len <= kNvicIser + 16 && len == 4 && addr % 4 == 0) {
            std::memcpy(out, &nvic_enabled[(addr - kNvicIser) / 4], 4);
            return true;
        }
        if (addr >= kNvicIpr && addr + len <= kNvicIpr + kIrqCount) {
            std::memcpy(out, &nvic_priority[addr - kNvicIpr], len);
            return true;
        }
        return mem_read(addr, buf, len, false);
    }
    bool cpu_write(uint32_t addr, const void* buf, uint32_t len) override {
        const uint8_t* in_bytes = static_cast<const uint8_t*>(buf);
        uint32_t word = 0;
        if (len == 4) std::memcpy(&word, in_bytes, 4);
        if (addr >= kNvicIser && addr < kNvicIser + 16 && len == 4 && addr % 4 == 0) {
            nvic_enabled[(addr - kNvicIser) / 4] |= word;
            return true;
        }
        if (addr >= kNvicIcer && addr < kNvicIcer + 16 && len == 4 && addr % 4 == 0) {
            nvic_enabled[(addr - kNvicIcer) / 4] &= ~word;
            return true;
        }
        if (addr >= kNvicIpr && addr + len <= kNvicIpr + kIrqCount) {
            for (uint32_t i = 0; i < len; i++) {
                nvic_priority[addr - kNvicIpr + i] = in_bytes[i] & 0xF0;  // 4 priority bits
            }
            return true;
        }
        return mem_write(addr, buf, len, false);
    }
    void cpu_halt() override { halts++; }
    bool flash_program(uint32_t addr, const void* buf, uint32_t len) override {
        if (!in(addr, len, kFlashBase, kFlashSize)) return false;
        flash_programs++;
        std::memcpy(&flash_[addr - kFlashBase], buf, len);
        return true;
    }
    void request_reset() override { resets++; }
    void request_exit(int status) override {
        exit_calls++;
        exit_status = status;
    }
    void log(mvemu::LogLevel level, std::string_view line) override {
        logs.push_back({level, std::string(line)});
    }

    // ---- helpers for the tests (direct access, no bus rules) ----------------
    // Any address the fake models, including flash (to preload read-only data).
    void poke_bytes(uint32_t addr, const void* data, uint32_t len) {
        std::memcpy(backing(addr, len), data, len);
    }
    std::vector<uint8_t> peek_bytes(uint32_t addr, uint32_t len) {
        const uint8_t* p = backing(addr, len);
        return std::vector<uint8_t>(p, p + len);
    }
    void fill(uint32_t addr, uint32_t len, uint8_t value) { std::memset(backing(addr, len), value, len); }
    void write_u32(uint32_t addr, uint32_t v) {
        uint8_t b[4];
        for (int i = 0; i < 4; i++) b[i] = uint8_t(v >> (8 * i));
        poke_bytes(addr, b, 4);
    }
    void write_u64(uint32_t addr, uint64_t v) {
        uint8_t b[8];
        for (int i = 0; i < 8; i++) b[i] = uint8_t(v >> (8 * i));
        poke_bytes(addr, b, 8);
    }
    uint32_t read_u32(uint32_t addr) {
        auto b = peek_bytes(addr, 4);
        return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
    }
    uint64_t read_u64(uint32_t addr) {
        return uint64_t{read_u32(addr)} | uint64_t{read_u32(addr + 4)} << 32;
    }
    uint8_t read_u8(uint32_t addr) { return peek_bytes(addr, 1)[0]; }
    std::string read_string(uint32_t addr, uint32_t len) {
        auto b = peek_bytes(addr, len);
        return std::string(b.begin(), b.end());
    }
    // Place a string in fake memory (no terminator); returns its address.
    uint32_t put_string(uint32_t addr, std::string_view s) {
        poke_bytes(addr, s.data(), static_cast<uint32_t>(s.size()));
        return addr;
    }

    // RCC register at `offset` from the block, as the board model holds it.
    uint32_t rcc(uint32_t offset) { return read_u32(kRccSecureBase + offset); }
    void set_rcc(uint32_t offset, uint32_t v) { write_u32(kRccSecureBase + offset, v); }

    // Log lines of `level` whose text contains `needle`.
    int count_logs(mvemu::LogLevel level, std::string_view needle) const {
        int n = 0;
        for (const auto& l : logs) {
            if (l.level == level && l.text.find(needle) != std::string::npos) n++;
        }
        return n;
    }

private:
    static bool in(uint32_t addr, uint32_t len, uint32_t base, uint32_t size) {
        uint64_t end = uint64_t{addr} + len;
        return addr >= base && end <= uint64_t{base} + size;
    }

    // Bus view: the secure register files only answer secure accesses, as the
    // TrustZone filter on the real part would enforce.
    uint8_t* map(uint32_t addr, uint32_t len, bool secure) {
        if (in(addr, len, kRamBase, kRamSize)) return &ram_[addr - kRamBase];
        if (in(addr, len, kSram3Base, kSram3Size)) return &sram3_[addr - kSram3Base];
        if (in(addr, len, kFlashBase, kFlashSize)) return &flash_[addr - kFlashBase];
        if (secure && in(addr, len, kRccSecureBase, kRccSize)) return &rcc_[addr - kRccSecureBase];
        if (secure && in(addr, len, kFlashAcrSecure, 4)) return flash_acr_;
        return nullptr;
    }

    // Test view: everything modelled, regardless of attributes.
    uint8_t* backing(uint32_t addr, uint32_t len) {
        if (uint8_t* p = map(addr, len, true)) return p;
        throw std::out_of_range("FakeHost does not model this address range");
    }

    std::vector<uint8_t> ram_, sram3_, flash_, rcc_;
    uint8_t flash_acr_[4] = {};
    int64_t busy_poll_clock_ = INT64_MIN;
    uint64_t busy_polls_ = 0;
};
