/*
 * Generated OCI profiles against a real runtime: runc runs busybox under
 * Docker's default profile with a rule that denies mkdir; the profile that
 * profgen merges from the denial (as the records would name it) lets the
 * same container succeed, and a dangerous call it was also given stays
 * out.  No daemon: the record-to-denial path is test_context_cgroup's.
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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "policy/policy.h"
#include "policy/profgen.h"

#define MOBY TOP_SRCDIR "/tests/data/profiles/moby-default.json"

static char Dir[64];		/* mkdtemp: bundle, state, logs */
static const char *Runc;

static const char *
find_runc(void)
{
	static const char *const paths[] = { "/usr/sbin/runc",
		"/usr/bin/runc", "/usr/local/sbin/runc",
		"/usr/local/bin/runc" };
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

static int
setup(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(Dir, sizeof(Dir), "/tmp/sm-profgen-runc.XXXXXX");
	if (mkdtemp(Dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/bundle/rootfs/bin' "
	    "'%s/bundle/rootfs/proc' '%s/bundle/rootfs/tmp' '%s/state' && "
	    "cp /bin/busybox '%s/bundle/rootfs/bin/busybox' && "
	    "ln -s busybox '%s/bundle/rootfs/bin/sh' && "
	    "ln -s busybox '%s/bundle/rootfs/bin/mkdir'",
	    Dir, Dir, Dir, Dir, Dir, Dir, Dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 32];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* config.json: busybox makes a directory on a tmpfs, under profile. */
static void
write_bundle(json_object *profile)
{
	char path[PATH_MAX + 32];
	json_object *cfg;

	cfg = json_tokener_parse(
	    "{\"ociVersion\": \"1.0.2\","
	    " \"process\": {\"terminal\": false, \"user\": {\"uid\": 0,"
	    " \"gid\": 0}, \"args\": [\"sh\", \"-c\","
	    " \"mkdir /tmp/x && echo made\"], \"env\": [\"PATH=/bin\"],"
	    " \"cwd\": \"/\", \"noNewPrivileges\": true},"
	    " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
	    " \"hostname\": \"sm-profgen\","
	    " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\","
	    " \"source\": \"proc\"}, {\"destination\": \"/tmp\","
	    " \"type\": \"tmpfs\", \"source\": \"tmpfs\"}],"
	    " \"linux\": {\"namespaces\": [{\"type\": \"pid\"},"
	    " {\"type\": \"mount\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"},"
	    " {\"type\": \"network\"}]}}");
	assert_non_null(cfg);
	assert_int_equal(json_object_object_add(json_object_object_get(cfg,
	    "linux"), "seccomp", json_object_get(profile)), 0);
	snprintf(path, sizeof(path), "%s/bundle/config.json", Dir);
	assert_int_equal(json_object_to_file(path, cfg), 0);
	json_object_put(cfg);
}

/* runc run in the bundle; its exit status, output in *out (malloc()ed). */
static int
runc_run(const char *id, char **out)
{
	char bundle[PATH_MAX + 16], state[PATH_MAX + 16], log[PATH_MAX + 16];
	long n;
	FILE *f;
	pid_t pid;
	int status, fd;

	snprintf(bundle, sizeof(bundle), "%s/bundle", Dir);
	snprintf(state, sizeof(state), "%s/state", Dir);
	snprintf(log, sizeof(log), "%s/%s.log", Dir, id);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, STDOUT_FILENO) < 0 ||
		    dup2(fd, STDERR_FILENO) < 0 || chdir(bundle) < 0)
			_exit(127);
		execl("/usr/bin/timeout", "timeout", "30", Runc, "--root",
		    state, "run", id, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_non_null(f = fopen(log, "r"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	assert_non_null(*out = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * Docker's profile with a first rule denying mkdir with EACCES: first, so
 * that libseccomp keeps it over the allow in rule 0, and not the default
 * errno, which runc would skip as the default action.
 */
static json_object *
base_profile(void)
{
	json_object *p = json_object_from_file(MOBY), *sc, *rules, *deny;
	size_t i;

	assert_non_null(p);
	deny = json_tokener_parse("{\"names\": [\"mkdir\", \"mkdirat\"],"
	    " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13}");
	assert_non_null(deny);
	assert_true(json_object_object_get_ex(p, "syscalls", &sc));
	rules = json_object_new_array();
	assert_int_equal(json_object_array_add(rules, deny), 0);
	for (i = 0; i < json_object_array_length(sc); i++)
		assert_int_equal(json_object_array_add(rules, json_object_get(
		    json_object_array_get_idx(sc, i))), 0);
	assert_int_equal(json_object_object_add(p, "syscalls", rules), 0);
	return p;
}

static void
profgen_oci__runc_denied_mkdir__merged_profile_runs(void **state)
{
	json_object *base = base_profile();
	struct profgen *g = profgen_new();
	uint32_t arch = policy_native_arch();
	char id[64], err[256], *out = NULL;
	size_t n;
	int rc;

	(void)state;
	assert_non_null(g);
	write_bundle(base);
	snprintf(id, sizeof(id), "sm-profgen-%ld-a", (long)getpid());
	rc = runc_run(id, &out);
	if (rc == 0 || strstr(out, "Permission denied") == NULL)
		fail_msg("the base profile did not deny mkdir (exit %d): %s",
		    rc, out);
	free(out);

	/* What the SECCOMP records of that run would name. */
	assert_int_equal(profgen_add(g, arch, "mkdir", "errno"), 0);
	assert_int_equal(profgen_add(g, arch, "mkdirat", "errno"), 0);
	assert_int_equal(profgen_add(g, arch, "unshare", "errno"), 0);
	assert_int_equal(profgen_oci(g, base, 0, NULL, err, sizeof(err)), 0);
	assert_int_equal(profgen_notes(g, &n)[0].why, PROFGEN_UNDENIED);
	assert_int_equal(profgen_notes(g, &n)[n - 1].why, PROFGEN_DANGEROUS);
	write_bundle(base);
	snprintf(id, sizeof(id), "sm-profgen-%ld-b", (long)getpid());
	rc = runc_run(id, &out);
	if (rc != 0 || strstr(out, "made") == NULL)
		fail_msg("the merged profile did not run (exit %d): %s", rc,
		    out);
	free(out);
	profgen_free(g);
	json_object_put(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    profgen_oci__runc_denied_mkdir__merged_profile_runs, setup,
		    teardown),
	};

	if (geteuid() != 0) {
		printf("test_profgen_runc: SKIP: runc needs root\n");
		return 77;
	}
	if ((Runc = find_runc()) == NULL || access("/bin/busybox", X_OK) < 0) {
		printf("test_profgen_runc: SKIP: needs runc and busybox-static "
		    "(build.sh installs them)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
