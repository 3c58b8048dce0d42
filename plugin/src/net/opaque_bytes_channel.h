// An opaque-bytes channel: the application's bytes go to and come from a
// TCP endpoint named in the profile ([channels.opaque_bytes_endpoints], an
// emulator extension; the device knows no endpoints today).
//
// Send path: mvWriteChannel copies into the send buffer; bytes are handed to
// the transport and leave the buffer when the socket has taken them, at once
// when it takes them in the call itself.
// Receive path: bytes from the socket are copied into the receive buffer as
// space allows; the rest waits in the transport's credit window. An
// application that reads takes what the socket holds in that call.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "net/channel.h"
#include "net/stream_transport.h"
#include "notifications.h"

namespace mvemu {

class OpaqueBytesChannel : public Channel {
public:
    OpaqueBytesChannel(uint32_t network, uint32_t center, uint32_t tag, ByteRing receive,
                       ByteRing send, GuestMemory& memory, NotificationCenters& centers);
    ~OpaqueBytesChannel() override;

    bool byte_stream() const override { return true; }
    void attach(std::shared_ptr<StreamTransport> transport) { transport_ = std::move(transport); }

    // The application's byte-stream calls (handle and pointers validated).
    // It is about to look at the receive buffer: fill it from the socket
    // first, and tell it about data that arrives later.
    void reading();
    void read_complete(uint32_t bytes);
    // Copy `len` bytes at guest address `data` into the send buffer; false if
    // they do not all fit (the next freed space is then announced).
    bool write(uint32_t data, uint32_t len);
    uint32_t write_space() const { return send_buffer().free(); }
    void refused_write() { writespace_notice_ = true; }
    // How often the loop thread left the socket's reading to the application.
    uint64_t read_handoffs() const { return transport_ ? transport_->read_handoffs() : 0; }

    // Transport events (main loop).
    void on_connected();
    void on_received(std::vector<uint8_t> bytes);
    void on_sent(size_t bytes);

private:
    void disconnected() override;
    void flush();
    void sent(uint32_t bytes);
    void fill_receive_buffer();
    void announce_readable();

    GuestMemory& memory_;
    NotificationCenters& centers_;
    std::shared_ptr<StreamTransport> transport_;
    bool transport_ready_ = false;
    uint32_t in_flight_ = 0;            // send-buffer bytes handed to the socket
    std::deque<uint8_t> arrived_;       // received, waiting for receive-buffer space
    std::vector<uint8_t> scratch_;      // bytes on their way from the socket
    bool readable_notice_ = true;       // announce the next data that arrives
    bool writespace_notice_ = false;    // a write was refused: announce freed space
};

}  // namespace mvemu
