/*
 * The self-sandbox, live: what /proc/PID/status shows of the running daemon
 * in each mode, what a policy error does with and without "required", the
 * policy subcommands (check, show, export, test), and the daemon reporting
 * its own violations as its own.  Every test also fails when a daemon it
 * started broke its seccomp policy unexpectedly (the harness's observer).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/integration/harness.h"

#define READY_MS	5000	/* start-up to READY=1 */
#define EVENT_MS	5000	/* violation to event */
#define STOP_MS		5000	/* signal to exit */
#define REFUSE_MS	3000	/* a refused start must end this fast */
#define CMD_MS		10000	/* a policy subcommand */
#define OBSERVER_RCVBUF	(64 << 20)

#define DATA		TOP_SRCDIR "/tests/data/sandbox/"
#define CONF_BUILTIN	DATA "builtin.json"
#define CONF_DISABLED	DATA "disabled.json"
#define CONF_BAD	DATA "bad-name.json"
#define CONF_BAD_REQ	DATA "bad-name-required.json"
#define CONF_BLACKLIST	DATA "blacklist.json"
#define CONF_NOBODY	DATA "nobody.json"
#define CONF_DENY_SSO	DATA "deny-setsockopt.json"
#define CONF_LOG_RS	DATA "log-restart-syscall.json"
#define CONF_LOG	DATA "log-default.json"
/* Every key set; what it needs on the host exists on Debian. */
#define CONF_FULL	TOP_SRCDIR "/tests/data/conf/full.json"

/* Where bad-name*.json hold the bad name (see the comments in them). */
#define BAD_LINE	9
#define BAD_KEY		"seccomp.syscalls[1].names[0]"
#define BAD_REQ_LINE	12
#define BAD_REQ_KEY	"seccomp.syscalls[1].names[1]"

/* Unicast: CAP_AUDIT_CONTROL (30) and CAP_AUDIT_READ (37), see auditsock.c. */
#define CAP_UNICAST		"0000002040000000"
#define CAP_NONE		"0000000000000000"

/* A policy subcommand or --check-config run to its end. */
struct cmd {
	pid_t	 pid;
	int	 status;
	char	*out;
	size_t	 outlen;
	char	*err;
	size_t	 errlen;
};

struct sandbox {
	struct monitor	 m;
	struct observer	 obs;
	struct cmd	 cmd;
	json_object	*json;
	char		 dir[64];	/* a FIFO or an exported BPF file */
	char		 file[96];
	int		 wfd;		/* the FIFO's writing end */
};

static int
setup(void **state)
{
	struct sandbox *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	monitor_init(&s->m);
	s->wfd = -1;
	strcpy(s->dir, "/tmp/sm-sandbox-XXXXXX");
	if (mkdtemp(s->dir) == NULL) {
		free(s);
		return -1;
	}
	if (observer_start(&s->obs, OBSERVER_RCVBUF) < 0) {
		fprintf(stderr, "observer: joining the audit multicast group: "
		    "%s\n", strerror(errno));
		(void)rmdir(s->dir);
		free(s);
		return -1;
	}
	*state = s;
	return 0;
}

static void
cmd_free(struct cmd *c)
{
	int status;

	if (c->pid > 0)
		(void)child_reap(c->pid, 0, &status);
	free(c->out);
	free(c->err);
	memset(c, 0, sizeof(*c));
}

