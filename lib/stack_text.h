/* Stack ids as a BPF text uses them (stack_text.c). */
#ifndef BCC_C_STACK_TEXT_H
#define BCC_C_STACK_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Whether text keys table by whole stack ids: the key a method of table is
 * called with ("counts.increment(id)", "counts.lookup(&id)") is a
 * get_stackid() call, or a variable assigned one ("id =
 * stacks.get_stackid(ctx, 0)", "bpf_get_stackid(ctx, &stacks, 0)"). Then
 * stack (len bytes) gets the stack table's name, and user whether the
 * call asks for user stacks (BPF_F_USER_STACK). */
bool stacks_text_id_key(const char *text, const char *table, char *stack, size_t len,
			bool *user);

#endif
