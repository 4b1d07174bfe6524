/*
 * The gap report.  Each report reads afresh what it can (the sysctl, /proc)
 * and takes the audit status the socket last read; nothing is cached but
 * the busiest second and the pids seen logging a denial.  /proc is walked
 * with getdents64(2) on an open(2)ed directory rather than opendir(3),
 * which would also fstat(2) it: fewer calls to allow after the filter.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "daemon/auditsock.h"
#include "daemon/gaps.h"
#include "daemon/log.h"
#include "daemon/pipeline.h"
#include "daemon/procfile.h"
#include "reporter/cgroupinfo.h"
#include "reporter/procctx.h"

#define ACTIONS_LOGGED	"/proc/sys/kernel/seccomp/actions_logged"
/* The tick is a second (main.c TICK_MS): reports are due within half. */
#define TICK_SLACK_MS	500

/* The actions the kernel can log, in the order of its sysctl. */
static const char *const loggable[] = {
	"kill_process", "kill_thread", "trap", "errno", "user_notif",
	"trace", "log",
};

/* One group of processes under filters: a cgroup and a comm. */
struct group {
	uint64_t	 hash;
	struct cgroup_info ci;		/* path "": unreadable or the root */
	size_t		 cgroup_len;
	char		 name[64];
	size_t		 name_len;
	uint64_t	 count;
	int32_t		 pids[GAPS_GROUP_PIDS];	/* the lowest, ascending */
	size_t		 npids;
	int		 logs_seen;
};

/* A pid whose errno/trap/trace/user_notif denial was logged, and when. */
struct seen {
	int32_t		 pid;		/* 0: free slot */
	int64_t		 time_ms;	/* the latest such record */
};

#define SEEN_SLOTS	(2 * GAPS_SEEN_MAX)	/* open addressing, half full */

struct gaps {
	struct conf_gaps	 conf;
	struct auditsock	*as;
	struct event_ctx	 ctx;		/* host.name */
	int32_t			 self;
	/* The interval, and the busiest second (gaps_tick()). */
	int64_t			 next_ms;	/* mono; 0: not yet armed */
	int64_t			 last_tick_ms;
	uint64_t		 last_received;
	uint64_t		 peak_rate;
	/* Pids seen logging a denial (gaps_note_denial()). */
	struct seen		*seen;
	size_t			 nseen;
	/* The last scan's groups, and the events made of them. */
	struct group		*groups;
	size_t			 ngroups;
	size_t			 capgroups;
	struct event_gap_group	 top[GAPS_TOP_GROUPS];
	struct obuf		 buf;
	int			 scan_warned;
};

/* ---- Parsers ---- */

void
gaps_actions_parse(const char *text, struct gaps_actions *a)
{
	char *p, *save = NULL;
	size_t i, j;
	int found;

	memset(a, 0, sizeof(*a));
	(void)snprintf(a->buf, sizeof(a->buf), "%s", text);
	for (p = strtok_r(a->buf, " \t\n", &save); p != NULL &&
	    a->nlogged < sizeof(a->logged) / sizeof(a->logged[0]);
	    p = strtok_r(NULL, " \t\n", &save))
		a->logged[a->nlogged++] = p;
	for (i = 0; i < sizeof(loggable) / sizeof(loggable[0]); i++) {
		found = 0;
		for (j = 0; j < a->nlogged && !found; j++)
			found = strcmp(a->logged[j], loggable[i]) == 0;
		if (!found)
			a->missing[a->nmissing++] = loggable[i];
	}
}

/* The value after "key:" and blanks on a line of text, or NULL. */
static const char *
status_value(const char *text, size_t len, const char *key, size_t *vlen)
{
	const char *p = text, *end = text + len, *nl, *v;
	size_t k = strlen(key);

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > k && memcmp(p, key, k) == 0 &&
		    p[k] == ':') {
			for (v = p + k + 1; v < nl && (*v == ' ' ||
			    *v == '\t'); v++)
				;
			*vlen = (size_t)(nl - v);
			return v;
		}
		p = nl + 1;
	}
	return NULL;
}

