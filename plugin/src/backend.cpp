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
      external_flash_(handles_, profile_.external_flash_size, profile_.external_flash_chip_id),
      wake_reason_(profile_.wake_reason),
      next_wake_reason_(profile_.wake_reason) {
    register_all_calls(table_);
    channels_.set_warn([this](const std::string& key, const std::string& text) {
        warn_once(key, text);
    });
    centers_.set_irq_reserved(
        [this](uint32_t irq) { return fast_interrupts_.lines.count(irq) != 0; });
    device_.wifi_ssid = profile_.wifi_ssid;
    device_.wifi_password = profile_.wifi_password;
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
    if (!trace_ || !is_served(call, args) || !trace_->wants(call->name)) {
        return call->handler(*this, args);
    }
    // Decoded before the call: what it reads, not what it wrote back.
    trace::Fields arguments = trace::decode_arguments(call->name, args, memory_);
    Status status = call->handler(*this, args);
    trace_->record(call->name, arguments, status, args.caller);
    return status;
}

bool Backend::start_traffic(const std::string& path, std::string& error) {
    traffic_ = std::make_unique<trace::TrafficLog>(host_, profile_.device_id, path, error);
    if (!error.empty()) {
        traffic_.reset();
        return false;
    }
    channels_.set_traffic(traffic_.get());
    return true;
}

bool Backend::start_trace(trace::TraceOptions options, Host& sink, std::string& error) {
    if (!options.enabled) {
        return true;
    }
    trace_ = std::make_unique<trace::SyscallTrace>(sink, std::move(options), error);
    return error.empty();
}

bool Backend::start(std::string& error) {
    return profile_.external_flash_file.empty() ||
           external_flash_.attach(profile_.external_flash_file, error);
}

void Backend::update_downloaded(std::optional<UpdateImage> image) {
    device_.update_downloaded = true;
    device_.update = std::move(image);
    console_.info(device_.update ? "update downloaded: " + device_.update->path
                                 : std::string("update downloaded (the running firmware)"));
    system_notifications_.for_each(SystemSource::update, [&](uint32_t center, uint32_t tag) {
        centers_.post(center, MV_EVENTTYPE_UPDATEDOWNLOADED, tag);
    });
}

// mvRestart(AUTOAPPLYUPDATE) with an update staged: erase the application's
// flash and program the new image, before the CPU runs again.
void Backend::apply_update() {
    device_.apply_update = false;
    device_.update_downloaded = false;
    std::optional<UpdateImage> image = std::move(device_.update);
    device_.update.reset();
    if (!image) {
        console_.info("update applied (the same firmware)");
        return;
    }
    std::vector<uint8_t> erased(MVEMU_APP_FLASH_SIZE, 0xFF);
    bool ok = host_.flash_program(MVEMU_APP_FLASH_BASE, erased.data(), MVEMU_APP_FLASH_SIZE);
    for (const auto& seg : image->segments) {
        ok = ok && host_.flash_program(seg.address, seg.bytes.data(),
                                       static_cast<uint32_t>(seg.bytes.size()));
    }
    if (ok) {
        console_.info("update applied: " + image->path);
    } else {
        console_.warn("the board refused to program " + image->path);
    }
}

void Backend::enter_deep_sleep() {
    device_.deep_sleep_requested = false;
    device_.deep_sleeping = true;
    host_.cpu_halt();  // a reset NVIC enables nothing: only the wake-up reset ends it
    scheduler_.after(int64_t{profile_.deep_sleep_ms} * 1000000, [this] {
        device_.deep_sleeping = false;
        console_.info(std::string("deep sleep over: waking with ") +
                      wake_reason_name(profile_.deep_sleep_wake_reason));
        next_wake_reason_ = profile_.deep_sleep_wake_reason;
        host_.request_reset();
    });
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
    external_flash_.close_all();
    fast_interrupts_ = {};
    if (!device_.led_on) {
        device_.led_on = true;  // Microvisor shows its LED again at every boot
        console_.info("system LED: on");
    }
    wake_reason_ = next_wake_reason_;
    next_wake_reason_ = profile_.wake_reason;
    if (device_.apply_update) {
        apply_update();
    }
    if (device_.deep_sleep_requested) {
        enter_deep_sleep();
    }
}

void Backend::warn_once(const std::string& key, const std::string& text) {
    if (warned_.insert(key).second) {
        console_.warn(text);
    }
}

}  // namespace mvemu
