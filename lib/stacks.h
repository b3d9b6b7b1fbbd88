/* BPF_STACK_TRACE tables read through the stack ids a program stores in
 * its keys and events: a member whose name ends in "stack_id" or
 * "stackid" holds an id of the text's only stack table, or of the one its
 * name names ("user_stack_id" -> "user_stacks"). Kernel frames are
 * symbolized through /proc/kallsyms, user frames through the ELF symbols
 * of the process a "pid" or "tgid" member of the same key or event names
 * (libbcc's bcc_symcache_*); a frame that resolves to nothing prints as
 * its address, marked [unknown]. */
#ifndef BCC_C_STACKS_H
#define BCC_C_STACKS_H

#include "event_decode.h"
#include "stack_text.h"
#include "tracer.h"
#include "type_desc.h"

#include <stdbool.h>
#include <stdio.h>

struct stacks;

/* The stack tables of t (which must outlive the result); note, when set,
 * receives one sentence for what cannot be shown. Returns NULL and sets
 * errno on failure. */
struct stacks *stacks__new(struct tracer *t, void (*note)(const char *msg, void *ctx),
			   void *ctx);
void stacks__free(struct stacks *s);

/* The BPF text the keys of stacks__claim_key() are looked up in; it must
 * outlive s. */
void stacks__set_text(struct stacks *s, const char *text);

/* The process that whole-key user stack ids belong to (bcc-run -p limits
 * the uprobes to it, as bcc's mallocstacks does with its PID argument); 0,
 * the default, when they may come from any process. Before
 * stacks__claim_key(). */
void stacks__set_pid(struct stacks *s, int pid);

/* Whether a member called name holds a stack id. */
bool stacks_is_id_name(const char *name);

/* Whether t has a stack id member; it also marks the tables they refer
 * to as printed through them (see stacks__is_referred()). */
bool stacks__claim_type(struct stacks *s, const struct td_type *t);
bool stacks__claim_layout(struct stacks *s, const struct event_layout *l);

/* Whether the key type kt of table holds stack ids: a struct's members
 * as stacks__claim_type(), or a whole integer key as stacks_text_id_key()
 * says (its table is then referred to). An integer key of a text with
 * stack tables that the text says nothing of is remembered for
 * stacks__undecided_keys(). */
bool stacks__claim_key(struct stacks *s, const char *table, const struct td_type *kt);

/* "'a', 'b'": the tables whose integer keys may be stack ids the text
 * does not show as such; "" when none. Owned by s. */
const char *stacks__undecided_keys(const struct stacks *s);

/* Whether some key or event claimed so far refers to the table called
 * name. */
bool stacks__is_referred(const struct stacks *s, const char *name);

/* The stacks of the id members of a value of type t at data (a key):
 * text, one "    member:" line and then one frame a line; json,
 * ",\"stacks\":{\"member\":[\"sym+0xoff\",...]}". Nothing when t has no
 * id member. */
void stacks__print_value(struct stacks *s, const struct td_type *t, const void *data,
			 bool json, FILE *out);

/* The stacks of a key of table claimed with stacks__claim_key(): its id
 * members, or the key itself, as stacks__print_value(). */
void stacks__print_key(struct stacks *s, const char *table, const struct td_type *kt,
		       const void *data, bool json, FILE *out);

/* The same for the id fields of an event of size bytes. */
void stacks__print_event(struct stacks *s, const struct event_layout *l, const void *data,
			 size_t size, bool json, FILE *out);

#endif
