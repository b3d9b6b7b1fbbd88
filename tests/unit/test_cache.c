/* The compile cache on files, without a kernel: the key names the possible
 * CPUs; a directory or entry another user could write is refused with a
 * reason, a symbolic link or a FIFO is never opened as an entry, a refused
 * entry is replaced by the next store; entries whose perf tables are
 * smaller than the CPUs are misses; the least recently used entries are
 * evicted above BCC_C_CACHE_MAX_MB. The ownership cases need root (chown
 * to nobody) and are skipped, saying so, without it. */
#include "cache.h"
#include "cpus.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOBODY 65534

static char dir[PATH_MAX];

static void build(struct image *img, uint32_t perf_slots)
{
	static struct bpf_insn exit_insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	memset(img, 0, sizeof(*img));
	img->portable = true;
	img->license = strdup("GPL");
	img->ntables = 1;
	img->tables = calloc(1, sizeof(*img->tables));
	img->tables[0] = (struct image_table){ .name = strdup("events"),
		.type = BPF_MAP_TYPE_PERF_EVENT_ARRAY, .key_size = 4, .leaf_size = 4,
		.max_entries = perf_slots, .key_desc = strdup("\"int\""),
		.leaf_desc = strdup("\"int\"") };
	img->nfuncs = 1;
	img->funcs = calloc(1, sizeof(*img->funcs));
	img->funcs[0].name = strdup("tracepoint__sched__sched_switch");
	img->funcs[0].ninsns = 2;
	img->funcs[0].insns = malloc(sizeof(exit_insns));
	memcpy(img->funcs[0].insns, exit_insns, sizeof(exit_insns));
}

static char *entry(const char *key)
{
	static char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%016" PRIx64 ".img", dir,
		 image_hash(key, strlen(key), IMAGE_HASH_SEED));
	return path;
}

/* cache_load()'s verdict; why must then contain want ("" for a hit) */
static int load(const char *key, const char *want)
{
	struct image img;
	char why[1024] = "";
	int err = cache_load(key, &img, why, sizeof(why));

	if (!err)
		image_free(&img);
	if (want[0] && !strstr(why, want)) {
		fprintf(stderr, "reason '%s' does not say '%s'\n", why, want);
		check_failures++;
	}
	return err;
}

static int store(const char *key, const struct image *img)
{
	char why[1024] = "";

	return cache_store(key, img, why, sizeof(why));
}

static void test_key(void)
{
	char line[64], *key = cache_key("int x;", NULL, 0);

	CHECK((unsigned)cpus_read("possible", NULL) > 0);
	snprintf(line, sizeof(line), "\npossible_cpus %u\n", (unsigned)cpus_read("possible", NULL));
	CHECK(key && strstr(key, line));
	free(key);
}

