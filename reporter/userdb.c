/*
 * The user database, read from the files.  A file is re-read only when
 * stat(2) shows another identity; the identity kept is the one fstat(2)
 * gave on the descriptor before the read, so a change during or after the
 * read shows at the next check.  Lines are taken as glibc's nss_files
 * takes them (leading blanks skipped, missing trailing fields allowed) but
 * stricter where it would be lenient: ids are plain decimal, never -1.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reporter/userdb.h"

/* One entry: its name is arena[off], len bytes and a NUL. */
struct entry {
	uint32_t	 id;
	uint32_t	 off;
	uint32_t	 len;
};

struct table {
	struct entry	*e;		/* sorted by id, ids unique */
	size_t		 n;
	char		*arena;
	size_t		 skipped;
	size_t		 dropped;
	size_t		 duplicates;
};

/* What tells one version of a file from another. */
struct ident {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtim;
	struct timespec	 ctim;
};

struct dbfile {
	char		*path;
	size_t		 nfields;	/* at least: passwd 4, group 3 */
	struct ident	 id;		/* of the table's file */
	int		 have;		/* a table was loaded */
	int		 err;		/* of the last check; 0 */
	struct table	 t;
};

struct userdb {
	struct dbfile	 f[2];		/* passwd, group */
	size_t		 max;
	int		 checked;
	int64_t		 checked_ms;
	int64_t		 loaded_ms;
};

/* An id field: decimal digits only; (uint32_t)-1 is no id (audit's unset). */
static int
id_parse(const char *p, const char *end, uint32_t *id)
{
	uint64_t v = 0;

	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v >= UINT32_MAX)
			return -1;
	}
	*id = (uint32_t)v;
	return 0;
}

/*
 * One line of len bytes, without its newline: 0 and its id (field 2) and
 * name when it has at least nfields fields, a valid name and valid numeric
 * fields (2, and 3 in passwd); -1 for anything else.  Lines that begin
 * with '+' or '-' are NIS compat entries (nsswitch "compat"), which the
 * "files" service does not expand either: skipped.
 */
static int
line_parse(const char *p, size_t len, size_t nfields, uint32_t *id,
    const char **name, size_t *namelen)
{
	const char *end = p + len, *start[4], *c, *fend;
	uint32_t other;
	size_t i;

	if (memchr(p, '\0', len) != NULL)
		return -1;
	/* nss_files skips leading white space (isspace() in C locale). */
	while (p < end && (*p == ' ' || (*p >= '\t' && *p <= '\r')))
		p++;
	if (p == end || *p == '#' || *p == '+' || *p == '-')
		return -1;
	start[0] = p;
	for (i = 1; i < nfields; i++) {
		c = memchr(start[i - 1], ':', (size_t)(end - start[i - 1]));
		if (c == NULL)
			return -1;
		start[i] = c + 1;
	}
	*name = start[0];
	*namelen = (size_t)(start[1] - 1 - start[0]);
	if (*namelen == 0 || *namelen > USERDB_NAME_MAX)
		return -1;
	for (i = 2; i < nfields; i++) {
		fend = (i + 1 < nfields) ? start[i + 1] - 1 :
		    memchr(start[i], ':', (size_t)(end - start[i]));
		if (fend == NULL)
			fend = end;
		if (id_parse(start[i], fend, i == 2 ? id : &other) < 0)
			return -1;
	}
	return 0;
}

static int
entry_less(const struct entry *x, const struct entry *y)
{
	/* Equal ids: the line above (the lower file offset) first. */
	return x->id != y->id ? x->id < y->id : x->off < y->off;
}

static void
sift_down(struct entry *e, size_t root, size_t n)
{
	struct entry tmp;
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && entry_less(&e[child], &e[child + 1]))
			child++;
		if (!entry_less(&e[root], &e[child]))
			return;
		tmp = e[root];
		e[root] = e[child];
		e[child] = tmp;
		root = child;
	}
}

/*
 * Heapsort, not qsort(3): glibc 2.36's qsort asks sysinfo(2) for the
 * memory size before sorting more than 1 KiB, a call outside the seccomp
 * list; heapsort needs no memory and no call, in O(n log n) at worst.
 */
