"""`./mvemu run` with expectations or a scenario: boot, watch every log line,
end the run with one exit status and one summary line (docs/launcher.md).

    python3 -m mvemu_harness.run [--expect-text T]... [--fail-text T]...
        [--timeout S] [--virtual-timeout S] [--log-file F] [--scenario FILE]
        -- QEMU ARGV...

The virtual time limit itself is the board's (`-M ...,time-limit-ms=`); it
is passed here only to name it in the summary.
"""
import argparse
import os
import re
import signal
import sys
import tempfile
import time

from . import outcome as O
from . import scenario as S
from .device import Device, EmulatedDevice
from .log_lines import verdict
from .services import Broker, HttpsServer


def parse_args(argv):
    p = argparse.ArgumentParser(prog="mvemu run")
    p.add_argument("--expect-text", action="append", default=[])
    p.add_argument("--fail-text", action="append", default=[])
    p.add_argument("--timeout", type=float, help="wall-clock seconds")
    p.add_argument("--virtual-timeout", type=float, help="virtual seconds (enforced by the board)")
    p.add_argument("--log-file")
    p.add_argument("--scenario")
    p.add_argument("qemu", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    if args.qemu and args.qemu[0] == "--":
        args.qemu = args.qemu[1:]
    if not args.qemu:
        p.error("no QEMU command after --")
    return args


class FailText(Exception):
    def __init__(self, text, line):
        super().__init__(text)
        self.text, self.line = text, line


class Progress:
    """What the run has seen: the expected texts still to come and the
    firmware's verdict. Every line goes through observe()."""

    def __init__(self, args):
        self.args = args
        self.pending = list(args.expect_text)
        self.firmware_status = None

    def observe(self, line):
        status = verdict(line)
        if status is not None:
            self.firmware_status = status
        for text in self.args.fail_text:
            if text in line.raw:
                raise FailText(text, line)
        if self.pending and self.pending[0] in line.raw:
            self.pending.pop(0)


def ended(rc, progress, args):
    """The outcome once QEMU exited by itself with status `rc`."""
    pending = progress.pending
    if rc == O.TIMEOUT:
        limit = f"{args.virtual_timeout:g} s of virtual time" if args.virtual_timeout else "the virtual time limit"
        waiting = f" waiting for {pending[0]!r}" if pending else ""
        return O.Outcome(O.TIMEOUT, "timeout", f"{limit} passed{waiting}")
    if rc == O.CRASH:
        return O.Outcome(O.CRASH, "crash", "the application crashed (see the mvemu line above)")
    if rc == O.REPLAY_DIVERGED and progress.firmware_status is None:
        return O.Outcome(rc, "failed", "the replay diverged from its recording (see the mvemu line above)")
    if rc != 0:
        if progress.firmware_status is not None:
            return O.Outcome(rc, "failed", f"firmware verdict: mvTestingComplete({progress.firmware_status})")
        return O.Outcome(rc, "error", f"QEMU exited with status {rc} (see its messages above)")
    if pending:
        total = len(args.expect_text)
        return O.Outcome(O.EXPECTED_MISSING, "failed",
                         f"the run ended before expected text {total - len(pending) + 1} of "
                         f"{total}: {pending[0]!r}")
    if args.expect_text:
        return O.Outcome(O.PASSED, "passed", f"all {len(args.expect_text)} expected texts seen")
    return O.Outcome(O.PASSED, "passed", "firmware verdict: mvTestingComplete(0)")


def watch(dev, args, progress, deadline, after_scenario=None):
    """Read lines until an outcome; `after_scenario`: the scenario's summary
    when its steps passed (the run then passes once nothing else is awaited)."""
    while True:
        if after_scenario and not progress.pending:
            done = f"scenario {after_scenario}"
            if args.expect_text:
                done += f", all {len(args.expect_text)} expected texts seen"
            return O.Outcome(O.PASSED, "passed", done)
        line = dev.next_line(deadline)
        if line is None:
            if dev.output_done():
                rc = dev.wait()
                if after_scenario and rc == 0 and not progress.pending:
                    continue
                return ended(rc, progress, args)
            pending = progress.pending
            waiting = f" waiting for {pending[0]!r}" if pending else " without a verdict"
            return O.Outcome(O.TIMEOUT, "timeout", f"{args.timeout:g} s of wall time passed{waiting}")
        progress.observe(line)
        if args.expect_text and not progress.pending and not after_scenario:
            return O.Outcome(O.PASSED, "passed", f"all {len(args.expect_text)} expected texts seen")


def with_profile_ports(qemu, tmp, ports):
    """The QEMU argv with the -M profile's {mqtt_port}, {https_port} and
    {https_ca} filled in (a copy of the profile in `tmp`)."""
    out = list(qemu)
    for i, a in enumerate(out):
        if i and out[i - 1] == "-M" and ",profile=" in a:
            m = re.search(r",profile=((?:[^,]|,,)*)", a)
            path = m.group(1).replace(",,", ",")
            with open(path) as f:
                text = f.read()
            for key, value in ports.items():
                text = text.replace("{" + key + "}", str(value))
            copy = os.path.join(tmp, "profile.toml")
            with open(copy, "w") as f:
                f.write(text)
            out[i] = a[:m.start(1)] + copy.replace(",", ",,") + a[m.end(1):]
    return out


def run_scenario(dev, sc, progress, services):
    """None when every step passed; else the outcome."""
    try:
        S.Runner(sc, dev, progress.observe, broker=services.get("mqtt"),
                 https=services.get("https")).run()
    except S.StepFailed as e:
        return O.Outcome(O.SCENARIO_FAILED, "failed", f"scenario step {e}")
    except FailText as e:
        return O.Outcome(O.FAIL_TEXT, "failed", f"fail text {e.text!r} in: {e.line.raw}")
    return None


class Terminated(Exception):
    """SIGTERM or SIGHUP reached the harness: the run stops as on Ctrl-C."""


def raise_terminated(signum, _frame):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the cleanup must finish
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    raise Terminated(signal.Signals(signum).name)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # A fleet, a CI runner or a closed terminal stops the harness; QEMU
    # must stop with it.
    signal.signal(signal.SIGTERM, raise_terminated)
    signal.signal(signal.SIGHUP, raise_terminated)
    sc = None
    if args.scenario:
        try:
            sc = S.load(args.scenario)
        except (S.ScenarioError, OSError) as e:
            print(f"mvemu: scenario {e}", file=sys.stderr)
            return 2
    started = time.monotonic()
    deadline = started + args.timeout if args.timeout else None
    with tempfile.TemporaryDirectory(prefix="mvemu-run-") as tmp:
        services = {}
        if sc and "mqtt" in sc.services:
            services["mqtt"] = Broker(tmp)
            services["mqtt"].subscribe("#")
        if sc and "https" in sc.services:
            os.mkdir(os.path.join(tmp, "https"))
            services["https"] = HttpsServer(os.path.join(tmp, "https"))
        qemu = args.qemu
        if services:
            ports = {}
            if "mqtt" in services:
                ports["mqtt_port"] = services["mqtt"].port
            if "https" in services:
                ports.update(https_port=services["https"].port, https_ca=services["https"].ca)
            qemu = with_profile_ports(qemu, tmp, ports)
        progress = Progress(args)
        if sc:
            qmp_path = os.path.join(tmp, "qmp.sock")
            dev = EmulatedDevice(qemu + ["-qmp", f"unix:{qmp_path},server=on,wait=off"], qmp_path,
                                 log_file=args.log_file)
        else:
            dev = Device(qemu, log_file=args.log_file)
        try:
            result = run_scenario(dev, sc, progress, services) if sc else None
            if result is None:
                summary = f"{sc.name!r}: all {len(sc.steps)} steps passed" if sc else None
                result = watch(dev, args, progress, deadline, summary)
        except FailText as e:
            result = O.Outcome(O.FAIL_TEXT, "failed", f"fail text {e.text!r} in: {e.line.raw}")
        except KeyboardInterrupt:
            result = O.Outcome(O.INTERRUPTED, "interrupted", "stopped by the user")
        except Terminated as e:
            result = O.Outcome(O.INTERRUPTED, "interrupted", f"stopped by {e}")
        dev.stop()
        for s in services.values():
            s.stop()
    summary = result.summary(dev.virtual_s, time.monotonic() - started)
    print(summary, file=sys.stderr, flush=True)
    if args.log_file:
        with open(args.log_file, "a", encoding="utf-8") as log:
            log.write(summary + "\n")
    return result.status


if __name__ == "__main__":
    sys.exit(main())
