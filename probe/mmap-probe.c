// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap-probe: the live-kernel half of `mapping-order probe`.
 *
 * Reads one command per line on stdin and answers on stdout. For a probe it
 * reads /proc/self/maps and /proc/self/smaps (the VMAs the allocator will
 * see), calls mmap(2), and prints the snapshot and the result, so that the
 * model can be given exactly the layout the kernel searched.
 *
 * Nothing between the snapshot and the mmap may change the address space:
 * the program never calls malloc or stdio (no heap growth, no stdio buffers),
 * keeps every buffer static, and talks to the kernel with read/write/syscall.
 *
 * Start-up (see docs/PROBE.md for why): the process re-executes itself once
 * with personality ADDR_NO_RANDOMIZE (so exec leaves PF_RANDOMIZE clear:
 * mmap_base is then a function of RLIMIT_STACK alone, arch/x86/mm/mmap.c
 * mmap_base()), adding ADDR_COMPAT_LAYOUT with --legacy (mmap_is_legacy():
 * bottom-up, MMF_TOPDOWN clear), after setting RLIMIT_STACK from --stack.
 * With --aslr it re-executes without ADDR_NO_RANDOMIZE instead (the bases
 * are then read off the layout: probe/mmap-base.ts inferTopdownBases).
 * It then drops CAP_SYS_RAWIO, so that security_mmap_addr() refuses
 * addresses below vm.mmap_min_addr as it does for an ordinary process.
 *
 * Commands (numbers: decimal or 0x-hex; answers end with a line "END"):
 *   info                          INFO key=value ...
 *   maps                          the snapshot only
 *   probe TAG FD ADDR LEN OFF FL  snapshot, mmap(ADDR, LEN, PROT_NONE, flags, FD, OFF),
 *                                 RESULT TAG ok 0xVA | RESULT TAG err ERRNO;
 *                                 FD is "anon" or a descriptor number; OFF in bytes;
 *                                 FL letters: s shared (else private), f MAP_FIXED,
 *                                 k keep the mapping (else munmap it at once)
 *   fixed ADDR LEN [g]            PROT_NONE anonymous MAP_FIXED_NOREPLACE blocker;
 *                                 g adds MAP_GROWSDOWN (a VM_GROWSDOWN VMA: guard gap below)
 *   unmap ADDR LEN                munmap
 *   open PATH SIZE                open(O_RDWR|O_CREAT) + ftruncate: OK FD
 *   read PATH                     FILE n, then the n bytes of the file (at most 1 MiB; read in
 *                                 chunks of 64K: fs/proc/proc_sysctl.c proc_sys_call_handler
 *                                 refuses a read() of KMALLOC_MAX_SIZE or more with ENOMEM)
 *   open-ro PATH                  open(O_RDONLY) of an existing file, its size untouched
 *                                 (a PCI sysfs resource file: PROT_NONE needs no write access)
 *   memfd SIZE                    memfd_create + ftruncate: OK FD
 *   memfd-huge SIZE               the same with MFD_HUGETLB (a hugetlbfs file of the
 *                                 default huge page size); probes map it MAP_NORESERVE,
 *                                 so no huge page need be reserved
 *   close FD
 *   quit
 * A snapshot is "MAPS n\n" followed by n bytes of /proc/self/maps, then
 * "VMFLAGS n\n" followed by n bytes of "start-end flag flag ...\n" lines taken
 * from the VmFlags of /proc/self/smaps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static char maps_buf[1 << 20];
static char smaps_buf[8 << 20];
static char flags_buf[1 << 20];
static char in_buf[1 << 16];
static size_t in_len;
static char line[4096];
static char out[4096];

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			_exit(3);
		}
		p += w;
		n -= (size_t)w;
	}
}

static void puts_out(const char *s)
{
	write_all(s, strlen(s));
}

/* Formatting without stdio: append to out at *pos. */
static void app_str(size_t *pos, const char *s)
{
	size_t n = strlen(s);
	if (*pos + n >= sizeof(out))
		n = sizeof(out) - 1 - *pos;
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = 0;
}

static void app_hex(size_t *pos, uint64_t v)
{
	char tmp[24];
	int i = 0;
	const char *digits = "0123456789abcdef";
	app_str(pos, "0x");
	do {
		tmp[i++] = digits[v & 15];
		v >>= 4;
	} while (v);
	while (i > 0) {
		char c[2] = { tmp[--i], 0 };
		app_str(pos, c);
	}
}

static void app_dec(size_t *pos, uint64_t v)
{
	char tmp[24];
	int i = 0;
	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i > 0) {
		char c[2] = { tmp[--i], 0 };
		app_str(pos, c);
	}
}

