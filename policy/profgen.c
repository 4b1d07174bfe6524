/*
 * Profile generation from denied calls.  A base profile is edited in place
 * (json-c keeps key order, so the output diffs cleanly against the input):
 * denied names leave the unconditional rules that deny them, and one rule
 * appended at the end allows the rest; nothing else is touched, because a
 * record carries no arguments and no capabilities to judge other rules by.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "policy/profgen.h"

#define ARCH_MAX	16	/* distinct arches in one set (a bit each) */

struct obs {
	uint32_t	arch;
	char		name[PROFGEN_NAME_MAX];
};

/* One denied name and the arches (bits into profgen.arch) it was seen on. */
struct uname {
	const char	*name;
	unsigned	 arches;
};

struct profgen {
	struct obs		*obs;
	size_t			 nobs, cap;
	struct profgen_note	*notes;
	size_t			 nnotes, notecap;
	int			 nomem;		/* a note could not be kept */
};

/*
 * Names per arch: libseccomp's token, the Go names moby's "includes" and
 * "excludes" use (the parent is the 64-bit host arch a 32-bit one runs
 * under), systemd's SystemCallArchitectures= name, and a label.
 */
static const struct arch_names {
	uint32_t	 arch;
	const char	*scmp;
	const char	*go;
	const char	*go_parent;
	const char	*systemd;
	const char	*label;
} arch_names[] = {
	{ SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64", "amd64", NULL, "x86-64",
	    "x86_64" },
	{ SCMP_ARCH_X86, "SCMP_ARCH_X86", "x86", "amd64", "x86", "i386" },
	{ SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64", "arm64", NULL, "arm64",
	    "aarch64" },
	{ SCMP_ARCH_ARM, "SCMP_ARCH_ARM", "arm", "arm64", "arm", "arm" },
	{ SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64", "riscv64", NULL, "riscv64",
	    "riscv64" },
	{ SCMP_ARCH_S390X, "SCMP_ARCH_S390X", "s390x", NULL, "s390x",
	    "s390x" },
	{ SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE", "ppc64le", NULL,
	    "ppc64-le", "ppc64le" },
};

/*
 * Calls that widen a sandbox rather than let a program work: Docker's
 * default profile leaves each out or grants it only with the capability
 * named, because namespaces, kernel code, other processes' memory and
 * host-wide state are what container escapes go through.
 */
static const struct {
	const char	*name;
	const char	*why;
} dangerous[] = {
	{ "acct", "host-wide process accounting (CAP_SYS_PACCT)" },
	{ "add_key", "the kernel keyring is not namespaced" },
	{ "bpf", "loads programs into the kernel (CAP_SYS_ADMIN, CAP_BPF)" },
	{ "clock_adjtime", "the clock is not namespaced (CAP_SYS_TIME)" },
	{ "clock_settime", "the clock is not namespaced (CAP_SYS_TIME)" },
	{ "clone3", "its flags are in memory, where seccomp cannot filter "
	    "namespace creation; Docker answers ENOSYS so that the C library "
	    "falls back to clone, whose flags it filters" },
	{ "delete_module", "unloads kernel code (CAP_SYS_MODULE)" },
	{ "finit_module", "loads kernel code (CAP_SYS_MODULE)" },
	{ "fsconfig", "the new mount API (CAP_SYS_ADMIN)" },
	{ "fsmount", "the new mount API (CAP_SYS_ADMIN)" },
	{ "fsopen", "the new mount API (CAP_SYS_ADMIN)" },
	{ "fspick", "the new mount API (CAP_SYS_ADMIN)" },
	{ "init_module", "loads kernel code (CAP_SYS_MODULE)" },
	{ "ioperm", "raw I/O port access (CAP_SYS_RAWIO)" },
	{ "iopl", "raw I/O port access (CAP_SYS_RAWIO)" },
	{ "kcmp", "inspects other processes' kernel state (CAP_SYS_PTRACE)" },
	{ "kexec_file_load", "boots another kernel" },
	{ "kexec_load", "boots another kernel" },
	{ "keyctl", "the kernel keyring is not namespaced" },
	{ "lookup_dcookie", "kernel profiling; leaks host paths "
	    "(CAP_SYS_ADMIN)" },
	{ "mount", "changes the mount table (CAP_SYS_ADMIN)" },
	{ "move_mount", "the new mount API (CAP_SYS_ADMIN)" },
	{ "name_to_handle_at", "file handles bypass the mount namespace "
	    "(pairs with open_by_handle_at)" },
	{ "open_by_handle_at", "opens any file of a file system by handle, "
	    "outside the root (CAP_DAC_READ_SEARCH)" },
	{ "open_tree", "the new mount API (CAP_SYS_ADMIN)" },
	{ "perf_event_open", "kernel tracing, a frequent exploit path "
	    "(CAP_PERFMON)" },
	{ "pidfd_getfd", "takes file descriptors of another process "
	    "(CAP_SYS_PTRACE)" },
	{ "pivot_root", "changes the root (CAP_SYS_ADMIN)" },
	{ "process_vm_readv", "reads other processes' memory "
	    "(CAP_SYS_PTRACE)" },
	{ "process_vm_writev", "writes other processes' memory "
	    "(CAP_SYS_PTRACE)" },
	{ "ptrace", "controls other processes; bypassed seccomp before "
	    "Linux 4.8" },
	{ "quotactl", "quotas are not namespaced (CAP_SYS_ADMIN)" },
	{ "reboot", "reboots the host (CAP_SYS_BOOT)" },
	{ "request_key", "the kernel keyring is not namespaced" },
	{ "setns", "enters other namespaces (CAP_SYS_ADMIN)" },
	{ "settimeofday", "the clock is not namespaced (CAP_SYS_TIME)" },
	{ "stime", "the clock is not namespaced (CAP_SYS_TIME)" },
	{ "swapoff", "host-wide swap (CAP_SYS_ADMIN)" },
	{ "swapon", "host-wide swap (CAP_SYS_ADMIN)" },
	{ "syslog", "the kernel log leaks addresses (CAP_SYSLOG)" },
	{ "umount", "changes the mount table (CAP_SYS_ADMIN)" },
	{ "umount2", "changes the mount table (CAP_SYS_ADMIN)" },
	{ "unshare", "creates namespaces, the way into most container "
	    "escapes (CAP_SYS_ADMIN)" },
	{ "userfaultfd", "stalls the kernel on a page fault, an exploit "
	    "primitive" },
	{ "vhangup", "hangs up terminals (CAP_SYS_TTY_CONFIG)" },
};

