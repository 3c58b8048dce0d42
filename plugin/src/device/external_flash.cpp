#include "device/external_flash.h"

#include <algorithm>
#include <filesystem>

namespace mvemu {

ExternalFlash::ExternalFlash(HandleAllocator& handles, uint32_t size, uint32_t chip_id)
    : handles_(handles), size_(size), sectors_(size / kSectorSize), chip_id_(chip_id) {}

bool ExternalFlash::attach(const std::string& path, std::string& error) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        std::ofstream create(path, std::ios::binary);
        const Sector erased = [] {
            Sector e;
            e.fill(0xFF);
            return e;
        }();
        for (uint32_t i = 0; i < sectors_.size() && create; i++) {
            create.write(reinterpret_cast<const char*>(erased.data()), kSectorSize);
        }
        if (!create) {
            error = "cannot create " + path;
            return false;
        }
    }
    auto length = std::filesystem::file_size(path, ec);
    if (ec || length != size_) {
        error = path + " holds " + std::to_string(ec ? 0 : length) + " bytes, the external flash " +
                std::to_string(size_) +
                " (delete it for a fresh, erased image or set [external_flash] size)";
        return false;
    }
    file_.open(path, std::ios::binary | std::ios::in | std::ios::out);
    for (uint32_t i = 0; i < sectors_.size(); i++) {
        auto sector = std::make_unique<Sector>();
        if (!file_.read(reinterpret_cast<char*>(sector->data()), kSectorSize)) {
            error = "cannot read " + path;
            return false;
        }
        bool erased = std::all_of(sector->begin(), sector->end(), [](uint8_t b) { return b == 0xFF; });
        sectors_[i] = erased ? nullptr : std::move(sector);
    }
    path_ = path;
    return true;
}

std::vector<uint8_t> ExternalFlash::read(uint32_t address, uint32_t length) const {
    std::vector<uint8_t> out(length, 0xFF);
    for (uint32_t done = 0; done < length;) {
        uint32_t at = address + done, offset = at % kSectorSize;
        uint32_t n = std::min(length - done, kSectorSize - offset);
        if (const Sector* s = sectors_[at / kSectorSize].get()) {
            std::copy_n(s->data() + offset, n, out.data() + done);
        }
        done += n;
    }
    return out;
}

uint32_t ExternalFlash::sectors_in_use() const {
    return static_cast<uint32_t>(
        std::count_if(sectors_.begin(), sectors_.end(), [](const auto& s) { return s != nullptr; }));
}

ExternalFlash::Sector& ExternalFlash::writable_sector(uint32_t address) {
    std::unique_ptr<Sector>& s = sectors_[address / kSectorSize];
    if (!s) {
        s = std::make_unique<Sector>();
        s->fill(0xFF);
    }
    return *s;
}

uint32_t ExternalFlash::open() {
    if (handles_.size() >= kMaxHandles) {
        return 0;
    }
    return handles_.add(std::make_unique<Open>());
}

void ExternalFlash::program(uint32_t address, const std::vector<uint8_t>& bytes) {
    for (size_t i = 0; i < bytes.size(); i++) {
        uint32_t at = address + static_cast<uint32_t>(i);
        writable_sector(at)[at % kSectorSize] &= bytes[i];
    }
    write_back(address, static_cast<uint32_t>(bytes.size()));
}

void ExternalFlash::erase(uint32_t address, uint32_t length) {
    for (uint32_t at = address; at < address + length; at += kSectorSize) {
        sectors_[at / kSectorSize].reset();
    }
    write_back(address, length);
}

// Written through at once, so a run that is killed keeps what it wrote.
void ExternalFlash::write_back(uint32_t address, uint32_t length) {
    if (!file_.is_open() || length == 0) {
        return;
    }
    std::vector<uint8_t> bytes = read(address, length);
    file_.seekp(address);
    file_.write(reinterpret_cast<const char*>(bytes.data()), length);
    file_.flush();
}

}  // namespace mvemu
