/*
 * Storm control.  Windows are aligned to multiples of the window length in
 * record time, so every key's window ends at once and one pass over a
 * bounded table closes them all; the table is an open-addressing index
 * into an array kept in first-seen order, so summaries come out in the
 * order their storms began.  Keys beyond max_keys share one extra key.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reporter/storm.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"

struct entry {
	struct storm_key	 key;	/* exe and node point into buf */
	char			*buf;
	uint32_t		 hash;
	uint64_t		 seen;	/* records of the window, passed too */
	struct storm_summary	 sum;	/* sum.key points at key */
};

struct storm {
	struct storm_conf	 c;
	int64_t			 window_ms;
	int			 open;
	int64_t			 cur;	/* the open window's index */
	struct entry		*e;	/* c.max_keys, in first-seen order */
	size_t			 n;
	uint32_t		*slot;	/* 0 empty, else index in e + 1 */
	size_t			 nslot;	/* a power of two > 2 max_keys */
	struct entry		 other;	/* keys beyond max_keys */
	uint64_t		 pending;
};

struct storm *
storm_new(const struct storm_conf *sc)
{
	struct storm *st;

	if (sc->window == 0 || sc->max_keys == 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->c = *sc;
	st->window_ms = (int64_t)sc->window * 1000;
	for (st->nslot = 16; st->nslot < (size_t)sc->max_keys * 2;)
		st->nslot *= 2;
	if ((st->e = calloc(sc->max_keys, sizeof(*st->e))) == NULL ||
	    (st->slot = calloc(st->nslot, sizeof(*st->slot))) == NULL) {
		storm_free(st);
		errno = ENOMEM;
		return NULL;
	}
	st->other.sum.key = NULL;
	return st;
}

/* FNV-1a, over the bytes of each part of the key. */
static uint32_t
mix(uint32_t h, const void *p, size_t len)
{
	const unsigned char *s = p;

	while (len-- > 0)
		h = (h ^ *s++) * 16777619u;
	return h;
}

static uint32_t
key_hash(const struct storm_key *k)
{
	uint32_t h = 2166136261u;

	h = mix(h, &k->present, sizeof(k->present));
	h = mix(h, &k->uid, sizeof(k->uid));
	h = mix(h, &k->arch, sizeof(k->arch));
	h = mix(h, &k->syscall, sizeof(k->syscall));
	h = mix(h, &k->action, sizeof(k->action));
	h = mix(h, &k->self, sizeof(k->self));
	h = mix(h, &k->exe_len, sizeof(k->exe_len));
	if (k->exe != NULL)
		h = mix(h, k->exe, k->exe_len);
	h = mix(h, &k->node_len, sizeof(k->node_len));
	if (k->node != NULL)
		h = mix(h, k->node, k->node_len);
	return h;
}

static int
bytes_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	if ((a == NULL) != (b == NULL) || alen != blen)
		return 0;
	return a == NULL || memcmp(a, b, alen) == 0;
}

static int
key_equal(const struct storm_key *a, const struct storm_key *b)
{
	return a->present == b->present && a->uid == b->uid &&
	    a->arch == b->arch && a->syscall == b->syscall &&
	    a->action == b->action && a->self == b->self &&
	    bytes_equal(a->exe, a->exe_len, b->exe, b->exe_len) &&
	    bytes_equal(a->node, a->node_len, b->node, b->node_len);
}

/* Only the fields a key holds present take part in it. */
static void
key_normalize(struct storm_key *k)
{
	if (!(k->present & STORM_K_UID))
		k->uid = 0;
	if (!(k->present & STORM_K_ARCH))
		k->arch = 0;
	if (!(k->present & STORM_K_SYSCALL))
		k->syscall = 0;
	if (!(k->present & STORM_K_ACTION))
		k->action = 0;
	k->self = k->self != 0;
	if (k->exe == NULL)
		k->exe_len = 0;
	if (k->node == NULL)
		k->node_len = 0;
}

static void
entry_clear(struct entry *e)
{
	free(e->buf);
	memset(e, 0, sizeof(*e));
}

static void
close_window(struct storm *st, storm_emit_fn emit, void *arg)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		if (st->e[i].sum.count > 0)
			emit(arg, &st->e[i].sum);
		entry_clear(&st->e[i]);
	}
	if (st->other.sum.count > 0)
		emit(arg, &st->other.sum);
	memset(&st->other, 0, sizeof(st->other));
	if (st->n > 0)
		memset(st->slot, 0, st->nslot * sizeof(*st->slot));
	st->n = 0;
	st->pending = 0;
	st->open = 0;
}

