#!/usr/bin/env bash
# The compile cache: the second start is a hit and runs without libbcc's
# compiler (no LLVM in the process), events still arrive; corrupt entries
# are recompiled; an unwritable or disabled cache only costs speed;
# --no-cache, defines and edits change what is used.
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
sleep 1.5
grep -E "libLLVM|libbcc\.so" /proc/$tracer/maps && note_fail "warm run mapped the compiler"
grep -q "libbcc_bpf" /proc/$tracer/maps || note_fail "warm run did not map libbcc_bpf (not running?)"
wait $tracer || note_fail "warm uprobe_simple exited $?"
grep -q "loaded from the compile cache" "$work/warm.err" || note_fail "third run was not a hit"
grep -qE " $target +arg = [0-9]+$" "$work/warm" || note_fail "warm run saw no event"
grep -qE " $target +return value = [0-9]+$" "$work/warm" || note_fail "warm run saw no return"
# and a cold one does map it (the check above can fail)
"$BIN/uprobe_simple" --no-cache -d 3 > /dev/null 2> "$work/cold.err" &
tracer=$!
sleep 2
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
sed 's/arg = /argument = /' "$(dirname "$0")/../../bpf_text/uprobe_simple.bpf.c" > "$work/edited.bpf.c"
expect compiled "$(verdict -f "$work/edited.bpf.c")" "edited text"
expect cache "$(verdict -f "$work/edited.bpf.c")" "edited text again"
[ "$(ls "$BCC_C_CACHE_DIR" | wc -l)" -gt "$n" ] || note_fail "the edit did not make a new entry"
BCC_C_VERBOSE=1 "$BIN/opensnoop_simple" --probe tracepoint -d 0 2> "$work/o1" > /dev/null
BCC_C_VERBOSE=1 "$BIN/opensnoop_simple" --probe tracepoint -x -d 0 2> "$work/o2" > /dev/null
BCC_C_VERBOSE=1 "$BIN/opensnoop_simple" --probe tracepoint -x -d 0 2> "$work/o3" > /dev/null
grep -q "': compiled" "$work/o2" || note_fail "-x (-DFAILED_ONLY) was served another define's entry"
grep -q "compile cache" "$work/o3" || note_fail "opensnoop -x was not cached"

# a cache that cannot be written, or is off, still runs
BCC_C_CACHE_DIR=/proc/bcc-c-nope expect compiled "$(BCC_C_CACHE_DIR=/proc/bcc-c-nope verdict)" "unwritable cache"
expect compiled "$(BCC_C_CACHE_DIR=off verdict)" "cache off"
expect compiled "$(BCC_C_CACHE_DIR=off verdict)" "cache off, again"
check_clean "$before" "the cache runs"
exit $fail
