/*
 * seccompmon: argv, the start-up order, and the serving loops.  The order is
 * the OpenBSD one: parse the configuration, acquire everything (tables,
 * sinks, signalfd, the netlink socket and its registration, user look-up),
 * shed privileges, load the seccomp filter, then serve; nothing is opened
 * lazily once records flow.  Only this file decides what is fatal.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include "daemon/conf.h"
#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/notify.h"
#include "daemon/pipeline.h"
#include "daemon/policycmd.h"
#include "daemon/replay.h"
#include "daemon/sandbox.h"
#include "netlink/auditnl.h"
#include "reporter/systab.h"

#define TICK_MS 1000
#define LOSS_REPORT_MS 10000
/* recvmmsg() batches per wake-up before signals are looked at again. */
#define DRAIN_BATCHES 64
/* Exit status for configuration errors (sysexits.h EX_CONFIG). */
#define EXIT_CONFIG 78

/* Command-line options; each overrides the configuration file. */
struct opts {
	const char		*config;	/* NULL: the default file */
	int			 check_config;
	int			 require_sandbox;
	int			 mode;		/* -1: from the file */
	const char		*replay;
	const char		*host;
	int			 rcvbuf;	/* 0: from the file */
	int			 original;
	int			 verbose;
};

static const char *const mode_names[] = { "auto", "unicast", "multicast" };

