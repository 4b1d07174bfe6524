/*
 * Live tests: the real daemon against the real kernel.  Each test starts its
 * own seccompmon, makes the violator break a filter, and asserts that exactly
 * the expected events for the violator's pid arrive, that the daemon exits 0
 * and that no audit daemon registration is left behind.  Runs are serialised
 * with a lock because only one process can be the audit daemon.  An observer
 * of the test's own fails a test whose daemon broke its own seccomp policy;
 * test_completeness.sh runs all this with a policy that logs instead of
 * denying (SECCOMPMON_TEST_CONFIG), so that no such call can hide.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/integration/harness.h"

#define READY_MS	5000	/* start-up to READY=1 */
#define EVENT_MS	5000	/* violation to event */
#define LINGER_MS	300	/* after the expected events: nothing more */
#define STOP_MS		5000	/* signal to exit */
#define REFUSE_MS	3000	/* a refused start must end this fast */
#define OBSERVER_RCVBUF	(64 << 20)	/* holds the overflow test's flood */

/* What one violator mode should produce. */
struct expect {
	const char	*mode;
	const char	*syscall;	/* seccomp.syscall.name */
	int64_t		 number;	/* seccomp.syscall.number (recorded) */
	const char	*action;	/* seccomp.action */
	const char	*code;		/* seccomp.code */
	const char	*arch;
	int		 compat;
	int		 sig;		/* seccomp.signal.number; 0: none */
	const char	*outcome;
	const char	*type;		/* event.type[0] */
	int		 killed;	/* the violator dies of SIGSYS */
};

static const struct expect exp_log = {
	"log", "getppid", 110, "log", "0x7ffc0000", "x86_64", 0, 0,
	"success", "allowed", 0,
};
static const struct expect exp_errno = {
	"errno", "getsid", 124, "errno", "0x50000", "x86_64", 0, 0,
	"failure", "denied", 0,
};
static const struct expect exp_trap = {
	"trap", "getpgrp", 111, "trap", "0x30000", "x86_64", 0, 0,
	"failure", "denied", 0,
};
static const struct expect exp_kill_process = {
	"kill_process", "getpgid", 121, "kill_process", "0x80000000",
	"x86_64", 0, 31, "failure", "denied", 1,
};
static const struct expect exp_kill_thread = {
	"kill_thread", "gettid", 186, "kill_thread", "0x0", "x86_64", 0, 31,
	"failure", "denied", 0,
};
/* The x32 bit stays in the number; the name comes from the x32 table. */
static const struct expect exp_x32 = {
	"x32", "getppid", 0x40000000 | 110, "log", "0x7ffc0000", "x32", 0, 0,
	"success", "allowed", 0,
};

struct live {
	struct monitor		m[2];
	struct registration	reg;
	char			dir[PATH_MAX];	/* a copy of the violator */
	char			exe[PATH_MAX];
	char			violator[PATH_MAX];	/* realpath */
	pid_t			registrant;	/* a registered child */
	struct observer		obs;
};

static int
setup(void **state)
{
	struct live *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -1;
	monitor_init(&l->m[0]);
	monitor_init(&l->m[1]);
	if (realpath(HARNESS_VIOLATOR, l->violator) == NULL) {
		free(l);
		return -1;
	}
	if (observer_start(&l->obs, OBSERVER_RCVBUF) < 0) {
		fprintf(stderr, "observer: joining the audit multicast group: "
		    "%s\n", strerror(errno));
		free(l);
		return -1;
	}
	*state = l;
	return 0;
}

/*
 * Everything is cleaned up first; then the observer's verdict, which fails
 * the test (cmocka: "Test teardown failed") when a daemon of this test left
 * a SECCOMP record of its own, at any time up to its exit.
 */
static int
teardown(void **state)
{
	struct live *l = *state;
	char why[4096];
	int status, rc = 0;

	monitor_destroy(&l->m[0]);
	monitor_destroy(&l->m[1]);
	(void)registration_release(&l->reg);
	if (l->registrant > 0) {
		kill(l->registrant, SIGKILL);
		(void)child_reap(l->registrant, STOP_MS, &status);
		kaudit_forget((uint32_t)l->registrant);
	}
	if (l->exe[0] != '\0')
		(void)unlink(l->exe);
	if (l->dir[0] != '\0')
		(void)rmdir(l->dir);
	if (observer_check(&l->obs, EVENT_MS, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&l->obs);
	free(l);
	return rc;
}

static void
hex_line(char *out, size_t cap, const char *s, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x",
		    (unsigned)(unsigned char)s[i]);
}

/* The kernel must report no audit daemon, or exactly want. */
static void
want_registered(uint32_t want)
{
	uint32_t pid;

	if (kaudit_pid(&pid) < 0)
		fail_msg("AUDIT_GET: %s", strerror(errno));
	if (pid != want)
		fail_msg("kernel audit daemon pid is %u, expected %u", pid,
		    want);
}

/* With SECCOMPMON_TEST_CONFIG set, every daemon must have its filter. */
static void
want_sandbox(struct monitor *m)
{
	char why[1024];

	if (monitor_sandbox(m, "test_live", why, sizeof(why)) < 0)
		fail_msg("%s", why);
}

static void
start(struct monitor *m, const char *mode, const char *host)
{
	const char *args[6] = { "--socket", mode, NULL, NULL, NULL, NULL };

	if (host != NULL) {
		args[2] = "--host-name";
		args[3] = host;
	}
	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("no READY=1 within %d ms (--socket %s); stderr:\n%s",
		    READY_MS, mode, monitor_err(m));
	want_sandbox(m);
}

