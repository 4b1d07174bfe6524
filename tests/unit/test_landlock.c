/*
 * daemon/landlock against the real kernel: the plan for each ABI, and the
 * ruleset applied in a forked child (a domain is for good), which then
 * tries what the daemon does and what it must not do and says on stderr
 * what went wrong.  A kernel without Landlock is made with a seccomp filter
 * that answers ENOSYS, as valgrind does.  Needs root (a rule must stop root
 * too) and a kernel with Landlock.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <cmocka.h>
#include <seccomp.h>

#include <linux/landlock.h>

#include "daemon/landlock.h"

#define CHILD_PASS	42
#define DAEMON		TOP_BUILDDIR "/seccompmon"

/* The kernel's ABI, from main(). */
static int Abi;

/* A temporary tree: out/ (the file output's), sib/secret, outside. */
static char Top[64];
static char Out[96], Events[128], Sib[96], Secret[128], Outside[128];

static int child_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
child_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "child: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return -1;
}

/* What a call that returned rc did: "worked", or its errno's text. */
static const char *
result(long rc)
{
	return rc >= 0 ? "worked" : strerror(errno);
}

static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(Top, sizeof(Top), "/tmp/sm-landlock-XXXXXX");
	if (mkdtemp(Top) == NULL)
		return -1;
	snprintf(Out, sizeof(Out), "%s/out", Top);
	snprintf(Events, sizeof(Events), "%s/events.json", Out);
	snprintf(Sib, sizeof(Sib), "%s/sib", Top);
	snprintf(Secret, sizeof(Secret), "%s/secret", Sib);
	snprintf(Outside, sizeof(Outside), "%s/outside", Top);
	if (mkdir(Out, 0700) < 0 || mkdir(Sib, 0700) < 0)
		return -1;
	write_file(Secret, "secret\n");
	write_file(Events, "{}\n");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", Top);
	return system(cmd) == 0 ? 0 : -1;
}

/* The daemon's paths for this tree; files[] must outlive p. */
static void
paths(struct landlock_paths *p, const char **files, const char *pods)
{
	memset(p, 0, sizeof(*p));
	p->proc = LANDLOCK_PROC;
	p->passwd = LANDLOCK_PASSWD;
	p->group = LANDLOCK_GROUP;
	p->pod_log_dir = pods;
	files[0] = Events;
	p->files = files;
	p->nfiles = 1;
}

static const struct landlock_dir *
find_dir(const struct landlock_ctx *ll, const char *path)
{
	size_t i;

	for (i = 0; i < ll->ndirs; i++)
		if (strcmp(ll->dirs[i].path, path) == 0)
			return &ll->dirs[i];
	fail_msg("no rule for %s", path);
	return NULL;
}

#define RD	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define TRUNC	(1ULL << 14)
#define W1	(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG | \
	LANDLOCK_ACCESS_FS_REMOVE_FILE)

static void
landlock_plan__abi_7__one_rule_per_directory_rights_merged(void **state)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	const struct landlock_dir *d;
	const char *files[2];
	char second[160];

	(void)state;
	paths(&p, files, Sib);
	/* A second file output in the same directory: one rule. */
	snprintf(second, sizeof(second), "%s/other.json", Out);
	files[1] = second;
	p.nfiles = 2;
	assert_int_equal(landlock_plan(&ll, &p, 7), 0);
	assert_int_equal(ll.used, 7);
	assert_int_equal(ll.ndirs, 4);
	assert_int_equal(ll.fs, (1ULL << 16) - 1);
	assert_int_equal(ll.net, 3);
	assert_int_equal(ll.scoped, 3);
	d = find_dir(&ll, "/proc");
	assert_int_equal(d->access, RD);
	d = find_dir(&ll, "/etc");
	assert_int_equal(d->access, LANDLOCK_ACCESS_FS_READ_FILE);
	assert_string_equal(d->why, "the user database /etc/passwd; the group "
	    "database /etc/group");
	d = find_dir(&ll, Sib);
	assert_int_equal(d->access, RD);
	assert_int_equal(d->missing, 0);
	d = find_dir(&ll, Out);
	assert_int_equal(d->access, W1 | TRUNC);
	assert_non_null(strstr(d->why, Events));
	assert_non_null(strstr(d->why, second));
	landlock_free(&ll);
}

