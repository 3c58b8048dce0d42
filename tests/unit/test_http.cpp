// HTTP channels (docs/http.md): the profile's [network.hosts] and [tls]
// tables, the request checks (synchronous statuses and the results the
// server gives), and requests against tests/https_server.py (statuses,
// headers, bodies at offsets, RESPONSETOOLARGE, failures), the connection
// lost on the way.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "chan_rig.h"
#include "temp_dir.h"
#include "net/http_channel.h"

using namespace chanrig;
using mvemu::HttpChannel;
using mvemu::HttpClient;
using mvemu::HttpRequest;
using mvemu::Profile;

namespace {

namespace Q = mvemu::layout::http_request;
namespace D = mvemu::layout::http_response_data;

// Guest scratch areas (apart from chan_rig.h's and the channel buffers at 0x20008000).
constexpr uint32_t kReq = 0x20002000u;      // MvHttpRequest
constexpr uint32_t kHeaders = 0x20002100u;  // MvHttpHeader[] (up to 40)
constexpr uint32_t kText = 0x20003000u;     // method, URL, headers, body text
constexpr uint32_t kResp = 0x20005000u;     // MvHttpResponseData
constexpr uint32_t kBuf = 0x20006000u;      // read buffer (4 KiB)
constexpr uint32_t kFill = 0xA5A5A5A5u;


std::optional<Profile> load(const TempDir& dir, const std::string& toml, std::string& error) {
    return Profile::load(dir.write("profile.toml", toml), error);
}

// tests/https_server.py in its own process (it makes its certificates),
// ended by its pid.
class TestServer {
public:
    TestServer() {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        std::string script = MVEMU_TESTS_DIR "/https_server.py", dir = dir_.path().string();
        const char* argv[] = {"python3", script.c_str(), "--max-seconds", "120", "--serve",
                              dir.c_str(), nullptr};
        REQUIRE(posix_spawnp(&pid_, "python3", &actions, nullptr, const_cast<char**>(argv),
                             environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        FILE* out = fdopen(fds[0], "r");
        char line[64] = {};
        bool got = fgets(line, sizeof line, out) != nullptr;
        fclose(out);
        REQUIRE(got);
        REQUIRE(sscanf(line, "port %d", &port_) == 1);
    }
    ~TestServer() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
    Profile profile() const {
        Profile p;
        p.max_opens_per_second = 0;
        for (const char* name : {"api.example.com", "expired.example.com", "wrongca.example.com"}) {
            p.hosts[name] = {"127.0.0.1", static_cast<uint16_t>(port_)};
        }
        std::ifstream in(dir_.path() / "ca.pem");
        p.ca_pem.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return p;
    }

private:
    TempDir dir_;
    pid_t pid_ = 0;
    int port_ = 0;
};

struct Request {
    std::string method = "GET", url = "https://api.example.com/status/200";
    std::vector<std::string> headers;
    std::string body;
    uint32_t timeout_ms = 10000;
};

struct Data {
    uint32_t result = kFill, status = kFill, headers = kFill, body = kFill;
};

struct HttpRig : ChanRig {
    using ChanRig::ChanRig;

    // Lay out `q` in guest memory at kReq.
    void put(const Request& q) {
        uint32_t at = kText;
        auto text = [&](const std::string& s) {
            uint32_t addr = at;
            host.put_string(addr, s);
            at += uint32_t(s.size() + 3) & ~3u;
            return addr;
        };
        host.write_u32(kReq + Q::method_data, text(q.method));
        host.write_u32(kReq + Q::method_length, uint32_t(q.method.size()));
        host.write_u32(kReq + Q::url_data, text(q.url));
        host.write_u32(kReq + Q::url_length, uint32_t(q.url.size()));
        host.write_u32(kReq + Q::num_headers, uint32_t(q.headers.size()));
        host.write_u32(kReq + Q::headers, kHeaders);
        for (size_t i = 0; i < q.headers.size(); i++) {
            host.write_u32(kHeaders + uint32_t(i) * 8, uint32_t(q.headers[i].size()));
            host.write_u32(kHeaders + uint32_t(i) * 8 + 4, text(q.headers[i]));
        }
        host.write_u32(kReq + Q::body_data, text(q.body));
        host.write_u32(kReq + Q::body_length, uint32_t(q.body.size()));
        host.write_u32(kReq + Q::timeout_ms, q.timeout_ms);
    }
    mvemu::Status send(uint32_t h, const Request& q) {
        put(q);
        return call(slot::mvSendHttpRequest, h, kReq);
    }
    uint32_t open_http(uint32_t i = 0) { return open_ok(i, MV_CHANNELTYPE_HTTP); }
    // A new channel with a GET of `url` on its way.
    uint32_t send_get(const std::string& url) {
        uint32_t h = open_http();
        Request q;
        q.url = url;
        REQUIRE(send(h, q) == MV_STATUS_OKAY);
        return h;
    }
    HttpChannel* http(uint32_t h) { return static_cast<HttpChannel*>(channel(h)); }
    // Wait (bounded) for the response, then read its data.
    mvemu::Status data(uint32_t h, Data& d) {
        host.fill(kResp, D::size, 0xA5);
        mvemu::Status s = call(slot::mvReadHttpResponseData, h, kResp);
        d = {host.read_u32(kResp + D::result), host.read_u32(kResp + D::status_code),
             host.read_u32(kResp + D::num_headers), host.read_u32(kResp + D::body_length)};
        return s;
    }
    Data answer(uint32_t h) {
        REQUIRE(wait_for(*this, [&] {
            run_for(kMs);
            return http(h)->response_present();
        }, std::chrono::seconds(15)));
        Data d;
        REQUIRE(data(h, d) == MV_STATUS_OKAY);
        return d;
    }
    std::string header(uint32_t h, uint32_t i, uint32_t size = 255) {
        host.fill(kBuf, 256, 0);
        REQUIRE(call(slot::mvReadHttpResponseHeader, h, i, kBuf, size) == MV_STATUS_OKAY);
        return std::string(host.read_string(kBuf, size).c_str());
    }
};

}  // namespace

// ---- profile ----------------------------------------------------------------

TEST_CASE("profile: [network.hosts] maps names to hosts and ports", "[http][profile]") {
    TempDir dir;
    std::string error;
    auto p = load(dir,
                  "[network.hosts]\n\"api.example.com\" = \"127.0.0.1:8443\"\n"
                  "\"a.example.com\" = \"localhost\"\n\"v6.example.com\" = \"[::1]:9000\"\n"
                  "\"bare6.example.com\" = \"::1\"\n",
                  error);
    REQUIRE(p.has_value());
    CHECK(p->hosts.at("api.example.com").host == "127.0.0.1");
    CHECK(p->hosts.at("api.example.com").port == 8443);
    CHECK(p->hosts.at("a.example.com").host == "localhost");
    CHECK(p->hosts.at("a.example.com").port == 0);
    CHECK(p->hosts.at("v6.example.com").host == "::1");
    CHECK(p->hosts.at("v6.example.com").port == 9000);
    CHECK(p->hosts.at("bare6.example.com").host == "::1");
    CHECK(p->hosts.at("bare6.example.com").port == 0);
    CHECK(HttpClient::connect_to_entry("api.example.com", "127.0.0.1", 8443) ==
          "api.example.com::127.0.0.1:8443");
    CHECK(HttpClient::connect_to_entry("v6.example.com", "::1", 0) == "v6.example.com::[::1]:");

    for (const char* bad : {"\"x\" = \"127.0.0.1:0\"", "\"x\" = \"127.0.0.1:70000\"",
                            "\"x\" = \"a b\"", "\"x\" = 5", "\"x\" = \"\""}) {
        error.clear();
        CHECK_FALSE(load(dir, std::string("[network.hosts]\n") + bad, error).has_value());
        CHECK(error.find("[network.hosts] \"x\"") != std::string::npos);
    }
    CHECK_FALSE(load(dir, "[network]\nhosts = 3", error).has_value());
    CHECK(error.find("[network.hosts] must be a table") != std::string::npos);
}

TEST_CASE("profile: [tls] ca_files takes PEM and DER files", "[http][profile]") {
    TempDir dir;
    dir.write("a.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    dir.write("b.der", std::string("\x30\x82\x01\x0a\x02\x01", 6));
    dir.write("junk.txt", "hello");
    std::string error;
    auto p = load(dir, "[tls]\nca_files = [\"a.pem\", \"b.der\"]", error);
    REQUIRE(p.has_value());
    REQUIRE(p->ca_pem.size() == 2);
    CHECK(p->ca_pem[0].find("MIIB") != std::string::npos);
    CHECK(p->ca_pem[1] == "-----BEGIN CERTIFICATE-----\nMIIBCgIB\n-----END CERTIFICATE-----\n");
    CHECK_FALSE(load(dir, "[tls]\nca_files = [\"missing.pem\"]", error).has_value());
    CHECK(error.find("[tls] ca_files: cannot read") != std::string::npos);
    CHECK_FALSE(load(dir, "[tls]\nca_files = [\"junk.txt\"]", error).has_value());
    CHECK(error.find("neither a PEM nor a DER") != std::string::npos);
    CHECK_FALSE(load(dir, "[tls]\nca_files = \"a.pem\"", error).has_value());
    CHECK(error.find("[tls] ca_files must be a list") != std::string::npos);
}

// ---- the request's checks ------------------------------------------------------

TEST_CASE("http: what Microvisor's server refuses, in the result", "[http]") {
    HttpRequest r;
    r.method = "GET";
    r.url = "https://api.example.com/x";
    r.timeout_ms = 5000;
    CHECK(HttpChannel::check(r) == MV_HTTPRESULT_OK);
    r.url = "HTTPS://API.example.com/";
    CHECK(HttpChannel::check(r) == MV_HTTPRESULT_OK);
    for (const char* url : {"http://a/", "ftp://a/", "https:/a", "", "https"}) {
        r.url = url;
        CHECK(HttpChannel::check(r) == MV_HTTPRESULT_UNSUPPORTEDURISCHEME);
    }
    r.url = "https://a/";
    for (const char* m : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
        r.method = m;
        CHECK(HttpChannel::check(r) == MV_HTTPRESULT_OK);
    }
    for (const char* m : {"get", "CONNECT", "TRACE", "", "GET "}) {
        r.method = m;
        CHECK(HttpChannel::check(r) == MV_HTTPRESULT_UNSUPPORTEDMETHOD);
    }
    r.method = "GET";
    r.headers = {"Accept: */*", "X-Empty:", "Authorization: Bearer a.b.c"};
    CHECK(HttpChannel::check(r) == MV_HTTPRESULT_OK);
    for (const std::string& bad : std::vector<std::string>{"NoColon", ": value", "Bad Name: x", "X: a\r\nY: b", "X: a\n",
                            std::string("X: a\0b", 6)}) {
        r.headers = {"Good: yes", bad};
        CHECK(HttpChannel::check(r) == MV_HTTPRESULT_INVALIDHEADERS);
    }
    r.headers.clear();
    for (uint32_t t : {0u, 4999u, 10001u, 0xFFFFFFFFu}) {
        r.timeout_ms = t;
        CHECK(HttpChannel::check(r) == MV_HTTPRESULT_INVALIDTIMEOUT);
    }
    r.timeout_ms = 10000;
    CHECK(HttpChannel::check(r) == MV_HTTPRESULT_OK);
    CHECK(HttpChannel::request_size(3, 10, {6, 6}, 5) == 4 + 3 + 4 + 10 + 4 + 5 + 2 * (4 + 6));
}

TEST_CASE("http: mvSendHttpRequest's synchronous refusals", "[http]") {
    HttpRig r;
    uint32_t h = r.open_http();
    uint32_t mqtt = r.open_ok(1, MV_CHANNELTYPE_MQTT);
    Request q;
    r.put(q);
    CHECK(r.call(slot::mvSendHttpRequest, h, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvSendHttpRequest, h, kReq + 2) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvSendHttpRequest, h, 0x30000000u) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvSendHttpRequest, 0, kReq) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvSendHttpRequest, mqtt, kReq) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvSendHttpRequest, r.net, kReq) == MV_STATUS_INVALIDHANDLE);

    q.headers.assign(33, "X: y");
    CHECK(r.send(h, q) == MV_STATUS_TOOMANYELEMENTS);
    q.headers.assign(32, "X: y");
    // 4+3 + 4+34 + 4+0 + 32 * (4+4) = 305 of the 512-byte send buffer: 207 more fit
    q.body.assign(208, 'b');
    CHECK(r.send(h, q) == MV_STATUS_INVALIDBUFFERSIZE);
    // Fits: the refusals above spent nothing.
    Data d;
    CHECK(r.data(h, d) == MV_STATUS_RESPONSENOTPRESENT);
    r.put(q);
    r.host.write_u32(kReq + Q::body_length, 0xFFFFFFF0u);
    CHECK(r.call(slot::mvSendHttpRequest, h, kReq) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_FALSE(r.http(h)->request_sent());

    // Nested pointers: LATEFAULT, and the request is spent.
    struct Spoil {
        uint32_t offset, value;
    };
    for (Spoil s : {Spoil{Q::method_data, 0}, Spoil{Q::url_data, 0x0C000000u},
                    Spoil{Q::headers, 0x30000000u}, Spoil{Q::headers, kHeaders + 2},
                    Spoil{Q::body_data, 0x20080000u - 8}}) {
        uint32_t c = r.open_http(2);
        Request small;
        small.headers = {"X: y"};
        small.body = "0123456789abcdef";
        r.put(small);
        r.host.write_u32(kReq + s.offset, s.value);
        CHECK(r.call(slot::mvSendHttpRequest, c, kReq) == MV_STATUS_LATEFAULT);
        CHECK(r.send(c, small) == MV_STATUS_REQUESTALREADYSENT);
        CHECK(r.close(c) == MV_STATUS_OKAY);
    }
    {
        uint32_t c = r.open_http(2);
        Request small;
        small.headers = {"X: y"};
        r.put(small);
        r.host.write_u32(kHeaders + 4, 0xA0000000u);  // the header's text
        CHECK(r.call(slot::mvSendHttpRequest, c, kReq) == MV_STATUS_LATEFAULT);
        CHECK(r.close(c) == MV_STATUS_OKAY);
    }
    // Zero-length strings are not looked at.
    q = Request{};
    q.url = "http://plain/";
    r.put(q);
    r.host.write_u32(kReq + Q::body_data, 0);
    r.host.write_u32(kReq + Q::headers, 0);
    CHECK(r.call(slot::mvSendHttpRequest, h, kReq) == MV_STATUS_OKAY);
    CHECK(r.send(h, q) == MV_STATUS_REQUESTALREADYSENT);
    // The refused scheme is answered through the channel, at once.
    CHECK(r.data(h, d) == MV_STATUS_RESPONSENOTPRESENT);
    r.run_for(kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);
    REQUIRE(r.data(h, d) == MV_STATUS_OKAY);
    CHECK(d.result == MV_HTTPRESULT_UNSUPPORTEDURISCHEME);
    CHECK(d.status == 0);
    CHECK(d.headers == 0);
    CHECK(d.body == 0);
    CHECK(r.call(slot::mvReadHttpResponseHeader, h, 0, kBuf, 4) == MV_STATUS_REQUESTUNSUCCESSFUL);
    CHECK(r.call(slot::mvReadHttpResponseBody, h, 0, kBuf, 4) == MV_STATUS_REQUESTUNSUCCESSFUL);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "GET http://plain/ refused: UNSUPPORTEDURISCHEME") == 1);
}