static const char *errno_name(int e)
{
	switch (e) {
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case EOVERFLOW: return "EOVERFLOW";
	case EEXIST: return "EEXIST";
	case EACCES: return "EACCES";
	case EBADF: return "EBADF";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	default: return "EUNKNOWN";
	}
}

static void reply_err(int e)
{
	size_t pos = 0;
	app_str(&pos, "ERR ");
	app_str(&pos, errno_name(e));
	app_str(&pos, " ");
	app_dec(&pos, (uint64_t)e);
	app_str(&pos, "\n");
	puts_out(out);
}

static void reply_ok_hex(uint64_t v)
{
	size_t pos = 0;
	app_str(&pos, "OK ");
	app_hex(&pos, v);
	app_str(&pos, "\n");
	puts_out(out);
}

static int parse_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	int base = 10;
	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -1;
	}
	for (; *s; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		x = x * (uint64_t)base + (uint64_t)d;
	}
	*v = x;
	return 0;
}

/* Whole file into buf (proc files report size 0, so read until EOF). */
static ssize_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t r;
		if (n == cap) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
		r = read(fd, buf + n, cap - n < 65536 ? cap - n : 65536);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/*
 * From smaps keep, per VMA, its range and its VmFlags: the growsdown ("gd")
 * and shadow-stack ("ss") bits decide the guard gaps the search keeps.
 */
static ssize_t smaps_flags(size_t slen)
{
	size_t i = 0, o = 0;
	while (i < slen) {
		size_t e = i;
		while (e < slen && smaps_buf[e] != '\n')
			e++;
		if (is_hex(smaps_buf[i])) {
			/* header line: copy "start-end" */
			size_t k = i;
			while (k < e && smaps_buf[k] != ' ')
				k++;
			if (o + (k - i) + 1 >= sizeof(flags_buf))
				return -1;
			memcpy(flags_buf + o, smaps_buf + i, k - i);
			o += k - i;
		} else if (e - i > 8 && memcmp(smaps_buf + i, "VmFlags:", 8) == 0) {
			size_t k = i + 8;
			if (o + (e - k) + 2 >= sizeof(flags_buf))
				return -1;
			memcpy(flags_buf + o, smaps_buf + k, e - k);
			o += e - k;
			/* trim the trailing blank smaps leaves after the last flag */
			while (o > 0 && flags_buf[o - 1] == ' ')
				o--;
			flags_buf[o++] = '\n';
		}
		i = e + 1;
	}
	return (ssize_t)o;
}

/* The snapshot: maps, then the VmFlags. Returns 0, or -1 after reporting. */
static int snapshot(void)
{
	ssize_t m = slurp("/proc/self/maps", maps_buf, sizeof(maps_buf));
	ssize_t s, f;
	size_t pos = 0;
	if (m < 0) {
		reply_err(errno);
		return -1;
	}
	s = slurp("/proc/self/smaps", smaps_buf, sizeof(smaps_buf));
	if (s < 0) {
		reply_err(errno);
		return -1;
	}
	f = smaps_flags((size_t)s);
	if (f < 0) {
		reply_err(EFBIG);
		return -1;
	}
	app_str(&pos, "MAPS ");
	app_dec(&pos, (uint64_t)m);
	app_str(&pos, "\n");
	puts_out(out);
	write_all(maps_buf, (size_t)m);
	pos = 0;
	app_str(&pos, "VMFLAGS ");
	app_dec(&pos, (uint64_t)f);
	app_str(&pos, "\n");
	puts_out(out);
	write_all(flags_buf, (size_t)f);
	return 0;
}

