#!/usr/bin/env bash
# Bad input: a clear message, a non-zero exit, nothing left behind.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# a syntax error: clang's message with the file's own line number
cat > "$work/broken.bpf.c" <<'C'
#include <uapi/linux/ptrace.h>

int printarg(struct pt_regs *ctx)
{
	int x = ;
	return 0;
}
C
expect_fail "$work/broken.bpf.c:5:10: error: expected expression" -- \
	"$BIN/uprobe_simple" -f "$work/broken.bpf.c" -d 1
expect_fail "cannot compile '$work/broken.bpf.c'" -- \
	"$BIN/strlen_snoop_simple" -f "$work/broken.bpf.c" -d 1

# a binary that does not exist
expect_fail "'/nonexistent/prog' does not exist" -- \
	"$BIN/uprobe_simple" -b /nonexistent/prog -d 1
# a bare name that is neither a library nor on PATH
expect_fail "'no_such_prog_xyz' is neither a library" -- \
	"$BIN/uprobe_simple" -b no_such_prog_xyz -d 1
# a symbol that does not exist (func is not in env)
expect_fail "cannot attach uprobe 'printarg' to 'func' in '/usr/bin/env': symbol not found" -- \
	"$BIN/uprobe_simple" -b /usr/bin/env -d 1
# not an ELF file
expect_fail "not an ELF executable or shared library" -- \
	"$BIN/uprobe_simple" -b /etc/passwd -d 1
# a text without printret: the uprobe already attached for printarg is undone
cat > "$work/noret.bpf.c" <<'C'
int printarg(void *ctx) { return 0; }
C
expect_fail "has no function 'printret'" -- \
	"$BIN/uprobe_simple" -f "$work/noret.bpf.c" -d 1

# a kprobe on a kernel without kprobes (this host), or on a missing function
cat > "$work/kprobe.bpf.c" <<'C'
int kprobe__tcp_v4_connect(void *ctx) { return 0; }
int printarg(void *ctx) { return 0; }
int printret(void *ctx) { return 0; }
C
if [ -e /sys/bus/event_source/devices/kprobe ] || [ -e "$tracefs/kprobe_events" ]; then
	sed -i 's/tcp_v4_connect/no_such_function_xyz/' "$work/kprobe.bpf.c"
	expect_fail "this kernel has no function 'no_such_function_xyz'" -- \
		"$BIN/uprobe_simple" -f "$work/kprobe.bpf.c" -d 1
else
	expect_fail "this kernel has no kprobes \(CONFIG_KPROBES is off\)" -- \
		"$BIN/uprobe_simple" -f "$work/kprobe.bpf.c" -d 1
fi
# --usdt: FN is pasted into the C written before the text, so anything but
# a C identifier is refused before clang runs (it compiled the injected C)
cat > "$work/usdt.bpf.c" <<'C'
int on_value(struct pt_regs *ctx) { u64 v = 0; bpf_usdt_readarg(1, ctx, &v); return 0; }
C
expect_fail "^bcc-run: error: invalid --usdt '$HELPERS/usdt_sample:bcc_c_test:value:fn\\(\\)\\{\\}; int x': FN must name a function of the BPF text, a C identifier" -- \
	"$BIN/bcc-run" "$work/usdt.bpf.c" --usdt "$HELPERS/usdt_sample:bcc_c_test:value:fn(){}; int x" -d 1
expect_fail "^bcc-run: error: invalid --usdt '$HELPERS/usdt_sample:bcc-c:value:on_value': PROVIDER and PROBE must be C identifiers" -- \
	"$BIN/bcc-run" "$work/usdt.bpf.c" --usdt "$HELPERS/usdt_sample:bcc-c:value:on_value" -d 1
exit $fail
