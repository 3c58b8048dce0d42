// Channels (docs/network.md "Channels"): the ByteRing under every channel,
// mvOpenChannel's checks in their documented order (slot 24), closing (31),
// closure reasons (9), loss of connectivity, the byte-stream calls (22, 14,
// 6, 1) on typed channels, and opaque-bytes channels against a real TCP
// server on 127.0.0.1 driven through the backend's MainQueue.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "net/byte_ring.h"
#include "net/opaque_bytes_channel.h"
#include "net/poll_handoff.h"
#include "event_loop.h"
#include "chan_rig.h"

using namespace chanrig;
using mvemu::ByteRing;
using mvemu::GuestMemory;
using mvemu::Profile;
using nlohmann::json;

namespace {

int count_fds() {
    int n = 0;
    if (DIR* d = opendir("/proc/self/fd")) {
        while (readdir(d)) n++;
        closedir(d);
    }
    return n - 3;  // ".", ".." and the directory's own descriptor
}

// ---- a TCP server on 127.0.0.1 at a kernel-chosen port -----------------------

class TestServer {
public:
    enum class Mode {
        echo,        // send back what arrives; close when the peer closes
        close,       // orderly close right after accepting
        reset,       // close with a reset right after accepting
        greet_close,     // send the greeting, then close
        echo_until_quit  // echo, and close once "quit" arrives
    };

    explicit TestServer(Mode mode = Mode::echo, std::string greeting = "")
        : mode_(mode), greeting_(std::move(greeting)) {
        listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (listen_ < 0 || ::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(listen_, 64) != 0 ||
            ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
            ::pipe2(wake_, O_CLOEXEC) != 0) {
            throw std::runtime_error("TestServer: cannot listen");
        }
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~TestServer() {
        (void)!::write(wake_[1], "x", 1);
        thread_.join();
        ::close(listen_);
        ::close(wake_[0]);
        ::close(wake_[1]);
    }

    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    int accepted() const { return accepted_; }
    int ended() const { return ended_; }  // connections the server has closed
    size_t echoed() const { return echoed_; }

private:
    void run() {
        std::vector<int> clients;
        for (;;) {
            std::vector<pollfd> fds{{wake_[0], POLLIN, 0}, {listen_, POLLIN, 0}};
            for (int c : clients) fds.push_back({c, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), -1) < 0) continue;
            if (fds[0].revents) break;
            if (fds[1].revents & POLLIN) {
                int c = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
                if (c >= 0) {
                    accepted_++;
                    if (!greet(c)) {
                        ended_++;
                    } else {
                        clients.push_back(c);
                    }
                }
            }
            for (size_t i = 2; i < fds.size(); i++) {
                if (!fds[i].revents) continue;
                char buf[16384];
                ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
                bool quit = mode_ == Mode::echo_until_quit && n > 0 &&
                            std::string_view(buf, size_t(n)).find("quit") != std::string_view::npos;
                if (n > 0 && !quit && send_all(fds[i].fd, buf, size_t(n))) {
                    echoed_ += size_t(n);
                    continue;
                }
                ::close(fds[i].fd);
                clients.erase(std::find(clients.begin(), clients.end(), fds[i].fd));
                ended_++;
            }
        }
        for (int c : clients) ::close(c);
    }
    // Returns false when the connection is already closed.
    bool greet(int c) {
        if (!greeting_.empty()) send_all(c, greeting_.data(), greeting_.size());
        if (mode_ == Mode::reset) {
            linger l{1, 0};
            ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        if (mode_ == Mode::echo || mode_ == Mode::echo_until_quit) return true;
        ::close(c);
        return false;
    }
    static bool send_all(int fd, const char* p, size_t n) {
        while (n > 0) {
            ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
            if (k <= 0) return false;
            p += k;
            n -= size_t(k);
        }
        return true;
    }

    Mode mode_;
    std::string greeting_;
    int listen_ = -1, wake_[2] = {-1, -1};
    uint16_t port_ = 0;
    std::thread thread_;
    std::atomic<int> accepted_{0}, ended_{0};
    std::atomic<size_t> echoed_{0};
};

// A port nobody listens on.
std::string refused_address() { return "127.0.0.1:" + std::to_string(free_loopback_port()); }

Profile with_endpoint(const std::string& address, uint32_t max_opens = 8) {
    Profile p;
    p.opaque_endpoints["echo"] = address;
    p.max_opens_per_second = max_opens;
    return p;
}

std::string pattern(size_t n, char seed) {
    std::string s(n, '\0');
    for (size_t i = 0; i < n; i++) s[i] = char(seed + i % 23);
    return s;
}

}  // namespace

// ---- ByteRing --------------------------------------------------------------------

TEST_CASE("ByteRing: put, peek and consume without a wrap", "[channels][ring]") {
    FakeHost host;
    GuestMemory memory(host);
    ByteRing ring(0x20004000u, 512);
    CHECK(ring.used() == 0);
    CHECK(ring.free() == 512);
    CHECK(ring.contiguous() == 0);
    CHECK(ring.read_address() == 0x20004000u);

    std::string a = pattern(300, 'a');
    REQUIRE(ring.put(memory, reinterpret_cast<const uint8_t*>(a.data()), 300));
    CHECK(ring.used() == 300);
    CHECK(ring.free() == 212);
    CHECK(ring.contiguous() == 300);
    CHECK(host.read_string(0x20004000u, 300) == a);
    auto peek = ring.peek(memory, 0, 1000);  // clipped to what is there
    CHECK(std::string(peek.begin(), peek.end()) == a);
    peek = ring.peek(memory, 100, 50);
    CHECK(std::string(peek.begin(), peek.end()) == a.substr(100, 50));
    CHECK(ring.peek(memory, 300, 10).empty());  // skip past the end
    CHECK(ring.used() == 300);                   // peeking consumes nothing

    ring.consume(200);
    CHECK(ring.used() == 100);
    CHECK(ring.read_address() == 0x20004000u + 200);
    CHECK(ring.contiguous() == 100);
}

TEST_CASE("ByteRing: writes and reads wrap at the end", "[channels][ring]") {
    FakeHost host;
    GuestMemory memory(host);
    host.fill(0x20004000u, 0x400, 0xEE);
    ByteRing ring(0x20004000u, 512);
    std::string a = pattern(300, 'a'), b = pattern(400, 'A');
    REQUIRE(ring.put(memory, reinterpret_cast<const uint8_t*>(a.data()), 300));
    ring.consume(200);  // head at 200, 100 unread
    REQUIRE(ring.put(memory, reinterpret_cast<const uint8_t*>(b.data()), 400));
    CHECK(ring.used() == 500);
    CHECK(ring.free() == 12);
    // b's first 212 bytes fill 300..511, the other 188 go to 0..187.
    CHECK(host.read_string(0x20004000u + 300, 212) == b.substr(0, 212));
    CHECK(host.read_string(0x20004000u, 188) == b.substr(212));
    CHECK(host.read_string(0x20004000u + 188, 112) == a.substr(188, 112));  // not past the tail
    CHECK(host.read_u8(0x20004000u + 512) == 0xEE);  // nor past the ring
    // Contiguous stops at the end of the ring; the rest comes after the wrap.
    CHECK(ring.read_address() == 0x20004000u + 200);
    CHECK(ring.contiguous() == 312);
    auto all = ring.peek(memory, 0, 500);
    CHECK(std::string(all.begin(), all.end()) == a.substr(200) + b);
    // A peek that starts before the wrap and ends after it.
    auto mid = ring.peek(memory, 250, 100);
    CHECK(std::string(mid.begin(), mid.end()) == (a.substr(200) + b).substr(250, 100));
    // A peek that starts after the wrap.
    auto late = ring.peek(memory, 400, 50);
    CHECK(std::string(late.begin(), late.end()) == (a.substr(200) + b).substr(400, 50));

    ring.consume(312);  // up to the end: the head wraps to 0
    CHECK(ring.read_address() == 0x20004000u);
    CHECK(ring.contiguous() == 188);
    ring.consume(1000);  // more than there is: all of it
    CHECK(ring.used() == 0);
    CHECK(ring.free() == 512);
    CHECK(ring.read_address() == 0x20004000u + 188);
}

TEST_CASE("ByteRing: a put that does not fit takes nothing; full is full", "[channels][ring]") {
    FakeHost host;
    GuestMemory memory(host);
    ByteRing ring(0x20004000u, 512);
    std::string a = pattern(512, 'x');
    CHECK_FALSE(ring.put(memory, reinterpret_cast<const uint8_t*>(a.data()), 513));
    CHECK(ring.used() == 0);
    REQUIRE(ring.put(memory, reinterpret_cast<const uint8_t*>(a.data()), 512));
    CHECK(ring.free() == 0);
    CHECK(ring.contiguous() == 512);
    CHECK_FALSE(ring.put(memory, reinterpret_cast<const uint8_t*>(a.data()), 1));
    CHECK(ring.put(memory, reinterpret_cast<const uint8_t*>(a.data()), 0));  // nothing: fine
    ring.consume(512);
    CHECK(ring.read_address() == 0x20004000u);  // wrapped exactly onto the base
    CHECK(ring.used() == 0);
}

TEST_CASE("ByteRing: a ring outside application RAM refuses the put", "[channels][ring]") {
    FakeHost host;
    GuestMemory memory(host);
    ByteRing ring(kFlashBase + 0x1000, 512);
    const uint8_t b[4] = {1, 2, 3, 4};
    CHECK_FALSE(ring.put(memory, b, 4));
    CHECK(ring.used() == 0);
}

TEST_CASE("ByteRing: overlaps", "[channels][ring]") {
    ByteRing ring(0x20004000u, 512);
    CHECK(ring.overlaps(0x20004000u, 512));
    CHECK(ring.overlaps(0x20004100u, 16));           // inside
    CHECK(ring.overlaps(0x20003000u, 0x2000));       // encloses
    CHECK(ring.overlaps(0x20003E00u, 0x201));        // last byte of the other is our first
    CHECK(ring.overlaps(0x200041FFu, 1));            // our last byte
    CHECK_FALSE(ring.overlaps(0x20004200u, 512));    // adjacent after
    CHECK_FALSE(ring.overlaps(0x20003E00u, 0x200));  // adjacent before
    // No 32-bit wrap-around at the top of the address space.
    ByteRing top(0xFFFFFE00u, 512);
    CHECK(top.overlaps(0xFFFFFFFFu, 1));
    CHECK_FALSE(top.overlaps(0, 0x100));
    CHECK_FALSE(ring.overlaps(0xFFFFFF00u, 0x100));
}

// ---- mvOpenChannel: the checks in order ------------------------------------------

TEST_CASE("open: a typed channel with valid parameters", "[channels]") {
    ChanRig r;
    uint32_t h = r.open_ok();
    CHECK(h != r.c.handle);
    CHECK(h != r.net);
    CHECK(r.closure(h) == MV_CLOSUREREASON_NONE);
    CHECK(r.backend.channels().all().size() == 1);
    // A dummy endpoint pointer with length 0 is never read.
    auto o = r.params(1, MV_CHANNELTYPE_HTTP);
    o.endpoint = 0;
    CHECK(r.open(o) == MV_STATUS_OKAY);
    o = r.params(2, MV_CHANNELTYPE_CONFIGFETCH);
    o.endpoint = 0x30000000u;
    CHECK(r.open(o) == MV_STATUS_OKAY);
    r.run_for(10 * kMs);
    CHECK(r.new_records().empty());  // opening posts nothing
}

TEST_CASE("open: the params struct and the handle output (PARAMETERFAULT first)",
          "[channels]") {
    ChanRig r;
    auto o = r.params();
    o.version = 2;  // every later check would fail too
    o.center = 0;
    o.rx_len = 3;
    o.type = 9;
    r.open(o);  // write the struct
    CHECK(r.call(slot::mvOpenChannel, 0, kChanOut) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvOpenChannel, kParams + 2, kChanOut) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvOpenChannel, kRamEnd - 40, kChanOut) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvOpenChannel, 0x30000300u, kChanOut) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.open(o, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.open(o, kChanOut + 2) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.open(o, kFlashBase + 0x100) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.open(o) == MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    CHECK(r.host.read_u32(kChanOut) == 0xEEEEEEEEu);  // untouched by a refusal
}

