#!/usr/bin/env python3
"""./mvemu run --trace-syscalls: text to a file, JSON lines, groups, console.

usage: trace_syscalls.py REPO QEMU BACKEND HELLO_ELF

hello.elf logs, reads its device ID and clocks, sets up notifications and
triggers one. Each run checks the trace it wrote: one line per call with
its decoded arguments, its status by name and a caller in the
application's flash.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from launcher_build import launcher_env


def run(repo, env, elf, *options):
    cmd = [os.path.join(repo, "mvemu"), "run", elf, "--timeout", "30"] + list(options)
    print("$ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=60)
    print(proc.stdout, end="")
    return proc


def main():
    repo, qemu, backend, hello = sys.argv[1:]
    failures = []
    with tempfile.TemporaryDirectory(prefix="mvemu-trace-") as tmp, \
            launcher_env(qemu, backend) as env:
        text = os.path.join(tmp, "calls.txt")
        if run(repo, env, hello, f"--trace-syscalls={text}").returncode != 0:
            failures.append("the text run failed")
        lines = open(text).read().splitlines()
        line_rx = re.compile(r"^\[\s*\d+\.\d{6}\] syscall: (mv\w+)\((.*)\) -> ([A-Z]+) "
                             r"pc=0x080[0-9a-f]{5}$")
        bad = [ln for ln in lines if not line_rx.match(ln)]
        if bad or not lines:
            failures.append(f"lines not in the documented form: {bad[:3] or 'no lines'}")
        for want in [r'mvServerLog\(message=0x[0-9a-f]{8}, length_bytes=\d+, text="hello from UV',
                     r"mvSetupNotifications\(notifications=0x[0-9a-f]{8}, irq=\d+, buffer_size=\d+",
                     r"mvTempTriggerNotification\(.*type=NETWORKSTATUSCHANGED",
                     r"mvGetDeviceId\(buf=0x[0-9a-f]{8}, len=34\) -> OKAY",
                     r"mvTestingComplete\(.*\) -> OKAY"]:
            if not any(re.search(want, ln) for ln in lines):
                failures.append(f"no trace line matching {want}")

        jsonl = os.path.join(tmp, "calls.jsonl")
        run(repo, env, hello, f"--trace-syscalls={jsonl}", "--trace-syscalls-format", "json",
            "--trace-syscalls-groups", "log,notification")
        records = [json.loads(ln) for ln in open(jsonl).read().splitlines()]
        groups = {r["group"] for r in records}
        if groups != {"log", "notification"}:
            failures.append(f"groups traced {groups}, expected log and notification")
        if any(set(r) != {"t", "pc", "call", "group", "status", "args"} for r in records):
            failures.append("a JSON record without the documented keys")

        proc = run(repo, env, hello, "--trace-syscalls", "--trace-syscalls-groups", "time")
        console = [ln for ln in proc.stdout.splitlines() if "] syscall: " in ln]
        if not console or any(not re.search(r"syscall: mvGet(SysClk|HClk|Microseconds)", ln)
                              for ln in console):
            failures.append(f"console trace of the time group: {console[:3]}")

        proc = run(repo, env, hello, "--trace-syscalls", "--trace-syscalls-groups", "nosuch")
        if proc.returncode == 0 or 'no group "nosuch"' not in proc.stdout:
            failures.append("an unknown group was not refused")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
