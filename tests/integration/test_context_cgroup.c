/*
 * Service, container and pod context from real cgroups.  First, cgroup
 * directories named as systemd, docker, containerd, CRI-O, podman and
 * kubelet lay them out, made in cgroup v2 and in the v1 name=systemd and
 * pids hierarchies (wherever /proc/self/mountinfo says they are), with a
 * forked child moved in before it violates; then a real container: crun
 * (or runc where crun refuses this host) runs busybox from a busybox-static
 * root in the cgroup docker's cgroupfs driver names, made by the runtime,
 * with an OCI seccomp profile that logs getppid.  Every cgroup made is
 * removed afterwards, its processes moved out first, even on failure.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>
#include <cmocka.h>

#include "tests/integration/harness.h"

#define READY_MS	5000
#define EVENT_MS	8000
#define STOP_MS		5000
#define CTR_MS		30000	/* the container's first event */

/* The hierarchies a case can use. */
enum hier {
	H_V2,		/* cgroup2 */
	H_SYSTEMD,	/* v1, name=systemd */
	H_PIDS,		/* v1, pids */
	H_COUNT,
};

static const char *const hier_name[H_COUNT] = {
	"cgroup v2", "cgroup v1 name=systemd", "cgroup v1 pids",
};

/* A cgroup directory this test made: removed in reverse order. */
#define MADE_MAX 64

struct fix {
	struct monitor	 m;
	struct observer	 obs;
	char		 tmp[64];	/* pod logs, bundle, state */
	char		 conf[96];
	char		*saved_conf;
	/* Where each hierarchy is mounted, "" when it is not. */
	char		 mnt[H_COUNT][PATH_MAX];
	/* Every cgroup mount (v1 and v2), for the runtime's directories. */
	char		 all[32][PATH_MAX];
	size_t		 nall;
	/* This process's own cgroup in each hierarchy, to move back into. */
	char		 home[H_COUNT][PATH_MAX];
	char		 made[MADE_MAX][PATH_MAX];
	enum hier	 made_h[MADE_MAX];
	size_t		 nmade;
	char		 id[65];	/* a container id of this run */
	char		 id2[65];
	char		 ctr_id[65];	/* the real container's */
	char		 uid[37];	/* a pod the log directory names */
	char		 uid_[37];	/* as a systemd slice has it */
	char		 uid2[37];	/* a pod UID it does not name */
	char		 uid2_[37];
	pid_t		 kid;
	int		 go;		/* write end: "violate now" */
};

static struct fix *F;		/* the group's fixture */

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

/* A random version 4 UUID, and the same with '_' for '-'. */
static void
random_uid(char *uid, char *uid_)
{
	char h[33];
	size_t i;

	random_hex(h, 16);
	snprintf(uid, 37, "%.8s-%.4s-4%.3s-8%.3s-%.12s", h, h + 8, h + 13,
	    h + 17, h + 20);
	for (i = 0; i < 37; i++)
		uid_[i] = uid[i] == '-' ? '_' : uid[i];
}

/* ---- Mounts and cgroup directories ---- */

/*
 * From /proc/self/mountinfo, the mount of each hierarchy whose root is the
 * hierarchy's own ("/" in field 4): not a subtree bound elsewhere.
 */
static void
find_mounts(struct fix *f)
{
	char line[4096], root[PATH_MAX], mp[PATH_MAX], type[64], opts[1024];
	const char *dash;
	FILE *fp;
	enum hier h;

	assert_non_null(fp = fopen("/proc/self/mountinfo", "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((dash = strstr(line, " - ")) == NULL ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, mp) != 2 ||
		    sscanf(dash + 3, "%63s %*s %1023s", type, opts) != 2 ||
		    strcmp(root, "/") != 0)
			continue;
		if (strcmp(type, "cgroup2") == 0)
			h = H_V2;
		else if (strcmp(type, "cgroup") != 0)
			continue;
		else if (strstr(opts, "name=systemd") != NULL)
			h = H_SYSTEMD;
		else if (strstr(opts, "pids") != NULL)
			h = H_PIDS;
		else
			h = H_COUNT;
		if (f->nall < sizeof(f->all) / sizeof(f->all[0]))
			snprintf(f->all[f->nall++], PATH_MAX, "%s", mp);
		if (h != H_COUNT && f->mnt[h][0] == '\0')
			snprintf(f->mnt[h], PATH_MAX, "%s", mp);
	}
	fclose(fp);
}

