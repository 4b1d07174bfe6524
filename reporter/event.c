/*
 * The JSON event.  Fields are written in a fixed order by hand rather than
 * through a DOM (json-c): building and freeing twenty objects per record
 * costs more than the whole decode, and the order makes lines diffable.
 * One static function per ECS object, in the order of docs/events.md.
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

/*
 * ,"key": with the comma only when something came before in the object.
 * KEY() quotes a literal key at compile time: one fixed-size copy.
 */
static inline void
key_put(struct obuf *b, int *first, const char *qk, size_t n)
{
	if (!*first)
		obuf_putc(b, ',');
	*first = 0;
	obuf_put(b, qk, n);
}
#define KEY(b, first, k) key_put((b), (first), "\"" k "\":", sizeof(k) + 2)

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

/*
 * A string field of the record.  Returns VF_BIT(f) when bytes that were not
 * UTF-8 had to be replaced, else 0: the one scan that escapes the string
 * is also the one that judges it.
 */
static uint32_t
put_vstr(struct obuf *b, const struct violation *v, struct vstr s,
    enum violation_field f)
{
	return obuf_put_jstr(b, violation_str(v, s), s.len) ? VF_BIT(f) : 0;
}

/* A string of the decoder's "0x" and hex digits, quoted. */
static void
put_hex_text(struct obuf *b, const struct violation *v, struct vstr s)
{
	obuf_putc(b, '"');
	obuf_put(b, violation_str(v, s), s.len);
	obuf_putc(b, '"');
}

static void
put_id_string(struct obuf *b, uint32_t id)
{
	obuf_putc(b, '"');
	obuf_put_u64(b, id);
	obuf_putc(b, '"');
}

/*
 * The event object, left open (no closing brace) so that event.original can
 * still be added after it when a later string turns out not to be UTF-8.
 * raw: event.original now, or NULL.
 */
static void
put_event(struct obuf *b, const struct violation *v,
    const struct verdict *vd, const char *raw, size_t raw_len)
{
	obuf_puts(b, ",\"event\":{\"kind\":\"event\",\"category\":["
	    EVENT_CATEGORY "],\"type\":[\"");
	obuf_puts(b, vd ? vd->type : "info");
	obuf_puts(b, "\"],\"action\":\"" EVENT_ACTION "\",\"outcome\":\"");
	obuf_puts(b, vd ? vd->outcome : "unknown");
	obuf_puts(b, "\",\"module\":\"" EVENT_MODULE "\",\"dataset\":\""
	    EVENT_DATASET "\",\"sequence\":");
	obuf_put_u64(b, v->serial);
	if (raw != NULL) {
		obuf_puts(b, ",\"original\":");
		obuf_put_jstr(b, raw, raw_len);
	}
}

/*
 * Add ,"original":RAW at offset at, before the bytes written since.  The
 * buffer's own spare room holds the moved bytes for a moment, so a damaged
 * record costs one copy of the event's tail and no allocation of its own.
 */
static void
insert_original(struct obuf *b, size_t at, const char *raw, size_t raw_len)
{
	size_t tail = b->len - at, ins;

	obuf_puts(b, ",\"original\":");
	obuf_put_jstr(b, raw, raw_len);
	ins = b->len - at - tail;
	if (obuf_reserve(b, tail) < 0)
		return;
	memcpy(b->data + b->len, b->data + at, tail);
	memmove(b->data + at, b->data + at + tail, ins);
	memcpy(b->data + at + ins, b->data + b->len, tail);
}

/* Whether the host name had bytes that were not UTF-8 replaced. */
static int
put_host(struct obuf *b, const struct event_ctx *ctx)
{
	int replaced;

	if (ctx->host == NULL)
		return 0;
	obuf_puts(b, ",\"host\":{\"name\":");
	replaced = obuf_put_jstr(b, ctx->host, ctx->host_len) != 0;
	obuf_putc(b, '}');
	return replaced;
}

/*
 * The arguments joined by blanks as one JSON string: each escaped on its
 * own (obuf_put_jstr() quotes it), the quotes between them taken out.
 */
