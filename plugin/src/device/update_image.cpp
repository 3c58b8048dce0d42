#include "device/update_image.h"

#include <fstream>
#include <iterator>

#include "mvemu/stm32u585_map.h"

namespace mvemu {

namespace {

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
    return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 |
           uint32_t{b[at + 3]} << 24;
}
uint16_t le16(const std::vector<uint8_t>& b, size_t at) {
    return static_cast<uint16_t>(b[at] | b[at + 1] << 8);
}

constexpr uint32_t kPtLoad = 1;
constexpr uint16_t kEmArm = 40;
constexpr uint16_t kEtExec = 2;

}  // namespace

std::optional<UpdateImage> UpdateImage::load(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot open " + path;
        return std::nullopt;
    }
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto fail = [&](const std::string& what) {
        error = path + ": " + what;
        return std::nullopt;
    };
    if (file.size() < 52 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
        return fail("not an ELF file");
    }
    if (file[4] != 1 || file[5] != 1 || le16(file, 18) != kEmArm || le16(file, 16) != kEtExec) {
        return fail("not a 32-bit little-endian ARM executable");
    }
    uint32_t phoff = le32(file, 28);
    uint16_t phentsize = le16(file, 42), phnum = le16(file, 44);
    if (phentsize < 32 || uint64_t{phoff} + uint64_t{phentsize} * phnum > file.size()) {
        return fail("truncated program headers");
    }
    UpdateImage image;
    image.path = path;
    for (uint16_t i = 0; i < phnum; i++) {
        size_t ph = phoff + size_t{i} * phentsize;
        uint32_t type = le32(file, ph), offset = le32(file, ph + 4), paddr = le32(file, ph + 12),
                 filesz = le32(file, ph + 16);
        if (type != kPtLoad || filesz == 0) {
            continue;  // .bss and friends take no flash
        }
        if (uint64_t{offset} + filesz > file.size()) {
            return fail("a segment lies past the end of the file");
        }
        if (paddr < MVEMU_APP_FLASH_BASE ||
            uint64_t{paddr} + filesz > uint64_t{MVEMU_APP_FLASH_BASE} + MVEMU_APP_FLASH_SIZE) {
            return fail("a loadable segment is outside the application's flash "
                        "(0x08000000-0x080FFFFF)");
        }
        image.segments.push_back(
            {paddr, std::vector<uint8_t>(file.begin() + offset, file.begin() + offset + filesz)});
    }
    if (image.segments.empty()) {
        return fail("nothing to load");
    }
    return image;
}

}  // namespace mvemu
