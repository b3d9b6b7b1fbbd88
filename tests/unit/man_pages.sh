#!/usr/bin/env bash
# Every tool of tools/ (a folder, tools/<tool>/; test helpers aside) has
# tools/<tool>/<tool>.8 with bcc's sections; groff -ww reads it without a
# warning; and the options its -h lists are the ones its OPTIONS section
# describes, both ways.
# Usage: man_pages.sh BIN_DIR SOURCE_DIR
set -u
bin=$1 src=$2
fail=0
helpers=" target-sample "
sections=(NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "OUTPUT FIELDS" OVERHEAD SOURCE "SEE ALSO")

# the first word of each option line of -h: "  -p PID  ..." or "  --json ..."
help_options() {
	"$bin/$1" -h | sed -nE 's/^  (--?[A-Za-z][A-Za-z-]*).*/\1/p' | sort -u
}

# the tag of each .TP entry of OPTIONS: \fB\-p\fR \fIPID\fR -> -p
man_options() {
	awk '/^\.SH / { in_opts = ($0 == ".SH OPTIONS"); next }
	     in_opts && tag { print; tag = 0; next }
	     in_opts && /^\.TP/ { tag = 1 }' "$1" |
		sed -nE 's/^\\fB((\\-)+[A-Za-z][A-Za-z\\-]*)\\fR.*/\1/p' | sed 's/\\-/-/g' | sort -u
}

for c in "$src"/tools/*/; do
	tool=$(basename "$c")
	case $helpers in *" $tool "*) continue ;; esac
	page=$src/tools/$tool/$tool.8
	if [ ! -f "$page" ]; then
		echo "FAIL: $tool has no man page tools/$tool/$tool.8"
		fail=1
		continue
	fi
	for s in "${sections[@]}"; do
		grep -qx "\.SH $s" "$page" || { echo "FAIL: tools/$tool/$tool.8 has no $s section"; fail=1; }
	done
	warnings=$(LC_ALL=C.UTF-8 groff -ww -man -Tutf8 "$page" 2>&1 >/dev/null)
	if [ -n "$warnings" ]; then
		echo "FAIL: groff -ww warns on tools/$tool/$tool.8:"
		sed 's/^/    /' <<<"$warnings"
		fail=1
	fi
	h=$(help_options "$tool")
	m=$(man_options "$page")
	if [ -z "$h" ] || [ -z "$m" ]; then
		echo "FAIL: $tool: no options found in -h ('$h') or in tools/$tool/$tool.8 ('$m')"
		fail=1
		continue
	fi
	only_help=$(comm -23 <(echo "$h") <(echo "$m"))
	only_man=$(comm -13 <(echo "$h") <(echo "$m"))
	if [ -n "$only_help" ]; then
		echo "FAIL: $tool -h lists options tools/$tool/$tool.8 does not describe:" $only_help
		fail=1
	fi
	if [ -n "$only_man" ]; then
		echo "FAIL: tools/$tool/$tool.8 describes options $tool -h does not list:" $only_man
		fail=1
	fi
	[ -z "$only_help$only_man" ] && echo "ok: $tool:" $h
done
exit $fail
