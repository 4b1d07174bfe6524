/*
 * What each seccomp action really does on the running kernel.  Every case
 * compiles a policy in the test process, loads it with policy_load() in a
 * forked child (the test process itself stays unfiltered) and checks what
 * the child sees, how it ends, and the SECCOMP audit records the kernel
 * writes for it, read from the audit multicast group joined before forking.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "daemon/conf.h"
#include "netlink/auditnl.h"
#include "daemon/sandbox.h"
#include "policy/policy.h"
#include "policy/policyjson.h"
#include "reporter/violation.h"
#include "tests/integration/harness.h"
#include "tests/sanitizer.h"

#if defined(__x86_64__)

#define DATA		TOP_SRCDIR "/tests/data/conf/"

#define RECORD_MS	5000	/* a denial to its audit record */
#define CHILD_MS	10000	/* a child to its end */

/* A child's exit codes.  Not 0: an exec'd /bin/true must not pass. */
#define CHILD_PASS	42
#define CHILD_FAIL	1
#define CHILD_NO_LOAD	2
#define CHILD_FORKED	3

/* SECCOMP_RET_* as the kernel prints them in code= (kernel/seccomp.c). */
#define CODE_KILL_PROCESS	0x80000000u
#define CODE_KILL_THREAD	0x00000000u
#define CODE_TRAP		0x00030000u
#define CODE_ERRNO		0x00050000u
#define CODE_TRACE		0x7ff00000u
#define CODE_LOG		0x7ffc0000u

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

static struct auditnl *NL;
static struct violation *V;
static unsigned Avail;
static pid_t Parent;

/* ---- the audit side, in the test process ---- */

struct rec {
	uint32_t	code;
	int64_t		nr;
	uint32_t	arch;
	int64_t		sig;
};

#define MAX_RECS 32

struct seen {
	pid_t		pid;
	size_t		n;
	struct rec	r[MAX_RECS];
};

/* Where on_record() puts what it sees; NULL: nowhere (stale records). */
static struct seen *SEEN;

static void
on_record(void *arg, uint16_t type, const char *text, size_t len,
    const char *node, size_t node_len)
{
	const uint32_t need = VF_BIT(VF_PID) | VF_BIT(VF_CODE) |
	    VF_BIT(VF_SYSCALL) | VF_BIT(VF_ARCH) | VF_BIT(VF_SIG);
	struct seen *s = *(struct seen **)arg;

	(void)node;
	(void)node_len;
	if (s == NULL || type != AUDIT_SECCOMP)
		return;
	if (violation_decode(text, len, V) != VIOLATION_OK ||
	    (V->present & need) != need || V->pid != s->pid)
		return;
	if (s->n < MAX_RECS) {
		s->r[s->n].code = V->code;
		s->r[s->n].nr = V->syscall;
		s->r[s->n].arch = V->arch;
		s->r[s->n].sig = V->sig;
		s->n++;
	}
}

/* Throw away what earlier cases left on the socket. */
static void
drain_stale(void)
{
	int rc;

	SEEN = NULL;
	while ((rc = auditnl_drain(NL, 64)) == 1)
		;
	assert_int_equal(rc, 0);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const struct rec *
find(const struct seen *s, uint32_t code, int64_t nr, uint32_t arch)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->r[i].code == code && s->r[i].nr == nr &&
		    s->r[i].arch == arch)
			return &s->r[i];
	return NULL;
}

static void
dump_records(const struct seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		print_message("  pid %d: code=0x%x syscall=%lld arch=%x "
		    "sig=%lld\n", (int)s->pid, s->r[i].code,
		    (long long)s->r[i].nr, s->r[i].arch,
		    (long long)s->r[i].sig);
}

