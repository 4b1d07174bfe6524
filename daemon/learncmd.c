/*
 * seccompmon learn: the command runs in an audit session of its own (a
 * write to /proc/self/loginuid starts one, and every descendant inherits
 * its ses=), under a filter that logs every call outside a small baseline.
 * Records of that session are read from the multicast group, so learn works
 * beside auditd or a running seccompmon.  The end is proven, not waited
 * for: after the command exits, a marker process makes one logged call,
 * and the kernel's queue is in order, so its record comes after all of the
 * command's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <linux/audit.h>
#include <seccomp.h>

#include "daemon/learncmd.h"
#include "daemon/procfile.h"
#include "daemon/profilecmd.h"
#include "netlink/auditnl.h"
#include "policy/policy.h"
#include "policy/profgen.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"
#include "reporter/violation.h"

#define LEARN_RCVBUF	(16 << 20)
#define MARKER_WAIT_MS	5000
#define ALLOW_MAX	64	/* --allow names */
#define CALLS_MAX	2048	/* distinct (arch, call, action) counted */
#define PIDS_MAX	16384	/* pids remembered (a power of two) */
#define NR_SCAN		1024	/* native call numbers looked at */
#define UNSET_ID	0xffffffffu

enum lformat { LF_OCI, LF_SYSTEMD, LF_SECCOMPMON };

struct lopts {
	enum lformat	 format;
	const char	*base;
	const char	*output;
	char		*user;		/* run the command as this user */
	uid_t		 uid;
	gid_t		 gid;
	int		 diff;
	int		 log_all;	/* nothing allowed unrecorded */
	unsigned	 flags;
	const char	*allow[ALLOW_MAX];
	size_t		 nallow;
};

/* What the child tells the parent through its close-on-exec pipe. */
enum cstage { CS_SESSION, CS_USER, CS_LOAD, CS_EXEC };
struct cmsg {
	int		stage;
	int		err;		/* errno of the stage, 0 when it worked */
	uint32_t	ses;		/* CS_SESSION: the command's session */
	int		own;		/* CS_SESSION: a session of its own */
};

struct call {
	uint32_t	 arch;		/* SCMP_ARCH_* token (x32 its own) */
	const char	*name;		/* static (systab) */
	const char	*action;	/* static (verdict) */
	uint64_t	 count;
};

struct learn {
	struct profgen	*g;
	pid_t		 child, marker;
	uint32_t	 ses;
	int		 own;		/* ses is the command's alone */
	int		 marker_seen;
	int		 nomem;
	uint64_t	 records, used, unnamed, malformed, outside;
	uint64_t	 unattributed;	/* shared session: pid not in the tree */
	struct call	 calls[CALLS_MAX];
	size_t		 ncalls;
	uint64_t	 calls_over;	/* records of calls past CALLS_MAX */
	pid_t		 pids[PIDS_MAX];	/* 0: empty slot */
	size_t		 npids;
	struct violation v;
};

static volatile sig_atomic_t Forward;

static void
on_forward(int sig)
{
	Forward = sig;
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: seccompmon learn [--format oci|systemd|seccompmon] [--base PROFILE.json]\n"
"           [--diff] [--force] [--allow NAME[,NAME...]] [--log-all]\n"
"           [--user NAME] [--output FILE] -- COMMAND [ARG...]\n"
"       seccompmon learn --list-baseline\n");
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Remember pid; 1 if it was new, 0 if known or the table is full. */
static int
pid_add(struct learn *l, pid_t pid)
{
	size_t i = ((size_t)pid * 2654435761u) & (PIDS_MAX - 1), n;

	for (n = 0; n < PIDS_MAX; n++, i = (i + 1) & (PIDS_MAX - 1)) {
		if (l->pids[i] == pid)
			return 0;
		if (l->pids[i] == 0) {
			if (l->npids >= PIDS_MAX * 3 / 4)
				return 0;
			l->pids[i] = pid;
			l->npids++;
			return 1;
		}
	}
	return 0;
}

