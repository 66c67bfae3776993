// SPDX-License-Identifier: GPL-2.0
/*
 * tcgprof: a QEMU TCG plugin that counts the guest instructions executed
 * from each translation block's start address, and writes the counts out
 * when the guest asks, so that a phase of a run (say, 5 s of 64-byte UDP
 * through one IPsec stack) can be profiled as the difference of two
 * snapshots. perf inside a TCG guest only ever samples the idle loop; this
 * counts every instruction instead. Instructions are not time: an AES-NI
 * or PCLMULQDQ instruction counts one and costs TCG far more than a mov.
 *
 *   qemu-system-x86_64 ... -plugin build/bench/tcgprof.so,dir=DIR
 *
 * The guest writes a snapshot name into DIR/req (DIR shared over 9p); a
 * thread here polls for it, writes DIR/NAME.prof ("vaddr count" lines, hex
 * and decimal) through a temporary file and a rename, then removes req.
 * tests/bench/tcgprof-report.py turns two snapshots and the guest's
 * /proc/kallsyms into a per-function table.
 *
 * Written against QEMU 7.2's plugin API, version 1 (Debian 12's QEMU).
 * Debian ships no qemu-plugin.h, so the few entry points used here are
 * declared below; the version check in qemu_plugin_install() refuses any
 * other API version rather than guess at its ABI.
 *
 * Counting is an inline add in the translated code, with no lock: two
 * vCPUs running the same block at once may lose an increment now and
 * then, which a profile can afford.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- QEMU 7.2 plugin API (include/qemu/qemu-plugin.h, version 1) --- */
#define PLUGIN_EXPORT __attribute__((visibility("default")))
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct {
	const char *target_name;
	struct {
		int min;
		int cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;
			int max_vcpus;
		} system;
	};
} qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb,
				    void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
#define API_VERSION 1
PLUGIN_EXPORT int qemu_plugin_version = API_VERSION;
/* --- end of the API --- */

/*
 * One counter per block start address. Entries never move once made: the
 * translated code adds into them through their address. The index over
 * them (open addressing) is only touched under @lock, by translation and
 * by the snapshot writer.
 */
struct block {
	uint64_t vaddr;
	uint64_t insns;		/* instructions executed from here */
};

#define CHUNK 4096
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct block **index_tab;
static size_t index_cap, nblocks;
static struct block *chunk;	/* the chunk being filled */
static size_t chunk_used = CHUNK;
static char *dir;
static pthread_t poller;
static volatile bool stopping;

static size_t slot_of(uint64_t vaddr, size_t cap)
{
	return (size_t)((vaddr * 0x9e3779b97f4a7c15ULL) >> 20) & (cap - 1);
}

static int grow(void)
{
	size_t cap = index_cap ? index_cap * 2 : 1 << 16;
	struct block **t = calloc(cap, sizeof(*t));

	if (!t)
		return -1;
	for (size_t i = 0; i < index_cap; i++) {
		struct block *b = index_tab[i];
		size_t s;

		if (!b)
			continue;
		for (s = slot_of(b->vaddr, cap); t[s]; s = (s + 1) & (cap - 1))
			;
		t[s] = b;
	}
	free(index_tab);
	index_tab = t;
	index_cap = cap;
	return 0;
}

/* Called with @lock held. NULL only when out of memory. */
static struct block *block_get(uint64_t vaddr)
{
	size_t s;

	if ((nblocks + 1) * 2 > index_cap && grow())
		return NULL;
	for (s = slot_of(vaddr, index_cap); index_tab[s]; s = (s + 1) & (index_cap - 1))
		if (index_tab[s]->vaddr == vaddr)
			return index_tab[s];
	if (chunk_used == CHUNK) {
		chunk = calloc(CHUNK, sizeof(*chunk));
		if (!chunk)
			return NULL;
		chunk_used = 0;
	}
	index_tab[s] = &chunk[chunk_used++];
	index_tab[s]->vaddr = vaddr;
	nblocks++;
	return index_tab[s];
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b;

	(void)id;
	pthread_mutex_lock(&lock);
	b = block_get(qemu_plugin_tb_vaddr(tb));
	pthread_mutex_unlock(&lock);
	if (b)
		qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
							 &b->insns, qemu_plugin_tb_n_insns(tb));
}

static int write_snapshot(const char *name)
{
	char *tmp = NULL, *path = NULL;
	FILE *f = NULL;
	int ret = -1;

	if (asprintf(&tmp, "%s/.%s.prof.tmp", dir, name) < 0) {
		tmp = NULL;
		goto out;
	}
	if (asprintf(&path, "%s/%s.prof", dir, name) < 0) {
		path = NULL;
		goto out;
	}
	f = fopen(tmp, "w");
	if (!f)
		goto out;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < index_cap; i++)
		if (index_tab[i] && index_tab[i]->insns)
			fprintf(f, "%llx %llu\n", (unsigned long long)index_tab[i]->vaddr,
				(unsigned long long)__atomic_load_n(&index_tab[i]->insns,
								    __ATOMIC_RELAXED));
	pthread_mutex_unlock(&lock);
	if (fclose(f) == 0 && rename(tmp, path) == 0)
		ret = 0;
	f = NULL;
out:
	if (ret)
		fprintf(stderr, "tcgprof: cannot write snapshot %s: %s\n", name, strerror(errno));
	free(tmp);
	free(path);
	return ret;
}

/* A snapshot name: what the guest wrote into req, letters, digits, - _ . */
static bool name_ok(const char *s)
{
	if (!*s || *s == '.')
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", *s))
			return false;
	return true;
}

static void *poll_requests(void *arg)
{
	char *req = arg;

	while (!stopping) {
		char name[128];
		FILE *f = fopen(req, "r");

		if (!f) {
			usleep(50 * 1000);
			continue;
		}
		if (!fgets(name, sizeof(name), f))
			name[0] = '\0';
		fclose(f);
		name[strcspn(name, "\r\n")] = '\0';
		if (!name_ok(name))
			fprintf(stderr, "tcgprof: ignoring request \"%s\"\n", name);
		else
			write_snapshot(name);
		unlink(req);
	}
	free(req);
	return NULL;
}

static void on_exit_cb(qemu_plugin_id_t id, void *userdata)
{
	(void)id;
	(void)userdata;
	stopping = true;
	pthread_join(poller, NULL);
}

PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
				      char **argv)
{
	char *req;

	if (info->version.cur < API_VERSION || info->version.min > API_VERSION) {
		fprintf(stderr, "tcgprof: built for plugin API %d, QEMU offers %d..%d\n",
			API_VERSION, info->version.min, info->version.cur);
		return -1;
	}
	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "dir=", 4))
			dir = argv[i] + 4;
	if (!dir || !*dir) {
		fprintf(stderr, "tcgprof: usage: -plugin tcgprof.so,dir=DIR\n");
		return -1;
	}
	dir = strdup(dir);
	if (!dir || asprintf(&req, "%s/req", dir) < 0)
		return -1;
	if (pthread_create(&poller, NULL, poll_requests, req)) {
		fprintf(stderr, "tcgprof: cannot start the request poller\n");
		free(req);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_exit_cb, NULL);
	return 0;
}
