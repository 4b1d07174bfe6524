/*
 * Landlock for the daemon.  Rules bind to inodes, not names: a database
 * replaced by rename (useradd writes /etc/passwd+ and renames it over) is a
 * new inode, so the rule goes on the directory that holds it, and a file
 * output's rule on its directory, where rotation makes new files.  The
 * raw syscalls and our own ruleset struct: the installed uapi header may
 * be older than the kernel (Debian 12's knows ABI 2).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/landlock.h>

#include "daemon/conf.h"
#include "daemon/landlock.h"
#include "daemon/log.h"

/* What Debian 12's header (6.1) lacks. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV		(1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#define SYS_landlock_add_rule		445
#define SYS_landlock_restrict_self	446
#endif

/*
 * struct landlock_ruleset_attr as of ABI 6.  The kernel takes a shorter
 * one and refuses a longer one with non-zero bytes it does not know
 * (copy_struct_from_user()), so the size passed follows the ABI.
 */
struct ruleset_attr {
	uint64_t	handled_access_fs;	/* ABI 1 */
	uint64_t	handled_access_net;	/* ABI 4 */
	uint64_t	scoped;			/* ABI 6 */
};

/* The rights of each use of a directory (masked by the ABI's). */
#define RIGHTS_READ_TREE (LANDLOCK_ACCESS_FS_READ_FILE | \
	LANDLOCK_ACCESS_FS_READ_DIR)
#define RIGHTS_READ_FILES LANDLOCK_ACCESS_FS_READ_FILE
/*
 * A file output: open for appending (WRITE_FILE), a new file at rotation
 * and on SIGHUP (MAKE_REG), renameat within the directory (REMOVE_FILE on
 * the source and on the oldest file it replaces, MAKE_REG on the target;
 * no REFER: never across directories), ftruncate of a file opened after
 * the ruleset (TRUNCATE, ABI 3).  fchmod, fchown and fstatat are not
 * Landlock rights.  Opening the directory is O_PATH, which no right covers.
 */
#define RIGHTS_WRITE (LANDLOCK_ACCESS_FS_WRITE_FILE | \
	LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
	LANDLOCK_ACCESS_FS_TRUNCATE)

/* Every right, with the ABI it came with; names as the kernel's. */
static const struct {
	uint64_t	 bit;
	int		 abi;
	const char	*name;
	const char	*word;		/* for the start-up line */
} fs_rights[] = {
	{ LANDLOCK_ACCESS_FS_EXECUTE, 1, "EXECUTE", "execute" },
	{ LANDLOCK_ACCESS_FS_WRITE_FILE, 1, "WRITE_FILE", "write" },
	{ LANDLOCK_ACCESS_FS_READ_FILE, 1, "READ_FILE", "read" },
	{ LANDLOCK_ACCESS_FS_READ_DIR, 1, "READ_DIR", "list" },
	{ LANDLOCK_ACCESS_FS_REMOVE_DIR, 1, "REMOVE_DIR", "rmdir" },
	{ LANDLOCK_ACCESS_FS_REMOVE_FILE, 1, "REMOVE_FILE", "remove" },
	{ LANDLOCK_ACCESS_FS_MAKE_CHAR, 1, "MAKE_CHAR", "mkchar" },
	{ LANDLOCK_ACCESS_FS_MAKE_DIR, 1, "MAKE_DIR", "mkdir" },
	{ LANDLOCK_ACCESS_FS_MAKE_REG, 1, "MAKE_REG", "create" },
	{ LANDLOCK_ACCESS_FS_MAKE_SOCK, 1, "MAKE_SOCK", "mksock" },
	{ LANDLOCK_ACCESS_FS_MAKE_FIFO, 1, "MAKE_FIFO", "mkfifo" },
	{ LANDLOCK_ACCESS_FS_MAKE_BLOCK, 1, "MAKE_BLOCK", "mkblock" },
	{ LANDLOCK_ACCESS_FS_MAKE_SYM, 1, "MAKE_SYM", "symlink" },
	{ LANDLOCK_ACCESS_FS_REFER, 2, "REFER", "refer" },
	{ LANDLOCK_ACCESS_FS_TRUNCATE, 3, "TRUNCATE", "truncate" },
	{ LANDLOCK_ACCESS_FS_IOCTL_DEV, 5, "IOCTL_DEV", "ioctl" },
};
#define NRIGHTS (sizeof(fs_rights) / sizeof(fs_rights[0]))

static uint64_t
fs_mask(int abi)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < NRIGHTS; i++)
		if (fs_rights[i].abi <= abi)
			m |= fs_rights[i].bit;
	return m;
}

