#!/usr/bin/env bash
# The Debian package as a user gets it: CPack builds the .deb from this
# build, lintian finds no error in it, dpkg -i installs it, the installed
# tools run (bcc-run --features, opensnoop_simple -d 1, uprobe_simple on the
# installed target-sample, -f on a text of /usr/share/bcc-c/bpf_text), a man
# page formats without a groff warning, and then dpkg -r leaves nothing of
# the package behind but the compile cache, which dpkg --purge removes.
# When the package ships the library (a .pc file, headers, examples/c), those
# are checked too; what is absent is said, never passed over in silence.
# Root only; never touches a bcc-c installed by someone else.
# Usage: dpkg.sh BUILD_DIR PROJECT_VERSION
set -u
build=$1 version=$2
skip() { echo "SKIP: $*"; exit 77; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }

[ "$(id -u)" = 0 ] || skip "dpkg -i needs root"
for c in dpkg dpkg-deb cpack man groff; do
	command -v "$c" >/dev/null || skip "no $c (make setup installs it)"
done
status=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' bcc-c 2>/dev/null)
case $status in
"" | un*) ;;
*) skip "bcc-c is already on this host (dpkg status '$status'): this test installs and removes it, so it leaves that one alone; remove it (dpkg --purge bcc-c) to run the test" ;;
esac

