// Offsets of the structures the firmware passes, as measured for Cortex-M33
// (shared/abi/structs.md). Guest structures are decoded field by field at
// these offsets; no host struct is ever overlaid on guest memory.
#pragma once

#include <cstdint>

namespace mvemu::layout {

namespace notification {  // struct MvNotification
inline constexpr uint32_t size = 16, microseconds = 0, event_type = 8, tag = 12;
}
namespace notification_setup {  // struct MvNotificationSetup
inline constexpr uint32_t size = 12, irq = 0, buffer = 4, buffer_size = 8;
}
namespace request_network_params {  // struct MvRequestNetworkParams
inline constexpr uint32_t size = 12, version = 0, notification_handle = 4, notification_tag = 8;
}
namespace open_channel_params {  // struct MvOpenChannelParams
inline constexpr uint32_t size = 44, version = 0, notification_handle = 4, notification_tag = 8,
                          network_handle = 12, receive_buffer = 16, receive_buffer_len = 20,
                          send_buffer = 24, send_buffer_len = 28, channel_type = 32,
                          endpoint_data = 36, endpoint_length = 40;
}
namespace open_system_notification_params {  // struct MvOpenSystemNotificationParams
inline constexpr uint32_t size = 12, notification_handle = 0, notification_tag = 4,
                          notification_source = 8;
}
namespace config_key_fetch_params {  // struct MvConfigKeyFetchParams
inline constexpr uint32_t size = 8, num_items = 0, keys_to_fetch = 4;
}
namespace config_key_to_fetch {  // struct MvConfigKeyToFetch
inline constexpr uint32_t size = 16, scope = 0, store = 4, key_data = 8, key_length = 12;
}
namespace config_response_data {  // struct MvConfigResponseData
inline constexpr uint32_t size = 8, result = 0, num_items = 4;
}
namespace config_response_read_item_params {  // struct MvConfigResponseReadItemParams
inline constexpr uint32_t size = 20, item_index = 0, result = 4, buf_data = 8, buf_size = 12,
                          buf_length = 16;
}

namespace sized_string {  // struct MvSizedString
inline constexpr uint32_t size = 8, data = 0, length = 4;
}
namespace sized_string_buffer {  // struct MvSizedStringBuffer
inline constexpr uint32_t size = 12, data = 0, buf_size = 4, length = 8;
}
namespace external_flash_info {  // struct MvExternalFlashInfo
inline constexpr uint32_t size = 16, version = 0, chip_id = 4, flash_size = 8, num_handles = 12;
}
namespace wifi_config {  // struct MvWifiConfig
inline constexpr uint32_t size = 24, version = 0, config_mode = 4, ssid = 8, password = 16;
}
namespace wifi_config_out {  // struct MvWifiConfigOut
inline constexpr uint32_t size = 20, version = 0, ssid = 4, has_encryption = 16;
}

}  // namespace mvemu::layout
