/*
 * filtered: a process that lives under a seccomp filter, for the gap
 * tests.  It loads a filter that answers getppid with EPERM, with or
 * without SECCOMP_FILTER_FLAG_LOG, names itself, says "ready", and waits;
 * each byte on stdin makes it call getppid once (a denial, logged only with
 * the flag) and say "denied".  It ends when killed or at EOF on stdin.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

static int
say(const char *s)
{
	size_t n = strlen(s);

	return write(STDOUT_FILENO, s, n) == (ssize_t)n ? 0 : -1;
}

int
main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int log_flag;
	char c;

	if (argc != 3 || (strcmp(argv[1], "log") != 0 &&
	    strcmp(argv[1], "nolog") != 0)) {
		fprintf(stderr, "usage: filtered log|nolog NAME\n");
		return 2;
	}
	log_flag = strcmp(argv[1], "log") == 0;
	if (prctl(PR_SET_NAME, argv[2], 0, 0, 0) < 0) {
		perror("filtered: PR_SET_NAME");
		return 3;
	}
	/* libseccomp sets NO_NEW_PRIVS itself (SCMP_FLTATR_CTL_NNP). */
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid),
	    0) < 0 ||
	    (log_flag && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1) < 0) ||
	    seccomp_load(ctx) < 0) {
		fprintf(stderr, "filtered: cannot load the filter\n");
		return 3;
	}
	seccomp_release(ctx);
	if (say("ready\n") < 0)
		return 3;
	while (read(STDIN_FILENO, &c, 1) == 1) {
		errno = 0;
		if (syscall(SYS_getppid) != -1 || errno != EPERM) {
			fprintf(stderr, "filtered: getppid was not denied\n");
			return 4;
		}
		if (say("denied\n") < 0)
			return 3;
	}
	return 0;
}
