/*
 * The journald output against a real systemd-journald.  The test moves into
 * a private mount namespace with tmpfs over /run/systemd, /run/log/journal
 * and /var/log/journal, starts journald there (in a network namespace of
 * its own: off the host's audit multicast group, and with the datagram
 * queue of 512 that systemd as PID 1 sets), sends through
 * sink_journald_new() and sink_event(), and reads back with journalctl.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sched.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "daemon/sandbox.h"
#include "policy/policy.h"
#include "policy/policyjson.h"
#include "reporter/sink.h"
#include "tests/sanitizer.h"

#define SOCK		"/run/systemd/journal/socket"
#define JDIR		"/run/log/journal"
#define MESSAGE_ID	"5d4887fa04d640269b4ebe75f0245bc0"

#define WAIT_MS		20000	/* journald to start, entries to show up */
#define CHILD_PASS	42

static const char *Journald;
static pid_t Jpid = -1;

/* ---- journald ---- */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* An empty datagram, which journald ignores: 0 once it listens. */
static int
probe(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = SOCK };
	int fd, rc;

	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	rc = sendto(fd, "", 0, MSG_DONTWAIT, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0 ? -1 : 0;
	close(fd);
	return rc;
}

static void
journald_start(void)
{
	pid_t parent = getpid();
	int64_t t0;
	int fd;

	/* A stale socket file would answer ECONNREFUSED, not ENOENT. */
	(void)unlink(SOCK);
	Jpid = fork();
	assert_true(Jpid >= 0);
	if (Jpid == 0) {
		/* Never outlive the test, however it ends. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
		    getppid() != parent)
			_exit(1);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		/* Per network namespace: this journald's queue only. */
		if ((fd = open("/proc/sys/net/unix/max_dgram_qlen",
		    O_WRONLY)) < 0 || write(fd, "512", 3) != 3)
			_exit(1);
		close(fd);
		if ((fd = open("/run/systemd/journald-test.log",
		    O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(Journald, Journald, (char *)NULL);
		_exit(127);
	}
	t0 = now_ms();
	while (probe() < 0) {
		if (now_ms() - t0 > WAIT_MS)
			fail_msg("journald did not listen on " SOCK
			    " within %d ms", WAIT_MS);
		sleep_ms(20);
	}
}

static void
journald_stop(void)
{
	int status, i;

	if (Jpid <= 0)
		return;
	(void)kill(Jpid, SIGCONT);
	(void)kill(Jpid, SIGTERM);
	for (i = 0; i < 500 && waitpid(Jpid, &status, WNOHANG) == 0; i++)
		sleep_ms(10);
	if (i == 500) {
		(void)kill(Jpid, SIGKILL);
		(void)waitpid(Jpid, &status, 0);
	}
	Jpid = -1;
}

static int
group_setup(void **state)
{
	(void)state;
	journald_start();
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	journald_stop();
	return 0;
}

/* ---- reading back ---- */

/* journalctl's entries for ident (and match, if any), as an array. */
static json_object *
journal_read(const char *ident, const char *match)
{
	char cmd[512], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	json_object *all, *o;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "journalctl --directory=" JDIR
	    " --all --output=json --no-pager SYSLOG_IDENTIFIER=%s %s "
	    "2>/dev/null", ident, match ? match : "");
	assert_non_null(p = popen(cmd, "r"));
	all = json_object_new_array();
	while ((n = getline(&line, &cap, p)) > 0) {
		if ((o = json_tokener_parse(line)) == NULL)
			fail_msg("journalctl printed a line that is not JSON: "
			    "%.200s", line);
		json_object_array_add(all, o);
	}
	free(line);
	(void)pclose(p);
	return all;
}

/* Wait until journalctl has want entries for ident; then all of them. */
static json_object *
journal_wait(const char *ident, size_t want)
{
	int64_t t0 = now_ms();
	json_object *all;

	for (;;) {
		all = journal_read(ident, NULL);
		if (json_object_array_length(all) >= want)
			return all;
		if (now_ms() - t0 > WAIT_MS)
			fail_msg("%s: %zu of %zu entries in the journal after "
			    "%d ms", ident, json_object_array_length(all),
			    want, WAIT_MS);
		json_object_put(all);
		sleep_ms(50);
	}
}

/*
 * Field key of an entry as bytes: journalctl prints a value that is not
 * printable UTF-8 as an array of byte values.  NULL when absent; caller
 * frees.
 */
static char *
field_bytes(json_object *entry, const char *key, size_t *len)
{
	json_object *v, *b;
	const char *s;
	char *out;
	size_t i, n;
	int x;

	if (!json_object_object_get_ex(entry, key, &v))
		return NULL;
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		assert_non_null(out = malloc(n + 1));
		memcpy(out, s, n);
		out[n] = '\0';
		*len = n;
		return out;
	}
	if (!json_object_is_type(v, json_type_array))
		fail_msg("%s: neither a string nor bytes", key);
	n = json_object_array_length(v);
	assert_non_null(out = malloc(n + 1));
	for (i = 0; i < n; i++) {
		b = json_object_array_get_idx(v, i);
		if (!json_object_is_type(b, json_type_int))
			fail_msg("%s: an array of other than bytes (sent "
			    "more than once?)", key);
		x = json_object_get_int(b);
		assert_in_range(x, 0, 255);
		out[i] = (char)x;
	}
	out[n] = '\0';
	*len = n;
	return out;
}

static void
assert_field(json_object *entry, const char *key, const char *want,
    size_t wlen)
{
	size_t len = 0;
	char *got;

	if ((got = field_bytes(entry, key, &len)) == NULL)
		fail_msg("field %s missing", key);
	if (len != wlen || memcmp(got, want, wlen) != 0)
		fail_msg("field %s: %zu bytes, expected %zu (\"%.60s\")", key,
		    len, wlen, want);
	free(got);
}

static void
assert_str(json_object *entry, const char *key, const char *want)
{
	assert_field(entry, key, want, strlen(want));
}

static void
assert_absent(json_object *entry, const char *key)
{
	json_object *v;

	if (json_object_object_get_ex(entry, key, &v))
		fail_msg("field %s present: %s", key,
		    json_object_to_json_string(v));
}

/* ---- sending ---- */

static struct sink *
open_sink(const char *ident, size_t dgram_max)
{
	struct sink_journald_opts o = { SOCK, ident, dgram_max };
	char err[256] = "";
	struct sink *s;

	if ((s = sink_journald_new(&o, err, sizeof(err))) == NULL)
		fail_msg("sink_journald_new: %s", err);
	return s;
}

/* A kill_process event as the daemon hands it over. */
static void
event_init(struct sink_event *e, const char *line)
{
	memset(e, 0, sizeof(*e));
	e->line = line;
	e->len = strlen(line);
	e->severity = LOG_ERR;
	e->sec = 1795817186;
	e->msec = 337;
	e->action = "kill_process";
	e->syscall = "ptrace";
	e->syscall_nr = 101;
	e->has_syscall = 1;
	e->arch = "x86_64";
	e->pid = 2038;
	e->comm = "violator";
	e->comm_len = 8;
	e->exe = "/usr/libexec/violator";
	e->exe_len = strlen(e->exe);
}

static const char LINE[] =
    "{\"@timestamp\":\"2026-11-27T22:06:26.337Z\",\"ecs\":{\"version\":"
    "\"8.11.0\"},\"event\":{\"kind\":\"event\",\"category\":[\"process\"],"
    "\"type\":[\"denied\"],\"action\":\"violated-seccomp-policy\","
    "\"outcome\":\"failure\",\"sequence\":2},\"host\":{\"name\":\"vm\"},"
    "\"process\":{\"pid\":2038,\"name\":\"my \\\"app\\u00e9\","
    "\"executable\":\"/tmp/exp/exp\"},\"seccomp\":{\"action\":"
    "\"kill_process\",\"syscall\":{\"name\":\"ptrace\",\"number\":101},"
    "\"arch\":\"x86_64\"}}";

/* A JSON line of exactly len bytes. */
static char *
big_line(size_t len)
{
	char *l;

	assert_true(len > 16);
	assert_non_null(l = malloc(len + 1));
	memcpy(l, "{\"big\":\"", 8);
	memset(l + 8, 'x', len - 10);
	memcpy(l + len - 2, "\"}", 3);
	/* Something that shows a shifted or truncated copy. */
	memcpy(l + len / 2, "MIDDLE", 6);
	return l;
}

/* What an unconnected socket of the sink's kind gets as a send buffer. */
static size_t
sink_sndbuf(void)
{
	int fd, sz = 8 * 1024 * 1024;
	socklen_t l = sizeof(sz);

	assert_true((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, &l), 0);
	close(fd);
	return (size_t)sz;
}

/* ---- cases ---- */

static void
sink_journald_event__all_fields__stored(void **state)
{
	struct sink_event e;
	struct sink *s;
	json_object *all, *en;
	char pid[16];

	(void)state;
	s = open_sink("jd-all", 0);
	assert_false(sink_is_stream(s));
	event_init(&e, LINE);
	assert_int_equal(sink_event(s, &e), 0);
	assert_int_equal(sink_counters(s)->events, 1);
	assert_int_equal(sink_counters(s)->bytes, strlen(LINE));

	all = journal_wait("jd-all", 1);
	assert_int_equal(json_object_array_length(all), 1);
	en = json_object_array_get_idx(all, 0);
	assert_str(en, "MESSAGE", LINE);
	assert_str(en, "PRIORITY", "3");
	assert_str(en, "SYSLOG_FACILITY", "10");
	assert_str(en, "SYSLOG_IDENTIFIER", "jd-all");
	assert_str(en, "MESSAGE_ID", MESSAGE_ID);
	assert_str(en, "SECCOMP_ACTION", "kill_process");
	assert_str(en, "SECCOMP_SYSCALL", "ptrace");
	assert_str(en, "SECCOMP_SYSCALL_NR", "101");
	assert_str(en, "SECCOMP_ARCH", "x86_64");
	assert_str(en, "SECCOMP_PID", "2038");
	assert_str(en, "SECCOMP_COMM", "violator");
	assert_str(en, "SECCOMP_EXE", "/usr/libexec/violator");
	assert_str(en, "_TRANSPORT", "journal");
	/* The trusted fields describe the sender: this test. */
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	assert_str(en, "_PID", pid);
	assert_absent(en, "OBJECT_PID");
	json_object_put(all);
	sink_free(s);
}

static void
sink_journald_event__unrecorded_fields__left_out(void **state)
{
	struct sink_event e;
	struct sink *s;
	json_object *all, *en;

	(void)state;
	s = open_sink(NULL, 0);		/* the default identifier */
	event_init(&e, "{\"bare\":true}");
	e.action = "errno";
	e.severity = 99;		/* out of range: notice */
	e.syscall = NULL;
	e.has_syscall = 0;
	e.arch = NULL;
	e.pid = -1;
	e.comm = NULL;
	e.exe = NULL;
	assert_int_equal(sink_event(s, &e), 0);
	all = journal_wait("seccompmon", 1);
	assert_int_equal(json_object_array_length(all), 1);
	en = json_object_array_get_idx(all, 0);
	assert_str(en, "MESSAGE", "{\"bare\":true}");
	assert_str(en, "PRIORITY", "5");
	assert_str(en, "SECCOMP_ACTION", "errno");
	assert_absent(en, "SECCOMP_SYSCALL");
	assert_absent(en, "SECCOMP_SYSCALL_NR");
	assert_absent(en, "SECCOMP_ARCH");
	assert_absent(en, "SECCOMP_PID");
	assert_absent(en, "SECCOMP_COMM");
	assert_absent(en, "SECCOMP_EXE");
	json_object_put(all);
	sink_free(s);
}

static void
sink_journald_event__kill_process_match__kill_events_only(void **state)
{
	static const char *actions[] = { "kill_process", "errno", "log",
	    "kill_process", "kill_thread", "trap" };
	struct sink_event e;
	struct sink *s;
	json_object *all, *en;
	char line[64];
	size_t i, len;
	char *m;

	(void)state;
	s = open_sink("jd-match", 0);
	for (i = 0; i < 6; i++) {
		snprintf(line, sizeof(line), "{\"n\":%zu}", i);
		event_init(&e, line);
		e.action = actions[i];
		assert_int_equal(sink_event(s, &e), 0);
	}
	/* All six are in (one socket keeps them in order) ... */
	json_object_put(journal_wait("jd-match", 6));
	/* ... and the field selects. */
	all = journal_read("jd-match", "SECCOMP_ACTION=kill_process");
	assert_int_equal(json_object_array_length(all), 2);
	for (i = 0; i < 2; i++) {
		en = json_object_array_get_idx(all, i);
		assert_str(en, "SECCOMP_ACTION", "kill_process");
		m = field_bytes(en, "MESSAGE", &len);
		assert_non_null(m);
		assert_string_equal(m, i == 0 ? "{\"n\":0}" : "{\"n\":3}");
		free(m);
	}
	json_object_put(all);
	all = journal_read("jd-match", "SECCOMP_ACTION=kill_thread");
	assert_int_equal(json_object_array_length(all), 1);
	json_object_put(all);
	sink_free(s);
}

static void
sink_journald_event__binary_values__byte_exact(void **state)
{
	/* A newline, bytes that are not UTF-8, a NUL, a tab. */
	static const char comm[] = "a\nb\xff\xfe\0c\t";
	static const char exe[] = "/tmp/dir\nname/\xc3\x28 x";
	static const char msg[] = "{\"two\":\n\"lines\"}";
	struct sink_event e;
	struct sink *s;
	json_object *all, *en;

	(void)state;
	s = open_sink("jd-binary", 0);
	event_init(&e, msg);
	e.comm = comm;
	e.comm_len = sizeof(comm) - 1;
	e.exe = exe;
	e.exe_len = sizeof(exe) - 1;
	assert_int_equal(sink_event(s, &e), 0);
	/* Plain UTF-8 with a newline in it, too. */
	event_init(&e, LINE);
	e.comm = "new\nline";
	e.comm_len = 8;
	assert_int_equal(sink_event(s, &e), 0);

	all = journal_wait("jd-binary", 2);
	assert_int_equal(json_object_array_length(all), 2);
	en = json_object_array_get_idx(all, 0);
	assert_field(en, "SECCOMP_COMM", comm, sizeof(comm) - 1);
	assert_field(en, "SECCOMP_EXE", exe, sizeof(exe) - 1);
	assert_str(en, "MESSAGE", msg);
	/* The fields after the binary ones were parsed too. */
	assert_str(en, "SECCOMP_ACTION", "kill_process");
	en = json_object_array_get_idx(all, 1);
	assert_field(en, "SECCOMP_COMM", "new\nline", 8);
	assert_str(en, "MESSAGE", LINE);
	json_object_put(all);
	sink_free(s);
}

static void
sink_journald_event__over_dgram_max__memfd_intact(void **state)
{
	struct sink_event e;
	struct sink *s;
	json_object *all;
	char *l = big_line(5000);

	(void)state;
	s = open_sink("jd-dgrammax", 512);
	event_init(&e, l);
	assert_int_equal(sink_event(s, &e), 0);
	event_init(&e, LINE);		/* and a small one beside it */
	assert_int_equal(sink_event(s, &e), 0);
	all = journal_wait("jd-dgrammax", 2);
	assert_int_equal(json_object_array_length(all), 2);
	assert_str(json_object_array_get_idx(all, 0), "MESSAGE", l);
	assert_str(json_object_array_get_idx(all, 0), "SECCOMP_COMM",
	    "violator");
	assert_str(json_object_array_get_idx(all, 1), "MESSAGE", LINE);
	json_object_put(all);
	assert_int_equal(sink_counters(s)->events, 2);
	free(l);
	sink_free(s);
}

static void
sink_journald_event__over_sndbuf__memfd_intact(void **state)
{
	size_t len = sink_sndbuf() + 64 * 1024;
	struct sink_event e;
	struct sink *s;
	json_object *all;
	char *l = big_line(len);

	(void)state;
	s = open_sink("jd-huge", 0);
	event_init(&e, l);
	assert_int_equal(sink_event(s, &e), 0);
	all = journal_wait("jd-huge", 1);
	assert_int_equal(json_object_array_length(all), 1);
	assert_str(json_object_array_get_idx(all, 0), "MESSAGE", l);
	json_object_put(all);
	free(l);
	sink_free(s);
}

/*
 * From root, journald takes any memfd; from anyone else only one sealed as
 * it wants, which is what the daemon is once it runs as its "user".
 */
static void
sink_journald_event__memfd_from_unprivileged__accepted(void **state)
{
	struct sink_event e;
	struct sink *s;
	json_object *all;
	char *l = big_line(5000);
	int st;
	pid_t pid;

	(void)state;
	s = open_sink("jd-nobody", 512);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(1);
		event_init(&e, l);
		_exit(sink_event(s, &e) == 0 ? CHILD_PASS : 2);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), CHILD_PASS);
	/* A marker after it, from root: both or the refusal shows. */
	event_init(&e, LINE);
	assert_int_equal(sink_event(s, &e), 0);
	all = journal_wait("jd-nobody", 2);
	assert_int_equal(json_object_array_length(all), 2);
	assert_str(json_object_array_get_idx(all, 0), "MESSAGE", l);
	assert_str(json_object_array_get_idx(all, 0), "_UID", "65534");
	assert_str(json_object_array_get_idx(all, 1), "MESSAGE", LINE);
	json_object_put(all);
	free(l);
	sink_free(s);
}

