/*
 * policy/privs: shedding to a user, keeping capabilities and supplementary
 * groups.  Each case sheds for good, so it runs in a forked child that
 * checks its own identity with getuid/getgroups/capget and says what is
 * wrong on stderr; the test needs root, as the daemon does.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/capability.h>

#include "policy/privs.h"

#define CHILD_PASS	42
#define NOBODY		((uid_t)65534)

static const struct privs_user nobody = { NOBODY, NOBODY, "nobody" };

static int child_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
child_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "child: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return -1;
}

/* The supplementary groups are exactly want[0..n), in any order. */
static int
groups_are(const gid_t *want, size_t n)
{
	gid_t got[64];
	size_t i, j;
	int k;

	if ((k = getgroups(64, got)) < 0)
		return child_fail("getgroups: %s", strerror(errno));
	if ((size_t)k != n)
		return child_fail("%d supplementary groups, expected %zu", k,
		    n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n && got[j] != want[i]; j++)
			;
		if (j == n)
			return child_fail("group %u missing",
			    (unsigned)want[i]);
	}
	return 0;
}

static void
run(int (*body)(void))
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(body() == 0 ? CHILD_PASS : 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != CHILD_PASS)
		fail_msg("child status 0x%x (see its message above)",
		    (unsigned)st);
}

static int
shed(const struct privs_keep *k)
{
	char err[256];

	if (privs_shed(k, err, sizeof(err)) < 0)
		return child_fail("privs_shed: %s", err);
	return 0;
}

static int
body_user_and_groups(void)
{
	const gid_t groups[] = { 4242, 4243, NOBODY };
	const gid_t want[] = { NOBODY, 4242, 4243 };
	struct privs_keep k = { 0, &nobody, groups, 3 };
	struct privs_caps c;

	if (setgroups(1, (const gid_t[]){ 7 }) < 0 || shed(&k) < 0)
		return -1;
	if (getuid() != NOBODY || geteuid() != NOBODY || getgid() != NOBODY)
		return child_fail("uid %u gid %u", (unsigned)getuid(),
		    (unsigned)getgid());
	if (privs_caps_self(&c) < 0 || c.prm != 0 || c.eff != 0 ||
	    c.bnd != 0)
		return child_fail("capabilities left");
	return groups_are(want, 3);
}

static void
privs_shed__user_and_groups__primary_plus_groups_only(void **state)
{
	(void)state;
	run(body_user_and_groups);
}

static int
body_root_groups_added(void)
{
	const gid_t groups[] = { 4242, 7 };
	const gid_t want[] = { 7, 8, 4242 };
	struct privs_keep k = { 0, NULL, groups, 2 };

	if (setgroups(2, (const gid_t[]){ 7, 8 }) < 0 || shed(&k) < 0)
		return -1;
	if (getuid() != 0)
		return child_fail("uid %u", (unsigned)getuid());
	return groups_are(want, 3);
}

static void
privs_shed__no_user_with_groups__added_to_current(void **state)
{
	(void)state;
	run(body_root_groups_added);
}

static int
body_root_no_groups(void)
{
	const gid_t want[] = { 7, 8 };
	struct privs_keep k = { 0, NULL, NULL, 0 };

	if (setgroups(2, want) < 0 || shed(&k) < 0)
		return -1;
	return groups_are(want, 2);
}

static void
privs_shed__no_user_no_groups__groups_untouched(void **state)
{
	(void)state;
	run(body_root_no_groups);
}

/* Without CAP_SETGID: groups held already are fine, others are not. */
static int
body_without_setgid(void)
{
	const gid_t held[] = { 4242, NOBODY };
	const gid_t other[] = { 4243 };
	struct privs_keep k = { 0, &nobody, held, 1 };
	char err[256] = "";

	if (shed(&k) < 0)
		return -1;
	k.user = NULL;
	k.ngroups = 2;		/* 4242 supplementary, NOBODY the egid */
	if (shed(&k) < 0)
		return -1;
	k.groups = other;
	k.ngroups = 1;
	if (privs_shed(&k, err, sizeof(err)) == 0)
		return child_fail("group 4243 added without CAP_SETGID");
	if (strstr(err, "group 4243") == NULL ||
	    strstr(err, "CAP_SETGID") == NULL)
		return child_fail("the message does not say what: %s", err);
	return 0;
}

static void
privs_shed__without_setgid__only_groups_held(void **state)
{
	(void)state;
	run(body_without_setgid);
}

static int
body_caps_kept(void)
{
	const uint64_t keep = PRIVS_CAP(CAP_AUDIT_CONTROL);
	struct privs_keep k = { keep, &nobody, NULL, 0 };
	struct privs_caps c;

	if (shed(&k) < 0)
		return -1;
	if (privs_caps_self(&c) < 0)
		return child_fail("capget: %s", strerror(errno));
	if (c.prm != keep || c.eff != keep || c.bnd != keep || c.inh != 0 ||
	    c.amb != 0)
		return child_fail("prm %llx eff %llx bnd %llx inh %llx amb "
		    "%llx", (unsigned long long)c.prm,
		    (unsigned long long)c.eff, (unsigned long long)c.bnd,
		    (unsigned long long)c.inh, (unsigned long long)c.amb);
	return groups_are((const gid_t[]){ NOBODY }, 1);
}

static void
privs_shed__user_keep_audit_control__only_it(void **state)
{
	(void)state;
	run(body_caps_kept);
}

static void
privs_caps_string__masks__names(void **state)
{
	char buf[128];

	(void)state;
	privs_caps_string(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	privs_caps_string(PRIVS_CAP(CAP_CHOWN) | PRIVS_CAP(CAP_AUDIT_CONTROL),
	    buf, sizeof(buf));
	assert_string_equal(buf, "cap_chown,cap_audit_control");
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(privs_shed__user_and_groups__primary_plus_groups_only),
	T(privs_shed__no_user_with_groups__added_to_current),
	T(privs_shed__no_user_no_groups__groups_untouched),
	T(privs_shed__without_setgid__only_groups_held),
	T(privs_shed__user_keep_audit_control__only_it),
	T(privs_caps_string__masks__names),
};

int
main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "test_privs: SKIP: needs root, to shed\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
