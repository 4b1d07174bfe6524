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
record(struct scan *s, const char *path, int duplicate)
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
	jp->v[jp->n].duplicate = duplicate;
	jp->n++;
}

/* A string; its raw contents (escapes kept) into out, at most cap - 1. */
static int
string(struct scan *s, char *out, size_t cap)
{
	size_t n = 0;

	if (s->p >= s->end || *s->p != '"')
		return -1;
	for (s->p++; s->p < s->end && *s->p != '"'; s->p++) {
		if (*s->p == '\\' && s->p + 1 < s->end) {
			if (n + 1 < cap)
				out[n++] = *s->p;
			s->p++;
		}
		if (*s->p == '\n')
			return -1;
		if (n + 1 < cap)
			out[n++] = *s->p;
	}
	if (s->p >= s->end)
		return -1;
	s->p++;
	if (cap > 0)
		out[n] = '\0';
	return 0;
}

static int value(struct scan *s, const char *path, int depth);

static int
object(struct scan *s, const char *path, int depth)
{
	char key[128], sub[512], (*seen)[128] = NULL, (*more)[128];
	size_t nseen = 0, capseen = 0, i;
	int dup, rc = -1;

	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		ws(s);
		if (string(s, key, sizeof(key)) < 0)
			goto out;
		dup = 0;
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], key) == 0)
				dup = 1;
		if (nseen == capseen) {
			capseen = capseen ? capseen * 2 : 8;
			if ((more = realloc(seen, capseen * sizeof(*seen))) ==
			    NULL) {
				s->failed = 1;
				goto out;
			}
			seen = more;
		}
		memcpy(seen[nseen++], key, sizeof(key));
		ws(s);
		if (s->p >= s->end || *s->p != ':')
			goto out;
		s->p++;
		ws(s);
		if (*path == '\0')
			snprintf(sub, sizeof(sub), "%s", key);
		else
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
		record(s, sub, dup);
		if (value(s, sub, depth + 1) < 0)
			goto out;
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			rc = 0;
		}
		goto out;
	}
out:
	free(seen);
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
		record(s, sub, 0);
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
	char tmp[8];

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
		return string(s, tmp, sizeof(tmp));
	}
	/* A number, true, false or null: up to a delimiter. */
	while (s->p < s->end && strchr(",}] \t\r\n", *s->p) == NULL)
		s->p++;
	return 0;
}

int
jsonpos_scan(struct jsonpos *jp, const char *text, size_t len, size_t *bad)
{
	struct scan s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = text;
	s.end = text + len;
	s.line = 1;
	s.jp = jp;
	rc = value(&s, "", 0);
	if (s.failed) {
		errno = ENOMEM;
		return -1;
	}
	if (rc == 0)
		ws(&s);
	if (rc < 0 || s.p != s.end) {
		*bad = (size_t)(s.p - text);
		return 1;
	}
	return 0;
}

unsigned
jsonpos_line(const struct jsonpos *jp, const char *path)
{
	char buf[512], *cut;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		for (i = jp->n; i > 0; i--)
			if (strcmp(jp->v[i - 1].path, buf) == 0)
				return jp->v[i - 1].line;
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
	jp->v = NULL;
	jp->n = jp->cap = 0;
}