/* This process's cgroup in each hierarchy, from /proc/self/cgroup. */
static void
find_home(struct fix *f)
{
	char line[4096], *c1, *c2, *nl;
	FILE *fp;

	assert_non_null(fp = fopen("/proc/self/cgroup", "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if ((c1 = strchr(line, ':')) == NULL ||
		    (c2 = strchr(c1 + 1, ':')) == NULL)
			continue;
		*c2 = '\0';
		if (strcmp(line, "0") == 0 && c1[1] == '\0')
			snprintf(f->home[H_V2], PATH_MAX, "%s", c2 + 1);
		else if (strcmp(c1 + 1, "name=systemd") == 0)
			snprintf(f->home[H_SYSTEMD], PATH_MAX, "%s", c2 + 1);
		else if (strcmp(c1 + 1, "pids") == 0)
			snprintf(f->home[H_PIDS], PATH_MAX, "%s", c2 + 1);
	}
	fclose(fp);
}

/* Write pid to DIR/cgroup.procs.  0, or -1 with errno. */
static int
cg_move(const char *dir, pid_t pid)
{
	char path[PATH_MAX], num[16];
	int fd, n, rc = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	n = snprintf(num, sizeof(num), "%d", (int)pid);
	if (write(fd, num, (size_t)n) != n)
		rc = -1;
	close(fd);
	return rc;
}

/* Move every process of dir to this process's own cgroup in h. */
static void
cg_evacuate(struct fix *f, enum hier h, const char *dir)
{
	char path[PATH_MAX], home[PATH_MAX];
	FILE *fp;
	int pid;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(home, sizeof(home), "%s%s", f->mnt[h], f->home[h]);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fscanf(fp, "%d", &pid) == 1)
		if (cg_move(home, pid) < 0)
			fprintf(stderr, "test_context_cgroup: moving %d out of "
			    "%s: %s\n", pid, dir, strerror(errno));
	fclose(fp);
}

/* rmdir, again for a while: a cgroup is busy until its last exit is done. */
static int
rmdir_retry(const char *dir)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		usleep(10 * 1000);
	}
	return -1;
}

/* Remove every cgroup made, deepest first, its processes moved out. */
static int
cg_cleanup(struct fix *f)
{
	int rc = 0;

	while (f->nmade > 0) {
		f->nmade--;
		cg_evacuate(f, f->made_h[f->nmade], f->made[f->nmade]);
		if (rmdir_retry(f->made[f->nmade]) < 0) {
			fprintf(stderr, "test_context_cgroup: rmdir %s: %s\n",
			    f->made[f->nmade], strerror(errno));
			rc = -1;
		}
	}
	return rc;
}

/*
 * mkdir -p rel under h's mount, noting each directory this call made.
 * The full path of the leaf into out.
 */
static void
cg_make(struct fix *f, enum hier h, const char *rel, char *out, size_t len)
{
	char path[PATH_MAX];
	const char *p = rel, *q;
	size_t n, k;

	n = (size_t)snprintf(path, sizeof(path), "%s", f->mnt[h]);
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		k = (q = strchr(p, '/')) != NULL ? (size_t)(q - p) : strlen(p);
		if (n + 1 + k >= sizeof(path))
			fail_msg("cgroup path too long: %s", rel);
		path[n++] = '/';
		memcpy(path + n, p, k);
		path[n += k] = '\0';
		p += k;
		if (mkdir(path, 0755) == 0) {
			assert_true(f->nmade < MADE_MAX);
			snprintf(f->made[f->nmade], PATH_MAX, "%s", path);
			f->made_h[f->nmade++] = h;
		} else if (errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
	}
	snprintf(out, len, "%s", path);
}