/* Stop with sig: exit 0, STOPPING=1 sent, every stdout line one object. */
static void
stop(struct monitor *m, int sig)
{
	if (monitor_stop(m, sig, STOP_MS) < 0)
		fail_msg("daemon did not exit within %d ms of signal %d; "
		    "stderr:\n%s", STOP_MS, sig, monitor_err(m));
	if (!WIFEXITED(m->status) || WEXITSTATUS(m->status) != 0)
		fail_msg("daemon wait status 0x%x, expected exit 0; "
		    "stderr:\n%s", (unsigned)m->status, monitor_err(m));
	if (m->bad_lines != 0)
		fail_msg("%zu of %zu stdout lines are not one JSON object; "
		    "first: %s", m->bad_lines, m->lines, m->first_bad);
	if (!monitor_notified(m, "STOPPING=1"))
		fail_msg("no STOPPING=1 notification");
}

/* Run a violator and check how it ended; its pid. */
static pid_t
violate(const char *exe, const struct expect *e, const char *name,
    size_t len)
{
	pid_t pid;
	int status;

	if ((pid = violator_spawn(exe, e->mode, name, len)) < 0)
		fail_msg("spawning %s: %s", exe, strerror(errno));
	if (child_reap(pid, EVENT_MS, &status) < 0)
		fail_msg("violator %s did not end within %d ms", e->mode,
		    EVENT_MS);
	if (e->killed) {
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
			fail_msg("violator %s: wait status 0x%x, expected "
			    "death by SIGSYS", e->mode, (unsigned)status);
		if (WCOREDUMP(status))
			fail_msg("violator %s dumped core", e->mode);
	} else if (!WIFEXITED(status) ||
	    WEXITSTATUS(status) != VIOLATOR_SEEN)
		fail_msg("violator %s: wait status 0x%x, expected exit %d "
		    "(%d: filter not loaded, %d: action had no effect)",
		    e->mode, (unsigned)status, VIOLATOR_SEEN, VIOLATOR_SETUP,
		    VIOLATOR_UNEXPECTED);
	return pid;
}

/* Wait for n events of pid, then LINGER_MS for any that should not come. */
static void
want_events(struct monitor *m, pid_t pid, size_t n)
{
	size_t got;

	got = monitor_wait_events(m, pid, n, EVENT_MS);
	if (got < n)
		fail_msg("%zu of %zu event(s) for pid %d within %d ms; "
		    "%zu lines read; stderr:\n%s", got, n, (int)pid, EVENT_MS,
		    m->lines, monitor_err(m));
	monitor_linger(m, LINGER_MS);
}

/* After stop(): exactly n events for pid, the whole output read. */
static void
want_exactly(const struct monitor *m, pid_t pid, size_t n)
{
	size_t got = monitor_count(m, pid);

	if (got != n)
		fail_msg("%zu event(s) for pid %d, expected exactly %zu", got,
		    (int)pid, n);
}

static void
want_str(json_object *o, const char *path, const char *want)
{
	const char *s = jpath_str(o, path, NULL);

	if (s == NULL)
		fail_msg("%s: missing or not a string in %s", path,
		    json_object_to_json_string(o));
	if (strcmp(s, want) != 0)
		fail_msg("%s is \"%s\", expected \"%s\"", path, s, want);
}

static void
want_bytes(json_object *o, const char *path, const char *want, size_t n)
{
	char h1[256], h2[256];
	const char *s;
	size_t len;

	if ((s = jpath_str(o, path, &len)) == NULL)
		fail_msg("%s: missing or not a string in %s", path,
		    json_object_to_json_string(o));
	if (len != n || memcmp(s, want, n) != 0) {
		hex_line(h1, sizeof(h1), s, len);
		hex_line(h2, sizeof(h2), want, n);
		fail_msg("%s is %s (hex), expected %s", path, h1, h2);
	}
}

static void
want_contains(json_object *o, const char *path, const char *part)
{
	const char *s = jpath_str(o, path, NULL);

	if (s == NULL)
		fail_msg("%s: missing or not a string in %s", path,
		    json_object_to_json_string(o));
	if (strstr(s, part) == NULL)
		fail_msg("%s is \"%s\", expected it to contain \"%s\"", path,
		    s, part);
}

static void
want_int(json_object *o, const char *path, int64_t want)
{
	int64_t v;

	if (jpath_int(o, path, &v) < 0)
		fail_msg("%s: missing or not an integer in %s", path,
		    json_object_to_json_string(o));
	if (v != want)
		fail_msg("%s is %lld, expected %lld", path, (long long)v,
		    (long long)want);
}

static void
want_bool(json_object *o, const char *path, int want)
{
	int v;

	if (jpath_bool(o, path, &v) < 0)
		fail_msg("%s: missing or not a boolean in %s", path,
		    json_object_to_json_string(o));
	if (!v != !want)
		fail_msg("%s is %s, expected %s", path, v ? "true" : "false",
		    want ? "true" : "false");
}

static void
want_absent(json_object *o, const char *path)
{
	if (jpath(o, path) != NULL)
		fail_msg("%s should be absent in %s", path,
		    json_object_to_json_string(o));
}

/* A one-element array holding want. */
static void
want_list1(json_object *o, const char *path, const char *want)
{
	json_object *a = jpath(o, path), *v;

	if (a == NULL || !json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != 1 ||
	    (v = json_object_array_get_idx(a, 0)) == NULL ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), want) != 0)
		fail_msg("%s should be [\"%s\"] in %s", path, want,
		    json_object_to_json_string(o));
}

