/*
 * daemon/pipeline and daemon/replay: the event path without a kernel.
 * Records go in by hand or as replayed audit log lines; what comes out of a
 * pipe or a temporary file is read back and parsed with json-c, and the
 * counters are checked against what was fed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>
#include <json.h>

#include <linux/audit.h>

#include "daemon/pipeline.h"
#include "daemon/replay.h"
#include "reporter/sink.h"
#include "reporter/systab.h"

/* A complete record; the serial and pid vary, the syscall is getppid. */
#define REC_FMT								\
	"audit(1700000001.250:%u): auid=1000 uid=1000 gid=1000 ses=3 "	\
	"pid=%u comm=\"worker\" exe=\"/usr/bin/worker\" sig=0 "		\
	"arch=c000003e syscall=110 compat=0 ip=0x7f0000001000 "		\
	"code=0x7ffc0000"

/* As this machine's kernel sent it (comm hex-encoded). */
static const char rec_x86_64[] =
    "audit(1795817186.337:2): auid=4294967295 uid=0 gid=0 ses=4294967295 "
    "pid=2038 comm=6D792022617070 exe=\"/tmp/exp/exp\" sig=0 arch=c000003e "
    "syscall=110 compat=0 ip=0x7fbad50474f7 code=0x7ffc0000";

/* i386 20 is getpid (x86_64 20 would be writev). */
static const char rec_i386[] =
    "audit(1700000000.100:10): auid=1000 uid=1000 gid=1000 ses=2 pid=777 "
    "comm=\"sh\" exe=\"/bin/sh\" sig=0 arch=40000003 syscall=20 compat=1 "
    "ip=0x8048000 code=0x7ffc0000";

/* No exe=: an incomplete record that still makes an event. */
static const char rec_no_exe[] =
    "audit(1700000000.200:11): auid=1000 uid=1000 gid=1000 ses=2 pid=778 "
    "comm=\"sh\" sig=0 arch=c000003e syscall=110 compat=0 "
    "ip=0x7f0000001000 code=0x7ffc0000";

static const char rec_syscall[] =
    "audit(1700000000.200:11): arch=c000003e syscall=110 success=yes "
    "exit=1 a0=0 a1=0 a2=0 a3=0 items=0 ppid=1 pid=778 auid=1000 uid=1000 "
    "comm=\"sh\" exe=\"/bin/sh\" key=(null)";

/* One pipeline, its sink, and both ends of what the sink writes to. */
struct fix {
	struct pipeline	*pl;
	struct sink	*sink;
	int		 rfd;	/* read end, or the temporary file */
	int		 wfd;	/* write end; == rfd for a file */
	int		 xfd;	/* another sink's file, or -1 */
	int		 live;	/* pl initialised */
};

static const struct event_ctx ctx_h = { "h", 1, 0 };

/* The pipeline of the running test: reads wait for its writers first. */
static struct pipeline *cur;

/*
 * Start the writer threads (once: after every output is added) and wait
 * until they have written all they were given, so that what a test reads
 * back or counts is complete.
 */
static void
settle(void)
{
	if (cur == NULL)
		return;
	assert_int_equal(pipeline_start(cur, 0), 0);
	assert_int_equal(pipeline_sync(cur, -1), 0);
}

/* Output i's losses as the pipeline reports them (outq_lost()). */
static uint64_t
out_lost(struct pipeline *pl, size_t i)
{
	struct outq_state st;

	settle();
	pipeline_output_state(pl, i, &st);
	return outq_lost(&st);
}

static void
fix_pipeline(struct fix *f, const struct event_ctx *ev)
{
	assert_non_null(f->pl = pipeline_new(ev));
	cur = f->pl;
	f->live = 1;
	f->sink = sink_fd_new(f->wfd, "test");
	assert_non_null(f->sink);
	assert_int_equal(pipeline_add_sink(f->pl, f->sink, 0), 0);
}

/* A pipe whose read end does not block, so reading stops when it is empty. */
static void
fix_pipe(struct fix *f, const struct event_ctx *ev)
{
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	f->rfd = p[0];
	f->wfd = p[1];
	fix_pipeline(f, ev);
}

/* An unlinked temporary file: any amount of output, read back with pread. */
static int
tmp_fd(void)
{
	char path[] = "/tmp/test_pipeline.XXXXXX";
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(unlink(path), 0);
	return fd;
}

static void
fix_file(struct fix *f, const struct event_ctx *ev)
{
	f->rfd = f->wfd = tmp_fd();
	fix_pipeline(f, ev);
}

/* Per test, so that a failed assertion still cleans up. */
static int
fix_setup(void **state)
{
	struct fix *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->rfd = f->wfd = f->xfd = -1;
	*state = f;
	return 0;
}

static int
fix_teardown(void **state)
{
	struct fix *f = *state;

	if (f->live)
		pipeline_free(f->pl);
	cur = NULL;
	if (f->rfd >= 0)
		close(f->rfd);
	if (f->wfd >= 0 && f->wfd != f->rfd)
		close(f->wfd);
	if (f->xfd >= 0)
		close(f->xfd);
	free(f);
	return 0;
}

static void
record(struct fix *f, uint16_t type, const char *text)
{
	pipeline_record(f->pl, type, text, strlen(text), NULL, 0);
}

/* Everything written so far: drains a pipe, or reads a file from 0. */
static char *
slurp(int fd, size_t *len)
{
	struct stat st;
	size_t cap = 65536, n = 0;
	char *buf;
	ssize_t r;

	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc(cap);
	assert_non_null(buf);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		if (S_ISREG(st.st_mode))
			r = pread(fd, buf + n, cap - n, (off_t)n);
		else
			r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EAGAIN)
			break;
		assert_true(r >= 0);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

/* The lines of a sink's output, each parsed as one whole JSON object. */
struct lines {
	size_t		 n;
	json_object	**obj;
};

static void
lines_parse(struct lines *ls, const char *buf, size_t len)
{
	json_tokener *tok;
	const char *p = buf, *nl;
	size_t cap = 16;

	ls->n = 0;
	ls->obj = malloc(cap * sizeof(*ls->obj));
	assert_non_null(ls->obj);
	/* Complete lines only: a sink never sees half an event. */
	if (len > 0)
		assert_int_equal(buf[len - 1], '\n');
	tok = json_tokener_new();
	assert_non_null(tok);
	while (p < buf + len) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		assert_non_null(nl);
		if (ls->n == cap) {
			cap *= 2;
			ls->obj = realloc(ls->obj, cap * sizeof(*ls->obj));
			assert_non_null(ls->obj);
		}
		json_tokener_reset(tok);
		ls->obj[ls->n] = json_tokener_parse_ex(tok, p, (int)(nl - p));
		assert_non_null(ls->obj[ls->n]);
		/* The object is the whole line, nothing after it. */
		assert_int_equal(json_tokener_get_parse_end(tok),
		    (size_t)(nl - p));
		assert_true(json_object_is_type(ls->obj[ls->n],
		    json_type_object));
		ls->n++;
		p = nl + 1;
	}
	json_tokener_free(tok);
}

static void
lines_read(struct lines *ls, int fd)
{
	size_t len;
	char *buf;

	settle();
	buf = slurp(fd, &len);
	lines_parse(ls, buf, len);
	free(buf);
}

static void
lines_free(struct lines *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		json_object_put(ls->obj[i]);
	free(ls->obj);
	ls->obj = NULL;
	ls->n = 0;
}

