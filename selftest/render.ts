// The kselftest and its patch: selftest/vectors.ts's vectors written into tools/testing/selftests/mm/mapping_order.c
// (kernel coding style, TAP through ../kselftest.h), and kernel/patches/test/0009-*.patch adding that file and its
// lines in tools/testing/selftests/mm/Makefile and .gitignore, as diff hunks against Linux 6.12.118.

import { createHash } from 'node:crypto';
import { hex } from '../model/u64.js';
import { BAR_INDEX, BAR_SIZE, type Vector, vectors } from './vectors.js';

export const PATCH_PATH = 'kernel/patches/test/0009-selftests-mm-add-mapping_order-test.patch';
export const C_PATH = 'tools/testing/selftests/mm/mapping_order.c';

function layoutName(v: Vector): string {
  switch (v.layout.kind) {
    case 'none':
      return 'LAYOUT_NONE';
    case 'hint':
      return v.layout.free ? 'LAYOUT_HINT_FREE' : 'LAYOUT_HINT_TAKEN';
    case 'hole':
      return 'LAYOUT_HOLE';
  }
}

function layoutArg(v: Vector): bigint {
  switch (v.layout.kind) {
    case 'none':
      return 0n;
    case 'hint':
      return v.layout.delta;
    case 'hole':
      return v.layout.size;
  }
}

function vectorC(v: Vector): string {
  const expect = v.relation.kind === 'congruent' ? 'EXPECT_CONGRUENT' : 'EXPECT_AT';
  const val = v.relation.kind === 'congruent' ? v.relation.align : v.relation.delta;
  return [
    `\t/* ${v.why} */`,
    '\t{',
    `\t\t.name = "${v.name}",`,
    `\t\t.off = ${hex(v.off)}UL,`,
    `\t\t.len = ${hex(v.len)}UL,`,
    `\t\t.layout = ${layoutName(v)},`,
    `\t\t.arg = ${hex(layoutArg(v))}UL,`,
    `\t\t.expect = ${expect},`,
    `\t\t.val = ${hex(val)}UL,`,
    `\t\t.leaves = { ${v.leaves.pte}, ${v.leaves.pmd}, ${v.leaves.pud} },`,
    '\t},',
  ].join('\n');
}

/** The C source of the test, for the vectors `vs`. */
export function renderC(vs: readonly Vector[] = vectors()): string {
  const table = vs.map(vectorC).join('\n');
  return `${C_HEAD}
/*
 * Generated from the model's answers (selftest/vectors.ts): the offset in the
 * BAR, the length, the layout, and what mmap() must give under the optimal
 * placement with the BAR's own order: VA congruent to the offset modulo
 * val (EXPECT_CONGRUENT), or VA at val from the layout's base (EXPECT_AT);
 * then the leaves a touch of every page installs (4K, 2M, 1G).
 */
static const struct vector vectors[] = {
${table}
};
${C_BODY}`;
}

