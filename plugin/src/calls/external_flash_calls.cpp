// mvExternalFlashOpen, mvExternalFlashClose, mvExternalFlashGetInfo,
// mvExternalFlashReadBlocking, mvExternalFlashWriteBlocking,
// mvExternalFlashEraseBlocking. The part is in device/external_flash.*.
#include "backend.h"
#include "calls/handle_out.h"

namespace mvemu {

namespace {

namespace L = layout;

Status flash_open(Backend& b, const CallArgs& c) {
    if (!b.memory().writable_aligned(c.a[0], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    uint32_t handle = b.external_flash().open();
    if (handle == 0) {
        return MV_STATUS_TOOMANYCHANNELS;  // "Too many open handles. Current limit is 32."
    }
    b.memory().write_u32(c.a[0], handle);
    return MV_STATUS_OKAY;
}

Status flash_close(Backend& b, const CallArgs& c) {
    return end_resource(b.memory(), c.a[0], [&](uint32_t h) { return b.external_flash().close(h); });
}

Status flash_get_info(Backend& b, const CallArgs& c) {
    if (!b.memory().writable_aligned(c.a[1], L::external_flash_info::size, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (!b.external_flash().is_open(c.a[0])) {
        return MV_STATUS_INVALIDHANDLE;
    }
    // The application sets `version`; only 1 exists.
    auto version = b.memory().read_u32(c.a[1] + L::external_flash_info::version);
    if (version != 1u) {
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    }
    ExternalFlash& f = b.external_flash();
    b.memory().write_u32(c.a[1] + L::external_flash_info::chip_id, f.chip_id());
    b.memory().write_u32(c.a[1] + L::external_flash_info::flash_size, f.size());
    b.memory().write_u32(c.a[1] + L::external_flash_info::num_handles, f.open_count());
    return MV_STATUS_OKAY;
}

// The checks read, write and erase share, in the order the header lists
// them: the buffer, the handle, the range.
Status check_access(Backend& b, const CallArgs& c, bool buffer_is_output) {
    uint32_t length = c.a[2], buffer = c.a[3];
    bool buffer_ok = buffer_is_output ? b.memory().writable(buffer, length)
                                      : b.memory().readable(buffer, length);
    if (length && !buffer_ok) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (!b.external_flash().is_open(c.a[0])) {
        return MV_STATUS_INVALIDHANDLE;
    }
    if (!b.external_flash().in_range(c.a[1], length)) {
        return MV_STATUS_ADDRESSOUTOFRANGE;
    }
    return MV_STATUS_OKAY;
}

Status flash_read(Backend& b, const CallArgs& c) {
    if (Status s = check_access(b, c, true); s != MV_STATUS_OKAY) {
        return s;
    }
    if (c.a[2] && !b.memory().write_bytes(c.a[3], b.external_flash().read(c.a[1], c.a[2]).data(),
                                          c.a[2])) {
        return MV_STATUS_PARAMETERFAULT;
    }
    return MV_STATUS_OKAY;
}

Status flash_write(Backend& b, const CallArgs& c) {
    if (Status s = check_access(b, c, false); s != MV_STATUS_OKAY) {
        return s;
    }
    if (c.a[2] == 0) {
        return MV_STATUS_OKAY;
    }
    auto bytes = b.memory().read_bytes(c.a[3], c.a[2]);
    if (!bytes) {
        return MV_STATUS_PARAMETERFAULT;
    }
    b.external_flash().program(c.a[1], *bytes);
    return MV_STATUS_OKAY;
}

Status flash_erase(Backend& b, const CallArgs& c) {
    uint32_t address = c.a[1], length = c.a[2];
    if (!b.external_flash().is_open(c.a[0])) {
        return MV_STATUS_INVALIDHANDLE;
    }
    if (!b.external_flash().in_range(address, length)) {
        return MV_STATUS_ADDRESSOUTOFRANGE;
    }
    if (address % ExternalFlash::kSectorSize || length % ExternalFlash::kSectorSize) {
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
    }
    b.external_flash().erase(address, length);
    return MV_STATUS_OKAY;
}

}  // namespace

void register_external_flash_calls(SyscallTable& table) {
    table.set("mvExternalFlashOpen", flash_open);
    table.set("mvExternalFlashClose", flash_close);
    table.set("mvExternalFlashGetInfo", flash_get_info);
    table.set("mvExternalFlashReadBlocking", flash_read);
    table.set("mvExternalFlashWriteBlocking", flash_write);
    table.set("mvExternalFlashEraseBlocking", flash_erase);
}

}  // namespace mvemu