/* ---- under a seccomp filter, in a child ---- */

static scmp_filter_ctx
compile(const char *text)
{
	struct errlist errs;
	struct policy p;
	scmp_filter_ctx ctx;
	json_object *o;
	size_t i;

	memset(&errs, 0, sizeof(errs));
	assert_int_equal(policy_builtin(&p, policy_native_arch()), 0);
	assert_non_null(o = json_tokener_parse(text));
	if (policy_parse(&p, o, "seccomp", &errs) != 0 ||
	    policy_check(&p, sandbox_actions_available(), &errs) != 0) {
		for (i = 0; i < errs.n; i++)
			print_message("  %s: %s\n", errs.e[i].path,
			    errs.e[i].msg);
		fail_msg("policy errors in %s", text);
	}
	json_object_put(o);
	assert_non_null(ctx = policy_compile(&p, &errs));
	policy_free(&p);
	return ctx;
}

/* A child's complaint, with write(2) only: the filter allows little. */
static int
child_fail(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 1;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(2, buf, (size_t)n);
	return 1;
}

/* Run body in a child that loads ctx first; its exit status. */
static int
in_child(scmp_filter_ctx ctx, int log, int (*body)(void *), void *arg)
{
	int status;
	long tid;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (sanitizer_allow(ctx) < 0 || policy_load(ctx, log, &tid) < 0)
			_exit(child_fail("policy_load: %s", strerror(errno)));
		_exit(body(arg));
	}
	seccomp_release(ctx);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

