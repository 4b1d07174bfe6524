/*
 * reporter/podnames against a real directory laid out as kubelet lays out
 * /var/log/pods: found, not found, rescans only when a UID is unknown and
 * the interval has passed, names checked as Kubernetes checks them, the
 * table's bound, a directory missing or removed.
 */
#include "config.h"

#include <errno.h>
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

#include "reporter/podnames.h"

#define UID1 "ee103d14-a1a5-4328-a136-3d9d1c91f451"
#define UID2 "0c6b4b38-5f1e-4c0b-9a7e-2b1f0e7d6c51"
#define UID3 "7d3e2a10-1111-4abc-8def-0123456789ab"
#define SUID "6e8c3d2b3b7a44c1b1d0a3f2e5c4d9e8"	/* a static pod */
#define LONG 1000000	/* ms: no rescan in a test */

struct fx {
	char	dir[64];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	strcpy(f->dir, "/tmp/test_podnames.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	return 0;
}

/* Remove what the tests made: one level of directories and files. */
static void
rm_dir(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fail_msg("could not remove %s", dir);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	rm_dir(f->dir);
	free(f);
	return 0;
}

static void
mkpod(const struct fx *f, const char *entry)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", f->dir, entry);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void
rmpod(const struct fx *f, const char *entry)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", f->dir, entry);
	assert_int_equal(rmdir(path), 0);
}

static void
assert_pod(struct podnames *p, const char *uid, int64_t now,
    const char *want_ns, const char *want_name)
{
	const char *ns = NULL, *name = NULL;

	assert_int_equal(podnames_lookup(p, uid, now, LONG, &ns, &name), 1);
	assert_string_equal(ns, want_ns);
	assert_string_equal(name, want_name);
}

static int
lookup(struct podnames *p, const char *uid, int64_t now, int64_t every)
{
	const char *ns = "untouched", *name = "untouched";
	int rc;

	rc = podnames_lookup(p, uid, now, every, &ns, &name);
	if (rc == 0) {
		assert_string_equal(ns, "untouched");
		assert_string_equal(name, "untouched");
	}
	return rc;
}

static void
podnames_lookup__pod_directory__namespace_and_name(void **state)
{
	struct fx *f = *state;
	struct podnames *p;

	mkpod(f, "kube-system_coredns-5d78c9869d-x7k2p_" UID1);
	mkpod(f, "default_web.v2-0_" UID2);
	assert_non_null(p = podnames_new(f->dir, 16));
	assert_pod(p, UID1, 0, "kube-system", "coredns-5d78c9869d-x7k2p");
	assert_pod(p, UID2, 1, "default", "web.v2-0");
	podnames_free(p);
}

static void
podnames_lookup__static_pod_hash_uid__found(void **state)
{
	struct fx *f = *state;
	struct podnames *p;

	mkpod(f, "kube-system_etcd-node1_" SUID);
	assert_non_null(p = podnames_new(f->dir, 16));
	assert_pod(p, SUID, 0, "kube-system", "etcd-node1");
	podnames_free(p);
}

static void
podnames_lookup__unknown_uid__not_found(void **state)
{
	struct fx *f = *state;
	struct podnames *p;

	mkpod(f, "default_a_" UID1);
	assert_non_null(p = podnames_new(f->dir, 16));
	assert_int_equal(lookup(p, UID2, 0, 0), 0);
	podnames_free(p);
}

/* A pod made after a scan is found once the interval has passed. */
static void
podnames_lookup__new_pod__found_after_interval(void **state)
{
	struct fx *f = *state;
	struct podnames *p;

	mkpod(f, "default_a_" UID1);
	assert_non_null(p = podnames_new(f->dir, 16));
	assert_pod(p, UID1, 1000, "default", "a");
	mkpod(f, "default_b_" UID2);
	/* Not in the table, but the scan for UID1 was 999 ms ago. */
	assert_int_equal(lookup(p, UID2, 1999, 1000), 0);
	assert_int_equal(lookup(p, UID2, 2000, 1000), 1);
	podnames_free(p);
}

