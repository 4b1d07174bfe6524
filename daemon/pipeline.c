/*
 * The event path.  Per record: a decode into a reused struct and an encode
 * into the batch buffer.  At the flush the batch is handed, without a copy,
 * to the queue of every stream output, whose writer thread shares one
 * write(2) among every event of a drain; message outputs get one queued
 * item per event.  Nothing here waits for an output (daemon/outq.h).
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/audit.h>

#include "daemon/log.h"
#include "daemon/outq.h"
#include "daemon/pipeline.h"
#include "reporter/obuf.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"
#include "reporter/violation.h"

/*
 * What an output has been told of: the totals as of the last events-lost
 * event it took, and from when.  out[j] is output j's lost events (without
 * the loss reports it failed to take, outq_lost()).
 */
struct lossmark {
	int64_t			 since_ms;
	struct pipeline_srcloss	 src;
	uint64_t		 malformed;
	uint64_t		 nomem;
	uint64_t		*out;		/* one per output */
};

/* Per output: what it took, and what the report in its queue says. */
struct lossmarks {
	struct lossmark		 told;
	struct lossmark		 sent;		/* valid while one is queued */
};

struct pipeline {
	struct obuf		 out;		/* the batch for streams */
	size_t			 batch_events;	/* lines in out */
	struct violation	*v;		/* scratch, reused per record */
	struct event_ctx	 ev;
	struct outq		**qs;
	size_t			 nsinks;
	size_t			 nstreams;	/* of which take batches */
	struct pipeline_counters c;
	struct ratelimit	 rl_bad;
	struct ratelimit	 rl_self;
	struct storm		*storm;		/* NULL: storm control off */
	int			 storm_clock;	/* windows follow the tick too */
	struct lossmarks	*marks;		/* per output, see above */
	struct event_lost_output *outs;		/* per output, scratch */
	struct outq_state	*st;		/* per output, scratch */
	struct obuf		 lossbuf;
	int64_t			 born_ms;	/* wall clock */
	int			 started;	/* writers run */
	struct statmark		*stats;		/* NULL until pipeline_stats */
	struct context		*cx;		/* NULL: no context (replay) */
	pipeline_denial_fn	 denial_fn;	/* NULL: none */
	void			*denial_arg;
};

static void statmark_free(struct statmark *);
static void batch_reserve(struct pipeline *);

struct pipeline *
pipeline_new(const struct event_ctx *ev)
{
	struct pipeline *pl;

	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		return NULL;
	obuf_init(&pl->out);
	obuf_init(&pl->lossbuf);
	pl->born_ms = pipeline_now_ms();
	if ((pl->v = malloc(sizeof(*pl->v))) == NULL) {
		pipeline_free(pl);
		errno = ENOMEM;
		return NULL;
	}
	pl->ev = *ev;
	return pl;
}

int
pipeline_add_sink(struct pipeline *pl, struct sink *s, size_t queue_limit)
{
	struct outq **p, *q;

	/* Outputs are all added before serving. */
	if (pl->marks != NULL || pl->started || pl->stats != NULL) {
		sink_free(s);
		errno = EBUSY;
		return -1;
	}
	if ((p = realloc(pl->qs, (pl->nsinks + 1) * sizeof(*p))) == NULL) {
		sink_free(s);
		errno = ENOMEM;
		return -1;
	}
	pl->qs = p;
	if ((q = outq_new(s, queue_limit)) == NULL)
		return -1;
	pl->qs[pl->nsinks++] = q;
	if (outq_is_stream(q))
		pl->nstreams++;
	return 0;
}

