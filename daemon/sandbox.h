/*
 * The daemon's side of the self-sandbox: what the kernel offers, checking
 * and compiling the policy before anything is shed, shedding, and the load.
 * Messages are logged here; whether a failure is fatal is the caller's call
 * (policy "required", --require-sandbox).
 */
#ifndef SECCOMPMON_SANDBOX_H
#define SECCOMPMON_SANDBOX_H

#include <stdint.h>
#include <sys/types.h>

#include <seccomp.h>

#include "daemon/landlock.h"
#include "policy/policy.h"
#include "policy/privs.h"

struct sandbox {
	scmp_filter_ctx	ctx;		/* compiled; NULL when not loadable */
	unsigned	avail;		/* POLICY_ACTION_BIT()s of the kernel */
	int		log_flag;	/* SECCOMP_FILTER_FLAG_LOG usable */
	int		loaded;
	/* Taken by sandbox_snapshot(), before the filter denies capget. */
	uid_t		uid;
	uint64_t	caps;		/* permitted */
};

/*
 * The actions this kernel offers, from /proc/sys/kernel/seccomp/
 * actions_avail (POLICY_ACTION_BIT()s); before Linux 4.14, which has no such
 * file, all but kill_process and log.
 */
unsigned sandbox_actions_available(void);

/*
 * Compile p, which conf_load() has checked.  0, with sb->ctx ready (or p
 * disabled: nothing to do); -1, logged, when libseccomp fails.
 */
int sandbox_prepare(struct sandbox *sb, const struct policy *p);

/* Shed to k (see privs_shed()).  0, or -1 (logged). */
int sandbox_shed(const struct privs_keep *k);

/* Load sb->ctx for good.  0, or -1 (logged). */
int sandbox_load(struct sandbox *sb);

/*
 * Note the uid and capabilities the process serves with, for the report:
 * after shedding, before loading (the filter denies the calls it takes).
 */
void sandbox_snapshot(struct sandbox *sb);

/*
 * One line on what protects the process now: filter, user, capabilities
 * and Landlock (ll as landlock_apply() left it; enabled: landlock.enabled).
 */
void sandbox_report(const struct sandbox *sb, const struct policy *p,
    const struct landlock_ctx *ll, int enabled);

void sandbox_free(struct sandbox *sb);

#endif
