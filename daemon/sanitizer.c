/*
 * Linked into the daemon only by ./configure --enable-sanitizers.  The
 * daemon serves under its own seccomp filter, where LeakSanitizer cannot
 * work: its exit-time check starts a thread (clone), ptraces it and
 * mprotects a guard page, all denied, and then hangs.  So leak checking is
 * off by default here (ASAN_OPTIONS=detect_leaks=1 turns it back on for a
 * run without a filter); the unit tests and valgrind check for leaks.
 */
#include "config.h"

#include <sanitizer/asan_interface.h>

/* Read by the ASan runtime before main(); ASAN_OPTIONS overrides it. */
const char *
__asan_default_options(void)
{
	return "detect_leaks=0:clear_shadow_mmap_threshold=1099511627776:"
	    "allocator_release_to_os_interval_ms=-1";
}
