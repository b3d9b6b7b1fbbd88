#!/usr/bin/env bash
# bcc-run on this host: each example prints what the test produced,
# --json parses, --watch reloads an edit within 2 s and survives a broken
# one, --features tells the truth, and bad input fails cleanly.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
EX=$(cd "$(dirname "$0")/../../examples" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
before=$(snapshot)

open_as() { sh -c 'echo $$ > "$1"; exec cat "$2"' sh "$1" "$2" > /dev/null 2>&1; }

path=$work/file-$RANDOM$RANDOM
echo x > "$path"

# 1. tracepoint + bpf_trace_printk; the opener (sh) lives until its line
# is printed, so its name is known even if the kernel's comm cache missed it
bcc_run_start hello "$EX/hello_tracepoint.bpf.c"
mkfifo "$work/p1.fifo"
sh -c 'echo $$ > "$1"; exec 3< "$2"; read -r x < "$3"' sh "$work/p1" "$path" "$work/p1.fifo" &
opener=$!
wait_for "$work/p1" '^[0-9]+$' 10 $opener
p=$(cat "$work/p1")
wait_for "$work/hello" " $p +openat $path$" 10 $runner
echo done > "$work/p1.fifo"
wait $opener
bcc_run_finish hello
grep -qE "^[0-9.]+ +sh +$p +openat $path$" "$work/hello" || note_fail "hello: no 'sh $p openat $path' line"

# 2. perf output struct, decoded by field names
bcc_run_start events "$EX/open_events.bpf.c"
open_as "$work/p2" "$path"
p=$(cat "$work/p2")
wait_for "$work/events" "^pid=$p " 10
bcc_run_finish events
grep -qE "^pid=$p uid=0 flags=-?[0-9]+ comm=cat fname=$path$" "$work/events" ||
	note_fail "open_events: no 'pid=$p ... comm=cat fname=$path' event"

# 2b. events still in the rings when the stop comes are printed: 50 opens,
# fewer than wake the reader, then SIGINT at once (no 50 ms flush between)
bcc_run_start burst "$EX/open_events.bpf.c"
sh -c 'echo $$ > "$1"; for i in $(seq 50); do read -r x < "$2"; done' sh "$work/p2b" "$path"
bcc_run_finish burst
p=$(cat "$work/p2b")
n=$(grep -cE "^pid=$p uid=0 flags=-?[0-9]+ comm=sh fname=$path$" "$work/burst")
[ "$n" = 50 ] || note_fail "open_events: $n of the 50 opens before the stop were printed"

# 3. the same as JSON lines
bcc_run_start json "$EX/open_events.bpf.c" --json
open_as "$work/p3" "$path"
p=$(cat "$work/p3")
wait_for "$work/json" "\"pid\":$p," 10
bcc_run_finish json
/usr/bin/python3 - "$work/json" "$p" "$path" <<'PY' || note_fail "--json: no parsable event for pid $p"
import json, sys
lines, pid, path = open(sys.argv[1]).read().splitlines(), int(sys.argv[2]), sys.argv[3]
events = [json.loads(l) for l in lines]  # every line must parse
assert any(e["type"] == "event" and e["table"] == "events" and e["data"]["pid"] == pid
           and e["data"]["fname"] == path and e["data"]["comm"] == "cat" for e in events)
PY

# 3b. a ring buffer, from a raw tracepoint
bcc_run_start ring "$EX/exec_ringbuf.bpf.c"
sh -c 'echo $$ > "$1"; exec /bin/true' sh "$work/p3b"
p=$(cat "$work/p3b")
wait_for "$work/ring" "^pid=$p " 10
bcc_run_finish ring
grep -qE "^pid=$p uid=0 comm=true$" "$work/ring" || note_fail "exec_ringbuf: no 'pid=$p uid=0 comm=true' event"

# go_after_ready NAME ARGS...: a process that writes its pid to
# $work/NAME.pid and execs ARGS once `go NAME` says so (after bcc-run is
# ready, so its whole run is traced)
go_after_ready() {
	local name=$1
	shift
	mkfifo "$work/$name.fifo"
	sh -c 'echo $$ > "$1"; read -r x < "$2"; shift 2; exec "$@"' sh \
		"$work/$name.pid" "$work/$name.fifo" "$@" > /dev/null &
	worker=$!
	wait_for "$work/$name.pid" '^[0-9]+$' 10 $worker
}
go() { echo go > "$work/$1.fifo"; wait $worker; }

# 4. uprobe on libc from the command line, BPF_HASH printed at exit; the
# options come before FILE, as in any command line tool
go_after_ready p4 ls -l /
p=$(cat "$work/p4.pid")
bcc_run_start count -u c:strlen:count -p "$p" "$EX/strlen_count.bpf.c"
go p4
bcc_run_finish count
grep -qE "^  $p: [1-9][0-9]*$" "$work/count" || note_fail "strlen_count: no count for pid $p"
[ "$(grep -cE '^  [0-9]+: ' "$work/count")" = 1 ] || note_fail "-p $p: other processes counted"

# 5. a histogram with a bucket the test controls: 7 reads of 5000 bytes
go_after_ready p5 dd if=/dev/zero of=/dev/null bs=5000 count=7 status=none
p=$(cat "$work/p5.pid")
bcc_run_start hist "$EX/read_size_hist.bpf.c" -D TGID="$p"
go p5
bcc_run_finish hist
grep -qE "^ +4096 -> 8191 +: 7 +\|\*{40}\|$" "$work/hist" || note_fail "histogram: no '4096 -> 8191 : 7' bucket"
grep -q "^     value               : count     distribution$" "$work/hist" || note_fail "histogram header"

# 6. --watch: an edit is live within 2 s; the running program stays until
# the new one is attached, and keeps running when an edit fails to compile,
# to load (the verifier), to attach, or names a probe that does not exist.
# wtext TAG [LINE [FUNCTION]]: the watched text; its events carry TAG, LINE
# goes into its probe, FUNCTION after it
wtext() {
	cat > "$work/w.tmp" <<-EOT
	#include <linux/sched.h>
	struct event { u32 pid; u32 tag; char fname[64]; };
	BPF_PERF_OUTPUT(events);
	TRACEPOINT_PROBE(syscalls, sys_enter_openat)
	{
		struct event e = {};

		e.pid = bpf_get_current_pid_tgid() >> 32;
		e.tag = $1;
		bpf_probe_read_user_str(&e.fname, sizeof(e.fname), args->filename);
		${2:-}
		events.perf_submit(args, &e, sizeof(e));
		return 0;
	}
	${3:-}
	EOT
	mv "$work/w.tmp" "$work/w.bpf.c" # as editors save: a new file in its place
}
# seen TAG: an open of $path made from now on is printed with TAG
seen() {
	local t0=$SECONDS before
	before=$(grep -c "tag=$1 fname=$path$" "$work/watch")
	until [ "$(grep -c "tag=$1 fname=$path$" "$work/watch")" -gt "$before" ]; do
		cat "$path" > /dev/null
		[ $((SECONDS - t0)) -gt 10 ] && return 1
		sleep 0.05
	done
}
# save_fails WHAT PATTERN TAG [LINE [FUNCTION]]: saving that text is
# refused with PATTERN on stderr; the program before it (tag 1) still
# prints, and bcc-run still runs
save_fails() {
	local what=$1 pattern=$2 keeps
	shift 2
	keeps=$(grep -c "keeping the previous program running" "$work/watch.err")
	wtext "$@"
	wait_for "$work/watch.err" "keeping the previous program running" 60 $runner $((keeps + 1)) ||
		note_fail "--watch, $what: no 'keeping the previous program running'"
	grep -qE -- "$pattern" "$work/watch.err" || note_fail "--watch, $what: stderr did not say /$pattern/"
	seen 1 || note_fail "--watch, $what: the previous program stopped"
	kill -0 $runner 2>/dev/null || note_fail "--watch, $what: bcc-run died"
}
wtext 1
bcc_run_start watch "$work/w.bpf.c" --watch
seen 1 || note_fail "--watch: the first text printed nothing"
t0=$(date +%s%N)
wtext 2
seen 2 || note_fail "--watch: the edit was not live after 10 s"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -le 2000 ] || note_fail "--watch: the edit took $ms ms to be live"
echo "--watch: edit live after $ms ms"
grep -qF "bcc-run: ready: reloaded '$work/w.bpf.c': 1 probe(s) attached" "$work/watch.err" ||
	note_fail "--watch: no ready line after the reload"
wtext 1
seen 1 || note_fail "--watch: the second edit was not live"
save_fails "clang" "w.bpf.c:[0-9]+:1: error: " 7 "" "this is not C"
line=$(grep -n "this is not C" "$work/w.bpf.c" | cut -d: -f1)
grep -q "w.bpf.c:$line:1: error: " "$work/watch.err" || note_fail "--watch: no error at the file's line $line"
save_fails "the verifier" "cannot load 'tracepoint__syscalls__sys_enter_openat': the kernel refused it" \
	3 "e.tag = *(u32 *)((char *)args + 100000);"
save_fails "an attach" "bcc_c_no_such_tp" 4 "" "RAW_TRACEPOINT_PROBE(bcc_c_no_such_tp) { return 0; }"
save_fails "a missing tracepoint" "no tracepoint syscalls:sys_enter_bcc_c_nosuch" 5 "" \
	"TRACEPOINT_PROBE(syscalls, sys_enter_bcc_c_nosuch) { return 0; }"
wtext 6
seen 6 || note_fail "--watch: a good save after the failures was not live"
bcc_run_finish watch

# 6b. a flood of bpf_trace_printk() from both CPUs starves nothing: -d 2
# ends in time, and perf events keep arriving during the flood
cat > "$work/flood.bpf.c" <<'EOT'
#include <linux/sched.h>
struct event { u32 pid; char fname[64]; };
BPF_PERF_OUTPUT(events);
TRACEPOINT_PROBE(syscalls, sys_enter_getppid)
{
	bpf_trace_printk("flood\n");
	return 0;
}
TRACEPOINT_PROBE(syscalls, sys_enter_openat)
{
	struct event e = { .pid = bpf_get_current_pid_tgid() >> 32 };

	bpf_probe_read_user_str(&e.fname, sizeof(e.fname), args->filename);
	events.perf_submit(args, &e, sizeof(e));
	return 0;
}
EOT
flooders=()
for _ in 1 2; do
	/usr/bin/python3 -c 'import os
while True: os.getppid()' &
	flooders+=($!)
done
bcc_run_start flood "$work/flood.bpf.c" -d 2
t0=$(date +%s%N)
opened=0
while kill -0 $runner 2>/dev/null; do
	cat "$path" > /dev/null
	opened=$((opened + 1))
	sleep 0.1
done
wait $runner || note_fail "flood: bcc-run exited $?: $(tail -3 "$work/flood.err")"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
kill "${flooders[@]}"
wait "${flooders[@]}" 2>/dev/null
n=$(grep -c "fname=$path$" "$work/flood")
echo "flood: -d 2 ended after $ms ms; $(grep -c " flood$" "$work/flood") trace lines; $n of $opened opens"
[ "$ms" -le 3000 ] || note_fail "flood: -d 2 took $ms ms"
grep -q " flood$" "$work/flood" || note_fail "flood: no trace line printed"
[ "$n" -ge $((opened / 2)) ] && [ "$n" -ge 5 ] || note_fail "flood: only $n of $opened opens printed"

# 6c. no silent limits: a key over 512 and a value over 4096 bytes, a -D
# value over 256 bytes, a table name over 64 characters; what bcc-run cannot
# print, it says
long_name=events_with_a_name_much_longer_than_sixty_four_characters_for_bcc_run_test
long_define=$(printf 'x%.0s' $(seq 300))
cat > "$work/limits.bpf.c" <<EOT
#include <linux/sched.h>
struct big_key { char b[600]; };
struct big_val { u64 n; char pad[5000]; };
BPF_PERCPU_ARRAY(scratch_key, struct big_key, 1);
BPF_PERCPU_ARRAY(scratch_val, struct big_val, 1);
BPF_HASH(bigtable, struct big_key, struct big_val, 4);
BPF_ARRAY(lens, u64, 1);
BPF_PERCPU_ARRAY(opens, u64, 1);
BPF_STACK_TRACE(stacks, 16);
BPF_PERF_OUTPUT($long_name);
BPF_PERF_OUTPUT(second);
TRACEPOINT_PROBE(syscalls, sys_enter_openat)
{
	u32 zero = 0, pid = bpf_get_current_pid_tgid() >> 32;
	u64 len = sizeof(LONG) - 1;
	struct big_key *k = scratch_key.lookup(&zero);
	struct big_val *v = scratch_val.lookup(&zero);

	if (pid != PID || !k || !v)
		return 0;
	k->b[0] = 'k';
	v->n = 42;
	bigtable.update(k, v);
	lens.update(&zero, &len);
	opens.increment(zero);
	$long_name.perf_submit(args, &pid, sizeof(pid));
	return 0;
}
EOT
go_after_ready p6 cat "$path"
p=$(cat "$work/p6.pid")
bcc_run_start limits --json "$work/limits.bpf.c" -D PID="$p" -D "LONG=\"$long_define\""
go p6
wait_for "$work/limits" "\"table\":\"$long_name\"" 10 ||
	note_fail "limits: no event from the table with a long name"
