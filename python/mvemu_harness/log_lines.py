"""What QEMU prints under mvemu, one line at a time.

Every source prints `[SECONDS.MICROS] SOURCE: text` with the virtual time:
the Microvisor server log (`UV<id> server`), test logs (`UV<id> test`), each
serial port without a chardev (`USART2`), the emulator (`mvemu`). QEMU's own
messages (`qemu-system-arm: ...`) carry no time.
"""
import re
from dataclasses import dataclass
from typing import Optional

_STAMPED = re.compile(r"^\[\s*(\d+)\.(\d{6})\] (.*?): (.*)$")
_DEVICE_SOURCE = re.compile(r"^(UV[0-9a-fA-F]+) (\S+)$")


@dataclass(frozen=True)
class LogLine:
    raw: str                      # the line as printed, without its newline
    stream: str                   # "stdout" or "stderr"
    source: str                   # "server", "test", "usart2", "mvemu", "qemu", ...
    text: str                     # after "SOURCE: "
    virtual_s: Optional[float]    # the virtual time it carries, if any
    device_id: Optional[str] = None

    def stamped(self, last_virtual_s: float) -> str:
        """The line for a log file: every line with a time and a source."""
        if self.virtual_s is not None and self.raw.startswith("["):
            return self.raw
        t = self.virtual_s if self.virtual_s is not None else last_virtual_s
        return f"[{format_virtual(t)}] {self.source}: {self.text}"


def format_virtual(seconds: float) -> str:
    micros = int(round(seconds * 1e6))
    return f"{micros // 1000000:6d}.{micros % 1000000:06d}"


_QEMU_PREFIX = re.compile(r"^qemu-system-\w+: ")


def parse(raw: str, stream: str) -> LogLine:
    # The emulator's warnings come through QEMU's error_report, which puts
    # its own name first: "qemu-system-arm: [  0.1] mvemu: ...".
    q = _QEMU_PREFIX.match(raw)
    m = _STAMPED.match(raw[q.end():] if q else raw)
    if m:
        seconds = int(m.group(1)) + int(m.group(2)) / 1e6
        source, device_id = m.group(3), None
        d = _DEVICE_SOURCE.match(source)
        if d:
            device_id, source = d.group(1), d.group(2)
        return LogLine(raw, stream, source.lower(), m.group(4), seconds, device_id)
    if q:
        return LogLine(raw, stream, "qemu", raw[q.end():], None)
    if raw.startswith("mvemu: "):
        return LogLine(raw, stream, "mvemu", raw[len("mvemu: "):], None)
    return LogLine(raw, stream, "qemu" if stream == "stderr" else "console", raw, None)


# The backend's line for mvTestingComplete (plugin/src/calls/logging_calls.cpp).
_VERDICT = re.compile(r"^testing complete: status (\d+)")


def verdict(line: LogLine) -> Optional[int]:
    """The status the firmware passed to mvTestingComplete, if this line says so."""
    if line.source != "mvemu":
        return None
    m = _VERDICT.match(line.text)
    return int(m.group(1)) if m else None
