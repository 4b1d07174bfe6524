/*
 * Unit tests for reporter/violation: SECCOMP record text -> struct violation.
 * Expected values are worked out from the kernel's format (audit_seccomp(),
 * audit_log_task(), audit_log_untrustedstring()) for real captured records,
 * then the decoder is fed damaged text: every prefix of a record, bad numbers,
 * bad hex, random bytes.  Input always sits in an exact-size heap block.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reporter/violation.h"

/* go-libaudit auparse/testdata/test3.log: i386 kill_thread, no subj. */
#define R_SSHD "audit(1433785727.186:10262): auid=20003 uid=22 gid=22 " \
	"ses=21 pid=11217 comm=\"sshd\" exe=\"/usr/sbin/sshd\" sig=31 " \
	"arch=40000003 syscall=132 compat=0 ip=0xb7670aac code=0x0"

/* security-profiles-operator: x86_64 SCMP_ACT_LOG with a SELinux subj. */
#define R_LS "audit(1613596317.899:6461): auid=4294967295 uid=0 gid=0 " \
	"ses=4294967295 subj=system_u:system_r:spc_t:s0:c284,c594 " \
	"pid=2039886 comm=\"ls\" exe=\"/bin/ls\" sig=0 arch=c000003e " \
	"syscall=3 compat=0 ip=0x7f62dce3d4c7 code=0x7ffc0000"

/* containers/crun#683 (kernel log): errno, AppArmor subj. */
#define R_CRUN "audit(1622229872.180:55): auid=4294967295 uid=0 gid=0 " \
	"ses=4294967295 subj=docker-default pid=7645 comm=\"mount\" " \
	"exe=\"/repro/mount\" sig=0 arch=c000003e syscall=165 compat=0 " \
	"ip=0x7f8a6e55ec4e code=0x50000"

/* Building blocks for synthetic records in the kernel's field order. */
#define HDR "audit(1700000000.500:42): "
#define IDS "auid=1000 uid=1000 gid=1000 ses=3"
#define PROC " pid=5000 comm=\"app\" exe=\"/usr/bin/app\""
#define TAIL " sig=0 arch=c000003e syscall=59 compat=0 " \
	"ip=0x7f0000001234 code=0x7ffc0000"

#define ALL_FIELDS ((1u << VF_COUNT) - 1)

static struct violation *V;

static int
setup(void **state)
{
	(void)state;
	V = calloc(1, sizeof(*V));
	return V == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(V);
	return 0;
}

/* Decode text[0..n) from an exact-size heap copy into v. */
static enum violation_error
decode_n(const char *text, size_t n, struct violation *v)
{
	enum violation_error err;
	char *p;

	p = malloc(n > 0 ? n : 1);
	assert_non_null(p);
	memcpy(p, text, n);
	memset(v, 0xa5, offsetof(struct violation, arena));
	err = violation_decode(p, n, v);
	free(p);
	return err;
}

static enum violation_error
decode(const char *text)
{
	return decode_n(text, strlen(text), V);
}

static void
decode_ok(const char *text)
{
	enum violation_error err = decode(text);

	if (err != VIOLATION_OK) {
		print_error("decode: %s for [%s]\n", violation_strerror(err),
		    text);
		fail();
	}
}

static void
assert_vstr(const struct violation *v, struct vstr s, const char *want,
    size_t wlen)
{
	assert_int_equal(s.len, wlen);
	assert_memory_equal(violation_str(v, s), want, wlen);
	assert_int_equal(violation_str(v, s)[wlen], '\0');
}

#define ASSERT_STR(v, field, want) \
	assert_vstr((v), (v)->field, (want), sizeof(want) - 1)

#define HAS(v, f) (((v)->present & VF_BIT(f)) != 0)
#define BAD(v, f) (((v)->invalid & VF_BIT(f)) != 0)

/* Exactly field f is invalid; all other kernel fields are present. */
static void
assert_only_invalid(const struct violation *v, enum violation_field f)
{
	assert_int_equal(v->invalid, VF_BIT(f));
	assert_int_equal(v->present, VF_REQUIRED & ~VF_BIT(f));
}

/* Real records */

static void
violation_decode__i386_kill_record__every_field(void **state)
{
	(void)state;
	decode_ok(R_SSHD);
	assert_true(V->time_sec == 1433785727);
	assert_int_equal(V->time_msec, 186);
	assert_int_equal(V->serial, 10262);
	assert_int_equal(V->present, VF_REQUIRED);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->auid, 20003);
	assert_int_equal(V->uid, 22);
	assert_int_equal(V->gid, 22);
	assert_int_equal(V->ses, 21);
	assert_int_equal(V->pid, 11217);
	assert_true(V->sig == 31);
	assert_int_equal(V->arch, 0x40000003u);
	assert_true(V->syscall == 132);
	assert_int_equal(V->compat, 0);
	assert_true(V->ip == 0xb7670aacULL);
	assert_int_equal(V->code, 0);
	ASSERT_STR(V, comm, "sshd");
	ASSERT_STR(V, exe, "/usr/sbin/sshd");
	ASSERT_STR(V, ip_text, "0xb7670aac");
	ASSERT_STR(V, code_text, "0x0");
	assert_false(HAS(V, VF_SUBJ));
	assert_string_equal(violation_str(V, V->subj), "");
}

