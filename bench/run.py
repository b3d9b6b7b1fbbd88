#!/usr/bin/python3
"""bcc-c against Python bcc, measured in one run on this host (make bench).

Start-up: wall time from exec to attached (the first output line), and peak RSS,
median of RUNS runs; bcc-c cold (--no-cache: clang every time) and warm
(compile cache hit), Python bcc (which compiles every time). Texts that
cannot attach here (kprobes) are timed compile+load.
Throughput: target-sample calls func() COUNT times as fast as it can, a
uprobe sends one perf event per call; delivered and lost events of the C
consumer and of Python's, at 8 and 64 pages per CPU.
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
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build"))
BIN, BENCH = os.path.join(BUILD, "bin"), os.path.join(BUILD, "bench")
PEER = [sys.executable, os.path.join(TOP, "bench", "py", "peer.py")]
TEXT = lambda name: os.path.join(TOP, "bpf_text", name + ".bpf.c")


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
    target = os.path.join(BIN, "target-sample")
    yield ("uprobe_simple", [os.path.join(BIN, "uprobe_simple"), "-d", "0"],
           PEER + ["uprobe_simple", TEXT("uprobe_simple"), target])
    yield ("strlen_snoop_simple", [os.path.join(BIN, "strlen_snoop_simple"), "-d", "0"],
           PEER + ["strlen_snoop_simple", TEXT("strlen_snoop_simple")])
    yield ("opensnoop_simple (tracepoints)",
           [os.path.join(BIN, "opensnoop_simple"), "--probe", "tracepoint", "-d", "0"],
           PEER + ["opensnoop", TEXT("opensnoop_simple")])
    for name, flags in (("tcpv4connect_simple", []), ("tcpv4connect_args", []),
                        ("tcpv4connect", []), ("unlinksnoop", []),
                        ("opensnoop_simple", ["-DPROBE_KPROBE", "-DOPENAT2"])):
        yield (name + " (compile+load)",
               [os.path.join(BENCH, "compile_load"), TEXT(name)] + flags,
               PEER + ["compile_load", TEXT(name)] + flags)


def no_cache(cmd):
    if os.path.basename(cmd[0]) == "compile_load":
        return cmd[:1] + ["--no-cache"] + cmd[1:]
    return cmd + ["--no-cache"]


def startup():
    print("## Start to attached (median of %d runs)\n" % RUNS)
    print("| program | Python bcc | bcc-c cold | bcc-c warm | cold/Py | warm/Py "
          "| RSS Py | RSS cold | RSS warm | RSS warm/Py |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, ours, peer in startup_cases():
        py = median(peer)
        cold = median(no_cache(ours))
        measure(ours)  # make sure the cache holds it
        warm = median(ours)
        print("| %s | %.3f s | %.3f s | %.4f s | %.2f | 1/%.0f | %.0f MB | %.0f MB | %.1f MB | 1/%.0f |"
              % (name, py[0], cold[0], warm[0], cold[0] / py[0], py[0] / warm[0],
                 py[1], cold[1], warm[1], py[1] / warm[1]), flush=True)


def consume(cmd, target):
    """Runs a consumer and the producer; returns (received, lost, seconds, producer rate)."""
    c = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    if c.stdout.readline().strip() != "ready":
        sys.exit("consumer did not start: " + " ".join(cmd))
    t0 = time.perf_counter()
    subprocess.run([target, "-i", "0", "-n", str(COUNT)], check=True, stdout=subprocess.DEVNULL)
    produced_in = time.perf_counter() - t0
    out = c.stdout.read().split()
    c.wait()
    received, lost, seconds = int(out[1]), int(out[3]), float(out[5])
    return received, lost, seconds, COUNT / produced_in


def consume_syscalls(cmd_for):
    """The getppid() source: start the producer first (its pid goes into
    the consumer's text), then the consumer, then let the producer go."""
    prod = subprocess.Popen([os.path.join(BENCH, "syscall_load"), str(COUNT)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    pid = prod.stdout.readline().split()[1]
    c = subprocess.Popen(cmd_for(pid), stdout=subprocess.PIPE, text=True)
    if c.stdout.readline().strip() != "ready":
        sys.exit("consumer did not start")
    prod.stdin.write("go\n")
    prod.stdin.flush()
    rate = float(prod.stdout.readline().split()[1])
    prod.wait()
    out = c.stdout.read().split()
    c.wait()
    return int(out[1]), int(out[3]), float(out[5]), rate


def throughput_row(pages, who, row, py_rate):
    received, lost, seconds, rate = row
    delivered = received / max(seconds, 1e-9)
    print("| %d | %s | %.0f | %d | %d | %.0f | %.1fx |"
          % (pages, who, rate, received, lost, delivered, delivered / py_rate), flush=True)


def throughput_syscalls():
    text = os.path.join(TOP, "bench", "throughput_tp.bpf.c")
    print("\n## Perf buffer throughput: %d getppid() tracepoint events, as fast as possible\n"
          % COUNT)
    print("| pages | consumer | produced/s | received | lost | delivered/s | delivered/s vs Py |")
    print("|---|---|---|---|---|---|---|")
    for pages in (8, 64):
        rows = {
            "Python bcc": consume_syscalls(lambda pid: PEER + [
                "consume", text, "-", str(pages), str(COUNT), "-DTGID=" + pid]),
            "bcc-c": consume_syscalls(lambda pid: [
                os.path.join(BENCH, "perf_consumer"), text, "-", str(pages), str(COUNT),
                "-DTGID=" + pid]),
        }
        py_rate = rows["Python bcc"][0] / max(rows["Python bcc"][2], 1e-9)
        for who, row in rows.items():
            throughput_row(pages, who, row, py_rate)


def throughput():
    text = os.path.join(TOP, "bench", "throughput.bpf.c")
    # a private copy: no other target-sample on the host fires the probe
    target = os.path.join(BUILD, "bench", "target-sample.bench")
    shutil.copy(os.path.join(BIN, "target-sample"), target)
    print("\n## Perf buffer throughput: %d uprobe events, produced as fast as possible\n" % COUNT)
    print("| pages | consumer | produced/s | received | lost | delivered/s | delivered/s vs Py |")
    print("|---|---|---|---|---|---|---|")
    for pages in (8, 64):
        rows = {}
        for who, cmd in (("Python bcc", PEER + ["consume", text, target, str(pages), str(COUNT)]),
                         ("bcc-c", [os.path.join(BENCH, "perf_consumer"), text, target,
                                    str(pages), str(COUNT)])):
            rows[who] = consume(cmd, target)
        py_rate = rows["Python bcc"][0] / max(rows["Python bcc"][2], 1e-9)
        for who, row in rows.items():
            throughput_row(pages, who, row, py_rate)


def main():
    print("# bcc-c vs Python bcc\n")
    print("Host: %s, %s, %d CPUs, kernel %s; libbcc 0.26 (Debian); %s\n"
          % (platform.node(), platform.machine(), os.cpu_count(), platform.release(),
             time.strftime("%Y-%m-%d")))
    startup()
    throughput()
    throughput_syscalls()


if __name__ == "__main__":
    main()
