#!/bin/bash
# make-fixtures.sh BUILDDIR: regenerate tests/data/<kernel>-<strategy>.tar.xz,
# small recordings of real KVM faults made by kvmmmu-graph --record in the
# QEMU test host (Debian 6.1 and 6.12), replayed by the unit and CLI tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
builddir=$(cd "${1:-$top}" && pwd)
cache=${KVMMMU_VM_CACHE:-$here/cache}
stage=$cache/fixtures-destdir
rm -rf "$stage"
make -C "$builddir" install DESTDIR="$stage" >/dev/null
for k in 6.1 6.12; do
	out=$cache/fixtures-$k
	"$here/boot.sh" --kernel "$k" --scenario "$here/scenarios/fixtures.sh" \
		--out "$out" --destdir "$stage" --cache "$cache" --timeout 600
	for s in global instance events-only; do
		[ -d "$out/$s" ] || continue
		rm -rf "$top/tests/data/$k-$s" "$top/tests/data/$k-$s.tar.xz"
		cp -r "$out/$s" "$top/tests/data/$k-$s"
		tar --sort=name --owner=0 --group=0 --numeric-owner -cJf \
			"$top/tests/data/$k-$s.tar.xz" -C "$top/tests/data" "$k-$s"
		rm -rf "$top/tests/data/$k-$s"
		echo "tests/data/$k-$s.tar.xz: $(du -k "$top/tests/data/$k-$s.tar.xz" | cut -f1) KiB"
	done
done
