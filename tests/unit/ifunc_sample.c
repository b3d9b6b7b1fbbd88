/* A library with an IFUNC, as glibc's strlen is one: ifunc_sample is a
 * resolver that always picks ifunc_sample_b, so test_ifunc knows where the
 * calls go. Built unstripped: its symbol table names the implementations. */
int ifunc_sample_a(void);
int ifunc_sample_b(void);

int ifunc_sample_a(void)
{
	return 1;
}

int ifunc_sample_b(void)
{
	return 2;
}

static int (*resolve_sample(void))(void)
{
	return ifunc_sample_b;
}

int ifunc_sample(void) __attribute__((ifunc("resolve_sample")));
