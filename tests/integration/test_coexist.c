/*
 * Coexistence and faults, live: seccompmon beside the real auditd (Debian's,
 * started in the foreground with a configuration in a temporary directory),
 * a unicast registration the kernel drops or another daemon asks for, kill
 * -9 and restart, SIGTERM in a flood, and a flood from many processes into
 * slow outputs.  Every case counts what was made against what was delivered
 * or reported lost.  The host's audit settings are put back after each.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <cmocka.h>
#include <libaudit.h>

#include "daemon/auditdhost.h"
#include "netlink/auditnl.h"
#include "tests/integration/harness.h"

#define READY_MS	5000
#define EVENT_MS	5000
#define STOP_MS		10000
#define NOTICE_MS	5000	/* a lost registration is noticed within */
#define RESTART_MS	3000	/* kill -9 to READY=1 of the next daemon */
#define AUDITD		"/sbin/auditd"
#define FLOOD_RECORDS	5000	/* per "violator flood" (violator.c) */
#define NFLOOD		16

struct coexist {
	struct monitor		m;
	struct observer		obs;
	struct registration	reg;
	struct auditmsg_status	saved;		/* the host's settings */
	char			dir[64];	/* temporary files */
	pid_t			auditd;
	int			sock;		/* a syslog nobody reads */
};

/* The host's audit settings (auditd enables audit), and putting them back. */
static int
settings_read(struct auditmsg_status *st)
{
	struct auditnl *nl;
	int rc;

	if ((nl = auditnl_open(0, NULL, NULL)) == NULL)
		return -1;
	rc = auditnl_status(nl, st);
	auditnl_close(nl);
	return rc;
}

static void
settings_restore(const struct auditmsg_status *st)
{
	struct auditmsg_status now;
	int fd;

	if (settings_read(&now) < 0 || (fd = audit_open()) < 0)
		return;
	if (now.enabled != st->enabled && now.enabled != 2)
		(void)audit_set_enabled(fd, st->enabled);
	if (now.failure != st->failure)
		(void)audit_set_failure(fd, st->failure);
	if (now.rate_limit != st->rate_limit)
		(void)audit_set_rate_limit(fd, st->rate_limit);
	if (now.backlog_limit != st->backlog_limit)
		(void)audit_set_backlog_limit(fd, st->backlog_limit);
	if (now.backlog_wait_time != st->backlog_wait_time)
		(void)audit_set_backlog_wait_time(fd,
		    st->backlog_wait_time);
	audit_close(fd);
}

