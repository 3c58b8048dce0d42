// The device's network connection and the emulated uplink under it.
//
// Microvisor owns the connection from boot until the application's first
// mvRequestNetwork; from then on it is up while the application holds at
// least one network handle. The uplink (the cellular or Wi-Fi link of a real
// device) is a switch the profile, its outage script and the monitor flip;
// bringing the connection up takes the profile's bring-up time of virtual
// time. Status changes the application did not cause by its own call are
// announced with NETWORKSTATUSCHANGED to every network handle's center and
// to every NETWORK system notification (docs/network.md).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "handles.h"
#include "mv_enums.h"
#include "net/system_notifications.h"
#include "notifications.h"
#include "profile.h"
#include "scheduler.h"

namespace mvemu {

class Network {
public:
    // The most network handles live at once; one more is a PARAMETERFAULT.
    static constexpr size_t kMaxHandles = 16;

    struct Holder {
        uint32_t center;
        uint32_t tag;
    };
    // Told when connectivity is gone: for every channel (lost == 0) or for the
    // channels hosted by one released handle.
    using LossListener = std::function<void(uint32_t released_handle)>;

    Network(Scheduler& scheduler, NotificationCenters& centers,
            SystemNotifications& system, HandleAllocator& handles, const Profile& profile);

    // The application's calls (arguments already validated).
    uint32_t request(uint32_t center, uint32_t tag);  // 0 when no handle is left
    bool release(uint32_t handle);
    bool holds(uint32_t handle) { return holders_.find(handle) != nullptr; }
    MvNetworkStatus status() const { return status_; }
    uint32_t reasons() const;
    uint32_t request_count() const { return static_cast<uint32_t>(holders_.size()); }

    // The emulated uplink (monitor command and outage script).
    void set_link(bool up);
    bool link_up() const { return link_up_; }
    bool application_owns() const { return app_owns_; }
    const HandleTable<Holder>& holders() const { return holders_; }

    void on_loss(LossListener listener) { loss_listener_ = std::move(listener); }
    // Machine reset: Microvisor owns the link again and starts its boot connection.
    void reset();

private:
    // Someone needs the connection: the application, or Microvisor's own
    // boot connection until the application takes over.
    bool wanted() const { return holders_.size() > 0 || !app_owns_; }
    // Recompute the status; `announce` posts NETWORKSTATUSCHANGED if it changed.
    void update(bool announce);
    void schedule_outages();

    Scheduler& scheduler_;
    NotificationCenters& centers_;
    SystemNotifications& system_;
    const Profile& profile_;
    HandleTable<Holder> holders_;
    LossListener loss_listener_;

    bool link_up_ = true;
    bool app_owns_ = false;
    bool connected_ = false;             // bring-up finished and link still up
    Scheduler::TimerId bring_up_ = 0;
    std::vector<Scheduler::TimerId> script_;
    MvNetworkStatus status_ = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
};

}  // namespace mvemu
