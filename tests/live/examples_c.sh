#!/usr/bin/env bash
# examples/c, built out of the tree against the installed library (as
# tests/unit/examples_c.sh does), run on real workloads: uprobe_count counts
# exactly the 50 calls of func() a target-sample made, perf_events prints a
# file a test opens with its opener's pid; both leave nothing behind.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

"$TOP/tests/unit/examples_c.sh" "$BIN/.." "$work" || exit 1
ex=$work/examples
export LD_LIBRARY_PATH=$(dirname "$(find "$work/prefix" -name libbcc-c.so.0)")
# check_clean's names: the examples' texts are strings in their .c files
for p in uprobe_count perf_events; do cp "$ex/$p.c" "$work/$p.c.bpf.c"; done
export BCC_C_CACHE_DIR=$work/cache

before=$(snapshot)

# 1. uprobe_count: a BPF_HASH read at Ctrl-C
"$ex/uprobe_count" "$BIN/target-sample" func > "$work/count" 2> "$work/count.err" &
counter=$!
wait_for "$work/count.err" '^uprobe_count: ready' 60 $counter
"$BIN/target-sample" -i 1 -n 50 > "$work/target"
pid=$(sed -n 's/^pid = //p' "$work/target")
kill -INT $counter
wait $counter || note_fail "uprobe_count exited $?: $(cat "$work/count.err")"
grep -qE "^$pid +50$" "$work/count" ||
	{ note_fail "uprobe_count did not count 50 calls for pid $pid:"; sed 's/^/    /' "$work/count"; }
[ "$(grep -vc ready "$work/count.err")" = 0 ] || note_fail "uprobe_count said: $(cat "$work/count.err")"
check_clean "$before" "uprobe_count"

# 2. perf_events: events of a BPF_PERF_OUTPUT table
"$ex/perf_events" 30 > "$work/events" 2> "$work/events.err" &
printer=$!
wait_for "$work/events.err" '^perf_events: ready' 60 $printer
path=$work/opened-$$
sh -c 'echo $$ > "$1.pid"; exec cat "$1" 2>/dev/null' sh "$path"
opener=$(cat "$path.pid")
wait_for "$work/events" "^$opener +cat +$path\$" 10 $printer
kill -INT $printer
wait $printer || note_fail "perf_events exited $?: $(cat "$work/events.err")"
head -1 "$work/events" | grep -qE '^PID +COMM +PATH$' || note_fail "perf_events printed no header"
check_clean "$before" "perf_events"
exit $fail
