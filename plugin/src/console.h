// Guest output on the host console: each line carries the guest's virtual
// time and the device ID, like the Microvisor cloud log stream.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "host.h"

namespace mvemu {

class Console {
public:
    Console(Host& host, std::string device_id, const std::string& log_file);

    // One line from the application's log (`source` is "server" or "test").
    void guest_line(std::string_view source, const std::vector<uint8_t>& message);
    // An emulator diagnostic.
    void warn(std::string_view text);
    void info(std::string_view text);

    // Printable form of a guest message: control bytes shown as escapes.
    static std::string printable(const std::vector<uint8_t>& message);

private:
    std::string prefix();

    Host& host_;
    std::string device_id_;
    std::ofstream file_;
};

}  // namespace mvemu
