/*
 * The configuration file (JSON with comments, read with json-c) -> struct
 * conf.  Every error names the file, the line and the key path, and says
 * what was expected.  Errors in the "seccomp" section are policy errors: by
 * default the daemon then runs without a filter (and says so), unless the
 * policy is required.  Every other error is fatal.
 */
#ifndef SECCOMPMON_CONF_H
#define SECCOMPMON_CONF_H

#include <stdint.h>
#include <sys/types.h>

#include "policy/errlist.h"
#include "policy/policy.h"
#include "reporter/storm.h"

#ifndef SECCOMPMON_CONF_FILE
#define SECCOMPMON_CONF_FILE "/etc/seccompmon/seccompmon.json"
#endif

/* A configuration file bigger than this is refused. */
#define CONF_MAX_BYTES (1024 * 1024)

enum conf_socket { CONF_SOCKET_AUTO, CONF_SOCKET_UNICAST,
	CONF_SOCKET_MULTICAST };

/* The "audit" section: how records are read from the kernel. */
struct conf_audit {
	enum conf_socket	 socket;
	int			 rcvbuf;
	/* Unicast: raise the kernel's backlog_limit to this; 0: leave it. */
	uint32_t		 backlog_limit;
	/* Unicast: set backlog_wait_time (jiffies); -1: leave it. */
	int64_t			 backlog_wait_time;
};

#define CONF_BACKLOG_LIMIT 8192
/* An output's queue (daemon/outq.h): a few seconds of a storm's events. */
#define CONF_QUEUE (8ULL * 1024 * 1024)
#define CONF_ROTATE_SIZE (100ULL * 1024 * 1024)
#define CONF_KEEP 5
#define CONF_FILE_MODE 0640
#define CONF_SYSLOG_SOCKET "/dev/log"
#define CONF_JOURNALD_SOCKET "/run/systemd/journal/socket"
#define CONF_IDENT "seccompmon"

enum conf_output_type { CONF_OUT_STDOUT, CONF_OUT_FILE, CONF_OUT_SYSLOG,
	CONF_OUT_JOURNALD };

/* One element of "outputs", or one --output. */
struct conf_output {
	enum conf_output_type	 type;
	char			*path;		/* file: the file; else the socket */
	uint64_t		 rotate_size;	/* file: 0 never */
	unsigned		 keep;		/* file */
	mode_t			 mode;		/* file */
	char			*group;		/* file: name or number; NULL */
	gid_t			 gid;		/* file: resolved group, or -1 */
	int			 facility;	/* syslog: LOG_AUTHPRIV, ... */
	char			*ident;		/* syslog, journald */
	int			 cee;		/* syslog */
	int			 rfc5424;	/* syslog */
	uint64_t		 queue;		/* bytes queued at most */
	char			 where[32];	/* "outputs[2]", "--output" */
};

/* The "stats" section: a periodic stats event in the stream. */
struct conf_stats {
	int			 enabled;
	uint32_t		 interval;	/* seconds; 0: off */
};

/* The "context" section: what is learnt of a process beyond its record. */
struct conf_context {
	int			 enabled;
	uint32_t		 cache_size;	/* processes remembered */
	uint32_t		 args_max;	/* bytes of a command line */
	char			*passwd;	/* NULL: CONF_PASSWD */
	char			*group;		/* NULL: CONF_GROUP */
	char			*pod_log_dir;	/* NULL: CONF_POD_LOG_DIR */
};

#define CONF_PASSWD "/etc/passwd"
#define CONF_GROUP "/etc/group"
#define CONF_POD_LOG_DIR "/var/log/pods"
#define CONF_CONTEXT_CACHE_MAX 1048576
#define CONF_CONTEXT_ARGS_MAX 65536

#define CONF_STATS_INTERVAL 60
#define CONF_STATS_INTERVAL_MAX 86400

/*
 * The "gaps" section: monitoring-gap events (daemon/gaps.h) at start, every
 * interval and on SIGUSR1.  interval 0: at start and on SIGUSR1 only.
 */