static void
put_joined(struct obuf *b, const char *args, size_t len, uint32_t nargs)
{
	size_t at, n;
	uint32_t i;

	obuf_putc(b, '"');
	for (i = 0; i < nargs && len > 0; i++) {
		n = strnlen(args, len);
		if (i > 0)
			obuf_putc(b, ' ');
		at = b->len;
		(void)obuf_put_jstr(b, args, n);
		if (obuf_failed(b))
			return;
		memmove(b->data + at, b->data + at + 1, b->len - at - 2);
		b->len -= 2;
		if (n == len)
			break;
		args += n + 1;
		len -= n + 1;
	}
	obuf_putc(b, '"');
}

static void
put_args(struct obuf *b, int *first, const struct event_proc *p)
{
	const char *a = p->args;
	size_t len = p->args_len, n;
	uint32_t i;

	KEY(b, first, "args");
	obuf_putc(b, '[');
	for (i = 0; i < p->nargs && len > 0; i++) {
		n = strnlen(a, len);
		if (i > 0)
			obuf_putc(b, ',');
		(void)obuf_put_jstr(b, a, n);
		if (n == len)
			break;
		a += n + 1;
		len -= n + 1;
	}
	obuf_putc(b, ']');
	KEY(b, first, "args_count");
	obuf_put_u64(b, p->nargs);
	KEY(b, first, "command_line");
	put_joined(b, p->args, p->args_len, p->nargs);
}

static void
put_time_ms(struct obuf *b, int64_t ms);

/* Returns the VF_BIT()s of strings that were not UTF-8. */
static uint32_t
put_process(struct obuf *b, const struct violation *v,
    const struct event_proc *p)
{
	uint32_t not_utf8 = 0;
	int first = 1;

	if (!(v->present & (VF_BIT(VF_PID) | VF_BIT(VF_COMM) |
	    VF_BIT(VF_EXE))))
		return 0;
	obuf_puts(b, ",\"process\":{");
	if (HAS(v, VF_PID)) {
		KEY(b, &first, "pid");
		obuf_put_u64(b, (uint64_t)v->pid);
	}
	if (HAS(v, VF_COMM)) {
		KEY(b, &first, "name");
		not_utf8 |= put_vstr(b, v, v->comm, VF_COMM);
	}
	/* exe=(null) is present but empty: no executable. */
	if (HAS(v, VF_EXE) && v->exe.len > 0) {
		KEY(b, &first, "executable");
		not_utf8 |= put_vstr(b, v, v->exe, VF_EXE);
	}
	if (p == NULL) {
		obuf_putc(b, '}');
		return not_utf8;
	}
	/* From /proc: never the record's damage, so never counted in it. */
	if (p->nargs > 0)
		put_args(b, &first, p);
	if (p->cwd != NULL) {
		KEY(b, &first, "working_directory");
		(void)obuf_put_jstr(b, p->cwd, p->cwd_len);
	}
	if (p->start_ms >= 0) {
		KEY(b, &first, "start");
		put_time_ms(b, p->start_ms);
	}
	if (p->ppid >= 0) {
		KEY(b, &first, "parent");
		obuf_puts(b, "{\"pid\":");
		obuf_put_u64(b, (uint64_t)p->ppid);
		obuf_putc(b, '}');
	}
	obuf_putc(b, '}');
	return not_utf8;
}

static void
put_user(struct obuf *b, const struct violation *v,
    const struct event_proc *p)
{
	int first = 1;

	if (!(v->present & (VF_BIT(VF_UID) | VF_BIT(VF_GID))))
		return;
	obuf_puts(b, ",\"user\":{");
	if (HAS(v, VF_UID)) {
		KEY(b, &first, "id");
		put_id_string(b, v->uid);
		if (p != NULL && p->user_name != NULL) {
			KEY(b, &first, "name");
			(void)obuf_put_jstr(b, p->user_name, p->user_name_len);
		}
	}
	if (HAS(v, VF_GID)) {
		KEY(b, &first, "group");
		obuf_puts(b, "{\"id\":");
		put_id_string(b, v->gid);
		if (p != NULL && p->group_name != NULL) {
			obuf_puts(b, ",\"name\":");
			(void)obuf_put_jstr(b, p->group_name,
			    p->group_name_len);
		}
		obuf_putc(b, '}');
	}
	obuf_putc(b, '}');
}

