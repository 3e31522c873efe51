#!/usr/bin/env python3
# Build damaged copies of a shipped recording, one directory per case.
#
#   make-cases.py RECORDING_DIR OUT_DIR
#
# Each case is the recording with one thing broken, as an adversarial or
# unlucky user could hand it to "kvmmmu-graph --input". The cases that
# need a FIFO or a device are made by the test script itself.
import os
import random
import shutil
import struct
import sys

PAGE = 4096
HDR = 16		# u64 timestamp + 64-bit commit word
MISSING_EVENTS = 1 << 31
MISSING_STORED = 1 << 30


def cpu_file(d, cpu):
    return os.path.join(d, "per_cpu", "cpu%d" % cpu, "trace_pipe_raw")


def patch_page(d, cpu, page, fn):
    path = cpu_file(d, cpu)
    data = bytearray(open(path, "rb").read())
    fn(data, page * PAGE)
    open(path, "wb").write(data)


def set_commit(value):
    def fn(data, off):
        struct.pack_into("<Q", data, off + 8, value)
    return fn


def one_event(words):
    """A page holding the given 32-bit words as its only data."""
    def fn(data, off):
        body = b"".join(struct.pack("<I", w) for w in words)
        data[off + HDR:off + PAGE] = bytes(PAGE - HDR)
        data[off + HDR:off + HDR + len(body)] = body
        struct.pack_into("<Q", data, off + 8, len(body))
    return fn


def edit_format(d, event, fn):
    path = os.path.join(d, "events", event, "format")
    lines = open(path).read().split("\n")
    open(path, "w").write("\n".join(fn(lines)))


def drop_field(name):
    return lambda lines: [l for l in lines if ("field:" not in l or
                                              (" %s;" % name) not in l)]


def set_offset(name, offset):
    def fn(lines):
        out = []
        for l in lines:
            if "field:" in l and (" %s;" % name) in l:
                pre, rest = l.split("offset:", 1)
                l = pre + "offset:%s;" % offset + rest.split(";", 1)[1]
            out.append(l)
        return out
    return fn


def event_id(d, event):
    for l in open(os.path.join(d, "events", event, "format")):
        if l.startswith("ID:"):
            return int(l.split()[1])
    raise SystemExit("%s: no ID" % event)


def page_events(data, off):
    """(payload offset, payload length) of each data event of a page."""
    size = struct.unpack_from("<Q", data, off + 8)[0] & ((1 << 27) - 1)
    pos, base = 0, off + HDR
    while pos < size:
        w = struct.unpack_from("<I", data, base + pos)[0]
        t = w & 31
        if t == 29:
            return
        if t in (30, 31):
            pos += 8
            continue
        if t == 0:
            n = struct.unpack_from("<I", data, base + pos + 4)[0] - 4
            yield base + pos + 8, n
            pos += 8 + ((n + 3) & ~3)
        else:
            yield base + pos + 4, t * 4
            pos += 4 + t * 4


def case_func_all_ones(d):
    # every funcgraph_entry of a page names function 0xffff...ffff (the
    # key the symbol cache reserves): the fault builder looped forever
    fid = event_id(d, "ftrace/funcgraph_entry")

    def fn(data, off):
        for at, n in page_events(data, off):
            if struct.unpack_from("<H", data, at)[0] == fid:
                struct.pack_into("<Q", data, at + 8, (1 << 64) - 1)
    patch_page(d, 0, 0, fn)


def case_commit_past_page(d):
    # size 64 KiB and "missed events stored" after the data
    patch_page(d, 0, 0, set_commit(MISSING_EVENTS | MISSING_STORED | 0x10000))


def case_commit_missed_at_end(d):
    # the missed-events count would sit just past the page
    patch_page(d, 0, 0, set_commit(MISSING_EVENTS | MISSING_STORED |
                                   (PAGE - HDR - 4)))


def case_appended_random(d):
    rnd = random.Random(10)
    with open(cpu_file(d, 0), "ab") as f:
        f.write(bytes(rnd.getrandbits(8) for _ in range(PAGE)))


