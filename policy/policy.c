/*
 * The policy model: validation with a key path for every error,
 * compilation with libseccomp, and the load (parsing is policyjson.c's:
 * nothing here knows JSON).  The load exports libseccomp's BPF and calls
 * seccomp(2) itself, so that the TSYNC result is checked here: libseccomp
 * before 2.5 returned success when a thread could not be synchronised.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "policy/policy.h"

#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif

/* The names of the configuration and of the kernel's actions_avail. */
static const char *const action_names[POLICY_NACTIONS] = {
	[POLICY_ERRNO] = "errno",
	[POLICY_TRACE] = "trace",
	[POLICY_TRAP] = "trap",
	[POLICY_KILL_THREAD] = "kill_thread",
	[POLICY_KILL_PROCESS] = "kill_process",
	[POLICY_LOG] = "log",
	[POLICY_ALLOW] = "allow",
};

/* A key path for messages; truncated silently (it is only a label). */
static void
keypath(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
keypath(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

const char *
policy_action_name(enum policy_action a)
{
	if ((unsigned)a >= POLICY_NACTIONS)
		return "?";
	return action_names[a];
}

int
policy_action_parse(const char *name)
{
	int a;

	for (a = 0; a < POLICY_NACTIONS; a++)
		if (strcmp(action_names[a], name) == 0)
			return a;
	return -1;
}

const char *
policy_action_list(void)
{
	return "errno, trace, trap, kill_thread, kill_process, log, allow";
}

uint32_t
policy_native_arch(void)
{
	return seccomp_arch_native();
}

const char *
policy_arch_name(uint32_t arch)
{
	switch (arch) {
	case SCMP_ARCH_X86_64:
		return "x86_64";
	case SCMP_ARCH_X86:
		return "i386";
	case SCMP_ARCH_X32:
		return "x32";
	case SCMP_ARCH_AARCH64:
		return "aarch64";
	case SCMP_ARCH_ARM:
		return "arm";
	case SCMP_ARCH_RISCV64:
		return "riscv64";
	case SCMP_ARCH_S390X:
		return "s390x";
	case SCMP_ARCH_PPC64LE:
		return "ppc64le";
	case SCMP_ARCH_PPC64:
		return "ppc64";
	}
	return "unknown";
}

static void
rule_free(struct policy_rule *r)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	r->names = NULL;
	r->nnames = 0;
}

void
policy_free(struct policy *p)
{
	size_t i;

	for (i = 0; i < p->nrules; i++)
		rule_free(&p->rules[i]);
	free(p->rules);
	p->rules = NULL;
	p->nrules = 0;
}

unsigned
policy_actions_parse(const char *text)
{
	const char *p = text, *e;
	char word[32];
	unsigned mask = 0;
	size_t n;
	int a;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		for (e = p; *e != '\0' && *e != ' ' && *e != '\n' &&
		    *e != '\t'; e++)
			;
		n = (size_t)(e - p);
		if (n > 0 && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			if ((a = policy_action_parse(word)) >= 0)
				mask |= POLICY_ACTION_BIT(a);
		}
		p = e;
	}
	return mask;
}

/*
 * Whether a call exists on arch.  libseccomp answers with a number, with
 * __NR_SCMP_ERROR, or with a negative pseudo number: -1xx and -2xx stand for
 * calls multiplexed through socketcall(2) and ipc(2) on arches such as i386
 * (real calls there, filtered both ways), while -10000 and below stand for
 * calls of other architectures only (seccomp-syscalls.h, __PNR_*).
 */
static int
on_arch(uint32_t arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);

	return nr != __NR_SCMP_ERROR && nr > -10000;
}

static void
check_action(enum policy_action a, unsigned avail, const char *path,
    struct errlist *errs)
{
	static const char *const since[POLICY_NACTIONS] = {
		[POLICY_KILL_PROCESS] = "Linux 4.14",
		[POLICY_LOG] = "Linux 4.14",
	};

	if (avail & POLICY_ACTION_BIT(a))
		return;
	errlist_add(errs, 1, path, "action \"%s\" is not available on this "
	    "kernel (it needs %s; see /proc/sys/kernel/seccomp/actions_avail)",
	    policy_action_name(a), since[a] ? since[a] : "a newer kernel");
}

/* A listed name: its number in the order of the lists, its rule, index. */
struct listed {
	const char	*name;
	size_t		 k;
	size_t		 rule;
	size_t		 idx;
};

static int
listed_cmp(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->k < y->k ? -1 : x->k > y->k;
}

/*
 * For the k-th listed name, its first listing (itself when it is the
 * first): sorted, equal names are adjacent and in list order.  n log n:
 * comparing each name with every earlier one took 24 s of CPU for the
 * 116,000 names a 1 MB file holds.  A malloc'ed array of total, or NULL.
 */
static struct listed *
first_listings(const struct policy *p, size_t total)
{
	struct listed *v, *first;
	size_t i, j, k = 0;

	v = malloc((total ? total : 1) * sizeof(*v));
	first = malloc((total ? total : 1) * sizeof(*first));
	if (v == NULL || first == NULL) {
		free(v);
		free(first);
		return NULL;
	}
	for (i = 0; i < p->nrules; i++)
		for (j = 0; j < p->rules[i].nnames; j++, k++) {
			v[k].name = p->rules[i].names[j];
			v[k].k = k;
			v[k].rule = i;
			v[k].idx = j;
		}
	qsort(v, total, sizeof(*v), listed_cmp);
	for (i = 0; i < total; i++)
		first[v[i].k] = i > 0 && strcmp(v[i].name, v[i - 1].name) == 0 ?
		    first[v[i - 1].k] : v[i];
	free(v);
	return first;
}

