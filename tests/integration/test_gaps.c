/*
 * Monitoring-gap reports through the real daemon, each gap made for real
 * and put back afterwards (also when a test fails, and at exit or on a
 * signal): kernel.seccomp.actions_logged without errno, the kernel's audit
 * rate_limit and backlog_limit, processes under filters loaded without and
 * with SECCOMP_FILTER_FLAG_LOG in a cgroup of their own, multicast beside a
 * registered daemon.  Only audit=0 cannot be made without a reboot: that
 * case hides /proc/cmdline behind a file saying audit=0, in a mount
 * namespace of the daemon's own, and says so.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "netlink/auditnl.h"
#include "tests/integration/harness.h"

#define READY_MS	5000	/* start-up to READY=1 */
#define REPORT_MS	5000	/* a report to its events */
#define EVENT_MS	5000	/* a violation to its event */
#define STOP_MS		5000	/* signal to exit */
#define OBSERVER_RCVBUF	(4 << 20)

#define FILTERED	TOP_BUILDDIR "/tests/integration/filtered"
#define ACTIONS_LOGGED	"/proc/sys/kernel/seccomp/actions_logged"

/* ---- What the tests change on the host, and putting it back ---- */

static char saved_actions[256];		/* "" : not changed */
static int have_audit;			/* saved_* hold the values */
static uint32_t saved_rate, saved_backlog;
static char cgroup_dir[PATH_MAX];	/* "" : none made */

static int
write_text(const char *path, const char *text)
{
	size_t n = strlen(text);
	ssize_t w;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	w = write(fd, text, n);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

static int
read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* rate_limit and backlog_limit through the project's own netlink code. */
static int
kaudit_limits(uint32_t *rate, uint32_t *backlog)
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
		*rate = st.rate_limit;
		*backlog = st.backlog_limit;
	}
	return rc;
}

static int
kaudit_set_limits(uint32_t rate, uint32_t backlog)
{
	struct auditnl *nl;
	int rc, saved;

	if ((nl = auditnl_open(0, NULL, NULL)) == NULL)
		return -1;
	rc = auditnl_set_rate_limit(nl, rate);
	if (rc == 0)
		rc = auditnl_set_backlog_limit(nl, backlog);
	saved = errno;
	auditnl_close(nl);
	errno = saved;
	return rc;
}

/* Put back what was changed; safe to call again, and from a handler. */
static void
restore_host(void)
{
	if (saved_actions[0] != '\0') {
		if (write_text(ACTIONS_LOGGED, saved_actions) < 0)
			fprintf(stderr, "test_gaps: RESTORING %s to \"%s\" "
			    "FAILED: %s\n", ACTIONS_LOGGED, saved_actions,
			    strerror(errno));
		else
			saved_actions[0] = '\0';
	}
	if (have_audit) {
		if (kaudit_set_limits(saved_rate, saved_backlog) < 0)
			fprintf(stderr, "test_gaps: RESTORING the audit "
			    "rate_limit %u and backlog_limit %u FAILED: %s\n",
			    saved_rate, saved_backlog, strerror(errno));
		else
			have_audit = 0;
	}
	if (cgroup_dir[0] != '\0' && rmdir(cgroup_dir) == 0)
		cgroup_dir[0] = '\0';
}

