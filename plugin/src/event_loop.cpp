#include "event_loop.h"

#include <glib-unix.h>
#include <sys/prctl.h>

#include <future>

namespace mvemu {

namespace {

struct Invocation {
    std::function<void()> fn;
};

gboolean run_invocation(gpointer data) {
    static_cast<Invocation*>(data)->fn();
    return G_SOURCE_REMOVE;
}

void free_invocation(gpointer data) { delete static_cast<Invocation*>(data); }

struct FdWatch {
    std::function<bool(GIOCondition)> callback;
};

gboolean run_fd_watch(gint, GIOCondition condition, gpointer data) {
    return static_cast<FdWatch*>(data)->callback(condition) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

void free_fd_watch(gpointer data) { delete static_cast<FdWatch*>(data); }

}  // namespace

EventLoop::EventLoop()
    : context_(g_main_context_new()), loop_(g_main_loop_new(context_, FALSE)) {
    std::promise<void> started;
    auto ready = started.get_future();
    thread_ = std::thread([this, &started] {
        // Timers here (net/poll_handoff.h) are tens of microseconds; the
        // default 50 us of slack would double them.
        prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
        g_main_context_push_thread_default(context_);
        started.set_value();
        g_main_loop_run(loop_);
        g_main_context_pop_thread_default(context_);
    });
    ready.wait();
}

EventLoop::~EventLoop() {
    // Quit at high priority so a busy fd watch cannot starve the request.
    GSource* source = g_idle_source_new();
    g_source_set_priority(source, G_PRIORITY_HIGH);
    g_source_set_callback(source, run_invocation,
                          new Invocation{[this] { g_main_loop_quit(loop_); }}, free_invocation);
    g_source_attach(source, context_);
    g_source_unref(source);
    thread_.join();
    g_main_loop_unref(loop_);
    g_main_context_unref(context_);
}

void EventLoop::invoke(std::function<void()> fn) {
    GSource* source = g_idle_source_new();
    g_source_set_callback(source, run_invocation, new Invocation{std::move(fn)}, free_invocation);
    g_source_attach(source, context_);
    g_source_unref(source);
}

guint EventLoop::watch_fd(int fd, GIOCondition condition,
                          std::function<bool(GIOCondition)> callback) {
    GSource* source = g_unix_fd_source_new(fd, condition);
    g_source_set_callback(source, reinterpret_cast<GSourceFunc>(reinterpret_cast<void (*)()>(run_fd_watch)),
                          new FdWatch{std::move(callback)}, free_fd_watch);
    guint id = g_source_attach(source, context_);
    g_source_unref(source);
    return id;
}

guint EventLoop::every(unsigned interval_ms, std::function<bool()> callback) {
    GSource* source = g_timeout_source_new(interval_ms);
    g_source_set_callback(
        source,
        [](gpointer data) -> gboolean {
            return (*static_cast<std::function<bool()>*>(data))() ? G_SOURCE_CONTINUE
                                                                  : G_SOURCE_REMOVE;
        },
        new std::function<bool()>(std::move(callback)),
        [](gpointer data) { delete static_cast<std::function<bool()>*>(data); });
    guint id = g_source_attach(source, context_);
    g_source_unref(source);
    return id;
}

void EventLoop::unwatch(guint id) {
    if (GSource* source = g_main_context_find_source_by_id(context_, id)) {
        g_source_destroy(source);
    }
}

}  // namespace mvemu
