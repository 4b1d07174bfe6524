/*
 * reporter/cgroupinfo: a table of real /proc/PID/cgroup texts for each
 * layout (systemd units, docker, containerd, CRI-O, podman, kubepods; v2,
 * v1 and hybrid hosts), then hostile text.  Each text is parsed twice: from
 * a block of exactly its length, and followed by bytes that would change
 * the result if read, so a read past len fails here too, not only under a
 * sanitizer.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reporter/cgroupinfo.h"

#define ID1 "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
#define ID2 "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"
/* A pod UID, and as the systemd driver writes it in a slice name. */
#define UID "ee103d14-a1a5-4328-a136-3d9d1c91f451"
#define UID_ "ee103d14_a1a5_4328_a136_3d9d1c91f451"
/* A static pod's UID: kubelet's md5 of the manifest. */
#define SUID "6e8c3d2b3b7a44c1b1d0a3f2e5c4d9e8"

/* What a parse must give; NULL for "" (runtime: NULL). */
struct want {
	const char	*service;
	const char	*id;
	const char	*runtime;
	const char	*pod;
	const char	*path;
};

static void
assert_field(const char *got, size_t size, const char *want)
{
	assert_non_null(memchr(got, '\0', size));
	assert_string_equal(got, want != NULL ? want : "");
}

static void
assert_info(const struct cgroup_info *ci, const struct want *w)
{
	assert_field(ci->service, sizeof(ci->service), w->service);
	assert_field(ci->container_id, sizeof(ci->container_id), w->id);
	assert_field(ci->pod_uid, sizeof(ci->pod_uid), w->pod);
	assert_field(ci->path, sizeof(ci->path), w->path);
	if (w->runtime == NULL)
		assert_null(ci->runtime);
	else {
		assert_non_null(ci->runtime);
		assert_string_equal(ci->runtime, w->runtime);
	}
}

/* Bytes that change the answer if read after the text. */
static const char poison[] = "vice\n1:name=systemd:/system.slice/"
    "docker-" ID2 ".scope\n";

static void
check_bytes(const char *text, size_t n, const struct want *w)
{
	struct cgroup_info ci;
	char *p;

	p = malloc(n > 0 ? n : 1);
	assert_non_null(p);
	memcpy(p, text, n);
	memset(&ci, 0x5a, sizeof(ci));
	cgroup_info_parse(p, n, &ci);
	assert_info(&ci, w);
	free(p);

	p = malloc(n + sizeof(poison));
	assert_non_null(p);
	memcpy(p, text, n);
	memcpy(p + n, poison, sizeof(poison));
	memset(&ci, 0x5a, sizeof(ci));
	cgroup_info_parse(p, n, &ci);
	assert_info(&ci, w);
	free(p);
}

static void
check(const char *text, const struct want *w)
{
	check_bytes(text, strlen(text), w);
}

#define CASE(fn, text, svc, id, rt, pod, path)				\
	static void							\
	fn(void **state)						\
	{								\
		static const struct want w = { svc, id, rt, pod, path }; \
		(void)state;						\
		check(text, &w);					\
	}

/* systemd units */

CASE(cgroup_info_parse__system_service__unit,
    "0::/system.slice/nginx.service\n",
    "nginx.service", NULL, NULL, NULL, "/system.slice/nginx.service")
CASE(cgroup_info_parse__service_subgroup__the_unit_not_the_child,
    "0::/system.slice/foo.service/sub/bar.service\n",
    "foo.service", NULL, NULL, NULL, "/system.slice/foo.service/sub/"
    "bar.service")
CASE(cgroup_info_parse__template_in_nested_slice__instance,
    "0::/system.slice/system-getty.slice/getty@tty1.service\n",
    "getty@tty1.service", NULL, NULL, NULL,
    "/system.slice/system-getty.slice/getty@tty1.service")
CASE(cgroup_info_parse__user_unit__innermost_user_unit,
    "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
    "bar.service\n",
    "bar.service", NULL, NULL, NULL, "/user.slice/user-1000.slice/"
    "user@1000.service/app.slice/bar.service")
CASE(cgroup_info_parse__user_manager_itself__user_manager_unit,
    "0::/user.slice/user-1000.slice/user@1000.service/init.scope\n",
    "user@1000.service", NULL, NULL, NULL,
    "/user.slice/user-1000.slice/user@1000.service/init.scope")
CASE(cgroup_info_parse__session__session_scope,
    "0::/user.slice/user-1000.slice/session-3.scope\n",
    "session-3.scope", NULL, NULL, NULL,
    "/user.slice/user-1000.slice/session-3.scope")
CASE(cgroup_info_parse__pid1__init_scope,
    "0::/init.scope\n", "init.scope", NULL, NULL, NULL, "/init.scope")
