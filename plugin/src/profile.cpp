#include "profile.h"

#include <glib.h>
#include <toml++/toml.h>

#include "net/mqtt_tls.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <utility>

namespace mvemu {

namespace {

// Named wake reasons, as the profile may give them (shared/abi/enums.md).
constexpr const char* kWakeReasons[] = {
    "coldboot", "remote-microvisor-restart", "remote-application-restart", "debugger-restart",
    "microvisor-crash", "microvisor-watchdog", "microvisor-out-of-memory", "microvisor-error",
    "application-crash", "application-update", "microvisor-update", "option-bytes",
    "deep-sleep-checkin", "deep-sleep-application", "deep-sleep-modem",
    "deep-sleep-application-rtc", "deep-sleep-other",
};

std::optional<int64_t> parse_utc(const std::string& text) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end != '\0') {
        return std::nullopt;  // trailing text such as an offset is not accepted
    }
    std::tm asked = tm;
    time_t seconds = timegm(&tm);
    std::tm back{};
    // timegm normalises impossible dates (Feb 30 -> Mar 2): reject those.
    if (!gmtime_r(&seconds, &back) || back.tm_year != asked.tm_year ||
        back.tm_mon != asked.tm_mon || back.tm_mday != asked.tm_mday ||
        back.tm_hour != asked.tm_hour || back.tm_min != asked.tm_min) {
        return std::nullopt;
    }
    return static_cast<int64_t>(seconds) * 1000000;
}

template <typename T>
bool read_uint(const toml::table& t, const char* section, const char* key, T& out,
               std::string& error) {
    auto node = t[section][key];
    if (!node) {
        return true;
    }
    auto v = node.value<int64_t>();
    if (!v || *v < 0 || static_cast<uint64_t>(*v) > std::numeric_limits<T>::max()) {
        error = std::string("[") + section + "] " + key + " must be a non-negative integer";
        return false;
    }
    out = static_cast<T>(*v);
    return true;
}

// [network.hosts] "NAME" = "HOST" or "HOST:PORT" (HOST an IPv6 address in
// brackets with a port).
bool load_hosts(const toml::table& t, Profile& p, std::string& error) {
    auto node = t["network"]["hosts"];
    if (!node) {
        return true;
    }
    const toml::table* hosts = node.as_table();
    if (!hosts) {
        error = "[network.hosts] must be a table of \"name\" = \"host\" or \"host:port\"";
        return false;
    }
    // A name or IPv4 address with an optional port, [IPv6] with an optional
    // port, or a bare IPv6 address (no port).
    static const std::regex target(R"(^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(:([0-9]{1,5}))?$)");
    static const std::regex bare_v6(R"(^[0-9a-fA-F]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$)");
    for (const auto& [name, value] : *hosts) {
        auto text = value.value_exact<std::string>();
        std::string where = "[network.hosts] \"" + std::string(name.str()) + "\"";
        Profile::HostTarget to;
        std::smatch m;
        if (text && std::regex_match(*text, bare_v6)) {
            to.host = *text;
        } else if (text && std::regex_match(*text, m, target)) {
            to.host = m[1].str();
            if (to.host.front() == '[') {
                to.host = to.host.substr(1, to.host.size() - 2);
            }
            if (m[3].matched) {
                int port = std::stoi(m[3].str());
                if (port == 0 || port > 65535) {
                    error = where + ": the port must be 1 to 65535";
                    return false;
                }
                to.port = static_cast<uint16_t>(port);
            }
        } else {
            error = where + " must be \"host\" or \"host:port\"";
            return false;
        }
        std::string key(name.str());  // host names compare without case
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char ch) { return std::tolower(ch); });
        p.hosts[key] = to;
    }
    return true;
}