/* A decimal number of n bytes at s, in [0, max].  0, or -1. */
static int
parse_num(const char *s, size_t n, long max, long *out)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int
gaps_status_parse(const char *text, size_t len, struct gaps_status *st)
{
	const char *v;
	size_t n;
	long x;

	memset(st, 0, sizeof(*st));
	st->seccomp = -1;
	st->filters = -1;
	if ((v = status_value(text, len, "Name", &n)) == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (n >= sizeof(st->name))
		n = sizeof(st->name) - 1;
	memcpy(st->name, v, n);
	st->name[n] = '\0';
	if ((v = status_value(text, len, "Seccomp", &n)) != NULL &&
	    parse_num(v, n, 2, &x) == 0)
		st->seccomp = (int)x;
	if ((v = status_value(text, len, "Seccomp_filters", &n)) != NULL &&
	    parse_num(v, n, 1L << 30, &x) == 0)
		st->filters = x;
	return 0;
}

int
gaps_group_cgroup(const char *text, size_t len, struct cgroup_info *ci)
{
	cgroup_info_parse(text, len, ci);
	return ci->path[0] != '\0' ? 0 : -1;
}

int
gaps_cmdline_audit_off(const char *cmdline)
{
	const char *p = cmdline, *e;
	size_t n;
	int off = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' ' && *e != '\t' &&
		    *e != '\n'; e++)
			;
		n = (size_t)(e - p);
		/* What follows "--" is init's, not the kernel's. */
		if (n == 2 && memcmp(p, "--", 2) == 0)
			break;
		/*
		 * kernel/audit.c audit_enable(): "0" or "off" (any case)
		 * disables audit for good; a later audit=1 does not undo it.
		 */
		if (n > 6 && memcmp(p, "audit=", 6) == 0 &&
		    ((n == 7 && p[6] == '0') ||
		    (n == 9 && strncasecmp(p + 6, "off", 3) == 0)))
			off = 1;
		p = e;
	}
	return off;
}

int
gaps_backlog_small(uint32_t backlog_limit, uint64_t peak_rate)
{
	if (backlog_limit == 0)		/* no limit */
		return 0;
	return backlog_limit < GAPS_BACKLOG_SMALL ||
	    backlog_limit < peak_rate;
}

/* ---- Pids seen logging a denial ---- */

static size_t
seen_slot(int32_t pid)
{
	return ((uint32_t)pid * 2654435761u) % SEEN_SLOTS;
}

/* The slot of pid, or of the free one where it would go; NULL if full. */
static struct seen *
seen_find(struct seen *tab, int32_t pid)
{
	size_t i, k = seen_slot(pid);

	for (i = 0; i < SEEN_SLOTS; i++) {
		if (tab[k].pid == pid || tab[k].pid == 0)
			return &tab[k];
		k = (k + 1) % SEEN_SLOTS;
	}
	return NULL;
}

void
gaps_note_denial(void *arg, int32_t pid, int64_t time_ms)
{
	struct gaps *g = arg;
	struct seen *s;

	if (g == NULL || g->seen == NULL || pid <= 0 || pid == g->self)
		return;
	/* A storm comes from few pids: the same one again costs a probe. */
	if ((s = seen_find(g->seen, pid)) == NULL)
		return;
	if (s->pid == 0) {
		if (g->nseen >= GAPS_SEEN_MAX)
			return;		/* forgotten at the next scan */
		s->pid = pid;
		g->nseen++;
	}
	if (time_ms > s->time_ms)
		s->time_ms = time_ms;
}

/*
 * Whether pid was seen logging a denial while it was this process (it
 * started before the record).  Kept for the next scan when so.
 */
static int
seen_logging(struct gaps *g, struct seen *keep, int32_t pid)
{
	struct seen *s, *k;
	int64_t st;

	if (g->nseen == 0 || (s = seen_find(g->seen, pid)) == NULL ||
	    s->pid != pid)
		return 0;
	if ((st = procctx_start_ms(pid)) < 0 || st > s->time_ms)
		return 0;	/* a later process with the same pid */
	if (keep != NULL && (k = seen_find(keep, pid)) != NULL)
		*k = *s;
	return 1;
}

