#!/bin/bash
# fetch-kernel.sh VERSION [CACHE_DIR]
#
# Fetch a Debian kernel for the VM test bed and leave, in CACHE_DIR/VERSION/:
#   vmlinuz          the kernel image
#   modules/*.ko     kvm_amd and what it needs, decompressed (plain .ko)
#   modules.order    the .ko files in load order (dependencies first)
#   release          the kernel release (uname -r), e.g. 6.1.0-56-amd64
#   package          "PKG VERSION" of the Debian package used
#   config           the kernel's build config (when the packages ship it)
#
# VERSION: 6.1  -> meta package linux-image-amd64 (Debian 12)
#          6.12 -> meta package linux-image-6.12-amd64
#          X.Y (6.18, 7.3, ...) or X (7) -> the newest linux-image-X.Y.Z+debN-amd64
#                of trixie-backports (X: the newest X.*); when it is split,
#                its linux-binary-* (vmlinuz) and linux-modules-* packages
# Backports come from a private apt configuration kept in CACHE_DIR/apt
# (sources list, lists, cache): the system's apt lists are never touched.
# Its mirror is the first Debian mirror the system's sources name, or
# $KVMMMU_DEBIAN_MIRROR; the suite is $KVMMMU_BACKPORTS (trixie-backports).
# Merged /usr is handled: vmlinuz and modules under usr/lib/modules/VER/.
# CACHE_DIR: default $KVMMMU_VM_CACHE or <repo>/tests/vm/cache.
# The .debs are kept in CACHE_DIR/debs; nothing is downloaded if they are there.
# Needs: apt (apt-cache, apt-get), dpkg-deb, xz.
set -eu

die() { echo "fetch-kernel: error: $*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
version=${1:-}
cache=${2:-${KVMMMU_VM_CACHE:-$here/cache}}

private=''
case "$version" in
6.1)  meta=linux-image-amd64 ;;
6.12) meta=linux-image-6.12-amd64 ;;
[6-9].[0-9]|[6-9].[0-9][0-9]|[7-9]) meta='' private=1 ;;
*) die "usage: $0 6.1|6.12|6.18|7|7.N [CACHE_DIR] (got '${version}')" ;;
esac

for t in apt-cache apt-get dpkg-deb xz; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found (install apt/dpkg/xz-utils)"
done

mkdir -p "$cache" || die "cannot create cache dir '$cache'"
cache=$(cd "$cache" && pwd)
out=$cache/$version

# --- apt: the system's, or the private backports configuration ------------
papt=$cache/apt
apt_opts=()
if [ -n "$private" ]; then
	apt_opts=(-o "Dir::Etc::sourcelist=$papt/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$papt/lists" -o "Dir::Cache=$papt/cache"
		-o Dir::State::status=/dev/null -o APT::Architecture=amd64)
fi
acache() { apt-cache "${apt_opts[@]}" "$@"; }
aget() { apt-get "${apt_opts[@]}" "$@"; }

# mirror: the first Debian archive URI of the system's sources
mirror() {
	local m
	m=${KVMMMU_DEBIAN_MIRROR:-}
	[ -n "$m" ] || m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -oE '(https?|file)://[^ ]*/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ')
	echo "${m:-http://deb.debian.org/debian}"
}

# private_update: (re)write the private sources list and update its lists
private_update() {
	local kr=/usr/share/keyrings/debian-archive-keyring.gpg so=''
	mkdir -p "$papt/lists/partial" "$papt/cache/archives/partial"
	[ -f "$kr" ] && so="[signed-by=$kr] "
	echo "deb ${so}$(mirror) ${KVMMMU_BACKPORTS:-trixie-backports} main" >"$papt/sources.list"
	echo "fetch-kernel: $version: apt-get update of the private list ($(cat "$papt/sources.list"))" >&2
	aget -q update >"$papt/update.log" 2>&1 ||
		{ why="private apt-get update failed: $(tail -n1 "$papt/update.log")"; return 1; }
}

# --- resolve the version -> packages ---------------------------------------
# Sets pkg, pver (the image package, recorded in CACHE/VERSION/package) and
# pkgs (what to download), or returns 1 with a reason in $why.
# resolve_meta: follow "Depends: linux-image-..." while the package is a
# meta package (its description says so, or it depends on another
# linux-image package).
resolve_meta() {
	local info dep
	pkg=$meta pver=''
	for _ in 1 2 3 4 5; do
		info=$(acache show --no-all-versions "$pkg" 2>/dev/null) || info=''
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
		pkgs=("$pkg=$pver")
		return 0
	done
	why="too many meta packages from '$meta'"
	return 1
}

