#include "dispatch.h"

#include <stdexcept>
#include <string>

namespace mvemu {

namespace {

struct SlotName {
    uint32_t slot;
    std::string_view name;
    bool unavailable_in_handler;
};

// Every entry of shared/abi/syscalls.md. The API makes the calls flagged
// `true` return UNAVAILABLE from interrupt context (semantics.md section 10).
constexpr SlotName kSlots[] = {
    {0, "mvEnableFastInterrupt", false},      {1, "mvWriteChannelStream", false},
    {2, "mvGetMicroseconds", false},          {3, "mvGetSysClk", false},
    {4, "mvDisableAllFastInterrupts", false}, {5, "mvGetDeviceId", false},
    {6, "mvWriteChannel", false},             {7, "mvGetWallTime", false},
    {8, "mvRequestNetwork", false},           {9, "mvGetChannelClosureReason", false},
    {10, "mvCloseNotifications", false},      {11, "mvSetFastInterrupt", false},
    {12, "mvTemporaryStructTest", false},     {13, "mvDisableFastInterrupt", false},
    {14, "mvReadChannelComplete", false},     {15, "mvClearFastInterrupt", false},
    {16, "mvSetupNotifications", false},      {17, "mvGetPClk1", false},
    {18, "mvGetPClk2", false},                {19, "mvEnableAllFastInterrupts", false},
    {21, "mvPeriphPoke32", false},            {22, "mvReadChannel", false},
    {23, "mvGetHClk", false},                 {24, "mvOpenChannel", false},
    {25, "mvGetNetworkReasons", false},       {26, "mvReleaseNetwork", false},
    {27, "mvNoOp", false},                    {28, "mvTempTriggerNotification", false},
    {29, "mvGetNetworkStatus", false},        {30, "mvPeriphPeek32", false},
    {31, "mvCloseChannel", false},            {32, "mvSendHttpRequest", false},
    {33, "mvReadHttpResponseBody", false},    {34, "mvReadHttpResponseHeader", false},
    {35, "mvReadHttpResponseData", false},    {36, "mvServerLoggingInit", false},
    {37, "mvServerLog", false},               {38, "mvSendConfigFetchRequest", false},
    {39, "mvReadConfigFetchResponseData", false}, {40, "mvReadConfigResponseItem", false},
    {41, "mvMqttReadUnsubscribeResponse", false}, {42, "mvMqttAcknowledgeMessage", false},
    {43, "mvMqttReadDisconnectResponse", false},  {44, "mvMqttRequestDisconnect", false},
    {45, "mvMqttReadConnectResponse", false},     {46, "mvMqttRequestPublish", false},
    {47, "mvMqttRequestSubscribe", false},        {48, "mvMqttReadPublishResponse", false},
    {49, "mvMqttReceiveLostMessageInfo", false},  {50, "mvMqttReceiveMessage", false},
    {51, "mvMqttGetNextReadableDataType", false}, {52, "mvMqttRequestUnsubscribe", false},
    {53, "mvMqttRequestConnect", false},          {54, "mvMqttReadSubscribeResponse", false},
    {55, "mvTestingComplete", false},         {56, "mvTestLog", false},
    {57, "mvTestLoggingInit", false},         {58, "mvPowerSave", true},
    {59, "mvSystemLedEnable", true},          {60, "mvOpenSystemNotification", true},
    {61, "mvCloseSystemNotification", true},  {62, "mvDeepSleep", true},
    {63, "mvGetWakeReason", true},            {64, "mvRestart", true},
    {65, "mvExternalFlashClose", true},       {66, "mvExternalFlashGetInfo", true},
    {67, "mvExternalFlashWriteBlocking", true}, {68, "mvExternalFlashOpen", true},
    {69, "mvExternalFlashEraseBlocking", true}, {70, "mvExternalFlashReadBlocking", true},
    {72, "mvSetWifiConfig", false},           {73, "mvGetWifiConfig", false},
};

}  // namespace

SyscallTable::SyscallTable() {
    for (const auto& s : kSlots) {
        slots_[s.slot].name = s.name;
        slots_[s.slot].unavailable_in_handler = s.unavailable_in_handler;
    }
}

int SyscallTable::slot_of(std::string_view name) const {
    for (uint32_t i = 0; i < kSyscallSlots; i++) {
        if (slots_[i].name == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void SyscallTable::set(std::string_view name, Syscall::Handler handler) {
    int slot = slot_of(name);
    if (slot < 0) {
        throw std::logic_error("no system call named " + std::string(name));
    }
    slots_[slot].handler = handler;
}

}  // namespace mvemu
