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
	"pid_overflow", "strict_mode_sigkill", "quoted_comm_control",
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

/*
 * A quoted comm holding a NUL or an ESC is not the kernel's text (it would
 * have hex-encoded it): the name is kept, escaped, and the event says so.
 */
static void
event_encode__misquoted_comm__kept_error_and_original(void **state)
{
	static const char esc[] = "audit(1795817186.343:9): auid=1000 "
	    "uid=1000 gid=1000 ses=2 pid=7 comm=\"a\x1b[2J\" exe=\"/bin/x\" "
	    "sig=0 arch=c000003e syscall=59 compat=0 ip=0x7f0000005000 "
	    "code=0x50000";
	static const char nul[] = "audit(1795817186.343:9): auid=1000 "
	    "uid=1000 gid=1000 ses=2 pid=7 comm=\"a\0b\" exe=\"/bin/x\" "
	    "sig=0 arch=c000003e syscall=59 compat=0 ip=0x7f0000005000 "
	    "code=0x50000";
	static const struct event_ctx ctx = { "h", 1, 0, 0 };
	struct json_object *o;
	struct obuf b;

	(void)state;
	obuf_init(&b);
	assert_int_equal(encode(&b, esc, sizeof(esc) - 1, &ctx), 1);
	o = parse_line(b.data, b.len);
	assert_string_equal(json_object_get_string(path(o, "process",
	    "name")), "a\x1b[2J");
	assert_string_equal(json_object_get_string(path(o, "error",
	    "message")), "quoted with bytes the kernel hex-encodes: comm "
	    "(see event.original)");
	assert_string_equal(json_object_get_string(path(o, "event",
	    "original")), esc);
	json_object_put(o);
	assert_int_equal(encode(&b, nul, sizeof(nul) - 1, &ctx), 1);
	o = parse_line(b.data, b.len);
	assert_int_equal(json_object_get_string_len(path(o, "process",
	    "name")), 3);
	assert_memory_equal(json_object_get_string(path(o, "process",
	    "name")), "a\0b", 3);
	assert_int_equal(json_object_get_string_len(path(o, "event",
	    "original")), sizeof(nul) - 1);
	json_object_put(o);
	obuf_free(&b);
}

/*
 * A replayed line's node= is the record's own: bytes in it that are not
 * UTF-8 are damage, said as for a field.  This host's own name is not.
 */
static void
event_encode__node_not_utf8__error_and_original(void **state)
{
	static const char comm[] = "audit(1795817186.343:9): auid=1000 "
	    "uid=1000 gid=1000 ses=2 pid=7 comm=61FF62 exe=\"/bin/x\" sig=0 "
	    "arch=c000003e syscall=59 compat=0 ip=0x7f0000005000 "
	    "code=0x50000";
	static const struct event_ctx node = { "web\xff" "1", 5,
	    EVENT_HOST_NODE, 0 };
	static const struct event_ctx own = { "web\xff" "1", 5, 0, 0 };
	struct json_object *o;
	struct obuf b;

	(void)state;
	obuf_init(&b);
	assert_int_equal(encode(&b, R_SSHD, strlen(R_SSHD), &node), 1);
	o = parse_line(b.data, b.len);
	assert_string_equal(json_object_get_string(path(o, "host", "name")),
	    "web\xef\xbf\xbd" "1");
	assert_string_equal(json_object_get_string(path(o, "error",
	    "message")), "not UTF-8, bytes replaced by U+FFFD: node "
	    "(see event.original)");
	assert_string_equal(json_object_get_string(path(o, "event",
	    "original")), R_SSHD);
	json_object_put(o);
	assert_int_equal(encode(&b, comm, strlen(comm), &node), 1);
	o = parse_line(b.data, b.len);
	assert_string_equal(json_object_get_string(path(o, "error",
	    "message")), "not UTF-8, bytes replaced by U+FFFD: comm, node "
	    "(see event.original)");
	json_object_put(o);
	assert_int_equal(encode(&b, R_SSHD, strlen(R_SSHD), &own), 0);
	obuf_free(&b);
}

/*
 * ECS 8.11.0, schemas/event.yml of elastic/ecs at tag v8.11.0 (commit
 * ce703ab38f0c): the allowed values of event.kind, event.category with each
 * category's expected_event_types, event.type and event.outcome.
 */
static const char ecs_kinds[] =
    " alert asset enrichment event metric state pipeline_error signal ";
static const char ecs_types[] =
    " access admin allowed change connection creation deletion denied end"
    " error group indicator info installation protocol start user ";
static const char ecs_outcomes[] = " failure success unknown ";
static const struct {
	const char *category;
	const char *expected_types;
} ecs_categories[] = {
	{ "api", " access admin allowed change creation deletion denied end"
	    " info start user " },
	{ "authentication", " start end info " },
	{ "configuration", " access change creation deletion info " },
	{ "database", " access change info error " },
	{ "driver", " change end info start " },
	{ "email", " info " },
	{ "file", " access change creation deletion info " },
	{ "host", " access change end info start " },
	{ "iam", " admin change creation deletion group info user " },
	{ "intrusion_detection", " allowed denied info " },
	{ "library", " start " },
	{ "malware", " info " },
	{ "network", " access allowed connection denied end info protocol"
	    " start " },
	{ "package", " access change deletion info installation start " },
	{ "process", " access change end info start " },
	{ "registry", " access change creation deletion " },
	{ "session", " start end info " },
	{ "threat", " indicator " },
	{ "vulnerability", " info " },
	{ "web", " access error info " },
};

/*
 * The ECS fields seccompmon writes and their ECS 8.11.0 types, from
 * generated/ecs/ecs_flat.yml of the same tag ("keyword (array)": type
 * keyword, normalize array).  Fields outside these must be under a custom
 * namespace.
 */