static void
landlock_plan__old_abis__only_their_rights(void **state)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	const char *files[1];

	(void)state;
	paths(&p, files, NULL);
	/* ABI 1: no REFER, TRUNCATE, network or scopes. */
	assert_int_equal(landlock_plan(&ll, &p, 1), 0);
	assert_int_equal(ll.fs, (1ULL << 13) - 1);
	assert_int_equal(ll.net, 0);
	assert_int_equal(ll.scoped, 0);
	assert_int_equal(find_dir(&ll, Out)->access, W1);
	landlock_free(&ll);
	/* ABI 3: TRUNCATE; 4: TCP; 5: IOCTL_DEV; 6: scopes. */
	assert_int_equal(landlock_plan(&ll, &p, 3), 0);
	assert_int_equal(ll.fs, (1ULL << 15) - 1);
	assert_int_equal(find_dir(&ll, Out)->access, W1 | TRUNC);
	assert_int_equal(ll.net, 0);
	landlock_free(&ll);
	assert_int_equal(landlock_plan(&ll, &p, 4), 0);
	assert_int_equal(ll.net, 3);
	assert_int_equal(ll.fs, (1ULL << 15) - 1);
	landlock_free(&ll);
	assert_int_equal(landlock_plan(&ll, &p, 5), 0);
	assert_int_equal(ll.fs, (1ULL << 16) - 1);
	assert_int_equal(ll.scoped, 0);
	landlock_free(&ll);
	/* A newer kernel: what this code knows, nothing more. */
	assert_int_equal(landlock_plan(&ll, &p, 9), 0);
	assert_int_equal(ll.abi, 9);
	assert_int_equal(ll.used, LANDLOCK_ABI_MAX);
	assert_int_equal(ll.fs, (1ULL << 16) - 1);
	assert_int_equal(ll.scoped, 3);
	landlock_free(&ll);
}

static void
landlock_plan__missing_directory__kept_marked_missing(void **state)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	const char *files[1];
	char gone[128];

	(void)state;
	snprintf(gone, sizeof(gone), "%s/no-pods", Top);
	paths(&p, files, gone);
	assert_int_equal(landlock_plan(&ll, &p, Abi), 0);
	assert_int_equal(find_dir(&ll, gone)->missing, ENOENT);
	landlock_free(&ll);
}

static void
landlock_print__plan__every_directory_and_the_handled_rights(void **state)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	const char *files[1];
	char *text = NULL, gone[128], want[512];
	size_t len = 0;
	FILE *f;

	(void)state;
	snprintf(gone, sizeof(gone), "%s/no-pods", Top);
	paths(&p, files, gone);
	assert_int_equal(landlock_plan(&ll, &p, 7), 0);
	assert_non_null(f = open_memstream(&text, &len));
	landlock_print(f, &ll, 1, 0, 7, 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "// landlock: this kernel has ABI 7"));
	assert_non_null(strstr(text, "//     /proc: READ_FILE READ_DIR -- "));
	assert_non_null(strstr(text, "//     /etc: READ_FILE -- the user "
	    "database /etc/passwd; the group database /etc/group\n"));
	snprintf(want, sizeof(want), "//     %s: READ_FILE READ_DIR -- the pod "
	    "log directory; MISSING, left out: ENOENT\n", gone);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof(want), "//     %s: WRITE_FILE REMOVE_FILE "
	    "MAKE_REG TRUNCATE -- file output %s\n", Out, Events);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "REFER TRUNCATE IOCTL_DEV\n"));
	assert_non_null(strstr(text, "TCP bind and connect: denied"));
	/* Every line a comment: the output stays a valid configuration. */
	assert_int_equal(text[0], '/');
	assert_null(strstr(text, "\n\n"));
	assert_null(strstr(strchr(text, '\n'), "\n/ "));
	free(text);
	text = NULL;
	assert_non_null(f = open_memstream(&text, &len));
	landlock_print(f, &ll, 0, 0, 7, 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "// landlock: disabled"));
	free(text);
	text = NULL;
	assert_non_null(f = open_memstream(&text, &len));
	landlock_print(f, &ll, 1, 1, 0, ENOSYS);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "this kernel has none (ENOSYS): the "
	    "daemon would refuse to start (landlock.required)"));
	free(text);
	landlock_free(&ll);
}

/* fork; body() in the child; CHILD_PASS from it or fail. */
static void
run(int (*body)(void))
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(body() == 0 ? CHILD_PASS : 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != CHILD_PASS)
		fail_msg("child status 0x%x (see its messages above)",
		    (unsigned)st);
}

