#!/usr/bin/env python3
"""The soak (docs/reliability.md "Soak"): bench-soak-guest.elf for SECONDS
(default an hour) against a Mosquitto broker and an HTTPS server started
here, with the link cut for 1 s every 10 s over QMP.

usage: bench/soak.py BUILD_DIR QEMU [SECONDS]

Every 10 s, just before each cut, it samples QEMU's resident memory and open
descriptors; at the end it prints the least-squares slope of each over the
run after the first minute (target: flat), and the firmware's own counters
(its last SOAK line) beside what a host subscriber received at the broker.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
from mvemu_harness.qmp import Qmp  # noqa: E402
from mvemu_harness.services import Broker, HttpsServer  # noqa: E402

CUT_EVERY_S = 10.0
CUT_FOR_S = 1.0
WARM_UP_S = 60.0


def count_received(broker, counts, wait_s):
    """Count what the host subscriber got (QoS from the payload "qN-...")."""
    deadline = time.monotonic() + wait_s
    while True:
        m = broker.next_message(max(deadline, time.monotonic()))
        if m is None:
            return
        q = re.match(r"^(q[01])-", m[1])
        if m[0] == "mvemu/soak" and q:
            counts[q.group(1)] += 1
        broker.seen.clear()  # an hour of messages need not be kept


def sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = int(re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M).group(1))
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def slope_per_hour(points):
    """Least-squares slope of (seconds, value) points, per hour."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    sxx = sum((t - mx) ** 2 for t, _ in points)
    return 3600.0 * sum((t - mx) * (v - my) for t, v in points) / sxx if sxx else 0.0


def main():
    build, qemu = sys.argv[1:3]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3600.0
    work = tempfile.mkdtemp(prefix="mvemu-soak-")
    broker = Broker(work)
    broker.subscribe("mvemu/soak")
    os.mkdir(os.path.join(work, "https"))
    server = HttpsServer(os.path.join(work, "https"))
    https_port = server.port
    profile = os.path.join(work, "soak.toml")
    with open(profile, "w") as f:
        f.write("[channels]\nmax_opens_per_second = 0\n[network]\nbring_up_ms = 50\n"
                f"[mqtt]\nplain_tcp = true\n[network.hosts]\n"
                f"\"mqtt.example.com\" = \"127.0.0.1:{broker.port}\"\n"
                f"\"api.example.com\" = \"127.0.0.1:{https_port}\"\n"
                f"[tls]\nca_files = [\"{server.ca}\"]\n")
    qmp_path = os.path.join(work, "qmp.sock")
    log_path = os.path.join(work, "soak.log")
    machine = (f"microvisor-stm32u585,backend={build}/plugin/libmvemu-backend.so,"
               f"profile={profile}")
    log = open(log_path, "w")
    proc = subprocess.Popen([qemu, "-M", machine, "-kernel", f"{build}/bench/bench-soak-guest.elf",
                             "-nodefaults", "-display", "none", "-monitor", "none",
                             "-qmp", f"unix:{qmp_path},server=on,wait=off"],
                            stdout=log, stderr=subprocess.STDOUT)
    samples = []
    cuts = 0
    host_received = {"q0": 0, "q1": 0}
    try:
        qmp = Qmp(qmp_path, timeout=30.0, alive=lambda: proc.poll() is None)
        start = time.monotonic()
        next_cut = start + CUT_EVERY_S
        print(f"soak: {seconds:.0f} s, link cut for {CUT_FOR_S:.0f} s every {CUT_EVERY_S:.0f} s; "
              f"log {log_path}", flush=True)
        while time.monotonic() - start < seconds and proc.poll() is None:
            count_received(broker, host_received, 0)
            now = time.monotonic()
            if now >= next_cut:
                rss, fds = sample(proc.pid)
                samples.append((now - start, rss, fds))
                qmp.command("mvemu-set-link", up=False)
                time.sleep(CUT_FOR_S)
                qmp.command("mvemu-set-link", up=True)
                cuts += 1
                next_cut += CUT_EVERY_S
                if cuts % 30 == 0:
                    print(f"  {now - start:6.0f} s: rss {rss} kB, {fds} descriptors", flush=True)
            time.sleep(0.05)
        count_received(broker, host_received, 2.0)  # the last messages arrive
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
        log.close()
        server.stop()
        broker.stop()
    with open(log_path) as f:
        soak_lines = re.findall(r"test: (SOAK .*)", f.read())
    if not soak_lines:
        raise SystemExit(f"no SOAK line from the firmware; see {log_path}")
    counters = dict(kv.split("=") for kv in soak_lines[-1].split()[1:])
    steady = [(t, r, d) for t, r, d in samples if t >= WARM_UP_S] or samples
    rss_slope = slope_per_hour([(t, r) for t, r, _ in steady])
    fd_slope = slope_per_hour([(t, d) for t, _, d in steady])
    print(f"samples:                   {len(samples)} ({len(steady)} after the first "
          f"{WARM_UP_S:.0f} s), {cuts} link cuts")
    print(f"resident memory:           {samples[0][1]} -> {samples[-1][1]} kB, "
          f"slope {rss_slope:+.0f} kB/hour")
    print(f"descriptors:               {samples[0][2]} -> {samples[-1][2]}, "
          f"slope {fd_slope:+.1f}/hour")
    print(f"firmware (at {counters['t']} s):     published QoS 0 {counters['published0']}, "
          f"QoS 1 {counters['published1']} (PUBACKs {counters['acked1']}); received back "
          f"QoS 0 {counters['received0']}, QoS 1 {counters['received1']}; "
          f"{counters['losses']} connections lost, {counters['connects']} made")
    print(f"host subscriber:           QoS 0 {host_received['q0']}, QoS 1 {host_received['q1']}")
    print(f"HTTP:                      {counters['http_ok']} ok, {counters['http_failed']} failed, "
          f"{counters['http_lost']} cut by the link; unexpected statuses {counters['unexpected']}")
    flat = rss_slope < 1024 and abs(fd_slope) < 1.0
    acked_arrived = host_received["q1"] >= int(counters["acked1"])
    print(f"target flat (RSS < 1 MB/hour, descriptors < 1/hour): {'met' if flat else 'NOT met'}; "
          f"every acknowledged QoS 1 message at the host: {'yes' if acked_arrived else 'NO'}")
    return 0 if flat and acked_arrived and counters["unexpected"] == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