static const struct {
	const char *field;
	const char *type;
} ecs_fields[] = {
	{ "@timestamp", "date" },
	{ "ecs.version", "keyword" },
	{ "event.kind", "keyword" },
	{ "event.category", "keyword (array)" },
	{ "event.type", "keyword (array)" },
	{ "event.action", "keyword" },
	{ "event.outcome", "keyword" },
	{ "event.module", "keyword" },
	{ "event.dataset", "keyword" },
	{ "event.sequence", "long" },
	{ "event.original", "keyword" },
	{ "event.start", "date" },
	{ "event.end", "date" },
	{ "host.name", "keyword" },
	{ "process.pid", "long" },
	{ "process.name", "keyword" },
	{ "process.executable", "keyword" },
	{ "process.args", "keyword (array)" },
	{ "process.args_count", "long" },
	{ "process.command_line", "wildcard" },
	{ "process.working_directory", "keyword" },
	{ "process.start", "date" },
	{ "process.parent.pid", "long" },
	{ "user.id", "keyword" },
	{ "user.name", "keyword" },
	{ "user.group.id", "keyword" },
	{ "user.group.name", "keyword" },
	{ "service.name", "keyword" },
	{ "container.id", "keyword" },
	{ "container.runtime", "keyword" },
	{ "orchestrator.type", "keyword" },
	{ "orchestrator.namespace", "keyword" },
	{ "orchestrator.resource.type", "keyword" },
	{ "orchestrator.resource.id", "keyword" },
	{ "orchestrator.resource.name", "keyword" },
	{ "error.message", "match_only_text" },
	{ "message", "match_only_text" },
};

/* docs/events.md: "seccomp.*", "auditd.*" and "seccompmon.*" are ours. */
static const char *const custom_namespaces[] = {
	"seccomp", "auditd", "seccompmon",
};

/* 1 when word is one of the blank-separated words of list. */
static int
word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = strstr(list, word); p != NULL; p = strstr(p + 1, word))
		if (p > list && p[-1] == ' ' && p[n] == ' ')
			return 1;
	return 0;
}

/* The strings of the array at o.a.b, each checked against list. */
static struct json_object *
want_array_of(struct json_object *o, const char *a, const char *b,
    const char *list)
{
	struct json_object *arr = path(o, a, b), *x;
	size_t i;

	assert_non_null(arr);
	assert_true(json_object_is_type(arr, json_type_array));
	assert_true(json_object_array_length(arr) > 0);
	for (i = 0; i < json_object_array_length(arr); i++) {
		x = json_object_array_get_idx(arr, i);
		assert_true(json_object_is_type(x, json_type_string));
		if (list != NULL && !word_in(list, json_object_get_string(x))) {
			print_error("%s.%s: \"%s\" is not an ECS 8.11 value\n",
			    a, b, json_object_get_string(x));
			fail();
		}
	}
	return arr;
}

static const char *
category_expects(const char *category)
{
	size_t i;

	for (i = 0; i < sizeof(ecs_categories) / sizeof(ecs_categories[0]);
	    i++)
		if (strcmp(ecs_categories[i].category, category) == 0)
			return ecs_categories[i].expected_types;
	return NULL;
}

/*
 * The categorization of o is valid ECS 8.11: kind, every category, every
 * type and the outcome are allowed values, and each type is an expected
 * type of one of the event's categories (the rule elastic-package applies,
 * internal/fields/validate.go ensureExpectedEventType()).
 */
static void
check_categorization(struct json_object *o, int with_outcome)
{
	struct json_object *cats, *types;
	const char *t, *expects, *module, *dataset;
	size_t i, j;
	int expected;

	assert_true(word_in(ecs_kinds, json_object_get_string(path(o, "event",
	    "kind"))));
	if (with_outcome)
		assert_true(word_in(ecs_outcomes, json_object_get_string(path(o,
		    "event", "outcome"))));
	else
		assert_null(path(o, "event", "outcome"));
	cats = want_array_of(o, "event", "category", NULL);
	for (i = 0; i < json_object_array_length(cats); i++)
		assert_non_null(category_expects(json_object_get_string(
		    json_object_array_get_idx(cats, i))));
	types = want_array_of(o, "event", "type", ecs_types);
	for (j = 0; j < json_object_array_length(types); j++) {
		t = json_object_get_string(json_object_array_get_idx(types, j));
		expected = 0;
		for (i = 0; i < json_object_array_length(cats); i++) {
			expects = category_expects(json_object_get_string(
			    json_object_array_get_idx(cats, i)));
			expected |= word_in(expects, t);
		}
		if (!expected) {
			print_error("event.type %s is expected by none of %s\n",
			    t, json_object_to_json_string(cats));
			fail();
		}
	}
	/* Set, and the dataset named after the module (ECS advice). */
	module = json_object_get_string(path(o, "event", "module"));
	dataset = json_object_get_string(path(o, "event", "dataset"));
	assert_non_null(module);
	assert_non_null(dataset);
	assert_true(strlen(module) > 0);
	assert_true(strncmp(dataset, module, strlen(module)) == 0 &&
	    dataset[strlen(module)] == '.' && dataset[strlen(module) + 1]);
}

static void
check_ecs_categorization(struct json_object *o)
{
	check_categorization(o, 1);
}

/* A full record, every field set, for a given code= value. */
#define R_FULL(code) "audit(1795817186.337:2): auid=1000 uid=1000 " \
	"gid=1000 ses=3 subj=unconfined pid=4242 comm=\"w\" exe=\"/bin/w\" " \
	"sig=31 arch=c000003e syscall=101 compat=0 ip=0x7f00000074f7 " \
	"code=" code

/* Every action, and one the kernel may add later. */
static const char *const every_action[] = {
	R_FULL("0x80000000"), R_FULL("0x0"), R_FULL("0x30000"),
	R_FULL("0x50000"), R_FULL("0x7fc00000"), R_FULL("0x7ff00000"),
	R_FULL("0x7ffc0000"), R_FULL("0x7fff0000"), R_FULL("0x7ffd0000"),
};

