#!/usr/bin/python3
"""The Python bcc peers of the benchmark: each does what the matching
bcc-c program does, with Debian's python3-bpfcc, so run.py can time both;
each prints "ready" once attached.

  peer.py uprobe_simple TEXT BINARY      attach, open trace_pipe, exit
  peer.py strlen_snoop_simple TEXT       attach to libc's strlen, exit
  peer.py opensnoop TEXT                 tracepoint mode + 64-page perf buffer, exit
  peer.py compile_load TEXT [CFLAG...]   compile and load every function, exit
  peer.py consume TEXT BINARY PAGES COUNT WAKEUP [CFLAG...]
                                         the throughput consumer (BINARY "-": the
                                         text attaches itself), waking every WAKEUP
                                         events (bcc's default: 1)
"""
import sys
import time

from bcc import BPF
from bcc.libbcc import lib


class NoAutoAttach(BPF):
    """BPF() without its automatic attaching: compile and load only."""

    def _trace_autoload(self):
        pass


def main():
    cmd, text = sys.argv[1], open(sys.argv[2]).read()
    if cmd == "uprobe_simple":
        b = BPF(text=text)
        b.attach_uprobe(name=sys.argv[3], sym="func", fn_name="printarg")
        b.attach_uretprobe(name=sys.argv[3], sym="func", fn_name="printret")
        b.trace_open()
    elif cmd == "strlen_snoop_simple":
        b = BPF(text=text)
        b.attach_uprobe(name="c", sym="strlen", fn_name="printarg")
        b.trace_open()
    elif cmd == "opensnoop":
        b = BPF(text=text, cflags=["-DPROBE_TRACEPOINT"])
        b["events"].open_perf_buffer(lambda cpu, data, size: None, page_cnt=64)
    elif cmd == "compile_load":
        b = NoAutoAttach(text=text, cflags=sys.argv[3:])
        for name in [lib.bpf_function_name(b.module, i)
                     for i in range(lib.bpf_num_functions(b.module))]:
            if name.startswith((b"kfunc__", b"kretfunc__")):
                continue
            b.load_func(name, BPF.TRACEPOINT if name.startswith(b"tracepoint__") else BPF.KPROBE)
    elif cmd == "consume":
        binary, pages, count = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        b = BPF(text=text, cflags=sys.argv[7:])
        if binary != "-":
            b.attach_uprobe(name=binary, sym="func", fn_name="on_func")
        stats = {"received": 0, "lost": 0, "first": 0.0, "last": 0.0}

        def on_event(cpu, data, size):
            stats["received"] += 1

        def on_lost(lost):
            stats["lost"] += lost

        b["events"].open_perf_buffer(on_event, page_cnt=pages, lost_cb=on_lost,
                                     wakeup_events=int(sys.argv[6]))
        print("ready", flush=True)
        while True:
            before = stats["received"] + stats["lost"]
            b.perf_buffer_poll(timeout=100)
            if stats["received"] + stats["lost"] == before:
                b.perf_buffer_consume()  # fewer than WAKEUP events wait unsignalled
            now = time.monotonic()
            if stats["received"] + stats["lost"] != before:
                stats["last"] = now
                stats["first"] = stats["first"] or now
            if stats["received"] + stats["lost"] >= count or \
                    (stats["first"] and now - stats["last"] > 3):
                break
        print("received %d lost %d seconds %.6f" % (stats["received"], stats["lost"],
                                                   stats["last"] - stats["first"]))
        return
    else:
        sys.exit("unknown peer command " + cmd)
    print("ready", flush=True)


if __name__ == "__main__":
    main()
