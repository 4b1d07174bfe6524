/*
 * User and group names from passwd(5) and group(5) files, read by the
 * daemon itself (no NSS: it may load modules or talk to nscd/sssd, which
 * the sandbox forbids).  Each table is a sorted id array plus one string
 * arena, replaced whole only when a reload succeeds; a look-up is a binary
 * search that neither allocates nor calls the kernel.
 */
#ifndef SECCOMPMON_USERDB_H
#define SECCOMPMON_USERDB_H

#include <stddef.h>
#include <stdint.h>

/* A larger file is refused (EFBIG) and its last table kept. */
#define USERDB_FILE_MAX	((size_t)64 << 20)
/* Bytes of a name; a line with a longer one is skipped. */
#define USERDB_NAME_MAX	256

struct userdb;

/*
 * A database over the passwd and group files at those paths (normally
 * /etc/passwd and /etc/group; copied).  max_entries bounds each table:
 * valid entries beyond it are left out and counted.  Nothing is read yet
 * (userdb_refresh).  NULL with errno EINVAL (a NULL path, max_entries 0)
 * or ENOMEM.
 */
struct userdb *userdb_new(const char *passwd, const char *group,
    size_t max_entries);

/*
 * At most once per check_ms of now_ms (any clock in ms; the first call, and
 * any call with now_ms before the last check, always checks), stat(2) each
 * file and re-read it when its identity changed: st_dev, st_ino (a file
 * replaced by rename), st_size, st_mtim or st_ctim (an edit in place, an
 * mtime put back).  Calls made: newfstatat, openat, read, close (statx for
 * stat on i386).  A file that cannot be read, is not a regular file, is
 * larger than USERDB_FILE_MAX or does not fit in memory keeps its last
 * table; userdb_status() says why.  Returns 1 when a table was (re)loaded,
 * 0 when nothing changed or it was not time to check, -1 with errno (of the
 * passwd file if both failed) when a file could not be read at this check,
 * even if the other was reloaded.
 */
int userdb_refresh(struct userdb *db, int64_t now_ms, int64_t check_ms);

/*
 * The name of uid (gid) in the last table loaded, NUL-terminated, its
 * length in *len (when len is not NULL); NULL when db is NULL or the id is
 * unknown.  Valid until the next userdb_refresh() or userdb_free().  The
 * bytes are the file's, unvalidated text for the encoder to escape; never
 * empty, never holding NUL, ':' or a newline.  O(log n), no allocation, no
 * system call.
 */
const char *userdb_user(const struct userdb *db, uint32_t uid, size_t *len);
const char *userdb_group(const struct userdb *db, uint32_t gid, size_t *len);

struct userdb_status {
	size_t		 users;		/* entries in the tables */
	size_t		 groups;
	size_t		 skipped_lines;	/* empty, comment, NIS, malformed */
	size_t		 dropped;	/* valid entries over max_entries */
	size_t		 duplicates;	/* ids named by a line above */
	int		 last_errno;	/* 0, or why failed_path failed */
	const char	*failed_path;	/* NULL, or last_errno's file */
	int64_t		 loaded_ms;	/* of the last (re)load; 0 none */
};

/*
 * The tables' sizes and the counts of their loads (both files summed),
 * and the error of the last check: passwd's if it failed, else group's.
 * failed_path points into db.
 */
void userdb_status(const struct userdb *db, struct userdb_status *st);

/* NULL is ignored. */
void userdb_free(struct userdb *db);

#endif
