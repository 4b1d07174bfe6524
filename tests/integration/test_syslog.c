/*
 * The syslog output against real syslog daemons: events built from records
 * by the real decoder and encoder go through sink_syslog_new() and
 * sink_event() to rsyslog (imuxsock + mmjsonparse) and syslog-ng
 * (unix-dgram + json-parser), which must parse every header field and the
 * JSON, attacker bytes included; then what happens when the daemon is
 * absent, restarted or not reading.  The exact bytes of each format are
 * checked on a socket of the test's own.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "reporter/event.h"
#include "reporter/obuf.h"
#include "reporter/sink.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"
#include "reporter/violation.h"
#include "tests/integration/harness.h"
#include "tests/integration/syslogd.h"

#define WAIT_MS		10000	/* sent to written by the daemon */
#define QUIET_MS	500	/* nothing more arrives */
#define IDENT		"seccompmon"
#define HOST		"testhost.example"
#define MAX_EVENTS	16
/* A zone with a half-hour offset: local time cannot pass for UTC. */
#define TEST_TZ		"XST-5:30"

/* 2026-11-27T22:06:26.343Z; and 2025-11-03T07:00:00Z, a one-digit day. */
#define T_SEC		1795817186u
#define T_MSEC		343u
#define T_DAY3		1762153200u

/* One event as the pipeline would hand it to a message output. */
struct built {
	struct obuf		 b;
	struct sink_event	 e;
	json_object		*json;	/* the event, parsed back */
};

struct fixture {
	struct syslogd		 d;
	struct sink		*sink;
	struct built		 ev[MAX_EVENTS];
	size_t			 nev;
	json_object		*lines[MAX_EVENTS + 1];
	int			 rfd;		/* the test's own receiver */
	char			 rdir[64];
	char			 rpath[128];
};

static void
hex(char *out, const char *s, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[(unsigned char)s[i] >> 4];
		out[2 * i + 1] = digits[(unsigned char)s[i] & 15];
	}
	out[2 * n] = '\0';
}

/*
 * Build the event for a record with this action code, pid and raw comm
 * and exe bytes (hex-encoded in the record, as the kernel does for bytes
 * it does not trust).
 */
static struct built *
build(struct fixture *f, uint64_t sec, uint32_t msec, uint32_t code,
    int pid, const char *comm, size_t clen, const char *exe, size_t elen,
    unsigned flags)
{
	static struct violation v;
	struct event_ctx ctx = { "testhost", 8, flags, 0 };
	char *rec, *ch, *eh, *line;
	struct built *x;
	int n;

	assert_true(f->nev < MAX_EVENTS);
	x = &f->ev[f->nev++];
	obuf_init(&x->b);
	ch = malloc(2 * clen + 1);
	eh = malloc(2 * elen + 1);
	rec = malloc(2 * (clen + elen) + 512);
	assert_non_null(ch);
	assert_non_null(eh);
	assert_non_null(rec);
	hex(ch, comm, clen);
	hex(eh, exe, elen);
	n = sprintf(rec, "audit(%llu.%03u:%d): auid=1000 uid=1000 gid=1000 "
	    "ses=2 pid=%d comm=%s exe=%s sig=%d arch=c000003e syscall=59 "
	    "compat=0 ip=0x7f0000005000 code=0x%x", (unsigned long long)sec,
	    msec, pid, pid, ch, eh, (code & 0xffff0000u) == 0x80000000u ||
	    (code & 0xffff0000u) == 0 ? 31 : 0, code);
	assert_int_equal(violation_decode(rec, (size_t)n, &v), VIOLATION_OK);
	assert_true(event_encode(&x->b, &v, rec, (size_t)n, &ctx) >= 0);
	assert_true(x->b.len > 1 && x->b.data[x->b.len - 1] == '\n');
	x->e.line = x->b.data;
	x->e.len = x->b.len - 1;
	x->e.action = verdict_of(v.code)->action;
	x->e.severity = verdict_of(v.code)->severity;	/* as the pipeline */
	x->e.sec = v.time_sec;
	x->e.msec = v.time_msec;
	x->e.syscall = systab_syscall_name(v.arch, v.syscall);
	x->e.syscall_nr = v.syscall;
	x->e.has_syscall = 1;
	x->e.arch = systab_arch_name(v.arch, v.syscall);
	x->e.pid = v.pid;
	/* Unused by this output; the violation is static scratch. */
	x->e.comm = NULL;
	x->e.exe = NULL;
	line = strndup(x->e.line, x->e.len);
	assert_non_null(line);
	x->json = json_tokener_parse(line);
	assert_non_null(x->json);
	free(line);
	free(rec);
	free(eh);
	free(ch);
	return x;
}

