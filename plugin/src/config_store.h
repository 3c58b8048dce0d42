// The local stand-in for Microvisor's cloud config and secret stores: the
// items a device profile names ([config.device], [secrets.account], ...),
// looked up by scope, store and key as mvSendConfigFetchRequest asks
// (docs/config.md).
//
// Secret values must never reach a log, a trace or the monitor: nothing in
// this file prints a value, and value bytes are wiped when they are freed.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "mv_enums.h"

namespace mvemu {

// Bytes that are cleared before their memory is given back, so a secret
// does not linger in freed heap blocks. Copies are wiped independently.
class WipedBytes {
public:
    WipedBytes() = default;
    explicit WipedBytes(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
    explicit WipedBytes(std::string_view text) : bytes_(text.begin(), text.end()) {}
    WipedBytes(const WipedBytes&) = default;
    WipedBytes(WipedBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.wipe(); }
    WipedBytes& operator=(const WipedBytes& other) {
        if (this != &other) {
            wipe();
            bytes_ = other.bytes_;
        }
        return *this;
    }
    WipedBytes& operator=(WipedBytes&& other) noexcept {
        if (this != &other) {
            wipe();
            bytes_ = std::move(other.bytes_);
            other.wipe();
        }
        return *this;
    }
    ~WipedBytes() { wipe(); }

    const uint8_t* data() const { return bytes_.data(); }
    uint32_t size() const { return static_cast<uint32_t>(bytes_.size()); }
    bool empty() const { return bytes_.empty(); }

private:
    void wipe() {
        if (!bytes_.empty()) {
            explicit_bzero(bytes_.data(), bytes_.size());
        }
        bytes_.clear();
    }
    std::vector<uint8_t> bytes_;
};

// Limits of the Microvisor cloud (semantics.md section 6, DREST).
inline constexpr uint32_t kConfigKeyMaxLength = 100;
inline constexpr uint32_t kConfigValueMaxLength = 4096;

// A key the cloud accepts: 1 to 100 printable ASCII characters (space included).
inline bool config_key_valid(std::string_view key) {
    if (key.empty() || key.size() > kConfigKeyMaxLength) {
        return false;
    }
    for (unsigned char ch : key) {
        if (ch < 0x20 || ch > 0x7e) {
            return false;
        }
    }
    return true;
}

struct ConfigItem {
    WipedBytes value;           // exactly what the firmware receives
    bool server_error = false;  // answer MV_CONFIGKEYFETCHRESULT_SERVERERROR instead
};

class ConfigStore {
public:
    // scope: MV_CONFIGKEYFETCHSCOPE_*, store: MV_CONFIGKEYFETCHSTORE_*.
    void put(uint32_t scope, uint32_t store, std::string key, ConfigItem item) {
        items_[{scope, store, std::move(key)}] = std::move(item);
    }
    // Keys are case-sensitive; scopes and stores never fall back on each other.
    const ConfigItem* find(uint32_t scope, uint32_t store, const std::string& key) const {
        auto it = items_.find({scope, store, key});
        return it == items_.end() ? nullptr : &it->second;
    }
    size_t size() const { return items_.size(); }
    // Every secret value (for tests proving none is printed).
    std::vector<const WipedBytes*> secret_values() const {
        std::vector<const WipedBytes*> out;
        for (const auto& [k, item] : items_) {
            if (std::get<1>(k) == MV_CONFIGKEYFETCHSTORE_SECRET && !item.value.empty()) {
                out.push_back(&item.value);
            }
        }
        return out;
    }

private:
    std::map<std::tuple<uint32_t, uint32_t, std::string>, ConfigItem> items_;
};

}  // namespace mvemu
