/*
 * Unit tests for reporter/obuf: growth, integers, JSON strings and
 * timestamps.  Every JSON string produced is read back with json-c in strict
 * mode, so "valid JSON" is checked by an independent parser; timestamps are
 * checked against fixed dates and against gmtime_r() as an oracle.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>
#include <json.h>

#include "reporter/obuf.h"

#define FFFD "\xef\xbf\xbd"

/* The buffer's contents as a NUL-terminated heap string. */
static char *
contents(const struct obuf *b)
{
	char *s;

	s = malloc(b->len + 1);
	assert_non_null(s);
	if (b->len > 0)
		memcpy(s, b->data, b->len);
	s[b->len] = '\0';
	return s;
}

static void
assert_buf(const struct obuf *b, const char *want)
{
	char *got = contents(b);

	assert_false(obuf_failed(b));
	assert_int_equal(b->len, strlen(want));
	assert_string_equal(got, want);
	free(got);
}

/*
 * Parse b->data[0..len) as one strict JSON value that must be a string;
 * return its bytes (heap, *n set).  Fails the test if json-c disagrees.
 */
static char *
parse_jstr(const char *text, size_t len, size_t *n)
{
	struct json_tokener *tok;
	struct json_object *o;
	const char *s;
	char *copy;
	size_t i;

	for (i = 0; i < len; i++) {
		/* No raw control byte may reach a JSON line. */
		assert_true((unsigned char)text[i] >= 0x20);
		assert_true((unsigned char)text[i] != 0x7f);
	}
	tok = json_tokener_new();
	assert_non_null(tok);
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		print_error("json-c: %s for [%.*s]\n",
		    json_tokener_error_desc(json_tokener_get_error(tok)),
		    (int)len, text);
		fail();
	}
	assert_non_null(o);
	assert_int_equal(json_tokener_get_parse_end(tok), len);
	assert_true(json_object_is_type(o, json_type_string));
	s = json_object_get_string(o);
	*n = (size_t)json_object_get_string_len(o);
	copy = malloc(*n + 1);
	assert_non_null(copy);
	memcpy(copy, s, *n);
	copy[*n] = '\0';
	json_object_put(o);
	json_tokener_free(tok);
	return copy;
}

/*
 * put_jstr of in[0..n); the output must parse back to want[0..wlen) and
 * the return value must be want_ret.
 */
static void
check_jstr(const char *in, size_t n, const char *want, size_t wlen,
    int want_ret)
{
	struct obuf b;
	char *dec;
	size_t dlen;
	int ret;

	obuf_init(&b);
	ret = obuf_put_jstr(&b, in, n);
	assert_false(obuf_failed(&b));
	assert_int_equal(ret, want_ret);
	dec = parse_jstr(b.data, b.len, &dlen);
	assert_int_equal(dlen, wlen);
	assert_memory_equal(dec, want, wlen);
	free(dec);
	obuf_free(&b);
}

/* put_jstr of in must produce exactly the bytes want (quotes included). */
static void
check_jstr_exact(const char *in, size_t n, const char *want)
{
	struct obuf b;

	obuf_init(&b);
	(void)obuf_put_jstr(&b, in, n);
	assert_buf(&b, want);
	obuf_free(&b);
}

/* Basic buffer operations */

static void
obuf_put__many_small_appends__grows_and_keeps_bytes(void **state)
{
	struct obuf b;
	size_t i;

	(void)state;
	obuf_init(&b);
	assert_int_equal(b.len, 0);
	for (i = 0; i < 100000; i++)
		obuf_putc(&b, (char)('a' + i % 26));
	assert_false(obuf_failed(&b));
	assert_int_equal(b.len, 100000);
	assert_true(b.cap >= b.len);
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	obuf_free(&b);
}

static void
obuf_put__mixed_appends__concatenated(void **state)
{
	struct obuf b;

	(void)state;
	obuf_init(&b);
	obuf_puts(&b, "ab");
	obuf_put(&b, "cdXX", 2);
	obuf_put(&b, "", 0);
	obuf_putc(&b, 'e');
	obuf_puts(&b, "");
	assert_buf(&b, "abcde");
	obuf_free(&b);
}