static int
setup(void **state)
{
	struct coexist *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	monitor_init(&c->m);
	c->sock = -1;
	snprintf(c->dir, sizeof(c->dir), "/tmp/test_coexist.XXXXXX");
	if (mkdtemp(c->dir) == NULL || settings_read(&c->saved) < 0 ||
	    observer_start(&c->obs, 64 << 20) < 0) {
		fprintf(stderr, "setup: %s\n", strerror(errno));
		free(c);
		return -1;
	}
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct coexist *c = *state;
	struct auditmsg_status now;
	char why[4096], cmd[128];
	int status, rc = 0;

	if (c->auditd > 0) {
		kill(c->auditd, SIGKILL);
		(void)child_reap(c->auditd, STOP_MS, &status);
		kaudit_forget((uint32_t)c->auditd);
	}
	monitor_destroy(&c->m);
	(void)registration_release(&c->reg);
	if (c->sock >= 0)
		close(c->sock);
	settings_restore(&c->saved);
	if (settings_read(&now) < 0 || now.enabled != c->saved.enabled ||
	    now.backlog_limit != c->saved.backlog_limit) {
		fprintf(stderr, "teardown: the host's audit settings were not "
		    "put back (enabled %u, backlog_limit %u)\n", now.enabled,
		    now.backlog_limit);
		rc = -1;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->dir);
	if (system(cmd) != 0)
		rc = -1;
	if (observer_check(&c->obs, EVENT_MS, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s", why);
		rc = -1;
	}
	observer_stop(&c->obs);
	free(c);
	return rc;
}

static const char *
notes_text(const struct monitor *m)
{
	return m->notes.data != NULL ? m->notes.data : "";
}

static uint32_t
registered(void)
{
	uint32_t pid;

	if (kaudit_pid(&pid) < 0)
		fail_msg("AUDIT_GET: %s", strerror(errno));
	return pid;
}

/* Wait until the kernel names want as audit daemon; 0, or -1. */
static int
wait_registered(struct monitor *m, uint32_t want, int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;

	for (;;) {
		if (registered() == want)
			return 0;
		if (mono_ms() >= end)
			return -1;
		if (m != NULL && m->pid > 0)
			(void)monitor_pump(m, 50);
		else
			(void)poll(NULL, 0, 50);
	}
}

/* Read until stderr holds text; 0, or -1 on timeout. */
static int
wait_said(struct monitor *m, const char *text, int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;

	while (strstr(monitor_err(m), text) == NULL) {
		if (mono_ms() >= end)
			return -1;
		(void)monitor_pump(m, 50);
	}
	return 0;
}

static void
start(struct monitor *m, const char *const *args)
{
	char why[1024];

	if (monitor_start(m, args) < 0)
		fail_msg("starting %s: %s", HARNESS_DAEMON, strerror(errno));
	if (monitor_wait_ready(m, READY_MS) < 0)
		fail_msg("no READY=1 within %d ms; stderr:\n%s", READY_MS,
		    monitor_err(m));
	if (monitor_sandbox(m, "test_coexist", why, sizeof(why)) < 0)
		fail_msg("%s", why);
}

static void
stop(struct monitor *m, int sig)
{
	if (monitor_stop(m, sig, STOP_MS) < 0)
		fail_msg("daemon did not exit within %d ms; stderr:\n%s",
		    STOP_MS, monitor_err(m));
	if (!WIFEXITED(m->status) || WEXITSTATUS(m->status) != 0)
		fail_msg("daemon wait status 0x%x, expected exit 0; "
		    "stderr:\n%s", (unsigned)m->status, monitor_err(m));
	if (m->bad_lines != 0)
		fail_msg("%zu of %zu stdout lines are not one JSON object; "
		    "first: %s", m->bad_lines, m->lines, m->first_bad);
}

/*
 * One "errno" violation; the daemon must deliver its event.  Not "log":
 * that is what the floods make, whose storm summaries would fold it.
 */
static void
delivers(struct monitor *m, const char *when)
{
	pid_t pid;
	int status;

	if ((pid = violator_spawn(HARNESS_VIOLATOR, "errno", NULL, 0)) < 0 ||
	    child_reap(pid, EVENT_MS, &status) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != VIOLATOR_SEEN)
		fail_msg("the violator did not run");
	if (monitor_wait_events(m, pid, 1, EVENT_MS) != 1)
		fail_msg("%s: no event for violator pid %d within %d ms; "
		    "stderr:\n%s", when, (int)pid, EVENT_MS, monitor_err(m));
}

/*
 * auditd in the foreground (-f), its configuration and output in c->dir,
 * as its unit would start it.  Its pid.
 */
static pid_t
auditd_start(struct coexist *c, const char *out)
{
	static const char conf[] =
	    "local_events = yes\nwrite_logs = yes\n"
	    "log_file = %s/audit.log\nlog_format = RAW\nflush = NONE\n"
	    "freq = 50\nmax_log_file = 8\nnum_logs = 2\n"
	    "max_log_file_action = ROTATE\nspace_left = 2\n"
	    "space_left_action = IGNORE\nadmin_space_left = 1\n"
	    "admin_space_left_action = IGNORE\ndisk_full_action = IGNORE\n"
	    "disk_error_action = IGNORE\ntcp_listen_queue = 5\n"
	    "tcp_max_per_addr = 1\ntcp_client_max_idle = 0\n"
	    "transport = TCP\nq_depth = 2000\noverflow_action = IGNORE\n"
	    "max_restarts = 10\nplugin_dir = %s/plugins.d\n"
	    "end_of_event_timeout = 2\n";
	char path[PATH_MAX];
	pid_t pid, parent = getpid();
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/plugins.d", c->dir);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/auditd.conf", c->dir);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fprintf(f, conf, c->dir, c->dir);
	if (fclose(f) != 0 || chmod(path, 0600) < 0)
		fail_msg("%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", c->dir, out);
	if ((pid = fork()) < 0)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent ||
		    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(127);
		execl(AUDITD, AUDITD, "-f", "-c", c->dir, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static const char *
file_text(const struct coexist *c, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	if ((fd = open(path, O_RDONLY)) < 0)
		return buf;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/*
 * 1. auditd installed and enabled here (apt-get install auditd): auto
 * leaves the registration to it, and an auditd started after seccompmon
 * registers, while seccompmon goes on delivering.
 */
static void
coexist__auto_with_auditd_enabled__auditd_starting_later_registers(
    void **state)
{
	struct coexist *c = *state;
	const char *args[] = { "--socket", "auto", NULL };
	char what[512], out[8192];
	int status;

	if (auditdhost_probe("", what, sizeof(what)) != AUDITDHOST_ENABLED)
		fail_msg("auditd is not installed and enabled here (%s): "
		    "./build.sh check installs it", what);
	if (registered() != 0)
		fail_msg("an audit daemon is registered already");
	start(&c->m, args);
	if (strstr(monitor_err(&c->m), "<6>socket mode auto: multicast (auditd "
	    "is installed and enabled: ") == NULL)
		fail_msg("auto did not leave unicast to auditd:\n%s",
		    monitor_err(&c->m));
	if (registered() != 0)
		fail_msg("seccompmon registered in auto mode");
	c->auditd = auditd_start(c, "auditd.out");
	if (wait_registered(&c->m, (uint32_t)c->auditd, EVENT_MS) < 0)
		fail_msg("auditd pid %d did not register (kernel says %u); "
		    "its output:\n%s", (int)c->auditd, registered(),
		    file_text(c, "auditd.out", out, sizeof(out)));
	delivers(&c->m, "beside auditd");
	if (kill(c->auditd, SIGTERM) < 0 ||
	    child_reap(c->auditd, STOP_MS, &status) < 0)
		fail_msg("auditd did not stop");
	c->auditd = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("auditd: wait status 0x%x; output:\n%s",
		    (unsigned)status, file_text(c, "auditd.out", out,
		    sizeof(out)));
	stop(&c->m, SIGTERM);
	if (registered() != 0)
		fail_msg("a registration was left behind");
}

/*
 * Auto mode that took unicast (no auditd installed when it started: hidden
 * here) and then an auditd starts: its first attempt fails (EEXIST; the
 * kernel sends seccompmon AUDIT_REPLACE), seccompmon gives the registration
 * up and reads multicast, and auditd's restart (Restart=on-failure) gets it.
 */
static void
coexist__auto_unicast_then_auditd__yields_and_restart_registers(
    void **state)
{
	struct coexist *c = *state;
	const char *args[] = { "--socket", "auto", NULL };
	char out[8192];
	int status;

	c->m.no_auditd = 1;
	start(&c->m, args);
	if (registered() != (uint32_t)c->m.pid)
		fail_msg("auto did not take unicast without auditd:\n%s",
		    monitor_err(&c->m));
	c->auditd = auditd_start(c, "auditd1.out");
	if (child_reap(c->auditd, STOP_MS, &status) < 0)
		fail_msg("the first auditd did not give up");
	c->auditd = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		fail_msg("the first auditd ran: %s", file_text(c,
		    "auditd1.out", out, sizeof(out)));
	if (wait_said(&c->m, "asked to become the audit daemon; seccompmon "
	    "gives the registration up", NOTICE_MS) < 0 ||
	    wait_registered(&c->m, 0, NOTICE_MS) < 0)
		fail_msg("seccompmon did not yield (kernel says %u):\n%s",
		    registered(), monitor_err(&c->m));
	if (strstr(notes_text(&c->m), "STATUS=listening (multicast, was "
	    "unicast: yielded to an audit daemon)") == NULL)
		fail_msg("no STATUS after yielding: %s", notes_text(&c->m));
	c->auditd = auditd_start(c, "auditd2.out");
	if (wait_registered(&c->m, (uint32_t)c->auditd, EVENT_MS) < 0)
		fail_msg("the restarted auditd did not register; output:\n%s",
		    file_text(c, "auditd2.out", out, sizeof(out)));
	delivers(&c->m, "after yielding");
	if (kill(c->auditd, SIGTERM) < 0 ||
	    child_reap(c->auditd, STOP_MS, &status) < 0)
		fail_msg("auditd did not stop");
	c->auditd = 0;
	(void)kill(c->m.pid, SIGUSR1);
	monitor_linger(&c->m, 300);
	stop(&c->m, SIGTERM);
	if (strstr(monitor_err(&c->m), "registration_lost=0 replace_requests=1 "
	    "yielded=1\n") == NULL)
		fail_msg("the counters do not show the yield:\n%s",
		    monitor_err(&c->m));
}

/* The daemon's audit socket: its fd number in the daemon, or -1. */
static int
audit_socket_fd(pid_t pid)
{
	char path[320], link[64], line[512], want[64];
	unsigned long inode = 0, ino;
	unsigned eth, port;
	struct dirent *de;
	FILE *f;
	DIR *d;
	ssize_t n;
	int fd = -1;

	if ((f = fopen("/proc/net/netlink", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%*x %u %u %*x %*d %*d %*d %*d %*d %lu",
		    &eth, &port, &ino) == 3 && eth == NETLINK_AUDIT &&
		    port == (unsigned)pid)
			inode = ino;
	fclose(f);
	if (inode == 0)
		return -1;
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while (fd < 0 && (de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)pid,
		    de->d_name);
		if ((n = readlink(path, link, sizeof(link) - 1)) < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, want) == 0)
			fd = atoi(de->d_name);
	}
	closedir(d);
	return fd;
}

/*
 * 2. The kernel drops a live daemon's registration when a record cannot be
 * sent to its socket with ECONNREFUSED (kernel/audit.c
 * auditd_send_unicast_skb(), auditd_reset()).  A 6.x kernel does not drop
 * it for a full socket or a stopped daemon (see the next case), so the
 * fault is made the only other way: the daemon's socket, taken with
 * pidfd_getfd(), is connect()ed to a port that is not the kernel's for as
 * long as one record takes; netlink_getsockbyportid() then refuses the
 * kernel.  Another process registers, as a new auditd would.  The daemon
 * must notice within seconds, say so, and deliver through multicast.
 */
static void
coexist__unicast_registration_dropped__reported_then_multicast(
    void **state)
{
	struct coexist *c = *state;
	const char *args[] = { "--socket", "unicast", NULL };
	struct sockaddr_nl other;
	struct sockaddr unspec;
	char said[128];
	int pidfd, fd, nfd = -1, status;
	int64_t end;
	pid_t pid;

	start(&c->m, args);
	if (registered() != (uint32_t)c->m.pid)
		fail_msg("unicast did not register");
	if ((fd = audit_socket_fd(c->m.pid)) < 0)
		fail_msg("the daemon's audit socket was not found");
	if ((pidfd = (int)syscall(SYS_pidfd_open, c->m.pid, 0)) < 0 ||
	    (nfd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0)) < 0)
		fail_msg("pidfd_getfd: %s", strerror(errno));
	close(pidfd);
	memset(&other, 0, sizeof(other));
	other.nl_family = AF_NETLINK;
	other.nl_pid = (uint32_t)getpid();	/* anything but the kernel */
	if (connect(nfd, (struct sockaddr *)&other, sizeof(other)) < 0)
		fail_msg("connect: %s", strerror(errno));
	if ((pid = violator_spawn(HARNESS_VIOLATOR, "log", NULL, 0)) < 0 ||
	    child_reap(pid, EVENT_MS, &status) < 0)
		fail_msg("the violator did not run");
	if (wait_registered(NULL, 0, EVENT_MS) < 0)
		fail_msg("the kernel kept the registration (%u)", registered());
	memset(&unspec, 0, sizeof(unspec));
	unspec.sa_family = AF_UNSPEC;
	if (connect(nfd, &unspec, sizeof(unspec)) < 0)
		fail_msg("disconnect: %s", strerror(errno));
	close(nfd);
	/* Taken: this process registers, as a starting auditd would. */
	if (registration_take(&c->reg) < 0)
		fail_msg("registering the test: %s", strerror(errno));
	snprintf(said, sizeof(said), "dropped seccompmon's audit daemon "
	    "registration (pid %d holds it now)", (int)getpid());
	if (wait_said(&c->m, said, NOTICE_MS) < 0)
		fail_msg("not noticed within %d ms:\n%s", NOTICE_MS,
		    monitor_err(&c->m));
	if (wait_said(&c->m, "registration lost: reading the multicast "
	    "copy from now on", NOTICE_MS) < 0)
		fail_msg("no switch to multicast:\n%s", monitor_err(&c->m));
	/* The notification may be read after the log line: pump for it. */
	end = mono_ms() + NOTICE_MS;
	while (strstr(notes_text(&c->m), "STATUS=listening (multicast, was "
	    "unicast: registration lost)") == NULL && mono_ms() < end)
		(void)monitor_pump(&c->m, 50);
	if (strstr(notes_text(&c->m), "STATUS=listening (multicast, was "
	    "unicast: registration lost)") == NULL)
		fail_msg("no STATUS after the loss: %s", notes_text(&c->m));
	delivers(&c->m, "after the registration was lost");
	if (registration_release(&c->reg) < 0)
		fail_msg("unregistering the test: %s", strerror(errno));
	delivers(&c->m, "after the registrant left");
	stop(&c->m, SIGTERM);
	if (strstr(monitor_err(&c->m), "audit socket: mode=multicast "
	    "registration_lost=1 ") == NULL)
		fail_msg("the counters do not show the loss:\n%s",
		    monitor_err(&c->m));
	if (strstr(monitor_err(&c->m), "unregistering") != NULL)
		fail_msg("tried to end a registration it no longer held:\n%s",
		    monitor_err(&c->m));
	if (registered() != 0)
		fail_msg("a registration was left behind");
}

/*
 * What the kernel (6.x) does to a unicast daemon that stopped reading:
 * nothing to its registration.  With the daemon stopped and its socket
 * full, another registrant is refused at once (EEXIST; the AUDIT_REPLACE
 * probe fails with EAGAIN, which kernel/audit.c does not treat as a dead
 * daemon), and the daemon, continued, is still the audit daemon and
 * delivers.
 */
static void
coexist__unicast_stopped_and_full__kept_and_registrant_refused(
    void **state)
{
	struct coexist *c = *state;
	const char *args[] = { "--socket", "unicast", "--rcvbuf", "64k",
	    NULL };
	struct registration r = { NULL };
	int64_t t0;
	pid_t pid;
	int status;

	start(&c->m, args);
	if (kill(c->m.pid, SIGSTOP) < 0)
		fail_msg("SIGSTOP: %s", strerror(errno));
	if ((pid = violator_spawn(HARNESS_VIOLATOR, "flood", NULL, 0)) < 0 ||
	    child_reap(pid, 30000, &status) < 0)
		fail_msg("the flood did not run");
	(void)kaudit_wait_sent(10000);
	t0 = mono_ms();
	if (registration_take(&r) == 0) {
		(void)registration_release(&r);
		(void)kill(c->m.pid, SIGCONT);
		fail_msg("a stopped daemon's registration was taken");
	}
	if (errno != EEXIST || mono_ms() - t0 > 3000)
		fail_msg("registering beside a stopped daemon: %s after "
		    "%lld ms, expected EEXIST at once", strerror(errno),
		    (long long)(mono_ms() - t0));
	if (kill(c->m.pid, SIGCONT) < 0)
		fail_msg("SIGCONT: %s", strerror(errno));
	if (registered() != (uint32_t)c->m.pid)
		fail_msg("the registration moved to %u", registered());
	monitor_linger(&c->m, 1500);	/* a tick checks the registration */
	delivers(&c->m, "after SIGCONT");
	stop(&c->m, SIGTERM);
	if (strstr(monitor_err(&c->m), "dropped seccompmon's") != NULL)
		fail_msg("a kept registration was reported lost:\n%s",
		    monitor_err(&c->m));
}

/*
 * 3. kill -9: the dead daemon stays registered until the kernel fails to
 * reach its socket (audit_replace() on the next AUDIT_SET gets
 * ECONNREFUSED).  A unicast restart must register at once and deliver;
 * so must an auto restart (without auditd) after another kill -9.
 */
static void
coexist__kill9_then_restart__registers_at_once_and_delivers(void **state)
{
	struct coexist *c = *state;
	const char *uni[] = { "--socket", "unicast", NULL };
	const char *aut[] = { "--socket", "auto", NULL };
	const char *const *next[] = { uni, aut };
	int64_t t0;
	pid_t dead;
	size_t i;

	start(&c->m, uni);
	for (i = 0; i < 2; i++) {
		dead = c->m.pid;
		if (registered() != (uint32_t)dead)
			fail_msg("not registered before kill -9");
		if (monitor_stop(&c->m, SIGKILL, STOP_MS) < 0)
			fail_msg("kill -9 did not end it");
		monitor_destroy(&c->m);
		monitor_init(&c->m);
		c->m.no_auditd = next[i] == aut;
		t0 = mono_ms();
		start(&c->m, next[i]);
		if (mono_ms() - t0 > RESTART_MS)
			fail_msg("restart %zu took %lld ms", i,
			    (long long)(mono_ms() - t0));
		if (registered() != (uint32_t)c->m.pid)
			fail_msg("restart %zu (%s) did not register over dead "
			    "pid %d; kernel says %u; stderr:\n%s", i,
			    next[i][1], (int)dead, registered(),
			    monitor_err(&c->m));
		delivers(&c->m, "after kill -9 and restart");
	}
	stop(&c->m, SIGTERM);
	if (registered() != 0)
		fail_msg("a registration was left behind");
}

/* "name=N" after label in text; 0 and *v, or -1. */
static int
counter(const char *text, const char *label, const char *name,
    unsigned long long *v)
{
	const char *p = strstr(text, label);
	char key[64];

	if (p == NULL)
		return -1;
	snprintf(key, sizeof(key), " %s=", name);
	if ((p = strstr(p, key)) == NULL)
		return -1;
	return sscanf(p + strlen(key), "%llu", v) == 1 ? 0 : -1;
}

/* Lines in a file, and whether it ends with a newline. */
static unsigned long long
count_lines(const char *path, int *whole)
{
	unsigned long long n = 0;
	int ch, last = '\n';
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	while ((ch = getc(f)) != EOF) {
		if (ch == '\n')
			n++;
		last = ch;
	}
	fclose(f);
	*whole = last == '\n';
	return n;
}

static pid_t
flood(void)
{
	pid_t pid;

	if ((pid = violator_spawn(HARNESS_VIOLATOR, "flood", NULL, 0)) < 0)
		fail_msg("spawning a flood: %s", strerror(errno));
	return pid;
}

/*
 * 4. SIGTERM while four processes flood: the file holds whole lines only,
 * each one JSON object (jsonl-check), and the last counters add up: every
 * SECCOMP record became an event, a summary's count, or a counted loss,
 * and the lines the file output says it wrote are the lines in the file.
 */
static void
coexist__sigterm_during_flood__whole_lines_and_counters_add_up(
    void **state)
{
	struct coexist *c = *state;
	char file[PATH_MAX], spec[PATH_MAX + 8], cmd[PATH_MAX * 2];
	char label[PATH_MAX + 32];
	const char *args[] = { "--socket", "unicast", "--output", spec, NULL };
	unsigned long long rec, ev, sum, mal, nomem, written, lines;
	struct stat st;
	int64_t end;
	pid_t pid[4];
	size_t i;
	int status, whole, rc;

	snprintf(file, sizeof(file), "%s/events.json", c->dir);
	snprintf(spec, sizeof(spec), "file:%s", file);
	start(&c->m, args);
	for (i = 0; i < 4; i++)
		pid[i] = flood();
	/*
	 * Into the flood: the first events are in the file (a fixed sleep
	 * came too early where the violators start slowly, under ASan).
	 */
	for (end = mono_ms() + 10000; mono_ms() < end &&
	    (stat(file, &st) < 0 || st.st_size == 0);)
		monitor_linger(&c->m, 10);
	stop(&c->m, SIGTERM);
	for (i = 0; i < 4; i++)
		(void)child_reap(pid[i], 30000, &status);
	if (counter(monitor_err(&c->m), "<6>counters:", "seccomp_records",
	    &rec) < 0 ||
	    counter(monitor_err(&c->m), "<6>counters:", "events", &ev) < 0 ||
	    counter(monitor_err(&c->m), "<6>counters:", "summarized", &sum) < 0 ||
	    counter(monitor_err(&c->m), "<6>counters:", "malformed", &mal) < 0 ||
	    counter(monitor_err(&c->m), "<6>counters:", "nomem", &nomem) < 0)
		fail_msg("no final counters:\n%s", monitor_err(&c->m));
	if (rec == 0)
		fail_msg("SIGTERM came before any record: no test");
	if (rec != ev + sum + mal + nomem)
		fail_msg("seccomp_records=%llu != events %llu + summarized %llu"
		    " + malformed %llu + nomem %llu", rec, ev, sum, mal, nomem);
	snprintf(label, sizeof(label), "<6>output %s:", spec);
	if (counter(monitor_err(&c->m), label, "events", &written) < 0)
		fail_msg("no counters for %s:\n%s", spec, monitor_err(&c->m));
	lines = count_lines(file, &whole);
	if (!whole)
		fail_msg("%s ends in a cut line", file);
	if (lines != written)
		fail_msg("%s holds %llu lines, the output says it wrote %llu",
		    file, lines, written);
	snprintf(cmd, sizeof(cmd), "%s/tests/integration/jsonl-check '%s' "
	    "%llu", TOP_BUILDDIR, file, lines);
	if ((rc = system(cmd)) != 0)
		fail_msg("jsonl-check %s: status %d", file, rc);
}

/* Whether pid is one of n. */
static int
one_of(const pid_t *pids, size_t n, int64_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

/* Sum of the events-lost events' "field" over m's stream. */
static unsigned long long
lost_sum(const struct monitor *m, const char *field, const char *output)
{
	json_object *a, *x;
	unsigned long long sum = 0;
	const char *s;
	size_t i, j;
	int64_t v;

	for (i = 0; i < m->nevents; i++) {
		if ((s = jpath_str(m->events[i], "event.action", NULL)) ==
		    NULL || strcmp(s, "events-lost") != 0)
			continue;
		if (output == NULL) {
			if (jpath_int(m->events[i], field, &v) == 0)
				sum += (unsigned long long)v;
			continue;
		}
		if ((a = jpath(m->events[i], "seccompmon.lost.outputs")) ==
		    NULL)
			continue;
		for (j = 0; j < json_object_array_length(a); j++) {
			x = json_object_array_get_idx(a, j);
			if ((s = jpath_str(x, "name", NULL)) != NULL &&
			    strcmp(s, output) == 0 &&
			    jpath_int(x, "count", &v) == 0)
				sum += (unsigned long long)v;
		}
	}
	return sum;
}

/* Datagrams waiting on the syslog socket that carry a flood event. */
static unsigned long long
syslog_delivered(int sock, const pid_t *pids, size_t n)
{
	static char buf[65536];
	unsigned long long got = 0;
	json_object *o;
	const char *js;
	ssize_t r;
	int64_t pid;

	while ((r = recv(sock, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[r] = '\0';
		if ((js = strchr(buf, '{')) == NULL ||
		    (o = json_tokener_parse(js)) == NULL)
			continue;
		if (jpath_int(o, "process.pid", &pid) == 0 &&
		    one_of(pids, n, pid))
			got++;
		json_object_put(o);
	}
	return got;
}

/*
 * 5. Sixteen processes flood while both outputs are slow: stdout is a pipe
 * read late and slowly, and the syslog socket is read by nobody until the
 * end (its queue holds net.unix.max_dgram_qlen datagrams).  Storm control
 * is off, so that one record is one event.  For each output, the events
 * it delivered plus the losses the stream reports for it plus the losses
 * reported for the source must be exactly the records made.  Unicast with
 * a receive buffer that holds the whole flood: a 6.x kernel drops what
 * does not fit in the socket without counting it (EAGAIN, then
 * kauditd_hold_skb()), which no reader could account for.
 */
static void
coexist__many_floods_slow_outputs__every_record_accounted(void **state)
{
	struct coexist *c = *state;
	char conf[PATH_MAX], sock[PATH_MAX], spec[PATH_MAX + 8];
	const char *args[] = { "--socket", "unicast", "--rcvbuf", "1G",
	    "--config", conf, "--output", "stdout", "--output", spec, NULL };
	const unsigned long long made = (unsigned long long)NFLOOD *
	    FLOOD_RECORDS;
	unsigned long long out = 0, out_lost, sys, sys_lost, src;
	struct sockaddr_un sa;
	char envsave[PATH_MAX] = "", why[1024];
	const char *env;
	pid_t pid[NFLOOD], r;
	int64_t v, end;
	size_t i;
	int status, rc;
	FILE *f;

	snprintf(conf, sizeof(conf), "%s/storm-off.json", c->dir);
	if ((f = fopen(conf, "w")) == NULL)
		fail_msg("%s: %s", conf, strerror(errno));
	/*
	 * The daemon reads one --config.  Under test_completeness.sh that is
	 * its policy (tests/data/sandbox/log-default.json), given here too.
	 */
	env = getenv(HARNESS_CONFIG_ENV);
	fprintf(f, "{ \"storm\": { \"enabled\": false }%s }\n",
	    env != NULL && *env != '\0' ? ", \"seccomp\": { "
	    "\"default_action\": \"log\", \"required\": true }" : "");
	if (fclose(f) != 0)
		fail_msg("%s: %s", conf, strerror(errno));
	snprintf(sock, sizeof(sock), "%s/log", c->dir);
	snprintf(spec, sizeof(spec), "syslog:%s", sock);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(sa.sun_path))
		fail_msg("%s: too long for a socket", sock);
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	if ((c->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(c->sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail_msg("syslog socket: %s", strerror(errno));
	if (env != NULL && *env != '\0') {
		snprintf(envsave, sizeof(envsave), "%s", env);
		(void)unsetenv(HARNESS_CONFIG_ENV);
	}
	rc = monitor_start(&c->m, args);
	if (envsave[0] != '\0')
		(void)setenv(HARNESS_CONFIG_ENV, envsave, 1);
	if (rc < 0)
		fail_msg("starting the daemon: %s", strerror(errno));
	if (monitor_wait_ready(&c->m, READY_MS) < 0)
		fail_msg("no READY=1; stderr:\n%s", monitor_err(&c->m));
	if (monitor_sandbox(&c->m, "test_coexist", why, sizeof(why)) < 0)
		fail_msg("%s", why);
	for (i = 0; i < NFLOOD; i++)
		pid[i] = flood();
	(void)poll(NULL, 0, 2000);		/* stdout: not read at all */
	end = mono_ms() + 60000;		/* then slowly */
	for (i = 0; i < NFLOOD; i++) {
		while ((r = waitpid(pid[i], &status, WNOHANG)) == 0 &&
		    mono_ms() < end) {
			(void)monitor_pump(&c->m, 20);
			(void)poll(NULL, 0, 100);
		}
		if (r != pid[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			fail_msg("flood %zu did not run", i);
	}
	if (kaudit_wait_sent(30000) < 0)
		fail_msg("the kernel's audit queue did not empty");
	monitor_linger(&c->m, 2500);	/* a tick or two: losses told */
	stop(&c->m, SIGTERM);
	for (i = 0; i < c->m.nevents; i++)
		if (jpath_int(c->m.events[i], "process.pid", &v) == 0 &&
		    one_of(pid, NFLOOD, v))
			out++;
	src = lost_sum(&c->m, "seccompmon.lost.reasons.kernel_lost", NULL) +
	    lost_sum(&c->m, "seccompmon.lost.reasons.malformed", NULL) +
	    lost_sum(&c->m, "seccompmon.lost.reasons.nomem", NULL);
	if (lost_sum(&c->m, "seccompmon.lost.reasons.enobufs_overflows",
	    NULL) != 0)
		fail_msg("the daemon's socket overflowed: records were lost "
		    "uncounted; stderr:\n%s", monitor_err(&c->m));
	out_lost = lost_sum(&c->m, NULL, "stdout");
	sys = syslog_delivered(c->sock, pid, NFLOOD);
	sys_lost = lost_sum(&c->m, NULL, spec);
	if (out + out_lost + src != made || sys + sys_lost + src != made)
		fail_msg("%llu records made; stdout: %llu delivered + %llu "
		    "reported lost; %s: %llu delivered + %llu reported lost; "
		    "source: %llu reported lost; stderr:\n%s", made, out,
		    out_lost, spec, sys, sys_lost, src, monitor_err(&c->m));
	if (sys_lost == 0)
		fail_msg("the unread syslog socket lost nothing: no test");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(coexist__auto_with_auditd_enabled__auditd_starting_later_registers),
		T(coexist__auto_unicast_then_auditd__yields_and_restart_registers),
		T(coexist__unicast_registration_dropped__reported_then_multicast),
		T(coexist__unicast_stopped_and_full__kept_and_registrant_refused),
		T(coexist__kill9_then_restart__registers_at_once_and_delivers),
		T(coexist__sigterm_during_flood__whole_lines_and_counters_add_up),
		T(coexist__many_floods_slow_outputs__every_record_accounted),
	};
	char why[512];
	int lock, rc;

	if (access(AUDITD, X_OK) < 0) {
		fprintf(stderr, "test_coexist: SKIP: %s is missing (apt-get "
		    "install auditd; ./build.sh check does)\n", AUDITD);
		return 77;
	}
	if ((lock = lock_take(HARNESS_LOCK)) < 0) {
		fprintf(stderr, "test_coexist: %s: %s\n", HARNESS_LOCK,
		    strerror(errno));
		return 99;
	}
	rc = kaudit_preflight(why, sizeof(why));
	if (rc == 77) {
		fprintf(stderr, "test_coexist: SKIP: %s\n", why);
		return 77;
	}
	if (rc != 0) {
		fprintf(stderr, "test_coexist: %s\n", why);
		return 99;
	}
	rc = cmocka_run_group_tests_name("coexist", tests, NULL, NULL);
	close(lock);
	return rc == 0 ? 0 : 1;
}
