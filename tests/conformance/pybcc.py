#!/usr/bin/python3
"""The Python bcc side of the conformance suite.

pybcc.py SPEC_JSON: loads the text with BPF(text=...), attaches the probes
the spec names as bcc's tools and examples do, says "pybcc: ready: N
probe(s)" on stderr, and on SIGINT (or SIGTERM) prints, through bcc's own
API, what it saw in bcc-run's --json line format: every event
(open_perf_buffer, event(); a short event decoded as sslsniff does, up to
the size that came), every trace_pipe message (trace_fields), and at exit
every hash and array (items(); per-CPU values summed as bcc's tools do,
each CPU's value kept), every BPF_HISTOGRAM (one per section for a struct
key, bcc's section rule), stack ids walked and symbolized with b.ksym /
b.sym(show_offset=True) as stackcount does. The suite compares the two
after normalization (suite.py).

SPEC_JSON: {"text": PATH, "pid": WORKLOAD_PID, "stack_keys": [TABLE...], "probes": [
  {"kind": "uprobe"|"uretprobe", "binary": B, "sym": S, "fn": F, "pid": bool},
  {"kind": "tracepoint", "category": C, "event": E, "fn": F},
  {"kind": "usdt", "provider": P, "probe": N, "fn": F}]}
stack_keys: tables keyed by a user stack id itself, walked for the
workload's pid as mallocstacks.py does. An uprobe on an IFUNC symbol attaches where strlen_hist_ifunc.py does: at
the implementation's offset (see ifunc_offset()).
"""
import ctypes as ct
import json
import os
import re
import signal
import socket
import sys
import time

from bcc import BPF, USDT
from bcc.libbcc import lib, bcc_symbol, bcc_symbol_option

STT_GNU_IFUNC = 1 << 10
# bcc's BPF_MAP_TYPE_* numbers
HASH, ARRAY, PERF_EVENT_ARRAY, PERCPU_HASH, PERCPU_ARRAY, STACK_TRACE = 1, 2, 4, 5, 6, 7
LRU_HASH, LRU_PERCPU_HASH, RINGBUF = 9, 10, 27
PERCPU = (PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH)
DUMPED = (HASH, ARRAY, LRU_HASH) + PERCPU

lib.bpf_num_tables.restype = ct.c_size_t
lib.bpf_num_tables.argtypes = [ct.c_void_p]
lib.bpf_table_name.restype = ct.c_char_p
lib.bpf_table_name.argtypes = [ct.c_void_p, ct.c_ulonglong]

stop = False


def on_signal(sig, frame):
    global stop
    stop = True


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")


def ifunc_symbol(module, symname):
    """The IFUNC symbol, as strlen_hist_ifunc.py's get_indirect_function_sym."""
    sym = bcc_symbol()
    opt = bcc_symbol_option()
    opt.use_debug_file = 1
    opt.check_debug_file_crc = 1
    opt.lazy_symbolize = 1
    opt.use_symbol_type = STT_GNU_IFUNC
    if lib.bcc_resolve_symname(module.encode(), symname.encode(), 0x0, 0,
                               ct.byref(opt), ct.byref(sym)) < 0:
        return None
    return sym


def ifunc_offset(module, symname):
    """strlen_hist_ifunc.py's impl_func_addr - resolv_func_addr +
    ifunc_symbol.offset, with both addresses taken in this process (dlsym
    returns what the resolver chose) instead of from a second BPF program.
    Returns (library path, offset), or None when SYMBOL is no IFUNC."""
    sym = ifunc_symbol(module, symname)
    if not sym:
        return None
    path = ct.cast(sym.module, ct.c_char_p).value.decode()
    libc = ct.CDLL(path)
    impl = ct.cast(getattr(libc, symname), ct.c_void_p).value
    base = None
    real = os.path.realpath(path)
    with open("/proc/self/maps") as maps:
        for line in maps:
            f = line.split()
            if len(f) >= 6 and os.path.realpath(f[5]) == real and int(f[2], 16) == 0:
                base = int(f[0].split("-")[0], 16)
                break
    # the resolver's run-time address: its symbol's address in the file
    # (the first segment of a shared library maps at the load base)
    resolver = base + sym.offset
    return path, impl - resolver + sym.offset


