#!/usr/bin/env bash
# IFUNC lookups never run a user's code as root, and a Ctrl-C stops them.
# 1. bcc-run -u on an IFUNC of a library nobody owns (its constructor would
#    write a mark next to it) refuses with a paragraph naming the file and
#    the fix (BINARY:0xADDR), exits non-zero, leaves nothing, and no mark;
#    the fix works: the implementation by its address attaches.
# 2. Ctrl-C between attaches: 64 -u specs on glibc's strlen, SIGINT once the
#    first lookup is said: bcc-run stops there, detaches, exits 0.
# 3. Ctrl-C during a lookup that would last 10 s (a root library whose
#    constructor spins, run as nobody): bcc-run exits 0 within 2 s.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (chown to nobody)"; exit 77; }
id -u nobody > /dev/null 2>&1 || { echo "SKIP: needs the user nobody"; exit 77; }
work=$(mktemp -d)
trap 'kill -INT $(jobs -p) 2>/dev/null; wait; rm -rf "$work"' EXIT
chmod 755 "$work" # nobody reads root's libraries below it
leaks_before=$(uprobe_leaks)
before=$(snapshot)
cat > "$work/calls.bpf.c" <<'TEXT'
#include <uapi/linux/ptrace.h>

BPF_HASH(ifunc_calls, u32, u64);

int on_call(struct pt_regs *ctx)
{
	ifunc_calls.increment(bpf_get_current_pid_tgid() >> 32);
	return 0;
}
TEXT

# 1. a user's library
mkdir "$work/user"
cp "$HELPERS/libifunc_mark.so" "$work/user/"
chown -R nobody "$work/user"
lib=$work/user/libifunc_mark.so
expect_fail "^bcc-run: error: cannot attach uprobe 'on_call' to 'ifunc_mark' in '$lib': it is an IFUNC .*'$lib' is owned by nobody \(uid 65534\); put the library where only root can write .*BINARY:0xADDR" -- \
	"$BIN/bcc-run" "$work/calls.bpf.c" -d 5 -u "$lib:ifunc_mark:on_call"
[ -e "$lib.mark" ] && note_fail "the user's library ran: $(cat "$lib.mark")"
addr=$(nm "$lib" | awk '$3 == "ifunc_mark_user" { print $1 }')
"$BIN/bcc-run" "$work/calls.bpf.c" -u "$lib:0x$addr:on_call" > /dev/null 2> "$work/addr.err" &
runner=$!
wait_for "$work/addr.err" '^bcc-run: ready: 1 probe' 60 $runner
kill -INT $runner
wait $runner || note_fail "bcc-run at 0x$addr exited $?: $(cat "$work/addr.err")"
[ -e "$lib.mark" ] && note_fail "the user's library ran: $(cat "$lib.mark")"
echo "a user's library: checked the refusal, the mark, the attach by address"

# interrupt PID WHAT ERRFILE: SIGINT to bcc-run PID, which must exit 0
# within 2 s; sets ms to how long it took
interrupt() {
	local status start

	kill -INT "$1"
	start=$(date +%s%N)
	wait "$1"
	status=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	[ $status = 0 ] || note_fail "bcc-run stopped $2 exited $status: $(tail -3 "$3")"
	[ $ms -lt 2000 ] || note_fail "bcc-run took $ms ms to stop $2"
}

# 2. Ctrl-C between attaches
specs=()
for _ in $(seq 64); do specs+=(-u c:strlen:on_call); done
"$BIN/bcc-run" "$work/calls.bpf.c" "${specs[@]}" > /dev/null 2> "$work/many.err" &
runner=$!
wait_for "$work/many.err" "^bcc-run: 'strlen' in .* is an IFUNC" 60 $runner
interrupt $runner "between attaches" "$work/many.err"
n=$(grep -c "is an IFUNC" "$work/many.err")
grep -q '^bcc-run: ready' "$work/many.err" && note_fail "bcc-run attached all 64 after SIGINT"
[ "$n" -lt 64 ] || note_fail "bcc-run looked up all 64 IFUNCs after SIGINT"
grep -v "is an IFUNC" "$work/many.err" | grep . && note_fail "bcc-run said more than the notices"
echo "Ctrl-C between attaches: stopped after $n of 64 lookups, $ms ms after SIGINT"
check_clean "$before" "bcc-run stopped between attaches"

# 3. Ctrl-C during a slow lookup: the child spinning in the constructor is
# bcc-run's fork (its comm), running as nobody
mkdir "$work/root"
cp "$HELPERS/libifunc_slow.so" "$work/root/"
"$BIN/bcc-run" "$work/calls.bpf.c" -u "$work/root/libifunc_slow.so:ifunc_slow:on_call" \
	> /dev/null 2> "$work/slow.err" &
runner=$!
child=
for _ in $(seq 200); do
	child=$(ps -o pid=,uid=,comm= --ppid $runner | awk '$2 == 65534 && $3 == "bcc-run" { print $1 }')
	[ -n "$child" ] && break
	kill -0 $runner 2>/dev/null || break
	sleep 0.05
done
[ -n "$child" ] || note_fail "no lookup process of bcc-run running as nobody: $(cat "$work/slow.err")"
interrupt $runner "during a lookup" "$work/slow.err"
[ -n "$child" ] && kill -0 "$child" 2>/dev/null && note_fail "the lookup process $child outlived bcc-run"
echo "Ctrl-C during a lookup (process $child, as nobody): stopped $ms ms after SIGINT"
check_clean "$before" "bcc-run stopped during a lookup"
check_no_uprobe_leak "$leaks_before"
exit $fail
