/* virt.h — is this a virtual machine or a container? Measurements on a VM
 * share the host with other guests (steal time, vCPUs that halt), so the
 * results say so. Read directly, as systemd-detect-virt does: the CPUID
 * hypervisor bit and vendor leaf, DMI strings, /sys/hypervisor, and the
 * container runtimes' marker files. */
#pragma once

struct virt_info {
	int virtualised;      /* 1 VM, 0 bare metal as far as we can tell */
	char hypervisor[48];  /* "KVM", "VMware", ..., "" when none or unknown */
	char how[48];         /* what told us: "cpuid", "dmi", "sys/hypervisor" */
	char container[64];   /* "docker", "podman", "lxc", ... or "" */
};

void virt_detect(struct virt_info *v);