int
pipeline_start(struct pipeline *pl, int block)
{
	size_t i;

	if (pl->started)
		return 0;
	/*
	 * One malloc arena for every thread: a writer's own arena would be
	 * grown with mprotect(2), which the seccomp filter does not allow.
	 */
	(void)mallopt(M_ARENA_MAX, 1);
	/*
	 * Batch buffers come from the heap and their pages stay mapped when
	 * freed: glibc would otherwise mmap each batch (or trim the heap
	 * under it) and every new batch would fault in fresh zeroed pages,
	 * which cost more than the encoding (issue 8: 7,000-9,500 page
	 * faults per 200,000 events).  The queues' limits bound the heap.
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	(void)mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
	if ((pl->st = calloc(pl->nsinks + 1, sizeof(*pl->st))) == NULL)
		return -1;
	for (i = 0; i < pl->nsinks; i++)
		if (outq_start(pl->qs[i], block) < 0)
			return -1;
	batch_reserve(pl);
	pl->started = 1;
	return 0;
}

int
pipeline_sync(struct pipeline *pl, int64_t deadline_ms)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < pl->nsinks; i++)
		rc |= outq_sync(pl->qs[i], deadline_ms);
	return rc;
}

void
pipeline_output_state(const struct pipeline *pl, size_t i,
    struct outq_state *st)
{
	outq_state(pl->qs[i], st);
}

size_t
pipeline_nsinks(const struct pipeline *pl)
{
	return pl->nsinks;
}

struct sink *
pipeline_sink(const struct pipeline *pl, size_t i)
{
	return i < pl->nsinks ? outq_sink(pl->qs[i]) : NULL;
}

static void
report_bad(struct pipeline *pl, const char *why, const char *text, size_t len)
{
	int64_t suppressed = ratelimit_allow(&pl->rl_bad, log_now_ms());
	int shown = len > 160 ? 160 : (int)len;

	if (suppressed < 0)
		return;
	log_warnx("dropped SECCOMP record (%s; %llu so far%s): %.*s%s", why,
	    (unsigned long long)pl->c.malformed,
	    suppressed > 0 ? ", more warnings were suppressed" : "",
	    shown, text, (size_t)shown < len ? "..." : "");
}

/* The sandbox denied (or logged) one of seccompmon's own calls. */
static void
report_self(struct pipeline *pl)
{
	const struct violation *v = pl->v;
	const char *name = NULL;
	int64_t suppressed;

	pl->c.self++;
	if ((suppressed = ratelimit_allow(&pl->rl_self, log_now_ms())) < 0)
		return;
	if (v->present & VF_BIT(VF_SYSCALL))
		name = systab_syscall_name(v->arch, v->syscall);
	log_msg(LOG_ERR, "seccompmon broke its own seccomp policy: syscall "
	    "%s (%lld), action %s; the policy is too tight, or this process "
	    "is doing what it should not%s", name ? name : "?",
	    (long long)v->syscall, verdict_of(v->code)->action,
	    suppressed > 0 ? " (more were suppressed)" : "");
}

/* A batch's buffer: the flush threshold and room for the event past it. */
#define BATCH_CAP (PIPELINE_FLUSH_BYTES + 64 * 1024)

#define HAS(v, f) (((v)->present & VF_BIT(f)) != 0)

/* One event to every message output, through their queues. */
static void
to_messages(struct pipeline *pl, const struct sink_event *e)
{
	struct outq_item *it;
	size_t i;

	it = outq_item_event(e, 0, 0);
	for (i = 0; i < pl->nsinks; i++) {
		if (outq_is_stream(pl->qs[i]))
			continue;
		if (it == NULL)
			outq_drop(pl->qs[i], 1);
		else
			(void)outq_put(pl->qs[i], it);
	}
	outq_item_unref(it);
}

/* The event just encoded at out[start..], to every message output. */
static void
send_event(struct pipeline *pl, size_t start)
{
	const struct violation *v = pl->v;
	const struct verdict *vd = verdict_of(v->code);
	struct sink_event e;

	memset(&e, 0, sizeof(e));
	e.line = pl->out.data + start;
	e.len = pl->out.len - start - 1;	/* without the '\n' */
	e.sec = v->time_sec;
	e.msec = v->time_msec;
	e.action = HAS(v, VF_CODE) ? vd->action : "unknown";
	e.severity = HAS(v, VF_CODE) ? vd->severity : verdict_of(~0u)->severity;
	e.pid = HAS(v, VF_PID) ? (int64_t)v->pid : -1;
	if (HAS(v, VF_SYSCALL)) {
		e.has_syscall = 1;
		e.syscall_nr = v->syscall;
	}
	if (HAS(v, VF_ARCH)) {
		e.arch = systab_arch_name(v->arch, e.has_syscall ?
		    v->syscall : 0);
		if (e.has_syscall)
			e.syscall = systab_syscall_name(v->arch, v->syscall);
	}
	if (HAS(v, VF_COMM)) {
		e.comm = violation_str(v, v->comm);
		e.comm_len = v->comm.len;
	}
	if (HAS(v, VF_EXE) && v->exe.len > 0) {
		e.exe = violation_str(v, v->exe);
		e.exe_len = v->exe.len;
	}
	to_messages(pl, &e);
}

/* A summary to every message output, with its key's fields. */
static void
send_summary(struct pipeline *pl, const struct storm_summary *s,
    size_t start)
{
	const struct storm_key *k = s->key;
	const struct verdict *vd = verdict_of(k && (k->present &
	    STORM_K_ACTION) ? k->action : ~0u);
	struct sink_event e;

	memset(&e, 0, sizeof(e));
	e.line = pl->out.data + start;
	e.len = pl->out.len - start - 1;
	e.sec = (uint64_t)(s->first_ms / 1000);
	e.msec = (uint32_t)(s->first_ms % 1000);
	e.action = k && (k->present & STORM_K_ACTION) ? vd->action : "unknown";
	e.severity = vd->severity;
	e.pid = -1;
	if (k != NULL && (k->present & STORM_K_SYSCALL)) {
		e.has_syscall = 1;
		e.syscall_nr = k->syscall;
	}
	if (k != NULL && (k->present & STORM_K_ARCH)) {
		e.arch = systab_arch_name(k->arch, e.has_syscall ?
		    k->syscall : 0);
		if (e.has_syscall)
			e.syscall = systab_syscall_name(k->arch, k->syscall);
	}
	if (k != NULL && k->exe != NULL && k->exe_len > 0) {
		e.exe = k->exe;
		e.exe_len = k->exe_len;
	}
	to_messages(pl, &e);
}

/* storm_emit_fn: one window's summary of one key, as an event. */
static void
emit_summary(void *arg, const struct storm_summary *s)
{
	struct pipeline *pl = arg;
	size_t start = pl->out.len;

	if (storm_encode(&pl->out, s, &pl->ev) < 0) {
		pl->c.nomem += s->count;	/* the records it stood for */
		pl->c.summarized -= s->count;
		return;
	}
	pl->c.summaries++;
	if (pl->nstreams < pl->nsinks)
		send_summary(pl, s, start);
	if (pl->nstreams == 0)
		obuf_truncate(&pl->out, start);
	else {
		pl->batch_events++;
		if (pl->out.len >= PIPELINE_FLUSH_BYTES)
			(void)pipeline_flush(pl);
	}
}

/*
 * Whether storm control folds the record in pl->v.  Records with damage
 * the decoder saw always pass: their event carries event.original and
 * error.message, which a summary would lose.
 */
static int
storm_folds(struct pipeline *pl, const char *node, size_t node_len)
{
	const struct violation *v = pl->v;
	struct storm_key k;
	int self;

	if (pl->storm == NULL || v->invalid || v->misquoted ||
	    (VF_REQUIRED & ~v->present))
		return 0;
	memset(&k, 0, sizeof(k));
	if (v->exe.len > 0) {
		k.exe = violation_str(v, v->exe);
		k.exe_len = v->exe.len;
	}
	k.node = node;
	k.node_len = node != NULL ? node_len : 0;
	k.present = STORM_K_UID | STORM_K_ARCH | STORM_K_SYSCALL |
	    STORM_K_ACTION;
	k.uid = v->uid;
	k.arch = v->arch;
	k.syscall = v->syscall;
	k.action = v->code & 0xffff0000u;	/* SECCOMP_RET_ACTION_FULL */
	self = pl->ev.self_pid != 0 && v->pid == pl->ev.self_pid;
	k.self = self;
	if (storm_check(pl->storm, &k, (int64_t)v->time_sec * 1000 +
	    v->time_msec, v->pid, emit_summary, pl) == 1)
		return 0;
	pl->c.summarized++;
	if (self)
		report_self(pl);
	return 1;
}

/*
 * An errno, trap, trace or user_notif record is only written when the
 * process's filter asked for it (SECCOMP_FILTER_FLAG_LOG): tell the hook.
 */
static void
note_denial(struct pipeline *pl)
{
	const struct violation *v = pl->v;
	uint32_t a = v->code & 0xffff0000u;	/* SECCOMP_RET_ACTION_FULL */

	if (HAS(v, VF_CODE) && HAS(v, VF_PID) && (a == 0x00030000u ||
	    a == 0x00050000u || a == 0x7fc00000u || a == 0x7ff00000u))
		pl->denial_fn(pl->denial_arg, v->pid, (int64_t)v->time_sec *
		    1000 + v->time_msec);
}

void
pipeline_record(void *arg, uint16_t type, const char *text, size_t len,
    const char *node, size_t node_len)
{
	struct pipeline *pl = arg;
	struct event_ctx ev;
	enum violation_error err;
	const struct event_ctx *ctx = &pl->ev;
	size_t start;
	int rc;

	if (type != AUDIT_SECCOMP) {
		pl->c.other++;
		return;
	}
	pl->c.seccomp++;
	if ((err = violation_decode(text, len, pl->v)) != VIOLATION_OK) {
		pl->c.malformed++;
		report_bad(pl, violation_strerror(err), text, len);
		return;
	}
	if (pl->denial_fn != NULL)
		note_denial(pl);
	if (storm_folds(pl, node, node_len))
		return;
	start = pl->out.len;	/* after the summaries a new window made */
	if (node != NULL || pl->cx != NULL) {
		ev = pl->ev;
		if (node != NULL) {
			ev.host = node;
			ev.host_len = node_len;
			ev.flags |= EVENT_HOST_NODE;
		}
		if (pl->cx != NULL)
			ev.proc = context_of(pl->cx, pl->v);
		ctx = &ev;
	}
	if ((rc = event_encode(&pl->out, pl->v, text, len, ctx)) < 0) {
		pl->c.nomem++;
		return;
	}
	pl->c.events++;
	if (rc == 1)
		pl->c.incomplete++;
	if (pl->ev.self_pid != 0 && HAS(pl->v, VF_PID) &&
	    pl->v->pid == pl->ev.self_pid)
		report_self(pl);
	if (pl->nstreams < pl->nsinks)
		send_event(pl, start);
	if (pl->nstreams == 0)
		obuf_truncate(&pl->out, start);	/* no stream wants the batch */
	else {
		pl->batch_events++;
		if (pl->out.len >= PIPELINE_FLUSH_BYTES)
			(void)pipeline_flush(pl);
	}
}

/*
 * A new batch buffer at its full size at once, not grown by doubling from
 * 4 KiB with a copy per step.  Failing is fine: obuf grows on demand.
 */
static void
batch_reserve(struct pipeline *pl)
{
	if (pl->nstreams > 0 && obuf_reserve(&pl->out, BATCH_CAP) < 0)
		obuf_reset(&pl->out);
}

int
pipeline_flush(struct pipeline *pl)
{
	struct outq_item *it = NULL;
	struct outq_state st;
	size_t i, gone = 0;
	char *p;

	if (pl->out.len > 0 && pl->nstreams > 0) {
		/*
		 * The batch moves to the queues; a new one is started.  Its
		 * unused tail is given back first (in place, no copy): the
		 * queue's limit counts the bytes it holds.
		 */
		if (pl->out.cap - pl->out.len >= 4096 &&
		    (p = realloc(pl->out.data, pl->out.len)) != NULL)
			pl->out.data = p;
		if ((it = outq_item_batch(pl->out.data, pl->out.len,
		    pl->batch_events)) != NULL) {
			obuf_init(&pl->out);
			batch_reserve(pl);
		}
		for (i = 0; i < pl->nsinks; i++) {
			if (!outq_is_stream(pl->qs[i]))
				continue;
			if (it == NULL)
				outq_drop(pl->qs[i], pl->batch_events);
			else
				(void)outq_put(pl->qs[i], it);
		}
		outq_item_unref(it);
	}
	obuf_reset(&pl->out);
	pl->batch_events = 0;
	/* Every output gone for good (EPIPE): nothing can be delivered. */
	for (i = 0; i < pl->nsinks; i++) {
		outq_state(pl->qs[i], &st);
		if (st.err == EPIPE)
			gone++;
	}
	if (pl->nsinks > 0 && gone == pl->nsinks) {
		errno = EPIPE;
		return -1;
	}
	return 0;
}

void
pipeline_watch(struct pipeline *pl, int64_t mono_ms)
{
	size_t i;

	for (i = 0; i < pl->nsinks; i++)
		outq_watch(pl->qs[i], mono_ms);
}

int
pipeline_abandon_stalled(struct pipeline *pl, int64_t mono_ms)
{
	size_t i;
	int n = 0;

	for (i = 0; i < pl->nsinks; i++)
		n += outq_abandon_stalled(pl->qs[i], mono_ms);
	return n;
}

void
pipeline_reopen(struct pipeline *pl)
{
	size_t i;

	log_info("SIGHUP: reopening %zu output(s)", pl->nsinks);
	for (i = 0; i < pl->nsinks; i++)
		outq_reopen(pl->qs[i]);
}

int
pipeline_set_storm(struct pipeline *pl, const struct storm_conf *sc,
    int follow_clock)
{
	struct storm *st = NULL;

	if (sc->enabled && (st = storm_new(sc)) == NULL)
		return -1;
	pipeline_finish(pl);	/* what the old one folded, summarized */
	storm_free(pl->storm);
	pl->storm = st;
	pl->storm_clock = follow_clock;
	return 0;
}

/* ---- Loss reports ---- */

int64_t
pipeline_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
marks_free(struct pipeline *pl)
{
	size_t i;

	for (i = 0; pl->marks != NULL && i < pl->nsinks; i++) {
		free(pl->marks[i].told.out);
		free(pl->marks[i].sent.out);
	}
	free(pl->marks);
	free(pl->outs);
	pl->marks = NULL;
	pl->outs = NULL;
}

/* At the first report, when every output is known.  0, or -1 (ENOMEM). */
static int
marks_init(struct pipeline *pl)
{
	size_t i, n = pl->nsinks;

	if ((pl->outs = calloc(n, sizeof(*pl->outs))) == NULL ||
	    (pl->marks = calloc(n, sizeof(*pl->marks))) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		pl->marks[i].told.since_ms = pl->born_ms;
		if ((pl->marks[i].told.out = calloc(n,
		    sizeof(uint64_t))) == NULL ||
		    (pl->marks[i].sent.out = calloc(n,
		    sizeof(uint64_t))) == NULL)
			goto fail;
	}
	return 0;
fail:
	marks_free(pl);
	return -1;
}

static void
mark_copy(struct lossmark *to, const struct lossmark *from, size_t n)
{
	uint64_t *out = to->out;

	memcpy(out, from->out, n * sizeof(*out));
	*to = *from;
	to->out = out;
}

/* Queue the one line in lossbuf for output i.  1 when it was queued. */
static int
send_lost(struct pipeline *pl, size_t i, int64_t now_ms)
{
	struct outq_item *it;
	struct sink_event e;
	int rc;

	memset(&e, 0, sizeof(e));
	e.line = pl->lossbuf.data;
	e.len = pl->lossbuf.len - 1;	/* without the '\n' */
	e.severity = LOG_WARNING;
	e.sec = (uint64_t)(now_ms / 1000);
	e.msec = (uint32_t)(now_ms % 1000);
	e.action = EVENT_ACTION_LOST;
	e.pid = -1;
	if ((it = outq_item_event(&e, outq_is_stream(pl->qs[i]),
	    OUTQ_LOSS_REPORT)) == NULL)
		return 0;
	rc = outq_put(pl->qs[i], it);
	outq_item_unref(it);
	return rc == 0;
}

void
pipeline_set_context(struct pipeline *pl, struct context *cx)
{
	pl->cx = cx;
}

void
pipeline_tick(struct pipeline *pl, int64_t now_ms)
{
	uint64_t before = pl->c.summaries;

	context_tick(pl->cx);
	if (pl->storm == NULL || !pl->storm_clock)
		return;
	storm_tick(pl->storm, now_ms, emit_summary, pl);
	if (pl->c.summaries != before)
		(void)pipeline_flush(pl);
}

void
pipeline_finish(struct pipeline *pl)
{
	if (pl->storm != NULL)
		storm_flush(pl->storm, emit_summary, pl);
}

void
pipeline_lost(struct pipeline *pl, const struct pipeline_srcloss *src,
    int64_t now_ms)
{
	static const struct pipeline_srcloss none;
	struct event_lost_output *outs;
	struct event_lost l;
	struct lossmarks *m;
	struct lossmark *t;
	size_t i, j, n = pl->nsinks;
	int any;

	if (src == NULL)
		src = &none;
	(void)pipeline_flush(pl);	/* the violations come first */
	if (n == 0 || pl->st == NULL ||
	    (pl->marks == NULL && marks_init(pl) < 0))
		return;
	outs = pl->outs;
	for (j = 0; j < n; j++)
		outq_state(pl->qs[j], &pl->st[j]);
	for (i = 0; i < n; i++) {
		m = &pl->marks[i];
		switch (outq_lossrep(pl->qs[i])) {
		case OUTQ_LR_PENDING:
			continue;	/* one at a time: wait for its fate */
		case OUTQ_LR_TAKEN:
			mark_copy(&m->told, &m->sent, n);
			break;
		default:		/* none, or failed: told next time */
			break;
		}
		t = &m->told;
		memset(&l, 0, sizeof(l));
		l.start_ms = t->since_ms;
		l.end_ms = now_ms;
		l.kernel_lost = src->kernel_lost - t->src.kernel_lost;
		l.enobufs = src->enobufs - t->src.enobufs;
		l.socket_dropped = src->socket_dropped -
		    t->src.socket_dropped;
		l.bad_datagrams = src->bad_datagrams - t->src.bad_datagrams;
		l.malformed = pl->c.malformed - t->malformed;
		l.nomem = pl->c.nomem - t->nomem;
		any = l.kernel_lost || l.enobufs || l.malformed || l.nomem ||
		    l.socket_dropped || l.bad_datagrams;
		for (j = 0; j < n; j++) {
			outs[j].name = outq_name(pl->qs[j]);
			outs[j].count = outq_lost(&pl->st[j]) - t->out[j];
			any |= outs[j].count != 0;
		}
		if (!any)
			continue;
		l.outputs = outs;
		l.noutputs = n;
		obuf_reset(&pl->lossbuf);
		if (event_encode_lost(&pl->lossbuf, &l, &pl->ev) < 0 ||
		    !send_lost(pl, i, now_ms))
			continue;	/* told next time */
		m->sent.since_ms = now_ms;
		m->sent.src = *src;
		m->sent.malformed = pl->c.malformed;
		m->sent.nomem = pl->c.nomem;
		for (j = 0; j < n; j++)
			m->sent.out[j] = t->out[j] + outs[j].count;
	}
}

const struct pipeline_counters *
pipeline_counters(const struct pipeline *pl)
{
	return &pl->c;
}

void
pipeline_report(const struct pipeline *pl)
{
	const struct pipeline_counters *c = &pl->c;
	struct procctx_counters cc;
	struct outq_state st;
	size_t i;

	log_info("counters: seccomp_records=%llu events=%llu incomplete=%llu "
	    "malformed=%llu other_records=%llu nomem=%llu self=%llu "
	    "summarized=%llu summaries=%llu",
	    (unsigned long long)c->seccomp, (unsigned long long)c->events,
	    (unsigned long long)c->incomplete,
	    (unsigned long long)c->malformed, (unsigned long long)c->other,
	    (unsigned long long)c->nomem, (unsigned long long)c->self,
	    (unsigned long long)c->summarized,
	    (unsigned long long)c->summaries);
	if (pl->cx != NULL) {
		context_counters(pl->cx, &cc);
		log_info("context: live=%llu cached=%llu gone=%llu "
		    "cache_hits=%llu stat_reads=%llu evicted=%llu",
		    (unsigned long long)cc.live,
		    (unsigned long long)cc.cached,
		    (unsigned long long)cc.gone, (unsigned long long)cc.hits,
		    (unsigned long long)cc.reads,
		    (unsigned long long)cc.evicted);
	}
	for (i = 0; i < pl->nsinks; i++) {
		outq_state(pl->qs[i], &st);
		log_info("output %s: events=%llu events_lost=%llu bytes=%llu "
		    "failures=%llu queue_dropped=%llu queued_bytes=%zu",
		    outq_name(pl->qs[i]), (unsigned long long)st.c.events,
		    (unsigned long long)outq_lost(&st),
		    (unsigned long long)st.c.bytes,
		    (unsigned long long)st.c.failures,
		    (unsigned long long)st.dropped, st.bytes);
	}
}

void
pipeline_stop(struct pipeline *pl)
{
	size_t i;

	for (i = 0; i < pl->nsinks; i++)
		(void)outq_stop(pl->qs[i]);
}

void
pipeline_free(struct pipeline *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	statmark_free(pl->stats);
	for (i = 0; i < pl->nsinks; i++)
		outq_free(pl->qs[i]);
	marks_free(pl);
	free(pl->st);
	obuf_free(&pl->lossbuf);
	free(pl->qs);
	obuf_free(&pl->out);
	storm_free(pl->storm);
	free(pl->v);
	free(pl);
}

/* ---- Stats ---- */

/* What the last stats event sent said, for the next one's interval. */
struct statmark {
	int64_t			 since_ms;
	struct event_stats_counts at;
	struct sink_counters	*out_at;	/* per output: events, events_lost
						   as outq_lost() */
	struct event_stats_output *outs;	/* per output, scratch */
	struct obuf		 buf;
};

static void
statmark_free(struct statmark *sm)
{
	if (sm == NULL)
		return;
	free(sm->out_at);
	free(sm->outs);
	obuf_free(&sm->buf);
	free(sm);
}

static struct statmark *
statmark_new(const struct pipeline *pl)
{
	struct statmark *sm;
	size_t n = pl->nsinks > 0 ? pl->nsinks : 1;

	if ((sm = calloc(1, sizeof(*sm))) == NULL)
		return NULL;
	obuf_init(&sm->buf);
	sm->since_ms = pl->born_ms;
	if ((sm->out_at = calloc(n, sizeof(*sm->out_at))) == NULL ||
	    (sm->outs = calloc(n, sizeof(*sm->outs))) == NULL) {
		statmark_free(sm);
		return NULL;
	}
	return sm;
}

/* The totals now, and their growth since the mark. */
static void
stats_fill(const struct pipeline *pl, const struct pipeline_srcloss *src,
    struct event_stats *st)
{
	const struct statmark *sm = pl->stats;
	const struct event_stats_counts *a = &sm->at;
	struct event_stats_counts *t = &st->total, *iv = &st->interval;
	struct event_stats_output *o;
	struct outq_state qs;
	size_t i;

	t->received = pl->c.seccomp;
	t->emitted = pl->c.events;
	t->incomplete = pl->c.incomplete;
	t->summarized = pl->c.summarized;
	t->summaries = pl->c.summaries;
	t->self = pl->c.self;
	t->kernel_lost = src->kernel_lost;
	t->socket_dropped = src->socket_dropped;
	t->bad_datagrams = src->bad_datagrams;
	t->enobufs = src->enobufs;
	t->malformed = pl->c.malformed;
	t->nomem = pl->c.nomem;
	iv->received = t->received - a->received;
	iv->emitted = t->emitted - a->emitted;
	iv->incomplete = t->incomplete - a->incomplete;
	iv->summarized = t->summarized - a->summarized;
	iv->summaries = t->summaries - a->summaries;
	iv->self = t->self - a->self;
	iv->kernel_lost = t->kernel_lost - a->kernel_lost;
	iv->socket_dropped = t->socket_dropped - a->socket_dropped;
	iv->bad_datagrams = t->bad_datagrams - a->bad_datagrams;
	iv->enobufs = t->enobufs - a->enobufs;
	iv->malformed = t->malformed - a->malformed;
	iv->nomem = t->nomem - a->nomem;
	for (i = 0; i < pl->nsinks; i++) {
		outq_state(pl->qs[i], &qs);
		o = &sm->outs[i];
		o->name = outq_name(pl->qs[i]);
		o->total_written = qs.c.events;
		o->total_lost = outq_lost(&qs);
		o->written = o->total_written - sm->out_at[i].events;
		o->lost = o->total_lost - sm->out_at[i].events_lost;
	}
	st->start_ms = sm->since_ms;
	st->outputs = sm->outs;
	st->noutputs = pl->nsinks;
}

/*
 * Queue the one line in the stats buffer for output i.  Like a loss
 * event's, its loss is not counted as a loss of violations (OUTQ_STATS).
 */
static void
send_stats(struct pipeline *pl, size_t i, int64_t now_ms)
{
	const struct obuf *buf = &pl->stats->buf;
	struct outq_item *it;
	struct sink_event e;

	memset(&e, 0, sizeof(e));
	e.line = buf->data;
	e.len = buf->len - 1;	/* without the '\n' */
	e.severity = LOG_INFO;
	e.sec = (uint64_t)(now_ms / 1000);
	e.msec = (uint32_t)(now_ms % 1000);
	e.action = EVENT_ACTION_STATS;
	e.pid = -1;
	if ((it = outq_item_event(&e, outq_is_stream(pl->qs[i]),
	    OUTQ_STATS)) == NULL)
		return;
	(void)outq_put(pl->qs[i], it);
	outq_item_unref(it);
}

const char *
pipeline_stats(struct pipeline *pl, const struct pipeline_srcloss *src,
    int64_t now_ms, unsigned flags, size_t *len)
{
	static const struct pipeline_srcloss none;
	struct event_stats st;
	struct statmark *sm;
	size_t i;

	if (src == NULL)
		src = &none;
	if (pl->stats == NULL && (pl->stats = statmark_new(pl)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	sm = pl->stats;
	if (flags & PIPELINE_STATS_SEND)
		(void)pipeline_flush(pl);	/* the violations come first */
	memset(&st, 0, sizeof(st));
	stats_fill(pl, src, &st);
	st.end_ms = now_ms;
	obuf_reset(&sm->buf);
	if (event_encode_stats(&sm->buf, &st, &pl->ev) < 0)
		return NULL;
	if (flags & PIPELINE_STATS_SEND) {
		for (i = 0; i < pl->nsinks; i++)
			send_stats(pl, i, now_ms);
		/* The next interval starts where this event's ends. */
		sm->since_ms = now_ms;
		sm->at = st.total;
		for (i = 0; i < pl->nsinks; i++) {
			sm->out_at[i].events = sm->outs[i].total_written;
			sm->out_at[i].events_lost = sm->outs[i].total_lost;
		}
	}
	*len = sm->buf.len;
	return sm->buf.data;
}

/* ---- Monitoring gaps ---- */

void
pipeline_set_denial_hook(struct pipeline *pl, pipeline_denial_fn fn,
    void *arg)
{
	pl->denial_fn = fn;
	pl->denial_arg = arg;
}

void
pipeline_gap(struct pipeline *pl, const char *line, size_t len,
    int64_t now_ms)
{
	struct outq_item *it;
	struct sink_event e;
	size_t i;

	(void)pipeline_flush(pl);	/* the violations come first */
	memset(&e, 0, sizeof(e));
	e.line = line;
	e.len = len - 1;	/* without the '\n' */
	e.severity = LOG_WARNING;
	e.sec = (uint64_t)(now_ms / 1000);
	e.msec = (uint32_t)(now_ms % 1000);
	e.action = EVENT_ACTION_GAP;
	e.pid = -1;
	for (i = 0; i < pl->nsinks; i++) {
		if ((it = outq_item_event(&e, outq_is_stream(pl->qs[i]),
		    OUTQ_STATS)) == NULL)
			continue;
		(void)outq_put(pl->qs[i], it);
		outq_item_unref(it);
	}
}
