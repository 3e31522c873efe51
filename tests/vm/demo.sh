#!/bin/bash
# demo.sh [6.1|6.12]: show kvmmmu-graph on real KVM faults on any x86 machine.
# Installs what it needs (as root), builds the project, boots Debian's
# kernel under QEMU (TCG, nested AMD NPT) and runs kvmmmu-graph there on
# kvmmmu-faultgen's guest. Prints the tool's output and KVM's counters.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${1:-6.12}
cache=${KVMMMU_VM_CACHE:-$top/tests/vm/cache}
if [ "$(id -u)" -ne 0 ]; then
	echo "demo: run as root (apt-get, QEMU test host)" >&2
	exit 1
fi
cd "$top"
tests/install-deps.sh
if [ ! -x ./kvmmmu-graph ] || [ ! -f Makefile ]; then
	echo "demo: building"
	./autogen.sh >/dev/null
	./configure --quiet
fi
make -j"$(nproc)" >/dev/null
stage=$cache/demo-destdir
rm -rf "$stage"
make install DESTDIR="$stage" >/dev/null
out=$cache/demo-$kernel
echo "demo: booting Debian $kernel under QEMU (about a minute)"
tests/vm/boot.sh --kernel "$kernel" --scenario tests/vm/scenarios/demo.sh \
	--out "$out" --destdir "$stage" --cache "$cache" --timeout 600 >/dev/null
cat "$out/demo.txt"
