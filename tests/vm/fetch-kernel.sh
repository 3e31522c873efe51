#!/bin/bash
# fetch-kernel.sh VERSION [CACHE_DIR]
#
# Fetch a Debian kernel for the VM test bed and leave, in CACHE_DIR/VERSION/:
#   vmlinuz          the kernel image
#   modules/*.ko     kvm_amd and what it needs, decompressed (plain .ko)
#   modules.order    the .ko files in load order (dependencies first)
#   release          the kernel release (uname -r), e.g. 6.1.0-56-amd64
#   package          "PKG VERSION" of the Debian package used
#   config           the kernel's build config
#
# VERSION: 6.1  -> meta package linux-image-amd64 (Debian 12)
#          6.12 -> meta package linux-image-6.12-amd64
# CACHE_DIR: default $KVMMMU_VM_CACHE or <repo>/tests/vm/cache.
# The .deb is kept in CACHE_DIR/debs; nothing is downloaded if it is there.
# Needs: apt (apt-cache, apt-get), dpkg-deb, xz.
set -eu

die() { echo "fetch-kernel: error: $*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
version=${1:-}
cache=${2:-${KVMMMU_VM_CACHE:-$here/cache}}

case "$version" in
6.1)  meta=linux-image-amd64 ;;
6.12) meta=linux-image-6.12-amd64 ;;
*) die "usage: $0 6.1|6.12 [CACHE_DIR] (got '${version}')" ;;
esac

for t in apt-cache apt-get dpkg-deb xz; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found (install apt/dpkg/xz-utils)"
done

mkdir -p "$cache" || die "cannot create cache dir '$cache'"
cache=$(cd "$cache" && pwd)
out=$cache/$version

# --- resolve meta package -> real image package --------------------------
# Follow "Depends: linux-image-..." while the package is a meta package
# (its description says so, or it depends on another linux-image package).
# resolve: sets pkg and pver, or returns 1 with a reason in $why
resolve() {
	local info dep
	pkg=$meta pver=''
	for _ in 1 2 3 4 5; do
		info=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null) || info=''
		[ -n "$info" ] || { why="apt-cache knows no package '$pkg'"; return 1; }
		dep=$(printf '%s\n' "$info" | sed -n 's/^Depends: //p' | tr ',' '\n' |
			sed -n 's/^ *\(linux-image-[^ |(]*\).*/\1/p' | head -n1)
		if printf '%s\n' "$info" | grep -q '^Description:.*meta-package' || [ -n "$dep" ]; then
			[ -n "$dep" ] || { why="meta package '$pkg' depends on no linux-image package"; return 1; }
			pkg=$dep
			continue
		fi
		pver=$(printf '%s\n' "$info" | sed -n 's/^Version: //p' | head -n1)
		[ -n "$pver" ] || { why="no version for '$pkg'"; return 1; }
		return 0
	done
	why="too many meta packages from '$meta'"
	return 1
}

