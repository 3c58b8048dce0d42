// mvOpenSystemNotification subscriptions: a center and tag that receive
// Microvisor's own events of one source (network status, update downloaded).
#pragma once

#include <cstdint>
#include <functional>

#include "handles.h"

namespace mvemu {

enum class SystemSource : uint32_t { network = 0, update = 1 };

class SystemNotifications {
public:
    explicit SystemNotifications(HandleAllocator& handles) : subscriptions_(handles) {}

    uint32_t open(uint32_t center, uint32_t tag, SystemSource source) {
        return subscriptions_.add(std::make_unique<Subscription>(Subscription{center, tag, source}));
    }
    bool close(uint32_t handle) { return subscriptions_.remove(handle); }
    void for_each(SystemSource source, const std::function<void(uint32_t center, uint32_t tag)>& fn) {
        for (auto& [handle, s] : subscriptions_) {
            if (s->source == source) {
                fn(s->center, s->tag);
            }
        }
    }
    void reset() { subscriptions_.clear(); }

private:
    struct Subscription {
        uint32_t center;
        uint32_t tag;
        SystemSource source;
    };
    HandleTable<Subscription> subscriptions_;
};

}  // namespace mvemu
