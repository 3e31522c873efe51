#!/usr/bin/env python3
"""capture_table.py RESULTS_DIR KERNEL: the capture benchmark's table.

RESULTS_DIR holds capture/SIZE/MODE/RUN/ from tests/bench/scenarios/capture.sh.
Per size and mode: median, min and max guest seconds, the median's ratio to
trace-cmd record's, faults seen (kvmmmu-graph's summary; for trace-cmd its
trace.dat read by kvmmmu-graph --input) against KVM's counters, lost events
(kvmmmu-graph's count; trace-cmd's from its per-CPU stats or, when it did
not print them, the missed-events marks of its trace.dat; the no-reader
run's from the kernel's per-CPU overrun), and the reader's CPU time (kvmmmu-graph: getrusage;
trace-cmd: busybox time's user+sys, its recorder processes included)."""
import json
import os
import re
import statistics
import sys

MODES = ["untraced", "noreader", "trace-cmd", "global", "instance"]


def summary(path):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("{") and '"type":"summary"' in line:
                    return json.loads(line)
    except OSError:
        pass
    return None


def kvm_faults(d):
    try:
        with open(os.path.join(d, "faultgen.json")) as f:
            fg = json.load(f)
    except (OSError, ValueError):
        return None
    st, mmio = fg["kvm_stats"], fg.get("mmio", {})
    return st["pf_taken"] + max(mmio.get("reads", 0) + mmio.get("writes", 0)
                                - (st.get("pf_mmio_spte_created") or 0), 0)


def overrun(path):
    try:
        text = open(path).read()
    except OSError:
        return None
    vals = re.findall(r"^overrun: (\d+)", text, re.M)
    return sum(int(v) for v in vals) if vals else None


def tc_cpu(path):
    try:
        text = open(path).read()
    except OSError:
        return None
    t = 0.0
    for key in ("user", "sys"):
        m = re.search(r"^%s\s+(\d+)m\s*([\d.]+)s" % key, text, re.M)
        if not m:
            return None
        t += int(m.group(1)) * 60 + float(m.group(2))
    return t


def run_facts(mode, d):
    secs = float(open(os.path.join(d, "seconds")).read())
    kvm = kvm_faults(d)
    faults = lost = cpu = None
    if mode in ("global", "instance"):
        s = summary(os.path.join(d, "summary.json"))
        if s:
            faults, lost = s["faults"], s["lost_events"]
            cpu = s.get("capture", {}).get("reader_cpu_s")
            if s.get("capture", {}).get("drain_aborted"):
                lost = "aborted"
    elif mode == "trace-cmd":
        s = summary(os.path.join(d, "tc-summary.json"))
        faults = s["faults"] if s else None
        lost = overrun(os.path.join(d, "tc.txt"))
        if lost is None and s:	# the trace.dat's missed-events marks
            lost = s["lost_events"]
        cpu = tc_cpu(os.path.join(d, "tc.txt"))
    elif mode == "noreader":
        lost = overrun(os.path.join(d, "stats.txt"))
    return secs, kvm, faults, lost, cpu


def fmt(v, spec):
    if isinstance(v, str):
        return v
    return "-" if v is None else format(v, spec)


def main(argv):
    root, kernel = os.path.join(argv[1], "capture"), argv[2]
    out = []
    for size in ("small", "large"):
        sdir = os.path.join(root, size)
        if not os.path.isdir(sdir):
            continue
        args = ""
        p = os.path.join(argv[1], "capture-%s-args.txt" % size)
        if os.path.exists(p):
            args = open(p).read().strip()
        rows, med = [], {}
        for mode in MODES:
            mdir = os.path.join(sdir, mode)
            if not os.path.isdir(mdir):
                continue
            facts = [run_facts(mode, os.path.join(mdir, r))
                     for r in sorted(os.listdir(mdir))]
            secs = [f[0] for f in facts]
            med[mode] = statistics.median(secs)
            rows.append((mode, secs, facts))
        out.append("size %s: kvmmmu-faultgen %s" % (size, args))
        out.append("%-10s %7s %6s %6s %6s  %-17s %-17s %-14s %s" % (
            "mode", "median", "min", "max", "/tc", "faults (KVM)",
            "lost", "reader CPU s", "runs"))
        tc = med.get("trace-cmd")
        for mode, secs, facts in rows:
            faults = "/".join(fmt(f[2], "d") for f in facts)
            kvm = "/".join(fmt(f[1], "d") for f in facts)
            lost = "/".join(fmt(f[3], "d") for f in facts)
            cpu = "/".join(fmt(f[4], ".2f") for f in facts)
            out.append("%-10s %7.2f %6.2f %6.2f %6s  %-17s %-17s %-14s %s" % (
                mode, med[mode], min(secs), max(secs),
                fmt(med[mode] / tc if tc else None, ".2f"),
                "%s (%s)" % (faults, kvm) if mode in
                ("trace-cmd", "global", "instance") else "(%s)" % kvm,
                lost, cpu, " ".join("%.2f" % s for s in secs)))
        out.append("")
    print("kvmmmu-graph capture benchmark, kernel %s" % kernel)
    print("guest seconds: faultgen released -> exited (uptime, 10 ms "
          "steps); /tc: median / trace-cmd record's median; per-run "
          "values separated by /")
    print()
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
