// MQTT channels (docs/mqtt.md): the mvMqtt* calls' decoding of guest
// structures and their status paths against the fake machine, and whole
// sessions against a real Mosquitto broker (/usr/sbin/mosquitto) started on
// a free loopback port for the test.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "net_rig.h"

using namespace netrig;
using mvemu::Profile;

namespace {

namespace L = mvemu::layout;

// Guest addresses used by the tests.
constexpr uint32_t kOpenParams = 0x20000300u, kChanOut = 0x20000360u;
constexpr uint32_t kReq = 0x20000400u;       // a request structure
constexpr uint32_t kNested = 0x20000480u;    // a nested structure (will, TLS credentials)
constexpr uint32_t kResp = 0x20000500u;      // a response structure
constexpr uint32_t kOuts = 0x20000540u;      // output words for pointer-style responses
constexpr uint32_t kStrings = 0x20004000u;   // strings, bump-allocated
constexpr uint32_t kRx = 0x20020000u, kRxLen = 1024, kTx = 0x20021000u, kTxLen = 512;
constexpr uint32_t kUnmapped = 0x30000000u;
constexpr uint32_t kTag = 0x4d515454u;

bool port_open(int port) {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(uint16_t(port));
    bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
}

// A Mosquitto broker on 127.0.0.1 for one test; `password` adds a password
// file with user "device" / "secret" and refuses anonymous clients.
class Broker {
public:
    explicit Broker(bool password = false) : port(free_loopback_port()) {
        char dir_template[] = "/tmp/mvemu-mqtt-XXXXXX";
        dir_ = mkdtemp(dir_template);
        std::ofstream conf(dir_ + "/mosquitto.conf");
        // Run as ourselves: mosquitto started by root would switch to its own
        // user, which cannot read files in our private directory.
        conf << "user " << getpwuid(getuid())->pw_name << "\n";
        conf << "listener " << port << " 127.0.0.1\n";
        if (password) {
            std::string pw = dir_ + "/passwd";
            std::ofstream(pw) << "device:secret\n";
            std::system(("mosquitto_passwd -U " + pw + " 2>/dev/null").c_str());
            conf << "allow_anonymous false\npassword_file " << pw << "\n";
        } else {
            conf << "allow_anonymous true\n";
        }
        conf.close();
        pid_ = fork();
        if (pid_ == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execl("/usr/sbin/mosquitto", "mosquitto", "-c", (dir_ + "/mosquitto.conf").c_str(),
                  nullptr);
            _exit(127);
        }
        for (int i = 0; i < 200 && !port_open(port); i++) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(port_open(port));
    }
    ~Broker() { kill(); std::system(("rm -rf " + dir_).c_str()); }
    void kill() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
    }
    // Publish one message from the host with mosquitto_pub.
    void publish(const std::string& topic, const std::string& payload, int qos = 0) {
        std::string cmd = "mosquitto_pub -h 127.0.0.1 -p " + std::to_string(port) + " -q " +
                          std::to_string(qos) + " -t '" + topic + "' -m '" + payload + "'";
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
    const int port;

private:
    std::string dir_;
    pid_t pid_ = -1;
};

Profile plain(int broker_port = 0) {
    Profile p;
    p.mqtt_plain_tcp = true;
    if (broker_port) {
        p.hosts["mqtt.example.com"] = {"127.0.0.1", uint16_t(broker_port)};
    }
    return p;
}

struct Connect {
    uint32_t protocol = MV_MQTTPROTOCOLVERSION_V5;
    std::string host = "127.0.0.1";
    uint32_t port = 1883;
    std::string client_id = "mvemu-unit";
    uint8_t method = MV_MQTTAUTHENTICATIONMETHOD_NONE;
    std::string username, password;
    uint32_t tls = 0;
    uint32_t keepalive = 60;
    uint8_t clean_start = 1;
    uint32_t will = 0;
    // Overrides: a raw data pointer for the host string.
    uint32_t host_data = 0;
};

struct MqttRig : NetRig {
    Center c{};
    uint32_t net = 0, ch = 0;
    uint32_t strings = kStrings;

