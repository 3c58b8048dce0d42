// A TCP connection behind an opaque-bytes channel.
//
// The socket is non-blocking and watched on the backend's event loop thread,
// so network I/O never blocks the vCPU. The channel (under the BQL) may also
// use it directly while it is connected: send_now() while none of its earlier
// bytes are queued here, receive_now() while nothing this thread read is
// still on its way. That saves two thread wake-ups per piece when the
// application writes and polls; whatever it does not poll for still arrives
// through the watch and MainQueue. Received bytes are credited: at most
// kReceiveWindow bytes may wait for the channel to take them, after which
// reading stops and TCP flow control pushes back on the peer.
#pragma once

#include <glib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "event_loop.h"
#include "main_queue.h"
#include "net/poll_handoff.h"

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
    static constexpr size_t kReadChunk = 16 * 1024;  // at most this much per recv

    // Start connecting to "host:port".
    static std::shared_ptr<StreamTransport> open(EventLoop& loop, MainQueue& queue,
                                                 std::string address, Events events);
    ~StreamTransport();

    // Main loop side.
    void send(std::vector<uint8_t> bytes);
    void acknowledge(size_t bytes);  // the channel took this many received bytes
    void shutdown();                 // close; no event is delivered after this
    // How many of `len` bytes the socket took at once: 0 while connecting,
    // closed or full (a failure is left for the loop thread to report). The
    // caller must have no bytes still queued with send().
    size_t send_now(const uint8_t* data, size_t len);
    // Up to `len` bytes the socket holds now, in order after everything
    // `received` has delivered; 0 when there are none or some are on the way.
    size_t receive_now(uint8_t* data, size_t len);
    // How often the loop thread left reading to the application (tests).
    uint64_t read_handoffs() const { return handoff_.handoffs(); }

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

    // Changed on the loop thread only; read by the other side under io_.
    std::mutex io_;      // the fd's number stays valid, reads stay in order
    int fd_ = -1;
    bool connecting_ = true;
    // Loop thread only.
    guint in_watch_ = 0, out_watch_ = 0;
    std::vector<uint8_t> outbox_;
    PollHandoff handoff_{loop_};  // reading left to the application while it polls

    std::atomic<bool> read_paused_{false};   // window full: the watch is off
    std::atomic<size_t> unacknowledged_{0};  // received, not yet taken by the channel
};

}  // namespace mvemu
