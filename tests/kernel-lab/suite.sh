#!/usr/bin/env bash
# The kernel-lab suite: runs inside the lab guest (a kernel with kprobes and
# kfunc), as root, from the project's checkout, in one boot. Each check
# prints "LAB-RESULT <name> PASS|FAIL"; the host turns those into CTest
# results. With LAB_PYTHON_WITNESS=1 it also checks that Python bcc fails
# to compile texts bcc-c runs (python_bcc_fails). Usage: suite.sh BIN HELPERS
BIN=$(realpath "$1") HELPERS=$(realpath "$2")
. "$(dirname "$0")/../live/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
ATTACH_TIMEOUT=${ATTACH_TIMEOUT:-300} # bcc compiles ~15x slower under TCG
# the host's cache is read-only here: keep one in the guest's /tmp
export BCC_C_CACHE_DIR=/tmp/bcc-c-cache

result() { # result NAME: PASS unless a check failed since the last result
	echo "$1: $((SECONDS - check_start)) s"
	check_start=$SECONDS
	if [ "$fail" = 0 ]; then echo "LAB-RESULT $1 PASS"; else echo "LAB-RESULT $1 FAIL"; fi
	suite_fail=$((suite_fail | fail))
	fail=0
}
suite_fail=0
check_start=$SECONDS

# start NAME TOOL ARGS...: run TOOL in the background into $work/NAME and
# wait until it is attached: the tools print their header then, bcc-run a
# "bcc-run: ready:" line on stderr
start() {
	local name=$1 tool=$2 t0=$SECONDS ready
	shift 2
	ready=("$work/$name" .)
	[ "$tool" = bcc-run ] && ready=("$work/$name.err" '^bcc-run: ready:')
	rm -f "$work/$name" "$work/$name.err" # stale lines would pass wait_for (lib.sh)
	"$BIN/$tool" "$@" > "$work/$name" 2> "$work/$name.err" &
	tool_pid=$!
	if wait_for "${ready[@]}" "$ATTACH_TIMEOUT" $tool_pid; then
		echo "$name: attached in $((SECONDS - t0)) s"
		return 0
	fi
	note_fail "$tool $* did not attach:"; sed 's/^/    /' "$work/$name.err"
	kill -INT $tool_pid 2>/dev/null
	return 1
}

# stop NAME PATTERN: once the tool printed a line matching PATTERN (the
# last event the check expects), end it with SIGINT, as a user would
stop() {
	wait_for "$work/$1" "$2" 60 $tool_pid
	kill -INT $tool_pid 2>/dev/null
	wait $tool_pid || note_fail "$1 exited $?: $(cat "$work/$1.err")"
	echo "--- $1 output:"; head -20 "$work/$1"
}

# connect_lo PORT: a loopback TCP connect by a python3 process whose pid
# goes to $work/connect.pid
connect_lo() {
	/usr/bin/python3 - "$1" "$work/connect.pid" <<'PY'
import os, socket, sys
port, pidfile = int(sys.argv[1]), sys.argv[2]
open(pidfile, "w").write("%d\n" % os.getpid())
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(1)
cli = socket.socket()
cli.connect(("127.0.0.1", port))
srv.accept()
# stay a moment: a tool names a task the kernel printed as <...> from /proc
import time; time.sleep(1)
PY
}

before=$(snapshot)
uname -r

# --- smoke: this is a real kernel with kprobes and kfunc
"$HELPERS/features" | tee "$work/features"
grep -q "^kprobes: yes" "$work/features" || note_fail "runtime does not see kprobes"
grep -q "^kfunc: yes" "$work/features" || note_fail "runtime does not see kfunc loadable"
out=$("$BIN/check_kfunc"); status=$?
[ $status = 0 ] && [ "$out" = "kfunc is supported" ] || note_fail "check_kfunc ($status): $out"
result smoke_features

port=$((20000 + RANDOM % 20000))

# --- Python bcc 0.26 compiles the texts of the kprobe checks below, in the
# background (a compile takes a minute here; the guest has two CPUs), only
# compiling: nothing loads or attaches, so the checks see no other tracer.
# Its libbcc force-includes its own copy of the uapi bpf.h, older than
# 6.12's headers, which then use types that copy lacks.
witness_texts="tcpv4connect tcpv4connect_args"
if [ "${LAB_PYTHON_WITNESS:-0}" = 1 ]; then
	for t in $witness_texts; do
		/usr/bin/python3 - "$TOP/tools/$t/$t.bpf.c" > "$work/py_$t" 2>&1 <<'PY'
import sys
from bcc import BPF


class CompileOnly(BPF):
    def _trace_autoload(self):
        pass


