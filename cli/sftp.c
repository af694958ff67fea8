/*
 * The upload-only SFTP server (protocol version 3, draft-ietf-secsh-filexfer-02).
 *
 * One request at a time: read a packet (uint32 length, byte type, then the
 * fields), parse it with a reader that checks every length against what is
 * left of the packet, act, answer with one packet. Nothing is allocated from a
 * size the client claims except the packet buffer, which SFTP_PACKET_MAX caps.
 * A packet that does not parse ends the session: a client that sends one is
 * broken or hostile, and OpenSSH's own server does the same.
 *
 * The client sees one folder, "/", always empty: every path comes down to "/"
 * or one file name in it (path_resolve), and every file written there goes to
 * the hooks, which turn it into a media item when it is closed.
 */
#include "cli/sftp.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/xmalloc.h"

/* Packet types, status codes and flags of the draft (sections 3, 4, 5, 6.3 and 7). */
enum {
	FXP_INIT = 1, FXP_VERSION = 2, FXP_OPEN = 3, FXP_CLOSE = 4, FXP_READ = 5,
	FXP_WRITE = 6, FXP_LSTAT = 7, FXP_FSTAT = 8, FXP_SETSTAT = 9, FXP_FSETSTAT = 10,
	FXP_OPENDIR = 11, FXP_READDIR = 12, FXP_REMOVE = 13, FXP_MKDIR = 14, FXP_RMDIR = 15,
	FXP_REALPATH = 16, FXP_STAT = 17, FXP_RENAME = 18, FXP_READLINK = 19,
	FXP_SYMLINK = 20, FXP_STATUS = 101, FXP_HANDLE = 102, FXP_DATA = 103,
	FXP_NAME = 104, FXP_ATTRS = 105, FXP_EXTENDED = 200, FXP_EXTENDED_REPLY = 201,
};

enum {
	FX_OK = 0, FX_EOF = 1, FX_NO_SUCH_FILE = 2, FX_PERMISSION_DENIED = 3,
	FX_FAILURE = 4, FX_BAD_MESSAGE = 5, FX_OP_UNSUPPORTED = 8,
};

#define FXF_READ	0x01
#define FXF_WRITE	0x02

#define ATTR_SIZE	0x00000001
#define ATTR_UIDGID	0x00000002
#define ATTR_PERMISSIONS 0x00000004
#define ATTR_ACMODTIME	0x00000008
#define ATTR_EXTENDED	0x80000000

#define SFTP_VERSION	3
#define NAME_BYTES_MAX	255	/* a file name, like NAME_MAX */
#define DIRS_MAX	4	/* directory handles at once: sftp's `ls` holds one */
#define WHY_MAX		256	/* what a hook says */
#define MSG_MAX		(WHY_MAX + NAME_BYTES_MAX + 64)	/* a message naming a file */
#define MODE_DIR	040755
#define MODE_FILE	0100644

/* Handlers return 0 to go on, DONE when the client left, or a negative ERR_* to end. */
#define DONE		1

enum slot_kind { SLOT_FREE, SLOT_FILE, SLOT_DIR };

/* An open handle: a file being uploaded or the listing of "/". */
struct slot {
	enum slot_kind	 kind;
	char		 handle[16];	/* "f7", "d8": a serial, so a stale handle never matches */
	size_t		 handlelen;
	char		 name[NAME_BYTES_MAX + 1];
	int		 fd;		/* -1 once handed to the close or abort hook */
	int64_t		 size;		/* the end of the furthest write */
	bool		 failed;	/* aborted: later writes and the close fail with why */
	char		 why[MSG_MAX];
};

struct sftp {
	int			 in_fd;
	int			 out_fd;
	const struct sftp_hooks	*h;
	bool			 inited;
	unsigned		 serial;
	uint32_t		 id;		/* of the request being answered */
	struct slot		 slots[SFTP_OPEN_FILES_MAX + DIRS_MAX];
	uint8_t			*pkt;
	size_t			 pktcap;
	struct buf		 out;
};

/* A bounds-checked reader over one packet: a field past the end sets bad and reads as 0. */
struct rd {
	const uint8_t	*p;
	size_t		 left;
	bool		 bad;
};

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
rd_u32(struct rd *r)
{
	uint32_t v;

	if (r->bad || r->left < 4) {
		r->bad = true;
		return 0;
	}
	v = get_u32(r->p);
	r->p += 4;
	r->left -= 4;
	return v;
}

static uint64_t
rd_u64(struct rd *r)
{
	uint64_t hi = rd_u32(r);

	return hi << 32 | rd_u32(r);
}

/* A string's bytes (not NUL-terminated; may hold NULs) and length; "" when bad. */
static const uint8_t *
rd_str(struct rd *r, size_t *lenp)
{
	uint32_t	 n = rd_u32(r);
	const uint8_t	*s;

	*lenp = 0;
	if (r->bad || n > r->left) {
		r->bad = true;
		return (const uint8_t *)"";
	}
	s = r->p;
	r->p += n;
	r->left -= n;
	*lenp = n;
	return s;
}

/*
 * Check the layout of an ATTRS block and skip it: the values are ignored
 * (scp -p sends times and modes). Each extended pair takes 8 bytes at least,
 * so a huge count runs out of packet quickly.
 */
static void
rd_attrs(struct rd *r)
{
	uint32_t	flags = rd_u32(r), n, i;
	size_t		len;

	if (flags & ATTR_SIZE)
		(void)rd_u64(r);
	if (flags & ATTR_UIDGID) {
		(void)rd_u32(r);
		(void)rd_u32(r);
	}
	if (flags & ATTR_PERMISSIONS)
		(void)rd_u32(r);
	if (flags & ATTR_ACMODTIME) {
		(void)rd_u32(r);
		(void)rd_u32(r);
	}
	if (flags & ATTR_EXTENDED) {
		n = rd_u32(r);
		for (i = 0; i < n && !r->bad; i++) {
			(void)rd_str(r, &len);
			(void)rd_str(r, &len);
		}
	}
}

static void
put_u8(struct buf *b, uint8_t v)
{
	buf_add(b, &v, 1);
}

static void
put_u32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	buf_add(b, x, sizeof x);
}

static void
put_u64(struct buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)(v >> 32));
	put_u32(b, (uint32_t)v);
}

static void
put_str(struct buf *b, const void *p, size_t n)
{
	put_u32(b, (uint32_t)n);
	buf_add(b, p, n);
}

static void
put_attrs(struct buf *b, uint32_t mode, int64_t size)
{
	uint32_t now = (uint32_t)time(NULL);

	put_u32(b, ATTR_SIZE | ATTR_PERMISSIONS | ATTR_ACMODTIME);
	put_u64(b, (uint64_t)size);
	put_u32(b, mode);
	put_u32(b, now);
	put_u32(b, now);
}

/* Wait until fd is ready, for fds that turn out to be non-blocking. */
static void
wait_fd(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	(void)poll(&pfd, 1, -1);
}

/*
 * Read exactly n bytes. Returns 1, 0 at end of file (*gotp says how many
 * bytes came first) or -1 on an error (logged).
 */
static int
read_full(int fd, void *p, size_t n, size_t *gotp)
{
	size_t	got = 0;
	ssize_t	r;

	while (got < n) {
		r = read(fd, (char *)p + got, n - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				wait_fd(fd, POLLIN);
				continue;
			}
			log_error("sftp: read from the client: %s", strerror(errno));
			*gotp = got;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*gotp = got;
	return got == n;
}

/* Returns 0, DONE when the client has gone, or ERR_SYSTEM (logged). */
static int
write_full(int fd, const void *p, size_t n)
{
	size_t	done = 0;
	ssize_t	r;

	while (done < n) {
		r = write(fd, (const char *)p + done, n - done);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				wait_fd(fd, POLLOUT);
				continue;
			}
			if (errno == EPIPE || errno == ECONNRESET) {
				log_info("sftp: the client left before reading its replies");
				return DONE;
			}
			log_error("sftp: write to the client: %s", strerror(errno));
			return ERR_SYSTEM;
		}
		done += (size_t)r;
	}
	return 0;
}

