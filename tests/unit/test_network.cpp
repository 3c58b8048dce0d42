// The network connection and the emulated link (docs/network.md):
// mvRequestNetwork (slot 8), mvReleaseNetwork (26), mvGetNetworkStatus (29),
// mvGetNetworkReasons (25), mvOpenSystemNotification (60),
// mvCloseSystemNotification (61), the outage script, reset, and the
// monitor's query-network / link-set.
#include "net_rig.h"

using namespace netrig;
using mvemu::Profile;
using nlohmann::json;

namespace {

constexpr uint32_t kBootReasons =
    MV_NETWORKREASON_NEVERUSEDNETWORKAPI | MV_NETWORKREASON_COLDBOOTCONNECTION;
constexpr Record kChanged(uint32_t tag) { return {MV_EVENTTYPE_NETWORKSTATUSCHANGED, tag}; }

Profile with_link_down() {
    Profile p;
    p.link_up_at_boot = false;
    return p;
}

}  // namespace

// ---- Microvisor's boot connection --------------------------------------------

TEST_CASE("boot: CONNECTING, then CONNECTED after bring_up_ms of virtual time", "[network]") {
    NetRig r;
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTING);
    CHECK(r.host.deadline == kBringUp);  // the bring-up is the only timer
    r.run_until(kBringUp - 1);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(kBringUp);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTED);
    CHECK(r.host.deadline == INT64_MAX);
    CHECK(r.host.pended.empty());  // nobody to tell
}

TEST_CASE("boot: the bring-up time comes from the profile", "[network]") {
    Profile p;
    p.bring_up_ms = 250;
    NetRig r(p);
    r.run_until(250 * kMs - 1);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(250 * kMs);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTED);
}

TEST_CASE("boot: reasons are NEVERUSEDNETWORKAPI | COLDBOOTCONNECTION, count 0", "[network]") {
    NetRig r;
    CHECK(r.reasons() == std::make_pair(kBootReasons, 0u));
    r.run_until(kBringUp);
    CHECK(r.reasons() == std::make_pair(kBootReasons, 0u));
}

TEST_CASE("reasons add RTCNOTSET while the wall clock is not set", "[network]") {
    Profile p;
    p.wall_clock = mvemu::WallClock::not_set;
    NetRig r(p);
    CHECK(r.reasons().first == (kBootReasons | MV_NETWORKREASON_RTCNOTSET));
    auto c = r.center();
    r.request(c, 1);
    CHECK(r.reasons().first == (MV_NETWORKREASON_USINGNETWORK | MV_NETWORKREASON_RTCNOTSET));
}

TEST_CASE("boot: a NETWORK system notification hears CONNECTED", "[network]") {
    NetRig r;
    auto c = r.center();
    r.host.write_u32(kSysParams + 0, c.handle);
    r.host.write_u32(kSysParams + 4, 0x5157u);
    r.host.write_u32(kSysParams + 8, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK);
    REQUIRE(r.call(slot::mvOpenSystemNotification, kSysParams, kHandleOut) == MV_STATUS_OKAY);
    r.run_until(kBringUp);
    CHECK(r.records(c) == std::vector<Record>{kChanged(0x5157u)});
}

TEST_CASE("boot: with the link down the connection stays CONNECTING", "[network]") {
    NetRig r(with_link_down());
    r.run_until(10 * kBringUp);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTING);
    CHECK_FALSE(r.backend.network().link_up());
    r.backend.network().set_link(true);
    r.run_until(11 * kBringUp - 1);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(11 * kBringUp);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTED);
}

// ---- requests and releases ---------------------------------------------------

TEST_CASE("a request during the boot connection: CONNECTED is announced to it", "[network]") {
    NetRig r;
    auto c = r.center();
    r.run_until(40 * kMs);
    uint32_t h = r.request(c, 0xAB);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTING);
    CHECK(r.records(c).empty());
    // The bring-up started at boot keeps going: CONNECTED at 100 ms.
    r.run_until(kBringUp - 1);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(kBringUp);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTED);
    CHECK(r.records(c) == std::vector<Record>{kChanged(0xAB)});
    CHECK(r.reasons() == std::make_pair(uint32_t{MV_NETWORKREASON_USINGNETWORK}, 1u));
}

