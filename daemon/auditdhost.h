/*
 * Whether this host runs an audit daemon of its own (auditd) at boot,
 * read from the file system only: what init will start, not what runs
 * now.  Socket mode auto asks, so that a seccompmon started before auditd
 * never holds the registration auditd needs.
 */
#ifndef SECCOMPMON_AUDITDHOST_H
#define SECCOMPMON_AUDITDHOST_H

#include <stddef.h>

enum auditdhost {
	AUDITDHOST_ABSENT,	/* no auditd program */
	AUDITDHOST_DISABLED,	/* installed, but init will not start it */
	AUDITDHOST_ENABLED,	/* installed and enabled (or vendor-enabled) */
};

/*
 * Look for auditd under root ("" for the real host; tests pass a
 * directory).  Installed: /usr/sbin/auditd or /sbin/auditd is a regular
 * file with an execute bit.  Enabled: auditd.service in a *.wants/
 * directory of /etc/systemd/system, /usr/lib/systemd/system or
 * /lib/systemd/system, unless /etc/systemd/system/auditd.service masks it
 * (a link to /dev/null); or a System V start link /etc/rc[2-5].d/S*auditd.
 * what (len bytes) says which paths decided.  Never fails: what cannot be
 * read counts as absent.
 */
enum auditdhost auditdhost_probe(const char *root, char *what, size_t len);

#endif
