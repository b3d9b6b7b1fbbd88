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

# start NAME ARGS...: bcc-run in the background; waits until it attached
# (its output file exists and the compile is over: stderr quiet for a bit)
start() {
	local name=$1
	shift
	"$BIN/bcc-run" "$@" > "$work/$name" 2> "$work/$name.err" &
	runner=$!
	for _ in $(seq 100); do
		[ -s "$work/$name" ] || grep -q "attached" "$work/$name.err" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.5
}
finish() { kill -INT $runner; wait $runner || note_fail "bcc-run $1 exited $?: $(cat "$work/$1.err")"; }
open_as() { sh -c 'echo $$ > "$1"; exec cat "$2"' sh "$1" "$2" > /dev/null 2>&1; }

path=$work/file-$RANDOM$RANDOM
echo x > "$path"

# 1. tracepoint + bpf_trace_printk; the opener (sh) outlives the read, so
# its name is known even if the kernel's comm cache missed it
start hello "$EX/hello_tracepoint.bpf.c"
sh -c 'echo $$ > "$1"; exec 3< "$2"; sleep 1' sh "$work/p1" "$path"
finish hello
p=$(cat "$work/p1")
grep -qE "^[0-9.]+ +sh +$p +openat $path$" "$work/hello" || note_fail "hello: no 'sh $p openat $path' line"

# 2. perf output struct, decoded by field names
start events "$EX/open_events.bpf.c"
open_as "$work/p2" "$path"
sleep 0.5
finish events
p=$(cat "$work/p2")
grep -qE "^pid=$p uid=0 flags=-?[0-9]+ comm=cat fname=$path$" "$work/events" ||
	note_fail "open_events: no 'pid=$p ... comm=cat fname=$path' event"

# 2b. events still in the rings when the stop comes are printed: 50 opens,
# fewer than wake the reader, then SIGINT at once (no 50 ms flush between)
start burst "$EX/open_events.bpf.c"
sh -c 'echo $$ > "$1"; for i in $(seq 50); do read -r x < "$2"; done' sh "$work/p2b" "$path"
finish burst
p=$(cat "$work/p2b")
n=$(grep -cE "^pid=$p uid=0 flags=-?[0-9]+ comm=sh fname=$path$" "$work/burst")
[ "$n" = 50 ] || note_fail "open_events: $n of the 50 opens before the stop were printed"

# 3. the same as JSON lines
start json "$EX/open_events.bpf.c" --json
open_as "$work/p3" "$path"
sleep 0.5
finish json
p=$(cat "$work/p3")
/usr/bin/python3 - "$work/json" "$p" "$path" <<'PY' || note_fail "--json: no parsable event for pid $p"
import json, sys
lines, pid, path = open(sys.argv[1]).read().splitlines(), int(sys.argv[2]), sys.argv[3]
events = [json.loads(l) for l in lines]  # every line must parse
assert any(e["type"] == "event" and e["table"] == "events" and e["data"]["pid"] == pid
           and e["data"]["fname"] == path and e["data"]["comm"] == "cat" for e in events)
PY

# 3b. a ring buffer, from a raw tracepoint
start ring "$EX/exec_ringbuf.bpf.c"
sh -c 'echo $$ > "$1"; exec /bin/true' sh "$work/p3b"
sleep 0.5
finish ring
p=$(cat "$work/p3b")
grep -qE "^pid=$p uid=0 comm=true$" "$work/ring" || note_fail "exec_ringbuf: no 'pid=$p uid=0 comm=true' event"

# 4. uprobe on libc from the command line, BPF_HASH printed at exit
sh -c 'echo $$ > "$1"; sleep 2; exec ls -l / > /dev/null' sh "$work/p4" &
sleep 0.2
p=$(cat "$work/p4")
"$BIN/bcc-run" "$EX/strlen_count.bpf.c" -u c:strlen:count -p "$p" -d 4 > "$work/count" 2>&1 ||
	note_fail "strlen_count exited $?"
grep -qE "^  $p: [1-9][0-9]*$" "$work/count" || note_fail "strlen_count: no count for pid $p"
[ "$(grep -cE '^  [0-9]+: ' "$work/count")" = 1 ] || note_fail "-p $p: other processes counted"

# 5. a histogram with a bucket the test controls: 7 reads of 5000 bytes
sh -c 'echo $$ > "$1"; sleep 2; exec dd if=/dev/zero of=/dev/null bs=5000 count=7 status=none' sh "$work/p5" &
sleep 0.2
p=$(cat "$work/p5")
"$BIN/bcc-run" "$EX/read_size_hist.bpf.c" -D TGID="$p" -d 4 > "$work/hist" 2>&1 || note_fail "hist exited $?"
grep -qE "^ +4096 -> 8191 +: 7 +\|\*{40}\|$" "$work/hist" || note_fail "histogram: no '4096 -> 8191 : 7' bucket"
grep -q "^     value               : count     distribution$" "$work/hist" || note_fail "histogram header"

# 6. --watch: an edit is live within 2 s; a broken edit keeps the old program
cp "$EX/hello_tracepoint.bpf.c" "$work/w.bpf.c"
start watch "$work/w.bpf.c" --watch
sed -i 's/openat %s/EDITED %s/' "$work/w.bpf.c"
t0=$(date +%s%N)
until grep -q "EDITED $path" "$work/watch"; do
	cat "$path" > /dev/null
	[ $(( ($(date +%s%N) - t0) / 1000000 )) -gt 2000 ] && break
	sleep 0.05
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
grep -q "EDITED $path" "$work/watch" || note_fail "--watch: the edit was not live after ${ms} ms"
echo "--watch: edit live after $ms ms"
echo "this is not C" >> "$work/w.bpf.c"
lines=$(wc -l < "$work/w.bpf.c")
sleep 1.5
grep -q "w.bpf.c:$lines:1: error: " "$work/watch.err" || note_fail "--watch: no error with the file's line $lines"
grep -q "keeping the previous program running" "$work/watch.err" || note_fail "--watch: no keep message"
n=$(grep -c "EDITED $path" "$work/watch")
cat "$path" > /dev/null
sleep 0.5
[ "$(grep -c "EDITED $path" "$work/watch")" -gt "$n" ] || note_fail "--watch: the old program stopped"
finish watch

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
