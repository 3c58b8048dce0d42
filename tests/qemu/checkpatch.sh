#!/usr/bin/env bash
# QEMU's own style checker on everything that would be sent to qemu-devel:
# each patch in qemu-patches/ and every C source and header in hw/ (with the
# memory-map table hw/ shares with the backend).
#
# usage: tests/qemu/checkpatch.sh REPO QEMU_BINARY
# The QEMU source tree is the cached one the binary was built from
# (scripts/build-qemu: <cache>/qemu-<key>/{src,build}).
set -uo pipefail
repo=$1
src=$(cd "$(dirname "$2")/../src" && pwd)
checkpatch="$src/scripts/checkpatch.pl"
[ -x "$checkpatch" ] || { echo "no checkpatch.pl in $src"; exit 1; }

failed=0
check() {
  local out
  if ! out=$("$checkpatch" --no-tree -q "$@" 2>&1) || [ -n "$out" ]; then
    echo "FAIL: checkpatch.pl $*"
    echo "$out"
    failed=1
  else
    echo "ok: $*"
  fi
}
for p in "$repo"/qemu-patches/*.patch; do
  check "$p"
done
for f in "$repo"/hw/*.c "$repo"/hw/*.h "$repo"/plugin/include/mvemu/stm32u585_map.h; do
  check -f "$f"
done
exit "$failed"
