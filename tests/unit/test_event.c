/*
 * Unit tests for reporter/event: struct violation -> one JSON line.  The
 * golden pairs in tests/data/golden (NAME.record as the kernel sends it,
 * NAME.json written by hand from the record) are compared byte for byte;
 * every line produced here is also parsed back with json-c.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json.h>

#include "reporter/event.h"
#include "reporter/obuf.h"
#include "reporter/systab.h"
#include "reporter/violation.h"

#define GOLDEN_DIR TOP_SRCDIR "/tests/data/golden"

/* The pairs this file promises to check; more may exist. */
static const char *const required_goldens[] = {
	"x86_64_log_selinux", "i386_kill_thread_sshd", "aarch64_kill_process",
	"x86_64_errno_apparmor", "x86_64_trap", "x32_kill_process",
	"i386_compat_user_notif", "unknown_syscall_trace", "unknown_arch",
	"exe_null", "hex_comm_quote_space", "comm_invalid_utf8", "missing_ip",
	"apparmor_subj_enforce", "apparmor_subj_double_equals",
	"pid_overflow", "strict_mode_sigkill",
};

#define R_SSHD "audit(1433785727.186:10262): auid=20003 uid=22 gid=22 " \
	"ses=21 pid=11217 comm=\"sshd\" exe=\"/usr/sbin/sshd\" sig=31 " \
	"arch=40000003 syscall=132 compat=0 ip=0xb7670aac code=0x0"

static struct violation *V;

static int
setup(void **state)
{
	(void)state;
	if (systab_init() != 0)
		return -1;
	V = calloc(1, sizeof(*V));
	return V == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(V);
	systab_free();
	return 0;
}

static char *
read_file(const char *path, size_t *n)
{
	FILE *f;
	char *buf;
	long sz;

	f = fopen(path, "rb");
	if (f == NULL) {
		print_error("cannot open %s\n", path);
		fail();
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	assert_true(sz >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = malloc((size_t)sz + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	buf[sz] = '\0';
	(void)fclose(f);
	*n = (size_t)sz;
	return buf;
}

/*
 * line[0..n) must be one JSON object followed by exactly one '\n', with no
 * other newline or control byte.  Returns the parsed object (caller puts).
 */
static struct json_object *
parse_line(const char *line, size_t n)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t i;

	assert_true(n >= 2);
	assert_int_equal(line[n - 1], '\n');
	for (i = 0; i < n - 1; i++)
		assert_true((unsigned char)line[i] >= 0x20);
	tok = json_tokener_new();
	assert_non_null(tok);
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, line, (int)(n - 1));
	if (json_tokener_get_error(tok) != json_tokener_success) {
		print_error("json-c: %s in [%.*s]\n",
		    json_tokener_error_desc(json_tokener_get_error(tok)),
		    (int)n, line);
		fail();
	}
	assert_int_equal(json_tokener_get_parse_end(tok), n - 1);
	assert_non_null(o);
	assert_true(json_object_is_type(o, json_type_object));
	json_tokener_free(tok);
	return o;
}

static struct json_object *
path(struct json_object *o, const char *a, const char *b)
{
	struct json_object *x = NULL, *y = NULL;

	if (!json_object_object_get_ex(o, a, &x))
		return NULL;
	if (b == NULL)
		return x;
	if (!json_object_object_get_ex(x, b, &y))
		return NULL;
	return y;
}

/*
 * Decode text and encode it with ctx into b (reset first).  event_encode()
 * returns 1 exactly when the event carries error.message, else 0.
 */
static int
encode(struct obuf *b, const char *text, size_t n,
    const struct event_ctx *ctx)
{
	struct json_object *o;
	int rc;

	assert_int_equal(violation_decode(text, n, V), VIOLATION_OK);
	obuf_reset(b);
	rc = event_encode(b, V, text, n, ctx);
	assert_false(obuf_failed(b));
	assert_true(rc == 0 || rc == 1);
	o = parse_line(b->data, b->len);
	assert_int_equal(rc, path(o, "error", "message") != NULL);
	json_object_put(o);
	return rc;
}

static const struct event_ctx test_ctx = { "testhost", 8, 0 };

/* 0 when NAME.record encodes to NAME.json exactly, else 1 (printed). */
static int
check_golden(const char *name)
{
	char p[4096];
	char *rec, *want;
	size_t rlen, wlen, i;
	struct json_object *o;
	struct obuf b;
	int bad = 0;

	(void)snprintf(p, sizeof(p), "%s/%s.record", GOLDEN_DIR, name);
	rec = read_file(p, &rlen);
	(void)snprintf(p, sizeof(p), "%s/%s.json", GOLDEN_DIR, name);
	want = read_file(p, &wlen);
	/* One line each; the record's newline is not part of the record. */
	assert_true(rlen > 0 && rec[rlen - 1] == '\n');
	rlen--;
	assert_null(memchr(rec, '\n', rlen));

	obuf_init(&b);
	(void)encode(&b, rec, rlen, &test_ctx);
	if (b.len != wlen || memcmp(b.data, want, wlen) != 0) {
		for (i = 0; i < b.len && i < wlen && b.data[i] == want[i]; i++)
			;
		print_error("golden %s differs at byte %zu\n  want: %.*s"
		    "  got:  %.*s", name, i, (int)wlen, want, (int)b.len,
		    b.data);
		bad = 1;
	}
	o = parse_line(b.data, b.len);
	json_object_put(o);
	o = parse_line(want, wlen);
	json_object_put(o);
	obuf_free(&b);
	free(rec);
	free(want);
	return bad;
}

static int
is_required(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(required_goldens) /
	    sizeof(required_goldens[0]); i++)
		if (strlen(required_goldens[i]) == n &&
		    memcmp(required_goldens[i], name, n) == 0)
			return 1;
	return 0;
}

