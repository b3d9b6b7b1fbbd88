/* The probe specs of bcc-run's command line:
 *   -u/-U BINARY:SYMBOL:FN   -k/-K FUNC:FN   -t CATEGORY:EVENT:FN
 * BINARY may itself contain ':' (the last two fields are split off the
 * right); SYMBOL may be an address written 0x... */
#ifndef BCC_C_SPEC_H
#define BCC_C_SPEC_H

#include <stdint.h>

struct spec {
	char target[4096]; /* BINARY, FUNC, or CATEGORY */
	char symbol[256];  /* SYMBOL or EVENT; "" for -k */
	uint64_t addr;     /* when symbol was 0x...: the address, symbol "" */
	char fn[256];      /* the BPF function */
};

/* fields: 3 for -u and -t, 2 for -k. Returns 0, or -EINVAL with a reason
 * in why (a static string) for a malformed spec. */
int spec_parse(const char *s, int fields, struct spec *out, const char **why);

#endif