/* The value at path, as compact JSON, is want. */
static void
want_json(json_object *o, const char *path, const char *want)
{
	json_object *v = jpath(o, path);

	if (v == NULL || strcmp(json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN), want) != 0)
		fail_msg("%s should be %s in %s", path, want,
		    json_object_to_json_string(o));
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ", within a few seconds of now. */
static void
want_recent(json_object *o)
{
	const char *s = jpath_str(o, "@timestamp", NULL);
	const char *end;
	struct tm tm;
	time_t t, now = time(NULL);

	if (s == NULL)
		fail_msg("@timestamp missing in %s",
		    json_object_to_json_string(o));
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL || end[0] != '.' || end[1] < '0' || end[1] > '9' ||
	    end[2] < '0' || end[2] > '9' || end[3] < '0' || end[3] > '9' ||
	    strcmp(end + 4, "Z") != 0)
		fail_msg("@timestamp \"%s\" is not YYYY-MM-DDTHH:MM:SS.mmmZ",
		    s);
	t = timegm(&tm);
	if (t < now - 10 || t > now + 2)
		fail_msg("@timestamp \"%s\" is %lld s from now", s,
		    (long long)(t - now));
}

/*
 * Every field the event of e must carry.  name/len: the expected
 * process.name bytes; exe: the expected process.executable.
 */
static void
want_event(json_object *o, const struct expect *e, pid_t pid,
    const char *name, size_t len, const char *exe)
{
	char uid[32];
	int64_t seq;

	want_recent(o);
	want_str(o, "event.kind", "event");
	want_json(o, "event.category", "[\"api\",\"intrusion_detection\"]");
	want_list1(o, "event.type", e->type);
	want_str(o, "event.action", "violated-seccomp-policy");
	want_str(o, "event.outcome", e->outcome);
	want_str(o, "event.module", "seccompmon");
	want_str(o, "event.dataset", "seccompmon.seccomp");
	if (jpath_int(o, "event.sequence", &seq) < 0 || seq <= 0)
		fail_msg("event.sequence is not a positive integer in %s",
		    json_object_to_json_string(o));
	want_int(o, "process.pid", pid);
	want_bytes(o, "process.name", name, len);
	want_str(o, "process.executable", exe);
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	want_str(o, "user.id", uid);
	want_str(o, "seccomp.action", e->action);
	want_str(o, "seccomp.syscall.name", e->syscall);
	want_int(o, "seccomp.syscall.number", e->number);
	want_str(o, "seccomp.arch", e->arch);
	want_bool(o, "seccomp.compat", e->compat);
	want_str(o, "seccomp.code", e->code);
	if (e->sig != 0) {
		want_int(o, "seccomp.signal.number", e->sig);
		want_str(o, "seccomp.signal.name", "SIGSYS");
	} else
		want_absent(o, "seccomp.signal");
}

/*
 * The whole cycle in unicast mode: start, run exe once (named name unless
 * NULL), exactly one event, stop, unregistered.  The event must match e
 * and carry want_name (default: the name given, else "violator").  Returns
 * it; it lives until teardown.
 */
static json_object *
one_violation(struct live *l, const struct expect *e, const char *exe,
    const char *name, size_t len, const char *want_name, size_t want_len)
{
	struct monitor *m = &l->m[0];
	char real[PATH_MAX];
	json_object *o;
	pid_t pid;

	if (realpath(exe, real) == NULL)
		fail_msg("realpath %s: %s", exe, strerror(errno));
	if (want_name == NULL) {
		want_name = name != NULL ? name : "violator";
		want_len = name != NULL ? len : strlen("violator");
	}
	want_registered(0);
	start(m, "unicast", NULL);
	want_registered((uint32_t)m->pid);
	pid = violate(exe, e, name, len);
	want_events(m, pid, 1);
	stop(m, SIGTERM);
	want_exactly(m, pid, 1);
	want_registered(0);
	o = monitor_event(m, pid, 0);
	want_event(o, e, pid, want_name, want_len, real);
	return o;
}

static void
live__log__one_allowed_event_with_log_action(void **state)
{
	(void)one_violation(*state, &exp_log, HARNESS_VIOLATOR, NULL, 0, NULL,
	    0);
}

static void
live__errno_with_log_flag__one_event_with_errno_action(void **state)
{
	(void)one_violation(*state, &exp_errno, HARNESS_VIOLATOR, NULL, 0,
	    NULL, 0);
}

static void
live__trap_with_log_flag__denied_event_without_signal(void **state)
{
	(void)one_violation(*state, &exp_trap, HARNESS_VIOLATOR, NULL, 0,
	    NULL, 0);
}

static void
live__kill_process__one_event_with_sigsys(void **state)
{
	(void)one_violation(*state, &exp_kill_process, HARNESS_VIOLATOR,
	    NULL, 0, NULL, 0);
}

/* The record names the process (TGID) but the dying thread's comm. */
static void
live__kill_thread__process_pid_and_thread_name(void **state)
{
	static const char name[] = "sm-victim";

	(void)one_violation(*state, &exp_kill_thread, HARNESS_VIOLATOR, name,
	    sizeof(name) - 1, NULL, 0);
}

static void
live__x32_call__named_from_x32_table(void **state)
{
	(void)one_violation(*state, &exp_x32, HARNESS_VIOLATOR, NULL, 0,
	    NULL, 0);
}

