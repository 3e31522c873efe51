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
