"""One emulated device: a QEMU process whose log lines are read as they come.

Lines are echoed (unless told not to), kept in order, and written to a log
file with a virtual time and a source on every line. `expect()` consumes
them from a cursor, as pexpect does.
"""
import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
import time
from typing import Callable, List, Optional, Sequence, Union

from .log_lines import LogLine, parse
from .qmp import Qmp


class ExpectTimeout(AssertionError):
    """No matching line in time; says what the device printed meanwhile."""


class DeviceExited(AssertionError):
    """The device stopped before a matching line."""


Pattern = Union[str, "re.Pattern[str]"]


def _stop_with_parent():
    """In the child, before QEMU starts: SIGTERM when the process that
    started it dies, however it dies, so no device outlives its harness."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the prctl
        os._exit(1)


class Device:
    def __init__(self, argv: Sequence[str], *, echo: bool = True, log_file: Optional[str] = None,
                 env=None, cwd=None):
        self.argv = list(argv)
        self.echo = echo
        self.lines: List[LogLine] = []
        self.cursor = 0  # the next line expect() looks at
        self._changed = threading.Condition()
        self._last_virtual_s = 0.0
        self._log = open(log_file, "w", encoding="utf-8") if log_file else None
        self._readers_left = 2
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, cwd=cwd,
                                     preexec_fn=_stop_with_parent)
        self._readers = [threading.Thread(target=self._read, args=(pipe, name), daemon=True)
                         for pipe, name in ((self.proc.stdout, "stdout"),
                                            (self.proc.stderr, "stderr"))]
        for r in self._readers:
            r.start()

    # ---- reading ----

    def _read(self, pipe, stream: str):
        out = None
        if self.echo:
            out = sys.stdout if stream == "stdout" else sys.stderr
        for chunk in iter(pipe.readline, b""):
            raw = chunk.decode("utf-8", "replace").rstrip("\r\n")
            line = parse(raw, stream)
            with self._changed:
                if line.virtual_s is not None:
                    self._last_virtual_s = max(self._last_virtual_s, line.virtual_s)
                self.lines.append(line)
                if self._log:
                    self._log.write(line.stamped(self._last_virtual_s) + "\n")
                    self._log.flush()
                self._changed.notify_all()
            if out:
                out.write(raw + "\n")
                out.flush()
        with self._changed:
            self._readers_left -= 1
            self._changed.notify_all()

    @property
    def virtual_s(self) -> float:
        """The latest virtual time a line carried."""
        return self._last_virtual_s

    def output_done(self) -> bool:
        """QEMU has exited and both pipes are read to the end."""
        return self._readers_left == 0

    def next_line(self, deadline: Optional[float]) -> Optional[LogLine]:
        """The line at the cursor (advancing it), or None at the deadline or
        once the output has ended."""
        with self._changed:
            while self.cursor >= len(self.lines):
                if self._readers_left == 0:
                    return None
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._changed.wait(left)
            line = self.lines[self.cursor]
            self.cursor += 1
            return line

    def expect(self, pattern: Pattern, timeout: float = 10.0, source: Optional[str] = None) -> "re.Match[str]":
        """Wait for a line (of `source`, if given) matching the regular
        expression anywhere, its `[time] SOURCE: ` prefix included (as
        --expect-text does); returns the match. Lines before it are consumed."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        found = self._wait_for(lambda line: rx.search(line.raw), timeout, source,
                               f"line matching /{rx.pattern}/")
        return found

    def expect_exact(self, text: str, timeout: float = 10.0, source: Optional[str] = None) -> LogLine:
        """Wait for a line (of `source`, if given) that contains `text`
        (prefix included, as for expect())."""
        line_holder = []

        def match(line):
            if text in line.raw:
                line_holder.append(line)
                return True
            return False
        self._wait_for(match, timeout, source, f"line containing {text!r}")
        return line_holder[0]

    def _wait_for(self, match: Callable[[LogLine], object], timeout: float, source, what: str):
        deadline = time.monotonic() + timeout
        start = self.cursor
        while True:
            line = self.next_line(deadline)
            if line is None:
                seen = "\n".join("    " + ln.raw for ln in self.lines[start:][-20:]) or "    (nothing)"
                where = f" from {source}" if source else ""
                if self.output_done():
                    raise DeviceExited(f"the device stopped (exit status {self.proc.wait()}) "
                                       f"before a {what}{where}; its last lines:\n{seen}")
                raise ExpectTimeout(f"no {what}{where} within {timeout:g} s; "
                                    f"its last lines:\n{seen}")
            if source is not None and line.source != source.lower():
                continue
            result = match(line)
            if result:
                return result

    # ---- ending ----

    def wait(self, timeout: Optional[float] = None) -> Optional[int]:
        """QEMU's exit status once it exits and its output is read, or None
        after `timeout` seconds."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        for r in self._readers:
            r.join(5)
        return rc

    def stop(self, grace_s: float = 5.0) -> int:
        """Stop QEMU (SIGTERM, then SIGKILL after `grace_s`); its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        rc = self.wait()
        if self._log:
            with self._changed:
                self._log.close()
                self._log = None
        return rc

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class EmulatedDevice(Device):
    """A booted device: its log (expect/expect_exact from Device) and the
    board's controls over QMP."""

    def __init__(self, argv, qmp_path, **kw):
        super().__init__(argv, **kw)
        self._qmp_path = qmp_path
        self._qmp = None

    @property
    def qmp(self):
        """The monitor, connected on first use (a device that is done at
        once never needs it)."""
        if self._qmp is None:
            self._qmp = Qmp(self._qmp_path, alive=lambda: self.proc.poll() is None)
        return self._qmp

    def set_pin(self, pin, drive):
        """Drive a pin from outside ("low", "high", "released"), as a button does."""
        self.qmp.command("mvemu-gpio-set", pin=pin, drive=drive)

    def press(self, pin="PC13", pressed="high", released="low", hold_s=0.05):
        self.set_pin(pin, pressed)
        time.sleep(hold_s)
        self.set_pin(pin, released)

    def pin(self, pin):
        """The pin's level (0 or 1) as the GPIO port reads it."""
        port = pin[1]
        for p in self.qmp.command("query-mvemu-gpio", port=port):
            if p.get("pin") == pin:
                return int(p["level"])
        raise KeyError(pin)

    def set_sensor(self, device_id, prop, value):
        """Set a property of an I2C device named in the profile (e.g. an
        MCP9808's temperature in milli-degrees)."""
        self.qmp.command("qom-set", path=f"/machine/peripheral/{device_id}", property=prop,
                         value=value)

    def sensor(self, device_id, prop):
        return self.qmp.command("qom-get", path=f"/machine/peripheral/{device_id}", property=prop)

    def link(self, up):
        self.qmp.command("mvemu-set-link", up=bool(up))

    def virtual_ns(self):
        """The virtual clock now (the board's virtual-time-ns property)."""
        return int(self.qmp.command("qom-get", path="/machine", property="virtual-time-ns"))

    def restart(self):
        """Reset the whole device, as a power cycle does."""
        self.qmp.command("system_reset")

    def update_downloaded(self, elf=None):
        args = {"path": os.path.abspath(elf)} if elf else {}
        self.qmp.command("mvemu-update-downloaded", **args)

    def stop(self, grace_s=5.0):
        if self._qmp is not None:
            self._qmp.close()
        return super().stop(grace_s)
