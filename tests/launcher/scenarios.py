#!/usr/bin/env python3
"""./mvemu run --scenario: steps against a live device, their failures, and
the files refused when they load.

usage: scenarios.py CASE REPO QEMU BACKEND RTOS_APP_ELF FLAPS_ELF

RTOS_APP_ELF is tests/firmware/peripherals/rtos-app (a button, an MCP9808,
an HT16K33 display, USART2); FLAPS_ELF tests/firmware/network/flaps (MQTT
QoS 1 publishes to mvemu/test/flaps and HTTPS GETs of /status/200).
"""
import os
import re
import subprocess
import sys
import tempfile

from launcher_build import CLOUD_PROFILE, RTOS_APP_DEVICES, launcher_env

BUTTON = """name: button warms the display
steps:
  - wait-text: "USART2: waiting for the button"
  - expect-pin: {pin: PC13, level: 0}
  - press: {pin: PC13, hold: 0.01}
  - wait-text: "button pressed"
    source: usart2
  - set-sensor: {device: temp, property: temperature, value: 30000}
  - wait-text: "temperature 30.0 C"
  - expect-display: {device: display, text: " 30.0"}
  - delay: 0.2
  - set-pin: {pin: PB1, drive: high}
  - expect-exit: 0
"""
WRONG_DISPLAY = """steps:
  - wait-text: "temperature 23.5 C"
  - expect-display:
      device: display
      text: " 99.9"
    timeout: 1
"""
UNKNOWN_STEP = """steps:
  - wait-text: "app task running"
  - frobnicate: 3
"""
CLOUD_STEPS = """name: cloud traffic through the link
services: [mqtt, https]
steps:
  - http-expect: /status/200
    timeout: 20
  - mqtt-expect: {topic: mvemu/test/flaps, payload: m000}
    timeout: 20
  - link: down
  - delay: 0.1
  - link: up
  - mqtt-publish: {topic: mvemu/test/other, payload: hello}
  - mqtt-expect: {topic: mvemu/test/other, payload: hello}
  - http-expect: {path: /status/200, method: GET}
    timeout: 20
"""

RESTART = """name: boots again after a reset
steps:
  - wait-text: "USART2: app task running"
  - restart:
  - wait-text: "BEGIN peripherals-rtos-app"
  - wait-text: "USART2: app task running"
"""

# case: (firmware, profile, scenario, QEMU args, exit status, summary regex)
CASES = {
    "button": ("rtos", RTOS_APP_DEVICES, BUTTON, ["-icount", "shift=4,sleep=off"], 0,
               r"^mvemu: passed: scenario 'button warms the display': all 10 steps passed"),
    "step-fails": ("rtos", RTOS_APP_DEVICES, WRONG_DISPLAY, ["-icount", "shift=4,sleep=off"], 123,
                   r"^mvemu: failed: scenario step \S+\.yaml:3: expect-display: display\.text is "
                   r"'\s*23\.5', expected ' 99\.9'"),
    "unknown-step": ("rtos", RTOS_APP_DEVICES, UNKNOWN_STEP, [], 2,
                     r"^mvemu: scenario \S+\.yaml:3: unknown step 'frobnicate' \(steps: "),
    "restart": ("rtos", RTOS_APP_DEVICES, RESTART, [], 0,
                r"^mvemu: passed: scenario 'boots again after a reset': all 4 steps passed"),
    "cloud": ("flaps", CLOUD_PROFILE, CLOUD_STEPS, [], 0,
              r"^mvemu: passed: scenario 'cloud traffic through the link': all 8 steps passed"),
}


def main():
    case, repo, qemu, backend, rtos_elf, flaps_elf = sys.argv[1:]
    firmware, profile, scenario, qemu_args, want_status, want_summary = CASES[case]
    failures = []
    with tempfile.TemporaryDirectory(prefix="mvemu-scenario-") as tmp, \
            launcher_env(qemu, backend) as env:
        with open(os.path.join(tmp, "device.toml"), "w") as f:
            f.write(profile)
        with open(os.path.join(tmp, "steps.yaml"), "w") as f:
            f.write(scenario)
        elf = rtos_elf if firmware == "rtos" else flaps_elf
        cmd = [os.path.join(repo, "mvemu"), "run", elf, "--profile", os.path.join(tmp, "device.toml"),
               "--scenario", os.path.join(tmp, "steps.yaml"), "--timeout", "60"]
        if qemu_args:
            cmd += ["--"] + qemu_args
        print("$ " + " ".join(cmd), flush=True)
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=120)
        print(proc.stdout[-3000:], end="")
        print(proc.stderr, end="")
        summaries = [ln for ln in proc.stderr.splitlines() if re.match(r"^mvemu: \w+: |^mvemu: scenario ", ln)]
        if proc.returncode != want_status:
            failures.append(f"exit status {proc.returncode}, expected {want_status}")
        if not summaries or not re.search(want_summary, summaries[-1]):
            failures.append(f"summary {summaries}, expected one matching {want_summary}")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
