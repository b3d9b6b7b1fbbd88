/* The one printer of a BPF program's values: what it left in its tables
 * (keys, leaves, per-CPU values, histograms, stacks) and the events it
 * sent (event_decode.c builds a td_type of each field). Pure functions
 * from bytes and a type (type_desc.h) to text or JSON, the same whether
 * the program came from clang or from the compile cache; the escapers are
 * escape.h's. */
#ifndef BCC_C_RENDER_H
#define BCC_C_RENDER_H

#include "escape.h"
#include "type_desc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A value of type t at data (t->size bytes): integers in decimal, char[]
 * as a quoted string (render_escape()), a u8/unsigned char array as the
 * quoted string of all its bytes (JSON: numbers, as bcc's ctypes c_ubyte
 * arrays; text: one named as an address, u8[4] or u8[16], as the address),
 * other arrays as [a, b], structs as {name=value, ...} (JSON: an
 * object), __pad_* members left out. A 16-byte integer member whose name
 * says it is an address (saddr, daddr, addr, ...) prints as an IPv6
 * address, as bcc's tools do with inet_ntop(AF_INET6). */
void render_value(FILE *out, const struct td_type *t, const void *data, bool json);

/* Member f of the record at base, as render_value() prints a member. */
void render_member(FILE *out, const struct td_field *f, const void *base, bool json);

/* A field called name of an event (event_format()), by the same printer as
 * render_value() in an event's style: char[] bare in text (as bcc's tools
 * print a comm), elements joined by ',' and each element of an array whose
 * name says address printed as one; a pointer as "0xHEX", quoted. */
void render_event_value(FILE *out, const char *name, const struct td_type *t,
			const void *data, bool json);

/* Text mode: n bytes (a u8[4] or u8[16]) of a member whose name says it
 * is an address (render_is_ipv6_name()) as the IPv4 or IPv6 address, as
 * bcc's tools print them with inet_ntop(). Returns false, having written
 * nothing, for any other. */
bool render_byte_addr(FILE *out, const char *name, const void *data, size_t n);

/* Whether t is an array of 1-byte unsigned integers (u8, unsigned char). */
bool render_is_byte_array(const struct td_type *t);

/* Writes a 16-byte integer (little-endian) in decimal. */
void render_u128(FILE *out, const void *data, bool is_signed);

/* Writes 16 bytes as an IPv6 address (JSON: a string). */
void render_ipv6(FILE *out, const void *data, bool json);

/* Whether a member called name holding 16 bytes is an IPv6 address. */
bool render_is_ipv6_name(const char *name);

/* A per-CPU value: ncpus values of type t, stride bytes apart. Integers
 * print as their sum followed by each CPU's ("15 [7 8]"; JSON: the sum,
 * and "per_cpu" as a separate member written by render_percpu_json_cpus()). */
void render_percpu(FILE *out, const struct td_type *t, const void *data, size_t ncpus,
		   size_t stride, bool json);

/* ,"per_cpu":[...] for a per-CPU value whose type is an integer. */
void render_percpu_json_cpus(FILE *out, const struct td_type *t, const void *data,
			     size_t ncpus, size_t stride);

/* Whether kt is a struct with a member render_hist_sections() takes as
 * the slot. */
bool render_hist_has_slot(const struct td_type *kt);

/* The member of struct kt that holds the log2 slot: the one called slot,
 * else the second one (bcc's rule), when it is an integer; else NULL. */
const struct td_field *render_hist_slot(const struct td_type *kt);

/* Histograms keyed by a struct, as bcc's print_log2_hist() prints them
 * with a section header: the key's "slot" member (else its second member,
 * bcc's rule) is the log2 slot, and every other member names a section,
 * printed as "\nfield = value[, field = value]" before its histogram, in
 * the order the sections first appear. keys holds n keys of kt->size bytes
 * each, counts their values. Returns 0, -EINVAL when kt has no integer
 * slot member, or -ENOMEM. */
int render_hist_sections(FILE *out, const struct td_type *kt, const void *keys,
			 const uint64_t *counts, size_t n, bool json, const char *table);

/* The stack a stack id member called name refers to, as bcc's stackcount
 * prints it: text, "    name:" and then each frame ("sym+0xoff", or
 * "0xADDR [unknown]") on its own line; json, "\"name\":[frames]". A
 * negative id (the kernel could not take the stack: -EFAULT, -EEXIST,
 * -ENOMEM) prints as bcc's "[Missed User Stack]" or "[Missed Kernel
 * Stack]", user when the name says so. */
void render_stack(FILE *out, const char *name, long long id, const char *const *frames,
		  size_t n, bool json);

/* Whether a stack id member called name holds user stacks ("user",
 * "ustack"), as opposed to kernel ones. */
bool render_stack_is_user_name(const char *name);

#endif
