/*
 * The event path.  Per record: a decode into a reused struct and an encode
 * into the batch buffer; no system call until the batch is flushed, so the
 * cost of write(2) is shared by every event of a drain.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>

#include "daemon/pipeline.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"

int
pipeline_init(struct pipeline *pl, const struct event_ctx *ev)
{
	memset(pl, 0, sizeof(*pl));
	obuf_init(&pl->out);
	if ((pl->v = malloc(sizeof(*pl->v))) == NULL)
		return -1;
	if (obuf_reserve(&pl->out, PIPELINE_FLUSH_BYTES * 2) < 0) {
		free(pl->v);
		pl->v = NULL;
		return -1;
	}
	pl->ev = *ev;
	return 0;
}

int
pipeline_add_sink(struct pipeline *pl, struct sink *s)
{
	if (pl->nsinks >= PIPELINE_MAX_SINKS) {
		errno = E2BIG;
		return -1;
	}
	pl->sinks[pl->nsinks++] = s;
	return 0;
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

void
pipeline_record(struct pipeline *pl, uint16_t type, const char *text,
    size_t len, const char *host, size_t host_len)
{
	struct event_ctx ev;
	enum violation_error err;
	const struct event_ctx *ctx = &pl->ev;
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
	if (host != NULL) {
		ev = pl->ev;
		ev.host = host;
		ev.host_len = host_len;
		ctx = &ev;
	}
	if ((rc = event_encode(&pl->out, pl->v, text, len, ctx)) < 0) {
		pl->c.nomem++;
		return;
	}
	pl->c.events++;
	pl->batch_events++;
	if (rc == 1)
		pl->c.incomplete++;
	if (pl->ev.self_pid != 0 && (pl->v->present & VF_BIT(VF_PID)) &&
	    pl->v->pid == pl->ev.self_pid)
		report_self(pl);
	if (pl->out.len >= PIPELINE_FLUSH_BYTES)
		(void)pipeline_flush(pl);
}

void
pipeline_record_fn(void *arg, uint16_t type, const char *text, size_t len)
{
	pipeline_record(arg, type, text, len, NULL, 0);
}

int
pipeline_flush(struct pipeline *pl)
{
	size_t i;

	if (pl->out.len > 0) {
		for (i = 0; i < pl->nsinks; i++) {
			if (sink_write(pl->sinks[i], pl->out.data,
			    pl->out.len, pl->batch_events) < 0 &&
			    pl->sink_errno == 0) {
				pl->sink_errno = errno;
				pl->sink_failed = sink_name(pl->sinks[i]);
			}
		}
		obuf_reset(&pl->out);
		pl->batch_events = 0;
	}
	if (pl->sink_errno != 0) {
		errno = pl->sink_errno;
		return -1;
	}
	return 0;
}

void
pipeline_free(struct pipeline *pl)
{
	size_t i;

	for (i = 0; i < pl->nsinks; i++)
		sink_free(pl->sinks[i]);
	pl->nsinks = 0;
	obuf_free(&pl->out);
	free(pl->v);
	pl->v = NULL;
}
