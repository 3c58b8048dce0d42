// A Backend wired to a FakeHost, and the system-call slot numbers the tests
// use (mvemu/syscall_slots.h: entry N is the veneer at VENEER_BASE + 8*N).
#pragma once

#include <utility>

#include "backend.h"
#include "fake_host.h"
#include "mvemu/syscall_slots.h"

// slot::mvNoOp and friends, for every call, from the one table.
namespace slot {
#define MVEMU_SLOT_CONSTANT(number, name, unavailable_in_handler) \
    inline constexpr uint32_t name = number;
MVEMU_SYSCALLS(MVEMU_SLOT_CONSTANT)
#undef MVEMU_SLOT_CONSTANT
}  // namespace slot

// Addresses tests commonly hand to the backend.
inline constexpr uint32_t kRamBase = FakeHost::kRamBase;
inline constexpr uint32_t kRamEnd = FakeHost::kRamBase + FakeHost::kRamSize;  // one past
inline constexpr uint32_t kFlashBase = FakeHost::kFlashBase;
inline constexpr uint32_t kScratch = 0x20000100u;  // word-aligned output area

struct Rig {
    FakeHost host;  // declared first: the Backend keeps a reference to it
    mvemu::Backend backend;

    explicit Rig(mvemu::Profile profile = {}) : backend(host, std::move(profile)) {}

    mvemu::Status call(uint32_t s, uint32_t a0 = 0, uint32_t a1 = 0, uint32_t a2 = 0,
                       uint32_t a3 = 0) {
        return backend.syscall(s, mvemu::CallArgs{{a0, a1, a2, a3}, false});
    }
    mvemu::Status call_from_handler(uint32_t s, uint32_t a0 = 0, uint32_t a1 = 0,
                                    uint32_t a2 = 0, uint32_t a3 = 0) {
        return backend.syscall(s, mvemu::CallArgs{{a0, a1, a2, a3}, true});
    }
};
