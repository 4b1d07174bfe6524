/*
 * reporter/storm: the burst passes, the rest folds, counts add up exactly,
 * windows roll on record time and on the tick, the table's bound holds,
 * and the summary event is valid JSON with the key's fields.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json.h>

#include "reporter/storm.h"
#include "reporter/systab.h"

#define MAXSUM 64

/* What emit saw: summaries copied, with their key's exe. */
struct seen {
	size_t			n;
	struct storm_summary	s[MAXSUM];
	char			exe[MAXSUM][64];
	int			other[MAXSUM];
	uint64_t		folded;
};

static void
collect(void *arg, const struct storm_summary *s)
{
	struct seen *sn = arg;

	assert_true(sn->n < MAXSUM);
	sn->s[sn->n] = *s;
	sn->other[sn->n] = s->key == NULL;
	if (s->key != NULL && s->key->exe != NULL)
		snprintf(sn->exe[sn->n], sizeof(sn->exe[0]), "%.*s",
		    (int)s->key->exe_len, s->key->exe);
	sn->folded += s->count;
	sn->n++;
}

static const struct storm_conf defaults = { 1, STORM_WINDOW, STORM_BURST,
	STORM_MAX_KEYS };

static struct storm_key
key_of(const char *exe, uint32_t uid, int64_t nr)
{
	struct storm_key k;

	memset(&k, 0, sizeof(k));
	k.exe = exe;
	k.exe_len = strlen(exe);
	k.present = STORM_K_UID | STORM_K_ARCH | STORM_K_SYSCALL |
	    STORM_K_ACTION;
	k.uid = uid;
	k.arch = 0xc000003e;
	k.syscall = nr;
	k.action = 0x7ffc0000;
	return k;
}

#define T0 1700000000000LL	/* a window boundary for 10 s windows */

static void
storm_check__burst_then_fold__counts_exact(void **state)
{
	struct storm *st;
	struct storm_key k = key_of("/bin/x", 0, 110);
	struct seen sn = { 0 };
	int i, passed = 0;

	(void)state;
	assert_non_null(st = storm_new(&defaults));
	for (i = 0; i < 10000; i++)
		passed += storm_check(st, &k, T0 + i / 2, 100 + i % 7,
		    collect, &sn);
	assert_int_equal(passed, STORM_BURST);
	assert_int_equal(storm_pending(st), 10000 - STORM_BURST);
	assert_int_equal(sn.n, 0);
	storm_flush(st, collect, &sn);
	assert_int_equal(sn.n, 1);
	assert_int_equal(sn.s[0].count, 10000 - STORM_BURST);
	assert_int_equal(sn.s[0].first_ms, T0 + STORM_BURST / 2);
	assert_int_equal(sn.s[0].last_ms, T0 + 9999 / 2);
	assert_string_equal(sn.exe[0], "/bin/x");
	assert_int_equal(storm_pending(st), 0);
	storm_free(st);
}

static void
storm_check__distinct_keys__each_gets_its_burst(void **state)
{
	struct storm *st;
	struct storm_key k[3];
	struct seen sn = { 0 };
	int i, j, passed = 0;

	(void)state;
	k[0] = key_of("/bin/x", 0, 110);
	k[1] = key_of("/bin/x", 1000, 110);	/* another uid */
	k[2] = key_of("/bin/x", 0, 39);		/* another call */
	assert_non_null(st = storm_new(&defaults));
	for (i = 0; i < 100; i++)
		for (j = 0; j < 3; j++)
			passed += storm_check(st, &k[j], T0, 1, collect, &sn);
	assert_int_equal(passed, 3 * STORM_BURST);
	storm_flush(st, collect, &sn);
	assert_int_equal(sn.n, 3);
	for (j = 0; j < 3; j++)
		assert_int_equal(sn.s[j].count, 100 - STORM_BURST);
	assert_int_equal(sn.s[1].key == NULL, 0);
	storm_free(st);
}

