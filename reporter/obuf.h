/*
 * A growable output buffer and the JSON primitives events are built from.
 * Errors are sticky, like stdio's: after an allocation failure every append
 * is a no-op and obuf_failed() says so, so encoders check once at the end.
 */
#ifndef SECCOMPMON_OBUF_H
#define SECCOMPMON_OBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct obuf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	int	 failed;	/* an allocation failed since obuf_reset() */
};

void obuf_init(struct obuf *b);
void obuf_free(struct obuf *b);

/* Empty the buffer (keeps the allocation) and clear the error. */
void obuf_reset(struct obuf *b);

/* Cut the buffer back to len bytes (len <= b->len) and clear the error. */
void obuf_truncate(struct obuf *b, size_t len);

static inline int
obuf_failed(const struct obuf *b)
{
	return b->failed;
}

/* Make room for n more bytes.  0, or -1 (ENOMEM, error made sticky). */
int obuf_reserve(struct obuf *b, size_t n);

/*
 * Append n bytes (obuf_put), a C string (obuf_puts) or one byte.  Inline:
 * an event is some sixty appends, most of literals whose length the
 * compiler knows, so the common case is a compare and a fixed-size copy;
 * obuf_put_grow() is the rest (growth, and the sticky error).
 */
void obuf_put_grow(struct obuf *b, const void *p, size_t n);

static inline void
obuf_put(struct obuf *b, const void *p, size_t n)
{
	/* "<": cap 0 (data NULL) always takes the slow path. */
	if (__builtin_expect(n < b->cap - b->len && !b->failed, 1)) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
	} else
		obuf_put_grow(b, p, n);
}

static inline void
obuf_puts(struct obuf *b, const char *s)
{
	obuf_put(b, s, strlen(s));
}

static inline void
obuf_putc(struct obuf *b, char c)
{
	if (__builtin_expect(b->len < b->cap && !b->failed, 1))
		b->data[b->len++] = c;
	else
		obuf_put_grow(b, &c, 1);
}

void obuf_put_u64(struct obuf *b, uint64_t v);
void obuf_put_i64(struct obuf *b, int64_t v);

/*
 * A JSON string, quotes included, for n arbitrary bytes: valid UTF-8 is kept
 * (U+2028 and U+2029 escaped, as line-oriented JavaScript readers need),
 * controls and DEL become escapes, and each byte that is not part of valid
 * UTF-8 becomes U+FFFD.  Returns 1 when a byte was replaced, else 0.
 */
int obuf_put_jstr(struct obuf *b, const char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8 (RFC 3629), else 0. */
int utf8_valid(const char *s, size_t n);

/*
 * A JSON string "YYYY-MM-DDTHH:MM:SS.mmmZ" (RFC 3339, UTC) for seconds since
 * the epoch and milliseconds.  Pure arithmetic: no gmtime(), no time zone.
 */
void obuf_put_timestamp(struct obuf *b, uint64_t sec, uint32_t msec);

#endif