int
landlock_paths_from_conf(struct landlock_paths *p, const struct conf *c)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	/* /proc: the process context and the gap report read it. */
	if (c->context.enabled || c->gaps.enabled)
		p->proc = LANDLOCK_PROC;
	/* What else the process context reads (none when it is off). */
	if (c->context.enabled) {
		p->passwd = conf_context_passwd(c);
		p->group = conf_context_group(c);
		p->pod_log_dir = conf_context_pod_log_dir(c);
	}
	if (c->noutputs > 0 &&
	    (p->files = calloc(c->noutputs, sizeof(*p->files))) == NULL)
		return -1;
	for (i = 0; i < c->noutputs; i++)
		if (c->outputs[i].type == CONF_OUT_FILE &&
		    c->outputs[i].path != NULL)
			p->files[p->nfiles++] = c->outputs[i].path;
	return 0;
}

void
landlock_paths_free(struct landlock_paths *p)
{
	free(p->files);
	p->files = NULL;
	p->nfiles = 0;
}

/* Why there is no Landlock, from landlock_abi()'s errno. */
static const char *
absent_why(int err)
{
	switch (err) {
	case ENOSYS:
		return "not in this kernel";
	case EOPNOTSUPP:
		return "disabled at boot";
	case EPERM:
		return "denied by a seccomp filter";
	default:
		return "not available";
	}
}

int
landlock_abi(int *err)
{
	long v;

	v = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (v <= 0) {
		*err = v < 0 ? errno : EINVAL;
		return 0;
	}
	*err = 0;
	return v > INT_MAX ? INT_MAX : (int)v;
}

/* Add or merge a rule on dir for why.  0, or -1 (ENOMEM). */
static int
dir_add(struct landlock_ctx *ll, const char *dir, uint64_t access,
    const char *why)
{
	struct landlock_dir *d, *n;
	struct stat st;
	char *w;
	size_t i;

	for (i = 0; i < ll->ndirs; i++) {
		d = &ll->dirs[i];
		if (strcmp(d->path, dir) != 0)
			continue;
		d->access |= access;
		if ((w = malloc(strlen(d->why) + strlen(why) + 3)) == NULL)
			return -1;
		sprintf(w, "%s; %s", d->why, why);
		free(d->why);
		d->why = w;
		return 0;
	}
	if ((n = realloc(ll->dirs, (ll->ndirs + 1) * sizeof(*n))) == NULL)
		return -1;
	ll->dirs = n;
	d = &n[ll->ndirs];
	memset(d, 0, sizeof(*d));
	if ((d->path = strdup(dir)) == NULL ||
	    (d->why = strdup(why)) == NULL) {
		free(d->path);
		return -1;
	}
	d->access = access;
	if (stat(dir, &st) < 0)
		d->missing = errno;
	else if (!S_ISDIR(st.st_mode))
		d->missing = ENOTDIR;
	ll->ndirs++;
	return 0;
}

/* The directory that holds path ("/" for "/x"), into buf.  0, or -1. */
static int
parent_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL || path[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n);
	buf[n] = '\0';
	return 0;
}

/* A rule for the directory holding path, with why "WHAT path". */
static int
parent_add(struct landlock_ctx *ll, const char *path, uint64_t access,
    const char *what)
{
	char dir[PATH_MAX], why[PATH_MAX + 64];

	if (parent_of(path, dir, sizeof(dir)) < 0)
		return -1;
	snprintf(why, sizeof(why), "%s %s", what, path);
	return dir_add(ll, dir, access, why);
}

int
landlock_plan(struct landlock_ctx *ll, const struct landlock_paths *p,
    int abi)
{
	uint64_t fs;
	size_t i;
	int err;

	memset(ll, 0, sizeof(*ll));
	ll->fd = -1;
	ll->abi = abi;
	ll->used = abi > LANDLOCK_ABI_MAX ? LANDLOCK_ABI_MAX : abi;
	fs = ll->fs = fs_mask(ll->used);
	if (ll->used >= 4)
		ll->net = LANDLOCK_ACCESS_NET_BIND_TCP |
		    LANDLOCK_ACCESS_NET_CONNECT_TCP;
	if (ll->used >= 6)
		ll->scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
		    LANDLOCK_SCOPE_SIGNAL;
	if ((p->proc != NULL && dir_add(ll, p->proc, RIGHTS_READ_TREE & fs,
	    "process context: /proc/PID/stat, cmdline, cgroup, status; gap "
	    "reports: the listing, status, cgroup, the sysctl") < 0) ||
	    (p->passwd != NULL && parent_add(ll, p->passwd,
	    RIGHTS_READ_FILES & fs, "the user database") < 0) ||
	    (p->group != NULL && parent_add(ll, p->group,
	    RIGHTS_READ_FILES & fs, "the group database") < 0) ||
	    (p->pod_log_dir != NULL && dir_add(ll, p->pod_log_dir,
	    RIGHTS_READ_TREE & fs, "the pod log directory") < 0))
		goto fail;
	for (i = 0; i < p->nfiles; i++)
		if (parent_add(ll, p->files[i], RIGHTS_WRITE & fs,
		    "file output") < 0)
			goto fail;
	return 0;
fail:
	err = errno;
	landlock_free(ll);
	ll->abi = abi;
	errno = err;
	return -1;
}

