#!/usr/bin/env bash
# Start each host-runnable tool RUNS times (default 50) and stop it at a
# random moment between start-up and steady state with SIGINT, SIGTERM,
# SIGHUP or (tools without uprobes) SIGKILL. Then stop each uprobe tool,
# once attached, with a catchable signal and send it a second one while it
# tears down. Afterwards nothing of ours is left (lib.sh's check_clean),
# the kernel log gained no "leaking uprobe" line, and the traced
# target-sample is alive and never missed a beat.
#
# No SIGKILL for the uprobe tools: a tracer killed while the kernel
# registers or unregisters its uprobe (during attach or detach) leaks it,
# and the address refuses uprobes until reboot; strlen is libc's, so that
# would break every uprobe on strlen on this host. Nothing a tool can do
# about it; a caught signal only sets a flag, so it never causes it.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/../live/lib.sh"
EX=$(cd "$(dirname "$0")/../../examples" && pwd)
RUNS=${RELIABILITY_RUNS:-50}
TEARDOWN_RUNS=${RELIABILITY_TEARDOWN_RUNS:-20}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

leaks_before=$(uprobe_leaks)
"$BIN/target-sample" -i 5 > "$work/target" &
target=$!
wait_for "$work/target" "^pid = $target\$" 5 $target || exit 1
before=$(snapshot)
declare -A stats=()
uprobe_tools=(
	"uprobe_simple"
	"uprobe_simple -p $target"
	"strlen_snoop_simple"
	"bcc-run $EX/strlen_count.bpf.c -u c:strlen:count"
)
tools=(
	"${uprobe_tools[@]}"
	"opensnoop_simple --probe tracepoint -d 60"
	"bcc-run $EX/hello_tracepoint.bpf.c"
	"bcc-run $EX/open_events.bpf.c --json"
)
is_uprobe_tool() {
	local t
	for t in "${uprobe_tools[@]}"; do [ "$t" = "$1" ] && return 0; done
	return 1
}
for tool in "${tools[@]}"; do
	# warm the cache so the runs reach steady state; the first of each
	# tool is a cold one that can be stopped while compiling
	sigs=(INT TERM HUP KILL)
	is_uprobe_tool "$tool" && sigs=(INT TERM HUP)
	for i in $(seq "$RUNS"); do
		sig=${sigs[RANDOM % ${#sigs[@]}]}
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

# a second catchable signal while a uprobe tool tears down (drains its
# last events, then detaches): it only sets the flag again, so the tool
# still detaches everything and exits 0
sigs=(INT TERM HUP)
for tool in "${uprobe_tools[@]}"; do
	ready=("$work/out" '^TIME\(s\) ')
	[ "${tool%% *}" = bcc-run ] && ready=("$work/err" '^bcc-run: ready:')
	for i in $(seq "$TEARDOWN_RUNS"); do
		first=${sigs[RANDOM % 3]} second=${sigs[RANDOM % 3]}
		delay=$(printf '0.%03d' $((RANDOM % 400)))
		# emptied here: the job truncates them only once it runs
		: > "$work/out"
		: > "$work/err"
		# shellcheck disable=SC2086
		env --default-signal=INT,QUIT $BIN/$tool > "$work/out" 2> "$work/err" &
		pid=$!
		if ! wait_for "${ready[@]}" 60 $pid; then
			kill -INT $pid 2>/dev/null
			wait $pid
			break
		fi
		kill -s "$first" $pid
		sleep "$delay"
		kill -s "$second" $pid 2>/dev/null
		wait $pid
		status=$?
		[ $status = 0 ] ||
			note_fail "$tool: SIG$first, SIG$second ${delay}s later: exit $status: $(head -3 "$work/err")"
	done
	check_clean "$before" "$TEARDOWN_RUNS double stops of $tool"
done
check_no_uprobe_leak "$leaks_before"

# the target never skipped or repeated a value, and stops cleanly
kill -TERM $target
wait $target
status=$?
[ $status = 143 ] || note_fail "target-sample ended with $status (a trap or fault?)"
awk -F= '/^ret=/ { if ($2 != n + 1) { print "gap after " n ": " $2; bad = 1 } n = $2 }
	END { print n " calls seen"; exit bad }' "$work/target" || note_fail "target-sample's sequence broke"
exit $fail