/* The value at a dotted path ("process.pid"), or NULL. */
static json_object *
jget(json_object *o, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (o != NULL) {
		dot = strchr(path, '.');
		n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		assert_true(n < sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		if (dot == NULL)
			return o;
		path = dot + 1;
	}
	return NULL;
}

static const char *
jstr(json_object *o, const char *path)
{
	json_object *v = jget(o, path);

	if (v == NULL)
		return NULL;
	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static int64_t
jint(json_object *o, const char *path)
{
	json_object *v = jget(o, path);

	assert_non_null(v);
	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

/* A macro, so that a failure names the caller's line. */
#define assert_counters(pl, seccomp_, events_, incomplete_, malformed_,	\
    other_)								\
	do {								\
		assert_int_equal(pipeline_counters(pl)->seccomp, (seccomp_));		\
		assert_int_equal(pipeline_counters(pl)->events, (events_));		\
		assert_int_equal(pipeline_counters(pl)->incomplete, (incomplete_));	\
		assert_int_equal(pipeline_counters(pl)->malformed, (malformed_));	\
		assert_int_equal(pipeline_counters(pl)->other, (other_));		\
		assert_int_equal(pipeline_counters(pl)->nomem, 0);			\
	} while (0)

/* pipeline_record and pipeline_flush */

static void
pipeline_record__seccomp_record__one_json_line_after_flush(void **state)
{
	struct lines ls;
	struct fix *f = *state;
	json_object *e;

	fix_pipe(f, &ctx_h);
	record(f, AUDIT_SECCOMP, rec_x86_64);
	/* Batched: nothing reaches the sink before the flush. */
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 0);
	lines_free(&ls);

	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 1);
	e = ls.obj[0];
	assert_string_equal(jstr(e, "event.action"), "violated-seccomp-policy");
	assert_int_equal(jint(e, "event.sequence"), 2);
	assert_string_equal(jstr(e, "@timestamp"), "2026-11-27T22:06:26.337Z");
	assert_string_equal(jstr(e, "host.name"), "h");
	assert_int_equal(jint(e, "process.pid"), 2038);
	assert_string_equal(jstr(e, "process.name"), "my \"app");
	assert_string_equal(jstr(e, "process.executable"), "/tmp/exp/exp");
	assert_string_equal(jstr(e, "seccomp.syscall.name"), "getppid");
	assert_int_equal(jint(e, "seccomp.syscall.number"), 110);
	assert_string_equal(jstr(e, "seccomp.arch"), "x86_64");
	assert_null(jget(e, "error"));
	assert_null(jget(e, "event.original"));
	lines_free(&ls);
	assert_counters(f->pl, 1, 1, 0, 0, 0);
	assert_true(sink_counters(f->sink)->bytes > 0);
	assert_int_equal(sink_counters(f->sink)->events_lost, 0);
}

static void
pipeline_record__i386_record__syscall_named_from_i386_table(void **state)
{
	struct lines ls;
	struct fix *f = *state;

	fix_pipe(f, &ctx_h);
	record(f, AUDIT_SECCOMP, rec_i386);
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 1);
	assert_int_equal(jint(ls.obj[0], "process.pid"), 777);
	assert_string_equal(jstr(ls.obj[0], "seccomp.arch"), "i386");
	assert_string_equal(jstr(ls.obj[0], "seccomp.syscall.name"),
	    "getpid");
	assert_int_equal(jint(ls.obj[0], "seccomp.syscall.number"), 20);
	lines_free(&ls);
	assert_counters(f->pl, 1, 1, 0, 0, 0);
}

static void
pipeline_record__other_record_types__counted_nothing_written(void **state)
{
	struct lines ls;
	struct fix *f = *state;

	fix_pipe(f, &ctx_h);
	record(f, AUDIT_SYSCALL, rec_syscall);
	/* A SECCOMP record's text under another type is still not ours. */
	record(f, AUDIT_PROCTITLE, rec_x86_64);
	pipeline_record(f->pl, AUDIT_EOE, "audit(1.0:1): ", 14, NULL, 0);
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 0);
	lines_free(&ls);
	assert_counters(f->pl, 0, 0, 0, 0, 3);
	assert_int_equal(sink_counters(f->sink)->bytes, 0);
}

static void
pipeline_record__malformed_seccomp__counted_nothing_written(void **state)
{
	static const char *const bad[] = {
		"garbage",
		"",
		"audit(",
		"audit(1700000000.000:5): ",	/* a header, no fields */
		"audit(x.y:z): pid=1",
	};
	struct lines ls;
	struct fix *f = *state;
	size_t i;

	fix_pipe(f, &ctx_h);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		record(f, AUDIT_SECCOMP, bad[i]);
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 0);
	lines_free(&ls);
	assert_counters(f->pl, 5, 0, 0, 5, 0);

	/* And the path still works afterwards. */
	record(f, AUDIT_SECCOMP, rec_x86_64);
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 1);
	lines_free(&ls);
	assert_counters(f->pl, 6, 1, 0, 5, 0);
}

static void
pipeline_record__exe_missing__incomplete_event_with_error(void **state)
{
	struct lines ls;
	struct fix *f = *state;
	const char *msg;

	fix_pipe(f, &ctx_h);
	record(f, AUDIT_SECCOMP, rec_no_exe);
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 1);
	assert_int_equal(jint(ls.obj[0], "process.pid"), 778);
	assert_null(jget(ls.obj[0], "process.executable"));
	msg = jstr(ls.obj[0], "error.message");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "exe"));
	/* Damaged: the record travels along. */
	assert_string_equal(jstr(ls.obj[0], "event.original"), rec_no_exe);
	lines_free(&ls);
	assert_counters(f->pl, 1, 1, 1, 0, 0);
}

/*
 * comm=C328 decodes to bytes that are not UTF-8: the event carries
 * error.message (docs/events.md: "present only when the record was damaged
 * ... which strings were not UTF-8"), and pipeline.h counts the events with
 * error.message as incomplete.
 */
static void
pipeline_record__comm_not_utf8__counted_incomplete(void **state)
{
	static const char text[] =
	    "audit(1700000000.300:12): auid=1000 uid=1000 gid=1000 ses=2 "
	    "pid=779 comm=C328 exe=\"/bin/sh\" sig=0 arch=c000003e "
	    "syscall=110 compat=0 ip=0x7f0000001000 code=0x7ffc0000";
	struct lines ls;
	struct fix *f = *state;
	const char *msg;

	fix_pipe(f, &ctx_h);
	record(f, AUDIT_SECCOMP, text);
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 1);
	assert_int_equal(jint(ls.obj[0], "process.pid"), 779);
	msg = jstr(ls.obj[0], "error.message");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "comm"));
	assert_string_equal(jstr(ls.obj[0], "event.original"), text);
	lines_free(&ls);
	assert_counters(f->pl, 1, 1, 1, 0, 0);
}

static void
pipeline_record__host_override__that_record_only(void **state)
{
	char text[512];
	struct event_ctx ev = ctx_h;
	struct lines ls;
	struct fix *f = *state;
	unsigned i;

	fix_pipe(f, &ev);
	/* ev was copied: changing it now changes nothing. */
	ev.host = "changed";
	ev.host_len = 7;
	for (i = 1; i <= 3; i++) {
		(void)snprintf(text, sizeof(text), REC_FMT, i, 100 + i);
		/* Only host_len bytes of the override count. */
		pipeline_record(f->pl, AUDIT_SECCOMP, text, strlen(text),
		    i == 2 ? "web9.example" : NULL, i == 2 ? 4 : 0);
	}
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 3);
	assert_string_equal(jstr(ls.obj[0], "host.name"), "h");
	assert_string_equal(jstr(ls.obj[1], "host.name"), "web9");
	assert_string_equal(jstr(ls.obj[2], "host.name"), "h");
	for (i = 0; i < 3; i++)
		assert_int_equal(jint(ls.obj[i], "event.sequence"), i + 1);
	lines_free(&ls);
}

static void
pipeline_record__5000_records__auto_flushed_all_in_order(void **state)
{
	enum { N = 5000 };
	char text[512];
	struct lines ls;
	struct stat st;
	struct fix *f = *state;
	unsigned i;

	fix_file(f, &ctx_h);
	for (i = 1; i <= N; i++) {
		(void)snprintf(text, sizeof(text), REC_FMT, i, 10000 + i);
		record(f, AUDIT_SECCOMP, text);
	}
	/* Batches went out on their own, whole lines only. */
	settle();
	assert_int_equal(fstat(f->rfd, &st), 0);
	assert_true(st.st_size >= PIPELINE_FLUSH_BYTES);
	assert_int_equal(sink_counters(f->sink)->bytes, (uint64_t)st.st_size);
	lines_read(&ls, f->rfd);
	assert_true(ls.n > 0 && ls.n < N);
	lines_free(&ls);

	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(jint(ls.obj[i], "event.sequence"), i + 1);
		assert_int_equal(jint(ls.obj[i], "process.pid"), 10001 + i);
		assert_string_equal(jstr(ls.obj[i], "event.action"),
		    "violated-seccomp-policy");
	}
	lines_free(&ls);
	assert_counters(f->pl, N, N, 0, 0, 0);
	assert_int_equal(sink_counters(f->sink)->events_lost, 0);
}

static void
pipeline_flush__empty_batch__nothing_written(void **state)
{
	struct lines ls;
	struct fix *f = *state;

	fix_pipe(f, &ctx_h);
	assert_int_equal(pipeline_flush(f->pl), 0);
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 0);
	lines_free(&ls);
	assert_int_equal(sink_counters(f->sink)->bytes, 0);
}

