/*
 * Helpers for the live tests: run the daemon on pipes and a sd_notify socket,
 * read its JSON lines against a deadline, run the violator, and read or set
 * the kernel's audit daemon registration through the project's own netlink
 * code.  Nothing here asserts: callers decide what a failure means.
 */
#ifndef SECCOMPMON_TESTS_HARNESS_H
#define SECCOMPMON_TESTS_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

struct auditnl;
struct violation;

#define HARNESS_DAEMON		TOP_BUILDDIR "/seccompmon"
#define HARNESS_VIOLATOR	TOP_BUILDDIR "/tests/integration/violator"
#define HARNESS_LOCK		"/tmp/seccompmon-live-tests.lock"

/* Exit statuses of the violator (tests/integration/violator.c). */
#define VIOLATOR_SEEN		0
#define VIOLATOR_SETUP		3
#define VIOLATOR_UNEXPECTED	4

/* A growing byte buffer, always NUL-terminated once allocated. */
struct hbuf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

/*
 * The environment variable naming a configuration file that every daemon
 * monitor_start() runs gets with --config (the completeness run sets it).
 */
#define HARNESS_CONFIG_ENV	"SECCOMPMON_TEST_CONFIG"

/*
 * A command (words split at blanks) that monitor_start() runs the daemon
 * under, e.g. "valgrind --log-file=... ": tests/integration/
 * test_valgrind.sh sets it.  The daemon's pid is then the wrapper's.
 */
#define HARNESS_WRAPPER_ENV	"SECCOMPMON_TEST_WRAPPER"
/* A directory where each daemon's exit status is left as PID.exit. */
#define HARNESS_EXITS_ENV	"SECCOMPMON_TEST_EXITS"

/* One seccompmon process and everything read from it so far. */
struct monitor {
	/*
	 * Set before monitor_start(): run the daemon in a mount namespace of
	 * its own where /usr/sbin/auditd and /sbin/auditd are covered by
	 * /dev/null, as on a host without auditd (socket mode auto then may
	 * pick unicast; daemon/auditdhost.h).
	 */
	int		 no_auditd;
	pid_t		 pid;		/* 0: not started */
	int		 reaped;
	int		 status;	/* wait status, once reaped */
	int		 out_fd;	/* -1 once closed */
	int		 err_fd;
	int		 notify_fd;
	char		 dir[64];	/* holds the notify socket */
	char		 sock[96];
	struct hbuf	 out;		/* stdout not yet split into lines */
	struct hbuf	 err;		/* all of stderr */
	struct hbuf	 notes;		/* notify datagrams, one per line */
	json_object	**events;	/* every stdout line that parsed */
	size_t		 nevents;
	size_t		 capevents;
	size_t		 lines;		/* stdout lines seen */
	size_t		 bad_lines;	/* lines not exactly one JSON object */
	char		 first_bad[512];
};

/* m's standard error so far, "" when none: for failure messages. */
const char *monitor_err(const struct monitor *m);

/*
 * Write to path the configuration every daemon of a test gets: the file
 * HARNESS_CONFIG_ENV names (the completeness run's "seccomp"), or {}, with
 * each top-level key of overlay (the text of a JSON object) put over it;
 * then point HARNESS_CONFIG_ENV at path, so that monitor_start() passes it
 * and checks the sandbox.  The variable's old value goes to *saved (NULL
 * when unset) for harness_conf_restore(), unless *saved is set already (a
 * second write: then it is kept, and is the base again).  0, or -1 with
 * errno.
 */
int harness_conf_write(const char *path, const char *overlay, char **saved);

/* Point HARNESS_CONFIG_ENV back at saved (unset it when NULL); free it. */
void harness_conf_restore(char *saved);

/* Monotonic milliseconds. */
int64_t mono_ms(void);

/* Take the cross-process lock on path (blocking).  The fd, or -1. */
int lock_take(const char *path);

/* Zero m so that monitor_destroy() is safe whatever happens next. */
void monitor_init(struct monitor *m);