/* ---- The child that violates ---- */

/* A filter that logs getppid (SCMP_ACT_LOG: always recorded). */
static int
log_getppid(void)
{
	scmp_filter_ctx ctx;
	int rc = -1;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return -1;
	if (seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) == 0 &&
	    seccomp_load(ctx) == 0)
		rc = 0;
	seccomp_release(ctx);
	return rc;
}

/*
 * Fork a child that waits for a byte on a pipe (sent once it has been
 * moved), then violates and waits to be killed, alive when its record is
 * read.
 */
static pid_t
child_start(struct fix *f)
{
	int p[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1 || log_getppid() < 0)
			_exit(3);
		(void)syscall(SYS_getppid);
		for (;;)
			pause();
	}
	assert_true(pid > 0);
	close(p[0]);
	f->kid = pid;
	f->go = p[1];
	return pid;
}

static void
child_go(struct fix *f)
{
	assert_int_equal(write(f->go, "g", 1), 1);
	close(f->go);
	f->go = -1;
}

static void
child_stop(struct fix *f)
{
	int status;

	if (f->go >= 0) {
		close(f->go);
		f->go = -1;
	}
	if (f->kid > 0) {
		kill(f->kid, SIGKILL);
		(void)child_reap(f->kid, STOP_MS, &status);
		f->kid = 0;
	}
}

/* ---- Expectations ---- */

static void
want_str(json_object *o, const char *path, const char *want)
{
	const char *got = jpath_str(o, path, NULL);

	if (want == NULL) {
		if (jpath(o, path) != NULL)
			fail_msg("%s present in %s", path,
			    json_object_to_json_string(o));
		return;
	}
	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: \"%s\", expected \"%s\" in %s", path,
		    got ? got : "(absent)", want,
		    json_object_to_json_string(o));
}

/* One layout: where, and what the event must say (NULL: absent). */
struct layout {
	enum hier	 h;
	const char	*path;	/* with expand()'s {id}, {uid}... */
	const char	*service;
	const char	*id;	/* "{id}" or NULL */
	const char	*runtime;
	const char	*pod;	/* "{uid}", "{uid2}" or NULL */
	/* A second hierarchy and path for the same child, or H_COUNT. */
	enum hier	 h2;
	const char	*path2;
};

/* Replace the placeholders of in with this run's ids, into out. */
static void
expand(const struct fix *f, const char *in, char *out, size_t len)
{
	static const char *const keys[] = {
		"{id2}", "{id}", "{uid2_}", "{uid2}", "{uid_}", "{uid}",
	};
	const char *vals[] = { f->id2, f->id, f->uid2_, f->uid2, f->uid_,
		f->uid };
	size_t n = 0, i, k;

	while (*in != '\0' && n + 1 < len) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			k = strlen(keys[i]);
			if (strncmp(in, keys[i], k) == 0)
				break;
		}
		if (i < sizeof(keys) / sizeof(keys[0])) {
			n += (size_t)snprintf(out + n, len - n, "%s", vals[i]);
			in += strlen(keys[i]);
		} else
			out[n++] = *in++;
	}
	out[n < len ? n : len - 1] = '\0';
}

