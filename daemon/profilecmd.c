/*
 * seccompmon profile: one pass over the inputs, each violation and summary
 * of the selection handed to the generator as (arch, call, action); then
 * one output.  The selection is required: a profile is for one workload,
 * and the denials of every process on a host make none.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/audit.h>

#include "daemon/profilecmd.h"
#include "policy/profgen.h"
#include "reporter/evread.h"

#define MALFORMED_SHOWN 5
/* x32 calls are recorded as x86_64 ones with this bit in the number. */
#define X32_SYSCALL_BIT 0x40000000LL
#define AUDIT_ARCH_X32_TOKEN 0x4000003eu	/* SCMP_ARCH_X32 */

enum pformat { PF_OCI, PF_SYSTEMD, PF_SECCOMPMON };

struct popts {
	enum pformat	 format;
	const char	*container;
	const char	*unit;
	const char	*exe;
	const char	*base;
	int		 diff;
	unsigned	 flags;
};

struct pstate {
	uint64_t	 lines, malformed, used, unnamed, lost;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: seccompmon profile (--container ID | --unit NAME | --exe PATH)\n"
"           [--format oci|systemd|seccompmon] [--base PROFILE.json]\n"
"           [--diff] [--force] [FILE...]\n");
}

static int
selected(const struct popts *o, const struct evitem *it)
{
	if (o->container != NULL && (it->container_id == NULL ||
	    strncmp(it->container_id, o->container, strlen(o->container)) != 0))
		return 0;
	if (o->unit != NULL && (it->service == NULL ||
	    strcmp(it->service, o->unit) != 0))
		return 0;
	if (o->exe != NULL && (it->exe == NULL || strcmp(it->exe, o->exe) != 0))
		return 0;
	return 1;
}

static int
add_item(struct profgen *g, const struct evitem *it, struct pstate *s)
{
	uint32_t arch = it->arch;

	if (it->syscall_name == NULL || arch == 0) {
		s->unnamed += it->count;
		return 0;
	}
	if (it->arch_name != NULL && strcmp(it->arch_name, "x32") == 0)
		arch = AUDIT_ARCH_X32_TOKEN;
	if (profgen_add(g, arch, it->syscall_name, it->action) < 0) {
		if (errno == ENOMEM)
			return -1;
		s->unnamed += it->count;
		return 0;
	}
	s->used += it->count;
	return 0;
}

/* What one input's lines go to. */
struct input {
	const struct popts	*o;
	struct profgen		*g;
	struct pstate		*s;
	const char		*name;
};

static void
input_bad(void *arg, uint64_t lineno, const char *why)
{
	struct input *in = arg;

	if (in->s->malformed++ < MALFORMED_SHOWN)
		fprintf(stderr, "seccompmon profile: %s:%" PRIu64 ": skipped: "
		    "%s\n", in->name, lineno, why);
}

static int
input_item(void *arg, const struct evitem *it)
{
	struct input *in = arg;

	if (it->kind == EV_LOST) {
		in->s->lost += it->lost_count;
		return 0;
	}
	if ((it->kind != EV_VIOLATION && it->kind != EV_SUMMARY) ||
	    !selected(in->o, it))
		return 0;
	return add_item(in->g, it, in->s);
}

static int
read_input(const char *path, const struct popts *o, struct evreader *er,
    struct profgen *g, struct pstate *s)
{
	struct input in = { o, g, s, strcmp(path, "-") == 0 ? "stdin" : path };
	struct evread_sink sink = { input_item, input_bad, &in, s->lines };
	int rc;

	rc = evread_file(er, path, &sink);
	s->lines = sink.lines;
	if (rc < 0)
		fprintf(stderr, "seccompmon profile: %s: %s\n", in.name,
		    strerror(errno));
	return rc;
}

static char *
slurp(const char *path)
{
	FILE *f;
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0, got;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				(void)fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	(void)fclose(f);
	buf[n] = '\0';
	return buf;
}

