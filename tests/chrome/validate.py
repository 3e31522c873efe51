#!/usr/bin/env python3
"""Validate kvmmmu-graph --chrome-trace output (one or more split files).

    validate.py FILE [FILE...]

Checks that each file is one JSON object with a traceEvents array, that
every event has the fields its phase needs, that faults on one track come
in time order, and that every phase slice lies inside a fault slice of its
track and nests properly (no partial overlap). Prints a JSON object with
the counts (faults, incomplete, phases, tracks, processes) on success;
exits 1 with the first problem otherwise.
"""
import json
import sys


def fail(msg):
    print("invalid: " + msg)
    sys.exit(1)


def check_file(path, totals, tracks, processes):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))
    events = doc.get("traceEvents")
    if not isinstance(events, list):
        fail("%s: no traceEvents array" % path)
    last_fault = {}
    open_slices = {}
    for i, ev in enumerate(events):
        where = "%s event %d" % (path, i)
        ph = ev.get("ph")
        if ph not in ("X", "i", "M"):
            fail("%s: unexpected ph %r" % (where, ph))
        if not isinstance(ev.get("pid"), int) or not isinstance(ev.get("tid"), int):
            fail("%s: pid/tid missing" % where)
        track = (ev["pid"], ev["tid"])
        if ph == "M":
            if ev.get("name") == "thread_name":
                tracks.add(track)
            elif ev.get("name") == "process_name":
                processes.add(ev["pid"])
            continue
        ts = ev.get("ts")
        if not isinstance(ts, (int, float)) or ts < 0:
            fail("%s: bad ts %r" % (where, ts))
        if track not in tracks:
            fail("%s: track %r has no thread_name" % (where, track))
        if ev.get("cat") == "fault":
            if ts < last_fault.get(track, -1):
                fail("%s: fault at %.3f before the previous one of its "
                     "track (%.3f)" % (where, ts, last_fault[track]))
            last_fault[track] = ts
            if ph == "i":
                totals["incomplete"] += 1
                continue
            totals["faults"] += 1
            open_slices[track] = [(ts, ts + ev["dur"])]
            continue
        if ev.get("cat") != "phase" or ph != "X":
            fail("%s: unexpected event %r" % (where, ev.get("name")))
        stack = open_slices.get(track)
        if not stack:
            fail("%s: phase outside any fault" % where)
        end = ts + ev["dur"]
        eps = 0.0015  # the microsecond values carry three decimals
        while len(stack) > 1 and ts >= stack[-1][1] - eps:
            stack.pop()
        lo, hi = stack[-1]
        if ts < lo - eps or end > hi + eps:
            fail("%s: phase [%.3f, %.3f] not inside [%.3f, %.3f]"
                 % (where, ts, end, lo, hi))
        stack.append((ts, end))
        totals["phases"] += 1


def main():
    if len(sys.argv) < 2:
        fail("usage: validate.py FILE [FILE...]")
    totals = {"faults": 0, "incomplete": 0, "phases": 0}
    tracks, processes = set(), set()
    for path in sys.argv[1:]:
        file_tracks = set()
        check_file(path, totals, file_tracks, processes)
        tracks |= file_tracks
    totals["tracks"] = len(tracks)
    totals["processes"] = len(processes)
    print(json.dumps(totals, sort_keys=True))


main()
