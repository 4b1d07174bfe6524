/*
 * Unit tests for policy/: action names, actions_avail parsing, the built-in
 * lists of x86_64, i386 and aarch64 (compiled for their own arch and read
 * back as libseccomp pseudo filter code), the Beats-style overlay of
 * "seccomp", every parse and check error with its key path, and the JSON
 * dump.  Expected syscall numbers come from libseccomp's per-arch tables.
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
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <seccomp.h>

#include "policy/policy.h"
#include "policy/policyjson.h"

/* What /proc/sys/kernel/seccomp/actions_avail holds on Linux 6.x. */
#define AVAIL_TEXT_6 "kill_process kill_thread trap errno user_notif trace " \
	"log allow\n"

#define NO_KILL_PROCESS (POLICY_ALL_ACTIONS & \
	~POLICY_ACTION_BIT(POLICY_KILL_PROCESS))
#define NO_LOG (POLICY_ALL_ACTIONS & ~POLICY_ACTION_BIT(POLICY_LOG))

static const uint32_t builtin_arches[] = {
	SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_AARCH64,
};

static void
contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\"\n  does not contain \"%s\"", hay, needle);
}

static void
dump_errors(const struct errlist *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		print_message("  %s: %s\n", errs->e[i].path, errs->e[i].msg);
}

/* errs holds exactly one error, at path; its message. */
static const char *
only_error(const struct errlist *errs, const char *path)
{
	if (errs->n != 1) {
		dump_errors(errs);
		fail_msg("%zu errors, expected one at %s", errs->n, path);
	}
	assert_string_equal(errs->e[0].path, path);
	return errs->e[0].msg;
}

/* The message of the error at path, failing when there is none. */
static const char *
error_at(const struct errlist *errs, const char *path)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		if (strcmp(errs->e[i].path, path) == 0)
			return errs->e[i].msg;
	dump_errors(errs);
	fail_msg("no error at %s", path);
	return NULL;
}

/* The built-in policy for arch with the "seccomp" object text applied. */
static int
parse_on(struct policy *p, uint32_t arch, const char *text,
    struct errlist *errs)
{
	json_object *o;
	int n;

	memset(errs, 0, sizeof(*errs));
	assert_int_equal(policy_builtin(p, arch), 0);
	o = json_tokener_parse(text);
	if (o == NULL)
		fail_msg("test input is not JSON: %s", text);
	n = policy_parse(p, o, "seccomp", errs);
	json_object_put(o);
	return n;
}

static int
parse(struct policy *p, const char *text, struct errlist *errs)
{
	return parse_on(p, SCMP_ARCH_X86_64, text, errs);
}

/* The rule that lists name, or NULL. */
static const struct policy_rule *
rule_of(const struct policy *p, const char *name)
{
	size_t i, j;

	for (i = 0; i < p->nrules; i++)
		for (j = 0; j < p->rules[i].nnames; j++)
			if (strcmp(p->rules[i].names[j], name) == 0)
				return &p->rules[i];
	return NULL;
}

/*
 * Whether libseccomp knows name as a syscall of arch.  Its "single" pseudo
 * numbers (__PNR_*, -10001 and below) stand for a name with no number on
 * that arch; the socket and ipc calls of i386 resolve to multiplexer
 * numbers (-101 to -224) that are real (socketcall, ipc).
 */
static int
exists_on(uint32_t arch, const char *name)
{
	int nr;

	nr = seccomp_syscall_resolve_name_arch(arch, name);
	return nr >= 0 || (nr <= __PNR_socket && nr > -10000);
}

static size_t
count_names(const struct policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nrules; i++)
		n += p->rules[i].nnames;
	return n;
}

/* libseccomp's pseudo filter code for ctx, through a memfd; free() it. */
static char *
pfc_of(scmp_filter_ctx ctx)
{
	char *buf;
	off_t size;
	int fd;

	fd = memfd_create("test-pfc", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(seccomp_export_pfc(ctx, fd), 0);
	size = lseek(fd, 0, SEEK_END);
	assert_true(size > 0);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, (size_t)size, 0), size);
	buf[size] = '\0';
	close(fd);
	return buf;
}

static size_t
count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The action the pfc gives to syscall nr ("ALLOW", "ERRNO(38)"), in buf. */
static void
pfc_action(const char *pfc, int nr, char *buf, size_t len)
{
	char test[64];
	const char *p, *e;

	snprintf(test, sizeof(test), "if ($syscall == %d)\n", nr);
	if ((p = strstr(pfc, test)) == NULL)
		fail_msg("no rule for syscall %d in:\n%s", nr, pfc);
	p += strlen(test);
	p += strspn(p, " ");
	assert_true(strncmp(p, "action ", 7) == 0);
	p += 7;
	e = strchr(p, ';');
	assert_non_null(e);
	snprintf(buf, len, "%.*s", (int)(e - p), p);
}

/* The action after "# invalid architecture action". */
static void
pfc_badarch_action(const char *pfc, char *buf, size_t len)
{
	const char *p, *e;

	p = strstr(pfc, "# invalid architecture action\naction ");
	assert_non_null(p);
	p += strlen("# invalid architecture action\naction ");
	e = strchr(p, ';');
	assert_non_null(e);
	snprintf(buf, len, "%.*s", (int)(e - p), p);
}

static void
policy_action_parse__every_name__round_trips(void **state)
{
	static const char *const names[] = { "errno", "trace", "trap",
	    "kill_thread", "kill_process", "log", "allow" };
	size_t i;
	int a;

	(void)state;
	assert_int_equal(sizeof(names) / sizeof(names[0]), POLICY_NACTIONS);
	for (i = 0; i < POLICY_NACTIONS; i++) {
		a = policy_action_parse(names[i]);
		assert_true(a >= 0 && a < POLICY_NACTIONS);
		assert_string_equal(policy_action_name((enum policy_action)a),
		    names[i]);
		contains(policy_action_list(), names[i]);
	}
	assert_int_equal(policy_action_parse("errno"), POLICY_ERRNO);
	assert_int_equal(policy_action_parse("kill_process"),
	    POLICY_KILL_PROCESS);
	assert_int_equal(policy_action_parse("allow"), POLICY_ALLOW);
}

