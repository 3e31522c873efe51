#!/bin/sh
# Install what kvmmmu-graph needs to build and to run its whole test suite
# on a Debian 12 machine (run as root). Safe to run again.
set -eu
export DEBIAN_FRONTEND=noninteractive
BUILD="build-essential autoconf automake libtool pkg-config
	libtracefs-dev libtraceevent-dev libtracecmd-dev libkmod-dev"
# the sanitizer build and the libFuzzer target (make fuzz, fuzz-smoke)
BUILD="$BUILD clang libclang-rt-14-dev"
# the QEMU test host: qemu, busybox for the initramfs, trace-cmd to compare,
# cpio/xz/kmod to pack the initramfs and unpack Debian's modules, binutils
# to assemble the QEMU-guest scenario's Multiboot guest
VM="qemu-system-x86 busybox-static trace-cmd cpio xz-utils kmod file binutils"
# tests: python3 reads JSON, chromium renders the SVG flame graph,
# prometheus (with promtool) scrapes and checks --metrics, curl asks it
TESTS="python3 chromium prometheus curl"
missing=
for p in $BUILD $VM $TESTS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "install-deps: all dependencies present"
