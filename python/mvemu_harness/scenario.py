"""Scenarios: steps run against a live device (docs/testing-firmware.md
"Scenarios"), from a YAML file passed with `./mvemu run --scenario FILE`.

    name: button warms the display
    services: [mqtt, https]        # started for the run (optional)
    steps:
      - wait-text: "USART2: waiting for the button"
      - set-pin: {pin: PC13, drive: high}
      - delay: 0.5                 # at least this much virtual time
      - expect-pin: {pin: PA5, level: 1}

Every step is checked when the file loads: an unknown step or a missing or
unknown parameter is refused with its line. A step that fails names its line
and what it saw instead.
"""
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

import yaml

DEFAULT_TIMEOUT_S = 10.0


class ScenarioError(ValueError):
    """The file is not a valid scenario (raised when it loads)."""


class StepFailed(AssertionError):
    """A step did not get what it expected."""


@dataclass
class Step:
    line: int
    kind: str
    args: Dict[str, Any]
    timeout: float = DEFAULT_TIMEOUT_S
    source: Optional[str] = None

    def where(self, path):
        return f"{path}:{self.line}: {self.kind}"


# step -> (required parameters, optional parameters, the key a scalar value fills)
STEPS = {
    "wait-text": ({"text"}, set(), "text"),
    "wait-regex": ({"regex"}, set(), "regex"),
    "delay": ({"seconds"}, set(), "seconds"),
    "set-pin": ({"pin", "drive"}, set(), None),
    "press": ({"pin"}, {"hold", "pressed", "released"}, "pin"),
    "expect-pin": ({"pin", "level"}, set(), None),
    "set-sensor": ({"device", "property", "value"}, set(), None),
    "expect-property": ({"device", "property", "value"}, set(), None),
    "expect-display": ({"device", "text"}, set(), None),
    "link": ({"state"}, set(), "state"),
    "mqtt-publish": ({"topic", "payload"}, {"qos", "retain"}, None),
    "mqtt-expect": ({"topic"}, {"payload"}, None),
    "http-expect": ({"path"}, {"method"}, "path"),
    "update": (set(), {"elf"}, "elf"),
    "restart": (set(), set(), None),
    "expect-exit": ({"status"}, set(), "status"),
}
COMMON = {"timeout", "source"}
SERVICES = {"mqtt", "https"}


@dataclass
class Scenario:
    path: str
    name: str
    services: List[str]
    steps: List[Step] = field(default_factory=list)


def _fail(path, line, text):
    raise ScenarioError(f"{path}:{line}: {text}")