static int
pid_known(const struct learn *l, pid_t pid)
{
	size_t i = ((size_t)pid * 2654435761u) & (PIDS_MAX - 1), n;

	for (n = 0; n < PIDS_MAX; n++, i = (i + 1) & (PIDS_MAX - 1)) {
		if (l->pids[i] == pid)
			return 1;
		if (l->pids[i] == 0)
			return 0;
	}
	return 0;
}

/* The parent of pid from /proc/PID/stat, or -1 when it is gone. */
static pid_t
parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	long ppid;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (procfile_read(path, buf, sizeof(buf), 1) < 0 ||
	    (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %ld", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/*
 * In a shared session, whether pid is the command or one of its
 * descendants: known from an earlier record, or its parents lead to the
 * command while it is alive.  A process that is gone cannot be told.
 */
static int
in_tree(struct learn *l, pid_t pid)
{
	pid_t p = pid;
	int depth;

	if (pid == l->child || pid_known(l, pid))
		return 1;
	for (depth = 0; depth < 256 && p > 1; depth++) {
		if ((p = parent_of(p)) == l->child)
			return 1;
		if (p < 0)
			return -1;
	}
	return 0;
}

static void
count_call(struct learn *l, uint32_t arch, const char *name,
    const char *action)
{
	size_t i;

	for (i = 0; i < l->ncalls; i++)
		if (l->calls[i].name == name && l->calls[i].arch == arch &&
		    l->calls[i].action == action) {
			l->calls[i].count++;
			return;
		}
	if (l->ncalls == CALLS_MAX) {
		l->calls_over++;
		return;
	}
	l->calls[l->ncalls].arch = arch;
	l->calls[l->ncalls].name = name;
	l->calls[l->ncalls].action = action;
	l->calls[l->ncalls].count = 1;
	l->ncalls++;
}

static void
on_record(void *arg, uint16_t type, const char *text, size_t len,
    const char *node, size_t node_len)
{
	struct learn *l = arg;
	struct violation *v = &l->v;
	const char *name, *action;
	uint32_t arch;
	int t;

	(void)node;
	(void)node_len;
	if (type != AUDIT_SECCOMP)
		return;
	if (violation_decode(text, len, v) != VIOLATION_OK) {
		l->malformed++;
		return;
	}
	if (l->marker > 0 && v->pid == l->marker) {
		l->marker_seen = 1;
		return;
	}
	if (!(v->present & VF_BIT(VF_SES)) || v->ses != l->ses) {
		l->outside++;
		return;
	}
	if (!l->own) {
		if ((t = in_tree(l, v->pid)) <= 0) {
			if (t < 0)
				l->unattributed++;
			else
				l->outside++;
			return;
		}
	}
	l->records++;
	(void)pid_add(l, v->pid);
	arch = v->arch;
	if (arch == AUDIT_ARCH_X86_64 && (v->syscall & SYSTAB_X32_BIT))
		arch = SYSTAB_ARCH_X32;
	name = systab_syscall_name(v->arch, v->syscall);
	action = verdict_of(v->code)->action;
	if (name == NULL) {
		l->unnamed++;
		return;
	}
	count_call(l, arch, name, action);
	if (profgen_add(l->g, arch, name, action) < 0) {
		if (errno == ENOMEM)
			l->nomem = 1;
		else
			l->unnamed++;
		return;
	}
	l->used++;
}

/* The compatible arches a process of the native one can call with. */
static void
compat_arches(uint32_t native, uint32_t *out, size_t *n)
{
	*n = 0;
	if (native == SCMP_ARCH_X86_64) {
		out[(*n)++] = SCMP_ARCH_X86;
		out[(*n)++] = SCMP_ARCH_X32;
	} else if (native == SCMP_ARCH_AARCH64)
		out[(*n)++] = SCMP_ARCH_ARM;
}

/*
 * Add an allow rule for name unless the native arch has no such call;
 * 1 when added, 0 when not there, -1 with err filled.
 */
static int
allow_name(scmp_filter_ctx ctx, const char *name, char *err, size_t errlen)
{
	int nr = seccomp_syscall_resolve_name(name), rc;

	if (nr == __NR_SCMP_ERROR)
		return 0;
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) < 0) {
		(void)snprintf(err, errlen, "allow %s: %s", name,
		    strerror(-rc));
		return -1;
	}
	return 1;
}

