/*
 * reporter/userdb: names from real passwd and group files in a scratch
 * directory: hits and misses, the first of duplicate ids, every malformed
 * and NIS line counted, the max_entries bound, a file replaced by rename
 * or edited in place noticed, check_ms honoured, a file that cannot be
 * read keeping the last table, 100k users, and a reload under the daemon's
 * own seccomp list.  Runs as root: EACCES needs a child that sheds to nobody.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy/policy.h"
#include "reporter/userdb.h"
#include "tests/sanitizer.h"

#define CHILD_PASS	42
#define CHILD_SECONDS	30
#define NOBODY		((uid_t)65534)
#define CHECK_MS	1000

struct fx {
	char	dir[64];
	char	passwd[96];
	char	group[96];
	char	tmp[96];
};

static const char base_passwd[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
static const char base_group[] =
    "root:x:0:\n"
    "adm:x:4:syslog,alice\n"
    "nogroup:x:65534:\n";

static void
put(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void
puts_file(const char *path, const char *text)
{
	put(path, text, strlen(text));
}

static void
set_mtime(const char *path, time_t sec, long nsec)
{
	struct timespec ts[2] = { { sec, nsec }, { sec, nsec } };

	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static struct stat
stat_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st;
}

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_userdb.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->passwd, sizeof(f->passwd), "%s/passwd", f->dir);
	snprintf(f->group, sizeof(f->group), "%s/group", f->dir);
	snprintf(f->tmp, sizeof(f->tmp), "%s/passwd+", f->dir);
	puts_file(f->passwd, base_passwd);
	puts_file(f->group, base_group);
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A database over f's files, loaded at now_ms 1000. */
static struct userdb *
loaded(const struct fx *f, size_t max)
{
	struct userdb *db;

	assert_non_null(db = userdb_new(f->passwd, f->group, max));
	assert_int_equal(userdb_refresh(db, 1000, CHECK_MS), 1);
	return db;
}

static void
want_user(const struct userdb *db, uint32_t uid, const char *name)
{
	const char *s;
	size_t len = 999;

	s = userdb_user(db, uid, &len);
	if (name == NULL) {
		if (s != NULL)
			fail_msg("uid %u: want none, have \"%s\"", uid, s);
		assert_int_equal(len, 999);
		return;
	}
	if (s == NULL)
		fail_msg("uid %u: want \"%s\", have none", uid, name);
	assert_string_equal(s, name);
	assert_int_equal(len, strlen(name));
}

/* ---- loading and looking up ---- */

static void
userdb_refresh__first_call__both_tables_loaded(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db = loaded(f, 100);
	size_t len;

	want_user(db, 0, "root");
	want_user(db, 1, "daemon");
	want_user(db, 65534, "nobody");
	want_user(db, 2, NULL);
	want_user(db, 1000, NULL);
	want_user(db, UINT32_MAX, NULL);
	assert_string_equal(userdb_group(db, 4, &len), "adm");
	assert_int_equal(len, 3);
	assert_string_equal(userdb_group(db, 65534, NULL), "nogroup");
	assert_null(userdb_group(db, 1, &len));
	userdb_status(db, &st);
	assert_int_equal(st.users, 3);
	assert_int_equal(st.groups, 3);
	assert_int_equal(st.skipped_lines, 0);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.duplicates, 0);
	assert_int_equal(st.last_errno, 0);
	assert_null(st.failed_path);
	assert_int_equal(st.loaded_ms, 1000);
	userdb_free(db);
}

static void
userdb_user__null_db__unknown(void **state)
{
	(void)state;
	assert_null(userdb_user(NULL, 0, NULL));
	assert_null(userdb_group(NULL, 0, NULL));
	userdb_free(NULL);
}

static void
userdb_new__bad_arguments__einval(void **state)
{
	struct fx *f = *state;

	errno = 0;
	assert_null(userdb_new(f->passwd, f->group, 0));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(userdb_new(NULL, f->group, 10));
	assert_int_equal(errno, EINVAL);
}

