#!/bin/sh
# Guest scenario (busybox sh; boot.sh --nested): Debian's QEMU runs inside
# the test host with -accel kvm and boots a small guest that writes
# nested.mb MiB each time it is told to on its console: by default
# guest/nested-guest.S, a Multiboot kernel that SeaBIOS and QEMU's
# multiboot option ROM load and that needs no interrupt (under TCG's SVM
# a nested Linux guest loses its timer interrupts and stops, see
# tests/vm/README); with kvmmmu.qemu_guest=linux on the kernel command
# line, the same Linux kernel with a busybox initramfs
# (guest/nested-init.sh). kvmmmu-graph
# traces QEMU with --vm PID, and independent oracles look at each window:
#   boot     QEMU starts paused (-S); the tool attaches before the guest's
#            first instruction; the window runs to the end of one write
#   attach   the same QEMU, booted: a new run of the tool attaches, the
#            guest writes again
# Cases (one QEMU each): ram (anonymous guest RAM, as QEMU allocates it,
# with THP off: 4 KiB pages) and hugetlb (guest RAM on hugetlbfs,
# -mem-path: 2 MiB pages), each with both windows.
# The windows are exact: QEMU's monitor stops the VM before the tool and
# the oracle start and after the guest has written, so no fault happens
# outside them. Per window, in /results/qemu/CASE-WINDOW/:
#   faults.jsonl, stderr.txt, rc   kvmmmu-graph --json --vm PID
#   oracle.txt        kvm:kvm_page_fault events of QEMU's threads in an
#                     instance of our own (count, per-CPU overruns)
#   stats-before.txt, stats-after.txt   KVM's debugfs stats of that VM
#   maps.txt          /proc/PID/maps; threads.txt "TID COMM" of QEMU
#   pagemap.txt       "HVA PFN(tool) PAGEMAP-ENTRY" for sampled faults
#   console.txt, monitor.txt, seconds.txt (phase times), qemu.txt (command)
#   qemu.log          QEMU's stderr, with its own trace of every memslot
#                     it set (-trace kvm_set_user_memory: slot, GPA, size,
#                     HVA), the memslot oracle
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"

G=$(command -v kvmmmu-graph || true)
QEMU=/usr/bin/qemu-system-x86_64
MB=${KVMMMU_NESTED_MB:-32}
[ -n "$G" ] || { log "FAIL: kvmmmu-graph not installed in the guest"; exit 1; }
[ -x "$QEMU" ] && [ -f /nested/vmlinuz ] ||
	{ log "FAIL: no QEMU in the test host (boot.sh --nested)"; exit 1; }
[ -e /dev/kvm ] || { log "FAIL: /dev/kvm missing"; exit 1; }
grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
# kernel parameter kvmmmu.qemu_cases=a,b runs only those cases
CASES="ram hugetlb"
GUEST=multiboot
for a in $(cat /proc/cmdline); do
	case "$a" in
	kvmmmu.qemu_cases=*) CASES=$(echo "${a#*=}" | tr , ' ') ;;
	kvmmmu.qemu_guest=*) GUEST=${a#*=} ;;
	esac
done
case "$GUEST" in
multiboot | linux) ;;
*) log "FAIL: kvmmmu.qemu_guest=$GUEST: multiboot or linux"; exit 1 ;;
esac
[ -f /nested/guest.elf ] || { log "FAIL: no /nested/guest.elf (mknested.sh)"; exit 1; }
# seconds to wait for the guest to say it is up, and for one write: the
# Multiboot guest takes 1-3 s for either under TCG, Linux minutes
UP_WAIT=120 WROTE_WAIT=120
[ "$GUEST" = linux ] && UP_WAIT=600 WROTE_WAIT=300
log "qemu: guest $GUEST"
"$G" check >"$R/check.txt" 2>&1

# wait_for FILE PATTERN SECONDS: poll until FILE has a line matching;
# fails at once if QEMU ($qpid) has exited
wait_for() {
	end_=$(awk -v u="$(uptime_s)" -v s="$3" 'BEGIN { printf "%d", u + s }')
	while ! grep -q "$2" "$1" 2>/dev/null; do
		kill -0 "$qpid" 2>/dev/null || return 1
		[ "$(cut -d. -f1 /proc/uptime)" -ge "$end_" ] && return 1
		sleep 0.2
	done
}

# hmp COMMAND: one monitor command; waits for the prompt that follows it
hmp() {
	before_=$(grep -c '(qemu)' "$q/monitor.txt" 2>/dev/null)
	echo "$1" >"$q/mon.in"
	n_=0
	while [ "$(grep -c '(qemu)' "$q/monitor.txt" 2>/dev/null)" -le "$before_" ]; do
		[ "$n_" -ge 300 ] && { log "monitor: no prompt after '$1'"; return 1; }
		sleep 0.1
		n_=$((n_ + 1))
	done
}

