#!/bin/sh
# /init of the kvmmmu-graph test VM (busybox sh). Installed by mkinitramfs.sh.
#
# Mounts proc, sysfs, devtmpfs, tracefs, debugfs; loads the modules listed in
# /lib/modules/kvmmmu/modules.order with insmod (module options are taken from
# the kernel command line, e.g. kvm.tdp_mmu=0 kvm_amd.npt=0); runs
# /scenario.sh; streams /results back over the console as base64 of a tar.gz
# between markers; powers off. Markers (each on a line of its own):
#   @@KVMMMU-INIT uptime=S@@
#   @@KVMMMU-MODULES ok|failed@@
#   @@KVMMMU-SCENARIO-START uptime=S@@
#   @@KVMMMU-SCENARIO-END rc=N uptime=S@@
#   @@KVMMMU-RESULTS-BEGIN bytes=N sha256=HEX@@ ... @@KVMMMU-RESULTS-END@@
#   @@KVMMMU-DONE@@
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
umask 022

mkdir -p /proc /sys /dev /tmp /run /results
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The kernel may have found no /dev/console in the archive: reattach.
exec </dev/console >/dev/console 2>&1
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	echo "init: warning: cannot mount tracefs"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null ||
	echo "init: warning: cannot mount debugfs"
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
echo 0 >/proc/sys/kernel/kptr_restrict 2>/dev/null
hostname kvmmmu-vm 2>/dev/null

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# (a newline first: the firmware leaves terminal escapes on the line)
echo
echo "@@KVMMMU-INIT uptime=$(uptime_s)@@"

# Options for module M from /proc/cmdline: "M.opt=val" (M with - or _).
mod_opts() {
	m_=$(echo "$1" | tr '-' '_')
	for w in $(cat /proc/cmdline); do
		case "$w" in
		*.*) ;;
		*) continue ;;
		esac
		wm=$(echo "${w%%.*}" | tr '-' '_')
		[ "$wm" = "$m_" ] && printf '%s ' "${w#*.}"
	done
}

modstatus=ok
if [ -f /lib/modules/kvmmmu/modules.order ]; then
	while read -r ko; do
		[ -n "$ko" ] || continue
		name=${ko%.ko}
		opts=$(mod_opts "$name")
		opts=${opts% }
		# shellcheck disable=SC2086
		if insmod "/lib/modules/kvmmmu/$ko" $opts; then
			echo "init: insmod $ko${opts:+ $opts}: ok"
		else
			echo "init: insmod $ko${opts:+ $opts}: FAILED"
			modstatus=failed
		fi
	done </lib/modules/kvmmmu/modules.order
fi
if [ -e /dev/kvm ]; then
	echo "init: /dev/kvm present"
else
	echo "init: /dev/kvm missing"
	modstatus=failed
fi
echo "@@KVMMMU-MODULES $modstatus@@"

KVMMMU_RESULTS=/results
KVMMMU_GUEST_LIB=/tests/vm/guest/lib.sh
export KVMMMU_RESULTS KVMMMU_GUEST_LIB
cd /results || exit 1

echo "@@KVMMMU-SCENARIO-START uptime=$(uptime_s)@@"
if [ -f /scenario.sh ]; then
	sh /scenario.sh
	rc=$?
else
	echo "init: no /scenario.sh"
	rc=127
fi
cd /
echo "@@KVMMMU-SCENARIO-END rc=$rc uptime=$(uptime_s)@@"

# Keep kernel messages off the console while the results stream.
echo "1 4 1 7" >/proc/sys/kernel/printk 2>/dev/null
dmesg >/results/dmesg.txt 2>/dev/null
tar -C /results -cf - . | gzip -c >/tmp/results.tar.gz
bytes=$(wc -c </tmp/results.tar.gz)
sum=$(sha256sum /tmp/results.tar.gz | cut -d' ' -f1)
echo "@@KVMMMU-RESULTS-BEGIN bytes=$bytes sha256=$sum@@"
base64 /tmp/results.tar.gz
echo "@@KVMMMU-RESULTS-END@@"
echo "@@KVMMMU-DONE@@"
# Let the UART drain before the power goes.
sleep 1
sync
poweroff -f