# download: the .deb of $pkg $pver into $cache/debs (kept), path in $deb
download() {
	mkdir -p "$cache/debs"
	deb=$(ls "$cache/debs/${pkg}_${pver/:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
	[ -z "$deb" ] || return 0
	echo "fetch-kernel: $version: downloading $pkg $pver" >&2
	if ! (cd "$cache/debs" && apt-get download -q "$pkg=$pver") >"$cache/debs/.download.log" 2>&1; then
		why="apt-get download $pkg=$pver failed: $(grep -v '^ *$' "$cache/debs/.download.log" | tail -n1)"
		return 1
	fi
	deb=$(ls "$cache/debs/${pkg}_${pver/:/%3a}_"*.deb "$cache/debs/${pkg}_"*.deb 2>/dev/null | head -n1 || true)
	[ -n "$deb" ] || { why="apt-get download $pkg left no .deb in $cache/debs"; return 1; }
}

use_cache() {
	if [ -f "$out/.complete" ] && [ "$(cat "$out/package" 2>/dev/null)" = "$pkg $pver" ]; then
		echo "fetch-kernel: $version: $pkg $pver (cached in $out)"
		exit 0
	fi
}

why=''
if resolve; then
	use_cache
	download || true
fi
if [ -z "$pver" ] || [ -z "${deb:-}" ]; then
	# Stale or missing apt lists (the mirror replaced the kernel, or no
	# apt-get update yet): update once as root, then try again.
	if [ "$(id -u)" = 0 ] && [ -z "${KVMMMU_NO_APT_UPDATE:-}" ]; then
		echo "fetch-kernel: $version: $why; running apt-get update" >&2
		apt-get update -qq >/dev/null 2>&1 || echo "fetch-kernel: warning: apt-get update failed" >&2
		if resolve; then
			use_cache
			download || die "$why"
		fi
	fi
fi
if [ -z "$pver" ]; then
	# Offline with no lists: a complete cache is used as it is.
	if [ -f "$out/.complete" ]; then
		echo "fetch-kernel: $version: warning: $why; using cached $(cat "$out/package")" >&2
		echo "fetch-kernel: $version: $(cat "$out/package") (cached in $out)"
		exit 0
	fi
	die "$why (run apt-get update?)"
fi
[ -n "${deb:-}" ] || die "$why"

# --- extract --------------------------------------------------------------
tmp=$(mktemp -d "$cache/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root" || die "dpkg-deb -x $deb failed"

vmlinuz=$(ls "$tmp"/root/boot/vmlinuz-* 2>/dev/null | head -n1 || true)
[ -n "$vmlinuz" ] || die "no boot/vmlinuz-* in $deb"
release=${vmlinuz##*/vmlinuz-}
moddir=$tmp/root/lib/modules/$release
[ -d "$moddir" ] || moddir=$tmp/root/usr/lib/modules/$release
[ -d "$moddir" ] || die "no lib/modules/$release in $deb"

rm -rf "$out.new"
mkdir -p "$out.new/modules"
cp "$vmlinuz" "$out.new/vmlinuz"
cp "$tmp/root/boot/config-$release" "$out.new/config" 2>/dev/null || true
echo "$release" >"$out.new/release"

# find a module by name (kvm_amd == kvm-amd) anywhere under kernel/
find_mod() {
	local n1 n2
	n1=$(printf '%s' "$1" | tr '-' '_')
	n2=$(printf '%s' "$1" | tr '_' '-')
	find "$moddir/kernel" \( -name "$n1.ko" -o -name "$n1.ko.xz" -o -name "$n1.ko.zst" -o -name "$n1.ko.gz" \
		-o -name "$n2.ko" -o -name "$n2.ko.xz" -o -name "$n2.ko.zst" -o -name "$n2.ko.gz" \) | head -n1
}

# decompress one module into modules/, echo its basename
get_mod() {
	local src=$1 base
	base=$(basename "$src"); base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
	case "$src" in
	*.xz)  xz -dc "$src" >"$out.new/modules/$base" ;;
	*.zst) zstd -qdc "$src" >"$out.new/modules/$base" ;;
	*.gz)  gzip -dc "$src" >"$out.new/modules/$base" ;;
	*)     cp "$src" "$out.new/modules/$base" ;;
	esac || die "cannot decompress $src"
	echo "$base"
}

mod_depends() { # from the .modinfo strings, no kmod needed
	tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n1 | tr ',' ' '
}

# depth-first: deps first, each once
declare -A seen=()
order=()
visit() {
	local name src base dep
	name=$(printf '%s' "$1" | tr '-' '_')
	[ -z "${seen[$name]:-}" ] || return 0
	seen[$name]=1
	src=$(find_mod "$name")
	[ -n "$src" ] || die "module '$1' not found in $pkg ($release)"
	base=$(get_mod "$src")
	for dep in $(mod_depends "$out.new/modules/$base"); do
		visit "$dep"
	done
	order+=("$base")
}
for m in irqbypass ccp kvm kvm-amd; do
	visit "$m"
done
printf '%s\n' "${order[@]}" >"$out.new/modules.order"
echo "$pkg $pver" >"$out.new/package"
touch "$out.new/.complete"

rm -rf "$out"
mv "$out.new" "$out"
echo "fetch-kernel: $version: $pkg $pver -> $out ($release; modules: ${order[*]})"