# vm_stop: stop the vCPUs and make sure they are
vm_stop() {
	hmp stop && hmp "info status" && tail -n 3 "$q/monitor.txt" | grep -q paused
}

kvm_stats() { # kvm_stats PID FILE: the VM-wide counters in debugfs
	for f_ in /sys/kernel/debug/kvm/"$1"-*/*; do
		[ -f "$f_" ] && echo "${f_##*/}=$(cat "$f_" 2>/dev/null)"
	done >"$2"
}

# The oracle: an instance of our own with kvm:kvm_page_fault for every
# thread of QEMU (set_event_pid + event-fork).
oracle_start() {
	I=$T/instances/kvmmmu-oracle
	rmdir "$I" 2>/dev/null
	mkdir "$I" || return 1
	echo 8192 >"$I/buffer_size_kb"
	echo 1 >"$I/options/event-fork"
	for t_ in /proc/"$1"/task/*; do
		echo "${t_##*/}" >>"$I/set_event_pid"
	done
	echo 1 >"$I/events/kvm/kvm_page_fault/enable"
	echo 1 >"$I/tracing_on"
}
oracle_stop() {
	echo 0 >"$I/tracing_on"
	{
		echo "kvm_page_fault=$(grep -c 'kvm_page_fault:' "$I/trace")"
		for s_ in "$I"/per_cpu/cpu*/stats; do
			c_=${s_%/stats}
			echo "${c_##*/}.overrun=$(sed -n 's/^overrun: //p' "$s_")"
		done
	} >"$d/oracle.txt"
	echo 0 >"$I/events/kvm/kvm_page_fault/enable"
	rmdir "$I"
}

# pagemap_samples PID: HVA, the tool's PFN and the pagemap entry of up to
# 16 faults spread over the run
pagemap_samples() {
	sed -n 's/.*"hva":"\(0x[0-9a-f]*\)","pfn":"\(0x[0-9a-f]*\)".*/\1 \2/p' \
		"$d/faults.jsonl" >"$q/hvapfn"
	n_=$(grep -c . "$q/hvapfn")
	step_=$((n_ / 16 + 1))
	awk -v s="$step_" 'NR % s == 1 || s == 1' "$q/hvapfn" | head -n 16 |
	while read -r hva_ pfn_; do
		e_=$(dd if=/proc/"$1"/pagemap bs=8 skip=$((hva_ >> 12)) count=1 2>/dev/null |
			od -An -tx8 | tr -d ' ')
		echo "$hva_ $pfn_ 0x$e_"
	done >"$d/pagemap.txt"
}

# window NAME: with the VM stopped, start the oracle and the tool, let
# the VM run until the guest has written once more, stop it, stop both
window() {
	d=$R/qemu/$1
	mkdir -p "$d"
	mv "$q/seconds" "$d/seconds.txt" 2>/dev/null
	kvm_stats "$qpid" "$d/stats-before.txt"
	oracle_start "$qpid" || log "qemu $1: no oracle instance"
	"$G" --json --vm "$qpid" >"$d/faults.jsonl" 2>"$d/stderr.txt" &
	gpid=$!
	wait_for "$d/stderr.txt" "tracing PID" 120 || log "qemu $1: tool not ready"
	t1=$(uptime_s)
	ok=1
	hmp cont || ok=0
	if ! grep -q '@@NESTED-UP@@' "$q/console.txt"; then
		wait_for "$q/console.txt" '@@NESTED-UP@@' "$UP_WAIT" || ok=0
		echo "booted=$(elapsed "$t1")" >>"$d/seconds.txt"
	fi
	writes=$((writes + 1))
	echo go >"$q/ser.in"
	wait_for "$q/console.txt" "@@NESTED-WROTE $writes " "$WROTE_WAIT" || ok=0
	vm_stop || ok=0
	echo "window=$(elapsed "$t1")" >>"$d/seconds.txt"
	kill -INT "$gpid"
	wait "$gpid"
	echo $? >"$d/rc"
	oracle_stop
	kvm_stats "$qpid" "$d/stats-after.txt"
	cat /proc/"$qpid"/maps >"$d/maps.txt"
	for t_ in /proc/"$qpid"/task/*; do
		echo "${t_##*/} $(cat "$t_/comm")"
	done >"$d/threads.txt"
	pagemap_samples "$qpid"
	cp "$q/qemu.txt" "$d/"
	cp "$q/qemu.log" "$d/qemu.log"	# with QEMU's memslot trace so far
	[ "$ok" = 1 ] || {
		log "qemu $1: the guest did not answer; its console ends:"
		tail -n 15 "$q/console.txt" | sed 's/^/    /'
	}
	log "qemu $1: ok=$ok rc=$(cat "$d/rc")" \
		"faults=$(grep -c '"ts_ns"' "$d/faults.jsonl")" \
		"$(head -n 1 "$d/oracle.txt" 2>/dev/null)" \
		"$(tr '\n' ' ' <"$d/seconds.txt")"
	return $((1 - ok))
}

