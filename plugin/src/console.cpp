#include "console.h"

#include "text_format.h"

#include <cstdio>

namespace mvemu {

Console::Console(Host& host, std::string device_id, const std::string& log_file)
    : host_(host), device_id_(std::move(device_id)) {
    if (!log_file.empty()) {
        file_.open(log_file, std::ios::app);
        if (!file_) {
            warn("cannot open log file " + log_file + "; logging to the console only");
        }
    }
}

std::string Console::prefix() { return console_stamp(host_.clock_ns()); }

std::string Console::printable(const std::vector<uint8_t>& message) {
    std::string out;
    size_t end = message.size();
    while (end > 0 && (message[end - 1] == '\n' || message[end - 1] == '\r')) {
        end--;  // a trailing newline is the line's own end
    }
    for (size_t i = 0; i < end; i++) {
        uint8_t c = message[i];
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else if (c == '\t') {
            out += '\t';
        } else {
            char esc[8];
            std::snprintf(esc, sizeof(esc), "\\x%02x", c);
            out += esc;
        }
    }
    return out;
}

void Console::guest_line(std::string_view source, const std::vector<uint8_t>& message) {
    std::string line = prefix() + device_id_ + " " + std::string(source) + ": " + printable(message);
    host_.log(LogLevel::info, line);
    if (file_.is_open() && source == "server") {
        file_ << line << '\n';
        file_.flush();
    }
}

void Console::warn(std::string_view text) { host_.log(LogLevel::warn, prefix() + "mvemu: " + std::string(text)); }

void Console::info(std::string_view text) { host_.log(LogLevel::info, prefix() + "mvemu: " + std::string(text)); }

}  // namespace mvemu