bool load_network(const toml::table& t, Profile& p, std::string& error) {
    if (auto node = t["network"]["link"]) {
        auto link = node.value<std::string>();
        if (!link || (*link != "up" && *link != "down")) {
            error = "[network] link must be \"up\" or \"down\"";
            return false;
        }
        p.link_up_at_boot = *link == "up";
    }
    if (auto node = t["network"]["dns"]) {
        auto dns = node.value<std::string>();
        if (!dns || (*dns != "system" && *dns != "hosts-only")) {
            error = "[network] dns must be \"system\" or \"hosts-only\"";
            return false;
        }
        p.dns_hosts_only = *dns == "hosts-only";
    }
    if (auto node = t["network"]["notify_when_already_connected"]) {
        auto v = node.value<bool>();
        if (!v) {
            error = "[network] notify_when_already_connected must be true or false";
            return false;
        }
        p.notify_when_already_connected = *v;
    }
    if (!read_uint(t, "network", "bring_up_ms", p.bring_up_ms, error) ||
        !read_uint(t, "channels", "max_opens_per_second", p.max_opens_per_second, error)) {
        return false;
    }
    if (auto node = t["network"]["outages"]) {
        const toml::array* list = node.as_array();
        if (!list) {
            error = "[network] outages must be a list of { at_ms = N, for_ms = N }";
            return false;
        }
        for (const auto& item : *list) {
            const toml::table* entry = item.as_table();
            auto at = entry ? (*entry)["at_ms"].value<int64_t>() : std::nullopt;
            auto len = entry ? (*entry)["for_ms"].value<int64_t>() : std::nullopt;
            if (!at || !len || *at < 0 || *len <= 0 || *at > UINT32_MAX || *len > UINT32_MAX ||
                entry->size() != 2) {
                error = "[network] outages: each entry must be { at_ms = N, for_ms = N }, for_ms > 0";
                return false;
            }
            p.outages.push_back({static_cast<uint32_t>(*at), static_cast<uint32_t>(*len)});
        }
    }
    if (auto node = t["channels"]["opaque_bytes_endpoints"]) {
        const toml::table* endpoints = node.as_table();
        if (!endpoints) {
            error = "[channels.opaque_bytes_endpoints] must be a table of name = \"host:port\"";
            return false;
        }
        static const std::regex address(R"(^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$)");
        for (const auto& [name, value] : *endpoints) {
            auto text = value.value<std::string>();
            std::smatch m;
            if (!text || !std::regex_match(*text, m, address) || std::stoi(m[2].str()) == 0 ||
                std::stoi(m[2].str()) > 65535) {
                error = "[channels.opaque_bytes_endpoints] " + std::string(name.str()) +
                        " must be \"host:port\"";
                return false;
            }
            p.opaque_endpoints[std::string(name.str())] = *text;
        }
    }
    if (auto node = t["mqtt"]["plain_tcp"]) {
        auto v = node.value<bool>();
        if (!v) {
            error = "[mqtt] plain_tcp must be true or false";
            return false;
        }
        p.mqtt_plain_tcp = *v;
    }
    if (!read_uint(t, "mqtt", "max_incoming_per_second", p.mqtt_max_incoming_per_second, error) ||
        !read_uint(t, "mqtt", "connect_timeout_s", p.mqtt_connect_timeout_s, error)) {
        return false;
    }
    if (p.mqtt_connect_timeout_s == 0 || p.mqtt_connect_timeout_s > 3600) {
        error = "[mqtt] connect_timeout_s must be 1 to 3600";
        return false;
    }
    return load_hosts(t, p, error);
}

// [tls] ca_files = ["ca.pem", ...]: each file a PEM certificate (or several)
// or one DER certificate, relative to the profile's directory.
bool load_tls(const toml::table& t, const std::string& profile_path, Profile& p,
              std::string& error) {
    auto node = t["tls"]["ca_files"];
    if (!node) {
        return true;
    }
    const toml::array* files = node.as_array();
    if (!files) {
        error = "[tls] ca_files must be a list of file names";
        return false;
    }
    const std::filesystem::path base = std::filesystem::path(profile_path).parent_path();
    for (const auto& item : *files) {
        auto name = item.value_exact<std::string>();
        if (!name || name->empty()) {
            error = "[tls] ca_files must be a list of file names";
            return false;
        }
        std::filesystem::path path(*name);
        if (path.is_relative()) {
            path = base / path;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            error = "[tls] ca_files: cannot read " + path.string();
            return false;
        }
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (bytes.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
            p.ca_pem.push_back(bytes);
        } else if (bytes.size() > 2 && static_cast<uint8_t>(bytes[0]) == 0x30) {
            gchar* b64 = g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
            std::string pem = "-----BEGIN CERTIFICATE-----\n";
            for (std::string_view text(b64); !text.empty(); text.remove_prefix(std::min<size_t>(64, text.size()))) {
                pem += std::string(text.substr(0, 64)) + "\n";
            }
            g_free(b64);
            p.ca_pem.push_back(pem + "-----END CERTIFICATE-----\n");
        } else {
            error = "[tls] ca_files: " + path.string() + " is neither a PEM nor a DER certificate";
            return false;
        }
    }
    return true;
}

