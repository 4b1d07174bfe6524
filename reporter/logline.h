/*
 * One line of an audit log, as auditd writes it (RAW or ENRICHED format,
 * optionally with node=) or as syslog and the kernel log carry it, split
 * into the record type and the record text violation_decode() reads.
 */
#ifndef SECCOMPMON_LOGLINE_H
#define SECCOMPMON_LOGLINE_H

#include <stddef.h>
#include <stdint.h>

struct logline {
	int		 type;		/* record type number, e.g. 1326 */
	const char	*node;		/* node= value, or NULL */
	size_t		 node_len;
	const char	*text;		/* "audit(...): k=v ..." */
	size_t		 text_len;
};

/*
 * Parse a line (without its newline).  Accepted shapes, each optionally
 * preceded by any prefix ending in a blank (syslog), then "node=NAME ":
 *   type=SECCOMP msg=audit(...): ...        auditd RAW
 *   type=SECCOMP msg=audit(...): ...\x1d... auditd ENRICHED (tail dropped)
 *   type=1326 audit(...): ...               kernel log, journal
 *   type=UNKNOWN[1326] msg=audit(...): ...
 * Pointers in out point into line.  0, or -1 when the line is not an audit
 * record.  A type name libaudit does not know yields type 0.
 */
int logline_parse(const char *line, size_t len, struct logline *out);

#endif