TEST_CASE("open: version, then buffers in application RAM, then the endpoint", "[channels]") {
    ChanRig r;
    auto bad_after = [&](OpenParams o) {  // spoil every check after the buffers
        o.center = 0;
        o.network = 0;
        o.type = 9;
        o.rx_len = 100;
        return o;
    };
    auto o = bad_after(r.params());
    o.version = 0;
    o.rx = kFlashBase;
    CHECK(r.open(o) == MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);

    SECTION("receive buffer in flash") {
        o = bad_after(r.params());
        o.rx = kFlashBase + 0x1000;
        o.endpoint_len = 1000;
        CHECK(r.open(o) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("send buffer beyond the application's SRAM") {
        o = bad_after(r.params());
        o.tx = 0x20080000u;
        o.tx_len = 512;
        CHECK(r.open(o) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("a buffer straddling the end of RAM") {
        o = bad_after(r.params());
        o.rx = kRamEnd - 512;
        o.rx_len = 1024;
        CHECK(r.open(o) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("secure alias") {
        o = bad_after(r.params());
        o.tx = 0x30008800u;
        o.tx_len = 512;
        CHECK(r.open(o) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("endpoint longer than 256 bytes") {
        o = bad_after(r.params());
        o.rx_len = kRxLen;
        o.endpoint_len = 257;
        CHECK(r.open(o) == MV_STATUS_UNKNOWNCHANNELENDPOINT);
    }
    SECTION("endpoint not readable") {
        o = bad_after(r.params());
        o.rx_len = kRxLen;
        o.endpoint = 0x30000000u;
        o.endpoint_len = 4;
        CHECK(r.open(o) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("an endpoint of 256 bytes in flash is read, then judged later") {
        o = bad_after(r.params());
        o.rx_len = kRxLen;
        o.endpoint = kFlashBase;
        o.endpoint_len = 256;
        CHECK(r.open(o) == MV_STATUS_INVALIDHANDLE);
    }
    CHECK(r.backend.channels().all().size() == 0);
}

TEST_CASE("open: handles, then type, then endpoint, then sizes, then alignment",
          "[channels]") {
    ChanRig r;
    OpenParams o;
    auto spoil_after_handles = [&](OpenParams p) {
        p.type = 4;
        p.endpoint_len = 3;
        p.rx_len = 0;
        p.tx = tx_of(0) + 4;
        return p;
    };
    o = spoil_after_handles(r.params());
    o.center = 0;
    CHECK(r.open(o) == MV_STATUS_INVALIDHANDLE);
    o.center = r.net;  // a live handle of another kind
    CHECK(r.open(o) == MV_STATUS_INVALIDHANDLE);
    o = spoil_after_handles(r.params());
    o.network = r.c.handle;
    CHECK(r.open(o) == MV_STATUS_INVALIDHANDLE);
    o.network = 0;
    CHECK(r.open(o) == MV_STATUS_INVALIDHANDLE);

    o = spoil_after_handles(r.params());
    CHECK(r.open(o) == MV_STATUS_UNKNOWNCHANNELTYPE);
    o.type = 0xFFFFFFFFu;
    CHECK(r.open(o) == MV_STATUS_UNKNOWNCHANNELTYPE);

    // Typed channels take no endpoint.
    o.type = MV_CHANNELTYPE_HTTP;
    r.host.put_string(kEndpoint, "abc");
    CHECK(r.open(o) == MV_STATUS_UNKNOWNCHANNELENDPOINT);

    o.endpoint_len = 0;
    CHECK(r.open(o) == MV_STATUS_INVALIDBUFFERSIZE);  // receive size 0
    for (uint32_t size : {0u, 100u, 511u, 513u, 1000u}) {
        INFO("send size " << size);
        auto s = r.params();
        s.tx_len = size;
        s.tx = tx_of(0) + 4;
        CHECK(r.open(s) == MV_STATUS_INVALIDBUFFERSIZE);
    }
    auto a = r.params();
    a.tx = tx_of(0) + 4;
    CHECK(r.open(a) == MV_STATUS_INVALIDBUFFERALIGNMENT);
    a = r.params();
    a.rx = rx_of(0) + 0x100;  // 256-aligned is not enough
    CHECK(r.open(a) == MV_STATUS_INVALIDBUFFERALIGNMENT);
    CHECK(r.backend.channels().all().size() == 0);
}

TEST_CASE("open: opaque bytes takes only a name from the profile", "[channels]") {
    SECTION("no endpoints by default: refused like on a device") {
        ChanRig r;
        CHECK(r.open(r.params(0, MV_CHANNELTYPE_OPAQUEBYTES)) ==
              MV_STATUS_UNKNOWNCHANNELENDPOINT);
    }
    SECTION("names must match exactly") {
        ChanRig r(with_endpoint(refused_address()));
        auto o = r.params(0, MV_CHANNELTYPE_OPAQUEBYTES);
        o.endpoint_len = 0;
        CHECK(r.open(o) == MV_STATUS_UNKNOWNCHANNELENDPOINT);
        o.endpoint_len = 3;  // "ech"
        CHECK(r.open(o) == MV_STATUS_UNKNOWNCHANNELENDPOINT);
        r.host.put_string(kEndpoint, "echo ");
        o.endpoint_len = 5;
        CHECK(r.open(o) == MV_STATUS_UNKNOWNCHANNELENDPOINT);
        // The name is not an address either.
        std::string addr = r.backend.profile().opaque_endpoints.at("echo");
        r.host.put_string(kEndpoint, addr);
        o.endpoint_len = uint32_t(addr.size());
        CHECK(r.open(o) == MV_STATUS_UNKNOWNCHANNELENDPOINT);
        CHECK(r.open(r.params(0, MV_CHANNELTYPE_OPAQUEBYTES)) == MV_STATUS_OKAY);
    }
}

TEST_CASE("open: buffer overlaps, then connectivity, then the channel limit, then the rate",
          "[channels]") {
    ChanRig r;
    // The two buffers of one request overlap.
    auto o = r.params();
    o.tx = o.rx + 512;
    CHECK(r.open(o) == MV_STATUS_PARAMETERFAULT);
    o.tx = o.rx;
    o.tx_len = o.rx_len;
    CHECK(r.open(o) == MV_STATUS_PARAMETERFAULT);

    // A center's ring (kRingA, 256 bytes at 0x20001000).
    o = r.params();
    o.rx = 0x20001000u;
    o.rx_len = 512;
    CHECK(r.open(o) == MV_STATUS_BUFFERALREADYINUSE);

    uint32_t first = r.open_ok(0);
    // Either buffer of an open channel, from either side.
    o = r.params(1);
    o.tx = rx_of(0) + 512;
    CHECK(r.open(o) == MV_STATUS_BUFFERALREADYINUSE);
    o = r.params(1);
    o.rx = tx_of(0);
    o.rx_len = 512;
    CHECK(r.open(o) == MV_STATUS_BUFFERALREADYINUSE);

    // A buffer in use beats a network that is not connected.
    r.backend.network().set_link(false);
    o = r.params(0);
    CHECK(r.open(o) == MV_STATUS_BUFFERALREADYINUSE);
    CHECK(r.open(r.params(1)) == MV_STATUS_NETWORKNOTCONNECTED);
    r.backend.network().set_link(true);
    r.run_for(kBringUp);
    REQUIRE(r.status() == MV_NETWORKSTATUS_CONNECTED);

    // The first channel lost its connection but still holds its buffers.
    CHECK(r.open(r.params(0)) == MV_STATUS_BUFFERALREADYINUSE);
    REQUIRE(r.close(first) == MV_STATUS_OKAY);
    // Closed: its buffers may be lent again (the MQTT demo does this).
    r.open_ok(0);
    r.open_ok(1);
    r.open_ok(2);
    r.open_ok(3);
    CHECK(r.open(r.params(4)) == MV_STATUS_TOOMANYCHANNELS);
    CHECK(r.backend.channels().all().size() == 4);
}

TEST_CASE("open: NETWORKNOTCONNECTED while CONNECTING; a released handle is not live",
          "[channels]") {
    NetRig r;
    auto c = r.center();
    uint32_t net = r.request(c, 1);
    OpenParams o;
    o.center = c.handle;
    o.network = net;
    const uint32_t fields[][2] = {
        {P::version, 1},           {P::notification_handle, c.handle},
        {P::notification_tag, 1},  {P::network_handle, net},
        {P::receive_buffer, o.rx}, {P::receive_buffer_len, o.rx_len},
        {P::send_buffer, o.tx},    {P::send_buffer_len, o.tx_len},
        {P::channel_type, MV_CHANNELTYPE_MQTT}, {P::endpoint_data, 0},
        {P::endpoint_length, 0},
    };
    for (auto& f : fields) r.host.write_u32(kParams + f[0], f[1]);
    CHECK(r.call(slot::mvOpenChannel, kParams, kChanOut) == MV_STATUS_NETWORKNOTCONNECTED);
    r.run_until(kBringUp);
    uint32_t other = r.request(c, 2);
    REQUIRE(r.release(other) == MV_STATUS_OKAY);
    r.host.write_u32(kParams + P::network_handle, other);
    CHECK(r.call(slot::mvOpenChannel, kParams, kChanOut) == MV_STATUS_INVALIDHANDLE);
    r.host.write_u32(kParams + P::network_handle, net);
    CHECK(r.call(slot::mvOpenChannel, kParams, kChanOut) == MV_STATUS_OKAY);
}

TEST_CASE("open: at most 8 opens per second of virtual time, a sliding window", "[channels]") {
    ChanRig r;
    int64_t t0 = r.host.now_ns;
    auto open_close = [&](uint32_t i) {
        auto s = r.open(r.params(i % 4));
        if (s == MV_STATUS_OKAY) REQUIRE(r.close(r.host.read_u32(kChanOut)) == MV_STATUS_OKAY);
        return s;
    };
    for (uint32_t i = 0; i < 4; i++) CHECK(open_close(i) == MV_STATUS_OKAY);
    r.run_until(t0 + 500 * kMs);
    for (uint32_t i = 0; i < 4; i++) CHECK(open_close(i) == MV_STATUS_OKAY);
    CHECK(open_close(0) == MV_STATUS_RATELIMITED);
    r.run_until(t0 + 1000 * kMs - 1);
    CHECK(open_close(0) == MV_STATUS_RATELIMITED);  // refusals do not count...
    r.run_until(t0 + 1000 * kMs);                   // ...so the first four expire now
    for (uint32_t i = 0; i < 4; i++) CHECK(open_close(i) == MV_STATUS_OKAY);
    CHECK(open_close(0) == MV_STATUS_RATELIMITED);
    r.run_until(t0 + 1500 * kMs);
    CHECK(open_close(0) == MV_STATUS_OKAY);
}

TEST_CASE("open: the channel limit is checked before the rate limit", "[channels]") {
    ChanRig r;
    for (uint32_t i = 0; i < 4; i++) REQUIRE(r.close(r.open_ok(i)) == MV_STATUS_OKAY);
    for (uint32_t i = 0; i < 4; i++) r.open_ok(i);
    // Eight opens in this second and four channels open: both limits are hit.
    CHECK(r.open(r.params(4)) == MV_STATUS_TOOMANYCHANNELS);
    REQUIRE(r.close(r.backend.channels().all().begin()->first) == MV_STATUS_OKAY);
    CHECK(r.open(r.params(4)) == MV_STATUS_RATELIMITED);
}

TEST_CASE("open: max_opens_per_second = 0 lifts the rate limit", "[channels]") {
    Profile p;
    p.max_opens_per_second = 0;
    ChanRig r(p);
    for (uint32_t i = 0; i < 1000; i++) {
        REQUIRE(r.open(r.params(i % 2)) == MV_STATUS_OKAY);
        REQUIRE(r.close(r.host.read_u32(kChanOut)) == MV_STATUS_OKAY);
    }
}

// ---- close, closure reason, loss -------------------------------------------------

TEST_CASE("close zeroes the handle; zero, stale and foreign handles are INVALIDHANDLE",
          "[channels]") {
    ChanRig r;
    uint32_t h = r.open_ok();
    CHECK(r.call(slot::mvCloseChannel, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvCloseChannel, kChanOut + 1) == MV_STATUS_PARAMETERFAULT);
    r.host.poke_bytes(kFlashBase + 0x300, &h, 4);
    CHECK(r.call(slot::mvCloseChannel, kFlashBase + 0x300) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.close(r.net) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.close(0) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.backend.channels().all().size() == 1);

    CHECK(r.close(h) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kChanOut) == 0u);
    CHECK(r.close(h) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.host.read_u32(kChanOut) == h);
    CHECK(r.call(slot::mvGetChannelClosureReason, h, kLenOut) == MV_STATUS_INVALIDHANDLE);
    r.run_for(10 * kMs);
    CHECK(r.new_records().empty());  // closing posts nothing
}

TEST_CASE("mvGetChannelClosureReason validation", "[channels]") {
    ChanRig r;
    uint32_t h = r.open_ok();
    CHECK(r.call(slot::mvGetChannelClosureReason, h, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetChannelClosureReason, h, kLenOut + 2) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetChannelClosureReason, 0, kLenOut) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvGetChannelClosureReason, r.net, kLenOut) == MV_STATUS_INVALIDHANDLE);
}

TEST_CASE("link down: every channel gets CHANNELNOTCONNECTED once and stays open",
          "[channels]") {
    ChanRig r;
    auto b = r.center(kIrqB, kRingB);
    auto o0 = r.params(0);
    o0.tag = 0x100;
    uint32_t h0 = r.open_ok(o0);
    auto o1 = r.params(1, MV_CHANNELTYPE_HTTP);
    o1.center = b.handle;
    o1.tag = 0x101;
    uint32_t h1 = r.open_ok(o1);

    r.backend.network().set_link(false);
    r.run_for(kMs);
    CHECK(r.closure(h0) == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK(r.closure(h1) == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    // Each channel's record on its own center and tag; the network's on its own.
    auto a_records = r.new_records();
    CHECK(std::count(a_records.begin(), a_records.end(),
                     Record{MV_EVENTTYPE_CHANNELNOTCONNECTED, 0x100}) == 1);
    CHECK(std::count(a_records.begin(), a_records.end(),
                     Record{MV_EVENTTYPE_NETWORKSTATUSCHANGED, kNetTag}) == 1);
    CHECK(r.records(b) == std::vector<Record>{{MV_EVENTTYPE_CHANNELNOTCONNECTED, 0x101}});

    // Back up: the channels stay disconnected and hear nothing more.
    r.backend.network().set_link(true);
    r.run_for(2 * kBringUp);
    r.backend.network().set_link(false);
    r.run_for(kMs);
    CHECK(r.closure(h0) == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK(r.records(b).size() == 1);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELNOTCONNECTED) == 1);
    CHECK(r.close(h0) == MV_STATUS_OKAY);
    CHECK(r.close(h1) == MV_STATUS_OKAY);
}

TEST_CASE("releasing a network handle disconnects only the channels it hosts", "[channels]") {
    ChanRig r;
    uint32_t other = r.request(r.c, 0x0707);
    uint32_t kept = r.open_ok(0);
    auto o = r.params(1);
    o.network = other;
    o.tag = 0x200;
    uint32_t lost = r.open_ok(o);
    REQUIRE(r.release(other) == MV_STATUS_OKAY);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTED);
    CHECK(r.closure(lost) == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK(r.closure(kept) == MV_CLOSUREREASON_NONE);
    r.run_for(kMs);
    CHECK(r.new_records() == std::vector<Record>{{MV_EVENTTYPE_CHANNELNOTCONNECTED, 0x200}});
    // Releasing the last handle disconnects the rest (unannounced for the network).
    REQUIRE(r.release(r.net) == MV_STATUS_OKAY);
    CHECK(r.closure(kept) == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    r.run_for(kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELNOTCONNECTED) == 2);
    CHECK(r.channel_records(MV_EVENTTYPE_NETWORKSTATUSCHANGED) == 0);
}

TEST_CASE("reset drops every channel", "[channels]") {
    ChanRig r;
    uint32_t h = r.open_ok(0);
    r.backend.reset();
    CHECK(r.backend.channels().all().size() == 0);
    CHECK(r.call(slot::mvGetChannelClosureReason, h, kLenOut) == MV_STATUS_INVALIDHANDLE);
}

TEST_CASE("monitor query-network lists the channels", "[channels][monitor]") {
    ChanRig r;
    uint32_t h0 = r.open_ok(0, MV_CHANNELTYPE_MQTT);
    uint32_t h1 = r.open_ok(1, MV_CHANNELTYPE_CONFIGFETCH);
    r.backend.network().set_link(false);
    json q = r.monitor("query-network");
    REQUIRE(q["channels"].size() == 2);
    for (const auto& ch : q["channels"]) {
        CHECK(ch["network-handle"] == r.net);
        CHECK(ch["connected"] == false);
        CHECK(ch["closure-reason"] == "network-disconnected");
        CHECK(ch["readable-bytes"] == 0);
        CHECK(ch["unsent-bytes"] == 0);
        if (ch["handle"] == h0) {
            CHECK(ch["type"] == "mqtt");
        } else {
            CHECK(ch["handle"] == h1);
            CHECK(ch["type"] == "config-fetch");
        }
    }
}

// ---- byte-stream calls on typed channels -----------------------------------------

TEST_CASE("byte-stream calls on MQTT, HTTP and config channels are UNAVAILABLE", "[channels]") {
    ChanRig r;
    auto type = GENERATE(as<uint32_t>{}, MV_CHANNELTYPE_MQTT, MV_CHANNELTYPE_HTTP,
                         MV_CHANNELTYPE_CONFIGFETCH);
    INFO("type " << type);
    uint32_t h = r.open_ok(0, type);
    auto all_unavailable = [&] {
        uint32_t ptr = 0, len = 0;
        CHECK(r.read(h, ptr, len) == MV_STATUS_UNAVAILABLE);
        CHECK(r.call(slot::mvReadChannelComplete, h, 0) == MV_STATUS_UNAVAILABLE);
        CHECK(r.call(slot::mvReadChannelComplete, h, 10) == MV_STATUS_UNAVAILABLE);
        CHECK(r.write(h, "hello") == MV_STATUS_UNAVAILABLE);
        CHECK(r.write(h, "hello", true) == MV_STATUS_UNAVAILABLE);
        CHECK(r.write(h, "", false) == MV_STATUS_UNAVAILABLE);
    };
    all_unavailable();
    CHECK(r.channel(h)->send_buffer().used() == 0);
    // Bad read outputs are faults first; a bad handle is INVALIDHANDLE.
    CHECK(r.call(slot::mvReadChannel, h, 0, kLenOut) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadChannel, h, kPtrOut, kFlashBase) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadChannel, r.net, kPtrOut, kLenOut) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvReadChannelComplete, 0, 0) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvWriteChannel, 0, kData, 1, kLenOut) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvWriteChannelStream, 0, kData, 1, kLenOut) == MV_STATUS_INVALIDHANDLE);
    // Whatever its state.
    r.backend.network().set_link(false);
    all_unavailable();
    // Said once per call on the console, not once per use.
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "mvReadChannel on an MQTT") == 1);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "mvWriteChannel on an MQTT") == 1);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "mvWriteChannelStream on an MQTT") == 1);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "mvReadChannelComplete on an MQTT") == 1);
}

