#!/usr/bin/env bash
# strlen_snoop_simple sees strlen() calls of a child process started here.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

before=$(snapshot)
"$BIN/strlen_snoop_simple" > "$work/trace" 2> "$work/err" &
tracer=$!
wait_for "$work/trace" '^TIME\(s\) ' 10 $tracer
# ls calls strlen() for the names it prints, as in the tutorial. Every
# process's strlen is traced: under a flood of other processes' calls
# (a compile beside the test) the kernel's trace buffer can overwrite an
# ls's lines before they are read, so up to 10 ls's are started, each
# waited for in turn; one seen is enough.
seen=
for ((try = 1; try <= 10; try++)); do
	sh -c 'echo $$ > "$1"; exec ls -l / > /dev/null' sh "$work/pid"
	pid=$(cat "$work/pid")
	for ((i = 0; i < 40; i++)); do
		grep -qE " ls +$pid " "$work/trace" && { seen=$pid; break 2; }
		kill -0 $tracer 2>/dev/null || break 2
		sleep 0.05
	done
done
[ -n "$seen" ] || note_fail "strlen_snoop_simple printed no line of any of $((try - 1)) ls's"
kill -INT $tracer
wait $tracer || note_fail "strlen_snoop_simple exited $?"
grep -qE "^[0-9]+\.[0-9]{9} +ls +$seen +length of argument string = 8\.$" "$work/trace" || {
	note_fail "no strlen line for ls (pid $pid); got:"; head -20 "$work/trace" "$work/err" | sed 's/^/    /'
}
[ "$try" = 1 ] || echo "strlen_snoop_simple: an ls's line was seen at try $try (others' calls crowded the trace buffer)"
check_clean "$before" "strlen_snoop_simple"
exit $fail