static void
event_encode__every_action__ecs_categorization_valid(void **state)
{
	static const char *const action[] = {
		"kill_process", "kill_thread", "trap", "errno", "user_notif",
		"trace", "log", "allow", "unknown",
	};
	struct json_object *o;
	struct obuf b;
	size_t i;

	(void)state;
	obuf_init(&b);
	for (i = 0; i < sizeof(every_action) / sizeof(every_action[0]); i++) {
		assert_int_equal(encode(&b, every_action[i],
		    strlen(every_action[i]), &test_ctx), 0);
		o = parse_line(b.data, b.len);
		assert_string_equal(json_object_get_string(path(o, "seccomp",
		    "action")), action[i]);
		check_ecs_categorization(o);
		json_object_put(o);
	}
	obuf_free(&b);
}

/* The Type cell of the row of docs/events.md that documents field. */
static int
doc_type(const char *doc, const char *field, char *type, size_t len)
{
	char row[300];
	const char *p, *e;

	(void)snprintf(row, sizeof(row), "\n| `%s` | ", field);
	if ((p = strstr(doc, row)) == NULL)
		return -1;
	p += strlen(row);
	if ((e = strstr(p, " |")) == NULL || (size_t)(e - p) >= len)
		return -1;
	memcpy(type, p, (size_t)(e - p));
	type[e - p] = '\0';
	return 0;
}

/* 1 when JSON value x has the shape of Elasticsearch type t. */
static int
has_type(struct json_object *x, const char *t)
{
	size_t i;

	if (strcmp(t, "keyword (array)") == 0) {
		if (!json_object_is_type(x, json_type_array))
			return 0;
		for (i = 0; i < json_object_array_length(x); i++)
			if (!json_object_is_type(json_object_array_get_idx(x,
			    i), json_type_string))
				return 0;
		return 1;
	}
	if (strcmp(t, "long (array)") == 0) {
		if (!json_object_is_type(x, json_type_array))
			return 0;
		for (i = 0; i < json_object_array_length(x); i++)
			if (!json_object_is_type(json_object_array_get_idx(x,
			    i), json_type_int))
				return 0;
		return 1;
	}
	if (strcmp(t, "object (array)") == 0) {
		if (!json_object_is_type(x, json_type_array))
			return 0;
		for (i = 0; i < json_object_array_length(x); i++)
			if (!json_object_is_type(json_object_array_get_idx(x,
			    i), json_type_object))
				return 0;
		return 1;
	}
	if (strcmp(t, "keyword") == 0 || strcmp(t, "date") == 0 ||
	    strcmp(t, "match_only_text") == 0 || strcmp(t, "wildcard") == 0)
		return json_object_is_type(x, json_type_string);
	if (strcmp(t, "long") == 0)
		return json_object_is_type(x, json_type_int);
	if (strcmp(t, "boolean") == 0)
		return json_object_is_type(x, json_type_boolean);
	return 0;
}

/*
 * Every field of o, below prefix: an ECS field with ECS's type, or a field
 * of a custom namespace; either way documented in doc with that type.
 */
static void
check_fields(struct json_object *o, const char *prefix, const char *doc)
{
	char field[256], type[64];
	size_t i;
	int ecs, custom;

	json_object_object_foreach(o, k, x) {
		(void)snprintf(field, sizeof(field), "%s%s%s", prefix,
		    *prefix ? "." : "", k);
		if (json_object_is_type(x, json_type_object)) {
			check_fields(x, field, doc);
			continue;
		}
		ecs = -1;
		for (i = 0; i < sizeof(ecs_fields) / sizeof(ecs_fields[0]); i++)
			if (strcmp(ecs_fields[i].field, field) == 0)
				ecs = (int)i;
		custom = 0;
		for (i = 0; i < sizeof(custom_namespaces) /
		    sizeof(custom_namespaces[0]); i++)
			if (strncmp(field, custom_namespaces[i],
			    strlen(custom_namespaces[i])) == 0 &&
			    field[strlen(custom_namespaces[i])] == '.')
				custom = 1;
		if (ecs < 0 && !custom) {
			print_error("%s: neither ECS nor a custom namespace\n",
			    field);
			fail();
		}
		if (ecs >= 0 && !has_type(x, ecs_fields[ecs].type)) {
			print_error("%s: not of ECS type %s\n", field,
			    ecs_fields[ecs].type);
			fail();
		}
		if (doc_type(doc, field, type, sizeof(type)) < 0) {
			print_error("%s: no row in docs/events.md\n", field);
			fail();
		}
		if (ecs >= 0)
			assert_string_equal(type, ecs_fields[ecs].type);
		if (!has_type(x, type)) {
			print_error("%s: not of its documented type %s\n",
			    field, type);
			fail();
		}
		/* An array of objects: the fields of each, below field. */
		if (strcmp(type, "object (array)") == 0)
			for (i = 0; i < json_object_array_length(x); i++)
				check_fields(json_object_array_get_idx(x, i),
				    field, doc);
	}
}

/* docs/events.md, the tables of its "Fields" section only. */
static char *
doc_fields(char **doc)
{
	char *fields, *end;
	size_t n;

	*doc = read_file(TOP_SRCDIR "/docs/events.md", &n);
	fields = strstr(*doc, "\n## Fields\n");
	assert_non_null(fields);
	if ((end = strstr(fields + 1, "\n## ")) != NULL)
		*end = '\0';
	return fields;
}