struct sends {
	struct sink	*s;		/* opened before the filter */
	struct sink	*small_max;	/* dgram_max 512 */
	char		*huge;		/* over the send buffer */
	char		*mid;		/* over 512 */
};

/* memfd_create fails with ENOTSUP: which entries take that path? */
static int
body_memfd_denied(void *arg)
{
	struct sends *x = arg;
	struct sink_event e;

	event_init(&e, LINE);
	if (sink_event(x->s, &e) != 0)
		return child_fail("small entry: %s, expected a datagram",
		    strerror(errno));
	event_init(&e, x->mid);
	if (sink_event(x->small_max, &e) != -1 || errno != ENOTSUP)
		return child_fail("over dgram_max: not the memfd path");
	event_init(&e, x->huge);
	if (sink_event(x->s, &e) != -1 || errno != ENOTSUP)
		return child_fail("over the send buffer: not the memfd path");
	/* The failure is the output's, counted. */
	if (sink_counters(x->s)->events_lost != 1 ||
	    sink_counters(x->small_max)->events_lost != 1)
		return child_fail("losses not counted");
	return CHILD_PASS;
}

static void
sink_journald_event__memfd_denied__large_ones_fail(void **state)
{
	struct sink_event e;
	struct sends x;
	json_object *all;
	int st;

	(void)state;
	x.s = open_sink("jd-denied", 0);
	x.small_max = open_sink("jd-denied", 512);
	x.huge = big_line(sink_sndbuf() + 4096);
	x.mid = big_line(2000);
	st = in_child(compile("{\"default_action\": \"allow\", \"syscalls\": "
	    "[{\"action\": \"errno\", \"errno\": \"ENOTSUP\", \"names\": "
	    "[\"memfd_create\"]}]}"), 0, body_memfd_denied, &x);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), CHILD_PASS);
	/*
	 * Only the small one arrived: a marker sent after it is the second
	 * entry (journald reads its socket's queue in order).
	 */
	event_init(&e, "{\"marker\":1}");
	assert_int_equal(sink_event(x.s, &e), 0);
	all = journal_wait("jd-denied", 2);
	assert_int_equal(json_object_array_length(all), 2);
	assert_str(json_object_array_get_idx(all, 0), "MESSAGE", LINE);
	assert_str(json_object_array_get_idx(all, 1), "MESSAGE",
	    "{\"marker\":1}");
	json_object_put(all);
	free(x.huge);
	free(x.mid);
	sink_free(x.s);
	sink_free(x.small_max);
}

