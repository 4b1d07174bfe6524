/*
 * Issue 10's round trip with a real container: crun runs busybox under
 * Docker's profile plus a logged errno rule and a kill rule while the
 * daemon writes events to a file; `seccompmon profile --container ID
 * --base` fixes the profile, and a new container run with it succeeds and
 * leaves no event.  crun: Debian 12's runc (1.1.5) refuses "flags".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "tests/integration/harness.h"

#define MOBY		TOP_SRCDIR "/tests/data/profiles/moby-default.json"
#define CRUN		"/usr/bin/crun"
#define READY_MS	5000
#define EVENT_MS	10000	/* the marker's event */
#define HOLD_MS		30000	/* the container reaching a hold */
#define RUN_MS		30000	/* crun ending once released */
#define STOP_MS		5000

/*
 * The calls busybox makes (strace): "mkdir DIR" calls mkdir(2) and "ln -s"
 * symlink(2) on x86_64, the *at(2) calls where the old ones do not exist.
 * Not sync(2): allowed, it flushes every disk of the host, which can take
 * longer than the test waits.
 */
#if defined(__x86_64__) || defined(__i386__)
#define MKDIR_CALL	"mkdir"
#define SYMLINK_CALL	"symlink"
#else
#define MKDIR_CALL	"mkdirat"
#define SYMLINK_CALL	"symlinkat"
#endif

/*
 * The container's shell.  mkdir and ln run in children of their own, so
 * that the kill does not end the shell and hide the errno case; each child
 * stops itself before its call.  The daemon names a record's container
 * from the process's cgroup, so each must be there when its record is
 * read: a zombie will do (its v2 line stays; v1 lines say "/" once a task
 * exits), but the shell reaps children at its next command after a
 * SIGCHLD.  While it waits in "read" it reaps none.  So the test lets the
 * children go on (SIGCONT) only once the shell waits there, and writes
 * the line only after the daemon has had their records; the second hold
 * lets it check after the shell's own last calls.
 */
#define SCRIPT \
	"s() { read p x </proc/self/stat; kill -STOP $p; }; " \
	"(s; exec mkdir /tmp/x) & m=$!; (s; exec ln -s x /tmp/l) & k=$!; " \
	"echo started; read go; wait $m; ms=$?; wait $k; ks=$?; " \
	"echo \"mkdir=$ms ln=$ks\"; read go; [ $ms = 0 ] && [ $ks = 0 ]"

/* One container run: crun, its stdin, its output and its cgroup. */
struct ctr {
	const char	*id;
	char		 name[32];
	char		 log[128];
	char		 pidfile[128];
	char		 cg[PATH_MAX + 80];
	pid_t		 crun;		/* 0: reaped */
	int		 in;		/* the shell's stdin; -1: closed */
	int		 status;	/* crun's wait status, once reaped */
};

struct fix {
	struct monitor	 m;
	struct observer	 obs;
	char		 tmp[64];	/* root, bundle, state, events, logs */
	char		 events[96];	/* the daemon's file output */
	char		 base[96];	/* the profile of the first run */
	char		 merged[96];	/* what seccompmon profile made */
	char		 v2[PATH_MAX];	/* the cgroup2 mount */
	int		 hybrid;	/* v2 is not /sys/fs/cgroup itself */
	int		 made_docker;	/* this test made <v2>/docker */
	char		 id1[65];	/* the denied container */
	char		 id2[65];	/* the same, with the merged profile */
	struct ctr	 c;		/* the running container, if any */
};

static struct fix *F;

/* n random bytes as lowercase hex into out (2n + 1 bytes). */
static void
random_hex(char *out, size_t n)
{
	unsigned char b[32];
	size_t i;
	int fd;

	assert_true(n <= sizeof(b));
	assert_true((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0);
	assert_int_equal(read(fd, b, n), (ssize_t)n);
	close(fd);
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* The whole file, NUL-terminated (malloc()ed), or NULL. */
static char *
slurp(const char *path)
{
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0;
	ssize_t got;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 16384;
			if ((nb = realloc(buf, cap)) == NULL)
				break;
			buf = nb;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			buf[n] = '\0';
			close(fd);
			return buf;
		}
		n += (size_t)got;
	}
	free(buf);
	close(fd);
	return NULL;
}

/* The file's text for a failure message, "" when unreadable. */
static const char *
text_of(const char *path)
{
	static char buf[4096];
	char *t = slurp(path);

	snprintf(buf, sizeof(buf), "%s", t != NULL ? t : "");
	free(t);
	return buf;
}

/* ---- cgroups ---- */

