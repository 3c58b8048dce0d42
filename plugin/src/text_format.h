// How the backend writes numbers for people: a 32-bit value in hex, and
// virtual time in seconds with microseconds (the console's "[  1.234567]").
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace mvemu {

inline std::string hex32(uint32_t v) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", v);
    return text;
}

// `ns` of virtual time as "S.UUUUUU", the seconds padded to `width`.
inline std::string virtual_seconds(int64_t ns, int width = 0) {
    int64_t us = ns / 1000;
    char text[40];
    std::snprintf(text, sizeof text, "%*lld.%06lld", width, static_cast<long long>(us / 1000000),
                  static_cast<long long>(us % 1000000));
    return text;
}

// The stamp every console line starts with: "[     1.234567] ".
inline std::string console_stamp(int64_t ns) { return "[" + virtual_seconds(ns, 6) + "] "; }

}  // namespace mvemu
