#include "guest_memory.h"

#include <cstring>

namespace mvemu {

bool GuestMemory::writable(uint32_t addr, uint32_t len) const {
    return kAppRam.contains(addr, len);
}

bool GuestMemory::readable(uint32_t addr, uint32_t len) const {
    return kAppRam.contains(addr, len) || kAppFlash.contains(addr, len);
}

std::optional<uint32_t> GuestMemory::read_u32(uint32_t addr) {
    uint8_t b[4];
    if (addr % 4 != 0 || !readable(addr, 4) || !host_.mem_read(addr, b, 4, false)) {
        return std::nullopt;
    }
    return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}

std::optional<std::vector<uint8_t>> GuestMemory::read_bytes(uint32_t addr, uint32_t len) {
    if (!readable(addr, len)) {
        return std::nullopt;
    }
    std::vector<uint8_t> data(len);
    if (len != 0 && !host_.mem_read(addr, data.data(), len, false)) {
        return std::nullopt;
    }
    return data;
}

bool GuestMemory::write_bytes(uint32_t addr, const void* data, uint32_t len) {
    return writable(addr, len) && (len == 0 || host_.mem_write(addr, data, len, false));
}

bool GuestMemory::write_u8(uint32_t addr, uint8_t value) {
    return write_bytes(addr, &value, 1);
}

bool GuestMemory::write_u32(uint32_t addr, uint32_t value) {
    const uint8_t b[4] = {uint8_t(value), uint8_t(value >> 8), uint8_t(value >> 16),
                          uint8_t(value >> 24)};
    return addr % 4 == 0 && write_bytes(addr, b, 4);
}

bool GuestMemory::write_u64(uint32_t addr, uint64_t value) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = uint8_t(value >> (8 * i));
    }
    // Word alignment suffices: the core's doubleword stores need no more.
    return addr % 4 == 0 && write_bytes(addr, b, 8);
}

std::optional<GuestMemory::Struct> GuestMemory::read_struct(uint32_t addr, uint32_t size,
                                                            uint32_t align) {
    if (addr % align != 0) {
        return std::nullopt;
    }
    auto bytes = read_bytes(addr, size);
    if (!bytes) {
        return std::nullopt;
    }
    return Struct(std::move(*bytes));
}

uint32_t GuestMemory::Struct::u32(uint32_t offset) const {
    return uint32_t{bytes_.at(offset)} | uint32_t{bytes_.at(offset + 1)} << 8 |
           uint32_t{bytes_.at(offset + 2)} << 16 | uint32_t{bytes_.at(offset + 3)} << 24;
}

uint16_t GuestMemory::Struct::u16(uint32_t offset) const {
    return uint16_t(bytes_.at(offset) | bytes_.at(offset + 1) << 8);
}

}  // namespace mvemu
