#!/bin/bash
# mkinitramfs.sh --kernel-dir DIR --out FILE.cpio.gz [--destdir DIR]
#                [--scenario SCRIPT] [--force]
#
# Build the test VM's initramfs (gzip'ed newc cpio) from:
#   busybox-static (/bin, one symlink per applet), /usr/bin/trace-cmd and its
#   plugins, the DESTDIR tree (`make install DESTDIR=...`; may be empty or
#   absent), the shared libraries of every ELF in it and of trace-cmd (ldd,
#   with the dynamic loader), the modules from fetch-kernel.sh (KERNEL_DIR,
#   i.e. CACHE/<version>) in /lib/modules/kvmmmu, tests/vm/guest/* in
#   /tests/vm/guest, tests/vm/scenarios/* in /tests/vm/scenarios, and
#   guest/init.sh as /init.
# --scenario SCRIPT also puts SCRIPT in as /scenario.sh (boot.sh instead
#   appends it as a second small archive so the big one is reused).
# The archive is rebuilt only when its inputs changed (FILE.key), or --force.
set -eu

die() { echo "mkinitramfs: error: $*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
kdir='' out='' destdir='' scenario='' force=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel-dir) kdir=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--destdir) destdir=${2?}; shift 2 ;;
	--scenario) scenario=${2:?}; shift 2 ;;
	--force) force=1; shift ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$kdir" ] || die "--kernel-dir is required"
[ -n "$out" ] || die "--out is required"
[ -f "$kdir/.complete" ] || die "'$kdir' is not a kernel fetched by fetch-kernel.sh"
kdir=$(cd "$kdir" && pwd)
if [ -n "$destdir" ]; then
	[ -d "$destdir" ] || die "destdir '$destdir' is not a directory"
	destdir=$(cd "$destdir" && pwd)
fi
[ -z "$scenario" ] || [ -f "$scenario" ] || die "scenario '$scenario' not found"

BUSYBOX=${BUSYBOX:-$(command -v busybox || true)}
TRACE_CMD=${TRACE_CMD:-$(command -v trace-cmd || true)}
[ -x "$BUSYBOX" ] || die "busybox not found (install busybox-static)"
file_is_static() { ! ldd "$1" >/dev/null 2>&1; }
file_is_static "$BUSYBOX" || die "$BUSYBOX is not static (install busybox-static)"
[ -x "$TRACE_CMD" ] || die "trace-cmd not found (install trace-cmd)"
for t in cpio gzip ldd sha256sum; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found"
done

