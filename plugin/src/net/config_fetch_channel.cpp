#include "net/config_fetch_channel.h"

#include "trace/traffic_log.h"

namespace mvemu {

uint32_t ConfigFetchChannel::request_size(const std::vector<ConfigKeyRequest>& keys) {
    uint32_t n = 4;
    for (const auto& k : keys) {
        n += 4 + static_cast<uint32_t>(k.key.size());
    }
    return n;
}

ConfigFetchChannel::ConfigFetchChannel(uint32_t network, uint32_t center, uint32_t tag,
                                       ByteRing receive, ByteRing send,
                                       NotificationCenters& centers, Scheduler& scheduler)
    : Channel(MV_CHANNELTYPE_CONFIGFETCH, network, center, tag, receive, send),
      centers_(centers),
      scheduler_(scheduler) {}

ConfigFetchChannel::~ConfigFetchChannel() {
    if (timer_) {
        scheduler_.cancel(timer_);
    }
}

void ConfigFetchChannel::send(const std::vector<ConfigKeyRequest>& keys, const ConfigStore& store,
                              int64_t latency_ns) {
    sent_ = true;
    items_.clear();
    items_.reserve(keys.size());
    for (const auto& k : keys) {
        Item item;
        item.key = k.key;
        item.secret = k.store == MV_CONFIGKEYFETCHSTORE_SECRET;
        if (const ConfigItem* found = store.find(k.scope, k.store, k.key)) {
            if (found->server_error) {
                item.result = MV_CONFIGKEYFETCHRESULT_SERVERERROR;
            } else {
                item.result = MV_CONFIGKEYFETCHRESULT_OK;
                item.value = found->value;
            }
        }
        if (traffic()) {
            // A secret's value never leaves the store: its size only.
            std::string shown = item.secret ? std::string("<redacted>")
                                            : trace::TrafficLog::preview(item.value.data(),
                                                                         item.value.size());
            using L = trace::TrafficLog;
            traffic()->write("config-item", {{"scope", L::name("MvConfigKeyFetchScope", k.scope)},
                                             {"store", L::name("MvConfigKeyFetchStore", k.store)},
                                             {"key", k.key},
                                             {"result", L::name("MvConfigKeyFetchResult", item.result)},
                                             {"bytes", item.value.size()}, {"value", shown}});
        }
        items_.push_back(std::move(item));
    }
    timer_ = scheduler_.after(latency_ns, [this] {
        timer_ = 0;
        answer();
    });
}

void ConfigFetchChannel::answer() {
    if (!connected()) {
        return;
    }
    // An answer the receive buffer cannot hold arrives as a result alone.
    if (response_size(items_) > receive_buffer().size()) {
        result_ = MV_CONFIGFETCHRESULT_RESPONSETOOLARGE;
        items_.clear();
    }
    answered_ = true;
    centers_.post(center(), MV_EVENTTYPE_CHANNELDATAREADABLE, tag());
}

void ConfigFetchChannel::disconnected() {
    // An answer still on its way is lost with the connection; one already
    // received stays readable.
    if (timer_) {
        scheduler_.cancel(timer_);
        timer_ = 0;
    }
    if (!answered_) {
        items_.clear();
    }
}

}  // namespace mvemu
