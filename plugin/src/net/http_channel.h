// An HTTP channel (MV_CHANNELTYPE_HTTP): one HTTPS request per channel, made
// by the HttpClient on the backend's event loop; its response is kept on the
// host and read by the application with mvReadHttpResponseData, ...Header
// and ...Body for as long as the channel is open (docs/http.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "net/channel.h"
#include "net/http_client.h"
#include "notifications.h"
#include "scheduler.h"

namespace mvemu {

// mvSendHttpRequest's request, decoded from the guest.
struct HttpRequest {
    std::string method, url;
    std::vector<std::string> headers;
    std::vector<uint8_t> body;
    uint32_t timeout_ms = 0;
};

class HttpChannel : public Channel {
public:
    static constexpr uint32_t kMaxHeaders = 32;  // more is TOOMANYELEMENTS
    static constexpr uint32_t kMinTimeoutMs = 5000, kMaxTimeoutMs = 10000;

    // What a request takes in the send buffer (more than its size is
    // INVALIDBUFFERSIZE): each string (method, URL, every header, body)
    // with a 4-byte length before it.
    static uint64_t request_size(uint32_t method_length, uint32_t url_length,
                                 const std::vector<uint32_t>& header_lengths,
                                 uint32_t body_length);
    // The checks Microvisor's server makes and answers in the response's
    // result: the scheme, the method, each header, the timeout.
    static MvHttpResult check(const HttpRequest& request);

    using Report = std::function<void(const std::string&)>;
    HttpChannel(uint32_t network, uint32_t center, uint32_t tag, ByteRing receive, ByteRing send,
                NotificationCenters& centers, Scheduler& scheduler, HttpClient& client,
                Report report);
    ~HttpChannel() override;

    bool byte_stream() const override { return false; }

    bool request_sent() const { return sent_; }
    // The request could not be read (LATEFAULT): the channel's one request
    // is spent and no response will come.
    void spend() { sent_ = true; }
    // Take a request that passed the call's checks: answered at once with
    // a result when check() refuses it, else sent with the HttpClient. One
    // CHANNELDATAREADABLE announces the response either way.
    void send(HttpRequest request);

    bool response_present() const { return answered_; }
    // Valid once response_present().
    MvHttpResult result() const { return result_; }
    uint32_t status_code() const { return status_code_; }
    const std::vector<std::string>& headers() const { return headers_; }
    const std::vector<uint8_t>& body() const { return body_; }

private:
    void disconnected() override;
    void arrive(MvHttpResult result, HttpTransferOutcome outcome);

    NotificationCenters& centers_;
    Scheduler& scheduler_;
    HttpClient& client_;
    Report report_;
    Scheduler::TimerId timer_ = 0;  // an answer without the network (refused request)
    uint64_t transfer_ = 0;         // the HttpClient's transfer while on its way
    bool sent_ = false, answered_ = false;
    std::string what_;              // "GET https://host/path" for the console

    MvHttpResult result_ = MV_HTTPRESULT_OK;
    uint32_t status_code_ = 0;
    std::vector<std::string> headers_;
    std::vector<uint8_t> body_;
};

}  // namespace mvemu
