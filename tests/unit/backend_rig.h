// A Backend wired to a FakeHost, and the system-call slot numbers the tests
// use (shared/abi/syscalls.md: entry N is the veneer at 0x0C1FE000 + 8*N).
#pragma once

#include <utility>

#include "backend.h"
#include "fake_host.h"

namespace slot {
inline constexpr uint32_t mvGetMicroseconds = 2, mvGetSysClk = 3, mvGetDeviceId = 5,
                          mvGetWallTime = 7, mvRequestNetwork = 8, mvCloseNotifications = 10,
                          mvSetupNotifications = 16, mvGetPClk1 = 17, mvGetPClk2 = 18,
                          mvPeriphPoke32 = 21, mvGetHClk = 23, mvNoOp = 27,
                          mvTempTriggerNotification = 28, mvPeriphPeek32 = 30,
                          mvServerLoggingInit = 36, mvServerLog = 37, mvTestingComplete = 55,
                          mvTestLog = 56, mvTestLoggingInit = 57, mvGetWakeReason = 63,
                          mvRestart = 64;
}  // namespace slot

// Network and channel calls (test_network.cpp, test_channels.cpp).
namespace slot {
inline constexpr uint32_t mvWriteChannelStream = 1, mvWriteChannel = 6,
                          mvGetChannelClosureReason = 9, mvReadChannelComplete = 14,
                          mvReadChannel = 22, mvOpenChannel = 24, mvGetNetworkReasons = 25,
                          mvReleaseNetwork = 26, mvGetNetworkStatus = 29, mvCloseChannel = 31,
                          mvOpenSystemNotification = 60, mvCloseSystemNotification = 61;
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