// ---- PollHandoff: when the loop thread leaves a socket to the application ----

namespace {

// Run `fn` on `loop`'s thread and wait for its result.
template <typename F>
auto on_loop(mvemu::EventLoop& loop, F fn) {
    std::promise<decltype(fn())> done;
    auto result = done.get_future();
    loop.invoke([&] { done.set_value(fn()); });
    return result.get();
}

// Calls polled() back to back, as a spinning firmware's reads do, until told to stop.
struct Poller {
    explicit Poller(mvemu::PollHandoff& h)
        : thread([this, &h] {
              while (!stop) {
                  h.polled();
                  started = true;
              }
          }) {
        while (!started) std::this_thread::yield();
    }
    ~Poller() {
        stop = true;
        thread.join();
    }
    std::atomic<bool> stop{false}, started{false};
    std::thread thread;
};

// polling() on the loop thread, tried for up to 2 s: it needs the poller
// to run while it looks, which a loaded 2-core host does not always allow.
bool seen_polling(mvemu::EventLoop& loop, mvemu::PollHandoff& h) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < deadline) {
        if (on_loop(loop, [&] { return h.polling(); })) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("PollHandoff: a spinning application is polling; one old or lone read is not",
          "[channels][handoff]") {
    mvemu::EventLoop loop;
    mvemu::PollHandoff h(loop);
    CHECK_FALSE(on_loop(loop, [&] { return h.polling(); }));  // never read
    h.polled();  // one read, then nothing: it waits for its notification
    CHECK_FALSE(on_loop(loop, [&] { return h.polling(); }));
    {
        Poller spinning(h);
        CHECK(seen_polling(loop, h));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK_FALSE(on_loop(loop, [&] { return h.polling(); }));  // stopped a while ago
}

TEST_CASE("PollHandoff: the loop thread resumes once the polls stop; cancel forgets it",
          "[channels][handoff]") {
    mvemu::EventLoop loop;
    mvemu::PollHandoff h(loop);
    std::atomic<int> resumed{0};
    auto wait_resumed = [&](int n) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (resumed < n && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
        return resumed == n;
    };
    {
        Poller spinning(h);
        REQUIRE(on_loop(loop, [&] { return h.resume_after_polls([&] { resumed++; }); }));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    CHECK(wait_resumed(1));  // within a few rechecks of the last poll
    CHECK(h.handoffs() == 1);
    // Armed and cancelled in one go on the loop thread, so no recheck can
    // come in between.
    REQUIRE(on_loop(loop, [&] {
        bool armed = h.resume_after_polls([&] { resumed++; });
        h.cancel();
        return armed;
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(resumed == 1);  // a cancelled resume never runs
    CHECK(h.handoffs() == 2);
}

// ---- opaque bytes over TCP --------------------------------------------------------

TEST_CASE("opaque bytes: written bytes come back from an echo server", "[channels][tcp]") {
    TestServer server;
    ChanRig r(with_endpoint(server.address()));
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    CHECK(r.closure(h) == MV_CLOSUREREASON_NONE);
    uint32_t ptr = 0, len = 99;
    CHECK(r.read(h, ptr, len) == MV_STATUS_OKAY);  // nothing yet: OKAY, length 0
    CHECK(len == 0);
    CHECK(ptr == rx_of(0));

    CHECK(r.write(h, "hello, world") == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kLenOut) == kTxLen - 12);  // the free space after the write
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 12; }));
    CHECK(r.read(h, ptr, len) == MV_STATUS_OKAY);
    CHECK(ptr == rx_of(0));
    CHECK(len == 12);
    CHECK(r.host.read_string(ptr, len) == "hello, world");
    CHECK(r.channel(h)->send_buffer().used() == 0);  // the socket took it
    CHECK(r.monitor("query-network")["channels"][0]["readable-bytes"] == 12);
    CHECK(r.call(slot::mvReadChannelComplete, h, 13) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReadChannelComplete, h, 5) == MV_STATUS_OKAY);
    CHECK(r.read(h, ptr, len) == MV_STATUS_OKAY);
    CHECK(ptr == rx_of(0) + 5);
    CHECK(r.host.read_string(ptr, len) == ", world");
    CHECK(r.call(slot::mvReadChannelComplete, h, 7) == MV_STATUS_OKAY);
    r.run_for(kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);

    CHECK(r.close(h) == MV_STATUS_OKAY);
    CHECK(wait_for(r, [&] { return server.ended() == 1; }));  // the socket was closed
    CHECK(server.accepted() == 1);
}

TEST_CASE("opaque bytes: CHANNELDATAREADABLE once until the application reads",
          "[channels][tcp]") {
    TestServer server;
    ChanRig r(with_endpoint(server.address()));
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    REQUIRE(r.write(h, "one") == MV_STATUS_OKAY);
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 3; }));
    REQUIRE(r.write(h, "two") == MV_STATUS_OKAY);
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 6; }));
    r.run_for(kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);  // not told twice
    uint32_t ptr = 0, len = 0;
    REQUIRE(r.read(h, ptr, len) == MV_STATUS_OKAY);  // it looked: tell it again
    CHECK(r.host.read_string(ptr, len) == "onetwo");
    REQUIRE(r.write(h, "three") == MV_STATUS_OKAY);
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 11; }));
    r.run_for(kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 2);
    CHECK(r.new_records() ==
          std::vector<Record>(2, {MV_EVENTTYPE_CHANNELDATAREADABLE, r.params().tag}));
}

