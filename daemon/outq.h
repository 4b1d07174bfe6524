/*
 * An output's queue and the thread that writes it, so that reading the
 * kernel never waits for an output.  The reader hands over items (a batch
 * of lines for a stream, one event for a message output) and goes on; when
 * the queue holds its byte limit, the item is dropped and counted, and the
 * other outputs are not affected: each output has its own writer thread.
 * A replay may wait instead (it must not lose, and nothing waits on it).
 */
#ifndef SECCOMPMON_OUTQ_H
#define SECCOMPMON_OUTQ_H

#include <stddef.h>
#include <stdint.h>

#include "reporter/sink.h"

/*
 * What is queued, shared by every queue it is put on (reference counted):
 * one batch goes to every stream output without a copy.
 */
struct outq_item;

/* A batch of nevents complete lines; takes data (malloc'd).  NULL, ENOMEM. */
struct outq_item *outq_item_batch(char *data, size_t len, size_t nevents);

#define OUTQ_LOSS_REPORT 0x1	/* an events-lost event: see outq_lossrep() */
#define OUTQ_STATS	 0x2	/* a stats event: its loss is not counted */

/*
 * One event for message outputs (its line, comm and exe are copied), or, as
 * a stream item, its line and '\n' (stream 1).  NULL, ENOMEM.
 */
struct outq_item *outq_item_event(const struct sink_event *e, int stream,
    unsigned flags);

/* Let go of the caller's reference. */
void outq_item_unref(struct outq_item *it);

struct outq;

/* Default byte limit of one output's queue. */
#define OUTQ_LIMIT_DEFAULT (8u * 1024 * 1024)

/* Takes s (freed here on failure too).  NULL with errno. */
struct outq *outq_new(struct sink *s, size_t limit);

/*
 * Start the writer thread, with every signal blocked.  block: a full queue
 * makes outq_put() wait instead of dropping (a replay).  Before the seccomp
 * filter (it creates a thread) and after privileges are shed (capabilities
 * are per thread).  0, or -1 with errno.
 */
int outq_start(struct outq *q, int block);

/*
 * Queue it (a new reference is taken).  0, or -1 when it was dropped
 * (counted as the output's loss, except a loss or stats report's): the queue is
 * full or the output is gone for good (EPIPE).  The first drop of a run and
 * the end of the run are logged once each.  Before outq_start(), nothing
 * is written until it is called.
 */
int outq_put(struct outq *q, struct outq_item *it);

/* Count nevents the caller could not even make an item for. */
void outq_drop(struct outq *q, uint64_t nevents);

/* SIGHUP: the writer reopens the output between two items and logs it. */
void outq_reopen(struct outq *q);

/*
 * Wait until everything queued is written, or until deadline_ms
 * (log_now_ms() clock; -1: no limit).  0 when all was written (or the
 * output was given up), 1 when something is still queued.
 */
int outq_sync(struct outq *q, int64_t deadline_ms);

/*
 * Periodic (now_ms: log_now_ms()): say once that the output has not
 * finished a write for OUTQ_STALL_MS, and once that it moves again.
 */
#define OUTQ_STALL_MS 5000
void outq_watch(struct outq *q, int64_t now_ms);

/*
 * At exit: give up on an output that has been stalled (OUTQ_STALL_MS)
 * rather than wait for it: what waits in its queue is dropped and counted,
 * the write under way gets one last try, and later puts are dropped.
 * 1 when it was given up now (and logged), else 0.
 */
int outq_abandon_stalled(struct outq *q, int64_t now_ms);

/* What an output has done, a consistent snapshot. */
struct outq_state {
	struct sink_counters	c;	/* the sink's own (the writer's) */
	uint64_t	dropped;	/* events dropped by the queue */
	uint64_t	lossrep_lost;	/* loss and stats reports in
					   c.events_lost */
	int		err;		/* sink_error(), 0 when working */
	size_t		bytes;		/* queued now */
};
void outq_state(struct outq *q, struct outq_state *st);

/*
 * The events this output lost that it must be told of: events the sink
 * failed and the queue dropped, not the loss and stats reports it failed
 * to take.
 */
uint64_t outq_lost(const struct outq_state *st);

/*
 * The fate of the last loss report put (OUTQ_LOSS_REPORT): at most one is
 * in flight per queue.  Reading a final fate (taken, failed) clears it.
 */
enum outq_lossrep { OUTQ_LR_NONE, OUTQ_LR_PENDING, OUTQ_LR_TAKEN,
	OUTQ_LR_FAILED };
enum outq_lossrep outq_lossrep(struct outq *q);

const char *outq_name(const struct outq *q);
int outq_is_stream(const struct outq *q);

/* The sink, for tests and for reading its counters after outq_sync(). */
struct sink *outq_sink(const struct outq *q);

/*
 * Stop the writer: a write under way is waited for (2 s at most: a file
 * system that hangs), what is still queued is given up and counted as
 * dropped.  0, or -1 when the writer did not end (it is left to exit).
 */
int outq_stop(struct outq *q);

/* outq_stop(), then free everything (unless the writer hangs).  NULL: ok. */
void outq_free(struct outq *q);

#endif
