// MainQueue (backend threads -> QEMU main loop) and EventLoop (the backend's
// own GLib thread). Every wait is bounded: a lost wake-up fails the test
// after 5 s instead of hanging it.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "event_loop.h"
#include "fake_host.h"
#include "main_queue.h"

using mvemu::EventLoop;
using mvemu::MainQueue;
using namespace std::chrono_literals;

namespace {

constexpr auto kTimeout = 5s;

template <typename T>
bool ready_in_time(std::future<T>& f) {
    return f.wait_for(kTimeout) == std::future_status::ready;
}

// A pipe closed at the end of the test.
struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() { REQUIRE(pipe(fd) == 0); }
    ~Pipe() {
        close(fd[0]);
        close(fd[1]);
    }
    void put(char c) { REQUIRE(write(fd[1], &c, 1) == 1); }
};

}  // namespace

TEST_CASE("posting from another thread wakes the main loop once per empty->non-empty transition",
          "[main_queue]") {
    FakeHost host;
    MainQueue queue(host);
    std::vector<int> ran;  // touched only by drain(), on this thread

    std::thread producer([&] {
        for (int i = 1; i <= 3; i++) {
            queue.post([&ran, i] { ran.push_back(i); });
        }
    });
    producer.join();
    CHECK(host.wakes == 1);  // one wake for three items
    CHECK(ran.empty());      // nothing runs before the main loop drains

    CHECK(queue.drain() == 3);
    CHECK(ran == std::vector<int>{1, 2, 3});
    CHECK(queue.drain() == 0);

    // Empty again: the next post needs a new wake.
    std::thread([&] { queue.post([&ran] { ran.push_back(4); }); }).join();
    CHECK(host.wakes == 2);
    CHECK(queue.drain() == 1);
    CHECK(ran == std::vector<int>{1, 2, 3, 4});
}

TEST_CASE("work posted while draining runs in the next drain, after a new wake", "[main_queue]") {
    FakeHost host;
    MainQueue queue(host);
    std::vector<int> ran;
    queue.post([&] {
        ran.push_back(1);
        queue.post([&] { ran.push_back(2); });
    });
    CHECK(host.wakes == 1);
    CHECK(queue.drain() == 1);
    CHECK(ran == std::vector<int>{1});
    CHECK(host.wakes == 2);  // otherwise item 2 could sit unnoticed
    CHECK(queue.drain() == 1);
    CHECK(ran == std::vector<int>{1, 2});
}

TEST_CASE("clear drops queued work; later posts still wake and run", "[main_queue]") {
    FakeHost host;
    MainQueue queue(host);
    int ran = 0;
    queue.post([&] { ran += 1; });
    queue.post([&] { ran += 10; });
    queue.clear();
    CHECK(queue.drain() == 0);
    CHECK(ran == 0);
    queue.post([&] { ran += 100; });
    CHECK(host.wakes == 2);
    CHECK(queue.drain() == 1);
    CHECK(ran == 100);
}

TEST_CASE("items from a concurrent producer all run, in posting order", "[main_queue]") {
    FakeHost host;
    MainQueue queue(host);
    constexpr int kItems = 20000;
    std::vector<int> ran;
    ran.reserve(kItems);

    std::thread producer([&] {
        for (int i = 0; i < kItems; i++) {
            queue.post([&ran, i] { ran.push_back(i); });
        }
    });
    // Drain concurrently until everything arrived or time is up.
    auto give_up = std::chrono::steady_clock::now() + kTimeout;
    while (ran.size() < kItems && std::chrono::steady_clock::now() < give_up) {
        if (queue.drain() == 0) {
            std::this_thread::yield();
        }
    }
    producer.join();
    queue.drain();

    REQUIRE(ran.size() == kItems);
    bool in_order = true;
    for (int i = 0; i < kItems; i++) {
        in_order = in_order && ran[i] == i;
    }
    CHECK(in_order);
    // At least one wake; never more than one per item.
    CHECK(host.wakes >= 1);
    CHECK(host.wakes <= kItems);
}

TEST_CASE("EventLoop::invoke runs the function on the loop thread", "[event_loop]") {
    EventLoop loop;
    CHECK_FALSE(loop.on_loop_thread());

    std::promise<std::pair<bool, std::thread::id>> where;
    auto result = where.get_future();
    loop.invoke([&] { where.set_value({loop.on_loop_thread(), std::this_thread::get_id()}); });
    REQUIRE(ready_in_time(result));
    auto [on_loop, id] = result.get();
    CHECK(on_loop);
    CHECK(id != std::this_thread::get_id());
}