/* Wait for the record of s->pid with code, syscall nr and arch. */
static const struct rec *
await_record(struct seen *s, uint32_t code, int64_t nr, uint32_t arch)
{
	struct pollfd pfd;
	const struct rec *r;
	int64_t end = now_ms() + RECORD_MS, left;

	pfd.fd = auditnl_fd(NL);
	pfd.events = POLLIN;
	for (;;) {
		SEEN = s;
		assert_true(auditnl_drain(NL, 64) >= 0);
		if ((r = find(s, code, nr, arch)) != NULL)
			return r;
		if ((left = end - now_ms()) <= 0)
			break;
		(void)poll(&pfd, 1, (int)left);
	}
	dump_records(s);
	fail_msg("no SECCOMP record code=0x%x syscall=%lld arch=%x for pid %d "
	    "within %d ms", code, (long long)nr, arch, (int)s->pid, RECORD_MS);
	return NULL;
}

/* ---- the child side ---- */

struct job {
	scmp_filter_ctx	  ctx;
	int		  log;		/* policy_load()'s log */
	int		  load_first;	/* load before body, or body loads */
	int		(*body)(const struct job *);
};

static int child_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Say why on stderr with one write(2) (allowed in every policy here). */
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

static int
child_load(const struct job *j)
{
	long tid;

	if (sanitizer_allow(j->ctx) < 0)
		return child_fail("sanitizer_allow: %s", strerror(errno));
	if (policy_load(j->ctx, j->log, &tid) < 0)
		return child_fail("policy_load: %s (tid %ld)", strerror(errno),
		    tid);
	return 0;
}

/* A syscall that must fail with err. */
static int
want_errno(const char *what, long rc, int err)
{
	if (rc == -1 && errno == err)
		return 0;
	return child_fail("%s: %ld (%s), expected -1 %s", what, rc,
	    rc == -1 ? strerror(errno) : "no error", strerror(err));
}

static pid_t
spawn(const struct job *j)
{
	pid_t pid;

	drain_stale();
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (j->load_first && child_load(j) < 0)
			_exit(CHILD_NO_LOAD);
		_exit(j->body(j) == 0 ? CHILD_PASS : CHILD_FAIL);
	}
	return pid;
}

static int
wait_child(pid_t pid)
{
	int64_t end = now_ms() + CHILD_MS;
	struct timespec ms = { 0, 5 * 1000 * 1000 };
	pid_t w;
	int st;

	while ((w = waitpid(pid, &st, WNOHANG)) == 0 && now_ms() < end)
		nanosleep(&ms, NULL);
	if (w == 0) {
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, &st, 0);
		fail_msg("child %d still running after %d ms", (int)pid,
		    CHILD_MS);
	}
	assert_int_equal(w, pid);
	return st;
}

static void
want_pass(pid_t pid)
{
	int st = wait_child(pid);

	if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_PASS)
		return;
	if (WIFSIGNALED(st))
		fail_msg("child killed by signal %d", WTERMSIG(st));
	fail_msg("child exit %d, expected %d (%s)", WEXITSTATUS(st),
	    CHILD_PASS, WEXITSTATUS(st) == CHILD_NO_LOAD ?
	    "the filter did not load" : "see its message above");
}

/* ---- policies ---- */

/* The "seccomp" object text -> a checked, compiled native filter. */
static scmp_filter_ctx
compile(const char *text)
{
	struct errlist errs;
	struct policy p;
	scmp_filter_ctx ctx;
	json_object *o;
	char line[ERRLIST_TEXT_MAX];
	size_t i;

	memset(&errs, 0, sizeof(errs));
	assert_int_equal(policy_builtin(&p, policy_native_arch()), 0);
	o = json_tokener_parse(text);
	assert_non_null(o);
	if (policy_parse(&p, o, "seccomp", &errs) != 0 ||
	    policy_check(&p, Avail, &errs) != 0) {
		for (i = 0; i < errs.n; i++)
			print_message("  %s\n", errlist_format(&errs.e[i],
			    line, sizeof(line)));
		fail_msg("policy errors in %s", text);
	}
	json_object_put(o);
	ctx = policy_compile(&p, &errs);
	assert_non_null(ctx);
	policy_free(&p);
	return ctx;
}

