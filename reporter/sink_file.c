/*
 * The file output: JSON lines appended to one file, rotated by size at a
 * line boundary (path -> path.1 -> ... -> path.keep) and opened anew on
 * SIGHUP.  Names are resolved in a descriptor of the directory (openat,
 * renameat: the same calls on every arch; aarch64 has no rename(2)), and
 * the size is tracked, not asked: fstatat only when an existing file is
 * opened or a failed write must be undone, never per batch.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reporter/sink.h"

/*
 * O_NOFOLLOW: the file is the last component, and a symbolic link there
 * (planted in a directory others can write) would send root's writes
 * elsewhere.  O_NONBLOCK: a FIFO put there does not stall the open; it is
 * refused as not a regular file right after.
 */
#define FILE_FLAGS (O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | \
	O_NOCTTY | O_NONBLOCK)
#define DIR_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)

struct filesink {
	char		*dir;		/* the directory as given, for SIGHUP */
	char		*base;		/* the file's name in it */
	char		*from, *to;	/* scratch: "base.N" for renameat */
	size_t		 namecap;
	int		 dfd;		/* the directory, O_PATH */
	int		 fd;		/* the file */
	uint64_t	 size;		/* its bytes, as far as we know */
	uint64_t	 rotate_size;
	unsigned	 keep;
	mode_t		 mode;
	gid_t		 group;
	int		 moved;		/* fd's file is base.1; no new base */
	char		*tail;		/* the rest of a half-written line */
	size_t		 tlen;
	size_t		 tcap;
};

/* What file_open() got. */
struct opened {
	int		 fd;
	uint64_t	 size;
	int		 created;
	int		 attr_err;	/* errno of fchmod/fchown, or 0 */
	const char	*what;		/* the step that failed */
};

/*
 * Open f->base in dfd for appending: create it, with f->mode and f->group
 * (fchmod: the umask narrows open's mode), or open it as it is when it
 * exists; it must be a regular file.  A created file whose mode or group
 * could not be set is still returned (fd >= 0, o->attr_err set): open's
 * mode already bounds it, and the lines are safer there than lost.
 * 0, or -1 with errno and o->what.
 */
static int
file_open(const struct filesink *f, int dfd, struct opened *o)
{
	struct stat st;
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < 3; i++) {
		o->fd = openat(dfd, f->base, FILE_FLAGS | O_CREAT | O_EXCL,
		    f->mode & 0777);
		if (o->fd >= 0) {
			o->created = 1;
			if (fchmod(o->fd, f->mode & 0777) < 0) {
				o->attr_err = errno;
				o->what = "setting its mode";
			} else if (f->group != (gid_t)-1 &&
			    fchown(o->fd, (uid_t)-1, f->group) < 0) {
				o->attr_err = errno;
				o->what = "setting its group";
			}
			return 0;
		}
		if (errno != EEXIST)
			break;
		if ((o->fd = openat(dfd, f->base, FILE_FLAGS)) >= 0)
			break;
		if (errno != ENOENT)
			break;
		/* Removed between the two calls: create it after all. */
	}
	if (o->fd < 0) {
		if (errno == ELOOP)
			o->what = "a symbolic link (not followed)";
		/* A FIFO without a reader (fifo_open()), a socket: ENXIO. */
		if (errno == ENXIO)
			o->what = "not a regular file";
		return -1;
	}
	/* errno is fstatat's only when it failed, and st only when not. */
	i = 0;
	if (fstatat(o->fd, "", &st, AT_EMPTY_PATH) < 0)
		i = errno;
	else if (!S_ISREG(st.st_mode)) {
		o->what = "not a regular file";
		i = EINVAL;
	}
	if (i != 0) {
		(void)close(o->fd);
		o->fd = -1;
		errno = i;
		return -1;
	}
	o->size = (uint64_t)st.st_size;
	return 0;
}

/* "base.n" into buf, or base itself for n 0. */
static const char *
name_of(const struct filesink *f, char *buf, unsigned n)
{
	if (n == 0)
		return f->base;
	snprintf(buf, f->namecap, "%s.%u", f->base, n);
	return buf;
}