static void
on_signal(int sig)
{
	restore_host();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
save_actions(void)
{
	if (saved_actions[0] != '\0')
		return;
	if (read_text(ACTIONS_LOGGED, saved_actions,
	    sizeof(saved_actions)) < 0)
		fail_msg("%s: %s", ACTIONS_LOGGED, strerror(errno));
	if (saved_actions[0] == '\0')
		fail_msg("%s is empty: nothing to put back", ACTIONS_LOGGED);
}

static void
save_limits(void)
{
	if (have_audit)
		return;
	if (kaudit_limits(&saved_rate, &saved_backlog) < 0)
		fail_msg("AUDIT_GET: %s", strerror(errno));
	have_audit = 1;
}

static void
set_limits(uint32_t rate, uint32_t backlog)
{
	save_limits();
	if (kaudit_set_limits(rate, backlog) < 0)
		fail_msg("AUDIT_SET rate_limit %u backlog_limit %u: %s", rate,
		    backlog, strerror(errno));
}

/* ---- Processes under filters ---- */

struct filtered {
	pid_t	 pid;
	int	 in;	/* its stdin: a byte makes a denial */
	int	 out;	/* its stdout: "ready", "denied" */
};

/* Read from f's stdout until line arrives.  0, or -1. */
static int
filtered_wait(struct filtered *f, const char *line)
{
	char buf[64];
	size_t n = 0, k = strlen(line);
	struct pollfd p = { f->out, POLLIN, 0 };
	ssize_t r;

	while (n < k) {
		if (poll(&p, 1, EVENT_MS) <= 0)
			return -1;
		if ((r = read(f->out, buf + n, k - n)) <= 0)
			return -1;
		n += (size_t)r;
	}
	return memcmp(buf, line, k) == 0 ? 0 : -1;
}

static void
filtered_start(struct filtered *f, const char *mode, const char *name)
{
	int in[2], out[2];
	pid_t parent = getpid();

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		fail_msg("pipe: %s", strerror(errno));
	if ((f->pid = fork()) < 0)
		fail_msg("fork: %s", strerror(errno));
	if (f->pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent || dup2(in[0], STDIN_FILENO) < 0 ||
		    dup2(out[1], STDOUT_FILENO) < 0)
			_exit(127);
		execl(FILTERED, FILTERED, mode, name, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f->in = in[1];
	f->out = out[0];
	if (filtered_wait(f, "ready\n") < 0)
		fail_msg("%s %s %s did not start", FILTERED, mode, name);
}

/* One denial; the process says when it made it. */
static void
filtered_deny(struct filtered *f)
{
	if (write(f->in, "x", 1) != 1 || filtered_wait(f, "denied\n") < 0)
		fail_msg("filtered pid %d made no denial", (int)f->pid);
}

static void
filtered_stop(struct filtered *f)
{
	int status;

	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		(void)child_reap(f->pid, STOP_MS, &status);
		f->pid = 0;
	}
	if (f->in > 0)
		close(f->in);
	if (f->out > 0)
		close(f->out);
	f->in = f->out = -1;
}

/* The cgroup v2 mount point, from /proc/self/mounts; -1 when none. */
static int
cgroup2_mount(char *out, size_t len)
{
	char line[1024], dev[256], dir[PATH_MAX], type[64];
	FILE *f;
	int rc = -1;

	if ((f = fopen("/proc/self/mounts", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%255s %4095s %63s", dev, dir, type) == 3 &&
		    strcmp(type, "cgroup2") == 0 && strlen(dir) < len) {
			strcpy(out, dir);
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

/*
 * Move pid into a cgroup v2 directory of its own, named as systemd names a
 * scope unit; the path the kernel shows for it
 * ("/seccompmon-test-gaps-PID.scope") into path, or "" when this host has
 * no cgroup v2 hierarchy.
 */
static void
cgroup_move(pid_t pid, char *path, size_t len)
{
	char mnt[PATH_MAX], procs[PATH_MAX + 32], num[32];

	path[0] = '\0';
	if (cgroup2_mount(mnt, sizeof(mnt)) < 0)
		return;
	snprintf(path, len, "/seccompmon-test-gaps-%d.scope", (int)getpid());
	snprintf(cgroup_dir, sizeof(cgroup_dir), "%s%s", mnt, path);
	if (mkdir(cgroup_dir, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", cgroup_dir, strerror(errno));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup_dir);
	snprintf(num, sizeof(num), "%d", (int)pid);
	if (write_text(procs, num) < 0)
		fail_msg("moving pid %d into %s: %s", (int)pid, cgroup_dir,
		    strerror(errno));
}

/* ---- The daemon and its gap events ---- */

struct gaps_test {
	struct monitor		 m;
	struct filtered		 f[2];
	pid_t			 registrant;
	struct observer		 obs;
	char			 conf[64];	/* a config file made; "" */
};

static int
setup(void **state)
{
	struct gaps_test *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	monitor_init(&t->m);
	t->f[0].in = t->f[0].out = t->f[1].in = t->f[1].out = -1;
	if (observer_start(&t->obs, OBSERVER_RCVBUF) < 0) {
		fprintf(stderr, "observer: %s\n", strerror(errno));
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

/*
 * The host put back first, whatever happened; then the observer's verdict
 * on the daemons' own records (a call the report makes outside the
 * built-in list would show there).
 */
static int
teardown(void **state)
{
	struct gaps_test *t = *state;
	char why[4096];
	int status, rc = 0;

	monitor_destroy(&t->m);
	filtered_stop(&t->f[0]);
	filtered_stop(&t->f[1]);
	if (t->registrant > 0) {
		kill(t->registrant, SIGKILL);
		(void)child_reap(t->registrant, STOP_MS, &status);
		kaudit_forget((uint32_t)t->registrant);
	}
	restore_host();
	if (t->conf[0] != '\0')
		(void)unlink(t->conf);
	if (observer_check(&t->obs, EVENT_MS, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&t->obs);
	free(t);
	return rc;
}

static void
start(struct monitor *m, const char *mode, const char *config)
{
	const char *args[5] = { "--socket", mode, NULL, NULL, NULL };
	char why[1024];

	if (config != NULL) {
		args[2] = "--config";
		args[3] = config;
	}
	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("no READY=1 within %d ms (--socket %s); stderr:\n%s",
		    READY_MS, mode, monitor_err(m));
	if (monitor_sandbox(m, "test_gaps", why, sizeof(why)) < 0)
		fail_msg("%s", why);
}

/* Occurrences of text on the daemon's stderr. */
static size_t
err_count(const struct monitor *m, const char *text)
{
	const char *p = monitor_err(m);
	size_t n = 0;

	while ((p = strstr(p, text)) != NULL) {
		n++;
		p += strlen(text);
	}
	return n;
}

/*
 * Wait for report number n (1: the start one) of the kind named in why to
 * be logged, then until every output line it made has arrived: the
 * events of a report are queued before its line is logged, and the
 * stream's writer is given until a later line (or a pause) shows up.
 * Returns the index of the first event after the report's, to look from.
 */
static size_t
wait_report(struct monitor *m, const char *why, size_t n)
{
	char text[64];
	int64_t deadline = mono_ms() + REPORT_MS;

	snprintf(text, sizeof(text), "monitoring gaps (%s): ", why);
	while (err_count(m, text) < n) {
		if (mono_ms() >= deadline)
			fail_msg("no \"%s\" line #%zu within %d ms; "
			    "stderr:\n%s", text, n, REPORT_MS, monitor_err(m));
		if (monitor_pump(m, 100) < 0)
			fail_msg("the daemon went away; stderr:\n%s",
			    monitor_err(m));
	}
	monitor_linger(m, 300);
	return m->nevents;
}

/* The monitoring-gap events with reason among events [from, to). */
static json_object *
find_gap(const struct monitor *m, size_t from, size_t to, const char *reason)
{
	const char *a, *r;
	json_object *found = NULL;
	size_t i;

	for (i = from; i < to && i < m->nevents; i++) {
		a = jpath_str(m->events[i], "event.action", NULL);
		r = jpath_str(m->events[i], "seccompmon.gap.reason", NULL);
		if (a != NULL && strcmp(a, "monitoring-gap") == 0 &&
		    r != NULL && strcmp(r, reason) == 0) {
			if (found != NULL)
				fail_msg("two %s events in one report", reason);
			found = m->events[i];
		}
	}
	return found;
}

/* Events of the report that ended at index to (started at from). */
static json_object *
want_gap(const struct monitor *m, size_t from, size_t to, const char *reason)
{
	json_object *g = find_gap(m, from, to, reason);

	if (g == NULL)
		fail_msg("no %s gap among events %zu..%zu; stderr:\n%s", reason,
		    from, to, monitor_err(m));
	return g;
}

static int64_t
int_at(json_object *o, const char *path)
{
	int64_t v;

	if (jpath_int(o, path, &v) < 0)
		fail_msg("%s: not an integer in %s", path,
		    json_object_to_json_string(o));
	return v;
}

/* A report: SIGUSR1, then its events; [*from, return) holds them. */
static size_t
usr1_report(struct gaps_test *t, size_t n, size_t *from)
{
	*from = t->m.nevents;
	if (kill(t->m.pid, SIGUSR1) < 0)
		fail_msg("SIGUSR1: %s", strerror(errno));
	return wait_report(&t->m, "SIGUSR1", n);
}

static void
stop(struct monitor *m)
{
	if (monitor_stop(m, SIGTERM, STOP_MS) < 0)
		fail_msg("the daemon did not stop within %d ms", STOP_MS);
	if (!WIFEXITED(m->status) || WEXITSTATUS(m->status) != 0)
		fail_msg("the daemon ended with status 0x%x; stderr:\n%s",
		    m->status, monitor_err(m));
	if (m->bad_lines > 0)
		fail_msg("%zu output lines were not one JSON object: %s",
		    m->bad_lines, m->first_bad);
}

/* ---- The tests ---- */

/*
 * errno removed from actions_logged: the start report names it, as the
 * only missing action; put back, the next report has no such gap.
 */
static void
gaps__actions_logged_without_errno__gap_names_errno(void **state)
{
	struct gaps_test *t = *state;
	json_object *g, *missing, *logged;
	size_t from, to, i;

	save_actions();
	if (write_text(ACTIONS_LOGGED, "kill_process kill_thread trap "
	    "user_notif trace log") < 0)
		fail_msg("writing %s: %s", ACTIONS_LOGGED, strerror(errno));
	start(&t->m, "multicast", NULL);
	to = wait_report(&t->m, "start", 1);
	g = want_gap(&t->m, 0, to, "actions_not_logged");
	missing = jpath(g, "seccompmon.gap.actions.missing");
	logged = jpath(g, "seccompmon.gap.actions.logged");
	assert_non_null(missing);
	assert_non_null(logged);
	assert_string_equal(json_object_to_json_string_ext(missing,
	    JSON_C_TO_STRING_PLAIN), "[\"errno\"]");
	for (i = 0; i < json_object_array_length(logged); i++)
		assert_string_not_equal(json_object_get_string(
		    json_object_array_get_idx(logged, i)), "errno");
	assert_non_null(strstr(jpath_str(g, "message", NULL),
	    "seccomp action(s) errno:"));
	assert_non_null(strstr(monitor_err(&t->m), "monitoring gap: The kernel "
	    "writes no record of the seccomp action(s) errno"));

	restore_host();		/* read afresh at every report */
	to = usr1_report(t, 1, &from);
	assert_null(find_gap(&t->m, from, to, "actions_not_logged"));
	stop(&t->m);
}

/*
 * A rate limit and a small backlog, seen by a multicast daemon at
 * start-up: both reported with their values, "as of start-up"; still so
 * after they are put back, since the daemon cannot read them any more.
 */
static void
gaps__rate_limit_and_backlog_multicast__as_of_startup(void **state)
{
	struct gaps_test *t = *state;
	json_object *g;
	size_t from, to;
	int v;

	set_limits(100000, 100);
	start(&t->m, "multicast", NULL);
	to = wait_report(&t->m, "start", 1);
	g = want_gap(&t->m, 0, to, "audit_rate_limit");
	assert_int_equal(int_at(g, "seccompmon.gap.audit.rate_limit"), 100000);
	assert_int_equal(jpath_bool(g, "seccompmon.gap.audit.as_of_startup",
	    &v), 0);
	assert_true(v);
	assert_non_null(strstr(jpath_str(g, "message", NULL),
	    "beyond 100000 a second (audit rate_limit, as of start-up)"));
	g = want_gap(&t->m, 0, to, "audit_backlog_small");
	assert_int_equal(int_at(g, "seccompmon.gap.audit.backlog_limit"), 100);
	assert_int_equal(jpath_bool(g, "seccompmon.gap.audit.as_of_startup",
	    &v), 0);

	restore_host();
	to = usr1_report(t, 1, &from);
	g = want_gap(&t->m, from, to, "audit_rate_limit");
	assert_int_equal(int_at(g, "seccompmon.gap.audit.rate_limit"), 100000);
	stop(&t->m);
}

/*
 * Unicast: the daemon reads the status every second, so the report is
 * current: no start-up mark, the backlog raised to 8192 by the daemon is
 * no gap, the rate limit is, and once it is back to 0 it is not; and
 * there is no multicast gap.
 */
static void
gaps__rate_limit_unicast__current_values(void **state)
{
	struct gaps_test *t = *state;
	json_object *g;
	size_t from, to;
	int v;

	set_limits(100000, 64);
	start(&t->m, "unicast", NULL);
	to = wait_report(&t->m, "start", 1);
	g = want_gap(&t->m, 0, to, "audit_rate_limit");
	assert_int_equal(int_at(g, "seccompmon.gap.audit.rate_limit"), 100000);
	assert_int_equal(jpath_bool(g, "seccompmon.gap.audit.as_of_startup",
	    &v), -1);
	assert_null(strstr(jpath_str(g, "message", NULL), "start-up"));
	assert_null(find_gap(&t->m, 0, to, "audit_backlog_small"));
	assert_null(find_gap(&t->m, 0, to, "multicast_not_registered"));

	if (kaudit_set_limits(0, 8192) < 0)
		fail_msg("AUDIT_SET rate_limit 0: %s", strerror(errno));
	monitor_linger(&t->m, 1500);	/* a tick reads it */
	to = usr1_report(t, 1, &from);
	assert_null(find_gap(&t->m, from, to, "audit_rate_limit"));
	stop(&t->m);
}

/*
 * A process under a filter loaded without SECCOMP_FILTER_FLAG_LOG, in a
 * cgroup of its own: listed as a group that may not log, with its cgroup,
 * name, count and pid, not marked as seen logging; the daemon itself is
 * in no group.
 */
static void
gaps__filter_without_log_flag__group_may_not_log(void **state)
{
	struct gaps_test *t = *state;
	json_object *g, *groups, *gr, *mine = NULL;
	char cg[PATH_MAX];
	size_t to, i, j;
	int64_t pid;
	int v;

	filtered_start(&t->f[0], "nolog", "sm-gap-nolog");
	cgroup_move(t->f[0].pid, cg, sizeof(cg));
	filtered_deny(&t->f[0]);	/* not logged: no record, no mark */
	start(&t->m, "multicast", NULL);
	to = wait_report(&t->m, "start", 1);
	g = want_gap(&t->m, 0, to, "filters_may_not_log");
	assert_true(int_at(g, "seccompmon.gap.processes") >= 1);
	groups = jpath(g, "seccompmon.gap.groups");
	assert_non_null(groups);
	for (i = 0; i < json_object_array_length(groups); i++) {
		gr = json_object_array_get_idx(groups, i);
		for (j = 0; j < json_object_array_length(jpath(gr, "pids"));
		    j++) {
			pid = json_object_get_int64(json_object_array_get_idx(
			    jpath(gr, "pids"), j));
			assert_int_not_equal(pid, t->m.pid);
			if (pid == t->f[0].pid)
				mine = gr;
		}
	}
	if (mine == NULL)
		fail_msg("pid %d is in no group: %s", (int)t->f[0].pid,
		    json_object_to_json_string(g));
	assert_string_equal(jpath_str(mine, "name", NULL), "sm-gap-nolog");
	assert_int_equal(int_at(mine, "count"), 1);
	if (cg[0] != '\0') {
		assert_string_equal(jpath_str(mine, "cgroup", NULL), cg);
		/* What the path names, as the violations' context reads it. */
		assert_string_equal(jpath_str(mine, "service", NULL), cg + 1);
		assert_null(jpath(mine, "container_id"));
	} else
		fprintf(stderr, "test_gaps: no cgroup v2 hierarchy here: the "
		    "group's cgroup is not checked\n");
	assert_int_equal(jpath_bool(mine, "logs_seen", &v), -1);
	assert_non_null(strstr(jpath_str(g, "seccompmon.gap.remedy", NULL),
	    "SECCOMP_FILTER_FLAG_LOG"));
	stop(&t->m);
}

/* The group of the process pid in gap g, or NULL. */
static json_object *
group_of(json_object *g, pid_t pid)
{
	json_object *groups = jpath(g, "seccompmon.gap.groups"), *gr, *pids;
	size_t i, j;

	for (i = 0; groups != NULL && i < json_object_array_length(groups);
	    i++) {
		gr = json_object_array_get_idx(groups, i);
		pids = jpath(gr, "pids");
		for (j = 0; pids != NULL && j < json_object_array_length(pids);
		    j++)
			if (json_object_get_int64(json_object_array_get_idx(
			    pids, j)) == pid)
				return gr;
	}
	return NULL;
}

/*
 * A filter loaded WITH the flag is still only "may" at first (nothing
 * outside can read the flag); once the daemon has received one of its
 * errno denials, its group is marked logs_seen, and the other process's
 * (no flag, its denial unlogged) is not.
 */
static void
gaps__filter_with_log_flag_seen_denying__logs_seen(void **state)
{
	struct gaps_test *t = *state;
	json_object *g, *gr;
	size_t from, to;
	int v;

	filtered_start(&t->f[0], "log", "sm-gap-log");
	filtered_start(&t->f[1], "nolog", "sm-gap-nolog");
	start(&t->m, "multicast", NULL);
	to = wait_report(&t->m, "start", 1);
	g = want_gap(&t->m, 0, to, "filters_may_not_log");
	assert_non_null(gr = group_of(g, t->f[0].pid));
	assert_string_equal(jpath_str(gr, "name", NULL), "sm-gap-log");
	assert_int_equal(jpath_bool(gr, "logs_seen", &v), -1);

	filtered_deny(&t->f[0]);
	filtered_deny(&t->f[1]);
	if (monitor_wait_events(&t->m, t->f[0].pid, 1, EVENT_MS) != 1)
		fail_msg("no event for the logged denial of pid %d",
		    (int)t->f[0].pid);
	assert_string_equal(jpath_str(monitor_event(&t->m, t->f[0].pid, 0),
	    "seccomp.action", NULL), "errno");
	to = usr1_report(t, 1, &from);
	g = want_gap(&t->m, from, to, "filters_may_not_log");
	assert_non_null(gr = group_of(g, t->f[0].pid));
	assert_int_equal(jpath_bool(gr, "logs_seen", &v), 0);
	assert_true(v);
	assert_non_null(gr = group_of(g, t->f[1].pid));
	assert_string_equal(jpath_str(gr, "name", NULL), "sm-gap-nolog");
	assert_int_equal(jpath_bool(gr, "logs_seen", &v), -1);
	assert_int_equal(monitor_count(&t->m, t->f[1].pid), 0);
	stop(&t->m);
}

/*
 * Multicast beside a registered daemon: the gap names its pid and name,
 * as of start-up; with none registered, pid 0.
 */
static void
gaps__multicast_beside_registered__names_the_daemon(void **state)
{
	struct gaps_test *t = *state;
	json_object *g;
	size_t to;
	int v;

	start(&t->m, "multicast", NULL);
	to = wait_report(&t->m, "start", 1);
	g = want_gap(&t->m, 0, to, "multicast_not_registered");
	assert_int_equal(int_at(g, "seccompmon.gap.audit.pid"), 0);
	assert_non_null(strstr(jpath_str(g, "message", NULL),
	    "no audit daemon is registered (as of start-up)"));
	stop(&t->m);

	monitor_destroy(&t->m);
	monitor_init(&t->m);
	if ((t->registrant = registrant_spawn()) < 0)
		fail_msg("a registrant: %s", strerror(errno));
	start(&t->m, "multicast", NULL);
	to = wait_report(&t->m, "start", 1);
	g = want_gap(&t->m, 0, to, "multicast_not_registered");
	assert_int_equal(int_at(g, "seccompmon.gap.audit.pid"),
	    t->registrant);
	assert_string_equal(jpath_str(g, "seccompmon.gap.audit.daemon", NULL),
	    "test_gaps");
	assert_int_equal(jpath_bool(g, "seccompmon.gap.audit.as_of_startup",
	    &v), 0);
	assert_true(v);
	stop(&t->m);
}

/* "gaps": {"enabled": false}: no monitoring-gap event, not on SIGUSR1. */
static void
gaps__disabled__no_gap_events(void **state)
{
	struct gaps_test *t = *state;
	const char *a;
	size_t i;
	int fd;

	if (getenv(HARNESS_CONFIG_ENV) != NULL) {
		/* Its --config would come after ours and win. */
		fprintf(stderr, "test_gaps: with %s set, the disabled case is "
		    "not run\n", HARNESS_CONFIG_ENV);
		return;
	}
	snprintf(t->conf, sizeof(t->conf), "/tmp/test_gaps.XXXXXX");
	if ((fd = mkstemp(t->conf)) < 0)
		fail_msg("mkstemp: %s", strerror(errno));
	if (write(fd, "{\"gaps\": {\"enabled\": false}}\n", 29) != 29)
		fail_msg("writing %s", t->conf);
	close(fd);
	start(&t->m, "multicast", t->conf);
	if (kill(t->m.pid, SIGUSR1) < 0)
		fail_msg("SIGUSR1: %s", strerror(errno));
	monitor_linger(&t->m, 1500);
	stop(&t->m);
	for (i = 0; i < t->m.nevents; i++) {
		a = jpath_str(t->m.events[i], "event.action", NULL);
		assert_true(a == NULL || strcmp(a, "monitoring-gap") != 0);
	}
	assert_null(strstr(monitor_err(&t->m), "monitoring gap"));
}

/*
 * audit=0 at boot leaves the kernel without an audit socket, which no test
 * can make without a reboot.  The daemon's own mount namespace shows it a
 * /proc/cmdline that says audit=0: it must write the one gap event to its
 * output, say why on stderr, and exit 1 without touching the socket.
 */
static void
gaps__audit_off_on_cmdline__gap_then_exit_1(void **state)
{
	char fake[] = "/tmp/test_gaps_cmdline.XXXXXX";
	char out[] = "/tmp/test_gaps_out.XXXXXX";
	char buf[8192];
	json_object *o;
	ssize_t n;
	pid_t pid;
	int fd, ofd = -1, status, rdfd;

	(void)state;
	if ((fd = mkstemp(fake)) < 0 || (ofd = mkstemp(out)) < 0)
		fail_msg("mkstemp: %s", strerror(errno));
	if (write(fd, "ro quiet audit=0 -- init\n", 25) != 25)
		fail_msg("writing %s", fake);
	close(fd);
	if ((pid = fork()) < 0)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount(fake, "/proc/cmdline", NULL, MS_BIND, NULL) < 0)
			_exit(126);
		if ((rdfd = open("/dev/null", O_RDWR)) < 0 ||
		    dup2(rdfd, STDIN_FILENO) < 0 ||
		    dup2(ofd, STDOUT_FILENO) < 0 ||
		    dup2(ofd, STDERR_FILENO) < 0)
			_exit(127);
		execl(HARNESS_DAEMON, HARNESS_DAEMON, "--socket", "multicast",
		    (char *)NULL);
		_exit(127);
	}
	close(ofd);
	if (child_reap(pid, STOP_MS, &status) < 0)
		fail_msg("the daemon did not end within %d ms", STOP_MS);
	(void)unlink(fake);
	if ((fd = open(out, O_RDONLY | O_CLOEXEC)) < 0)
		fail_msg("%s: %s", out, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	(void)unlink(out);
	buf[n > 0 ? n : 0] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 126)
		fail_msg("no mount namespace for the test (status 0x%x)",
		    status);
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_non_null(strstr(buf, "Audit was disabled at boot (audit=0 on "
	    "the kernel command line)"));
	assert_null(strstr(buf, "listening for SECCOMP records"));
	/* stdout and stderr share the file: find the event's line. */
	{
		char *line = strstr(buf, "{\"@timestamp\"");
		char *nl;

		assert_non_null(line);
		assert_non_null(nl = strchr(line, '\n'));
		*nl = '\0';
		assert_non_null(o = json_tokener_parse(line));
	}
	assert_string_equal(jpath_str(o, "event.action", NULL),
	    "monitoring-gap");
	assert_string_equal(jpath_str(o, "seccompmon.gap.reason", NULL),
	    "audit_disabled_at_boot");
	json_object_put(o);
}

#define GAPS(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		GAPS(gaps__actions_logged_without_errno__gap_names_errno),
		GAPS(gaps__rate_limit_and_backlog_multicast__as_of_startup),
		GAPS(gaps__rate_limit_unicast__current_values),
		GAPS(gaps__filter_without_log_flag__group_may_not_log),
		GAPS(gaps__filter_with_log_flag_seen_denying__logs_seen),
		GAPS(gaps__multicast_beside_registered__names_the_daemon),
		GAPS(gaps__disabled__no_gap_events),
		GAPS(gaps__audit_off_on_cmdline__gap_then_exit_1),
	};
	char why[512];
	int lock, rc;

	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_gaps: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_gaps: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_gaps: %s\n", why);
		return 99;
	}
	if (access(FILTERED, X_OK) < 0) {
		fprintf(stderr, "test_gaps: %s is missing: build it first\n",
		    FILTERED);
		return 99;
	}
	/* What the tests change is put back also when they are cut short. */
	if (atexit(restore_host) != 0) {
		fprintf(stderr, "test_gaps: atexit failed\n");
		return 99;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	rc = cmocka_run_group_tests_name("gaps", tests, NULL, NULL);
	restore_host();
	close(lock);
	return rc == 0 ? 0 : 1;
}
