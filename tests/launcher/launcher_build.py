"""A build folder for ./mvemu run made for a test: its stamp names the QEMU
under test and plugin/ links the backend, so the launcher starts at once
(MVEMU_BUILD_DIR points at it) without rebuilding the checkout."""
import contextlib
import os
import tempfile


@contextlib.contextmanager
def launcher_env(qemu, backend):
    """The environment for ./mvemu run against that QEMU and backend."""
    with tempfile.TemporaryDirectory(prefix="mvemu-launcher-") as build:
        os.mkdir(os.path.join(build, "plugin"))
        os.symlink(os.path.abspath(backend), os.path.join(build, "plugin", "libmvemu-backend.so"))
        with open(os.path.join(build, ".mvemu-ready"), "w") as f:
            f.write(os.path.abspath(qemu) + "\n")
        yield dict(os.environ, MVEMU_BUILD_DIR=build)


# The profile tests/firmware/peripherals/rtos-app wants: its sensor and display.
RTOS_APP_DEVICES = """[[devices]]
driver = "mcp9808"
bus = "i2c1"
address = 0x18
id = "temp"
temperature = 23500
[[devices]]
driver = "ht16k33"
bus = "i2c1"
address = 0x70
id = "display"
"""

# A profile for tests/firmware/network/flaps against a scenario's services
# ({mqtt_port}, {https_port} and {https_ca} are filled in by the run).
CLOUD_PROFILE = """[channels]
max_opens_per_second = 0
[mqtt]
plain_tcp = true
[network]
dns = "hosts-only"
[network.hosts]
"mqtt.example.com" = "127.0.0.1:{mqtt_port}"
"api.example.com" = "127.0.0.1:{https_port}"
[tls]
ca_files = ["{https_ca}"]
"""
