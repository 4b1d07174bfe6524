/*
 * reporter/sink_file: appending, rotation at line boundaries, keep, mode
 * and group, reopen after logrotate, a full file system, and all of it
 * under the daemon's own seccomp list.  Lines are numbered and their
 * padding derives from the number, so every file read back is checked
 * line by line against what was written: none split, none lost, in order.
 * Runs as root: the group, ENOSPC (a tmpfs in a private mount namespace)
 * and seccomp cases shed privileges or load a filter in forked children.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/fs.h>

#include "policy/policy.h"
#include "policy/privs.h"
#include "reporter/sink.h"
#include "tests/sanitizer.h"

#define CHILD_PASS	42
#define CHILD_SECONDS	30	/* SIGALRM ends a child that hangs */
#define GROUP_OTHER	((gid_t)4242)	/* a gid nobody here holds */
#define NOBODY		((uid_t)65534)

/* ---- numbered lines ---- */

/* How long line n's padding is: mostly short, every big_every-th huge. */
struct run {
	uint32_t	seed;
	size_t		max_pad;
	unsigned	big_every;	/* 0: none */
	size_t		big_pad;
};

static size_t
pad_of(const struct run *r, unsigned n)
{
	uint32_t x = r->seed ^ (n * 2654435761u);

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	if (r->big_every && n % r->big_every == r->big_every - 1)
		return r->big_pad;
	return x % (r->max_pad + 1);
}

/* Line n, '\n' included, into buf (NUL-terminated).  Its length. */
static size_t
line_make(const struct run *r, unsigned n, char *buf, size_t cap)
{
	size_t pad = pad_of(r, n), len;
	int h;

	h = snprintf(buf, cap, "{\"n\":%u,\"pad\":\"", n);
	assert_true(h > 0 && (size_t)h + pad + 3 < cap);
	len = (size_t)h;
	memset(buf + len, 'a' + (char)(n % 26), pad);
	len += pad;
	memcpy(buf + len, "\"}\n", 4);
	return len + 3;
}

#define LINE_MAX_LEN (64 * 1024)

/* Lines first .. first+count-1, concatenated (heap); *len set. */
static char *
lines_make(const struct run *r, unsigned first, unsigned count, size_t *len)
{
	char *buf, line[LINE_MAX_LEN];
	size_t n = 0, cap = 4096, l;
	unsigned i;

	buf = malloc(cap);
	assert_non_null(buf);
	for (i = first; i < first + count; i++) {
		l = line_make(r, i, line, sizeof(line));
		while (n + l + 1 > cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		memcpy(buf + n, line, l);
		n += l;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * Write lines first .. first+count-1 in batches of 1 to max_batch lines
 * (a fixed sequence from the seed), each expected to succeed.
 */
static void
write_lines(struct sink *s, const struct run *r, unsigned first,
    unsigned count, unsigned max_batch)
{
	uint32_t x = r->seed | 1;
	unsigned i = first, b;
	size_t len;
	char *buf;

	while (i < first + count) {
		x = x * 1103515245u + 12345u;
		b = 1 + (x >> 16) % max_batch;
		if (b > first + count - i)
			b = first + count - i;
		buf = lines_make(r, i, b, &len);
		if (sink_write(s, buf, len, b) != 0)
			fail_msg("sink_write of lines %u..%u: %s", i, i + b - 1,
			    strerror(errno));
		free(buf);
		i += b;
	}
}

/*
 * Check that data[0..len) is whole lines of run r with consecutive numbers
 * from *next on (any start when *next is UINT32_MAX); *next is left after
 * the last.  The number of lines.
 */
static unsigned
check_lines(const struct run *r, const char *what, const char *data,
    size_t len, unsigned *next)
{
	char want[LINE_MAX_LEN];
	const char *p = data, *nl, *end = data + len;
	unsigned n, count = 0;
	size_t l;
	char *e;

	if (len > 0 && data[len - 1] != '\n')
		fail_msg("%s does not end with a line end", what);
	for (; p < end; p = nl + 1, count++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (strncmp(p, "{\"n\":", 5) != 0)
			fail_msg("%s: line %u is not one of ours: %.40s", what,
			    count, p);
		n = (unsigned)strtoul(p + 5, &e, 10);
		if (*next != UINT32_MAX && n != *next)
			fail_msg("%s: line %u is number %u, expected %u", what,
			    count, n, *next);
		l = line_make(r, n, want, sizeof(want));
		if ((size_t)(nl + 1 - p) != l || memcmp(p, want, l) != 0)
			fail_msg("%s: line %u (number %u) is damaged", what,
			    count, n);
		*next = n + 1;
	}
	return count;
}

/* ---- files ---- */

struct fx {
	char	dir[64];
	char	path[128];
};

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/sm-sink-file-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/events.json", f->dir);
	umask(077);	/* as the unit's UMask= */
	*state = f;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	(void)nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* The whole file (heap, NUL-terminated), or NULL when it does not exist. */
static char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return NULL;
		fail_msg("%s: %s", path, strerror(errno));
	}
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	while (got < (size_t)st.st_size &&
	    (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	assert_int_equal(got, (size_t)st.st_size);
	buf[got] = '\0';
	*len = got;
	return buf;
}

static char *
slurp_n(const char *path, unsigned i, size_t *len)
{
	char name[256];

	if (i == 0)
		return slurp(path, len);
	snprintf(name, sizeof(name), "%s.%u", path, i);
	return slurp(name, len);
}

static int
exists_n(const char *path, unsigned i)
{
	char name[256];
	struct stat st;

	snprintf(name, sizeof(name), "%s.%u", path, i);
	return lstat(name, &st) == 0;
}

/*
 * Check path.k ... path.1, path (oldest first) as one rotated run: whole
 * consecutive lines across them all; each file non-empty, within max
 * unless it holds one line only, and rotated only when the next line did
 * not fit.  Returns the number of files; *first and *last: line numbers.
 */
static unsigned
check_chain(const struct run *r, const char *path, unsigned keep,
    uint64_t max, unsigned *first, unsigned *last)
{
	char what[300];
	char *data;
	size_t len, prev_len = 0;
	unsigned i, next = UINT32_MAX, nlines, files = 0, before;
	int have_prev = 0;

	*first = UINT32_MAX;
	for (i = keep + 1; i-- > 0;) {
		if ((data = slurp_n(path, i, &len)) == NULL) {
			if (i == 0 || have_prev)
				fail_msg("%s.%u missing in the middle", path,
				    i);
			continue;
		}
		snprintf(what, sizeof(what), "%s.%u", path, i);
		if (len == 0 && i > 0)
			fail_msg("%s is empty", what);
		before = next;
		nlines = check_lines(r, what, data, len, &next);
		if (*first == UINT32_MAX)
			*first = before == UINT32_MAX ? next - nlines : before;
		if (len > max && nlines != 1)
			fail_msg("%s: %zu bytes, %u lines, beyond %llu", what,
			    len, nlines, (unsigned long long)max);
		/* The previous file was full: this one's first line did
		 * not fit in it. */
		if (have_prev && len > 0) {
			const char *nl = memchr(data, '\n', len);
			size_t l1 = (size_t)(nl - data) + 1;

			if (prev_len + l1 <= max)
				fail_msg("%s.%u rotated at %zu bytes though "
				    "the next line (%zu) fitted", path, i + 1,
				    prev_len, l1);
		}
		prev_len = len;
		have_prev = 1;
		files++;
		free(data);
	}
	*last = next - 1;
	return files;
}

static struct sink *
open_sink(const char *path, uint64_t rotate, unsigned keep, mode_t mode,
    gid_t group)
{
	struct sink_file_opts o = { path, rotate, keep, mode, group };
	char err[256] = "";
	struct sink *s;

	if ((s = sink_file_new(&o, err, sizeof(err))) == NULL)
		fail_msg("sink_file_new: %s", err);
	return s;
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		fail_msg("%s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

static gid_t
group_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		fail_msg("%s: %s", path, strerror(errno));
	return st.st_gid;
}

static void
put_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* ---- children ---- */

static int child_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Say why on stderr with one write(2), which every filter here allows. */
static int
child_fail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "child: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(2, buf, (size_t)n);
	return -1;
}

static void
want_child(pid_t pid, const char *what)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		fail_msg("%s: child killed by signal %d%s", what, WTERMSIG(st),
		    WTERMSIG(st) == SIGSYS ? " (a call outside the built-in "
		    "seccomp list)" : "");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != CHILD_PASS)
		fail_msg("%s: child exit %d (see its message above)", what,
		    WEXITSTATUS(st));
}

/*
 * Load the daemon's built-in list for this arch, but with kill_process as
 * the default action: a call missing from the list kills the child with
 * SIGSYS instead of failing quietly with EPERM.
 */
static int
load_builtin(void)
{
	struct errlist errs;
	struct policy p;
	scmp_filter_ctx ctx;
	long tid;
	int rc;

	memset(&errs, 0, sizeof(errs));
	if (policy_builtin(&p, policy_native_arch()) < 0)
		return child_fail("no built-in policy for this arch");
	p.default_action = POLICY_KILL_PROCESS;
	ctx = policy_compile(&p, &errs);
	policy_free(&p);
	if (ctx == NULL)
		return child_fail("policy_compile: %s", errs.n ?
		    errs.e[0].msg : strerror(errno));
	rc = sanitizer_allow(ctx) < 0 ? -1 : policy_load(ctx, 1, &tid);
	seccomp_release(ctx);
	if (rc < 0)
		return child_fail("policy_load: %s", strerror(errno));
	return 0;
}

/* ---- appending and opening ---- */

static void
sink_file_new__missing_file__created_with_mode_despite_umask(void **state)
{
	struct fx *f = *state;
	struct sink *s;
	char name[160];
	size_t len;
	char *data;

	s = open_sink(f->path, 0, 0, 0640, (gid_t)-1);
	snprintf(name, sizeof(name), "file:%s", f->path);
	assert_string_equal(sink_name(s), name);
	assert_true(sink_is_stream(s));
	assert_int_equal(mode_of(f->path), 0640);
	assert_int_equal(sink_write(s, "{\"a\":1}\n", 8, 1), 0);
	sink_free(s);
	data = slurp(f->path, &len);
	assert_string_equal(data, "{\"a\":1}\n");
	free(data);
}

static void
sink_file_write__existing_file__appended_mode_untouched(void **state)
{
	struct fx *f = *state;
	struct sink *s;
	size_t len;
	char *data;

	put_file(f->path, "{\"old\":1}\n", 0604);
	s = open_sink(f->path, 0, 0, 0640, (gid_t)-1);
	assert_int_equal(sink_write(s, "{\"b\":2}\n{\"c\":3}\n", 16, 2), 0);
	assert_int_equal(sink_counters(s)->events, 2);
	assert_int_equal(sink_counters(s)->bytes, 16);
	sink_free(s);
	data = slurp(f->path, &len);
	assert_string_equal(data, "{\"old\":1}\n{\"b\":2}\n{\"c\":3}\n");
	free(data);
	/* Not created by the sink: its mode is the administrator's. */
	assert_int_equal(mode_of(f->path), 0604);
}

static void
sink_file_new__symlink__refused_target_untouched(void **state)
{
	struct fx *f = *state;
	struct sink_file_opts o = { f->path, 0, 0, 0640, (gid_t)-1 };
	char target[160], err[256] = "";
	size_t len;
	char *data;

	snprintf(target, sizeof(target), "%s/target", f->dir);
	put_file(target, "precious\n", 0600);
	assert_int_equal(symlink(target, f->path), 0);
	assert_null(sink_file_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "symbolic link"));
	assert_non_null(strstr(err, f->path));
	data = slurp(target, &len);
	assert_string_equal(data, "precious\n");
	free(data);
}

