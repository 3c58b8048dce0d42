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
