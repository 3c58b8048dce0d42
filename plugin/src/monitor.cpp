// Monitor commands (QMP mvemu-set-link / query-mvemu-network and their HMP
// forms): the board passes the command name and JSON arguments, and turns
// the JSON answer into QAPI types. docs/network.md lists them.
#include <nlohmann/json.hpp>

#include "backend.h"

namespace mvemu {

namespace {

using nlohmann::json;

const char* status_name(MvNetworkStatus s) {
    switch (s) {
    case MV_NETWORKSTATUS_CONNECTED: return "connected";
    case MV_NETWORKSTATUS_CONNECTING: return "connecting";
    case MV_NETWORKSTATUS_DISCONNECTEDWITHLINKUP: return "disconnected-with-link-up";
    default: return "deliberately-offline";
    }
}

const char* type_name(MvChannelType t) {
    switch (t) {
    case MV_CHANNELTYPE_MQTT: return "mqtt";
    case MV_CHANNELTYPE_HTTP: return "http";
    case MV_CHANNELTYPE_CONFIGFETCH: return "config-fetch";
    default: return "opaque-bytes";
    }
}

const char* closure_name(MvClosureReason r) {
    static const char* const names[] = {
        "none", "channel-closed-by-server", "channel-reset-by-server", "network-disconnected",
        "connection-terminated", "not-yet-open", "closed-by-application",
        "unexpectedly-terminated",
    };
    return r < std::size(names) ? names[r] : "unexpectedly-terminated";
}

json query_network(Backend& b) {
    Network& net = b.network();
    json networks = json::array();
    for (const auto& [handle, h] : net.holders()) {
        networks.push_back(
            {{"handle", handle}, {"notification-handle", h->center}, {"notification-tag", h->tag}});
    }
    json channels = json::array();
    for (const auto& [handle, c] : b.channels().all()) {
        channels.push_back({{"handle", handle},
                            {"type", type_name(c->type())},
                            {"network-handle", c->network()},
                            {"connected", c->connected()},
                            {"closure-reason", closure_name(c->closure_reason())},
                            {"readable-bytes", c->receive_buffer().used()},
                            {"unsent-bytes", c->send_buffer().used()}});
    }
    return {{"link-up", net.link_up()},
            {"owner", net.application_owns() ? "application" : "microvisor"},
            {"status", status_name(net.status())},
            {"reasons", net.reasons()},
            {"request-count", net.request_count()},
            {"networks", networks},
            {"channels", channels}};
}

json error(const std::string& text) { return {{"error", text}}; }

// query-mvemu-device: Microvisor's own state of the device. The Wi-Fi
// password is never part of it.
json query_device(Backend& b) {
    DeviceState& d = b.device();
    json reply = {{"system-led", d.led_on},
                  {"power", d.deep_sleeping || d.deep_sleep_requested ? "deep-sleep" : "running"},
                  {"wake-reason", wake_reason_name(b.wake_reason())},
                  {"update-downloaded", d.update_downloaded},
                  {"wifi-configured", !d.wifi_ssid.empty()},
                  {"external-flash-size", b.external_flash().size()}};
    if (d.update) {
        reply["update-image"] = d.update->path;
    }
    if (!d.wifi_ssid.empty()) {
        reply["wifi-ssid"] = d.wifi_ssid;
    }
    return reply;
}

}  // namespace

std::string Backend::monitor(const std::string& command, const std::string& args_json) {
    json args = json::parse(args_json.empty() ? "{}" : args_json, nullptr, false);
    if (args.is_discarded() || !args.is_object()) {
        return error("arguments are not a JSON object").dump();
    }
    if (command == "query-network") {
        return query_network(*this).dump();
    }
    if (command == "query-device") {
        return query_device(*this).dump();
    }
    if (command == "update-downloaded") {
        std::optional<UpdateImage> image;
        if (auto path = args.find("path"); path != args.end()) {
            if (!path->is_string()) {
                return error("update-downloaded: path must be a string").dump();
            }
            std::string problem;
            image = UpdateImage::load(path->get<std::string>(), problem);
            if (!image) {
                return error("update-downloaded: " + problem).dump();
            }
        }
        update_downloaded(std::move(image));
        return json::object().dump();
    }
    if (command == "link-set") {
        auto up = args.find("up");
        if (up == args.end() || !up->is_boolean()) {
            return error("link-set needs {\"up\": true|false}").dump();
        }
        network_.set_link(up->get<bool>());
        console_.info(std::string("monitor: emulated link ") + (up->get<bool>() ? "up" : "down"));
        return json::object().dump();
    }
    return error("unknown command " + command).dump();
}

}  // namespace mvemu