/* Allow everything but getppid, which gets action (and maybe "errno"). */
static scmp_filter_ctx
compile_getppid(const char *action)
{
	char text[256];

	snprintf(text, sizeof(text), "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{%s, \"names\": [\"getppid\"]}]}", action);
	return compile(text);
}

/*
 * An allow-list for children that make only the calls named in it: the
 * rest of policy_load() (close), reporting (write), _exit (exit_group).
 * getpgrp is logged: a marker record after everything that came before.
 */
#define ALLOW_LIST(names) "{\"default_action\": \"errno\", \"syscalls\": [" \
	"{\"action\": \"allow\", \"names\": [\"close\", \"write\", " \
	"\"exit_group\"" names "]}, " \
	"{\"action\": \"log\", \"names\": [\"getpgrp\"]}]}"

/* ---- errno ---- */

static int
body_getppid_eperm(const struct job *j)
{
	(void)j;
	errno = 0;
	return want_errno("getppid", syscall(SYS_getppid), EPERM);
}

static void
action_errno__denied_call__eperm_and_record(void **state)
{
	struct job j = { NULL, 1, 1, body_getppid_eperm };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };
	const struct rec *r;

	(void)state;
	j.ctx = compile_getppid("\"action\": \"errno\"");
	s.pid = spawn(&j);
	want_pass(s.pid);
	/* SECCOMP_FILTER_FLAG_LOG: errno is audited (seccomp_log()). */
	r = await_record(&s, CODE_ERRNO, SYS_getppid, AUDIT_ARCH_X86_64);
	assert_int_equal(r->sig, 0);
	seccomp_release(j.ctx);
}

static int
body_getppid_enosys(const struct job *j)
{
	(void)j;
	errno = 0;
	return want_errno("getppid", syscall(SYS_getppid), ENOSYS);
}

static void
action_errno__errno_enosys__enosys(void **state)
{
	struct job j = { NULL, 1, 1, body_getppid_enosys };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };

	(void)state;
	j.ctx = compile_getppid("\"action\": \"errno\", \"errno\": \"ENOSYS\"");
	s.pid = spawn(&j);
	want_pass(s.pid);
	/* The errno is SECCOMP_RET_DATA, not part of the logged action. */
	(void)await_record(&s, CODE_ERRNO, SYS_getppid, AUDIT_ARCH_X86_64);
	seccomp_release(j.ctx);
}

/* getppid denied, then the getpgrp marker: both from this child. */
static int
body_errno_then_marker(const struct job *j)
{
	(void)j;
	errno = 0;
	if (want_errno("getppid", syscall(SYS_getppid), EPERM) < 0)
		return -1;
	if (syscall(SYS_getpgrp) != getpgid(0))
		return child_fail("getpgrp under log did not run");
	return 0;
}

/* Without SECCOMP_FILTER_FLAG_LOG an errno denial is not audited. */
static void
action_errno__load_without_log__no_record(void **state)
{
	struct job j = { NULL, 0, 1, body_errno_then_marker };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };

	(void)state;
	j.ctx = compile("{\"default_action\": \"allow\", \"syscalls\": ["
	    "{\"action\": \"errno\", \"names\": [\"getppid\"]}, "
	    "{\"action\": \"log\", \"names\": [\"getpgrp\"]}]}");
	s.pid = spawn(&j);
	want_pass(s.pid);
	/* The marker is logged by every filter; what came first is there. */
	(void)await_record(&s, CODE_LOG, SYS_getpgrp, AUDIT_ARCH_X86_64);
	if (find(&s, CODE_ERRNO, SYS_getppid, AUDIT_ARCH_X86_64) != NULL) {
		dump_records(&s);
		fail_msg("errno denial audited although log was 0");
	}
	seccomp_release(j.ctx);
}

/* ---- trace ---- */

static void
action_trace__no_tracer__enosys_and_record(void **state)
{
	struct job j = { NULL, 1, 1, body_getppid_enosys };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };

	(void)state;
	j.ctx = compile_getppid("\"action\": \"trace\"");
	s.pid = spawn(&j);
	want_pass(s.pid);
	(void)await_record(&s, CODE_TRACE, SYS_getppid, AUDIT_ARCH_X86_64);
	seccomp_release(j.ctx);
}