static void
pipeline_flush__reader_gone__epipe_and_stays_failed(void **state)
{
	struct fix *f = *state;

	fix_pipe(f, &ctx_h);
	close(f->rfd);
	f->rfd = -1;
	record(f, AUDIT_SECCOMP, rec_x86_64);
	/* The writer finds the reader gone; the flush after that says so. */
	assert_int_equal(pipeline_flush(f->pl), 0);
	assert_int_equal(out_lost(f->pl, 0), 1);
	assert_int_equal(sink_counters(f->sink)->bytes, 0);
	errno = 0;
	assert_int_equal(pipeline_flush(f->pl), -1);
	assert_int_equal(errno, EPIPE);

	/* Sticky: nothing new to write, still failed. */
	errno = 0;
	assert_int_equal(pipeline_flush(f->pl), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(out_lost(f->pl, 0), 1);

	/* The next batch is lost as well, and counted. */
	record(f, AUDIT_SECCOMP, rec_x86_64);
	errno = 0;
	assert_int_equal(pipeline_flush(f->pl), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(out_lost(f->pl, 0), 2);
	assert_counters(f->pl, 2, 2, 0, 0, 0);
}

static void
pipeline_flush__one_sink_fails__other_written_flush_ok(void **state)
{
	struct sink *good;
	struct lines ls;
	struct fix *f = *state;

	fix_pipe(f, &ctx_h);
	close(f->rfd);
	f->rfd = -1;
	f->xfd = tmp_fd();
	good = sink_fd_new(f->xfd, "file");
	assert_non_null(good);
	assert_int_equal(pipeline_add_sink(f->pl, good, 0), 0);

	/* One output still works: the daemon goes on. */
	record(f, AUDIT_SECCOMP, rec_x86_64);
	assert_int_equal(pipeline_flush(f->pl), 0);
	settle();
	assert_int_equal(sink_error(f->sink), EPIPE);
	record(f, AUDIT_SECCOMP, rec_i386);
	assert_int_equal(pipeline_flush(f->pl), 0);
	lines_read(&ls, f->xfd);
	assert_int_equal(ls.n, 2);
	assert_int_equal(jint(ls.obj[0], "process.pid"), 2038);
	assert_int_equal(jint(ls.obj[1], "process.pid"), 777);
	lines_free(&ls);
	assert_int_equal(out_lost(f->pl, 1), 0);
	assert_int_equal(out_lost(f->pl, 0), 2);
}

/* No fixed limit: every output added gets every event. */
/* Storm control through the pipeline */

static const struct storm_conf storm_on = { 1, STORM_WINDOW, STORM_BURST,
	STORM_MAX_KEYS };

/* Lines that are summaries, and the records they stand for. */
static size_t
summaries(const struct lines *ls, uint64_t *folded)
{
	const char *a;
	size_t i, n = 0;

	*folded = 0;
	for (i = 0; i < ls->n; i++) {
		a = jstr(ls->obj[i], "event.action");
		assert_non_null(a);
		if (strcmp(a, "violations-summarized") != 0)
			continue;
		n++;
		*folded += (uint64_t)jint(ls->obj[i], "seccompmon.summary.count");
	}
	return n;
}

static void
pipeline_record__storm_of_one_key__burst_then_one_summary(void **state)
{
	enum { N = 3000 };
	char text[512];
	struct lines ls;
	struct fix *f = *state;
	const struct pipeline_counters *c;
	uint64_t folded;
	unsigned i;

	fix_file(f, &ctx_h);
	assert_int_equal(pipeline_set_storm(f->pl, &storm_on, 0), 0);
	for (i = 1; i <= N; i++) {
		(void)snprintf(text, sizeof(text), REC_FMT, i, 10000 + i % 4);
		record(f, AUDIT_SECCOMP, text);
	}
	c = pipeline_counters(f->pl);
	assert_int_equal(c->events, STORM_BURST);
	assert_int_equal(c->summarized, N - STORM_BURST);
	assert_int_equal(c->summaries, 0);	/* the window is open */
	pipeline_finish(f->pl);
	assert_int_equal(pipeline_flush(f->pl), 0);
	assert_int_equal(c->summaries, 1);
	assert_int_equal(c->seccomp, c->events + c->summarized);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, STORM_BURST + 1);
	for (i = 0; i < STORM_BURST; i++)
		assert_int_equal(jint(ls.obj[i], "event.sequence"), i + 1);
	assert_int_equal(summaries(&ls, &folded), 1);
	assert_int_equal(folded, N - STORM_BURST);
	assert_string_equal(jstr(ls.obj[STORM_BURST], "process.executable"),
	    "/usr/bin/worker");
	assert_string_equal(jstr(ls.obj[STORM_BURST], "host.name"), "h");
	assert_string_equal(jstr(ls.obj[STORM_BURST], "user.id"), "1000");
	assert_int_equal(json_object_array_length(jget(ls.obj[STORM_BURST],
	    "seccompmon.summary.pids")), 4);
	assert_string_equal(jstr(ls.obj[STORM_BURST],
	    "seccompmon.summary.first"), "2023-11-14T22:13:21.250Z");
	lines_free(&ls);
	assert_int_equal(sink_counters(f->sink)->events, STORM_BURST + 1);
}

static void
pipeline_record__storm_off__every_record_an_event(void **state)
{
	char text[512];
	struct fix *f = *state;
	struct storm_conf off = storm_on;
	unsigned i;

	fix_file(f, &ctx_h);
	off.enabled = 0;
	assert_int_equal(pipeline_set_storm(f->pl, &storm_on, 0), 0);
	assert_int_equal(pipeline_set_storm(f->pl, &off, 0), 0);
	for (i = 1; i <= 100; i++) {
		(void)snprintf(text, sizeof(text), REC_FMT, i, 10000 + i);
		record(f, AUDIT_SECCOMP, text);
	}
	pipeline_finish(f->pl);
	assert_counters(f->pl, 100, 100, 0, 0, 0);
	assert_int_equal(pipeline_counters(f->pl)->summarized, 0);
}

static void
pipeline_record__storm_of_damaged_records__all_pass(void **state)
{
	struct fix *f = *state;
	unsigned i;

	fix_file(f, &ctx_h);
	assert_int_equal(pipeline_set_storm(f->pl, &storm_on, 0), 0);
	for (i = 0; i < 50; i++)
		record(f, AUDIT_SECCOMP, rec_no_exe);
	pipeline_finish(f->pl);
	assert_counters(f->pl, 50, 50, 50, 0, 0);
	assert_int_equal(pipeline_counters(f->pl)->summarized, 0);
}

static void
pipeline_record__storm_of_own_records__one_then_summary(void **state)
{
	char text[512];
	struct event_ctx ev = ctx_h;
	struct lines ls;
	struct fix *f = *state;
	const struct pipeline_counters *c;
	uint64_t folded;
	unsigned i;

	ev.self_pid = 4242;
	fix_file(f, &ev);
	assert_int_equal(pipeline_set_storm(f->pl, &storm_on, 0), 0);
	for (i = 1; i <= 40; i++) {
		(void)snprintf(text, sizeof(text), REC_FMT, i, 4242u);
		record(f, AUDIT_SECCOMP, text);
	}
	pipeline_finish(f->pl);
	assert_int_equal(pipeline_flush(f->pl), 0);
	c = pipeline_counters(f->pl);
	assert_int_equal(c->self, 40);
	assert_int_equal(c->events, STORM_SELF_BURST);
	assert_int_equal(c->summarized, 40 - STORM_SELF_BURST);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 2);
	assert_true(json_object_get_boolean(jget(ls.obj[0],
	    "seccompmon.self")));
	assert_true(json_object_get_boolean(jget(ls.obj[1],
	    "seccompmon.self")));
	assert_int_equal(summaries(&ls, &folded), 1);
	assert_int_equal(folded, 40 - STORM_SELF_BURST);
	lines_free(&ls);
}

static void
pipeline_tick__window_over__summary_written_only_when_following_clock(
    void **state)
{
	char text[512];
	struct lines ls;
	struct fix *f = *state;
	unsigned i;
	/* REC_FMT's time is 1700000001.250: its window ends at ...010.000. */
	const int64_t end = 1700000010000LL;

	fix_file(f, &ctx_h);
	assert_int_equal(pipeline_set_storm(f->pl, &storm_on, 0), 0);
	for (i = 1; i <= 30; i++) {
		(void)snprintf(text, sizeof(text), REC_FMT, i, 10000 + i);
		record(f, AUDIT_SECCOMP, text);
	}
	assert_int_equal(pipeline_flush(f->pl), 0);
	pipeline_tick(f->pl, end + 5000);	/* a replay: no clock */
	assert_int_equal(pipeline_counters(f->pl)->summaries, 0);

	/* A new storm setting summarizes what the old one folded. */
	assert_int_equal(pipeline_set_storm(f->pl, &storm_on, 1), 0);
	assert_int_equal(pipeline_counters(f->pl)->summaries, 1);
	for (i = 31; i <= 60; i++) {
		(void)snprintf(text, sizeof(text), REC_FMT, i, 10000 + i);
		record(f, AUDIT_SECCOMP, text);
	}
	assert_int_equal(pipeline_flush(f->pl), 0);
	pipeline_tick(f->pl, end - 1);
	assert_int_equal(pipeline_counters(f->pl)->summaries, 1);
	pipeline_tick(f->pl, end);
	/* Written and flushed by the tick itself. */
	assert_int_equal(pipeline_counters(f->pl)->summaries, 2);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 2 * STORM_BURST + 2);
	assert_int_equal(jint(ls.obj[STORM_BURST],
	    "seccompmon.summary.count"), 30 - STORM_BURST);
	assert_int_equal(jint(ls.obj[2 * STORM_BURST + 1],
	    "seccompmon.summary.count"), 30 - STORM_BURST);
	lines_free(&ls);
}

