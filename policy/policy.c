/*
 * The policy model: parsing from json-c objects with a key path for every
 * error, validation, compilation with libseccomp, and the load.  The load
 * exports libseccomp's BPF and calls seccomp(2) itself, so that the TSYNC
 * result is checked here: libseccomp before 2.5 returned success when a
 * thread could not be synchronised (the kernel's positive return).
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

/* errno names accepted by "errno": those a policy would plausibly want. */
static const struct {
	const char	*name;
	int		 value;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "EACCES", EACCES },
	{ "EINVAL", EINVAL }, { "ENOTSUP", ENOTSUP },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
};

void
policy_errors_add(struct policy_errors *errs, const char *path,
    const char *fmt, ...)
{
	struct policy_error *e;
	va_list ap;

	if (errs->n >= POLICY_ERRORS_MAX) {
		errs->dropped++;
		return;
	}
	e = &errs->e[errs->n++];
	snprintf(e->path, sizeof(e->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

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

static const char *
errno_name(int value)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == value)
			return errnos[i].name;
	return NULL;
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

static const char *
type_name(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
	case json_type_int:
		return "a number";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "?";
}

static int
want_type(json_object *o, enum json_type t, const char *what,
    const char *path, struct policy_errors *errs)
{
	if (json_object_is_type(o, t))
		return 0;
	policy_errors_add(errs, path, "expected %s, found %s", what,
	    type_name(o));
	return -1;
}

static int
parse_action(json_object *o, const char *path, struct policy_errors *errs,
    enum policy_action *out)
{
	int a;

	if (want_type(o, json_type_string, "an action name (a string)", path,
	    errs) < 0)
		return -1;
	if ((a = policy_action_parse(json_object_get_string(o))) < 0) {
		policy_errors_add(errs, path, "unknown action \"%s\"; expected "
		    "one of %s", json_object_get_string(o),
		    policy_action_list());
		return -1;
	}
	*out = (enum policy_action)a;
	return 0;
}

static int
parse_errno(json_object *o, const char *path, struct policy_errors *errs,
    int *out)
{
	const char *s;
	size_t i;

	if (want_type(o, json_type_string, "an errno name (a string such as "
	    "\"ENOSYS\")", path, errs) < 0)
		return -1;
	s = json_object_get_string(o);
	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++) {
		if (strcmp(errnos[i].name, s) == 0) {
			*out = errnos[i].value;
			return 0;
		}
	}
	policy_errors_add(errs, path, "unknown errno \"%s\"; expected one of "
	    "EPERM, ENOSYS, EACCES, EINVAL, ENOTSUP, EAFNOSUPPORT", s);
	return -1;
}

/* One element of "syscalls": {action, names, errno}. */
static int
parse_rule(json_object *o, const char *path, struct policy_rule *r,
    struct policy_errors *errs)
{
	char sub[96];
	json_object *names = NULL, *act = NULL, *err = NULL, *n;
	size_t i, len;
	int bad = 0, act_ok = 0;

	memset(r, 0, sizeof(*r));
	keypath(r->path, sizeof(r->path), "%s", path);
	r->err = EPERM;
	if (want_type(o, json_type_object, "an object {\"action\", \"names\"}",
	    path, errs) < 0)
		return -1;
	json_object_object_foreach(o, key, val) {
		keypath(sub, sizeof(sub), "%s.%s", path, key);
		if (strcmp(key, "action") == 0)
			act = val;
		else if (strcmp(key, "names") == 0)
			names = val;
		else if (strcmp(key, "errno") == 0)
			err = val;
		else {
			policy_errors_add(errs, sub, "unknown key; expected "
			    "action, names or errno");
			bad = 1;
		}
	}
	keypath(sub, sizeof(sub), "%s.action", path);
	if (act == NULL) {
		policy_errors_add(errs, path, "missing \"action\"; expected one "
		    "of %s", policy_action_list());
		bad = 1;
	} else if (parse_action(act, sub, errs, &r->action) < 0)
		bad = 1;
	else
		act_ok = 1;
	if (err != NULL) {
		keypath(sub, sizeof(sub), "%s.errno", path);
		if (parse_errno(err, sub, errs, &r->err) < 0)
			bad = 1;
		else if (act_ok && r->action != POLICY_ERRNO) {
			policy_errors_add(errs, sub, "\"errno\" goes with "
			    "action \"errno\" only");
			bad = 1;
		}
	}
	keypath(sub, sizeof(sub), "%s.names", path);
	if (names == NULL) {
		policy_errors_add(errs, path, "missing \"names\": a list of at "
		    "least one syscall name");
		return -1;
	}
	if (want_type(names, json_type_array, "a list of syscall names", sub,
	    errs) < 0)
		return -1;
	len = json_object_array_length(names);
	if (len == 0) {
		policy_errors_add(errs, sub, "empty list; expected at least one "
		    "syscall name");
		return -1;
	}
	if ((r->names = calloc(len, sizeof(*r->names))) == NULL) {
		policy_errors_add(errs, sub, "out of memory");
		return -1;
	}
	for (i = 0; i < len; i++) {
		n = json_object_array_get_idx(names, i);
		keypath(sub, sizeof(sub), "%s.names[%zu]", path, i);
		if (want_type(n, json_type_string, "a syscall name (a string)",
		    sub, errs) < 0 || json_object_get_string_len(n) == 0) {
			if (json_object_is_type(n, json_type_string))
				policy_errors_add(errs, sub, "empty syscall "
				    "name");
			bad = 1;
			continue;
		}
		if ((r->names[r->nnames] = strdup(json_object_get_string(n)))
		    == NULL) {
			policy_errors_add(errs, sub, "out of memory");
			return -1;
		}
		r->nnames++;
	}
	return bad ? -1 : 0;
}

int
policy_parse(struct policy *p, json_object *sec, const char *path,
    struct policy_errors *errs)
{
	json_object *syscalls = NULL, *defact = NULL, *o;
	struct policy_rule *rules;
	size_t before = errs->n + errs->dropped, i, len;
	char sub[96];
	enum policy_action a;

	if (want_type(sec, json_type_object, "an object", path, errs) < 0)
		return 1;
	json_object_object_foreach(sec, key, val) {
		keypath(sub, sizeof(sub), "%s.%s", path, key);
		if (strcmp(key, "enabled") == 0) {
			if (want_type(val, json_type_boolean, "true or false",
			    sub, errs) == 0)
				p->enabled = json_object_get_boolean(val);
		} else if (strcmp(key, "required") == 0) {
			if (want_type(val, json_type_boolean, "true or false",
			    sub, errs) == 0)
				p->required = json_object_get_boolean(val);
		} else if (strcmp(key, "default_action") == 0) {
			defact = val;
			if (parse_action(val, sub, errs, &a) == 0) {
				p->default_action = a;
				p->default_err = EPERM;
			}
		} else if (strcmp(key, "syscalls") == 0)
			syscalls = val;
		else
			policy_errors_add(errs, sub, "unknown key; expected "
			    "enabled, required, default_action or syscalls");
	}
	if (syscalls == NULL) {
		if (p->origin == POLICY_NONE && p->enabled)
			policy_errors_add(errs, path, "seccompmon has no built-in "
			    "policy for %s; give default_action and syscalls",
			    policy_arch_name(p->arch));
		return (int)(errs->n + errs->dropped - before);
	}

	/* A custom list replaces the built-in one and needs its default. */
	keypath(sub, sizeof(sub), "%s.syscalls", path);
	if (defact == NULL)
		policy_errors_add(errs, path, "missing \"default_action\": a "
		    "policy with \"syscalls\" must say what happens to every "
		    "other call (one of %s)", policy_action_list());
	if (want_type(syscalls, json_type_array, "a list of "
	    "{\"action\", \"names\"} objects", sub, errs) < 0)
		return (int)(errs->n + errs->dropped - before);
	len = json_object_array_length(syscalls);
	if (len == 0) {
		policy_errors_add(errs, sub, "empty list; expected at least one "
		    "{\"action\", \"names\"} object");
		return (int)(errs->n + errs->dropped - before);
	}
	if ((rules = calloc(len, sizeof(*rules))) == NULL) {
		policy_errors_add(errs, sub, "out of memory");
		return (int)(errs->n + errs->dropped - before);
	}
	policy_free(p);
	p->rules = rules;
	p->nrules = len;
	p->origin = POLICY_CUSTOM;
	for (i = 0; i < len; i++) {
		o = json_object_array_get_idx(syscalls, i);
		keypath(sub, sizeof(sub), "%s.syscalls[%zu]", path, i);
		(void)parse_rule(o, sub, &p->rules[i], errs);
	}
	return (int)(errs->n + errs->dropped - before);
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
    struct policy_errors *errs)
{
	static const char *const since[POLICY_NACTIONS] = {
		[POLICY_KILL_PROCESS] = "Linux 4.14",
		[POLICY_LOG] = "Linux 4.14",
	};

	if (avail & POLICY_ACTION_BIT(a))
		return;
	policy_errors_add(errs, path, "action \"%s\" is not available on this "
	    "kernel (it needs %s; see /proc/sys/kernel/seccomp/actions_avail)",
	    policy_action_name(a), since[a] ? since[a] : "a newer kernel");
}

int
policy_check(const struct policy *p, unsigned avail,
    struct policy_errors *errs)
{
	size_t before = errs->n + errs->dropped, i, j, k, l;
	const struct policy_rule *r;
	char path[96];

	if (!p->enabled)
		return 0;
	if (p->origin == POLICY_NONE) {
		policy_errors_add(errs, "seccomp", "seccompmon has no built-in "
		    "policy for %s; give default_action and syscalls",
		    policy_arch_name(p->arch));
		return 1;
	}
	check_action(p->default_action, avail, "seccomp.default_action", errs);
	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		keypath(path, sizeof(path), "%s.action", r->path);
		check_action(r->action, avail, path, errs);
		for (j = 0; j < r->nnames; j++) {
			keypath(path, sizeof(path), "%s.names[%zu]", r->path,
			    j);
			if (!on_arch(p->arch, r->names[j]))
				policy_errors_add(errs, path, "unknown syscall "
				    "\"%s\" for %s", r->names[j],
				    policy_arch_name(p->arch));
			/* The same name earlier, in this rule or another. */
			for (k = 0; k <= i; k++)
				for (l = 0; l < (k == i ? j : p->rules[k].nnames);
				    l++)
					if (strcmp(p->rules[k].names[l],
					    r->names[j]) == 0)
						goto dup;
			continue;
dup:
			policy_errors_add(errs, path, "duplicate syscall \"%s\" "
			    "(already in %s.names[%zu])", r->names[j],
			    p->rules[k].path, l);
		}
	}
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
policy_compile(const struct policy *p, struct policy_errors *errs)
{
	scmp_filter_ctx ctx;
	uint32_t def = scmp_action(p->default_action, p->default_err);
	const struct policy_rule *r;
	size_t i, j;
	int nr, rc;

	if ((ctx = seccomp_init(def)) == NULL) {
		policy_errors_add(errs, "seccomp", "libseccomp: cannot create a "
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
	policy_errors_add(errs, "seccomp", "libseccomp: cannot build the "
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

json_object *
policy_to_json(const struct policy *p)
{
	json_object *o, *list, *rule, *names;
	const struct policy_rule *r;
	size_t i, j;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "enabled",
	    json_object_new_boolean(p->enabled));
	json_object_object_add(o, "required",
	    json_object_new_boolean(p->required));
	json_object_object_add(o, "default_action",
	    json_object_new_string(policy_action_name(p->default_action)));
	list = json_object_new_array();
	json_object_object_add(o, "syscalls", list);
	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		rule = json_object_new_object();
		json_object_array_add(list, rule);
		json_object_object_add(rule, "action",
		    json_object_new_string(policy_action_name(r->action)));
		if (r->action == POLICY_ERRNO && r->err != EPERM &&
		    errno_name(r->err) != NULL)
			json_object_object_add(rule, "errno",
			    json_object_new_string(errno_name(r->err)));
		names = json_object_new_array();
		json_object_object_add(rule, "names", names);
		for (j = 0; j < r->nnames; j++)
			json_object_array_add(names,
			    json_object_new_string(r->names[j]));
	}
	return o;
}