/* service, container and orchestrator: where the process runs. */
static void
put_place(struct obuf *b, const struct event_proc *p)
{
	int first = 1;

	if (p == NULL)
		return;
	if (p->service != NULL) {
		obuf_puts(b, ",\"service\":{\"name\":");
		(void)obuf_put_jstr(b, p->service, strlen(p->service));
		obuf_putc(b, '}');
	}
	if (p->container_id != NULL) {
		obuf_puts(b, ",\"container\":{\"id\":");
		(void)obuf_put_jstr(b, p->container_id,
		    strlen(p->container_id));
		if (p->container_runtime != NULL) {
			obuf_puts(b, ",\"runtime\":");
			(void)obuf_put_jstr(b, p->container_runtime,
			    strlen(p->container_runtime));
		}
		obuf_putc(b, '}');
	}
	if (p->pod_uid == NULL)
		return;
	obuf_puts(b, ",\"orchestrator\":{\"type\":\"kubernetes\"");
	if (p->pod_namespace != NULL) {
		obuf_puts(b, ",\"namespace\":");
		(void)obuf_put_jstr(b, p->pod_namespace,
		    strlen(p->pod_namespace));
	}
	obuf_puts(b, ",\"resource\":{");
	KEY(b, &first, "type");
	obuf_puts(b, "\"pod\"");
	KEY(b, &first, "id");
	(void)obuf_put_jstr(b, p->pod_uid, strlen(p->pod_uid));
	if (p->pod_name != NULL) {
		KEY(b, &first, "name");
		(void)obuf_put_jstr(b, p->pod_name, strlen(p->pod_name));
	}
	obuf_puts(b, "}}");
}

/* The architecture's name, or the value as recorded (%x) when unknown. */
static void
put_arch(struct obuf *b, const struct violation *v)
{
	static const char hx[] = "0123456789abcdef";
	const char *name;
	char tmp[8];
	int i = 8;
	uint32_t a = v->arch;

	obuf_putc(b, '"');
	name = systab_arch_name(v->arch, HAS(v, VF_SYSCALL) ? v->syscall : 0);
	if (name != NULL)
		obuf_puts(b, name);
	else {
		do {
			tmp[--i] = hx[a & 0xf];
			a >>= 4;
		} while (a != 0);
		obuf_put(b, tmp + i, (size_t)(8 - i));
	}
	obuf_putc(b, '"');
}

static void
put_seccomp(struct obuf *b, const struct violation *v,
    const struct verdict *vd)
{
	const char *name;
	int first = 1;

	if (!(v->present & SECCOMP_FIELDS))
		return;
	obuf_puts(b, ",\"seccomp\":{");
	if (vd != NULL) {
		KEY(b, &first, "action");
		obuf_putc(b, '"');
		obuf_puts(b, vd->action);
		obuf_putc(b, '"');
	}
	if (HAS(v, VF_SYSCALL)) {
		KEY(b, &first, "syscall");
		obuf_putc(b, '{');
		/* Named from the table of the record's own architecture. */
		if (HAS(v, VF_ARCH) && (name = systab_syscall_name(v->arch,
		    v->syscall)) != NULL) {
			obuf_puts(b, "\"name\":\"");
			obuf_puts(b, name);
			obuf_puts(b, "\",");
		}
		obuf_puts(b, "\"number\":");
		obuf_put_i64(b, v->syscall);
		obuf_putc(b, '}');
	}
	if (HAS(v, VF_ARCH)) {
		KEY(b, &first, "arch");
		put_arch(b, v);
	}
	if (HAS(v, VF_COMPAT)) {
		KEY(b, &first, "compat");
		obuf_puts(b, v->compat ? "true" : "false");
	}
	if (HAS(v, VF_SIG) && v->sig != 0) {
		KEY(b, &first, "signal");
		obuf_puts(b, "{\"number\":");
		obuf_put_i64(b, v->sig);
		if ((name = signal_name(v->sig)) != NULL) {
			obuf_puts(b, ",\"name\":\"");
			obuf_puts(b, name);
			obuf_putc(b, '"');
		}
		obuf_putc(b, '}');
	}
	/*
	 * code= and ip= are "0x" and hex digits once decoded (hex0x_put()
	 * checked every byte): nothing to escape, copied as they are.
	 */
	if (HAS(v, VF_CODE)) {
		KEY(b, &first, "code");
		put_hex_text(b, v, v->code_text);
	}
	if (HAS(v, VF_IP)) {
		KEY(b, &first, "ip");
		put_hex_text(b, v, v->ip_text);
	}
	obuf_putc(b, '}');
}