static void
pipeline_add_sink__twelve_outputs__each_gets_every_event(void **state)
{
	struct sink *s[12];
	struct lines ls;
	struct fix *f = *state;
	int fds[12];
	size_t i;

	fix_pipe(f, &ctx_h);
	for (i = 0; i < 12; i++) {
		fds[i] = tmp_fd();
		assert_non_null(s[i] = sink_fd_new(fds[i], "more"));
		assert_int_equal(pipeline_add_sink(f->pl, s[i], 0), 0);
	}
	assert_int_equal(pipeline_nsinks(f->pl), 13);
	record(f, AUDIT_SECCOMP, rec_x86_64);
	record(f, AUDIT_SECCOMP, rec_i386);
	assert_int_equal(pipeline_flush(f->pl), 0);
	for (i = 0; i < 12; i++) {
		lines_read(&ls, fds[i]);
		assert_int_equal(ls.n, 2);
		lines_free(&ls);
		assert_int_equal(sink_counters(s[i])->events, 2);
		close(fds[i]);
	}
}

/* daemon/replay */

static char *
replay_rec(unsigned serial)
{
	char *s;

	assert_true(asprintf(&s, REC_FMT, serial, 1000 + serial) > 0);
	return s;
}

/* Append s to a growing buffer. */
struct text {
	char	*buf;
	size_t	 len;
};

static void
text_add(struct text *t, const char *s, size_t n)
{
	t->buf = realloc(t->buf, t->len + n + 1);
	assert_non_null(t->buf);
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void
text_adds(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

/* A line of n bytes: a SECCOMP record padded with an unknown key. */
static void
text_add_long(struct text *t, unsigned serial, size_t n)
{
	char *r = replay_rec(serial), *line;
	size_t have;

	line = malloc(n);
	assert_non_null(line);
	have = (size_t)snprintf(line, n, "type=SECCOMP msg=%s pad=", r);
	assert_true(have < n);
	memset(line + have, 'A', n - have);
	text_add(t, line, n);
	free(line);
	free(r);
}

static char *
write_tmp(const struct text *t)
{
	char *path;
	int fd;

	path = strdup("/tmp/test_pipeline.XXXXXX");
	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, t->buf, t->len), (ssize_t)t->len);
	close(fd);
	return path;
}

/* Step until the end of input; fails on an error or an endless loop. */
static void
replay_all(struct replay *r)
{
	int i, rc = 0;

	for (i = 0; i < 100000 && rc == 0; i++)
		rc = replay_step(r);
	assert_int_equal(rc, 1);
}

/*
 * The mixed log below, and what each line must give.  EVENT_ORIGINAL makes
 * every event carry its record text, to see what reached the decoder.
 */
static const struct event_ctx ctx_h_original = { "h", 1, EVENT_ORIGINAL };

static void
mixed_log(struct text *t)
{
	char *r;

	r = replay_rec(101);
	text_adds(t, "type=SECCOMP msg=");
	text_adds(t, r);
	text_adds(t, "\n");
	free(r);
	r = replay_rec(102);
	text_adds(t, "node=web1 type=SECCOMP msg=");
	text_adds(t, r);
	text_adds(t, "\n");
	free(r);
	r = replay_rec(103);
	text_adds(t, "type=SECCOMP msg=");
	text_adds(t, r);
	text_adds(t, "\x1d" "AUID=\"unset\" ARCH=x86_64\n");
	free(r);
	text_adds(t, "type=SYSCALL msg=audit(1700000001.250:103): "
	    "arch=c000003e syscall=110 success=yes exit=1 pid=1103 "
	    "comm=\"worker\"\n");
	text_adds(t, "\n");
	text_adds(t, "this line holds no audit record\n");
	text_add_long(t, 107, REPLAY_LINE_MAX + 100);
	text_adds(t, "\n");
	r = replay_rec(108);
	text_adds(t, "type=SECCOMP msg=");
	text_adds(t, r);
	text_adds(t, "\n");
	free(r);
	/* The last line has no newline. */
	r = replay_rec(109);
	text_adds(t, "type=SECCOMP msg=");
	text_adds(t, r);
	free(r);
}

/* The events of mixed_log(), checked one by one. */
static void
assert_mixed_events(int fd)
{
	static const unsigned seq[] = { 101, 102, 103, 108, 109 };
	static const char *const host[] = { "h", "web1", "h", "h", "h" };
	struct lines ls;
	char *r;
	size_t i;

	lines_read(&ls, fd);
	assert_int_equal(ls.n, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(jint(ls.obj[i], "event.sequence"), seq[i]);
		assert_string_equal(jstr(ls.obj[i], "host.name"), host[i]);
		assert_int_equal(jint(ls.obj[i], "process.pid"), 1000 + seq[i]);
		assert_null(jget(ls.obj[i], "error"));
		/* No type=, node= or ENRICHED tail in the record text. */
		r = replay_rec(seq[i]);
		assert_string_equal(jstr(ls.obj[i], "event.original"), r);
		free(r);
	}
	lines_free(&ls);
}

static void
replay_step__mixed_log_file__counters_and_events(void **state)
{
	struct text t = { NULL, 0 };
	struct replay r;
	struct fix *f = *state;
	char *path;

	mixed_log(&t);
	path = write_tmp(&t);
	fix_file(f, &ctx_h_original);
	assert_int_equal(replay_open(&r, path, pipeline_record, f->pl), 0);
	replay_all(&r);
	assert_int_equal(pipeline_flush(f->pl), 0);
	replay_close(&r);
	unlink(path);
	free(path);
	free(t.buf);

	assert_mixed_events(f->rfd);
	/* Every line is read; the blank one is not "not audit". */
	assert_int_equal(r.c.lines, 9);
	assert_int_equal(r.c.not_audit, 1);
	/* The over-long line is skipped, not decoded. */
	assert_int_equal(r.c.too_long, 1);
	assert_counters(f->pl, 5, 5, 0, 0, 1);
}

/*
 * Replayed lines the kernel cannot have written: a raw NUL or ESC inside a
 * quoted comm (it hex-encodes those), a node= that is not UTF-8.  Each
 * event keeps what it can and carries error.message and event.original.
 */
static void
replay_step__damaged_comm_or_node__error_and_original(void **state)
{
	static const char *const want[] = {
		"quoted with bytes the kernel hex-encodes: comm",
		"quoted with bytes the kernel hex-encodes: comm",
		"not UTF-8, bytes replaced by U+FFFD: node",
	};
	static const char nul_rec[] = "audit(1700000001.250:1): auid=1000 "
	    "uid=1000 gid=1000 ses=3 pid=1001 comm=\"wo\0rker\" "
	    "exe=\"/usr/bin/worker\" sig=0 arch=c000003e syscall=110 "
	    "compat=0 ip=0x7f0000001000 code=0x7ffc0000";
	static const char esc_rec[] = "audit(1700000001.250:2): auid=1000 "
	    "uid=1000 gid=1000 ses=3 pid=1002 comm=\"\x1b]0;x\x07\" "
	    "exe=\"/usr/bin/worker\" sig=0 arch=c000003e syscall=110 "
	    "compat=0 ip=0x7f0000001000 code=0x7ffc0000";
	struct text t = { NULL, 0 };
	struct replay r;
	struct lines ls;
	struct fix *f = *state;
	char *path, *rec;
	size_t i;

	text_adds(&t, "type=SECCOMP msg=");
	text_add(&t, nul_rec, sizeof(nul_rec) - 1);
	text_adds(&t, "\ntype=SECCOMP msg=");
	text_adds(&t, esc_rec);
	text_adds(&t, "\nnode=web\xff" "1 type=SECCOMP msg=");
	rec = replay_rec(3);
	text_adds(&t, rec);
	text_adds(&t, "\n");
	path = write_tmp(&t);
	fix_file(f, &ctx_h);
	assert_int_equal(replay_open(&r, path, pipeline_record, f->pl), 0);
	replay_all(&r);
	assert_int_equal(pipeline_flush(f->pl), 0);
	replay_close(&r);
	unlink(path);
	free(path);
	free(t.buf);

	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(jint(ls.obj[i], "process.pid"), 1001 + i);
		assert_non_null(jstr(ls.obj[i], "error.message"));
		assert_non_null(strstr(jstr(ls.obj[i], "error.message"),
		    want[i]));
	}
	assert_int_equal(json_object_get_string_len(jget(ls.obj[0],
	    "process.name")), 7);
	assert_int_equal(json_object_get_string_len(jget(ls.obj[0],
	    "event.original")), sizeof(nul_rec) - 1);
	assert_string_equal(jstr(ls.obj[1], "process.name"), "\x1b]0;x\x07");
	assert_string_equal(jstr(ls.obj[1], "event.original"), esc_rec);
	assert_string_equal(jstr(ls.obj[2], "host.name"),
	    "web\xef\xbf\xbd" "1");
	assert_string_equal(jstr(ls.obj[2], "event.original"), rec);
	free(rec);
	lines_free(&ls);
	assert_counters(f->pl, 3, 3, 3, 0, 0);
}

