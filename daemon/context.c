/*
 * Wiring of the context sources for the pipeline: one look-up in the
 * process cache per event that storm control lets through (summaries need
 * none), then binary searches in the user tables; pod names only for a
 * process in a pod.  The user files are checked once a second at most.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/context.h"
#include "daemon/log.h"
#include "reporter/podnames.h"
#include "reporter/userdb.h"

#define USERDB_MAX 1000000	/* entries a table keeps */
#define USERDB_CHECK_MS 1000
#define POD_MAX 4096		/* pods a node runs: kubelet's limit is 110 */
#define POD_RESCAN_MS 5000

struct context {
	struct procctx		*pc;
	struct userdb		*users;
	struct podnames		*pods;
	struct event_proc	 ep;
	int			 users_err;	/* last reported errno */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct context *
context_new(const struct conf *c)
{
	struct context *cx;

	if (!c->context.enabled)
		return NULL;
	if ((cx = calloc(1, sizeof(*cx))) == NULL ||
	    (cx->pc = procctx_new(c->context.cache_size,
	    c->context.args_max)) == NULL ||
	    (cx->users = userdb_new(conf_context_passwd(c),
	    conf_context_group(c), USERDB_MAX)) == NULL ||
	    (cx->pods = podnames_new(conf_context_pod_log_dir(c),
	    POD_MAX)) == NULL)
		fatal("setting up the process context");
	context_tick(cx);
	return cx;
}

void
context_confined(struct context *cx)
{
	if (cx != NULL)
		procctx_no_cwd(cx->pc);
}

void
context_tick(struct context *cx)
{
	struct userdb_status st;

	if (cx == NULL)
		return;
	if (userdb_refresh(cx->users, now_ms(), USERDB_CHECK_MS) < 0) {
		userdb_status(cx->users, &st);
		/* Said once per cause, not each second. */
		if (st.last_errno != cx->users_err)
			log_msg(LOG_WARNING, "%s: %s; user and group names "
			    "stay as last read", st.failed_path ?
			    st.failed_path : "user database",
			    strerror(st.last_errno));
		cx->users_err = st.last_errno;
	} else
		cx->users_err = 0;
}

const struct event_proc *
context_of(struct context *cx, const struct violation *v)
{
	const struct procctx_info *pi;
	const struct cgroup_info *cg;
	struct event_proc *ep = &cx->ep;
	const char *ns, *name;

	memset(ep, 0, sizeof(*ep));
	pi = procctx_lookup(cx->pc, v->present & VF_BIT(VF_PID) ? v->pid : 0,
	    (int64_t)v->time_sec * 1000 + v->time_msec,
	    v->present & VF_BIT(VF_COMM) ? violation_str(v, v->comm) : NULL,
	    v->comm.len,
	    v->present & VF_BIT(VF_EXE) ? violation_str(v, v->exe) : NULL,
	    v->exe.len);
	ep->source = procctx_source_name(pi->source);
	ep->ppid = pi->ppid;
	ep->start_ms = pi->start_ms;
	ep->args = pi->args;
	ep->args_len = pi->args_len;
	ep->nargs = pi->nargs;
	ep->args_truncated = pi->args_truncated;
	ep->cwd = pi->cwd;
	ep->cwd_len = pi->cwd_len;
	if ((cg = pi->cg) != NULL) {
		ep->cgroup = cg->path[0] ? cg->path : NULL;
		ep->service = cg->service[0] ? cg->service : NULL;
		ep->container_id = cg->container_id[0] ? cg->container_id :
		    NULL;
		ep->container_runtime = ep->container_id ? cg->runtime : NULL;
		if (cg->pod_uid[0]) {
			ep->pod_uid = cg->pod_uid;
			if (podnames_lookup(cx->pods, cg->pod_uid, now_ms(),
			    POD_RESCAN_MS, &ns, &name) == 1) {
				ep->pod_namespace = ns;
				ep->pod_name = name;
			}
		}
	}
	if (v->present & VF_BIT(VF_UID))
		ep->user_name = userdb_user(cx->users, v->uid,
		    &ep->user_name_len);
	if (v->present & VF_BIT(VF_GID))
		ep->group_name = userdb_group(cx->users, v->gid,
		    &ep->group_name_len);
	if ((v->present & VF_BIT(VF_AUID)) && v->auid != 4294967295u)
		ep->auid_name = userdb_user(cx->users, v->auid,
		    &ep->auid_name_len);
	return ep;
}

void
context_counters(const struct context *cx, struct procctx_counters *out)
{
	memset(out, 0, sizeof(*out));
	if (cx != NULL)
		procctx_counters(cx->pc, out);
}

void
context_free(struct context *cx)
{
	if (cx == NULL)
		return;
	procctx_free(cx->pc);
	userdb_free(cx->users);
	podnames_free(cx->pods);
	free(cx);
}