/* ---- The scan of /proc ---- */

static uint64_t
hash_key(const char *cg, size_t cglen, const char *name, size_t nlen)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < cglen; i++)
		h = (h ^ (unsigned char)cg[i]) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (i = 0; i < nlen; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211ULL;
	return h;
}

/* The group of (ci, name), added when new; NULL when the table is full. */
static struct group *
group_get(struct gaps *g, const struct cgroup_info *ci, const char *name)
{
	size_t cglen = strlen(ci->path), nlen = strlen(name), i;
	uint64_t h = hash_key(ci->path, cglen, name, nlen);
	struct group *gr, *p;

	for (i = 0; i < g->ngroups; i++) {
		gr = &g->groups[i];
		if (gr->hash == h && gr->cgroup_len == cglen &&
		    gr->name_len == nlen &&
		    memcmp(gr->ci.path, ci->path, cglen) == 0 &&
		    memcmp(gr->name, name, nlen) == 0)
			return gr;
	}
	if (g->ngroups == GAPS_MAX_GROUPS)
		return NULL;
	if (g->ngroups == g->capgroups) {
		i = g->capgroups ? g->capgroups * 2 : 16;
		if ((p = realloc(g->groups, i * sizeof(*p))) == NULL)
			return NULL;
		g->groups = p;
		g->capgroups = i;
	}
	gr = &g->groups[g->ngroups++];
	memset(gr, 0, sizeof(*gr));
	gr->hash = h;
	gr->ci = *ci;
	gr->cgroup_len = cglen;
	memcpy(gr->name, name, nlen);
	gr->name_len = nlen;
	return gr;
}

/* Keep the GAPS_GROUP_PIDS lowest pids, ascending. */
static void
group_add_pid(struct group *gr, int32_t pid)
{
	size_t i;

	if (gr->npids == GAPS_GROUP_PIDS) {
		if (pid >= gr->pids[GAPS_GROUP_PIDS - 1])
			return;
		gr->npids--;
	}
	for (i = gr->npids; i > 0 && gr->pids[i - 1] > pid; i--)
		gr->pids[i] = gr->pids[i - 1];
	gr->pids[i] = pid;
	gr->npids++;
}

