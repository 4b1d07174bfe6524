/*
 * Where events go.  Two kinds of output share one interface: a stream
 * (stdout, a file) takes whole batches of complete lines, so one write(2)
 * carries every event of a drain; a message output (syslog, journald) takes
 * one event at a time, with the key fields it needs beside the JSON line.
 * No output ever sees half an event, and none may block the caller for long:
 * what cannot be delivered is counted as lost, per output.
 */
#ifndef SECCOMPMON_SINK_H
#define SECCOMPMON_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One event as a message output sees it.  Pointers live for the call only. */
struct sink_event {
	const char	*line;		/* the JSON object, without the '\n' */
	size_t		 len;
	int		 severity;	/* syslog severity, LOG_ERR ... LOG_NOTICE */
	uint64_t	 sec;		/* the record's time */
	uint32_t	 msec;
	const char	*action;	/* "kill_process", ...; never NULL */
	const char	*syscall;	/* name in the record's arch, or NULL */
	int64_t		 syscall_nr;	/* valid when has_syscall */
	int		 has_syscall;
	const char	*arch;		/* "x86_64", ...; NULL when not recorded */
	int64_t		 pid;		/* -1: not recorded */
	const char	*comm;		/* raw bytes, maybe not UTF-8; NULL: none */
	size_t		 comm_len;
	const char	*exe;		/* raw bytes; NULL: none */
	size_t		 exe_len;
};

/* What an output implements; NULL members are not supported by it. */
struct sink_ops {
	/*
	 * Streams: write len bytes of complete lines.  *kept is set to the
	 * bytes accepted (written, or queued to be), a prefix that ends at a
	 * line boundary: the rest is dropped whole, never half a line (an
	 * output that wrote part of a line must finish or undo it).  0 when
	 * all was kept, else -1 with errno.
	 */
	int	(*write)(void *impl, const char *buf, size_t len,
		    size_t *kept);
	/* Message outputs: deliver one event.  0, or -1 with errno. */
	int	(*event)(void *impl, const struct sink_event *e);
	/*
	 * Streams with pending bytes: try to write them now.  0 when none
	 * are left, 1 when some still are, -1 with errno.
	 */
	int	(*retry)(void *impl);
	/* SIGHUP: reopen (a file after external rotation).  0, or -1. */
	int	(*reopen)(void *impl);
	void	(*free)(void *impl);
};

struct sink;

/* Per output, since it was created. */
struct sink_counters {
	uint64_t	events;		/* events delivered */
	uint64_t	events_lost;	/* events given up on */
	uint64_t	bytes;		/* bytes delivered */
	uint64_t	failures;	/* calls that failed */
};

/*
 * Wrap an implementation.  name is for diagnostics ("file:/var/log/x.json");
 * it is copied.  The sink owns impl from here on, also when this fails
 * (ops->free is called).  NULL with errno ENOMEM.
 */
struct sink *sink_new(const char *name, const struct sink_ops *ops,
    void *impl);

/* 1 when the sink takes batches of lines (write), 0 for one event a call. */
int sink_is_stream(const struct sink *s);

/*
 * Hand a batch of nevents complete lines to a stream sink, or one event to
 * a message sink.  0, or -1 with errno; what failed is counted as lost.
 */
int sink_write(struct sink *s, const char *buf, size_t len, size_t nevents);
int sink_event(struct sink *s, const struct sink_event *e);

/*
 * Offer one event to a message sink that may be full: as sink_event(), but
 * when the output would block (EAGAIN: the receiver's queue is full) nothing is counted and 1 is returned, for the caller to wait and
 * offer it again.  0 delivered, 1 would block, -1 failed (counted lost).
 */
int sink_offer(struct sink *s, const struct sink_event *e);

/*
 * Retry pending output (a stream's unwritten tail): 0 when nothing is
 * pending, 1 when some still is, -1 with errno.
 */
int sink_retry(struct sink *s);

/* Reopen on SIGHUP; a sink without anything to reopen returns 0. */
int sink_reopen(struct sink *s);

/*
 * Health, for the caller to report each change once: returns 1 when the
 * sink started failing since the last call (*err: its errno), 2 when it
 * works again after failing (*lost: events lost while it failed), else 0.
 */
int sink_health(struct sink *s, int *err, uint64_t *lost);

/* The errno of the last call when it failed, 0 when it succeeded. */
int sink_error(const struct sink *s);

const char *sink_name(const struct sink *s);
const struct sink_counters *sink_counters(const struct sink *s);

void sink_free(struct sink *s);

