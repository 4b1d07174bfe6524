/*
 * One loop for every source.  The source is drained in bounded steps so
 * that signals and the tick are looked at during a flood; outputs are
 * flushed after each step, so a batch holds one drain's events.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "daemon/gaps.h"
#include "daemon/log.h"
#include "daemon/notify.h"
#include "daemon/serve.h"

/*
 * At exit, how long outputs get to take what they hold pending.  A pending
 * tail may begin mid-line, so giving up cuts the reader's last line: wait
 * long, but less than systemd's default stop timeout (90 s).
 */
#define PENDING_MAX_MS 30000

/* The tick is a second (main.c TICK_MS): stats are due within half of it. */
#define TICK_SLACK_MS 500

/* Storm windows follow the clock records are stamped with (real time). */
static void
tick_storm(struct pipeline *pl)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
		pipeline_tick(pl, (int64_t)ts.tv_sec * 1000 +
		    ts.tv_nsec / 1000000);
}

static void
report(const struct pipeline *pl, const struct source *src)
{
	pipeline_report(pl);
	src->report(src->impl);
}

static void
src_losses(const struct source *src, struct pipeline_srcloss *l)
{
	memset(l, 0, sizeof(*l));
	if (src->losses != NULL)
		src->losses(src->impl, l);
}

/* Tell the outputs of losses since the last report, if any. */
static void
report_lost(struct pipeline *pl, const struct source *src)
{
	struct pipeline_srcloss l;

	src_losses(src, &l);
	pipeline_lost(pl, &l, pipeline_now_ms());
}

/*
 * Stats: to the outputs (flags PIPELINE_STATS_SEND), or, for SIGUSR1, the
 * same line on stderr, then the source's own counters.
 */
static void
stats(struct pipeline *pl, const struct source *src, unsigned flags)
{
	struct pipeline_srcloss l;
	const char *line;
	size_t len;

	src_losses(src, &l);
	line = pipeline_stats(pl, &l, pipeline_now_ms(), flags, &len);
	if (flags & PIPELINE_STATS_SEND) {
		if (line == NULL)
			log_warn("making the stats event");
		return;
	}
	if (line == NULL)
		log_warn("making the stats line");
	else
		log_info("stats: %.*s", (int)(len - 1), line);
	src->report(src->impl);
}

/*
 * Give the outputs until end to write what they were given (a slow stdout
 * reader), but not one that has stalled: that one is given up (its queue
 * counted as lost) so that the others get the last reports.  0 when all
 * was written.
 */
static int
finish_outputs(struct pipeline *pl, int64_t end)
{
	int64_t now;

	for (;;) {
		now = log_now_ms();
		if (pipeline_sync(pl, now + 200 < end ? now + 200 : end) == 0)
			return 0;
		if ((now = log_now_ms()) >= end)
			break;
		(void)pipeline_abandon_stalled(pl, now);
	}
	log_warnx("an output did not take what it was given within %d s: "
	    "the rest is lost (counted), its reader may get a cut last line",
	    PENDING_MAX_MS / 1000);
	return 1;
}

/* pipeline_flush(), saying so when every output is gone for good. */
static int
flush(struct pipeline *pl)
{
	if (pipeline_flush(pl) == 0)
		return 0;
	log_msg(LOG_ERR, "no output can take events any more: stopping");
	return -1;
}

int
serve(struct loop *lp, struct pipeline *pl, const struct source *src,
    int64_t stats_ms, struct gaps *gaps)
{
	int64_t next_stats = log_now_ms() + stats_ms;
	int ev, rc = 0, more = 0, step;
	int64_t end;

	/* The filter is loaded: what /proc shows now is what it may read. */
	gaps_report(gaps, pl, "start");
	while (!lp->stop) {
		if ((ev = loop_wait(lp, src->fd, more ? 0 : -1)) < 0) {
			log_warn("poll");
			rc = -1;
			break;
		}
		if ((ev & LOOP_INPUT) || more) {
			if ((step = src->step(src->impl)) < 0) {
				log_warn("reading %s", src->what);
				rc = -1;
				break;
			}
			more = step == 1;
			if (flush(pl) < 0) {
				rc = -1;
				break;
			}
			if (step == SOURCE_END)
				break;
		}
		if (lp->dump) {
			lp->dump = 0;
			stats(pl, src, 0);
			gaps_report(gaps, pl, "SIGUSR1");
		}
		if (lp->reopen) {
			lp->reopen = 0;
			pipeline_reopen(pl);
		}
		if (ev & LOOP_TICK) {
			src->tick(src->impl);
			tick_storm(pl);
			report_lost(pl, src);
			gaps_tick(gaps, pl, log_now_ms());
			/* Half a tick early rather than a whole tick late. */
			if (stats_ms > 0 &&
			    log_now_ms() + TICK_SLACK_MS >= next_stats) {
				stats(pl, src, PIPELINE_STATS_SEND);
				/* Missed ticks are skipped, not caught up. */
				while (next_stats <= log_now_ms() +
				    TICK_SLACK_MS)
					next_stats += stats_ms;
			}
			pipeline_watch(pl, log_now_ms());
			/* A writer may have found its reader gone since. */
			if (flush(pl) < 0) {
				rc = -1;
				break;
			}
		}
	}

	notify_send("STOPPING=1");
	if (lp->stop)
		log_info("%s: stopping", strsignal(lp->stop_signal));
	if (src->stop != NULL && src->stop(src->impl) < 0)
		rc = -1;
	pipeline_finish(pl);	/* open storm summaries, so counts add up */
	if (pipeline_flush(pl) < 0)
		rc = -1;
	end = log_now_ms() + PENDING_MAX_MS;
	if (finish_outputs(pl, end) == 0) {
		/* The last ones, once the outputs' own losses are known. */
		report_lost(pl, src);
		if (stats_ms > 0)	/* closes the account */
			stats(pl, src, PIPELINE_STATS_SEND);
		(void)finish_outputs(pl, end);
	}
	/* A reader that went away while the end was written is an error. */
	if (rc == 0 && flush(pl) < 0)
		rc = -1;
	pipeline_stop(pl);	/* what is left is lost: counted */
	report(pl, src);
	return rc;
}