    explicit MqttRig(Profile p = plain()) : NetRig(std::move(p)) {
        c = center();
        net = request(c, 1);
        run_until(kBringUp);
        REQUIRE(status() == MV_NETWORKSTATUS_CONNECTED);
        ch = open(MV_CHANNELTYPE_MQTT);
    }
    uint32_t open(uint32_t type, uint32_t rx = kRx, uint32_t tx = kTx) {
        namespace P = L::open_channel_params;
        const uint32_t fields[][2] = {
            {P::version, 1},         {P::notification_handle, c.handle},
            {P::notification_tag, kTag}, {P::network_handle, net},
            {P::receive_buffer, rx},  {P::receive_buffer_len, kRxLen},
            {P::send_buffer, tx},     {P::send_buffer_len, kTxLen},
            {P::channel_type, type},  {P::endpoint_data, 0},
            {P::endpoint_length, 0},
        };
        for (auto& f : fields) host.write_u32(kOpenParams + f[0], f[1]);
        REQUIRE(call(slot::mvOpenChannel, kOpenParams, kChanOut) == MV_STATUS_OKAY);
        return host.read_u32(kChanOut);
    }
    // A sized string {data, length} at `at`, its bytes in the string area.
    void sized(uint32_t at, const std::string& s) {
        uint32_t data = strings;
        host.put_string(data, s);
        strings += (uint32_t(s.size()) + 8) & ~3u;
        host.write_u32(at, s.empty() ? 0 : data);
        host.write_u32(at + 4, uint32_t(s.size()));
    }
    void write_connect(const Connect& k) {
        namespace R = L::mqtt_connect_request;
        host.fill(kReq, R::size, 0);
        host.write_u32(kReq + R::protocol_version, k.protocol);
        sized(kReq + R::host, k.host);
        if (k.host_data) host.write_u32(kReq + R::host, k.host_data);
        host.write_u32(kReq + R::port, k.port & 0xFFFF);  // u16, then padding
        sized(kReq + R::clientid, k.client_id);
        host.write_u32(kReq + R::auth_method, k.method);
        sized(kReq + R::username, k.username);
        sized(kReq + R::password, k.password);
        host.write_u32(kReq + R::tls_credentials, k.tls);
        host.write_u32(kReq + R::keepalive, k.keepalive);
        host.write_u32(kReq + R::clean_start, k.clean_start);
        host.write_u32(kReq + R::will, k.will);
    }
    mvemu::Status connect(const Connect& k, uint32_t handle = 0) {
        write_connect(k);
        return call(slot::mvMqttRequestConnect, handle ? handle : ch, kReq);
    }
    void will(const std::string& topic, const std::string& payload, uint32_t qos = 0) {
        namespace W = L::mqtt_will;
        host.fill(kNested, W::size, 0);
        sized(kNested + W::topic, topic);
        sized(kNested + W::payload, payload);
        host.write_u32(kNested + W::qos, qos);
    }
    uint32_t next_type() {
        host.write_u32(kOuts, 0xEEEEEEEEu);
        REQUIRE(call(slot::mvMqttGetNextReadableDataType, ch, kOuts) == MV_STATUS_OKAY);
        return host.read_u32(kOuts);
    }
    // Wait (bounded, wall time) for the next readable item.
    uint32_t wait_item(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        for (;;) {
            backend.main_loop_poll();
            uint32_t t = next_type();
            if (t != MV_MQTTREADABLEDATATYPE_NONE || std::chrono::steady_clock::now() > deadline) {
                return t;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    // {request_state, second word, third word} of a flat response.
    std::array<uint32_t, 3> read_flat(uint32_t slot_number, mvemu::Status expect = MV_STATUS_OKAY) {
        host.fill(kResp, 12, 0xEE);
        REQUIRE(call(slot_number, ch, kResp) == expect);
        return {host.read_u32(kResp), host.read_u32(kResp + 4), host.read_u32(kResp + 8)};
    }
    std::array<uint32_t, 2> connect_response() {
        REQUIRE(wait_item() == MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE);
        auto r = read_flat(slot::mvMqttReadConnectResponse);
        return {r[0], r[1]};
    }
    void connect_ok(Connect k) {
        REQUIRE(connect(k) == MV_STATUS_OKAY);
        auto r = connect_response();
        REQUIRE(r[0] == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
        REQUIRE(r[1] == 0);
    }
    // Pointer-style subscribe/unsubscribe response with room for `capacity` codes.
    struct Codes {
        mvemu::Status status;
        uint32_t state, id, len;
        std::vector<uint32_t> codes;
    };
    Codes read_codes(uint32_t slot_number, uint32_t capacity = 8) {
        namespace A = L::mqtt_ack_response;
        host.fill(kOuts, 64, 0xEE);
        host.write_u32(kResp + A::request_state, kOuts);
        host.write_u32(kResp + A::correlation_id, kOuts + 4);
        host.write_u32(kResp + A::reason_codes, kOuts + 16);
        host.write_u32(kResp + A::reason_codes_size, capacity);
        host.write_u32(kResp + A::reason_codes_len, kOuts + 8);
        Codes c;
        c.status = call(slot_number, ch, kResp);
        c.state = host.read_u32(kOuts);
        c.id = host.read_u32(kOuts + 4);
        c.len = host.read_u32(kOuts + 8);
        for (uint32_t i = 0; i < std::min(c.len, 8u); i++) c.codes.push_back(host.read_u32(kOuts + 16 + 4 * i));
        return c;
    }
    // `options`: {nl, rap, rh} for every topic.
    mvemu::Status subscribe(uint32_t id, const std::vector<std::pair<std::string, uint32_t>>& topics,
                            uint32_t count = ~0u, std::array<uint32_t, 3> options = {0, 0, 0}) {
        namespace S = L::mqtt_subscription;
        uint32_t array = 0x20003000u;
        for (size_t i = 0; i < topics.size(); i++) {
            host.fill(array + uint32_t(i) * S::size, S::size, 0);
            sized(array + uint32_t(i) * S::size + S::topic, topics[i].first);
            host.write_u32(array + uint32_t(i) * S::size + S::desired_qos, topics[i].second);
            host.write_u32(array + uint32_t(i) * S::size + S::nl, options[0]);
            host.write_u32(array + uint32_t(i) * S::size + S::rap, options[1]);
            host.write_u32(array + uint32_t(i) * S::size + S::rh, options[2]);
        }
        host.write_u32(kReq + 0, id);
        host.write_u32(kReq + 4, array);
        host.write_u32(kReq + 8, count == ~0u ? uint32_t(topics.size()) : count);
        return call(slot::mvMqttRequestSubscribe, ch, kReq);
    }
    mvemu::Status publish(uint32_t id, const std::string& topic, const std::string& payload,
                          uint32_t qos, uint32_t retain = 0) {
        namespace P = L::mqtt_publish_request;
        host.write_u32(kReq + P::correlation_id, id);
        sized(kReq + P::topic, topic);
        sized(kReq + P::payload, payload);
        host.write_u32(kReq + P::desired_qos, qos);
        host.write_u32(kReq + P::retain, retain);
        return call(slot::mvMqttRequestPublish, ch, kReq);
    }
    struct Message {
        mvemu::Status status;
        uint32_t id, topic_len, payload_len, qos;
        uint8_t retain;
        std::string topic, payload;
    };
    Message receive(uint32_t topic_cap = 64, uint32_t payload_cap = 256) {
        namespace M = L::mqtt_message;
        constexpr uint32_t topic_buf = 0x20005000u, payload_buf = 0x20005100u;
        host.fill(kOuts, 32, 0xEE);
        host.write_u32(kResp + M::correlation_id, kOuts);
        host.write_u32(kResp + M::topic + 0, topic_buf);
        host.write_u32(kResp + M::topic + 4, topic_cap);
        host.write_u32(kResp + M::topic + 8, kOuts + 4);
        host.write_u32(kResp + M::payload + 0, payload_buf);
        host.write_u32(kResp + M::payload + 4, payload_cap);
        host.write_u32(kResp + M::payload + 8, kOuts + 8);
        host.write_u32(kResp + M::qos, kOuts + 12);
        host.write_u32(kResp + M::retain, kOuts + 16);
        Message m;
        m.status = call(slot::mvMqttReceiveMessage, ch, kResp);
        m.id = host.read_u32(kOuts);
        m.topic_len = host.read_u32(kOuts + 4);
        m.payload_len = host.read_u32(kOuts + 8);
        m.qos = host.read_u32(kOuts + 12);
        m.retain = uint8_t(host.read_u32(kOuts + 16));
        if (m.status == MV_STATUS_OKAY) {
            m.topic = host.read_string(topic_buf, m.topic_len);
            m.payload = host.read_string(payload_buf, m.payload_len);
        }
        return m;
    }
    size_t readable_records() {
        size_t n = 0;
        for (auto& rec : records(c)) n += rec.first == MV_EVENTTYPE_CHANNELDATAREADABLE && rec.second == kTag;
        return n;
    }
    size_t notconnected_records() {
        size_t n = 0;
        for (auto& rec : records(c)) n += rec.first == MV_EVENTTYPE_CHANNELNOTCONNECTED && rec.second == kTag;
        return n;
    }
    // Let the notification centers deliver (virtual time).
    void settle() { run_for(10 * kMs); }
};

}  // namespace

// ---- synchronous status paths (no broker) ------------------------------------------

TEST_CASE("mqtt connect: handle, structure and element checks", "[mqtt]") {
    MqttRig r;
    Connect k;
    CHECK(r.connect(k, 0x12345678u) == MV_STATUS_INVALIDHANDLE);
    uint32_t http = r.open(MV_CHANNELTYPE_HTTP, 0x20022000u, 0x20023000u);
    CHECK(r.connect(k, http) == MV_STATUS_INVALIDHANDLE);  // not an MQTT channel
    CHECK(r.call(slot::mvMqttRequestConnect, r.ch, kUnmapped) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvMqttRequestConnect, r.ch, kReq + 2) == MV_STATUS_PARAMETERFAULT);

    SECTION("required elements") {
        Connect missing = k;
        SECTION("host") { missing.host = ""; }
        SECTION("client id") { missing.client_id = ""; }
        SECTION("will payload") {
            r.will("dev/will", "");
            missing.will = kNested;
        }
        SECTION("will topic") {
            r.will("", "gone");
            missing.will = kNested;
        }
        CHECK(r.connect(missing) == MV_STATUS_REQUIREDELEMENTMISSING);
        // Refused synchronously: the connect is not spent, and nothing is queued.
        CHECK(r.next_type() == MV_MQTTREADABLEDATATYPE_NONE);
    }
    SECTION("authentication") {
        Connect bad = k;
        bad.method = 2;
        CHECK(r.connect(bad) == MV_STATUS_INVALIDAUTHENTICATION);
        // Username/password and a client certificate at once.
        namespace T = L::tls_credentials;
        r.host.fill(kNested, T::size, 0);
        r.host.write_u32(kNested + T::client_num, 1);
        r.host.write_u32(kNested + T::client_certs, 0x20003800u);
        r.sized(0x20003800u, "DER");
        r.sized(kNested + T::client_key, "KEY");
        bad.method = MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD;
        bad.username = "u";
        bad.password = "p";
        bad.tls = kNested;
        CHECK(r.connect(bad) == MV_STATUS_INVALIDAUTHENTICATION);
        // Nine CA certificates.
        bad.method = MV_MQTTAUTHENTICATIONMETHOD_NONE;
        r.host.write_u32(kNested + T::ca_num, 9);
        CHECK(r.connect(bad) == MV_STATUS_TOOMANYELEMENTS);
        // A client certificate without its key.
        r.host.write_u32(kNested + T::ca_num, 0);
        r.host.write_u32(kNested + T::client_key + 4, 0);
        CHECK(r.connect(bad) == MV_STATUS_REQUIREDELEMENTMISSING);
    }
    SECTION("a bad nested pointer is a late fault and spends the connect") {
        Connect late = k;
        late.host_data = kUnmapped;
        CHECK(r.connect(late) == MV_STATUS_LATEFAULT);
        CHECK(r.connect(k) == MV_STATUS_REQUESTALREADYSENT);
        CHECK(r.next_type() == MV_MQTTREADABLEDATATYPE_NONE);
    }
    SECTION("a will structure that is not readable") {
        Connect late = k;
        late.will = kUnmapped;
        CHECK(r.connect(late) == MV_STATUS_LATEFAULT);
    }
}

TEST_CASE("mqtt connect: values the client refuses are answered INVALIDPARAMETERS", "[mqtt]") {
    MqttRig r;
    Connect k;
    SECTION("protocol version") { k.protocol = 2; }
    SECTION("port 0") { k.port = 0; }
    SECTION("keepalive") { k.keepalive = 70000; }
    SECTION("will QoS 2") {
        r.will("dev/will", "gone", 2);
        k.will = kNested;
    }
    SECTION("will topic with a wildcard") {
        r.will("dev/#", "gone");
        k.will = kNested;
    }
    CHECK(r.connect(k) == MV_STATUS_OKAY);
    CHECK(r.next_type() == MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE);
    // A read of another kind does not match the head.
    CHECK(r.read_flat(slot::mvMqttReadPublishResponse, MV_STATUS_WRONGDATAREQUESTED)[0] ==
          0xEEEEEEEEu);
    auto resp = r.read_flat(slot::mvMqttReadConnectResponse);
    CHECK(resp[0] == MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);
    CHECK(r.next_type() == MV_MQTTREADABLEDATATYPE_NONE);
    CHECK(r.read_flat(slot::mvMqttReadConnectResponse, MV_STATUS_RESPONSENOTPRESENT)[0] ==
          0xEEEEEEEEu);
    CHECK(r.connect(Connect{}) == MV_STATUS_REQUESTALREADYSENT);
    r.settle();
    CHECK(r.readable_records() == 1);
}

TEST_CASE("mqtt connect: TLS by default; malformed credentials are named", "[mqtt][broker]") {
    Broker broker;  // plain TCP only: a TLS client cannot talk to it
    MqttRig r{Profile{}};
    Connect k;
    k.port = uint32_t(broker.port);
    SECTION("a TLS handshake with a plain listener fails: SOCKETERROR") {
        CHECK(r.connect(k) == MV_STATUS_OKAY);
        CHECK(r.connect_response()[0] == MV_MQTTREQUESTSTATE_SOCKETERROR);
    }
    SECTION("a CA certificate that is not DER X.509") {
        namespace T = L::tls_credentials;
        r.host.fill(kNested, T::size, 0);
        r.host.write_u32(kNested + T::ca_num, 2);
        r.host.write_u32(kNested + T::ca_certs, 0x20003800u);
        r.sized(0x20003800u, "not a certificate");
        r.sized(0x20003808u, "nor this");
        k.tls = kNested;
        CHECK(r.connect(k) == MV_STATUS_OKAY);
        CHECK(r.connect_response()[0] == MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);
        CHECK(r.host.count_logs(mvemu::LogLevel::warn,
                                "CA certificate 1 of 2 is not a DER X.509 certificate") == 1);
    }
}

TEST_CASE("mqtt connect: with plain_tcp, TLS credentials are not used", "[mqtt][broker]") {
    Broker broker;
    MqttRig r;
    Connect k;
    k.port = uint32_t(broker.port);
    namespace T = L::tls_credentials;
    r.host.fill(kNested, T::size, 0);
    k.tls = kNested;
    r.connect_ok(k);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "the TLS credentials are not used") == 1);
}

TEST_CASE("mqtt: requests before a connection are answered NOTCONNECTED", "[mqtt]") {
    MqttRig r;
    CHECK(r.subscribe(7, {{"a/b", 1}}) == MV_STATUS_OKAY);
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    auto s = r.read_codes(slot::mvMqttReadSubscribeResponse);
    CHECK(s.status == MV_STATUS_OKAY);
    CHECK(s.state == MV_MQTTREQUESTSTATE_NOTCONNECTED);
    CHECK(s.id == 7u);
    CHECK(s.len == 0u);
    CHECK(r.publish(8, "a/b", "x", 1) == MV_STATUS_OKAY);
    auto p = r.read_flat(slot::mvMqttReadPublishResponse);
    CHECK(p[0] == MV_MQTTREQUESTSTATE_NOTCONNECTED);
    CHECK(p[1] == 8u);
    CHECK(r.call(slot::mvMqttRequestDisconnect, r.ch) == MV_STATUS_OKAY);
    CHECK(r.read_flat(slot::mvMqttReadDisconnectResponse)[0] == MV_MQTTREQUESTSTATE_NOTCONNECTED);
}

TEST_CASE("mqtt subscribe and publish: counts, pointers and values", "[mqtt]") {
    MqttRig r;
    CHECK(r.subscribe(1, {}) == MV_STATUS_REQUIREDELEMENTMISSING);
    std::vector<std::pair<std::string, uint32_t>> nine(9, {"t", 0});
    CHECK(r.subscribe(1, nine) == MV_STATUS_TOOMANYELEMENTS);
    CHECK(r.subscribe(1, {{"", 0}}) == MV_STATUS_REQUIREDELEMENTMISSING);
    // The array is not readable.
    r.host.write_u32(kReq + 0, 1);
    r.host.write_u32(kReq + 4, kUnmapped);
    r.host.write_u32(kReq + 8, 1);
    CHECK(r.call(slot::mvMqttRequestSubscribe, r.ch, kReq) == MV_STATUS_LATEFAULT);
    CHECK(r.call(slot::mvMqttRequestSubscribe, r.ch, kUnmapped) == MV_STATUS_PARAMETERFAULT);
    // QoS 2 subscriptions are refused in the response.
    CHECK(r.subscribe(2, {{"a", 2}}) == MV_STATUS_OKAY);
    auto s = r.read_codes(slot::mvMqttReadSubscribeResponse);
    CHECK(s.state == MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);
    CHECK(s.id == 2u);

    CHECK(r.publish(3, "", "x", 0) == MV_STATUS_REQUIREDELEMENTMISSING);
    CHECK(r.publish(3, "a/+", "x", 0) == MV_STATUS_OKAY);  // no wildcards in a topic name
    CHECK(r.read_flat(slot::mvMqttReadPublishResponse)[0] == MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);
    CHECK(r.publish(4, "a", "x", 3) == MV_STATUS_OKAY);
    CHECK(r.read_flat(slot::mvMqttReadPublishResponse)[0] == MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);
    namespace P = L::mqtt_publish_request;
    r.host.write_u32(kReq + P::payload, kUnmapped);
    r.host.write_u32(kReq + P::payload + 4, 4);
    CHECK(r.call(slot::mvMqttRequestPublish, r.ch, kReq) == MV_STATUS_LATEFAULT);
    CHECK(r.call(slot::mvMqttAcknowledgeMessage, r.ch, 99) == MV_STATUS_OKAY);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "names no unacknowledged") == 1);
    CHECK(r.call(slot::mvMqttGetNextReadableDataType, r.ch, kUnmapped) == MV_STATUS_PARAMETERFAULT);
}

