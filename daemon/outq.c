/*
 * Per-output queues and writer threads.  The queue is a ring of item
 * pointers under one mutex: the reader appends, the writer takes the head,
 * writes it with the lock released and only then removes it, so the bytes
 * it holds stay counted against the limit while they are being written.
 * The sink belongs to the writer thread; the reader sees it through
 * snapshots published under the lock.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/log.h"
#include "daemon/outq.h"

struct outq_item {
	atomic_uint	 refs;
	unsigned	 flags;
	int		 stream;	/* a batch of lines, else one event */
	size_t		 nevents;
	size_t		 size;		/* bytes held, counted against limits */
	char		*data;		/* lines, or the event's line */
	size_t		 len;
	struct sink_event e;		/* message items: e.line points in data */
};

struct outq {
	pthread_mutex_t	 mu;
	pthread_cond_t	 more;		/* to the writer: work, or stop */
	pthread_cond_t	 halt;		/* to a napping writer: stop only */
	pthread_cond_t	 done;		/* to waiters: an item left */
	pthread_t	 thread;
	int		 started;
	int		 block;		/* a full queue makes put wait */
	struct sink	*sink;
	char		*name;		/* sink_name(), which the writer owns */
	int		 stream;
	size_t		 limit;
	struct outq_item **ring;
	size_t		 cap, head, n;
	size_t		 bytes;
	int		 writing;	/* the writer holds ring[head] */
	int		 stop;		/* the writer ends */
	int		 reopen;	/* SIGHUP, for the writer */
	/* Published by the writer. */
	struct sink_counters c;
	int		 err;
	uint64_t	 lossrep_lost;
	int64_t		 busy_since;	/* ring[head] taken at; 0: idle */
	enum outq_lossrep lr;
	/* The reader's own. */
	uint64_t	 dropped;
	uint64_t	 run_dropped;	/* in the current run of drops */
	int		 stall_said;
	int		 hung;		/* the writer did not end */
	int		 running;	/* the writer has reached writer_main */
};

/* ---- Items ---- */

static struct outq_item *
item_alloc(size_t extra)
{
	struct outq_item *it;

	if ((it = calloc(1, sizeof(*it) + extra)) == NULL)
		return NULL;
	atomic_init(&it->refs, 1);
	return it;
}

