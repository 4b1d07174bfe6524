/*
 * Strict number parsers for record text; see textscan.h.  Overflow is checked
 * before each multiply, so no input can wrap a value into range.
 */
#include "config.h"

#include <string.h>

#include "reporter/textscan.h"

/* Hex digit values, -1 for every other byte: one look-up per digit. */
#define N16 -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
static const signed char hexval[256] = {
	N16, N16, N16,						/* 0x00-0x2f */
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,	/* 0x30 */
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	N16,							/* 0x50 */
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	N16,							/* 0x70 */
	N16, N16, N16, N16, N16, N16, N16, N16,			/* 0x80-0xff */
};
#undef N16

int
scan_hexdigit(char c)
{
	return hexval[(unsigned char)c];
}

int
scan_udec(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned d;
	size_t i;

	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++) {
		d = (unsigned)((unsigned char)s[i] - '0');
		if (d > 9)
			return -1;
		/* Nineteen digits cannot overflow; only the twentieth can. */
		if (i == 19 && v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int
scan_sdec(const char *s, size_t n, int64_t *out)
{
	uint64_t u;

	if (n > 0 && s[0] == '-') {
		/* INT64_MIN's magnitude is INT64_MAX + 1. */
		if (scan_udec(s + 1, n - 1, (uint64_t)INT64_MAX + 1, &u) < 0)
			return -1;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
		return 0;
	}
	if (scan_udec(s, n, INT64_MAX, &u) < 0)
		return -1;
	*out = (int64_t)u;
	return 0;
}

int
scan_hex(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (n == 0 || n > 16)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = hexval[(unsigned char)s[i]]) < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

const char *
scan_find(const char *s, size_t n, const char *needle, size_t nlen)
{
	return memmem(s, n, needle, nlen);
}
