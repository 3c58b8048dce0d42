"""`./mvemu check`: run many firmware tests in parallel, one QEMU each, and
report them as one suite (docs/testing-firmware.md).

    python3 -m mvemu_harness.check --mvemu ./mvemu [-j N] [--shard K/N]
        [--junit FILE] [--timeout S] DIR|ELF...

A test is an ELF file. Beside it, with the same name:
  NAME.toml   the device profile (--profile)
  NAME.args   more `./mvemu run` options, shell words, any number of lines
              (e.g. `--expect-text "USART2: connected" --virtual-timeout 30`)
A directory is searched recursively for *.elf. Each test is judged as
`./mvemu run` judges it (docs/launcher.md); the suite passes when every test
does.
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time

from . import junit

DEFAULT_TIMEOUT_S = 120


def find_tests(paths):
    found = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                found += [os.path.join(root, f) for f in sorted(files) if f.endswith(".elf")]
        elif os.path.isfile(p):
            found.append(p)
        else:
            raise SystemExit(f"mvemu check: no such file or directory: {p}")
    # One test per ELF, in a stable order (shards depend on it).
    return sorted(set(os.path.abspath(f) for f in found))


def shard(tests, spec):
    m = re.fullmatch(r"(\d+)/(\d+)", spec or "1/1")
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise SystemExit(f"mvemu check: --shard needs K/N with 1 <= K <= N, got {spec!r}")
    k, n = int(m.group(1)), int(m.group(2))
    return [t for i, t in enumerate(tests) if i % n == k - 1]


def test_name(elf, roots):
    for r in roots:
        r = os.path.abspath(r)
        if os.path.isdir(r) and elf.startswith(r + os.sep):
            return os.path.relpath(elf, r)
    return os.path.basename(elf)


def run_options(elf, timeout_s, log):
    """The `./mvemu run` options of one test: its profile, a timeout unless
    its .args gives one, the log file, then its .args (which may end with
    `-- QEMU ARGS`)."""
    base = elf[:-len(".elf")] if elf.endswith(".elf") else elf
    own = []
    if os.path.isfile(base + ".args"):
        with open(base + ".args") as f:
            own = shlex.split(f.read(), comments=True)
    launcher_part = own[:own.index("--")] if "--" in own else own
    options = []
    if os.path.isfile(base + ".toml"):
        options += ["--profile", base + ".toml"]
    if not any(o == "--timeout" or o.startswith("--timeout=") for o in launcher_part):
        options += ["--timeout", f"{timeout_s:g}"]
    return options + ["--log-file", log] + own


def run_one(mvemu, elf, name, timeout_s, workdir):
    log = os.path.join(workdir, re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".log")
    cmd = [mvemu, "run", elf] + run_options(elf, timeout_s, log)
    started = time.monotonic()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace")
    seconds = time.monotonic() - started
    summaries = [ln for ln in proc.stderr.splitlines() if re.match(r"^mvemu: \w+: ", ln)]
    summary = summaries[-1][len("mvemu: "):] if summaries else (
        proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit status {proc.returncode}")
    text = ""
    if os.path.exists(log):
        with open(log, errors="replace") as f:
            text = f.read()
    if proc.returncode != 0 and not summaries:
        text += proc.stderr  # the launcher stopped before QEMU ran
    kind = summary.split(":", 1)[0] if summaries else "error"
    return {"name": name, "classname": "mvemu." + os.path.dirname(name).replace(os.sep, ".") if os.path.dirname(name) else "mvemu",
            "seconds": seconds, "passed": proc.returncode == 0, "status": proc.returncode,
            "message": summary, "kind": kind, "log": text}


def main(argv=None):
    p = argparse.ArgumentParser(prog="mvemu check")
    p.add_argument("--mvemu", required=True, help="the launcher")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--shard", help="K/N: run the K-th of N stable parts")
    p.add_argument("--junit", help="write a JUnit XML report here")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                   help="wall-clock seconds per test unless its .args sets --timeout")
    p.add_argument("paths", nargs="+")
    a = p.parse_args(argv)
    tests = shard(find_tests(a.paths), a.shard)
    if not tests:
        raise SystemExit("mvemu check: no tests (*.elf) found")
    started = time.monotonic()
    results, done, lock = [], [0], threading.Lock()
    with tempfile.TemporaryDirectory(prefix="mvemu-check-") as workdir, \
            concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        futures = [pool.submit(run_one, a.mvemu, elf, test_name(elf, a.paths), a.timeout, workdir)
                   for elf in tests]
        for future in concurrent.futures.as_completed(futures):
            r = future.result()
            with lock:
                done[0] += 1
                results.append(r)
                verdict = "passed" if r["passed"] else "FAILED"
                print(f"[{done[0]}/{len(tests)}] {verdict} {r['name']} ({r['seconds']:.1f} s)"
                      + ("" if r["passed"] else f": {r['message']}"), flush=True)
    results.sort(key=lambda r: r["name"])
    elapsed = time.monotonic() - started
    if a.junit:
        junit.write(a.junit, "mvemu check", results, elapsed)
    failed = sum(1 for r in results if not r["passed"])
    print(f"{len(results) - failed} passed, {failed} failed ({elapsed:.1f} s"
          + (f", shard {a.shard}" if a.shard else "") + ")", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