/* The kernel hex-encodes these (a quote, a blank, bytes past 0x7e). */
static void
live__comm_quote_blank_newline_u2028__round_trips(void **state)
{
	static const char name[] = "a\"b c\n\\\xe2\x80\xa8\xc3\xa9z";

	(void)one_violation(*state, &exp_log, HARNESS_VIOLATOR, name,
	    sizeof(name) - 1, NULL, 0);
}

/* Control characters that JSON must escape: tab, 0x01, ESC, DEL. */
static void
live__comm_with_control_bytes__round_trips(void **state)
{
	static const char name[] = "ctl\t\x01\x1b\x7f" "end";

	(void)one_violation(*state, &exp_log, HARNESS_VIOLATOR, name,
	    sizeof(name) - 1, NULL, 0);
}

/* No byte forces hex, so the kernel quotes it, backslash and all. */
static void
live__comm_with_backslash_only__quoted_and_round_trips(void **state)
{
	static const char name[] = "back\\slash\\";

	(void)one_violation(*state, &exp_log, HARNESS_VIOLATOR, name,
	    sizeof(name) - 1, NULL, 0);
}

static void
live__comm_invalid_utf8__fffd_original_and_error(void **state)
{
	static const char name[] = "bad\xff\xfe";
	static const char want[] = "bad\xef\xbf\xbd\xef\xbf\xbd";
	json_object *o;

	o = one_violation(*state, &exp_log, HARNESS_VIOLATOR, name,
	    sizeof(name) - 1, want, sizeof(want) - 1);
	want_contains(o, "event.original", " comm=626164FFFE ");
	want_contains(o, "error.message", "comm");
	want_contains(o, "error.message", "U+FFFD");
}

/* The exe path is hex-encoded by the kernel; it must come back exact. */
static void
live__exe_path_with_blank_and_quote__exact(void **state)
{
	struct live *l = *state;
	char buf[65536];
	ssize_t n;
	int in = -1, out = -1;

	strcpy(l->dir, "/tmp/sm test \"xXXXXXX");
	if (mkdtemp(l->dir) == NULL) {
		l->dir[0] = '\0';
		fail_msg("mkdtemp: %s", strerror(errno));
	}
	snprintf(l->exe, sizeof(l->exe), "%s/violator", l->dir);
	in = open(HARNESS_VIOLATOR, O_RDONLY | O_CLOEXEC);
	out = open(l->exe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	do
		n = in >= 0 && out >= 0 ? read(in, buf, sizeof(buf)) : -1;
	while (n > 0 && write(out, buf, (size_t)n) == n);
	if (in >= 0)
		close(in);
	if ((out >= 0 && close(out) < 0) || n != 0)
		fail_msg("copying the violator to %s failed", l->exe);
	(void)one_violation(l, &exp_log, l->exe, NULL, 0, NULL, 0);
}

/*
 * Whether READY came with "STATUS=listening (MODE)".  Under a wrapper
 * (test_valgrind.sh: valgrind has no seccomp(2)) the filter cannot load,
 * and the daemon says so on that line too.
 */
static int
notified_listening(const struct monitor *m, const char *mode)
{
	char line[96];

	snprintf(line, sizeof(line), "STATUS=listening (%s)", mode);
	if (monitor_notified(m, line))
		return 1;
	if (getenv(HARNESS_WRAPPER_ENV) == NULL)
		return 0;
	snprintf(line, sizeof(line), "STATUS=listening (%s), WITHOUT a "
	    "seccomp filter", mode);
	return monitor_notified(m, line);
}

static void
live__multicast__one_event_and_host_name(void **state)
{
	static const char host[] = "live \"host\"";
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	pid_t pid;

	want_registered(0);
	start(m, "multicast", host);
	if (!notified_listening(m, "multicast"))
		fail_msg("READY without STATUS=listening (multicast): %s",
		    m->notes.data);
	want_registered(0);
	pid = violate(HARNESS_VIOLATOR, &exp_log, NULL, 0);
	want_events(m, pid, 1);
	stop(m, SIGTERM);
	want_exactly(m, pid, 1);
	want_registered(0);
	want_event(monitor_event(m, pid, 0), &exp_log, pid, "violator", 8,
	    l->violator);
	want_str(monitor_event(m, pid, 0), "host.name", host);
	if (strstr(monitor_err(m), "listening for SECCOMP records (multicast")
	    == NULL)
		fail_msg("stderr does not say multicast:\n%s", monitor_err(m));
}

/* On a host without auditd (hidden in a mount namespace of the daemon's). */
static void
live__auto_without_daemon__picks_unicast(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	pid_t pid;

	want_registered(0);
	m->no_auditd = 1;	/* this host has one, installed and enabled */
	start(m, "auto", NULL);
	if (strstr(monitor_err(m), "<6>socket mode auto: unicast") == NULL)
		fail_msg("stderr does not say \"<6>socket mode auto: "
		    "unicast\":\n%s", monitor_err(m));
	if (!notified_listening(m, "unicast"))
		fail_msg("READY without STATUS=listening (unicast): %s",
		    m->notes.data);
	want_registered((uint32_t)m->pid);
	pid = violate(HARNESS_VIOLATOR, &exp_errno, NULL, 0);
	want_events(m, pid, 1);
	stop(m, SIGTERM);
	want_exactly(m, pid, 1);
	want_registered(0);
	want_event(monitor_event(m, pid, 0), &exp_errno, pid, "violator", 8,
	    l->violator);
}

static void
live__auto_with_daemon__multicast_registration_kept(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	char said[64];
	pid_t pid;

	want_registered(0);
	if (registration_take(&l->reg) < 0)
		fail_msg("registering the test as audit daemon: %s",
		    strerror(errno));
	want_registered((uint32_t)getpid());
	start(m, "auto", NULL);
	snprintf(said, sizeof(said), "audit daemon pid %d", (int)getpid());
	if (strstr(monitor_err(m), "<6>socket mode auto: multicast") == NULL ||
	    strstr(monitor_err(m), said) == NULL)
		fail_msg("stderr does not say \"socket mode auto: multicast "
		    "(%s ...\":\n%s", said, monitor_err(m));
	pid = violate(HARNESS_VIOLATOR, &exp_log, NULL, 0);
	want_events(m, pid, 1);
	stop(m, SIGTERM);
	want_exactly(m, pid, 1);
	want_event(monitor_event(m, pid, 0), &exp_log, pid, "violator", 8,
	    l->violator);
	want_registered((uint32_t)getpid());
	if (registration_release(&l->reg) < 0)
		fail_msg("unregistering the test: %s", strerror(errno));
	want_registered(0);
}

static void
live__unicast_with_daemon__exits_1_naming_pid(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	const char *args[] = { "--socket", "unicast", NULL };
	char said[64];
	int64_t t0;

	want_registered(0);
	if (registration_take(&l->reg) < 0)
		fail_msg("registering the test as audit daemon: %s",
		    strerror(errno));
	t0 = mono_ms();
	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_exit(m, REFUSE_MS) < 0)
		fail_msg("daemon still running %d ms after a refused start; "
		    "stderr:\n%s", REFUSE_MS, monitor_err(m));
	if (!WIFEXITED(m->status) || WEXITSTATUS(m->status) != 1)
		fail_msg("wait status 0x%x, expected exit 1; stderr:\n%s",
		    (unsigned)m->status, monitor_err(m));
	snprintf(said, sizeof(said), "audit daemon pid %d", (int)getpid());
	if (strstr(monitor_err(m), "<3>unicast: ") == NULL ||
	    strstr(monitor_err(m), said) == NULL)
		fail_msg("stderr does not say \"<3>unicast: %s ...\":\n%s",
		    said, monitor_err(m));
	if (monitor_notified(m, "READY=1"))
		fail_msg("READY=1 sent by a daemon that refused to start");
	if (m->lines != 0)
		fail_msg("a refused daemon wrote %zu line(s) to stdout",
		    m->lines);
	if (mono_ms() - t0 > REFUSE_MS)
		fail_msg("refusing took %lld ms", (long long)(mono_ms() - t0));
	want_registered((uint32_t)getpid());
	if (registration_release(&l->reg) < 0)
		fail_msg("unregistering the test: %s", strerror(errno));
	want_registered(0);
}

