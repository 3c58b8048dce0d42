// Scheduler: work due at virtual times, one host timer armed at the earliest.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fake_host.h"
#include "scheduler.h"

using mvemu::Scheduler;

TEST_CASE("nothing runs before its deadline; due work runs in deadline order", "[scheduler]") {
    FakeHost host;
    Scheduler sched(host);
    std::vector<std::string> ran;
    sched.at(300, [&] { ran.push_back("c"); });
    sched.at(100, [&] { ran.push_back("a"); });
    sched.at(200, [&] { ran.push_back("b"); });

    host.now_ns = 99;
    sched.run_due();
    CHECK(ran.empty());
    CHECK(sched.pending() == 3);

    host.now_ns = 200;  // exactly at a deadline counts as due
    sched.run_due();
    CHECK(ran == std::vector<std::string>{"a", "b"});
    CHECK(sched.pending() == 1);

    host.now_ns = 1000;
    sched.run_due();
    CHECK(ran == std::vector<std::string>{"a", "b", "c"});
    CHECK(sched.pending() == 0);

    sched.run_due();  // each callback runs once
    CHECK(ran.size() == 3);
}

TEST_CASE("work with equal deadlines runs in the order it was scheduled", "[scheduler]") {
    FakeHost host;
    Scheduler sched(host);
    std::vector<int> ran;
    for (int i = 0; i < 5; i++) {
        sched.at(50, [&ran, i] { ran.push_back(i); });
    }
    host.now_ns = 50;
    sched.run_due();
    CHECK(ran == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("after() counts from the current virtual time", "[scheduler]") {
    FakeHost host;
    Scheduler sched(host);
    host.now_ns = 1000;
    bool ran = false;
    sched.after(500, [&] { ran = true; });
    CHECK(host.deadline == 1500);
    host.now_ns = 1499;
    sched.run_due();
    CHECK_FALSE(ran);
    host.now_ns = 1500;
    sched.run_due();
    CHECK(ran);
}

TEST_CASE("cancelled work never runs", "[scheduler]") {
    FakeHost host;
    Scheduler sched(host);
    std::vector<int> ran;
    auto a = sched.at(100, [&] { ran.push_back(1); });
    sched.at(100, [&] { ran.push_back(2); });  // same deadline: cancel must pick the right one
    auto c = sched.at(200, [&] { ran.push_back(3); });
    sched.cancel(a);
    sched.cancel(c);
    sched.cancel(c);       // twice: harmless
    sched.cancel(12345);   // never issued: harmless
    CHECK(sched.pending() == 1);
    host.now_ns = 1000;
    sched.run_due();
    CHECK(ran == std::vector<int>{2});
}

TEST_CASE("cancel_all drops everything", "[scheduler]") {
    FakeHost host;
    Scheduler sched(host);
    int ran = 0;
    sched.at(10, [&] { ran++; });
    sched.at(20, [&] { ran++; });
    sched.cancel_all();
    CHECK(sched.pending() == 0);
    CHECK(host.deadline == INT64_MAX);
    host.now_ns = 100;
    sched.run_due();
    CHECK(ran == 0);
}

TEST_CASE("the host timer is always armed at the earliest pending deadline", "[scheduler]") {
    FakeHost host;
    Scheduler sched(host);
    CHECK(host.deadline == FakeHost::kNeverArmed);  // nothing scheduled, nothing armed yet

    auto late = sched.at(500, [] {});
    CHECK(host.deadline == 500);
    auto early = sched.at(100, [] {});
    CHECK(host.deadline == 100);
    sched.at(300, [] {});
    CHECK(host.deadline == 100);  // a later deadline does not move the timer

    sched.cancel(early);
    CHECK(host.deadline == 300);
    host.now_ns = 300;
    sched.run_due();
    CHECK(host.deadline == 500);
    sched.cancel(late);
    CHECK(host.deadline == INT64_MAX);  // nothing pending
}

TEST_CASE("run_due re-arms the timer even when the deadline did not change", "[scheduler]") {
    // The host timer is one-shot: after it fired it must be armed again.
    FakeHost host;
    Scheduler sched(host);
    sched.at(100, [] {});
    host.now_ns = 50;  // fired early (nothing due)
    int calls = host.deadline_calls;
    sched.run_due();
    CHECK(host.deadline_calls == calls + 1);
    CHECK(host.deadline == 100);
}

TEST_CASE("callbacks may schedule more work", "[scheduler]") {
    FakeHost host;
    Scheduler sched(host);
    std::vector<std::string> ran;
    host.now_ns = 100;
    sched.at(100, [&] {
        ran.push_back("first");
        // Already due: runs in this same pass.
        sched.at(host.clock_ns(), [&] { ran.push_back("due now"); });
        // In the future: waits, and the timer is armed for it.
        sched.after(50, [&] { ran.push_back("later"); });
    });
    sched.run_due();
    CHECK(ran == std::vector<std::string>{"first", "due now"});
    CHECK(sched.pending() == 1);
    CHECK(host.deadline == 150);

    host.now_ns = 150;
    sched.run_due();
    CHECK(ran == std::vector<std::string>{"first", "due now", "later"});
    CHECK(host.deadline == INT64_MAX);
}

TEST_CASE("a callback may cancel other due work", "[scheduler]") {
    FakeHost host;
    Scheduler sched(host);
    std::vector<int> ran;
    Scheduler::TimerId second = 0;
    sched.at(10, [&] {
        ran.push_back(1);
        sched.cancel(second);
    });
    second = sched.at(20, [&] { ran.push_back(2); });
    host.now_ns = 30;
    sched.run_due();
    CHECK(ran == std::vector<int>{1});
    CHECK(sched.pending() == 0);
}
