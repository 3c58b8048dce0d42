/*
 * mv_syscalls.h - Microvisor system-call interface for mvemu guest firmware.
 *
 * Types, structures and prototypes follow shared/abi/{structs,syscalls}.md.
 * The functions have no C bodies: each name is bound to its fixed
 * non-secure-callable entry address by ld/mv_syscalls.ld, and is called as
 * an ordinary AAPCS function (arguments in r0-r3, status back in r0).
 *
 * Versioned structures carry a `version` word followed by an anonymous
 * union whose only member today is `v1`, so callers write `p.v1.field`.
 */
#ifndef MVEMU_MV_SYSCALLS_H
#define MVEMU_MV_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>

#include "mv_enums.h"

/* Opaque handles: 32-bit values chosen by Microvisor; 0 is never valid. */
typedef uint32_t MvNotificationHandle;
typedef uint32_t MvNetworkHandle;
typedef uint32_t MvChannelHandle;
typedef uint32_t MvSystemEventHandle;
typedef uint32_t MvExternalFlashHandle;

struct MvNotification {
    uint64_t microseconds;
    enum MvEventType event_type;
    uint32_t tag;
};

struct MvNotificationSetup {
    uint32_t irq;
    struct MvNotification *buffer;
    uint32_t buffer_size;
};

struct MvRequestNetworkParams {
    uint32_t version;
    union {
        struct {
            MvNotificationHandle notification_handle;
            uint32_t notification_tag;
        } v1;
    };
};

struct MvSizedString {
    const uint8_t *data;
    uint32_t length;
};

struct MvOpenChannelParams {
    uint32_t version;
    union {
        struct {
            MvNotificationHandle notification_handle;
            uint32_t notification_tag;
            MvNetworkHandle network_handle;
            uint8_t *receive_buffer;
            uint32_t receive_buffer_len;
            uint8_t *send_buffer;
            uint32_t send_buffer_len;
            enum MvChannelType channel_type;
            struct MvSizedString endpoint;
        } v1;
    };
};

struct MvHttpHeader {
    uint32_t length;
    const uint8_t *data;
};

struct MvHttpRequest {
    struct MvSizedString method;
    struct MvSizedString url;
    uint32_t num_headers;
    const struct MvHttpHeader *headers;
    struct MvSizedString body;
    uint32_t timeout_ms;
};

struct MvHttpResponseData {
    enum MvHttpResult result;
    uint32_t status_code;
    uint32_t num_headers;
    uint32_t body_length;
};

struct MvConfigKeyToFetch {
    enum MvConfigKeyFetchScope scope;
    enum MvConfigKeyFetchStore store;
    struct MvSizedString key;
};

struct MvConfigKeyFetchParams {
    uint32_t num_items;
    const struct MvConfigKeyToFetch *keys_to_fetch;
};

struct MvConfigResponseData {
    enum MvConfigFetchResult result;
    uint32_t num_items;
};

struct MvSizedStringBuffer {
    uint8_t *data;
    uint32_t size;
    uint32_t *length;
};

struct MvConfigResponseReadItemParams {
    uint32_t item_index;
    enum MvConfigKeyFetchResult *result;
    struct MvSizedStringBuffer buf;
};

struct MvUsernamePassword {
    struct MvSizedString username;
    struct MvSizedString password;
};

struct MvMqttAuthentication {
    enum MvMqttAuthenticationMethod method;
    struct MvUsernamePassword username_password;
};

struct MvTlsCertificateChain {
    uint32_t num_certs;
    const struct MvSizedString *certs;
};

struct MvOwnTlsCertificateChain {
    struct MvTlsCertificateChain chain;
    struct MvSizedString key;
};

struct MvTlsCredentials {
    struct MvTlsCertificateChain cacert;
    struct MvOwnTlsCertificateChain clientcert;
};

struct MvMqttWill {
    struct MvSizedString topic;
    struct MvSizedString payload;
    uint32_t qos;
    uint8_t retain;
};

struct MvMqttConnectRequest {
    enum MvMqttProtocolVersion protocol_version;
    struct MvSizedString host;
    uint16_t port;
    struct MvSizedString clientid;
    struct MvMqttAuthentication authentication;
    const struct MvTlsCredentials *tls_credentials;
    uint32_t keepalive;
    uint8_t clean_start;
    const struct MvMqttWill *will;
};

