"""How a run ended, as one exit status and one summary line
(docs/launcher.md, "Expectations and exit statuses")."""
from dataclasses import dataclass

PASSED = 0
REPLAY_DIVERGED = 120  # --replay: the firmware no longer followed its recording
FAIL_TEXT = 121        # a --fail-text appeared
EXPECTED_MISSING = 122  # the run ended before every --expect-text appeared
SCENARIO_FAILED = 123  # a --scenario step failed
TIMEOUT = 124          # wall or virtual time limit (QEMU's board exits 124 for the latter)
CRASH = 125            # SecureFault or Secure HardFault (the board exits 125)
INTERRUPTED = 130


@dataclass
class Outcome:
    status: int
    kind: str      # passed, failed, timeout, crash, verdict, error, interrupted
    detail: str

    def summary(self, virtual_s: float, wall_s: float) -> str:
        return (f"mvemu: {self.kind}: {self.detail} "
                f"(virtual {virtual_s:.6f} s, wall {wall_s:.2f} s, exit status {self.status})")