TEST_CASE("a request when already CONNECTED gets no record by default", "[network]") {
    NetRig r;
    auto c = r.center();
    r.run_until(kBringUp);
    uint32_t h = r.request(c, 7);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTED);
    r.run_for(10 * kBringUp);
    CHECK(r.records(c).empty());
}

TEST_CASE("notify_when_already_connected: a record at once for a request when CONNECTED",
          "[network]") {
    Profile p;
    p.notify_when_already_connected = true;
    NetRig r(p);
    auto a = r.center(kIrqA, kRingA);
    auto b = r.center(kIrqB, kRingB);
    uint32_t early = r.request(a, 1);  // while CONNECTING: the usual record later
    CHECK(r.records(a).empty());
    r.run_until(kBringUp);
    CHECK(r.records(a) == std::vector<Record>{kChanged(1)});
    r.request(b, 2);
    CHECK(r.records(b) == std::vector<Record>{kChanged(2)});  // at once, no time passed
    CHECK(r.records(a).size() == 1);                           // only the requester hears it
    r.run_for(kBringUp);
    CHECK(r.records(b).size() == 1);
    CHECK(r.status_of(early) == MV_NETWORKSTATUS_CONNECTED);
}

TEST_CASE("handles: non-zero, distinct, counted; at most 16", "[network]") {
    NetRig r;
    auto c = r.center();
    std::vector<uint32_t> handles;
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t h = r.request(c, i);
        CHECK(h != c.handle);
        CHECK(std::find(handles.begin(), handles.end(), h) == handles.end());
        handles.push_back(h);
        CHECK(r.reasons().second == i + 1);
    }
    r.host.write_u32(kHandleOut, 0xEEEEEEEEu);
    CHECK(r.try_request(c.handle, 99) == MV_STATUS_PARAMETERFAULT);  // "too many handles"
    CHECK(r.host.read_u32(kHandleOut) == 0xEEEEEEEEu);
    CHECK(r.reasons().second == 16u);
    REQUIRE(r.release(handles[5]) == MV_STATUS_OKAY);
    uint32_t again = r.request(c, 100);
    CHECK(std::find(handles.begin(), handles.end(), again) == handles.end());  // never reused
    CHECK(r.reasons().second == 16u);
}

