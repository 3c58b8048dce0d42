// The system-call backend: Microvisor's services for one emulated device.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "console.h"
#include "device/external_flash.h"
#include "device/update_image.h"
#include "dispatch.h"
#include "event_loop.h"
#include "guest_memory.h"
#include "handles.h"
#include "host.h"
#include "main_queue.h"
#include "net/channels.h"
#include "net/network.h"
#include "net/system_notifications.h"
#include "notifications.h"
#include "profile.h"
#include "scheduler.h"
#include "trace/syscall_trace.h"
#include "trace/traffic_log.h"

namespace mvemu {

// Application logging state (server log or test log).
struct LogChannel {
    bool initialised = false;
    uint32_t buffer = 0;
    uint32_t size = 0;
};

// Microvisor's own state of the device that the application changes
// through calls but that is not a handle: it outlives a restart.
struct DeviceState {
    bool led_on = true;                 // mvSystemLedEnable
    bool update_downloaded = false;     // mvemu-update-downloaded was given
    std::optional<UpdateImage> update;  // its new image (none: the same firmware)
    bool apply_update = false;          // mvRestart(AUTOAPPLYUPDATE) asked for it
    bool deep_sleep_requested = false;  // mvDeepSleep: the next reset sleeps
    bool deep_sleeping = false;         // halted until the wake-up
    uint8_t deep_sleep_mode = 0;
    std::string wifi_ssid;              // mvSetWifiConfig; empty: none
    WipedBytes wifi_password;
};

// Fast interrupts (mvSetFastInterrupt and friends): lines the application
// marked fast, their own enable, and the priority the line had before.
struct FastInterrupts {
    struct Line {
        bool enabled = false;
        uint8_t saved_priority = 0;
    };
    std::map<uint32_t, Line> lines;
    bool all_disabled = false;  // mvDisableAllFastInterrupts
};

class Backend {
public:
    Backend(Host& host, Profile profile);

    // Serve system call `slot`; `from_handler` when called from an ISR.
    Status syscall(uint32_t slot, const CallArgs& args);
    // Open what the profile names on the host (the external flash file);
    // false with `error` set when it cannot be used.
    bool start(std::string& error);
    // Trace every system call as `options` say (--trace-syscalls), writing
    // through `sink` (the board, even while recording: the trace is not
    // something the guest sees); false with `error` set for a file that
    // cannot be written or an unknown group.
    bool start_trace(trace::TraceOptions options, Host& sink, std::string& error);
    bool start_trace(trace::TraceOptions options, std::string& error) {
        return start_trace(std::move(options), host_, error);
    }
    // Log every cloud exchange to `path` (--traffic); false with `error`
    // set when it cannot be written.
    bool start_traffic(const std::string& path, std::string& error);
    // Machine reset: every resource the application held is gone.
    void reset();
    void timer_expired() { scheduler_.run_due(); }
    void main_loop_poll() { main_queue_.drain(); }
    void irq_taken(uint32_t irq) { centers_.irq_taken(irq); }
    // A monitor command (docs/network.md); returns a JSON text.
    std::string monitor(const std::string& command, const std::string& args_json);
    // Tell the user once per `key` (e.g. about a call used in an unexpected way).
    void warn_once(const std::string& key, const std::string& text);

    Host& host() { return host_; }
    GuestMemory& memory() { return memory_; }
    const Profile& profile() const { return profile_; }
    Console& console() { return console_; }
    Scheduler& scheduler() { return scheduler_; }
    MainQueue& main_queue() { return main_queue_; }
    NotificationCenters& centers() { return centers_; }
    SystemNotifications& system_notifications() { return system_notifications_; }
    Network& network() { return network_; }
    Channels& channels() { return channels_; }
    HandleAllocator& handles() { return handles_; }
    LogChannel& server_log() { return server_log_; }
    LogChannel& test_log() { return test_log_; }
    uint8_t wake_reason() const { return wake_reason_; }
    void set_next_wake_reason(uint8_t reason) { next_wake_reason_ = reason; }
    DeviceState& device() { return device_; }
    ExternalFlash& external_flash() { return external_flash_; }
    FastInterrupts& fast_interrupts() { return fast_interrupts_; }
    // mvemu-update-downloaded: stage `image` (none: the running firmware
    // again) and tell every UPDATE subscription.
    void update_downloaded(std::optional<UpdateImage> image);

private:
    void apply_update();
    void enter_deep_sleep();

    Host& host_;
    Profile profile_;
    GuestMemory memory_;
    Console console_;
    Scheduler scheduler_;
    MainQueue main_queue_;
    EventLoop event_loop_;  // after main_queue_: stopped before it is destroyed
    HandleAllocator handles_;
    NotificationCenters centers_;
    SystemNotifications system_notifications_;
    Network network_;
    Channels channels_;     // after event_loop_: closes its sockets through it
    ExternalFlash external_flash_;
    DeviceState device_;
    FastInterrupts fast_interrupts_;
    SyscallTable table_;
    std::unique_ptr<trace::SyscallTrace> trace_;  // null: not tracing
    std::unique_ptr<trace::TrafficLog> traffic_;  // null: no traffic log
    LogChannel server_log_;
    LogChannel test_log_;
    uint8_t wake_reason_;
    uint8_t next_wake_reason_;
    std::set<uint32_t> reported_missing_;  // not-yet-emulated calls already logged
    std::set<std::string> warned_;
};

}  // namespace mvemu