/* Unknown UIDs in a storm: one scan, then none until the interval ends. */
static void
podnames_lookup__unknown_uid_storm__one_scan_per_interval(void **state)
{
	struct fx *f = *state;
	struct podnames *p;
	int64_t t;

	assert_non_null(p = podnames_new(f->dir, 16));
	assert_int_equal(lookup(p, UID1, 0, 5000), 0);
	mkpod(f, "default_a_" UID1);
	/* Had any of these scanned, the next look-up would find UID1. */
	for (t = 1; t < 5000; t += 7)
		assert_int_equal(lookup(p, UID2, t, 5000), 0);
	assert_int_equal(lookup(p, UID1, 4999, 5000), 0);
	assert_int_equal(lookup(p, UID1, 5000, 5000), 1);
	podnames_free(p);
}

/* A UID once found needs no scan: its names never change. */
static void
podnames_lookup__known_uid__no_rescan(void **state)
{
	struct fx *f = *state;
	struct podnames *p;

	mkpod(f, "default_a_" UID1);
	assert_non_null(p = podnames_new(f->dir, 16));
	assert_pod(p, UID1, 0, "default", "a");
	rmpod(f, "default_a_" UID1);
	assert_pod(p, UID1, 100000, "default", "a");
	podnames_free(p);
}

/* A scan for another UID drops the pods that went away. */
static void
podnames_lookup__pod_removed__gone_after_next_scan(void **state)
{
	struct fx *f = *state;
	struct podnames *p;

	mkpod(f, "default_a_" UID1);
	assert_non_null(p = podnames_new(f->dir, 16));
	assert_pod(p, UID1, 0, "default", "a");
	rmpod(f, "default_a_" UID1);
	assert_int_equal(lookup(p, UID2, 10, 0), 0);
	assert_int_equal(lookup(p, UID1, 20, LONG), 0);
	podnames_free(p);
}

/* A malformed UID is refused before any scan. */
static void
podnames_lookup__malformed_uid__refused_without_scan(void **state)
{
	static const char *const bad[] = {
		"", "EE103D14-A1A5-4328-A136-3D9D1C91F451",
		"ee103d14-a1a5-4328-a136-3d9d1c91f45",
		"ee103d14-a1a5-4328-a136-3d9d1c91f4511",
		"ee103d14_a1a5_4328_a136_3d9d1c91f451",
		"6e8c3d2b3b7a44c1b1d0a3f2e5c4d9e", "../../etc",
	};
	struct fx *f = *state;
	struct podnames *p;
	size_t i;

	assert_non_null(p = podnames_new(f->dir, 16));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(lookup(p, bad[i], 0, LONG), 0);
	assert_int_equal(lookup(p, NULL, 0, LONG), 0);
	/* None of them scanned: this first real look-up does. */
	mkpod(f, "default_a_" UID1);
	assert_int_equal(lookup(p, UID1, 1, LONG), 1);
	podnames_free(p);
}

/* Only names Kubernetes would accept; other entries are skipped. */
static void
podnames_lookup__invalid_entries__skipped(void **state)
{
	static const char *const bad[] = {
		UID1,					/* before 1.14 */
		"Default_a_" UID1,			/* upper case */
		"my.ns_a_" UID1,			/* '.' in a label */
		"-ns_a_" UID1,				/* leading '-' */
		"ns-_a_" UID1,				/* trailing '-' */
		"_a_" UID1,				/* no namespace */
		"ns__" UID1,				/* no name */
		"ns_a-_" UID1,				/* ends '-' */
		"ns_a..b_" UID1,			/* empty label */
		"ns_.a_" UID1,				/* leading '.' */
		"ns_a_b_" UID1,				/* four fields */
		"ns_a_" "EE103D14-A1A5-4328-A136-3D9D1C91F451",
		"ns_a_" "ee103d14-a1a5-4328-a136-3d9d1c91f45x",
		"ns_a_" "ee103d14-a1a5-4328-a136-3d9d1c91f45",
		"ns_a",
		/* 64 bytes: one more than a label holds. */
		"n12345678901234567890123456789012345678901234567890"
		"1234567890123_a_" UID1,
	};
	struct fx *f = *state;
	struct podnames *p;
	char path[PATH_MAX];
	size_t i;
	FILE *fp;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		mkpod(f, bad[i]);
	/* A file and a symlink with good names are not pod directories. */
	snprintf(path, sizeof(path), "%s/file_a_%s", f->dir, UID2);
	assert_non_null(fp = fopen(path, "w"));
	fclose(fp);
	snprintf(path, sizeof(path), "%s/link_a_%s", f->dir, UID3);
	assert_int_equal(symlink("/tmp", path), 0);
	assert_non_null(p = podnames_new(f->dir, 64));
	assert_int_equal(lookup(p, UID1, 0, 0), 0);
	assert_int_equal(lookup(p, UID2, 1, 0), 0);
	assert_int_equal(lookup(p, UID3, 2, 0), 0);
	podnames_free(p);
}