const C_HEAD = `// SPDX-License-Identifier: GPL-2.0
/*
 * mapping_order: where mmap() places a VFIO BAR, and which leaves the huge
 * fault path installs there.
 *
 * The contract of file_operations.get_mapping_order(): a mapping at file
 * offset off with order o is placed at VA == off (mod PAGE_SIZE << o), so
 * every whole, aligned chunk of the BAR gets one leaf. The test maps parts of
 * BAR${BAR_INDEX} (${BAR_SIZE >> 20n}M) of a device bound to vfio-pci in no-IOMMU mode, with no
 * hint, with a hint, or into a hole it makes itself, checks the VA, touches
 * every page in order and counts the leaves in the User Space section of
 * /sys/kernel/debug/page_tables/current_kernel (which dumps the page tables
 * of the process reading it when PTI is off).
 *
 * Usage: mapping_order [BDF]; with a BDF, binds that device to vfio-pci
 * first (vfio.enable_unsafe_noiommu_mode=1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/vfio.h>

#include "../kselftest.h"

#define NOIOMMU_GROUP "/dev/vfio/noiommu-0"
#define PT_DUMP "/sys/kernel/debug/page_tables/current_kernel"
#define BAR_INDEX VFIO_PCI_BAR${BAR_INDEX}_REGION_INDEX
#define BAR_SIZE ${hex(BAR_SIZE)}UL
#define SZ_2M 0x200000UL
#define SZ_1G 0x40000000UL
/* TASK_SIZE of a 64-bit task without a hint above it: DEFAULT_MAP_WINDOW */
#define MAP_WINDOW ((1UL << 47) - 4096)
/* stack_guard_gap's default: 256 pages (mm/mmap.c) */
#define STACK_GUARD (256UL << 12)

enum layout {
	/* no hint, nothing arranged */
	LAYOUT_NONE,
	/* the hint base + arg, base 1G-aligned and free */
	LAYOUT_HINT_FREE,
	/* the hint base + arg, inside a PROT_NONE reservation */
	LAYOUT_HINT_TAKEN,
	/* the only free range: a hole of arg bytes at a 1G-aligned base */
	LAYOUT_HOLE,
};

enum expect {
	EXPECT_CONGRUENT,
	EXPECT_AT,
};

struct vector {
	const char *name;
	unsigned long off;
	unsigned long len;
	enum layout layout;
	/* LAYOUT_HINT_*: the hint's offset from base; LAYOUT_HOLE: its size */
	unsigned long arg;
	enum expect expect;
	/* EXPECT_CONGRUENT: the modulus; EXPECT_AT: the VA's offset from base */
	unsigned long val;
	/* after a touch of every page: 4K (pte), 2M (pmd), 1G (pud) leaves */
	unsigned long leaves[3];
};
`;

