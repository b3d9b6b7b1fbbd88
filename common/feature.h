/* What this kernel and host can do, each answer with its evidence: for a
 * "no", the reason and what to do about it. Nothing here needs libbcc's
 * compiler. */
#ifndef BCC_C_FEATURE_H
#define BCC_C_FEATURE_H

#include <stdbool.h>

struct feature {
	bool ok;
	char detail[512]; /* yes: where it was found; no: why, and the fix */
};

void feature_tracefs(struct feature *f);
/* kprobe PMU or kprobe_events present (CONFIG_KPROBES). */
void feature_kprobes(struct feature *f);
/* uprobe PMU or uprobe_events present (CONFIG_UPROBE_EVENTS). */
void feature_uprobes(struct feature *f);
void feature_btf(struct feature *f);
/* The tracepoint events tracefs lists (sched:sched_switch as the witness). */
void feature_tracepoints(struct feature *f);
/* Loads and attaches a minimal raw tracepoint program on sched_switch. */
void feature_raw_tracepoints(struct feature *f);
/* Root, or the capabilities that loading BPF tracing programs needs. */
void feature_privileges(struct feature *f);
/* Loads and attaches a minimal fentry program: the only honest answer,
 * since BTF and the trampoline symbol can exist while the load is refused. */
void feature_kfunc(struct feature *f);
/* The headers libbcc will compile against, found as libbcc looks for them
 * (BCC_KERNEL_SOURCE, else /lib/modules/$(uname -r)/source or build);
 * detail names the directory and the headers' release. */
void feature_headers(struct feature *f);

/* Prints every check above, one line each: "<name>: yes|no: <detail>",
 * and the libbcc version this was built with.
 * Returns the number of checks that said no. */
#include <stdio.h>
int feature_report(FILE *out);

#endif
