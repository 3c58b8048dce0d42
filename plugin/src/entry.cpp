// The backend library's C entry point (plugin/include/mvemu/backend_abi.h).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include "backend.h"
#include "host_ops_adapter.h"
#include "mvemu/backend_abi.h"

namespace {

struct Instance {
    std::unique_ptr<mvemu::HostOpsAdapter> host;
    std::unique_ptr<mvemu::Backend> backend;
};

mvemu::Backend& backend_of(void* opaque) { return *static_cast<Instance*>(opaque)->backend; }

uint32_t op_syscall(void* opaque, uint32_t entry, const uint32_t args[4], uint32_t flags,
                    uint32_t caller) {
    mvemu::CallArgs call{{args[0], args[1], args[2], args[3]},
                         (flags & MVEMU_CALL_FROM_HANDLER) != 0, caller};
    try {
        return backend_of(opaque).syscall(entry, call);
    } catch (const std::exception& e) {
        // Never let a host-side failure unwind into QEMU.
        backend_of(opaque).console().warn(std::string("internal error: ") + e.what());
        return MV_STATUS_INTERNALERROR;
    }
}

void op_reset(void* opaque) { backend_of(opaque).reset(); }
void op_timer_expired(void* opaque) { backend_of(opaque).timer_expired(); }
void op_main_loop_poll(void* opaque) { backend_of(opaque).main_loop_poll(); }
void op_irq_taken(void* opaque, uint32_t irq) { backend_of(opaque).irq_taken(irq); }

char* op_monitor(void* opaque, const char* command, const char* args_json) {
    std::string result = backend_of(opaque).monitor(command ? command : "",
                                                    args_json ? args_json : "{}");
    return strdup(result.c_str());
}

void op_destroy(void* opaque) { delete static_cast<Instance*>(opaque); }

void copy_error(char* error, size_t error_len, const std::string& text) {
    if (error && error_len) {
        std::snprintf(error, error_len, "%s", text.c_str());
    }
}

// The machine's clock tree wins; a profile that names other frequencies was
// meant for another machine configuration, so say so instead of guessing.
std::string adopt_machine_clocks(mvemu::Profile& profile, const MvemuMachineInfo& machine) {
    const std::pair<const char*, uint32_t*> fields[] = {
        {"sysclk_hz", &profile.sysclk_hz}, {"hclk_hz", &profile.hclk_hz},
        {"pclk1_hz", &profile.pclk1_hz}, {"pclk2_hz", &profile.pclk2_hz}};
    const uint32_t actual[] = {machine.sysclk_hz, machine.hclk_hz, machine.pclk1_hz,
                               machine.pclk2_hz};
    for (size_t i = 0; i < std::size(fields); i++) {
        const auto& given = profile.clocks_given;
        bool named = std::find(given.begin(), given.end(), fields[i].first) != given.end();
        if (named && *fields[i].second != actual[i]) {
            std::string key = fields[i].first;
            std::string prop = key.substr(0, key.size() - 3) + "-frequency";
            return "profile sets [clocks] " + key + " = " + std::to_string(*fields[i].second) +
                   " but the machine runs at " + std::to_string(actual[i]) +
                   " Hz: start QEMU with -M microvisor-stm32u585," + prop + "=" +
                   std::to_string(*fields[i].second) +
                   " (./mvemu run --profile does this for you)";
        }
        *fields[i].second = actual[i];
    }
    return {};
}

// The machine's trace-syscalls* properties.
mvemu::trace::TraceOptions trace_options(const MvemuMachineInfo& machine) {
    mvemu::trace::TraceOptions t;
    t.enabled = machine.trace_syscalls != nullptr;
    t.path = machine.trace_syscalls ? machine.trace_syscalls : "";
    t.json = machine.trace_syscalls_format && std::string(machine.trace_syscalls_format) == "json";
    std::string groups = machine.trace_syscalls_groups ? machine.trace_syscalls_groups : "";
    for (size_t at = 0; at < groups.size();) {
        size_t comma = groups.find(',', at);
        std::string g = groups.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        if (!g.empty()) {
            t.groups.insert(g);
        }
        at = comma == std::string::npos ? groups.size() : comma + 1;
    }
    return t;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) bool mvemu_backend_create(
    const MvemuHostOps* host, const char* profile_path, const MvemuMachineInfo* machine,
    MvemuBackendOps* ops_out, char* error, size_t error_len) {
    if (!host || host->abi_version != MVEMU_BACKEND_ABI_VERSION || !machine) {
        copy_error(error, error_len, "board and backend disagree on the contract version");
        return false;
    }
    std::string message;
    auto profile = mvemu::Profile::load(profile_path ? profile_path : "", message);
    if (!profile) {
        copy_error(error, error_len, message);
        return false;
    }
    if (std::string clash = adopt_machine_clocks(*profile, *machine); !clash.empty()) {
        copy_error(error, error_len, clash);
        return false;
    }
    auto instance = std::make_unique<Instance>();
    instance->host = std::make_unique<mvemu::HostOpsAdapter>(*host);
    instance->backend = std::make_unique<mvemu::Backend>(*instance->host, *profile);
    if (const char* format = machine->trace_syscalls_format;
        format && std::strcmp(format, "text") != 0 && std::strcmp(format, "json") != 0) {
        copy_error(error, error_len,
                   std::string("trace-syscalls-format must be text or json, not ") + format);
        return false;
    }
    if (!instance->backend->start_trace(trace_options(*machine), message) ||
        (machine->traffic && !instance->backend->start_traffic(machine->traffic, message)) ||
        !instance->backend->start(message)) {
        copy_error(error, error_len, message);
        return false;
    }

    *ops_out = MvemuBackendOps{
        MVEMU_BACKEND_ABI_VERSION, instance.release(), op_syscall, op_reset,
        op_timer_expired, op_main_loop_poll, op_irq_taken, op_monitor, op_destroy,
    };
    return true;
}
