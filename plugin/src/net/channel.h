// One open channel: the application's two circular buffers, the network
// handle hosting it, where its notifications go, and its connection state.
// Each channel type is its own class.
#pragma once

#include <cstdint>

#include "mv_enums.h"
#include "net/byte_ring.h"

namespace mvemu {

namespace trace {
class TrafficLog;
}

class Channel {
public:
    Channel(MvChannelType type, uint32_t network, uint32_t center, uint32_t tag, ByteRing receive,
            ByteRing send)
        : type_(type), network_(network), center_(center), tag_(tag), rx_(receive), tx_(send) {}
    virtual ~Channel() = default;

    MvChannelType type() const { return type_; }
    uint32_t network() const { return network_; }
    uint32_t center() const { return center_; }
    uint32_t tag() const { return tag_; }
    ByteRing& receive_buffer() { return rx_; }
    ByteRing& send_buffer() { return tx_; }
    const ByteRing& receive_buffer() const { return rx_; }
    const ByteRing& send_buffer() const { return tx_; }

    bool connected() const { return closure_reason_ == MV_CLOSUREREASON_NONE; }

    // Where the channel reports its cloud exchanges (--traffic); null: nowhere.
    void set_traffic(trace::TrafficLog* traffic) { traffic_ = traffic; }
    trace::TrafficLog* traffic() const { return traffic_; }
    MvClosureReason closure_reason() const { return closure_reason_; }

    // Whether the application reads and writes this channel's bytes itself
    // (mvReadChannel, mvWriteChannel...). Typed channels' buffers belong to
    // Microvisor's protocol engine instead.
    virtual bool byte_stream() const = 0;

    // The connection is gone for `reason`. Data already received stays
    // readable; nothing new arrives and nothing more is sent. Returns false
    // if the channel had already lost its connection.
    bool lose_connection(MvClosureReason reason) {
        if (!connected()) {
            return false;
        }
        closure_reason_ = reason;
        disconnected();
        return true;
    }

protected:
    virtual void disconnected() {}

private:
    MvChannelType type_;
    uint32_t network_, center_, tag_;
    ByteRing rx_, tx_;
    MvClosureReason closure_reason_ = MV_CLOSUREREASON_NONE;
    trace::TrafficLog* traffic_ = nullptr;
};

// MQTT channels. Their protocol calls (mvMqtt*) are not emulated yet; they
// will get their own class derived from Channel, as config fetch
// (net/config_fetch_channel.h) and HTTP (net/http_channel.h) have.
class ProtocolChannel : public Channel {
public:
    using Channel::Channel;
    bool byte_stream() const override { return false; }
};

}  // namespace mvemu
