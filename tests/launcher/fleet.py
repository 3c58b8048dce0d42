#!/usr/bin/env python3
"""./mvemu fleet: devices at once, each with its own ID and log, CPU and
memory reported.

usage: fleet.py REPO QEMU BACKEND IDLE_ELF

Three idle devices (bench/idle_guest.c) for 3 s from a profile template,
paced (the fleet's default: the run options are ./mvemu run --paced):
each gets the base ID plus its index (mvGetDeviceId shows it in the server
log prefix) and the template's {index}; the closing table lists all three.
Each ./mvemu run has a harness (--timeout); when the fleet stops them, no
QEMU may be left running (each carries a -name unique to this test).
"""
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

from launcher_build import launcher_env


def survivors(marker, settle_s=5.0):
    """Processes whose command line holds `marker`, once they had
    `settle_s` to exit."""
    deadline = time.monotonic() + settle_s
    while True:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(pid))
            except OSError:
                pass
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def main():
    repo, qemu, backend, elf = sys.argv[1:]
    failures = []
    with tempfile.TemporaryDirectory(prefix="mvemu-fleet-test-") as tmp, \
            launcher_env(qemu, backend) as env:
        template = os.path.join(tmp, "fleet.toml")
        with open(template, "w") as f:
            f.write('[device]\nid = "UV00000000000000000000000000000000"\nhandle_seed = {index}\n'
                    '[logging]\nfile = "' + tmp + '/server-{index}.log"\n')
        logs = os.path.join(tmp, "logs")
        marker = "mvemu-fleet-test-" + uuid.uuid4().hex
        # The documented order: the image, the fleet's options, then after
        # "--" the options of each ./mvemu run.
        cmd = [os.path.join(repo, "mvemu"), "fleet", elf, "--count", "3", "--profile", template,
               "--base-id", "UV000000000000000000000000000000f0", "--duration", "3",
               "--report-every", "1", "--log-dir", logs, "--", "--timeout", "60", "--", "-name", marker]
        print("$ " + " ".join(cmd), flush=True)
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=60)
        print(proc.stdout)
        if proc.returncode != 0:
            failures.append(f"exit status {proc.returncode}")
        for i, dev_id in enumerate(["UV000000000000000000000000000000f0",
                                    "UV000000000000000000000000000000f1",
                                    "UV000000000000000000000000000000f2"]):
            log = open(os.path.join(logs, f"dev{i:03d}.log")).read()
            if f"{dev_id} server: idle: ticks=0 at " not in log:
                failures.append(f"dev{i:03d}'s log has no line from {dev_id}")
            if not os.path.exists(os.path.join(tmp, f"server-{i}.log")):
                failures.append(f"the template's {{index}} was not filled in for device {i}")
            if not re.search(rf"^\[dev{i:03d}\] |^dev{i:03d}  {dev_id}  +\d+\.\d\d +\d+\.\d +\d+\.\d  ",
                             proc.stdout, re.M):
                failures.append(f"no table row for dev{i:03d}")
        if not re.search(r"^mvemu fleet: 3 devices from .* \(paced\), logs in ", proc.stdout, re.M):
            failures.append("the devices did not run paced (the fleet's default)")
        if not re.search(r"^mvemu fleet: +\d+\.\d s: 3 running, host CPU [\d.]+% of one core", proc.stdout, re.M):
            failures.append("no progress report")
        left = survivors(marker)
        if left:
            failures.append(f"{len(left)} QEMU process(es) outlived the fleet: {left}")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
