/*
 * Real syslog daemons for the syslog output's tests (see syslogd.h).  The
 * packages are unpacked, not installed (syslogd-fetch.sh says why), so the
 * binaries are run with their module directories named on the command line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/integration/harness.h"
#include "tests/integration/syslogd.h"

#define START_MS	10000	/* start to sockets bound */
#define STOP_MS		5000	/* SIGTERM to exit */

static const char *const inputs[] = {
	SYSLOGD_LOG, SYSLOGD_LOG5424, SYSLOGD_LOGRAW,
};
#define NINPUTS (sizeof(inputs) / sizeof(inputs[0]))

/*
 * rsyslog: one line of JSON per message, from properties.  %$!% is the tree
 * mmjsonparse made ({"msg": ...} when the message was not JSON); ":::json"
 * escapes for a JSON string.  Written into the configuration with every '"'
 * escaped.
 */
static const char rsyslog_template[] =
    "{\"sev\":\"%syslogseverity%\",\"fac\":\"%syslogfacility%\","
    "\"app\":\"%app-name:::json%\",\"host\":\"%hostname:::json%\","
    "\"procid\":\"%procid:::json%\",\"msgid\":\"%msgid:::json%\","
    "\"time\":\"%timereported:::date-rfc3339%\",\"msg\":\"%msg:::json%\","
    "\"action\":\"%$!seccomp!action:::json%\","
    "\"pid\":\"%$!process!pid:::json%\","
    "\"name\":\"%$!process!name:::json%\","
    "\"exe\":\"%$!process!executable:::json%\","
    "\"parsed\":%$!%}\\n";

/* syslog-ng: the same fields through format-json. */
static const char syslogng_template[] =
    "$(format-json sev=${LEVEL_NUM} fac=${FACILITY_NUM} app=${PROGRAM} "
    "host=${HOST} procid=${PID} msgid=${MSGID} time=${ISODATE} msg=${MSG} "
    "action=${.json.seccomp.action} pid=${.json.process.pid} "
    "name=${.json.process.name} exe=${.json.process.executable} "
    "--key .json.* --rekey .json.* --replace-prefix .json.=parsed.)\\n";

static const char *
root_dir(void)
{
	const char *e = getenv(SYSLOGD_DIR_ENV);

	return e != NULL && *e != '\0' ? e : SYSLOGD_DIR_DEFAULT;
}

/* The one path matching pattern under root, into buf.  0, or -1. */
static int
find_one(const char *root, const char *pattern, char *buf, size_t len)
{
	char pat[512];
	glob_t g;
	int rc = -1;

	snprintf(pat, sizeof(pat), "%s/%s", root, pattern);
	if (glob(pat, 0, NULL, &g) != 0)
		return -1;
	if (g.gl_pathc >= 1 && strlen(g.gl_pathv[0]) < len) {
		strcpy(buf, g.gl_pathv[0]);
		rc = 0;
	}
	globfree(&g);
	return rc;
}

int
syslogd_available(char *why, size_t len)
{
	char root[300], p[512];

	snprintf(root, sizeof(root), "%s/root", root_dir());
	snprintf(p, sizeof(p), "%s/usr/sbin/rsyslogd", root);
	if (access(p, X_OK) == 0) {
		snprintf(p, sizeof(p), "%s/usr/sbin/syslog-ng", root);
		if (access(p, X_OK) == 0)
			return 0;
	}
	snprintf(why, len, "%s: %s (tests/integration/syslogd-fetch.sh "
	    "unpacks rsyslog and syslog-ng there; ./build.sh check runs it)",
	    p, strerror(errno));
	return 77;
}

const char *
syslogd_name(enum syslogd_kind kind)
{
	return kind == SYSLOGD_RSYSLOG ? "rsyslog" : "syslog-ng";
}

const char *
syslogd_socket(const struct syslogd *d, const char *name, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s/%s", d->dir, name);
	return buf;
}

