/*
 * Storm control: per key (executable, uid, arch, syscall, action, node,
 * self) the first `burst` records of a window pass, the rest fold into one
 * summary per key per window.  Pure: the caller passes every time (a
 * record's own time, or the clock's for the tick) in ms since the epoch,
 * so a replay gives the same windows every run.
 */
#ifndef SECCOMPMON_STORM_H
#define SECCOMPMON_STORM_H

#include <stddef.h>
#include <stdint.h>

#include "reporter/event.h"
#include "reporter/obuf.h"

#define STORM_WINDOW 10		/* seconds */
#define STORM_BURST 10		/* records per key per window that pass */
#define STORM_MAX_KEYS 4096	/* keys per window; more share one key */
#define STORM_SELF_BURST 1	/* the daemon's own records */
#define STORM_PIDS 5		/* pids a summary samples */

#define STORM_ACTION_SUMMARY "violations-summarized"

struct storm_conf {
	int		enabled;
	uint32_t	window;		/* seconds, >= 1 */
	uint32_t	burst;
	uint32_t	max_keys;	/* >= 1 */
};

/* What a key holds present. */
#define STORM_K_UID	0x1
#define STORM_K_ARCH	0x2
#define STORM_K_SYSCALL	0x4
#define STORM_K_ACTION	0x8

struct storm_key {
	const char	*exe;		/* NULL: none */
	size_t		 exe_len;
	const char	*node;		/* a replayed node=; NULL: this host */
	size_t		 node_len;
	unsigned	 present;	/* STORM_K_* */
	uint32_t	 uid;
	uint32_t	 arch;
	int64_t		 syscall;
	uint32_t	 action;	/* code & 0xffff0000 */
	int		 self;		/* the daemon's own record */
};

struct storm_summary {
	const struct storm_key *key;	/* NULL: the keys beyond max_keys */
	uint64_t	count;		/* records folded, not those passed */
	int64_t		first_ms;	/* of the folded records */
	int64_t		last_ms;
	int32_t		pids[STORM_PIDS];	/* distinct, first seen */
	size_t		npids;
};

/* Called once per summary when a window closes; s is valid for the call. */
typedef void (*storm_emit_fn)(void *arg, const struct storm_summary *s);

struct storm;

/* sc is copied.  NULL with errno EINVAL (a zero window or max_keys), ENOMEM. */
struct storm *storm_new(const struct storm_conf *sc);

/*
 * One record of key k at time t_ms (its own time) from pid (-1: none).
 * A t_ms in a later window, or more than one window earlier (the clock was
 * set back), first closes the open window through emit; one window earlier
 * (a late record) counts in the open one.  Returns 1 when the record is to
 * be reported as it is, 0 when it was folded into its key's summary.
 * Never loses a record: when memory runs out, the record passes.
 */
int storm_check(struct storm *st, const struct storm_key *k, int64_t t_ms,
    int32_t pid, storm_emit_fn emit, void *arg);

/*
 * The clock says now_ms: if the open window has ended, close it through
 * emit (summaries in the order their keys first appeared) and open the
 * window of now_ms.
 */
void storm_tick(struct storm *st, int64_t now_ms, storm_emit_fn emit,
    void *arg);

/* Close the open window whatever the time (shutdown, end of a replay). */
void storm_flush(struct storm *st, storm_emit_fn emit, void *arg);

/* Records folded into the open window so far (not yet emitted). */
uint64_t storm_pending(const struct storm *st);

/*
 * Append the summary event for s, ending in '\n', to b (docs/events.md).
 * ctx gives host.name when s's key has no node.  0, or -1 (ENOMEM) with b
 * as it was.
 */
int storm_encode(struct obuf *b, const struct storm_summary *s,
    const struct event_ctx *ctx);

void storm_free(struct storm *st);

#endif
