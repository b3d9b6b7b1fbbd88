#!/usr/bin/env bash
# Load: target-sample calls func() as fast as it can for SECONDS (default
# 60) under a uprobe that sends a perf event per call, into rings of one
# page per CPU so that the consumer cannot keep up. Every event must be
# accounted for (received + lost = produced, the loss reported), and the
# consumer's memory must stay flat.
BIN=$1 HELPERS=$2 BENCH=$3
. "$(dirname "$0")/../live/lib.sh"
SECONDS_LOAD=${RELIABILITY_LOAD_SECONDS:-60}
TEXT=$(cd "$(dirname "$0")/../../bench" && pwd)/throughput.bpf.c
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
before=$(snapshot)
# a private copy: its own inode, so no other target-sample fires the probe
cp "$BIN/target-sample" "$work/target"

"$BENCH/perf_consumer" "$TEXT" "$work/target" 1 99999999999 > "$work/consumer" 2>&1 &
consumer=$!
wait_for "$work/consumer" ready 10 $consumer || exit 1

# the consumer's RSS once a second while the producer runs
( while kill -0 $consumer 2>/dev/null; do
	awk '/^VmRSS/ { print $2 }' /proc/$consumer/status 2>/dev/null
	sleep 1
  done ) > "$work/rss" &
produced=$("$work/target" -i 0 -t "$SECONDS_LOAD" | sed -n 's/^calls=//p')
# the kernel reports losses lazily, in a record written to a CPU's ring
# when its next event fits: once the consumer has drained the rings, a few
# events on every CPU flush the count of the last losses
sleep 1
for cpu in $(seq 0 $(($(nproc) - 1))); do
	taskset -c "$cpu" "$work/target" -i 0 -n 100 > /dev/null
	produced=$((produced + 100))
done
wait $consumer || note_fail "consumer exited $?"
read -r _ received _ lost _ seconds < <(tail -1 "$work/consumer")
echo "produced $produced, received $received, lost $lost in ${SECONDS_LOAD} s"
[ -n "$produced" ] && [ "$produced" -gt 0 ] || note_fail "nothing produced"
[ $((received + lost)) = "$produced" ] ||
	note_fail "received $received + lost $lost = $((received + lost)), produced $produced"
[ "$lost" -gt 0 ] || echo "note: nothing was lost at this rate; the loss accounting went untested"
# flat: after the first seconds (the rings are mapped) it grows by < 1 MB
awk -v skip=3 'NR > skip { if (!base) base = $1; if ($1 - base > max) max = $1 - base }
	END { printf "consumer RSS: %d KB at start, grew by %d KB\n", base, max; exit max > 1024 }' \
	"$work/rss" || note_fail "the consumer's memory grew"
check_clean "$before" "the load run"
exit $fail
