// A NetRig with a connected network and helpers to open, close and use
// channels (test_channels.cpp, test_config.cpp).
#pragma once

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "net_rig.h"

namespace chanrig {

using namespace netrig;

namespace P = mvemu::layout::open_channel_params;

inline constexpr uint32_t kParams = 0x20000300u;    // MvOpenChannelParams (44 bytes)
inline constexpr uint32_t kChanOut = 0x20000340u;   // channel handle in/out
inline constexpr uint32_t kPtrOut = 0x20000344u;    // mvReadChannel's pointer output
inline constexpr uint32_t kLenOut = 0x20000348u;    // mvReadChannel's length / write's output
inline constexpr uint32_t kEndpoint = 0x20000380u;  // endpoint name
inline constexpr uint32_t kData = 0x20010000u;      // bytes to write (up to 64 KiB)
inline constexpr uint32_t kNetTag = 0x4e4554u;

// Channel i's buffers: 1 KiB receive, 512 B send, 512-aligned, apart from
// the centers' rings (0x20001000..0x20001300).
constexpr uint32_t rx_of(uint32_t i) { return 0x20008000u + i * 0x1000u; }
constexpr uint32_t tx_of(uint32_t i) { return 0x20008800u + i * 0x1000u; }
inline constexpr uint32_t kRxLen = 1024, kTxLen = 512;

struct OpenParams {
    uint32_t version = 1;
    uint32_t center = 0, tag = 0x434800u, network = 0;
    uint32_t rx = rx_of(0), rx_len = kRxLen, tx = tx_of(0), tx_len = kTxLen;
    uint32_t type = MV_CHANNELTYPE_MQTT;
    uint32_t endpoint = kEndpoint, endpoint_len = 0;
};

struct ChanRig : NetRig {
    Center c{};
    uint32_t net = 0;

    explicit ChanRig(mvemu::Profile p = {}) : NetRig(std::move(p)) {
        c = center();
        net = request(c, kNetTag);
        run_until(kBringUp);
        REQUIRE(status() == MV_NETWORKSTATUS_CONNECTED);
        connected_records_ = records(c).size();  // the CONNECTED record
        REQUIRE(connected_records_ == 1);
    }

    OpenParams params(uint32_t i = 0, uint32_t type = MV_CHANNELTYPE_MQTT) {
        OpenParams o;
        o.center = c.handle;
        o.network = net;
        o.rx = rx_of(i);
        o.tx = tx_of(i);
        o.type = type;
        if (type == MV_CHANNELTYPE_OPAQUEBYTES) {
            host.put_string(kEndpoint, "echo");
            o.endpoint_len = 4;
        }
        return o;
    }
    mvemu::Status open(const OpenParams& o, uint32_t out = kChanOut) {
        const uint32_t fields[][2] = {
            {P::version, o.version},           {P::notification_handle, o.center},
            {P::notification_tag, o.tag},      {P::network_handle, o.network},
            {P::receive_buffer, o.rx},         {P::receive_buffer_len, o.rx_len},
            {P::send_buffer, o.tx},            {P::send_buffer_len, o.tx_len},
            {P::channel_type, o.type},         {P::endpoint_data, o.endpoint},
            {P::endpoint_length, o.endpoint_len},
        };
        for (auto& f : fields) host.write_u32(kParams + f[0], f[1]);
        if (out == kChanOut) host.write_u32(kChanOut, 0xEEEEEEEEu);
        return call(slot::mvOpenChannel, kParams, out);
    }
    uint32_t open_ok(const OpenParams& o) {
        REQUIRE(open(o) == MV_STATUS_OKAY);
        uint32_t h = host.read_u32(kChanOut);
        REQUIRE(h != 0);
        return h;
    }
    uint32_t open_ok(uint32_t i = 0, uint32_t type = MV_CHANNELTYPE_MQTT) {
        return open_ok(params(i, type));
    }
    mvemu::Status close(uint32_t h) {
        host.write_u32(kChanOut, h);
        return call(slot::mvCloseChannel, kChanOut);
    }
    uint32_t closure(uint32_t h) {
        host.write_u32(kLenOut, 0xEEEEEEEEu);
        REQUIRE(call(slot::mvGetChannelClosureReason, h, kLenOut) == MV_STATUS_OKAY);
        return host.read_u32(kLenOut);
    }
    // mvReadChannel: status, and (pointer, length) when OKAY.
    mvemu::Status read(uint32_t h, uint32_t& ptr, uint32_t& len) {
        mvemu::Status s = call(slot::mvReadChannel, h, kPtrOut, kLenOut);
        ptr = host.read_u32(kPtrOut);
        len = host.read_u32(kLenOut);
        return s;
    }
    // Read and release everything readable now (both sides of a wrap).
    std::string drain(uint32_t h) {
        std::string out;
        for (int i = 0; i < 4; i++) {
            uint32_t ptr = 0, len = 0;
            if (read(h, ptr, len) != MV_STATUS_OKAY || len == 0) break;
            out += host.read_string(ptr, len);
            REQUIRE(call(slot::mvReadChannelComplete, h, len) == MV_STATUS_OKAY);
        }
        return out;
    }
    mvemu::Status write(uint32_t h, const std::string& bytes, bool stream = false,
                        uint32_t out = kLenOut) {
        host.put_string(kData, bytes);
        return call(stream ? slot::mvWriteChannelStream : slot::mvWriteChannel, h, kData,
                    uint32_t(bytes.size()), out);
    }
    mvemu::Channel* channel(uint32_t h) { return backend.channels().find(h); }
    // Records on center `c` since the network came up.
    std::vector<Record> new_records() {
        auto all = records(c);
        return std::vector<Record>(all.begin() + long(connected_records_), all.end());
    }
    size_t channel_records(uint32_t type) {
        size_t n = 0;
        for (const auto& rec : new_records()) n += rec.first == type;
        return n;
    }

private:
    size_t connected_records_ = 0;
};

// Wait (wall time, bounded) until `done`, draining the backend's main-loop
// queue whenever the fake host was woken, as QEMU's main loop would.
template <typename F>
inline bool wait_for(Rig& r, F done, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int woken = r.host.wakes;
        r.backend.main_loop_poll();
        if (done()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        for (int i = 0; i < 50 && r.host.wakes == woken; i++) {
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
    }
}

}  // namespace chanrig
