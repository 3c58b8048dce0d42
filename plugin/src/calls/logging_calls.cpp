// Application logging: mvServerLoggingInit/mvServerLog, and the application
// test mode's mvTestLoggingInit/mvTestLog/mvTestingComplete.
#include "backend.h"

namespace mvemu {

namespace {

constexpr uint32_t kLogBufferGranule = 512;  // alignment and size unit, as for channel buffers

Status init_log(Backend& b, LogChannel& log, const CallArgs& c) {
    uint32_t buffer = c.a[0], size = c.a[1];
    if (!b.memory().writable(buffer, size)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (buffer % kLogBufferGranule != 0) {
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
    }
    if (size == 0 || size % kLogBufferGranule != 0) {
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    log = {true, buffer, size};
    return MV_STATUS_OKAY;
}

Status write_log(Backend& b, LogChannel& log, const char* source, const CallArgs& c) {
    uint32_t message = c.a[0];
    uint32_t length = c.a[1] & 0xffffu;  // uint16_t parameter: upper bits are not part of it
    if (!log.initialised) {
        return MV_STATUS_UNAVAILABLE;
    }
    if (length > b.profile().log_max_message || length > log.size) {
        return MV_STATUS_LOGMESSAGETOOLONG;
    }
    auto text = b.memory().read_bytes(message, length);
    if (!text) {
        return MV_STATUS_PARAMETERFAULT;
    }
    // Lines reach the console at once, so the buffer never fills up here.
    b.console().guest_line(source, *text);
    return MV_STATUS_OKAY;
}

Status server_logging_init(Backend& b, const CallArgs& c) { return init_log(b, b.server_log(), c); }
Status server_log(Backend& b, const CallArgs& c) { return write_log(b, b.server_log(), "server", c); }

Status test_logging_init(Backend& b, const CallArgs& c) {
    if (!b.profile().application_test_mode) {
        return MV_STATUS_UNAVAILABLE;
    }
    return init_log(b, b.test_log(), c);
}

Status test_log(Backend& b, const CallArgs& c) {
    if (!b.profile().application_test_mode) {
        return MV_STATUS_UNAVAILABLE;
    }
    return write_log(b, b.test_log(), "test", c);
}

// The firmware's verdict becomes QEMU's exit status: 0 passes; any other
// value fails with its low byte (or 1 when that byte is 0).
int exit_status_for(uint32_t verdict) {
    if (verdict == 0) {
        return 0;
    }
    return (verdict & 0xffu) != 0 ? static_cast<int>(verdict & 0xffu) : 1;
}

Status testing_complete(Backend& b, const CallArgs& c) {
    if (!b.profile().application_test_mode) {
        return MV_STATUS_UNAVAILABLE;
    }
    b.console().info("testing complete: status " + std::to_string(c.a[0]) +
                     (c.a[0] == 0 ? " (pass)" : " (fail)"));
    b.host().request_exit(exit_status_for(c.a[0]));
    return MV_STATUS_OKAY;
}

}  // namespace

void register_logging_calls(SyscallTable& table) {
    table.set("mvServerLoggingInit", server_logging_init);
    table.set("mvServerLog", server_log);
    table.set("mvTestLoggingInit", test_logging_init);
    table.set("mvTestLog", test_log);
    table.set("mvTestingComplete", testing_complete);
}

}  // namespace mvemu
