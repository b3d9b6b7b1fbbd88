#!/usr/bin/env bash
# What bcc-run prints as a histogram at exit, on tables filled by 3
# getppid() calls of one process: a table that a comment names
# "BPF_HISTOGRAM(wide" is a table (its 16-byte values printed whole: read
# as a histogram into 8-byte slots they overflowed the buffer), a
# BPF_HISTOGRAM of u64 counts is a histogram, and a struct-keyed one
# holding totals in slot 0 (the shape of bcc's softirqs and hardirqs
# without -d) shows them under each section. Then bcc's softirqs text
# itself (irq:softirq_entry/exit, loopback UDP packets to raise NET_RX):
# no section may be printed empty. Skips (77) without /usr/bin/python3
# (the workload) or the irq tracepoints.
BIN=$1 HELPERS=$2
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/python3 ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
[ -d /sys/kernel/tracing/events/irq/softirq_entry ] ||
	{ echo "SKIP: no irq:softirq_entry tracepoint"; exit 77; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
cat > "$work/hist.bpf.c" <<'TEXT'
/* BPF_HISTOGRAM(wide, ...) held latencies once: now 16-byte sums */
BPF_TABLE("hash", u32, unsigned __int128, wide, 4);
BPF_HISTOGRAM(lat);
struct skey {
	u32 pid;
	u64 slot;
};
BPF_HISTOGRAM(sums, struct skey);
int on_getppid(void *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32, k = 3;
	unsigned __int128 big = ((unsigned __int128)1 << 64) + 5;
	struct skey sk = { .pid = pid, .slot = 0 };

	if (pid != PID)
		return 0;
	wide.update(&k, &big);
	lat.increment(bpf_log2l(1000));
	sums.increment(sk, 1000000);
	return 0;
}
TEXT
before=$(snapshot)
getppid_run "$work" "$work/hist.bpf.c"
kill -INT $runner
wait $runner || note_fail "bcc-run exited $?: $(cat "$work/err")"
# table NAME [FILE]: its lines up to the next table's name
table() { sed -n "/^$1:\$/,/^[a-z_]*:\$/{/^[a-z_]*:\$/!p}" "${2:-$work/out}"; }
[ "$(table wide)" = "  3: 18446744073709551621" ] ||
	note_fail "the table a comment names BPF_HISTOGRAM: '$(table wide)', expected" \
		"'  3: 18446744073709551621'"
! grep -q "'wide'" "$work/err" || note_fail "wide was taken for a histogram: $(cat "$work/err")"
grep -qE '^ +512 -> 1023 +: 3 +\|\*{40}\|$' <<<"$(table lat)" ||
	note_fail "BPF_HISTOGRAM lat: no '512 -> 1023 : 3' bucket: $(table lat)"
grep -qE "^pid = $p\$" <<<"$(table sums)" || note_fail "sums: no 'pid = $p' section"
grep -qE '^ +slot 0 \(not log2\) +: 3000000$' <<<"$(table sums)" ||
	note_fail "sums: the total in slot 0 is not shown: $(table sums)"
[ $fail = 0 ] || sed 's/^/    /' "$work/out" "$work/err"
check_clean "$before" "bcc-run with histograms"

# bcc's softirqs.py without -d: the time of each vector summed in slot 0
cat > "$work/softirqs.bpf.c" <<'TEXT'
typedef struct entry_key {
	u32 pid;
	u32 cpu;
} entry_key_t;
typedef struct irq_key {
	u32 vec;
	u64 slot;
} irq_key_t;
BPF_HASH(start, entry_key_t, u64);
BPF_HISTOGRAM(dist, irq_key_t);
TRACEPOINT_PROBE(irq, softirq_entry)
{
	entry_key_t key = { .pid = bpf_get_current_pid_tgid(), .cpu = bpf_get_smp_processor_id() };
	u64 ts = bpf_ktime_get_ns();

	start.update(&key, &ts);
	return 0;
}
TRACEPOINT_PROBE(irq, softirq_exit)
{
	entry_key_t key = { .pid = bpf_get_current_pid_tgid(), .cpu = bpf_get_smp_processor_id() };
	irq_key_t ikey = { .vec = args->vec, .slot = 0 };
	u64 *tsp = start.lookup(&key), delta;

	if (!tsp)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	start.delete(&key);
	dist.atomic_increment(ikey, delta);
	return 0;
}
TEXT
"$BIN/bcc-run" "$work/softirqs.bpf.c" > "$work/sout" 2> "$work/serr" &
runner=$!
wait_for "$work/serr" '^bcc-run: ready:' 60 $runner
/usr/bin/python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
[s.sendto(b"x", s.getsockname()) for _ in range(20)]'
kill -INT $runner
wait $runner || note_fail "softirqs: bcc-run exited $?: $(cat "$work/serr")"
sections=$(table dist "$work/sout" | grep -c '^vec = ')
[ "$sections" -gt 0 ] || note_fail "softirqs: no section printed: $(table dist "$work/sout")"
# every section header followed by its slot 0 total
empty=$(table dist "$work/sout" | awk '/^vec = /{ if (h) print h; h = $0; next } /slot 0 \(not log2\) +: [1-9]/{ h = "" } END { if (h) print h }')
[ -z "$empty" ] || note_fail "softirqs: sections printed empty over data: $(echo $empty)"
[ $fail = 0 ] || sed 's/^/    /' "$work/sout" "$work/serr"
echo "wide: $(table wide | xargs); sums: $(table sums | grep slot | xargs); softirqs: $sections section(s)"
check_clean "$before" "bcc-run with bcc's softirqs text"
exit $fail