static void
policy_action_parse__unknown_names__minus_one(void **state)
{
	(void)state;
	assert_int_equal(policy_action_parse("deny"), -1);
	assert_int_equal(policy_action_parse(""), -1);
	assert_int_equal(policy_action_parse("ERRNO"), -1);
	assert_int_equal(policy_action_parse("kill"), -1);
	assert_int_equal(policy_action_parse("user_notif"), -1);
	assert_int_equal(policy_action_parse("allow "), -1);
}

static void
policy_actions_parse__linux_6_text__every_action(void **state)
{
	(void)state;
	assert_int_equal(policy_actions_parse(AVAIL_TEXT_6),
	    POLICY_ALL_ACTIONS);
}

static void
policy_actions_parse__4_13_style_text__no_kill_process_no_log(void **state)
{
	unsigned m;

	(void)state;
	m = policy_actions_parse("kill_thread trap errno trace allow\n");
	assert_int_equal(m, POLICY_ACTION_BIT(POLICY_KILL_THREAD) |
	    POLICY_ACTION_BIT(POLICY_TRAP) | POLICY_ACTION_BIT(POLICY_ERRNO) |
	    POLICY_ACTION_BIT(POLICY_TRACE) | POLICY_ACTION_BIT(POLICY_ALLOW));
	assert_false(m & POLICY_ACTION_BIT(POLICY_KILL_PROCESS));
	assert_false(m & POLICY_ACTION_BIT(POLICY_LOG));
}

static void
policy_actions_parse__empty_or_unknown__nothing(void **state)
{
	(void)state;
	assert_int_equal(policy_actions_parse(""), 0);
	assert_int_equal(policy_actions_parse("\n"), 0);
	assert_int_equal(policy_actions_parse("user_notif kill bogus\n"), 0);
	assert_int_equal(policy_actions_parse("  log\tallow  "),
	    POLICY_ACTION_BIT(POLICY_LOG) | POLICY_ACTION_BIT(POLICY_ALLOW));
}

static void
policy_arch_name__builtin_arches__kernel_names(void **state)
{
	(void)state;
	assert_string_equal(policy_arch_name(SCMP_ARCH_X86_64), "x86_64");
	assert_string_equal(policy_arch_name(SCMP_ARCH_X86), "i386");
	assert_string_equal(policy_arch_name(SCMP_ARCH_AARCH64), "aarch64");
	assert_string_equal(policy_arch_name(0x12345678), "unknown");
}

static void
policy_builtin__x86_64__builtin_origin_errno_default(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(policy_builtin(&p, SCMP_ARCH_X86_64), 0);
	assert_true(p.enabled);
	assert_false(p.required);
	assert_int_equal(p.origin, POLICY_BUILTIN);
	assert_int_equal(p.arch, SCMP_ARCH_X86_64);
	assert_int_equal(p.default_action, POLICY_ERRNO);
	assert_int_equal(p.default_err, EPERM);
	/* What the daemon needs once serving, and nothing that starts code. */
	assert_int_equal(rule_of(&p, "read")->action, POLICY_ALLOW);
	assert_int_equal(rule_of(&p, "recvmmsg")->action, POLICY_ALLOW);
	assert_int_equal(rule_of(&p, "exit_group")->action, POLICY_ALLOW);
	assert_null(rule_of(&p, "execve"));
	assert_null(rule_of(&p, "socket"));
	/* The file output opens and renames; it never removes or links. */
	assert_int_equal(rule_of(&p, "openat")->action, POLICY_ALLOW);
	assert_int_equal(rule_of(&p, "renameat")->action, POLICY_ALLOW);
	assert_null(rule_of(&p, "unlinkat"));
	assert_null(rule_of(&p, "linkat"));
	assert_null(rule_of(&p, "open"));
	assert_null(rule_of(&p, "rename"));
	policy_free(&p);
}

static void
policy_builtin__each_arch__every_name_resolves_for_it(void **state)
{
	struct errlist errs;
	struct policy p;
	size_t a, i, j;

	(void)state;
	for (a = 0; a < sizeof(builtin_arches) / sizeof(builtin_arches[0]);
	    a++) {
		assert_int_equal(policy_builtin(&p, builtin_arches[a]), 0);
		assert_int_equal(p.origin, POLICY_BUILTIN);
		assert_int_equal(p.arch, builtin_arches[a]);
		assert_int_equal(p.default_action, POLICY_ERRNO);
		assert_true(p.nrules > 0);
		for (i = 0; i < p.nrules; i++) {
			assert_true(p.rules[i].nnames > 0);
			for (j = 0; j < p.rules[i].nnames; j++) {
				if (!exists_on(builtin_arches[a],
				    p.rules[i].names[j]))
					fail_msg("%s: \"%s\" is not a syscall",
					    policy_arch_name(builtin_arches[a]),
					    p.rules[i].names[j]);
			}
		}
		memset(&errs, 0, sizeof(errs));
		assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs),
		    0);
		assert_int_equal(errs.n, 0);
		policy_free(&p);
	}
}

/*
 * i386: libseccomp turns each socket call the list names into a rule on
 * socketcall(2) for that call number alone (its first argument), never a
 * blanket socketcall: socket(AF_INET), SYS_SOCKET = 1, stays denied.
 * linux/net.h: SYS_SOCKET 1, SYS_SEND 9, SYS_SENDTO 11, SYS_SETSOCKOPT 14,
 * SYS_SENDMSG 16, SYS_RECVMMSG 19.
 */
static void
socketcall_narrowed(const char *pfc, const struct policy *p)
{
	static const struct {
		const char	*name;
		int		 call;
	} calls[] = {
		{ "send", 9 }, { "sendto", 11 }, { "setsockopt", 14 },
		{ "getsockopt", 15 },
		{ "sendmsg", 16 }, { "recvmmsg", 19 },
	};
	const char *sc = strstr(pfc, "# filter for syscall \"socketcall\"");
	const char *end;
	char want[64];
	size_t i, n = 0;

	assert_non_null(sc);
	if ((end = strstr(sc + 1, "# ")) == NULL)
		end = sc + strlen(sc);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		snprintf(want, sizeof(want), "if ($a0 == %d)", calls[i].call);
		if (rule_of(p, calls[i].name) != NULL) {
			if (strstr(sc, want) == NULL || strstr(sc, want) > end)
				fail_msg("socketcall lacks call %d (%s):\n%s",
				    calls[i].call, calls[i].name, pfc);
			n++;
		}
	}
	/* Nothing else, and no unconditional allow of socketcall. */
	assert_int_equal(count_str(sc, "if ($a0 ==") -
	    count_str(end, "if ($a0 =="), n);
	if (strstr(sc, "if ($a0 == 1)") != NULL &&
	    strstr(sc, "if ($a0 == 1)") < end)
		fail_msg("socketcall(SYS_SOCKET) is allowed:\n%s", pfc);
}