static void
userdb_refresh__duplicate_ids__first_line_wins(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db;

	/* toor comes first by name but second by line; 7 twice below 5. */
	puts_file(f->passwd,
	    "root:x:0:0::/root:/bin/sh\n"
	    "seven:x:7:7:::\n"
	    "five:x:5:5:::\n"
	    "toor:x:0:0::/root:/bin/sh\n"
	    "sieben:x:7:7:::\n"
	    "aaa:x:7:7:::\n");
	puts_file(f->group, "a:x:3:\nb:x:3:\n");
	db = loaded(f, 100);
	want_user(db, 0, "root");
	want_user(db, 7, "seven");
	want_user(db, 5, "five");
	assert_string_equal(userdb_group(db, 3, NULL), "a");
	userdb_status(db, &st);
	assert_int_equal(st.users, 3);
	assert_int_equal(st.groups, 1);
	assert_int_equal(st.duplicates, 4);
	assert_int_equal(st.skipped_lines, 0);
	userdb_free(db);
}

static void
userdb_refresh__malformed_lines__skipped_and_counted(void **state)
{
	static const char text[] =
	    "\n"				/* empty */
	    "   \t\n"			/* blank */
	    "# a comment\n"
	    "garbage\n"
	    "a:x\n"				/* 2 fields */
	    "b:x:12\n"			/* 3 fields: no gid */
	    "c:x:12a:1:::\n"
	    "d:x:-1:1:::\n"
	    "e:x: 13:1:::\n"		/* glibc would take it */
	    "f:x:+14:1:::\n"
	    ":x:15:15:::\n"			/* no name */
	    "g:x::16:::\n"			/* no uid */
	    "h:x:4294967295:1:::\n"		/* (uid_t)-1 */
	    "i:x:4294967296:1:::\n"		/* > 32 bits */
	    "j:x:99999999999999999999999:1:::\n"
	    "k:x:17:bad:::\n"		/* gid not a number */
	    "l:x:18::::\n"			/* gid empty */
	    "m\0m:x:19:19:::\n"		/* NUL */
	    /* 10 taken: */
	    "ok1:x:20:20:gecos:/home:/bin/sh\n"
	    "  ok2:x:21:21:::\n"		/* leading blanks, as glibc */
	    "ok3:x:22:22\n"			/* 4 fields are enough */
	    "ok4:x:23:23:g:/h:/bin/sh:extra:fields\n"
	    "ok5:x:0024:24:::\n"		/* leading zeros */
	    "ok6:x:4294967294:1:::\n"	/* the largest id */
	    "ok\xc3\xa9\x01\x7f:x:25:25:::\n"	/* bytes kept as is */
	    "ok8 sp:x:26:26:::\n"
	    "ok9:x:27:27:::\r\n"		/* CR is in the shell */
	    "ok10:x:28:28:::";		/* no final newline */
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db;
	char name[USERDB_NAME_MAX + 1], text2[2 * USERDB_NAME_MAX + 64];
	size_t len;

	put(f->passwd, text, sizeof(text) - 1);
	db = loaded(f, 100);
	userdb_status(db, &st);
	assert_int_equal(st.users, 10);
	assert_int_equal(st.skipped_lines, 18);
	want_user(db, 20, "ok1");
	want_user(db, 21, "ok2");
	want_user(db, 22, "ok3");
	want_user(db, 23, "ok4");
	want_user(db, 24, "ok5");
	want_user(db, 4294967294u, "ok6");
	want_user(db, 25, "ok\xc3\xa9\x01\x7f");
	want_user(db, 26, "ok8 sp");
	want_user(db, 27, "ok9");
	want_user(db, 28, "ok10");
	want_user(db, 12, NULL);
	want_user(db, 13, NULL);
	want_user(db, 19, NULL);
	want_user(db, 17, NULL);
	userdb_free(db);

	/* A name of USERDB_NAME_MAX bytes is taken, one more is not. */
	memset(text2, 'n', USERDB_NAME_MAX + 1);
	len = USERDB_NAME_MAX + 1;
	len += (size_t)snprintf(text2 + len, sizeof(text2) - len,
	    ":x:1:1:::\n");
	memset(text2 + len, 'm', USERDB_NAME_MAX);
	len += USERDB_NAME_MAX;
	len += (size_t)snprintf(text2 + len, sizeof(text2) - len,
	    ":x:2:1:::\n");
	put(f->passwd, text2, len);
	db = loaded(f, 100);
	userdb_status(db, &st);
	assert_int_equal(st.users, 1);
	assert_int_equal(st.skipped_lines, 1);
	want_user(db, 1, NULL);
	memset(name, 'm', USERDB_NAME_MAX);
	name[USERDB_NAME_MAX] = '\0';
	want_user(db, 2, name);
	userdb_free(db);
}

