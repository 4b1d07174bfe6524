/*
 * Unit tests for reporter/textscan: the number parsers and scan_find() that
 * read untrusted record text.  Each parser is fed buffers that are not
 * NUL-terminated and followed by more digits, so a read past n changes the
 * result and shows up as a failure rather than only under a sanitizer.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reporter/textscan.h"

#define SENTINEL_U 0x5a5a5a5a5a5a5a5aULL
#define SENTINEL_S ((int64_t)0x5a5a5a5a5a5a5a5aLL)

/* Copy s into a heap block of exactly strlen(s) bytes: no NUL after it. */
static char *
exact_copy(const char *s, size_t n)
{
	char *p;

	p = malloc(n > 0 ? n : 1);
	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static int
udec(const char *s, uint64_t max, uint64_t *out)
{
	size_t n = strlen(s);
	char *p = exact_copy(s, n);
	int rc;

	*out = SENTINEL_U;
	rc = scan_udec(p, n, max, out);
	free(p);
	return rc;
}

static int
sdec(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	char *p = exact_copy(s, n);
	int rc;

	*out = SENTINEL_S;
	rc = scan_sdec(p, n, out);
	free(p);
	return rc;
}

static int
hex(const char *s, uint64_t max, uint64_t *out)
{
	size_t n = strlen(s);
	char *p = exact_copy(s, n);
	int rc;

	*out = SENTINEL_U;
	rc = scan_hex(p, n, max, out);
	free(p);
	return rc;
}

/* scan_hexdigit */

static void
scan_hexdigit__every_byte__only_hex_digits_have_values(void **state)
{
	int c, want;

	(void)state;
	for (c = 0; c < 256; c++) {
		if (c >= '0' && c <= '9')
			want = c - '0';
		else if (c >= 'a' && c <= 'f')
			want = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			want = c - 'A' + 10;
		else
			want = -1;
		assert_int_equal(scan_hexdigit((char)c), want);
	}
}

/* scan_udec */

static void
scan_udec__plain_numbers__parsed(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(udec("0", UINT64_MAX, &v), 0);
	assert_true(v == 0);
	assert_int_equal(udec("7", UINT64_MAX, &v), 0);
	assert_true(v == 7);
	assert_int_equal(udec("4294967295", UINT64_MAX, &v), 0);
	assert_true(v == 4294967295ULL);
	assert_int_equal(udec("00000000000000000042", UINT64_MAX, &v), 0);
	assert_true(v == 42);
}

static void
scan_udec__empty__rejected(void **state)
{
	uint64_t v = SENTINEL_U;

	(void)state;
	assert_int_equal(scan_udec("", 0, UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
	/* n == 0 on a buffer that holds digits: still empty. */
	assert_int_equal(scan_udec("123", 0, UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
}

static void
scan_udec__uint64_max__accepted(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(udec("18446744073709551615", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
}

static void
scan_udec__uint64_max_plus_one__rejected_out_untouched(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(udec("18446744073709551616", UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
	assert_int_equal(udec("18446744073709551620", UINT64_MAX, &v), -1);
	assert_int_equal(udec("99999999999999999999", UINT64_MAX, &v), -1);
	/* Wraps to a small number if the overflow check is missing. */
	assert_int_equal(udec("36893488147419103232", UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
}

static void
scan_udec__more_than_20_digits__rejected(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(udec("000000000000000000001", UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
	assert_int_equal(udec("123456789012345678901234", UINT64_MAX, &v),
	    -1);
}

static void
scan_udec__max__respected_at_boundary(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(udec("255", 255, &v), 0);
	assert_true(v == 255);
	assert_int_equal(udec("256", 255, &v), -1);
	assert_true(v == SENTINEL_U);
	assert_int_equal(udec("4294967295", UINT32_MAX, &v), 0);
	assert_true(v == UINT32_MAX);
	assert_int_equal(udec("4294967296", UINT32_MAX, &v), -1);
	assert_int_equal(udec("2147483647", INT32_MAX, &v), 0);
	assert_int_equal(udec("2147483648", INT32_MAX, &v), -1);
	assert_int_equal(udec("0", 0, &v), 0);
	assert_true(v == 0);
	assert_int_equal(udec("1", 0, &v), -1);
}

static void
scan_udec__signs_blanks_prefixes__rejected(void **state)
{
	static const char *const bad[] = {
		"-1", "+1", " 1", "1 ", "\t1", "1\n", "0x10", "0X10", "1a",
		"a1", "1.0", "1,0", "--", "-", "+", " ", "1e3", "\xd9\xa1",
	};
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(udec(bad[i], UINT64_MAX, &v), -1);
		assert_true(v == SENTINEL_U);
	}
	/* Embedded NUL inside n: not a digit. */
	v = SENTINEL_U;
	assert_int_equal(scan_udec("1\0002", 3, UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
}

static void
scan_udec__n_shorter_than_digits__stops_at_n(void **state)
{
	char *p;
	uint64_t v = 0;

	(void)state;
	p = exact_copy("123456", 6);
	assert_int_equal(scan_udec(p, 3, UINT64_MAX, &v), 0);
	assert_true(v == 123);
	assert_int_equal(scan_udec(p, 1, UINT64_MAX, &v), 0);
	assert_true(v == 1);
	/* The digit after n would push it over max. */
	assert_int_equal(scan_udec(p, 2, 99, &v), 0);
	assert_true(v == 12);
	free(p);

	/* A non-digit right after n must not matter. */
	p = exact_copy("42x", 3);
	assert_int_equal(scan_udec(p, 2, UINT64_MAX, &v), 0);
	assert_true(v == 42);
	free(p);

	/* 20 digits within n, a 21st after it: accepted. */
	p = exact_copy("184467440737095516159", 21);
	assert_int_equal(scan_udec(p, 20, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	free(p);
}

/* scan_sdec */

static void
scan_sdec__plain_numbers__parsed(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(sdec("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(sdec("-0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(sdec("-1", &v), 0);
	assert_true(v == -1);
	assert_int_equal(sdec("31", &v), 0);
	assert_true(v == 31);
	assert_int_equal(sdec("-2147483648", &v), 0);
	assert_true(v == INT32_MIN);
}

static void
scan_sdec__int64_limits__accepted(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(sdec("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(sdec("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
}

static void
scan_sdec__one_beyond_limits__rejected_out_untouched(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(sdec("-9223372036854775809", &v), -1);
	assert_true(v == SENTINEL_S);
	assert_int_equal(sdec("9223372036854775808", &v), -1);
	assert_true(v == SENTINEL_S);
	assert_int_equal(sdec("18446744073709551615", &v), -1);
	assert_int_equal(sdec("-18446744073709551615", &v), -1);
	assert_int_equal(sdec("18446744073709551617", &v), -1);
	assert_int_equal(sdec("-99999999999999999999", &v), -1);
	assert_int_equal(sdec("123456789012345678901234", &v), -1);
	assert_true(v == SENTINEL_S);
}

static void
scan_sdec__bad_text__rejected(void **state)
{
	static const char *const bad[] = {
		"", "-", "+1", "+", "--1", "- 1", " 1", "1 ", " -1", "0x1",
		"1-", "-a", "1.5", "\xe2\x88\x92" "1",
	};
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sdec(bad[i], &v), -1);
		assert_true(v == SENTINEL_S);
	}
}

static void
scan_sdec__n_shorter_than_digits__stops_at_n(void **state)
{
	char *p;
	int64_t v = 0;

	(void)state;
	p = exact_copy("-123456", 7);
	assert_int_equal(scan_sdec(p, 4, &v), 0);
	assert_true(v == -123);
	v = SENTINEL_S;
	/* Only the sign within n. */
	assert_int_equal(scan_sdec(p, 1, &v), -1);
	assert_true(v == SENTINEL_S);
	free(p);

	p = exact_copy("-92233720368547758089", 21);
	assert_int_equal(scan_sdec(p, 20, &v), 0);
	assert_true(v == INT64_MIN);
	free(p);
}

/* scan_hex */

static void
scan_hex__both_cases__parsed(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(hex("0", UINT64_MAX, &v), 0);
	assert_true(v == 0);
	assert_int_equal(hex("c000003e", UINT64_MAX, &v), 0);
	assert_true(v == 0xc000003eULL);
	assert_int_equal(hex("C000003E", UINT64_MAX, &v), 0);
	assert_true(v == 0xc000003eULL);
	assert_int_equal(hex("7f62DCE3d4c7", UINT64_MAX, &v), 0);
	assert_true(v == 0x7f62dce3d4c7ULL);
}

static void
scan_hex__empty__rejected(void **state)
{
	uint64_t v = SENTINEL_U;

	(void)state;
	assert_int_equal(scan_hex("", 0, UINT64_MAX, &v), -1);
	assert_int_equal(scan_hex("ff", 0, UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
}

static void
scan_hex__16_digits__accepted_17_rejected(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(hex("ffffffffffffffff", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(hex("FFFFFFFFFFFFFFFF", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(hex("10000000000000000", UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
	assert_int_equal(hex("00000000000000001", UINT64_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
}

static void
scan_hex__max__respected_at_boundary(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(hex("ffffffff", UINT32_MAX, &v), 0);
	assert_true(v == UINT32_MAX);
	assert_int_equal(hex("100000000", UINT32_MAX, &v), -1);
	assert_true(v == SENTINEL_U);
	assert_int_equal(hex("ff", 0xff, &v), 0);
	assert_int_equal(hex("100", 0xff, &v), -1);
	assert_true(v == SENTINEL_U);
}

static void
scan_hex__prefix_sign_blank_nonhex__rejected(void **state)
{
	static const char *const bad[] = {
		"0x10", "0X10", "x10", "-1", "+1", " 1", "1 ", "\n", "g", "fg",
		"1.0", "ff\t", "G0",
	};
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(hex(bad[i], UINT64_MAX, &v), -1);
		assert_true(v == SENTINEL_U);
	}
}

static void
scan_hex__n_shorter_than_digits__stops_at_n(void **state)
{
	char *p;
	uint64_t v = 0;

	(void)state;
	p = exact_copy("abcdef", 6);
	assert_int_equal(scan_hex(p, 3, UINT64_MAX, &v), 0);
	assert_true(v == 0xabc);
	free(p);

	p = exact_copy("ffffffffffffffff1", 17);
	assert_int_equal(scan_hex(p, 16, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	free(p);

	p = exact_copy("ffz", 3);
	assert_int_equal(scan_hex(p, 2, 0xff, &v), 0);
	assert_true(v == 0xff);
	free(p);
}

/* scan_find */

static void
scan_find__needle_present__first_occurrence(void **state)
{
	const char *s = "abcabc";

	(void)state;
	assert_ptr_equal(scan_find(s, 6, "bc", 2), s + 1);
	assert_ptr_equal(scan_find(s, 6, "abc", 3), s);
	assert_ptr_equal(scan_find(s, 6, "c", 1), s + 2);
	assert_ptr_equal(scan_find(s, 6, "abcabc", 6), s);
}

static void
scan_find__needle_absent__null(void **state)
{
	(void)state;
	assert_null(scan_find("abcabc", 6, "cb", 2));
	assert_null(scan_find("abc", 3, "abcd", 4));
	assert_null(scan_find("", 0, "a", 1));
}

static void
scan_find__needle_past_n__not_found(void **state)
{
	char *p;

	(void)state;
	p = exact_copy(" pid=1 comm=", 12);
	/* " comm=" starts inside n but ends beyond it. */
	assert_null(scan_find(p, 9, " comm=", 6));
	assert_ptr_equal(scan_find(p, 12, " comm=", 6), p + 6);
	/* Entirely beyond n. */
	assert_null(scan_find(p, 5, "comm", 4));
	free(p);
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(scan_hexdigit__every_byte__only_hex_digits_have_values),
	T(scan_udec__plain_numbers__parsed),
	T(scan_udec__empty__rejected),
	T(scan_udec__uint64_max__accepted),
	T(scan_udec__uint64_max_plus_one__rejected_out_untouched),
	T(scan_udec__more_than_20_digits__rejected),
	T(scan_udec__max__respected_at_boundary),
	T(scan_udec__signs_blanks_prefixes__rejected),
	T(scan_udec__n_shorter_than_digits__stops_at_n),
	T(scan_sdec__plain_numbers__parsed),
	T(scan_sdec__int64_limits__accepted),
	T(scan_sdec__one_beyond_limits__rejected_out_untouched),
	T(scan_sdec__bad_text__rejected),
	T(scan_sdec__n_shorter_than_digits__stops_at_n),
	T(scan_hex__both_cases__parsed),
	T(scan_hex__empty__rejected),
	T(scan_hex__16_digits__accepted_17_rejected),
	T(scan_hex__max__respected_at_boundary),
	T(scan_hex__prefix_sign_blank_nonhex__rejected),
	T(scan_hex__n_shorter_than_digits__stops_at_n),
	T(scan_find__needle_present__first_occurrence),
	T(scan_find__needle_absent__null),
	T(scan_find__needle_past_n__not_found),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
