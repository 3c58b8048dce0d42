"""`./mvemu fleet APP.elf --count N`: N devices at once, each with its own
device ID and log prefix, sharing whatever the profile names (one broker),
with each device's host CPU and memory reported (docs/testing-firmware.md
"Fleets").

    python3 -m mvemu_harness.fleet --mvemu ./mvemu --count N [--profile TEMPLATE]
        [--base-id UV...] [--duration S] [--report-every S] [--log-dir DIR]
        [--unpaced] APP.elf [-- RUN OPTIONS]

Devices run paced (`./mvemu run --paced`) unless --unpaced is given or the
run options choose the clock themselves.

The profile is a template: `{index}` (0 ... N-1) and `{device_id}` are
filled in for each device, and `[device] id` is set to the device's ID
(the base ID plus its index, as 32 hex digits after "UV").
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

DEFAULT_BASE_ID = "UV6d76656d750000000000000000000001"
# Run options that choose the clock themselves: no --paced is added then.
PACING_OPTIONS = {"--paced", "--record", "--replay", "-icount"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def device_id(base, index):
    m = re.fullmatch(r"UV([0-9a-fA-F]{32})", base)
    if not m:
        raise SystemExit(f"mvemu fleet: --base-id must be UV and 32 hex digits, got {base!r}")
    return "UV%032x" % (int(m.group(1), 16) + index)


def device_profile(template, index, dev_id):
    """The template with {index}/{device_id} filled in and [device] id set."""
    text = template.replace("{index}", str(index)).replace("{device_id}", dev_id)
    line = f'id = "{dev_id}"'
    m = re.search(r"^\[device\]\s*$", text, re.M)
    if not m:
        return f"[device]\n{line}\n\n" + text
    end = re.search(r"^\[", text[m.end():], re.M)
    body_end = m.end() + (end.start() if end else len(text) - m.end())
    body = re.sub(r"^id\s*=.*$\n?", "", text[m.end():body_end], flags=re.M)
    return text[:m.end()] + "\n" + line + body + text[body_end:]


def process_tree(root):
    """`root` and its descendants (the launcher may stay QEMU's parent)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def cpu_and_rss(root):
    """Host CPU seconds and resident KiB of `root`'s process tree."""
    cpu, rss, seen = 0.0, 0, False
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/status") as f:
                kb = int(re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M).group(1))
        except (OSError, AttributeError, IndexError):
            continue
        cpu += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
        rss += kb
        seen = True
    return (cpu, rss) if seen else (None, None)


class Member:
    def __init__(self, index, dev_id, cmd, log_path, echo):
        self.index, self.id = index, dev_id
        self.prefix = f"[dev{index:03d}]"
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace")
        self.cpu_s, self.rss_kb, self.peak_rss_kb = 0.0, 0, 0
        threading.Thread(target=self.pump, args=(echo,), daemon=True).start()

    def pump(self, echo):
        for line in self.proc.stdout:
            self.log.write(line)
            self.log.flush()
            if echo:
                sys.stdout.write(f"{self.prefix} {line}")
                sys.stdout.flush()

    def sample(self):
        cpu, rss = cpu_and_rss(self.proc.pid)
        if cpu is not None:
            self.cpu_s, self.rss_kb = cpu, rss
            self.peak_rss_kb = max(self.peak_rss_kb, rss)


def main(argv=None):
    p = argparse.ArgumentParser(prog="mvemu fleet")
    p.add_argument("--mvemu", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--profile")
    p.add_argument("--base-id", default=DEFAULT_BASE_ID)
    p.add_argument("--duration", type=float, help="stop every device after S seconds")
    p.add_argument("--report-every", type=float, default=10.0)
    p.add_argument("--log-dir")
    p.add_argument("--quiet", action="store_true", help="do not echo the devices' lines")
    p.add_argument("--unpaced", action="store_true",
                   help="run the devices as ./mvemu run does, not --paced")
    p.add_argument("elf")
    # The fleet's own options may come before or after the image; what
    # follows "--" goes to each ./mvemu run.
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    a = p.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    if a.count < 1:
        raise SystemExit("mvemu fleet: --count must be at least 1")
    if not a.unpaced and not PACING_OPTIONS.intersection(extra):
        extra = ["--paced"] + extra
    template = open(a.profile).read() if a.profile else ""
    work = tempfile.mkdtemp(prefix="mvemu-fleet-")
    log_dir = a.log_dir or work
    os.makedirs(log_dir, exist_ok=True)
    members = []
    started = time.monotonic()
    for i in range(a.count):
        dev_id = device_id(a.base_id, i)
        prof = os.path.join(work, f"device-{i:03d}.toml")
        with open(prof, "w") as f:
            f.write(device_profile(template, i, dev_id))
        cmd = [a.mvemu, "run", os.path.abspath(a.elf), "--profile", prof] + extra
        members.append(Member(i, dev_id, cmd, os.path.join(log_dir, f"dev{i:03d}.log"),
                              not a.quiet))
    pacing = "paced" if "--paced" in extra else "not paced"
    print(f"mvemu fleet: {a.count} devices from {a.elf} ({pacing}), logs in {log_dir}", file=sys.stderr)
    next_report = started + a.report_every
    last_cpu = {m.index: 0.0 for m in members}
    last_t = started
    try:
        while any(m.proc.poll() is None for m in members):
            now = time.monotonic()
            if a.duration and now - started >= a.duration:
                break
            if now >= next_report:
                for m in members:
                    m.sample()
                span = now - last_t
                total = sum(m.cpu_s - last_cpu[m.index] for m in members)
                rss = sum(m.rss_kb for m in members if m.proc.poll() is None)
                print(f"mvemu fleet: {now - started:7.1f} s: {sum(m.proc.poll() is None for m in members)} "
                      f"running, host CPU {100 * total / span:.1f}% of one core "
                      f"({100 * total / span / a.count:.2f}% a device), RSS {rss // 1024} MiB",
                      file=sys.stderr, flush=True)
                last_cpu = {m.index: m.cpu_s for m in members}
                last_t = now
                next_report += a.report_every
            time.sleep(0.1)
        for m in members:
            m.sample()
    finally:
        for m in members:
            if m.proc.poll() is None:
                m.proc.terminate()
        for m in members:
            try:
                m.proc.wait(10)
            except subprocess.TimeoutExpired:
                m.proc.kill()
                m.proc.wait()
    elapsed = time.monotonic() - started
    print("device  id                                   cpu_s   cpu%   rss_mib  exit", file=sys.stderr)
    for m in members:
        print(f"dev{m.index:03d}  {m.id}  {m.cpu_s:6.2f}  {100 * m.cpu_s / elapsed:5.1f}  "
              f"{m.peak_rss_kb / 1024:7.1f}  {m.proc.returncode}", file=sys.stderr)
    failed = [m for m in members if m.proc.returncode not in (0, -15, 143) and not a.duration]
    total_cpu = sum(m.cpu_s for m in members)
    print(f"mvemu fleet: {a.count} devices, {elapsed:.1f} s, host CPU {100 * total_cpu / elapsed:.1f}% "
          f"of one core in all, peak RSS {sum(m.peak_rss_kb for m in members) / 1024:.0f} MiB in all",
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