TEST_CASE("mvRequestNetwork validation", "[network]") {
    NetRig r;
    auto c = r.center();
    SECTION("params unreadable") {
        CHECK(r.call(slot::mvRequestNetwork, 0, kHandleOut) == MV_STATUS_PARAMETERFAULT);
        CHECK(r.call(slot::mvRequestNetwork, 0x30000240u, kHandleOut) == MV_STATUS_PARAMETERFAULT);
        CHECK(r.call(slot::mvRequestNetwork, kRamEnd - 8, kHandleOut) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("handle output not writable or misaligned, even with a bad version") {
        CHECK(r.try_request(c.handle, 1, 2, kFlashBase + 0x100) == MV_STATUS_PARAMETERFAULT);
        CHECK(r.try_request(c.handle, 1, 1, kHandleOut + 2) == MV_STATUS_PARAMETERFAULT);
        CHECK(r.try_request(c.handle, 1, 1, 0) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("version other than 1, even with a bad center") {
        CHECK(r.try_request(0, 1, 0) == MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
        CHECK(r.try_request(c.handle, 1, 2) == MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    }
    SECTION("a center that is not live") {
        CHECK(r.try_request(0, 1) == MV_STATUS_PARAMETERFAULT);
        CHECK(r.try_request(c.handle ^ 1, 1) == MV_STATUS_PARAMETERFAULT);
    }
    // A refused request does not take the connection from Microvisor.
    CHECK(r.reasons() == std::make_pair(kBootReasons, 0u));
    CHECK_FALSE(r.backend.network().application_owns());
}

TEST_CASE("a request structure in flash is fine: it is only read", "[network]") {
    NetRig r;
    auto c = r.center();
    const uint32_t params[3] = {1, c.handle, 5};
    r.host.poke_bytes(kFlashBase + 0x400, params, sizeof params);
    CHECK(r.call(slot::mvRequestNetwork, kFlashBase + 0x400, kHandleOut) == MV_STATUS_OKAY);
}

TEST_CASE("releasing the last handle: DELIBERATELYOFFLINE, unannounced; reasons 0",
          "[network]") {
    NetRig r;
    auto c = r.center();
    auto s = r.center(kIrqB, kRingB);
    r.host.write_u32(kSysParams + 0, s.handle);
    r.host.write_u32(kSysParams + 4, 0x5157u);
    r.host.write_u32(kSysParams + 8, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK);
    REQUIRE(r.call(slot::mvOpenSystemNotification, kSysParams, kOut2) == MV_STATUS_OKAY);
    uint32_t h = r.request(c, 3);
    r.run_until(kBringUp);
    REQUIRE(r.records(c).size() == 1);
    REQUIRE(r.records(s).size() == 1);

    CHECK(r.release(h) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kHandleOut) == 0u);  // zeroed
    CHECK(r.status() == MV_NETWORKSTATUS_DELIBERATELYOFFLINE);
    CHECK(r.reasons() == std::make_pair(uint32_t{MV_NETWORKREASON_NOTCONNECTING}, 0u));
    r.run_for(10 * kBringUp);
    CHECK(r.status() == MV_NETWORKSTATUS_DELIBERATELYOFFLINE);  // no boot connection again
    CHECK(r.records(c).size() == 1);
    CHECK(r.records(s).size() == 1);  // the system subscription is not told either
    CHECK(r.monitor("query-network")["owner"] == "application");

    // A later request brings it up again: CONNECTING, announced CONNECTED.
    int64_t t = r.host.now_ns;
    uint32_t h2 = r.request(c, 4);
    CHECK(h2 != h);
    CHECK(r.status_of(h2) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(t + kBringUp - 1);
    CHECK(r.status_of(h2) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(t + kBringUp);
    CHECK(r.status_of(h2) == MV_NETWORKSTATUS_CONNECTED);
    CHECK(r.records(c) == std::vector<Record>{kChanged(3), kChanged(4)});
    CHECK(r.records(s) == std::vector<Record>{kChanged(0x5157u), kChanged(0x5157u)});
}

TEST_CASE("releasing one of two handles keeps the connection", "[network]") {
    NetRig r;
    auto c = r.center();
    uint32_t a = r.request(c, 1);
    uint32_t b = r.request(c, 2);
    r.run_until(kBringUp);
    REQUIRE(r.release(a) == MV_STATUS_OKAY);
    CHECK(r.status_of(b) == MV_NETWORKSTATUS_CONNECTED);
    CHECK(r.reasons() == std::make_pair(uint32_t{MV_NETWORKREASON_USINGNETWORK}, 1u));
    r.run_for(kBringUp);
    CHECK(r.records(c).size() == 2);  // the two CONNECTED records, nothing since
}

TEST_CASE("mvReleaseNetwork and mvGetNetworkStatus validation", "[network]") {
    NetRig r;
    auto c = r.center();
    uint32_t h = r.request(c, 1);
    CHECK(r.release(0) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.release(c.handle) == MV_STATUS_INVALIDHANDLE);  // a live handle of another kind
    CHECK(r.call(slot::mvReleaseNetwork, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvReleaseNetwork, kHandleOut + 2) == MV_STATUS_PARAMETERFAULT);
    r.host.poke_bytes(kFlashBase + 0x300, &h, 4);  // readable, cannot be zeroed
    CHECK(r.call(slot::mvReleaseNetwork, kFlashBase + 0x300) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.reasons().second == 1u);

    CHECK(r.call(slot::mvGetNetworkStatus, h, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetNetworkStatus, h, kOut2 + 1) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetNetworkStatus, 0, kOut2) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvGetNetworkStatus, c.handle, kOut2) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvGetNetworkReasons, 0, kOut2) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvGetNetworkReasons, kHandleOut, kFlashBase) == MV_STATUS_PARAMETERFAULT);

    REQUIRE(r.release(h) == MV_STATUS_OKAY);
    CHECK(r.release(h) == MV_STATUS_INVALIDHANDLE);  // stale
    CHECK(r.host.read_u32(kHandleOut) == h);        // a failed release leaves it alone
    CHECK(r.call(slot::mvGetNetworkStatus, h, kOut2) == MV_STATUS_INVALIDHANDLE);
}

// ---- the emulated link ---------------------------------------------------------

TEST_CASE("link down and up: every holder and NETWORK subscription hears each change",
          "[network]") {
    NetRig r;
    auto a = r.center(kIrqA, kRingA);
    auto b = r.center(kIrqB, kRingB);
    auto s = r.center(kIrqC, kRingC);
    uint32_t ha = r.request(a, 0xA);
    uint32_t hb = r.request(b, 0xB);
    r.host.write_u32(kSysParams + 0, s.handle);
    r.host.write_u32(kSysParams + 4, 0x5);
    r.host.write_u32(kSysParams + 8, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK);
    REQUIRE(r.call(slot::mvOpenSystemNotification, kSysParams, kOut2) == MV_STATUS_OKAY);
    // An UPDATE subscription on A never fires.
    r.host.write_u32(kSysParams + 0, a.handle);
    r.host.write_u32(kSysParams + 4, 0xDEAD);
    r.host.write_u32(kSysParams + 8, MV_SYSTEMNOTIFICATIONSOURCE_UPDATE);
    REQUIRE(r.call(slot::mvOpenSystemNotification, kSysParams, kOut2) == MV_STATUS_OKAY);
    r.run_until(kBringUp);

    r.run_until(300 * kMs);
    r.backend.network().set_link(false);
    CHECK(r.status_of(ha) == MV_NETWORKSTATUS_CONNECTING);
    r.run_for(kMs);
    CHECK(r.records(a) == std::vector<Record>{kChanged(0xA), kChanged(0xA)});
    CHECK(r.records(b) == std::vector<Record>{kChanged(0xB), kChanged(0xB)});
    CHECK(r.records(s) == std::vector<Record>{kChanged(0x5), kChanged(0x5)});

    // Link up: still CONNECTING (no change, no record) until the bring-up ends.
    r.run_until(400 * kMs);
    r.backend.network().set_link(true);
    CHECK(r.status_of(hb) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(400 * kMs + kBringUp - 1);
    CHECK(r.records(a).size() == 2);
    CHECK(r.status_of(hb) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(400 * kMs + kBringUp);
    CHECK(r.status_of(hb) == MV_NETWORKSTATUS_CONNECTED);
    r.run_for(kMs);
    CHECK(r.records(a).size() == 3);
    CHECK(r.records(b).size() == 3);
    CHECK(r.records(s).size() == 3);
    for (const auto& rec : r.records(a)) {
        CHECK(rec == kChanged(0xA));  // never the UPDATE subscription's tag
    }
}

TEST_CASE("setting the link to what it is changes nothing", "[network]") {
    NetRig r;
    auto c = r.center();
    r.request(c, 1);
    r.run_until(kBringUp);
    r.backend.network().set_link(true);
    r.run_for(kBringUp);
    CHECK(r.records(c).size() == 1);
    r.backend.network().set_link(false);
    r.backend.network().set_link(false);
    r.run_for(kMs);
    CHECK(r.records(c).size() == 2);
}

TEST_CASE("link lost during bring-up: the bring-up starts over when it is back", "[network]") {
    NetRig r;
    auto c = r.center();
    uint32_t h = r.request(c, 1);
    r.run_until(60 * kMs);
    r.backend.network().set_link(false);  // CONNECTING -> CONNECTING: nothing to announce
    CHECK(r.host.deadline == INT64_MAX);  // the bring-up timer is gone
    r.run_until(500 * kMs);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTING);
    r.backend.network().set_link(true);
    r.run_until(500 * kMs + kBringUp - 1);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(500 * kMs + kBringUp);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTED);
    CHECK(r.records(c) == std::vector<Record>{kChanged(1)});
}

TEST_CASE("link changes while the application holds no handle are not announced",
          "[network]") {
    NetRig r;
    auto c = r.center();
    uint32_t h = r.request(c, 1);
    r.run_until(kBringUp);
    REQUIRE(r.release(h) == MV_STATUS_OKAY);
    r.backend.network().set_link(false);
    r.backend.network().set_link(true);
    r.run_for(10 * kBringUp);
    CHECK(r.status() == MV_NETWORKSTATUS_DELIBERATELYOFFLINE);
    CHECK(r.records(c).size() == 1);
    // A request with the link down waits for it.
    r.backend.network().set_link(false);
    uint32_t h2 = r.request(c, 2);
    r.run_for(10 * kBringUp);
    CHECK(r.status_of(h2) == MV_NETWORKSTATUS_CONNECTING);
    r.backend.network().set_link(true);
    r.run_for(kBringUp);
    CHECK(r.status_of(h2) == MV_NETWORKSTATUS_CONNECTED);
    CHECK(r.records(c) == std::vector<Record>{kChanged(1), kChanged(2)});
}

TEST_CASE("the boot connection also drops with the link", "[network]") {
    NetRig r;
    r.run_until(kBringUp);
    r.backend.network().set_link(false);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTING);
    CHECK(r.reasons() == std::make_pair(kBootReasons, 0u));  // still Microvisor's
    r.backend.network().set_link(true);
    r.run_for(kBringUp);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTED);
}

// ---- the outage script ---------------------------------------------------------

TEST_CASE("outages from the profile cut and restore the link in virtual time", "[network]") {
    Profile p;
    p.outages = {{500, 300}, {2000, 50}};
    NetRig r(p);
    auto c = r.center();
    uint32_t h = r.request(c, 9);
    r.run_until(500 * kMs - 1);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTED);
    r.run_until(500 * kMs);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTING);
    CHECK_FALSE(r.backend.network().link_up());
    r.run_until(800 * kMs - 1);
    CHECK_FALSE(r.backend.network().link_up());
    r.run_until(800 * kMs);
    CHECK(r.backend.network().link_up());
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(900 * kMs);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTED);
    // The second outage is shorter than the bring-up.
    r.run_until(2000 * kMs);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(2050 * kMs + kBringUp - 1);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(2050 * kMs + kBringUp);
    CHECK(r.status_of(h) == MV_NETWORKSTATUS_CONNECTED);
    r.run_for(kMs);
    // CONNECTED, then lost/back twice.
    CHECK(r.records(c) == std::vector<Record>(5, kChanged(9)));
    CHECK(r.host.deadline == INT64_MAX);  // the script is over
}

