#!/usr/bin/env bash
# BPF_STACK_TRACE tables printed through the stack ids of keys and events:
# a user stack from a uprobe on target-sample's func (bcc's stackcount
# pattern) shows func and main; a kernel stack from a tracepoint event
# shows the syscall entry; the stack table itself is not reported as
# unprintable. A stack id that is the whole key (from get_stackid() in
# the text) is printed as its stack too.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

# kernel frames need kallsyms' addresses (all zero when kptr_restrict hides them)
if ! awk '$1 !~ /^0+$/ { found = 1; exit } END { exit !found }' /proc/kallsyms; then
	echo "SKIP: /proc/kallsyms shows no addresses"
	exit 77
fi
before=$(snapshot)

# 1. user stacks in a key, as bcc's stackcount keeps them
cat > "$work/count.bpf.c" <<'TEXT'
#include <uapi/linux/ptrace.h>
struct key_t {
	u32 pid;
	int user_stack_id;
	int kernel_stack_id;
	char comm[16];
};
BPF_HASH(counts, struct key_t);
BPF_STACK_TRACE(stack_traces, 1024);
int on_func(struct pt_regs *ctx)
{
	struct key_t key = {};
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.user_stack_id = stack_traces.get_stackid(ctx, BPF_F_USER_STACK);
	key.kernel_stack_id = stack_traces.get_stackid(ctx, 0);
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	counts.increment(key);
	return 0;
}
TEXT
for mode in text json; do
	opt=; [ $mode = json ] && opt=--json
	"$BIN/target-sample" -i 50 > "$work/target" &
	target=$!
	rm -f "$work/user.$mode" "$work/user.$mode.err" # stale lines would pass wait_for (lib.sh)
	"$BIN/bcc-run" "$work/count.bpf.c" -u "$BIN/target-sample:func:on_func" $opt \
		> "$work/user.$mode" 2> "$work/user.$mode.err" &
	tracer=$!
	wait_for "$work/user.$mode.err" '^bcc-run: ready:' 20 $tracer
	# calls after the probe is in: the target prints ret=N after each
	n=$(grep -c '^ret=' "$work/target")
	wait_for "$work/target" '^ret=' 5 $target $((n + 3))
	kill -INT $tracer
	wait $tracer || note_fail "bcc-run ($mode) exited $? after SIGINT: $(cat "$work/user.$mode.err")"
	kill -TERM $target; wait $target 2>/dev/null
	grep -q "stack_traces" "$work/user.$mode.err" &&
		note_fail "bcc-run ($mode) reported the stack table: $(cat "$work/user.$mode.err")"
	if [ $mode = text ]; then
		# the frames under user_stack_id, innermost first
		frames=$(sed -n '/^    user_stack_id:$/,/^    [a-z]/{/^      /p}' "$work/user.text")
		grep -qE '^      func\+0x[0-9a-f]+$' <<<"$frames" && grep -qE '^      main\+0x[0-9a-f]+$' <<<"$frames" ||
			{ note_fail "no func and main frames in the user stack:"; sed 's/^/    /' "$work/user.text"; }
		grep -qE '^      \[Missed Kernel Stack\]$' "$work/user.text" ||
			note_fail "a uprobe's kernel stack id (-EFAULT) is not '[Missed Kernel Stack]'"
	else
		grep -qE '"stacks":\{"user_stack_id":\["func\+0x[0-9a-f]+","main\+0x[0-9a-f]+"' "$work/user.json" ||
			{ note_fail "no func, main array in the JSON:"; sed 's/^/    /' "$work/user.json"; }
	fi
	check_clean "$before" "bcc-run with a user stack table ($mode)"
done