/* ---- trap ---- */

static volatile sig_atomic_t trap_count;
static volatile long trap_tid, trap_code, trap_syscall;
static volatile unsigned long trap_arch;

static void
on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trap_count++;
	trap_code = si->si_code;
	trap_syscall = si->si_syscall;
	trap_arch = si->si_arch;
	trap_tid = syscall(SYS_gettid);
}

struct thread_out {
	long	tid;
	long	rc;
	int	err;
	int	after;		/* got past the call */
};

static void *
thread_getppid(void *arg)
{
	struct thread_out *o = arg;

	o->tid = syscall(SYS_gettid);
	errno = 0;
	o->rc = syscall(SYS_getppid);
	o->err = errno;
	o->after = 1;
	return NULL;
}

static int
body_trap(const struct job *j)
{
	struct thread_out o = { 0, 0, 0, 0 };
	struct sigaction sa;
	pthread_t t;

	(void)j;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return child_fail("sigaction: %s", strerror(errno));
	/* In a second thread: the signal goes to the thread that called. */
	if (pthread_create(&t, NULL, thread_getppid, &o) != 0 ||
	    pthread_join(t, NULL) != 0)
		return child_fail("thread: %s", strerror(errno));
	if (trap_count != 1)
		return child_fail("%d SIGSYS, expected 1", (int)trap_count);
	if (trap_code != SYS_SECCOMP)
		return child_fail("si_code %ld, expected SYS_SECCOMP",
		    trap_code);
	if (trap_syscall != SYS_getppid)
		return child_fail("si_syscall %ld, expected %d", trap_syscall,
		    SYS_getppid);
	if (trap_arch != AUDIT_ARCH_X86_64)
		return child_fail("si_arch %lx", trap_arch);
	if (trap_tid != o.tid)
		return child_fail("SIGSYS ran in thread %ld, the call was "
		    "made by %ld", trap_tid, o.tid);
	if (!o.after)
		return child_fail("the thread did not resume");
	return 0;
}

static void
action_trap__denied_call__sigsys_to_the_thread_child_lives(void **state)
{
	struct job j = { NULL, 1, 1, body_trap };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };
	const struct rec *r;

	(void)state;
	j.ctx = compile_getppid("\"action\": \"trap\"");
	s.pid = spawn(&j);
	want_pass(s.pid);
	r = await_record(&s, CODE_TRAP, SYS_getppid, AUDIT_ARCH_X86_64);
	assert_int_equal(r->sig, 0);
	seccomp_release(j.ctx);
}

/* ---- kill_thread ---- */

static int
body_kill_thread(const struct job *j)
{
	struct thread_out o = { 0, 0, 0, 0 };
	pthread_t t;

	(void)j;
	if (pthread_create(&t, NULL, thread_getppid, &o) != 0)
		return child_fail("pthread_create failed");
	if (pthread_join(t, NULL) != 0)
		return child_fail("pthread_join failed");
	if (o.tid == 0)
		return child_fail("the thread never ran");
	if (o.after)
		return child_fail("the thread survived its call (rc %ld)",
		    o.rc);
	/* This thread is alive and still makes calls. */
	if (syscall(SYS_getpid) != getpid())
		return child_fail("main thread cannot call getpid");
	return 0;
}

static void
action_kill_thread__denied_call__only_that_thread_dies(void **state)
{
	struct job j = { NULL, 1, 1, body_kill_thread };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };
	const struct rec *r;

	(void)state;
	j.ctx = compile_getppid("\"action\": \"kill_thread\"");
	s.pid = spawn(&j);
	want_pass(s.pid);
	r = await_record(&s, CODE_KILL_THREAD, SYS_getppid,
	    AUDIT_ARCH_X86_64);
	assert_int_equal(r->sig, SIGSYS);
	seccomp_release(j.ctx);
}

/* ---- kill_process ---- */

