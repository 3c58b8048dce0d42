// Microvisor's device calls on a fake board: system LED, power save and
// deep sleep, updates, fast interrupts, external flash, Wi-Fi.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "backend_rig.h"

using mvemu::LogLevel;
using mvemu::Profile;

namespace {

constexpr uint32_t kHandle = 0x20000200u;
constexpr uint32_t kBuf = 0x20001000u;
constexpr uint32_t kStruct = 0x20000300u;

uint32_t open_flash(Rig& r) {
    REQUIRE(r.call(slot::mvExternalFlashOpen, kHandle) == MV_STATUS_OKAY);
    return r.host.read_u32(kHandle);
}

}  // namespace

TEST_CASE("mvSystemLedEnable: 0 and 1, a line per change, reserved values refused", "[device]") {
    Rig r;
    CHECK(r.call(slot::mvSystemLedEnable, 2) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvSystemLedEnable, 1) == MV_STATUS_OKAY);
    CHECK(r.host.count_logs(LogLevel::info, "system LED") == 0);  // already on
    CHECK(r.call(slot::mvSystemLedEnable, 0) == MV_STATUS_OKAY);
    CHECK(r.call(slot::mvSystemLedEnable, 0) == MV_STATUS_OKAY);
    CHECK(r.host.count_logs(LogLevel::info, "system LED: off") == 1);
    CHECK_FALSE(r.backend.device().led_on);
    CHECK(r.call_from_handler(slot::mvSystemLedEnable, 1) == MV_STATUS_UNAVAILABLE);
    r.backend.reset();  // every boot starts with the LED on
    CHECK(r.backend.device().led_on);
    CHECK(r.host.count_logs(LogLevel::info, "system LED: on") == 1);
}

TEST_CASE("mvPowerSave halts the CPU; deeper modes refused while the network is held",
          "[device]") {
    Rig r;
    CHECK(r.call(slot::mvPowerSave, MV_POWERSAVINGMODE_STOP3 + 1) == MV_STATUS_PARAMETERFAULT);
    CHECK(r.host.halts == 0);
    CHECK(r.call(slot::mvPowerSave, 0x100 | MV_POWERSAVINGMODE_STOP0) == MV_STATUS_OKAY);  // 1 byte
    CHECK(r.host.halts == 1);
    CHECK(r.call_from_handler(slot::mvPowerSave, 0) == MV_STATUS_UNAVAILABLE);
}

TEST_CASE("mvDeepSleep resets, stays halted for the profile's time, wakes with its reason",
          "[device]") {
    Profile p;
    p.deep_sleep_ms = 1500;
    Rig r(p);
    CHECK(r.call(slot::mvDeepSleep, 2) == MV_STATUS_PARAMETERFAULT);
    REQUIRE(r.call(slot::mvDeepSleep, MV_DEEPSLEEPMODE_STANDBY) == MV_STATUS_OKAY);
    CHECK(r.host.resets == 1);
    CHECK(r.host.halts == 1);
    r.backend.reset();  // the sleeping reset: halted again, a wake-up armed
    CHECK(r.host.halts == 2);
    CHECK(r.backend.device().deep_sleeping);
    r.host.now_ns = 1499999999;
    r.backend.timer_expired();
    CHECK(r.host.resets == 1);
    r.host.now_ns = 1500000000;
    r.backend.timer_expired();
    CHECK(r.host.resets == 2);
    r.backend.reset();
    CHECK(r.backend.wake_reason() == MV_WAKEREASON_DEEPSLEEPCHECKIN);
    CHECK(r.host.halts == 2);
    CHECK_FALSE(r.backend.device().deep_sleeping);
}

TEST_CASE("an update downloaded is posted to UPDATE subscriptions and applied by mvRestart",
          "[device]") {
    Rig r;
    // A center and an UPDATE subscription.
    r.host.write_u32(kStruct, 41);
    r.host.write_u32(kStruct + 4, 0x20002000u);
    r.host.write_u32(kStruct + 8, 64);
    REQUIRE(r.call(slot::mvSetupNotifications, kStruct, kHandle) == MV_STATUS_OKAY);
    uint32_t center = r.host.read_u32(kHandle);
    r.host.write_u32(kStruct + 16, center);
    r.host.write_u32(kStruct + 20, 77);
    r.host.write_u32(kStruct + 24, MV_SYSTEMNOTIFICATIONSOURCE_UPDATE);
    REQUIRE(r.call(slot::mvOpenSystemNotification, kStruct + 16, kHandle + 4) == MV_STATUS_OKAY);

    r.backend.update_downloaded(std::nullopt);
    r.host.now_ns += 1000000;
    r.backend.timer_expired();
    CHECK(r.host.read_u32(0x20002000u + 8) == MV_EVENTTYPE_UPDATEDOWNLOADED);
    CHECK(r.host.read_u32(0x20002000u + 12) == 77);

    REQUIRE(r.call(slot::mvRestart, MV_RESTARTMODE_AUTOAPPLYUPDATE) == MV_STATUS_OKAY);
    r.backend.reset();
    CHECK(r.backend.wake_reason() == MV_WAKEREASON_APPLICATIONUPDATE);
    CHECK_FALSE(r.backend.device().update_downloaded);
    CHECK(r.host.count_logs(LogLevel::info, "update applied (the same firmware)") == 1);
    CHECK(r.host.flash_programs == 0);
}