TEST_CASE("opaque bytes: both buffers wrap", "[channels][tcp]") {
    TestServer server;
    ChanRig r(with_endpoint(server.address()));
    auto o = r.params(0, MV_CHANNELTYPE_OPAQUEBYTES);
    o.rx_len = 512;
    uint32_t h = r.open_ok(o);
    std::string a = pattern(400, 'a'), b = pattern(300, 'B');
    REQUIRE(r.write(h, a) == MV_STATUS_OKAY);
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 400; }));
    CHECK(r.drain(h) == a);
    REQUIRE(r.write(h, b) == MV_STATUS_OKAY);  // 112 bytes to the end, 188 from the start
    CHECK(r.host.read_string(tx_of(0) + 400, 112) == b.substr(0, 112));
    CHECK(r.host.read_string(tx_of(0), 188) == b.substr(112));
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 300; }));
    uint32_t ptr = 0, len = 0;
    REQUIRE(r.read(h, ptr, len) == MV_STATUS_OKAY);
    CHECK(ptr == rx_of(0) + 400);  // up to the end of the receive buffer...
    CHECK(len == 112);
    CHECK(r.host.read_string(ptr, len) == b.substr(0, 112));
    REQUIRE(r.call(slot::mvReadChannelComplete, h, 112) == MV_STATUS_OKAY);
    REQUIRE(r.read(h, ptr, len) == MV_STATUS_OKAY);
    CHECK(ptr == rx_of(0));  // ...the rest after the wrap
    CHECK(len == 188);
    CHECK(r.host.read_string(ptr, len) == b.substr(112));
}

