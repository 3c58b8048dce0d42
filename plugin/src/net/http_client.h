// HTTPS requests for HTTP channels, made with libcurl's multi interface on
// the backend's event loop thread (docs/http.md).
//
// libcurl never blocks that thread: its sockets are GLib fd watches, its
// timers GLib timeout sources, and names are looked up by libcurl's threaded
// resolver. Every curl handle is touched on the loop thread only; the main
// loop starts and cancels transfers through EventLoop::invoke and hears of
// the outcome through MainQueue.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "event_loop.h"
#include "main_queue.h"

namespace mvemu {

struct HttpTransferRequest {
    std::string method, url;
    std::vector<std::string> headers;  // "Name: value"
    std::vector<uint8_t> body;
    uint32_t timeout_ms = 10000;       // the whole exchange, host time
    uint64_t max_response = 0;         // header and body bytes that fit the receive buffer
};

struct HttpTransferOutcome {
    enum class Kind { ok, too_large, failed };
    Kind kind = Kind::failed;
    uint32_t status_code = 0;
    std::vector<std::string> headers;  // "Name: value", in the order received
    std::vector<uint8_t> body;
    std::string error;                 // for failed: what went wrong, for the console
};

// How mvemu reaches hosts: the profile's host map and extra trust anchors.
struct HttpClientSettings {
    // CURLOPT_CONNECT_TO entries (connect_to_entry()): the connection goes
    // to the mapped address while TLS still verifies the name in the URL.
    std::vector<std::string> connect_to;
    std::vector<std::string> ca_pem;   // extra CAs (PEM text), trusted with the host's store
    // [network] dns = "hosts-only": only these names (lower case) and IP
    // addresses may be connected to; any other fails as an unknown name.
    bool listed_names_only = false;
    std::vector<std::string> listed_names;
};

class HttpClient {
public:
    using Done = std::function<void(HttpTransferOutcome)>;

    HttpClient(EventLoop& loop, MainQueue& queue, HttpClientSettings settings);
    // Waits until the loop thread has dropped every transfer.
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Main loop: start a transfer; `done` runs on the main loop, once,
    // unless cancel() came first. Returns an id for cancel().
    uint64_t start(HttpTransferRequest request, Done done);
    void cancel(uint64_t id);

    // The CURLOPT_CONNECT_TO entry sending `name` to `host` (an IPv6
    // address without brackets) and `port` (0: the URL's port).
    static std::string connect_to_entry(const std::string& name, const std::string& host,
                                        uint16_t port);

private:
    struct Engine;  // the loop thread's side
    EventLoop& loop_;
    MainQueue& queue_;
    std::shared_ptr<Engine> engine_;
    uint64_t next_id_ = 1;
    std::map<uint64_t, std::shared_ptr<bool>> live_;  // main loop: id -> still wanted
};

}  // namespace mvemu
