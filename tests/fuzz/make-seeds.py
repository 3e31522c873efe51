#!/usr/bin/env python3
# Pack the shipped recordings into seeds for the fuzz target
# (tests/fuzz/fuzz_replay.c): one seed per recording, each with the first
# pages of each CPU, plus a few seeds of single pages.
#
#   make-seeds.py DATA_DIR OUT_DIR [PAGES_DIR]
#
# With PAGES_DIR, also seeds for fuzz_pages.c: the first pages of each
# CPU file, alone.
import os
import struct
import sys
import tarfile
import tempfile

PAGE = 4096


def section(tag, data, arg=None):
    head = bytes([ord(tag)]) + struct.pack("<I", len(data))
    return head + (bytes([arg]) if arg is not None else b"") + data


def read(path):
    try:
        return open(path, "rb").read()
    except FileNotFoundError:
        return None


def pack(rec, pages, cpus=None):
    out = b""
    hp = read(os.path.join(rec, "events", "header_page"))
    out += section("H", hp or b"")
    events = os.path.join(rec, "events")
    for sys_ in sorted(os.listdir(events)):
        if not os.path.isdir(os.path.join(events, sys_)):
            continue
        for name in sorted(os.listdir(os.path.join(events, sys_))):
            fmt = read(os.path.join(events, sys_, name, "format"))
            if fmt is not None:
                out += section("F", ("%s/%s" % (sys_, name)).encode() +
                               b"\0" + fmt)
    for tag, name in (("K", "kallsyms"), ("S", "strategy"), ("V", "vendor")):
        data = read(os.path.join(rec, name))
        if data is not None:
            out += section(tag, data)
    cpu = 0
    while True:
        raw = read(os.path.join(rec, "per_cpu", "cpu%d" % cpu,
                                "trace_pipe_raw"))
        if raw is None:
            break
        if cpus is None or cpu in cpus:
            out += section("C", raw[pages[0] * PAGE:pages[1] * PAGE], cpu)
        cpu += 1
    return out


def main():
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(data)):
            if not name.endswith(".tar.xz"):
                continue
            with tarfile.open(os.path.join(data, name)) as t:
                t.extractall(tmp)
            rec = os.path.join(tmp, name[:-len(".tar.xz")])
            base = os.path.join(out, name[:-len(".tar.xz")])
            open(base + "-head", "wb").write(pack(rec, (0, 4)))
            open(base + "-page1", "wb").write(pack(rec, (1, 2), {0}))
            if len(sys.argv) > 3:
                pages_seeds(rec, os.path.join(sys.argv[3],
                                              os.path.basename(base)))


def pages_seeds(rec, base):
    os.makedirs(os.path.dirname(base), exist_ok=True)
    cpu = 0
    while True:
        raw = read(os.path.join(rec, "per_cpu", "cpu%d" % cpu,
                                "trace_pipe_raw"))
        if raw is None:
            break
        open("%s-cpu%d" % (base, cpu), "wb").write(raw[:4 * PAGE])
        cpu += 1


main()
