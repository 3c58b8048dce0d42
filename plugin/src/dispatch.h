// The system-call table: veneer slot -> handler.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>

#include "mvemu/stm32u585_map.h"
#include "status.h"

namespace mvemu {

class Backend;

struct Syscall {
    using Handler = Status (*)(Backend&, const CallArgs&);
    std::string_view name;       // empty: no call at this slot
    Handler handler = nullptr;   // null: not emulated yet
    bool unavailable_in_handler = false;  // UNAVAILABLE when called from an ISR
};

// True when `call` runs its handler for `args` (and so is traced): it
// exists, is emulated, and may be called from where it was called.
inline bool is_served(const Syscall* call, const CallArgs& args) {
    return call && !call->name.empty() && call->handler &&
           !(call->unavailable_in_handler && args.from_handler);
}

// Veneer slots 0..MVEMU_VENEER_COUNT-1 (shared/abi/syscalls.md); the names
// are in mvemu/syscall_slots.h.
inline constexpr uint32_t kSyscallSlots = MVEMU_VENEER_COUNT;

class SyscallTable {
public:
    SyscallTable();
    // Register the handler of the call named `name` (must exist in the ABI).
    void set(std::string_view name, Syscall::Handler handler);
    const Syscall* at(uint32_t slot) const {
        return slot < kSyscallSlots ? &slots_[slot] : nullptr;
    }
    int slot_of(std::string_view name) const;

private:
    std::array<Syscall, kSyscallSlots> slots_{};
};

// Every group's handlers (what the backend serves).
void register_all_calls(SyscallTable& table);

// The registration functions, one per group of calls (plugin/src/calls/).
void register_system_calls(SyscallTable& table);
void register_time_calls(SyscallTable& table);
void register_logging_calls(SyscallTable& table);
void register_notification_calls(SyscallTable& table);
void register_peripheral_calls(SyscallTable& table);
void register_network_calls(SyscallTable& table);
void register_channel_calls(SyscallTable& table);
void register_config_calls(SyscallTable& table);
void register_mqtt_calls(SyscallTable& table);
void register_http_calls(SyscallTable& table);
void register_device_calls(SyscallTable& table);
void register_external_flash_calls(SyscallTable& table);
void register_fast_interrupt_calls(SyscallTable& table);

}  // namespace mvemu