# 2. kernel stacks in perf events
cat > "$work/kern.bpf.c" <<'TEXT'
struct data_t {
	u32 pid;
	int kernel_stack_id;
	char comm[16];
};
BPF_PERF_OUTPUT(events);
BPF_STACK_TRACE(stacks, 1024);
TRACEPOINT_PROBE(syscalls, sys_enter_openat)
{
	struct data_t d = {};
	d.pid = bpf_get_current_pid_tgid() >> 32;
	if (d.pid != PID)
		return 0;
	d.kernel_stack_id = stacks.get_stackid(args, 0);
	bpf_get_current_comm(&d.comm, sizeof(d.comm));
	events.perf_submit(args, &d, sizeof(d));
	return 0;
}
TEXT
# the opener: a shell that opens a file once told to
mkfifo "$work/go"
(read -r _ < "$work/go"; exec cat /etc/hostname > /dev/null) &
opener=$!
"$BIN/bcc-run" "$work/kern.bpf.c" -DPID=$opener > "$work/kern" 2> "$work/kern.err" &
tracer=$!
wait_for "$work/kern.err" '^bcc-run: ready:' 20 $tracer
echo go > "$work/go"
wait $opener
wait_for "$work/kern" '^      (do_syscall_64|entry_SYSCALL_64[a-z_]*)\+0x[0-9a-f]+$' 5 $tracer
kill -INT $tracer
wait $tracer || note_fail "bcc-run exited $? after SIGINT: $(cat "$work/kern.err")"
grep -qE "^pid=$opener kernel_stack_id=[0-9]+ comm=cat$" "$work/kern" ||
	{ note_fail "no event of the opener:"; sed 's/^/    /' "$work/kern"; }
grep -q "'stacks'" "$work/kern.err" && note_fail "bcc-run reported the stack table: $(cat "$work/kern.err")"
check_clean "$before" "bcc-run with a kernel stack table"

# 3. a stack id as the whole key, as users write it: printed as a stack
# when the text assigns the key from get_stackid(); named on stderr when
# the text does not show it (here: an expression of the id)
cat > "$work/bare.bpf.c" <<'TEXT'
BPF_HASH(counts, int);
BPF_HASH(shifted, int);
BPF_STACK_TRACE(stacks, 1024);
BPF_STACK_TRACE(others, 1024);
TRACEPOINT_PROBE(syscalls, sys_enter_openat)
{
	int id, other;

	if (bpf_get_current_pid_tgid() >> 32 != PID)
		return 0;
	id = stacks.get_stackid(args, 0);
	counts.increment(id);
	other = others.get_stackid(args, 0);
	shifted.increment(other + 0);
	return 0;
}
TEXT
rm -f "$work/go"; mkfifo "$work/go"
(read -r _ < "$work/go"; exec cat /etc/hostname > /dev/null) &
opener=$!
"$BIN/bcc-run" "$work/bare.bpf.c" -DPID=$opener > "$work/bare" 2> "$work/bare.err" &
tracer=$!
wait_for "$work/bare.err" '^bcc-run: ready:' 20 $tracer
echo go > "$work/go"
wait $opener
kill -INT $tracer
wait $tracer || note_fail "bcc-run exited $? after SIGINT: $(cat "$work/bare.err")"
frames=$(sed -n '/^counts:$/,/^$/{/^      /p}' "$work/bare")
grep -qE '^      (do_syscall_64|entry_SYSCALL_64[a-z_]*)\+0x[0-9a-f]+$' <<<"$frames" ||
	{ note_fail "no syscall entry frame under the stack id keys of 'counts':"; sed 's/^/    /' "$work/bare" "$work/bare.err"; }
grep -q "the integer keys of 'shifted' may be its ids" "$work/bare.err" ||
	{ note_fail "bcc-run did not name 'shifted' as maybe holding stack ids:"; sed 's/^/    /' "$work/bare.err"; }
grep -q "'counts'\|table 'stacks'" "$work/bare.err" &&
	note_fail "bcc-run reported 'counts' or 'stacks': $(cat "$work/bare.err")"
echo "bare stack id keys: $(grep -c . <<<"$frames") frame(s) under 'counts'; stderr: $(grep -c "'shifted'" "$work/bare.err") note naming 'shifted'"
check_clean "$before" "bcc-run with stack ids as keys"
exit $fail
