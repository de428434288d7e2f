// SPDX-License-Identifier: GPL-2.0-only
/*
 * init: PID 1 of the mapping-order guest (booted by vm/qemu.ts).
 *
 * It mounts what the probes need, then serves the host over the second
 * serial port, /dev/ttyS1, in raw mode. The first port, ttyS0, is the
 * kernel console; the programs run here write their stderr there too.
 *
 * Both directions carry only frames, "TAG LEN CRC\n" then LEN bytes, CRC
 * being the crc32 (IEEE 802.3, as zlib's) of those bytes in 8 hex digits,
 * so that a truncated or garbled answer is recognised as such by the host
 * (vm/frame.ts) instead of being read as a result.
 *
 * host -> guest                      guest -> host
 *   exec   argv, each NUL-ended        STDOUT  bytes the program wrote
 *   stdin  bytes for the program       EXIT    "code N" or "signal N"
 *   eof    (close its stdin)
 *   read   a path                      BLOCK   the whole file
 *   poweroff                           (QEMU exits)
 *                                      READY   the kernel release, once
 *                                      ERROR   one line, for any failure
 *
 * A program runs with stdin and stdout on pipes relayed by this process
 * (never on the tty itself), so its output is framed like everything else
 * and the host can end its input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define DATA_TTY	"/dev/ttyS1"
#define HEADER_MAX	64
/* The largest frame the host sends: a command, or a chunk of stdin. */
#define RX_PAYLOAD_MAX	(64 << 10)
/* The largest file `read` answers with (page-table dumps included). */
#define FILE_MAX	(16 << 20)
#define READ_CHUNK	((size_t)64 << 10)
#define ARGV_MAX	256
#define CHUNK		(32 << 10)

struct frame {
	char tag[17];
	unsigned char *payload;
	size_t len;
};

static int data_fd;
static unsigned char rx[HEADER_MAX + RX_PAYLOAD_MAX];
static size_t rx_len;
static unsigned char file_buf[FILE_MAX];
static unsigned char chunk[CHUNK];
static unsigned char stdin_buf[1 << 20];
static unsigned char cmd[RX_PAYLOAD_MAX];
static size_t stdin_len;
static char msg[512];

