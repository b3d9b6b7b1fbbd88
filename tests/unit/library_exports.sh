#!/usr/bin/env bash
# libbcc-c.so exports exactly the functions and data that include/bcc-c/
# marks BCC_C_API (nothing internal, nothing of the headers missing), and
# its SONAME is libbcc-c.so.0.
LIB=$1 INCLUDE=$2
set -u
fail=0
note_fail() { echo "FAIL: $*"; fail=1; }

# the name before "(" (functions) or "[" (data) on each BCC_C_API line
declared=$(grep -hE '^(extern )?BCC_C_API ' "$INCLUDE"/bcc-c/*.h |
	sed -E 's/^[^(\[]*[^A-Za-z0-9_(\[]([A-Za-z_][A-Za-z0-9_]*) *[(\[].*/\1/' | sort -u)
exported=$(nm -D --defined-only "$LIB" | awk '{ print $3 }' | sort -u)
[ -n "$exported" ] || note_fail "nm -D lists nothing exported by $LIB"

extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
[ -z "$extra" ] || note_fail "exported but not BCC_C_API in include/bcc-c: $(echo $extra)"
[ -z "$missing" ] || note_fail "BCC_C_API but not exported: $(echo $missing)"
soname=$(readelf -d "$LIB" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = libbcc-c.so.0 ] || note_fail "SONAME is '$soname', expected libbcc-c.so.0"
echo "$(echo "$exported" | wc -l) symbols exported, SONAME $soname"
exit $fail
