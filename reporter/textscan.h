/*
 * Number parsers over (pointer, length) for untrusted record text.  Unlike
 * strtoull() they accept no blanks, no sign where none belongs, no base
 * prefix, and they never read past the length they are given.  The digit
 * parsers are inline: a record has a dozen numbers, and a call each cost
 * more than the parsing.
 */
#ifndef SECCOMPMON_TEXTSCAN_H
#define SECCOMPMON_TEXTSCAN_H

#include <stddef.h>
#include <stdint.h>

/* Hex digit values, -1 for every other byte. */
extern const signed char scan_hexval[256];

/* Value of a hex digit (either case), or -1. */
static inline int
scan_hexdigit(char c)
{
	return scan_hexval[(unsigned char)c];
}

/*
 * Decimal digits only, 1 to 20 of them, value <= max: 0 and *out set.
 * Otherwise -1 and *out untouched.
 */
static inline int
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

/* An optional '-' then decimal digits, within int64_t: 0, else -1. */
int scan_sdec(const char *s, size_t n, int64_t *out);

/* Hex digits only (no "0x"), 1 to 16 of them, value <= max: 0, else -1. */
static inline int
scan_hex(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (n == 0 || n > 16)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = scan_hexval[(unsigned char)s[i]]) < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* First occurrence of needle in s[0..n), or NULL. */
const char *scan_find(const char *s, size_t n, const char *needle, size_t nlen);

#endif
