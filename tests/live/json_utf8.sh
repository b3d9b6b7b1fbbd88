#!/usr/bin/env bash
# bcc-run --json prints a file name in UTF-8 as it is: a file named
# /tmp/café-N opened while examples/open_events.bpf.c runs comes out as
# "fname":"/tmp/café-N" (it came out as "/tmp/caf\u00c3\u00a9-N"), and
# every line is JSON that parses.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
EX=$(cd "$(dirname "$0")/../../examples" && pwd)
work=$(mktemp -d)
path=/tmp/café-$RANDOM$RANDOM
trap 'kill -INT $runner 2>/dev/null; wait $runner 2>/dev/null; rm -rf "$work" "$path"' EXIT
before=$(snapshot)
echo x > "$path"

"$BIN/bcc-run" "$EX/open_events.bpf.c" --json > "$work/out" 2> "$work/err" &
runner=$!
wait_for "$work/err" '^bcc-run: ready:' 30 $runner || exit 1

cat "$path" > /dev/null
# the opener's event is printed at most ~50 ms after the open
wait_for "$work/out" "\"fname\":\"$path\"" 5 $runner
kill -INT $runner
wait $runner || note_fail "bcc-run exited $?: $(cat "$work/err")"
runner=

grep -qF "\"comm\":\"cat\",\"fname\":\"$path\"" "$work/out" || {
	note_fail "no event with \"fname\":\"$path\" in UTF-8; lines naming it:"
	grep -F "$(basename "$path" | sed 's/é.*//')" "$work/out" | sed 's/^/    /'
}
/usr/bin/python3 - "$work/out" <<'EOF' || note_fail "bcc-run --json printed a line that is not UTF-8 JSON"
import json, sys
for line in open(sys.argv[1], "rb"):
    json.loads(line.decode("utf-8"))
EOF
check_clean "$before" "bcc-run --json"
exit $fail
