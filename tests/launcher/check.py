#!/usr/bin/env python3
"""./mvemu check: a suite of firmware tests in parallel, JUnit report, shards.

usage: check.py REPO QEMU BACKEND HELLO_ELF VERDICT_ELF RTOS_APP_ELF

Makes a test directory as a user would (ELFs with a profile and an .args
file beside them), runs `./mvemu check -j 2 --junit` on it and checks the
progress lines, the closing line, the exit status and the report; then runs
it as two shards and checks that they split the tests between them.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from launcher_build import RTOS_APP_DEVICES, launcher_env



def make_suite(root, hello, verdict, rtos):
    os.makedirs(os.path.join(root, "sensors"))
    shutil.copy(hello, os.path.join(root, "hello.elf"))
    shutil.copy(verdict, os.path.join(root, "verdict.elf"))
    app = os.path.join(root, "sensors", "app.elf")
    shutil.copy(rtos, app)
    with open(app[:-4] + ".toml", "w") as f:
        f.write(RTOS_APP_DEVICES)
    with open(app[:-4] + ".args", "w") as f:
        f.write('# what the app must print\n--expect-text "USART2: temperature 23.5 C"\n'
                "--virtual-timeout 5\n-- -icount shift=4,sleep=off\n")


def check(repo, env, args):
    cmd = [os.path.join(repo, "mvemu"), "check"] + args
    print("$ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)
    print(proc.stdout, end="", flush=True)
    return proc


def main():
    repo, qemu, backend, hello, verdict, rtos = sys.argv[1:]
    failures = []
    with tempfile.TemporaryDirectory(prefix="mvemu-check-test-") as tmp, \
            launcher_env(qemu, backend) as env:
        suite = os.path.join(tmp, "suite")
        make_suite(suite, hello, verdict, rtos)
        report = os.path.join(tmp, "report.xml")
        proc = check(repo, env, ["-j", "2", "--junit", report, suite])
        if proc.returncode != 1:
            failures.append(f"exit status {proc.returncode}, expected 1 (one test fails)")
        for want in [r"^\[\d/3\] passed hello\.elf \(", r"^\[\d/3\] passed sensors/app\.elf \(",
                     r"^\[\d/3\] FAILED verdict\.elf \(.*mvTestingComplete\(7\)",
                     r"^2 passed, 1 failed \("]:
            if not re.search(want, proc.stdout, re.M):
                failures.append(f"no line matching {want}")
        root = ET.parse(report).getroot()
        cases = {c.get("name"): c for c in root.iter("testcase")}
        if sorted(cases) != ["hello.elf", "sensors/app.elf", "verdict.elf"]:
            failures.append(f"report test cases {sorted(cases)}")
        else:
            failed = cases["verdict.elf"].find("failure")
            if failed is None or "mvTestingComplete(7)" not in failed.get("message", ""):
                failures.append("verdict.elf has no failure naming its verdict in the report")
            if cases["hello.elf"].find("failure") is not None:
                failures.append("hello.elf failed in the report")
            log = cases["sensors/app.elf"].findtext("system-out") or ""
            if "USART2: temperature 23.5 C" not in log or "mvemu: passed" not in log:
                failures.append("sensors/app.elf's log is not attached to its test case")
            if cases["sensors/app.elf"].get("classname") != "mvemu.sensors":
                failures.append(f"classname {cases['sensors/app.elf'].get('classname')}")
        if root.get("tests") != "3" or root.get("failures") != "1":
            failures.append(f"report totals tests={root.get('tests')} failures={root.get('failures')}")
        ran = []
        for k in (1, 2):
            proc = check(repo, env, ["--shard", f"{k}/2", suite])
            ran += re.findall(r"^\[\d/\d\] \w+ (\S+) \(", proc.stdout, re.M)
        if sorted(ran) != ["hello.elf", "sensors/app.elf", "verdict.elf"]:
            failures.append(f"the two shards ran {sorted(ran)}, expected each test once")
        proc = check(repo, env, ["--shard", "3/2", suite])
        if proc.returncode == 0 or "--shard needs K/N" not in proc.stdout:
            failures.append("--shard 3/2 was not refused")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