static void
usage(FILE *f)
{
	fprintf(f,
"usage: seccompmon [options]\n"
"       seccompmon policy check|show|export|test [--config FILE] ...\n"
"\n"
"Read the kernel's seccomp violation records (AUDIT_SECCOMP) from the audit\n"
"netlink socket and write one JSON event per line to stdout.\n"
"\n"
"  -c, --config FILE     configuration (default %s;\n"
"                        a missing default file means built-in defaults)\n"
"      --check-config    validate the configuration and policy, then exit\n"
"      --require-sandbox any seccomp policy error is fatal at start\n"
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
"SIGUSR1: report counters on stderr.  Event schema: docs/events.md.\n"
"Exit status: 0 done, 1 runtime error, 2 usage, 78 configuration.\n",
	    SECCOMPMON_CONF_FILE);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_CHECK_CONFIG = 256, OPT_REQUIRE_SANDBOX };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
		{ "require-sandbox", no_argument, NULL, OPT_REQUIRE_SANDBOX },
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
	o->mode = -1;
	while ((c = getopt_long(argc, argv, "c:s:r:H:ob:vhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_CHECK_CONFIG:
			o->check_config = 1;
			break;
		case OPT_REQUIRE_SANDBOX:
			o->require_sandbox = 1;
			break;
		case 's':
			if ((o->mode = conf_socket_parse(optarg)) < 0) {
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
			o->original = 1;
			break;
		case 'b':
			if (conf_parse_size(optarg, &o->rcvbuf) < 0 ||
			    o->rcvbuf < 65536) {
				fprintf(stderr, "seccompmon: --rcvbuf: \"%s\" is "
				    "not a size from 64k to 2047M\n", optarg);
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
acquire_netlink(enum conf_socket want, int rcvbuf, struct pipeline *pl,
    enum conf_socket *mode, int *registered)
{
	struct auditmsg_status st;
	struct auditnl *nl;
	char comm[64];
	int have_status;

	*registered = 0;
	if ((nl = auditnl_open(rcvbuf)) == NULL) {
		if (errno == EPROTONOSUPPORT)
			fatalx("this kernel has no audit support "
			    "(CONFIG_AUDIT is off)");
		fatal("cannot open the audit netlink socket");
	}
	if (auditnl_rcvbuf(nl) < rcvbuf)
		log_warnx("receive buffer is %d bytes, less than the %d "
		    "asked for (raise net.core.rmem_max or grant "
		    "CAP_NET_ADMIN)", auditnl_rcvbuf(nl), rcvbuf);

	have_status = auditnl_status(nl, &st, pipeline_record_fn, pl) == 0;
	if (!have_status && want == CONF_SOCKET_UNICAST)
		fatal("cannot query the audit status (unicast mode needs "
		    "CAP_AUDIT_CONTROL in the initial PID namespace)");

	*mode = want;
	if (want == CONF_SOCKET_AUTO) {
		if (!have_status) {
			log_info("socket mode auto: multicast (audit status "
			    "not readable: %s)", strerror(errno));
			*mode = CONF_SOCKET_MULTICAST;
		} else if (pid_alive(st.pid)) {
			log_info("socket mode auto: multicast (audit daemon "
			    "pid %u, %s, is registered)", st.pid,
			    pid_comm(st.pid, comm, sizeof(comm)));
			*mode = CONF_SOCKET_MULTICAST;
		} else if (auditnl_set_pid(nl, (uint32_t)getpid(),
		    pipeline_record_fn, pl) == 0) {
			log_info("socket mode auto: unicast (no audit daemon "
			    "was registered)");
			*mode = CONF_SOCKET_UNICAST;
			*registered = 1;
		} else {
			log_info("socket mode auto: multicast (cannot "
			    "register as audit daemon: %s)", strerror(errno));
			*mode = CONF_SOCKET_MULTICAST;
		}
	} else if (want == CONF_SOCKET_UNICAST) {
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

	if (*mode == CONF_SOCKET_MULTICAST) {
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
		lost += sink_counters(pl->sinks[i])->events_lost;
	log_info("counters: seccomp_records=%llu events=%llu incomplete=%llu "
	    "malformed=%llu other_records=%llu nomem=%llu output_events_lost=%llu",
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

/* Write the batch out; a failed sink is logged once, then just fails. */
static int
flush_or_fail(struct pipeline *pl)
{
	if (pipeline_flush(pl) < 0) {
		if (!pl->sink_reported)
			log_errno(LOG_ERR, "writing events to %s",
			    pl->sink_failed);
		pl->sink_reported = 1;
		return -1;
	}
	return 0;
}

/*
 * Take what the kernel still delivers once the flow is stopped.  kauditd
 * sends from its own thread, so records of the last moments (the daemon's
 * own calls at shutdown among them) can land after a first EAGAIN: read
 * until the socket has been quiet for FINAL_QUIET_MS, for FINAL_MAX_MS at
 * most (a multicast reader that could not leave keeps receiving).
 */
#define FINAL_QUIET_MS 50
#define FINAL_MAX_MS 1000

static void
final_drain(struct auditnl *nl, struct pipeline *pl)
{
	struct pollfd pfd;
	int64_t end = log_now_ms() + FINAL_MAX_MS, left;

	for (;;) {
		if (auditnl_drain(nl, DRAIN_BATCHES, pipeline_record_fn,
		    pl) < 0) {
			log_warn("draining the audit socket");
			return;
		}
		if ((left = end - log_now_ms()) <= 0)
			return;
		pfd.fd = auditnl_fd(nl);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)(left < FINAL_QUIET_MS ? left :
		    FINAL_QUIET_MS)) <= 0)
			return;
	}
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
	final_drain(nl, pl);
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

/*
 * Read the configuration and check its policy, logging every error.
 * Returns 0 to go on, with *policy_ok false when the policy has errors that
 * are not fatal; EXIT_CONFIG when the daemon must not start.
 */
static int
load_conf(const struct opts *o, struct conf *c, int *policy_ok)
{
	struct conf_errors errs;
	const char *path = o->config ? o->config : SECCOMPMON_CONF_FILE;
	size_t i;

	*policy_ok = 1;
	if (conf_init(c) < 0)
		fatal("configuration defaults");
	memset(&errs, 0, sizeof(errs));
	(void)conf_load(c, path, o->config == NULL,
	    sandbox_actions_available(), &errs);
	for (i = 0; i < errs.n; i++)
		log_msg(LOG_ERR, "%s", errs.msg[i]);
	if (errs.dropped)
		log_msg(LOG_ERR, "%s: %zu more errors", path, errs.dropped);
	if (errs.n + errs.dropped > errs.policy)
		return EXIT_CONFIG;
	if (errs.policy > 0) {
		*policy_ok = 0;
		if (c->policy.required || o->require_sandbox) {
			log_msg(LOG_ERR, "the seccomp policy has errors and is "
			    "required: not starting");
			return EXIT_CONFIG;
		}
		log_msg(LOG_ERR, "the seccomp policy has errors: seccompmon "
		    "will run WITHOUT a seccomp filter (set seccomp.required "
		    "or --require-sandbox to refuse instead)");
	}
	return 0;
}

/* Undo what the kernel holds for us before a fatal exit. */
static void
abandon(struct auditnl *nl, int registered)
{
	if (nl != NULL && registered &&
	    auditnl_set_pid(nl, 0, NULL, NULL) < 0)
		log_warn("unregistering as the audit daemon");
	auditnl_close(nl);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct conf conf;
	struct loop lp;
	struct pipeline pl;
	struct event_ctx ev;
	struct replay rp;
	struct sandbox sb;
	struct privs_user user;
	struct auditnl *nl = NULL;
	struct sink *out;
	enum conf_socket mode = CONF_SOCKET_AUTO;
	char host[256], status[160], err[256];
	const char *host_name;
	uint64_t keep = 0;
	int registered = 0, rc, policy_ok, required;

	check_std_fds();
	if (argc > 1 && strcmp(argv[1], "policy") == 0)
		return policycmd_main(argc - 1, argv + 1);
	parse_args(argc, argv, &o);
	log_init(o.verbose ? LOG_DEBUG : LOG_INFO);

	/* Parse: the file, then the command line over it. */
	if ((rc = load_conf(&o, &conf, &policy_ok)) != 0)
		return rc;
	required = conf.policy.required || o.require_sandbox;
	if (o.check_config) {
		printf("%s: OK%s\n", conf.path ? conf.path :
		    "built-in defaults", policy_ok ? "" :
		    ", but the seccomp policy has errors");
		conf_free(&conf);
		return policy_ok ? 0 : EXIT_CONFIG;
	}
	if (o.mode >= 0)
		conf.socket = (enum conf_socket)o.mode;
	if (o.rcvbuf > 0)
		conf.rcvbuf = o.rcvbuf;
	if (o.original)
		conf.original = 1;
	host_name = o.host ? o.host : conf.host_name;

	/* Acquire. */
	if (systab_init() < 0)
		fatal("building syscall tables");
	if (host_name == NULL) {
		if (gethostname(host, sizeof(host)) < 0)
			fatal("gethostname");
		host[sizeof(host) - 1] = '\0';
		host_name = host;
	}
	if (conf.user != NULL &&
	    privs_user_lookup(conf.user, &user, err, sizeof(err)) < 0) {
		log_msg(LOG_ERR, "%s: %s", conf.path ? conf.path :
		    "configuration", err);
		return EXIT_CONFIG;
	}
	if (notify_open() < 0)
		log_warn("NOTIFY_SOCKET");
	if (loop_init(&lp, TICK_MS) < 0)
		fatal("setting up signals and timer");
	memset(&ev, 0, sizeof(ev));
	ev.host = host_name;
	ev.host_len = strlen(host_name);
	ev.flags = conf.original ? EVENT_ORIGINAL : 0;
	/* Replayed records are not this process's. */
	ev.self_pid = o.replay ? 0 : (int32_t)getpid();
	if (pipeline_init(&pl, &ev) < 0)
		fatal("allocating buffers");
	if ((out = sink_fd_new(STDOUT_FILENO, "stdout")) == NULL ||
	    pipeline_add_sink(&pl, out) < 0)
		fatal("setting up stdout");
	if (policy_ok && sandbox_prepare(&sb, &conf.policy) < 0) {
		if (required)
			return EXIT_CONFIG;
		policy_ok = 0;
	}
	if (!policy_ok)
		memset(&sb, 0, sizeof(sb));
	if (o.replay != NULL) {
		if (replay_open(&rp, o.replay) < 0)
			fatal("%s", o.replay);
	} else {
		check_actions_logged();
		nl = acquire_netlink(conf.socket,
		    conf.rcvbuf, &pl, &mode, &registered);
		/* The serving loop needs CAP_AUDIT_CONTROL to unregister. */
		if (registered)
			keep = PRIVS_CAP(CAP_AUDIT_CONTROL);
	}

	/* Shed, then load the filter: nothing is acquired after this. */
	if (sandbox_shed(keep, conf.user ? &user : NULL) < 0) {
		abandon(nl, registered);
		return 1;
	}
	sandbox_snapshot(&sb);
	if (conf.policy.enabled && policy_ok && sandbox_load(&sb) < 0 &&
	    required) {
		abandon(nl, registered);
		return EXIT_CONFIG;
	}
	sandbox_report(&sb, &conf.policy);

	/* Serve. */
	if (o.replay != NULL) {
		log_info("replaying %s", strcmp(o.replay, "-") == 0 ?
		    "stdin" : o.replay);
		notify_send("READY=1");
		rc = serve_replay(&lp, &pl, &rp);
		replay_close(&rp);
	} else {
		snprintf(status, sizeof(status), "STATUS=listening (%s)%s\n"
		    "READY=1", mode_names[mode], sb.loaded ? "" :
		    ", WITHOUT a seccomp filter");
		log_info("listening for SECCOMP records (%s, receive buffer %d "
		    "bytes)", mode_names[mode], auditnl_rcvbuf(nl));
		notify_send(status);
		rc = serve_netlink(&lp, &pl, nl, registered);
		auditnl_close(nl);
	}

	sandbox_free(&sb);
	pipeline_free(&pl);
	loop_close(&lp);
	notify_close();
	systab_free();
	conf_free(&conf);
	return rc < 0 ? 1 : 0;
}
