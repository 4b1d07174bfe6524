/*
 * No LeakSanitizer at exit, in a sanitizer build, for the test programs
 * that run under seccomp filters (violator, filtered, learnee).  Its check
 * runs in a tracer process that calls ptrace(2) and getppid(2): under
 * violator's and filtered's filters those calls are logged or denied, and
 * would leave records of another pid that the live tests, counting every
 * record exactly, would find extra; under the policy learn writes, ptrace
 * is left out as dangerous, so the tracer is killed and the process waits
 * for it for ever.  Linked into each of them; empty in other builds.
 */
#include "config.h"

#ifdef SM_SANITIZERS
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif
