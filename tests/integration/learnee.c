/*
 * learnee: a program for the learn tests that makes known calls outside
 * learn's baseline, in three processes of one tree: itself (socket,
 * mkdirat, unlinkat, get_mempolicy, which Docker's default profile denies),
 * a forked child (sysinfo) and that child's exec'd image (getpriority).
 * Raw syscall(2)s, so that the names do not depend on the libc.
 *   learnee plain | unshare | fail | spin MS | grandchild
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
calls(void)
{
	char dir[64];
	long fd;

	fd = syscall(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("learnee: socket");
		return -1;
	}
	(void)close((int)fd);
	(void)snprintf(dir, sizeof(dir), "/tmp/learnee.%ld", (long)getpid());
	if (syscall(SYS_mkdirat, AT_FDCWD, dir, 0700) < 0 ||
	    syscall(SYS_unlinkat, AT_FDCWD, dir, AT_REMOVEDIR) < 0) {
		perror("learnee: mkdirat/unlinkat");
		return -1;
	}
	/* ENOSYS without NUMA, EPERM under Docker's profile: either will do. */
	(void)syscall(SYS_get_mempolicy, NULL, NULL, 0UL, NULL, 0UL);
	return 0;
}

static int
tree(const char *self)
{
	pid_t pid;
	int status;

	if ((pid = fork()) < 0) {
		perror("learnee: fork");
		return -1;
	}
	if (pid == 0) {
		char buf[256];

		(void)syscall(SYS_sysinfo, buf);
		execl(self, self, "grandchild", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "learnee: the child failed (status %#x)\n",
		    (unsigned)status);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t;
	long ms;

	if (argc < 2) {
		fprintf(stderr, "usage: learnee plain|unshare|fail|"
		    "spin MS|grandchild\n");
		return 2;
	}
	if (strcmp(argv[1], "grandchild") == 0) {
		errno = 0;
		(void)syscall(SYS_getpriority, 0, 0);
		return 0;
	}
	if (strcmp(argv[1], "spin") == 0 && argc == 3) {
		/* Only getpgid, over and over, for MS milliseconds. */
		ms = strtol(argv[2], NULL, 10);
		(void)clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			(void)syscall(SYS_getpgid, 0);
			(void)usleep(20000);
			(void)clock_gettime(CLOCK_MONOTONIC, &t);
		} while ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
		return 0;
	}
	if (calls() < 0 || tree(argv[0]) < 0)
		return 1;
	if (strcmp(argv[1], "unshare") == 0 &&
	    syscall(SYS_unshare, 0) < 0) {
		perror("learnee: unshare(0)");
		return 1;
	}
	return strcmp(argv[1], "fail") == 0 ? 3 : 0;
}