static int
body_builtin(void *arg)
{
	struct sends *x = arg;
	struct sink_event e;

	event_init(&e, LINE);
	if (sink_event(x->s, &e) != 0)
		return child_fail("datagram: %s", strerror(errno));
	event_init(&e, x->huge);
	if (sink_event(x->s, &e) != 0)
		return child_fail("memfd, over the send buffer: %s",
		    strerror(errno));
	event_init(&e, x->mid);
	if (sink_event(x->small_max, &e) != 0)
		return child_fail("memfd, over dgram_max: %s",
		    strerror(errno));
	return CHILD_PASS;
}

/*
 * The daemon's built-in allow-list, with kill_process for everything else
 * (the daemon's default is errno): a single call the list lacks, even one
 * whose failure would go unnoticed, ends the child with SIGSYS.
 */
static void
sink_journald_event__builtin_list__nothing_else_called(void **state)
{
	struct sends x;
	json_object *all;
	int st;

	(void)state;
	x.s = open_sink("jd-builtin", 0);
	x.small_max = open_sink("jd-builtin", 512);
	x.huge = big_line(sink_sndbuf() + 4096);
	x.mid = big_line(2000);
	st = in_child(compile("{\"default_action\": \"kill_process\"}"), 1,
	    body_builtin, &x);
	if (WIFSIGNALED(st))
		fail_msg("the child was killed by signal %d: a call outside "
		    "the built-in list (see the audit log)", WTERMSIG(st));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), CHILD_PASS);
	all = journal_wait("jd-builtin", 3);
	assert_int_equal(json_object_array_length(all), 3);
	assert_str(json_object_array_get_idx(all, 0), "MESSAGE", LINE);
	assert_str(json_object_array_get_idx(all, 1), "MESSAGE", x.huge);
	assert_str(json_object_array_get_idx(all, 2), "MESSAGE", x.mid);
	json_object_put(all);
	free(x.huge);
	free(x.mid);
	sink_free(x.s);
	sink_free(x.small_max);
}