// A key as the messages show it: non-printable bytes as '?'.
std::string shown_key(std::string_view key) {
    std::string out(key.substr(0, 120));
    for (char& ch : out) {
        if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) {
            ch = '?';
        }
    }
    return out;
}

std::optional<uint8_t> wake_reason_named(const toml::node_view<const toml::node>& node) {
    if (auto name = node.value<std::string>()) {
        for (size_t i = 0; i < std::size(kWakeReasons); i++) {
            if (*name == kWakeReasons[i]) {
                return static_cast<uint8_t>(i);
            }
        }
    } else if (auto num = node.value<int64_t>(); num && *num >= 0 && *num <= 16) {
        return static_cast<uint8_t>(*num);
    }
    return std::nullopt;
}

// [power], [external_flash] and [wifi].
bool load_device_extras(const toml::table& t, const std::string& profile_path, Profile& p,
                        std::string& error) {
    if (!read_uint(t, "power", "deep_sleep_ms", p.deep_sleep_ms, error) ||
        !read_uint(t, "external_flash", "size", p.external_flash_size, error) ||
        !read_uint(t, "external_flash", "chip_id", p.external_flash_chip_id, error)) {
        return false;
    }
    if (auto node = std::as_const(t)["power"]["deep_sleep_wake_reason"]) {
        auto reason = wake_reason_named(node);
        if (!reason) {
            error = "[power] deep_sleep_wake_reason is not a known wake reason";
            return false;
        }
        p.deep_sleep_wake_reason = *reason;
    }
    if (p.external_flash_size == 0 || p.external_flash_size % 4096) {
        error = "[external_flash] size must be a non-zero multiple of 4096 bytes";
        return false;
    }
    if (auto node = t["external_flash"]["file"]) {
        auto file = node.value<std::string>();
        if (!file || file->empty()) {
            error = "[external_flash] file must be a path";
            return false;
        }
        std::filesystem::path path(*file);
        if (path.is_relative()) {
            path = std::filesystem::path(profile_path).parent_path() / path;
        }
        p.external_flash_file = path.string();
    }
    if (auto node = t["wifi"]["ssid"]) {
        auto ssid = node.value<std::string>();
        if (!ssid || ssid->empty() || ssid->size() > 32) {
            error = "[wifi] ssid must be 1 to 32 bytes";
            return false;
        }
        p.wifi_ssid = *ssid;
    }
    if (auto node = t["wifi"]["password"]) {
        auto password = node.value<std::string>();
        if (!password || password->size() > 64 || p.wifi_ssid.empty()) {
            // The message never shows the value.
            error = "[wifi] password must be at most 64 bytes, with an ssid";
            return false;
        }
        p.wifi_password = WipedBytes(*password);
    }
    return true;
}