/* The cgroup2 mount whose root is the hierarchy's own, from mountinfo. */
static int
find_v2(char *out, size_t len)
{
	char line[4096], root[PATH_MAX], mp[PATH_MAX], type[64];
	const char *dash;
	FILE *fp;
	int found = 0;

	if ((fp = fopen("/proc/self/mountinfo", "r")) == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), fp) != NULL) {
		if ((dash = strstr(line, " - ")) == NULL ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, mp) != 2 ||
		    sscanf(dash + 3, "%63s", type) != 1)
			continue;
		if (strcmp(type, "cgroup2") == 0 && strcmp(root, "/") == 0) {
			snprintf(out, len, "%s", mp);
			found = 1;
		}
	}
	fclose(fp);
	return found ? 0 : -1;
}

/* rmdir, again for a while: a cgroup is busy until its last exit is done. */
static int
rmdir_retry(const char *dir)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		usleep(10 * 1000);
	}
	return -1;
}

/* Kill whatever is left in the cgroup dir, then remove it. */
static int
cg_remove(const char *dir)
{
	char path[PATH_MAX + 32];
	FILE *fp;
	int pid;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if ((fp = fopen(path, "r")) != NULL) {
		while (fscanf(fp, "%d", &pid) == 1)
			(void)kill(pid, SIGKILL);
		fclose(fp);
	}
	return rmdir_retry(dir);
}

/* ---- crun ---- */

/*
 * Run crun with args (after "--root STATE") in a child, stdin from in (-1:
 * /dev/null) and stdout and stderr to log, moved first into the cgroup cg
 * (NULL: stay).  On a hybrid host crun refuses to run while cgroup v2 holds
 * a controller, even with its cgroup manager disabled: the child hides the
 * v2 mount in a mount namespace of its own, so that crun sees a v1 host.
 * The cgroup is the test's: with its manager disabled crun touches none,
 * and the container stays where crun started, /docker/ID as Docker's
 * cgroupfs driver names it.  The pid.
 */
static pid_t
crun_spawn(const char *const *args, int in, const char *log, const char *cg)
{
	char state[PATH_MAX], procs[PATH_MAX + 32], num[16], *argv[16];
	pid_t pid, parent = getpid();
	size_t n = 0;
	int fd, len;

	snprintf(state, sizeof(state), "%s/state", F->tmp);
	argv[n++] = (char *)(uintptr_t)"crun";
	argv[n++] = (char *)(uintptr_t)"--cgroup-manager=disabled";
	argv[n++] = (char *)(uintptr_t)"--root";
	argv[n++] = state;
	while (*args != NULL && n + 1 < sizeof(argv) / sizeof(argv[0]))
		argv[n++] = (char *)(uintptr_t)*args++;
	argv[n] = NULL;
	if ((pid = fork()) != 0) {
		assert_true(pid > 0);
		return pid;
	}
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(127);
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
	    dup2(fd, STDERR_FILENO) < 0)
		_exit(127);
	if (in < 0 && (in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		_exit(127);
	if (dup2(in, STDIN_FILENO) < 0)
		_exit(127);
	if (cg != NULL) {
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		len = snprintf(num, sizeof(num), "%d", (int)getpid());
		if ((fd = open(procs, O_WRONLY | O_CLOEXEC)) < 0 ||
		    write(fd, num, (size_t)len) != len) {
			fprintf(stderr, "test: joining %s: %s\n", cg,
			    strerror(errno));
			_exit(127);
		}
		close(fd);
	}
	if (F->hybrid && (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    umount2(F->v2, MNT_DETACH) < 0)) {
		fprintf(stderr, "test: hiding %s from crun: %s\n", F->v2,
		    strerror(errno));
		_exit(127);
	}
	execv(CRUN, argv);
	fprintf(stderr, "test: %s: %s\n", CRUN, strerror(errno));
	_exit(127);
}

/*
 * bundle/config.json: the busybox root read-only, /proc, /dev and /tmp,
 * and the profile in path as linux.seccomp.  No cgroupsPath: see
 * crun_spawn().
 */
static void
write_bundle(const char *profile)
{
	char path[PATH_MAX], root[PATH_MAX];
	json_object *cfg, *p, *args;

	snprintf(root, sizeof(root), "%s/root", F->tmp);
	cfg = json_tokener_parse(
	    "{\"ociVersion\": \"1.0.2\","
	    " \"process\": {\"terminal\": false, \"user\": {\"uid\": 0,"
	    " \"gid\": 0}, \"args\": [\"sh\", \"-c\"],"
	    " \"env\": [\"PATH=/bin\"], \"cwd\": \"/\","
	    " \"noNewPrivileges\": true},"
	    " \"hostname\": \"sm-roundtrip\","
	    " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\","
	    " \"source\": \"proc\"}, {\"destination\": \"/dev\","
	    " \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\":"
	    " [\"nosuid\", \"mode=755\"]}, {\"destination\": \"/tmp\","
	    " \"type\": \"tmpfs\", \"source\": \"tmpfs\"}],"
	    " \"linux\": {\"namespaces\": [{\"type\": \"pid\"},"
	    " {\"type\": \"mount\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"},"
	    " {\"type\": \"network\"}]}}");
	assert_non_null(cfg);
	assert_non_null(args = jpath(cfg, "process.args"));
	assert_int_equal(json_object_array_add(args,
	    json_object_new_string(SCRIPT)), 0);
	assert_int_equal(json_object_object_add(cfg, "root",
	    json_tokener_parse("{\"readonly\": true}")), 0);
	assert_int_equal(json_object_object_add(jpath(cfg, "root"), "path",
	    json_object_new_string(root)), 0);
	if ((p = json_object_from_file(profile)) == NULL)
		fail_msg("%s: not JSON: %s", profile, json_util_get_last_err());
	assert_int_equal(json_object_object_add(jpath(cfg, "linux"),
	    "seccomp", p), 0);
	snprintf(path, sizeof(path), "%s/bundle/config.json", F->tmp);
	assert_int_equal(json_object_to_file(path, cfg), 0);
	json_object_put(cfg);
}

