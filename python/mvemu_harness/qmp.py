"""A small QMP client: the board's monitor commands (docs/launcher.md
"Monitor commands", docs/peripherals.md) from Python."""
import json
import socket
import time


class QmpError(RuntimeError):
    """The command failed; the message is QEMU's (or the backend's) own."""


class Qmp:
    def __init__(self, path, timeout=10.0, alive=lambda: True):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.settimeout(timeout)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline or not alive():
                    raise TimeoutError(f"no QMP socket at {path}")
                time.sleep(0.02)
        self.file = self.sock.makefile("rw", encoding="utf-8")
        self.events = []
        try:
            self.file.readline()  # the greeting
        except OSError as e:
            raise QmpError(f"QEMU closed the monitor ({e})")
        self.command("qmp_capabilities")

    def command(self, name, **arguments):
        """Run `name` with `arguments`; its "return" value, or QmpError."""
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        try:
            self.file.write(json.dumps(msg) + "\n")
            self.file.flush()
        except OSError as e:
            raise QmpError(f"QEMU closed the monitor ({e})")
        while True:
            try:
                line = self.file.readline()
            except OSError as e:
                raise QmpError(f"QEMU closed the monitor ({e})")
            if not line:
                raise QmpError("QEMU closed the monitor")
            reply = json.loads(line)
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise QmpError(reply["error"].get("desc", str(reply["error"])))
            elif "return" in reply:
                return reply["return"]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