static void
event_encode__every_field__ecs_or_custom_and_documented(void **state)
{
	/* Damaged (comm not UTF-8): error.message and event.original. */
	static const char damaged[] = "audit(1795817186.337:2): auid=1000 "
	    "uid=1000 gid=1000 ses=3 subj=unconfined pid=4242 comm=FF "
	    "exe=\"/bin/w\" sig=31 arch=c000003e syscall=101 compat=0 "
	    "ip=0x7f00000074f7 code=0x80000000";
	static const struct event_ctx self = { "h", 1, 0, 4242 };
	struct json_object *o;
	struct obuf b;
	size_t i, n;
	char *doc, *fields, *end;

	(void)state;
	doc = read_file(TOP_SRCDIR "/docs/events.md", &n);
	/* The tables of the "Fields" section, not the examples elsewhere. */
	fields = strstr(doc, "\n## Fields\n");
	assert_non_null(fields);
	if ((end = strstr(fields + 1, "\n## ")) != NULL)
		*end = '\0';
	obuf_init(&b);
	for (i = 0; i < sizeof(every_action) / sizeof(every_action[0]); i++) {
		(void)encode(&b, every_action[i], strlen(every_action[i]),
		    &self);
		o = parse_line(b.data, b.len);
		assert_non_null(path(o, "seccompmon", "self"));
		check_fields(o, "", fields);
		json_object_put(o);
	}
	assert_int_equal(encode(&b, damaged, sizeof(damaged) - 1, &self), 1);
	o = parse_line(b.data, b.len);
	assert_non_null(path(o, "error", "message"));
	assert_non_null(path(o, "event", "original"));
	assert_non_null(path(o, "auditd", "auid"));
	check_fields(o, "", fields);
	json_object_put(o);
	obuf_free(&b);
	free(doc);
}

/*
 * The context of a live event: each field where docs/events.md puts it,
 * with its documented type; bytes a process controls (its arguments, its
 * directory, a cgroup name) stay inside their JSON strings.
 */
static void
event_encode__context__every_field_documented_hostile_bytes_kept(
    void **state)
{
	static const char args[] = "/bin/app\0b \"c\"\0\xff\x01\n";
	struct event_proc p;
	struct event_ctx ctx = { "h", 1, 0, 0, NULL };
	struct json_object *o, *a;
	struct obuf b;
	char *doc, *fields;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.source = "cached";
	p.ppid = 1;
	p.start_ms = 1795817186337LL;
	p.args = args;
	p.args_len = sizeof(args);	/* the last NUL included */
	p.nargs = 3;
	p.args_truncated = 1;
	p.cwd = "/srv/\x7f\"x";
	p.cwd_len = strlen(p.cwd);
	p.cgroup = "/system.slice/a\"b.service";
	p.service = "a\"b.service";
	p.container_id = "0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef";
	p.container_runtime = "docker";
	p.pod_uid = "0c6b4b38-1111-2222-3333-444455556666";
	p.pod_namespace = "kube-system";
	p.pod_name = "coredns-1";
	p.user_name = "alice";
	p.user_name_len = 5;
	p.group_name = "staff";
	p.group_name_len = 5;
	p.auid_name = "bob";
	p.auid_name_len = 3;
	ctx.proc = &p;
	obuf_init(&b);
	assert_int_equal(encode(&b, R_SSHD, strlen(R_SSHD), &ctx), 0);
	o = parse_line(b.data, b.len);
	a = path(o, "process", "args");
	assert_int_equal(json_object_array_length(a), 3);
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(a, 0)), "/bin/app");
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(a, 1)), "b \"c\"");
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(a, 2)), "\xef\xbf\xbd\x01\n");
	assert_int_equal(json_object_get_int(path(o, "process",
	    "args_count")), 3);
	assert_string_equal(json_object_get_string(path(o, "process",
	    "command_line")), "/bin/app b \"c\" \xef\xbf\xbd\x01\n");
	assert_string_equal(json_object_get_string(path(o, "process",
	    "working_directory")), "/srv/\x7f\"x");
	assert_string_equal(json_object_get_string(path(o, "process",
	    "start")), "2026-11-27T22:06:26.337Z");
	assert_int_equal(json_object_get_int(path(path(o, "process",
	    "parent"), "pid", NULL)), 1);
	assert_string_equal(json_object_get_string(path(o, "user", "name")),
	    "alice");
	assert_string_equal(json_object_get_string(path(path(o, "user",
	    "group"), "name", NULL)), "staff");
	assert_string_equal(json_object_get_string(path(o, "auditd",
	    "auid_name")), "bob");
	assert_string_equal(json_object_get_string(path(o, "service",
	    "name")), "a\"b.service");
	assert_string_equal(json_object_get_string(path(o, "container",
	    "runtime")), "docker");
	assert_string_equal(json_object_get_string(path(o, "orchestrator",
	    "type")), "kubernetes");
	assert_string_equal(json_object_get_string(path(path(o,
	    "orchestrator", "resource"), "id", NULL)), p.pod_uid);
	assert_string_equal(json_object_get_string(path(path(o,
	    "orchestrator", "resource"), "name", NULL)), "coredns-1");
	assert_string_equal(json_object_get_string(path(o, "seccompmon",
	    "context")), "cached");
	assert_string_equal(json_object_get_string(path(o, "seccompmon",
	    "cgroup")), "/system.slice/a\"b.service");
	/* Context bytes are not the record's: no damage reported. */
	assert_null(path(o, "error", "message"));
	fields = doc_fields(&doc);
	check_fields(o, "", fields);
	json_object_put(o);
	free(doc);
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

/* events-lost */

static const struct event_lost_output lost_outs[] = {
	{ "file:/var/log/a \"b\".json", 3 }, { "stdout", 0 },
	{ "syslog:/dev/log", 7 },
};

static void
event_encode_lost__every_reason__exact_line(void **state)
{
	static const char want[] = "{\"@timestamp\":"
	    "\"2026-11-27T22:06:27.001Z\",\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"event\",\"category\":[\"api\","
	    "\"intrusion_detection\"],\"type\":[\"info\"],\"action\":"
	    "\"events-lost\",\"outcome\":\"failure\",\"module\":"
	    "\"seccompmon\",\"dataset\":\"seccompmon.seccomp\",\"start\":"
	    "\"2026-11-27T22:06:26.337Z\",\"end\":"
	    "\"2026-11-27T22:06:27.001Z\"},\"host\":{\"name\":\"testhost\"},"
	    "\"seccompmon\":{\"lost\":{\"count\":20,\"reasons\":{"
	    "\"kernel_lost\":5,\"socket_dropped\":8,\"enobufs_overflows\":2,"
	    "\"bad_datagrams\":1,\"malformed\":4,\"nomem\":2},"
	    "\"outputs\":[{\"name\":"
	    "\"file:/var/log/a \\\"b\\\".json\",\"count\":3},"
	    "{\"name\":\"syslog:/dev/log\",\"count\":7}]}}}\n";
	struct event_lost l = {
		.start_ms = 1795817186337, .end_ms = 1795817187001,
		.kernel_lost = 5, .enobufs = 2, .socket_dropped = 8,
		.bad_datagrams = 1, .malformed = 4, .nomem = 2,
		.outputs = lost_outs, .noutputs = 3,
	};
	struct obuf b;

	(void)state;
	obuf_init(&b);
	obuf_puts(&b, "x");
	assert_int_equal(event_encode_lost(&b, &l, &test_ctx), 0);
	assert_int_equal(b.len, 1 + sizeof(want) - 1);
	assert_memory_equal(b.data + 1, want, sizeof(want) - 1);
	obuf_free(&b);
}

