// mvNoOp, mvGetWakeReason, mvRestart.
#include "backend.h"

namespace mvemu {

namespace {

Status no_op(Backend&, const CallArgs&) { return MV_STATUS_OKAY; }

Status get_wake_reason(Backend& b, const CallArgs& c) {
    // enum MvWakeReason is one byte wide (shared/abi/enums.md).
    return b.memory().write_u8(c.a[0], b.wake_reason()) ? MV_STATUS_OKAY
                                                        : MV_STATUS_PARAMETERFAULT;
}

Status restart(Backend& b, const CallArgs& c) {
    if (c.a[0] != MV_RESTARTMODE_AUTOAPPLYUPDATE) {
        return MV_STATUS_PARAMETERFAULT;
    }
    // A downloaded update (mvemu-update-downloaded) is applied by the reset;
    // without one the restart applies an empty update. Either way the next
    // boot reports an application update (docs/decisions.md).
    b.console().info("application requested a restart");
    b.device().apply_update = b.device().update_downloaded;
    b.set_next_wake_reason(MV_WAKEREASON_APPLICATIONUPDATE);
    b.host().request_reset();
    return MV_STATUS_OKAY;
}

}  // namespace

void register_system_calls(SyscallTable& table) {
    table.set("mvNoOp", no_op);
    table.set("mvGetWakeReason", get_wake_reason);
    table.set("mvRestart", restart);
}

}  // namespace mvemu