/* renameat within the directory, base.a -> base.b; a missing a is done. */
static int
shift(struct filesink *f, unsigned a, unsigned b)
{
	if (renameat(f->dfd, name_of(f, f->from, a), f->dfd,
	    name_of(f, f->to, b)) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/*
 * Rotate: base.(keep-1) -> base.keep (replacing the oldest) ... base ->
 * base.1, then a new base.  Renames of missing files are skipped: a gap
 * (keep raised, files removed) closes up at the next rotation.  When
 * base.1 is made but the new base cannot be, the old descriptor stays and
 * f->moved says so: the next call only opens base.  keep 0: the file is
 * cut to nothing in place.  0; -1 with errno, the lines then staying in
 * the current file.
 */
static int
rotate(struct filesink *f, int *attr_err)
{
	struct opened o;
	unsigned i;

	if (f->keep == 0) {
		if (ftruncate(f->fd, 0) < 0)
			return -1;
		f->size = 0;
		return 0;
	}
	if (!f->moved) {
		for (i = f->keep - 1; i >= 1; i--)
			if (shift(f, i, i + 1) < 0)
				return -1;
		/* base missing: moved away already; just make a new one. */
		if (shift(f, 0, 1) < 0)
			return -1;
		f->moved = 1;
	}
	if (file_open(f, f->dfd, &o) < 0)
		return -1;
	(void)close(f->fd);
	f->fd = o.fd;
	f->size = o.size;
	f->moved = 0;
	if (o.attr_err)
		*attr_err = o.attr_err;
	return 0;
}

/*
 * The longest prefix of p[0..n) that ends at a line end and fits in the
 * room left before max; 0 when the next line needs a new file.  An empty
 * file takes one line whatever its length: a line is never split.
 */
static size_t
fit(const char *p, size_t n, uint64_t size, uint64_t max)
{
	uint64_t room = size < max ? max - size : 0;
	const char *nl;

	if (n <= room)
		return n;
	if (room > 0 && (nl = memrchr(p, '\n', (size_t)room)) != NULL)
		return (size_t)(nl - p) + 1;
	if (size > 0)
		return 0;
	nl = memchr(p, '\n', n);
	return nl != NULL ? (size_t)(nl - p) + 1 : n;
}

/*
 * Append p[0..n) whole.  On a failure (ENOSPC, EIO, EFBIG) the complete
 * lines written stay, and the half line after them is cut off again
 * (ftruncate).  Where that fails too (an append-only file, chattr +a), the
 * rest of the line is kept to be finished first thing next time, as
 * sink_fd does.  *kept: the bytes that stay or will.  0, or -1 with errno.
 */
static int
put(struct filesink *f, const char *p, size_t n, size_t *kept)
{
	struct stat st;
	const char *nl;
	size_t done = 0, good, end;
	ssize_t w;
	uint64_t real;
	char *t;
	int err;

	while (done < n) {
		w = write(f->fd, p + done, n - done);
		if (w > 0) {
			done += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;
		break;
	}
	if (done == n) {
		f->size += n;
		*kept = n;
		return 0;
	}
	err = errno;
	nl = done > 0 ? memrchr(p, '\n', done) : NULL;
	good = nl != NULL ? (size_t)(nl - p) + 1 : 0;
	*kept = good;
	f->size += good;
	if (done > good) {
		/*
		 * Where the file really ends: not f->size + done if someone
		 * truncated it meanwhile (copytruncate), and ftruncate past
		 * the end would pad it with zeros.
		 */
		real = f->size + (done - good);
		if (fstatat(f->fd, "", &st, AT_EMPTY_PATH) == 0 &&
		    (uint64_t)st.st_size >= done - good)
			real = (uint64_t)st.st_size;
		if (ftruncate(f->fd, (off_t)(real - (done - good))) == 0)
			f->size = real - (done - good);
		else {
			nl = memchr(p + done, '\n', n - done);
			end = nl != NULL ? (size_t)(nl - p) + 1 : n;
			if (end - done > f->tcap) {
				/* Without memory the half line stays. */
				if ((t = realloc(f->tail, end - done)) == NULL)
					goto out;
				f->tail = t;
				f->tcap = end - done;
			}
			memcpy(f->tail, p + done, end - done);
			f->tlen = end - done;
			f->size = real;
			*kept = end;
		}
	}
out:
	errno = err;
	return -1;
}

/* Finish a half-written line.  0 when none is left, else -1 with errno. */
static int
finish(struct filesink *f)
{
	ssize_t w;

	while (f->tlen > 0) {
		w = write(f->fd, f->tail, f->tlen);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		memmove(f->tail, f->tail + w, f->tlen - (size_t)w);
		f->tlen -= (size_t)w;
		f->size += (uint64_t)w;
	}
	return 0;
}

/*
 * Lines go to the current file until the next one would take it past
 * rotate_size; then it rotates.  A failed rotation (a rename or open
 * refused) or a created file whose mode or group could not be set loses
 * nothing: the lines are written, and -1 with all kept reports it.
 */
static int
file_write(void *impl, const char *buf, size_t len, size_t *kept)
{
	struct filesink *f = impl;
	size_t off = 0, c, k;
	int err = 0, stuck = 0, rotated = 0;

	*kept = 0;
	if (finish(f) < 0)
		return -1;	/* nothing after half a line: dropped */
	while (off < len) {
		c = len - off;
		if (!stuck && f->rotate_size > 0 && !f->moved)
			c = fit(buf + off, c, f->size, f->rotate_size);
		if (!stuck && (f->moved || c == 0)) {
			/* Twice in a row: a full file keeps appearing. */
			if (!rotated && rotate(f, &err) == 0) {
				rotated = 1;
				continue;
			}
			if (!rotated)
				err = errno;
			stuck = 1;	/* this batch stays where it is */
			c = len - off;
		}
		rotated = 0;
		if (put(f, buf + off, c, &k) < 0) {
			*kept = off + k;
			return -1;
		}
		off += c;
	}
	*kept = len;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/*
 * Open the directory and the file anew (after logrotate moved it), and
 * only then let go of the old ones; when that fails the old file goes on.
 */
static int
file_reopen(void *impl)
{
	struct filesink *f = impl;
	struct opened o;
	int dfd, err;

	if ((dfd = openat(AT_FDCWD, f->dir, DIR_FLAGS)) < 0)
		return -1;
	if (file_open(f, dfd, &o) < 0) {
		err = errno;
		(void)close(dfd);
		errno = err;
		return -1;
	}
	(void)finish(f);	/* the last chance for that line */
	f->tlen = 0;
	(void)close(f->fd);
	(void)close(f->dfd);
	f->fd = o.fd;
	f->dfd = dfd;
	f->size = o.size;
	f->moved = 0;
	if (o.attr_err) {
		errno = o.attr_err;
		return -1;
	}
	return 0;
}

static void
file_free(void *impl)
{
	struct filesink *f = impl;

	if (f == NULL)
		return;
	if (f->fd >= 0)
		(void)close(f->fd);
	if (f->dfd >= 0)
		(void)close(f->dfd);
	free(f->dir);
	free(f->base);
	free(f->from);
	free(f->to);
	free(f->tail);
	free(f);
}

/*
 * No retry op: a half line waits for the next batch, which comes soon
 * enough, and sink_retry() would take "nothing pending" for recovery and
 * report a full disk as working again at every tick.
 */
static const struct sink_ops file_ops = {
	.write = file_write,
	.reopen = file_reopen,
	.free = file_free,
};

/* Split path into f->dir and f->base.  0, or -1 with a message. */
static int
split(struct filesink *f, const char *path, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;

	if (*base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		snprintf(err, errlen, "%s: not a file name", path);
		errno = EINVAL;
		return -1;
	}
	if (slash == NULL)
		f->dir = strdup(".");
	else if (slash == path)
		f->dir = strdup("/");
	else
		f->dir = strndup(path, (size_t)(slash - path));
	f->base = strdup(base);
	/* "base." and an unsigned: 10 digits. */
	f->namecap = strlen(base) + 12;
	f->from = malloc(f->namecap);
	f->to = malloc(f->namecap);
	if (f->dir == NULL || f->base == NULL || f->from == NULL ||
	    f->to == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

struct sink *
sink_file_new(const struct sink_file_opts *o, char *err, size_t errlen)
{
	struct filesink *f;
	struct opened op;
	struct sink *s;
	char *name = NULL;
	int e;

	if (o->path == NULL || o->path[0] == '\0') {
		snprintf(err, errlen, "file output: no path");
		errno = EINVAL;
		return NULL;
	}
	if (o->keep > SINK_FILE_KEEP_MAX) {
		snprintf(err, errlen, "%s: keep %u is more than %u", o->path,
		    o->keep, SINK_FILE_KEEP_MAX);
		errno = EINVAL;
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		snprintf(err, errlen, "%s: %s", o->path, strerror(errno));
		return NULL;
	}
	f->fd = f->dfd = -1;
	f->rotate_size = o->rotate_size;
	f->keep = o->keep;
	f->mode = o->mode;
	f->group = o->group;
	if (split(f, o->path, err, errlen) < 0)
		goto fail;
	if ((f->dfd = openat(AT_FDCWD, f->dir, DIR_FLAGS)) < 0) {
		snprintf(err, errlen, "%s: %s", f->dir, strerror(errno));
		goto fail;
	}
	if (file_open(f, f->dfd, &op) < 0) {
		e = errno;
		snprintf(err, errlen, "%s: %s", o->path, op.what != NULL ?
		    op.what : strerror(e));
		errno = e;
		goto fail;
	}
	f->fd = op.fd;
	f->size = op.size;
	if (op.attr_err) {
		/*
		 * At start a wrong group is a configuration error; leave no
		 * file behind that the next start would take as it is.
		 */
		snprintf(err, errlen, "%s: %s: %s", o->path, op.what,
		    strerror(op.attr_err));
		(void)unlinkat(f->dfd, f->base, 0);
		errno = op.attr_err;
		goto fail;
	}
	if ((name = malloc(strlen(o->path) + 6)) == NULL) {
		snprintf(err, errlen, "%s: %s", o->path, strerror(errno));
		goto fail;
	}
	snprintf(name, strlen(o->path) + 6, "file:%s", o->path);
	if ((s = sink_new(name, &file_ops, f)) == NULL)
		snprintf(err, errlen, "%s: %s", o->path, strerror(ENOMEM));
	free(name);
	return s;
fail:
	e = errno;
	file_free(f);
	errno = e;
	return NULL;
}