/* The longest names Kubernetes allows fit. */
static void
podnames_lookup__longest_names__kept_whole(void **state)
{
	struct fx *f = *state;
	struct podnames *p;
	char ns[64], name[256], entry[400];

	/* A directory entry holds 255 bytes: 63 + 1 + 154 + 1 + 36. */
	memset(ns, 'n', 63);
	ns[63] = '\0';
	memset(name, 'p', 154);
	name[60] = '.';
	name[154] = '\0';
	snprintf(entry, sizeof(entry), "%s_%s_%s", ns, name, UID1);
	assert_int_equal(strlen(entry), 255);
	mkpod(f, entry);
	assert_non_null(p = podnames_new(f->dir, 4));
	assert_pod(p, UID1, 0, ns, name);
	podnames_free(p);
}

/* More pods than the table holds: the one asked for always gets in. */
static void
podnames_lookup__more_pods_than_max__asked_one_kept(void **state)
{
	static const char *const uids[] = { UID1, UID2, UID3, SUID };
	struct fx *f = *state;
	struct podnames *p;
	char entry[128];
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(entry, sizeof(entry), "ns_pod%zu_%s", i, uids[i]);
		mkpod(f, entry);
	}
	assert_non_null(p = podnames_new(f->dir, 1));
	for (i = 0; i < 4; i++) {
		snprintf(entry, sizeof(entry), "pod%zu", i);
		/* Each is found: scanned for, given the one slot. */
		assert_int_equal(lookup(p, uids[i], (int64_t)i * 10, 0), 1);
		assert_pod(p, uids[i], (int64_t)i * 10, "ns", entry);
	}
	podnames_free(p);
}

/* A directory that is missing at first is read once it exists. */
static void
podnames_lookup__directory_made_later__found(void **state)
{
	struct fx *f = *state;
	struct podnames *p;
	char sub[128], path[PATH_MAX];

	snprintf(sub, sizeof(sub), "%s/pods", f->dir);
	assert_non_null(p = podnames_new(sub, 16));
	assert_int_equal(lookup(p, UID1, 0, 100), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(path, sizeof(path), "%s/default_a_%s", sub, UID1);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(lookup(p, UID1, 50, 100), 0);
	assert_int_equal(lookup(p, UID1, 100, 100), 1);
	podnames_free(p);
}

/* A directory that can no longer be read leaves the table as it was. */
static void
podnames_lookup__directory_removed__table_kept(void **state)
{
	struct fx *f = *state;
	struct podnames *p;
	char sub[128], path[PATH_MAX];

	snprintf(sub, sizeof(sub), "%s/pods", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(path, sizeof(path), "%s/default_a_%s", sub, UID1);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_non_null(p = podnames_new(sub, 16));
	assert_int_equal(lookup(p, UID1, 0, 0), 1);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(lookup(p, UID2, 10, 0), 0);	/* a failed scan */
	assert_pod(p, UID1, 20, "default", "a");
	podnames_free(p);
}

static void
podnames_new__bad_arguments__einval(void **state)
{
	struct fx *f = *state;

	errno = 0;
	assert_null(podnames_new(NULL, 16));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(podnames_new(f->dir, 0));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(podnames_new(f->dir, SIZE_MAX / 2));
	assert_int_equal(errno, ENOMEM);
	podnames_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__pod_directory__namespace_and_name,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__static_pod_hash_uid__found,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__unknown_uid__not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__new_pod__found_after_interval,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__unknown_uid_storm__one_scan_per_interval,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__known_uid__no_rescan, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__pod_removed__gone_after_next_scan,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__malformed_uid__refused_without_scan,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__invalid_entries__skipped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__longest_names__kept_whole,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__more_pods_than_max__asked_one_kept,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__directory_made_later__found,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_lookup__directory_removed__table_kept,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    podnames_new__bad_arguments__einval, setup, teardown),
	};

	return cmocka_run_group_tests_name("podnames", tests, NULL, NULL);
}
