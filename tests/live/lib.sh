# Shared by the live tests: sourced with BIN (the tools) and HELPERS set.
set -u
fail=0
tracefs=/sys/kernel/tracing
mountpoint -q /sys/kernel/debug/tracing 2>/dev/null && tracefs=/sys/kernel/debug/tracing

note_fail() { echo "FAIL: $*"; fail=1; }

# What a tool may leave behind: probe events, loaded programs, maps.
snapshot() {
	{
		cat "$tracefs/uprobe_events" 2>/dev/null
		cat "$tracefs/kprobe_events" 2>/dev/null
		"$HELPERS/bpf_objects"
	} | sort
}

# check_clean BEFORE WHAT: the state now must equal BEFORE. Freed programs
# and maps go away asynchronously, so give the kernel a moment.
check_clean() {
	local before=$1 what=$2 now
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		now=$(snapshot)
		[ "$now" = "$before" ] && return 0
		sleep 0.2
	done
	note_fail "$what left something behind:"
	diff <(echo "$before") <(echo "$now") | sed 's/^/    /'
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

# wait_for FILE ERE SECONDS [COUNT]: until FILE has COUNT (default 1) lines
# matching ERE; fails, showing the file's end, after SECONDS.
wait_for() {
	local file=$1 ere=$2 secs=$3 count=${4:-1} t0=$SECONDS
	until [ "$(grep -cE -- "$ere" "$file" 2>/dev/null)" -ge "$count" ]; do
		if [ $((SECONDS - t0)) -ge "$secs" ]; then
			echo "waited ${secs}s for /$ere/ in $file; its end:"
			tail -5 "$file" 2>/dev/null | sed 's/^/    /'
			return 1
		fi
		sleep 0.05
	done
}
