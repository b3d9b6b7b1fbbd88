#!/usr/bin/env bash
# Every BPF text compiles against Debian 12's newest kernel headers, 6.12,
# whose uapi linux/bpf.h is newer than libbcc 0.26's own copy (without
# lib/compat.c, texts including net/sock.h fail there), and the
# compile sees the headers' struct sizes: sizeof(struct bpf_list_node) is
# 24 there. Against 6.1's headers, libbcc's copy stays (16). bcc-run
# --features says which copy is used, each time.
# usage: bpf_texts_headers.sh BIN LIST_NODE_TEXT TEXT_ARG...
set -u
bin=$1 list_node=$2
shift 2
fail=0

[ "$(id -u)" = 0 ] || { echo "skipped: compiling creates BPF maps, which needs root"; exit 77; }
newest() { ls -d /usr/src/linux-headers-$1-amd64 2>/dev/null | sort -V | tail -n 1; }
h612=$(newest '6.12.*+deb12')
h61=$(newest '6.1.0-*')
if [ -z "$h612" ] || [ ! -d "${h612%-amd64}-common" ]; then
	echo "skipped: no linux-headers-6.12.*+deb12-amd64 and -common in /usr/src; make setup installs them"
	exit 77
fi
unshare --mount --propagation private true 2>/dev/null ||
	{ echo "skipped: cannot make a mount namespace here (unshare --mount)"; exit 77; }

# libbcc reads /lib/modules/$(uname -r)/{build,source}: a private mount
# namespace shows it other headers there, for this command only (the
# host's links stay as they are for everyone else)
with_headers() { # with_headers BUILD_DIR COMMAND...
	unshare --mount --propagation private -- /bin/sh -c '
		set -e
		m=/lib/modules/$(uname -r)
		mount -t tmpfs bcc-c-test /lib/modules
		mkdir -p "$m"
		ln -s "$1" "$m/build"
		ln -s "${1%-amd64}-common" "$m/source"
		shift
		exec "$@"' sh "$@"
}

features() { # features BUILD_DIR START: the uapi line must start with START
	local out
	out=$(with_headers "$1" "$bin/bcc-run" --features | grep '^uapi bpf.h: ')
	[ "${out#"$2"}" != "$out" ] || { echo "FAIL: $(basename "$1"): bcc-run --features said: $out (want: $2...)"; fail=1; }
}

echo "== every text against $(basename "$h612")"
with_headers "$h612" "$bin/test_bpf_texts" "$@" "$list_node" --max-entries=list_node_size:24 || fail=1
features "$h612" "uapi bpf.h: the headers' ${h612%-amd64}-common/include/uapi/linux/bpf.h: it is newer"
if [ -n "$h61" ]; then
	echo "== libbcc's copy against $(basename "$h61")"
	with_headers "$h61" "$bin/test_bpf_texts" "$list_node" --max-entries=list_node_size:16 || fail=1
	features "$h61" "uapi bpf.h: libbcc "
fi
[ $fail = 0 ] && echo "ok"
exit $fail
