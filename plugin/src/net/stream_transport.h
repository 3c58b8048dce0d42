// A TCP connection behind an opaque-bytes channel.
//
// The socket lives on the backend's event loop thread, so network I/O never
// blocks the vCPU. The channel (on QEMU's main loop) reaches it only through
// EventLoop::invoke and hears back only through MainQueue. Received bytes are
// credited: at most kReceiveWindow bytes may wait for the channel to take
// them, after which reading stops and TCP flow control pushes back on the peer.
#pragma once

#include <glib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "event_loop.h"
#include "main_queue.h"

namespace mvemu {

class StreamTransport : public std::enable_shared_from_this<StreamTransport> {
public:
    // Run on the main loop, never after shutdown().
    struct Events {
        std::function<void()> connected;
        std::function<void(std::vector<uint8_t>)> received;
        std::function<void(size_t)> sent;
        std::function<void(uint32_t closure_reason)> closed;  // MvClosureReason
    };
    static constexpr size_t kReceiveWindow = 64 * 1024;

    // Start connecting to "host:port".
    static std::shared_ptr<StreamTransport> open(EventLoop& loop, MainQueue& queue,
                                                 std::string address, Events events);
    ~StreamTransport();

    // Main loop side.
    void send(std::vector<uint8_t> bytes);
    void acknowledge(size_t bytes);  // the channel took this many received bytes
    void shutdown();                 // close; no event is delivered after this

private:
    StreamTransport(EventLoop& loop, MainQueue& queue, std::string address, Events events);

    // Loop thread side.
    void connect_now();
    bool on_writable();
    bool on_readable();
    void watch(GIOCondition condition, bool (StreamTransport::*handler)(), guint StreamTransport::*id);
    void watch_readable();
    void watch_writable();
    void fail(uint32_t closure_reason);
    void close_socket();
    void deliver(std::function<void()> event);

    EventLoop& loop_;
    MainQueue& queue_;
    const std::string address_;
    const Events events_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // main loop only

    // Loop thread only.
    int fd_ = -1;
    bool connecting_ = true;
    bool read_paused_ = false;
    guint in_watch_ = 0, out_watch_ = 0;
    std::vector<uint8_t> outbox_;

    std::atomic<size_t> unacknowledged_{0};  // received, not yet taken by the channel
};

}  // namespace mvemu