/* Zero reasons and outputs are left out; count counts exact reasons only. */
static void
event_encode_lost__only_overflows__no_fake_count(void **state)
{
	struct event_lost l = {
		.start_ms = 1000, .end_ms = 2000, .enobufs = 3,
		.outputs = lost_outs + 1, .noutputs = 1,
	};
	struct json_object *o, *lost, *x;
	struct obuf b;

	(void)state;
	obuf_init(&b);
	assert_int_equal(event_encode_lost(&b, &l, &test_ctx), 0);
	o = parse_line(b.data, b.len);
	lost = path(o, "seccompmon", "lost");
	assert_non_null(lost);
	assert_true(json_object_object_get_ex(lost, "count", &x));
	assert_int_equal(json_object_get_int64(x), 0);
	assert_true(json_object_object_get_ex(lost, "reasons", &x));
	assert_string_equal(json_object_to_json_string_ext(x,
	    JSON_C_TO_STRING_PLAIN), "{\"enobufs_overflows\":3}");
	assert_false(json_object_object_get_ex(lost, "outputs", &x));
	json_object_put(o);
	obuf_free(&b);
}

static void
event_encode_lost__any_event__ecs_valid_and_documented(void **state)
{
	struct event_lost l = {
		.start_ms = 1795817186337, .end_ms = 1795817187001,
		.kernel_lost = 5, .enobufs = 2, .socket_dropped = 8,
		.bad_datagrams = 1, .malformed = 4, .nomem = 2,
		.outputs = lost_outs, .noutputs = 3,
	};
	struct json_object *o;
	struct obuf b;
	char *doc, *fields;

	(void)state;
	fields = doc_fields(&doc);
	obuf_init(&b);
	assert_int_equal(event_encode_lost(&b, &l, &test_ctx), 0);
	o = parse_line(b.data, b.len);
	check_ecs_categorization(o);
	assert_string_equal(json_object_get_string(path(o, "event",
	    "action")), "events-lost");
	check_fields(o, "", fields);
	json_object_put(o);
	obuf_free(&b);
	free(doc);
}

/* stats */

static const struct event_stats_output stats_outs[] = {
	{ "file:/var/log/a \"b\".json", 9, 1, 109, 3 },
	{ "syslog:/dev/log", 10, 0, 112, 0 },
};

/* 15 received in the interval: 5 emitted + 6 summarized + 3 + 1 lost. */
static const struct event_stats stats_full = {
	1795817186337, 1795817246337,
	{ 15, 5, 1, 6, 1, 0, 2, 0, 0, 1, 3, 1 },
	{ 150, 90, 4, 50, 7, 2, 5, 0, 0, 2, 8, 2 },
	stats_outs, 2,
};

static void
event_encode_stats__counts__exact_line(void **state)
{
	static const char want[] = "{\"@timestamp\":"
	    "\"2026-11-27T22:07:26.337Z\",\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"metric\",\"action\":\"stats\","
	    "\"module\":\"seccompmon\",\"dataset\":\"seccompmon.stats\","
	    "\"start\":\"2026-11-27T22:06:26.337Z\",\"end\":"
	    "\"2026-11-27T22:07:26.337Z\"},\"host\":{\"name\":\"testhost\"},"
	    "\"seccompmon\":{\"stats\":{\"interval\":{\"received\":15,"
	    "\"emitted\":5,\"incomplete\":1,\"summarized\":6,"
	    "\"summaries\":1,\"self\":0,\"lost\":{\"kernel_lost\":2,"
	    "\"socket_dropped\":0,\"bad_datagrams\":0,"
	    "\"enobufs_overflows\":1,\"malformed\":3,\"nomem\":1},"
	    "\"outputs\":[{\"name\":\"file:/var/log/a \\\"b\\\".json\","
	    "\"written\":9,\"lost\":1},{\"name\":\"syslog:/dev/log\","
	    "\"written\":10,\"lost\":0}]},\"total\":{\"received\":150,"
	    "\"emitted\":90,\"incomplete\":4,\"summarized\":50,"
	    "\"summaries\":7,\"self\":2,\"lost\":{\"kernel_lost\":5,"
	    "\"socket_dropped\":0,\"bad_datagrams\":0,"
	    "\"enobufs_overflows\":2,\"malformed\":8,\"nomem\":2},"
	    "\"outputs\":[{\"name\":\"file:/var/log/a \\\"b\\\".json\","
	    "\"written\":109,\"lost\":3},{\"name\":\"syslog:/dev/log\","
	    "\"written\":112,\"lost\":0}]}}}}\n";
	struct obuf b;

	(void)state;
	obuf_init(&b);
	obuf_puts(&b, "x");
	assert_int_equal(event_encode_stats(&b, &stats_full, &test_ctx), 0);
	assert_int_equal(b.len, 1 + sizeof(want) - 1);
	assert_memory_equal(b.data + 1, want, sizeof(want) - 1);
	obuf_free(&b);
}