static void
violation_decode__selinux_subj__raw_label(void **state)
{
	(void)state;
	decode_ok(R_LS);
	assert_true(V->time_sec == 1613596317);
	assert_int_equal(V->time_msec, 899);
	assert_int_equal(V->serial, 6461);
	assert_int_equal(V->present, VF_REQUIRED | VF_BIT(VF_SUBJ));
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->auid, 4294967295u);
	assert_int_equal(V->ses, 4294967295u);
	assert_int_equal(V->uid, 0);
	ASSERT_STR(V, subj, "system_u:system_r:spc_t:s0:c284,c594");
	assert_int_equal(V->pid, 2039886);
	ASSERT_STR(V, comm, "ls");
	ASSERT_STR(V, exe, "/bin/ls");
	assert_true(V->sig == 0);
	assert_int_equal(V->arch, 0xc000003eu);
	assert_true(V->syscall == 3);
	assert_true(V->ip == 0x7f62dce3d4c7ULL);
	assert_int_equal(V->code, 0x7ffc0000u);
	ASSERT_STR(V, ip_text, "0x7f62dce3d4c7");
	ASSERT_STR(V, code_text, "0x7ffc0000");
}

static void
violation_decode__apparmor_subj_one_word__raw_label(void **state)
{
	(void)state;
	decode_ok(R_CRUN);
	assert_int_equal(V->present, VF_REQUIRED | VF_BIT(VF_SUBJ));
	assert_int_equal(V->invalid, 0);
	ASSERT_STR(V, subj, "docker-default");
	assert_int_equal(V->pid, 7645);
	ASSERT_STR(V, comm, "mount");
	assert_true(V->syscall == 165);
	assert_int_equal(V->code, 0x50000u);
	assert_int_equal(V->serial, 55);
	assert_int_equal(V->time_msec, 180);
}

static void
violation_decode__apparmor_subj_with_mode__spaces_kept(void **state)
{
	(void)state;
	decode_ok(HDR IDS " subj=docker-default (enforce)" PROC TAIL);
	assert_int_equal(V->present, VF_REQUIRED | VF_BIT(VF_SUBJ));
	assert_int_equal(V->invalid, 0);
	ASSERT_STR(V, subj, "docker-default (enforce)");
	assert_int_equal(V->pid, 5000);
	ASSERT_STR(V, comm, "app");
}

static void
violation_decode__apparmor_subj_leading_equals__raw_label(void **state)
{
	(void)state;
	/* vArmor: the kernel prints " subj=%s" of "=cri-... (enforce)". */
	decode_ok(HDR IDS " subj==cri-containerd.apparmor.d (enforce)" PROC
	    TAIL);
	assert_int_equal(V->present, VF_REQUIRED | VF_BIT(VF_SUBJ));
	assert_int_equal(V->invalid, 0);
	ASSERT_STR(V, subj, "=cri-containerd.apparmor.d (enforce)");
	assert_int_equal(V->pid, 5000);
	ASSERT_STR(V, exe, "/usr/bin/app");
}

/* Strings */

static void
violation_decode__hex_comm__decoded(void **state)
{
	(void)state;
	/* "my prog": a blank makes audit_log_untrustedstring() use hex. */
	decode_ok(HDR IDS " pid=5000 comm=6D792070726F67 exe=\"/usr/bin/app\""
	    TAIL);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->present, VF_REQUIRED);
	ASSERT_STR(V, comm, "my prog");
}

static void
violation_decode__hex_comm_with_quote__decoded(void **state)
{
	(void)state;
	/* my "app" */
	decode_ok(HDR IDS " pid=5000 comm=6D79202261707022 exe=\"/a\"" TAIL);
	assert_int_equal(V->invalid, 0);
	ASSERT_STR(V, comm, "my \"app\"");
}

static void
violation_decode__lowercase_hex_comm__decoded(void **state)
{
	(void)state;
	decode_ok(HDR IDS " pid=5000 comm=6d792070726f67 exe=\"/a\"" TAIL);
	assert_int_equal(V->invalid, 0);
	ASSERT_STR(V, comm, "my prog");
}

static void
violation_decode__hex_exe__decoded(void **state)
{
	(void)state;
	/* "/tmp/my dir/x" */
	decode_ok(HDR IDS " pid=5000 comm=\"x\" exe=2F746D702F6D79206469722F78"
	    TAIL);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->present, VF_REQUIRED);
	ASSERT_STR(V, exe, "/tmp/my dir/x");
}

static void
violation_decode__hex_bytes_above_7e__raw_bytes(void **state)
{
	(void)state;
	/* UTF-8 e-acute, and a byte that is not UTF-8 at all. */
	decode_ok(HDR IDS " pid=5000 comm=C3A9 exe=2F61FF62" TAIL);
	assert_int_equal(V->invalid, 0);
	ASSERT_STR(V, comm, "\xc3\xa9");
	ASSERT_STR(V, exe, "/a\xff" "b");
}

static void
violation_decode__exe_null__present_and_empty(void **state)
{
	(void)state;
	/* audit_log_d_path_exe(): " exe=(null)" when the task has no mm. */
	decode_ok(HDR IDS " pid=5000 comm=\"app\" exe=(null)" TAIL);
	assert_int_equal(V->invalid, 0);
	assert_true(HAS(V, VF_EXE));
	assert_int_equal(V->present, VF_REQUIRED);
	assert_int_equal(V->exe.len, 0);
	assert_string_equal(violation_str(V, V->exe), "");
	assert_int_equal(V->pid, 5000);
}

static void
violation_decode__empty_quoted_comm__present_and_empty(void **state)
{
	(void)state;
	decode_ok(HDR IDS " pid=5000 comm=\"\" exe=\"/a\"" TAIL);
	assert_int_equal(V->invalid, 0);
	assert_true(HAS(V, VF_COMM));
	assert_int_equal(V->comm.len, 0);
	ASSERT_STR(V, exe, "/a");
}