/*
 * The built-in policy of arch compiles whatever the host is, to a filter on
 * arch alone that lists each name under arch's own number with its action,
 * and no other syscall.
 */
static void
compiles_to_its_names_only(uint32_t arch)
{
	struct errlist errs;
	struct policy p;
	scmp_filter_ctx ctx;
	char *pfc, want[128], act[32];
	const char *l;
	size_t i, j;
	int nr;

	assert_int_equal(policy_builtin(&p, arch), 0);
	memset(&errs, 0, sizeof(errs));
	ctx = policy_compile(&p, &errs);
	if (ctx == NULL) {
		dump_errors(&errs);
		fail_msg("%s: policy_compile failed: %s",
		    policy_arch_name(arch), strerror(errno));
	}
	pfc = pfc_of(ctx);
	snprintf(want, sizeof(want), "if ($arch == %u)\n", arch);
	contains(pfc, want);
	assert_int_equal(count_str(pfc, "if ($arch =="), 1);
	for (i = 0; i < p.nrules; i++) {
		for (j = 0; j < p.rules[i].nnames; j++) {
			snprintf(want, sizeof(want), "# filter for syscall "
			    "\"%s\" (", p.rules[i].names[j]);
			contains(pfc, want);
			/* i386 socket calls: libseccomp's number is the
			 * multiplexer's; the name is enough. */
			nr = seccomp_syscall_resolve_name_arch(arch,
			    p.rules[i].names[j]);
			if (nr < 0)
				continue;
			snprintf(want, sizeof(want), "# filter for syscall "
			    "\"%s\" (%d)", p.rules[i].names[j], nr);
			contains(pfc, want);
			pfc_action(pfc, nr, act, sizeof(act));
			assert_string_equal(act, p.rules[i].action ==
			    POLICY_ALLOW ? "ALLOW" : "ERRNO(38)");
		}
	}
	for (l = pfc; (l = strstr(l, "# filter for syscall \"")) != NULL;
	    l++) {
		l += strlen("# filter for syscall \"");
		snprintf(want, sizeof(want), "%.*s", (int)strcspn(l, "\""), l);
		if (strcmp(want, "socketcall") == 0 && arch == SCMP_ARCH_X86) {
			socketcall_narrowed(pfc, &p);
			continue;
		}
		if (rule_of(&p, want) == NULL)
			fail_msg("%s: the filter has \"%s\", not in the "
			    "list:\n%s", policy_arch_name(arch), want, pfc);
	}
	pfc_action(pfc, seccomp_syscall_resolve_name_arch(arch, "clone3"),
	    act, sizeof(act));
	assert_string_equal(act, "ERRNO(38)");
	free(pfc);
	seccomp_release(ctx);
	policy_free(&p);
}

static void
policy_compile__builtin_x86_64__its_names_only(void **state)
{
	(void)state;
	compiles_to_its_names_only(SCMP_ARCH_X86_64);
}

static void
policy_compile__builtin_i386__its_names_only(void **state)
{
	(void)state;
	compiles_to_its_names_only(SCMP_ARCH_X86);
}

static void
policy_compile__builtin_aarch64__its_names_only(void **state)
{
	(void)state;
	compiles_to_its_names_only(SCMP_ARCH_AARCH64);
}

/* The calls only some outputs make are kept for those outputs alone. */
static void
policy_builtin_narrow__per_output__only_their_calls_kept(void **state)
{
	static const uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86,
	    SCMP_ARCH_AARCH64 };
	static const unsigned haves[] = { 0, POLICY_NEED_FILE,
	    POLICY_NEED_JOURNALD, POLICY_NEED_CONTEXT, POLICY_NEED_GAPS,
	    POLICY_NEED_ALL };
	struct policy full, p;
	size_t a, h, j, n, kept;
	unsigned need;

	(void)state;
	for (a = 0; a < 3; a++) {
		for (h = 0; h < 6; h++) {
			assert_int_equal(policy_builtin(&full, arches[a]), 0);
			assert_int_equal(policy_builtin(&p, arches[a]), 0);
			policy_builtin_narrow(&p, haves[h]);
			/* Every core call stays; an output's only with it. */
			n = kept = 0;
			for (j = 0; j < full.rules[0].nnames; j++) {
				need = policy_builtin_need(
				    full.rules[0].names[j]);
				if (need != 0 && (need & haves[h]) == 0)
					continue;
				assert_true(kept < p.rules[0].nnames);
				assert_string_equal(p.rules[0].names[kept],
				    full.rules[0].names[j]);
				kept++;
				n++;
			}
			assert_int_equal(p.rules[0].nnames, n);
			if (haves[h] == POLICY_NEED_ALL)
				assert_int_equal(n, full.rules[0].nnames);
			else
				assert_true(n < full.rules[0].nnames);
			/* The ENOSYS rule is not touched. */
			assert_int_equal(p.rules[1].nnames, 1);
			policy_free(&p);
			policy_free(&full);
		}
	}
	/*
	 * openat is the file output's, the context's and the gap report's;
	 * getdents64 the context's and the gap report's; sendmsg an
	 * output's; read is everyone's.
	 */
	assert_int_equal(policy_builtin_need("openat"), POLICY_NEED_FILE |
	    POLICY_NEED_CONTEXT | POLICY_NEED_GAPS);
	assert_int_equal(policy_builtin_need("readlinkat"),
	    POLICY_NEED_CONTEXT);
	assert_int_equal(policy_builtin_need("getdents64"),
	    POLICY_NEED_CONTEXT | POLICY_NEED_GAPS);
	assert_int_equal(policy_builtin_need("sendmsg"), POLICY_NEED_JOURNALD);
	assert_int_equal(policy_builtin_need("read"), 0);
}

/* A configured list is the operator's: never narrowed. */
static void
policy_builtin_narrow__custom_policy__untouched(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"errno\", "
	    "\"syscalls\": [{\"action\": \"allow\", \"names\": "
	    "[\"read\", \"openat\", \"sendmsg\"]}]}", &errs), 0);
	policy_builtin_narrow(&p, 0);
	assert_int_equal(p.rules[0].nnames, 3);
	policy_free(&p);
}