struct conf_gaps {
	int			 enabled;
	uint32_t		 interval;	/* seconds */
};

#define CONF_GAPS_INTERVAL 3600
#define CONF_GAPS_INTERVAL_MAX 86400

/* The "landlock" section: the daemon's Landlock ruleset (daemon/landlock.h). */
struct conf_landlock {
	int			 enabled;
	int			 required;	/* no Landlock: exit 78 */
};

struct conf {
	char			*path;		/* the file read; NULL: none */
	struct conf_audit	 audit;
	struct conf_output	*outputs;	/* none: stdout */
	size_t			 noutputs;
	char			*host_name;
	int			 original;
	char			*user;
	struct policy		 policy;	/* built-in + "seccomp" */
	struct storm_conf	 storm;		/* "storm": storm control */
	struct conf_stats	 stats;		/* "stats": the stats event */
	struct conf_context	 context;	/* "context" */
	struct conf_gaps	 gaps;		/* "gaps": monitoring gaps */
	struct conf_landlock	 landlock;	/* "landlock" */
};

/* The "context" section's paths as configured, or their defaults. */
const char *conf_context_passwd(const struct conf *c);
const char *conf_context_group(const struct conf *c);
const char *conf_context_pod_log_dir(const struct conf *c);

/* The bounds of the "storm" section's values. */
#define CONF_STORM_WINDOW_MAX 3600
#define CONF_STORM_BURST_MAX 1000000
#define CONF_STORM_KEYS_MAX 65536

/* Built-in defaults, with the built-in policy for this architecture. */
int conf_init(struct conf *c);

/*
 * Read path into c, then check the resulting policy against this
 * architecture and avail, the actions the kernel offers (POLICY_ACTION_
 * BIT()s).  With missing_ok, a file that does not exist leaves the defaults
 * (the default path need not exist); the built-in policy is checked all the
 * same.  Returns 0 when there was no error, else -1 with errors added to
 * errs, each with its file, line and key path (errlist_format(): "FILE:
 * LINE: KEY: what"; "built-in policy: KEY: what" for the built-in one);
 * those about the seccomp section are policy errors.
 */
int conf_load(struct conf *c, const char *path, int missing_ok,
    unsigned avail, struct errlist *errs);

/* "auto", "unicast", "multicast" -> enum conf_socket; -1 otherwise. */
int conf_socket_parse(const char *s);
const char *conf_socket_name(enum conf_socket s);

/* Parse a size: digits with an optional k, M or G suffix.  0, or -1. */
int conf_parse_size(const char *s, int *out);
int conf_parse_size64(const char *s, uint64_t *out);

/*
 * Replace c's outputs with one --output SPEC: "stdout", "file:PATH",
 * "syslog[:SOCKET]", "journald[:SOCKET]"; the first call drops the
 * configured list, later ones add.  0, or -1 with a message in err.
 */
int conf_output_arg(struct conf *c, const char *spec, int first, char *err,
    size_t errlen);

/* "file:/var/log/x.json", "syslog:/dev/log", ... for messages. */
void conf_output_name(const struct conf_output *o, char *buf, size_t len);

/*
 * What the daemon would refuse at start, beyond the file's own content:
 * the user and groups exist (resolving each file output's gid), each file
 * output's directory exists.  Both --check-config and the daemon call it,
 * so they agree.  Returns the number of errors added to errs.
 */
int conf_check_host(struct conf *c, struct errlist *errs);

/*
 * Once the outputs are final (file, then --output): leave out of a built-in
 * policy the calls only outputs that are not configured, or features that
 * are off (context, gap reports), would make.
 */
void conf_fit_policy(struct conf *c);

/*
 * The complete configuration as a file that conf_load() accepts unchanged
 * (the effective policy included), with comments saying where each part
 * came from; for "seccompmon policy show".  A malloc'ed string, or NULL.
 */
char *conf_to_text(const struct conf *c, int log_flag);

void conf_free(struct conf *c);

#endif
