/*
 * The context of the process behind a record (parent, start, arguments,
 * working directory, cgroup), read from /proc and cached per (pid, start
 * time), so that a storm costs a hash look-up and a process that has exited
 * by the time its record is read still gets what was seen of it.  A record
 * carries no start time, only its own: a process that started after the
 * record (a reused pid) is never taken for the one that made it.
 */
#ifndef SECCOMPMON_PROCCTX_H
#define SECCOMPMON_PROCCTX_H

#include <stddef.h>
#include <stdint.h>

#include "reporter/cgroupinfo.h"

#define PROCCTX_CACHE_SIZE 1024	/* processes remembered */
#define PROCCTX_ARGS_MAX 4096	/* bytes of /proc/PID/cmdline kept */
/*
 * A record's time and a start time in /proc are this far apart at most for
 * one instant: start times count in clock ticks (10 ms), record times come
 * from the kernel's coarse clock (one jiffy behind, 4 ms at HZ=250).
 */
#define PROCCTX_SLACK_MS 25

enum procctx_source {
	PROCCTX_NONE = 0,	/* no look-up was made (replay) */
	PROCCTX_LIVE,		/* the process was there when the record was read */
	PROCCTX_CACHED,		/* gone, or its pid reused: what was seen earlier */
	PROCCTX_GONE,		/* gone, never seen: the record's fields only */
};

struct procctx_info {
	enum procctx_source	 source;
	int32_t			 ppid;		/* -1: unknown */
	int64_t			 start_ms;	/* wall clock; -1: unknown */
	const char		*args;		/* nargs NUL-terminated strings */
	size_t			 args_len;	/* bytes of all of them */
	uint32_t		 nargs;		/* 0: none (a zombie, a thread) */
	int			 args_truncated;
	const char		*cwd;		/* NULL: unknown (not readable) */
	size_t			 cwd_len;
	const struct cgroup_info *cg;		/* NULL: unknown */
};

struct procctx_counters {
	uint64_t	 hits;		/* answered from the cache, no syscall */
	uint64_t	 reads;		/* /proc/PID/stat read to check a pid */
	uint64_t	 live, cached, gone;
	uint64_t	 evicted;
};

struct procctx;

/*
 * max: processes remembered (rounded up to a multiple of 4); args_max:
 * bytes of the command line kept (at most 1 MiB).  Opens /proc now, so the
 * caller may confine paths afterwards.  NULL with errno.
 */
struct procctx *procctx_new(size_t max, size_t args_max);

/*
 * The context of pid for a record made at rec_ms (wall clock, ms) by a
 * task whose comm and exe were as recorded (NULL when absent; exe tells an
 * execve since apart).  The result points into the cache: valid until the
 * next call.  Never NULL.
 */
const struct procctx_info *procctx_lookup(struct procctx *c, int32_t pid,
    int64_t rec_ms, const char *comm, size_t comm_len, const char *exe,
    size_t exe_len);

/*
 * Never read a process's working directory: the caller cannot (a Landlock
 * domain fails ptrace's access check on processes outside it, and each
 * try would be audited).
 */
void procctx_no_cwd(struct procctx *c);

void procctx_counters(const struct procctx *c, struct procctx_counters *out);

void procctx_free(struct procctx *c);

/*
 * When pid started, wall clock ms, as procctx_info.start_ms gives it (read
 * now from /proc/PID/stat, no cache); -1 when it is gone or unreadable.
 */
int64_t procctx_start_ms(int32_t pid);

/* "live", "cached", "gone"; NULL for PROCCTX_NONE. */
const char *procctx_source_name(enum procctx_source s);

#endif