/*
 * What `seccompmon learn` lets run without a record: the calls glibc's
 * start-up and the dynamic loader make in every program, and the ones on
 * descriptors, memory, signals, time and locks that any program makes over
 * and over.  Each is in Docker's default allow-list (test_profgen checks),
 * so a learnt profile never rests on a call a container profile denies.
 */
static const char *const baseline[] = {
	/* start-up and exit */
	"execve", "arch_prctl", "set_tid_address", "set_robust_list", "rseq",
	"prlimit64", "uname", "exit", "exit_group", "restart_syscall",
	/* memory */
	"brk", "mmap", "munmap", "mprotect", "mremap", "madvise",
	/* files by path, as the loader and libc open them */
	"open", "openat", "access", "faccessat", "faccessat2", "stat",
	"lstat", "newfstatat", "statx", "readlink", "readlinkat", "getcwd",
	"getdents64",
	/* descriptors */
	"read", "write", "pread64", "pwrite64", "readv", "writev", "lseek",
	"close", "fstat", "fcntl", "dup", "dup2", "dup3",
	/* signals */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	/* identity */
	"getpid", "getppid", "gettid", "getuid", "geteuid", "getgid",
	"getegid",
	/* time, locks, randomness, waiting */
	"clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep",
	"gettimeofday", "time", "futex", "sched_yield", "getrandom", "poll",
	"ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait",
};

/* What arch_find() gives for an arch not in the table. */
static const struct arch_names arch_unknown = {
	0, "?", "?", NULL, "?", "?"
};

/* The names of arch, never NULL: arch_unknown when there are none. */
static const struct arch_names *
arch_find(uint32_t arch)
{
	size_t i;

	for (i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (arch_names[i].arch == arch)
			return &arch_names[i];
	return &arch_unknown;
}

const char *
profgen_arch_scmp_name(uint32_t arch)
{
	const struct arch_names *a = arch_find(arch);

	return a != &arch_unknown ? a->scmp : NULL;
}

const char *
profgen_dangerous(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(dangerous) / sizeof(dangerous[0]); i++)
		if (strcmp(dangerous[i].name, name) == 0)
			return dangerous[i].why;
	return NULL;
}

const char *
profgen_dangerous_name(size_t i)
{
	return i < sizeof(dangerous) / sizeof(dangerous[0]) ?
	    dangerous[i].name : NULL;
}

const char *
profgen_baseline_name(size_t i)
{
	return i < sizeof(baseline) / sizeof(baseline[0]) ? baseline[i] : NULL;
}