bcc_run_finish limits
grep -q '{"type":"table","name":"lens","entries":\[{"key":0,"value":300}\]}' "$work/limits" ||
	note_fail "limits: the 300-byte -D value did not arrive whole"
grep -q '{"type":"table","name":"bigtable","entries":\[{"key":' "$work/limits" ||
	note_fail "limits: the table with big keys and values was not printed"
grep -qE '\{"type":"table","name":"opens","entries":\[\{"key":0,"value":[1-9][0-9]*,"per_cpu":\[[0-9]+(,[0-9]+)*\]\}\]\}' \
	"$work/limits" || note_fail "limits: the per-CPU table was not printed with each CPU's value"
grep -q "table 'stacks' is not printed: it is a BPF_STACK_TRACE table and no " \
	"$work/limits.err" || note_fail "limits: no word about the stack table nothing refers to"

# 7. --features against independent evidence
"$BIN/bcc-run" --features > "$work/features" || note_fail "--features exited $?"
cat "$work/features"
if [ -e /sys/bus/event_source/devices/kprobe ] || [ -e "$tracefs/kprobe_events" ]; then want=yes; else want=no; fi
grep -q "^kprobes: $want: " "$work/features" || note_fail "--features: kprobes should be $want"
grep -q "^kretprobes: $want: " "$work/features" || note_fail "--features: kretprobes should be $want"
if [ -e /sys/bus/event_source/devices/uprobe ] || [ -e "$tracefs/uprobe_events" ]; then want=yes; else want=no; fi
grep -q "^uprobes: $want: " "$work/features" || note_fail "--features: uprobes should be $want"
kfunc=$(/usr/bin/python3 -c 'from bcc import BPF; BPF(text="KFUNC_PROBE(vfs_read) { return 0; }"); print("yes")' 2>/dev/null || echo no)
grep -q "^kfunc: $kfunc: " "$work/features" || note_fail "--features: kfunc should be $kfunc (Python bcc's answer)"
for f in privileges tracefs tracepoints "raw tracepoints" btf "kernel headers" libbcc; do
	grep -q "^$f: " "$work/features" || note_fail "--features: no $f line"
done

# 8. bad input
expect_fail "invalid option -- 'z'" -- "$BIN/bcc-run" "$EX/strlen_count.bpf.c" -z
expect_fail "invalid -u 'c:strlen': expected A:B:FN" -- "$BIN/bcc-run" "$EX/strlen_count.bpf.c" -u c:strlen
expect_fail "invalid -k 'a:b:c': expected FUNC:FN" -- "$BIN/bcc-run" "$EX/strlen_count.bpf.c" -k a:b:c
expect_fail "'$EX/strlen_count.bpf.c' has no function 'nosuch'" -- \
	"$BIN/bcc-run" "$EX/strlen_count.bpf.c" -u c:strlen:nosuch -d 1
expect_fail "nothing to attach: the text has no function named kprobe__" -- \
	"$BIN/bcc-run" "$EX/strlen_count.bpf.c" -d 1
printf 'TRACEPOINT_PROBE(syscalls, sys_enter_opnat) { return 0; }\n' > "$work/typo.bpf.c"
expect_fail "no tracepoint syscalls:sys_enter_opnat \(close names: syscalls:sys_enter_openat" -- \
	"$BIN/bcc-run" "$work/typo.bpf.c" -d 1
expect_fail "no BPF text given" -- "$BIN/bcc-run" -d 1
check_clean "$before" "bcc-run"
exit $fail
