/*
 * Capabilities and identity.  Order matters: set the supplementary groups
 * while CAP_SETGID is effective, switch user with KEEPCAPS, raise the
 * effective set again (setuid cleared it) so that CAP_SETPCAP can empty the
 * bounding set, clear ambient, and only then lower permitted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "policy/privs.h"

static const char *const cap_names[] = {
	"cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner",
	"cap_fsetid", "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap",
	"cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast",
	"cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner",
	"cap_sys_module", "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace",
	"cap_sys_pacct", "cap_sys_admin", "cap_sys_boot", "cap_sys_nice",
	"cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod",
	"cap_lease", "cap_audit_write", "cap_audit_control", "cap_setfcap",
	"cap_mac_override", "cap_mac_admin", "cap_syslog", "cap_wake_alarm",
	"cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf",
	"cap_checkpoint_restore",
};
#define NCAPNAMES (sizeof(cap_names) / sizeof(cap_names[0]))

void
privs_caps_string(uint64_t mask, char *buf, size_t len)
{
	size_t i, n = 0;
	int w;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (mask == 0) {
		snprintf(buf, len, "none");
		return;
	}
	for (i = 0; i < 64 && n < len; i++) {
		if (!(mask & PRIVS_CAP(i)))
			continue;
		if (i < NCAPNAMES)
			w = snprintf(buf + n, len - n, "%s%s", n ? "," : "",
			    cap_names[i]);
		else
			w = snprintf(buf + n, len - n, "%scap_%zu", n ? "," : "",
			    i);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

int
privs_user_lookup(const char *name, struct privs_user *u, char *err,
    size_t errlen)
{
	struct passwd *pw;
	char *end;
	unsigned long id;

	memset(u, 0, sizeof(*u));
	errno = 0;
	if (name[0] >= '0' && name[0] <= '9') {
		id = strtoul(name, &end, 10);
		if (*end != '\0' || id > 0x7fffffffUL) {
			snprintf(err, errlen, "user \"%s\": not a valid uid",
			    name);
			return -1;
		}
		pw = getpwuid((uid_t)id);
	} else
		pw = getpwnam(name);
	if (pw == NULL) {
		snprintf(err, errlen, "user \"%s\": %s", name,
		    errno ? strerror(errno) : "no such user");
		return -1;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
	return 0;
}

static int
capget2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	/*
	 * Version 3 fills two structs; zeroed first so that a tool that
	 * knows of one only (valgrind's capget wrapper) sees no garbage.
	 */
	memset(d, 0, 2 * sizeof(*d));
	return (int)syscall(SYS_capget, &h, d);
}

static int
capset2(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	d[0].permitted = (uint32_t)prm;
	d[1].permitted = (uint32_t)(prm >> 32);
	d[0].inheritable = (uint32_t)inh;
	d[1].inheritable = (uint32_t)(inh >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

static int
last_cap(void)
{
	char buf[16];
	ssize_t n;
	int fd, v = (int)NCAPNAMES - 1;

	if ((fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC))
	    < 0)
		return v;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		v = atoi(buf);
	}
	return v > 0 && v < 64 ? v : (int)NCAPNAMES - 1;
}

int
privs_caps_self(struct privs_caps *c)
{
	struct __user_cap_data_struct d[2];
	int i, last = last_cap(), r;

	if (capget2(d) < 0)
		return -1;
	c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	c->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	c->bnd = c->amb = 0;
	for (i = 0; i <= last; i++) {
		if ((r = prctl(PR_CAPBSET_READ, i, 0, 0, 0)) > 0)
			c->bnd |= PRIVS_CAP(i);
		if ((r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, i, 0, 0))
		    > 0)
			c->amb |= PRIVS_CAP(i);
	}
	return 0;
}

/* Whether g is in list[0..n). */
static int
has_gid(const gid_t *list, size_t n, gid_t g)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == g)
			return 1;
	return 0;
}

/*
 * Set the supplementary groups for k: k->user's primary group and
 * k->groups, or (no user) the current ones plus those of k->groups not
 * held yet.  Called while CAP_SETGID, if any, is still effective.
 */