static void
sink_journald_event__journald_gone__counted_then_back(void **state)
{
	struct sink_event e;
	struct sink *s;
	json_object *all;
	uint64_t lost = 0;
	int err = 0;

	(void)state;
	s = open_sink("jd-restart", 0);
	event_init(&e, "{\"n\":1}");
	assert_int_equal(sink_event(s, &e), 0);
	json_object_put(journal_wait("jd-restart", 1));

	/* Gone, its socket file left behind: nobody listens there. */
	journald_stop();
	event_init(&e, "{\"n\":2}");
	assert_int_equal(sink_event(s, &e), -1);
	assert_int_equal(errno, ECONNREFUSED);
	assert_int_equal(sink_health(s, &err, &lost), 1);
	assert_int_equal(err, ECONNREFUSED);
	/* No socket file at all. */
	assert_int_equal(unlink(SOCK), 0);
	event_init(&e, "{\"n\":3}");
	assert_int_equal(sink_event(s, &e), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sink_health(s, &err, &lost), 0);	/* said once */
	assert_int_equal(sink_counters(s)->events_lost, 2);
	assert_int_equal(sink_counters(s)->failures, 2);

	/* A new journald at the same path: the next event finds it. */
	journald_start();
	event_init(&e, "{\"n\":4}");
	assert_int_equal(sink_event(s, &e), 0);
	assert_int_equal(sink_health(s, &err, &lost), 2);
	assert_int_equal(lost, 2);
	assert_int_equal(sink_counters(s)->events, 2);
	all = journal_wait("jd-restart", 2);
	assert_int_equal(json_object_array_length(all), 2);
	assert_str(json_object_array_get_idx(all, 0), "MESSAGE", "{\"n\":1}");
	assert_str(json_object_array_get_idx(all, 1), "MESSAGE", "{\"n\":4}");
	json_object_put(all);
	sink_free(s);
}

