// mvRequestNetwork, mvReleaseNetwork, mvGetNetworkStatus, mvGetNetworkReasons,
// mvOpenSystemNotification, mvCloseSystemNotification.
#include "backend.h"
#include "calls/handle_out.h"

namespace mvemu {

namespace {

namespace L = layout;

Status request_network(Backend& b, const CallArgs& c) {
    auto params = b.memory().read_struct(c.a[0], L::request_network_params::size);
    if (!params || !b.memory().writable_aligned(c.a[1], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (params->u32(L::request_network_params::version) != 1) {
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    }
    uint32_t center = params->u32(L::request_network_params::notification_handle);
    // The call documents no INVALIDHANDLE: a bad field is a PARAMETERFAULT.
    if (!b.centers().exists(center)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    uint32_t handle =
        b.network().request(center, params->u32(L::request_network_params::notification_tag));
    if (handle == 0) {
        return MV_STATUS_PARAMETERFAULT;  // every network handle is taken
    }
    b.memory().write_u32(c.a[1], handle);
    return MV_STATUS_OKAY;
}

Status release_network(Backend& b, const CallArgs& c) {
    return end_resource(b.memory(), c.a[0], [&](uint32_t h) { return b.network().release(h); });
}

Status get_network_status(Backend& b, const CallArgs& c) {
    if (!b.memory().writable_aligned(c.a[1], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (!b.network().holds(c.a[0])) {
        return MV_STATUS_INVALIDHANDLE;
    }
    b.memory().write_u32(c.a[1], b.network().status());
    return MV_STATUS_OKAY;
}

Status get_network_reasons(Backend& b, const CallArgs& c) {
    if (!b.memory().writable_aligned(c.a[0], 4, 4) || !b.memory().writable_aligned(c.a[1], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    b.memory().write_u32(c.a[0], b.network().reasons());
    b.memory().write_u32(c.a[1], b.network().request_count());
    return MV_STATUS_OKAY;
}

Status open_system_notification(Backend& b, const CallArgs& c) {
    auto params = b.memory().read_struct(c.a[0], L::open_system_notification_params::size);
    if (!params || !b.memory().writable_aligned(c.a[1], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    uint32_t center = params->u32(L::open_system_notification_params::notification_handle);
    uint32_t source = params->u32(L::open_system_notification_params::notification_source);
    if (!b.centers().exists(center) || source > MV_SYSTEMNOTIFICATIONSOURCE_UPDATE) {
        return MV_STATUS_INVALIDHANDLE;
    }
    uint32_t tag = params->u32(L::open_system_notification_params::notification_tag);
    uint32_t handle =
        b.system_notifications().open(center, tag, static_cast<SystemSource>(source));
    b.memory().write_u32(c.a[1], handle);
    // An update downloaded before the subscription is still waiting to be
    // applied: say so at once rather than never.
    if (source == MV_SYSTEMNOTIFICATIONSOURCE_UPDATE && b.device().update_downloaded) {
        b.centers().post(center, MV_EVENTTYPE_UPDATEDOWNLOADED, tag);
    }
    return MV_STATUS_OKAY;
}

Status close_system_notification(Backend& b, const CallArgs& c) {
    return end_resource(b.memory(), c.a[0],
                        [&](uint32_t h) { return b.system_notifications().close(h); });
}

}  // namespace

void register_network_calls(SyscallTable& table) {
    table.set("mvRequestNetwork", request_network);
    table.set("mvReleaseNetwork", release_network);
    table.set("mvGetNetworkStatus", get_network_status);
    table.set("mvGetNetworkReasons", get_network_reasons);
    table.set("mvOpenSystemNotification", open_system_notification);
    table.set("mvCloseSystemNotification", close_system_notification);
}

}  // namespace mvemu
