#!/usr/bin/env python3
"""./mvemu run --paced (docs/launcher.md "Paced mode").

usage: paced.py REPO QEMU BACKEND IDLE_RTOS_ELF

1. The KORE-style idle RTOS image (bench/idle_rtos_guest.c: a 1 kHz tick, an
   idle task that spins) runs paced until it logs 10 s of virtual time with
   10,000 ticks counted: every tick on time, and not before 10 s of real
   time less the 3 ms lead (the guest never runs ahead of real time).
2. The CPU slept in the idle task: the board's idle-parks count, read over
   QMP (the launcher passes -qmp after --), is in the thousands.
3. --paced with --record is refused with status 2; an -icount after -- is
   taken instead of the one --paced adds.
"""
import json
import re
import os
import socket
import subprocess
import sys
import tempfile
import time

from launcher_build import launcher_env

TICKS_LINE = re.compile(r"idle-rtos: ticks=10000 at (\d+) us")
START_LINE = re.compile(r"idle-rtos: ticks=0 at (\d+) us")


def qom_idle_parks(path):
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(path)
        f = s.makefile("rw")
        json.loads(f.readline())
        for cmd in ({"execute": "qmp_capabilities"},
                    {"execute": "qom-get", "arguments": {"path": "/machine", "property": "idle-parks"}}):
            f.write(json.dumps(cmd) + "\n")
            f.flush()
            while True:
                reply = json.loads(f.readline())
                if "return" in reply or "error" in reply:
                    break
        return reply.get("return")


def main():
    repo, qemu, backend, elf = sys.argv[1:]
    mvemu = os.path.join(repo, "mvemu")
    failures = []
    with tempfile.TemporaryDirectory(prefix="mvemu-paced-test-") as tmp, \
            launcher_env(qemu, backend) as env:
        qmp = os.path.join(tmp, "qmp.sock")
        cmd = [mvemu, "run", elf, "--paced", "--", "-qmp", f"unix:{qmp},server=on,wait=off"]
        print("$ " + " ".join(cmd), flush=True)
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        seen_at, parks, start_us, at_us = None, None, None, None
        try:
            for line in proc.stdout:
                print(line, end="")
                if m := START_LINE.search(line):
                    start_us = int(m.group(1))
                if m := TICKS_LINE.search(line):
                    at_us = int(m.group(1))
                    seen_at = time.monotonic() - started
                    parks = qom_idle_parks(qmp)
                    break
                if time.monotonic() - started > 90:
                    break
        finally:
            proc.terminate()
            proc.wait(10)
        print(f"10 s of virtual time after {seen_at} s of real time; idle-parks {parks}")
        if seen_at is None or start_us is None:
            failures.append(f"no lines /{START_LINE.pattern}/ and /{TICKS_LINE.pattern}/")
        elif abs(at_us - start_us - 10_000_000) > 1000:
            failures.append(f"10,000 ticks took {at_us - start_us} us of virtual time: a tick was late or lost")
        elif seen_at < 10.0 - 0.003:
            failures.append(f"10 s of virtual time after only {seen_at:.3f} s: ahead of real time")
        if not isinstance(parks, int) or parks < 5000:
            failures.append(f"idle-parks {parks!r}: the idle task did not sleep")

        r = subprocess.run([mvemu, "run", elf, "--paced", "--record", os.path.join(tmp, "x.rec")],
                           env=env, capture_output=True, text=True, timeout=60)
        print(f"--paced --record: exit {r.returncode}: {r.stderr.strip()}")
        if r.returncode != 2 or "one or the other" not in r.stderr:
            failures.append("--paced with --record was not refused with status 2")

        r = subprocess.run([mvemu, "run", elf, "--paced", "--virtual-timeout", "1",
                            "--", "-icount", "shift=0"], env=env, capture_output=True, text=True,
                           timeout=60)
        print(f"--paced -- -icount shift=0: exit {r.returncode}")
        if r.returncode != 124 or "virtual time limit" not in r.stdout + r.stderr:
            failures.append(f"--paced with the user's -icount: exit {r.returncode}, expected 124:\n"
                            + r.stdout + r.stderr)
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