def load(path) -> Scenario:
    with open(path) as f:
        text = f.read()
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as e:
        raise ScenarioError(f"{path}: not YAML: {e}")
    if not isinstance(data, dict) or "steps" not in data:
        raise ScenarioError(f"{path}: a scenario is a mapping with a list of steps")
    unknown = set(data) - {"name", "services", "steps"}
    if unknown:
        raise ScenarioError(f"{path}: unknown top-level keys {sorted(unknown)} "
                            "(name, services, steps)")
    services = data.get("services") or []
    if not isinstance(services, list) or not set(services) <= SERVICES:
        raise ScenarioError(f"{path}: services must be a list of {sorted(SERVICES)}")
    step_nodes = next(v for k, v in root.value if k.value == "steps")
    if not isinstance(data["steps"], list) or not isinstance(step_nodes, yaml.SequenceNode):
        raise ScenarioError(f"{path}: steps must be a list")
    sc = Scenario(path, str(data.get("name") or path), services)
    for value, node in zip(data["steps"], step_nodes.value):
        line = node.start_mark.line + 1
        if not isinstance(value, dict):
            _fail(path, line, f"a step is a mapping like '- wait-text: ...', got {value!r}")
        kinds = [k for k in value if k not in COMMON]
        if len(kinds) != 1 or kinds[0] not in STEPS:
            _fail(path, line, f"unknown step {kinds[0] if kinds else '(none)'!r} "
                              f"(steps: {', '.join(sorted(STEPS))})")
        kind = kinds[0]
        required, optional, scalar_key = STEPS[kind]
        raw = value[kind]
        if isinstance(raw, dict):
            args = dict(raw)
        elif scalar_key is not None and raw is not None:
            args = {scalar_key: raw}
        elif raw is None and not required:
            args = {}
        else:
            _fail(path, line, f"{kind} takes {{{', '.join(sorted(required | optional))}}}")
        missing, extra = required - set(args), set(args) - required - optional
        if missing or extra:
            _fail(path, line, f"{kind}: " + "; ".join(
                ([f"missing {sorted(missing)}"] if missing else []) +
                ([f"unknown {sorted(extra)}"] if extra else [])))
        if kind == "link" and args["state"] not in ("up", "down"):
            _fail(path, line, "link: state is up or down")
        if kind == "set-pin" and args["drive"] not in ("low", "high", "released"):
            _fail(path, line, "set-pin: drive is low, high or released")
        if kind in ("delay",) and not (isinstance(args["seconds"], (int, float)) and args["seconds"] >= 0):
            _fail(path, line, "delay: seconds of virtual time, a number >= 0")
        if kind.startswith("mqtt-") and "mqtt" not in services:
            _fail(path, line, f"{kind} needs 'services: [mqtt]'")
        if kind == "http-expect" and "https" not in services:
            _fail(path, line, "http-expect needs 'services: [https]'")
        timeout = value.get("timeout", DEFAULT_TIMEOUT_S)
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            _fail(path, line, "timeout: seconds, a number > 0")
        sc.steps.append(Step(line, kind, args, float(timeout), value.get("source")))
    return sc


