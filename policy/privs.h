/*
 * Shedding privilege once everything is acquired: optionally become a
 * configured user, then keep only the capabilities the serving loop needs,
 * with the bounding and ambient sets emptied so that nothing can regain the
 * rest.  Raw capget/capset/prctl: no libcap dependency for a dozen lines.
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
 * Switch to u (when not NULL; groups become u's primary group only) keeping
 * the capabilities in keep, then: permitted = effective = keep (what of it
 * the process has), inheritable and ambient empty, bounding set = keep.  A
 * process without CAP_SETPCAP (not started as root) cannot shrink its
 * bounding set; that is not an error, since it holds nothing to lose.
 * 0, or -1 with a message.
 */
int privs_shed(uint64_t keep, const struct privs_user *u, char *err,
    size_t errlen);

/* The process's own capability sets. */
struct privs_caps {
	uint64_t eff, prm, inh, bnd, amb;
};

/* Read this process's sets (capget, prctl).  0, or -1 with errno. */
int privs_caps_self(struct privs_caps *c);

/* "cap_audit_control,cap_net_admin" ("none" for 0) into buf. */
void privs_caps_string(uint64_t mask, char *buf, size_t len);

#endif
