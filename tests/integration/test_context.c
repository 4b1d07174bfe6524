/*
 * Process context against the real kernel: a process that is there when
 * its record is read (live: arguments, directory, parent, start), one that
 * is gone and was never seen (gone: the record's fields only), one seen
 * once and gone by its next record (cached), its pid then taken by a newer
 * process (still cached, never the newcomer's), and one that ran another
 * program since (no arguments).  The daemon is stopped (SIGSTOP) to make
 * "before its record is read" certain rather than a race.  The children
 * are this program run again with --child, so their arguments are known.
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <seccomp.h>
#include <cmocka.h>

#include "tests/integration/harness.h"

#define READY_MS	5000
#define EVENT_MS	5000
#define STOP_MS		5000

/* An argument with a blank, a quote and a control byte: JSON must hold. */
#define ODD_ARG		"a \"b\"\x01"

struct fix {
	struct monitor	 m;
	struct observer	 obs;
	char		 dir[64];	/* the children's working directory */
	char		 conf[96];
	char		*saved_conf;
	char		 self[PATH_MAX];
	pid_t		 kids[4];
};

/* ---- The child: this program with --child MODE ---- */

/* A filter that logs getppid (SCMP_ACT_LOG: always recorded). */
static int
log_getppid(void)
{
	scmp_filter_ctx ctx;
	int rc = -1;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return -1;
	if (seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) == 0 &&
	    seccomp_load(ctx) == 0)
		rc = 0;
	seccomp_release(ctx);
	return rc;
}

/*
 * No capabilities: the daemon (which keeps at most two) may then read the
 * child's /proc/PID/cwd, as ptrace's read check allows.
 */
static int
drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	return (int)syscall(SYS_capset, &h, d);
}

/*
 * hold: violate, wait for SIGUSR1, violate again, exit.  exec: violate,
 * wait for SIGUSR1, become /bin/sleep.  Each step is said on stdout.
 */
static int
child(const char *mode)
{
	sigset_t set;
	int sig, fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	/* A login uid, so that the record's auid= names someone: root. */
	if ((fd = open("/proc/self/loginuid", O_WRONLY)) < 0 ||
	    write(fd, "0", 1) != 1 || close(fd) < 0)
		return 3;
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 || drop_caps() < 0 ||
	    log_getppid() < 0)
		return 3;
	/*
	 * Past the start-time slack (reporter/procctx.h): a process whose
	 * name changed since would otherwise look like a newer one.
	 */
	usleep(100 * 1000);
	(void)syscall(SYS_getppid);
	if (write(STDOUT_FILENO, "1", 1) != 1 || sigwait(&set, &sig) != 0)
		return 3;
	if (strcmp(mode, "exec") == 0) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		return 3;
	}
	(void)syscall(SYS_getppid);
	return 0;
}

/*
 * Start a child in f->dir with arguments --child MODE ODD_ARG; wait until
 * it made its first record.  Its pid.
 */
static pid_t
spawn(struct fix *f, const char *mode)
{
	int p[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (dup2(p[1], STDOUT_FILENO) < 0 || chdir(f->dir) < 0)
			_exit(3);
		execl(f->self, f->self, "--child", mode, ODD_ARG, (char *)NULL);
		_exit(3);
	}
	assert_true(pid > 0);
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		fail_msg("child %s did not violate", mode);
	close(p[0]);
	return pid;
}

static void
reap(pid_t pid)
{
	int status;

	assert_int_equal(child_reap(pid, STOP_MS, &status), 0);
}

/* ---- The daemon ---- */

static void
write_conf(struct fix *f, const char *context, int landlock)
{
	char overlay[PATH_MAX + 128];

	snprintf(overlay, sizeof(overlay), "{\"storm\":{\"enabled\":false}"
	    "%s%s%s}", context != NULL ? ",\"context\":" : "",
	    context != NULL ? context : "",
	    landlock ? "" : ",\"landlock\":{\"enabled\":false}");
	assert_int_equal(harness_conf_write(f->conf, overlay,
	    &f->saved_conf), 0);
}

