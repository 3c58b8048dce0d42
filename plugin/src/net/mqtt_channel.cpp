#include "net/mqtt_channel.h"

#include "trace/traffic_log.h"

namespace mvemu {

MqttChannel::MqttChannel(uint32_t network, uint32_t center, uint32_t tag, ByteRing receive,
                         ByteRing send, NotificationCenters& centers, EventLoop& loop,
                         MainQueue& queue, MqttConnectWorkers& workers, Warn warn,
                         Breaker breaker)
    : ProtocolChannel(MV_CHANNELTYPE_MQTT, network, center, tag, receive, send),
      centers_(centers),
      loop_(loop),
      queue_(queue),
      workers_(workers),
      warn_(std::move(warn)),
      breaker_(std::move(breaker)) {}

MqttChannel::~MqttChannel() {
    if (!unacknowledged_.empty()) {
        warn_("mqtt-unacknowledged", "MQTT channel closed with " +
                                         std::to_string(unacknowledged_.size()) +
                                         " QoS 1/2 message(s) never acknowledged "
                                         "(mvMqttAcknowledgeMessage)");
    }
    end_session();
}

void MqttChannel::end_session() {
    if (session_) {
        session_->shutdown();
        session_.reset();
    }
}

namespace {

const char* item_kind(MvMqttReadableDataType type) {
    switch (type) {
    case MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE: return "mqtt-connect-response";
    case MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED: return "mqtt-message";
    case MV_MQTTREADABLEDATATYPE_MESSAGELOST: return "mqtt-message-lost";
    case MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE: return "mqtt-subscribe-response";
    case MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE: return "mqtt-unsubscribe-response";
    case MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE: return "mqtt-publish-response";
    case MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE: return "mqtt-disconnect-response";
    default: return "mqtt-item";
    }
}

}  // namespace

// What reaches the application, in the traffic log.
void MqttChannel::log_item(const Item& item) {
    trace::TrafficLog::Event e = {
        {"request_state", trace::TrafficLog::name("MvMqttRequestState", item.request_state)}};
    switch (item.type) {
    case MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED:
        e = {{"topic", item.topic}, {"qos", item.qos}, {"retain", item.retain},
             {"bytes", item.payload.size()}, {"preview", trace::TrafficLog::preview(item.payload)}};
        break;
    case MV_MQTTREADABLEDATATYPE_MESSAGELOST:
        e = {{"topic", item.topic}, {"bytes", item.message_len}};
        break;
    case MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE:
    case MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE:
        e["correlation_id"] = item.correlation_id;
        e["codes"] = item.codes;
        break;
    default:
        e["correlation_id"] = item.correlation_id;
        e["code"] = item.code;
        break;
    }
    traffic()->write(item_kind(item.type), std::move(e));
}

void MqttChannel::push(Item item) {
    if (traffic()) {
        log_item(item);
    }
    items_.push_back(std::move(item));
    centers_.post(center(), MV_EVENTTYPE_CHANNELDATAREADABLE, tag());
}

void MqttChannel::consume() {
    if (items_.empty()) {
        return;
    }
    const Item& item = items_.front();
    if (item.type == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED && item.qos > 0) {
        unacknowledged_.insert(item.correlation_id);
    }
    items_.pop_front();
}

void MqttChannel::connect(MqttConnectParams params) {
    state_ = State::connecting;
    v5_ = params.v5;
    if (traffic()) {
        // Never the credentials: whether there are any.
        traffic()->write("mqtt-connect", {{"host", params.host}, {"port", params.port},
                                          {"client_id", params.client_id},
                                          {"protocol", params.v5 ? "5" : "3.1.1"},
                                          {"tls", params.tls},
                                          {"username", params.credentials ? params.credentials->first : ""},
                                          {"clean_start", params.clean_start},
                                          {"will", params.will ? params.will->topic : ""}});
    }
    // Events find this channel through the session's liveness flag: the
    // session is shut down (and goes quiet) before the channel is destroyed.
    MqttSession::Events events{
        [this](MqttSession::ConnectFailure f, uint32_t reason) { on_connected(f, reason); },
        [this](uint32_t id, std::vector<uint32_t> codes) { on_subscribed(id, std::move(codes), true); },
        [this](uint32_t id, std::vector<uint32_t> codes) {
            on_subscribed(id, std::move(codes), false);
        },
        [this](uint32_t id, uint32_t reason) { on_published(id, reason); },
        [this](std::string topic, std::vector<uint8_t> payload, int qos, bool retain) {
            on_message(std::move(topic), std::move(payload), qos, retain);
        },
        [this](bool requested, uint32_t reason) { on_disconnected(requested, reason); },
    };
    session_ = MqttSession::open(loop_, queue_, workers_, std::move(params), std::move(events));
}

void MqttChannel::refuse_connect(std::optional<uint32_t> request_state) {
    state_ = State::ended;
    if (request_state) {
        Item item;
        item.type = MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE;
        item.request_state = *request_state;
        push(std::move(item));
    }
}

void MqttChannel::on_connected(MqttSession::ConnectFailure failure, uint32_t reason) {
    if (state_ != State::connecting) {
        return;
    }
    Item item;
    item.type = MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE;
    switch (failure) {
    case MqttSession::ConnectFailure::none:
        item.code = reason;  // the broker's CONNACK code, 0 = accepted
        break;
    case MqttSession::ConnectFailure::bad_parameters:
        item.request_state = MV_MQTTREQUESTSTATE_INVALIDPARAMETERS;
        break;
    case MqttSession::ConnectFailure::name_not_found:
        item.request_state = MV_MQTTREQUESTSTATE_NXDOMAIN;
        break;
    case MqttSession::ConnectFailure::socket:
        item.request_state = MV_MQTTREQUESTSTATE_SOCKETERROR;
        break;
    case MqttSession::ConnectFailure::unknown_ca:
        item.request_state = MV_MQTTREQUESTSTATE_UNKNOWNCA;
        break;
    case MqttSession::ConnectFailure::certificate_expired:
        item.request_state = MV_MQTTREQUESTSTATE_CERTIFICATEEXPIRED;
        break;
    }
    bool accepted = failure == MqttSession::ConnectFailure::none && reason == 0;
    state_ = accepted ? State::connected : State::ended;
    if (!accepted) {
        end_session();
    }
    push(std::move(item));
}

void MqttChannel::subscribe(uint32_t correlation_id, std::vector<MqttSubscriptionSpec> topics,
                            bool valid) {
    if (traffic() && valid) {
        auto topics_json = trace::TrafficLog::Event::array();
        for (const auto& t : topics) {
            topics_json.push_back({{"topic", t.topic}, {"qos", t.qos}});
        }
        traffic()->write("mqtt-subscribe", {{"correlation_id", correlation_id}, {"topics", topics_json}});
    }
    Item item;
    item.type = MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE;
    item.correlation_id = correlation_id;
    if (!valid || state_ != State::connected) {
        item.request_state = valid ? MV_MQTTREQUESTSTATE_NOTCONNECTED
                                   : MV_MQTTREQUESTSTATE_INVALIDPARAMETERS;
        push(std::move(item));
        return;
    }
    subscribing_ = true;
    session_->subscribe(correlation_id, std::move(topics));
}

void MqttChannel::unsubscribe(uint32_t correlation_id, std::vector<std::string> topics) {
    if (traffic()) {
        traffic()->write("mqtt-unsubscribe", {{"correlation_id", correlation_id}, {"topics", topics}});
    }
    if (state_ != State::connected) {
        Item item;
        item.type = MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE;
        item.correlation_id = correlation_id;
        item.request_state = MV_MQTTREQUESTSTATE_NOTCONNECTED;
        push(std::move(item));
        return;
    }
    unsubscribing_ = true;
    session_->unsubscribe(correlation_id, std::move(topics));
}

void MqttChannel::on_subscribed(uint32_t correlation_id, std::vector<uint32_t> codes,
                                bool subscribe) {
    (subscribe ? subscribing_ : unsubscribing_) = false;
    Item item;
    item.type = subscribe ? MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE
                          : MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE;
    item.correlation_id = correlation_id;
    item.codes = std::move(codes);
    push(std::move(item));
}

void MqttChannel::publish(uint32_t correlation_id, std::string topic, std::vector<uint8_t> payload,
                          int qos, bool retain, bool valid) {
    if (!valid || state_ != State::connected) {
        Item item;
        item.type = MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE;
        item.correlation_id = correlation_id;
        item.request_state = valid ? MV_MQTTREQUESTSTATE_NOTCONNECTED
                                   : MV_MQTTREQUESTSTATE_INVALIDPARAMETERS;
        push(std::move(item));
        return;
    }
    publishing_++;
    if (traffic()) {
        traffic()->write("mqtt-publish", {{"correlation_id", correlation_id}, {"topic", topic},
                                          {"qos", qos}, {"retain", retain},
                                          {"bytes", payload.size()},
                                          {"preview", trace::TrafficLog::preview(payload)}});
    }
    session_->publish(correlation_id, std::move(topic), std::move(payload), qos, retain);
}

void MqttChannel::on_published(uint32_t correlation_id, uint32_t reason) {
    if (publishing_ > 0) {
        publishing_--;
    }
    Item item;
    item.type = MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE;
    item.correlation_id = correlation_id;
    item.code = reason;
    push(std::move(item));
}

void MqttChannel::on_message(std::string topic, std::vector<uint8_t> payload, int qos,
                             bool retain) {
    if (state_ != State::connected && state_ != State::disconnecting) {
        return;
    }
    if (trips_breaker()) {
        // As the Microvisor cloud does: the connection goes, with its reason.
        state_ = State::ended;
        end_session();
        Item item;
        item.type = MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE;
        item.request_state = MV_MQTTREQUESTSTATE_CONNECTIONCIRCUITBREAKER;
        push(std::move(item));
        warn_("mqtt-breaker", "MQTT: more than " +
                                  std::to_string(breaker_.max_incoming_per_second) +
                                  " messages in a second: the connection is dropped "
                                  "(CONNECTIONCIRCUITBREAKER, [mqtt] max_incoming_per_second)");
        if (lose_) {
            lose_(MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
        }
        return;
    }
    Item item;
    // A message bigger than the whole receive buffer cannot be taken in
    // (docs/mqtt.md: how the receive buffer is accounted).
    uint64_t needed = uint64_t{topic.size()} + payload.size();
    if (needed > receive_buffer().size()) {
        item.type = MV_MQTTREADABLEDATATYPE_MESSAGELOST;
        item.message_len = static_cast<uint32_t>(std::min<uint64_t>(needed, UINT32_MAX));
        item.topic = std::move(topic);
        push(std::move(item));
        return;
    }
    item.type = MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED;
    item.correlation_id = next_message_id_++;
    if (next_message_id_ == 0) {
        next_message_id_ = 1;
    }
    item.topic = std::move(topic);
    item.payload = std::move(payload);
    item.qos = static_cast<uint32_t>(qos);
    item.retain = retain;
    push(std::move(item));
}

bool MqttChannel::trips_breaker() {
    if (breaker_.max_incoming_per_second == 0 || !breaker_.now_ns) {
        return false;
    }
    constexpr int64_t kWindowNs = 1000000000;
    int64_t now = breaker_.now_ns();
    while (!recent_messages_.empty() && now - recent_messages_.front() >= kWindowNs) {
        recent_messages_.pop_front();
    }
    recent_messages_.push_back(now);
    return recent_messages_.size() > breaker_.max_incoming_per_second;
}

bool MqttChannel::acknowledge(uint32_t id) { return unacknowledged_.erase(id) != 0; }

void MqttChannel::disconnect() {
    if (state_ != State::connected) {
        Item item;
        item.type = MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE;
        item.request_state = MV_MQTTREQUESTSTATE_NOTCONNECTED;
        push(std::move(item));
        return;
    }
    state_ = State::disconnecting;
    if (traffic()) {
        traffic()->write("mqtt-disconnect", trace::TrafficLog::Event::object());
    }
    session_->disconnect();
}

void MqttChannel::on_disconnected(bool requested, uint32_t reason) {
    if (state_ != State::connected && state_ != State::disconnecting) {
        return;
    }
    bool asked = state_ == State::disconnecting && requested;
    state_ = State::ended;
    end_session();
    Item item;
    item.type = MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE;
    item.request_state = asked ? MV_MQTTREQUESTSTATE_REQUESTCOMPLETED
                               : MV_MQTTREQUESTSTATE_NOTCONNECTED;
    item.code = reason;
    push(std::move(item));
    if (!asked && lose_) {
        // The broker went away: the channel is no longer connected either.
        lose_(reason != 0 ? MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER
                          : MV_CLOSUREREASON_CHANNELRESETBYSERVER);
    }
}

void MqttChannel::disconnected() {
    // The link went (or the hosting network handle was released): the
    // broker loses the client without DISCONNECT and publishes its will.
    Item item;
    switch (state_) {
    case State::connecting:
        item.type = MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE;
        item.request_state = MV_MQTTREQUESTSTATE_SOCKETERROR;
        break;
    case State::connected:
    case State::disconnecting:
        item.type = MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE;
        item.request_state = MV_MQTTREQUESTSTATE_NOTCONNECTED;
        break;
    default:
        break;
    }
    state_ = State::ended;
    end_session();
    if (item.type != MV_MQTTREADABLEDATATYPE_NONE) {
        push(std::move(item));
    }
}

}  // namespace mvemu