# qemu_case NAME QEMU-OPTION...: one QEMU, the boot and attach windows
qemu_case() {
	name=$1
	shift
	q=/tmp/qemu-$name
	rm -rf "$q"
	mkdir -p "$q"
	mkfifo "$q/ser.in" "$q/ser.out" "$q/mon.in" "$q/mon.out"
	cat "$q/ser.out" >"$q/console.txt" &
	c1=$!
	cat "$q/mon.out" >"$q/monitor.txt" &
	c2=$!
	if [ "$GUEST" = linux ]; then
		set -- -kernel /nested/vmlinuz -initrd /nested/initrd.img \
			-append "console=ttyS0 quiet panic=-1 nested.mb=$MB" "$@"
	else
		set -- -kernel /nested/guest.elf -append "nested.mb=$MB" "$@"
	fi
	set -- -name "nested-$name,debug-threads=on" -machine pc -accel kvm \
		-cpu host -smp 2 -m 256 -nodefaults -display none -no-reboot \
		-chardev "pipe,id=ser,path=$q/ser" -serial chardev:ser \
		-chardev "pipe,id=mon,path=$q/mon" -mon chardev=mon,mode=readline \
		-trace kvm_set_user_memory -S "$@"
	echo "$QEMU $*" >"$q/qemu.txt"
	log "qemu $name: starting"
	t0=$(uptime_s)
	writes=0
	"$QEMU" "$@" >"$q/qemu.log" 2>&1 &
	qpid=$!
	rc_=1
	if wait_for "$q/monitor.txt" '(qemu)' 60; then
		echo "qemu_start=$(elapsed "$t0")" >"$q/seconds"
		window "$name-boot" && window "$name-attach" && rc_=0
	else
		log "qemu $name: no monitor; $(tail -n 3 "$q/qemu.log")"
	fi
	echo quit >"$q/mon.in"
	n=0
	while kill -0 "$qpid" 2>/dev/null && [ "$n" -lt 100 ]; do
		sleep 0.1; n=$((n + 1))
	done
	kill -9 "$qpid" "$c1" "$c2" 2>/dev/null
	wait 2>/dev/null
	cp "$q/console.txt" "$q/monitor.txt" "$q/qemu.log" "$R/qemu/" 2>/dev/null
	for f in console.txt monitor.txt qemu.log; do
		mv "$R/qemu/$f" "$R/qemu/$name-$f" 2>/dev/null
	done
	rm -rf "$q"
	log "qemu $name: $(elapsed "$t0") s in all"
	return $rc_
}

# qemu_case_retry NAME OPTION...: qemu_case, and once more with a fresh
# QEMU if the guest did not answer (TCG's SVM can lose the nested guest's
# interrupts; SeaBIOS halts for some). Each window's checks are those of
# the attempt that finished; the retry is logged and in NAME-retried.
qemu_case_retry() {
	qemu_case "$@" && return 0
	log "qemu $1: the guest did not answer: once more with a fresh QEMU"
	echo "retried" >"$R/qemu/$1-retried"
	qemu_case "$@"
}

mkdir -p "$R/qemu"
# hugetlb's 2 MiB pages first, while memory is still in large free blocks
# (after the ram case's 4 KiB pages compaction can take the test host
# minutes)
case " $CASES " in
*" hugetlb "*)
	echo 160 >/proc/sys/vm/nr_hugepages
	echo "nr_hugepages=$(cat /proc/sys/vm/nr_hugepages)" >"$R/qemu/hugetlb.txt"
	;;
esac
for c in $CASES; do
	case "$c" in
	ram)
		# anonymous guest RAM in 4 KiB pages (THP off while it runs),
		# so KVM maps each page the guest writes with a fault of its own
		thp=/sys/kernel/mm/transparent_hugepage/enabled
		was=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp" 2>/dev/null)
		[ -n "$was" ] && echo never >"$thp"
		echo "thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp" 2>/dev/null)" >"$R/qemu/ram.txt"
		qemu_case_retry ram
		[ -n "$was" ] && echo "$was" >"$thp"
		;;
	hugetlb)
		# guest RAM on hugetlbfs: 2 MiB pages, so KVM can map 2 MiB at once
		mkdir -p /dev/hugepages
		grep -q ' /dev/hugepages ' /proc/mounts ||
			mount -t hugetlbfs none /dev/hugepages
		qemu_case_retry hugetlb -mem-path /dev/hugepages
		echo 0 >/proc/sys/vm/nr_hugepages
		;;
	esac
done
exit 0
