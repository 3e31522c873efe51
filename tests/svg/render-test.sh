#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# render-test.sh - render the flame graph SVG in headless Chromium.
#
# Runs tests/svg/make-sample-svg (a check program make builds with the
# project's flags, sanitizers included) to write a sample SVG, loads it in headless Chromium and checks the DOM after
# the inline script ran (frames for the root and the phases, escaping,
# search and zoom through the URL hash), then writes PNG screenshots.
# Prints PASS:/FAIL:/SKIP: lines; exit status 1 if anything failed.
#
# Usage: render-test.sh [BUILDDIR [SRCDIR]]   (as tests/run-tests calls it)
# SRCDIR defaults to $srcdir, else two levels above this script.  The
# SVG, DOM dumps and PNGs go to $SVG_OUT_DIR, else BUILDDIR/tests/svg/out,
# else a new temporary directory.  CHROMIUM (browser).

builddir=${1:-}
srcdir=${2:-${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}}
failed=0

pass() { echo "PASS: svg/$1"; }
fail() { echo "FAIL: svg/$1${2:+ ($2)}"; failed=1; }
skip() { echo "SKIP: svg/$1${2:+ ($2)}"; }

find_browser() {
	if [ -n "$CHROMIUM" ]; then
		echo "$CHROMIUM"
		return
	fi
	for b in chromium chromium-browser google-chrome-stable google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then
			command -v "$b"
			return
		fi
	done
}

browser=$(find_browser)
if [ -z "$browser" ]; then
	for t in build dom-frames dom-escaping dom-search dom-zoom screenshot; do
		skip "$t" "chromium not installed"
	done
	exit 0
fi

if [ -z "$SVG_OUT_DIR" ] && [ -n "$builddir" ]; then
	SVG_OUT_DIR="$builddir/tests/svg/out"
fi
out=${SVG_OUT_DIR:-$(mktemp -d /tmp/kvmmmu-svg-XXXXXX)}
mkdir -p "$out" || exit 1
profile_dir=$(mktemp -d /tmp/kvmmmu-chromium-XXXXXX)
trap 'rm -rf "$profile_dir"' EXIT INT TERM

# Run the browser with a fresh profile and nothing that talks to the net.
run_browser() {
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --disable-default-apps \
		--hide-scrollbars --user-data-dir="$profile_dir" "$@" 2>/dev/null
}

# ---- the driver (built by make, as a check program) and the sample ----
driver=${builddir:-.}/tests/svg/make-sample-svg
if [ ! -x "$driver" ] && ! ${MAKE:-make} -C "${builddir:-.}" tests/svg/make-sample-svg \
	>"$out/build.log" 2>&1; then
	fail build "see $out/build.log"
	exit 1
fi
cp "$driver" "$out/make-sample-svg"
if ! "$out/make-sample-svg" "$out/sample.svg" type >/dev/null; then
	fail build "make-sample-svg failed"
	exit 1
fi
pass build
svg="$out/sample.svg"
url="file://$svg"

# ---- DOM after the script ran ----
has() { grep -q -- "$1" "$2"; }

run_browser --dump-dom "$url" >"$out/dom.html"
missing=""
for want in 'data-ready="[1-9]' 'data-name="all"' \
	'data-name="kvm_mmu_page_fault"' 'data-name="normal"' \
	'data-name="fast"' 'data-name="mmio"' \
	'data-phase="faultin"' 'data-phase="map"' 'data-phase="fast"' \
	'data-phase="mmio"' 'data-phase="topup"' \
	'data-name="hva_to_pfn"[^>]*data-inphase="faultin"'; do
	has "$want" "$out/dom.html" || missing="$missing $want"
done
total=$(sed -n 's/.*data-total-ns="\([0-9]*\)".*/\1/p' "$svg" | head -n1)
has "data-name=\"all\" data-phase=\"\" data-inphase=\"\" data-ns=\"$total\"" \
	"$out/dom.html" || missing="$missing all-ns=$total"
if [ -z "$missing" ]; then
	pass dom-frames
else
	fail dom-frames "missing:$missing"
fi

if has 'weird&lt;&amp;&gt;' "$out/dom.html" && \
   ! has 'weird<&>' "$out/dom.html"; then
	pass dom-escaping
else
	fail dom-escaping "escaped name not found in DOM"
fi

# search through the hash: matched line filled in, frames highlighted
run_browser --dump-dom "$url#search=faultin" >"$out/dom-search.html"
if has 'id="matched"[^>]*>Matched "faultin": [0-9.]* % ' \
	"$out/dom-search.html" && has 'fill="rgb(230,0,230)"' \
	"$out/dom-search.html"; then
	pass dom-search
else
	fail dom-search "no match line or highlight after #search=faultin"
fi

# zoom through the hash: frames outside the zoomed one get hidden
run_browser --dump-dom "$url#zoom=mmio" >"$out/dom-zoom.html"
if has 'class="frame hidden"[^>]*data-name="kvm_faultin_pfn"' \
	"$out/dom-zoom.html" && \
   has 'class="frame parent"[^>]*data-name="all"' "$out/dom-zoom.html" && \
   ! has 'class="frame hidden"[^>]*data-name="handle_mmio_page_fault"' \
	"$out/dom-zoom.html"; then
	pass dom-zoom
else
	fail dom-zoom "zoom on mmio did not hide/dim the right frames"
fi

# ---- screenshots ----
height=$(sed -n 's/.*<svg [^>]*height="\([0-9]*\)".*/\1/p' "$svg" | head -n1)
height=${height:-600}
run_browser --screenshot="$out/sample.png" --window-size=1200,"$height" \
	"$url" >/dev/null
run_browser --screenshot="$out/sample-search.png" \
	--window-size=1200,"$height" "$url#search=faultin" >/dev/null
run_browser --screenshot="$out/sample-zoom.png" \
	--window-size=1200,"$height" "$url#zoom=normal" >/dev/null
if [ -s "$out/sample.png" ] && \
   [ "$(head -c 8 "$out/sample.png" | od -An -tx1 | tr -d ' \n')" = \
     "89504e470d0a1a0a" ]; then
	pass screenshot
	echo "# screenshots in $out (sample.png, sample-search.png, sample-zoom.png)"
else
	fail screenshot "no PNG written"
fi
exit $failed
