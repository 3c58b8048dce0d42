"""pytest fixtures for firmware tests under mvemu (docs/testing-firmware.md).

Use with Debian's python3-pytest:

    ./mvemu pytest tests/            # or:
    PYTHONPATH=/path/to/mvemu/python python3 -m pytest -p mvemu_harness.pytest_plugin tests/

Fixtures:
  mvemu_build    the build folder (a pathlib.Path; MVEMU_BUILD_DIR or build/)
  mvemu_device   a factory: mvemu_device("app.elf", profile="..." or {...})
                 boots one device and returns a Device (below); every
                 device is stopped when the test ends.
  mqtt_broker    a Mosquitto broker on a free loopback port, plain TCP
                 (`.port`, `.host_entry`, `.publish()`, `.subscribe()`,
                 `.expect_message()`).
  https_server   an HTTPS server with its own CA (`.port`, `.ca`,
                 `.host_entry`), serving tests/https_server.py's paths.
"""
import os
import queue
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import pytest

from .device import Device
from .qmp import Qmp

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LAUNCHER = os.path.join(REPO, "mvemu")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def profile_text(profile):
    """A profile given as TOML text, or as {table: {key: value}} (a list of
    tables for an array of tables, e.g. "devices")."""
    if profile is None or isinstance(profile, str):
        return profile or ""
    out = []
    for table, body in profile.items():
        rows = body if isinstance(body, list) else [body]
        for row in rows:
            out.append(f"[[{table}]]" if isinstance(body, list) else f"[{table}]")
            out += [f'"{k}" = {toml_value(v)}' if "." in k or "-" in k else f"{k} = {toml_value(v)}"
                    for k, v in row.items()]
            out.append("")
    return "\n".join(out)


class EmulatedDevice(Device):
    """A booted device: its log (expect/expect_exact from Device) and the
    board's controls over QMP."""

    def __init__(self, argv, qmp_path, **kw):
        super().__init__(argv, **kw)
        self.qmp = Qmp(qmp_path, alive=lambda: self.proc.poll() is None)

    def set_pin(self, pin, drive):
        """Drive a pin from outside ("low", "high", "released"), as a button does."""
        self.qmp.command("mvemu-gpio-set", pin=pin, drive=drive)

    def press(self, pin="PC13", pressed="high", released="low", hold_s=0.05):
        self.set_pin(pin, pressed)
        time.sleep(hold_s)
        self.set_pin(pin, released)

    def pin(self, pin):
        """The pin's level (0 or 1) as the GPIO port reads it."""
        port = pin[1]
        for p in self.qmp.command("query-mvemu-gpio", port=port):
            if p.get("pin") == pin:
                return int(p["level"])
        raise KeyError(pin)

    def set_sensor(self, device_id, prop, value):
        """Set a property of an I2C device named in the profile (e.g. an
        MCP9808's temperature in milli-degrees)."""
        self.qmp.command("qom-set", path=f"/machine/peripheral/{device_id}", property=prop,
                         value=value)

    def sensor(self, device_id, prop):
        return self.qmp.command("qom-get", path=f"/machine/peripheral/{device_id}", property=prop)

    def link(self, up):
        self.qmp.command("mvemu-set-link", up=bool(up))

    def update_downloaded(self, elf=None):
        args = {"path": os.path.abspath(elf)} if elf else {}
        self.qmp.command("mvemu-update-downloaded", **args)

    def stop(self, grace_s=5.0):
        self.qmp.close()
        return super().stop(grace_s)


@pytest.fixture(scope="session")
def mvemu_build():
    import pathlib
    return pathlib.Path(os.environ.get("MVEMU_BUILD_DIR", os.path.join(REPO, "build")))