CompileOnly(text=open(sys.argv[1]).read())
print("python-bcc: compiled")
PY
		echo "python-bcc: exit $?" >> "$work/py_$t"
	done &
	py_pid=$!
fi

# --- tcpv4connect_simple: kprobe + kretprobe by name
if start simple tcpv4connect_simple; then
	connect_lo $port
	p=$(cat "$work/connect.pid")
	stop simple "^$p +python3 +return value of tcp4connect"
	grep -qE "^$p +python3 +start of tcp4connect$" "$work/simple" || note_fail "no start line for pid $p"
	grep -qE "^$p +python3 +return value of tcp4connect 0$" "$work/simple" || note_fail "no return 0 line for pid $p"
fi
result tcpv4connect_simple

# --- tcpv4connect_args: the third argument
if start args tcpv4connect_args; then
	connect_lo $((port + 1))
	p=$(cat "$work/connect.pid")
	stop args "^$p +python3 +start of tcp4connect"
	grep -qE "^$p +python3 +start of tcp4connect addr_len=16$" "$work/args" || note_fail "no addr_len=16 for pid $p"
fi
result tcpv4connect_args

# --- the argument rule: declaring only 'int addr_len' reads the first argument
cat > "$work/rule.bpf.c" <<'C'
#include <uapi/linux/ptrace.h>
int kprobe__tcp_v4_connect(struct pt_regs *ctx, int addr_len)
{
	bpf_trace_printk("addr_len=%d first=%d\n", addr_len, (int)PT_REGS_PARM1(ctx));
	return 0;
}
C
if start rule tcpv4connect_args -f "$work/rule.bpf.c"; then
	connect_lo $((port + 2))
	p=$(cat "$work/connect.pid")
	stop rule "^$p +python3 +addr_len="
	line=$(grep -E "^$p +python3 +addr_len=" "$work/rule" | head -1)
	read -r got first <<<"$(sed -E 's/.*addr_len=(-?[0-9]+) first=(-?[0-9]+)$/\1 \2/' <<<"$line")"
	if [ -z "$line" ]; then note_fail "no line for pid $p"
	elif [ "$got" != "$first" ] || [ "$got" = 16 ]; then
		note_fail "addr_len=$got, first argument=$first: expected the first argument, not 16"
	fi
fi
result argument_rule

# --- tcpv4connect: addresses and port
if start full tcpv4connect; then
	connect_lo $((port + 3))
	p=$(cat "$work/connect.pid")
	stop full "^$p +python3 +127"
	grep -qE "^$p +python3 +127\.0\.0\.1 +127\.0\.0\.1 +$((port + 3)) *$" "$work/full" ||
		note_fail "no 'PID python3 127.0.0.1 127.0.0.1 $((port + 3))' line"
	grep -q "^PID    COMM         SADDR            DADDR            DPORT$" "$work/full" || note_fail "header"
fi
result tcpv4connect

# --- unlinksnoop: a unique file removed by rm
victim=$work/victim-$RANDOM$RANDOM
if start unlink unlinksnoop; then
	touch "$victim"
	sh -c 'echo $$ > "$1"; exec rm "$2"' sh "$work/rm.pid" "$victim"
	p=$(cat "$work/rm.pid")
	stop unlink "KPROBE EXIT: pid = $p,"
	# rm is gone before its name can be looked up if the kernel printed <...>
	grep -qE " (rm|<\.\.\.>) +$p +KPROBE ENTRY pid = $p, filename = $victim$" "$work/unlink" ||
		note_fail "no ENTRY line for $victim"
	grep -qE " (rm|<\.\.\.>) +$p +KPROBE EXIT: pid = $p, ret = 0$" "$work/unlink" ||
		note_fail "no EXIT ret = 0 line"
fi
result unlinksnoop

# --- opensnoop_simple in each mode: a unique path and a missing one
found=$work/found-$RANDOM$RANDOM
echo data > "$found"
for mode in kfunc kprobe tracepoint; do
	args=(--probe "$mode")
	[ $mode = kfunc ] && args=() # the default must pick kfunc on this kernel
	if start "open_$mode" opensnoop_simple "${args[@]}" -d 600; then
		sh -c 'echo $$ > "$1"; exec cat "$2"' sh "$work/o1" "$found" > /dev/null
		sh -c 'echo $$ > "$1"; exec cat "$2"' sh "$work/o2" "$found.missing" 2> /dev/null
		stop "open_$mode" " $found.missing$"
		o1=$(cat "$work/o1") o2=$(cat "$work/o2")
		grep -qE "^$o1 +cat +[0-9]+ +0 $found$" "$work/open_$mode" || note_fail "$mode: no FD>=0 line for $found"
		grep -qE "^$o2 +cat +-1 +2 $found.missing$" "$work/open_$mode" || note_fail "$mode: no -1 2 line"
		[ $mode = kfunc ] && [ -s "$work/open_kfunc.err" ] &&
			note_fail "kfunc mode should be chosen silently: $(cat "$work/open_kfunc.err")"
	fi
	result "opensnoop_$mode"
