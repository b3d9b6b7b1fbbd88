#!/usr/bin/env bash
# -u BINARY:0xADDR takes a virtual address, as nm prints it and as bcc's
# attach_uprobe(addr=) takes it: the probe fires in a program linked at a
# fixed address (python3.11, where addresses and file offsets differ) and
# in a PIE (target-sample), and an address of data is refused.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
EX=$(cd "$(dirname "$0")/../../examples" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
PY=/usr/bin/python3.11
[ -x $PY ] && [ "$(readelf -h $PY | awk '$1 == "Type:" { print $2 }')" = EXEC ] ||
	{ echo "SKIP: $PY is missing or not linked at a fixed address (readelf -h: Type EXEC)"; exit 77; }
before=$(snapshot)

# counted ADDR_SPEC EXPECTED COMMAND...: calls per pid (examples/strlen_count)
# at ADDR_SPEC while COMMAND runs; COMMAND prints its pid on its first line
# (target-sample: "pid = N"); the count of that pid must be EXPECTED
counted() {
	local spec=$1 want=$2 runner pid got
	shift 2
	rm -f "$work/run" "$work/run.err" # stale lines would pass wait_for (lib.sh)
	"$BIN/bcc-run" "$EX/strlen_count.bpf.c" -u "$spec" > "$work/run" 2> "$work/run.err" &
	runner=$!
	wait_for "$work/run.err" '^bcc-run: ready:' 60 $runner
	"$@" > "$work/cmd"
	kill -INT $runner
	wait $runner || note_fail "bcc-run -u $spec exited $?: $(cat "$work/run.err")"
	pid=$(head -1 "$work/cmd" | tr -dc 0-9)
	got=$(awk -v k="$pid:" '$1 == k { print $2 }' "$work/run")
	echo "-u $spec: ${got:-no} call(s) of pid $pid (expected $want)"
	[ "${got:-0}" = "$want" ] || {
		note_fail "-u $spec: pid $pid counted ${got:-0} times, expected $want; bcc-run printed:"
		sed 's/^/    /' "$work/run" "$work/run.err"
	}
}

# 1. a program linked at 0x400000: Py_BytesMain runs once per process
addr=$(nm -D $PY | awk '$3 == "Py_BytesMain" { print $1 }' | sed 's/^0*//')
[ -n "$addr" ] || note_fail "nm -D $PY lists no Py_BytesMain"
counted "$PY:0x$addr:count" 1 $PY -c 'import os; print(os.getpid())'

# 2. a PIE: func runs once per call
addr=$(nm "$BIN/target-sample" | awk '$3 == "func" { print $1 }' | sed 's/^0*//')
counted "$BIN/target-sample:0x$addr:count" 5 "$BIN/target-sample" -i 0 -n 5

# 3. data is refused, in both
data=$(nm -D $PY | awk '$2 == "D" { print $1; exit }' | sed 's/^0*//')
expect_fail "cannot attach uprobe 'count' at address 0x$data of '$PY': the address is in no executable segment of the file; give the virtual address of code, as nm or objdump -d print it" -- \
	"$BIN/bcc-run" "$EX/strlen_count.bpf.c" -u "$PY:0x$data:count" -d 1
data=$(nm "$BIN/target-sample" | awk '$3 == "__data_start" { print $1 }' | sed 's/^0*//')
expect_fail "cannot attach uprobe 'count' at address 0x$data of '$BIN/target-sample': the address is in no executable segment" -- \
	"$BIN/bcc-run" "$EX/strlen_count.bpf.c" -u "$BIN/target-sample:0x$data:count" -d 1
check_clean "$before" "bcc-run -u BINARY:0xADDR"
exit $fail
