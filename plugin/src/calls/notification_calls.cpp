// mvSetupNotifications, mvCloseNotifications, mvTempTriggerNotification.
#include "backend.h"

namespace mvemu {

namespace {

Status setup(Backend& b, const CallArgs& c) { return b.centers().setup(c.a[0], c.a[1]); }
Status close(Backend& b, const CallArgs& c) { return b.centers().close(c.a[0]); }

Status trigger(Backend& b, const CallArgs& c) {
    if (c.a[1] > MV_EVENTTYPE_UPDATEDOWNLOADED) {
        return MV_STATUS_PARAMETERFAULT;  // not an MvEventType
    }
    return b.centers().trigger(c.a[0], c.a[1], c.a[2]);
}

}  // namespace

void register_notification_calls(SyscallTable& table) {
    table.set("mvSetupNotifications", setup);
    table.set("mvCloseNotifications", close);
    table.set("mvTempTriggerNotification", trigger);
}

}  // namespace mvemu