int
policy_check(const struct policy *p, unsigned avail,
    struct errlist *errs)
{
	size_t before = errs->n + errs->dropped, i, j, k, total = 0;
	const struct policy_rule *r;
	struct listed *first;
	char path[96];

	if (!p->enabled)
		return 0;
	if (p->origin == POLICY_NONE) {
		errlist_add(errs, 1, "seccomp", "seccompmon has no built-in "
		    "policy for %s; give default_action and syscalls",
		    policy_arch_name(p->arch));
		return 1;
	}
	check_action(p->default_action, avail, "seccomp.default_action", errs);
	for (i = 0; i < p->nrules; i++)
		total += p->rules[i].nnames;
	if ((first = first_listings(p, total)) == NULL) {
		errlist_add(errs, 1, "seccomp", "out of memory");
		return (int)(errs->n + errs->dropped - before);
	}
	for (i = 0, k = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		keypath(path, sizeof(path), "%s.action", r->path);
		check_action(r->action, avail, path, errs);
		for (j = 0; j < r->nnames; j++, k++) {
			keypath(path, sizeof(path), "%s.names[%zu]", r->path,
			    j);
			if (!on_arch(p->arch, r->names[j]))
				errlist_add(errs, 1, path, "unknown syscall "
				    "\"%s\" for %s", r->names[j],
				    policy_arch_name(p->arch));
			/* The same name earlier, in this rule or another. */
			if (first[k].k != k)
				errlist_add(errs, 1, path, "duplicate syscall "
				    "\"%s\" (already in %s.names[%zu])",
				    r->names[j], p->rules[first[k].rule].path,
				    first[k].idx);
		}
	}
	free(first);
	return (int)(errs->n + errs->dropped - before);
}

static uint32_t
scmp_action(enum policy_action a, int err)
{
	switch (a) {
	case POLICY_ERRNO:
		return SCMP_ACT_ERRNO((uint32_t)err);
	case POLICY_TRACE:
		return SCMP_ACT_TRACE(0);
	case POLICY_TRAP:
		return SCMP_ACT_TRAP;
	case POLICY_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case POLICY_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case POLICY_LOG:
		return SCMP_ACT_LOG;
	case POLICY_ALLOW:
	case POLICY_NACTIONS:
		break;
	}
	return SCMP_ACT_ALLOW;
}

scmp_filter_ctx
policy_compile(const struct policy *p, struct errlist *errs)
{
	scmp_filter_ctx ctx;
	uint32_t def = scmp_action(p->default_action, p->default_err);
	const struct policy_rule *r;
	size_t i, j;
	int nr, rc;

	if ((ctx = seccomp_init(def)) == NULL) {
		errlist_add(errs, 1, "seccomp", "libseccomp: cannot create a "
		    "filter");
		errno = ENOMEM;
		return NULL;
	}
	/* Calls of another architecture (x32, int 0x80) get the default. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, def)) < 0)
		goto fail;
	if (p->arch != seccomp_arch_native()) {
		if ((rc = seccomp_arch_add(ctx, p->arch)) < 0 ||
		    (rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE)) < 0)
			goto fail;
	}
	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		/* A rule with the default action is a no-op to libseccomp. */
		if (scmp_action(r->action, r->err) == def)
			continue;
		for (j = 0; j < r->nnames; j++) {
			/*
			 * seccomp_rule_add() takes the number in the native
			 * table (a negative pseudo number for a name the
			 * native arch lacks) and translates it by name for
			 * each arch of the filter: never p->arch's own number.
			 */
			nr = seccomp_syscall_resolve_name(r->names[j]);
			if (nr == __NR_SCMP_ERROR) {
				rc = -EINVAL;
				goto fail;
			}
			rc = seccomp_rule_add(ctx,
			    scmp_action(r->action, r->err), nr, 0);
			if (rc < 0)
				goto fail;
		}
	}
	return ctx;
fail:
	errlist_add(errs, 1, "seccomp", "libseccomp: cannot build the "
	    "filter: %s", strerror(-rc));
	seccomp_release(ctx);
	errno = -rc;
	return NULL;
}

int
policy_load(scmp_filter_ctx ctx, int log, long *tid)
{
	struct sock_fprog prog;
	struct stat st;
	void *insns = NULL;
	unsigned long flags = SECCOMP_FILTER_FLAG_TSYNC;
	ssize_t n;
	long rc;
	int fd, rv = -1, saved;

	*tid = 0;
	if ((fd = memfd_create("seccompmon-bpf", MFD_CLOEXEC)) < 0)
		return -1;
	if ((rc = seccomp_export_bpf(ctx, fd)) < 0) {
		errno = (int)-rc;
		goto out;
	}
	if (fstat(fd, &st) < 0)
		goto out;
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
	    st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		errno = E2BIG;
		goto out;
	}
	if ((insns = malloc((size_t)st.st_size)) == NULL)
		goto out;
	n = pread(fd, insns, (size_t)st.st_size, 0);
	if (n != st.st_size) {
		if (n >= 0)
			errno = EIO;
		goto out;
	}
	prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	prog.filter = insns;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		goto out;
	if (log)
		flags |= SECCOMP_FILTER_FLAG_LOG;
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (rc > 0) {
		/* TSYNC: the thread that could not be synchronised. */
		*tid = rc;
		errno = ESRCH;
		goto out;
	}
	if (rc < 0)
		goto out;
	rv = 0;
out:
	saved = errno;
	free(insns);
	close(fd);
	errno = saved;
	return rv;
}
