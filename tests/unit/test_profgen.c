/*
 * Unit tests for policy/profgen: the OCI merge rules (arches, argument
 * filters and conditional rules of a base left alone, duplicate names,
 * calls already allowed, deny rules undone), the dangerous list, the
 * systemd and seccompmon outputs, and moby's real default profile as a base.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <seccomp.h>

#include "policy/errlist.h"
#include "policy/policy.h"
#include "policy/policyjson.h"
#include "policy/profgen.h"

#define MOBY TOP_SRCDIR "/tests/data/profiles/moby-default.json"

static struct profgen *G;
static char Err[256];

static int
setup(void **state)
{
	(void)state;
	G = profgen_new();
	Err[0] = '\0';
	return G == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	profgen_free(G);
	G = NULL;
	return 0;
}

static void
add(uint32_t arch, const char *name)
{
	assert_int_equal(profgen_add(G, arch, name, "errno"), 0);
}

static json_object *
parse(const char *text)
{
	json_object *o = json_tokener_parse(text);

	assert_non_null(o);
	return o;
}

/* o printed as profgen prints it, compared with want; o is released. */
static void
assert_json(json_object *o, const char *like, const char *want)
{
	char *s = profgen_json_text(o, like);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
	json_object_put(o);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The notes of the last call as "why:name" words, for comparing. */
static const char *
notes(void)
{
	static char buf[1024];
	const struct profgen_note *n;
	size_t i, len = 0, cnt;

	buf[0] = '\0';
	n = profgen_notes(G, &cnt);
	for (i = 0; i < cnt; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%d:%s",
		    i ? " " : "", (int)n[i].why, n[i].name);
	return buf;
}

/* The number of rules of base whose names hold name. */
static int
rules_with(json_object *base, const char *name, const char *action)
{
	json_object *sc, *rule, *names, *act;
	size_t i, j;
	int n = 0;

	assert_true(json_object_object_get_ex(base, "syscalls", &sc));
	for (i = 0; i < json_object_array_length(sc); i++) {
		rule = json_object_array_get_idx(sc, i);
		if (!json_object_object_get_ex(rule, "names", &names) ||
		    !json_object_object_get_ex(rule, "action", &act))
			continue;
		if (action != NULL &&
		    strcmp(json_object_get_string(act), action) != 0)
			continue;
		for (j = 0; j < json_object_array_length(names); j++)
			if (strcmp(json_object_get_string(
			    json_object_array_get_idx(names, j)), name) == 0)
				n++;
	}
	return n;
}

static void
profgen_add__bad_input__einval(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(profgen_add(G, 0x1234, "read", NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(profgen_add(G, SCMP_ARCH_X86_64, "Read", NULL), -1);
	assert_int_equal(profgen_add(G, SCMP_ARCH_X86_64, "", NULL), -1);
	assert_int_equal(profgen_add(G, SCMP_ARCH_X86_64, "a b", NULL), -1);
	assert_int_equal(profgen_add(G, SCMP_ARCH_X86_64, "read", NULL), 0);
}

static void
profgen_oci__no_base__fragment_sorted(void **state)
{
	json_object *d;

	(void)state;
	add(SCMP_ARCH_X86_64, "write");
	add(SCMP_ARCH_X86_64, "io_uring_setup");
	add(SCMP_ARCH_X86_64, "write");		/* twice: once */
	assert_int_equal(profgen_oci(G, NULL, 0, &d, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "");
	assert_json(d, NULL,
	    "{\n"
	    "  \"architectures\": [\n"
	    "    \"SCMP_ARCH_X86_64\"\n"
	    "  ],\n"
	    "  \"syscalls\": [\n"
	    "    {\n"
	    "      \"names\": [\n"
	    "        \"io_uring_setup\",\n"
	    "        \"write\"\n"
	    "      ],\n"
	    "      \"action\": \"SCMP_ACT_ALLOW\"\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
}

static void
profgen_oci__no_base_no_diff__einval(void **state)
{
	(void)state;
	add(SCMP_ARCH_X86_64, "write");
	assert_int_equal(profgen_oci(G, NULL, 0, NULL, Err, sizeof(Err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_not_equal(Err, "");
}

static void
profgen_oci__not_a_profile__einval(void **state)
{
	json_object *b = parse("[1]"), *b2 = parse("{\"syscalls\": 3}");
	json_object *b3 = parse("{\"syscalls\": [{\"names\": [\"read\"],"
	    " \"action\": \"SCMP_ACT_ALLOW\"}, {\"name\": \"mkdir\","
	    " \"action\": \"SCMP_ACT_ERRNO\"}]}");

	(void)state;
	add(SCMP_ARCH_X86_64, "write");
	assert_int_equal(profgen_oci(G, b, 0, NULL, Err, sizeof(Err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(profgen_oci(G, b2, 0, NULL, Err, sizeof(Err)), -1);
	assert_string_equal(Err, "syscalls: not an array");
	/* Docker's pre-1.13 rules: refused, not half-merged. */
	assert_int_equal(profgen_oci(G, b3, 0, NULL, Err, sizeof(Err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(Err, "syscalls[1]: not a rule with \"names\" "
	    "(the old \"name\" format is not read)");
	json_object_put(b);
	json_object_put(b2);
	json_object_put(b3);
}

static void
profgen_oci__already_allowed__no_change(void **state)
{
	const char *text =
	    "{\n"
	    "  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	    "  \"syscalls\": [\n"
	    "    {\n"
	    "      \"names\": [\n"
	    "        \"read\",\n"
	    "        \"write\"\n"
	    "      ],\n"
	    "      \"action\": \"SCMP_ACT_ALLOW\"\n"
	    "    }\n"
	    "  ]\n"
	    "}\n";
	json_object *b = parse(text), *d;

	(void)state;
	add(SCMP_ARCH_X86_64, "write");
	assert_int_equal(profgen_oci(G, b, 0, &d, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "3:write");
	assert_json(b, text, text);
	assert_json(d, text, "{\n}\n");
}

static void
profgen_oci__unconditional_deny__name_taken_out(void **state)
{
	const char *text =
	    "{\n"
	    "\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	    "\t\"syscalls\": [\n"
	    "\t\t{\n"
	    "\t\t\t\"names\": [\n"
	    "\t\t\t\t\"membarrier\"\n"
	    "\t\t\t],\n"
	    "\t\t\t\"action\": \"SCMP_ACT_ERRNO\",\n"
	    "\t\t\t\"errnoRet\": 38\n"
	    "\t\t},\n"
	    "\t\t{\n"
	    "\t\t\t\"names\": [\n"
	    "\t\t\t\t\"open\",\n"
	    "\t\t\t\t\"sync\"\n"
	    "\t\t\t],\n"
	    "\t\t\t\"action\": \"SCMP_ACT_KILL\"\n"
	    "\t\t}\n"
	    "\t]\n"
	    "}\n";
	json_object *b = parse(text), *d;

	(void)state;
	add(SCMP_ARCH_X86_64, "membarrier");
	add(SCMP_ARCH_X86_64, "sync");
	assert_int_equal(profgen_oci(G, b, 0, &d, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "4:membarrier 4:sync");
	/* The emptied rule goes; the other keeps its other name; tabs kept. */
	assert_json(b, text,
	    "{\n"
	    "\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	    "\t\"syscalls\": [\n"
	    "\t\t{\n"
	    "\t\t\t\"names\": [\n"
	    "\t\t\t\t\"open\"\n"
	    "\t\t\t],\n"
	    "\t\t\t\"action\": \"SCMP_ACT_KILL\"\n"
	    "\t\t},\n"
	    "\t\t{\n"
	    "\t\t\t\"names\": [\n"
	    "\t\t\t\t\"membarrier\",\n"
	    "\t\t\t\t\"sync\"\n"
	    "\t\t\t],\n"
	    "\t\t\t\"action\": \"SCMP_ACT_ALLOW\"\n"
	    "\t\t}\n"
	    "\t]\n"
	    "}\n");
	assert_json(d, NULL,
	    "{\n"
	    "  \"syscalls\": [\n"
	    "    {\n"
	    "      \"names\": [\n"
	    "        \"membarrier\",\n"
	    "        \"sync\"\n"
	    "      ],\n"
	    "      \"action\": \"SCMP_ACT_ALLOW\"\n"
	    "    }\n"
	    "  ],\n"
	    "  \"syscallsRemoved\": [\n"
	    "    {\n"
	    "      \"index\": 0,\n"
	    "      \"action\": \"SCMP_ACT_ERRNO\",\n"
	    "      \"names\": [\n"
	    "        \"membarrier\"\n"
	    "      ]\n"
	    "    },\n"
	    "    {\n"
	    "      \"index\": 1,\n"
	    "      \"action\": \"SCMP_ACT_KILL\",\n"
	    "      \"names\": [\n"
	    "        \"sync\"\n"
	    "      ]\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
}

static const char *args_base =
    "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
    "{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\","
    " \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]},"
    "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\","
    " \"args\": [{\"index\": 0, \"value\": 16, \"op\": \"SCMP_CMP_EQ\"}]}"
    "]}";

static void
profgen_oci__argument_filters__left_alone(void **state)
{
	json_object *b = parse(args_base), *d;
	char *before = strdup(json_object_to_json_string(b));

	(void)state;
	add(SCMP_ARCH_X86_64, "personality");
	add(SCMP_ARCH_X86_64, "socket");
	assert_int_equal(profgen_oci(G, b, 0, &d, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "2:personality 2:socket");
	assert_string_equal(json_object_to_json_string(b), before);
	assert_json(d, NULL, "{\n}\n");
	json_object_put(b);
	free(before);
}

static void
profgen_oci__argument_filters_force__allowed_rules_kept(void **state)
{
	json_object *b = parse(args_base), *sc;

	(void)state;
	add(SCMP_ARCH_X86_64, "personality");
	add(SCMP_ARCH_X86_64, "socket");
	assert_int_equal(profgen_oci(G, b, PROFGEN_FORCE, NULL, Err,
	    sizeof(Err)), 0);
	assert_string_equal(notes(), "");
	assert_true(json_object_object_get_ex(b, "syscalls", &sc));
	assert_int_equal(json_object_array_length(sc), 3);
	/* The filtered rules are untouched; the new one allows both. */
	assert_int_equal(rules_with(b, "socket", "SCMP_ACT_ERRNO"), 1);
	assert_int_equal(rules_with(b, "personality", "SCMP_ACT_ALLOW"), 2);
	assert_int_equal(rules_with(b, "socket", "SCMP_ACT_ALLOW"), 1);
	json_object_put(b);
}

static void
profgen_oci__conditional_rules__caps_not_counted(void **state)
{
	json_object *b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
	    " \"syscalls\": ["
	    "{\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ALLOW\","
	    " \"includes\": {\"caps\": [\"CAP_SYS_CHROOT\"]}},"
	    "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\","
	    " \"includes\": {\"minKernel\": \"4.8\"}},"
	    "{\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_ALLOW\","
	    " \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}");
	json_object *d;

	(void)state;
	add(SCMP_ARCH_X86_64, "chroot");
	add(SCMP_ARCH_X86_64, "getpid");
	add(SCMP_ARCH_X86_64, "gettid");
	assert_int_equal(profgen_oci(G, b, 0, &d, Err, sizeof(Err)), 0);
	/* Only the caps-gated one needs a rule; the conditional rule stays. */
	assert_string_equal(notes(), "3:getpid 3:gettid");
	assert_int_equal(rules_with(b, "chroot", "SCMP_ACT_ALLOW"), 2);
	assert_json(d, NULL,
	    "{\n"
	    "  \"syscalls\": [\n"
	    "    {\n"
	    "      \"names\": [\n"
	    "        \"chroot\"\n"
	    "      ],\n"
	    "      \"action\": \"SCMP_ACT_ALLOW\"\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
	json_object_put(b);
}

static void
profgen_oci__conditional_rules__arches_as_docker(void **state)
{
	/* includes.arches is the host's: i386 runs under amd64. */
	json_object *b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
	    " \"syscalls\": ["
	    "{\"names\": [\"modify_ldt\"], \"action\": \"SCMP_ACT_ALLOW\","
	    " \"includes\": {\"arches\": [\"amd64\", \"x32\", \"x86\"]}},"
	    "{\"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\","
	    " \"includes\": {\"arches\": [\"arm64\"]}},"
	    "{\"names\": [\"sync\"], \"action\": \"SCMP_ACT_ALLOW\","
	    " \"excludes\": {\"arches\": [\"amd64\"]}}]}");

	(void)state;
	add(SCMP_ARCH_X86, "modify_ldt");
	add(SCMP_ARCH_X86_64, "modify_ldt");
	add(SCMP_ARCH_X86_64, "arch_prctl");
	add(SCMP_ARCH_X86, "sync");
	assert_int_equal(profgen_oci(G, b, 0, NULL, Err, sizeof(Err)), 0);
	assert_int_equal(rules_with(b, "modify_ldt", NULL), 1);
	assert_int_equal(rules_with(b, "arch_prctl", NULL), 2);
	assert_int_equal(rules_with(b, "sync", NULL), 2);
	/* arch_prctl seen on x86_64 only, sync on i386 only: both noted. */
	assert_string_equal(notes(), "7:arch_prctl 3:modify_ldt 7:sync");
	json_object_put(b);
}

static void
profgen_oci__missing_arch__added_to_architectures(void **state)
{
	json_object *b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
	    " \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": []}");
	json_object *d;

	(void)state;
	add(SCMP_ARCH_X86, "socketcall");
	add(SCMP_ARCH_X86_64, "read");
	assert_int_equal(profgen_oci(G, b, 0, &d, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "5: 7:read 7:socketcall");
	assert_json(json_object_get(json_object_object_get(b,
	    "architectures")), NULL,
	    "[\n  \"SCMP_ARCH_X86_64\",\n  \"SCMP_ARCH_X86\"\n]\n");
	assert_json(json_object_get(json_object_object_get(d,
	    "architectures")), NULL, "[\n  \"SCMP_ARCH_X86\"\n]\n");
	json_object_put(d);
	json_object_put(b);
}

static void
profgen_oci__arch_not_in_archmap__noted(void **state)
{
	json_object *b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
	    " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\","
	    " \"subArchitectures\": [\"SCMP_ARCH_X86\"]}], \"syscalls\": []}");
	char buf[256];
	size_t n;

	(void)state;
	add(SCMP_ARCH_X86, "read");
	add(SCMP_ARCH_AARCH64, "read");
	assert_int_equal(profgen_oci(G, b, 0, NULL, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "6:");
	assert_string_equal(profgen_note_format(&profgen_notes(G, &n)[0], buf,
	    sizeof(buf)), "SCMP_ARCH_AARCH64 is in no \"archMap\" entry of "
	    "the base: add it by hand where it belongs");
	json_object_put(b);
}

static void
profgen_oci__duplicate_names__every_deny_rule(void **state)
{
	json_object *b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
	    " \"syscalls\": ["
	    "{\"names\": [\"sync\", \"read\"], \"action\": \"SCMP_ACT_KILL\"},"
	    "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	    "{\"names\": [\"sync\"], \"action\": \"SCMP_ACT_TRAP\"},"
	    "{\"names\": [\"sync\"], \"action\": \"SCMP_ACT_ALLOW\","
	    " \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}");
	json_object *d;

	(void)state;
	add(SCMP_ARCH_X86_64, "sync");
	add(SCMP_ARCH_X86_64, "read");
	assert_int_equal(profgen_oci(G, b, 0, &d, Err, sizeof(Err)), 0);
	/* read: out of the KILL rule, the existing allow then holds. */
	assert_string_equal(notes(), "4:read 4:sync");
	assert_int_equal(rules_with(b, "read", NULL), 1);
	assert_int_equal(rules_with(b, "sync", "SCMP_ACT_KILL"), 0);
	assert_int_equal(rules_with(b, "sync", "SCMP_ACT_TRAP"), 0);
	assert_int_equal(rules_with(b, "sync", "SCMP_ACT_ALLOW"), 2);
	assert_json(json_object_get(json_object_object_get(d,
	    "syscallsRemoved")), NULL,
	    "[\n"
	    "  {\n"
	    "    \"index\": 0,\n"
	    "    \"action\": \"SCMP_ACT_KILL\",\n"
	    "    \"names\": [\n"
	    "      \"read\",\n"
	    "      \"sync\"\n"
	    "    ]\n"
	    "  },\n"
	    "  {\n"
	    "    \"index\": 2,\n"
	    "    \"action\": \"SCMP_ACT_TRAP\",\n"
	    "    \"names\": [\n"
	    "      \"sync\"\n"
	    "    ]\n"
	    "  }\n"
	    "]\n");
	json_object_put(d);
	json_object_put(b);
}

static void
profgen_oci__default_allow__only_deny_taken_out(void **state)
{
	/* A rule whose action is the default makes runc fail: none added. */
	json_object *b = parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\","
	    " \"syscalls\": [{\"names\": [\"sync\", \"mkdir\"],"
	    " \"action\": \"SCMP_ACT_ERRNO\"}]}");

	(void)state;
	add(SCMP_ARCH_X86_64, "mkdir");
	add(SCMP_ARCH_X86_64, "rmdir");
	assert_int_equal(profgen_oci(G, b, 0, NULL, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "4:mkdir 3:rmdir");
	assert_string_equal(json_object_to_json_string_ext(b,
	    JSON_C_TO_STRING_SPACED), "{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
	    " \"syscalls\": [ { \"names\": [ \"sync\" ], \"action\":"
	    " \"SCMP_ACT_ERRNO\" } ] }");
	json_object_put(b);
}

static void
profgen_oci__dangerous__refused_without_force(void **state)
{
	json_object *b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
	    " \"syscalls\": [{\"names\": [\"mount\"],"
	    " \"action\": \"SCMP_ACT_KILL\"}]}");
	char *before = strdup(json_object_to_json_string(b));
	char buf[256];
	size_t n;

	(void)state;
	add(SCMP_ARCH_X86_64, "mount");
	add(SCMP_ARCH_X86_64, "ptrace");
	assert_int_equal(profgen_oci(G, b, 0, NULL, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "0:mount 0:ptrace");
	assert_string_equal(json_object_to_json_string(b), before);
	assert_string_equal(profgen_note_format(&profgen_notes(G, &n)[0], buf,
	    sizeof(buf)), "mount (x86_64): left out, it widens the sandbox: "
	    "changes the mount table (CAP_SYS_ADMIN); --force allows it");

	assert_int_equal(profgen_oci(G, b, PROFGEN_FORCE, NULL, Err,
	    sizeof(Err)), 0);
	assert_string_equal(notes(), "4:mount 1:mount 1:ptrace");
	assert_int_equal(rules_with(b, "mount", "SCMP_ACT_KILL"), 0);
	assert_int_equal(rules_with(b, "mount", "SCMP_ACT_ALLOW"), 1);
	assert_int_equal(rules_with(b, "ptrace", "SCMP_ACT_ALLOW"), 1);
	json_object_put(b);
	free(before);
}

static void
profgen_dangerous__the_list__escapes_only(void **state)
{
	static const char *bad[] = { "ptrace", "process_vm_writev",
	    "kexec_load", "init_module", "finit_module", "bpf", "mount",
	    "umount2", "pivot_root", "unshare", "setns", "open_by_handle_at",
	    "userfaultfd", "perf_event_open", "keyctl", "add_key",
	    "iopl", "reboot", "settimeofday", "syslog", "acct", "vhangup",
	    "clone3" };
	static const char *fine[] = { "read", "clone", "io_uring_setup",
	    "adjtimex", "personality", "chroot", "socket" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_non_null(profgen_dangerous(bad[i]));
	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		assert_null(profgen_dangerous(fine[i]));
}

static void
profgen_dangerous_name__every_one__in_the_docs(void **state)
{
	char *doc = slurp(TOP_SRCDIR "/docs/profiles.md");
	char want[PROFGEN_NAME_MAX + 4];
	const char *name;
	size_t i;

	(void)state;
	for (i = 0; (name = profgen_dangerous_name(i)) != NULL; i++) {
		(void)snprintf(want, sizeof(want), "`%s`", name);
		if (strstr(doc, want) == NULL)
			fail_msg("docs/profiles.md does not name %s", name);
	}
	assert_true(i > 40);
	free(doc);
}

static void
profgen_oci__any_order__same_text(void **state)
{
	static const char *names[] = { "write", "read", "sync", "mkdir" };
	json_object *d1, *d2;
	char *t1, *t2;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		add(i % 2 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64, names[i]);
	assert_int_equal(profgen_oci(G, NULL, 0, &d1, Err, sizeof(Err)), 0);
	profgen_free(G);
	G = profgen_new();
	for (i = 4; i-- > 0;)
		add(i % 2 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64, names[i]);
	assert_int_equal(profgen_oci(G, NULL, 0, &d2, Err, sizeof(Err)), 0);
	t1 = profgen_json_text(d1, NULL);
	t2 = profgen_json_text(d2, NULL);
	assert_string_equal(t1, t2);
	json_object_put(d1);
	d1 = parse(t1);		/* valid JSON */
	json_object_put(d1);
	json_object_put(d2);
	free(t1);
	free(t2);
}

static void
profgen_systemd__denials__drop_in(void **state)
{
	char *s;

	(void)state;
	add(SCMP_ARCH_X86_64, "sync");
	add(SCMP_ARCH_X86, "mkdir");
	add(SCMP_ARCH_X86_64, "mkdir");
	add(SCMP_ARCH_X86_64, "kexec_load");
	s = profgen_systemd(G, 0, "/var/log/audit/audit.log");
	assert_non_null(s);
	assert_string_equal(s,
	    "# Generated by seccompmon profile: allows the system calls that "
	    "were denied.\n"
	    "# From: /var/log/audit/audit.log\n"
	    "# Left out (dangerous, --force allows it): kexec_load\n"
	    "# Review before use; this adds to the unit's filter.\n"
	    "[Service]\n"
	    "SystemCallFilter=mkdir sync\n"
	    "SystemCallArchitectures=x86 x86-64\n");
	free(s);
	assert_string_equal(notes(), "0:kexec_load 7:sync");
}

static void
profgen_systemd__force__dangerous_in(void **state)
{
	char *s;

	(void)state;
	add(SCMP_ARCH_AARCH64, "kexec_load");
	add(SCMP_ARCH_AARCH64, "sync");
	s = profgen_systemd(G, PROFGEN_FORCE, NULL);
	assert_non_null(s);
	assert_string_equal(s,
	    "# Generated by seccompmon profile: allows the system calls that "
	    "were denied.\n"
	    "# Review before use; this adds to the unit's filter.\n"
	    "[Service]\n"
	    "SystemCallFilter=kexec_load sync\n"
	    "SystemCallArchitectures=arm64\n");
	free(s);
	assert_string_equal(notes(), "1:kexec_load");
}

static void
profgen_systemd__only_dangerous__enoent(void **state)
{
	(void)state;
	add(SCMP_ARCH_X86_64, "bpf");
	errno = 0;
	assert_null(profgen_systemd(G, 0, NULL));
	assert_int_equal(errno, ENOENT);
	assert_string_equal(notes(), "0:bpf");
}

static void
profgen_seccompmon__denials__our_policy_format(void **state)
{
	json_object *o, *sec;
	struct policy p;
	struct errlist errs;

	(void)state;
	add(SCMP_ARCH_X86_64, "sync");
	add(SCMP_ARCH_X86_64, "getcpu");
	add(SCMP_ARCH_X86_64, "unshare");
	o = profgen_seccompmon(G, 0);
	assert_non_null(o);
	assert_string_equal(notes(), "0:unshare");
	/* Our own parser takes it. */
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(policy_builtin(&p, SCMP_ARCH_X86_64), 0);
	p.arch = SCMP_ARCH_X86_64;
	assert_true(json_object_object_get_ex(o, "seccomp", &sec));
	assert_int_equal(policy_parse(&p, sec, "seccomp", &errs), 0);
	assert_int_equal(p.nrules, 1);
	assert_int_equal(p.rules[0].action, POLICY_ALLOW);
	assert_int_equal(p.default_action, POLICY_ERRNO);
	assert_int_equal(p.rules[0].nnames, 2);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 0);
	policy_free(&p);
	assert_json(o, NULL,
	    "{\n"
	    "  \"seccomp\": {\n"
	    "    \"default_action\": \"errno\",\n"
	    "    \"syscalls\": [\n"
	    "      {\n"
	    "        \"action\": \"allow\",\n"
	    "        \"names\": [\n"
	    "          \"getcpu\",\n"
	    "          \"sync\"\n"
	    "        ]\n"
	    "      }\n"
	    "    ]\n"
	    "  }\n"
	    "}\n");
}

static void
profgen_json_text__moby_unchanged__byte_identical(void **state)
{
	char *text = slurp(MOBY), *out;
	json_object *b = parse(text);

	(void)state;
	out = profgen_json_text(b, text);
	/* The file has no final newline; everything else is the same. */
	assert_int_equal(strlen(out), strlen(text) + 1);
	assert_memory_equal(out, text, strlen(text));
	json_object_put(b);
	free(out);
	free(text);
}

static void
profgen_oci__moby_base__smallest_change(void **state)
{
	char *text = slurp(MOBY), *out;
	json_object *b = parse(text), *d, *sc, *last, *back;
	size_t nrules;

	(void)state;
	assert_true(json_object_object_get_ex(b, "syscalls", &sc));
	nrules = json_object_array_length(sc);
	add(SCMP_ARCH_X86_64, "unshare");	/* dangerous: CAP_SYS_ADMIN */
	add(SCMP_ARCH_X86_64, "clone3");	/* dangerous; moby: ENOSYS */
	add(SCMP_ARCH_X86_64, "io_uring_setup");	/* not listed */
	add(SCMP_ARCH_X86_64, "read");		/* allowed */
	add(SCMP_ARCH_X86_64, "socket");	/* for some families only */
	add(SCMP_ARCH_X86, "ptrace");		/* allowed from 4.8 */
	add(SCMP_ARCH_X86_64, "chroot");	/* only with a cap */
	assert_int_equal(profgen_oci(G, b, 0, &d, Err, sizeof(Err)), 0);
	assert_string_equal(notes(), "7:chroot 0:clone3 7:io_uring_setup "
	    "3:ptrace 3:read 2:socket 0:unshare");
	/* Nothing taken out; one rule appended, in the file's tabs. */
	assert_int_equal(json_object_array_length(sc), nrules + 1);
	assert_int_equal(rules_with(b, "clone3", "SCMP_ACT_ERRNO"), 1);
	assert_int_equal(rules_with(b, "unshare", NULL), 1);
	last = json_object_array_get_idx(sc, nrules);
	assert_json(json_object_get(last), text,
	    "{\n"
	    "\t\"names\": [\n"
	    "\t\t\"chroot\",\n"
	    "\t\t\"io_uring_setup\"\n"
	    "\t],\n"
	    "\t\"action\": \"SCMP_ACT_ALLOW\"\n"
	    "}\n");
	assert_null(json_object_object_get(d, "syscallsRemoved"));
	out = profgen_json_text(b, text);
	back = parse(out);
	assert_true(json_object_equal(back, b));
	/* The text is the file's, then the new rule: a one-block diff. */
	assert_memory_equal(out, text, strlen(text) - 5);
	json_object_put(back);
	json_object_put(d);
	json_object_put(b);
	free(out);
	free(text);
}

static void
profgen_oci__moby_base_clone3_forced__enosys_rule_goes(void **state)
{
	char *text = slurp(MOBY);
	json_object *b = parse(text), *d, *sc;
	size_t nrules;

	(void)state;
	assert_true(json_object_object_get_ex(b, "syscalls", &sc));
	nrules = json_object_array_length(sc);
	add(SCMP_ARCH_X86_64, "clone3");
	assert_int_equal(profgen_oci(G, b, PROFGEN_FORCE, &d, Err,
	    sizeof(Err)), 0);
	assert_string_equal(notes(), "4:clone3 1:clone3");
	/* Rule 20 held clone3 alone: it goes, and the allow takes its place. */
	assert_int_equal(json_object_array_length(sc), nrules);
	assert_int_equal(rules_with(b, "clone3", "SCMP_ACT_ERRNO"), 0);
	assert_int_equal(rules_with(b, "clone3", "SCMP_ACT_ALLOW"), 2);
	assert_json(d, NULL,
	    "{\n"
	    "  \"syscalls\": [\n"
	    "    {\n"
	    "      \"names\": [\n"
	    "        \"clone3\"\n"
	    "      ],\n"
	    "      \"action\": \"SCMP_ACT_ALLOW\"\n"
	    "    }\n"
	    "  ],\n"
	    "  \"syscallsRemoved\": [\n"
	    "    {\n"
	    "      \"index\": 20,\n"
	    "      \"action\": \"SCMP_ACT_ERRNO\",\n"
	    "      \"names\": [\n"
	    "        \"clone3\"\n"
	    "      ]\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
	json_object_put(b);
	free(text);
}

static void
profgen_oci_allows__rules__unconditional_allow_only(void **state)
{
	json_object *b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
	    "\"syscalls\": ["
	    "{\"names\": [\"read\", \"socket\", \"sync\"], "
	    "\"action\": \"SCMP_ACT_ALLOW\"},"
	    "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", "
	    "\"args\": [{\"index\": 0, \"value\": 1, \"op\": "
	    "\"SCMP_CMP_EQ\"}]},"
	    "{\"names\": [\"sync\"], \"action\": \"SCMP_ACT_ERRNO\"},"
	    "{\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ALLOW\", "
	    "\"includes\": {\"caps\": [\"CAP_SYS_CHROOT\"]}},"
	    "{\"names\": [\"getcpu\"], \"action\": \"SCMP_ACT_LOG\"}]}");

	(void)state;
	assert_true(profgen_oci_allows(b, SCMP_ARCH_X86_64, "read"));
	assert_true(profgen_oci_allows(b, SCMP_ARCH_X86_64, "getcpu"));
	/* Filtered arguments somewhere, a deny beside, a capability. */
	assert_false(profgen_oci_allows(b, SCMP_ARCH_X86_64, "socket"));
	assert_false(profgen_oci_allows(b, SCMP_ARCH_X86_64, "sync"));
	assert_false(profgen_oci_allows(b, SCMP_ARCH_X86_64, "chroot"));
	/* Not named: the default decides. */
	assert_false(profgen_oci_allows(b, SCMP_ARCH_X86_64, "mkdir"));
	json_object_put(b);
	b = parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
	    "[{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
	assert_true(profgen_oci_allows(b, SCMP_ARCH_X86_64, "mkdir"));
	assert_false(profgen_oci_allows(b, SCMP_ARCH_X86_64, "mount"));
	json_object_put(b);
	b = parse("[]");
	assert_false(profgen_oci_allows(b, SCMP_ARCH_X86_64, "read"));
	json_object_put(b);
}

/*
 * learn's baseline: calls every program makes, none of them dangerous,
 * and each allowed by Docker's default profile, so that a learnt profile
 * never rests on a call a container profile denies.
 */
static void
profgen_baseline_name__every_one__in_moby_and_safe(void **state)
{
	char *text = slurp(MOBY);
	json_object *b = parse(text);
	const char *name;
	size_t i, j;

	(void)state;
	for (i = 0; (name = profgen_baseline_name(i)) != NULL; i++) {
		if (!profgen_oci_allows(b, SCMP_ARCH_X86_64, name))
			fail_msg("baseline call %s: moby does not allow it",
			    name);
		assert_null(profgen_dangerous(name));
		for (j = 0; j < i; j++)
			assert_string_not_equal(profgen_baseline_name(j), name);
	}
	assert_true(i > 40);
	json_object_put(b);
	free(text);
}

/* The learnt drop-in says what it is: an allow-list, not denials. */
static void
profgen_systemd__learnt__says_allow_list(void **state)
{
	char *s;

	(void)state;
	add(SCMP_ARCH_X86_64, "read");
	add(SCMP_ARCH_X86_64, "getcpu");
	s = profgen_systemd(G, PROFGEN_LEARNT, "seccompmon learn -- app");
	assert_non_null(s);
	assert_string_equal(s,
	    "# Generated by seccompmon learn: the system calls the command "
	    "made, as an allow-list.\n"
	    "# From: seccompmon learn -- app\n"
	    "# Review before use; this adds to the unit's filter (alone, it "
	    "is the unit's whole allow-list).\n"
	    "[Service]\n"
	    "SystemCallFilter=getcpu read\n"
	    "SystemCallArchitectures=x86-64\n");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    profgen_add__bad_input__einval, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__no_base__fragment_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__no_base_no_diff__einval, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__not_a_profile__einval, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__already_allowed__no_change, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__unconditional_deny__name_taken_out, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__argument_filters__left_alone, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__argument_filters_force__allowed_rules_kept,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__conditional_rules__caps_not_counted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__conditional_rules__arches_as_docker, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__missing_arch__added_to_architectures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__arch_not_in_archmap__noted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__duplicate_names__every_deny_rule, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__default_allow__only_deny_taken_out, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__dangerous__refused_without_force, setup,
		    teardown),
		cmocka_unit_test(profgen_dangerous__the_list__escapes_only),
		cmocka_unit_test(
		    profgen_dangerous_name__every_one__in_the_docs),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__any_order__same_text, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_systemd__denials__drop_in, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_systemd__force__dangerous_in, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_systemd__only_dangerous__enoent, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_seccompmon__denials__our_policy_format, setup,
		    teardown),
		cmocka_unit_test(
		    profgen_json_text__moby_unchanged__byte_identical),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__moby_base__smallest_change, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    profgen_oci__moby_base_clone3_forced__enosys_rule_goes,
		    setup, teardown),
		cmocka_unit_test(
		    profgen_oci_allows__rules__unconditional_allow_only),
		cmocka_unit_test(
		    profgen_baseline_name__every_one__in_moby_and_safe),
		cmocka_unit_test_setup_teardown(
		    profgen_systemd__learnt__says_allow_list, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