/*
 * A journald that does not read (stopped): its queue fills, and sending
 * fails at once with EAGAIN instead of blocking.  The queue (512), not the
 * send buffer, is what bounds a burst.
 */
static void
sink_journald_event__journald_stopped__eagain_at_once(void **state)
{
	struct sink_event e;
	struct sink *s;
	json_object *all;
	int64_t t0, took;
	int i, ok = 0, again = 0, rc;
	uint64_t lost = 0;
	int err = 0;

	(void)state;
	s = open_sink("jd-stopped", 0);
	event_init(&e, LINE);
	assert_int_equal(kill(Jpid, SIGSTOP), 0);
	t0 = now_ms();
	for (i = 0; i < 700; i++) {
		rc = sink_event(s, &e);
		if (rc == 0)
			ok++;
		else if (errno == EAGAIN)
			again++;
		else
			fail_msg("event %d: %s", i, strerror(errno));
	}
	took = now_ms() - t0;
	assert_int_equal(kill(Jpid, SIGCONT), 0);
	print_message("  stopped journald: %d queued, %d EAGAIN, %lld ms\n",
	    ok, again, (long long)took);
	assert_true(again > 0);
	assert_true(ok >= 500);
	assert_true(took < 2000);
	assert_int_equal(sink_counters(s)->events_lost, (uint64_t)again);
	assert_int_equal(sink_health(s, &err, &lost), 1);
	assert_int_equal(err, EAGAIN);

	/* Reading again: the next event goes. */
	all = journal_wait("jd-stopped", (size_t)ok);
	json_object_put(all);
	event_init(&e, "{\"after\":\"continue\"}");
	assert_int_equal(sink_event(s, &e), 0);
	assert_int_equal(sink_health(s, &err, &lost), 2);
	assert_int_equal(lost, (uint64_t)again);
	all = journal_wait("jd-stopped", (size_t)ok + 1);
	assert_int_equal(json_object_array_length(all), (size_t)ok + 1);
	json_object_put(all);
	sink_free(s);
}

