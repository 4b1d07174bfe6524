/*
 * The real seccompmon with its syslog output, to real rsyslog and syslog-ng:
 * replayed records and live violations must arrive parsed, with the
 * severity of their action, the facility and ident configured and, for
 * RFC 3164, the local time of a zone that is read from a file (so tzset()
 * must have run before the filter).  A syslog daemon that is not there is
 * reported once and found when it starts.  The harness's observer fails any
 * test in which seccompmon broke its own filter.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "reporter/verdict.h"
#include "tests/integration/harness.h"
#include "tests/integration/syslogd.h"

#define READY_MS	5000
#define EVENT_MS	10000
#define STOP_MS		5000
#define OBSERVER_RCVBUF	(64 << 20)

#define REPLAY		TOP_SRCDIR "/tests/data/replay/audit.log"
#define EXPECTED	TOP_SRCDIR "/tests/data/replay/expected.jsonl"
#define NREPLAY		6
/* Lines read at most: other processes' violations may arrive too. */
#define LINES_MAX	64

/* +05:30 from a zone file, which the filter would not let be opened. */
#define ZONE		":Asia/Kolkata"
#define ZONE_FILE	"/usr/share/zoneinfo/Asia/Kolkata"

struct fixture {
	struct syslogd	 d;
	struct monitor	 m;
	struct observer	 obs;
	json_object	*lines[LINES_MAX];
	size_t		 nlines;
	char		 conf[128];
};