TEST_CASE("EventLoop::invoke from several threads runs every function", "[event_loop]") {
    EventLoop loop;
    constexpr int kPerThread = 200;
    std::atomic<int> count{0};
    std::promise<void> all_done;
    auto done = all_done.get_future();
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; t++) {
        threads.emplace_back([&] {
            for (int i = 0; i < kPerThread; i++) {
                loop.invoke([&] {
                    if (++count == 4 * kPerThread) all_done.set_value();
                });
            }
        });
    }
    for (auto& t : threads) t.join();
    REQUIRE(ready_in_time(done));
    CHECK(count == 4 * kPerThread);
}

TEST_CASE("EventLoop::watch_fd reports a readable pipe on the loop thread", "[event_loop]") {
    Pipe p;  // outlives the loop: a watched fd must not be closed under it
    EventLoop loop;
    std::atomic<int> calls{0};
    std::promise<std::pair<char, bool>> got;
    auto result = got.get_future();
    guint id = loop.watch_fd(p.fd[0], G_IO_IN, [&](GIOCondition cond) {
        char c = 0;
        if (read(p.fd[0], &c, 1) != 1) c = '?';
        if (++calls == 1) {
            got.set_value({c, (cond & G_IO_IN) != 0 && loop.on_loop_thread()});
        }
        return false;  // one shot
    });
    CHECK(id != 0);
    p.put('x');
    REQUIRE(ready_in_time(result));
    auto [c, readable_on_loop] = result.get();
    CHECK(c == 'x');
    CHECK(readable_on_loop);

    // Returning false removed the watch. A ready fd source outranks an idle
    // one in GLib, so had the watch survived, it would run before the marker.
    p.put('y');
    std::promise<int> marker;
    auto calls_at_marker = marker.get_future();
    loop.invoke([&] { marker.set_value(calls.load()); });
    REQUIRE(ready_in_time(calls_at_marker));
    CHECK(calls_at_marker.get() == 1);
}

TEST_CASE("EventLoop::watch_fd keeps watching while the callback returns true", "[event_loop]") {
    Pipe p;  // outlives the loop: a watched fd must not be closed under it
    std::vector<std::promise<char>> got(3);
    std::atomic<int> n{0};
    EventLoop loop;
    loop.watch_fd(p.fd[0], G_IO_IN, [&](GIOCondition) {
        char c = 0;
        if (read(p.fd[0], &c, 1) != 1) {
            return false;  // error or end of file: stop, or the loop would spin
        }
        if (n < 3) {
            got[n++].set_value(c);
        }
        return true;
    });
    const char text[] = "abc";
    for (int i = 0; i < 3; i++) {
        auto f = got[i].get_future();
        p.put(text[i]);
        REQUIRE(ready_in_time(f));
        CHECK(f.get() == text[i]);
    }
}

TEST_CASE("destroying the EventLoop joins its thread and frees pending callbacks", "[event_loop]") {
    Pipe p;
    auto token = std::make_shared<int>(0);
    auto loop = std::make_unique<EventLoop>();
    // Still watching (never readable) when the loop goes away.
    loop->watch_fd(p.fd[0], G_IO_IN, [token](GIOCondition) { return true; });
    std::promise<void> ran;
    auto ran_f = ran.get_future();
    loop->invoke([&] { ran.set_value(); });
    REQUIRE(ready_in_time(ran_f));
    CHECK(token.use_count() == 2);

    // Destroy on a helper thread so a hang in the destructor fails the test;
    // the state it touches is shared so that giving up on it stays safe.
    struct Teardown {
        std::unique_ptr<EventLoop> loop;
        std::promise<void> destroyed;
    };
    auto td = std::make_shared<Teardown>();
    td->loop = std::move(loop);
    auto destroyed_f = td->destroyed.get_future();
    std::thread destroyer([td] {
        td->loop.reset();
        td->destroyed.set_value();
    });
    bool joined = ready_in_time(destroyed_f);
    if (joined) {
        destroyer.join();
    } else {
        destroyer.detach();  // let the process end; the failure below says why
    }
    REQUIRE(joined);
    CHECK(token.use_count() == 1);  // the watch's callback was released
}
