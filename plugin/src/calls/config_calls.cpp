// mvSendConfigFetchRequest, mvReadConfigFetchResponseData and
// mvReadConfigResponseItem on config-fetch channels (docs/config.md: the
// order of the checks, and what each status means).
//
// No value is ever printed: secrets must not reach a log or a trace.
#include "backend.h"
#include "calls/typed_channel.h"
#include "net/config_fetch_channel.h"

namespace mvemu {

namespace {

namespace L = layout;

Status find_channel(Backend& b, uint32_t handle, bool answered, ConfigFetchChannel*& channel) {
    return find_typed_channel(b, handle, MV_CHANNELTYPE_CONFIGFETCH, answered, channel);
}

// The checks mvSendConfigFetchRequest and mvReadConfigResponseItem begin
// with: their struct (the second argument) is readable, then the channel.
Status struct_and_channel(Backend& b, const CallArgs& c, uint32_t size, bool answered,
                          std::optional<GuestMemory::Struct>& fields,
                          ConfigFetchChannel*& channel) {
    fields = b.memory().read_struct(c.a[1], size);
    if (!fields) {
        return MV_STATUS_PARAMETERFAULT;
    }
    return find_channel(b, c.a[0], answered, channel);
}

// Decode and check the keys; OKAY with `keys` filled, or the refusal.
Status decode_keys(GuestMemory& m, uint32_t count, uint32_t array,
                   std::vector<ConfigKeyRequest>& keys) {
    if (count > ConfigFetchChannel::kMaxKeys) {
        return MV_STATUS_TOOMANYCONFIGKEYS;
    }
    if (count == 0) {
        return MV_STATUS_OKAY;  // the array is not looked at
    }
    namespace K = L::config_key_to_fetch;
    if (!m.readable(array, count * K::size) || array % 4 != 0) {
        return MV_STATUS_PARAMETERFAULT;
    }
    for (uint32_t i = 0; i < count; i++) {
        auto entry = m.read_struct(array + i * K::size, K::size);
        if (!entry) {
            return MV_STATUS_PARAMETERFAULT;
        }
        ConfigKeyRequest k;
        k.scope = entry->u32(K::scope);
        k.store = entry->u32(K::store);
        uint32_t data = entry->u32(K::key_data), length = entry->u32(K::key_length);
        if (k.scope > MV_CONFIGKEYFETCHSCOPE_DEVICE) {
            return MV_STATUS_UNKNOWNCONFIGSCOPE;
        }
        if (k.store > MV_CONFIGKEYFETCHSTORE_CONFIG) {
            return MV_STATUS_UNKNOWNCONFIGSTORE;
        }
        if (length == 0 || length > kConfigKeyMaxLength) {
            return MV_STATUS_INVALIDCONFIGKEY;
        }
        auto bytes = m.read_bytes(data, length);
        if (!bytes) {
            return MV_STATUS_PARAMETERFAULT;
        }
        k.key.assign(bytes->begin(), bytes->end());
        if (!config_key_valid(k.key)) {
            return MV_STATUS_INVALIDCONFIGKEY;
        }
        keys.push_back(std::move(k));
    }
    return MV_STATUS_OKAY;
}

Status send_config_fetch_request(Backend& b, const CallArgs& c) {
    namespace P = L::config_key_fetch_params;
    GuestMemory& m = b.memory();
    std::optional<GuestMemory::Struct> request;
    ConfigFetchChannel* channel = nullptr;
    if (Status s = struct_and_channel(b, c, P::size, false, request, channel);
        s != MV_STATUS_OKAY) {
        return s;
    }
    if (!channel->connected()) {
        return MV_STATUS_CHANNELCLOSED;
    }
    if (channel->request_sent()) {
        return MV_STATUS_REQUESTALREADYSENT;  // one request per channel
    }
    std::vector<ConfigKeyRequest> keys;
    Status s = decode_keys(m, request->u32(P::num_items), request->u32(P::keys_to_fetch), keys);
    if (s != MV_STATUS_OKAY) {
        return s;
    }
    if (ConfigFetchChannel::request_size(keys) > channel->send_buffer().size()) {
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    const Profile& profile = b.profile();
    channel->send(keys, profile.config_store, int64_t{profile.config_latency_ms} * 1000000);
    b.host().log(LogLevel::debug, "config fetch: " + std::to_string(keys.size()) +
                                      " keys requested, answer in " +
                                      std::to_string(profile.config_latency_ms) + " ms");
    return MV_STATUS_OKAY;
}

Status read_config_fetch_response_data(Backend& b, const CallArgs& c) {
    namespace R = L::config_response_data;
    GuestMemory& m = b.memory();
    if (!m.writable_aligned(c.a[1], R::size, 4)) {
        return MV_STATUS_PARAMETERFAULT;
    }
    ConfigFetchChannel* channel = nullptr;
    if (Status s = find_channel(b, c.a[0], true, channel); s != MV_STATUS_OKAY) {
        return s;
    }
    m.write_u32(c.a[1] + R::result, channel->result());
    m.write_u32(c.a[1] + R::num_items, static_cast<uint32_t>(channel->items().size()));
    return MV_STATUS_OKAY;
}

Status read_config_response_item(Backend& b, const CallArgs& c) {
    namespace I = L::config_response_read_item_params;
    GuestMemory& m = b.memory();
    std::optional<GuestMemory::Struct> params;
    ConfigFetchChannel* channel = nullptr;
    if (Status s = struct_and_channel(b, c, I::size, true, params, channel); s != MV_STATUS_OKAY) {
        return s;
    }
    uint32_t index = params->u32(I::item_index);
    if (index >= channel->items().size()) {
        return MV_STATUS_INDEXINVALID;
    }
    // The pointers inside the params: nothing is written unless all three
    // can be (the data buffer only when its size is not zero).
    uint32_t result_out = params->u32(I::result), data = params->u32(I::buf_data),
             size = params->u32(I::buf_size), length_out = params->u32(I::buf_length);
    if (!m.writable_aligned(result_out, 4, 4) || !m.writable_aligned(length_out, 4, 4) ||
        (size > 0 && !m.writable(data, size))) {
        return MV_STATUS_LATEFAULT;
    }
    const ConfigFetchChannel::Item& item = channel->items()[index];
    uint32_t copied = 0;
    if (item.result == MV_CONFIGKEYFETCHRESULT_OK) {
        copied = std::min(size, item.value.size());
        if (copied < item.value.size()) {
            // Names the key and sizes only, never the value.
            std::string item_name = std::string(item.secret ? "secret" : "config") + " item " +
                                    std::to_string(index) + " (\"" + item.key + "\", " +
                                    std::to_string(item.value.size()) + " bytes)";
            b.warn_once("config-cut/" + std::to_string(c.a[0]) + "/" + std::to_string(index),
                        "mvReadConfigResponseItem: the value of " + item_name +
                            " was cut to the buffer's " + std::to_string(size) + " bytes");
        }
        if (copied > 0 && !m.write_bytes(data, item.value.data(), copied)) {
            return MV_STATUS_LATEFAULT;
        }
    }
    m.write_u32(result_out, item.result);
    m.write_u32(length_out, copied);
    return MV_STATUS_OKAY;
}

}  // namespace

void register_config_calls(SyscallTable& table) {
    table.set("mvSendConfigFetchRequest", send_config_fetch_request);
    table.set("mvReadConfigFetchResponseData", read_config_fetch_response_data);
    table.set("mvReadConfigResponseItem", read_config_response_item);
}

}  // namespace mvemu
