// The MQTT client behind one MQTT channel: a libmosquitto object that speaks
// the protocol, driven from the backend's event loop.
//
// Life of a session:
//  - open() starts a connect worker thread: libmosquitto's connect resolves
//    the name, makes the TCP connection and sends CONNECT with blocking calls
//    (its only connect that takes MQTT 5 properties), so that runs off the
//    event loop and off the vCPU;
//  - the worker hands the object to the event loop, which makes the socket
//    non-blocking and from then on calls mosquitto_loop_read when it is
//    readable, mosquitto_loop_write when it is writable and the library
//    wants to write, and mosquitto_loop_misc (keepalive) once a second;
//  - the channel (QEMU's main loop, on the vCPU thread for a system call)
//    makes its requests (subscribe, publish, ...) on its own thread once the
//    loop has adopted the connection: libmosquitto writes the packet to the
//    socket inside the call, so a publish reaches the broker without waking
//    the loop thread first (docs/benchmarks.md, MQTT). Only when the socket
//    would block, or the connection ended, is the loop asked to follow up.
//    The channel hears back only through MainQueue, never after shutdown().
// The mosquitto object is used by one thread at a time: the worker until it
// hands over, then whichever thread holds `mutex_` (the loop thread in its
// watches and timer, the channel in a request).
#pragma once

#include <glib.h>
#include <mosquitto.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "event_loop.h"
#include "main_queue.h"
#include "net/mqtt_tls.h"

namespace mvemu {

struct MqttConnectParams {
    bool v5 = false;
    std::string host;     // what libmosquitto connects to (after the profile's host map)
    uint16_t port = 0;
    bool name_unlisted = false;  // [network] dns = "hosts-only" forbids looking `host` up
    std::string client_id;
    std::optional<std::pair<std::string, std::string>> credentials;  // username, password
    uint16_t keepalive = 60;
    // From the start of the connect to CONNACK; then the attempt fails
    // (a server that accepts and never answers, or answers garbage).
    unsigned connect_timeout_ms = 30000;
    bool clean_start = true;
    struct Will {
        std::string topic;
        std::vector<uint8_t> payload;
        int qos = 0;
        bool retain = false;
    };
    std::optional<Will> will;
    // TLS (docs/mqtt.md "TLS"): off only with the profile's plain_tcp.
    bool tls = false;
    MqttTlsMaterial tls_material;        // from the application; wiped once connected
    std::vector<std::string> extra_cas;  // the profile's CA files, when the application gives none
    std::string verify_host;             // the name the server's certificate must carry
};

struct MqttSubscriptionSpec {
    std::string topic;
    int qos = 0;
    bool no_local = false, retain_as_published = false;
    int retain_handling = 0;
};

// Joins connect workers: each finished one when the next starts, all of them
// when destroyed (the backend's teardown waits for a connect in progress).
class MqttConnectWorkers {
public:
    ~MqttConnectWorkers();
    void start(std::function<void()> work);

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::mutex mutex_;
    std::vector<Worker> workers_;
};

class MqttSession : public std::enable_shared_from_this<MqttSession> {
public:
    // How a connect attempt ended, before any CONNACK.
    enum class ConnectFailure {
        none, bad_parameters, name_not_found, socket, unknown_ca, certificate_expired
    };

    // Run on the main loop, never after shutdown().
    struct Events {
        // CONNACK received (failure none, `reason` is its code) or the
        // attempt failed before one.
        std::function<void(ConnectFailure failure, uint32_t reason)> connected;
        // One SUBACK/UNSUBACK per topic of request `correlation_id`, codes in order.
        std::function<void(uint32_t correlation_id, std::vector<uint32_t> codes)> subscribed;
        std::function<void(uint32_t correlation_id, std::vector<uint32_t> codes)> unsubscribed;
        // QoS 0 sent, QoS 1 PUBACK, QoS 2 PUBCOMP (reason: MQTT 5's code, else 0).
        std::function<void(uint32_t correlation_id, uint32_t reason)> published;
        std::function<void(std::string topic, std::vector<uint8_t> payload, int qos, bool retain)>
            message;
        // The connection ended: `requested` after our DISCONNECT; otherwise
        // `reason` is the broker's DISCONNECT reason (MQTT 5), or 0 when the
        // connection just broke.
        std::function<void(bool requested, uint32_t reason)> disconnected;
    };

