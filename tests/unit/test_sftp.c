/*
 * The upload-only SFTP server. Two ways in:
 * - hand-built packets over a socketpair to sftp_serve in a forked child,
 *   whose hooks keep files and an event log in a temporary directory;
 * - the real OpenSSH clients: `scp -S PROGRAM` and `sftp -S PROGRAM` run
 *   PROGRAM as if it were ssh, and this binary is that PROGRAM when
 *   SSHBOOK_TEST_SFTP_DIR is set (act_as_ssh): it serves SFTP on its stdin
 *   and stdout into that directory, and its stderr is the client's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/sftp.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"

/*
 * Numbers from draft-ietf-secsh-filexfer-02, written out again so the test
 * checks the server against the draft rather than against itself.
 */
enum {
	T_INIT = 1, T_VERSION = 2, T_OPEN = 3, T_CLOSE = 4, T_READ = 5, T_WRITE = 6,
	T_LSTAT = 7, T_FSTAT = 8, T_SETSTAT = 9, T_FSETSTAT = 10, T_OPENDIR = 11,
	T_READDIR = 12, T_REMOVE = 13, T_MKDIR = 14, T_RMDIR = 15, T_REALPATH = 16,
	T_STAT = 17, T_RENAME = 18, T_READLINK = 19, T_SYMLINK = 20, T_STATUS = 101,
	T_HANDLE = 102, T_NAME = 104, T_ATTRS = 105, T_EXTENDED = 200,
};
enum {
	S_OK = 0, S_EOF = 1, S_NO_SUCH_FILE = 2, S_PERMISSION_DENIED = 3, S_FAILURE = 4,
	S_OP_UNSUPPORTED = 8,
};
#define O_FX_READ	0x01
#define O_FX_WRITE	0x02
#define O_FX_CREAT	0x08
#define O_FX_TRUNC	0x10
#define A_SIZE		0x01
#define A_PERM		0x04
#define A_EXTENDED	0x80000000u

#define MiB		(1024 * 1024)
#define EXIT_INVALID	10	/* the forked server's exit status when sftp_serve returned ERR_INVALID */
#define EXIT_OTHER	11
#define WAIT_MS		20000	/* no reply or exit within this is a failure, not a hang */

/* ---- hooks: files and an event log in a directory --------------------------------------- */

struct hookdir {
	char	 dir[256];
	bool	 to_stderr;	/* say also writes to stderr, which scp shows */
	char	*parts[1024];	/* by fd: the file being written */
	unsigned serial;
};

static void
event(struct hookdir *hd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line appended to DIR/events, before the server answers, so a reply means it is there. */
static void
event(struct hookdir *hd, const char *fmt, ...)
{
	char	path[PATH_MAX + 16], line[1024];
	va_list	ap;
	int	fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	snprintf(path, sizeof path, "%s/events", hd->dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) >= 0) {
		(void)!write(fd, line, (size_t)n);
		close(fd);
	}
}

/* Where an upload goes: DIR/NAME, or DIR/long-name for names too long for the file system. */
static void
final_path(struct hookdir *hd, const char *name, char *out, size_t outsz)
{
	if (strlen(name) <= 200)
		snprintf(out, outsz, "%s/%s", hd->dir, name);
	else
		snprintf(out, outsz, "%s/long-name", hd->dir);
}

static int
hook_open(void *arg, const char *name, char *why, size_t whysz)
{
	struct hookdir	*hd = arg;
	char		 path[PATH_MAX + 32];
	int		 fd;

	if (strcmp(name, "closed.bin") == 0) {
		event(hd, "open-refused %s", name);
		snprintf(why, whysz, "uploads are closed today");
		return -1;
	}
	snprintf(path, sizeof path, "%s/part-%u", hd->dir, ++hd->serial);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    fd >= (int)(sizeof hd->parts / sizeof hd->parts[0])) {
		snprintf(why, whysz, "test hook: %s", strerror(errno));
		return -1;
	}
	hd->parts[fd] = strdup(path);
	event(hd, "open %s", name);
	return fd;
}

static int
hook_close(void *arg, const char *name, int fd, int64_t bytes, char *why, size_t whysz)
{
	struct hookdir	*hd = arg;
	char		 path[PATH_MAX + 32];
	int		 r = 0;

	close(fd);
	final_path(hd, name, path, sizeof path);
	if (strncmp(name, "reject", 6) == 0) {
		unlink(hd->parts[fd]);
		event(hd, "close-refused %s %" PRId64, name, bytes);
		snprintf(why, whysz, "%s: not a picture (test refusal)", name);
		r = ERR_INVALID;
	} else {
		if (rename(hd->parts[fd], path) != 0)
			event(hd, "rename failed: %s", strerror(errno));
		event(hd, "close %s %" PRId64, name, bytes);
		snprintf(why, whysz, "%s: media 1", name);
	}
	free(hd->parts[fd]);
	hd->parts[fd] = NULL;
	return r;
}

static void
hook_abort(void *arg, const char *name, int fd)
{
	struct hookdir *hd = arg;

	close(fd);
	unlink(hd->parts[fd]);
	free(hd->parts[fd]);
	hd->parts[fd] = NULL;
	event(hd, "abort %s", name);
}

/* "quota*" files may not grow past 8 bytes; every growth is an event. */
static int
hook_grow(void *arg, const char *name, int fd, int64_t end, char *why, size_t whysz)
{
	struct hookdir *hd = arg;

	(void)fd;
	event(hd, "grow %s %" PRId64, name, end);
	if (strncmp(name, "quota", 5) == 0 && end > 8) {
		snprintf(why, whysz, "over the quota (test)");
		return ERR_BUSY;
	}
	return 0;
}

static void
hook_say(void *arg, const char *line)
{
	struct hookdir *hd = arg;

	event(hd, "say %s", line);
	if (hd->to_stderr)
		dprintf(2, "%s\n", line);
}

static void
hooks_init(struct sftp_hooks *h, struct hookdir *hd, int64_t max_bytes)
{
	memset(h, 0, sizeof *h);
	h->open = hook_open;
	h->close = hook_close;
	h->abort = hook_abort;
	h->grow = hook_grow;
	h->say = hook_say;
	h->arg = hd;
	h->max_bytes = max_bytes;
}

/* ---- small file helpers ------------------------------------------------------------------ */

