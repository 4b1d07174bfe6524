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

/* ---- Monitoring gaps ---- */

static const char *const gap_reason_names[EVENT_GAP_REASONS] = {
	"actions_not_logged", "audit_rate_limit", "audit_backlog_small",
	"audit_disabled_at_boot", "filters_may_not_log",
	"multicast_not_registered",
};

/*
 * What to do, per reason.  docs/events.md lists the same texts, and the
 * unit test holds the two together.
 */
static const char *const gap_remedies[EVENT_GAP_REASONS] = {
	"List every action: sysctl -w kernel.seccomp.actions_logged=\""
	    "kill_process kill_thread trap errno user_notif trace log\", and "
	    "the same in a file under /etc/sysctl.d to keep it after a reboot.",
	"Set the rate limit to 0 (auditctl -r 0, and -r 0 in the audit "
	    "rules); seccompmon's storm control limits a flood of violations "
	    "without losing their count.",
	"Raise it to 8192 or more: auditctl -b 8192 (and -b 8192 in the "
	    "audit rules); a unicast seccompmon raises it to "
	    "audit.backlog_limit itself.",
	"Remove audit=0 from the kernel command line and reboot.",
	"Load filters with SECCOMP_FILTER_FLAG_LOG (libseccomp: "
	    "SCMP_FLTATR_CTL_LOG; an OCI profile: \"flags\": "
	    "[\"SECCOMP_FILTER_FLAG_LOG\"], runc 1.2 or later), or deny with "
	    "a kill action, which is always logged.",
	"Watch the kernel's lost counter (auditctl -s, or the audit "
	    "daemon's own reports), or run seccompmon in unicast mode, where "
	    "it reports that counter as kernel_lost; seccompmon's own drops "
	    "are counted exactly either way (socket_dropped).",
};

const char *
event_gap_reason_name(enum event_gap_reason r)
{
	return (unsigned)r < EVENT_GAP_REASONS ? gap_reason_names[r] : NULL;
}

/* Words joined by sep. */
static void
put_words(struct obuf *b, const char *const *w, size_t n, const char *sep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			obuf_puts(b, sep);
		obuf_puts(b, w[i]);
	}
}

void
event_gap_message(struct obuf *m, const struct event_gap *g)
{
	const char *startup = g->audit_as_of_startup ? " (as of start-up)" :
	    "", *within = g->audit_as_of_startup ? ", as of start-up" : "";

	if ((unsigned)g->reason >= EVENT_GAP_REASONS)
		return;
	switch (g->reason) {
	case EVENT_GAP_ACTIONS_NOT_LOGGED:
		obuf_puts(m, "The kernel writes no record of the seccomp "
		    "action(s) ");
		put_words(m, g->actions_missing, g->nactions_missing, ", ");
		obuf_puts(m, ": kernel.seccomp.actions_logged does not list "
		    "them.");
		break;
	case EVENT_GAP_AUDIT_RATE_LIMIT:
		obuf_puts(m, "The kernel drops audit records beyond ");
		obuf_put_u64(m, g->rate_limit);
		obuf_puts(m, " a second (audit rate_limit");
		obuf_puts(m, within);
		obuf_puts(m, "), SECCOMP records among them, and counts them "
		    "only in its lost counter.");
		break;
	case EVENT_GAP_AUDIT_BACKLOG_SMALL:
		obuf_puts(m, "The kernel queues at most ");
		obuf_put_u64(m, g->backlog_limit);
		obuf_puts(m, " audit records for delivery (audit "
		    "backlog_limit");
		obuf_puts(m, within);
		obuf_puts(m, "); a burst beyond that is dropped or makes the "
		    "audited tasks wait.");
		if (g->peak_rate > 0) {
			obuf_puts(m, " seccompmon has received ");
			obuf_put_u64(m, g->peak_rate);
			obuf_puts(m, " SECCOMP records in one second.");
		}
		break;
	case EVENT_GAP_AUDIT_DISABLED_AT_BOOT:
		obuf_puts(m, "Audit was disabled at boot (audit=0 on the "
		    "kernel command line): the kernel makes no audit record at "
		    "all, SECCOMP records included.");
		break;
	case EVENT_GAP_FILTERS_MAY_NOT_LOG:
		obuf_put_u64(m, g->processes);
		obuf_puts(m, g->processes == 1 ? " process runs" :
		    " processes run");
		obuf_puts(m, " under seccomp filters whose errno, trap, trace "
		    "and user_notif denials are logged only if the filter was "
		    "loaded with SECCOMP_FILTER_FLAG_LOG, which cannot be read "
		    "from outside the process; the default profiles of Docker "
		    "and containerd do not set it.");
		break;
	case EVENT_GAP_MULTICAST_NOT_REGISTERED:
	default:
		obuf_puts(m, "seccompmon reads the multicast copy of audit "
		    "records");
		if (g->audit_unknown) {
			obuf_puts(m, " and could not read the audit status at "
			    "start-up (CAP_AUDIT_CONTROL): records the kernel "
			    "cannot queue (backlog full, rate limit) are "
			    "counted only in its lost counter, which "
			    "seccompmon cannot read.");
			break;
		}
		if (g->audit_pid == 0) {
			obuf_puts(m, " and no audit daemon is registered");
			obuf_puts(m, startup);
			obuf_puts(m, ": the kernel also writes every record to "
			    "its own log, and records it cannot queue (backlog "
			    "full, rate limit) are counted only in its lost "
			    "counter, which seccompmon cannot read.");
			break;
		}
		obuf_puts(m, "; audit daemon pid ");
		obuf_put_u64(m, g->audit_pid);
		if (g->audit_daemon != NULL) {
			obuf_puts(m, " (");
			obuf_puts(m, g->audit_daemon);
			obuf_putc(m, ')');
		}
		obuf_puts(m, " receives them by unicast");
		obuf_puts(m, startup);
		obuf_puts(m, ": records the kernel cannot queue for it "
		    "(backlog full, rate limit) are lost to seccompmon too and "
		    "counted only in the kernel's lost counter, which "
		    "seccompmon cannot read.");
		break;
	}
}