// ---- reset -----------------------------------------------------------------------

TEST_CASE("reset: every handle is gone and Microvisor owns the link again", "[network]") {
    Profile p;
    p.outages = {{300, 100}};
    NetRig r(p);
    auto c = r.center();
    uint32_t h = r.request(c, 1);
    r.run_until(kBringUp);
    r.backend.network().set_link(false);  // by the monitor; reset restores the profile's
    r.run_until(1000 * kMs);
    r.backend.reset();

    CHECK(r.call(slot::mvGetNetworkStatus, h, kOut2) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.release(h) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.reasons() == std::make_pair(kBootReasons, 0u));
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTING);
    CHECK(r.backend.network().link_up());
    CHECK_FALSE(r.backend.network().application_owns());
    r.run_until(1000 * kMs + kBringUp);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTED);
    // The outage script restarts from the reset.
    r.run_until(1300 * kMs - 1);
    CHECK(r.backend.network().link_up());
    r.run_until(1300 * kMs);
    CHECK_FALSE(r.backend.network().link_up());
    r.run_until(1400 * kMs);
    CHECK(r.backend.network().link_up());
}

TEST_CASE("reset with the bring-up pending does not connect early", "[network]") {
    NetRig r;
    r.run_until(90 * kMs);
    r.backend.reset();
    r.run_until(90 * kMs + kBringUp - 1);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTING);
    r.run_until(90 * kMs + kBringUp);
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTED);
}

