/*
 * Unit tests for reporter/sink (the shared counting and health reports)
 * and reporter/sink_fd (stdout): a reader that stops reading must never
 * block the writer, never receive half a line, and every event it misses
 * must be counted.  Real pipes, no mocks.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "reporter/sink.h"

/* A batch of n lines of about len bytes each, numbered from first. */
static char *
batch(unsigned first, unsigned n, size_t len, size_t *out_len)
{
	char *b, *p;
	unsigned i;

	assert_non_null(b = malloc((size_t)n * (len + 32)));
	p = b;
	for (i = 0; i < n; i++) {
		p += sprintf(p, "{\"n\":%u,\"pad\":\"", first + i);
		memset(p, 'x', len);
		p += len;
		p += sprintf(p, "\"}\n");
	}
	*out_len = (size_t)(p - b);
	return b;
}

/* Read everything the pipe holds; check every line is whole and in order. */
static unsigned
read_lines(int fd, unsigned *next)
{
	static char buf[1 << 20];
	static size_t have;
	unsigned got = 0, n;
	ssize_t r;
	char *nl, *p;

	while ((r = read(fd, buf + have, sizeof(buf) - have)) > 0) {
		have += (size_t)r;
		p = buf;
		while ((nl = memchr(p, '\n', have - (size_t)(p - buf))) != NULL) {
			assert_int_equal(sscanf(p, "{\"n\":%u,", &n), 1);
			/* In order; gaps only where batches were dropped. */
			assert_true(n >= *next);
			*next = n + 1;
			assert_memory_equal(nl - 2, "\"}", 2);
			got++;
			p = nl + 1;
		}
		memmove(buf, p, have - (size_t)(p - buf));
		have -= (size_t)(p - buf);
	}
	return got;
}

