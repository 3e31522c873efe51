#!/usr/bin/env python3
"""Host side of the QEMU-guest scenario (scenarios/qemu-guest.sh).

  check_qemu_guest.py CASEDIR

CASEDIR is /results/qemu/NAME of one case. Prints one line per check,
"ok NAME: details" or "BAD NAME: details", and exits 1 if any is BAD.
The checks, all over the same window (QEMU's monitor stopped the VM
before the tool and the oracle started and after the guest wrote):
  run        the tool exited 0, lost nothing; the oracle overran nothing
  oracle     faults == kvm:kvm_page_fault events of QEMU's threads
  kvm-stats  faults == pf_taken + MMIO cache hits (MMIO faults -
             pf_mmio_spte_created), fast faults == pf_fast (debugfs deltas)
  vcpus      every fault's vCPU is one of QEMU's, on the thread QEMU named
             "CPU N/KVM" for it
  memslots   per memslot one HVA - GPA offset; every HVA inside a mapping
             of QEMU, guest RAM below its size inside the RAM mapping
  pagemap    sampled PFNs equal /proc/PID/pagemap
"""
import json
import os
import re
import sys

RAM_MB = 256


def kv(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            k, _, v = line.strip().partition("=")
            out[k] = v
    return out


def load(d):
    faults, summary = [], {}
    for line in open(os.path.join(d, "faults.jsonl")):
        line = line.strip()
        if not line:
            continue
        o = json.loads(line)
        if o.get("type") == "summary":
            summary = o
        elif "ts_ns" in o:
            faults.append(o)
    return faults, summary


def maps(d):
    out = []
    for line in open(os.path.join(d, "maps.txt")):
        f = line.split()
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        out.append((lo, hi, f[5] if len(f) > 5 else ""))
    return out


def num(stats, key):
    try:
        return int(stats[key])
    except (KeyError, ValueError):
        return None


def delta(before, after, key):
    a, b = num(after, key), num(before, key)
    return None if a is None or b is None else a - b


def main():
    d = sys.argv[1]
    faults, summ = load(d)
    oracle = kv(os.path.join(d, "oracle.txt"))
    before = kv(os.path.join(d, "stats-before.txt"))
    after = kv(os.path.join(d, "stats-after.txt"))
    results = []

    def check(name, ok, detail):
        results.append(ok)
        print("%s %s: %s" % ("ok" if ok else "BAD", name, detail))

    rc = open(os.path.join(d, "rc")).read().strip() if \
        os.path.exists(os.path.join(d, "rc")) else "?"
    lost = summ.get("lost_events")
    overruns = {k: v for k, v in oracle.items() if k.endswith(".overrun")}
    check("run", rc == "0" and lost == 0 and summ and
          all(v == "0" for v in overruns.values()) and len(faults) > 0,
          "rc %s, %d faults, %s incomplete, lost %s, oracle overruns %s" %
          (rc, len(faults), summ.get("incomplete"), lost,
           ",".join(sorted(set(overruns.values()))) or "?"))

    ev = oracle.get("kvm_page_fault")
    check("oracle", ev is not None and int(ev) == len(faults),
          "%d faults, %s kvm:kvm_page_fault events" % (len(faults), ev))

    taken = delta(before, after, "pf_taken")
    created = delta(before, after, "pf_mmio_spte_created")
    pf_fast = delta(before, after, "pf_fast")
    mmio = sum(1 for f in faults if f.get("mmio"))
    fast = sum(1 for f in faults if f.get("kind") == "fast")
    if taken is None or created is None:
        check("kvm-stats", False, "no pf_taken/pf_mmio_spte_created in debugfs")
    else:
        want = taken + mmio - created
        check("kvm-stats", want == len(faults) and
              (pf_fast is None or pf_fast == fast),
              "%d faults, pf_taken %d + MMIO cache hits (%d MMIO - %d created)"
              " = %d; fast %d, pf_fast %s" %
              (len(faults), taken, mmio, created, want, fast, pf_fast))

    threads = {}
    for line in open(os.path.join(d, "threads.txt")):
        tid, _, comm = line.strip().partition(" ")
        threads[int(tid)] = comm
    vcpu_threads = {t: c for t, c in threads.items() if re.match(r"CPU \d+/KVM$", c)}
    bad = [f for f in faults
           if threads.get(f.get("tid")) != "CPU %s/KVM" % f.get("vcpu") or
           f.get("comm") != "CPU %s/KVM" % f.get("vcpu")]
    vcpus = sorted({f.get("vcpu") for f in faults})
    check("vcpus", not bad and len(vcpu_threads) > 0,
          "vCPUs %s, QEMU's vCPU threads %s, %d faults on another thread%s" %
          (vcpus, sorted(vcpu_threads.values()), len(bad),
           (" (first: tid %s comm %s vcpu %s)" %
            (bad[0].get("tid"), bad[0].get("comm"), bad[0].get("vcpu")))
           if bad else ""))

    m = maps(d)
    ram = [x for x in m if x[1] - x[0] >= RAM_MB << 20]
    offsets, outside, not_ram, with_hva = {}, 0, 0, 0
    for f in faults:
        if f.get("mmio") or "hva" not in f:
            continue
        with_hva += 1
        hva, gpa = int(f["hva"], 16), int(f["gpa"], 16)
        offsets.setdefault(f.get("memslot"), set()).add(hva - (gpa & ~0xfff))
        if not any(lo <= hva < hi for lo, hi, _ in m):
            outside += 1
        elif gpa < RAM_MB << 20 and not any(lo <= hva < hi for lo, hi, _ in ram):
            not_ram += 1
    non_mmio = sum(1 for f in faults if not f.get("mmio"))
    multi = {s: len(o) for s, o in offsets.items() if len(o) > 1}
    check("memslots", with_hva == non_mmio and not outside and not not_ram
          and not multi and ram,
          "%d of %d non-MMIO faults with an HVA, memslots %s, %d outside "
          "QEMU's mappings, %d of guest RAM outside the RAM mapping%s%s" %
          (with_hva, non_mmio, sorted(offsets, key=str), outside, not_ram,
           "" if ram else ", no mapping of >= %d MiB" % RAM_MB,
           ", memslots with several offsets %s" % multi if multi else ""))

    samples = []
    for line in open(os.path.join(d, "pagemap.txt")):
        f = line.split()
        if len(f) == 3:
            samples.append((f[0], int(f[1], 16), int(f[2], 16)))
    agree = 0
    for _, pfn, entry in samples:
        got = entry & ((1 << 55) - 1)
        present = entry >> 63 & 1
        # a 2 MiB mapping may name the PFN of its first 4 KiB page
        if present and (pfn == got or pfn == got & ~0x1ff):
            agree += 1
    check("pagemap", len(samples) >= 8 and agree == len(samples),
          "%d of %d sampled PFNs equal /proc/PID/pagemap" %
          (agree, len(samples)))
    sys.exit(0 if all(results) else 1)


main()
