// One of a channel's circular buffers in application memory. The
// application allocated it; Microvisor keeps the read and write positions.
// The range was validated when the channel was opened.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "guest_memory.h"

namespace mvemu {

class ByteRing {
public:
    ByteRing(uint32_t base, uint32_t size) : base_(base), size_(size) {}

    uint32_t size() const { return size_; }
    uint32_t used() const { return used_; }
    uint32_t free() const { return size_ - used_; }
    // The oldest unread byte's address and how many follow it before the wrap.
    uint32_t read_address() const { return base_ + head_; }
    uint32_t contiguous() const { return std::min(used_, size_ - head_); }

    // Append `data` (at most free() bytes), wrapping at the end.
    bool put(GuestMemory& memory, const uint8_t* data, uint32_t len) {
        if (len > free()) {
            return false;
        }
        uint32_t tail = (head_ + used_) % size_;
        uint32_t first = std::min(len, size_ - tail);
        if (!memory.write_bytes(base_ + tail, data, first) ||
            !memory.write_bytes(base_, data + first, len - first)) {
            return false;
        }
        used_ += len;
        return true;
    }
    // Copy up to `len` unread bytes, starting `skip` bytes after the oldest,
    // without consuming them.
    std::vector<uint8_t> peek(GuestMemory& memory, uint32_t skip, uint32_t len) const {
        if (skip >= used_) {
            return {};
        }
        len = std::min(len, used_ - skip);
        uint32_t start = (head_ + skip) % size_;
        uint32_t first = std::min(len, size_ - start);
        auto a = memory.read_bytes(base_ + start, first);
        auto b = memory.read_bytes(base_, len - first);
        if (!a || !b) {
            return {};
        }
        a->insert(a->end(), b->begin(), b->end());
        return *a;
    }
    void consume(uint32_t len) {
        len = std::min(len, used_);
        head_ = (head_ + len) % size_;
        used_ -= len;
    }
    bool overlaps(uint32_t base, uint32_t size) const {
        return MemoryRange{base_, size_}.overlaps({base, size});
    }

private:
    uint32_t base_;
    uint32_t size_;
    uint32_t head_ = 0;
    uint32_t used_ = 0;
};

}  // namespace mvemu