// ---- outcomes of connecting ---------------------------------------------------------

TEST_CASE("mqtt connect: refused and unknown hosts", "[mqtt]") {
    MqttRig r;
    Connect k;
    SECTION("nobody listens: SOCKETERROR") {
        k.port = uint32_t(free_loopback_port());
        REQUIRE(r.connect(k) == MV_STATUS_OKAY);
        CHECK(r.connect_response()[0] == MV_MQTTREQUESTSTATE_SOCKETERROR);
    }
    SECTION("a name that does not resolve: NXDOMAIN") {
        k.host = "no-such-broker.invalid";
        REQUIRE(r.connect(k) == MV_STATUS_OKAY);
        CHECK(r.connect_response()[0] == MV_MQTTREQUESTSTATE_NXDOMAIN);
    }
}

TEST_CASE("mqtt connect: dns = hosts-only never looks an unlisted name up", "[mqtt]") {
    Profile p = plain();
    p.dns_hosts_only = true;
    uint16_t closed = free_loopback_port();
    p.hosts["broker.example.com"] = {"127.0.0.1", closed};
    MqttRig r(p);
    Connect k;
    SECTION("an unlisted name: NXDOMAIN, without a lookup") {
        k.host = "www.example.org";
        REQUIRE(r.connect(k) == MV_STATUS_OKAY);
        CHECK(r.connect_response()[0] == MV_MQTTREQUESTSTATE_NXDOMAIN);
    }
    SECTION("a listed name goes where the map says (nobody listens: SOCKETERROR)") {
        k.host = "Broker.Example.com";
        REQUIRE(r.connect(k) == MV_STATUS_OKAY);
        CHECK(r.connect_response()[0] == MV_MQTTREQUESTSTATE_SOCKETERROR);
    }
    SECTION("an IP address needs no lookup") {
        k.port = closed;
        REQUIRE(r.connect(k) == MV_STATUS_OKAY);
        CHECK(r.connect_response()[0] == MV_MQTTREQUESTSTATE_SOCKETERROR);
    }
}