static void
userdb_refresh__group_lines__gid_and_three_fields(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db;

	puts_file(f->group,
	    "wheel:x:10:root,alice\n"
	    "plain:x:11\n"			/* no member list */
	    "many:x:12:a,b,c:more\n"
	    "bad:x:1x:\n"
	    "short:x\n"
	    "+nis:x:13:\n");
	db = loaded(f, 100);
	assert_string_equal(userdb_group(db, 10, NULL), "wheel");
	assert_string_equal(userdb_group(db, 11, NULL), "plain");
	assert_string_equal(userdb_group(db, 12, NULL), "many");
	assert_null(userdb_group(db, 13, NULL));
	userdb_status(db, &st);
	assert_int_equal(st.groups, 3);
	assert_int_equal(st.skipped_lines, 3);
	userdb_free(db);
}

static void
userdb_refresh__nis_compat_lines__skipped_and_counted(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db;

	puts_file(f->passwd,
	    "root:x:0:0:::\n"
	    "+\n"
	    "+::::::\n"
	    "+@admins\n"
	    "+alice:x:1000:1000:::\n"
	    "-bob:x:1001:1001:::\n"
	    "-@guests\n");
	puts_file(f->group, "+\n+:::\nroot:x:0:\n");
	db = loaded(f, 100);
	want_user(db, 0, "root");
	want_user(db, 1000, NULL);
	want_user(db, 1001, NULL);
	userdb_status(db, &st);
	assert_int_equal(st.users, 1);
	assert_int_equal(st.groups, 1);
	assert_int_equal(st.skipped_lines, 6 + 2);
	userdb_free(db);
}

static void
userdb_refresh__more_than_max_entries__rest_dropped_and_counted(
    void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db;

	puts_file(f->passwd,
	    "u5:x:5:5:::\n"
	    "bad\n"
	    "u3:x:3:3:::\n"
	    "u9:x:9:9:::\n"
	    "u1:x:1:1:::\n"
	    "u2:x:2:2:::\n");
	db = loaded(f, 2);
	want_user(db, 5, "u5");
	want_user(db, 3, "u3");
	want_user(db, 9, NULL);
	want_user(db, 1, NULL);
	userdb_status(db, &st);
	assert_int_equal(st.users, 2);
	assert_int_equal(st.groups, 2);		/* of base_group's 3 */
	assert_int_equal(st.dropped, 3 + 1);
	assert_int_equal(st.skipped_lines, 1);
	userdb_free(db);
}

static void
userdb_refresh__empty_file__no_entries(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db;

	puts_file(f->passwd, "");
	db = loaded(f, 10);
	want_user(db, 0, NULL);
	userdb_status(db, &st);
	assert_int_equal(st.users, 0);
	assert_int_equal(st.groups, 3);
	assert_int_equal(st.last_errno, 0);
	userdb_free(db);
}

/* ---- noticing changes ---- */

static void
userdb_refresh__unchanged__zero_no_reload(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db = loaded(f, 10);
	const char *before = userdb_user(db, 0, NULL);

	assert_int_equal(userdb_refresh(db, 1000 + CHECK_MS, CHECK_MS), 0);
	assert_int_equal(userdb_refresh(db, 1000 + 5 * CHECK_MS, CHECK_MS), 0);
	/* The same table: the same bytes. */
	assert_ptr_equal(userdb_user(db, 0, NULL), before);
	userdb_status(db, &st);
	assert_int_equal(st.loaded_ms, 1000);
	userdb_free(db);
}

/*
 * As useradd and vipw do: write passwd+ and rename it over passwd.  The new
 * file has the old one's size and mtime, so only the inode tells.
 */
