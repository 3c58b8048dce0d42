"""`./mvemu run` with expectations: boot, watch every log line, end the run
with one exit status and one summary line (docs/launcher.md).

    python3 -m mvemu_harness.run [--expect-text T]... [--fail-text T]...
        [--timeout S] [--virtual-timeout S] [--log-file F] -- QEMU ARGV...

The virtual time limit itself is the board's (`-M ...,time-limit-ms=`); it
is passed here only to name it in the summary.
"""
import argparse
import sys
import time

from . import outcome as O
from .device import Device
from .log_lines import verdict


def parse_args(argv):
    p = argparse.ArgumentParser(prog="mvemu run")
    p.add_argument("--expect-text", action="append", default=[])
    p.add_argument("--fail-text", action="append", default=[])
    p.add_argument("--timeout", type=float, help="wall-clock seconds")
    p.add_argument("--virtual-timeout", type=float, help="virtual seconds (enforced by the board)")
    p.add_argument("--log-file")
    p.add_argument("qemu", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    if args.qemu and args.qemu[0] == "--":
        args.qemu = args.qemu[1:]
    if not args.qemu:
        p.error("no QEMU command after --")
    return args


def ended(rc, pending, firmware_status, args):
    """The outcome once QEMU exited by itself with status `rc`."""
    if rc == O.TIMEOUT:
        limit = f"{args.virtual_timeout:g} s of virtual time" if args.virtual_timeout else "the virtual time limit"
        waiting = f" waiting for {pending[0]!r}" if pending else ""
        return O.Outcome(O.TIMEOUT, "timeout", f"{limit} passed{waiting}")
    if rc == O.CRASH:
        return O.Outcome(O.CRASH, "crash", "the application crashed (see the mvemu line above)")
    if rc != 0:
        if firmware_status is not None:
            return O.Outcome(rc, "failed", f"firmware verdict: mvTestingComplete({firmware_status})")
        return O.Outcome(rc, "error", f"QEMU exited with status {rc} (see its messages above)")
    if pending:
        total = len(args.expect_text)
        return O.Outcome(O.EXPECTED_MISSING, "failed",
                         f"the run ended before expected text {total - len(pending) + 1} of "
                         f"{total}: {pending[0]!r}")
    if args.expect_text:
        return O.Outcome(O.PASSED, "passed", f"all {len(args.expect_text)} expected texts seen")
    return O.Outcome(O.PASSED, "passed", "firmware verdict: mvTestingComplete(0)")


def watch(dev, args):
    pending = list(args.expect_text)
    firmware_status = None
    deadline = time.monotonic() + args.timeout if args.timeout else None
    while True:
        line = dev.next_line(deadline)
        if line is None:
            if dev.output_done():
                return ended(dev.wait(), pending, firmware_status, args)
            waiting = f" waiting for {pending[0]!r}" if pending else " without a verdict"
            return O.Outcome(O.TIMEOUT, "timeout", f"{args.timeout:g} s of wall time passed{waiting}")
        status = verdict(line)
        if status is not None:
            firmware_status = status
        for text in args.fail_text:
            if text in line.raw:
                return O.Outcome(O.FAIL_TEXT, "failed", f"fail text {text!r} in: {line.raw}")
        if pending and pending[0] in line.raw:
            pending.pop(0)
            if not pending:
                return O.Outcome(O.PASSED, "passed",
                                 f"all {len(args.expect_text)} expected texts seen")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    dev = Device(args.qemu, log_file=args.log_file)
    try:
        result = watch(dev, args)
    except KeyboardInterrupt:
        result = O.Outcome(O.INTERRUPTED, "interrupted", "stopped by the user")
    dev.stop()
    summary = result.summary(dev.virtual_s, time.monotonic() - started)
    print(summary, file=sys.stderr, flush=True)
    if args.log_file:
        with open(args.log_file, "a", encoding="utf-8") as log:
            log.write(summary + "\n")
    return result.status


if __name__ == "__main__":
    sys.exit(main())
