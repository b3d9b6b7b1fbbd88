#!/usr/bin/env bash
# --version on every tool: "TOOL (bcc-c) VERSION" with project()'s
# version, libbcc's version at run time and at build time, and the compile
# cache's state as BCC_C_CACHE_DIR and BCC_C_NO_CACHE set it.
# Usage: version.sh BIN_DIR PROJECT_VERSION LIBBCC_VERSION
set -u
bin=$1 version=$2 libbcc=$3
fail=0
tools="uprobe_simple strlen_snoop_simple check_kfunc tcpv4connect_simple tcpv4connect_args
       tcpv4connect unlinksnoop opensnoop_simple bcc-run"
re_version=${version//./\\.} re_libbcc=${libbcc//./\\.}

expect() { # expect PATTERN -- COMMAND...: exit 0 and a line matching PATTERN
	local pattern=$1 out status
	shift 2
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" != 0 ] || ! grep -qE -- "$pattern" <<<"$out"; then
		echo "FAIL: $* -> status $status, no line matching '$pattern' in:"
		sed 's/^/    /' <<<"$out"
		fail=1
	fi
}

for tool in $tools; do
	before=$fail
	expect "^$tool \(bcc-c\) $re_version$" -- "$bin/$tool" --version
	expect "^libbcc: $re_libbcc at run time \(/.*/libbcc_bpf\.so\.$re_libbcc\), $re_libbcc at build time$" \
		-- "$bin/$tool" --version
	expect "^compile cache: on, in /tmp/bcc-c-version-test " -- \
		env BCC_C_CACHE_DIR=/tmp/bcc-c-version-test "$bin/$tool" --version
	expect "^compile cache: off \(BCC_C_CACHE_DIR=off\)$" -- \
		env BCC_C_CACHE_DIR=off "$bin/$tool" --version
	expect "^compile cache: off \(BCC_C_NO_CACHE is set\)$" -- \
		env BCC_C_NO_CACHE=1 "$bin/$tool" --version
	expect "^compile cache: on, in /var/cache/bcc-c " -- \
		env -u BCC_C_CACHE_DIR -u BCC_C_NO_CACHE "$bin/$tool" --version
	[ "$fail" = "$before" ] && echo "ok: $tool --version"
done
# --version wins over the rest of the command line, as -h does
expect "^opensnoop_simple \(bcc-c\) $re_version$" -- "$bin/opensnoop_simple" -p 1 --version
exit $fail