cache=/var/cache/bcc-c
tmp=$(mktemp -d /tmp/bcc-c-package.XXXXXX)
saved=
installed=0
cleanup() {
	# whatever failed halfway: the package goes, the cache that was here
	# before the test comes back
	[ "$installed" = 1 ] && dpkg --purge bcc-c >/dev/null 2>&1
	if [ -n "$saved" ]; then
		rm -rf "$cache"
		mv "$saved" "$cache"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# purge removes the cache directory: the cache this host's tools already
# filled is kept aside, and put back at exit
if [ -e "$cache" ]; then
	saved=$cache.saved-by-package-test.$$
	mv "$cache" "$saved" || { saved=; bad "cannot move $cache aside"; exit 1; }
fi

# the package, from this build
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1; then
	bad "cpack failed:"; sed 's/^/    /' "$tmp/cpack.log"; exit 1
fi
deb=$(ls "$tmp"/pkg/bcc-c_"$version"-*_amd64.deb 2>/dev/null)
[ -f "$deb" ] || { bad "no bcc-c_${version}-*_amd64.deb made:"; ls "$tmp/pkg"; exit 1; }
echo "ok: built $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
grep -qE '(^|, )libbpfcc( |,|$)' <<<"$depends" || bad "Depends lacks libbpfcc (libbcc.so, dlopen()ed): $depends"
[ "$(dpkg-deb -f "$deb" Recommends)" = linux-headers-amd64 ] || bad "Recommends is not linux-headers-amd64"
[ "$(dpkg-deb -f "$deb" Section)" = utils ] || bad "Section is not utils"

if command -v lintian >/dev/null; then
	lintian "$deb" >"$tmp/lintian.log" 2>&1
	if grep -q '^E:' "$tmp/lintian.log"; then
		bad "lintian errors:"; grep '^E:' "$tmp/lintian.log"
	fi
	# the warnings accepted are the ones README's Install section lists
	# as "- `TAG`: why"
	accepted=$(sed -n '/^## Install/,/^## /s/^- `\([a-z0-9-]*\)`: .*/\1/p' \
		"$(dirname "$0")/../../README.md")
	while read -r line; do
		tag=$(cut -d' ' -f3 <<<"$line")
		grep -qx -- "$tag" <<<"$accepted" || bad "lintian warning not accepted in README's Install: $line"
	done < <(grep '^W:' "$tmp/lintian.log")
	echo "ok: lintian: $(grep -c '^E:' "$tmp/lintian.log") errors, $(grep -c '^W:' "$tmp/lintian.log") warnings"
else
	echo "SKIP (part): no lintian (make setup installs it)"
fi

installed=1
if ! dpkg -i "$deb" >"$tmp/dpkg-i.log" 2>&1; then
	bad "dpkg -i failed:"; sed 's/^/    /' "$tmp/dpkg-i.log"; exit 1
fi
dpkg -L bcc-c >"$tmp/files"
echo "ok: dpkg -i: $(wc -l <"$tmp/files") paths"

expect() { # expect PATTERN -- COMMAND...: exit 0 and a line matching PATTERN
	local pattern=$1 out status
	shift 2
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" != 0 ] || ! grep -qE -- "$pattern" <<<"$out"; then
		bad "$* -> status $status, no line matching '$pattern' in:"
		sed 's/^/    /' <<<"$out" | head -20
	else
		echo "ok: $*"
	fi
}
expect "^libbcc" -- /usr/sbin/bcc-run --features
expect "^bcc-run \(bcc-c\) ${version//./\\.}$" -- /usr/sbin/bcc-run --version
expect "^compile cache: on, in $cache " -- /usr/sbin/bcc-run --version
expect "^PID +COMM +FD +ERR +PATH" -- /usr/sbin/opensnoop_simple -d 1
# -f from the installed texts: the header beside it is inlined
expect "^PID +COMM +FD +ERR +PATH" -- \
	/usr/sbin/opensnoop_simple -f /usr/share/bcc-c/bpf_text/opensnoop_simple.bpf.c -d 1
# uprobe_simple finds the installed target-sample (/usr/lib/bcc-c), off PATH
/usr/lib/bcc-c/target-sample -i 50 -n 80 >/dev/null &
target=$!
expect "arg = [0-9]+" -- /usr/sbin/uprobe_simple -p "$target" -d 2
wait "$target"
command -v target-sample >/dev/null && bad "target-sample is on PATH: $(command -v target-sample)"

# man -l through groff -ww: no warning
warnings=$(MANROFFOPT=-ww MANWIDTH=80 man -l /usr/share/man/man8/opensnoop_simple.8.gz 2>&1 >"$tmp/man.txt")
[ -z "$warnings" ] || bad "man -l with groff -ww warns: $warnings"
grep -q "OUTPUT FIELDS" "$tmp/man.txt" || bad "man -l printed no OUTPUT FIELDS section"
[ -z "$warnings" ] && echo "ok: man -l opensnoop_simple.8.gz, no groff warning"
for t in uprobe_simple strlen_snoop_simple check_kfunc tcpv4connect_simple tcpv4connect_args \
	tcpv4connect unlinksnoop opensnoop_simple bcc-run; do
	grep -qx "/usr/sbin/$t" "$tmp/files" || bad "the package lacks /usr/sbin/$t"
	grep -qx "/usr/share/man/man8/$t.8.gz" "$tmp/files" || bad "the package lacks $t's man page"
done

# the library (issue 15 item 1), when this build ships it
pc=$(grep -E '/pkgconfig/bcc-c\.pc$' "$tmp/files")
if [ -n "$pc" ]; then
	expect "-lbcc-c" -- pkg-config --libs bcc-c
	grep -q '^/usr/include/bcc-c/.*\.h$' "$tmp/files" || bad "bcc-c.pc is shipped but no header in /usr/include/bcc-c"
else
	echo "SKIP (part): the package ships no bcc-c.pc: library, headers and pkg-config not checked"
fi
examples_c=$(grep -E '^/usr/share/doc/bcc-c/examples/c/[^/]+\.c$' "$tmp/files")
if [ -n "$examples_c" ] && [ -n "$pc" ]; then
	for src in $examples_c; do
		exe=$tmp/$(basename "$src" .c)
		# shellcheck disable=SC2046
		if cc -Wall -Werror -o "$exe" "$src" $(pkg-config --cflags --libs bcc-c) 2>"$tmp/cc.log"; then
			echo "ok: built $src against the installed headers and library"
		else
			bad "cannot build $src against the installed package:"; sed 's/^/    /' "$tmp/cc.log"
		fi
	done
else
	echo "SKIP (part): the package ships no examples/c (or no bcc-c.pc): nothing built against it"
fi

# dpkg -r: nothing of the package left, the cache aside
[ -d "$cache" ] || bad "the installed tools made no cache in $cache"
if ! dpkg -r bcc-c >"$tmp/dpkg-r.log" 2>&1; then
	bad "dpkg -r failed:"; sed 's/^/    /' "$tmp/dpkg-r.log"
fi
left=0
while read -r path; do
	if [ -d "$path" ]; then
		# shared directories (/usr/sbin) stay; the package's own go
		case $path in *bcc-c*) bad "left after dpkg -r: $path/"; left=1 ;; esac
	elif [ -e "$path" ] || [ -L "$path" ]; then
		bad "left after dpkg -r: $path"
		left=1
	fi
done <"$tmp/files"
[ "$left" = 0 ] && echo "ok: dpkg -r left none of the $(wc -l <"$tmp/files") paths"
[ -d "$cache" ] && echo "ok: dpkg -r kept the cache $cache"
dpkg --purge bcc-c >"$tmp/dpkg-purge.log" 2>&1 || { bad "dpkg --purge failed:"; cat "$tmp/dpkg-purge.log"; }
[ -e "$cache" ] && bad "dpkg --purge left the cache $cache" || echo "ok: dpkg --purge removed $cache"
dpkg-query -W bcc-c >/dev/null 2>&1 && [ "$(dpkg-query -W -f='${db:Status-Abbrev}' bcc-c)" != "un " ] &&
	bad "dpkg still knows bcc-c: $(dpkg-query -W -f='${db:Status-Abbrev}' bcc-c)"
installed=0
exit $fail