static int
shed_groups(const struct privs_keep *k, char *err, size_t errlen)
{
	gid_t *list = NULL;
	size_t i, n = 0, cap;
	int cur = 0, rc = -1;

	if (k->user == NULL && k->ngroups == 0)
		return 0;	/* nothing asked: the groups stay */
	if (k->user == NULL && (cur = getgroups(0, NULL)) < 0) {
		snprintf(err, errlen, "getgroups: %s", strerror(errno));
		return -1;
	}
	cap = (size_t)cur + k->ngroups + 1;
	if ((list = calloc(cap, sizeof(*list))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (k->user != NULL)
		list[n++] = k->user->gid;
	else if ((cur = getgroups(cur, list)) < 0) {
		snprintf(err, errlen, "getgroups: %s", strerror(errno));
		goto out;
	} else
		n = (size_t)cur;
	for (i = 0; i < k->ngroups; i++) {
		if (has_gid(list, n, k->groups[i]) ||
		    (k->user == NULL && k->groups[i] == getegid()))
			continue;
		list[n++] = k->groups[i];
	}
	if (k->user == NULL && n == (size_t)cur) {
		rc = 0;		/* every group asked for is held already */
		goto out;
	}
	if (setgroups(n, list) < 0) {
		if (k->user != NULL)
			snprintf(err, errlen, "setting the supplementary "
			    "groups of user %s: %s", k->user->name,
			    strerror(errno));
		else
			snprintf(err, errlen, "adding supplementary group "
			    "%u%s: %s%s", (unsigned)list[cur],
			    n - (size_t)cur > 1 ? " and others" : "",
			    strerror(errno), errno == EPERM ? " (without "
			    "CAP_SETGID, only groups held already)" : "");
		goto out;
	}
	rc = 0;
out:
	free(list);
	return rc;
}

int
privs_shed(const struct privs_keep *k, char *err, size_t errlen)
{
	const struct privs_user *u = k->user;
	uint64_t keep = k->caps;
	struct privs_caps c;
	uint64_t prm;
	int i, last = last_cap();

	if (privs_caps_self(&c) < 0) {
		snprintf(err, errlen, "capget: %s", strerror(errno));
		return -1;
	}
	prm = c.prm;
	if (shed_groups(k, err, errlen) < 0)
		return -1;
	if (u != NULL) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
		    setresgid(u->gid, u->gid, u->gid) < 0 ||
		    setresuid(u->uid, u->uid, u->uid) < 0) {
			snprintf(err, errlen, "becoming user %s (uid %u, gid "
			    "%u): %s", u->name, (unsigned)u->uid,
			    (unsigned)u->gid, strerror(errno));
			return -1;
		}
		(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
		/* setresuid() away from 0 emptied the effective set. */
		if (capset2(prm, prm, 0) < 0) {
			snprintf(err, errlen, "capset: %s", strerror(errno));
			return -1;
		}
	}
	if (prm & PRIVS_CAP(CAP_SETPCAP)) {
		for (i = 0; i <= last; i++) {
			if ((keep & PRIVS_CAP(i)) ||
			    prctl(PR_CAPBSET_READ, i, 0, 0, 0) <= 0)
				continue;
			if (prctl(PR_CAPBSET_DROP, i, 0, 0, 0) < 0) {
				snprintf(err, errlen, "dropping %s from the "
				    "bounding set: %s", (size_t)i < NCAPNAMES ?
				    cap_names[i] : "a capability",
				    strerror(errno));
				return -1;
			}
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL) {
		snprintf(err, errlen, "clearing ambient capabilities: %s",
		    strerror(errno));
		return -1;
	}
	if (capset2(keep & prm, keep & prm, 0) < 0) {
		snprintf(err, errlen, "capset: %s", strerror(errno));
		return -1;
	}
	if (privs_caps_self(&c) < 0 || c.prm != (keep & prm) || c.amb != 0 ||
	    c.inh != 0) {
		snprintf(err, errlen, "capabilities did not drop as asked");
		return -1;
	}
	return 0;
}
