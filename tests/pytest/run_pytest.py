#!/usr/bin/env python3
"""The pytest-plugin test: Debian's pytest with the mvemu fixtures over the
plugin's own tests and the sample in guest-sdk/examples/pytest.

usage: run_pytest.py REPO BUILD QEMU BACKEND

The launcher runs against a build folder made for the test (as in
tests/launcher), with the real build's firmware folders linked into it.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "launcher"))
from launcher_build import launcher_env  # noqa: E402


def main():
    repo, build, qemu, backend = sys.argv[1:]
    pytest = "/usr/bin/python3"
    if subprocess.run([pytest, "-c", "import pytest"], capture_output=True).returncode != 0:
        print("SKIP: Debian's python3-pytest is not installed (./mvemu setup installs it)")
        return 77
    with launcher_env(qemu, backend) as env:
        fake = env["MVEMU_BUILD_DIR"]
        for sub in ("guest-sdk", "tests"):
            os.symlink(os.path.join(os.path.abspath(build), sub), os.path.join(fake, sub))
        env["PYTHONPATH"] = os.path.join(repo, "python")
        cmd = [pytest, "-m", "pytest", "-p", "mvemu_harness.pytest_plugin", "-q",
               "-p", "no:cacheprovider",
               os.path.join(repo, "tests", "pytest"),
               os.path.join(repo, "guest-sdk", "examples", "pytest")]
        print("$ " + " ".join(cmd), flush=True)
        return subprocess.call(cmd, env=env, cwd=repo)


if __name__ == "__main__":
    sys.exit(main())
