/*
 * Strict number parsers for record text; see textscan.h, where the digit
 * parsers are inline.  Nineteen decimal digits cannot overflow 64 bits and
 * the twentieth is checked before its multiply, so no input can wrap a
 * value into range.
 */
#include "config.h"

#include <string.h>

#include "reporter/textscan.h"

#define N16 -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
const signed char scan_hexval[256] = {
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

const char *
scan_find(const char *s, size_t n, const char *needle, size_t nlen)
{
	return memmem(s, n, needle, nlen);
}
