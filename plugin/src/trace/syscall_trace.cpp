#include "trace/syscall_trace.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "text_format.h"
#include "trace/call_signatures.h"

namespace mvemu::trace {

namespace {

struct GroupRule {
    std::string_view prefix;
    std::string_view group;
};

// First match wins: longer prefixes before the ones they start with.
constexpr GroupRule kGroups[] = {
    {"mvMqtt", "mqtt"},
    {"mvSendHttpRequest", "http"},
    {"mvReadHttpResponse", "http"},
    {"mvSendConfigFetchRequest", "config"},
    {"mvReadConfig", "config"},
    {"mvOpenChannel", "channel"},
    {"mvCloseChannel", "channel"},
    {"mvWriteChannel", "channel"},
    {"mvReadChannel", "channel"},
    {"mvGetChannelClosureReason", "channel"},
    {"mvRequestNetwork", "network"},
    {"mvReleaseNetwork", "network"},
    {"mvGetNetwork", "network"},
    {"mvSetupNotifications", "notification"},
    {"mvCloseNotifications", "notification"},
    {"mvTempTriggerNotification", "notification"},
    {"mvOpenSystemNotification", "notification"},
    {"mvCloseSystemNotification", "notification"},
    {"mvGetMicroseconds", "time"},
    {"mvGetWallTime", "time"},
    {"mvGetSysClk", "time"},
    {"mvGetHClk", "time"},
    {"mvGetPClk", "time"},
    {"mvServerLog", "log"},
    {"mvTest", "log"},
    {"mvExternalFlash", "flash"},
    {"mvPeriph", "periph"},
    {"mvEnableFastInterrupt", "interrupt"},
    {"mvDisableFastInterrupt", "interrupt"},
    {"mvSetFastInterrupt", "interrupt"},
    {"mvClearFastInterrupt", "interrupt"},
    {"mvEnableAllFastInterrupts", "interrupt"},
    {"mvDisableAllFastInterrupts", "interrupt"},
};

}  // namespace

std::string_view group_of(std::string_view call) {
    for (const GroupRule& r : kGroups) {
        if (call.substr(0, r.prefix.size()) == r.prefix) {
            return r.group;
        }
    }
    return "device";
}

const std::vector<std::string_view>& group_names() {
    static const std::vector<std::string_view> names = {
        "mqtt", "http", "config", "channel", "network", "notification",
        "time", "log", "flash", "periph", "interrupt", "device"};
    return names;
}

std::optional<std::string_view> enum_name(std::string_view type, uint32_t value) {
    for (const EnumNames& e : enum_tables()) {
        if (e.type != type) {
            continue;
        }
        for (const auto& [v, name] : e.values) {
            if (v == value) {
                return name;
            }
        }
    }
    return std::nullopt;
}

SyscallTrace::SyscallTrace(Host& host, TraceOptions options, std::string& error)
    : host_(host), options_(std::move(options)) {
    for (const std::string& g : options_.groups) {
        bool known = false;
        for (std::string_view name : group_names()) {
            known = known || name == g;
        }
        if (!known) {
            error = "trace-syscalls-groups: no group \"" + g + "\" (groups: mqtt, http, config, "
                    "channel, network, notification, time, log, flash, periph, interrupt, device)";
            return;
        }
    }
    if (options_.enabled && !options_.path.empty()) {
        file_.open(options_.path, std::ios::trunc);
        if (!file_) {
            error = "trace-syscalls: cannot write " + options_.path;
        }
    }
}

std::string SyscallTrace::format(std::string_view call, const Fields& arguments, Status status,
                                 uint32_t caller, int64_t virtual_ns) const {
    std::string status_name(enum_name("MvStatus", status).value_or("UNKNOWN"));
    if (options_.json) {
        nlohmann::ordered_json line = {
            {"t", virtual_seconds(virtual_ns)}, {"pc", hex32(caller)}, {"call", call},
            {"group", group_of(call)}, {"status", status_name}};
        nlohmann::ordered_json args = nlohmann::ordered_json::object();
        for (const auto& [name, value] : arguments) {
            args[name] = value;
        }
        line["args"] = std::move(args);
        return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    std::string text = console_stamp(virtual_ns) + "syscall: " + std::string(call) + "(";
    for (size_t i = 0; i < arguments.size(); i++) {
        text += (i ? ", " : "") + arguments[i].first + "=" + arguments[i].second;
    }
    return text + ") -> " + status_name + " pc=" + hex32(caller);
}

void SyscallTrace::record(std::string_view call, const Fields& arguments, Status status,
                          uint32_t caller) {
    std::string line = format(call, arguments, status, caller, host_.clock_ns());
    if (file_.is_open()) {
        file_ << line << '\n';
        file_.flush();
    } else {
        host_.log(LogLevel::info, line);
    }
}

}  // namespace mvemu::trace
