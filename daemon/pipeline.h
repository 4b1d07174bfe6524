/*
 * Records in, events out, to every output.  Each SECCOMP record is decoded
 * and encoded once; message outputs (syslog, journald) get the event at
 * once, stream outputs (stdout, files) get the batch of a whole drain at
 * the flush, so one write(2) carries many events.  Each output has its own
 * bounded queue and writer thread (daemon/outq.h): the caller never waits
 * for an output, and one that stalls loses events, counted, alone.
 */
#ifndef SECCOMPMON_PIPELINE_H
#define SECCOMPMON_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/context.h"
#include "daemon/outq.h"
#include "reporter/event.h"
#include "reporter/sink.h"
#include "reporter/storm.h"

/* Flush before the batch grows past this. */
#define PIPELINE_FLUSH_BYTES (256 * 1024)

struct pipeline;

struct pipeline_counters {
	uint64_t seccomp;	/* SECCOMP records received */
	uint64_t events;	/* events made from them */
	uint64_t incomplete;	/* of those, from damaged records (error.message) */
	uint64_t malformed;	/* SECCOMP records with no usable header: dropped */
	uint64_t nomem;		/* events lost to allocation failure */
	uint64_t other;		/* records of other types: not for us */
	uint64_t self;		/* seccompmon's own violations (also logged) */
	/* Storm control: records = events + summarized + malformed + nomem */
	uint64_t summarized;	/* records folded into summaries */
	uint64_t summaries;	/* summary events made */
};

/* ev is copied; its host string must outlive the pipeline.  NULL, ENOMEM. */
struct pipeline *pipeline_new(const struct event_ctx *ev);

/*
 * Takes ownership of s (freed here on failure too), with a queue of
 * queue_limit bytes (0: OUTQ_LIMIT_DEFAULT).  0, or -1 (ENOMEM).
 */
int pipeline_add_sink(struct pipeline *pl, struct sink *s,
    size_t queue_limit);

/*
 * Start every output's writer thread (outq_start(): after privileges are
 * shed, before the seccomp filter).  block: full queues make the caller
 * wait instead of dropping (a replay).  Once only; later calls do
 * nothing.  0, or -1 with errno.
 */
int pipeline_start(struct pipeline *pl, int block);

/*
 * Wait until every output has written what it was given, or until
 * deadline_ms (log_now_ms(); -1: no limit).  0 all written, 1 not yet.
 */
int pipeline_sync(struct pipeline *pl, int64_t deadline_ms);

size_t pipeline_nsinks(const struct pipeline *pl);
/* What output i has done so far (i < pipeline_nsinks()). */
void pipeline_output_state(const struct pipeline *pl, size_t i,
    struct outq_state *st);
/* Output i's sink, for tests: its counters are stable after a sync. */
struct sink *pipeline_sink(const struct pipeline *pl, size_t i);

/*
 * Give each live event the context of its process (cx stays the caller's;
 * NULL: none, as in a replay).
 */
void pipeline_set_context(struct pipeline *pl, struct context *cx);

/*
 * Handle one record of any type (an auditnl_record_fn: arg is the
 * pipeline).  node, when not NULL, is host.name for this record (a replayed
 * node=).  Never fails: problems are counted and, rate-limited, logged.
 */
void pipeline_record(void *arg, uint16_t type, const char *text, size_t len,
    const char *node, size_t node_len);

/*
 * Queue the batch for the stream outputs.  An output whose queue is full
 * loses the batch (counted).  0, or -1 with errno EPIPE when every output
 * is gone for good (all readers of stdout closed it).
 */
int pipeline_flush(struct pipeline *pl);

/*
 * Periodic (mono_ms: log_now_ms()): log once that an output has stalled
 * (a write that has not finished for OUTQ_STALL_MS), once that it moves.
 */
void pipeline_watch(struct pipeline *pl, int64_t mono_ms);

/*
 * At exit (mono_ms: log_now_ms()): give up on every output that has
 * stalled (outq_abandon_stalled()); how many were given up now.
 */
int pipeline_abandon_stalled(struct pipeline *pl, int64_t mono_ms);

/* SIGHUP: each writer reopens its output (files) and logs failures. */
void pipeline_reopen(struct pipeline *pl);