/*
 * The kernel quotes a string only when it holds no control, blank,
 * non-ASCII or '"' byte (audit_string_contains_control()); a quoted one
 * that does is not its text (a replayed line): kept, but marked.
 */
static void
violation_decode__quoted_comm_with_nul_or_esc__misquoted(void **state)
{
	static const char nul[] = HDR IDS " pid=5000 comm=\"a\0b\" exe=\"/a\""
	    TAIL;

	(void)state;
	assert_int_equal(decode_n(nul, sizeof(nul) - 1, V), VIOLATION_OK);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->present, VF_REQUIRED);
	assert_int_equal(V->misquoted, VF_BIT(VF_COMM));
	assert_vstr(V, V->comm, "a\0b", 3);
	decode_ok(HDR IDS " pid=5000 comm=\"x\x1b[2J\" exe=\"/a\"" TAIL);
	assert_int_equal(V->misquoted, VF_BIT(VF_COMM));
	ASSERT_STR(V, comm, "x\x1b[2J");
	decode_ok(HDR IDS " pid=5000 comm=\"app\" exe=\"/my app\"" TAIL);
	assert_int_equal(V->misquoted, VF_BIT(VF_EXE));
	ASSERT_STR(V, exe, "/my app");
	decode_ok(HDR IDS " pid=5000 comm=\"\xc3\xa9\" exe=\"/a\x7f\"" TAIL);
	assert_int_equal(V->misquoted, VF_BIT(VF_COMM) | VF_BIT(VF_EXE));
	assert_int_equal(V->invalid, 0);
}

static void
violation_decode__kernel_quoted_strings__not_misquoted(void **state)
{
	(void)state;
	decode_ok(R_SSHD);
	assert_int_equal(V->misquoted, 0);
	decode_ok(R_LS);
	assert_int_equal(V->misquoted, 0);
	decode_ok(R_CRUN);
	assert_int_equal(V->misquoted, 0);
	decode_ok(HDR IDS " pid=5000 comm=\"!~a{}\" exe=\"\"" TAIL);
	assert_int_equal(V->misquoted, 0);
	/* Hex may hold any byte: the kernel chose it. */
	decode_ok(HDR IDS " pid=5000 comm=611B00 exe=2F6120" TAIL);
	assert_int_equal(V->misquoted, 0);
}

static void
violation_decode__bad_hex_comm__comm_invalid(void **state)
{
	static const char *const recs[] = {
		HDR IDS " pid=5000 comm=ABC exe=\"/usr/bin/app\"" TAIL,
		HDR IDS " pid=5000 comm=XYZW exe=\"/usr/bin/app\"" TAIL,
		HDR IDS " pid=5000 comm=6D7 exe=\"/usr/bin/app\"" TAIL,
		HDR IDS " pid=5000 comm=6D7G exe=\"/usr/bin/app\"" TAIL,
		HDR IDS " pid=5000 comm=sshd exe=\"/usr/bin/app\"" TAIL,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		decode_ok(recs[i]);
		assert_only_invalid(V, VF_COMM);
		ASSERT_STR(V, exe, "/usr/bin/app");
		assert_int_equal(V->pid, 5000);
	}
	decode_ok(HDR IDS " pid=5000 comm=\"app\" exe=2F746D7" TAIL);
	assert_only_invalid(V, VF_EXE);
	ASSERT_STR(V, comm, "app");
}

static void
violation_decode__unterminated_quote_at_end__invalid(void **state)
{
	(void)state;
	decode_ok(HDR IDS " pid=5000 comm=\"app");
	assert_true(BAD(V, VF_COMM));
	assert_false(HAS(V, VF_COMM));
	assert_int_equal(V->pid, 5000);
	assert_true(HAS(V, VF_SES));
}

/* Keys */

static void
violation_decode__unknown_keys__skipped(void **state)
{
	(void)state;
	decode_ok(HDR "new=1 " IDS " foo=bar" PROC " extra=0x1" TAIL
	    " tail=9");
	assert_int_equal(V->present, VF_REQUIRED);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->pid, 5000);
	assert_int_equal(V->auid, 1000);
	assert_int_equal(V->code, 0x7ffc0000u);
	ASSERT_STR(V, code_text, "0x7ffc0000");
}

static void
violation_decode__unknown_key_quoted_with_spaces__skipped_whole(
    void **state)
{
	(void)state;
	/* pid=1 and comm= inside the quotes are not fields. */
	decode_ok(HDR IDS " note=\"x pid=1 comm=\\\"no\\\" y\"" PROC TAIL);
	assert_int_equal(V->present, VF_REQUIRED);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->pid, 5000);
	ASSERT_STR(V, comm, "app");
	decode_ok(HDR IDS " note=\"a b pid=1 c\"" PROC TAIL);
	assert_int_equal(V->pid, 5000);
	assert_int_equal(V->invalid, 0);
}

static void
violation_decode__missing_keys__absent_record_ok(void **state)
{
	(void)state;
	decode_ok(HDR IDS PROC " sig=0 arch=c000003e syscall=59 compat=0 "
	    "code=0x7ffc0000");
	assert_int_equal(V->present, VF_REQUIRED & ~VF_BIT(VF_IP));
	assert_int_equal(V->invalid, 0);
	assert_string_equal(violation_str(V, V->ip_text), "");

	decode_ok(HDR "pid=5000 syscall=59");
	assert_int_equal(V->present, VF_BIT(VF_PID) | VF_BIT(VF_SYSCALL));
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->pid, 5000);
	assert_true(V->syscall == 59);
	assert_string_equal(violation_str(V, V->comm), "");
	assert_string_equal(violation_str(V, V->exe), "");
}

