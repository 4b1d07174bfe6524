/*
 * Records in, event lines out: decode each SECCOMP record, encode its event
 * into one batch buffer, and hand the batch to every sink when the caller
 * flushes (after each drain of the source) or when the buffer is full.
 */
#ifndef SECCOMPMON_PIPELINE_H
#define SECCOMPMON_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/log.h"
#include "reporter/event.h"
#include "reporter/obuf.h"
#include "reporter/sink.h"
#include "reporter/violation.h"

#define PIPELINE_MAX_SINKS 8
/* Flush before the batch grows past this. */
#define PIPELINE_FLUSH_BYTES (256 * 1024)

struct pipeline_counters {
	uint64_t seccomp;	/* SECCOMP records received */
	uint64_t events;	/* events written to the batch */
	uint64_t incomplete;	/* of those, from damaged records (error.message) */
	uint64_t malformed;	/* SECCOMP records with no usable header: dropped */
	uint64_t nomem;		/* events lost to allocation failure */
	uint64_t other;		/* records of other types: not for us */
	uint64_t self;		/* seccompmon's own violations */
};

struct pipeline {
	struct obuf		 out;
	size_t			 batch_events;	/* lines in out */
	struct violation	*v;		/* scratch, reused per record */
	struct event_ctx	 ev;
	struct sink		*sinks[PIPELINE_MAX_SINKS];
	size_t			 nsinks;
	struct pipeline_counters c;
	struct ratelimit	 rl_bad;
	struct ratelimit	 rl_self;
	int			 sink_errno;	/* first sink failure, sticky */
	const char		*sink_failed;
	int			 sink_reported;	/* the failure was logged */
};

/* ev is copied; its host string must outlive the pipeline.  0, or -1. */
int pipeline_init(struct pipeline *pl, const struct event_ctx *ev);

/* Takes ownership of s.  0, or -1 (E2BIG) when full. */
int pipeline_add_sink(struct pipeline *pl, struct sink *s);

/*
 * Handle one record of any type.  host overrides host.name for this record
 * (replayed node=); NULL keeps the default.  Never fails: problems are
 * counted and, rate-limited, logged.
 */
void pipeline_record(struct pipeline *pl, uint16_t type, const char *text,
    size_t len, const char *host, size_t host_len);

/* auditnl_record_fn adapter: arg is the pipeline. */
void pipeline_record_fn(void *arg, uint16_t type, const char *text,
    size_t len);

/*
 * Write the batch to every sink.  0, or -1 when a sink has failed (now or
 * before); the batch is dropped either way, and counted by the sink.
 */
int pipeline_flush(struct pipeline *pl);

void pipeline_free(struct pipeline *pl);

#endif