/* In the child: prepare and apply the daemon's ruleset for the tree. */
static int
confine(struct landlock_ctx *ll)
{
	struct landlock_paths p;
	const char *files[1];

	paths(&p, files, NULL);
	if (landlock_prepare(ll, &p, 1) < 0)
		return child_fail("landlock_prepare failed");
	if (ll->fd < 0)
		return child_fail("no ruleset");
	if (landlock_apply(ll) < 0)
		return child_fail("landlock_apply failed");
	if (!ll->applied)
		return child_fail("not applied");
	return 0;
}

/* open() of path with flags: want 0 (works) or that errno. */
static int
try_open(const char *path, int flags, int want)
{
	int fd = open(path, flags | O_CLOEXEC, 0600);
	int e = errno;

	if (fd >= 0)
		(void)close(fd);
	/* Made where it must not be: do not leave it there. */
	if (fd >= 0 && want != 0 && (flags & O_CREAT))
		(void)unlink(path);
	if (want == 0 && fd < 0)
		return child_fail("open %s: %s, expected to work", path,
		    strerror(e));
	if (want != 0 && (fd >= 0 || e != want))
		return child_fail("open %s: %s, expected %s", path,
		    fd >= 0 ? "worked" : strerror(e), strerror(want));
	return 0;
}

static int
body_files(void)
{
	struct landlock_ctx ll;
	char path[160], to[160], buf[64];
	ssize_t n;
	int bad = 0, fd, rc;

	if (confine(&ll) < 0)
		return -1;
	/* Reading /proc: the process context. */
	bad |= try_open("/proc/self/status", O_RDONLY, 0);
	bad |= try_open("/proc/1/cgroup", O_RDONLY, 0);
	bad |= try_open("/proc", O_RDONLY | O_DIRECTORY, 0);
	/* The databases, and only reading them. */
	bad |= try_open("/etc/passwd", O_RDONLY, 0);
	bad |= try_open("/etc/group", O_RDONLY, 0);
	bad |= try_open("/etc/passwd", O_WRONLY, EACCES);
	bad |= try_open("/etc", O_RDONLY | O_DIRECTORY, EACCES);
	snprintf(path, sizeof(path), "/etc/sm-landlock-%d", (int)getpid());
	bad |= try_open(path, O_WRONLY | O_CREAT | O_EXCL, EACCES);
	/* The sibling of the output directory, the tree, elsewhere. */
	bad |= try_open(Secret, O_RDONLY, EACCES);
	bad |= try_open(Outside, O_WRONLY | O_CREAT | O_EXCL, EACCES);
	snprintf(path, sizeof(path), "/tmp/sm-landlock-%d", (int)getpid());
	bad |= try_open(path, O_WRONLY | O_CREAT | O_EXCL, EACCES);
	bad |= try_open("/root", O_RDONLY | O_DIRECTORY, EACCES);
	bad |= try_open("/usr/bin/env", O_RDONLY, EACCES);
	/* The output directory: what a rotation does, and no more. */
	bad |= try_open(Events, O_WRONLY | O_APPEND, 0);
	snprintf(path, sizeof(path), "%s/events.json.new", Out);
	bad |= try_open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL, 0);
	snprintf(to, sizeof(to), "%s/events.json.1", Out);
	if (renameat(AT_FDCWD, Events, AT_FDCWD, to) < 0)
		bad |= child_fail("renameat within: %s", strerror(errno));
	/* Replacing the oldest file: REMOVE_FILE on the target. */
	if (renameat(AT_FDCWD, path, AT_FDCWD, to) < 0)
		bad |= child_fail("renameat over: %s", strerror(errno));
	if ((fd = open(to, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0 ||
	    write(fd, "x\n", 2) != 2 || ftruncate(fd, 0) < 0)
		bad |= child_fail("write and ftruncate in %s: %s", Out,
		    strerror(errno));
	if (fd >= 0)
		(void)close(fd);
	bad |= try_open(to, O_RDONLY, EACCES);
	bad |= try_open(Out, O_RDONLY | O_DIRECTORY, EACCES);
	rc = mkdirat(AT_FDCWD, path, 0700);
	if (rc == 0 || errno != EACCES)
		bad |= child_fail("mkdir in %s: %s, expected EACCES", Out,
		    result(rc));
	/*
	 * Out of the directory: no REFER, and no MAKE_REG where it would go;
	 * the kernel says EACCES, which prevails over EXDEV.
	 */
	snprintf(path, sizeof(path), "%s/moved", Sib);
	rc = renameat(AT_FDCWD, to, AT_FDCWD, path);
	if (rc == 0 || errno != EACCES)
		bad |= child_fail("rename out of %s: %s, expected EACCES", Out,
		    result(rc));
	/*
	 * What Landlock adds to /proc: another process's exe and cwd links
	 * are ptrace-checked, and a domain may not trace outside itself.
	 */
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)getppid());
	n = readlink(path, buf, sizeof(buf));
	if (n >= 0 || errno != EACCES)
		bad |= child_fail("readlink %s: %s, expected EACCES", path,
		    result(n));
	if (readlink("/proc/self/cwd", buf, sizeof(buf)) < 0)
		bad |= child_fail("readlink /proc/self/cwd: %s",
		    strerror(errno));
	return bad ? -1 : 0;
}

