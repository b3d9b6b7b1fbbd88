#!/usr/bin/env bash
# uprobe_simple against a running target-sample: the tracer sees the same
# consecutive arguments and return values the target printed, -p filters,
# every way of stopping it cleans up, and an address the kernel refuses is
# explained.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

before=$(snapshot)

# 1. consecutive values, as the target printed them
"$BIN/uprobe_simple" > "$work/trace" 2> "$work/trace.err" &
tracer=$!
# the tool prints its header once attached and reading
wait_for "$work/trace" '^TIME\(s\) ' 10 $tracer
"$BIN/target-sample" -i 200 -n 6 > "$work/target"
pid=$(sed -n 's/^pid = //p' "$work/target")
wait_for "$work/trace" " $pid +return value = 6$" 5 $tracer
kill -INT $tracer
wait $tracer || note_fail "uprobe_simple exited $? after SIGINT"
want=$(for n in 1 2 3 4 5 6; do echo "arg = $n"; echo "return value = $n"; done)
got=$(awk -v p="$pid" '$3 == p { $1 = $2 = $3 = ""; sub(/^ +/, ""); print }' "$work/trace")
[ "$(sed -n 's/^ret=//p' "$work/target" | tr '\n' ' ')" = "1 2 3 4 5 6 " ] ||
	note_fail "target-sample printed: $(cat "$work/target")"
if [ "$got" != "$want" ]; then
	note_fail "uprobe_simple lines for pid $pid:"; sed 's/^/    /' "$work/trace"
fi
# the columns of the tutorial: TIME(s) COMM PID MESSAGE
grep -qE "^[0-9]+\.[0-9]{9} +target-sample +$pid +arg = 1$" "$work/trace" ||
	note_fail "no 'TIME COMM PID arg = 1' line in the expected format"
check_clean "$before" "uprobe_simple after SIGINT"

# 2. -p: only the chosen process of two
"$BIN/target-sample" -i 100 -n 40 > "$work/a" &
a=$!
"$BIN/target-sample" -i 100 -n 40 > "$work/b" &
b=$!
# -p needs the process to have exec'd target-sample: it prints its pid then
wait_for "$work/a" "^pid = $a\$" 5 $a
wait_for "$work/b" "^pid = $b\$" 5 $b
"$BIN/uprobe_simple" -p $a -d 2 > "$work/trace2" 2>&1 || note_fail "-p $a: exit $?: $(cat "$work/trace2")"
grep -q " $a  *arg = " "$work/trace2" || note_fail "-p $a: no line of process $a"
grep -q " $b  *arg = " "$work/trace2" && note_fail "-p $a: saw process $b"
wait $a $b
check_clean "$before" "uprobe_simple -p"

# 3. every catchable stop signal cleans up and exits 0
for sig in TERM HUP; do
	: > "$work/s" # the job truncates it only once it runs
	"$BIN/uprobe_simple" > "$work/s" 2>&1 &
	tracer=$!
	wait_for "$work/s" '^TIME\(s\) ' 10 $tracer
	kill -$sig $tracer
	wait $tracer || note_fail "uprobe_simple exited $? after SIG$sig"
	check_clean "$before" "uprobe_simple after SIG$sig"
done

# 4. an address where the kernel already holds a uprobe with a reference
# counter (as a leaked one does until reboot) refuses ours with EINVAL: the
# message says what that can mean and where. The helper holds its uprobe on
# a private copy (no process maps it) and releases it on its own.
cp "$BIN/target-sample" "$work/held"
leaks=$(dmesg | grep -c 'leaking uprobe')
"$HELPERS/uprobe_refctr" "$work/held" func 0x10 > "$work/refctr" 2>&1 &
holder=$!
if wait_for "$work/refctr" '^holding ' 5 $holder; then
	off=$(awk '{ print $3 }' "$work/refctr")
	ino=$(printf '0x%x' "$(stat -c %i "$work/held")")
	expect_fail "cannot attach uprobe 'printarg' to 'func' in '$work/held' \(offset $off\): Invalid argument; .*another reference counter \(ref_ctr_offset\).*leaking uprobe.*until reboot.*ref_ctr_offset mismatch. inode: $ino offset: $off" -- \
		"$BIN/uprobe_simple" -b "$work/held" -d 1
	dmesg | grep -q "ref_ctr_offset mismatch. inode: $ino offset: $off " ||
		note_fail "the kernel did not log the ref_ctr_offset mismatch: the case was not tested"
fi
kill -TERM $holder 2>/dev/null
wait $holder || note_fail "uprobe_refctr: $(cat "$work/refctr")"
[ "$(dmesg | grep -c 'leaking uprobe')" = "$leaks" ] || note_fail "the kernel log gained a 'leaking uprobe' line"
"$BIN/uprobe_simple" -b "$work/held" -d 0 > /dev/null 2> "$work/again" ||
	note_fail "the address refuses uprobes after the helper released its own: $(cat "$work/again")"
check_clean "$before" "uprobe_simple at a held address"
exit $fail