static void
violation_decode__duplicate_key__first_kept(void **state)
{
	(void)state;
	decode_ok(HDR IDS PROC TAIL " pid=1 comm=\"other\" code=0x0");
	assert_int_equal(V->present, VF_REQUIRED);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->pid, 5000);
	ASSERT_STR(V, comm, "app");
	assert_int_equal(V->code, 0x7ffc0000u);
	ASSERT_STR(V, code_text, "0x7ffc0000");
}

/* The same fields as a and b hold, value for value. */
static void
assert_same_violation(const struct violation *a, const struct violation *b)
{
	assert_int_equal(a->present, b->present);
	assert_int_equal(a->invalid, b->invalid);
	assert_int_equal(a->misquoted, b->misquoted);
	assert_int_equal(a->auid, b->auid);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->gid, b->gid);
	assert_int_equal(a->ses, b->ses);
	assert_int_equal(a->pid, b->pid);
	assert_true(a->sig == b->sig);
	assert_int_equal(a->arch, b->arch);
	assert_true(a->syscall == b->syscall);
	assert_int_equal(a->compat, b->compat);
	assert_true(a->ip == b->ip);
	assert_int_equal(a->code, b->code);
	assert_string_equal(violation_str(a, a->comm), violation_str(b, b->comm));
	assert_string_equal(violation_str(a, a->exe), violation_str(b, b->exe));
	assert_string_equal(violation_str(a, a->ip_text),
	    violation_str(b, b->ip_text));
	assert_string_equal(violation_str(a, a->code_text),
	    violation_str(b, b->code_text));
}

/*
 * The decoder guesses each key from the one before (the kernel's order):
 * fields in any other order, and keys that begin like the guessed one
 * where it is guessed, decode to the same values.
 */
static void
violation_decode__fields_in_any_order__same_values(void **state)
{
	static const char *const f[] = {
		"auid=20003", "uid=22", "gid=22", "ses=21", "pid=11217",
		"comm=737368", "exe=\"/usr/sbin/sshd\"", "sig=31",
		"arch=40000003", "syscall=132", "compat=0", "ip=0xb7670aac",
		"code=0x0",
	};
	const size_t n = sizeof(f) / sizeof(f[0]);
	struct violation *want;
	char text[1024];
	size_t k, i, j, len;

	(void)state;
	want = malloc(sizeof(*want));
	assert_non_null(want);
	/*
	 * k = 0: the kernel's order; 1 .. n-1: rotated by k; n .. 2n-1:
	 * reversed and rotated; 2n: the kernel's order with "KEYx=1" and
	 * "KEY_=1" before each field, where KEY= is the guess.
	 */
	for (k = 0; k <= 2 * n; k++) {
		len = (size_t)snprintf(text, sizeof(text), "%s", HDR);
		for (i = 0; i < n; i++) {
			j = k < n ? (i + k) % n : k < 2 * n ?
			    n - 1 - (i + k) % n : i;
			if (k == 2 * n)
				len += (size_t)snprintf(text + len,
				    sizeof(text) - len, "%.*sx=1 %.*s_=1 ",
				    (int)(strchr(f[j], '=') - f[j]), f[j],
				    (int)(strchr(f[j], '=') - f[j]), f[j]);
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			    "%s%s", i > 0 && k < 2 * n ? " " : "", f[j]);
			if (k == 2 * n)
				len += (size_t)snprintf(text + len,
				    sizeof(text) - len, " ");
		}
		assert_true(len < sizeof(text));
		decode_ok(text);
		if (k == 0)
			memcpy(want, V, sizeof(*want));
		else
			assert_same_violation(want, V);
	}
	assert_int_equal(want->present, VF_REQUIRED);
	assert_int_equal(want->invalid, 0);
	assert_int_equal(want->uid, 22);
	assert_true(want->syscall == 132);
	ASSERT_STR(want, comm, "ssh");
	free(want);
}

/* Numbers */

static void
violation_decode__pid_overflow__pid_invalid_rest_fine(void **state)
{
	(void)state;
	decode_ok(HDR IDS " pid=99999999999 comm=\"app\" exe=\"/a\"" TAIL);
	assert_only_invalid(V, VF_PID);
	ASSERT_STR(V, comm, "app");
	assert_int_equal(V->ses, 3);
	/* %d: one past INT32_MAX. */
	decode_ok(HDR IDS " pid=2147483648 comm=\"app\" exe=\"/a\"" TAIL);
	assert_only_invalid(V, VF_PID);
	decode_ok(HDR IDS " pid=2147483647 comm=\"app\" exe=\"/a\"" TAIL);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->pid, 2147483647);
}

static void
violation_decode__id_overflow__that_id_invalid(void **state)
{
	(void)state;
	decode_ok(HDR "auid=4294967296 uid=0 gid=0 ses=1" PROC TAIL);
	assert_only_invalid(V, VF_AUID);
	assert_int_equal(V->uid, 0);
	decode_ok(HDR "auid=0 uid=4294967296 gid=0 ses=1" PROC TAIL);
	assert_only_invalid(V, VF_UID);
	decode_ok(HDR "auid=0 uid=0 gid=18446744073709551616 ses=1" PROC TAIL);
	assert_only_invalid(V, VF_GID);
	decode_ok(HDR "auid=0 uid=0 gid=0 ses=4294967296" PROC TAIL);
	assert_only_invalid(V, VF_SES);
	decode_ok(HDR "auid=4294967295 uid=4294967295 gid=4294967295 "
	    "ses=4294967295" PROC TAIL);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->uid, 4294967295u);
	assert_int_equal(V->gid, 4294967295u);
}

