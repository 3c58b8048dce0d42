#!/usr/bin/env python3
"""Run the firmware fuzzer (tests/firmware/fuzz/syscall_fuzz.c) on the real
board with one seed after another until SECONDS have passed.

usage: run_firmware_fuzzer.py QEMU BACKEND ELF WORK_DIR SECONDS [FIRST_SEED]

Each run is tests/run_firmware.py with a hermetic profile naming the seed
(`[rng] seed`); a run that crashes, hangs (120 s), reports a sanitizer error
or does not reach its END line is a finding: its log goes to
WORK_DIR/findings/seed-N.log and the seed reproduces it:

    ./mvemu run build/tests/firmware/fuzz/fw-firmware-fuzz.elf --profile P.toml
    # P.toml: [rng] seed = N, [network] dns = "hosts-only"

Exit status 0 when no run failed.
"""
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "run_firmware.py")


def profile(seed):
    return f'[rng]\\nseed = {seed}\\n[network]\\ndns = "hosts-only"\\n'


def main():
    qemu, backend, elf, work, seconds = sys.argv[1:6]
    seed = int(sys.argv[6]) if len(sys.argv) > 6 else int(time.time()) % 1000000
    findings = os.path.join(work, "findings")
    os.makedirs(findings, exist_ok=True)
    deadline = time.monotonic() + float(seconds)
    runs = failed = 0
    while time.monotonic() < deadline:
        cmd = [sys.executable, RUNNER, "--qemu", qemu, "--backend", backend, "--elf", elf,
               "--profile-text", profile(seed),
               "--expect", r"FUZZ END calls=\d+ ",
               "--reject", "AddressSanitizer|runtime error|LeakSanitizer",
               "--timeout", "120"]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        runs += 1
        if proc.returncode != 0:
            failed += 1
            path = os.path.join(findings, f"seed-{seed}.log")
            with open(path, "w") as f:
                f.write(proc.stdout)
            print(f"FAIL: seed {seed} (exit {proc.returncode}): {path}", flush=True)
        elif runs % 20 == 0:
            print(f"{runs} runs, {failed} failed, last seed {seed}", flush=True)
        seed += 1
    print(f"firmware fuzzer: {runs} runs of 250,000 calls, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