static int
teardown(void **state)
{
	struct sandbox *s = *state;
	char why[4096];
	int rc = 0;

	monitor_destroy(&s->m);
	cmd_free(&s->cmd);
	json_object_put(s->json);
	if (s->wfd >= 0)
		close(s->wfd);
	if (s->file[0] != '\0')
		(void)unlink(s->file);
	(void)rmdir(s->dir);
	if (observer_check(&s->obs, EVENT_MS, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&s->obs);
	free(s);
	return rc;
}

static const char *
notes_text(const struct monitor *m)
{
	return m->notes.data != NULL ? m->notes.data : "";
}

/* Append n bytes to a NUL-terminated heap string. */
static int
str_add(char **s, size_t *len, const char *p, size_t n)
{
	char *d;

	if ((d = realloc(*s, *len + n + 1)) == NULL)
		return -1;
	memcpy(d + *len, p, n);
	*len += n;
	d[*len] = '\0';
	*s = d;
	return 0;
}

/*
 * Run the daemon binary with args to its end, stdin /dev/null, keeping
 * stdout and stderr whole (monitor_* keeps only JSON lines of stdout).
 */
static void
run(struct cmd *c, const char *const *args)
{
	char *argv[16], buf[65536];
	struct pollfd pfd[2];
	int out[2], err[2], fd, i;
	int64_t deadline = mono_ms() + CMD_MS;
	pid_t parent = getpid();
	ssize_t n;
	size_t k;

	cmd_free(c);
	argv[0] = (char *)(uintptr_t)HARNESS_DAEMON;
	for (k = 0; args[k] != NULL && k < 14; k++)
		argv[k + 1] = (char *)(uintptr_t)args[k];
	argv[k + 1] = NULL;
	/* Empty strings, so that a failure message can always print them. */
	if (str_add(&c->out, &c->outlen, "", 0) < 0 ||
	    str_add(&c->err, &c->errlen, "", 0) < 0)
		fail_msg("out of memory");
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		fail_msg("pipe2: %s", strerror(errno));
	if ((c->pid = fork()) < 0)
		fail_msg("fork: %s", strerror(errno));
	if (c->pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(127);
		if ((fd = open("/dev/null", O_RDONLY)) < 0 ||
		    dup2(fd, STDIN_FILENO) < 0 ||
		    dup2(out[1], STDOUT_FILENO) < 0 ||
		    dup2(err[1], STDERR_FILENO) < 0)
			_exit(127);
		execv(HARNESS_DAEMON, argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	pfd[0].fd = out[0];
	pfd[1].fd = err[0];
	while ((pfd[0].fd >= 0 || pfd[1].fd >= 0) && mono_ms() < deadline) {
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, (int)(deadline - mono_ms())) < 0 &&
		    errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			} else if (i == 0)
				(void)str_add(&c->out, &c->outlen, buf,
				    (size_t)n);
			else
				(void)str_add(&c->err, &c->errlen, buf,
				    (size_t)n);
		}
	}
	for (i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	if (child_reap(c->pid, mono_ms() < deadline ?
	    (int)(deadline - mono_ms()) : 0, &c->status) < 0) {
		c->pid = 0;
		fail_msg("%s %s did not end within %d ms", args[0],
		    args[1] ? args[1] : "", CMD_MS);
	}
	c->pid = 0;
}

static void
want_exit(const struct cmd *c, int code, const char *what)
{
	if (!WIFEXITED(c->status) || WEXITSTATUS(c->status) != code)
		fail_msg("%s: wait status 0x%x, expected exit %d\nstdout:\n%s"
		    "stderr:\n%s", what, (unsigned)c->status, code, c->out,
		    c->err);
}

static void
want_in(const char *text, const char *part, const char *what)
{
	if (strstr(text, part) == NULL)
		fail_msg("%s does not contain \"%s\":\n%s", what, part, text);
}

static void
want_not_in(const char *text, const char *part, const char *what)
{
	if (strstr(text, part) != NULL)
		fail_msg("%s contains \"%s\":\n%s", what, part, text);
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

/* "Key:" in the daemon's /proc/PID/status must be want. */
static void
want_status(const struct monitor *m, const char *key, const char *want)
{
	char val[256];

	if (proc_status(m->pid, key, val, sizeof(val)) < 0)
		fail_msg("/proc/%d/status: %s: %s", (int)m->pid, key,
		    strerror(errno));
	if (strcmp(val, want) != 0)
		fail_msg("/proc/%d/status: %s: %s, expected %s; stderr:\n%s",
		    (int)m->pid, key, val, want, monitor_err(m));
}

/* The documented capability sets: keep in CapEff, CapPrm, CapBnd. */
static void
want_caps(const struct monitor *m, const char *keep)
{
	want_status(m, "CapEff", keep);
	want_status(m, "CapPrm", keep);
	want_status(m, "CapBnd", keep);
	want_status(m, "CapInh", CAP_NONE);
	want_status(m, "CapAmb", CAP_NONE);
}

static void
want_filter(const struct monitor *m)
{
	want_status(m, "Seccomp", "2");
	want_status(m, "NoNewPrivs", "1");
}

/* Start with args; READY=1 must come. */
static void
start(struct monitor *m, const char *const *args)
{
	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("no READY=1 within %d ms; stderr:\n%s", READY_MS,
		    monitor_err(m));
}

/* Start with args; it must exit 78 fast, before READY=1, saying nothing. */
static void
refused(struct monitor *m, const char *const *args)
{
	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_exit(m, REFUSE_MS) < 0)
		fail_msg("daemon still running %d ms after a refused start; "
		    "stderr:\n%s", REFUSE_MS, monitor_err(m));
	if (!WIFEXITED(m->status) || WEXITSTATUS(m->status) != 78)
		fail_msg("wait status 0x%x, expected exit 78; stderr:\n%s",
		    (unsigned)m->status, monitor_err(m));
	if (monitor_notified(m, "READY=1"))
		fail_msg("READY=1 sent by a daemon that refused to start");
	if (m->lines != 0)
		fail_msg("a refused daemon wrote %zu line(s) to stdout",
		    m->lines);
}

/* Stop with SIGTERM: exit 0, STOPPING=1, every stdout line one object. */
static void
stop(struct monitor *m)
{
	if (monitor_stop(m, SIGTERM, STOP_MS) < 0)
		fail_msg("daemon did not exit within %d ms of SIGTERM; "
		    "stderr:\n%s", STOP_MS, monitor_err(m));
	if (!WIFEXITED(m->status) || WEXITSTATUS(m->status) != 0)
		fail_msg("daemon wait status 0x%x, expected exit 0; "
		    "stderr:\n%s", (unsigned)m->status, monitor_err(m));
	if (m->bad_lines != 0)
		fail_msg("%zu of %zu stdout lines are not one JSON object; "
		    "first: %s", m->bad_lines, m->lines, m->first_bad);
	if (!monitor_notified(m, "STOPPING=1"))
		fail_msg("no STOPPING=1 notification");
}

/* The violator breaks its filter once ("log"); the daemon must say so. */
static pid_t
violate_seen(struct monitor *m)
{
	pid_t pid;
	int status;

	if ((pid = violator_spawn(HARNESS_VIOLATOR, "log", NULL, 0)) < 0)
		fail_msg("spawning the violator: %s", strerror(errno));
	if (child_reap(pid, EVENT_MS, &status) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != VIOLATOR_SEEN)
		fail_msg("violator: wait status 0x%x", (unsigned)status);
	if (monitor_wait_events(m, pid, 1, EVENT_MS) != 1)
		fail_msg("no event for the violator (pid %d) within %d ms; "
		    "stderr:\n%s", (int)pid, EVENT_MS, monitor_err(m));
	return pid;
}

static void
want_str(json_object *o, const char *path, const char *want)
{
	const char *s = jpath_str(o, path, NULL);

	if (s == NULL)
		fail_msg("%s: missing or not a string in %s", path,
		    json_object_to_json_string(o));
	if (strcmp(s, want) != 0)
		fail_msg("%s is \"%s\", expected \"%s\" in %s", path, s, want,
		    json_object_to_json_string(o));
}

static void
want_true(json_object *o, const char *path)
{
	int v;

	if (jpath_bool(o, path, &v) < 0 || !v)
		fail_msg("%s should be true in %s", path,
		    json_object_to_json_string(o));
}

static void
want_absent(json_object *o, const char *path)
{
	if (jpath(o, path) != NULL)
		fail_msg("%s should be absent in %s", path,
		    json_object_to_json_string(o));
}

/*
 * After observer_sync(): the observer saw n > 0 records of pid, each of
 * them name/action.  Then pid is forgiven (the teardown check would count
 * these expected records as violations).
 */
static void
want_observed_only(struct observer *o, pid_t pid, const char *name,
    const char *action)
{
	const struct observed *r;
	size_t i;

	if (observer_sync(o, EVENT_MS) < 0)
		fail_msg("observer: the marker record did not arrive");
	if (observer_count(o, pid) == 0)
		fail_msg("the observer saw no SECCOMP record of pid %d: the "
		    "kernel did not audit the call (SECCOMP_FILTER_FLAG_LOG?)",
		    (int)pid);
	for (i = 0; (r = observer_get(o, pid, i)) != NULL; i++)
		if (strcmp(r->name, name) != 0 ||
		    strcmp(r->action, action) != 0)
			fail_msg("pid %d: the observer saw syscall %s action "
			    "%s, expected only %s %s: %s", (int)pid, r->name,
			    r->action, name, action, r->text);
	observer_unwatch(o, pid);
}

/* The observer saw pid's call name denied with action (among others). */
static void
want_observed(const struct observer *o, pid_t pid, const char *name,
    const char *action)
{
	const struct observed *r;
	size_t i;

	for (i = 0; (r = observer_get(o, pid, i)) != NULL; i++)
		if (strcmp(r->name, name) == 0 &&
		    strcmp(r->action, action) == 0)
			return;
	fail_msg("the observer saw no %s record for %s of pid %d (%zu "
	    "records of it)", action, name, (int)pid, observer_count(o, pid));
}

/* A line of "policy test" output: "  NAME  WHAT  RESULT  as the policy..." */
static void
want_probe(const char *out, const char *name, const char *result)
{
	char head[64];
	const char *p, *e;
	size_t n;

	n = (size_t)snprintf(head, sizeof(head), "\n  %s ", name);
	for (p = out; (p = strstr(p, head)) != NULL; p += n) {
		e = strchr(p + 1, '\n');
		if (e == NULL)
			e = p + strlen(p);
		/* Within this line only. */
		if (memmem(p, (size_t)(e - p), result, strlen(result)) ==
		    NULL ||
		    memmem(p, (size_t)(e - p), "as the policy says", 18) ==
		    NULL)
			fail_msg("policy test: %s is not \"%s ... as the "
			    "policy says\":\n%s", name, result, out);
		return;
	}
	fail_msg("policy test tried no %s:\n%s", name, out);
}

static void
sandbox__unicast__filter_and_only_audit_control_and_read(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "unicast", "--config", CONF_BUILTIN,
	    NULL };

	want_registered(0);
	start(m, args);
	want_registered((uint32_t)m->pid);
	want_filter(m);
	want_caps(m, CAP_UNICAST);
	want_in(monitor_err(m), "<6>sandbox: built-in ", "stderr");
	want_in(monitor_err(m), "default errno, denials audited); uid 0; "
	    "capabilities: cap_audit_control,cap_audit_read; Landlock ABI ",
	    "stderr");
	/* stdout only: nothing to write in, /proc and /etc to read. */
	want_in(monitor_err(m), ": /proc (read, list), /etc (read), nothing "
	    "else; ", "stderr");
	want_in(notes_text(m), "STATUS=listening (unicast)\n", "STATUS");
	want_not_in(notes_text(m), "WITHOUT", "STATUS");
	(void)violate_seen(m);
	stop(m);
	want_registered(0);
}

