/*
 * struct violation -> one ECS 8.11 JSON object on one line.  The schema is
 * documented in docs/events.md; every string that came from the record goes
 * through obuf_put_jstr(), so the line stays valid JSON whatever it holds.
 */
#ifndef SECCOMPMON_EVENT_H
#define SECCOMPMON_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "reporter/obuf.h"
#include "reporter/violation.h"

#define EVENT_ECS_VERSION "8.11.0"
/*
 * ECS 8.11 categorization (docs/events.md says why): a system call is an
 * API call, and a filter's verdict on it is host-based intrusion detection;
 * both categories expect event.type allowed, denied and info.
 */
#define EVENT_CATEGORY "\"api\",\"intrusion_detection\""
#define EVENT_ACTION "violated-seccomp-policy"	/* Auditbeat's name */
#define EVENT_MODULE "seccompmon"
#define EVENT_DATASET "seccompmon.seccomp"

/* Always add event.original, not only when the record was damaged. */
#define EVENT_ORIGINAL 0x1
/*
 * host is the record's own node= (a replayed line), not this host's name:
 * bytes in it that are not UTF-8 are damage to the record, said in
 * error.message as for its fields.
 */
#define EVENT_HOST_NODE 0x2

/*
 * What was learnt of the process behind a record beyond the record itself
 * (daemon/pipeline.c fills it from /proc, the cgroup and the user
 * database; docs/events.md says where each comes from).  Every member is
 * optional: NULL strings and negative numbers are left out.
 */
struct event_proc {
	const char	*source;	/* seccompmon.context; NULL: no look-up */
	int32_t		 ppid;
	int64_t		 start_ms;	/* wall clock, ms since the epoch */
	const char	*args;		/* nargs NUL-terminated strings */
	size_t		 args_len;
	uint32_t	 nargs;
	int		 args_truncated;
	const char	*cwd;
	size_t		 cwd_len;
	const char	*cgroup;	/* the path the next four come from */
	const char	*service;
	const char	*container_id;
	const char	*container_runtime;
	const char	*pod_uid;
	const char	*pod_namespace;
	const char	*pod_name;
	const char	*user_name;	/* of the record's uid */
	size_t		 user_name_len;
	const char	*group_name;	/* of its gid */
	size_t		 group_name_len;
	const char	*auid_name;	/* of its login uid */
	size_t		 auid_name_len;
};

struct event_ctx {
	const char	*host;		/* host.name; may be NULL */
	size_t		 host_len;
	unsigned	 flags;		/* EVENT_* */
	int32_t		 self_pid;	/* seccompmon's own pid; 0: none */
	const struct event_proc *proc;	/* this record's; NULL: none */
};

/*
 * Append the event for v, ending in '\n', to b.  A record of ctx->self_pid
 * (seccompmon breaking its own filter) gets "seccompmon": {"self": true}.
 * raw is the record text v was
 * decoded from; it becomes event.original when a field was missing,
 * malformed or misquoted, a string (or, with EVENT_HOST_NODE, the host) was
 * not valid UTF-8, or EVENT_ORIGINAL is set.  Returns 0 for an event from
 * an intact record, 1 for one that carries error.message (any of that
 * damage), and -1 (ENOMEM) on allocation failure, with b as it was before.
 */
int event_encode(struct obuf *b, const struct violation *v, const char *raw,
    size_t raw_len, const struct event_ctx *ctx);

/*
 * Loss reports: event.action "events-lost", in the same stream and the
 * same dataset as the violations, so a reader sees a gap where it is.
 */
#define EVENT_ACTION_LOST "events-lost"

struct event_lost_output {
	const char	*name;		/* "file:/var/log/x.json" */
	uint64_t	 count;		/* events this output failed to take */
};

/* What was lost from start to end (wall clock, ms since the epoch). */
struct event_lost {
	int64_t		 start_ms;
	int64_t		 end_ms;
	uint64_t	 kernel_lost;	/* growth of the kernel's lost counter */
	uint64_t	 enobufs;	/* receive queue overflows: count unknown */
	uint64_t	 socket_dropped; /* records dropped at the full queue */
	uint64_t	 bad_datagrams;	/* truncated or malformed datagrams */
	uint64_t	 malformed;	/* SECCOMP records that did not decode */
	uint64_t	 nomem;		/* events lost to allocation failure */
	const struct event_lost_output *outputs;
	size_t		 noutputs;	/* entries with count 0 are left out */
};

/*
 * Append the events-lost event for l, ending in '\n', to b; host.name from
 * ctx (its flags are ignored).  seccompmon.lost.count is the sum of the
 * reasons known exactly before any output (kernel_lost, socket_dropped,
 * bad_datagrams, malformed, nomem);
 * zero reasons are left out.  0, or -1 (ENOMEM) with b as it was before.
 */
int event_encode_lost(struct obuf *b, const struct event_lost *l,
    const struct event_ctx *ctx);

/*
 * Stats: event.kind "metric", event.action "stats", in a dataset of their
 * own so that views of the violations (and a SIEM's routing by dataset)
 * keep metrics apart; docs/events.md says why.
 */
#define EVENT_ACTION_STATS "stats"
#define EVENT_DATASET_STATS "seccompmon.stats"

