/*
 * The JSON event.  Fields are written in a fixed order by hand rather than
 * through a DOM (json-c): building and freeing twenty objects per record
 * costs more than the whole decode, and the order makes lines diffable.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "reporter/event.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"

#define UNSET_ID 4294967295u	/* AUDIT_UID_UNSET, AUDIT_SID_UNSET */

#define SECCOMP_FIELDS (VF_BIT(VF_CODE) | VF_BIT(VF_SYSCALL) | \
    VF_BIT(VF_ARCH) | VF_BIT(VF_COMPAT) | VF_BIT(VF_SIG) | VF_BIT(VF_IP))

#define HAS(v, f) (((v)->present & VF_BIT(f)) != 0)

/* ,"key": with the comma only when something came before in the object. */
static void
key(struct obuf *b, int *first, const char *k)
{
	if (!*first)
		obuf_putc(b, ',');
	*first = 0;
	obuf_putc(b, '"');
	obuf_puts(b, k);
	obuf_put(b, "\":", 2);
}

static void
put_vstr(struct obuf *b, const struct violation *v, struct vstr s)
{
	obuf_put_jstr(b, violation_str(v, s), s.len);
}

static void
put_id_string(struct obuf *b, uint32_t id)
{
	obuf_putc(b, '"');
	obuf_put_u64(b, id);
	obuf_putc(b, '"');
}

/* Field names joined by ", " for error.message. */
static void
put_field_list(struct obuf *b, uint32_t mask)
{
	int f, first = 1;

	for (f = 0; f < VF_COUNT; f++) {
		if (!(mask & VF_BIT(f)))
			continue;
		if (!first)
			obuf_put(b, ", ", 2);
		obuf_puts(b, violation_field_name((enum violation_field)f));
		first = 0;
	}
}

static int
str_ok(const struct violation *v, struct vstr s)
{
	return utf8_valid(violation_str(v, s), s.len);
}

static void
put_error(struct obuf *b, uint32_t missing, uint32_t invalid,
    uint32_t not_utf8)
{
	const char *sep = "";

	/* Built from field names only: no record text, so no escaping. */
	obuf_put(b, ",\"error\":{\"message\":\"", 21);
	if (missing) {
		obuf_puts(b, "missing field(s): ");
		put_field_list(b, missing);
		sep = "; ";
	}
	if (invalid) {
		obuf_puts(b, sep);
		obuf_puts(b, "malformed field(s): ");
		put_field_list(b, invalid);
		sep = "; ";
	}
	if (not_utf8) {
		obuf_puts(b, sep);
		obuf_puts(b, "not UTF-8, bytes replaced by U+FFFD: ");
		put_field_list(b, not_utf8);
	}
	obuf_puts(b, " (see event.original)\"}");
}