/*
 * Start the daemon with args (NULL-terminated options, argv[0] excluded),
 * stdout and stderr on pipes and NOTIFY_SOCKET set; "--config" and the value
 * of HARNESS_CONFIG_ENV are appended when that is set, and the command in
 * HARNESS_WRAPPER_ENV, when set, runs it.  The running observer
 * (if any) is told the pid.  0, or -1 with errno.
 */
int monitor_start(struct monitor *m, const char *const *args);

/*
 * Read whatever arrives within timeout_ms (and feed the running observer).
 * 0, or -1 when nothing is open.
 */
int monitor_pump(struct monitor *m, int timeout_ms);

/* Read for ms, whatever comes. */
void monitor_linger(struct monitor *m, int ms);

/*
 * With HARNESS_CONFIG_ENV set (test_completeness.sh), the daemon must run
 * with a seccomp filter (Seccomp: 2): then its "sandbox: " line is printed
 * on stderr as "PROG: daemon pid N: Seccomp: 2; sandbox: ..." for the
 * script to check what was loaded.  0 (also when the variable is unset),
 * or -1 with why filled.
 */
int monitor_sandbox(struct monitor *m, const char *prog, char *why,
    size_t len);

/* Wait for READY=1.  0, or -1 on timeout or when the daemon went away. */
int monitor_wait_ready(struct monitor *m, int timeout_ms);

/* Whether a notify datagram contained line (e.g. "STOPPING=1"). */
int monitor_notified(const struct monitor *m, const char *line);

/* Events whose process.pid is pid, and the i-th of them (NULL past end). */
size_t monitor_count(const struct monitor *m, pid_t pid);
json_object *monitor_event(const struct monitor *m, pid_t pid, size_t i);

/* Read until n events for pid have arrived or timeout_ms passed: the count. */
size_t monitor_wait_events(struct monitor *m, pid_t pid, size_t n,
    int timeout_ms);

/*
 * Read stdout and stderr to EOF and reap the daemon.  If that takes longer
 * than timeout_ms it is killed: -1.  0 with m->status set otherwise.
 */
int monitor_wait_exit(struct monitor *m, int timeout_ms);

/* kill(sig), then monitor_wait_exit(). */
int monitor_stop(struct monitor *m, int sig, int timeout_ms);

/*
 * Kill the daemon if it still runs, reap it, and if it died registered,
 * clear that registration; close and free everything.  Idempotent.
 */
void monitor_destroy(struct monitor *m);

/*
 * Run exe (the violator or a copy) in mode, naming it with the len bytes of
 * name unless name is NULL.  The pid, or -1.
 */
pid_t violator_spawn(const char *exe, const char *mode, const char *name,
    size_t len);

/*
 * A child that registers itself as audit daemon and waits to be killed: a
 * registrant that will die without unregistering.  Its pid once registered,
 * or -1.
 */
pid_t registrant_spawn(void);

/* Reap pid within timeout_ms (else SIGKILL and reap: -1).  0, *status set. */
int child_reap(pid_t pid, int timeout_ms, int *status);

/* The value at a dotted path ("seccomp.syscall.name"), or NULL. */
json_object *jpath(json_object *o, const char *path);
/* The string there, or NULL when absent or not a string. */
const char *jpath_str(json_object *o, const char *path, size_t *len);
/* 0 and *v when the value there is an integer, else -1. */
int jpath_int(json_object *o, const char *path, int64_t *v);
/* 0 and *v when the value there is a boolean, else -1. */
int jpath_bool(json_object *o, const char *path, int *v);

/* The audit daemon pid the kernel reports (0: none).  0, or -1 with errno. */
int kaudit_pid(uint32_t *pid);

/*
 * The kernel's backlog_limit and backlog_wait_time, and setting them (a
 * test that lets a unicast daemon raise them puts the old ones back).
 * 0, or -1 with errno.
 */
int kaudit_backlog(uint32_t *limit, uint32_t *wait);
int kaudit_set_backlog(uint32_t limit, uint32_t wait);

/*
 * Wait until the kernel's audit queue is empty (kauditd has handed every
 * record to the sockets), for timeout_ms at most.  0, or -1 (ETIMEDOUT).
 */
