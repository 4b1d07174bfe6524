/*
 * seccompmon report: one pass over any number of inputs into a table of
 * groups (where × arch × call × action), bounded at --max-groups entries:
 * records of further groups are counted in one "other" row, so 10 million
 * events need no more memory than the groups they fall into.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/reportcmd.h"
#include "reporter/evread.h"
#include "reporter/obuf.h"

#define MAX_GROUPS_DEFAULT 100000
#define MALFORMED_SHOWN 5
#define LOST_NAMES_MAX 32
#define WIDTH_CAP 48	/* a longer cell is shortened in the middle */

enum fmt { FMT_TEXT, FMT_JSON, FMT_MARKDOWN };

/* Where a group ran: its container, else its unit, else its executable. */
enum where { W_NONE, W_CONTAINER, W_SERVICE, W_EXE, W_OTHER_KEYS };

struct group {
	char		*key;	/* where, arch, call, action: NUL-separated */
	size_t		 keylen;
	uint32_t	 hash;
	enum where	 wk;
	const char	*where, *arch, *sysname, *action;	/* in key */
	int64_t		 nr;
	uint64_t	 count;
	int64_t		 first, last;
	int32_t		 pids[EVREAD_PIDS_MAX];
	size_t		 npids;
};

struct lostname {
	char		*name;
	uint64_t	 count;
};

struct report {
	/* Options. */
	enum fmt	 fmt;
	int64_t		 since, until;
	const char	*container, *unit, *exe, *action;
	size_t		 max_groups;
	int		 colour;
	/* The table: groups, and an index of them by hash. */
	struct group	*g;
	size_t		 ng, gcap;
	uint32_t	*slot;		/* index + 1; 0 is empty */
	size_t		 nslot;
	struct group	 other;		/* beyond max_groups */
	uint64_t	 total;
	/* Losses and input. */
	uint64_t	 lost, lost_events;
	struct lostname	 reasons[LOST_NAMES_MAX], outputs[LOST_NAMES_MAX];
	size_t		 nreasons, noutputs;
	uint64_t	 files, lines, malformed, skipped;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: seccompmon report [options] [FILE...]\n"
"\n"
"Summarize seccompmon's JSON events or raw audit logs (FILE, or - for\n"
"stdin; default stdin): per container, unit or executable, architecture,\n"
"system call and action, the count, first and last time and sample pids.\n"
"Several files (a rotated set: events.json*) are read as one input.\n"
"\n"
"      --since TIME      only events at or after TIME (RFC 3339, or\n"
"                        relative to now: 30s, 15m, 2h, 7d)\n"
"      --until TIME      only events before TIME\n"
"      --container ID    only this container (an id prefix)\n"
"      --unit NAME       only this systemd unit (service.name)\n"
"      --exe PATH        only this executable\n"
"      --action NAME     only this action (errno, kill_process, log, ...)\n"
"      --format FORMAT   text (default), json or markdown\n"
"      --max-groups N    table size (default %d); beyond, one row 'other'\n"
"  -h, --help            this text\n", MAX_GROUPS_DEFAULT);
}

/* FNV-1a. */
static uint32_t
hash(const char *p, size_t n, int64_t nr)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	for (i = 0; i < 8; i++) {
		h ^= (unsigned char)((uint64_t)nr >> (i * 8));
		h *= 16777619u;
	}
	return h;
}

static enum where
where_of(const struct evitem *it, const char **w)
{
	if (it->kind == EV_SUMMARY && it->other_keys) {
		*w = "";
		return W_OTHER_KEYS;
	}
	if ((*w = it->container_id) != NULL)
		return W_CONTAINER;
	if ((*w = it->service) != NULL)
		return W_SERVICE;
	if ((*w = it->exe) != NULL)
		return W_EXE;
	*w = "";
	return W_NONE;
}

static void
fold(struct group *g, const struct evitem *it)
{
	size_t i, j;

	if (g->count == 0 || it->time_ms < g->first)
		g->first = it->time_ms;
	if (g->count == 0 || it->last_ms > g->last)
		g->last = it->last_ms;
	g->count += it->count;
	for (i = 0; i < (it->kind == EV_SUMMARY ? it->npids : 1); i++) {
		int32_t pid = it->kind == EV_SUMMARY ? it->pids[i] : it->pid;

		if (pid < 0 || g->npids == EVREAD_PIDS_MAX)
			break;
		for (j = 0; j < g->npids && g->pids[j] != pid; j++)
			;
		if (j == g->npids)
			g->pids[g->npids++] = pid;
	}
}