def case_appended_partial(d):
    with open(cpu_file(d, 1), "ab") as f:
        f.write(b"\x01" * 100)


def case_endless_padding(d):
    # a padding event whose length steps back onto itself
    patch_page(d, 0, 0, one_event([29, 0xfffffffc, 0, 0]))


def case_event_past_page(d):
    # a data event (type_len 0) claiming 1 MiB of payload
    patch_page(d, 0, 0, one_event([0, 1 << 20, 0, 0]))


def case_event_negative_len(d):
    patch_page(d, 1, 0, one_event([0, 0, 0, 0]))


def case_format_missing_field(d):
    edit_format(d, "kvm/kvm_page_fault", drop_field("common_pid"))


def case_format_missing_common_type(d):
    edit_format(d, "kvm/kvm_page_fault", drop_field("common_type"))


def case_field_offset_negative(d):
    edit_format(d, "kvm/kvm_page_fault", set_offset("fault_address", -1))


def case_field_offset_past_page(d):
    edit_format(d, "kvm/kvm_page_fault", set_offset("fault_address", 8000))


def case_common_offset_past_page(d):
    for ev in ("kvm/kvm_page_fault", "kvm/kvm_entry", "kvm/kvm_exit",
               "ftrace/funcgraph_entry", "ftrace/funcgraph_exit"):
        edit_format(d, ev, set_offset("common_pid", 70000))


def case_field_offset_bad(d):
    # inside the page but past the event: every GPA would read as 0
    edit_format(d, "kvm/kvm_page_fault", set_offset("fault_address", 200))


def case_cpu_file_zeroed(d):
    size = os.path.getsize(cpu_file(d, 1))
    open(cpu_file(d, 1), "wb").write(bytes(size))


def case_cpu_file_copied(d):
    os.makedirs(os.path.dirname(cpu_file(d, 2)))
    shutil.copy(cpu_file(d, 1), cpu_file(d, 2))


def case_cpu_gap(d):
    os.makedirs(os.path.dirname(cpu_file(d, 3)))
    shutil.move(cpu_file(d, 1), cpu_file(d, 3))


def write_sizes(d):
    """The "sizes" note a recording made by --record carries."""
    with open(os.path.join(d, "sizes"), "w") as f:
        cpu = 0
        while os.path.exists(cpu_file(d, cpu)):
            f.write("cpu%d %d\n" % (cpu, os.path.getsize(cpu_file(d, cpu))))
            cpu += 1


def case_sizes_intact(d):
    write_sizes(d)


def case_sizes_cpu_emptied(d):
    write_sizes(d)
    open(cpu_file(d, 1), "wb").close()


def case_sizes_cpu_cut(d):
    write_sizes(d)
    size = os.path.getsize(cpu_file(d, 1))
    with open(cpu_file(d, 1), "r+b") as f:
        f.truncate(size - 4096)


def case_sizes_cpu_removed(d):
    write_sizes(d)
    shutil.rmtree(os.path.dirname(cpu_file(d, 1)))


def case_sizes_garbled(d):
    write_sizes(d)
    with open(os.path.join(d, "sizes"), "a") as f:
        f.write("cpu1 lots\n")


def case_header_page_tiny_subbuffer(d):
    # data at 16, 0 bytes: kbuffer read the commit word and lost-events
    # count past a 16-byte buffer (found by fuzz_replay)
    path = os.path.join(d, "events", "header_page")
    text = open(path).read().replace("size:4080;", "size:0;")
    open(path, "w").write(text)


def case_no_strategy(d):
    os.unlink(os.path.join(d, "strategy"))


CASES = {k[5:]: v for k, v in globals().items() if k.startswith("case_")}


def main():
    src, out = sys.argv[1], sys.argv[2]
    only = sys.argv[3:]
    for name, fn in sorted(CASES.items()):
        if only and name not in only:
            continue
        d = os.path.join(out, name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(src, d)
        fn(d)
        print(name)


main()