static int
body_kill_process(const struct job *j)
{
	struct rlimit rl = { 0, 0 };
	struct thread_out o = { 0, 0, 0, 0 };
	pthread_t t;

	(void)j;
	/* No core file; PR_SET_DUMPABLE 0 also stops a core_pattern pipe. */
	if (setrlimit(RLIMIT_CORE, &rl) < 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return child_fail("no core: %s", strerror(errno));
	/* From a second thread, so that it is not kill_thread's effect. */
	if (pthread_create(&t, NULL, thread_getppid, &o) != 0)
		return child_fail("pthread_create failed");
	(void)pthread_join(t, NULL);
	return child_fail("the process survived (thread after=%d)", o.after);
}

static void
action_kill_process__denied_call_in_a_thread__process_dies_sigsys(
    void **state)
{
	struct job j = { NULL, 1, 1, body_kill_process };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };
	const struct rec *r;
	int st;

	(void)state;
	j.ctx = compile_getppid("\"action\": \"kill_process\"");
	s.pid = spawn(&j);
	st = wait_child(s.pid);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
		fail_msg("wait status 0x%x, expected death by SIGSYS",
		    (unsigned)st);
	r = await_record(&s, CODE_KILL_PROCESS, SYS_getppid,
	    AUDIT_ARCH_X86_64);
	assert_int_equal(r->sig, SIGSYS);
	seccomp_release(j.ctx);
}

/* ---- log ---- */

static int
body_getppid_runs(const struct job *j)
{
	long rc;

	(void)j;
	rc = syscall(SYS_getppid);
	if (rc != (long)Parent)
		return child_fail("getppid: %ld, expected %d", rc,
		    (int)Parent);
	return 0;
}

static void
action_log__call__runs_and_is_audited(void **state)
{
	struct job j = { NULL, 1, 1, body_getppid_runs };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };
	const struct rec *r;

	(void)state;
	j.ctx = compile_getppid("\"action\": \"log\"");
	s.pid = spawn(&j);
	want_pass(s.pid);
	r = await_record(&s, CODE_LOG, SYS_getppid, AUDIT_ARCH_X86_64);
	assert_int_equal(r->sig, 0);
	seccomp_release(j.ctx);
}

/* ---- allow ---- */

static int
body_allowed_then_marker(const struct job *j)
{
	if (body_getppid_runs(j) < 0)
		return -1;
	(void)syscall(SYS_getpgrp);
	return 0;
}

static void
action_allow__listed_call__runs_nothing_audited(void **state)
{
	struct job j = { NULL, 1, 1, body_allowed_then_marker };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };

	(void)state;
	j.ctx = compile(ALLOW_LIST(", \"getppid\""));
	s.pid = spawn(&j);
	want_pass(s.pid);
	(void)await_record(&s, CODE_LOG, SYS_getpgrp, AUDIT_ARCH_X86_64);
	/* The marker only: not getppid, and nothing denied on the way. */
	if (s.n != 1) {
		dump_records(&s);
		fail_msg("%zu records, expected only the marker", s.n);
	}
	seccomp_release(j.ctx);
}

/* ---- the load itself ---- */

/* "Name:\tN" of /proc/<self>/status; -1 when absent. */
static long
status_field(const char *file, const char *name)
{
	char buf[4096], key[64], *p;
	ssize_t n;
	int fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	snprintf(key, sizeof(key), "\n%s:\t", name);
	if ((p = strstr(buf, key)) == NULL)
		return -1;
	return strtol(p + strlen(key), NULL, 10);
}

static long Filters_before;

static int
body_status(const struct job *j)
{
	long v;

	(void)j;
	if ((v = status_field("/proc/self/status", "Seccomp")) != 2)
		return child_fail("Seccomp: %ld, expected 2 (filter)", v);
	if ((v = status_field("/proc/self/status", "NoNewPrivs")) != 1)
		return child_fail("NoNewPrivs: %ld, expected 1", v);
	if ((v = status_field("/proc/self/status", "Seccomp_filters")) !=
	    Filters_before + 1)
		return child_fail("Seccomp_filters: %ld, expected %ld", v,
		    Filters_before + 1);
	return 0;
}

