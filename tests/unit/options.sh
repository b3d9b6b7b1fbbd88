#!/usr/bin/env bash
# Option parsing of every tool: -h, bad numbers, unknown options, stray
# arguments. Needs no privileges: nothing gets as far as loading.
set -u
bin=$1
fail=0

expect() { # expect STATUS PATTERN -- COMMAND...
	local want=$1 pattern=$2 out status
	shift 3
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" != "$want" ] || ! grep -qE -- "$pattern" <<<"$out"; then
		echo "FAIL: $* -> status $status (want $want), output:"
		sed 's/^/    /' <<<"$out"
		fail=1
	fi
}

for tool in uprobe_simple strlen_snoop_simple tcpv4connect_simple tcpv4connect_args \
	tcpv4connect unlinksnoop opensnoop_simple; do
	expect 0 "^Usage: $tool .*-d SECONDS.*-f FILE" -- "$bin/$tool" -h
	expect 0 "^Examples:" -- "$bin/$tool" -h
	expect 2 "invalid duration 'abc'" -- "$bin/$tool" -d abc
	expect 2 "invalid duration '-1'" -- "$bin/$tool" -d -1
	expect 2 "invalid option -- 'z'" -- "$bin/$tool" -z
	expect 2 "unexpected argument 'extra'" -- "$bin/$tool" extra
	expect 1 "cannot read BPF text '/nonexistent.bpf.c': No such file" -- \
		"$bin/$tool" -f /nonexistent.bpf.c -d 0
	# a read error is not an empty text
	expect 1 "cannot read BPF text '/': Is a directory" -- "$bin/$tool" -f / -d 0
done
for tool in uprobe_simple strlen_snoop_simple opensnoop_simple; do
	expect 2 "invalid PID '0'" -- "$bin/$tool" -p 0
	expect 2 "invalid PID '12x'" -- "$bin/$tool" -p 12x
done
expect 2 "invalid --probe 'bogus': expected kfunc, kprobe or tracepoint" -- \
	"$bin/opensnoop_simple" --probe bogus
expect 2 "requires an argument -- 'n'" -- "$bin/opensnoop_simple" -n
# bcc-run takes options before and after FILE, and -- ends them
expect 2 "unexpected argument 'extra'" -- "$bin/bcc-run" /nonexistent.bpf.c extra
expect 2 "invalid duration 'abc'" -- "$bin/bcc-run" -d abc /nonexistent.bpf.c
for args in "-d 0 /nonexistent.bpf.c" "--no-cache /nonexistent.bpf.c" \
	"-D X=1 /nonexistent.bpf.c -d 0" "-d 0 -- /nonexistent.bpf.c"; do
	# shellcheck disable=SC2086
	expect 1 "cannot read BPF text '/nonexistent.bpf.c': No such file" -- "$bin/bcc-run" $args
done
expect 1 "cannot read BPF text '-x.bpf.c'" -- "$bin/bcc-run" -d 0 -- -x.bpf.c
expect 1 "cannot read BPF text '/': Is a directory" -- "$bin/bcc-run" -d 0 /
# --metrics: bad values before anything is compiled
expect 2 "invalid --metrics-prefix '1x'" -- "$bin/bcc-run" --metrics-prefix 1x /nonexistent.bpf.c
expect 2 "invalid --interval '0'" -- "$bin/bcc-run" --interval 0 /nonexistent.bpf.c
expect 2 "invalid --metrics-max-series 'x'" -- "$bin/bcc-run" --metrics-max-series x /nonexistent.bpf.c
expect 1 "cannot serve metrics on '1.2.3.4.5:80': expected \[ADDR:\]PORT" -- \
	"$bin/bcc-run" --metrics 1.2.3.4.5:80 /nonexistent.bpf.c
expect 1 "cannot write metrics to the directory '/nonexistent': No such file" -- \
	"$bin/bcc-run" --metrics-textfile /nonexistent /nonexistent.bpf.c
expect 0 "^Usage: check_kfunc" -- "$bin/check_kfunc" -h
expect 2 "^Usage: check_kfunc" -- "$bin/check_kfunc" -x
expect 0 "^Usage: target-sample" -- "$bin/target-sample" -h
expect 2 "invalid number 'x'" -- "$bin/target-sample" -i x
expect 0 "^pid = [0-9]+$" -- "$bin/target-sample" -i 0 -n 3
exit $fail
