#include "net/http_channel.h"

#include "trace/traffic_log.h"

#include <algorithm>
#include <cctype>

namespace mvemu {

namespace {

constexpr const char* kMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};

// RFC 9110 token characters: a header name is one or more of them.
bool token_char(unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
}

// "Name: value": a token, a colon, then a value without CR, LF or NUL.
bool header_valid(const std::string& h) {
    size_t colon = h.find(':');
    if (colon == 0 || colon == std::string::npos) {
        return false;
    }
    if (!std::all_of(h.begin(), h.begin() + long(colon), [](char c) { return token_char(c); })) {
        return false;
    }
    return h.find_first_of(std::string("\r\n\0", 3), colon) == std::string::npos;
}

const char* result_name(MvHttpResult r) {
    switch (r) {
    case MV_HTTPRESULT_OK: return "OK";
    case MV_HTTPRESULT_UNSUPPORTEDURISCHEME: return "UNSUPPORTEDURISCHEME (the URL must begin with https://)";
    case MV_HTTPRESULT_UNSUPPORTEDMETHOD: return "UNSUPPORTEDMETHOD (GET, HEAD, POST, PUT, DELETE, PATCH or OPTIONS)";
    case MV_HTTPRESULT_INVALIDHEADERS: return "INVALIDHEADERS (each header is one \"Name: value\")";
    case MV_HTTPRESULT_INVALIDTIMEOUT: return "INVALIDTIMEOUT (5000 to 10000 ms)";
    case MV_HTTPRESULT_REQUESTFAILED: return "REQUESTFAILED";
    case MV_HTTPRESULT_RESPONSETOOLARGE: return "RESPONSETOOLARGE";
    default: return "?";
    }
}

// The request as the console names it: method and URL, the query left out
// (it may carry a token), non-printable bytes as '?'.
std::string shown_request(const HttpRequest& r) {
    std::string url = r.url.substr(0, std::min(r.url.find('?'), size_t{200}));
    if (url.size() < r.url.size()) {
        url += "?...";
    }
    std::string text = r.method.substr(0, 16) + " " + url;
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
    }
    return text;
}

}  // namespace

uint64_t HttpChannel::request_size(uint32_t method_length, uint32_t url_length,
                                   const std::vector<uint32_t>& header_lengths,
                                   uint32_t body_length) {
    uint64_t n = 4 + uint64_t{method_length} + 4 + url_length + 4 + body_length;
    for (uint32_t h : header_lengths) {
        n += 4 + uint64_t{h};
    }
    return n;
}

MvHttpResult HttpChannel::check(const HttpRequest& r) {
    std::string scheme = r.url.substr(0, 8);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (scheme != "https://") {
        return MV_HTTPRESULT_UNSUPPORTEDURISCHEME;
    }
    if (std::none_of(std::begin(kMethods), std::end(kMethods),
                     [&](const char* m) { return r.method == m; })) {
        return MV_HTTPRESULT_UNSUPPORTEDMETHOD;
    }
    if (!std::all_of(r.headers.begin(), r.headers.end(), header_valid)) {
        return MV_HTTPRESULT_INVALIDHEADERS;
    }
    if (r.timeout_ms < kMinTimeoutMs || r.timeout_ms > kMaxTimeoutMs) {
        return MV_HTTPRESULT_INVALIDTIMEOUT;
    }
    return MV_HTTPRESULT_OK;
}

HttpChannel::HttpChannel(uint32_t network, uint32_t center, uint32_t tag, ByteRing receive,
                         ByteRing send, NotificationCenters& centers, Scheduler& scheduler,
                         HttpClient& client, Report report)
    : Channel(MV_CHANNELTYPE_HTTP, network, center, tag, receive, send),
      centers_(centers),
      scheduler_(scheduler),
      client_(client),
      report_(std::move(report)) {}

HttpChannel::~HttpChannel() {
    if (timer_) {
        scheduler_.cancel(timer_);
    }
    if (transfer_) {
        client_.cancel(transfer_);
    }
}

void HttpChannel::send(HttpRequest request) {
    sent_ = true;
    what_ = shown_request(request);
    if (MvHttpResult refused = check(request); refused != MV_HTTPRESULT_OK) {
        timer_ = scheduler_.after(0, [this, refused] {
            timer_ = 0;
            arrive(refused, {});
        });
        return;
    }
    if (traffic()) {
        traffic()->write("http-request", {{"method", request.method}, {"url", request.url},
                                          {"headers", request.headers.size()},
                                          {"body_bytes", request.body.size()},
                                          {"timeout_ms", request.timeout_ms}});
    }
    HttpTransferRequest t;
    t.method = std::move(request.method);
    t.url = std::move(request.url);
    t.headers = std::move(request.headers);
    t.body = std::move(request.body);
    t.timeout_ms = request.timeout_ms;
    t.max_response = receive_buffer().size();
    transfer_ = client_.start(std::move(t), [this](HttpTransferOutcome outcome) {
        transfer_ = 0;
        using Kind = HttpTransferOutcome::Kind;
        arrive(outcome.kind == Kind::ok          ? MV_HTTPRESULT_OK
               : outcome.kind == Kind::too_large ? MV_HTTPRESULT_RESPONSETOOLARGE
                                                 : MV_HTTPRESULT_REQUESTFAILED,
               std::move(outcome));
    });
}

void HttpChannel::arrive(MvHttpResult result, HttpTransferOutcome outcome) {
    if (!connected()) {
        return;
    }
    result_ = result;
    status_code_ = outcome.status_code;
    if (traffic()) {
        traffic()->write("http-response", {{"request", what_},
                                           {"result", trace::TrafficLog::name("MvHttpResult", result)},
                                           {"status", result == MV_HTTPRESULT_REQUESTFAILED ? 0 : outcome.status_code},
                                           {"headers", outcome.headers.size()},
                                           {"body_bytes", outcome.body.size()},
                                           {"error", outcome.error}});
    }
    if (result == MV_HTTPRESULT_OK) {
        headers_ = std::move(outcome.headers);
        body_ = std::move(outcome.body);
    } else if (result == MV_HTTPRESULT_REQUESTFAILED) {
        status_code_ = 0;
        report_("mvSendHttpRequest: " + what_ + " failed: " + outcome.error);
    } else if (result == MV_HTTPRESULT_RESPONSETOOLARGE) {
        report_("mvSendHttpRequest: " + what_ + ": the response (status " +
                std::to_string(status_code_) + ") does not fit the channel's " +
                std::to_string(receive_buffer().size()) + "-byte receive buffer: RESPONSETOOLARGE");
    } else {
        report_("mvSendHttpRequest: " + what_ + " refused: " + result_name(result));
    }
    answered_ = true;
    centers_.post(center(), MV_EVENTTYPE_CHANNELDATAREADABLE, tag());
}

void HttpChannel::disconnected() {
    // A response still on its way is lost with the connection; one already
    // received stays readable.
    if (timer_) {
        scheduler_.cancel(timer_);
        timer_ = 0;
    }
    if (transfer_) {
        client_.cancel(transfer_);
        transfer_ = 0;
    }
}

}  // namespace mvemu
