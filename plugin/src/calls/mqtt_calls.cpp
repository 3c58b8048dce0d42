// The mvMqtt* calls on MQTT channels (docs/mqtt.md): guest structures
// decoded field by field, every pointer, length, count and enumeration
// checked, then handed to the channel (net/mqtt_channel.h).
//
// Status rules (shared/semantics.md section 4): a bad handle or a channel
// that is not MQTT is INVALIDHANDLE; an unreadable request or unwritable
// response structure PARAMETERFAULT; a bad pointer inside one LATEFAULT; a
// channel whose connection is gone CHANNELCLOSED. Values the client refuses
// (QoS, protocol version, lengths) are answered asynchronously with
// request_state INVALIDPARAMETERS.
#include <glib.h>
#include <mosquitto.h>

#include <algorithm>
#include <cctype>

#include "backend.h"
#include "net/mqtt_channel.h"
#include "net/mqtt_tls.h"

namespace mvemu {

namespace {

namespace L = layout;

constexpr uint32_t kMaxTopics = 8;          // per subscribe / unsubscribe: TOOMANYELEMENTS beyond
constexpr uint32_t kMaxChainCerts = 8;      // per certificate chain: TOOMANYELEMENTS beyond
constexpr uint32_t kMaxMqttString = 65535;  // MQTT's two-byte length prefix
constexpr uint32_t kMinKeepalive = 5;       // libmosquitto refuses 1-4 seconds

// A sized string inside a decoded structure; nullopt when its bytes are not
// readable (length 0 reads nothing, whatever the pointer).
std::optional<std::vector<uint8_t>> sized_bytes(GuestMemory& m, const GuestMemory::Struct& s,
                                                uint32_t offset) {
    uint32_t data = s.u32(offset + L::sized_string::data);
    uint32_t length = s.u32(offset + L::sized_string::length);
    if (length == 0) {
        return std::vector<uint8_t>{};
    }
    return m.read_bytes(data, length);
}

std::optional<std::string> sized_text(GuestMemory& m, const GuestMemory::Struct& s,
                                      uint32_t offset) {
    auto bytes = sized_bytes(m, s, offset);
    if (!bytes) {
        return std::nullopt;
    }
    return std::string(bytes->begin(), bytes->end());
}

// The MQTT channel behind `handle`, or null with the status refusing the call.
MqttChannel* mqtt_channel(Backend& b, uint32_t handle, Status& refusal) {
    Channel* channel = b.channels().find(handle);
    if (!channel || channel->type() != MV_CHANNELTYPE_MQTT) {
        refusal = MV_STATUS_INVALIDHANDLE;
        return nullptr;
    }
    return static_cast<MqttChannel*>(channel);
}

// The MQTT channel behind `handle` if it still has its connection.
MqttChannel* live_channel(Backend& b, uint32_t handle, Status& refusal) {
    MqttChannel* ch = mqtt_channel(b, handle, refusal);
    if (ch && !ch->connected()) {
        refusal = MV_STATUS_CHANNELCLOSED;
        return nullptr;
    }
    return ch;
}

// A request call's common start: the channel, its request structure, and
// that the channel still has its connection.
struct Request {
    MqttChannel* channel = nullptr;
    std::optional<GuestMemory::Struct> fields;
    Status refusal = MV_STATUS_OKAY;
};

Request begin_request(Backend& b, const CallArgs& c, uint32_t size) {
    Request r;
    r.channel = mqtt_channel(b, c.a[0], r.refusal);
    if (!r.channel) {
        return r;
    }
    r.fields = b.memory().read_struct(c.a[1], size);
    if (!r.fields) {
        r.refusal = MV_STATUS_PARAMETERFAULT;
    } else if (!r.channel->connected()) {
        r.refusal = MV_STATUS_CHANNELCLOSED;
    }
    return r;
}

// The profile's host map ([network.hosts]): a name to another host, and
// optionally another port. False when the name may not be looked up
// (`[network] dns = "hosts-only"` and the map does not list it).
bool apply_host_map(const Profile& p, std::string& host, uint16_t& port) {
    std::string key = host;  // the map's names are lower case
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    auto it = p.hosts.find(key);
    if (it != p.hosts.end()) {
        host = it->second.host;
        port = it->second.port != 0 ? it->second.port : port;
        return true;
    }
    return !p.dns_hosts_only || g_hostname_is_ip_address(host.c_str());
}

// ---- connect ----

Status request_connect(Backend& b, const CallArgs& c) {
    namespace R = L::mqtt_connect_request;
    Request r = begin_request(b, c, R::size);
    if (!r.channel || r.refusal != MV_STATUS_OKAY) {
        return r.refusal;
    }
    MqttChannel& ch = *r.channel;
    if (ch.connect_sent()) {
        return MV_STATUS_REQUESTALREADYSENT;
    }
    GuestMemory& m = b.memory();
    const GuestMemory::Struct& f = *r.fields;
    uint32_t protocol = f.u32(R::protocol_version);
    uint32_t method = f.u8(R::auth_method);
    uint32_t tls_at = f.u32(R::tls_credentials);
    uint32_t will_at = f.u32(R::will);
    uint32_t keepalive = f.u32(R::keepalive);

    // Nested data: a bad pointer here is a late fault, and the channel's one
    // connect is spent.
    auto late = [&] {
        ch.refuse_connect(std::nullopt);
        return MV_STATUS_LATEFAULT;
    };
    auto host = sized_text(m, f, R::host);
    auto client_id = sized_text(m, f, R::clientid);
    if (!host || !client_id) {
        return late();
    }
    std::optional<std::string> username, password;
    if (method == MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD) {
        username = sized_text(m, f, R::username);
        password = sized_text(m, f, R::password);
        if (!username || !password) {
            return late();
        }
    }
    uint32_t ca_count = 0, client_count = 0, key_length = 0;
    MqttTlsMaterial material;
    if (tls_at != 0) {
        namespace T = L::tls_credentials;
        auto tls = m.read_struct(tls_at, T::size);
        if (!tls) {
            return late();
        }
        ca_count = tls->u32(T::ca_num);
        client_count = tls->u32(T::client_num);
        key_length = tls->u32(T::client_key + L::sized_string::length);
        if (ca_count > kMaxChainCerts || client_count > kMaxChainCerts) {
            return MV_STATUS_TOOMANYELEMENTS;
        }
        // Every certificate and the key must be readable.
        for (auto [count, at, out] :
             {std::tuple{ca_count, tls->u32(T::ca_certs), &material.ca},
              std::tuple{client_count, tls->u32(T::client_certs), &material.chain}}) {
            for (uint32_t i = 0; i < count; i++) {
                auto cert = m.read_struct(at + i * L::sized_string::size, L::sized_string::size);
                auto der = cert ? sized_bytes(m, *cert, 0) : std::nullopt;
                if (!der) {
                    return late();
                }
                out->push_back(std::move(*der));
            }
        }
        auto key = sized_bytes(m, *tls, T::client_key);
        if (!key) {
            return late();
        }
        material.key = std::move(*key);
    }
    std::optional<MqttConnectParams::Will> will;
    uint32_t will_qos = 0;
    if (will_at != 0) {
        namespace W = L::mqtt_will;
        auto w = m.read_struct(will_at, W::size);
        auto topic = w ? sized_text(m, *w, W::topic) : std::nullopt;
        auto payload = w ? sized_bytes(m, *w, W::payload) : std::nullopt;
        if (!topic || !payload) {
            return late();
        }
        will_qos = w->u32(W::qos);
        will = MqttConnectParams::Will{*topic, *payload, static_cast<int>(will_qos),
                                       w->u8(W::retain) != 0};
    }

    if (method > MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD ||
        (method == MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD && client_count > 0)) {
        return MV_STATUS_INVALIDAUTHENTICATION;  // unknown method, or two kinds of credentials
    }
    if (host->empty() || client_id->empty() || (client_count > 0 && key_length == 0) ||
        (will && (will->topic.empty() || will->payload.empty()))) {
        return MV_STATUS_REQUIREDELEMENTMISSING;
    }

    // Accepted: from here on the outcome is the connect response.
    MqttConnectParams p;
    p.v5 = protocol == MV_MQTTPROTOCOLVERSION_V5;
    p.host = *host;
    p.port = f.u16(R::port);
    p.client_id = *client_id;
    if (username) {
        p.credentials = std::pair{*username, *password};
    }
    p.clean_start = f.u8(R::clean_start) != 0;
    p.will = std::move(will);
    bool strings_fit = host->size() <= 255 && client_id->size() <= kMaxMqttString &&
                       (!username || (username->size() <= kMaxMqttString &&
                                      password->size() <= kMaxMqttString)) &&
                       (!p.will || (p.will->topic.size() <= kMaxMqttString &&
                                    p.will->payload.size() <= kMaxMqttString &&
                                    mosquitto_pub_topic_check2(p.will->topic.data(),
                                                               p.will->topic.size()) ==
                                        MOSQ_ERR_SUCCESS));
    if (protocol > MV_MQTTPROTOCOLVERSION_V5 || p.port == 0 || keepalive > 65535 ||
        will_qos > 1 || !strings_fit) {
        ch.refuse_connect(MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);
        return MV_STATUS_OKAY;
    }
    if (keepalive != 0 && keepalive < kMinKeepalive) {
        b.warn_once("mqtt-keepalive", "mvMqttRequestConnect: keepalive " +
                                          std::to_string(keepalive) + " s is sent as " +
                                          std::to_string(kMinKeepalive) +
                                          " s (the least libmosquitto accepts)");
        keepalive = kMinKeepalive;
    }
    p.keepalive = static_cast<uint16_t>(keepalive);
    p.connect_timeout_ms = b.profile().mqtt_connect_timeout_s * 1000;
    if (b.profile().mqtt_plain_tcp) {
        if (tls_at != 0) {
            b.warn_once("mqtt-plain-credentials",
                        "mvMqttRequestConnect: [mqtt] plain_tcp = true: the TLS credentials are "
                        "not used");
        }
    } else {
        p.tls = true;
        p.verify_host = p.host;  // the certificate must carry the name asked for
        p.extra_cas = b.profile().ca_pem;
        if (std::string problem = check_tls_material(material); !problem.empty()) {
            b.console().warn("mvMqttRequestConnect: " + problem +
                             "; the connect response is INVALIDPARAMETERS");
            ch.refuse_connect(MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);
            return MV_STATUS_OKAY;
        }
        p.tls_material = std::move(material);
    }
    p.name_unlisted = !apply_host_map(b.profile(), p.host, p.port);
    ch.connect(std::move(p));
    return MV_STATUS_OKAY;
}

Status request_disconnect(Backend& b, const CallArgs& c) {
    Status refusal;
    MqttChannel* ch = live_channel(b, c.a[0], refusal);
    if (!ch) {
        return refusal;
    }
    if (ch->disconnect_in_flight()) {
        return MV_STATUS_RATELIMITED;
    }
    ch->disconnect();
    return MV_STATUS_OKAY;
}

// ---- subscribe, unsubscribe, publish ----

Status request_subscribe(Backend& b, const CallArgs& c) {
    namespace R = L::mqtt_subscribe_request;
    namespace S = L::mqtt_subscription;
    Request r = begin_request(b, c, R::size);
    if (!r.channel || r.refusal != MV_STATUS_OKAY) {
        return r.refusal;
    }
    if (r.channel->subscribe_in_flight()) {
        return MV_STATUS_RATELIMITED;  // one subscribe at a time
    }
    uint32_t count = r.fields->u32(R::count), at = r.fields->u32(R::subscriptions);
    if (count == 0) {
        return MV_STATUS_REQUIREDELEMENTMISSING;
    }
    if (count > kMaxTopics) {
        return MV_STATUS_TOOMANYELEMENTS;
    }
    GuestMemory& m = b.memory();
    std::vector<MqttSubscriptionSpec> topics;
    bool valid = true;
    bool v5 = r.channel->v5();
    for (uint32_t i = 0; i < count; i++) {
        auto s = m.read_struct(at + i * S::size, S::size);
        auto topic = s ? sized_text(m, *s, S::topic) : std::nullopt;
        if (!topic) {
            return MV_STATUS_LATEFAULT;
        }
        if (topic->empty()) {
            return MV_STATUS_REQUIREDELEMENTMISSING;
        }
        MqttSubscriptionSpec spec;
        uint32_t qos = s->u32(S::desired_qos), nl = s->u32(S::nl), rap = s->u32(S::rap),
                 rh = s->u32(S::rh);
        valid = valid && qos <= 1 && nl <= 1 && rap <= 1 && rh <= 2 &&
                topic->size() <= kMaxMqttString &&
                mosquitto_sub_topic_check2(topic->data(), topic->size()) == MOSQ_ERR_SUCCESS;
        spec.topic = std::move(*topic);
        spec.qos = static_cast<int>(qos & 1);
        // No-local, retain-as-published and retain handling exist on MQTT 5 only.
        if (v5) {
            spec.no_local = nl != 0;
            spec.retain_as_published = rap != 0;
            spec.retain_handling = static_cast<int>(rh & 3);
        }
        topics.push_back(std::move(spec));
    }
    r.channel->subscribe(r.fields->u32(R::correlation_id), std::move(topics), valid);
    return MV_STATUS_OKAY;
}

Status request_unsubscribe(Backend& b, const CallArgs& c) {
    namespace R = L::mqtt_unsubscribe_request;
    Request r = begin_request(b, c, R::size);
    if (!r.channel || r.refusal != MV_STATUS_OKAY) {
        return r.refusal;
    }
    if (r.channel->unsubscribe_in_flight()) {
        return MV_STATUS_RATELIMITED;
    }
    uint32_t count = r.fields->u32(R::count), at = r.fields->u32(R::topics);
    if (count == 0) {
        return MV_STATUS_REQUIREDELEMENTMISSING;
    }
    if (count > kMaxTopics) {
        return MV_STATUS_TOOMANYELEMENTS;
    }
    GuestMemory& m = b.memory();
    std::vector<std::string> topics;
    for (uint32_t i = 0; i < count; i++) {
        auto s = m.read_struct(at + i * L::sized_string::size, L::sized_string::size);
        auto topic = s ? sized_text(m, *s, 0) : std::nullopt;
        if (!topic) {
            return MV_STATUS_LATEFAULT;
        }
        if (topic->empty()) {
            return MV_STATUS_REQUIREDELEMENTMISSING;
        }
        topics.push_back(std::move(*topic));
    }
    r.channel->unsubscribe(r.fields->u32(R::correlation_id), std::move(topics));
    return MV_STATUS_OKAY;
}

Status request_publish(Backend& b, const CallArgs& c) {
    namespace R = L::mqtt_publish_request;
    Request r = begin_request(b, c, R::size);
    if (!r.channel || r.refusal != MV_STATUS_OKAY) {
        return r.refusal;
    }
    if (r.channel->publishes_saturated()) {
        return MV_STATUS_RATELIMITED;
    }
    GuestMemory& m = b.memory();
    auto topic = sized_text(m, *r.fields, R::topic);
    auto payload = sized_bytes(m, *r.fields, R::payload);
    if (!topic || !payload) {
        return MV_STATUS_LATEFAULT;
    }
    if (topic->empty()) {
        return MV_STATUS_REQUIREDELEMENTMISSING;
    }
    uint32_t qos = r.fields->u32(R::desired_qos);
    bool valid = qos <= 2 && topic->size() <= kMaxMqttString &&
                 mosquitto_pub_topic_check2(topic->data(), topic->size()) == MOSQ_ERR_SUCCESS;
    r.channel->publish(r.fields->u32(R::correlation_id), std::move(*topic), std::move(*payload),
                       static_cast<int>(qos), r.fields->u32(R::retain) != 0, valid);
    return MV_STATUS_OKAY;
}

Status acknowledge_message(Backend& b, const CallArgs& c) {
    Status refusal;
    MqttChannel* ch = live_channel(b, c.a[0], refusal);
    if (!ch) {
        return refusal;
    }
    if (!ch->acknowledge(c.a[1])) {
        // The call documents no status for this: accepted, and said once.
        b.warn_once("mqtt-ack-unknown",
                    "mvMqttAcknowledgeMessage: " + std::to_string(c.a[1]) +
                        " names no unacknowledged QoS 1/2 message read on this channel");
    }
    return MV_STATUS_OKAY;
}

// ---- the readable queue ----

Status next_readable_type(Backend& b, const CallArgs& c) {
    // Firmware polls this call. Items the event-loop thread has posted are
    // taken in now (the vCPU holds the iothread lock, as the main loop
    // would), and with none queued the socket is read here: a spinning
    // application then sees the broker's packet without waiting for the
    // loop thread to wake (docs/benchmarks.md, MQTT).
    b.main_loop_poll();
    Status refusal;
    MqttChannel* ch = mqtt_channel(b, c.a[0], refusal);
    if (!ch) {
        return refusal;
    }
    if (!b.memory().writable_aligned(c.a[1], 4, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (!ch->head()) {
        ch->read_now();
        b.main_loop_poll();
    }
    const MqttChannel::Item* head = ch->head();
    b.memory().write_u32(c.a[1], head ? head->type : MV_MQTTREADABLEDATATYPE_NONE);
    return MV_STATUS_OKAY;
}

// The head item if it is of `type`; otherwise null with the refusal.
const MqttChannel::Item* head_of(MqttChannel& ch, MvMqttReadableDataType type, Status& refusal) {
    const MqttChannel::Item* head = ch.head();
    if (!head) {
        refusal = MV_STATUS_RESPONSENOTPRESENT;
        return nullptr;
    }
    if (head->type != type) {
        refusal = MV_STATUS_WRONGDATAREQUESTED;
        return nullptr;
    }
    return head;
}

// A read call's common start: the channel, its structure (read when it
// holds pointers, else checked writable), and the head item of `type`.
struct Read {
    MqttChannel* channel = nullptr;
    std::optional<GuestMemory::Struct> fields;
    const MqttChannel::Item* item = nullptr;
    Status refusal = MV_STATUS_OKAY;
};

Read begin_read(Backend& b, const CallArgs& c, MvMqttReadableDataType type, uint32_t size,
                bool holds_pointers) {
    Read r;
    r.channel = mqtt_channel(b, c.a[0], r.refusal);
    if (!r.channel) {
        return r;
    }
    GuestMemory& m = b.memory();
    if (holds_pointers) {
        r.fields = m.read_struct(c.a[1], size);
    }
    if (holds_pointers ? !r.fields : !m.writable_aligned(c.a[1], size, 4)) {
        r.refusal = MV_STATUS_PARAMETERFAULT;
        return r;
    }
    r.item = head_of(*r.channel, type, r.refusal);
    return r;
}

// mvMqttReadConnectResponse, mvMqttReadDisconnectResponse,
// mvMqttReadPublishResponse: a flat structure the call fills in.
Status read_flat_response(Backend& b, const CallArgs& c, MvMqttReadableDataType type,
                          uint32_t size) {
    Read r = begin_read(b, c, type, size, false);
    if (!r.item) {
        return r.refusal;
    }
    GuestMemory& m = b.memory();
    uint32_t out = c.a[1];
    const MqttChannel::Item* item = r.item;
    m.write_u32(out, item->request_state);  // every one starts with request_state
    if (type == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE) {
        m.write_u32(out + L::mqtt_publish_response::correlation_id, item->correlation_id);
        m.write_u32(out + L::mqtt_publish_response::reason_code, item->code);
    } else {
        m.write_u32(out + L::mqtt_connect_response::reason_code, item->code);
    }
    r.channel->consume();
    return MV_STATUS_OKAY;
}

Status read_connect_response(Backend& b, const CallArgs& c) {
    return read_flat_response(b, c, MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE,
                              L::mqtt_connect_response::size);
}
Status read_disconnect_response(Backend& b, const CallArgs& c) {
    return read_flat_response(b, c, MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE,
                              L::mqtt_disconnect_response::size);
}
Status read_publish_response(Backend& b, const CallArgs& c) {
    return read_flat_response(b, c, MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE,
                              L::mqtt_publish_response::size);
}

// mvMqttReadSubscribeResponse / mvMqttReadUnsubscribeResponse: pointers to
// where each part goes; the capacity is in elements (docs/mqtt.md).
Status read_codes_response(Backend& b, const CallArgs& c, MvMqttReadableDataType type) {
    namespace A = L::mqtt_ack_response;
    Read r = begin_read(b, c, type, A::size, true);
    if (!r.item) {
        return r.refusal;
    }
    GuestMemory& m = b.memory();
    const GuestMemory::Struct* f = &*r.fields;
    const MqttChannel::Item* item = r.item;
    uint32_t state_at = f->u32(A::request_state), id_at = f->u32(A::correlation_id),
             codes_at = f->u32(A::reason_codes), capacity = f->u32(A::reason_codes_size),
             len_at = f->u32(A::reason_codes_len);
    uint32_t n = static_cast<uint32_t>(item->codes.size());
    if (!m.writable_aligned(state_at, 4, 4) || !m.writable_aligned(id_at, 4, 4) ||
        !m.writable_aligned(len_at, 4, 4)) {
        return MV_STATUS_LATEFAULT;
    }
    if (n > capacity) {
        m.write_u32(len_at, n);  // how many there are
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    if (n > 0 && !m.writable_aligned(codes_at, n * 4, 4)) {
        return MV_STATUS_LATEFAULT;
    }
    m.write_u32(state_at, item->request_state);
    m.write_u32(id_at, item->correlation_id);
    for (uint32_t i = 0; i < n; i++) {
        m.write_u32(codes_at + 4 * i, item->codes[i]);
    }
    m.write_u32(len_at, n);
    r.channel->consume();
    return MV_STATUS_OKAY;
}

Status read_subscribe_response(Backend& b, const CallArgs& c) {
    return read_codes_response(b, c, MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
}
Status read_unsubscribe_response(Backend& b, const CallArgs& c) {
    return read_codes_response(b, c, MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE);
}

// An MvSizedStringBuffer inside a decoded structure.
struct OutBuffer {
    uint32_t data, capacity, length_at;
    // Its length word is writable and, for `n` bytes, the data too.
    bool usable(GuestMemory& m, uint32_t n) const {
        return m.writable_aligned(length_at, 4, 4) && (n == 0 || m.writable(data, n));
    }
};

OutBuffer out_buffer(const GuestMemory::Struct& s, uint32_t offset) {
    namespace B = L::sized_string_buffer;
    return {s.u32(offset + B::data), s.u32(offset + B::capacity), s.u32(offset + B::length_out)};
}

Status receive_message(Backend& b, const CallArgs& c) {
    namespace M = L::mqtt_message;
    Read r = begin_read(b, c, MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED, M::size, true);
    if (!r.item) {
        return r.refusal;
    }
    GuestMemory& m = b.memory();
    const GuestMemory::Struct* f = &*r.fields;
    const MqttChannel::Item* item = r.item;
    OutBuffer topic = out_buffer(*f, M::topic), payload = out_buffer(*f, M::payload);
    uint32_t id_at = f->u32(M::correlation_id), qos_at = f->u32(M::qos),
             retain_at = f->u32(M::retain);
    uint32_t topic_n = static_cast<uint32_t>(item->topic.size());
    uint32_t payload_n = static_cast<uint32_t>(item->payload.size());
    bool fits = topic_n <= topic.capacity && payload_n <= payload.capacity;
    if (!m.writable_aligned(id_at, 4, 4) || !m.writable_aligned(qos_at, 4, 4) ||
        !m.writable(retain_at, 1) || !topic.usable(m, fits ? topic_n : 0) ||
        !payload.usable(m, fits ? payload_n : 0)) {
        return MV_STATUS_LATEFAULT;
    }
    m.write_u32(topic.length_at, topic_n);
    m.write_u32(payload.length_at, payload_n);
    if (!fits) {
        return MV_STATUS_INVALIDBUFFERSIZE;  // the lengths say what it needs; the item stays
    }
    m.write_u32(id_at, item->correlation_id);
    m.write_bytes(topic.data, item->topic.data(), topic_n);
    m.write_bytes(payload.data, item->payload.data(), payload_n);
    m.write_u32(qos_at, item->qos);
    m.write_u8(retain_at, item->retain ? 1 : 0);
    r.channel->consume();
    return MV_STATUS_OKAY;
}

Status receive_lost_message_info(Backend& b, const CallArgs& c) {
    namespace I = L::mqtt_lost_message_info;
    Read r = begin_read(b, c, MV_MQTTREADABLEDATATYPE_MESSAGELOST, I::size, true);
    if (!r.item) {
        return r.refusal;
    }
    GuestMemory& m = b.memory();
    const GuestMemory::Struct* f = &*r.fields;
    const MqttChannel::Item* item = r.item;
    OutBuffer topic = out_buffer(*f, I::topic);
    uint32_t reason_at = f->u32(I::reason), len_at = f->u32(I::message_len);
    uint32_t topic_n = static_cast<uint32_t>(item->topic.size());
    bool fits = topic_n <= topic.capacity;
    if (!m.writable_aligned(reason_at, 4, 4) || !m.writable_aligned(len_at, 4, 4) ||
        !topic.usable(m, fits ? topic_n : 0)) {
        return MV_STATUS_LATEFAULT;
    }
    m.write_u32(topic.length_at, topic_n);
    if (!fits) {
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    m.write_u32(reason_at, MV_MQTTLOSTMESSAGEREASON_DEVICERECEIVEBUFFERTOOSMALL);
    m.write_bytes(topic.data, item->topic.data(), topic_n);
    m.write_u32(len_at, item->message_len);
    r.channel->consume();
    return MV_STATUS_OKAY;
}

}  // namespace

void register_mqtt_calls(SyscallTable& table) {
    table.set("mvMqttRequestConnect", request_connect);
    table.set("mvMqttReadConnectResponse", read_connect_response);
    table.set("mvMqttRequestDisconnect", request_disconnect);
    table.set("mvMqttReadDisconnectResponse", read_disconnect_response);
    table.set("mvMqttRequestSubscribe", request_subscribe);
    table.set("mvMqttReadSubscribeResponse", read_subscribe_response);
    table.set("mvMqttRequestUnsubscribe", request_unsubscribe);
    table.set("mvMqttReadUnsubscribeResponse", read_unsubscribe_response);
    table.set("mvMqttRequestPublish", request_publish);
    table.set("mvMqttReadPublishResponse", read_publish_response);
    table.set("mvMqttReceiveMessage", receive_message);
    table.set("mvMqttReceiveLostMessageInfo", receive_lost_message_info);
    table.set("mvMqttAcknowledgeMessage", acknowledge_message);
    table.set("mvMqttGetNextReadableDataType", next_readable_type);
}

}  // namespace mvemu
