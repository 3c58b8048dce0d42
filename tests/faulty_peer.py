"""Servers that misbehave, on 127.0.0.1 at kernel-chosen ports, for the
cloud-fault tests (docs/reliability.md, "Cloud faults").

Modes:
  silent   accepts and reads, never answers (a stalled TLS handshake, a broker
           that never sends CONNACK, an HTTP server that never replies)
  garbage  answers whatever it receives with bytes that are neither MQTT, TLS
           nor HTTP, then keeps reading
  trickle  sends one byte a second, forever: the header of a 16 KiB TLS
           handshake record, then its body (a server whose ServerHello
           crawls; a client waits for the whole record)
  reset    accepts and resets the connection at once (SO_LINGER 0)

One daemon thread serves every connection of a peer; stop() closes them all.
"""
import random
import selectors
import socket
import struct
import threading
import time

MODES = ("silent", "garbage", "trickle", "reset")
TRICKLE = b"\x16\x03\x03\x40\x00" + b"\x02" * 0x4000


class FaultyPeer:
    def __init__(self, mode):
        if mode not in MODES:
            raise ValueError(f"unknown faulty peer mode {mode!r} (one of {', '.join(MODES)})")
        self.mode = mode
        self.accepted = 0
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=4096)
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        # Garbage that starts like no protocol the emulator speaks: MQTT's
        # first byte 0x00 is reserved, TLS's 0x00 is no record type, and HTTP
        # wants "HTTP/".
        rng = random.Random(20261202)
        self.garbage = b"\x00\xff" + bytes(rng.randrange(256) for _ in range(4094))
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join(5)

    def serve(self):
        sel = selectors.DefaultSelector()
        sel.register(self.listener, selectors.EVENT_READ)
        trickling = {}  # socket -> bytes sent so far
        next_trickle = time.monotonic()
        try:
            while not self.stopping.is_set():
                for key, _ in sel.select(timeout=0.05):
                    if key.fileobj is self.listener:
                        self.accept(sel, trickling)
                    else:
                        self.service(sel, key.fileobj, trickling)
                if trickling and time.monotonic() >= next_trickle:
                    next_trickle = time.monotonic() + 1.0
                    for s, sent in list(trickling.items()):
                        try:
                            s.send(TRICKLE[sent % len(TRICKLE):][:1])
                            trickling[s] = sent + 1
                        except OSError:
                            del trickling[s]
        finally:
            for key in list(sel.get_map().values()):
                key.fileobj.close()
            sel.close()

    def accept(self, sel, trickling):
        while True:
            try:
                s, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self.mode == "reset":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()
                continue
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            if self.mode == "trickle":
                trickling[s] = 0

    def service(self, sel, s, trickling):
        try:
            data = s.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            sel.unregister(s)
            trickling.pop(s, None)
            s.close()
            return
        if self.mode == "garbage":
            try:
                s.send(self.garbage)
            except OSError:
                pass
