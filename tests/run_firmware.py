#!/usr/bin/env python3
"""Boot one firmware image on the board and judge it by exit status and console.

Used by the integration tests (tests/firmware/meson.build). The firmware's
verdict (mvTestingComplete) becomes QEMU's exit status; --expect/--reject
check the console; --until ends a run that never completes once a line shows.
"""
import argparse
import ctypes
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--qemu", required=True)
    p.add_argument("--backend", required=True)
    p.add_argument("--elf", required=True)
    p.add_argument("--profile")
    p.add_argument("--profile-text", help="TOML written to a temporary profile")
    p.add_argument("--expect-exit", type=int, default=0)
    p.add_argument("--expect", action="append", default=[], help="regex the console must match")
    p.add_argument("--expect-count", action="append", default=[],
                   help="REGEX=N: the regex must match exactly N lines")
    p.add_argument("--reject", action="append", default=[], help="regex the console must not match")
    p.add_argument("--until", help="stop QEMU once a console line matches (then exit status is not checked)")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("qemu_args", nargs="*")
    a = p.parse_args()

    profile = a.profile
    if a.profile_text:
        f = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
        f.write(a.profile_text.replace("\\n", "\n"))
        f.close()
        profile = f.name
    machine = "microvisor-stm32u585,backend=" + a.backend.replace(",", ",,")
    if profile:
        machine += ",profile=" + profile.replace(",", ",,")
    cmd = [a.qemu, "-M", machine, "-kernel", a.elf, "-nodefaults", "-display", "none",
           "-monitor", "none", "-serial", "none"] + a.qemu_args
    print("$ " + " ".join(cmd), flush=True)

    try:
        return run(a, cmd)
    finally:
        if a.profile_text:
            os.unlink(profile)


def die_with_parent():
    """In the child: QEMU gets SIGKILL if the runner dies (e.g. a test timeout)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def run(a, cmd):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", preexec_fn=die_with_parent)
    # Meson ends a test that overruns its timeout with SIGTERM: stop QEMU too.
    signal.signal(signal.SIGTERM, lambda *_: (proc.kill(), sys.exit(1)))
    # A reader thread feeds lines to a queue so the wait stays bounded.
    pending = queue.Queue()
    threading.Thread(target=lambda: [pending.put(l) for l in proc.stdout] + [pending.put(None)],
                     daemon=True).start()
    lines = []
    deadline = time.monotonic() + a.timeout
    stopped_by_until = timed_out = False
    while True:
        try:
            line = pending.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            timed_out = True
            break
        if line is None:
            break
        line = line.rstrip("\n")
        lines.append(line)
        print(line, flush=True)
        if a.until and re.search(a.until, line):
            stopped_by_until = True
            break
    if proc.poll() is None:
        proc.kill()
    proc.wait()

    failures = []
    if timed_out:
        failures.append(f"timed out after {a.timeout}s")
    elif not stopped_by_until and proc.returncode != a.expect_exit:
        failures.append(f"exit status {proc.returncode}, expected {a.expect_exit}")
    text = "\n".join(lines)
    for rx in a.expect:
        if not re.search(rx, text, re.M):
            failures.append(f"console lacks /{rx}/")
    for spec in a.expect_count:
        rx, n = spec.rsplit("=", 1)
        found = sum(1 for line in lines if re.search(rx, line))
        if found != int(n):
            failures.append(f"/{rx}/ matched {found} lines, expected {n}")
    for rx in a.reject:
        if re.search(rx, text, re.M):
            failures.append(f"console has /{rx}/")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