static void
userdb_refresh__replaced_by_rename__reloaded(void **state)
{
	struct fx *f = *state;
	struct userdb *db;
	struct stat old;

	set_mtime(f->passwd, 1500000000, 123);
	db = loaded(f, 10);
	old = stat_of(f->passwd);
	puts_file(f->tmp, "toor:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
	set_mtime(f->tmp, 1500000000, 123);
	assert_int_equal(rename(f->tmp, f->passwd), 0);
	assert_int_equal(stat_of(f->passwd).st_size, old.st_size);
	assert_true(stat_of(f->passwd).st_ino != old.st_ino);
	assert_int_equal(userdb_refresh(db, 1000 + CHECK_MS, CHECK_MS), 1);
	want_user(db, 0, "toor");
	want_user(db, 1, "daemon");
	userdb_free(db);
}

/* An editor that writes in place: same inode, same size, a new mtime. */
static void
userdb_refresh__edited_in_place_same_size__reloaded(void **state)
{
	struct fx *f = *state;
	struct userdb *db;
	struct stat old;

	set_mtime(f->passwd, 1500000000, 0);
	db = loaded(f, 10);
	old = stat_of(f->passwd);
	puts_file(f->passwd, "ROOT:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
	/* Only the nanoseconds differ. */
	set_mtime(f->passwd, 1500000000, 1);
	assert_int_equal(stat_of(f->passwd).st_ino, old.st_ino);
	assert_int_equal(stat_of(f->passwd).st_size, old.st_size);
	assert_int_equal(userdb_refresh(db, 1000 + CHECK_MS, CHECK_MS), 1);
	want_user(db, 0, "ROOT");
	userdb_free(db);
}

/* Appending a user: same inode, a new size. */
static void
userdb_refresh__appended_in_place__reloaded(void **state)
{
	struct fx *f = *state;
	struct userdb *db = loaded(f, 10);
	FILE *fp;

	want_user(db, 1000, NULL);
	assert_non_null(fp = fopen(f->passwd, "a"));
	fputs("alice:x:1000:1000::/home/alice:/bin/sh\n", fp);
	fclose(fp);
	assert_int_equal(userdb_refresh(db, 1000 + CHECK_MS, CHECK_MS), 1);
	want_user(db, 1000, "alice");
	want_user(db, 0, "root");
	userdb_free(db);
}

/*
 * cp -p or install -p over the file: same inode, same size, and the old
 * mtime put back.  Only st_ctim, which no one can set, tells; the loop
 * waits until the clock has moved it (a tick, at most, on old kernels).
 */
static void
userdb_refresh__mtime_put_back__reloaded_by_ctime(void **state)
{
	struct fx *f = *state;
	struct timespec pause = { 0, 2000000 };
	struct userdb *db;
	struct stat old, now;
	int i;

	set_mtime(f->passwd, 1500000000, 0);
	db = loaded(f, 10);
	old = stat_of(f->passwd);
	for (i = 0; i < 1000; i++) {
		puts_file(f->passwd, "RooT:x:0:0:root:/root:/bin/bash\n"
		    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
		    "nobody:x:65534:65534:nobody:/nonexistent:"
		    "/usr/sbin/nologin\n");
		set_mtime(f->passwd, 1500000000, 0);
		now = stat_of(f->passwd);
		if (now.st_ctim.tv_sec != old.st_ctim.tv_sec ||
		    now.st_ctim.tv_nsec != old.st_ctim.tv_nsec)
			break;
		nanosleep(&pause, NULL);
	}
	assert_true(i < 1000);
	assert_int_equal(now.st_ino, old.st_ino);
	assert_int_equal(now.st_size, old.st_size);
	assert_int_equal(now.st_mtim.tv_sec, old.st_mtim.tv_sec);
	assert_int_equal(now.st_mtim.tv_nsec, old.st_mtim.tv_nsec);
	assert_int_equal(userdb_refresh(db, 1000 + CHECK_MS, CHECK_MS), 1);
	want_user(db, 0, "RooT");
	userdb_free(db);
}

/*
 * Before check_ms has passed nothing is looked at, not even stat(2): with
 * the file gone, a check would fail.  A clock set back checks at once.
 */
static void
userdb_refresh__before_check_ms__no_stat(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db = loaded(f, 10);

	assert_int_equal(unlink(f->passwd), 0);
	assert_int_equal(userdb_refresh(db, 1000, CHECK_MS), 0);
	assert_int_equal(userdb_refresh(db, 1000 + CHECK_MS - 1, CHECK_MS), 0);
	userdb_status(db, &st);
	assert_int_equal(st.last_errno, 0);
	errno = 0;
	assert_int_equal(userdb_refresh(db, 1000 + CHECK_MS, CHECK_MS), -1);
	assert_int_equal(errno, ENOENT);
	/* The last check was at 2000: 1999 is the clock set back. */
	assert_int_equal(userdb_refresh(db, 1000 + 2 * CHECK_MS - 1,
	    CHECK_MS), 0);
	errno = 0;
	assert_int_equal(userdb_refresh(db, 1999, CHECK_MS), -1);
	assert_int_equal(errno, ENOENT);
	userdb_free(db);
}

/* The file is gone, a directory, a FIFO, too large: the table stays. */
static void
userdb_refresh__unreadable__old_table_kept_errno_reported(void **state)
{
	static const struct {
		const char	*what;
		int		 err;
	} cases[] = {
		{ "missing", ENOENT },
		{ "directory", EISDIR },
		{ "fifo", EINVAL },
		{ "too large", EFBIG },
	};
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db = loaded(f, 10);
	int64_t now = 1000;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(unlink(f->passwd), 0);
		switch (cases[i].err) {
		case EISDIR:
			assert_int_equal(mkdir(f->passwd, 0755), 0);
			break;
		case EINVAL:
			assert_int_equal(mkfifo(f->passwd, 0644), 0);
			break;
		case EFBIG:	/* sparse: no disk used */
			fd = open(f->passwd, O_WRONLY | O_CREAT, 0644);
			assert_true(fd >= 0);
			assert_int_equal(ftruncate(fd,
			    (off_t)USERDB_FILE_MAX + 1), 0);
			close(fd);
			break;
		}
		now += CHECK_MS;
		errno = 0;
		if (userdb_refresh(db, now, CHECK_MS) != -1 ||
		    errno != cases[i].err)
			fail_msg("%s: want -1 %s, have errno %s", cases[i].what,
			    strerror(cases[i].err), strerror(errno));
		userdb_status(db, &st);
		assert_int_equal(st.last_errno, cases[i].err);
		assert_string_equal(st.failed_path, f->passwd);
		assert_int_equal(st.users, 3);
		assert_int_equal(st.groups, 3);
		assert_int_equal(st.loaded_ms, 1000);
		want_user(db, 0, "root");
		assert_string_equal(userdb_group(db, 4, NULL), "adm");
		/* What is there goes, and a file comes back for the next. */
		if (cases[i].err == EISDIR)
			assert_int_equal(rmdir(f->passwd), 0);
		else if (cases[i].err != ENOENT)
			assert_int_equal(unlink(f->passwd), 0);
		puts_file(f->passwd, "x:x:1:1:::\n");
	}
	/* Readable again: loaded, the error gone. */
	assert_int_equal(unlink(f->passwd), 0);
	puts_file(f->passwd, "back:x:0:0:::\n");
	now += CHECK_MS;
	assert_int_equal(userdb_refresh(db, now, CHECK_MS), 1);
	want_user(db, 0, "back");
	userdb_status(db, &st);
	assert_int_equal(st.last_errno, 0);
	assert_null(st.failed_path);
	assert_int_equal(st.loaded_ms, now);
	userdb_free(db);
}

/* One file fails, the other changed: -1, and the other is reloaded. */
static void
userdb_refresh__group_fails_passwd_changed__both_reported(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db = loaded(f, 10);

	assert_int_equal(unlink(f->group), 0);
	assert_int_equal(unlink(f->passwd), 0);
	puts_file(f->passwd, "new:x:0:0:::\n");
	errno = 0;
	assert_int_equal(userdb_refresh(db, 1000 + CHECK_MS, CHECK_MS), -1);
	assert_int_equal(errno, ENOENT);
	want_user(db, 0, "new");
	assert_string_equal(userdb_group(db, 0, NULL), "root");
	userdb_status(db, &st);
	assert_int_equal(st.last_errno, ENOENT);
	assert_string_equal(st.failed_path, f->group);
	assert_int_equal(st.loaded_ms, 1000 + CHECK_MS);
	userdb_free(db);
}

/*
 * n users at path, uid n - 1 first: "oldUID" or, when renamed, "newUID".
 */
static void
big_passwd(const char *path, unsigned n, int renamed)
{
	char *text;
	size_t len = 0, cap = (size_t)n * 64;
	unsigned i;

	assert_non_null(text = malloc(cap));
	for (i = n; i-- > 0;)
		len += (size_t)snprintf(text + len, cap - len,
		    "%s%u:x:%u:%u:::\n", renamed ? "new" : "old", i, i, i);
	put(path, text, len);
	free(text);
}

/* ---- children ---- */

static int child_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Say why on stderr with one write(2). */
static int
child_fail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "child: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(2, buf, (size_t)n);
	return -1;
}

