// Notification centers through the system calls (semantics.md section 1):
// mvSetupNotifications (slot 16), mvCloseNotifications (10),
// mvTempTriggerNotification (28).
#include <catch2/catch.hpp>

#include "abi_layout.h"
#include "backend_rig.h"

using mvemu::Profile;

namespace {

namespace N = mvemu::layout::notification;

constexpr uint32_t kSetup = 0x20000200u;   // MvNotificationSetup
constexpr uint32_t kHandle = 0x20000220u;  // MvNotificationHandle
constexpr uint32_t kRing = 0x20001000u;    // 8-byte aligned ring
constexpr uint32_t kIrq = 41;              // TIM1_BRK, as the demos use
constexpr int64_t kGapNs = 100 * 1000;     // the delivery gap most of these tests set

// The emulated link starts down so that no network timer shares the
// scheduler with the centers' delivery timers these tests watch. The fake
// host never takes an interrupt by itself, so these tests pace records with
// a delivery gap; the last ones drive irq_taken() as the board does.
inline mvemu::Profile quiet_network() {
    mvemu::Profile p;
    p.link_up_at_boot = false;
    p.delivery_gap_us = kGapNs / 1000;
    return p;
}

struct Centers : Rig {
    Centers() : Rig(quiet_network()) {}
    explicit Centers(mvemu::Profile p) : Rig([&] {
        p.link_up_at_boot = false;
        return p;
    }()) {}

    void write_setup(uint32_t irq, uint32_t buffer, uint32_t size, uint32_t at = kSetup) {
        host.write_u32(at + 0, irq);
        host.write_u32(at + 4, buffer);
        host.write_u32(at + 8, size);
    }
    mvemu::Status setup(uint32_t irq, uint32_t buffer, uint32_t size, uint32_t handle_out = kHandle) {
        write_setup(irq, buffer, size);
        return call(slot::mvSetupNotifications, kSetup, handle_out);
    }
    // Set up a center and return its handle (fails the test if it cannot).
    uint32_t open(uint32_t irq = kIrq, uint32_t buffer = kRing, uint32_t size = 64) {
        host.fill(buffer, size, 0xFF);  // like the demos: makes unwritten slots visible
        REQUIRE(setup(irq, buffer, size) == MV_STATUS_OKAY);
        uint32_t h = host.read_u32(kHandle);
        REQUIRE(h != 0);
        return h;
    }
    mvemu::Status trigger(uint32_t handle, uint32_t type, uint32_t tag) {
        return call(slot::mvTempTriggerNotification, handle, type, tag);
    }
    mvemu::Status close(uint32_t handle) {
        host.write_u32(kHandle, handle);
        return call(slot::mvCloseNotifications, kHandle);
    }
    // Let virtual time pass and fire the host timer as the board would.
    void advance_to(int64_t t) {
        host.now_ns = t;
        backend.timer_expired();
    }

    struct Record {
        uint64_t micros;
        uint32_t type, tag;
    };
    Record record(uint32_t buffer, uint32_t index) {
        uint32_t at = buffer + index * N::size;
        return {host.read_u64(at + N::microseconds), host.read_u32(at + N::event_type),
                host.read_u32(at + N::tag)};
    }
    bool slot_untouched(uint32_t buffer, uint32_t index) {
        auto b = host.peek_bytes(buffer + index * N::size, N::size);
        return b == std::vector<uint8_t>(N::size, 0xFF);
    }
};

}  // namespace

// ---- setup validation --------------------------------------------------------

TEST_CASE("setup returns a non-zero handle", "[notifications]") {
    Centers r;
    CHECK(r.setup(kIrq, kRing, 64) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kHandle) != 0);
    CHECK(r.backend.centers().count() == 1);
    CHECK(r.host.pended.empty());  // setting up posts nothing
}