struct MvMqttConnectResponse {
    enum MvMqttRequestState request_state;
    uint32_t reason_code;
};

struct MvMqttSubscription {
    struct MvSizedString topic;
    uint32_t desired_qos;
    uint32_t nl;
    uint32_t rap;
    uint32_t rh;
};

struct MvMqttSubscribeRequest {
    uint32_t correlation_id;
    const struct MvMqttSubscription *subscriptions;
    uint32_t num_subscriptions;
};

struct MvMqttSubscribeResponse {
    enum MvMqttRequestState *request_state;
    uint32_t *correlation_id;
    uint32_t *reason_codes;
    uint32_t reason_codes_size;
    uint32_t *reason_codes_len;
};

struct MvMqttUnsubscribeRequest {
    uint32_t correlation_id;
    const struct MvSizedString *topics;
    uint32_t num_topics;
};

struct MvMqttUnsubscribeResponse {
    enum MvMqttRequestState *request_state;
    uint32_t *correlation_id;
    uint32_t *reason_codes;
    uint32_t reason_codes_size;
    uint32_t *reason_codes_len;
};

struct MvMqttPublishRequest {
    uint32_t correlation_id;
    struct MvSizedString topic;
    struct MvSizedString payload;
    uint32_t desired_qos;
    uint32_t retain;
};

struct MvMqttPublishResponse {
    enum MvMqttRequestState request_state;
    uint32_t correlation_id;
    uint32_t reason_code;
};

struct MvMqttMessage {
    uint32_t *correlation_id;
    struct MvSizedStringBuffer topic;
    struct MvSizedStringBuffer payload;
    uint32_t *qos;
    uint8_t *retain;
};

struct MvMqttLostMessageInfo {
    enum MvMqttLostMessageReason *reason;
    struct MvSizedStringBuffer topic;
    uint32_t *message_len;
};

struct MvMqttDisconnectResponse {
    enum MvMqttRequestState request_state;
    uint32_t disconnect_code;
};

struct MvOpenSystemNotificationParams {
    MvNotificationHandle notification_handle;
    uint32_t notification_tag;
    enum MvSystemNotificationSource notification_source;
};

struct MvExternalFlashInfo {
    uint32_t version;
    union {
        struct {
            uint32_t chip_id;
            uint32_t size;
            uint32_t num_handles;
        } v1;
    };
};

struct MvWifiConfig {
    uint32_t version;
    union {
        struct {
            enum MvWifiConfigMode config_mode;
            struct MvSizedString wifi_ssid;
            struct MvSizedString wifi_password;
        } v1;
    };
};

struct MvWifiConfigOut {
    uint32_t version;
    union {
        struct {
            struct MvSizedStringBuffer ssid;
            uint8_t *has_encryption;
        } v1;
    };
};

