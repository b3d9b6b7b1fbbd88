#!/usr/bin/python3
"""Conformance suite: bcc texts from bcc's tools and examples, each run
through bcc-run (--json; cold, with an empty compile cache, then warm, a
cache hit) and through Python bcc (pybcc.py) with the same probes on the
same deterministic workload (bcc-conf-wl, conf_work.c). Asserts that Python
and bcc-run agree on what the workload produced and that the cold and warm
runs print the same thing.

suite.py [--show] BIN_DIR HELPERS_DIR [CASE...]
--show prints each run's normalized output (what is compared).
Exit: 0 all passed, 1 a case failed, 77 every case that ran passed but
some were skipped (each says why).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, "cases")
PORT = 47913
SKIP = 77


def up(binary, sym, fn, ret=False, pid=True, ifunc=False):
    return {"kind": "uretprobe" if ret else "uprobe", "binary": binary, "sym": sym,
            "fn": fn, "pid": pid, "ifunc": ifunc}


def tp(category, event, fn):
    return {"kind": "tracepoint", "category": category, "event": event, "fn": fn}


def usdt(provider, probe, fn):
    return {"kind": "usdt", "provider": provider, "probe": probe, "fn": fn}


WL = "@WL@"  # the workload binary's path

# name: text (cases/NAME.bpf.c), probes, workload mode, how to compare:
#   ignore: event/value fields that differ from run to run (times, kernel
#     addresses), never compared
#   hist_total: histograms of times: only their total count is compared
#   skip_tables: tables not compared, with the reason
#   stack_top: how many frames of each stack are compared (innermost first)
#   ephemeral_port: a port field other than this one becomes "EPH"
#   expect: a check of what the workload must have produced, on the
#     normalized output of each run (so a run that saw nothing fails)
#   needs: what the host must have, else the case is skipped, saying why
#   stack_keys: tables keyed by a user stack id itself (pybcc walks them)
#   known_difference: what bcc-run does not do yet: the case asserts what
#     is right (Python bcc must pass expect), and is skipped, saying this,
#     only while bcc-run still differs (README.md, Known differences)
CASES = {
    "syscount": dict(
        probes=[], mode="syscalls",
        expect=lambda n: n["tables"]["data"] and
        entry(n, "data", 110) == 11),  # getppid: 110 on x86_64
    "syscount_percpu": dict(
        probes=[], mode="syscalls",
        expect=lambda n: entry(n, "data", 110) == {"sum": 11, "ncpus": ncpus()}),
    "syscount_latency": dict(
        probes=[], mode="syscalls", ignore=["total_ns"],
        # the calls that had begun before the tracer (pause) are not timed;
        # start keeps the call that was under way at the end (pause)
        skip_tables={"start": "keyed by the workload's pid and thread id, holds an entry time"},
        expect=lambda n: entry(n, "data", 110) == {"count": 11} and
        entry(n, "data", 62) == {"count": 4}),  # kill: 62
    "dropcount_percpu": dict(
        probes=[], mode="syscalls",
        expect=lambda n: len(n["tables"]["dropcnt"]) == 256 and
        entry(n, "dropcnt", 110) == {"sum": 11, "ncpus": ncpus()}),
    "bitesize": dict(
        probes=[], mode="syscalls",
        # write() of 1, 3, 17, 100, 1000, 5000 bytes, 1..6 times, and "done\n"
        expect=lambda n: n["hists"]["dist"] == [
            [{"name": "bcc-conf-wl"}, {"1": 1, "2": 2, "3": 1, "5": 3, "7": 4, "10": 5, "13": 6}]]),
    "funclatency": dict(
        probes=[up(WL, "conf_func_a", "trace_func_entry"),
                up(WL, "conf_func_a", "trace_func_return", ret=True)],
        mode="calls", hist_total=["dist"],
        expect=lambda n: n["hists"]["dist"] == 7 and n["tables"]["start"] == []),
    "funccount": dict(
        probes=[up(WL, "conf_func_a", "trace_count_0"), up(WL, "conf_func_b", "trace_count_1"),
                up(WL, "conf_outer", "trace_count_2")],
        mode="calls",
        expect=lambda n: [e[1] for e in n["tables"]["counts"]] == [7, 3, 1]),
    "stackcount": dict(
        probes=[up(WL, "conf_func_b", "trace_uprobe"), tp("syscalls", "sys_enter_getppid", "trace_tp")],
        mode="stack", stack_top=3, needs=lambda: needs_kallsyms(),
        expect=lambda n: stack_expect(n)),
    "sslsniff": dict(
        probes=[up(WL, "SSL_write", "probe_SSL_write")], mode="sslwrite",
        ignore=["timestamp_ns"],
        skip_tables={"ssl_data": "a per-CPU scratch buffer: which CPU holds the last call's "
                     "copy differs from run to run"},
        expect=lambda n: sorted(e["len"] for e in n["events"]["perf_SSL_write"]) == [5, 40, 300] and
        sorted(len(e["buf"]) for e in n["events"]["perf_SSL_write"]) == [5, 40, 256]),
    "tcpstates": dict(
        probes=[], mode="tcp", needs=lambda: needs_ipv6(), ignore=["ts_us", "skaddr", "span_us"], ephemeral_port=PORT,
        skip_tables={"last": "keyed by kernel socket addresses"},
        expect=lambda n: any(e["saddr"] == "::1" and e["daddr"] == "::1"
                             for e in n["events"]["ipv6_events"]) and
        any(e["newstate"] == 1 for e in n["events"]["ipv4_events"])),
    "usdt_trace": dict(
        probes=[usdt("bcc_conf", "pair", "do_trace")], mode="usdt",
        expect=lambda n: n["trace"] == ["pair n=%d sq=%d" % (i, i * i) for i in range(1, 10)]),
    "usdt_count": dict(
        probes=[usdt("bcc_conf", "value", "on_value")], mode="usdt",
        expect=lambda n: n["tables"]["values"] == [[i, 1] for i in range(1, 10)]),
    "strlen_count": dict(
        probes=[up("c", "strlen", "count", ifunc=True)], mode="strlen",
        expect=lambda n: all(entry(n, "counts", {"c": "bcc-conf-s" + "abcdefghijklmnopqrs"[:i]})
                             == i % 4 + 1 for i in range(20))),
    "strlen_hist_ifunc": dict(
        probes=[up("c", "strlen", "count", ret=True, ifunc=True)], mode="strlen",
        # lengths 10..29, (n % 4) + 1 calls each: slots 4 (8-15) and 5 (16-31)
        expect=lambda n: n["hists"]["dist"].get("4", 0) >= 13 and n["hists"]["dist"].get("5", 0) >= 37),
    "killsnoop": dict(
        probes=[], mode="syscalls",
        expect=lambda n: n["events"]["events"] == [
            {"pid": "WL", "tpid": "WL", "sig": 0, "ret": 0, "comm": "bcc-conf-wl"}] * 4),
    "opensnoop": dict(
        probes=[], mode="syscalls", ignore=["ts", "id"],
        expect=lambda n: sorted(e["name"] for e in n["events"]["events"]) ==
        ["/bcc-conf-missing", "/dev/null", "/dev/null", "/etc/hostname"]),
    "ringbuf_submit": dict(
        probes=[tp("syscalls", "sys_enter_openat", "openat_entry")], mode="syscalls",
        expect=lambda n: sorted(e["filename"] for e in n["events"]["buffer"]) ==
        ["/bcc-conf-missing", "/dev/null", "/dev/null", "/etc/hostname"] and
        all(e["dfd"] == -100 for e in n["events"]["buffer"])),  # AT_FDCWD
    "hello_perf_output": dict(
        probes=[], mode="syscalls", ignore=["ts"],
        expect=lambda n: n["events"]["events"] == [{"pid": "WL", "comm": "bcc-conf-wl"}] * 2),
    "mallocstacks": dict(
        probes=[up("c", "malloc", "alloc_enter")], mode="malloc", stack_keys=["calls"],
        stack_top=3,
        expect=lambda n: sorted(v for k, v in n["tables"]["calls"]) == [600, 4000] and
        all(re.match(r"(__libc_)?malloc\+", k["stacks"]["key"][0]) for k, v in n["tables"]["calls"]) and
        any(v == 4000 and k["stacks"]["key"][1].startswith("conf_alloc_big+")
            for k, v in n["tables"]["calls"])),
    "gethostlatency": dict(
        probes=[up("c", "getaddrinfo", "do_entry"), up("c", "getaddrinfo", "do_return", ret=True)],
        mode="gai", ignore=["delta"],
        expect=lambda n: n["events"]["events"] == [
            {"pid": "WL", "comm": "bcc-conf-wl", "host": "localhost"}] * 3 and
        n["tables"]["start"] == []),
}


def ncpus():
    with open("/sys/devices/system/cpu/possible") as f:
        n = 0
        for part in f.read().strip().split(","):
            lo, _, hi = part.partition("-")
            n += int(hi or lo) - int(lo) + 1
        return n


def needs_kallsyms():
    with open("/proc/kallsyms") as f:
        for line in f:
            if line.split()[0].strip("0"):
                return None
    return "/proc/kallsyms shows no addresses (kptr_restrict): no kernel frames to compare"


def needs_ipv6():
    if not os.path.exists("/proc/net/if_inet6"):
        return "this host has no IPv6 (no /proc/net/if_inet6): no connection over ::1"
    if not os.path.exists("/sys/kernel/tracing/events/sock/inet_sock_set_state"):
        return "this kernel has no sock:inet_sock_set_state tracepoint"
    return None


def entry(n, table, key):
    for k, v in n["tables"].get(table, []):
        if k == key:
            return v
    return None


def stack_expect(n):
    """conf_func_b's 3 calls under user stacks starting there, and the 11
    getppid() calls under one kernel stack through do_syscall_64 and a user
    stack starting in libc's getppid."""
    calls = getppid = 0
    for k, v in n["tables"]["counts"]:
        st = k["stacks"]
        if st["user_stack_id"][0].startswith("conf_func_b+"):
            calls += v
        if v == 11 and st["user_stack_id"][0].startswith("getppid+") and \
                any(f.startswith("do_syscall_64+") for f in st["kernel_stack_id"]):
            getppid += v
    return calls == 3 and getppid == 11


