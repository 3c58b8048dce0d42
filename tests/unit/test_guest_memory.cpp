// GuestMemory: which application pointers the backend accepts, and how it
// reads and writes through them (semantics.md section 10: RAM 0x20000000,
// 512 KiB; flash 0x08000000, 1 MiB).
#include <catch2/catch.hpp>

#include "fake_host.h"
#include "guest_memory.h"

using mvemu::GuestMemory;

namespace {

constexpr uint32_t kRam = FakeHost::kRamBase;
constexpr uint32_t kRamEnd = FakeHost::kRamBase + FakeHost::kRamSize;
constexpr uint32_t kFlash = FakeHost::kFlashBase;
constexpr uint32_t kFlashEnd = FakeHost::kFlashBase + FakeHost::kFlashSize;

}  // namespace

TEST_CASE("application RAM is readable and writable, to its last byte", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    CHECK(mem.writable(kRam, 4));
    CHECK(mem.readable(kRam, 4));
    CHECK(mem.writable(kRam, FakeHost::kRamSize));
    CHECK(mem.writable(kRamEnd - 1, 1));
    CHECK_FALSE(mem.writable(kRamEnd - 1, 2));  // straddles the end
    CHECK_FALSE(mem.writable(kRam - 1, 1));     // just below
    CHECK_FALSE(mem.readable(kRam - 4, 8));     // straddles the start
}

TEST_CASE("application flash is readable but not writable", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    CHECK(mem.readable(kFlash, 4));
    CHECK(mem.readable(kFlashEnd - 4, 4));
    CHECK_FALSE(mem.readable(kFlashEnd - 2, 4));
    CHECK_FALSE(mem.writable(kFlash, 4));
    CHECK_FALSE(mem.writable(kFlashEnd - 4, 4));

    // A rejected write never reaches the bus.
    host.write_u32(kFlash, 0x11223344);
    int writes = host.bus_writes;
    CHECK_FALSE(mem.write_u32(kFlash, 0xdeadbeef));
    CHECK(host.bus_writes == writes);
    CHECK(host.read_u32(kFlash) == 0x11223344);
    // ...but flash contents can be read.
    auto v = mem.read_u32(kFlash);
    REQUIRE(v.has_value());
    CHECK(*v == 0x11223344);
}

TEST_CASE("memory not granted to the application is refused although the bus has it",
          "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    // SRAM3 at 0x20080000 exists on the bus (the fake answers it) but
    // Microvisor does not give it to the application.
    CHECK_FALSE(mem.writable(0x20080000u, 4));
    CHECK_FALSE(mem.readable(0x20080000u, 4));
    CHECK_FALSE(mem.write_u32(0x20080000u, 1));
    CHECK(host.read_u32(0x20080000u) == 0);
    CHECK_FALSE(mem.read_u32(0x20080000u).has_value());

    // The secure alias of the same RAM.
    CHECK_FALSE(mem.writable(0x30000000u, 4));
    CHECK_FALSE(mem.readable(0x30000000u, 4));
    // Null and peripheral space.
    CHECK_FALSE(mem.readable(0, 4));
    CHECK_FALSE(mem.readable(0x40022000u, 4));
}

TEST_CASE("ranges that wrap around the 32-bit address space are rejected", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    CHECK_FALSE(mem.writable(0xFFFFFFF0u, 0x20));
    CHECK_FALSE(mem.readable(0xFFFFFFF0u, 0x20));
    // Would pass a check done in 32 bits: 0x20000010 + 0xFFFFFFF8 wraps to 0x20000008.
    CHECK_FALSE(mem.writable(kRam + 0x10, 0xFFFFFFF8u));
    CHECK_FALSE(mem.readable(kFlash + 0x10, 0xFFFFFFF8u));
    CHECK_FALSE(mem.read_bytes(kRam + 0x10, 0xFFFFFFF8u).has_value());
}

TEST_CASE("zero-length ranges", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    // An empty range ending exactly at the end of RAM is inside it (like a
    // one-past-the-end pointer); one byte further it is not.
    CHECK(mem.writable(kRamEnd, 0));
    CHECK_FALSE(mem.writable(kRamEnd + 1, 0));
    CHECK_FALSE(mem.writable(0, 0));  // null is never application memory

    // Empty reads and writes succeed without touching the bus.
    int reads = host.bus_reads, writes = host.bus_writes;
    auto empty = mem.read_bytes(kRamEnd, 0);
    REQUIRE(empty.has_value());
    CHECK(empty->empty());
    CHECK(mem.write_bytes(kRamEnd, "x", 0));
    CHECK(host.bus_reads == reads);
    CHECK(host.bus_writes == writes);
}