// ---- system notifications --------------------------------------------------------

TEST_CASE("mvOpenSystemNotification and mvCloseSystemNotification validation", "[network]") {
    NetRig r;
    auto c = r.center();
    auto params = [&](uint32_t center, uint32_t source) {
        r.host.write_u32(kSysParams + 0, center);
        r.host.write_u32(kSysParams + 4, 1);
        r.host.write_u32(kSysParams + 8, source);
    };
    params(c.handle, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK);
    CHECK(r.call(slot::mvOpenSystemNotification, 0, kHandleOut) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvOpenSystemNotification, kSysParams, kFlashBase) ==
          MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvOpenSystemNotification, kSysParams, kHandleOut + 2) ==
          MV_STATUS_PARAMETERFAULT);
    CHECK(r.call_from_handler(slot::mvOpenSystemNotification, kSysParams, kHandleOut) ==
          MV_STATUS_UNAVAILABLE);
    params(0, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK);
    CHECK(r.call(slot::mvOpenSystemNotification, kSysParams, kHandleOut) ==
          MV_STATUS_INVALIDHANDLE);
    params(c.handle, 2);
    CHECK(r.call(slot::mvOpenSystemNotification, kSysParams, kHandleOut) ==
          MV_STATUS_INVALIDHANDLE);

    params(c.handle, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK);
    REQUIRE(r.call(slot::mvOpenSystemNotification, kSysParams, kHandleOut) == MV_STATUS_OKAY);
    uint32_t h = r.host.read_u32(kHandleOut);
    CHECK(h != 0);
    CHECK(h != c.handle);
    CHECK(r.call(slot::mvCloseSystemNotification, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call_from_handler(slot::mvCloseSystemNotification, kHandleOut) ==
          MV_STATUS_UNAVAILABLE);
    CHECK(r.call(slot::mvCloseSystemNotification, kHandleOut) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kHandleOut) == 0u);
    CHECK(r.call(slot::mvCloseSystemNotification, kHandleOut) == MV_STATUS_INVALIDHANDLE);
    r.host.write_u32(kHandleOut, h);
    CHECK(r.call(slot::mvCloseSystemNotification, kHandleOut) == MV_STATUS_INVALIDHANDLE);

    // Closed: it hears nothing more.
    r.run_until(kBringUp);
    CHECK(r.records(c).empty());
}

