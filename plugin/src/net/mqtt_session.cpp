#include "net/mqtt_session.h"

#include <fcntl.h>
#include <mqtt_protocol.h>
#include <openssl/ssl.h>

namespace mvemu {

namespace {

constexpr int kReasonUnspecified = 0x80;       // MQTT's "unspecified error" (and SUBACK failure)
constexpr uint32_t kSessionExpiry = 86400;     // MQTT 5 persistent sessions: one day
constexpr unsigned kMiscIntervalMs = 1000;     // keepalive bookkeeping (mosquitto_loop_misc)

std::once_flag library_initialised;

}  // namespace

// ---- connect workers ----

MqttConnectWorkers::~MqttConnectWorkers() {
    for (Worker& w : workers_) {
        w.thread.join();
    }
}

void MqttConnectWorkers::start(std::function<void()> work) {
    std::lock_guard<std::mutex> lock(mutex_);
    // Reap the finished ones so their stacks go back.
    for (auto it = workers_.begin(); it != workers_.end();) {
        if (*it->done) {
            it->thread.join();
            it = workers_.erase(it);
        } else {
            ++it;
        }
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    workers_.push_back({std::thread([work = std::move(work), done] {
                            work();
                            *done = true;
                        }),
                        done});
}

// ---- session ----

MqttSession::MqttSession(EventLoop& loop, MainQueue& queue, MqttConnectParams params,
                         Events events)
    : loop_(loop), queue_(queue), params_(std::move(params)), events_(std::move(events)) {}

std::shared_ptr<MqttSession> MqttSession::open(EventLoop& loop, MainQueue& queue,
                                               MqttConnectWorkers& workers,
                                               MqttConnectParams params, Events events) {
    std::shared_ptr<MqttSession> s(
        new MqttSession(loop, queue, std::move(params), std::move(events)));
    // Armed before the worker can hand over: the loop runs invocations in
    // the order they were queued.
    loop.invoke([s] {
        s->deadline_timer_ = s->loop_.every(s->params_.connect_timeout_ms, [s] {
            s->deadline_timer_ = 0;  // one shot: GLib removes it
            s->connect_deadline();
            return false;
        });
    });
    workers.start([s] { s->connect_blocking(); });
    return s;
}

MqttSession::~MqttSession() {
    // Normally destroyed on the loop thread already; this covers a backend
    // torn down with the hand-over still queued.
    if (mosq_) {
        mosquitto_destroy(mosq_);
    }
}

void MqttSession::deliver(std::function<void()> event) {
    queue_.post([alive = alive_, event = std::move(event)] {
        if (*alive) {
            event();
        }
    });
}

void MqttSession::connect_blocking() {
    std::call_once(library_initialised, [] { mosquitto_lib_init(); });
    MqttConnectParams& p = params_;
    mosq_ = mosquitto_new(p.client_id.c_str(), p.clean_start, this);
    int rc = mosq_ ? MOSQ_ERR_SUCCESS : MOSQ_ERR_INVAL;
    mosquitto_property* properties = nullptr;
    if (rc == MOSQ_ERR_SUCCESS) {
        mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION,
                             p.v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
        // Each MQTT packet goes out when written: without this, Nagle's
        // algorithm holds a publish back until the broker has acknowledged
        // the previous segment, which halved QoS 1 throughput.
        mosquitto_int_option(mosq_, MOSQ_OPT_TCP_NODELAY, 1);
        mosquitto_connect_v5_callback_set(mosq_, on_connect);
        mosquitto_disconnect_v5_callback_set(mosq_, on_disconnect);
        mosquitto_publish_v5_callback_set(mosq_, on_publish);
        mosquitto_subscribe_v5_callback_set(mosq_, on_subscribe);
        mosquitto_unsubscribe_v5_callback_set(mosq_, on_unsubscribe);
        mosquitto_message_v5_callback_set(mosq_, on_message);
        if (p.credentials) {
            rc = mosquitto_username_pw_set(mosq_, p.credentials->first.c_str(),
                                           p.credentials->second.c_str());
        }
    }
    if (rc == MOSQ_ERR_SUCCESS && p.will) {
        rc = mosquitto_will_set_v5(mosq_, p.will->topic.c_str(),
                                   static_cast<int>(p.will->payload.size()),
                                   p.will->payload.data(), p.will->qos, p.will->retain, nullptr);
    }
    if (rc == MOSQ_ERR_SUCCESS && p.tls) {
        SSL_CTX* ctx = make_client_context(p.tls_material, p.extra_cas, p.verify_host,
                                           &verify_error_);
        if (!ctx) {
            rc = MOSQ_ERR_TLS;
        } else {
            mosquitto_int_option(mosq_, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0);
            mosquitto_void_option(mosq_, MOSQ_OPT_SSL_CTX, ctx);  // takes its own reference
            SSL_CTX_free(ctx);
        }
        params_.tls_material = {};  // in the context now; wiped here
    }
    if (rc == MOSQ_ERR_SUCCESS && p.v5 && !p.clean_start) {
        // A persistent session on MQTT 5 needs an expiry interval.
        mosquitto_property_add_int32(&properties, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                     kSessionExpiry);
    }
    if (rc == MOSQ_ERR_SUCCESS && p.name_unlisted) {
        rc = MOSQ_ERR_EAI;  // as a name the resolver does not know
    } else if (rc == MOSQ_ERR_SUCCESS) {
        // Blocking: name lookup, TCP connect, CONNECT written.
        rc = mosquitto_connect_bind_v5(mosq_, p.host.c_str(), p.port, p.keepalive, nullptr,
                                       properties);
    }
    mosquitto_property_free_all(&properties);
    loop_.invoke([self = shared_from_this(), rc] { self->adopt(rc); });
}

void MqttSession::connect_deadline() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (connack_seen_ || reported_end_ || shut_) {
        return;
    }
    deadline_passed_ = true;
    reported_end_ = true;
    deliver([connected = events_.connected] { connected(ConnectFailure::socket, 0); });
    if (adopted_) {
        close_connection();
    }
    // Otherwise adopt() closes it when the worker hands over.
}

void MqttSession::adopt(int rc) {
    std::lock_guard<std::mutex> lock(mutex_);
    adopted_ = true;
    if (shut_ || deadline_passed_) {
        close_connection();
        return;
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        ConnectFailure failure = rc == MOSQ_ERR_EAI     ? ConnectFailure::name_not_found
                                 : rc == MOSQ_ERR_INVAL ? ConnectFailure::bad_parameters
                                                        : tls_failure();
        deliver([connected = events_.connected, failure] { connected(failure, 0); });
        reported_end_ = true;
        close_connection();
        return;
    }
    int fd = mosquitto_socket(mosq_);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    in_watch_ = loop_.watch_fd(fd, GIOCondition(G_IO_IN | G_IO_HUP | G_IO_ERR),
                               [self = shared_from_this()](GIOCondition) {
                                   return self->on_readable();
                               });
    misc_timer_ = loop_.every(kMiscIntervalMs, [self = shared_from_this()] {
        std::lock_guard<std::mutex> lock(self->mutex_);
        if (self->over()) {
            self->misc_timer_ = 0;
            return false;
        }
        mosquitto_loop_misc(self->mosq_);  // keepalive: PINGREQ, or give up on a silent broker
        if (self->over()) {
            self->misc_timer_ = 0;  // GLib removes the running source itself
            self->finish();
            return false;
        }
        self->rearm();
        return true;
    });
    rearm();
}

MqttSession::ConnectFailure MqttSession::tls_failure() const {
    switch (classify_verify_error(verify_error_)) {
    case TlsFailure::unknown_ca:
        return ConnectFailure::unknown_ca;
    case TlsFailure::expired:
        return ConnectFailure::certificate_expired;
    case TlsFailure::other:
        break;
    }
    return ConnectFailure::socket;
}

bool MqttSession::over() const { return !mosq_ || mosquitto_socket(mosq_) < 0; }

void MqttSession::rearm() {
    if (over() || out_watch_ != 0 || !mosquitto_want_write(mosq_)) {
        return;
    }
    out_watch_ = loop_.watch_fd(mosquitto_socket(mosq_), GIOCondition(G_IO_OUT | G_IO_ERR),
                                [self = shared_from_this()](GIOCondition) {
                                    return self->on_writable();
                                });
}

bool MqttSession::on_readable() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!mosq_) {
        in_watch_ = 0;
        return false;
    }
    mosquitto_loop_read(mosq_, 1);
    if (over()) {
        in_watch_ = 0;  // GLib removes the running source itself
        finish();
        return false;
    }
    rearm();
    return true;
}

