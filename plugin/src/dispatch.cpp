#include "dispatch.h"

#include <stdexcept>
#include <string>

#include "mvemu/syscall_slots.h"

namespace mvemu {

namespace {

struct SlotName {
    uint32_t slot;
    std::string_view name;
    bool unavailable_in_handler;
};

// Every entry of shared/abi/syscalls.md, from the one table the guest SDK's
// entry symbols are made from too (mvemu/syscall_slots.h). The API makes the
// calls flagged there return UNAVAILABLE from interrupt context (semantics.md
// section 10).
constexpr SlotName kSlots[] = {
#define MVEMU_SLOT_NAME(slot, name, unavailable_in_handler) \
    {slot, #name, (unavailable_in_handler) != 0},
    MVEMU_SYSCALLS(MVEMU_SLOT_NAME)
#undef MVEMU_SLOT_NAME
};

// Slots in range and strictly increasing (so none is listed twice).
constexpr bool slots_well_formed() {
    uint32_t next = 0;
    for (const auto& s : kSlots) {
        if (s.slot < next || s.slot >= kSyscallSlots) {
            return false;
        }
        next = s.slot + 1;
    }
    return true;
}
static_assert(slots_well_formed(), "MVEMU_SYSCALLS: slots out of range or out of order");

}  // namespace

SyscallTable::SyscallTable() {
    for (const auto& s : kSlots) {
        slots_[s.slot].name = s.name;
        slots_[s.slot].unavailable_in_handler = s.unavailable_in_handler;
    }
}

int SyscallTable::slot_of(std::string_view name) const {
    for (uint32_t i = 0; i < kSyscallSlots; i++) {
        if (slots_[i].name == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void SyscallTable::set(std::string_view name, Syscall::Handler handler) {
    int slot = slot_of(name);
    if (slot < 0) {
        throw std::logic_error("no system call named " + std::string(name));
    }
    slots_[slot].handler = handler;
}

void register_all_calls(SyscallTable& table) {
    register_system_calls(table);
    register_time_calls(table);
    register_logging_calls(table);
    register_notification_calls(table);
    register_peripheral_calls(table);
    register_network_calls(table);
    register_channel_calls(table);
    register_config_calls(table);
    register_mqtt_calls(table);
    register_http_calls(table);
    register_device_calls(table);
    register_external_flash_calls(table);
    register_fast_interrupt_calls(table);
}

}  // namespace mvemu