class Runner:
    """Runs a scenario's steps against a device (an EmulatedDevice-like
    object: next_line(), its controls, wait()), the services, and a check
    every consumed line goes through (the run's --fail-text)."""

    def __init__(self, scenario, dev, check_line: Callable, broker=None, https=None):
        self.sc, self.dev, self._check = scenario, dev, check_line
        self.broker, self.https = broker, https
        self.observed = dev.cursor  # lines before this went through check_line

    def observe_new_lines(self):
        """Every line printed so far goes through the check once, whether a
        wait step reads it or not; only wait-text and wait-regex consume
        lines, so a line printed during a delay is still there for them."""
        end = len(self.dev.lines)
        while self.observed < end:
            line = self.dev.lines[self.observed]
            self.observed += 1
            self._check(line)

    def run(self):
        for step in self.sc.steps:
            getattr(self, "do_" + step.kind.replace("-", "_"))(step)

    def failed(self, step, text):
        raise StepFailed(f"{step.where(self.sc.path)}: {text}")

    # ---- the log ----

    def _wait_line(self, step, match, what):
        deadline = time.monotonic() + step.timeout
        seen = []
        while True:
            line = self.dev.next_line(deadline)
            self.observe_new_lines()
            if line is None:
                tail = "; last lines: " + " | ".join(seen[-3:]) if seen else "; nothing printed"
                reason = "the device stopped" if self.dev.output_done() else \
                    f"{step.timeout:g} s passed"
                self.failed(step, f"{reason} before {what}{tail}")
            if step.source and line.source != step.source.lower():
                continue
            seen.append(line.raw)
            if match(line.raw):
                return line

    def do_wait_text(self, step):
        text = str(step.args["text"])
        self._wait_line(step, lambda raw: text in raw, f"a line containing {text!r}")

    def do_wait_regex(self, step):
        rx = re.compile(str(step.args["regex"]))
        self._wait_line(step, lambda raw: rx.search(raw), f"a line matching /{rx.pattern}/")

    # ---- time ----

    def do_delay(self, step):
        """At least `seconds` of virtual time pass; the device keeps running
        meanwhile (a fail text in its lines still fails the run)."""
        target = self.dev.virtual_ns() + int(float(step.args["seconds"]) * 1e9)
        deadline = time.monotonic() + max(step.timeout, 60.0)
        while self.dev.virtual_ns() < target:
            self.observe_new_lines()
            if self.dev.output_done():
                self.failed(step, "the device stopped during the delay")
            time.sleep(0.005)
            if time.monotonic() > deadline:
                self.failed(step, "the virtual clock did not reach the end of the delay")

    # ---- pins, sensors, display ----

    def do_set_pin(self, step):
        self.dev.set_pin(str(step.args["pin"]), step.args["drive"])

    def do_press(self, step):
        pin = str(step.args["pin"])
        self.dev.set_pin(pin, step.args.get("pressed", "high"))
        self.do_delay(Step(step.line, "delay", {"seconds": step.args.get("hold", 0.05)}))
        self.dev.set_pin(pin, step.args.get("released", "low"))

    def do_expect_pin(self, step):
        pin, want = str(step.args["pin"]), int(step.args["level"])
        deadline = time.monotonic() + step.timeout
        while True:
            try:
                level = self.dev.pin(pin)
            except KeyError:
                level = None  # no such pin: the step fails below
            if level == want:
                return
            if time.monotonic() > deadline:
                self.failed(step, f"{pin} is {level}, expected {want}")
            time.sleep(0.005)

    def do_set_sensor(self, step):
        self.dev.set_sensor(str(step.args["device"]), str(step.args["property"]), step.args["value"])

    def _expect_property(self, step, prop, want):
        deadline = time.monotonic() + step.timeout
        while True:
            got = self.dev.sensor(str(step.args["device"]), prop)
            if got == want:
                return
            if time.monotonic() > deadline:
                self.failed(step, f"{step.args['device']}.{prop} is {got!r}, expected {want!r}")
            time.sleep(0.01)

    def do_expect_property(self, step):
        self._expect_property(step, str(step.args["property"]), step.args["value"])

    def do_expect_display(self, step):
        self._expect_property(step, "text", str(step.args["text"]))

    # ---- network and cloud ----

    def do_link(self, step):
        self.dev.link(step.args["state"] == "up")

    def do_mqtt_publish(self, step):
        self.broker.publish(str(step.args["topic"]), str(step.args["payload"]),
                            qos=int(step.args.get("qos", 1)), retain=bool(step.args.get("retain")))

    def _wait_service(self, step, next_item, matches, what, service):
        """The next item of a service (`next_item(deadline)`) that `matches`."""
        deadline = time.monotonic() + step.timeout
        while True:
            got = next_item(deadline)
            if got is None:
                self.failed(step, f"no {what} within {step.timeout:g} s"
                                  + (f"; got {service.seen[-3:]}" if service.seen else ""))
            if matches(got):
                return

    def do_mqtt_expect(self, step):
        topic, payload = str(step.args["topic"]), step.args.get("payload")
        self._wait_service(step, self.broker.next_message,
                           lambda m: m[0] == topic and (payload is None or m[1] == str(payload)),
                           f"message on {topic!r}", self.broker)

    def do_http_expect(self, step):
        path, method = str(step.args["path"]), str(step.args.get("method", "")).upper()
        self._wait_service(step, self.https.next_request,
                           lambda r: r[1].split("?")[0] == path and (not method or r[0] == method),
                           f"request for {path}", self.https)

    def do_update(self, step):
        elf = step.args.get("elf")
        self.dev.update_downloaded(str(elf) if elf else None)

    def do_restart(self, step):
        """A reset of the whole device, as power cycling it would (the
        firmware boots again; the external flash keeps its contents)."""
        self.dev.restart()

    def do_expect_exit(self, step):
        rc = self.dev.wait(step.timeout)
        if rc is None:
            self.failed(step, f"still running after {step.timeout:g} s")
        if rc != int(step.args["status"]):
            self.failed(step, f"exit status {rc}, expected {step.args['status']}")