TEST_CASE("an update image must be an ARM ELF for the application's flash", "[device]") {
    std::string error;
    CHECK_FALSE(mvemu::UpdateImage::load("/nonexistent.elf", error));
    CHECK(error.find("cannot open") != std::string::npos);
    auto path = std::filesystem::temp_directory_path() / "mvemu-unit-not-elf.bin";
    std::ofstream(path) << "not an elf file, just text that is long enough to be read as one";
    CHECK_FALSE(mvemu::UpdateImage::load(path.string(), error));
    CHECK(error.find("not an ELF") != std::string::npos);
    std::filesystem::remove(path);
}

TEST_CASE("external flash: open limit, info, ranges, alignment, NOR programming", "[device]") {
    Rig r;
    CHECK(r.call(slot::mvExternalFlashOpen, kFlashBase) == MV_STATUS_PARAMETERFAULT);
    uint32_t h = open_flash(r);
    CHECK(h != 0);
    for (uint32_t i = 1; i < 32; i++) {
        REQUIRE(r.call(slot::mvExternalFlashOpen, kHandle + 4) == MV_STATUS_OKAY);
    }
    CHECK(r.call(slot::mvExternalFlashOpen, kHandle + 4) == MV_STATUS_TOOMANYCHANNELS);

    r.host.write_u32(kStruct, 1);
    REQUIRE(r.call(slot::mvExternalFlashGetInfo, h, kStruct) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kStruct + 4) == 0x00C22817u);
    CHECK(r.host.read_u32(kStruct + 8) == 8u << 20);
    CHECK(r.host.read_u32(kStruct + 12) == 32);
    r.host.write_u32(kStruct, 0);
    CHECK(r.call(slot::mvExternalFlashGetInfo, h, kStruct) ==
          MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    CHECK(r.call(slot::mvExternalFlashGetInfo, h + 1, kStruct) == MV_STATUS_INVALIDHANDLE);

    const uint32_t size = 8u << 20;
    CHECK(r.call(slot::mvExternalFlashReadBlocking, h, size - 2, 4, kBuf) ==
          MV_STATUS_ADDRESSOUTOFRANGE);
    CHECK(r.call(slot::mvExternalFlashReadBlocking, h, 0, 4, kFlashBase) ==
          MV_STATUS_PARAMETERFAULT);
    CHECK(r.call(slot::mvExternalFlashReadBlocking, 0, 0, 4, kBuf) == MV_STATUS_INVALIDHANDLE);
    CHECK(r.call(slot::mvExternalFlashEraseBlocking, h, 4096, 100) ==
          MV_STATUS_INVALIDBUFFERALIGNMENT);
    CHECK(r.call(slot::mvExternalFlashEraseBlocking, h, size, 4096) ==
          MV_STATUS_ADDRESSOUTOFRANGE);

    // Fresh: erased. Programming ANDs; erase restores 0xFF.
    REQUIRE(r.call(slot::mvExternalFlashReadBlocking, h, 100, 4, kBuf) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kBuf) == 0xFFFFFFFFu);
    r.host.write_u32(kBuf, 0x0F0F00FFu);
    REQUIRE(r.call(slot::mvExternalFlashWriteBlocking, h, 100, 4, kBuf) == MV_STATUS_OKAY);
    r.host.write_u32(kBuf, 0xFFFF0F0Fu);
    REQUIRE(r.call(slot::mvExternalFlashWriteBlocking, h, 100, 4, kBuf) == MV_STATUS_OKAY);
    REQUIRE(r.call(slot::mvExternalFlashReadBlocking, h, 100, 4, kBuf) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kBuf) == 0x0F0F000Fu);
    REQUIRE(r.call(slot::mvExternalFlashEraseBlocking, h, 0, 4096) == MV_STATUS_OKAY);
    REQUIRE(r.call(slot::mvExternalFlashReadBlocking, h, 100, 4, kBuf) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kBuf) == 0xFFFFFFFFu);

    // Contents outlive a reset; handles do not.
    r.host.write_u32(kBuf, 0x12345678u);
    REQUIRE(r.call(slot::mvExternalFlashWriteBlocking, h, 8192, 4, kBuf) == MV_STATUS_OKAY);
    r.backend.reset();
    CHECK(r.call(slot::mvExternalFlashReadBlocking, h, 8192, 4, kBuf) == MV_STATUS_INVALIDHANDLE);
    h = open_flash(r);
    REQUIRE(r.call(slot::mvExternalFlashReadBlocking, h, 8192, 4, kBuf) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kBuf) == 0x12345678u);
    CHECK(r.call(slot::mvExternalFlashClose, kHandle) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kHandle) == 0);
    CHECK(r.call(slot::mvExternalFlashClose, kHandle) == MV_STATUS_INVALIDHANDLE);
}