TEST_CASE("http: the reads' own checks", "[http]") {
    HttpRig r;
    uint32_t h = r.open_http();
    Data d;
    CHECK(r.call(slot::mvReadHttpResponseData, h, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadHttpResponseData, h, kResp + 2) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadHttpResponseData, h, 0x08000000u) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadHttpResponseData, 0, kResp) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.data(h, d) == MV_STATUS_RESPONSENOTPRESENT);
    CHECK(d.result == kFill);
    CHECK(r.call(slot::mvReadHttpResponseHeader, h, 0, kBuf, 4) == MV_STATUS_RESPONSENOTPRESENT);
    CHECK(r.call(slot::mvReadHttpResponseBody, h, 0, kBuf, 4) == MV_STATUS_RESPONSENOTPRESENT);
    CHECK(r.call(slot::mvReadHttpResponseBody, h, 0, 0x08000000u, 4) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadHttpResponseHeader, h, 0, 0x20080000u - 2, 4) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadHttpResponseBody, 0, 0, kBuf, 4) == MV_STATUS_INVALIDHANDLE);
    // Lost before any answer: CHANNELCLOSED from then on.
    REQUIRE(r.release(r.net) == MV_STATUS_OKAY);
    CHECK(r.data(h, d) == MV_STATUS_CHANNELCLOSED);
    CHECK(r.call(slot::mvReadHttpResponseBody, h, 0, kBuf, 4) == MV_STATUS_CHANNELCLOSED);
    CHECK(r.send(h, Request{}) == MV_STATUS_CHANNELCLOSED);
}

