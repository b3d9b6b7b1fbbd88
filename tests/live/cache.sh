#!/usr/bin/env bash
# The compile cache: the second start is a hit and runs without libbcc's
# compiler (no LLVM in the process), events still arrive; corrupt entries
# are recompiled; an unwritable or disabled cache only costs speed;
# --no-cache, defines and edits change what is used. A directory or entry
# another user could write is not used; an entry made for fewer CPUs or
# refused by the kernel costs one compile; the cache stays under its cap.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export BCC_C_CACHE_DIR=$work/cache BCC_C_VERBOSE=1
before=$(snapshot)

# verdict ARGS...: "compiled" or "cache" for one -d 0 run of uprobe_simple
verdict() {
	local out
	out=$("$BIN/uprobe_simple" -d 0 "$@" 2>&1 >/dev/null) || { note_fail "uprobe_simple $* failed: $out"; return; }
	case "$out" in
	*"loaded from the compile cache"*) echo cache ;;
	*compiled*) echo compiled ;;
	*) echo "?$out" ;;
	esac
}
expect() { [ "$2" = "$1" ] || note_fail "$3: expected '$1', got '$2'"; }

expect compiled "$(verdict)" "first run"
expect cache "$(verdict)" "second run"
entry=$(ls "$BCC_C_CACHE_DIR"/*.img)
[ "$(stat -c %a "$BCC_C_CACHE_DIR")" = 700 ] || note_fail "cache dir is not private"

# a warm run maps no compiler, and still traces
"$BIN/target-sample" -i 100 -n 60 > "$work/target" &
target=$!
"$BIN/uprobe_simple" -d 3 > "$work/warm" 2> "$work/warm.err" &
tracer=$!
# attached (the header is printed then): past the point that loads clang
wait_for "$work/warm" '^TIME\(s\) ' 10 $tracer
grep -E "libLLVM|libbcc\.so" /proc/$tracer/maps && note_fail "warm run mapped the compiler"
grep -q "libbcc_bpf" /proc/$tracer/maps || note_fail "warm run did not map libbcc_bpf (not running?)"
wait $tracer || note_fail "warm uprobe_simple exited $?"
grep -q "loaded from the compile cache" "$work/warm.err" || note_fail "third run was not a hit"
grep -qE " $target +arg = [0-9]+$" "$work/warm" || note_fail "warm run saw no event"
grep -qE " $target +return value = [0-9]+$" "$work/warm" || note_fail "warm run saw no return"
# and a cold one does map it (the check above can fail)
"$BIN/uprobe_simple" --no-cache -d 3 > "$work/cold" 2> "$work/cold.err" &
tracer=$!
wait_for "$work/cold" '^TIME\(s\) ' 30 $tracer
grep -q "libLLVM" /proc/$tracer/maps || note_fail "cold run did not map LLVM: the check proves nothing"
wait $tracer
grep -q "compiled" "$work/cold.err" || note_fail "--no-cache did not compile"
wait $target

# corrupt entries are recompiled, and rewritten
head -c 100 "$entry" > "$entry.cut" && mv "$entry.cut" "$entry"
expect compiled "$(verdict)" "truncated entry"
expect cache "$(verdict)" "after rewriting the truncated entry"
head -c 4096 /dev/urandom > "$entry"
expect compiled "$(verdict)" "garbage entry"
expect cache "$(verdict)" "after rewriting the garbage entry"

# defines and edits are part of the key
n=$(ls "$BCC_C_CACHE_DIR" | wc -l)
sed 's/arg = /argument = /' "$(dirname "$0")/../../tools/uprobe_simple/uprobe_simple.bpf.c" > "$work/edited.bpf.c"
expect compiled "$(verdict -f "$work/edited.bpf.c")" "edited text"
expect cache "$(verdict -f "$work/edited.bpf.c")" "edited text again"
[ "$(ls "$BCC_C_CACHE_DIR" | wc -l)" -gt "$n" ] || note_fail "the edit did not make a new entry"
BCC_C_VERBOSE=1 "$BIN/opensnoop_simple" --probe tracepoint -d 0 2> "$work/o1" > /dev/null
BCC_C_VERBOSE=1 "$BIN/opensnoop_simple" --probe tracepoint -x -d 0 2> "$work/o2" > /dev/null
BCC_C_VERBOSE=1 "$BIN/opensnoop_simple" --probe tracepoint -x -d 0 2> "$work/o3" > /dev/null
grep -q "': compiled" "$work/o2" || note_fail "-x (-DFAILED_ONLY) was served another define's entry"
grep -q "compile cache" "$work/o3" || note_fail "opensnoop -x was not cached"

# opensnoop_in DIR ARGS...: stderr of one opensnoop_simple -d 0 run with
# the cache in DIR
opensnoop_in() {
	local dir=$1
	shift
	BCC_C_CACHE_DIR=$dir "$BIN/opensnoop_simple" -d 0 "$@" 2>&1 >/dev/null
}
# served STDERR: "cache" or "compiled", as the run said
served() {
	case "$1" in
	*"loaded from the compile cache"*) echo cache ;;
	*"': compiled"*) echo compiled ;;
	*) echo "?$1" ;;
	esac
}

# A cache other users could write is not used, and the run says once why
# (issue 12, item 2). First the issue's scenario: a directory owned by
# nobody, mode 0777, its entries 0666.
shared=$work/shared
opensnoop_in "$shared" > /dev/null
chown -R nobody "$shared" && chmod 0777 "$shared" && chmod 0666 "$shared"/*.img
out=$(opensnoop_in "$shared")
expect compiled "$(served "$out")" "a cache owned by nobody, mode 0777"
grep -q "not using the compile cache '$shared': it is owned by nobody (uid [0-9]*), not by root and writable by other users (mode 0777).*fix: chown root '$shared' && chmod 700 '$shared'" <<<"$out" ||
	note_fail "no reason, or no fix, given for not using $shared: $out"
[ "$(grep -c "not using the compile cache" <<<"$out")" = 1 ] || note_fail "the reason was not said exactly once: $out"
# a directory its group can write is refused, even root's
chown root "$shared" && chmod 0770 "$shared"
out=$(opensnoop_in "$shared")
expect compiled "$(served "$out")" "a root-owned cache its group can write"
grep -q "not using the compile cache '$shared': it is writable by its group (mode 0770)" <<<"$out" ||
	note_fail "no reason given for not using a cache mode 0770: $out"
# a private directory with an entry others can write: compiled, and replaced
chmod 0700 "$shared"
out=$(opensnoop_in "$shared")
expect compiled "$(served "$out")" "an entry owned by nobody, mode 0666"
grep -q "not using compile cache entry '$shared/[0-9a-f]*\.img': it is owned by nobody (uid [0-9]*), not by root and writable by other users (mode 0666)" <<<"$out" ||
	note_fail "no reason given for not using an entry owned by nobody, mode 0666: $out"
expect cache "$(served "$(opensnoop_in "$shared")")" "after replacing the refused entry"
[ "$(stat -c %U:%a "$shared"/*.img)" = root:600 ] || note_fail "the new entry is not root's, mode 0600"
# a symbolic link, even to a good entry, is not followed
name=$(basename "$shared"/*.img)
mv "$shared/$name" "$work/elsewhere.img"
ln -s "$work/elsewhere.img" "$shared/$name"
out=$(opensnoop_in "$shared")
expect compiled "$(served "$out")" "an entry that is a symbolic link"
grep -q "not using compile cache entry '$shared/$name': it is a symbolic link" <<<"$out" ||
	note_fail "no reason given for not using a symbolic link: $out"
[ -f "$shared/$name" ] && [ ! -L "$shared/$name" ] || note_fail "the symbolic link was not replaced by an entry"

# snoop_sees DIR WHAT: an opensnoop_simple run with the cache in DIR sees
# an open of a fresh file; its stderr is left in $work/snoop.err
snoop_sees() {
	local dir=$1 what=$2 path=$work/seen-$RANDOM pid
	echo x > "$path"
	BCC_C_CACHE_DIR=$dir "$BIN/opensnoop_simple" --probe tracepoint -d 1 > "$work/snoop" 2> "$work/snoop.err" &
	pid=$!
	wait_for "$work/snoop" 'PID ' 10 $pid
	cat "$path" > /dev/null
	wait $pid || note_fail "$what: opensnoop_simple exited $?: $(cat "$work/snoop.err")"
	grep -q "$path" "$work/snoop" || note_fail "$what: the run did not see the open"
}

# An entry made for fewer CPUs (a perf table with fewer slots than this
# host's possible CPUs) or with a program the kernel refuses costs one
# compile: the run still traces, and the entry is rewritten (issue 12,
# item 3). The entry is damaged in place, keeping its key.
cpus=$work/cpus
opensnoop_in "$cpus" --probe tracepoint > /dev/null
e=$(ls "$cpus"/*.img)
slots=$("$HELPERS/cache_entry" "$e" show | awk '$1 == "table" && $2 == "events" { print $6 }')
if [ "$slots" -gt 1 ]; then
	"$HELPERS/cache_entry" "$e" slots events $((slots - 1))
	snoop_sees "$cpus" "an entry with $((slots - 1)) perf slots for $slots CPUs"
	expect compiled "$(served "$(cat "$work/snoop.err")")" "an entry made for fewer CPUs"
	"$HELPERS/cache_entry" "$e" show | grep -q "^table events type 4 max_entries $slots$" ||
		note_fail "the entry made for fewer CPUs was not rewritten"
else
	echo "one possible CPU: an entry made for fewer CPUs cannot be made here"
fi
# exit_openat is loaded second: the maps stay (enter_openat uses them);
# enter_openat is loaded first: the compiled module's maps replace them
for fn in tracepoint__syscalls__sys_exit_openat tracepoint__syscalls__sys_enter_openat; do
	"$HELPERS/cache_entry" "$e" refuse $fn
	cp "$e" "$work/refused.img"
	snoop_sees "$cpus" "an entry whose $fn the kernel refuses"
	grep -q "the compile cache's copy of 'bpf_text/opensnoop_simple.bpf.c' failed: cannot load '$fn'.*compiling it again and rewriting the entry" "$work/snoop.err" ||
		note_fail "no word of the fallback for a refused $fn: $(cat "$work/snoop.err")"
	cmp -s "$e" "$work/refused.img" && note_fail "the entry whose $fn was refused was not rewritten"
	snoop_sees "$cpus" "the rewritten entry"
	expect cache "$(served "$(cat "$work/snoop.err")")" "the entry rewritten after a refused $fn"
	grep -q "failed" "$work/snoop.err" && note_fail "the rewritten entry failed again: $(cat "$work/snoop.err")"
done

# The cache stays under its cap: each -p PID is a compile and an entry;
# storing one evicts the least recently used, and a hit makes an entry
# recent (issue 12, item 4). The cap holds two and a half entries.
capped=$work/capped
opensnoop_in "$capped" --probe tracepoint -p 1 > /dev/null
size=$(stat -c %s "$capped"/*.img)
export BCC_C_CACHE_MAX_MB=$(awk -v s="$size" 'BEGIN { printf "%.6f", 2.5 * s / 1048576 }')
for p in 2 3 4; do
	opensnoop_in "$capped" --probe tracepoint -p $p > /dev/null
done
expect cache "$(served "$(opensnoop_in "$capped" --probe tracepoint -p 3)")" "-p 3, stored two runs before"
opensnoop_in "$capped" --probe tracepoint -p 5 > /dev/null
n=$(ls "$capped" | wc -l)
total=$(stat -c %s "$capped"/* | awk '{ t += $1 } END { print t }')
[ "$n" -le 2 ] && [ "$total" -le $((size * 5 / 2)) ] ||
	note_fail "the cache holds $n files, $total bytes, for a cap of $((size * 5 / 2)) bytes"
expect cache "$(served "$(opensnoop_in "$capped" --probe tracepoint -p 5)")" "-p 5, the last stored"
expect cache "$(served "$(opensnoop_in "$capped" --probe tracepoint -p 3)")" "-p 3, recently used"
expect compiled "$(served "$(opensnoop_in "$capped" --probe tracepoint -p 4)")" "-p 4, least recently used"
unset BCC_C_CACHE_MAX_MB

# a cache that cannot be written, or is off, still runs
BCC_C_CACHE_DIR=/proc/bcc-c-nope expect compiled "$(BCC_C_CACHE_DIR=/proc/bcc-c-nope verdict)" "unwritable cache"
expect compiled "$(BCC_C_CACHE_DIR=off verdict)" "cache off"
expect compiled "$(BCC_C_CACHE_DIR=off verdict)" "cache off, again"
check_clean "$before" "the cache runs"
exit $fail
