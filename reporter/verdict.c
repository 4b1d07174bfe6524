/*
 * Seccomp actions and signal names.  A trace or user_notif record means the
 * call was skipped by a tracer or supervisor that may have emulated it, so
 * whether it "ran" is unknown (kernel/seccomp.c, the skip: label).  Severity:
 * a kill ended a task (LOG_ERR); a call refused or diverted is a warning;
 * a call that ran is a notice.
 */
#include "config.h"

#include <stddef.h>
#include <syslog.h>

#include "reporter/verdict.h"

static const struct verdict verdicts[] = {
	{ "kill_process", "failure", "denied", LOG_ERR },	/* 0x80000000 */
	{ "kill_thread", "failure", "denied", LOG_ERR },	/* 0x00000000 */
	{ "trap", "failure", "denied", LOG_WARNING },		/* 0x00030000 */
	{ "errno", "failure", "denied", LOG_WARNING },		/* 0x00050000 */
	{ "user_notif", "unknown", "info", LOG_WARNING },	/* 0x7fc00000 */
	{ "trace", "unknown", "info", LOG_WARNING },		/* 0x7ff00000 */
	{ "log", "success", "allowed", LOG_NOTICE },		/* 0x7ffc0000 */
	{ "allow", "success", "allowed", LOG_NOTICE },		/* 0x7fff0000 */
	{ "unknown", "unknown", "info", LOG_WARNING },
};

const struct verdict *
verdict_of(uint32_t code)
{
	switch (code & 0xffff0000u) {
	case 0x80000000u:
		return &verdicts[0];
	case 0x00000000u:
		return &verdicts[1];
	case 0x00030000u:
		return &verdicts[2];
	case 0x00050000u:
		return &verdicts[3];
	case 0x7fc00000u:
		return &verdicts[4];
	case 0x7ff00000u:
		return &verdicts[5];
	case 0x7ffc0000u:
		return &verdicts[6];
	case 0x7fff0000u:
		return &verdicts[7];
	}
	return &verdicts[8];
}

/*
 * The asm-generic numbering, shared by every architecture seccompmon names
 * (x86, arm, arm64, riscv, s390, powerpc).  Only 9 and 31 occur in SECCOMP
 * records (strict mode SIGKILL, SECCOMP_RET_KILL_* SIGSYS).
 */
static const char *const signames[] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

const char *
signal_name(int64_t sig)
{
	if (sig <= 0 ||
	    sig >= (int64_t)(sizeof(signames) / sizeof(signames[0])))
		return NULL;
	return signames[sig];
}