static void
storm_check__next_window__closes_previous_burst_again(void **state)
{
	struct storm *st;
	struct storm_key k = key_of("/bin/x", 0, 110);
	struct seen sn = { 0 };
	int i, passed = 0;

	(void)state;
	assert_non_null(st = storm_new(&defaults));
	for (i = 0; i < 50; i++)
		passed += storm_check(st, &k, T0 + 9000, 1, collect, &sn);
	assert_int_equal(sn.n, 0);
	/* The first record of the next window closes the first one. */
	passed += storm_check(st, &k, T0 + 10000, 1, collect, &sn);
	assert_int_equal(sn.n, 1);
	assert_int_equal(sn.s[0].count, 40);
	for (i = 0; i < 49; i++)
		passed += storm_check(st, &k, T0 + 10001, 1, collect, &sn);
	assert_int_equal(passed, 2 * STORM_BURST);
	storm_flush(st, collect, &sn);
	assert_int_equal(sn.n, 2);
	assert_int_equal(sn.folded + (uint64_t)passed, 100);
	storm_free(st);
}

static void
storm_check__late_record__counts_in_open_window(void **state)
{
	struct storm *st;
	struct storm_key k = key_of("/bin/x", 0, 110);
	struct seen sn = { 0 };
	int i;

	(void)state;
	assert_non_null(st = storm_new(&defaults));
	for (i = 0; i < 20; i++)
		(void)storm_check(st, &k, T0 + 10000, 1, collect, &sn);
	/* From the window before: folded here, no window closed. */
	assert_int_equal(storm_check(st, &k, T0 + 9999, 1, collect, &sn), 0);
	assert_int_equal(sn.n, 0);
	/* Two windows back: the clock was set back; a new window. */
	assert_int_equal(storm_check(st, &k, T0 - 20000, 1, collect, &sn), 1);
	assert_int_equal(sn.n, 1);
	assert_int_equal(sn.s[0].count, 11);
	assert_int_equal(sn.s[0].first_ms, T0 + 9999);
	assert_int_equal(sn.s[0].last_ms, T0 + 10000);
	storm_free(st);
}

static void
storm_tick__window_over__summaries_out_late_records_kept(void **state)
{
	struct storm *st;
	struct storm_key k = key_of("/bin/x", 0, 110);
	struct seen sn = { 0 };
	int i;

	(void)state;
	assert_non_null(st = storm_new(&defaults));
	for (i = 0; i < 15; i++)
		(void)storm_check(st, &k, T0 + 100, 1, collect, &sn);
	storm_tick(st, T0 + 9999, collect, &sn);
	assert_int_equal(sn.n, 0);
	storm_tick(st, T0 + 10000, collect, &sn);
	assert_int_equal(sn.n, 1);
	assert_int_equal(sn.s[0].count, 5);
	/* A late record of the closed window starts a fresh burst. */
	assert_int_equal(storm_check(st, &k, T0 + 9999, 1, collect, &sn), 1);
	assert_int_equal(sn.n, 1);
	storm_tick(st, T0 + 10500, collect, &sn);
	assert_int_equal(sn.n, 1);
	storm_free(st);
}

static void
storm_check__max_keys__others_share_one_key(void **state)
{
	struct storm_conf c = { 1, 10, 2, 4 };
	struct storm *st;
	struct storm_key k;
	struct seen sn = { 0 };
	int i, passed = 0;

	(void)state;
	assert_non_null(st = storm_new(&c));
	/* 10 keys x 5 records: 4 keys have their own, 6 share "other". */
	for (i = 0; i < 50; i++) {
		k = key_of("/bin/x", 0, i % 10);
		passed += storm_check(st, &k, T0, i, collect, &sn);
	}
	assert_int_equal(passed, 4 * 2 + 2);
	storm_flush(st, collect, &sn);
	assert_int_equal(sn.n, 5);
	for (i = 0; i < 4; i++) {
		assert_int_equal(sn.other[i], 0);
		assert_int_equal(sn.s[i].count, 3);
	}
	assert_int_equal(sn.other[4], 1);
	assert_int_equal(sn.s[4].count, 6 * 5 - 2);
	assert_int_equal(sn.folded + (uint64_t)passed, 50);
	storm_free(st);
}