int
event_encode(struct obuf *b, const struct violation *v, const char *raw,
    size_t raw_len, const struct event_ctx *ctx)
{
	const struct verdict *vd = NULL;
	const char *arch = NULL, *sysname = NULL, *signame;
	uint32_t missing, not_utf8 = 0;
	size_t start = b->len;
	int first, damaged;

	missing = VF_REQUIRED & ~(v->present | v->invalid);
	if (HAS(v, VF_COMM) && !str_ok(v, v->comm))
		not_utf8 |= VF_BIT(VF_COMM);
	if (HAS(v, VF_EXE) && !str_ok(v, v->exe))
		not_utf8 |= VF_BIT(VF_EXE);
	if (HAS(v, VF_SUBJ) && !str_ok(v, v->subj))
		not_utf8 |= VF_BIT(VF_SUBJ);
	if (HAS(v, VF_CODE))
		vd = verdict_of(v->code);
	if (HAS(v, VF_ARCH)) {
		arch = systab_arch_name(v->arch, HAS(v, VF_SYSCALL) ?
		    v->syscall : 0);
		if (HAS(v, VF_SYSCALL))
			sysname = systab_syscall_name(v->arch, v->syscall);
	}

	obuf_put(b, "{\"@timestamp\":", 14);
	obuf_put_timestamp(b, v->time_sec, v->time_msec);
	obuf_puts(b, ",\"ecs\":{\"version\":\"" EVENT_ECS_VERSION "\"}");

	obuf_puts(b, ",\"event\":{\"kind\":\"event\",\"category\":[\"process\"]"
	    ",\"type\":[\"");
	obuf_puts(b, vd ? vd->type : "info");
	obuf_puts(b, "\"],\"action\":\"" EVENT_ACTION "\",\"outcome\":\"");
	obuf_puts(b, vd ? vd->outcome : "unknown");
	obuf_puts(b, "\",\"sequence\":");
	obuf_put_u64(b, v->serial);
	if (missing || v->invalid || not_utf8 ||
	    (ctx->flags & EVENT_ORIGINAL)) {
		obuf_puts(b, ",\"original\":");
		obuf_put_jstr(b, raw, raw_len);
	}
	obuf_putc(b, '}');

	if (ctx->host != NULL) {
		obuf_puts(b, ",\"host\":{\"name\":");
		obuf_put_jstr(b, ctx->host, ctx->host_len);
		obuf_putc(b, '}');
	}

	if (v->present & (VF_BIT(VF_PID) | VF_BIT(VF_COMM) | VF_BIT(VF_EXE))) {
		obuf_puts(b, ",\"process\":{");
		first = 1;
		if (HAS(v, VF_PID)) {
			key(b, &first, "pid");
			obuf_put_u64(b, (uint64_t)v->pid);
		}
		if (HAS(v, VF_COMM)) {
			key(b, &first, "name");
			put_vstr(b, v, v->comm);
		}
		/* exe=(null) is present but empty: no executable. */
		if (HAS(v, VF_EXE) && v->exe.len > 0) {
			key(b, &first, "executable");
			put_vstr(b, v, v->exe);
		}
		obuf_putc(b, '}');
	}

	if (v->present & (VF_BIT(VF_UID) | VF_BIT(VF_GID) | VF_BIT(VF_AUID))) {
		obuf_puts(b, ",\"user\":{");
		first = 1;
		if (HAS(v, VF_UID)) {
			key(b, &first, "id");
			put_id_string(b, v->uid);
		}
		if (HAS(v, VF_GID)) {
			key(b, &first, "group");
			obuf_puts(b, "{\"id\":");
			put_id_string(b, v->gid);
			obuf_putc(b, '}');
		}
		if (HAS(v, VF_AUID) && v->auid != UNSET_ID) {
			key(b, &first, "audit");
			obuf_puts(b, "{\"id\":");
			put_id_string(b, v->auid);
			obuf_putc(b, '}');
		}
		obuf_putc(b, '}');
	}

	if (!(v->present & SECCOMP_FIELDS))
		goto no_seccomp;
	obuf_puts(b, ",\"seccomp\":{");
	first = 1;
	if (vd != NULL) {
		key(b, &first, "action");
		obuf_putc(b, '"');
		obuf_puts(b, vd->action);
		obuf_putc(b, '"');
	}
	if (HAS(v, VF_SYSCALL)) {
		key(b, &first, "syscall");
		obuf_putc(b, '{');
		if (sysname != NULL) {
			obuf_puts(b, "\"name\":\"");
			obuf_puts(b, sysname);
			obuf_puts(b, "\",");
		}
		obuf_puts(b, "\"number\":");
		obuf_put_i64(b, v->syscall);
		obuf_putc(b, '}');
	}
	if (HAS(v, VF_ARCH)) {
		key(b, &first, "arch");
		obuf_putc(b, '"');
		if (arch != NULL)
			obuf_puts(b, arch);
		else {
			/* Unknown: the value as recorded, %x. */
			static const char hx[] = "0123456789abcdef";
			char tmp[8];
			int i = 8;
			uint32_t a = v->arch;

			do {
				tmp[--i] = hx[a & 0xf];
				a >>= 4;
			} while (a != 0);
			obuf_put(b, tmp + i, (size_t)(8 - i));
		}
		obuf_putc(b, '"');
	}
	if (HAS(v, VF_COMPAT)) {
		key(b, &first, "compat");
		obuf_puts(b, v->compat ? "true" : "false");
	}
	if (HAS(v, VF_SIG) && v->sig != 0) {
		key(b, &first, "signal");
		obuf_puts(b, "{\"number\":");
		obuf_put_i64(b, v->sig);
		if ((signame = signal_name(v->sig)) != NULL) {
			obuf_puts(b, ",\"name\":\"");
			obuf_puts(b, signame);
			obuf_putc(b, '"');
		}
		obuf_putc(b, '}');
	}
	if (HAS(v, VF_CODE)) {
		key(b, &first, "code");
		put_vstr(b, v, v->code_text);
	}
	if (HAS(v, VF_IP)) {
		key(b, &first, "ip");
		put_vstr(b, v, v->ip_text);
	}
	obuf_putc(b, '}');
no_seccomp:

	if ((HAS(v, VF_SES) && v->ses != UNSET_ID) || HAS(v, VF_SUBJ)) {
		obuf_puts(b, ",\"auditd\":{");
		first = 1;
		if (HAS(v, VF_SES) && v->ses != UNSET_ID) {
			key(b, &first, "session");
			put_id_string(b, v->ses);
		}
		if (HAS(v, VF_SUBJ)) {
			key(b, &first, "subj");
			put_vstr(b, v, v->subj);
		}
		obuf_putc(b, '}');
	}

	if (ctx->self_pid != 0 && HAS(v, VF_PID) && v->pid == ctx->self_pid)
		obuf_puts(b, ",\"seccompmon\":{\"self\":true}");

	damaged = missing || v->invalid || not_utf8;
	if (damaged)
		put_error(b, missing, v->invalid, not_utf8);
	obuf_put(b, "}\n", 2);

	if (obuf_failed(b)) {
		obuf_truncate(b, start);
		errno = ENOMEM;
		return -1;
	}
	return damaged ? 1 : 0;
}
