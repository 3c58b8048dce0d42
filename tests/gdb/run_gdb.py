#!/usr/bin/env python3
"""Drive firmware under QEMU's gdbstub with gdb-multiarch and judge gdb's output.

usage: run_gdb.py QEMU BACKEND ELF

Starts QEMU halted (-S) with a gdbstub on a free TCP port, then runs
`gdb-multiarch -batch -nx` which: connects, breaks at main, runs to the
system-call line of gdb_target.c, steps over it with `next` (a BL into the
Secure veneer page: SG; SVC #N; BXNS LR), prints `status`, `now` and
`counter`, and kills the target. Both processes are bounded: the whole run ends within 30 s.

Exit status: 0 pass, 1 fail, 77 skip (no gdb-multiarch).
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sanitizer  # noqa: E402  (a sanitized backend's runtime and reports)

DEADLINE_S = 30.0
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gdb_target.c")


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def marker_lines():
    lines = {}
    with open(SOURCE) as f:
        for n, text in enumerate(f, 1):
            m = re.search(r"GDB-LINE: ([\w-]+)", text)
            if m:
                lines[m.group(1)] = (n, text.split("/*")[0].strip())
    return lines


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    qemu, backend, elf = sys.argv[1:]
    gdb = os.environ.get("GDB") or shutil.which("gdb-multiarch")
    if not gdb:
        print("SKIP: gdb-multiarch not found")
        return 77
    lines = marker_lines()
    syscall_line, syscall_text = lines["syscall"]
    after_line, after_text = lines["after-syscall"]

    port = free_port()
    machine = "microvisor-stm32u585,backend=" + backend.replace(",", ",,")
    qemu_cmd = [qemu, "-M", machine, "-kernel", elf, "-nodefaults", "-display", "none",
                "-monitor", "none", "-gdb", f"tcp:127.0.0.1:{port}", "-S"]
    print("$ " + " ".join(qemu_cmd), flush=True)
    start = time.monotonic()
    reports = tempfile.TemporaryDirectory(prefix="run_gdb-")
    q = subprocess.Popen(qemu_cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace", env=sanitizer.qemu_env(reports.name))

    gdb_cmds = [
        "set pagination off",
        "set confirm off",
        "set width 0",
        "set tcp auto-retry on",
        "set tcp connect-timeout 10",
        f"target remote 127.0.0.1:{port}",
        "break main",
        "continue",
        f"tbreak gdb_target.c:{syscall_line}",
        "continue",                      # counter = 42 done, at the system-call line
        "echo MARK before-call\\n",
        "print (int)status",
        "print counter",
        "next",                          # over the BL into the Secure veneer
        "echo MARK after-call\\n",
        "print (int)status",
        "print now",
        "print counter",
        "print $pc",
        "info frame",
        "kill",
        "quit",
    ]
    gdb_cmd = [gdb, "-batch", "-nx"]
    for c in gdb_cmds:
        gdb_cmd += ["-ex", c]
    gdb_cmd.append(elf)
    print("$ " + " ".join(f"'{a}'" if " " in a else a for a in gdb_cmd), flush=True)

    timed_out = False
    try:
        g = subprocess.run(gdb_cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", timeout=max(1.0, DEADLINE_S - (time.monotonic() - start)))
        out = g.stdout
    except subprocess.TimeoutExpired as e:
        timed_out = True
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
    try:
        q.wait(timeout=max(0.5, min(3.0, DEADLINE_S - (time.monotonic() - start))))
    except subprocess.TimeoutExpired:
        q.kill()
        q.wait()
    qout = q.stdout.read() or ""

    print("---- gdb ----")
    print(out)
    print("---- qemu ----")
    print(qout)
    print(f"---- {time.monotonic() - start:.1f}s ----")

    failures = []
    if timed_out:
        failures.append(f"gdb did not finish within {DEADLINE_S}s")
    before, _, after = out.partition("MARK before-call")
    mid, _, tail = after.partition("MARK after-call")

    def need(cond, what):
        if not cond:
            failures.append(what)

    need(re.search(r"Breakpoint 1, main \(\) at .*gdb_target\.c:\d+", before),
         "did not stop at main")
    need(re.search(rf"^{syscall_line}\s+{re.escape(syscall_text)}", before, re.M),
         f"did not stop at line {syscall_line} ({syscall_text})")
    need(re.search(r"^\$1 = 10$", mid, re.M), "status before the call is not 10")
    need(re.search(r"^\$2 = 42$", mid, re.M), "counter before the call is not 42")
    need(re.search(rf"^{after_line}\s+{re.escape(after_text)}", mid, re.M),
         f"next over the system call did not stop at line {after_line} ({after_text})")
    need(re.search(r"^\$3 = 0$", tail, re.M), "print status after the call is not 0")
    m = re.search(r"^\$4 = (\d+)$", tail, re.M)
    need(m and int(m.group(1)) > 0, "print now is not > 0")
    need(re.search(r"^\$5 = 42$", tail, re.M), "print counter is not 42 (the line after the call ran?)")
    need("testing complete" not in qout, "the firmware ran to completion (next did not stop)")
    need(not re.search(r"application crashed", qout), "the firmware crashed")
    need(sanitizer.check(reports.name), "sanitizer report (above)")
    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
