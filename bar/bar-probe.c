// SPDX-License-Identifier: GPL-2.0
/*
 * bar-probe: the guest half of `mapping-order oracle`. It binds an ivshmem
 * device to vfio-pci without an IOMMU, opens its VFIO device file and answers
 * one command a line on stdin, each reply ending with "END":
 *
 *   info                      INFO page_size=N rlim_stack_cur=N|unlimited
 *                             personality=0xN mmap_min_addr=N
 *   list                      DEV <bdf> <bar2 start> <bar2 size> per ivshmem
 *   open <bdf>                OPEN <id> <region offset> <region size>
 *   mmap <fd> <addr> <len> <off> <flags>
 *                             M <line> per /proc/self/maps line (taken just
 *                             before the mmap), then VA <va> or ERRNO <name>
 *   munmap <addr> <len>       OK or ERRNO <name>
 *   touch <addr> <len>        OK: one write per page, in address order
 *   leaves <addr> <len>       P <line> per line of the page-table dump
 *                             (debugfs page_tables/current_kernel) that
 *                             overlaps [addr, addr + len)
 *   write <path> <text>       OK: <text> written to the (sysfs) file
 *   quit
 *
 * <fd> is a device id from "open" or "anon"; <flags> is "-" or letters:
 * f MAP_FIXED, n MAP_FIXED_NOREPLACE, s MAP_SHARED (anon only: a device
 * mapping is always MAP_SHARED, vfio_pci_core_mmap refuses a private one).
 * A device mapping is PROT_READ|PROT_WRITE, an anonymous one PROT_NONE.
 * Numbers are read with strtoull base 0.
 *
 * It runs with ADDR_NO_RANDOMIZE (re-executing itself once) so that the host
 * can compute mmap_base (arch/x86/mm/mmap.c arch_pick_mmap_layout, 6.12).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define MAX_DEVS 8
#define IVSHMEM_VENDOR 0x1af4
#define IVSHMEM_DEVICE 0x1110
#define PTDUMP "/sys/kernel/debug/page_tables/current_kernel"

struct dev {
	int container;
	int group;
	int fd;
	uint64_t offset;
	uint64_t size;
};

static struct dev devs[MAX_DEVS];
static int ndevs;

static const char *errno_name(int e)
{
	switch (e) {
	case ENOMEM:
		return "ENOMEM";
	case EINVAL:
		return "EINVAL";
	case EPERM:
		return "EPERM";
	case EOVERFLOW:
		return "EOVERFLOW";
	case EEXIST:
		return "EEXIST";
	case EACCES:
		return "EACCES";
	case ENODEV:
		return "ENODEV";
	case EBUSY:
		return "EBUSY";
	default:
		return "EOTHER";
	}
}

static void end_reply(void)
{
	printf("END\n");
	fflush(stdout);
}

static void fail(const char *what)
{
	printf("ERROR %s: %s\n", what, strerror(errno));
	end_reply();
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static unsigned long read_num_file(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strtoul(buf, NULL, 0);
}

/* The third line of sysfs "resource" is BAR2: start end flags. */
static int bar2(const char *bdf, uint64_t *start, uint64_t *size)
{
	char path[512], line[256];
	unsigned long long s, e, fl;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		return -1;
	for (i = 0; i < 3; i++) {
		if (!fgets(line, sizeof(line), f)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (sscanf(line, "%llx %llx %llx", &s, &e, &fl) != 3 || e <= s)
		return -1;
	*start = s;
	*size = e - s + 1;
	return 0;
}

static void cmd_list(void)
{
	char path[512];
	struct dirent *d;
	uint64_t start, size;
	DIR *dir = opendir("/sys/bus/pci/devices");

	if (!dir) {
		fail("opendir /sys/bus/pci/devices");
		return;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor",
			 d->d_name);
		if (read_num_file(path) != IVSHMEM_VENDOR)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device",
			 d->d_name);
		if (read_num_file(path) != IVSHMEM_DEVICE)
			continue;
		if (bar2(d->d_name, &start, &size))
			continue;
		printf("DEV %s 0x%llx 0x%llx\n", d->d_name,
		       (unsigned long long)start, (unsigned long long)size);
	}
	closedir(dir);
	end_reply();
}

