// libFuzzer harness over the backend's system-call entry (docs/reliability.md).
//
// Each input is a fresh Backend on the unit tests' fake board (FakeHost) and
// a sequence of operations decoded from the bytes:
//   call     slot (from the ABI table), handler flag, four argument words,
//            each chosen from: small integers, raw words, enums around
//            their range, addresses into the guest's scratch area, the RAM
//            end, SRAM the application is not granted, Secure SRAM, flash,
//            peripheral and unmapped space, and handles earlier calls wrote
//            back (any word of the scratch area a call changed).
//   write    bytes into the scratch area (structures for the next call)
//   word     one argument-style word into the scratch area (nested pointers,
//            handles inside structures, a broken field)
//   deliver  advance the fake virtual clock, run the scheduler's due work
//            and drain the main-loop queue (notifications, network events)
//   settle   as deliver, after letting the backend's event-loop thread run
//   monitor  a monitor command (link up or down, update downloaded, queries)
// The board's reset (mvRestart, the wake from mvDeepSleep) is performed as
// QEMU would: Backend::reset() once the fake recorded the request.
// mvTestingComplete only records the exit. A finding is any crash, sanitizer
// report, uncaught exception (the fake throws on an irq_busy livelock) or
// hang.
//
// Nothing leaves the machine: the profile names no endpoint, every host name
// resolves to 127.0.0.1 without DNS and every IP connect() goes to
// 127.0.0.1:1 (the interposers below, which win over libc's for the
// libraries the backend uses: libmosquitto, libcurl, GLib).

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "backend_rig.h"

// ---- no real network --------------------------------------------------------

extern "C" int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                           struct addrinfo** res) {
    (void)node;
    (void)service;
    int family = hints && hints->ai_family == AF_INET6 ? AF_INET6 : AF_INET;
    auto* ai = static_cast<struct addrinfo*>(calloc(1, sizeof(struct addrinfo)));
    if (!ai) return EAI_MEMORY;
    ai->ai_family = family;
    ai->ai_socktype = hints && hints->ai_socktype ? hints->ai_socktype : SOCK_STREAM;
    ai->ai_protocol = hints ? hints->ai_protocol : 0;
    if (family == AF_INET6) {
        auto* sa = static_cast<sockaddr_in6*>(calloc(1, sizeof(sockaddr_in6)));
        if (!sa) { free(ai); return EAI_MEMORY; }
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(1);
        sa->sin6_addr = in6addr_loopback;
        ai->ai_addr = reinterpret_cast<sockaddr*>(sa);
        ai->ai_addrlen = sizeof(sockaddr_in6);
    } else {
        auto* sa = static_cast<sockaddr_in*>(calloc(1, sizeof(sockaddr_in)));
        if (!sa) { free(ai); return EAI_MEMORY; }
        sa->sin_family = AF_INET;
        sa->sin_port = htons(1);
        sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ai->ai_addr = reinterpret_cast<sockaddr*>(sa);
        ai->ai_addrlen = sizeof(sockaddr_in);
    }
    *res = ai;
    return 0;
}

extern "C" void freeaddrinfo(struct addrinfo* res) {
    while (res) {
        struct addrinfo* next = res->ai_next;
        free(res->ai_addr);
        free(res->ai_canonname);
        free(res);
        res = next;
    }
}

extern "C" int connect(int fd, const struct sockaddr* addr, socklen_t len) {
    if (addr && addr->sa_family == AF_INET) {
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(1);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return static_cast<int>(syscall(SYS_connect, fd, &sa, sizeof sa));
    }
    if (addr && addr->sa_family == AF_INET6) {
        sockaddr_in6 sa{};
        sa.sin6_family = AF_INET6;
        sa.sin6_port = htons(1);
        sa.sin6_addr = in6addr_loopback;
        return static_cast<int>(syscall(SYS_connect, fd, &sa, sizeof sa));
    }
    return static_cast<int>(syscall(SYS_connect, fd, addr, len));
}

// ---- the input --------------------------------------------------------------

namespace {

constexpr uint32_t kScratchBase = 0x20001000u;  // granule-aligned guest scratch
constexpr uint32_t kScratchSize = 0x10000u;     // offsets are 16 bits
constexpr size_t kMaxOps = 256;
constexpr size_t kMaxHandles = 64;
constexpr uint32_t kHarvestSize = 0x2000;   // out pointers for handles live here
constexpr int kMaxSettles = 8;              // host-thread waits per input (1 ms each)

constexpr uint32_t kSlots[] = {
#define MVEMU_FUZZ_SLOT(number, name, unavailable_in_handler) number,
    MVEMU_SYSCALLS(MVEMU_FUZZ_SLOT)
#undef MVEMU_FUZZ_SLOT
};
constexpr uint32_t kSlotCount = sizeof(kSlots) / sizeof(kSlots[0]);

class Input {
public:
    Input(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
    bool empty() const { return p_ >= end_; }
    uint8_t u8() { return p_ < end_ ? *p_++ : 0; }
    uint16_t u16() { return uint16_t(u8() | u8() << 8); }
    uint32_t u32() { return uint32_t(u16()) | uint32_t(u16()) << 16; }

private:
    const uint8_t* p_;
    const uint8_t* end_;
};

enum Op : uint8_t { op_call, op_write, op_word, op_deliver, op_settle, op_monitor, op_count };

struct Harness {
    Rig rig;
    std::vector<uint32_t> handles;
    int resets_seen = 0;
    int settles = 0;

    explicit Harness(mvemu::Profile profile) : rig(std::move(profile)) {}