int kaudit_wait_sent(int timeout_ms);

/*
 * If the kernel still names dead (a process that is gone) as audit daemon,
 * clear that registration.
 */
void kaudit_forget(uint32_t dead);

/*
 * Whether the live tests can run here.  0: yes, and the kernel's backlog
 * settings as they are now are put back at exit (unicast daemons raise
 * them).  77: no, why says so (no
 * audit, not privileged, another audit daemon registered, ...).  -1: an
 * unexpected error, why says which.
 */
int kaudit_preflight(char *why, size_t len);

/*
 * The value of "key:" in /proc/PID/status ("Seccomp" -> "2"), blanks
 * trimmed, into val.  0, or -1 with errno (ENOENT: no such key).
 */
int proc_status(pid_t pid, const char *key, char *val, size_t len);

/* This process registered as audit daemon, on its own socket. */
struct registration {
	struct auditnl	*nl;
};

/* Register getpid().  0, or -1 with errno. */
int registration_take(struct registration *r);

/* Unregister and close; a no-op when not held.  0, or -1 with errno. */
int registration_release(struct registration *r);

/*
 * An independent witness of the daemons' own seccomp records.  The test
 * process joins the audit multicast group on a socket of its own and keeps
 * every SECCOMP record it receives; monitor_start() tells it the pid of each
 * daemon it starts.  A daemon receives its own records only while it is
 * registered or joined; the observer also sees its last calls, made after it
 * unregistered or left the group on the way out.  Records go from the kernel
 * to every listener through one queue (kernel/audit.c kauditd_thread()), so
 * once a record made after a daemon exited has arrived, every record of that
 * daemon has too: observer_sync() makes one with the violator.
 */
#define OBSERVER_MAX_DAEMONS	32

/* One SECCOMP record as the observer saw it. */
struct observed {
	pid_t		 pid;		/* -1: the record had no valid pid */
	int64_t		 syscall;
	uint32_t	 arch;		/* AUDIT_ARCH_*; 0 when absent */
	int64_t		 sig;		/* -1 when absent */
	const char	*name;		/* syscall name, "?" when unknown */
	const char	*action;	/* "errno", "log", ... */
	char		 text[400];	/* the record, cut, for messages */
};

struct observer {
	struct auditnl		*nl;
	struct violation	*v;		/* decoding scratch */
	struct observed		*recs;
	size_t			 nrecs;
	size_t			 caprecs;
	uint64_t		 undecodable;	/* records not decoded, kept */
	pid_t			 daemons[OBSERVER_MAX_DAEMONS];
	size_t			 ndaemons;
	size_t			 lost_daemons;	/* past OBSERVER_MAX_DAEMONS */
};

/*
 * Open a socket with a receive buffer of rcvbuf bytes, join the multicast
 * group and become the observer that monitor_start() and monitor_pump()
 * report to (one at a time).  0, or -1 with errno; o is then safe to stop.
 */
int observer_start(struct observer *o, int rcvbuf);

/* Count pid as a daemon whose own records are violations; and undo that. */
void observer_watch(struct observer *o, pid_t pid);
void observer_unwatch(struct observer *o, pid_t pid);

/* Take whatever the socket holds now. */
void observer_drain(struct observer *o);

/*
 * Make a marker record (the violator in "log" mode) and read until it has
 * arrived: every record made before it has then been taken.  0, or -1 on
 * timeout or when the violator could not run.
 */
int observer_sync(struct observer *o, int timeout_ms);

/* Records of pid seen so far, and the i-th of them (NULL past the end). */
size_t observer_count(const struct observer *o, pid_t pid);
const struct observed *observer_get(const struct observer *o, pid_t pid,
    size_t i);

/*
 * observer_sync(), then: did any watched daemon leave a SECCOMP record, or
 * was something lost (ENOBUFS on the observer's socket, too many daemons)?
 * 0 when all is clean; -1 with why describing every offence.
 */
int observer_check(struct observer *o, int timeout_ms, char *why,
    size_t len);

/* Stop being the observer; close and free everything.  Idempotent. */
void observer_stop(struct observer *o);

#endif