done

# --- bcc-run: a kprobe example attached by its name sees a real event
victim=$work/bccrun-$RANDOM$RANDOM
EXAMPLES=$(realpath "$(dirname "$0")/../../examples")
if start bccrun bcc-run "$EXAMPLES/kprobe_unlink.bpf.c"; then
	touch "$victim"
	sh -c 'echo $$ > "$1"; exec rm "$2"' sh "$work/rm2.pid" "$victim"
	p=$(cat "$work/rm2.pid")
	stop bccrun "unlink $victim$"
	grep -qE " (rm|<\.\.\.>) +$p +unlink $victim$" "$work/bccrun" || note_fail "no 'unlink $victim' line"
fi
result bcc_run_kprobe

# --- the witness: Python bcc fails where bcc-c compiles the same file
if [ "${LAB_PYTHON_WITNESS:-0}" = 1 ]; then
	wait $py_pid
	for t in $witness_texts; do
		echo "--- Python bcc on $t.bpf.c:"
		grep -E "error:" "$work/py_$t" | head -4
		tail -n 2 "$work/py_$t"
		grep -q "^python-bcc: exit 0$" "$work/py_$t" && note_fail "Python bcc compiled $t.bpf.c"
		grep -q "incomplete type 'struct bpf_wq'" "$work/py_$t" &&
			grep -q "incomplete type 'struct bpf_rb_root'" "$work/py_$t" ||
			note_fail "Python bcc on $t.bpf.c: not the known bpf_wq/bpf_rb_root errors"
		if "$BIN/$t" -f "$TOP/tools/$t/$t.bpf.c" -d 1 > "$work/c_$t" 2>&1; then
			echo "bcc-c: $t -f tools/$t/$t.bpf.c -d 1: exit 0"
		else
			note_fail "bcc-c: $t -f tools/$t/$t.bpf.c -d 1: exit $?: $(head -5 "$work/c_$t")"
		fi
	done
	result python_bcc_fails
fi

# --- nothing left behind by the tools stopped with SIGINT above
check_clean "$before" "the tools stopped with SIGINT"
result nothing_left_behind

# --- stops at random moments, by every signal, leave no kprobe behind (the
# texts are cached by now, so most stops come after attaching)
before=$(snapshot)
sigs=(INT TERM HUP KILL)
for tool in tcpv4connect_simple unlinksnoop; do
	for i in $(seq "${LAB_STOPS:-10}"); do
		sig=${sigs[RANDOM % 4]}
		delay=$((RANDOM % 2)).$((RANDOM % 10))
		# a script's background jobs start with SIGINT ignored; a SIGINT sent
		# before the tool installs its handler would be lost, so reset it
		env --default-signal=INT,QUIT "$BIN/$tool" > /dev/null 2> "$work/stop.err" &
		pid=$!
		# start the clock once the tool itself runs (env has reset the signals)
		for _ in $(seq 200); do
			[ "$(readlink /proc/$pid/exe 2>/dev/null)" = "$(realpath "$BIN/$tool")" ] && break
			sleep 0.01
		done
		sleep "$delay"
		kill -s "$sig" $pid 2>/dev/null
		# a tool that does not end is a failure to report, not a hang
		for _ in $(seq 120); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
		if kill -0 $pid 2>/dev/null; then
			note_fail "$tool did not end 60 s after SIG$sig (sent at ${delay}s): wchan $(cat /proc/$pid/wchan 2>/dev/null); stack: $(tr '\n' ' ' < /proc/$pid/stack 2>/dev/null); stderr: $(head -3 "$work/stop.err")"
			kill -9 $pid
		fi
		wait $pid 2>/dev/null
		status=$?
		echo "$tool: SIG$sig at ${delay}s: exit $status"
		case $sig:$status in
		KILL:137 | *:0 | INT:130 | TERM:143 | HUP:129) ;;
		*) note_fail "$tool: SIG$sig: exit $status: $(head -3 "$work/stop.err")" ;;
		esac
	done
	echo "$tool: ${LAB_STOPS:-10} stops"
done
check_clean "$before" "random stops of the kprobe tools"
result kprobe_stops
echo "suite: $SECONDS s"
exit $suite_fail