static long raw_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off)
{
	return syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

#define MAX_ARGS 10

static int split(char *s, char **argv)
{
	int n = 0;
	while (*s && n < MAX_ARGS) {
		while (*s == ' ' || *s == '\t')
			*s++ = 0;
		if (!*s)
			break;
		argv[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	return n;
}

/* The answer to open and memfd*: fd (errno if < 0) truncated to size, or the error, closing it. */
static void reply_sized_fd(int fd, uint64_t size)
{
	if (fd < 0) {
		reply_err(errno);
	} else if (ftruncate(fd, (off_t)size)) {
		reply_err(errno);
		close(fd);
	} else {
		reply_ok_hex((uint64_t)fd);
	}
}

static void cmd_probe(int argc, char **argv)
{
	uint64_t addr, len, off, fdv = 0;
	int fd = -1, flags = MAP_NORESERVE, keep = 0;
	const char *fl;
	long r;
	size_t pos = 0;

	if (argc != 7 || parse_u64(argv[3], &addr) || parse_u64(argv[4], &len) ||
	    parse_u64(argv[5], &off)) {
		reply_err(EINVAL);
		return;
	}
	if (strcmp(argv[2], "anon") == 0) {
		flags |= MAP_ANONYMOUS;
	} else if (parse_u64(argv[2], &fdv) == 0) {
		fd = (int)fdv;
	} else {
		reply_err(EBADF);
		return;
	}
	flags |= MAP_PRIVATE;
	for (fl = argv[6]; *fl; fl++) {
		if (*fl == 's')
			flags = (flags & ~MAP_PRIVATE) | MAP_SHARED;
		else if (*fl == 'f')
			flags |= MAP_FIXED;
		else if (*fl == 'k')
			keep = 1;
		else if (*fl != '-') {
			reply_err(EINVAL);
			return;
		}
	}
	if (snapshot())
		return;
	/* Nothing may happen between the snapshot and this call. */
	r = raw_mmap(addr, len, PROT_NONE, flags, fd, off);
	if (r == -1) {
		int e = errno;
		app_str(&pos, "RESULT ");
		app_str(&pos, argv[1]);
		app_str(&pos, " err ");
		app_str(&pos, errno_name(e));
		app_str(&pos, "\n");
		puts_out(out);
		return;
	}
	if (!keep)
		munmap((void *)r, len);
	app_str(&pos, "RESULT ");
	app_str(&pos, argv[1]);
	app_str(&pos, " ok ");
	app_hex(&pos, (uint64_t)r);
	app_str(&pos, "\n");
	puts_out(out);
}

static void cmd_info(void)
{
	struct rlimit rl;
	size_t pos = 0;
	int pers = personality(0xffffffff);
	getrlimit(RLIMIT_STACK, &rl);
	app_str(&pos, "INFO personality=");
	app_hex(&pos, (uint64_t)(unsigned)pers);
	app_str(&pos, " rlim_stack_cur=");
	if (rl.rlim_cur == RLIM_INFINITY)
		app_str(&pos, "unlimited");
	else
		app_hex(&pos, (uint64_t)rl.rlim_cur);
	app_str(&pos, " pid=");
	app_dec(&pos, (uint64_t)getpid());
	app_str(&pos, " page_size=");
	app_dec(&pos, (uint64_t)sysconf(_SC_PAGESIZE));
	app_str(&pos, "\n");
	puts_out(out);
}

static void dispatch(char *l)
{
	char *argv[MAX_ARGS];
	int argc = split(l, argv);
	uint64_t a, b;

	if (argc == 0) {
		reply_err(EINVAL);
	} else if (strcmp(argv[0], "info") == 0) {
		cmd_info();
	} else if (strcmp(argv[0], "maps") == 0) {
		snapshot();
	} else if (strcmp(argv[0], "probe") == 0) {
		cmd_probe(argc, argv);
	} else if (strcmp(argv[0], "fixed") == 0) {
		long r;
		int extra = 0;
		if (argc == 4 && strcmp(argv[3], "g") == 0)
			extra = MAP_GROWSDOWN;
		else if (argc != 3)
			argc = -1;
		if (argc < 0 || parse_u64(argv[1], &a) || parse_u64(argv[2], &b)) {
			reply_err(EINVAL);
		} else {
			r = raw_mmap(a, b, PROT_NONE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE | extra,
				     -1, 0);
			if (r == -1)
				reply_err(errno);
			else if ((uint64_t)r != a)
				/* a kernel without MAP_FIXED_NOREPLACE treats it as a hint */
				reply_err(EEXIST);
			else
				reply_ok_hex((uint64_t)r);
		}
	} else if (strcmp(argv[0], "unmap") == 0) {
		if (argc != 3 || parse_u64(argv[1], &a) || parse_u64(argv[2], &b))
			reply_err(EINVAL);
		else if (munmap((void *)a, b))
			reply_err(errno);
		else
			reply_ok_hex(a);
	} else if (strcmp(argv[0], "open") == 0) {
		if (argc != 3 || parse_u64(argv[2], &b))
			reply_err(EINVAL);
		else
			reply_sized_fd(open(argv[1], O_RDWR | O_CREAT | O_CLOEXEC, 0600), b);
	} else if (strcmp(argv[0], "read") == 0) {
		ssize_t n = argc == 2 ? slurp(argv[1], maps_buf, sizeof(maps_buf)) : -1;
		size_t pos = 0;
		if (argc != 2)
			reply_err(EINVAL);
		else if (n < 0)
			reply_err(errno);
		else {
			app_str(&pos, "FILE ");
			app_dec(&pos, (uint64_t)n);
			app_str(&pos, "\n");
			puts_out(out);
			write_all(maps_buf, (size_t)n);
		}
	} else if (strcmp(argv[0], "open-ro") == 0) {
		int fd = argc == 2 ? open(argv[1], O_RDONLY | O_CLOEXEC) : -1;
		if (argc != 2)
			reply_err(EINVAL);
		else if (fd < 0)
			reply_err(errno);
		else
			reply_ok_hex((uint64_t)fd);
	} else if (strcmp(argv[0], "memfd") == 0 || strcmp(argv[0], "memfd-huge") == 0) {
		unsigned int mfd = MFD_CLOEXEC | (strcmp(argv[0], "memfd-huge") == 0 ? MFD_HUGETLB : 0);
		if (argc != 2 || parse_u64(argv[1], &b))
			reply_err(EINVAL);
		else
			reply_sized_fd((int)syscall(SYS_memfd_create, "mapping-order-probe", mfd), b);
	} else if (strcmp(argv[0], "close") == 0) {
		if (argc != 2 || parse_u64(argv[1], &a))
			reply_err(EINVAL);
		else if (close((int)a))
			reply_err(errno);
		else
			reply_ok_hex(a);
	} else if (strcmp(argv[0], "quit") == 0) {
		puts_out("END\n");
		_exit(0);
	} else {
		reply_err(EINVAL);
	}
	puts_out("END\n");
}

/* Next line from stdin into `line`; 0 at EOF. */
static int next_line(void)
{
	for (;;) {
		char *nl = memchr(in_buf, '\n', in_len);
		if (nl) {
			size_t n = (size_t)(nl - in_buf);
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
			memcpy(line, in_buf, n);
			line[n] = 0;
			in_len -= (size_t)(nl - in_buf) + 1;
			memmove(in_buf, nl + 1, in_len);
			return 1;
		}
		if (in_len == sizeof(in_buf))
			in_len = 0;
		ssize_t r = read(0, in_buf + in_len, sizeof(in_buf) - in_len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		in_len += (size_t)r;
	}
}

static void drop_cap_sys_rawio(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data))
		return;
	data[CAP_SYS_RAWIO / 32].effective &= ~(1u << (CAP_SYS_RAWIO % 32));
	data[CAP_SYS_RAWIO / 32].permitted &= ~(1u << (CAP_SYS_RAWIO % 32));
	data[CAP_SYS_RAWIO / 32].inheritable &= ~(1u << (CAP_SYS_RAWIO % 32));
	syscall(SYS_capset, &hdr, data);
}

static void die(const char *what)
{
	size_t pos = 0;
	app_str(&pos, "FATAL ");
	app_str(&pos, what);
	app_str(&pos, " ");
	app_str(&pos, errno_name(errno));
	app_str(&pos, "\n");
	puts_out(out);
	_exit(2);
}

int main(int argc, char **argv)
{
	int legacy = 0, reexeced = 0, aslr = 0, i;
	const char *stack = NULL;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--legacy") == 0)
			legacy = 1;
		else if (strcmp(argv[i], "--aslr") == 0)
			aslr = 1;
		else if (strcmp(argv[i], "--reexeced") == 0)
			reexeced = 1;
		else if (strcmp(argv[i], "--stack") == 0 && i + 1 < argc)
			stack = argv[++i];
		else
			die("usage");
	}
	if (!reexeced) {
		static char *nargv[8];
		int n = 0, pers = (aslr ? 0 : ADDR_NO_RANDOMIZE) | (legacy ? ADDR_COMPAT_LAYOUT : 0);
		if (stack) {
			struct rlimit rl;
			uint64_t v;
			getrlimit(RLIMIT_STACK, &rl);
			if (strcmp(stack, "unlimited") == 0)
				rl.rlim_cur = RLIM_INFINITY;
			else if (parse_u64(stack, &v) == 0)
				rl.rlim_cur = v;
			else
				die("stack");
			if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
				rl.rlim_max = rl.rlim_cur;
			if (setrlimit(RLIMIT_STACK, &rl))
				die("setrlimit");
		}
		if (personality((unsigned long)pers) == -1)
			die("personality");
		nargv[n++] = argv[0];
		if (legacy)
			nargv[n++] = "--legacy";
		nargv[n++] = "--reexeced";
		nargv[n] = NULL;
		execv("/proc/self/exe", nargv);
		die("execv");
	}
	drop_cap_sys_rawio();
	puts_out("READY\n");
	while (next_line())
		dispatch(line);
	return 0;
}