static void
sink_fd_new__pipe__made_nonblocking(void **state)
{
	struct sink *s;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_non_null(s = sink_fd_new(p[1], "stdout"));
	assert_true(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	assert_true(sink_is_stream(s));
	assert_string_equal(sink_name(s), "stdout");
	sink_free(s);
	close(p[0]);
	close(p[1]);
}

/*
 * Nobody reads: the pipe fills (64 KiB), the rest waits in the tail up to
 * 4 MiB, then whole batches are dropped and counted; once the reader
 * comes back, retry delivers the tail and every line read is whole.
 */
static void
sink_write__reader_stalls__tail_then_whole_batches_dropped(void **state)
{
	struct sink *s;
	const struct sink_counters *c;
	unsigned next = 0, got = 0, sent = 0, i;
	size_t len;
	char *b;
	int p[2], rc, dropped = 0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	assert_non_null(s = sink_fd_new(p[1], "stdout"));
	for (i = 0; i < 100; i++) {
		b = batch(sent, 100, 500, &len);	/* ~52 KiB */
		rc = sink_write(s, b, len, 100);
		if (rc < 0) {
			assert_int_equal(errno, EAGAIN);
			dropped++;
		}
		sent += 100;
		free(b);
	}
	c = sink_counters(s);
	/* 5.2 MB offered, 4 MiB + 64 KiB can wait: some batches dropped. */
	assert_true(dropped > 0);
	assert_int_equal(c->events_lost, (uint64_t)dropped * 100);
	assert_int_equal(c->events + c->events_lost, 10000);
	/* The failure is reported once. */
	{
		uint64_t lost;
		int err;

		assert_int_equal(sink_health(s, &err, &lost), 1);
		assert_int_equal(err, EAGAIN);
		assert_int_equal(sink_health(s, &err, &lost), 0);
	}
	/* The reader comes back: everything accepted arrives, whole. */
	for (i = 0; i < 10000; i++) {
		got += read_lines(p[0], &next);
		if ((rc = sink_retry(s)) == 0)
			break;
		assert_int_equal(rc, 1);
	}
	got += read_lines(p[0], &next);
	assert_int_equal(got, c->events);
	sink_free(s);
	close(p[0]);
	close(p[1]);
}

/* The reader is gone: EPIPE, final, every event counted lost. */
static void
sink_write__reader_closed__epipe_counted(void **state)
{
	struct sink *s;
	size_t len;
	char *b;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_non_null(s = sink_fd_new(p[1], "stdout"));
	b = batch(0, 3, 10, &len);
	errno = 0;
	assert_int_equal(sink_write(s, b, len, 3), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(sink_error(s), EPIPE);
	assert_int_equal(sink_write(s, b, len, 3), -1);
	assert_int_equal(sink_counters(s)->events_lost, 6);
	assert_int_equal(sink_counters(s)->events, 0);
	free(b);
	sink_free(s);
	close(p[1]);
}

/* A message output: failures and the recovery are reported once each. */
static int fail_next;

static int
msg_event(void *impl, const struct sink_event *e)
{
	(void)impl;
	(void)e;
	if (fail_next) {
		errno = ECONNREFUSED;
		return -1;
	}
	return 0;
}

static void
msg_free(void *impl)
{
	free(impl);
}

static const struct sink_ops msg_ops = { .event = msg_event,
	.free = msg_free };

static void
sink_health__fail_then_recover__each_reported_once_with_loss(void **state)
{
	struct sink_event e;
	struct sink *s;
	uint64_t lost = 0;
	int err = 0, i;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.line = "{}";
	e.len = 2;
	e.action = "log";
	assert_non_null(s = sink_new("test", &msg_ops, malloc(1)));
	assert_false(sink_is_stream(s));
	assert_int_equal(sink_event(s, &e), 0);
	assert_int_equal(sink_health(s, &err, &lost), 0);
	fail_next = 1;
	for (i = 0; i < 5; i++)
		assert_int_equal(sink_event(s, &e), -1);
	assert_int_equal(sink_health(s, &err, &lost), 1);
	assert_int_equal(err, ECONNREFUSED);
	assert_int_equal(sink_health(s, &err, &lost), 0);
	fail_next = 0;
	assert_int_equal(sink_event(s, &e), 0);
	assert_int_equal(sink_health(s, &err, &lost), 2);
	assert_int_equal(lost, 5);
	assert_int_equal(sink_health(s, &err, &lost), 0);
	assert_int_equal(sink_counters(s)->events, 2);
	assert_int_equal(sink_counters(s)->events_lost, 5);
	assert_int_equal(sink_counters(s)->failures, 5);
	assert_int_equal(sink_error(s), 0);
	sink_free(s);
}

/* The formatters of the message outputs, without a socket. */

static const char line_json[] = "{\"a\":1}";

static void
event_at(struct sink_event *e, uint64_t sec, uint32_t msec)
{
	memset(e, 0, sizeof(*e));
	e->line = line_json;
	e->len = sizeof(line_json) - 1;
	e->severity = LOG_NOTICE;
	e->sec = sec;
	e->msec = msec;
	e->action = "log";
	e->pid = -1;
}

/*
 * Found by fuzz_syslog: a replayed record of year 53376 made a five-digit
 * year, which no RFC 5424 TIMESTAMP holds; now clamped as @timestamp is.
 */
static void
sink_syslog_format__time_past_9999__clamped_as_timestamp(void **state)
{
	static const uint64_t secs[] = { 253402300800ULL, 1622229872942ULL,
	    UINT64_MAX };
	static const char want[] = "<85>1 9999-12-31T23:59:59.999Z h "
	    "seccompmon 42 log - {\"a\":1}";
	struct sink_syslog_opts o = { "/dev/log", LOG_AUTHPRIV, "seccompmon",
		0, SINK_SYSLOG_RFC5424, "h" };
	struct sink_event e;
	char *buf;
	ssize_t n;
	size_t i;

	(void)state;
	assert_non_null(buf = malloc(SINK_SYSLOG_MSG_MAX));
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		event_at(&e, secs[i], 180);
		o.format = SINK_SYSLOG_RFC5424;
		n = sink_syslog_format(&o, 42, &e, buf, SINK_SYSLOG_MSG_MAX);
		assert_int_equal(n, sizeof(want) - 1);
		assert_memory_equal(buf, want, sizeof(want) - 1);
		o.format = SINK_SYSLOG_RFC3164;
		assert_true(sink_syslog_format(&o, 42, &e, buf,
		    SINK_SYSLOG_MSG_MAX) > 0);
	}
	/* The last second that fits is kept as it is. */
	event_at(&e, 253402300799ULL, 5);
	o.format = SINK_SYSLOG_RFC5424;
	n = sink_syslog_format(&o, 42, &e, buf, SINK_SYSLOG_MSG_MAX);
	assert_true(n > 0);
	assert_memory_equal(buf, "<85>1 9999-12-31T23:59:59.005Z ", 31);
	free(buf);
}

static void
sink_syslog_format__bad_ident__einval(void **state)
{
	struct sink_syslog_opts o = { "/dev/log", LOG_AUTHPRIV, "a b", 0,
		SINK_SYSLOG_RFC3164, NULL };
	struct sink_event e;
	char *buf;

	(void)state;
	assert_non_null(buf = malloc(SINK_SYSLOG_MSG_MAX));
	event_at(&e, 1700000000, 0);
	errno = 0;
	assert_int_equal(sink_syslog_format(&o, 1, &e, buf,
	    SINK_SYSLOG_MSG_MAX), -1);
	assert_int_equal(errno, EINVAL);
	free(buf);
}

/* A comm with a newline travels in the binary-safe form, exactly. */
static void
sink_journald_entry__comm_with_newline__binary_field(void **state)
{
	static const char want[] = "SECCOMP_COMM\n\x03\0\0\0\0\0\0\0"
	    "a\nb\nMESSAGE={\"a\":1}\n";
	struct sink_journald_opts o = { NULL, NULL, 0 };
	struct sink_event e;
	char *entry, *p;
	size_t n;

	(void)state;
	event_at(&e, 1700000000, 0);
	e.comm = "a\nb";
	e.comm_len = 3;
	assert_non_null(entry = sink_journald_entry(&o, &e, &n));
	assert_non_null(p = memmem(entry, n, "SECCOMP_COMM", 12));
	assert_int_equal((size_t)(entry + n - p), sizeof(want) - 1);
	assert_memory_equal(p, want, sizeof(want) - 1);
	assert_non_null(memmem(entry, n, "SYSLOG_IDENTIFIER=seccompmon\n",
	    29));
	free(entry);
}

#define T(f) cmocka_unit_test(f)

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		T(sink_fd_new__pipe__made_nonblocking),
		T(sink_write__reader_stalls__tail_then_whole_batches_dropped),
		T(sink_write__reader_closed__epipe_counted),
		T(sink_health__fail_then_recover__each_reported_once_with_loss),
		T(sink_syslog_format__time_past_9999__clamped_as_timestamp),
		T(sink_syslog_format__bad_ident__einval),
		T(sink_journald_entry__comm_with_newline__binary_field),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