static void
start_with(struct fix *f, const char *context, int landlock)
{
	static const char *const args[] = { "--socket", "multicast", NULL };
	char why[1024];

	write_conf(f, context, landlock);
	if (monitor_start(&f->m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_ready(&f->m, READY_MS) < 0)
		fail_msg("no READY=1; stderr:\n%s", monitor_err(&f->m));
	if (monitor_sandbox(&f->m, "test_context", why, sizeof(why)) < 0)
		fail_msg("%s", why);
}

static void
start(struct fix *f)
{
	start_with(f, NULL, 1);
}

static void
pause_daemon(struct fix *f, int sig)
{
	assert_int_equal(kill(f->m.pid, sig), 0);
}

/* The i-th event of pid (waiting for it). */
static json_object *
event_of(struct fix *f, pid_t pid, size_t i)
{
	if (monitor_wait_events(&f->m, pid, i + 1, EVENT_MS) < i + 1)
		fail_msg("no event %zu for pid %d; stderr:\n%s", i, (int)pid,
		    monitor_err(&f->m));
	return monitor_event(&f->m, pid, i);
}

static void
want_str(json_object *o, const char *path, const char *want)
{
	const char *got = jpath_str(o, path, NULL);

	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: \"%s\", expected \"%s\" in %s", path,
		    got ? got : "(absent)", want, json_object_to_json_string(o));
}

static void
want_absent(json_object *o, const char *path)
{
	if (jpath(o, path) != NULL)
		fail_msg("%s present in %s", path,
		    json_object_to_json_string(o));
}

/* The arguments are exactly the child's, and joined in command_line. */
static void
want_args(struct fix *f, json_object *o, const char *mode)
{
	json_object *a = jpath(o, "process.args");
	char line[PATH_MAX + 64];
	int64_t n;

	if (a == NULL || !json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != 4)
		fail_msg("process.args not the child's 4: %s",
		    json_object_to_json_string(o));
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(a, 0)), f->self);
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(a, 1)), "--child");
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(a, 2)), mode);
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(a, 3)), ODD_ARG);
	assert_int_equal(jpath_int(o, "process.args_count", &n), 0);
	assert_int_equal(n, 4);
	snprintf(line, sizeof(line), "%s --child %s %s", f->self, mode,
	    ODD_ARG);
	want_str(o, "process.command_line", line);
}

/* process.start: within 5 s before now, and the same in both events. */
static void
want_start(json_object *o, const char *same_as)
{
	const char *s = jpath_str(o, "process.start", NULL);
	struct tm tm;
	time_t t;

	if (s == NULL)
		fail_msg("no process.start in %s", json_object_to_json_string(o));
	memset(&tm, 0, sizeof(tm));
	assert_non_null(strptime(s, "%Y-%m-%dT%H:%M:%S", &tm));
	t = timegm(&tm);
	if (t > time(NULL) + 1 || t < time(NULL) - 5)
		fail_msg("process.start %s is not a few seconds ago", s);
	if (same_as != NULL)
		assert_string_equal(s, same_as);
}

/* ---- Tests ---- */

/*
 * landlock: the daemon runs confined (the default), and a Landlock domain
 * fails ptrace's check on every other process: no working directory.
 */
static void
alive_when_read(struct fix *f, int landlock)
{
	json_object *o;
	int64_t ppid;
	pid_t pid;

	start_with(f, NULL, landlock);
	pid = f->kids[0] = spawn(f, "hold");
	o = event_of(f, pid, 0);
	want_str(o, "seccompmon.context", "live");
	want_args(f, o, "hold");
	if (landlock)
		want_absent(o, "process.working_directory");
	else
		want_str(o, "process.working_directory", f->dir);
	assert_int_equal(jpath_int(o, "process.parent.pid", &ppid), 0);
	assert_int_equal(ppid, getpid());
	want_start(o, NULL);
	want_str(o, "user.name", "root");
	want_str(o, "user.group.name", "root");
	want_str(o, "auditd.auid", "0");
	want_str(o, "auditd.auid_name", "root");
	kill(pid, SIGUSR1);
	reap(pid);
	f->kids[0] = 0;
}

static void
context__process_alive_when_read__live_args_parent_start(void **state)
{
	alive_when_read(*state, 1);
}

static void
context__landlock_off__working_directory_too(void **state)
{
	alive_when_read(*state, 0);
}