/* A string at a dotted path of the event as sent ("" when absent). */
static const char *
sent_str(const struct built *x, const char *path)
{
	json_object *o = jpath(x->json, path);

	return o != NULL ? json_object_get_string(o) : "";
}

static int
setup(void **state)
{
	struct fixture *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->rfd = -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	sink_free(f->sink);
	syslogd_destroy(&f->d);
	for (i = 0; i < f->nev; i++) {
		obuf_free(&f->ev[i].b);
		json_object_put(f->ev[i].json);
	}
	for (i = 0; i <= MAX_EVENTS; i++)
		json_object_put(f->lines[i]);
	if (f->rfd >= 0)
		close(f->rfd);
	if (f->rpath[0] != '\0')
		(void)unlink(f->rpath);
	if (f->rdir[0] != '\0')
		(void)rmdir(f->rdir);
	free(f);
	return 0;
}

/* Start a daemon of this kind in the fixture. */
static void
daemon_up(struct fixture *f, enum syslogd_kind k)
{
	if (syslogd_init(&f->d, k) < 0)
		fail_msg("%s: set-up: %s", syslogd_name(k), strerror(errno));
	if (syslogd_start(&f->d) < 0)
		fail_msg("%s did not start", syslogd_name(k));
}

static struct sink *
sink_open(const char *path, int facility, enum sink_syslog_format fmt,
    int cee, const char *host)
{
	struct sink_syslog_opts o = {
		path, facility, IDENT, cee, fmt, host,
	};
	char err[256] = "";
	struct sink *s;

	if ((s = sink_syslog_new(&o, err, sizeof(err))) == NULL)
		fail_msg("sink_syslog_new: %s (%s)", err, strerror(errno));
	return s;
}

/* Wait for n lines of input name, each JSON; drop any from before. */
static void
wait_lines(struct fixture *f, const char *name, size_t n)
{
	size_t i, got;

	for (i = 0; i <= MAX_EVENTS; i++) {
		json_object_put(f->lines[i]);
		f->lines[i] = NULL;
	}
	got = syslogd_wait(&f->d, name, n, WAIT_MS, f->lines);
	if (got != n)
		fail_msg("%s wrote %zu of %zu messages to out-%s within %d "
		    "ms", syslogd_name(f->d.kind), got, n, name, WAIT_MS);
	for (i = 0; i < n; i++)
		if (f->lines[i] == NULL)
			fail_msg("%s: out-%s line %zu is not JSON",
			    syslogd_name(f->d.kind), name, i + 1);
}

/* No more than n lines there after a while. */
static void
no_more_lines(struct fixture *f, const char *name, size_t n)
{
	json_object *extra[MAX_EVENTS + 1] = { NULL };
	size_t i, got;

	got = syslogd_wait(&f->d, name, n + 1, QUIET_MS, extra);
	for (i = 0; i < got; i++)
		json_object_put(extra[i]);
	if (got > n)
		fail_msg("%s: out-%s holds %zu lines, expected %zu",
		    syslogd_name(f->d.kind), name, got, n);
}

/* The line the daemon wrote for the event with pid, or fail. */
static json_object *
line_of(struct fixture *f, size_t n, const struct built *x)
{
	char pid[24];
	size_t i;

	snprintf(pid, sizeof(pid), "%lld", (long long)x->e.pid);
	for (i = 0; i < n; i++)
		if (strcmp(syslogd_str(f->lines[i], "pid"), pid) == 0)
			return f->lines[i];
	fail_msg("%s: no message parsed with process.pid %s (action %s)",
	    syslogd_name(f->d.kind), pid, x->e.action);
	return NULL;
}

/*
 * Whether got is sent as syslog-ng keeps it: every scalar as a string
 * (json-parser stores name-value pairs as text), an array of scalars as
 * its elements joined by commas (its list type).
 */