// ---- the monitor -------------------------------------------------------------------

TEST_CASE("monitor query-network at boot and with handles", "[network][monitor]") {
    NetRig r;
    json q = r.monitor("query-network");
    CHECK(q["link-up"] == true);
    CHECK(q["owner"] == "microvisor");
    CHECK(q["status"] == "connecting");
    CHECK(q["reasons"] == kBootReasons);
    CHECK(q["request-count"] == 0);
    CHECK(q["networks"] == json::array());
    CHECK(q["channels"] == json::array());

    auto c = r.center();
    uint32_t h = r.request(c, 0x77);
    r.run_until(kBringUp);
    q = r.monitor("query-network");
    CHECK(q["owner"] == "application");
    CHECK(q["status"] == "connected");
    CHECK(q["reasons"] == MV_NETWORKREASON_USINGNETWORK);
    CHECK(q["request-count"] == 1);
    REQUIRE(q["networks"].size() == 1);
    CHECK(q["networks"][0] ==
          json{{"handle", h}, {"notification-handle", c.handle}, {"notification-tag", 0x77}});

    REQUIRE(r.release(h) == MV_STATUS_OKAY);
    q = r.monitor("query-network");
    CHECK(q["status"] == "deliberately-offline");
    CHECK(q["networks"] == json::array());
    // Arguments are optional for the query.
    CHECK(r.monitor("query-network", "")["status"] == "deliberately-offline");
}

TEST_CASE("monitor link-set switches the link and says so on the console",
          "[network][monitor]") {
    NetRig r;
    auto c = r.center();
    r.request(c, 1);
    r.run_until(kBringUp);
    CHECK(r.monitor("link-set", R"({"up": false})") == json::object());
    CHECK_FALSE(r.backend.network().link_up());
    json q = r.monitor("query-network");
    CHECK(q["link-up"] == false);
    CHECK(q["status"] == "connecting");
    CHECK(r.host.count_logs(mvemu::LogLevel::info, "emulated link down") == 1);
    r.run_for(kMs);
    CHECK(r.records(c).size() == 2);

    CHECK(r.monitor("link-set", R"({"up": true})") == json::object());
    CHECK(r.host.count_logs(mvemu::LogLevel::info, "emulated link up") == 1);
    r.run_for(kBringUp);
    CHECK(r.monitor("query-network")["status"] == "connected");
}

TEST_CASE("monitor commands refuse bad arguments with an error", "[network][monitor]") {
    NetRig r;
    r.run_until(kBringUp);
    auto bad = GENERATE(as<std::string>{}, "{}", R"({"up": 1})", R"({"up": "false"})",
                        R"({"down": true})", "[true]", "true", "not json", R"({"up": false)");
    INFO("arguments " << bad);
    json reply = r.monitor("link-set", bad);
    CHECK(reply.contains("error"));
    CHECK(reply["error"].is_string());
    CHECK(r.backend.network().link_up());  // unchanged
    CHECK(r.status() == MV_NETWORKSTATUS_CONNECTED);
}

TEST_CASE("monitor: unknown commands and non-object arguments are errors",
          "[network][monitor]") {
    NetRig r;
    CHECK(r.monitor("no-such-command").contains("error"));
    CHECK(r.monitor("query-network", "[]").contains("error"));
    CHECK(r.monitor("query-network", "{").contains("error"));
}
