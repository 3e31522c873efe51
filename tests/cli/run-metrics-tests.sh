#!/bin/bash
# --metrics and --metrics-file: the exposition passes promtool, its fault
# count equals the replay's summary, a real Prometheus on 127.0.0.1
# scrapes the same count, addresses are checked at parse time and a busy
# port fails before anything runs. Loopback only.
#
#   tests/cli/run-metrics-tests.sh BUILDDIR SRCDIR
set -u
builddir=${1:-.}
srcdir=${2:-.}
G=$builddir/kvmmmu-graph
export KVMMMU_GRAPH_PROFILE_DIR=$srcdir/profiles
tmp=$(mktemp -d)
prom_pid=
cleanup() {
	[ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

pass() { echo "PASS: cli/$1"; }
fail() { echo "FAIL: cli/$1${2:+ ($2)}"; }
skip() { echo "SKIP: cli/$1 ($2)"; }
note() { echo "    $*" >&2; }

# free_ports N: N loopback TCP ports nobody listens on right now
free_ports() {
	python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    socks.append(s)
print(' '.join(str(s.getsockname()[1]) for s in socks))
PY
}

# summary_faults FILE: N of "Summary: N faults"
summary_faults() {
	sed -n 's/^Summary: \([0-9]*\) faults.*/\1/p' "$1" | head -1
}

# metric_sum NAME FILE: the sum of NAME's samples in an exposition
metric_sum() {
	awk -v n="$1" '$1 == n || index($1, n "{") == 1 { s += $NF }
		END { printf "%d\n", s }' "$2"
}

have_promtool=0
command -v promtool >/dev/null && have_promtool=1

# ---- --metrics-file on every shipped recording ----
for tarball in "$srcdir"/tests/data/*.tar.xz; do
	[ -f "$tarball" ] || continue
	n=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$tmp"
	f=$tmp/$n.prom
	if ! "$G" --input "$tmp/$n" --summary-only --metrics-file "$f" \
		>"$tmp/$n.out" 2>"$tmp/$n.err"; then
		fail "metrics_file_$n" "$(head -c 300 "$tmp/$n.err")"
		continue
	fi
	want=$(summary_faults "$tmp/$n.out")
	got=$(metric_sum kvmmmu_faults_total "$f")
	seen=$(metric_sum kvmmmu_faults_seen_total "$f")
	if [ -z "$want" ] || [ "$got" != "$want" ] || [ "$seen" != "$want" ]; then
		fail "metrics_file_$n" "kvmmmu_faults_total $got, seen $seen, summary '$want'"
	elif ! grep -q '^kvmmmu_run_finished 1$' "$f"; then
		fail "metrics_file_$n" "kvmmmu_run_finished is not 1"
	elif ls "$f".*.tmp >/dev/null 2>&1; then
		fail "metrics_file_$n" "temporary file left behind"
	else
		pass "metrics_file_$n"
		note "$n: kvmmmu_faults_total $got, summary $want"
	fi
	if [ "$have_promtool" = 0 ]; then
		skip "promtool_$n" "promtool not installed (Debian package prometheus)"
	elif promtool check metrics <"$f" >"$tmp/promtool.out" 2>&1; then
		pass "promtool_$n"
	else
		fail "promtool_$n" "$(tr '\n' ' ' <"$tmp/promtool.out" | head -c 300)"
	fi
done

# ---- addresses, at parse time; a busy port, before anything runs ----
fx=$tmp/6.12-instance
for bad in localhost:9100 127.0.0.1 127.0.0.1:0 ::1:9100; do
	"$G" --input "$fx" --metrics "$bad" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	   grep -q "invalid value '$bad' for --metrics" "$tmp/err"; then
		pass "metrics_bad_address_$bad"
	else
		fail "metrics_bad_address_$bad" "exit $rc: $(head -c 200 "$tmp/err")"
	fi
done
read -r port1 port2 port3 <<<"$(free_ports 3)"
"$G" --input "$fx" --summary-only --metrics "127.0.0.1:$port1" \
	--metrics-hold 20 >"$tmp/hold.out" 2>&1 &
holder=$!
n=0
while [ "$n" -lt 100 ] && ! grep -q '^Summary' "$tmp/hold.out"; do
	sleep 0.1; n=$((n + 1))
done
"$G" --input "$fx" --summary-only --metrics "127.0.0.1:$port1" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
   grep -q "Address already in use" "$tmp/err" && [ ! -s "$tmp/out" ]; then
	pass metrics_port_in_use
else
	fail metrics_port_in_use "exit $rc: $(head -c 200 "$tmp/err")"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port1/nope")
if [ "$code" = 404 ]; then pass metrics_http_404
else fail metrics_http_404 "HTTP status $code"; fi
if curl -s "http://127.0.0.1:$port1/metrics" >"$tmp/live.prom" &&
   [ "$(metric_sum kvmmmu_faults_total "$tmp/live.prom")" = "$(summary_faults "$tmp/hold.out")" ]; then
	pass metrics_http_during_hold
else
	fail metrics_http_during_hold "$(head -c 200 "$tmp/live.prom")"
fi
# a signal ends the hold; the process is gone well before the 20 s
kill "$holder"
wait "$holder" 2>/dev/null

# ---- a live trace on this host, when it can trace ----
if [ "$(id -u)" -ne 0 ] || [ ! -e /dev/kvm ] || [ ! -d /sys/kernel/tracing/events/kvm ]; then
	skip metrics_live "needs root, /dev/kvm and kvm tracepoints"
else
	"$G" --summary-only --metrics-file "$tmp/live.prom" -- \
		"$builddir/kvmmmu-faultgen" --pages 16 --pages2 4 --mmio 2 \
		--json /dev/null >"$tmp/live.out" 2>"$tmp/live.err"
	rc=$?
	want=$(summary_faults "$tmp/live.out")
	got=$(metric_sum kvmmmu_faults_total "$tmp/live.prom")
	note "live: kvmmmu_faults_total $got, summary $want"
	if [ "$rc" -ne 0 ]; then
		fail metrics_live "exit $rc: $(head -c 300 "$tmp/live.err")"
	elif [ -z "$want" ] || [ "$got" != "$want" ] ||
	     ! grep -q '^kvmmmu_run_finished 1$' "$tmp/live.prom"; then
		fail metrics_live "kvmmmu_faults_total $got, summary '$want'"
	elif [ "$have_promtool" = 1 ] && ! promtool check metrics <"$tmp/live.prom" >/dev/null 2>&1; then
		fail metrics_live "promtool: $(promtool check metrics <"$tmp/live.prom" 2>&1 | head -c 300)"
	else
		pass metrics_live
	fi
fi

# ---- a real Prometheus scrapes a replay ----
if ! command -v prometheus >/dev/null; then
	skip prometheus_scrape "prometheus not installed (Debian package prometheus)"
	exit 0
fi
cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: kvmmmu
    static_configs:
      - targets: ['127.0.0.1:$port2']
EOF
prometheus --config.file="$tmp/prometheus.yml" \
	--storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$port3" >"$tmp/prometheus.log" 2>&1 &
prom_pid=$!
api=http://127.0.0.1:$port3
n=0
while [ "$n" -lt 300 ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "$api/-/ready")" != 200 ]; do
	sleep 0.1; n=$((n + 1))
done
if [ "$n" -ge 300 ]; then
	fail prometheus_scrape "Prometheus not ready after 30 s: $(tail -c 300 "$tmp/prometheus.log")"
	exit 0
fi

# query PROMQL: the first value of an instant query, or nothing
query() {
	curl -s -G --data-urlencode "query=$1" "$api/api/v1/query" |
		python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null
}

"$G" --input "$fx" --summary-only --metrics "127.0.0.1:$port2" \
	--metrics-hold 10 >"$tmp/scrape.out" 2>"$tmp/scrape.err" &
tool=$!
# until a scrape of the final numbers is stored (at most 25 s)
n=0 finished=
while [ "$n" -lt 50 ]; do
	finished=$(query 'max(last_over_time(kvmmmu_run_finished{job="kvmmmu"}[5m]))')
	[ "$finished" = 1 ] && break
	sleep 0.5; n=$((n + 1))
done
got=$(query 'sum(last_over_time(kvmmmu_faults_total{job="kvmmmu"}[5m]))')
seen=$(query 'max(last_over_time(kvmmmu_faults_seen_total{job="kvmmmu"}[5m]))')
kill "$tool" 2>/dev/null
wait "$tool" 2>/dev/null
want=$(summary_faults "$tmp/scrape.out")
note "Prometheus: sum(kvmmmu_faults_total) = $got, kvmmmu_faults_seen_total = $seen; replay summary: $want faults"
if [ "$finished" != 1 ]; then
	fail prometheus_scrape "no scrape of the finished run: $(tail -c 300 "$tmp/prometheus.log")"
elif [ -n "$want" ] && [ "$got" = "$want" ] && [ "$seen" = "$want" ]; then
	pass prometheus_scrape
else
	fail prometheus_scrape "Prometheus says $got (seen $seen), the replay '$want'"
fi