static void
obuf_reset__after_appends__empty_and_reusable(void **state)
{
	struct obuf b;

	(void)state;
	obuf_init(&b);
	obuf_puts(&b, "something long enough");
	obuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_false(obuf_failed(&b));
	obuf_puts(&b, "x");
	assert_buf(&b, "x");
	obuf_free(&b);
}

static void
obuf_truncate__shorter_length__cut_back(void **state)
{
	struct obuf b;

	(void)state;
	obuf_init(&b);
	obuf_puts(&b, "hello, world");
	obuf_truncate(&b, 5);
	assert_buf(&b, "hello");
	obuf_truncate(&b, 5);
	assert_buf(&b, "hello");
	obuf_puts(&b, "!");
	assert_buf(&b, "hello!");
	obuf_truncate(&b, 0);
	assert_int_equal(b.len, 0);
	obuf_free(&b);
}

/* Integers */

static void
obuf_put_u64__limits__decimal(void **state)
{
	struct obuf b;

	(void)state;
	obuf_init(&b);
	obuf_put_u64(&b, 0);
	assert_buf(&b, "0");
	obuf_reset(&b);
	obuf_put_u64(&b, UINT64_MAX);
	assert_buf(&b, "18446744073709551615");
	obuf_reset(&b);
	obuf_put_u64(&b, 10);
	obuf_putc(&b, ' ');
	obuf_put_u64(&b, 4294967295u);
	assert_buf(&b, "10 4294967295");
	obuf_free(&b);
}

static void
obuf_put_i64__limits__decimal(void **state)
{
	struct obuf b;

	(void)state;
	obuf_init(&b);
	obuf_put_i64(&b, INT64_MIN);
	assert_buf(&b, "-9223372036854775808");
	obuf_reset(&b);
	obuf_put_i64(&b, -1);
	assert_buf(&b, "-1");
	obuf_reset(&b);
	obuf_put_i64(&b, 0);
	assert_buf(&b, "0");
	obuf_reset(&b);
	obuf_put_i64(&b, INT64_MAX);
	assert_buf(&b, "9223372036854775807");
	obuf_reset(&b);
	obuf_put_i64(&b, -10);
	assert_buf(&b, "-10");
	obuf_free(&b);
}

/* JSON strings */

static void
obuf_put_jstr__plain_ascii__quoted_unchanged(void **state)
{
	(void)state;
	check_jstr_exact("sshd", 4, "\"sshd\"");
	check_jstr_exact("", 0, "\"\"");
	check_jstr_exact("/usr/sbin/sshd here", 14, "\"/usr/sbin/sshd\"");
	check_jstr("a b~{}[]:,", 10, "a b~{}[]:,", 10, 0);
}

static void
obuf_put_jstr__quote_and_backslash__escaped(void **state)
{
	(void)state;
	check_jstr_exact("a\"b", 3, "\"a\\\"b\"");
	check_jstr_exact("a\\b", 3, "\"a\\\\b\"");
	check_jstr_exact("\"\\\"", 3, "\"\\\"\\\\\\\"\"");
}

static void
obuf_put_jstr__short_form_controls__short_escapes(void **state)
{
	(void)state;
	check_jstr_exact("\n", 1, "\"\\n\"");
	check_jstr_exact("\r", 1, "\"\\r\"");
	check_jstr_exact("\t", 1, "\"\\t\"");
	check_jstr_exact("\b", 1, "\"\\b\"");
	check_jstr_exact("\f", 1, "\"\\f\"");
}

static void
obuf_put_jstr__other_controls_and_del__u00xx(void **state)
{
	struct obuf b;
	char c, want[16], got[16];
	int i;

	(void)state;
	obuf_init(&b);
	for (i = 0; i < 0x80; i++) {
		if (i >= 0x20 && i != 0x7f)
			continue;
		if (i == '\n' || i == '\r' || i == '\t' || i == '\b' ||
		    i == '\f')
			continue;
		c = (char)i;
		obuf_reset(&b);
		assert_int_equal(obuf_put_jstr(&b, &c, 1), 0);
		/* "\u00XX" with either case of hex digit is fine JSON. */
		assert_int_equal(b.len, 8);
		memcpy(got, b.data, 8);
		got[8] = '\0';
		(void)snprintf(want, sizeof(want), "\"\\u%04x\"",
		    (unsigned)i);
		assert_int_equal(strcasecmp(got, want), 0);
		assert_memory_equal(got, "\"\\u00", 5);
	}
	obuf_free(&b);
}

