/*
 * Linked into the daemon only by ./configure --enable-sanitizers: ASan
 * defaults that keep the runtime within the daemon's seccomp allow-list
 * once the filter is loaded.  The built-in lists stay what ships; the
 * sanitizer adapts to them, and the completeness test holds it to that.
 */
#include "config.h"

#include <sanitizer/asan_interface.h>

/*
 * Read by the ASan runtime before main(); ASAN_OPTIONS overrides it.
 * detect_leaks=0: LeakSanitizer's exit-time check starts a thread (clone),
 * ptraces it and mprotects a guard page, all denied under the filter, and
 * then hangs; the unit tests and tests/integration/test_valgrind.sh check
 * for leaks instead.  clear_shadow_mmap_threshold: clear the shadow of a
 * large block with memset, not by mapping it afresh (mmap, then madvise
 * MADV_NOHUGEPAGE and MADV_DONTDUMP, which the list lacks).
 * allocator_release_to_os_interval_ms=-1: never hand freed pages back
 * with madvise.  use_sigaltstack=0: no alternate signal stack per thread,
 * which ASan would take down with sigaltstack(2) as an output's writer
 * thread ends (it aborts when that is denied).
 */
const char *
__asan_default_options(void)
{
	return "detect_leaks=0:clear_shadow_mmap_threshold=1099511627776:"
	    "allocator_release_to_os_interval_ms=-1:use_sigaltstack=0";
}
