// How the trace shows a call's arguments: by the prototype's parameter
// kinds (generated), plus a preview of the structures and texts that say
// what the call is about. Only inputs are read; passwords, TLS material,
// Wi-Fi passwords and config values are never shown.
#include <algorithm>
#include <functional>
#include <map>

#include "abi_layout.h"
#include "console.h"
#include "text_format.h"
#include "trace/call_signatures.h"
#include "trace/syscall_trace.h"

namespace mvemu::trace {

namespace L = layout;

namespace {

constexpr uint32_t kPreviewBytes = 64;
constexpr uint32_t kListed = 4;  // topics or keys shown of a longer list

// `length` bytes at `data` as a quoted preview, or "<unreadable>".
std::string text_at(GuestMemory& m, uint32_t data, uint32_t length) {
    uint32_t n = std::min(length, kPreviewBytes);
    auto bytes = n ? m.read_bytes(data, n) : std::optional<std::vector<uint8_t>>(std::vector<uint8_t>{});
    if (!bytes) {
        return "<unreadable>";
    }
    return "\"" + Console::printable(*bytes) + (length > n ? "...\"" : "\"");
}

// A MvSizedString at `at`: its text.
std::string sized_string(GuestMemory& m, uint32_t at) {
    auto s = m.read_struct(at, L::sized_string::size);
    return s ? text_at(m, s->u32(L::sized_string::data), s->u32(L::sized_string::length))
             : "<unreadable>";
}

std::string enum_text(std::string_view type, uint32_t value) {
    auto name = enum_name(type, value);
    return name ? std::string(*name) : std::to_string(value);
}

using Preview = std::function<void(GuestMemory&, uint32_t at, Fields&)>;

// What is shown of each structure a call reads (by struct name).
const std::map<std::string_view, Preview>& previews() {
    static const std::map<std::string_view, Preview> table = {
        {"MvOpenChannelParams", [](GuestMemory& m, uint32_t at, Fields& f) {
             namespace P = L::open_channel_params;
             auto s = m.read_struct(at, P::size);
             if (!s) return;
             f.push_back({"type", enum_text("MvChannelType", s->u32(P::channel_type))});
             f.push_back({"receive_buffer_len", std::to_string(s->u32(P::receive_buffer_len))});
             f.push_back({"send_buffer_len", std::to_string(s->u32(P::send_buffer_len))});
             if (s->u32(P::endpoint_length)) {
                 f.push_back({"endpoint", text_at(m, s->u32(P::endpoint_data), s->u32(P::endpoint_length))});
             }
         }},
        {"MvNotificationSetup", [](GuestMemory& m, uint32_t at, Fields& f) {
             namespace P = L::notification_setup;
             auto s = m.read_struct(at, P::size);
             if (!s) return;
             f.push_back({"irq", std::to_string(s->u32(P::irq))});
             f.push_back({"buffer_size", std::to_string(s->u32(P::buffer_size))});
         }},
        {"MvMqttConnectRequest", [](GuestMemory& m, uint32_t at, Fields& f) {
             namespace P = L::mqtt_connect_request;
             auto s = m.read_struct(at, P::size);
             if (!s) return;
             f.push_back({"protocol", enum_text("MvMqttProtocolVersion", s->u32(P::protocol_version))});
             f.push_back({"host", sized_string(m, at + P::host)});
             f.push_back({"port", std::to_string(s->u16(P::port))});
             f.push_back({"client_id", sized_string(m, at + P::clientid)});
             // The username may be shown; the password and TLS material never.
             f.push_back({"authentication", enum_text("MvMqttAuthenticationMethod", s->u8(P::auth_method))});
             f.push_back({"tls_credentials", s->u32(P::tls_credentials) ? "given" : "none"});
             f.push_back({"keepalive", std::to_string(s->u16(P::keepalive))});
             f.push_back({"clean_start", std::to_string(s->u8(P::clean_start))});
         }},
        {"MvMqttPublishRequest", [](GuestMemory& m, uint32_t at, Fields& f) {
             namespace P = L::mqtt_publish_request;
             auto s = m.read_struct(at, P::size);
             if (!s) return;
             f.push_back({"correlation_id", std::to_string(s->u32(P::correlation_id))});
             f.push_back({"topic", sized_string(m, at + P::topic)});
             f.push_back({"payload_bytes", std::to_string(s->u32(P::payload + L::sized_string::length))});
             f.push_back({"qos", std::to_string(s->u32(P::desired_qos))});
             f.push_back({"retain", std::to_string(s->u32(P::retain))});
         }},
        {"MvMqttSubscribeRequest", [](GuestMemory& m, uint32_t at, Fields& f) {
             namespace P = L::mqtt_subscribe_request;
             auto s = m.read_struct(at, P::size);
             if (!s) return;
             uint32_t count = s->u32(P::count), list = s->u32(P::subscriptions);
             f.push_back({"correlation_id", std::to_string(s->u32(P::correlation_id))});
             f.push_back({"count", std::to_string(count)});
             for (uint32_t i = 0; i < std::min(count, kListed); i++) {
                 uint32_t sub = list + i * L::mqtt_subscription::size;
                 auto qos = m.read_u32(sub + L::mqtt_subscription::desired_qos);
                 f.push_back({"topic" + std::to_string(i), sized_string(m, sub + L::mqtt_subscription::topic) +
                                                            " qos " + (qos ? std::to_string(*qos) : "?")});
             }
         }},
        {"MvMqttUnsubscribeRequest", [](GuestMemory& m, uint32_t at, Fields& f) {
             namespace P = L::mqtt_unsubscribe_request;
             auto s = m.read_struct(at, P::size);
             if (!s) return;
             uint32_t count = s->u32(P::count), list = s->u32(P::topics);
             f.push_back({"correlation_id", std::to_string(s->u32(P::correlation_id))});
             f.push_back({"count", std::to_string(count)});
             for (uint32_t i = 0; i < std::min(count, kListed); i++) {
                 f.push_back({"topic" + std::to_string(i), sized_string(m, list + i * L::sized_string::size)});
             }
         }},
        {"MvHttpRequest", [](GuestMemory& m, uint32_t at, Fields& f) {
             namespace P = L::http_request;
             auto s = m.read_struct(at, P::size);
             if (!s) return;
             f.push_back({"method", text_at(m, s->u32(P::method_data), s->u32(P::method_length))});
             f.push_back({"url", text_at(m, s->u32(P::url_data), s->u32(P::url_length))});
             f.push_back({"headers", std::to_string(s->u32(P::num_headers))});
             f.push_back({"body_bytes", std::to_string(s->u32(P::body_length))});
             f.push_back({"timeout_ms", std::to_string(s->u32(P::timeout_ms))});
         }},
        {"MvConfigKeyFetchParams", [](GuestMemory& m, uint32_t at, Fields& f) {
             namespace P = L::config_key_fetch_params;
             namespace K = L::config_key_to_fetch;
             auto s = m.read_struct(at, P::size);
             if (!s) return;
             uint32_t count = s->u32(P::num_items), list = s->u32(P::keys_to_fetch);
             f.push_back({"num_items", std::to_string(count)});
             for (uint32_t i = 0; i < std::min(count, kListed); i++) {
                 auto k = m.read_struct(list + i * K::size, K::size);
                 if (!k) break;
                 // The key's name and store; its value is never read here.
                 f.push_back({"key" + std::to_string(i),
                              enum_text("MvConfigKeyFetchScope", k->u32(K::scope)) + "/" +
                                  enum_text("MvConfigKeyFetchStore", k->u32(K::store)) + "/" +
                                  text_at(m, k->u32(K::key_data), k->u32(K::key_length))});
             }
         }},
    };
    return table;
}

const CallSignature* signature(std::string_view call) {
    for (const CallSignature& c : call_signatures()) {
        if (c.name == call) {
            return &c;
        }
    }
    return nullptr;
}

}  // namespace

Fields decode_arguments(std::string_view call, const CallArgs& args, GuestMemory& memory) {
    Fields f;
    const CallSignature* sig = signature(call);
    if (!sig) {
        return f;
    }
    for (size_t i = 0; i < sig->params.size() && i < 4; i++) {
        const Param& p = sig->params[i];
        uint32_t v = args.a[i];
        switch (p.kind) {
        case ParamKind::handle:
        case ParamKind::in_pointer:
        case ParamKind::out_pointer:
            f.push_back({std::string(p.name), hex32(v)});
            break;
        case ParamKind::number:
            f.push_back({std::string(p.name), std::to_string(v)});
            break;
        case ParamKind::enum_value:
            f.push_back({std::string(p.name), enum_text(p.type, v)});
            break;
        case ParamKind::struct_ptr: {
            f.push_back({std::string(p.name), hex32(v)});
            auto preview = previews().find(p.type);
            if (preview != previews().end()) {
                preview->second(memory, v, f);
            }
            break;
        }
        }
    }
    // A log line's text (the application's own output, shown on the console anyway).
    if ((call == "mvServerLog" || call == "mvTestLog") && sig->params.size() >= 2) {
        f.push_back({"text", text_at(memory, args.a[0], args.a[1])});
    }
    return f;
}

}  // namespace mvemu::trace