struct profgen *
profgen_new(void)
{
	return calloc(1, sizeof(struct profgen));
}

void
profgen_free(struct profgen *g)
{
	if (g == NULL)
		return;
	free(g->obs);
	free(g->notes);
	free(g);
}

static int
name_valid(const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return 0;
	return i > 0 && i < PROFGEN_NAME_MAX;
}

int
profgen_add(struct profgen *g, uint32_t arch, const char *name,
    const char *action)
{
	struct obs *o;
	size_t i;

	(void)action;	/* every action denied something: all count alike */
	if (name == NULL || !name_valid(name) ||
	    arch_find(arch) == &arch_unknown) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < g->nobs; i++)
		if (g->obs[i].arch == arch && strcmp(g->obs[i].name, name) == 0)
			return 0;
	if (g->nobs == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 32;

		o = realloc(g->obs, cap * sizeof(*o));
		if (o == NULL)
			return -1;
		g->obs = o;
		g->cap = cap;
	}
	o = &g->obs[g->nobs++];
	o->arch = arch;
	(void)snprintf(o->name, sizeof(o->name), "%s", name);
	return 0;
}

static void
note_add(struct profgen *g, enum profgen_why why, uint32_t arch,
    const char *name)
{
	struct profgen_note *n;

	if (g->nnotes == g->notecap) {
		size_t cap = g->notecap ? g->notecap * 2 : 16;

		n = realloc(g->notes, cap * sizeof(*n));
		if (n == NULL) {
			g->nomem = 1;
			return;
		}
		g->notes = n;
		g->notecap = cap;
	}
	n = &g->notes[g->nnotes++];
	n->why = why;
	n->arch = arch;
	(void)snprintf(n->name, sizeof(n->name), "%s", name ? name : "");
}

const struct profgen_note *
profgen_notes(const struct profgen *g, size_t *n)
{
	*n = g->nnotes;
	return g->notes;
}

const char *
profgen_note_format(const struct profgen_note *note, char *buf, size_t len)
{
	const char *arch = arch_find(note->arch)->label;
	const char *scmp = arch_find(note->arch)->scmp;

	switch (note->why) {
	case PROFGEN_DANGEROUS:
		(void)snprintf(buf, len, "%s (%s): left out, it widens the "
		    "sandbox: %s; --force allows it", note->name, arch,
		    profgen_dangerous(note->name));
		break;
	case PROFGEN_FORCED:
		(void)snprintf(buf, len, "%s (%s): allowed because of --force, "
		    "although %s", note->name, arch,
		    profgen_dangerous(note->name));
		break;
	case PROFGEN_ARGS:
		(void)snprintf(buf, len, "%s (%s): left alone, the base "
		    "filters its arguments and the record does not carry them; "
		    "--force allows it for all arguments", note->name, arch);
		break;
	case PROFGEN_ALLOWED:
		(void)snprintf(buf, len, "%s (%s): the base allows it already; "
		    "the denial came from another filter or a rule whose "
		    "condition (capability, kernel) did not hold", note->name,
		    arch);
		break;
	case PROFGEN_UNDENIED:
		(void)snprintf(buf, len, "%s (%s): taken out of a base rule "
		    "that denied it", note->name, arch);
		break;
	case PROFGEN_ARCH_ADDED:
		(void)snprintf(buf, len, "%s added to \"architectures\"", scmp);
		break;
	case PROFGEN_ARCH_UNMAPPED:
		(void)snprintf(buf, len, "%s is in no \"archMap\" entry of the "
		    "base: add it by hand where it belongs", scmp);
		break;
	case PROFGEN_OTHER_ARCH:
		(void)snprintf(buf, len, "%s (%s): the new rule allows it on "
		    "every architecture (OCI rules have none); it was denied "
		    "on %s only", note->name, arch, arch);
		break;
	}
	return buf;
}

static int
obs_cmp(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->arch < y->arch ? -1 : x->arch > y->arch;
}

/*
 * Sort the observations and list the distinct arches (in order of their
 * values) and names (with their arch bits).  *names is malloc()ed.
 */
static int
names_collect(struct profgen *g, uint32_t *arches, size_t *narches,
    struct uname **names, size_t *nnames)
{
	struct uname *u;
	size_t i, j, n = 0;