static void
policy_builtin__riscv64__enoent_origin_none(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	errno = 0;
	assert_int_equal(policy_builtin(&p, SCMP_ARCH_RISCV64), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(p.origin, POLICY_NONE);
	assert_true(p.enabled);
	assert_int_equal(p.nrules, 0);
	/* Enabled with nothing to load is an error for the check. */
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 1);
	contains(only_error(&errs, "seccomp"), "riscv64");
	contains(errs.e[0].msg, "default_action");
	contains(errs.e[0].msg, "syscalls");
	policy_free(&p);
}

static void
policy_builtin_reason__every_entry__has_a_reason(void **state)
{
	struct policy p;
	const char *why;
	size_t a, i, j;

	(void)state;
	for (a = 0; a < sizeof(builtin_arches) / sizeof(builtin_arches[0]);
	    a++) {
		assert_int_equal(policy_builtin(&p, builtin_arches[a]), 0);
		for (i = 0; i < p.nrules; i++) {
			for (j = 0; j < p.rules[i].nnames; j++) {
				why = policy_builtin_reason(builtin_arches[a],
				    p.rules[i].names[j]);
				if (why == NULL || *why == '\0')
					fail_msg("%s: no reason for %s",
					    policy_arch_name(builtin_arches[a]),
					    p.rules[i].names[j]);
			}
		}
		assert_null(policy_builtin_reason(builtin_arches[a],
		    "execve"));
		policy_free(&p);
	}
	assert_null(policy_builtin_reason(SCMP_ARCH_RISCV64, "read"));
	/* aarch64 has no poll(2); its list says ppoll. */
	assert_null(policy_builtin_reason(SCMP_ARCH_AARCH64, "poll"));
	assert_non_null(policy_builtin_reason(SCMP_ARCH_AARCH64, "ppoll"));
}

static void
policy_builtin__clone3__errno_enosys(void **state)
{
	const struct policy_rule *r;
	struct policy p;
	size_t a;

	(void)state;
	for (a = 0; a < sizeof(builtin_arches) / sizeof(builtin_arches[0]);
	    a++) {
		assert_int_equal(policy_builtin(&p, builtin_arches[a]), 0);
		r = rule_of(&p, "clone3");
		assert_non_null(r);
		assert_int_equal(r->action, POLICY_ERRNO);
		assert_int_equal(r->err, ENOSYS);
		assert_null(rule_of(&p, "clone"));
		policy_free(&p);
	}
}

static void
policy_parse__empty_object__builtin_kept(void **state)
{
	struct errlist errs;
	struct policy p, b;
	size_t i, j;

	(void)state;
	assert_int_equal(parse(&p, "{}", &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_int_equal(policy_builtin(&b, SCMP_ARCH_X86_64), 0);
	assert_true(p.enabled);
	assert_false(p.required);
	assert_int_equal(p.origin, POLICY_BUILTIN);
	assert_int_equal(p.default_action, POLICY_ERRNO);
	assert_int_equal(p.nrules, b.nrules);
	for (i = 0; i < b.nrules; i++) {
		assert_int_equal(p.rules[i].action, b.rules[i].action);
		assert_int_equal(p.rules[i].nnames, b.rules[i].nnames);
		for (j = 0; j < b.rules[i].nnames; j++)
			assert_string_equal(p.rules[i].names[j],
			    b.rules[i].names[j]);
	}
	policy_free(&b);
	policy_free(&p);
}

static void
policy_parse__default_action_alone__builtin_list_new_default(void **state)
{
	struct errlist errs;
	struct policy p, b;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"log\"}", &errs), 0);
	assert_int_equal(policy_builtin(&b, SCMP_ARCH_X86_64), 0);
	assert_int_equal(p.origin, POLICY_BUILTIN);
	assert_int_equal(p.default_action, POLICY_LOG);
	assert_int_equal(count_names(&p), count_names(&b));
	assert_int_equal(rule_of(&p, "read")->action, POLICY_ALLOW);
	assert_int_equal(rule_of(&p, "clone3")->err, ENOSYS);
	policy_free(&b);
	policy_free(&p);
}

static void
policy_parse__enabled_false__disabled_and_unchecked(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"enabled\": false}", &errs), 0);
	assert_false(p.enabled);
	/* Nothing is loaded, so nothing is checked. */
	assert_int_equal(policy_check(&p, 0, &errs), 0);
	assert_int_equal(errs.n, 0);
	policy_free(&p);
}

static void
policy_parse__required_true__required(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"required\": true}", &errs), 0);
	assert_true(p.required);
	assert_true(p.enabled);
	assert_int_equal(p.origin, POLICY_BUILTIN);
	policy_free(&p);
}

static void
policy_parse__syscalls_without_default_action__error_names_it(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"syscalls\": [{\"action\": \"errno\", "
	    "\"names\": [\"execve\"]}]}", &errs), 1);
	msg = only_error(&errs, "seccomp");
	contains(msg, "default_action");
	contains(msg, "allow");
	policy_free(&p);
}

static void
policy_parse__syscalls__replace_builtin_origin_custom(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"execve\", "
	    "\"fork\"]}, {\"action\": \"kill_process\", \"names\": "
	    "[\"ptrace\"]}]}", &errs), 0);
	assert_int_equal(p.origin, POLICY_CUSTOM);
	assert_int_equal(p.default_action, POLICY_ALLOW);
	assert_int_equal(p.nrules, 2);
	assert_int_equal(p.rules[0].action, POLICY_ERRNO);
	assert_int_equal(p.rules[0].err, EPERM);
	assert_int_equal(p.rules[0].nnames, 2);
	assert_string_equal(p.rules[0].names[0], "execve");
	assert_string_equal(p.rules[0].names[1], "fork");
	assert_string_equal(p.rules[0].path, "seccomp.syscalls[0]");
	assert_int_equal(p.rules[1].action, POLICY_KILL_PROCESS);
	assert_string_equal(p.rules[1].names[0], "ptrace");
	assert_string_equal(p.rules[1].path, "seccomp.syscalls[1]");
	/* Nothing of the built-in list is left. */
	assert_null(rule_of(&p, "read"));
	assert_null(rule_of(&p, "clone3"));
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 0);
	policy_free(&p);
}