static void
run_layout(const struct layout *l)
{
	struct fix *f = F;
	char rel[PATH_MAX], dir[PATH_MAX], dir2[PATH_MAX], want[256];
	char pod[64];
	json_object *o;
	pid_t pid;

	if (f->mnt[l->h][0] == '\0' ||
	    (l->h2 != H_COUNT && f->mnt[l->h2][0] == '\0')) {
		/* The v2 and name=systemd cases run here; say what did not. */
		fprintf(stderr, "test_context_cgroup: no %s mounted: case "
		    "not run\n", hier_name[f->mnt[l->h][0] == '\0' ? l->h :
		    l->h2]);
		if (l->h == H_V2 || l->h2 == H_V2)
			fail_msg("no cgroup v2 mount");
		return;
	}
	expand(f, l->path, rel, sizeof(rel));
	cg_make(f, l->h, rel, dir, sizeof(dir));
	if (l->h2 != H_COUNT) {
		expand(f, l->path2, rel, sizeof(rel));
		cg_make(f, l->h2, rel, dir2, sizeof(dir2));
	}
	pid = child_start(f);
	if (cg_move(dir, pid) < 0)
		fail_msg("moving %d into %s: %s", (int)pid, dir,
		    strerror(errno));
	if (l->h2 != H_COUNT && cg_move(dir2, pid) < 0)
		fail_msg("moving %d into %s: %s", (int)pid, dir2,
		    strerror(errno));
	child_go(f);
	if (monitor_wait_events(&f->m, pid, 1, EVENT_MS) < 1)
		fail_msg("no event for pid %d in %s; stderr:\n%s", (int)pid,
		    dir, monitor_err(&f->m));
	o = monitor_event(&f->m, pid, 0);
	want_str(o, "seccompmon.context", "live");
	/* The path the names came from, as the process's cgroup file has it. */
	if (l->h2 == H_COUNT) {
		expand(f, l->path, want, sizeof(want));
		want_str(o, "seccompmon.cgroup", want);
	}
	if (l->service != NULL)
		expand(f, l->service, want, sizeof(want));
	want_str(o, "service.name", l->service != NULL ? want : NULL);
	if (l->id != NULL)
		expand(f, l->id, want, sizeof(want));
	want_str(o, "container.id", l->id != NULL ? want : NULL);
	want_str(o, "container.runtime", l->runtime);
	if (l->pod == NULL) {
		want_str(o, "orchestrator", NULL);
	} else {
		expand(f, l->pod, pod, sizeof(pod));
		want_str(o, "orchestrator.type", "kubernetes");
		want_str(o, "orchestrator.resource.type", "pod");
		want_str(o, "orchestrator.resource.id", pod);
		/* The log directory names {uid} only. */
		want_str(o, "orchestrator.namespace",
		    strcmp(pod, f->uid) == 0 ? "shop" : NULL);
		want_str(o, "orchestrator.resource.name",
		    strcmp(pod, f->uid) == 0 ? "web-7d9f8b6c5-x2kq9" : NULL);
	}
	child_stop(f);
	assert_int_equal(cg_cleanup(f), 0);
}

#define NONE H_COUNT, NULL

