/*
 * A recursive-descent walk over JSON that json-c will also parse: it trusts
 * nothing (every step checks the end), records paths and lines, and gives
 * up at the first thing that is not JSON, leaving the diagnosis to json-c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/jsonpos.h"

struct scan {
	const char	*p;
	const char	*end;
	unsigned	 line;
	struct jsonpos	*jp;
	int		 failed;	/* ENOMEM */
	const char	*nulkey;	/* a key with \u0000 starts here */
};

int
jsonpos_strip_comments(char *text, size_t len, unsigned *line)
{
	char *p = text, *end = text + len;
	unsigned ln = 1, start_ln;

	while (p < end) {
		if (*p == '\n') {
			ln++;
			p++;
		} else if (*p == '"') {
			/* Skip the string, escapes included. */
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				if (*p == '\n')
					ln++;
			}
			if (p < end)
				p++;
		} else if (*p == '/' && p + 1 < end && p[1] == '/') {
			while (p < end && *p != '\n')
				*p++ = ' ';
		} else if (*p == '/' && p + 1 < end && p[1] == '*') {
			start_ln = ln;
			*p++ = ' ';
			*p++ = ' ';
			while (p < end && !(*p == '*' && p + 1 < end &&
			    p[1] == '/')) {
				if (*p == '\n')
					ln++;
				else
					*p = ' ';
				p++;
			}
			if (p >= end) {
				*line = start_ln;
				return -1;
			}
			*p++ = ' ';
			*p++ = ' ';
		} else
			p++;
	}
	return 0;
}

static void
ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\r' || *s->p == '\n')) {
		if (*s->p == '\n')
			s->line++;
		s->p++;
	}
}

static void
record(struct scan *s, const char *path)
{
	struct jsonpos *jp = s->jp;
	struct jsonpos_entry *v;
	size_t cap;

	if (jp->n == jp->cap) {
		cap = jp->cap ? jp->cap * 2 : 32;
		if ((v = realloc(jp->v, cap * sizeof(*v))) == NULL) {
			s->failed = 1;
			return;
		}
		jp->v = v;
		jp->cap = cap;
	}
	if ((jp->v[jp->n].path = strdup(path)) == NULL) {
		s->failed = 1;
		return;
	}
	jp->v[jp->n].line = s->line;
	jp->v[jp->n].duplicate = 0;
	jp->n++;
}

/* A growing byte buffer; s->failed on ENOMEM. */
struct bytes {
	char	*p;
	size_t	 n;
	size_t	 cap;
};

static int
put(struct scan *s, struct bytes *b, const char *src, size_t n)
{
	size_t cap;
	char *p;

	if (b->cap - b->n <= n) {
		cap = b->cap ? b->cap : 64;
		while (cap - b->n <= n)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			s->failed = 1;
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, src, n);
	b->n += n;
	return 0;
}

/* Four hex digits at p (p + 4 <= end); the value, or -1. */
static long
hex4(const char *p)
{
	long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The \uXXXX escape at s->p (past the backslash and 'u'), as UTF-8. */
static int
unicode(struct scan *s, struct bytes *out, int *nul)
{
	unsigned char u[4];
	long cp, lo;
	size_t n;

	if (s->end - s->p < 5 || (cp = hex4(s->p + 1)) < 0)
		return -1;
	s->p += 4;
	/*
	 * As json-c does (json_tokener.c): a high surrogate followed by a
	 * \u low one is a pair; any other surrogate is U+FFFD, and what
	 * follows a lone high one is read on its own.
	 */
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (s->end - s->p >= 7 && s->p[1] == '\\' && s->p[2] == 'u' &&
		    (lo = hex4(s->p + 3)) >= 0xdc00 && lo <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			s->p += 6;
		} else
			cp = 0xfffd;
	} else if (cp >= 0xdc00 && cp <= 0xdfff)
		cp = 0xfffd;
	if (cp == 0)
		*nul = 1;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return out != NULL ? put(s, out, (const char *)u, n) : 0;
}

