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
# ls calls strlen() for the names it prints, as in the tutorial
sh -c 'echo $$ > "$1"; exec ls -l / > /dev/null' sh "$work/pid"
pid=$(cat "$work/pid")
wait_for "$work/trace" " ls +$pid " 10 $tracer
kill -INT $tracer
wait $tracer || note_fail "strlen_snoop_simple exited $?"
grep -qE "^[0-9]+\.[0-9]{9} +ls +$pid +length of argument string = 8\.$" "$work/trace" || {
	note_fail "no strlen line for ls (pid $pid); got:"; head -20 "$work/trace" "$work/err" | sed 's/^/    /'
}
check_clean "$before" "strlen_snoop_simple"
exit $fail