// One item of [config.SCOPE] or [secrets.SCOPE]. Messages name the section,
// the key and files, never a value (secrets must not reach any log).
bool load_config_item(const std::string& where, const std::string& key, const toml::node& node,
                      const std::filesystem::path& base, ConfigItem& item, std::string& error) {
    auto fail = [&](const std::string& what) {
        error = where + " " + shown_key(key) + ": " + what;
        return false;
    };
    if (auto text = node.value_exact<std::string>()) {
        item.value = WipedBytes(*text);
    } else if (auto number = node.value_exact<int64_t>()) {
        item.value = WipedBytes(std::to_string(*number));  // values are text: 8883 is "8883"
    } else if (const toml::table* spec = node.as_table()) {
        for (const auto& [k, v] : *spec) {
            if (k != "file" && k != "encoding" && k != "result") {
                return fail("unknown key \"" + std::string(k.str()) +
                            "\" (a value is a string, an integer, { file = \"F\", encoding = "
                            "\"raw\"|\"hex\" } or { result = \"server-error\" })");
            }
        }
        if (auto result = (*spec)["result"]) {
            if (result.value_exact<std::string>() != "server-error" || spec->size() != 1) {
                return fail("result must be \"server-error\", alone in its table");
            }
            item.server_error = true;
            return true;
        }
        auto file = (*spec)["file"].value_exact<std::string>();
        if (!file || file->empty()) {
            return fail("a table value needs file = \"PATH\"");
        }
        std::string encoding = "raw";
        if (auto given = (*spec)["encoding"]) {
            encoding = given.value_exact<std::string>().value_or("?");
        }
        if (encoding != "raw" && encoding != "hex") {
            return fail("encoding must be \"raw\" (the file's bytes) or \"hex\" "
                        "(lowercase hex text)");
        }
        std::filesystem::path path(*file);
        if (path.is_relative()) {
            path = base / path;
        }
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            return fail("no such file: " + path.string());
        }
        if (!std::filesystem::is_regular_file(path, ec)) {
            return fail("not a regular file: " + path.string());
        }
        std::ifstream in(path, std::ios::binary);
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
        if (!in.is_open() || in.bad()) {
            return fail("cannot read " + path.string());
        }
        if (encoding == "hex") {
            static const char digits[] = "0123456789abcdef";
            std::vector<uint8_t> hex;
            hex.reserve(bytes.size() * 2);
            for (uint8_t b : bytes) {
                hex.push_back(static_cast<uint8_t>(digits[b >> 4]));
                hex.push_back(static_cast<uint8_t>(digits[b & 15]));
            }
            explicit_bzero(bytes.data(), bytes.size());
            bytes.swap(hex);
        }
        item.value = WipedBytes(std::move(bytes));
    } else {
        return fail("must be a string, an integer or "
                    "{ file = \"PATH\", encoding = \"raw\"|\"hex\" }");
    }
    if (item.value.size() > kConfigValueMaxLength) {
        return fail("the value is " + std::to_string(item.value.size()) +
                    " bytes; the Microvisor cloud stores at most " +
                    std::to_string(kConfigValueMaxLength));
    }
    return true;
}

// [config] (latency_ms, device, account) and [secrets] (device, account).
bool load_config(const toml::table& t, const std::string& profile_path, Profile& p,
                 std::string& error) {
    const std::filesystem::path base = std::filesystem::path(profile_path).parent_path();
    for (const char* section : {"config", "secrets"}) {
        const bool secrets = section[0] == 's';
        auto node = t[section];
        if (!node) {
            continue;
        }
        const toml::table* top = node.as_table();
        if (!top) {
            error = std::string("[") + section + "] must be a table";
            return false;
        }
        for (const auto& [name, value] : *top) {
            std::string k(name.str());
            if (!secrets && k == "latency_ms") {
                continue;  // read below
            }
            if (k != "device" && k != "account") {
                error = std::string("[") + section + "] unknown key \"" + shown_key(k) +
                        "\": items go in [" + section + ".device] or [" + section + ".account]" +
                        (secrets ? "" : "; the table itself takes only latency_ms");
                return false;
            }
            std::string where = std::string("[") + section + "." + k + "]";
            const toml::table* items = value.as_table();
            if (!items) {
                error = where + " must be a table of key = value";
                return false;
            }
            uint32_t scope = k == "device" ? MV_CONFIGKEYFETCHSCOPE_DEVICE
                                           : MV_CONFIGKEYFETCHSCOPE_ACCOUNT;
            uint32_t store =
                secrets ? MV_CONFIGKEYFETCHSTORE_SECRET : MV_CONFIGKEYFETCHSTORE_CONFIG;
            for (const auto& [item_name, item_node] : *items) {
                std::string key(item_name.str());
                if (!config_key_valid(key)) {
                    error = where + " key \"" + shown_key(key) +
                            "\": a key is 1 to " + std::to_string(kConfigKeyMaxLength) +
                            " printable ASCII characters";
                    return false;
                }
                ConfigItem item;
                if (!load_config_item(where, key, item_node, base, item, error)) {
                    return false;
                }
                p.config_store.put(scope, store, key, std::move(item));
            }
        }
    }
    return read_uint(t, "config", "latency_ms", p.config_latency_ms, error);
}

}  // namespace