static void
violation_decode__quoted_number__invalid(void **state)
{
	(void)state;
	decode_ok(HDR IDS " pid=\"5000\" comm=\"app\" exe=\"/a\"" TAIL);
	assert_only_invalid(V, VF_PID);
	decode_ok(HDR "auid=\"1\" uid=0 gid=0 ses=1" PROC TAIL);
	assert_only_invalid(V, VF_AUID);
}

static void
violation_decode__signed_or_blank_numbers__invalid(void **state)
{
	(void)state;
	decode_ok(HDR "auid=-1 uid=0 gid=0 ses=1" PROC TAIL);
	assert_only_invalid(V, VF_AUID);
	decode_ok(HDR "auid=+1 uid=0 gid=0 ses=1" PROC TAIL);
	assert_only_invalid(V, VF_AUID);
	decode_ok(HDR "auid=0x1 uid=0 gid=0 ses=1" PROC TAIL);
	assert_only_invalid(V, VF_AUID);
	decode_ok(HDR "auid= uid=0 gid=0 ses=1" PROC TAIL);
	assert_only_invalid(V, VF_AUID);
}

static void
violation_decode__bad_hex_fields__invalid(void **state)
{
	(void)state;
	decode_ok(HDR IDS PROC " sig=0 arch=c000003e syscall=59 compat=0 "
	    "ip=0xZZ code=0x0");
	assert_only_invalid(V, VF_IP);
	decode_ok(HDR IDS PROC " sig=0 arch=c000003e syscall=59 compat=0 "
	    "ip=0x1 code=0x100000000");
	assert_only_invalid(V, VF_CODE);
	decode_ok(HDR IDS PROC " sig=0 arch=1c000003e syscall=59 compat=0 "
	    "ip=0x1 code=0x0");
	assert_only_invalid(V, VF_ARCH);
	decode_ok(HDR IDS PROC " sig=0 arch=c000003e syscall=59 compat=0 "
	    "ip=0x10000000000000000 code=0x0");
	assert_only_invalid(V, VF_IP);
	decode_ok(HDR IDS PROC " sig=0 arch=c000003e syscall=59 compat=0 "
	    "ip=0xffffffffffffffff code=0xffffffff");
	assert_int_equal(V->invalid, 0);
	assert_true(V->ip == UINT64_MAX);
	assert_int_equal(V->code, 0xffffffffu);
}

static void
violation_decode__negative_syscall__decoded(void **state)
{
	(void)state;
	decode_ok(HDR IDS PROC " sig=0 arch=c000003e syscall=-1 compat=0 "
	    "ip=0x1 code=0x50000");
	assert_int_equal(V->invalid, 0);
	assert_true(HAS(V, VF_SYSCALL));
	assert_true(V->syscall == -1);
}

static void
violation_decode__x32_syscall__bit_30_kept(void **state)
{
	(void)state;
	/* x32 getpid: __X32_SYSCALL_BIT | 39. */
	decode_ok(HDR IDS PROC " sig=31 arch=c000003e syscall=1073741863 "
	    "compat=1 ip=0x400123 code=0x80000000");
	assert_int_equal(V->invalid, 0);
	assert_true(V->syscall == 0x40000027);
	assert_int_equal(V->compat, 1);
	assert_int_equal(V->code, 0x80000000u);
	assert_true(V->sig == 31);
}

/* Header and framing */

static void
violation_decode__trailing_newline_or_nul__ignored(void **state)
{
	static const char *const recs[] = { R_SSHD "\n", R_SSHD "\0" };
	size_t i, n;

	(void)state;
	for (i = 0; i < 2; i++) {
		n = strlen(R_SSHD) + 1;
		assert_int_equal(decode_n(recs[i], n, V), VIOLATION_OK);
		assert_int_equal(V->present, VF_REQUIRED);
		assert_int_equal(V->invalid, 0);
		ASSERT_STR(V, code_text, "0x0");
		assert_int_equal(V->code, 0);
	}
	/* The same with a quoted value last. */
	assert_int_equal(decode_n(HDR "comm=\"app\"\n", sizeof(HDR) + 11, V),
	    VIOLATION_OK);
	assert_int_equal(V->present, VF_BIT(VF_COMM));
	ASSERT_STR(V, comm, "app");
}

static void
violation_decode__header_limits__accepted(void **state)
{
	(void)state;
	decode_ok("audit(18446744073709551615.999:4294967295): pid=1");
	assert_true(V->time_sec == UINT64_MAX);
	assert_int_equal(V->time_msec, 999);
	assert_int_equal(V->serial, 4294967295u);
	decode_ok("audit(0.000:0): pid=1");
	assert_true(V->time_sec == 0);
	assert_int_equal(V->time_msec, 0);
	assert_int_equal(V->serial, 0);
	decode_ok("audit(1.005:7): pid=1");
	assert_int_equal(V->time_msec, 5);
}