TEST_CASE("http: a refused connection is REQUESTFAILED", "[http][tcp]") {
    Profile p;
    p.hosts["api.example.com"] = {"127.0.0.1", 1};
    HttpRig r(p);
    uint32_t h = r.open_http();
    CHECK(r.send(h, Request{}) == MV_STATUS_OKAY);
    Data d = r.answer(h);
    CHECK(d.result == MV_HTTPRESULT_REQUESTFAILED);
    CHECK(d.status == 0);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "failed: connect: refused") == 1);
}

TEST_CASE("http: dns = hosts-only fails an unlisted name without a lookup", "[http][tcp]") {
    Profile p;
    p.dns_hosts_only = true;
    p.hosts["api.example.com"] = {"127.0.0.1", 1};
    HttpRig r(p);
    uint32_t h = r.open_http();
    Request request;
    SECTION("an unlisted name: DNS failure") {
        request.url = "https://www.example.org/";
        CHECK(r.send(h, request) == MV_STATUS_OKAY);
        CHECK(r.answer(h).result == MV_HTTPRESULT_REQUESTFAILED);
        CHECK(r.host.count_logs(mvemu::LogLevel::warn, "DNS: the host name does not resolve") == 1);
        CHECK(r.host.count_logs(mvemu::LogLevel::warn, "hosts-only") == 1);
    }
    SECTION("a listed name (without case) goes where the map says") {
        request.url = "https://API.example.com/status/200";
        CHECK(r.send(h, request) == MV_STATUS_OKAY);
        CHECK(r.answer(h).result == MV_HTTPRESULT_REQUESTFAILED);
        CHECK(r.host.count_logs(mvemu::LogLevel::warn, "failed: connect: refused") == 1);
    }
}