static void
obuf_put_jstr__every_single_byte__parses_to_expected(void **state)
{
	char c;
	int i;

	(void)state;
	for (i = 0; i < 256; i++) {
		c = (char)i;
		if (i < 0x80)
			check_jstr(&c, 1, &c, 1, 0);
		else
			/* A lone byte >= 0x80 is never valid UTF-8. */
			check_jstr(&c, 1, FFFD, 3, 1);
	}
}

static void
obuf_put_jstr__valid_multibyte_utf8__kept(void **state)
{
	static const char *const ok[] = {
		"\xc3\xa9",		/* U+00E9 */
		"\xc2\x80",		/* U+0080, lowest 2-byte */
		"\xdf\xbf",		/* U+07FF */
		"\xe0\xa0\x80",		/* U+0800, lowest 3-byte */
		"\xe2\x82\xac",		/* U+20AC */
		"\xed\x9f\xbf",		/* U+D7FF, below surrogates */
		"\xee\x80\x80",		/* U+E000, above surrogates */
		"\xef\xbf\xbf",		/* U+FFFF */
		"\xf0\x90\x80\x80",	/* U+10000, lowest 4-byte */
		"\xf0\x9f\x98\x80",	/* U+1F600 */
		"\xf4\x8f\xbf\xbf",	/* U+10FFFF, the last */
		"caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80!",
	};
	size_t i, n;
	char want[64];

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		n = strlen(ok[i]);
		check_jstr(ok[i], n, ok[i], n, 0);
		/* Kept as raw bytes, not \u escapes. */
		(void)snprintf(want, sizeof(want), "\"%s\"", ok[i]);
		check_jstr_exact(ok[i], n, want);
		assert_int_equal(utf8_valid(ok[i], n), 1);
	}
}

static void
obuf_put_jstr__line_separators__escaped(void **state)
{
	(void)state;
	check_jstr_exact("\xe2\x80\xa8", 3, "\"\\u2028\"");
	check_jstr_exact("\xe2\x80\xa9", 3, "\"\\u2029\"");
	check_jstr_exact("a\xe2\x80\xa8z", 5, "\"a\\u2028z\"");
	check_jstr("\xe2\x80\xa8", 3, "\xe2\x80\xa8", 3, 0);
	check_jstr("\xe2\x80\xa9", 3, "\xe2\x80\xa9", 3, 0);
	/* Neighbours are ordinary characters. */
	check_jstr_exact("\xe2\x80\xa7", 3, "\"\xe2\x80\xa7\"");
	check_jstr_exact("\xe2\x80\xaa", 3, "\"\xe2\x80\xaa\"");
}

struct bad_utf8 {
	const char	*in;
	size_t		 n;
	const char	*why;
};

/* Each byte that is not part of valid UTF-8 becomes one U+FFFD. */
static const struct bad_utf8 bad_utf8[] = {
	{ "\x80", 1, "lone continuation" },
	{ "\xbf", 1, "lone continuation" },
	{ "\xc0\xaf", 2, "overlong 2-byte /" },
	{ "\xc1\xbf", 2, "overlong 2-byte" },
	{ "\xe0\x80\x80", 3, "overlong 3-byte NUL" },
	{ "\xe0\x9f\xbf", 3, "overlong 3-byte" },
	{ "\xed\xa0\x80", 3, "surrogate U+D800" },
	{ "\xed\xbf\xbf", 3, "surrogate U+DFFF" },
	{ "\xf0\x80\x80\x80", 4, "overlong 4-byte" },
	{ "\xf4\x90\x80\x80", 4, "above U+10FFFF" },
	{ "\xf5\x80\x80\x80", 4, "lead byte F5" },
	{ "\xff", 1, "byte FF" },
	{ "\xfe", 1, "byte FE" },
	{ "\xe2\x82", 2, "truncated 3-byte at end" },
	{ "\xf0\x9f\x98", 3, "truncated 4-byte at end" },
	{ "\xc3", 1, "truncated 2-byte at end" },
};

static void
obuf_put_jstr__invalid_utf8__each_byte_replaced_returns_1(void **state)
{
	char want[64];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
		want[0] = '\0';
		for (j = 0; j < bad_utf8[i].n; j++)
			strcat(want, FFFD);
		check_jstr(bad_utf8[i].in, bad_utf8[i].n, want,
		    3 * bad_utf8[i].n, 1);
	}
}