#ifdef __cplusplus
extern "C" {
#endif

/* Slot 12 (mvTemporaryStructTest) has no documented parameters. */
enum MvStatus mvEnableFastInterrupt(uint32_t irqn);
enum MvStatus mvWriteChannelStream(MvChannelHandle handle, const uint8_t *data, uint32_t len, uint32_t *written);
enum MvStatus mvGetMicroseconds(uint64_t *ms);
enum MvStatus mvGetSysClk(uint32_t *hz);
enum MvStatus mvDisableAllFastInterrupts(void);
enum MvStatus mvGetDeviceId(uint8_t *buf, uint32_t len);
enum MvStatus mvWriteChannel(MvChannelHandle handle, const uint8_t *data, uint32_t len, uint32_t *available);
enum MvStatus mvGetWallTime(uint64_t *usec);
enum MvStatus mvRequestNetwork(const struct MvRequestNetworkParams *params, MvNetworkHandle *handle);
enum MvStatus mvGetChannelClosureReason(MvChannelHandle handle, enum MvClosureReason *reason_out);
enum MvStatus mvCloseNotifications(MvNotificationHandle *handle_in_out);
enum MvStatus mvSetFastInterrupt(uint32_t irqn);
enum MvStatus mvTemporaryStructTest(void);
enum MvStatus mvDisableFastInterrupt(uint32_t irqn);
enum MvStatus mvReadChannelComplete(MvChannelHandle handle, uint32_t consumed);
enum MvStatus mvClearFastInterrupt(uint32_t irqn);
enum MvStatus mvSetupNotifications(const struct MvNotificationSetup *notifications, MvNotificationHandle *handle_out);
enum MvStatus mvGetPClk1(uint32_t *hz);
enum MvStatus mvGetPClk2(uint32_t *hz);
enum MvStatus mvEnableAllFastInterrupts(void);
enum MvStatus mvPeriphPoke32(uint32_t reg, uint32_t mask, uint32_t xorvalue);
enum MvStatus mvReadChannel(MvChannelHandle handle, uint8_t **read_pointer_out, uint32_t *length_out);
enum MvStatus mvGetHClk(uint32_t *hz);
enum MvStatus mvOpenChannel(const struct MvOpenChannelParams *params, MvChannelHandle *handle);
enum MvStatus mvGetNetworkReasons(enum MvNetworkReason *reasons, uint32_t *request_ref_count);
enum MvStatus mvReleaseNetwork(MvNetworkHandle *handle);
enum MvStatus mvNoOp(void);
enum MvStatus mvTempTriggerNotification(MvNotificationHandle handle, enum MvEventType type, uint32_t tag);
enum MvStatus mvGetNetworkStatus(MvNetworkHandle handle, enum MvNetworkStatus *status);
enum MvStatus mvPeriphPeek32(uint32_t reg, uint32_t *output);
enum MvStatus mvCloseChannel(MvChannelHandle *handle);
enum MvStatus mvSendHttpRequest(MvChannelHandle handle, const struct MvHttpRequest *request);
enum MvStatus mvReadHttpResponseBody(MvChannelHandle handle, uint32_t offset, uint8_t *buf, uint32_t size);
enum MvStatus mvReadHttpResponseHeader(MvChannelHandle handle, uint32_t header_index, uint8_t *buf, uint32_t size);
enum MvStatus mvReadHttpResponseData(MvChannelHandle handle, struct MvHttpResponseData *response_data);
enum MvStatus mvServerLoggingInit(uint8_t *buffer, uint32_t length_bytes);
enum MvStatus mvServerLog(const uint8_t *message, uint16_t length_bytes);
enum MvStatus mvSendConfigFetchRequest(MvChannelHandle handle, const struct MvConfigKeyFetchParams *request);
enum MvStatus mvReadConfigFetchResponseData(MvChannelHandle handle, struct MvConfigResponseData *response_data);
enum MvStatus mvReadConfigResponseItem(MvChannelHandle handle, const struct MvConfigResponseReadItemParams *params);
enum MvStatus mvMqttReadUnsubscribeResponse(MvChannelHandle handle, const struct MvMqttUnsubscribeResponse *response_data);
enum MvStatus mvMqttAcknowledgeMessage(MvChannelHandle handle, uint32_t correlation_id);
enum MvStatus mvMqttReadDisconnectResponse(MvChannelHandle handle, struct MvMqttDisconnectResponse *response_data);
enum MvStatus mvMqttRequestDisconnect(MvChannelHandle handle);
enum MvStatus mvMqttReadConnectResponse(MvChannelHandle handle, struct MvMqttConnectResponse *response_data);
enum MvStatus mvMqttRequestPublish(MvChannelHandle handle, const struct MvMqttPublishRequest *request);
enum MvStatus mvMqttRequestSubscribe(MvChannelHandle handle, const struct MvMqttSubscribeRequest *request);
enum MvStatus mvMqttReadPublishResponse(MvChannelHandle handle, struct MvMqttPublishResponse *response_data);
enum MvStatus mvMqttReceiveLostMessageInfo(MvChannelHandle handle, const struct MvMqttLostMessageInfo *lost_message_info);
enum MvStatus mvMqttReceiveMessage(MvChannelHandle handle, const struct MvMqttMessage *message_data);
enum MvStatus mvMqttGetNextReadableDataType(MvChannelHandle handle, enum MvMqttReadableDataType *data_type);
enum MvStatus mvMqttRequestUnsubscribe(MvChannelHandle handle, const struct MvMqttUnsubscribeRequest *request);
enum MvStatus mvMqttRequestConnect(MvChannelHandle handle, const struct MvMqttConnectRequest *request);
enum MvStatus mvMqttReadSubscribeResponse(MvChannelHandle handle, const struct MvMqttSubscribeResponse *response_data);
enum MvStatus mvTestingComplete(uint32_t status);
enum MvStatus mvTestLog(const uint8_t *message, uint16_t length_bytes);
enum MvStatus mvTestLoggingInit(uint8_t *buffer, uint32_t length_bytes);
enum MvStatus mvPowerSave(enum MvPowerSavingMode mode);
enum MvStatus mvSystemLedEnable(uint32_t enable);
enum MvStatus mvOpenSystemNotification(const struct MvOpenSystemNotificationParams *params, MvSystemEventHandle *handle);
enum MvStatus mvCloseSystemNotification(MvSystemEventHandle *handle);
enum MvStatus mvDeepSleep(enum MvDeepSleepMode mode);
enum MvStatus mvGetWakeReason(enum MvWakeReason *mode);
enum MvStatus mvRestart(enum MvRestartMode mode);
enum MvStatus mvExternalFlashClose(MvExternalFlashHandle *handle);
enum MvStatus mvExternalFlashGetInfo(MvExternalFlashHandle handle, struct MvExternalFlashInfo *info);
enum MvStatus mvExternalFlashWriteBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length, const uint8_t *buffer);
enum MvStatus mvExternalFlashOpen(MvExternalFlashHandle *handle);
enum MvStatus mvExternalFlashEraseBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length);
enum MvStatus mvExternalFlashReadBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length, uint8_t *buffer);
enum MvStatus mvSetWifiConfig(const struct MvWifiConfig *params);
enum MvStatus mvGetWifiConfig(const struct MvWifiConfigOut *params);