static void
landlock_apply__child__reads_proc_and_databases_writes_only_output_dir(
    void **state)
{
	(void)state;
	run(body_files);
}

/* A listening TCP socket on 127.0.0.1, its port in *port. */
static int
tcp_listener(uint16_t *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static uint16_t Port;

/* An address: "@name" abstract, else a path. */
static socklen_t
unix_addr(struct sockaddr_un *sa, const char *name)
{
	size_t n = strlen(name);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, name, n);
	if (name[0] == '@')
		sa->sun_path[0] = '\0';
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

static char Abstract[64], Pathname[128];

static int
dgram_to(int fd, const char *name)
{
	struct sockaddr_un sa;
	socklen_t sl = unix_addr(&sa, name);

	return (int)sendto(fd, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&sa,
	    sl);
}

static int
body_net(void)
{
	struct landlock_ctx ll;
	struct sockaddr_in sa;
	struct sockaddr_un su;
	int bad = 0, fd, notify, dg, rc;

	/* As sd_notify: connected to an abstract socket before. */
	notify = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify < 0 || connect(notify, (struct sockaddr *)&su,
	    unix_addr(&su, Abstract)) < 0)
		return child_fail("connecting to %s: %s", Abstract,
		    strerror(errno));
	dg = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (dg < 0)
		return child_fail("socket: %s", strerror(errno));
	if (confine(&ll) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(Port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return child_fail("socket: %s", strerror(errno));
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (rc == 0 || errno != EACCES)
		bad |= child_fail("TCP connect to 127.0.0.1:%u: %s, expected "
		    "EACCES", (unsigned)Port, result(rc));
	(void)close(fd);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return child_fail("socket: %s", strerror(errno));
	sa.sin_port = 0;
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (rc == 0 || errno != EACCES)
		bad |= child_fail("TCP bind: %s, expected EACCES", result(rc));
	(void)close(fd);
	/* The connected datagram socket still sends (STOPPING=1). */
	if (send(notify, "x", 1, MSG_DONTWAIT) != 1)
		bad |= child_fail("send on the socket connected to %s before: "
		    "%s", Abstract, strerror(errno));
	/* A pathname socket (syslog, journald) is not scoped at ABI 7. */
	if (dgram_to(dg, Pathname) != 1)
		bad |= child_fail("sendto %s: %s", Pathname, strerror(errno));
	/* A new abstract destination outside the domain is. */
	rc = dgram_to(dg, Abstract);
	if (rc >= 0 || errno != EPERM)
		bad |= child_fail("sendto %s: %s, expected EPERM", Abstract,
		    result(rc));
	/* Signals: not to the parent (outside); to itself, yes. */
	rc = kill(getppid(), 0);
	if (rc == 0 || errno != EPERM)
		bad |= child_fail("kill(parent, 0): %s, expected EPERM",
		    result(rc));
	if (kill(getpid(), 0) < 0)
		bad |= child_fail("kill(self, 0): %s", strerror(errno));
	return bad ? -1 : 0;
}

static void
landlock_apply__child__no_tcp_abstract_scoped_pathname_unix_works(
    void **state)
{
	struct sockaddr_un su;
	int tcp, ab, pn;
	char buf[8];

	(void)state;
	if (Abi < 6)
		fail_msg("this kernel has Landlock ABI %d; TCP needs 4, "
		    "scopes 6", Abi);
	tcp = tcp_listener(&Port);
	snprintf(Abstract, sizeof(Abstract), "@seccompmon-landlock-%d",
	    (int)getpid());
	snprintf(Pathname, sizeof(Pathname), "%s/log", Top);
	ab = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	pn = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(ab >= 0 && pn >= 0);
	assert_int_equal(bind(ab, (struct sockaddr *)&su, unix_addr(&su,
	    Abstract)), 0);
	assert_int_equal(bind(pn, (struct sockaddr *)&su, unix_addr(&su,
	    Pathname)), 0);
	run(body_net);
	/* What the child sent arrived. */
	assert_int_equal(recv(ab, buf, sizeof(buf), MSG_DONTWAIT), 1);
	assert_int_equal(recv(pn, buf, sizeof(buf), MSG_DONTWAIT), 1);
	(void)close(tcp);
	(void)close(ab);
	(void)close(pn);
}

/*
 * Signals from outside still arrive: scoping restricts what the domain
 * sends (hook_task_kill() checks the sender's domain), not what it gets.
 */
static void
landlock_apply__child__signals_from_outside_arrive(void **state)
{
	struct landlock_ctx ll;
	struct timespec ts = { 5, 0 };
	sigset_t set;
	pid_t pid;
	char c;
	int p[2], st;

	(void)state;
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sigemptyset(&set);
		sigaddset(&set, SIGHUP);
		sigaddset(&set, SIGTERM);
		sigprocmask(SIG_BLOCK, &set, NULL);
		if (confine(&ll) < 0 || write(p[1], "r", 1) != 1)
			_exit(1);
		if (sigtimedwait(&set, NULL, &ts) != SIGHUP ||
		    sigtimedwait(&set, NULL, &ts) != SIGTERM)
			_exit(2);
		_exit(CHILD_PASS);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(kill(pid, SIGHUP), 0);
	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != CHILD_PASS)
		fail_msg("child status 0x%x", (unsigned)st);
	(void)close(p[0]);
	(void)close(p[1]);
}

static void *
idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static int
body_threads(void)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	const char *files[1];
	pthread_t t;

	if (pthread_create(&t, NULL, idle, NULL) != 0)
		return child_fail("pthread_create failed");
	paths(&p, files, NULL);
	if (landlock_prepare(&ll, &p, 1) < 0 || ll.fd < 0)
		return child_fail("landlock_prepare failed");
	if (landlock_apply(&ll) == 0 || ll.applied)
		return child_fail("applied with a second thread running");
	if (ll.fd != -1)
		return child_fail("the ruleset was not closed");
	landlock_free(&ll);
	return 0;
}