/*
 * drivers/pci/pci-sysfs.c driver_override_store and drivers/pci/bus.c
 * drivers_probe: vfio-pci takes a device only when it is named in
 * driver_override (drivers/vfio/pci/vfio_pci.c vfio_pci_probe has no ID
 * table entry for ivshmem).
 */
static int bind_vfio(const char *bdf)
{
	char path[512];

	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/driver_override", bdf);
	if (write_file(path, "vfio-pci"))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (access(path, F_OK) == 0) {
		char unbind[600];

		snprintf(unbind, sizeof(unbind), "%s/unbind", path);
		if (write_file(unbind, bdf))
			return -1;
	}
	return write_file("/sys/bus/pci/drivers_probe", bdf);
}

static void cmd_open(const char *bdf)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	char path[512], link[256];
	const char *group;
	struct dev *d;
	ssize_t n;

	if (ndevs == MAX_DEVS) {
		errno = ENOSPC;
		fail("open");
		return;
	}
	d = &devs[ndevs];
	if (bind_vfio(bdf)) {
		fail("bind to vfio-pci");
		return;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		fail("readlink iommu_group");
		return;
	}
	link[n] = 0;
	group = strrchr(link, '/');
	group = group ? group + 1 : link;
	/* drivers/vfio/group.c vfio_group_find_or_alloc: "noiommu-%d" */
	snprintf(path, sizeof(path), "/dev/vfio/noiommu-%s", group);
	d->group = open(path, O_RDWR);
	if (d->group < 0) {
		fail(path);
		return;
	}
	d->container = open("/dev/vfio/vfio", O_RDWR);
	if (d->container < 0) {
		fail("/dev/vfio/vfio");
		return;
	}
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		fail("VFIO_GROUP_GET_STATUS (not viable)");
		return;
	}
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container)) {
		fail("VFIO_GROUP_SET_CONTAINER");
		return;
	}
	if (ioctl(d->container, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU)) {
		fail("VFIO_SET_IOMMU");
		return;
	}
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (d->fd < 0) {
		fail("VFIO_GROUP_GET_DEVICE_FD");
		return;
	}
	reg.index = VFIO_PCI_BAR2_REGION_INDEX;
	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &reg)) {
		fail("VFIO_DEVICE_GET_REGION_INFO");
		return;
	}
	if (!(reg.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		errno = EPERM;
		fail("BAR2 cannot be mmapped");
		return;
	}
	d->offset = reg.offset;
	d->size = reg.size;
	printf("OPEN %d 0x%llx 0x%llx\n", ndevs++,
	       (unsigned long long)reg.offset, (unsigned long long)reg.size);
	end_reply();
}

static void print_file(const char *path, const char *prefix)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("%s%s", prefix, line);
	fclose(f);
}

static void cmd_mmap(const char *fd, uint64_t addr, uint64_t len,
		     uint64_t off, const char *flags)
{
	int mflags = 0, mfd = -1, prot = PROT_READ | PROT_WRITE;
	void *p;

	if (strchr(flags, 'f'))
		mflags |= MAP_FIXED;
	if (strchr(flags, 'n'))
		mflags |= MAP_FIXED_NOREPLACE;
	if (strcmp(fd, "anon") == 0) {
		mflags |= MAP_ANONYMOUS;
		mflags |= strchr(flags, 's') ? MAP_SHARED : MAP_PRIVATE;
		/*
		 * Reservations and blockers, PROT_NONE as DPDK and QEMU make
		 * them: not charged to the overcommit limit
		 * (mm/mmap.c accountable_mapping), which a 2G private
		 * writable reservation in a 2G guest would exceed.
		 */
		prot = PROT_NONE;
	} else {
		int id = atoi(fd);

		if (id < 0 || id >= ndevs) {
			errno = EBADF;
			fail("mmap");
			return;
		}
		mfd = devs[id].fd;
		mflags |= MAP_SHARED;
	}
	/* The snapshot the model places in: nothing happens in between. */
	print_file("/proc/self/maps", "M ");
	p = mmap((void *)addr, len, prot, mflags, mfd, off);
	if (p == MAP_FAILED)
		printf("ERRNO %s\n", errno_name(errno));
	else
		printf("VA 0x%lx\n", (unsigned long)p);
	end_reply();
}