/*
 * Storm control (reporter/storm.h): from now on a key's records past its
 * burst fold into one summary event per window.  follow_clock: windows
 * also close on pipeline_tick() (live: a storm that stops is summarized
 * within a second of its window's end); without it only record times and
 * pipeline_finish() close them, so a replay gives the same output every
 * run.  Windows open before are closed first (summaries into the batch).
 * 0, or -1 with errno EINVAL or ENOMEM.
 */
int pipeline_set_storm(struct pipeline *pl, const struct storm_conf *sc,
    int follow_clock);

/*
 * Periodic (each second): now_ms is CLOCK_REALTIME in ms, the clock the
 * kernel stamps records with; windows that ended before it are closed and
 * their summaries go into the batch, flushed here.
 */
void pipeline_tick(struct pipeline *pl, int64_t now_ms);

/* At the end: close every window, summaries into the batch (not flushed). */
void pipeline_finish(struct pipeline *pl);

const struct pipeline_counters *pipeline_counters(const struct pipeline *pl);

/*
 * Loss reports.  The source's own losses, as running totals that never go
 * down (kernel_lost stays 0 where the kernel's counter cannot be read).
 */
struct pipeline_srcloss {
	uint64_t	enobufs;	/* receive queue overflows */
	uint64_t	kernel_lost;	/* growth of the kernel's lost counter */
	uint64_t	socket_dropped;	/* records dropped at a full queue */
	uint64_t	bad_datagrams;	/* truncated or malformed: dropped */
};

/*
 * Once a tick and at the end (now_ms: wall clock, ms since the epoch):
 * flush, then queue for each output that has not yet been told of every
 * loss learned of (src may be NULL: none) an events-lost event covering
 * the time since the last one it took.  One is in flight per output at a
 * time; one that the output cannot take is replaced by a later one, with
 * the interval grown.  The loss events an output fails to take are not
 * themselves counted as its losses.
 */
void pipeline_lost(struct pipeline *pl, const struct pipeline_srcloss *src,
    int64_t now_ms);

/* The wall clock, ms since the epoch, for pipeline_lost(). */
int64_t pipeline_now_ms(void);

/*
 * Stats (event_encode_stats()): the counters of the interval since the
 * last stats event sent (or the start) and since the start, each
 * output's too, at now_ms (wall clock, ms since the epoch).  With
 * PIPELINE_STATS_SEND: flush, send the event to every output, and start
 * the next interval at now_ms (an output that cannot take it misses this
 * one; the next one's totals cover it).  Without: only make the line, the
 * interval left running (SIGUSR1).  Returns the line, ending in '\n', of
 * *len bytes, owned by pl until the next call; or NULL (ENOMEM).
 */
#define PIPELINE_STATS_SEND 0x1
const char *pipeline_stats(struct pipeline *pl,
    const struct pipeline_srcloss *src, int64_t now_ms, unsigned flags,
    size_t *len);

/*
 * Monitoring gaps (daemon/gaps.h).  Flush, then queue the line (len bytes,
 * ending in '\n') for every output, made at now_ms (wall clock, ms since
 * the epoch).  Like a stats event, one an output cannot take is not
 * counted as a lost event (OUTQ_STATS).
 */
void pipeline_gap(struct pipeline *pl, const char *line, size_t len,
    int64_t now_ms);

/*
 * Called for each SECCOMP record of an errno, trap, trace or user_notif
 * denial that carries a pid, before storm control (time_ms: the record's
 * time); fn NULL: none.  Such a record proves the process's filter logs.
 */
typedef void (*pipeline_denial_fn)(void *arg, int32_t pid, int64_t time_ms);
void pipeline_set_denial_hook(struct pipeline *pl, pipeline_denial_fn fn,
    void *arg);

/* Log the counters and each output's, at LOG_INFO. */
void pipeline_report(const struct pipeline *pl);

/*
 * Stop the writers: what is still queued is given up and counted as lost
 * by its output.  The counters are final after this.
 */
void pipeline_stop(struct pipeline *pl);

/* Frees the outputs too; NULL is fine. */
void pipeline_free(struct pipeline *pl);

#endif