CASE(cgroup_info_parse__slice_only__no_unit,
    "0::/user.slice/user-1000.slice\n",
    NULL, NULL, NULL, NULL, "/user.slice/user-1000.slice")
CASE(cgroup_info_parse__escaped_name__unescaped,
    "0::/system.slice/_cpu.service\n",
    "cpu.service", NULL, NULL, NULL, "/system.slice/_cpu.service")
CASE(cgroup_info_parse__not_a_unit_first__no_unit,
    "0::/mygroup/foo.service\n",
    NULL, NULL, NULL, NULL, "/mygroup/foo.service")
CASE(cgroup_info_parse__root_only__nothing,
    "0::/\n", NULL, NULL, NULL, NULL, NULL)

/* A container's own systemd: its units, as it names them */

#define NSPAWN "/machine.slice/machine-web.scope/payload"
CASE(cgroup_info_parse__nspawn_machine_unit__inner_unit,
    "0::" NSPAWN "/system.slice/nginx.service\n",
    "nginx.service", NULL, NULL, NULL, NSPAWN "/system.slice/nginx.service")
/* machinectl start: nspawn in systemd-nspawn@.service, --keep-unit. */
CASE(cgroup_info_parse__nspawn_template_service__inner_unit,
    "0::/machine.slice/systemd-nspawn@web.service/payload/system.slice/"
    "nginx.service\n",
    "nginx.service", NULL, NULL, NULL, "/machine.slice/"
    "systemd-nspawn@web.service/payload/system.slice/nginx.service")
CASE(cgroup_info_parse__nspawn_inner_pid1__machine_scope,
    "0::" NSPAWN "/init.scope\n",
    "machine-web.scope", NULL, NULL, NULL, NSPAWN "/init.scope")
CASE(cgroup_info_parse__nspawn_supervisor__machine_scope,
    "0::/machine.slice/machine-web.scope/supervisor\n",
    "machine-web.scope", NULL, NULL, NULL,
    "/machine.slice/machine-web.scope/supervisor")
CASE(cgroup_info_parse__nspawn_inner_user_unit__users_unit,
    "0::" NSPAWN "/user.slice/user-1000.slice/user@1000.service/app.slice/"
    "bar.service\n",
    "bar.service", NULL, NULL, NULL, NSPAWN "/user.slice/user-1000.slice/"
    "user@1000.service/app.slice/bar.service")
/*
 * test_systemd.sh's container, captured: nspawn --keep-unit in a group
 * that is no unit, on this hybrid host (the v2 line is used).
 */
CASE(cgroup_info_parse__nspawn_in_plain_group_hybrid__inner_unit,
    "9:name=systemd:/smtest17070/payload/system.slice/seccompmon.service\n"
    "8:pids:/\n"
    "7:blkio:/\n"
    "6:freezer:/\n"
    "5:devices:/\n"
    "4:memory:/process_api/bc902f9756bf2b84fe7e8b4134010af0\n"
    "3:cpuset:/\n"
    "2:cpuacct:/\n"
    "1:cpu:/\n"
    "0::/smtest17070/payload/system.slice/seccompmon.service\n",
    "seccompmon.service", NULL, NULL, NULL,
    "/smtest17070/payload/system.slice/seccompmon.service")
CASE(cgroup_info_parse__lxc_inner_unit__inner_unit,
    "0::/lxc.payload.web/system.slice/nginx.service\n",
    "nginx.service", NULL, NULL, NULL,
    "/lxc.payload.web/system.slice/nginx.service")
/* systemd in a docker container: its unit, the container still docker's. */
CASE(cgroup_info_parse__systemd_in_docker__inner_unit,
    "0::/system.slice/docker-" ID1 ".scope/system.slice/nginx.service\n",
    "nginx.service", ID1, "docker", NULL,
    "/system.slice/docker-" ID1 ".scope/system.slice/nginx.service")
/* Below a unit, only a manager's tree restarts the search. */
CASE(cgroup_info_parse__unit_child_slice_not_top__the_unit,
    "0::/system.slice/foo.service/app.slice/bar.service\n",
    "foo.service", NULL, NULL, NULL,
    "/system.slice/foo.service/app.slice/bar.service")

/* docker */

CASE(cgroup_info_parse__docker_systemd_v2__container_and_scope,
    "0::/system.slice/docker-" ID1 ".scope\n",
    "docker-" ID1 ".scope", ID1, "docker", NULL,
    "/system.slice/docker-" ID1 ".scope")
CASE(cgroup_info_parse__docker_cgroupfs_v2__container,
    "0::/docker/" ID1 "\n",
    NULL, ID1, "docker", NULL, "/docker/" ID1)