static void
sandbox__multicast__filter_and_no_capabilities(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "multicast", "--config",
	    CONF_BUILTIN, NULL };

	want_registered(0);
	start(m, args);
	want_registered(0);
	want_filter(m);
	want_caps(m, CAP_NONE);
	want_in(monitor_err(m), "; uid 0; capabilities: none; Landlock ABI ",
	    "stderr");
	want_in(notes_text(m), "STATUS=listening (multicast)\n", "STATUS");
	(void)violate_seen(m);
	stop(m);
}

/*
 * Start the daemon with --replay on a FIFO in s->dir (args name s->file)
 * and hold the FIFO open for writing in s->wfd, so that the daemon keeps
 * running until s->wfd is closed; return once it is READY.
 */
static void
start_replay_fifo(struct sandbox *s, const char *const *args)
{
	struct monitor *m = &s->m;
	int64_t deadline;

	snprintf(s->file, sizeof(s->file), "%s/fifo", s->dir);
	if (mkfifo(s->file, 0600) < 0)
		fail_msg("mkfifo %s: %s", s->file, strerror(errno));
	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	/* ENXIO until the daemon has opened its end. */
	deadline = mono_ms() + READY_MS;
	while ((s->wfd = open(s->file, O_WRONLY | O_NONBLOCK | O_CLOEXEC))
	    < 0) {
		if (errno != ENXIO || mono_ms() >= deadline)
			fail_msg("opening the FIFO for writing: %s; stderr:\n"
			    "%s", strerror(errno), monitor_err(m));
		monitor_linger(m, 5);
	}
	if (monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("no READY=1 within %d ms; stderr:\n%s", READY_MS,
		    monitor_err(m));
}

/*
 * Replay from a FIFO held open, so that the daemon still runs when its
 * status is read.  A replayed record that carries the daemon's own pid is
 * not the daemon's: it must not be marked as such.
 */
static void
sandbox__replay_fifo__filter_and_no_capabilities(void **state)
{
	static const char rec[] = "type=SECCOMP msg=audit(1613596317.899:6461)"
	    ": auid=4294967295 uid=0 gid=0 ses=4294967295 pid=%d comm=\"ls\" "
	    "exe=\"/bin/ls\" sig=0 arch=c000003e syscall=3 compat=0 "
	    "ip=0x7f62dce3d4c7 code=0x7ffc0000\n";
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--replay", s->file, "--config", CONF_BUILTIN,
	    NULL };
	char line[512];
	int n;

	start_replay_fifo(s, args);
	want_filter(m);
	want_caps(m, CAP_NONE);
	want_in(monitor_err(m), "; uid 0; capabilities: none; Landlock ABI ",
	    "stderr");
	n = snprintf(line, sizeof(line), rec, (int)m->pid);
	if (write(s->wfd, line, (size_t)n) != n)
		fail_msg("writing to the FIFO: %s", strerror(errno));
	if (monitor_wait_events(m, m->pid, 1, EVENT_MS) != 1)
		fail_msg("the replayed record gave no event; stderr:\n%s",
		    monitor_err(m));
	want_str(monitor_event(m, m->pid, 0), "seccomp.syscall.name", "close");
	want_absent(monitor_event(m, m->pid, 0), "seccompmon");
	/* Still running, still sandboxed; the end of input ends it. */
	want_filter(m);
	close(s->wfd);
	s->wfd = -1;
	if (monitor_wait_exit(m, STOP_MS) < 0)
		fail_msg("no exit within %d ms of the end of input; stderr:\n"
		    "%s", STOP_MS, monitor_err(m));
	if (!WIFEXITED(m->status) || WEXITSTATUS(m->status) != 0)
		fail_msg("wait status 0x%x, expected exit 0; stderr:\n%s",
		    (unsigned)m->status, monitor_err(m));
	if (m->lines != 1 || m->bad_lines != 0)
		fail_msg("%zu stdout lines (%zu bad), expected one event",
		    m->lines, m->bad_lines);
	want_not_in(monitor_err(m), "broke its own", "stderr");
}

/*
 * The exit path of a failed output, under the built-in list with default
 * action log: the reader of stdout goes away, the write fails with EPIPE,
 * the daemon reports it once and exits 1, and (teardown) the observer saw
 * no call of the daemon's outside the list on the way out.
 */