def value(v, name=""):
    """A ctypes value as bcc-run's --json prints it."""
    if isinstance(v, ct.Structure) or isinstance(v, ct.Union):
        d = {}
        for f in v._fields_:
            fname = f[0]
            if fname.startswith("__pad"):
                continue
            d[fname] = value(getattr(v, fname), fname)
        return d
    if isinstance(v, ct.Array):
        if v._type_ is ct.c_ulonglong and len(v) == 2:  # unsigned __int128
            raw = bytes(v)
            if re.search("addr|ip6|v6", name):
                return socket.inet_ntop(socket.AF_INET6, raw)
            return int.from_bytes(raw, "little")
        if v._type_ is ct.c_longlong and len(v) == 2:  # __int128
            return int.from_bytes(bytes(v), "little", signed=True)
        if v._type_ is ct.c_char:
            return bytes(v).split(b"\0", 1)[0].decode("utf-8", "replace")
        return [value(x) for x in v]
    if isinstance(v, bytes):  # a char[] member of a Structure
        return v.decode("utf-8", "replace")
    if hasattr(v, "value"):
        return v.value
    return v


def is_stack_member(name):
    return name.endswith("stack_id") or name.endswith("stackid")


def is_user_member(name):
    return "user" in name or "ustack" in name or "usr" in name


def stacks_of(b, stack_tables, d):
    """Frames of every stack-id member of the decoded struct d."""
    if not isinstance(d, dict) or not stack_tables:
        return None
    pid = d.get("pid", d.get("tgid", -1))
    st = b.get_table(stack_tables[0])
    res = {}
    for name, sid in d.items():
        if not is_stack_member(name) or not isinstance(sid, int):
            continue
        user = is_user_member(name)
        if sid < 0:
            res[name] = ["[Missed User Stack]" if user else "[Missed Kernel Stack]"]
            continue
        frames = []
        for addr in st.walk(sid):
            if user:
                frames.append(b.sym(addr, pid, show_offset=True).decode("utf-8", "replace"))
            else:
                frames.append(b.ksym(addr, show_offset=True).decode("utf-8", "replace"))
        res[name] = frames
    return res or None


def buckets(counts):
    n = max(counts) + 1 if counts else 0
    res = []
    for i in range(n):
        res.append({"low": (1 << i) >> 1, "high": (1 << i) - 1, "count": counts.get(i, 0)})
    return res


def dump_hist(b, name, t):
    items = t.items()
    key0 = t.Key()
    if not isinstance(key0, ct.Structure):
        counts = {}
        for k, v in items:
            if v.value:
                counts[k.value] = counts.get(k.value, 0) + v.value
        out({"type": "histogram", "name": name, "buckets": buckets(counts)})
        return
    fields = [f[0] for f in t.Key._fields_ if not f[0].startswith("__pad")]
    slot = "slot" if "slot" in fields else fields[1]
    sections = []
    for k, v in items:
        d = value(k)
        s = d.pop(slot)
        for sec in sections:
            if sec[0] == d:
                break
        else:
            sec = (d, {})
            sections.append(sec)
        sec[1][s] = sec[1].get(s, 0) + v.value
    out({"type": "histogram", "name": name,
         "sections": [{"section": d, "buckets": buckets(c)} for d, c in sections]})


def dump_table(b, name, t, ttype, stack_tables, stack_key_pid=None):
    entries = []
    for k, v in t.items():
        e = {"key": value(k)}
        if ttype in PERCPU:
            cpus = [value(x) for x in v]
            if all(isinstance(x, int) for x in cpus):
                e["value"] = sum(cpus)
                e["per_cpu"] = cpus
            else:
                e["value"] = cpus
        else:
            e["value"] = value(v)
        if stack_key_pid is not None:
            # mallocstacks.py: for k, v in calls.items(): stack_traces.walk(k.value)
            st = {"key": [b.sym(a, stack_key_pid, show_offset=True).decode("utf-8", "replace")
                          for a in b.get_table(stack_tables[0]).walk(e["key"])]}
        else:
            st = stacks_of(b, stack_tables, e["key"])
        if st:
            e["stacks"] = st
        entries.append(e)
    out({"type": "table", "name": name, "entries": entries})