TEST_CASE("opaque bytes: mvWriteChannel is all or nothing, the stream call takes what fits",
          "[channels][tcp]") {
    TestServer server;
    ChanRig r(with_endpoint(server.address()));
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    // The main loop does not run yet: the channel does not know it is
    // connected, so nothing leaves the send buffer.
    std::string a = pattern(400, 'a'), b = pattern(200, 'b');
    REQUIRE(r.write(h, a) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kLenOut) == 112u);
    r.host.write_u32(kLenOut, 0xEEEEEEEEu);
    CHECK(r.write(h, b) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.host.read_u32(kLenOut) == 112u);  // the free space, still written
    CHECK(r.channel(h)->send_buffer().used() == 400);
    CHECK(r.write(h, "") == MV_STATUS_OKAY);  // length 0: just the free space
    CHECK(r.host.read_u32(kLenOut) == 112u);
    CHECK(r.write(h, b, true) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kLenOut) == 112u);  // written
    CHECK(r.channel(h)->send_buffer().used() == 512);
    CHECK(r.write(h, "x", true) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kLenOut) == 0u);
    CHECK(r.write(h, "x") == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.host.read_u32(kLenOut) == 0u);
    CHECK(r.monitor("query-network")["channels"][0]["unsent-bytes"] == 512);

    // Now the main loop runs: connected, sent, echoed; the refused writes
    // get a CHANNELDATAWRITESPACE once space frees up.
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 512; }));
    CHECK(r.drain(h) == a + b.substr(0, 112));
    CHECK(r.channel(h)->send_buffer().used() == 0);
    r.run_for(kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAWRITESPACE) == 1);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) >= 1);
}