	*narches = 0;
	*names = NULL;
	*nnames = 0;
	if (g->nobs > 0)
		qsort(g->obs, g->nobs, sizeof(g->obs[0]), obs_cmp);
	for (i = 0; i < g->nobs; i++) {
		for (j = 0; j < *narches; j++)
			if (arches[j] == g->obs[i].arch)
				break;
		if (j == *narches) {
			if (*narches == ARCH_MAX) {
				errno = EINVAL;
				return -1;
			}
			arches[(*narches)++] = g->obs[i].arch;
		}
	}
	/* Insertion sort: a handful of arches. */
	for (i = 1; i < *narches; i++)
		for (j = i; j > 0 && arches[j - 1] > arches[j]; j--) {
			uint32_t t = arches[j];

			arches[j] = arches[j - 1];
			arches[j - 1] = t;
		}
	u = calloc(g->nobs ? g->nobs : 1, sizeof(*u));
	if (u == NULL)
		return -1;
	for (i = 0; i < g->nobs; i++) {
		if (n == 0 || strcmp(u[n - 1].name, g->obs[i].name) != 0)
			u[n++].name = g->obs[i].name;
		for (j = 0; j < *narches; j++)
			if (arches[j] == g->obs[i].arch)
				u[n - 1].arches |= 1u << j;
	}
	*names = u;
	*nnames = n;
	return 0;
}

static uint32_t
first_arch(const uint32_t *arches, size_t narches, unsigned bits)
{
	size_t j;

	for (j = 0; j < narches; j++)
		if (bits & (1u << j))
			return arches[j];
	return 0;
}

static void
errfmt(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
errfmt(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || len == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static int
array_has_string(json_object *arr, const char *s)
{
	size_t i, n;

	if (!json_object_is_type(arr, json_type_array))
		return 0;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if (json_object_is_type(e, json_type_string) &&
		    strcmp(json_object_get_string(e), s) == 0)
			return 1;
	}
	return 0;
}

static int
array_nonempty(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) > 0;
}

static int
arch_listed(json_object *arr, const struct arch_names *a)
{
	return array_has_string(arr, a->go) ||
	    (a->go_parent != NULL && array_has_string(arr, a->go_parent)) ||
	    (a->arch == SCMP_ARCH_X86 && array_has_string(arr, "386"));
}

/*
 * Whether a rule applies to a process on arch, as far as a record tells:
 * moby's "includes" with capabilities is taken not to hold (the denial
 * suggests the process lacks them) and "minKernel" to hold (any kernel
 * with seccomp logging is newer); "arches" are compared as Docker does,
 * by the host arch a 32-bit call runs under.
 */
static int
rule_applies(json_object *rule, uint32_t arch)
{
	const struct arch_names *a = arch_find(arch);
	json_object *inc, *exc, *v;

	if (json_object_object_get_ex(rule, "includes", &inc) &&
	    json_object_is_type(inc, json_type_object)) {
		if (array_nonempty(inc, "caps"))
			return 0;
		if (array_nonempty(inc, "arches") &&
		    json_object_object_get_ex(inc, "arches", &v) &&
		    !arch_listed(v, a))
			return 0;
	}
	if (json_object_object_get_ex(rule, "excludes", &exc) &&
	    json_object_is_type(exc, json_type_object) &&
	    json_object_object_get_ex(exc, "arches", &v) && arch_listed(v, a))
		return 0;
	return 1;
}

static int
action_allows(const char *action)
{
	return strcmp(action, "SCMP_ACT_ALLOW") == 0 ||
	    strcmp(action, "SCMP_ACT_LOG") == 0;
}