/* Over REPLAY_LINE_MAX but within one read: skipped all the same. */
static void
replay_step__long_line_in_one_read__skipped_as_too_long(void **state)
{
	struct text t = { NULL, 0 };
	struct replay r;
	struct fix *f = *state;
	char *path, *line, *rec;

	/* Not an audit record at all, then a good line. */
	line = malloc(REPLAY_LINE_MAX + 1);
	assert_non_null(line);
	memset(line, 'x', REPLAY_LINE_MAX + 1);
	text_add(&t, line, REPLAY_LINE_MAX + 1);
	free(line);
	rec = replay_rec(5);
	text_adds(&t, "\ntype=SECCOMP msg=");
	text_adds(&t, rec);
	text_adds(&t, "\n");
	free(rec);
	path = write_tmp(&t);
	fix_file(f, &ctx_h);
	assert_int_equal(replay_open(&r, path, pipeline_record, f->pl), 0);
	replay_all(&r);
	replay_close(&r);
	unlink(path);
	free(path);
	free(t.buf);

	assert_int_equal(r.c.lines, 2);
	assert_int_equal(r.c.too_long, 1);
	assert_int_equal(r.c.not_audit, 0);
	assert_counters(f->pl, 1, 1, 0, 0, 0);
}

/* Exactly REPLAY_LINE_MAX bytes is not over the limit: read as a line. */
static void
replay_step__line_of_exactly_max__handled(void **state)
{
	struct text t = { NULL, 0 };
	struct replay r;
	struct fix *f = *state;
	char *path, *line;

	line = malloc(REPLAY_LINE_MAX);
	assert_non_null(line);
	memset(line, 'x', REPLAY_LINE_MAX);
	text_add(&t, line, REPLAY_LINE_MAX);
	text_adds(&t, "\n");
	free(line);
	path = write_tmp(&t);
	fix_file(f, &ctx_h);
	assert_int_equal(replay_open(&r, path, pipeline_record, f->pl), 0);
	replay_all(&r);
	replay_close(&r);
	unlink(path);
	free(path);
	free(t.buf);

	assert_int_equal(r.c.lines, 1);
	assert_int_equal(r.c.too_long, 0);
	assert_int_equal(r.c.not_audit, 1);
}

/* Longer than the whole read buffer: skipped across several reads. */
static void
replay_step__line_over_buffer__skipped_next_handled(void **state)
{
	struct text t = { NULL, 0 };
	struct replay r;
	struct fix *f = *state;
	char *path, *rec;

	text_add_long(&t, 7, 300000);
	rec = replay_rec(8);
	text_adds(&t, "\ntype=SECCOMP msg=");
	text_adds(&t, rec);
	text_adds(&t, "\n");
	free(rec);
	path = write_tmp(&t);
	fix_file(f, &ctx_h);
	assert_int_equal(replay_open(&r, path, pipeline_record, f->pl), 0);
	replay_all(&r);
	assert_int_equal(pipeline_flush(f->pl), 0);
	replay_close(&r);
	unlink(path);
	free(path);
	free(t.buf);

	assert_int_equal(r.c.lines, 2);
	assert_int_equal(r.c.too_long, 1);
	assert_int_equal(r.c.not_audit, 0);
	assert_counters(f->pl, 1, 1, 0, 0, 0);
}

/* Open the read end of a pipe by path, as --replay /dev/stdin would. */
static void
replay_open_pipe(struct replay *r, struct pipeline *pl, int *wfd)
{
	char path[64];
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	assert_int_equal(replay_open(r, path, pipeline_record, pl), 0);
	close(p[0]);
	*wfd = p[1];
}

static void
write_all(int fd, const char *s, size_t n)
{
	assert_int_equal(write(fd, s, n), (ssize_t)n);
}

static void
replay_step__line_split_across_reads__handled_once(void **state)
{
	struct replay r;
	struct lines ls;
	struct fix *f = *state;
	char *rec;
	size_t half;
	int wfd;

	fix_file(f, &ctx_h);
	replay_open_pipe(&r, f->pl, &wfd);
	rec = replay_rec(42);
	write_all(wfd, "type=SECCOMP msg=", 17);
	half = strlen(rec) / 2;
	write_all(wfd, rec, half);
	/* Half a line: nothing yet. */
	assert_int_equal(replay_step(&r), 0);
	assert_int_equal(r.c.lines, 0);
	assert_int_equal(pipeline_counters(f->pl)->seccomp, 0);
	write_all(wfd, rec + half, strlen(rec) - half);
	write_all(wfd, "\n", 1);
	assert_int_equal(replay_step(&r), 0);
	assert_int_equal(r.c.lines, 1);
	close(wfd);
	replay_all(&r);
	replay_close(&r);
	assert_int_equal(pipeline_flush(f->pl), 0);

	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 1);
	assert_int_equal(jint(ls.obj[0], "event.sequence"), 42);
	assert_int_equal(jint(ls.obj[0], "process.pid"), 1042);
	assert_null(jget(ls.obj[0], "error"));
	lines_free(&ls);
	assert_int_equal(r.c.lines, 1);
	assert_counters(f->pl, 1, 1, 0, 0, 0);
	free(rec);
}

