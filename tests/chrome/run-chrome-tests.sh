#!/bin/bash
# --chrome-trace: the Trace Event Format file of a replay validates (JSON,
# fields, time order per track, phases nested inside their fault), holds
# one slice per fault, splits into complete files, and loads in
# speedscope (npm package) in headless Chromium with one track per vCPU
# and the frames the file describes.
#
#   tests/chrome/run-chrome-tests.sh BUILDDIR SRCDIR
#
# speedscope and playwright-core come from the npm registry into
# $KVMMMU_NPM_CACHE (default tests/chrome/node_modules); the browser test
# SKIPs with the reason when npm or Chromium is missing.
set -u
builddir=${1:-.}
srcdir=${2:-.}
G=$builddir/kvmmmu-graph
here=$srcdir/tests/chrome
export KVMMMU_GRAPH_PROFILE_DIR=$srcdir/profiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS: chrome/$1"; }
fail() { echo "FAIL: chrome/$1${2:+ ($2)}"; }
skip() { echo "SKIP: chrome/$1 ($2)"; }

# field of the JSON summary object (last line of --json --summary-only)
summary_field() {
	python3 -c 'import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])[sys.argv[1]])' "$1"
}
# field of validate.py's output
field() {
	python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" <"$2"
}

for rec in 6.12-global 6.1-global 6.12-events-only; do
	tarball=$srcdir/tests/data/$rec.tar.xz
	[ -f "$tarball" ] || { skip "trace_$rec" "no $tarball"; continue; }
	tar -xJf "$tarball" -C "$tmp"
	if ! "$G" --input "$tmp/$rec" --json --summary-only \
		--chrome-trace "$tmp/$rec.json" >"$tmp/$rec.sum" 2>"$tmp/$rec.err"; then
		fail "trace_$rec" "$(head -c 300 "$tmp/$rec.err")"
		continue
	fi
	if ! python3 "$here/validate.py" "$tmp/$rec.json" >"$tmp/$rec.val"; then
		fail "trace_$rec" "$(cat "$tmp/$rec.val")"
		continue
	fi
	want=$(summary_field faults <"$tmp/$rec.sum")
	inc=$(summary_field incomplete <"$tmp/$rec.sum")
	got=$(field faults "$tmp/$rec.val")
	gotinc=$(field incomplete "$tmp/$rec.val")
	if [ "$((got + gotinc))" = "$want" ] && [ "$gotinc" = "$inc" ] && [ "$want" -gt 0 ]; then
		pass "trace_$rec"
	else
		fail "trace_$rec" "slices $got+$gotinc incomplete, summary $want ($inc incomplete)"
	fi
	echo "    $rec: $(cat "$tmp/$rec.val")" >&2
done

# the validator can fail: a phase moved outside its fault
rec=6.12-global
if [ -f "$tmp/$rec.json" ]; then
	python3 - "$tmp/$rec.json" "$tmp/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ph = [e for e in d["traceEvents"] if e.get("cat") == "phase"]
ph[0]["ts"] += 1e6
json.dump(d, open(sys.argv[2], "w"))
PY
	if python3 "$here/validate.py" "$tmp/bad.json" >/dev/null; then
		fail validator_rejects_bad_nesting "a phase outside its fault passed"
	else
		pass validator_rejects_bad_nesting
	fi
fi

# split into parts: each is complete JSON, together they hold every fault
if [ -f "$tmp/$rec.json" ]; then
	"$G" --input "$tmp/$rec" --summary-only --chrome-trace "$tmp/part.json" \
		--chrome-trace-max-mb 0.005 >/dev/null 2>"$tmp/split.err"
	parts=$(ls "$tmp"/part.json "$tmp"/part.*.json 2>/dev/null | sort -V)
	n=$(echo "$parts" | wc -l)
	# shellcheck disable=SC2086
	if python3 "$here/validate.py" $parts >"$tmp/split.val" &&
		[ "$n" -gt 1 ] &&
		[ "$(field faults "$tmp/split.val")" = "$(field faults "$tmp/$rec.val")" ]; then
		pass split_into_complete_files
	else
		fail split_into_complete_files "$n parts: $(cat "$tmp/split.val" "$tmp/split.err" | head -c 300)"
	fi
fi

expect_err() {
	local name=$1 re=$2
	shift 2
	if "$@" >/dev/null 2>"$tmp/err"; then
		fail "$name" "exit 0"
	elif [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qE "$re" "$tmp/err"; then
		pass "$name"
	else
		fail "$name" "$(head -c 300 "$tmp/err")"
	fi
}
expect_err unwritable_path_fails_first "nonexistent-dir/t.json" \
	"$G" --input "$tmp/$rec" --chrome-trace "$tmp/nonexistent-dir/t.json"
expect_err bad_max_mb "chrome-trace-max-mb" \
	"$G" --input "$tmp/$rec" --chrome-trace "$tmp/x.json" --chrome-trace-max-mb 0

# ---- speedscope in headless Chromium ----
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
npm_dir=${KVMMMU_NPM_CACHE:-$here/node_modules}
if [ -z "$browser" ]; then
	skip speedscope_loads_it "no chromium"
	exit 0
fi
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
	skip speedscope_loads_it "no node/npm"
	exit 0
fi
if [ ! -d "$npm_dir/speedscope/dist/release" ] || [ ! -d "$npm_dir/playwright-core" ]; then
	mkdir -p "$npm_dir/.." &&
	(cd "$npm_dir/.." && timeout 300 npm install --no-audit --no-fund --no-save \
		--prefix . speedscope@1.25.0 playwright-core@1 >"$tmp/npm.log" 2>&1)
fi
if [ ! -d "$npm_dir/speedscope/dist/release" ] || [ ! -d "$npm_dir/playwright-core" ]; then
	skip speedscope_loads_it "npm install failed: $(tail -1 "$tmp/npm.log" 2>/dev/null)"
	exit 0
fi
shot=${KVMMMU_CHROME_SHOT:-$tmp/speedscope.png}
if ! CHROMIUM=$browser NODE_PATH=$npm_dir timeout 180 node "$here/speedscope-load.js" \
	"$npm_dir/speedscope/dist/release" "$tmp/$rec.json" "$shot" >"$tmp/ss.json" 2>"$tmp/ss.err"; then
	fail speedscope_loads_it "$(head -c 300 "$tmp/ss.json" "$tmp/ss.err")"
	exit 0
fi
python3 "$here/expected-frames.py" "$tmp/$rec.json" >"$tmp/want.json"
if python3 - "$tmp/ss.json" "$tmp/want.json" "$(field tracks "$tmp/$rec.val")" <<'PY'
import json, re, sys
got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
ok = got["tracks"] == int(sys.argv[3]) == len(want)
for t in got["per_track"]:
    tid = re.search(r"\(tid (\d+)\)", t["name"]).group(1)
    ok &= [t["frames"], t["fault_frames"]] == want.get(tid)
print(json.dumps({"speedscope": got, "file": want}), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
then
	pass speedscope_loads_it
else
	fail speedscope_loads_it "$(head -c 400 "$tmp/ss.json")"
fi
