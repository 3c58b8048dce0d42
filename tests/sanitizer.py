"""QEMU under a sanitized backend (meson -Dsanitize=true, docs/reliability.md).

QEMU itself is not sanitized, so the ASan runtime the backend links
(MVEMU_ASAN_RUNTIME, set by meson for every test of a sanitized build) is
preloaded into QEMU only. The sanitizers write their reports to files in the
run's folder; check() then fails the run on any ASan or UBSan report and on
any leak LeakSanitizer finds at QEMU's exit with a backend frame in its stack
(QEMU's and GLib's own allocations still held at exit are not the backend's).
"""
import glob
import os
import re

RUNTIME = os.environ.get("MVEMU_ASAN_RUNTIME", "")


def active():
    return bool(RUNTIME)


def qemu_env(folder):
    """The environment for QEMU: the parent's, plus the preload and report
    files in folder (None when the backend is not sanitized)."""
    if not RUNTIME:
        return None
    env = dict(os.environ)
    env["LD_PRELOAD"] = RUNTIME
    # exitcode=0: QEMU's own leaks at exit must not change its status; an
    # error report still stops QEMU at once (halt_on_error) and check() fails
    # the run.
    env["ASAN_OPTIONS"] = ("detect_leaks=1:halt_on_error=1:exitcode=0:detect_stack_use_after_return=0"
                           f":log_path={folder}/asan" + os.environ.get("MVEMU_QEMU_ASAN_OPTIONS", ""))
    env["UBSAN_OPTIONS"] = f"print_stacktrace=1:halt_on_error=1:log_path={folder}/ubsan"
    return env


def is_backend(record):
    return "libmvemu-backend" in record or "mvemu::" in record


def check(folder):
    """Prints the reports found in folder; True when none counts against the
    backend. The report files are removed."""
    ok = True
    for path in sorted(glob.glob(os.path.join(folder, "asan.*")) + glob.glob(os.path.join(folder, "ubsan.*"))):
        with open(path, errors="replace") as f:
            text = f.read()
        os.unlink(path)
        errors = [m for m in re.finditer(r"ERROR: AddressSanitizer|runtime error:", text)]
        if errors:
            print("FAIL: sanitizer report:\n" + text, flush=True)
            ok = False
            continue
        # LeakSanitizer: records separated by blank lines.
        leaks = [r for r in re.split(r"\n\s*\n", text)
                 if re.search(r"(Direct|Indirect) leak of", r) and is_backend(r)]
        for r in leaks:
            print("FAIL: the backend leaked (LeakSanitizer):\n" + r, flush=True)
            ok = False
        m = re.search(r"SUMMARY: AddressSanitizer: (\d+) byte\(s\) leaked in (\d+)", text)
        if m:
            print(f"lsan: {m.group(1)} bytes in {m.group(2)} allocations still held at exit, "
                  f"{len(leaks)} records with a backend frame", flush=True)
    print("sanitizer: " + ("no report against the backend" if ok else "reports above"), flush=True)
    return ok