/* Start the container id of the bundle in its cgroup, its stdin a pipe. */
static void
ctr_start(struct ctr *c, const char *id)
{
	char bundle[PATH_MAX];
	const char *args[] = { "run", "--bundle", bundle, "--pid-file",
		c->pidfile, c->name, NULL };
	int p[2];

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->in = -1;
	snprintf(bundle, sizeof(bundle), "%s/bundle", F->tmp);
	snprintf(c->name, sizeof(c->name), "sm-rt-%.12s", id);
	snprintf(c->log, sizeof(c->log), "%s/%s.log", F->tmp, c->name);
	snprintf(c->pidfile, sizeof(c->pidfile), "%s/%s.pid", F->tmp,
	    c->name);
	snprintf(c->cg, sizeof(c->cg), "%s/docker/%s", F->v2, id);
	if (mkdir(c->cg, 0755) < 0)
		fail_msg("mkdir %s: %s", c->cg, strerror(errno));
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	c->crun = crun_spawn(args, p[0], c->log, c->cg);
	close(p[0]);
	c->in = p[1];
}

/* The container's shell (crun's pid file), or 0 before crun wrote it. */
static pid_t
ctr_shell(const struct ctr *c)
{
	char *t = slurp(c->pidfile);
	long pid = t != NULL ? strtol(t, NULL, 10) : 0;

	free(t);
	return pid > 0 && pid < INT32_MAX ? (pid_t)pid : 0;
}

/* The state letter of pid ('Z': a zombie, 'T': stopped), '?': none. */
static char
proc_state(pid_t pid)
{
	char path[64], *t, *p;
	char st = '?';

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((t = slurp(path)) != NULL && (p = strrchr(t, ')')) != NULL &&
	    p[1] == ' ' && p[2] != '\0')
		st = p[2];
	free(t);
	return st;
}

/* Whether pid sleeps in the call busybox's "read" waits in. */
static int
proc_in_read(pid_t pid)
{
	char path[64], *t;
	long nr;
	int yes;

	if (proc_state(pid) != 'S')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if ((t = slurp(path)) == NULL)
		return 0;
	/* "running", or the number and arguments of the call it sleeps in */
	nr = t[0] >= '0' && t[0] <= '9' ? strtol(t, NULL, 10) : -1;
	free(t);
	yes = nr == SYS_read || nr == SYS_ppoll;
#ifdef SYS_poll
	yes = yes || nr == SYS_poll;
#endif
	return yes;
}

/* The shell's children into kids (at most max): how many, -1: no shell. */
static int
ctr_kids(const struct ctr *c, pid_t *kids, int max)
{
	char path[96], *t, *s, *end;
	pid_t shell = ctr_shell(c);
	long kid;
	int n = 0;

	if (shell == 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)shell,
	    (int)shell);
	if ((t = slurp(path)) == NULL)
		return -1;
	for (s = t; (kid = strtol(s, &end, 10)) > 0; s = end)
		if (n < max)
			kids[n++] = (pid_t)kid;
	free(t);
	return n;
}

/*
 * Whether the container holds: its output has line, its shell waits in
 * "read", and it has n children (into kids), each in state st.
 */
