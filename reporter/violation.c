/*
 * SECCOMP record text -> struct violation.  Parsed by key, never by position
 * (subj= comes and goes; libauparse's positional parser gets this wrong), with
 * hand-written number parsers over (pointer, length): the text is not
 * NUL-terminated and strtoull() would accept signs and blanks we must reject.
 */
#include "config.h"

#include <string.h>

#include "reporter/violation.h"
#include "reporter/textscan.h"

static const char *const field_names[VF_COUNT] = {
	[VF_AUID] = "auid",
	[VF_UID] = "uid",
	[VF_GID] = "gid",
	[VF_SES] = "ses",
	[VF_SUBJ] = "subj",
	[VF_PID] = "pid",
	[VF_COMM] = "comm",
	[VF_EXE] = "exe",
	[VF_SIG] = "sig",
	[VF_ARCH] = "arch",
	[VF_SYSCALL] = "syscall",
	[VF_COMPAT] = "compat",
	[VF_IP] = "ip",
	[VF_CODE] = "code",
};

const char *
violation_field_name(enum violation_field f)
{
	if ((unsigned)f >= VF_COUNT)
		return "?";
	return field_names[f];
}

const char *
violation_strerror(enum violation_error err)
{
	switch (err) {
	case VIOLATION_OK:
		return "ok";
	case VIOLATION_TOO_LONG:
		return "record too long";
	case VIOLATION_BAD_HEADER:
		return "malformed audit(SEC.MSEC:SERIAL) header";
	case VIOLATION_NO_FIELDS:
		return "no SECCOMP fields after the header";
	}
	return "unknown error";
}

const char *
violation_str(const struct violation *v, struct vstr s)
{
	if (s.len == 0)
		return "";
	return v->arena + s.off;
}

/*
 * The field a key names, or -1.  By length, then by the bytes as one
 * compare: every record has fourteen keys, so this runs fourteen times
 * a record.
 */
static int
field_lookup(const char *k, size_t n)
{
	switch (n) {
	case 2:
		return memcmp(k, "ip", 2) == 0 ? VF_IP : -1;
	case 3:
		switch (k[0]) {
		case 'u':
			return memcmp(k, "uid", 3) == 0 ? VF_UID : -1;
		case 'g':
			return memcmp(k, "gid", 3) == 0 ? VF_GID : -1;
		case 'p':
			return memcmp(k, "pid", 3) == 0 ? VF_PID : -1;
		case 'e':
			return memcmp(k, "exe", 3) == 0 ? VF_EXE : -1;
		case 's':
			if (memcmp(k, "ses", 3) == 0)
				return VF_SES;
			return memcmp(k, "sig", 3) == 0 ? VF_SIG : -1;
		}
		return -1;
	case 4:
		switch (k[0]) {
		case 'a':
			if (memcmp(k, "auid", 4) == 0)
				return VF_AUID;
			return memcmp(k, "arch", 4) == 0 ? VF_ARCH : -1;
		case 'c':
			if (memcmp(k, "comm", 4) == 0)
				return VF_COMM;
			return memcmp(k, "code", 4) == 0 ? VF_CODE : -1;
		case 's':
			return memcmp(k, "subj", 4) == 0 ? VF_SUBJ : -1;
		}
		return -1;
	case 6:
		return memcmp(k, "compat", 6) == 0 ? VF_COMPAT : -1;
	case 7:
		return memcmp(k, "syscall", 7) == 0 ? VF_SYSCALL : -1;
	}
	return -1;
}

/*
 * The key the kernel prints after each (audit_seccomp(): subj= only with
 * an LSM, so ses= is followed by pid= or subj=), "key=" as eight bytes and
 * a mask: a record as the kernel wrote it has each key found by one
 * compare.  Only a guess: a key that differs takes the full path.
 */
struct keyguess {
	char		text[8];
	char		mask[8];
	unsigned char	len;	/* with the '=' */
	signed char	next;	/* the field expected after this one */
};

