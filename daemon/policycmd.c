/*
 * "seccompmon policy check|show|export|test": the self-sandbox as the daemon
 * would build it, for review and proof.  "test" goes through the daemon's
 * own steps (shed, compile, load with TSYNC and the log flag) and then tries
 * calls the policy does and does not allow, comparing each result with what
 * the policy says should happen.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

#include "daemon/conf.h"
#include "daemon/landlock.h"
#include "daemon/log.h"
#include "daemon/policycmd.h"
#include "daemon/sandbox.h"

#ifndef CLONE_THREAD
#define CLONE_THREAD 0x00010000
#endif

static void
policy_usage(FILE *f)
{
	fprintf(f,
"usage: seccompmon policy check  [--config FILE]\n"
"       seccompmon policy show   [--config FILE]\n"
"       seccompmon policy export [--config FILE] --pfc | --bpf FILE\n"
"       seccompmon policy test   [--config FILE]\n"
"\n"
"  check   validate the configuration and its seccomp policy for this\n"
"          architecture and kernel; print every error; exit 1 on any\n"
"  show    the effective policy as JSON, then the Landlock ruleset\n"
"          (comments)\n"
"  export  the generated filter: libseccomp's pseudo filter code (--pfc)\n"
"          on stdout, or raw BPF into FILE (--bpf)\n"
"  test    load the policy into this process as the daemon does, then try\n"
"          calls it allows and denies (execve, ptrace, socket, ...); exit 1\n"
"          when a result differs from what the policy says\n");
}

/*
 * Load the configuration; print its errors.  0 when the policy is usable,
 * 1 otherwise (errors printed).
 */
static int
load(const char *path, struct conf *c)
{
	struct errlist errs;
	char text[ERRLIST_TEXT_MAX];
	size_t i;

	if (conf_init(c) < 0) {
		log_errno(LOG_ERR, "configuration defaults");
		return 1;
	}
	memset(&errs, 0, sizeof(errs));
	(void)conf_load(c, path ? path : SECCOMPMON_CONF_FILE, path == NULL,
	    sandbox_actions_available(), &errs);
	conf_fit_policy(c);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errlist_format(&errs.e[i], text,
		    sizeof(text)));
	if (errs.dropped)
		fprintf(stderr, "... and %zu more errors\n", errs.dropped);
	return errlist_count(&errs) > 0 ? 1 : 0;
}

static int
cmd_check(struct conf *c)
{
	struct sandbox sb;
	size_t i, n = 0;

	if (!c->policy.enabled) {
		printf("%s: OK; seccomp filter disabled (seccomp.enabled is "
		    "false)\n", c->path ? c->path : "built-in defaults");
		return 0;
	}
	if (sandbox_prepare(&sb, &c->policy) < 0)
		return 1;
	for (i = 0; i < c->policy.nrules; i++)
		n += c->policy.rules[i].nnames;
	printf("%s: OK; %s policy for %s: %zu syscalls listed, default "
	    "action %s\n", c->path ? c->path : "built-in defaults",
	    c->policy.origin == POLICY_BUILTIN ? "built-in" : "custom",
	    policy_arch_name(c->policy.arch), n,
	    policy_action_name(c->policy.default_action));
	sandbox_free(&sb);
	return 0;
}

/*
 * The Landlock ruleset c gives on this kernel, as comment lines after the
 * configuration (so that --check-config still takes the whole output).
 */
static int
show_landlock(const struct conf *c)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	int abi, err;

	abi = landlock_abi(&err);
	if (landlock_paths_from_conf(&p, c) < 0 ||
	    landlock_plan(&ll, &p, abi > 0 ? abi : LANDLOCK_ABI_MAX) < 0) {
		log_errno(LOG_ERR, "policy show: the Landlock ruleset");
		landlock_paths_free(&p);
		return 1;
	}
	landlock_print(stdout, &ll, c->landlock.enabled, c->landlock.required,
	    abi, err);
	landlock_free(&ll);
	landlock_paths_free(&p);
	return 0;
}

static int
cmd_show(struct conf *c)
{
	char *text = conf_to_text(c,
	    (sandbox_actions_available() & POLICY_ACTION_BIT(POLICY_LOG)) != 0);

	if (text == NULL) {
		log_errno(LOG_ERR, "policy show");
		return 1;
	}
	fputs(text, stdout);
	free(text);
	return show_landlock(c);
}

