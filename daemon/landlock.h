/*
 * The daemon's Landlock ruleset: what seccomp cannot say, the paths.  Once
 * serving, the daemon reads /proc, the user and group databases and the pod
 * log directory, and writes in each file output's directory; nothing else.
 * Best effort by ABI: only the rights both this code (up to ABI 7) and the
 * kernel know are handled.  The kernel's uapi owns landlock_ruleset_attr,
 * landlock_path_beneath_attr and the three syscall names; none is used here.
 */
#ifndef SECCOMPMON_LANDLOCK_H
#define SECCOMPMON_LANDLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct conf;

/*
 * The newest Landlock ABI this code knows.  A newer kernel's rights stay
 * unhandled, hence allowed: ABI 8 restricts pathname unix sockets, which
 * the syslog and journald outputs send to.
 */
#define LANDLOCK_ABI_MAX	7

/* What the configuration's "context" section will name; its defaults now. */
#define LANDLOCK_PROC		"/proc"
#define LANDLOCK_PASSWD		"/etc/passwd"
#define LANDLOCK_GROUP		"/etc/group"
#define LANDLOCK_POD_LOG_DIR	"/var/log/pods"

/* What the daemon opens after the filter, by path; NULL: nothing. */
struct landlock_paths {
	const char	*proc;		/* read, list: process context */
	const char	*passwd;	/* read files in its directory */
	const char	*group;		/* read files in its directory */
	const char	*pod_log_dir;	/* read, list */
	const char	**files;	/* file outputs: write in each directory */
	size_t		 nfiles;
};

/* One rule: a directory and the rights granted beneath it. */
struct landlock_dir {
	char		*path;
	uint64_t	 access;	/* LANDLOCK_ACCESS_FS_*, of the ABI used */
	char		*why;		/* "the user database /etc/passwd; ..." */
	int		 missing;	/* errno: not there, so left out */
};

struct landlock_ctx {
	int		 abi;		/* the kernel's; 0: no Landlock */
	int		 abi_err;	/* with abi 0: ENOSYS, EOPNOTSUPP, ... */
	int		 used;		/* the ABI planned for: min(abi, MAX) */
	uint64_t	 fs;		/* handled: denied but where a rule says */
	uint64_t	 net;		/* handled TCP rights; no rule grants any */
	uint64_t	 scoped;	/* LANDLOCK_SCOPE_* */
	struct landlock_dir *dirs;
	size_t		 ndirs;
	int		 fd;		/* the ruleset; -1 */
	int		 applied;
};

/*
 * The paths c needs: /proc, the databases and the pod directory (the
 * "context" section's defaults until it exists) and each file output.
 * p->files is malloc'ed: landlock_paths_free().  0, or -1 (ENOMEM).
 */
int landlock_paths_from_conf(struct landlock_paths *p, const struct conf *c);
void landlock_paths_free(struct landlock_paths *p);

/*
 * The kernel's Landlock ABI (landlock_create_ruleset with
 * LANDLOCK_CREATE_RULESET_VERSION), or 0 with *err (ENOSYS: not built in,
 * EOPNOTSUPP: disabled at boot).
 */
int landlock_abi(int *err);

/*
 * Fill ll with the ruleset for p at ABI abi (1 to LANDLOCK_ABI_MAX; a
 * higher one is taken as MAX): the handled rights and one landlock_dir per
 * directory, rights merged where two uses share one; a directory that does
 * not exist is kept with missing set.  Sets ll->abi to abi and ll->fd to -1;
 * opens nothing.  0, or -1 with errno (ENOMEM, ENAMETOOLONG); ll is then
 * empty.  Free with landlock_free().
 */
int landlock_plan(struct landlock_ctx *ll, const struct landlock_paths *p,
    int abi);

/*
 * Before shedding: probe the kernel, plan, create the ruleset and add a
 * rule for each directory there is (each opened O_PATH, then closed).
 * Without Landlock in the kernel, a warning, or an error when required.
 * 0 with ll->fd ready, or ll->fd -1 when there is nothing to apply; -1
 * (logged) when required and there is no ruleset.  Always landlock_free().
 */
int landlock_prepare(struct landlock_ctx *ll, const struct landlock_paths *p,
    int required);

/*
 * After shedding, before any thread starts (a ruleset binds the calling
 * thread and the threads it starts later, nothing else): NO_NEW_PRIVS, then
 * landlock_restrict_self.  Refused when the process has threads already.
 * 0 (also with nothing to apply), or -1 (logged).  Closes ll->fd.
 */
int landlock_apply(struct landlock_ctx *ll);

/*
 * One line on what confines the process: "Landlock ABI 7: read /proc, ...",
 * or why there is no Landlock (disabled, not in the kernel, failed).
 */
void landlock_describe(const struct landlock_ctx *ll, int enabled, char *buf,
    size_t len);

/*
 * The ruleset as comment lines ("// ...") for "seccompmon policy show":
 * each directory with its rights and why, those left out, the handled
 * rights, TCP and scopes.  ll from landlock_plan(); kernel_abi and
 * kernel_err as landlock_abi() gave them.
 */
void landlock_print(FILE *f, const struct landlock_ctx *ll, int enabled,
    int required, int kernel_abi, int kernel_err);

void landlock_free(struct landlock_ctx *ll);

#endif