static void
want_child(pid_t pid, const char *what)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		fail_msg("%s: child killed by signal %d%s", what, WTERMSIG(st),
		    WTERMSIG(st) == SIGSYS ? " (a call outside the built-in "
		    "seccomp list)" : "");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != CHILD_PASS)
		fail_msg("%s: child exit %d (see its message above)", what,
		    WEXITSTATUS(st));
}

/* A file the daemon's identity may not read: EACCES, the table kept. */
static int
eacces_child(const struct fx *f)
{
	struct userdb_status st;
	struct userdb *db;
	const char *s;

	if ((db = userdb_new(f->passwd, f->group, 10)) == NULL)
		return child_fail("userdb_new: %s", strerror(errno));
	if (userdb_refresh(db, 1000, CHECK_MS) != 1)
		return child_fail("first load: %s", strerror(errno));
	if (chmod(f->passwd, 0600) < 0 || setgroups(0, NULL) < 0 ||
	    setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
	    setresuid(NOBODY, NOBODY, NOBODY) < 0)
		return child_fail("shedding to nobody: %s", strerror(errno));
	/* chmod changed st_ctim: the file is read again, and refused. */
	errno = 0;
	if (userdb_refresh(db, 1000 + CHECK_MS, CHECK_MS) != -1 ||
	    errno != EACCES)
		return child_fail("want -1 EACCES, have %s", strerror(errno));
	userdb_status(db, &st);
	if (st.last_errno != EACCES || st.users != 3 ||
	    (s = userdb_user(db, 0, NULL)) == NULL || strcmp(s, "root") != 0)
		return child_fail("after EACCES: errno %d, %zu users",
		    st.last_errno, st.users);
	userdb_free(db);
	return 0;
}