/* Returns the VF_BIT()s of strings that were not UTF-8. */
static uint32_t
put_auditd(struct obuf *b, const struct violation *v,
    const struct event_proc *p)
{
	uint32_t not_utf8 = 0;
	int first = 1, auid, ses;

	auid = HAS(v, VF_AUID) && v->auid != UNSET_ID;
	ses = HAS(v, VF_SES) && v->ses != UNSET_ID;
	if (!auid && !ses && !HAS(v, VF_SUBJ))
		return 0;
	obuf_puts(b, ",\"auditd\":{");
	if (auid) {
		KEY(b, &first, "auid");
		put_id_string(b, v->auid);
		if (p != NULL && p->auid_name != NULL) {
			KEY(b, &first, "auid_name");
			(void)obuf_put_jstr(b, p->auid_name, p->auid_name_len);
		}
	}
	if (ses) {
		KEY(b, &first, "session");
		put_id_string(b, v->ses);
	}
	if (HAS(v, VF_SUBJ)) {
		KEY(b, &first, "subj");
		not_utf8 |= put_vstr(b, v, v->subj, VF_SUBJ);
	}
	obuf_putc(b, '}');
	return not_utf8;
}

/*
 * seccompmon.context: how the process context was had; seccompmon.self:
 * the record is of the daemon itself.
 */
