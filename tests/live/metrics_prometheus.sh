#!/usr/bin/env bash
# bcc-run --metrics scraped by a real Prometheus (its own instance, on a
# free loopback port, with its own config and temporary storage; never the
# packaged service): a known workload, then Prometheus' query API says the
# summed counters equal it, histogram_quantile(0.5) lands in the bucket the
# workload chose, the labels carry the workload's comm and pid, and events
# of a perf output are counted. promtool passes the raw /metrics, where
# tables whose metric names are taken (run_up, dup_count beside
# dup_count_total) are left out and named once. A request trickling a byte
# every 2 s is cut off 10 s after its connect; 20 of them and a client
# sending garbage stop neither the events nor a fresh scrape nor
# Prometheus' own. Bad --metrics input fails with one message, exit 1,
# nothing left behind.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/metrics_lib.sh"
command -v prometheus >/dev/null && command -v promtool >/dev/null ||
	{ echo "SKIP: no prometheus/promtool (scripts/setup-host installs them)"; exit 77; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait; rm -rf "$work"' EXIT
before=$(snapshot)

# the exec counter of the example, and a histogram of write sizes per
# process, a per-CPU counter and a perf output for dd's writes of 3001 bytes
cat "$TOP/examples/exec_count.bpf.c" - > "$work/mx.bpf.c" <<'EOF'
struct wkey {
	u32 pid;
	char comm[16];
	u64 slot;
};
struct wevent {
	u32 pid;
	u64 count;
};
BPF_HISTOGRAM(write_bytes, struct wkey, 10240);
BPF_PERCPU_ARRAY(writes_3001_total, u64, 1);
BPF_PERF_OUTPUT(events);
/* its metric would be bcc_run_up, bcc-run's own: it is left out */
BPF_ARRAY(run_up, u64, 1);
/* both would be bcc_dup_count_total: one is left out */
BPF_ARRAY(dup_count, u64, 1);
BPF_ARRAY(dup_count_total, u64, 1);

TRACEPOINT_PROBE(syscalls, sys_enter_write)
{
	struct wkey k = {};
	struct wevent e = {};
	int zero = 0;
	u64 *n;

	k.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&k.comm, sizeof(k.comm));
	k.slot = bpf_log2l(args->count);
	write_bytes.increment(k);
	/* dd's alone: Prometheus' WAL, written once a scrape, can take
	 * 3001 bytes too (a run counted 414) */
	if (args->count != 3001 || k.comm[0] != 'd' || k.comm[1] != 'd' || k.comm[2])
		return 0;
	n = writes_3001_total.lookup(&zero);
	if (n)
		(*n)++;
	e.pid = k.pid;
	e.count = args->count;
	events.perf_submit(args, &e, sizeof(e));
	return 0;
}
EOF

"$BIN/bcc-run" "$work/mx.bpf.c" --metrics 127.0.0.1:0 > "$work/out" 2> "$work/err" &
runner=$!
wait_for "$work/err" "^bcc-run: ready: .*metrics on http://127\.0\.0\.1:[0-9]+/metrics" 60 $runner ||
	exit 1
