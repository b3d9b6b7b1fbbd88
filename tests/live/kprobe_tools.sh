#!/usr/bin/env bash
# On a kernel without kprobes (this host), every kprobe tool fails with a
# clear message and leaves nothing behind. On a kernel with kprobes there is
# nothing to check here: the test is skipped (exit 77, SKIP_RETURN_CODE in
# tests/CMakeLists.txt) and the kernel lab runs these tools for real.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"

if [ -e /sys/bus/event_source/devices/kprobe ] || [ -e "$tracefs/kprobe_events" ]; then
	echo "SKIP: this kernel has kprobes, so the kprobe tools cannot fail here as tested;" \
		"they are tested for real in the kernel lab (ctest -L lab)"
	exit 77
fi
for tool in tcpv4connect_simple tcpv4connect_args tcpv4connect unlinksnoop; do
	expect_fail "^$tool: error: cannot attach kprobe 'kprobe__[a-z0-9_]+' to kernel function '[a-z0-9_]+': this kernel has no kprobes \(CONFIG_KPROBES is off\)" -- \
		"$BIN/$tool" -d 1
done
expect_fail "cannot attach kprobe 'kprobe__do_sys_open(at2)?' to kernel function 'do_sys_open(at2)?': this kernel has no kprobes" -- \
	"$BIN/opensnoop_simple" --probe kprobe -d 1
if ! "$BIN/check_kfunc" > /dev/null; then
	expect_fail "cannot attach kretfunc 'kretfunc__do_sys_open(at2)?' to kernel function 'do_sys_open(at2)?': " -- \
		"$BIN/opensnoop_simple" --probe kfunc -d 1
fi
exit $fail