static void
obuf_put_jstr__invalid_between_valid__only_bad_bytes_replaced(void **state)
{
	(void)state;
	check_jstr("a\x80z", 3, "a" FFFD "z", 5, 1);
	check_jstr("\xc3\xa9\xff\xc3\xa9", 5, "\xc3\xa9" FFFD "\xc3\xa9", 7,
	    1);
	/* The truncated sequence's next byte starts a new character. */
	check_jstr("\xe2\x82z", 3, FFFD FFFD "z", 7, 1);
	check_jstr("\xe2\x82\xe2\x82\xac", 5, FFFD FFFD "\xe2\x82\xac", 9, 1);
	check_jstr("x\"\xff\n", 4, "x\"" FFFD "\n", 6, 1);
}

static void
utf8_valid__invalid_sequences__0(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++)
		assert_int_equal(utf8_valid(bad_utf8[i].in, bad_utf8[i].n), 0);
	assert_int_equal(utf8_valid("ab\x80", 3), 0);
	/* n stops before the continuation bytes: truncated. */
	assert_int_equal(utf8_valid("\xe2\x82\xac", 2), 0);
}

static void
utf8_valid__ascii_and_empty__1(void **state)
{
	(void)state;
	assert_int_equal(utf8_valid("", 0), 1);
	assert_int_equal(utf8_valid("plain ascii \x01\x7f", 14), 1);
	assert_int_equal(utf8_valid("\0", 1), 1);
	/* n stops before the bad byte. */
	assert_int_equal(utf8_valid("ab\x80", 2), 1);
}

/* A byte string with a bias towards characters that matter. */
static size_t
random_bytes(char *buf, size_t max)
{
	static const char *const pieces[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe2\x80\xa8",
		"\xe2\x80\xa9", "\"", "\\", "\n", "\x7f", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xc0\xaf", "\xe2\x82", "a",
	};
	size_t n = 0, want, k;
	const char *p;

	want = (size_t)rand() % max;
	while (n < want) {
		if (rand() % 2 == 0) {
			buf[n++] = (char)(rand() & 0xff);
			continue;
		}
		k = (size_t)rand() % (sizeof(pieces) / sizeof(pieces[0]));
		p = pieces[k];
		k = strlen(p);
		if (n + k > max)
			break;
		memcpy(buf + n, p, k);
		n += k;
	}
	return n;
}

static void
obuf_put_jstr__random_bytes__strict_json_and_agrees_with_utf8_valid(
    void **state)
{
	char in[64];
	struct obuf b;
	char *dec;
	size_t n, dlen;
	int i, ret, valid, nvalid = 0;

	(void)state;
	srand(20261127);
	obuf_init(&b);
	for (i = 0; i < 5000; i++) {
		n = random_bytes(in, sizeof(in));
		obuf_reset(&b);
		ret = obuf_put_jstr(&b, in, n);
		assert_false(obuf_failed(&b));
		valid = utf8_valid(in, n);
		assert_int_equal(ret, !valid);
		dec = parse_jstr(b.data, b.len, &dlen);
		assert_int_equal(utf8_valid(dec, dlen), 1);
		if (valid) {
			nvalid++;
			assert_int_equal(dlen, n);
			assert_memory_equal(dec, in, n);
		}
		free(dec);
	}
	/* The generator must exercise both branches. */
	assert_true(nvalid > 100);
	assert_true(nvalid < 4900);
	obuf_free(&b);
}

/* Timestamps */

static void
check_ts(uint64_t sec, uint32_t msec, const char *want)
{
	struct obuf b;

	obuf_init(&b);
	obuf_put_timestamp(&b, sec, msec);
	assert_buf(&b, want);
	obuf_free(&b);
}