static int
cmd_export(struct conf *c, int pfc, const char *bpf)
{
	struct sandbox sb;
	int fd, rc;

	if (sandbox_prepare(&sb, &c->policy) < 0 || sb.ctx == NULL) {
		if (sb.ctx == NULL && !c->policy.enabled)
			fprintf(stderr, "the seccomp filter is disabled: "
			    "nothing to export\n");
		return 1;
	}
	if (pfc) {
		fflush(stdout);
		rc = seccomp_export_pfc(sb.ctx, STDOUT_FILENO);
	} else {
		fd = open(bpf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			log_errno(LOG_ERR, "%s", bpf);
			sandbox_free(&sb);
			return 1;
		}
		rc = seccomp_export_bpf(sb.ctx, fd);
		if (close(fd) < 0 && rc == 0)
			rc = -errno;
	}
	if (rc < 0) {
		errno = -rc;
		log_errno(LOG_ERR, "exporting the filter");
	}
	sandbox_free(&sb);
	return rc < 0 ? 1 : 0;
}

/*
 * A probe: a call made with arguments that do no harm when it is allowed,
 * and the result it gives then (ok: returns >= 0; else that errno).
 */
struct probe {
	const char	*name;
	const char	*what;
	long		(*call)(void);
	int		 allowed_errno;	/* 0: succeeds when allowed */
};

static long
try_execve(void)
{
	char *const argv[] = { NULL };

	/* A directory cannot be executed: EACCES if the call is let in. */
	return syscall(SYS_execve, "/", argv, argv);
}

static long
try_ptrace(void)
{
	/* No process 0 to trace: ESRCH if the call is let in (the kernel
	 * looks the pid up before the request). */
	return syscall(SYS_ptrace, 0x7fff, 0, 0, 0);
}

static long
try_socket_inet(void)
{
	long fd = syscall(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		close((int)fd);
	return fd;
}

#ifdef SYS_socketcall
/* i386: the same socket through socketcall(SYS_SOCKET), as glibc makes it. */
static long
try_socketcall_inet(void)
{
	unsigned long args[3] = { AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0 };
	long fd = syscall(SYS_socketcall, 1 /* SYS_SOCKET */, args);

	if (fd >= 0)
		close((int)fd);
	return fd;
}
#endif

/* An empty name: ENOENT if let in, and nothing can be removed. */
static long
try_unlinkat(void)
{
	return syscall(SYS_unlinkat, AT_FDCWD, "", 0);
}

static long
try_clone(void)
{
	/* CLONE_THREAD without CLONE_SIGHAND: EINVAL if let in. */
	return syscall(SYS_clone, CLONE_THREAD, 0, 0, 0, 0);
}

static long
try_clone3(void)
{
	/* A size below CLONE_ARGS_SIZE_VER0: EINVAL if let in. */
	return syscall(SYS_clone3, NULL, 0);
}

static long
try_mprotect(void)
{
	return syscall(SYS_mprotect, NULL, 0, PROT_READ);
}

static long
try_getpid(void)
{
	return syscall(SYS_getpid);
}

static long
try_close(void)
{
	return syscall(SYS_close, -1);
}

static long
try_clock_gettime(void)
{
	struct timespec ts;

	return syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
}

static const struct probe probes[] = {
	{ "execve", "run a program", try_execve, EACCES },
	{ "ptrace", "trace a process", try_ptrace, ESRCH },
	{ "socket", "open an AF_INET socket", try_socket_inet, 0 },
#ifdef SYS_socketcall
	{ "socketcall", "socket(AF_INET) through socketcall",
	    try_socketcall_inet, 0 },
#endif
	{ "unlinkat", "remove a file", try_unlinkat, ENOENT },
	{ "clone", "start a thread or process", try_clone, EINVAL },
	{ "clone3", "start a thread (glibc's first try)", try_clone3, EINVAL },
	{ "mprotect", "change memory protection", try_mprotect, 0 },
	{ "getpid", "a harmless call it does not need", try_getpid, 0 },
	{ "close", "a call it needs", try_close, EBADF },
	{ "clock_gettime", "a call it needs", try_clock_gettime, 0 },
};

/* The action and errno the policy gives name. */
static enum policy_action
expected(const struct policy *p, const char *name, int *err)
{
	size_t i, j;

	for (i = 0; i < p->nrules; i++)
		for (j = 0; j < p->rules[i].nnames; j++)
			if (strcmp(p->rules[i].names[j], name) == 0) {
				*err = p->rules[i].err;
				return p->rules[i].action;
			}
	*err = p->default_err;
	return p->default_action;
}

static int
cmd_test(struct conf *c)
{
	static const struct privs_keep none = { 0, NULL, NULL, 0 };
	const struct probe *pr;
	struct sandbox sb;
	enum policy_action a;
	char got[64], want[64];
	long r;
	size_t i;
	pid_t pid;
	int err, e, bad = 0, tried = 0;

	if (!c->policy.enabled) {
		fprintf(stderr, "the seccomp filter is disabled "
		    "(seccomp.enabled is false): nothing to test\n");
		return 1;
	}
	/* getpid() before the filter: the built-in policy denies it. */
	pid = getpid();
	if (sandbox_prepare(&sb, &c->policy) < 0)
		return 1;
	if (sandbox_shed(&none) < 0 || sandbox_load(&sb) < 0) {
		sandbox_free(&sb);
		return 1;
	}
	printf("%s policy for %s loaded into pid %d (TSYNC%s); trying:\n",
	    c->policy.origin == POLICY_BUILTIN ? "built-in" : "custom",
	    policy_arch_name(c->policy.arch), (int)pid,
	    sb.log_flag ? ", denials audited" : "");
	fflush(stdout);
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		pr = &probes[i];
		a = expected(&c->policy, pr->name, &err);
		switch (a) {
		case POLICY_ALLOW:
		case POLICY_LOG:
			if (pr->allowed_errno)
				snprintf(want, sizeof(want), "allowed (%s)",
				    strerrorname_np(pr->allowed_errno));
			else
				snprintf(want, sizeof(want), "allowed");
			break;
		case POLICY_ERRNO:
			snprintf(want, sizeof(want), "denied (%s)",
			    strerrorname_np(err));
			break;
		case POLICY_TRACE:
			snprintf(want, sizeof(want), "denied (ENOSYS)");
			break;
		case POLICY_TRAP:
		case POLICY_KILL_THREAD:
		case POLICY_KILL_PROCESS:
		case POLICY_NACTIONS:
			printf("  %-14s %-36s not tried: the policy says %s\n",
			    pr->name, pr->what, policy_action_name(a));
			continue;
		}
		errno = 0;
		r = pr->call();
		e = errno;
		tried++;
		if (r >= 0)
			snprintf(got, sizeof(got), "allowed");
		else if (e == pr->allowed_errno &&
		    (a == POLICY_ALLOW || a == POLICY_LOG))
			snprintf(got, sizeof(got), "allowed (%s)",
			    strerrorname_np(e));
		else
			snprintf(got, sizeof(got), "denied (%s)",
			    strerrorname_np(e) ? strerrorname_np(e) : "?");
		if (strcmp(got, want) != 0)
			bad++;
		printf("  %-14s %-36s %-18s %s\n", pr->name, pr->what, got,
		    strcmp(got, want) == 0 ? "as the policy says" : want);
		fflush(stdout);
	}
	printf("%d of %d calls as the policy says\n", tried - bad, tried);
	sandbox_free(&sb);
	return bad ? 1 : 0;
}

