#!/usr/bin/env bash
# examples/c built as a user builds them: libbcc-c installed into a prefix
# (cmake --install BUILD --prefix), then each example compiled out of the
# tree by its own Makefile with pkg-config --cflags --libs bcc-c of that
# prefix only. Every installed header also compiles on its own, in C and
# in C++.
# examples_c.sh BUILD [DIR]: with DIR, the prefix (DIR/prefix) and the
# built examples (DIR/examples) are left there for the live test.
set -u
build=$1 src=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
note_fail() { echo "FAIL: $*"; fail=1; }
if [ $# -ge 2 ]; then
	work=$2
else
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi

out=$(cmake --install "$build" --prefix "$work/prefix" 2>&1) || { echo "$out"; exit 1; }
pc=$(find "$work/prefix" -name bcc-c.pc)
[ -n "$pc" ] || { echo "FAIL: no bcc-c.pc installed under $work/prefix"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
cflags=$(pkg-config --cflags bcc-c) && libs=$(pkg-config --libs bcc-c) ||
	{ echo "FAIL: pkg-config does not know bcc-c"; exit 1; }
read -r cflags <<<"$cflags" # pkg-config ends them with a space
read -r libs <<<"$libs"
[ "$cflags" = "-I$work/prefix/include" ] || note_fail "pkg-config --cflags bcc-c: '$cflags'"
case "$libs" in "-L$work/prefix/lib"*" -lbcc-c") ;; *) note_fail "pkg-config --libs bcc-c: '$libs'" ;; esac
for h in "$work"/prefix/include/bcc-c/*.h; do
	echo "#include <bcc-c/${h##*/}>" |
		cc -std=gnu11 $cflags -Wall -Wextra -Werror -fsyntax-only -x c - ||
		note_fail "bcc-c/${h##*/} does not compile on its own"
	echo "#include <bcc-c/${h##*/}>" |
		c++ $cflags -Wall -Wextra -Werror -fsyntax-only -x c++ - ||
		note_fail "bcc-c/${h##*/} does not compile in C++"
done
[ -e "$(dirname "$pc")/../libbcc-c.so.0" ] || note_fail "no libbcc-c.so.0 beside the .pc's libdir"

rm -rf "$work/examples"
cp -r "$src/examples/c" "$work/examples"
make -s -C "$work/examples" CFLAGS="-O2 -g -Wall -Wextra -Werror" ||
	{ echo "FAIL: the examples do not build against the installed library"; exit 1; }
for p in uprobe_count perf_events; do
	readelf -d "$work/examples/$p" | grep -q 'NEEDED.*\[libbcc-c\.so\.0\]' ||
		note_fail "$p is not linked with libbcc-c.so.0"
done
[ $fail = 0 ] && echo "installed into $work/prefix; built uprobe_count and perf_events there"
exit $fail