struct outq_item *
outq_item_batch(char *data, size_t len, size_t nevents)
{
	struct outq_item *it;

	if ((it = item_alloc(0)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	it->stream = 1;
	it->data = data;
	it->len = len;
	it->size = len;
	it->nevents = nevents;
	return it;
}

struct outq_item *
outq_item_event(const struct sink_event *e, int stream, unsigned flags)
{
	size_t extra = e->len + 1 + e->comm_len + e->exe_len;
	struct outq_item *it;
	char *p;

	if ((it = item_alloc(extra)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	p = (char *)(it + 1);
	it->flags = flags;
	it->stream = stream;
	it->nevents = 1;
	it->size = sizeof(*it) + extra;
	it->data = p;
	it->len = e->len + (stream ? 1 : 0);
	memcpy(p, e->line, e->len);
	p[e->len] = '\n';
	it->e = *e;
	it->e.line = p;
	p += e->len + 1;
	if (e->comm != NULL) {
		memcpy(p, e->comm, e->comm_len);
		it->e.comm = p;
		p += e->comm_len;
	}
	if (e->exe != NULL) {
		memcpy(p, e->exe, e->exe_len);
		it->e.exe = p;
	}
	return it;
}

void
outq_item_unref(struct outq_item *it)
{
	if (it == NULL || atomic_fetch_sub(&it->refs, 1) != 1)
		return;
	if (it->data != (char *)(it + 1))
		free(it->data);
	free(it);
}

/* ---- The writer ---- */

/* Say once that the output fails, and once that it works again. */
static void
report_health(struct outq *q)
{
	uint64_t lost = 0;
	int err = 0;

	switch (sink_health(q->sink, &err, &lost)) {
	case 1:
		errno = err;
		log_errno(LOG_ERR, "output %s failed, events are lost until it "
		    "recovers (tried again with each event)", q->name);
		break;
	case 2:
		log_notice("output %s works again; %llu events were lost "
		    "meanwhile", q->name, (unsigned long long)lost);
		break;
	}
}

/* The CLOCK_MONOTONIC time ms from now, as the conditions wait on it. */
static void
abstime(struct timespec *ts, int64_t ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	ts->tv_sec += ts->tv_nsec / 1000000000;
	ts->tv_nsec %= 1000000000;
}

/*
 * Wait up to ms for a stop (the lock held).  The writer waits like this
 * while an output cannot take more; it must still notice a stop, but not
 * be woken by every event put meanwhile (that would retry a full socket
 * once per event).
 */
static void
nap(struct outq *q, unsigned ms)
{
	struct timespec ts;

	abstime(&ts, ms);
	(void)pthread_cond_timedwait(&q->halt, &q->mu, &ts);
}

/* Back off while an output is full: 1 ms, doubling to 50 ms. */
static unsigned
backoff(unsigned ms)
{
	return ms == 0 ? 1 : ms >= 25 ? 50 : ms * 2;
}

/*
 * Write one item, the lock released around each call to the sink and held
 * in between.  A full output is waited for; a stop gives up (what is left
 * is lost, counted by the sink).  0 written, -1 failed.
 */
static int
deliver(struct outq *q, struct outq_item *it)
{
	unsigned ms = 0;
	int rc, last;

	if (it->stream) {
		pthread_mutex_unlock(&q->mu);
		rc = sink_write(q->sink, it->data, it->len, it->nevents);
		report_health(q);
		/* A tail the reader did not take yet: the next item waits. */
		while (rc == 0 && sink_retry(q->sink) == 1) {
			pthread_mutex_lock(&q->mu);
			if (q->stop) {
				pthread_mutex_unlock(&q->mu);
				break;
			}
			nap(q, ms = backoff(ms));
			pthread_mutex_unlock(&q->mu);
		}
		report_health(q);
		pthread_mutex_lock(&q->mu);
		return rc;
	}
	for (;;) {
		last = q->stop != 0;	/* a stop: one last try, then lost */
		pthread_mutex_unlock(&q->mu);
		rc = last ? sink_event(q->sink, &it->e) :
		    sink_offer(q->sink, &it->e);
		report_health(q);
		pthread_mutex_lock(&q->mu);
		if (rc != 1)
			return rc;
		nap(q, ms = backoff(ms));
	}
}

static void
publish(struct outq *q)
{
	q->c = *sink_counters(q->sink);
	q->err = sink_error(q->sink);
}

static void *
writer_main(void *arg)
{
	struct outq *q = arg;
	struct outq_item *it;
	uint64_t lost;
	int rc;

	pthread_mutex_lock(&q->mu);
	q->running = 1;		/* glibc's set-up of this thread is done */
	pthread_cond_broadcast(&q->done);
	for (;;) {
		while (q->n == 0 && !q->stop && !q->reopen)
			pthread_cond_wait(&q->more, &q->mu);
		if (q->reopen) {
			q->reopen = 0;
			pthread_mutex_unlock(&q->mu);
			if (sink_reopen(q->sink) < 0)
				log_errno(LOG_ERR, "reopening output %s",
				    q->name);
			report_health(q);
			pthread_mutex_lock(&q->mu);
			publish(q);
			continue;
		}
		if (q->n == 0 || q->stop)
			break;
		it = q->ring[q->head];
		q->writing = 1;
		q->busy_since = log_now_ms();
		lost = sink_counters(q->sink)->events_lost;
		rc = deliver(q, it);
		if (it->flags & OUTQ_LOSS_REPORT)
			q->lr = rc == 0 ? OUTQ_LR_TAKEN : OUTQ_LR_FAILED;
		if (it->flags & (OUTQ_LOSS_REPORT | OUTQ_STATS))
			q->lossrep_lost += sink_counters(q->sink)->events_lost -
			    lost;
		q->head = (q->head + 1) % q->cap;
		q->n--;
		q->bytes -= it->size;
		q->writing = 0;
		q->busy_since = 0;
		publish(q);
		pthread_cond_broadcast(&q->done);
		outq_item_unref(it);
	}
	q->writing = 0;
	pthread_cond_broadcast(&q->done);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* ---- The reader's side ---- */

struct outq *
outq_new(struct sink *s, size_t limit)
{
	pthread_condattr_t ca;
	struct outq *q;

	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->name = strdup(sink_name(s))) == NULL) {
		free(q);
		sink_free(s);
		errno = ENOMEM;
		return NULL;
	}
	q->sink = s;
	q->stream = sink_is_stream(s);
	q->limit = limit ? limit : OUTQ_LIMIT_DEFAULT;
	pthread_mutex_init(&q->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->more, &ca);
	pthread_cond_init(&q->halt, &ca);
	pthread_cond_init(&q->done, &ca);
	pthread_condattr_destroy(&ca);
	publish(q);
	return q;
}

int
outq_start(struct outq *q, int block)
{
	sigset_t all, old;
	int rc;

	if (q->started)
		return 0;
	q->block = block;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&q->thread, NULL, writer_main, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	q->started = 1;
	/*
	 * Wait until the thread runs our code: glibc registers rseq and the
	 * robust futex list in the new thread first, and a seccomp filter
	 * loaded (TSYNC) before that would deny them.
	 */
	pthread_mutex_lock(&q->mu);
	while (!q->running)
		pthread_cond_wait(&q->done, &q->mu);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

/* Room for one more pointer.  0, or -1 (ENOMEM). */
static int
ring_grow(struct outq *q)
{
	struct outq_item **r;
	size_t cap = q->cap ? q->cap * 2 : 64, i;

	if (q->n < q->cap)
		return 0;
	if ((r = malloc(cap * sizeof(*r))) == NULL)
		return -1;
	for (i = 0; i < q->n; i++)
		r[i] = q->ring[(q->head + i) % q->cap];
	free(q->ring);
	q->ring = r;
	q->cap = cap;
	q->head = 0;
	return 0;
}

static int
fits(const struct outq *q, const struct outq_item *it)
{
	/* An item larger than the limit goes alone into an empty queue. */
	return q->bytes + it->size <= q->limit || q->n == 0;
}

/* The item is dropped (the lock held). */
static int
drop(struct outq *q, struct outq_item *it, int err)
{
	if (it->flags & (OUTQ_LOSS_REPORT | OUTQ_STATS)) {
		if (it->flags & OUTQ_LOSS_REPORT)
			q->lr = OUTQ_LR_FAILED;	/* told again next time */
		errno = err;
		return -1;
	}
	q->dropped += it->nevents;
	if (q->run_dropped == 0 && err != EPIPE && err != ESHUTDOWN)
		log_msg(LOG_ERR, "output %s: its queue is full (%zu bytes "
		    "waiting): events are dropped and counted until it "
		    "catches up", q->name, q->bytes);
	q->run_dropped += it->nevents;
	errno = err;
	return -1;
}

int
outq_put(struct outq *q, struct outq_item *it)
{
	pthread_mutex_lock(&q->mu);
	if (q->err == EPIPE || q->stop) {
		drop(q, it, q->stop ? ESHUTDOWN : EPIPE);
		pthread_mutex_unlock(&q->mu);
		return -1;
	}
	while (q->block && q->started && !fits(q, it) && q->err != EPIPE)
		pthread_cond_wait(&q->done, &q->mu);
	if (!fits(q, it) || ring_grow(q) < 0) {
		drop(q, it, fits(q, it) ? ENOMEM : ENOBUFS);
		pthread_mutex_unlock(&q->mu);
		return -1;
	}
	if (q->run_dropped > 0 &&
	    !(it->flags & (OUTQ_LOSS_REPORT | OUTQ_STATS))) {
		log_notice("output %s caught up; %llu events were dropped "
		    "while its queue was full", q->name,
		    (unsigned long long)q->run_dropped);
		q->run_dropped = 0;
	}
	atomic_fetch_add(&it->refs, 1);
	q->ring[(q->head + q->n) % q->cap] = it;
	q->n++;
	q->bytes += it->size;
	if (it->flags & OUTQ_LOSS_REPORT)
		q->lr = OUTQ_LR_PENDING;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

void
outq_drop(struct outq *q, uint64_t nevents)
{
	pthread_mutex_lock(&q->mu);
	q->dropped += nevents;
	pthread_mutex_unlock(&q->mu);
}

void
outq_reopen(struct outq *q)
{
	pthread_mutex_lock(&q->mu);
	q->reopen = 1;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
}

int
outq_sync(struct outq *q, int64_t deadline_ms)
{
	struct timespec ts;
	int64_t now;
	int rc;

	pthread_mutex_lock(&q->mu);
	/* A stopped (given up) output is waited for no more. */
	while (q->started && !q->stop && (q->n > 0 || q->reopen)) {
		if (deadline_ms < 0) {
			pthread_cond_wait(&q->done, &q->mu);
			continue;
		}
		if ((now = log_now_ms()) >= deadline_ms)
			break;
		/* log_now_ms() is CLOCK_MONOTONIC, as the condition's. */
		abstime(&ts, deadline_ms - now);
		(void)pthread_cond_timedwait(&q->done, &q->mu, &ts);
	}
	rc = q->started && !q->stop && q->n > 0;
	pthread_mutex_unlock(&q->mu);
	return rc;
}

/* How long outq_abandon_stalled() waits for the last try. */
#define LAST_TRY_MS 1000

/* Wait (the lock held) until the writer has no item, for ms at most. */
static void
wait_idle(struct outq *q, int64_t ms)
{
	struct timespec ts;

	abstime(&ts, ms);
	while (q->writing && pthread_cond_timedwait(&q->done, &q->mu,
	    &ts) != ETIMEDOUT)
		continue;
}

/* Drop what waits behind the item being written (the lock held). */
static void
drop_queued(struct outq *q)
{
	struct outq_item *it;
	size_t keep = q->writing ? 1 : 0;

	while (q->n > keep) {
		it = q->ring[(q->head + q->n - 1) % q->cap];
		if (!(it->flags & (OUTQ_LOSS_REPORT | OUTQ_STATS)))
			q->dropped += it->nevents;
		else if (it->flags & OUTQ_LOSS_REPORT)
			q->lr = OUTQ_LR_FAILED;
		q->bytes -= it->size;
		q->n--;
		outq_item_unref(it);
	}
}

int
outq_abandon_stalled(struct outq *q, int64_t now_ms)
{
	uint64_t before;
	int64_t since;

	pthread_mutex_lock(&q->mu);
	since = q->busy_since;
	if (q->stop || since == 0 || now_ms - since < OUTQ_STALL_MS) {
		pthread_mutex_unlock(&q->mu);
		return 0;
	}
	before = q->dropped;
	q->stop = 1;		/* the write under way gets one last try */
	drop_queued(q);
	pthread_cond_broadcast(&q->more);
	pthread_cond_broadcast(&q->halt);
	pthread_cond_broadcast(&q->done);
	/*
	 * Its fate counted before the last reports are made: a message
	 * output's last try returns at once; a write(2) that hangs is left.
	 */
	wait_idle(q, LAST_TRY_MS);
	log_msg(LOG_ERR, "output %s: stalled for %lld s at exit, given up: "
	    "%llu queued events lost (counted)", q->name,
	    (long long)((now_ms - since) / 1000),
	    (unsigned long long)(q->dropped - before));
	pthread_mutex_unlock(&q->mu);
	return 1;
}

void
outq_watch(struct outq *q, int64_t now_ms)
{
	int64_t since;

	pthread_mutex_lock(&q->mu);
	since = q->busy_since;
	if (since != 0 && now_ms - since >= OUTQ_STALL_MS && !q->stall_said) {
		q->stall_said = 1;
		log_msg(LOG_ERR, "output %s stalled: a write has not finished "
		    "for %lld s; events queue up (%zu of %zu bytes) and are "
		    "dropped when the queue is full", q->name,
		    (long long)((now_ms - since) / 1000), q->bytes, q->limit);
	} else if (q->stall_said && (since == 0 ||
	    now_ms - since < OUTQ_STALL_MS)) {
		q->stall_said = 0;
		log_notice("output %s moves again", q->name);
	}
	pthread_mutex_unlock(&q->mu);
}

void
outq_state(struct outq *q, struct outq_state *st)
{
	pthread_mutex_lock(&q->mu);
	st->c = q->c;
	st->dropped = q->dropped;
	st->lossrep_lost = q->lossrep_lost;
	st->err = q->err;
	st->bytes = q->bytes;
	pthread_mutex_unlock(&q->mu);
}

uint64_t
outq_lost(const struct outq_state *st)
{
	return st->c.events_lost - st->lossrep_lost + st->dropped;
}

enum outq_lossrep
outq_lossrep(struct outq *q)
{
	enum outq_lossrep lr;

	pthread_mutex_lock(&q->mu);
	lr = q->lr;
	if (lr == OUTQ_LR_TAKEN || lr == OUTQ_LR_FAILED)
		q->lr = OUTQ_LR_NONE;
	pthread_mutex_unlock(&q->mu);
	return lr;
}

const char *
outq_name(const struct outq *q)
{
	return q->name;
}

int
outq_is_stream(const struct outq *q)
{
	return q->stream;
}

struct sink *
outq_sink(const struct outq *q)
{
	return q->sink;
}

/* How long outq_stop() waits for a write under way (a hung file system). */
#define JOIN_MAX_MS 2000

int
outq_stop(struct outq *q)
{
	struct timespec ts;

	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_broadcast(&q->more);
	pthread_cond_broadcast(&q->halt);
	pthread_mutex_unlock(&q->mu);
	if (q->started) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += JOIN_MAX_MS / 1000;
		if (pthread_timedjoin_np(q->thread, NULL, &ts) != 0) {
			log_warnx("output %s: a write did not return at exit",
			    q->name);
			q->hung = 1;
			return -1;
		}
		q->started = 0;
	}
	pthread_mutex_lock(&q->mu);
	drop_queued(q);		/* the writer has ended: all of it */
	publish(q);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

void
outq_free(struct outq *q)
{
	if (q == NULL)
		return;
	if (!q->hung)
		(void)outq_stop(q);
	if (q->hung)
		return;		/* a writer still in write(2): left to exit */
	free(q->ring);
	sink_free(q->sink);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->halt);
	pthread_cond_destroy(&q->done);
	pthread_mutex_destroy(&q->mu);
	free(q->name);
	free(q);
}