static void
entries_sort(struct entry *e, size_t n)
{
	struct entry tmp;
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift_down(e, i, n);
	for (i = n; i-- > 1;) {
		tmp = e[0];
		e[0] = e[i];
		e[i] = tmp;
		sift_down(e, 0, i);
	}
}

static void
table_free(struct table *t)
{
	free(t->e);
	free(t->arena);
	memset(t, 0, sizeof(*t));
}

/*
 * Build t from the len bytes of a file.  Two passes over the lines: the
 * first counts, so the entries take one allocation of the size kept; the
 * entries point at the file until sorted and deduplicated, then only the
 * names kept are copied into the arena.  0, or -1 with errno ENOMEM.
 */
static int
table_build(struct table *t, const char *buf, size_t len, size_t nfields,
    size_t max)
{
	const char *p, *nl, *end = buf + len, *name;
	size_t n = 0, m, i, namelen, bytes = 0;
	uint32_t id;

	memset(t, 0, sizeof(*t));
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (line_parse(p, (size_t)(nl - p), nfields, &id, &name,
		    &namelen) < 0)
			t->skipped++;
		else if (n < max)
			n++;
		else
			t->dropped++;
	}
	if (n > 0 && (t->e = calloc(n, sizeof(*t->e))) == NULL)
		goto nomem;
	for (p = buf, i = 0; p < end && i < n; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (line_parse(p, (size_t)(nl - p), nfields, &id, &name,
		    &namelen) < 0)
			continue;
		/* The file is at most USERDB_FILE_MAX: offsets fit. */
		t->e[i].id = id;
		t->e[i].off = (uint32_t)(name - buf);
		t->e[i].len = (uint32_t)namelen;
		i++;
	}
	entries_sort(t->e, n);
	/* Duplicate ids: the first line wins, as getpwuid() with "files". */
	for (i = 0, m = 0; i < n; i++) {
		if (m > 0 && t->e[m - 1].id == t->e[i].id) {
			t->duplicates++;
			continue;
		}
		t->e[m++] = t->e[i];
		bytes += t->e[i].len + 1;
	}
	t->n = m;
	if (m > 0 && (t->arena = malloc(bytes)) == NULL)
		goto nomem;
	for (i = 0, bytes = 0; i < m; i++) {
		memcpy(t->arena + bytes, buf + t->e[i].off, t->e[i].len);
		t->arena[bytes + t->e[i].len] = '\0';
		t->e[i].off = (uint32_t)bytes;
		bytes += t->e[i].len + 1;
	}
	return 0;
nomem:
	table_free(t);
	errno = ENOMEM;
	return -1;
}

static const char *
table_find(const struct table *t, uint32_t id, size_t *len)
{
	size_t lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->e[mid].id < id)
			lo = mid + 1;
		else if (t->e[mid].id > id)
			hi = mid;
		else {
			if (len != NULL)
				*len = t->e[mid].len;
			return t->arena + t->e[mid].off;
		}
	}
	return NULL;
}

static void
ident_of(struct ident *id, const struct stat *st)
{
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtim = st->st_mtim;
	id->ctim = st->st_ctim;
}

static int
ident_same(const struct ident *id, const struct stat *st)
{
	return id->dev == st->st_dev && id->ino == st->st_ino &&
	    id->size == st->st_size &&
	    id->mtim.tv_sec == st->st_mtim.tv_sec &&
	    id->mtim.tv_nsec == st->st_mtim.tv_nsec &&
	    id->ctim.tv_sec == st->st_ctim.tv_sec &&
	    id->ctim.tv_nsec == st->st_ctim.tv_nsec;
}

/*
 * Read the regular file at path whole into a new buffer (*bufp, *lenp)
 * and its fstat(2) before the read into st.  O_NONBLOCK: a FIFO put in its
 * place must not block the open.  The file may grow while it is read, so
 * the buffer grows too, up to the cap.  0, or -1 with errno.
 */
