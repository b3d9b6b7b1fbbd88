#!/usr/bin/env bash
# Uprobes on glibc's IFUNCs go to the implementation this CPU runs, not to
# the resolver (which runs only while the dynamic linker binds the symbol):
# bcc-run counts every marked strlen() and memcpy() call of a workload, at
# entry and return, and says where it attached; strlen_snoop_simple sees the
# strlen() calls of an ls.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
N=500
command -v python3 > /dev/null || { echo "SKIP: the workload needs python3 (ctypes)"; exit 77; }
before=$(snapshot)

# calls whose string starts with the marker, per process: the workload's
# own, none of the dynamic linker's
cat > "$work/ifunc_marks.bpf.c" <<'TEXT'
#include <uapi/linux/ptrace.h>

BPF_HASH(strlen_calls, u32, u64);
BPF_HASH(strlen_returns, u32, u64);
BPF_HASH(memcpy_calls, u32, u64);

/* starts with "bcc-c-ifunc-mark", read as two little-endian words */
static int is_marker(const void *p)
{
	u64 w[2] = {};

	bpf_probe_read_user(w, sizeof(w), p);
	return w[0] == 0x66692d632d636362ULL && w[1] == 0x6b72616d2d636e75ULL;
}

int on_strlen(struct pt_regs *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;

	if (is_marker((void *)PT_REGS_PARM1(ctx)))
		strlen_calls.increment(pid);
	return 0;
}

int on_strlen_ret(struct pt_regs *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;

	strlen_returns.increment(pid);
	return 0;
}

int on_memcpy(struct pt_regs *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;

	if (is_marker((void *)PT_REGS_PARM2(ctx)))
		memcpy_calls.increment(pid);
	return 0;
}
TEXT

# 1. bcc-run: N marked calls of each, through ctypes (as a program's calls
# through the PLT, they go where the linker bound the IFUNC)
"$BIN/bcc-run" "$work/ifunc_marks.bpf.c" -u c:strlen:on_strlen -U c:strlen:on_strlen_ret \
	-u c:memcpy:on_memcpy > "$work/run" 2> "$work/run.err" &
runner=$!
wait_for "$work/run.err" '^bcc-run: ready:' 60 $runner
python3 -c '
import ctypes, os, sys
n = int(sys.argv[1])
libc = ctypes.CDLL("libc.so.6")
mark = b"bcc-c-ifunc-mark:%d" % os.getpid()
buf = ctypes.create_string_buffer(64)
for _ in range(n):
    libc.strlen(mark)
for _ in range(n):
    libc.memcpy(buf, mark, len(mark))
print(os.getpid())' $N > "$work/pid"
kill -INT $runner
wait $runner || note_fail "bcc-run exited $?: $(cat "$work/run.err")"
pid=$(cat "$work/pid")
# count TABLE: the value of key $pid in TABLE as bcc-run prints it at exit
count() {
	awk -v t="$1:" -v k="$pid:" '/^[^ ]/ { in_t = ($1 == t) } in_t && $1 == k { print $2 }' "$work/run"
}
for t in strlen_calls strlen_returns memcpy_calls; do
	c=$(count $t)
	[ "${c:-0}" -ge $N ] || note_fail "$t: ${c:-0} for pid $pid, expected at least $N"
	echo "$t[$pid] = ${c:-0} (workload: $N)"
done
for sym in strlen memcpy; do
	grep -qE "^bcc-run: '$sym' in [^ ]*libc\.so\.6 is an IFUNC; attaching to the implementation this CPU uses, ([A-Za-z0-9_]+ )?at address 0x[0-9a-f]+ \(file offset 0x[0-9a-f]+\)$" "$work/run.err" ||
		note_fail "bcc-run did not say where the IFUNC '$sym' attached: $(cat "$work/run.err")"
done
[ "$(grep -c "is an IFUNC" "$work/run.err")" = 3 ] || note_fail "not one notice per probe: $(cat "$work/run.err")"
check_clean "$before" "bcc-run on IFUNCs"

# 2. strlen_snoop_simple, as the tutorial runs it, sees ls's strlen() of
# each of 100 names, not only the resolver's one call; -p keeps the rest of
# the host's strlen() calls out of trace_pipe
mkdir "$work/dir"
for i in $(seq 100); do : > "$work/dir/name-$i"; done
mkfifo "$work/go"
: > "$work/lister"
# -p reads the process's maps for libc: the shell says it runs (exec'd and
# linked, libc mapped) before the tool starts; $! alone may still be the
# process as soon as it is forked, maybe exec'd with libc not mapped yet
sh -c 'echo $$ > "$1"; read -r x < "$2"; exec ls -l "$3"' sh "$work/lister" "$work/go" \
	"$work/dir" > /dev/null &
lister=$!
wait_for "$work/lister" "^$lister\$" 10 $lister
"$BIN/strlen_snoop_simple" -p $lister > "$work/trace" 2> "$work/trace.err" &
tracer=$!
wait_for "$work/trace" '^TIME\(s\) ' 10 $tracer
echo go > "$work/go"
wait $lister
# the lines arrive through trace_pipe after ls ends: wait for the 100th
wait_for "$work/trace" " ls +$lister +length of argument string = 8\.$" 10 $tracer 100
kill -INT $tracer
wait $tracer || note_fail "strlen_snoop_simple exited $?: $(cat "$work/trace.err")"
echo "strlen_snoop_simple: $(grep -cE " ls +$lister " "$work/trace") strlen() lines of ls"
grep -qE "^strlen_snoop_simple: 'strlen' in [^ ]*libc\.so\.6 is an IFUNC; attaching to the implementation this CPU uses" "$work/trace.err" ||
	note_fail "strlen_snoop_simple did not say where it attached: $(cat "$work/trace.err")"
check_clean "$before" "strlen_snoop_simple"
exit $fail