/* Write s with every '"' escaped as '\"' (a RainerScript string). */
static void
put_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static int
write_rsyslog_conf(const struct syslogd *d, FILE *f)
{
	size_t i;

	fprintf(f, "global(workDirectory=\"%s\" maxMessageSize=\"64k\")\n",
	    d->dir);
	fprintf(f, "module(load=\"imuxsock\" SysSock.Use=\"off\")\n");
	fprintf(f, "module(load=\"mmjsonparse\")\n");
	fprintf(f, "template(name=\"j\" type=\"string\" string=\"");
	put_escaped(f, rsyslog_template);
	fprintf(f, "\")\n");
	for (i = 0; i < NINPUTS; i++) {
		/*
		 * The sender's timestamp, not the time of arrival; RFC 5424
		 * needs the regular parsers instead of imuxsock's own.
		 */
		fprintf(f, "input(type=\"imuxsock\" Socket=\"%s/%s\" "
		    "ruleset=\"%s\" IgnoreTimestamp=\"off\" "
		    "UseSysTimeStamp=\"off\"%s)\n", d->dir, inputs[i],
		    inputs[i], strcmp(inputs[i], SYSLOGD_LOG5424) == 0 ?
		    " UseSpecialParser=\"off\" ParseHostname=\"on\"" : "");
		fprintf(f, "ruleset(name=\"%s\") {\n"
		    "\taction(type=\"mmjsonparse\"%s)\n"
		    "\taction(type=\"omfile\" file=\"%s/out-%s\" "
		    "template=\"j\")\n}\n", inputs[i],
		    strcmp(inputs[i], SYSLOGD_LOGRAW) == 0 ?
		    " cookie=\"\"" : "", d->dir, inputs[i]);
	}
	return 0;
}

static int
write_syslogng_conf(const struct syslogd *d, FILE *f)
{
	size_t i;

	/* Messages up to 64k, as rsyslog here; milliseconds in ISODATE. */
	fprintf(f, "@version: 3.38\n"
	    "options { log-msg-size(65536); frac-digits(3); };\n"
	    "parser p_cee { json-parser(marker(\"@cee:\") "
	    "prefix(\".json.\")); };\n"
	    "parser p_raw { json-parser(prefix(\".json.\")); };\n"
	    "template t { template(\"");
	put_escaped(f, syslogng_template);
	fprintf(f, "\"); };\n");
	for (i = 0; i < NINPUTS; i++) {
		fprintf(f, "source s_%s { unix-dgram(\"%s/%s\"%s); };\n",
		    inputs[i], d->dir, inputs[i],
		    strcmp(inputs[i], SYSLOGD_LOG5424) == 0 ?
		    " flags(syslog-protocol) keep-hostname(yes)" : "");
		fprintf(f, "destination d_%s { file(\"%s/out-%s\" "
		    "template(t)); };\n", inputs[i], d->dir, inputs[i]);
		fprintf(f, "log { source(s_%s); parser(%s); "
		    "destination(d_%s); };\n", inputs[i],
		    strcmp(inputs[i], SYSLOGD_LOGRAW) == 0 ? "p_raw" : "p_cee",
		    inputs[i]);
	}
	return 0;
}