static void
violation_decode__bad_header__bad_header(void **state)
{
	static const char *const bad[] = {
		"",
		"audit(",
		"audit(1433785727",
		"audit(1433785727.186",
		"audit(1433785727.186:10262",
		"auid=0 uid=0 gid=0 ses=0 pid=1",
		"audit(1433785727.:10262): pid=1",	/* no msec */
		"audit(1433785727.18:10262): pid=1",	/* %03lu */
		"audit(1433785727.1860:10262): pid=1",
		"audit(1433785727:10262): pid=1",	/* no '.' */
		"audit(.186:10262): pid=1",
		"audit(1433785727.186:): pid=1",
		"audit(1433785727.186:4294967296): pid=1",	/* %u */
		"audit(18446744073709551616.186:1): pid=1",	/* %llu */
		"audit(-1.186:1): pid=1",
		"audit(1433785727.186:-1): pid=1",
		"audit( 1433785727.186:1): pid=1",
		"audit(0x10.186:1): pid=1",
		"audit(1433785727.186:10262)pid=1",
		"audit[1433785727.186:10262]: pid=1",
		"AUDIT(1433785727.186:10262): pid=1",
		" audit(1433785727.186:10262): pid=1",
		"type=SECCOMP msg=audit(1433785727.186:10262): pid=1",
	};
	enum violation_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = decode(bad[i]);
		if (err != VIOLATION_BAD_HEADER) {
			print_error("[%s]: %s\n", bad[i],
			    violation_strerror(err));
			fail();
		}
	}
}

static void
violation_decode__header_without_known_fields__no_fields(void **state)
{
	static const char *const recs[] = {
		"audit(1433785727.186:10262): ",
		"audit(1433785727.186:10262): foo=bar",
		"audit(1433785727.186:10262): hello world",
		"audit(1433785727.186:10262): proctitle=6375726C",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
		assert_int_equal(decode(recs[i]), VIOLATION_NO_FIELDS);
}

static void
violation_decode__longer_than_text_max__too_long(void **state)
{
	char *buf;
	size_t n = VIOLATION_TEXT_MAX + 1;

	(void)state;
	buf = malloc(n);
	assert_non_null(buf);
	memset(buf, 'a', n);
	memcpy(buf, R_SSHD, strlen(R_SSHD));
	buf[strlen(R_SSHD)] = ' ';
	memcpy(buf + strlen(R_SSHD) + 1, "pad=", 4);
	assert_int_equal(decode_n(buf, n, V), VIOLATION_TOO_LONG);
	free(buf);
}

/* Exactly VIOLATION_TEXT_MAX bytes, nearly all of it one quoted exe. */
static void
violation_decode__exactly_text_max__accepted_long_exe_intact(void **state)
{
	static const char head[] = HDR IDS " pid=5000 comm=\"app\" exe=\"/";
	static const char tail[] = "\"" TAIL;
	size_t hl = sizeof(head) - 1, tl = sizeof(tail) - 1;
	size_t n = VIOLATION_TEXT_MAX, elen = n - hl - tl + 1;
	char *buf;
	size_t i;

	(void)state;
	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, head, hl);
	memset(buf + hl, 'e', n - hl - tl);
	memcpy(buf + n - tl, tail, tl);
	assert_int_equal(decode_n(buf, n, V), VIOLATION_OK);
	assert_int_equal(V->present, VF_REQUIRED);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->exe.len, elen);
	assert_int_equal(violation_str(V, V->exe)[0], '/');
	for (i = 1; i < elen; i++)
		assert_int_equal(violation_str(V, V->exe)[i], 'e');
	ASSERT_STR(V, comm, "app");
	ASSERT_STR(V, code_text, "0x7ffc0000");
	free(buf);
}

static void
violation_decode__long_hex_exe__decoded(void **state)
{
	static const char head[] = HDR IDS " pid=5000 comm=\"app\" exe=";
	static const char tail[] = TAIL;
	size_t hl = sizeof(head) - 1, tl = sizeof(tail) - 1;
	size_t bytes = 8000, n = hl + 2 * bytes + tl, i;
	char *buf;

	(void)state;
	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, head, hl);
	for (i = 0; i < bytes; i++)
		memcpy(buf + hl + 2 * i, i % 2 ? "20" : "2F", 2);
	memcpy(buf + hl + 2 * bytes, tail, tl);
	assert_int_equal(decode_n(buf, n, V), VIOLATION_OK);
	assert_int_equal(V->invalid, 0);
	assert_int_equal(V->exe.len, bytes);
	for (i = 0; i < bytes; i++)
		assert_int_equal(violation_str(V, V->exe)[i],
		    i % 2 ? ' ' : '/');
	free(buf);
}

static void
violation_decode__input_freed__strings_still_intact(void **state)
{
	const char *rec = R_LS;
	size_t n = strlen(rec);
	char *buf;

	(void)state;
	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, rec, n);
	assert_int_equal(violation_decode(buf, n, V), VIOLATION_OK);
	memset(buf, 'X', n);
	free(buf);
	ASSERT_STR(V, comm, "ls");
	ASSERT_STR(V, exe, "/bin/ls");
	ASSERT_STR(V, subj, "system_u:system_r:spc_t:s0:c284,c594");
	ASSERT_STR(V, ip_text, "0x7f62dce3d4c7");
	ASSERT_STR(V, code_text, "0x7ffc0000");
	/* Every string lies in the struct's own arena. */
	assert_true(violation_str(V, V->comm) >= V->arena);
	assert_true(violation_str(V, V->comm) < V->arena + sizeof(V->arena));
	assert_true(violation_str(V, V->subj) >= V->arena);
	assert_true(violation_str(V, V->subj) < V->arena + sizeof(V->arena));
}

/* Damaged input */

/* Invariants that hold for any decode that returned VIOLATION_OK. */
static void
assert_sane(const struct violation *v)
{
	const struct vstr *s[] = {
		&v->comm, &v->exe, &v->subj, &v->ip_text, &v->code_text,
	};
	size_t i;

	assert_int_equal(v->present & v->invalid, 0);
	assert_int_equal(v->misquoted & ~v->present, 0);
	assert_int_equal((v->present | v->invalid) & ~ALL_FIELDS, 0);
	assert_true(v->arena_used <= sizeof(v->arena));
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		if (s[i]->len == 0)
			continue;
		assert_true((uint64_t)s[i]->off + s[i]->len < v->arena_used);
		assert_int_equal(v->arena[s[i]->off + s[i]->len], '\0');
	}
}