static int
setup(void **state)
{
	struct fixture *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	monitor_init(&f->m);
	if (observer_start(&f->obs, OBSERVER_RCVBUF) < 0) {
		fprintf(stderr, "observer: joining the audit multicast group: "
		    "%s\n", strerror(errno));
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char why[4096];
	size_t i;
	int rc = 0;

	monitor_destroy(&f->m);
	syslogd_destroy(&f->d);
	for (i = 0; i < LINES_MAX; i++)
		json_object_put(f->lines[i]);
	if (f->conf[0] != '\0')
		(void)unlink(f->conf);
	if (observer_check(&f->obs, EVENT_MS, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&f->obs);
	free(f);
	return rc;
}

static const char *
err_text(const struct monitor *m)
{
	return m->err.data != NULL ? m->err.data : "";
}

/* The severity the pipeline gives an action, from the verdict table. */
static int
severity_of(const char *action)
{
	static const uint32_t codes[] = {
		0x80000000u, 0, 0x00030000u, 0x00050000u, 0x7fc00000u,
		0x7ff00000u, 0x7ffc0000u, 0x7fff0000u,
	};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(verdict_of(codes[i])->action, action) == 0)
			return verdict_of(codes[i])->severity;
	return verdict_of(~0u)->severity;
}

static void
daemon_init(struct fixture *f, enum syslogd_kind k, int start)
{
	if (syslogd_init(&f->d, k) < 0)
		fail_msg("%s: set-up: %s", syslogd_name(k), strerror(errno));
	if (start && syslogd_start(&f->d) < 0)
		fail_msg("%s did not start", syslogd_name(k));
}

static void
start(struct fixture *f, const char *const *args)
{
	if (monitor_start(&f->m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
}

/* A replaying daemon must end by itself, with status 0. */
static void
wait_exit_0(struct fixture *f)
{
	if (monitor_wait_exit(&f->m, EVENT_MS) < 0)
		fail_msg("daemon did not exit within %d ms; stderr:\n%s",
		    EVENT_MS, err_text(&f->m));
	if (!WIFEXITED(f->m.status) || WEXITSTATUS(f->m.status) != 0)
		fail_msg("daemon wait status 0x%x; stderr:\n%s",
		    (unsigned)f->m.status, err_text(&f->m));
	if (strstr(err_text(&f->m), "failed") != NULL)
		fail_msg("a failure on stderr:\n%s", err_text(&f->m));
}

/* Read what input name holds, waiting up to ms for n lines. */
static size_t
read_lines(struct fixture *f, const char *name, size_t n, int ms)
{
	size_t i;

	for (i = 0; i < LINES_MAX; i++) {
		json_object_put(f->lines[i]);
		f->lines[i] = NULL;
	}
	f->nlines = syslogd_wait(&f->d, name, n, ms, f->lines);
	for (i = 0; i < f->nlines; i++)
		if (f->lines[i] == NULL)
			fail_msg("%s: line %zu is not JSON",
			    syslogd_name(f->d.kind), i + 1);
	return f->nlines;
}

/* Wait for exactly n lines of input name (replay: nothing else comes). */
static void
wait_lines(struct fixture *f, const char *name, size_t n)
{
	if (read_lines(f, name, n, EVENT_MS) != n)
		fail_msg("%s wrote %zu of %zu messages within %d ms; "
		    "seccompmon's stderr:\n%s", syslogd_name(f->d.kind),
		    f->nlines, n, EVENT_MS, err_text(&f->m));
}

/* The line for process pid, or NULL. */
static json_object *
find_pid(struct fixture *f, pid_t pid)
{
	char want[24];
	size_t i;

	snprintf(want, sizeof(want), "%d", (int)pid);
	for (i = 0; i < f->nlines; i++)
		if (strcmp(syslogd_str(f->lines[i], "pid"), want) == 0)
			return f->lines[i];
	return NULL;
}

/*
 * Wait until a line for each of the n pids is there (live: records of
 * other processes on the host may come between).
 */
static void
wait_pids(struct fixture *f, const char *name, const pid_t *pids, size_t n)
{
	int64_t deadline = mono_ms() + EVENT_MS;
	size_t i;

	for (;;) {
		(void)read_lines(f, name, LINES_MAX, 200);
		for (i = 0; i < n && find_pid(f, pids[i]) != NULL; i++)
			;
		if (i == n)
			return;
		if (mono_ms() >= deadline)
			fail_msg("%s: no message for pid %d within %d ms; "
			    "seccompmon's stderr:\n%s",
			    syslogd_name(f->d.kind), (int)pids[i], EVENT_MS,
			    err_text(&f->m));
	}
}

/* The message as sent: the JSON after any blank and "@cee: ". */
static const char *
message(json_object *got, int cee)
{
	const char *msg = syslogd_str(got, "msg");

	while (*msg == ' ')
		msg++;
	if (cee) {
		if (strncmp(msg, "@cee: ", 6) != 0)
			fail_msg("no \"@cee: \" in %.80s", msg);
		msg += 6;
	}
	return msg;
}

/* "YYYY-MM-DDThh:mm:ss.mmmZ" -> seconds and milliseconds. */
static void
parse_ts(const char *ts, time_t *sec, unsigned *msec)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (strlen(ts) != 24 || sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d.%3u",
	    &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec, msec) != 7)
		fail_msg("@timestamp %s", ts);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*sec = timegm(&tm);
}

/*
 * What every received line must show: the severity of its action, the
 * facility and ident, seccompmon's pid, the record's time, and the JSON
 * parsed as sent.
 */
static json_object *
check_line(struct fixture *f, json_object *got, int cee, int facility,
    const char *ident, int rfc5424, const char *host)
{
	const char *name = syslogd_name(f->d.kind), *msg, *t, *action;
	json_object *sent, *parsed, *o;
	char want[64];
	unsigned msec;
	struct tm tm;
	time_t sec;

	msg = message(got, cee);
	if ((sent = json_tokener_parse(msg)) == NULL)
		fail_msg("%s: the message is not JSON: %s", name, msg);
	/* A record without code= has no seccomp.action: "unknown". */
	if ((action = jpath_str(sent, "seccomp.action", NULL)) == NULL)
		action = "unknown";
	snprintf(want, sizeof(want), "%d", severity_of(action));
	assert_string_equal(syslogd_str(got, "sev"), want);
	snprintf(want, sizeof(want), "%d", facility >> 3);
	assert_string_equal(syslogd_str(got, "fac"), want);
	assert_string_equal(syslogd_str(got, "app"), ident);
	snprintf(want, sizeof(want), "%d", (int)f->m.pid);
	assert_string_equal(syslogd_str(got, "procid"), want);
	assert_string_equal(syslogd_str(got, "action"),
	    strcmp(action, "unknown") == 0 ? "" : action);
	if ((o = jpath(sent, "process.pid")) != NULL)
		assert_string_equal(syslogd_str(got, "pid"),
		    json_object_get_string(o));

	if (!json_object_object_get_ex(got, "parsed", &parsed))
		fail_msg("%s: nothing parsed", name);
	if (f->d.kind == SYSLOGD_RSYSLOG && !json_object_equal(sent, parsed))
		fail_msg("%s: parsed differs from the message:\n%s\n%s", name,
		    json_object_to_json_string(parsed), msg);

	parse_ts(jpath_str(sent, "@timestamp", NULL), &sec, &msec);
	t = syslogd_str(got, "time");
	if (!rfc5424) {
		/* The local time of ZONE, which is not UTC. */
		assert_non_null(localtime_r(&sec, &tm));
		assert_int_equal(tm.tm_gmtoff, 5 * 3600 + 1800);
		strftime(want, sizeof(want), "%m-%dT%H:%M:%S", &tm);
		if (strlen(t) < 19 || strncmp(t + 5, want, 14) != 0)
			fail_msg("%s: time %s, expected local ....-%s", name,
			    t, want);
	} else {
		assert_non_null(gmtime_r(&sec, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want + 19, sizeof(want) - 19, ".%03u", msec);
		if (strncmp(t, want, 23) != 0)
			fail_msg("%s: time %s, expected %s", name, t, want);
		assert_string_equal(syslogd_str(got, "host"), host);
		assert_string_equal(syslogd_str(got, "msgid"), action);
	}
	return sent;
}

/* The replayed events arrived, each exactly one of the expected lines. */
static void
check_replay(struct fixture *f, int cee, int facility, const char *ident,
    int rfc5424, const char *host)
{
	char exp[NREPLAY][4096], buf[4096];
	int used[NREPLAY] = { 0 };
	size_t i, j, n = 0;
	const char *msg;
	FILE *e;

	assert_non_null(e = fopen(EXPECTED, "r"));
	while (n < NREPLAY && fgets(buf, sizeof(buf), e) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(exp[n++], sizeof(exp[0]), "%s", buf);
	}
	fclose(e);
	assert_int_equal(n, NREPLAY);
	wait_lines(f, rfc5424 ? SYSLOGD_LOG5424 : cee ? SYSLOGD_LOG :
	    SYSLOGD_LOGRAW, NREPLAY);
	for (i = 0; i < NREPLAY; i++) {
		json_object_put(check_line(f, f->lines[i], cee, facility,
		    ident, rfc5424, host));
		msg = message(f->lines[i], cee);
		for (j = 0; j < NREPLAY; j++)
			if (!used[j] && strcmp(exp[j], msg) == 0)
				break;
		if (j == NREPLAY)
			fail_msg("%s: not an expected event, or twice: %s",
			    syslogd_name(f->d.kind), msg);
		used[j] = 1;
	}
}

/* --output syslog:SOCKET: the defaults (authpriv, RFC 3164, no cee). */
static void
seccompmon__replay_to_rsyslog__every_event_parsed(void **state)
{
	struct fixture *f = *state;
	char out[160], sock[128];
	const char *args[] = { "--replay", REPLAY, "--host-name",
	    "replayhost", "--output", out, NULL };

	daemon_init(f, SYSLOGD_RSYSLOG, 1);
	snprintf(out, sizeof(out), "syslog:%s", syslogd_socket(&f->d,
	    SYSLOGD_LOGRAW, sock, sizeof(sock)));
	start(f, args);
	wait_exit_0(f);
	check_replay(f, 0, LOG_AUTHPRIV, "seccompmon", 0, NULL);
}

/* The configuration file: RFC 5424, cee, local4, another ident. */
static void
seccompmon__replay_rfc5424_cee_to_syslog_ng__every_event_parsed(
    void **state)
{
	struct fixture *f = *state;
	char sock[128];
	const char *args[] = { "--config", f->conf, "--replay", REPLAY,
	    "--host-name", "replayhost", NULL };
	FILE *c;

	daemon_init(f, SYSLOGD_SYSLOG_NG, 1);
	snprintf(f->conf, sizeof(f->conf), "%s/seccompmon.json", f->d.dir);
	assert_non_null(c = fopen(f->conf, "w"));
	fprintf(c, "{ \"outputs\": [ { \"type\": \"syslog\", \"socket\": "
	    "\"%s\", \"facility\": \"local4\", \"ident\": \"scm-test\", "
	    "\"cee\": true, \"format\": \"rfc5424\" } ] }\n",
	    syslogd_socket(&f->d, SYSLOGD_LOG5424, sock, sizeof(sock)));
	assert_int_equal(fclose(c), 0);
	start(f, args);
	wait_exit_0(f);
	check_replay(f, 1, LOG_LOCAL4, "scm-test", 1, "replayhost");
}

struct violation_case {
	const char	*mode;
	int		 killed;
	const char	*name;		/* what the violator calls itself */
	size_t		 len;
};

static const struct violation_case cases[] = {
	{ "kill_process", 1, "k\"ill\nme", 8 },
	{ "kill_thread", 0, NULL, 0 },	/* a thread dies; it sees that */
	{ "errno", 0, "\xff\xfe-bad", 6 },
	{ "trap", 0, "u\xe2\x80\xa8x", 5 },
	{ "log", 0, "@cee: {}", 8 },
};

/* Run the violator; its pid. */
static pid_t
violate(const struct violation_case *c)
{
	pid_t pid;
	int status;

	if ((pid = violator_spawn(HARNESS_VIOLATOR, c->mode, c->name,
	    c->len)) < 0)
		fail_msg("spawning the violator: %s", strerror(errno));
	if (child_reap(pid, EVENT_MS, &status) < 0)
		fail_msg("violator %s did not end", c->mode);
	if (c->killed ? !WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS :
	    !WIFEXITED(status) || WEXITSTATUS(status) != VIOLATOR_SEEN)
		fail_msg("violator %s: wait status 0x%x", c->mode,
		    (unsigned)status);
	return pid;
}

/* Wait until stderr holds needle. */
static void
wait_stderr(struct fixture *f, const char *needle)
{
	int64_t deadline = mono_ms() + EVENT_MS;

	while (strstr(err_text(&f->m), needle) == NULL &&
	    mono_ms() < deadline)
		(void)monitor_pump(&f->m, 100);
	if (strstr(err_text(&f->m), needle) == NULL)
		fail_msg("stderr does not say \"%s\":\n%s", needle,
		    err_text(&f->m));
}

/* Live: each action, names an attacker chose, to rsyslog. */
static void
seccompmon__live_violations_to_rsyslog__each_action_parsed(void **state)
{
	struct fixture *f = *state;
	char out[160], sock[128];
	const char *args[] = { "--output", out, NULL };
	pid_t pids[sizeof(cases) / sizeof(cases[0])];
	json_object *got, *sent;
	size_t i, n = sizeof(cases) / sizeof(cases[0]);

	daemon_init(f, SYSLOGD_RSYSLOG, 1);
	snprintf(out, sizeof(out), "syslog:%s", syslogd_socket(&f->d,
	    SYSLOGD_LOGRAW, sock, sizeof(sock)));
	start(f, args);
	if (monitor_wait_ready(&f->m, READY_MS) < 0)
		fail_msg("no READY=1; stderr:\n%s", err_text(&f->m));
	for (i = 0; i < n; i++)
		pids[i] = violate(&cases[i]);
	wait_pids(f, SYSLOGD_LOGRAW, pids, n);
	for (i = 0; i < n; i++) {
		got = find_pid(f, pids[i]);
		sent = check_line(f, got, 0, LOG_AUTHPRIV, "seccompmon", 0,
		    NULL);
		assert_string_equal(jpath_str(sent, "seccomp.action", NULL),
		    cases[i].mode);
		assert_string_equal(syslogd_str(got, "name"),
		    jpath_str(sent, "process.name", NULL));
		json_object_put(sent);
	}
	if (monitor_stop(&f->m, SIGTERM, STOP_MS) < 0 ||
	    !WIFEXITED(f->m.status) || WEXITSTATUS(f->m.status) != 0)
		fail_msg("daemon did not stop cleanly; stderr:\n%s",
		    err_text(&f->m));
}

/*
 * No syslog daemon yet: the failure is reported once, naming the output;
 * rsyslog starts and the next event arrives, and the loss is reported.
 */
static void
seccompmon__syslog_absent_then_started__reported_then_delivered(
    void **state)
{
	struct fixture *f = *state;
	char out[160], sock[128], said[256], *end;
	const char *args[] = { "--output", out, NULL }, *p;
	unsigned long lost;
	pid_t pid;

	daemon_init(f, SYSLOGD_RSYSLOG, 0);
	snprintf(out, sizeof(out), "syslog:%s", syslogd_socket(&f->d,
	    SYSLOGD_LOGRAW, sock, sizeof(sock)));
	start(f, args);
	if (monitor_wait_ready(&f->m, READY_MS) < 0)
		fail_msg("no READY=1; stderr:\n%s", err_text(&f->m));
	(void)violate(&cases[4]);
	snprintf(said, sizeof(said), "output %s failed", out);
	wait_stderr(f, said);
	wait_stderr(f, "No such file or directory");
	(void)violate(&cases[4]);

	if (syslogd_start(&f->d) < 0)
		fail_msg("rsyslog did not start");
	pid = violate(&cases[4]);
	wait_pids(f, SYSLOGD_LOGRAW, &pid, 1);
	json_object_put(check_line(f, find_pid(f, pid), 0, LOG_AUTHPRIV,
	    "seccompmon", 0, NULL));
	/* At least the two; other processes' violations count as well. */
	snprintf(said, sizeof(said), "output %s works again; ", out);
	wait_stderr(f, said);
	p = strstr(err_text(&f->m), said) + strlen(said);
	errno = 0;
	lost = strtoul(p, &end, 10);
	if (errno != 0 || end == p || lost < 2 ||
	    strncmp(end, " events were lost", 17) != 0)
		fail_msg("not \"%s2 (or more) events were lost\":\n%s", said,
		    err_text(&f->m));
	if (monitor_stop(&f->m, SIGTERM, STOP_MS) < 0 ||
	    !WIFEXITED(f->m.status) || WEXITSTATUS(f->m.status) != 0)
		fail_msg("daemon did not stop cleanly; stderr:\n%s",
		    err_text(&f->m));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(seccompmon__replay_to_rsyslog__every_event_parsed),
		T(seccompmon__replay_rfc5424_cee_to_syslog_ng__every_event_parsed),
		T(seccompmon__live_violations_to_rsyslog__each_action_parsed),
		T(seccompmon__syslog_absent_then_started__reported_then_delivered),
	};
	char why[512];
	int lock, rc;

	(void)unsetenv(HARNESS_CONFIG_ENV);
	if (syslogd_available(why, sizeof(why)) != 0) {
		fprintf(stderr, "test_syslog_daemon: SKIP: %s\n", why);
		return 77;
	}
	if (access(ZONE_FILE, R_OK) != 0) {
		fprintf(stderr, "test_syslog_daemon: SKIP: %s: %s (package "
		    "tzdata)\n", ZONE_FILE, strerror(errno));
		return 77;
	}
	/* seccompmon inherits it; this process uses it for expectations. */
	if (setenv("TZ", ZONE, 1) != 0)
		return 99;
	tzset();
	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_syslog_daemon: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_syslog_daemon: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_syslog_daemon: %s\n", why);
		return 99;
	}
	rc = cmocka_run_group_tests_name("syslog_daemon", tests, NULL, NULL);
	close(lock);
	return rc == 0 ? 0 : 1;
}