/*
 * A registrant killed without unregistering stays registered until the
 * kernel fails to reach it (kernel/audit.c auditd_send_unicast_skb(), also
 * on AUDIT_SET through audit_replace()): unicast must take over, not refuse.
 */
static void
live__unicast_with_dead_registrant__takes_over(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	uint32_t now;
	pid_t dead, pid;
	int status;

	want_registered(0);
	if ((dead = registrant_spawn()) < 0)
		fail_msg("a child could not register: %s", strerror(errno));
	l->registrant = dead;
	want_registered((uint32_t)dead);
	kill(dead, SIGKILL);
	if (child_reap(dead, EVENT_MS, &status) < 0)
		fail_msg("the registrant did not die");
	l->registrant = 0;
	/* Stale, unless some record already made the kernel notice. */
	if (kaudit_pid(&now) < 0 || (now != (uint32_t)dead && now != 0))
		fail_msg("after the registrant died the kernel reports %u",
		    now);
	start(m, "unicast", NULL);
	want_registered((uint32_t)m->pid);
	pid = violate(HARNESS_VIOLATOR, &exp_log, NULL, 0);
	want_events(m, pid, 1);
	stop(m, SIGTERM);
	want_exactly(m, pid, 1);
	want_registered(0);
	want_event(monitor_event(m, pid, 0), &exp_log, pid, "violator", 8,
	    l->violator);
}

/*
 * A registrant that died but was not reaped (a zombie: its socket is closed)
 * is not a live audit daemon: auto mode takes unicast, the kernel agreeing.
 */
static void
live__auto_with_zombie_registrant__picks_unicast(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	pid_t zombie, pid;
	int status;

	want_registered(0);
	if ((zombie = registrant_spawn()) < 0)
		fail_msg("a child could not register: %s", strerror(errno));
	l->registrant = zombie;
	want_registered((uint32_t)zombie);
	kill(zombie, SIGKILL);
	/* Wait for it to die without reaping it. */
	{
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT) < 0)
			fail_msg("waitid: %s", strerror(errno));
	}
	m->no_auditd = 1;
	start(m, "auto", NULL);
	if (strstr(monitor_err(m), "<6>socket mode auto: unicast") == NULL)
		fail_msg("stderr does not say \"socket mode auto: unicast\":\n%s",
		    monitor_err(m));
	want_registered((uint32_t)m->pid);
	if (child_reap(zombie, EVENT_MS, &status) < 0)
		fail_msg("the zombie could not be reaped");
	l->registrant = 0;
	pid = violate(HARNESS_VIOLATOR, &exp_log, NULL, 0);
	want_events(m, pid, 1);
	stop(m, SIGTERM);
	want_exactly(m, pid, 1);
	want_registered(0);
}