class Fail(Exception):
    pass


def wait_line(path, pattern, timeout, proc=None):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with open(path, errors="replace") as f:
                if any(re.search(pattern, line) for line in f):
                    return
        except FileNotFoundError:
            pass
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.02)
    try:
        tail = open(path, errors="replace").read()[-3000:]
    except FileNotFoundError:
        tail = ""
    raise Fail("no line /%s/ in %s%s; it holds:\n%s" % (
        pattern, os.path.basename(path),
        " (the process ended, status %s)" % proc.returncode if proc and proc.poll() is not None
        else " after %d s" % timeout, tail))


class Workload:
    """bcc-conf-wl MODE: started first, so its pid is known to the tracer;
    kept alive after its work until stop(), so that its stacks can be
    symbolized. pids: its own and its children's (fork mode)."""

    def __init__(self, helpers, mode, work):
        self.out = os.path.join(work, "workload.out")
        self.proc = subprocess.Popen([os.path.join(helpers, "bcc-conf-wl"), mode],
                                     stdout=open(self.out, "w"))
        wait_line(self.out, r"^pid = \d+", 10, self.proc)
        self.pids = [int(open(self.out).read().split()[2])]

    def run(self):
        self.proc.send_signal(signal.SIGUSR1)
        wait_line(self.out, r"^done$", 20, self.proc)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait()


