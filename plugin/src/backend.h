// The system-call backend: Microvisor's services for one emulated device.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "console.h"
#include "dispatch.h"
#include "guest_memory.h"
#include "handles.h"
#include "host.h"
#include "main_queue.h"
#include "notifications.h"
#include "profile.h"
#include "scheduler.h"

namespace mvemu {

// Application logging state (server log or test log).
struct LogChannel {
    bool initialised = false;
    uint32_t buffer = 0;
    uint32_t size = 0;
};

class Backend {
public:
    Backend(Host& host, Profile profile);

    // Serve system call `slot`; `from_handler` when called from an ISR.
    Status syscall(uint32_t slot, const CallArgs& args);
    // Machine reset: every resource the application held is gone.
    void reset();
    void timer_expired() { scheduler_.run_due(); }
    void main_loop_poll() { main_queue_.drain(); }
    std::string monitor(const std::string& command, const std::string& args_json);

    Host& host() { return host_; }
    GuestMemory& memory() { return memory_; }
    const Profile& profile() const { return profile_; }
    Console& console() { return console_; }
    Scheduler& scheduler() { return scheduler_; }
    MainQueue& main_queue() { return main_queue_; }
    NotificationCenters& centers() { return centers_; }
    HandleAllocator& handles() { return handles_; }
    LogChannel& server_log() { return server_log_; }
    LogChannel& test_log() { return test_log_; }
    uint8_t wake_reason() const { return wake_reason_; }
    void set_next_wake_reason(uint8_t reason) { next_wake_reason_ = reason; }

private:
    Host& host_;
    Profile profile_;
    GuestMemory memory_;
    Console console_;
    Scheduler scheduler_;
    MainQueue main_queue_;
    HandleAllocator handles_;
    NotificationCenters centers_;
    SyscallTable table_;
    LogChannel server_log_;
    LogChannel test_log_;
    uint8_t wake_reason_;
    uint8_t next_wake_reason_;
    std::set<uint32_t> reported_missing_;  // not-yet-emulated calls already logged
};

}  // namespace mvemu