static void
policy_parse__errno_enosys__rule_gets_enosys(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"errno\": \"ENOSYS\", "
	    "\"names\": [\"clone3\"]}]}", &errs), 0);
	assert_int_equal(p.rules[0].action, POLICY_ERRNO);
	assert_int_equal(p.rules[0].err, ENOSYS);
	policy_free(&p);
}

static void
policy_parse__unknown_action__message_names_choices(void **state)
{
	static const char *const names[] = { "errno", "trace", "trap",
	    "kill_thread", "kill_process", "log", "allow" };
	struct errlist errs;
	struct policy p;
	const char *msg;
	size_t i;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"fork\"]}, "
	    "{\"action\": \"errno\", \"names\": [\"vfork\"]}, "
	    "{\"action\": \"deny\", \"names\": [\"execve\"]}]}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[2].action");
	contains(msg, "unknown action \"deny\"");
	contains(msg, "expected");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		contains(msg, names[i]);
	policy_free(&p);
}

static void
policy_parse__unknown_default_action__message_names_choices(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"deny\"}", &errs),
	    1);
	msg = only_error(&errs, "seccomp.default_action");
	contains(msg, "\"deny\"");
	contains(msg, "kill_process");
	contains(msg, "allow");
	policy_free(&p);
}

static void
policy_parse__enabled_string__expects_boolean(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"enabled\": \"yes\"}", &errs), 1);
	msg = only_error(&errs, "seccomp.enabled");
	contains(msg, "true or false");
	contains(msg, "string");
	policy_free(&p);
}

static void
policy_parse__required_number__expects_boolean(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"required\": 1}", &errs), 1);
	contains(only_error(&errs, "seccomp.required"), "true or false");
	policy_free(&p);
}

static void
policy_parse__syscalls_object__expects_list(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": {}}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls");
	contains(msg, "expected a list");
	contains(msg, "object");
	policy_free(&p);
}

static void
policy_parse__syscalls_empty_list__error(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": []}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls");
	contains(msg, "empty");
	contains(msg, "at least one");
	policy_free(&p);
}

static void
policy_parse__rule_not_object__expects_object(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [\"execve\"]}", &errs), 1);
	contains(only_error(&errs, "seccomp.syscalls[0]"),
	    "expected an object");
	policy_free(&p);
}

static void
policy_parse__names_string__expects_list(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": \"read\"}]}",
	    &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0].names");
	contains(msg, "expected a list of syscall names");
	contains(msg, "string");
	policy_free(&p);
}

static void
policy_parse__name_number__expects_string(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"read\", "
	    "1]}]}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0].names[1]");
	contains(msg, "expected a syscall name");
	contains(msg, "number");
	policy_free(&p);
}

static void
policy_parse__action_number__expects_action_name(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": 7, \"names\": [\"read\"]}]}", &errs),
	    1);
	msg = only_error(&errs, "seccomp.syscalls[0].action");
	contains(msg, "expected an action name");
	contains(msg, "number");
	policy_free(&p);
}

static void
policy_parse__empty_names__error(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": []}]}", &errs),
	    1);
	msg = only_error(&errs, "seccomp.syscalls[0].names");
	contains(msg, "empty");
	contains(msg, "at least one syscall name");
	policy_free(&p);
}

static void
policy_parse__empty_name__error(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"execve\", "
	    "\"\"]}]}", &errs), 1);
	contains(only_error(&errs, "seccomp.syscalls[0].names[1]"),
	    "empty syscall name");
	policy_free(&p);
}

static void
policy_parse__missing_action__error_lists_actions(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"names\": [\"execve\"]}]}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0]");
	contains(msg, "missing \"action\"");
	contains(msg, "kill_thread");
	policy_free(&p);
}

static void
policy_parse__missing_names__error(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\"}]}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0]");
	contains(msg, "missing \"names\"");
	contains(msg, "syscall name");
	policy_free(&p);
}

static void
policy_parse__unknown_key_in_seccomp__error_lists_keys(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"defualt_action\": \"allow\"}", &errs),
	    1);
	msg = only_error(&errs, "seccomp.defualt_action");
	contains(msg, "unknown key");
	contains(msg, "default_action");
	contains(msg, "syscalls");
	policy_free(&p);
}

static void
policy_parse__unknown_key_in_rule__error_lists_keys(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"execve\"], "
	    "\"name\": \"fork\"}]}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0].name");
	contains(msg, "unknown key");
	contains(msg, "names");
	policy_free(&p);
}

static void
policy_parse__errno_with_allow__error(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"errno\", "
	    "\"syscalls\": [{\"action\": \"allow\", \"errno\": \"ENOSYS\", "
	    "\"names\": [\"read\"]}]}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0].errno");
	contains(msg, "\"errno\"");
	policy_free(&p);
}

static void
policy_parse__unknown_errno__error_lists_errnos(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"errno\": \"ENOPE\", "
	    "\"names\": [\"read\"]}]}", &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0].errno");
	contains(msg, "\"ENOPE\"");
	contains(msg, "EPERM");
	contains(msg, "ENOSYS");
	policy_free(&p);
}

static void
policy_parse__errno_number__expects_name(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"errno\": 38, "
	    "\"names\": [\"read\"]}]}", &errs), 1);
	contains(only_error(&errs, "seccomp.syscalls[0].errno"),
	    "errno name");
	policy_free(&p);
}

/*
 * json-c keeps "\u0000" inside a value, where a C string stops: the policy
 * must not take "allow\u0000junk" for allow, nor "read\u0000x" for read.
 */
static void
policy_parse__nul_in_strings__error_names_each_key(void **state)
{
	static const struct {
		const char	*text;
		const char	*path;
		const char	*what;
	} cases[] = {
		{ "{\"default_action\": \"allow\\u0000junk\"}",
		    "seccomp.default_action", "an action name" },
		{ "{\"default_action\": \"errno\", \"syscalls\": [{\"action\": "
		    "\"allow\\u0000junk\", \"names\": [\"read\"]}]}",
		    "seccomp.syscalls[0].action", "an action name" },
		{ "{\"default_action\": \"allow\", \"syscalls\": [{\"action\": "
		    "\"errno\", \"errno\": \"ENOSYS\\u0000x\", \"names\": "
		    "[\"read\"]}]}",
		    "seccomp.syscalls[0].errno", "an errno name" },
		{ "{\"default_action\": \"allow\", \"syscalls\": [{\"action\": "
		    "\"errno\", \"names\": [\"write\", \"read\\u0000x\"]}]}",
		    "seccomp.syscalls[0].names[1]", "a syscall name" },
	};
	struct errlist errs;
	struct policy p;
	const char *msg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(&p, cases[i].text, &errs) != 1)
			fail_msg("%s: %zu errors", cases[i].text, errs.n);
		msg = only_error(&errs, cases[i].path);
		contains(msg, cases[i].what);
		contains(msg, "without NUL (\\u0000)");
		policy_free(&p);
	}
}