/* Docker's cgroupfs driver on a hybrid host: v2 shows the shim's unit. */
CASE(cgroup_info_parse__docker_cgroupfs_hybrid__v1_line_wins,
    "12:net_cls,net_prio:/docker/" ID1 "\n"
    "11:freezer:/docker/" ID1 "\n"
    "10:rdma:/\n"
    "8:memory:/docker/" ID1 "\n"
    "3:pids:/docker/" ID1 "\n"
    "2:cpu,cpuacct:/docker/" ID1 "\n"
    "1:name=systemd:/docker/" ID1 "\n"
    "0::/system.slice/containerd.service\n",
    NULL, ID1, "docker", NULL, "/docker/" ID1)
CASE(cgroup_info_parse__docker_v1_only_systemd_driver__container,
    "10:devices:/system.slice/docker-" ID1 ".scope\n"
    "8:memory:/system.slice/docker-" ID1 ".scope\n"
    "2:cpuacct,cpu:/system.slice/docker-" ID1 ".scope\n"
    "1:name=systemd:/system.slice/docker-" ID1 ".scope\n",
    "docker-" ID1 ".scope", ID1, "docker", NULL,
    "/system.slice/docker-" ID1 ".scope")
CASE(cgroup_info_parse__docker_in_kubepods__container_and_pod,
    "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
    UID_ ".slice/docker-" ID1 ".scope\n",
    "docker-" ID1 ".scope", ID1, "docker", UID,
    "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
    UID_ ".slice/docker-" ID1 ".scope")
/* Docker in docker: the outer container, which the host made. */
CASE(cgroup_info_parse__docker_in_docker__outermost,
    "0::/docker/" ID1 "/docker/" ID2 "\n",
    NULL, ID1, "docker", NULL, "/docker/" ID1 "/docker/" ID2)
/* A container naming its own child cgroup cannot re-label itself. */
CASE(cgroup_info_parse__forged_child_scope__outer_container,
    "0::/system.slice/docker-" ID1 ".scope/docker-" ID2 ".scope\n",
    "docker-" ID1 ".scope", ID1, "docker", NULL,
    "/system.slice/docker-" ID1 ".scope/docker-" ID2 ".scope")
CASE(cgroup_info_parse__container_removed__still_named,
    "0::/system.slice/docker-" ID1 ".scope (deleted)\n",
    "docker-" ID1 ".scope", ID1, "docker", NULL,
    "/system.slice/docker-" ID1 ".scope")

/* containerd */

CASE(cgroup_info_parse__cri_burstable__container_and_pod,
    "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
    UID_ ".slice/cri-containerd-" ID1 ".scope\n",
    "cri-containerd-" ID1 ".scope", ID1, "containerd", UID,
    "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
    UID_ ".slice/cri-containerd-" ID1 ".scope")
CASE(cgroup_info_parse__cri_besteffort__container_and_pod,
    "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
    UID_ ".slice/cri-containerd-" ID1 ".scope\n",
    "cri-containerd-" ID1 ".scope", ID1, "containerd", UID,
    "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
    UID_ ".slice/cri-containerd-" ID1 ".scope")
CASE(cgroup_info_parse__cri_guaranteed__container_and_pod,
    "0::/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID1
    ".scope\n",
    "cri-containerd-" ID1 ".scope", ID1, "containerd", UID,
    "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID1
    ".scope")
/* kind: kubelet with --cgroup-root=/kubelet. */
CASE(cgroup_info_parse__kubelet_cgroup_root__pod,
    "0::/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort."
    "slice/kubelet-kubepods-besteffort-pod" UID_ ".slice/cri-containerd-"
    ID1 ".scope\n",
    "cri-containerd-" ID1 ".scope", ID1, "containerd", UID,
    "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort."
    "slice/kubelet-kubepods-besteffort-pod" UID_ ".slice/cri-containerd-"
    ID1 ".scope")
/* cgroupfs driver: containerd and cri-dockerd both use the bare id. */
CASE(cgroup_info_parse__cri_cgroupfs__container_no_runtime,
    "0::/kubepods/burstable/pod" UID "/" ID1 "\n",
    NULL, ID1, NULL, UID, "/kubepods/burstable/pod" UID "/" ID1)
CASE(cgroup_info_parse__cri_cgroupfs_v1__container_and_pod,
    "4:pids:/kubepods/pod" UID "/" ID1 "\n"
    "1:name=systemd:/kubepods/pod" UID "/" ID1 "\n"
    "0::/\n",
    NULL, ID1, NULL, UID, "/kubepods/pod" UID "/" ID1)
CASE(cgroup_info_parse__static_pod__hash_uid,
    "0::/kubepods/burstable/pod" SUID "/" ID1 "\n",
    NULL, ID1, NULL, SUID, "/kubepods/burstable/pod" SUID "/" ID1)
