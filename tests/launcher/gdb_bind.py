#!/usr/bin/env python3
"""./mvemu run --gdb listens on loopback unless asked otherwise.

usage: gdb_bind.py REPO QEMU BACKEND ELF

Runs the launcher against a build folder made for the test (its stamp names
QEMU, plugin/ links the backend) twice: `--gdb=PORT` must listen on
127.0.0.1 only, `--gdb=0.0.0.0:PORT` on every interface. The listening
address is read from /proc/net/tcp{,6} while QEMU waits halted (-S).
"""
import os
import signal
import socket
import subprocess
import sys
import time

from launcher_build import launcher_env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listeners(port):
    """Local addresses in LISTEN state on port, as 'ADDR' hex strings."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            addr, hexport = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(hexport, 16) == port:
                found.append(addr)
    return found


def listen_address(repo, env, elf, gdb_arg, port):
    cmd = [os.path.join(repo, "mvemu"), "run", elf, gdb_arg, "--timeout", "20"]
    print("$ " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            found = listeners(port)
            if found:
                return found
            time.sleep(0.05)
        return []
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        print(proc.communicate()[0], end="", flush=True)


def main():
    repo, qemu, backend, elf = sys.argv[1:]
    failures = []
    with launcher_env(qemu, backend) as env:
        port = free_port()
        found = listen_address(repo, env, elf, f"--gdb={port}", port)
        print(f"--gdb={port}: listening on {found}")
        if found != ["0100007F"]:
            failures.append(f"--gdb={port} should listen on 127.0.0.1 only (0100007F), got {found}")
        port = free_port()
        found = listen_address(repo, env, elf, f"--gdb=0.0.0.0:{port}", port)
        print(f"--gdb=0.0.0.0:{port}: listening on {found}")
        if found != ["00000000"]:
            failures.append(f"--gdb=0.0.0.0:{port} should listen on every interface, got {found}")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