#define M3 "\xff\xff\xff"
#define M4 M3 "\xff"
#define M5 M4 "\xff"
#define M7 M5 "\xff\xff"
#define M8 M7 "\xff"
static const struct keyguess keyguess[VF_COUNT] = {
	[VF_AUID] = { "auid=", M5, 5, VF_UID },
	[VF_UID] = { "uid=", M4, 4, VF_GID },
	[VF_GID] = { "gid=", M4, 4, VF_SES },
	[VF_SES] = { "ses=", M4, 4, VF_PID },
	[VF_SUBJ] = { "subj=", M5, 5, VF_PID },
	[VF_PID] = { "pid=", M4, 4, VF_COMM },
	[VF_COMM] = { "comm=", M5, 5, VF_EXE },
	[VF_EXE] = { "exe=", M4, 4, VF_SIG },
	[VF_SIG] = { "sig=", M4, 4, VF_ARCH },
	[VF_ARCH] = { "arch=", M5, 5, VF_SYSCALL },
	[VF_SYSCALL] = { "syscall=", M8, 8, VF_COMPAT },
	[VF_COMPAT] = { "compat=", M7, 7, VF_IP },
	[VF_IP] = { "ip=", M3, 3, VF_CODE },
	[VF_CODE] = { "code=", M5, 5, -1 },
};
#undef M3
#undef M4
#undef M5
#undef M7
#undef M8

/* Whether p starts with the guessed "key=" (8 bytes readable at p). */
static inline int
key_guessed(const char *p, const struct keyguess *g)
{
	uint64_t x, t, m;

	memcpy(&x, p, 8);
	memcpy(&t, g->text, 8);
	memcpy(&m, g->mask, 8);
	return ((x ^ t) & m) == 0;
}

/* Copy n bytes into the arena, NUL-terminated.  -1 when it does not fit. */
static int
arena_put(struct violation *v, const char *src, size_t n, struct vstr *out)
{
	if (n + 1 > sizeof(v->arena) - v->arena_used)
		return -1;
	memcpy(v->arena + v->arena_used, src, n);
	v->arena[v->arena_used + n] = '\0';
	out->off = v->arena_used;
	out->len = (uint32_t)n;
	v->arena_used += (uint32_t)n + 1;
	return 0;
}

/*
 * An "untrusted string" as audit_log_untrustedstring() prints it: in double
 * quotes, or as uppercase hex when it holds a quote, a blank, a control or a
 * non-ASCII byte (audit_string_contains_control()).  quoted tells which.
 */
static int
untrusted_put(struct violation *v, const char *val, size_t n, int quoted,
    struct vstr *out)
{
	char *dst;
	size_t i;
	int hi, lo;