TEST_CASE("opaque bytes: write faults", "[channels][tcp]") {
    TestServer server;
    ChanRig r(with_endpoint(server.address()));
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    CHECK(r.call(slot::mvWriteChannel, h, 0x30000000u, 4, kLenOut) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvWriteChannelStream, h, kRamEnd - 2, 4, kLenOut) ==
          MV_STATUS_PARAMETERFAULT);
    CHECK(r.channel(h)->send_buffer().used() == 0);
    // The data was taken, but the output cannot be written: a late fault.
    CHECK(r.write(h, "abcd", false, kFlashBase) == MV_STATUS_LATEFAULT);
    CHECK(r.write(h, "efgh", true, kLenOut + 1) == MV_STATUS_LATEFAULT);
    CHECK(r.channel(h)->send_buffer().used() == 8);
    // Nothing taken and no place for the answer: a plain fault.
    CHECK(r.write(h, "", true, 0) == MV_STATUS_PARAMETERFAULT);
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 8; }));
    CHECK(r.drain(h) == "abcdefgh");
}

TEST_CASE("opaque bytes: what does not fit waits on the host until it is read",
          "[channels][tcp]") {
    TestServer server;
    ChanRig r(with_endpoint(server.address()));
    auto o = r.params(0, MV_CHANNELTYPE_OPAQUEBYTES);
    o.rx_len = 512;
    uint32_t h = r.open_ok(o);
    std::string sent;
    for (int i = 0; i < 4; i++) {  // 2 KiB through a 512-byte send buffer
        std::string part = pattern(512, char('a' + i));
        REQUIRE(wait_for(r, [&] { return r.channel(h)->send_buffer().free() == 512; }));
        REQUIRE(r.write(h, part) == MV_STATUS_OKAY);
        sent += part;
    }
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 512; }));
    r.run_for(kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == 1);
    std::string got;
    for (int round = 0; round < 8 && got.size() < sent.size(); round++) {
        REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() > 0; }));
        got += r.drain(h);
        r.run_for(kMs);
    }
    CHECK(got == sent);
    // One record per batch the application was told about after reading.
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) >= 2);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) <= 8);
}

