/*
 * Monitoring gaps: what the kernel will not report (docs/events.md,
 * "monitoring-gap"), collected from /proc and what the audit socket knows,
 * and sent to the outputs at start, every interval and on SIGUSR1.  A
 * filter's log flag cannot be read from outside (PTRACE_SECCOMP_GET_METADATA
 * needs CAP_SYS_ADMIN, a caller without seccomp and a stopped tracee), so
 * processes under filters are reported as *may* be blind, grouped.
 */
#ifndef SECCOMPMON_GAPS_H
#define SECCOMPMON_GAPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "daemon/conf.h"
#include "reporter/cgroupinfo.h"
#include "reporter/event.h"

struct auditsock;
struct pipeline;

/* Groups listed in an event, and told apart in one scan. */
#define GAPS_TOP_GROUPS		20
#define GAPS_MAX_GROUPS		1024
#define GAPS_GROUP_PIDS		5
/*
 * A backlog_limit below this is small: what auditd's default rules set
 * ("-b 8192") and a unicast seccompmon raises it to (CONF_BACKLOG_LIMIT).
 */
#define GAPS_BACKLOG_SMALL	8192
/* Pids of logged errno/trap/trace/user_notif records remembered. */
#define GAPS_SEEN_MAX		1024

struct gaps;

/*
 * Live mode only: gc as configured, as the audit socket (kept, not owned),
 * ctx for host.name (copied; its host must outlive g).  With gc->enabled
 * false no event is ever made, and this only warns (on stderr) of actions
 * the kernel does not log, as before.  NULL with errno ENOMEM.
 */
struct gaps *gaps_new(const struct conf_gaps *gc, struct auditsock *as,
    const struct event_ctx *ctx);

/*
 * Collect the gaps now and send one monitoring-gap event per gap to every
 * output (pipeline_gap()), then log one line naming them ("monitoring gaps
 * (why): a, b" or "... none") at LOG_INFO; why "start" also logs each
 * gap's message as a warning, and starts the interval.  Nothing when
 * disabled.
 */
void gaps_report(struct gaps *g, struct pipeline *pl, const char *why);

/*
 * Once a tick (mono_ms: log_now_ms()): note the records received in the
 * last second (the busiest second is audit.peak_rate), and report when the
 * interval has passed.
 */
void gaps_tick(struct gaps *g, struct pipeline *pl, int64_t mono_ms);

/*
 * A pipeline_denial_fn: a record of an errno, trap, trace or user_notif
 * denial of pid arrived (time_ms: its time), so that pid's filters log:
 * remembered (bounded) to mark its group logs_seen.
 */
void gaps_note_denial(void *arg, int32_t pid, int64_t time_ms);

void gaps_free(struct gaps *g);

/*
 * Before the audit socket is opened: whether the kernel was booted with
 * audit=0 (or audit=off) in /proc/cmdline, which leaves it without an audit
 * socket.  If so, it is logged, the monitoring-gap event (host.name from
 * ctx) sent to pl's outputs (started, synced and stopped here) when gc is
 * enabled, and 1 returned for the caller to exit; else 0.
 */
int gaps_boot_check(const struct conf_gaps *gc, struct pipeline *pl,
    const struct event_ctx *ctx);

/* ---- Parsers, pure, for the tests ---- */

/* What kernel.seccomp.actions_logged says. */
struct gaps_actions {
	const char	*missing[8];	/* of the seven loggable, in order */
	size_t		 nmissing;
	const char	*logged[16];	/* the words read, pointing into buf */
	size_t		 nlogged;
	char		 buf[256];
};

/* Parse the sysctl's text (NUL-terminated) into a.  Never fails. */
void gaps_actions_parse(const char *text, struct gaps_actions *a);

/* The lines of /proc/PID/status that matter here. */
struct gaps_status {
	int		 seccomp;	/* Seccomp: 0, 1, 2; -1 when absent */
	long		 filters;	/* Seccomp_filters:; -1 when absent */
	char		 name[64];	/* Name:, as the kernel escapes it */
};

/* Parse len bytes of /proc/PID/status.  0, or -1 (EINVAL) without Name:. */
int gaps_status_parse(const char *text, size_t len, struct gaps_status *st);

/*
 * The cgroup part of a group's key, from len bytes of /proc/PID/cgroup:
 * the line reporter/cgroupinfo.c chooses and what its path says (systemd
 * unit, container, pod), so that groups read as the violations' context
 * does.  0, or -1 when it names no path (the root cgroup, or text the
 * kernel would not write): ci is then empty.
 */
int gaps_group_cgroup(const char *text, size_t len, struct cgroup_info *ci);

/* Whether the NUL-terminated kernel command line turns audit off. */
int gaps_cmdline_audit_off(const char *cmdline);

/*
 * Whether a backlog_limit is small: not 0 (no limit) and below
 * GAPS_BACKLOG_SMALL or below peak_rate (records in the busiest second).
 */
int gaps_backlog_small(uint32_t backlog_limit, uint64_t peak_rate);

#endif