/*
 * The filter the command runs under: log by default (with the log flag,
 * on every compatible arch); allow the --allow names and, unless log_all,
 * the baseline or, with a base, every call the base allows with no
 * condition, so that only what the base lacks is recorded.  allowed[]
 * gets the names of the baseline and --allow, for the profile.  NULL with
 * err filled.
 */
static scmp_filter_ctx
learn_filter(const struct lopts *o, json_object *base, const char **allowed,
    size_t *nallowed, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	uint32_t native = seccomp_arch_native(), compat[4];
	const char *name;
	size_t i, n;
	int rc, nr;

	*nallowed = 0;
	if ((ctx = seccomp_init(SCMP_ACT_LOG)) == NULL) {
		(void)snprintf(err, errlen, "seccomp_init failed");
		return NULL;
	}
	compat_arches(native, compat, &n);
	for (i = 0; i < n; i++)
		if ((rc = seccomp_arch_add(ctx, compat[i])) < 0 &&
		    rc != -EEXIST) {
			(void)snprintf(err, errlen, "arch %s: %s",
			    profgen_arch_scmp_name(compat[i]), strerror(-rc));
			goto fail;
		}
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_LOG)) < 0) {
		(void)snprintf(err, errlen, "filter attributes: %s",
		    strerror(-rc));
		goto fail;
	}
	for (i = 0; !o->log_all && base == NULL &&
	    (name = profgen_baseline_name(i)) != NULL; i++) {
		if ((rc = allow_name(ctx, name, err, errlen)) < 0)
			goto fail;
		if (rc > 0)
			allowed[(*nallowed)++] = name;
	}
	for (nr = 0; !o->log_all && base != NULL && nr < NR_SCAN; nr++) {
		char *bn = seccomp_syscall_resolve_num_arch(native, nr);

		if (bn == NULL)
			continue;
		rc = profgen_oci_allows(base, native, bn) ?
		    allow_name(ctx, bn, err, errlen) : 0;
		free(bn);
		if (rc < 0)
			goto fail;
	}
	for (i = 0; i < o->nallow; i++) {
		if ((rc = allow_name(ctx, o->allow[i], err, errlen)) < 0)
			goto fail;
		allowed[(*nallowed)++] = o->allow[i];
	}
	return ctx;
fail:
	seccomp_release(ctx);
	return NULL;
}

/*
 * Give the calling process an audit session of its own: write its
 * loginuid (kept when set, else its uid) back, which makes a new session
 * id.  Needs CAP_AUDIT_CONTROL once a loginuid is set, and fails for good
 * when the loginuid is immutable.  Fills m either way.
 */
static void
new_session(struct cmsg *m)
{
	char buf[32];
	unsigned long auid;
	int fd, n;

	m->stage = CS_SESSION;
	m->own = 0;
	m->err = 0;
	if (procfile_read("/proc/self/loginuid", buf, sizeof(buf), 1) < 0) {
		m->err = errno;
		goto current;
	}
	auid = strtoul(buf, NULL, 10);
	if (auid == UNSET_ID)
		auid = getuid();
	n = snprintf(buf, sizeof(buf), "%lu", auid);
	if ((fd = open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC)) < 0) {
		m->err = errno;
		goto current;
	}
	if (write(fd, buf, (size_t)n) != n)
		m->err = errno ? errno : EIO;
	else
		m->own = 1;
	(void)close(fd);
current:
	if (procfile_read("/proc/self/sessionid", buf, sizeof(buf), 1) < 0) {
		m->own = 0;
		m->ses = UNSET_ID;
		return;
	}
	m->ses = (uint32_t)strtoul(buf, NULL, 10);
	if (m->ses == UNSET_ID)
		m->own = 0;
}

static void
tell(int fd, const struct cmsg *m)
{
	ssize_t w;

	do
		w = write(fd, m, sizeof(*m));
	while (w < 0 && errno == EINTR);
}

