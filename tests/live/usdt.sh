#!/usr/bin/env bash
# --usdt: a probe guarded by a semaphore (usdt_sample, built with
# <sys/sdt.h>) fires only while bcc-run has the semaphore set, and the
# BPF text reads each argument with bpf_usdt_readarg(): bcc-run attached by
# PID must count exactly the arguments 1..N. By PATH, libbcc 0.26 (as bcc's
# Python) enables no probe guarded by a semaphore: bcc-run must say so.
# No uprobe may leak (dmesg 'leaking uprobe').
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
SAMPLE=$HELPERS/usdt_sample
N=7
cat > "$work/args.bpf.c" <<'TEXT'
BPF_HASH(seen, u64, u64);
int on_value(struct pt_regs *ctx)
{
	u64 v = 0;

	bpf_usdt_readarg(1, ctx, &v);
	seen.increment(v);
	return 0;
}
TEXT
leaks() { dmesg 2>/dev/null | grep -c 'leaking uprobe'; }
leaks_before=$(leaks)
before=$(snapshot)

# 1. by PID: bcc-run sets the semaphore, the sample fires N times
"$SAMPLE" $N > "$work/sample" &
sample=$!
wait_for "$work/sample" '^pid = ' 10 $sample
"$BIN/bcc-run" "$work/args.bpf.c" --usdt "$sample:bcc_c_test:value:on_value" \
	> "$work/run" 2> "$work/run.err" &
runner=$!
wait_for "$work/run.err" '^bcc-run: ready:' 60 $runner
kill -USR1 $sample
wait $sample
kill -INT $runner
wait $runner || note_fail "bcc-run --usdt PID exited $?: $(cat "$work/run.err")"
echo "sample: $(tail -1 "$work/sample")"
got=$(awk '$1 ~ /^[0-9]+:$/ && $2 == 1 { print $1 }' "$work/run" | tr -d : | sort -n | xargs)
want=$(seq 1 $N | xargs)
echo "by PID: arguments seen once each: [$got] (expected [$want])"
[ "$got" = "$want" ] || { note_fail "by PID: bcc-run printed:"; sed 's/^/    /' "$work/run" "$work/run.err"; }
grep -qx "fired $N" "$work/sample" || note_fail "the sample did not see its semaphore set: $(cat "$work/sample")"

# 2. without a tracer the semaphore stays clear: the sample fires nothing
"$SAMPLE" $N > "$work/sample" &
sample=$!
wait_for "$work/sample" '^pid = ' 10 $sample
kill -USR1 $sample
wait $sample
grep -qx "fired 0" "$work/sample" || note_fail "semaphore set after bcc-run exited: $(cat "$work/sample")"

# 3. by PATH: refused with the reason and the fix, nothing left behind
expect_fail "libbcc enables a probe guarded by a semaphore only in a process; give the PID" -- \
	"$BIN/bcc-run" "$work/args.bpf.c" --usdt "$SAMPLE:bcc_c_test:value:on_value" -d 1
# 4. a probe that does not exist, and a malformed spec
expect_fail "cannot enable USDT probe 'nosuch' of '$SAMPLE': no such probe; list them with: readelf -n" -- \
	"$BIN/bcc-run" "$work/args.bpf.c" --usdt "$SAMPLE:nosuch:on_value" -d 1
expect_fail "invalid --usdt 'value:on_value': expected PATH\|PID:\[PROVIDER:\]PROBE:FN" -- \
	"$BIN/bcc-run" "$work/args.bpf.c" --usdt "value:on_value" -d 1

check_clean "$before" "bcc-run --usdt"
leaks_after=$(leaks)
[ "$leaks_after" = "$leaks_before" ] ||
	note_fail "dmesg: 'leaking uprobe' went from $leaks_before to $leaks_after"
exit $fail