/* ,"k":["a","b"] */
static void
put_word_array(struct obuf *b, int *first, const char *k,
    const char *const *w, size_t n)
{
	size_t i;

	key(b, first, k);
	obuf_putc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			obuf_putc(b, ',');
		(void)obuf_put_jstr(b, w[i], strlen(w[i]));
	}
	obuf_putc(b, ']');
}

/* ,"k":"s" when s is not NULL. */
static void
put_opt_str(struct obuf *b, int *first, const char *k, const char *s)
{
	if (s == NULL)
		return;
	key(b, first, k);
	(void)obuf_put_jstr(b, s, strlen(s));
}

static void
put_gap_group(struct obuf *b, const struct event_gap_group *gr)
{
	size_t i;
	int first = 1;

	obuf_putc(b, '{');
	if (gr->cgroup != NULL) {
		KEY(b, &first, "cgroup");
		(void)obuf_put_jstr(b, gr->cgroup, gr->cgroup_len);
	}
	put_opt_str(b, &first, "service", gr->service);
	put_opt_str(b, &first, "container_id", gr->container_id);
	put_opt_str(b, &first, "container_runtime", gr->container_runtime);
	put_opt_str(b, &first, "pod_uid", gr->pod_uid);
	if (gr->name != NULL) {
		KEY(b, &first, "name");
		(void)obuf_put_jstr(b, gr->name, gr->name_len);
	}
	KEY(b, &first, "count");
	obuf_put_u64(b, gr->count);
	if (gr->npids > 0) {
		KEY(b, &first, "pids");
		obuf_putc(b, '[');
		for (i = 0; i < gr->npids; i++) {
			if (i > 0)
				obuf_putc(b, ',');
			obuf_put_i64(b, gr->pids[i]);
		}
		obuf_putc(b, ']');
	}
	if (gr->logs_seen)
		obuf_puts(b, ",\"logs_seen\":true");
	obuf_putc(b, '}');
}

