#!/usr/bin/env bash
# The Debian packages as a user gets them: CPack builds bcc-c, libbcc-c0
# and libbcc-c-dev from this build, lintian finds no error in them, one
# dpkg -i installs the three, the installed tools run (bcc-run --features,
# opensnoop_simple -d 1, uprobe_simple on the installed target-sample, -f on
# a text of /usr/share/bcc-c/bpf_text), a man page formats without a groff
# warning, the C examples build out of the tree with pkg-config against the
# installed headers and library and one counts a real target's calls, and
# then dpkg -r leaves nothing of the packages behind but the compile cache,
# which dpkg --purge removes.
# Root only; never touches a bcc-c installed by someone else.
# Usage: dpkg.sh BUILD_DIR PROJECT_VERSION
set -u
. "$(dirname "$0")/../live/lib.sh"
build=$1 version=$2
skip() { echo "SKIP: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "dpkg -i needs root"
for c in dpkg dpkg-deb cpack man groff; do
	command -v "$c" >/dev/null || skip "no $c (make setup installs it)"
done
packages="bcc-c libbcc-c0 libbcc-c-dev"
for p in $packages; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$p" 2>/dev/null)
	case $status in
	"" | un*) ;;
	*) skip "$p is already on this host (dpkg status '$status'): this test installs and removes it, so it leaves that one alone; remove it (dpkg --purge $packages) to run the test" ;;
	esac
done