    // One argument word (the encoding the generator in gen_corpus.py writes).
    uint32_t arg(Input& in) {
        uint8_t kind = in.u8();
        switch (kind % 12) {
        case 0: return in.u8();                                   // small integer
        case 1: return in.u32();                                  // any word
        case 2: return kScratchBase + in.u16();                   // valid scratch
        case 3: return uint32_t(int32_t(int8_t(in.u8())));        // enum around 0, -1...
        case 4: return kRamEnd - in.u8();                         // straddles the RAM end
        case 5: return FakeHost::kSram3Base + in.u16();           // SRAM not granted
        case 6: return MVEMU_SRAM_S_BASE + in.u16();              // Secure SRAM
        case 7: return kFlashBase + in.u16();                     // flash (read-only)
        case 8: return MVEMU_PERIPH_NS_BASE + uint32_t(in.u16()) * 4;  // peripherals
        case 9: return 0xA0000000u + in.u16();                    // unmapped
        case 10: {                                                // an earlier handle
            uint8_t i = in.u8();
            return handles.empty() ? 0 : handles[i % handles.size()] ^ (i >= 0xF0 ? 1 : 0);
        }
        default: return kScratchBase + uint32_t(in.u8()) * 512;  // granule-aligned scratch
        }
    }

    void call(Input& in) {
        uint8_t s = in.u8();
        bool from_handler = s & 0x80;
        uint32_t slot = kSlots[(s & 0x7F) % kSlotCount];
        mvemu::CallArgs args{};
        for (auto& a : args.a) a = arg(in);
        args.from_handler = from_handler;
        std::vector<uint8_t> before = rig.host.peek_bytes(kScratchBase, kHarvestSize);
        rig.backend.syscall(slot, args);
        std::vector<uint8_t> after = rig.host.peek_bytes(kScratchBase, kHarvestSize);
        // Words the call wrote back: candidate handles for later calls.
        for (uint32_t off = 0; off + 4 <= kHarvestSize; off += 4) {
            if (std::memcmp(&before[off], &after[off], 4) != 0) {
                uint32_t w;
                std::memcpy(&w, &after[off], 4);
                if (w != 0 && handles.size() < kMaxHandles) handles.push_back(w);
            }
        }
        board();
    }

    // What the board does between instructions: a requested reset.
    void board() {
        if (rig.host.resets != resets_seen) {
            resets_seen = rig.host.resets;
            rig.backend.reset();
        }
    }

    void deliver(uint8_t step) {
        // 0 .. ~65 s of virtual time, finely graded at the low end.
        rig.host.now_ns += int64_t(step) * step * 1000000;
        rig.backend.timer_expired();
        rig.backend.main_loop_poll();
        board();
    }

    void run(Input& in) {
        for (size_t n = 0; n < kMaxOps && !in.empty(); n++) {
            switch (in.u8() % op_count) {
            case op_call: call(in); break;
            case op_write: {
                uint16_t off = in.u16();
                uint8_t len = in.u8();
                for (uint32_t i = 0; i < len; i++) {
                    uint8_t b = in.u8();
                    rig.host.poke_bytes(kScratchBase + uint16_t(off + i), &b, 1);
                }
                break;
            }
            case op_word: {
                uint16_t off = in.u16() & 0xFFFC;
                rig.host.write_u32(kScratchBase + off, arg(in));
                break;
            }
            case op_deliver: deliver(in.u8()); break;
            case op_settle: {
                // Let the event-loop thread finish host socket work (a refused
                // connect, a closed socket) for at most 1 ms, then deliver.
                int wakes = rig.host.wakes.load();
                for (int i = 0; settles < kMaxSettles && i < 10 && rig.host.wakes.load() == wakes; i++) {
                    std::this_thread::sleep_for(std::chrono::microseconds(100));
                }
                settles++;
                deliver(in.u8());
                break;
            }
            case op_monitor: {
                switch (in.u8() % 5) {
                case 0: rig.backend.monitor("link-set", R"({"up": false})"); break;
                case 1: rig.backend.monitor("link-set", R"({"up": true})"); break;
                case 2: rig.backend.monitor("update-downloaded", ""); break;
                case 3: rig.backend.monitor("query-network", ""); break;
                default: rig.backend.monitor("query-device", ""); break;
                }
                board();
                break;
            }
            }
        }
    }
};

mvemu::Profile fuzz_profile() {
    mvemu::Profile p;
    p.wall_clock = mvemu::WallClock::fixed;
    p.wall_clock_start_us = 1700000000000000;
    p.bring_up_ms = 10;
    p.config_latency_ms = 5;
    p.deep_sleep_ms = 1000;
    p.external_flash_size = 64u << 10;  // small: erase and read stay cheap
    p.max_opens_per_second = 0;
    p.outages = {{50, 20}};
    // Every host name the application may use goes to 127.0.0.1:1 anyway
    // (getaddrinfo above); these two are the names the examples use.
    p.hosts["mqtt.example.com"] = {"127.0.0.1", 1};
    p.hosts["example.com"] = {"127.0.0.1", 1};
    p.mqtt_plain_tcp = true;
    mvemu::ConfigItem item;
    item.value = mvemu::WipedBytes(std::string_view("value"));
    p.config_store.put(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "key", item);
    p.config_store.put(MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_SECRET, "secret",
                       item);
    mvemu::ConfigItem broken;
    broken.server_error = true;
    p.config_store.put(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "broken",
                       broken);
    p.wifi_ssid = "fuzz";
    p.wifi_password = mvemu::WipedBytes(std::string_view("password"));
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const mvemu::Profile profile = fuzz_profile();
    auto h = std::make_unique<Harness>(profile);
    Input in(data, size);
    h->run(in);
    return 0;
}