static void
context__gone_before_read_never_seen__gone_record_fields_only(void **state)
{
	struct fix *f = *state;
	json_object *o;
	pid_t pid;

	start(f);
	pause_daemon(f, SIGSTOP);
	pid = f->kids[0] = spawn(f, "hold");
	kill(pid, SIGUSR1);
	reap(pid);
	f->kids[0] = 0;
	pause_daemon(f, SIGCONT);
	o = event_of(f, pid, 0);
	want_str(o, "seccompmon.context", "gone");
	want_absent(o, "process.args");
	want_absent(o, "process.start");
	want_absent(o, "process.parent");
	want_absent(o, "process.working_directory");
	/* The record's own fields and the user's name remain. */
	want_str(o, "process.name", "test_context");
	want_str(o, "user.name", "root");
	o = event_of(f, pid, 1);
	want_str(o, "seccompmon.context", "gone");
}

/*
 * Seen alive at its first record; gone by its second.  With reuse, its pid
 * belongs to a newer process (made with ns_last_pid) when the second is
 * read: the event still carries the first process's context.
 */
static void
seen_then_gone(struct fix *f, int reuse)
{
	json_object *o;
	const char *start0;
	char first_start[64];
	pid_t pid, newer = 0;
	FILE *fp;
	int tries;

	start(f);
	pid = f->kids[0] = spawn(f, "hold");
	o = event_of(f, pid, 0);
	want_str(o, "seccompmon.context", "live");
	start0 = jpath_str(o, "process.start", NULL);
	assert_non_null(start0);
	snprintf(first_start, sizeof(first_start), "%s", start0);
	/*
	 * Records are stamped by a clock that ticks every few ms: one made
	 * in the tick the daemon saw the process alive in counts as seen
	 * alive.  The second record comes well after.
	 */
	usleep(50 * 1000);
	pause_daemon(f, SIGSTOP);
	kill(pid, SIGUSR1);
	reap(pid);
	f->kids[0] = 0;
	if (reuse) {
		/* Past the slack between record and start times. */
		usleep(100 * 1000);
		for (tries = 0; tries < 50 && newer != pid; tries++) {
			if (newer > 0) {
				kill(newer, SIGKILL);
				reap(newer);
			}
			assert_non_null(fp = fopen(
			    "/proc/sys/kernel/ns_last_pid", "w"));
			fprintf(fp, "%d", (int)pid - 1);
			assert_int_equal(fclose(fp), 0);
			if ((newer = fork()) == 0) {
				execl("/bin/sleep", "sleep", "30",
				    (char *)NULL);
				_exit(3);
			}
			assert_true(newer > 0);
			f->kids[1] = newer;
		}
		if (newer != pid)
			fail_msg("could not get pid %d again", (int)pid);
	}
	pause_daemon(f, SIGCONT);
	o = event_of(f, pid, 1);
	want_str(o, "seccompmon.context", "cached");
	want_args(f, o, "hold");
	want_start(o, first_start);
	if (reuse) {
		/* The newcomer is there, and not taken for the violator. */
		assert_int_equal(kill(newer, 0), 0);
		kill(newer, SIGKILL);
		reap(newer);
		f->kids[1] = 0;
	}
}

static void
context__seen_then_gone_before_next_record__cached(void **state)
{
	seen_then_gone(*state, 0);
}

static void
context__pid_reused_before_record_read__cached_not_newcomer(void **state)
{
	seen_then_gone(*state, 1);
}

/* An execve after the record: the new program's arguments are not its. */
static void
context__exec_since_record__no_arguments(void **state)
{
	struct fix *f = *state;
	json_object *o;
	pid_t pid;

	start(f);
	pause_daemon(f, SIGSTOP);
	pid = f->kids[0] = spawn(f, "exec");
	kill(pid, SIGUSR1);
	/* Wait until it is sleep(1). */
	for (int i = 0; i < 200; i++) {
		char path[64], comm[32] = "";
		FILE *fp;

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		if ((fp = fopen(path, "r")) != NULL) {
			if (fgets(comm, sizeof(comm), fp) == NULL)
				comm[0] = '\0';
			fclose(fp);
		}
		if (strcmp(comm, "sleep\n") == 0)
			break;
		usleep(10 * 1000);
	}
	pause_daemon(f, SIGCONT);
	o = event_of(f, pid, 0);
	want_str(o, "seccompmon.context", "live");
	want_absent(o, "process.args");
	want_absent(o, "process.working_directory");
	want_start(o, NULL);
	kill(pid, SIGKILL);
	reap(pid);
	f->kids[0] = 0;
}

