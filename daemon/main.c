/*
 * seccompmon: argv, the start-up order, and the serving loops.  The order is
 * the OpenBSD one: parse, acquire everything (tables, sinks, signalfd, the
 * netlink socket and its registration), then serve; nothing is opened lazily
 * once records flow.  Only this file decides what is fatal.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/notify.h"
#include "daemon/pipeline.h"
#include "daemon/replay.h"
#include "netlink/auditnl.h"
#include "reporter/systab.h"

#define DEFAULT_RCVBUF (16 * 1024 * 1024)
#define TICK_MS 1000
#define LOSS_REPORT_MS 10000
/* recvmmsg() batches per wake-up before signals are looked at again. */
#define DRAIN_BATCHES 64

enum socket_mode { MODE_AUTO, MODE_UNICAST, MODE_MULTICAST };

struct opts {
	enum socket_mode	 mode;
	const char		*replay;
	const char		*host;
	int			 rcvbuf;
	unsigned		 event_flags;
	int			 verbose;
};

static const char *const mode_names[] = { "auto", "unicast", "multicast" };

static void
usage(FILE *f)
{
	fprintf(f,
"usage: seccompmon [options]\n"
"\n"
"Read the kernel's seccomp violation records (AUDIT_SECCOMP) from the audit\n"
"netlink socket and write one JSON event per line to stdout.\n"
"\n"
"  -s, --socket MODE     auto (default), unicast or multicast:\n"
"                          unicast   register as the audit daemon\n"
"                                    (CAP_AUDIT_CONTROL; no other daemon)\n"
"                          multicast read a copy of every record beside\n"
"                                    auditd or journald (CAP_AUDIT_READ)\n"
"                          auto      unicast when no audit daemon is\n"
"                                    registered, else multicast\n"
"  -r, --replay FILE     decode audit log lines from FILE (- for stdin)\n"
"                        instead of the kernel, then exit\n"
"  -H, --host-name NAME  host.name in events (default: this host's name;\n"
"                        replayed node= values take precedence)\n"
"  -o, --original        add event.original (the record text) to every\n"
"                        event, not only to damaged ones\n"
"  -b, --rcvbuf BYTES    netlink receive buffer (default 16M; k/M/G ok)\n"
"  -v, --verbose         debug diagnostics\n"
"  -h, --help            this text\n"
"  -V, --version         the version\n"
"\n"
"Diagnostics go to stderr.  SIGTERM or SIGINT: flush, unregister, exit 0.\n"
"SIGUSR1: report counters on stderr.  Event schema: docs/events.md.\n");
}