static int
loose_equal(json_object *sent, json_object *got, char *path, size_t plen)
{
	char list[1024] = "";
	json_object *g;
	size_t len = strlen(path), i;

	if (json_object_is_type(sent, json_type_object)) {
		if (!json_object_is_type(got, json_type_object))
			return 0;
		json_object_object_foreach(sent, k, v) {
			snprintf(path + len, plen - len, ".%s", k);
			if (!json_object_object_get_ex(got, k, &g) ||
			    !loose_equal(v, g, path, plen))
				return 0;
		}
		path[len] = '\0';
		return json_object_object_length(sent) ==
		    json_object_object_length(got);
	}
	if (!json_object_is_type(got, json_type_string))
		return 0;
	if (!json_object_is_type(sent, json_type_array))
		return strcmp(json_object_get_string(sent),
		    json_object_get_string(got)) == 0;
	for (i = 0; i < json_object_array_length(sent); i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", i > 0 ? "," : "", json_object_get_string(
		    json_object_array_get_idx(sent, i)));
	return strcmp(list, json_object_get_string(got)) == 0;
}

/* The daemon's view of one event, field by field. */
static void
check_line(struct fixture *f, json_object *got, const struct built *x,
    int facility, enum sink_syslog_format fmt, int cee, const char *host)
{
	const char *name = syslogd_name(f->d.kind), *msg, *t;
	char want[64], procid[24], path[256] = "";
	json_object *parsed;
	struct tm tm;
	time_t sec = (time_t)x->e.sec;

	snprintf(want, sizeof(want), "%d", x->e.severity);
	assert_string_equal(syslogd_str(got, "sev"), want);
	snprintf(want, sizeof(want), "%d", facility >> 3);
	assert_string_equal(syslogd_str(got, "fac"), want);
	assert_string_equal(syslogd_str(got, "app"), IDENT);
	snprintf(procid, sizeof(procid), "%ld", (long)getpid());
	assert_string_equal(syslogd_str(got, "procid"), procid);

	/* The fields the daemon took from the JSON, attacker bytes too. */
	assert_string_equal(syslogd_str(got, "action"),
	    sent_str(x, "seccomp.action"));
	assert_string_equal(syslogd_str(got, "name"),
	    sent_str(x, "process.name"));
	assert_string_equal(syslogd_str(got, "exe"),
	    sent_str(x, "process.executable"));

	/* The message arrived whole, byte for byte. */
	msg = syslogd_str(got, "msg");
	while (*msg == ' ')	/* rsyslog keeps the blank after "TAG:" */
		msg++;
	if (cee) {
		if (strncmp(msg, "@cee: ", 6) != 0)
			fail_msg("%s: message without \"@cee: \": %.80s", name,
			    msg);
		msg += 6;
	}
	if (strlen(msg) != x->e.len || memcmp(msg, x->e.line, x->e.len) != 0)
		fail_msg("%s: message differs from the event:\n%s\n%.*s", name,
		    msg, (int)x->e.len, x->e.line);

	/* The whole tree as the daemon parsed it. */
	if (!json_object_object_get_ex(got, "parsed", &parsed))
		fail_msg("%s: nothing parsed", name);
	if (f->d.kind == SYSLOGD_RSYSLOG ? !json_object_equal(x->json, parsed) :
	    !loose_equal(x->json, parsed, path, sizeof(path)))
		fail_msg("%s: parsed JSON differs from the event (at %s):\n"
		    "%s\n%s", name, path[0] ? path : "top",
		    json_object_to_json_string(parsed),
		    json_object_to_json_string(x->json));

	/* The record's time, as each format carries it. */
	t = syslogd_str(got, "time");
	if (fmt == SINK_SYSLOG_RFC3164) {
		/* Local time without a year: compare MM-DDThh:mm:ss. */
		assert_non_null(localtime_r(&sec, &tm));
		strftime(want, sizeof(want), "%m-%dT%H:%M:%S", &tm);
		if (strlen(t) < 19 || strncmp(t + 5, want, 14) != 0)
			fail_msg("%s: time %s, expected local ....-%s", name,
			    t, want);
	} else {
		assert_non_null(gmtime_r(&sec, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want + 19, sizeof(want) - 19, ".%03u",
		    (unsigned)x->e.msec);
		if (strncmp(t, want, 23) != 0 ||
		    (strcmp(t + 23, "Z") != 0 && strcmp(t + 23, "+00:00") != 0))
			fail_msg("%s: time %s, expected %sZ", name, t, want);
		assert_string_equal(syslogd_str(got, "host"), host);
		assert_string_equal(syslogd_str(got, "msgid"), x->e.action);
	}
}

/* Send every event; each must be taken. */
static void
send_all(struct fixture *f, struct sink *s, size_t from)
{
	size_t i;

	for (i = from; i < f->nev; i++)
		if (sink_event(s, &f->ev[i].e) != 0)
			fail_msg("sink_event (%s): %s", f->ev[i].e.action,
			    strerror(errno));
}

/* One record per action, names and paths an attacker chose. */
static void
build_actions(struct fixture *f, uint64_t sec)
{
	static const struct {
		uint32_t	 code;
		const char	*comm;
		size_t		 clen;
	} a[] = {
		{ 0x80000000u, "evil\"q\\", 7 },	/* quote, backslash */
		{ 0x00000000u, "a\nb\r", 4 },		/* newline */
		{ 0x00050001u, "a\xff\xc0z", 4 },	/* not UTF-8 */
		{ 0x00030000u, "a\xe2\x80\xa8z", 5 },	/* U+2028 */
		{ 0x7ff00000u, "\t\x01\x7f", 3 },	/* controls */
		{ 0x7fc00000u, "@cee: {}", 8 },		/* a cookie */
		{ 0x7ffc0000u, "{\"x\":1}", 7 },	/* JSON */
		{ 0x7fff0000u, "logger", 6 },
	};
	static const char exe[] = "/tmp/a\"b\n@cee: <13>\xff/x";
	size_t i;

	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		build(f, sec, T_MSEC + (uint32_t)i, a[i].code,
		    40000 + (int)i, a[i].comm, a[i].clen, exe,
		    sizeof(exe) - 1, 0);
}

static void
each_action(void **state, enum syslogd_kind k, enum sink_syslog_format fmt,
    const char *input)
{
	struct fixture *f = *state;
	char path[128];
	size_t i;

	daemon_up(f, k);
	build_actions(f, T_SEC);
	f->sink = sink_open(syslogd_socket(&f->d, input, path, sizeof(path)),
	    LOG_AUTHPRIV, fmt, 1, HOST);
	send_all(f, f->sink, 0);
	wait_lines(f, input, f->nev);
	for (i = 0; i < f->nev; i++)
		check_line(f, line_of(f, f->nev, &f->ev[i]), &f->ev[i],
		    LOG_AUTHPRIV, fmt, 1, HOST);
	assert_int_equal(sink_counters(f->sink)->events, f->nev);
	assert_int_equal(sink_counters(f->sink)->events_lost, 0);
}

static void
rfc3164_cee(void **state, enum syslogd_kind k)
{
	each_action(state, k, SINK_SYSLOG_RFC3164, SYSLOGD_LOG);
}

static void
rfc5424_cee(void **state, enum syslogd_kind k)
{
	each_action(state, k, SINK_SYSLOG_RFC5424, SYSLOGD_LOG5424);
}

/* Without cee the message is the JSON alone, and parses as it is. */
static void
plain_json(void **state, enum syslogd_kind k)
{
	struct fixture *f = *state;
	char path[128];
	struct built *x;

	daemon_up(f, k);
	x = build(f, T_DAY3, 7, 0x00050001u, 41000, "plain", 5, "/bin/p", 6,
	    0);
	f->sink = sink_open(syslogd_socket(&f->d, SYSLOGD_LOGRAW, path,
	    sizeof(path)), LOG_LOCAL3, SINK_SYSLOG_RFC3164, 0, NULL);
	send_all(f, f->sink, 0);
	wait_lines(f, SYSLOGD_LOGRAW, 1);
	check_line(f, f->lines[0], x, LOG_LOCAL3, SINK_SYSLOG_RFC3164, 0,
	    NULL);
}

/*
 * An event past rsyslog's default maxMessageSize (8k) arrives whole where
 * the daemon allows 64k; one past the output's own 64k bound is not sent
 * (EMSGSIZE, counted), never cut: the marker after it arrives alone.
 */
static void
large_event(void **state, enum syslogd_kind k)
{
	struct fixture *f = *state;
	char path[128], exe[3000], *big;
	struct sink_event e;
	struct built *x, *marker;
	size_t n = 70 * 1024;

	daemon_up(f, k);
	memset(exe, 0x01, sizeof(exe));	/* each becomes \u0001 */
	exe[0] = '/';
	x = build(f, T_SEC, 1, 0x80000000u, 42000, "big", 3, exe,
	    sizeof(exe), EVENT_ORIGINAL);
	assert_true(x->e.len > 16 * 1024);
	f->sink = sink_open(syslogd_socket(&f->d, SYSLOGD_LOG, path,
	    sizeof(path)), LOG_AUTHPRIV, SINK_SYSLOG_RFC3164, 1, NULL);
	send_all(f, f->sink, 0);
	wait_lines(f, SYSLOGD_LOG, 1);
	check_line(f, f->lines[0], x, LOG_AUTHPRIV, SINK_SYSLOG_RFC3164, 1,
	    NULL);

	/* Valid JSON, too long to send. */
	assert_non_null(big = malloc(n));
	memset(big, 'x', n);
	memcpy(big, "{\"pad\":\"", 8);
	memcpy(big + n - 2, "\"}", 2);
	e = x->e;
	e.line = big;
	e.len = n;
	errno = 0;
	assert_int_equal(sink_event(f->sink, &e), -1);
	assert_int_equal(errno, EMSGSIZE);
	free(big);
	assert_int_equal(sink_counters(f->sink)->events_lost, 1);
	marker = build(f, T_SEC, 2, 0x7ffc0000u, 42001, "marker", 6, "/m", 2,
	    0);
	send_all(f, f->sink, 1);
	wait_lines(f, SYSLOGD_LOG, 2);
	check_line(f, line_of(f, 2, marker), marker, LOG_AUTHPRIV,
	    SINK_SYSLOG_RFC3164, 1, NULL);
	no_more_lines(f, SYSLOGD_LOG, 2);
}

/*
 * Nobody there yet: each event fails with ENOENT and is counted, and the
 * failure is reported once; the daemon starts and the next event arrives,
 * with the same sink.  Stopped: ENOENT or ECONNREFUSED (whether the daemon
 * removed its socket); started again: found again.
 */
static void
retry(void **state, enum syslogd_kind k)
{
	struct fixture *f = *state;
	char path[128];
	uint64_t lost = 0;
	int err = 0;

	if (syslogd_init(&f->d, k) < 0)
		fail_msg("set-up: %s", strerror(errno));
	build_actions(f, T_SEC);
	f->sink = sink_open(syslogd_socket(&f->d, SYSLOGD_LOG, path,
	    sizeof(path)), LOG_AUTHPRIV, SINK_SYSLOG_RFC3164, 1, NULL);
	assert_int_equal(sink_health(f->sink, &err, &lost), 0);

	errno = 0;
	assert_int_equal(sink_event(f->sink, &f->ev[0].e), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sink_health(f->sink, &err, &lost), 1);
	assert_int_equal(err, ENOENT);
	assert_int_equal(sink_event(f->sink, &f->ev[1].e), -1);
	assert_int_equal(sink_health(f->sink, &err, &lost), 0);
	assert_int_equal(sink_counters(f->sink)->events_lost, 2);
	assert_int_equal(sink_counters(f->sink)->failures, 2);

	if (syslogd_start(&f->d) < 0)
		fail_msg("%s did not start", syslogd_name(k));
	assert_int_equal(sink_event(f->sink, &f->ev[2].e), 0);
	assert_int_equal(sink_health(f->sink, &err, &lost), 2);
	assert_int_equal(lost, 2);
	wait_lines(f, SYSLOGD_LOG, 1);
	check_line(f, f->lines[0], &f->ev[2], LOG_AUTHPRIV,
	    SINK_SYSLOG_RFC3164, 1, NULL);

	syslogd_stop(&f->d);
	errno = 0;
	assert_int_equal(sink_event(f->sink, &f->ev[3].e), -1);
	if (errno != ENOENT && errno != ECONNREFUSED)
		fail_msg("daemon gone: %s, expected ENOENT or ECONNREFUSED",
		    strerror(errno));
	assert_int_equal(sink_health(f->sink, &err, &lost), 1);

	if (syslogd_start(&f->d) < 0)
		fail_msg("%s did not start again", syslogd_name(k));
	assert_int_equal(sink_event(f->sink, &f->ev[4].e), 0);
	assert_int_equal(sink_health(f->sink, &err, &lost), 2);
	assert_int_equal(lost, 1);
	wait_lines(f, SYSLOGD_LOG, 2);
	check_line(f, line_of(f, 2, &f->ev[4]), &f->ev[4], LOG_AUTHPRIV,
	    SINK_SYSLOG_RFC3164, 1, NULL);
	assert_int_equal(sink_counters(f->sink)->events, 2);
	assert_int_equal(sink_counters(f->sink)->events_lost, 3);
}

#define BOTH(body, sit, exp)						\
static void								\
sink_syslog__##sit##_rsyslog__##exp(void **state)			\
{									\
	body(state, SYSLOGD_RSYSLOG);					\
}									\
static void								\
sink_syslog__##sit##_syslog_ng__##exp(void **state)			\
{									\
	body(state, SYSLOGD_SYSLOG_NG);					\
}

BOTH(rfc3164_cee, rfc3164_cee, each_action_parsed)
BOTH(rfc5424_cee, rfc5424_cee, header_and_json_parsed)
BOTH(plain_json, plain, message_is_the_json)
BOTH(large_event, large_event, whole_or_not_sent)
BOTH(retry, absent_then_up, next_event_sent)

/*
 * Without daemons: a socket of the test's own shows the exact bytes.
 */

/* Bind a datagram socket in a new directory; the fixture closes it. */
static void
receiver(struct fixture *f, int type)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	strcpy(f->rdir, "/tmp/sm-syslog-XXXXXX");
	assert_non_null(mkdtemp(f->rdir));
	snprintf(f->rpath, sizeof(f->rpath), "%s/log", f->rdir);
	assert_true(strlen(f->rpath) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, f->rpath, strlen(f->rpath) + 1);
	assert_true((f->rfd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0)) >= 0);
	assert_int_equal(bind(f->rfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(f->rfd, 1), 0);
}

