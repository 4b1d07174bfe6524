/*
 * violator: break a seccomp filter on purpose so that the kernel writes one
 * SECCOMP record the live tests can wait for.  The filter is loaded right
 * before the violating call, which goes through syscall(2) (or int $0x80) so
 * its number is known; the exit status says whether the effect was seen.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <seccomp.h>

#include "reporter/textscan.h"

/* Exit statuses; the tests read them. */
#define EX_SEEN		0	/* the kernel did what the action promises */
#define EX_USAGE	2
#define EX_SETUP	3	/* the filter could not be built or loaded */
#define EX_UNEXPECTED	4	/* the call did not behave as the action says */

/* x32 system calls are the x86_64 numbers with this bit set. */
#define X32_SYSCALL_BIT	0x40000000L
/* getppid in the i386 table (arch/x86/entry/syscalls/syscall_32.tbl). */
#define I386_NR_GETPPID	64

static volatile sig_atomic_t trap_seen;
static char thread_name[16] = "sm-thread";

static void
usage(void)
{
	fprintf(stderr, "usage: violator log|errno|trap|kill_process|"
	    "kill_thread|x32|i386|flood [--name HEX]\n");
	exit(EX_USAGE);
}

/* HEX -> at most 15 bytes of out, NUL-terminated; -1 when not hex. */
static int
unhex(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	int hi, lo;

	while (s[0] != '\0') {
		if ((hi = scan_hexdigit(s[0])) < 0 || (lo = scan_hexdigit(s[1])) < 0)
			return -1;
		if (hi == 0 && lo == 0)
			return -1;	/* a NUL would end the name */
		if (n + 1 >= cap)
			return -1;
		out[n++] = (char)(hi << 4 | lo);
		s += 2;
	}
	out[n] = '\0';
	return 0;
}

/*
 * A filter that allows everything but nr (on every arch in arches, a
 * zero-terminated list of SCMP_ARCH_* added to the native one), which gets
 * action.  log asks the kernel to log the actions it only logs on request
 * (errno, trap: kernel/seccomp.c seccomp_log()).
 */
static int
load_filter(uint32_t action, const char *name, const uint32_t *arches,
    int log)
{
	scmp_filter_ctx ctx;
	int rc = -1, nr;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return -1;
	for (; arches != NULL && *arches != 0; arches++)
		if (seccomp_arch_add(ctx, *arches) < 0)
			goto out;
	if (log && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1) < 0)
		goto out;
	if ((nr = seccomp_syscall_resolve_name(name)) == __NR_SCMP_ERROR)
		goto out;
	if (seccomp_rule_add(ctx, action, nr, 0) < 0)
		goto out;
	if (seccomp_load(ctx) < 0)
		goto out;
	rc = 0;
out:
	seccomp_release(ctx);
	return rc;
}

static void
on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGSYS && si->si_code == 1 /* SYS_SECCOMP */ &&
	    si->si_syscall == SYS_getpgrp &&
	    si->si_arch == AUDIT_ARCH_X86_64)
		trap_seen = 1;
}

static int
mode_log(void)
{
	long before, after;

	before = syscall(SYS_getppid);
	if (load_filter(SCMP_ACT_LOG, "getppid", NULL, 0) < 0)
		return EX_SETUP;
	after = syscall(SYS_getppid);
	return after == before ? EX_SEEN : EX_UNEXPECTED;
}

static int
mode_errno(void)
{
	long rc;

	if (load_filter(SCMP_ACT_ERRNO(EPERM), "getsid", NULL, 1) < 0)
		return EX_SETUP;
	rc = syscall(SYS_getsid, 0);
	return rc == -1 && errno == EPERM ? EX_SEEN : EX_UNEXPECTED;
}

static int
mode_trap(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return EX_SETUP;
	if (load_filter(SCMP_ACT_TRAP, "getpgrp", NULL, 1) < 0)
		return EX_SETUP;
	(void)syscall(SYS_getpgrp);
	return trap_seen ? EX_SEEN : EX_UNEXPECTED;
}

static int
mode_kill_process(void)
{
	if (load_filter(SCMP_ACT_KILL_PROCESS, "getpgid", NULL, 0) < 0)
		return EX_SETUP;
	(void)syscall(SYS_getpgid, 0);
	return EX_UNEXPECTED;	/* still alive */
}