static void
policy_parse__not_an_object__error(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "[]", &errs), 1);
	contains(only_error(&errs, "seccomp"), "expected an object");
	policy_free(&p);
}

/* One run shows every mistake, so that a user fixes them all at once. */
static void
policy_parse__several_errors__each_reported(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"enabled\": \"yes\", \"bogus\": 1, "
	    "\"syscalls\": [{\"action\": \"deny\", \"names\": [\"read\"]}, "
	    "{\"action\": \"errno\", \"names\": []}]}", &errs), 5);
	assert_int_equal(errs.n, 5);
	(void)error_at(&errs, "seccomp.enabled");
	(void)error_at(&errs, "seccomp.bogus");
	contains(error_at(&errs, "seccomp"), "default_action");
	(void)error_at(&errs, "seccomp.syscalls[0].action");
	(void)error_at(&errs, "seccomp.syscalls[1].names");
	policy_free(&p);
}

static void
policy_parse__rule_with_unknown_key_and_misplaced_errno__both(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"errno\", "
	    "\"syscalls\": [{\"action\": \"allow\", \"errno\": \"ENOSYS\", "
	    "\"names\": [\"read\"], \"comment\": \"x\"}]}", &errs), 2);
	(void)error_at(&errs, "seccomp.syscalls[0].comment");
	(void)error_at(&errs, "seccomp.syscalls[0].errno");
	policy_free(&p);
}

static void
policy_check__unknown_syscall__path_and_arch(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"execve\", "
	    "\"nosuchcall\"]}]}", &errs), 0);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0].names[1]");
	contains(msg, "unknown syscall \"nosuchcall\"");
	contains(msg, "x86_64");
	policy_free(&p);
}

/* open(2) exists on x86_64 but not on aarch64, where libc uses openat. */
static void
policy_check__open_on_aarch64__unknown_syscall(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_true(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64,
	    "open") >= 0);
	assert_int_equal(parse_on(&p, SCMP_ARCH_AARCH64, "{\"default_action\": "
	    "\"errno\", \"syscalls\": [{\"action\": \"allow\", \"names\": "
	    "[\"openat\", \"open\"]}]}", &errs), 0);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0].names[1]");
	contains(msg, "\"open\"");
	contains(msg, "aarch64");
	policy_free(&p);
}

static void
policy_check__duplicate_in_one_rule__names_first(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"execve\", "
	    "\"fork\", \"execve\"]}]}", &errs), 0);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[0].names[2]");
	contains(msg, "duplicate syscall \"execve\"");
	contains(msg, "seccomp.syscalls[0].names[0]");
	policy_free(&p);
}

static void
policy_check__duplicate_across_rules__names_first(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"execve\", "
	    "\"fork\"]}, {\"action\": \"log\", \"names\": [\"getpid\", "
	    "\"fork\"]}]}", &errs), 0);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[1].names[1]");
	contains(msg, "\"fork\"");
	contains(msg, "seccomp.syscalls[0].names[1]");
	policy_free(&p);
}

/* A third listing names the first, not the second. */
static void
policy_check__name_thrice__each_repeat_names_the_first(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"execve\", "
	    "\"fork\"]}, {\"action\": \"log\", \"names\": [\"fork\"]}, "
	    "{\"action\": \"trap\", \"names\": [\"getpid\", \"fork\"]}]}",
	    &errs), 0);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 2);
	assert_string_equal(errs.e[0].path, "seccomp.syscalls[1].names[0]");
	assert_string_equal(errs.e[1].path, "seccomp.syscalls[2].names[1]");
	contains(errs.e[0].msg, "(already in seccomp.syscalls[0].names[1])");
	contains(errs.e[1].msg, "(already in seccomp.syscalls[0].names[1])");
	policy_free(&p);
}

static void
policy_check__kill_process_unavailable__mentions_linux_4_14(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"errno\", \"names\": [\"fork\"]}, "
	    "{\"action\": \"kill_process\", \"names\": [\"ptrace\"]}]}", &errs),
	    0);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 0);
	assert_int_equal(policy_check(&p, NO_KILL_PROCESS, &errs), 1);
	msg = only_error(&errs, "seccomp.syscalls[1].action");
	contains(msg, "kill_process");
	contains(msg, "Linux 4.14");
	policy_free(&p);
}

static void
policy_check__default_log_unavailable__error_at_default_action(void **state)
{
	struct errlist errs;
	struct policy p;
	const char *msg;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"log\"}", &errs), 0);
	assert_int_equal(policy_check(&p, NO_LOG, &errs), 1);
	msg = only_error(&errs, "seccomp.default_action");
	contains(msg, "\"log\"");
	contains(msg, "Linux 4.14");
	policy_free(&p);
}

static void
policy_check__several_problems__all_reported(void **state)
{
	struct errlist errs;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": [{\"action\": \"kill_process\", \"names\": "
	    "[\"nosuchcall\", \"fork\"]}, {\"action\": \"errno\", \"names\": "
	    "[\"fork\"]}]}", &errs), 0);
	assert_int_equal(policy_check(&p, NO_KILL_PROCESS, &errs), 3);
	(void)error_at(&errs, "seccomp.syscalls[0].action");
	(void)error_at(&errs, "seccomp.syscalls[0].names[0]");
	(void)error_at(&errs, "seccomp.syscalls[1].names[0]");
	policy_free(&p);
}

/* Policy errors, with a key path and no file or line: the caller's. */
static void
policy_parse__errors__policy_errors_without_file_or_line(void **state)
{
	struct policy p;
	struct errlist errs;
	size_t i;

	(void)state;
	assert_int_equal(parse(&p, "{\"bogus\": 1, \"default_action\": "
	    "\"deny\"}", &errs), 2);
	assert_int_equal(errs.policy, 2);
	for (i = 0; i < errs.n; i++) {
		assert_true(errs.e[i].policy);
		assert_string_equal(errs.e[i].file, "");
		assert_int_equal(errs.e[i].line, 0);
	}
	(void)error_at(&errs, "seccomp.bogus");
	(void)error_at(&errs, "seccomp.default_action");
	policy_free(&p);
}

