// An MQTT channel (MV_CHANNELTYPE_MQTT): Microvisor's MQTT client as the
// application sees it (docs/mqtt.md).
//
// Requests (connect, subscribe, unsubscribe, publish, disconnect) go to an
// MqttSession, which speaks MQTT through libmosquitto on the event loop.
// What comes back (responses and received messages) joins one queue per
// channel in arrival order; each item posts one CHANNELDATAREADABLE with the
// channel's tag, mvMqttGetNextReadableDataType names the head, and the read
// call of the head's kind consumes it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "net/channel.h"
#include "net/mqtt_session.h"
#include "notifications.h"

namespace mvemu {

class MqttChannel : public ProtocolChannel {
public:
    struct Item {
        MvMqttReadableDataType type = MV_MQTTREADABLEDATATYPE_NONE;
        uint32_t request_state = MV_MQTTREQUESTSTATE_REQUESTCOMPLETED;
        uint32_t code = 0;             // connect: CONNACK reason; publish: reason; disconnect: code
        uint32_t correlation_id = 0;   // responses: the request's; messages: their own
        std::vector<uint32_t> codes;   // subscribe / unsubscribe: one per topic
        std::string topic;             // messages, lost messages
        std::vector<uint8_t> payload;  // messages
        uint32_t qos = 0;
        bool retain = false;
        uint32_t message_len = 0;      // lost messages
    };

    // The most publishes waiting for their response; one more is RATELIMITED.
    static constexpr size_t kMaxPublishesInFlight = 16;

    using Warn = std::function<void(const std::string& key, const std::string& text)>;
    // The cloud's circuit breaker: more than `max_incoming_per_second`
    // messages (0: no limit) within a second of virtual time (`now_ns`)
    // drop the connection.
    struct Breaker {
        uint32_t max_incoming_per_second = 0;
        std::function<int64_t()> now_ns;
    };

    MqttChannel(uint32_t network, uint32_t center, uint32_t tag, ByteRing receive, ByteRing send,
                NotificationCenters& centers, EventLoop& loop, MainQueue& queue,
                MqttConnectWorkers& workers, Warn warn, Breaker breaker);
    ~MqttChannel() override;

    // Set once the channel has its handle: how it reports a broker that
    // went away (Channels::lose for this channel).
    void on_lost(std::function<void(MvClosureReason)> lose) { lose_ = std::move(lose); }

    // The application's calls, validated by calls/mqtt_calls.cpp.
    bool connect_sent() const { return state_ != State::fresh; }
    void connect(MqttConnectParams params);
    // A connect answered at once with `request_state` (nullopt: not at
    // all, after a late fault); either way the channel's one connect is spent.
    void refuse_connect(std::optional<uint32_t> request_state);
    bool subscribe_in_flight() const { return subscribing_; }
    bool unsubscribe_in_flight() const { return unsubscribing_; }
    bool publishes_saturated() const { return publishing_ >= kMaxPublishesInFlight; }
    bool disconnect_in_flight() const { return state_ == State::disconnecting; }
    bool v5() const { return v5_; }
    // `valid` false: parameters refused (INVALIDPARAMETERS at once).
    void subscribe(uint32_t correlation_id, std::vector<MqttSubscriptionSpec> topics, bool valid);
    void unsubscribe(uint32_t correlation_id, std::vector<std::string> topics);
    void publish(uint32_t correlation_id, std::string topic, std::vector<uint8_t> payload, int qos,
                 bool retain, bool valid);
    void disconnect();
    // Whether `id` names a QoS 1/2 message read and not yet acknowledged
    // (it is then acknowledged).
    bool acknowledge(uint32_t id);

    const Item* head() const { return items_.empty() ? nullptr : &items_.front(); }
    // The application is polling an empty queue: read what the broker has
    // sent now, on the caller's thread (MqttSession::read_now).
    void read_now() {
        if (session_) {
            session_->read_now();
        }
    }
    void consume();

    // Session events (main loop).
    void on_connected(MqttSession::ConnectFailure failure, uint32_t reason);
    void on_subscribed(uint32_t correlation_id, std::vector<uint32_t> codes, bool subscribe);
    void on_published(uint32_t correlation_id, uint32_t reason);
    void on_message(std::string topic, std::vector<uint8_t> payload, int qos, bool retain);
    void on_disconnected(bool requested, uint32_t reason);

private:
    enum class State { fresh, connecting, connected, disconnecting, ended };

    void push(Item item);
    void log_item(const Item& item);
    void disconnected() override;
    void end_session();
    // Count an incoming message; true when it trips the circuit breaker.
    bool trips_breaker();

    NotificationCenters& centers_;
    EventLoop& loop_;
    MainQueue& queue_;
    MqttConnectWorkers& workers_;
    Warn warn_;
    std::function<void(MvClosureReason)> lose_;
    std::shared_ptr<MqttSession> session_;
    State state_ = State::fresh;
    bool v5_ = false;
    bool subscribing_ = false, unsubscribing_ = false;
    size_t publishing_ = 0;
    std::deque<Item> items_;
    uint32_t next_message_id_ = 1;
    std::set<uint32_t> unacknowledged_;  // QoS 1/2 messages the application has read
    Breaker breaker_;
    std::deque<int64_t> recent_messages_;  // arrival times within the last second
};

}  // namespace mvemu