const C_BODY = `
static const unsigned long leaf_sizes[3] = { 4096, SZ_2M, SZ_1G };
static const char * const leaf_names[3] = { "pte", "pmd", "pud" };

struct range {
	unsigned long start;
	unsigned long end;
};

static struct range fills[64];
static int nr_fills;
static struct range hole;
static int device_fd = -1;
static unsigned long bar_offset;
static unsigned long page_size;
static char dump_buf[8 << 20];
static char maps_buf[256 << 10];

static unsigned long align_up(unsigned long x, unsigned long a)
{
	return (x + a - 1) & ~(a - 1);
}

static long read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\\0';
	/* A full buffer may have lost the end of the file. */
	return len == size - 1 ? -1 : (long)len;
}

static int write_file(const char *path, const char *text)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Bind bdf to vfio-pci through driver_override, as the VFIO docs do. */
static void bind_vfio(const char *bdf)
{
	char path[512];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 bdf);
	write_file(path, bdf);
	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/driver_override", bdf);
	if (write_file(path, "vfio-pci"))
		ksft_exit_skip("cannot write %s: %s\\n", path, strerror(errno));
	write_file("/sys/bus/pci/drivers_probe", bdf);
}

/* The first device bound to vfio-pci, when no BDF is given. */
static int find_vfio(char *bdf, size_t size)
{
	struct dirent *d;
	DIR *dir;
	int ret = -1;

	dir = opendir("/sys/bus/pci/drivers/vfio-pci");
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (strchr(d->d_name, ':')) {
			snprintf(bdf, size, "%s", d->d_name);
			ret = 0;
			break;
		}
	}
	closedir(dir);
	return ret;
}

static void open_bar(const char *bdf)
{
	struct vfio_region_info info = { .argsz = sizeof(info) };
	int container, group;

	group = open(NOIOMMU_GROUP, O_RDWR);
	if (group < 0)
		ksft_exit_skip("%s: %s\\n", NOIOMMU_GROUP, strerror(errno));
	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		ksft_exit_skip("/dev/vfio/vfio: %s\\n", strerror(errno));
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		ksft_exit_fail_msg("VFIO_GROUP_SET_CONTAINER: %s\\n",
				   strerror(errno));
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU))
		ksft_exit_fail_msg("VFIO_SET_IOMMU: %s\\n", strerror(errno));
	device_fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (device_fd < 0)
		ksft_exit_skip("%s: no VFIO device: %s\\n", bdf, strerror(errno));
	info.index = BAR_INDEX;
	if (ioctl(device_fd, VFIO_DEVICE_GET_REGION_INFO, &info))
		ksft_exit_fail_msg("VFIO_DEVICE_GET_REGION_INFO: %s\\n",
				   strerror(errno));
	if (info.size != BAR_SIZE || !(info.flags & VFIO_REGION_INFO_FLAG_MMAP))
		ksft_exit_skip("BAR%d: %#llx bytes, flags %#x; need %#lx, mmap\\n",
			       BAR_INDEX, (unsigned long long)info.size,
			       info.flags, BAR_SIZE);
	bar_offset = info.offset;
}

static void *reserve(unsigned long addr, unsigned long len, int flags)
{
	return mmap((void *)addr, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | flags, -1, 0);
}

static void fill(unsigned long start, unsigned long end)
{
	/* The hole stays free: fill around it. */
	if (start < hole.end && hole.start < end) {
		fill(start, hole.start);
		fill(hole.end, end);
		return;
	}
	if (start >= end || nr_fills == (int)ARRAY_SIZE(fills))
		return;
	if (reserve(start, end - start, MAP_FIXED_NOREPLACE) == MAP_FAILED)
		return;
	fills[nr_fills].start = start;
	fills[nr_fills].end = end;
	nr_fills++;
}

/*
 * Fill every gap below MAP_WINDOW with PROT_NONE, but the hole and the stack
 * guard gap, so that neither the top-down search nor its bottom-up retry
 * (arch_get_unmapped_area_topdown) finds room anywhere but in the hole.
 */
static int fill_gaps(void)
{
	unsigned long min_addr = 65536, prev, start, end;
	char *line, *next;

	if (read_file("/proc/sys/vm/mmap_min_addr", maps_buf,
		      sizeof(maps_buf)) > 0)
		min_addr = strtoul(maps_buf, NULL, 10);
	prev = align_up(min_addr ? min_addr : 1, page_size);
	if (read_file("/proc/self/maps", maps_buf, sizeof(maps_buf)) < 0)
		return -1;
	for (line = maps_buf; line && *line; line = next) {
		next = strchr(line, '\\n');
		if (next)
			*next++ = '\\0';
		if (sscanf(line, "%lx-%lx", &start, &end) != 2)
			continue;
		if (strstr(line, "[stack]"))
			start -= STACK_GUARD;
		if (start > MAP_WINDOW)
			start = MAP_WINDOW;
		fill(prev, start);
		if (end > prev)
			prev = end;
		if (prev >= MAP_WINDOW)
			break;
	}
	fill(prev, MAP_WINDOW);
	return 0;
}

static void unfill_gaps(void)
{
	while (nr_fills > 0) {
		nr_fills--;
		munmap((void *)fills[nr_fills].start,
		       fills[nr_fills].end - fills[nr_fills].start);
	}
}

/* Leaves of each size in [start, end), from the page table dump. */
static int count_leaves(unsigned long start, unsigned long end,
			unsigned long *leaves)
{
	unsigned long lo, hi;
	char *line, *next, *level;
	int user = 0, i;

	if (read_file(PT_DUMP, dump_buf, sizeof(dump_buf)) < 0)
		return -1;
	for (line = dump_buf; line && *line; line = next) {
		next = strchr(line, '\\n');
		if (next)
			*next++ = '\\0';
		if (!strncmp(line, "---[ ", 5)) {
			user = !strncmp(line, "---[ User Space ]---", 20);
			continue;
		}
		/* Lines without flags are not present. */
		if (!user || !strstr(line, " USR ") ||
		    sscanf(line, "0x%lx-0x%lx", &lo, &hi) != 2)
			continue;
		level = strrchr(line, ' ');
		if (!level)
			continue;
		for (i = 0; i < 3; i++)
			if (!strcmp(level + 1, leaf_names[i]))
				break;
		if (i == 3)
			continue;
		lo = lo > start ? lo : start;
		hi = hi < end ? hi : end;
		if (lo < hi)
			leaves[i] += (hi - lo) / leaf_sizes[i];
	}
	return 0;
}

static void run_vector(const struct vector *v)
{
	unsigned long leaves[3] = { 0, 0, 0 };
	unsigned long base = 0, res_len = 0, addr = 0, va, p, want;
	char *res = MAP_FAILED, *map;
	unsigned long sum = 0;
	int err = 0, i;

	if (v->layout == LAYOUT_HINT_FREE || v->layout == LAYOUT_HINT_TAKEN) {
		res_len = 2 * SZ_1G;
		res = reserve(0, res_len, 0);
		if (res == MAP_FAILED)
			goto fail_reserve;
		base = align_up((unsigned long)res, SZ_1G);
		addr = base + v->arg;
		if (v->layout == LAYOUT_HINT_FREE) {
			munmap(res, res_len);
			res = MAP_FAILED;
		}
	} else if (v->layout == LAYOUT_HOLE) {
		res_len = 2 * SZ_2M + SZ_1G + v->arg;
		res = reserve(0, res_len, 0);
		if (res == MAP_FAILED)
			goto fail_reserve;
		base = align_up((unsigned long)res + SZ_2M, SZ_1G);
		munmap((void *)base, v->arg);
		hole.start = base;
		hole.end = base + v->arg;
		if (fill_gaps())
			err = errno;
	}
	map = mmap((void *)addr, v->len, PROT_READ | PROT_WRITE, MAP_SHARED,
		   device_fd, bar_offset + v->off);
	if (map == MAP_FAILED && !err)
		err = errno;
	unfill_gaps();
	hole.start = 0;
	hole.end = 0;
	/* A taken hint's reservation is not where the BAR went: drop it. */
	if (v->layout == LAYOUT_HINT_TAKEN) {
		munmap(res, res_len);
		res = MAP_FAILED;
	}
	if (err) {
		ksft_test_result_fail("%s: mmap: %s\\n", v->name, strerror(err));
		if (map != MAP_FAILED)
			munmap(map, v->len);
		goto out;
	}
	va = (unsigned long)map;
	for (p = va; p < va + v->len; p += page_size)
		sum += *(unsigned char *)p;
	if (count_leaves(va, va + v->len, leaves)) {
		ksft_test_result_fail("%s: cannot read %s\\n", v->name, PT_DUMP);
		goto unmap;
	}
	/* The sum of the bytes read: printed, so the reads stay. */
	ksft_print_msg("%s: %#lx+%#lx at %#lx, base %#lx: %lu pte %lu pmd %lu pud, sum %lu\\n",
		       v->name, v->off, v->len, va, base, leaves[0], leaves[1],
		       leaves[2], sum);
	if (v->expect == EXPECT_CONGRUENT && (va - v->off) % v->val) {
		ksft_test_result_fail("%s: VA %#lx is not %#lx mod %#lx\\n",
				      v->name, va, v->off % v->val, v->val);
		goto unmap;
	}
	want = base + v->val;
	if (v->expect == EXPECT_AT && va != want) {
		ksft_test_result_fail("%s: VA %#lx, expected %#lx (base + %#lx)\\n",
				      v->name, va, want, v->val);
		goto unmap;
	}
	for (i = 0; i < 3; i++) {
		if (leaves[i] != v->leaves[i]) {
			ksft_test_result_fail("%s: %lu %s leaves, expected %lu\\n",
					      v->name, leaves[i], leaf_names[i],
					      v->leaves[i]);
			goto unmap;
		}
	}
	ksft_test_result_pass("%s\\n", v->name);
unmap:
	munmap(map, v->len);
out:
	if (res != MAP_FAILED)
		munmap(res, res_len);
	return;
fail_reserve:
	ksft_test_result_fail("%s: PROT_NONE reservation: %s\\n", v->name,
			      strerror(errno));
}

int main(int argc, char **argv)
{
	char bdf[256];
	size_t i;

	ksft_print_header();
	page_size = sysconf(_SC_PAGESIZE);
	if (page_size != 4096)
		ksft_exit_skip("the vectors are for 4K pages\\n");
	if (argc > 1) {
		snprintf(bdf, sizeof(bdf), "%s", argv[1]);
		bind_vfio(bdf);
	} else if (find_vfio(bdf, sizeof(bdf))) {
		ksft_exit_skip("no device bound to vfio-pci\\n");
	}
	if (access(NOIOMMU_GROUP, F_OK))
		ksft_exit_skip("%s: %s\\n", NOIOMMU_GROUP, strerror(errno));
	open_bar(bdf);
	if (access(PT_DUMP, R_OK))
		ksft_exit_skip("%s: %s\\n", PT_DUMP, strerror(errno));

	ksft_set_plan(ARRAY_SIZE(vectors));
	for (i = 0; i < ARRAY_SIZE(vectors); i++)
		run_vector(&vectors[i]);
	ksft_finished();
}
`;

