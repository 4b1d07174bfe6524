/*
 * Helpers for the live tests (see harness.h).  Every child (daemon, violator,
 * registrant) dies with the test process (PR_SET_PDEATHSIG) and every wait
 * has a deadline, so a failing or crashing test leaves neither a daemon nor
 * a registration behind.  The observer is global (one per test) so that
 * monitor_start() and monitor_pump() can feed it without new parameters.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>

#include "netlink/auditnl.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"
#include "reporter/violation.h"
#include "tests/integration/harness.h"

#define MAX_ARGS 16
#define MAX_WRAP 16

/* The observer monitor_start() and monitor_pump() report to, or NULL. */
static struct observer *observer_now;

int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
left_ms(int64_t deadline)
{
	int64_t left = deadline - mono_ms();

	return left < 0 ? 0 : (int)left;
}

static void
sleep_ms(int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int
lock_take(const char *path)
{
	int fd;

	/* Read-only is enough for flock(2), so any user can share the file. */
	if ((fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int
hbuf_add(struct hbuf *b, const void *p, size_t n)
{
	size_t cap;
	char *d;

	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((d = realloc(b->data, cap)) == NULL)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static void
hbuf_free(struct hbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int
kaudit_pid(uint32_t *pid)
{
	struct auditmsg_status st;
	struct auditnl *nl;
	int rc, saved;

	if ((nl = auditnl_open(0, NULL, NULL)) == NULL)
		return -1;
	rc = auditnl_status(nl, &st);
	saved = errno;
	auditnl_close(nl);
	errno = saved;
	if (rc == 0)
		*pid = st.pid;
	return rc;
}

int
kaudit_backlog(uint32_t *limit, uint32_t *wait)
{
	struct auditmsg_status st;
	struct auditnl *nl;
	int rc, saved;

	if ((nl = auditnl_open(0, NULL, NULL)) == NULL)
		return -1;
	rc = auditnl_status(nl, &st);
	saved = errno;
	auditnl_close(nl);
	errno = saved;
	if (rc == 0) {
		*limit = st.backlog_limit;
		*wait = st.backlog_wait_time;
	}
	return rc;
}

int
kaudit_set_backlog(uint32_t limit, uint32_t wait)
{
	struct auditnl *nl;
	int rc, saved;

	if ((nl = auditnl_open(0, NULL, NULL)) == NULL)
		return -1;
	rc = auditnl_set_backlog_limit(nl, limit);
	if (rc == 0)
		rc = auditnl_set_backlog_wait_time(nl, wait);
	saved = errno;
	auditnl_close(nl);
	errno = saved;
	return rc;
}

int
kaudit_wait_sent(int timeout_ms)
{
	struct auditmsg_status st;
	struct auditnl *nl;
	int64_t end = mono_ms() + timeout_ms;
	int rc = -1;

	if ((nl = auditnl_open(0, NULL, NULL)) == NULL)
		return -1;
	while (mono_ms() < end) {
		if (auditnl_status(nl, &st) < 0)
			break;
		if (st.backlog == 0) {
			rc = 0;
			break;
		}
		(void)poll(NULL, 0, 20);
	}
	if (rc < 0 && mono_ms() >= end)
		errno = ETIMEDOUT;
	auditnl_close(nl);
	return rc;
}

/*
 * A registered daemon that died: AUDIT_SET pid 0 from any socket first
 * pings the registered one (kernel/audit.c audit_replace()), finds it gone
 * and resets the registration, then has nothing left to unregister.
 */
void
kaudit_forget(uint32_t dead)
{
	struct auditnl *nl;
	uint32_t pid;

	if (kaudit_pid(&pid) < 0 || pid != dead)
		return;
	if ((nl = auditnl_open(0, NULL, NULL)) == NULL)
		return;
	(void)auditnl_set_pid(nl, 0);
	auditnl_close(nl);
}

void
monitor_init(struct monitor *m)
{
	memset(m, 0, sizeof(*m));
	m->out_fd = m->err_fd = m->notify_fd = -1;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int
notify_bind(struct monitor *m)
{
	struct sockaddr_un sa;

	strcpy(m->dir, "/tmp/sm-notify-XXXXXX");
	if (mkdtemp(m->dir) == NULL) {
		m->dir[0] = '\0';
		return -1;
	}
	snprintf(m->sock, sizeof(m->sock), "%s/notify", m->dir);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", m->sock);
	m->notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0);
	if (m->notify_fd < 0)
		return -1;
	return bind(m->notify_fd, (struct sockaddr *)&sa, sizeof(sa));
}

/* In the child: die with the test, whatever happens to it. */
static void
child_tie(pid_t parent)
{
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(127);
}

/* In the child: hide auditd from this process and its children. */
static int
hide_auditd(void)
{
	static const char *const paths[] = { "/usr/sbin/auditd",
	    "/sbin/auditd" };
	size_t i;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], F_OK) == 0 &&
		    mount("/dev/null", paths[i], NULL, MS_BIND, NULL) < 0)
			return -1;
	return 0;
}

/*
 * Split the wrapper command (HARNESS_WRAPPER_ENV) at blanks into argv, in
 * place; the number of words, or -1 (E2BIG) when more than max.
 */
static int
wrapper_words(char *cmd, char **argv, size_t max)
{
	size_t n = 0;
	char *w;

	for (w = strtok(cmd, " \t"); w != NULL; w = strtok(NULL, " \t")) {
		if (n == max) {
			errno = E2BIG;
			return -1;
		}
		argv[n++] = w;
	}
	return (int)n;
}

int
monitor_start(struct monitor *m, const char *const *args)
{
	static char wrapper[1024];
	char *argv[MAX_WRAP + MAX_ARGS + 4];
	const char *config = getenv(HARNESS_CONFIG_ENV);
	const char *wrap = getenv(HARNESS_WRAPPER_ENV);
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	pid_t parent = getpid();
	size_t i, w = 0;
	int fd, n;

	if (wrap != NULL && *wrap != '\0') {
		if (strlen(wrap) >= sizeof(wrapper)) {
			errno = E2BIG;
			return -1;
		}
		strcpy(wrapper, wrap);
		if ((n = wrapper_words(wrapper, argv, MAX_WRAP)) < 0)
			return -1;
		w = (size_t)n;
	}
	argv[w] = (char *)(uintptr_t)HARNESS_DAEMON;
	for (i = 0; args[i] != NULL; i++) {
		if (i >= MAX_ARGS) {
			errno = E2BIG;
			return -1;
		}
		argv[w + i + 1] = (char *)(uintptr_t)args[i];
	}
	if (config != NULL && *config != '\0') {
		argv[w + ++i] = (char *)(uintptr_t)"--config";
		argv[w + ++i] = (char *)(uintptr_t)config;
	}
	argv[w + i + 1] = NULL;
	if (notify_bind(m) < 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		goto fail;
	if ((m->pid = fork()) < 0) {
		m->pid = 0;
		goto fail;
	}
	if (m->pid == 0) {
		child_tie(parent);
		if (m->no_auditd && hide_auditd() < 0)
			_exit(126);
		if ((fd = open("/dev/null", O_RDONLY)) < 0 ||
		    dup2(fd, STDIN_FILENO) < 0 ||
		    dup2(out[1], STDOUT_FILENO) < 0 ||
		    dup2(err[1], STDERR_FILENO) < 0 ||
		    setenv("NOTIFY_SOCKET", m->sock, 1) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (observer_now != NULL)
		observer_watch(observer_now, m->pid);
	close(out[1]);
	close(err[1]);
	m->out_fd = out[0];
	m->err_fd = err[0];
	return 0;
fail:
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&err[0]);
	close_fd(&err[1]);
	return -1;
}

/*
 * RFC 8259, strictly: json-c, even with JSON_TOKENER_STRICT, takes raw
 * control characters inside strings and single-quoted strings, which a
 * consumer like jq rejects.  UTF-8 validity is left to json-c.
 */
struct jscan {
	const unsigned char	*p;
	const unsigned char	*e;
	int			 depth;
};

static int js_value(struct jscan *);

static void
js_ws(struct jscan *s)
{
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
js_eat(struct jscan *s, char c)
{
	if (s->p >= s->e || *s->p != (unsigned char)c)
		return 0;
	s->p++;
	return 1;
}

static int
js_digits(struct jscan *s)
{
	const unsigned char *p0 = s->p;

	while (s->p < s->e && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > p0;
}

static int
js_number(struct jscan *s)
{
	(void)js_eat(s, '-');
	if (js_eat(s, '0')) {
		if (s->p < s->e && *s->p >= '0' && *s->p <= '9')
			return 0;
	} else if (!js_digits(s))
		return 0;
	if (js_eat(s, '.') && !js_digits(s))
		return 0;
	if (js_eat(s, 'e') || js_eat(s, 'E')) {
		if (!js_eat(s, '+'))
			(void)js_eat(s, '-');
		if (!js_digits(s))
			return 0;
	}
	return 1;
}

static int
js_string(struct jscan *s)
{
	int i;

	if (!js_eat(s, '"'))
		return 0;
	while (s->p < s->e) {
		if (*s->p == '"') {
			s->p++;
			return 1;
		}
		if (*s->p < 0x20)
			return 0;
		if (*s->p++ != '\\')
			continue;
		if (s->p >= s->e)
			return 0;
		if (strchr("\"\\/bfnrt", *s->p) != NULL && *s->p != '\0') {
			s->p++;
			continue;
		}
		if (*s->p++ != 'u')
			return 0;
		for (i = 0; i < 4; i++, s->p++)
			if (s->p >= s->e || !((*s->p >= '0' && *s->p <= '9') ||
			    (*s->p >= 'a' && *s->p <= 'f') ||
			    (*s->p >= 'A' && *s->p <= 'F')))
				return 0;
	}
	return 0;
}

static int
js_word(struct jscan *s, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->e - s->p) < n || memcmp(s->p, w, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

/* '{' or '[' already seen; close is '}' or ']'. */
static int
js_members(struct jscan *s, char close)
{
	if (++s->depth > 64)
		return 0;
	js_ws(s);
	if (js_eat(s, close))
		goto done;
	do {
		js_ws(s);
		if (close == '}') {
			if (!js_string(s))
				return 0;
			js_ws(s);
			if (!js_eat(s, ':'))
				return 0;
			js_ws(s);
		}
		if (!js_value(s))
			return 0;
		js_ws(s);
	} while (js_eat(s, ','));
	if (!js_eat(s, close))
		return 0;
done:
	s->depth--;
	return 1;
}

static int
js_value(struct jscan *s)
{
	if (s->p >= s->e)
		return 0;
	switch (*s->p) {
	case '{':
		s->p++;
		return js_members(s, '}');
	case '[':
		s->p++;
		return js_members(s, ']');
	case '"':
		return js_string(s);
	case 't':
		return js_word(s, "true");
	case 'f':
		return js_word(s, "false");
	case 'n':
		return js_word(s, "null");
	default:
		return js_number(s);
	}
}

/* Whether line is exactly one JSON object and nothing else. */
static int
jline_strict(const char *line, size_t len)
{
	struct jscan s;

	s.p = (const unsigned char *)line;
	s.e = s.p + len;
	s.depth = 0;
	js_ws(&s);
	if (s.p >= s.e || *s.p != '{' || !js_value(&s))
		return 0;
	js_ws(&s);
	return s.p == s.e;
}

/* One stdout line: keep it if it is exactly one JSON object. */
static void
take_line(struct monitor *m, const char *line, size_t len)
{
	struct json_tokener *tok;
	json_object *o = NULL, **ev;
	int ok = 0;

	m->lines++;
	if (jline_strict(line, len) &&
	    (tok = json_tokener_new()) != NULL) {
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
		    JSON_TOKENER_VALIDATE_UTF8);
		o = json_tokener_parse_ex(tok, line, (int)len);
		ok = o != NULL &&
		    json_tokener_get_error(tok) == json_tokener_success &&
		    json_tokener_get_parse_end(tok) == len &&
		    json_object_is_type(o, json_type_object);
		json_tokener_free(tok);
	}
	if (ok && m->nevents == m->capevents) {
		m->capevents = m->capevents ? m->capevents * 2 : 16;
		ev = realloc(m->events, m->capevents * sizeof(*ev));
		if (ev == NULL)
			ok = 0;
		else
			m->events = ev;
	}
	if (!ok) {
		json_object_put(o);
		if (m->bad_lines++ == 0)
			snprintf(m->first_bad, sizeof(m->first_bad), "%.*s",
			    (int)(len < 400 ? len : 400), line);
		return;
	}
	m->events[m->nevents++] = o;
}

static void
split_lines(struct monitor *m, int eof)
{
	char *nl, *p = m->out.data;
	size_t rest;

	if (p == NULL)
		return;
	while ((nl = memchr(p, '\n', m->out.len - (size_t)(p - m->out.data)))
	    != NULL) {
		take_line(m, p, (size_t)(nl - p));
		p = nl + 1;
	}
	rest = m->out.len - (size_t)(p - m->out.data);
	if (eof && rest > 0) {
		/* A last line without its newline is a broken line. */
		take_line(m, p, rest);
		rest = 0;
	}
	memmove(m->out.data, p, rest);
	m->out.len = rest;
	m->out.data[rest] = '\0';
}

static void
read_notes(struct monitor *m)
{
	char buf[4096];
	ssize_t n;

	if (m->notify_fd < 0)
		return;
	while ((n = recv(m->notify_fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		(void)hbuf_add(&m->notes, buf, (size_t)n);
		(void)hbuf_add(&m->notes, "\n", 1);
	}
}

/* Read what fd has; 1 when it reached EOF (and was closed). */
static int
read_some(int *fd, struct hbuf *b)
{
	char buf[65536];
	ssize_t n;

	n = read(*fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		close_fd(fd);
		return 1;
	}
	(void)hbuf_add(b, buf, (size_t)n);
	return 0;
}

int
monitor_pump(struct monitor *m, int timeout_ms)
{
	struct pollfd pfd[4];
	int n;

	if (m->out_fd < 0 && m->err_fd < 0) {
		read_notes(m);
		return -1;
	}
	pfd[0].fd = m->out_fd;
	pfd[1].fd = m->err_fd;
	pfd[2].fd = m->notify_fd;
	/* A negative fd is ignored by poll(2). */
	pfd[3].fd = observer_now != NULL && observer_now->nl != NULL ?
	    auditnl_fd(observer_now->nl) : -1;
	pfd[0].events = pfd[1].events = pfd[2].events = pfd[3].events = POLLIN;
	pfd[0].revents = pfd[1].revents = pfd[2].revents = pfd[3].revents = 0;
	n = poll(pfd, 4, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (pfd[3].revents != 0)
		observer_drain(observer_now);
	if (pfd[0].revents != 0) {
		if (read_some(&m->out_fd, &m->out))
			split_lines(m, 1);
		else
			split_lines(m, 0);
	}
	if (pfd[1].revents != 0)
		(void)read_some(&m->err_fd, &m->err);
	if (pfd[2].revents != 0)
		read_notes(m);
	return 0;
}

void
monitor_linger(struct monitor *m, int ms)
{
	int64_t deadline = mono_ms() + ms;

	while (mono_ms() < deadline)
		if (monitor_pump(m, left_ms(deadline)) < 0)
			break;
}

int
monitor_notified(const struct monitor *m, const char *line)
{
	const char *p = m->notes.data;
	size_t n = strlen(line);

	while (p != NULL && (p = strstr(p, line)) != NULL) {
		if ((p == m->notes.data || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

int
monitor_sandbox(struct monitor *m, const char *prog, char *why, size_t len)
{
	const char *err = m->err.data != NULL ? m->err.data : "";
	char seccomp[32];
	const char *p, *e;

	if (getenv(HARNESS_CONFIG_ENV) == NULL)
		return 0;
	if (proc_status(m->pid, "Seccomp", seccomp, sizeof(seccomp)) < 0) {
		snprintf(why, len, "/proc/%d/status: Seccomp: %s",
		    (int)m->pid, strerror(errno));
		return -1;
	}
	if (strcmp(seccomp, "2") != 0) {
		snprintf(why, len, "daemon pid %d has Seccomp: %s with "
		    "--config %s, expected 2 (a filter); stderr:\n%.600s",
		    (int)m->pid, seccomp, getenv(HARNESS_CONFIG_ENV), err);
		return -1;
	}
	if ((p = strstr(err, "sandbox: ")) == NULL) {
		snprintf(why, len, "no \"sandbox: \" line on stderr:\n%.800s",
		    err);
		return -1;
	}
	e = strchr(p, '\n');
	fprintf(stderr, "%s: daemon pid %d: Seccomp: %s; %.*s\n", prog,
	    (int)m->pid, seccomp, e != NULL ? (int)(e - p) : 400, p);
	return 0;
}

int
monitor_wait_ready(struct monitor *m, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;

	while (!monitor_notified(m, "READY=1")) {
		if (mono_ms() >= deadline)
			return -1;
		if (monitor_pump(m, left_ms(deadline)) < 0)
			return monitor_notified(m, "READY=1") ? 0 : -1;
	}
	return 0;
}

static int
event_pid_is(json_object *o, pid_t pid)
{
	int64_t v;

	return jpath_int(o, "process.pid", &v) == 0 && v == (int64_t)pid;
}

size_t
monitor_count(const struct monitor *m, pid_t pid)
{
	size_t i, n = 0;

	for (i = 0; i < m->nevents; i++)
		if (event_pid_is(m->events[i], pid))
			n++;
	return n;
}

json_object *
monitor_event(const struct monitor *m, pid_t pid, size_t k)
{
	size_t i;

	for (i = 0; i < m->nevents; i++)
		if (event_pid_is(m->events[i], pid) && k-- == 0)
			return m->events[i];
	return NULL;
}

size_t
monitor_wait_events(struct monitor *m, pid_t pid, size_t n, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;

	while (monitor_count(m, pid) < n && mono_ms() < deadline)
		if (monitor_pump(m, left_ms(deadline)) < 0)
			break;
	return monitor_count(m, pid);
}

/*
 * Under a wrapper, leave the wait status in $HARNESS_EXITS_ENV/PID.exit,
 * for test_valgrind.sh to read the wrapper's report against it.
 */
static void
note_exit(const struct monitor *m)
{
	const char *dir = getenv(HARNESS_EXITS_ENV);
	char path[PATH_MAX];
	FILE *f;

	if (dir == NULL || *dir == '\0')
		return;
	snprintf(path, sizeof(path), "%s/%d.exit", dir, (int)m->pid);
	if ((f = fopen(path, "w")) != NULL) {
		fprintf(f, "%d\n", WIFEXITED(m->status) ?
		    WEXITSTATUS(m->status) : 128 + WTERMSIG(m->status));
		fclose(f);
	}
}

int
monitor_wait_exit(struct monitor *m, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	pid_t r;

	if (m->pid <= 0)
		return -1;
	if (m->reaped)
		return 0;
	while (m->out_fd >= 0 || m->err_fd >= 0) {
		if (mono_ms() >= deadline)
			break;
		(void)monitor_pump(m, left_ms(deadline));
	}
	for (;;) {
		r = waitpid(m->pid, &m->status, WNOHANG);
		if (r == m->pid) {
			m->reaped = 1;
			note_exit(m);
			break;
		}
		if (r < 0 && errno != EINTR)
			return -1;
		if (mono_ms() >= deadline) {
			kill(m->pid, SIGKILL);
			while (waitpid(m->pid, &m->status, 0) < 0 &&
			    errno == EINTR)
				;
			m->reaped = 1;
			note_exit(m);
			kaudit_forget((uint32_t)m->pid);
			return -1;
		}
		sleep_ms(5);
	}
	read_notes(m);
	return 0;
}

int
monitor_stop(struct monitor *m, int sig, int timeout_ms)
{
	if (m->pid <= 0 || m->reaped)
		return -1;
	if (kill(m->pid, sig) < 0)
		return -1;
	return monitor_wait_exit(m, timeout_ms);
}

void
monitor_destroy(struct monitor *m)
{
	size_t i;

	if (m->pid > 0 && !m->reaped) {
		kill(m->pid, SIGKILL);
		while (waitpid(m->pid, &m->status, 0) < 0 && errno == EINTR)
			;
		note_exit(m);
		kaudit_forget((uint32_t)m->pid);
	}
	close_fd(&m->out_fd);
	close_fd(&m->err_fd);
	close_fd(&m->notify_fd);
	if (m->sock[0] != '\0')
		(void)unlink(m->sock);
	if (m->dir[0] != '\0')
		(void)rmdir(m->dir);
	for (i = 0; i < m->nevents; i++)
		json_object_put(m->events[i]);
	free(m->events);
	hbuf_free(&m->out);
	hbuf_free(&m->err);
	hbuf_free(&m->notes);
	monitor_init(m);
}

pid_t
violator_spawn(const char *exe, const char *mode, const char *name,
    size_t len)
{
	static const char hx[] = "0123456789abcdef";
	char hex[2 * 64 + 1];
	char *argv[5];
	pid_t pid, parent = getpid();
	size_t i;

	if (name != NULL && len > 64) {
		errno = E2BIG;
		return -1;
	}
	for (i = 0; name != NULL && i < len; i++) {
		hex[2 * i] = hx[(unsigned char)name[i] >> 4];
		hex[2 * i + 1] = hx[(unsigned char)name[i] & 0xf];
	}
	hex[2 * i] = '\0';
	argv[0] = (char *)(uintptr_t)exe;
	argv[1] = (char *)(uintptr_t)mode;
	argv[2] = name != NULL ? (char *)(uintptr_t)"--name" : NULL;
	argv[3] = name != NULL ? hex : NULL;
	argv[4] = NULL;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		child_tie(parent);
		execv(exe, argv);
		_exit(127);
	}
	return pid;
}

pid_t
registrant_spawn(void)
{
	struct registration r;
	pid_t pid, parent = getpid();
	int p[2], status;
	char c = 0;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		child_tie(parent);
		c = registration_take(&r) == 0 ? 'r' : 'x';
		(void)!write(p[1], &c, 1);
		for (;;)
			pause();
	}
	close(p[1]);
	while (read(p[0], &c, 1) < 0 && errno == EINTR)
		;
	close(p[0]);
	if (c != 'r') {
		kill(pid, SIGKILL);
		(void)child_reap(pid, 1000, &status);
		errno = EPERM;
		return -1;
	}
	return pid;
}

int
child_reap(pid_t pid, int timeout_ms, int *status)
{
	int64_t deadline = mono_ms() + timeout_ms;
	pid_t r;

	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (mono_ms() >= deadline)
			break;
		sleep_ms(2);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

json_object *
jpath(json_object *o, const char *path)
{
	char key[128];
	const char *dot;
	size_t n;

	while (o != NULL && *path != '\0') {
		dot = strchr(path, '.');
		n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key) ||
		    !json_object_is_type(o, json_type_object))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (dot != NULL);
	}
	return o;
}

const char *
jpath_str(json_object *o, const char *path, size_t *len)
{
	json_object *v = jpath(o, path);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return NULL;
	if (len != NULL)
		*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

int
jpath_int(json_object *o, const char *path, int64_t *out)
{
	json_object *v = jpath(o, path);

	if (v == NULL || !json_object_is_type(v, json_type_int))
		return -1;
	*out = json_object_get_int64(v);
	return 0;
}

int
jpath_bool(json_object *o, const char *path, int *out)
{
	json_object *v = jpath(o, path);

	if (v == NULL || !json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

/* The actions the tests make the kernel log; all must be in actions_logged. */
static int
actions_logged(char *why, size_t len)
{
	static const char *const wanted[] = {
		"kill_process", "kill_thread", "trap", "errno", "log",
	};
	char buf[256], padded[260], word[32];
	ssize_t n;
	size_t i;
	int fd;

	fd = open("/proc/sys/kernel/seccomp/actions_logged",
	    O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "cannot read /proc/sys/kernel/seccomp/"
		    "actions_logged: %s", strerror(errno));
		return 77;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(padded, sizeof(padded), " %s ", buf);
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		snprintf(word, sizeof(word), " %s ", wanted[i]);
		if (strstr(padded, word) == NULL) {
			snprintf(why, len, "kernel.seccomp.actions_logged "
			    "(\"%s\") lacks %s: the kernel would log nothing "
			    "for it", buf, wanted[i]);
			return 77;
		}
	}
	return 0;
}

static uint32_t saved_limit, saved_wait;

static void
restore_backlog(void)
{
	if (kaudit_set_backlog(saved_limit, saved_wait) < 0)
		fprintf(stderr, "restoring the audit backlog_limit %u and "
		    "backlog_wait_time %u: %s\n", saved_limit, saved_wait,
		    strerror(errno));
}

int
kaudit_preflight(char *why, size_t len)
{
	struct auditmsg_status st;
	struct auditnl *nl;
	int rc = -1;

	if (access(HARNESS_DAEMON, X_OK) < 0 ||
	    access(HARNESS_VIOLATOR, X_OK) < 0) {
		snprintf(why, len, "%s or %s is missing: build them first",
		    HARNESS_DAEMON, HARNESS_VIOLATOR);
		return -1;
	}
	if ((nl = auditnl_open(0, NULL, NULL)) == NULL) {
		snprintf(why, len, "cannot open the audit netlink socket: %s%s",
		    strerror(errno), errno == EPROTONOSUPPORT ?
		    " (kernel without CONFIG_AUDIT)" : "");
		return 77;
	}
	if (auditnl_status(nl, &st) < 0) {
		if (errno == EPERM || errno == EACCES) {
			snprintf(why, len, "AUDIT_GET refused (%s): needs "
			    "CAP_AUDIT_CONTROL in the initial PID namespace",
			    strerror(errno));
			rc = 77;
		} else if (errno == ECONNREFUSED) {
			snprintf(why, len, "AUDIT_GET refused (%s): not in "
			    "the initial user namespace", strerror(errno));
			rc = 77;
		} else
			snprintf(why, len, "AUDIT_GET failed: %s",
			    strerror(errno));
		goto out;
	}
	if (auditnl_join(nl) < 0) {
		if (errno == EPERM) {
			snprintf(why, len, "joining the audit multicast group "
			    "refused (%s): needs CAP_AUDIT_READ",
			    strerror(errno));
			rc = 77;
		} else
			snprintf(why, len, "joining the audit multicast group "
			    "failed: %s", strerror(errno));
		goto out;
	}
	if (st.pid != 0 && (kill((pid_t)st.pid, 0) == 0 || errno == EPERM)) {
		snprintf(why, len, "audit daemon pid %u is registered "
		    "(auditd?): the unicast tests need that registration for "
		    "themselves",
		    st.pid);
		rc = 77;
		goto out;
	}
	rc = actions_logged(why, len);
	if (rc == 0) {
		/* Unicast daemons raise the backlog: put the host's back. */
		saved_limit = st.backlog_limit;
		saved_wait = st.backlog_wait_time;
		if (atexit(restore_backlog) != 0)
			rc = -1;
	}
out:
	auditnl_close(nl);
	return rc;
}

int
proc_status(pid_t pid, const char *key, char *val, size_t len)
{
	char path[64], buf[8192], *p, *e;
	size_t klen = strlen(key), vlen;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (p = buf; p != NULL && *p != '\0'; p = e != NULL ? e + 1 : NULL) {
		e = strchr(p, '\n');
		if (strncmp(p, key, klen) != 0 || p[klen] != ':')
			continue;
		p += klen + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (e != NULL)
			*e = '\0';
		/* "Groups:" ends in a blank. */
		vlen = strlen(p);
		while (vlen > 0 && (p[vlen - 1] == ' ' || p[vlen - 1] == '\t'))
			p[--vlen] = '\0';
		snprintf(val, len, "%s", p);
		return 0;
	}
	errno = ENOENT;
	return -1;
}

int
registration_take(struct registration *r)
{
	int saved;

	if ((r->nl = auditnl_open(0, NULL, NULL)) == NULL)
		return -1;
	if (auditnl_set_pid(r->nl, (uint32_t)getpid()) < 0) {
		saved = errno;
		auditnl_close(r->nl);
		r->nl = NULL;
		errno = saved;
		return -1;
	}
	return 0;
}

int
registration_release(struct registration *r)
{
	int rc, saved;

	if (r->nl == NULL)
		return 0;
	rc = auditnl_set_pid(r->nl, 0);
	saved = errno;
	auditnl_close(r->nl);
	r->nl = NULL;
	errno = saved;
	return rc;
}

/* An audit record on the observer's socket: keep it if it is SECCOMP. */
static void
observer_record(void *arg, uint16_t type, const char *text, size_t len,
    const char *node, size_t node_len)
{
	struct observer *o = arg;
	struct observed *r;
	const char *name;
	size_t cap, n;

	(void)node;
	(void)node_len;
	if (type != AUDIT_SECCOMP)
		return;
	if (o->nrecs == o->caprecs) {
		cap = o->caprecs ? o->caprecs * 2 : 256;
		if ((r = realloc(o->recs, cap * sizeof(*r))) == NULL) {
			/* Not kept: counted as a record that was lost. */
			o->undecodable++;
			return;
		}
		o->recs = r;
		o->caprecs = cap;
	}
	r = &o->recs[o->nrecs];
	memset(r, 0, sizeof(*r));
	r->pid = -1;
	r->sig = -1;
	r->name = "?";
	r->action = "?";
	n = len < sizeof(r->text) - 1 ? len : sizeof(r->text) - 1;
	memcpy(r->text, text, n);
	r->text[n] = '\0';
	if (violation_decode(text, len, o->v) != VIOLATION_OK) {
		o->undecodable++;
		o->nrecs++;
		return;
	}
	if (o->v->present & VF_BIT(VF_PID))
		r->pid = (pid_t)o->v->pid;
	if (o->v->present & VF_BIT(VF_SYSCALL)) {
		r->syscall = o->v->syscall;
		if ((o->v->present & VF_BIT(VF_ARCH)) && (name =
		    systab_syscall_name(o->v->arch, o->v->syscall)) != NULL)
			r->name = name;
	}
	if (o->v->present & VF_BIT(VF_CODE))
		r->action = verdict_of(o->v->code)->action;
	if (o->v->present & VF_BIT(VF_ARCH))
		r->arch = o->v->arch;
	if (o->v->present & VF_BIT(VF_SIG))
		r->sig = o->v->sig;
	o->nrecs++;
}

int
observer_start(struct observer *o, int rcvbuf)
{
	memset(o, 0, sizeof(*o));
	if (systab_init() < 0)
		return -1;
	if ((o->v = malloc(sizeof(*o->v))) == NULL)
		return -1;
	if ((o->nl = auditnl_open(rcvbuf, observer_record, o)) == NULL ||
	    auditnl_join(o->nl) < 0) {
		observer_stop(o);
		return -1;
	}
	observer_now = o;
	return 0;
}

void
observer_watch(struct observer *o, pid_t pid)
{
	if (o->ndaemons < OBSERVER_MAX_DAEMONS)
		o->daemons[o->ndaemons++] = pid;
	else
		o->lost_daemons++;
}

void
observer_unwatch(struct observer *o, pid_t pid)
{
	size_t i;

	for (i = 0; i < o->ndaemons; i++)
		if (o->daemons[i] == pid)
			o->daemons[i] = 0;
}

void
observer_drain(struct observer *o)
{
	if (o->nl != NULL)
		(void)auditnl_drain(o->nl, UINT_MAX);
}

int
observer_sync(struct observer *o, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	struct pollfd pfd;
	pid_t marker;
	int status;

	if (o->nl == NULL)
		return -1;
	if ((marker = violator_spawn(HARNESS_VIOLATOR, "log", NULL, 0)) < 0)
		return -1;
	if (child_reap(marker, timeout_ms, &status) < 0 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != VIOLATOR_SEEN)
		return -1;
	for (;;) {
		observer_drain(o);
		if (observer_count(o, marker) > 0)
			return 0;
		if (mono_ms() >= deadline)
			return -1;
		pfd.fd = auditnl_fd(o->nl);
		pfd.events = POLLIN;
		(void)poll(&pfd, 1, left_ms(deadline));
	}
}

size_t
observer_count(const struct observer *o, pid_t pid)
{
	size_t i, n = 0;

	for (i = 0; i < o->nrecs; i++)
		if (o->recs[i].pid == pid)
			n++;
	return n;
}

const struct observed *
observer_get(const struct observer *o, pid_t pid, size_t k)
{
	size_t i;

	for (i = 0; i < o->nrecs; i++)
		if (o->recs[i].pid == pid && k-- == 0)
			return &o->recs[i];
	return NULL;
}

/* Append to why (always terminated), cutting what does not fit. */
static void
why_add(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
why_add(char *why, size_t len, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

int
observer_check(struct observer *o, int timeout_ms, char *why, size_t len)
{
	const struct auditnl_counters *c;
	const struct observed *r;
	size_t i, j, bad = 0;

	why[0] = '\0';
	if (o->nl == NULL) {
		snprintf(why, len, "no-self-violation check: the observer is "
		    "not running");
		return -1;
	}
	/* No daemon, nothing to wait for. */
	if (o->ndaemons + o->lost_daemons > 0 &&
	    observer_sync(o, timeout_ms) < 0) {
		why_add(why, len, "no-self-violation check: the marker record "
		    "did not arrive within %d ms\n", timeout_ms);
		bad++;
	}
	for (i = 0; i < o->ndaemons; i++) {
		if (o->daemons[i] <= 0)
			continue;
		for (j = 0; (r = observer_get(o, o->daemons[i], j)) != NULL;
		    j++) {
			why_add(why, len, "daemon pid %d broke its own seccomp "
			    "policy: syscall %s (%lld), action %s: %s\n",
			    (int)r->pid, r->name, (long long)r->syscall,
			    r->action, r->text);
			bad++;
		}
	}
	c = auditnl_counters(o->nl);
	if (c->enobufs > 0 || o->undecodable > 0 || o->lost_daemons > 0) {
		why_add(why, len, "no-self-violation check: %llu overflow(s) "
		    "of the observer's socket, %llu record(s) not decoded or "
		    "kept, %zu daemon(s) not watched: records may be "
		    "missing\n",
		    (unsigned long long)c->enobufs,
		    (unsigned long long)o->undecodable, o->lost_daemons);
		bad++;
	}
	return bad ? -1 : 0;
}

void
observer_stop(struct observer *o)
{
	if (observer_now == o)
		observer_now = NULL;
	auditnl_close(o->nl);
	free(o->v);
	free(o->recs);
	memset(o, 0, sizeof(*o));
}

const char *
monitor_err(const struct monitor *m)
{
	return m->err.data != NULL ? m->err.data : "";
}

int
harness_conf_write(const char *path, const char *overlay, char **saved)
{
	const char *base = getenv(HARNESS_CONFIG_ENV);
	json_object *c = NULL, *o;
	FILE *fp;
	int rc = -1;

	/* A second write in one test keeps the value from before the first
	 * and the base it had (the variable points at path by then). */
	if (*saved != NULL)
		base = *saved;
	else if (base != NULL && (*saved = strdup(base)) == NULL)
		return -1;
	if (base != NULL)
		c = json_object_from_file(base);
	if (c == NULL)
		c = json_object_new_object();
	if ((o = json_tokener_parse(overlay)) == NULL ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		json_object_put(c);
		errno = EINVAL;
		return -1;
	}
	{
		json_object_object_foreach(o, key, val)
			json_object_object_add(c, key, json_object_get(val));
	}
	json_object_put(o);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs(json_object_to_json_string(c), fp);
		if (fclose(fp) == 0 &&
		    setenv(HARNESS_CONFIG_ENV, path, 1) == 0)
			rc = 0;
	}
	json_object_put(c);
	return rc;
}

void
harness_conf_restore(char *saved)
{
	if (saved != NULL)
		(void)setenv(HARNESS_CONFIG_ENV, saved, 1);
	else
		(void)unsetenv(HARNESS_CONFIG_ENV);
	free(saved);
}
