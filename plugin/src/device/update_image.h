// An application image staged as a downloaded update: the loadable parts
// of an ELF file, checked to lie in the application's flash, so that
// applying it at the next restart cannot fail half way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mvemu {

struct UpdateImage {
    struct Segment {
        uint32_t address;  // load (physical) address, in the application's flash
        std::vector<uint8_t> bytes;
    };
    std::string path;
    std::vector<Segment> segments;

    // Read an ELF32 little-endian ARM executable; nullopt with `error` set
    // when it is not one or does not fit the application's 1 MiB of flash.
    static std::optional<UpdateImage> load(const std::string& path, std::string& error);
};

}  // namespace mvemu