bool MqttSession::on_writable() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!mosq_) {
        out_watch_ = 0;
        return false;
    }
    mosquitto_loop_write(mosq_, 1);
    if (over()) {
        out_watch_ = 0;
        finish();
        return false;
    }
    if (!mosquitto_want_write(mosq_)) {
        out_watch_ = 0;
        return false;
    }
    return true;
}

void MqttSession::after_request() {
    if (over()) {
        finish();
    } else {
        rearm();
    }
}

void MqttSession::read_now() {
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || !adopted_ || shut_ || over()) {
        return;
    }
    // The socket is non-blocking: with nothing there this is one recv().
    mosquitto_loop_read(mosq_, 1);
    if (over() || mosquitto_want_write(mosq_)) {
        lock.unlock();
        loop_.invoke([self = shared_from_this()] {
            std::lock_guard<std::mutex> relock(self->mutex_);
            self->after_request();
        });
    }
}

void MqttSession::request(std::function<void()> send) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (adopted_ && !shut_) {
            send();
            if (!over() && !mosquitto_want_write(mosq_)) {
                return;  // written whole: nothing for the loop to do
            }
            send = nullptr;  // done: the loop only follows up
        }
    }
    loop_.invoke([self = shared_from_this(), send = std::move(send)] {
        std::lock_guard<std::mutex> lock(self->mutex_);
        if (send) {
            send();
        }
        self->after_request();
    });
}

