// Record and replay (plugin/src/replay/): the recording's lines read back
// as written, a recorded backend's effects replayed onto a second machine,
// and a replay that parts from its recording stopped with status 120.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstring>
#include <fstream>

#include "backend_rig.h"
#include "replay/recorder.h"
#include "replay/replayer.h"
#include "temp_dir.h"

namespace R = mvemu::replay;
using Effect = R::Effect;
using Kind = R::Trigger::Kind;

namespace {

R::Trigger every_effect() {
    R::Trigger t{Kind::syscall};
    t.ns = 123456789;
    t.seq = 42;
    t.entry = 7;
    t.status = 3;
    t.effects = {
        {Effect::Kind::mem_write, 0x20000100, 1, 0, {0x00, 0xff, 0x7f}, {}},
        {Effect::Kind::cpu_write, 0xE000E100, 0, 0, {1, 2, 3, 4}, {}},
        {Effect::Kind::irq_pend, 51},
        {Effect::Kind::cpu_halt},
        {Effect::Kind::flash_program, 0x08000000, 0, 0, {0xaa}, {}},
        {Effect::Kind::periph_poke, 0x46020C00, 0xff00, 0x0f00, {}, {}},
        {Effect::Kind::request_reset},
        {Effect::Kind::request_exit, 5},
        {Effect::Kind::log, 1, 0, 0, {}, "quote \" backslash \\ tab \t \xc3\xa9"},
        {Effect::Kind::board_input, 0, 0, 0, {}, "gpio-set PC13 high"},
    };
    return t;
}

}  // namespace

TEST_CASE("a trigger line reads back as it was written", "[replay][format]") {
    R::Trigger t = every_effect();
    std::string error;
    auto back = R::parse_line(R::to_line(t), error);
    REQUIRE(back);
    CHECK(error.empty());
    CHECK(back->kind == t.kind);
    CHECK(back->ns == t.ns);
    CHECK(back->seq == t.seq);
    CHECK(back->entry == t.entry);
    CHECK(back->status == t.status);
    REQUIRE(back->effects.size() == t.effects.size());
    for (size_t i = 0; i < t.effects.size(); i++) {
        INFO("effect " << i);
        CHECK(back->effects[i].kind == t.effects[i].kind);
        CHECK(back->effects[i].address == t.effects[i].address);
        CHECK(back->effects[i].mask == t.effects[i].mask);
        CHECK(back->effects[i].xorvalue == t.effects[i].xorvalue);
        CHECK(back->effects[i].bytes == t.effects[i].bytes);
        CHECK(back->effects[i].text == t.effects[i].text);
    }
    R::Trigger warp{Kind::warp};
    warp.ns = 99;
    warp.delta_ns = 1000000;
    auto w = R::parse_line(R::to_line(warp), error);
    REQUIRE(w);
    CHECK(w->kind == Kind::warp);
    CHECK(w->ns == 99);
    CHECK(w->delta_ns == 1000000);
}

TEST_CASE("lines that are not triggers are refused with a reason", "[replay][format]") {
    for (const char* line : {"garbage", "{}", "{\"t\":\"S\"}", "{\"t\":\"Y\",\"ns\":1}",
                             "{\"t\":\"S\",\"ns\":1,\"fx\":[{\"k\":\"W\",\"a\":1,\"b\":\"abc\"}]}",
                             "{\"t\":\"S\",\"ns\":1,\"fx\":[{\"k\":\"W\",\"a\":1,\"b\":\"zz\"}]}",
                             "{\"t\":\"S\",\"ns\":1,\"fx\":[{\"k\":\"?\"}]}"}) {
        INFO(line);
        std::string error;
        CHECK_FALSE(R::parse_line(line, error));
        CHECK_FALSE(error.empty());
    }
    std::string error;
    CHECK(R::parse_header(R::header_line("seed=1 shift=3"), error));
    CHECK_FALSE(R::parse_header("{\"mvemu_recording\":2}", error));
    CHECK_FALSE(R::parse_header("{\"t\":\"S\",\"ns\":1}", error));
}

TEST_CASE("a recorded run replays onto another machine, and a different call diverges",
          "[replay]") {
    TempDir dir;
    std::string path = (dir.path() / "run.rec").string();
    FakeHost board;
    {
        std::string error;
        R::Recorder recorder(board, path, "seed=1 shift=3", error);
        REQUIRE(error.empty());
        mvemu::Backend backend(recorder, mvemu::Profile{});
        recorder.end();  // creation
        auto call = [&](uint32_t s, uint32_t a0, uint32_t a1) {
            recorder.begin(Kind::syscall, s);
            auto status = backend.syscall(s, mvemu::CallArgs{{a0, a1, 0, 0}, false});
            recorder.end(status);
            board.now_ns += 1000;
            return status;
        };
        CHECK(call(slot::mvGetDeviceId, kScratch, 34) == MV_STATUS_OKAY);
        CHECK(call(slot::mvGetDeviceId, kScratch, 33) == MV_STATUS_INVALIDBUFFERSIZE);
        CHECK(recorder.warp(5000, 250000) == 250000);
        recorder.finish();
    }
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    char recorded_id[34];
    REQUIRE(board.mem_read(kScratch, recorded_id, sizeof recorded_id, false));

    SECTION("the same calls get the recorded statuses and bytes") {
        FakeHost other;
        std::string error;
        R::Replayer replayer(other, path, error);
        REQUIRE(error.empty());
        mvemu::CallArgs first{{kScratch, 34, 0, 0}, false};
        CHECK(replayer.syscall(slot::mvGetDeviceId, first) == MV_STATUS_OKAY);
        char replayed_id[34];
        REQUIRE(other.mem_read(kScratch, replayed_id, sizeof replayed_id, false));
        CHECK(std::memcmp(recorded_id, replayed_id, sizeof recorded_id) == 0);
        other.now_ns += 1000;
        mvemu::CallArgs second{{kScratch, 33, 0, 0}, false};
        CHECK(replayer.syscall(slot::mvGetDeviceId, second) == MV_STATUS_INVALIDBUFFERSIZE);
        // The clock jumps as it did; one the recording does not have is left alone.
        CHECK(replayer.clock_warp(5000, 1) == 250000);
        CHECK(replayer.clock_warp(5000, 777) == 777);
        CHECK_FALSE(other.exit_status);
    }
    SECTION("another call stops the replay with status 120") {
        FakeHost other;
        std::string error;
        R::Replayer replayer(other, path, error);
        REQUIRE(error.empty());
        CHECK(replayer.syscall(slot::mvGetMicroseconds, mvemu::CallArgs{{kScratch}, false}) ==
              MV_STATUS_UNAVAILABLE);
        REQUIRE(other.exit_status);
        CHECK(*other.exit_status == R::kDiverged);
        bool named = false;
        for (const auto& line : other.logs) {
            named = named || line.text.find("diverged") != std::string::npos;
        }
        CHECK(named);
    }
    SECTION("a file that is not a recording is refused") {
        FakeHost other;
        std::string error;
        R::Replayer replayer(other, dir.write("not.rec", "hello\n"), error);
        CHECK(error.find("not an mvemu recording") != std::string::npos);
    }
}