#ifdef __cplusplus
}
#endif

/*
 * Layout checks, only when building for the Cortex-M33 target: the host
 * compiler (64-bit pointers, int-sized enums) legitimately lays these out
 * differently. A failure here means the firmware would disagree with
 * Microvisor about the ABI, so it must stop the build.
 */
#if defined(__arm__)

#ifdef __cplusplus
#define MV_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define MV_ALIGNOF(t) alignof(t)
#else
#define MV_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define MV_ALIGNOF(t) _Alignof(t)
#endif

#define MV_LAYOUT_ENUM(e, n) \
    MV_STATIC_ASSERT(sizeof(enum e) == (n), "sizeof(enum " #e ") != " #n)
#define MV_LAYOUT_SIZE(s, n) \
    MV_STATIC_ASSERT(sizeof(struct s) == (n), "sizeof(struct " #s ") != " #n)
#define MV_LAYOUT_ALIGN(s, n) \
    MV_STATIC_ASSERT(MV_ALIGNOF(struct s) == (n), "alignof(struct " #s ") != " #n)
#define MV_LAYOUT_FIELD(s, f, off, n) \
    MV_STATIC_ASSERT(offsetof(struct s, f) == (off), \
                     "offsetof(struct " #s ", " #f ") != " #off); \
    MV_STATIC_ASSERT(sizeof(((struct s *)0)->f) == (n), \
                     "sizeof(struct " #s "." #f ") != " #n)

/* Enum widths (short enums: set by each enum's __MAX member). */
MV_LAYOUT_ENUM(MvStatus, 4);
MV_LAYOUT_ENUM(MvEventType, 4);
MV_LAYOUT_ENUM(MvNetworkStatus, 4);
MV_LAYOUT_ENUM(MvNetworkReason, 4);
MV_LAYOUT_ENUM(MvChannelType, 4);
MV_LAYOUT_ENUM(MvClosureReason, 4);
MV_LAYOUT_ENUM(MvHttpResult, 4);
MV_LAYOUT_ENUM(MvConfigKeyFetchScope, 4);
MV_LAYOUT_ENUM(MvConfigKeyFetchStore, 4);
MV_LAYOUT_ENUM(MvConfigFetchResult, 4);
MV_LAYOUT_ENUM(MvConfigKeyFetchResult, 4);
MV_LAYOUT_ENUM(MvMqttReadableDataType, 4);
MV_LAYOUT_ENUM(MvMqttProtocolVersion, 4);
MV_LAYOUT_ENUM(MvMqttAuthenticationMethod, 1);
MV_LAYOUT_ENUM(MvMqttRequestState, 4);
MV_LAYOUT_ENUM(MvMqttLostMessageReason, 4);
MV_LAYOUT_ENUM(MvPowerSavingMode, 1);
MV_LAYOUT_ENUM(MvSystemNotificationSource, 4);
MV_LAYOUT_ENUM(MvDeepSleepMode, 1);
MV_LAYOUT_ENUM(MvWakeReason, 1);
MV_LAYOUT_ENUM(MvRestartMode, 4);
MV_LAYOUT_ENUM(MvWifiConfigMode, 1);

/* Structures: size, alignment, then every field's offset and size. */
MV_LAYOUT_SIZE(MvNotification, 16);
MV_LAYOUT_ALIGN(MvNotification, 8);
MV_LAYOUT_FIELD(MvNotification, microseconds, 0, 8);
MV_LAYOUT_FIELD(MvNotification, event_type, 8, 4);
MV_LAYOUT_FIELD(MvNotification, tag, 12, 4);

MV_LAYOUT_SIZE(MvNotificationSetup, 12);
MV_LAYOUT_ALIGN(MvNotificationSetup, 4);
MV_LAYOUT_FIELD(MvNotificationSetup, irq, 0, 4);
MV_LAYOUT_FIELD(MvNotificationSetup, buffer, 4, 4);
MV_LAYOUT_FIELD(MvNotificationSetup, buffer_size, 8, 4);

MV_LAYOUT_SIZE(MvRequestNetworkParams, 12);
MV_LAYOUT_ALIGN(MvRequestNetworkParams, 4);
MV_LAYOUT_FIELD(MvRequestNetworkParams, version, 0, 4);
MV_LAYOUT_FIELD(MvRequestNetworkParams, v1.notification_handle, 4, 4);
MV_LAYOUT_FIELD(MvRequestNetworkParams, v1.notification_tag, 8, 4);

MV_LAYOUT_SIZE(MvSizedString, 8);
MV_LAYOUT_ALIGN(MvSizedString, 4);
MV_LAYOUT_FIELD(MvSizedString, data, 0, 4);
MV_LAYOUT_FIELD(MvSizedString, length, 4, 4);

MV_LAYOUT_SIZE(MvOpenChannelParams, 44);
MV_LAYOUT_ALIGN(MvOpenChannelParams, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, version, 0, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.notification_handle, 4, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.notification_tag, 8, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.network_handle, 12, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.receive_buffer, 16, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.receive_buffer_len, 20, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.send_buffer, 24, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.send_buffer_len, 28, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.channel_type, 32, 4);
MV_LAYOUT_FIELD(MvOpenChannelParams, v1.endpoint, 36, 8);

MV_LAYOUT_SIZE(MvHttpHeader, 8);
MV_LAYOUT_ALIGN(MvHttpHeader, 4);
MV_LAYOUT_FIELD(MvHttpHeader, length, 0, 4);
MV_LAYOUT_FIELD(MvHttpHeader, data, 4, 4);

MV_LAYOUT_SIZE(MvHttpRequest, 36);
MV_LAYOUT_ALIGN(MvHttpRequest, 4);
MV_LAYOUT_FIELD(MvHttpRequest, method, 0, 8);
MV_LAYOUT_FIELD(MvHttpRequest, url, 8, 8);
MV_LAYOUT_FIELD(MvHttpRequest, num_headers, 16, 4);
MV_LAYOUT_FIELD(MvHttpRequest, headers, 20, 4);
MV_LAYOUT_FIELD(MvHttpRequest, body, 24, 8);
MV_LAYOUT_FIELD(MvHttpRequest, timeout_ms, 32, 4);

MV_LAYOUT_SIZE(MvHttpResponseData, 16);
MV_LAYOUT_ALIGN(MvHttpResponseData, 4);
MV_LAYOUT_FIELD(MvHttpResponseData, result, 0, 4);
MV_LAYOUT_FIELD(MvHttpResponseData, status_code, 4, 4);
MV_LAYOUT_FIELD(MvHttpResponseData, num_headers, 8, 4);
MV_LAYOUT_FIELD(MvHttpResponseData, body_length, 12, 4);

MV_LAYOUT_SIZE(MvConfigKeyToFetch, 16);
MV_LAYOUT_ALIGN(MvConfigKeyToFetch, 4);
MV_LAYOUT_FIELD(MvConfigKeyToFetch, scope, 0, 4);
MV_LAYOUT_FIELD(MvConfigKeyToFetch, store, 4, 4);
MV_LAYOUT_FIELD(MvConfigKeyToFetch, key, 8, 8);

MV_LAYOUT_SIZE(MvConfigKeyFetchParams, 8);
MV_LAYOUT_ALIGN(MvConfigKeyFetchParams, 4);
MV_LAYOUT_FIELD(MvConfigKeyFetchParams, num_items, 0, 4);
MV_LAYOUT_FIELD(MvConfigKeyFetchParams, keys_to_fetch, 4, 4);

MV_LAYOUT_SIZE(MvConfigResponseData, 8);
MV_LAYOUT_ALIGN(MvConfigResponseData, 4);
MV_LAYOUT_FIELD(MvConfigResponseData, result, 0, 4);
MV_LAYOUT_FIELD(MvConfigResponseData, num_items, 4, 4);

MV_LAYOUT_SIZE(MvSizedStringBuffer, 12);
MV_LAYOUT_ALIGN(MvSizedStringBuffer, 4);
MV_LAYOUT_FIELD(MvSizedStringBuffer, data, 0, 4);
MV_LAYOUT_FIELD(MvSizedStringBuffer, size, 4, 4);
MV_LAYOUT_FIELD(MvSizedStringBuffer, length, 8, 4);

MV_LAYOUT_SIZE(MvConfigResponseReadItemParams, 20);
MV_LAYOUT_ALIGN(MvConfigResponseReadItemParams, 4);
MV_LAYOUT_FIELD(MvConfigResponseReadItemParams, item_index, 0, 4);
MV_LAYOUT_FIELD(MvConfigResponseReadItemParams, result, 4, 4);
MV_LAYOUT_FIELD(MvConfigResponseReadItemParams, buf, 8, 12);

MV_LAYOUT_SIZE(MvUsernamePassword, 16);
MV_LAYOUT_ALIGN(MvUsernamePassword, 4);
MV_LAYOUT_FIELD(MvUsernamePassword, username, 0, 8);
MV_LAYOUT_FIELD(MvUsernamePassword, password, 8, 8);

MV_LAYOUT_SIZE(MvMqttAuthentication, 20);
MV_LAYOUT_ALIGN(MvMqttAuthentication, 4);
MV_LAYOUT_FIELD(MvMqttAuthentication, method, 0, 1);
MV_LAYOUT_FIELD(MvMqttAuthentication, username_password, 4, 16);

MV_LAYOUT_SIZE(MvTlsCertificateChain, 8);
MV_LAYOUT_ALIGN(MvTlsCertificateChain, 4);
MV_LAYOUT_FIELD(MvTlsCertificateChain, num_certs, 0, 4);
MV_LAYOUT_FIELD(MvTlsCertificateChain, certs, 4, 4);

MV_LAYOUT_SIZE(MvOwnTlsCertificateChain, 16);
MV_LAYOUT_ALIGN(MvOwnTlsCertificateChain, 4);
MV_LAYOUT_FIELD(MvOwnTlsCertificateChain, chain, 0, 8);
MV_LAYOUT_FIELD(MvOwnTlsCertificateChain, key, 8, 8);

MV_LAYOUT_SIZE(MvTlsCredentials, 24);
MV_LAYOUT_ALIGN(MvTlsCredentials, 4);
MV_LAYOUT_FIELD(MvTlsCredentials, cacert, 0, 8);
MV_LAYOUT_FIELD(MvTlsCredentials, clientcert, 8, 16);

MV_LAYOUT_SIZE(MvMqttWill, 24);
MV_LAYOUT_ALIGN(MvMqttWill, 4);
MV_LAYOUT_FIELD(MvMqttWill, topic, 0, 8);
MV_LAYOUT_FIELD(MvMqttWill, payload, 8, 8);
MV_LAYOUT_FIELD(MvMqttWill, qos, 16, 4);
MV_LAYOUT_FIELD(MvMqttWill, retain, 20, 1);

MV_LAYOUT_SIZE(MvMqttConnectRequest, 60);
MV_LAYOUT_ALIGN(MvMqttConnectRequest, 4);
MV_LAYOUT_FIELD(MvMqttConnectRequest, protocol_version, 0, 4);
MV_LAYOUT_FIELD(MvMqttConnectRequest, host, 4, 8);
MV_LAYOUT_FIELD(MvMqttConnectRequest, port, 12, 2);
MV_LAYOUT_FIELD(MvMqttConnectRequest, clientid, 16, 8);
MV_LAYOUT_FIELD(MvMqttConnectRequest, authentication, 24, 20);
MV_LAYOUT_FIELD(MvMqttConnectRequest, tls_credentials, 44, 4);
MV_LAYOUT_FIELD(MvMqttConnectRequest, keepalive, 48, 4);
MV_LAYOUT_FIELD(MvMqttConnectRequest, clean_start, 52, 1);
MV_LAYOUT_FIELD(MvMqttConnectRequest, will, 56, 4);

MV_LAYOUT_SIZE(MvMqttConnectResponse, 8);
MV_LAYOUT_ALIGN(MvMqttConnectResponse, 4);
MV_LAYOUT_FIELD(MvMqttConnectResponse, request_state, 0, 4);
MV_LAYOUT_FIELD(MvMqttConnectResponse, reason_code, 4, 4);

MV_LAYOUT_SIZE(MvMqttSubscription, 24);
MV_LAYOUT_ALIGN(MvMqttSubscription, 4);
MV_LAYOUT_FIELD(MvMqttSubscription, topic, 0, 8);
MV_LAYOUT_FIELD(MvMqttSubscription, desired_qos, 8, 4);
MV_LAYOUT_FIELD(MvMqttSubscription, nl, 12, 4);
MV_LAYOUT_FIELD(MvMqttSubscription, rap, 16, 4);
MV_LAYOUT_FIELD(MvMqttSubscription, rh, 20, 4);

MV_LAYOUT_SIZE(MvMqttSubscribeRequest, 12);
MV_LAYOUT_ALIGN(MvMqttSubscribeRequest, 4);
MV_LAYOUT_FIELD(MvMqttSubscribeRequest, correlation_id, 0, 4);
MV_LAYOUT_FIELD(MvMqttSubscribeRequest, subscriptions, 4, 4);
MV_LAYOUT_FIELD(MvMqttSubscribeRequest, num_subscriptions, 8, 4);

MV_LAYOUT_SIZE(MvMqttSubscribeResponse, 20);
MV_LAYOUT_ALIGN(MvMqttSubscribeResponse, 4);
MV_LAYOUT_FIELD(MvMqttSubscribeResponse, request_state, 0, 4);
MV_LAYOUT_FIELD(MvMqttSubscribeResponse, correlation_id, 4, 4);
MV_LAYOUT_FIELD(MvMqttSubscribeResponse, reason_codes, 8, 4);
MV_LAYOUT_FIELD(MvMqttSubscribeResponse, reason_codes_size, 12, 4);
MV_LAYOUT_FIELD(MvMqttSubscribeResponse, reason_codes_len, 16, 4);

MV_LAYOUT_SIZE(MvMqttUnsubscribeRequest, 12);
MV_LAYOUT_ALIGN(MvMqttUnsubscribeRequest, 4);
MV_LAYOUT_FIELD(MvMqttUnsubscribeRequest, correlation_id, 0, 4);
MV_LAYOUT_FIELD(MvMqttUnsubscribeRequest, topics, 4, 4);
MV_LAYOUT_FIELD(MvMqttUnsubscribeRequest, num_topics, 8, 4);

MV_LAYOUT_SIZE(MvMqttUnsubscribeResponse, 20);
MV_LAYOUT_ALIGN(MvMqttUnsubscribeResponse, 4);
MV_LAYOUT_FIELD(MvMqttUnsubscribeResponse, request_state, 0, 4);
MV_LAYOUT_FIELD(MvMqttUnsubscribeResponse, correlation_id, 4, 4);
MV_LAYOUT_FIELD(MvMqttUnsubscribeResponse, reason_codes, 8, 4);
MV_LAYOUT_FIELD(MvMqttUnsubscribeResponse, reason_codes_size, 12, 4);
MV_LAYOUT_FIELD(MvMqttUnsubscribeResponse, reason_codes_len, 16, 4);

MV_LAYOUT_SIZE(MvMqttPublishRequest, 28);
MV_LAYOUT_ALIGN(MvMqttPublishRequest, 4);
MV_LAYOUT_FIELD(MvMqttPublishRequest, correlation_id, 0, 4);
MV_LAYOUT_FIELD(MvMqttPublishRequest, topic, 4, 8);
MV_LAYOUT_FIELD(MvMqttPublishRequest, payload, 12, 8);
MV_LAYOUT_FIELD(MvMqttPublishRequest, desired_qos, 20, 4);
MV_LAYOUT_FIELD(MvMqttPublishRequest, retain, 24, 4);

MV_LAYOUT_SIZE(MvMqttPublishResponse, 12);
MV_LAYOUT_ALIGN(MvMqttPublishResponse, 4);
MV_LAYOUT_FIELD(MvMqttPublishResponse, request_state, 0, 4);
MV_LAYOUT_FIELD(MvMqttPublishResponse, correlation_id, 4, 4);
MV_LAYOUT_FIELD(MvMqttPublishResponse, reason_code, 8, 4);

MV_LAYOUT_SIZE(MvMqttMessage, 36);
MV_LAYOUT_ALIGN(MvMqttMessage, 4);
MV_LAYOUT_FIELD(MvMqttMessage, correlation_id, 0, 4);
MV_LAYOUT_FIELD(MvMqttMessage, topic, 4, 12);
MV_LAYOUT_FIELD(MvMqttMessage, payload, 16, 12);
MV_LAYOUT_FIELD(MvMqttMessage, qos, 28, 4);
MV_LAYOUT_FIELD(MvMqttMessage, retain, 32, 4);

MV_LAYOUT_SIZE(MvMqttLostMessageInfo, 20);
MV_LAYOUT_ALIGN(MvMqttLostMessageInfo, 4);
MV_LAYOUT_FIELD(MvMqttLostMessageInfo, reason, 0, 4);
MV_LAYOUT_FIELD(MvMqttLostMessageInfo, topic, 4, 12);
MV_LAYOUT_FIELD(MvMqttLostMessageInfo, message_len, 16, 4);

MV_LAYOUT_SIZE(MvMqttDisconnectResponse, 8);
MV_LAYOUT_ALIGN(MvMqttDisconnectResponse, 4);
MV_LAYOUT_FIELD(MvMqttDisconnectResponse, request_state, 0, 4);
MV_LAYOUT_FIELD(MvMqttDisconnectResponse, disconnect_code, 4, 4);

MV_LAYOUT_SIZE(MvOpenSystemNotificationParams, 12);
MV_LAYOUT_ALIGN(MvOpenSystemNotificationParams, 4);
MV_LAYOUT_FIELD(MvOpenSystemNotificationParams, notification_handle, 0, 4);
MV_LAYOUT_FIELD(MvOpenSystemNotificationParams, notification_tag, 4, 4);
MV_LAYOUT_FIELD(MvOpenSystemNotificationParams, notification_source, 8, 4);

MV_LAYOUT_SIZE(MvExternalFlashInfo, 16);
MV_LAYOUT_ALIGN(MvExternalFlashInfo, 4);
MV_LAYOUT_FIELD(MvExternalFlashInfo, version, 0, 4);
MV_LAYOUT_FIELD(MvExternalFlashInfo, v1.chip_id, 4, 4);
MV_LAYOUT_FIELD(MvExternalFlashInfo, v1.size, 8, 4);
MV_LAYOUT_FIELD(MvExternalFlashInfo, v1.num_handles, 12, 4);

MV_LAYOUT_SIZE(MvWifiConfig, 24);
MV_LAYOUT_ALIGN(MvWifiConfig, 4);
MV_LAYOUT_FIELD(MvWifiConfig, version, 0, 4);
MV_LAYOUT_FIELD(MvWifiConfig, v1.config_mode, 4, 1);
MV_LAYOUT_FIELD(MvWifiConfig, v1.wifi_ssid, 8, 8);
MV_LAYOUT_FIELD(MvWifiConfig, v1.wifi_password, 16, 8);

MV_LAYOUT_SIZE(MvWifiConfigOut, 20);
MV_LAYOUT_ALIGN(MvWifiConfigOut, 4);
MV_LAYOUT_FIELD(MvWifiConfigOut, version, 0, 4);
MV_LAYOUT_FIELD(MvWifiConfigOut, v1.ssid, 4, 12);
MV_LAYOUT_FIELD(MvWifiConfigOut, v1.has_encryption, 16, 4);

#undef MV_LAYOUT_FIELD
#undef MV_LAYOUT_ALIGN
#undef MV_LAYOUT_SIZE
#undef MV_LAYOUT_ENUM
#undef MV_ALIGNOF
#undef MV_STATIC_ASSERT

#endif /* __arm__ */

#endif /* MVEMU_MV_SYSCALLS_H */