static void
storm_check__pids__five_distinct_first_seen(void **state)
{
	struct storm *st;
	struct storm_key k = key_of("/bin/x", 0, 110);
	struct seen sn = { 0 };
	int i;
	static const int32_t pids[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		7, 7, 8, 9, 7, 10, 11, 12, 13, -1 };

	(void)state;
	assert_non_null(st = storm_new(&defaults));
	for (i = 0; i < 20; i++)
		(void)storm_check(st, &k, T0, pids[i], collect, &sn);
	storm_flush(st, collect, &sn);
	assert_int_equal(sn.s[0].count, 10);
	assert_int_equal(sn.s[0].npids, 5);
	assert_int_equal(sn.s[0].pids[0], 7);
	assert_int_equal(sn.s[0].pids[1], 8);
	assert_int_equal(sn.s[0].pids[2], 9);
	assert_int_equal(sn.s[0].pids[3], 10);
	assert_int_equal(sn.s[0].pids[4], 11);
	storm_free(st);
}

static void
storm_check__self__one_per_window(void **state)
{
	struct storm *st;
	struct storm_key k = key_of("/usr/sbin/seccompmon", 0, 110);
	struct seen sn = { 0 };
	int i, passed = 0;

	(void)state;
	k.self = 1;
	assert_non_null(st = storm_new(&defaults));
	for (i = 0; i < 30; i++)
		passed += storm_check(st, &k, T0, 5, collect, &sn);
	assert_int_equal(passed, STORM_SELF_BURST);
	storm_flush(st, collect, &sn);
	assert_int_equal(sn.s[0].count, 30 - STORM_SELF_BURST);
	assert_int_equal(sn.s[0].key == NULL, 0);
	storm_free(st);
}

static void
storm_check__burst_zero__everything_folded(void **state)
{
	struct storm_conf c = { 1, 1, 0, 16 };
	struct storm *st;
	struct storm_key k = key_of("/bin/x", 0, 110);
	struct seen sn = { 0 };
	int i, passed = 0;

	(void)state;
	assert_non_null(st = storm_new(&c));
	for (i = 0; i < 3000; i++)
		passed += storm_check(st, &k, T0 + i, 1, collect, &sn);
	storm_flush(st, collect, &sn);
	assert_int_equal(passed, 0);
	assert_int_equal(sn.n, 3);	/* 1 s windows */
	assert_int_equal(sn.folded, 3000);
	storm_free(st);
}

static void
storm_new__zero_window__einval(void **state)
{
	struct storm_conf c = { 1, 0, 10, 16 };

	(void)state;
	assert_null(storm_new(&c));
	c.window = 1;
	c.max_keys = 0;
	assert_null(storm_new(&c));
}

static struct storm *enc_st;
static struct obuf enc_b;
static const struct event_ctx enc_ctx = { "h", 1, 0, 0 };

static void
encode(void *arg, const struct storm_summary *s)
{
	(void)arg;
	assert_int_equal(storm_encode(&enc_b, s, &enc_ctx), 0);
}

static json_object *
get(json_object *o, const char *path)
{
	char buf[128], *p, *save = NULL;
	json_object *v = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, ".", &save); p; p = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(v, p, &v))
			fail_msg("no %s in %s", path,
			    json_object_to_json_string(o));
	return v;
}

