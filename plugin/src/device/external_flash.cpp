#include "device/external_flash.h"

#include <filesystem>

namespace mvemu {

ExternalFlash::ExternalFlash(HandleAllocator& handles, uint32_t size, uint32_t chip_id)
    : handles_(handles), data_(size, 0xFF), chip_id_(chip_id) {}

bool ExternalFlash::attach(const std::string& path, std::string& error) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        std::ofstream create(path, std::ios::binary);
        create.write(reinterpret_cast<const char*>(data_.data()),
                     static_cast<std::streamsize>(data_.size()));
        if (!create) {
            error = "cannot create " + path;
            return false;
        }
    }
    auto length = std::filesystem::file_size(path, ec);
    if (ec || length != data_.size()) {
        error = path + " holds " + std::to_string(ec ? 0 : length) + " bytes, the external flash " +
                std::to_string(data_.size()) +
                " (delete it for a fresh, erased image or set [external_flash] size)";
        return false;
    }
    file_.open(path, std::ios::binary | std::ios::in | std::ios::out);
    file_.read(reinterpret_cast<char*>(data_.data()), static_cast<std::streamsize>(data_.size()));
    if (!file_) {
        error = "cannot read " + path;
        return false;
    }
    path_ = path;
    return true;
}

uint32_t ExternalFlash::open() {
    if (handles_.size() >= kMaxHandles) {
        return 0;
    }
    return handles_.add(std::make_unique<Open>());
}

void ExternalFlash::program(uint32_t address, const std::vector<uint8_t>& bytes) {
    for (size_t i = 0; i < bytes.size(); i++) {
        data_[address + i] &= bytes[i];
    }
    write_back(address, static_cast<uint32_t>(bytes.size()));
}

void ExternalFlash::erase(uint32_t address, uint32_t length) {
    std::fill(data_.begin() + address, data_.begin() + address + length, 0xFF);
    write_back(address, length);
}

// Written through at once, so a run that is killed keeps what it wrote.
void ExternalFlash::write_back(uint32_t address, uint32_t length) {
    if (!file_.is_open() || length == 0) {
        return;
    }
    file_.seekp(address);
    file_.write(reinterpret_cast<const char*>(data_.data() + address), length);
    file_.flush();
}

}  // namespace mvemu
