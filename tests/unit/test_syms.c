/* syms.h from the public library alone, without privileges: kernel
 * symbols from a kallsyms file written here (bcc's filtering: data
 * symbols, zero and user-half addresses are skipped; modules named); the
 * running kernel's when /proc/kallsyms shows addresses (root); and
 * the user symbols of this very process. */
#include <bcc-c/stack_trace.h>
#include <bcc-c/syms.h>

#include "check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81001000 t do_one\n"
	"ffffffff81002000 D some_data\n"
	"ffffffff81003000 T do_syscall_64\n"
	"0000000000000000 T hidden_by_kptr_restrict\n"
	"0000000000001000 A fixed_percpu_data\n"
	"ffffffffc0001000 t ext4_lookup\t[ext4]\n"
	"ffffffffc0002000 r ext4_rodata\t[ext4]\n";

static struct ksyms *load_fixture(const char *body)
{
	char path[] = "/tmp/test_syms.XXXXXX";
	int fd = mkstemp(path);
	struct ksyms *ks;

	if (fd < 0 || write(fd, body, strlen(body)) != (ssize_t)strlen(body)) {
		perror("test_syms: fixture");
		exit(1);
	}
	close(fd);
	ks = ksyms__load(path);
	unlink(path);
	return ks;
}

static void check_kernel(void)
{
	struct ksyms *ks = load_fixture(kallsyms);
	struct sym_info sym;
	char buf[64];

	CHECK(ks);
	if (!ks)
		return;
	CHECK_INT(ksyms__resolve(ks, 0xffffffff81001010, &sym), 0);
	CHECK_STR(sym.name, "do_one");
	CHECK_INT(sym.offset, 0x10);
	CHECK_STR(sym.module, "kernel");
	/* a data symbol is skipped: its address belongs to the code before */
	CHECK_INT(ksyms__resolve(ks, 0xffffffff81002004, &sym), 0);
	CHECK_STR(sym.name, "do_one");
	/* aliases: the last in the file wins, as in bcc's sorted table */
	CHECK_INT(ksyms__resolve(ks, 0xffffffff81000000, &sym), 0);
	CHECK_STR(sym.name, "startup_64");
	CHECK_INT(ksyms__resolve(ks, 0xffffffffc0001234, &sym), 0);
	CHECK_STR(sym.name, "ext4_lookup");
	CHECK_STR(sym.module, "ext4");
	CHECK_INT(ksyms__resolve(ks, 0xffffffff80000000, &sym), -ENOENT);
	syms_format_frame(ks, NULL, 0xffffffff81003042, buf, sizeof(buf));
	CHECK_STR(buf, "do_syscall_64+0x42");
	syms_format_frame(ks, NULL, 0xffffffff80000001, buf, sizeof(buf));
	CHECK_STR(buf, "0xffffffff80000001 [unknown]");
	CHECK_INT(syms_format_frame(ks, NULL, 0xffffffff81003042, buf, 4), 18);
	CHECK_STR(buf, "do_");
	ksyms__free(ks);

	/* kptr_restrict: every address 0, no symbol, every look-up fails */
	ks = load_fixture("0000000000000000 T _stext\n0000000000000000 t do_one\n");
	CHECK(ks);
	CHECK_INT(ksyms__resolve(ks, 0xffffffff81000000, &sym), -ENOENT);
	ksyms__free(ks);
	errno = 0;
	CHECK(!ksyms__load("/nonexistent/kallsyms") && errno == ENOENT);
	ksyms__free(NULL);
}

/* The running kernel's, when this user sees its addresses: a function's
 * address plus one resolves to it (or an alias at the same address). */
static void check_running_kernel(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	unsigned long long addr = 0;
	char line[512], name[256] = "";
	struct ksyms *ks;
	struct sym_info sym;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx T %255s", &addr, name) == 2 && addr &&
		    !strcmp(name, "do_syscall_64"))
			break;
	if (f)
		fclose(f);
	if (strcmp(name, "do_syscall_64") || !addr) {
		printf("test_syms: no kernel addresses to read here; running kernel not checked\n");
		return;
	}
	ks = ksyms__load(NULL);
	CHECK(ks);
	CHECK_INT(ksyms__resolve(ks, addr + 1, &sym), 0);
	CHECK_INT(sym.offset, 1);
	ksyms__free(ks);
}

/* Not static, so that it is in the binary's symbol table. */
__attribute__((noinline)) int test_syms_marker(int x)
{
	return x * 3 + 1;
}

static void check_user(void)
{
	struct usyms *us = usyms__new(getpid());
	uint64_t addr = (uint64_t)(uintptr_t)test_syms_marker + 2;
	struct sym_info sym;
	char buf[128];

	CHECK(us);
	if (!us)
		return;
	CHECK_INT(usyms__pid(us), getpid());
	CHECK_INT(usyms__resolve(us, addr, &sym), 0);
	CHECK_STR(sym.name, "test_syms_marker");
	CHECK_INT(sym.offset, 2);
	CHECK(sym.module && strstr(sym.module, "test_syms"));
	syms_format_frame(NULL, us, addr, buf, sizeof(buf));
	CHECK_STR(buf, "test_syms_marker+0x2");
	CHECK_INT(usyms__resolve(us, 8, &sym), -ENOENT);
	usyms__free(us);
	usyms__free(NULL);
	errno = 0;
	CHECK(!usyms__new(0) && errno == EINVAL);
	CHECK(!usyms__new(0x3fffffff) && errno == ESRCH);
	CHECK(syms_is_kernel_addr(0xffffffff81000000) && !syms_is_kernel_addr(0x401000));
}

/* What stack_trace__ips() says before it touches a table. */
static void check_stack_trace(void)
{
	struct tracer_table hash = { .name = "h", .fd = -1, .type = 1, .leaf_size = 8 };
	uint64_t ips[4];

	CHECK_INT(stack_trace__ips(&hash, -EFAULT, ips, 4), -EFAULT);
	CHECK_INT(stack_trace__ips(&hash, 1, ips, 4), -EINVAL);
	CHECK_INT(stack_trace__ips(NULL, 1, ips, 4), -EINVAL);
}

int main(void)
{
	check_kernel();
	check_running_kernel();
	check_user();
	check_stack_trace();
	return CHECK_DONE();
}
