// The backend's own event loop: a GLib main context on a dedicated thread,
// where host sockets are watched so that no network I/O ever blocks the vCPU.
// Results travel back to the guest through MainQueue.
#pragma once

#include <glib.h>

#include <functional>
#include <thread>

namespace mvemu {

class EventLoop {
public:
    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Run `fn` on the loop thread (thread-safe).
    void invoke(std::function<void()> fn);
    // Watch `fd` for `condition` on the loop thread; the callback returns
    // false to stop watching. Returns the GLib source id.
    guint watch_fd(int fd, GIOCondition condition, std::function<bool(GIOCondition)> callback);
    // Call `callback` on the loop thread every `interval_ms` while it returns
    // true. Returns the GLib source id (stop it with unwatch()).
    guint every(unsigned interval_ms, std::function<bool()> callback);
    // Stop a watch (loop thread only; a watch whose callback returned false
    // is already gone and must not be passed here).
    void unwatch(guint id);
    GMainContext* context() const { return context_; }
    bool on_loop_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

private:
    GMainContext* context_;
    GMainLoop* loop_;
    std::thread thread_;
};

}  // namespace mvemu