static void
sandbox__replay_stdout_closed__exits_1_within_the_list(void **state)
{
	static const char rec[] = "type=SECCOMP msg=audit(1613596317.899:6461)"
	    ": auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"ls\" "
	    "exe=\"/bin/ls\" sig=0 arch=c000003e syscall=3 compat=0 "
	    "ip=0x7f62dce3d4c7 code=0x7ffc0000\n";
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *once;
	const char *args[] = { "--replay", s->file, "--config", CONF_LOG,
	    NULL };

	start_replay_fifo(s, args);
	want_filter(m);
	want_in(monitor_err(m), "default log", "stderr");
	/* The reader goes away before the first event is written. */
	close(m->out_fd);
	m->out_fd = -1;
	if (write(s->wfd, rec, sizeof(rec) - 1) != (ssize_t)sizeof(rec) - 1)
		fail_msg("writing to the FIFO: %s", strerror(errno));
	if (monitor_wait_exit(m, STOP_MS) < 0)
		fail_msg("no exit within %d ms of a failed write; stderr:\n%s",
		    STOP_MS, monitor_err(m));
	close(s->wfd);
	s->wfd = -1;
	if (!WIFEXITED(m->status) || WEXITSTATUS(m->status) != 1)
		fail_msg("wait status 0x%x, expected exit 1; stderr:\n%s",
		    (unsigned)m->status, monitor_err(m));
	want_in(monitor_err(m), "output stdout failed", "stderr");
	want_in(monitor_err(m), ": Broken pipe", "stderr");
	want_in(monitor_err(m), "no output can take events any more", "stderr");
	/* Said once, not again by the final flush. */
	if ((once = strstr(monitor_err(m), "Broken pipe")) != NULL &&
	    strstr(once + 1, "Broken pipe") != NULL)
		fail_msg("the broken pipe was reported twice:\n%s",
		    monitor_err(m));
}

static void
sandbox__disabled__no_filter_said_and_capabilities_shed(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "multicast", "--config",
	    CONF_DISABLED, NULL };

	start(m, args);
	want_status(m, "Seccomp", "0");
	want_caps(m, CAP_NONE);
	want_in(monitor_err(m), "<4>sandbox: NO seccomp filter (disabled by "
	    "seccomp.enabled)", "stderr");
	(void)violate_seen(m);
	stop(m);
}

/* A policy error without "required": runs, WITHOUT a filter, loudly. */
static void
sandbox__policy_error__runs_without_filter_and_says_so(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "multicast", "--config", CONF_BAD,
	    NULL };
	char said[512];

	start(m, args);
	want_status(m, "Seccomp", "0");
	want_caps(m, CAP_NONE);
	snprintf(said, sizeof(said), "<3>%s:%d: %s: unknown syscall "
	    "\"no_such_syscall\"", CONF_BAD, BAD_LINE, BAD_KEY);
	want_in(monitor_err(m), said, "stderr");
	want_in(monitor_err(m), "<3>the seccomp policy has errors: seccompmon "
	    "will run WITHOUT a seccomp filter", "stderr");
	want_in(monitor_err(m), "<3>sandbox: NO seccomp filter", "stderr");
	want_in(notes_text(m), "STATUS=listening (multicast), WITHOUT a "
	    "seccomp filter\n", "STATUS");
	(void)violate_seen(m);
	stop(m);
}

static void
sandbox__policy_error_required__exit_78_before_ready(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "unicast", "--config",
	    CONF_BAD_REQ, NULL };
	char said[512];

	want_registered(0);
	refused(m, args);
	snprintf(said, sizeof(said), "<3>%s:%d: %s: unknown syscall "
	    "\"no_such_syscall\"", CONF_BAD_REQ, BAD_REQ_LINE, BAD_REQ_KEY);
	want_in(monitor_err(m), said, "stderr");
	want_in(monitor_err(m), "required: not starting", "stderr");
	want_registered(0);
}

static void
sandbox__require_sandbox_option__policy_error_exit_78(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "unicast", "--require-sandbox",
	    "--config", CONF_BAD, NULL };
	char said[512];

	want_registered(0);
	refused(m, args);
	snprintf(said, sizeof(said), "<3>%s:%d: %s: unknown syscall",
	    CONF_BAD, BAD_LINE, BAD_KEY);
	want_in(monitor_err(m), said, "stderr");
	want_in(monitor_err(m), "required: not starting", "stderr");
	want_registered(0);
}

static void
sandbox__check_config__0_on_good_78_on_policy_error(void **state)
{
	struct sandbox *s = *state;
	const char *good[] = { "--check-config", "--config", CONF_BUILTIN,
	    NULL };
	const char *black[] = { "--check-config", "--config", CONF_BLACKLIST,
	    NULL };
	const char *bad[] = { "--check-config", "--config", CONF_BAD, NULL };
	const char *req[] = { "--check-config", "--config", CONF_BAD_REQ,
	    NULL };
	char said[512];

	run(&s->cmd, good);
	want_exit(&s->cmd, 0, "--check-config builtin.json");
	want_in(s->cmd.out, CONF_BUILTIN ": OK\n", "stdout");
	run(&s->cmd, black);
	want_exit(&s->cmd, 0, "--check-config blacklist.json");
	run(&s->cmd, bad);
	want_exit(&s->cmd, 78, "--check-config bad-name.json");
	want_in(s->cmd.out, "OK, but the seccomp policy has errors", "stdout");
	snprintf(said, sizeof(said), "%s:%d: %s: unknown syscall", CONF_BAD,
	    BAD_LINE, BAD_KEY);
	want_in(s->cmd.err, said, "stderr");
	run(&s->cmd, req);
	want_exit(&s->cmd, 78, "--check-config bad-name-required.json");
}

