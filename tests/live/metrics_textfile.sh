#!/usr/bin/env bash
# bcc-run --metrics-textfile read back by a real node_exporter (its own
# instance, textfile collector only, on a free loopback port): the exec
# counter of examples/exec_count.bpf.c with the workload's comm. With
# --watch, the tables of a saved edit replace the old ones; saving the
# first text again takes it from the compile cache, whose type
# descriptions still give the labels. At exit the file is removed.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/metrics_lib.sh"
command -v prometheus-node-exporter >/dev/null ||
	{ echo "SKIP: no prometheus-node-exporter (scripts/setup-host installs it)"; exit 77; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait; rm -rf "$work"' EXIT
before=$(snapshot)
mkdir "$work/tf"
cp "$TOP/examples/exec_count.bpf.c" "$work/ex.bpf.c"
cp "$work/ex.bpf.c" "$work/first.bpf.c"

nport=$(free_port)
node=http://127.0.0.1:$nport/metrics
prometheus-node-exporter --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$work/tf" --web.listen-address="127.0.0.1:$nport" \
	> "$work/node.log" 2>&1 &
nodep=$!

"$BIN/bcc-run" "$work/ex.bpf.c" --metrics-textfile "$work/tf" --interval 1 --watch \
	> "$work/out" 2> "$work/err" &
runner=$!
wait_for "$work/err" "^bcc-run: ready: .*metrics in $work/tf/bcc_run_ex\.prom every 1 s" 60 $runner ||
	exit 1
[ -f "$work/tf/bcc_run_ex.prom" ] || note_fail "no $work/tf/bcc_run_ex.prom once ready"

# node_exporter value of a series (a line of its /metrics), or "none"
series() { http_get "$node" | awk -v s="$1" '$1 == s { v = $2 } END { print v == "" ? "none" : v }'; }

comm=mxsh$((RANDOM % 10000))
cp /bin/dash "$work/$comm"
"$work/$comm" -c 'i=0; while [ $i -lt 7 ]; do /bin/true; i=$((i + 1)); done'
v=$(wait_value '$1 == 7' 15 series "bcc_exec_count_total{comm=\"$comm\"}") ||
	{ note_fail "node_exporter: bcc_exec_count_total{comm=\"$comm\"} is $v, not 7"; tail "$work/node.log"; }
v=$(series bcc_run_up)
[ "$v" = 1 ] || note_fail "node_exporter: bcc_run_up is $v"

# --watch: the edit's table replaces the old one
sed 's/exec_count/exec2_count/g' "$work/first.bpf.c" > "$work/ex.new"
mv "$work/ex.new" "$work/ex.bpf.c"
wait_for "$work/err" "^bcc-run: ready: reloaded" 60 $runner
"$work/$comm" -c 'i=0; while [ $i -lt 3 ]; do /bin/true; i=$((i + 1)); done'
v=$(wait_value '$1 == 3' 15 series "bcc_exec2_count_total{comm=\"$comm\"}") ||
	note_fail "--watch: bcc_exec2_count_total{comm=\"$comm\"} is $v, not 3"
v=$(series "bcc_exec_count_total{comm=\"$comm\"}")
[ "$v" = none ] || note_fail "--watch: the old table is still exported ($v)"

# the first text again: from the compile cache, labels from its types
cp "$work/first.bpf.c" "$work/ex.new"
mv "$work/ex.new" "$work/ex.bpf.c"
wait_for "$work/err" "^bcc-run: ready: reloaded" 60 $runner 2
"$work/$comm" -c 'i=0; while [ $i -lt 2 ]; do /bin/true; i=$((i + 1)); done'
v=$(wait_value '$1 == 2' 15 series "bcc_exec_count_total{comm=\"$comm\"}") ||
	note_fail "cache: bcc_exec_count_total{comm=\"$comm\"} is $v, not 2"
v=$(series bcc_run_cache_hit)
[ "$v" = 1 ] || note_fail "cache: bcc_run_cache_hit is $v, not 1"

kill -INT $runner
wait $runner || note_fail "bcc-run exited $?: $(tail -5 "$work/err")"
[ -e "$work/tf/bcc_run_ex.prom" ] && note_fail "the textfile is left after exit"
[ -z "$(ls -A "$work/tf")" ] || note_fail "files left in the textfile directory: $(ls -A "$work/tf")"
stop_pid $nodep
check_clean "$before" "bcc-run --metrics-textfile"
exit $fail
