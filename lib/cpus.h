/* The kernel's CPU lists (/sys/devices/system/cpu/online, possible). */
#ifndef BCC_C_CPUS_H
#define BCC_C_CPUS_H

/* CPU ids from a list like "0-3,6": writes the first max of them to cpus
 * (which may be NULL when max is 0) and returns how many the list holds,
 * or -EINVAL. */
int cpus_parse(const char *list, int *cpus, int max);

/* The CPUs of /sys/devices/system/cpu/<which> ("online", "possible"):
 * returns how many; with out, also their ids (malloc'd). Negative errno
 * on failure. */
int cpus_read(const char *which, int **out);

#endif
