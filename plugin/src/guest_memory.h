// Validated access to application memory.
//
// Every pointer the application passes is checked against the memory
// Microvisor grants it before use: outputs must lie in the application's
// SRAM, inputs in its SRAM or its flash image. Access goes through the bus
// with Non-secure attributes, as the application itself would make it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host.h"
#include "mvemu/stm32u585_map.h"

namespace mvemu {

struct MemoryRange {
    uint32_t base;
    uint32_t size;
    bool contains(uint32_t addr, uint32_t len) const {
        uint64_t end = uint64_t{addr} + len;
        return addr >= base && end <= uint64_t{base} + size;
    }
    // Whether the two ranges share a byte (sizes up to 4 GiB, no wrap).
    bool overlaps(MemoryRange other) const {
        return uint64_t{other.base} < uint64_t{base} + size &&
               uint64_t{base} < uint64_t{other.base} + other.size;
    }
};

// Application memory as Microvisor grants it (shared/abi/stm32u585.md).
inline constexpr MemoryRange kAppRam{MVEMU_APP_SRAM_BASE, MVEMU_APP_SRAM_SIZE};
inline constexpr MemoryRange kAppFlash{MVEMU_APP_FLASH_BASE, MVEMU_APP_FLASH_SIZE};

class GuestMemory {
public:
    explicit GuestMemory(Host& host) : host_(host) {}

    // Range checks only; no access is made.
    bool writable(uint32_t addr, uint32_t len) const;
    bool readable(uint32_t addr, uint32_t len) const;
    // A writable (or readable) range that also holds a naturally aligned T.
    bool writable_aligned(uint32_t addr, uint32_t len, uint32_t align) const {
        return addr % align == 0 && writable(addr, len);
    }

    // Checked accessors: nullopt / false when the range is not allowed or
    // the bus reports an error.
    std::optional<uint32_t> read_u32(uint32_t addr);
    std::optional<std::vector<uint8_t>> read_bytes(uint32_t addr, uint32_t len);
    bool write_u8(uint32_t addr, uint8_t value);
    bool write_u32(uint32_t addr, uint32_t value);
    bool write_u64(uint32_t addr, uint64_t value);
    bool write_bytes(uint32_t addr, const void* data, uint32_t len);

    // Decode a structure of `size` bytes at `addr` for reading its fields by
    // their documented offsets.
    class Struct {
    public:
        uint32_t u32(uint32_t offset) const;
        uint8_t u8(uint32_t offset) const { return bytes_.at(offset); }
        uint16_t u16(uint32_t offset) const;
    private:
        friend class GuestMemory;
        explicit Struct(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
        std::vector<uint8_t> bytes_;
    };
    std::optional<Struct> read_struct(uint32_t addr, uint32_t size, uint32_t align = 4);

private:
    Host& host_;
};

}  // namespace mvemu