static void
sink_file_new__fifo__refused_without_blocking(void **state)
{
	struct fx *f = *state;
	struct sink_file_opts o = { f->path, 0, 0, 0640, (gid_t)-1 };
	char err[256] = "";

	assert_int_equal(mkfifo(f->path, 0600), 0);
	assert_null(sink_file_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "not a regular file"));
}

/*
 * A FIFO with a reader opens: the check after the open must refuse it, with
 * its own words and errno, not whatever errno an earlier call left.
 */
static void
sink_file_new__fifo_with_reader__not_a_regular_file(void **state)
{
	struct fx *f = *state;
	struct sink_file_opts o = { f->path, 0, 0, 0640, (gid_t)-1 };
	char err[256] = "";
	int rfd;

	assert_int_equal(mkfifo(f->path, 0600), 0);
	rfd = open(f->path, O_RDONLY | O_NONBLOCK);
	assert_true(rfd >= 0);
	assert_null(sink_file_new(&o, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
	(void)close(rfd);
}

static void
sink_file_new__character_device__not_a_regular_file(void **state)
{
	struct sink_file_opts o = { "/dev/null", 0, 0, 0640, (gid_t)-1 };
	char err[256] = "";

	(void)state;
	assert_null(sink_file_new(&o, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_string_equal(err, "/dev/null: not a regular file");
}

static void
sink_file_new__missing_directory__error_names_it(void **state)
{
	struct fx *f = *state;
	struct sink_file_opts o = { NULL, 0, 0, 0640, (gid_t)-1 };
	char path[160], err[256] = "";

	snprintf(path, sizeof(path), "%s/none/events.json", f->dir);
	o.path = path;
	assert_null(sink_file_new(&o, err, sizeof(err)));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(err, "/none"));
}

static void
sink_file_new__bad_options__refused(void **state)
{
	struct fx *f = *state;
	struct sink_file_opts o = { "", 0, 0, 0640, (gid_t)-1 };
	char path[160], err[256] = "";

	assert_null(sink_file_new(&o, err, sizeof(err)));
	snprintf(path, sizeof(path), "%s/", f->dir);
	o.path = path;
	assert_null(sink_file_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "not a file name"));
	o.path = f->path;
	o.keep = SINK_FILE_KEEP_MAX + 1;
	assert_null(sink_file_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "keep"));
}

/* ---- rotation ---- */

static void
sink_file_write__random_lines__rotated_at_line_boundaries(void **state)
{
	struct fx *f = *state;
	/* Lines of 20 to 420 bytes; every 400th is 6000, past rotate_size. */
	const struct run r = { 0x5eed1u, 400, 400, 6000 };
	const unsigned keep = 300, lines = 2000;
	struct sink *s;
	unsigned first, last, files;

	s = open_sink(f->path, 4096, keep, 0640, (gid_t)-1);
	write_lines(s, &r, 0, lines, 25);
	assert_int_equal(sink_counters(s)->events, lines);
	assert_int_equal(sink_counters(s)->events_lost, 0);
	sink_free(s);
	files = check_chain(&r, f->path, keep, 4096, &first, &last);
	/* Nothing dropped: every line is there, exactly once, in order. */
	assert_false(exists_n(f->path, keep));
	assert_int_equal(first, 0);
	assert_int_equal(last, lines - 1);
	assert_true(files > 100);
	assert_int_equal(mode_of(f->path), 0640);
}

static void
sink_file_write__keep_3__oldest_dropped(void **state)
{
	struct fx *f = *state;
	const struct run r = { 0xabcdu, 150, 0, 0 };
	struct sink *s;
	unsigned first, last;

	s = open_sink(f->path, 1000, 3, 0640, (gid_t)-1);
	write_lines(s, &r, 0, 600, 10);
	sink_free(s);
	assert_int_equal(check_chain(&r, f->path, 3, 1000, &first, &last), 4);
	assert_false(exists_n(f->path, 4));
	assert_int_equal(last, 599);
	assert_true(first > 0);
	assert_int_equal(mode_of(f->path), 0640);
}

static void
sink_file_write__keep_0__emptied_in_place(void **state)
{
	struct fx *f = *state;
	const struct run r = { 0x77u, 150, 0, 0 };
	struct stat before, after;
	struct sink *s;
	unsigned first, last;

	s = open_sink(f->path, 1000, 0, 0640, (gid_t)-1);
	assert_int_equal(stat(f->path, &before), 0);
	write_lines(s, &r, 0, 300, 10);
	sink_free(s);
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(check_chain(&r, f->path, 0, 1000, &first, &last), 1);
	assert_false(exists_n(f->path, 1));
	assert_int_equal(last, 299);
	assert_true(first > 0);
}

/* A directory where path.1 should go: rotation fails, nothing is lost. */
static void
sink_file_write__rotation_refused__lines_kept_failure_reported(void **state)
{
	struct fx *f = *state;
	const struct run r = { 0x99u, 50, 0, 0 };
	char p1[160], sub[200];
	struct sink *s;
	unsigned next = 0;
	uint64_t lost = 99;
	size_t len;
	char *buf, *data;
	int err = 0;

	snprintf(p1, sizeof(p1), "%s.1", f->path);
	assert_int_equal(mkdir(p1, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/x", p1);
	assert_int_equal(mkdir(sub, 0700), 0);
	s = open_sink(f->path, 200, 1, 0640, (gid_t)-1);
	buf = lines_make(&r, 0, 20, &len);
	assert_true(len > 200);
	assert_int_equal(sink_write(s, buf, len, 20), -1);
	free(buf);
	/* All 20 kept, in the file past its size; the failure is said. */
	assert_int_equal(sink_counters(s)->events, 20);
	assert_int_equal(sink_counters(s)->events_lost, 0);
	assert_int_equal(sink_health(s, &err, &lost), 1);
	assert_true(err == EISDIR || err == ENOTEMPTY || err == EEXIST);
	/* Out of the way: the next line rotates, and it works again. */
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(p1), 0);
	write_lines(s, &r, 20, 1, 1);
	assert_int_equal(sink_health(s, &err, &lost), 2);
	assert_int_equal(lost, 0);
	sink_free(s);
	data = slurp_n(f->path, 1, &len);
	assert_non_null(data);
	assert_int_equal(check_lines(&r, "path.1", data, len, &next), 20);
	free(data);
	data = slurp(f->path, &len);
	assert_int_equal(check_lines(&r, "path", data, len, &next), 1);
	free(data);
}

/* ---- reopen ---- */

static void
sink_reopen__after_external_rename__new_file_created(void **state)
{
	struct fx *f = *state;
	const struct run r = { 0x42u, 80, 0, 0 };
	char moved[160];
	struct sink *s;
	size_t len;
	unsigned next = 0;
	char *data;

	snprintf(moved, sizeof(moved), "%s.x", f->path);
	s = open_sink(f->path, 0, 0, 0640, (gid_t)-1);
	write_lines(s, &r, 0, 10, 3);
	/* logrotate without copytruncate: mv, then SIGHUP. */
	assert_int_equal(rename(f->path, moved), 0);
	write_lines(s, &r, 10, 10, 3);		/* still to the moved file */
	assert_int_equal(sink_reopen(s), 0);
	write_lines(s, &r, 20, 10, 3);
	sink_free(s);
	data = slurp(moved, &len);
	assert_int_equal(check_lines(&r, "moved", data, len, &next), 20);
	free(data);
	data = slurp(f->path, &len);
	assert_int_equal(check_lines(&r, "new", data, len, &next), 10);
	free(data);
	assert_int_equal(mode_of(f->path), 0640);
}

static void
sink_reopen__logrotate_created_file__appended_as_is(void **state)
{
	struct fx *f = *state;
	char moved[160];
	struct sink *s;
	size_t len;
	char *data;

	snprintf(moved, sizeof(moved), "%s.x", f->path);
	s = open_sink(f->path, 0, 0, 0640, (gid_t)-1);
	assert_int_equal(rename(f->path, moved), 0);
	put_file(f->path, "{\"by\":\"logrotate\"}\n", 0604);
	assert_int_equal(sink_reopen(s), 0);
	assert_int_equal(sink_write(s, "{\"a\":1}\n", 8, 1), 0);
	sink_free(s);
	data = slurp(f->path, &len);
	assert_string_equal(data, "{\"by\":\"logrotate\"}\n{\"a\":1}\n");
	free(data);
	assert_int_equal(mode_of(f->path), 0604);
}

/* Reopen fails: the old file goes on, nothing lost. */
static void
sink_reopen__directory_gone__old_file_kept(void **state)
{
	struct fx *f = *state;
	char dir[160], dir2[160], path[200], path2[200];
	struct sink *s;
	size_t len;
	char *data;

	snprintf(dir, sizeof(dir), "%s/sub", f->dir);
	snprintf(dir2, sizeof(dir2), "%s/sub2", f->dir);
	snprintf(path, sizeof(path), "%s/events.json", dir);
	snprintf(path2, sizeof(path2), "%s/events.json", dir2);
	assert_int_equal(mkdir(dir, 0700), 0);
	s = open_sink(path, 0, 0, 0640, (gid_t)-1);
	assert_int_equal(sink_write(s, "{\"a\":1}\n", 8, 1), 0);
	assert_int_equal(rename(dir, dir2), 0);
	assert_int_equal(sink_reopen(s), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sink_write(s, "{\"b\":2}\n", 8, 1), 0);
	sink_free(s);
	data = slurp(path2, &len);
	assert_string_equal(data, "{\"a\":1}\n{\"b\":2}\n");
	free(data);
}

/* ---- group, after privileges are shed ---- */

enum who { AS_NOBODY_IN_GROUP, AS_ROOT_IN_GROUP, AS_ROOT_NOT_IN_GROUP };

/* In a child: open as root, shed as who says, rotate twice. */
static int
group_child(const char *path, enum who who)
{
	const struct run r = { 0x6u, 40, 0, 0 };
	static const struct privs_user nobody = { NOBODY, NOBODY, "nobody" };
	const gid_t groups[] = { GROUP_OTHER };
	struct privs_keep k = { 0, NULL, groups, 1 };
	struct sink_file_opts o = { path, 300, 5, 0640, GROUP_OTHER };
	char err[256];
	struct sink *s;
	size_t len;
	char *buf;
	int rc;

	if ((s = sink_file_new(&o, err, sizeof(err))) == NULL)
		return child_fail("sink_file_new: %s", err);
	if (who == AS_NOBODY_IN_GROUP)
		k.user = &nobody;
	if (who == AS_ROOT_NOT_IN_GROUP)
		k.ngroups = 0;
	if (privs_shed(&k, err, sizeof(err)) < 0)
		return child_fail("privs_shed: %s", err);
	buf = lines_make(&r, 0, 30, &len);	/* 30 lines of 20-60 bytes */
	rc = sink_write(s, buf, len, 30);
	free(buf);
	if (who == AS_ROOT_NOT_IN_GROUP) {
		/* Reported, but no line lost: they are in the new file. */
		if (rc != -1 || errno != EPERM)
			return child_fail("sink_write: %d (%s), expected -1 "
			    "EPERM", rc, strerror(errno));
		if (sink_counters(s)->events_lost != 0)
			return child_fail("lines lost");
	} else if (rc != 0)
		return child_fail("sink_write: %s", strerror(errno));
	sink_free(s);
	return 0;
}

static void
run_group(struct fx *f, enum who who)
{
	const struct run r = { 0x6u, 40, 0, 0 };
	unsigned first, last, i;
	char name[200];
	struct stat st;
	pid_t pid;

	/* nobody must be able to create files in the directory. */
	if (who == AS_NOBODY_IN_GROUP)
		assert_int_equal(chown(f->dir, NOBODY, (gid_t)-1), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(CHILD_SECONDS);
		_exit(group_child(f->path, who) == 0 ? CHILD_PASS : 1);
	}
	want_child(pid, "group");
	assert_true(check_chain(&r, f->path, 5, 300, &first, &last) >= 3);
	assert_int_equal(first, 0);
	assert_int_equal(last, 29);
	/*
	 * The oldest file was made as root before shedding (CAP_CHOWN);
	 * the others after, by a member of the group or, failing, not.
	 */
	for (i = 5; i > 0 && !exists_n(f->path, i); i--)
		;
	assert_true(i >= 2);
	snprintf(name, sizeof(name), "%s.%u", f->path, i);
	assert_int_equal(stat(name, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_gid, GROUP_OTHER);
	while (i-- > 0) {
		snprintf(name, sizeof(name), i ? "%s.%u" : "%s", f->path, i);
		assert_int_equal(stat(name, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0640);
		assert_int_equal(st.st_uid, who == AS_NOBODY_IN_GROUP ?
		    NOBODY : 0);
		if (who == AS_ROOT_NOT_IN_GROUP)
			assert_int_not_equal(st.st_gid, GROUP_OTHER);
		else
			assert_int_equal(st.st_gid, GROUP_OTHER);
	}
}

static void
sink_file_write__shed_to_user_in_group__rotated_files_get_group(void **state)
{
	run_group(*state, AS_NOBODY_IN_GROUP);
}

static void
sink_file_write__root_without_caps_in_group__rotated_files_get_group(
    void **state)
{
	run_group(*state, AS_ROOT_IN_GROUP);
}

static void
sink_file_write__root_without_caps_not_in_group__eperm_lines_kept(
    void **state)
{
	run_group(*state, AS_ROOT_NOT_IN_GROUP);
}

/* ---- a full file system ---- */

enum full { FULL_PLAIN, FULL_FILTERED, FULL_APPEND_ONLY };

/* What the writer tells the verifier after each step. */
struct full_report {
	uint64_t	kept_total;	/* bytes the sink accepted so far */
	int		rc;		/* of the last sink_write */
	int		err;
	unsigned	next;		/* the line number the next batch has */
};

static const struct run full_run = { 0xf00du, 300, 0, 0 };

static int
report(int fd, const struct sink *s, int rc, int err, unsigned next)
{
	struct full_report r = { sink_counters(s)->bytes, rc, err, next };

	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		return child_fail("reporting: %s", strerror(errno));
	return 0;
}

static int
await(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		return child_fail("no word from the verifier");
	return 0;
}

/*
 * The writer: batches until one fails; with an append-only file, one more
 * batch while the disk is still full; then, once space was freed, one
 * more.  Each step is reported.  FULL_FILTERED: under the built-in list.
 */
static int
full_writer(const char *path, enum full how, int rep, int go)
{
	struct sink_file_opts o = { path, 0, 0, 0640, (gid_t)-1 };
	char err[256];
	struct sink *s;
	unsigned n = 0, b;
	uint64_t before;
	size_t len;
	char *buf;
	int rc;

	if ((s = sink_file_new(&o, err, sizeof(err))) == NULL)
		return child_fail("sink_file_new: %s", err);
	if (how == FULL_FILTERED && load_builtin() < 0)
		return -1;
	do {
		if (n > 100000)
			return child_fail("the file system never filled");
		b = 7 + n % 5;
		buf = lines_make(&full_run, n, b, &len);
		before = sink_counters(s)->bytes;
		rc = sink_write(s, buf, len, b);
		free(buf);
		n += b;
	} while (rc == 0);
	/*
	 * The point of the test: a batch the disk took part of (with an
	 * append-only file, its half line is kept to be finished: the
	 * verifier sees it).
	 */
	if (how != FULL_APPEND_ONLY && (sink_counters(s)->bytes == before ||
	    sink_counters(s)->bytes == before + len))
		return child_fail("the failing batch was not cut mid-batch "
		    "(%llu of %zu kept)", (unsigned long long)
		    (sink_counters(s)->bytes - before), len);
	if (report(rep, s, rc, errno, n) < 0 || await(go) < 0)
		return -1;
	if (how == FULL_APPEND_ONLY) {
		buf = lines_make(&full_run, n, 5, &len);
		rc = sink_write(s, buf, len, 5);
		free(buf);
		n += 5;
		if (report(rep, s, rc, errno, n) < 0 || await(go) < 0)
			return -1;
	}
	buf = lines_make(&full_run, n, 5, &len);
	rc = sink_write(s, buf, len, 5);
	free(buf);
	if (rc != 0)
		return child_fail("the batch after space was freed: %s",
		    strerror(errno));
	sink_free(s);
	return 0;
}

static int
get_report(int fd, struct full_report *r)
{
	if (read(fd, r, sizeof(*r)) != (ssize_t)sizeof(*r))
		return child_fail("no report from the writer");
	return 0;
}

/*
 * The verifier, in a private mount namespace with a tmpfs of 16 pages.
 * Whole lines only, except that an append-only file, which cannot be cut,
 * holds the start of one line until the disk has room for its rest.
 */
static int
full_verifier(const char *dir, const char *path, enum full how)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len, flen, whole;
	struct full_report r1, r2;
	char filler[200], opts[64], line[LINE_MAX_LEN], *data, *buf;
	int rep[2], go[2], st, fd, flags;
	unsigned next = 0;
	const char *nl;
	pid_t pid;

	snprintf(opts, sizeof(opts), "size=%zu,mode=0700", 16 * page);
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, opts) < 0)
		return child_fail("a private tmpfs: %s", strerror(errno));
	/* 4 pages to free later, so that the last batch has room. */
	snprintf(filler, sizeof(filler), "%s/filler", dir);
	buf = calloc(4, page);
	if ((fd = open(filler, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0 ||
	    buf == NULL || write(fd, buf, 4 * page) != (ssize_t)(4 * page))
		return child_fail("filler: %s", strerror(errno));
	close(fd);
	free(buf);
	if (how == FULL_APPEND_ONLY) {
		/* chattr +a: appends only; ftruncate fails EPERM. */
		fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
			return child_fail("lsattr: %s", strerror(errno));
		flags |= FS_APPEND_FL;
		if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
			return child_fail("chattr +a: %s", strerror(errno));
		close(fd);
	}
	if (pipe(rep) < 0 || pipe(go) < 0)
		return child_fail("pipe: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0)
		return child_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		close(rep[0]);
		close(go[1]);
		alarm(CHILD_SECONDS);
		_exit(full_writer(path, how, rep[1], go[0]) == 0 ?
		    CHILD_PASS : 1);
	}
	close(rep[1]);
	close(go[0]);
	if (get_report(rep[0], &r1) < 0)
		return -1;
	if (r1.rc != -1 || r1.err != ENOSPC)
		return child_fail("the failing batch: %d (%s), expected -1 "
		    "ENOSPC", r1.rc, strerror(r1.err));
	if ((data = slurp(path, &len)) == NULL)
		return child_fail("no file");
	nl = memrchr(data, '\n', len);
	whole = nl != NULL ? (size_t)(nl - data) + 1 : 0;
	(void)check_lines(&full_run, "full", data, whole, &next);
	if (how != FULL_APPEND_ONLY && len != r1.kept_total)
		return child_fail("%zu bytes in the file, %llu kept", len,
		    (unsigned long long)r1.kept_total);
	if (how == FULL_APPEND_ONLY) {
		/* The start of line next, its rest counted as kept. */
		flen = line_make(&full_run, next, line, sizeof(line));
		if (len == whole || memcmp(data + whole, line, len - whole) ||
		    whole + flen != r1.kept_total)
			return child_fail("no half line %u of %zu bytes after "
			    "%zu whole ones (%zu in the file, %llu kept)", next,
			    flen, whole, len, (unsigned long long)
			    r1.kept_total);
		next++;
		/* Still full: the next batch is dropped whole. */
		if (write(go[1], "g", 1) != 1 || get_report(rep[0], &r2) < 0)
			return -1;
		free(data);
		if (r2.rc != -1 || r2.kept_total != r1.kept_total ||
		    (data = slurp(path, &flen)) == NULL || flen != len)
			return child_fail("a batch after a half line: %d, "
			    "kept %llu of %llu, file %zu of %zu", r2.rc,
			    (unsigned long long)r2.kept_total,
			    (unsigned long long)r1.kept_total, flen, len);
		r1.next = r2.next;
	}
	free(data);
	if (unlink(filler) < 0 || write(go[1], "g", 1) != 1)
		return child_fail("freeing space: %s", strerror(errno));
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != CHILD_PASS)
		return child_fail("the writer failed (status 0x%x)",
		    (unsigned)st);
	/* Whole lines, then the last batch right after them. */
	if ((data = slurp(path, &flen)) == NULL)
		return child_fail("no file");
	next = 0;
	(void)check_lines(&full_run, "full", data, r1.kept_total, &next);
	next = r1.next;
	if (check_lines(&full_run, "last batch", data + r1.kept_total,
	    flen - r1.kept_total, &next) != 5)
		return child_fail("the last batch is not whole");
	free(data);
	return 0;
}

static void
run_full(struct fx *f, enum full how)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(CHILD_SECONDS);
		_exit(full_verifier(f->dir, f->path, how) == 0 ?
		    CHILD_PASS : 1);
	}
	want_child(pid, "ENOSPC");
}