CASE(cgroup_info_parse__static_pod_systemd__hash_uid,
    "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
    SUID ".slice/cri-containerd-" ID1 ".scope\n",
    "cri-containerd-" ID1 ".scope", ID1, "containerd", SUID,
    "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
    SUID ".slice/cri-containerd-" ID1 ".scope")
CASE(cgroup_info_parse__pod_cgroup_itself__pod_only,
    "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
    UID_ ".slice\n",
    NULL, NULL, NULL, UID, "/kubepods.slice/kubepods-burstable.slice/"
    "kubepods-burstable-pod" UID_ ".slice")
CASE(cgroup_info_parse__nerdctl_systemd__containerd,
    "0::/system.slice/nerdctl-" ID1 ".scope\n",
    "nerdctl-" ID1 ".scope", ID1, "containerd", NULL,
    "/system.slice/nerdctl-" ID1 ".scope")
CASE(cgroup_info_parse__containerd_default_namespace__containerd,
    "0::/default/" ID1 "\n", NULL, ID1, "containerd", NULL,
    "/default/" ID1)
CASE(cgroup_info_parse__containerd_k8s_namespace__containerd,
    "0::/k8s.io/" ID1 "\n", NULL, ID1, "containerd", NULL,
    "/k8s.io/" ID1)

/* CRI-O */

CASE(cgroup_info_parse__crio_systemd__container_and_pod,
    "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
    UID_ ".slice/crio-" ID1 ".scope\n",
    "crio-" ID1 ".scope", ID1, "cri-o", UID,
    "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
    UID_ ".slice/crio-" ID1 ".scope")
/* conmon watches the container from the host: not in it. */
CASE(cgroup_info_parse__crio_conmon__pod_but_no_container,
    "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
    UID_ ".slice/crio-conmon-" ID1 ".scope\n",
    "crio-conmon-" ID1 ".scope", NULL, NULL, UID,
    "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
    UID_ ".slice/crio-conmon-" ID1 ".scope")
CASE(cgroup_info_parse__crio_cgroupfs__container_and_pod,
    "0::/kubepods/besteffort/pod" UID "/crio-" ID1 "\n",
    NULL, ID1, "cri-o", UID, "/kubepods/besteffort/pod" UID "/crio-" ID1)
CASE(cgroup_info_parse__crio_nested_container_cgroup__container,
    "0::/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID1
    ".scope/container\n",
    "crio-" ID1 ".scope", ID1, "cri-o", UID,
    "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID1
    ".scope/container")

/* podman */

CASE(cgroup_info_parse__podman_rootful__container,
    "0::/machine.slice/libpod-" ID1 ".scope\n",
    "libpod-" ID1 ".scope", ID1, "podman", NULL,
    "/machine.slice/libpod-" ID1 ".scope")
CASE(cgroup_info_parse__podman_nested_container__container,
    "0::/machine.slice/libpod-" ID1 ".scope/container\n",
    "libpod-" ID1 ".scope", ID1, "podman", NULL,
    "/machine.slice/libpod-" ID1 ".scope/container")
CASE(cgroup_info_parse__podman_rootless__user_scope_and_container,
    "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
    ID1 ".scope/container\n",
    "libpod-" ID1 ".scope", ID1, "podman", NULL,
    "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
    ID1 ".scope/container")
CASE(cgroup_info_parse__podman_cgroupfs__container,
    "0::/libpod_parent/libpod-" ID1 "\n",
    NULL, ID1, "podman", NULL, "/libpod_parent/libpod-" ID1)
CASE(cgroup_info_parse__podman_conmon__no_container,
    "0::/machine.slice/libpod-conmon-" ID1 ".scope\n",
    "libpod-conmon-" ID1 ".scope", NULL, NULL, NULL,
    "/machine.slice/libpod-conmon-" ID1 ".scope")
/* A podman pod is not a Kubernetes pod. */
CASE(cgroup_info_parse__podman_pod__container_no_k8s_pod,
    "0::/machine.slice/machine-libpod_pod_" ID2 ".slice/libpod-" ID1
    ".scope\n",
    "libpod-" ID1 ".scope", ID1, "podman", NULL,
    "/machine.slice/machine-libpod_pod_" ID2 ".slice/libpod-" ID1 ".scope")

/* Choosing the line */

CASE(cgroup_info_parse__hybrid_root_v2__v1_systemd_line,
    "9:name=systemd:/system.slice/cron.service\n"
    "8:pids:/system.slice/cron.service\n"
    "4:memory:/\n"
    "0::/\n",
    "cron.service", NULL, NULL, NULL, "/system.slice/cron.service")
CASE(cgroup_info_parse__v1_lines_differ__name_systemd_first,
    "8:pids:/a.slice/pids.service\n"
    "4:memory:/b.slice/memory.service\n"
    "1:name=systemd:/system.slice/y.service\n"
    "0::/\n",
    "y.service", NULL, NULL, NULL, "/system.slice/y.service")
