/*
 * The daemon's own seccomp policy: the Beats-style model (enabled,
 * default_action, syscalls: [{action, names}]), validation against the
 * running architecture and kernel, compilation with libseccomp, and
 * loading; its JSON form is policyjson.h's.  Nothing here logs or exits:
 * errors go into a struct errlist, each with the key path it concerns, so
 * that the caller can add file and line.
 */
#ifndef SECCOMPMON_POLICY_H
#define SECCOMPMON_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "policy/errlist.h"

enum policy_action {
	POLICY_ERRNO,		/* fail with an errno: EPERM unless set */
	POLICY_TRACE,		/* to a ptrace tracer; none: ENOSYS */
	POLICY_TRAP,		/* SIGSYS to the thread */
	POLICY_KILL_THREAD,
	POLICY_KILL_PROCESS,	/* Linux 4.14 */
	POLICY_LOG,		/* audited, then allowed; Linux 4.14 */
	POLICY_ALLOW,
	POLICY_NACTIONS
};

/* A bit per action, as in /proc/sys/kernel/seccomp/actions_avail. */
#define POLICY_ACTION_BIT(a) (1u << (a))
#define POLICY_ALL_ACTIONS ((1u << POLICY_NACTIONS) - 1)

struct policy_rule {
	enum policy_action	  action;
	int			  err;		/* POLICY_ERRNO: the errno */
	char			**names;
	size_t			  nnames;
	char			  path[48];	/* "seccomp.syscalls[2]" */
};

enum policy_origin {
	POLICY_NONE,		/* no built-in for this arch, none configured */
	POLICY_BUILTIN,		/* the embedded list for the arch */
	POLICY_CUSTOM,		/* seccomp.syscalls from the configuration */
};

struct policy {
	int			 enabled;	/* false: no filter at all */
	int			 required;	/* a policy error is fatal */
	enum policy_origin	 origin;
	uint32_t		 arch;		/* SCMP_ARCH_* token */
	enum policy_action	 default_action;
	int			 default_err;
	struct policy_rule	*rules;
	size_t			 nrules;
};

/* "errno", "trace", ... and back; -1 for an unknown name. */
const char *policy_action_name(enum policy_action a);
int policy_action_parse(const char *name);

/* The list of action names, "errno, trace, ..., allow", for messages. */
const char *policy_action_list(void);

/* The architecture this process runs on, as a SCMP_ARCH_* token. */
uint32_t policy_native_arch(void);

/* "x86_64", "i386", "aarch64", ... for a SCMP_ARCH_* token, or "unknown". */
const char *policy_arch_name(uint32_t arch);

/*
 * Start p as the built-in policy for arch (enabled, errno default, the
 * embedded allow-list).  0, or -1 with errno ENOENT when seccompmon has no
 * built-in policy for arch (p is then enabled with origin POLICY_NONE).
 * Free with policy_free().
 */
int policy_builtin(struct policy *p, uint32_t arch);

/* What an entry of the built-in lists is there for, beyond the core. */
#define POLICY_NEED_FILE	0x1	/* a file output */
#define POLICY_NEED_JOURNALD	0x2	/* a journald output */
#define POLICY_NEED_CONTEXT	0x4	/* process context (/proc, users) */
#define POLICY_NEED_GAPS	0x8	/* monitoring-gap reports (/proc) */
#define POLICY_NEED_ALL		0xf

/*
 * The POLICY_NEED_*s a built-in entry serves, any one of which keeps it;
 * 0 for the core.
 */
unsigned policy_builtin_need(const char *name);

/*
 * Drop from a built-in policy the calls that only features other than
 * those in have (POLICY_NEED_*) make.  A custom policy is left as configured.
 */
void policy_builtin_narrow(struct policy *p, unsigned have);

/* Why an entry of a built-in list is there; NULL when it is not in it. */
const char *policy_builtin_reason(uint32_t arch, const char *name);

/*
 * Check p against the architecture and the kernel: every name exists for
 * p->arch, no name is listed twice, and every action used is in avail
 * (POLICY_ACTION_BIT()s, see policy_actions_parse()).  Empty lists are
 * policy_parse()'s (policyjson.h) to refuse.  Returns the number of
 * errors added.
 */
int policy_check(const struct policy *p, unsigned avail,
    struct errlist *errs);

/*
 * The actions this kernel offers, from the text of
 * /proc/sys/kernel/seccomp/actions_avail ("kill_process kill_thread ...").
 * The names are the kernel's: "user_notif" is ignored.
 */
unsigned policy_actions_parse(const char *text);

/*
 * A libseccomp filter for p (which must pass policy_check()) on p->arch
 * only; calls of another arch (an i386 int 0x80 on x86_64, x32) get the
 * default action.  NULL with errno, and an error added, on failure.
 */
scmp_filter_ctx policy_compile(const struct policy *p,
    struct errlist *errs);

/*
 * Load a compiled filter into this process for good: set NO_NEW_PRIVS, then
 * seccomp(SECCOMP_SET_MODE_FILTER, TSYNC [| LOG]) with the exported BPF.
 * With log, every action but allow is audited (SECCOMP_FILTER_FLAG_LOG),
 * so the daemon's own denials reach its own event stream.  A positive
 * return (a thread TSYNC could not synchronise) is a failure: -1 with errno
 * ESRCH and *tid set.  0, or -1 with errno.
 */
int policy_load(scmp_filter_ctx ctx, int log, long *tid);

void policy_free(struct policy *p);

#endif