static void
sink_file_write__enospc_mid_batch__whole_lines_kept_retried(void **state)
{
	run_full(*state, FULL_PLAIN);
}

static void
sink_file_write__enospc_under_builtin_seccomp__whole_lines_kept(
    void **state)
{
	run_full(*state, FULL_FILTERED);
}

static void
sink_file_write__enospc_append_only__half_line_finished_later(void **state)
{
	run_full(*state, FULL_APPEND_ONLY);
}

/* ---- under the daemon's own seccomp list ---- */

static const struct run sc_run = { 0x5ecu, 120, 0, 0 };

/*
 * Rotate with mode and group, reopen after the parent moved the file,
 * rotate again: every call the sink makes after the filter is in the
 * built-in list, or the child dies of SIGSYS.
 */
static int
seccomp_child(const char *path, int rep, int go)
{
	struct sink_file_opts o = { path, 1500, 3, 0640, getegid() };
	char err[256], c;
	struct sink *s;
	unsigned n;
	size_t len;
	char *buf;

	if ((s = sink_file_new(&o, err, sizeof(err))) == NULL)
		return child_fail("sink_file_new: %s", err);
	if (load_builtin() < 0)
		return -1;
	for (n = 0; n < 200; n += 10) {
		buf = lines_make(&sc_run, n, 10, &len);
		if (sink_write(s, buf, len, 10) != 0)
			return child_fail("sink_write %u: %s", n,
			    strerror(errno));
		free(buf);
	}
	if (write(rep, "m", 1) != 1 || read(go, &c, 1) != 1)
		return child_fail("talking to the parent");
	if (sink_reopen(s) != 0)
		return child_fail("sink_reopen: %s", strerror(errno));
	for (; n < 400; n += 10) {
		buf = lines_make(&sc_run, n, 10, &len);
		if (sink_write(s, buf, len, 10) != 0)
			return child_fail("sink_write %u: %s", n,
			    strerror(errno));
		free(buf);
	}
	sink_free(s);
	return 0;
}

