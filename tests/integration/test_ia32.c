/*
 * i386 system calls from 64-bit code (int $0x80): the daemon names them from
 * the i386 table with compat true, and a native-only filter gives them its
 * default action.  They have their own program because int 0x80 needs the
 * kernel's IA-32 entry, which some kernels and hypervisors do not deliver
 * (the task dies of SIGSEGV): a probe in a forked child decides first, and
 * where it fails the whole program exits 77 saying why, before any case.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "daemon/sandbox.h"
#include "policy/policy.h"
#include "policy/policyjson.h"
#include "tests/sanitizer.h"
#include "tests/integration/harness.h"

#if defined(__x86_64__)

#define READY_MS	5000	/* start-up to READY=1 */
#define EVENT_MS	5000	/* violation to event, denial to record */
#define LINGER_MS	300	/* after the expected events: nothing more */
#define STOP_MS		5000	/* signal to exit */
#define CHILD_MS	10000	/* a child to its end */
#define OBSERVER_RCVBUF	(8 << 20)

/* A filtered child's exit codes.  Not 0: an exec'd /bin/true must not pass. */
#define CHILD_PASS	42
#define CHILD_FAIL	1
#define CHILD_NO_LOAD	2

/* arch/x86/entry/syscalls/syscall_32.tbl; x86_64's 20 is writev. */
#define I386_GETPID	20
/* The violator's i386 getppid; 64 would be semget on x86_64. */
#define I386_GETPPID	64

/* The seccomp actions the kernel has, for policy_check(), and those used. */
static unsigned Avail;
#define NEED_ACTIONS	(POLICY_ACTION_BIT(POLICY_ERRNO) | \
	POLICY_ACTION_BIT(POLICY_LOG) | POLICY_ACTION_BIT(POLICY_ALLOW))

/* An i386 system call from 64-bit code: eax is an i386 number. */
static long
int80(long nr)
{
	long ret;

	__asm__ volatile ("int $0x80"
	    : "=a" (ret)
	    : "0" (nr)
	    : "memory", "cc", "r8", "r9", "r10", "r11");
	return ret;
}

/*
 * Whether an unfiltered int 0x80 getpid returns the caller's pid, tried in a
 * child that would die of it.  0: it works.  77: it does not, why says how.
 * -1: the probe itself failed, why says which step.
 */
