#!/usr/bin/env python3
"""./mvemu run --record / --replay (docs/reliability.md "Record and replay").

usage: record_replay.py CASE REPO QEMU BACKEND ELF [OTHER_ELF]

Each case records a run against real services, stops them, replays the
recording with no network at all, and wants the same console output and the
same system-call trace, line for line (virtual times included):
cloud: the MQTT example against a TLS broker with a client certificate
  (config and secret fetches, TLS, publish and receive); the recording is
  the user's only (0600) and the replay exits 0 with the broker gone.
monitor: tests/firmware/mqtt/link-cut, its link cut by a scenario's QMP
  command at a time the recording keeps.
pins: tests/firmware/peripherals/rtos-app (FreeRTOS-style threads, a HAL
  tick, I2C sensor and display, USART2), its button pressed, its MCP9808
  warmed (qom-set) and a pin driven by a scenario over QMP (mvemu-gpio-set):
  inputs of the board's own models.
idle: a firmware asleep in WFI between SysTick ticks for 2 s of virtual
  time: the recorded clock jumps make the replay end at the same instant.
diverged: the idle recording replayed with another image (OTHER_ELF):
  exit status 120 and a message naming the call where it parted.
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

from launcher_build import RTOS_APP_DEVICES, launcher_env

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from mvemu_harness.services import Broker  # noqa: E402

CUT_STEPS = """steps:
  - wait-text: "CUT THE LINK"
  - link: down
  - expect-exit: 0
"""
PIN_STEPS = """steps:
  - wait-text: "USART2: waiting for the button"
  - press: {pin: PC13, hold: 0.01}
  - wait-text: "button pressed"
    source: usart2
  - set-sensor: {device: temp, property: temperature, value: 30000}
  - wait-text: "temperature 30.0 C"
  - delay: 0.2
  - set-pin: {pin: PB1, drive: high}
  - expect-exit: 0
"""
# Lines only the recording prints: -icount align's lateness notes and the
# harness's summary (which has the wall time).
NOT_REPLAYED = re.compile(r"^(Warning: The guest is now late|mvemu: (passed|failed|timeout):)")


def run(cmd, env, timeout=240):
    print("$ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    tail = proc.stdout.splitlines()[-8:]
    print("\n".join(tail) + f"\n(exit status {proc.returncode})", flush=True)
    return proc.returncode, [line for line in proc.stdout.splitlines()
                             if not NOT_REPLAYED.match(line)]


def same(what, recorded, replayed, failures):
    if recorded != replayed:
        for i, (a, b) in enumerate(zip(recorded + [""] * len(replayed), replayed + [""] * len(recorded))):
            if a != b:
                failures.append(f"{what} differs at line {i + 1}: recorded {a!r}, replayed {b!r}")
                return
    else:
        print(f"{what}: {len(recorded)} lines, the same", flush=True)


def cloud_profile(tmp, broker):
    d = broker.cert_dir
    path = os.path.join(tmp, "device.toml")
    with open(path, "w") as f:
        f.write(f'''[config.device]
"broker-host" = "mqtt.example.com"
"broker-port" = 8883
"root-CA" = {{ file = "{d}/ca.der", encoding = "hex" }}
cert = {{ file = "{d}/client.der", encoding = "hex" }}
[secrets.device]
private_key = {{ file = "{d}/client-key.der", encoding = "hex" }}
[network.hosts]
"mqtt.example.com" = "127.0.0.1:{broker.tls_port}"
''')
    return path


def main():
    case, repo, qemu, backend, elf = sys.argv[1:6]
    mvemu = os.path.join(repo, "mvemu")
    failures = []
    with tempfile.TemporaryDirectory(prefix="mvemu-rr-") as tmp, \
            launcher_env(qemu, backend) as env:
        recording = os.path.join(tmp, "run.rec")
        traces = [os.path.join(tmp, "recorded.trace"), os.path.join(tmp, "replayed.trace")]
        common, record_extra, broker = [], [], None
        if case in ("cloud", "monitor"):
            broker = Broker(tmp, tls=case == "cloud")
            if case == "cloud":
                common = ["--profile", cloud_profile(tmp, broker)]
            else:
                profile = os.path.join(tmp, "device.toml")
                with open(profile, "w") as f:
                    f.write("[mqtt]\nplain_tcp = true\n[network.hosts]\n"
                            f'"mqtt.example.com" = "127.0.0.1:{broker.port}"\n')
                steps = os.path.join(tmp, "cut.yaml")
                with open(steps, "w") as f:
                    f.write(CUT_STEPS)
                common = ["--profile", profile]
                record_extra = ["--scenario", steps]
        elif case == "pins":
            profile = os.path.join(tmp, "device.toml")
            with open(profile, "w") as f:
                f.write(RTOS_APP_DEVICES)
            steps = os.path.join(tmp, "pins.yaml")
            with open(steps, "w") as f:
                f.write(PIN_STEPS)
            common = ["--profile", profile]
            record_extra = ["--scenario", steps]
        else:
            common = ["--virtual-timeout", "2"]
        rc1, log1 = run([mvemu, "run", elf, "--record", recording,
                         f"--trace-syscalls={traces[0]}"] + common + record_extra, env)
        if broker:
            broker.stop()
            if case == "cloud":
                shutil.rmtree(broker.cert_dir)  # the replay needs none of the profile's files
        mode = stat.S_IMODE(os.stat(recording).st_mode)
        if mode != 0o600:
            failures.append(f"the recording's mode is {mode:o}, not 600")
        with open(recording) as f:
            text = f.read()
        kinds = [m.group(1) for m in re.finditer(r'"t":"(\w)"', text)]
        if case == "pins":
            inputs = re.findall(r'"t":"((?:gpio|qom)-set [^"]*)","k":"N"', text)
            print("board inputs: " + "; ".join(inputs), flush=True)
            if len(inputs) != 4 or not any("temperature 30000" in i for i in inputs):
                failures.append(f"want 4 board inputs (press, release, sensor, pin), got {inputs}")
        print("recorded: " + ", ".join(f"{k} {kinds.count(k)}" for k in sorted(set(kinds))),
              flush=True)
        want_kinds = {"cloud": "SMZE", "monitor": "SOE", "pins": "SOE", "idle": "SGZE", "diverged": "SGZE"}[case]
        for k in want_kinds:
            if k not in kinds:
                failures.append(f"the recording has no '{k}' trigger")
        replay_elf = sys.argv[6] if case == "diverged" else elf
        rc2, log2 = run([mvemu, "run", replay_elf, "--replay", recording,
                         f"--trace-syscalls={traces[1]}"] + common, env)
        expected = {"cloud": 0, "monitor": 0, "pins": 0, "idle": 124, "diverged": 124}[case]
        if rc1 != expected:
            failures.append(f"the recorded run exited {rc1}, not {expected}")
        if case == "diverged":
            if rc2 != 120:
                failures.append(f"the diverging replay exited {rc2}, not 120")
            if not any("replay: diverged" in line and "mvGetDeviceId" in line for line in log2):
                failures.append("no 'replay: diverged' message naming mvGetDeviceId")
        else:
            if rc2 != rc1:
                failures.append(f"the replay exited {rc2}, the recorded run {rc1}")
            same("console", log1, log2, failures)
            same("trace", open(traces[0]).read().splitlines(),
                 open(traces[1]).read().splitlines(), failures)
    for f in failures:
        print("FAIL: " + f)
    print("PASS" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
