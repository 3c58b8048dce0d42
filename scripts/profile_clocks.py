#!/usr/bin/python3 -IS
"""The machine properties for a device profile's [clocks] table.

The microvisor-stm32u585 machine takes its clock tree as properties
(sysclk-frequency, hclk-frequency, pclk1-frequency, pclk2-frequency); a
profile's [clocks] keys choose them. ./mvemu run, the firmware test runner
and the benchmarks all turn a profile into -M properties here.

usage: scripts/profile_clocks.py PROFILE.toml
  prints ",hclk-frequency=N,..." for the keys present (nothing without any);
  exit status 2 with a message on stderr for a file that is not valid TOML
  or a clock that is not a 32-bit number of Hz.
"""
import sys
import tomllib

KEYS = ("sysclk", "hclk", "pclk1", "pclk2")


class ProfileError(Exception):
    pass


def machine_props(path):
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except (OSError, ValueError) as e:  # TOMLDecodeError, UnicodeDecodeError
        raise ProfileError(str(e)) from None
    clocks = doc.get("clocks", {})
    if not isinstance(clocks, dict):
        raise ProfileError("[clocks] must be a table")
    props = []
    for key in KEYS:
        if key + "_hz" in clocks:
            v = clocks[key + "_hz"]
            if type(v) is not int or not 0 <= v <= 0xFFFFFFFF:
                raise ProfileError(f"[clocks] {key}_hz must be a non-negative integer "
                                   "(Hz, at most 4294967295)")
            props.append(f",{key}-frequency={v}")
    return "".join(props)


if __name__ == "__main__":
    try:
        print(machine_props(sys.argv[1]))
    except ProfileError as e:
        print(f"mvemu: profile {sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(2)