/* Add the rule for d to the ruleset fd.  0, or -1 with errno. */
static int
dir_rule(int fd, struct landlock_dir *d)
{
	struct landlock_path_beneath_attr pb;
	int err;

	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = d->access;
	if ((pb.parent_fd = open(d->path, O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) < 0) {
		/* Gone since it was planned: left out, as if missing. */
		if (errno == ENOENT || errno == ENOTDIR) {
			d->missing = errno;
			return 0;
		}
		return -1;
	}
	if (syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH,
	    &pb, 0) < 0) {
		err = errno;
		(void)close(pb.parent_fd);
		errno = err;
		return -1;
	}
	(void)close(pb.parent_fd);
	return 0;
}

int
landlock_prepare(struct landlock_ctx *ll, const struct landlock_paths *p,
    int required)
{
	struct ruleset_attr attr;
	size_t i, size;
	int abi, err;

	memset(ll, 0, sizeof(*ll));
	ll->fd = -1;
	if ((abi = landlock_abi(&err)) == 0) {
		ll->abi_err = err;
		log_msg(required ? LOG_ERR : LOG_WARNING, "Landlock: %s (%s): "
		    "the daemon's paths are not confined%s", absent_why(err),
		    strerrorname_np(err) ? strerrorname_np(err) : "?",
		    required ? ", and landlock.required is set: not starting" :
		    "");
		return required ? -1 : 0;
	}
	if (landlock_plan(ll, p, abi) < 0) {
		log_errno(LOG_ERR, "Landlock: planning the ruleset");
		goto fail;
	}
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = ll->fs;
	attr.handled_access_net = ll->net;
	attr.scoped = ll->scoped;
	size = ll->used >= 6 ? sizeof(attr) : ll->used >= 4 ?
	    2 * sizeof(uint64_t) : sizeof(uint64_t);
	if ((ll->fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size,
	    0)) < 0) {
		log_errno(LOG_ERR, "Landlock: creating a ruleset (ABI %d)",
		    ll->used);
		goto fail;
	}
	for (i = 0; i < ll->ndirs; i++) {
		if (ll->dirs[i].missing)
			continue;
		if (dir_rule(ll->fd, &ll->dirs[i]) < 0) {
			log_errno(LOG_ERR, "Landlock: a rule for %s",
			    ll->dirs[i].path);
			goto fail;
		}
	}
	return 0;
fail:
	if (ll->fd >= 0)
		(void)close(ll->fd);
	ll->fd = -1;
	if (required) {
		log_msg(LOG_ERR, "Landlock: no ruleset, and landlock.required "
		    "is set: not starting");
		return -1;
	}
	log_msg(LOG_ERR, "Landlock: the daemon's paths are NOT confined");
	return 0;
}

