/*
 * The serving loop, one for every source of records (the audit socket,
 * a replayed log): wait, read, flush the outputs, handle signals and the
 * periodic tick; at the end stop the source, drain it, flush and report.
 */
#ifndef SECCOMPMON_SERVE_H
#define SECCOMPMON_SERVE_H

#include <stdint.h>

#include "daemon/loop.h"
#include "daemon/pipeline.h"

/* What a source gives the loop; impl is passed to each function. */
struct source {
	const char	*what;		/* "the audit socket", for messages */
	int		 fd;
	/*
	 * Read some: 0 when nothing is left for now, 1 when more is waiting,
	 * SOURCE_END at the end of the input, -1 with errno.
	 */
	int		(*step)(void *impl);
	/* Once a tick: report losses since the last call. */
	void		(*tick)(void *impl);
	/* Stop the flow and take what was queued (may be NULL). */
	int		(*stop)(void *impl);
	/* Its losses so far, for the events-lost event (may be NULL). */
	void		(*losses)(void *impl, struct pipeline_srcloss *l);
	/* Log the counters. */
	void		(*report)(void *impl);
	void		*impl;
};

#define SOURCE_END 2

struct gaps;

/*
 * Serve until SIGTERM/SIGINT, the end of the input, or an error; then stop
 * the source, flush, and report.  stats_ms: a stats event to the outputs
 * this often (ms, on the tick) and one more at the end; 0: none.  SIGUSR1
 * logs the stats line without sending it.  gaps (NULL: none): a
 * monitoring-gap report at the start, on its interval (gaps_tick()) and on
 * SIGUSR1.  0, or -1 after an error (logged).
 */
int serve(struct loop *lp, struct pipeline *pl, const struct source *src,
    int64_t stats_ms, struct gaps *gaps);

#endif