static const struct layout layouts[] = {
	/* 0: a systemd service */
	{ H_V2, "/system.slice/sm-test-{id2}.service",
	    "sm-test-{id2}.service", NULL, NULL, NULL, NONE },
	/* 1: a user's unit below the user's service manager */
	{ H_V2, "/user.slice/user-4242.slice/user@4242.service/app.slice/"
	    "sm-test-{id2}.service",
	    "sm-test-{id2}.service", NULL, NULL, NULL, NONE },
	/* 2: docker, systemd driver */
	{ H_V2, "/system.slice/docker-{id}.scope",
	    "docker-{id}.scope", "{id}", "docker", NULL, NONE },
	/* 3: docker, cgroupfs driver */
	{ H_V2, "/docker/{id}", NULL, "{id}", "docker", NULL, NONE },
	/* 4: containerd's CRI, systemd driver, burstable, named pod */
	{ H_V2, "/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod{uid_}.slice/cri-containerd-{id}.scope",
	    "cri-containerd-{id}.scope", "{id}", "containerd", "{uid}", NONE },
	/* 5: the CRI, cgroupfs driver, besteffort: no runtime in the name */
	{ H_V2, "/kubepods/besteffort/pod{uid}/{id}",
	    NULL, "{id}", NULL, "{uid}", NONE },
	/* 6: CRI-O, systemd driver, guaranteed, a pod with no log dir */
	{ H_V2, "/kubepods.slice/kubepods-pod{uid2_}.slice/crio-{id}.scope",
	    "crio-{id}.scope", "{id}", "cri-o", "{uid2}", NONE },
	/* 7: CRI-O's conmon: in the pod, not in the container */
	{ H_V2, "/kubepods.slice/kubepods-pod{uid_}.slice/"
	    "crio-conmon-{id}.scope",
	    "crio-conmon-{id}.scope", NULL, NULL, "{uid}", NONE },
	/* 8: podman, rootful, the container's own sub-cgroup */
	{ H_V2, "/machine.slice/libpod-{id}.scope/container",
	    "libpod-{id}.scope", "{id}", "podman", NULL, NONE },
	/* 9: podman, rootless */
	{ H_V2, "/user.slice/user-4242.slice/user@4242.service/user.slice/"
	    "libpod-{id}.scope", "libpod-{id}.scope", "{id}", "podman", NULL,
	    NONE },
	/* 10: nerdctl (containerd), systemd driver */
	{ H_V2, "/system.slice/nerdctl-{id}.scope",
	    "nerdctl-{id}.scope", "{id}", "containerd", NULL, NONE },
	/* 11: v1 only (v2 "/"): docker, systemd driver, name=systemd */
	{ H_SYSTEMD, "/system.slice/docker-{id}.scope",
	    "docker-{id}.scope", "{id}", "docker", NULL, NONE },
	/* 12: v1 only: CRI-O, cgroupfs driver, in the pids hierarchy */
	{ H_PIDS, "/kubepods/burstable/pod{uid}/crio-{id}",
	    NULL, "{id}", "cri-o", "{uid}", NONE },
	/*
	 * 13: hybrid, docker's cgroupfs driver: v1 names the container, v2
	 * the shim's unit; the container wins.
	 */
	{ H_V2, "/system.slice/containerd.service", NULL, "{id}", "docker",
	    NULL, H_SYSTEMD, "/docker/{id}" },
};

#define LAYOUT(fn, i)							\
	static void							\
	fn(void **state)						\
	{								\
		(void)state;						\
		run_layout(&layouts[i]);				\
	}

LAYOUT(context_cgroup__systemd_service__service_name, 0)
LAYOUT(context_cgroup__user_unit__innermost_unit, 1)
LAYOUT(context_cgroup__docker_systemd__container_docker, 2)
LAYOUT(context_cgroup__docker_cgroupfs__container_docker, 3)
LAYOUT(context_cgroup__cri_containerd_systemd__container_named_pod, 4)
LAYOUT(context_cgroup__cri_cgroupfs__container_and_named_pod, 5)
LAYOUT(context_cgroup__crio_systemd_pod_without_logs__pod_uid_only, 6)
LAYOUT(context_cgroup__crio_conmon__pod_without_container, 7)
LAYOUT(context_cgroup__podman_rootful__container_podman, 8)
LAYOUT(context_cgroup__podman_rootless__user_scope_container, 9)
LAYOUT(context_cgroup__nerdctl_systemd__container_containerd, 10)
LAYOUT(context_cgroup__v1_name_systemd__container_docker, 11)
LAYOUT(context_cgroup__v1_pids_crio_cgroupfs__container_and_pod, 12)
LAYOUT(context_cgroup__hybrid_v1_names_container__container_wins, 13)

/* ---- A real container ---- */

/*
 * The container's root: busybox-static and the two names it runs as,
 * made once under the build directory and kept.  0, or -1 (no busybox).
 */