static int
ctr_held(const struct ctr *c, const char *line, int n, char st,
    pid_t *kids)
{
	char *t;
	int i, has;

	if ((t = slurp(c->log)) == NULL)
		return 0;
	has = strstr(t, line) != NULL;
	free(t);
	if (!has || !proc_in_read(ctr_shell(c)) || ctr_kids(c, kids, 4) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (proc_state(kids[i]) != st)
			return 0;
	return 1;
}

/* Wait for ctr_held(), reading the daemon meanwhile. */
static void
ctr_wait_held(struct ctr *c, const char *line, int n, char st,
    pid_t *kids)
{
	int64_t deadline = mono_ms() + HOLD_MS;
	char buf[128];
	size_t k = 0;
	pid_t shell;
	int i, got;

	while (!ctr_held(c, line, n, st, kids)) {
		if (waitpid(c->crun, &c->status, WNOHANG) == c->crun) {
			c->crun = 0;
			fail_msg("container %s ended (crun status 0x%x) before "
			    "\"%s\"; its output:\n%s", c->name,
			    (unsigned)c->status, line, text_of(c->log));
		}
		if (mono_ms() >= deadline) {
			shell = ctr_shell(c);
			got = ctr_kids(c, kids, 4);
			for (i = 0; i < got && k < sizeof(buf); i++)
				k += (size_t)snprintf(buf + k, sizeof(buf) - k,
				    " %d:%c", (int)kids[i],
				    proc_state(kids[i]));
			buf[k < sizeof(buf) ? k : 0] = '\0';
			fail_msg("container %s never held at \"%s\" with %d "
			    "children in state %c (shell %d: %s; children:%s)"
			    "; its output:\n%s", c->name, line, n, st,
			    (int)shell, proc_in_read(shell) ? "in read" :
			    "not in read", buf, text_of(c->log));
		}
		(void)monitor_pump(&F->m, 20);
	}
}

/* Let the shell go on past its "read". */
static void
ctr_release(struct ctr *c)
{
	assert_int_equal(write(c->in, "go\n", 3), 3);
}

/* crun's exit status once the container ended (128 + signal, -1: hung). */
static int
ctr_wait_exit(struct ctr *c)
{
	if (c->in >= 0) {
		close(c->in);
		c->in = -1;
	}
	if (c->crun > 0) {
		if (child_reap(c->crun, RUN_MS, &c->status) < 0)
			c->status = -1;
		c->crun = 0;
	}
	if (c->status == -1)
		return -1;
	return WIFEXITED(c->status) ? WEXITSTATUS(c->status) :
	    128 + WTERMSIG(c->status);
}

/* Whatever happened: crun reaped, the container deleted, its cgroup gone. */
static int
ctr_end(struct ctr *c)
{
	const char *del[] = { "delete", "--force", c->name, NULL };
	int status, rc = 0;

	if (c->id == NULL)
		return 0;
	(void)ctr_wait_exit(c);
	if (child_reap(crun_spawn(del, -1, c->log, NULL), RUN_MS,
	    &status) < 0)
		rc = -1;
	if (cg_remove(c->cg) < 0) {
		fprintf(stderr, "test_roundtrip_crun: rmdir %s: %s\n", c->cg,
		    strerror(errno));
		rc = -1;
	}
	c->id = NULL;
	return rc;
}

/* ---- The daemon's events ---- */

/* Every complete line of the events file, parsed (a JSON array). */
static json_object *
events_read(void)
{
	json_object *all = json_object_new_array(), *o;
	char *t = slurp(F->events), *line, *nl;

	assert_non_null(all);
	for (line = t; line != NULL && (nl = strchr(line, '\n')) != NULL;
	    line = nl + 1) {
		*nl = '\0';
		if ((o = json_tokener_parse(line)) == NULL)
			fail_msg("%s: not JSON: %s", F->events, line);
		assert_int_equal(json_object_array_add(all, o), 0);
	}
	free(t);
	return all;
}

/*
 * A sync point: the violator makes a record ("log" mode) after everything
 * the test did so far; once its event is in the file, so is the event of
 * every record made before it (the kernel hands records to the socket in
 * order, and the daemon writes them in order).  The events then.
 */
static json_object *
events_sync(void)
{
	int64_t deadline;
	json_object *all;
	pid_t pid;
	size_t i;
	int64_t v;
	int status;

	if ((pid = violator_spawn(HARNESS_VIOLATOR, "log", NULL, 0)) < 0)
		fail_msg("violator: %s", strerror(errno));
	if (child_reap(pid, EVENT_MS, &status) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != VIOLATOR_SEEN)
		fail_msg("the marker violator failed (status 0x%x)",
		    (unsigned)status);
	deadline = mono_ms() + EVENT_MS;
	for (;;) {
		all = events_read();
		for (i = 0; i < json_object_array_length(all); i++)
			if (jpath_int(json_object_array_get_idx(all, i),
			    "process.pid", &v) == 0 && v == pid)
				return all;
		json_object_put(all);
		if (mono_ms() >= deadline)
			fail_msg("no event of the marker (pid %d) in %s; "
			    "daemon:\n%s", (int)pid, F->events,
			    monitor_err(&F->m));
		(void)monitor_pump(&F->m, 20);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Of the events, those of container id, as sorted "name/action" lines (the
 * children run in either order); and fail if any says that records or
 * events were lost: then "none" proves nothing.
 */
static void
events_of(json_object *all, const char *id, char *out, size_t len)
{
	const char *line[32], *cid, *action;
	json_object *o;
	char buf[32][96];
	size_t i, n = 0, k = 0;

	for (i = 0; i < json_object_array_length(all); i++) {
		o = json_object_array_get_idx(all, i);
		action = jpath_str(o, "event.action", NULL);
		if (action != NULL && strcmp(action, "events-lost") == 0)
			fail_msg("the daemon lost events: %s",
			    json_object_to_json_string(o));
		if ((cid = jpath_str(o, "container.id", NULL)) == NULL ||
		    strcmp(cid, id) != 0)
			continue;
		if (n == 32)
			fail_msg("more than 32 events of container %s", id);
		snprintf(buf[n], sizeof(buf[n]), "%s/%s",
		    jpath_str(o, "seccomp.syscall.name", NULL) != NULL ?
		    jpath_str(o, "seccomp.syscall.name", NULL) : "?",
		    jpath_str(o, "seccomp.action", NULL) != NULL ?
		    jpath_str(o, "seccomp.action", NULL) : "?");
		line[n] = buf[n];
		n++;
	}
	qsort(line, n, sizeof(line[0]), cmp_str);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		k += (size_t)snprintf(out + k, len - k, "%s\n", line[i]);
		assert_true(k < len);
	}
}

/* ---- The command line ---- */

/* seccompmon ARGS..., stdout to out, stderr to err: the exit status. */
static int
cli(const char *const *args, const char *out, const char *err)
{
	char *argv[16];
	size_t n = 0;
	pid_t pid;
	int fd, status;

	argv[n++] = (char *)(uintptr_t)HARNESS_DAEMON;
	while (*args != NULL && n + 1 < sizeof(argv) / sizeof(argv[0]))
		argv[n++] = (char *)(uintptr_t)*args++;
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600)) < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
		    (fd = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600)) < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(127);
		execv(HARNESS_DAEMON, argv);
		_exit(127);
	}
	assert_true(pid > 0);
	if (child_reap(pid, RUN_MS, &status) < 0)
		fail_msg("seccompmon %s hung", args[0]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ---- The round trip ---- */

/*
 * Run the container id with the profile in path: at both holds, after a
 * sync point, the events of id must be want (name/action lines); crun's
 * exit status and the line the shell prints must be as given.
 */
static void
round_trip(const char *id, const char *profile, const char *want,
    const char *line, int exit_want, const char *say)
{
	struct ctr *c = &F->c;
	char got[1024];
	json_object *all;
	pid_t kids[4];
	int i, rc;

	write_bundle(profile);
	ctr_start(c, id);
	/* The children stopped before their calls, the shell in "read". */
	ctr_wait_held(c, "started\n", 2, 'T', kids);
	for (i = 0; i < 2; i++)
		assert_int_equal(kill(kids[i], SIGCONT), 0);
	/* Their calls made, not reaped. */
	ctr_wait_held(c, "started\n", 2, 'Z', kids);
	all = events_sync();
	events_of(all, id, got, sizeof(got));
	json_object_put(all);
	if (strcmp(got, want) != 0)
		fail_msg("container %s: events\n%sexpected\n%s", c->name, got,
		    want);
	ctr_release(c);
	ctr_wait_held(c, line, 0, 'Z', kids);
	all = events_sync();
	events_of(all, id, got, sizeof(got));
	json_object_put(all);
	if (strcmp(got, want) != 0)
		fail_msg("container %s, after the children: events\n%s"
		    "expected\n%s", c->name, got, want);
	ctr_release(c);
	rc = ctr_wait_exit(c);
	if (rc != exit_want || (say != NULL &&
	    strstr(text_of(c->log), say) == NULL))
		fail_msg("container %s: crun exit %d, expected %d; output:\n%s",
		    c->name, rc, exit_want, text_of(c->log));
	assert_int_equal(ctr_end(c), 0);
}

static void
roundtrip__errno_and_kill_rules__container_fails_two_events(void **state)
{
	(void)state;
	round_trip(F->id1, F->base, MKDIR_CALL "/errno\n" SYMLINK_CALL
	    "/kill_process\n", "mkdir=1 ln=159\n", 1, "Permission denied");
}

/* Whether the string at path in o is want. */
static int
str_is(json_object *o, const char *path, const char *want)
{
	const char *got = jpath_str(o, path, NULL);

	return got != NULL && strcmp(got, want) == 0;
}

/* The JSON object in path, or fail. */
static json_object *
json_file(const char *path)
{
	json_object *o = json_object_from_file(path);

	if (o == NULL || !json_object_is_type(o, json_type_object))
		fail_msg("%s: not a JSON object: %s", path, text_of(path));
	return o;
}

/* The array at path in o, or fail. */
static json_object *
jarray(json_object *o, const char *path)
{
	json_object *a = jpath(o, path);

	if (a == NULL || !json_object_is_type(a, json_type_array))
		fail_msg("no array \"%s\" in %s", path,
		    json_object_to_json_string(o));
	return a;
}

/* Rule i of diff's syscallsRemoved is {index, action, [name]}. */
static void
want_removed(json_object *diff, size_t i, int64_t index,
    const char *action, const char *name)
{
	json_object *r = json_object_array_get_idx(jarray(diff,
	    "syscallsRemoved"), i), *names;
	int64_t v;

	if (r == NULL || jpath_int(r, "index", &v) < 0 || v != index ||
	    jpath_str(r, "action", NULL) == NULL ||
	    strcmp(jpath_str(r, "action", NULL), action) != 0 ||
	    (names = jpath(r, "names")) == NULL ||
	    !json_object_is_type(names, json_type_array) ||
	    json_object_array_length(names) != 1 ||
	    strcmp(json_object_get_string(json_object_array_get_idx(names,
	    0)), name) != 0)
		fail_msg("syscallsRemoved[%zu] is not {%" PRId64 ", %s, [%s]}: "
		    "%s", i, index, action, name,
		    json_object_to_json_string(diff));
}

static void
profile__container_events_with_base__two_deny_names_removed(void **state)
{
	char diff[128], err[128];
	const char *dargs[] = { "profile", "--container", F->id1, "--format",
		"oci", "--base", F->base, "--diff", F->events, NULL };
	const char *margs[] = { "profile", "--container", F->id1, "--format",
		"oci", "--base", F->base, F->events, NULL };
	json_object *d, *base, *merged, *bs, *ms, *mv;
	size_t i;
	int rc;

	(void)state;
	snprintf(diff, sizeof(diff), "%s/diff.json", F->tmp);
	snprintf(err, sizeof(err), "%s/profile.err", F->tmp);
	if ((rc = cli(dargs, diff, err)) != 0)
		fail_msg("profile --diff: exit %d: %s", rc, text_of(err));
	/* The two deny rules lose their one name; nothing is added. */
	d = json_file(diff);
	if (json_object_object_length(d) != 1 ||
	    json_object_array_length(jarray(d, "syscallsRemoved")) != 2)
		fail_msg("the diff is not two removals alone: %s",
		    json_object_to_json_string(d));
	want_removed(d, 0, 0, "SCMP_ACT_ERRNO", MKDIR_CALL);
	want_removed(d, 1, 1, "SCMP_ACT_KILL_PROCESS", SYMLINK_CALL);
	json_object_put(d);
	if (strstr(text_of(err), "left out") != NULL)
		fail_msg("a call was left out: %s", text_of(err));

	if ((rc = cli(margs, F->merged, err)) != 0)
		fail_msg("profile --base: exit %d: %s", rc, text_of(err));
	/* The base's keys in its order, all but "syscalls" unchanged... */
	base = json_file(F->base);
	merged = json_file(F->merged);
	{
		struct json_object_iterator b = json_object_iter_begin(base),
		    be = json_object_iter_end(base),
		    m = json_object_iter_begin(merged),
		    me = json_object_iter_end(merged);

		for (; !json_object_iter_equal(&b, &be) &&
		    !json_object_iter_equal(&m, &me);
		    json_object_iter_next(&b), json_object_iter_next(&m)) {
			assert_string_equal(json_object_iter_peek_name(&b),
			    json_object_iter_peek_name(&m));
			if (strcmp(json_object_iter_peek_name(&b),
			    "syscalls") != 0 && !json_object_equal(
			    json_object_iter_peek_value(&b),
			    json_object_iter_peek_value(&m)))
				fail_msg("\"%s\" changed",
				    json_object_iter_peek_name(&b));
		}
		assert_true(json_object_iter_equal(&b, &be) &&
		    json_object_iter_equal(&m, &me));
	}
	mv = jarray(merged, "flags");
	assert_int_equal(json_object_array_length(mv), 1);
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(mv, 0)), "SECCOMP_FILTER_FLAG_LOG");
	/* ... and its rules are the base's without the first two. */
	bs = jarray(base, "syscalls");
	ms = jarray(merged, "syscalls");
	assert_int_equal(json_object_array_length(ms),
	    json_object_array_length(bs) - 2);
	for (i = 0; i < json_object_array_length(ms); i++)
		if (!json_object_equal(json_object_array_get_idx(ms, i),
		    json_object_array_get_idx(bs, i + 2)))
			fail_msg("rule %zu differs from the base's %zu: %s", i,
			    i + 2, json_object_to_json_string(
			    json_object_array_get_idx(ms, i)));
	json_object_put(base);
	json_object_put(merged);
}

static void
report__container_events__both_calls_with_actions(void **state)
{
	char out[128], err[128], *t;
	const char *jargs[] = { "report", "--container", F->id1, "--format",
		"json", F->events, NULL };
	const char *targs[] = { "report", "--container", F->id1, F->events,
		NULL };
	static const char *const want[2][2] = {
		{ MKDIR_CALL, "errno" }, { SYMLINK_CALL, "kill_process" },
	};
	json_object *r, *gs, *g;
	int64_t v;
	size_t i, j;
	int rc;

	(void)state;
	snprintf(out, sizeof(out), "%s/report.json", F->tmp);
	snprintf(err, sizeof(err), "%s/report.err", F->tmp);
	if ((rc = cli(jargs, out, err)) != 0)
		fail_msg("report --format json: exit %d: %s", rc,
		    text_of(err));
	r = json_file(out);
	gs = jarray(r, "groups");
	if (json_object_array_length(gs) != 2 ||
	    jpath_int(r, "total.count", &v) < 0 || v != 2 ||
	    jpath_int(r, "lost.count", &v) < 0 || v != 0)
		fail_msg("not two groups of one, nothing lost: %s",
		    json_object_to_json_string(r));
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			g = json_object_array_get_idx(gs, j);
			if (str_is(g, "container_id", F->id1) &&
			    str_is(g, "syscall.name", want[i][0]) &&
			    str_is(g, "action", want[i][1]) &&
			    jpath_int(g, "count", &v) == 0 && v == 1)
				break;
		}
		if (j == 2)
			fail_msg("no group of %s/%s once: %s", want[i][0],
			    want[i][1], json_object_to_json_string(r));
	}
	json_object_put(r);

	/* The terminal's table says the same. */
	if ((rc = cli(targs, out, err)) != 0)
		fail_msg("report: exit %d: %s", rc, text_of(err));
	assert_non_null(t = slurp(out));
	for (i = 0; i < 2; i++) {
		char line[64];

		snprintf(line, sizeof(line), "  %s  ", want[i][0]);
		if (strstr(t, line) == NULL || strstr(strstr(t, line),
		    want[i][1]) == NULL)
			fail_msg("no %s/%s line in:\n%s", want[i][0],
			    want[i][1], t);
	}
	free(t);
}