TEST_CASE("external flash backed by a file: created erased, written through, size checked",
          "[device]") {
    auto path = std::filesystem::temp_directory_path() / "mvemu-unit-xflash.bin";
    std::filesystem::remove(path);
    Profile p;
    p.external_flash_size = 8192;
    p.external_flash_file = path.string();
    {
        Rig r(p);
        std::string error;
        REQUIRE(r.backend.start(error));
        CHECK(std::filesystem::file_size(path) == 8192);
        uint32_t h = open_flash(r);
        r.host.write_u32(kBuf, 0xA5A5A5A5u);
        REQUIRE(r.call(slot::mvExternalFlashWriteBlocking, h, 4096, 4, kBuf) == MV_STATUS_OKAY);
    }
    {
        Rig r(p);
        std::string error;
        REQUIRE(r.backend.start(error));
        uint32_t h = open_flash(r);
        REQUIRE(r.call(slot::mvExternalFlashReadBlocking, h, 4092, 8, kBuf) == MV_STATUS_OKAY);
        CHECK(r.host.read_u32(kBuf) == 0xFFFFFFFFu);
        CHECK(r.host.read_u32(kBuf + 4) == 0xA5A5A5A5u);
    }
    p.external_flash_size = 4096;
    Rig r(p);
    std::string error;
    CHECK_FALSE(r.backend.start(error));
    CHECK(error.find("holds 8192 bytes") != std::string::npos);
    std::filesystem::remove(path);
}

TEST_CASE("fast interrupts: validation, enable, all-disable, priority saved and restored",
          "[device]") {
    Rig r;
    r.host.write_u32(kFlashBase + 4 * (16 + 45), kFlashBase + 0x201);  // a Thumb handler
    CHECK(r.call(slot::mvSetFastInterrupt, 125) == MV_STATUS_INVALIDINTERRUPT);
    CHECK(r.call(slot::mvEnableFastInterrupt, 45) == MV_STATUS_INVALIDINTERRUPT);
    CHECK(r.call(slot::mvSetFastInterrupt, 46) == MV_STATUS_INVALIDVECTOR);  // vector 0xFFFFFFFF
    r.host.vtor_ns = 0x30000000u;
    CHECK(r.call(slot::mvSetFastInterrupt, 45) == MV_STATUS_INVALIDVECTOR);
    r.host.vtor_ns = kFlashBase;
    r.host.nvic_priority[45] = 0xC0;
    REQUIRE(r.call(slot::mvSetFastInterrupt, 45) == MV_STATUS_OKAY);
    CHECK(r.host.nvic_priority[45] == 0);
    CHECK_FALSE(r.host.irq_enabled(45));
    REQUIRE(r.call(slot::mvEnableFastInterrupt, 45) == MV_STATUS_OKAY);
    CHECK(r.host.irq_enabled(45));
    REQUIRE(r.call(slot::mvDisableAllFastInterrupts) == MV_STATUS_OKAY);
    CHECK_FALSE(r.host.irq_enabled(45));
    REQUIRE(r.call(slot::mvEnableAllFastInterrupts) == MV_STATUS_OKAY);
    CHECK(r.host.irq_enabled(45));

    // A fast line takes no center.
    r.host.write_u32(kStruct, 45);
    r.host.write_u32(kStruct + 4, 0x20002000u);
    r.host.write_u32(kStruct + 8, 64);
    CHECK(r.call(slot::mvSetupNotifications, kStruct, kHandle) == MV_STATUS_INVALIDINTERRUPT);
    REQUIRE(r.call(slot::mvClearFastInterrupt, 45) == MV_STATUS_OKAY);
    CHECK(r.host.nvic_priority[45] == 0xC0);
    CHECK(r.call(slot::mvSetupNotifications, kStruct, kHandle) == MV_STATUS_OKAY);
    CHECK(r.call(slot::mvSetFastInterrupt, 45) == MV_STATUS_INVALIDINTERRUPT);  // a center's
}