/* The key's entry, added if new; &st->other when full; NULL: no memory. */
static struct entry *
lookup(struct storm *st, const struct storm_key *k)
{
	struct entry *e;
	uint32_t h = key_hash(k);
	size_t i = h & (st->nslot - 1);

	while (st->slot[i] != 0) {
		e = &st->e[st->slot[i] - 1];
		if (e->hash == h && key_equal(&e->key, k))
			return e;
		i = (i + 1) & (st->nslot - 1);
	}
	if (st->n == st->c.max_keys)
		return &st->other;
	e = &st->e[st->n];
	if ((e->buf = malloc(k->exe_len + k->node_len + 2)) == NULL)
		return NULL;
	e->key = *k;
	if (k->exe != NULL) {
		memcpy(e->buf, k->exe, k->exe_len);
		e->buf[k->exe_len] = '\0';
		e->key.exe = e->buf;
	}
	if (k->node != NULL) {
		memcpy(e->buf + k->exe_len + 1, k->node, k->node_len);
		e->buf[k->exe_len + 1 + k->node_len] = '\0';
		e->key.node = e->buf + k->exe_len + 1;
	}
	e->hash = h;
	e->sum.key = &e->key;
	st->slot[i] = (uint32_t)++st->n;
	return e;
}

static void
fold(struct storm *st, struct entry *e, int64_t t_ms, int32_t pid)
{
	struct storm_summary *s = &e->sum;
	size_t i;

	if (s->count == 0 || t_ms < s->first_ms)
		s->first_ms = t_ms;
	if (s->count == 0 || t_ms > s->last_ms)
		s->last_ms = t_ms;
	s->count++;
	st->pending++;
	if (pid < 0)
		return;
	for (i = 0; i < s->npids; i++)
		if (s->pids[i] == pid)
			return;
	if (s->npids < STORM_PIDS)
		s->pids[s->npids++] = pid;
}

int
storm_check(struct storm *st, const struct storm_key *k, int64_t t_ms,
    int32_t pid, storm_emit_fn emit, void *arg)
{
	struct storm_key nk = *k;
	struct entry *e;
	int64_t idx = t_ms >= 0 ? t_ms / st->window_ms : -1;
	uint64_t limit;

	if (st->open && (idx > st->cur || idx + 1 < st->cur))
		close_window(st, emit, arg);
	if (!st->open) {
		st->open = 1;
		st->cur = idx;
	}
	key_normalize(&nk);
	if ((e = lookup(st, &nk)) == NULL)
		return 1;
	limit = nk.self ? STORM_SELF_BURST : st->c.burst;
	if (++e->seen <= limit)
		return 1;
	fold(st, e, t_ms, pid);
	return 0;
}

void
storm_tick(struct storm *st, int64_t now_ms, storm_emit_fn emit, void *arg)
{
	int64_t idx = now_ms / st->window_ms;

	if (!st->open || idx <= st->cur)
		return;
	close_window(st, emit, arg);
	/* Records of the window just closed that come late count here. */
	st->open = 1;
	st->cur = idx;
}

void
storm_flush(struct storm *st, storm_emit_fn emit, void *arg)
{
	close_window(st, emit, arg);
}

uint64_t
storm_pending(const struct storm *st)
{
	return st->pending;
}

void
storm_free(struct storm *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; st->e != NULL && i < st->n; i++)
		free(st->e[i].buf);
	free(st->e);
	free(st->slot);
	free(st);
}

/* An unknown architecture as recorded: lowercase hex, as event.c. */
static void
put_hex(struct obuf *b, uint32_t a)
{
	static const char hx[] = "0123456789abcdef";
	char tmp[8];
	int i = 8;

	do {
		tmp[--i] = hx[a & 0xf];
		a >>= 4;
	} while (a != 0);
	obuf_put(b, tmp + i, (size_t)(8 - i));
}

static void
put_time(struct obuf *b, int64_t ms)
{
	obuf_put_timestamp(b, (uint64_t)(ms / 1000), (uint32_t)(ms % 1000));
}