// Returns once the channel knows its socket is connected: a first byte
// has been echoed (the connect is reported through the main loop).
void wait_until_echoing(ChanRig& r, uint32_t h) {
    REQUIRE(r.write(h, "x") == MV_STATUS_OKAY);
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 1; }));
    REQUIRE(r.drain(h) == "x");
}

// A test server, a rig whose "echo" endpoint is that server, and an
// opaque-bytes channel to it that is connected and echoing.
struct EchoingChannel {
    explicit EchoingChannel(TestServer::Mode mode = TestServer::Mode::echo)
        : server(mode), r(with_endpoint(server.address())),
          h(r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES)) {
        wait_until_echoing(r, h);
    }
    TestServer server;
    ChanRig r;
    uint32_t h;
};

// Spin on mvReadChannel without running the main loop, as polling firmware
// does, until something is readable or `limit` passes: what it finds came
// from the socket in the call itself, since the loop thread's deliveries
// wait in the main-loop queue.
std::string poll_read(ChanRig& r, uint32_t h,
                      std::chrono::milliseconds limit = std::chrono::milliseconds(500)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    uint32_t ptr = 0, len = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (r.read(h, ptr, len) != MV_STATUS_OKAY) break;
        if (len > 0) {
            std::string got = r.host.read_string(ptr, len);
            REQUIRE(r.call(slot::mvReadChannelComplete, h, len) == MV_STATUS_OKAY);
            return got;
        }
    }
    return "";
}

TEST_CASE("opaque bytes: a polling application takes the socket's bytes in its own call",
          "[channels][tcp]") {
    EchoingChannel echo;
    ChanRig& r = echo.r;
    uint32_t h = echo.h;
    // The loop thread may still win a race now and then (a descheduled
    // test thread): then its delivery is taken from the main loop and the
    // try repeated. Five tries must go through the call; with the call not
    // reading the socket, none would.
    int direct = 0;
    for (int i = 0; i < 200 && direct < 5; i++) {
        std::string msg = "ping " + std::to_string(i);
        poll_read(r, h, std::chrono::milliseconds(1));  // the application is polling
        REQUIRE(r.write(h, msg) == MV_STATUS_OKAY);
        CHECK(r.channel(h)->send_buffer().used() == 0);  // the socket took it in the call
        std::string got = poll_read(r, h);
        if (got.empty()) {
            REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() > 0; }));
            got = r.drain(h);
        } else {
            direct++;
        }
        CHECK(got == msg);
    }
    CHECK(direct == 5);
}

TEST_CASE("opaque bytes: bytes keep their order across the call and the loop thread",
          "[channels][tcp]") {
    EchoingChannel echo;
    ChanRig& r = echo.r;
    uint32_t h = echo.h;
    std::string sent, got;
    // 128 KiB in pieces of up to 512 bytes, read by polling; every 8th
    // piece the application pauses so that the loop thread reads the echo,
    // and it polls on (writing more) before the main loop hands that over.
    for (int i = 0; got.size() < 128 * 1024 && i < 100000; i++) {
        if (sent.size() < 128 * 1024) {
            std::string piece = pattern(size_t(97 + (i * 131) % 416), char('A' + i % 7));
            if (r.write(h, piece, true) == MV_STATUS_OKAY) {
                sent += piece.substr(0, r.host.read_u32(kLenOut));
            }
        }
        if (i % 8 == 7) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        } else if (i % 8 == 3) {
            r.backend.main_loop_poll();
        }
        got += r.drain(h);
    }
    REQUIRE(got.size() == sent.size());
    CHECK(got == sent);
}

TEST_CASE("opaque bytes: once the application stops polling, new data is announced",
          "[channels][tcp]") {
    EchoingChannel echo;
    ChanRig& r = echo.r;
    uint32_t h = echo.h;
    size_t before = r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE);  // the "x"
    for (int i = 0; i < 5; i++) {
        poll_read(r, h, std::chrono::milliseconds(2));
        // Written right after a poll; then the application only waits for
        // its notification, as interrupt-driven firmware does.
        REQUIRE(r.write(h, "late " + std::to_string(i)) == MV_STATUS_OKAY);
        REQUIRE(wait_for(r, [&] { return r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) ==
                                          before + size_t(i) + 1; },
                         std::chrono::seconds(2)));
        CHECK(r.drain(h) == "late " + std::to_string(i));
    }
}

TEST_CASE("opaque bytes: a read well before the request is not polling", "[channels][tcp]") {
    EchoingChannel echo;
    ChanRig& r = echo.r;
    uint32_t h = echo.h;
    auto* channel = static_cast<mvemu::OpaqueBytesChannel*>(r.channel(h));
    size_t before = r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE);
    // Interrupt-driven firmware: it reads until the buffer is empty, does
    // other work, sends a request and waits for the record.
    for (int i = 0; i < 20; i++) {
        uint32_t ptr = 0, len = 99;
        REQUIRE(r.read(h, ptr, len) == MV_STATUS_OKAY);
        REQUIRE(len == 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::string msg = "request " + std::to_string(i);
        REQUIRE(r.write(h, msg) == MV_STATUS_OKAY);
        REQUIRE(wait_for(r, [&] {
            return r.channel_records(MV_EVENTTYPE_CHANNELDATAREADABLE) == before + size_t(i) + 1;
        }));
        CHECK(r.drain(h) == msg);
    }
    // The loop thread never left the socket to it, so no record waited.
    CHECK(channel->read_handoffs() == 0);
}

