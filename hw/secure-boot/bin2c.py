#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn the assembled secure boot stage into a C array the board links in."""
import sys

data = open(sys.argv[1], "rb").read()
lines = [", ".join(f"0x{b:02x}" for b in data[i:i + 12]) for i in range(0, len(data), 12)]
with open(sys.argv[2], "w") as out:
    out.write("/* Generated from hw/secure-boot/boot.S by bin2c.py: do not edit. */\n")
    out.write("#include \"qemu/osdep.h\"\n\n")
    out.write("const uint8_t mvemu_secure_boot_image[] = {\n    ")
    out.write(",\n    ".join(lines))
    out.write("\n};\nconst size_t mvemu_secure_boot_image_size = sizeof(mvemu_secure_boot_image);\n")
