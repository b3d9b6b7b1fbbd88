#!/usr/bin/env bash
# check_kfunc agrees with an independent witness: Python bcc trying to
# load and attach a real KFUNC_PROBE program on this kernel.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"

witness=$(/usr/bin/python3 - <<'PY' 2>/dev/null
from bcc import BPF
try:
    BPF(text="KFUNC_PROBE(vfs_read) { return 0; }")
    print("supported")
except Exception as e:
    print("not supported:", e)
PY
)
out=$("$BIN/check_kfunc" 2>&1)
status=$?
case "$witness" in
supported*)
	[ $status = 0 ] && [ "$out" = "kfunc is supported" ] ||
		note_fail "Python bcc loads kfunc here, check_kfunc said ($status): $out" ;;
"not supported"*)
	[ $status = 1 ] || note_fail "check_kfunc exited $status where kfunc cannot load ($witness)"
	[ "$(sed -n 1p <<<"$out")" = "kfunc is not supported" ] || note_fail "first line: $out"
	grep -qE "^(the kernel refused|kfunc needs kernel BTF|a minimal fentry|cannot find)" \
		<<<"$(sed -n 2p <<<"$out")" || note_fail "no reason on line 2: $out" ;;
*)
	note_fail "no witness: Python bcc said: $witness" ;;
esac
echo "check_kfunc: $out"
echo "witness: $witness"
exit $fail
