#!/usr/bin/env bash
# --usdt on a system library's SDT probes: libstdc++'s libstdcxx:throw
# (arguments: the exception object, its std::type_info) while
# throw_sample, built by the suite from C++, throws bcc_c_error{1..N}.
# By PATH (the sample started once bcc-run is ready) and by PID (the
# sample waits for SIGUSR1), bcc-run must print exactly N events of the
# sample, with the codes 1..N read through the object pointer, the
# type_info address the sample prints, and the type's name read through
# the type_info's name pointer. Skips (77) without the C++ sample or a
# libstdc++ with the probe.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
SAMPLE=$HELPERS/throw_sample
LIB=$(ldconfig -p | awk '$1 == "libstdc++.so.6" && /x86-64/ { print $NF; exit }')
[ -x "$SAMPLE" ] || { echo "SKIP: no $SAMPLE (the build found no C++ compiler; make setup installs g++)"; exit 77; }
[ -n "$LIB" ] && readelf -n "$LIB" | grep -q 'Name: throw' ||
	{ echo "SKIP: no libstdc++.so.6 with the USDT probe libstdcxx:throw"; exit 77; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
N=5
cat > "$work/throw.bpf.c" <<'TEXT'
struct throw_event {
	u32 pid;
	s32 code;
	u64 tinfo;
	char type[32];
};
BPF_PERF_OUTPUT(events);
int on_throw(struct pt_regs *ctx)
{
	struct throw_event e = {};
	u64 obj = 0, name = 0;

	e.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_usdt_readarg(1, ctx, &obj);
	bpf_usdt_readarg(2, ctx, &e.tinfo);
	bpf_probe_read_user(&e.code, sizeof(e.code), (void *)obj);
	/* std::type_info: a vtable pointer, then the mangled name */
	bpf_probe_read_user(&name, sizeof(name), (void *)(e.tinfo + 8));
	bpf_probe_read_user_str(e.type, sizeof(e.type), (void *)name);
	events.perf_submit(ctx, &e, sizeof(e));
	return 0;
}
TEXT
leaks_before=$(uprobe_leaks)
before=$(snapshot)

# check HOW: the events of the sample's pid in $work/run
check() {
	local how=$1 pid tinfo got want
	pid=$(awk '$1 == "pid" { print $3 }' "$work/sample")
	tinfo=$(awk '$1 == "typeinfo" { print $3 }' "$work/sample")
	grep -qx "caught $N" "$work/sample" || note_fail "$how: the sample did not catch $N: $(xargs < "$work/sample")"
	got=$(grep "^pid=$pid " "$work/run")
	want=$(for i in $(seq 1 $N); do echo "pid=$pid code=$i tinfo=$tinfo type=11bcc_c_error"; done)
	echo "$how: $(grep -c . <<<"$got") event(s) of pid $pid; first: $(head -1 <<<"$got")"
	[ "$got" = "$want" ] || {
		note_fail "$how: expected:"; sed 's/^/    /' <<<"$want"
		echo "  bcc-run printed:"; sed 's/^/    /' "$work/run" "$work/run.err"
	}
}

# 1. by PATH: every process loading libstdc++; the sample starts after
rm -f "$work/run" "$work/run.err" # stale lines would pass wait_for (lib.sh)
"$BIN/bcc-run" "$work/throw.bpf.c" --usdt "$LIB:libstdcxx:throw:on_throw" \
	> "$work/run" 2> "$work/run.err" &
runner=$!
wait_for "$work/run.err" '^bcc-run: ready:' 60 $runner
"$SAMPLE" --now $N > "$work/sample"
pid=$(awk '$1 == "pid" { print $3 }' "$work/sample")
wait_for "$work/run" "^pid=$pid code=$N " 10 $runner
kill -INT $runner
wait $runner || note_fail "bcc-run --usdt PATH exited $?: $(cat "$work/run.err")"
check "by PATH"

# 2. by PID: the probe in the library the process has loaded
# the file still holds part 1's sample's pid line until the child's
# redirection truncates it: wait for this sample's own line
"$SAMPLE" $N > "$work/sample" &
sample=$!
wait_for "$work/sample" "^pid = $sample\$" 10 $sample
rm -f "$work/run" "$work/run.err" # stale lines would pass wait_for (lib.sh)
"$BIN/bcc-run" "$work/throw.bpf.c" --usdt "$sample:libstdcxx:throw:on_throw" \
	> "$work/run" 2> "$work/run.err" &
runner=$!
wait_for "$work/run.err" '^bcc-run: ready:' 60 $runner
kill -USR1 $sample
wait $sample
wait_for "$work/run" "^pid=$sample code=$N " 10 $runner
kill -INT $runner
wait $runner || note_fail "bcc-run --usdt PID exited $?: $(cat "$work/run.err")"
check "by PID"

check_clean "$before" "bcc-run --usdt libstdc++"
check_no_uprobe_leak "$leaks_before"
exit $fail