TEST_CASE("setup rejects bad pointers with PARAMETERFAULT", "[notifications]") {
    Centers r;
    r.write_setup(kIrq, kRing, 64);
    SECTION("setup pointer null") {
        CHECK(r.call(slot::mvSetupNotifications, 0, kHandle) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("setup pointer outside application memory") {
        CHECK(r.call(slot::mvSetupNotifications, 0x30000200u, kHandle) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("setup straddling the end of RAM") {
        CHECK(r.call(slot::mvSetupNotifications, kRamEnd - 8, kHandle) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("handle_out in flash") {
        CHECK(r.call(slot::mvSetupNotifications, kSetup, kFlashBase + 0x100) ==
              MV_STATUS_PARAMETERFAULT);
    }
    SECTION("handle_out null") {
        CHECK(r.call(slot::mvSetupNotifications, kSetup, 0) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("buffer in flash") {
        CHECK(r.setup(kIrq, kFlashBase + 0x1000, 64) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("buffer straddling the end of RAM") {
        CHECK(r.setup(kIrq, kRamEnd - 16, 32) == MV_STATUS_PARAMETERFAULT);
    }
    SECTION("buffer not 8-byte aligned") {
        CHECK(r.setup(kIrq, kRing + 4, 64) == MV_STATUS_PARAMETERFAULT);
    }
    CHECK(r.backend.centers().count() == 0);
}

TEST_CASE("a setup structure in flash is fine: it is only read", "[notifications]") {
    Centers r;
    const uint32_t setup[3] = {kIrq, kRing, 64};  // little-endian host, like the guest
    r.host.poke_bytes(kFlashBase + 0x200, setup, sizeof setup);
    CHECK(r.call(slot::mvSetupNotifications, kFlashBase + 0x200, kHandle) == MV_STATUS_OKAY);
}

TEST_CASE("setup buffer sizes: at least two records, whole records", "[notifications]") {
    Centers r;
    auto size = GENERATE(0u, 16u, 40u, 33u);
    INFO("buffer_size " << size);
    CHECK(r.setup(kIrq, kRing, size) == MV_STATUS_INVALIDBUFFERSIZE);
    CHECK(r.backend.centers().count() == 0);
}

TEST_CASE("setup accepts the smallest ring and larger multiples of 16", "[notifications]") {
    Centers r;
    CHECK(r.setup(41, 0x20001000u, 32) == MV_STATUS_OKAY);
    CHECK(r.setup(42, 0x20002000u, 48) == MV_STATUS_OKAY);
    CHECK(r.setup(43, 0x20003000u, 256) == MV_STATUS_OKAY);
    CHECK(r.backend.centers().count() == 3);
}

TEST_CASE("setup refuses a buffer overlapping another center's", "[notifications]") {
    Centers r;
    r.open(41, kRing, 64);  // kRing .. kRing+64
    CHECK(r.setup(42, kRing, 64) == MV_STATUS_BUFFERALREADYINUSE);          // identical
    CHECK(r.setup(42, kRing + 0x30, 32) == MV_STATUS_BUFFERALREADYINUSE);   // tail overlaps
    CHECK(r.setup(42, kRing - 0x18, 32) == MV_STATUS_BUFFERALREADYINUSE);   // head overlaps
    CHECK(r.setup(42, kRing - 0x20, 256) == MV_STATUS_BUFFERALREADYINUSE);  // encloses
    CHECK(r.backend.centers().count() == 1);
    // Adjacent on either side is not an overlap.
    CHECK(r.setup(42, kRing + 64, 32) == MV_STATUS_OKAY);
    CHECK(r.setup(43, kRing - 32, 32) == MV_STATUS_OKAY);
}

TEST_CASE("setup refuses IRQs that do not exist or are taken", "[notifications]") {
    Centers r;
    CHECK(r.setup(125, kRing, 32) == MV_STATUS_INVALIDINTERRUPT);       // irq_count() is 125
    CHECK(r.setup(0xFFFFFFFFu, kRing, 32) == MV_STATUS_INVALIDINTERRUPT);
    CHECK(r.setup(124, kRing, 32) == MV_STATUS_OKAY);                   // the last line
    CHECK(r.setup(124, kRing + 0x100, 32) == MV_STATUS_INVALIDINTERRUPT);  // already bound
    CHECK(r.backend.centers().count() == 1);
}

TEST_CASE("at most 32 centers: the 33rd gets TOOMANYNOTIFICATIONBUFFERS", "[notifications]") {
    Centers r;
    for (uint32_t i = 0; i < 32; i++) {
        INFO("center " << i);
        REQUIRE(r.setup(i, kRing + i * 32, 32) == MV_STATUS_OKAY);
    }
    CHECK(r.setup(32, kRing + 32 * 32, 32) == MV_STATUS_TOOMANYNOTIFICATIONBUFFERS);
    CHECK(r.backend.centers().count() == 32);
}

TEST_CASE("closing a center makes room for another", "[notifications]") {
    Profile p;
    p.max_centers = 2;
    Centers r(p);
    uint32_t a = r.open(41, 0x20001000u, 32);
    r.open(42, 0x20002000u, 32);
    CHECK(r.setup(43, 0x20003000u, 32) == MV_STATUS_TOOMANYNOTIFICATIONBUFFERS);
    CHECK(r.close(a) == MV_STATUS_OKAY);
    CHECK(r.setup(43, 0x20003000u, 32) == MV_STATUS_OKAY);
}

TEST_CASE("handles of different centers differ", "[notifications]") {
    Centers r;
    uint32_t a = r.open(41, 0x20001000u, 32);
    uint32_t b = r.open(42, 0x20002000u, 32);
    CHECK(a != b);
}

// ---- delivery ----------------------------------------------------------------

TEST_CASE("records go into the ring from slot 0 with time, type and tag; one pend each",
          "[notifications]") {
    Centers r;
    uint32_t h = r.open(kIrq, kRing, 64);  // 4 slots
    r.host.fill(kRing + 64, 16, 0xFF);      // guard: the record after the ring
    r.host.now_ns = 1'234'567'890;
    CHECK(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 0xCAFE) == MV_STATUS_OKAY);

    auto rec = r.record(kRing, 0);
    CHECK(rec.micros == 1'234'567u);  // microseconds: the mvGetMicroseconds clock
    CHECK(rec.type == MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK(rec.tag == 0xCAFEu);
    CHECK(r.host.pended == std::vector<uint32_t>{kIrq});
    for (uint32_t i = 1; i < 4; i++) {
        INFO("slot " << i);
        CHECK(r.slot_untouched(kRing, i));
    }
    CHECK(r.slot_untouched(kRing + 64, 0));  // nothing beyond the ring either
}

TEST_CASE("the next record waits for the delivery gap", "[notifications]") {
    Centers r;
    uint32_t h = r.open();
    r.host.now_ns = 1'000'000;
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELNOTCONNECTED, 2) == MV_STATUS_OKAY);
    CHECK(r.host.pended.size() == 1);
    CHECK(r.slot_untouched(kRing, 1));
    // The host timer is armed for when the gap has passed.
    CHECK(r.host.deadline == 1'000'000 + kGapNs);

    r.advance_to(1'000'000 + kGapNs - 1);
    CHECK(r.host.pended.size() == 1);
    CHECK(r.slot_untouched(kRing, 1));

    r.advance_to(1'000'000 + kGapNs);
    CHECK(r.host.pended == std::vector<uint32_t>{kIrq, kIrq});
    auto rec = r.record(kRing, 1);
    CHECK(rec.micros == uint64_t(1'000'000 + kGapNs) / 1000);
    CHECK(rec.type == MV_EVENTTYPE_CHANNELNOTCONNECTED);
    CHECK(rec.tag == 2u);
    CHECK(r.host.deadline == INT64_MAX);  // nothing left to deliver
}

TEST_CASE("the next record waits while the interrupt is still pending or active",
          "[notifications]") {
    Centers r;
    uint32_t h = r.open();
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    r.host.busy[kIrq] = true;  // the guest has not taken the interrupt yet

    // Well past the gap, but the line is busy.
    r.host.now_ns = 10 * kGapNs;
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 2) == MV_STATUS_OKAY);
    CHECK(r.host.pended.size() == 1);
    r.advance_to(r.host.deadline);
    CHECK(r.host.pended.size() == 1);
    CHECK(r.slot_untouched(kRing, 1));
    CHECK(r.host.deadline != INT64_MAX);  // still retrying

    // The guest took the interrupt: delivered at the next timer expiry.
    r.host.busy[kIrq] = false;
    r.advance_to(r.host.deadline);
    CHECK(r.host.pended.size() == 2);
    CHECK(r.record(kRing, 1).tag == 2u);
}

TEST_CASE("a busy line on one center does not hold back another", "[notifications]") {
    Centers r;
    uint32_t a = r.open(41, 0x20001000u, 32);
    uint32_t b = r.open(42, 0x20002000u, 32);
    r.host.busy[41] = true;
    REQUIRE(r.trigger(a, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    REQUIRE(r.trigger(b, MV_EVENTTYPE_CHANNELDATAREADABLE, 2) == MV_STATUS_OKAY);
    CHECK(r.host.pended == std::vector<uint32_t>{42});
}

TEST_CASE("the ring wraps to slot 0 after its last slot", "[notifications]") {
    Centers r;
    uint32_t h = r.open(kIrq, kRing, 32);  // 2 slots
    r.host.fill(kRing + 32, 16, 0xFF);      // guard: the record after the ring
    for (uint32_t tag = 1; tag <= 3; tag++) {
        r.host.now_ns = int64_t(tag) * kGapNs;  // idle and past the gap: delivered at once
        REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, tag) == MV_STATUS_OKAY);
        REQUIRE(r.host.pended.size() == tag);
    }
    CHECK(r.record(kRing, 0).tag == 3u);  // overwrote the first record
    CHECK(r.record(kRing, 0).micros == uint64_t(3 * kGapNs / 1000));
    CHECK(r.record(kRing, 1).tag == 2u);
    CHECK(r.slot_untouched(kRing + 32, 0));
}

TEST_CASE("queued records are delivered one per gap, in order", "[notifications]") {
    Centers r;
    uint32_t h = r.open(kIrq, kRing, 64);
    for (uint32_t tag = 1; tag <= 4; tag++) {
        REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, tag) == MV_STATUS_OKAY);
    }
    int guard = 0;
    while (r.host.pended.size() < 4 && r.host.deadline != INT64_MAX && guard++ < 10) {
        size_t before = r.host.pended.size();
        r.advance_to(r.host.deadline);
        CHECK(r.host.pended.size() == before + 1);  // never two at one expiry
    }
    REQUIRE(r.host.pended.size() == 4);
    for (uint32_t i = 0; i < 4; i++) {
        CHECK(r.record(kRing, i).tag == i + 1);
    }
}

TEST_CASE("trigger validates the handle and the event type", "[notifications]") {
    Centers r;
    uint32_t h = r.open();
    CHECK(r.trigger(0, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.trigger(h ^ 1, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.trigger(h, MV_EVENTTYPE_UPDATEDOWNLOADED + 1, 1) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.host.pended.empty());  // a rejected call posts nothing
}

// ---- close and reset -------------------------------------------------------------

TEST_CASE("close zeroes the handle; zero and stale handles are INVALIDHANDLE", "[notifications]") {
    Centers r;
    uint32_t h = r.open();
    CHECK(r.close(h) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kHandle) == 0);
    CHECK(r.backend.centers().count() == 0);

    CHECK(r.call(slot::mvCloseNotifications, kHandle) == MV_STATUS_INVALIDHANDLE);  // now 0
    CHECK(r.close(h) == MV_STATUS_INVALIDHANDLE);                                   // stale
    CHECK(r.host.read_u32(kHandle) == h);  // a failed close leaves it alone
    CHECK(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_INVALIDHANDLE);
}

TEST_CASE("close checks its pointer", "[notifications]") {
    Centers r;
    uint32_t h = r.open();
    CHECK(r.call(slot::mvCloseNotifications, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvCloseNotifications, kHandle + 2) == MV_STATUS_PARAMETERFAULT);
    // The handle is readable in flash, but cannot be zeroed there.
    r.host.poke_bytes(kFlashBase + 0x300, &h, 4);
    CHECK(r.call(slot::mvCloseNotifications, kFlashBase + 0x300) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.backend.centers().count() == 1);  // nothing was closed
}

TEST_CASE("records still queued for a closed center are dropped", "[notifications]") {
    Centers r;
    uint32_t h = r.open(kIrq, kRing, 64);
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 2) == MV_STATUS_OKAY);  // waits
    REQUIRE(r.close(h) == MV_STATUS_OKAY);
    CHECK(r.backend.scheduler().pending() == 0);  // its retry is gone too
    r.advance_to(10 * kGapNs);
    CHECK(r.host.pended.size() == 1);
    CHECK(r.slot_untouched(kRing, 1));
    // Posting for it (as a channel would) is refused.
    CHECK_FALSE(r.backend.centers().post(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 3));
}

TEST_CASE("a new center on the same buffer and IRQ starts again at slot 0", "[notifications]") {
    Centers r;
    uint32_t h = r.open(kIrq, kRing, 64);
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    REQUIRE(r.close(h) == MV_STATUS_OKAY);
    uint32_t h2 = r.open(kIrq, kRing, 64);  // refills the ring with 0xFF
    CHECK(h2 != h);                         // handles are never reused
    r.host.now_ns = 10 * kGapNs;
    REQUIRE(r.trigger(h2, MV_EVENTTYPE_CHANNELDATAREADABLE, 9) == MV_STATUS_OKAY);
    CHECK(r.record(kRing, 0).tag == 9u);
    CHECK(r.slot_untouched(kRing, 1));
}

TEST_CASE("reset drops every center and its pending work", "[notifications]") {
    Centers r;
    uint32_t a = r.open(41, 0x20001000u, 32);
    uint32_t b = r.open(42, 0x20002000u, 32);
    REQUIRE(r.trigger(a, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    REQUIRE(r.trigger(a, MV_EVENTTYPE_CHANNELDATAREADABLE, 2) == MV_STATUS_OKAY);  // queued
    r.backend.reset();
    CHECK(r.backend.centers().count() == 0);
    CHECK(r.backend.scheduler().pending() == 0);
    CHECK(r.trigger(a, MV_EVENTTYPE_CHANNELDATAREADABLE, 3) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.trigger(b, MV_EVENTTYPE_CHANNELDATAREADABLE, 3) == MV_STATUS_INVALIDHANDLE);
    r.advance_to(10 * kGapNs);
    CHECK(r.host.pended.size() == 1);
    // The IRQs and buffers are free again; handles stay unique.
    uint32_t c = r.open(41, 0x20001000u, 32);
    CHECK(c != a);
    CHECK(c != b);
}

TEST_CASE("the delivery gap comes from the profile", "[notifications]") {
    Profile p;
    p.delivery_gap_us = 250;
    Centers r(p);
    uint32_t h = r.open();
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 2) == MV_STATUS_OKAY);
    CHECK(r.host.deadline == 250'000);
    r.advance_to(249'999);
    CHECK(r.host.pended.size() == 1);
    r.advance_to(250'000);
    CHECK(r.host.pended.size() == 2);
}

TEST_CASE("a zero delivery gap with a busy line does not spin", "[notifications]") {
    // delivery_gap_us = 0 is accepted by the profile. While the line is busy
    // the retry must still lie in the future, or run_due would loop forever
    // (the fake host throws after 100000 polls at one instant).
    Profile p;
    p.delivery_gap_us = 0;
    REQUIRE(p.validate().empty());
    Centers r(p);
    uint32_t h = r.open();
    r.host.busy[kIrq] = true;
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    REQUIRE_NOTHROW(r.backend.timer_expired());
    r.host.busy[kIrq] = false;
    r.host.now_ns += 1'000'000;
    CHECK_NOTHROW(r.backend.timer_expired());
    CHECK(r.host.pended.size() == 1);
}

TEST_CASE("with no gap the next record goes out as the interrupt is taken", "[notifications]") {
    Profile p;
    p.delivery_gap_us = 0;
    Centers r(p);
    uint32_t h = r.open();
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    r.host.busy[kIrq] = true;  // pended, not yet taken
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 2) == MV_STATUS_OKAY);
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 3) == MV_STATUS_OKAY);
    CHECK(r.host.pended.size() == 1);
    CHECK(r.slot_untouched(kRing, 1));
    // Taking another line changes nothing.
    r.backend.irq_taken(kIrq + 1);
    CHECK(r.host.pended.size() == 1);
    // The CPU takes the line: the next record is written and pended at the
    // same instant, without the clock moving (the board's exception entry).
    r.host.busy[kIrq] = false;
    r.backend.irq_taken(kIrq);
    CHECK(r.host.pended.size() == 2);
    CHECK(r.record(kRing, 1).tag == 2u);
    CHECK(r.slot_untouched(kRing, 2));  // one record per interrupt
    r.backend.irq_taken(kIrq);
    CHECK(r.record(kRing, 2).tag == 3u);
    CHECK(r.host.pended.size() == 3);
    // Nothing is left queued, so no re-check stays armed.
    CHECK(r.backend.scheduler().pending() == 0);
}

TEST_CASE("a line left pending is re-checked although no interrupt is taken", "[notifications]") {
    // The guest may clear the pending bit (NVIC_ICPR) or disable the line
    // instead of taking it: the queued record still goes out, later.
    Profile p;
    p.delivery_gap_us = 0;
    Centers r(p);
    uint32_t h = r.open();
    r.host.busy[kIrq] = true;
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    CHECK(r.host.pended.empty());
    r.host.busy[kIrq] = false;
    r.advance_to(999'999);
    CHECK(r.host.pended.empty());
    r.advance_to(1'000'000);
    CHECK(r.host.pended.size() == 1);
    CHECK(r.record(kRing, 0).tag == 1u);
}

TEST_CASE("with a gap set, a taken interrupt still waits for the gap", "[notifications]") {
    Centers r;  // gap 100 us
    uint32_t h = r.open();
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 1) == MV_STATUS_OKAY);
    REQUIRE(r.trigger(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 2) == MV_STATUS_OKAY);
    r.host.now_ns = kGapNs / 2;
    r.backend.irq_taken(kIrq);
    CHECK(r.host.pended.size() == 1);
    CHECK(r.host.deadline == kGapNs);
    r.advance_to(kGapNs);
    CHECK(r.host.pended.size() == 2);
}
