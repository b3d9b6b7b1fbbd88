/* bcc's auto-attach names, syscall fix-up and event names. */
#include "check.h"
#include "probe_names.h"

int main(void)
{
	char t[128];

	CHECK_INT(probe_names_classify("kprobe__tcp_v4_connect", t, sizeof(t)), PROBE_KPROBE);
	CHECK_STR(t, "tcp_v4_connect");
	CHECK_INT(probe_names_classify("kretprobe__do_unlinkat", t, sizeof(t)), PROBE_KRETPROBE);
	CHECK_STR(t, "do_unlinkat");
	CHECK_INT(probe_names_classify("tracepoint__syscalls__sys_enter_openat", t, sizeof(t)),
		  PROBE_TRACEPOINT);
	CHECK_STR(t, "syscalls:sys_enter_openat");
	CHECK_INT(probe_names_classify("raw_tracepoint__sched_switch", t, sizeof(t)),
		  PROBE_RAW_TRACEPOINT);
	CHECK_STR(t, "sched_switch");
	CHECK_INT(probe_names_classify("kfunc__do_sys_open", t, sizeof(t)), PROBE_KFUNC);
	CHECK_STR(t, "do_sys_open");
	CHECK_INT(probe_names_classify("kretfunc__do_sys_open", t, sizeof(t)), PROBE_KRETFUNC);
	CHECK_STR(t, "do_sys_open");
	/* not auto-attached */
	CHECK_INT(probe_names_classify("printarg", t, sizeof(t)), PROBE_NONE);
	CHECK_INT(probe_names_classify("kprobe__", t, sizeof(t)), PROBE_NONE);
	CHECK_INT(probe_names_classify("kprobe_tcp", t, sizeof(t)), PROBE_NONE);
	CHECK_INT(probe_names_classify("tracepoint__nocategory", t, sizeof(t)), PROBE_NONE);
	CHECK_INT(probe_names_classify("tracepoint__sched__", t, sizeof(t)), PROBE_NONE);
	/* too long for the target buffer */
	CHECK_INT(probe_names_classify("kprobe__a_rather_long_name", t, 8), PROBE_NONE);

	/* bcc's fix_syscall_fnname */
	CHECK_INT(probe_names_fix_syscall("sys_clone", "__x64_sys_", t, sizeof(t)), 0);
	CHECK_STR(t, "__x64_sys_clone");
	CHECK_INT(probe_names_fix_syscall("__x64_sys_clone", "__arm64_sys_", t, sizeof(t)), 0);
	CHECK_STR(t, "__arm64_sys_clone");
	CHECK_INT(probe_names_fix_syscall("__ia32_compat_sys_open", "sys_", t, sizeof(t)), 0);
	CHECK_STR(t, "sys_open");
	CHECK_INT(probe_names_fix_syscall("tcp_v4_connect", "__x64_sys_", t, sizeof(t)), 0);
	CHECK_STR(t, "tcp_v4_connect");
	CHECK(probe_names_is_syscall("sys_clone"));
	CHECK(!probe_names_is_syscall("do_sys_open"));

	/* event names as bcc builds them */
	CHECK_INT(probe_names_event(PROBE_KPROBE, "tcp_v4_connect", 0, 0, t, sizeof(t)), 0);
	CHECK_STR(t, "p_tcp_v4_connect");
	CHECK_INT(probe_names_event(PROBE_KRETPROBE, "do_sys_open.isra.0", 0, 0, t, sizeof(t)), 0);
	CHECK_STR(t, "r_do_sys_open_isra_0");
	CHECK_INT(probe_names_event(PROBE_UPROBE, "/usr/lib/libc.so.6", 0x8e6a0, -1, t, sizeof(t)),
		  0);
	CHECK_STR(t, "p__usr_lib_libc_so_6_0x8e6a0");
	CHECK_INT(probe_names_event(PROBE_URETPROBE, "/tmp/a-b", 0x10, 42, t, sizeof(t)), 0);
	CHECK_STR(t, "r__tmp_a_b_0x10_42");
	CHECK(probe_names_event(PROBE_UPROBE, "/very/long/path", 0, 0, t, 10) < 0);
	return CHECK_DONE();
}