/* Double the index; 0, or -1. */
static int
grow_index(struct report *r)
{
	size_t n = r->nslot ? r->nslot * 2 : 1024, i, s;
	uint32_t *slot;

	if ((slot = calloc(n, sizeof(*slot))) == NULL)
		return -1;
	for (i = 0; i < r->ng; i++) {
		for (s = r->g[i].hash & (n - 1); slot[s] != 0;
		    s = (s + 1) & (n - 1))
			;
		slot[s] = (uint32_t)i + 1;
	}
	free(r->slot);
	r->slot = slot;
	r->nslot = n;
	return 0;
}

/* Count an item into its group; 0, or -1 (out of memory). */
static int
add(struct report *r, const struct evitem *it)
{
	const char *w, *arch = it->arch_name ? it->arch_name : "",
	    *sc = it->syscall_name ? it->syscall_name : "",
	    *ac = it->action ? it->action : "";
	size_t lw, la, ls, lc, n, s, cap;
	enum where wk = where_of(it, &w);
	char key[EVREAD_LINE_MAX + 64], *p;
	struct group *g;
	uint32_t h;

	lw = strlen(w);
	la = strlen(arch);
	ls = strlen(sc);
	lc = strlen(ac);
	n = lw + la + ls + lc + 5;
	if (n > sizeof(key))
		return 0;	/* cannot happen: a line is shorter */
	key[0] = (char)('0' + wk);
	p = key + 1;
	memcpy(p, w, lw + 1);
	p += lw + 1;
	memcpy(p, arch, la + 1);
	p += la + 1;
	memcpy(p, sc, ls + 1);
	p += ls + 1;
	memcpy(p, ac, lc + 1);
	h = hash(key, n, it->syscall_nr);
	r->total += it->count;

	if (r->nslot == 0 && grow_index(r) < 0)
		return -1;
	for (s = h & (r->nslot - 1); r->slot[s] != 0;
	    s = (s + 1) & (r->nslot - 1)) {
		g = &r->g[r->slot[s] - 1];
		if (g->hash == h && g->keylen == n && g->nr ==
		    it->syscall_nr && memcmp(g->key, key, n) == 0) {
			fold(g, it);
			return 0;
		}
	}
	if (r->ng >= r->max_groups) {
		fold(&r->other, it);
		return 0;
	}
	if (r->ng == r->gcap) {
		cap = r->gcap ? r->gcap * 2 : 64;
		if ((g = realloc(r->g, cap * sizeof(*g))) == NULL)
			return -1;
		r->g = g;
		r->gcap = cap;
	}
	g = &r->g[r->ng];
	memset(g, 0, sizeof(*g));
	if ((g->key = malloc(n)) == NULL)
		return -1;
	memcpy(g->key, key, n);
	g->keylen = n;
	g->hash = h;
	g->wk = wk;
	g->nr = it->syscall_nr;
	g->where = g->key + 1;
	g->arch = g->where + lw + 1;
	g->sysname = g->arch + la + 1;
	g->action = g->sysname + ls + 1;
	fold(g, it);
	r->slot[s] = (uint32_t)++r->ng;
	if (r->ng * 2 > r->nslot && grow_index(r) < 0)
		return -1;
	return 0;
}

static void
add_name(struct lostname *t, size_t *n, const char *name, uint64_t count)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(t[i].name, name) == 0)
			break;
	if (i == *n) {
		if (*n == LOST_NAMES_MAX || (t[i].name = strdup(name)) == NULL)
			return;	/* the total is still counted */
		t[i].count = 0;
		(*n)++;
	}
	t[i].count += count;
}

static int
matches(const struct report *r, const struct evitem *it)
{
	if (it->time_ms < r->since || it->time_ms >= r->until)
		return 0;
	if (it->kind == EV_LOST)
		return 1;
	if (r->container != NULL && (it->container_id == NULL ||
	    strncmp(it->container_id, r->container,
	    strlen(r->container)) != 0))
		return 0;
	if (r->unit != NULL && (it->service == NULL ||
	    strcmp(it->service, r->unit) != 0))
		return 0;
	if (r->exe != NULL && (it->exe == NULL ||
	    strcmp(it->exe, r->exe) != 0))
		return 0;
	if (r->action != NULL && (it->action == NULL ||
	    strcmp(it->action, r->action) != 0))
		return 0;
	return 1;
}