static int
parse_size(const char *s, int *out)
{
	char *end;
	unsigned long long v;
	unsigned long long mul = 1;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	if (*end == 'k' || *end == 'K')
		mul = 1024;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024;
	else if (*end == 'g' || *end == 'G')
		mul = 1024 * 1024 * 1024;
	else if (*end != '\0')
		return -1;
	if (mul != 1 && end[1] != '\0')
		return -1;
	if (v > (unsigned long long)INT_MAX / mul)
		return -1;
	*out = (int)(v * mul);
	return 0;
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "replay", required_argument, NULL, 'r' },
		{ "host-name", required_argument, NULL, 'H' },
		{ "original", no_argument, NULL, 'o' },
		{ "rcvbuf", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = MODE_AUTO;
	o->rcvbuf = DEFAULT_RCVBUF;
	while ((c = getopt_long(argc, argv, "s:r:H:ob:vhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 's':
			if (strcmp(optarg, "auto") == 0)
				o->mode = MODE_AUTO;
			else if (strcmp(optarg, "unicast") == 0)
				o->mode = MODE_UNICAST;
			else if (strcmp(optarg, "multicast") == 0)
				o->mode = MODE_MULTICAST;
			else {
				fprintf(stderr, "seccompmon: --socket: unknown "
				    "mode \"%s\"; expected auto, unicast or "
				    "multicast\n", optarg);
				exit(2);
			}
			break;
		case 'r':
			o->replay = optarg;
			break;
		case 'H':
			if (*optarg == '\0') {
				fprintf(stderr, "seccompmon: --host-name: "
				    "empty name\n");
				exit(2);
			}
			o->host = optarg;
			break;
		case 'o':
			o->event_flags |= EVENT_ORIGINAL;
			break;
		case 'b':
			if (parse_size(optarg, &o->rcvbuf) < 0 ||
			    o->rcvbuf < 65536) {
				fprintf(stderr, "seccompmon: --rcvbuf: \"%s\" is "
				    "not a size from 64k to 2G\n", optarg);
				exit(2);
			}
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("seccompmon %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "seccompmon: unexpected argument \"%s\"\n",
		    argv[optind]);
		usage(stderr);
		exit(2);
	}
}

/*
 * Whether a registered audit daemon looks alive: it exists and is not a
 * zombie (whose socket is closed).  Only auto mode uses this guess, to avoid
 * a registration attempt the kernel would log against a live auditd; an
 * explicit unicast request lets the kernel decide (it probes the daemon).
 */
static int
pid_alive(uint32_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	if (pid == 0 || (kill((pid_t)pid, 0) < 0 && errno != EPERM))
		return 0;
	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	/* "pid (comm) S ...": the state follows the last ')'. */
	if ((p = strrchr(buf, ')')) != NULL && p[1] == ' ' && p[2] == 'Z')
		return 0;
	return 1;
}

/* The comm of a pid, for messages; "?" when it cannot be read. */
static const char *
pid_comm(uint32_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return "?";
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return "?";
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/*
 * Which seccomp actions the kernel audits at all
 * (/proc/sys/kernel/seccomp/actions_logged): a missing one is a blind spot
 * no collector can see past.  Read once at start-up.
 */
static void
check_actions_logged(void)
{
	static const char *const wanted[] = {
		"kill_process", "kill_thread", "trap", "errno", "user_notif",
		"trace", "log",
	};
	char buf[256], padded[260], word[32], missing[256] = "";
	ssize_t n;
	size_t i;
	int fd;

	fd = open("/proc/sys/kernel/seccomp/actions_logged",
	    O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_warn("cannot read /proc/sys/kernel/seccomp/actions_logged");
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(padded, sizeof(padded), " %s ", buf);
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		snprintf(word, sizeof(word), " %s ", wanted[i]);
		if (strstr(padded, word) == NULL) {
			strncat(missing, " ", sizeof(missing) - strlen(missing) - 1);
			strncat(missing, wanted[i],
			    sizeof(missing) - strlen(missing) - 1);
		}
	}
	if (missing[0] != '\0')
		log_warnx("kernel.seccomp.actions_logged lacks%s: the kernel "
		    "writes no record for these actions", missing);
	else
		log_debug("kernel.seccomp.actions_logged: %s", buf);
}

/*
 * Open the audit socket in the requested mode.  Sets *registered when this
 * process became the audit daemon.  Fatal errors exit here: nothing needs
 * undoing yet.
 */
static struct auditnl *
acquire_netlink(const struct opts *o, struct pipeline *pl,
    enum socket_mode *mode, int *registered)
{
	struct auditmsg_status st;
	struct auditnl *nl;
	char comm[64];
	int have_status;

	*registered = 0;
	if ((nl = auditnl_open(o->rcvbuf)) == NULL) {
		if (errno == EPROTONOSUPPORT)
			fatalx("this kernel has no audit support "
			    "(CONFIG_AUDIT is off)");
		fatal("cannot open the audit netlink socket");
	}
	if (auditnl_rcvbuf(nl) < o->rcvbuf)
		log_warnx("receive buffer is %d bytes, less than the %d "
		    "asked for (raise net.core.rmem_max or grant "
		    "CAP_NET_ADMIN)", auditnl_rcvbuf(nl), o->rcvbuf);

	have_status = auditnl_status(nl, &st, pipeline_record_fn, pl) == 0;
	if (!have_status && o->mode == MODE_UNICAST)
		fatal("cannot query the audit status (unicast mode needs "
		    "CAP_AUDIT_CONTROL in the initial PID namespace)");

	*mode = o->mode;
	if (o->mode == MODE_AUTO) {
		if (!have_status) {
			log_info("socket mode auto: multicast (audit status "
			    "not readable: %s)", strerror(errno));
			*mode = MODE_MULTICAST;
		} else if (pid_alive(st.pid)) {
			log_info("socket mode auto: multicast (audit daemon "
			    "pid %u, %s, is registered)", st.pid,
			    pid_comm(st.pid, comm, sizeof(comm)));
			*mode = MODE_MULTICAST;
		} else if (auditnl_set_pid(nl, (uint32_t)getpid(),
		    pipeline_record_fn, pl) == 0) {
			log_info("socket mode auto: unicast (no audit daemon "
			    "was registered)");
			*mode = MODE_UNICAST;
			*registered = 1;
		} else {
			log_info("socket mode auto: multicast (cannot "
			    "register as audit daemon: %s)", strerror(errno));
			*mode = MODE_MULTICAST;
		}
	} else if (o->mode == MODE_UNICAST) {
		if (auditnl_set_pid(nl, (uint32_t)getpid(), pipeline_record_fn,
		    pl) < 0) {
			if (errno == EEXIST && auditnl_status(nl, &st,
			    pipeline_record_fn, pl) == 0)
				fatalx("unicast: audit daemon pid %u (%s) is "
				    "already registered; stop it or use "
				    "--socket multicast", st.pid,
				    pid_comm(st.pid, comm, sizeof(comm)));
			fatal("unicast: cannot register as the audit daemon");
		}
		*registered = 1;
	}

	if (*mode == MODE_MULTICAST) {
		if (auditnl_join(nl) < 0) {
			if (errno == EPERM)
				fatalx("multicast: joining the audit log group "
				    "needs CAP_AUDIT_READ");
			fatal("multicast: cannot join the audit log group");
		}
		if (have_status && st.pid == 0)
			log_notice("no audit daemon is registered: the kernel "
			    "also writes every record to its own log");
	}
	return nl;
}

static void
report_counters(const struct pipeline *pl, const struct auditnl *nl,
    const struct replay *rp)
{
	const struct pipeline_counters *c = &pl->c;
	const struct auditnl_counters *n;
	uint64_t lost = 0;
	size_t i;

	for (i = 0; i < pl->nsinks; i++)
		lost += sink_bytes_lost(pl->sinks[i]);
	log_info("counters: seccomp_records=%llu events=%llu incomplete=%llu "
	    "malformed=%llu other_records=%llu nomem=%llu output_bytes_lost=%llu",
	    (unsigned long long)c->seccomp, (unsigned long long)c->events,
	    (unsigned long long)c->incomplete,
	    (unsigned long long)c->malformed, (unsigned long long)c->other,
	    (unsigned long long)c->nomem, (unsigned long long)lost);
	if (nl != NULL) {
		n = auditnl_counters(nl);
		log_info("netlink: datagrams=%llu records=%llu enobufs=%llu "
		    "foreign=%llu truncated=%llu malformed=%llu "
		    "unexpected=%llu",
		    (unsigned long long)n->datagrams,
		    (unsigned long long)n->records,
		    (unsigned long long)n->enobufs,
		    (unsigned long long)n->foreign,
		    (unsigned long long)n->truncated,
		    (unsigned long long)n->malformed,
		    (unsigned long long)n->unexpected);
	}
	if (rp != NULL)
		log_info("replay: lines=%llu not_audit=%llu too_long=%llu",
		    (unsigned long long)rp->c.lines,
		    (unsigned long long)rp->c.not_audit,
		    (unsigned long long)rp->c.too_long);
}

/* Warn about losses that happened since the last call, at most every 10 s. */
static void
report_losses(const struct auditnl *nl, struct auditnl_counters *seen)
{
	const struct auditnl_counters *n = auditnl_counters(nl);

	if (n->enobufs > seen->enobufs)
		log_warnx("netlink receive queue overflowed %llu time(s) "
		    "(%llu in all): the kernel dropped records for this "
		    "socket; raise --rcvbuf", (unsigned long long)
		    (n->enobufs - seen->enobufs),
		    (unsigned long long)n->enobufs);
	if (n->foreign > seen->foreign || n->malformed > seen->malformed ||
	    n->truncated > seen->truncated)
		log_warnx("dropped netlink datagrams: %llu not from the "
		    "kernel, %llu malformed, %llu truncated (in all)",
		    (unsigned long long)n->foreign,
		    (unsigned long long)n->malformed,
		    (unsigned long long)n->truncated);
	*seen = *n;
}

static int
flush_or_fail(struct pipeline *pl)
{
	if (pipeline_flush(pl) < 0) {
		log_errno(LOG_ERR, "writing events to %s", pl->sink_failed);
		return -1;
	}
	return 0;
}

static int
serve_netlink(struct loop *lp, struct pipeline *pl, struct auditnl *nl,
    int registered)
{
	struct auditnl_counters seen;
	int64_t last_report = log_now_ms(), now;
	int ev, rc = 0, more = 0;

	memset(&seen, 0, sizeof(seen));
	while (!lp->stop) {
		if ((ev = loop_wait(lp, auditnl_fd(nl), more ? 0 : -1)) < 0) {
			log_warn("poll");
			rc = -1;
			break;
		}
		if ((ev & LOOP_INPUT) || more) {
			more = auditnl_drain(nl, DRAIN_BATCHES,
			    pipeline_record_fn, pl);
			if (more < 0) {
				log_warn("receiving from the audit socket");
				rc = -1;
				break;
			}
			if (flush_or_fail(pl) < 0) {
				rc = -1;
				break;
			}
		}
		if (lp->dump) {
			lp->dump = 0;
			report_counters(pl, nl, NULL);
		}
		lp->reopen = 0;	/* nothing to reopen: stdout only */
		if (ev & LOOP_TICK) {
			now = log_now_ms();
			if (now - last_report >= LOSS_REPORT_MS) {
				report_losses(nl, &seen);
				last_report = now;
			}
		}
	}

	notify_send("STOPPING=1");
	if (lp->stop)
		log_info("%s: stopping", strsignal(lp->stop_signal));
	/*
	 * Stop the flow first (unregister, or leave the multicast group) so
	 * that the kernel queues nothing more here, then take what it had
	 * already queued: the final drain ends even during a flood.
	 */
	if (registered) {
		if (auditnl_set_pid(nl, 0, pipeline_record_fn, pl) < 0) {
			log_warn("unregistering as the audit daemon");
			rc = -1;
		}
	} else if (auditnl_leave(nl) < 0)
		log_warn("leaving the audit multicast group");
	if (auditnl_drain(nl, UINT_MAX, pipeline_record_fn, pl) < 0)
		log_warn("draining the audit socket");
	if (flush_or_fail(pl) < 0)
		rc = -1;
	report_losses(nl, &seen);
	report_counters(pl, nl, NULL);
	return rc;
}

static int
serve_replay(struct loop *lp, struct pipeline *pl, struct replay *rp)
{
	int ev, rc = 0, step = 0;

	while (!lp->stop) {
		if ((ev = loop_wait(lp, rp->fd, 0)) < 0) {
			log_warn("poll");
			rc = -1;
			break;
		}
		if (lp->dump) {
			lp->dump = 0;
			report_counters(pl, NULL, rp);
		}
		if (!(ev & LOOP_INPUT)) {
			/* An idle pipe: wait for it without spinning. */
			if ((ev = loop_wait(lp, rp->fd, -1)) < 0 ||
			    !(ev & LOOP_INPUT))
				continue;
		}
		if ((step = replay_step(rp, pl)) < 0) {
			log_warn("reading %s", "replay input");
			rc = -1;
			break;
		}
		if (flush_or_fail(pl) < 0) {
			rc = -1;
			break;
		}
		if (step == 1)
			break;
	}
	if (flush_or_fail(pl) < 0)
		rc = -1;
	report_counters(pl, NULL, rp);
	return rc;
}

/*
 * A daemon started with fd 0, 1 or 2 closed would hand that number to the
 * next open() and write events or diagnostics into it.  Events need a real
 * stdout; a missing stdin or stderr is replaced by /dev/null.
 */
static void
check_std_fds(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) < 0) {
		if (fcntl(STDERR_FILENO, F_GETFD) >= 0)
			fatalx("stdout is closed: events have nowhere to go");
		exit(1);
	}
	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd += 2) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		if (open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY) != fd)
			exit(1);
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct loop lp;
	struct pipeline pl;
	struct event_ctx ev;
	struct replay rp;
	struct auditnl *nl = NULL;
	struct sink *out;
	enum socket_mode mode = MODE_AUTO;
	char host[256], status[160];
	int registered = 0, rc;

	check_std_fds();
	parse_args(argc, argv, &o);
	log_init(o.verbose ? LOG_DEBUG : LOG_INFO);

	/* Acquire. */
	if (systab_init() < 0)
		fatal("building syscall tables");
	if (o.host == NULL) {
		if (gethostname(host, sizeof(host)) < 0)
			fatal("gethostname");
		host[sizeof(host) - 1] = '\0';
		o.host = host;
	}
	if (notify_open() < 0)
		log_warn("NOTIFY_SOCKET");
	if (loop_init(&lp, TICK_MS) < 0)
		fatal("setting up signals and timer");
	memset(&ev, 0, sizeof(ev));
	ev.host = o.host;
	ev.host_len = strlen(o.host);
	ev.flags = o.event_flags;
	if (pipeline_init(&pl, &ev) < 0)
		fatal("allocating buffers");
	if ((out = sink_fd_new(STDOUT_FILENO, "stdout")) == NULL ||
	    pipeline_add_sink(&pl, out) < 0)
		fatal("setting up stdout");

	if (o.replay != NULL) {
		if (replay_open(&rp, o.replay) < 0)
			fatal("%s", o.replay);
		log_info("replaying %s", strcmp(o.replay, "-") == 0 ?
		    "stdin" : o.replay);
		notify_send("READY=1");
		rc = serve_replay(&lp, &pl, &rp);
		replay_close(&rp);
	} else {
		check_actions_logged();
		nl = acquire_netlink(&o, &pl, &mode, &registered);
		snprintf(status, sizeof(status), "STATUS=listening (%s)\n"
		    "READY=1", mode_names[mode]);
		log_info("listening for SECCOMP records (%s, receive buffer %d "
		    "bytes)", mode_names[mode], auditnl_rcvbuf(nl));
		notify_send(status);
		rc = serve_netlink(&lp, &pl, nl, registered);
		auditnl_close(nl);
	}

	pipeline_free(&pl);
	loop_close(&lp);
	notify_close();
	systab_free();
	return rc < 0 ? 1 : 0;
}