static void
landlock_apply__threads_running__refused(void **state)
{
	(void)state;
	run(body_threads);
}

/* A seccomp filter answering err to landlock_create_ruleset. */
static int
no_landlock(int err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (ctx == NULL || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(err),
	    SYS_landlock_create_ruleset, 0) < 0 || seccomp_load(ctx) < 0)
		return child_fail("loading the seccomp filter failed");
	seccomp_release(ctx);
	return 0;
}

static int
body_enosys(void)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	const char *files[1];
	char line[256];
	int err;

	if (no_landlock(ENOSYS) < 0)
		return -1;
	if (landlock_abi(&err) != 0 || err != ENOSYS)
		return child_fail("landlock_abi: not 0 with ENOSYS");
	paths(&p, files, NULL);
	/* Not required: a warning, nothing to apply, going on. */
	if (landlock_prepare(&ll, &p, 0) != 0 || ll.fd != -1 || ll.abi != 0)
		return child_fail("not required: did not degrade");
	if (landlock_apply(&ll) != 0 || ll.applied)
		return child_fail("applied nothing, yet not 0");
	landlock_describe(&ll, 1, line, sizeof(line));
	if (strcmp(line, "NO Landlock (not in this kernel)") != 0)
		return child_fail("described as \"%s\"", line);
	landlock_free(&ll);
	/* Required: -1. */
	if (landlock_prepare(&ll, &p, 1) != -1 || ll.fd != -1)
		return child_fail("required: not -1");
	landlock_free(&ll);
	return 0;
}

/* Landlock refused with Err, which the start-up line gives as Why. */
static int Err;
static const char *Why;