url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/metrics' "$work/err" | head -1)
target=${url#http://}
target=${target%/metrics}

pport=$(free_port)
prom=http://127.0.0.1:$pport
cat > "$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: bcc-run
    static_configs:
      - targets: ['$target']
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
	--web.listen-address="127.0.0.1:$pport" > "$work/prometheus.log" 2>&1 &
promp=$!
wait_value '$0 ~ /Ready/' 30 http_get "$prom/-/ready" >/dev/null ||
	{ note_fail "Prometheus never became ready:"; tail -20 "$work/prometheus.log"; }

# the workload: 25 programs started by a shell called mxsh<N>, and 400
# writes of 3001 bytes by dd (log2 slot 12: the bucket le="4095")
comm=mxsh$((RANDOM % 10000))
cp /bin/dash "$work/$comm"
"$work/$comm" -c 'i=0; while [ $i -lt 25 ]; do /bin/true; i=$((i + 1)); done'
dd if=/dev/zero of=/dev/null bs=3001 count=400 status=none &
dd=$!
wait $dd

v=$(wait_value '$1 == 25' 20 prom_query "$prom" "sum(bcc_exec_count_total{comm=\"$comm\"})") ||
	note_fail "Prometheus: sum(bcc_exec_count_total{comm=\"$comm\"}) is $v, not 25"
v=$(wait_value '$1 == 400' 20 prom_query "$prom" "bcc_write_bytes_count{pid=\"$dd\",comm=\"dd\"}") ||
	note_fail "Prometheus: bcc_write_bytes_count{pid=\"$dd\",comm=\"dd\"} is $v, not 400"
v=$(prom_query "$prom" "histogram_quantile(0.5, sum by (le) (bcc_write_bytes_bucket{pid=\"$dd\",comm=\"dd\"}))")
awk -v v="$v" 'BEGIN { exit !(v > 2047 && v <= 4095) }' ||
	note_fail "Prometheus: the median write of dd is $v, not in the bucket (2047, 4095]"
echo "median write of dd $dd: $v (bucket le=4095)"
v=$(wait_value '$1 == 400' 20 prom_query "$prom" 'sum(bcc_writes_3001_total)') ||
	note_fail "Prometheus: the per-CPU counter bcc_writes_3001_total sums to $v, not 400"
v=$(wait_value '$1 == 400' 20 prom_query "$prom" 'bcc_run_events_total{table="events"}') ||
	note_fail "Prometheus: bcc_run_events_total{table=\"events\"} is $v, not 400"
v=$(prom_query "$prom" 'up{job="bcc-run"} * on(instance) bcc_run_up')
[ "$v" = 1 ] || note_fail "Prometheus: up * bcc_run_up is $v, not 1"

http_get "$url" > "$work/metrics.txt" || note_fail "GET $url failed"
promtool check metrics < "$work/metrics.txt" > "$work/promtool.out" 2>&1 ||
	{ note_fail "promtool check metrics failed:"; sed 's/^/    /' "$work/promtool.out"; }
grep -q '^# TYPE bcc_exec_count_total counter$' "$work/metrics.txt" ||
	note_fail "/metrics: bcc_exec_count_total is not a counter"
grep -q '^# TYPE bcc_write_bytes histogram$' "$work/metrics.txt" ||
	note_fail "/metrics: bcc_write_bytes is not a histogram"
[ "$(grep -c '^# TYPE bcc_run_up ' "$work/metrics.txt")" = 1 ] ||
	note_fail "/metrics: not one bcc_run_up family: $(grep '^bcc_run_up\|# TYPE bcc_run_up' "$work/metrics.txt")"
[ "$(grep -c "table 'run_up' is not exported as metrics: its metric name 'bcc_run_up' is taken by one of bcc-run's own metrics" "$work/err")" = 1 ] ||
	note_fail "the table run_up was not named once on stderr: $(cat "$work/err")"
[ "$(grep -c "table 'dup_count\(_total\)\?' is not exported as metrics: its metric name 'bcc_dup_count_total' is taken by another table's" "$work/err")" = 1 ] ||
	note_fail "one of dup_count, dup_count_total was not named once on stderr: $(cat "$work/err")"
[ "$(grep -c '^# TYPE bcc_dup_count_total ' "$work/metrics.txt")" = 1 ] ||
	note_fail "/metrics: not one bcc_dup_count_total family"

# slowloris: a request that trickles a byte every 2 s is cut off 10 s
# after its connect (the absolute deadline), not kept alive by its bytes
host=${target%:*} port=${target#*:}
dribble "$host" "$port" 2 127.0.0.9 > "$work/slow1" 2>&1 &
slow=$!
wait_for "$work/slow1" '^holding' 10 $slow
if wait_for "$work/slow1" '^closed 127\.0\.0\.9 ' 16 $slow 2; then
	awk '$1 == "closed" && ($3 < 9.9 || $3 > 11.5) { bad = 1 } END { exit bad }' "$work/slow1" ||
		note_fail "trickling requests were not cut off 10 s after their connect: $(grep closed "$work/slow1")"
	echo "trickling requests cut off after: $(awk '$1 == "closed" { printf "%s s ", $3 }' "$work/slow1")"
fi
kill $slow 2>/dev/null
wait $slow 2>/dev/null

# 20 such clients, more than the 16 connections and the 4 an address
# may hold (16 of them from 127.0.0.1, where the scrapes come from), and
# one that sends garbage: events go on being printed and counted, and a
# fresh scrape is answered at once, within the deadline
dribble "$host" "$port" 20 127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.2 > "$work/slow2" 2>&1 &
slow=$!
/usr/bin/python3 - "$host" "$port" > "$work/clients" 2>&1 <<'PY' &
import socket, sys, time
g = socket.create_connection((sys.argv[1], int(sys.argv[2])))
g.sendall(b"\x00\xff garbage \r\n\r\n" * 100)
print("holding", flush=True)
time.sleep(60)
PY
clients=$!
wait_for "$work/slow2" '^holding' 10 $slow
wait_for "$work/clients" '^holding' 10 $clients
held=$(date +%s.%N)
printed=$(grep -c '^pid=[0-9]* count=3001$' "$work/out")
dd if=/dev/zero of=/dev/null bs=3001 count=100 status=none
wait_for "$work/out" '^pid=[0-9]* count=3001$' 5 "" $((printed + 100)) ||
	note_fail "with stalled clients, $(($(grep -c '^pid=[0-9]* count=3001$' "$work/out") - printed)) of 100 events were printed"
t0=$(date +%s.%N)
v=$(curl -s --max-time 10 "$url" | awk '$1 == "bcc_run_events_total{table=\"events\"}" { print $2 }')
t1=$(date +%s.%N)
echo "fresh scrape with 20 trickling clients: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
[ "$v" = 500 ] ||
	note_fail "with 20 trickling clients, a fresh GET /metrics (curl --max-time 10) says '$v' events, not 500"
# Prometheus' own scrapes, begun while they hold on, succeed
wait_value "\$1 > $held" 10 prom_query "$prom" 'timestamp(up{job="bcc-run"})' >/dev/null ||
	note_fail "Prometheus did not scrape while the trickling clients held on"
v=$(prom_query "$prom" 'up{job="bcc-run"}')
[ "$v" = 1 ] || note_fail "with 20 trickling clients, Prometheus' own scrape failed (up is $v)"
kill $clients $slow 2>/dev/null
wait $clients $slow 2>/dev/null

stop_pid $promp
kill -INT $runner
wait $runner || note_fail "bcc-run exited $?: $(tail -5 "$work/err")"
check_clean "$before" "bcc-run --metrics"

# the examples made for --metrics run here, and promtool passes them:
# example NAME ERE ARGS... runs example_workload, then waits for a line
# matching ERE in its /metrics
example() {
	local name=$1 family=$2 i
	shift 2
	rm -f "$work/$name.out" "$work/$name.err" # stale lines would pass wait_for (lib.sh)
	"$BIN/bcc-run" "$TOP/examples/$name.bpf.c" "$@" --metrics 127.0.0.1:0 > "$work/$name.out" \
		2> "$work/$name.err" &
	runner=$!
	wait_for "$work/$name.err" "^bcc-run: ready: .*metrics on http://" 60 $runner || return
	url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/metrics' "$work/$name.err" | head -1)
	example_workload
	for ((i = 0; i < 50; i++)); do
		http_get "$url" > "$work/$name.metrics" && grep -qE -- "$family" "$work/$name.metrics" &&
			break
		sleep 0.2
	done
	grep -qE -- "$family" "$work/$name.metrics" || note_fail "$name: no /$family/ in its /metrics"
	for ((i = 1; i < example_scrapes; i++)); do http_get "$url" > /dev/null; done
	promtool check metrics < "$work/$name.metrics" > "$work/promtool.out" 2>&1 ||
		{ note_fail "$name: promtool check metrics failed:"; sed 's/^/    /' "$work/promtool.out"; }
	kill -INT $runner
	wait $runner || note_fail "$name: bcc-run exited $?: $(tail -5 "$work/$name.err")"
}
example_scrapes=1
# a process of the test: 1000 malloc(3000), each in the bucket le="4095"
example_workload() {
	/usr/bin/python3 -c 'import ctypes, os; print(os.getpid(), flush=True)
libc = ctypes.CDLL("libc.so.6"); [libc.malloc(3000) for i in range(1000)]' > "$work/mallocer"
}
example malloc_size '^bcc_malloc_size_bytes_bucket\{pid="[0-9]+",comm="python3",le="4095"\}' \
	-u c:malloc:malloc_size
p=$(cat "$work/mallocer")
bucket() {
	awk -v s="bcc_malloc_size_bytes_bucket{pid=\"$p\",comm=\"python3\",le=\"$1\"}" \
		'$1 == s { print $2 }' "$work/malloc_size.metrics"
}
# a missing series is a failure, not an empty operand of $(( ))
hi=$(bucket 4095) lo=$(bucket 2047)
if [[ ! $hi =~ ^[0-9]+$ || ! $lo =~ ^[0-9]+$ ]]; then
	note_fail "malloc_size: no buckets le=\"4095\" ('$hi') and le=\"2047\" ('$lo') for python3 $p"
elif [ $((hi - lo)) -lt 1000 ]; then
	note_fail "malloc_size: python3 $p has $((hi - lo)) mallocs in (2047, 4095], not 1000 or more"
fi
example_workload() { "$work/$comm" -c '/bin/true'; }
example exec_count "^bcc_exec_count_total\\{comm=\"$comm\"\\} 1$"
# the cap: two comms start programs, one series is kept, the table is
# named once on stderr however many scrapes drop it
cp /bin/dash "$work/${comm}b"
example_workload() { "$work/$comm" -c '/bin/true'; "$work/${comm}b" -c '/bin/true'; }
example_scrapes=3
example exec_count '^bcc_run_series_dropped_total\{table="exec_count"\} [1-9]' --metrics-max-series 1
[ "$(grep -c '^bcc_exec_count_total{' "$work/exec_count.metrics")" = 1 ] ||
	note_fail "--metrics-max-series 1: not one series: $(grep '^bcc_exec_count_total{' "$work/exec_count.metrics")"
[ "$(grep -c "table 'exec_count' has more entries than --metrics-max-series 1" "$work/exec_count.err")" = 1 ] ||
	note_fail "--metrics-max-series 1: not said once on stderr: $(cat "$work/exec_count.err")"
example_scrapes=1
example_workload() { :; }
example syscall_latency '^bcc_syscall_latency_bucket\{nr="0",le="\+Inf"\}'
check_clean "$before" "bcc-run --metrics on the examples"

# bad input: one paragraph, exit 1, nothing attached
bad() {
	local what=$1 pattern=$2 status
	shift 2
	"$BIN/bcc-run" "$work/mx.bpf.c" "$@" -d 5 > "$work/bad.out" 2> "$work/bad.err"
	status=$?
	[ "$status" = 1 ] || note_fail "$what: exit $status, not 1"
	grep -qE -- "$pattern" "$work/bad.err" ||
		{ note_fail "$what: stderr did not say /$pattern/:"; sed 's/^/    /' "$work/bad.err"; }
	[ "$(wc -l < "$work/bad.err")" = 1 ] ||
		{ note_fail "$what: not one paragraph:"; sed 's/^/    /' "$work/bad.err"; }
	! grep -q "ready" "$work/bad.err" || note_fail "$what: it attached"
}
/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); print(s.getsockname()[1], flush=True)
time.sleep(30)' > "$work/busy" &
busy=$!
wait_for "$work/busy" '^[0-9]+$' 10 $busy
before=$(snapshot)
bad "port in use" "cannot serve metrics on '127\.0\.0\.1:$(cat "$work/busy")': another program listens on that port" \
	--metrics "127.0.0.1:$(cat "$work/busy")"
kill $busy
bad "an address not of this host" "cannot serve metrics on '192\.0\.2\.1:9435': the address is not one of this host's" \
	--metrics 192.0.2.1:9435
bad "no port" "cannot serve metrics on 'localhost': expected \[ADDR:\]PORT" --metrics localhost
bad "textfile directory missing" "cannot write metrics to the directory '$work/none': No such file or directory" \
	--metrics-textfile "$work/none"
bad "textfile directory a file" "cannot write metrics to the directory '$work/out': Not a directory" \
	--metrics-textfile "$work/out"
check_clean "$before" "bcc-run with bad --metrics input"
exit $fail