TEST_CASE("Wi-Fi config: versions, limits, round trip, the password never logged", "[device]") {
    Rig r;
    const uint32_t ssid = r.host.put_string(0x20003000u, "home-net");
    const uint32_t pass = r.host.put_string(0x20003100u, "sekrit-password");
    auto set = [&](uint32_t version, uint8_t mode, uint32_t ssid_len, uint32_t pass_ptr) {
        r.host.write_u32(kStruct, version);
        r.host.fill(kStruct + 4, 4, 0);
        r.host.poke_bytes(kStruct + 4, &mode, 1);
        r.host.write_u32(kStruct + 8, ssid);
        r.host.write_u32(kStruct + 12, ssid_len);
        r.host.write_u32(kStruct + 16, pass_ptr);
        r.host.write_u32(kStruct + 20, 15);
        return r.call(slot::mvSetWifiConfig, kStruct);
    };
    CHECK(r.call(slot::mvSetWifiConfig, 0) == MV_STATUS_PARAMETERFAULT);
    CHECK(set(2, 0, 8, pass) == MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    CHECK(set(1, 2, 8, pass) == MV_STATUS_PARAMETERFAULT);
    CHECK(set(1, 0, 33, pass) == MV_STATUS_INPUTTOOLONG);
    CHECK(set(1, 0, 0, pass) == MV_STATUS_REQUIREDELEMENTMISSING);
    CHECK(set(1, 0, 8, 0x30000000u) == MV_STATUS_PARAMETERFAULT);
    REQUIRE(set(1, 0, 8, pass) == MV_STATUS_OKAY);
    for (const auto& line : r.host.logs) {
        CHECK(line.text.find("sekrit") == std::string::npos);
    }

    // Out: ssid buffer, its length, has_encryption.
    r.host.write_u32(kStruct + 32, 1);
    r.host.write_u32(kStruct + 36, kBuf);
    r.host.write_u32(kStruct + 40, 4);
    r.host.write_u32(kStruct + 44, kBuf + 64);
    r.host.write_u32(kStruct + 48, kBuf + 68);
    CHECK(r.call(slot::mvGetWifiConfig, kStruct + 32) == MV_STATUS_INVALIDBUFFERSIZE);
    r.host.write_u32(kStruct + 40, 32);
    REQUIRE(r.call(slot::mvGetWifiConfig, kStruct + 32) == MV_STATUS_OKAY);
    CHECK(r.host.read_string(kBuf, 8) == "home-net");
    CHECK(r.host.read_u32(kBuf + 64) == 8);
    CHECK(r.host.read_u8(kBuf + 68) == 1);
    r.backend.reset();  // stored with the device, not the boot
    REQUIRE(r.call(slot::mvGetWifiConfig, kStruct + 32) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kBuf + 64) == 8);
    CHECK(set(1, MV_WIFICONFIGMODE_CLEARNOW, 0, 0) == MV_STATUS_OKAY);
    REQUIRE(r.call(slot::mvGetWifiConfig, kStruct + 32) == MV_STATUS_OKAY);
    CHECK(r.host.read_u32(kBuf + 64) == 0);
    CHECK(r.host.read_u8(kBuf + 68) == 0);
}

TEST_CASE("mvTemporaryStructTest is served: UNAVAILABLE, no warning", "[device]") {
    Rig r;
    CHECK(r.call(slot::mvTemporaryStructTest) == MV_STATUS_UNAVAILABLE);
    CHECK(r.host.count_logs(LogLevel::warn, "not emulated") == 0);
}

TEST_CASE("external flash: only sectors that hold data take memory", "[device]") {
    Rig r;
    mvemu::ExternalFlash& f = r.backend.external_flash();
    CHECK(f.sectors_in_use() == 0);  // 8 MiB erased: nothing allocated
    CHECK(f.read(0, 4) == std::vector<uint8_t>(4, 0xFF));
    // A write across a sector boundary makes two sectors, reads back whole.
    uint32_t h = open_flash(r);
    const uint8_t data[] = {1, 2, 3, 4, 5, 6};
    r.host.poke_bytes(kBuf, data, sizeof data);
    REQUIRE(r.call(slot::mvExternalFlashWriteBlocking, h, 4093, sizeof data, kBuf) == MV_STATUS_OKAY);
    CHECK(f.sectors_in_use() == 2);
    CHECK(f.read(4092, 8) == std::vector<uint8_t>{0xFF, 1, 2, 3, 4, 5, 6, 0xFF});
    // Programming only clears bits.
    const uint8_t mask[] = {0xF0};
    r.host.poke_bytes(kBuf, mask, 1);
    REQUIRE(r.call(slot::mvExternalFlashWriteBlocking, h, 4093, 1, kBuf) == MV_STATUS_OKAY);
    CHECK(f.read(4093, 1) == std::vector<uint8_t>{0x00});
    // Erasing gives the memory back.
    REQUIRE(r.call(slot::mvExternalFlashEraseBlocking, h, 0, 4096) == MV_STATUS_OKAY);
    CHECK(f.sectors_in_use() == 1);
    CHECK(f.read(4092, 8) == std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xFF, 4, 5, 6, 0xFF});
}