/* More than the list holds: counted, as policy errors too. */
static void
policy_check__beyond_errlist_max__counted_as_dropped(void **state)
{
	struct policy p;
	struct errlist errs;
	char text[4096], *t = text;
	size_t i;

	(void)state;
	t += sprintf(t, "{\"default_action\": \"allow\", \"syscalls\": "
	    "[{\"action\": \"errno\", \"names\": [");
	for (i = 0; i < ERRLIST_MAX + 3; i++)
		t += sprintf(t, "%s\"nosuchcall%zu\"", i ? ", " : "", i);
	sprintf(t, "]}]}");
	assert_int_equal(parse(&p, text, &errs), 0);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs),
	    ERRLIST_MAX + 3);
	assert_int_equal(errs.n, ERRLIST_MAX);
	assert_int_equal(errs.dropped, 3);
	assert_int_equal(errs.policy, ERRLIST_MAX + 3);
	contains(error_at(&errs, "seccomp.syscalls[0].names[0]"),
	    "\"nosuchcall0\"");
	policy_free(&p);
}

static void
policy_compile__every_action__libseccomp_action(void **state)
{
	static const struct {
		const char *name;
		const char *pfc;
	} want[] = {
		{ "getppid", "ERRNO(1)" },
		{ "getpgrp", "ERRNO(38)" },
		{ "getsid", "TRACE(0)" },
		{ "setpgid", "TRAP" },
		{ "tkill", "KILL" },
		{ "ptrace", "KILL_PROCESS" },
		{ "getpid", "LOG" },
	};
	struct errlist errs;
	struct policy p;
	scmp_filter_ctx ctx;
	char *pfc, act[32];
	size_t i;

	(void)state;
	assert_int_equal(parse(&p, "{\"default_action\": \"allow\", "
	    "\"syscalls\": ["
	    "{\"action\": \"errno\", \"names\": [\"getppid\"]}, "
	    "{\"action\": \"errno\", \"errno\": \"ENOSYS\", \"names\": "
	    "[\"getpgrp\"]}, "
	    "{\"action\": \"trace\", \"names\": [\"getsid\"]}, "
	    "{\"action\": \"trap\", \"names\": [\"setpgid\"]}, "
	    "{\"action\": \"kill_thread\", \"names\": [\"tkill\"]}, "
	    "{\"action\": \"kill_process\", \"names\": [\"ptrace\"]}, "
	    "{\"action\": \"log\", \"names\": [\"getpid\"]}, "
	    "{\"action\": \"allow\", \"names\": [\"read\"]}]}", &errs), 0);
	assert_int_equal(policy_check(&p, POLICY_ALL_ACTIONS, &errs), 0);
	ctx = policy_compile(&p, &errs);
	assert_non_null(ctx);
	pfc = pfc_of(ctx);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		pfc_action(pfc, seccomp_syscall_resolve_name_arch(
		    SCMP_ARCH_X86_64, want[i].name), act, sizeof(act));
		if (strcmp(act, want[i].pfc) != 0)
			fail_msg("%s: %s, expected %s", want[i].name, act,
			    want[i].pfc);
	}
	contains(pfc, "# default action\n  action ALLOW;");
	free(pfc);
	seccomp_release(ctx);
	policy_free(&p);
}

/* An i386 int 0x80 or an x32 call on x86_64 meets the default action. */
static void
policy_compile__other_arch_calls__get_the_default(void **state)
{
	struct errlist errs;
	struct policy p;
	scmp_filter_ctx ctx;
	char *pfc, act[32];

	(void)state;
	assert_int_equal(policy_builtin(&p, SCMP_ARCH_X86_64), 0);
	memset(&errs, 0, sizeof(errs));
	ctx = policy_compile(&p, &errs);
	assert_non_null(ctx);
	pfc = pfc_of(ctx);
	pfc_badarch_action(pfc, act, sizeof(act));
	assert_string_equal(act, "ERRNO(1)");
	free(pfc);
	seccomp_release(ctx);
	policy_free(&p);

	assert_int_equal(parse(&p, "{\"default_action\": \"kill_process\"}",
	    &errs), 0);
	ctx = policy_compile(&p, &errs);
	assert_non_null(ctx);
	pfc = pfc_of(ctx);
	pfc_badarch_action(pfc, act, sizeof(act));
	assert_string_equal(act, "KILL_PROCESS");
	free(pfc);
	seccomp_release(ctx);
	policy_free(&p);
}

static json_object *
field(json_object *o, const char *key, enum json_type t)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	if (!json_object_is_type(v, t))
		fail_msg("\"%s\" has the wrong type in %s", key,
		    json_object_to_json_string(o));
	return v;
}

/*
 * Through text and back, so that what is checked is what is printed; and
 * the text is a "seccomp" section that policy_parse() takes back as the
 * same policy.
 */
static json_object *
to_json_reparsed(const struct policy *p)
{
	struct errlist errs;
	struct policy q;
	json_object *o, *back;
	size_t i, j;

	o = policy_to_json(p);
	assert_non_null(o);
	back = json_tokener_parse(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY));
	assert_non_null(back);
	assert_int_equal(parse(&q, json_object_to_json_string(o), &errs), 0);
	assert_int_equal(q.enabled, p->enabled);
	assert_int_equal(q.required, p->required);
	assert_int_equal(q.default_action, p->default_action);
	assert_int_equal(q.nrules, p->nrules);
	for (i = 0; i < p->nrules; i++) {
		assert_int_equal(q.rules[i].action, p->rules[i].action);
		assert_int_equal(q.rules[i].nnames, p->rules[i].nnames);
		for (j = 0; j < p->rules[i].nnames; j++)
			assert_string_equal(q.rules[i].names[j],
			    p->rules[i].names[j]);
	}
	policy_free(&q);
	json_object_put(o);
	return back;
}

static int
array_has(json_object *a, const char *s)
{
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a,
		    i)), s) == 0)
			return 1;
	return 0;
}

