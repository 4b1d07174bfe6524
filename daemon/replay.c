/*
 * The replay reader.  A line is handled only once its newline is seen (or at
 * end of input), so a record is never split between two reads.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/log.h"
#include "daemon/replay.h"
#include "reporter/logline.h"

#define CHUNK 65536

int
replay_open(struct replay *r, const char *path, auditnl_record_fn fn,
    void *arg)
{
	memset(r, 0, sizeof(*r));
	r->fn = fn;
	r->fn_arg = arg;
	r->cap = REPLAY_LINE_MAX + CHUNK;
	if ((r->buf = malloc(r->cap)) == NULL)
		return -1;
	if (strcmp(path, "-") == 0)
		r->fd = STDIN_FILENO;
	else if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		free(r->buf);
		r->buf = NULL;
		return -1;
	}
	return 0;
}

static void
too_long(struct replay *r)
{
	r->c.lines++;
	r->c.too_long++;
	log_warnx("line %llu: longer than %d bytes, skipped",
	    (unsigned long long)r->c.lines, REPLAY_LINE_MAX);
}

static void
line(struct replay *r, const char *s, size_t n)
{
	struct logline ll;
	int64_t suppressed;
	size_t i;

	if (n > REPLAY_LINE_MAX) {
		too_long(r);
		return;
	}
	r->c.lines++;
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'); i++)
		;
	if (i == n)
		return;
	if (logline_parse(s, n, &ll) < 0) {
		r->c.not_audit++;
		suppressed = ratelimit_allow(&r->rl, log_now_ms());
		if (suppressed >= 0)
			log_warnx("line %llu: not an audit record%s: %.*s%s",
			    (unsigned long long)r->c.lines,
			    suppressed ? " (more warnings were suppressed)" :
			    "", n > 120 ? 120 : (int)n, s,
			    n > 120 ? "..." : "");
		return;
	}
	r->fn(r->fn_arg, (uint16_t)ll.type, ll.text, ll.text_len, ll.node,
	    ll.node_len);
}

int
replay_step(struct replay *r)
{
	char *nl, *p;
	ssize_t n;
	size_t rest;

	do {
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		return -1;
	}
	r->len += (size_t)n;

	p = r->buf;
	rest = r->len;
	while ((nl = memchr(p, '\n', rest)) != NULL) {
		if (r->skipping)
			r->skipping = 0;
		else
			line(r, p, (size_t)(nl - p));
		rest -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	if (n == 0) {
		/* End of input: the last line may lack its newline. */
		if (rest > 0 && !r->skipping)
			line(r, p, rest);
		r->len = 0;
		return 1;
	}
	if (rest > REPLAY_LINE_MAX) {
		/* Too long already, and its end not read yet. */
		if (!r->skipping)
			too_long(r);
		r->skipping = 1;
		rest = 0;
	}
	memmove(r->buf, p, rest);
	r->len = rest;
	return 0;
}

void
replay_close(struct replay *r)
{
	if (r->fd > STDIN_FILENO)
		close(r->fd);
	free(r->buf);
	r->buf = NULL;
}

static int
rp_step(void *impl)
{
	int rc = replay_step(impl);

	return rc == 1 ? SOURCE_END : rc;
}

static void
rp_tick(void *impl)
{
	(void)impl;
}

static void
rp_report(void *impl)
{
	struct replay *r = impl;

	log_info("replay: lines=%llu not_audit=%llu too_long=%llu",
	    (unsigned long long)r->c.lines,
	    (unsigned long long)r->c.not_audit,
	    (unsigned long long)r->c.too_long);
}

struct source
replay_source(struct replay *r)
{
	struct source s = {
		.what = "the replay input",
		.fd = r->fd,
		.step = rp_step,
		.tick = rp_tick,
		.stop = NULL,
		.report = rp_report,
		.impl = r,
	};

	return s;
}
