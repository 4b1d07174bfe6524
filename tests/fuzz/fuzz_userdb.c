/*
 * libFuzzer: arbitrary bytes as both the passwd and the group file of a
 * user database with a small max_entries.  Every line is accounted for
 * exactly once (an entry, skipped, dropped or a duplicate); every id a
 * line names that resolves gives a sane name taken from the input; the
 * names resolved are exactly as many as the table holds; nothing changed
 * means no reload.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reporter/userdb.h"
#include "tests/fuzz/fuzz.h"

#define MAX_ENTRIES 64

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Field 2 of the line as plain decimal; -1 when it is not one. */
static int
field2(const uint8_t *p, const uint8_t *end, uint32_t *id)
{
	const uint8_t *c;
	uint64_t v = 0;
	int i;

	for (i = 0; i < 2; i++) {
		if ((c = memchr(p, ':', (size_t)(end - p))) == NULL)
			return -1;
		p = c + 1;
	}
	if ((c = memchr(p, ':', (size_t)(end - p))) != NULL)
		end = c;
	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if ((v = v * 10 + (uint64_t)(*p - '0')) > UINT32_MAX)
			return -1;
	}
	*id = (uint32_t)v;
	return 0;
}

/* A name the table gave for id: sane, and in the input before a ':'. */
static void
check_name(const char *what, uint32_t id, const char *s, size_t len,
    const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *hit;

	if (len == 0 || len > USERDB_NAME_MAX || strlen(s) != len)
		fuzz_fail("%s %u: name of length %zu (strlen %zu)", what, id,
		    len, strlen(s));
	if (strpbrk(s, ":\n") != NULL)
		fuzz_fail("%s %u: name holds ':' or a newline", what, id);
	while ((hit = memchr(p, (unsigned char)s[0], (size_t)(end - p))) !=
	    NULL) {
		if ((size_t)(end - hit) > len && memcmp(hit, s, len) == 0 &&
		    hit[len] == ':')
			return;
		p = hit + 1;
	}
	fuzz_fail("%s %u: name \"%s\" is not in the input", what, id, s);
}

/* Distinct values among the n at v (sorted in place). */
static size_t
distinct(uint32_t *v, size_t n)
{
	size_t i, d = 0;

	qsort(v, n, sizeof(*v), u32_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			d++;
	return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p, *nl, *end = data + size;
	struct userdb_status st;
	struct userdb *db;
	uint32_t *users, *groups, id;
	size_t lines = 0, nu = 0, ng = 0, len;
	const char *s;
	char path[64];

	fuzz_memfd(data, size, path, sizeof(path));
	if ((db = userdb_new(path, path, MAX_ENTRIES)) == NULL)
		fuzz_fail("userdb_new: out of memory");
	if (userdb_refresh(db, 1000, 1000) != 1)
		fuzz_fail("first refresh did not load");
	if (userdb_refresh(db, 2000, 0) != 0)
		fuzz_fail("second refresh of the same file did not return 0");
	userdb_status(db, &st);
	for (p = data; p < end; p = nl + 1, lines++)
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
	if (st.users > MAX_ENTRIES || st.groups > MAX_ENTRIES)
		fuzz_fail("%zu users, %zu groups: over %d", st.users,
		    st.groups, MAX_ENTRIES);
	if (st.users + st.groups + st.skipped_lines + st.dropped +
	    st.duplicates != 2 * lines)
		fuzz_fail("%zu lines twice, but %zu users %zu groups %zu "
		    "skipped %zu dropped %zu duplicates", lines, st.users,
		    st.groups, st.skipped_lines, st.dropped, st.duplicates);
	if (st.last_errno != 0 || st.failed_path != NULL)
		fuzz_fail("errno %d after a load", st.last_errno);
	users = calloc(lines + 1, sizeof(*users));
	groups = calloc(lines + 1, sizeof(*groups));
	if (users == NULL || groups == NULL)
		fuzz_fail("out of memory");
	for (p = data; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (field2(p, nl, &id) < 0)
			continue;
		if ((s = userdb_user(db, id, &len)) != NULL) {
			check_name("uid", id, s, len, data, size);
			users[nu++] = id;
		}
		if ((s = userdb_group(db, id, &len)) != NULL) {
			check_name("gid", id, s, len, data, size);
			groups[ng++] = id;
		}
	}
	if (distinct(users, nu) != st.users ||
	    distinct(groups, ng) != st.groups)
		fuzz_fail("ids named in the input resolve to %zu users and "
		    "%zu groups, the tables hold %zu and %zu",
		    distinct(users, nu), distinct(groups, ng), st.users,
		    st.groups);
	if (userdb_user(db, UINT32_MAX, NULL) != NULL)
		fuzz_fail("uid 4294967295 has a name");
	free(users);
	free(groups);
	userdb_free(db);
	return 0;
}