static void
storm_encode__summary__ecs_fields_and_counts(void **state)
{
	struct storm_key k = key_of("/bin/\"x", 1000, 110);
	json_object *o, *pids;
	int i;

	(void)state;
	obuf_init(&enc_b);
	assert_non_null(enc_st = storm_new(&defaults));
	for (i = 0; i < 13; i++)
		(void)storm_check(enc_st, &k, T0 + 250 + i, 40 + i, encode,
		    NULL);
	storm_flush(enc_st, encode, NULL);
	assert_int_equal(enc_b.data[enc_b.len - 1], '\n');
	obuf_putc(&enc_b, '\0');
	assert_non_null(o = json_tokener_parse(enc_b.data));
	assert_string_equal(json_object_get_string(get(o, "@timestamp")),
	    "2023-11-14T22:13:20.260Z");
	assert_string_equal(json_object_get_string(get(o, "event.action")),
	    "violations-summarized");
	assert_string_equal(json_object_get_string(get(o, "event.kind")),
	    "event");
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(get(o, "event.type"), 0)), "info");
	assert_string_equal(json_object_get_string(get(o, "event.dataset")),
	    "seccompmon.seccomp");
	assert_string_equal(json_object_get_string(get(o, "host.name")), "h");
	assert_string_equal(json_object_get_string(
	    get(o, "process.executable")), "/bin/\"x");
	assert_string_equal(json_object_get_string(get(o, "user.id")), "1000");
	assert_string_equal(json_object_get_string(get(o, "seccomp.action")),
	    "log");
	assert_string_equal(json_object_get_string(
	    get(o, "seccomp.syscall.name")), "getppid");
	assert_int_equal(json_object_get_int(get(o, "seccomp.syscall.number")),
	    110);
	assert_string_equal(json_object_get_string(get(o, "seccomp.arch")),
	    "x86_64");
	assert_int_equal(json_object_get_int(
	    get(o, "seccompmon.summary.count")), 3);
	assert_string_equal(json_object_get_string(
	    get(o, "seccompmon.summary.first")), "2023-11-14T22:13:20.260Z");
	assert_string_equal(json_object_get_string(
	    get(o, "seccompmon.summary.last")), "2023-11-14T22:13:20.262Z");
	assert_string_equal(json_object_get_string(get(o, "event.end")),
	    "2023-11-14T22:13:20.262Z");
	pids = get(o, "seccompmon.summary.pids");
	assert_int_equal(json_object_array_length(pids), 3);
	assert_int_equal(json_object_get_int(
	    json_object_array_get_idx(pids, 0)), 50);
	json_object_put(o);
	storm_free(enc_st);
	obuf_free(&enc_b);
}

static void
storm_encode__other_keys__no_key_fields(void **state)
{
	struct storm_conf c = { 1, 10, 0, 1 };
	struct storm_key k;
	json_object *o, *v;
	char *nl;

	(void)state;
	obuf_init(&enc_b);
	assert_non_null(enc_st = storm_new(&c));
	k = key_of("/a", 0, 1);
	(void)storm_check(enc_st, &k, T0, 1, encode, NULL);
	k = key_of("/b", 0, 1);
	(void)storm_check(enc_st, &k, T0, 2, encode, NULL);
	storm_flush(enc_st, encode, NULL);
	obuf_putc(&enc_b, '\0');
	assert_non_null(nl = memchr(enc_b.data, '\n', enc_b.len));
	assert_non_null(o = json_tokener_parse(nl + 1));
	assert_true(json_object_get_boolean(
	    get(o, "seccompmon.summary.other_keys")));
	assert_false(json_object_object_get_ex(o, "process", &v));
	assert_false(json_object_object_get_ex(o, "seccomp", &v));
	assert_string_equal(json_object_get_string(get(o, "event.outcome")),
	    "unknown");
	json_object_put(o);
	storm_free(enc_st);
	obuf_free(&enc_b);
}

static int
setup(void **state)
{
	(void)state;
	return systab_init() != 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	systab_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(storm_check__burst_then_fold__counts_exact),
		cmocka_unit_test(
		    storm_check__distinct_keys__each_gets_its_burst),
		cmocka_unit_test(
		    storm_check__next_window__closes_previous_burst_again),
		cmocka_unit_test(
		    storm_check__late_record__counts_in_open_window),
		cmocka_unit_test(
		    storm_tick__window_over__summaries_out_late_records_kept),
		cmocka_unit_test(storm_check__max_keys__others_share_one_key),
		cmocka_unit_test(storm_check__pids__five_distinct_first_seen),
		cmocka_unit_test(storm_check__self__one_per_window),
		cmocka_unit_test(storm_check__burst_zero__everything_folded),
		cmocka_unit_test(storm_new__zero_window__einval),
		cmocka_unit_test(
		    storm_encode__summary__ecs_fields_and_counts),
		cmocka_unit_test(storm_encode__other_keys__no_key_fields),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
