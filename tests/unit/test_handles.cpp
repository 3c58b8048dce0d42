// Handles: non-zero, unique across every resource kind, not reused, and
// reproducible from the profile's seed (semantics.md section 0).
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "handles.h"

using mvemu::HandleAllocator;
using mvemu::HandleTable;

TEST_CASE("100k handles are all non-zero and distinct", "[handles]") {
    HandleAllocator alloc(1);
    std::unordered_set<uint32_t> seen;
    bool all_nonzero = true, all_unique = true;
    for (int i = 0; i < 100000; i++) {
        uint32_t h = alloc.allocate();
        all_nonzero = all_nonzero && h != 0;
        all_unique = seen.insert(h).second && all_unique;
    }
    CHECK(all_nonzero);
    CHECK(all_unique);
    CHECK(seen.size() == 100000);
}

TEST_CASE("the same seed gives the same handles; another seed different ones", "[handles]") {
    HandleAllocator a(0x6d76656d), b(0x6d76656d), c(0x6d76656e);
    std::vector<uint32_t> va, vb, vc;
    for (int i = 0; i < 1000; i++) {
        va.push_back(a.allocate());
        vb.push_back(b.allocate());
        vc.push_back(c.allocate());
    }
    CHECK(va == vb);
    CHECK(va != vc);
}

TEST_CASE("handles stay unique over a million allocations and do not look sequential", "[handles]") {
    HandleAllocator alloc(7);
    std::unordered_set<uint32_t> seen;
    seen.reserve(1u << 20);
    bool unique = true;
    uint32_t previous = alloc.allocate(), small_steps = 0;
    for (int i = 0; i < (1 << 20); i++) {
        uint32_t h = alloc.allocate();
        unique = seen.insert(h).second && unique;
        uint32_t step = h > previous ? h - previous : previous - h;
        small_steps += step < 0x10000u;
        previous = h;
    }
    CHECK(unique);
    // Random-looking: neighbours are rarely close (expected ~2^20 / 2^15).
    CHECK(small_steps < 200);
}

TEST_CASE("the allocator keeps no record of what it issued", "[handles]") {
    // Memory stays constant however many resources a firmware opens.
    CHECK(sizeof(HandleAllocator) <= 16);
}

TEST_CASE("HandleTable add / find / remove", "[handles]") {
    HandleAllocator alloc(3);
    HandleTable<std::string> table(alloc);
    uint32_t a = table.add(std::make_unique<std::string>("a"));
    uint32_t b = table.add(std::make_unique<std::string>("b"));
    CHECK(a != 0);
    CHECK(b != 0);
    CHECK(a != b);
    CHECK(table.size() == 2);
    REQUIRE(table.find(a) != nullptr);
    CHECK(*table.find(a) == "a");
    REQUIRE(table.find(b) != nullptr);
    CHECK(*table.find(b) == "b");
    CHECK(table.find(0) == nullptr);

    CHECK(table.remove(a));
    CHECK_FALSE(table.remove(a));  // already gone
    CHECK(table.find(a) == nullptr);
    CHECK(table.size() == 1);

    // A new resource never gets the removed one's handle back.
    uint32_t c = table.add(std::make_unique<std::string>("c"));
    CHECK(c != a);
    CHECK(c != b);

    table.clear();
    CHECK(table.size() == 0);
    CHECK(table.find(b) == nullptr);
    CHECK(table.find(c) == nullptr);
}

TEST_CASE("tables of different kinds share one handle space", "[handles]") {
    HandleAllocator alloc(11);
    HandleTable<int> ints(alloc);
    HandleTable<std::string> strings(alloc);
    std::unordered_set<uint32_t> seen;
    for (int i = 0; i < 500; i++) {
        seen.insert(ints.add(std::make_unique<int>(i)));
        seen.insert(strings.add(std::make_unique<std::string>()));
    }
    CHECK(seen.size() == 1000);
    // A handle of one kind is not a handle of the other.
    int foreign = 0;
    for (auto& [h, item] : ints) {
        foreign += strings.find(h) != nullptr;
    }
    CHECK(foreign == 0);
}
