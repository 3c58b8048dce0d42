// The open channels: mvOpenChannel's checks and limits, closing, and what
// happens to channels when connectivity goes away.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "event_loop.h"
#include "main_queue.h"
#include "net/channel.h"
#include "net/mqtt_session.h"
#include "net/http_client.h"
#include "net/network.h"
#include "notifications.h"
#include "profile.h"
#include "scheduler.h"
#include "status.h"

namespace mvemu {

// MvOpenChannelParams v1, decoded; pointers not yet checked beyond range.
struct OpenChannelRequest {
    uint32_t center = 0, tag = 0, network = 0;
    uint32_t receive_buffer = 0, receive_size = 0;
    uint32_t send_buffer = 0, send_size = 0;
    uint32_t type = 0;
    std::string endpoint;
};

class Channels {
public:
    static constexpr size_t kMaxOpen = 4;                 // TOOMANYCHANNELS beyond
    static constexpr uint32_t kBufferGranule = 512;       // size and alignment of buffers

    Channels(Host& host, GuestMemory& memory, NotificationCenters& centers, Network& network,
             Scheduler& scheduler, EventLoop& loop, MainQueue& queue, HandleAllocator& handles,
             const Profile& profile);
    ~Channels();

    Status open(const OpenChannelRequest& request, uint32_t& handle);
    bool close(uint32_t handle);
    Channel* find(uint32_t handle) { return channels_.find(handle); }
    const HandleTable<Channel>& all() const { return channels_; }

    // Connectivity is gone for every channel (`released_network` 0) or for
    // the channels hosted by one released network handle.
    void connectivity_lost(uint32_t released_network);
    void reset();
    // Where channels report things the user should hear once (Backend::warn_once).
    using Warn = std::function<void(const std::string& key, const std::string& text)>;
    void set_warn(Warn warn) { warn_ = std::move(warn); }

    // Every channel opened from now on reports its cloud exchanges here (--traffic).
    void set_traffic(trace::TrafficLog* traffic) { traffic_ = traffic; }

private:
    Status check_buffers(const OpenChannelRequest& r);
    // The rate limit: true (and the open is counted) unless 8 opens (the
    // profile's number) happened in the last second of virtual time.
    bool admit_open();
    void lose(uint32_t handle, MvClosureReason reason);
    uint32_t add_channel(const OpenChannelRequest& r);
    uint32_t create_channel(const OpenChannelRequest& r);

    Host& host_;
    GuestMemory& memory_;
    NotificationCenters& centers_;
    Network& network_;
    Scheduler& scheduler_;
    EventLoop& loop_;
    MainQueue& queue_;
    trace::TrafficLog* traffic_ = nullptr;
    const Profile& profile_;
    Warn warn_ = [](const std::string&, const std::string&) {};
    MqttConnectWorkers mqtt_workers_;  // before channels_: joined after they shut down
    HttpClient http_;  // before channels_: HTTP channels cancel their transfers through it
    HandleTable<Channel> channels_;
    std::deque<int64_t> recent_opens_;  // virtual ns of the opens in the last second
};

}  // namespace mvemu