static int
busybox_root(char *root, size_t len)
{
	static const char *const dirs[] = { "bin", "proc", "dev", "tmp" };
	char path[PATH_MAX + 64], cmd[3 * PATH_MAX + 128];
	size_t i;

	snprintf(root, len, "%s/tests/integration/busybox-root",
	    TOP_BUILDDIR);
	snprintf(path, sizeof(path), "%s/bin/sleep", root);
	if (access(path, X_OK) == 0)
		return 0;
	if (access("/bin/busybox", X_OK) < 0)
		return -1;
	for (i = 0; i <= sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s", root, i > 0 ? "/" : "",
		    i > 0 ? dirs[i - 1] : "");
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	snprintf(cmd, sizeof(cmd), "cp /bin/busybox '%s/bin/busybox' && "
	    "ln -sf busybox '%s/bin/sh' && ln -sf busybox '%s/bin/sleep'",
	    root, root, root);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * The OCI bundle: docker's cgroupfs driver's cgroupsPath, a seccomp
 * profile that logs getppid (busybox sh calls it to set $PPID).
 */
static void
write_bundle(const char *bundle, const char *root, const char *id)
{
	char path[PATH_MAX + 64];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp,
	    "{\"ociVersion\":\"1.0.2\",\n"
	    "\"process\":{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},\n"
	    " \"args\":[\"sh\",\"-c\",\"echo $PPID; exec sleep 60\"],\n"
	    " \"env\":[\"PATH=/bin\"],\"cwd\":\"/\",\n"
	    " \"noNewPrivileges\":true},\n"
	    "\"root\":{\"path\":\"%s\",\"readonly\":true},\n"
	    "\"hostname\":\"sm-test\",\n"
	    "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\","
	    "\"source\":\"proc\"},\n"
	    " {\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":"
	    "\"tmpfs\",\"options\":[\"nosuid\",\"mode=755\"]}],\n"
	    "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":"
	    "\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":"
	    "\"network\"}],\n"
	    " \"cgroupsPath\":\"/docker/%s\",\n"
	    " \"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
	    "\"syscalls\":[{\"names\":[\"getppid\"],\"action\":"
	    "\"SCMP_ACT_LOG\"}]}}}\n", root, id);
	assert_int_equal(fclose(fp), 0);
}

/*
 * Run "RUNTIME --root STATE ARGS..." with output to log, without waiting.
 * The pid.
 */
static pid_t
runtime_spawn(const char *runtime, const char *state, const char *log,
    const char *const *args)
{
	char *argv[16];
	size_t n = 0;
	pid_t pid;
	int fd;

	argv[n++] = (char *)(uintptr_t)runtime;
	argv[n++] = (char *)(uintptr_t)"--root";
	argv[n++] = (char *)(uintptr_t)state;
	while (*args != NULL && n + 1 < sizeof(argv) / sizeof(argv[0]))
		argv[n++] = (char *)(uintptr_t)*args++;
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0600)) < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
		    dup2(fd, STDERR_FILENO) < 0)
			_exit(127);
		execv(runtime, argv);
		_exit(127);
	}
	assert_true(pid > 0);
	return pid;
}

