#!/bin/sh
# /init of the small guest that scenarios/qemu-guest.sh boots with QEMU
# inside the test host (busybox sh). Says it is up, then for every line it
# reads on its console writes nested.mb MiB (kernel parameter, default 32)
# of fresh anonymous memory and says so; "bye" powers it off.
mount -t proc proc /proc
mount -t devtmpfs dev /dev 2>/dev/null
mb=32
for a in $(cat /proc/cmdline); do
	case "$a" in nested.mb=*) mb=${a#nested.mb=} ;; esac
done
echo "@@NESTED-UP@@"
n=0
while read -r line && [ "$line" != bye ]; do
	# one buffer of mb MiB that read() from /dev/zero fills: every page
	# of it is written
	dd if=/dev/zero of=/dev/null bs="${mb}M" count=1 2>/dev/null
	n=$((n + 1))
	echo "@@NESTED-WROTE $n mb=$mb@@"
done
poweroff -f
