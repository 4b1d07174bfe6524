/*
 * seccompmon: argv, the start-up order, and the wiring.  The order is the
 * OpenBSD one: parse the configuration, acquire everything (tables,
 * outputs, signalfd, the audit socket and its registration, user look-up),
 * shed privileges, load the seccomp filter, then serve; nothing is opened
 * lazily once records flow.
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

#include "daemon/auditsock.h"
#include "daemon/conf.h"
#include "daemon/context.h"
#include "daemon/gaps.h"
#include "daemon/landlock.h"
#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/notify.h"
#include "daemon/pipeline.h"
#include "daemon/learncmd.h"
#include "daemon/policycmd.h"
#include "daemon/profilecmd.h"
#include "daemon/reportcmd.h"
#include "daemon/replay.h"
#include "daemon/sandbox.h"
#include "daemon/serve.h"
#include "reporter/systab.h"

#define TICK_MS 1000
/* Exit status for configuration errors (sysexits.h EX_CONFIG). */
#define EXIT_CONFIG 78
#define MAX_OUTPUT_ARGS 16

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
	const char		*outputs[MAX_OUTPUT_ARGS];	/* --output */
	size_t			 noutputs;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: seccompmon [options]\n"
"       seccompmon policy check|show|export|test [--config FILE] ...\n"
"       seccompmon report [--since T] [--until T] [--container ID] [--unit U]\n"
"                         [--exe PATH] [--action A] [--format F] [FILE...]\n"
"       seccompmon profile --container ID|--unit U|--exe PATH [--format F]\n"
"                          [--base PROFILE] [--diff] [--force] [FILE...]\n"
"       seccompmon learn [--format F] [--base PROFILE] [--diff] [--force]\n"
"                        [--allow NAMES] [--log-all] [--user NAME] [-o FILE]\n"
"                        -- CMD [ARG...]\n"
"\n"
"Read the kernel's seccomp violation records (AUDIT_SECCOMP) from the audit\n"
"netlink socket and write one JSON event per line to each output (stdout\n"
"by default).\n"
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
"  -O, --output SPEC     where events go, repeatable; replaces the\n"
"                        configured outputs: stdout, file:PATH,\n"
"                        syslog[:SOCKET], journald[:SOCKET]\n"
"  -b, --rcvbuf BYTES    netlink receive buffer (default 16M; k/M/G ok)\n"
"  -v, --verbose         debug diagnostics\n"
"  -h, --help            this text\n"
"  -V, --version         the version\n"
"\n"
"Diagnostics go to stderr.  SIGTERM or SIGINT: flush, unregister, exit 0.\n"
"SIGHUP: reopen file outputs.  SIGUSR1: report counters on stderr.\n"
"Manual: seccompmon(8), seccompmon.conf(5).\n"
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
		{ "output", required_argument, NULL, 'O' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = -1;
	while ((c = getopt_long(argc, argv, "c:s:r:H:ob:O:vhV", longopts,
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
		case 'O':
			if (o->noutputs == MAX_OUTPUT_ARGS) {
				fprintf(stderr, "seccompmon: --output: at most "
				    "%d\n", MAX_OUTPUT_ARGS);
				exit(2);
			}
			o->outputs[o->noutputs++] = optarg;
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
 * A daemon started with fd 0, 1 or 2 closed would hand that number to the
 * next open() and write events or diagnostics into it: each closed one is
 * replaced by /dev/null.  Returns 1 when stdout was closed (an error only
 * if stdout is to carry events).
 */
static int
check_std_fds(void)
{
	int fd, stdout_closed = 0;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		if (fd == STDOUT_FILENO)
			stdout_closed = 1;
		if (open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY) != fd)
			exit(1);
	}
	return stdout_closed;
}

/* Log a configuration's errors; the number of them. */
static size_t
log_errors(const struct errlist *errs, const char *path)
{
	char text[ERRLIST_TEXT_MAX];
	size_t i;

	for (i = 0; i < errs->n; i++)
		log_msg(LOG_ERR, "%s", errlist_format(&errs->e[i], text,
		    sizeof(text)));
	if (errs->dropped)
		log_msg(LOG_ERR, "%s: %zu more errors", path, errs->dropped);
	return errlist_count(errs);
}

/*
 * Read the configuration, apply the command line over it, and check what
 * the daemon would refuse at start, logging every error.  Returns 0 to go
 * on, with *policy_ok false when the policy has errors that are not fatal;
 * EXIT_CONFIG when the daemon must not start.
 */
static int
load_conf(const struct opts *o, struct conf *c, int *policy_ok)
{
	struct errlist errs;
	const char *path = o->config ? o->config : SECCOMPMON_CONF_FILE;
	char err[300];
	size_t i;
	int err_no;

	*policy_ok = 1;
	if (conf_init(c) < 0)
		fatal("configuration defaults");
	memset(&errs, 0, sizeof(errs));
	(void)conf_load(c, path, o->config == NULL,
	    sandbox_actions_available(), &errs);
	if (o->mode >= 0)
		c->audit.socket = (enum conf_socket)o->mode;
	if (o->rcvbuf > 0)
		c->audit.rcvbuf = o->rcvbuf;
	if (o->original)
		c->original = 1;
	/* A replay reports no gaps: they would not be this host's. */
	if (o->replay != NULL)
		c->gaps.enabled = 0;
	for (i = 0; i < o->noutputs; i++) {
		if (conf_output_arg(c, o->outputs[i], i == 0, err,
		    sizeof(err)) < 0) {
			log_msg(LOG_ERR, "--output %s", err);
			exit(2);
		}
	}
	conf_fit_policy(c);
	(void)conf_check_host(c, &errs);
	if (log_errors(&errs, path) > errs.policy)
		return EXIT_CONFIG;
	if (c->landlock.enabled && c->landlock.required &&
	    landlock_abi(&err_no) == 0) {
		log_msg(LOG_ERR, "landlock.required is set, but this kernel "
		    "has no Landlock (%s): not starting",
		    strerrorname_np(err_no) ? strerrorname_np(err_no) : "?");
		return EXIT_CONFIG;
	}
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

/*
 * A replay waits at a full queue instead of dropping (pipeline_start()), so
 * a deep queue buys it nothing but memory: four batches keep the writer
 * busy, and the replay in issue 8's 8 MiB (an 8M queue that fills, as when
 * the writer shares one core with the reader, took the peak RSS to 11 MB).
 */
#define REPLAY_QUEUE (4 * PIPELINE_FLUSH_BYTES)

/* The configured queue limit, or max when that is smaller (max 0: none). */
static size_t
queue_limit(uint64_t configured, size_t max)
{
	return max > 0 && max < configured ? max : (size_t)configured;
}

/*
 * Open every configured output (stdout when none is), before the filter.
 * An output that cannot be opened at all is fatal: the operator asked for
 * it.  queue_max: 0, or the most any output's queue may hold.  Returns 1
 * when stdout is one of them.
 */
static int
open_outputs(struct pipeline *pl, const struct conf *c, const char *host,
    size_t queue_max)
{
	struct sink_file_opts fo;
	struct sink_syslog_opts so;
	struct sink_journald_opts jo;
	const struct conf_output *o;
	struct sink *s;
	char name[PATH_MAX + 16], err[300];
	size_t i;
	int with_stdout = 0;

	if (c->noutputs == 0) {
		if ((s = sink_fd_new(STDOUT_FILENO, "stdout")) == NULL ||
		    pipeline_add_sink(pl, s, queue_limit(CONF_QUEUE,
		    queue_max)) < 0)
			fatal("setting up stdout");
		return 1;
	}
	for (i = 0; i < c->noutputs; i++) {
		o = &c->outputs[i];
		conf_output_name(o, name, sizeof(name));
		err[0] = '\0';
		switch (o->type) {
		case CONF_OUT_STDOUT:
			s = sink_fd_new(STDOUT_FILENO, "stdout");
			with_stdout = 1;
			break;
		case CONF_OUT_FILE:
			memset(&fo, 0, sizeof(fo));
			fo.path = o->path;
			fo.rotate_size = o->rotate_size;
			fo.keep = o->keep;
			fo.mode = o->mode;
			fo.group = o->gid;
			s = sink_file_new(&fo, err, sizeof(err));
			break;
		case CONF_OUT_SYSLOG:
			memset(&so, 0, sizeof(so));
			so.socket = o->path;
			so.facility = o->facility;
			so.ident = o->ident;
			so.cee = o->cee;
			so.format = o->rfc5424 ? SINK_SYSLOG_RFC5424 :
			    SINK_SYSLOG_RFC3164;
			so.host = host;
			s = sink_syslog_new(&so, err, sizeof(err));
			break;
		case CONF_OUT_JOURNALD:
		default:
			memset(&jo, 0, sizeof(jo));
			jo.socket = o->path;
			jo.ident = o->ident;
			s = sink_journald_new(&jo, err, sizeof(err));
			break;
		}
		if (s == NULL) {
			if (err[0] != '\0')
				fatalx("output %s: %s", name, err);
			fatal("output %s", name);
		}
		if (pipeline_add_sink(pl, s, queue_limit(o->queue,
		    queue_max)) < 0)
			fatal("output %s", name);
		log_debug("output %s opened", name);
	}
	return with_stdout;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct conf conf;
	struct loop lp;
	struct event_ctx ev;
	struct replay rp;
	struct sandbox sb;
	struct landlock_ctx ll;
	struct landlock_paths llp;
	struct privs_user user;
	struct privs_keep pk = { 0, NULL, NULL, 0 };
	struct source src;
	struct pipeline *pl = NULL;
	struct auditsock *as = NULL;
	struct context *cx = NULL;
	struct gaps *gaps = NULL;
	char host[256], status[160], err[256];
	const char *host_name;
	uint64_t keep = 0;
	gid_t *groups = NULL;
	size_t i;
	int rc, policy_ok, required, stdout_closed, replaying = 0;

	stdout_closed = check_std_fds();
	if (argc > 1 && strcmp(argv[1], "policy") == 0)
		return policycmd_main(argc - 1, argv + 1);
	/* Offline: no configuration, no sandbox (it reads the files named). */
	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return reportcmd_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "profile") == 0)
		return profilecmd_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "learn") == 0)
		return learncmd_main(argc - 1, argv + 1);
	parse_args(argc, argv, &o);
	log_init(o.verbose ? LOG_DEBUG : LOG_INFO);

	/* Parse: the file, the command line over it, what the host has. */
	if ((rc = load_conf(&o, &conf, &policy_ok)) != 0) {
		conf_free(&conf);
		return rc;
	}
	required = conf.policy.required || o.require_sandbox;
	if (o.check_config) {
		printf("%s: OK%s\n", conf.path ? conf.path :
		    "built-in defaults", policy_ok ? "" :
		    ", but the seccomp policy has errors");
		conf_free(&conf);
		return policy_ok ? 0 : EXIT_CONFIG;
	}
	host_name = o.host ? o.host : conf.host_name;
	/* From here on, every exit goes through "out", which frees. */
	memset(&sb, 0, sizeof(sb));
	memset(&ll, 0, sizeof(ll));
	ll.fd = -1;
	memset(&lp, 0, sizeof(lp));
	lp.sigfd = lp.timerfd = -1;

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
		log_msg(LOG_ERR, "%s: user: %s", conf.path ? conf.path :
		    "configuration", err);
		rc = EXIT_CONFIG;
		goto out;
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
	if ((pl = pipeline_new(&ev)) == NULL)
		fatal("allocating buffers");
	/* A replay's windows follow its record times only: deterministic. */
	if (pipeline_set_storm(pl, &conf.storm, o.replay == NULL) < 0)
		fatal("allocating storm control");
	/* Live records only: a replayed one's process is not ours to see. */
	if (o.replay == NULL) {
		cx = context_new(&conf);
		pipeline_set_context(pl, cx);
	}
	if (open_outputs(pl, &conf, host_name, o.replay != NULL ?
	    REPLAY_QUEUE : 0) && stdout_closed)
		fatalx("stdout is closed: events have nowhere to go");
	if (policy_ok && sandbox_prepare(&sb, &conf.policy) < 0) {
		if (required) {
			rc = EXIT_CONFIG;
			goto out;
		}
		policy_ok = 0;
	}
	if (!policy_ok)
		memset(&sb, 0, sizeof(sb));
	/* Landlock: the ruleset now (it opens the paths), applied later. */
	if (conf.landlock.enabled) {
		if (landlock_paths_from_conf(&llp, &conf) < 0)
			fatal("allocating");
		rc = landlock_prepare(&ll, &llp, conf.landlock.required);
		landlock_paths_free(&llp);
		if (rc < 0) {
			rc = EXIT_CONFIG;
			goto out;
		}
	}
	if (o.replay != NULL) {
		if (replay_open(&rp, o.replay, pipeline_record, pl) < 0)
			fatal("%s", o.replay);
		replaying = 1;
		src = replay_source(&rp);
	} else {
		/* audit=0 leaves no audit socket: say so in the stream too. */
		if (gaps_boot_check(&conf.gaps, pl, &ev)) {
			rc = 1;
			goto out;
		}
		as = auditsock_acquire(&conf.audit, pipeline_record, pl);
		keep = auditsock_caps(as);
		src = auditsock_source(as);
		if ((gaps = gaps_new(&conf.gaps, as, &ev)) == NULL)
			fatal("allocating the gap report");
		if (conf.gaps.enabled)
			pipeline_set_denial_hook(pl, gaps_note_denial, gaps);
	}

	/*
	 * Shed, then load the filter: nothing is acquired after this.  The
	 * groups of file outputs are kept as supplementary groups, so that
	 * files made at rotation get their group without CAP_CHOWN.
	 */
	pk.caps = keep;
	pk.user = conf.user ? &user : NULL;
	if ((groups = calloc(conf.noutputs + 1, sizeof(*groups))) == NULL)
		fatal("allocating");
	for (i = 0; i < conf.noutputs; i++)
		if (conf.outputs[i].type == CONF_OUT_FILE &&
		    conf.outputs[i].gid != (gid_t)-1)
			groups[pk.ngroups++] = conf.outputs[i].gid;
	pk.groups = groups;
	if (sandbox_shed(&pk) < 0) {
		/* Not retried: the same configuration fails the same way
		 * (a "user" the service may not become, say). */
		rc = EXIT_CONFIG;
		goto out;
	}
	/* Landlock binds this thread and those it starts: before them. */
	if (landlock_apply(&ll) < 0 && conf.landlock.required) {
		rc = EXIT_CONFIG;
		goto out;
	}
	/* A Landlock domain fails ptrace's check on every other process. */
	if (ll.applied)
		context_confined(cx);
	/*
	 * The writer threads: after the shed (capabilities are per thread),
	 * before the filter (which allows no clone).  A replay waits for its
	 * outputs rather than lose events; live, the reader never waits.
	 */
	if (pipeline_start(pl, o.replay != NULL) < 0)
		fatal("starting the output threads");
	sandbox_snapshot(&sb);
	if (conf.policy.enabled && policy_ok && sandbox_load(&sb) < 0 &&
	    required) {
		/* As documented: a required filter that cannot load is a
		 * configuration error, which systemd does not retry. */
		rc = EXIT_CONFIG;
		goto out;
	}
	sandbox_report(&sb, &conf.policy, &ll, conf.landlock.enabled);

	/* Serve. */
	if (o.replay != NULL) {
		log_info("replaying %s", strcmp(o.replay, "-") == 0 ?
		    "stdin" : o.replay);
		notify_send("READY=1");
	} else {
		snprintf(status, sizeof(status), "STATUS=listening (%s)%s\n"
		    "READY=1", conf_socket_name(auditsock_mode(as)),
		    sb.loaded ? "" : ", WITHOUT a seccomp filter");
		log_info("listening for SECCOMP records (%s, receive buffer %d "
		    "bytes)", conf_socket_name(auditsock_mode(as)),
		    auditsock_rcvbuf(as));
		notify_send(status);
	}
	/*
	 * No stats events in a replay: their times and cuts would follow the
	 * wall clock and the reading speed, and a replay's output is the same
	 * every run.  SIGUSR1 and the final counters still go to stderr.
	 */
	rc = serve(&lp, pl, &src, o.replay == NULL && conf.stats.enabled ?
	    (int64_t)conf.stats.interval * 1000 : 0, gaps) < 0 ? 1 : 0;

out:
	if (replaying)
		replay_close(&rp);
	auditsock_close(as);
	gaps_free(gaps);
	sandbox_free(&sb);
	landlock_free(&ll);
	free(groups);
	pipeline_free(pl);
	context_free(cx);
	loop_close(&lp);
	notify_close();
	systab_free();
	conf_free(&conf);
	return rc;
}
