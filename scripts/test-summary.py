#!/usr/bin/env python3
"""Print the closing line of a test run from Meson's testlog.json files (one
line for all of them: ./mvemu test passes the plain and the sanitized run's)."""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as log:
            for line in log:
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    except FileNotFoundError:
        failed += 1
if skipped:
    print(f"{skipped} skipped (they cannot run in that build, e.g. valgrind under ASan)")
# The last line, exactly "N passed, N failed": CI reads it.
print(f"{passed} passed, {failed} failed")