/* Write a passwd file naming uid 0 name, replaced by rename as useradd does. */
static void
write_passwd(const char *path, const char *name)
{
	char tmp[PATH_MAX];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s+", path);
	assert_non_null(fp = fopen(tmp, "w"));
	fprintf(fp, "%s:x:0:0:root:/root:/bin/sh\n", name);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(rename(tmp, path), 0);
}

/* The configured passwd file, read again once it is replaced. */
static void
context__passwd_replaced__new_name_within_two_seconds(void **state)
{
	struct fix *f = *state;
	char path[PATH_MAX], conf[PATH_MAX + 64];
	json_object *o;
	pid_t pid;
	size_t n = 0;
	int64_t until;

	snprintf(path, sizeof(path), "%s.passwd", f->dir);
	write_passwd(path, "first");
	snprintf(conf, sizeof(conf), "{\"passwd\":\"%s\"}", path);
	start_with(f, conf, 1);
	pid = f->kids[0] = spawn(f, "hold");
	o = event_of(f, pid, 0);
	want_str(o, "user.name", "first");
	kill(pid, SIGUSR1);
	reap(pid);
	f->kids[0] = 0;
	write_passwd(path, "second");
	/* Checked once a second: a new violator until the name changes. */
	until = mono_ms() + 5000;
	do {
		usleep(300 * 1000);
		pid = f->kids[0] = spawn(f, "hold");
		o = event_of(f, pid, 0);
		kill(pid, SIGUSR1);
		reap(pid);
		f->kids[0] = 0;
		n++;
	} while (strcmp(jpath_str(o, "user.name", NULL) ?
	    jpath_str(o, "user.name", NULL) : "", "second") != 0 &&
	    mono_ms() < until);
	want_str(o, "user.name", "second");
	if (n > 8)
		fail_msg("the new name took %zu violators", n);
	(void)unlink(path);
}

/* ---- Fixture ---- */

static int
setup(void **state)
{
	struct fix *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	monitor_init(&f->m);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_context.XXXXXX");
	if (mkdtemp(f->dir) == NULL ||
	    readlink("/proc/self/exe", f->self, sizeof(f->self) - 1) < 0 ||
	    observer_start(&f->obs, 64 << 20) < 0) {
		free(f);
		return -1;
	}
	snprintf(f->conf, sizeof(f->conf), "%s.json", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;
	char why[4096];
	size_t i;
	int status, rc = 0;

	for (i = 0; i < sizeof(f->kids) / sizeof(f->kids[0]); i++)
		if (f->kids[i] > 0) {
			kill(f->kids[i], SIGKILL);
			(void)child_reap(f->kids[i], STOP_MS, &status);
		}
	if (f->m.pid > 0)
		kill(f->m.pid, SIGCONT);
	if (f->m.pid > 0 && monitor_stop(&f->m, SIGTERM, STOP_MS) == 0 &&
	    (!WIFEXITED(f->m.status) || WEXITSTATUS(f->m.status) != 0)) {
		fprintf(stderr, "daemon wait status 0x%x; stderr:\n%s",
		    (unsigned)f->m.status, monitor_err(&f->m));
		rc = -1;
	}
	monitor_destroy(&f->m);
	harness_conf_restore(f->saved_conf);
	(void)unlink(f->conf);
	(void)rmdir(f->dir);
	if (observer_check(&f->obs, EVENT_MS, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&f->obs);
	free(f);
	return rc;
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(context__process_alive_when_read__live_args_parent_start),
		T(context__landlock_off__working_directory_too),
		T(context__gone_before_read_never_seen__gone_record_fields_only),
		T(context__seen_then_gone_before_next_record__cached),
		T(context__pid_reused_before_record_read__cached_not_newcomer),
		T(context__exec_since_record__no_arguments),
		T(context__passwd_replaced__new_name_within_two_seconds),
	};
	char why[512];
	int lock, rc;

	if (argc >= 3 && strcmp(argv[1], "--child") == 0)
		return child(argv[2]);
	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_context: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_context: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_context: %s\n", why);
		return 99;
	}
	rc = cmocka_run_group_tests_name("context", tests, NULL, NULL);
	close(lock);
	return rc == 0 ? 0 : 1;
}
