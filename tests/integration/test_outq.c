/*
 * Outputs that stall, live (daemon/outq.c): a syslog socket nobody reads
 * (sends fail with EAGAIN) and a terminal nobody reads (write(2) blocks).
 * The reader must go on: the other output gets every event while one is
 * stuck, the stall is reported, what the stalled output dropped is counted
 * in the stream exactly, and it recovers by itself once it is read again.
 * Storm control is off, so that every record is one event.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/integration/harness.h"

#define READY_MS	5000
#define FLOOD_MS	60000	/* three floods of 5000 to all delivered */
#define EVENT_MS	10000
#define STOP_MS		10000
#define STALL_WAIT_MS	9000	/* OUTQ_STALL_MS (5 s) and a tick */
#define FLOODS		3
#define FLOOD_N		5000	/* records a violator flood makes */
#define QUIET_MS	700	/* nothing more comes: a queue is empty */

struct fix {
	char		 dir[64];
	char		 conf[96];
	char		 sock[96];	/* fits sun_path */
	char		 events[96];	/* the file output */
	char		 errfile[96];
	int		 sfd;		/* the syslog socket we (do not) read */
	int		 ptm;		/* the terminal's master side */
	pid_t		 pid;		/* a daemon started by hand */
	struct monitor	 m;
	struct observer	 obs;
	char		*saved_conf;	/* HARNESS_CONFIG_ENV as it was */
};

/* ---- Helpers ---- */

