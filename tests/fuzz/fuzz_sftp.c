/*
 * The SFTP server on a client's byte stream: framing, every request parser,
 * path and name checks, the open-file table. The input reaches sftp_serve
 * through a memfd, as a pipe would deliver it, and the replies come back in
 * another; they must be whole packets. Every fd the open hook hands out must
 * come back exactly once, through close or abort, and every name the hooks
 * see must be a proper file name.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/sftp.h"
#include "common/err.h"
#include "common/log.h"
#include "common/utf8.h"
#include "tests/fuzz/fuzz.h"

#define MAX_BYTES	65536	/* small, so inputs reach the limit */

/*
 * Seeds: whole sessions, one packet a line, as scp and sftp send them and
 * then some (the server's handles are "f1", "d2"...: a serial per session).
 * Binary with NULs, so their lengths are given in fuzz_seed_lens.
 */
static const char seed_init[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	;
static const char seed_upload[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	"\0\0\0\12\20\0\0\0\1\0\0\0\1."                              /* REALPATH 1 '.' */
	"\0\0\0\12\21\0\0\0\2\0\0\0\1/"                              /* STAT 2 '/' */
	/* OPEN 3 '/cat.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\35\3\0\0\0\3\0\0\0\10/cat.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* WRITE 4 f1 at 0, 6 bytes */
	"\0\0\0\35\6\0\0\0\4\0\0\0\2f1\0\0\0\0\0\0\0\0\0\0\0\6hello "
	"\0\0\0\34\6\0\0\0\5\0\0\0\2f1\0\0\0\0\0\0\0\6\0\0\0\5world" /* WRITE 5 f1 at 6, 5 bytes */
	"\0\0\0\13\10\0\0\0\6\0\0\0\2f1"                             /* FSTAT 6 f1 */
	"\0\0\0\27\12\0\0\0\7\0\0\0\2f1\0\0\0\10eS\361\0eS\361\0"    /* FSETSTAT 7 f1 times */
	"\0\0\0\21\21\0\0\0\10\0\0\0\10/cat.jpg"                     /* STAT 8 '/cat.jpg' */
	"\0\0\0\13\4\0\0\0\11\0\0\0\2f1"                             /* CLOSE 9 f1 */
	;
static const char seed_scp[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	"\0\0\0\12\21\0\0\0\1\0\0\0\1."                              /* STAT 1 '.' */
	/* OPEN 2 './cat.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\36\3\0\0\0\2\0\0\0\11./cat.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* WRITE 3 f1 at 0, 11 bytes */
	"\0\0\0\42\6\0\0\0\3\0\0\0\2f1\0\0\0\0\0\0\0\0\0\0\0\13\377\330\377\340\0\20JFIF"
	"\0"
	"\0\0\0\23\12\0\0\0\4\0\0\0\2f1\0\0\0\4\0\0\1\244"           /* FSETSTAT 4 f1 mode 0644 */
	"\0\0\0\13\4\0\0\0\5\0\0\0\2f1"                              /* CLOSE 5 f1 */
	"\0\0\0\32\21\0\0\0\6\0\0\0\21holiday/beach.jpg"             /* STAT 6 'holiday/beach.jpg' */
	/* OPEN 7 'holiday/beach.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0&\3\0\0\0\7\0\0\0\21holiday/beach.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* WRITE 8 f2 at 0, 20 bytes */
	"\0\0\0+\6\0\0\0\10\0\0\0\2f2\0\0\0\0\0\0\0\0\0\0\0\24xxxxxxxxxxxxxxxxxxxx"
	"\0\0\0\13\4\0\0\0\11\0\0\0\2f2"                             /* CLOSE 9 f2 */
	;
static const char seed_sftp[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	"\0\0\0\12\20\0\0\0\1\0\0\0\1."                              /* REALPATH 1 '.' */
	"\0\0\0\12\7\0\0\0\2\0\0\0\1/"                               /* LSTAT 2 '/' */
	"\0\0\0\12\13\0\0\0\3\0\0\0\1/"                              /* OPENDIR 3 '/' */
	"\0\0\0\13\14\0\0\0\4\0\0\0\2d1"                             /* READDIR 4 d1 */
	"\0\0\0\13\4\0\0\0\5\0\0\0\2d1"                              /* CLOSE 5 d1 */
	/* OPEN 6 '/r.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\6\0\0\0\6/r.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* WRITE 7 f2 at 0, 16 bytes */
	"\0\0\0'\6\0\0\0\7\0\0\0\2f2\0\0\0\0\0\0\0\0\0\0\0\20refused at close"
	"\0\0\0\13\4\0\0\0\10\0\0\0\2f2"                             /* CLOSE 8 f2 */
	"\0\0\0\31\20\0\0\0\11\0\0\0\20~/a/../b/./c.jpg"             /* REALPATH 9 '~/a/../b/./c.jpg' */
	"\0\0\0\16\13\0\0\0\12\0\0\0\5/nope"                         /* OPENDIR 10 '/nope' */
	;
static const char seed_toolarge[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	/* OPEN 1 'big.bin' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\34\3\0\0\0\1\0\0\0\7big.bin\0\0\0\32\0\0\0\4\0\0\1\244"
	/* WRITE 2 f1 at 65530, 10 bytes */
	"\0\0\0!\6\0\0\0\2\0\0\0\2f1\0\0\0\0\0\0\377\372\0\0\0\12" "0123456789"
	"\0\0\0\30\6\0\0\0\3\0\0\0\2f1\0\0\0\0\0\0\0\0\0\0\0\1a"     /* WRITE 3 f1 at 0, 1 bytes */
	"\0\0\0\13\4\0\0\0\4\0\0\0\2f1"                              /* CLOSE 4 f1 */
	/* OPEN 5 'wrap.bin' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\35\3\0\0\0\5\0\0\0\10wrap.bin\0\0\0\32\0\0\0\4\0\0\1\244"
	/* WRITE 6 f2 at 18446744073709551614, 4 bytes */
	"\0\0\0\33\6\0\0\0\6\0\0\0\2f2\377\377\377\377\377\377\377\376\0\0\0\4abcd"
	"\0\0\0\13\4\0\0\0\7\0\0\0\2f2"                              /* CLOSE 7 f2 */
	;
static const char seed_refusals[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	/* OPEN 1 '/cat.jpg' READ mode 0644 */
	"\0\0\0\35\3\0\0\0\1\0\0\0\10/cat.jpg\0\0\0\1\0\0\0\4\0\0\1\244"
	"\0\0\0\25\3\0\0\0\2\0\0\0\0\0\0\0\2\0\0\0\4\0\0\1\244"      /* OPEN 2 '' WRITE mode 0644 */
	"\0\0\0\27\3\0\0\0\3\0\0\0\2..\0\0\0\2\0\0\0\4\0\0\1\244"    /* OPEN 3 '..' WRITE mode 0644 */
	/* OPEN 4 'a\x01b' WRITE mode 0644 */
	"\0\0\0\30\3\0\0\0\4\0\0\0\3a\1b\0\0\0\2\0\0\0\4\0\0\1\244"
	/* OPEN 5 'a\x00b' WRITE mode 0644 */
	"\0\0\0\30\3\0\0\0\5\0\0\0\3a\0b\0\0\0\2\0\0\0\4\0\0\1\244"
	/* OPEN 6 '\xff.jpg' WRITE mode 0644 */
	"\0\0\0\32\3\0\0\0\6\0\0\0\5\377.jpg\0\0\0\2\0\0\0\4\0\0\1\244"
	/* OPEN 7 'x-refused' WRITE mode 0644 */
	"\0\0\0\36\3\0\0\0\7\0\0\0\11x-refused\0\0\0\2\0\0\0\4\0\0\1\244"
	/* READ 8 f1 at 0, 32768 bytes */
	"\0\0\0\27\5\0\0\0\10\0\0\0\2f1\0\0\0\0\0\0\0\0\0\0\200\0"
	"\0\0\0\21\15\0\0\0\11\0\0\0\10/cat.jpg"                     /* REMOVE 9 '/cat.jpg' */
	"\0\0\0\21\22\0\0\0\12\0\0\0\2/a\0\0\0\2/b"                  /* RENAME 10 '/a' '/b' */
	"\0\0\0\23\16\0\0\0\13\0\0\0\2/d\0\0\0\4\0\0\1\355"          /* MKDIR 11 '/d' mode 0755 */
	"\0\0\0\13\17\0\0\0\14\0\0\0\2/d"                            /* RMDIR 12 '/d' */
	"\0\0\0\13\23\0\0\0\15\0\0\0\2/l"                            /* READLINK 13 '/l' */
	"\0\0\0\21\24\0\0\0\16\0\0\0\2/l\0\0\0\2/t"                  /* SYMLINK 14 '/l' '/t' */
	/* EXTENDED 15 'statvfs@openssh.com' '/' */
	"\0\0\0!\310\0\0\0\17\0\0\0\23statvfs@openssh.com\0\0\0\1/"
	/* SETSTAT 16 '/cat.jpg' extended k=v */
	"\0\0\0#\11\0\0\0\20\0\0\0\10/cat.jpg\200\0\0\0\0\0\0\1\0\0\0\1k\0\0\0\1v"
	"\0\0\0\5c\0\0\0\21"                                         /* type 99 17 */
	;
static const char seed_many[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	/* OPEN 1 'f1.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\1\0\0\0\6f1.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 2 'f2.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\2\0\0\0\6f2.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 3 'f3.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\3\0\0\0\6f3.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 4 'f4.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\4\0\0\0\6f4.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 5 'f5.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\5\0\0\0\6f5.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 6 'f6.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\6\0\0\0\6f6.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 7 'f7.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\7\0\0\0\6f7.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 8 'f8.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\10\0\0\0\6f8.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 9 'f9.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\33\3\0\0\0\11\0\0\0\6f9.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	/* OPEN 10 'f10.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\34\3\0\0\0\12\0\0\0\7f10.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	"\0\0\0\13\4\0\0\0\13\0\0\0\2f3"                             /* CLOSE 11 f3 */
	/* OPEN 12 'again.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\36\3\0\0\0\14\0\0\0\11again.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	;
static const char seed_truncated[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	/* OPEN 1 'cut.jpg' WRITE|CREAT|TRUNC mode 0644 */
	"\0\0\0\34\3\0\0\0\1\0\0\0\7cut.jpg\0\0\0\32\0\0\0\4\0\0\1\244"
	"\0\0\0" "5\6\0\0\0\2\0\0\0\2f1\0\0\0\0\0"                   /* WRITE 2, cut short */
	;
static const char seed_huge[] =
	"\0\0\0\5\1\0\0\0\3"                                         /* INIT 3 */
	"\177\377\377\377\3"                                         /* a length of 2 GiB */
	;
const char *const fuzz_seeds[] = {
	seed_init,
	seed_upload,
	seed_scp,
	seed_sftp,
	seed_toolarge,
	seed_refusals,
	seed_many,
	seed_truncated,
	seed_huge,
	NULL
};
const size_t fuzz_seed_lens[] = {
	sizeof seed_init - 1,
	sizeof seed_upload - 1,
	sizeof seed_scp - 1,
	sizeof seed_sftp - 1,
	sizeof seed_toolarge - 1,
	sizeof seed_refusals - 1,
	sizeof seed_many - 1,
	sizeof seed_truncated - 1,
	sizeof seed_huge - 1,
	0
};

static int	open_fds[SFTP_OPEN_FILES_MAX];
static int	nopen;

/* What the server promises the hooks about names. */
static void
check_name(const char *name)
{
	size_t	n = strlen(name), i;

	if (n == 0 || n > 255 || !utf8_valid(name, n) || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		__builtin_trap();
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			__builtin_trap();
}

static int
fz_open(void *arg, const char *name, char *why, size_t whysz)
{
	int fd;

	(void)arg;
	check_name(name);
	if (nopen >= SFTP_OPEN_FILES_MAX)
		__builtin_trap();	/* the server lets no more be open at once */
	if (name[0] == 'x') {
		snprintf(why, whysz, "refused by the harness");
		return -1;
	}
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
		snprintf(why, whysz, "no /dev/null");
		return -1;
	}
	open_fds[nopen++] = fd;
	return fd;
}

/* An fd comes back: it must be one handed out and not yet returned. */
static void
give_back(int fd)
{
	int i;

	for (i = 0; i < nopen; i++) {
		if (open_fds[i] == fd) {
			open_fds[i] = open_fds[--nopen];
			close(fd);
			return;
		}
	}
	__builtin_trap();
}

static int
fz_close(void *arg, const char *name, int fd, int64_t bytes, char *why, size_t whysz)
{
	(void)arg;
	check_name(name);
	if (bytes < 0 || bytes > MAX_BYTES)
		__builtin_trap();
	give_back(fd);
	if (name[0] == 'r') {
		snprintf(why, whysz, "%s: refused by the harness", name);
		return ERR_INVALID;
	}
	snprintf(why, whysz, "%s: media 1", name);
	return 0;
}

static void
fz_abort(void *arg, const char *name, int fd)
{
	(void)arg;
	check_name(name);
	give_back(fd);
}

static void
fz_say(void *arg, const char *line)
{
	(void)arg;
	if (line[0] == '\0' || strchr(line, '\n') != NULL)
		__builtin_trap();	/* one line that says something */
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The replies: VERSION first, then whole packets of the types a server sends. */
static void
check_replies(int fd)
{
	off_t		 end = lseek(fd, 0, SEEK_END);
	uint8_t		*p;
	size_t		 n, pos = 0, len;
	uint8_t		 type;

	if (end <= 0)
		return;
	n = (size_t)end;
	p = malloc(n);
	if (p == NULL || pread(fd, p, n, 0) != (ssize_t)n)
		__builtin_trap();
	while (pos < n) {
		if (n - pos < 9)
			__builtin_trap();
		len = get_u32(p + pos);
		type = p[pos + 4];
		if (len < 5 || len > n - pos - 4 || len > SFTP_PACKET_MAX)
			__builtin_trap();
		if ((pos == 0) != (type == 2))
			__builtin_trap();
		if (type != 2 && type != 101 && type != 102 && type != 104 && type != 105)
			__builtin_trap();
		/* STATUS: a known code, a message, an empty language tag. */
		if (type == 101 && (len < 18 || get_u32(p + pos + 9) > 8 ||
		    get_u32(p + pos + 13) != len - 17 || get_u32(p + pos + len) != 0))
			__builtin_trap();
		pos += 4 + len;
	}
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool		 once;
	struct sftp_hooks	 h = {
		.open = fz_open, .close = fz_close, .abort = fz_abort, .say = fz_say,
		.max_bytes = MAX_BYTES,
	};
	int			 in, out, r;
	size_t			 done = 0;
	ssize_t			 w;

	if (!once) {
		log_open("fuzz_sftp", LOG_TO_NONE, NULL, LOG_LVL_ERROR);
		once = true;
	}
	if ((in = memfd_create("sftp-in", MFD_CLOEXEC)) < 0 ||
	    (out = memfd_create("sftp-out", MFD_CLOEXEC)) < 0)
		abort();
	while (done < size) {
		if ((w = write(in, data + done, size - done)) <= 0)
			abort();
		done += (size_t)w;
	}
	lseek(in, 0, SEEK_SET);
	r = sftp_serve(in, out, &h);
	if (r != 0 && r != ERR_INVALID)
		__builtin_trap();
	if (nopen != 0)
		__builtin_trap();	/* every file closed or aborted by the end */
	check_replies(out);
	close(in);
	close(out);
	return 0;
}
