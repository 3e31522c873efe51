#!/bin/bash
# kvmmmu-graph diff A B: identical runs change nothing, a recording and its
# trace.dat and its --json output compare equal, a run with far fewer
# first-touch faults and slower dirty-log faults is reported as changed,
# and bad inputs fail in one line.
#
#   tests/cli/run-diff-tests.sh BUILDDIR SRCDIR
set -u
builddir=${1:-.}
srcdir=${2:-.}
G=$builddir/kvmmmu-graph
export KVMMMU_GRAPH_PROFILE_DIR=$srcdir/profiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS: diff/$1"; }
fail() { echo "FAIL: diff/$1${2:+ ($2)}"; }

significant() { python3 -c 'import json,sys; print(json.load(sys.stdin)["significant"])'; }

rec=6.12-global
tar -xJf "$srcdir/tests/data/$rec.tar.xz" -C "$tmp"
"$G" --input "$tmp/$rec" --json >"$tmp/run.jsonl" 2>/dev/null
"$G" --input "$tmp/$rec" --record "$tmp/run.dat" --summary-only >/dev/null 2>&1

for b in "$tmp/$rec" "$tmp/run.dat" "$tmp/run.jsonl"; do
	name=same_run_$(basename "$b" | tr . _)
	if n=$("$G" --json diff "$tmp/$rec" "$b" 2>"$tmp/err" | significant) && [ "$n" = 0 ]; then
		pass "$name"
	else
		fail "$name" "significant: ${n:-?} $(head -c 200 "$tmp/err")"
	fi
done

# Synthetic runs as --json output: A has 4096 first-touch faults of
# 8-12 us and 512 dirty-log faults of 1-1.5 us; B has 8 first-touch
# faults and dirty-log faults three times slower; C is A again with
# other random times from the same distributions.
python3 - "$tmp" <<'PY'
import json, random, sys
def run(path, seed, first, dirty_scale):
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for i in range(first):
            d = rnd.randint(8000, 12000)
            f.write(json.dumps({"kind": "normal", "cause": "first-touch",
                                "delay_ns": d, "complete": True,
                                "phases": {"faultin": d // 2, "map": d // 4}},
                               separators=(",", ":")) + "\n")
        for i in range(512):
            d = int(rnd.randint(1000, 1500) * dirty_scale)
            f.write(json.dumps({"kind": "fast", "cause": "dirty-log",
                                "delay_ns": d, "complete": True,
                                "phases": {"fast_path": d}},
                               separators=(",", ":")) + "\n")
        f.write('{"type":"summary","faults":%d}\n' % (first + 512))
run(sys.argv[1] + "/a.jsonl", 1, 4096, 1)
run(sys.argv[1] + "/b.jsonl", 2, 8, 3)
run(sys.argv[1] + "/c.jsonl", 3, 4096, 1)
PY
"$G" --json diff "$tmp/a.jsonl" "$tmp/b.jsonl" >"$tmp/ab.json" 2>"$tmp/err"
if python3 - "$tmp/ab.json" <<'PY'
import json, sys
d = {g["group"]: g for g in json.load(open(sys.argv[1]))["groups"]}
ft, dl = d["cause:first-touch"], d["cause:dirty-log"]
ok = ft["count_significant"] and ft["a"]["faults"] == 4096 and ft["b"]["faults"] == 8
ok &= dl["time_significant"] and not dl["count_significant"] and dl["p50_change"] > 1.5
sys.exit(0 if ok else 1)
PY
then
	pass fewer_first_touch_and_slower_dirty_log
else
	fail fewer_first_touch_and_slower_dirty_log "$(head -c 300 "$tmp/ab.json" "$tmp/err")"
fi
if n=$("$G" --json diff "$tmp/a.jsonl" "$tmp/c.jsonl" | significant) && [ "$n" = 0 ]; then
	pass noise_is_no_change
else
	fail noise_is_no_change "significant: ${n:-?}"
fi
if "$G" diff "$tmp/a.jsonl" "$tmp/b.jsonl" | grep -qE '^cause:first-touch +4096 +8 .*CHANGED \(count\)'; then
	pass text_table
else
	fail text_table "$("$G" diff "$tmp/a.jsonl" "$tmp/b.jsonl" 2>&1 | head -c 300)"
fi

expect() { # NAME STATUS REGEX CMD...
	local name=$1 want=$2 re=$3 rc
	shift 3
	"$@" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$want" ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -qE "$re" "$tmp/err"; then
		pass "$name"
	else
		fail "$name" "exit $rc: $(head -c 300 "$tmp/err")"
	fi
}
printf '{"kind":"normal"}\n' >"$tmp/bad.jsonl"
expect missing_run 1 'nosuch' "$G" diff "$tmp/nosuch" "$tmp/a.jsonl"
expect malformed_json 1 'bad.jsonl:1: not a kvmmmu-graph --json fault object' "$G" diff "$tmp/bad.jsonl" "$tmp/a.jsonl"
expect one_run 2 'diff needs two runs' "$G" diff "$tmp/a.jsonl"
expect diff_with_vm 2 'do not go with it' "$G" --vm 1 diff "$tmp/a.jsonl" "$tmp/b.jsonl"
expect svg_needs_trees 1 'svg needs call trees' "$G" --svg "$tmp/x.svg" diff "$tmp/a.jsonl" "$tmp/b.jsonl"

# --svg: B's flame graph coloured by its change from A; a run compared
# with itself is white everywhere, another kernel's run is not.
fills() { # SVG: colours of the frames (not the legend, not grey groups)
	python3 - "$1" <<'PY'
import re, sys, xml.dom.minidom
svg = open(sys.argv[1]).read()
xml.dom.minidom.parseString(svg)  # well-formed
frames = re.findall(r'<g class="frame" [^>]*>.*?fill="(rgb\([0-9,]+\))"', svg, re.S)
print(" ".join(sorted(set(f for f in frames if f != "rgb(200,200,200)"))))
PY
}
tar -xJf "$srcdir/tests/data/6.1-global.tar.xz" -C "$tmp"
if "$G" --svg "$tmp/same.svg" diff "$tmp/$rec" "$tmp/run.dat" >/dev/null 2>"$tmp/err" &&
	[ "$(fills "$tmp/same.svg")" = "rgb(255,255,255)" ]; then
	pass svg_same_run_is_white
else
	fail svg_same_run_is_white "$(fills "$tmp/same.svg" 2>&1 | head -c 200) $(head -c 200 "$tmp/err")"
fi
if "$G" --svg "$tmp/other.svg" diff "$tmp/6.1-global" "$tmp/$rec" >/dev/null 2>"$tmp/err" &&
	fills "$tmp/other.svg" | grep -qE 'rgb\(255,[0-9]+,[0-9]+\)' &&
	[ "$(fills "$tmp/other.svg")" != "rgb(255,255,255)" ]; then
	pass svg_other_kernel_is_coloured
else
	fail svg_other_kernel_is_coloured "$(head -c 200 "$tmp/err")"
fi
