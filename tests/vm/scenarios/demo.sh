#!/bin/sh
# Guest scenario for tests/vm/demo.sh: kvmmmu-graph on real KVM faults.
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"
{
	echo "### kvmmmu-graph check (strategy choice)"
	kvmmmu-graph check | sed -n '/^strategies/,$p'
	echo
	echo "### kvmmmu-graph --top 2 -- kvmmmu-faultgen --pages 16 --pages2 4 --mmio 2 --dirty-log"
	kvmmmu-graph --top 2 -- kvmmmu-faultgen --pages 16 --pages2 4 --mmio 2 \
		--dirty-log --json /tmp/fg.json 2>&1
	echo
	echo "### KVM's own counters (kvmmmu-faultgen, KVM_GET_STATS_FD)"
	sed 's/.*"kvm_stats":\({[^}]*}\).*/\1/' /tmp/fg.json
} >"$R/demo.txt" 2>&1
rc=$?
cat "$R/demo.txt"
exit $rc