/* Zeros are written (a metric graphs 0), and no outputs is an empty list. */
static void
event_encode_stats__all_zero_no_outputs__zeros_written(void **state)
{
	struct event_stats st;
	struct json_object *o, *x;
	struct obuf b;

	(void)state;
	memset(&st, 0, sizeof(st));
	st.start_ms = 1000;
	st.end_ms = 2000;
	obuf_init(&b);
	assert_int_equal(event_encode_stats(&b, &st, &test_ctx), 0);
	o = parse_line(b.data, b.len);
	x = path(path(o, "seccompmon", "stats"), "interval", "lost");
	assert_non_null(x);
	assert_string_equal(json_object_to_json_string_ext(x,
	    JSON_C_TO_STRING_PLAIN), "{\"kernel_lost\":0,"
	    "\"socket_dropped\":0,\"bad_datagrams\":0,"
	    "\"enobufs_overflows\":0,\"malformed\":0,\"nomem\":0}");
	x = path(path(o, "seccompmon", "stats"), "total", "outputs");
	assert_non_null(x);
	assert_int_equal(json_object_array_length(x), 0);
	assert_int_equal(json_object_get_int64(path(path(o, "seccompmon",
	    "stats"), "total", "received")), 0);
	json_object_put(o);
	obuf_free(&b);
}

/*
 * A metric: kind "metric" (an ECS value), no category, type or outcome,
 * which describe events; every field ECS or custom, and documented.
 */
static void
event_encode_stats__any__ecs_valid_and_documented(void **state)
{
	struct json_object *o, *x;
	struct obuf b;
	char *doc, *fields;
	const char *module, *dataset;

	(void)state;
	fields = doc_fields(&doc);
	obuf_init(&b);
	assert_int_equal(event_encode_stats(&b, &stats_full, &test_ctx), 0);
	o = parse_line(b.data, b.len);
	assert_string_equal(json_object_get_string(path(o, "event", "kind")),
	    "metric");
	assert_true(word_in(ecs_kinds, "metric"));
	assert_string_equal(json_object_get_string(path(o, "event",
	    "action")), "stats");
	assert_false(json_object_object_get_ex(path(o, "event", NULL),
	    "category", &x));
	assert_false(json_object_object_get_ex(path(o, "event", NULL),
	    "type", &x));
	assert_false(json_object_object_get_ex(path(o, "event", NULL),
	    "outcome", &x));
	module = json_object_get_string(path(o, "event", "module"));
	dataset = json_object_get_string(path(o, "event", "dataset"));
	assert_string_equal(module, "seccompmon");
	assert_string_equal(dataset, "seccompmon.stats");
	check_fields(o, "", fields);
	json_object_put(o);
	obuf_free(&b);
	free(doc);
}


/* monitoring-gap */

/* The docs example's values (docs/events.md, "monitoring-gap"). */
static const int32_t doc_pids1[] = { 2101, 2102, 2230 };
static const int32_t doc_pids2[] = { 733 };
#define DOC_ID "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
#define DOC_CGROUP1 "/system.slice/docker-" DOC_ID ".scope"
static const struct event_gap_group doc_groups[] = {
	{ .cgroup = DOC_CGROUP1, .cgroup_len = sizeof(DOC_CGROUP1) - 1,
	    .service = "docker-" DOC_ID ".scope", .container_id = DOC_ID,
	    .container_runtime = "docker", .name = "nginx", .name_len = 5,
	    .count = 3, .pids = doc_pids1, .npids = 3 },
	{ .cgroup = "/system.slice/chronyd.service", .cgroup_len = 29,
	    .service = "chronyd.service", .name = "chronyd", .name_len = 7,
	    .count = 1, .pids = doc_pids2, .npids = 1, .logs_seen = 1 },
};
static const struct event_ctx doc_ctx = { "vm", 2, 0, 0 };

/*
 * The code block that follows heading in docs/events.md, one line: each
 * line's leading blanks dropped, the lines joined (the page wraps only
 * between tokens).  Malloc'ed.
 */
static char *
doc_example(const char *heading)
{
	char *doc, *p, *end, *out, *o;
	size_t n;

	doc = read_file(TOP_SRCDIR "/docs/events.md", &n);
	assert_non_null(p = strstr(doc, heading));
	assert_non_null(p = strstr(p, "```json\n"));
	p += 8;
	assert_non_null(end = strstr(p, "```\n"));
	assert_non_null(out = malloc((size_t)(end - p) + 2));
	o = out;
	while (p < end) {
		while (*p == ' ')
			p++;
		while (p < end && *p != '\n')
			*o++ = *p++;
		p++;
	}
	*o++ = '\n';
	*o = '\0';
	free(doc);
	return out;
}

static void
event_encode_gap__docs_example__exact_line(void **state)
{
	struct event_gap g = {
		.reason = EVENT_GAP_FILTERS_MAY_NOT_LOG,
		.time_ms = 1795817186337, .as_of_ms = 1795817186301,
		.processes = 6, .groups = doc_groups, .ngroups = 2,
		.groups_omitted = 1,
	};
	struct obuf b;
	char *want;

	(void)state;
	want = doc_example("\n## monitoring-gap\n");
	obuf_init(&b);
	obuf_puts(&b, "x");
	assert_int_equal(event_encode_gap(&b, &g, &doc_ctx), 0);
	assert_int_equal(b.len, 1 + strlen(want));
	assert_memory_equal(b.data + 1, want, strlen(want));
	obuf_free(&b);
	free(want);
}

/*
 * Cell col (0 = the first) of the table row of docs/events.md that starts
 * with "| `key` |", below heading; backquotes around the cell stay.
 * Malloc'ed.
 */
static char *
doc_cell(const char *doc, const char *heading, const char *key, int col)
{
	char row[128], *out;
	const char *p, *e;

	assert_non_null(p = strstr(doc, heading));
	(void)snprintf(row, sizeof(row), "\n| `%s` | ", key);
	if ((p = strstr(p, row)) == NULL) {
		print_error("docs/events.md: no row for %s\n", key);
		fail();
	}
	p += strlen(row);
	for (; col > 0; col--) {
		assert_non_null(p = strstr(p, " | "));
		p += 3;
	}
	assert_non_null(e = strstr(p, " |"));
	assert_non_null(out = strndup(p, (size_t)(e - p)));
	return out;
}

