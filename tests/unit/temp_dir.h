// A temporary directory for profiles and the files they name, removed
// with everything in it at the end of the test (test_config.cpp, test_http.cpp).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

class TempDir {
public:
    explicit TempDir(const std::string& prefix = "mvemu-unit") {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                (prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string write(const std::string& name, const std::string& bytes) const {
        std::ofstream(path_ / name, std::ios::binary) << bytes;
        return (path_ / name).string();
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};
