/*
 * For test children that run under a strict seccomp filter of their own.
 * In a build with --enable-sanitizers the ASan runtime makes calls there
 * that the code under test does not: sigaltstack(NULL, &ss) before every
 * noreturn call (_exit, longjmp: __asan_handle_no_return), and mmap,
 * munmap and madvise as its allocator and shadow memory grow and shrink.
 * sanitizer_allow() lets exactly those through a filter a child is about
 * to load, in such a build only.  The daemon's built-in lists never get
 * them: the daemon built so avoids them instead (daemon/sanitizer.c).
 */
#ifndef SECCOMPMON_TESTS_SANITIZER_H
#define SECCOMPMON_TESTS_SANITIZER_H

#include <errno.h>

#include <seccomp.h>

/* Allow the sanitizer runtime's own calls in ctx.  0, or -1 with errno. */
static inline int
sanitizer_allow(scmp_filter_ctx ctx)
{
#ifdef SM_SANITIZERS
	static const char *const names[] = { "sigaltstack", "mmap", "munmap",
		"madvise" };
	size_t i;
	int nr, rc;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((nr = seccomp_syscall_resolve_name(names[i])) ==
		    __NR_SCMP_ERROR)
			continue;
		/* -EEXIST: the policy has a rule for it already; -EACCES:
		 * it allows every call not named. */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (rc < 0 && rc != -EEXIST && rc != -EACCES) {
			errno = -rc;
			return -1;
		}
	}
#else
	(void)ctx;
#endif
	return 0;
}

#endif