static void cmd_munmap(uint64_t addr, uint64_t len)
{
	if (munmap((void *)addr, len))
		printf("ERRNO %s\n", errno_name(errno));
	else
		printf("OK\n");
	end_reply();
}

static void cmd_touch(uint64_t addr, uint64_t len)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t a;

	/* A compiler barrier keeps every store, one fault per page. */
	for (a = addr; a < addr + len; a += ps) {
		*(unsigned char *)a = 0;
		asm volatile("" : : : "memory");
	}
	printf("OK\n");
	end_reply();
}

/*
 * arch/x86/mm/dump_pagetables.c note_page (6.12) prints each run of
 * entries with the same flags and level as
 * "0x<start>-0x<end>   <size> <flags> <level>".
 */
static void cmd_leaves(uint64_t addr, uint64_t len)
{
	char line[512];
	unsigned long long s, e;
	FILE *f = fopen(PTDUMP, "r");

	if (!f) {
		fail(PTDUMP);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "0x%llx-0x%llx", &s, &e) != 2)
			continue;
		if (e > addr && s < addr + len)
			printf("P %s", line);
	}
	fclose(f);
	end_reply();
}

static void cmd_info(void)
{
	struct rlimit r;

	getrlimit(RLIMIT_STACK, &r);
	printf("INFO page_size=%ld", sysconf(_SC_PAGESIZE));
	if (r.rlim_cur == RLIM_INFINITY)
		printf(" rlim_stack_cur=unlimited");
	else
		printf(" rlim_stack_cur=%llu", (unsigned long long)r.rlim_cur);
	printf(" personality=0x%x", personality(0xffffffff));
	printf(" mmap_min_addr=%lu\n",
	       read_num_file("/proc/sys/vm/mmap_min_addr"));
	end_reply();
}

int main(int argc, char **argv)
{
	char line[512], cmd[32], a[128], b[64], c[64], d[64], e[64];
	int n;

	(void)argc;
	if (!(personality(0xffffffff) & ADDR_NO_RANDOMIZE)) {
		personality(personality(0xffffffff) | ADDR_NO_RANDOMIZE);
		execv("/proc/self/exe", argv);
		perror("execv");
		return 1;
	}
	printf("READY\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		n = sscanf(line, "%31s %127s %63s %63s %63s %63s", cmd, a, b, c,
			   d, e);
		if (n < 1)
			continue;
		if (!strcmp(cmd, "quit"))
			break;
		if (!strcmp(cmd, "info")) {
			cmd_info();
		} else if (!strcmp(cmd, "list")) {
			cmd_list();
		} else if (!strcmp(cmd, "open") && n == 2) {
			cmd_open(a);
		} else if (!strcmp(cmd, "mmap") && n == 6) {
			cmd_mmap(a, strtoull(b, NULL, 0), strtoull(c, NULL, 0),
				 strtoull(d, NULL, 0), e);
		} else if (!strcmp(cmd, "munmap") && n == 3) {
			cmd_munmap(strtoull(a, NULL, 0), strtoull(b, NULL, 0));
		} else if (!strcmp(cmd, "touch") && n == 3) {
			cmd_touch(strtoull(a, NULL, 0), strtoull(b, NULL, 0));
		} else if (!strcmp(cmd, "write") && n == 3) {
			if (write_file(a, b)) {
				fail(a);
			} else {
				printf("OK\n");
				end_reply();
			}
		} else if (!strcmp(cmd, "leaves") && n == 3) {
			cmd_leaves(strtoull(a, NULL, 0), strtoull(b, NULL, 0));
		} else {
			printf("ERROR unknown command: %s", line);
			end_reply();
		}
	}
	return 0;
}