/* The thread names itself, filters itself only (no TSYNC) and dies. */
static void *
victim(void *arg)
{
	(void)arg;
	if (prctl(PR_SET_NAME, thread_name, 0, 0, 0) < 0)
		return (void *)(long)EX_SETUP;
	if (load_filter(SCMP_ACT_KILL_THREAD, "gettid", NULL, 0) < 0)
		return (void *)(long)EX_SETUP;
	(void)syscall(SYS_gettid);
	return (void *)(long)EX_UNEXPECTED;
}

static int
mode_kill_thread(void)
{
	pthread_t t;
	void *ret = NULL;

	if (pthread_create(&t, NULL, victim, NULL) != 0)
		return EX_SETUP;
	if (pthread_join(t, &ret) != 0)
		return EX_SETUP;
	/* A thread killed by seccomp returns nothing: ret stays NULL. */
	return ret == NULL ? EX_SEEN : (int)(long)ret;
}

#if defined(__x86_64__)
static int
mode_x32(void)
{
	static const uint32_t x32[] = { SCMP_ARCH_X32, 0 };
	long before, rc;

	before = syscall(SYS_getppid);
	if (load_filter(SCMP_ACT_LOG, "getppid", x32, 0) < 0)
		return EX_SETUP;
	rc = syscall(X32_SYSCALL_BIT | SYS_getppid);
	/* A kernel without the x32 ABI refuses after seccomp has logged. */
	if (rc == -1 && errno == ENOSYS)
		return EX_SEEN;
	return rc == before ? EX_SEEN : EX_UNEXPECTED;
}

static int
mode_i386(void)
{
	static const uint32_t x86[] = { SCMP_ARCH_X86, 0 };
	long before, rc;

	before = syscall(SYS_getppid);
	if (load_filter(SCMP_ACT_LOG, "getppid", x86, 0) < 0)
		return EX_SETUP;
	/* int $0x80 from a 64-bit task takes the compat (i386) entry. */
	rc = I386_NR_GETPPID;
	__asm__ volatile ("int $0x80"
	    : "+a" (rc)
	    :
	    : "r8", "r9", "r10", "r11", "memory", "cc");
	return rc == before ? EX_SEEN : EX_UNEXPECTED;
}
#else
/* Other-arch calls from a native process: the tests need x86_64. */
static int
mode_x32(void)
{
	fprintf(stderr, "violator: x32 calls need an x86_64 build\n");
	return EX_SETUP;
}

static int
mode_i386(void)
{
	fprintf(stderr, "violator: int 0x80 from 64-bit code needs an "
	    "x86_64 build\n");
	return EX_SETUP;
}
#endif

/* Many records at once, to overflow a reader's receive queue. */
static int
mode_flood(void)
{
	int i;

	if (load_filter(SCMP_ACT_LOG, "getppid", NULL, 0) < 0)
		return EX_SETUP;
	for (i = 0; i < 5000; i++)
		(void)syscall(SYS_getppid);
	return EX_SEEN;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*run)(void);
	} modes[] = {
		{ "log", mode_log },
		{ "errno", mode_errno },
		{ "trap", mode_trap },
		{ "kill_process", mode_kill_process },
		{ "kill_thread", mode_kill_thread },
		{ "x32", mode_x32 },
		{ "i386", mode_i386 },
		{ "flood", mode_flood },
	};
	struct rlimit rl = { 0, 0 };
	char name[16];
	size_t i;
	int (*run)(void) = NULL;

	if (argc != 2 && argc != 4)
		usage();
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(argv[1], modes[i].name) == 0)
			run = modes[i].run;
	if (run == NULL)
		usage();
	if (argc == 4) {
		if (strcmp(argv[2], "--name") != 0 ||
		    unhex(argv[3], name, sizeof(name)) < 0)
			usage();
		/* kill_thread names the dying thread, everything else the
		 * process. */
		if (run == mode_kill_thread)
			memcpy(thread_name, name, sizeof(name));
		else if (prctl(PR_SET_NAME, name, 0, 0, 0) < 0) {
			perror("violator: prctl(PR_SET_NAME)");
			return EX_SETUP;
		}
	}
	/* SIGSYS dumps core by default; the kill modes must not leave one. */
	if (setrlimit(RLIMIT_CORE, &rl) < 0) {
		perror("violator: setrlimit(RLIMIT_CORE)");
		return EX_SETUP;
	}
	return run();
}
