#include "backend.h"

namespace mvemu {

Backend::Backend(Host& host, Profile profile)
    : host_(host),
      profile_(std::move(profile)),
      memory_(host_),
      console_(host_, profile_.device_id, profile_.log_file),
      scheduler_(host_),
      main_queue_(host_),
      handles_(profile_.handle_seed),
      centers_(host_, memory_, scheduler_, handles_, profile_.max_centers,
               profile_.delivery_gap_us),
      system_notifications_(handles_),
      network_(scheduler_, centers_, system_notifications_, handles_, profile_),
      channels_(host_, memory_, centers_, network_, scheduler_, event_loop_, main_queue_, handles_,
                profile_),
      wake_reason_(profile_.wake_reason),
      next_wake_reason_(profile_.wake_reason) {
    register_system_calls(table_);
    register_time_calls(table_);
    register_logging_calls(table_);
    register_notification_calls(table_);
    register_peripheral_calls(table_);
    register_network_calls(table_);
    register_channel_calls(table_);
    register_config_calls(table_);
    register_mqtt_calls(table_);
    channels_.set_warn([this](const std::string& key, const std::string& text) {
        warn_once(key, text);
    });
    register_http_calls(table_);
    network_.reset();  // power-on: Microvisor starts its boot connection
}

Status Backend::syscall(uint32_t slot, const CallArgs& args) {
    const Syscall* call = table_.at(slot);
    if (!call || call->name.empty()) {
        // The board only fills veneers for slots 0..73; slots 20 and 71 were
        // never assigned a call.
        return MV_STATUS_UNAVAILABLE;
    }
    if (call->unavailable_in_handler && args.from_handler) {
        return MV_STATUS_UNAVAILABLE;
    }
    if (!call->handler) {
        if (reported_missing_.insert(slot).second) {
            console_.warn(std::string(call->name) +
                          " is not emulated yet; it returns MV_STATUS_UNAVAILABLE");
        }
        return MV_STATUS_UNAVAILABLE;
    }
    return call->handler(*this, args);
}

void Backend::reset() {
    channels_.reset();
    system_notifications_.reset();
    centers_.reset();
    scheduler_.cancel_all();
    main_queue_.clear();
    network_.reset();
    server_log_ = {};
    test_log_ = {};
    wake_reason_ = next_wake_reason_;
    next_wake_reason_ = profile_.wake_reason;
}

void Backend::warn_once(const std::string& key, const std::string& text) {
    if (warned_.insert(key).second) {
        console_.warn(text);
    }
}

}  // namespace mvemu
