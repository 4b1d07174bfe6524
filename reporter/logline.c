/*
 * Audit log lines for --replay.  Type names are translated by libaudit, the
 * table auditd itself writes them with, so any name auditd can write is read.
 */
#include "config.h"

#include <string.h>

#include <libaudit.h>

#include "reporter/logline.h"
#include "reporter/textscan.h"

/* The first "type=" at the start of the line or after a blank. */
static const char *
find_type(const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	/* auditd's own lines start with it (or with node=, found below). */
	if (len >= 5 && memcmp(line, "type=", 5) == 0)
		return line;
	while ((p = scan_find(p, (size_t)(end - p), "type=", 5)) != NULL) {
		if (p == line || p[-1] == ' ')
			return p;
		p += 5;
	}
	return NULL;
}

static int
type_number(const char *s, size_t n)
{
	char name[64];
	uint64_t u;
	int t;

	if (scan_udec(s, n, 65535, &u) == 0)
		return (int)u;
	/* The one name nearly every replayed line has: no table search. */
	if (n == 7 && memcmp(s, "SECCOMP", 7) == 0)
		return AUDIT_SECCOMP;
	/* UNKNOWN[1326]: what auditd writes for a type it has no name for. */
	if (n > 9 && memcmp(s, "UNKNOWN[", 8) == 0 && s[n - 1] == ']' &&
	    scan_udec(s + 8, n - 9, 65535, &u) == 0)
		return (int)u;
	if (n == 0 || n >= sizeof(name))
		return 0;
	memcpy(name, s, n);
	name[n] = '\0';
	t = audit_name_to_msg_type(name);
	return t > 0 ? t : 0;
}

int
logline_parse(const char *line, size_t len, struct logline *out)
{
	const char *p, *end, *t, *cut;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	end = line + len;
	out->node = NULL;
	out->node_len = 0;

	if ((p = find_type(line, len)) == NULL)
		return -1;
	/* node=NAME is the token right before type=, after any prefix. */
	if (p > line) {
		for (t = p - 1; t > line && t[-1] != ' '; t--)
			;
		if (p - 1 - t > 5 && memcmp(t, "node=", 5) == 0) {
			out->node = t + 5;
			out->node_len = (size_t)(p - 1 - out->node);
		}
	}
	p += 5;
	for (t = p; p < end && *p != ' '; p++)
		;
	if (p == t)
		return -1;
	out->type = type_number(t, (size_t)(p - t));
	while (p < end && *p == ' ')
		p++;
	if (end - p >= 4 && memcmp(p, "msg=", 4) == 0)
		p += 4;
	if (end - p < 6 || memcmp(p, "audit(", 6) != 0)
		return -1;
	/* ENRICHED: auditd appends 0x1d and its translations. */
	if ((cut = memchr(p, 0x1d, (size_t)(end - p))) != NULL)
		end = cut;
	while (end > p && end[-1] == ' ')
		end--;
	out->text = p;
	out->text_len = (size_t)(end - p);
	return 0;
}