/* The key's fields, as an event of one of its records has them. */
static void
put_key(struct obuf *b, const struct storm_key *k)
{
	const char *name;
	int first = 1;

	if (k->exe != NULL && k->exe_len > 0) {
		obuf_puts(b, ",\"process\":{\"executable\":");
		(void)obuf_put_jstr(b, k->exe, k->exe_len);
		obuf_putc(b, '}');
	}
	if (k->present & STORM_K_UID) {
		obuf_puts(b, ",\"user\":{\"id\":\"");
		obuf_put_u64(b, k->uid);
		obuf_puts(b, "\"}");
	}
	if (!(k->present & (STORM_K_ACTION | STORM_K_SYSCALL | STORM_K_ARCH)))
		return;
	obuf_puts(b, ",\"seccomp\":{");
	if (k->present & STORM_K_ACTION) {
		obuf_puts(b, "\"action\":\"");
		obuf_puts(b, verdict_of(k->action)->action);
		obuf_putc(b, '"');
		first = 0;
	}
	if (k->present & STORM_K_SYSCALL) {
		obuf_puts(b, first ? "\"syscall\":{" : ",\"syscall\":{");
		if ((k->present & STORM_K_ARCH) &&
		    (name = systab_syscall_name(k->arch, k->syscall)) != NULL) {
			obuf_puts(b, "\"name\":\"");
			obuf_puts(b, name);
			obuf_puts(b, "\",");
		}
		obuf_puts(b, "\"number\":");
		obuf_put_i64(b, k->syscall);
		obuf_putc(b, '}');
		first = 0;
	}
	if (k->present & STORM_K_ARCH) {
		obuf_puts(b, first ? "\"arch\":\"" : ",\"arch\":\"");
		name = systab_arch_name(k->arch, (k->present &
		    STORM_K_SYSCALL) ? k->syscall : 0);
		if (name != NULL)
			obuf_puts(b, name);
		else
			put_hex(b, k->arch);
		obuf_putc(b, '"');
	}
	obuf_putc(b, '}');
}

int
storm_encode(struct obuf *b, const struct storm_summary *s,
    const struct event_ctx *ctx)
{
	const struct storm_key *k = s->key;
	const struct verdict *vd = NULL;
	size_t start = b->len, i;

	if (k != NULL && (k->present & STORM_K_ACTION))
		vd = verdict_of(k->action);
	obuf_put(b, "{\"@timestamp\":", 14);
	put_time(b, s->first_ms);
	obuf_puts(b, ",\"ecs\":{\"version\":\"" EVENT_ECS_VERSION "\"}"
	    ",\"event\":{\"kind\":\"event\",\"category\":[" EVENT_CATEGORY
	    "],\"type\":[\"info\"],\"action\":\"" STORM_ACTION_SUMMARY
	    "\",\"outcome\":\"");
	obuf_puts(b, vd ? vd->outcome : "unknown");
	obuf_puts(b, "\",\"module\":\"" EVENT_MODULE "\",\"dataset\":\""
	    EVENT_DATASET "\",\"start\":");
	put_time(b, s->first_ms);
	obuf_puts(b, ",\"end\":");
	put_time(b, s->last_ms);
	obuf_putc(b, '}');
	if (k != NULL && k->node != NULL) {
		obuf_puts(b, ",\"host\":{\"name\":");
		(void)obuf_put_jstr(b, k->node, k->node_len);
		obuf_putc(b, '}');
	} else if (ctx->host != NULL) {
		obuf_puts(b, ",\"host\":{\"name\":");
		(void)obuf_put_jstr(b, ctx->host, ctx->host_len);
		obuf_putc(b, '}');
	}
	if (k != NULL)
		put_key(b, k);
	obuf_puts(b, ",\"seccompmon\":{");
	if (k != NULL && k->self)
		obuf_puts(b, "\"self\":true,");
	obuf_puts(b, "\"summary\":{\"count\":");
	obuf_put_u64(b, s->count);
	obuf_puts(b, ",\"first\":");
	put_time(b, s->first_ms);
	obuf_puts(b, ",\"last\":");
	put_time(b, s->last_ms);
	obuf_puts(b, ",\"pids\":[");
	for (i = 0; i < s->npids; i++) {
		if (i > 0)
			obuf_putc(b, ',');
		obuf_put_u64(b, (uint64_t)s->pids[i]);
	}
	obuf_putc(b, ']');
	if (k == NULL)
		obuf_puts(b, ",\"other_keys\":true");
	obuf_puts(b, "}}}\n");
	if (obuf_failed(b)) {
		obuf_truncate(b, start);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}