/* The counters, for an interval or since the start. */
struct event_stats_counts {
	uint64_t	 received;	/* SECCOMP records */
	uint64_t	 emitted;	/* events of single records */
	uint64_t	 incomplete;	/* of those, from damaged records */
	uint64_t	 summarized;	/* records folded into summaries */
	uint64_t	 summaries;	/* summary events */
	uint64_t	 self;		/* seccompmon's own violations */
	uint64_t	 kernel_lost;	/* as struct event_lost */
	uint64_t	 socket_dropped;
	uint64_t	 bad_datagrams;
	uint64_t	 enobufs;
	uint64_t	 malformed;
	uint64_t	 nomem;
};

struct event_stats_output {
	const char	*name;
	uint64_t	 written;	/* lines it took, in the interval */
	uint64_t	 lost;		/* events it lost (as events-lost), in it */
	uint64_t	 total_written;	/* the same since the start */
	uint64_t	 total_lost;
};

/* From start to end (wall clock, ms since the epoch). */
struct event_stats {
	int64_t		 start_ms;
	int64_t		 end_ms;
	struct event_stats_counts interval;
	struct event_stats_counts total;
	const struct event_stats_output *outputs;
	size_t		 noutputs;
};

/*
 * Append the stats event for s, ending in '\n', to b; host.name from ctx
 * (its flags are ignored).  Every counter is written, zeros too (a metric
 * graphs 0, not a gap), under seccompmon.stats.interval and .total alike.
 * 0, or -1 (ENOMEM) with b as it was before.
 */
int event_encode_stats(struct obuf *b, const struct event_stats *s,
    const struct event_ctx *ctx);

/*
 * Monitoring gaps: event.kind "state", event.action "monitoring-gap", one
 * event per gap, in the violations' dataset so that a reader of it learns
 * where it is blind (docs/events.md says why kind state, category
 * configuration).  The message and the remedy of each reason are fixed
 * here, filled with the numbers of the gap.
 */
#define EVENT_ACTION_GAP "monitoring-gap"
#define EVENT_CATEGORY_GAP "\"configuration\""

enum event_gap_reason {
	EVENT_GAP_ACTIONS_NOT_LOGGED,	/* actions_logged lacks some */
	EVENT_GAP_AUDIT_RATE_LIMIT,	/* audit rate_limit nonzero */
	EVENT_GAP_AUDIT_BACKLOG_SMALL,	/* backlog_limit small */
	EVENT_GAP_AUDIT_DISABLED_AT_BOOT, /* audit=0: no record at all */
	EVENT_GAP_FILTERS_MAY_NOT_LOG,	/* filters, FLAG_LOG unknown */
	EVENT_GAP_MULTICAST_NOT_REGISTERED, /* kernel losses not ours */
	EVENT_GAP_REASONS
};

/* One group of processes under seccomp filters (filters_may_not_log). */
struct event_gap_group {
	const char	*cgroup;	/* from /proc/PID/cgroup; may be NULL */
	size_t		 cgroup_len;
	/* What the cgroup says (reporter/cgroupinfo.h); each may be NULL. */
	const char	*service;	/* systemd unit */
	const char	*container_id;
	const char	*container_runtime;
	const char	*pod_uid;
	const char	*name;		/* comm; may be NULL */
	size_t		 name_len;
	uint64_t	 count;		/* processes */
	const int32_t	*pids;		/* some of them, up to npids */
	size_t		 npids;
	int		 logs_seen;	/* a denial of the group was logged */
};

struct event_gap {
	enum event_gap_reason reason;
	int64_t		 time_ms;	/* @timestamp: the report's time */
	int64_t		 as_of_ms;	/* when the facts were read */
	/* The audit status was read at start-up, not lately (multicast). */
	int		 audit_as_of_startup;
	/* actions_not_logged: names missing, and what the sysctl lists. */
	const char *const *actions_missing;
	size_t		 nactions_missing;
	const char *const *actions_logged;
	size_t		 nactions_logged;
	/* audit_rate_limit, audit_backlog_small */
	uint32_t	 rate_limit;
	uint32_t	 backlog_limit;
	/* SECCOMP records received in the busiest second so far; 0: none. */
	uint64_t	 peak_rate;
	/* multicast_not_registered: the registered daemon, 0 none. */
	int		 audit_unknown;	/* the status could not be read */
	uint32_t	 audit_pid;
	const char	*audit_daemon;	/* its comm; NULL: unknown */
	/* filters_may_not_log */
	uint64_t	 processes;	/* in filter mode, but seccompmon */
	const struct event_gap_group *groups;	/* the largest first */
	size_t		 ngroups;
	uint64_t	 groups_omitted;	/* groups not in groups[] */
};

/*
 * Append the event's message (the sentence, unquoted, not escaped) to m,
 * for diagnostics; a reason out of range appends nothing.
 */
void event_gap_message(struct obuf *m, const struct event_gap *g);

/* "actions_not_logged", ...; NULL for a reason out of range. */
const char *event_gap_reason_name(enum event_gap_reason r);

/*
 * Append the monitoring-gap event for g, ending in '\n', to b; host.name
 * from ctx (its flags are ignored).  Fields a reason does not use are not
 * written.  0, or -1 with errno EINVAL (reason out of range) or ENOMEM,
 * b as it was before.
 */
int event_encode_gap(struct obuf *b, const struct event_gap *g,
    const struct event_ctx *ctx);

#endif