/* Write all of n bytes at offset; a short pwrite is continued. Returns 0 or -1 (errno set). */
static int
pwrite_full(int fd, const uint8_t *p, size_t n, off_t off)
{
	ssize_t r;

	while (n > 0) {
		r = pwrite(fd, p, n, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}

static void
reply_begin(struct sftp *s, uint8_t type)
{
	buf_reset(&s->out);
	put_u32(&s->out, 0);	/* the length, filled in by reply_send */
	put_u8(&s->out, type);
	if (type != FXP_VERSION)
		put_u32(&s->out, s->id);
}

static int
reply_send(struct sftp *s)
{
	uint32_t	 n = (uint32_t)(s->out.len - 4);
	uint8_t		*p = (uint8_t *)s->out.buf;

	p[0] = (uint8_t)(n >> 24);
	p[1] = (uint8_t)(n >> 16);
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	return write_full(s->out_fd, s->out.buf, s->out.len);
}

static int
status(struct sftp *s, uint32_t code, const char *msg)
{
	reply_begin(s, FXP_STATUS);
	put_u32(&s->out, code);
	put_str(&s->out, msg, strlen(msg));
	put_str(&s->out, "", 0);	/* language tag */
	return reply_send(s);
}

static void
say(struct sftp *s, const char *line)
{
	if (s->h->say != NULL && line[0] != '\0')
		s->h->say(s->h->arg, line);
}

/* Tell the person (scp shows only generic status strings) and answer code with the same words. */
static int
refuse(struct sftp *s, uint32_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
refuse(struct sftp *s, uint32_t code, const char *fmt, ...)
{
	char	msg[MSG_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	say(s, msg);
	return status(s, code, msg);
}

static int
malformed(const char *what)
{
	log_warn("sftp: malformed %s request: ending the session", what);
	return ERR_INVALID;
}

/* "50 MiB", "640 KiB", "1000 bytes": the limit as people set it. */
static void
format_size(int64_t n, char *out, size_t outsz)
{
	if (n > 0 && n % (1024 * 1024 * 1024) == 0)
		snprintf(out, outsz, "%" PRId64 " GiB", n / (1024 * 1024 * 1024));
	else if (n > 0 && n % (1024 * 1024) == 0)
		snprintf(out, outsz, "%" PRId64 " MiB", n / (1024 * 1024));
	else if (n > 0 && n % 1024 == 0)
		snprintf(out, outsz, "%" PRId64 " KiB", n / 1024);
	else
		snprintf(out, outsz, "%" PRId64 " bytes", n > 0 ? n : 0);
}

/* Up to 64 bytes of client text for a log line: printable ASCII, '?' for the rest. */
static void
log_text(const uint8_t *p, size_t n, char out[68])
{
	size_t i;

	for (i = 0; i < n && i < 64; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	out[i] = '\0';
	if (n > 64)
		strcpy(out + i, "...");
}

enum path_kind { PATH_ROOT, PATH_NAME, PATH_BAD };

/* Copy and check one name: UTF-8 without control characters, 1..255 bytes. */
static enum path_kind
name_take(const uint8_t *p, size_t n, char name[NAME_BYTES_MAX + 1], char *why, size_t whysz)
{
	char tw[96];

	if (n > NAME_BYTES_MAX) {
		snprintf(why, whysz, "bad file name: longer than %d bytes", NAME_BYTES_MAX);
		return PATH_BAD;
	}
	memcpy(name, p, n);
	name[n] = '\0';
	if (text_check(name, 1, NAME_BYTES_MAX, TEXT_SINGLE_LINE, tw, sizeof tw) != 0) {
		snprintf(why, whysz, "bad file name: %s", tw);
		name[0] = '\0';
		return PATH_BAD;
	}
	return PATH_NAME;
}

/*
 * The client sees one folder, "/", and every folder it names is that one: a
 * path comes down to its last component, a file name in "/", or to "/" itself
 * when that component is "", ".", ".." or "~" (a folder). So `scp f host:`,
 * `scp f host:photos/` and `sftp> put f /tmp/g` all upload into "/".
 * For PATH_NAME, name holds the checked name; for PATH_BAD, why says what is
 * wrong with it.
 */
static enum path_kind
path_resolve(const uint8_t *p, size_t len, char name[NAME_BYTES_MAX + 1], char *why,
    size_t whysz)
{
	size_t start;

	name[0] = '\0';
	why[0] = '\0';
	if (memchr(p, '\0', len) != NULL) {
		snprintf(why, whysz, "bad file name: it holds a NUL byte");
		return PATH_BAD;
	}
	for (start = len; start > 0 && p[start - 1] != '/'; start--)
		;
	p += start;
	len -= start;
	if (len == 0 || (len == 1 && (p[0] == '.' || p[0] == '~')) ||
	    (len == 2 && p[0] == '.' && p[1] == '.'))
		return PATH_ROOT;
	return name_take(p, len, name, why, whysz);
}

static struct slot *
slot_find(struct sftp *s, const uint8_t *handle, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof s->slots / sizeof s->slots[0]; i++) {
		struct slot *sl = &s->slots[i];

		if (sl->kind != SLOT_FREE && sl->handlelen == n &&
		    memcmp(sl->handle, handle, n) == 0)
			return sl;
	}
	return NULL;
}

/* A free slot when fewer than max of kind are open, else NULL. */
static struct slot *
slot_new(struct sftp *s, enum slot_kind kind, size_t max)
{
	struct slot	*free_slot = NULL;
	size_t		 i, used = 0;

	for (i = 0; i < sizeof s->slots / sizeof s->slots[0]; i++) {
		if (s->slots[i].kind == kind)
			used++;
		else if (s->slots[i].kind == SLOT_FREE && free_slot == NULL)
			free_slot = &s->slots[i];
	}
	if (used >= max || free_slot == NULL)
		return NULL;
	memset(free_slot, 0, sizeof *free_slot);
	free_slot->kind = kind;
	free_slot->fd = -1;
	snprintf(free_slot->handle, sizeof free_slot->handle, "%c%u",
	    kind == SLOT_FILE ? 'f' : 'd', ++s->serial);
	free_slot->handlelen = strlen(free_slot->handle);
	return free_slot;
}

static void
slot_free(struct slot *sl)
{
	memset(sl, 0, sizeof *sl);
	sl->kind = SLOT_FREE;
	sl->fd = -1;
}

/* The open, not aborted upload called name, or NULL. */
static struct slot *
slot_by_name(struct sftp *s, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof s->slots / sizeof s->slots[0]; i++)
		if (s->slots[i].kind == SLOT_FILE && !s->slots[i].failed &&
		    strcmp(s->slots[i].name, name) == 0)
			return &s->slots[i];
	return NULL;
}

/*
 * Give up on an upload: the abort hook drops the file, the person is told,
 * and later writes and the close answer the same words.
 */
static int
upload_fail(struct sftp *s, struct slot *sl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
upload_fail(struct sftp *s, struct slot *sl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sl->why, sizeof sl->why, fmt, ap);
	va_end(ap);
	log_info("sftp: '%s' dropped: %s", sl->name, sl->why);
	s->h->abort(s->h->arg, sl->name, sl->fd);
	sl->fd = -1;
	sl->failed = true;
	say(s, sl->why);
	return status(s, FX_FAILURE, sl->why);
}

static int
req_init(struct sftp *s, struct rd *r)
{
	uint32_t version = rd_u32(r);

	/* Extension pairs may follow; none is used. */
	if (r->bad)
		return malformed("init");
	if (s->inited) {
		log_warn("sftp: a second init: ending the session");
		return ERR_INVALID;
	}
	s->inited = true;
	log_debug("sftp: client version %" PRIu32, version);
	reply_begin(s, FXP_VERSION);
	put_u32(&s->out, SFTP_VERSION);
	return reply_send(s);
}

static int
req_realpath(struct sftp *s, struct rd *r)
{
	const uint8_t	*p;
	size_t		 n;
	char		 text[68], name[NAME_BYTES_MAX + 1], why[WHY_MAX];
	char		 path[NAME_BYTES_MAX + 2] = "/";
	struct slot	*sl;

	p = rd_str(r, &n);
	if (r->bad)
		return malformed("realpath");
	log_text(p, n, text);
	log_debug("sftp: realpath '%s'", text);
	switch (path_resolve(p, n, name, why, sizeof why)) {
	case PATH_BAD:
		return refuse(s, FX_NO_SUCH_FILE, "%s", why);
	case PATH_ROOT:
		break;
	case PATH_NAME:
		snprintf(path, sizeof path, "/%s", name);
		break;
	}
	reply_begin(s, FXP_NAME);
	put_u32(&s->out, 1);
	put_str(&s->out, path, strlen(path));
	put_str(&s->out, path, strlen(path));	/* longname: the path, as OpenSSH's server does */
	if (name[0] == '\0')
		put_attrs(&s->out, MODE_DIR, 0);
	else if ((sl = slot_by_name(s, name)) != NULL)
		put_attrs(&s->out, MODE_FILE, sl->size);
	else
		put_u32(&s->out, 0);	/* not there yet: no attributes */
	return reply_send(s);
}

/* STAT and LSTAT: there are no links, so they agree. */
static int
req_stat(struct sftp *s, struct rd *r)
{
	const uint8_t	*p;
	size_t		 n;
	char		 text[68], name[NAME_BYTES_MAX + 1], why[WHY_MAX];
	struct slot	*sl;

	p = rd_str(r, &n);
	if (r->bad)
		return malformed("stat");
	log_text(p, n, text);
	log_debug("sftp: stat '%s'", text);
	switch (path_resolve(p, n, name, why, sizeof why)) {
	case PATH_BAD:
		return status(s, FX_NO_SUCH_FILE, why);
	case PATH_ROOT:
		reply_begin(s, FXP_ATTRS);
		put_attrs(&s->out, MODE_DIR, 0);
		return reply_send(s);
	case PATH_NAME:
		break;
	}
	if ((sl = slot_by_name(s, name)) == NULL)
		return status(s, FX_NO_SUCH_FILE, "no such file");
	reply_begin(s, FXP_ATTRS);
	put_attrs(&s->out, MODE_FILE, sl->size);
	return reply_send(s);
}

static int
req_fstat(struct sftp *s, struct rd *r)
{
	const uint8_t	*h;
	size_t		 n;
	struct slot	*sl;

	h = rd_str(r, &n);
	if (r->bad)
		return malformed("fstat");
	if ((sl = slot_find(s, h, n)) == NULL)
		return status(s, FX_FAILURE, "no such handle");
	reply_begin(s, FXP_ATTRS);
	if (sl->kind == SLOT_DIR)
		put_attrs(&s->out, MODE_DIR, 0);
	else
		put_attrs(&s->out, MODE_FILE, sl->size);
	return reply_send(s);
}

static int
req_open(struct sftp *s, struct rd *r)
{
	const uint8_t	*p;
	size_t		 n;
	uint32_t	 pflags;
	char		 text[68], name[NAME_BYTES_MAX + 1], why[WHY_MAX];
	struct slot	*sl;
	int		 fd;

	p = rd_str(r, &n);
	pflags = rd_u32(r);
	rd_attrs(r);
	if (r->bad)
		return malformed("open");
	log_text(p, n, text);
	log_debug("sftp: open '%s'", text);
	/* APPEND, CREAT, TRUNC and EXCL all fit a file that is always new. */
	if ((pflags & FXF_READ) || !(pflags & FXF_WRITE))
		return refuse(s, FX_PERMISSION_DENIED, "uploads only: files cannot be read back");
	switch (path_resolve(p, n, name, why, sizeof why)) {
	case PATH_BAD:
		return refuse(s, FX_FAILURE, "%s", why);
	case PATH_ROOT:
		return refuse(s, FX_FAILURE, "a file name is needed: '/' is the upload folder");
	case PATH_NAME:
		break;
	}
	if ((sl = slot_new(s, SLOT_FILE, SFTP_OPEN_FILES_MAX)) == NULL)
		return refuse(s, FX_FAILURE, "%s: too many files at once (at most %d)", name,
		    SFTP_OPEN_FILES_MAX);
	why[0] = '\0';
	if ((fd = s->h->open(s->h->arg, name, why, sizeof why)) < 0) {
		slot_free(sl);
		log_info("sftp: '%s' refused: %s", name, why);
		return refuse(s, FX_FAILURE, "%s: %s", name, why[0] ? why : "cannot be stored");
	}
	memcpy(sl->name, name, sizeof sl->name);
	sl->fd = fd;
	log_info("sftp: receiving '%s'", name);
	reply_begin(s, FXP_HANDLE);
	put_str(&s->out, sl->handle, sl->handlelen);
	return reply_send(s);
}

static int
req_write(struct sftp *s, struct rd *r)
{
	const uint8_t	*h, *data;
	size_t		 hn, n;
	uint64_t	 off, max;
	struct slot	*sl;
	char		 limit[32], why[WHY_MAX];

	h = rd_str(r, &hn);
	off = rd_u64(r);
	data = rd_str(r, &n);
	if (r->bad)
		return malformed("write");
	if ((sl = slot_find(s, h, hn)) == NULL)
		return status(s, FX_FAILURE, "no such handle");
	if (sl->kind != SLOT_FILE)
		return status(s, FX_FAILURE, "not a file");
	if (sl->failed)
		return status(s, FX_FAILURE, sl->why);
	if (n == 0)
		return status(s, FX_OK, "ok");
	max = s->h->max_bytes > 0 ? (uint64_t)s->h->max_bytes : 0;
	if (off > max || n > max - off) {
		format_size(s->h->max_bytes, limit, sizeof limit);
		return upload_fail(s, sl, "%s: file too large: the limit is %s", sl->name, limit);
	}
	if ((int64_t)(off + n) > sl->size && s->h->grow != NULL) {
		why[0] = '\0';
		if (s->h->grow(s->h->arg, sl->name, sl->fd, (int64_t)(off + n), why,
		    sizeof why) != 0)
			return upload_fail(s, sl, "%s: %s", sl->name,
			    why[0] ? why : "the upload was refused");
	}
	if (pwrite_full(sl->fd, data, n, (off_t)off) != 0) {
		log_error("sftp: write '%s': %s", sl->name, strerror(errno));
		return upload_fail(s, sl, "%s: the upload failed: the server could not store it",
		    sl->name);
	}
	if ((int64_t)(off + n) > sl->size)
		sl->size = (int64_t)(off + n);
	return status(s, FX_OK, "ok");
}

static int
req_close(struct sftp *s, struct rd *r)
{
	const uint8_t	*h;
	size_t		 n;
	struct slot	*sl;
	char		 why[WHY_MAX], msg[MSG_MAX];
	int		 rc;

	h = rd_str(r, &n);
	if (r->bad)
		return malformed("close");
	if ((sl = slot_find(s, h, n)) == NULL)
		return status(s, FX_FAILURE, "no such handle");
	if (sl->kind == SLOT_DIR) {
		slot_free(sl);
		return status(s, FX_OK, "ok");
	}
	if (sl->failed) {
		snprintf(msg, sizeof msg, "%s", sl->why);
		slot_free(sl);
		return status(s, FX_FAILURE, msg);
	}
	why[0] = '\0';
	rc = s->h->close(s->h->arg, sl->name, sl->fd, sl->size, why, sizeof why);
	sl->fd = -1;
	if (rc == 0) {
		log_info("sftp: received '%s' (%" PRId64 " bytes)", sl->name, sl->size);
		snprintf(msg, sizeof msg, "%s", why[0] ? why : "ok");
		say(s, why);
		slot_free(sl);
		return status(s, FX_OK, msg);
	}
	if (why[0] != '\0')
		snprintf(msg, sizeof msg, "%s", why);
	else
		snprintf(msg, sizeof msg, "%s: the upload failed (%s)", sl->name, err_str(rc));
	log_info("sftp: '%s' not imported: %s", sl->name, msg);
	slot_free(sl);
	say(s, msg);
	return status(s, FX_FAILURE, msg);
}

static int
req_fsetstat(struct sftp *s, struct rd *r)
{
	const uint8_t	*h;
	size_t		 n;

	h = rd_str(r, &n);
	rd_attrs(r);
	if (r->bad)
		return malformed("fsetstat");
	if (slot_find(s, h, n) == NULL)
		return status(s, FX_FAILURE, "no such handle");
	return status(s, FX_OK, "ok");
}

static int
req_opendir(struct sftp *s, struct rd *r)
{
	const uint8_t	*p;
	size_t		 n;
	char		 text[68], name[NAME_BYTES_MAX + 1], why[WHY_MAX];
	struct slot	*sl;

	p = rd_str(r, &n);
	if (r->bad)
		return malformed("opendir");
	log_text(p, n, text);
	log_debug("sftp: opendir '%s'", text);
	if (path_resolve(p, n, name, why, sizeof why) != PATH_ROOT)
		return status(s, FX_NO_SUCH_FILE, "no such folder: there is only '/'");
	if ((sl = slot_new(s, SLOT_DIR, DIRS_MAX)) == NULL)
		return status(s, FX_FAILURE, "too many folder listings at once");
	reply_begin(s, FXP_HANDLE);
	put_str(&s->out, sl->handle, sl->handlelen);
	return reply_send(s);
}

/* "/" is always empty: uploads become media items, not files to list. */
static int
req_readdir(struct sftp *s, struct rd *r)
{
	const uint8_t	*h;
	size_t		 n;
	struct slot	*sl;

	h = rd_str(r, &n);
	if (r->bad)
		return malformed("readdir");
	if ((sl = slot_find(s, h, n)) == NULL)
		return status(s, FX_FAILURE, "no such handle");
	if (sl->kind != SLOT_DIR)
		return status(s, FX_FAILURE, "not a folder");
	return status(s, FX_EOF, "end of folder");
}

/* No extension is advertised, so a client asking for one is probing: say no quietly. */
static int
req_extended(struct sftp *s, struct rd *r)
{
	const uint8_t	*p;
	size_t		 n;
	char		 text[68];

	p = rd_str(r, &n);
	if (r->bad)
		return malformed("extended");
	log_text(p, n, text);
	log_info("sftp: unsupported extension '%s'", text);
	return status(s, FX_OP_UNSUPPORTED, "unsupported extension");
}

struct request {
	uint8_t		 type;
	const char	*name;
	int		(*fn)(struct sftp *, struct rd *);	/* NULL: the fixed answer below */
	/*
	 * A fixed answer, for what an upload-only server answers the same way
	 * every time: the fields are read (so a malformed request is told
	 * apart), one letter each after the id: s string, a attrs, 8 u64, 4 u32.
	 */
	const char	*fields;
	uint32_t	 code;
	const char	*why;
	bool		 tell;	/* also tell the person (refuse), not only the client */
};

static int
req_fixed(struct sftp *s, struct rd *r, const struct request *q)
{
	size_t n;

	for (const char *f = q->fields; *f != '\0'; f++)
		switch (*f) {
		case 's': (void)rd_str(r, &n); break;
		case 'a': rd_attrs(r); break;
		case '8': (void)rd_u64(r); break;
		case '4': (void)rd_u32(r); break;
		}
	if (r->bad)
		return malformed(q->name);
	return q->tell ? refuse(s, q->code, "%s", q->why) : status(s, q->code, q->why);
}

static const struct request requests[] = {
	{ FXP_OPEN,	"open",		req_open,	NULL, 0, NULL, false },
	{ FXP_CLOSE,	"close",	req_close,	NULL, 0, NULL, false },
	{ FXP_READ,	"read",		NULL,		"s84", FX_PERMISSION_DENIED,
	    "uploads only: files cannot be read back", true },
	{ FXP_WRITE,	"write",	req_write,	NULL, 0, NULL, false },
	{ FXP_LSTAT,	"lstat",	req_stat,	NULL, 0, NULL, false },
	{ FXP_FSTAT,	"fstat",	req_fstat,	NULL, 0, NULL, false },
	/* scp -p sends times: nothing to keep them on */
	{ FXP_SETSTAT,	"setstat",	NULL,		"sa", FX_OK, "ok", false },
	{ FXP_FSETSTAT,	"fsetstat",	req_fsetstat,	NULL, 0, NULL, false },
	{ FXP_OPENDIR,	"opendir",	req_opendir,	NULL, 0, NULL, false },
	{ FXP_READDIR,	"readdir",	req_readdir,	NULL, 0, NULL, false },
	{ FXP_REMOVE,	"remove",	NULL,		"s", FX_PERMISSION_DENIED,
	    "uploads only: files cannot be removed here (delete media in the app)", true },
	{ FXP_MKDIR,	"mkdir",	NULL,		"sa", FX_PERMISSION_DENIED,
	    "uploads only: folders cannot be made (send files one by one, not with -r)", true },
	{ FXP_RMDIR,	"rmdir",	NULL,		"s", FX_PERMISSION_DENIED,
	    "uploads only: folders cannot be removed", true },
	{ FXP_REALPATH,	"realpath",	req_realpath,	NULL, 0, NULL, false },
	{ FXP_STAT,	"stat",		req_stat,	NULL, 0, NULL, false },
	{ FXP_RENAME,	"rename",	NULL,		"ss", FX_PERMISSION_DENIED,
	    "uploads only: files cannot be renamed", true },
	{ FXP_READLINK,	"readlink",	NULL,		"s", FX_OP_UNSUPPORTED,
	    "there are no links here", false },
	{ FXP_SYMLINK,	"symlink",	NULL,		"ss", FX_PERMISSION_DENIED,
	    "uploads only: links cannot be made", true },
	{ FXP_EXTENDED,	"extended",	req_extended,	NULL, 0, NULL, false },
};

/* One packet of len >= 5 bytes: type, then the request id (or INIT's version). */
static int
handle_packet(struct sftp *s, const uint8_t *p, size_t len)
{
	struct rd	r = { p + 1, len - 1, false };
	uint8_t		type = p[0];
	size_t		i;

	if (type == FXP_INIT)
		return req_init(s, &r);
	if (!s->inited) {
		log_warn("sftp: request type %u before init: not an SFTP client", type);
		return ERR_INVALID;
	}
	s->id = rd_u32(&r);
	for (i = 0; i < sizeof requests / sizeof requests[0]; i++) {
		if (requests[i].type == type) {
			log_debug("sftp: %s (id %" PRIu32 ", %zu bytes)", requests[i].name, s->id,
			    len);
			if (requests[i].fn == NULL)
				return req_fixed(s, &r, &requests[i]);
			return requests[i].fn(s, &r);
		}
	}
	log_info("sftp: unknown request type %u", type);
	return status(s, FX_OP_UNSUPPORTED, "unsupported request");
}

int
sftp_serve(int in_fd, int out_fd, const struct sftp_hooks *h)
{
	struct sftp	 s;
	uint8_t		 hdr[4];
	uint32_t	 len;
	size_t		 got, i;
	int		 r;

	memset(&s, 0, sizeof s);
	s.in_fd = in_fd;
	s.out_fd = out_fd;
	s.h = h;
	buf_init(&s.out);
	for (i = 0; i < sizeof s.slots / sizeof s.slots[0]; i++)
		slot_free(&s.slots[i]);
	for (;;) {
		if ((r = read_full(in_fd, hdr, sizeof hdr, &got)) != 1) {
			if (r == 0 && got > 0)
				log_info("sftp: the client left in the middle of a packet");
			r = r == 0 ? 0 : ERR_SYSTEM;
			break;
		}
		len = get_u32(hdr);
		if (len < 5 || len > SFTP_PACKET_MAX) {
			log_warn("sftp: a packet of %" PRIu32 " bytes (%d to %d): not an SFTP client",
			    len, 5, SFTP_PACKET_MAX);
			r = ERR_INVALID;
			break;
		}
		if (len > s.pktcap) {
			s.pkt = xreallocarray(s.pkt, len, 1);
			s.pktcap = len;
		}
		if ((r = read_full(in_fd, s.pkt, len, &got)) != 1) {
			if (r == 0)
				log_info("sftp: the client left in the middle of a packet");
			r = r == 0 ? 0 : ERR_SYSTEM;
			break;
		}
		if ((r = handle_packet(&s, s.pkt, len)) != 0) {
			if (r == DONE)
				r = 0;
			break;
		}
	}
	for (i = 0; i < sizeof s.slots / sizeof s.slots[0]; i++) {
		struct slot *sl = &s.slots[i];

		if (sl->kind == SLOT_FILE && sl->fd >= 0) {
			log_info("sftp: '%s' was not finished: dropped", sl->name);
			h->abort(h->arg, sl->name, sl->fd);
		}
		slot_free(sl);
	}
	free(s.pkt);
	buf_release(&s.out);
	return r;
}
