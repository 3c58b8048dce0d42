// mvPeriphPeek32 (slot 30) / mvPeriphPoke32 (slot 21): the application's
// access to RCC (and a read of FLASH ACR) through Microvisor (semantics.md
// section 9). Addresses are the Non-secure aliases the application names; the
// board decides what is reachable (the fake host routes RCC and FLASH_ACR).
#include <catch2/catch.hpp>

#include "backend_rig.h"

namespace {

constexpr uint32_t kRcc = 0x46020C00u;  // Non-secure alias
constexpr uint32_t kCR = 0x000, kCFGR1 = 0x01C, kPLL1CFGR = 0x028, kAHB2ENR1 = 0x08C,
                   kAPB3ENR = 0x0A8, kCCIPR1 = 0x0E0;
constexpr uint32_t kFlashAcr = 0x40022000u;
constexpr uint32_t kGpioA = 0x42020000u;

// RCC_CR bits (shared/abi/registers/rcc.md).
constexpr uint32_t MSISON = 1u << 0, MSIKERON = 1u << 1, MSIKON = 1u << 4, HSION = 1u << 8,
                   HSIKERON = 1u << 9, HSI48ON = 1u << 12, SHSION = 1u << 14, HSEON = 1u << 16,
                   CSSON = 1u << 19, PLL1ON = 1u << 24, PLL2ON = 1u << 26, PLL3ON = 1u << 28;

struct Periph : Rig {
    mvemu::Status peek(uint32_t reg, uint32_t out = kScratch) {
        return call(slot::mvPeriphPeek32, reg, out);
    }
    mvemu::Status poke(uint32_t reg, uint32_t mask, uint32_t xorvalue) {
        return call(slot::mvPeriphPoke32, reg, mask, xorvalue);
    }
};

}  // namespace

TEST_CASE("peek reads RCC registers through the secure alias", "[peripherals]") {
    Periph r;
    r.host.set_rcc(kCFGR1, 0x0000000Fu);
    r.host.set_rcc(kPLL1CFGR, 0x00010003u);
    r.host.set_rcc(0x3FC, 0xA5A5A5A5u);  // the block's last word
    r.host.write_u32(kScratch, 0);

    REQUIRE(r.peek(kRcc + kCFGR1) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kScratch) == 0x0000000Fu);
    REQUIRE(r.peek(kRcc + kPLL1CFGR) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kScratch) == 0x00010003u);
    REQUIRE(r.peek(kRcc + 0x3FC) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kScratch) == 0xA5A5A5A5u);
}

