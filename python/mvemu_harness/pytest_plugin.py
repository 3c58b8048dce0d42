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
  mqtt_tls_broker  the same with a TLS listener that wants a client
                 certificate (`.tls_port`, `.cert_dir`: certificates made
                 for the run; `.host_entry(name, tls=True)`).
  https_server   an HTTPS server with its own CA (`.port`, `.ca`,
                 `.host_entry`), serving tests/https_server.py's paths.
"""
import os

import pytest

from .device import EmulatedDevice
from .services import Broker, HttpsServer

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LAUNCHER = os.path.join(REPO, "mvemu")


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


@pytest.fixture
def mqtt_broker(tmp_path):
    b = Broker(str(tmp_path))
    yield b
    b.stop()


@pytest.fixture
def mqtt_tls_broker(tmp_path):
    b = Broker(str(tmp_path), tls=True)
    yield b
    b.stop()


@pytest.fixture
def https_server(tmp_path):
    d = tmp_path / "https"
    d.mkdir()
    s = HttpsServer(str(d))
    yield s
    s.stop()