// The hunks against Linux 6.12.118 (tools/testing/selftests/mm/Makefile lines 60-65, .gitignore lines 51-53):
// the test sits after map_populate, as the list is sorted.
const MAKEFILE_HUNK = [
  '@@ -60,6 +60,7 @@ TEST_GEN_FILES += madv_populate',
  ' TEST_GEN_FILES += map_fixed_noreplace',
  ' TEST_GEN_FILES += map_hugetlb',
  ' TEST_GEN_FILES += map_populate',
  '+TEST_GEN_FILES += mapping_order',
  ' ifneq (,$(filter $(ARCH),arm64 riscv riscv64 x86 x86_64))',
  ' TEST_GEN_FILES += memfd_secret',
  ' endif',
];
const GITIGNORE_HUNK = [
  '@@ -51,3 +51,4 @@ hugetlb_madv_vs_map',
  ' mseal_test',
  ' seal_elf',
  ' droppable',
  '+mapping_order',
];

/** git's blob id of `text`, abbreviated as format-patch does. */
function blobId(text: string): string {
  const body = Buffer.from(text, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]))
    .digest('hex')
    .slice(0, 12);
}

/** The patch, in git format-patch's form; deterministic (a fixed date), so `npm run gen --check` can compare. */
export function renderPatch(vs: readonly Vector[] = vectors()): string {
  const c = renderC(vs);
  const cLines = c.split('\n').slice(0, -1);
  const width = 42;
  const stat = (path: string, n: number): string =>
    ` ${path.padEnd(width)} | ${String(n).padStart(3)} ${'+'.repeat(Math.min(n, 30))}`;
  const total = cLines.length + 2;
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    'From: mapping-order <mapping-order@invalid>',
    'Date: Sun, 6 Dec 2026 07:21:27 +0000',
    'Subject: [PATCH 9/9] selftests/mm: add a mapping_order test',
    '',
    'For the test kernel: check where mmap() places parts of a 64M VFIO BAR',
    'and which leaves vfio_pci_mmap_huge_fault() installs there, against the',
    'answers of the mapping-order model for mapping_order_policy=optimal and',
    `vfio_pci_core.mapping_order_driver=bar: ${vs.length} vectors (the DPDK split around`,
    'the MSI-X page, aligned and unaligned offsets, ranges with no whole 2M',
    'chunk, an address hint, and a hole the test makes itself), each reported',
    'by name. The device is opened through VFIO no-IOMMU mode; the leaves are',
    'counted in /sys/kernel/debug/page_tables/current_kernel.',
    '',
    'mapping_order.c is generated by selftest/render.ts; do not edit it here.',
    '',
    'Signed-off-by: mapping-order <mapping-order@invalid>',
    '---',
    stat('tools/testing/selftests/mm/.gitignore', 1),
    stat('tools/testing/selftests/mm/Makefile', 1),
    stat(C_PATH, cLines.length),
    ` 3 files changed, ${total} insertions(+)`,
    ' create mode 100644 tools/testing/selftests/mm/mapping_order.c',
    '',
    'diff --git a/tools/testing/selftests/mm/.gitignore b/tools/testing/selftests/mm/.gitignore',
    '--- a/tools/testing/selftests/mm/.gitignore',
    '+++ b/tools/testing/selftests/mm/.gitignore',
    ...GITIGNORE_HUNK,
    'diff --git a/tools/testing/selftests/mm/Makefile b/tools/testing/selftests/mm/Makefile',
    '--- a/tools/testing/selftests/mm/Makefile',
    '+++ b/tools/testing/selftests/mm/Makefile',
    ...MAKEFILE_HUNK,
    `diff --git a/${C_PATH} b/${C_PATH}`,
    'new file mode 100644',
    `index 000000000000..${blobId(c)}`,
    '--- /dev/null',
    `+++ b/${C_PATH}`,
    `@@ -0,0 +1,${cLines.length} @@`,
    ...cLines.map((l) => `+${l}`),
    '-- ',
    '2.39.5',
    '',
  ].join('\n');
}
