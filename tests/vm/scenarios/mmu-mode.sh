#!/bin/sh
# Guest scenario: one kvmmmu-graph run in whatever MMU mode the kernel
# command line chose (kvm.tdp_mmu=0: legacy TDP MMU; kvm_amd.npt=0: shadow
# paging), checked on the host against faultgen's KVM counters.
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"
for p in /sys/module/kvm/parameters/tdp_mmu /sys/module/kvm_amd/parameters/npt; do
	echo "$p=$(cat "$p" 2>/dev/null)"
done >"$R/mode.txt"
cat "$R/mode.txt"
kvmmmu-graph --json -- kvmmmu-faultgen --pages 16 --pages2 8 --mmio 2 \
	--dirty-log --vcpus 2 --json "$R/faultgen.json" >"$R/faults.jsonl" 2>"$R/stderr.txt"
echo $? >"$R/rc"
cat "$R/stderr.txt"
tail -n1 "$R/faults.jsonl" | cut -c1-300
exit 0
