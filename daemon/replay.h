/*
 * --replay: audit log lines from a file or stdin through the same decoder
 * and encoder as live records.  Read in chunks so the poll loop stays
 * responsive to signals on a large file or an idle pipe.
 */
#ifndef SECCOMPMON_REPLAY_H
#define SECCOMPMON_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/log.h"
#include "daemon/serve.h"
#include "netlink/auditnl.h"
#include "reporter/violation.h"

struct replay_counters {
	uint64_t lines;		/* lines read */
	uint64_t not_audit;	/* non-blank lines that hold no audit record */
	uint64_t too_long;	/* lines over REPLAY_LINE_MAX: skipped */
};

#define REPLAY_LINE_MAX (VIOLATION_TEXT_MAX + 4096)

struct replay {
	int			fd;
	char			*buf;
	size_t			len;
	size_t			cap;
	int			skipping;	/* inside an over-long line */
	struct replay_counters	c;
	struct ratelimit	rl;
	auditnl_record_fn	fn;
	void			*fn_arg;
};

/*
 * Open path ("-" for stdin); each record read goes to fn(arg, ...), with
 * its node= name when the line has one, as live records do.  0, or -1 with
 * errno.
 */
int replay_open(struct replay *r, const char *path, auditnl_record_fn fn,
    void *arg);

/*
 * Read one chunk and hand its complete lines' records on.  Returns 0 when
 * more may follow, 1 at end of input (the last line, even without a
 * newline, is processed), -1 with errno on a read error.
 */
int replay_step(struct replay *r);

/* The replay as the serving loop's source.  Valid while r lives. */
struct source replay_source(struct replay *r);

/* Close the input (stdin stays open) and free the buffer. */
void replay_close(struct replay *r);

#endif
