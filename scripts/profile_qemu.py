#!/usr/bin/python3 -IS
"""The QEMU options a device profile asks for.

- [clocks]: the microvisor-stm32u585 machine takes its clock tree as
  properties (sysclk-frequency, hclk-frequency, pclk1-frequency,
  pclk2-frequency); the keys sysclk_hz ... pclk2_hz choose them.
- [[devices]]: devices to attach, each one QEMU -device: "driver" names the
  model, every other key is one of its properties, spelled as QEMU spells
  it, e.g. { driver = "mcp9808", bus = "i2c1", address = 0x18,
  alert-pin = "PB2" }.
- [rng] seed: QEMU's -seed, which makes the RNG peripheral (and every other
  guest-visible random source) deterministic.

./mvemu run, the firmware test runner and the benchmarks all turn a profile
into QEMU options here.

usage: scripts/profile_qemu.py PROFILE.toml
  prints NUL-terminated fields: first the -M properties (",hclk-frequency=N,...",
  possibly empty), then the other QEMU arguments, one per field; exit status
  2 with a message on stderr for a file that is not valid TOML or a value of
  the wrong kind.
"""
import re
import sys
import tomllib

CLOCK_KEYS = ("sysclk", "hclk", "pclk1", "pclk2")
PROPERTY_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


class ProfileError(Exception):
    pass


def load(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, ValueError) as e:  # TOMLDecodeError, UnicodeDecodeError
        raise ProfileError(str(e)) from None


def machine_props(path, doc=None):
    """The -M properties for [clocks]: ",hclk-frequency=N,..." or ""."""
    doc = load(path) if doc is None else doc
    clocks = doc.get("clocks", {})
    if not isinstance(clocks, dict):
        raise ProfileError("[clocks] must be a table")
    props = []
    for key in CLOCK_KEYS:
        if key + "_hz" in clocks:
            v = clocks[key + "_hz"]
            if type(v) is not int or not 0 <= v <= 0xFFFFFFFF:
                raise ProfileError(f"[clocks] {key}_hz must be a non-negative integer "
                                   "(Hz, at most 4294967295)")
            props.append(f",{key}-frequency={v}")
    return "".join(props)


def property_value(where, key, v):
    if type(v) is bool:
        return "on" if v else "off"
    if type(v) is int:
        return str(v)
    if type(v) is str:
        return v.replace(",", ",,")  # QemuOpts' escape for a comma
    raise ProfileError(f"{where}: {key} must be a string, an integer or a boolean")


def device_spec(index, entry):
    where = f"[[devices]] #{index + 1}"
    if not isinstance(entry, dict):
        raise ProfileError(f"{where} must be a table")
    driver = entry.get("driver")
    if type(driver) is not str or not PROPERTY_NAME.match(driver):
        raise ProfileError(f'{where} needs driver = "MODEL" (e.g. "mcp9808")')
    parts = [driver]
    for key, v in entry.items():
        if key == "driver":
            continue
        if not PROPERTY_NAME.match(key):
            raise ProfileError(f"{where}: {key!r} is not a property name")
        parts.append(f"{key}={property_value(where, key, v)}")
    return ",".join(parts)


def qemu_args(path, doc=None):
    """The QEMU arguments other than -M: -device for each device, -seed."""
    doc = load(path) if doc is None else doc
    devices = doc.get("devices", [])
    if not isinstance(devices, list):
        raise ProfileError("devices must be an array of tables ([[devices]])")
    args = []
    for i, entry in enumerate(devices):
        args += ["-device", device_spec(i, entry)]
    rng = doc.get("rng", {})
    if not isinstance(rng, dict):
        raise ProfileError("[rng] must be a table")
    if "seed" in rng:
        seed = rng["seed"]
        if type(seed) is not int or not 0 <= seed <= 0xFFFFFFFF:
            raise ProfileError("[rng] seed must be a non-negative 32-bit integer")
        args += ["-seed", str(seed)]
    return args


if __name__ == "__main__":
    try:
        doc = load(sys.argv[1])
        fields = [machine_props(sys.argv[1], doc)] + qemu_args(sys.argv[1], doc)
    except ProfileError as e:
        print(f"mvemu: profile {sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(2)
    sys.stdout.write("".join(f + "\0" for f in fields))
