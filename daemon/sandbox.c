/*
 * Sandbox steps for main.c and the policy subcommands.  The filter is
 * compiled before privileges are shed (libseccomp only allocates) and
 * loaded after, as the last step before serving.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "daemon/log.h"
#include "daemon/procfile.h"
#include "daemon/sandbox.h"

unsigned
sandbox_actions_available(void)
{
	char buf[256];

	if (procfile_read("/proc/sys/kernel/seccomp/actions_avail", buf,
	    sizeof(buf), 1) < 0) {
		/* Before 4.14 there is no such file and no kill_process/log. */
		return POLICY_ALL_ACTIONS & ~(POLICY_ACTION_BIT(POLICY_LOG) |
		    POLICY_ACTION_BIT(POLICY_KILL_PROCESS));
	}
	return policy_actions_parse(buf);
}

int
sandbox_prepare(struct sandbox *sb, const struct policy *p)
{
	struct errlist errs;
	char text[ERRLIST_TEXT_MAX];
	size_t i;

	memset(sb, 0, sizeof(*sb));
	if (!p->enabled)
		return 0;
	sb->avail = sandbox_actions_available();
	/* SECCOMP_FILTER_FLAG_LOG came with the log action (4.14). */
	sb->log_flag = (sb->avail & POLICY_ACTION_BIT(POLICY_LOG)) != 0;
	memset(&errs, 0, sizeof(errs));
	if ((sb->ctx = policy_compile(p, &errs)) != NULL)
		return 0;
	for (i = 0; i < errs.n; i++)
		log_msg(LOG_ERR, "%s", errlist_format(&errs.e[i], text,
		    sizeof(text)));
	return -1;
}

int
sandbox_shed(const struct privs_keep *k)
{
	char err[256];

	if (privs_shed(k, err, sizeof(err)) < 0) {
		log_msg(LOG_ERR, "shedding privileges: %s", err);
		return -1;
	}
	return 0;
}

int
sandbox_load(struct sandbox *sb)
{
	long tid;

	if (sb->ctx == NULL)
		return -1;
	if (policy_load(sb->ctx, sb->log_flag, &tid) < 0) {
		if (errno == ESRCH && tid > 0)
			log_msg(LOG_ERR, "loading the seccomp filter: thread "
			    "%ld could not be synchronised (TSYNC)", tid);
		else
			log_errno(LOG_ERR, "loading the seccomp filter");
		return -1;
	}
	sb->loaded = 1;
	return 0;
}

void
sandbox_snapshot(struct sandbox *sb)
{
	struct privs_caps c;

	sb->uid = getuid();
	sb->caps = privs_caps_self(&c) == 0 ? c.prm : ~(uint64_t)0;
}

void
sandbox_report(const struct sandbox *sb, const struct policy *p,
    const struct landlock_ctx *ll, int enabled)
{
	static const char *const origins[] = { "no", "built-in", "custom" };
	char caps[256], paths[1024];
	size_t i, n = 0;

	for (i = 0; i < p->nrules; i++)
		n += p->rules[i].nnames;
	privs_caps_string(sb->caps, caps, sizeof(caps));
	landlock_describe(ll, enabled, paths, sizeof(paths));
	if (sb->loaded)
		log_info("sandbox: %s %s policy loaded (%zu syscalls listed, "
		    "default %s%s); uid %u; capabilities: %s; %s",
		    origins[p->origin], policy_arch_name(p->arch), n,
		    policy_action_name(p->default_action),
		    sb->log_flag ? ", denials audited" : "",
		    (unsigned)sb->uid, caps, paths);
	else
		log_msg(p->enabled ? LOG_ERR : LOG_WARNING, "sandbox: NO "
		    "seccomp filter (%s); uid %u; capabilities: %s; %s",
		    p->enabled ? "the policy has errors or did not load" :
		    "disabled by seccomp.enabled", (unsigned)sb->uid, caps,
		    paths);
}

void
sandbox_free(struct sandbox *sb)
{
	if (sb->ctx != NULL)
		seccomp_release(sb->ctx);
	sb->ctx = NULL;
}
