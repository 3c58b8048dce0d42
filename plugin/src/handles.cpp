#include "handles.h"

namespace mvemu {

uint32_t HandleAllocator::allocate() {
    for (;;) {
        uint32_t h = static_cast<uint32_t>(rng_());
        if (h != 0 && issued_.insert(h).second) {
            return h;
        }
    }
}

}  // namespace mvemu
