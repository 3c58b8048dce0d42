// --trace-syscalls (docs/launcher.md "System-call trace"): every system call
// with its name, its arguments decoded (handles, enums by name, strings and
// sizes from the structures it reads, never a password, key or config
// value), its status by name, the caller's address and the virtual time;
// as text lines or JSON lines, to a file or the console, optionally only
// some groups of calls.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "guest_memory.h"
#include "host.h"
#include "status.h"

namespace mvemu::trace {

struct TraceOptions {
    bool enabled = false;
    std::string path;             // empty: the console
    bool json = false;
    std::set<std::string> groups;  // empty: every group
};

// The group a call belongs to: mqtt, http, config, channel, network,
// notification, time, log, flash, periph, interrupt or device.
std::string_view group_of(std::string_view call);
// Every group name, for checking a --trace-syscalls-groups list.
const std::vector<std::string_view>& group_names();
// The name of `value` in the ABI's enum `type` ("MvStatus"), if it has one.
std::optional<std::string_view> enum_name(std::string_view type, uint32_t value);

// One call's decoded inputs: (name, shown value) in order.
using Fields = std::vector<std::pair<std::string, std::string>>;

// The arguments of `call` as the trace shows them (reads guest memory for
// the structures and strings the call takes as input).
Fields decode_arguments(std::string_view call, const CallArgs& args, GuestMemory& memory);

class SyscallTrace {
public:
    SyscallTrace(Host& host, TraceOptions options, std::string& error);

    bool wants(std::string_view call) const {
        return options_.enabled && (options_.groups.empty() || options_.groups.count(std::string(group_of(call))));
    }
    // One line for a call that returned `status` (decoded before it ran).
    void record(std::string_view call, const Fields& arguments, Status status, uint32_t caller);

    // The line as written (without a newline), for tests.
    std::string format(std::string_view call, const Fields& arguments, Status status,
                       uint32_t caller, int64_t virtual_ns) const;

private:
    Host& host_;
    TraceOptions options_;
    std::ofstream file_;
};

}  // namespace mvemu::trace