/* Receive one datagram (waiting at most a second); its length. */
static size_t
receive(struct fixture *f, char *buf, size_t len)
{
	struct timeval tv = { 1, 0 };
	ssize_t n;

	assert_int_equal(setsockopt(f->rfd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	n = recv(f->rfd, buf, len - 1, 0);
	if (n < 0)
		fail_msg("recv: %s", strerror(errno));
	buf[n] = '\0';
	return (size_t)n;
}

/* The datagram is header + (cookie) + the JSON line, exactly. */
static void
expect_datagram(struct fixture *f, const struct built *x, const char *head)
{
	char buf[65536], want[1024];
	size_t n;

	n = receive(f, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s", head);
	if (n != strlen(want) + x->e.len ||
	    memcmp(buf, want, strlen(want)) != 0 ||
	    memcmp(buf + strlen(want), x->e.line, x->e.len) != 0)
		fail_msg("datagram:\n%s\nexpected:\n%s%.*s", buf, want,
		    (int)x->e.len, x->e.line);
}

static void
sink_syslog__rfc3164__glibc_header_local_time(void **state)
{
	struct fixture *f = *state;
	char head[128];
	struct built *x, *y;
	long pid = (long)getpid();

	receiver(f, SOCK_DGRAM);
	/* The zone in effect when the output is made is the one used. */
	assert_int_equal(setenv("TZ", "UTC0", 1), 0);
	/* No host in RFC 3164: one that RFC 5424 refuses does not matter. */
	f->sink = sink_open(f->rpath, LOG_AUTHPRIV, SINK_SYSLOG_RFC3164, 0,
	    "not a HOSTNAME");
	x = build(f, T_DAY3, 7, 0x7ffc0000u, 100, "a", 1, "/a", 2, 0);
	y = build(f, T_SEC, 0, 0x80000000u, 101, "b", 1, "/b", 2, 0);
	send_all(f, f->sink, 0);
	/* authpriv.notice = 10 * 8 + 5; the day padded with a blank. */
	snprintf(head, sizeof(head), "<85>Nov  3 07:00:00 %s[%ld]: ", IDENT,
	    pid);
	expect_datagram(f, x, head);
	snprintf(head, sizeof(head), "<83>Nov 27 22:06:26 %s[%ld]: ", IDENT,
	    pid);
	expect_datagram(f, y, head);
	sink_free(f->sink);

	assert_int_equal(setenv("TZ", TEST_TZ, 1), 0);
	f->sink = sink_open(f->rpath, LOG_LOCAL7, SINK_SYSLOG_RFC3164, 1,
	    NULL);
	send_all(f, f->sink, 0);
	/* local7.notice = 23 * 8 + 5; 07:00Z is 12:30 at +05:30. */
	snprintf(head, sizeof(head), "<189>Nov  3 12:30:00 %s[%ld]: @cee: ",
	    IDENT, pid);
	expect_datagram(f, x, head);
	snprintf(head, sizeof(head), "<187>Nov 28 03:36:26 %s[%ld]: @cee: ",
	    IDENT, pid);
	expect_datagram(f, y, head);
}

static void
sink_syslog__rfc5424__utc_millis_host_msgid(void **state)
{
	struct fixture *f = *state;
	char head[256];
	struct built *x;
	long pid = (long)getpid();

	receiver(f, SOCK_DGRAM);
	f->sink = sink_open(f->rpath, LOG_AUTHPRIV, SINK_SYSLOG_RFC5424, 1,
	    HOST);
	x = build(f, T_DAY3, 7, 0x00050001u, 100, "a", 1, "/a", 2, 0);
	send_all(f, f->sink, 0);
	snprintf(head, sizeof(head), "<84>1 2025-11-03T07:00:00.007Z %s %s "
	    "%ld errno - @cee: ", HOST, IDENT, pid);
	expect_datagram(f, x, head);
	sink_free(f->sink);

	/* An empty host name is the nil value. */
	f->sink = sink_open(f->rpath, LOG_DAEMON, SINK_SYSLOG_RFC5424, 0, "");
	send_all(f, f->sink, 0);
	snprintf(head, sizeof(head), "<28>1 2025-11-03T07:00:00.007Z - %s "
	    "%ld errno - ", IDENT, pid);
	expect_datagram(f, x, head);
}

/*
 * A daemon that does not read: once its queue is full, events fail at
 * once with EAGAIN (counted), never wait.
 */
static void
sink_syslog__receiver_not_reading__eagain_at_once(void **state)
{
	struct fixture *f = *state;
	int64_t start;
	int i, rc = 0;

	receiver(f, SOCK_DGRAM);
	f->sink = sink_open(f->rpath, LOG_AUTHPRIV, SINK_SYSLOG_RFC3164, 1,
	    NULL);
	build(f, T_SEC, 0, 0x80000000u, 100, "a", 1, "/a", 2, 0);
	start = mono_ms();
	for (i = 0; i < 100000 && (rc = sink_event(f->sink, &f->ev[0].e)) == 0;
	    i++)
		;
	assert_int_equal(rc, -1);
	assert_int_equal(errno, EAGAIN);
	assert_true(sink_event(f->sink, &f->ev[0].e) == -1 && errno == EAGAIN);
	assert_true(mono_ms() - start < 2000);
	assert_int_equal(sink_counters(f->sink)->events, (uint64_t)i);
	assert_int_equal(sink_counters(f->sink)->events_lost, 2);
}

/* A socket file nobody has open: ECONNREFUSED, counted. */
static void
sink_syslog__stale_socket_file__econnrefused(void **state)
{
	struct fixture *f = *state;

	receiver(f, SOCK_DGRAM);
	close(f->rfd);
	f->rfd = -1;
	f->sink = sink_open(f->rpath, LOG_AUTHPRIV, SINK_SYSLOG_RFC3164, 1,
	    NULL);
	build(f, T_SEC, 0, 0x80000000u, 100, "a", 1, "/a", 2, 0);
	errno = 0;
	assert_int_equal(sink_event(f->sink, &f->ev[0].e), -1);
	assert_int_equal(errno, ECONNREFUSED);
	assert_int_equal(sink_counters(f->sink)->events_lost, 1);
}

/* syslog-ng's unix-stream(): refused when the output is made. */
static void
sink_syslog_new__stream_socket__refused_with_reason(void **state)
{
	struct fixture *f = *state;
	struct sink_syslog_opts o = {
		NULL, LOG_AUTHPRIV, IDENT, 1, SINK_SYSLOG_RFC3164, NULL,
	};
	char err[256] = "";

	receiver(f, SOCK_STREAM);
	o.socket = f->rpath;
	errno = 0;
	assert_null(sink_syslog_new(&o, err, sizeof(err)));
	assert_int_equal(errno, EPROTOTYPE);
	assert_non_null(strstr(err, "stream socket"));
	assert_non_null(strstr(err, f->rpath));
}

static void
sink_syslog_new__bad_options__einval_with_reason(void **state)
{
	static const struct {
		struct sink_syslog_opts	 o;
		const char		*says;
	} bad[] = {
		{ { NULL, LOG_AUTHPRIV, IDENT, 0, 0, NULL }, "no socket" },
		{ { "", LOG_AUTHPRIV, IDENT, 0, 0, NULL }, "no socket" },
		{ { "/tmp/0123456789012345678901234567890123456789012345678901"
		    "23456789012345678901234567890123456789012345678901234567",
		    LOG_AUTHPRIV, IDENT, 0, 0, NULL }, "too long" },
		{ { "/dev/log", 24 << 3, IDENT, 0, 0, NULL }, "facility" },
		{ { "/dev/log", LOG_AUTHPRIV | LOG_ERR, IDENT, 0, 0, NULL },
		    "facility" },
		{ { "/dev/log", LOG_AUTHPRIV, "", 0, 0, NULL }, "ident" },
		{ { "/dev/log", LOG_AUTHPRIV, NULL, 0, 0, NULL }, "ident" },
		{ { "/dev/log", LOG_AUTHPRIV, "sec comp", 0, 0, NULL },
		    "ident" },
		{ { "/dev/log", LOG_AUTHPRIV, "a:b", 0, 0, NULL }, "ident" },
		{ { "/dev/log", LOG_AUTHPRIV, "a[1]", 0, 0, NULL }, "ident" },
		{ { "/dev/log", LOG_AUTHPRIV, "seccompmon\xc3\xa9", 0, 0,
		    NULL }, "ident" },
		{ { "/dev/log", LOG_AUTHPRIV, "0123456789012345678901234567890"
		    "123456789012345678", 0, 0, NULL }, "ident" },
		{ { "/dev/log", LOG_AUTHPRIV, IDENT, 0, 2, NULL }, "format" },
		{ { "/dev/log", LOG_AUTHPRIV, IDENT, 0, 1, "a host" },
		    "HOSTNAME" },
	};
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		errno = 0;
		if (sink_syslog_new(&bad[i].o, err, sizeof(err)) != NULL)
			fail_msg("case %zu accepted", i);
		assert_int_equal(errno, EINVAL);
		if (strstr(err, bad[i].says) == NULL)
			fail_msg("case %zu: \"%s\" does not say %s", i, err,
			    bad[i].says);
	}
}

/* A severity outside 0..7 is the caller's bug: EINVAL, counted. */
static void
sink_syslog__bad_severity__einval(void **state)
{
	struct fixture *f = *state;
	struct sink_event e;

	receiver(f, SOCK_DGRAM);
	f->sink = sink_open(f->rpath, LOG_AUTHPRIV, SINK_SYSLOG_RFC3164, 1,
	    NULL);
	e = build(f, T_SEC, 0, 0x80000000u, 100, "a", 1, "/a", 2, 0)->e;
	e.severity = 8;
	errno = 0;
	assert_int_equal(sink_event(f->sink, &e), -1);
	assert_int_equal(errno, EINVAL);
	e.severity = -1;
	assert_int_equal(sink_event(f->sink, &e), -1);
	assert_int_equal(sink_counters(f->sink)->events_lost, 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest local[] = {
		T(sink_syslog__rfc3164__glibc_header_local_time),
		T(sink_syslog__rfc5424__utc_millis_host_msgid),
		T(sink_syslog__receiver_not_reading__eagain_at_once),
		T(sink_syslog__stale_socket_file__econnrefused),
		T(sink_syslog_new__stream_socket__refused_with_reason),
		T(sink_syslog_new__bad_options__einval_with_reason),
		T(sink_syslog__bad_severity__einval),
	};
	const struct CMUnitTest daemons[] = {
		T(sink_syslog__rfc3164_cee_rsyslog__each_action_parsed),
		T(sink_syslog__rfc3164_cee_syslog_ng__each_action_parsed),
		T(sink_syslog__rfc5424_cee_rsyslog__header_and_json_parsed),
		T(sink_syslog__rfc5424_cee_syslog_ng__header_and_json_parsed),
		T(sink_syslog__plain_rsyslog__message_is_the_json),
		T(sink_syslog__plain_syslog_ng__message_is_the_json),
		T(sink_syslog__large_event_rsyslog__whole_or_not_sent),
		T(sink_syslog__large_event_syslog_ng__whole_or_not_sent),
		T(sink_syslog__absent_then_up_rsyslog__next_event_sent),
		T(sink_syslog__absent_then_up_syslog_ng__next_event_sent),
	};
	char why[512];
	int rc;

	if (systab_init() != 0)
		return 99;
	/* Local time is not UTC here, so RFC 3164 shows it is local. */
	if (setenv("TZ", TEST_TZ, 1) != 0)
		return 99;
	tzset();
	rc = cmocka_run_group_tests_name("syslog_local", local, NULL, NULL);
	if (syslogd_available(why, sizeof(why)) != 0) {
		fprintf(stderr, "test_syslog: SKIP (the daemon tests): %s\n",
		    why);
		return rc == 0 ? 77 : 1;
	}
	rc |= cmocka_run_group_tests_name("syslog_daemons", daemons, NULL,
	    NULL);
	systab_free();
	return rc == 0 ? 0 : 1;
}