	if (quoted)
		return arena_put(v, val, n, out);
	if (n == 0 || n % 2 != 0 || n / 2 + 1 > sizeof(v->arena) - v->arena_used)
		return -1;
	dst = v->arena + v->arena_used;
	for (i = 0; i < n; i += 2) {
		hi = scan_hexdigit(val[i]);
		lo = scan_hexdigit(val[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		dst[i / 2] = (char)(hi << 4 | lo);
	}
	dst[n / 2] = '\0';
	out->off = v->arena_used;
	out->len = (uint32_t)(n / 2);
	v->arena_used += (uint32_t)(n / 2) + 1;
	return 0;
}

/*
 * Bytes the kernel hex-encodes a string for (audit_string_contains_control():
 * '"', below 0x21, above 0x7e).
 */
#define O16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define Z16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const unsigned char khex[256] = {
	O16, O16,					/* 0x00-0x1f */
	1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x20: ' ' '"' */
	Z16, Z16, Z16, Z16,				/* 0x30-0x6f */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	/* 0x70: DEL */
	O16, O16, O16, O16, O16, O16, O16, O16,		/* 0x80-0xff */
};
#undef O16
#undef Z16

/*
 * Whether the kernel would have hex-encoded these bytes rather than quote
 * them.  Every byte is looked at (no early exit): a quoted string is nearly
 * always clean, and a loop without a branch per byte is the faster one.
 */
static int
kernel_hexes(const char *val, size_t n)
{
	unsigned char any = 0;
	size_t i;

	for (i = 0; i < n; i++)
		any |= khex[(unsigned char)val[i]];
	return any;
}

/* "0x" followed by hex digits, kept verbatim and as a number. */
static int
hex0x_put(struct violation *v, const char *val, size_t n, uint64_t max,
    uint64_t *num, struct vstr *out)
{
	if (n < 3 || val[0] != '0' || val[1] != 'x')
		return -1;
	if (scan_hex(val + 2, n - 2, max, num) < 0)
		return -1;
	return arena_put(v, val, n, out);
}

static int
field_set(struct violation *v, int f, const char *val, size_t n, int quoted)
{
	uint64_t u;
	int64_t s;

	/* Only comm and exe may be quoted; a quoted number is malformed. */
	if (quoted && f != VF_COMM && f != VF_EXE && f != VF_SUBJ)
		return -1;

	switch (f) {
	case VF_AUID:
	case VF_UID:
	case VF_GID:
	case VF_SES:
		if (scan_udec(val, n, UINT32_MAX, &u) < 0)
			return -1;
		if (f == VF_AUID)
			v->auid = (uint32_t)u;
		else if (f == VF_UID)
			v->uid = (uint32_t)u;
		else if (f == VF_GID)
			v->gid = (uint32_t)u;
		else
			v->ses = (uint32_t)u;
		return 0;
	case VF_PID:
		if (scan_udec(val, n, INT32_MAX, &u) < 0)
			return -1;
		v->pid = (int32_t)u;
		return 0;
	case VF_SUBJ:
		if (n == 0)
			return -1;
		return arena_put(v, val, n, &v->subj);
	case VF_COMM:
		return untrusted_put(v, val, n, quoted, &v->comm);
	case VF_EXE:
		/* audit_log_d_path_exe(): a task without mm or exe file. */
		if (!quoted && n == 6 && memcmp(val, "(null)", 6) == 0) {
			v->exe.off = 0;
			v->exe.len = 0;
			return 0;
		}
		return untrusted_put(v, val, n, quoted, &v->exe);
	case VF_SIG:
		if (scan_sdec(val, n, &s) < 0)
			return -1;
		v->sig = s;
		return 0;
	case VF_ARCH:
		if (scan_hex(val, n, UINT32_MAX, &u) < 0)
			return -1;
		v->arch = (uint32_t)u;
		return 0;
	case VF_SYSCALL:
		if (scan_sdec(val, n, &s) < 0)
			return -1;
		v->syscall = s;
		return 0;
	case VF_COMPAT:
		if (n != 1 || (val[0] != '0' && val[0] != '1'))
			return -1;
		v->compat = val[0] - '0';
		return 0;
	case VF_IP:
		return hex0x_put(v, val, n, UINT64_MAX, &v->ip, &v->ip_text);
	case VF_CODE:
		if (hex0x_put(v, val, n, UINT32_MAX, &u, &v->code_text) < 0)
			return -1;
		v->code = (uint32_t)u;
		return 0;
	}
	return -1;
}

/* "audit(SEC.MSEC:SERIAL): " as audit_log_start() prints it. */
static const char *
header_parse(const char *p, const char *end, struct violation *v)
{
	const char *q;
	uint64_t u;

	if (end - p < 6 || memcmp(p, "audit(", 6) != 0)
		return NULL;
	p += 6;
	for (q = p; q < end && *q >= '0' && *q <= '9'; q++)
		;
	if (q == end || *q != '.' || scan_udec(p, (size_t)(q - p), UINT64_MAX,
	    &v->time_sec) < 0)
		return NULL;
	p = q + 1;
	if (end - p < 4 || p[3] != ':' || scan_udec(p, 3, 999, &u) < 0)
		return NULL;
	v->time_msec = (uint32_t)u;
	p += 4;
	for (q = p; q < end && *q >= '0' && *q <= '9'; q++)
		;
	if (end - q < 2 || q[0] != ')' || q[1] != ':' ||
	    scan_udec(p, (size_t)(q - p), UINT32_MAX, &u) < 0)
		return NULL;
	v->serial = (uint32_t)u;
	return q + 2;
}

/*
 * The first blank in [p, end), or end.  Values are a few bytes long: a
 * call to memchr() costs more than the search, so eight bytes at a time
 * in a register, never reading past end.  A byte of x is 0x80 exactly
 * where the text has a blank (x: the bytes XOR ' '; no carry crosses a
 * byte, so the test holds on either byte order).
 */
static inline const char *
find_blank(const char *p, const char *end)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
	uint64_t x;

