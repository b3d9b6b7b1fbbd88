/* The online-CPU list format of /sys/devices/system/cpu/online. */
#include "check.h"
#include "perf_buf.h"

#include <errno.h>

int main(void)
{
	int cpus[16];

	CHECK_INT(perf_buf_parse_cpus("0-1\n", cpus, 16), 2);
	CHECK_INT(cpus[1], 1);
	CHECK_INT(perf_buf_parse_cpus("0", cpus, 16), 1);
	CHECK_INT(perf_buf_parse_cpus("0-3,6,8-9\n", cpus, 16), 7);
	CHECK_INT(cpus[4], 6);
	CHECK_INT(cpus[6], 9);
	CHECK_INT(perf_buf_parse_cpus("0-100", cpus, 16), 16);
	CHECK_INT(perf_buf_parse_cpus("", cpus, 16), -EINVAL);
	CHECK_INT(perf_buf_parse_cpus("3-1", cpus, 16), -EINVAL);
	CHECK_INT(perf_buf_parse_cpus("a", cpus, 16), -EINVAL);
	CHECK_INT(perf_buf_parse_cpus("1;2", cpus, 16), -EINVAL);
	return CHECK_DONE();
}