def main():
    spec = json.load(open(sys.argv[1]))
    text = open(spec["text"]).read()
    pid = spec.get("pid", -1)
    usdt = None
    for p in spec["probes"]:
        if p["kind"] == "usdt":
            usdt = usdt or USDT(pid=pid)
            usdt.enable_probe(probe="%s:%s" % (p["provider"], p["probe"]), fn_name=p["fn"])
    b = BPF(text=text, usdt_contexts=[usdt] if usdt else [])
    nprobes = 0
    for p in spec["probes"]:
        kind = p["kind"]
        if kind in ("uprobe", "uretprobe"):
            attach = b.attach_uprobe if kind == "uprobe" else b.attach_uretprobe
            upid = pid if p.get("pid") else -1
            where = ifunc_offset(p["binary"], p["sym"]) if p.get("ifunc") else None
            if where:
                attach(name=where[0], addr=where[1], fn_name=p["fn"], pid=upid)
            else:
                attach(name=p["binary"], sym=p["sym"], fn_name=p["fn"], pid=upid)
            nprobes += 1
        elif kind == "tracepoint":
            b.attach_tracepoint(tp="%s:%s" % (p["category"], p["event"]), fn_name=p["fn"])
        nprobes += 1

    names = []
    for i in range(lib.bpf_num_tables(b.module)):
        names.append(lib.bpf_table_name(b.module, i).decode())
    types = {n: lib.bpf_table_type_id(b.module, lib.bpf_table_id(b.module, n.encode()))
             for n in names}
    hists = set(re.findall(r"BPF_HISTOGRAM\s*\(\s*(\w+)", text))
    stack_tables = [n for n in names if types[n] == STACK_TRACE]
    uses_trace = "bpf_trace_printk" in text

    lines = []
    traces = []

    def read_traces():
        """trace_pipe's lines so far; None when it had none."""
        got = False
        while True:
            task, tpid, cpu, flags, ts, msg = b.trace_fields(nonblocking=True)
            if task is None:
                return got
            got = True
            traces.append({"type": "trace", "time": ts, "comm": task.decode("utf-8", "replace"),
                           "pid": tpid, "message": msg.decode("utf-8", "replace")})

    def on_event(name):
        t = b.get_table(name)
        cls = None

        def cb(cpu, data, size):
            nonlocal cls
            ev = t.event(data)
            cls = cls or type(ev)
            raw = ct.string_at(data, size)
            d = {}
            for f in cls._fields_:
                fname = f[0]
                if fname.startswith("__pad"):
                    continue
                off = getattr(cls, fname).offset
                fsize = getattr(cls, fname).size
                if off + fsize <= size:
                    d[fname] = value(getattr(ev, fname), fname)
                elif off < size and f[1]._type_ is ct.c_char:
                    # sslsniff's event.buf[0:buf_size]: the part that came
                    d[fname] = raw[off:size].split(b"\0", 1)[0].decode("utf-8", "replace")
            rec = {"type": "event", "table": name, "data": d}
            st = stacks_of(b, stack_tables, d)
            if st:
                rec["stacks"] = st
            lines.append(rec)
        return cb

    for n in names:
        if types[n] == PERF_EVENT_ARRAY:
            b[n].open_perf_buffer(on_event(n), page_cnt=64)
        elif types[n] == RINGBUF:
            b[n].open_ring_buffer(lambda ctx, data, size, n=n: on_event(n)(0, data, size))

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    # (TRACEPOINT_PROBE and RAW_TRACEPOINT_PROBE functions: attached by BPF())
    sys.stderr.write("pybcc: ready: %d probe(s) named and the text's own attached from '%s'\n"
                     % (nprobes, spec["text"]))
    sys.stderr.flush()
    while not stop:
        if uses_trace:
            read_traces()
        if b.perf_buffers or b._ringbuf_manager:
            try:
                b.perf_buffer_poll(timeout=50) if b.perf_buffers else b.ring_buffer_poll(50)
            except Exception:
                pass
        else:
            time.sleep(0.05)  # a signal ends it early
    # what already arrived
    for _ in range(3):
        if b.perf_buffers:
            b.perf_buffer_poll(timeout=0)
        if b._ringbuf_manager:
            b.ring_buffer_consume()
    for rec in lines:
        out(rec)
    if uses_trace:
        # a non-blocking read of trace_pipe can come back empty while lines
        # are still being written: stop after 5 empty reads in a row
        empty = 0
        while empty < 5:
            empty = 0 if read_traces() else empty + 1
            time.sleep(0.02)
        for rec in traces:
            out(rec)
    for n in names:
        if types[n] not in DUMPED:
            continue
        t = b.get_table(n)
        if n in hists and types[n] not in PERCPU:
            dump_hist(b, n, t)
        else:
            dump_table(b, n, t, types[n], stack_tables,
                       pid if n in spec.get("stack_keys", []) else None)
    sys.stdout.flush()
    b.cleanup()


if __name__ == "__main__":
    main()
