// A config-fetch channel (MV_CHANNELTYPE_CONFIGFETCH): one request for up to
// kMaxKeys config or secret items, answered from the profile's stores after
// the profile's latency in virtual time, then readable item by item for as
// long as the channel is open (docs/config.md).
#pragma once

#include <string>
#include <vector>

#include "config_store.h"
#include "net/channel.h"
#include "notifications.h"
#include "scheduler.h"

namespace mvemu {

// One key of mvSendConfigFetchRequest, decoded and checked.
struct ConfigKeyRequest {
    uint32_t scope = 0, store = 0;
    std::string key;
};

class ConfigFetchChannel : public Channel {
public:
    // Keys per request (open question 5): more is TOOMANYCONFIGKEYS.
    static constexpr uint32_t kMaxKeys = 32;

    // What a request takes in the send buffer (more than its size is
    // INVALIDBUFFERSIZE): a 4-byte count, then per key 4 bytes of scope,
    // store and length and the key's characters.
    static uint32_t request_size(const std::vector<ConfigKeyRequest>& keys);
    // What an answer takes in the receive buffer (more than its size is
    // RESPONSETOOLARGE): an 8-byte header, then per item 8 bytes of result
    // and length and the value's bytes.
    template <typename Items>
    static uint64_t response_size(const Items& items) {
        uint64_t n = 8;
        for (const auto& item : items) n += 8 + item.value.size();
        return n;
    }

    struct Item {
        MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND;
        WipedBytes value;  // empty unless result is OK
        std::string key;   // for diagnostics (keys are not secret)
        bool secret = false;
    };

    ConfigFetchChannel(uint32_t network, uint32_t center, uint32_t tag, ByteRing receive,
                       ByteRing send, NotificationCenters& centers, Scheduler& scheduler);
    ~ConfigFetchChannel() override;

    bool byte_stream() const override { return false; }

    bool request_sent() const { return sent_; }
    bool response_present() const { return answered_; }
    // Take a checked request: the items are looked up now and become
    // readable, with one CHANNELDATAREADABLE, after `latency_ns`.
    void send(const std::vector<ConfigKeyRequest>& keys, const ConfigStore& store,
              int64_t latency_ns);

    // Valid once response_present().
    MvConfigFetchResult result() const { return result_; }
    const std::vector<Item>& items() const { return items_; }

private:
    void disconnected() override;
    void answer();

    NotificationCenters& centers_;
    Scheduler& scheduler_;
    Scheduler::TimerId timer_ = 0;
    bool sent_ = false, answered_ = false;
    MvConfigFetchResult result_ = MV_CONFIGFETCHRESULT_OK;
    std::vector<Item> items_;
};

}  // namespace mvemu
