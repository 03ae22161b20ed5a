/* virt.c — virtual machine and container detection (see virt.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "virt.h"
#include "file_line.h"
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
/* CPUID.1:ECX bit 31 is set by every hypervisor; leaf 0x40000000 names it. */
static int cpuid_hypervisor(char *name, size_t len)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return 0;
	static const struct {
		const char *sig, *name;
	} known[] = {
		{"KVMKVMKVM", "KVM"},     {"Microsoft Hv", "Hyper-V"}, {"VMwareVMware", "VMware"},
		{"XenVMMXenVMM", "Xen"},  {"TCGTCGTCGTCG", "QEMU"},    {"ACRNACRNACRN", "ACRN"},
		{"bhyve bhyve ", "bhyve"}, {" lrpepyh  vr", "Parallels"}, {"VBoxVBoxVBox", "VirtualBox"},
		{"QNXQVMBSQG", "QNX"},    {"Linux KVM Hv", "KVM"},
	};
	__cpuid(0x40000000, a, b, c, d);
	char sig[13];
	memcpy(sig, &b, 4), memcpy(sig + 4, &c, 4), memcpy(sig + 8, &d, 4);
	sig[12] = 0;
	snprintf(name, len, "unknown");
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (!strncmp(sig, known[i].sig, strlen(known[i].sig)))
			snprintf(name, len, "%s", known[i].name);
	return 1;
}
#endif

static int dmi_hypervisor(char *name, size_t len)
{
	static const char *const files[] = {"/sys/class/dmi/id/sys_vendor",
					    "/sys/class/dmi/id/product_name",
					    "/sys/class/dmi/id/board_vendor",
					    "/sys/class/dmi/id/bios_vendor"};
	static const struct {
		const char *needle, *name;
	} known[] = {
		{"KVM", "KVM"},   {"QEMU", "QEMU"},         {"VMware", "VMware"},
		{"VirtualBox", "VirtualBox"}, {"innotek", "VirtualBox"}, {"Xen", "Xen"},
		{"Microsoft Corporation", "Hyper-V"}, {"Amazon EC2", "Amazon"},
		{"Google Compute Engine", "Google"}, {"Parallels", "Parallels"},
		{"BHYVE", "bhyve"}, {"Bochs", "Bochs"},
	};
	char buf[128];
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		if (file_read_line(files[f], buf, sizeof buf))
			continue;
		for (size_t i = 0; i < sizeof known / sizeof *known; i++)
			if (strstr(buf, known[i].needle)) {
				snprintf(name, len, "%s", known[i].name);
				return 1;
			}
	}
	return 0;
}

static void detect_container(char *name, size_t len)
{
	char buf[64];
	if (!file_read_line("/run/systemd/container", buf, sizeof buf) && buf[0])
		snprintf(name, len, "%s", buf);
	else if (!access("/.dockerenv", F_OK))
		snprintf(name, len, "docker");
	else if (!access("/run/.containerenv", F_OK))
		snprintf(name, len, "podman");
	else if (!access("/proc/vz", F_OK) && access("/proc/bc", F_OK))
		snprintf(name, len, "openvz");
}

void virt_detect(struct virt_info *v)
{
	memset(v, 0, sizeof *v);
#if defined(__x86_64__) || defined(__i386__)
	if (cpuid_hypervisor(v->hypervisor, sizeof v->hypervisor)) {
		v->virtualised = 1;
		snprintf(v->how, sizeof v->how, "cpuid");
	}
#endif
	char xen[32];
	if (!v->virtualised && dmi_hypervisor(v->hypervisor, sizeof v->hypervisor)) {
		v->virtualised = 1;
		snprintf(v->how, sizeof v->how, "dmi");
	} else if (!v->virtualised && !file_read_line("/sys/hypervisor/type", xen, sizeof xen)) {
		v->virtualised = 1;
		snprintf(v->hypervisor, sizeof v->hypervisor, "%s", xen);
		snprintf(v->how, sizeof v->how, "sys/hypervisor");
	}
	detect_container(v->container, sizeof v->container);
}