static void
sink_file__rotation_and_reopen_under_builtin_seccomp__allowed(void **state)
{
	struct fx *f = *state;
	char moved[160], c;
	int rep[2], go[2];
	unsigned first, last, next = UINT32_MAX;
	size_t len;
	char *data;
	pid_t pid;

	snprintf(moved, sizeof(moved), "%s.x", f->path);
	assert_int_equal(pipe(rep), 0);
	assert_int_equal(pipe(go), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(rep[0]);
		close(go[1]);
		alarm(CHILD_SECONDS);
		_exit(seccomp_child(f->path, rep[1], go[0]) == 0 ?
		    CHILD_PASS : 1);
	}
	close(rep[1]);
	close(go[0]);
	if (read(rep[0], &c, 1) != 1) {
		want_child(pid, "seccomp");
		fail_msg("the child ended early");
	}
	assert_int_equal(rename(f->path, moved), 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	want_child(pid, "seccomp");
	close(rep[0]);
	close(go[1]);
	/* The moved file ends with line 199; the new chain with 399. */
	data = slurp(moved, &len);
	check_lines(&sc_run, "moved", data, len, &next);
	assert_int_equal(next, 200);
	free(data);
	assert_int_equal(check_chain(&sc_run, f->path, 3, 1500, &first,
	    &last), 4);
	assert_int_equal(last, 399);
	assert_int_equal(mode_of(f->path), 0640);
	assert_int_equal(group_of(f->path), getegid());
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

static const struct CMUnitTest tests[] = {
	T(sink_file_new__missing_file__created_with_mode_despite_umask),
	T(sink_file_write__existing_file__appended_mode_untouched),
	T(sink_file_new__symlink__refused_target_untouched),
	T(sink_file_new__fifo__refused_without_blocking),
	T(sink_file_new__fifo_with_reader__not_a_regular_file),
	T(sink_file_new__character_device__not_a_regular_file),
	T(sink_file_new__missing_directory__error_names_it),
	T(sink_file_new__bad_options__refused),
	T(sink_file_write__random_lines__rotated_at_line_boundaries),
	T(sink_file_write__keep_3__oldest_dropped),
	T(sink_file_write__keep_0__emptied_in_place),
	T(sink_file_write__rotation_refused__lines_kept_failure_reported),
	T(sink_reopen__after_external_rename__new_file_created),
	T(sink_reopen__logrotate_created_file__appended_as_is),
	T(sink_reopen__directory_gone__old_file_kept),
	T(sink_file_write__shed_to_user_in_group__rotated_files_get_group),
	T(sink_file_write__root_without_caps_in_group__rotated_files_get_group),
	T(sink_file_write__root_without_caps_not_in_group__eperm_lines_kept),
	T(sink_file_write__enospc_mid_batch__whole_lines_kept_retried),
	T(sink_file_write__enospc_under_builtin_seccomp__whole_lines_kept),
	T(sink_file_write__enospc_append_only__half_line_finished_later),
	T(sink_file__rotation_and_reopen_under_builtin_seccomp__allowed),
};

int
main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "test_sink_file: SKIP: needs root (groups "
		    "after shedding, a tmpfs in a mount namespace)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