int
policycmd_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "pfc", no_argument, NULL, 'p' },
		{ "bpf", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct conf c;
	const char *config = NULL, *bpf = NULL, *cmd;
	int ch, pfc = 0, rc;

	log_init(LOG_INFO);
	if (argc < 2 || argv[1][0] == '-') {
		policy_usage(argc >= 2 && strcmp(argv[1], "--help") == 0 ?
		    stdout : stderr);
		return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	cmd = argv[1];
	optind = 2;
	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'p':
			pfc = 1;
			break;
		case 'b':
			bpf = optarg;
			break;
		case 'h':
			policy_usage(stdout);
			return 0;
		default:
			policy_usage(stderr);
			return 2;
		}
	}
	if (optind < argc || (strcmp(cmd, "export") == 0 && pfc == (bpf != NULL)) ||
	    (strcmp(cmd, "export") != 0 && (pfc || bpf != NULL))) {
		policy_usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "check") != 0 && strcmp(cmd, "show") != 0 &&
	    strcmp(cmd, "export") != 0 && strcmp(cmd, "test") != 0) {
		fprintf(stderr, "seccompmon policy: unknown command \"%s\"\n",
		    cmd);
		policy_usage(stderr);
		return 2;
	}
	if (load(config, &c) != 0) {
		conf_free(&c);
		return 1;
	}
	if (strcmp(cmd, "check") == 0)
		rc = cmd_check(&c);
	else if (strcmp(cmd, "show") == 0)
		rc = cmd_show(&c);
	else if (strcmp(cmd, "export") == 0)
		rc = cmd_export(&c, pfc, bpf);
	else
		rc = cmd_test(&c);
	conf_free(&c);
	return rc;
}