/* The largest first, then by cgroup and name: the same order every run. */
static int
group_cmp(const struct group *x, const struct group *y)
{
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if ((c = strcmp(x->ci.path, y->ci.path)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

/*
 * The GAPS_TOP_GROUPS first groups in group_cmp() order into top; how
 * many.  Insertion into a short list, not qsort(3): glibc's, once the
 * array passes 1 KiB, asks sysinfo(2) for the memory size, a call the
 * sandbox has no reason to allow.
 */
static size_t
groups_top(const struct gaps *g, const struct group **top)
{
	size_t i, j, n = 0;

	for (i = 0; i < g->ngroups; i++) {
		if (n == GAPS_TOP_GROUPS &&
		    group_cmp(&g->groups[i], top[n - 1]) >= 0)
			continue;
		if (n < GAPS_TOP_GROUPS)
			n++;
		for (j = n - 1; j > 0 && group_cmp(&g->groups[i],
		    top[j - 1]) < 0; j--)
			top[j] = top[j - 1];
		top[j] = &g->groups[i];
	}
	return n;
}

/* One process of /proc: counted when in filter mode. */
static void
scan_pid(struct gaps *g, int32_t pid, struct seen *keep, uint64_t *procs,
    uint64_t *ungrouped)
{
	char path[64], buf[4096];
	struct cgroup_info ci;
	struct gaps_status st;
	struct group *gr;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((n = procfile_read(path, buf, sizeof(buf), 0)) <= 0 ||
	    gaps_status_parse(buf, (size_t)n, &st) < 0 || st.seccomp != 2)
		return;		/* gone, a kernel thread, or no filter */
	(*procs)++;
	(void)snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if ((n = procfile_read(path, buf, sizeof(buf), 0)) <= 0 ||
	    gaps_group_cgroup(buf, (size_t)n, &ci) < 0)
		memset(&ci, 0, sizeof(ci));
	if ((gr = group_get(g, &ci, st.name)) == NULL) {
		(*ungrouped)++;
		return;
	}
	gr->count++;
	group_add_pid(gr, pid);
	if (seen_logging(g, keep, pid))
		gr->logs_seen = 1;
}

/*
 * Walk /proc: the processes in filter mode, grouped into g->groups.  Also
 * forgets the seen pids that are gone.  0, or -1
 * with errno when /proc cannot be read.
 */
static int
scan(struct gaps *g, uint64_t *procs, uint64_t *ungrouped)
{
	char dbuf[8192];
	struct dirent64 *d;
	struct seen *keep = NULL;
	ssize_t n, off;
	char *end;
	long pid;
	int fd, saved;

	*procs = *ungrouped = 0;
	g->ngroups = 0;
	if ((fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if (g->nseen > 0)
		keep = calloc(SEEN_SLOTS, sizeof(*keep));
	while ((n = getdents64(fd, dbuf, sizeof(dbuf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(dbuf + off);
			if (d->d_name[0] < '1' || d->d_name[0] > '9')
				continue;
			errno = 0;
			pid = strtol(d->d_name, &end, 10);
			if (errno != 0 || *end != '\0' || pid <= 0 ||
			    pid > INT32_MAX || pid == g->self)
				continue;
			scan_pid(g, (int32_t)pid, keep, procs, ungrouped);
		}
	}
	saved = errno;
	close(fd);
	/* The seen pids still alive in filter mode; the rest forgotten. */
	if (keep != NULL || g->nseen > 0) {
		if (keep != NULL) {
			free(g->seen);
			g->seen = keep;
		} else
			memset(g->seen, 0, SEEN_SLOTS * sizeof(*g->seen));
		g->nseen = 0;
		for (off = 0; off < SEEN_SLOTS; off++)
			g->nseen += g->seen[off].pid != 0;
	}
	if (n < 0) {
		errno = saved;
		return -1;
	}
	return 0;
}

/* ---- The report ---- */

struct gaps *
gaps_new(const struct conf_gaps *gc, struct auditsock *as,
    const struct event_ctx *ctx)
{
	struct gaps_actions a;
	struct gaps *g;
	char buf[256], list[128] = "";
	size_t i;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->conf = *gc;
	g->as = as;
	g->ctx = *ctx;
	g->self = (int32_t)getpid();
	obuf_init(&g->buf);
	if (gc->enabled) {
		if ((g->seen = calloc(SEEN_SLOTS, sizeof(*g->seen))) == NULL) {
			free(g);
			errno = ENOMEM;
			return NULL;
		}
		return g;
	}
	/* No events: say on stderr what the kernel will not log, as ever. */
	if (procfile_read(ACTIONS_LOGGED, buf, sizeof(buf), 1) < 0) {
		log_warn("cannot read " ACTIONS_LOGGED);
		return g;
	}
	gaps_actions_parse(buf, &a);
	for (i = 0; i < a.nmissing; i++) {
		strncat(list, " ", sizeof(list) - strlen(list) - 1);
		strncat(list, a.missing[i], sizeof(list) - strlen(list) - 1);
	}
	if (a.nmissing > 0)
		log_warnx("kernel.seccomp.actions_logged lacks%s: the kernel "
		    "writes no record for these actions", list);
	return g;
}

/* Encode gap and send it; its reason is added to names. */
static void
emit(struct gaps *g, struct pipeline *pl, const struct event_gap *gap,
    const char *why, char *names, size_t len)
{
	struct obuf m;

	obuf_reset(&g->buf);
	if (event_encode_gap(&g->buf, gap, &g->ctx) < 0) {
		log_warn("making a monitoring-gap event");
		return;
	}
	pipeline_gap(pl, g->buf.data, g->buf.len, gap->time_ms);
	if (names[0] != '\0')
		strncat(names, ", ", len - strlen(names) - 1);
	strncat(names, event_gap_reason_name(gap->reason),
	    len - strlen(names) - 1);
	if (strcmp(why, "start") != 0)
		return;
	obuf_init(&m);
	event_gap_message(&m, gap);
	if (!obuf_failed(&m))
		log_warnx("monitoring gap: %.*s", (int)m.len, m.data);
	obuf_free(&m);
}

static void
report_actions(struct gaps *g, struct pipeline *pl, struct event_gap *gap,
    const char *why, char *names, size_t len)
{
	struct gaps_actions a;
	char buf[256];

	if (procfile_read(ACTIONS_LOGGED, buf, sizeof(buf), 1) < 0) {
		if (strcmp(why, "start") == 0)
			log_warn("cannot read " ACTIONS_LOGGED);
		return;
	}
	gaps_actions_parse(buf, &a);
	if (a.nmissing == 0)
		return;
	gap->reason = EVENT_GAP_ACTIONS_NOT_LOGGED;
	gap->actions_missing = a.missing;
	gap->nactions_missing = a.nmissing;
	gap->actions_logged = a.logged;
	gap->nactions_logged = a.nlogged;
	emit(g, pl, gap, why, names, len);
}

/* The audit limits, and whose the unicast delivery is (multicast). */
static void
report_audit(struct gaps *g, struct pipeline *pl, const struct event_gap *t,
    const char *why, char *names, size_t len)
{
	struct auditsock_kstatus ks;
	struct event_gap gap;

	if (g->as == NULL)
		return;
	auditsock_kernel_status(g->as, &ks);
	gap = *t;
	gap.as_of_ms = ks.read_ms;
	gap.audit_as_of_startup = ks.startup && ks.have &&
	    auditsock_mode(g->as) == CONF_SOCKET_MULTICAST;
	if (ks.have && ks.st.rate_limit != 0) {
		gap.reason = EVENT_GAP_AUDIT_RATE_LIMIT;
		gap.rate_limit = ks.st.rate_limit;
		emit(g, pl, &gap, why, names, len);
	}
	if (ks.have && gaps_backlog_small(ks.st.backlog_limit,
	    g->peak_rate)) {
		gap.reason = EVENT_GAP_AUDIT_BACKLOG_SMALL;
		gap.backlog_limit = ks.st.backlog_limit;
		gap.peak_rate = g->peak_rate;
		emit(g, pl, &gap, why, names, len);
	}
	if (auditsock_mode(g->as) != CONF_SOCKET_MULTICAST)
		return;
	gap.reason = EVENT_GAP_MULTICAST_NOT_REGISTERED;
	gap.audit_unknown = !ks.have;
	gap.audit_pid = ks.st.pid;
	gap.audit_daemon = ks.daemon[0] != '\0' ? ks.daemon : NULL;
	emit(g, pl, &gap, why, names, len);
}

static void
report_filters(struct gaps *g, struct pipeline *pl, struct event_gap *gap,
    const char *why, char *names, size_t len)
{
	const struct group *best[GAPS_TOP_GROUPS], *gr;
	uint64_t procs, ungrouped;
	struct event_gap_group *t;
	size_t i, n;

	if (scan(g, &procs, &ungrouped) < 0) {
		if (!g->scan_warned)
			log_warn("reading /proc for processes under seccomp "
			    "filters (said once)");
		g->scan_warned = 1;
		return;
	}
	if (procs == 0)
		return;
	n = groups_top(g, best);
	for (i = 0; i < n; i++) {
		gr = best[i];
		t = &g->top[i];
		memset(t, 0, sizeof(*t));
		if (gr->cgroup_len > 0) {
			t->cgroup = gr->ci.path;
			t->cgroup_len = gr->cgroup_len;
		}
		t->service = gr->ci.service[0] ? gr->ci.service : NULL;
		t->container_id = gr->ci.container_id[0] ?
		    gr->ci.container_id : NULL;
		t->container_runtime = gr->ci.runtime;
		t->pod_uid = gr->ci.pod_uid[0] ? gr->ci.pod_uid : NULL;
		t->name = gr->name;
		t->name_len = gr->name_len;
		t->count = gr->count;
		t->pids = gr->pids;
		t->npids = gr->npids;
		t->logs_seen = gr->logs_seen;
	}
	gap->reason = EVENT_GAP_FILTERS_MAY_NOT_LOG;
	gap->processes = procs;
	gap->groups = g->top;
	gap->ngroups = n;
	/* Past GAPS_MAX_GROUPS a process's group is not known: one more. */
	gap->groups_omitted = g->ngroups - n + (ungrouped > 0);
	emit(g, pl, gap, why, names, len);
}

void
gaps_report(struct gaps *g, struct pipeline *pl, const char *why)
{
	struct event_gap gap, base;
	char names[256] = "";

	if (g == NULL || !g->conf.enabled)
		return;
	/* The interval runs from the start report (SIGUSR1 leaves it). */
	if (strcmp(why, "start") == 0 && g->conf.interval > 0)
		g->next_ms = log_now_ms() + (int64_t)g->conf.interval * 1000;
	memset(&base, 0, sizeof(base));
	base.time_ms = pipeline_now_ms();
	base.as_of_ms = base.time_ms;
	gap = base;
	report_actions(g, pl, &gap, why, names, sizeof(names));
	report_audit(g, pl, &base, why, names, sizeof(names));
	gap = base;
	report_filters(g, pl, &gap, why, names, sizeof(names));
	log_info("monitoring gaps (%s): %s", why, names[0] ? names : "none");
}

void
gaps_tick(struct gaps *g, struct pipeline *pl, int64_t mono_ms)
{
	uint64_t received, rate;
	int64_t dt;

	if (g == NULL || !g->conf.enabled)
		return;
	received = pipeline_counters(pl)->seccomp;
	dt = mono_ms - g->last_tick_ms;
	if (g->last_tick_ms != 0 && dt > 0) {
		/* Per second, whatever the tick's length was. */
		rate = (received - g->last_received) * 1000 /
		    (uint64_t)(dt > 1000 ? dt : 1000);
		if (rate > g->peak_rate)
			g->peak_rate = rate;
	}
	g->last_received = received;
	g->last_tick_ms = mono_ms;
	if (g->conf.interval == 0)
		return;
	if (g->next_ms == 0)	/* no start report: from the first tick */
		g->next_ms = mono_ms + (int64_t)g->conf.interval * 1000;
	/* Half a tick early rather than a whole tick late, as stats. */
	if (mono_ms + TICK_SLACK_MS >= g->next_ms) {
		gaps_report(g, pl, "interval");
		/* Missed intervals are skipped, not caught up. */
		while (g->next_ms <= mono_ms + TICK_SLACK_MS)
			g->next_ms += (int64_t)g->conf.interval * 1000;
	}
}

void
gaps_free(struct gaps *g)
{
	if (g == NULL)
		return;
	free(g->seen);
	free(g->groups);
	obuf_free(&g->buf);
	free(g);
}

int
gaps_boot_check(const struct conf_gaps *gc, struct pipeline *pl,
    const struct event_ctx *ctx)
{
	struct event_gap gap;
	struct obuf b;
	char buf[4096];

	if (procfile_read("/proc/cmdline", buf, sizeof(buf), 1) < 0 ||
	    !gaps_cmdline_audit_off(buf))
		return 0;
	memset(&gap, 0, sizeof(gap));
	gap.reason = EVENT_GAP_AUDIT_DISABLED_AT_BOOT;
	gap.time_ms = gap.as_of_ms = pipeline_now_ms();
	obuf_init(&b);
	event_gap_message(&b, &gap);
	log_msg(LOG_ERR, "%.*s", (int)b.len, b.data != NULL ? b.data : "");
	obuf_reset(&b);
	if (gc->enabled && pipeline_start(pl, 0) == 0 &&
	    event_encode_gap(&b, &gap, ctx) == 0) {
		pipeline_gap(pl, b.data, b.len, gap.time_ms);
		if (pipeline_sync(pl, log_now_ms() + 5000) != 0)
			log_warnx("an output did not take the monitoring-gap "
			    "event within 5 s");
		pipeline_stop(pl);
	}
	obuf_free(&b);
	return 1;
}