/* The whole file at dir/name (NUL-terminated; *lenp its size), or NULL. */
static char *
slurp(const char *dir, const char *name, size_t *lenp)
{
	char	 path[PATH_MAX + 300];
	FILE	*f;
	char	*p = NULL;
	size_t	 len = 0, n;
	char	 chunk[65536];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		p = realloc(p, len + n + 1);
		memcpy(p + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (p == NULL)
		p = calloc(1, 1);
	p[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return p;
}

static bool
exists(const char *dir, const char *name)
{
	char path[PATH_MAX + 300];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* n bytes that are not all alike (zeros would hide offset mistakes). */
static unsigned char *
noise(size_t n, uint64_t seed)
{
	unsigned char	*p = malloc(n);
	size_t		 i;

	for (i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		p[i] = (unsigned char)seed;
	}
	return p;
}

static void
rm_rf(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[PATH_MAX + 300];
	struct stat	 st;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rm_rf(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Wait for pid at most WAIT_MS; a child still running then is killed and fails the test. */
static int
wait_exit(pid_t pid)
{
	int	status, i;
	pid_t	r;

	for (i = 0; i < WAIT_MS / 5; i++) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			if (WIFSIGNALED(status))
				return 1000 + WTERMSIG(status);	/* a crash: never an expected status */
			return WEXITSTATUS(status);
		}
		assert_true(r == 0);
		usleep(5000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("child %d did not finish in %d ms", (int)pid, WAIT_MS);
	return -1;
}

/* ---- a forked server and its client end -------------------------------------------------- */

struct server {
	pid_t		pid;
	int		fd;	/* the client's end of the socketpair */
	struct hookdir	hd;
	struct buf	b;	/* the packet being built */
	bool		nonblock;	/* give the server a non-blocking socket */
	uint8_t		*reply;	/* the last reply's body (after the length) */
	size_t		 replylen;
	size_t		 pos;	/* reading position in reply */
};

static int
setup(void **state)
{
	struct server *srv = calloc(1, sizeof *srv);

	srv->pid = -1;
	srv->fd = -1;
	strcpy(srv->hd.dir, "/tmp/sshbook-sftp-XXXXXX");
	assert_non_null(mkdtemp(srv->hd.dir));
	buf_init(&srv->b);
	srv->reply = malloc(SFTP_PACKET_MAX);
	*state = srv;
	return 0;
}

static int
teardown(void **state)
{
	struct server	*srv = *state;
	int		 status;

	if (srv->fd >= 0)
		close(srv->fd);
	if (srv->pid > 0) {
		kill(srv->pid, SIGKILL);
		waitpid(srv->pid, &status, 0);
	}
	rm_rf(srv->hd.dir);
	buf_release(&srv->b);
	free(srv->reply);
	free(srv);
	return 0;
}

static void
srv_start(struct server *srv, int64_t max_bytes)
{
	struct sftp_hooks	h;
	char			log[PATH_MAX + 16];
	int			sv[2], r;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	srv->pid = fork();
	assert_true(srv->pid >= 0);
	if (srv->pid == 0) {
		close(sv[0]);
		signal(SIGPIPE, SIG_IGN);
		if (srv->nonblock)
			fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);
		snprintf(log, sizeof log, "%s/log", srv->hd.dir);
		log_open("test_sftp", LOG_TO_FILE, log, LOG_LVL_DEBUG);
		hooks_init(&h, &srv->hd, max_bytes);
		r = sftp_serve(sv[1], sv[1], &h);
		_exit(r == 0 ? 0 : r == ERR_INVALID ? EXIT_INVALID : EXIT_OTHER);
	}
	close(sv[1]);
	srv->fd = sv[0];
}

/* Close the client's sending side and return the server's exit status. */
static int
srv_stop(struct server *srv)
{
	int status;

	shutdown(srv->fd, SHUT_WR);
	status = wait_exit(srv->pid);
	srv->pid = -1;
	close(srv->fd);
	srv->fd = -1;
	return status;
}

static void
send_all(struct server *srv, const void *p, size_t n)
{
	const char	*c = p;
	ssize_t		 r;

	while (n > 0) {
		r = write(srv->fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		assert_true(r > 0);
		c += r;
		n -= (size_t)r;
	}
}

static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { v >> 24, v >> 16, v >> 8, v };

	buf_add(b, x, 4);
}

static void
put_u64(struct buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)(v >> 32));
	put_u32(b, (uint32_t)v);
}

static void
put_strn(struct buf *b, const void *p, size_t n)
{
	put_u32(b, (uint32_t)n);
	buf_add(b, p, n);
}

static void
put_str(struct buf *b, const char *s)
{
	put_strn(b, s, strlen(s));
}

/* Start a packet: room for the length, the type, the id (INIT: the version). */
static struct buf *
pkt(struct server *srv, uint8_t type, uint32_t id)
{
	buf_reset(&srv->b);
	put_u32(&srv->b, 0);
	buf_add(&srv->b, &type, 1);
	put_u32(&srv->b, id);
	return &srv->b;
}

/* Fill in the packet's length. */
static void
pkt_seal(struct server *srv)
{
	uint32_t	 n = (uint32_t)(srv->b.len - 4);
	unsigned char	*p = (unsigned char *)srv->b.buf;

	p[0] = n >> 24;
	p[1] = n >> 16;
	p[2] = n >> 8;
	p[3] = n;
}

static void
pkt_send(struct server *srv)
{
	pkt_seal(srv);
	send_all(srv, srv->b.buf, srv->b.len);
}

static void
recv_all(struct server *srv, void *p, size_t n)
{
	struct pollfd	 pfd = { .fd = srv->fd, .events = POLLIN };
	char		*c = p;
	ssize_t		 r;

	while (n > 0) {
		assert_int_equal(poll(&pfd, 1, WAIT_MS), 1);
		r = read(srv->fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		assert_true(r > 0);
		c += r;
		n -= (size_t)r;
	}
}

static uint32_t
get_u32(struct server *srv)
{
	const uint8_t *p = srv->reply + srv->pos;

	assert_true(srv->pos + 4 <= srv->replylen);
	srv->pos += 4;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
get_u64(struct server *srv)
{
	uint64_t hi = get_u32(srv);

	return hi << 32 | get_u32(srv);
}

/* A string of the reply, copied and NUL-terminated (static: valid until the next call). */
static const char *
get_str(struct server *srv, size_t *lenp)
{
	static char	s[SFTP_PACKET_MAX];
	uint32_t	n = get_u32(srv);

	assert_true(n <= srv->replylen - srv->pos);
	memcpy(s, srv->reply + srv->pos, n);
	s[n] = '\0';
	srv->pos += n;
	if (lenp != NULL)
		*lenp = n;
	return s;
}

/* Read one reply; check its type and id (VERSION has none); the fields follow in srv->reply. */
static void
expect_reply(struct server *srv, uint8_t type, uint32_t id)
{
	uint8_t hdr[4];

	recv_all(srv, hdr, 4);
	srv->replylen = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
	assert_true(srv->replylen >= 5 && srv->replylen <= SFTP_PACKET_MAX);
	recv_all(srv, srv->reply, srv->replylen);
	srv->pos = 1;
	if (srv->reply[0] != type && srv->reply[0] == T_STATUS && srv->replylen >= 13) {
		srv->pos = 5;
		(void)get_u32(srv);
		fail_msg("expected reply type %u, got STATUS '%s'", type, get_str(srv, NULL));
	}
	if (srv->reply[0] != type)
		fail_msg("expected reply type %u to request %" PRIu32 ", got %u", type, id,
		    srv->reply[0]);
	if (type != T_VERSION)
		assert_int_equal(get_u32(srv), id);
}

/* A STATUS reply with code; returns its message (static), checking the language tag is empty. */
static const char *
expect_status(struct server *srv, uint32_t id, uint32_t code)
{
	static char	msg[1024];
	size_t		n;

	expect_reply(srv, T_STATUS, id);
	assert_int_equal(get_u32(srv), code);
	snprintf(msg, sizeof msg, "%s", get_str(srv, &n));
	assert_true(n > 0);		/* an English message, always */
	(void)get_str(srv, &n);
	assert_int_equal(n, 0);		/* and no language tag */
	return msg;
}

static void
expect_status_with(struct server *srv, uint32_t id, uint32_t code, const char *words)
{
	const char *msg = expect_status(srv, id, code);

	if (strstr(msg, words) == NULL)
		fail_msg("status message '%s' lacks '%s'", msg, words);
}

static void
srv_init(struct server *srv)
{
	pkt(srv, T_INIT, 3);
	pkt_send(srv);
	expect_reply(srv, T_VERSION, 0);
	assert_int_equal(get_u32(srv), 3);
	/* Extension pairs, if any, must be whole. */
	while (srv->pos < srv->replylen) {
		(void)get_str(srv, NULL);
		(void)get_str(srv, NULL);
	}
}

static void
send_path(struct server *srv, uint8_t type, uint32_t id, const char *path)
{
	put_str(pkt(srv, type, id), path);
	pkt_send(srv);
}

/* OPEN path with pflags and an ATTRS block (mode 0644), as scp sends it. */
static void
send_open(struct server *srv, uint32_t id, const void *path, size_t pathlen, uint32_t pflags)
{
	struct buf *b = pkt(srv, T_OPEN, id);

	put_strn(b, path, pathlen);
	put_u32(b, pflags);
	put_u32(b, A_PERM);
	put_u32(b, 0644);
	pkt_send(srv);
}

struct handle {
	char	h[256];
	size_t	n;
};

static struct handle
open_ok(struct server *srv, uint32_t id, const char *path)
{
	struct handle	 h;
	const char	*s;

	send_open(srv, id, path, strlen(path), O_FX_WRITE | O_FX_CREAT | O_FX_TRUNC);
	expect_reply(srv, T_HANDLE, id);
	s = get_str(srv, &h.n);
	assert_true(h.n > 0 && h.n <= sizeof h.h);
	memcpy(h.h, s, h.n);
	return h;
}

static void
send_handle(struct server *srv, uint8_t type, uint32_t id, const struct handle *h)
{
	put_strn(pkt(srv, type, id), h->h, h->n);
	pkt_send(srv);
}

static void
send_write(struct server *srv, uint32_t id, const struct handle *h, uint64_t off, const void *p,
    size_t n)
{
	struct buf *b = pkt(srv, T_WRITE, id);

	put_strn(b, h->h, h->n);
	put_u64(b, off);
	put_strn(b, p, n);
	pkt_send(srv);
}

/* Read ATTRS fields (after the id) and return the permissions; *sizep the size. */
static uint32_t
read_attrs(struct server *srv, uint64_t *sizep)
{
	uint32_t flags = get_u32(srv), perm = 0;

	*sizep = UINT64_MAX;
	if (flags & A_SIZE)
		*sizep = get_u64(srv);
	if (flags & 0x02) {
		(void)get_u32(srv);
		(void)get_u32(srv);
	}
	if (flags & A_PERM)
		perm = get_u32(srv);
	if (flags & 0x08) {
		(void)get_u32(srv);
		(void)get_u32(srv);
	}
	assert_false(flags & A_EXTENDED);
	return perm;
}

static uint32_t
stat_ok(struct server *srv, uint8_t type, uint32_t id, const char *path, uint64_t *sizep)
{
	send_path(srv, type, id, path);
	expect_reply(srv, T_ATTRS, id);
	return read_attrs(srv, sizep);
}

static void
expect_realpath(struct server *srv, uint32_t id, const char *path, const char *canonical)
{
	size_t n;

	send_path(srv, T_REALPATH, id, path);
	expect_reply(srv, T_NAME, id);
	assert_int_equal(get_u32(srv), 1);
	assert_string_equal(get_str(srv, NULL), canonical);
	(void)get_str(srv, &n);	/* the longname */
	assert_true(n > 0);
}

static char *
events(struct server *srv)
{
	char *e = slurp(srv->hd.dir, "events", NULL);

	return e != NULL ? e : calloc(1, 1);
}

static void
expect_event(struct server *srv, const char *line)
{
	char	*e = events(srv);
	char	 want[1100];

	snprintf(want, sizeof want, "%s\n", line);
	if (strstr(e, want) == NULL)
		fail_msg("no event '%s' in:\n%s", line, e);
	free(e);
}

static int
count_events(struct server *srv, const char *prefix)
{
	char		*e = events(srv), *p;
	int		 n = 0;
	size_t		 len = strlen(prefix);

	for (p = e; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (strncmp(p, prefix, len) == 0)
			n++;
		if (strchr(p, '\n') == NULL)
			break;
	}
	free(e);
	return n;
}

/* ---- tests over the socketpair ----------------------------------------------------------- */

static void
test_init_realpath_stat(void **state)
{
	struct server	*srv = *state;
	uint64_t	 size;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	expect_realpath(srv, 1, ".", "/");
	expect_realpath(srv, 2, "", "/");
	expect_realpath(srv, 3, "/", "/");
	expect_realpath(srv, 4, "~", "/");
	expect_realpath(srv, 5, "~/photos/../cat.jpg", "/cat.jpg");
	expect_realpath(srv, 6, "/home/alice/cat.jpg", "/cat.jpg");
	expect_realpath(srv, 7, "a/b/..", "/");	/* every folder is "/" */
	expect_realpath(srv, 8, "../../..", "/");
	expect_realpath(srv, 16, "photos/", "/");
	assert_int_equal(stat_ok(srv, T_STAT, 9, "/", &size), 040755);
	assert_int_equal(stat_ok(srv, T_STAT, 10, ".", &size), 040755);
	assert_int_equal(stat_ok(srv, T_LSTAT, 11, "/", &size), 040755);
	assert_int_equal(stat_ok(srv, T_STAT, 17, "~/photos/", &size), 040755);
	send_path(srv, T_STAT, 12, "/cat.jpg");
	expect_status(srv, 12, S_NO_SUCH_FILE);
	send_path(srv, T_LSTAT, 13, "nothing-here");
	expect_status(srv, 13, S_NO_SUCH_FILE);
	/* A NUL inside a path is refused, and the session goes on. */
	put_strn(pkt(srv, T_REALPATH, 14), "a\0b", 3);
	pkt_send(srv);
	expect_status_with(srv, 14, S_NO_SUCH_FILE, "NUL");
	expect_realpath(srv, 15, ".", "/");
	assert_int_equal(srv_stop(srv), 0);
}

static void
test_upload(void **state)
{
	struct server	*srv = *state;
	struct handle	 h;
	uint64_t	 size;
	char		*data;
	size_t		 len;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	h = open_ok(srv, 1, "/some/dir/cat.jpg");
	expect_event(srv, "open cat.jpg");
	/* Out of order and with a gap filled later, as pipelined writes may land. */
	send_write(srv, 2, &h, 0, "hello ", 6);
	send_write(srv, 3, &h, 10, "world", 5);
	send_write(srv, 4, &h, 6, "big ", 4);
	expect_status(srv, 2, S_OK);
	expect_status(srv, 3, S_OK);
	expect_status(srv, 4, S_OK);
	send_write(srv, 5, &h, 15, "", 0);	/* empty: fine, changes nothing */
	expect_status(srv, 5, S_OK);
	/* While open, the file is there for stat, with its size so far. */
	assert_int_equal(stat_ok(srv, T_STAT, 6, "/cat.jpg", &size), 0100644);
	assert_int_equal(size, 15);
	send_handle(srv, T_FSTAT, 7, &h);
	expect_reply(srv, T_ATTRS, 7);
	assert_int_equal(read_attrs(srv, &size), 0100644);
	assert_int_equal(size, 15);
	/* scp -p sets times: accepted and ignored. */
	put_strn(pkt(srv, T_FSETSTAT, 8), h.h, h.n);
	put_u32(&srv->b, 0x08);
	put_u32(&srv->b, 1700000000);
	put_u32(&srv->b, 1700000000);
	pkt_send(srv);
	expect_status(srv, 8, S_OK);
	put_str(pkt(srv, T_SETSTAT, 9), "/cat.jpg");
	put_u32(&srv->b, 0);
	pkt_send(srv);
	expect_status(srv, 9, S_OK);
	send_handle(srv, T_CLOSE, 10, &h);
	expect_status(srv, 10, S_OK);
	expect_event(srv, "close cat.jpg 15");
	expect_event(srv, "say cat.jpg: media 1");
	data = slurp(srv->hd.dir, "cat.jpg", &len);
	assert_non_null(data);
	assert_int_equal(len, 15);
	assert_memory_equal(data, "hello big world", 15);
	free(data);
	/* Gone from "/" once closed, and the handle is dead. */
	send_path(srv, T_STAT, 11, "/cat.jpg");
	expect_status(srv, 11, S_NO_SUCH_FILE);
	send_write(srv, 12, &h, 15, "more", 4);
	expect_status(srv, 12, S_FAILURE);
	send_handle(srv, T_CLOSE, 13, &h);
	expect_status(srv, 13, S_FAILURE);
	assert_int_equal(srv_stop(srv), 0);
	assert_int_equal(count_events(srv, "abort"), 0);
}

/* Many writes in flight before the first reply, like scp's 64 outstanding requests. */
static void
test_pipelined_upload(void **state)
{
	struct server	*srv = *state;
	struct handle	 h;
	unsigned char	*src = noise(20 * 32768 + 77, 1);
	char		*data;
	size_t		 len, off, n;
	uint32_t	 id;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	h = open_ok(srv, 100, "big.bin");
	for (off = 0, id = 101; off < 20 * 32768 + 77; off += n, id++) {
		n = 20 * 32768 + 77 - off < 32768 ? 20 * 32768 + 77 - off : 32768;
		send_write(srv, id, &h, off, src + off, n);
	}
	for (id = 101; id < 101 + 21; id++)
		expect_status(srv, id, S_OK);
	send_handle(srv, T_CLOSE, 200, &h);
	expect_status(srv, 200, S_OK);
	data = slurp(srv->hd.dir, "big.bin", &len);
	assert_non_null(data);
	assert_int_equal(len, 20 * 32768 + 77);
	assert_memory_equal(data, src, len);
	free(data);
	free(src);
	assert_int_equal(srv_stop(srv), 0);
}

static void
test_read_refused(void **state)
{
	struct server	*srv = *state;
	struct handle	 h;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	send_open(srv, 1, "/cat.jpg", 8, O_FX_READ);
	expect_status_with(srv, 1, S_PERMISSION_DENIED, "uploads only: files cannot be read back");
	send_open(srv, 2, "/cat.jpg", 8, O_FX_READ | O_FX_WRITE);
	expect_status(srv, 2, S_PERMISSION_DENIED);
	expect_event(srv, "say uploads only: files cannot be read back");
	assert_int_equal(count_events(srv, "open "), 0);
	/* Nor through a write handle. */
	h = open_ok(srv, 3, "cat.jpg");
	put_strn(pkt(srv, T_READ, 4), h.h, h.n);
	put_u64(&srv->b, 0);
	put_u32(&srv->b, 32768);
	pkt_send(srv);
	expect_status_with(srv, 4, S_PERMISSION_DENIED, "read back");
	assert_int_equal(srv_stop(srv), 0);
	expect_event(srv, "abort cat.jpg");	/* never closed: dropped at the end */
}

static void
test_too_large(void **state)
{
	struct server	*srv = *state;
	struct handle	 h, h2;
	char		 four[4] = "abcd";
	uint64_t	 size;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	h = open_ok(srv, 1, "huge.bin");
	h2 = open_ok(srv, 2, "small.bin");
	send_write(srv, 3, &h, 50 * MiB - 4, four, 4);	/* ends exactly at the limit */
	expect_status(srv, 3, S_OK);
	send_write(srv, 4, &h, 50 * MiB - 2, four, 4);	/* two bytes past it */
	expect_status_with(srv, 4, S_FAILURE, "huge.bin: file too large: the limit is 50 MiB");
	expect_event(srv, "abort huge.bin");
	expect_event(srv, "say huge.bin: file too large: the limit is 50 MiB");
	assert_false(exists(srv->hd.dir, "part-1"));
	/* An offset so large that offset + length wraps around must not slip through. */
	send_write(srv, 5, &h2, UINT64_MAX - 1, four, 4);
	expect_status_with(srv, 5, S_FAILURE, "file too large");
	/* The aborted files stay failed: writes and the close say so; stat no longer sees them. */
	send_write(srv, 6, &h, 0, four, 4);
	expect_status_with(srv, 6, S_FAILURE, "file too large");
	send_path(srv, T_STAT, 7, "/huge.bin");
	expect_status(srv, 7, S_NO_SUCH_FILE);
	send_handle(srv, T_CLOSE, 8, &h);
	expect_status_with(srv, 8, S_FAILURE, "file too large");
	send_handle(srv, T_CLOSE, 9, &h2);
	expect_status_with(srv, 9, S_FAILURE, "file too large");
	assert_int_equal(count_events(srv, "close"), 0);
	assert_int_equal(count_events(srv, "abort"), 2);
	/* A new file is fine again. */
	h = open_ok(srv, 10, "fine.bin");
	send_write(srv, 11, &h, 0, four, 4);
	expect_status(srv, 11, S_OK);
	assert_int_equal(stat_ok(srv, T_STAT, 12, "fine.bin", &size), 0100644);
	assert_int_equal(size, 4);
	send_handle(srv, T_CLOSE, 13, &h);
	expect_status(srv, 13, S_OK);
	expect_event(srv, "close fine.bin 4");
	assert_int_equal(srv_stop(srv), 0);
}

/*
 * The grow hook is asked before a write makes the file longer (not for one
 * within it); its refusal fails the write with the hook's words and aborts
 * the file, as the size cap does.
 */
static void
test_grow_hook_refuses_while_arriving(void **state)
{
	struct server	*srv = *state;
	struct handle	 h;

	srv_start(srv, 100);
	srv_init(srv);
	h = open_ok(srv, 1, "quota.bin");
	send_write(srv, 2, &h, 0, "0123", 4);
	expect_status(srv, 2, S_OK);
	send_write(srv, 3, &h, 0, "ab", 2);	/* within: not asked */
	expect_status(srv, 3, S_OK);
	send_write(srv, 4, &h, 4, "456789", 6);
	expect_status_with(srv, 4, S_FAILURE, "quota.bin: over the quota (test)");
	send_write(srv, 5, &h, 0, "x", 1);
	expect_status_with(srv, 5, S_FAILURE, "over the quota");
	assert_int_equal(srv_stop(srv), 0);
	assert_int_equal(count_events(srv, "grow quota.bin 4"), 1);
	assert_int_equal(count_events(srv, "grow quota.bin 10"), 1);
	assert_int_equal(count_events(srv, "grow quota.bin"), 2);
	assert_int_equal(count_events(srv, "abort quota.bin"), 1);
	assert_int_equal(count_events(srv, "close"), 0);
}

static void
test_small_limit_message(void **state)
{
	struct server	*srv = *state;
	struct handle	 h;

	srv_start(srv, 100);
	srv_init(srv);
	h = open_ok(srv, 1, "a.bin");
	send_write(srv, 2, &h, 0, "0123456789", 10);
	expect_status(srv, 2, S_OK);
	send_write(srv, 3, &h, 95, "0123456789", 10);
	expect_status_with(srv, 3, S_FAILURE, "a.bin: file too large: the limit is 100 bytes");
	assert_int_equal(srv_stop(srv), 0);
	assert_int_equal(count_events(srv, "abort a.bin"), 1);	/* once, not again at the end */
}

static void
test_open_limits_and_names(void **state)
{
	struct server	*srv = *state;
	struct handle	 h[SFTP_OPEN_FILES_MAX], extra;
	char		 name[300];
	uint64_t	 size;
	int		 i;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	for (i = 0; i < SFTP_OPEN_FILES_MAX; i++) {
		snprintf(name, sizeof name, "/f%d.jpg", i);
		h[i] = open_ok(srv, (uint32_t)i + 1, name);
	}
	send_open(srv, 50, "/one-more.jpg", 13, O_FX_WRITE | O_FX_CREAT);
	expect_status_with(srv, 50, S_FAILURE, "too many files");
	expect_event(srv, "say one-more.jpg: too many files at once (at most 8)");
	assert_int_equal(stat_ok(srv, T_STAT, 51, "/f3.jpg", &size), 0100644);
	assert_int_equal(size, 0);
	send_handle(srv, T_CLOSE, 52, &h[3]);
	expect_status(srv, 52, S_OK);
	extra = open_ok(srv, 53, "one-more.jpg");
	/* Handles are never reused: the closed one stays dead. */
	assert_false(extra.n == h[3].n && memcmp(extra.h, h[3].h, extra.n) == 0);
	send_write(srv, 54, &h[3], 0, "x", 1);
	expect_status(srv, 54, S_FAILURE);
	send_handle(srv, T_CLOSE, 55, &extra);
	expect_status(srv, 55, S_OK);
	send_handle(srv, T_CLOSE, 56, &h[0]);
	expect_status(srv, 56, S_OK);

	/* Names: the directory part goes; what is left must be a proper name. */
	send_open(srv, 60, "", 0, O_FX_WRITE);
	expect_status_with(srv, 60, S_FAILURE, "file name is needed");
	send_open(srv, 61, "/", 1, O_FX_WRITE);
	expect_status(srv, 61, S_FAILURE);
	send_open(srv, 62, ".", 1, O_FX_WRITE);
	expect_status(srv, 62, S_FAILURE);
	send_open(srv, 63, "..", 2, O_FX_WRITE);
	expect_status(srv, 63, S_FAILURE);
	send_open(srv, 64, "/pics/cat/..", 12, O_FX_WRITE);
	expect_status(srv, 64, S_FAILURE);
	send_open(srv, 65, "bad\001name", 8, O_FX_WRITE);
	expect_status_with(srv, 65, S_FAILURE, "control characters");
	send_open(srv, 66, "bad\nname", 8, O_FX_WRITE);
	expect_status_with(srv, 66, S_FAILURE, "control characters");
	send_open(srv, 67, "a\0b", 3, O_FX_WRITE);
	expect_status_with(srv, 67, S_FAILURE, "NUL");
	send_open(srv, 68, "\xff\xfe.jpg", 6, O_FX_WRITE);
	expect_status_with(srv, 68, S_FAILURE, "UTF-8");
	memset(name, 'n', 256);
	send_open(srv, 69, name, 256, O_FX_WRITE);
	expect_status_with(srv, 69, S_FAILURE, "255");
	send_open(srv, 70, "closed.bin", 10, O_FX_WRITE | O_FX_CREAT);
	expect_status_with(srv, 70, S_FAILURE, "closed.bin: uploads are closed today");
	expect_event(srv, "say closed.bin: uploads are closed today");
	assert_int_equal(count_events(srv, "open "), SFTP_OPEN_FILES_MAX + 1);
	/* 255 bytes and UTF-8 are fine. */
	name[255] = '\0';
	extra = open_ok(srv, 71, name);
	send_handle(srv, T_CLOSE, 72, &extra);
	expect_status(srv, 72, S_OK);
	assert_true(exists(srv->hd.dir, "long-name"));
	extra = open_ok(srv, 73, "/tmp/Ünïcødé 猫.jpg");
	send_handle(srv, T_CLOSE, 74, &extra);
	expect_status(srv, 74, S_OK);
	expect_event(srv, "close Ünïcødé 猫.jpg 0");

	/* The client leaves: the six files still open are dropped. */
	assert_int_equal(srv_stop(srv), 0);
	assert_int_equal(count_events(srv, "abort"), SFTP_OPEN_FILES_MAX - 2);
}

static void
test_dir_and_refusals(void **state)
{
	struct server	*srv = *state;
	struct handle	 d, f;
	const char	*s;
	uint64_t	 size;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	send_path(srv, T_OPENDIR, 1, "/");
	expect_reply(srv, T_HANDLE, 1);
	s = get_str(srv, &d.n);
	memcpy(d.h, s, d.n);
	send_handle(srv, T_READDIR, 2, &d);
	expect_status(srv, 2, S_EOF);
	send_handle(srv, T_FSTAT, 3, &d);
	expect_reply(srv, T_ATTRS, 3);
	assert_int_equal(read_attrs(srv, &size), 040755);
	send_handle(srv, T_CLOSE, 4, &d);
	expect_status(srv, 4, S_OK);
	send_handle(srv, T_READDIR, 5, &d);
	expect_status(srv, 5, S_FAILURE);
	send_path(srv, T_OPENDIR, 6, "/photos");
	expect_status(srv, 6, S_NO_SUCH_FILE);
	send_path(srv, T_OPENDIR, 7, ".");
	expect_reply(srv, T_HANDLE, 7);

	send_path(srv, T_REMOVE, 10, "/cat.jpg");
	expect_status_with(srv, 10, S_PERMISSION_DENIED, "cannot be removed");
	expect_event(srv, "say uploads only: files cannot be removed here (delete media in the app)");
	put_str(pkt(srv, T_RENAME, 11), "/a.jpg");
	put_str(&srv->b, "/b.jpg");
	pkt_send(srv);
	expect_status_with(srv, 11, S_PERMISSION_DENIED, "renamed");
	put_str(pkt(srv, T_MKDIR, 12), "/photos");
	put_u32(&srv->b, A_PERM);
	put_u32(&srv->b, 0755);
	pkt_send(srv);
	expect_status_with(srv, 12, S_PERMISSION_DENIED, "folders");
	send_path(srv, T_RMDIR, 13, "/photos");
	expect_status(srv, 13, S_PERMISSION_DENIED);
	send_path(srv, T_READLINK, 14, "/link");
	assert_true(strlen(expect_status(srv, 14, S_OP_UNSUPPORTED)) > 0);
	put_str(pkt(srv, T_SYMLINK, 15), "/l");
	put_str(&srv->b, "/t");
	pkt_send(srv);
	expect_status(srv, 15, S_PERMISSION_DENIED);
	put_str(pkt(srv, T_EXTENDED, 16), "statvfs@openssh.com");
	put_str(&srv->b, "/");
	pkt_send(srv);
	expect_status(srv, 16, S_OP_UNSUPPORTED);
	pkt(srv, 99, 17);
	pkt_send(srv);
	expect_status(srv, 17, S_OP_UNSUPPORTED);
	/* Unknown handles. */
	memcpy(f.h, "nope", 4);
	f.n = 4;
	send_write(srv, 18, &f, 0, "x", 1);
	expect_status(srv, 18, S_FAILURE);
	send_handle(srv, T_CLOSE, 19, &f);
	expect_status(srv, 19, S_FAILURE);
	send_handle(srv, T_FSTAT, 20, &f);
	expect_status(srv, 20, S_FAILURE);
	/* A READDIR on a file handle is not a listing. */
	f = open_ok(srv, 21, "x.jpg");
	send_handle(srv, T_READDIR, 22, &f);
	expect_status(srv, 22, S_FAILURE);
	assert_int_equal(srv_stop(srv), 0);
}

/* Requests dribbling in a byte at a time to a non-blocking socket: short and empty reads. */
static void
test_byte_by_byte(void **state)
{
	struct server	*srv = *state;
	struct handle	 h;
	char		*data;
	size_t		 i, len;

	srv->nonblock = true;
	srv_start(srv, 50 * MiB);
	srv_init(srv);
	h = open_ok(srv, 1, "slow.txt");
	put_strn(pkt(srv, T_WRITE, 2), h.h, h.n);
	put_u64(&srv->b, 0);
	put_str(&srv->b, "one byte at a time");
	pkt_seal(srv);
	for (i = 0; i < srv->b.len; i++) {
		send_all(srv, srv->b.buf + i, 1);
		usleep(1000);
	}
	expect_status(srv, 2, S_OK);
	send_handle(srv, T_CLOSE, 3, &h);
	expect_status(srv, 3, S_OK);
	data = slurp(srv->hd.dir, "slow.txt", &len);
	assert_non_null(data);
	assert_string_equal(data, "one byte at a time");
	free(data);
	assert_int_equal(srv_stop(srv), 0);
}

/* Feed raw bytes after INIT (or instead of it) and check how the server ends. */
static int
serve_raw(struct server *srv, bool init, bool open_first, const void *raw, size_t n)
{
	srv_start(srv, 50 * MiB);
	if (init)
		srv_init(srv);
	if (open_first)
		(void)open_ok(srv, 1, "pending.jpg");
	send_all(srv, raw, n);
	return srv_stop(srv);
}

static void
test_malformed_short_length(void **state)
{
	assert_int_equal(serve_raw(*state, true, true, "\0\0\0\0", 4), EXIT_INVALID);
	expect_event(*state, "abort pending.jpg");
}

static void
test_malformed_tiny_packet(void **state)
{
	/* Three bytes: a type and part of an id. */
	assert_int_equal(serve_raw(*state, true, false, "\0\0\0\3\x10\0\0", 7), EXIT_INVALID);
}

static void
test_malformed_huge_length(void **state)
{
	struct timespec	a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(serve_raw(*state, true, true, "\x7f\xff\xff\xff\x03", 5), EXIT_INVALID);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 5);	/* it did not wait for 2 GB */
	expect_event(*state, "abort pending.jpg");
}

static void
test_malformed_just_over_max(void **state)
{
	struct server	*srv = *state;
	uint8_t		 hdr[4];
	uint32_t	 n = SFTP_PACKET_MAX + 1;

	hdr[0] = n >> 24;
	hdr[1] = n >> 16;
	hdr[2] = n >> 8;
	hdr[3] = n;
	assert_int_equal(serve_raw(srv, true, false, hdr, 4), EXIT_INVALID);
}

static void
test_malformed_truncated_string(void **state)
{
	/* OPEN, id 2, a name "claiming" 1000 bytes inside a 20-byte packet. */
	static const char raw[] = "\0\0\0\x14" "\x03" "\0\0\0\x02" "\0\0\x03\xe8" "/cat.jpg" "\0\0\0";

	assert_int_equal(serve_raw(*state, true, true, raw, sizeof raw - 1), EXIT_INVALID);
	expect_event(*state, "abort pending.jpg");
}

static void
test_malformed_write_data(void **state)
{
	struct server	*srv = *state;
	struct handle	 h;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	h = open_ok(srv, 1, "w.jpg");
	/* A WRITE whose data length runs past its packet. */
	put_strn(pkt(srv, T_WRITE, 2), h.h, h.n);
	put_u64(&srv->b, 0);
	put_u32(&srv->b, 100);
	buf_add(&srv->b, "only ten..", 10);
	pkt_send(srv);
	assert_int_equal(srv_stop(srv), EXIT_INVALID);
	expect_event(srv, "abort w.jpg");
	assert_int_equal(count_events(srv, "close"), 0);
}

static void
test_malformed_attrs(void **state)
{
	struct server *srv = *state;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	/* OPEN whose ATTRS claim 4 billion extended pairs and carry none. */
	put_str(pkt(srv, T_OPEN, 1), "/cat.jpg");
	put_u32(&srv->b, O_FX_WRITE);
	put_u32(&srv->b, A_EXTENDED);
	put_u32(&srv->b, 0xffffffffu);
	pkt_send(srv);
	assert_int_equal(srv_stop(srv), EXIT_INVALID);
	assert_int_equal(count_events(srv, "open"), 0);
}

static void
test_malformed_order(void **state)
{
	struct server *srv = *state;

	/* A request before INIT is not an SFTP client. */
	srv_start(srv, 50 * MiB);
	send_path(srv, T_REALPATH, 1, ".");
	assert_int_equal(srv_stop(srv), EXIT_INVALID);
	/* Nor is a second INIT. */
	srv_start(srv, 50 * MiB);
	srv_init(srv);
	pkt(srv, T_INIT, 3);
	pkt_send(srv);
	assert_int_equal(srv_stop(srv), EXIT_INVALID);
	/* Not SFTP at all: an SSH banner. */
	assert_int_equal(serve_raw(srv, false, false, "SSH-2.0-OpenSSH_9.2\r\n", 21), EXIT_INVALID);
}

static void
test_client_leaves_mid_packet(void **state)
{
	struct server	*srv = *state;
	struct handle	 h;

	srv_start(srv, 50 * MiB);
	srv_init(srv);
	h = open_ok(srv, 1, "half.jpg");
	send_write(srv, 2, &h, 0, "abc", 3);
	expect_status(srv, 2, S_OK);
	/* A header promising 100 bytes, 10 of them, then the end: a clean end, the file dropped. */
	send_all(srv, "\0\0\0\x64\x06\0\0\0\x03\0\0\0\x02", 13);
	assert_int_equal(srv_stop(srv), 0);
	expect_event(srv, "abort half.jpg");
	assert_false(exists(srv->hd.dir, "half.jpg"));
	/* A partial length at the end is the same. */
	assert_int_equal(serve_raw(srv, true, false, "\0\0", 2), 0);
	/* And nothing at all, not even INIT. */
	assert_int_equal(serve_raw(srv, false, false, "", 0), 0);
}

/* ---- the real OpenSSH clients, with this binary as their ssh -------------------------------- */

static char self_exe[PATH_MAX];

/* This binary as `ssh`: scp and sftp run it with ssh's options, ending in "-s -- HOST sftp". */
static int
act_as_ssh(const char *dir, int argc, char **argv)
{
	struct hookdir		hd;
	struct sftp_hooks	h;
	char			path[PATH_MAX + 16];
	struct buf		args = BUF_INIT;
	const char		*max = getenv("SSHBOOK_TEST_SFTP_MAX");
	bool			subsystem = false;
	int			i, r;

	memset(&hd, 0, sizeof hd);
	snprintf(hd.dir, sizeof hd.dir, "%s", dir);
	hd.to_stderr = true;
	snprintf(path, sizeof path, "%s/ssh.log", dir);
	log_open("test-ssh", LOG_TO_FILE, path, LOG_LVL_DEBUG);
	for (i = 1; i < argc; i++) {
		buf_addf(&args, "%s%s", i > 1 ? " " : "", argv[i]);
		if (strcmp(argv[i], "-s") == 0)
			subsystem = true;
	}
	event(&hd, "args %s", args.buf);
	buf_release(&args);
	if (!subsystem || argc < 3 || strcmp(argv[argc - 1], "sftp") != 0) {
		dprintf(2, "test ssh: expected the sftp subsystem\n");
		return 255;
	}
	signal(SIGPIPE, SIG_IGN);
	alarm(WAIT_MS / 1000);
	hooks_init(&h, &hd, max != NULL ? strtoll(max, NULL, 10) : 50 * MiB);
	r = sftp_serve(STDIN_FILENO, STDOUT_FILENO, &h);
	log_close();
	return r == 0 ? 0 : 1;
}

static bool
have_program(const char *name)
{
	const char	*path = getenv("PATH");
	char		 full[PATH_MAX];
	const char	*p, *e;

	for (p = path != NULL ? path : "/usr/bin:/bin"; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		snprintf(full, sizeof full, "%.*s/%s", (int)(e - p), p, name);
		if (access(full, X_OK) == 0)
			return true;
	}
	return false;
}

struct client {
	char	work[64];	/* the local side: files to send, outputs */
	char	up[128];	/* what the stand-in ssh writes into */
	char	out[160];
	char	err[160];
};

static int
client_setup(void **state)
{
	struct client *c = calloc(1, sizeof *c);

	if (!have_program("scp") || !have_program("sftp")) {
		free(c);
		*state = NULL;
		return 0;
	}
	strcpy(c->work, "/tmp/sshbook-scp-XXXXXX");
	assert_non_null(mkdtemp(c->work));
	snprintf(c->up, sizeof c->up, "%s/up", c->work);
	assert_int_equal(mkdir(c->up, 0700), 0);
	snprintf(c->out, sizeof c->out, "%s/stdout", c->work);
	snprintf(c->err, sizeof c->err, "%s/stderr", c->work);
	*state = c;
	return 0;
}

static int
client_teardown(void **state)
{
	struct client *c = *state;

	if (c != NULL) {
		rm_rf(c->work);
		free(c);
	}
	return 0;
}

/* Run argv (scp or sftp) in work with this binary as its ssh; returns its exit status. */
static int
run_client(struct client *c, const char *max_bytes, char *const argv[])
{
	pid_t	pid;
	int	fd;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("SSHBOOK_TEST_SFTP_DIR", c->up, 1);
		if (max_bytes != NULL)
			setenv("SSHBOOK_TEST_SFTP_MAX", max_bytes, 1);
		if (chdir(c->work) != 0)
			_exit(126);
		fd = open("/dev/null", O_RDONLY);
		dup2(fd, 0);
		fd = open(c->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		fd = open(c->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	return wait_exit(pid);
}

static char *
client_stderr(struct client *c)
{
	char *s = slurp(c->work, "stderr", NULL);

	return s != NULL ? s : calloc(1, 1);
}

static void
expect_stderr(struct client *c, const char *words)
{
	char *s = client_stderr(c);

	if (strstr(s, words) == NULL)
		fail_msg("client stderr lacks '%s':\n%s", words, s);
	free(s);
}

static void
make_file(struct client *c, const char *name, size_t n, unsigned char **datap)
{
	char		 path[256];
	unsigned char	*p = noise(n, n);

	snprintf(path, sizeof path, "%s/%s", c->work, name);
	write_file(path, p, n);
	if (datap != NULL)
		*datap = p;
	else
		free(p);
}

static void
expect_upload(struct client *c, const char *name, const unsigned char *want, size_t n)
{
	size_t	 len;
	char	*got = slurp(c->up, name, &len);

	if (got == NULL)
		fail_msg("'%s' did not arrive", name);
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
	free(got);
}

static void
test_scp_upload(void **state)
{
	struct client	*c = *state;
	unsigned char	*data;
	size_t		 n = 1024 * 1024 + 4321;
	char		*ev;
	char		*scp_to_root[] = { "scp", "-s", "-S", self_exe, "cat.jpg", "x:", NULL };
	char		*scp_renamed[] = { "scp", "-s", "-p", "-S", self_exe, "cat.jpg",
	    "x:~/holiday/beach.jpg", NULL };
	char		*scp_to_folder[] = { "scp", "-s", "-S", self_exe, "dog.jpg", "x:photos/",
	    NULL };

	if (c == NULL)
		skip();
	make_file(c, "cat.jpg", n, &data);
	assert_int_equal(run_client(c, NULL, scp_to_root), 0);
	expect_upload(c, "cat.jpg", data, n);
	expect_stderr(c, "cat.jpg: media 1");
	ev = slurp(c->up, "events", NULL);
	assert_non_null(ev);
	assert_non_null(strstr(ev, "close cat.jpg 1052897\n"));
	/* scp ran us like ssh: the sftp subsystem on host x. */
	assert_non_null(strstr(ev, " -s "));
	assert_non_null(strstr(ev, " x sftp\n"));
	free(ev);
	/* A target path keeps only its last name; -p sends times, which are ignored. */
	assert_int_equal(run_client(c, NULL, scp_renamed), 0);
	expect_upload(c, "beach.jpg", data, n);
	free(data);
	/* Any folder is the one folder. */
	make_file(c, "dog.jpg", 1000, &data);
	assert_int_equal(run_client(c, NULL, scp_to_folder), 0);
	expect_upload(c, "dog.jpg", data, 1000);
	free(data);
}

static void
test_scp_refused(void **state)
{
	struct client	*c = *state;
	char		*ev;
	char		*scp_reject[] = { "scp", "-s", "-S", self_exe, "reject.bin", "x:", NULL };
	char		*scp_big[] = { "scp", "-s", "-S", self_exe, "big.bin", "x:", NULL };
	char		*scp_read[] = { "scp", "-s", "-S", self_exe, "x:/cat.jpg", "back.jpg", NULL };

	if (c == NULL)
		skip();
	/* The close hook's refusal: scp fails and shows our words. */
	make_file(c, "reject.bin", 5000, NULL);
	assert_int_not_equal(run_client(c, NULL, scp_reject), 0);
	expect_stderr(c, "reject.bin: not a picture (test refusal)");
	assert_false(exists(c->up, "reject.bin"));
	/* Over the limit: scp stops, the file is dropped, the limit is explained. */
	make_file(c, "big.bin", 300 * 1000, NULL);
	assert_int_not_equal(run_client(c, "100000", scp_big), 0);
	expect_stderr(c, "big.bin: file too large: the limit is 100000 bytes");
	assert_false(exists(c->up, "big.bin"));
	ev = slurp(c->up, "events", NULL);
	assert_non_null(ev);
	assert_non_null(strstr(ev, "abort big.bin\n"));
	free(ev);
	/* Downloads are not a thing. */
	assert_int_not_equal(run_client(c, NULL, scp_read), 0);
	assert_false(exists(c->work, "back.jpg"));
}

static void
test_sftp_batch(void **state)
{
	struct client	*c = *state;
	unsigned char	*data;
	char		 path[256];
	char		*out;
	char		*sftp_batch[] = { "sftp", "-b", "batch", "-S", self_exe, "x", NULL };
	static const char batch[] = "pwd\nput cat.jpg\nls\nls -l /\nput cat.jpg copy.jpg\n";
	static const char batch_rm[] = "rm cat.jpg\n";

	if (c == NULL)
		skip();
	make_file(c, "cat.jpg", 70000, &data);
	snprintf(path, sizeof path, "%s/batch", c->work);
	write_file(path, batch, sizeof batch - 1);
	assert_int_equal(run_client(c, NULL, sftp_batch), 0);
	expect_upload(c, "cat.jpg", data, 70000);
	expect_upload(c, "copy.jpg", data, 70000);
	out = slurp(c->work, "stdout", NULL);
	assert_non_null(out);
	assert_non_null(strstr(out, "Remote working directory: /"));
	free(out);
	expect_stderr(c, "copy.jpg: media 1");
	/* A refused command ends the batch with a failure and our reason. */
	write_file(path, batch_rm, sizeof batch_rm - 1);
	assert_int_not_equal(run_client(c, NULL, sftp_batch), 0);
	expect_stderr(c, "uploads only: files cannot be removed");
	free(data);
}

int
main(int argc, char **argv)
{
	const char	*dir = getenv("SSHBOOK_TEST_SFTP_DIR");
	ssize_t		 n;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_realpath_stat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_upload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_limit_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grow_hook_refuses_while_arriving, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_limits_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_and_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_byte_by_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_short_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_tiny_packet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_huge_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_just_over_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_truncated_string, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_write_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_attrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_leaves_mid_packet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scp_upload, client_setup, client_teardown),
		cmocka_unit_test_setup_teardown(test_scp_refused, client_setup, client_teardown),
		cmocka_unit_test_setup_teardown(test_sftp_batch, client_setup, client_teardown),
	};

	if (dir != NULL)
		return act_as_ssh(dir, argc, argv);
	if ((n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1)) <= 0)
		return 1;
	self_exe[n] = '\0';
	signal(SIGPIPE, SIG_IGN);
	log_open("test_sftp", LOG_TO_NONE, NULL, LOG_LVL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