/* Every reason's remedy is the page's, verbatim. */
static void
event_encode_gap__every_reason__remedy_as_documented(void **state)
{
	struct json_object *o;
	struct event_gap g;
	struct obuf b;
	char *doc, *want;
	size_t n;
	int r;

	(void)state;
	doc = read_file(TOP_SRCDIR "/docs/events.md", &n);
	obuf_init(&b);
	for (r = 0; r < EVENT_GAP_REASONS; r++) {
		memset(&g, 0, sizeof(g));
		g.reason = (enum event_gap_reason)r;
		obuf_reset(&b);
		assert_int_equal(event_encode_gap(&b, &g, &test_ctx), 0);
		o = parse_line(b.data, b.len);
		want = doc_cell(doc, "The remedy of each",
		    event_gap_reason_name(g.reason), 0);
		assert_string_equal(json_object_get_string(path(path(o,
		    "seccompmon", "gap"), "remedy", NULL)), want);
		assert_string_equal(json_object_get_string(path(path(o,
		    "seccompmon", "gap"), "reason", NULL)),
		    event_gap_reason_name(g.reason));
		free(want);
		json_object_put(o);
	}
	obuf_free(&b);
	free(doc);
}

/* s with each whole word from[i] replaced by to[i].  Malloc'ed. */
static char *
fill_words(const char *s, const char *const *from, const char *const *to,
    size_t n)
{
	char *out, *o;
	size_t i, k;
	int done;

	assert_non_null(out = malloc(strlen(s) * 4 + 256));
	o = out;
	while (*s != '\0') {
		done = 0;
		for (i = 0; i < n && !done; i++) {
			k = strlen(from[i]);
			if (strncmp(s, from[i], k) == 0 &&
			    (o == out || (o[-1] != '_' && !((o[-1] | 0x20) >=
			    'a' && (o[-1] | 0x20) <= 'z'))) &&
			    !(s[k] == '_' || ((s[k] | 0x20) >= 'a' &&
			    (s[k] | 0x20) <= 'z'))) {
				o += sprintf(o, "%s", to[i]);
				s += k;
				done = 1;
			}
		}
		if (!done)
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/* The first `...` of the message cell of reason r, filled in. */
static char *
doc_message(const char *doc, enum event_gap_reason r)
{
	static const char *const from[] = { "ACTIONS", "COMM", "PID", "N",
	    "M" };
	static const char *const to[] = { "errno, user_notif", "auditd",
	    "812", "250", "9000" };
	char *cell, *p, *e, *out;

	cell = doc_cell(doc, "\n## monitoring-gap\n", event_gap_reason_name(r),
	    1);
	assert_non_null(p = strchr(cell, '`'));
	assert_non_null(e = strchr(p + 1, '`'));
	*e = '\0';
	out = fill_words(p + 1, from, to, 5);
	free(cell);
	return out;
}

/*
 * Each reason's message is the first text the page gives for it, with the
 * placeholders filled in; the variants the page names, as it words them.
 */
static void
event_encode_gap__every_reason__message_as_documented(void **state)
{
	static const char *const missing[] = { "errno", "user_notif" };
	static const char *const logged[] = { "kill_process", "log" };
	struct json_object *o;
	struct event_gap g;
	struct obuf b;
	char *doc, *want;
	size_t n;
	int r;

	(void)state;
	doc = read_file(TOP_SRCDIR "/docs/events.md", &n);
	obuf_init(&b);
	for (r = 0; r < EVENT_GAP_REASONS; r++) {
		memset(&g, 0, sizeof(g));
		g.reason = (enum event_gap_reason)r;
		g.actions_missing = missing;
		g.nactions_missing = 2;
		g.actions_logged = logged;
		g.nactions_logged = 2;
		g.rate_limit = 250;
		g.backlog_limit = 250;
		g.processes = 250;
		g.audit_pid = 812;
		g.audit_daemon = "auditd";
		g.audit_as_of_startup =
		    r == EVENT_GAP_MULTICAST_NOT_REGISTERED;
		obuf_reset(&b);
		assert_int_equal(event_encode_gap(&b, &g, &test_ctx), 0);
		o = parse_line(b.data, b.len);
		want = doc_message(doc, g.reason);
		assert_string_equal(json_object_get_string(path(o, "message",
		    NULL)), want);
		free(want);
		json_object_put(o);
	}
	/* The variants. */
	memset(&g, 0, sizeof(g));
	g.reason = EVENT_GAP_AUDIT_BACKLOG_SMALL;
	g.backlog_limit = 64;
	g.peak_rate = 9000;
	obuf_reset(&b);
	assert_int_equal(event_encode_gap(&b, &g, &test_ctx), 0);
	o = parse_line(b.data, b.len);
	assert_string_equal(json_object_get_string(path(o, "message", NULL)),
	    "The kernel queues at most 64 audit records for delivery (audit "
	    "backlog_limit); a burst beyond that is dropped or makes the "
	    "audited tasks wait. seccompmon has received 9000 SECCOMP records "
	    "in one second.");
	json_object_put(o);
	g.reason = EVENT_GAP_FILTERS_MAY_NOT_LOG;
	g.processes = 1;
	obuf_reset(&b);
	assert_int_equal(event_encode_gap(&b, &g, &test_ctx), 0);
	o = parse_line(b.data, b.len);
	assert_true(strncmp(json_object_get_string(path(o, "message", NULL)),
	    "1 process runs under seccomp filters whose ", 43) == 0);
	json_object_put(o);
	g.reason = EVENT_GAP_MULTICAST_NOT_REGISTERED;
	g.audit_pid = 0;
	g.audit_as_of_startup = 1;
	obuf_reset(&b);
	assert_int_equal(event_encode_gap(&b, &g, &test_ctx), 0);
	o = parse_line(b.data, b.len);
	assert_string_equal(json_object_get_string(path(o, "message", NULL)),
	    "seccompmon reads the multicast copy of audit records and no "
	    "audit daemon is registered (as of start-up): the kernel also "
	    "writes every record to its own log, and records it cannot queue "
	    "(backlog full, rate limit) are counted only in its lost counter, "
	    "which seccompmon cannot read.");
	json_object_put(o);
	g.audit_unknown = 1;
	obuf_reset(&b);
	assert_int_equal(event_encode_gap(&b, &g, &test_ctx), 0);
	o = parse_line(b.data, b.len);
	assert_string_equal(json_object_get_string(path(o, "message", NULL)),
	    "seccompmon reads the multicast copy of audit records and could "
	    "not read the audit status at start-up (CAP_AUDIT_CONTROL): "
	    "records the kernel cannot queue (backlog full, rate limit) are "
	    "counted only in its lost counter, which seccompmon cannot read.");
	/* No status, no audit values. */
	assert_null(path(path(o, "seccompmon", "gap"), "audit", NULL));
	json_object_put(o);
	obuf_free(&b);
	free(doc);
}

/*
 * Kind "state", category configuration with type info (an expected type
 * of it), no outcome; every field ECS or custom, and documented with its
 * type, for every reason with every optional field set.
 */
static void
event_encode_gap__every_reason__ecs_valid_and_documented(void **state)
{
	static const char *const missing[] = { "errno" };
	struct event_gap_group gr[2];
	struct json_object *o;
	struct event_gap g;
	struct obuf b;
	char *doc, *fields;
	int r;

	(void)state;
	fields = doc_fields(&doc);
	obuf_init(&b);
	memcpy(gr, doc_groups, sizeof(gr));
	/* Every field a group can carry, a pod's UID too. */
	gr[0].pod_uid = "0c6b4b38-1111-2222-3333-444455556666";
	for (r = 0; r < EVENT_GAP_REASONS; r++) {
		memset(&g, 0, sizeof(g));
		g.reason = (enum event_gap_reason)r;
		g.time_ms = 1795817186337;
		g.as_of_ms = 1795817180000;
		g.actions_missing = missing;
		g.nactions_missing = 1;
		g.rate_limit = 100;
		g.backlog_limit = 64;
		g.peak_rate = 2000;
		g.audit_pid = 812;
		g.audit_daemon = "auditd \"x\"";
		g.audit_as_of_startup = 1;
		g.processes = 5;
		g.groups = gr;
		g.ngroups = 2;
		g.groups_omitted = 3;
		obuf_reset(&b);
		assert_int_equal(event_encode_gap(&b, &g, &test_ctx), 0);
		o = parse_line(b.data, b.len);
		check_categorization(o, 0);
		assert_string_equal(json_object_get_string(path(o, "event",
		    "kind")), "state");
		assert_string_equal(json_object_get_string(path(o, "event",
		    "action")), "monitoring-gap");
		assert_string_equal(json_object_get_string(path(o, "event",
		    "dataset")), "seccompmon.seccomp");
		assert_string_equal(json_object_to_json_string_ext(path(o,
		    "event", "category"), JSON_C_TO_STRING_PLAIN),
		    "[\"configuration\"]");
		check_fields(o, "", fields);
		json_object_put(o);
	}
	/* A reason out of range is refused, the buffer untouched. */
	g.reason = EVENT_GAP_REASONS;
	obuf_reset(&b);
	obuf_puts(&b, "x");
	assert_int_equal(event_encode_gap(&b, &g, &test_ctx), -1);
	assert_int_equal(b.len, 1);
	assert_null(event_gap_reason_name(EVENT_GAP_REASONS));
	obuf_free(&b);
	free(doc);
}

/* Untrusted strings (a cgroup, a comm) are escaped: one valid line. */
static void
event_encode_gap__hostile_names__one_valid_line(void **state)
{
	static const char cg[] = "/a\"b\n{\"x\":1}\\\xff";
	static const char nm[] = "n\x01\"";
	static const int32_t pid = 7;
	struct event_gap_group gr = { .cgroup = cg, .cgroup_len =
	    sizeof(cg) - 1, .name = nm, .name_len = sizeof(nm) - 1,
	    .count = 1, .pids = &pid, .npids = 1 };
	struct event_gap g = {
		.reason = EVENT_GAP_FILTERS_MAY_NOT_LOG, .processes = 1,
		.groups = &gr, .ngroups = 1,
	};
	struct json_object *o, *x;
	struct obuf b;

	(void)state;
	obuf_init(&b);
	assert_int_equal(event_encode_gap(&b, &g, &test_ctx), 0);
	assert_non_null(memchr(b.data, '\n', b.len));
	assert_ptr_equal(memchr(b.data, '\n', b.len), b.data + b.len - 1);
	o = parse_line(b.data, b.len);
	x = json_object_array_get_idx(path(path(o, "seccompmon", "gap"),
	    "groups", NULL), 0);
	assert_string_equal(json_object_get_string(path(x, "cgroup", NULL)),
	    "/a\"b\n{\"x\":1}\\\xef\xbf\xbd");
	assert_string_equal(json_object_get_string(path(x, "name", NULL)),
	    "n\x01\"");
	json_object_put(o);
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
	T(event_encode__misquoted_comm__kept_error_and_original),
	T(event_encode__node_not_utf8__error_and_original),
	T(event_encode__every_action__ecs_categorization_valid),
	T(event_encode__every_field__ecs_or_custom_and_documented),
	T(event_encode__context__every_field_documented_hostile_bytes_kept),
	T(event_encode__every_prefix_and_mutation__valid_json_line),
	T(event_encode_lost__every_reason__exact_line),
	T(event_encode_lost__only_overflows__no_fake_count),
	T(event_encode_lost__any_event__ecs_valid_and_documented),
	T(event_encode_stats__counts__exact_line),
	T(event_encode_stats__all_zero_no_outputs__zeros_written),
	T(event_encode_stats__any__ecs_valid_and_documented),
	T(event_encode_gap__docs_example__exact_line),
	T(event_encode_gap__every_reason__remedy_as_documented),
	T(event_encode_gap__every_reason__message_as_documented),
	T(event_encode_gap__every_reason__ecs_valid_and_documented),
	T(event_encode_gap__hostile_names__one_valid_line),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, setup, teardown);
}