static void
obuf_put_timestamp__known_dates__rfc3339(void **state)
{
	(void)state;
	/* Expected values from date -u -d @SECONDS. */
	check_ts(0, 0, "\"1970-01-01T00:00:00.000Z\"");
	check_ts(68169600, 0, "\"1972-02-29T00:00:00.000Z\"");
	check_ts(951782400, 0, "\"2000-02-29T00:00:00.000Z\"");
	check_ts(1433785727, 186, "\"2015-06-08T17:48:47.186Z\"");
	check_ts(1795817186, 337, "\"2026-11-27T22:06:26.337Z\"");
	check_ts(1735603200, 0, "\"2024-12-31T00:00:00.000Z\"");
	check_ts(1735689599, 999, "\"2024-12-31T23:59:59.999Z\"");
	check_ts(1735689600, 0, "\"2025-01-01T00:00:00.000Z\"");
	/* 2100 is not a leap year. */
	check_ts(4107542399, 0, "\"2100-02-28T23:59:59.000Z\"");
	check_ts(4107542400, 0, "\"2100-03-01T00:00:00.000Z\"");
	check_ts(253402300799, 0, "\"9999-12-31T23:59:59.000Z\"");
}

static void
obuf_put_timestamp__small_msec__zero_padded(void **state)
{
	(void)state;
	check_ts(1700000000, 5, "\"2023-11-14T22:13:20.005Z\"");
	check_ts(1700000000, 50, "\"2023-11-14T22:13:20.050Z\"");
	check_ts(1700000001, 1, "\"2023-11-14T22:13:21.001Z\"");
}

static void
obuf_put_timestamp__beyond_year_9999__clamped_to_four_digit_year(
    void **state)
{
	static const uint64_t far[] = {
		253402300800ULL, 253402300800ULL * 10, UINT64_MAX,
	};
	struct obuf b;
	size_t i;

	(void)state;
	obuf_init(&b);
	for (i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		obuf_reset(&b);
		obuf_put_timestamp(&b, far[i], 0);
		assert_false(obuf_failed(&b));
		assert_int_equal(b.len, 26);
		assert_memory_equal(b.data, "\"9999-12-31T23:59:59.", 21);
		assert_memory_equal(b.data + 24, "Z\"", 2);
	}
	obuf_free(&b);
}

static void
obuf_put_timestamp__random_seconds__match_gmtime(void **state)
{
	char want[64];
	struct tm tm;
	time_t t;
	uint64_t sec;
	uint32_t msec;
	int i;

	(void)state;
	/* The oracle's range: a 32-bit time_t ends in 2038. */
	uint64_t range = sizeof(time_t) >= 8 ? 253402300800ULL :
	    (uint64_t)INT32_MAX + 1;

	srand(1433785727);
	for (i = 0; i < 20000; i++) {
		sec = (((uint64_t)(unsigned)rand() << 31) |
		    (unsigned)rand()) % range;
		msec = (uint32_t)rand() % 1000;
		t = (time_t)sec;
		assert_non_null(gmtime_r(&t, &tm));
		(void)snprintf(want, sizeof(want),
		    "\"%04d-%02d-%02dT%02d:%02d:%02d.%03uZ\"",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, msec);
		check_ts(sec, msec, want);
	}
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(obuf_put__many_small_appends__grows_and_keeps_bytes),
	T(obuf_put__mixed_appends__concatenated),
	T(obuf_reset__after_appends__empty_and_reusable),
	T(obuf_truncate__shorter_length__cut_back),
	T(obuf_put_u64__limits__decimal),
	T(obuf_put_i64__limits__decimal),
	T(obuf_put_jstr__plain_ascii__quoted_unchanged),
	T(obuf_put_jstr__quote_and_backslash__escaped),
	T(obuf_put_jstr__short_form_controls__short_escapes),
	T(obuf_put_jstr__other_controls_and_del__u00xx),
	T(obuf_put_jstr__every_single_byte__parses_to_expected),
	T(obuf_put_jstr__valid_multibyte_utf8__kept),
	T(obuf_put_jstr__line_separators__escaped),
	T(obuf_put_jstr__invalid_utf8__each_byte_replaced_returns_1),
	T(obuf_put_jstr__invalid_between_valid__only_bad_bytes_replaced),
	T(utf8_valid__invalid_sequences__0),
	T(utf8_valid__ascii_and_empty__1),
	T(obuf_put_jstr__random_bytes__strict_json_and_agrees_with_utf8_valid),
	T(obuf_put_timestamp__known_dates__rfc3339),
	T(obuf_put_timestamp__small_msec__zero_padded),
	T(obuf_put_timestamp__beyond_year_9999__clamped_to_four_digit_year),
	T(obuf_put_timestamp__random_seconds__match_gmtime),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