/* In the child: session, user, filter, exec; only returns by _exit(). */
static void
child_run(int fd, scmp_filter_ctx ctx, const struct lopts *o, char **cmd)
{
	struct cmsg m;
	int rc;

	new_session(&m);
	tell(fd, &m);
	memset(&m, 0, sizeof(m));
	/* Before the filter: these calls are learn's, not the command's. */
	if (o->user != NULL && (initgroups(o->user, o->gid) < 0 ||
	    setgid(o->gid) < 0 || setuid(o->uid) < 0)) {
		m.stage = CS_USER;
		m.err = errno;
		tell(fd, &m);
		_exit(127);
	}
	/*
	 * With CAP_SYS_ADMIN no no_new_privs is needed: set-user-ID
	 * programs then run as they will in production.
	 */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if ((rc = seccomp_load(ctx)) < 0) {
		(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
		rc = seccomp_load(ctx);
	}
	if (rc < 0) {
		m.stage = CS_LOAD;
		m.err = -rc;
		tell(fd, &m);
		_exit(127);
	}
	execvp(cmd[0], cmd);
	m.stage = CS_EXEC;
	m.err = errno;
	tell(fd, &m);
	_exit(127);
}

/*
 * A process that makes one logged call after the command has ended: its
 * record is queued after every record the command made.
 */
static pid_t
marker_spawn(void)
{
	scmp_filter_ctx ctx;
	pid_t pid;

	if ((pid = fork()) != 0)
		return pid;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL || seccomp_rule_add(ctx, SCMP_ACT_LOG,
	    SCMP_SYS(getppid), 0) < 0 || seccomp_load(ctx) < 0)
		_exit(1);
	(void)syscall(SYS_getppid);
	_exit(0);
}

/* A fresh allow-list profile for learn without --base. */
static json_object *
empty_profile(void)
{
	json_object *p = json_tokener_parse("{\"defaultAction\": "
	    "\"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, \"architectures\": "
	    "[], \"syscalls\": []}");

	return p;
}

/* The profile text for g, or NULL with a message printed. */
static char *
profile_text(struct profgen *g, const struct lopts *o, json_object *base,
    const char *base_text, const char *source)
{
	json_object *diff = NULL, *own = NULL, *j;
	char err[256], *out = NULL;

	switch (o->format) {
	case LF_OCI:
		if (base == NULL && (base = own = empty_profile()) == NULL)
			break;
		if (profgen_oci(g, base, o->flags, &diff, err,
		    sizeof(err)) < 0) {
			fprintf(stderr, "seccompmon learn: %s%s%s\n",
			    o->base ? o->base : "", o->base ? ": " : "", err);
			json_object_put(own);
			return NULL;
		}
		if (o->base != NULL &&
		    !json_object_object_get_ex(diff, "syscalls", NULL) &&
		    !json_object_object_get_ex(diff, "syscallsRemoved", NULL) &&
		    !json_object_object_get_ex(diff, "architectures", NULL))
			fprintf(stderr, "seccompmon learn: %s already allows "
			    "every call the command made\n", o->base);
		out = profgen_json_text(o->diff ? diff : base, base_text);
		json_object_put(diff);
		json_object_put(own);
		break;
	case LF_SYSTEMD:
		out = profgen_systemd(g, o->flags | PROFGEN_LEARNT, source);
		break;
	case LF_SECCOMPMON:
		if ((j = profgen_seccompmon(g, o->flags)) != NULL)
			out = profgen_json_text(j, NULL);
		json_object_put(j);
		break;
	}
	if (out == NULL)
		fprintf(stderr, "seccompmon learn: %s\n", errno == ENOENT ?
		    "nothing to allow (see the notes above)" :
		    strerror(errno));
	return out;
}