/* The sum of seccompmon.lost.reasons.<reason> over m's events-lost events. */
static unsigned long long
lost_sum(const struct monitor *m, const char *reason, size_t *nevents)
{
	char key[96];
	const char *c;
	unsigned long long sum = 0;
	size_t i;
	int64_t v;

	(void)snprintf(key, sizeof(key), "seccompmon.lost.reasons.%s", reason);
	*nevents = 0;
	for (i = 0; i < m->nevents; i++) {
		if ((c = jpath_str(m->events[i], "event.action", NULL)) ==
		    NULL || strcmp(c, "events-lost") != 0)
			continue;
		(*nevents)++;
		if (jpath_int(m->events[i], key, &v) == 0)
			sum += (unsigned long long)v;
	}
	return sum;
}

/* The events-lost events' count for output name, summed. */
static unsigned long long
lost_output_sum(const struct monitor *m, const char *name)
{
	json_object *a, *x;
	const char *c;
	unsigned long long sum = 0;
	size_t i, j;
	int64_t v;

	for (i = 0; i < m->nevents; i++) {
		if ((c = jpath_str(m->events[i], "event.action", NULL)) ==
		    NULL || strcmp(c, "events-lost") != 0 ||
		    (a = jpath(m->events[i], "seccompmon.lost.outputs")) ==
		    NULL)
			continue;
		for (j = 0; j < json_object_array_length(a); j++) {
			x = json_object_array_get_idx(a, j);
			if ((c = jpath_str(x, "name", NULL)) != NULL &&
			    strcmp(c, name) == 0 &&
			    jpath_int(x, "count", &v) == 0)
				sum += (unsigned long long)v;
		}
	}
	return sum;
}

/* Records folded into storm-control summaries, in all. */
static unsigned long long
summarized_sum(const struct monitor *m)
{
	unsigned long long sum = 0;
	const char *c;
	int64_t v;
	size_t i;

	for (i = 0; i < m->nevents; i++)
		if ((c = jpath_str(m->events[i], "event.action", NULL)) !=
		    NULL && strcmp(c, "violations-summarized") == 0 &&
		    jpath_int(m->events[i], "seccompmon.summary.count", &v) ==
		    0)
			sum += (unsigned long long)v;
	return sum;
}

/* Records folded into summaries of the executable exe. */
static unsigned long long
summarized_exe_sum(const struct monitor *m, const char *exe)
{
	unsigned long long sum = 0;
	const char *c;
	int64_t v;
	size_t i;

	for (i = 0; i < m->nevents; i++)
		if ((c = jpath_str(m->events[i], "event.action", NULL)) !=
		    NULL && strcmp(c, "violations-summarized") == 0 &&
		    (c = jpath_str(m->events[i], "process.executable",
		    NULL)) != NULL && strcmp(c, exe) == 0 &&
		    jpath_int(m->events[i], "seccompmon.summary.count", &v) ==
		    0)
			sum += (unsigned long long)v;
	return sum;
}

/*
 * A multicast reader that falls behind loses records: the kernel drops the
 * copies its full queue cannot take.  Frozen with SIGSTOP and a small
 * receive buffer while 5000 records go by, it has to.  The kernel counts
 * each drop on the socket, so the account is exact: events + records
 * folded into summaries + reasons.socket_dropped = 5000, and the drops are
 * in seccompmon.lost.count.
 */