/* text into s->file, a new file in s->dir. */
static void
write_conf(struct sandbox *s, const char *text, size_t len)
{
	ssize_t n;
	int fd;

	snprintf(s->file, sizeof(s->file), "%s/seccompmon.json", s->dir);
	fd = open(s->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fail_msg("%s: %s", s->file, strerror(errno));
	while (len > 0) {
		n = write(fd, text, len);
		if (n <= 0)
			fail_msg("%s: %s", s->file, strerror(errno));
		text += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0)
		fail_msg("%s: %s", s->file, strerror(errno));
}

/*
 * "policy show" with args, into a file; --check-config on that file must
 * say OK, and "policy show" of it must give the same configuration: the
 * same JSON (the comments name the file read, and the policy is now a
 * custom one, even if it lists what the built-in one does).
 */
static void
show_then_check(struct sandbox *s, const char *const *show)
{
	const char *check[] = { "--check-config", "--config", s->file, NULL };
	const char *again[] = { "policy", "show", "--config", s->file, NULL };
	char ok[160], *first;

	run(&s->cmd, show);
	want_exit(&s->cmd, 0, "policy show");
	write_conf(s, s->cmd.out, s->cmd.outlen);
	if ((first = strdup(s->cmd.out)) == NULL)
		fail_msg("out of memory");
	run(&s->cmd, check);
	want_exit(&s->cmd, 0, "--check-config of policy show's output");
	snprintf(ok, sizeof(ok), "%s: OK\n", s->file);
	want_in(s->cmd.out, ok, "stdout");
	run(&s->cmd, again);
	want_exit(&s->cmd, 0, "policy show of policy show's output");
	if (strstr(first, "\n{") == NULL ||
	    strstr(s->cmd.out, "\n{") == NULL ||
	    strcmp(strstr(first, "\n{"), strstr(s->cmd.out, "\n{")) != 0)
		fail_msg("policy show of its own output differs:\n%s\n"
		    "then:\n%s", first, s->cmd.out);
	free(first);
}

/* What "policy show" prints is a configuration the daemon takes as is. */
static void
sandbox__policy_show_defaults__check_config_accepts_it(void **state)
{
	struct sandbox *s = *state;
	const char *show[] = { "policy", "show", "--config", CONF_BUILTIN,
	    NULL };
	const char *dflt[] = { "policy", "show", NULL };

	show_then_check(s, show);
	/* The default file, which need not exist: built-in defaults. */
	show_then_check(s, dflt);
}

static void
sandbox__policy_show_every_key__check_config_accepts_it(void **state)
{
	struct sandbox *s = *state;
	const char *show[] = { "policy", "show", "--config", CONF_FULL,
	    NULL };
	const char *check[] = { "--check-config", "--config", CONF_FULL,
	    NULL };

	run(&s->cmd, check);
	want_exit(&s->cmd, 0, "--check-config full.json");
	show_then_check(s, show);
	want_in(s->cmd.out, "\"backlog_wait_time\": 60000", "policy show");
	want_in(s->cmd.out, "\"group\": \"adm\"", "policy show");
	want_in(s->cmd.out, "\"format\": \"rfc5424\"", "policy show");
	want_in(s->cmd.out, "\"user\": \"nobody\"", "policy show");
}

/* --check-config refuses what the daemon would refuse at start. */
static void
sandbox__check_config_unknown_user__78_names_key(void **state)
{
	static const char text[] = "{\n  \"user\": \"no-such-user\"\n}\n";
	struct sandbox *s = *state;
	const char *args[] = { "--check-config", "--config", s->file, NULL };
	char said[256];

	write_conf(s, text, strlen(text));
	run(&s->cmd, args);
	want_exit(&s->cmd, 78, "--check-config with an unknown user");
	snprintf(said, sizeof(said), "%s: user: user \"no-such-user\": ",
	    s->file);
	want_in(s->cmd.err, said, "stderr");
	want_not_in(s->cmd.out, ": OK", "stdout");
}

static void
sandbox__check_config_output_dir_missing__78_names_output(void **state)
{
	static const char text[] = "{\"outputs\": [{\"type\": \"file\", "
	    "\"path\": \"/nonexistent/x.json\"}]}\n";
	struct sandbox *s = *state;
	const char *args[] = { "--check-config", "--config", s->file, NULL };
	char said[256];

	write_conf(s, text, strlen(text));
	run(&s->cmd, args);
	want_exit(&s->cmd, 78, "--check-config with a file output in "
	    "/nonexistent");
	snprintf(said, sizeof(said), "%s: outputs[0]: path: directory "
	    "/nonexistent: No such file or directory", s->file);
	want_in(s->cmd.err, said, "stderr");
	want_not_in(s->cmd.out, ": OK", "stdout");
}

static void
sandbox__check_config_output_arg_dir_missing__78(void **state)
{
	struct sandbox *s = *state;
	const char *args[] = { "--output", "file:/nonexistent/x",
	    "--check-config", "--config", CONF_BUILTIN, NULL };

	run(&s->cmd, args);
	want_exit(&s->cmd, 78, "--output file:/nonexistent/x --check-config");
	want_in(s->cmd.err, "--output: path: directory /nonexistent: No such "
	    "file or directory", "stderr");
	want_not_in(s->cmd.out, ": OK", "stdout");
}

/* The daemon itself refuses the same, before READY=1. */
static void
sandbox__output_dir_missing__exit_78_before_ready(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "unicast", "--output",
	    "file:/nonexistent/x", "--config", CONF_BUILTIN, NULL };

	want_registered(0);
	refused(m, args);
	want_in(monitor_err(m), "--output: path: directory /nonexistent: No such "
	    "file or directory", "stderr");
	want_registered(0);
}

static void
sandbox__policy_check__0_on_good_1_with_messages_on_bad(void **state)
{
	struct sandbox *s = *state;
	const char *good[] = { "policy", "check", "--config", CONF_BUILTIN,
	    NULL };
	const char *bad[] = { "policy", "check", "--config", CONF_BAD, NULL };
	char said[512];

	run(&s->cmd, good);
	want_exit(&s->cmd, 0, "policy check builtin.json");
	want_in(s->cmd.out, ": OK; built-in policy for ", "stdout");
	run(&s->cmd, bad);
	want_exit(&s->cmd, 1, "policy check bad-name.json");
	snprintf(said, sizeof(said), "%s:%d: %s: unknown syscall "
	    "\"no_such_syscall\"", CONF_BAD, BAD_LINE, BAD_KEY);
	want_in(s->cmd.err, said, "stderr");
}

#ifdef __x86_64__
#define ARCH "x86_64"
/*
 * With stdout (or syslog) only: no call an output it lacks would make;
 * the process context's and the gap report's, both on by default.
 */
static const char *const builtin_names[] = {
	"read", "write", "poll", "recvmmsg", "sendto", "setsockopt",
	"getsockopt", "close", "clock_gettime", "brk", "mmap", "munmap",
	"mremap", "restart_syscall", "exit_group", "futex", "exit",
	"rt_sigprocmask", "madvise", "openat", "newfstatat", "readlinkat",
	"getdents64", NULL,
};
/* The same with "context" and "gaps" off: nothing opens a file. */
static const char *const builtin_names_no_proc[] = {
	"read", "write", "poll", "recvmmsg", "sendto", "setsockopt",
	"getsockopt", "close", "clock_gettime", "brk", "mmap", "munmap",
	"mremap", "restart_syscall", "exit_group", "futex", "exit",
	"rt_sigprocmask", "madvise", NULL,
};
/* With a file and a journald output too. */
static const char *const builtin_names_all[] = {
	"read", "write", "poll", "recvmmsg", "sendto", "setsockopt",
	"getsockopt", "close", "sendmsg", "memfd_create", "fcntl",
	"clock_gettime", "brk", "mmap", "munmap", "mremap", "restart_syscall",
	"exit_group", "futex", "exit", "rt_sigprocmask", "madvise", "openat",
	"renameat", "fchmod", "fchown", "ftruncate", "newfstatat",
	"readlinkat", "getdents64", NULL,
};
#endif