/* Where each field sits in a record whose values hold no blanks. */
struct fieldpos {
	int	 field;		/* enum violation_field, or -1 */
	size_t	 key;		/* offset of the key */
	size_t	 val;		/* offset of the value */
	size_t	 end;		/* offset just past the value */
	int	 quoted;
};

static int
field_by_name(const char *k, size_t n)
{
	int f;

	for (f = 0; f < VF_COUNT; f++) {
		const char *name;

		name = violation_field_name((enum violation_field)f);
		if (strlen(name) == n && memcmp(name, k, n) == 0)
			return f;
	}
	return -1;
}

static size_t
locate_fields(const char *rec, size_t body, struct fieldpos *fp, size_t max)
{
	size_t i = body, n = 0, len = strlen(rec);
	const char *eq;

	while (i < len && n < max) {
		eq = strchr(rec + i, '=');
		assert_non_null(eq);
		fp[n].key = i;
		fp[n].val = (size_t)(eq - rec) + 1;
		fp[n].field = field_by_name(rec + i, (size_t)(eq - rec) - i);
		fp[n].quoted = rec[fp[n].val] == '"';
		fp[n].end = fp[n].val;
		while (fp[n].end < len && rec[fp[n].end] != ' ')
			fp[n].end++;
		i = fp[n].end + 1;
		n++;
	}
	return n;
}

static void
assert_same_field(const struct violation *a, const struct violation *b,
    int f)
{
	switch (f) {
	case VF_AUID: assert_int_equal(a->auid, b->auid); break;
	case VF_UID: assert_int_equal(a->uid, b->uid); break;
	case VF_GID: assert_int_equal(a->gid, b->gid); break;
	case VF_SES: assert_int_equal(a->ses, b->ses); break;
	case VF_PID: assert_int_equal(a->pid, b->pid); break;
	case VF_SIG: assert_true(a->sig == b->sig); break;
	case VF_ARCH: assert_int_equal(a->arch, b->arch); break;
	case VF_SYSCALL: assert_true(a->syscall == b->syscall); break;
	case VF_COMPAT: assert_int_equal(a->compat, b->compat); break;
	case VF_IP: assert_true(a->ip == b->ip); break;
	case VF_CODE: assert_int_equal(a->code, b->code); break;
	case VF_COMM:
		assert_vstr(a, a->comm, violation_str(b, b->comm), b->comm.len);
		break;
	case VF_EXE:
		assert_vstr(a, a->exe, violation_str(b, b->exe), b->exe.len);
		break;
	case VF_SUBJ:
		assert_vstr(a, a->subj, violation_str(b, b->subj), b->subj.len);
		break;
	default:
		fail();
	}
}

static void
check_every_prefix(const char *rec)
{
	struct violation *full, *v;
	struct fieldpos fp[32];
	enum violation_error err;
	size_t len = strlen(rec), close, body, nf, cut, i;

	full = calloc(1, sizeof(*full));
	v = calloc(1, sizeof(*v));
	assert_non_null(full);
	assert_non_null(v);
	assert_int_equal(decode_n(rec, len, full), VIOLATION_OK);
	close = (size_t)(strchr(rec, ')') - rec) + 1;	/* past ')' */
	body = close + 2;				/* past "): " */
	nf = locate_fields(rec, body, fp, 32);
	assert_true(nf >= 13);

	for (cut = 0; cut <= len; cut++) {
		err = decode_n(rec, cut, v);
		if (cut < close) {
			assert_int_equal(err, VIOLATION_BAD_HEADER);
			continue;
		}
		if (cut <= body) {
			assert_true(err == VIOLATION_BAD_HEADER ||
			    err == VIOLATION_NO_FIELDS);
			continue;
		}
		/* Once the first key=value is whole, the record decodes. */
		if (cut >= fp[0].end)
			assert_int_equal(err, VIOLATION_OK);
		if (err != VIOLATION_OK) {
			assert_int_equal(err, VIOLATION_NO_FIELDS);
			continue;
		}
		assert_sane(v);
		for (i = 0; i < nf; i++) {
			int f = fp[i].field, bit;

			if (f < 0)
				continue;
			bit = (int)VF_BIT(f);
			if (cut >= fp[i].end) {
				/* Whole: as in the full record. */
				if (!(v->present & (uint32_t)bit)) {
					print_error("cut %zu: %s lost\n", cut,
					    violation_field_name(
					    (enum violation_field)f));
					fail();
				}
				assert_same_field(v, full, f);
			} else if (cut <= fp[i].key) {
				/* Not reached: absent. */
				assert_false(v->present & (uint32_t)bit);
				assert_false(v->invalid & (uint32_t)bit);
			} else if (cut < fp[i].val) {
				/* Key cut short: no such key. */
				assert_false(v->present & (uint32_t)bit);
			} else if (fp[i].quoted && cut > fp[i].val) {
				/* Cut inside a quoted value. */
				if (!(v->invalid & (uint32_t)bit) ||
				    (v->present & (uint32_t)bit)) {
					print_error("cut %zu: %s not invalid\n",
					    cut, violation_field_name(
					    (enum violation_field)f));
					fail();
				}
			}
		}
	}
	free(full);
	free(v);
}