static void
live__multicast_overflow__every_record_delivered_or_counted(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	const char *args[] = { "--socket", "multicast", "--rcvbuf", "64k",
	    NULL };
	const char *c;
	unsigned long long dropped, counted = 0, folded, got;
	size_t i, nlost;
	int64_t v;
	pid_t pid;
	int status;

	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("no READY=1; stderr:\n%s", monitor_err(m));
	want_sandbox(m);
	if (kill(m->pid, SIGSTOP) < 0)
		fail_msg("SIGSTOP: %s", strerror(errno));
	if ((pid = violator_spawn(HARNESS_VIOLATOR, "flood", NULL, 0)) < 0 ||
	    child_reap(pid, 20000, &status) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		fail_msg("the flood did not run");
	/*
	 * The flood may sit in the kernel's audit queue (a large backlog_limit
	 * takes it all at once, and kauditd without a registered daemon also
	 * prints each record to a slow console): only once kauditd has sent
	 * it all is the stopped reader's queue sure to have overflowed.
	 */
	if (kaudit_wait_sent(30000) < 0)
		fail_msg("the kernel's audit queue did not empty: %s",
		    strerror(errno));
	if (kill(m->pid, SIGCONT) < 0)
		fail_msg("SIGCONT: %s", strerror(errno));
	monitor_linger(m, LINGER_MS);
	/* SIGUSR1 reports the counters while running. */
	if (kill(m->pid, SIGUSR1) < 0)
		fail_msg("SIGUSR1: %s", strerror(errno));
	monitor_linger(m, LINGER_MS);
	if (strstr(monitor_err(m), "<6>stats: {") == NULL)
		fail_msg("SIGUSR1 logged no stats line:\n%s", monitor_err(m));
	stop(m, SIGTERM);
	if (strstr(monitor_err(m), "the kernel dropped ") == NULL)
		fail_msg("the drops were not logged:\n%s", monitor_err(m));
	got = monitor_count(m, pid);
	folded = summarized_exe_sum(m, l->violator);
	dropped = lost_sum(m, "socket_dropped", &nlost);
	for (i = 0; i < m->nevents; i++) {
		if ((c = jpath_str(m->events[i], "event.action", NULL)) ==
		    NULL || strcmp(c, "events-lost") != 0)
			continue;
		if (jpath_int(m->events[i], "seccompmon.lost.count", &v) == 0)
			counted += (unsigned long long)v;
		/* Multicast: the kernel's lost counter cannot be read. */
		if (jpath(m->events[i], "seccompmon.lost.reasons.kernel_lost")
		    != NULL)
			fail_msg("kernel_lost reported in multicast mode");
	}
	if (dropped == 0 || got + folded + dropped != 5000 ||
	    counted != dropped)
		fail_msg("of 5000 records: %llu events, %llu in summaries, "
		    "%llu dropped on the socket (lost.count %llu, in %zu "
		    "events-lost events); stderr:\n%s", got, folded, dropped,
		    counted, nlost, monitor_err(m));
}

/*
 * Unicast: the kernel drops what the stopped daemon's queue cannot hold
 * and counts it in lost; the daemon reads that counter with AUDIT_GET
 * (after its filter) and reports its growth in the stream.  Every flooded
 * record is then delivered or counted.
 */
static void
live__unicast_queue_overflow__kernel_lost_in_stream(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	const char *args[] = { "--socket", "unicast", "--rcvbuf", "64k",
	    NULL };
	unsigned long long lost, out, folded;
	uint32_t old_limit, old_wait;
	size_t n, got = 0;
	pid_t pid[3];
	int i, status;

	if (kaudit_backlog(&old_limit, &old_wait) < 0)
		fail_msg("audit status: %s", strerror(errno));
	/* Above the daemon's 8192, so kept; no waiting: drop at once. */
	if (kaudit_set_backlog(8193, 0) < 0)
		fail_msg("setting the backlog: %s", strerror(errno));
	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("no READY=1; stderr:\n%s", monitor_err(m));
	want_sandbox(m);
	if (kill(m->pid, SIGSTOP) < 0)
		fail_msg("SIGSTOP: %s", strerror(errno));
	for (i = 0; i < 3; i++)
		if ((pid[i] = violator_spawn(HARNESS_VIOLATOR, "flood", NULL,
		    0)) < 0 || child_reap(pid[i], 20000, &status) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("the flood did not run");
	if (kill(m->pid, SIGCONT) < 0)
		fail_msg("SIGCONT: %s", strerror(errno));
	if (kaudit_wait_sent(30000) < 0)
		fail_msg("the kernel's audit queue did not empty: %s",
		    strerror(errno));
	monitor_linger(m, LINGER_MS + 1000);	/* a tick polls the counter */
	stop(m, SIGTERM);
	(void)kaudit_set_backlog(old_limit, old_wait);
	for (i = 0; i < 3; i++)
		got += monitor_count(m, pid[i]);
	lost = lost_sum(m, "kernel_lost", &n);
	/* The harness may not keep up with stdout: that loss is told too. */
	out = lost_output_sum(m, "stdout");
	/* Storm control folds most of the flood: those are delivered too. */
	folded = summarized_sum(m);
	if (n == 0 || lost == 0 || got + folded + lost + out < 15000)
		fail_msg("%zu of 15000 events arrived, %llu in summaries, %llu "
		    "records lost in the kernel and %llu on stdout, in %zu "
		    "events-lost events; stderr:\n%s", got, folded, lost, out,
		    n, monitor_err(m));
	if (strstr(monitor_err(m), "audit lost counter rose by") == NULL)
		fail_msg("the kernel's loss was not logged:\n%s", monitor_err(m));
}

/*
 * Unicast: the kernel's backlog is the daemon's queue.  The kernel's
 * default of 64 is raised to 8192; a larger limit set by hand stays.
 * The case puts back what it found (the overflow case needs the host's
 * values); kaudit_preflight() puts back at exit what the run found.
 */
static void
live__unicast_backlog__raised_to_8192_never_lowered(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	uint32_t limit, wait, old_limit, old_wait;

	if (kaudit_backlog(&old_limit, &old_wait) < 0)
		fail_msg("audit status: %s", strerror(errno));
	if (kaudit_set_backlog(64, 60000) < 0)
		fail_msg("setting the backlog: %s", strerror(errno));
	start(m, "unicast", NULL);
	if (kaudit_backlog(&limit, &wait) < 0)
		fail_msg("audit status: %s", strerror(errno));
	if (limit != 8192 || wait != 60000)
		fail_msg("backlog_limit %u, backlog_wait_time %u; expected "
		    "8192 and 60000 (untouched)", limit, wait);
	if (strstr(monitor_err(m), "audit backlog_limit raised from 64 to 8192")
	    == NULL)
		fail_msg("the raise was not logged:\n%s", monitor_err(m));
	stop(m, SIGTERM);
	monitor_destroy(m);
	monitor_init(m);

	if (kaudit_set_backlog(20000, 60000) < 0)
		fail_msg("setting the backlog: %s", strerror(errno));
	start(m, "unicast", NULL);
	if (kaudit_backlog(&limit, &wait) < 0)
		fail_msg("audit status: %s", strerror(errno));
	if (limit != 20000)
		fail_msg("backlog_limit %u: a larger one set by hand was "
		    "changed", limit);
	if (strstr(monitor_err(m), "backlog_limit raised") != NULL)
		fail_msg("raised what was larger:\n%s", monitor_err(m));
	stop(m, SIGTERM);
	if (kaudit_set_backlog(old_limit, old_wait) < 0)
		fail_msg("restoring the backlog: %s", strerror(errno));
}

/*
 * Without the process context: what each daemon learnt of the process
 * depends on when it read the record (a kill_process victim is a zombie,
 * then gone), not on the record.
 */
static void
drop_context(json_object *o)
{
	static const char *const keys[] = { "args", "args_count",
	    "command_line", "working_directory", "start", "parent" };
	json_object *p;
	size_t i;

	if ((p = jpath(o, "process")) != NULL)
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			json_object_object_del(p, keys[i]);
	json_object_object_del(o, "service");
	json_object_object_del(o, "container");
	json_object_object_del(o, "orchestrator");
	if ((p = jpath(o, "seccompmon")) != NULL) {
		json_object_object_del(p, "context");
		json_object_object_del(p, "args_truncated");
		json_object_object_del(p, "cgroup");
		if (json_object_object_length(p) == 0)
			json_object_object_del(o, "seccompmon");
	}
}

/* The unicast daemon and a multicast reader see the same record. */
static void
live__unicast_and_multicast_together__same_event(void **state)
{
	struct live *l = *state;
	json_object *a, *b;
	int64_t sa, sb;
	pid_t pid;

	want_registered(0);
	start(&l->m[0], "unicast", NULL);
	start(&l->m[1], "multicast", NULL);
	want_registered((uint32_t)l->m[0].pid);
	pid = violate(HARNESS_VIOLATOR, &exp_kill_process, NULL, 0);
	if (monitor_wait_events(&l->m[0], pid, 1, EVENT_MS) != 1 ||
	    monitor_wait_events(&l->m[1], pid, 1, EVENT_MS) != 1)
		fail_msg("expected one event each, got %zu (unicast) and %zu "
		    "(multicast)", monitor_count(&l->m[0], pid),
		    monitor_count(&l->m[1], pid));
	monitor_linger(&l->m[0], LINGER_MS);
	monitor_linger(&l->m[1], 10);
	stop(&l->m[1], SIGTERM);
	stop(&l->m[0], SIGTERM);
	want_exactly(&l->m[0], pid, 1);
	want_exactly(&l->m[1], pid, 1);
	want_registered(0);
	a = monitor_event(&l->m[0], pid, 0);
	b = monitor_event(&l->m[1], pid, 0);
	want_event(a, &exp_kill_process, pid, "violator", 8, l->violator);
	if (jpath_int(a, "event.sequence", &sa) < 0 ||
	    jpath_int(b, "event.sequence", &sb) < 0 || sa != sb)
		fail_msg("event.sequence differs: %s vs %s",
		    json_object_to_json_string(a),
		    json_object_to_json_string(b));
	drop_context(a);
	drop_context(b);
	if (!json_object_equal(a, b))
		fail_msg("events differ:\n%s\n%s",
		    json_object_to_json_string(a),
		    json_object_to_json_string(b));
}

static void
live__sigint__exits_0_and_unregisters(void **state)
{
	struct live *l = *state;
	struct monitor *m = &l->m[0];
	pid_t pid;

	want_registered(0);
	start(m, "unicast", NULL);
	want_registered((uint32_t)m->pid);
	pid = violate(HARNESS_VIOLATOR, &exp_trap, NULL, 0);
	want_events(m, pid, 1);
	stop(m, SIGINT);
	want_exactly(m, pid, 1);
	want_registered(0);
	if (strstr(monitor_err(m), "Interrupt: stopping") == NULL)
		fail_msg("stderr does not say it stopped on SIGINT:\n%s",
		    monitor_err(m));
}

#define LIVE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		LIVE(live__log__one_allowed_event_with_log_action),
		LIVE(live__errno_with_log_flag__one_event_with_errno_action),
		LIVE(live__trap_with_log_flag__denied_event_without_signal),
		LIVE(live__kill_process__one_event_with_sigsys),
		LIVE(live__kill_thread__process_pid_and_thread_name),
		LIVE(live__x32_call__named_from_x32_table),
		LIVE(live__multicast__one_event_and_host_name),
		LIVE(live__auto_without_daemon__picks_unicast),
		LIVE(live__auto_with_daemon__multicast_registration_kept),
		LIVE(live__unicast_with_daemon__exits_1_naming_pid),
		LIVE(live__unicast_with_dead_registrant__takes_over),
		LIVE(live__auto_with_zombie_registrant__picks_unicast),
		LIVE(live__unicast_and_multicast_together__same_event),
		LIVE(live__unicast_backlog__raised_to_8192_never_lowered),
		LIVE(live__multicast_overflow__every_record_delivered_or_counted),
		LIVE(live__unicast_queue_overflow__kernel_lost_in_stream),
		LIVE(live__comm_quote_blank_newline_u2028__round_trips),
		LIVE(live__comm_with_control_bytes__round_trips),
		LIVE(live__comm_with_backslash_only__quoted_and_round_trips),
		LIVE(live__comm_invalid_utf8__fffd_original_and_error),
		LIVE(live__exe_path_with_blank_and_quote__exact),
		LIVE(live__sigint__exits_0_and_unregisters),
	};
	char why[512];
	int lock, rc;

	/* Only one process can be the audit daemon: never overlap runs. */
	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_live: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_live: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_live: %s\n", why);
		return 99;
	}
	rc = cmocka_run_group_tests_name("live", tests, NULL, NULL);
	close(lock);
	return rc == 0 ? 0 : 1;
}