static void
userdb_refresh__permission_denied__old_table_kept_eacces(void **state)
{
	struct fx *f = *state;
	pid_t pid;

	assert_int_equal(chmod(f->dir, 0755), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(CHILD_SECONDS);
		_exit(eacces_child(f) == 0 ? CHILD_PASS : 1);
	}
	want_child(pid, "EACCES");
}

/*
 * Load the daemon's built-in list for this arch, whole (not narrowed to
 * outputs), with kill_process as the default: a call outside it kills
 * the child with SIGSYS.
 */
static int
load_builtin(void)
{
	struct errlist errs;
	struct policy p;
	scmp_filter_ctx ctx;
	long tid;
	int rc;

	memset(&errs, 0, sizeof(errs));
	if (policy_builtin(&p, policy_native_arch()) < 0)
		return child_fail("no built-in policy for this arch");
	p.default_action = POLICY_KILL_PROCESS;
	ctx = policy_compile(&p, &errs);
	policy_free(&p);
	if (ctx == NULL)
		return child_fail("policy_compile: %s", errs.n ?
		    errs.e[0].msg : strerror(errno));
	rc = sanitizer_allow(ctx) < 0 ? -1 : policy_load(ctx, 1, &tid);
	seccomp_release(ctx);
	if (rc < 0)
		return child_fail("policy_load: %s", strerror(errno));
	return 0;
}

/*
 * Under the filter: the first load, a reload after the parent replaced
 * the file by rename, and a check that finds the file gone.
 */
static int
seccomp_child(const struct fx *f, int rep, int go)
{
	struct userdb *db;
	const char *s;
	char c;

	if ((db = userdb_new(f->passwd, f->group, 10000)) == NULL)
		return child_fail("userdb_new: %s", strerror(errno));
	if (load_builtin() < 0)
		return -1;
	if (userdb_refresh(db, 1000, CHECK_MS) != 1)
		return child_fail("first load: %s", strerror(errno));
	if (write(rep, "l", 1) != 1 || read(go, &c, 1) != 1)
		return child_fail("talking to the parent");
	if (userdb_refresh(db, 2000, CHECK_MS) != 1)
		return child_fail("reload: %s", strerror(errno));
	if ((s = userdb_user(db, 1999, NULL)) == NULL ||
	    strcmp(s, "new1999") != 0)
		return child_fail("uid 1999 after the reload: %s",
		    s ? s : "none");
	if (write(rep, "r", 1) != 1 || read(go, &c, 1) != 1)
		return child_fail("talking to the parent");
	if (userdb_refresh(db, 3000, CHECK_MS) != -1 || errno != ENOENT)
		return child_fail("file gone: %s", strerror(errno));
	userdb_free(db);
	return 0;
}