static void
event_encode__golden_records__byte_exact(void **state)
{
	char name[256];
	struct dirent **ents = NULL;
	size_t len, seen_required = 0;
	int n, i, bad = 0, checked = 0;

	(void)state;
	n = scandir(GOLDEN_DIR, &ents, NULL, alphasort);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		len = strlen(ents[i]->d_name);
		if (len > 7 && len - 7 < sizeof(name) &&
		    strcmp(ents[i]->d_name + len - 7, ".record") == 0) {
			memcpy(name, ents[i]->d_name, len - 7);
			name[len - 7] = '\0';
			bad += check_golden(name);
			checked++;
			if (is_required(name, len - 7))
				seen_required++;
		}
		free(ents[i]);
	}
	free(ents);
	print_message("%d golden pairs checked, %d differ\n", checked, bad);
	assert_int_equal(seen_required, sizeof(required_goldens) /
	    sizeof(required_goldens[0]));
	assert_int_equal(bad, 0);
}

static void
event_encode__original_flag__original_added(void **state)
{
	static const struct event_ctx ctx = { "h", 1, EVENT_ORIGINAL };
	struct json_object *o, *orig;
	struct obuf b;

	(void)state;
	obuf_init(&b);
	assert_int_equal(encode(&b, R_SSHD, strlen(R_SSHD), &test_ctx), 0);
	o = parse_line(b.data, b.len);
	assert_null(path(o, "event", "original"));
	assert_null(path(o, "error", NULL));
	json_object_put(o);

	assert_int_equal(encode(&b, R_SSHD, strlen(R_SSHD), &ctx), 0);
	o = parse_line(b.data, b.len);
	orig = path(o, "event", "original");
	assert_non_null(orig);
	assert_string_equal(json_object_get_string(orig), R_SSHD);
	/* Asked for, not a sign of damage. */
	assert_null(path(o, "error", NULL));
	json_object_put(o);
	obuf_free(&b);
}

static void
event_encode__no_host__host_left_out(void **state)
{
	static const struct event_ctx ctx = { NULL, 0, 0 };
	struct json_object *o;
	struct obuf b;

	(void)state;
	obuf_init(&b);
	assert_int_equal(encode(&b, R_SSHD, strlen(R_SSHD), &ctx), 0);
	o = parse_line(b.data, b.len);
	assert_null(path(o, "host", NULL));
	assert_non_null(path(o, "process", "pid"));
	json_object_put(o);
	obuf_free(&b);
}

static void
event_encode__host_with_quote__escaped(void **state)
{
	static const struct event_ctx ctx = { "we\"ird\nhostX", 11, 0 };
	struct json_object *o;
	struct obuf b;

	(void)state;
	obuf_init(&b);
	assert_int_equal(encode(&b, R_SSHD, strlen(R_SSHD), &ctx), 0);
	o = parse_line(b.data, b.len);
	assert_string_equal(json_object_get_string(path(o, "host", "name")),
	    "we\"ird\nhost");
	json_object_put(o);
	obuf_free(&b);
}

static void
event_encode__buffer_not_empty__appends(void **state)
{
	struct obuf b, c;

	(void)state;
	obuf_init(&b);
	obuf_init(&c);
	assert_int_equal(encode(&c, R_SSHD, strlen(R_SSHD), &test_ctx), 0);
	obuf_puts(&b, "previous line\n");
	assert_int_equal(event_encode(&b, V, R_SSHD, strlen(R_SSHD),
	    &test_ctx), 0);
	assert_int_equal(b.len, 14 + c.len);
	assert_memory_equal(b.data, "previous line\n", 14);
	assert_memory_equal(b.data + 14, c.data, c.len);
	obuf_free(&b);
	obuf_free(&c);
}