static void
policy_to_json__builtin__every_field(void **state)
{
	json_object *o, *list, *r, *names, *v;
	struct policy p;

	(void)state;
	assert_int_equal(policy_builtin(&p, SCMP_ARCH_X86_64), 0);
	o = to_json_reparsed(&p);
	assert_true(json_object_get_boolean(field(o, "enabled",
	    json_type_boolean)));
	assert_false(json_object_get_boolean(field(o, "required",
	    json_type_boolean)));
	assert_string_equal(json_object_get_string(field(o, "default_action",
	    json_type_string)), "errno");
	/* Only keys the configuration takes: arch and origin are comments. */
	assert_int_equal(json_object_object_length(o), 4);
	list = field(o, "syscalls", json_type_array);
	assert_int_equal(json_object_array_length(list), 2);

	r = json_object_array_get_idx(list, 0);
	assert_string_equal(json_object_get_string(field(r, "action",
	    json_type_string)), "allow");
	assert_false(json_object_object_get_ex(r, "errno", &v));
	names = field(r, "names", json_type_array);
	assert_true(array_has(names, "read"));
	assert_true(array_has(names, "recvmmsg"));
	assert_true(array_has(names, "exit_group"));
	assert_false(array_has(names, "clone3"));

	r = json_object_array_get_idx(list, 1);
	assert_string_equal(json_object_get_string(field(r, "action",
	    json_type_string)), "errno");
	assert_string_equal(json_object_get_string(field(r, "errno",
	    json_type_string)), "ENOSYS");
	names = field(r, "names", json_type_array);
	assert_int_equal(json_object_array_length(names), 1);
	assert_true(array_has(names, "clone3"));
	json_object_put(o);
	policy_free(&p);
}

static void
policy_to_json__custom__as_configured(void **state)
{
	struct errlist errs;
	json_object *o, *list, *r;
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "{\"enabled\": false, \"required\": true, "
	    "\"default_action\": \"allow\", \"syscalls\": ["
	    "{\"action\": \"errno\", \"names\": [\"execve\", \"fork\"]}, "
	    "{\"action\": \"trap\", \"names\": [\"ptrace\"]}]}", &errs), 0);
	o = to_json_reparsed(&p);
	assert_false(json_object_get_boolean(field(o, "enabled",
	    json_type_boolean)));
	assert_true(json_object_get_boolean(field(o, "required",
	    json_type_boolean)));
	assert_string_equal(json_object_get_string(field(o, "default_action",
	    json_type_string)), "allow");
	list = field(o, "syscalls", json_type_array);
	assert_int_equal(json_object_array_length(list), 2);
	r = json_object_array_get_idx(list, 0);
	assert_string_equal(json_object_get_string(field(r, "action",
	    json_type_string)), "errno");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
	    field(r, "names", json_type_array), 1)), "fork");
	r = json_object_array_get_idx(list, 1);
	assert_string_equal(json_object_get_string(field(r, "action",
	    json_type_string)), "trap");
	json_object_put(o);
	policy_free(&p);
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(policy_action_parse__every_name__round_trips),
	T(policy_action_parse__unknown_names__minus_one),
	T(policy_actions_parse__linux_6_text__every_action),
	T(policy_actions_parse__4_13_style_text__no_kill_process_no_log),
	T(policy_actions_parse__empty_or_unknown__nothing),
	T(policy_arch_name__builtin_arches__kernel_names),
	T(policy_builtin__x86_64__builtin_origin_errno_default),
	T(policy_builtin_narrow__per_output__only_their_calls_kept),
	T(policy_builtin_narrow__custom_policy__untouched),
	T(policy_builtin__each_arch__every_name_resolves_for_it),
	T(policy_compile__builtin_x86_64__its_names_only),
	T(policy_compile__builtin_i386__its_names_only),
	T(policy_compile__builtin_aarch64__its_names_only),
	T(policy_builtin__riscv64__enoent_origin_none),
	T(policy_builtin_reason__every_entry__has_a_reason),
	T(policy_builtin__clone3__errno_enosys),
	T(policy_parse__empty_object__builtin_kept),
	T(policy_parse__default_action_alone__builtin_list_new_default),
	T(policy_parse__enabled_false__disabled_and_unchecked),
	T(policy_parse__required_true__required),
	T(policy_parse__syscalls_without_default_action__error_names_it),
	T(policy_parse__syscalls__replace_builtin_origin_custom),
	T(policy_parse__errno_enosys__rule_gets_enosys),
	T(policy_parse__unknown_action__message_names_choices),
	T(policy_parse__unknown_default_action__message_names_choices),
	T(policy_parse__enabled_string__expects_boolean),
	T(policy_parse__required_number__expects_boolean),
	T(policy_parse__syscalls_object__expects_list),
	T(policy_parse__syscalls_empty_list__error),
	T(policy_parse__rule_not_object__expects_object),
	T(policy_parse__names_string__expects_list),
	T(policy_parse__name_number__expects_string),
	T(policy_parse__action_number__expects_action_name),
	T(policy_parse__empty_names__error),
	T(policy_parse__empty_name__error),
	T(policy_parse__missing_action__error_lists_actions),
	T(policy_parse__missing_names__error),
	T(policy_parse__unknown_key_in_seccomp__error_lists_keys),
	T(policy_parse__unknown_key_in_rule__error_lists_keys),
	T(policy_parse__errno_with_allow__error),
	T(policy_parse__unknown_errno__error_lists_errnos),
	T(policy_parse__errno_number__expects_name),
	T(policy_parse__nul_in_strings__error_names_each_key),
	T(policy_parse__not_an_object__error),
	T(policy_parse__several_errors__each_reported),
	T(policy_parse__rule_with_unknown_key_and_misplaced_errno__both),
	T(policy_check__unknown_syscall__path_and_arch),
	T(policy_check__open_on_aarch64__unknown_syscall),
	T(policy_check__duplicate_in_one_rule__names_first),
	T(policy_check__duplicate_across_rules__names_first),
	T(policy_check__name_thrice__each_repeat_names_the_first),
	T(policy_check__kill_process_unavailable__mentions_linux_4_14),
	T(policy_check__default_log_unavailable__error_at_default_action),
	T(policy_check__several_problems__all_reported),
	T(policy_parse__errors__policy_errors_without_file_or_line),
	T(policy_check__beyond_errlist_max__counted_as_dropped),
	T(policy_compile__every_action__libseccomp_action),
	T(policy_compile__other_arch_calls__get_the_default),
	T(policy_to_json__builtin__every_field),
	T(policy_to_json__custom__as_configured),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