CASE(cgroup_info_parse__v1_without_systemd__pids_before_memory,
    "8:memory:/m.service\n"
    "5:pids:/p.service\n"
    "2:cpu,cpuacct:/c.service\n",
    "p.service", NULL, NULL, NULL, "/p.service")
CASE(cgroup_info_parse__v1_cpu_among_controllers__before_others,
    "9:devices:/d.service\n"
    "2:cpuacct,cpu:/c.service\n",
    "c.service", NULL, NULL, NULL, "/c.service")
CASE(cgroup_info_parse__v2_and_v1_both_set__v2,
    "1:name=systemd:/system.slice/old.service\n"
    "0::/system.slice/new.service\n",
    "new.service", NULL, NULL, NULL, "/system.slice/new.service")
/* This machine's harness: a v1 memory group outside any layout. */
CASE(cgroup_info_parse__unrecognised_v1_group__path_only,
    "9:name=systemd:/\n"
    "4:memory:/process_api/7612d49d7061ac9e35f1422429c741b2\n"
    "0::/\n",
    NULL, NULL, NULL, NULL, "/process_api/7612d49d7061ac9e35f1422429c741b2")

/* Hostile and malformed text */

CASE(cgroup_info_parse__empty__nothing, "", NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__no_newline__cut_off_nothing,
    "0::/system.slice/docker-" ID1 ".scope",
    NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__last_line_cut__earlier_line_used,
    "1:name=systemd:/system.slice/a.service\n"
    "0::/system.slice/nginx.ser",
    "a.service", NULL, NULL, NULL, "/system.slice/a.service")
/* A cgroup name holding a newline splits its line in two. */
CASE(cgroup_info_parse__name_with_newline__nothing,
    "0::/user.slice/user-1000.slice/user@1000.service/x\n"
    "docker-" ID1 ".scope\n",
    NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__empty_line__nothing,
    "0::/system.slice/a.service\n\n", NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__relative_path__nothing,
    "0::system.slice/a.service\n", NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__one_colon__nothing,
    "0:/system.slice/a.service\n", NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__id_not_decimal__nothing,
    "x::/system.slice/a.service\n", NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__id_leading_zero__nothing,
    "00::/system.slice/a.service\n", NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__id_too_long__nothing,
    "12345678901:pids:/a.service\n", NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__v2_with_controllers__nothing,
    "0:pids:/system.slice/a.service\n", NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__v1_without_controllers__nothing,
    "3::/system.slice/a.service\n", NULL, NULL, NULL, NULL, NULL)
/* Outside our cgroup namespace: relative to a root we cannot see. */
CASE(cgroup_info_parse__dotdot_components__nothing,
    "0::/../../system.slice/docker-" ID1 ".scope\n",
    NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__dot_component__nothing,
    "0::/system.slice/./docker-" ID1 ".scope\n",
    NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__double_slash__nothing,
    "0::/system.slice//docker-" ID1 ".scope\n",
    NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__trailing_slash__nothing,
    "0::/system.slice/docker-" ID1 ".scope/\n",
    NULL, NULL, NULL, NULL, NULL)
CASE(cgroup_info_parse__dotdot_v2_good_v1__v1_used,
    "1:name=systemd:/system.slice/a.service\n"
    "0::/../b.service\n",
    "a.service", NULL, NULL, NULL, "/system.slice/a.service")
CASE(cgroup_info_parse__id_63_hex__no_container,
    "0::/system.slice/docker-"
    "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c3842814297"
    ".scope\n",
    "docker-4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c3842814297"
    ".scope", NULL, NULL, NULL, "/system.slice/docker-"
    "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c3842814297"
    ".scope")
CASE(cgroup_info_parse__id_65_hex__no_container,
    "0::/docker/" ID1 "0\n", NULL, NULL, NULL, NULL, "/docker/" ID1 "0")
CASE(cgroup_info_parse__id_uppercase__no_container,
    "0::/docker/"
    "4F797C539E6C745DE61A93CA3FF892358ECBCACCD8414D5DB545C38428142970\n",
    NULL, NULL, NULL, NULL, "/docker/"
    "4F797C539E6C745DE61A93CA3FF892358ECBCACCD8414D5DB545C38428142970")
CASE(cgroup_info_parse__id_not_hex__no_container,
    "0::/docker/"
    "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c3842814297g\n",
    NULL, NULL, NULL, NULL, "/docker/"
    "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c3842814297g")
/* A bare id in an unknown place is not claimed. */
CASE(cgroup_info_parse__bare_id_unknown_parent__no_container,
    "0::/mygroup/sub/" ID1 "\n", NULL, NULL, NULL, NULL,
    "/mygroup/sub/" ID1)