# resolve_newest: the newest linux-image-VERSION.N+debM-amd64 (VERSION may
# be a major number alone), then its split packages if it has them.
resolve_newest() {
	local re info bin mods
	re="^linux-image-${version//./\\.}\\.[0-9.]*[0-9]\\+deb[0-9]+-amd64\$"
	[[ "$version" == *.* ]] || re="^linux-image-${version}\\.[0-9.]*[0-9]\\+deb[0-9]+-amd64\$"
	pkg='' pver='' pkgs=()
	for cand in $(acache pkgnames linux-image- 2>/dev/null | grep -E "$re" | sort -rV); do
		info=$(acache show --no-all-versions "$cand" 2>/dev/null) || continue
		pver=$(printf '%s\n' "$info" | sed -n 's/^Version: //p' | head -n1)
		[ -n "$pver" ] || continue
		pkg=$cand
		break
	done
	[ -n "$pkg" ] || { why="no linux-image-${version}.*-amd64 package in the private lists"; return 1; }
	bin=$(printf '%s\n' "$info" | sed -n 's/^Depends: //p' | tr ',' '\n' |
		sed -n 's/^ *\(linux-binary-[^ |(]*\).*/\1/p' | head -n1)
	mods=$(printf '%s\n' "$info" | sed -n 's/^Depends: //p' | tr ',' '\n' |
		sed -n 's/^ *\(linux-modules-[^ |(]*\).*/\1/p' | head -n1)
	if [ -n "$bin" ] && [ -n "$mods" ]; then
		pkgs=("$bin=$pver" "$mods=$pver")
	else
		pkgs=("$pkg=$pver")
	fi
}

resolve() {
	if [ -n "$private" ]; then
		[ -f "$papt/sources.list" ] && [ -n "$(ls "$papt/lists" 2>/dev/null | grep Packages)" ] ||
			private_update || return 1
		resolve_newest
	else
		resolve_meta
	fi
}

# download: the .debs of $pkgs into $cache/debs (kept), paths in debs[]
download() {
	local p n v d
	mkdir -p "$cache/debs"
	debs=()
	for p in "${pkgs[@]}"; do
		n=${p%%=*} v=${p#*=}
		d=$(ls "$cache/debs/${n}_${v/:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
		if [ -z "$d" ]; then
			echo "fetch-kernel: $version: downloading $n $v" >&2
			if ! (cd "$cache/debs" && aget download -q "$p") >"$cache/debs/.download.log" 2>&1; then
				why="apt-get download $p failed: $(grep -v '^ *$' "$cache/debs/.download.log" | tail -n1)"
				return 1
			fi
			d=$(ls "$cache/debs/${n}_${v/:/%3a}_"*.deb "$cache/debs/${n}_"*.deb 2>/dev/null | head -n1 || true)
			[ -n "$d" ] || { why="apt-get download $n left no .deb in $cache/debs"; return 1; }
		fi
		debs+=("$d")
	done
}

use_cache() {
	if [ -f "$out/.complete" ] && [ "$(cat "$out/package" 2>/dev/null)" = "$pkg $pver" ]; then
		echo "fetch-kernel: $version: $pkg $pver (cached in $out)"
		exit 0
	fi
}

why='' debs=()
if resolve; then
	use_cache
	download || debs=()
fi
if [ -z "$pver" ] || [ ${#debs[@]} = 0 ]; then
	# Stale or missing apt lists (the mirror replaced the kernel, or no
	# apt-get update yet): update once (as root for the system's lists),
	# then try again.
	if [ -n "$private" ] && [ -z "${KVMMMU_NO_APT_UPDATE:-}" ]; then
		echo "fetch-kernel: $version: $why" >&2
		if private_update && resolve; then
			use_cache
			download || die "$why"
		fi
	elif [ "$(id -u)" = 0 ] && [ -z "${KVMMMU_NO_APT_UPDATE:-}" ]; then
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
[ ${#debs[@]} -gt 0 ] || die "$why"

# --- extract --------------------------------------------------------------
tmp=$(mktemp -d "$cache/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for deb in "${debs[@]}"; do
	dpkg-deb -x "$deb" "$tmp/root" || die "dpkg-deb -x $deb failed"
done

# boot/vmlinuz-VER, or (merged /usr, split packages) usr/lib/modules/VER/vmlinuz
vmlinuz=$(ls "$tmp"/root/boot/vmlinuz-* 2>/dev/null | head -n1 || true)
if [ -n "$vmlinuz" ]; then
	release=${vmlinuz##*/vmlinuz-}
else
	vmlinuz=$(ls "$tmp"/root/usr/lib/modules/*/vmlinuz "$tmp"/root/lib/modules/*/vmlinuz 2>/dev/null | head -n1 || true)
	[ -n "$vmlinuz" ] || die "no boot/vmlinuz-* nor usr/lib/modules/*/vmlinuz in ${debs[*]}"
	release=$(basename "$(dirname "$vmlinuz")")
fi
moddir=$tmp/root/lib/modules/$release
[ -d "$moddir/kernel" ] || moddir=$tmp/root/usr/lib/modules/$release
[ -d "$moddir/kernel" ] || die "no lib/modules/$release/kernel in ${debs[*]}"

rm -rf "$out.new"
mkdir -p "$out.new/modules"
cp "$vmlinuz" "$out.new/vmlinuz"
cp "$tmp/root/boot/config-$release" "$out.new/config" 2>/dev/null ||
	cp "$moddir/config" "$out.new/config" 2>/dev/null || true
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
