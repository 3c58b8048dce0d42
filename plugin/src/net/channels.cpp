#include "net/channels.h"

#include "net/config_fetch_channel.h"
#include "net/mqtt_channel.h"
#include "net/http_channel.h"
#include "net/opaque_bytes_channel.h"

namespace mvemu {

namespace {

constexpr int64_t kRateWindowNs = 1000000000;

// The profile's host map and trust anchors, as the HTTP client takes them.
HttpClientSettings http_settings(const Profile& p) {
    HttpClientSettings s;
    for (const auto& [name, target] : p.hosts) {
        s.connect_to.push_back(HttpClient::connect_to_entry(name, target.host, target.port));
        s.listed_names.push_back(name);
    }
    s.listed_names_only = p.dns_hosts_only;
    s.ca_pem = p.ca_pem;
    return s;
}

}  // namespace

Channels::Channels(Host& host, GuestMemory& memory, NotificationCenters& centers,
                   Network& network, Scheduler& scheduler, EventLoop& loop, MainQueue& queue,
                   HandleAllocator& handles, const Profile& profile)
    : host_(host),
      memory_(memory),
      centers_(centers),
      network_(network),
      scheduler_(scheduler),
      loop_(loop),
      queue_(queue),
      profile_(profile),
      http_(loop, queue, http_settings(profile)),
      channels_(handles) {
    network_.on_loss([this](uint32_t released) { connectivity_lost(released); });
}

Channels::~Channels() { network_.on_loss(nullptr); }

Status Channels::check_buffers(const OpenChannelRequest& r) {
    if (r.receive_size == 0 || r.send_size == 0 || r.receive_size % kBufferGranule != 0 ||
        r.send_size % kBufferGranule != 0) {
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    if (r.receive_buffer % kBufferGranule != 0 || r.send_buffer % kBufferGranule != 0) {
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
    }
    if (MemoryRange{r.receive_buffer, r.receive_size}.overlaps({r.send_buffer, r.send_size})) {
        return MV_STATUS_PARAMETERFAULT;  // one buffer cannot be both
    }
    // A buffer Microvisor is still writing for someone else cannot be lent
    // again; closed channels' buffers can (demos reuse them).
    for (auto& [handle, c] : channels_) {
        for (const ByteRing* ring : {&c->receive_buffer(), &c->send_buffer()}) {
            if (ring->overlaps(r.receive_buffer, r.receive_size) ||
                ring->overlaps(r.send_buffer, r.send_size)) {
                return MV_STATUS_BUFFERALREADYINUSE;
            }
        }
    }
    if (centers_.overlaps(r.receive_buffer, r.receive_size) ||
        centers_.overlaps(r.send_buffer, r.send_size)) {
        return MV_STATUS_BUFFERALREADYINUSE;
    }
    return MV_STATUS_OKAY;
}

bool Channels::admit_open() {
    if (profile_.max_opens_per_second == 0) {
        return true;  // unlimited: nothing to remember
    }
    int64_t now = host_.clock_ns();
    while (!recent_opens_.empty() && now - recent_opens_.front() >= kRateWindowNs) {
        recent_opens_.pop_front();
    }
    if (recent_opens_.size() >= profile_.max_opens_per_second) {
        return false;
    }
    recent_opens_.push_back(now);
    return true;
}

Status Channels::open(const OpenChannelRequest& r, uint32_t& handle) {
    if (!centers_.exists(r.center) || !network_.holds(r.network)) {
        return MV_STATUS_INVALIDHANDLE;
    }
    if (r.type > MV_CHANNELTYPE_CONFIGFETCH) {
        return MV_STATUS_UNKNOWNCHANNELTYPE;
    }
    // Typed channels take no endpoint; opaque bytes only the profile's.
    bool opaque = r.type == MV_CHANNELTYPE_OPAQUEBYTES;
    if (opaque ? profile_.opaque_endpoints.count(r.endpoint) == 0 : !r.endpoint.empty()) {
        return MV_STATUS_UNKNOWNCHANNELENDPOINT;
    }
    if (Status s = check_buffers(r); s != MV_STATUS_OKAY) {
        return s;
    }
    if (network_.status() != MV_NETWORKSTATUS_CONNECTED) {
        return MV_STATUS_NETWORKNOTCONNECTED;
    }
    if (channels_.size() >= kMaxOpen) {
        return MV_STATUS_TOOMANYCHANNELS;
    }
    if (!admit_open()) {  // last check: only opens that happen are counted
        return MV_STATUS_RATELIMITED;
    }
    handle = add_channel(r);
    return MV_STATUS_OKAY;
}

uint32_t Channels::add_channel(const OpenChannelRequest& r) {
    uint32_t h = create_channel(r);
    if (Channel* c = channels_.find(h)) {
        c->set_traffic(traffic_);
    }
    return h;
}

uint32_t Channels::create_channel(const OpenChannelRequest& r) {
    ByteRing rx(r.receive_buffer, r.receive_size), tx(r.send_buffer, r.send_size);
    if (r.type == MV_CHANNELTYPE_CONFIGFETCH) {
        return channels_.add(std::make_unique<ConfigFetchChannel>(r.network, r.center, r.tag, rx,
                                                                  tx, centers_, scheduler_));
    }
    if (r.type == MV_CHANNELTYPE_MQTT) {
        auto owned = std::make_unique<MqttChannel>(
            r.network, r.center, r.tag, rx, tx, centers_, loop_, queue_, mqtt_workers_,
            [this](const std::string& key, const std::string& text) { warn_(key, text); },
            MqttChannel::Breaker{profile_.mqtt_max_incoming_per_second,
                                 [this] { return host_.clock_ns(); }});
        MqttChannel* channel = owned.get();
        uint32_t h = channels_.add(std::move(owned));
        channel->on_lost([this, h](MvClosureReason reason) { lose(h, reason); });
        return h;
    }
    if (r.type == MV_CHANNELTYPE_HTTP) {
        auto report = [this](const std::string& text) { host_.log(LogLevel::warn, "mvemu: " + text); };
        return channels_.add(std::make_unique<HttpChannel>(r.network, r.center, r.tag, rx, tx,
                                                           centers_, scheduler_, http_, report));
    }
    if (r.type != MV_CHANNELTYPE_OPAQUEBYTES) {
        return channels_.add(std::make_unique<ProtocolChannel>(static_cast<MvChannelType>(r.type),
                                                               r.network, r.center, r.tag, rx, tx));
    }
    auto owned = std::make_unique<OpaqueBytesChannel>(r.network, r.center, r.tag, rx, tx, memory_,
                                                      centers_);
    OpaqueBytesChannel* channel = owned.get();
    uint32_t h = channels_.add(std::move(owned));
    // Events find the channel by handle: one closed meanwhile is skipped.
    auto opaque = [this, h]() { return static_cast<OpaqueBytesChannel*>(channels_.find(h)); };
    StreamTransport::Events events{
        [opaque] {
            if (auto c = opaque()) c->on_connected();
        },
        [opaque](std::vector<uint8_t> bytes) {
            if (auto c = opaque()) c->on_received(std::move(bytes));
        },
        [opaque](size_t n) {
            if (auto c = opaque()) c->on_sent(n);
        },
        [this, h](uint32_t reason) { lose(h, static_cast<MvClosureReason>(reason)); },
    };
    channel->attach(StreamTransport::open(loop_, queue_, profile_.opaque_endpoints.at(r.endpoint),
                                          std::move(events)));
    return h;
}

bool Channels::close(uint32_t handle) {
    // Destroying a channel releases what it holds (its socket, for one).
    return channels_.remove(handle);
}

void Channels::lose(uint32_t handle, MvClosureReason reason) {
    Channel* c = channels_.find(handle);
    if (c && c->lose_connection(reason)) {
        centers_.post(c->center(), MV_EVENTTYPE_CHANNELNOTCONNECTED, c->tag());
    }
}

void Channels::connectivity_lost(uint32_t released_network) {
    for (auto& [handle, c] : channels_) {
        if (released_network == 0 || c->network() == released_network) {
            lose(handle, MV_CLOSUREREASON_NETWORKDISCONNECTED);
        }
    }
}

void Channels::reset() {
    channels_.clear();
    recent_opens_.clear();
}

}  // namespace mvemu
