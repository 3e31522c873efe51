#!/bin/sh
# Guest scenario for tests/vm/make-fixtures.sh: small recordings made with
# kvmmmu-graph --record, one per strategy this kernel allows, each with the
# faultgen JSON (KVM's counters) that the replay tests check against.
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"
SCEN="--pages 4 --pages2 4 --mmio 2 --dirty-log --vcpus 2"
kvmmmu-graph check >"$R/check.txt" 2>&1
for s in global instance events-only; do
	grep -qE "^  $s +yes" "$R/check.txt" || continue
	d=$R/$s
	# shellcheck disable=SC2086
	kvmmmu-graph --strategy "$s" --summary-only --record "$d" \
		-- kvmmmu-faultgen $SCEN --json /tmp/fg.json >"$R/$s.out" 2>&1 ||
		{ cat "$R/$s.out"; exit 1; }
	cp /tmp/fg.json "$d/faultgen.json"
	uname -r >"$d/kernel"
	log "$s: $(du -sk "$d" | cut -f1) KiB"
done
exit 0
