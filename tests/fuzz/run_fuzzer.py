#!/usr/bin/env python3
"""Run the system-call fuzzer for a bounded time; any finding fails.

usage: run_fuzzer.py FUZZER CORPUS_DIR WORK_DIR SECONDS [libFuzzer options...]

New inputs go to WORK_DIR/corpus (the checked-in corpus is only read),
crash, leak and timeout inputs to WORK_DIR/findings/. libFuzzer's exit
status is the verdict: 0 when it ran out of time with no crash, sanitizer
report, leak or hang (-timeout=5: one input running 5 s is a hang).
"""
import os
import subprocess
import sys


def main():
    fuzzer, corpus, work, seconds = sys.argv[1:5]
    extra = sys.argv[5:]
    grown = os.path.join(work, "corpus")
    findings = os.path.join(work, "findings") + os.sep
    os.makedirs(grown, exist_ok=True)
    os.makedirs(findings, exist_ok=True)
    cmd = [fuzzer, grown, corpus,
           f"-max_total_time={seconds}", "-timeout=5", "-rss_limit_mb=2048",
           "-max_len=4096", "-print_final_stats=1", f"-artifact_prefix={findings}"] + extra
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1:symbolize=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    print("+", " ".join(cmd), flush=True)
    rc = subprocess.call(cmd, env=env)
    if rc != 0:
        print(f"FAIL: the fuzzer found something (exit {rc}); inputs in {findings}", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