static void
replay_step__idle_nonblocking_pipe__returns_0(void **state)
{
	struct replay r;
	struct fix *f = *state;
	int wfd;

	fix_file(f, &ctx_h);
	replay_open_pipe(&r, f->pl, &wfd);
	assert_int_equal(fcntl(r.fd, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(replay_step(&r), 0);
	assert_int_equal(replay_step(&r), 0);
	assert_int_equal(r.c.lines, 0);
	close(wfd);
	assert_int_equal(replay_step(&r), 1);
	assert_int_equal(r.c.lines, 0);
	replay_close(&r);
}

/* The mixed log again, arriving a byte (or a block of the long line) a read. */
static void
replay_step__mixed_log_in_tiny_reads__same_result(void **state)
{
	struct text t = { NULL, 0 };
	struct replay r;
	struct fix *f = *state;
	size_t off, n;
	int wfd;

	mixed_log(&t);
	fix_file(f, &ctx_h_original);
	replay_open_pipe(&r, f->pl, &wfd);
	for (off = 0; off < t.len; off += n) {
		/* The long line in blocks, to keep this quick. */
		n = t.buf[off] == 'A' ? 4096 : 1;
		if (n > t.len - off)
			n = t.len - off;
		if (n > 1 && memchr(t.buf + off, '\n', n) != NULL)
			n = 1;
		write_all(wfd, t.buf + off, n);
		assert_int_equal(replay_step(&r), 0);
	}
	close(wfd);
	replay_all(&r);
	replay_close(&r);
	assert_int_equal(pipeline_flush(f->pl), 0);
	free(t.buf);

	assert_mixed_events(f->rfd);
	assert_int_equal(r.c.lines, 9);
	assert_int_equal(r.c.not_audit, 1);
	assert_int_equal(r.c.too_long, 1);
	assert_counters(f->pl, 5, 5, 0, 0, 1);
}

static void
replay_step__crlf_lines__handled(void **state)
{
	struct text t = { NULL, 0 };
	struct replay r;
	struct lines ls;
	struct fix *f = *state;
	char *path, *rec;

	rec = replay_rec(1);
	text_adds(&t, "type=SECCOMP msg=");
	text_adds(&t, rec);
	text_adds(&t, "\r\n\r\n");
	free(rec);
	path = write_tmp(&t);
	fix_file(f, &ctx_h);
	assert_int_equal(replay_open(&r, path, pipeline_record, f->pl), 0);
	replay_all(&r);
	assert_int_equal(pipeline_flush(f->pl), 0);
	replay_close(&r);
	unlink(path);
	free(path);
	free(t.buf);

	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 1);
	assert_null(jget(ls.obj[0], "error"));
	lines_free(&ls);
	assert_int_equal(r.c.lines, 2);
	assert_int_equal(r.c.not_audit, 0);
	assert_counters(f->pl, 1, 1, 0, 0, 0);
}

static void
replay_step__read_error__minus_one_with_errno(void **state)
{
	struct replay r;
	struct fix *f = *state;

	fix_file(f, &ctx_h);
	/* open(2) takes a directory; read(2) refuses it. */
	assert_int_equal(replay_open(&r, "/tmp", pipeline_record, f->pl), 0);
	errno = 0;
	assert_int_equal(replay_step(&r), -1);
	assert_int_equal(errno, EISDIR);
	replay_close(&r);
}

static void
replay_open__missing_file__enoent(void **state)
{
	struct replay r;

	(void)state;
	errno = 0;
	assert_int_equal(replay_open(&r, "/tmp/test_pipeline.does-not-exist",
	    pipeline_record, NULL), -1);
	assert_int_equal(errno, ENOENT);
}

/* pipeline_lost */

#define T0 1795817186000	/* a wall-clock time, ms */

/*
 * pipeline_lost() once every output has written what it was given, so
 * that the losses it reports are known, and the reports it queued written.
 */
static void
lost_at(struct pipeline *pl, const struct pipeline_srcloss *src,
    int64_t now_ms)
{
	assert_true(pl == cur);
	assert_int_equal(pipeline_flush(pl), 0);
	settle();
	pipeline_lost(pl, src, now_ms);
	settle();
}

/* The events-lost event that is line i of ls. */
static json_object *
lost_line(struct lines *ls, size_t i)
{
	assert_true(i < ls->n);
	assert_string_equal(jstr(ls->obj[i], "event.action"), "events-lost");
	return ls->obj[i];
}

/* The count an events-lost event gives output name; 0 when not listed. */
static int64_t
lost_output(json_object *e, const char *name)
{
	json_object *a = jget(e, "seccompmon.lost.outputs"), *x;
	size_t i;

	if (a == NULL)
		return 0;
	for (i = 0; i < json_object_array_length(a); i++) {
		x = json_object_array_get_idx(a, i);
		if (strcmp(jstr(x, "name"), name) == 0)
			return jint(x, "count");
	}
	return 0;
}

static void
pipeline_lost__failing_output__reported_to_working_output_exact(
    void **state)
{
	struct sink *good;
	struct lines ls;
	struct fix *f = *state;
	json_object *e;

	fix_pipe(f, &ctx_h);
	close(f->rfd);			/* "test" fails with EPIPE */
	f->rfd = -1;
	f->xfd = tmp_fd();
	assert_non_null(good = sink_fd_new(f->xfd, "file"));
	assert_int_equal(pipeline_add_sink(f->pl, good, 0), 0);

	record(f, AUDIT_SECCOMP, rec_x86_64);
	record(f, AUDIT_SECCOMP, rec_i386);
	assert_int_equal(pipeline_flush(f->pl), 0);
	record(f, AUDIT_SECCOMP, rec_no_exe);
	/* Flushed by pipeline_lost first: the violations come first. */
	lost_at(f->pl, NULL, T0);
	lines_read(&ls, f->xfd);
	assert_int_equal(ls.n, 4);
	assert_string_equal(jstr(ls.obj[2], "event.action"),
	    "violated-seccomp-policy");
	e = lost_line(&ls, 3);
	assert_int_equal(lost_output(e, "test"), 3);
	assert_int_equal(lost_output(e, "file"), 0);
	assert_int_equal(jint(e, "seccompmon.lost.count"), 0);
	assert_null(jget(e, "seccompmon.lost.reasons.malformed"));
	assert_string_equal(jstr(e, "event.end"), "2026-11-27T22:06:26.000Z");
	assert_string_equal(jstr(e, "@timestamp"), jstr(e, "event.end"));
	assert_string_equal(jstr(e, "host.name"), "h");
	lines_free(&ls);
	/* The failing output lost the loss event too, but that is no news. */
	assert_int_equal(out_lost(f->pl, 0), 3);

	lost_at(f->pl, NULL, T0 + 1000);
	lines_read(&ls, f->xfd);
	assert_int_equal(ls.n, 4);	/* file offset 0: nothing new */
	lines_free(&ls);

	/* One more lost: one more event, counting it alone, back to back. */
	record(f, AUDIT_SECCOMP, rec_x86_64);
	lost_at(f->pl, NULL, T0 + 2000);
	lines_read(&ls, f->xfd);
	assert_int_equal(ls.n, 6);
	e = lost_line(&ls, 5);
	assert_int_equal(lost_output(e, "test"), 1);
	assert_string_equal(jstr(e, "event.start"),
	    "2026-11-27T22:06:26.000Z");
	assert_string_equal(jstr(e, "event.end"), "2026-11-27T22:06:28.000Z");
	lines_free(&ls);
}

static void
pipeline_lost__source_and_malformed__each_counted_once(void **state)
{
	struct pipeline_srcloss src = { 1, 5 };
	struct lines ls;
	struct fix *f = *state;
	json_object *e;

	fix_file(f, &ctx_h);
	lost_at(f->pl, &src, T0);	/* totals since startup */
	record(f, AUDIT_SECCOMP, "garbage");
	record(f, AUDIT_SECCOMP, "audit(");
	lost_at(f->pl, &src, T0 + 1000);
	src.kernel_lost = 6;
	record(f, AUDIT_SECCOMP, "x");
	lost_at(f->pl, &src, T0 + 2000);
	lost_at(f->pl, &src, T0 + 3000);	/* no news: no event */

	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 3);
	/* The source's totals at the first call are losses since startup. */
	e = lost_line(&ls, 0);
	assert_int_equal(jint(e, "seccompmon.lost.count"), 5);
	assert_int_equal(jint(e, "seccompmon.lost.reasons.kernel_lost"), 5);
	assert_int_equal(jint(e,
	    "seccompmon.lost.reasons.enobufs_overflows"), 1);
	e = lost_line(&ls, 1);
	assert_int_equal(jint(e, "seccompmon.lost.count"), 2);
	assert_int_equal(jint(e, "seccompmon.lost.reasons.malformed"), 2);
	assert_null(jget(e, "seccompmon.lost.reasons.kernel_lost"));
	assert_null(jget(e, "seccompmon.lost.reasons.enobufs_overflows"));
	assert_string_equal(jstr(e, "event.start"),
	    "2026-11-27T22:06:26.000Z");
	e = lost_line(&ls, 2);
	assert_int_equal(jint(e, "seccompmon.lost.count"), 2);
	assert_int_equal(jint(e, "seccompmon.lost.reasons.malformed"), 1);
	assert_int_equal(jint(e, "seccompmon.lost.reasons.kernel_lost"), 1);
	assert_null(jget(e, "seccompmon.lost.outputs"));
	lines_free(&ls);
	assert_counters(f->pl, 3, 0, 0, 3, 0);
}

/* A syslog socket that is missing, then appears: the output recovers. */
static void
pipeline_lost__output_recovers__told_later_interval_grown(void **state)
{
	struct sink_syslog_opts so;
	struct sockaddr_un sa;
	struct sink *sl;
	struct lines ls;
	struct fix *f = *state;
	char dir[] = "/tmp/test_pipeline.XXXXXX", err[256], buf[4096], *j;
	json_object *e;
	ssize_t n;
	int fd;

	assert_non_null(mkdtemp(dir));
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	(void)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/log", dir);
	memset(&so, 0, sizeof(so));
	so.socket = sa.sun_path;
	so.facility = LOG_AUTHPRIV;
	so.ident = "seccompmon";
	so.format = SINK_SYSLOG_RFC3164;
	fix_file(f, &ctx_h);
	assert_non_null(sl = sink_syslog_new(&so, err, sizeof(err)));
	assert_int_equal(pipeline_add_sink(f->pl, sl, 0), 0);

	record(f, AUDIT_SECCOMP, rec_x86_64);
	record(f, AUDIT_SECCOMP, rec_i386);
	lost_at(f->pl, NULL, T0);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 3);
	e = lost_line(&ls, 2);
	assert_int_equal(lost_output(e, sink_name(sl)), 2);
	lines_free(&ls);

	/* The socket appears: the output is told what it missed, once. */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	lost_at(f->pl, NULL, T0 + 1000);
	lost_at(f->pl, NULL, T0 + 2000);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(j = strchr(buf, '{'));
	assert_non_null(e = json_tokener_parse(j));
	assert_string_equal(jstr(e, "event.action"), "events-lost");
	assert_int_equal(lost_output(e, sink_name(sl)), 2);
	/* From the start, not from the event it could not take. */
	assert_true(strcmp(jstr(e, "event.start"),
	    "2026-11-27T22:06:26.000Z") != 0);
	assert_string_equal(jstr(e, "event.end"), "2026-11-27T22:06:27.000Z");
	json_object_put(e);
	assert_true(recv(fd, buf, sizeof(buf), 0) < 0 && errno == EAGAIN);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 3);	/* the file was told already */
	lines_free(&ls);
	close(fd);
	(void)unlink(sa.sun_path);
	(void)rmdir(dir);
}

