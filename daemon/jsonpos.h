/*
 * Where each value of a JSON text starts, by key path ("seccomp.syscalls[2]
 * .action"), so that configuration errors name a line; duplicate keys, which
 * json-c keeps silently (the last wins); and comments blanked out so that
 * json-c's strict parser can read the rest.
 */
#ifndef SECCOMPMON_JSONPOS_H
#define SECCOMPMON_JSONPOS_H

#include <stddef.h>

#define JSONPOS_MAX_DEPTH 32

struct jsonpos_entry {
	char		*path;
	unsigned	 line;
	int		 duplicate;	/* this key appeared before in its object */
};

/* Zeroed is empty. */
struct jsonpos {
	struct jsonpos_entry	 *v;		/* in the order of the text */
	size_t			  n;
	size_t			  cap;
	struct jsonpos_entry	**sorted;	/* by path: jsonpos_line() */
};

/*
 * Replace // and slash-star comments outside strings with blanks, keeping
 * newlines, so offsets and lines stay.  0, or -1 with *line set where an
 * unterminated comment starts.
 */
int jsonpos_strip_comments(char *text, size_t len, unsigned *line);

/*
 * Record the line of every value of a comment-free JSON text, keys decoded
 * as json-c decodes them (escapes, surrogate pairs; a lone surrogate is
 * U+FFFD) and compared whole, so that a key json-c merges with an earlier
 * one is marked a duplicate.  0; 1 at the first thing that is not JSON,
 * with *bad set to its offset (this scan is stricter than json-c, which
 * takes single-quoted keys even in strict mode); 2 for a key holding
 * \u0000, which json-c cuts there, with *bad at its opening quote; -1
 * (ENOMEM).  Entries recorded before a 1 or 2 stay.
 */
int jsonpos_scan(struct jsonpos *jp, const char *text, size_t len,
    size_t *bad);

/*
 * The line of path (decoded keys: "audit.socket" for "s\u006fcket"), or of
 * its nearest recorded ancestor; 0 if none.  For a key given twice, the
 * last one: that is the value json-c keeps.  O(log n) per step up.
 */
unsigned jsonpos_line(const struct jsonpos *jp, const char *path);

/* The 1-based line holding byte offset off. */
unsigned jsonpos_line_at(const char *text, size_t len, size_t off);

void jsonpos_free(struct jsonpos *jp);

#endif
