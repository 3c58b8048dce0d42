// The guest SDK's system-call entry points against the backend's slot table.
//
//   check_syscall_abi --nm NM --elf FIRMWARE.elf --header mv_syscalls.h
//                     [--abi-md syscalls.md]
//
// The expected side is the backend's own SyscallTable (plugin/src/dispatch.*,
// built from mvemu/syscall_slots.h). Against it:
//   - the absolute symbols NM lists in FIRMWARE.elf, linked with the generated
//     app.ld / mv_syscalls.ld: every call at MVEMU_VENEER_BASE +
//     MVEMU_VENEER_SIZE * slot + 1, and no other symbol in the veneer page;
//   - the prototypes in mv_syscalls.h: one `enum MvStatus NAME(params);` per
//     call (a parameter list, `void` when empty), and no call the table lacks;
//   - when the file exists, the slot/address/name rows of shared/abi/syscalls.md
//     (absent: that part is skipped with a note; the others always run).
// Every disagreement is printed; the exit status is 1 if there was any.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "dispatch.h"
#include "mvemu/stm32u585_map.h"

namespace {

using Names = std::map<std::string, uint32_t>;  // name -> slot

int failures = 0;

void fail(const std::string& what) {
    std::cout << "FAIL: " << what << "\n";
    failures++;
}

uint32_t entry_address(uint32_t slot) {
    return MVEMU_VENEER_BASE + MVEMU_VENEER_SIZE * slot + 1;  // Thumb bit
}

std::string hex(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Names table_names() {
    mvemu::SyscallTable table;
    Names names;
    for (uint32_t slot = 0; slot < mvemu::kSyscallSlots; slot++) {
        if (!table.at(slot)->name.empty()) {
            names.emplace(std::string(table.at(slot)->name), slot);
        }
    }
    return names;
}

std::string slot_text(uint32_t slot) { return "slot " + std::to_string(slot); }

// What a source gives each call: its entry address, or its slot.
struct Values {
    uint32_t (*of_slot)(uint32_t slot);  // the value the table implies
    std::string (*show)(uint32_t value);
};
const Values kAddresses{entry_address, hex};
const Values kSlotNumbers{[](uint32_t slot) { return slot; }, slot_text};

// The name -> value pairs found in `source` against the table, both ways.
void compare(const Names& table, const std::map<std::string, uint32_t>& found,
             const std::string& source, const Values& values) {
    for (const auto& [name, slot] : table) {
        auto it = found.find(name);
        if (it == found.end()) {
            fail(source + ": no " + name + " (" + slot_text(slot) + ")");
        } else if (it->second != values.of_slot(slot)) {
            std::string where = values.show == slot_text ? "" : " (" + slot_text(slot) + ")";
            fail(source + ": " + name + " is " + values.show(it->second) + ", the table says " +
                 values.show(values.of_slot(slot)) + where);
        }
    }
    for (const auto& entry : found) {
        if (!table.count(entry.first)) {
            fail(source + ": " + entry.first + " is not in the table");
        }
    }
}

// Absolute symbols of the ELF that lie in the veneer page.
std::map<std::string, uint32_t> elf_entries(const std::string& nm, const std::string& elf) {
    std::string cmd = "'" + nm + "' '" + elf + "'";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) {
        throw std::runtime_error("cannot run " + cmd);
    }
    std::map<std::string, uint32_t> found;
    char line[512];
    while (std::fgets(line, sizeof line, pipe.get())) {
        std::istringstream fields(line);
        std::string value, type, name;
        if (!(fields >> value >> type >> name)) {
            continue;  // undefined symbols have no value column
        }
        uint32_t addr = static_cast<uint32_t>(std::stoul(value, nullptr, 16));
        uint32_t offset = addr - MVEMU_VENEER_BASE;
        if (offset < uint32_t{MVEMU_VENEER_SIZE} * MVEMU_VENEER_COUNT) {
            found[name] = addr;
        }
    }
    int status = pclose(pipe.release());
    if (status != 0) {
        throw std::runtime_error(cmd + " failed (status " + std::to_string(status) + ")");
    }
    return found;
}

void check_header(const Names& table, const std::string& path) {
    const std::string text = slurp(path);
    static const std::regex decl(R"(enum\s+MvStatus\s+(mv\w+)\s*\(([^)]*)\)\s*;)");
    std::map<std::string, uint32_t> declared;
    for (std::sregex_iterator it(text.begin(), text.end(), decl), end; it != end; ++it) {
        std::string name = (*it)[1], params = (*it)[2];
        if (params.find_first_not_of(" \t\n") == std::string::npos) {
            fail(path + ": " + name + "() has no prototype (write (void))");
        }
        // Only presence matters here: take the table's slot, or none.
        declared[name] = table.count(name) ? table.at(name) : UINT32_MAX;
    }
    compare(table, declared, path, kSlotNumbers);
    std::cout << "checked " << declared.size() << " prototypes of " << path << "\n";
}

void check_markdown(const Names& table, const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        std::cout << "note: " << path << " not found; skipped the syscalls.md comparison\n";
        return;
    }
    // | slot | address | name | parameters |
    static const std::regex row(R"(^\|\s*(\d+)\s*\|\s*(0x[0-9A-Fa-f]+)\s*\|\s*(\w+)\s*\|)");
    std::map<std::string, uint32_t> by_slot;
    std::string line;
    int rows = 0;
    while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, row)) {
            continue;
        }
        rows++;
        uint32_t slot = static_cast<uint32_t>(std::stoul(m[1]));
        uint32_t addr = static_cast<uint32_t>(std::stoul(m[2], nullptr, 16));
        if (addr != entry_address(slot)) {
            fail(path + ": slot " + std::to_string(slot) + " is listed at " + hex(addr) +
                 ", the veneer layout gives " + hex(entry_address(slot)));
        }
        by_slot[m[3]] = slot;
    }
    if (rows == 0) {
        fail(path + ": no slot rows found");
    }
    compare(table, by_slot, path, kSlotNumbers);
    std::cout << "checked " << rows << " rows of " << path << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> opt;
    for (int i = 1; i + 1 < argc; i += 2) {
        opt[argv[i]] = argv[i + 1];
    }
    if (!opt.count("--nm") || !opt.count("--elf") || !opt.count("--header")) {
        std::cerr << "usage: " << argv[0]
                  << " --nm NM --elf FIRMWARE.elf --header mv_syscalls.h [--abi-md syscalls.md]\n";
        return 2;
    }
    try {
        const Names table = table_names();
        auto entries = elf_entries(opt["--nm"], opt["--elf"]);
        compare(table, entries, opt["--elf"], kAddresses);
        std::cout << "checked " << entries.size() << " entry symbols of " << opt["--elf"] << "\n";
        check_header(table, opt["--header"]);
        if (opt.count("--abi-md")) {
            check_markdown(table, opt["--abi-md"]);
        }
        std::cout << table.size() << " system calls checked, " << failures << " disagreements\n";
    } catch (const std::exception& e) {
        std::cout << "FAIL: " << e.what() << "\n";
        return 1;
    }
    return failures == 0 ? 0 : 1;
}
