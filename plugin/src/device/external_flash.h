// The device's external NOR flash (mvExternalFlash*): erased bytes read
// 0xFF, programming only clears bits (1 -> 0), erasing sets a whole 4 KiB
// sector back to 0xFF. Contents belong to the device, not to one boot of
// the application: they survive restarts and, with a backing file named in
// the profile, runs of the emulator.
//
// Only sectors that hold something other than 0xFF take memory: a device
// that never uses its 8 MiB part costs no more than the sector table.
#pragma once

#include <array>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "handles.h"

namespace mvemu {

class ExternalFlash {
public:
    static constexpr uint32_t kSectorSize = 4096;
    static constexpr uint32_t kMaxHandles = 32;  // mvExternalFlashOpen's documented limit

    ExternalFlash(HandleAllocator& handles, uint32_t size, uint32_t chip_id);
    // Back the contents by `path` (created erased if missing). False with
    // `error` set when it cannot be used (e.g. a file of another size).
    bool attach(const std::string& path, std::string& error);

    uint32_t size() const { return size_; }
    uint32_t chip_id() const { return chip_id_; }
    const std::string& file() const { return path_; }

    uint32_t open();  // 0 when every handle is taken
    bool close(uint32_t handle) { return handles_.remove(handle); }
    bool is_open(uint32_t handle) { return handles_.find(handle) != nullptr; }
    uint32_t open_count() const { return static_cast<uint32_t>(handles_.size()); }
    void close_all() { handles_.clear(); }

    bool in_range(uint32_t address, uint32_t length) const {
        return uint64_t{address} + length <= size_;
    }
    // `length` bytes from `address`. The caller checked the range.
    std::vector<uint8_t> read(uint32_t address, uint32_t length) const;
    // Sectors that hold data (not erased), for tests and the memory figure.
    uint32_t sectors_in_use() const;
    // NOR programming: each byte becomes old & new. The caller checked the range.
    void program(uint32_t address, const std::vector<uint8_t>& bytes);
    // Sector-aligned erase to 0xFF. The caller checked range and alignment.
    void erase(uint32_t address, uint32_t length);

private:
    using Sector = std::array<uint8_t, kSectorSize>;

    // The sector holding `address`, made (erased) when it has none.
    Sector& writable_sector(uint32_t address);
    void write_back(uint32_t address, uint32_t length);

    struct Open {};
    HandleTable<Open> handles_;
    uint32_t size_;
    std::vector<std::unique_ptr<Sector>> sectors_;  // null: erased
    uint32_t chip_id_;
    std::string path_;
    std::fstream file_;
};

}  // namespace mvemu