int
syslogd_init(struct syslogd *d, enum syslogd_kind kind)
{
	char path[128];
	FILE *f;
	int rc;

	memset(d, 0, sizeof(*d));
	d->kind = kind;
	snprintf(d->root, sizeof(d->root), "%s/root", root_dir());
	strcpy(d->dir, "/tmp/sm-syslogd-XXXXXX");
	if (mkdtemp(d->dir) == NULL) {
		d->dir[0] = '\0';
		return -1;
	}
	/* The daemons may drop privileges; the sockets stay reachable. */
	(void)chmod(d->dir, 0755);
	snprintf(path, sizeof(path), "%s/syslogd.conf", d->dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = kind == SYSLOGD_RSYSLOG ? write_rsyslog_conf(d, f) :
	    write_syslogng_conf(d, f);
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Exec the daemon in the child: no return. */
static void
child_exec(const struct syslogd *d)
{
	char exe[512], conf[128], pidf[128], mod[512], arg[600], log[128];
	char lib[512], persist[128], ctl[128];
	int fd;

	snprintf(conf, sizeof(conf), "%s/syslogd.conf", d->dir);
	snprintf(pidf, sizeof(pidf), "%s/syslogd.pid", d->dir);
	snprintf(log, sizeof(log), "%s/syslogd.log", d->dir);
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
		_exit(127);
	if ((fd = open("/dev/null", O_RDONLY)) < 0 ||
	    dup2(fd, STDIN_FILENO) < 0)
		_exit(127);
	/* Timestamps shown in UTC, whatever the host's zone. */
	(void)setenv("TZ", "UTC0", 1);
	if (d->kind == SYSLOGD_RSYSLOG) {
		snprintf(exe, sizeof(exe), "%s/usr/sbin/rsyslogd", d->root);
		if (find_one(d->root, "usr/lib/*/rsyslog", mod,
		    sizeof(mod)) < 0)
			_exit(127);
		execl(exe, "rsyslogd", "-n", "-f", conf, "-i", pidf, "-M",
		    mod, (char *)NULL);
	} else {
		snprintf(exe, sizeof(exe), "%s/usr/sbin/syslog-ng", d->root);
		snprintf(lib, sizeof(lib), "%s/usr/lib/syslog-ng", d->root);
		if (find_one(d->root, "usr/lib/syslog-ng/[0-9]*", mod,
		    sizeof(mod)) < 0)
			_exit(127);
		snprintf(arg, sizeof(arg), "--module-path=%s", mod);
		snprintf(persist, sizeof(persist), "%s/syslog-ng.persist",
		    d->dir);
		snprintf(ctl, sizeof(ctl), "%s/syslog-ng.ctl", d->dir);
		(void)setenv("LD_LIBRARY_PATH", lib, 1);
		execl(exe, "syslog-ng", "-F", "-f", conf, "-R", persist,
		    "-p", pidf, "-c", ctl, "--no-caps", arg, (char *)NULL);
	}
	_exit(127);
}

/* Print the daemon's own output, for a failure's diagnosis. */
static void
show_log(const struct syslogd *d)
{
	char path[128], buf[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/syslogd.log", d->dir);
	if ((f = fopen(path, "r")) == NULL)
		return;
	fprintf(stderr, "--- %s output:\n", syslogd_name(d->kind));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "---\n");
	fclose(f);
}

int
syslogd_start(struct syslogd *d)
{
	char path[128];
	pid_t parent = getpid();
	int64_t deadline;
	struct stat st;
	size_t i, up;
	int status;

	if (d->pid > 0)
		return 0;
	/* Sockets of a previous run: only the new daemon's count. */
	for (i = 0; i < NINPUTS; i++)
		(void)unlink(syslogd_socket(d, inputs[i], path,
		    sizeof(path)));
	if ((d->pid = fork()) < 0) {
		d->pid = 0;
		return -1;
	}
	if (d->pid == 0) {
		/* rsyslogd -n and syslog-ng -F stay this process. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(127);
		child_exec(d);
	}
	deadline = mono_ms() + START_MS;
	do {
		for (i = up = 0; i < NINPUTS; i++)
			if (stat(syslogd_socket(d, inputs[i], path,
			    sizeof(path)), &st) == 0 && S_ISSOCK(st.st_mode))
				up++;
		if (up == NINPUTS)
			return 0;
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			fprintf(stderr, "%s exited at start (status 0x%x)\n",
			    syslogd_name(d->kind), (unsigned)status);
			d->pid = 0;
			show_log(d);
			return -1;
		}
		(void)usleep(20000);
	} while (mono_ms() < deadline);
	fprintf(stderr, "%s: sockets not there after %d ms\n",
	    syslogd_name(d->kind), START_MS);
	show_log(d);
	syslogd_stop(d);
	return -1;
}

void
syslogd_stop(struct syslogd *d)
{
	int status;

	if (d->pid <= 0)
		return;
	(void)kill(d->pid, SIGTERM);
	(void)child_reap(d->pid, STOP_MS, &status);
	d->pid = 0;
}

void
syslogd_destroy(struct syslogd *d)
{
	char cmd[128];

	syslogd_stop(d);
	if (d->dir[0] == '\0' || strncmp(d->dir, "/tmp/sm-syslogd-", 16) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", d->dir);
	d->dir[0] = '\0';
}

/* The whole file, NUL-terminated; NULL when it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	char *buf = NULL, *p;
	size_t cap = 0, n;
	FILE *f;

	*len = 0;
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	for (;;) {
		if (*len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			if ((p = realloc(buf, cap)) == NULL)
				break;
			buf = p;
		}
		if ((n = fread(buf + *len, 1, cap - *len - 1, f)) == 0)
			break;
		*len += n;
	}
	fclose(f);
	if (buf != NULL)
		buf[*len] = '\0';
	return buf;
}

size_t
syslogd_wait(const struct syslogd *d, const char *name, size_t n,
    int timeout_ms, json_object **lines)
{
	int64_t deadline = mono_ms() + timeout_ms;
	char path[128], *buf, *p, *nl;
	size_t len, got;

	snprintf(path, sizeof(path), "%s/out-%s", d->dir, name);
	for (;;) {
		got = 0;
		if ((buf = slurp(path, &len)) != NULL)
			for (p = buf; (nl = strchr(p, '\n')) != NULL;
			    p = nl + 1)
				got++;
		if (got >= n || mono_ms() >= deadline)
			break;
		free(buf);
		(void)usleep(20000);
	}
	got = 0;
	if (buf != NULL)
		for (p = buf; got < n && (nl = strchr(p, '\n')) != NULL;
		    p = nl + 1) {
			*nl = '\0';
			lines[got++] = json_tokener_parse(p);
		}
	free(buf);
	return got;
}

const char *
syslogd_str(json_object *o, const char *key)
{
	json_object *v;
	const char *s;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    (s = json_object_get_string(v)) == NULL)
		return "";
	return s;
}
