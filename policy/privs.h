/*
 * Shedding privilege once everything is acquired: optionally become a
 * configured user, hold the supplementary groups outputs need, then keep
 * only the capabilities the serving loop needs, with the bounding and
 * ambient sets emptied so that nothing can regain the rest.  Raw
 * capget/capset/prctl: no libcap dependency for a dozen lines.
 */
#ifndef SECCOMPMON_PRIVS_H
#define SECCOMPMON_PRIVS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PRIVS_CAP(c) (UINT64_C(1) << (c))

struct privs_user {
	uid_t	uid;
	gid_t	gid;
	char	name[64];
};

/*
 * Look up a user by name, or by number ("1234"), with NSS: before the
 * sandbox, since NSS may open files and sockets.  0, or -1 with a message.
 */
int privs_user_lookup(const char *name, struct privs_user *u, char *err,
    size_t errlen);

/*
 * What privs_shed() keeps.  groups are supplementary groups to hold while
 * serving, beside those of the identity: a process without CAP_CHOWN may
 * give a file it owns only a group it is in (fchown; the file output's
 * "group").  Both pointers are the caller's and are only read.
 */
struct privs_keep {
	uint64_t		 caps;		/* PRIVS_CAP()s */
	const struct privs_user	*user;		/* become this user; NULL: stay */
	const gid_t		*groups;	/* supplementary groups to hold */
	size_t			 ngroups;
};

/*
 * Shed to k.  With k->user: the supplementary groups become the user's
 * primary group plus k->groups, then gid and uid switch.  Without: the
 * groups in k->groups that the process is not in yet (neither its egid nor
 * a supplementary group) are added to the ones it has; that needs
 * CAP_SETGID, so a process not started as root can only keep groups it
 * holds.  Then the capabilities: permitted = effective = k->caps (what of
 * it the process has), inheritable and ambient empty, bounding set =
 * k->caps.  A process without CAP_SETPCAP (not started as root) cannot
 * shrink its bounding set; that is not an error, since it holds nothing to
 * lose.  0, or -1 with a message.
 */
int privs_shed(const struct privs_keep *k, char *err, size_t errlen);

/* The process's own capability sets. */
struct privs_caps {
	uint64_t eff, prm, inh, bnd, amb;
};

/* Read this process's sets (capget, prctl).  0, or -1 with errno. */
int privs_caps_self(struct privs_caps *c);

/* "cap_audit_control,cap_net_admin" ("none" for 0) into buf. */
void privs_caps_string(uint64_t mask, char *buf, size_t len);

#endif