static int
write_out(const char *path, const char *text)
{
	FILE *f = path ? fopen(path, "w") : stdout;
	int bad;

	if (f == NULL) {
		fprintf(stderr, "seccompmon learn: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	(void)fputs(text, f);
	bad = ferror(f);
	if (path != NULL)
		bad |= fclose(f) != 0;
	else
		bad |= fflush(f) != 0;
	if (bad) {
		fprintf(stderr, "seccompmon learn: %s: write failed\n",
		    path ? path : "stdout");
		return -1;
	}
	return 0;
}

static int
call_cmp(const void *a, const void *b)
{
	const struct call *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->arch < y->arch ? -1 : x->arch > y->arch;
}

/* What was learnt, on stderr: one line per call and action. */
static void
summary(struct learn *l)
{
	const char *an;
	size_t i;

	qsort(l->calls, l->ncalls, sizeof(l->calls[0]), call_cmp);
	fprintf(stderr, "seccompmon learn: %" PRIu64 " records from %zu "
	    "processes, %zu calls outside the baseline%s\n", l->records,
	    l->npids, l->ncalls, l->ncalls ? ":" : "");
	for (i = 0; i < l->ncalls; i++) {
		an = systab_arch_name(l->calls[i].arch ==
		    SYSTAB_ARCH_X32 ? AUDIT_ARCH_X86_64 : l->calls[i].arch,
		    l->calls[i].arch == SYSTAB_ARCH_X32 ? SYSTAB_X32_BIT : 0);
		fprintf(stderr, "  %-24s %-8s %-12s %" PRIu64 "\n",
		    l->calls[i].name, an ? an : "?", l->calls[i].action,
		    l->calls[i].count);
	}
}

static int
parse_allow(struct lopts *o, char *list)
{
	char *save = NULL, *n;

	for (n = strtok_r(list, ",", &save); n != NULL;
	    n = strtok_r(NULL, ",", &save)) {
		if (seccomp_syscall_resolve_name(n) == __NR_SCMP_ERROR) {
			fprintf(stderr, "seccompmon learn: --allow %s: no such "
			    "system call on this architecture\n", n);
			return -1;
		}
		if (o->nallow == ALLOW_MAX) {
			fprintf(stderr, "seccompmon learn: --allow: more than "
			    "%d names\n", ALLOW_MAX);
			return -1;
		}
		o->allow[o->nallow++] = n;
	}
	return 0;
}

/* The uid and primary gid of --user (a name or a number). */
static int
find_user(struct lopts *o, const char *name)
{
	struct passwd *pw;
	char *end;
	unsigned long n;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		n = strtoul(name, &end, 10);
		if (*name != '\0' && *end == '\0')
			pw = getpwuid((uid_t)n);
	}
	if (pw == NULL) {
		fprintf(stderr, "seccompmon learn: --user %s: no such user\n",
		    name);
		return -1;
	}
	o->uid = pw->pw_uid;
	o->gid = pw->pw_gid;
	if ((o->user = strdup(pw->pw_name)) == NULL)
		return -1;
	return 0;
}

static int
parse_opts(int argc, char **argv, struct lopts *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "base", required_argument, NULL, 'b' },
		{ "diff", no_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'F' },
		{ "allow", required_argument, NULL, 'a' },
		{ "log-all", no_argument, NULL, 'N' },
		{ "output", required_argument, NULL, 'o' },
		{ "user", required_argument, NULL, 'u' },
		{ "list-baseline", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *name;
	size_t i;
	int ch;

	optind = 1;
	/* "+": options end at the command's name, as for env(1). */
	while ((ch = getopt_long(argc, argv, "+ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "oci") == 0)
				o->format = LF_OCI;
			else if (strcmp(optarg, "systemd") == 0)
				o->format = LF_SYSTEMD;
			else if (strcmp(optarg, "seccompmon") == 0)
				o->format = LF_SECCOMPMON;
			else {
				fprintf(stderr, "seccompmon learn: --format "
				    "%s: expected oci, systemd or seccompmon\n",
				    optarg);
				return 2;
			}
			break;
		case 'b':
			o->base = optarg;
			break;
		case 'd':
			o->diff = 1;
			break;
		case 'F':
			o->flags |= PROFGEN_FORCE;
			break;
		case 'a':
			if (parse_allow(o, optarg) < 0)
				return 2;
			break;
		case 'N':
			o->log_all = 1;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'u':
			if (find_user(o, optarg) < 0)
				return 2;
			break;
		case 'L':
			for (i = 0; (name = profgen_baseline_name(i)); i++)
				printf("%s\n", name);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "seccompmon learn: name the command to run, "
		    "after --\n");
		usage(stderr);
		return 2;
	}
	if ((o->base != NULL || o->diff) && o->format != LF_OCI) {
		fprintf(stderr, "seccompmon learn: --base and --diff go with "
		    "--format oci\n");
		return 2;
	}
	if (o->diff && o->base == NULL) {
		fprintf(stderr, "seccompmon learn: --diff needs --base\n");
		return 2;
	}
	return -1;
}

/*
 * Check what learning needs of the kernel before the command runs: the
 * log action logged.  0, or 1 with the reason printed.
 */
static int
preflight(void)
{
	char buf[256];

	if (procfile_read("/proc/sys/kernel/seccomp/actions_logged", buf,
	    sizeof(buf), 1) < 0) {
		fprintf(stderr, "seccompmon learn: "
		    "/proc/sys/kernel/seccomp/actions_logged: %s\n",
		    strerror(errno));
		return 1;
	}
	if (policy_actions_parse(buf) & POLICY_ACTION_BIT(POLICY_LOG))
		return 0;
	fprintf(stderr, "seccompmon learn: the kernel does not log the log "
	    "action (kernel.seccomp.actions_logged = \"%s\"): add \"log\" "
	    "to it\n", buf);
	return 1;
}

/* Read the child's pipe until it closes: 0 exec'd, -1 with the reason. */
static int
child_started(int fd, struct cmsg *session, char **cmd)
{
	struct cmsg m;
	ssize_t r;
	int got = 0;

	for (;;) {
		r = read(fd, &m, sizeof(m));
		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)sizeof(m))
			break;
		if (m.stage == CS_SESSION) {
			*session = m;
			got = 1;
		} else {
			fprintf(stderr, "seccompmon learn: %s: %s\n",
			    m.stage == CS_LOAD ? "loading the filter" :
			    m.stage == CS_USER ? "changing user" : cmd[0],
			    strerror(m.err));
			return -1;
		}
	}
	if (!got) {
		fprintf(stderr, "seccompmon learn: the command's process ended "
		    "before it started\n");
		return -1;
	}
	return 0;
}