/* o is a JSON array of exactly the strings want (NULL-terminated). */
static void
want_names(json_object *o, const char *const *want)
{
	json_object *v;
	size_t i, n = 0;

	while (want[n] != NULL)
		n++;
	if (o == NULL || !json_object_is_type(o, json_type_array) ||
	    json_object_array_length(o) != n)
		fail_msg("names: %s, expected %zu names",
		    o ? json_object_to_json_string(o) : "missing", n);
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(o, i);
		if (!json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v), want[i]) != 0)
			fail_msg("names[%zu] is %s, expected \"%s\"", i,
			    json_object_to_json_string(v), want[i]);
	}
}

/*
 * The complete configuration: comment lines saying where it came from
 * (file, policy origin and arch, whether denials are audited), then one
 * JSON object with the keys a configuration file takes.
 */
static void
sandbox__policy_show__header_then_config_with_builtin_names(void **state)
{
#ifdef __x86_64__
	static const char *const enosys[] = { "clone3", NULL };
	static const char *const keys[] = { "audit", "outputs", "original",
	    "storm", "stats", "context", "gaps", "landlock", "seccomp",
	    NULL };
	struct sandbox *s = *state;
	const char *args[] = { "policy", "show", "--config", CONF_BUILTIN,
	    NULL };
	struct json_tokener *tok;
	json_object *list, *o;
	const char *body, *trailer, *p;
	size_t n = 0;

	run(&s->cmd, args);
	want_exit(&s->cmd, 0, "policy show");
	body = "// seccompmon: the effective configuration, from "
	    CONF_BUILTIN ".\n"
	    "// seccomp: the built-in policy for " ARCH "; denials are "
	    "audited (SECCOMP_FILTER_FLAG_LOG).\n"
	    "// Check it with: seccompmon --check-config --config FILE\n{";
	if (strncmp(s->cmd.out, body, strlen(body)) != 0)
		fail_msg("policy show does not start with:\n%s\nbut:\n%s",
		    body, s->cmd.out);
	/*
	 * The JSON itself has no comments: strict json-c takes it.  The
	 * Landlock ruleset follows it, comment lines only.
	 */
	body = s->cmd.out + strlen(body) - 1;
	if ((trailer = strstr(body, "}\n// landlock: ")) == NULL)
		fail_msg("policy show: no Landlock comments after the JSON:\n%s",
		    s->cmd.out);
	trailer += 2;
	for (p = trailer; *p != '\0'; p = strchr(p, '\n') + 1)
		if (strncmp(p, "//", 2) != 0 || strchr(p, '\n') == NULL)
			fail_msg("policy show: not a comment line after the "
			    "JSON: %s", p);
	if ((tok = json_tokener_new()) == NULL)
		fail_msg("out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	s->json = json_tokener_parse_ex(tok, body, (int)(trailer - body));
	if (s->json == NULL ||
	    json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(s->json, json_type_object)) {
		json_tokener_free(tok);
		fail_msg("policy show: not one JSON object after the "
		    "comments:\n%s", s->cmd.out);
	}
	json_tokener_free(tok);
	{
		json_object_object_foreach(s->json, key, val) {
			(void)val;
			if (keys[n] == NULL || strcmp(key, keys[n]) != 0)
				fail_msg("policy show: key \"%s\" where \"%s\" "
				    "was expected", key,
				    keys[n] ? keys[n] : "(the end)");
			n++;
		}
	}
	if (keys[n] != NULL)
		fail_msg("policy show: no \"%s\" key", keys[n]);
	want_str(s->json, "audit.socket", "auto");
	list = jpath(s->json, "outputs");
	if (list == NULL || !json_object_is_type(list, json_type_array) ||
	    json_object_array_length(list) != 1)
		fail_msg("outputs: expected one output in %s", s->cmd.out);
	o = json_object_array_get_idx(list, 0);
	want_str(o, "type", "stdout");
	want_true(s->json, "seccomp.enabled");
	/* Arch and origin are in the comments: the file does not take them. */
	want_absent(s->json, "seccomp.arch");
	want_absent(s->json, "seccomp.origin");
	want_absent(s->json, "seccomp.log");
	want_str(s->json, "seccomp.default_action", "errno");
	list = jpath(s->json, "seccomp.syscalls");
	if (list == NULL || !json_object_is_type(list, json_type_array) ||
	    json_object_array_length(list) != 2)
		fail_msg("syscalls: expected two rules in %s", s->cmd.out);
	want_str(json_object_array_get_idx(list, 0), "action", "allow");
	want_names(jpath(json_object_array_get_idx(list, 0), "names"),
	    builtin_names);
	want_str(json_object_array_get_idx(list, 1), "action", "errno");
	want_str(json_object_array_get_idx(list, 1), "errno", "ENOSYS");
	want_names(jpath(json_object_array_get_idx(list, 1), "names"),
	    enosys);
#else
	/* Not a silent skip: a port must add its architecture's list. */
	(void)state;
	fail_msg("this test knows the built-in list of x86_64 only; add "
	    "this architecture's names");
#endif
}

/*
 * The built-in list fits the outputs: the calls of the file output
 * (openat, renameat, ...) and of the journald output (sendmsg, memfd) are
 * allowed only when such an output is configured, here by --output.
 */
static void
sandbox__policy_show__file_and_journald_outputs__their_calls_added(
    void **state)
{
#ifdef __x86_64__
	struct sandbox *s = *state;
	const char *args[] = { "policy", "show", "--config", s->file, NULL };
	char path[128];
	json_object *list;
	FILE *f;
	const char *body;

	snprintf(path, sizeof(path), "%s/events.json", s->dir);
	/* In s->file, which the teardown removes. */
	snprintf(s->file, sizeof(s->file), "%s/outputs.json", s->dir);
	if ((f = fopen(s->file, "w")) == NULL)
		fail_msg("%s: %s", s->file, strerror(errno));
	fprintf(f, "{\"outputs\": [{\"type\": \"file\", \"path\": \"%s\"}, "
	    "{\"type\": \"journald\"}]}\n", path);
	fclose(f);
	run(&s->cmd, args);
	want_exit(&s->cmd, 0, "policy show");
	if ((body = strchr(s->cmd.out, '{')) == NULL ||
	    (s->json = json_tokener_parse(body)) == NULL)
		fail_msg("policy show: no JSON:\n%s", s->cmd.out);
	list = jpath(s->json, "seccomp.syscalls");
	if (list == NULL || !json_object_is_type(list, json_type_array))
		fail_msg("no seccomp.syscalls in %s", s->cmd.out);
	want_names(jpath(json_object_array_get_idx(list, 0), "names"),
	    builtin_names_all);
#else
	(void)state;
	fail_msg("this test knows the built-in list of x86_64 only; add "
	    "this architecture's names");
#endif
}

/*
 * Without the process context, gap reports and a file output, neither
 * openat nor getdents64: the daemon cannot open a file at all.
 */
static void
sandbox__policy_show__context_and_gaps_off__no_openat_no_getdents64(
    void **state)
{
#ifdef __x86_64__
	struct sandbox *s = *state;
	const char *args[] = { "policy", "show", "--config", s->file, NULL };
	json_object *list;
	FILE *f;
	const char *body;

	snprintf(s->file, sizeof(s->file), "%s/nogaps.json", s->dir);
	if ((f = fopen(s->file, "w")) == NULL)
		fail_msg("%s: %s", s->file, strerror(errno));
	fprintf(f, "{\"context\": {\"enabled\": false}, "
	    "\"gaps\": {\"enabled\": false}}\n");
	fclose(f);
	run(&s->cmd, args);
	want_exit(&s->cmd, 0, "policy show");
	if ((body = strchr(s->cmd.out, '{')) == NULL ||
	    (s->json = json_tokener_parse(body)) == NULL)
		fail_msg("policy show: no JSON:\n%s", s->cmd.out);
	list = jpath(s->json, "seccomp.syscalls");
	if (list == NULL || !json_object_is_type(list, json_type_array))
		fail_msg("no seccomp.syscalls in %s", s->cmd.out);
	want_names(jpath(json_object_array_get_idx(list, 0), "names"),
	    builtin_names_no_proc);
#else
	(void)state;
	fail_msg("this test knows the built-in list of x86_64 only; add "
	    "this architecture's names");
#endif
}

static void
sandbox__policy_export_pfc__names_the_arch(void **state)
{
	struct sandbox *s = *state;
	const char *args[] = { "policy", "export", "--pfc", "--config",
	    CONF_BUILTIN, NULL };

	run(&s->cmd, args);
	want_exit(&s->cmd, 0, "policy export --pfc");
	if (s->cmd.outlen == 0)
		fail_msg("policy export --pfc wrote nothing");
#ifdef __x86_64__
	want_in(s->cmd.out, "filter for arch x86_64", "pfc");
#endif
	want_in(s->cmd.out, "restart_syscall", "pfc");
}

static void
sandbox__policy_export_bpf__whole_instructions(void **state)
{
	struct sandbox *s = *state;
	const char *args[] = { "policy", "export", "--bpf", s->file,
	    "--config", CONF_BUILTIN, NULL };
	struct stat st;

	snprintf(s->file, sizeof(s->file), "%s/filter.bpf", s->dir);
	run(&s->cmd, args);
	want_exit(&s->cmd, 0, "policy export --bpf");
	if (stat(s->file, &st) < 0)
		fail_msg("%s: %s", s->file, strerror(errno));
	/* struct sock_filter is 8 bytes. */
	if (st.st_size <= 0 || st.st_size % 8 != 0)
		fail_msg("%s is %lld bytes: not whole BPF instructions",
		    s->file, (long long)st.st_size);
	if (s->cmd.outlen != 0)
		fail_msg("policy export --bpf wrote to stdout:\n%s",
		    s->cmd.out);
}

/* Tightness: calls outside the list fail inside a process that loaded it. */
static void
sandbox__policy_test_builtin__outside_denied_and_audited(void **state)
{
	struct sandbox *s = *state;
	const char *args[] = { "policy", "test", "--config", CONF_BUILTIN,
	    NULL };
	const char *p;
	pid_t pid = 0;

	run(&s->cmd, args);
	want_exit(&s->cmd, 0, "policy test");
	want_in(s->cmd.out, "built-in policy for ", "policy test");
	want_in(s->cmd.out, "(TSYNC, denials audited)", "policy test");
	want_probe(s->cmd.out, "execve", "denied (EPERM)");
	want_probe(s->cmd.out, "ptrace", "denied (EPERM)");
	want_probe(s->cmd.out, "socket", "denied (EPERM)");
	want_probe(s->cmd.out, "unlinkat", "denied (EPERM)");
	want_probe(s->cmd.out, "clone3", "denied (ENOSYS)");
	want_probe(s->cmd.out, "close", "allowed (EBADF)");
	want_probe(s->cmd.out, "clock_gettime", "allowed");
	want_in(s->cmd.out, "\n10 of 10 calls as the policy says\n",
	    "policy test");
	/* The denials reached the audit log, as the daemon's would. */
	if ((p = strstr(s->cmd.out, "loaded into pid ")) == NULL ||
	    (pid = (pid_t)strtol(p + 16, NULL, 10)) <= 0)
		fail_msg("policy test does not name its pid:\n%s", s->cmd.out);
	if (observer_sync(&s->obs, EVENT_MS) < 0)
		fail_msg("observer: the marker record did not arrive");
	want_observed(&s->obs, pid, "execve", "errno");
	want_observed(&s->obs, pid, "ptrace", "errno");
	want_observed(&s->obs, pid, "socket", "errno");
	want_observed(&s->obs, pid, "clone3", "errno");
}

static void
sandbox__policy_test_blacklist__execve_denied_socket_allowed(void **state)
{
	struct sandbox *s = *state;
	const char *args[] = { "policy", "test", "--config", CONF_BLACKLIST,
	    NULL };

	run(&s->cmd, args);
	want_exit(&s->cmd, 0, "policy test blacklist.json");
	want_in(s->cmd.out, "custom policy for ", "policy test");
	want_probe(s->cmd.out, "execve", "denied (EPERM)");
	want_probe(s->cmd.out, "socket", "allowed");
	/* Let in, ptrace fails anyway: how is not the policy's business. */
	want_probe(s->cmd.out, "ptrace", "allowed");
	want_probe(s->cmd.out, "unlinkat", "allowed (ENOENT)");
	want_in(s->cmd.out, "\n10 of 10 calls as the policy says\n",
	    "policy test");
}

/*
 * A daemon event marked as its own: process.pid is the daemon, and
 * seccompmon.self is true; stderr says it too.
 */
static void
want_self_event(struct monitor *m, const char *name, const char *action)
{
	json_object *o;
	char said[160];

	if ((o = monitor_event(m, m->pid, 0)) == NULL)
		fail_msg("no event for the daemon's own pid %d (%zu events); "
		    "stderr:\n%s", (int)m->pid, m->nevents, monitor_err(m));
	want_str(o, "seccomp.syscall.name", name);
	want_str(o, "seccomp.action", action);
	want_true(o, "seccompmon.self");
	snprintf(said, sizeof(said), "<3>seccompmon broke its own seccomp "
	    "policy: syscall %s (", name);
	want_in(monitor_err(m), said, "stderr");
}

/*
 * Leaving the multicast group at SIGTERM takes setsockopt: denied here,
 * audited, and the final drain must bring the record back as the daemon's
 * own event.
 */
static void
sandbox__denied_setsockopt_at_sigterm__reported_as_own(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "multicast", "--config",
	    CONF_DENY_SSO, NULL };
	pid_t pid, other;

	start(m, args);
	want_filter(m);
	other = violate_seen(m);
	pid = m->pid;
	stop(m);
	want_in(monitor_err(m), "leaving the audit multicast group: Operation "
	    "not permitted", "stderr");
	/* The kernel audited it: any miss below is the daemon's. */
	want_observed_only(&s->obs, pid, "setsockopt", "errno");
	if (monitor_count(m, pid) != 1)
		fail_msg("%zu events for the daemon's own pid %d, expected 1 "
		    "(the observer saw the record: the final drain ended "
		    "before the kernel had delivered it); stderr:\n%s",
		    monitor_count(m, pid), (int)pid, monitor_err(m));
	want_self_event(m, "setsockopt", "errno");
	want_absent(monitor_event(m, other, 0), "seccompmon.self");
}

