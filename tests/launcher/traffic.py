#!/usr/bin/env python3
"""./mvemu run --traffic: the cloud exchanges as JSON lines, secrets redacted.

usage: traffic.py CASE REPO QEMU BACKEND ELF [PROFILE]

config: tests/firmware/config/fetch with its profile (a scenario cuts the
link after the fetch, as its test does): every key fetched is a
config-item line with its scope, store and result; secret values appear as
"<redacted>" and none of the profile's secrets is anywhere in the file.
cloud: tests/firmware/network/flaps against a scenario's broker and HTTPS
server: the HTTP request and response, the MQTT connect, subscription,
publishes, their responses and the messages back.
"""
import json
import os
import subprocess
import sys
import tempfile

from launcher_build import CLOUD_PROFILE, launcher_env

SECRETS = ["s3cr3t-pa55w0rd", "303e076cd1369b0065ca2f94f95ec328",
           "c82d92f75cc1268bf055ba1f84e94eb318"]
# The firmware waits, after its fetch, for the link to go (its last check).
CONFIG_STEPS = """steps:
  - wait-text: "config: FETCHED"
  - link: down
  - expect-exit: 0
"""
CLOUD_STEPS = """services: [mqtt, https]
steps:
  - http-expect: /status/200
    timeout: 20
  - mqtt-expect: {topic: mvemu/test/flaps, payload: m003}
    timeout: 20
  - delay: 1     # the answers reach the firmware too
"""


def main():
    case, repo, qemu, backend, elf = sys.argv[1:6]
    failures = []
    with tempfile.TemporaryDirectory(prefix="mvemu-traffic-") as tmp, \
            launcher_env(qemu, backend) as env:
        traffic = os.path.join(tmp, "traffic.jsonl")
        cmd = [os.path.join(repo, "mvemu"), "run", elf, "--traffic", traffic, "--timeout", "60"]
        if case == "config":
            with open(os.path.join(tmp, "steps.yaml"), "w") as f:
                f.write(CONFIG_STEPS)
            cmd += ["--profile", sys.argv[6], "--scenario", os.path.join(tmp, "steps.yaml")]
        else:
            with open(os.path.join(tmp, "cloud.toml"), "w") as f:
                f.write(CLOUD_PROFILE)
            with open(os.path.join(tmp, "steps.yaml"), "w") as f:
                f.write(CLOUD_STEPS)
            cmd += ["--profile", os.path.join(tmp, "cloud.toml"),
                    "--scenario", os.path.join(tmp, "steps.yaml")]
        print("$ " + " ".join(cmd), flush=True)
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=120)
        print(proc.stdout[-2000:])
        if proc.returncode != 0:
            failures.append(f"exit status {proc.returncode}")
        text = open(traffic).read()
        events = [json.loads(line) for line in text.splitlines()]
        kinds = {e["event"] for e in events}
        if any(set(e) < {"t", "device", "event"} for e in events):
            failures.append("an event without t, device and event")
        if case == "config":
            items = [e for e in events if e["event"] == "config-item"]
            secret = [e for e in items if e["store"] == "SECRET" and e["result"] == "OK"]
            if not items or not secret or any(e["value"] != "<redacted>" for e in secret):
                failures.append(f"config items {items[:3]}: secrets not shown as <redacted>")
            if not any(e["key"] == "broker-host" and e["value"] == "mqtt.example.com" for e in items):
                failures.append("broker-host's value is not in the log")
            for s in SECRETS:
                if s in text:
                    failures.append(f"a secret ({s[:6]}...) is in the traffic log")
        else:
            want = {"http-request", "http-response", "mqtt-connect", "mqtt-connect-response",
                    "mqtt-subscribe", "mqtt-subscribe-response", "mqtt-publish",
                    "mqtt-publish-response", "mqtt-message"}
            if not want <= kinds:
                failures.append(f"events missing: {sorted(want - kinds)}")
            ok = [e for e in events if e["event"] == "http-response" and e["status"] == 200]
            if not ok or ok[0]["request"] != "GET https://api.example.com/status/200":
                failures.append(f"HTTP responses {ok[:2]}")
            pub = [e for e in events if e["event"] == "mqtt-publish"]
            if not pub or pub[0]["topic"] != "mvemu/test/flaps" or pub[0]["qos"] != 1 or \
                    pub[0]["preview"] != "m000" or pub[0]["bytes"] != 4:
                failures.append(f"MQTT publishes {pub[:2]}")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