/* Threads of this process (entries of /proc/self/task), or -1. */
static int
count_threads(void)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	if ((d = opendir("/proc/self/task")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	(void)closedir(d);
	return n;
}

int
landlock_apply(struct landlock_ctx *ll)
{
	int n, rc = -1;

	if (ll->fd < 0)
		return 0;
	if ((n = count_threads()) != 1) {
		if (n < 0)
			log_errno(LOG_ERR, "Landlock: counting threads "
			    "(/proc/self/task)");
		else
			log_msg(LOG_ERR, "Landlock: %d threads already: a "
			    "ruleset would bind only this one", n);
		goto out;
	}
	/* Without CAP_SYS_ADMIN (shed by now) restrict_self needs it. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_errno(LOG_ERR, "Landlock: PR_SET_NO_NEW_PRIVS");
		goto out;
	}
	if (syscall(SYS_landlock_restrict_self, ll->fd, 0) < 0) {
		log_errno(LOG_ERR, "Landlock: landlock_restrict_self");
		goto out;
	}
	ll->applied = 1;
	rc = 0;
out:
	(void)close(ll->fd);
	ll->fd = -1;
	return rc;
}

/* "read, list" for access, into buf. */
static void
words(uint64_t access, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < NRIGHTS && n < len; i++)
		if (access & fs_rights[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? ", " : "", fs_rights[i].word);
}

/* Append to buf at *n, as snprintf would; *n stops at len - 1. */
static void
add(char *buf, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*n >= len - 1)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (r > 0)
		*n = *n + (size_t)r >= len ? len - 1 : *n + (size_t)r;
}

void
landlock_describe(const struct landlock_ctx *ll, int enabled, char *buf,
    size_t len)
{
	char w[128];
	size_t i, n = 0;
	int first = 1;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (!enabled) {
		add(buf, len, &n, "NO Landlock (disabled by landlock.enabled)");
		return;
	}
	if (ll->abi == 0) {
		add(buf, len, &n, "NO Landlock (%s)", absent_why(ll->abi_err));
		return;
	}
	if (!ll->applied) {
		add(buf, len, &n, "NO Landlock (the ruleset did not load)");
		return;
	}
	add(buf, len, &n, "Landlock ABI %d:", ll->used);
	for (i = 0; i < ll->ndirs; i++) {
		if (ll->dirs[i].missing)
			continue;
		words(ll->dirs[i].access, w, sizeof(w));
		add(buf, len, &n, "%s %s (%s)", first ? "" : ",",
		    ll->dirs[i].path, w);
		first = 0;
	}
	if (first)
		add(buf, len, &n, " no path");
	add(buf, len, &n, ", nothing else");
	if (ll->net)
		add(buf, len, &n, "; no TCP bind or connect");
	if (ll->scoped)
		add(buf, len, &n, "; abstract unix sockets and signals "
		    "scoped");
}

void
landlock_print(FILE *f, const struct landlock_ctx *ll, int enabled,
    int required, int kernel_abi, int kernel_err)
{
	const struct landlock_dir *d;
	size_t i, j;

	if (!enabled) {
		fprintf(f, "// landlock: disabled (landlock.enabled is false): "
		    "no ruleset; paths are bounded by the seccomp list and "
		    "file modes only.\n");
		return;
	}
	if (kernel_abi == 0)
		fprintf(f, "// landlock: this kernel has none (%s): the daemon "
		    "would %s.\n// With Landlock ABI %d it applies:\n",
		    strerrorname_np(kernel_err) ? strerrorname_np(kernel_err) :
		    "?", required ? "refuse to start (landlock.required)" :
		    "run without it, and warn", ll->used);
	else
		fprintf(f, "// landlock: this kernel has ABI %d; the daemon "
		    "uses ABI %d and applies, before its output threads "
		    "start:\n", kernel_abi, ll->used);
	fprintf(f, "//   file system: nothing but these directories and "
	    "what is beneath them:\n");
	for (i = 0; i < ll->ndirs; i++) {
		d = &ll->dirs[i];
		fprintf(f, "//     %s:", d->path);
		for (j = 0; j < NRIGHTS; j++)
			if (d->access & fs_rights[j].bit)
				fprintf(f, " %s", fs_rights[j].name);
		fprintf(f, " -- %s%s%s\n", d->why, d->missing ? "; MISSING, "
		    "left out: " : "", d->missing ? (strerrorname_np(
		    d->missing) ? strerrorname_np(d->missing) : "?") : "");
	}
	fprintf(f, "//   handled (denied where no rule grants it):");
	for (j = 0; j < NRIGHTS; j++)
		if (ll->fs & fs_rights[j].bit)
			fprintf(f, " %s", fs_rights[j].name);
	fprintf(f, "\n//   TCP bind and connect: %s\n", ll->net ? "denied "
	    "(ABI 4; no rule)" : "not restricted (needs ABI 4)");
	fprintf(f, "//   abstract unix sockets and signals to processes "
	    "outside: %s\n", ll->scoped ? "denied (ABI 6 scopes)" :
	    "not restricted (needs ABI 6)");
}

void
landlock_free(struct landlock_ctx *ll)
{
	size_t i;

	for (i = 0; i < ll->ndirs; i++) {
		free(ll->dirs[i].path);
		free(ll->dirs[i].why);
	}
	free(ll->dirs);
	ll->dirs = NULL;
	ll->ndirs = 0;
	if (ll->fd >= 0)
		(void)close(ll->fd);
	ll->fd = -1;
}
