#!/usr/bin/env bash
# uprobe_simple against a running target-sample: the tracer sees the same
# consecutive arguments and return values the target printed, -p filters,
# and every way of stopping it cleans up.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

# wait_header FILE: the tool prints its header once attached and reading
wait_header() {
	for _ in $(seq 100); do
		grep -q '^TIME(s) ' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	note_fail "no header in $1 after 10 s:"; sed 's/^/    /' "$1" "$1.err" 2>/dev/null
	return 1
}

before=$(snapshot)

# 1. consecutive values, as the target printed them
"$BIN/uprobe_simple" > "$work/trace" 2> "$work/trace.err" &
tracer=$!
wait_header "$work/trace"
"$BIN/target-sample" -i 200 -n 6 > "$work/target"
sleep 0.5
kill -INT $tracer
wait $tracer || note_fail "uprobe_simple exited $? after SIGINT"
pid=$(sed -n 's/^pid = //p' "$work/target")
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
for _ in $(seq 50); do [ -s "$work/a" ] && [ -s "$work/b" ] && break; sleep 0.1; done
"$BIN/uprobe_simple" -p $a -d 2 > "$work/trace2" 2>&1 || note_fail "-p $a: exit $?: $(cat "$work/trace2")"
grep -q " $a  *arg = " "$work/trace2" || note_fail "-p $a: no line of process $a"
grep -q " $b  *arg = " "$work/trace2" && note_fail "-p $a: saw process $b"
wait $a $b
check_clean "$before" "uprobe_simple -p"

# 3. every catchable stop signal cleans up and exits 0
for sig in TERM HUP; do
	"$BIN/uprobe_simple" > "$work/s" 2>&1 &
	tracer=$!
	wait_header "$work/s"
	kill -$sig $tracer
	wait $tracer || note_fail "uprobe_simple exited $? after SIG$sig"
	check_clean "$before" "uprobe_simple after SIG$sig"
done
exit $fail
