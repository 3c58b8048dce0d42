#include "trace/traffic_log.h"

#include "console.h"
#include "text_format.h"
#include "trace/syscall_trace.h"

namespace mvemu::trace {

namespace {

constexpr size_t kPreviewBytes = 64;

}  // namespace

TrafficLog::TrafficLog(Host& host, std::string device_id, const std::string& path,
                       std::string& error)
    : host_(host), device_id_(std::move(device_id)), file_(path, std::ios::trunc) {
    if (!file_) {
        error = "traffic: cannot write " + path;
    }
}

std::string TrafficLog::preview(const uint8_t* data, size_t size) {
    std::vector<uint8_t> head(data, data + std::min(size, kPreviewBytes));
    return Console::printable(head) + (size > kPreviewBytes ? "..." : "");
}

std::string TrafficLog::name(std::string_view type, uint32_t value) {
    auto n = enum_name(type, value);
    return n ? std::string(*n) : std::to_string(value);
}

void TrafficLog::write(const std::string& kind, Event fields) {
    Event line = {{"t", virtual_seconds(host_.clock_ns())}, {"device", device_id_}, {"event", kind}};
    for (auto& [key, value] : fields.items()) {
        line[key] = value;
    }
    file_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    file_.flush();
}

}  // namespace mvemu::trace