    static std::shared_ptr<MqttSession> open(EventLoop& loop, MainQueue& queue,
                                             MqttConnectWorkers& workers, MqttConnectParams params,
                                             Events events);
    ~MqttSession();

    // Main loop side (only after `connected` reported success).
    void subscribe(uint32_t correlation_id, std::vector<MqttSubscriptionSpec> topics);
    void unsubscribe(uint32_t correlation_id, std::vector<std::string> topics);
    void publish(uint32_t correlation_id, std::string topic, std::vector<uint8_t> payload, int qos,
                 bool retain);
    void disconnect();
    // Read one packet the broker has sent, if any, on the caller's thread,
    // unless another thread is using the connection (then it reads anyway).
    // Its events are queued as the loop thread's are.
    void read_now();
    // Drop the connection without DISCONNECT (the broker sends the will);
    // no event is delivered after this.
    void shutdown();

private:
    MqttSession(EventLoop& loop, MainQueue& queue, MqttConnectParams params, Events events);

    // Worker thread.
    void connect_blocking();
    // Loop thread: the connect deadline passed.
    void connect_deadline();
    // Loop thread side.
    void adopt(int rc);
    bool over() const;  // no connection (any more)
    // A connect that failed: what the server's certificate said, if anything.
    ConnectFailure tls_failure() const;
    void rearm();
    // Run a request: at once under the mutex when the connection is adopted,
    // else on the loop thread. `send` runs with the mutex held either way.
    void request(std::function<void()> send);
    bool on_readable();
    bool on_writable();
    void after_request();
    void report_end(int rc);
    void finish();
    void stop_watching();
    void close_connection();
    void deliver(std::function<void()> event);

    // libmosquitto callbacks (loop thread, inside mosquitto_loop_*).
    static void on_connect(mosquitto*, void* self, int rc, int flags, const mosquitto_property*);
    static void on_disconnect(mosquitto*, void* self, int rc, const mosquitto_property*);
    static void on_publish(mosquitto*, void* self, int mid, int rc, const mosquitto_property*);
    static void on_subscribe(mosquitto*, void* self, int mid, int count, const int* granted,
                             const mosquitto_property*);
    static void on_unsubscribe(mosquitto*, void* self, int mid, const mosquitto_property*);
    static void on_message(mosquitto*, void* self, const mosquitto_message* message,
                           const mosquitto_property*);

    // A request of several topics is one libmosquitto call per topic.
    struct Multi {
        uint32_t correlation_id;
        bool subscribe;
        std::vector<uint32_t> codes;
        size_t left;
    };
    // One libmosquitto call per topic (`send(i, &mid)`), answered together.
    void send_multi(uint32_t correlation_id, bool subscribe, size_t count,
                    const std::function<int(size_t, int*)>& send);
    void topic_done(int mid, uint32_t code);
    void complete_multi(size_t key);
    void publish_done(int mid, uint32_t reason);

    EventLoop& loop_;
    MainQueue& queue_;
    MqttConnectParams params_;  // the TLS material is wiped after connecting
    const Events events_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // main loop only

    // Everything below, after the hand-over: held by whoever uses mosq_.
    std::mutex mutex_;
    // Worker, then the holder of mutex_.
    mosquitto* mosq_ = nullptr;
    // Loop thread only: the GLib sources.
    guint in_watch_ = 0, out_watch_ = 0, misc_timer_ = 0, deadline_timer_ = 0;
    // The holder of mutex_.
    int verify_error_ = 0;       // the TLS handshake's first verification error
    bool shut_ = false;          // shutdown() reached the loop
    bool adopted_ = false;
    bool connack_seen_ = false, connack_ok_ = false;
    bool reported_end_ = false;
    bool deadline_passed_ = false;  // no CONNACK in time: reported, the connection goes
    bool disconnect_requested_ = false;
    std::map<int, std::pair<size_t, size_t>> topic_mids_;  // mid -> (Multi index, topic index)
    std::map<size_t, Multi> multis_;
    size_t next_multi_ = 0;
    std::map<int, uint32_t> publish_mids_;   // mid -> correlation id
    std::map<int, uint32_t> early_publish_;  // completed before publish() returned its mid
};

}  // namespace mvemu
