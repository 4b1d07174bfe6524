/*
 * Finding an installed and enabled auditd by its files: systemctl is not
 * run (a daemon does not fork helpers before its sandbox, and systemd may
 * not be PID 1), so the rule is the links that "systemctl enable" and
 * update-rc.d make.  Each path is joined to a root so that tests build
 * real trees instead of mocking the host.
 */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/auditdhost.h"

static const char *const programs[] = { "/usr/sbin/auditd", "/sbin/auditd" };
/* Where "systemctl enable" (and vendor presets) put WantedBy= links. */
static const char *const unit_dirs[] = {
	"/etc/systemd/system", "/usr/lib/systemd/system",
	"/lib/systemd/system",
};

static int
path_join(char *buf, size_t len, const char *root, const char *a,
    const char *b)
{
	int n = snprintf(buf, len, "%s%s%s%s", root, a, b ? "/" : "",
	    b ? b : "");

	return n >= 0 && (size_t)n < len ? 0 : -1;
}

static int
is_program(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (sb.st_mode & 0111) != 0;
}

/* /etc/systemd/system/auditd.service -> /dev/null: "systemctl mask". */
static int
is_masked(const char *root)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (path_join(path, sizeof(path), root,
	    "/etc/systemd/system/auditd.service", NULL) < 0)
		return 0;
	if ((n = readlink(path, target, sizeof(target) - 1)) < 0)
		return 0;
	target[n] = '\0';
	return strcmp(target, "/dev/null") == 0;
}

/* A *.wants/auditd.service entry under dir; its path into what. */
static int
wanted_in(const char *root, const char *dir, char *what, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct dirent *de;
	struct stat sb;
	DIR *d;
	size_t n;
	int found = 0;

	if (path_join(path, sizeof(path), root, dir, NULL) < 0 ||
	    (d = opendir(path)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 6, ".wants") != 0)
			continue;
		if (snprintf(link, sizeof(link), "%s/%s/auditd.service", path,
		    de->d_name) >= (int)sizeof(link))
			continue;
		if (lstat(link, &sb) == 0) {
			found = 1;
			snprintf(what, len, "%s/%s/auditd.service", dir,
			    de->d_name);
		}
	}
	closedir(d);
	return found;
}

/* A System V start link in a multi-user runlevel. */
static int
sysv_started(const char *root, char *what, size_t len)
{
	char path[PATH_MAX], dir[32];
	struct dirent *de;
	DIR *d;
	size_t n;
	int level, found = 0;

	for (level = 2; !found && level <= 5; level++) {
		snprintf(dir, sizeof(dir), "/etc/rc%d.d", level);
		if (path_join(path, sizeof(path), root, dir, NULL) < 0 ||
		    (d = opendir(path)) == NULL)
			continue;
		while (!found && (de = readdir(d)) != NULL) {
			n = strlen(de->d_name);
			if (de->d_name[0] == 'S' && n >= 7 &&
			    strcmp(de->d_name + n - 6, "auditd") == 0) {
				found = 1;
				snprintf(what, len, "%s/%s", dir, de->d_name);
			}
		}
		closedir(d);
	}
	return found;
}

enum auditdhost
auditdhost_probe(const char *root, char *what, size_t len)
{
	char path[PATH_MAX], how[PATH_MAX];
	const char *prog = NULL;
	size_t i;

	for (i = 0; prog == NULL && i < sizeof(programs) / sizeof(*programs);
	    i++)
		if (path_join(path, sizeof(path), root, programs[i], NULL) ==
		    0 && is_program(path))
			prog = programs[i];
	if (prog == NULL) {
		snprintf(what, len, "no %s or %s", programs[0], programs[1]);
		return AUDITDHOST_ABSENT;
	}
	if (is_masked(root)) {
		snprintf(what, len, "%s, masked by "
		    "/etc/systemd/system/auditd.service", prog);
		return AUDITDHOST_DISABLED;
	}
	for (i = 0; i < sizeof(unit_dirs) / sizeof(*unit_dirs); i++)
		if (wanted_in(root, unit_dirs[i], how, sizeof(how)))
			goto enabled;
	if (sysv_started(root, how, sizeof(how)))
		goto enabled;
	snprintf(what, len, "%s, enabled neither in systemd nor in "
	    "/etc/rc[2-5].d", prog);
	return AUDITDHOST_DISABLED;
enabled:
	snprintf(what, len, "%s, enabled by %s", prog, how);
	return AUDITDHOST_ENABLED;
}
