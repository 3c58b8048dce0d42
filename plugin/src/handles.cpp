#include "handles.h"

namespace mvemu {

namespace {

// A 32-bit mixer built only from invertible steps (xor-shift, multiply by an
// odd constant), so distinct inputs always give distinct outputs.
uint32_t mix(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

}  // namespace

HandleAllocator::HandleAllocator(uint32_t seed)
    : key_in_(mix(seed ^ 0x9e3779b9u)), key_out_(mix(seed + 0x85ebca6bu)) {}

uint32_t HandleAllocator::allocate() {
    for (;;) {
        // Bijective in counter_: unique until the counter wraps at 2^32.
        uint32_t h = mix(counter_++ + key_in_) ^ key_out_;
        if (h != 0) {
            return h;
        }
    }
}

}  // namespace mvemu