	while (end - p >= 8) {
		memcpy(&x, p, 8);
		x ^= 0x2020202020202020ull;
		x = ~(((x & low7) + low7) | x | low7);
		if (x != 0) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return p + (__builtin_ctzll(x) >> 3);
#else
			return p + (__builtin_clzll(x) >> 3);
#endif
		}
		p += 8;
	}
	while (p < end && *p != ' ')
		p++;
	return p;
}

/* Bytes of a key: [A-Za-z0-9_-].  One look-up per byte. */
#define Z16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const unsigned char keych[256] = {
	Z16, Z16,						/* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,	/* 0x20: '-' */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,	/* 0x30: 0-9 */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x40: A-O */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,	/* 0x50: P-Z _ */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x60: a-o */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,	/* 0x70: p-z */
	Z16, Z16, Z16, Z16, Z16, Z16, Z16, Z16,			/* 0x80 */
};
#undef Z16

enum violation_error
violation_decode(const char *text, size_t len, struct violation *v)
{
	const char *p, *end, *key, *val, *q;
	size_t klen, vlen;
	int f, quoted, guess = VF_AUID;

	while (len > 0 && (text[len - 1] == '\0' || text[len - 1] == '\n'))
		len--;
	if (len > VIOLATION_TEXT_MAX)
		return VIOLATION_TOO_LONG;

	memset(v, 0, offsetof(struct violation, arena));
	/* Offset 0 is the empty string, so an absent vstr reads as "". */
	v->arena[0] = '\0';
	v->arena_used = 1;

	end = text + len;
	if ((p = header_parse(text, end, v)) == NULL)
		return VIOLATION_BAD_HEADER;

	while (p < end) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (guess >= 0 && end - p >= 8 &&
		    key_guessed(p, &keyguess[guess])) {
			/* The same key field_lookup() would have found. */
			f = guess;
			p += keyguess[f].len;
		} else {
			key = p;
			while (p < end && keych[(unsigned char)*p])
				p++;
			if (p == end || *p != '=' || p == key) {
				/* Not key=value: skip the token. */
				p = find_blank(p, end);
				continue;
			}
			klen = (size_t)(p - key);
			p++;
			f = field_lookup(key, klen);
		}
		guess = f >= 0 ? keyguess[f].next : -1;
		quoted = 0;
		if (f == VF_SUBJ) {
			/*
			 * The label is printed raw and may hold blanks and
			 * parentheses (AppArmor: "profile (enforce)").  The
			 * kernel always prints pid= right after it.
			 */
			val = p;
			q = scan_find(p, (size_t)(end - p), " pid=", 5);
			if (q == NULL)
				for (q = p; q < end && *q != ' '; q++)
					;
			vlen = (size_t)(q - p);
			p = q;
		} else if (p < end && *p == '"') {
			val = ++p;
			q = memchr(p, '"', (size_t)(end - p));
			if (q == NULL) {
				/* Truncated: the value runs off the end. */
				if (f >= 0 && !(v->present & VF_BIT(f)))
					v->invalid |= VF_BIT(f);
				break;
			}
			vlen = (size_t)(q - p);
			p = q + 1;
			quoted = 1;
		} else {
			val = p;
			p = find_blank(p, end);
			vlen = (size_t)(p - val);
		}
		if (f < 0 || ((v->present | v->invalid) & VF_BIT(f)))
			continue;
		if (field_set(v, f, val, vlen, quoted) == 0) {
			v->present |= VF_BIT(f);
			/* A NUL or ESC in quotes: not the kernel's text. */
			if (quoted && kernel_hexes(val, vlen))
				v->misquoted |= VF_BIT(f);
		} else
			v->invalid |= VF_BIT(f);
	}

	if ((v->present | v->invalid) == 0)
		return VIOLATION_NO_FIELDS;
	return VIOLATION_OK;
}