static unsigned int crc32(const unsigned char *p, size_t n)
{
	unsigned int crc = 0xffffffffu;
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void write_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* A line on the console (fd 2 is /dev/console, opened by the kernel). */
static void say(const char *fmt, ...)
{
	char line[600];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	write_all(2, line, (size_t)n);
}

static const char *err_name(int e)
{
	const char *name = strerrorname_np(e);

	return name ? name : "EUNKNOWN";
}

/*
 * A failure before the channel is up: say why on the console, where the
 * host looks for "mapping-order: fatal:", and end. PID 1 exiting panics
 * the kernel ("Attempted to kill init!"), and with panic=-1 and QEMU's
 * -no-reboot that ends QEMU.
 */
static void die(const char *what)
{
	say("mapping-order: fatal: %s: %s", what, err_name(errno));
	_exit(1);
}

static void send_frame(const char *tag, const void *payload, size_t len)
{
	char head[HEADER_MAX];
	int n;

	n = snprintf(head, sizeof(head), "%s %zu %08x\n", tag, len,
		     crc32(payload, len));
	write_all(data_fd, head, (size_t)n);
	write_all(data_fd, payload, len);
}

static void send_error(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	send_frame("ERROR", msg, (size_t)n);
}

/* Reads what the data tty has, blocking until at least one byte. */
static void rx_fill(void)
{
	ssize_t n;

	if (rx_len == sizeof(rx))
		return;
	do {
		n = read(data_fd, rx + rx_len, sizeof(rx) - rx_len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		die("read " DATA_TTY);
	rx_len += (size_t)n;
}

static int parse_header(const char *h, struct frame *f, unsigned int *crc)
{
	size_t i = 0, len = 0, digits = 0, t = 0;
	unsigned int c = 0;

	while (t < sizeof(f->tag) - 1 &&
	       ((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z')))
		f->tag[t++] = h[i++];
	f->tag[t] = 0;
	if (!t || h[i++] != ' ')
		return -1;
	while (h[i] >= '0' && h[i] <= '9' && digits < 9) {
		len = len * 10 + (size_t)(h[i++] - '0');
		digits++;
	}
	if (!digits || h[i++] != ' ' || len > RX_PAYLOAD_MAX)
		return -1;
	for (digits = 0; digits < 8; digits++, i++) {
		if (h[i] >= '0' && h[i] <= '9')
			c = c << 4 | (unsigned int)(h[i] - '0');
		else if (h[i] >= 'a' && h[i] <= 'f')
			c = c << 4 | (unsigned int)(h[i] - 'a' + 10);
		else
			return -1;
	}
	if (h[i])
		return -1;
	f->len = len;
	*crc = c;
	return 0;
}

/*
 * The next complete frame at the start of rx: 1 (its payload points into rx
 * until rx_consume), 0 when more bytes are needed, -1 for a garbled frame:
 * then rx is emptied, since nothing marks the next frame boundary in a
 * damaged stream, and the host is told.
 */
static int rx_frame(struct frame *f, size_t *used)
{
	size_t seen = rx_len < HEADER_MAX ? rx_len : HEADER_MAX;
	unsigned char *nl = memchr(rx, '\n', seen);
	char head[HEADER_MAX];
	unsigned int crc;
	size_t hlen;

	if (!nl) {
		if (rx_len < HEADER_MAX)
			return 0;
		send_error("garbled frame from the host: no header in %d bytes", HEADER_MAX);
		rx_len = 0;
		return -1;
	}
	hlen = (size_t)(nl - rx);
	memcpy(head, rx, hlen);
	head[hlen] = 0;
	if (parse_header(head, f, &crc)) {
		send_error("garbled frame header from the host: '%s'", head);
		rx_len = 0;
		return -1;
	}
	if (rx_len < hlen + 1 + f->len)
		return 0;
	f->payload = rx + hlen + 1;
	if (crc32(f->payload, f->len) != crc) {
		send_error("garbled frame from the host: %s %zu: crc32 mismatch", f->tag, f->len);
		rx_len = 0;
		return -1;
	}
	*used = hlen + 1 + f->len;
	return 1;
}

static void rx_consume(size_t used)
{
	memmove(rx, rx + used, rx_len - used);
	rx_len -= used;
}

static void do_read(const struct frame *f)
{
	char path[4096];
	size_t n = 0, want;
	ssize_t r;
	int fd;

	if (f->len == 0 || f->len >= sizeof(path) || memchr(f->payload, 0, f->len)) {
		send_error("read: bad path");
		return;
	}
	memcpy(path, f->payload, f->len);
	path[f->len] = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		send_error("read %s: %s", path, err_name(errno));
		return;
	}
	/*
	 * proc, sysfs and debugfs files say size 0: read until end of file,
	 * in chunks, since 6.12's proc_sys_call_handler() refuses a read of
	 * KMALLOC_MAX_SIZE or more with ENOMEM.
	 */
	for (;;) {
		want = sizeof(file_buf) - n;
		if (want > READ_CHUNK)
			want = READ_CHUNK;
		r = read(fd, file_buf + n, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || n + (size_t)r == sizeof(file_buf))
			break;
		n += (size_t)r;
	}
	close(fd);
	if (r < 0)
		send_error("read %s: %s", path, err_name(errno));
	else if (r > 0)
		send_error("read %s: larger than %d bytes", path, FILE_MAX - 1);
	else
		send_frame("BLOCK", file_buf, n);
}

static int split_argv(const struct frame *f, char **argv)
{
	size_t i = 0;
	int argc = 0;

	if (f->len == 0 || f->payload[f->len - 1] != 0)
		return -1;
	while (i < f->len) {
		if (argc == ARGV_MAX)
			return -1;
		argv[argc++] = (char *)f->payload + i;
		i += strlen((char *)f->payload + i) + 1;
	}
	argv[argc] = NULL;
	return argv[0][0] == '/' ? 0 : -1;
}

/* The program's side of exec: stdin and stdout on the pipes, stderr on the console. */
static void child(char **argv, int in, int out, int report)
{
	int e;

	dup2(in, 0);
	dup2(out, 1);
	/* init ignores SIGPIPE; an ignored signal stays ignored across execve. */
	signal(SIGPIPE, SIG_DFL);
	execv(argv[0], argv);
	e = errno;
	write_all(report, &e, sizeof(e));
	_exit(127);
}

struct run {
	pid_t pid;
	int pidfd;
	int in;		/* write end of the program's stdin, -1 once closed */
	int out;	/* read end of its stdout, -1 once at end of file */
	int eof;	/* the host ended stdin: close it once stdin_buf is out */
	int status;
	int exited;
};

static void close_stdin(struct run *r)
{
	if (r->in >= 0)
		close(r->in);
	r->in = -1;
	stdin_len = 0;
}

/*
 * Host frames already in rx, while a program runs. A stdin frame that does
 * not fit in stdin_buf stays in rx, and a full rx is not refilled, so the
 * host's bytes wait in the tty: that is the back-pressure.
 */
static void drain_rx(struct run *r)
{
	struct frame f;
	size_t used;

	while (rx_frame(&f, &used) == 1) {
		if (!strcmp(f.tag, "stdin")) {
			if (r->in >= 0 && stdin_len + f.len > sizeof(stdin_buf))
				break;
			/* Once the program closed its stdin, what it did not read is dropped. */
			if (r->in >= 0) {
				memcpy(stdin_buf + stdin_len, f.payload, f.len);
				stdin_len += f.len;
			}
		} else if (!strcmp(f.tag, "eof")) {
			r->eof = 1;
		} else {
			send_error("%s: a program is running", f.tag);
		}
		rx_consume(used);
	}
	if (r->eof && !stdin_len)
		close_stdin(r);
}

static void relay_stdin(struct run *r)
{
	ssize_t w = write(r->in, stdin_buf, stdin_len);

	if (w < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (w < 0) {
		/* EPIPE: the program closed its stdin; what it did not read is dropped. */
		close_stdin(r);
		return;
	}
	memmove(stdin_buf, stdin_buf + w, stdin_len - (size_t)w);
	stdin_len -= (size_t)w;
	if (r->eof && !stdin_len)
		close_stdin(r);
}

static void relay_stdout(struct run *r)
{
	ssize_t n = read(r->out, chunk, sizeof(chunk));

	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		close(r->out);
		r->out = -1;
		return;
	}
	send_frame("STDOUT", chunk, (size_t)n);
}

static void do_exec(const struct frame *f)
{
	char *argv[ARGV_MAX + 1];
	int in[2], out[2], report[2], e;
	struct run r = { .in = -1, .out = -1 };
	ssize_t n;

	if (split_argv(f, argv)) {
		send_error("exec: bad argv (NUL-ended words, an absolute path first)");
		return;
	}
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
		send_error("exec %s: pipe: %s", argv[0], err_name(errno));
		return;
	}
	r.pid = fork();
	if (r.pid == 0)
		child(argv, in[0], out[1], report[1]);
	close(in[0]);
	close(out[1]);
	close(report[1]);
	if (r.pid < 0) {
		send_error("exec %s: fork: %s", argv[0], err_name(errno));
		close(in[1]);
		close(out[0]);
		close(report[0]);
		return;
	}
	/* The report pipe is close-on-exec: end of file means execv succeeded. */
	n = read(report[0], &e, sizeof(e));
	close(report[0]);
	if (n == sizeof(e)) {
		waitpid(r.pid, NULL, 0);
		close(in[1]);
		close(out[0]);
		send_error("exec %s: %s", argv[0], err_name(e));
		return;
	}
	r.in = in[1];
	r.out = out[0];
	fcntl(r.in, F_SETFL, O_NONBLOCK);
	/* pidfd_open (kernel/pid.c): a pollable "this process has exited". */
	r.pidfd = (int)syscall(SYS_pidfd_open, r.pid, 0);
	if (r.pidfd < 0)
		die("pidfd_open");
	stdin_len = 0;

	while (r.out >= 0 || !r.exited) {
		struct pollfd p[4];
		int np = 0, i;

		drain_rx(&r);
		p[np++] = (struct pollfd){ .fd = rx_len < sizeof(rx) ? data_fd : -1,
					   .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = r.out, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = stdin_len ? r.in : -1, .events = POLLOUT };
		p[np++] = (struct pollfd){ .fd = r.exited ? -1 : r.pidfd, .events = POLLIN };
		if (poll(p, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (i = 0; i < np; i++)
			if (p[i].fd < 0)
				p[i].revents = 0;
		if (p[1].revents)
			relay_stdout(&r);
		if (p[2].revents)
			relay_stdin(&r);
		if (p[0].revents)
			rx_fill();
		if (p[3].revents) {
			waitpid(r.pid, &r.status, 0);
			r.exited = 1;
			close_stdin(&r);
		}
	}
	close(r.pidfd);
	close_stdin(&r);
	if (WIFSIGNALED(r.status))
		n = snprintf(msg, sizeof(msg), "signal %d", WTERMSIG(r.status));
	else
		n = snprintf(msg, sizeof(msg), "code %d", WEXITSTATUS(r.status));
	send_frame("EXIT", msg, (size_t)n);
}

static void do_poweroff(void)
{
	sync();
	/* With ACPI this is acpi_power_off(): S5, and QEMU exits. */
	reboot(RB_POWER_OFF);
	send_error("poweroff: %s", err_name(errno));
}

static void mount_or_die(const char *src, const char *dir, const char *type,
			 unsigned long flags, const char *opts)
{
	char what[256];

	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(what, sizeof(what), "mkdir %s", dir);
		die(what);
	}
	if (mount(src, dir, type, flags, opts)) {
		snprintf(what, sizeof(what), "mount %s (%s%s%s)", dir, type,
			 opts ? " " : "", opts ? opts : "");
		die(what);
	}
}

static void mount_all(void)
{
	struct stat st;

	mount_or_die("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount_or_die("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount_or_die("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	mount_or_die("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	mount_or_die("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, NULL);
	/* shmem_get_unmapped_area() (mm/shmem.c) aligns only for huge=always or within_size. */
	mount_or_die("tmpfs", "/mnt/thp", "tmpfs", 0, "huge=always");
	/* The default huge page size (default_hugepagesz=, else 2M). */
	mount_or_die("hugetlbfs", "/mnt/huge", "hugetlbfs", 0, NULL);
	/* 1G pages exist when the CPU has pdpe1gb and hugepagesz=1G reserved some. */
	if (!stat("/sys/kernel/mm/hugepages/hugepages-1048576kB", &st))
		mount_or_die("hugetlbfs", "/mnt/huge-1G", "hugetlbfs", 0, "pagesize=1G");
}

static void open_data_tty(void)
{
	struct termios t;

	data_fd = open(DATA_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (data_fd < 0)
		die("open " DATA_TTY);
	if (tcgetattr(data_fd, &t))
		die("tcgetattr " DATA_TTY);
	/* Every byte as is: no echo, no line editing, no CR/LF mapping, no XON/XOFF. */
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~CRTSCTS;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	cfsetspeed(&t, B115200);
	if (tcsetattr(data_fd, TCSANOW, &t))
		die("tcsetattr " DATA_TTY);
	tcflush(data_fd, TCIOFLUSH);
}

int main(void)
{
	struct utsname u;
	struct frame f;
	size_t used;
	int got;

	signal(SIGPIPE, SIG_IGN);
	mount_all();
	open_data_tty();
	uname(&u);
	send_frame("READY", u.release, strlen(u.release));
	say("mapping-order: ready");

	for (;;) {
		/* Orphans reparented to init; do_exec waits for its own program. */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		got = rx_frame(&f, &used);
		if (got == 0)
			rx_fill();
		if (got != 1)
			continue;
		/* Out of rx before it runs: exec reads its program's stdin into rx. */
		memcpy(cmd, f.payload, f.len);
		f.payload = cmd;
		rx_consume(used);
		if (!strcmp(f.tag, "exec"))
			do_exec(&f);
		else if (!strcmp(f.tag, "read"))
			do_read(&f);
		else if (!strcmp(f.tag, "poweroff"))
			do_poweroff();
		/* stdin and eof after a program ended belong to it: dropped. */
		else if (strcmp(f.tag, "stdin") && strcmp(f.tag, "eof"))
			send_error("unknown command '%s'", f.tag);
	}
}
