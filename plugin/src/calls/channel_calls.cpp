// mvOpenChannel, mvCloseChannel, mvGetChannelClosureReason, and the
// byte-stream calls mvReadChannel, mvReadChannelComplete, mvWriteChannel,
// mvWriteChannelStream.
//
// The byte-stream calls serve opaque-bytes channels. On MQTT, HTTP and
// config-fetch channels Microvisor's protocol engine owns the buffers, so
// they return UNAVAILABLE there (docs/network.md).
#include "backend.h"
#include "calls/handle_out.h"
#include "net/opaque_bytes_channel.h"

namespace mvemu {

namespace {

namespace L = layout;

constexpr uint32_t kMaxEndpointLength = 256;

Status open_channel(Backend& b, const CallArgs& c) {
    GuestMemory& m = b.memory();
    auto p = m.read_struct(c.a[0], L::open_channel_params::size);
    if (!p || !m.writable_aligned(c.a[1], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (p->u32(L::open_channel_params::version) != 1) {
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    }
    OpenChannelRequest r;
    r.center = p->u32(L::open_channel_params::notification_handle);
    r.tag = p->u32(L::open_channel_params::notification_tag);
    r.network = p->u32(L::open_channel_params::network_handle);
    r.receive_buffer = p->u32(L::open_channel_params::receive_buffer);
    r.receive_size = p->u32(L::open_channel_params::receive_buffer_len);
    r.send_buffer = p->u32(L::open_channel_params::send_buffer);
    r.send_size = p->u32(L::open_channel_params::send_buffer_len);
    r.type = p->u32(L::open_channel_params::channel_type);
    uint32_t endpoint = p->u32(L::open_channel_params::endpoint_data);
    uint32_t endpoint_length = p->u32(L::open_channel_params::endpoint_length);

    // Pointers inside the struct: both buffers in application RAM, the
    // endpoint readable (only looked at when its length is not zero).
    if (!m.writable(r.receive_buffer, r.receive_size) || !m.writable(r.send_buffer, r.send_size)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (endpoint_length > kMaxEndpointLength) {
        return MV_STATUS_UNKNOWNCHANNELENDPOINT;  // no endpoint has such a name
    }
    if (endpoint_length > 0) {  // demos pass "" or any dummy pointer with length 0
        auto name = m.read_bytes(endpoint, endpoint_length);
        if (!name) {
            return MV_STATUS_PARAMETERFAULT;
        }
        r.endpoint.assign(name->begin(), name->end());
    }

    uint32_t handle = 0;
    Status s = b.channels().open(r, handle);
    if (s == MV_STATUS_OKAY) {
        m.write_u32(c.a[1], handle);
    }
    return s;
}

Status close_channel(Backend& b, const CallArgs& c) {
    // Any live channel closes, also one whose connection is already gone.
    return end_resource(b.memory(), c.a[0], [&](uint32_t h) { return b.channels().close(h); });
}

Status get_closure_reason(Backend& b, const CallArgs& c) {
    if (!b.memory().writable_aligned(c.a[1], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    Channel* channel = b.channels().find(c.a[0]);
    if (!channel) {
        return MV_STATUS_INVALIDHANDLE;
    }
    b.memory().write_u32(c.a[1], channel->closure_reason());
    return MV_STATUS_OKAY;
}

// The opaque-bytes channel behind `handle`, or the status refusing the call.
OpaqueBytesChannel* byte_channel(Backend& b, uint32_t handle, std::string_view call,
                                 Status& refusal) {
    Channel* channel = b.channels().find(handle);
    if (!channel) {
        refusal = MV_STATUS_INVALIDHANDLE;
        return nullptr;
    }
    if (!channel->byte_stream()) {
        b.warn_once(std::string(call) + "/typed",
                    std::string(call) +
                        " on an MQTT, HTTP or config-fetch channel: Microvisor drives that "
                        "channel's buffers itself; it returns MV_STATUS_UNAVAILABLE");
        refusal = MV_STATUS_UNAVAILABLE;
        return nullptr;
    }
    return static_cast<OpaqueBytesChannel*>(channel);
}

Status read_channel(Backend& b, const CallArgs& c) {
    if (!b.memory().writable_aligned(c.a[1], 4, 4) || !b.memory().writable_aligned(c.a[2], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    Status refusal;
    OpaqueBytesChannel* channel = byte_channel(b, c.a[0], "mvReadChannel", refusal);
    if (!channel) {
        return refusal;
    }
    channel->reading();
    const ByteRing& rx = channel->receive_buffer();
    // After a loss what was received can still be read; once it is all
    // read, the channel reports itself closed.
    if (rx.used() == 0 && !channel->connected()) {
        return MV_STATUS_CHANNELCLOSED;
    }
    b.memory().write_u32(c.a[1], rx.read_address());
    b.memory().write_u32(c.a[2], rx.contiguous());
    return MV_STATUS_OKAY;
}

Status read_channel_complete(Backend& b, const CallArgs& c) {
    Status refusal;
    OpaqueBytesChannel* channel = byte_channel(b, c.a[0], "mvReadChannelComplete", refusal);
    if (!channel) {
        return refusal;
    }
    if (c.a[1] > channel->receive_buffer().used()) {
        return MV_STATUS_PARAMETERFAULT;  // more than was there to read
    }
    channel->read_complete(c.a[1]);
    return MV_STATUS_OKAY;
}

// mvWriteChannel (all or nothing) and mvWriteChannelStream (what fits).
Status write(Backend& b, const CallArgs& c, bool stream) {
    Status refusal;
    OpaqueBytesChannel* channel =
        byte_channel(b, c.a[0], stream ? "mvWriteChannelStream" : "mvWriteChannel", refusal);
    if (!channel) {
        return refusal;
    }
    uint32_t data = c.a[1], len = c.a[2], out = c.a[3];
    if (!b.memory().readable(data, len)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    bool out_ok = b.memory().writable_aligned(out, 4, 4);
    if (!channel->connected()) {
        return MV_STATUS_CHANNELCLOSED;
    }
    uint32_t space = channel->write_space();
    uint32_t take = stream ? std::min(len, space) : (len <= space ? len : 0);
    if (take < len) {
        channel->refused_write();  // announce space once some frees up
    }
    if (take == 0) {
        // Nothing taken: mvWriteChannel reports the free space, the stream
        // call that it wrote nothing.
        if (!stream && len > 0) {
            if (out_ok) {
                b.memory().write_u32(out, space);
            }
            return MV_STATUS_INVALIDBUFFERSIZE;
        }
        if (!out_ok) {
            return MV_STATUS_PARAMETERFAULT;
        }
        b.memory().write_u32(out, stream ? 0 : space);
        return MV_STATUS_OKAY;
    }
    if (!channel->write(data, take)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    // The data is in the send buffer: a bad output pointer is now a late fault.
    if (!out_ok) {
        return MV_STATUS_LATEFAULT;
    }
    b.memory().write_u32(out, stream ? take : channel->write_space());
    return MV_STATUS_OKAY;
}

Status write_channel(Backend& b, const CallArgs& c) { return write(b, c, false); }
Status write_channel_stream(Backend& b, const CallArgs& c) { return write(b, c, true); }

}  // namespace

void register_channel_calls(SyscallTable& table) {
    table.set("mvOpenChannel", open_channel);
    table.set("mvCloseChannel", close_channel);
    table.set("mvGetChannelClosureReason", get_closure_reason);
    table.set("mvReadChannel", read_channel);
    table.set("mvReadChannelComplete", read_channel_complete);
    table.set("mvWriteChannel", write_channel);
    table.set("mvWriteChannelStream", write_channel_stream);
}

}  // namespace mvemu
