#!/usr/bin/env bash
# Headers of another release than the running kernel are never silent: a
# tool or bcc-run text that reads kernel structs (includes a kernel header
# other than uapi/... or bcc/...) prints one warning line at start naming
# both releases and the risk; uprobe tools and uapi-only texts print none.
# Needs a host whose headers do not match its kernel (this CI host: 6.18
# with Debian's 6.1 headers); skipped (77) where they match.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BCC_C_CACHE_DIR=$work/cache
rel=$(uname -r)
hrel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "/lib/modules/$rel/build/include/generated/utsrelease.h" 2>/dev/null)
[ -n "$hrel" ] || { echo "skipped: no /lib/modules/$rel/build/include/generated/utsrelease.h"; exit 77; }
[ "$hrel" != "$rel" ] || { echo "skipped: the headers are the running kernel's ($rel)"; exit 77; }
before=$(snapshot)

# warns HEADER NAME COMMAND...: stderr holds exactly one warning line, for
# HEADER (a header the text includes; empty: no warning expected)
warns() {
	local header=$1 name=$2 n
	shift 2
	"$@" > /dev/null 2> "$work/$name.err"
	n=$(grep -c "warning: the kernel headers are" "$work/$name.err")
	if [ -z "$header" ]; then
		[ "$n" = 0 ] || { note_fail "$name warned:"; sed 's/^/    /' "$work/$name.err"; }
		return
	fi
	if [ "$n" != 1 ] || ! grep -qF "warning: the kernel headers are $hrel's but the running kernel is $rel: this text reads kernel structs (it includes <$header>) and may read wrong field offsets" "$work/$name.err"; then
		note_fail "$name: not one warning naming $hrel, $rel and <$header>; stderr:"
		sed 's/^/    /' "$work/$name.err"
	fi
}

warns linux/sched.h open_events "$BIN/bcc-run" "$TOP/examples/open_events.bpf.c" -d 0
printf '#include <linux/sched.h>\nTRACEPOINT_PROBE(syscalls, sys_enter_getppid) { return 0; }\n' > "$work/sched.bpf.c"
warns linux/sched.h sched_text "$BIN/bcc-run" "$work/sched.bpf.c" -d 0
# the same text from the cache: the offsets are as wrong as when compiled
warns linux/sched.h sched_text_cached "$BIN/bcc-run" "$work/sched.bpf.c" -d 0
warns linux/sched.h opensnoop "$BIN/opensnoop_simple" --probe tracepoint -d 0
# no kprobes here: tcpv4connect stops at attach, after its warning
warns net/sock.h tcpv4connect "$BIN/tcpv4connect" -d 0
warns "" strlen_count "$BIN/bcc-run" "$TOP/examples/strlen_count.bpf.c" -u c:strlen:count -d 0
warns "" hello_tracepoint "$BIN/bcc-run" "$TOP/examples/hello_tracepoint.bpf.c" -d 0
warns "" uprobe_simple "$BIN/uprobe_simple" -d 0
warns "" strlen_snoop_simple "$BIN/strlen_snoop_simple" -d 0
check_clean "$before" "the warning runs"
exit $fail