void MqttSession::report_end(int rc) {
    if (reported_end_) {
        return;
    }
    reported_end_ = true;
    if (!connack_seen_) {
        // The connection broke before the broker answered CONNECT (the TLS
        // handshake may finish on the loop, and fail there).
        deliver([connected = events_.connected, failure = tls_failure()] {
            connected(failure, 0);
        });
        return;
    }
    if (!connack_ok_) {
        return;  // the refusal was the connect response
    }
    bool requested = disconnect_requested_;
    uint32_t reason = rc >= kReasonUnspecified && rc <= 0xFF ? static_cast<uint32_t>(rc) : 0;
    deliver([disconnected = events_.disconnected, requested, reason] {
        disconnected(requested, reason);
    });
}

void MqttSession::finish() {
    report_end(-1);
    stop_watching();
}

void MqttSession::stop_watching() {
    for (guint* id : {&in_watch_, &out_watch_, &misc_timer_, &deadline_timer_}) {
        if (*id != 0) {
            loop_.unwatch(*id);
            *id = 0;
        }
    }
}

void MqttSession::close_connection() {
    stop_watching();
    if (mosq_) {
        mosquitto_destroy(mosq_);  // closes the socket without DISCONNECT: the will goes out
        mosq_ = nullptr;
    }
}

void MqttSession::shutdown() {
    *alive_ = false;
    loop_.invoke([self = shared_from_this()] {
        std::lock_guard<std::mutex> lock(self->mutex_);
        self->shut_ = true;
        if (self->adopted_) {
            self->close_connection();
        }
        // Otherwise adopt() closes it when the worker hands over.
    });
}

void MqttSession::disconnect() {
    request([this] {
        if (!over()) {
            disconnect_requested_ = true;
            mosquitto_disconnect_v5(mosq_, 0, nullptr);
        }
    });
}

void MqttSession::subscribe(uint32_t correlation_id, std::vector<MqttSubscriptionSpec> topics) {
    request([this, correlation_id, topics = std::move(topics)] {
        send_multi(correlation_id, true, topics.size(), [&](size_t i, int* mid) {
            const MqttSubscriptionSpec& t = topics[i];
            int options = 0;
            if (params_.v5) {
                options = (t.no_local ? MQTT_SUB_OPT_NO_LOCAL : 0) |
                          (t.retain_as_published ? MQTT_SUB_OPT_RETAIN_AS_PUBLISHED : 0) |
                          (t.retain_handling << 4);
            }
            return mosquitto_subscribe_v5(mosq_, mid, t.topic.c_str(), t.qos, options, nullptr);
        });
    });
}

void MqttSession::unsubscribe(uint32_t correlation_id, std::vector<std::string> topics) {
    request([this, correlation_id, topics = std::move(topics)] {
        send_multi(correlation_id, false, topics.size(), [&](size_t i, int* mid) {
            return mosquitto_unsubscribe_v5(mosq_, mid, topics[i].c_str(), nullptr);
        });
    });
}

void MqttSession::send_multi(uint32_t correlation_id, bool subscribe, size_t count,
                             const std::function<int(size_t, int*)>& send) {
    size_t key = next_multi_++;
    Multi& m = multis_[key];
    m = {correlation_id, subscribe, std::vector<uint32_t>(count, kReasonUnspecified), count};
    for (size_t i = 0; i < count; i++) {
        int mid = 0;
        if (!over() && send(i, &mid) == MOSQ_ERR_SUCCESS) {
            topic_mids_[mid] = {key, i};
        } else {
            m.left--;  // stays 0x80: refused
        }
    }
    complete_multi(key);
}