/*
 * A string.  With out, its decoded bytes (escapes resolved as json-c
 * resolves them, so that keys compare as json-c compares them) replace
 * out's, NUL-terminated, and *nul says whether they hold a NUL.
 */
static int
string(struct scan *s, struct bytes *out, int *nul)
{
	const char *run;
	char c;

	*nul = 0;
	if (out != NULL)
		out->n = 0;
	if (s->p >= s->end || *s->p != '"')
		return -1;
	for (run = ++s->p; s->p < s->end && *s->p != '"'; s->p++) {
		if (*s->p == '\n')
			return -1;
		if (*s->p == '\0')
			*nul = 1;
		if (*s->p != '\\')
			continue;
		if (out != NULL && put(s, out, run, (size_t)(s->p - run)) < 0)
			return -1;
		if (++s->p >= s->end)
			return -1;
		switch (*s->p) {
		case '"':
		case '\\':
		case '/':
			c = *s->p;
			break;
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'n':
			c = '\n';
			break;
		case 'r':
			c = '\r';
			break;
		case 't':
			c = '\t';
			break;
		case 'u':
			if (unicode(s, out, nul) < 0)
				return -1;
			run = s->p + 1;
			continue;
		default:
			return -1;
		}
		if (out != NULL && put(s, out, &c, 1) < 0)
			return -1;
		run = s->p + 1;
	}
	if (s->p >= s->end)
		return -1;
	if (out != NULL && (put(s, out, run, (size_t)(s->p - run)) < 0 ||
	    put(s, out, "", 1) < 0))
		return -1;
	if (out != NULL)
		out->n--;
	s->p++;
	return 0;
}

static int value(struct scan *s, const char *path, int depth);

/* A key of the object being read: its bytes in all.p, its entry in jp. */
struct key {
	const char	*p;
	size_t		 off;
	size_t		 len;
	size_t		 entry;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c;

	c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);
	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/*
 * Mark every key given again in an object, whole keys compared: sorted,
 * equal keys are adjacent and in the order given, so all but the first of
 * each run are the repeats (n log n: comparing each key with every earlier
 * one took 30 s of CPU for the 95,000 keys a 1 MB object holds).
 */
static void
mark_duplicates(struct scan *s, struct key *k, size_t n, const char *base)
{
	size_t i;

	for (i = 0; i < n; i++)
		k[i].p = base + k[i].off;
	qsort(k, n, sizeof(*k), key_cmp);
	for (i = 1; i < n; i++)
		if (k[i].len == k[i - 1].len &&
		    memcmp(k[i].p, k[i - 1].p, k[i].len) == 0)
			s->jp->v[k[i].entry].duplicate = 1;
}

static int
object(struct scan *s, const char *path, int depth)
{
	struct bytes key = { NULL, 0, 0 }, all = { NULL, 0, 0 };
	struct key *keys = NULL, *more;
	char sub[512];
	const char *quote;
	size_t nkeys = 0, capkeys = 0, cap;
	int nul, rc = -1;

	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		ws(s);
		quote = s->p;
		if (string(s, &key, &nul) < 0)
			goto out;
		if (nul) {
			/* json-c would cut the key there, merging keys. */
			s->nulkey = quote;
			goto out;
		}
		if (nkeys == capkeys) {
			cap = capkeys ? capkeys * 2 : 8;
			if ((more = realloc(keys, cap * sizeof(*keys))) ==
			    NULL) {
				s->failed = 1;
				goto out;
			}
			keys = more;
			capkeys = cap;
		}
		keys[nkeys].off = all.n;
		keys[nkeys].len = key.n;
		keys[nkeys].entry = s->jp->n;
		if (put(s, &all, key.p, key.n) < 0)
			goto out;
		nkeys++;
		ws(s);
		if (s->p >= s->end || *s->p != ':')
			goto out;
		s->p++;
		ws(s);
		if (*path == '\0')
			snprintf(sub, sizeof(sub), "%s", key.p);
		else
			snprintf(sub, sizeof(sub), "%s.%s", path, key.p);
		record(s, sub);
		if (value(s, sub, depth + 1) < 0)
			goto out;
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			if (!s->failed)
				mark_duplicates(s, keys, nkeys, all.p);
			rc = 0;
		}
		goto out;
	}