int
profilecmd_read_base(const char *cmd, const char *path, char **text,
    json_object **base)
{
	*base = NULL;
	if ((*text = slurp(path)) == NULL) {
		fprintf(stderr, "seccompmon %s: %s: %s\n", cmd, path,
		    strerror(errno));
		return -1;
	}
	if ((*base = json_tokener_parse(*text)) == NULL ||
	    !json_object_is_type(*base, json_type_object)) {
		fprintf(stderr, "seccompmon %s: %s: not a JSON object\n", cmd,
		    path);
		json_object_put(*base);
		*base = NULL;
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

static int
emit_oci(struct profgen *g, const struct popts *o)
{
	json_object *base = NULL, *diff = NULL;
	char *text = NULL, *out;
	char err[256];
	int rc = 1;

	if (o->base != NULL &&
	    profilecmd_read_base("profile", o->base, &text, &base) < 0)
		return 1;
	if (profgen_oci(g, base, o->flags, &diff, err, sizeof(err)) < 0) {
		fprintf(stderr, "seccompmon profile: %s%s%s\n",
		    o->base ? o->base : "", o->base ? ": " : "", err);
		goto out;
	}
	if (!json_object_object_get_ex(diff, "syscalls", NULL) &&
	    !json_object_object_get_ex(diff, "syscallsRemoved", NULL)) {
		fprintf(stderr, "seccompmon profile: nothing left to allow "
		    "(see the notes)\n");
		goto out;
	}
	out = profgen_json_text(o->diff || base == NULL ? diff : base, text);
	if (out == NULL) {
		fprintf(stderr, "seccompmon profile: out of memory\n");
		goto out;
	}
	fputs(out, stdout);
	free(out);
	rc = 0;
out:
	json_object_put(diff);
	json_object_put(base);
	free(text);
	return rc;
}

static int
emit(struct profgen *g, const struct popts *o, const char *source)
{
	json_object *j;
	char *out;

	switch (o->format) {
	case PF_OCI:
		return emit_oci(g, o);
	case PF_SYSTEMD:
		if ((out = profgen_systemd(g, o->flags, source)) == NULL)
			break;
		fputs(out, stdout);
		free(out);
		return 0;
	case PF_SECCOMPMON:
		if ((j = profgen_seccompmon(g, o->flags)) == NULL ||
		    (out = profgen_json_text(j, NULL)) == NULL) {
			json_object_put(j);
			break;
		}
		fputs(out, stdout);
		free(out);
		json_object_put(j);
		return 0;
	}
	fprintf(stderr, "seccompmon profile: %s\n", errno == ENOENT ?
	    "nothing left to allow (see the notes above)" :
	    strerror(errno));
	return 1;
}

int
profilecmd_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "container", required_argument, NULL, 'C' },
		{ "unit", required_argument, NULL, 'U' },
		{ "exe", required_argument, NULL, 'E' },
		{ "base", required_argument, NULL, 'b' },
		{ "diff", no_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const stdin_only[] = { "-", NULL };
	const char *const *files;
	const struct profgen_note *notes;
	struct popts o;
	struct pstate s;
	struct evreader *er;
	struct profgen *g;
	char buf[256], source[512];
	size_t i, n;
	int ch, rc = 0;

	memset(&o, 0, sizeof(o));
	memset(&s, 0, sizeof(s));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "oci") == 0)
				o.format = PF_OCI;
			else if (strcmp(optarg, "systemd") == 0)
				o.format = PF_SYSTEMD;
			else if (strcmp(optarg, "seccompmon") == 0)
				o.format = PF_SECCOMPMON;
			else {
				fprintf(stderr, "seccompmon profile: --format "
				    "%s: expected oci, systemd or seccompmon\n",
				    optarg);
				return 2;
			}
			break;
		case 'C':
			o.container = optarg;
			break;
		case 'U':
			o.unit = optarg;
			break;
		case 'E':
			o.exe = optarg;
			break;
		case 'b':
			o.base = optarg;
			break;
		case 'd':
			o.diff = 1;
			break;
		case 'F':
			o.flags |= PROFGEN_FORCE;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (o.container == NULL && o.unit == NULL && o.exe == NULL) {
		fprintf(stderr, "seccompmon profile: name the workload: "
		    "--container, --unit or --exe\n");
		usage(stderr);
		return 2;
	}
	if ((o.base != NULL || o.diff) && o.format != PF_OCI) {
		fprintf(stderr, "seccompmon profile: --base and --diff go with "
		    "--format oci\n");
		return 2;
	}
	files = optind < argc ? (const char *const *)argv + optind :
	    stdin_only;
	if ((er = evreader_new()) == NULL || (g = profgen_new()) == NULL) {
		evreader_free(er);
		fprintf(stderr, "seccompmon profile: out of memory\n");
		return 1;
	}
	for (i = 0; files[i] != NULL; i++)
		if (read_input(files[i], &o, er, g, &s) < 0)
			rc = 1;
	if (s.malformed > 0)
		fprintf(stderr, "seccompmon profile: %" PRIu64 " of %" PRIu64
		    " lines could not be read\n", s.malformed, s.lines);
	if (s.lost > 0)
		fprintf(stderr, "seccompmon profile: warning: the inputs report "
		    "%" PRIu64 " records lost: the profile may miss calls\n",
		    s.lost);
	if (s.unnamed > 0)
		fprintf(stderr, "seccompmon profile: %" PRIu64 " denials had no "
		    "call name for their architecture: left out\n", s.unnamed);
	if (rc == 0 && s.used == 0) {
		fprintf(stderr, "seccompmon profile: no denial of that "
		    "workload in the inputs\n");
		rc = 1;
	}
	if (rc == 0) {
		(void)snprintf(source, sizeof(source), "%s %s",
		    o.container ? "container" : o.unit ? "unit" : "executable",
		    o.container ? o.container : o.unit ? o.unit : o.exe);
		rc = emit(g, &o, source);
		notes = profgen_notes(g, &n);
		for (i = 0; i < n; i++)
			fprintf(stderr, "seccompmon profile: %s\n",
			    profgen_note_format(&notes[i], buf, sizeof(buf)));
	}
	profgen_free(g);
	evreader_free(er);
	return rc;
}
