/*
 * Strict number parsers for record text; see textscan.h.  Overflow is checked
 * before each multiply, so no input can wrap a value into range.
 */
#include "config.h"

#include <string.h>

#include "reporter/textscan.h"

int
scan_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
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
		if ((d = scan_hexdigit(s[i])) < 0)
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
