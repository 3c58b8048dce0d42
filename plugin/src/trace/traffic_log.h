// --traffic=FILE (docs/launcher.md "Traffic log"): every exchange with the
// cloud at the application's level, as JSON lines: MQTT connects,
// subscriptions, publishes both ways (topic, QoS, size, a preview), their
// responses; HTTP requests and responses; config keys fetched. Secret
// config values, passwords and keys never appear: a secret's value is
// "<redacted>" with its size.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "host.h"

namespace mvemu::trace {

class TrafficLog {
public:
    using Event = nlohmann::ordered_json;

    TrafficLog(Host& host, std::string device_id, const std::string& path, std::string& error);

    // One line: {"t": virtual seconds, "device": ID, "event": kind, ...fields}.
    void write(const std::string& kind, Event fields);

    // A payload as the log shows it: up to 64 bytes, non-printable bytes escaped.
    static std::string preview(const uint8_t* data, size_t size);
    // `value` of the ABI's enum `type` by name (its number if it has none).
    static std::string name(std::string_view type, uint32_t value);
    static std::string preview(const std::vector<uint8_t>& bytes) {
        return preview(bytes.data(), bytes.size());
    }

private:
    Host& host_;
    std::string device_id_;
    std::ofstream file_;
};

}  // namespace mvemu::trace
