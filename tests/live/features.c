/* Prints the runtime's feature report, so tests can compare it with what
 * they know of the kernel they run on (this host, the kernel lab). */
#include "feature.h"

int main(void)
{
	feature_report(stdout);
	return 0;
}