CASE(cgroup_info_parse__bare_id_at_root__no_container,
    "0::/" ID1 "\n", NULL, NULL, NULL, NULL, "/" ID1)
CASE(cgroup_info_parse__pod_without_kubepods__no_pod,
    "0::/burstable/pod" UID "/" ID1 "\n", NULL, NULL, NULL, NULL,
    "/burstable/pod" UID "/" ID1)
CASE(cgroup_info_parse__pod_slice_dashes_in_uid__no_pod,
    "0::/kubepods.slice/kubepods-pod" UID ".slice\n", NULL, NULL, NULL,
    NULL, "/kubepods.slice/kubepods-pod" UID ".slice")
CASE(cgroup_info_parse__pod_slice_without_kubepods__no_pod,
    "0::/other.slice/other-pod" UID_ ".slice\n", NULL, NULL, NULL,
    NULL, "/other.slice/other-pod" UID_ ".slice")
CASE(cgroup_info_parse__pod_uid_uppercase__no_pod,
    "0::/kubepods/pod" "EE103D14-A1A5-4328-A136-3D9D1C91F451" "/" ID1 "\n",
    NULL, NULL, NULL, NULL,
    "/kubepods/pod" "EE103D14-A1A5-4328-A136-3D9D1C91F451" "/" ID1)
/* Found by fuzz_cgroupinfo: a UID that fails late left its first bytes. */
CASE(cgroup_info_parse__pod_uid_fails_after_8_hex__no_partial_uid,
    "0::/kubepods/besteffort/podee103c745de61a93ca3ff14297user.slice/0\n",
    NULL, NULL, NULL, NULL,
    "/kubepods/besteffort/podee103c745de61a93ca3ff14297user.slice/0")
CASE(cgroup_info_parse__pod_uid_short__no_pod,
    "0::/kubepods/podee103d14-a1a5-4328-a136-3d9d1c91f45/x\n",
    NULL, NULL, NULL, NULL,
    "/kubepods/podee103d14-a1a5-4328-a136-3d9d1c91f45/x")
CASE(cgroup_info_parse__unit_two_ats__no_unit,
    "0::/system.slice/a@b@c.service\n", NULL, NULL, NULL, NULL,
    "/system.slice/a@b@c.service")
CASE(cgroup_info_parse__unit_template_without_instance__no_unit,
    "0::/system.slice/getty@.service\n", NULL, NULL, NULL, NULL,
    "/system.slice/getty@.service")
CASE(cgroup_info_parse__unit_unknown_type__no_unit,
    "0::/system.slice/foo.target\n", NULL, NULL, NULL, NULL,
    "/system.slice/foo.target")
CASE(cgroup_info_parse__unit_bad_char__no_unit,
    "0::/system.slice/fo o.service\n", NULL, NULL, NULL, NULL,
    "/system.slice/fo o.service")

static void
cgroup_info_parse__nul_byte__nothing(void **state)
{
	static const char text[] = "0::/system.slice/docker-" ID1 ".scope\0\n";
	static const struct want w = { NULL, NULL, NULL, NULL, NULL };

	(void)state;
	check_bytes(text, sizeof(text) - 1, &w);
}

static void
cgroup_info_parse__null_text__nothing(void **state)
{
	struct cgroup_info ci;
	static const struct want w = { NULL, NULL, NULL, NULL, NULL };

	(void)state;
	memset(&ci, 0x5a, sizeof(ci));
	cgroup_info_parse(NULL, 0, &ci);
	assert_info(&ci, &w);
}

/* len ends before the second line: what follows is never looked at. */
static void
cgroup_info_parse__len_short__rest_unread(void **state)
{
	static const char text[] = "0::/\n0::/system.slice/docker-" ID1
	    ".scope\n";
	static const struct want w = { NULL, NULL, NULL, NULL, NULL };
	struct cgroup_info ci;

	(void)state;
	cgroup_info_parse(text, 5, &ci);
	assert_info(&ci, &w);
}

/* Build "0::/system.slice/foo.service/" then n bytes of "a/" pairs. */
static char *
long_path(size_t n, int newline, size_t *len)
{
	static const char head[] = "0::/system.slice/foo.service/docker-"
	    ID1 ".scope";
	char *p;
	size_t i, h = sizeof(head) - 1;

	p = malloc(h + n + 2);
	assert_non_null(p);
	memcpy(p, head, h);
	for (i = 0; i < n; i++)
		p[h + i] = i % 2 == 0 ? '/' : 'a';
	*len = h + n;
	if (newline)
		p[(*len)++] = '\n';
	return p;
}

/* The fields come from the whole path; the path itself does not fit. */
static void
cgroup_info_parse__path_too_long__fields_without_path(void **state)
{
	static const struct want w = { "foo.service", ID1, "docker", NULL,
		NULL };
	size_t len;
	char *p;

	(void)state;
	p = long_path(100000, 1, &len);
	check_bytes(p, len, &w);
	free(p);
}