/* pipeline_stats */

/*
 * pipeline_stats() once every output has written what it was given, so
 * that its per-output numbers are final, and the line sent written.
 */
static const char *
stats_at(struct pipeline *pl, const struct pipeline_srcloss *src,
    int64_t now_ms, unsigned flags, size_t *len)
{
	const char *line;

	assert_true(pl == cur);
	if (flags & PIPELINE_STATS_SEND) {
		(void)pipeline_flush(pl);
		settle();
	}
	line = pipeline_stats(pl, src, now_ms, flags, len);
	if (flags & PIPELINE_STATS_SEND)
		settle();
	return line;
}

/* The stats event that is line i of ls. */
static json_object *
stats_line(struct lines *ls, size_t i)
{
	assert_true(i < ls->n);
	assert_string_equal(jstr(ls->obj[i], "event.action"), "stats");
	return ls->obj[i];
}

/* seccompmon.stats.WHICH.KEY */
static int64_t
stat_of(json_object *e, const char *which, const char *key)
{
	char path[128];

	(void)snprintf(path, sizeof(path), "seccompmon.stats.%s.%s", which,
	    key);
	return jint(e, path);
}

/* received = emitted + summarized + malformed + nomem, in which. */
static void
assert_stats_add_up(json_object *e, const char *which)
{
	assert_int_equal(stat_of(e, which, "received"),
	    stat_of(e, which, "emitted") + stat_of(e, which, "summarized") +
	    stat_of(e, which, "lost.malformed") +
	    stat_of(e, which, "lost.nomem"));
}

/* Output 0 of seccompmon.stats.WHICH.outputs. */
static json_object *
stats_output(json_object *e, const char *which)
{
	char path[128];
	json_object *a;

	(void)snprintf(path, sizeof(path), "seccompmon.stats.%s.outputs",
	    which);
	assert_non_null(a = jget(e, path));
	assert_int_equal(json_object_array_length(a), 1);
	return json_object_array_get_idx(a, 0);
}

static void
pipeline_stats__storm_and_damage__numbers_add_up(void **state)
{
	enum { N = 3000 };
	struct pipeline_srcloss src = { 1, 4 };
	char text[512];
	struct lines ls;
	struct fix *f = *state;
	const char *line;
	json_object *e, *o;
	size_t len;
	unsigned i;

	fix_file(f, &ctx_h);
	assert_int_equal(pipeline_set_storm(f->pl, &storm_on, 0), 0);
	for (i = 1; i <= N; i++) {
		(void)snprintf(text, sizeof(text), REC_FMT, i, 10000 + i % 4);
		record(f, AUDIT_SECCOMP, text);
	}
	record(f, AUDIT_SECCOMP, rec_no_exe);	/* damaged: passes */
	record(f, AUDIT_SECCOMP, "garbage");	/* malformed */
	record(f, AUDIT_SECCOMP, "audit(");
	record(f, AUDIT_SYSCALL, rec_syscall);	/* not ours */
	pipeline_finish(f->pl);
	line = stats_at(f->pl, &src, T0, PIPELINE_STATS_SEND, &len);
	assert_non_null(line);
	assert_true(len > 0 && line[len - 1] == '\n');

	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, STORM_BURST + 1 + 1 + 1);
	e = stats_line(&ls, ls.n - 1);
	assert_string_equal(jstr(e, "event.kind"), "metric");
	assert_string_equal(jstr(e, "event.end"), "2026-11-27T22:06:26.000Z");
	assert_int_equal(stat_of(e, "interval", "received"), N + 3);
	assert_int_equal(stat_of(e, "interval", "emitted"), STORM_BURST + 1);
	assert_int_equal(stat_of(e, "interval", "incomplete"), 1);
	assert_int_equal(stat_of(e, "interval", "summarized"),
	    N - STORM_BURST);
	assert_int_equal(stat_of(e, "interval", "summaries"), 1);
	assert_int_equal(stat_of(e, "interval", "lost.malformed"), 2);
	assert_int_equal(stat_of(e, "interval", "lost.kernel_lost"), 4);
	assert_int_equal(stat_of(e, "interval", "lost.enobufs_overflows"), 1);
	assert_stats_add_up(e, "interval");
	assert_stats_add_up(e, "total");
	/* The first interval is the whole run. */
	assert_int_equal(stat_of(e, "total", "received"), N + 3);
	o = stats_output(e, "interval");
	assert_string_equal(jstr(o, "name"), "test");
	assert_int_equal(jint(o, "written"), (int64_t)ls.n - 1);
	assert_int_equal(jint(o, "lost"), 0);
	lines_free(&ls);

	/* The next interval: only what came since, back to back. */
	for (i = 0; i < 5; i++)
		record(f, AUDIT_SECCOMP, rec_i386);
	record(f, AUDIT_SECCOMP, "x");
	src.kernel_lost = 6;
	assert_non_null(stats_at(f->pl, &src, T0 + 60000,
	    PIPELINE_STATS_SEND, &len));
	lines_read(&ls, f->rfd);
	e = stats_line(&ls, ls.n - 1);
	assert_string_equal(jstr(e, "event.start"),
	    "2026-11-27T22:06:26.000Z");
	assert_string_equal(jstr(e, "event.end"), "2026-11-27T22:07:26.000Z");
	assert_int_equal(stat_of(e, "interval", "received"), 6);
	assert_int_equal(stat_of(e, "interval", "emitted"), 5);
	assert_int_equal(stat_of(e, "interval", "summarized"), 0);
	assert_int_equal(stat_of(e, "interval", "lost.malformed"), 1);
	assert_int_equal(stat_of(e, "interval", "lost.kernel_lost"), 2);
	assert_int_equal(stat_of(e, "interval", "lost.enobufs_overflows"), 0);
	assert_int_equal(stat_of(e, "total", "received"), N + 3 + 6);
	assert_int_equal(stat_of(e, "total", "lost.kernel_lost"), 6);
	assert_stats_add_up(e, "interval");
	assert_stats_add_up(e, "total");
	/* 5 events and the last stats event; in total, every line before. */
	assert_int_equal(jint(stats_output(e, "interval"), "written"), 6);
	assert_int_equal(jint(stats_output(e, "total"), "written"),
	    (int64_t)ls.n - 1);
	lines_free(&ls);
}

/* SIGUSR1's line: made, not sent, and the interval keeps running. */
static void
pipeline_stats__not_sent__interval_keeps_running(void **state)
{
	struct lines ls;
	struct fix *f = *state;
	const char *line;
	char *copy;
	json_object *e;
	size_t len;

	fix_file(f, &ctx_h);
	record(f, AUDIT_SECCOMP, rec_x86_64);
	assert_non_null(line = stats_at(f->pl, NULL, T0, 0, &len));
	assert_non_null(copy = strndup(line, len));	/* not NUL-ended */
	assert_non_null(e = json_tokener_parse(copy));
	free(copy);
	assert_int_equal(stat_of(e, "interval", "received"), 1);
	assert_int_equal(stat_of(e, "total", "received"), 1);
	json_object_put(e);
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 0);	/* not sent, nor flushed */
	lines_free(&ls);

	record(f, AUDIT_SECCOMP, rec_i386);
	assert_non_null(stats_at(f->pl, NULL, T0 + 1000,
	    PIPELINE_STATS_SEND, &len));
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 3);
	e = stats_line(&ls, 2);
	assert_int_equal(stat_of(e, "interval", "received"), 2);
	assert_int_equal(jint(stats_output(e, "interval"), "written"), 2);
	lines_free(&ls);
}

/*
 * A failing output: its lost events in stats, as in events-lost; the loss
 * and stats reports it could not take are not counted.
 */