static void
userdb_refresh__under_builtin_seccomp__allowed(void **state)
{
	struct fx *f = *state;
	int rep[2], go[2];
	pid_t pid;
	char c;

	/* 2000 users: malloc's mmap and more than 1 KiB to sort. */
	big_passwd(f->passwd, 2000, 0);
	big_passwd(f->tmp, 2000, 1);
	assert_int_equal(pipe(rep), 0);
	assert_int_equal(pipe(go), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(rep[0]);
		close(go[1]);
		alarm(CHILD_SECONDS);
		_exit(seccomp_child(f, rep[1], go[0]) == 0 ? CHILD_PASS : 1);
	}
	close(rep[1]);
	close(go[0]);
	if (read(rep[0], &c, 1) != 1) {
		want_child(pid, "seccomp");
		fail_msg("the child ended early");
	}
	assert_int_equal(rename(f->tmp, f->passwd), 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	if (read(rep[0], &c, 1) != 1) {
		want_child(pid, "seccomp");
		fail_msg("the child ended early");
	}
	assert_int_equal(unlink(f->passwd), 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	want_child(pid, "seccomp");
	close(rep[0]);
	close(go[1]);
}

/* ---- size ---- */

#define BIG_USERS 100000

/* 100k users in an order unlike their uids' (a stride coprime to n). */
static void
userdb_refresh__100k_users__all_found(void **state)
{
	struct fx *f = *state;
	struct userdb_status st;
	struct userdb *db;
	char *text, name[32];
	size_t len = 0, cap = (size_t)BIG_USERS * 64, i, nl;
	uint32_t uid;
	const char *s;

	assert_non_null(text = malloc(cap));
	for (i = 0; i < BIG_USERS; i++) {
		uid = (uint32_t)((i * 7919) % BIG_USERS) * 3 + 1000;
		len += (size_t)snprintf(text + len, cap - len,
		    "user%u:x:%u:100:User %u:/home/user%u:/bin/sh\n",
		    uid, uid, uid, uid);
	}
	put(f->passwd, text, len);
	free(text);
	db = loaded(f, 200000);
	userdb_status(db, &st);
	assert_int_equal(st.users, BIG_USERS);
	assert_int_equal(st.skipped_lines, 0);
	for (i = 0; i < BIG_USERS; i++) {
		uid = (uint32_t)i * 3 + 1000;
		snprintf(name, sizeof(name), "user%u", uid);
		s = userdb_user(db, uid, &nl);
		if (s == NULL || nl != strlen(name) || strcmp(s, name) != 0)
			fail_msg("uid %u: want %s, have %s", uid, name,
			    s ? s : "none");
		/* Between two users, and below and above them all. */
		assert_null(userdb_user(db, uid + 1, NULL));
	}
	assert_null(userdb_user(db, 999, NULL));
	assert_null(userdb_user(db, 1000 + 3 * BIG_USERS, NULL));
	userdb_free(db);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

static const struct CMUnitTest tests[] = {
	T(userdb_refresh__first_call__both_tables_loaded),
	T(userdb_user__null_db__unknown),
	T(userdb_new__bad_arguments__einval),
	T(userdb_refresh__duplicate_ids__first_line_wins),
	T(userdb_refresh__malformed_lines__skipped_and_counted),
	T(userdb_refresh__group_lines__gid_and_three_fields),
	T(userdb_refresh__nis_compat_lines__skipped_and_counted),
	T(userdb_refresh__more_than_max_entries__rest_dropped_and_counted),
	T(userdb_refresh__empty_file__no_entries),
	T(userdb_refresh__unchanged__zero_no_reload),
	T(userdb_refresh__replaced_by_rename__reloaded),
	T(userdb_refresh__edited_in_place_same_size__reloaded),
	T(userdb_refresh__appended_in_place__reloaded),
	T(userdb_refresh__mtime_put_back__reloaded_by_ctime),
	T(userdb_refresh__before_check_ms__no_stat),
	T(userdb_refresh__unreadable__old_table_kept_errno_reported),
	T(userdb_refresh__group_fails_passwd_changed__both_reported),
	T(userdb_refresh__permission_denied__old_table_kept_eacces),
	T(userdb_refresh__under_builtin_seccomp__allowed),
	T(userdb_refresh__100k_users__all_found),
};

int
main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "test_userdb: SKIP: needs root (a child "
		    "sheds to nobody for EACCES)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