static void
event_encode__only_one_field__error_lists_the_missing(void **state)
{
	static const char rec[] = "audit(1795817186.337:7): pid=42";
	struct json_object *o, *msg;
	struct obuf b;
	const char *m;

	(void)state;
	obuf_init(&b);
	assert_int_equal(encode(&b, rec, sizeof(rec) - 1, &test_ctx), 1);
	o = parse_line(b.data, b.len);
	assert_int_equal(json_object_get_int(path(o, "process", "pid")), 42);
	assert_string_equal(json_object_get_string(path(o, "event",
	    "original")), rec);
	assert_int_equal(json_object_get_int(path(o, "event", "sequence")), 7);
	msg = path(o, "error", "message");
	assert_non_null(msg);
	m = json_object_get_string(msg);
	/* Every required field but pid is named. */
	assert_non_null(strstr(m, "auid"));
	assert_non_null(strstr(m, "comm"));
	assert_non_null(strstr(m, "code"));
	assert_non_null(strstr(m, "syscall"));
	assert_null(strstr(m, "pid"));
	assert_null(strstr(m, "subj"));
	assert_null(path(o, "user", NULL));
	json_object_put(o);
	obuf_free(&b);
}

/*
 * A string found not to be UTF-8 only while it is written (comm, exe, and
 * subj, which comes last) still puts event.original inside the event
 * object: the line is the one EVENT_ORIGINAL would have given.
 */
static void
event_encode__late_string_not_utf8__original_in_event(void **state)
{
	static const char *const recs[] = {
		"audit(1795817186.343:9): auid=1000 uid=1000 gid=1000 ses=2 "
		    "pid=7 comm=61FF62 exe=\"/bin/x\" sig=0 arch=c000003e "
		    "syscall=59 compat=0 ip=0x7f0000005000 code=0x50000",
		"audit(1795817186.343:9): auid=1000 uid=1000 gid=1000 ses=2 "
		    "pid=7 comm=\"x\" exe=2F62696E2FC0AF sig=0 arch=c000003e "
		    "syscall=59 compat=0 ip=0x7f0000005000 code=0x50000",
		"audit(1795817186.343:9): auid=1000 uid=1000 gid=1000 ses=2 "
		    "subj=unconfined_t:\xfe pid=7 comm=\"x\" exe=\"/bin/x\" "
		    "sig=0 arch=c000003e syscall=59 compat=0 "
		    "ip=0x7f0000005000 code=0x50000",
	};
	static const char *const field[] = { "comm", "exe", "subj" };
	static const struct event_ctx with = { "h", 1, EVENT_ORIGINAL };
	static const struct event_ctx without = { "h", 1, 0 };
	struct json_object *o;
	struct obuf a, b;
	size_t i, n;

	(void)state;
	obuf_init(&a);
	obuf_init(&b);
	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		n = strlen(recs[i]);
		assert_int_equal(encode(&a, recs[i], n, &without), 1);
		assert_int_equal(encode(&b, recs[i], n, &with), 1);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		o = parse_line(a.data, a.len);
		assert_non_null(path(o, "event", "original"));
		assert_non_null(strstr(json_object_get_string(path(o, "error",
		    "message")), field[i]));
		json_object_put(o);
	}
	obuf_free(&a);
	obuf_free(&b);
}

/* Any record the decoder accepts becomes one valid JSON object line. */
static void
check_any(struct obuf *b, const char *text, size_t n)
{
	struct json_object *o;
	int rc;

	if (violation_decode(text, n, V) != VIOLATION_OK)
		return;
	obuf_reset(b);
	rc = event_encode(b, V, text, n, &test_ctx);
	o = parse_line(b->data, b->len);
	assert_int_equal(rc, path(o, "error", "message") != NULL);
	assert_non_null(path(o, "@timestamp", NULL));
	assert_non_null(path(o, "event", "sequence"));
	json_object_put(o);
}

static void
event_encode__every_prefix_and_mutation__valid_json_line(void **state)
{
	static const char alphabet[] = "= \"\\0aZ()-:.x\n\x01\x1f\x7f\xc3\xff";
	char buf[sizeof(R_SSHD)];
	size_t n = sizeof(R_SSHD) - 1, cut, k;
	struct obuf b;
	int round, flips;

	(void)state;
	obuf_init(&b);
	for (cut = 0; cut <= n; cut++)
		check_any(&b, R_SSHD, cut);
	srand(1326);
	for (round = 0; round < 20000; round++) {
		memcpy(buf, R_SSHD, n);
		for (flips = rand() % 4 + 1; flips > 0; flips--) {
			k = (size_t)rand() % n;
			buf[k] = alphabet[(size_t)rand() %
			    (sizeof(alphabet) - 1)];
		}
		check_any(&b, buf, n);
	}
	obuf_free(&b);
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(event_encode__golden_records__byte_exact),
	T(event_encode__original_flag__original_added),
	T(event_encode__no_host__host_left_out),
	T(event_encode__host_with_quote__escaped),
	T(event_encode__buffer_not_empty__appends),
	T(event_encode__only_one_field__error_lists_the_missing),
	T(event_encode__late_string_not_utf8__original_in_event),
	T(event_encode__every_prefix_and_mutation__valid_json_line),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, setup, teardown);
}
