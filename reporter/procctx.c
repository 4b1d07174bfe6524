/*
 * The process context cache.  A set-associative table (four ways a set,
 * least recently used out) keyed by pid; an entry is one process, known
 * by its start time in clock ticks, and remembers the executable its first
 * record named, so an execve since is noticed.  An entry answers without a
 * syscall while it was seen alive at or after the record's time; otherwise
 * /proc/PID/stat is read again (about one read per pid per clock tick in a
 * storm).  Only a new process costs the reads of cmdline, cwd and cgroup.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "reporter/procctx.h"

#define WAYS 4
#define STAT_MAX 1024		/* /proc/PID/stat is ~300 bytes */
#define CGROUP_MAX 4096		/* /proc/PID/cgroup: one line a hierarchy */
#define CWD_MAX 4096
#define EXE_MAX 4096
#define CGROUP_REFRESH_MS 2000	/* a process can be moved: read again */

struct entry {
	int32_t			 pid;		/* 0: empty */
	uint64_t		 start_ticks;
	int64_t			 start_ms;
	int32_t			 ppid;
	int64_t			 alive_ms;	/* seen alive at (coarse clock) */
	int64_t			 cg_ms;		/* cgroup read at */
	uint64_t		 used;		/* LRU stamp */
	char			*exe;		/* as its first record named it */
	size_t			 exe_len;
	char			*args;		/* nargs strings */
	size_t			 args_len;
	uint32_t		 nargs;
	int			 args_truncated;
	char			*cwd;		/* NULL: unknown */
	size_t			 cwd_len;
	int			 has_cg;
	struct cgroup_info	 cg;
};

struct procctx {
	int			 procfd;
	struct entry		*e;
	size_t			 nsets;		/* a power of two */
	size_t			 args_max;
	int			 no_cwd;
	long			 hz;
	uint64_t		 clock;
	struct procctx_info	 info;
	struct procctx_counters	 n;
	char			 buf[CGROUP_MAX];
};

struct procstat {
	char		 state;
	int32_t		 ppid;
	uint64_t	 start_ticks;
	char		 comm[17];
	size_t		 comm_len;
};

struct procctx *
procctx_new(size_t max, size_t args_max)
{
	struct procctx *c;
	size_t sets = 1;

	if (max < WAYS)
		max = WAYS;
	while (sets * WAYS < max)
		sets <<= 1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->nsets = sets;
	c->args_max = args_max > (1u << 20) ? (1u << 20) : args_max;
	if ((c->hz = sysconf(_SC_CLK_TCK)) <= 0)
		c->hz = 100;
	if ((c->e = calloc(sets * WAYS, sizeof(*c->e))) == NULL ||
	    (c->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
	    0) {
		free(c->e);
		free(c);
		return NULL;
	}
	return c;
}

static void
entry_clear(struct entry *e)
{
	free(e->exe);
	free(e->args);
	free(e->cwd);
	memset(e, 0, sizeof(*e));
}

void
procctx_free(struct procctx *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsets * WAYS; i++)
		entry_clear(&c->e[i]);
	free(c->e);
	close(c->procfd);
	free(c);
}

void
procctx_no_cwd(struct procctx *c)
{
	c->no_cwd = 1;
}

void
procctx_counters(const struct procctx *c, struct procctx_counters *out)
{
	*out = c->n;
}

const char *
procctx_source_name(enum procctx_source s)
{
	switch (s) {
	case PROCCTX_LIVE:
		return "live";
	case PROCCTX_CACHED:
		return "cached";
	case PROCCTX_GONE:
		return "gone";
	default:
		return NULL;
	}
}

static int64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * "PID/NAME" relative to /proc's descriptor, or "/proc/PID/NAME" for
 * dirfd AT_FDCWD.
 */
static void
proc_path(char *p, size_t len, int dirfd, int32_t pid, const char *name)
{
	char tmp[16];
	size_t i = sizeof(tmp), n, at = 0;
	uint32_t v = (uint32_t)pid;

	if (dirfd == AT_FDCWD) {
		memcpy(p, "/proc/", 6);
		at = 6;
	}
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	n = sizeof(tmp) - i;
	memcpy(p + at, tmp + i, n);
	p[at + n] = '/';
	strncpy(p + at + n + 1, name, len - at - n - 2);
	p[len - 1] = '\0';
}