static int
file_read(const char *path, struct stat *st, char **bufp, size_t *lenp)
{
	char *buf = NULL, *nbuf;
	size_t len = 0, cap;
	ssize_t n;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) < 0)
		return -1;
	if (fstat(fd, st) < 0)
		goto fail;
	if (!S_ISREG(st->st_mode)) {
		errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	if (st->st_size < 0 || (uint64_t)st->st_size > USERDB_FILE_MAX) {
		errno = EFBIG;
		goto fail;
	}
	/* One byte more than the size: the read that returns 0 fits. */
	cap = (size_t)st->st_size + 1;
	if ((buf = malloc(cap)) == NULL)
		goto fail;
	for (;;) {
		if (len == cap) {
			if (cap > USERDB_FILE_MAX) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap > USERDB_FILE_MAX / 2 ?
			    USERDB_FILE_MAX + 1 : cap * 2;
			if ((nbuf = realloc(buf, cap)) == NULL)
				goto fail;
			buf = nbuf;
		}
		if ((n = read(fd, buf + len, cap - len)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > USERDB_FILE_MAX) {
		errno = EFBIG;
		goto fail;
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return -1;
}

/* 1 (re)loaded, 0 unchanged, -1 with errno (and f->err). */
static int
dbfile_refresh(struct dbfile *f, size_t max)
{
	struct table t;
	struct stat st;
	char *buf = NULL;
	size_t len = 0;

	if (stat(f->path, &st) < 0)
		goto fail;
	if (f->have && ident_same(&f->id, &st)) {
		f->err = 0;
		return 0;
	}
	if (file_read(f->path, &st, &buf, &len) < 0)
		goto fail;
	if (table_build(&t, buf, len, f->nfields, max) < 0) {
		free(buf);
		goto fail;
	}
	free(buf);
	table_free(&f->t);
	f->t = t;
	ident_of(&f->id, &st);
	f->have = 1;
	f->err = 0;
	return 1;
fail:
	f->err = errno;
	return -1;
}

struct userdb *
userdb_new(const char *passwd, const char *group, size_t max_entries)
{
	struct userdb *db;

	if (passwd == NULL || group == NULL || max_entries == 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->max = max_entries;
	db->f[0].nfields = 4;	/* name:passwd:uid:gid[:gecos:dir:shell] */
	db->f[1].nfields = 3;	/* name:passwd:gid[:members] */
	if ((db->f[0].path = strdup(passwd)) == NULL ||
	    (db->f[1].path = strdup(group)) == NULL) {
		userdb_free(db);
		errno = ENOMEM;
		return NULL;
	}
	return db;
}

int
userdb_refresh(struct userdb *db, int64_t now_ms, int64_t check_ms)
{
	int changed = 0, err = 0, i;

	if (db->checked && now_ms >= db->checked_ms &&
	    now_ms - db->checked_ms < check_ms)
		return 0;
	db->checked = 1;
	db->checked_ms = now_ms;
	for (i = 0; i < 2; i++) {
		switch (dbfile_refresh(&db->f[i], db->max)) {
		case 1:
			changed = 1;
			break;
		case -1:
			if (err == 0)
				err = errno;
			break;
		}
	}
	if (changed)
		db->loaded_ms = now_ms;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return changed;
}

const char *
userdb_user(const struct userdb *db, uint32_t uid, size_t *len)
{
	return db == NULL ? NULL : table_find(&db->f[0].t, uid, len);
}

const char *
userdb_group(const struct userdb *db, uint32_t gid, size_t *len)
{
	return db == NULL ? NULL : table_find(&db->f[1].t, gid, len);
}

void
userdb_status(const struct userdb *db, struct userdb_status *st)
{
	const struct dbfile *failed;
	int i;

	memset(st, 0, sizeof(*st));
	st->users = db->f[0].t.n;
	st->groups = db->f[1].t.n;
	for (i = 0; i < 2; i++) {
		st->skipped_lines += db->f[i].t.skipped;
		st->dropped += db->f[i].t.dropped;
		st->duplicates += db->f[i].t.duplicates;
	}
	failed = db->f[0].err != 0 ? &db->f[0] :
	    db->f[1].err != 0 ? &db->f[1] : NULL;
	if (failed != NULL) {
		st->last_errno = failed->err;
		st->failed_path = failed->path;
	}
	st->loaded_ms = db->loaded_ms;
}

void
userdb_free(struct userdb *db)
{
	int i;

	if (db == NULL)
		return;
	for (i = 0; i < 2; i++) {
		free(db->f[i].path);
		table_free(&db->f[i].t);
	}
	free(db);
}