static void test_trust(const struct image *img)
{
	char path[PATH_MAX + 32], target[PATH_MAX + 32];

	struct stat st;

	CHECK_INT(store("a", img), 0);
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK(stat(entry("a"), &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_INT(load("a", ""), 0);
	CHECK_INT(store("b", img), 0);

	/* a directory its group or other users can write, even root's */
	chmod(dir, 0770);
	CHECK_INT(load("a", "writable by its group (mode 0770)"), -EPERM);
	CHECK_INT(load("a", "chmod 700"), -EPERM);
	CHECK_INT(store("new", img), -EPERM);
	CHECK(access(entry("new"), F_OK) != 0);
	chmod(dir, 0777);
	CHECK_INT(load("a", "writable by other users (mode 0777)"), -EPERM);
	chmod(dir, 0700);
	CHECK_INT(load("a", ""), 0);

	/* an entry others can write: refused, then replaced by the next store */
	chmod(entry("a"), 0666);
	CHECK_INT(load("a", "writable by other users (mode 0666)"), -EPERM);
	CHECK_INT(store("a", img), 0);
	CHECK_INT(load("a", ""), 0);

	/* a symbolic link to a good entry is not followed */
	snprintf(path, sizeof(path), "%s", entry("a"));
	snprintf(target, sizeof(target), "%s", entry("b"));
	unlink(path);
	CHECK_INT(symlink(target, path), 0);
	CHECK_INT(load("b", ""), 0);
	CHECK_INT(load("a", "it is a symbolic link"), -EPERM);
	CHECK_INT(store("a", img), 0);
	CHECK_INT(load("a", ""), 0);

	/* nor is anything but a regular file opened (a FIFO would block) */
	unlink(path);
	CHECK_INT(mkfifo(path, 0600), 0);
	CHECK_INT(load("a", "not a regular file"), -EPERM);
	unlink(path);
	CHECK_INT(load("a", ""), -ENOENT);

	if (geteuid() != 0) {
		fprintf(stderr, "not root: ownership cases skipped\n");
		return;
	}
	CHECK_INT(chown(entry("b"), NOBODY, -1), 0);
	CHECK_INT(load("b", "owned by nobody (uid 65534), not by root"), -EPERM);
	CHECK_INT(chown(dir, NOBODY, -1), 0);
	CHECK_INT(load("b", "chown root"), -EPERM);
	CHECK_INT(store("b", img), -EPERM);
	CHECK_INT(chown(dir, 0, -1), 0);
	CHECK_INT(store("b", img), 0);
	CHECK_INT(load("b", ""), 0);
}

/* an entry made for fewer CPUs than this host's is a miss, and such an
 * image is never stored */
static void test_cpus(void)
{
	unsigned ncpus = (unsigned)cpus_read("possible", NULL);
	struct image small;
	size_t len;
	void *buf;
	FILE *f;

	build(&small, ncpus - 1);
	CHECK_INT(store("few", &small), -ENOTSUP);
	CHECK_INT(image_serialize(&small, "few", &buf, &len), 0);
	f = fopen(entry("few"), "w");
	CHECK(f && fwrite(buf, 1, len, f) == len);
	if (f)
		fclose(f);
	chmod(entry("few"), 0600);
	CHECK_INT(load("few", ""), -ESTALE);
	free(buf);
	image_free(&small);
}

static int cache_files(off_t *total)
{
	char cmd[PATH_MAX + 64];
	FILE *p;
	int n = 0;
	long long size;

	*total = 0;
	snprintf(cmd, sizeof(cmd), "stat -c %%s %s/*.img", dir);
	p = popen(cmd, "r");
	while (p && fscanf(p, "%lld", &size) == 1) {
		*total += size;
		n++;
	}
	if (p)
		pclose(p);
	return n;
}

/* Above the cap, storing evicts the least recently used entries; a hit
 * makes an entry recent. File times are coarse (a clock tick), so the test
 * dates each entry itself, a second apart. */
static void test_evict(const struct image *img)
{
	char key[32], cap[32], other[PATH_MAX + 16];
	struct stat st;
	off_t total;

	system("rm -f -- \"$BCC_C_CACHE_DIR\"/*");
	snprintf(other, sizeof(other), "%s/notes.txt", dir);
	fclose(fopen(other, "w"));
	CHECK_INT(store("k0", img), 0);
	stat(entry("k0"), &st);
	snprintf(cap, sizeof(cap), "%.6f", 3.5 * st.st_size / (1 << 20));
	setenv("BCC_C_CACHE_MAX_MB", cap, 1);
	for (int i = 0; i < 10; i++) {
		struct timespec t[2] = { { 1000 + i, 0 }, { 1000 + i, 0 } };

		snprintf(key, sizeof(key), "k%d", i);
		CHECK_INT(store(key, img), 0);
		utimensat(AT_FDCWD, entry(key), t, 0);
	}
	CHECK_INT(cache_files(&total), 3);
	CHECK(system("ls \"$BCC_C_CACHE_DIR\" | grep -q tmp") != 0); /* none left */
	CHECK(total <= 3.5 * st.st_size);
	for (int i = 7; i < 10; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		CHECK(access(entry(key), F_OK) == 0);
	}
	CHECK(access(other, F_OK) == 0); /* not an entry: never evicted */

	/* a hit makes the oldest (k7) the most recent: k8 goes instead */
	CHECK_INT(load("k7", ""), 0);
	CHECK_INT(store("k10", img), 0);
	CHECK(access(entry("k7"), F_OK) == 0);
	CHECK(access(entry("k8"), F_OK) != 0);
	CHECK(access(entry("k9"), F_OK) == 0);
	CHECK(access(entry("k10"), F_OK) == 0);

	setenv("BCC_C_CACHE_MAX_MB", "lots", 1);
	{
		char why[1024] = "";

		CHECK_INT(cache_store("k11", img, why, sizeof(why)), -EINVAL);
		CHECK(strstr(why, "BCC_C_CACHE_MAX_MB='lots'") != NULL);
	}
	unsetenv("BCC_C_CACHE_MAX_MB");
}

int main(void)
{
	char base[] = "/tmp/test_cache.XXXXXX";
	char cmd[PATH_MAX + 16];
	struct image img;

	if (!mkdtemp(base))
		return 1;
	/* not there yet: the first store makes it, private */
	snprintf(dir, sizeof(dir), "%s/cache", base);
	setenv("BCC_C_CACHE_DIR", dir, 1);
	unsetenv("BCC_C_CACHE_MAX_MB");
	build(&img, (unsigned)cpus_read("possible", NULL));

	test_key();
	test_trust(&img);
	test_cpus();
	test_evict(&img);

	image_free(&img);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	system(cmd);
	return CHECK_DONE();
}
