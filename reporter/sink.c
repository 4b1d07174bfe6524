/*
 * The part every output shares: counting, and health changes for the
 * caller to report once each.  An output only delivers or fails; whether
 * and how often that is said is decided here and in daemon/, not per type.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reporter/sink.h"

struct sink {
	char			*name;
	const struct sink_ops	*ops;
	void			*impl;
	struct sink_counters	 c;
	int			 failing;	/* the last call failed */
	int			 err;		/* the last failure's errno */
	int			 reported;	/* the caller knows the state */
	uint64_t		 lost_at_fail;	/* events_lost when it began */
};

struct sink *
sink_new(const char *name, const struct sink_ops *ops, void *impl)
{
	struct sink *s;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->name = strdup(name)) == NULL) {
		free(s);
		ops->free(impl);
		errno = ENOMEM;
		return NULL;
	}
	s->ops = ops;
	s->impl = impl;
	s->reported = 1;	/* healthy, and nothing to say about it */
	return s;
}

int
sink_is_stream(const struct sink *s)
{
	return s->ops->write != NULL;
}

/* Count one call's result and note a change of health. */
static int
account(struct sink *s, int rc, size_t nevents, size_t len)
{
	int err = errno;

	if (rc == 0) {
		s->c.events += nevents;
		s->c.bytes += len;
		if (s->failing) {
			s->failing = 0;
			s->reported = 0;
		}
		return 0;
	}
	s->c.events_lost += nevents;
	s->c.failures++;
	s->err = err;
	if (!s->failing) {
		s->failing = 1;
		s->reported = 0;
		s->lost_at_fail = s->c.events_lost - nevents;
	}
	errno = err;
	return -1;
}

int
sink_write(struct sink *s, const char *buf, size_t len, size_t nevents)
{
	const char *p, *end = buf + len;
	size_t kept = 0, dropped = 0;
	int rc;

	if (s->ops->write == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((rc = s->ops->write(s->impl, buf, len, &kept)) == 0)
		return account(s, 0, nevents, len);
	if (kept > len)
		kept = len;
	/* The lines dropped: those that start at or after kept. */
	for (p = buf + kept; p < end &&
	    (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		dropped++;
	if (dropped > nevents)
		dropped = nevents;
	s->c.events += nevents - dropped;
	s->c.bytes += kept;
	return account(s, -1, dropped, 0);
}

int
sink_event(struct sink *s, const struct sink_event *e)
{
	if (s->ops->event == NULL) {
		errno = EINVAL;
		return -1;
	}
	return account(s, s->ops->event(s->impl, e), 1, e->len);
}

int
sink_offer(struct sink *s, const struct sink_event *e)
{
	if (s->ops->event == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (s->ops->event(s->impl, e) == 0)
		return account(s, 0, 1, e->len);
	if (errno == EAGAIN)
		return 1;	/* not a failure yet: the caller waits */
	return account(s, -1, 1, 0);
}

int
sink_retry(struct sink *s)
{
	int rc;

	if (s->ops->retry == NULL)
		return 0;
	/* Pending bytes were counted when they were accepted. */
	if ((rc = s->ops->retry(s->impl)) == 1)
		return 1;
	return account(s, rc, 0, 0);
}

int
sink_reopen(struct sink *s)
{
	if (s->ops->reopen == NULL)
		return 0;
	return account(s, s->ops->reopen(s->impl), 0, 0);
}

int
sink_health(struct sink *s, int *err, uint64_t *lost)
{
	if (s->reported)
		return 0;
	s->reported = 1;
	if (s->failing) {
		*err = s->err;
		return 1;
	}
	*lost = s->c.events_lost - s->lost_at_fail;
	return 2;
}

int
sink_error(const struct sink *s)
{
	return s->failing ? s->err : 0;
}

const char *
sink_name(const struct sink *s)
{
	return s->name;
}

const struct sink_counters *
sink_counters(const struct sink *s)
{
	return &s->c;
}

void
sink_free(struct sink *s)
{
	if (s == NULL)
		return;
	s->ops->free(s->impl);
	free(s->name);
	free(s);
}