/* "0::" then a path of n bytes, "/system.slice/foo.service/aaa...". */
static char *
sized_path(size_t n, size_t *len)
{
	static const char head[] = "0::/system.slice/foo.service/";
	size_t h = sizeof(head) - 1;
	char *p;

	assert_true(n > h - 3);
	p = malloc(n + 4);
	assert_non_null(p);
	memcpy(p, head, h);
	memset(p + h, 'a', n + 3 - h);
	p[n + 3] = '\n';
	*len = n + 4;
	return p;
}

/* path[512] holds 511 bytes and the NUL. */
static void
cgroup_info_parse__path_511_bytes__path_kept(void **state)
{
	struct cgroup_info ci;
	size_t len;
	char *p;

	(void)state;
	p = sized_path(511, &len);
	cgroup_info_parse(p, len, &ci);
	assert_int_equal(strlen(ci.path), 511);
	assert_memory_equal(ci.path, p + 3, 511);
	assert_string_equal(ci.service, "foo.service");
	free(p);
}

static void
cgroup_info_parse__path_512_bytes__no_path_unit_kept(void **state)
{
	struct cgroup_info ci;
	size_t len;
	char *p;

	(void)state;
	p = sized_path(512, &len);
	cgroup_info_parse(p, len, &ci);
	assert_string_equal(ci.path, "");
	assert_string_equal(ci.service, "foo.service");
	free(p);
}

static void
cgroup_info_parse__huge_line_no_newline__nothing(void **state)
{
	static const struct want w = { NULL, NULL, NULL, NULL, NULL };
	size_t len;
	char *p;

	(void)state;
	p = long_path(1 << 20, 0, &len);
	check_bytes(p, len, &w);
	free(p);
}

/* Many lines, each valid: the loop is bounded by len only. */
static void
cgroup_info_parse__many_lines__last_v1_rank_wins(void **state)
{
	static const char line[] = "7:freezer:/f.service\n";
	static const char last[] = "1:name=systemd:/system.slice/z.service\n";
	static const struct want w = { "z.service", NULL, NULL, NULL,
		"/system.slice/z.service" };
	size_t i, n = 10000, ll = sizeof(line) - 1, tl = sizeof(last) - 1;
	char *p;

	(void)state;
	p = malloc(n * ll + tl);
	assert_non_null(p);
	for (i = 0; i < n; i++)
		memcpy(p + i * ll, line, ll);
	memcpy(p + n * ll, last, tl);
	check_bytes(p, n * ll + tl, &w);
	free(p);
}

