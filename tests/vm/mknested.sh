#!/bin/bash
# mknested.sh --kernel-dir CACHE/VERSION --out FILE.cpio.gz [--force]
#
# The extra initramfs part of the QEMU-guest scenario (scenarios/qemu-guest.sh):
# Debian's qemu-system-x86_64 with the shared libraries it links and the
# firmware a direct kernel boot reads (SeaBIOS, linuxboot_dma.bin,
# multiboot_dma.bin, kvmvapic.bin), and under /nested the small guests it
# boots, which write a known amount of memory when told to on their
# console: guest.elf (guest/nested-guest.S, a Multiboot kernel that needs
# no interrupt: the default) and the same Linux kernel as the test host
# (KERNEL_DIR/vmlinuz) with a busybox initramfs whose /init is
# guest/nested-init.sh. boot.sh --extra-initrd appends it to the test
# host's initramfs. Rebuilt only when an input changed (FILE.key).
set -eu

die() { echo "mknested: error: $*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
kdir='' out='' force=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel-dir) kdir=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--force) force=1; shift ;;
	-h|--help) sed -n '2,11p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$kdir" ] || die "--kernel-dir is required"
[ -n "$out" ] || die "--out is required"
[ -f "$kdir/.complete" ] || die "'$kdir' is not a kernel fetched by fetch-kernel.sh"

# the QEMU under test inside the test host: the system's, not $QEMU (the
# one that runs the test host, which may be another build)
QEMU_BIN=$(command -v "${KVMMMU_NESTED_QEMU:-qemu-system-x86_64}" || true)
BUSYBOX=${BUSYBOX:-$(command -v busybox || true)}
[ -x "$QEMU_BIN" ] || die "qemu-system-x86_64 not found (install qemu-system-x86)"
[ -x "$BUSYBOX" ] || die "busybox not found (install busybox-static)"
# firmware of a direct kernel boot on the pc machine, wherever Debian put it
FIRMWARE="bios-256k.bin linuxboot_dma.bin multiboot_dma.bin kvmvapic.bin"
find_fw() {
	for d in /usr/share/qemu /usr/share/seabios /usr/lib/ipxe/qemu; do
		[ -e "$d/$1" ] && { readlink -f "$d/$1"; return 0; }
	done
	return 1
}
for f in $FIRMWARE; do
	find_fw "$f" >/dev/null || die "QEMU firmware '$f' not found (install qemu-system-x86)"
done

key=$({
	echo v1
	sha256sum "$0" "$here/guest/nested-init.sh" "$here/guest/nested-guest.S"
	cat "$kdir/package"
	ls -lL "$QEMU_BIN" "$BUSYBOX"
	for f in $FIRMWARE; do ls -lL "$(find_fw "$f")"; done
} | sha256sum | cut -d' ' -f1)
if [ "$force" = 0 ] && [ -s "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	echo "mknested: up to date: $out"
	exit 0
fi

mkdir -p "$(dirname "$out")"
root=$(mktemp -d "$(dirname "$out")/.nested.XXXXXX")
trap 'rm -rf "$root"' EXIT

# ---- the nested guest: kernel and busybox initramfs --------------------------
g=$root/guest
mkdir -p "$g"/{bin,dev,proc,sys,tmp} "$root/nested"
cp "$BUSYBOX" "$g/bin/busybox"
for a in sh mount echo cat dd sleep poweroff read sync free head cut; do
	ln -sf busybox "$g/bin/$a"
done
install -m 755 "$here/guest/nested-init.sh" "$g/init"
(cd "$g" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6) \
	>"$root/nested/initrd.img"
rm -rf "$g"
cp "$kdir/vmlinuz" "$root/nested/vmlinuz"
# the Multiboot guest: 32-bit ELF at 1 MiB, one RWX segment (-N: no
# segment for the ELF headers below 1 MiB, where the BIOS is)
as --32 -o "$root/guest.o" "$here/guest/nested-guest.S" ||
	die "cannot assemble guest/nested-guest.S (install binutils)"
ld -m elf_i386 -N -Ttext=0x100000 -e _start --no-warn-rwx-segments \
	-o "$root/nested/guest.elf" "$root/guest.o" ||
	die "cannot link the Multiboot guest"
rm -f "$root/guest.o"

# ---- QEMU, its libraries (same /lib layout as the base archive), firmware ----
for d in lib lib64; do
	if [ -L "/$d" ]; then
		mkdir -p "$root/$(readlink "/$d" | sed 's,^/,,')"
		ln -s "$(readlink "/$d")" "$root/$d"
	fi
done
mkdir -p "$root/usr/bin" "$root/usr/share/qemu"
cp -L "$QEMU_BIN" "$root/usr/bin/qemu-system-x86_64"
ldd "$QEMU_BIN" | sed -n -e 's/.*=> \(\/[^ ]*\) (0x.*/\1/p' \
	-e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
for f in $FIRMWARE; do
	cp "$(find_fw "$f")" "$root/usr/share/qemu/$f"
done

tmpout=$out.tmp.$$
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6 >"$tmpout") ||
	{ rm -f "$tmpout"; die "cpio/gzip failed"; }
mv "$tmpout" "$out"
echo "$key" >"$out.key"
echo "mknested: wrote $out ($(du -k "$out" | cut -f1) KiB)"