static int
body_refused(void)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	const char *files[1];
	char line[256], want[128];

	if (no_landlock(Err) < 0)
		return -1;
	paths(&p, files, NULL);
	if (landlock_prepare(&ll, &p, 0) != 0 || ll.fd != -1 ||
	    ll.abi_err != Err)
		return child_fail("%s: did not degrade", strerror(Err));
	landlock_describe(&ll, 1, line, sizeof(line));
	snprintf(want, sizeof(want), "NO Landlock (%s)", Why);
	if (strcmp(line, want) != 0)
		return child_fail("described as \"%s\", not \"%s\"", line,
		    want);
	landlock_free(&ll);
	return 0;
}

static void
landlock_prepare__kernel_without_landlock__warns_or_refuses(void **state)
{
	(void)state;
	run(body_enosys);
	Err = EOPNOTSUPP;
	Why = "disabled at boot";
	run(body_refused);
	/* A unit's SystemCallFilter= without the landlock calls. */
	Err = EPERM;
	Why = "denied by a seccomp filter";
	run(body_refused);
}

/* The daemon under no_landlock(ENOSYS): exit status of ARGS. */
static int
daemon_without_landlock(char *const *args)
{
	pid_t pid;
	int st, null;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null < 0 || dup2(null, STDOUT_FILENO) < 0 ||
		    no_landlock(ENOSYS) < 0)
			_exit(99);
		execv(DAEMON, args);
		_exit(98);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
daemon__required_kernel_without_landlock__exit_78(void **state)
{
	char conf[128], bin[] = DAEMON, check[] = "--check-config",
	    opt[] = "--config";
	char *const args[] = { bin, check, opt, conf, NULL };

	(void)state;
	snprintf(conf, sizeof(conf), "%s/c.json", Top);
	write_file(conf, "{\"landlock\": {\"required\": true}}\n");
	assert_int_equal(daemon_without_landlock(args), 78);
	write_file(conf, "{\"landlock\": {\"required\": false}}\n");
	assert_int_equal(daemon_without_landlock(args), 0);
	/* Disabled: required says nothing. */
	write_file(conf, "{\"landlock\": {\"enabled\": false, "
	    "\"required\": true}}\n");
	assert_int_equal(daemon_without_landlock(args), 0);
}

static void
landlock_describe__applied__paths_and_rights(void **state)
{
	struct landlock_paths p;
	struct landlock_ctx ll;
	const char *files[1];
	char line[512], want[512];

	(void)state;
	paths(&p, files, NULL);
	assert_int_equal(landlock_plan(&ll, &p, 7), 0);
	ll.applied = 1;
	landlock_describe(&ll, 1, line, sizeof(line));
	snprintf(want, sizeof(want), "Landlock ABI 7: /proc (read, list), "
	    "/etc (read), %s (write, remove, create, truncate), nothing else; "
	    "no TCP bind or connect; abstract unix sockets and signals scoped",
	    Out);
	assert_string_equal(line, want);
	ll.applied = 0;
	landlock_describe(&ll, 1, line, sizeof(line));
	assert_string_equal(line, "NO Landlock (the ruleset did not load)");
	landlock_describe(&ll, 0, line, sizeof(line));
	assert_string_equal(line, "NO Landlock (disabled by "
	    "landlock.enabled)");
	/* Cut short, still a string. */
	ll.applied = 1;
	landlock_describe(&ll, 1, line, 20);
	assert_int_equal(strlen(line), 19);
	landlock_free(&ll);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const struct CMUnitTest tests[] = {
	T(landlock_plan__abi_7__one_rule_per_directory_rights_merged),
	T(landlock_plan__old_abis__only_their_rights),
	T(landlock_plan__missing_directory__kept_marked_missing),
	T(landlock_print__plan__every_directory_and_the_handled_rights),
	T(landlock_describe__applied__paths_and_rights),
	T(landlock_apply__child__reads_proc_and_databases_writes_only_output_dir),
	T(landlock_apply__child__no_tcp_abstract_scoped_pathname_unix_works),
	T(landlock_apply__child__signals_from_outside_arrive),
	T(landlock_apply__threads_running__refused),
	T(landlock_prepare__kernel_without_landlock__warns_or_refuses),
	T(daemon__required_kernel_without_landlock__exit_78),
};

int
main(void)
{
	int err;

	if (geteuid() != 0) {
		fprintf(stderr, "test_landlock: SKIP: needs root (a rule must "
		    "stop root too)\n");
		return 77;
	}
	if ((Abi = landlock_abi(&err)) == 0) {
		fprintf(stderr, "test_landlock: SKIP: this kernel has no "
		    "Landlock (%s)\n", strerror(err));
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