/* Read /proc/PID/NAME into buf (len - 1 bytes at most).  -1, or its length. */
static ssize_t
read_file(int dirfd, int32_t pid, const char *name, char *buf, size_t len)
{
	char path[56];
	ssize_t n, got = 0;
	int fd;

	proc_path(path, sizeof(path), dirfd, pid, name);
	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	/* cmdline can come in pieces (a page at a time). */
	while ((size_t)got < len - 1) {
		n = read(fd, buf + got, len - 1 - (size_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

static int
parse_u64(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		if (x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*s++ - '0');
	}
	*p = s;
	*v = x;
	return 0;
}

/* Fields of /proc/PID/stat: comm (2), state (3), ppid (4), starttime (22). */
static int
read_stat(int dirfd, int32_t pid, struct procstat *st)
{
	char buf[STAT_MAX];
	const char *p, *open, *close_;
	uint64_t v;
	ssize_t n;
	int field;

	if ((n = read_file(dirfd, pid, "stat", buf, sizeof(buf))) <= 0)
		return -1;
	/* comm may hold ") ": the last ')' ends it. */
	if ((open = strchr(buf, '(')) == NULL ||
	    (close_ = strrchr(buf, ')')) == NULL || close_ < open ||
	    close_[1] != ' ')
		return -1;
	st->comm_len = (size_t)(close_ - open - 1);
	if (st->comm_len > sizeof(st->comm) - 1)
		st->comm_len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, st->comm_len);
	st->comm[st->comm_len] = '\0';
	p = close_ + 2;
	st->state = *p;
	for (field = 3; field < 22; field++) {
		if ((p = strchr(p, ' ')) == NULL)
			return -1;
		p++;
		if (field + 1 == 4) {
			if (parse_u64(&p, &v) < 0 || v > INT32_MAX)
				return -1;
			st->ppid = (int32_t)v;
		}
	}
	if (parse_u64(&p, &st->start_ticks) < 0)
		return -1;
	return 0;
}

/*
 * A start time in clock ticks since boot as wall-clock ms: the boot time is
 * the real-time clock less the boot-time clock, now (to the ms, where
 * /proc/stat's btime gives seconds).
 */
static int64_t
wall_ms(uint64_t ticks, long hz)
{
	return clock_ms(CLOCK_REALTIME) - clock_ms(CLOCK_BOOTTIME) +
	    (int64_t)(ticks * 1000 / (uint64_t)hz);
}

int64_t
procctx_start_ms(int32_t pid)
{
	struct procstat st;
	long hz;

	if (pid <= 0 || read_stat(AT_FDCWD, pid, &st) < 0)
		return -1;
	if ((hz = sysconf(_SC_CLK_TCK)) <= 0)
		hz = 100;
	return wall_ms(st.start_ticks, hz);
}

/* args: NUL-separated; a trailing NUL ends the last one. */
static void
read_args(struct procctx *c, int32_t pid, struct entry *e)
{
	char *buf;
	ssize_t n;
	size_t i, len;

	free(e->args);
	e->args = NULL;
	e->args_len = 0;
	e->nargs = 0;
	e->args_truncated = 0;
	if (c->args_max == 0 ||
	    (buf = malloc(c->args_max + 2)) == NULL)
		return;
	if ((n = read_file(c->procfd, pid, "cmdline", buf,
	    c->args_max + 2)) <= 0) {
		free(buf);
		return;		/* a zombie or a kernel thread: none */
	}
	len = (size_t)n;
	if (len > c->args_max) {
		len = c->args_max;
		e->args_truncated = 1;
	}
	/* A process that rewrote its argv may leave no NUL at the end. */
	if (buf[len - 1] != '\0')
		buf[len++] = '\0';
	for (i = 0; i < len; i++)
		if (buf[i] == '\0')
			e->nargs++;
	e->args = buf;
	e->args_len = len;
}

static void
read_cwd(struct procctx *c, int32_t pid, struct entry *e)
{
	char path[56], buf[CWD_MAX];
	ssize_t n;

	free(e->cwd);
	e->cwd = NULL;
	e->cwd_len = 0;
	if (c->no_cwd)
		return;
	proc_path(path, sizeof(path), c->procfd, pid, "cwd");
	/* Needs ptrace read access: mostly a process without more
	 * capabilities than ours, of our own user. */
	if ((n = readlinkat(c->procfd, path, buf, sizeof(buf))) <= 0 ||
	    (size_t)n >= sizeof(buf) || buf[0] != '/')
		return;
	if ((e->cwd = malloc((size_t)n + 1)) == NULL)
		return;
	memcpy(e->cwd, buf, (size_t)n);
	e->cwd[n] = '\0';
	e->cwd_len = (size_t)n;
}

static void
read_cgroup(struct procctx *c, int32_t pid, struct entry *e, int64_t now)
{
	ssize_t n;

	e->cg_ms = now;
	if ((n = read_file(c->procfd, pid, "cgroup", c->buf,
	    sizeof(c->buf))) <= 0) {
		/* Keep what was read before: a zombie's may be empty. */
		return;
	}
	cgroup_info_parse(c->buf, (size_t)n, &e->cg);
	e->has_cg = 1;
}

static void
set_exe(struct entry *e, const char *exe, size_t len)
{
	free(e->exe);
	e->exe = NULL;
	e->exe_len = 0;
	if (exe == NULL || len == 0 || len > EXE_MAX ||
	    (e->exe = malloc(len + 1)) == NULL)
		return;
	memcpy(e->exe, exe, len);
	e->exe[len] = '\0';
	e->exe_len = len;
}

static int
same_exe(const struct entry *e, const char *exe, size_t len)
{
	if (exe == NULL || len == 0 || e->exe == NULL)
		return 1;	/* nothing to tell them apart by */
	return e->exe_len == len && memcmp(e->exe, exe, len) == 0;
}

/*
 * Whether the process's image is still the one of the record: its comm is
 * the record's (the main thread's name; an execve renames it), or the
 * basename of the record's exe (the record came from a thread with a name
 * of its own).  Otherwise the arguments and directory read now could be a
 * later program's: left out.
 */
static int
same_image(const struct procstat *st, const char *comm, size_t comm_len,
    const char *exe, size_t exe_len)
{
	const char *base;
	size_t n;

	if (comm == NULL || (comm_len == st->comm_len &&
	    memcmp(comm, st->comm, comm_len) == 0))
		return 1;
	if (exe == NULL || exe_len == 0)
		return 0;
	base = memrchr(exe, '/', exe_len);
	base = base != NULL ? base + 1 : exe;
	n = exe_len - (size_t)(base - exe);
	if (n > 15)
		n = 15;		/* TASK_COMM_LEN - 1 */
	return n == st->comm_len && memcmp(base, st->comm, n) == 0;
}

static void
read_image(struct procctx *c, int32_t pid, struct entry *e, int same)
{
	if (same) {
		read_args(c, pid, e);
		read_cwd(c, pid, e);
		return;
	}
	free(e->args);
	free(e->cwd);
	e->args = e->cwd = NULL;
	e->args_len = e->cwd_len = 0;
	e->nargs = 0;
	e->args_truncated = 0;
}

static struct entry *
find(struct procctx *c, int32_t pid)
{
	struct entry *set;
	size_t i;

	set = &c->e[((uint32_t)pid * 2654435761u >> 8 & (c->nsets - 1)) *
	    WAYS];
	for (i = 0; i < WAYS; i++)
		if (set[i].pid == pid)
			return &set[i];
	return NULL;
}

/* An empty way of pid's set, or its least recently used, emptied. */
static struct entry *
make_room(struct procctx *c, int32_t pid)
{
	struct entry *set, *victim;
	size_t i;

	set = &c->e[((uint32_t)pid * 2654435761u >> 8 & (c->nsets - 1)) *
	    WAYS];
	victim = &set[0];
	for (i = 0; i < WAYS; i++) {
		if (set[i].pid == 0) {
			victim = &set[i];
			break;
		}
		if (set[i].used < victim->used)
			victim = &set[i];
	}
	if (victim->pid != 0)
		c->n.evicted++;
	entry_clear(victim);
	return victim;
}

static const struct procctx_info *
answer(struct procctx *c, struct entry *e, enum procctx_source src)
{
	struct procctx_info *in = &c->info;

	memset(in, 0, sizeof(*in));
	in->source = src;
	in->ppid = -1;
	in->start_ms = -1;
	switch (src) {
	case PROCCTX_LIVE:
		c->n.live++;
		break;
	case PROCCTX_CACHED:
		c->n.cached++;
		break;
	default:
		c->n.gone++;
		break;
	}
	if (e == NULL)
		return in;
	e->used = ++c->clock;
	in->ppid = e->ppid;
	in->start_ms = e->start_ms;
	in->args = e->args;
	in->args_len = e->args_len;
	in->nargs = e->nargs;
	in->args_truncated = e->args_truncated;
	in->cwd = e->cwd;
	in->cwd_len = e->cwd_len;
	in->cg = e->has_cg ? &e->cg : NULL;
	return in;
}

const struct procctx_info *
procctx_lookup(struct procctx *c, int32_t pid, int64_t rec_ms,
    const char *comm, size_t comm_len, const char *exe, size_t exe_len)
{
	struct procstat st;
	struct entry *e;
	int64_t now, start_ms;
	int ours, newer = 0;

	if (pid <= 0)
		return answer(c, NULL, PROCCTX_GONE);
	e = find(c, pid);
	/*
	 * Seen alive at or after the record (the same coarse tick counts:
	 * a pid reused within 4 ms would need the whole pid space to wrap),
	 * and started before it: the same process, nothing to read.
	 */
	if (e != NULL && e->alive_ms >= rec_ms &&
	    e->start_ms <= rec_ms + PROCCTX_SLACK_MS &&
	    same_exe(e, exe, exe_len)) {
		c->n.hits++;
		return answer(c, e, PROCCTX_LIVE);
	}
	/* Taken before the read: the process was alive at least then. */
	now = clock_ms(CLOCK_REALTIME_COARSE);
	c->n.reads++;
	if (read_stat(c->procfd, pid, &st) == 0) {
		start_ms = wall_ms(st.start_ticks, c->hz);
		/*
		 * Started clearly before the record: the one that made it
		 * (two live processes never share a pid).  Within the slack
		 * of it, only if the names agree; after it, a newer one.
		 */
		ours = start_ms < rec_ms - PROCCTX_SLACK_MS ||
		    (start_ms <= rec_ms + PROCCTX_SLACK_MS && (comm == NULL ||
		    (comm_len == st.comm_len &&
		    memcmp(comm, st.comm, comm_len) == 0)));
		if (ours) {
			if (e == NULL || e->start_ticks != st.start_ticks) {
				e = e != NULL ? (entry_clear(e), e) :
				    make_room(c, pid);
				e->pid = pid;
				e->start_ticks = st.start_ticks;
				e->start_ms = start_ms;
				set_exe(e, exe, exe_len);
				/* A zombie's memory and directory are gone. */
				read_image(c, pid, e, st.state != 'Z' &&
				    same_image(&st, comm, comm_len, exe,
				    exe_len));
				read_cgroup(c, pid, e, now);
			} else if (!same_exe(e, exe, exe_len)) {
				/* An execve since we saw it. */
				set_exe(e, exe, exe_len);
				/* A zombie's memory and directory are gone. */
				read_image(c, pid, e, st.state != 'Z' &&
				    same_image(&st, comm, comm_len, exe,
				    exe_len));
				read_cgroup(c, pid, e, now);
			} else if (now - e->cg_ms >= CGROUP_REFRESH_MS &&
			    st.state != 'Z')
				read_cgroup(c, pid, e, now);
			e->ppid = st.ppid;
			e->alive_ms = now;
			return answer(c, e, PROCCTX_LIVE);
		}
		newer = e != NULL && e->start_ticks == st.start_ticks;
	}
	/*
	 * Gone, or its pid taken by a newer process: what was seen of a
	 * process with this pid that started before the record and ran the
	 * same executable.  (One that got the pid and ended unseen between
	 * our last sight and the record would need the pid space to wrap.)
	 */
	if (e != NULL && !newer && e->start_ms <= rec_ms + PROCCTX_SLACK_MS &&
	    same_exe(e, exe, exe_len))
		return answer(c, e, PROCCTX_CACHED);
	return answer(c, NULL, PROCCTX_GONE);
}