static void
put_seccompmon(struct obuf *b, const struct violation *v,
    const struct event_ctx *ctx)
{
	const struct event_proc *p = ctx->proc;
	int first = 1, self;

	self = ctx->self_pid != 0 && HAS(v, VF_PID) && v->pid == ctx->self_pid;
	if (!self && (p == NULL || p->source == NULL))
		return;
	obuf_puts(b, ",\"seccompmon\":{");
	if (p != NULL && p->source != NULL) {
		KEY(b, &first, "context");
		obuf_putc(b, '"');
		obuf_puts(b, p->source);
		obuf_putc(b, '"');
		if (p->args_truncated) {
			KEY(b, &first, "args_truncated");
			obuf_puts(b, "true");
		}
		if (p->cgroup != NULL) {
			KEY(b, &first, "cgroup");
			(void)obuf_put_jstr(b, p->cgroup, strlen(p->cgroup));
		}
	}
	if (self) {
		KEY(b, &first, "self");
		obuf_puts(b, "true");
	}
	obuf_putc(b, '}');
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

/*
 * node_not_utf8: the record's node= (a replayed line's host) was not
 * UTF-8; it is listed with the fields, under its name in the log line.
 */
static void
put_error(struct obuf *b, const struct violation *v, uint32_t missing,
    uint32_t not_utf8, int node_not_utf8)
{
	const char *sep = "";

	/* Built from field names only: no record text, so no escaping. */
	obuf_put(b, ",\"error\":{\"message\":\"", 21);
	if (missing) {
		obuf_puts(b, "missing field(s): ");
		put_field_list(b, missing);
		sep = "; ";
	}
	if (v->invalid) {
		obuf_puts(b, sep);
		obuf_puts(b, "malformed field(s): ");
		put_field_list(b, v->invalid);
		sep = "; ";
	}
	if (v->misquoted) {
		obuf_puts(b, sep);
		obuf_puts(b, "quoted with bytes the kernel hex-encodes: ");
		put_field_list(b, v->misquoted);
		sep = "; ";
	}
	if (not_utf8 || node_not_utf8) {
		obuf_puts(b, sep);
		obuf_puts(b, "not UTF-8, bytes replaced by U+FFFD: ");
		put_field_list(b, not_utf8);
		if (node_not_utf8)
			obuf_puts(b, not_utf8 ? ", node" : "node");
	}
	obuf_puts(b, " (see event.original)\"}");
}

int
event_encode(struct obuf *b, const struct violation *v, const char *raw,
    size_t raw_len, const struct event_ctx *ctx)
{
	const struct verdict *vd = NULL;
	uint32_t missing, not_utf8;
	size_t start = b->len, at;
	int original, damaged, node_not_utf8;

	missing = VF_REQUIRED & ~(v->present | v->invalid);
	if (HAS(v, VF_CODE))
		vd = verdict_of(v->code);
	/* Known damage, or asked for: event.original in its place now. */
	original = missing || v->invalid || v->misquoted ||
	    (ctx->flags & EVENT_ORIGINAL);

	obuf_put(b, "{\"@timestamp\":", 14);
	obuf_put_timestamp(b, v->time_sec, v->time_msec);
	obuf_puts(b, ",\"ecs\":{\"version\":\"" EVENT_ECS_VERSION "\"}");
	put_event(b, v, vd, original ? raw : NULL, raw_len);
	at = b->len;
	obuf_putc(b, '}');
	node_not_utf8 = put_host(b, ctx) && (ctx->flags & EVENT_HOST_NODE);
	not_utf8 = put_process(b, v, ctx->proc);
	put_user(b, v, ctx->proc);
	put_place(b, ctx->proc);
	put_seccomp(b, v, vd);
	not_utf8 |= put_auditd(b, v, ctx->proc);
	put_seccompmon(b, v, ctx);
	if ((not_utf8 || node_not_utf8) && !original && !obuf_failed(b))
		insert_original(b, at, raw, raw_len);
	damaged = missing || v->invalid || v->misquoted || not_utf8 ||
	    node_not_utf8;
	if (damaged)
		put_error(b, v, missing, not_utf8, node_not_utf8);
	obuf_put(b, "}\n", 2);

	if (obuf_failed(b)) {
		obuf_truncate(b, start);
		errno = ENOMEM;
		return -1;
	}
	return damaged ? 1 : 0;
}

/* A wall-clock time in ms since the epoch, as RFC 3339 with ms. */
static void
put_time_ms(struct obuf *b, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	obuf_put_timestamp(b, (uint64_t)(ms / 1000), (uint32_t)(ms % 1000));
}

/* One reason, when it counted anything. */
static void
put_reason(struct obuf *b, int *first, const char *k, uint64_t n)
{
	if (n == 0)
		return;
	key(b, first, k);
	obuf_put_u64(b, n);
}

int
event_encode_lost(struct obuf *b, const struct event_lost *l,
    const struct event_ctx *ctx)
{
	size_t start = b->len, i;
	int first = 1;

	obuf_put(b, "{\"@timestamp\":", 14);
	put_time_ms(b, l->end_ms);
	obuf_puts(b, ",\"ecs\":{\"version\":\"" EVENT_ECS_VERSION "\"}");
	/* docs/events.md says why kind event, type info, outcome failure. */
	obuf_puts(b, ",\"event\":{\"kind\":\"event\",\"category\":["
	    EVENT_CATEGORY "],\"type\":[\"info\"],\"action\":\""
	    EVENT_ACTION_LOST "\",\"outcome\":\"failure\",\"module\":\""
	    EVENT_MODULE "\",\"dataset\":\"" EVENT_DATASET "\",\"start\":");
	put_time_ms(b, l->start_ms);
	obuf_puts(b, ",\"end\":");
	put_time_ms(b, l->end_ms);
	obuf_putc(b, '}');
	(void)put_host(b, ctx);
	obuf_puts(b, ",\"seccompmon\":{\"lost\":{\"count\":");
	obuf_put_u64(b, l->kernel_lost + l->socket_dropped + l->bad_datagrams +
	    l->malformed + l->nomem);
	obuf_puts(b, ",\"reasons\":{");
	put_reason(b, &first, "kernel_lost", l->kernel_lost);
	put_reason(b, &first, "socket_dropped", l->socket_dropped);
	put_reason(b, &first, "enobufs_overflows", l->enobufs);
	put_reason(b, &first, "bad_datagrams", l->bad_datagrams);
	put_reason(b, &first, "malformed", l->malformed);
	put_reason(b, &first, "nomem", l->nomem);
	obuf_putc(b, '}');
	first = 1;
	for (i = 0; i < l->noutputs; i++) {
		if (l->outputs[i].count == 0)
			continue;
		obuf_puts(b, first ? ",\"outputs\":[" : ",");
		first = 0;
		obuf_puts(b, "{\"name\":");
		(void)obuf_put_jstr(b, l->outputs[i].name,
		    strlen(l->outputs[i].name));
		obuf_puts(b, ",\"count\":");
		obuf_put_u64(b, l->outputs[i].count);
		obuf_putc(b, '}');
	}
	if (!first)
		obuf_putc(b, ']');
	obuf_puts(b, "}}}\n");

	if (obuf_failed(b)) {
		obuf_truncate(b, start);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* "k":n, with the comma when something came before. */
static void
put_count(struct obuf *b, int *first, const char *k, uint64_t n)
{
	key(b, first, k);
	obuf_put_u64(b, n);
}

/* One of seccompmon.stats.interval and .total: counters, then outputs. */
static void
put_stats_counts(struct obuf *b, const char *name,
    const struct event_stats_counts *c, const struct event_stats *s,
    int total)
{
	const struct event_stats_output *o;
	int first = 1;
	size_t i;

	obuf_putc(b, '"');
	obuf_puts(b, name);
	obuf_put(b, "\":{", 3);
	put_count(b, &first, "received", c->received);
	put_count(b, &first, "emitted", c->emitted);
	put_count(b, &first, "incomplete", c->incomplete);
	put_count(b, &first, "summarized", c->summarized);
	put_count(b, &first, "summaries", c->summaries);
	put_count(b, &first, "self", c->self);
	obuf_puts(b, ",\"lost\":{");
	first = 1;
	put_count(b, &first, "kernel_lost", c->kernel_lost);
	put_count(b, &first, "socket_dropped", c->socket_dropped);
	put_count(b, &first, "bad_datagrams", c->bad_datagrams);
	put_count(b, &first, "enobufs_overflows", c->enobufs);
	put_count(b, &first, "malformed", c->malformed);
	put_count(b, &first, "nomem", c->nomem);
	obuf_puts(b, "},\"outputs\":[");
	for (i = 0; i < s->noutputs; i++) {
		o = &s->outputs[i];
		if (i > 0)
			obuf_putc(b, ',');
		obuf_puts(b, "{\"name\":");
		(void)obuf_put_jstr(b, o->name, strlen(o->name));
		obuf_puts(b, ",\"written\":");
		obuf_put_u64(b, total ? o->total_written : o->written);
		obuf_puts(b, ",\"lost\":");
		obuf_put_u64(b, total ? o->total_lost : o->lost);
		obuf_putc(b, '}');
	}
	obuf_puts(b, "]}");
}

int
event_encode_stats(struct obuf *b, const struct event_stats *s,
    const struct event_ctx *ctx)
{
	size_t start = b->len;

	obuf_put(b, "{\"@timestamp\":", 14);
	put_time_ms(b, s->end_ms);
	obuf_puts(b, ",\"ecs\":{\"version\":\"" EVENT_ECS_VERSION "\"}");
	/* A measurement: no category, type or outcome (docs/events.md). */
	obuf_puts(b, ",\"event\":{\"kind\":\"metric\",\"action\":\""
	    EVENT_ACTION_STATS "\",\"module\":\"" EVENT_MODULE "\","
	    "\"dataset\":\"" EVENT_DATASET_STATS "\",\"start\":");
	put_time_ms(b, s->start_ms);
	obuf_puts(b, ",\"end\":");
	put_time_ms(b, s->end_ms);
	obuf_putc(b, '}');
	(void)put_host(b, ctx);
	obuf_puts(b, ",\"seccompmon\":{\"stats\":{");
	put_stats_counts(b, "interval", &s->interval, s, 0);
	obuf_putc(b, ',');
	put_stats_counts(b, "total", &s->total, s, 1);
	obuf_puts(b, "}}}\n");

	if (obuf_failed(b)) {
		obuf_truncate(b, start);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}
