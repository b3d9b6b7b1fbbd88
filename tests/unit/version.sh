#!/usr/bin/env bash
# --version on every tool: "TOOL (bcc-c) VERSION" with project()'s
# version, libbcc's version at run time and at build time, and the compile
# cache's state as BCC_C_CACHE_DIR and BCC_C_NO_CACHE set it.
# Usage: version.sh BIN_DIR PROJECT_VERSION LIBBCC_VERSION
set -u
. "$(dirname "$0")/../live/lib.sh"
bin=$1 version=$2 libbcc=$3
tools="uprobe_simple strlen_snoop_simple check_kfunc tcpv4connect_simple tcpv4connect_args
       tcpv4connect unlinksnoop opensnoop_simple bcc-run"
re_version=${version//./\\.} re_libbcc=${libbcc//./\\.}

for tool in $tools; do
	before=$fail
	expect_ok "^$tool \(bcc-c\) $re_version$" -- "$bin/$tool" --version
	expect_ok "^libbcc: $re_libbcc at run time \(/.*/libbcc_bpf\.so\.$re_libbcc\), $re_libbcc at build time$" \
		-- "$bin/$tool" --version
	expect_ok "^compile cache: on, in /tmp/bcc-c-version-test " -- \
		env BCC_C_CACHE_DIR=/tmp/bcc-c-version-test "$bin/$tool" --version
	expect_ok "^compile cache: off \(BCC_C_CACHE_DIR=off\)$" -- \
		env BCC_C_CACHE_DIR=off "$bin/$tool" --version
	expect_ok "^compile cache: off \(BCC_C_NO_CACHE is set\)$" -- \
		env BCC_C_NO_CACHE=1 "$bin/$tool" --version
	expect_ok "^compile cache: on, in /var/cache/bcc-c " -- \
		env -u BCC_C_CACHE_DIR -u BCC_C_NO_CACHE "$bin/$tool" --version
	[ "$fail" = "$before" ] && echo "ok: $tool --version"
done
# --version wins over the rest of the command line, as -h does
expect_ok "^opensnoop_simple \(bcc-c\) $re_version$" -- "$bin/opensnoop_simple" -p 1 --version
exit $fail
