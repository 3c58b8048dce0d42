/*
 * Microvisor's system calls: veneer slot, name, and whether the API makes
 * the call return UNAVAILABLE from interrupt context (semantics.md,
 * section 10). The one table the backend's dispatch table, the guest SDK's
 * entry symbols (guest-sdk/ld/mv_syscalls.ld.in, preprocessed with cpp)
 * and the tests take the slots from; shared/abi/syscalls.md lists them.
 * Slots 20 and 71 are not in the ABI and have no entry.
 *
 * Use: #define X(slot, name, unavailable_in_handler) ...; MVEMU_SYSCALLS(X)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MVEMU_SYSCALL_SLOTS_H
#define MVEMU_SYSCALL_SLOTS_H

#define MVEMU_SYSCALLS(X) \
    X(0, mvEnableFastInterrupt, 0) \
    X(1, mvWriteChannelStream, 0) \
    X(2, mvGetMicroseconds, 0) \
    X(3, mvGetSysClk, 0) \
    X(4, mvDisableAllFastInterrupts, 0) \
    X(5, mvGetDeviceId, 0) \
    X(6, mvWriteChannel, 0) \
    X(7, mvGetWallTime, 0) \
    X(8, mvRequestNetwork, 0) \
    X(9, mvGetChannelClosureReason, 0) \
    X(10, mvCloseNotifications, 0) \
    X(11, mvSetFastInterrupt, 0) \
    X(12, mvTemporaryStructTest, 0) \
    X(13, mvDisableFastInterrupt, 0) \
    X(14, mvReadChannelComplete, 0) \
    X(15, mvClearFastInterrupt, 0) \
    X(16, mvSetupNotifications, 0) \
    X(17, mvGetPClk1, 0) \
    X(18, mvGetPClk2, 0) \
    X(19, mvEnableAllFastInterrupts, 0) \
    X(21, mvPeriphPoke32, 0) \
    X(22, mvReadChannel, 0) \
    X(23, mvGetHClk, 0) \
    X(24, mvOpenChannel, 0) \
    X(25, mvGetNetworkReasons, 0) \
    X(26, mvReleaseNetwork, 0) \
    X(27, mvNoOp, 0) \
    X(28, mvTempTriggerNotification, 0) \
    X(29, mvGetNetworkStatus, 0) \
    X(30, mvPeriphPeek32, 0) \
    X(31, mvCloseChannel, 0) \
    X(32, mvSendHttpRequest, 0) \
    X(33, mvReadHttpResponseBody, 0) \
    X(34, mvReadHttpResponseHeader, 0) \
    X(35, mvReadHttpResponseData, 0) \
    X(36, mvServerLoggingInit, 0) \
    X(37, mvServerLog, 0) \
    X(38, mvSendConfigFetchRequest, 0) \
    X(39, mvReadConfigFetchResponseData, 0) \
    X(40, mvReadConfigResponseItem, 0) \
    X(41, mvMqttReadUnsubscribeResponse, 0) \
    X(42, mvMqttAcknowledgeMessage, 0) \
    X(43, mvMqttReadDisconnectResponse, 0) \
    X(44, mvMqttRequestDisconnect, 0) \
    X(45, mvMqttReadConnectResponse, 0) \
    X(46, mvMqttRequestPublish, 0) \
    X(47, mvMqttRequestSubscribe, 0) \
    X(48, mvMqttReadPublishResponse, 0) \
    X(49, mvMqttReceiveLostMessageInfo, 0) \
    X(50, mvMqttReceiveMessage, 0) \
    X(51, mvMqttGetNextReadableDataType, 0) \
    X(52, mvMqttRequestUnsubscribe, 0) \
    X(53, mvMqttRequestConnect, 0) \
    X(54, mvMqttReadSubscribeResponse, 0) \
    X(55, mvTestingComplete, 0) \
    X(56, mvTestLog, 0) \
    X(57, mvTestLoggingInit, 0) \
    X(58, mvPowerSave, 1) \
    X(59, mvSystemLedEnable, 1) \
    X(60, mvOpenSystemNotification, 1) \
    X(61, mvCloseSystemNotification, 1) \
    X(62, mvDeepSleep, 1) \
    X(63, mvGetWakeReason, 1) \
    X(64, mvRestart, 1) \
    X(65, mvExternalFlashClose, 1) \
    X(66, mvExternalFlashGetInfo, 1) \
    X(67, mvExternalFlashWriteBlocking, 1) \
    X(68, mvExternalFlashOpen, 1) \
    X(69, mvExternalFlashEraseBlocking, 1) \
    X(70, mvExternalFlashReadBlocking, 1) \
    X(72, mvSetWifiConfig, 0) \
    X(73, mvGetWifiConfig, 0)

#endif /* MVEMU_SYSCALL_SLOTS_H */
