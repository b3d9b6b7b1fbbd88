#!/usr/bin/env bash
# The programs the documentation shows build: bcc-c(3)'s EXAMPLES and
# docs/library.md's ("Write your own tool"), against include/bcc-c and libbcc-c.so;
# and lib/bcc-c.3 renders without a groff warning.
# doc_examples.sh SOURCE_DIR LIBDIR
src=$1 libdir=$2
set -u
fail=0
note_fail() { echo "FAIL: $*"; fail=1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

warnings=$(groff -ww -man -Tutf8 "$src/lib/bcc-c.3" 2>&1 >/dev/null)
[ -z "$warnings" ] || note_fail "groff -ww: $warnings"
# the first .EX ... .EE block after .SH EXAMPLES, troff escapes undone
sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$src/lib/bcc-c.3" |
	awk '/^\.EX/ { on = 1; next } /^\.EE/ { if (on) exit } on' |
	sed -e 's/\\e/\\/g' -e 's/\\-/-/g' > "$work/example.c"
grep -q 'int main' "$work/example.c" || note_fail "no program in EXAMPLES"
cc -std=gnu11 -Wall -Wextra -Werror -I"$src/include" -o "$work/example" "$work/example.c" \
	-L"$libdir" -lbcc-c || note_fail "the EXAMPLES program does not build"
# the first ```c block of docs/library.md
awk '/^```c$/ { on = 1; next } /^```$/ { if (on) exit } on' "$src/docs/library.md" > "$work/library.c"
grep -q 'int main' "$work/library.c" || note_fail "no program in docs/library.md"
cc -std=gnu11 -Wall -Wextra -Werror -I"$src/include" -o "$work/library" "$work/library.c" \
	-L"$libdir" -lbcc-c || note_fail "docs/library.md's program does not build"
[ $fail = 0 ] && echo "bcc-c(3): no groff warning; its example and docs/library.md's build"
exit $fail
