/*
 * auditdhost_probe() on real directory trees made in a temporary
 * directory: the links that dpkg, "systemctl enable/disable/mask" and
 * update-rc.d leave, one host layout per case.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/auditdhost.h"

struct tree {
	char	root[64];
};

static int
setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	snprintf(t->root, sizeof(t->root), "/tmp/test_auditdhost.XXXXXX");
	if (mkdtemp(t->root) == NULL) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tree *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

/* mkdir -p ROOT/dir */
static void
mkdirs(const struct tree *t, const char *dir)
{
	char path[PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s%s", t->root, dir);
	for (p = path + strlen(t->root) + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", path, strerror(errno));
}

static void
file(const struct tree *t, const char *dir, const char *name, mode_t mode)
{
	char path[PATH_MAX];
	int fd;

	mkdirs(t, dir);
	snprintf(path, sizeof(path), "%s%s/%s", t->root, dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) < 0)
		fail_msg("creating %s: %s", path, strerror(errno));
	close(fd);
	if (chmod(path, mode) < 0)
		fail_msg("chmod %s: %s", path, strerror(errno));
}

static void
link_to(const struct tree *t, const char *dir, const char *name,
    const char *target)
{
	char path[PATH_MAX];

	mkdirs(t, dir);
	snprintf(path, sizeof(path), "%s%s/%s", t->root, dir, name);
	if (symlink(target, path) < 0)
		fail_msg("symlink %s: %s", path, strerror(errno));
}

static enum auditdhost
probe(const struct tree *t, char *what, size_t len)
{
	return auditdhost_probe(t->root, what, len);
}

static void
auditdhost_probe__nothing__absent(void **state)
{
	char what[512];

	assert_int_equal(probe(*state, what, sizeof(what)),
	    AUDITDHOST_ABSENT);
	assert_non_null(strstr(what, "no /usr/sbin/auditd"));
}

static void
auditdhost_probe__units_without_program__absent(void **state)
{
	struct tree *t = *state;
	char what[512];

	/* Removed but not purged: the links stay, the program is gone. */
	link_to(t, "/etc/systemd/system/multi-user.target.wants",
	    "auditd.service", "/lib/systemd/system/auditd.service");
	link_to(t, "/etc/rc2.d", "S01auditd", "../init.d/auditd");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_ABSENT);
}

static void
auditdhost_probe__program_not_executable__absent(void **state)
{
	struct tree *t = *state;
	char what[512];

	file(t, "/usr/sbin", "auditd", 0644);
	link_to(t, "/etc/systemd/system/multi-user.target.wants",
	    "auditd.service", "/lib/systemd/system/auditd.service");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_ABSENT);
}

static void
auditdhost_probe__debian_install__enabled_by_wants_link(void **state)
{
	struct tree *t = *state;
	char what[512];

	/* What apt-get install auditd leaves (policy-rc.d or not). */
	file(t, "/usr/sbin", "auditd", 0755);
	file(t, "/lib/systemd/system", "auditd.service", 0644);
	link_to(t, "/etc/systemd/system/multi-user.target.wants",
	    "auditd.service", "/lib/systemd/system/auditd.service");
	link_to(t, "/etc/rc2.d", "S01auditd", "../init.d/auditd");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_ENABLED);
	assert_string_equal(what, "/usr/sbin/auditd, enabled by "
	    "/etc/systemd/system/multi-user.target.wants/auditd.service");
}

static void
auditdhost_probe__sbin_only__found(void **state)
{
	struct tree *t = *state;
	char what[512];

	file(t, "/sbin", "auditd", 0700);
	link_to(t, "/etc/systemd/system/multi-user.target.wants",
	    "auditd.service", "/lib/systemd/system/auditd.service");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_ENABLED);
	assert_non_null(strstr(what, "/sbin/auditd, enabled by"));
}

static void
auditdhost_probe__vendor_wants_link__enabled(void **state)
{
	struct tree *t = *state;
	char what[512];

	file(t, "/usr/sbin", "auditd", 0755);
	link_to(t, "/usr/lib/systemd/system/sysinit.target.wants",
	    "auditd.service", "../auditd.service");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_ENABLED);
	assert_non_null(strstr(what, "/usr/lib/systemd/system/"
	    "sysinit.target.wants/auditd.service"));
}

static void
auditdhost_probe__sysv_start_link_only__enabled(void **state)
{
	struct tree *t = *state;
	char what[512];

	file(t, "/usr/sbin", "auditd", 0755);
	link_to(t, "/etc/rc3.d", "S20auditd", "../init.d/auditd");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_ENABLED);
	assert_non_null(strstr(what, "/etc/rc3.d/S20auditd"));
}

static void
auditdhost_probe__disabled__kill_links_and_no_wants(void **state)
{
	struct tree *t = *state;
	char what[512];

	/* "systemctl disable auditd" on Debian: the wants link goes, the
	 * System V links become K links. */
	file(t, "/usr/sbin", "auditd", 0755);
	mkdirs(t, "/etc/systemd/system/multi-user.target.wants");
	link_to(t, "/etc/rc2.d", "K01auditd", "../init.d/auditd");
	link_to(t, "/etc/rc0.d", "K01auditd", "../init.d/auditd");
	link_to(t, "/etc/rc2.d", "S01other-auditd-helper", "../init.d/x");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_DISABLED);
	assert_non_null(strstr(what, "enabled neither"));
}

static void
auditdhost_probe__masked__disabled_despite_wants(void **state)
{
	struct tree *t = *state;
	char what[512];

	file(t, "/usr/sbin", "auditd", 0755);
	link_to(t, "/etc/systemd/system", "auditd.service", "/dev/null");
	link_to(t, "/etc/systemd/system/multi-user.target.wants",
	    "auditd.service", "/lib/systemd/system/auditd.service");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_DISABLED);
	assert_non_null(strstr(what, "masked"));
}

static void
auditdhost_probe__other_unit_wanted__disabled(void **state)
{
	struct tree *t = *state;
	char what[512];

	file(t, "/usr/sbin", "auditd", 0755);
	link_to(t, "/etc/systemd/system/multi-user.target.wants",
	    "auditd-not.service", "/lib/systemd/system/x.service");
	link_to(t, "/etc/systemd/system/multi-user.target.wants.d",
	    "auditd.service", "/lib/systemd/system/auditd.service");
	assert_int_equal(probe(t, what, sizeof(what)), AUDITDHOST_DISABLED);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(auditdhost_probe__nothing__absent),
		T(auditdhost_probe__units_without_program__absent),
		T(auditdhost_probe__program_not_executable__absent),
		T(auditdhost_probe__debian_install__enabled_by_wants_link),
		T(auditdhost_probe__sbin_only__found),
		T(auditdhost_probe__vendor_wants_link__enabled),
		T(auditdhost_probe__sysv_start_link_only__enabled),
		T(auditdhost_probe__disabled__kill_links_and_no_wants),
		T(auditdhost_probe__masked__disabled_despite_wants),
		T(auditdhost_probe__other_unit_wanted__disabled),
	};

	return cmocka_run_group_tests_name("auditdhost", tests, NULL, NULL);
}