static int
runtime_do(const char *runtime, const char *state, const char *log,
    const char *const *args)
{
	int status;

	if (child_reap(runtime_spawn(runtime, state, log, args), 20000,
	    &status) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The file's text, cut, for messages. */
static const char *
file_text(const char *path, char *buf, size_t len)
{
	ssize_t n = -1;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* An event of container id, waiting up to ms for it; NULL if none came. */
static json_object *
event_of_container(struct monitor *m, const char *id, pid_t run, int ms)
{
	int64_t deadline = mono_ms() + ms;
	const char *got;
	size_t i;
	int status;

	for (;;) {
		for (i = 0; i < m->nevents; i++) {
			got = jpath_str(m->events[i], "container.id", NULL);
			if (got != NULL && strcmp(got, id) == 0)
				return m->events[i];
		}
		/* The runtime gave up: no event will come. */
		if (waitpid(run, &status, WNOHANG) == run ||
		    mono_ms() >= deadline)
			return NULL;
		(void)monitor_pump(m, 100);
	}
}

/*
 * Run the container with runtime; the event of its shell, or NULL (why
 * says what the runtime said).  The runtime's cgroups are gone after.
 */
static json_object *
container_try(struct fix *f, const char *runtime, const char *bundle,
    char *why, size_t len)
{
	char state[PATH_MAX], log[PATH_MAX], name[64], text[2048];
	const char *run[] = { "run", "--bundle", bundle, name, NULL };
	const char *kill_args[] = { "kill", name, "KILL", NULL };
	const char *del[] = { "delete", "--force", name, NULL };
	json_object *o, *copy = NULL;
	pid_t pid;
	int status;

	snprintf(state, sizeof(state), "%s/state", f->tmp);
	snprintf(log, sizeof(log), "%s/%s.log", f->tmp,
	    strrchr(runtime, '/') + 1);
	snprintf(name, sizeof(name), "sm-test-%.12s", f->ctr_id);
	if (mkdir(state, 0700) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", state, strerror(errno));
	pid = runtime_spawn(runtime, state, log, run);
	if ((o = event_of_container(&f->m, f->ctr_id, pid, CTR_MS)) != NULL)
		copy = json_tokener_parse(json_object_to_json_string(o));
	else
		snprintf(why, len, "%s: no event of container %s; it said: %s",
		    runtime, f->ctr_id, file_text(log, text, sizeof(text)));
	(void)runtime_do(runtime, state, log, kill_args);
	(void)child_reap(pid, STOP_MS, &status);
	(void)runtime_do(runtime, state, log, del);
	return copy;
}

static void
context_cgroup__real_container_docker_layout__docker(
    void **state)
{
	static const char *const runtimes[] = { "/usr/bin/crun",
		"/usr/bin/runc" };
	struct fix *f = F;
	char root[PATH_MAX], bundle[PATH_MAX], why[4096] = "", dir[PATH_MAX];
	int existed[32];
	json_object *o = NULL;
	size_t i;

	(void)state;
	if (busybox_root(root, sizeof(root)) < 0)
		fail_msg("no busybox root at %s (busybox-static installed?)",
		    root);
	snprintf(bundle, sizeof(bundle), "%s/bundle", f->tmp);
	if (mkdir(bundle, 0700) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", bundle, strerror(errno));
	/* An id of its own: no earlier case's event can answer for it. */
	random_hex(f->ctr_id, 32);
	write_bundle(bundle, root, f->ctr_id);
	/* The runtime makes /docker in each hierarchy: remove what it made. */
	for (i = 0; i < f->nall; i++) {
		snprintf(dir, sizeof(dir), "%s/docker", f->all[i]);
		existed[i] = access(dir, F_OK) == 0;
	}
	for (i = 0; i < 2 && o == NULL; i++) {
		if (access(runtimes[i], X_OK) < 0) {
			fprintf(stderr, "test_context_cgroup: no %s\n",
			    runtimes[i]);
			continue;
		}
		if ((o = container_try(f, runtimes[i], bundle, why,
		    sizeof(why))) == NULL)
			fprintf(stderr, "test_context_cgroup: %s\n", why);
		else
			fprintf(stderr, "test_context_cgroup: the container "
			    "ran with %s\n", runtimes[i]);
	}
	for (i = 0; i < f->nall; i++) {
		snprintf(dir, sizeof(dir), "%s/docker/%s", f->all[i],
		    f->ctr_id);
		if (access(dir, F_OK) == 0) {
			fprintf(stderr, "test_context_cgroup: %s left behind\n",
			    dir);
			(void)rmdir_retry(dir);
		}
		snprintf(dir, sizeof(dir), "%s/docker", f->all[i]);
		if (!existed[i])
			(void)rmdir_retry(dir);
	}
	if (o == NULL)
		fail_msg("no runtime ran the container: %s", why);
	want_str(o, "container.id", f->ctr_id);
	want_str(o, "container.runtime", "docker");
	want_str(o, "process.name", "sh");
	want_str(o, "seccomp.syscall.name", "getppid");
	want_str(o, "seccomp.action", "log");
	want_str(o, "seccompmon.context", "live");
	json_object_put(o);
}

/* ---- The daemon ---- */

static void
write_conf(struct fix *f)
{
	char overlay[PATH_MAX + 128];

	snprintf(overlay, sizeof(overlay), "{\"storm\":{\"enabled\":false},"
	    "\"context\":{\"pod_log_dir\":\"%s/pods\"}}", f->tmp);
	assert_int_equal(harness_conf_write(f->conf, overlay,
	    &f->saved_conf), 0);
}

/* kubelet's layout: <namespace>_<pod name>_<uid>, for {uid} only. */
static int
make_pod_logs(struct fix *f)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/pods", f->tmp);
	if (mkdir(path, 0755) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/pods/shop_web-7d9f8b6c5-x2kq9_%s",
	    f->tmp, f->uid);
	return mkdir(path, 0755);
}

static int
group_setup(void **state)
{
	static const char *const args[] = { "--socket", "multicast", NULL };
	struct fix *f;
	char why[1024];

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	F = f;
	*state = f;
	f->go = -1;
	monitor_init(&f->m);
	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_context_cgroup.XXXXXX");
	if (mkdtemp(f->tmp) == NULL ||
	    observer_start(&f->obs, 64 << 20) < 0)
		return -1;
	snprintf(f->conf, sizeof(f->conf), "%s.json", f->tmp);
	random_hex(f->id, 32);
	random_hex(f->id2, 32);
	random_uid(f->uid, f->uid_);
	random_uid(f->uid2, f->uid2_);
	find_mounts(f);
	find_home(f);
	if (make_pod_logs(f) < 0)
		return -1;
	write_conf(f);
	if (monitor_start(&f->m, args) < 0 ||
	    monitor_wait_ready(&f->m, READY_MS) < 0) {
		fprintf(stderr, "test_context_cgroup: the daemon did not "
		    "start; stderr:\n%s", monitor_err(&f->m));
		return -1;
	}
	if (monitor_sandbox(&f->m, "test_context_cgroup", why,
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
	child_stop(f);
	if (cg_cleanup(f) < 0)
		rc = -1;
	if (f->m.pid > 0 && monitor_stop(&f->m, SIGTERM, STOP_MS) == 0 &&
	    (!WIFEXITED(f->m.status) || WEXITSTATUS(f->m.status) != 0)) {
		fprintf(stderr, "daemon wait status 0x%x; stderr:\n%s",
		    (unsigned)f->m.status, monitor_err(&f->m));
		rc = -1;
	}
	monitor_destroy(&f->m);
	harness_conf_restore(f->saved_conf);
	(void)unlink(f->conf);
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

/* Each test leaves no child and no cgroup behind, whatever happened. */
static int
teardown(void **state)
{
	struct fix *f = F;

	(void)state;
	child_stop(f);
	return cg_cleanup(f);
}

#define T(name) cmocka_unit_test_teardown(name, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(context_cgroup__systemd_service__service_name),
		T(context_cgroup__user_unit__innermost_unit),
		T(context_cgroup__docker_systemd__container_docker),
		T(context_cgroup__docker_cgroupfs__container_docker),
		T(context_cgroup__cri_containerd_systemd__container_named_pod),
		T(context_cgroup__cri_cgroupfs__container_and_named_pod),
		T(context_cgroup__crio_systemd_pod_without_logs__pod_uid_only),
		T(context_cgroup__crio_conmon__pod_without_container),
		T(context_cgroup__podman_rootful__container_podman),
		T(context_cgroup__podman_rootless__user_scope_container),
		T(context_cgroup__nerdctl_systemd__container_containerd),
		T(context_cgroup__v1_name_systemd__container_docker),
		T(context_cgroup__v1_pids_crio_cgroupfs__container_and_pod),
		T(context_cgroup__hybrid_v1_names_container__container_wins),
		T(context_cgroup__real_container_docker_layout__docker),
	};
	char why[512];
	int lock, rc;

	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_context_cgroup: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_context_cgroup: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_context_cgroup: %s\n", why);
		return 99;
	}
	rc = cmocka_run_group_tests_name("context_cgroup", tests,
	    group_setup, group_teardown);
	close(lock);
	return rc == 0 ? 0 : 1;
}