static void
pipeline_stats__failing_output__counted_in_stats_only(void **state)
{
	struct sink *good;
	struct lines ls;
	struct fix *f = *state;
	json_object *e, *a;
	size_t len, i;

	fix_pipe(f, &ctx_h);
	close(f->rfd);			/* "test" fails with EPIPE */
	f->rfd = -1;
	f->xfd = tmp_fd();
	assert_non_null(good = sink_fd_new(f->xfd, "file"));
	assert_int_equal(pipeline_add_sink(f->pl, good, 0), 0);
	record(f, AUDIT_SECCOMP, rec_x86_64);
	lost_at(f->pl, NULL, T0);
	assert_non_null(stats_at(f->pl, NULL, T0,
	    PIPELINE_STATS_SEND, &len));
	lost_at(f->pl, NULL, T0 + 1000);	/* no news */
	lines_read(&ls, f->xfd);
	assert_int_equal(ls.n, 3);	/* event, events-lost, stats */
	e = stats_line(&ls, 2);
	a = jget(e, "seccompmon.stats.total.outputs");
	assert_int_equal(json_object_array_length(a), 2);
	for (i = 0; i < 2; i++) {
		json_object *o = json_object_array_get_idx(a, i);

		if (strcmp(jstr(o, "name"), "test") == 0) {
			assert_int_equal(jint(o, "written"), 0);
			assert_int_equal(jint(o, "lost"), 1);
		} else {
			assert_string_equal(jstr(o, "name"), "file");
			assert_int_equal(jint(o, "written"), 2);
			assert_int_equal(jint(o, "lost"), 0);
		}
	}
	lines_free(&ls);
}


/* Monitoring gaps: the denial hook and pipeline_gap() */

struct noted {
	int32_t	 pid[64];
	int64_t	 time_ms[64];
	size_t	 n;
};

static void
note(void *arg, int32_t pid, int64_t time_ms)
{
	struct noted *nd = arg;

	if (nd->n < 64) {
		nd->pid[nd->n] = pid;
		nd->time_ms[nd->n] = time_ms;
		nd->n++;
	}
}

/*
 * Only errno, trap, trace and user_notif records (what a filter logs only
 * when loaded with SECCOMP_FILTER_FLAG_LOG) reach the hook, with the
 * record's pid and time; storm control folding them does not hide them.
 */
static void
pipeline_set_denial_hook__quiet_actions_only__pid_and_time(void **state)
{
	static const char *const codes[] = { "0x50000", "0x30000",
	    "0x7ff00000", "0x7fc00000", "0x7ffc0000", "0x80000000", "0x0",
	    "0x7fff0000", "0x50001" };
	static const int noted[] = { 1, 1, 1, 1, 0, 0, 0, 0, 1 };
	struct noted nd;
	struct fix *f = *state;
	char text[512];
	size_t i, want = 0;

	memset(&nd, 0, sizeof(nd));
	fix_file(f, &ctx_h);
	assert_int_equal(pipeline_set_storm(f->pl, &storm_on, 0), 0);
	pipeline_set_denial_hook(f->pl, note, &nd);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		(void)snprintf(text, sizeof(text), "audit(1700000001.250:%zu): "
		    "auid=1000 uid=1000 gid=1000 ses=3 pid=%zu comm=\"w\" "
		    "exe=\"/w\" sig=0 arch=c000003e syscall=110 compat=0 "
		    "ip=0x7f0000001000 code=%s", i + 1, 4000 + i, codes[i]);
		record(f, AUDIT_SECCOMP, text);
		if (noted[i]) {
			assert_int_equal(nd.n, want + 1);
			assert_int_equal(nd.pid[want], 4000 + i);
			assert_int_equal(nd.time_ms[want], 1700000001250);
			want++;
		} else
			assert_int_equal(nd.n, want);
	}
	/* Past the burst, folded into a summary: still noted. */
	for (i = 0; i < STORM_BURST + 2; i++)
		record(f, AUDIT_SECCOMP, "audit(1700000001.300:99): auid=1 "
		    "uid=1 gid=1 ses=1 pid=4242 comm=\"w\" exe=\"/w\" sig=0 "
		    "arch=c000003e syscall=110 compat=0 ip=0x1 code=0x50000");
	assert_int_equal(nd.n, want + STORM_BURST + 2);
	assert_true(pipeline_counters(f->pl)->summarized > 0);
	/* A record without a pid cannot be told. */
	record(f, AUDIT_SECCOMP, "audit(1700000001.300:100): auid=1 uid=1 "
	    "gid=1 ses=1 comm=\"w\" exe=\"/w\" sig=0 arch=c000003e "
	    "syscall=110 compat=0 ip=0x1 code=0x50000");
	assert_int_equal(nd.n, want + STORM_BURST + 2);
	pipeline_set_denial_hook(f->pl, NULL, NULL);
	record(f, AUDIT_SECCOMP, "audit(1700000001.300:101): auid=1 uid=1 "
	    "gid=1 ses=1 pid=7 comm=\"w\" exe=\"/w\" sig=0 arch=c000003e "
	    "syscall=110 compat=0 ip=0x1 code=0x50000");
	assert_int_equal(nd.n, want + STORM_BURST + 2);
}

/*
 * A gap line goes to the output after the violations read before it, and
 * is counted as written; the flush it makes leaves no batch behind.
 */
static void
pipeline_gap__after_violations__written_in_order(void **state)
{
	static const char line[] = "{\"event\":{\"action\":\"monitoring-gap\"}}"
	    "\n";
	struct lines ls;
	struct fix *f = *state;

	fix_file(f, &ctx_h);
	record(f, AUDIT_SECCOMP, rec_x86_64);
	settle();
	pipeline_gap(f->pl, line, sizeof(line) - 1, 1700000000000);
	settle();
	lines_read(&ls, f->rfd);
	assert_int_equal(ls.n, 2);
	assert_string_equal(jstr(ls.obj[0], "event.action"),
	    "violated-seccomp-policy");
	assert_string_equal(jstr(ls.obj[1], "event.action"), "monitoring-gap");
	lines_free(&ls);
	assert_int_equal(sink_counters(f->sink)->events, 2);
	assert_int_equal(out_lost(f->pl, 0), 0);
}

static int
group_setup(void **state)
{
	(void)state;
	/* A sink whose reader is gone must see EPIPE, not kill the test. */
	(void)signal(SIGPIPE, SIG_IGN);
	return systab_init();
}

static int
group_teardown(void **state)
{
	(void)state;
	systab_free();
	return 0;
}

#define T(name) cmocka_unit_test_setup_teardown(name, fix_setup, fix_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(pipeline_stats__storm_and_damage__numbers_add_up),
		T(pipeline_stats__not_sent__interval_keeps_running),
		T(pipeline_stats__failing_output__counted_in_stats_only),
		T(pipeline_set_denial_hook__quiet_actions_only__pid_and_time),
		T(pipeline_gap__after_violations__written_in_order),
		T(pipeline_record__seccomp_record__one_json_line_after_flush),
		T(pipeline_record__i386_record__syscall_named_from_i386_table),
		T(pipeline_record__other_record_types__counted_nothing_written),
		T(pipeline_record__malformed_seccomp__counted_nothing_written),
		T(pipeline_record__exe_missing__incomplete_event_with_error),
		T(pipeline_record__comm_not_utf8__counted_incomplete),
		T(pipeline_record__host_override__that_record_only),
		T(pipeline_record__5000_records__auto_flushed_all_in_order),
		T(pipeline_record__storm_of_one_key__burst_then_one_summary),
		T(pipeline_record__storm_off__every_record_an_event),
		T(pipeline_record__storm_of_damaged_records__all_pass),
		T(pipeline_record__storm_of_own_records__one_then_summary),
		T(pipeline_tick__window_over__summary_written_only_when_following_clock),
		T(pipeline_flush__empty_batch__nothing_written),
		T(pipeline_flush__reader_gone__epipe_and_stays_failed),
		T(pipeline_flush__one_sink_fails__other_written_flush_ok),
		T(pipeline_add_sink__twelve_outputs__each_gets_every_event),
		T(pipeline_lost__failing_output__reported_to_working_output_exact),
		T(pipeline_lost__source_and_malformed__each_counted_once),
		T(pipeline_lost__output_recovers__told_later_interval_grown),
		T(replay_step__mixed_log_file__counters_and_events),
	T(replay_step__damaged_comm_or_node__error_and_original),
		T(replay_step__long_line_in_one_read__skipped_as_too_long),
		T(replay_step__line_of_exactly_max__handled),
		T(replay_step__line_over_buffer__skipped_next_handled),
		T(replay_step__line_split_across_reads__handled_once),
		T(replay_step__idle_nonblocking_pipe__returns_0),
		T(replay_step__mixed_log_in_tiny_reads__same_result),
		T(replay_step__crlf_lines__handled),
		T(replay_step__read_error__minus_one_with_errno),
		T(replay_open__missing_file__enoent),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
