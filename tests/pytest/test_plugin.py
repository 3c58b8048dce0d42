"""The pytest plugin's own tests (python/mvemu_harness/pytest_plugin.py):
every fixture and device control against real firmware and a real broker.

Run by the suite as `pytest-plugin` (tests/pytest/meson.build); by hand:
    ./mvemu pytest tests/pytest/
"""
import pytest

from mvemu_harness.device import ExpectTimeout

DEVICES = {"devices": [
    {"driver": "mcp9808", "bus": "i2c1", "address": 0x18, "id": "temp", "temperature": 23500},
    {"driver": "ht16k33", "bus": "i2c1", "address": 0x70, "id": "display"},
]}
ICOUNT = ["-icount", "shift=4,sleep=off"]


def rtos_app(mvemu_device, mvemu_build):
    return mvemu_device(mvemu_build / "tests/firmware/fw-peripherals-rtos-app.elf",
                        profile=DEVICES, qemu_args=ICOUNT)


def test_button_sensor_display(mvemu_device, mvemu_build):
    """A FreeRTOS-style app: press its button, warm its sensor, read its display."""
    dev = rtos_app(mvemu_device, mvemu_build)
    dev.expect_exact("temperature 23.5 C", source="usart2")
    dev.expect_exact("waiting for the button", source="usart2")
    dev.set_pin("PC13", "high")
    dev.expect_exact("USART2: button pressed")
    dev.set_sensor("temp", "temperature", 30000)
    dev.expect_exact("USART2: temperature 30.0 C")
    assert dev.sensor("display", "text") == " 30.0"
    dev.set_pin("PB1", "high")  # the app's signal to finish
    dev.expect(r"END checks=\d+ failures=0")
    assert dev.wait(timeout=20) == 0


def test_output_pin_and_source_filter(mvemu_device, mvemu_build):
    dev = rtos_app(mvemu_device, mvemu_build)
    dev.expect_exact("waiting for the button")
    assert dev.pin("PA5") in (0, 1)  # the LED the app blinks
    with pytest.raises(ExpectTimeout) as e:
        dev.expect_exact("waiting for the button", source="server", timeout=0.5)
    assert "no line containing 'waiting for the button' from server within 0.5 s" in str(e.value)


def test_link_control_and_broker(mvemu_device, mvemu_build, mqtt_broker):
    mqtt_broker.subscribe("plugin/#")
    mqtt_broker.publish("plugin/hello", "hi")
    assert mqtt_broker.expect_message(r"^plugin/hello$") == ("plugin/hello", "hi")
    dev = mvemu_device(mvemu_build / "guest-sdk/examples/hello.elf",
                       profile={"network.hosts": mqtt_broker.host_entry()}, args=["--timeout", "20"])
    assert dev.wait(timeout=10) == 0


def test_profile_text_and_link(mvemu_device, mvemu_build):
    dev = rtos_app(mvemu_device, mvemu_build)
    dev.expect_exact("app task running")
    dev.link(False)
    info = dev.qmp.command("query-mvemu-network")
    assert info["link-up"] is False
    dev.link(True)
    assert dev.qmp.command("query-mvemu-network")["link-up"] is True


def test_tls_broker_with_the_mqtt_example(mvemu_device, mvemu_build, mqtt_tls_broker):
    """The MQTT example fetches its broker, CA, certificate and key from
    config, connects with TLS and a client certificate, echoes a message."""
    d = mqtt_tls_broker.cert_dir
    mqtt_tls_broker.subscribe("mvemu/example/#")
    dev = mvemu_device(mvemu_build / "guest-sdk/examples/mqtt.elf", profile={
        "config.device": {"broker-host": "mqtt.example.com", "broker-port": 8883,
                          "root-CA": {"file": f"{d}/ca.der", "encoding": "hex"},
                          "cert": {"file": f"{d}/client.der", "encoding": "hex"}},
        "secrets.device": {"private_key": {"file": f"{d}/client-key.der", "encoding": "hex"}},
        "network.hosts": mqtt_tls_broker.host_entry("mqtt.example.com", tls=True),
    })
    assert mqtt_tls_broker.expect_message(r"^mvemu/example/echo$")[1] == "hello from the mqtt example"
    assert dev.wait(timeout=20) == 0
