// Handles: non-zero, random-looking 32-bit values, unique across every kind
// of resource and not reused for 2^32 allocations, so a stale or foreign
// handle is always rejected. They come from a keyed bijection of a counter,
// which needs no memory of what was issued: a firmware that opens and closes
// resources forever does not grow the emulator.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

namespace mvemu {

class HandleAllocator {
public:
    explicit HandleAllocator(uint32_t seed);
    uint32_t allocate();

private:
    uint32_t key_in_, key_out_;
    uint32_t counter_ = 0;
};

// The live resources of one kind, by handle.
template <typename T>
class HandleTable {
public:
    explicit HandleTable(HandleAllocator& allocator) : allocator_(allocator) {}

    uint32_t add(std::unique_ptr<T> item) {
        uint32_t handle = allocator_.allocate();
        items_.emplace(handle, std::move(item));
        return handle;
    }
    T* find(uint32_t handle) {
        auto it = items_.find(handle);
        return it == items_.end() ? nullptr : it->second.get();
    }
    bool remove(uint32_t handle) { return items_.erase(handle) != 0; }
    void clear() { items_.clear(); }
    size_t size() const { return items_.size(); }
    auto begin() { return items_.begin(); }
    auto end() { return items_.end(); }
    auto begin() const { return items_.begin(); }
    auto end() const { return items_.end(); }

private:
    HandleAllocator& allocator_;
    std::map<uint32_t, std::unique_ptr<T>> items_;  // ordered: deterministic iteration
};

}  // namespace mvemu