static char *
slurp_file(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || (buf = malloc((size_t)st.st_size + 1)) ==
	    NULL) {
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

/* What a JSON-lines text holds: violations per pid set, losses by output. */
struct tally {
	size_t		 lines;
	size_t		 bad;		/* not one JSON object */
	size_t		 violations;	/* of the pids asked about */
	uint64_t	 lost_named;	/* outputs[name].count, summed */
	uint64_t	 kernel_lost;
	int		 seen_pid;	/* the pid looked for was there */
};

static int
pid_in(int64_t pid, const pid_t *pids, size_t npids)
{
	size_t i;

	for (i = 0; i < npids; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

/* The line as one JSON object and nothing else, or NULL. */
static json_object *
json_whole(const char *p, size_t len)
{
	json_tokener *tok;
	json_object *o;

	if ((tok = json_tokener_new()) == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, p, (int)len);
	if (o != NULL && (json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static void
tally_line(struct tally *t, const char *p, size_t len, const pid_t *pids,
    size_t npids, const char *name, pid_t look)
{
	json_object *o, *a, *x;
	const char *act, *c;
	int64_t v;
	size_t j;

	t->lines++;
	if ((o = json_whole(p, len)) == NULL) {
		t->bad++;
		return;
	}
	act = jpath_str(o, "event.action", NULL);
	if (act != NULL && strcmp(act, "violated-seccomp-policy") == 0 &&
	    jpath_int(o, "process.pid", &v) == 0) {
		if (pid_in(v, pids, npids))
			t->violations++;
		if (v == look)
			t->seen_pid = 1;
	} else if (act != NULL && strcmp(act, "events-lost") == 0) {
		if (jpath_int(o, "seccompmon.lost.reasons.kernel_lost",
		    &v) == 0)
			t->kernel_lost += (uint64_t)v;
		a = jpath(o, "seccompmon.lost.outputs");
		for (j = 0; a != NULL && j < json_object_array_length(a);
		    j++) {
			x = json_object_array_get_idx(a, j);
			if ((c = jpath_str(x, "name", NULL)) != NULL &&
			    strcmp(c, name) == 0 &&
			    jpath_int(x, "count", &v) == 0)
				t->lost_named += (uint64_t)v;
		}
	}
	json_object_put(o);
}

/* Tally the complete lines of text (a partial last line is left). */
static void
tally_text(struct tally *t, char *text, size_t len, const pid_t *pids,
    size_t npids, const char *name, pid_t look)
{
	char *p = text, *nl;

	memset(t, 0, sizeof(*t));
	while (p < text + len && (nl = memchr(p, '\n',
	    (size_t)(text + len - p))) != NULL) {
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')	/* a terminal's line end */
			nl[-1] = '\0';
		tally_line(t, p, strlen(p), pids, npids, name, look);
		p = nl + 1;
	}
}

static void
tally_file(struct tally *t, const char *path, const pid_t *pids,
    size_t npids, const char *name, pid_t look)
{
	size_t len = 0;
	char *text;

	memset(t, 0, sizeof(*t));
	if ((text = slurp_file(path, &len)) == NULL)
		return;
	tally_text(t, text, len, pids, npids, name, look);
	free(text);
}

/* Run n violator floods at once; their pids. */
static void
floods(pid_t *pids, size_t n)
{
	size_t i;
	int status;

	for (i = 0; i < n; i++)
		if ((pids[i] = violator_spawn(HARNESS_VIOLATOR, "flood", NULL,
		    0)) < 0)
			fail_msg("spawning a flood: %s", strerror(errno));
	for (i = 0; i < n; i++)
		if (child_reap(pids[i], FLOOD_MS, &status) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("flood %zu did not run (status 0x%x)", i,
			    (unsigned)status);
}

static pid_t
one_violation(void)
{
	pid_t pid;
	int status;

	if ((pid = violator_spawn(HARNESS_VIOLATOR, "log", NULL, 0)) < 0 ||
	    child_reap(pid, EVENT_MS, &status) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != VIOLATOR_SEEN)
		fail_msg("the violator did not run");
	return pid;
}

/*
 * The configuration: the one the completeness run gives (its "seccomp"),
 * with these outputs and storm control off.
 */
static void
write_conf(struct fix *f, const char *outputs)
{
	char overlay[4096];

	snprintf(overlay, sizeof(overlay), "{\"outputs\":%s,"
	    "\"storm\":{\"enabled\":false}}", outputs);
	assert_int_equal(harness_conf_write(f->conf, overlay,
	    &f->saved_conf), 0);
}

/* ---- Fixture ---- */

static int
setup(void **state)
{
	struct fix *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->sfd = f->ptm = -1;
	monitor_init(&f->m);
	(void)snprintf(f->dir, sizeof(f->dir), "/tmp/test_outq.XXXXXX");
	if (mkdtemp(f->dir) == NULL ||
	    observer_start(&f->obs, 64 << 20) < 0) {
		free(f);
		return -1;
	}
	(void)snprintf(f->conf, sizeof(f->conf), "%s/conf.json", f->dir);
	(void)snprintf(f->sock, sizeof(f->sock), "%s/log", f->dir);
	(void)snprintf(f->events, sizeof(f->events), "%s/events.json",
	    f->dir);
	(void)snprintf(f->errfile, sizeof(f->errfile), "%s/err", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;
	char why[4096];
	int status, rc = 0;

	monitor_destroy(&f->m);
	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		(void)child_reap(f->pid, STOP_MS, &status);
		kaudit_forget((uint32_t)f->pid);
	}
	if (f->sfd >= 0)
		close(f->sfd);
	if (f->ptm >= 0)
		close(f->ptm);
	(void)unlink(f->sock);
	(void)unlink(f->conf);
	(void)unlink(f->events);
	(void)unlink(f->errfile);
	(void)rmdir(f->dir);
	harness_conf_restore(f->saved_conf);
	/* A daemon of this test that broke its own filter fails it. */
	if (observer_check(&f->obs, 2000, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&f->obs);
	free(f);
	return rc;
}

/* ---- A syslog socket nobody reads ---- */

/* Receive what is queued on the syslog socket; tally its violations. */
static void
drain_syslog(struct fix *f, struct tally *t, const pid_t *pids,
    size_t npids, pid_t look)
{
	char buf[65536], *j;
	ssize_t n;

	while ((n = recv(f->sfd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		if ((j = strchr(buf, '{')) == NULL) {
			t->bad++;
			continue;
		}
		tally_line(t, j, strlen(j), pids, npids, "", look);
	}
}

static void
outq__syslog_unread__file_gets_all_drops_counted_then_recovers(
    void **state)
{
	struct fix *f = *state;
	struct monitor *m = &f->m;
	const char *args[] = { "--socket", "unicast", NULL };
	struct sockaddr_un sa;
	struct tally ts, tsum, tf;
	char outputs[512], name[160], why[1024];
	pid_t pids[FLOODS + 1], late;
	int64_t end, quiet;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	(void)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->sock);
	f->sfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(f->sfd >= 0);
	assert_int_equal(bind(f->sfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	(void)snprintf(outputs, sizeof(outputs), "[{\"type\":\"file\","
	    "\"path\":\"%s\"},{\"type\":\"syslog\",\"socket\":\"%s\","
	    "\"queue\":\"64k\"}]", f->events, f->sock);
	(void)snprintf(name, sizeof(name), "syslog:%s", f->sock);
	write_conf(f, outputs);
	if (monitor_start(m, args) < 0 || monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("the daemon did not start; stderr:\n%s", monitor_err(m));
	if (monitor_sandbox(m, "test_outq", why, sizeof(why)) < 0)
		fail_msg("%s", why);

	/* Nobody reads the socket: its queue fills, the file gets it all. */
	floods(pids, FLOODS);
	end = mono_ms() + FLOOD_MS;
	do {
		tally_file(&tf, f->events, pids, FLOODS, name, 0);
		if (tf.violations >= FLOODS * FLOOD_N)
			break;
		monitor_linger(m, 100);
	} while (mono_ms() < end);
	if (tf.violations != FLOODS * FLOOD_N)
		fail_msg("the file got %zu of %d events while syslog stalled; "
		    "stderr:\n%s", tf.violations, FLOODS * FLOOD_N,
		    monitor_err(m));
	monitor_linger(m, 300);		/* stderr read up to now */
	if (strstr(monitor_err(m), "its queue is full") == NULL)
		fail_msg("the full queue was not reported:\n%s", monitor_err(m));

	/*
	 * It is read again: what it holds drains (until the socket stays
	 * empty for a while), then a new event gets through, and that is
	 * said.
	 */
	memset(&tsum, 0, sizeof(tsum));
	late = 0;
	quiet = mono_ms();
	end = mono_ms() + FLOOD_MS;
	while (mono_ms() < end) {
		memset(&ts, 0, sizeof(ts));
		drain_syslog(f, &ts, pids, FLOODS, 0);
		if (ts.violations > 0 || ts.bad > 0)
			quiet = mono_ms();
		tsum.violations += ts.violations;
		tsum.bad += ts.bad;
		if (mono_ms() - quiet > QUIET_MS)
			break;
		monitor_linger(m, 20);
	}
	late = one_violation();
	pids[FLOODS] = late;
	end = mono_ms() + EVENT_MS;
	while (!tsum.seen_pid && mono_ms() < end) {
		memset(&ts, 0, sizeof(ts));
		drain_syslog(f, &ts, pids, FLOODS + 1, late);
		tsum.violations += ts.violations;
		tsum.bad += ts.bad;
		tsum.seen_pid |= ts.seen_pid;
		monitor_linger(m, 50);
	}
	if (!tsum.seen_pid)
		fail_msg("syslog did not recover: the late event never came "
		    "(%zu violations received); stderr:\n%s", tsum.violations,
		    monitor_err(m));
	monitor_linger(m, 1500);	/* a tick: the caught-up line */
	if (strstr(monitor_err(m), "caught up;") == NULL)
		fail_msg("the recovery was not reported:\n%s", monitor_err(m));

	/* Stop, reading the socket meanwhile: its writer waits for us. */
	assert_int_equal(kill(m->pid, SIGTERM), 0);
	end = mono_ms() + STOP_MS;
	do {
		memset(&ts, 0, sizeof(ts));
		drain_syslog(f, &ts, pids, FLOODS + 1, late);
		tsum.violations += ts.violations;
		tsum.bad += ts.bad;
	} while (monitor_pump(m, 20) == 0 && mono_ms() < end);
	memset(&ts, 0, sizeof(ts));
	drain_syslog(f, &ts, pids, FLOODS + 1, late);
	tsum.violations += ts.violations;
	tsum.bad += ts.bad;
	if (monitor_wait_exit(m, STOP_MS) < 0 || !WIFEXITED(m->status) ||
	    WEXITSTATUS(m->status) != 0 || m->bad_lines != 0)
		fail_msg("stop: status 0x%x, %zu bad lines; stderr:\n%s",
		    (unsigned)m->status, m->bad_lines, monitor_err(m));

	/* Exact: received by syslog + told lost for syslog = made. */
	tally_file(&tf, f->events, pids, FLOODS + 1, name, 0);
	if (tf.violations != FLOODS * FLOOD_N + 1 || tf.bad != 0 ||
	    tsum.bad != 0 || tf.lost_named == 0 ||
	    tsum.violations + tf.lost_named != tf.violations)
		fail_msg("the file has %zu violations (%zu bad lines); syslog "
		    "received %zu (%zu bad) and was told lost %llu: they must "
		    "add up to the first; stderr:\n%s", tf.violations, tf.bad,
		    tsum.violations, tsum.bad,
		    (unsigned long long)tf.lost_named, monitor_err(m));
}

/* ---- A terminal nobody reads: write(2) blocks ---- */

/*
 * Start the daemon by hand with stdout on a terminal (left blocking by the
 * stdout output) and stderr to a file.
 */
static void
start_on_terminal(struct fix *f, const char *const *extra)
{
	struct termios tio;
	char *argv[16];
	size_t n = 0;
	int pts, efd;

	if (openpty(&f->ptm, &pts, NULL, NULL, NULL) < 0)
		fail_msg("openpty: %s", strerror(errno));
	assert_int_equal(tcgetattr(pts, &tio), 0);
	cfmakeraw(&tio);	/* bytes as written: no \r, no echo */
	assert_int_equal(tcsetattr(pts, TCSANOW, &tio), 0);
	(void)fcntl(f->ptm, F_SETFD, FD_CLOEXEC);
	argv[n++] = strdup(HARNESS_DAEMON);
	while (*extra != NULL && n < 12)
		argv[n++] = strdup(*extra++);
	argv[n++] = strdup("--config");
	argv[n++] = strdup(f->conf);
	argv[n] = NULL;
	assert_true((efd = open(f->errfile, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600)) >= 0);
	if ((f->pid = fork()) < 0)
		fail_msg("fork: %s", strerror(errno));
	if (f->pid == 0) {
		(void)setsid();
		if (dup2(pts, STDOUT_FILENO) < 0 ||
		    dup2(efd, STDERR_FILENO) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pts);
	close(efd);
	while (n > 0)
		free(argv[--n]);
}

/* Wait until the daemon's stderr holds what; 0, or -1 at the deadline. */
static int
err_wait(struct fix *f, const char *what, int timeout_ms, int drain)
{
	int64_t end = mono_ms() + timeout_ms;
	char *text, buf[65536];
	size_t len;
	int found;

	for (;;) {
		if ((text = slurp_file(f->errfile, &len)) != NULL) {
			found = strstr(text, what) != NULL;
			free(text);
			if (found)
				return 0;
		}
		if (mono_ms() >= end)
			return -1;
		if (drain)
			while (read(f->ptm, buf, sizeof(buf)) > 0)
				continue;
		(void)poll(NULL, 0, 50);
	}
}

static const char *
err_of(struct fix *f)
{
	static char text[16384];
	size_t len;
	char *t;

	text[0] = '\0';
	if ((t = slurp_file(f->errfile, &len)) != NULL) {
		(void)snprintf(text, sizeof(text), "%s", len > 16000 ?
		    t + len - 16000 : t);
		free(t);
	}
	return text;
}

/* Append what the terminal has (non-blocking) to b; the bytes read. */
static size_t
term_read(struct fix *f, struct hbuf *b)
{
	char buf[65536];
	size_t got = 0;
	ssize_t n;

	while ((n = read(f->ptm, buf, sizeof(buf))) > 0) {
		if (b->len + (size_t)n + 1 > b->cap) {
			b->cap = (b->len + (size_t)n + 1) * 2;
			assert_non_null(b->data = realloc(b->data, b->cap));
		}
		memcpy(b->data + b->len, buf, (size_t)n);
		b->len += (size_t)n;
		got += (size_t)n;
	}
	return got;
}

/* monitor_sandbox() for the daemon started by hand. */
static void
sandbox_of(struct fix *f)
{
	struct monitor m;
	char why[1024];
	size_t len;

	monitor_init(&m);
	m.pid = f->pid;
	m.err.data = slurp_file(f->errfile, &len);
	if (monitor_sandbox(&m, "test_outq", why, sizeof(why)) < 0) {
		free(m.err.data);
		fail_msg("%s", why);
	}
	free(m.err.data);
}

static void
outq__terminal_blocks__file_gets_all_stall_told_then_recovers(
    void **state)
{
	struct fix *f = *state;
	const char *args[] = { "--socket", "unicast", NULL };
	struct hbuf term = { NULL, 0, 0 };
	struct tally tf, tt;
	char outputs[512];
	pid_t pids[FLOODS + 1], late;
	int64_t end, quiet;
	int status, fl;

	(void)snprintf(outputs, sizeof(outputs), "[{\"type\":\"stdout\","
	    "\"queue\":\"64k\"},{\"type\":\"file\",\"path\":\"%s\"}]",
	    f->events);
	write_conf(f, outputs);
	start_on_terminal(f, args);
	if (err_wait(f, "listening for SECCOMP records", READY_MS, 0) < 0)
		fail_msg("the daemon did not start; stderr:\n%s", err_of(f));
	sandbox_of(f);

	/*
	 * Nobody reads the terminal: the stdout writer blocks in write(2).
	 * The reader goes on: the file gets every event meanwhile, and the
	 * kernel never had to drop one (unicast: its backlog is our queue).
	 */
	floods(pids, FLOODS);
	end = mono_ms() + FLOOD_MS;
	do {
		tally_file(&tf, f->events, pids, FLOODS, "stdout", 0);
		if (tf.violations >= FLOODS * FLOOD_N)
			break;
		(void)poll(NULL, 0, 100);
	} while (mono_ms() < end);
	if (tf.violations != FLOODS * FLOOD_N || tf.bad != 0)
		fail_msg("the file got %zu of %d events (%zu bad lines) while "
		    "stdout was blocked; stderr:\n%s", tf.violations,
		    FLOODS * FLOOD_N, tf.bad, err_of(f));
	if (err_wait(f, "output stdout: its queue is full", 1000, 0) < 0)
		fail_msg("the full queue was not reported:\n%s", err_of(f));
	if (err_wait(f, "output stdout stalled", STALL_WAIT_MS, 0) < 0)
		fail_msg("the stall was not reported:\n%s", err_of(f));

	/*
	 * Read again: it moves, what it holds drains (until the terminal
	 * stays quiet for a while), and a new event reaches the terminal.
	 */
	fl = fcntl(f->ptm, F_GETFL);
	assert_int_equal(fcntl(f->ptm, F_SETFL, fl | O_NONBLOCK), 0);
	quiet = mono_ms();
	end = mono_ms() + FLOOD_MS;
	while (mono_ms() < end && mono_ms() - quiet <= QUIET_MS) {
		if (term_read(f, &term) > 0)
			quiet = mono_ms();
		(void)poll(NULL, 0, 20);
	}
	late = one_violation();
	pids[FLOODS] = late;
	end = mono_ms() + EVENT_MS;
	memset(&tt, 0, sizeof(tt));
	while (!tt.seen_pid && mono_ms() < end) {
		(void)term_read(f, &term);
		if (term.data != NULL) {
			char *copy = malloc(term.len + 1);

			assert_non_null(copy);
			memcpy(copy, term.data, term.len);
			copy[term.len] = '\0';
			tally_text(&tt, copy, term.len, pids, FLOODS + 1,
			    "", late);
			free(copy);
		}
		(void)poll(NULL, 0, 50);
	}
	if (!tt.seen_pid)
		fail_msg("stdout did not recover; stderr:\n%s", err_of(f));
	if (err_wait(f, "output stdout moves again", 3000, 1) < 0 ||
	    err_wait(f, "output stdout caught up;", 3000, 1) < 0)
		fail_msg("the recovery was not reported:\n%s", err_of(f));

	/* Stop, reading the terminal to the end. */
	assert_int_equal(kill(f->pid, SIGTERM), 0);
	end = mono_ms() + STOP_MS;
	while (waitpid(f->pid, &status, WNOHANG) == 0 && mono_ms() < end) {
		(void)term_read(f, &term);
		(void)poll(NULL, 0, 20);
	}
	if (mono_ms() >= end || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		fail_msg("stop: status 0x%x; stderr:\n%s", (unsigned)status,
		    err_of(f));
	f->pid = 0;
	(void)term_read(f, &term);

	/*
	 * Exact: what the terminal shows + what the file was told stdout
	 * lost = every event the file has; the kernel lost none.
	 */
	tally_file(&tf, f->events, pids, FLOODS + 1, "stdout", 0);
	assert_non_null(term.data);
	tally_text(&tt, term.data, term.len, pids, FLOODS + 1, "", 0);
	free(term.data);
	if (tf.violations != FLOODS * FLOOD_N + 1 || tf.bad != 0 ||
	    tt.bad != 0 || tf.lost_named == 0 || tf.kernel_lost != 0 ||
	    tt.violations + tf.lost_named != tf.violations)
		fail_msg("file: %zu violations, %zu bad, stdout lost %llu, "
		    "kernel lost %llu; terminal: %zu violations, %zu bad: "
		    "they must add up; stderr:\n%s", tf.violations, tf.bad,
		    (unsigned long long)tf.lost_named,
		    (unsigned long long)tf.kernel_lost, tt.violations, tt.bad,
		    err_of(f));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(outq__syslog_unread__file_gets_all_drops_counted_then_recovers),
		T(outq__terminal_blocks__file_gets_all_stall_told_then_recovers),
	};
	char why[512];
	int lock, rc;

	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_outq: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_outq: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_outq: %s\n", why);
		return 99;
	}
	rc = cmocka_run_group_tests_name("outq", tests, NULL, NULL);
	close(lock);
	return rc == 0 ? 0 : 1;
}