static int
int80_probe(char *why, size_t len)
{
	struct rlimit rl = { 0, 0 };
	pid_t pid;
	long rc;
	int st;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* A SIGSEGV here is expected: no core file for it. */
		(void)setrlimit(RLIMIT_CORE, &rl);
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		rc = int80(I386_GETPID);
		if (rc == (long)getpid())
			_exit(0);
		/* -ENOSYS (-38) would not fit an exit status. */
		_exit(rc == -ENOSYS ? 2 : 1);
	}
	if (child_reap(pid, CHILD_MS, &st) < 0) {
		snprintf(why, len, "the int 0x80 probe (pid %d) did not end "
		    "within %d ms", (int)pid, CHILD_MS);
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		snprintf(why, len, "int 0x80 does not work on this "
		    "kernel/hypervisor (child died by signal %d, %s): the i386 "
		    "compat entry cannot be tested here", WTERMSIG(st),
		    strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
		snprintf(why, len, "int 0x80 getpid failed with ENOSYS (no "
		    "IA-32 emulation?): the i386 compat entry cannot be tested "
		    "here");
	else
		snprintf(why, len, "int 0x80 getpid did not return the "
		    "caller's pid (wait status 0x%x): the i386 compat entry "
		    "cannot be tested here", (unsigned)st);
	return 77;
}

/*
 * Both cases: the observer (the independent audit reader of the harness)
 * keeps every SECCOMP record, and fails a case in whose course a daemon it
 * started broke its own seccomp policy; the monitor runs that daemon.
 */
struct live {
	struct monitor	m;
	char		violator[PATH_MAX];	/* realpath */
	struct observer	obs;
};

static int
live_setup(void **state)
{
	struct live *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -1;
	monitor_init(&l->m);
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

/* As in test_live: cleaned up first, then the observer's verdict. */
static int
live_teardown(void **state)
{
	struct live *l = *state;
	char why[4096];
	int rc = 0;

	monitor_destroy(&l->m);
	if (observer_check(&l->obs, EVENT_MS, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&l->obs);
	free(l);
	return rc;
}

/* ---- the live case: the daemon's event for an i386 call ---- */

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

	if (monitor_sandbox(m, "test_ia32", why, sizeof(why)) < 0)
		fail_msg("%s", why);
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

/* Every field test_live checks, for the violator's i386 getppid. */
static void
want_i386_event(json_object *o, pid_t pid, const char *exe)
{
	char uid[32];
	int64_t seq;
	int compat;

	want_recent(o);
	want_str(o, "event.kind", "event");
	want_list1(o, "event.category", "process");
	want_list1(o, "event.type", "allowed");
	want_str(o, "event.action", "violated-seccomp-policy");
	want_str(o, "event.outcome", "success");
	if (jpath_int(o, "event.sequence", &seq) < 0 || seq <= 0)
		fail_msg("event.sequence is not a positive integer in %s",
		    json_object_to_json_string(o));
	want_int(o, "process.pid", pid);
	want_str(o, "process.name", "violator");
	want_str(o, "process.executable", exe);
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	want_str(o, "user.id", uid);
	want_str(o, "seccomp.action", "log");
	want_str(o, "seccomp.syscall.name", "getppid");
	want_int(o, "seccomp.syscall.number", I386_GETPPID);
	want_str(o, "seccomp.arch", "i386");
	if (jpath_bool(o, "seccomp.compat", &compat) < 0 || !compat)
		fail_msg("seccomp.compat should be true in %s",
		    json_object_to_json_string(o));
	want_str(o, "seccomp.code", "0x7ffc0000");
	if (jpath(o, "seccomp.signal") != NULL)
		fail_msg("seccomp.signal should be absent in %s",
		    json_object_to_json_string(o));
}

/*
 * test_live's cycle in unicast mode: start, the violator's i386 mode once,
 * exactly one event, stop with exit 0 and STOPPING=1, unregistered.
 */
static void
live__i386_call__named_from_i386_table_compat_true(void **state)
{
	const char *args[] = { "--socket", "unicast", NULL };
	struct live *l = *state;
	struct monitor *m = &l->m;
	pid_t pid;
	int st;

	want_registered(0);
	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("no READY=1 within %d ms; stderr:\n%s", READY_MS,
		    monitor_err(m));
	want_sandbox(m);
	want_registered((uint32_t)m->pid);

	if ((pid = violator_spawn(HARNESS_VIOLATOR, "i386", NULL, 0)) < 0)
		fail_msg("spawning %s: %s", HARNESS_VIOLATOR, strerror(errno));
	if (child_reap(pid, EVENT_MS, &st) < 0)
		fail_msg("violator i386 did not end within %d ms", EVENT_MS);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != VIOLATOR_SEEN)
		fail_msg("violator i386: wait status 0x%x, expected exit %d "
		    "(%d: filter not loaded, %d: action had no effect)",
		    (unsigned)st, VIOLATOR_SEEN, VIOLATOR_SETUP,
		    VIOLATOR_UNEXPECTED);
	if (monitor_wait_events(m, pid, 1, EVENT_MS) < 1)
		fail_msg("no event for pid %d within %d ms; %zu lines read; "
		    "stderr:\n%s", (int)pid, EVENT_MS, m->lines, monitor_err(m));
	monitor_linger(m, LINGER_MS);

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
	if (monitor_count(m, pid) != 1)
		fail_msg("%zu event(s) for pid %d, expected exactly 1",
		    monitor_count(m, pid), (int)pid);
	want_registered(0);
	want_i386_event(monitor_event(m, pid, 0), pid, l->violator);
}

/* ---- the native-policy case: what a filter does with an i386 call ---- */

/*
 * The record of pid with action, syscall nr and arch, once observer_sync()
 * has made sure that every record pid made has arrived.
 */
static const struct observed *
want_record(struct observer *o, pid_t pid, const char *action, int64_t nr,
    uint32_t arch)
{
	const struct observed *r;
	size_t i;

	for (i = 0; (r = observer_get(o, pid, i)) != NULL; i++)
		if (strcmp(r->action, action) == 0 && r->syscall == nr &&
		    r->arch == arch)
			return r;
	for (i = 0; (r = observer_get(o, pid, i)) != NULL; i++)
		print_message("  %s\n", r->text);
	fail_msg("no SECCOMP record action=%s syscall=%lld arch=%x for pid %d",
	    action, (long long)nr, arch, (int)pid);
	return NULL;
}

static int child_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Say why on stderr with one write(2) (allowed by the policy). */
static int
child_fail(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "child %d: ", (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(2, buf, (size_t)n);
	return -1;
}

/* The "seccomp" object text -> a checked, compiled native filter. */
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
	o = json_tokener_parse(text);
	assert_non_null(o);
	if (policy_parse(&p, o, "seccomp", &errs) != 0 ||
	    policy_check(&p, Avail, &errs) != 0) {
		for (i = 0; i < errs.n; i++)
			print_message("  %s: %s\n", errs.e[i].path,
			    errs.e[i].msg);
		fail_msg("policy errors in %s", text);
	}
	json_object_put(o);
	ctx = policy_compile(&p, &errs);
	assert_non_null(ctx);
	policy_free(&p);
	return ctx;
}

/*
 * As test_actions's ALLOW_LIST: the calls the child makes (close for the
 * rest of policy_load(), write to report, exit_group), getpid and writev,
 * and getpgrp logged as a marker; everything else is denied with EPERM.
 */
#define ALLOW_LIST "{\"default_action\": \"errno\", \"syscalls\": [" \
	"{\"action\": \"allow\", \"names\": [\"close\", \"write\", " \
	"\"exit_group\", \"getpid\", \"writev\"]}, " \
	"{\"action\": \"log\", \"names\": [\"getpgrp\"]}]}"

static int
body_int80(void)
{
	long rc;

	/* x86_64's getpid and writev are allowed; i386's getpid is not. */
	if ((rc = int80(I386_GETPID)) != -EPERM)
		return child_fail("int 0x80 getpid: %ld, expected -EPERM",
		    rc);
	if (syscall(SYS_getpid) != getpid())
		return child_fail("x86_64 getpid denied");
	(void)syscall(SYS_getpgrp);
	return 0;
}

static void
native_policy__i386_int80_call__gets_the_default_action(void **state)
{
	struct live *l = *state;
	const struct observed *r;
	scmp_filter_ctx ctx;
	long tid;
	pid_t pid;
	int st;

	ctx = compile(ALLOW_LIST);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* cmocka's inherited handler would resume its loop here. */
		(void)signal(SIGSEGV, SIG_DFL);
		if (sanitizer_allow(ctx) < 0 ||
		    policy_load(ctx, 1, &tid) < 0) {
			(void)child_fail("policy_load: %s (tid %ld)",
			    strerror(errno), tid);
			_exit(CHILD_NO_LOAD);
		}
		_exit(body_int80() == 0 ? CHILD_PASS : CHILD_FAIL);
	}
	if (child_reap(pid, CHILD_MS, &st) < 0)
		fail_msg("child %d still running after %d ms", (int)pid,
		    CHILD_MS);
	if (WIFSIGNALED(st))
		fail_msg("child killed by signal %d", WTERMSIG(st));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != CHILD_PASS)
		fail_msg("child exit %d, expected %d (%s)", WEXITSTATUS(st),
		    CHILD_PASS, WEXITSTATUS(st) == CHILD_NO_LOAD ?
		    "the filter did not load" : "see its message above");
	/* SECCOMP_FILTER_FLAG_LOG: the errno denial is audited. */
	if (observer_sync(&l->obs, EVENT_MS) < 0)
		fail_msg("the observer's marker record did not arrive within "
		    "%d ms", EVENT_MS);
	r = want_record(&l->obs, pid, "errno", I386_GETPID, AUDIT_ARCH_I386);
	assert_int_equal(r->sig, 0);
	(void)want_record(&l->obs, pid, "log", SYS_getpgrp,
	    AUDIT_ARCH_X86_64);
	seccomp_release(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    live__i386_call__named_from_i386_table_compat_true,
		    live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(
		    native_policy__i386_int80_call__gets_the_default_action,
		    live_setup, live_teardown),
	};
	char why[512];
	int lock, rc;

	/* Before anything else: without the IA-32 entry no case can run. */
	rc = int80_probe(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_ia32: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_ia32: %s\n", why);
		return 99;
	}
	/* Only one process can be the audit daemon: never overlap runs. */
	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_ia32: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_ia32: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_ia32: %s\n", why);
		return 99;
	}
	/* The native-policy case's filter allows, denies and logs. */
	Avail = sandbox_actions_available();
	if ((Avail & NEED_ACTIONS) != NEED_ACTIONS) {
		fprintf(stderr, "test_ia32: SKIP: the kernel lacks seccomp's "
		    "errno, log or allow action (actions_avail: mask 0x%x; "
		    "log needs Linux 4.14)\n", Avail);
		return 77;
	}
	rc = cmocka_run_group_tests_name("ia32", tests, NULL, NULL);
	close(lock);
	return rc == 0 ? 0 : 1;
}

#else /* !__x86_64__ */

int
main(void)
{
	fprintf(stderr, "test_ia32: SKIP: int 0x80 from 64-bit code is an "
	    "x86_64 matter; this is not an x86_64 build\n");
	return 77;
}

#endif
