/*
 * The error list of configuration and policy checks.  Messages are
 * formatted when added (the arguments may not outlive the call); file and
 * line are plain fields that the configuration reader fills in later.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy/errlist.h"

static struct errlist_entry *
entry_new(struct errlist *l, int policy)
{
	struct errlist_entry *e;

	if (policy)
		l->policy++;
	if (l->n >= ERRLIST_MAX) {
		l->dropped++;
		return NULL;
	}
	e = &l->e[l->n++];
	memset(e, 0, sizeof(*e));
	e->policy = policy != 0;
	return e;
}

static void
entry_fill(struct errlist_entry *e, const char *path, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

static void
entry_fill(struct errlist_entry *e, const char *path, const char *fmt,
    va_list ap)
{
	if (path != NULL)
		snprintf(e->path, sizeof(e->path), "%s", path);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

void
errlist_add(struct errlist *l, int policy, const char *path,
    const char *fmt, ...)
{
	struct errlist_entry *e;
	va_list ap;

	if ((e = entry_new(l, policy)) == NULL)
		return;
	va_start(ap, fmt);
	entry_fill(e, path, fmt, ap);
	va_end(ap);
}

void
errlist_add_at(struct errlist *l, const char *file, unsigned line,
    const char *path, int policy, const char *fmt, ...)
{
	struct errlist_entry *e;
	va_list ap;

	if ((e = entry_new(l, policy)) == NULL)
		return;
	va_start(ap, fmt);
	entry_fill(e, path, fmt, ap);
	va_end(ap);
	errlist_locate(l, l->n - 1, file, line);
}

void
errlist_locate(struct errlist *l, size_t i, const char *file, unsigned line)
{
	if (i >= l->n)
		return;
	snprintf(l->e[i].file, sizeof(l->e[i].file), "%s",
	    file != NULL ? file : "");
	l->e[i].line = line;
}

size_t
errlist_count(const struct errlist *l)
{
	return l->n + l->dropped;
}

const char *
errlist_format(const struct errlist_entry *e, char *buf, size_t len)
{
	char where[sizeof(e->file) + 16];

	where[0] = '\0';
	if (e->file[0] != '\0' && e->line > 0)
		snprintf(where, sizeof(where), "%s:%u: ", e->file, e->line);
	else if (e->file[0] != '\0')
		snprintf(where, sizeof(where), "%s: ", e->file);
	if (e->path[0] != '\0')
		snprintf(buf, len, "%s%s: %s", where, e->path, e->msg);
	else
		snprintf(buf, len, "%s%s", where, e->msg);
	return buf;
}