cache=/var/cache/bcc-c
tmp=$(mktemp -d /tmp/bcc-c-package.XXXXXX)
saved=
installed=0
cleanup() {
	# whatever failed halfway: the package goes, the cache that was here
	# before the test comes back
	# shellcheck disable=SC2086
	[ "$installed" = 1 ] && dpkg --purge $packages >/dev/null 2>&1
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
	mv "$cache" "$saved" || { saved=; note_fail "cannot move $cache aside"; exit 1; }
fi

# the packages, from this build
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1; then
	note_fail "cpack failed:"; sed 's/^/    /' "$tmp/cpack.log"; exit 1
fi
debs=()
for p in $packages; do
	d=$(ls "$tmp"/pkg/"$p"_"$version"-*_amd64.deb 2>/dev/null)
	[ -f "$d" ] || { note_fail "no ${p}_${version}-*_amd64.deb made:"; ls "$tmp/pkg"; exit 1; }
	debs+=("$d")
done
deb=${debs[0]} lib=${debs[1]} dev=${debs[2]}
revision=$(dpkg-deb -f "$deb" Version)
echo "ok: built $(cd "$tmp/pkg" && echo *.deb)"
depends=$(dpkg-deb -f "$deb" Depends)
grep -qE '(^|, )libbpfcc( |,|$)' <<<"$depends" || note_fail "Depends lacks libbpfcc (libbcc.so, dlopen()ed): $depends"
[ "$(dpkg-deb -f "$deb" Recommends)" = linux-headers-amd64 ] || note_fail "Recommends is not linux-headers-amd64"
[ "$(dpkg-deb -f "$deb" Section)" = utils ] || note_fail "Section is not utils"
# the library package: shlibs and the ldconfig trigger, no maintainer
# script calling ldconfig
grep -qE '(^|, )libbpfcc( |,|$)' <<<"$(dpkg-deb -f "$lib" Depends)" ||
	note_fail "libbcc-c0's Depends lacks libbpfcc: $(dpkg-deb -f "$lib" Depends)"
dpkg-deb -e "$lib" "$tmp/lib.control"
[ "$(cat "$tmp/lib.control/shlibs" 2>/dev/null)" = "libbcc-c 0 libbcc-c0 (>= $revision)" ] ||
	note_fail "libbcc-c0's shlibs: '$(cat "$tmp/lib.control/shlibs" 2>/dev/null)'"
grep -qx 'activate-noawait ldconfig' "$tmp/lib.control/triggers" 2>/dev/null ||
	note_fail "libbcc-c0 has no ldconfig trigger"
for script in preinst postinst prerm postrm; do
	[ -e "$tmp/lib.control/$script" ] && note_fail "libbcc-c0 has a $script (the trigger calls ldconfig)"
done
[ "$(dpkg-deb -f "$dev" Depends)" = "libbcc-c0 (= $revision)" ] ||
	note_fail "libbcc-c-dev's Depends: '$(dpkg-deb -f "$dev" Depends)'"

if command -v lintian >/dev/null; then
	lintian "${debs[@]}" >"$tmp/lintian.log" 2>&1
	if grep -q '^E:' "$tmp/lintian.log"; then
		note_fail "lintian errors:"; grep '^E:' "$tmp/lintian.log"
	fi
	# the warnings accepted are the ones docs/install.md lists under
	# "How the packages are built" as "- `TAG`: why"
	accepted=$(sed -n '/^## How the packages are built/,/^## /s/^- `\([a-z0-9-]*\)`: .*/\1/p' \
		"$(dirname "$0")/../../docs/install.md")
	while read -r line; do
		tag=$(cut -d' ' -f3 <<<"$line") # W: PACKAGE: TAG [...]
		grep -qx -- "$tag" <<<"$accepted" || note_fail "lintian warning not accepted in docs/install.md: $line"
	done < <(grep '^W:' "$tmp/lintian.log")
	echo "ok: lintian: $(grep -c '^E:' "$tmp/lintian.log") errors, $(grep -c '^W:' "$tmp/lintian.log") warnings"
else
	echo "SKIP (part): no lintian (make setup installs it)"
fi

installed=1
if ! dpkg -i "${debs[@]}" >"$tmp/dpkg-i.log" 2>&1; then
	note_fail "dpkg -i failed:"; sed 's/^/    /' "$tmp/dpkg-i.log"; exit 1
fi
# shellcheck disable=SC2086
dpkg -L $packages >"$tmp/files"
echo "ok: dpkg -i $packages: $(wc -l <"$tmp/files") paths"

expect_ok "^libbcc" -- /usr/sbin/bcc-run --features
expect_ok "^bcc-run \(bcc-c\) ${version//./\\.}$" -- /usr/sbin/bcc-run --version
expect_ok "^compile cache: on, in $cache " -- /usr/sbin/bcc-run --version
expect_ok "^PID +COMM +FD +ERR +PATH" -- /usr/sbin/opensnoop_simple -d 1
# -f from the installed texts: the header beside it is inlined
expect_ok "^PID +COMM +FD +ERR +PATH" -- \
	/usr/sbin/opensnoop_simple -f /usr/share/bcc-c/bpf_text/opensnoop_simple.bpf.c -d 1
# uprobe_simple finds the installed target-sample (/usr/lib/bcc-c), off PATH
/usr/lib/bcc-c/target-sample -i 50 -n 80 >"$tmp/sample" &
target=$!
# -p needs the process to have exec'd target-sample: it prints its pid then
wait_for "$tmp/sample" "^pid = $target\$" 10 "$target"
expect_ok "arg = [0-9]+" -- /usr/sbin/uprobe_simple -p "$target" -d 2
wait "$target"
command -v target-sample >/dev/null && note_fail "target-sample is on PATH: $(command -v target-sample)"

# man -l through groff -ww: no warning
warnings=$(MANROFFOPT=-ww MANWIDTH=80 man -l /usr/share/man/man8/opensnoop_simple.8.gz 2>&1 >"$tmp/man.txt")
[ -z "$warnings" ] || note_fail "man -l with groff -ww warns: $warnings"
grep -q "OUTPUT FIELDS" "$tmp/man.txt" || note_fail "man -l printed no OUTPUT FIELDS section"
[ -z "$warnings" ] && echo "ok: man -l opensnoop_simple.8.gz, no groff warning"
for t in uprobe_simple strlen_snoop_simple check_kfunc tcpv4connect_simple tcpv4connect_args \
	tcpv4connect unlinksnoop opensnoop_simple bcc-run; do
	grep -qx "/usr/sbin/$t" "$tmp/files" || note_fail "the package lacks /usr/sbin/$t"
	grep -qx "/usr/share/man/man8/$t.8.gz" "$tmp/files" || note_fail "the package lacks $t's man page"
done

# the library: ldconfig's trigger ran, the tools (which link the runtime
# statically) and the library carry no RPATH into the build tree and
# resolve every library they need
so=/usr/lib/x86_64-linux-gnu/libbcc-c.so.0
# (/lib is /usr/lib on a merged-/usr host: ld.so.cache may name either)
ldconfig -p | grep -qE "libbcc-c\.so\.0 \(libc6,x86-64\) => (/usr)?/lib/x86_64-linux-gnu/libbcc-c\.so\.0$" ||
	note_fail "ld.so.cache has no libbcc-c.so.0 in /usr/lib/x86_64-linux-gnu (did the ldconfig trigger run?)"
for f in /usr/sbin/bcc-run /usr/sbin/opensnoop_simple /usr/lib/bcc-c/target-sample "$so"; do
	readelf -d "$f" | grep -qE 'RPATH|RUNPATH' && note_fail "$f has an RPATH: $(readelf -d "$f" | grep -E 'RPATH|RUNPATH')"
	ldd "$f" | grep -q 'not found' && note_fail "ldd $f: $(ldd "$f" | grep 'not found')"
done
echo "ok: no RPATH, ldd resolves everything (bcc-run, opensnoop_simple, target-sample, libbcc-c.so.0)"
[ "$(pkg-config --modversion bcc-c)" = "$version" ] || note_fail "pkg-config --modversion bcc-c: $(pkg-config --modversion bcc-c)"
grep -q '^/usr/include/bcc-c/.*\.h$' "$tmp/files" || note_fail "no header in /usr/include/bcc-c"
[ -z "$(MANROFFOPT=-ww MANWIDTH=80 man -l /usr/share/man/man3/bcc-c.3.gz 2>&1 >/dev/null)" ] ||
	note_fail "man -l bcc-c.3.gz with groff -ww warns"

# examples/c, copied out of the tree and built by their Makefile with
# pkg-config --cflags --libs bcc-c; uprobe_count counts the 50 calls to
# func() of the installed target-sample
examples=/usr/share/doc/libbcc-c-dev/examples
cp -r "$examples" "$tmp/examples"
if make -s -C "$tmp/examples" CFLAGS="-O2 -Wall -Wextra -Werror" >"$tmp/make.log" 2>&1; then
	echo "ok: built $examples (uprobe_count, perf_events) with pkg-config against the packages"
else
	note_fail "cannot build $examples against the installed packages:"; sed 's/^/    /' "$tmp/make.log"
fi
if [ -x "$tmp/examples/uprobe_count" ]; then
	loaded=$(ldd "$tmp/examples/uprobe_count" | sed -n 's/.*libbcc-c\.so\.0 => \([^ ]*\).*/\1/p')
	[ -n "$loaded" ] && [ "$(readlink -f "$loaded")" = "$(readlink -f "$so")" ] ||
		note_fail "uprobe_count does not load $so: $(ldd "$tmp/examples/uprobe_count" | grep bcc-c)"
	"$tmp/examples/uprobe_count" /usr/lib/bcc-c/target-sample func >"$tmp/count" 2>"$tmp/count.err" &
	counter=$!
	# 30 s: a compile on a cold cache
	if wait_for "$tmp/count.err" '^uprobe_count: ready' 30 "$counter"; then
		/usr/lib/bcc-c/target-sample -i 1 -n 50 >"$tmp/target"
		pid=$(sed -n 's/^pid = //p' "$tmp/target")
	fi
	kill -INT "$counter" 2>/dev/null
	wait "$counter" || note_fail "uprobe_count exited $?: $(cat "$tmp/count.err")"
	if [ -n "${pid:-}" ] && grep -qE "^$pid +50$" "$tmp/count"; then
		echo "ok: uprobe_count (installed libbcc-c) counted the 50 calls of target-sample $pid"
	else
		note_fail "uprobe_count did not count 50 calls for pid ${pid:-?}:"; sed 's/^/    /' "$tmp/count"
	fi
fi

# dpkg -r: nothing of the packages left, the cache aside
[ -d "$cache" ] || note_fail "the installed tools made no cache in $cache"
# shellcheck disable=SC2086
if ! dpkg -r $packages >"$tmp/dpkg-r.log" 2>&1; then
	note_fail "dpkg -r failed:"; sed 's/^/    /' "$tmp/dpkg-r.log"
fi
left=0
while read -r path; do
	if [ -d "$path" ]; then
		# shared directories (/usr/sbin) stay; the packages' own go
		case $path in *bcc-c*) note_fail "left after dpkg -r: $path/"; left=1 ;; esac
	elif [ -e "$path" ] || [ -L "$path" ]; then
		note_fail "left after dpkg -r: $path"
		left=1
	fi
done <"$tmp/files"
[ "$left" = 0 ] && echo "ok: dpkg -r left none of the $(wc -l <"$tmp/files") paths"
[ -d "$cache" ] && echo "ok: dpkg -r kept the cache $cache"
# shellcheck disable=SC2086
dpkg --purge $packages >"$tmp/dpkg-purge.log" 2>&1 || { note_fail "dpkg --purge failed:"; cat "$tmp/dpkg-purge.log"; }
[ -e "$cache" ] && note_fail "dpkg --purge left the cache $cache" || echo "ok: dpkg --purge removed $cache"
for p in $packages; do
	dpkg-query -W "$p" >/dev/null 2>&1 && [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p")" != "un " ] &&
		note_fail "dpkg still knows $p: $(dpkg-query -W -f='${db:Status-Abbrev}' "$p")"
done
ldconfig -p | grep -q 'libbcc-c\.so' && note_fail "ld.so.cache still has libbcc-c after dpkg -r"
installed=0
exit $fail
