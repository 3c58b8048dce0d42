// A Rig with helpers for the network and channel tests (test_network.cpp,
// test_channels.cpp): notification centers whose delivered records can be
// read back, network handles, virtual time that runs the backend's timers,
// and the monitor's JSON.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "abi_layout.h"
#include "backend_rig.h"

namespace netrig {

inline constexpr int64_t kMs = 1'000'000;
inline constexpr int64_t kBringUp = 100 * kMs;  // the profile's default bring_up_ms

// Scratch structures in application RAM.
inline constexpr uint32_t kSetup = 0x20000200u;      // MvNotificationSetup
inline constexpr uint32_t kHandleOut = 0x20000220u;  // any handle in/out word
inline constexpr uint32_t kRequest = 0x20000240u;    // MvRequestNetworkParams
inline constexpr uint32_t kOut2 = 0x20000260u;       // a second output word
inline constexpr uint32_t kSysParams = 0x20000280u;  // MvOpenSystemNotificationParams

// Centers: 16 records each.
inline constexpr uint32_t kRingA = 0x20001000u, kRingB = 0x20001100u, kRingC = 0x20001200u;
inline constexpr uint32_t kIrqA = 41, kIrqB = 42, kIrqC = 43;
inline constexpr uint32_t kSlots = 16;

using Record = std::pair<uint32_t, uint32_t>;  // (event type, tag)

// A loopback port nobody listens on now (bound, then closed).
inline int free_loopback_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

}  // namespace netrig

struct NetRig : Rig {
    using Rig::Rig;

    struct Center {
        uint32_t handle, irq, ring;
    };

    Center center(uint32_t irq = netrig::kIrqA, uint32_t ring = netrig::kRingA) {
        using namespace netrig;
        host.fill(ring, kSlots * 16, 0xFF);
        host.write_u32(kSetup + 0, irq);
        host.write_u32(kSetup + 4, ring);
        host.write_u32(kSetup + 8, kSlots * 16);
        REQUIRE(call(slot::mvSetupNotifications, kSetup, kHandleOut) == MV_STATUS_OKAY);
        return {host.read_u32(kHandleOut), irq, ring};
    }

    mvemu::Status try_request(uint32_t center, uint32_t tag, uint32_t version = 1,
                              uint32_t out = netrig::kHandleOut) {
        using namespace netrig;
        host.write_u32(kRequest + 0, version);
        host.write_u32(kRequest + 4, center);
        host.write_u32(kRequest + 8, tag);
        return call(slot::mvRequestNetwork, kRequest, out);
    }
    uint32_t request(const Center& c, uint32_t tag) {
        REQUIRE(try_request(c.handle, tag) == MV_STATUS_OKAY);
        uint32_t h = host.read_u32(netrig::kHandleOut);
        REQUIRE(h != 0);
        return h;
    }
    mvemu::Status release(uint32_t handle) {
        host.write_u32(netrig::kHandleOut, handle);
        return call(slot::mvReleaseNetwork, netrig::kHandleOut);
    }
    // The status through mvGetNetworkStatus on `handle`.
    uint32_t status_of(uint32_t handle) {
        host.write_u32(netrig::kOut2, 0xEEEEEEEEu);
        REQUIRE(call(slot::mvGetNetworkStatus, handle, netrig::kOut2) == MV_STATUS_OKAY);
        return host.read_u32(netrig::kOut2);
    }
    // mvGetNetworkReasons: (reasons, request count).
    std::pair<uint32_t, uint32_t> reasons() {
        REQUIRE(call(slot::mvGetNetworkReasons, netrig::kHandleOut, netrig::kOut2) ==
                MV_STATUS_OKAY);
        return {host.read_u32(netrig::kHandleOut), host.read_u32(netrig::kOut2)};
    }
    MvNetworkStatus status() { return backend.network().status(); }

    // Let virtual time pass to `t`, firing the host timer at every deadline
    // on the way, as the board does.
    void run_until(int64_t t) {
        for (int guard = 0; guard < 100000; guard++) {
            int64_t d = host.deadline;
            if (d == FakeHost::kNeverArmed || d > t) {
                break;
            }
            host.now_ns = std::max(host.now_ns, d);
            backend.timer_expired();
        }
        host.now_ns = std::max(host.now_ns, t);
        backend.timer_expired();
    }
    void run_for(int64_t ns) { run_until(host.now_ns + ns); }

    // Records delivered to a center so far, in order (one pend per record).
    std::vector<netrig::Record> records(const Center& c) {
        std::vector<netrig::Record> out;
        uint32_t n = 0;
        for (uint32_t irq : host.pended) {
            if (irq == c.irq) {
                uint32_t at = c.ring + (n++ % netrig::kSlots) * 16;
                out.emplace_back(host.read_u32(at + 8), host.read_u32(at + 12));
            }
        }
        return out;
    }

    nlohmann::json monitor(const std::string& command, const std::string& args = "{}") {
        return nlohmann::json::parse(backend.monitor(command, args));
    }
};