static void
policy_load__child__seccomp_2_no_new_privs_1_parent_untouched(void **state)
{
	struct job j = { NULL, 1, 1, body_status };

	(void)state;
	/* The test process is not filtered, before or after. */
	assert_int_equal(status_field("/proc/self/status", "Seccomp"), 0);
	Filters_before = status_field("/proc/self/status", "Seccomp_filters");
	assert_int_equal(Filters_before, 0);
	j.ctx = compile_getppid("\"action\": \"errno\"");
	want_pass(spawn(&j));
	assert_int_equal(status_field("/proc/self/status", "Seccomp"), 0);
	assert_int_equal(syscall(SYS_getppid), getppid());
	seccomp_release(j.ctx);
}

struct gate {
	int			fd[2];	/* main -> old thread: "go" */
	struct thread_out	o;
	long			seccomp;	/* the old thread's mode */
};

static void *
thread_wait_then_getppid(void *arg)
{
	struct gate *g = arg;
	char c;

	if (read(g->fd[0], &c, 1) != 1)
		return NULL;
	g->seccomp = status_field("/proc/thread-self/status", "Seccomp");
	(void)thread_getppid(&g->o);
	return NULL;
}

/* A thread that exists before the load is filtered too (TSYNC). */
static int
body_tsync(const struct job *j)
{
	struct gate g;
	pthread_t t;

	memset(&g, 0, sizeof(g));
	if (pipe(g.fd) < 0 ||
	    pthread_create(&t, NULL, thread_wait_then_getppid, &g) != 0)
		return child_fail("thread: %s", strerror(errno));
	if (child_load(j) < 0)
		return -1;
	if (write(g.fd[1], "x", 1) != 1 || pthread_join(t, NULL) != 0)
		return child_fail("cannot release the thread");
	if (g.seccomp != 2)
		return child_fail("old thread: Seccomp %ld, expected 2",
		    g.seccomp);
	errno = g.o.err;
	return want_errno("getppid in the old thread", g.o.rc, EPERM);
}

static void
policy_load__thread_started_before__filtered_too(void **state)
{
	struct job j = { NULL, 1, 0, body_tsync };

	(void)state;
	j.ctx = compile_getppid("\"action\": \"errno\"");
	want_pass(spawn(&j));
	seccomp_release(j.ctx);
}

struct own_filter {
	int	ready[2];	/* thread -> main: filtered, tid */
	int	done[2];	/* main -> thread: finish */
};