static void
roundtrip__merged_profile__container_succeeds_no_event(void **state)
{
	(void)state;
	if (access(F->merged, R_OK) < 0)
		fail_msg("no merged profile (%s): the profile case failed",
		    F->merged);
	round_trip(F->id2, F->merged, "", "mkdir=0 ln=0\n", 0, NULL);
}

/* ---- Fixture ---- */

/*
 * The profile of the first run: Docker's default with the log flag and
 * two rules put first (libseccomp keeps the first action added for a call,
 * so a deny after Docker's allow would do nothing): EACCES for mkdir, and
 * kill for symlink.  Written with tabs, as Docker's file is.
 */
static int
write_base(struct fix *f)
{
	json_object *p, *sc, *rules;
	size_t i;
	int rc;

	if ((p = json_object_from_file(MOBY)) == NULL ||
	    !json_object_object_get_ex(p, "syscalls", &sc) ||
	    (rules = json_object_new_array()) == NULL)
		return -1;
	json_object_array_add(rules, json_tokener_parse("{\"names\": [\""
	    MKDIR_CALL "\"], \"action\": \"SCMP_ACT_ERRNO\", "
	    "\"errnoRet\": 13}"));
	json_object_array_add(rules, json_tokener_parse("{\"names\": "
	    "[\"" SYMLINK_CALL "\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"}"));
	for (i = 0; i < json_object_array_length(sc); i++)
		json_object_array_add(rules,
		    json_object_get(json_object_array_get_idx(sc, i)));
	json_object_object_add(p, "syscalls", rules);
	json_object_object_add(p, "flags",
	    json_tokener_parse("[\"SECCOMP_FILTER_FLAG_LOG\"]"));
	rc = json_object_to_file_ext(f->base, p, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_PRETTY_TAB | JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(p);
	return rc;
}

static int
group_setup(void **state)
{
	char why[1024], cmd[3 * PATH_MAX], dir[PATH_MAX + 16], out[128];
	const char *args[] = { "--socket", "multicast", "--output", out,
		NULL };
	struct fix *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	F = f;
	*state = f;
	monitor_init(&f->m);
	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_roundtrip_crun.XXXXXX");
	if (mkdtemp(f->tmp) == NULL ||
	    observer_start(&f->obs, 64 << 20) < 0)
		return -1;
	snprintf(f->events, sizeof(f->events), "%s/events.json", f->tmp);
	snprintf(f->base, sizeof(f->base), "%s/base.json", f->tmp);
	snprintf(f->merged, sizeof(f->merged), "%s/merged.json", f->tmp);
	snprintf(out, sizeof(out), "file:%s", f->events);
	random_hex(f->id1, 32);
	random_hex(f->id2, 32);
	if (find_v2(f->v2, sizeof(f->v2)) < 0)
		return -1;
	f->hybrid = strcmp(f->v2, "/sys/fs/cgroup") != 0;
	snprintf(dir, sizeof(dir), "%s/docker", f->v2);
	if (mkdir(dir, 0755) == 0)
		f->made_docker = 1;
	else if (errno != EEXIST)
		return -1;
	snprintf(cmd, sizeof(cmd), "cd '%s' && mkdir -p root/bin root/proc "
	    "root/dev root/tmp bundle state && cp /bin/busybox root/bin/ && "
	    "ln -s busybox root/bin/sh", f->tmp);
	if (system(cmd) != 0 || write_base(f) < 0)
		return -1;
	if (monitor_start(&f->m, args) < 0 ||
	    monitor_wait_ready(&f->m, READY_MS) < 0) {
		fprintf(stderr, "test_roundtrip_crun: the daemon did not "
		    "start; stderr:\n%s", monitor_err(&f->m));
		return -1;
	}
	if (monitor_sandbox(&f->m, "test_roundtrip_crun", why,
	    sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	struct fix *f = *state;
	char why[4096], cmd[PATH_MAX + 16];
	int rc = 0;

	if (f == NULL)
		return -1;
	if (f->m.pid > 0 && monitor_stop(&f->m, SIGTERM, STOP_MS) == 0 &&
	    (!WIFEXITED(f->m.status) || WEXITSTATUS(f->m.status) != 0)) {
		fprintf(stderr, "daemon wait status 0x%x; stderr:\n%s",
		    (unsigned)f->m.status, monitor_err(&f->m));
		rc = -1;
	}
	monitor_destroy(&f->m);
	if (f->made_docker) {
		snprintf(cmd, sizeof(cmd), "%s/docker", f->v2);
		if (rmdir_retry(cmd) < 0)
			rc = -1;
	}
	if (f->tmp[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmp);
		if (system(cmd) != 0)
			rc = -1;
	}
	if (observer_check(&f->obs, EVENT_MS, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&f->obs);
	free(f);
	F = NULL;
	return rc;
}

/* No container outlives its case, whatever happened in it. */
static int
teardown(void **state)
{
	(void)state;
	return ctr_end(&F->c);
}

/* Why this machine cannot run the round trip, or NULL. */
static const char *
cannot(void)
{
	static char why[256];
	char v2[PATH_MAX], *t;

	if (access(CRUN, X_OK) < 0 || access("/bin/busybox", X_OK) < 0)
		return "needs crun and busybox-static (build.sh installs them)";
	if (find_v2(v2, sizeof(v2)) < 0)
		return "no cgroup2 mount: an exited process's v1 cgroups read "
		    "\"/\", so its container cannot be named";
	t = slurp("/proc/sys/kernel/seccomp/actions_logged");
	if (t == NULL || strstr(t, "errno") == NULL ||
	    strstr(t, "kill_process") == NULL) {
		snprintf(why, sizeof(why), "the kernel does not log errno and "
		    "kill_process actions (actions_logged: %s)",
		    t != NULL ? t : "unreadable");
		free(t);
		return why;
	}
	free(t);
	return NULL;
}

#define T(name) cmocka_unit_test_teardown(name, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(roundtrip__errno_and_kill_rules__container_fails_two_events),
		T(profile__container_events_with_base__two_deny_names_removed),
		T(report__container_events__both_calls_with_actions),
		T(roundtrip__merged_profile__container_succeeds_no_event),
	};
	const char *no;
	char why[512];
	int lock, rc;

	/* After the lock: test_gaps changes actions_logged while it holds it. */
	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_roundtrip_crun: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	if ((no = cannot()) != NULL) {
		fprintf(stderr, "test_roundtrip_crun: SKIP: %s\n", no);
		return 77;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_roundtrip_crun: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_roundtrip_crun: %s\n", why);
		return 99;
	}
	rc = cmocka_run_group_tests_name("roundtrip_crun", tests,
	    group_setup, group_teardown);
	close(lock);
	return rc == 0 ? 0 : 1;
}