const char* wake_reason_name(uint8_t reason) {
    return reason < std::size(kWakeReasons) ? kWakeReasons[reason] : "unknown";
}

std::optional<Profile> Profile::load(const std::string& path, std::string& error) {
    Profile p;
    if (path.empty()) {
        return p;
    }
    toml::table t;
    try {
        t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        error = path + ":" + std::to_string(e.source().begin.line) + ": " +
                std::string(e.description());
        return std::nullopt;
    }
    auto fail = [&](const std::string& what) {
        error = path + ": " + what;
        return std::nullopt;
    };

    if (auto id = t["device"]["id"].value<std::string>()) {
        p.device_id = *id;
    }
    if (auto node = std::as_const(t)["device"]["wake_reason"]) {
        auto reason = wake_reason_named(node);
        if (!reason) {
            return fail("[device] wake_reason is not a known wake reason");
        }
        p.wake_reason = *reason;
    }
    if (auto v = t["device"]["application_test_mode"].value<bool>()) {
        p.application_test_mode = *v;
    }
    std::string e;
    if (!read_uint(t, "device", "handle_seed", p.handle_seed, e) ||
        !read_uint(t, "clocks", "sysclk_hz", p.sysclk_hz, e) ||
        !read_uint(t, "clocks", "hclk_hz", p.hclk_hz, e) ||
        !read_uint(t, "clocks", "pclk1_hz", p.pclk1_hz, e) ||
        !read_uint(t, "clocks", "pclk2_hz", p.pclk2_hz, e) ||
        !read_uint(t, "logging", "max_message", p.log_max_message, e) ||
        !read_uint(t, "notifications", "delivery_gap_us", p.delivery_gap_us, e) ||
        !read_uint(t, "notifications", "max_centers", p.max_centers, e)) {
        return fail(e);
    }
    for (const char* key : {"sysclk_hz", "hclk_hz", "pclk1_hz", "pclk2_hz"}) {
        if (t["clocks"][key]) {
            p.clocks_given.emplace_back(key);
        }
    }
    if (auto mode = t["time"]["wall_clock"].value<std::string>()) {
        if (*mode == "host") {
            p.wall_clock = WallClock::host;
        } else if (*mode == "not-set") {
            p.wall_clock = WallClock::not_set;
        } else if (*mode == "fixed") {
            p.wall_clock = WallClock::fixed;
        } else {
            return fail("[time] wall_clock must be \"host\", \"not-set\" or \"fixed\"");
        }
    }
    if (auto start = t["time"]["start"].value<std::string>()) {
        auto us = parse_utc(*start);
        if (!us) {
            return fail("[time] start must look like 2026-01-31T12:00:00Z");
        }
        p.wall_clock_start_us = *us;
    } else if (p.wall_clock == WallClock::fixed) {
        return fail("[time] wall_clock = \"fixed\" needs start = \"YYYY-MM-DDTHH:MM:SSZ\"");
    }
    if (auto file = t["logging"]["file"].value<std::string>()) {
        p.log_file = *file;
    }
    if (!load_network(t, p, e) || !load_config(t, path, p, e) || !load_tls(t, path, p, e) ||
        !load_device_extras(t, path, p, e)) {
        return fail(e);
    }
    std::string invalid = p.validate();
    if (!invalid.empty()) {
        return fail(invalid);
    }
    return p;
}

std::string Profile::validate() const {
    static const std::regex id_pattern("^UV[0-9a-fA-F]{32}$");
    if (!std::regex_match(device_id, id_pattern)) {
        return "[device] id must be \"UV\" followed by 32 hex digits";
    }
    if (sysclk_hz == 0 || hclk_hz == 0 || pclk1_hz == 0 || pclk2_hz == 0) {
        return "[clocks] frequencies must be non-zero";
    }
    if (hclk_hz > sysclk_hz || pclk1_hz > hclk_hz || pclk2_hz > hclk_hz) {
        return "[clocks] need sysclk_hz >= hclk_hz >= pclk1_hz, pclk2_hz";
    }
    if (max_centers == 0) {
        return "[notifications] max_centers must be at least 1";
    }
    return {};
}

}  // namespace mvemu