# ---- cache key --------------------------------------------------------------
key=$({
	echo "v1"
	sha256sum "$0" "$here"/guest/* "$here"/scenarios/* 2>/dev/null
	cat "$kdir/package"
	ls -lL "$BUSYBOX" "$TRACE_CMD"
	[ -z "$destdir" ] || (cd "$destdir" && find . -printf '%p %s %T@ %m\n' | LC_ALL=C sort)
	[ -z "$scenario" ] || sha256sum "$scenario"
} | sha256sum | cut -d' ' -f1)
if [ "$force" = 0 ] && [ -s "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	echo "mkinitramfs: up to date: $out"
	exit 0
fi

mkdir -p "$(dirname "$out")"
root=$(mktemp -d "$(dirname "$out")/.initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

# Same /lib, /lib64 layout as this host (merged /usr or not), so the paths
# that ldd prints and the libraries' built-in plugin paths both work.
for d in lib lib64; do
	if [ -L "/$d" ]; then
		mkdir -p "$root/$(readlink "/$d" | sed 's,^/,,')"
		ln -s "$(readlink "/$d")" "$root/$d"
	fi
done
mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,results,etc,root,usr/bin,usr/sbin,lib/modules/kvmmmu,tests/vm/guest,tests/vm/scenarios}
ln -s bin "$root/sbin"
chmod 1777 "$root/tmp"

# ---- DESTDIR first: its files win over everything added below ---------------
if [ -n "$destdir" ]; then
	cp -a "$destdir/." "$root/"
fi

# ---- busybox ------------------------------------------------------------------
cp "$BUSYBOX" "$root/bin/busybox"
for a in $("$BUSYBOX" --list); do
	[ -e "$root/bin/$a" ] || [ -L "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done

# ---- trace-cmd + plugins --------------------------------------------------------
[ -e "$root/usr/bin/trace-cmd" ] || cp -L "$TRACE_CMD" "$root/usr/bin/trace-cmd"
multiarch=$(dirname "$(ldd "$TRACE_CMD" | sed -n 's/.*libc\.so\.6 => \([^ ]*\).*/\1/p')")
for pdir in /usr/lib/x86_64-linux-gnu/traceevent/plugins /usr/lib/x86_64-linux-gnu/trace-cmd/plugins \
	"$multiarch/traceevent/plugins" "$multiarch/trace-cmd/plugins"; do
	[ -d "$pdir" ] || continue
	pdir=$(readlink -f "$pdir")
	[ -d "$root$pdir" ] && continue
	mkdir -p "$root$pdir"
	cp -L "$pdir"/*.so "$root$pdir/" 2>/dev/null || true
done

# ---- shared libraries of every ELF in the tree ----------------------------------
is_elf() { [ "$(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }
ldpath=
if [ -n "$destdir" ]; then
	for d in usr/local/lib usr/local/lib64 usr/lib usr/lib64 lib lib64 usr/lib/x86_64-linux-gnu; do
		[ -d "$destdir/$d" ] && ldpath=${ldpath:+$ldpath:}$destdir/$d
	done
fi
libs=$(mktemp)
while IFS= read -r -d '' f; do
	is_elf "$f" || continue
	[ "$f" = "$root/bin/busybox" ] && continue
	lout=$(LD_LIBRARY_PATH=${ldpath} ldd "$f" 2>&1) || continue # static or not dynamic
	if printf '%s\n' "$lout" | grep -q 'not found'; then
		die "${f#"$root"}: $(printf '%s\n' "$lout" | grep 'not found' | head -n1 | sed 's/^[[:space:]]*//')"
	fi
	printf '%s\n' "$lout" | sed -n -e 's/.*=> \(\/[^ ]*\) (0x.*/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' >>"$libs"
done < <(find "$root" -type f -print0)
for lib in $(LC_ALL=C sort -u "$libs"); do
	if [ -n "$destdir" ]; then
		case "$lib" in "$destdir"/*) continue ;; esac
	fi
	[ -e "$root$lib" ] && continue
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
rm -f "$libs"

# ---- kernel modules, guest scripts, /init ---------------------------------------
cp "$kdir"/modules/*.ko "$root/lib/modules/kvmmmu/"
cp "$kdir/modules.order" "$kdir/release" "$root/lib/modules/kvmmmu/"
cp "$here"/guest/* "$root/tests/vm/guest/"
cp "$here"/scenarios/* "$root/tests/vm/scenarios/" 2>/dev/null || true
cp "$here/guest/init.sh" "$root/init"
chmod 755 "$root/init" "$root"/tests/vm/guest/* "$root"/tests/vm/scenarios/* 2>/dev/null || true
[ -z "$scenario" ] || install -m 755 "$scenario" "$root/scenario.sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
# The kernel opens /dev/console before /init; init.sh copes without it too.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
mknod -m 666 "$root/dev/null" c 1 3 2>/dev/null || true

# ---- archive ----------------------------------------------------------------------
tmpout=$out.tmp.$$
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6 >"$tmpout") ||
	{ rm -f "$tmpout"; die "cpio/gzip failed"; }
mv "$tmpout" "$out"
echo "$key" >"$out.key"
echo "mkinitramfs: wrote $out ($(du -k "$out" | cut -f1) KiB, $(cat "$kdir/release"))"