static void
violation_decode__every_prefix__never_crashes_fields_consistent(
    void **state)
{
	(void)state;
	check_every_prefix(R_SSHD);
	check_every_prefix(R_LS);
	check_every_prefix(HDR IDS " pid=5000 comm=6D792070726F67 "
	    "exe=\"/usr/bin/app\"" TAIL);
}

static void
violation_decode__random_bytes__error_or_sane(void **state)
{
	char buf[256];
	enum violation_error err;
	size_t n, i, start;
	int round;

	(void)state;
	srand(10262);
	for (round = 0; round < 20000; round++) {
		n = (size_t)rand() % sizeof(buf);
		start = 0;
		if (round % 2 == 0) {
			/* A real header, then noise, to reach the fields. */
			memcpy(buf, HDR, sizeof(HDR) - 1);
			start = sizeof(HDR) - 1;
			if (n < start)
				n = start;
		}
		for (i = start; i < n; i++)
			buf[i] = (char)(rand() & 0xff);
		err = decode_n(buf, n, V);
		assert_true(err == VIOLATION_OK ||
		    err == VIOLATION_BAD_HEADER || err == VIOLATION_NO_FIELDS);
		if (round % 2 != 0 && (n < 6 || memcmp(buf, "audit(", 6) != 0))
			assert_int_equal(err, VIOLATION_BAD_HEADER);
		if (err == VIOLATION_OK)
			assert_sane(V);
	}
}

static void
violation_decode__mutated_record__error_or_sane(void **state)
{
	static const char alphabet[] = "= \"0aZ()-:.x\n\x01\xff";
	char buf[sizeof(R_LS)];
	enum violation_error err;
	size_t n = sizeof(R_LS) - 1, k;
	int round, flips;

	(void)state;
	srand(6461);
	for (round = 0; round < 20000; round++) {
		memcpy(buf, R_LS, n);
		for (flips = rand() % 4 + 1; flips > 0; flips--) {
			k = (size_t)rand() % n;
			buf[k] = alphabet[(size_t)rand() %
			    (sizeof(alphabet) - 1)];
		}
		err = decode_n(buf, n, V);
		assert_true(err == VIOLATION_OK ||
		    err == VIOLATION_BAD_HEADER || err == VIOLATION_NO_FIELDS);
		if (err == VIOLATION_OK)
			assert_sane(V);
	}
}

/* Names */

static void
violation_field_name__every_field__kernel_key(void **state)
{
	static const char *const want[VF_COUNT] = {
		"auid", "uid", "gid", "ses", "subj", "pid", "comm", "exe",
		"sig", "arch", "syscall", "compat", "ip", "code",
	};
	int f;

	(void)state;
	for (f = 0; f < VF_COUNT; f++)
		assert_string_equal(
		    violation_field_name((enum violation_field)f), want[f]);
}

static void
violation_strerror__every_error__distinct_text(void **state)
{
	const char *s[4];
	int i, j;

	(void)state;
	for (i = 0; i < 4; i++) {
		s[i] = violation_strerror((enum violation_error)i);
		assert_non_null(s[i]);
		assert_true(strlen(s[i]) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(s[i], s[j]);
	}
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(violation_decode__i386_kill_record__every_field),
	T(violation_decode__selinux_subj__raw_label),
	T(violation_decode__apparmor_subj_one_word__raw_label),
	T(violation_decode__apparmor_subj_with_mode__spaces_kept),
	T(violation_decode__apparmor_subj_leading_equals__raw_label),
	T(violation_decode__hex_comm__decoded),
	T(violation_decode__hex_comm_with_quote__decoded),
	T(violation_decode__lowercase_hex_comm__decoded),
	T(violation_decode__hex_exe__decoded),
	T(violation_decode__hex_bytes_above_7e__raw_bytes),
	T(violation_decode__exe_null__present_and_empty),
	T(violation_decode__empty_quoted_comm__present_and_empty),
	T(violation_decode__quoted_comm_with_nul_or_esc__misquoted),
	T(violation_decode__kernel_quoted_strings__not_misquoted),
	T(violation_decode__bad_hex_comm__comm_invalid),
	T(violation_decode__unterminated_quote_at_end__invalid),
	T(violation_decode__unknown_keys__skipped),
	T(violation_decode__unknown_key_quoted_with_spaces__skipped_whole),
	T(violation_decode__missing_keys__absent_record_ok),
	T(violation_decode__duplicate_key__first_kept),
	T(violation_decode__fields_in_any_order__same_values),
	T(violation_decode__pid_overflow__pid_invalid_rest_fine),
	T(violation_decode__id_overflow__that_id_invalid),
	T(violation_decode__quoted_number__invalid),
	T(violation_decode__signed_or_blank_numbers__invalid),
	T(violation_decode__bad_hex_fields__invalid),
	T(violation_decode__negative_syscall__decoded),
	T(violation_decode__x32_syscall__bit_30_kept),
	T(violation_decode__trailing_newline_or_nul__ignored),
	T(violation_decode__header_limits__accepted),
	T(violation_decode__bad_header__bad_header),
	T(violation_decode__header_without_known_fields__no_fields),
	T(violation_decode__longer_than_text_max__too_long),
	T(violation_decode__exactly_text_max__accepted_long_exe_intact),
	T(violation_decode__long_hex_exe__decoded),
	T(violation_decode__input_freed__strings_still_intact),
	T(violation_decode__every_prefix__never_crashes_fields_consistent),
	T(violation_decode__random_bytes__error_or_sane),
	T(violation_decode__mutated_record__error_or_sane),
	T(violation_field_name__every_field__kernel_key),
	T(violation_strerror__every_error__distinct_text),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, setup, teardown);
}
