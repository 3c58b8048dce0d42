#!/usr/bin/env python3
"""./mvemu run's expectations, timeouts, exit statuses and log file.

usage: expectations.py CASE REPO QEMU BACKEND RTOS_APP_ELF HELLO_ELF CRASH_ELF VERDICT_ELF

Each CASE runs the launcher once (against a build folder made for the test)
and checks its exit status, its summary line and, for `log-file`, the file.
RTOS_APP_ELF is tests/firmware/peripherals/rtos-app: it logs on USART2, then
waits for a button nobody presses here. VERDICT_ELF (verdict.c) calls
mvTestingComplete(7) at once.
"""
import os
import re
import subprocess
import sys
import tempfile

from launcher_build import RTOS_APP_DEVICES, launcher_env

ICOUNT = ["--", "-icount", "shift=4,sleep=off"]

# case: (firmware, launcher options, exit status, summary regex)
CASES = {
    "passed": ("rtos", ["--expect-text", "USART2: temperature 23.5 C",
                        "--expect-text", "waiting for the button", "--timeout", "30"] + ICOUNT,
               0, r"^mvemu: passed: all 2 expected texts seen \(virtual \d+\.\d{6} s"),
    "out-of-order": ("rtos", ["--expect-text", "waiting for the button",
                              "--expect-text", "USART2: temperature 23.5 C",
                              "--virtual-timeout", "1", "--timeout", "30"] + ICOUNT,
                     124, r"^mvemu: timeout: 1 s of virtual time passed waiting for "
                          r"'USART2: temperature 23.5 C'"),
    "fail-text": ("rtos", ["--fail-text", "temperature 23.5", "--expect-text", "never printed",
                           "--timeout", "30"] + ICOUNT,
                  121, r"^mvemu: failed: fail text 'temperature 23.5' in: \[\s*\d+\.\d{6}\] "
                       r"USART2: temperature 23.5 C"),
    "verdict": ("verdict", ["--expect-text", "failing on purpose", "--expect-text", "never printed",
                            "--timeout", "30"],
                7, r"^mvemu: failed: firmware verdict: mvTestingComplete\(7\)"),
    "ended-early": ("hello", ["--expect-text", "hello done", "--expect-text", "never printed",
                              "--timeout", "30"],
                    122, r"^mvemu: failed: the run ended before expected text 2 of 2: "
                         r"'never printed'"),
    "wall-timeout": ("rtos", ["--expect-text", "never printed", "--timeout", "2"],
                     124, r"^mvemu: timeout: 2 s of wall time passed waiting for 'never printed'"),
    "crash": ("crash", ["--timeout", "30"], 125, r"^mvemu: crash: "),
    "verdict-pass": ("hello", ["--timeout", "30"], 0,
                     r"^mvemu: passed: firmware verdict: mvTestingComplete\(0\)"),
    "log-file": ("rtos", ["--expect-text", "never printed", "--virtual-timeout", "0.5",
                          "--timeout", "30", "--log-file", "{log}"] + ICOUNT,
                 124, r"^mvemu: timeout: 0.5 s of virtual time passed waiting for 'never printed'"),
}


def check_log_file(path, failures):
    with open(path) as f:
        lines = f.read().splitlines()
    stamped = re.compile(r"^\[\s*\d+\.\d{6}\] \S[^:]*: ")
    unstamped = [ln for ln in lines[:-1] if not stamped.match(ln)]
    if unstamped:
        failures.append(f"log lines without a virtual time and source: {unstamped[:3]}")
    for want in (r"\] USART2: waiting for the button", r"\] UV[0-9a-f]+ test: "):
        if not any(re.search(want, ln) for ln in lines):
            failures.append(f"the log file has no line matching {want}")
    if not any(re.search(r"\] mvemu: virtual time limit of 500 ms reached$", ln) for ln in lines):
        failures.append("the log file has no line for the virtual time limit")
    if not lines or not lines[-1].startswith("mvemu: timeout: "):
        failures.append(f"the log file does not end with the summary: {lines[-1:]}")


def main():
    case, repo, qemu, backend, rtos_elf, hello_elf, crash_elf, verdict_elf = sys.argv[1:]
    firmware, options, want_status, want_summary = CASES[case]
    elf = {"rtos": rtos_elf, "hello": hello_elf, "crash": crash_elf, "verdict": verdict_elf}[firmware]
    failures = []
    with tempfile.TemporaryDirectory(prefix="mvemu-expect-") as tmp, \
            launcher_env(qemu, backend) as env:
        profile = os.path.join(tmp, "devices.toml")
        with open(profile, "w") as f:
            f.write(RTOS_APP_DEVICES)
        log = os.path.join(tmp, "run.log")
        options = [o.replace("{log}", log) for o in options]
        extra = ["--profile", profile] if firmware == "rtos" else []
        cmd = [os.path.join(repo, "mvemu"), "run", elf] + extra + options
        print("$ " + " ".join(cmd), flush=True)
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=120)
        print(proc.stdout, end="")
        print(proc.stderr, end="")
        summaries = [ln for ln in proc.stderr.splitlines() if re.match(r"^mvemu: \w+: ", ln)]
        if proc.returncode != want_status:
            failures.append(f"exit status {proc.returncode}, expected {want_status}")
        if len(summaries) != 1 or not re.search(want_summary, summaries[0]):
            failures.append(f"summary lines {summaries}, expected one matching {want_summary}")
        if case == "log-file":
            check_log_file(log, failures)
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
