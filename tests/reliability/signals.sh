#!/usr/bin/env bash
# Start each host-runnable tool RUNS times (default 50) and stop it at a
# random moment between start-up and steady state with SIGINT, SIGTERM,
# SIGHUP or SIGKILL. Afterwards nothing of ours is in uprobe_events or
# kprobe_events, the kernel holds as many BPF programs and maps as before,
# and the traced target-sample is alive and never missed a beat.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/../live/lib.sh"
EX=$(cd "$(dirname "$0")/../../examples" && pwd)
RUNS=${RELIABILITY_RUNS:-50}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

"$BIN/target-sample" -i 5 > "$work/target" &
target=$!
sleep 0.2
before=$(snapshot)
sigs=(INT TERM HUP KILL)
declare -A stats=()
tools=(
	"uprobe_simple"
	"uprobe_simple -p $target"
	"strlen_snoop_simple"
	"opensnoop_simple --probe tracepoint -d 60"
	"bcc-run $EX/hello_tracepoint.bpf.c"
	"bcc-run $EX/strlen_count.bpf.c -u c:strlen:count"
	"bcc-run $EX/open_events.bpf.c --json"
)
for tool in "${tools[@]}"; do
	# warm the cache so the runs reach steady state; the first of each
	# tool is a cold one that can be stopped while compiling
	for i in $(seq "$RUNS"); do
		sig=${sigs[RANDOM % 4]}
		delay=$(printf '0.%03d' $((RANDOM % 700)))
		# a script's background jobs start with SIGINT ignored; a SIGINT sent
		# before the tool installs its handler would be lost, so reset it
		# shellcheck disable=SC2086
		env --default-signal=INT,QUIT $BIN/$tool > /dev/null 2> "$work/err" &
		pid=$!
		# start the clock once the tool itself runs (env has reset the signals)
		for _ in $(seq 200); do
			[ "$(readlink /proc/$pid/exe 2>/dev/null)" = "$(realpath "$BIN/${tool%% *}")" ] && break
			sleep 0.01
		done
		sleep "$delay"
		kill -s "$sig" $pid 2>/dev/null
		wait $pid
		status=$?
		stats[$sig]=$((${stats[$sig]:-0} + 1))
		# a caught signal is a clean exit once running; before the handlers
		# are in place (the first milliseconds) the default action applies
		case $sig:$status in
		KILL:137 | *:0 | INT:130 | TERM:143 | HUP:129) ;;
		*) note_fail "$tool: SIG$sig after ${delay}s: exit $status: $(head -3 "$work/err")" ;;
		esac
		kill -0 $target 2>/dev/null || { note_fail "target-sample died during $tool"; break 2; }
	done
	check_clean "$before" "$RUNS stops of $tool"
done
echo "signals sent: INT ${stats[INT]:-0}, TERM ${stats[TERM]:-0}, HUP ${stats[HUP]:-0}, KILL ${stats[KILL]:-0}"

# the target never skipped or repeated a value, and stops cleanly
kill -TERM $target
wait $target
status=$?
[ $status = 143 ] || note_fail "target-sample ended with $status (a trap or fault?)"
awk -F= '/^ret=/ { if ($2 != n + 1) { print "gap after " n ": " $2; bad = 1 } n = $2 }
	END { print n " calls seen"; exit bad }' "$work/target" || note_fail "target-sample's sequence broke"
exit $fail