/* seccompmon.gap.audit: the audit status values this reason rests on. */
static void
put_gap_audit(struct obuf *b, int *first, const struct event_gap *g)
{
	int f = 1;

	key(b, first, "audit");
	obuf_putc(b, '{');
	switch (g->reason) {
	case EVENT_GAP_AUDIT_RATE_LIMIT:
		put_count(b, &f, "rate_limit", g->rate_limit);
		break;
	case EVENT_GAP_AUDIT_BACKLOG_SMALL:
		put_count(b, &f, "backlog_limit", g->backlog_limit);
		if (g->peak_rate > 0)
			put_count(b, &f, "peak_rate", g->peak_rate);
		break;
	default:
		put_count(b, &f, "pid", g->audit_pid);
		if (g->audit_daemon != NULL) {
			KEY(b, &f, "daemon");
			(void)obuf_put_jstr(b, g->audit_daemon,
			    strlen(g->audit_daemon));
		}
		break;
	}
	if (g->audit_as_of_startup) {
		KEY(b, &f, "as_of_startup");
		obuf_puts(b, "true");
	}
	obuf_putc(b, '}');
}

int
event_encode_gap(struct obuf *b, const struct event_gap *g,
    const struct event_ctx *ctx)
{
	struct obuf m;
	size_t start = b->len, i;
	int first = 1, inner = 1, failed;

	if ((unsigned)g->reason >= EVENT_GAP_REASONS) {
		errno = EINVAL;
		return -1;
	}
	obuf_put(b, "{\"@timestamp\":", 14);
	put_time_ms(b, g->time_ms);
	obuf_puts(b, ",\"ecs\":{\"version\":\"" EVENT_ECS_VERSION "\"}");
	/* A snapshot of a condition: no outcome (docs/events.md). */
	obuf_puts(b, ",\"event\":{\"kind\":\"state\",\"category\":["
	    EVENT_CATEGORY_GAP "],\"type\":[\"info\"],\"action\":\""
	    EVENT_ACTION_GAP "\",\"module\":\"" EVENT_MODULE "\","
	    "\"dataset\":\"" EVENT_DATASET "\"}");
	(void)put_host(b, ctx);
	obuf_init(&m);
	event_gap_message(&m, g);
	obuf_puts(b, ",\"message\":");
	if (!obuf_failed(&m))
		(void)obuf_put_jstr(b, m.data, m.len);
	else
		obuf_truncate(b, start);
	failed = obuf_failed(&m);
	obuf_free(&m);
	if (failed) {
		errno = ENOMEM;
		return -1;
	}
	obuf_puts(b, ",\"seccompmon\":{\"gap\":{");
	key(b, &first, "reason");
	obuf_putc(b, '"');
	obuf_puts(b, gap_reason_names[g->reason]);
	obuf_putc(b, '"');
	key(b, &first, "as_of");
	put_time_ms(b, g->as_of_ms);
	switch (g->reason) {
	case EVENT_GAP_ACTIONS_NOT_LOGGED:
		key(b, &first, "actions");
		obuf_putc(b, '{');
		put_word_array(b, &inner, "missing", g->actions_missing,
		    g->nactions_missing);
		put_word_array(b, &inner, "logged", g->actions_logged,
		    g->nactions_logged);
		obuf_putc(b, '}');
		break;
	case EVENT_GAP_AUDIT_RATE_LIMIT:
	case EVENT_GAP_AUDIT_BACKLOG_SMALL:
	case EVENT_GAP_MULTICAST_NOT_REGISTERED:
		if (!g->audit_unknown)
			put_gap_audit(b, &first, g);
		break;
	case EVENT_GAP_FILTERS_MAY_NOT_LOG:
		put_count(b, &first, "processes", g->processes);
		key(b, &first, "groups");
		obuf_putc(b, '[');
		for (i = 0; i < g->ngroups; i++) {
			if (i > 0)
				obuf_putc(b, ',');
			put_gap_group(b, &g->groups[i]);
		}
		obuf_putc(b, ']');
		put_count(b, &first, "groups_omitted", g->groups_omitted);
		break;
	default:
		break;
	}
	key(b, &first, "remedy");
	(void)obuf_put_jstr(b, gap_remedies[g->reason],
	    strlen(gap_remedies[g->reason]));
	obuf_puts(b, "}}}\n");

	if (obuf_failed(b)) {
		obuf_truncate(b, start);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}