static void
sink_journald_new__bad_socket_path__error(void **state)
{
	struct sink_journald_opts o = { "", NULL, 0 };
	char err[256] = "", path[200];

	(void)state;
	assert_null(sink_journald_new(&o, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_true(err[0] != '\0');
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	o.socket = path;
	err[0] = '\0';
	assert_null(sink_journald_new(&o, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "not a usable socket path"));
}

/* ---- set-up ---- */

static int
skip77(const char *why)
{
	fprintf(stderr, "test_journald: SKIP: %s\n", why);
	return 77;
}

/* tmpfs over dir, in this mount namespace only. */
static int
over(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0 && mkdir(dir, 0755) < 0)
		return -1;
	return mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
}

int
main(void)
{
	static const char *where[] = { "/lib/systemd/systemd-journald",
	    "/usr/lib/systemd/systemd-journald" };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sink_journald_new__bad_socket_path__error),
		cmocka_unit_test(sink_journald_event__all_fields__stored),
		cmocka_unit_test(
		    sink_journald_event__unrecorded_fields__left_out),
		cmocka_unit_test(
		    sink_journald_event__kill_process_match__kill_events_only),
		cmocka_unit_test(
		    sink_journald_event__binary_values__byte_exact),
		cmocka_unit_test(
		    sink_journald_event__over_dgram_max__memfd_intact),
		cmocka_unit_test(
		    sink_journald_event__over_sndbuf__memfd_intact),
		cmocka_unit_test(
		    sink_journald_event__memfd_from_unprivileged__accepted),
		cmocka_unit_test(
		    sink_journald_event__memfd_denied__large_ones_fail),
		cmocka_unit_test(
		    sink_journald_event__builtin_list__nothing_else_called),
		cmocka_unit_test(
		    sink_journald_event__journald_stopped__eagain_at_once),
		cmocka_unit_test(
		    sink_journald_event__journald_gone__counted_then_back),
	};
	size_t i;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], X_OK) == 0)
			Journald = where[i];
	if (Journald == NULL)
		return skip77("systemd-journald is not installed (package "
		    "systemd)");
	if (system("journalctl --version >/dev/null 2>&1") != 0)
		return skip77("journalctl is not installed (package systemd)");
	if (geteuid() != 0)
		return skip77("needs root: a private mount namespace for "
		    "journald's sockets and files");
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fprintf(stderr, "test_journald: FAIL: private mount "
		    "namespace: %s\n", strerror(errno));
		return 1;
	}
	/* journald's sockets and both places it may store the journal. */
	if (over("/run/systemd") < 0 || over("/run/log") < 0 ||
	    mkdir(JDIR, 0755) < 0 || over("/var/log/journal") < 0) {
		fprintf(stderr, "test_journald: FAIL: tmpfs mounts: %s\n",
		    strerror(errno));
		return 1;
	}
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
