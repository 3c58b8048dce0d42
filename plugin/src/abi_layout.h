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

// MQTT (shared/abi/structs.md). Sized strings are {data, length}; sized
// string buffers {data, size, *length}.
namespace sized_string {  // struct MvSizedString
inline constexpr uint32_t size = 8, data = 0, length = 4;
}
namespace sized_string_buffer {  // struct MvSizedStringBuffer
inline constexpr uint32_t size = 12, data = 0, capacity = 4, length_out = 8;
}
namespace mqtt_connect_request {  // struct MvMqttConnectRequest
inline constexpr uint32_t size = 60, protocol_version = 0, host = 4, port = 12, clientid = 16,
                          auth_method = 24, username = 28, password = 36, tls_credentials = 44,
                          keepalive = 48, clean_start = 52, will = 56;
}
namespace tls_credentials {  // struct MvTlsCredentials
inline constexpr uint32_t size = 24, ca_num = 0, ca_certs = 4, client_num = 8, client_certs = 12,
                          client_key = 16;
}
namespace mqtt_will {  // struct MvMqttWill
inline constexpr uint32_t size = 24, topic = 0, payload = 8, qos = 16, retain = 20;
}
namespace mqtt_connect_response {  // struct MvMqttConnectResponse
inline constexpr uint32_t size = 8, request_state = 0, reason_code = 4;
}
namespace mqtt_subscription {  // struct MvMqttSubscription
inline constexpr uint32_t size = 24, topic = 0, desired_qos = 8, nl = 12, rap = 16, rh = 20;
}
namespace mqtt_subscribe_request {  // struct MvMqttSubscribeRequest
inline constexpr uint32_t size = 12, correlation_id = 0, subscriptions = 4, count = 8;
}
namespace mqtt_unsubscribe_request {  // struct MvMqttUnsubscribeRequest
inline constexpr uint32_t size = 12, correlation_id = 0, topics = 4, count = 8;
}
namespace mqtt_ack_response {  // struct MvMqttSubscribeResponse / MvMqttUnsubscribeResponse
inline constexpr uint32_t size = 20, request_state = 0, correlation_id = 4, reason_codes = 8,
                          reason_codes_size = 12, reason_codes_len = 16;
}
namespace mqtt_publish_request {  // struct MvMqttPublishRequest
inline constexpr uint32_t size = 28, correlation_id = 0, topic = 4, payload = 12, desired_qos = 20,
                          retain = 24;
}
namespace mqtt_publish_response {  // struct MvMqttPublishResponse
inline constexpr uint32_t size = 12, request_state = 0, correlation_id = 4, reason_code = 8;
}
namespace mqtt_message {  // struct MvMqttMessage
inline constexpr uint32_t size = 36, correlation_id = 0, topic = 4, payload = 16, qos = 28,
                          retain = 32;
}
namespace mqtt_lost_message_info {  // struct MvMqttLostMessageInfo
inline constexpr uint32_t size = 20, reason = 0, topic = 4, message_len = 16;
}
namespace mqtt_disconnect_response {  // struct MvMqttDisconnectResponse
inline constexpr uint32_t size = 8, request_state = 0, disconnect_code = 4;
}
namespace http_header {  // struct MvHttpHeader
inline constexpr uint32_t size = 8, length = 0, data = 4;
}
namespace http_request {  // struct MvHttpRequest
inline constexpr uint32_t size = 36, method_data = 0, method_length = 4, url_data = 8,
                          url_length = 12, num_headers = 16, headers = 20, body_data = 24,
                          body_length = 28, timeout_ms = 32;
}
namespace http_response_data {  // struct MvHttpResponseData
inline constexpr uint32_t size = 16, result = 0, status_code = 4, num_headers = 8,
                          body_length = 12;
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