def run_one(kind, case, name, bindir, helpers, work, cache):
    """One run: workload started, tracer attached, workload run, tracer
    stopped. Returns (stdout lines, stderr text, workload pids, seconds)."""
    text = os.path.join(CASES_DIR, name + ".bpf.c")
    wl_bin = os.path.join(helpers, "bcc-conf-wl")
    t0 = time.time()
    wl = Workload(helpers, case["mode"], work)
    pid = wl.pids[0]
    out = os.path.join(work, "%s.%s.out" % (name, kind))
    err = os.path.join(work, "%s.%s.err" % (name, kind))
    try:
        if kind == "python":
            spec = {"text": text, "pid": pid, "probes": [],
                    "stack_keys": case.get("stack_keys", [])}
            for p in case["probes"]:
                p = dict(p)
                if p.get("binary") == WL:
                    p["binary"] = wl_bin
                spec["probes"].append(p)
            spec_path = os.path.join(work, name + ".spec.json")
            json.dump(spec, open(spec_path, "w"))
            cmd = ["/usr/bin/python3", os.path.join(HERE, "pybcc.py"), spec_path]
            env = dict(os.environ)
            ready = r"^pybcc: ready:"
        else:
            cmd = [os.path.join(bindir, "bcc-run"), text, "--json"]
            if any(p.get("pid") for p in case["probes"]):
                cmd += ["-p", str(pid)]
            for p in case["probes"]:
                k = p["kind"]
                if k in ("uprobe", "uretprobe"):
                    b = wl_bin if p["binary"] == WL else p["binary"]
                    cmd += ["-u" if k == "uprobe" else "-U", "%s:%s:%s" % (b, p["sym"], p["fn"])]
                elif k == "tracepoint":
                    cmd += ["-t", "%s:%s:%s" % (p["category"], p["event"], p["fn"])]
                elif k == "usdt":
                    cmd += ["--usdt", "%d:%s:%s:%s" % (pid, p["provider"], p["probe"], p["fn"])]
            env = dict(os.environ, BCC_C_CACHE_DIR=cache, BCC_C_VERBOSE="1")
            ready = r"^bcc-run: ready:"
        tracer = subprocess.Popen(cmd, stdout=open(out, "w"), stderr=open(err, "w"), env=env)
        try:
            wait_line(err, ready, 60, tracer)
            wl.run()
        finally:
            if tracer.poll() is None:
                tracer.send_signal(signal.SIGINT)
            try:
                tracer.wait(timeout=60)
            except subprocess.TimeoutExpired:
                tracer.terminate()  # never SIGKILL a tracer: it may leak a uprobe
                tracer.wait()
    finally:
        wl.stop()
    errtext = open(err, errors="replace").read()
    if tracer.returncode != 0:
        raise Fail("%s exited %d: %s" % (" ".join(cmd), tracer.returncode, errtext[-3000:]))
    lines = []
    for line in open(out, errors="replace"):
        line = line.strip()
        if line:
            try:
                lines.append(json.loads(line))
            except ValueError as e:
                raise Fail("%s printed a line that is not JSON (%s): %s" % (kind, e, line))
    return lines, errtext, wl.pids, time.time() - t0


def norm_value(v, pids, key=None):
    """pid-like fields of the workload become "WL"."""
    if isinstance(v, dict):
        return {k: norm_value(x, pids, k) for k, x in v.items()}
    if isinstance(v, list):
        return [norm_value(x, pids) for x in v]
    if key and ("pid" in key or key in ("tgid", "tid")) and isinstance(v, int) and v in pids:
        return "WL"
    return v


def normalize(lines, pids, case):
    ignore = set(case.get("ignore", []))
    skip = case.get("skip_tables", {})
    top = case.get("stack_top", 3)
    eph = case.get("ephemeral_port")
    n = {"tables": {}, "hists": {}, "events": {}, "trace": []}

    def strip(d):
        d = {k: v for k, v in d.items() if k not in ignore}
        if eph:
            for k in ("lport", "dport", "sport"):
                if k in d and d[k] != eph:
                    d[k] = "EPH"
        return norm_value(d, pids)

    def stacks(st):
        return {k: v[:top] for k, v in sorted(st.items())}

    for rec in lines:
        t = rec.get("type")
        if t == "event":
            d = strip(rec["data"])
            if "stacks" in rec:
                d["stacks"] = stacks(rec["stacks"])
                d.update({m: "ID" if d[m] >= 0 else d[m] for m in rec["stacks"]})
            n["events"].setdefault(rec["table"], []).append(d)
        elif t == "trace":
            if rec["comm"] == "bcc-conf-wl" or rec["pid"] in pids:
                n["trace"].append(rec["message"])
        elif t == "table":
            if rec["name"] in skip:
                continue
            entries = []
            for e in rec["entries"]:
                k = e["key"]
                k = strip(k) if isinstance(k, dict) else norm_value(k, pids)
                if rec["name"] in case.get("stack_keys", []):
                    # the key is a stack id: its number differs from run to run
                    k = {"key": "ID", "stacks": stacks(e["stacks"])} if "stacks" in e else \
                        {"key": "ID"}
                elif "stacks" in e:
                    k = dict(k, stacks=stacks(e["stacks"]))
                    k.update({m: "ID" if k[m] >= 0 else k[m] for m in e["stacks"]})
                v = e["value"]
                if "per_cpu" in e:
                    if sum(e["per_cpu"]) != v:
                        raise Fail("table %s: a per-CPU sum %s is not the sum of %s" %
                                   (rec["name"], v, e["per_cpu"]))
                    v = {"sum": v, "ncpus": len(e["per_cpu"])}
                elif isinstance(v, dict):
                    v = strip(v)
                entries.append([k, v])
            n["tables"][rec["name"]] = sorted(entries, key=lambda e: json.dumps(e, sort_keys=True))
        elif t == "histogram":
            def nz(bk):
                return {str(i): b["count"] for i, b in enumerate(bk) if b["count"]}
            if rec["name"] in case.get("hist_total", []):
                if "sections" in rec:
                    total = sum(b["count"] for s in rec["sections"] for b in s["buckets"])
                else:
                    total = sum(b["count"] for b in rec["buckets"])
                n["hists"][rec["name"]] = total
            elif "sections" in rec:
                secs = [[strip(s["section"]), nz(s["buckets"])] for s in rec["sections"]]
                n["hists"][rec["name"]] = sorted(secs, key=lambda s: json.dumps(s, sort_keys=True))
            else:
                n["hists"][rec["name"]] = nz(rec["buckets"])
    for k in n["events"]:
        n["events"][k].sort(key=lambda d: json.dumps(d, sort_keys=True))
    return n


def diff(a, b, path=""):
    """Where a and b differ, as readable lines."""
    if type(a) is not type(b):
        return ["%s: %r != %r" % (path or "/", a, b)]
    if isinstance(a, dict):
        res = []
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                res.append("%s/%s: only in the second: %r" % (path, k, b[k]))
            elif k not in b:
                res.append("%s/%s: only in the first: %r" % (path, k, a[k]))
            else:
                res += diff(a[k], b[k], "%s/%s" % (path, k))
        return res
    if isinstance(a, list):
        if len(a) != len(b):
            return ["%s: %d items != %d items:\n      %s\n      %s" % (
                path or "/", len(a), len(b), json.dumps(a)[:1500], json.dumps(b)[:1500])]
        res = []
        for i, (x, y) in enumerate(zip(a, b)):
            res += diff(x, y, "%s[%d]" % (path, i))
        return res
    return [] if a == b else ["%s: %r != %r" % (path or "/", a, b)]


def probe_events():
    """The uprobe and kprobe events in tracefs (libbcc makes one per probe
    and removes it at detach)."""
    lines = set()
    for f in ("uprobe_events", "kprobe_events"):
        try:
            with open(os.path.join("/sys/kernel/tracing", f)) as fh:
                lines |= set(fh.read().splitlines())
        except OSError:
            pass
    return lines


def run_case(name, case, bindir, helpers, work):
    before = probe_events()
    cache = tempfile.mkdtemp(prefix="cache.", dir=work)
    os.chmod(cache, 0o700)
    times = {}
    norms = {}
    problems = []
    for kind in ("cold", "warm", "python"):
        lines, err, pids, secs = run_one(kind, case, name, bindir, helpers, work, cache)
        times[kind] = secs
        if kind != "python":
            want = "compiled" if kind == "cold" else "loaded from the compile cache"
            if "': %s" % want not in err:
                problems.append("the %s run of bcc-run did not say '%s':\n    %s" % (
                    kind, want, err[-2000:]))
            quiet = [l for l in err.splitlines()
                     if not re.match(r"bcc-run: (ready:|'.*': (compiled|loaded from)|"
                                     r"uprobe .* IFUNC|.*IFUNC)", l)]
            if quiet:
                print("  [%s] bcc-run said on stderr:\n    %s" % (kind, "\n    ".join(quiet)))
        norms[kind] = normalize(lines, pids, case)
        if SHOW:
            print("  [%s] %s" % (kind, json.dumps(norms[kind], sort_keys=True)))
    # problems that fail the case whatever it is known for, and bcc-run's
    # differences from what the workload did and from Python bcc
    differs = []
    for kind in ("python", "cold", "warm"):
        where = problems if kind == "python" else differs
        try:
            good = case["expect"](norms[kind])
        except (KeyError, IndexError, TypeError, AttributeError) as e:
            good = False
            where.append("%s: the check of the workload's output failed on %r" % (kind, e))
        if not good:
            where.append("%s did not see what the workload did:\n    %s" % (
                kind, json.dumps(norms[kind], sort_keys=True)[:3000]))
    d = diff(norms["python"], norms["cold"])
    if d:
        differs.append("Python bcc (first) and bcc-run cold (second) differ:\n    " + "\n    ".join(d))
    d = diff(norms["cold"], norms["warm"])
    if d:
        problems.append("bcc-run cold (first) and warm (second) differ:\n    " + "\n    ".join(d))
    shutil.rmtree(cache, ignore_errors=True)
    left = probe_events() - before
    if left:
        problems.append("probe events left behind:\n    " + "\n    ".join(sorted(left)))
    known = case.get("known_difference")
    if problems or (differs and not known):
        return "fail", problems + differs, times
    if known and not differs:
        return "fail", ["bcc-run no longer shows the known difference (%s): remove it from the "
                        "case and from README.md" % known], times
    if known:
        return "skip", ["known difference: " + known] + differs, times
    return "ok", [], times


SHOW = False


def main():
    global SHOW
    if sys.argv[1:2] == ["--show"]:
        SHOW = True
        del sys.argv[1]
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    bindir, helpers = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    names = sys.argv[3:] or list(CASES)
    texts = sorted(f[:-len(".bpf.c")] for f in os.listdir(CASES_DIR) if f.endswith(".bpf.c"))
    if texts != sorted(CASES) or not set(names) <= set(CASES):
        print("FAIL: cases/*.bpf.c (%s), suite.py's CASES (%s) and the cases asked for (%s) "
              "do not match" % (" ".join(texts), " ".join(sorted(CASES)), " ".join(names)))
        return 1
    if os.geteuid() != 0:
        print("SKIP: the conformance suite loads BPF programs: run it as root")
        return SKIP
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import bcc"], check=True,
                       stderr=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, FileNotFoundError):
        print("SKIP: Python bcc (python3-bpfcc) is not installed: nothing to compare with")
        return SKIP
    work = tempfile.mkdtemp(prefix="bcc-conf.")
    failed, skipped = [], []
    t0 = time.time()
    try:
        for name in names:
            case = CASES[name]
            c0 = time.time()
            why = case.get("needs", lambda: None)()
            if why:
                skipped.append(name)
                print("SKIP %-18s %s" % (name, why))
                continue
            try:
                status, problems, times = run_case(name, case, bindir, helpers, work)
            except Fail as e:
                status, problems, times = "fail", [str(e)], {}
            secs = time.time() - c0
            detail = " ".join("%s %.2fs" % kv for kv in times.items())
            print("%-4s %-18s %5.1fs (%s)" % (status.upper() if status != "ok" else "ok",
                                              name, secs, detail))
            for p in problems:
                print("  " + p)
            if status == "fail":
                failed.append(name)
            elif status == "skip":
                skipped.append(name)
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d case(s), %d failed, %d skipped, %.1f s in all" % (
        len(names), len(failed), len(skipped), time.time() - t0))
    if failed:
        return 1
    return SKIP if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
