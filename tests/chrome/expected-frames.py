#!/usr/bin/env python3
"""Distinct frames per thread track of a --chrome-trace file, as speedscope
names them (event name, a space, and the args as compact JSON), to compare
with what speedscope-load.js reports. Prints {"TID": [frames, fault_frames]}.
"""
import json
import sys

doc = json.load(open(sys.argv[1], encoding="utf-8"))
frames, faults = {}, {}
for ev in doc["traceEvents"]:
    if ev.get("ph") != "X":
        continue
    key = ev["name"]
    if ev.get("args"):
        key += " " + json.dumps(ev["args"], separators=(",", ":"),
                                ensure_ascii=False)
    tid = str(ev["tid"])
    frames.setdefault(tid, set()).add(key)
    if ev.get("cat") == "fault":
        faults.setdefault(tid, set()).add(key)
print(json.dumps({t: [len(frames[t]), len(faults.get(t, ()))] for t in frames}))
