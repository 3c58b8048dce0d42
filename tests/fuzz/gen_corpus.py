#!/usr/bin/env python3
"""Write the seed corpus of the system-call fuzzer (tests/fuzz/corpus/).

One file per call group, in the operation encoding syscall_fuzzer.cpp
decodes: valid sequences (so the fuzzer starts from calls that succeed) and
variants with one field broken. Run it again after changing the encoding:
    python3 tests/fuzz/gen_corpus.py
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SLOTS_H = os.path.join(HERE, "..", "..", "plugin", "include", "mvemu", "syscall_slots.h")
SLOTS = re.findall(r"X\((\d+), (\w+), \d\)", open(SLOTS_H).read())
INDEX = {name: i for i, (_, name) in enumerate(SLOTS)}

OP_CALL, OP_WRITE, OP_WORD, OP_DELIVER, OP_SETTLE, OP_MONITOR = range(6)
BASE = 0x20001000  # kScratchBase


# Argument encodings (Harness::arg).
def small(n): return bytes([0, n])
def word(n): return bytes([1]) + struct.pack("<I", n & 0xFFFFFFFF)
def scratch(off): return bytes([2]) + struct.pack("<H", off)
def enum(n): return bytes([3, n & 0xFF])
def ram_end(k): return bytes([4, k])
def sram3(off): return bytes([5]) + struct.pack("<H", off)
def secure(off): return bytes([6]) + struct.pack("<H", off)
def flash(off): return bytes([7]) + struct.pack("<H", off)
def periph(i): return bytes([8]) + struct.pack("<H", i)
def unmapped(off): return bytes([9]) + struct.pack("<H", off)
def handle(i): return bytes([10, i])
def granule(i): return bytes([11, i])


def call(name, *args, handler=False):
    args = list(args) + [small(0)] * (4 - len(args))
    return bytes([OP_CALL, INDEX[name] | (0x80 if handler else 0)]) + b"".join(args)


def write(off, data):
    out = b""
    while data:  # at most 255 bytes per operation
        chunk, data = data[:255], data[255:]
        out += bytes([OP_WRITE]) + struct.pack("<HB", off, len(chunk)) + chunk
        off += len(chunk)
    return out


def put_word(off, arg): return bytes([OP_WORD]) + struct.pack("<H", off) + arg
def u32s(*v): return struct.pack("<%dI" % len(v), *v)
def deliver(step=10): return bytes([OP_DELIVER, step])
def settle(step=3): return bytes([OP_SETTLE, step])
def monitor(i): return bytes([OP_MONITOR, i])


# Scratch layout: structures at 0x000.., handles out at 0xF00.., strings at
# 0x800.., buffers from 0x2000 (512-byte granules).
H_NOTIF, H_NET, H_CHAN, H_OUT = 0xF00, 0xF04, 0xF08, 0xF10


def notifications():
    return (write(0x000, u32s(40, BASE + 0x2000, 16 * 16)) +
            call("mvSetupNotifications", scratch(0x000), scratch(H_NOTIF)))


def network():
    return (notifications() +
            write(0x020, u32s(1, 0, 7)) + put_word(0x024, handle(0)) +
            call("mvRequestNetwork", scratch(0x020), scratch(H_NET)) +
            deliver(12) + call("mvGetNetworkStatus", handle(1), scratch(H_OUT)))


def channel(kind, endpoint=b""):
    # MvOpenChannelParams: version, notif handle, tag, network handle,
    # rx buf, rx len, tx buf, tx len, type, endpoint data, endpoint length.
    return (network() + write(0x800, endpoint) +
            write(0x040, u32s(1, 0, 9, 0, BASE + 0x4000, 1024, BASE + 0x4400, 512, kind,
                              BASE + 0x800, len(endpoint))) +
            put_word(0x044, handle(0)) + put_word(0x04C, handle(1)) +
            call("mvOpenChannel", scratch(0x040), scratch(H_CHAN)))


def sized(off, s):  # a {data, length} pair at off pointing to the string at off+0x400
    return write(off + 0x400, s) + write(off, u32s(BASE + off + 0x400, len(s)))


def seeds():
    s = {}
    s["system-basic"] = (call("mvNoOp") + call("mvGetMicroseconds", scratch(H_OUT)) +
                         call("mvGetWallTime", scratch(H_OUT)) + call("mvGetDeviceId", scratch(0x100), small(34)) +
                         call("mvGetSysClk", scratch(H_OUT)) + call("mvGetHClk", scratch(H_OUT)) +
                         call("mvGetPClk1", scratch(H_OUT)) + call("mvGetPClk2", scratch(H_OUT)) +
                         call("mvGetWakeReason", scratch(H_OUT)))
    s["system-bad-pointers"] = (call("mvGetMicroseconds", secure(0)) + call("mvGetWallTime", flash(0)) +
                                call("mvGetDeviceId", ram_end(4), small(34)) +
                                call("mvGetSysClk", periph(0)) + call("mvGetHClk", unmapped(0)) +
                                call("mvGetPClk1", sram3(0)) + call("mvGetPClk1", scratch(1)))
    s["system-restart"] = call("mvRestart", enum(0)) + deliver() + call("mvRestart", enum(7)) + call("mvNoOp")
    s["system-testing-complete"] = call("mvTestingComplete", small(0)) + call("mvTestingComplete", word(0xFFFFFFFF)) + call("mvNoOp")
    s["system-handler"] = call("mvRestart", enum(0), handler=True) + call("mvGetWakeReason", scratch(H_OUT), handler=True)
    s["logging-server"] = (call("mvServerLoggingInit", granule(16), word(4096)) +
                           write(0x100, b"hello server log") + call("mvServerLog", scratch(0x100), small(16)) +
                           call("mvServerLog", scratch(0x100), word(5000)) + deliver())
    s["logging-test"] = (call("mvTestLoggingInit", granule(16), word(4096)) +
                         write(0x100, b"hello test log") + call("mvTestLog", scratch(0x100), small(14)) +
                         call("mvTestLog", secure(0), small(14)) + call("mvTestLoggingInit", flash(0), word(4096)))
    s["notifications-setup"] = notifications() + call("mvTempTriggerNotification", handle(0), small(1), small(5)) + deliver()
    s["notifications-bad"] = (write(0x000, u32s(200, BASE + 0x2000, 17)) +
                              call("mvSetupNotifications", scratch(0x000), scratch(H_NOTIF)) +
                              write(0x000, u32s(40, 0x30000000, 256)) +
                              call("mvSetupNotifications", scratch(0x000), scratch(H_NOTIF)) +
                              call("mvSetupNotifications", secure(0), scratch(H_NOTIF)))
    s["notifications-close"] = notifications() + call("mvCloseNotifications", scratch(H_NOTIF)) + call("mvCloseNotifications", scratch(H_NOTIF))
    s["network-request"] = network() + call("mvGetNetworkReasons", scratch(H_OUT), scratch(H_OUT + 4)) + deliver(40)
    s["network-release"] = network() + call("mvReleaseNetwork", scratch(H_NET)) + deliver() + call("mvReleaseNetwork", scratch(H_NET))
    s["network-link-flap"] = network() + monitor(0) + deliver(3) + monitor(1) + deliver(10) + monitor(3)
    s["network-bad-version"] = notifications() + write(0x020, u32s(9, 0, 7)) + call("mvRequestNetwork", scratch(0x020), scratch(H_NET))
    s["channel-opaque"] = channel(0, b"echo") + call("mvWriteChannel", handle(2), scratch(0x100), small(8), scratch(H_OUT)) + settle() + call("mvCloseChannel", scratch(H_CHAN))
    s["channel-bad-buffers"] = (network() + write(0x040, u32s(1, 0, 9, 0, BASE + 0x4001, 1000, BASE + 0x4000, 512, 3, 0, 0)) +
                                put_word(0x044, handle(0)) + put_word(0x04C, handle(1)) +
                                call("mvOpenChannel", scratch(0x040), scratch(H_CHAN)))
    s["channel-read"] = (channel(3) + call("mvReadChannel", handle(2), scratch(H_OUT), scratch(H_OUT + 4)) +
                         call("mvReadChannelComplete", handle(2), small(0)) +
                         call("mvGetChannelClosureReason", handle(2), scratch(H_OUT)) +
                         call("mvWriteChannelStream", handle(2), scratch(0x100), small(4), scratch(H_OUT)))
    cfg = (channel(3) + sized(0x200, b"key") +
           write(0x100, u32s(1, 1, BASE + 0x600, 3) + u32s(2, 0, BASE + 0x600, 3)) +
           write(0x600, b"key") + write(0x0C0, u32s(2, BASE + 0x100)) +
           call("mvSendConfigFetchRequest", handle(2), scratch(0x0C0)) + deliver(5) + deliver(5))
    s["config-fetch"] = (cfg + call("mvReadConfigFetchResponseData", handle(2), scratch(0x0E0)) +
                         write(0x0A0, u32s(0, 0, BASE + 0x3000, 64, BASE + H_OUT)) +
                         call("mvReadConfigResponseItem", handle(2), scratch(0x0A0)))
    s["config-fetch-broken"] = (channel(3) + write(0x100, u32s(1, 1, 0x30000000, 3)) +
                                write(0x0C0, u32s(100000, BASE + 0x100)) +
                                call("mvSendConfigFetchRequest", handle(2), scratch(0x0C0)) + deliver(5))
    # MQTT connect: version, host{ptr,len}, port, clientid{ptr,len}, auth method,
    # username{}, password{}, tls credentials ptr, keepalive, clean start, will ptr.
    host, cid = b"mqtt.example.com", b"fuzz-client"
    write_host = write(0x900, host) + write(0x940, cid)
    connect = write(0x300, u32s(1, BASE + 0x900, len(host), 8883, BASE + 0x940, len(cid), 0, 0, 0, 0, 0, 0, 60, 1, 0))
    mq = channel(1) + write_host + connect + call("mvMqttRequestConnect", handle(2), scratch(0x300)) + settle()
    s["mqtt-connect"] = mq + call("mvMqttReadConnectResponse", handle(2), scratch(0x0E0)) + call("mvMqttGetNextReadableDataType", handle(2), scratch(H_OUT))
    s["mqtt-connect-will"] = (channel(1) + write_host + connect + sized(0x380, b"will/topic") +
                              write(0x360, u32s(BASE + 0x780, 10, BASE + 0x780, 4, 1, 0)) +
                              write(0x338, u32s(BASE + 0x360)) +
                              call("mvMqttRequestConnect", handle(2), scratch(0x300)))
    s["mqtt-connect-tls-broken"] = (channel(1) + write_host + connect + write(0x3A0, u32s(5, BASE + 0x3C0, 1, 0x30000000, 0)) +
                                    write(0x32C, u32s(BASE + 0x3A0)) + call("mvMqttRequestConnect", handle(2), scratch(0x300)))
    s["mqtt-publish"] = (mq + write(0xA00, b"t/1") + write(0x3E0, u32s(7, BASE + 0xA00, 3, BASE + 0xA00, 3, 1, 0)) +
                         call("mvMqttRequestPublish", handle(2), scratch(0x3E0)) +
                         call("mvMqttReadPublishResponse", handle(2), scratch(0x0E0)))
    s["mqtt-subscribe"] = (mq + write(0xA00, b"t/#") + write(0x400, u32s(BASE + 0xA00, 3, 1, 0, 0, 0)) +
                           write(0x420, u32s(3, BASE + 0x400, 1)) + call("mvMqttRequestSubscribe", handle(2), scratch(0x420)) +
                           write(0x440, u32s(0, 0, BASE + 0x480, 8, BASE + H_OUT)) +
                           call("mvMqttReadSubscribeResponse", handle(2), scratch(0x440)) +
                           write(0x430, u32s(4, BASE + 0x400, 1)) + call("mvMqttRequestUnsubscribe", handle(2), scratch(0x430)) +
                           call("mvMqttReadUnsubscribeResponse", handle(2), scratch(0x440)))
    s["mqtt-receive"] = (mq + write(0x460, u32s(0, BASE + 0x480, 8, BASE + H_OUT, BASE + 0x500, 8, BASE + H_OUT + 4, 0, 0)) +
                         call("mvMqttReceiveMessage", handle(2), scratch(0x460)) + call("mvMqttAcknowledgeMessage", handle(2), small(1)) +
                         call("mvMqttReceiveLostMessageInfo", handle(2), scratch(0x460)) +
                         call("mvMqttRequestDisconnect", handle(2)) + call("mvMqttReadDisconnectResponse", handle(2), scratch(0x0E0)))
    url, method = b"https://example.com/get", b"GET"
    http = (channel(2) + write(0xB00, url) + write(0xB80, method) + sized(0xC00, b"Accept: */*") +
            write(0x500, u32s(11, BASE + 0x1000)) + write(0x1000, b"Accept: */*"))
    req = write(0x520, u32s(BASE + 0xB80, 3, BASE + 0xB00, len(url), 1, BASE + 0x500, 0, 0, 5000))
    s["http-request"] = (http + req + call("mvSendHttpRequest", handle(2), scratch(0x520)) + settle(20) + deliver(40) +
                         call("mvReadHttpResponseData", handle(2), scratch(0x0E0)) +
                         call("mvReadHttpResponseHeader", handle(2), small(0), scratch(0x3000), word(64)) +
                         call("mvReadHttpResponseBody", handle(2), small(0), scratch(0x3000), word(64)))
    s["http-broken-headers"] = (http + write(0x500, u32s(0xFFFFFFFF, 0x30000000)) + req +
                                call("mvSendHttpRequest", handle(2), scratch(0x520)))
    s["http-bad-method"] = (http + write(0xB80, b"BREW") + write(0x520, u32s(BASE + 0xB80, 4, BASE + 0xB00, len(url), 0, 0, 0, 0, 0)) +
                            call("mvSendHttpRequest", handle(2), scratch(0x520)))
    s["peripheral"] = (call("mvPeriphPeek32", word(0x46020C00), scratch(H_OUT)) +
                       call("mvPeriphPoke32", word(0x46020C4C), word(0xFF), word(0x10)) +
                       call("mvPeriphPeek32", word(0x40022000), scratch(H_OUT)) +
                       call("mvPeriphPeek32", periph(3), secure(0)) + call("mvPeriphPoke32", unmapped(0), word(1), word(1)))
    s["fast-interrupts"] = (call("mvSetFastInterrupt", small(40)) + call("mvEnableFastInterrupt", small(40)) +
                            call("mvDisableAllFastInterrupts") + call("mvEnableAllFastInterrupts") +
                            call("mvDisableFastInterrupt", small(40)) + call("mvClearFastInterrupt", small(40)) +
                            call("mvSetFastInterrupt", word(1000)) + notifications())
    s["device-led-sleep"] = (call("mvSystemLedEnable", small(0)) + call("mvPowerSave", enum(0)) + call("mvPowerSave", enum(9)) +
                             call("mvDeepSleep", enum(0)) + call("mvRestart", enum(0)) + deliver(40) + deliver(40))
    s["device-system-notification"] = (notifications() + write(0x060, u32s(0, 3, 0)) + put_word(0x060, handle(0)) +
                                       call("mvOpenSystemNotification", scratch(0x060), scratch(H_CHAN)) + monitor(2) + deliver() +
                                       call("mvCloseSystemNotification", scratch(H_CHAN)))
    s["device-wifi"] = (write(0x700, b"ssid") + write(0x710, b"password") +
                        write(0x080, u32s(1, 0, BASE + 0x700, 4, BASE + 0x710, 8)) + call("mvSetWifiConfig", scratch(0x080)) +
                        write(0x0A0, u32s(1, BASE + 0x720, 32, BASE + H_OUT, 0)) + call("mvGetWifiConfig", scratch(0x0A0)) +
                        write(0x080, u32s(1, 0, BASE + 0x700, 0xFFFF, 0, 8)) + call("mvSetWifiConfig", scratch(0x080)))
    s["external-flash"] = (call("mvExternalFlashOpen", scratch(H_CHAN)) +
                           call("mvExternalFlashGetInfo", handle(0), scratch(0x0A0)) +
                           call("mvExternalFlashEraseBlocking", handle(0), small(0), word(4096)) +
                           call("mvExternalFlashWriteBlocking", handle(0), small(0), small(16), scratch(0x100)) +
                           call("mvExternalFlashReadBlocking", handle(0), small(0), small(16), scratch(0x200)) +
                           call("mvExternalFlashReadBlocking", handle(0), word(0xFFFFFFF0), word(64), scratch(0x200)) +
                           call("mvExternalFlashClose", scratch(H_CHAN)))
    s["stale-handles"] = (channel(3) + call("mvCloseChannel", scratch(H_CHAN)) + call("mvReadChannel", handle(2), scratch(H_OUT), scratch(H_OUT + 4)) +
                          call("mvCloseNotifications", scratch(H_NOTIF)) + call("mvTempTriggerNotification", handle(0), small(1), small(1)) +
                          call("mvGetNetworkStatus", handle(0xF1), scratch(H_OUT)))
    s["restart-with-channels"] = channel(1) + call("mvRestart", enum(0)) + call("mvWriteChannel", handle(2), scratch(0x100), small(8), scratch(H_OUT)) + deliver()
    s["unassigned-slots"] = call("mvTemporaryStructTest") + bytes([OP_CALL, 0x7F]) + small(0) * 4
    return s


def main():
    out = os.path.join(HERE, "corpus")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        os.remove(os.path.join(out, name))
    for name, data in sorted(seeds().items()):
        assert len(data) <= 4096, name
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds())} seeds in {out}")


if __name__ == "__main__":
    main()
