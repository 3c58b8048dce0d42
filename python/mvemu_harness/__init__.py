"""Drive mvemu from Python: boot firmware, read its log, check expectations.

Used by `./mvemu run` (expectations and timeouts), `./mvemu check` and the
pytest plugin (docs/testing-firmware.md).
"""
