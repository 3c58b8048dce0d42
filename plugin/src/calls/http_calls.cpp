// mvSendHttpRequest, mvReadHttpResponseData, mvReadHttpResponseHeader and
// mvReadHttpResponseBody on HTTP channels (docs/http.md: the order of the
// checks, and what each status and result means).
#include "backend.h"
#include "calls/typed_channel.h"
#include "net/http_channel.h"

namespace mvemu {

namespace {

namespace L = layout;

Status find_channel(Backend& b, uint32_t handle, bool answered, HttpChannel*& channel) {
    return find_typed_channel(b, handle, MV_CHANNELTYPE_HTTP, answered, channel);
}

// The checks the header and body reads share: their buffer (the caller's
// pointer) first, then the channel, its response and that response's result.
Status readable_response(Backend& b, const CallArgs& c, HttpChannel*& channel) {
    uint32_t buf = c.a[2], size = c.a[3];
    if (size > 0 && !b.memory().writable(buf, size)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    if (Status s = find_channel(b, c.a[0], true, channel); s != MV_STATUS_OKAY) {
        return s;
    }
    return channel->result() == MV_HTTPRESULT_OK ? MV_STATUS_OKAY
                                                 : MV_STATUS_REQUESTUNSUCCESSFUL;
}

// A sized string inside the request; nullopt when it cannot be read.
std::optional<std::vector<uint8_t>> read_string(GuestMemory& m, uint32_t data, uint32_t length) {
    if (length == 0) {
        return std::vector<uint8_t>{};  // the pointer is not looked at
    }
    return m.read_bytes(data, length);
}

Status send_http_request(Backend& b, const CallArgs& c) {
    namespace R = L::http_request;
    namespace H = L::http_header;
    GuestMemory& m = b.memory();
    auto request = m.read_struct(c.a[1], R::size);
    if (!request) {
        return MV_STATUS_PARAMETERFAULT;
    }
    HttpChannel* channel = nullptr;
    if (Status s = find_channel(b, c.a[0], false, channel); s != MV_STATUS_OKAY) {
        return s;
    }
    if (!channel->connected()) {
        return MV_STATUS_CHANNELCLOSED;
    }
    if (channel->request_sent()) {
        return MV_STATUS_REQUESTALREADYSENT;  // one request per channel
    }
    uint32_t count = request->u32(R::num_headers), array = request->u32(R::headers);
    if (count > HttpChannel::kMaxHeaders) {
        return MV_STATUS_TOOMANYELEMENTS;
    }
    // From here a pointer inside the request that cannot be read is a
    // LATEFAULT, and it spends the channel's one request.
    auto late_fault = [&] {
        channel->spend();
        return MV_STATUS_LATEFAULT;
    };
    std::vector<uint32_t> header_data, header_lengths;
    if (count > 0) {
        if (array % 4 != 0 || !m.readable(array, count * H::size)) {
            return late_fault();
        }
        for (uint32_t i = 0; i < count; i++) {
            auto entry = m.read_struct(array + i * H::size, H::size);
            if (!entry) {
                return late_fault();
            }
            header_lengths.push_back(entry->u32(H::length));
            header_data.push_back(entry->u32(H::data));
        }
    }
    uint32_t method_length = request->u32(R::method_length), url_length = request->u32(R::url_length),
             body_length = request->u32(R::body_length);
    if (HttpChannel::request_size(method_length, url_length, header_lengths, body_length) >
        channel->send_buffer().size()) {
        return MV_STATUS_INVALIDBUFFERSIZE;  // spends nothing
    }
    auto method = read_string(m, request->u32(R::method_data), method_length);
    auto url = read_string(m, request->u32(R::url_data), url_length);
    auto body = read_string(m, request->u32(R::body_data), body_length);
    if (!method || !url || !body) {
        return late_fault();
    }
    HttpRequest r;
    r.method.assign(method->begin(), method->end());
    r.url.assign(url->begin(), url->end());
    r.body = std::move(*body);
    r.timeout_ms = request->u32(R::timeout_ms);
    for (uint32_t i = 0; i < count; i++) {
        auto text = read_string(m, header_data[i], header_lengths[i]);
        if (!text) {
            return late_fault();
        }
        r.headers.emplace_back(text->begin(), text->end());
    }
    b.host().log(LogLevel::debug, "http: " + r.method.substr(0, 16) + " request with " +
                                      std::to_string(count) + " headers and a " +
                                      std::to_string(body_length) + "-byte body");
    channel->send(std::move(r));
    return MV_STATUS_OKAY;
}

Status read_http_response_data(Backend& b, const CallArgs& c) {
    namespace D = L::http_response_data;
    GuestMemory& m = b.memory();
    if (!m.writable_aligned(c.a[1], D::size, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    HttpChannel* channel = nullptr;
    if (Status s = find_channel(b, c.a[0], true, channel); s != MV_STATUS_OKAY) {
        return s;
    }
    m.write_u32(c.a[1] + D::result, channel->result());
    m.write_u32(c.a[1] + D::status_code, channel->status_code());
    m.write_u32(c.a[1] + D::num_headers, static_cast<uint32_t>(channel->headers().size()));
    m.write_u32(c.a[1] + D::body_length, static_cast<uint32_t>(channel->body().size()));
    return MV_STATUS_OKAY;
}

// Copy up to `size` of `len` bytes at `data` to the caller's buffer (already
// checked): no length is returned, no terminator added.
Status copy_out(Backend& b, const CallArgs& c, const void* data, size_t len) {
    uint32_t n = std::min<uint32_t>(c.a[3], static_cast<uint32_t>(len));
    if (n > 0 && !b.memory().write_bytes(c.a[2], data, n)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    return MV_STATUS_OKAY;
}

Status read_http_response_header(Backend& b, const CallArgs& c) {
    HttpChannel* channel = nullptr;
    if (Status s = readable_response(b, c, channel); s != MV_STATUS_OKAY) {
        return s;
    }
    uint32_t index = c.a[1];
    if (index >= channel->headers().size()) {
        return MV_STATUS_INDEXINVALID;
    }
    const std::string& header = channel->headers()[index];
    return copy_out(b, c, header.data(), header.size());
}

Status read_http_response_body(Backend& b, const CallArgs& c) {
    HttpChannel* channel = nullptr;
    if (Status s = readable_response(b, c, channel); s != MV_STATUS_OKAY) {
        return s;
    }
    uint32_t offset = c.a[1];
    const std::vector<uint8_t>& body = channel->body();
    if (offset > body.size()) {
        return MV_STATUS_OFFSETINVALID;
    }
    return copy_out(b, c, body.data() + offset, body.size() - offset);
}

}  // namespace

void register_http_calls(SyscallTable& table) {
    table.set("mvSendHttpRequest", send_http_request);
    table.set("mvReadHttpResponseData", read_http_response_data);
    table.set("mvReadHttpResponseHeader", read_http_response_header);
    table.set("mvReadHttpResponseBody", read_http_response_body);
}

}  // namespace mvemu