/*
 * While serving: SIGSTOP and SIGCONT make the kernel resume the daemon's
 * poll with restart_syscall, logged here, so the daemon reads its own
 * record as it runs, and goes on.
 */
static void
sandbox__logged_restart_syscall__reported_as_own_live(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "multicast", "--config",
	    CONF_LOG_RS, NULL };
	char st[64];
	int64_t deadline;
	pid_t pid, other;
	int tries;

	start(m, args);
	want_filter(m);
	pid = m->pid;
	/*
	 * Only a stop that catches the daemon inside poll makes it call
	 * restart_syscall; one that lands while it reads its timer does not.
	 * The daemon is idle, so a few tries are enough.
	 */
	for (tries = 0; tries < 5 && monitor_count(m, pid) == 0; tries++) {
		if (kill(pid, SIGSTOP) < 0)
			fail_msg("SIGSTOP: %s", strerror(errno));
		deadline = mono_ms() + STOP_MS;
		while (proc_status(pid, "State", st, sizeof(st)) == 0 &&
		    st[0] != 'T' && mono_ms() < deadline)
			monitor_linger(m, 5);
		if (st[0] != 'T')
			fail_msg("the daemon did not stop: State: %s", st);
		if (kill(pid, SIGCONT) < 0)
			fail_msg("SIGCONT: %s", strerror(errno));
		(void)monitor_wait_events(m, pid, 1, 1000);
	}
	if (monitor_count(m, pid) != 1)
		fail_msg("%zu events for the daemon's own restart_syscall after "
		    "%d stops; stderr:\n%s", monitor_count(m, pid), tries,
		    monitor_err(m));
	want_self_event(m, "restart_syscall", "log");
	/* Still serving, and other events are not marked. */
	other = violate_seen(m);
	want_absent(monitor_event(m, other, 0), "seccompmon.self");
	stop(m);
	want_observed_only(&s->obs, pid, "restart_syscall", "log");
	if (monitor_count(m, pid) != observer_count(&s->obs, pid))
		fail_msg("%zu events of the daemon's own, but the observer saw "
		    "%zu records", monitor_count(m, pid),
		    observer_count(&s->obs, pid));
}

