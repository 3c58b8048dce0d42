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
#include "replay/recorder.h"
#include "replay/replayer.h"

namespace {

using mvemu::replay::Trigger;
using mvemu::replay::TriggerScope;

// One emulated device: the backend (recorded or not), or a replay of one.
struct Instance {
    std::unique_ptr<mvemu::HostOpsAdapter> host;
    std::unique_ptr<mvemu::replay::Recorder> recorder;  // null: not recording
    std::unique_ptr<mvemu::Backend> backend;            // null: replaying
    std::unique_ptr<mvemu::replay::Replayer> replayer;
};

Instance& instance_of(void* opaque) { return *static_cast<Instance*>(opaque); }

uint32_t op_syscall(void* opaque, uint32_t entry, const uint32_t args[4], uint32_t flags,
                    uint32_t caller) {
    Instance& in = instance_of(opaque);
    mvemu::CallArgs call{{args[0], args[1], args[2], args[3]},
                         (flags & MVEMU_CALL_FROM_HANDLER) != 0, caller};
    if (in.replayer) {
        return in.replayer->syscall(entry, call);
    }
    TriggerScope scope(in.recorder.get(), Trigger::Kind::syscall, entry);
    uint32_t status;
    try {
        status = in.backend->syscall(entry, call);
    } catch (const std::exception& e) {
        // Never let a host-side failure unwind into QEMU.
        in.backend->console().warn(std::string("internal error: ") + e.what());
        status = MV_STATUS_INTERNALERROR;
    }
    scope.set_status(status);
    return status;
}

void op_reset(void* opaque) {
    Instance& in = instance_of(opaque);
    if (in.replayer) {
        in.replayer->reset();
        return;
    }
    TriggerScope scope(in.recorder.get(), Trigger::Kind::reset);
    in.backend->reset();
}

void op_timer_expired(void* opaque) {
    Instance& in = instance_of(opaque);
    if (in.replayer) {
        in.replayer->timer_expired();
        return;
    }
    TriggerScope scope(in.recorder.get(), Trigger::Kind::timer);
    in.backend->timer_expired();
}

void op_main_loop_poll(void* opaque) {
    Instance& in = instance_of(opaque);
    if (in.backend) {
        TriggerScope scope(in.recorder.get(), Trigger::Kind::host_work);
        in.backend->main_loop_poll();
    }
}

void op_irq_taken(void* opaque, uint32_t irq) {
    Instance& in = instance_of(opaque);
    if (in.replayer) {
        in.replayer->irq_taken(irq);
        return;
    }
    TriggerScope scope(in.recorder.get(), Trigger::Kind::irq_taken, irq);
    in.backend->irq_taken(irq);
}

char* op_monitor(void* opaque, const char* command, const char* args_json) {
    Instance& in = instance_of(opaque);
    std::string name = command ? command : "";
    if (in.replayer) {
        return strdup(in.replayer->monitor(name).c_str());
    }
    TriggerScope scope(in.recorder.get(), Trigger::Kind::monitor);
    std::string result = in.backend->monitor(name, args_json ? args_json : "{}");
    return strdup(result.c_str());
}

void op_board_input(void* opaque, const char* input) {
    Instance& in = instance_of(opaque);
    if (in.recorder && input) {
        TriggerScope scope(in.recorder.get(), Trigger::Kind::monitor);
        in.recorder->board_input(input);
    }
}

int64_t op_clock_warp(void* opaque, int64_t executed, int64_t delta_ns) {
    Instance& in = instance_of(opaque);
    if (in.replayer) {
        return in.replayer->clock_warp(executed, delta_ns);
    }
    return in.recorder ? in.recorder->warp(executed, delta_ns) : delta_ns;
}

void op_destroy(void* opaque) {
    Instance* in = static_cast<Instance*>(opaque);
    if (in->recorder) {
        in->recorder->finish();  // while the board still answers clock_ns
    }
    delete in;
}

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
    // A replay serves nothing from the profile (its files may be gone).
    auto profile = mvemu::Profile::load(
        profile_path && !machine->replay ? profile_path : "", message);
    if (!profile) {
        copy_error(error, error_len, message);
        return false;
    }
    if (std::string clash = adopt_machine_clocks(*profile, *machine); !clash.empty()) {
        copy_error(error, error_len, clash);
        return false;
    }
    if (const char* format = machine->trace_syscalls_format;
        format && std::strcmp(format, "text") != 0 && std::strcmp(format, "json") != 0) {
        copy_error(error, error_len,
                   std::string("trace-syscalls-format must be text or json, not ") + format);
        return false;
    }
    if (machine->record && machine->replay) {
        copy_error(error, error_len, "record and replay cannot both be on");
        return false;
    }
    auto instance = std::make_unique<Instance>();
    instance->host = std::make_unique<mvemu::HostOpsAdapter>(*host);
    if (machine->replay) {
        instance->replayer =
            std::make_unique<mvemu::replay::Replayer>(*instance->host, machine->replay, message);
        if (!message.empty() || !instance->replayer->start_trace(trace_options(*machine), message)) {
            copy_error(error, error_len, message);
            return false;
        }
    } else {
        mvemu::Host* guest_side = instance->host.get();
        if (machine->record) {
            instance->recorder = std::make_unique<mvemu::replay::Recorder>(
                *instance->host, machine->record, machine->record_note ? machine->record_note : "",
                message);
            if (!message.empty()) {
                copy_error(error, error_len, message);
                return false;
            }
            guest_side = instance->recorder.get();
        }
        instance->backend = std::make_unique<mvemu::Backend>(*guest_side, *profile);
        if (!instance->backend->start_trace(trace_options(*machine), *instance->host, message) ||
            (machine->traffic && !instance->backend->start_traffic(machine->traffic, message)) ||
            !instance->backend->start(message)) {
            copy_error(error, error_len, message);
            return false;
        }
        if (instance->recorder) {
            instance->recorder->end();  // the start trigger: what creation did
        }
    }

    *ops_out = MvemuBackendOps{
        MVEMU_BACKEND_ABI_VERSION, instance.release(), op_syscall, op_reset,
        op_timer_expired, op_main_loop_poll, op_irq_taken, op_monitor, op_clock_warp,
        op_board_input, op_destroy,
    };
    return true;
}
