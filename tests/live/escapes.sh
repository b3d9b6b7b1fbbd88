#!/usr/bin/env bash
# Names any user chooses reach root's terminal as text: a process whose
# comm holds ESC [2J and a newline opens a file whose name holds them too,
# while opensnoop_simple, bcc-run (events: open_events.bpf.c) and bcc-run
# (trace_pipe: hello_tracepoint.bpf.c) trace it. Each prints the escaped
# form (\x1b[2J, \n) and no raw ESC byte; the event is one line.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
EX=$(cd "$(dirname "$0")/../../examples" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
before=$(snapshot)

tag=e$RANDOM$RANDOM
path=$work/$tag$'\033[2J\nx'
path_esc="$work/$tag"'\x1b[2J\nx'
# a shell whose file name (and so its comm) holds the escape and a newline
opener=$work/$'s\033[2J\nh'
comm_esc='s\x1b[2J\nh'
cp "$(readlink -f /bin/sh)" "$opener"
echo x > "$path"

# open_evil NAME [OPENER]: the evil shell opens the evil file and stays
# until NAME's output shows it, so that trace_pipe can still name it
open_evil() {
	rm -f "$work/go"
	mkfifo "$work/go"
	"${2:-$opener}" -c 'exec 3< "$1"; read -r _ < "$2"' sh "$path" "$work/go" &
	local pid=$!
	wait_for "$work/$1" "$tag" 10 $runner
	echo go > "$work/go"
	wait $pid
}

# no_raw NAME WHAT: NAME's output has no ESC byte and the escaped forms
no_raw() {
	grep -q $'\033' "$work/$1" && note_fail "$1: a raw ESC reached the output:" &&
		sed -n "/$tag/{l;}" "$work/$1" | sed 's/^/    /'
	grep -qF -- "$2" "$work/$1" || {
		note_fail "$1: no line holding '$2'; lines naming $tag:"
		grep -a "$tag" "$work/$1" | cat -v | sed 's/^/    /'
	}
}

"$BIN/opensnoop_simple" > "$work/snoop" 2> "$work/snoop.err" &
runner=$!
wait_for "$work/snoop" 'PID ' 10 $runner || sed 's/^/    /' "$work/snoop.err"
open_evil snoop
kill -INT $runner
wait $runner || note_fail "opensnoop_simple exited $?: $(cat "$work/snoop.err")"
no_raw snoop "$comm_esc"
no_raw snoop "$path_esc"
grep -qE "^[0-9]+ +s\\\\x1b\[2J\\\\nh +[0-9]+ +0 $work/$tag\\\\x1b\[2J\\\\nx$" "$work/snoop" ||
	{ note_fail "opensnoop_simple: no 'PID $comm_esc FD 0 $path_esc' line; lines naming $tag:"
	  grep -a "$tag" "$work/snoop" | cat -v | sed 's/^/    /'; }


bcc_run_start events "$EX/open_events.bpf.c"
open_evil events
bcc_run_finish events
no_raw events "comm=$comm_esc fname=$path_esc"

# trace_pipe: the kernel writes comm and message raw, so its line ends at
# a newline in either (the rest is a line of its own, which does not
# parse): a comm with ESC only, and the message up to the file's newline
cp "$opener" "$work/"$'s\033[2Jh'
bcc_run_start trace "$EX/hello_tracepoint.bpf.c"
open_evil trace "$work/"$'s\033[2Jh'
bcc_run_finish trace
no_raw trace "openat $work/$tag"'\x1b[2J'
grep -qE "^[0-9.]+ +s\\\\x1b\[2Jh +[0-9]+ +openat $work/$tag\\\\x1b\[2J$" "$work/trace" ||
	{ note_fail "bcc-run: no 'TIME s\\x1b[2Jh PID openat ...' trace line; lines naming $tag:"
	  grep -a "$tag" "$work/trace" | cat -v | sed 's/^/    /'; }

check_clean "$before" "escapes"
exit $fail
