/*
 * The input of the offline commands (report, profile): lines of seccompmon's
 * own JSON events or of raw audit logs, told apart line by line, each made
 * into one normalized struct evitem.  Raw records go through the decoder
 * --replay uses (logline, violation, systab, verdict), so both paths name
 * calls and actions alike.  Lines are read with a bounded buffer.
 */
#ifndef SECCOMPMON_EVREAD_H
#define SECCOMPMON_EVREAD_H

#include <stddef.h>
#include <stdint.h>

/* The longest line read; a longer one is skipped (EVLINES_TOO_LONG). */
#define EVREAD_LINE_MAX 65536
#define EVREAD_PIDS_MAX 5	/* as seccompmon.summary.pids */
#define EVREAD_REASONS_MAX 8	/* events-lost reasons and outputs kept */

enum evkind {
	EV_VIOLATION,	/* one record: violated-seccomp-policy or raw */
	EV_SUMMARY,	/* violations-summarized (storm control) */
	EV_LOST,	/* events-lost */
	EV_OTHER	/* stats, monitoring-gap, other audit records, blank */
};

struct evcount {
	const char	*name;
	uint64_t	 count;
};

/*
 * Strings are NULL when the input did not carry them; they belong to the
 * reader and stay valid until its next evreader_parse().
 */
struct evitem {
	enum evkind	 kind;
	int64_t		 time_ms;	/* @timestamp; a summary's first */
	int64_t		 last_ms;	/* a summary's last; else time_ms */
	const char	*exe;
	const char	*service;
	const char	*container_id;
	const char	*pod_namespace;
	const char	*pod_name;
	uint32_t	 arch;		/* AUDIT_ARCH_*; 0 when unknown */
	const char	*arch_name;	/* "x86_64", "x32", or "%x" */
	int64_t		 syscall_nr;	/* -1 when absent */
	const char	*syscall_name;	/* NULL when absent or unknown */
	const char	*action;	/* "errno", "kill_process", ... */
	uint64_t	 count;		/* 1, or seccompmon.summary.count */
	int32_t		 pid;		/* -1 when absent */
	int32_t		 pids[EVREAD_PIDS_MAX];	/* a summary's pids */
	size_t		 npids;
	int		 other_keys;	/* a summary without key fields */
	/* EV_LOST: seccompmon.lost.count, reasons and per-output counts. */
	uint64_t	 lost_count;
	struct evcount	 reasons[EVREAD_REASONS_MAX];
	size_t		 nreasons;
	struct evcount	 outputs[EVREAD_REASONS_MAX];
	size_t		 noutputs;
};

struct evlines;

/*
 * Open path for reading lines ("-" is stdin, which is not closed).
 * Returns NULL with errno on failure.
 */
struct evlines *evlines_open(const char *path);

#define EVLINES_TOO_LONG 2
/*
 * The next line, without its newline, in *line and *len (pointing into l's
 * buffer until the next call).  Returns 1, 0 at the end of input,
 * EVLINES_TOO_LONG when a line longer than EVREAD_LINE_MAX was skipped, or
 * -1 with errno on a read error.
 */
int evlines_next(struct evlines *l, const char **line, size_t *len);

/* The number of the line last returned (1 for the first). */
uint64_t evlines_lineno(const struct evlines *l);

/* Close (unless stdin) and free; NULL is allowed. */
void evlines_close(struct evlines *l);

struct evreader;

/*
 * A reader holds the buffers and the JSON tokener for parsing; it calls
 * systab_init().  Returns NULL with errno ENOMEM.
 */
struct evreader *evreader_new(void);

/* Free a reader; NULL is allowed. */
void evreader_free(struct evreader *r);

/*
 * Turn one line (len bytes, no NUL needed) into *it.  A line starting with
 * '{' is a seccompmon JSON event, anything else an audit log line.  Returns
 * 0 (it filled; EV_OTHER for lines that carry no violation), or -1 when the
 * line is malformed, with a reason in err (errlen bytes, NUL-terminated).
 */
int evreader_parse(struct evreader *r, const char *line, size_t len,
    struct evitem *it, char *err, size_t errlen);

/*
 * Parse an RFC 3339 time ("2026-11-27T22:06:26.337Z", any fraction, Z or
 * +HH:MM) of n bytes into milliseconds since the epoch.  0, or -1.
 */
int evread_time(const char *s, size_t n, int64_t *ms);

/* What evread_file() hands its caller. */
struct evread_sink {
	/* Each item of a line that parsed: 0, or -1 with errno to stop. */
	int	(*item)(void *arg, const struct evitem *it);
	/* Each line that did not (lineno counts from 1), with why. */
	void	(*bad)(void *arg, uint64_t lineno, const char *why);
	void	*arg;
	uint64_t lines;		/* lines read so far, over every call */
};

/*
 * Read path ("-": standard input) line by line through r, handing each
 * line to s.  0; -1 with errno when the file could not be opened or read,
 * or when s->item stopped the reading.
 */
int evread_file(struct evreader *r, const char *path, struct evread_sink *s);

#endif
