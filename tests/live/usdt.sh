#!/usr/bin/env bash
# --usdt: probes guarded by a semaphore (usdt_sample, built with
# <sys/sdt.h>) fire only while a tracer has the semaphore set, and the BPF
# text reads each argument with bpf_usdt_readarg().
# 1. By PID (libbcc sets the semaphore in the process): bcc-run must count
#    exactly the arguments 1..N.
# 2. By PATH, the sample started after bcc-run is ready (the kernel sets
#    the semaphore through the uprobe's reference counter; libbcc 0.26
#    refuses this): the sample sees its semaphore set, bcc-run counts
#    1..N and reads one argument of each kind sdt.h writes (registers of
#    1, 2, 4 and 8 bytes, signed and not, 'sym(%rip)' in a PIE, 'off(%reg)',
#    '(%base,%index,scale)', a constant, a string pointer, also through
#    bpf_usdt_readarg_p()), compiled and
#    then from the compile cache, printing the same.
# 3. Without a tracer the semaphore stays clear.
# 4. Mistakes: no such probe, a malformed spec, a library without probes.
# No uprobe may leak (dmesg 'leaking uprobe').
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export BCC_C_CACHE_DIR=$work/cache BCC_C_VERBOSE=1
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

struct args_event {
	s8 small;
	u16 port;
	s32 negative;
	u64 big;
	s64 global;
	s32 constant;
	s16 member;
	s32 cell;
	char text[16];
	char text_p[11];
};
BPF_PERF_OUTPUT(events);
int on_args(struct pt_regs *ctx)
{
	struct args_event e = {};
	u64 text = 0;

	bpf_usdt_readarg(1, ctx, &e.small);
	bpf_usdt_readarg(2, ctx, &e.port);
	bpf_usdt_readarg(3, ctx, &e.negative);
	bpf_usdt_readarg(4, ctx, &e.big);
	bpf_usdt_readarg(5, ctx, &e.global);
	bpf_usdt_readarg(6, ctx, &text);
	bpf_probe_read_user_str(e.text, sizeof(e.text), (void *)text);
	bpf_usdt_readarg_p(6, ctx, &e.text_p, sizeof(e.text_p));
	bpf_usdt_readarg(7, ctx, &e.constant);
	bpf_usdt_readarg(8, ctx, &e.member);
	bpf_usdt_readarg(9, ctx, &e.cell);
	events.perf_submit(ctx, &e, sizeof(e));
	return 0;
}
TEXT
leaks_before=$(uprobe_leaks)
before=$(snapshot)

# 1. by PID: bcc-run sets the semaphore, the sample fires N times
"$SAMPLE" $N > "$work/sample" &
sample=$!
wait_for "$work/sample" "^pid = $sample\$" 10 $sample
rm -f "$work/run" "$work/run.err" # stale lines would pass wait_for (lib.sh)
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

# 2. by PATH, the sample started once bcc-run is ready: compiled, then
# from the cache
want_args="small=-8 port=65000 negative=-123456 big=5000000000 global=-5000000000 constant=42 member=-300 cell=30 text=hello usdt text_p=hello usdt"
for run in compiled cache; do
	rm -f "$work/run" "$work/run.err" # stale lines would pass wait_for (lib.sh)
	"$BIN/bcc-run" "$work/args.bpf.c" --usdt "$SAMPLE:bcc_c_test:value:on_value" \
		--usdt "$SAMPLE:bcc_c_test:args:on_args" > "$work/run" 2> "$work/run.err" &
	runner=$!
	wait_for "$work/run.err" '^bcc-run: ready:' 60 $runner
	"$SAMPLE" --now $N > "$work/sample"
	wait_for "$work/run" '^small=' 10 $runner
	kill -INT $runner
	wait $runner || note_fail "bcc-run --usdt PATH exited $?: $(cat "$work/run.err")"
	echo "by PATH ($run): sample: $(xargs < "$work/sample")"
	grep -q 'loaded from the compile cache' "$work/run.err" && got_run=cache || got_run=compiled
	[ "$got_run" = $run ] || note_fail "by PATH: expected a $run run, got a $got_run one"
	grep -qx "enabled = 1" "$work/sample" || note_fail "by PATH: the sample did not see its semaphore set"
	grep -qx "fired $N" "$work/sample" || note_fail "by PATH: the sample did not fire $N times"
	got=$(awk '$1 ~ /^[0-9]+:$/ && $2 == 1 { print $1 }' "$work/run" | tr -d : | sort -n | xargs)
	echo "by PATH ($run): arguments seen once each: [$got] (expected [$want])"
	[ "$got" = "$want" ] || note_fail "by PATH: value arguments [$got], expected [$want]"
	got_args=$(grep '^small=' "$work/run")
	echo "by PATH ($run): $got_args"
	[ "$got_args" = "$want_args" ] || note_fail "by PATH: args event, expected: $want_args"
	[ $fail = 0 ] || { sed 's/^/    /' "$work/run" "$work/run.err"; break; }
done

# 3. without a tracer the semaphore stays clear: the sample fires nothing
"$SAMPLE" --now $N > "$work/sample"
grep -qx "enabled = 0" "$work/sample" && grep -qx "fired 0" "$work/sample" ||
	note_fail "semaphore set after bcc-run exited: $(cat "$work/sample")"

# 4. a probe that does not exist, a file that does not, one without probes, a
# malformed spec
expect_fail "cannot enable USDT probe 'nosuch' of '$SAMPLE': no such probe; list them with: readelf -n" -- \
	"$BIN/bcc-run" "$work/args.bpf.c" --usdt "$SAMPLE:nosuch:on_value" -d 1
expect_fail "cannot enable USDT probe 'libc:setjmp' of '/nonexistent/libc.so.6': no such file" -- \
	"$BIN/bcc-run" "$work/args.bpf.c" --usdt "/nonexistent/libc.so.6:libc:setjmp:on_value" -d 1
# a library built without <sys/sdt.h> probes (this host's glibc; any ELF
# file without a .note.stapsdt section does): said so, with the fix
for nonotes in /lib/x86_64-linux-gnu/libc.so.6 /usr/lib64/libc.so.6 "$(command -v bash)"; do
	[ -f "$nonotes" ] && ! readelf -n "$nonotes" | grep -q stapsdt && break
done
echo "without USDT notes: $nonotes"
expect_fail "cannot enable USDT probe 'libc:setjmp' of '$nonotes': the file has no USDT probes at all \(no .note.stapsdt section.*-u $nonotes:SYMBOL:FN instead" -- \
	"$BIN/bcc-run" "$work/args.bpf.c" --usdt "$nonotes:libc:setjmp:on_value" -d 1
expect_fail "invalid --usdt 'value:on_value': expected PATH\|PID:\[PROVIDER:\]PROBE:FN" -- \
	"$BIN/bcc-run" "$work/args.bpf.c" --usdt "value:on_value" -d 1

check_clean "$before" "bcc-run --usdt"
check_no_uprobe_leak "$leaks_before"
exit $fail
