#!/usr/bin/env python3
"""The fleet benchmark (docs/benchmarks.md "Fleet"): what idle devices cost.

usage: bench/fleet.py BUILD_DIR [DEVICES] [SECONDS]

Two images of an idle device, each with a 1 kHz tick and a log line every
10 s of virtual time giving the ticks counted so far:
  - bench-idle-guest.elf: WFI between ticks (a tickful RTOS with a WFI
    idle hook);
  - bench-idle-rtos-guest.elf: KORE-style, an RTOS whose idle task spins
    (no WFI anywhere).
Each runs as DEVICES (10) devices for SECONDS (32) with ./mvemu fleet,
paced (the fleet's default: ./mvemu run --paced) and, in the same run as
the baseline, unpaced (--unpaced: ./mvemu run's own clock), at most 10
devices (unpaced spinning devices take a core each). Printed per
image and mode: host CPU per device, in % of one core, RSS per device,
and whether every tick was on time: each device's lines show ticks equal
to the virtual milliseconds since its tick started (1 kHz), and it reached
the line of the last whole 10 s of the run but one (time to boot).
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = [("WFI idle", "bench-idle-guest.elf"), ("spinning idle task", "bench-idle-rtos-guest.elf")]
# Unpaced spinning devices take a core each: more than this many would
# only measure the host's cores being full.
BASELINE_MAX = 10
TICK_LINE = re.compile(r"ticks=(\d+) at (\d+) us")
SUMMARY = re.compile(r"(\d+) devices, ([\d.]+) s, host CPU ([\d.]+)% of one core in all, "
                     r"peak RSS (\d+) MiB in all")


def run_fleet(build, image, count, seconds, paced):
    logs = tempfile.mkdtemp(prefix="mvemu-bench-fleet-")
    cmd = [sys.executable, "-m", "mvemu_harness.fleet", "--mvemu", os.path.join(HERE, "..", "mvemu"),
           "--count", str(count), "--duration", str(seconds), "--quiet", "--log-dir", logs]
    cmd += [] if paced else ["--unpaced"]
    cmd.append(os.path.join(build, "bench", image))
    env = dict(os.environ, MVEMU_BUILD_DIR=os.path.abspath(build),
               PYTHONPATH=os.path.join(HERE, "..", "python"))
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 120)
    m = SUMMARY.search(out.stderr)
    if not m:
        sys.exit(f"fleet of {image} gave no summary:\n{out.stderr}")
    cpu_per_device = float(m.group(3)) / count
    rss_per_device = int(m.group(4)) / count
    # Ticks on time: each line's ticks are the virtual milliseconds since
    # the tick started (the ticks=0 line), give or take one, and every
    # device logged the line of the last whole 10 s of the run but one
    # (a hundred devices starting at once take seconds to boot).
    want_last = max(10, (int(seconds) // 10 - 1) * 10) * 1000
    late = []
    for i in range(count):
        with open(os.path.join(logs, f"dev{i:03d}.log"), errors="replace") as f:
            lines = [(int(t), int(us)) for t, us in TICK_LINE.findall(f.read())]
        start = lines[0][1] if lines and lines[0][0] == 0 else None
        if (start is None or lines[-1][0] < want_last
                or any(abs(t * 1000 - (us - start)) > 1000 for t, us in lines)):
            late.append((i, lines[-1] if lines else None))
    return cpu_per_device, rss_per_device, late


def main():
    build = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 32.0
    print(f"{count} devices paced, {min(count, BASELINE_MAX)} unpaced, {seconds:.0f} s, 1 kHz tick; "
          "host CPU and RSS per device")
    print(f"{'image':20} {'mode':8} {'N':>4} {'CPU/device':>11} {'RSS/device':>11}  ticks")
    for label, image in IMAGES:
        figures = {}
        for paced in (False, True):  # the baseline first
            n = count if paced else min(count, BASELINE_MAX)
            cpu, rss, late = run_fleet(build, image, n, seconds, paced)
            figures[paced] = cpu
            ticks = "all on time" if not late else f"{len(late)} of {n} late or missing {late[:3]}"
            mode = "paced" if paced else "unpaced"
            print(f"{label:20} {mode:8} {n:4} {cpu:10.2f}% {rss:8.1f} MiB  {ticks}")
        ratio = figures[True] / figures[False] if figures[False] else float("nan")
        print(f"{label:20} paced / unpaced: {ratio:.3f}; devices per 2-core host at this cost: "
              f"{int(200 / max(figures[True], 0.01))}")
    print("target: a spinning-idle device at <= 2% of one core, every tick on time (issue 12 item 5)")


if __name__ == "__main__":
    main()
