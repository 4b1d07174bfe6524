/*
 * Output buffer and JSON encoding.  The event path escapes every string it
 * did not write itself through obuf_put_jstr(), which validates UTF-8 by the
 * RFC 3629 table so that no byte a process names itself can end a line, close
 * a string or yield an invalid document.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reporter/obuf.h"

void
obuf_init(struct obuf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

void
obuf_free(struct obuf *b)
{
	free(b->data);
	obuf_init(b);
}

void
obuf_reset(struct obuf *b)
{
	b->len = 0;
	b->failed = 0;
}

void
obuf_truncate(struct obuf *b, size_t len)
{
	if (len < b->len)
		b->len = len;
	b->failed = 0;
}

int
obuf_reserve(struct obuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return -1;
	if (b->cap - b->len >= n)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL)
		goto fail;
	b->data = p;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	errno = ENOMEM;
	return -1;
}

void
obuf_put_grow(struct obuf *b, const void *p, size_t n)
{
	if (n == 0 || obuf_reserve(b, n) < 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* "00" to "99": two digits per division. */
static const char digits2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

void
obuf_put_u64(struct obuf *b, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	while (v >= 100) {
		i -= 2;
		memcpy(tmp + i, digits2 + v % 100 * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		i -= 2;
		memcpy(tmp + i, digits2 + v * 2, 2);
	} else
		tmp[--i] = (char)('0' + v);
	obuf_put(b, tmp + i, sizeof(tmp) - i);
}

void
obuf_put_i64(struct obuf *b, int64_t v)
{
	if (v < 0) {
		obuf_putc(b, '-');
		/* -(v + 1) + 1 cannot overflow, even for INT64_MIN. */
		obuf_put_u64(b, (uint64_t)-(v + 1) + 1);
	} else
		obuf_put_u64(b, (uint64_t)v);
}

/*
 * Length of the valid UTF-8 sequence at p, or 0 when the bytes at p are not
 * one (RFC 3629 section 4: no overlongs, no surrogates, nothing > U+10FFFF).
 */
static size_t
utf8_seq(const unsigned char *p, const unsigned char *e)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if ((size_t)(e - p) < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t l;

	while (p < e) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((l = utf8_seq(p, e)) == 0)
			return 0;
		p += l;
	}
	return 1;
}

static const char hexdigits[] = "0123456789abcdef";

/*
 * Bytes a JSON string holds as they are: printable ASCII but '"' and '\\'.
 * One table look-up per byte instead of four compares.
 */
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char jplain[256] = {
	R16(0), R16(0),					/* 0x00-0x1f */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x20: '"' */
	R16(1), R16(1),					/* 0x30-0x4f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* 0x50: '\\' */
	R16(1),						/* 0x60-0x6f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,	/* 0x70: DEL */
	R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
};
#undef R16

int
obuf_put_jstr(struct obuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	unsigned char c;
	char *o;
	size_t l;
	int lossy = 0;

	/* Worst case: every byte a six-byte \u00XX escape. */
	if (n > (SIZE_MAX - 2) / 6 || obuf_reserve(b, n * 6 + 2) < 0) {
		b->failed = 1;
		return 0;
	}
	o = b->data + b->len;
	*o++ = '"';
	while (p < e) {
		c = *p;
		if (jplain[c]) {
			*o++ = (char)c;
			p++;
			continue;
		}
		if (c < 0x80) {
			*o++ = '\\';
			switch (c) {
			case '"':
			case '\\':
				*o++ = (char)c;
				break;
			case '\n':
				*o++ = 'n';
				break;
			case '\r':
				*o++ = 'r';
				break;
			case '\t':
				*o++ = 't';
				break;
			case '\b':
				*o++ = 'b';
				break;
			case '\f':
				*o++ = 'f';
				break;
			default:
				*o++ = 'u';
				*o++ = '0';
				*o++ = '0';
				*o++ = hexdigits[c >> 4];
				*o++ = hexdigits[c & 0xf];
			}
			p++;
			continue;
		}
		if ((l = utf8_seq(p, e)) == 0) {
			/* U+FFFD REPLACEMENT CHARACTER */
			*o++ = (char)0xef;
			*o++ = (char)0xbf;
			*o++ = (char)0xbd;
			lossy = 1;
			p++;
			continue;
		}
		if (l == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			memcpy(o, p[2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
			o += 6;
			p += 3;
			continue;
		}
		memcpy(o, p, l);
		o += l;
		p += l;
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	return lossy;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms", civil_from_days). */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	*y = yoe + era * 400;
	doy = (z - era * 146097) - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	if (*m <= 2)
		(*y)++;
}

static char *
put2(char *o, unsigned v)
{
	*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

/*
 * "YYYY-MM-DDTHH:MM:SS" of the last two seconds formatted, per thread:
 * records come in bursts of the same second, so the date arithmetic runs
 * about once a second rather than once an event; two, because an event
 * with process context also carries the process's start.
 */
struct tscache {
	uint64_t	sec;
	int		valid;
	char		text[19];
};
static __thread struct tscache tsc[2];
static __thread unsigned tsc_last;	/* the entry used last */

static void
ts_format(uint64_t sec, char *o)
{
	int64_t y;
	unsigned m, d, sod;

	civil_from_days((int64_t)(sec / 86400), &y, &m, &d);
	sod = (unsigned)(sec % 86400);
	o = put2(o, (unsigned)(y / 100));
	o = put2(o, (unsigned)(y % 100));
	*o++ = '-';
	o = put2(o, m);
	*o++ = '-';
	o = put2(o, d);
	*o++ = 'T';
	o = put2(o, sod / 3600);
	*o++ = ':';
	o = put2(o, sod / 60 % 60);
	*o++ = ':';
	(void)put2(o, sod % 60);
}

void
obuf_put_timestamp(struct obuf *b, uint64_t sec, uint32_t msec)
{
	struct tscache *c = &tsc[tsc_last];
	char tmp[26];

	/* Years past 9999 do not fit RFC 3339; clamp rather than lie. */
	if (sec > 253402300799ull) {
		sec = 253402300799ull;
		msec = 999;
	}
	if (!c->valid || c->sec != sec) {
		c = &tsc[tsc_last ^ 1];
		if (!c->valid || c->sec != sec) {
			ts_format(sec, c->text);
			c->sec = sec;
			c->valid = 1;
		}
		tsc_last ^= 1;
	}
	tmp[0] = '"';
	memcpy(tmp + 1, c->text, 19);
	tmp[20] = '.';
	tmp[21] = (char)('0' + msec / 100 % 10);
	(void)put2(tmp + 22, msec % 100);
	tmp[24] = 'Z';
	tmp[25] = '"';
	obuf_put(b, tmp, sizeof(tmp));
}
