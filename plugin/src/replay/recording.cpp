#include "replay/recording.h"

#include <nlohmann/json.hpp>


namespace mvemu::replay {

namespace {

using nlohmann::json;

std::string to_hex(const std::vector<uint8_t>& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

bool from_hex(const std::string& text, std::vector<uint8_t>& bytes) {
    if (text.size() % 2) {
        return false;
    }
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    bytes.resize(text.size() / 2);
    for (size_t i = 0; i < bytes.size(); i++) {
        int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return true;
}

// Lines are written by hand, not through a JSON document: a recording
// writes one per system call, and building a document for each cost
// several times the call itself. Numbers and hex need no escaping; log
// text goes through the JSON library's string escaping.
void append_number(std::string& out, const char* key, int64_t value) {
    out += '"';
    out += key;
    out += "\":";
    out += std::to_string(value);
    out += ',';
}

void append_hex(std::string& out, const char* key, const std::vector<uint8_t>& bytes) {
    out += '"';
    out += key;
    out += "\":\"";
    out += to_hex(bytes);
    out += "\",";
}

void append_kind(std::string& out, char kind) {
    out += "\"k\":\"";
    out += kind;
    out += "\"}";
}

void append_effect(std::string& out, const Effect& e) {
    out += '{';
    switch (e.kind) {
    case Effect::Kind::mem_write:
        append_number(out, "a", e.address);
        out += e.mask ? "\"s\":true," : "\"s\":false,";
        append_hex(out, "b", e.bytes);
        break;
    case Effect::Kind::cpu_write:
    case Effect::Kind::flash_program:
        append_number(out, "a", e.address);
        append_hex(out, "b", e.bytes);
        break;
    case Effect::Kind::periph_poke:
        append_number(out, "a", e.address);
        append_number(out, "m", e.mask);
        append_number(out, "x", e.xorvalue);
        break;
    case Effect::Kind::irq_pend:
    case Effect::Kind::request_exit:
        append_number(out, "a", e.address);
        break;
    case Effect::Kind::log:
        append_number(out, "a", e.address);
        out += "\"t\":" + json(e.text).dump() + ",";
        break;
    case Effect::Kind::board_input:
        out += "\"t\":" + json(e.text).dump() + ",";
        break;
    case Effect::Kind::cpu_halt:
    case Effect::Kind::request_reset:
        break;
    }
    append_kind(out, static_cast<char>(e.kind));
}

bool parse_effect(const json& j, Effect& e) {
    const std::string kinds = "WCPHFKRXLN";
    std::string k = j.value("k", std::string());
    if (k.size() != 1 || kinds.find(k[0]) == std::string::npos) {
        return false;
    }
    e.kind = static_cast<Effect::Kind>(k[0]);
    e.address = j.value("a", 0u);
    e.mask = j.contains("s") ? (j.value("s", false) ? 1u : 0u) : j.value("m", 0u);
    e.xorvalue = j.value("x", 0u);
    e.text = j.value("t", std::string());
    return from_hex(j.value("b", std::string()), e.bytes);
}

}  // namespace

std::string header_line(const std::string& note) {
    return json{{"mvemu_recording", kFormat}, {"note", note}}.dump();
}

bool parse_header(const std::string& line, std::string& error) {
    json j = json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("mvemu_recording")) {
        error = "not an mvemu recording (no header line)";
        return false;
    }
    if (j["mvemu_recording"] != kFormat) {
        error = "recording format " + j["mvemu_recording"].dump() + ", this mvemu reads " +
                std::to_string(kFormat);
        return false;
    }
    return true;
}

std::string to_line(const Trigger& t) {
    std::string out = "{";
    if (t.kind == Trigger::Kind::warp) {
        append_number(out, "at", t.ns);
        append_number(out, "d", t.delta_ns);
    } else {
        append_number(out, "ns", t.ns);
        if (t.guest_driven()) {
            append_number(out, "n", static_cast<int64_t>(t.seq));
        }
        if (t.kind == Trigger::Kind::syscall || t.kind == Trigger::Kind::irq_taken) {
            append_number(out, "e", t.entry);
        }
        if (t.kind == Trigger::Kind::syscall) {
            append_number(out, "r", t.status);
        }
        if (!t.effects.empty()) {
            out += "\"fx\":[";
            for (size_t i = 0; i < t.effects.size(); i++) {
                if (i) {
                    out += ',';
                }
                append_effect(out, t.effects[i]);
            }
            out += "],";
        }
    }
    out += "\"t\":\"";
    out += static_cast<char>(t.kind);
    out += "\"}";
    return out;
}

std::optional<Trigger> parse_line(const std::string& line, std::string& error) {
    json j = json::parse(line, nullptr, false);
    const std::string kinds = "ISQZTMOEG";
    std::string k = j.is_object() ? j.value("t", std::string()) : std::string();
    if (k.size() != 1 || kinds.find(k[0]) == std::string::npos) {
        error = "not a trigger: " + line.substr(0, 80);
        return std::nullopt;
    }
    try {
        Trigger t{static_cast<Trigger::Kind>(k[0])};
        if (t.kind == Trigger::Kind::warp) {
            t.ns = j.at("at").get<int64_t>();
            t.delta_ns = j.at("d").get<int64_t>();
            return t;
        }
        t.ns = j.at("ns").get<int64_t>();
        t.seq = j.value("n", uint64_t{0});
        t.entry = j.value("e", 0u);
        t.status = j.value("r", 0u);
        for (const json& fx : j.value("fx", json::array())) {
            Effect e{};
            if (!parse_effect(fx, e)) {
                error = "bad effect in: " + line.substr(0, 80);
                return std::nullopt;
            }
            t.effects.push_back(std::move(e));
        }
        return t;
    } catch (const json::exception& e) {
        error = std::string("bad trigger (") + e.what() + "): " + line.substr(0, 80);
        return std::nullopt;
    }
}

}  // namespace mvemu::replay
