/*
 * The configuration file (JSON with comments, read with json-c) -> struct
 * conf.  Every error names the file, the line and the key path, and says
 * what was expected.  Errors in the "seccomp" section are policy errors: by
 * default the daemon then runs without a filter (and says so), unless the
 * policy is required.  Every other error is fatal.
 */
#ifndef SECCOMPMON_CONF_H
#define SECCOMPMON_CONF_H

#include "policy/policy.h"

#ifndef SECCOMPMON_CONF_FILE
#define SECCOMPMON_CONF_FILE "/etc/seccompmon/seccompmon.json"
#endif

/* A configuration file bigger than this is refused. */
#define CONF_MAX_BYTES (1024 * 1024)

enum conf_socket { CONF_SOCKET_AUTO, CONF_SOCKET_UNICAST,
	CONF_SOCKET_MULTICAST };

#define CONF_ERRORS_MAX 32

struct conf_errors {
	size_t	n;		/* errors kept */
	size_t	policy;		/* of which in the seccomp section */
	size_t	dropped;	/* beyond CONF_ERRORS_MAX */
	char	msg[CONF_ERRORS_MAX][400];
};

struct conf {
	char			*path;		/* the file read; NULL: none */
	enum conf_socket	 socket;
	int			 rcvbuf;
	char			*host_name;
	int			 original;
	char			*user;
	struct policy		 policy;	/* built-in + "seccomp" */
};

/* Built-in defaults, with the built-in policy for this architecture. */
int conf_init(struct conf *c);

/*
 * Read path into c, then check the resulting policy against this
 * architecture and avail, the actions the kernel offers (POLICY_ACTION_
 * BIT()s).  With missing_ok, a file that does not exist leaves the defaults
 * (the default path need not exist); the built-in policy is checked all the
 * same.  Returns 0 when there was no error, else -1 with errs filled
 * ("FILE:LINE: KEY: what"; "built-in policy: ..." for the built-in one).
 */
int conf_load(struct conf *c, const char *path, int missing_ok,
    unsigned avail, struct conf_errors *errs);

/* "auto", "unicast", "multicast" -> enum conf_socket; -1 otherwise. */
int conf_socket_parse(const char *s);

/* Parse a size: digits with an optional k, M or G suffix.  0, or -1. */
int conf_parse_size(const char *s, int *out);

void conf_free(struct conf *c);

#endif
