/* A library whose constructor never returns, for live_ifunc_trust: the
 * IFUNC lookup that loads it lasts until the tracer's timeout, unless a
 * Ctrl-C stops the tracer first. */
int ifunc_slow_impl(void);

static volatile unsigned long spins;

static void __attribute__((constructor)) spin(void)
{
	for (;;)
		spins++;
}

int ifunc_slow_impl(void)
{
	return 0;
}

static int (*resolve_slow(void))(void)
{
	return ifunc_slow_impl;
}

int ifunc_slow(void) __attribute__((ifunc("resolve_slow")));