void MqttSession::complete_multi(size_t key) {
    auto it = multis_.find(key);
    if (it == multis_.end() || it->second.left > 0) {
        return;
    }
    Multi m = std::move(it->second);
    multis_.erase(it);
    auto& event = m.subscribe ? events_.subscribed : events_.unsubscribed;
    deliver([event, id = m.correlation_id, codes = std::move(m.codes)]() mutable {
        event(id, std::move(codes));
    });
}

void MqttSession::topic_done(int mid, uint32_t code) {
    auto it = topic_mids_.find(mid);
    if (it == topic_mids_.end()) {
        return;
    }
    auto [key, index] = it->second;
    topic_mids_.erase(it);
    auto m = multis_.find(key);
    if (m == multis_.end()) {
        return;
    }
    m->second.codes[index] = code;
    m->second.left--;
    complete_multi(key);
}

void MqttSession::publish(uint32_t correlation_id, std::string topic, std::vector<uint8_t> payload,
                          int qos, bool retain) {
    request([this, correlation_id, topic = std::move(topic), payload = std::move(payload), qos,
             retain] {
        int mid = 0;
        int rc = over() ? MOSQ_ERR_NO_CONN
                        : mosquitto_publish_v5(mosq_, &mid, topic.c_str(),
                                               static_cast<int>(payload.size()), payload.data(),
                                               qos, retain, nullptr);
        if (rc != MOSQ_ERR_SUCCESS) {
            deliver([published = events_.published, correlation_id] {
                published(correlation_id, kReasonUnspecified);
            });
        } else if (auto early = early_publish_.find(mid); early != early_publish_.end()) {
            // QoS 0 is written (and "complete") inside mosquitto_publish_v5.
            uint32_t reason = early->second;
            early_publish_.erase(early);
            deliver([published = events_.published, correlation_id, reason] {
                published(correlation_id, reason);
            });
        } else {
            publish_mids_[mid] = correlation_id;
        }
    });
}

void MqttSession::publish_done(int mid, uint32_t reason) {
    auto it = publish_mids_.find(mid);
    if (it == publish_mids_.end()) {
        early_publish_[mid] = reason;
        return;
    }
    uint32_t correlation_id = it->second;
    publish_mids_.erase(it);
    deliver([published = events_.published, correlation_id, reason] {
        published(correlation_id, reason);
    });
}

// ---- libmosquitto callbacks ----

void MqttSession::on_connect(mosquitto*, void* self, int rc, int, const mosquitto_property*) {
    auto* s = static_cast<MqttSession*>(self);
    s->connack_seen_ = true;
    s->connack_ok_ = rc == 0;
    uint32_t reason = static_cast<uint32_t>(rc);
    s->deliver([connected = s->events_.connected, reason] {
        connected(ConnectFailure::none, reason);
    });
}

void MqttSession::on_disconnect(mosquitto*, void* self, int rc, const mosquitto_property*) {
    static_cast<MqttSession*>(self)->report_end(rc);
}

void MqttSession::on_publish(mosquitto*, void* self, int mid, int rc, const mosquitto_property*) {
    static_cast<MqttSession*>(self)->publish_done(mid, static_cast<uint32_t>(rc));
}

void MqttSession::on_subscribe(mosquitto*, void* self, int mid, int count, const int* granted,
                               const mosquitto_property*) {
    static_cast<MqttSession*>(self)->topic_done(
        mid, count > 0 ? static_cast<uint32_t>(granted[0]) : kReasonUnspecified);
}

void MqttSession::on_unsubscribe(mosquitto*, void* self, int mid, const mosquitto_property*) {
    // libmosquitto 2.0 does not pass UNSUBACK's reason codes on: success.
    static_cast<MqttSession*>(self)->topic_done(mid, 0);
}

void MqttSession::on_message(mosquitto*, void* self, const mosquitto_message* m,
                             const mosquitto_property*) {
    auto* s = static_cast<MqttSession*>(self);
    const auto* bytes = static_cast<const uint8_t*>(m->payload);
    std::vector<uint8_t> payload(bytes, bytes + m->payloadlen);
    s->deliver([message = s->events_.message, topic = std::string(m->topic),
                payload = std::move(payload), qos = m->qos, retain = m->retain]() mutable {
        message(std::move(topic), std::move(payload), qos, retain);
    });
}

}  // namespace mvemu