TEST_CASE("opaque bytes: a server that closes while the application polls ends the channel",
          "[channels][tcp]") {
    EchoingChannel echo(TestServer::Mode::echo_until_quit);
    ChanRig& r = echo.r;
    uint32_t h = echo.h;
    poll_read(r, h, std::chrono::milliseconds(1));  // the application is polling
    REQUIRE(r.write(h, "quit") == MV_STATUS_OKAY);
    // Polls back to back, the main loop run in between: the end of the
    // stream must not wait for the polls to stop.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    uint32_t ptr = 0, len = 0;
    mvemu::Status s = MV_STATUS_OKAY;
    while (s == MV_STATUS_OKAY && std::chrono::steady_clock::now() < deadline) {
        r.backend.main_loop_poll();
        s = r.read(h, ptr, len);
        CHECK(len == 0);
    }
    CHECK(s == MV_STATUS_CHANNELCLOSED);
    CHECK(r.closure(h) == MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
}

TEST_CASE("opaque bytes: the server closing, resetting or refusing ends the channel",
          "[channels][tcp]") {
    struct Case {
        TestServer::Mode mode;
        uint32_t reason;
    };
    auto c = GENERATE(Case{TestServer::Mode::close, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER},
                      Case{TestServer::Mode::reset, MV_CLOSUREREASON_CHANNELRESETBYSERVER});
    TestServer server(c.mode);
    ChanRig r(with_endpoint(server.address()));
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    REQUIRE(wait_for(r, [&] { return !r.channel(h)->connected(); }));
    CHECK(r.closure(h) == c.reason);
    uint32_t ptr = 0, len = 0;
    CHECK(r.read(h, ptr, len) == MV_STATUS_CHANNELCLOSED);
    CHECK(r.write(h, "x") == MV_STATUS_CHANNELCLOSED);
    CHECK(r.write(h, "x", true) == MV_STATUS_CHANNELCLOSED);
    r.run_for(kMs);
    CHECK(r.channel_records(MV_EVENTTYPE_CHANNELNOTCONNECTED) == 1);
    CHECK(r.close(h) == MV_STATUS_OKAY);
}

TEST_CASE("opaque bytes: a refused connection is CONNECTIONTERMINATED", "[channels][tcp]") {
    ChanRig r(with_endpoint(refused_address()));
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    REQUIRE(r.write(h, "lost") == MV_STATUS_OKAY);  // accepted before the failure is known
    REQUIRE(wait_for(r, [&] { return !r.channel(h)->connected(); }));
    CHECK(r.closure(h) == MV_CLOSUREREASON_CONNECTIONTERMINATED);
    r.run_for(kMs);
    CHECK(r.new_records() ==
          std::vector<Record>{{MV_EVENTTYPE_CHANNELNOTCONNECTED, r.params().tag}});
}

TEST_CASE("opaque bytes: data received before the server closed can still be read",
          "[channels][tcp]") {
    TestServer server(TestServer::Mode::greet_close, "last words");
    ChanRig r(with_endpoint(server.address()));
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    REQUIRE(wait_for(r, [&] { return !r.channel(h)->connected(); }));
    CHECK(r.closure(h) == MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    uint32_t ptr = 0, len = 0;
    REQUIRE(r.read(h, ptr, len) == MV_STATUS_OKAY);
    CHECK(r.host.read_string(ptr, len) == "last words");
    CHECK(r.write(h, "x") == MV_STATUS_CHANNELCLOSED);
    REQUIRE(r.call(slot::mvReadChannelComplete, h, len) == MV_STATUS_OKAY);
    CHECK(r.read(h, ptr, len) == MV_STATUS_CHANNELCLOSED);  // all read: closed
}

TEST_CASE("opaque bytes: link loss closes the socket; data already received stays readable",
          "[channels][tcp]") {
    TestServer server;
    ChanRig r(with_endpoint(server.address()));
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    REQUIRE(r.write(h, "before") == MV_STATUS_OKAY);
    REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == 6; }));
    r.backend.network().set_link(false);
    CHECK(r.closure(h) == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK(wait_for(r, [&] { return server.ended() == 1; }));
    CHECK(r.write(h, "after") == MV_STATUS_CHANNELCLOSED);
    CHECK(r.drain(h) == "before");
    uint32_t ptr = 0, len = 0;
    CHECK(r.read(h, ptr, len) == MV_STATUS_CHANNELCLOSED);
    // The link comes back; the channel does not.
    r.backend.network().set_link(true);
    r.run_for(2 * kBringUp);
    CHECK(r.closure(h) == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK(server.accepted() == 1);
}

TEST_CASE("opaque bytes: open/close cycles leave no socket behind", "[channels][tcp]") {
    TestServer server;
    Profile p = with_endpoint(server.address(), 0);
    ChanRig r(p);
    int before = count_fds();
    for (uint32_t i = 0; i < 50; i++) {
        uint32_t h = r.open_ok(i % 2, MV_CHANNELTYPE_OPAQUEBYTES);
        std::string msg = "cycle " + std::to_string(i);
        REQUIRE(r.write(h, msg) == MV_STATUS_OKAY);
        REQUIRE(wait_for(r, [&] { return r.channel(h)->receive_buffer().used() == msg.size(); }));
        CHECK(r.drain(h) == msg);
        REQUIRE(r.close(h) == MV_STATUS_OKAY);
    }
    CHECK(wait_for(r, [&] { return server.ended() == 50 && count_fds() == before; }));
    CHECK(count_fds() == before);
    CHECK(server.echoed() > 0);
}

TEST_CASE("opaque bytes: reset closes the sockets and drops their queued events",
          "[channels][tcp]") {
    TestServer server;
    ChanRig r(with_endpoint(server.address()));
    int before = count_fds();
    uint32_t h = r.open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
    REQUIRE(r.write(h, "ping") == MV_STATUS_OKAY);
    // Let events queue up without running them.
    REQUIRE(wait_for(r, [&] { return server.echoed() == 4; }));
    r.backend.reset();
    CHECK(wait_for(r, [&] { return server.ended() == 1 && count_fds() == before; }));
    CHECK(r.backend.channels().all().size() == 0);
}

TEST_CASE("destroying a backend with an open opaque channel and queued work",
          "[channels][tcp]") {
    TestServer server;
    int before = count_fds();
    for (int round = 0; round < 20; round++) {
        INFO("round " << round);
        auto r = std::make_unique<ChanRig>(with_endpoint(server.address(), 0));
        uint32_t h = r->open_ok(0, MV_CHANNELTYPE_OPAQUEBYTES);
        uint32_t h2 = r->open_ok(1, MV_CHANNELTYPE_OPAQUEBYTES);
        REQUIRE(r->write(h, pattern(300, 'q')) == MV_STATUS_OKAY);
        REQUIRE(r->write(h2, pattern(300, 'r')) == MV_STATUS_OKAY);
        if (round % 2) {
            // Run the main loop for a while, then stop while data flows.
            wait_for(*r, [&] { return r->channel(h)->receive_buffer().used() > 0; });
            REQUIRE(r->write(h, pattern(100, 's')) == MV_STATUS_OKAY);
        }
        // Work waits in the main queue (connected, sent, received) when the
        // backend goes away; the loop thread may still be connecting.
        int woken = r->host.wakes;
        for (int i = 0; i < 100 && r->host.wakes == woken; i++) {
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
        if (round % 3 == 0) r->close(h2);
        r.reset();  // ~Backend
    }
    // Every socket of every backend is closed: the server sees each
    // connection it accepted end, and this process has its descriptors back
    // (the event loops' wakeup descriptors included).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while ((server.ended() != server.accepted() || count_fds() != before) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CHECK(server.ended() == server.accepted());
    CHECK(count_fds() == before);
    INFO("connections accepted: " << server.accepted());
    CHECK(server.accepted() > 0);
}
