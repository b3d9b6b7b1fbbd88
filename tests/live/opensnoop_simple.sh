#!/usr/bin/env bash
# opensnoop_simple on this host. Its kernel has neither kfunc nor kprobes,
# so the tool must say so and fall back to the openat tracepoints; then it
# must see a unique path opened by the test (FD >= 0, ERR 0) and a missing
# one (FD -1, ERR 2), and honour -x, -n and -p (the chosen process's opens
# shown, no other's).
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

# run_snoop NAME ARGS...: start opensnoop_simple in the background, wait
# until its header shows it is attached
run_snoop() {
	local name=$1
	shift
	rm -f "$work/$name" "$work/$name.err" # stale lines would pass wait_for (lib.sh)
	"$BIN/opensnoop_simple" "$@" > "$work/$name" 2> "$work/$name.err" &
	snoop=$!
	wait_for "$work/$name" 'PID ' 10 $snoop && return 0
	note_fail "opensnoop_simple $* never attached:"; sed 's/^/    /' "$work/$name.err"
}

# open_as PIDFILE PATH: cat opens PATH; the pid is recorded first
open_as() { sh -c 'echo $$ > "$1"; exec cat "$2"' sh "$1" "$2" > /dev/null 2>&1; }

before=$(snapshot)
found=$work/found-$$-$RANDOM
missing=$work/missing-$$-$RANDOM
echo data > "$found"

run_snoop auto -d 4
open_as "$work/p1" "$found"
open_as "$work/p2" "$missing"
wait $snoop || note_fail "opensnoop_simple exited $?"
if [ -e /sys/bus/event_source/devices/kprobe ]; then
	echo "this kernel has kprobes: the fallback to tracepoints is not tested here"
else
	grep -q "using tracepoints syscalls:sys_enter_openat/sys_exit_openat: kfunc cannot run here: .*nor kprobes: this kernel has no kprobes" "$work/auto.err" ||
		note_fail "no explanation of the fallback on stderr: $(cat "$work/auto.err")"
fi
p1=$(cat "$work/p1") p2=$(cat "$work/p2")
grep -qE "^$p1 +cat +[0-9]+ +0 $found$" "$work/auto" || note_fail "no 'PID cat FD 0 $found' line"
grep -qE "^$p2 +cat +-1 +2 $missing$" "$work/auto" || note_fail "no 'PID cat -1 2 $missing' line"
grep -q "^PID    COMM               FD ERR PATH$" "$work/auto" || note_fail "header differs"

# forced tracepoint mode, failed opens only, of commands named cat, with -T
run_snoop x --probe tracepoint -x -n cat -T -d 3
open_as "$work/p3" "$found"
open_as "$work/p4" "$missing"
wait $snoop
p3=$(cat "$work/p3") p4=$(cat "$work/p4")
grep -qE "^[0-9]+\.[0-9]{9} +$p4 +cat +-1 +2 $missing$" "$work/x" || note_fail "-x -T: missing open not shown"
grep -q " $found$" "$work/x" && note_fail "-x showed a successful open"
awk 'NR > 1 && $3 != "cat" { bad = 1 } END { exit !bad }' "$work/x" && note_fail "-n cat showed another command"

# -p: the chosen process's open is shown, another process's is not. The
# chosen one is a shell that waits for a line on a FIFO, then becomes cat
# (same pid) and opens the file once the tool is attached.
mkfifo "$work/go"
sh -c 'echo $$ > "$1"; read -r _ < "$2"; exec cat "$3"' sh "$work/p5" "$work/go" "$found" > /dev/null &
chosen=$!
wait_for "$work/p5" . 5 $chosen
run_snoop p -p $chosen -d 2
echo go > "$work/go"
wait $chosen
open_as "$work/p6" "$found"
wait $snoop
p6=$(cat "$work/p6")
grep -qE "^$chosen +cat +[0-9]+ +0 $found$" "$work/p" || note_fail "-p $chosen: its open of $found not shown"
grep -qE "^$p6 +cat " "$work/p" && note_fail "-p $chosen showed the open of process $p6"
awk -v p="$chosen" 'NR > 1 && $1 != p { bad = 1 } END { exit !bad }' "$work/p" &&
	note_fail "-p $chosen showed another process"

[ "$fail" = 0 ] || { echo "--- outputs"; head -5 "$work"/auto "$work"/x "$work"/p; }
check_clean "$before" "opensnoop_simple"
exit $fail
