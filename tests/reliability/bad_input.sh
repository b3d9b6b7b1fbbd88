#!/usr/bin/env bash
# The bad-input corpus: each case gets a clear message naming the cause,
# a non-zero exit, and leaves nothing behind.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/../live/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
run=$BIN/bcc-run
EX=$(cd "$(dirname "$0")/../../examples" && pwd)

: > "$work/empty.bpf.c"
expect_fail "nothing to attach" -- "$run" "$work/empty.bpf.c" -d 1
expect_fail "has no function 'printarg'" -- "$BIN/uprobe_simple" -f "$work/empty.bpf.c" -d 1

expect_fail "'/bin/true' is not a BPF text: it holds NUL bytes" -- "$run" /bin/true -d 1
expect_fail "is not a BPF text" -- "$BIN/uprobe_simple" -f /bin/true -d 1

echo "int x; static int helper(void) { return 0; }" > "$work/nofn.bpf.c"
expect_fail "nothing to attach: the text has no function" -- "$run" "$work/nofn.bpf.c" -d 1

# the verifier refuses a read from the stack at an unbounded index; the
# tail of its log is shown
cat > "$work/verifier.bpf.c" <<'C'
#include <uapi/linux/ptrace.h>
int deref(struct pt_regs *ctx)
{
	volatile char buf[8] = {};
	int i = PT_REGS_PARM2(ctx) & 0xff;

	return buf[i];
}
C
expect_fail "cannot load 'deref': the kernel refused it: .*; end of the verifier's log:" -- \
	"$run" "$work/verifier.bpf.c" -u c:strlen:deref -d 1 --no-cache
"$run" "$work/verifier.bpf.c" -u c:strlen:deref -d 1 2>&1 | grep -q "invalid variable-offset read from stack" ||
	note_fail "the verifier's reason is not shown"

# a huge text: 16 MB of comments around one tracepoint is still a valid
# text: it compiles, attaches and runs
{
	for _ in $(seq 200000); do echo "// padding padding padding padding padding padding padding padding padding padding"; done
	echo 'TRACEPOINT_PROBE(syscalls, sys_enter_getpid) { return 0; }'
} > "$work/huge.bpf.c"
before=$(snapshot)
out=$("$run" "$work/huge.bpf.c" -d 0 --no-cache 2>&1); status=$?
[ $status = 0 ] && grep -q '^bcc-run: ready:' <<<"$out" ||
	note_fail "huge text: exit $status, not attached: $(head -c 2000 <<<"$out")"
check_clean "$before" "huge text"

expect_fail "'nosuchlib' is neither a library \(libnosuchlib.so in the linker cache\) nor a program on PATH" -- \
	"$run" "$EX/strlen_count.bpf.c" -u nosuchlib:strlen:count -d 1

# target-sample as a user builds it, stripped: ours exports func in
# .dynsym (-rdynamic, so the package's stripped copy stays traceable)
cc -O0 -o "$work/stripped" "$(dirname "$0")/../../tools/target-sample/target-sample.c" && strip "$work/stripped"
expect_fail "cannot attach uprobe 'printarg' to 'func' in '$work/stripped': symbol not found \(is the binary stripped" -- \
	"$BIN/uprobe_simple" -b "$work/stripped" -d 1

# a library the -p process has not loaded (target-sample does not use libz)
"$BIN/target-sample" > "$work/target.out" &
target=$!
wait_for "$work/target.out" "^pid = $target\$" 5 $target
expect_fail "process $target has not loaded '/[^']*libz.so[^']*', so the probe could never fire" -- \
	"$run" "$EX/strlen_count.bpf.c" -u z:crc32:count -p $target -d 1
kill $target

# not root: privileges dropped to nobody
expect_fail "not root and without CAP_BPF\+CAP_PERFMON or CAP_SYS_ADMIN; run with sudo" -- \
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
	"$BIN/uprobe_simple" -d 1
# a text nobody can read (the checkout may be private), so the run gets
# as far as the privilege check
mkdir -m 755 "$work/pub" && chmod 755 "$work"
install -m 644 "$EX/hello_tracepoint.bpf.c" "$work/pub/hello.bpf.c"
expect_fail "not root" -- setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
	"$run" "$work/pub/hello.bpf.c" -d 1

# tracefs not mounted (in a mount namespace of its own)
expect_fail "tracefs is not mounted; mount it" -- unshare -m sh -c \
	'umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null; exec "$@"' \
	sh "$BIN/uprobe_simple" -d 1
expect_fail "tracefs is not mounted" -- unshare -m sh -c \
	'umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null; exec "$@"' \
	sh "$run" "$EX/hello_tracepoint.bpf.c" -d 1

# kernel headers missing: the runtime pointed at an empty folder
mkdir "$work/noheaders"
expect_fail "BCC_KERNEL_SOURCE=$work/noheaders holds no kernel headers" -- \
	env BCC_KERNEL_SOURCE="$work/noheaders" "$BIN/uprobe_simple" --no-cache -d 1
exit $fail