/*
 * Outputs.  Each opens everything it needs here, before the seccomp
 * filter; err gets a message ("/var/log/x: Permission denied") on failure.
 */

/*
 * A stream on fd, which stays the caller's (stdout).  The fd is made
 * non-blocking for good unless it is a terminal: a reader that does not
 * keep up leaves a bounded tail pending (retried at the next write or
 * retry) and, beyond that, whole batches are dropped and counted, never
 * half a line.  EPIPE is final.  NULL with errno on failure.
 */
struct sink *sink_fd_new(int fd, const char *name);

struct sink_file_opts {
	const char	*path;
	uint64_t	 rotate_size;	/* rotate past this many bytes; 0: never */
	unsigned	 keep;		/* rotated files kept: path.1 ... path.keep */
	mode_t		 mode;		/* of files created, despite the umask */
	gid_t		 group;		/* group of files created; (gid_t)-1: as is */
};
#define SINK_FILE_KEEP_MAX 1000u	/* a rotation renames keep files */

/*
 * Append JSON lines to o->path, which is opened (created when missing) now
 * and must be a regular file, not a symbolic link.  Rotation: when the
 * next line would take the file past rotate_size, path.(keep-1) becomes
 * path.keep (the oldest is replaced), ..., path becomes path.1 (newest),
 * and a new path is created; a line is never split, and a line longer than
 * rotate_size fills a file alone.  keep 0 with a rotate_size: the file is
 * emptied in place instead, and what it held is gone.  mode (permission
 * bits) and group are given to files this output creates (fchmod, fchown),
 * not to files it finds; after privileges are shed, the group must be one
 * the process is in (privs_keep.groups).  A file moved or removed from
 * under the output is written until reopen (SIGHUP), which opens path and
 * its directory anew and closes the old file only once the new one is
 * open.  A failed write leaves whole lines only.  Names are resolved in
 * the directory opened now (reopen resolves it again); a relative path is
 * relative to the working directory.  NULL with errno and err on failure.
 */
struct sink *sink_file_new(const struct sink_file_opts *o, char *err,
    size_t errlen);

enum sink_syslog_format { SINK_SYSLOG_RFC3164, SINK_SYSLOG_RFC5424 };

struct sink_syslog_opts {
	const char		*socket;	/* a local datagram socket */
	int			 facility;	/* LOG_AUTHPRIV, ... (<syslog.h>) */
	const char		*ident;
	int			 cee;		/* "@cee: " before the JSON */
	enum sink_syslog_format	 format;
	const char		*host;		/* HOSTNAME in RFC 5424 */
};
/*
 * One datagram per event to o->socket, sent by path with MSG_DONTWAIT (the
 * socket is never connected); a stream socket found there now is refused,
 * a missing one is fine.  An event too large for one datagram fails whole
 * (EMSGSIZE).  NULL with errno and err on failure.
 */
struct sink *sink_syslog_new(const struct sink_syslog_opts *o, char *err,
    size_t errlen);

/* The largest datagram the syslog output sends, header included. */
#define SINK_SYSLOG_MSG_MAX (64 * 1024)
/*
 * The datagram a syslog output made with o sends for e, with pid as its
 * PROCID, into buf (cap: at least SINK_SYSLOG_MSG_MAX); no socket, for
 * tests and fuzzing.  Its length, or -1 with errno: EINVAL (o refused, or
 * e's severity), EMSGSIZE, EOVERFLOW.
 */
ssize_t sink_syslog_format(const struct sink_syslog_opts *o, long pid,
    const struct sink_event *e, char *buf, size_t cap);

struct sink_journald_opts {
	const char	*socket;	/* "/run/systemd/journal/socket" */
	const char	*ident;		/* SYSLOG_IDENTIFIER */
	/* Entries larger than this go in a sealed memfd; 0: only on EMSGSIZE. */
	size_t		 dgram_max;
};
/*
 * One native-protocol entry per event to o->socket (NULL: the default),
 * sent by path with MSG_DONTWAIT; an entry the socket refuses as too large
 * goes in a sealed memfd.  NULL with errno and err on failure.
 */
struct sink *sink_journald_new(const struct sink_journald_opts *o, char *err,
    size_t errlen);

/*
 * The native-protocol entry a journald output made with o sends for e;
 * no socket, for tests and fuzzing.  A malloc'ed buffer of *len bytes (the
 * caller frees it), or NULL (ENOMEM).
 */
char *sink_journald_entry(const struct sink_journald_opts *o,
    const struct sink_event *e, size_t *len);

#endif
