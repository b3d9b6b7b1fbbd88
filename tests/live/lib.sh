# Shared by the live tests: sourced with BIN (the tools) and HELPERS set.
set -u
fail=0
tracefs=/sys/kernel/tracing
mountpoint -q /sys/kernel/debug/tracing 2>/dev/null && tracefs=/sys/kernel/debug/tracing

note_fail() { echo "FAIL: $*"; fail=1; }

# The kernel's "leaking uprobe" lines: a uprobe lost in a detach, whose
# address then refuses uprobes until reboot. Tests compare the count before
# and after them (the log holds other runs' lines too).
uprobe_leaks() { dmesg 2>/dev/null | grep -c 'leaking uprobe'; }
check_no_uprobe_leak() { # check_no_uprobe_leak COUNT_BEFORE
	local after
	after=$(uprobe_leaks)
	[ "$after" = "$1" ] ||
		note_fail "dmesg: 'leaking uprobe' went from $1 to $after: $(dmesg | grep 'leaking uprobe' | tail -3)"
}

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Our probe events: libbcc names them p_<target> or r_<target> (see
# common/probe_names.c) in the kprobes or uprobes group. Others' are not ours.
probe_events() {
	cat "$tracefs/uprobe_events" "$tracefs/kprobe_events" 2>/dev/null |
		grep -E '^[pr]:[ku]probes/[pr]_' | sort
}

# text_names: the names the kernel gives the programs and maps of our BPF
# texts (the project's and those a test wrote in $work): every identifier,
# also without the auto-attach prefix libbcc strips from a program's name,
# plus CATEGORY__EVENT of TRACEPOINT_PROBE, cut as the kernel cuts names (15
# characters). A superset: a word of a comment names nothing loaded.
text_names() {
	local texts=("$TOP"/tools/*/*.bpf.c "$TOP"/examples/*.bpf.c "$TOP"/bench/*.bpf.c) f

	# no <(...) in this file: the kernel lab's guest has no /dev/fd
	if [ -d "${work:-}" ]; then
		while read -r f; do
			[ -n "$f" ] && texts+=("$f")
		done <<<"$(find "$work" -name '*.bpf.c' -size -1000k)"
	fi
	{
		grep -ohE '[A-Za-z_][A-Za-z0-9_]*' "${texts[@]}" |
			sed -nE 'p; s/^(kprobe|kretprobe|tracepoint|raw_tracepoint|kfunc|kretfunc|lsm)__//p'
		sed -nE 's/.*TRACEPOINT_PROBE\( *([A-Za-z0-9_]+) *, *([A-Za-z0-9_]+) *\).*/\1__\2/p' "${texts[@]}"
	} | cut -c1-15 | sort -u
}

# snapshot: what the kernel holds before a tool runs: the highest BPF
# program and map ids (ids only grow), then our probe events.
snapshot() {
	"$HELPERS/bpf_objects" | awk '$2 > max[$1] { max[$1] = $2 }
		END { printf "prog %d map %d\n", max["prog"], max["map"] }'
	probe_events
}

# leftovers BEFORE NAMES: what is ours and new since the snapshot BEFORE:
# programs and maps loaded after it with one of NAMES, and probe events.
leftovers() {
	local before=$1 names=$2 maxprog maxmap objects

	read -r _ maxprog _ maxmap <<<"$(head -1 <<<"$before")"
	objects=$("$HELPERS/bpf_objects" 2>&1) || { echo "$objects"; return; }
	awk -v maxprog="$maxprog" -v maxmap="$maxmap" -v names="$names" '
		BEGIN { n = split(names, a, "\n"); for (i = 1; i <= n; i++) ours[a[i]] }
		$1 == "prog" && $2 > maxprog && $3 in ours { print }
		$1 == "map" && $2 > maxmap && $3 in ours { print }' <<<"$objects"
	probe_events | awk -v before="$(tail -n +2 <<<"$before")" '
		BEGIN { n = split(before, a, "\n"); for (i = 1; i <= n; i++) old[a[i]] }
		!($0 in old)'
}

# check_clean BEFORE WHAT: nothing of ours was left since the snapshot
# BEFORE. Freed programs and maps go away asynchronously, so give the
# kernel a moment.
check_clean() {
	local before=$1 what=$2 names left

	names=$(text_names)
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		left=$(leftovers "$before" "$names")
		[ -z "$left" ] && return 0
		sleep 0.2
	done
	note_fail "$what left something behind:"
	sed 's/^/    /' <<<"$left"
}

# wait_for FILE PATTERN TIMEOUT [PID [COUNT]]: waits until COUNT (default
# 1) lines of FILE match the extended regex PATTERN (a tool's readiness
# line). Fails, showing FILE's end, after TIMEOUT seconds or as soon as
# process PID has ended. A FILE an earlier command wrote must be removed
# before the next one starts: "cmd > FILE &" truncates it only in the
# child, after the fork, so its old lines could pass the wait at once.
wait_for() {
	local file=$1 pattern=$2 timeout=$3 pid=${4:-} count=${5:-1} i

	# grep -c prints nothing for a FILE not yet made: that counts as 0
	for ((i = 0; i < timeout * 20; i++)); do
		[ "$(grep -cE -- "$pattern" "$file" 2>/dev/null || :)" -ge "$count" ] 2>/dev/null && return 0
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			[ "$(grep -cE -- "$pattern" "$file" 2>/dev/null || :)" -ge "$count" ] 2>/dev/null && return 0
			note_fail "process $pid ended before $file had $count line(s) matching /$pattern/; $file holds:"
			tail -n 40 "$file" 2>/dev/null | sed 's/^/    /'
			return 1
		fi
		sleep 0.05
	done
	note_fail "not $count line(s) matching /$pattern/ in $file after $timeout s; it ends with:"
	tail -n 40 "$file" 2>/dev/null | sed 's/^/    /'
	return 1
}

# expect_ok PATTERN -- COMMAND...: the command exits 0 and prints a line
# matching PATTERN.
expect_ok() {
	local pattern=$1 out status
	shift 2
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" != 0 ] || ! grep -qE -- "$pattern" <<<"$out"; then
		note_fail "$* -> status $status, no line matching '$pattern' in:"
		sed 's/^/    /' <<<"$out" | head -40
	else
		echo "ok: $*"
	fi
}

# expect_fail STATUS_NONZERO PATTERN -- COMMAND...: the command fails with
# a message matching PATTERN and leaves nothing behind.
expect_fail() {
	local pattern=$1 before out status
	shift 2
	before=$(snapshot)
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" = 0 ]; then
		note_fail "$* succeeded; output:"; sed 's/^/    /' <<<"$out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		note_fail "$* (status $status) did not say /$pattern/:"; sed 's/^/    /' <<<"$out"
	fi
	check_clean "$before" "$*"
}

# getppid_run DIR TEXT: bcc-run ($BIN) on TEXT with on_getppid() on
# syscalls:sys_enter_getppid and -DPID= a python3 that, once bcc-run is
# ready, calls getppid() 3 times; returns when it has. Sets p (the python3)
# and runner (bcc-run, still running); its output in DIR/out and DIR/err.
getppid_run() {
	local dir=$1 text=$2

	rm -f "$dir/go"
	mkfifo "$dir/go"
	/usr/bin/python3 -c 'import os, sys; sys.stdin.readline(); [os.getppid() for _ in range(3)]' \
		< "$dir/go" &
	p=$!
	rm -f "$dir/out" "$dir/err" # stale lines would pass wait_for
	"$BIN/bcc-run" "$text" -DPID=$p -t syscalls:sys_enter_getppid:on_getppid \
		> "$dir/out" 2> "$dir/err" &
	runner=$!
	wait_for "$dir/err" '^bcc-run: ready:' 60 $runner
	echo go > "$dir/go"
	wait $p
}

# bcc_run_start NAME ARGS...: bcc-run ARGS in the background (pid in
# $runner), stdout in $work/NAME, stderr in $work/NAME.err; returns once it
# says it attached everything ("bcc-run: ready:"). bcc_run_finish NAME
# stops it as Ctrl-C does and fails the test if it did not exit 0.
bcc_run_start() {
	local name=$1
	shift
	rm -f "$work/$name" "$work/$name.err" # stale lines would pass wait_for
	"$BIN/bcc-run" "$@" > "$work/$name" 2> "$work/$name.err" &
	runner=$!
	wait_for "$work/$name.err" "^bcc-run: ready:" 60 $runner || note_fail "bcc-run $name never said it was ready"
}
bcc_run_finish() { kill -INT $runner; wait $runner || note_fail "bcc-run $1 exited $?: $(cat "$work/$1.err")"; }