TEST_CASE("peek refuses unaligned and unsupported addresses", "[peripherals]") {
    Periph r;
    r.host.write_u32(kScratch, 0x12345678u);
    auto reg = GENERATE(kRcc + 2, kRcc + kCFGR1 + 1, kRcc + 0x400, kRcc - 4, kGpioA,
                        0x56020C00u /* the secure alias itself */, kFlashAcr + 4, 0u);
    INFO("register " << std::hex << reg);
    CHECK(r.peek(reg) == MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK(r.host.read_u32(kScratch) == 0x12345678u);
}

TEST_CASE("peek needs a writable, aligned output word", "[peripherals]") {
    Periph r;
    auto out = GENERATE(0u, kFlashBase + 0x10, kScratch + 2, kRamEnd - 2, 0x20080000u);
    INFO("output " << std::hex << out);
    CHECK(r.peek(kRcc + kCFGR1, out) == MV_STATUS_PARAMETERFAULT);
}

TEST_CASE("FLASH ACR can be peeked but not poked", "[peripherals]") {
    Periph r;
    r.host.write_u32(FakeHost::kFlashAcrSecure, 0x00000004u);  // LATENCY = 4 wait states
    REQUIRE(r.peek(kFlashAcr) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kScratch) == 0x00000004u);
    CHECK(r.poke(kFlashAcr, 0xF, 0x1) == MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK(r.host.read_u32(FakeHost::kFlashAcrSecure) == 0x00000004u);
}

TEST_CASE("poke computes new = (old & ~mask) ^ xorvalue (the SDK's APB3ENR example)",
          "[peripherals]") {
    Periph r;
    // bit 28 set, bit 1 set, bit 0 clear, plus an unrelated bit 5
    r.host.set_rcc(kAPB3ENR, (1u << 28) | (1u << 5) | (1u << 1));
    REQUIRE(r.poke(kRcc + kAPB3ENR, 0x3, 0x10000001u) == MV_STATUS_OKAY);
    uint32_t v = r.host.rcc(kAPB3ENR);
    CHECK((v & (1u << 28)) == 0);  // toggled (mask 0, xor 1)
    CHECK((v & (1u << 1)) == 0);   // cleared (mask 1, xor 0)
    CHECK((v & (1u << 0)) != 0);   // set (mask 1, xor 1)
    CHECK((v & (1u << 5)) != 0);   // untouched (mask 0, xor 0)
    CHECK(v == ((1u << 5) | (1u << 0)));

    // Again: bit 28 toggles back on; bits 1:0 are set to 01 again.
    REQUIRE(r.poke(kRcc + kAPB3ENR, 0x3, 0x10000001u) == MV_STATUS_OKAY);
    CHECK(r.host.rcc(kAPB3ENR) == ((1u << 28) | (1u << 5) | (1u << 0)));
}

TEST_CASE("the HAL's bit macros on an enable register", "[peripherals]") {
    Periph r;
    constexpr uint32_t GPIOAEN = 1u << 0, GPIOBEN = 1u << 1;
    r.host.set_rcc(kAHB2ENR1, GPIOBEN);
    // MV_SET_BIT(r, b) = poke(r, b, b)
    REQUIRE(r.poke(kRcc + kAHB2ENR1, GPIOAEN, GPIOAEN) == MV_STATUS_OKAY);
    CHECK(r.host.rcc(kAHB2ENR1) == (GPIOAEN | GPIOBEN));
    // MV_CLEAR_BIT(r, b) = poke(r, b, 0)
    REQUIRE(r.poke(kRcc + kAHB2ENR1, GPIOBEN, 0) == MV_STATUS_OKAY);
    CHECK(r.host.rcc(kAHB2ENR1) == GPIOAEN);
    // MV_WRITE_REG(r, v) = poke(r, ~0, v)
    REQUIRE(r.poke(kRcc + kCCIPR1, 0xFFFFFFFFu, 0x00000005u) == MV_STATUS_OKAY);
    CHECK(r.host.rcc(kCCIPR1) == 0x00000005u);
    // And the read-back peek the HAL does after enabling a clock.
    REQUIRE(r.peek(kRcc + kAHB2ENR1) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kScratch) == GPIOAEN);
}

TEST_CASE("a poke reaches the board as the application asked it", "[peripherals]") {
    // Which bits the application may change is the board's RCC model's policy
    // (firmware test basics-peripherals checks it on the board); the backend
    // passes mask and xorvalue through unchanged, once per call.
    Periph r;
    REQUIRE(r.poke(kRcc + kCR, PLL1ON | HSI48ON, HSI48ON) == MV_STATUS_OKAY);
    REQUIRE(r.host.pokes.size() == 1);
    CHECK(r.host.pokes[0].addr == kRcc + kCR);
    CHECK(r.host.pokes[0].mask == (PLL1ON | HSI48ON));
    CHECK(r.host.pokes[0].xorvalue == HSI48ON);
}

TEST_CASE("poke refuses unaligned and unsupported addresses and leaves registers alone",
          "[peripherals]") {
    Periph r;
    r.host.set_rcc(kAPB3ENR, 0);
    CHECK(r.poke(kRcc + kAPB3ENR + 1, 0xFFFFFFFFu, 1) == MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK(r.poke(kRcc + kAPB3ENR + 2, 0xFFFFFFFFu, 1) == MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK(r.poke(kGpioA, 0xFFFFFFFFu, 1) == MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK(r.poke(kRcc + 0x400, 0xFFFFFFFFu, 1) == MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK(r.poke(0x56020C00u + kAPB3ENR, 0xFFFFFFFFu, 1) == MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK(r.host.rcc(kAPB3ENR) == 0);
}