TEST_CASE("write_u32 and read_u32 need word alignment and are little-endian", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    host.fill(kRam, 16, 0xAA);

    CHECK(mem.write_u32(kRam + 4, 0x04030201u));
    CHECK(host.peek_bytes(kRam + 4, 4) == std::vector<uint8_t>{1, 2, 3, 4});
    CHECK(host.read_u8(kRam + 3) == 0xAA);  // neighbours untouched
    CHECK(host.read_u8(kRam + 8) == 0xAA);

    for (uint32_t off : {1u, 2u, 3u}) {
        INFO("offset " << off);
        CHECK_FALSE(mem.write_u32(kRam + off, 0));
        CHECK_FALSE(mem.read_u32(kRam + off).has_value());
    }
    CHECK(host.read_u32(kRam + 4) == 0x04030201u);

    auto v = mem.read_u32(kRam + 4);
    REQUIRE(v.has_value());
    CHECK(*v == 0x04030201u);
    CHECK_FALSE(mem.write_u32(kRamEnd - 2, 0));  // misaligned and straddling
    CHECK(mem.write_u32(kRamEnd - 4, 7));        // the last word
}

TEST_CASE("write_u64 needs word (not doubleword) alignment and the whole range", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    CHECK(mem.write_u64(kRam + 4, 0x0807060504030201ull));
    CHECK(host.peek_bytes(kRam + 4, 8) == std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(mem.write_u64(kRam + 16, 1));
    CHECK_FALSE(mem.write_u64(kRam + 2, 1));
    CHECK_FALSE(mem.write_u64(kRamEnd - 4, 1));  // aligned but straddles the end
    CHECK(mem.write_u64(kRamEnd - 8, 0xffffffffffffffffull));
    CHECK(host.read_u64(kRamEnd - 8) == 0xffffffffffffffffull);
}

TEST_CASE("write_u8 and write_bytes have no alignment rule", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    CHECK(mem.write_u8(kRam + 3, 0x5A));
    CHECK(host.read_u8(kRam + 3) == 0x5A);
    CHECK(mem.write_bytes(kRam + 5, "abc", 3));
    CHECK(host.read_string(kRam + 5, 3) == "abc");
    CHECK_FALSE(mem.write_u8(kFlash, 1));
    CHECK_FALSE(mem.write_bytes(kRamEnd - 2, "abc", 3));
}

TEST_CASE("read_struct decodes fields at their offsets", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    // An MvNotificationSetup-like block: u32, then u16 + u8s.
    const uint8_t raw[12] = {0x29, 0, 0, 0, 0x34, 0x12, 0xCD, 0xAB, 0x10, 0x20, 0x30, 0x40};
    host.poke_bytes(kRam + 0x40, raw, sizeof raw);

    auto s = mem.read_struct(kRam + 0x40, 12);
    REQUIRE(s.has_value());
    CHECK(s->u32(0) == 41u);
    CHECK(s->u32(4) == 0xABCD1234u);
    CHECK(s->u16(4) == 0x1234u);
    CHECK(s->u16(6) == 0xABCDu);
    CHECK(s->u8(8) == 0x10u);
    CHECK(s->u32(8) == 0x40302010u);
    // Fields outside the structure are a programming error, not garbage.
    CHECK_THROWS_AS(s->u32(10), std::out_of_range);
    CHECK_THROWS_AS(s->u8(12), std::out_of_range);
}

TEST_CASE("read_struct checks alignment and range", "[guest_memory]") {
    FakeHost host;
    GuestMemory mem(host);
    CHECK_FALSE(mem.read_struct(kRam + 2, 12).has_value());     // default alignment 4
    CHECK(mem.read_struct(kRam + 2, 12, 2).has_value());        // explicit alignment 2
    CHECK_FALSE(mem.read_struct(kRam + 4, 12, 8).has_value());  // explicit alignment 8
    CHECK_FALSE(mem.read_struct(kRamEnd - 8, 12).has_value());  // straddles the end
    CHECK_FALSE(mem.read_struct(0, 12).has_value());
    CHECK_FALSE(mem.read_struct(0x20080000u, 12).has_value());

    // Constant structures may live in flash.
    const uint8_t raw[4] = {1, 0, 0, 0};
    host.poke_bytes(kFlash + 0x100, raw, 4);
    auto s = mem.read_struct(kFlash + 0x100, 4);
    REQUIRE(s.has_value());
    CHECK(s->u32(0) == 1u);
}