out:
	free(keys);
	free(key.p);
	free(all.p);
	return rc;
}

static int
array(struct scan *s, const char *path, int depth)
{
	char sub[512];
	size_t i = 0;

	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return 0;
	}
	for (;; i++) {
		ws(s);
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		record(s, sub);
		if (value(s, sub, depth + 1) < 0)
			return -1;
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return 0;
		}
		return -1;
	}
}

static int
value(struct scan *s, const char *path, int depth)
{
	int nul;

	if (depth > JSONPOS_MAX_DEPTH || s->failed)
		return -1;
	ws(s);
	if (s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '{':
		return object(s, path, depth);
	case '[':
		return array(s, path, depth);
	case '"':
		return string(s, NULL, &nul);
	}
	/* A number, true, false or null: up to a delimiter. */
	while (s->p < s->end && strchr(",}] \t\r\n", *s->p) == NULL)
		s->p++;
	return 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct jsonpos_entry *x = *(const struct jsonpos_entry *const *)a;
	const struct jsonpos_entry *y = *(const struct jsonpos_entry *const *)b;
	int c;

	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	return x < y ? -1 : x > y;
}

int
jsonpos_scan(struct jsonpos *jp, const char *text, size_t len, size_t *bad)
{
	struct scan s;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = text;
	s.end = text + len;
	s.line = 1;
	s.jp = jp;
	rc = value(&s, "", 0);
	/* jsonpos_line()'s index: by path, then in the order given. */
	free(jp->sorted);
	jp->sorted = NULL;
	if (!s.failed && jp->n > 0 &&
	    (jp->sorted = malloc(jp->n * sizeof(*jp->sorted))) == NULL)
		s.failed = 1;
	if (s.failed) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < jp->n; i++)
		jp->sorted[i] = &jp->v[i];
	if (jp->n > 0)
		qsort(jp->sorted, jp->n, sizeof(*jp->sorted), entry_cmp);
	if (s.nulkey != NULL) {
		*bad = (size_t)(s.nulkey - text);
		return 2;
	}
	if (rc == 0)
		ws(&s);
	if (rc < 0 || s.p != s.end) {
		*bad = (size_t)(s.p - text);
		return 1;
	}
	return 0;
}

/* The last entry recorded for path; NULL if none. */
static const struct jsonpos_entry *
find(const struct jsonpos *jp, const char *path)
{
	size_t lo = 0, hi = jp->n, mid;

	if (jp->sorted == NULL)
		return NULL;
	/* The first entry after every one for path. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(jp->sorted[mid]->path, path) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strcmp(jp->sorted[lo - 1]->path, path) != 0)
		return NULL;
	return jp->sorted[lo - 1];
}

unsigned
jsonpos_line(const struct jsonpos *jp, const char *path)
{
	const struct jsonpos_entry *e;
	char buf[512], *cut;

	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		if ((e = find(jp, buf)) != NULL)
			return e->line;
		/* The parent: drop the last ".key" or "[n]". */
		cut = strrchr(buf, '.');
		if (strrchr(buf, '[') > cut)
			cut = strrchr(buf, '[');
		if (cut == NULL)
			return 0;
		*cut = '\0';
	}
}

unsigned
jsonpos_line_at(const char *text, size_t len, size_t off)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < off && i < len; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

void
jsonpos_free(struct jsonpos *jp)
{
	size_t i;

	for (i = 0; i < jp->n; i++)
		free(jp->v[i].path);
	free(jp->v);
	free(jp->sorted);
	jp->v = NULL;
	jp->sorted = NULL;
	jp->n = jp->cap = 0;
}