static void
report_status(const char *cmd, int status)
{
	if (WIFEXITED(status))
		fprintf(stderr, "seccompmon learn: %s exited with status %d\n",
		    cmd, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "seccompmon learn: %s was killed by signal "
		    "%d (%s)%s\n", cmd, WTERMSIG(status),
		    signal_name(WTERMSIG(status)) ?
		    signal_name(WTERMSIG(status)) : "?",
		    WTERMSIG(status) == SIGSYS ? ": a filter of its own "
		    "killed it, so calls after that one were not made" : "");
}

/* Add the allowed names to g on every arch that has them. */
static int
add_allowed(struct profgen *g, const char **allowed, size_t nallowed,
    const uint32_t *arches, size_t narches)
{
	size_t i, j;

	for (i = 0; i < nallowed; i++)
		for (j = 0; j < narches; j++)
			if (systab_syscall_number(arches[j], allowed[i]) >= 0 &&
			    profgen_add(g, arches[j], allowed[i], NULL) < 0 &&
			    errno == ENOMEM)
				return -1;
	return 0;
}

int
learncmd_main(int argc, char **argv)
{
	static struct learn L;		/* big: the decode arena */
	struct lopts o;
	struct learn *l = &L;
	struct auditnl *nl = NULL;
	struct auditmsg_status st0, st1;
	struct cmsg session;
	struct sigaction sa, old_int, old_quit, old_term, old_hup;
	scmp_filter_ctx ctx = NULL;
	json_object *base = NULL;
	const struct profgen_note *notes;
	const char *allowed[ALLOW_MAX + 128];
	char *base_text = NULL, *text = NULL, err[256], buf[256], src[512];
	uint32_t arches[8];
	size_t nallowed = 0, narches = 0, i, n;
	uint64_t lost = 0, klost = 0;
	int64_t deadline = 0;
	int pfd[2] = { -1, -1 }, status = 0, have_status = 0, rc = 1;
	int child_done = 0, unconfirmed = 0, kstat;
	pid_t w;

	memset(&o, 0, sizeof(o));
	memset(l, 0, sizeof(*l));
	if ((rc = parse_opts(argc, argv, &o)) >= 0) {
		free(o.user);
		return rc;
	}
	rc = 1;
	if (systab_init() < 0 || (l->g = profgen_new()) == NULL) {
		fprintf(stderr, "seccompmon learn: out of memory\n");
		return 1;
	}
	if (o.base != NULL &&
	    profilecmd_read_base("learn", o.base, &base_text, &base) < 0)
		goto out;
	if (preflight() != 0)
		goto out;
	if ((ctx = learn_filter(&o, base, allowed, &nallowed, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "seccompmon learn: the filter: %s\n", err);
		goto out;
	}
	if ((nl = auditnl_open(LEARN_RCVBUF, on_record, l)) == NULL) {
		fprintf(stderr, "seccompmon learn: the audit socket: %s\n",
		    errno == EPROTONOSUPPORT ? "this kernel has no audit "
		    "(built without it, or booted with audit=0)" :
		    strerror(errno));
		goto out;
	}
	if (auditnl_join(nl) < 0) {
		fprintf(stderr, "seccompmon learn: joining the audit log "
		    "group: %s%s\n", strerror(errno), errno == EPERM ?
		    " (needs CAP_AUDIT_READ, in the initial user namespace)" :
		    "");
		goto out;
	}
	kstat = auditnl_status(nl, &st0) == 0;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		fprintf(stderr, "seccompmon learn: pipe: %s\n",
		    strerror(errno));
		goto out;
	}
	(void)fflush(NULL);
	if ((l->child = fork()) < 0) {
		fprintf(stderr, "seccompmon learn: fork: %s\n",
		    strerror(errno));
		goto out;
	}
	if (l->child == 0) {
		(void)close(pfd[0]);
		(void)close(auditnl_fd(nl));
		child_run(pfd[1], ctx, &o, argv + optind);
	}
	(void)close(pfd[1]);
	pfd[1] = -1;
	/* The terminal's ^C and ^\ are the command's to handle. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGINT, &sa, &old_int);
	(void)sigaction(SIGQUIT, &sa, &old_quit);
	sa.sa_handler = on_forward;
	(void)sigaction(SIGTERM, &sa, &old_term);
	(void)sigaction(SIGHUP, &sa, &old_hup);
	if (child_started(pfd[0], &session, argv + optind) < 0) {
		(void)waitpid(l->child, NULL, 0);
		goto restore;
	}
	l->ses = session.ses;
	l->own = session.own;
	if (!l->own)
		fprintf(stderr, "seccompmon learn: warning: no audit session "
		    "of its own for the command (%s); its records are told "
		    "from others of session %" PRIu32 " by its process tree, "
		    "and those of processes already gone are left out\n",
		    session.err ? strerror(session.err) : "no session id",
		    l->ses);

	for (;;) {
		struct pollfd p = { auditnl_fd(nl), POLLIN, 0 };

		if (poll(&p, 1, 100) < 0 && errno != EINTR) {
			fprintf(stderr, "seccompmon learn: poll: %s\n",
			    strerror(errno));
			break;
		}
		if (Forward != 0 && !child_done) {
			(void)kill(l->child, Forward);
			Forward = 0;
		}
		if (auditnl_drain(nl, 64) < 0) {
			fprintf(stderr, "seccompmon learn: reading the audit "
			    "socket: %s\n", strerror(errno));
			break;
		}
		if (!child_done) {
			w = waitpid(l->child, &status, WNOHANG);
			if (w == l->child || (w < 0 && errno == ECHILD)) {
				child_done = 1;
				have_status = w == l->child;
				l->marker = marker_spawn();
				deadline = mono_ms() + MARKER_WAIT_MS;
			}
		} else if (l->marker_seen)
			break;
		else if (mono_ms() > deadline || l->marker < 0) {
			unconfirmed = 1;
			break;
		}
	}
	if (l->marker > 0)
		(void)waitpid(l->marker, NULL, 0);
	(void)auditnl_drain(nl, 1024);
	(void)auditnl_drops(nl);
	lost = auditnl_counters(nl)->enobufs + auditnl_counters(nl)->dropped;
	if (kstat && auditnl_status(nl, &st1) == 0 && st1.lost > st0.lost)
		klost = st1.lost - st0.lost;
	if (have_status)
		report_status(argv[optind], status);
	if (!child_done)
		goto restore;
	summary(l);

	arches[narches++] = seccomp_arch_native();
	for (i = 0; i < l->ncalls; i++) {
		for (n = 0; n < narches && arches[n] != l->calls[i].arch; n++)
			;
		if (n == narches && narches < sizeof(arches) /
		    sizeof(arches[0]))
			arches[narches++] = l->calls[i].arch;
	}
	if (base == NULL && add_allowed(l->g, allowed, nallowed, arches,
	    narches) < 0)
		l->nomem = 1;
	else if (base != NULL && add_allowed(l->g, allowed + nallowed -
	    o.nallow, o.nallow, arches, narches) < 0)
		l->nomem = 1;
	if (l->nomem) {
		fprintf(stderr, "seccompmon learn: out of memory\n");
		goto restore;
	}
	(void)snprintf(src, sizeof(src), "seccompmon learn -- %s",
	    argv[optind]);
	text = profile_text(l->g, &o, base, base_text, src);
	notes = profgen_notes(l->g, &n);
	for (i = 0; i < n; i++) {
		/* The made-up base's arches and allows are no news. */
		if (base == NULL && (notes[i].why == PROFGEN_ARCH_ADDED ||
		    notes[i].why == PROFGEN_OTHER_ARCH))
			continue;
		/* The base's own allows, recorded under conditions. */
		if (notes[i].why == PROFGEN_ALLOWED)
			continue;
		fprintf(stderr, "seccompmon learn: %s\n",
		    profgen_note_format(&notes[i], buf, sizeof(buf)));
	}
	if (text == NULL || write_out(o.output, text) < 0)
		goto restore;
	rc = 0;
	if (l->malformed > 0)
		fprintf(stderr, "seccompmon learn: %" PRIu64 " records could "
		    "not be decoded\n", l->malformed);
	if (l->unnamed > 0)
		fprintf(stderr, "seccompmon learn: %" PRIu64 " records had no "
		    "call name for their architecture: left out\n", l->unnamed);
	if (l->unattributed > 0) {
		fprintf(stderr, "seccompmon learn: warning: %" PRIu64
		    " records of the session came from processes gone before "
		    "they could be placed in the command's tree: left out\n",
		    l->unattributed);
		rc = 3;
	}
	if (lost > 0 || klost > 0) {
		fprintf(stderr, "seccompmon learn: warning: records were lost "
		    "(%" PRIu64 " at this socket, %" PRIu64 " by the kernel "
		    "from any process): the profile may miss calls\n", lost,
		    klost);
		rc = 3;
	}
	if (unconfirmed) {
		fprintf(stderr, "seccompmon learn: warning: the end of the "
		    "command's records could not be confirmed within %d ms: "
		    "the profile may miss calls\n", MARKER_WAIT_MS);
		rc = 3;
	}
restore:
	(void)sigaction(SIGINT, &old_int, NULL);
	(void)sigaction(SIGQUIT, &old_quit, NULL);
	(void)sigaction(SIGTERM, &old_term, NULL);
	(void)sigaction(SIGHUP, &old_hup, NULL);
out:
	free(text);
	if (pfd[0] >= 0)
		(void)close(pfd[0]);
	if (pfd[1] >= 0)
		(void)close(pfd[1]);
	auditnl_close(nl);
	if (ctx != NULL)
		seccomp_release(ctx);
	json_object_put(base);
	free(base_text);
	free(o.user);
	profgen_free(l->g);
	return rc;
}