@pytest.fixture
def mvemu_device(tmp_path):
    made = []

    def boot(elf, profile=None, args=(), qemu_args=(), echo=False):
        argv = [LAUNCHER, "run", os.path.abspath(elf)]
        text = profile_text(profile)
        if text:
            path = tmp_path / f"profile-{len(made)}.toml"
            path.write_text(text)
            argv += ["--profile", str(path)]
        qmp_path = str(tmp_path / f"qmp-{len(made)}.sock")
        argv += list(args) + ["--", "-qmp", f"unix:{qmp_path},server=on,wait=off"] + list(qemu_args)
        dev = EmulatedDevice(argv, qmp_path, echo=echo,
                             log_file=str(tmp_path / f"device-{len(made)}.log"))
        made.append(dev)
        return dev

    yield boot
    for dev in made:
        dev.stop()


class Broker:
    MARK = "mvemu/pytest/mark"

    def __init__(self, workdir):
        self.port = free_port()
        conf = os.path.join(workdir, "mosquitto.conf")
        import pwd
        with open(conf, "w") as f:
            f.write(f"user {pwd.getpwuid(os.getuid()).pw_name}\nlistener {self.port} 127.0.0.1\n"
                    "allow_anonymous true\n")
        self.log = open(os.path.join(workdir, "mosquitto.log"), "w")
        self.proc = subprocess.Popen(["/usr/sbin/mosquitto", "-c", conf], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("mosquitto did not start")
                time.sleep(0.02)
        self.subs = []
        self.messages = queue.Queue()

    def host_entry(self, name="mqtt.example.com"):
        """A [network.hosts] entry sending `name` to this broker."""
        return {name: f"127.0.0.1:{self.port}"}

    def publish(self, topic, payload, qos=1, retain=False):
        cmd = ["mosquitto_pub", "-h", "127.0.0.1", "-p", str(self.port), "-q", str(qos),
               "-t", topic, "-m", payload] + (["-r"] if retain else [])
        subprocess.run(cmd, check=True, timeout=10, stdout=subprocess.DEVNULL)

    def subscribe(self, topic):
        """Receive what is published to `topic` from now on (after this returns)."""
        sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(self.port), "-q", "1",
                                "-v", "-t", topic, "-t", self.MARK], stdout=subprocess.PIPE,
                               text=True, errors="replace")
        self.subs.append(sub)
        seen = threading.Event()

        def pump():
            for line in sub.stdout:
                line = line.rstrip("\n")
                if line.startswith(self.MARK + " "):
                    seen.set()
                else:
                    t, _, p = line.partition(" ")
                    self.messages.put((t, p))
        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + 10
        while not seen.is_set() and time.monotonic() < deadline:
            self.publish(self.MARK, "ready", qos=0)
            seen.wait(0.1)
        if not seen.is_set():
            raise RuntimeError("mosquitto_sub did not subscribe in time")

    def expect_message(self, topic_regex, timeout=10.0):
        """The next (topic, payload) whose topic matches, within `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                topic, payload = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no MQTT message on /{topic_regex}/ within {timeout:g} s")
            if re.search(topic_regex, topic):
                return topic, payload

    def stop(self):
        for p in self.subs + [self.proc]:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.log.close()


@pytest.fixture
def mqtt_broker(tmp_path):
    b = Broker(str(tmp_path))
    yield b
    b.stop()


class HttpsServer:
    def __init__(self, workdir):
        self.dir = workdir
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(REPO, "tests", "https_server.py"), "--serve", workdir,
             "--max-seconds", "600"], stdout=subprocess.PIPE, text=True)
        self.port = None
        for line in self.proc.stdout:
            m = re.match(r"^port (\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if not self.port:
            raise RuntimeError("the HTTPS server did not start")
        self.ca = os.path.join(workdir, "ca.pem")

    def host_entry(self, name="api.example.com"):
        return {name: f"127.0.0.1:{self.port}"}

    def stop(self):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def https_server(tmp_path):
    d = tmp_path / "https"
    d.mkdir()
    s = HttpsServer(str(d))
    yield s
    s.stop()
