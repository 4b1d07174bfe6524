/*
 * Real syslog daemons for the syslog output's tests: Debian's rsyslogd and
 * syslog-ng, unpacked by syslogd-fetch.sh, each run in the foreground on
 * private sockets with its own configuration.  Each writes every message it
 * receives as one JSON object per line: what it parsed (severity, facility,
 * header fields, the JSON of the message) for the test to compare.
 */
#ifndef SECCOMPMON_TESTS_SYSLOGD_H
#define SECCOMPMON_TESTS_SYSLOGD_H

#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

/* Where syslogd-fetch.sh unpacks, unless SECCOMPMON_SYSLOGD_DIR says. */
#define SYSLOGD_DIR_ENV		"SECCOMPMON_SYSLOGD_DIR"
#define SYSLOGD_DIR_DEFAULT	"/var/cache/seccompmon-tests/syslogd"

enum syslogd_kind { SYSLOGD_RSYSLOG, SYSLOGD_SYSLOG_NG };

/*
 * The daemon's inputs, each a datagram socket in its directory with an
 * output file of its own (out-NAME):
 *   "log"      RFC 3164 as from syslog(3), "@cee: JSON" parsed
 *   "log5424"  RFC 5424 (rsyslog: UseSpecialParser off; syslog-ng:
 *              flags(syslog-protocol)), "@cee: JSON" parsed
 *   "lograw"   RFC 3164, the message itself parsed as JSON
 * Output objects hold strings: sev, fac, app, host, procid, msgid, time
 * (RFC 3339, as the daemon read the timestamp), msg (as received), action,
 * pid, name, exe (from the parsed JSON), and parsed: the parsed tree
 * (rsyslog keeps JSON types; syslog-ng makes every scalar a string).
 */
#define SYSLOGD_LOG		"log"
#define SYSLOGD_LOG5424		"log5424"
#define SYSLOGD_LOGRAW		"lograw"

struct syslogd {
	enum syslogd_kind	 kind;
	pid_t			 pid;		/* 0: not running */
	char			 dir[64];	/* "": not made */
	char			 root[256];	/* the unpacked packages */
};

/*
 * Whether the daemons are there to run: 0, or 77 with why saying what is
 * missing (and how to get it).
 */
int syslogd_available(char *why, size_t len);

/* "rsyslog" or "syslog-ng". */
const char *syslogd_name(enum syslogd_kind kind);

/* Make the private directory and write the configuration.  0, or -1. */
int syslogd_init(struct syslogd *d, enum syslogd_kind kind);

/* The path of input name (SYSLOGD_LOG, ...) in d's directory. */
const char *syslogd_socket(const struct syslogd *d, const char *name,
    char *buf, size_t len);

/*
 * Start the daemon (TZ=UTC0, killed if the test dies) and wait until its
 * sockets exist.  0, or -1 with its output on stderr.
 */
int syslogd_start(struct syslogd *d);

/* SIGTERM, reap (SIGKILL after a few seconds).  Idempotent. */
void syslogd_stop(struct syslogd *d);

/* Stop, and remove the directory with everything in it. */
void syslogd_destroy(struct syslogd *d);

/*
 * Wait up to timeout_ms until the output of input name holds n lines; each
 * line parsed into lines[] (NULL where a line is not JSON; the caller puts
 * them).  The number of lines read, at most n.
 */
size_t syslogd_wait(const struct syslogd *d, const char *name, size_t n,
    int timeout_ms, json_object **lines);

/* The string member key of o, or "" (never NULL). */
const char *syslogd_str(json_object *o, const char *key);

#endif