/*
 * As nobody: uid and gid 65534, cap_audit_control and cap_audit_read only,
 * and that is enough to receive events and to unregister at SIGTERM.
 */
static void
sandbox__user_nobody_unicast__serves_and_unregisters(void **state)
{
	struct sandbox *s = *state;
	struct monitor *m = &s->m;
	const char *args[] = { "--socket", "unicast", "--config", CONF_NOBODY,
	    NULL };

	want_registered(0);
	start(m, args);
	want_registered((uint32_t)m->pid);
	want_status(m, "Uid", "65534\t65534\t65534\t65534");
	want_status(m, "Gid", "65534\t65534\t65534\t65534");
	want_status(m, "Groups", "65534");
	want_filter(m);
	want_caps(m, CAP_UNICAST);
	want_in(monitor_err(m), "; uid 65534; capabilities: "
	    "cap_audit_control,cap_audit_read; Landlock ABI ",
	    "stderr");
	(void)violate_seen(m);
	stop(m);
	want_registered(0);
	want_not_in(monitor_err(m), "unregistering", "stderr");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(sandbox__unicast__filter_and_only_audit_control_and_read),
		T(sandbox__multicast__filter_and_no_capabilities),
		T(sandbox__replay_fifo__filter_and_no_capabilities),
		T(sandbox__replay_stdout_closed__exits_1_within_the_list),
		T(sandbox__disabled__no_filter_said_and_capabilities_shed),
		T(sandbox__policy_error__runs_without_filter_and_says_so),
		T(sandbox__policy_error_required__exit_78_before_ready),
		T(sandbox__require_sandbox_option__policy_error_exit_78),
		T(sandbox__check_config__0_on_good_78_on_policy_error),
		T(sandbox__policy_show_defaults__check_config_accepts_it),
		T(sandbox__policy_show_every_key__check_config_accepts_it),
		T(sandbox__check_config_unknown_user__78_names_key),
		T(sandbox__check_config_output_dir_missing__78_names_output),
		T(sandbox__check_config_output_arg_dir_missing__78),
		T(sandbox__output_dir_missing__exit_78_before_ready),
		T(sandbox__policy_check__0_on_good_1_with_messages_on_bad),
		T(sandbox__policy_show__header_then_config_with_builtin_names),
		T(sandbox__policy_show__file_and_journald_outputs__their_calls_added),
		T(sandbox__policy_show__context_and_gaps_off__no_openat_no_getdents64),
		T(sandbox__policy_export_pfc__names_the_arch),
		T(sandbox__policy_export_bpf__whole_instructions),
		T(sandbox__policy_test_builtin__outside_denied_and_audited),
		T(sandbox__policy_test_blacklist__execve_denied_socket_allowed),
		T(sandbox__denied_setsockopt_at_sigterm__reported_as_own),
		T(sandbox__logged_restart_syscall__reported_as_own_live),
		T(sandbox__user_nobody_unicast__serves_and_unregisters),
	};
	char why[512];
	int lock, rc;

	/* These tests choose their own configurations. */
	(void)unsetenv(HARNESS_CONFIG_ENV);
	/* Only one process can be the audit daemon: never overlap runs. */
	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_sandbox: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_sandbox: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_sandbox: %s\n", why);
		return 99;
	}
	rc = cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
	close(lock);
	return rc == 0 ? 0 : 1;
}