// ---- against a real HTTPS server -------------------------------------------------

TEST_CASE("http: responses from an HTTPS server", "[http][tcp]") {
    TestServer server;
    HttpRig r(server.profile());

    SECTION("status, headers, a body read at offsets") {
        uint32_t h = r.open_http();
        Request q;
        q.url = "https://api.example.com/headers/5";
        CHECK(r.send(h, q) == MV_STATUS_OKAY);
        Data d = r.answer(h);
        CHECK(d.result == MV_HTTPRESULT_OK);
        CHECK(d.status == 200);
        CHECK(d.headers == 8);  // Server, Date, X-Mvemu-0..4, Content-Length
        CHECK(d.body == 2);
        CHECK(r.header(h, 0) == "Server: mvemu-test");
        CHECK(r.header(h, 2) == "X-Mvemu-0: value-0");
        CHECK(r.header(h, 6, 6) == "X-Mvem");
        CHECK(r.header(h, 7) == "Content-Length: 2");
        CHECK(r.call(slot::mvReadHttpResponseHeader, h, 8, kBuf, 4) == MV_STATUS_INDEXINVALID);
        r.host.fill(kBuf, 8, 'z');
        CHECK(r.call(slot::mvReadHttpResponseBody, h, 1, kBuf, 8) == MV_STATUS_OKAY);
        CHECK(r.host.read_string(kBuf, 3) == "kzz");
        CHECK(r.call(slot::mvReadHttpResponseBody, h, 2, kBuf, 8) == MV_STATUS_OKAY);
        CHECK(r.call(slot::mvReadHttpResponseBody, h, 3, kBuf, 8) == MV_STATUS_OFFSETINVALID);
        CHECK(r.monitor("query-network")["channels"][0]["type"] == "http");
    }
    SECTION("POST with a body and headers") {
        uint32_t h = r.open_http();
        Request q;
        q.method = "POST";
        q.url = "https://api.example.com/echo";
        q.headers = {"X-Custom: unit", "Content-Type: application/json"};
        q.body = "{\"a\":1}";
        CHECK(r.send(h, q) == MV_STATUS_OKAY);
        Data d = r.answer(h);
        CHECK(d.status == 200);
        CHECK(d.body == 7);
        CHECK(r.call(slot::mvReadHttpResponseBody, h, 0, kBuf, 7) == MV_STATUS_OKAY);
        CHECK(r.host.read_string(kBuf, 7) == "{\"a\":1}");
        bool custom = false;
        for (uint32_t i = 0; i < d.headers; i++) custom |= r.header(h, i) == "X-Echo-Custom: unit";
        CHECK(custom);
    }
    SECTION("a body larger than the receive buffer") {
        uint32_t h = r.open_http();  // 1 KiB receive buffer
        Request q;
        q.url = "https://api.example.com/bytes/1000";
        CHECK(r.send(h, q) == MV_STATUS_OKAY);
        Data d = r.answer(h);
        CHECK(d.result == MV_HTTPRESULT_RESPONSETOOLARGE);
        CHECK(d.status == 200);
        CHECK(d.headers == 0);
        CHECK(d.body == 0);
        CHECK(r.call(slot::mvReadHttpResponseBody, h, 0, kBuf, 4) == MV_STATUS_REQUESTUNSUCCESSFUL);
    }
    SECTION("failures") {
        for (const char* url : {"https://expired.example.com/", "https://wrongca.example.com/",
                                "https://api.example.com/reset"}) {
            uint32_t h = r.open_http();
            Request q;
            q.url = url;
            CHECK(r.send(h, q) == MV_STATUS_OKAY);
            Data d = r.answer(h);
            CHECK(d.result == MV_HTTPRESULT_REQUESTFAILED);
            CHECK(r.close(h) == MV_STATUS_OKAY);
        }
        CHECK(r.host.count_logs(mvemu::LogLevel::warn, "failed: TLS") == 2);
        CHECK(r.host.count_logs(mvemu::LogLevel::warn, "failed: connection: reset") == 1);
    }
    SECTION("the connection lost while the request is on its way") {
        uint32_t h = r.send_get("https://api.example.com/slow/500");
        REQUIRE(r.release(r.net) == MV_STATUS_OKAY);
        r.run_for(kMs);
        CHECK(r.channel_records(MV_EVENTTYPE_CHANNELNOTCONNECTED) == 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(800));
        r.backend.main_loop_poll();
        r.run_for(kMs);
        CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 0);
        Data d;
        CHECK(r.data(h, d) == MV_STATUS_CHANNELCLOSED);
    }
    SECTION("closing a channel with a request on its way") {
        uint32_t h = r.send_get("https://api.example.com/slow/300");
        CHECK(r.close(h) == MV_STATUS_OKAY);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        r.backend.main_loop_poll();
        CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 0);
    }
}
