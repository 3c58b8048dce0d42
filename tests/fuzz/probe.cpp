// Configure-time check that clang++ links a libFuzzer target (tests/fuzz/meson.build).
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }
