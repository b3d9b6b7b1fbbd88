#!/usr/bin/python3
"""bcc-c against Python bcc, measured in one run on this host (make bench).

Start-up: wall time from exec to attached (the first output line), and peak RSS,
median of RUNS runs; bcc-c cold (--no-cache: clang every time) and warm
(compile cache hit), Python bcc (which compiles every time). Texts that
cannot attach here (kprobes) are timed compile+load.
Throughput: target-sample calls func() COUNT times as fast as it can, a
uprobe sends one perf event per call; then getppid() calls send one, and
BURST, tracepoint events each; last, getppid() paced at the rate Python
bcc's default consumer reached. Delivered and lost events of bcc-c's
consumer and of Python's (bcc's default of a wakeup per event, and
WAKEUP events per wakeup), at 8 and 64 pages per CPU.
Metrics: bcc-run --metrics with a table of METRICS_SERIES series while
METRICS_RATE perf events a second flow: scrape times, bcc-run's CPU, events
lost, with no scrapes and with scrapes every 1 s and 0.2 s.
Last, bcc-run's printer of a struct-keyed histogram at 10000 and 40000
entries (bench/hist_sections): the ratio of the times.
BENCH_ONLY=metrics runs only that part.
Usage: run.py BUILD_DIR"""
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
COUNT = int(os.environ.get("BENCH_EVENTS", "1000000"))
WAKEUP = 64  # the batching a Python user can ask of bcc's open_perf_buffer()
METRICS_SERIES = int(os.environ.get("BENCH_METRICS_SERIES", "10000"))
METRICS_RATE = int(os.environ.get("BENCH_METRICS_RATE", "100000"))
METRICS_EVENTS = int(os.environ.get("BENCH_METRICS_EVENTS", "1000000"))
METRICS_RUNS = int(os.environ.get("BENCH_METRICS_RUNS", "3"))
BURST = 4    # events per getppid() in one table: more than one CPU's syscalls make
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build"))
BIN, BENCH = os.path.join(BUILD, "bin"), os.path.join(BUILD, "bench")
PEER = [sys.executable, os.path.join(TOP, "bench", "py", "peer.py")]
TEXT = lambda name: os.path.join(TOP, "tools", name, name + ".bpf.c")


def measure(cmd):
    """(seconds to attached, peak RSS in MB) of one run of cmd, which must
    succeed. Attached is the first line on stdout: the tools print their
    header once attached, the helpers and peers print "ready"; what the
    kernel takes to remove the probes at exit is left out for both."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.readline()
    elapsed = time.perf_counter() - t0
    p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    err = p.stderr.read().decode()
    p.stdout.close()
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), err))
    return elapsed, usage.ru_maxrss / 1024.0


def median(cmd):
    runs = [measure(cmd) for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def startup_cases():
    """(name, bcc-c command, Python peer command, the uprobe it places
    first as (NAME, SYMBOL) or None)."""
    target = os.path.join(BIN, "target-sample")
    yield ("uprobe_simple", [os.path.join(BIN, "uprobe_simple"), "-d", "0"],
           PEER + ["uprobe_simple", TEXT("uprobe_simple"), target], (target, "func"))
    yield ("strlen_snoop_simple", [os.path.join(BIN, "strlen_snoop_simple"), "-d", "0"],
           PEER + ["strlen_snoop_simple", TEXT("strlen_snoop_simple")], ("c", "strlen"))
    yield ("opensnoop_simple (tracepoints)",
           [os.path.join(BIN, "opensnoop_simple"), "--probe", "tracepoint", "-d", "0"],
           PEER + ["opensnoop", TEXT("opensnoop_simple")], None)
    for name, flags in (("tcpv4connect_simple", []), ("tcpv4connect_args", []),
                        ("tcpv4connect", []), ("unlinksnoop", []),
                        ("opensnoop_simple", ["-DPROBE_KPROBE", "-DOPENAT2"])):
        yield (name + " (compile+load)",
               [os.path.join(BENCH, "compile_load"), TEXT(name)] + flags,
               PEER + ["compile_load", TEXT(name)] + flags, None)


def uprobe_register_ms(uprobe):
    """Milliseconds the kernel takes to register the first uprobe
    (perf_event_open alone), in RUNS fresh processes like the tools'."""
    return sorted(float(subprocess.run([os.path.join(BENCH, "uprobe_register")] + list(uprobe),
                                       check=True, capture_output=True, text=True).stdout)
                  for _ in range(RUNS))


def no_cache(cmd):
    if os.path.basename(cmd[0]) == "compile_load":
        return cmd[:1] + ["--no-cache"] + cmd[1:]
    return cmd + ["--no-cache"]


def startup():
    print("## Start to attached (median of %d runs)\n" % RUNS)
    print("| program | Python bcc | bcc-c cold | bcc-c warm | cold/Py | warm/Py "
          "| RSS Py | RSS cold | RSS warm | RSS warm/Py |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    kernel = []
    for name, ours, peer, uprobe in startup_cases():
        py = median(peer)
        cold = median(no_cache(ours))
        measure(ours)  # make sure the cache holds it
        warm = median(ours)
        print("| %s | %.3f s | %.3f s | %.4f s | %.2f | 1/%.0f | %.0f MB | %.0f MB | %.1f MB | 1/%.0f |"
              % (name, py[0], cold[0], warm[0], cold[0] / py[0], py[0] / warm[0],
                 py[1], cold[1], warm[1], py[1] / warm[1]), flush=True)
        if uprobe:
            kernel.append((name, uprobe_register_ms(uprobe)))
    print("\n## The kernel's part of a uprobe start (%d runs)\n" % RUNS)
    print("Both tools wait while the kernel registers the first uprobe (perf_event_open,"
          " timed alone by bench/uprobe_register).\n")
    print("| program | median | min | max |")
    print("|---|---|---|---|")
    for name, ms in kernel:
        print("| %s | %.1f ms | %.1f ms | %.1f ms |"
              % (name, statistics.median(ms), ms[0], ms[-1]), flush=True)


def consumers(text, binary, pages, flags):
    """(label, command) of each consumer of one run: Python bcc as the
    tutorials use it (a wakeup per event), Python bcc told to batch its
    wakeups, and bcc-c (which batches by default)."""
    args = [text, binary, str(pages), str(COUNT)]
    return (("Python bcc", PEER + ["consume"] + args + ["1"] + flags),
            ("Python bcc, wakeup_events=%d" % WAKEUP, PEER + ["consume"] + args + [str(WAKEUP)] + flags),
            ("bcc-c", [os.path.join(BENCH, "perf_consumer")] + args + flags))


def started(cmd):
    c = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    if c.stdout.readline().strip() != "ready":
        sys.exit("consumer did not start: " + " ".join(cmd))
    return c


def finished(c):
    """(received, lost, seconds from the first event to the last)."""
    out = c.stdout.read().split()
    c.wait()
    return int(out[1]), int(out[3]), float(out[5])


def uprobe_runs(pages):
    """target-sample calls func() COUNT times under the consumer's uprobe."""
    text = os.path.join(TOP, "bench", "throughput.bpf.c")
    # a private copy: no other target-sample on the host fires the probe
    target = os.path.join(BUILD, "bench", "target-sample.bench")
    shutil.copy(os.path.join(BIN, "target-sample"), target)
    for who, cmd in consumers(text, target, pages, []):
        c = started(cmd)
        t0 = time.perf_counter()
        subprocess.run([target, "-i", "0", "-n", str(COUNT)], check=True,
                       stdout=subprocess.DEVNULL)
        rate = COUNT / (time.perf_counter() - t0)
        yield who, finished(c) + (rate,)


def syscall_runs(pages, burst, pace=0):
    """syscall_load calls getppid() COUNT/burst times, as fast as it can or
    pace times a second; the text sends burst events per call. The
    producer starts first: its pid goes into the text."""
    text = os.path.join(TOP, "bench", "throughput_tp.bpf.c")
    for i in range(len(consumers(text, "-", pages, []))):
        prod = subprocess.Popen([os.path.join(BENCH, "syscall_load"), str(COUNT // burst),
                                 str(pace)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        flags = ["-DTGID=" + prod.stdout.readline().split()[1], "-DBURST=%d" % burst]
        who, cmd = consumers(text, "-", pages, flags)[i]
        c = started(cmd)
        prod.stdin.write("go\n")
        prod.stdin.flush()
        rate = float(prod.stdout.readline().split()[1]) * burst
        prod.wait()
        yield who, finished(c) + (rate,)


def throughput(title, runs, page_counts=(8, 64)):
    """Prints one table; returns {(pages, consumer): (received, lost,
    seconds, produced/s)}."""
    print("\n## Perf buffer throughput: %s\n" % title)
    print("| pages | consumer | produced/s | received | lost | delivered/s | delivered/s vs Py |")
    print("|---|---|---|---|---|---|---|")
    rows = {}
    for pages in page_counts:
        py_rate = None
        for who, row in runs(pages):
            received, lost, seconds, rate = rows[pages, who] = row
            delivered = received / max(seconds, 1e-9)
            py_rate = py_rate or delivered
            print("| %d | %s | %.0f | %d | %d | %.0f | %.1fx |"
                  % (pages, who, rate, received, lost, delivered, delivered / py_rate), flush=True)
    return rows


def cpu_seconds(pid):
    """User + system CPU seconds process pid has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def metrics_run(scrape_every):
    """bcc-run --metrics on bench/metrics.bpf.c while syscall_load makes
    METRICS_EVENTS events at METRICS_RATE a second, scraped every
    scrape_every seconds (0: only once, after the load). Returns (produced/s,
    events counted, lost, bcc-run CPU %, [scrape seconds], series)."""
    import urllib.request
    prod = subprocess.Popen([os.path.join(BENCH, "syscall_load"), str(METRICS_EVENTS),
                             str(METRICS_RATE)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    tgid = prod.stdout.readline().split()[1]
    run = subprocess.Popen([os.path.join(BIN, "bcc-run"), os.path.join(TOP, "bench", "metrics.bpf.c"),
                            "-DTGID=" + tgid, "-DSERIES=%d" % METRICS_SERIES,
                            "--metrics", "127.0.0.1:0"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = run.stderr.readline()
    while line and "ready:" not in line:
        line = run.stderr.readline()
    if "metrics on " not in line:
        sys.exit("bcc-run did not start: " + line)
    url = line.split("metrics on ")[1].split()[0].rstrip(";")

    def scrape():
        t0 = time.perf_counter()
        body = urllib.request.urlopen(url, timeout=10).read().decode()
        return time.perf_counter() - t0, body

    cpu0, t0 = cpu_seconds(run.pid), time.perf_counter()
    prod.stdin.write("go\n")
    prod.stdin.flush()
    times = []
    while scrape_every and prod.poll() is None:
        times.append(scrape()[0])
        time.sleep(scrape_every)
    rate = float(prod.stdout.readline().split()[1])
    prod.wait()
    time.sleep(0.3)  # the last events reach the reader
    cpu = (cpu_seconds(run.pid) - cpu0) / (time.perf_counter() - t0) * 100
    last, body = scrape()
    times = times or [last]
    run.send_signal(2)
    run.communicate()
    value = lambda name: sum(float(l.split()[-1]) for l in body.splitlines() if l.startswith(name))
    return (rate, int(value('bcc_run_events_total{table="events"}')),
            int(value('bcc_run_events_lost_total{table="events"}')), cpu, times,
            sum(1 for l in body.splitlines() if l.startswith("bcc_series{")))


def metrics_bench():
    print("\n## bcc-run --metrics: %d series scraped while %d perf events/s flow\n"
          % (METRICS_SERIES, METRICS_RATE))
    print("%d events of bench/metrics.bpf.c (a table of %d series keyed by a struct, and"
          " a perf output), bcc-run's stdout to /dev/null.\n" % (METRICS_EVENTS, METRICS_SERIES))
    print("Median of %d runs by events lost.\n" % METRICS_RUNS)
    print("| scrapes | produced/s | events counted | lost | bcc-run CPU | scrapes done |"
          " scrape median | scrape max | series |")
    print("|---|---|---|---|---|---|---|---|---|")
    cases = ((0, "none during the load"), (1.0, "every 1 s"), (0.2, "every 0.2 s"))
    # interleaved, METRICS_RUNS times: on a shared 2-CPU host a neighbour's
    # build costs events too; the median of each case is printed
    runs = {every: [] for every, _ in cases}
    for _ in range(METRICS_RUNS):
        for every, _ in cases:
            runs[every].append(metrics_run(every))
    for every, label in cases:
        rs = sorted(runs[every], key=lambda r: r[2])
        rate, counted, lost, cpu, times, series = rs[len(rs) // 2]
        print("| %s | %.0f | %d | %d (runs: %s) | %.0f%% | %d | %.1f ms | %.1f ms | %d |"
              % (label, rate, counted, lost, " ".join(str(r[2]) for r in runs[every]), cpu,
                 len(times) if every else 0, statistics.median(times) * 1e3,
                 max(times) * 1e3, series), flush=True)
    print("\nLoad average after the runs: %s (other work on the host)"
          % " ".join(open("/proc/loadavg").read().split()[:3]))


def hist_bench():
    """bcc-run's printer of a struct-keyed histogram at n and 4n entries: the
    ratio of the times says how it grows (4: n log n, 16: n^2)."""
    out = subprocess.run([os.path.join(BENCH, "hist_sections"), "10000"], check=True,
                         capture_output=True, text=True).stdout.strip()
    print("\n## Printing a histogram keyed by a struct (no kernel)\n\n%s" % out)


def main():
    if os.environ.get("BENCH_ONLY") == "metrics":
        metrics_bench()
        return
    print("# bcc-c vs Python bcc\n")
    print("Host: %s, %s, %d CPUs, kernel %s; libbcc 0.26 (Debian); %s\n"
          % (platform.node(), platform.machine(), os.cpu_count(), platform.release(),
             time.strftime("%Y-%m-%d")))
    startup()
    throughput("%d uprobe events, one per call of func(), as fast as possible" % COUNT,
               uprobe_runs)
    rows = throughput("%d getppid() tracepoint events, one per call, as fast as possible"
                      % COUNT, lambda pages: syscall_runs(pages, 1))
    throughput("%d getppid() tracepoint events, %d per call, as fast as possible"
               % (COUNT, BURST), lambda pages: syscall_runs(pages, BURST))
    # the rate Python bcc's default consumer reached above, where it may lose
    pace = round(rows[8, "Python bcc"][3], -3)
    throughput("%d getppid() tracepoint events, paced at %d a second (Python bcc's own"
               " rate at 8 pages above)" % (COUNT, pace),
               lambda pages: syscall_runs(pages, 1, pace), page_counts=(8,))
    metrics_bench()
    hist_bench()


if __name__ == "__main__":
    main()