#define T(f) cmocka_unit_test(f)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(cgroup_info_parse__system_service__unit),
		T(cgroup_info_parse__service_subgroup__the_unit_not_the_child),
		T(cgroup_info_parse__template_in_nested_slice__instance),
		T(cgroup_info_parse__user_unit__innermost_user_unit),
		T(cgroup_info_parse__user_manager_itself__user_manager_unit),
		T(cgroup_info_parse__session__session_scope),
		T(cgroup_info_parse__pid1__init_scope),
		T(cgroup_info_parse__slice_only__no_unit),
		T(cgroup_info_parse__escaped_name__unescaped),
		T(cgroup_info_parse__not_a_unit_first__no_unit),
		T(cgroup_info_parse__root_only__nothing),
		T(cgroup_info_parse__nspawn_machine_unit__inner_unit),
		T(cgroup_info_parse__nspawn_template_service__inner_unit),
		T(cgroup_info_parse__nspawn_inner_pid1__machine_scope),
		T(cgroup_info_parse__nspawn_supervisor__machine_scope),
		T(cgroup_info_parse__nspawn_inner_user_unit__users_unit),
		T(cgroup_info_parse__nspawn_in_plain_group_hybrid__inner_unit),
		T(cgroup_info_parse__lxc_inner_unit__inner_unit),
		T(cgroup_info_parse__systemd_in_docker__inner_unit),
		T(cgroup_info_parse__unit_child_slice_not_top__the_unit),
		T(cgroup_info_parse__docker_systemd_v2__container_and_scope),
		T(cgroup_info_parse__docker_cgroupfs_v2__container),
		T(cgroup_info_parse__docker_cgroupfs_hybrid__v1_line_wins),
		T(cgroup_info_parse__docker_v1_only_systemd_driver__container),
		T(cgroup_info_parse__docker_in_kubepods__container_and_pod),
		T(cgroup_info_parse__docker_in_docker__outermost),
		T(cgroup_info_parse__forged_child_scope__outer_container),
		T(cgroup_info_parse__container_removed__still_named),
		T(cgroup_info_parse__cri_burstable__container_and_pod),
		T(cgroup_info_parse__cri_besteffort__container_and_pod),
		T(cgroup_info_parse__cri_guaranteed__container_and_pod),
		T(cgroup_info_parse__kubelet_cgroup_root__pod),
		T(cgroup_info_parse__cri_cgroupfs__container_no_runtime),
		T(cgroup_info_parse__cri_cgroupfs_v1__container_and_pod),
		T(cgroup_info_parse__static_pod__hash_uid),
		T(cgroup_info_parse__static_pod_systemd__hash_uid),
		T(cgroup_info_parse__pod_cgroup_itself__pod_only),
		T(cgroup_info_parse__nerdctl_systemd__containerd),
		T(cgroup_info_parse__containerd_default_namespace__containerd),
		T(cgroup_info_parse__containerd_k8s_namespace__containerd),
		T(cgroup_info_parse__crio_systemd__container_and_pod),
		T(cgroup_info_parse__crio_conmon__pod_but_no_container),
		T(cgroup_info_parse__crio_cgroupfs__container_and_pod),
		T(cgroup_info_parse__crio_nested_container_cgroup__container),
		T(cgroup_info_parse__podman_rootful__container),
		T(cgroup_info_parse__podman_nested_container__container),
		T(cgroup_info_parse__podman_rootless__user_scope_and_container),
		T(cgroup_info_parse__podman_cgroupfs__container),
		T(cgroup_info_parse__podman_conmon__no_container),
		T(cgroup_info_parse__podman_pod__container_no_k8s_pod),
		T(cgroup_info_parse__hybrid_root_v2__v1_systemd_line),
		T(cgroup_info_parse__v1_lines_differ__name_systemd_first),
		T(cgroup_info_parse__v1_without_systemd__pids_before_memory),
		T(cgroup_info_parse__v1_cpu_among_controllers__before_others),
		T(cgroup_info_parse__v2_and_v1_both_set__v2),
		T(cgroup_info_parse__unrecognised_v1_group__path_only),
		T(cgroup_info_parse__empty__nothing),
		T(cgroup_info_parse__no_newline__cut_off_nothing),
		T(cgroup_info_parse__last_line_cut__earlier_line_used),
		T(cgroup_info_parse__name_with_newline__nothing),
		T(cgroup_info_parse__empty_line__nothing),
		T(cgroup_info_parse__relative_path__nothing),
		T(cgroup_info_parse__one_colon__nothing),
		T(cgroup_info_parse__id_not_decimal__nothing),
		T(cgroup_info_parse__id_leading_zero__nothing),
		T(cgroup_info_parse__id_too_long__nothing),
		T(cgroup_info_parse__v2_with_controllers__nothing),
		T(cgroup_info_parse__v1_without_controllers__nothing),
		T(cgroup_info_parse__dotdot_components__nothing),
		T(cgroup_info_parse__dot_component__nothing),
		T(cgroup_info_parse__double_slash__nothing),
		T(cgroup_info_parse__trailing_slash__nothing),
		T(cgroup_info_parse__dotdot_v2_good_v1__v1_used),
		T(cgroup_info_parse__id_63_hex__no_container),
		T(cgroup_info_parse__id_65_hex__no_container),
		T(cgroup_info_parse__id_uppercase__no_container),
		T(cgroup_info_parse__id_not_hex__no_container),
		T(cgroup_info_parse__bare_id_unknown_parent__no_container),
		T(cgroup_info_parse__bare_id_at_root__no_container),
		T(cgroup_info_parse__pod_without_kubepods__no_pod),
		T(cgroup_info_parse__pod_slice_dashes_in_uid__no_pod),
		T(cgroup_info_parse__pod_slice_without_kubepods__no_pod),
		T(cgroup_info_parse__pod_uid_uppercase__no_pod),
		T(cgroup_info_parse__pod_uid_fails_after_8_hex__no_partial_uid),
		T(cgroup_info_parse__pod_uid_short__no_pod),
		T(cgroup_info_parse__unit_two_ats__no_unit),
		T(cgroup_info_parse__unit_template_without_instance__no_unit),
		T(cgroup_info_parse__unit_unknown_type__no_unit),
		T(cgroup_info_parse__unit_bad_char__no_unit),
		T(cgroup_info_parse__nul_byte__nothing),
		T(cgroup_info_parse__null_text__nothing),
		T(cgroup_info_parse__len_short__rest_unread),
		T(cgroup_info_parse__path_too_long__fields_without_path),
		T(cgroup_info_parse__path_511_bytes__path_kept),
		T(cgroup_info_parse__path_512_bytes__no_path_unit_kept),
		T(cgroup_info_parse__huge_line_no_newline__nothing),
		T(cgroup_info_parse__many_lines__last_v1_rank_wins),
	};

	return cmocka_run_group_tests_name("cgroupinfo", tests, NULL, NULL);
}