/* What one input's lines go to: the report, and the file's name. */
struct input {
	struct report	*r;
	const char	*name;
};

static void
input_bad(void *arg, uint64_t lineno, const char *why)
{
	struct input *in = arg;

	if (in->r->malformed++ < MALFORMED_SHOWN)
		fprintf(stderr, "seccompmon report: %s:%" PRIu64 ": skipped: "
		    "%s\n", in->name, lineno, why);
}

static int
input_item(void *arg, const struct evitem *it)
{
	struct report *r = ((struct input *)arg)->r;
	size_t i;

	if (it->kind == EV_OTHER || !matches(r, it)) {
		r->skipped++;
		return 0;
	}
	if (it->kind == EV_LOST) {
		r->lost += it->lost_count;
		r->lost_events++;
		for (i = 0; i < it->nreasons; i++)
			add_name(r->reasons, &r->nreasons,
			    it->reasons[i].name, it->reasons[i].count);
		for (i = 0; i < it->noutputs; i++)
			add_name(r->outputs, &r->noutputs,
			    it->outputs[i].name, it->outputs[i].count);
		return 0;
	}
	if (add(r, it) < 0) {
		fprintf(stderr, "seccompmon report: out of memory\n");
		exit(1);
	}
	return 0;
}

/* Read one input; 0, or -1 when it could not be read (said on stderr). */
static int
read_input(struct report *r, struct evreader *er, const char *path)
{
	struct input in = { r, strcmp(path, "-") == 0 ? "(stdin)" : path };
	struct evread_sink s = { input_item, input_bad, &in, r->lines };
	uint64_t before = r->lines;
	int rc;

	rc = evread_file(er, path, &s);
	/* A file that could not even be opened is not one of the files. */
	if (rc == 0 || s.lines > before)
		r->files++;
	r->lines = s.lines;
	if (rc < 0) {
		fprintf(stderr, "seccompmon report: %s: %s\n", in.name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* --- Time --------------------------------------------------------------- */

/* "1h", "30m", "45s", "2d" before now, or RFC 3339; 0, or -1. */
static int
parse_when(const char *s, int64_t *ms)
{
	struct timespec now;
	char *end;
	unsigned long long v;
	int64_t unit;

	if (evread_time(s, strlen(s), ms) == 0)
		return 0;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (*end) {
	case 's': unit = 1000; break;
	case 'm': unit = 60 * 1000; break;
	case 'h': unit = 3600 * 1000; break;
	case 'd': unit = 86400 * 1000; break;
	default: return -1;
	}
	if (v > (unsigned long long)INT64_MAX / (uint64_t)unit / 2)
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	*ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 -
	    (int64_t)v * unit;
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" of ms since the epoch (Hinnant's civil). */
static void
fmt_time(char *out, size_t n, int64_t ms)
{
	int64_t s = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
	int64_t sod = s - days * 86400, z = days + 719468, era, doe, yoe, y,
	    doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	(void)snprintf(out, n, "%04" PRId64 "-%02" PRId64 "-%02" PRId64
	    "T%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%03" PRId64 "Z",
	    y, m, d, sod / 3600, sod / 60 % 60, sod % 60, ms - s * 1000);
}

/* --- Output ------------------------------------------------------------- */

static int
by_count(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if ((c = strcmp(x->where, y->where)) != 0)
		return c;
	if ((c = strcmp(x->arch, y->arch)) != 0)
		return c;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return strcmp(x->action, y->action);
}

static void
flush(struct obuf *b)
{
	if (b->len > 0)
		(void)fwrite(b->data, 1, b->len, stdout);
	obuf_reset(b);
}

static const char *
where_key(enum where wk)
{
	switch (wk) {
	case W_CONTAINER: return "container_id";
	case W_SERVICE: return "service";
	case W_EXE: return "executable";
	default: return NULL;
	}
}

static void
json_time(struct obuf *b, const char *key, int64_t ms)
{
	char t[40];

	fmt_time(t, sizeof(t), ms);
	obuf_puts(b, key);
	obuf_putc(b, '"');
	obuf_puts(b, t);
	obuf_putc(b, '"');
}

static void
json_group(struct obuf *b, const struct group *g, int other)
{
	size_t i;

	obuf_putc(b, '{');
	if (other)
		obuf_puts(b, "\"other\":true,");
	else if (g->wk == W_OTHER_KEYS)
		obuf_puts(b, "\"other_keys\":true,");
	else if (where_key(g->wk) != NULL) {
		obuf_putc(b, '"');
		obuf_puts(b, where_key(g->wk));
		obuf_puts(b, "\":");
		(void)obuf_put_jstr(b, g->where, strlen(g->where));
		obuf_putc(b, ',');
	}
	if (!other && g->arch[0] != '\0') {
		obuf_puts(b, "\"arch\":");
		(void)obuf_put_jstr(b, g->arch, strlen(g->arch));
		obuf_putc(b, ',');
	}
	if (!other && (g->sysname[0] != '\0' || g->nr >= 0)) {
		obuf_puts(b, "\"syscall\":{");
		if (g->sysname[0] != '\0') {
			obuf_puts(b, "\"name\":");
			(void)obuf_put_jstr(b, g->sysname,
			    strlen(g->sysname));
		}
		if (g->nr >= 0) {
			if (g->sysname[0] != '\0')
				obuf_putc(b, ',');
			obuf_puts(b, "\"number\":");
			obuf_put_i64(b, g->nr);
		}
		obuf_puts(b, "},");
	}
	if (!other && g->action[0] != '\0') {
		obuf_puts(b, "\"action\":");
		(void)obuf_put_jstr(b, g->action, strlen(g->action));
		obuf_putc(b, ',');
	}
	obuf_puts(b, "\"count\":");
	obuf_put_u64(b, g->count);
	json_time(b, ",\"first\":", g->first);
	json_time(b, ",\"last\":", g->last);
	obuf_puts(b, ",\"pids\":[");
	for (i = 0; i < g->npids; i++) {
		if (i > 0)
			obuf_putc(b, ',');
		obuf_put_i64(b, g->pids[i]);
	}
	obuf_puts(b, "]}");
}

static void
json_names(struct obuf *b, const struct lostname *t, size_t n, int array)
{
	size_t i;

	obuf_putc(b, array ? '[' : '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			obuf_putc(b, ',');
		if (array)
			obuf_puts(b, "{\"name\":");
		(void)obuf_put_jstr(b, t[i].name, strlen(t[i].name));
		obuf_puts(b, array ? ",\"count\":" : ":");
		obuf_put_u64(b, t[i].count);
		if (array)
			obuf_putc(b, '}');
	}
	obuf_putc(b, array ? ']' : '}');
}

static void
print_json(const struct report *r)
{
	struct obuf b;
	size_t i;

	obuf_init(&b);
	obuf_puts(&b, "{\"groups\":[");
	for (i = 0; i < r->ng; i++) {
		if (i > 0)
			obuf_putc(&b, ',');
		json_group(&b, &r->g[i], 0);
		if (b.len > 65536)
			flush(&b);
	}
	if (r->other.count > 0) {
		if (r->ng > 0)
			obuf_putc(&b, ',');
		json_group(&b, &r->other, 1);
	}
	obuf_puts(&b, "],\"total\":{\"count\":");
	obuf_put_u64(&b, r->total);
	obuf_puts(&b, ",\"groups\":");
	obuf_put_u64(&b, r->ng);
	obuf_puts(&b, ",\"max_groups\":");
	obuf_put_u64(&b, r->max_groups);
	obuf_puts(&b, ",\"other_count\":");
	obuf_put_u64(&b, r->other.count);
	obuf_puts(&b, "},\"lost\":{\"count\":");
	obuf_put_u64(&b, r->lost);
	obuf_puts(&b, ",\"events\":");
	obuf_put_u64(&b, r->lost_events);
	obuf_puts(&b, ",\"reasons\":");
	json_names(&b, r->reasons, r->nreasons, 0);
	obuf_puts(&b, ",\"outputs\":");
	json_names(&b, r->outputs, r->noutputs, 1);
	obuf_puts(&b, "},\"input\":{\"files\":");
	obuf_put_u64(&b, r->files);
	obuf_puts(&b, ",\"lines\":");
	obuf_put_u64(&b, r->lines);
	obuf_puts(&b, ",\"malformed\":");
	obuf_put_u64(&b, r->malformed);
	obuf_puts(&b, ",\"skipped\":");
	obuf_put_u64(&b, r->skipped);
	obuf_puts(&b, "}}\n");
	flush(&b);
	obuf_free(&b);
}

/*
 * A cell for a terminal or a Markdown table: bytes that are controls, not
 * UTF-8, or (Markdown) a '|' are written escaped, so no input can move the
 * cursor or break a row; at most WIDTH_CAP columns, the middle elided.
 * Returns the display width (code points).
 */
static size_t
cell(char *out, size_t outlen, const char *s, int md)
{
	char tmp[4 * WIDTH_CAP * 4 + 16];
	size_t i, n = strlen(s), w = 0, o = 0, cps = 0, head, tail;
	int valid = utf8_valid(s, n);
	unsigned char c;

	/* Escape into out, counting code points. */
	for (i = 0; i < n && o + 8 < outlen; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && !valid)) {
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x",
			    c);
			cps += 4;
		} else if (md && (c == '|' || c == '\\')) {
			out[o++] = '\\';
			out[o++] = (char)c;
			cps += 2;
		} else {
			out[o++] = (char)c;
			if ((c & 0xc0) != 0x80)
				cps++;
		}
	}
	out[o] = '\0';
	if (cps <= WIDTH_CAP)
		return cps;
	/* Keep the first head and last tail code points around "...". */
	head = (WIDTH_CAP - 3) / 2;
	tail = WIDTH_CAP - 3 - head;
	for (i = 0, w = 0; i < o; i++) {
		if (((unsigned char)out[i] & 0xc0) == 0x80)
			continue;
		if (w == head)
			break;
		w++;
	}
	memcpy(tmp, out, i);
	memcpy(tmp + i, "...", 3);
	n = i + 3;
	for (i = o, w = 0; i > 0 && w < tail; ) {
		i--;
		if (((unsigned char)out[i] & 0xc0) != 0x80)
			w++;
	}
	memcpy(tmp + n, out + i, o - i);
	n += o - i;
	memcpy(out, tmp, n);
	out[n] = '\0';
	return WIDTH_CAP;
}

#define NCOL 8
#define CELL_MAX (EVREAD_LINE_MAX + 64)

struct row {
	char	*c[NCOL];
	size_t	 w[NCOL];
};

static const char *const heads[NCOL] = {
	"COUNT", "WHERE", "ARCH", "SYSCALL", "ACTION", "FIRST", "LAST", "PIDS"
};

/* The cells of a group; each c[i] is malloc'ed.  0, or -1. */
static int
row_of(struct row *rw, const struct group *g, int other, int md)
{
	char *buf, num[32], t[40], pids[EVREAD_PIDS_MAX * 12 + 1];
	const char *src[NCOL];
	size_t i, o = 0;
	int rc = -1;

	if ((buf = malloc(CELL_MAX)) == NULL)
		return -1;
	(void)snprintf(num, sizeof(num), "%" PRIu64, g->count);
	src[0] = num;
	if (other)
		src[1] = "(other groups)";
	else if (g->wk == W_OTHER_KEYS)
		src[1] = "(storm: other keys)";
	else if (g->wk == W_NONE)
		src[1] = "-";
	else
		src[1] = g->where;
	src[2] = other || g->arch[0] == '\0' ? "-" : g->arch;
	if (other)
		src[3] = "-";
	else if (g->sysname[0] != '\0')
		src[3] = g->sysname;
	else if (g->nr >= 0) {
		(void)snprintf(t, sizeof(t), "#%" PRId64, g->nr);
		src[3] = t;
	} else
		src[3] = "-";
	src[4] = other || g->action[0] == '\0' ? "-" : g->action;
	src[5] = src[6] = NULL;
	pids[0] = '\0';
	for (i = 0; i < g->npids; i++)
		o += (size_t)snprintf(pids + o, sizeof(pids) - o, "%s%" PRId32,
		    i ? "," : "", g->pids[i]);
	src[7] = g->npids ? pids : "-";
	memset(rw, 0, sizeof(*rw));
	for (i = 0; i < NCOL; i++) {
		if (i == 5 || i == 6) {
			fmt_time(buf, CELL_MAX, i == 5 ? g->first : g->last);
			rw->w[i] = strlen(buf);
		} else if (i == 1 && g->wk == W_CONTAINER && !other &&
		    !md && strlen(g->where) > 12) {
			/* docker ps's short id; json keeps it whole. */
			rw->w[i] = cell(buf, CELL_MAX, g->where, md);
			if (rw->w[i] == strlen(buf) && rw->w[i] > 12) {
				buf[12] = '\0';
				rw->w[i] = 12;
			}
		} else
			rw->w[i] = cell(buf, CELL_MAX, src[i], md);
		if ((rw->c[i] = strdup(buf)) == NULL)
			goto out;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

static void
row_free(struct row *rw)
{
	size_t i;

	for (i = 0; i < NCOL; i++)
		free(rw->c[i]);
}

static const char *
colour_of(const char *action)
{
	if (strncmp(action, "kill", 4) == 0)
		return "\033[31m";
	if (strcmp(action, "errno") == 0 || strcmp(action, "trap") == 0)
		return "\033[33m";
	if (strcmp(action, "log") == 0 || strcmp(action, "allow") == 0)
		return "\033[32m";
	return "";
}

static void
put_cell(const char *s, size_t w, size_t width, int right, int last,
    const char *colour)
{
	size_t pad = width > w ? width - w : 0;

	if (right)
		printf("%*s", (int)pad, "");
	if (colour != NULL && colour[0] != '\0')
		printf("%s%s\033[0m", colour, s);
	else
		fputs(s, stdout);
	if (!right && !last)
		printf("%*s", (int)pad, "");
	if (!last)
		fputs("  ", stdout);
}

/* One pass for the widths, one to print: a row is made twice, not kept. */
static int
print_table(const struct report *r, int md)
{
	size_t width[NCOL], i, j, n = r->ng + (r->other.count > 0);
	struct row rw;

	for (j = 0; j < NCOL; j++)
		width[j] = strlen(heads[j]);
	for (i = 0; i < n && !md; i++) {
		if (row_of(&rw, i < r->ng ? &r->g[i] : &r->other,
		    i == r->ng, md) < 0)
			return -1;
		for (j = 0; j < NCOL; j++)
			if (rw.w[j] > width[j])
				width[j] = rw.w[j];
		row_free(&rw);
	}
	if (md) {
		printf("| Count | Where | Arch | Syscall | Action | First | "
		    "Last | PIDs |\n|---:|---|---|---|---|---|---|---|\n");
	} else {
		if (r->colour)
			fputs("\033[1m", stdout);
		for (j = 0; j < NCOL; j++)
			put_cell(heads[j], strlen(heads[j]), width[j], j == 0,
			    j == NCOL - 1, NULL);
		if (r->colour)
			fputs("\033[0m", stdout);
		putchar('\n');
	}
	for (i = 0; i < n; i++) {
		if (row_of(&rw, i < r->ng ? &r->g[i] : &r->other,
		    i == r->ng, md) < 0)
			return -1;
		if (md) {
			fputs("|", stdout);
			for (j = 0; j < NCOL; j++)
				printf(" %s |", rw.c[j]);
			putchar('\n');
		} else {
			for (j = 0; j < NCOL; j++)
				put_cell(rw.c[j], rw.w[j], width[j], j == 0,
				    j == NCOL - 1, r->colour && j == 4 ?
				    colour_of(rw.c[j]) : NULL);
			putchar('\n');
		}
		row_free(&rw);
	}
	return 0;
}

static void
print_names(const struct lostname *t, size_t n)
{
	char buf[256];
	size_t i;

	for (i = 0; i < n; i++) {
		(void)cell(buf, sizeof(buf), t[i].name, 0);
		printf("%s%s %" PRIu64, i ? ", " : "", buf, t[i].count);
	}
}

static void
print_notes(const struct report *r, int md)
{
	const char *p = md ? "\n" : "";

	printf("%s%" PRIu64 " violation%s in %zu group%s; %" PRIu64 " file%s, "
	    "%" PRIu64 " lines, %" PRIu64 " malformed\n", p, r->total,
	    r->total == 1 ? "" : "s", r->ng, r->ng == 1 ? "" : "s", r->files,
	    r->files == 1 ? "" : "s", r->lines, r->malformed);
	if (r->other.count > 0)
		printf("%snote: more than %zu groups: %" PRIu64 " violations of "
		    "further groups are counted in the row (other groups)\n",
		    p, r->max_groups, r->other.count);
	if (r->malformed > 0)
		printf("%s%swarning: %" PRIu64 " input line%s could not be "
		    "read (see stderr): the counts may be low%s\n", p,
		    md ? "**" : "", r->malformed, r->malformed == 1 ? "" :
		    "s", md ? "**" : "");
	if (r->lost_events > 0 && (r->lost > 0 || r->nreasons > 0 ||
	    r->noutputs > 0)) {
		if (r->colour)
			fputs("\033[1;33m", stdout);
		printf("%s%swarning: seccompmon reported %" PRIu64 " record%s "
		    "lost (", p, md ? "**" : "", r->lost, r->lost == 1 ? "" :
		    "s");
		print_names(r->reasons, r->nreasons);
		printf(")");
		if (r->noutputs > 0) {
			printf("; per output: ");
			print_names(r->outputs, r->noutputs);
		}
		printf(": the counts are lower bounds%s", md ? "**" : "");
		if (r->colour)
			fputs("\033[0m", stdout);
		putchar('\n');
	}
}

static void
report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->ng; i++)
		free(r->g[i].key);
	for (i = 0; i < r->nreasons; i++)
		free(r->reasons[i].name);
	for (i = 0; i < r->noutputs; i++)
		free(r->outputs[i].name);
	free(r->g);
	free(r->slot);
}

int
reportcmd_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "container", required_argument, NULL, 'C' },
		{ "unit", required_argument, NULL, 'u' },
		{ "exe", required_argument, NULL, 'e' },
		{ "action", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "max-groups", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct report r;
	struct evreader *er;
	const char *nc;
	char *end;
	unsigned long long v;
	int ch, i, rc = 0;

	memset(&r, 0, sizeof(r));
	r.since = INT64_MIN;
	r.until = INT64_MAX;
	r.max_groups = MAX_GROUPS_DEFAULT;
	r.other.where = r.other.arch = r.other.sysname = r.other.action = "";
	r.other.nr = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'S':
		case 'U':
			if (parse_when(optarg, ch == 'S' ? &r.since :
			    &r.until) < 0) {
				fprintf(stderr, "seccompmon report: --%s: "
				    "not a time (RFC 3339, or 30s, 15m, 2h, "
				    "7d): %s\n", ch == 'S' ? "since" :
				    "until", optarg);
				return 2;
			}
			break;
		case 'C': r.container = optarg; break;
		case 'u': r.unit = optarg; break;
		case 'e': r.exe = optarg; break;
		case 'a': r.action = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				r.fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				r.fmt = FMT_JSON;
			else if (strcmp(optarg, "markdown") == 0)
				r.fmt = FMT_MARKDOWN;
			else {
				fprintf(stderr, "seccompmon report: --format: "
				    "text, json or markdown, not %s\n",
				    optarg);
				return 2;
			}
			break;
		case 'm':
			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 1 ||
			    v > 10000000) {
				fprintf(stderr, "seccompmon report: "
				    "--max-groups: 1 to 10000000, not %s\n",
				    optarg);
				return 2;
			}
			r.max_groups = (size_t)v;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	nc = getenv("NO_COLOR");
	r.colour = r.fmt == FMT_TEXT && isatty(STDOUT_FILENO) &&
	    (nc == NULL || nc[0] == '\0');
	if ((er = evreader_new()) == NULL) {
		fprintf(stderr, "seccompmon report: %s\n", strerror(errno));
		return 1;
	}
	if (optind == argc)
		rc = read_input(&r, er, "-") < 0 ? 1 : 0;
	for (i = optind; i < argc; i++)
		if (read_input(&r, er, argv[i]) < 0)
			rc = 1;
	evreader_free(er);
	if (r.malformed > MALFORMED_SHOWN)
		fprintf(stderr, "seccompmon report: %" PRIu64 " malformed lines "
		    "in all (the first %d shown)\n", r.malformed,
		    MALFORMED_SHOWN);
	if (r.ng > 0)	/* qsort(NULL, 0, ...) is undefined */
		qsort(r.g, r.ng, sizeof(*r.g), by_count);
	if (r.fmt == FMT_JSON)
		print_json(&r);
	else if (print_table(&r, r.fmt == FMT_MARKDOWN) < 0) {
		fprintf(stderr, "seccompmon report: out of memory\n");
		rc = 1;
	} else
		print_notes(&r, r.fmt == FMT_MARKDOWN);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "seccompmon report: standard output: %s\n",
		    strerror(errno));
		rc = 1;
	}
	report_free(&r);
	return rc;
}