TEST_CASE("mqtt: a whole session against a broker", "[mqtt][broker]") {
    Broker broker;
    MqttRig r(plain(broker.port));
    Connect k;
    k.protocol = GENERATE(as<uint32_t>{}, MV_MQTTPROTOCOLVERSION_V3_1_1, MV_MQTTPROTOCOLVERSION_V5);
    k.host = "mqtt.EXAMPLE.com";  // through the profile's host map, without case
    k.port = 1;
    r.connect_ok(k);
    CHECK(r.connect(k) == MV_STATUS_REQUESTALREADYSENT);

    CHECK(r.subscribe(11, {{"mvemu/a", 1}, {"mvemu/b", 0}}) == MV_STATUS_OKAY);
    CHECK(r.subscribe(12, {{"mvemu/c", 1}}) == MV_STATUS_RATELIMITED);  // one at a time
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    auto small = r.read_codes(slot::mvMqttReadSubscribeResponse, 1);
    CHECK(small.status == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(small.len == 2u);
    auto s = r.read_codes(slot::mvMqttReadSubscribeResponse);
    CHECK(s.status == MV_STATUS_OKAY);
    CHECK(s.state == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK(s.id == 11u);
    CHECK(s.codes == std::vector<uint32_t>{1, 0});  // granted QoS

    // Our own message comes back.
    CHECK(r.publish(21, "mvemu/a", "hello", 1) == MV_STATUS_OKAY);
    bool got_response = false, got_message = false;
    uint32_t message_id = 0;
    for (int i = 0; i < 2; i++) {
        uint32_t t = r.wait_item();
        if (t == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE) {
            auto p = r.read_flat(slot::mvMqttReadPublishResponse);
            CHECK(p[0] == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
            CHECK(p[1] == 21u);
            got_response = true;
        } else if (t == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED) {
            auto tiny = r.receive(64, 2);
            CHECK(tiny.status == MV_STATUS_INVALIDBUFFERSIZE);
            CHECK(tiny.payload_len == 5u);
            auto m = r.receive();
            CHECK(m.status == MV_STATUS_OKAY);
            CHECK(m.topic == "mvemu/a");
            CHECK(m.payload == "hello");
            CHECK(m.qos == 1u);
            CHECK(m.retain == 0);
            message_id = m.id;
            got_message = true;
        } else {
            FAIL("unexpected item " << t);
        }
    }
    CHECK(got_response);
    CHECK(got_message);
    CHECK(message_id != 0);
    CHECK(r.call(slot::mvMqttAcknowledgeMessage, r.ch, message_id) == MV_STATUS_OKAY);
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "names no unacknowledged") == 0);

    // From another client, QoS 0 to the second topic.
    broker.publish("mvemu/b", "from-host");
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED);
    auto m = r.receive();
    CHECK(m.payload == "from-host");
    CHECK(m.qos == 0u);
    CHECK(m.id != message_id);

    // Too big for the 1 KiB receive buffer: lost, and said so.
    broker.publish("mvemu/b", std::string(1100, 'x'));
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_MESSAGELOST);
    CHECK(r.receive().status == MV_STATUS_WRONGDATAREQUESTED);
    namespace I = L::mqtt_lost_message_info;
    r.host.write_u32(kResp + I::reason, kOuts);
    r.host.write_u32(kResp + I::topic + 0, 0x20005000u);
    r.host.write_u32(kResp + I::topic + 4, 64);
    r.host.write_u32(kResp + I::topic + 8, kOuts + 4);
    r.host.write_u32(kResp + I::message_len, kOuts + 8);
    CHECK(r.call(slot::mvMqttReceiveLostMessageInfo, r.ch, kResp) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kOuts) == MV_MQTTLOSTMESSAGEREASON_DEVICERECEIVEBUFFERTOOSMALL);
    CHECK(r.host.read_string(0x20005000u, r.host.read_u32(kOuts + 4)) == "mvemu/b");
    CHECK(r.host.read_u32(kOuts + 8) == 1100u + 7u);

    // Unsubscribe.
    namespace U = L::mqtt_unsubscribe_request;
    r.sized(0x20003400u, "mvemu/a");
    r.host.write_u32(kReq + U::correlation_id, 31);
    r.host.write_u32(kReq + U::topics, 0x20003400u);
    r.host.write_u32(kReq + U::count, 1);
    CHECK(r.call(slot::mvMqttRequestUnsubscribe, r.ch, kReq) == MV_STATUS_OKAY);
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE);
    auto u = r.read_codes(slot::mvMqttReadUnsubscribeResponse);
    CHECK(u.state == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK(u.id == 31u);
    CHECK(u.len == 1u);

    // Disconnect.
    CHECK(r.call(slot::mvMqttRequestDisconnect, r.ch) == MV_STATUS_OKAY);
    CHECK(r.call(slot::mvMqttRequestDisconnect, r.ch) == MV_STATUS_RATELIMITED);
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    auto d = r.read_flat(slot::mvMqttReadDisconnectResponse);
    CHECK(d[0] == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK(d[1] == 0u);
    r.settle();
    CHECK(r.notconnected_records() == 0);
    // Every item had its own record.
    CHECK(r.readable_records() == 8);
}

TEST_CASE("mqtt: the broker refuses a bad password", "[mqtt][broker]") {
    Broker broker(true);
    MqttRig r;
    Connect k;
    k.protocol = GENERATE(as<uint32_t>{}, MV_MQTTPROTOCOLVERSION_V3_1_1, MV_MQTTPROTOCOLVERSION_V5);
    k.port = uint32_t(broker.port);
    k.method = MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD;
    k.username = "device";
    k.password = "wrong";
    REQUIRE(r.connect(k) == MV_STATUS_OKAY);
    auto resp = r.connect_response();
    CHECK(resp[0] == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    // The broker's CONNACK code as it is: 5 "not authorised" on 3.1.1, 0x87
    // "not authorized" on 5 (Mosquitto's choice for a bad password).
    CHECK(resp[1] == (k.protocol == MV_MQTTPROTOCOLVERSION_V5 ? 0x87u : 5u));
    r.settle();
    CHECK(r.notconnected_records() == 0);

    MqttRig good;
    k.password = "secret";
    good.connect_ok(k);
}

TEST_CASE("mqtt: the broker goes away", "[mqtt][broker]") {
    Broker broker;
    MqttRig r;
    Connect k;
    k.port = uint32_t(broker.port);
    r.connect_ok(k);
    broker.kill();
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    auto d = r.read_flat(slot::mvMqttReadDisconnectResponse);
    CHECK(d[0] == MV_MQTTREQUESTSTATE_NOTCONNECTED);
    r.settle();
    CHECK(r.notconnected_records() == 1);
    CHECK(r.backend.channels().find(r.ch)->closure_reason() ==
          MV_CLOSUREREASON_CHANNELRESETBYSERVER);
    CHECK(r.publish(1, "a", "b", 0) == MV_STATUS_CHANNELCLOSED);
}

TEST_CASE("mqtt: the link goes down", "[mqtt][broker]") {
    Broker broker;
    MqttRig r;
    Connect k;
    k.port = uint32_t(broker.port);
    r.connect_ok(k);
    r.backend.network().set_link(false);
    CHECK(r.next_type() == MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    CHECK(r.read_flat(slot::mvMqttReadDisconnectResponse)[0] == MV_MQTTREQUESTSTATE_NOTCONNECTED);
    r.settle();
    CHECK(r.notconnected_records() == 1);
    CHECK(r.backend.channels().find(r.ch)->closure_reason() == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK(r.call(slot::mvMqttRequestDisconnect, r.ch) == MV_STATUS_CHANNELCLOSED);
}

TEST_CASE("mqtt: a persistent session gets what was queued while away; retained messages",
          "[mqtt][broker]") {
    Broker broker;
    Connect k;
    k.protocol = GENERATE(as<uint32_t>{}, MV_MQTTPROTOCOLVERSION_V3_1_1, MV_MQTTPROTOCOLVERSION_V5);
    k.port = uint32_t(broker.port);
    k.client_id = "mvemu-persistent";
    k.clean_start = 0;
    {
        MqttRig first;
        first.connect_ok(k);
        REQUIRE(first.subscribe(1, {{"mvemu/p", 1}}) == MV_STATUS_OKAY);
        REQUIRE(first.wait_item() == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
        REQUIRE(first.read_codes(slot::mvMqttReadSubscribeResponse).codes ==
                std::vector<uint32_t>{1});
        REQUIRE(first.call(slot::mvMqttRequestDisconnect, first.ch) == MV_STATUS_OKAY);
        REQUIRE(first.wait_item() == MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    }
    broker.publish("mvemu/p", "while away", 1);
    broker.publish("mvemu/r", "kept", 0);  // not retained: gone
    std::string cmd = "mosquitto_pub -h 127.0.0.1 -p " + std::to_string(broker.port) +
                      " -r -t mvemu/r -m retained";
    REQUIRE(std::system(cmd.c_str()) == 0);

    MqttRig again;
    again.connect_ok(k);
    REQUIRE(again.wait_item() == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED);
    auto m = again.receive();
    CHECK(m.topic == "mvemu/p");
    CHECK(m.payload == "while away");
    CHECK(m.qos == 1u);
    CHECK(again.call(slot::mvMqttAcknowledgeMessage, again.ch, m.id) == MV_STATUS_OKAY);

    REQUIRE(again.subscribe(2, {{"mvemu/r", 0}}) == MV_STATUS_OKAY);
    bool retained = false;
    for (int i = 0; i < 2; i++) {
        uint32_t t = again.wait_item();
        if (t == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE) {
            CHECK(again.read_codes(slot::mvMqttReadSubscribeResponse).status == MV_STATUS_OKAY);
        } else {
            REQUIRE(t == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED);
            auto r = again.receive();
            CHECK(r.payload == "retained");
            CHECK(r.retain == 1);
            retained = true;
        }
    }
    CHECK(retained);
}

TEST_CASE("mqtt: too many incoming messages trip the circuit breaker", "[mqtt][broker]") {
    Broker broker;
    Profile p = plain();
    p.mqtt_max_incoming_per_second = 3;
    MqttRig r(p);
    Connect k;
    k.port = uint32_t(broker.port);
    r.connect_ok(k);
    REQUIRE(r.subscribe(1, {{"mvemu/flood", 0}}) == MV_STATUS_OKAY);
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    REQUIRE(r.read_codes(slot::mvMqttReadSubscribeResponse).status == MV_STATUS_OKAY);
    // Five messages in no virtual time at all.
    std::string cmd = "printf 'a\\nb\\nc\\nd\\ne\\n' | mosquitto_pub -h 127.0.0.1 -p " +
                      std::to_string(broker.port) + " -t mvemu/flood -l";
    REQUIRE(std::system(cmd.c_str()) == 0);
    for (const char* payload : {"a", "b", "c"}) {
        REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED);
        CHECK(r.receive().payload == payload);
    }
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE);
    CHECK(r.read_flat(slot::mvMqttReadDisconnectResponse)[0] ==
          MV_MQTTREQUESTSTATE_CONNECTIONCIRCUITBREAKER);
    r.settle();
    CHECK(r.notconnected_records() == 1);
    CHECK(r.backend.channels().find(r.ch)->closure_reason() ==
          MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    CHECK(r.next_type() == MV_MQTTREADABLEDATATYPE_NONE);  // nothing after the breaker
    CHECK(r.host.count_logs(mvemu::LogLevel::warn, "CONNECTIONCIRCUITBREAKER") == 1);
}

TEST_CASE("mqtt 5 subscription options: no-local, retain handling", "[mqtt][broker]") {
    Broker broker;
    std::string cmd = "mosquitto_pub -h 127.0.0.1 -p " + std::to_string(broker.port) +
                      " -r -t mvemu/o/kept -m retained";
    REQUIRE(std::system(cmd.c_str()) == 0);
    MqttRig r;
    Connect k;
    k.port = uint32_t(broker.port);
    r.connect_ok(k);
    // No-local on mvemu/o/mine; retain handling 2 ("never send retained") on mvemu/o/kept.
    REQUIRE(r.subscribe(1, {{"mvemu/o/mine", 0}}, ~0u, {1, 0, 0}) == MV_STATUS_OKAY);
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    REQUIRE(r.read_codes(slot::mvMqttReadSubscribeResponse).status == MV_STATUS_OKAY);
    REQUIRE(r.subscribe(2, {{"mvemu/o/kept", 0}}, ~0u, {0, 1, 2}) == MV_STATUS_OKAY);
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    REQUIRE(r.read_codes(slot::mvMqttReadSubscribeResponse).status == MV_STATUS_OKAY);
    // Our own message does not come back; the broker's from another client does.
    REQUIRE(r.publish(3, "mvemu/o/mine", "own", 1) == MV_STATUS_OKAY);
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE);
    REQUIRE(r.read_flat(slot::mvMqttReadPublishResponse)[1] == 3u);
    broker.publish("mvemu/o/mine", "theirs");
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED);
    auto m = r.receive();
    CHECK(m.payload == "theirs");  // neither "own" nor the retained message came first
    CHECK(r.next_type() == MV_MQTTREADABLEDATATYPE_NONE);
    // Out-of-range options are refused in the response.
    REQUIRE(r.subscribe(4, {{"mvemu/o/x", 0}}, ~0u, {0, 0, 3}) == MV_STATUS_OKAY);
    REQUIRE(r.wait_item() == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    CHECK(r.read_codes(slot::mvMqttReadSubscribeResponse).state ==
          MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);
}