static const char *
rule_action(json_object *rule)
{
	json_object *v;

	if (json_object_object_get_ex(rule, "action", &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return "";
}

/* Index of name in rule's "names", or -1. */
static int
rule_name_index(json_object *rule, const char *name)
{
	json_object *names;
	size_t i, n;

	if (!json_object_object_get_ex(rule, "names", &names) ||
	    !json_object_is_type(names, json_type_array))
		return -1;
	n = json_object_array_length(names);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(names, i);

		if (json_object_is_type(e, json_type_string) &&
		    strcmp(json_object_get_string(e), name) == 0)
			return (int)i;
	}
	return -1;
}

static int
add_string(json_object *arr, const char *s)
{
	json_object *v = json_object_new_string(s);

	if (v == NULL || json_object_array_add(arr, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int
add_key(json_object *obj, const char *key, json_object *v)
{
	if (v == NULL || json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* What the base says about one name on the arches it was denied on. */
struct verdict {
	int	allowed;	/* an applicable unconditional allow */
	int	args;		/* an applicable rule with argument filters */
	int	denied;		/* an applicable unconditional deny */
};

static void
judge(json_object *syscalls, const char *name, const uint32_t *arches,
    size_t narches, unsigned bits, struct verdict *v)
{
	size_t i, j, n = json_object_array_length(syscalls);

	memset(v, 0, sizeof(*v));
	for (i = 0; i < n; i++) {
		json_object *rule = json_object_array_get_idx(syscalls, i);
		int applies = 0;

		if (!json_object_is_type(rule, json_type_object) ||
		    rule_name_index(rule, name) < 0)
			continue;
		for (j = 0; j < narches; j++)
			if ((bits & (1u << j)) && rule_applies(rule, arches[j]))
				applies = 1;
		if (!applies)
			continue;
		if (array_nonempty(rule, "args"))
			v->args = 1;
		else if (action_allows(rule_action(rule)))
			v->allowed = 1;
		else
			v->denied = 1;
	}
}

int
profgen_oci_allows(json_object *base, uint32_t arch, const char *name)
{
	json_object *syscalls, *v;
	struct verdict vd;

	if (!json_object_is_type(base, json_type_object))
		return 0;
	if (json_object_object_get_ex(base, "syscalls", &syscalls) &&
	    json_object_is_type(syscalls, json_type_array)) {
		judge(syscalls, name, &arch, 1, 1u, &vd);
		if (vd.args || vd.denied)
			return 0;
		if (vd.allowed)
			return 1;
	}
	return json_object_object_get_ex(base, "defaultAction", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    action_allows(json_object_get_string(v));
}

/*
 * Take name out of every applicable unconditional deny rule; rules left
 * without names are deleted at the end (by oci_prune()).  Each removal is
 * recorded in removed: [{"index", "action", "names"}].
 */
static int
undeny(json_object *syscalls, const char *name, const uint32_t *arches,
    size_t narches, unsigned bits, json_object *removed)
{
	size_t i, j, n = json_object_array_length(syscalls);

	for (i = 0; i < n; i++) {
		json_object *rule = json_object_array_get_idx(syscalls, i);
		json_object *names, *rec, *rnames = NULL;
		int applies = 0, k;

		if (!json_object_is_type(rule, json_type_object) ||
		    (k = rule_name_index(rule, name)) < 0 ||
		    array_nonempty(rule, "args") ||
		    action_allows(rule_action(rule)))
			continue;
		for (j = 0; j < narches; j++)
			if ((bits & (1u << j)) && rule_applies(rule, arches[j]))
				applies = 1;
		if (!applies)
			continue;
		(void)json_object_object_get_ex(rule, "names", &names);
		if (json_object_array_del_idx(names, (size_t)k, 1) != 0)
			return -1;
		/* One record per rule: find it or start it. */
		for (j = 0; j < json_object_array_length(removed); j++) {
			json_object *r = json_object_array_get_idx(removed, j),
			    *idx;

			(void)json_object_object_get_ex(r, "index", &idx);
			if ((size_t)json_object_get_int64(idx) == i)
				(void)json_object_object_get_ex(r, "names",
				    &rnames);
		}
		if (rnames == NULL) {
			rec = json_object_new_object();
			if (rec == NULL ||
			    json_object_array_add(removed, rec) != 0) {
				json_object_put(rec);
				return -1;
			}
			if (add_key(rec, "index",
			    json_object_new_int64((int64_t)i)) != 0 ||
			    add_key(rec, "action", json_object_new_string(
			    rule_action(rule))) != 0)
				return -1;
			rnames = json_object_new_array();
			if (add_key(rec, "names", rnames) != 0)
				return -1;
		}
		if (add_string(rnames, name) != 0)
			return -1;
	}
	return 0;
}

/* Delete the rules undeny() emptied, last first so that indexes hold. */
static void
oci_prune(json_object *syscalls, json_object *removed)
{
	size_t i = json_object_array_length(syscalls), j;

	while (i-- > 0) {
		json_object *rule = json_object_array_get_idx(syscalls, i);
		json_object *names;
		int was = 0;

		for (j = 0; j < json_object_array_length(removed); j++) {
			json_object *r = json_object_array_get_idx(removed, j);
			json_object *idx;

			if (json_object_object_get_ex(r, "index", &idx) &&
			    (size_t)json_object_get_int64(idx) == i)
				was = 1;
		}
		if (was && json_object_object_get_ex(rule, "names", &names) &&
		    json_object_array_length(names) == 0)
			(void)json_object_array_del_idx(syscalls, i, 1);
	}
}

/* Add the arches seen to base's "architectures", or check its archMap. */
static int
oci_arches(struct profgen *g, json_object *base, const uint32_t *arches,
    size_t narches, json_object *added, int quiet)
{
	json_object *list, *map;
	size_t i, j;

	if (json_object_object_get_ex(base, "architectures", &list) &&
	    json_object_is_type(list, json_type_array)) {
		for (i = 0; i < narches; i++) {
			const char *s = arch_find(arches[i])->scmp;

			if (array_has_string(list, s))
				continue;
			if (add_string(list, s) != 0 ||
			    add_string(added, s) != 0)
				return -1;
			if (!quiet)
				note_add(g, PROFGEN_ARCH_ADDED, arches[i],
				    NULL);
		}
		return 0;
	}
	if (!json_object_object_get_ex(base, "archMap", &map) ||
	    !json_object_is_type(map, json_type_array))
		return 0;
	for (i = 0; i < narches; i++) {
		const char *s = arch_find(arches[i])->scmp;
		int found = 0;

		for (j = 0; j < json_object_array_length(map); j++) {
			json_object *e = json_object_array_get_idx(map, j), *v;

			if (json_object_object_get_ex(e, "architecture", &v) &&
			    json_object_is_type(v, json_type_string) &&
			    strcmp(json_object_get_string(v), s) == 0)
				found = 1;
			if (json_object_object_get_ex(e, "subArchitectures",
			    &v) && array_has_string(v, s))
				found = 1;
		}
		if (!found)
			note_add(g, PROFGEN_ARCH_UNMAPPED, arches[i], NULL);
	}
	return 0;
}

/* {"names": [...], "action": "SCMP_ACT_ALLOW"}, as moby orders a rule. */
static json_object *
allow_rule(json_object *names)
{
	json_object *rule = json_object_new_object();

	if (rule == NULL || add_key(rule, "names", names) != 0) {
		json_object_put(rule);
		return NULL;
	}
	if (add_key(rule, "action", json_object_new_string("SCMP_ACT_ALLOW"))) {
		json_object_put(rule);
		return NULL;
	}
	return rule;
}

int
profgen_oci(struct profgen *g, json_object *base, unsigned flags,
    json_object **diff, char *err, size_t errlen)
{
	uint32_t arches[ARCH_MAX];
	struct uname *names = NULL;
	size_t narches, nnames, i;
	json_object *own = NULL, *syscalls, *v, *d = NULL;
	json_object *added_arches = NULL, *allow = NULL, *removed = NULL;
	int default_allows = 0, ret = -1;

	g->nnotes = 0;
	g->nomem = 0;
	if (diff != NULL)
		*diff = NULL;
	if (base == NULL && diff == NULL) {
		errfmt(err, errlen, "no base and nowhere to put the fragment");
		errno = EINVAL;
		return -1;
	}
	if (base == NULL) {
		own = base = json_object_new_object();
		if (own == NULL || add_key(own, "architectures",
		    json_object_new_array()) != 0 ||
		    add_key(own, "syscalls", json_object_new_array()) != 0)
			goto nomem;
	}
	if (!json_object_is_type(base, json_type_object)) {
		errfmt(err, errlen, "the base profile is not a JSON object");
		errno = EINVAL;
		goto out;
	}
	if (json_object_object_get_ex(base, "defaultAction", &v)) {
		if (!json_object_is_type(v, json_type_string)) {
			errfmt(err, errlen, "defaultAction: not a string");
			errno = EINVAL;
			goto out;
		}
		default_allows = action_allows(json_object_get_string(v));
	}
	if (!json_object_object_get_ex(base, "syscalls", &syscalls) ||
	    json_object_is_type(syscalls, json_type_null)) {
		syscalls = json_object_new_array();
		if (add_key(base, "syscalls", syscalls) != 0)
			goto nomem;
	} else if (!json_object_is_type(syscalls, json_type_array)) {
		errfmt(err, errlen, "syscalls: not an array");
		errno = EINVAL;
		goto out;
	}
	for (i = 0; i < json_object_array_length(syscalls); i++) {
		json_object *rule = json_object_array_get_idx(syscalls, i);

		/*
		 * Docker's format before 1.13 had one "name" per rule; its
		 * deny rules could not be edited, and an allow appended
		 * after one does nothing (libseccomp keeps the first).
		 */
		if (!json_object_is_type(rule, json_type_object) ||
		    json_object_object_get_ex(rule, "name", &v)) {
			errfmt(err, errlen, "syscalls[%zu]: not a rule with "
			    "\"names\" (the old \"name\" format is not "
			    "read)", i);
			errno = EINVAL;
			goto out;
		}
	}
	if (names_collect(g, arches, &narches, &names, &nnames) != 0) {
		if (errno == EINVAL)
			errfmt(err, errlen, "more than %d architectures",
			    ARCH_MAX);
		else
			errfmt(err, errlen, "out of memory");
		goto out;
	}
	added_arches = json_object_new_array();
	allow = json_object_new_array();
	removed = json_object_new_array();
	if (added_arches == NULL || allow == NULL || removed == NULL)
		goto nomem;
	if (oci_arches(g, base, arches, narches, added_arches,
	    own != NULL) != 0)
		goto nomem;
	for (i = 0; i < nnames; i++) {
		const char *name = names[i].name;
		unsigned bits = names[i].arches;
		uint32_t arch = first_arch(arches, narches, bits);
		struct verdict vd;
		size_t before = json_object_array_length(removed);

		judge(syscalls, name, arches, narches, bits, &vd);
		if ((vd.allowed || default_allows) && !vd.denied) {
			note_add(g, PROFGEN_ALLOWED, arch, name);
			continue;
		}
		if (profgen_dangerous(name) != NULL &&
		    !(flags & PROFGEN_FORCE)) {
			note_add(g, PROFGEN_DANGEROUS, arch, name);
			continue;
		}
		if (vd.args && !vd.allowed && !(flags & PROFGEN_FORCE)) {
			note_add(g, PROFGEN_ARGS, arch, name);
			continue;
		}
		if (undeny(syscalls, name, arches, narches, bits,
		    removed) != 0)
			goto nomem;
		if (json_object_array_length(removed) != before || vd.denied)
			note_add(g, PROFGEN_UNDENIED, arch, name);
		if (profgen_dangerous(name) != NULL)
			note_add(g, PROFGEN_FORCED, arch, name);
		if (vd.allowed || default_allows)
			continue;
		if (add_string(allow, name) != 0)
			goto nomem;
		if (narches > 1 && bits != (1u << narches) - 1)
			note_add(g, PROFGEN_OTHER_ARCH, arch, name);
	}
	oci_prune(syscalls, removed);
	if (json_object_array_length(allow) > 0) {
		json_object *rule = allow_rule(json_object_get(allow));

		if (rule == NULL || json_object_array_add(syscalls, rule)) {
			json_object_put(rule);
			goto nomem;
		}
	}
	if (diff != NULL) {
		d = json_object_new_object();
		if (d == NULL)
			goto nomem;
		if (json_object_array_length(added_arches) > 0 &&
		    add_key(d, "architectures",
		    json_object_get(added_arches)) != 0)
			goto nomem;
		if (json_object_array_length(allow) > 0) {
			json_object *rules = json_object_new_array(), *rule;

			if (add_key(d, "syscalls", rules) != 0)
				goto nomem;
			rule = allow_rule(json_object_get(allow));
			if (rule == NULL ||
			    json_object_array_add(rules, rule) != 0) {
				json_object_put(rule);
				goto nomem;
			}
		}
		if (json_object_array_length(removed) > 0 &&
		    add_key(d, "syscallsRemoved",
		    json_object_get(removed)) != 0)
			goto nomem;
		*diff = d;
		d = NULL;
	}
	if (g->nomem)
		goto nomem;
	ret = 0;
	goto out;
nomem:
	errfmt(err, errlen, "out of memory");
	errno = ENOMEM;
out:
	json_object_put(d);
	json_object_put(added_arches);
	json_object_put(allow);
	json_object_put(removed);
	json_object_put(own);
	free(names);
	return ret;
}

/*
 * The names to allow without a base: all but the dangerous ones (unless
 * force), each with its notes.  *out is a new array.
 */
static int
plain_names(struct profgen *g, unsigned flags, uint32_t *arches,
    size_t *narches, json_object **out)
{
	struct uname *names = NULL;
	size_t nnames, i;
	json_object *arr;

	g->nnotes = 0;
	g->nomem = 0;
	*out = NULL;
	if (names_collect(g, arches, narches, &names, &nnames) != 0)
		return -1;
	arr = json_object_new_array();
	if (arr == NULL) {
		free(names);
		return -1;
	}
	for (i = 0; i < nnames; i++) {
		uint32_t arch = first_arch(arches, *narches, names[i].arches);

		if (profgen_dangerous(names[i].name) != NULL) {
			if (!(flags & PROFGEN_FORCE)) {
				note_add(g, PROFGEN_DANGEROUS, arch,
				    names[i].name);
				continue;
			}
			note_add(g, PROFGEN_FORCED, arch, names[i].name);
		}
		if (add_string(arr, names[i].name) != 0) {
			json_object_put(arr);
			free(names);
			return -1;
		}
		if (*narches > 1 && names[i].arches != (1u << *narches) - 1)
			note_add(g, PROFGEN_OTHER_ARCH, arch, names[i].name);
	}
	free(names);
	if (g->nomem) {
		json_object_put(arr);
		errno = ENOMEM;
		return -1;
	}
	*out = arr;
	return 0;
}

/* Append to a malloc()ed string; sticky failure leaves *s NULL. */
static void
cat(char **s, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
cat(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	if (*s == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = n < 0 ? NULL : realloc(*s, *len + (size_t)n + 1);
	if (p == NULL) {
		free(*s);
		*s = NULL;
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(p + *len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*s = p;
	*len += (size_t)n;
}

char *
profgen_systemd(struct profgen *g, unsigned flags, const char *source)
{
	uint32_t arches[ARCH_MAX];
	size_t narches, i, n, len = 0;
	json_object *arr;
	char *s;

	if (plain_names(g, flags, arches, &narches, &arr) != 0)
		return NULL;
	n = json_object_array_length(arr);
	if (n == 0) {
		json_object_put(arr);
		errno = ENOENT;
		return NULL;
	}
	s = strdup("");
	if (flags & PROFGEN_LEARNT)
		cat(&s, &len, "# Generated by seccompmon learn: the system "
		    "calls the command made, as an allow-list.\n");
	else
		cat(&s, &len, "# Generated by seccompmon profile: allows the "
		    "system calls that were denied.\n");
	if (source != NULL)
		cat(&s, &len, "# From: %s\n", source);
	for (i = 0; i < g->nnotes; i++)
		if (g->notes[i].why == PROFGEN_DANGEROUS)
			cat(&s, &len, "# Left out (dangerous, --force allows "
			    "it): %s\n", g->notes[i].name);
	cat(&s, &len, "# Review before use; this adds to the unit's "
	    "filter%s.\n[Service]\nSystemCallFilter=", (flags & PROFGEN_LEARNT) ?
	    " (alone, it is the unit's whole allow-list)" : "");
	for (i = 0; i < n; i++)
		cat(&s, &len, "%s%s", i ? " " : "", json_object_get_string(
		    json_object_array_get_idx(arr, i)));
	cat(&s, &len, "\nSystemCallArchitectures=");
	for (i = 0; i < narches; i++)
		cat(&s, &len, "%s%s", i ? " " : "",
		    arch_find(arches[i])->systemd);
	cat(&s, &len, "\n");
	json_object_put(arr);
	if (s == NULL)
		errno = ENOMEM;
	return s;
}

json_object *
profgen_seccompmon(struct profgen *g, unsigned flags)
{
	uint32_t arches[ARCH_MAX];
	size_t narches;
	json_object *arr, *top, *sec, *rules, *rule, *names;

	if (plain_names(g, flags, arches, &narches, &arr) != 0)
		return NULL;
	if (json_object_array_length(arr) == 0) {
		json_object_put(arr);
		errno = ENOENT;
		return NULL;
	}
	top = json_object_new_object();
	if (top == NULL)
		goto fail;
	sec = json_object_new_object();
	if (add_key(top, "seccomp", sec) != 0 ||
	    add_key(sec, "default_action", json_object_new_string("errno")))
		goto fail;
	rules = json_object_new_array();
	if (add_key(sec, "syscalls", rules) != 0)
		goto fail;
	rule = json_object_new_object();
	if (rule == NULL || json_object_array_add(rules, rule) != 0) {
		json_object_put(rule);
		goto fail;
	}
	if (add_key(rule, "action", json_object_new_string("allow")) != 0)
		goto fail;
	names = arr;
	arr = NULL;
	if (add_key(rule, "names", names) != 0)
		goto fail;
	return top;
fail:
	json_object_put(arr);
	json_object_put(top);
	errno = ENOMEM;
	return NULL;
}

char *
profgen_json_text(json_object *o, const char *like_text)
{
	int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *p, *t;
	char *s;
	size_t n;

	/* The first indented line decides. */
	if (like_text != NULL && (p = strchr(like_text, '\n')) != NULL &&
	    p[1] == '\t')
		flags |= JSON_C_TO_STRING_PRETTY_TAB;
	t = json_object_to_json_string_ext(o, flags);
	if (t == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	n = strlen(t);
	s = malloc(n + 2);
	if (s == NULL)
		return NULL;
	memcpy(s, t, n);
	s[n] = '\n';
	s[n + 1] = '\0';
	return s;
}
