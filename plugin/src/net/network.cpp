#include "net/network.h"

namespace mvemu {

Network::Network(Scheduler& scheduler, NotificationCenters& centers,
                 SystemNotifications& system, HandleAllocator& handles, const Profile& profile)
    : scheduler_(scheduler),
      centers_(centers),
      system_(system),
      profile_(profile),
      holders_(handles) {}

uint32_t Network::request(uint32_t center, uint32_t tag) {
    if (holders_.size() >= kMaxHandles) {
        return 0;
    }
    bool already_connected = status_ == MV_NETWORKSTATUS_CONNECTED;
    app_owns_ = true;
    uint32_t handle = holders_.add(std::make_unique<Holder>(Holder{center, tag}));
    // The caller knows it asked: a change it causes here is not announced.
    update(false);
    if (already_connected && profile_.notify_when_already_connected) {
        centers_.post(center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, tag);
    }
    return handle;
}

bool Network::release(uint32_t handle) {
    if (!holders_.remove(handle)) {
        return false;
    }
    // Channels hosted by this handle lose their network whatever the others do.
    if (loss_listener_) {
        loss_listener_(handle);
    }
    update(false);
    return true;
}

uint32_t Network::reasons() const {
    uint32_t r = MV_NETWORKREASON_NOTCONNECTING;
    if (!app_owns_) {
        r |= MV_NETWORKREASON_NEVERUSEDNETWORKAPI | MV_NETWORKREASON_COLDBOOTCONNECTION;
    }
    if (holders_.size() > 0) {
        r |= MV_NETWORKREASON_USINGNETWORK;
    }
    if (profile_.wall_clock == WallClock::not_set) {
        r |= MV_NETWORKREASON_RTCNOTSET;
    }
    return r;
}

void Network::set_link(bool up) {
    if (up == link_up_) {
        return;
    }
    link_up_ = up;
    update(true);
}

void Network::update(bool announce) {
    bool was_connected = connected_;
    if (!wanted() || !link_up_) {
        connected_ = false;
        scheduler_.cancel(bring_up_);
        bring_up_ = 0;
    } else if (!connected_ && bring_up_ == 0) {
        bring_up_ = scheduler_.after(int64_t{profile_.bring_up_ms} * 1000000, [this] {
            bring_up_ = 0;
            connected_ = true;
            update(true);
        });
    }
    if (was_connected && !connected_ && loss_listener_) {
        loss_listener_(0);  // every open channel loses its connection
    }

    MvNetworkStatus next = !wanted()    ? MV_NETWORKSTATUS_DELIBERATELYOFFLINE
                           : connected_ ? MV_NETWORKSTATUS_CONNECTED
                                        : MV_NETWORKSTATUS_CONNECTING;
    if (next == status_) {
        return;
    }
    status_ = next;
    if (!announce) {
        return;
    }
    for (auto& [handle, h] : holders_) {
        centers_.post(h->center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, h->tag);
    }
    system_.for_each(SystemSource::network, [this](uint32_t center, uint32_t tag) {
        centers_.post(center, MV_EVENTTYPE_NETWORKSTATUSCHANGED, tag);
    });
}

void Network::schedule_outages() {
    for (const auto& outage : profile_.outages) {
        int64_t start = int64_t{outage.at_ms} * 1000000;
        int64_t end = start + int64_t{outage.for_ms} * 1000000;
        script_.push_back(scheduler_.after(start, [this] { set_link(false); }));
        script_.push_back(scheduler_.after(end, [this] { set_link(true); }));
    }
}

void Network::reset() {
    // The scheduler has dropped every timer; forget their ids.
    bring_up_ = 0;
    script_.clear();
    holders_.clear();
    app_owns_ = false;
    connected_ = false;
    link_up_ = profile_.link_up_at_boot;
    status_ = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    schedule_outages();
    update(false);  // Microvisor's boot connection
}

}  // namespace mvemu
