// Handles: non-zero random 32-bit values, unique across every kind of
// resource and never reused, so a stale or foreign handle is always rejected.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <unordered_set>

namespace mvemu {

class HandleAllocator {
public:
    explicit HandleAllocator(uint32_t seed) : rng_(seed) {}
    uint32_t allocate();
    void reseed(uint32_t seed) { rng_.seed(seed); }

private:
    std::mt19937 rng_;
    std::unordered_set<uint32_t> issued_;  // live and retired: never hand out twice
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

private:
    HandleAllocator& allocator_;
    std::map<uint32_t, std::unique_ptr<T>> items_;  // ordered: deterministic iteration
};

}  // namespace mvemu