/* A filter of the thread's own, not an ancestor of the caller's. */
static void *
thread_own_filter(void *arg)
{
	struct own_filter *f = arg;
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 1, allow };
	long tid = syscall(SYS_gettid);
	char c;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		tid = -1;
	if (write(f->ready[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	(void)!read(f->done[0], &c, 1);
	return NULL;
}

/* TSYNC's positive return (a thread it cannot sync) is a failure. */
static int
body_tsync_fails(const struct job *j)
{
	struct own_filter f;
	pthread_t t;
	long other = 0, tid = -7;
	int rc, err;

	if (pipe(f.ready) < 0 || pipe(f.done) < 0 ||
	    pthread_create(&t, NULL, thread_own_filter, &f) != 0)
		return child_fail("thread: %s", strerror(errno));
	if (read(f.ready[0], &other, sizeof(other)) != sizeof(other) ||
	    other <= 0)
		return child_fail("the thread could not filter itself");
	errno = 0;
	rc = policy_load(j->ctx, j->log, &tid);
	err = errno;
	(void)!write(f.done[1], "x", 1);
	(void)pthread_join(t, NULL);
	if (rc != -1 || err != ESRCH)
		return child_fail("policy_load: %d (%s), expected -1 ESRCH",
		    rc, strerror(err));
	if (tid != other)
		return child_fail("tid %ld, expected the thread's %ld", tid,
		    other);
	/* Nothing was loaded here. */
	if (status_field("/proc/thread-self/status", "Seccomp") != 0)
		return child_fail("the calling thread is filtered");
	if (syscall(SYS_getppid) != (long)Parent)
		return child_fail("getppid denied after a failed load");
	return 0;
}

static void
policy_load__thread_with_own_filter__esrch_and_its_tid(void **state)
{
	struct job j = { NULL, 1, 0, body_tsync_fails };

	(void)state;
	j.ctx = compile_getppid("\"action\": \"errno\"");
	want_pass(spawn(&j));
	seccomp_release(j.ctx);
}

/* ---- the built-in policy ---- */

static int
body_builtin(const struct job *j)
{
	(void)j;
	/* Not listed: EPERM.  clone3: ENOSYS, so that glibc falls back. */
	errno = 0;
	if (want_errno("getppid", syscall(SYS_getppid), EPERM) < 0)
		return -1;
	errno = 0;
	return want_errno("clone3", syscall(SYS_clone3, NULL, 0), ENOSYS);
}

static void
policy_load__builtin__unlisted_eperm_clone3_enosys(void **state)
{
	struct errlist errs;
	struct job j = { NULL, 1, 1, body_builtin };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };
	struct policy p;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(policy_builtin(&p, policy_native_arch()), 0);
	assert_int_equal(policy_check(&p, Avail, &errs), 0);
	j.ctx = policy_compile(&p, &errs);
	assert_non_null(j.ctx);
	policy_free(&p);
	s.pid = spawn(&j);
	want_pass(s.pid);
	(void)await_record(&s, CODE_ERRNO, SYS_getppid, AUDIT_ARCH_X86_64);
	(void)await_record(&s, CODE_ERRNO, SYS_clone3, AUDIT_ARCH_X86_64);
	seccomp_release(j.ctx);
}

/* ---- the blacklist example of Beats' documentation ---- */

/* vfork(2) without a stack: a child that ever ran would exit(99) at once. */
static long
raw_vfork(void)
{
	long ret;

	__asm__ volatile (
	    "syscall\n\t"
	    "test %%rax, %%rax\n\t"
	    "jnz 1f\n\t"
	    "mov $60, %%eax\n\t"
	    "mov $99, %%edi\n\t"
	    "syscall\n"
	    "1:"
	    : "=a" (ret)
	    : "0" ((long)SYS_vfork)
	    : "rcx", "r11", "rdi", "memory", "cc");
	return ret;
}

static int
body_blacklist(const struct job *j)
{
	char *const argv[] = { (char *)(uintptr_t)"true", NULL };
	char *const envp[] = { NULL };
	long rc;
	int fd;

	(void)j;
	errno = 0;
	if (want_errno("execve /bin/true", execve("/bin/true", argv, envp),
	    EPERM) < 0)
		return -1;
	errno = 0;
	if (want_errno("execveat /bin/true", syscall(SYS_execveat, AT_FDCWD,
	    "/bin/true", argv, envp, 0), EPERM) < 0)
		return -1;
	errno = 0;
	rc = syscall(SYS_fork);
	if (rc == 0)
		_exit(CHILD_FORKED);
	if (rc > 0)
		(void)waitpid((pid_t)rc, NULL, 0);
	if (want_errno("fork", rc, EPERM) < 0)
		return -1;
	rc = raw_vfork();
	if (rc != -EPERM)
		return child_fail("vfork: %ld, expected -EPERM", rc);
	/* Everything else still works. */
	if (syscall(SYS_getpid) <= 0)
		return child_fail("getpid failed");
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return child_fail("open: %s", strerror(errno));
	close(fd);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return child_fail("socket(AF_INET): %s", strerror(errno));
	close(fd);
	return 0;
}

static void
blacklist__beats_example__exec_and_fork_denied_rest_works(void **state)
{
	static const int denied[] = { SYS_execve, SYS_execveat, SYS_fork,
	    SYS_vfork };
	struct job j = { NULL, 1, 1, body_blacklist };
	struct seen s = { 0, 0, { { 0, 0, 0, 0 } } };
	struct errlist errs;
	struct conf c;
	struct errlist perrs;
	char line[ERRLIST_TEXT_MAX];
	size_t i;

	(void)state;
	assert_int_equal(access("/bin/true", X_OK), 0);
	memset(&errs, 0, sizeof(errs));
	memset(&perrs, 0, sizeof(perrs));
	assert_int_equal(conf_init(&c), 0);
	if (conf_load(&c, DATA "blacklist.json", 0, Avail, &errs) != 0)
		fail_msg("%s", errlist_format(&errs.e[0], line, sizeof(line)));
	j.ctx = policy_compile(&c.policy, &perrs);
	assert_non_null(j.ctx);
	conf_free(&c);
	s.pid = spawn(&j);
	want_pass(s.pid);
	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		(void)await_record(&s, CODE_ERRNO, denied[i],
		    AUDIT_ARCH_X86_64);
	seccomp_release(j.ctx);
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(action_errno__denied_call__eperm_and_record),
	T(action_errno__errno_enosys__enosys),
	T(action_errno__load_without_log__no_record),
	T(action_trace__no_tracer__enosys_and_record),
	T(action_trap__denied_call__sigsys_to_the_thread_child_lives),
	T(action_kill_thread__denied_call__only_that_thread_dies),
	T(action_kill_process__denied_call_in_a_thread__process_dies_sigsys),
	T(action_log__call__runs_and_is_audited),
	T(action_allow__listed_call__runs_nothing_audited),
	T(policy_load__child__seccomp_2_no_new_privs_1_parent_untouched),
	T(policy_load__thread_started_before__filtered_too),
	T(policy_load__thread_with_own_filter__esrch_and_its_tid),
	T(policy_load__builtin__unlisted_eperm_clone3_enosys),
	T(blacklist__beats_example__exec_and_fork_denied_rest_works),
};

int
main(void)
{
	int rc, err, skip77, lock;

	/* Every case needs every action but user_notif. */
	if ((Avail = sandbox_actions_available()) != POLICY_ALL_ACTIONS) {
		fprintf(stderr, "test_actions: SKIP: the kernel lacks some "
		    "seccomp actions (actions_avail: mask 0x%x; Linux 4.14 "
		    "has them all)\n", Avail);
		return 77;
	}
	/*
	 * The records made here reach every audit reader: serialise with the
	 * live tests, which count records exactly (harness.h's lock).
	 */
	if ((lock = open(HARNESS_LOCK, O_RDONLY | O_CREAT | O_CLOEXEC,
	    0644)) < 0 || flock(lock, LOCK_EX) < 0) {
		fprintf(stderr, "test_actions: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	/* Before any fork: every child's records are queued for us. */
	if ((NL = auditnl_open(1 << 20, on_record, &SEEN)) == NULL) {
		err = errno;
		skip77 = err == EPROTONOSUPPORT || err == ECONNREFUSED ||
		    err == EPERM;
		fprintf(stderr, "test_actions: %s: cannot open an audit "
		    "netlink socket: %s\n", skip77 ? "SKIP" : "FAIL",
		    strerror(err));
		return skip77 ? 77 : 1;
	}
	if (auditnl_join(NL) < 0) {
		err = errno;
		skip77 = err == EPERM || err == EACCES;
		fprintf(stderr, "test_actions: %s: cannot join the audit log "
		    "multicast group: %s (needs CAP_AUDIT_READ); the audit "
		    "record checks cannot run\n", skip77 ? "SKIP" : "FAIL",
		    strerror(err));
		auditnl_close(NL);
		return skip77 ? 77 : 1;
	}
	if ((V = malloc(sizeof(*V))) == NULL)
		return 1;
	Parent = getpid();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(V);
	auditnl_close(NL);
	return rc;
}

#else /* !__x86_64__ */

int
main(void)
{
	fprintf(stderr, "test_actions: SKIP: the cases use x86_64 system "
	    "call numbers and instructions\n");
	return 77;
}

#endif
