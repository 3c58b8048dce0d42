#include "net/opaque_bytes_channel.h"

namespace mvemu {

OpaqueBytesChannel::OpaqueBytesChannel(uint32_t network, uint32_t center, uint32_t tag,
                                       ByteRing receive, ByteRing send, GuestMemory& memory,
                                       NotificationCenters& centers)
    : Channel(MV_CHANNELTYPE_OPAQUEBYTES, network, center, tag, receive, send),
      memory_(memory),
      centers_(centers) {}

OpaqueBytesChannel::~OpaqueBytesChannel() {
    if (transport_) {
        transport_->shutdown();
    }
}

void OpaqueBytesChannel::reading() {
    readable_notice_ = true;
    if (!transport_ready_ || !connected()) {
        return;
    }
    // Only an application that finds its buffer empty reads the socket: one
    // that reads what the loop thread delivered is not polling it
    // (net/poll_handoff.h).
    if (!arrived_.empty() || receive_buffer().used() > 0) {
        return;
    }
    uint32_t room = std::min<uint32_t>(receive_buffer().free(), StreamTransport::kReadChunk);
    if (room == 0) {
        return;
    }
    scratch_.resize(room);
    size_t n = transport_->receive_now(scratch_.data(), room);
    if (n > 0) {
        // Not announced: the application sees them in this call
        // (docs/decisions.md, "Bytes a polling application reads itself").
        receive_buffer().put(memory_, scratch_.data(), static_cast<uint32_t>(n));
    }
}

void OpaqueBytesChannel::announce_readable() {
    if (readable_notice_) {
        readable_notice_ = false;
        centers_.post(center(), MV_EVENTTYPE_CHANNELDATAREADABLE, tag());
    }
}

void OpaqueBytesChannel::read_complete(uint32_t bytes) {
    receive_buffer().consume(bytes);
    readable_notice_ = true;
    fill_receive_buffer();
}

bool OpaqueBytesChannel::write(uint32_t data, uint32_t len) {
    auto bytes = memory_.read_bytes(data, len);
    if (!bytes || !send_buffer().put(memory_, bytes->data(), len)) {
        return false;
    }
    flush();
    return true;
}

void OpaqueBytesChannel::flush() {
    uint32_t waiting = send_buffer().used() - in_flight_;
    if (!transport_ready_ || !connected() || waiting == 0) {
        return;
    }
    std::vector<uint8_t> bytes = send_buffer().peek(memory_, in_flight_, waiting);
    if (in_flight_ == 0) {
        // Nothing of ours is queued on the loop thread: the socket may take
        // these now, in order.
        auto n = static_cast<uint32_t>(transport_->send_now(bytes.data(), bytes.size()));
        if (n > 0) {
            sent(n);
            bytes.erase(bytes.begin(), bytes.begin() + n);
        }
        if (bytes.empty()) {
            return;
        }
    }
    in_flight_ += static_cast<uint32_t>(bytes.size());
    transport_->send(std::move(bytes));
}

void OpaqueBytesChannel::sent(uint32_t bytes) {
    send_buffer().consume(bytes);
    if (writespace_notice_ && bytes > 0) {
        writespace_notice_ = false;
        centers_.post(center(), MV_EVENTTYPE_CHANNELDATAWRITESPACE, tag());
    }
}

void OpaqueBytesChannel::on_connected() {
    transport_ready_ = true;
    flush();  // what the application wrote while the connection was being made
}

void OpaqueBytesChannel::on_sent(size_t bytes) {
    uint32_t n = std::min<uint32_t>(static_cast<uint32_t>(bytes), in_flight_);
    in_flight_ -= n;
    sent(n);
}

void OpaqueBytesChannel::on_received(std::vector<uint8_t> bytes) {
    if (!connected()) {
        return;
    }
    arrived_.insert(arrived_.end(), bytes.begin(), bytes.end());
    fill_receive_buffer();
}

void OpaqueBytesChannel::fill_receive_buffer() {
    uint32_t n = std::min<uint32_t>(receive_buffer().free(), static_cast<uint32_t>(arrived_.size()));
    if (n == 0) {
        return;
    }
    std::vector<uint8_t> chunk(arrived_.begin(), arrived_.begin() + n);
    if (!receive_buffer().put(memory_, chunk.data(), n)) {
        return;
    }
    arrived_.erase(arrived_.begin(), arrived_.begin() + n);
    transport_->acknowledge(n);
    announce_readable();
}

void OpaqueBytesChannel::disconnected() {
    // After a link loss nothing new is added (networking guide). What a peer
    // sent before closing the connection itself was received, and still
    // reaches the receive buffer as the application makes room.
    if (closure_reason() == MV_CLOSUREREASON_NETWORKDISCONNECTED) {
        arrived_.clear();
    }
    if (transport_) {
        transport_->shutdown();
    }
}

}  // namespace mvemu
