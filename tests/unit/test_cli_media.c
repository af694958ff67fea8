/*
 * Uploads and media as exec runs them (upload, media, post --media, profile
 * set avatar|background) and the worker that finishes them, on a file
 * database in a temporary data directory: what is stored, what the worker
 * makes of it, what each user may see, and that refusals leave nothing
 * behind (no row, no file in the spool).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/xmalloc.h"
#include "media/image.h"
#include "media/spool.h"
#include "storage/media.h"
#include "storage/posts.h"
#include "storage/social.h"
#include "storage/store.h"
#include "cli/upload.h"
#include "tests/unit/clirun.h"
#include "worker/worker.h"

#define KEY_ALICE "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBOrKnNnGvjNezjoRxVw531xTrFjG6Zzda/xd7C0IE one@test"
#define KEY_BOB   "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILpStb2YC0gUsOS+HyDNUuykN2NFI9r3HtzC4X4kKwJB two@test"
#define KEY_CAROL "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQvbTd6nRFU7vkihxjQGsiL6DTugLqPxUVidyFincWY c@test"

enum { ALICE, BOB, CAROL, NUSERS };
static const char *const names[NUSERS] = { "alice", "bob", "carol" };
static const char *const keys[NUSERS] = { KEY_ALICE, KEY_BOB, KEY_CAROL };

/* A marker inside the EXIF segment: it must not survive re-encoding. */
#define SECRET	"GPS-52.5200N-13.4050E"

struct fx {
	struct store	*st;
	char		 dir[64];
	int64_t		 id[NUSERS];
	uint8_t		*jpeg;		/* a 300x200 photo with EXIF (orientation 6 and SECRET) */
	size_t		 jpegn;
};

static struct clirun_as
as(struct fx *f, int who)
{
	struct clirun_as a = { .st = f->st, .user_id = f->id[who], .username = names[who],
	    .data_dir = f->dir, .hub_fd = -1 };

	return a;
}

/* Run, check the status; stdout and stderr are returned for more checks. */
static struct clirun
expect_in(struct fx *f, int who, const char *line, const void *in, size_t inlen, int status)
{
	struct clirun_as	a = as(f, who);
	struct clirun		r = clirun(&a, line, in, inlen);

	if (r.status != status)
		fail_msg("'%s': status %d, expected %d (out '%s', err '%s')", line, r.status,
		    status, r.out, r.err);
	return r;
}

static void
expect(struct fx *f, int who, const char *line, int status, const char *out_has,
    const char *err_has)
{
	struct clirun_as	a = as(f, who);
	struct clirun		r = clirun(&a, line, NULL, 0);

	clirun_check(line, &r, status, out_has, err_has);
	clirun_free(&r);
}
static void __attribute__((format(printf, 6, 7)))
expectf(struct fx *f, int who, int status, const char *out_has, const char *err_has,
    const char *fmt, ...)
{
	char	line[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	expect(f, who, line, status, out_has, err_has);
}

/* A gradient photo, JPEG-encoded, with an APP1 Exif segment spliced in after SOI. */
static void
make_jpeg(struct fx *f)
{
	static const uint8_t app1[] = {
		0xff, 0xe1, 0x00, 0x00,			/* length patched below */
		'E', 'x', 'i', 'f', 0, 0,
		'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,	/* TIFF, IFD0 at 8 */
		0x01, 0x00,					/* one entry */
		0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,				/* no next IFD */
	};
	struct image	 im = { 300, 200, NULL, false };
	uint8_t		*enc = NULL, *out;
	size_t		 n = 0, seg = sizeof app1 + sizeof SECRET, i;
	int		 x, y;

	im.rgba = xmalloc((size_t)im.w * (size_t)im.h * 4);
	for (y = 0; y < im.h; y++)
		for (x = 0; x < im.w; x++) {
			uint8_t *p = im.rgba + ((size_t)y * (size_t)im.w + (size_t)x) * 4;

			p[0] = (uint8_t)(x * 255 / im.w);
			p[1] = (uint8_t)(y * 255 / im.h);
			p[2] = (uint8_t)((x + y) & 0xff);
			p[3] = 255;
		}
	assert_int_equal(image_encode(&im, MF_JPEG, 90, &enc, &n), 0);
	out = xmalloc(n + seg);
	out[0] = enc[0];
	out[1] = enc[1];
	memcpy(out + 2, app1, sizeof app1);
	memcpy(out + 2 + sizeof app1, SECRET, sizeof SECRET);
	out[4] = (uint8_t)((seg - 2) >> 8);
	out[5] = (uint8_t)((seg - 2) & 0xff);
	memcpy(out + 2 + seg, enc + 2, n - 2);
	f->jpeg = out;
	f->jpegn = n + seg;
	for (i = 0; i + sizeof SECRET - 1 <= f->jpegn; i++)
		if (memcmp(f->jpeg + i, SECRET, sizeof SECRET - 1) == 0)
			break;
	assert_true(i + sizeof SECRET - 1 <= f->jpegn);	/* the marker is in the upload */
	free(enc);
	image_free(&im);
}

static int
setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof *f);
	struct signup	 su;
	char		*db;
	bool		 notified;
	int		 i;

	snprintf(f->dir, sizeof f->dir, "/tmp/sshbook-clim-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	db = xasprintf("%s/sshbook.db", f->dir);
	assert_int_equal(store_open(db, &f->st), 0);
	free(db);
	for (i = 0; i < NUSERS; i++) {
		memset(&su, 0, sizeof su);
		su.username = names[i];
		su.display_name = names[i];
		su.key_line = keys[i];
		assert_int_equal(store_user_create(f->st, &su, &f->id[i], NULL, 0), 0);
	}
	assert_int_equal(store_friend_request(f->st, f->id[ALICE], f->id[BOB], &notified, NULL, 0), 0);
	assert_int_equal(store_friend_accept(f->st, f->id[BOB], f->id[ALICE], &notified, NULL, 0), 0);
	make_jpeg(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		*cmd;

	store_close(f->st);
	cmd = xasprintf("rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->jpeg);
	free(f);
	return 0;
}

/* Files in DIR/sub (0 when it does not exist). */
static int
count_files(struct fx *f, const char *sub)
{
	char		*path = xasprintf("%s/%s", f->dir, sub);
	DIR		*d = opendir(path);
	struct dirent	*e;
	int		 n = 0;

	free(path);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Upload bytes as who ("upload ..." line); returns the media id printed first. */
static int64_t
upload(struct fx *f, int who, const char *line, const void *bytes, size_t n)
{
	struct clirun	 r = expect_in(f, who, line, bytes, n, 0);
	char		*end;
	long long	 id = strtoll(r.out, &end, 10);

	assert_true(id > 0);
	assert_int_equal(*end, '\n');
	assert_string_equal(r.err, "");
	clirun_free(&r);
	return id;
}

static bool
file_has(const char *path, const char *needle)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf;
	long	 n;
	bool	 found = false;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	for (long i = 0; i + (long)strlen(needle) <= n && !found; i++)
		found = memcmp(buf + i, needle, strlen(needle)) == 0;
	free(buf);
	return found;
}

static void
test_upload_then_worker(void **state)
{
	struct fx	*f = *state;
	struct media	 m;
	struct image	 im;
	char		*path, line[64];
	uint8_t		*bytes;
	size_t		 n;
	FILE		*fp;
	int64_t		 id;

	id = upload(f, ALICE, "upload", f->jpeg, f->jpegn);
	/* Checked and recorded at once; the stored copy is the worker's job. */
	assert_int_equal(store_media_get(f->st, f->id[ALICE], id, &m), 0);
	assert_int_equal(m.state, MEDIA_PENDING);
	assert_int_equal(m.orig_bytes, (int64_t)f->jpegn);
	media_free(&m);
	assert_int_equal(count_files(f, "spool/1"), 1);
	snprintf(line, sizeof line, "media show %lld --json", (long long)id);
	expect(f, ALICE, line, 0, "\"state\":\"processing\"", NULL);

	assert_int_equal(worker_drain(f->st, f->dir, -1), 1);
	assert_int_equal(store_media_get(f->st, f->id[ALICE], id, &m), 0);
	assert_int_equal(m.state, MEDIA_READY);
	assert_string_equal(m.stored_format, "jpeg");
	/* EXIF orientation 6: the stored copy is upright, so width and height swap. */
	assert_int_equal(m.width, 200);
	assert_int_equal(m.height, 300);
	media_free(&m);
	expect(f, ALICE, line, 0, "\"state\":\"ready\"", NULL);
	assert_int_equal(count_files(f, "spool/1"), 0);	/* the upload (with its EXIF) is gone */

	path = xasprintf("%s/media/%lld.jpg", f->dir, (long long)id);
	assert_false(file_has(path, SECRET));
	assert_false(file_has(path, "Exif"));
	assert_non_null(fp = fopen(path, "rb"));
	bytes = xmalloc(1 << 20);
	n = fread(bytes, 1, 1 << 20, fp);
	fclose(fp);
	assert_int_equal(image_decode(bytes, n, 0, &im, NULL, 0), 0);
	assert_int_equal(im.w, 200);
	image_free(&im);
	free(bytes);
	free(path);
	path = xasprintf("%s/media/%lld.thumb.jpg", f->dir, (long long)id);
	assert_int_equal(access(path, R_OK), 0);
	free(path);
	/* The worker rendered the 80-column feed preview into the cache. */
	expect(f, ALICE, "media", 0, "jpeg 200x300", NULL);
	/* Nothing left to do. */
	assert_int_equal(worker_drain(f->st, f->dir, -1), 0);
}

static void
test_refusals_store_nothing(void **state)
{
	struct fx	*f = *state;
	/* A PNG header claiming 20000 x 20000 pixels (CRCs are not needed to refuse it). */
	static const uint8_t bomb[] = {
		0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0x00, 0x00, 0x4e, 0x20, 0x00, 0x00, 0x4e, 0x20, 8, 6, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 'I', 'D', 'A', 'T', 0, 0, 0, 0,
	};
	struct clirun	 r;
	struct media_list l;

	r = expect_in(f, ALICE, "upload", "just some text\n", 15, 1);
	assert_non_null(strstr(r.err, "upload: not an image or a video"));
	assert_string_equal(r.out, "");
	clirun_free(&r);
	r = expect_in(f, ALICE, "upload avatar", f->jpeg, f->jpegn / 2, 1);
	assert_non_null(strstr(r.err, "truncated or damaged"));
	clirun_free(&r);
	r = expect_in(f, ALICE, "upload", bomb, sizeof bomb, 1);
	assert_non_null(strstr(r.err, "megapixels"));
	clirun_free(&r);
	r = expect_in(f, ALICE, "upload", "", 0, 1);
	assert_non_null(strstr(r.err, "empty"));
	clirun_free(&r);
	r = expect_in(f, ALICE, "upload sideways", f->jpeg, f->jpegn, 1);
	assert_non_null(strstr(r.err, "not one of gallery, avatar, background, post"));
	clirun_free(&r);
	/* The `:` line has no stdin to read a file from. */
	expect(f, ALICE, "upload", 1, NULL, "send the file on stdin");

	assert_int_equal(store_media_gallery(f->st, f->id[ALICE], f->id[ALICE], 0, 100, &l), 0);
	assert_int_equal(l.n, 0);
	media_list_free(&l);
	assert_int_equal(count_files(f, "spool/1"), 0);
	assert_int_equal(count_files(f, "media"), 0);
}

/*
 * A bad word echoed in a refusal is quoted like every other command's: an
 * escape sequence or a broken UTF-8 byte typed as an option of `media` or as
 * the use of `upload` reaches the terminal as plain text (found by the cli
 * fuzz harness: `media --ow\xa02ib` printed the byte as it came).
 */
static void
test_refusals_quote_what_they_echo(void **state)
{
	struct fx	*f = *state;
	struct clirun	 r;

	r = expect_in(f, ALICE, "media --x\x1b[2J\xa0", NULL, 0, 1);
	assert_string_equal(r.err, "media: unknown option '--x\xef\xbf\xbd[2J\xef\xbf\xbd' "
	    "(usage: media [USER] [--json] | media show ID [--json] | media delete ID)\n");
	clirun_free(&r);
	r = expect_in(f, ALICE, "upload \x1b]0;owned\x07", f->jpeg, f->jpegn, 1);
	assert_null(strchr(r.err, '\x1b'));
	assert_non_null(strstr(r.err, "upload: '\xef\xbf\xbd]0;owned\xef\xbf\xbd' is not one of"));
	clirun_free(&r);
	assert_int_equal(count_files(f, "spool/1"), 0);
}

static void
test_upload_post_avatar_background(void **state)
{
	struct fx	*f = *state;
	struct profile	 p = { 0 };
	struct clirun	 r;
	char		 line[128];
	long long	 media, post;

	r = expect_in(f, ALICE, "upload post --visibility friends Look at this", f->jpeg,
	    f->jpegn, 0);
	assert_int_equal(sscanf(r.out, "%lld\npost %lld\n", &media, &post), 2);
	clirun_free(&r);
	snprintf(line, sizeof line, "show %lld --json", post);
	expect(f, BOB, line, 0, "\"text\":\"Look at this\"", NULL);
	expect(f, BOB, line, 0, "\"media\":[{\"id\":", NULL);
	expect(f, BOB, line, 0, "\"visibility\":\"friends\"", NULL);
	expect(f, CAROL, line, 2, NULL, "no post");

	upload(f, ALICE, "upload avatar", f->jpeg, f->jpegn);
	assert_int_equal(store_profile_get(f->st, f->id[CAROL], "alice", &p), 0);
	assert_true(p.avatar_media > 0);
	profile_free(&p);
	snprintf(line, sizeof line, "profile set background %lld", media);
	expect(f, ALICE, line, 0, "background updated", NULL);
	expect(f, ALICE, "profile set avatar none", 0, "avatar removed", NULL);
	expect(f, ALICE, "profile set avatar 99999", 2, NULL, "no media 99999");
	expect(f, ALICE, "profile set avatar cat.jpg", 1, NULL, "is not a media id");
	snprintf(line, sizeof line, "profile set avatar %lld", media);
	expect(f, BOB, line, 3, NULL, "not yours");
	/* A post of a picture alone needs no text. */
	r = expect_in(f, ALICE, "upload post", f->jpeg, f->jpegn, 0);
	assert_non_null(strstr(r.out, "\npost "));
	clirun_free(&r);
}

static void
test_post_media_option(void **state)
{
	struct fx	*f = *state;
	int64_t		 a1, a2, b1;

	a1 = upload(f, ALICE, "upload", f->jpeg, f->jpegn);
	a2 = upload(f, ALICE, "upload", f->jpeg, f->jpegn);
	b1 = upload(f, BOB, "upload", f->jpeg, f->jpegn);
	/* No text with pictures: stdin is not read. */
	expectf(f, ALICE, 0, "\n", NULL, "post --media %lld", (long long)a1);
	expectf(f, ALICE, 0, "\n", NULL, "post --media %lld,%lld two pictures", (long long)a1,
	    (long long)a2);
	/* Options come before the text: later words are text. */
	expectf(f, ALICE, 0, "\n", NULL, "post hello --media %lld", (long long)a1);
	expect(f, ALICE, "feed home", 0, "hello --media", NULL);
	/* Bob's upload is not in any post alice may see: for her it does not exist. */
	expectf(f, ALICE, 2, NULL, "no such media: ", "post --media %lld not mine", (long long)b1);
	expect(f, ALICE, "post --media 1,2,3,4,5 too many", 1, NULL, "1 to 4 media ids");
	expect(f, ALICE, "post --media x", 1, NULL, "media ids");
	expect(f, ALICE, "post --media", 1, NULL, "--media needs media ids");
	expect(f, ALICE, "feed home", 0, "[image #", NULL);
}

static void
test_media_privacy_and_delete(void **state)
{
	struct fx	*f = *state;
	char		 line[128], *path;
	int64_t		 m;

	m = upload(f, ALICE, "upload", f->jpeg, f->jpegn);
	assert_int_equal(worker_drain(f->st, f->dir, -1), 1);
	/* In the gallery only: the owner's alone. */
	snprintf(line, sizeof line, "media show %lld", (long long)m);
	expect(f, ALICE, line, 0, "image", NULL);
	expect(f, BOB, line, 2, NULL, "no media");
	expect(f, BOB, "media alice", 0, "no media", NULL);
	/* On a friends-only post: alice's friends see it, strangers do not. */
	expectf(f, ALICE, 0, "\n", NULL, "post --visibility friends --media %lld", (long long)m);
	expect(f, BOB, line, 0, "image", NULL);
	expect(f, CAROL, line, 2, NULL, "no media");
	expect(f, CAROL, "media alice --json", 0, NULL, NULL);
	{
		struct clirun_as	a = as(f, CAROL);
		struct clirun		r = clirun(&a, "media alice --json", NULL, 0);

		assert_string_equal(r.out, "");
		clirun_free(&r);
	}
	/* Only the owner deletes; the files go with the row. */
	snprintf(line, sizeof line, "media delete %lld", (long long)m);
	expect(f, BOB, line, 3, NULL, "not yours");
	expect(f, CAROL, line, 2, NULL, "no media");
	path = xasprintf("%s/media/%lld.jpg", f->dir, (long long)m);
	assert_int_equal(access(path, F_OK), 0);
	expect(f, ALICE, line, 0, "deleted media", NULL);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
	assert_int_equal(count_files(f, "media"), 0);
	expect(f, ALICE, line, 2, NULL, "no media");
	expect(f, BOB, "feed home", 0, "alice", NULL);	/* the post stays, without it */
}

static void
test_worker_marks_bad_files_failed(void **state)
{
	struct fx	*f = *state;
	struct media	 m;
	char		*path;
	FILE		*fp;
	int64_t		 id;

	id = upload(f, ALICE, "upload", f->jpeg, f->jpegn);
	/* The spooled file is damaged after the check (a disk error, say). */
	path = xasprintf("%s/spool/%lld/%lld.upload", f->dir, (long long)f->id[ALICE],
	    (long long)id);
	assert_non_null(fp = fopen(path, "r+b"));
	fseek(fp, (long)f->jpegn / 3, SEEK_SET);
	for (int i = 0; i < 4000; i++)
		fputc(0, fp);
	fclose(fp);
	assert_int_equal(truncate(path, (off_t)f->jpegn / 2), 0);
	assert_int_equal(worker_drain(f->st, f->dir, -1), 1);
	assert_int_equal(store_media_get(f->st, f->id[ALICE], id, &m), 0);
	assert_int_equal(m.state, MEDIA_FAILED);
	assert_true(m.error[0] != '\0');
	media_free(&m);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
	assert_int_equal(count_files(f, "media"), 0);
	expect(f, ALICE, "media", 0, "failed", NULL);
}

static void
test_upload_flood_refused_before_decoding(void **state)
{
	struct fx	*f = *state;
	struct clirun	 r;
	int		 i;

	for (i = 0; i < MEDIA_UPLOADS_PER_WINDOW; i++)
		(void)upload(f, BOB, "upload", f->jpeg, f->jpegn);
	r = expect_in(f, BOB, "upload", f->jpeg, f->jpegn, 1);
	assert_non_null(strstr(r.err, "upload: too many uploads: at most 30 in 10 minutes"));
	assert_string_equal(r.out, "");
	clirun_free(&r);
	assert_int_equal(count_files(f, "spool/2"), MEDIA_UPLOADS_PER_WINDOW);	/* no 31st */
	/* Others are not held back. */
	(void)upload(f, ALICE, "upload", f->jpeg, f->jpegn);
}

static void
test_account_deletion_removes_files(void **state)
{
	struct fx		*f = *state;
	struct media_files	 files;
	char			*spool;

	(void)upload(f, ALICE, "upload", f->jpeg, f->jpegn);
	assert_int_equal(worker_drain(f->st, f->dir, -1), 1);
	(void)upload(f, ALICE, "upload avatar", f->jpeg, f->jpegn);	/* still in the spool */
	(void)upload(f, BOB, "upload", f->jpeg, f->jpegn);
	assert_int_equal(count_files(f, "media"), 2);	/* alice's stored copy and preview */
	assert_int_equal(media_files_collect(f->st, f->id[ALICE], &files), 0);
	assert_int_equal(files.n, 2);
	assert_int_equal(store_user_delete(f->st, f->id[ALICE]), 0);
	media_files_remove(f->dir, f->id[ALICE], &files);
	assert_int_equal(count_files(f, "media"), 0);
	spool = xasprintf("%s/spool/%lld", f->dir, (long long)f->id[ALICE]);
	assert_int_equal(access(spool, F_OK), -1);
	free(spool);
	assert_int_equal(count_files(f, "spool/2"), 1);	/* bob's upload stays */
}

/* An empty file at path, last changed age seconds ago. */
static void
touch_aged(const char *path, int age)
{
	struct timespec	times[2];
	FILE		*fp;

	assert_non_null(fp = fopen(path, "w"));
	fclose(fp);
	clock_gettime(CLOCK_REALTIME, &times[0]);
	times[0].tv_sec -= age;
	times[1] = times[0];
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

/* Open path and hold an exclusive lock on it, as a process receiving it does; the fd. */
static int
hold(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	return fd;
}

static void
test_sweep_removes_abandoned_uploads(void **state)
{
	struct fx	*f = *state;
	char		*spool = xasprintf("%s/spool", f->dir), *dir = xasprintf("%s/7", spool);
	char		*dead = xasprintf("%s/incoming-aaaaaa", dir);
	char		*live = xasprintf("%s/incoming-bbbbbb", dir);
	char		*stuck = xasprintf("%s/incoming-cccccc", dir);
	char		*job = xasprintf("%s/12.upload", dir);
	int		 fd_live, fd_stuck;

	assert_int_equal(mkdir(spool, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	/*
	 * A transfer killed a moment ago (nobody holds its file), one still
	 * sending, one whose process is alive but sent nothing for two hours,
	 * and a job's upload as old.
	 */
	touch_aged(dead, 0);
	touch_aged(live, 0);
	touch_aged(stuck, 7200);
	touch_aged(job, 7200);
	fd_live = hold(live);
	fd_stuck = hold(stuck);
	assert_int_equal(worker_sweep_spool(f->dir, (int64_t)time(NULL), 3600), 2);
	assert_int_equal(access(dead, F_OK), -1);
	assert_int_equal(access(stuck, F_OK), -1);
	assert_true(spool_file_gone(fd_stuck));	/* its next write is refused (upload_may_grow) */
	assert_int_equal(access(live, F_OK), 0);
	assert_false(spool_file_gone(fd_live));
	assert_int_equal(access(job, F_OK), 0);	/* a job's upload is the worker's, not the sweep's */
	/* Once its process is gone, the live one goes too, at once. */
	close(fd_live);
	assert_int_equal(spool_sweep_user(f->dir, 7, (int64_t)time(NULL), 3600), 1);
	assert_int_equal(access(live, F_OK), -1);
	close(fd_stuck);
	free(dead);
	free(live);
	free(stuck);
	free(job);
	free(dir);
	free(spool);
}

/*
 * "<id>.upload" files nobody waits for: an importer killed between moving
 * its file and its commit (no item), a worker killed between marking the
 * item ready and removing it, and another owner's item id. They go; a
 * pending item's file and one its importer still holds stay.
 */
static void
test_sweep_removes_uploads_no_item_waits_for(void **state)
{
	struct fx	*f = *state;
	int64_t		 a = f->id[ALICE], pending = 0, ready = 0, bobs = 0;
	char		*dir = xasprintf("%s/spool/%lld", f->dir, (long long)a);
	char		*spool = xasprintf("%s/spool", f->dir);
	char		*p_pending, *p_ready, *p_none, *p_held, *p_bobs, *p_other;
	int		 fd;

	assert_int_equal(store_media_add(f->st, a, MEDIA_IMAGE, "jpeg", 300, 200, 0, 1000,
	    &pending), 0);
	assert_int_equal(store_media_add(f->st, a, MEDIA_IMAGE, "jpeg", 300, 200, 0, 1000,
	    &ready), 0);
	assert_int_equal(store_media_ready(f->st, ready, "jpeg", 300, 200, 900, 0), 0);
	assert_int_equal(store_media_add(f->st, f->id[BOB], MEDIA_IMAGE, "jpeg", 300, 200, 0,
	    1000, &bobs), 0);
	p_pending = xasprintf("%s/%lld.upload", dir, (long long)pending);
	p_ready = xasprintf("%s/%lld.upload", dir, (long long)ready);
	p_none = xasprintf("%s/%lld.upload", dir, (long long)(bobs + 100));
	p_held = xasprintf("%s/%lld.upload", dir, (long long)(bobs + 101));
	p_bobs = xasprintf("%s/%lld.upload", dir, (long long)bobs);
	p_other = xasprintf("%s/notes.txt", dir);
	assert_int_equal(mkdir(spool, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	touch_aged(p_pending, 0);
	touch_aged(p_ready, 0);
	touch_aged(p_none, 0);
	touch_aged(p_held, 0);
	touch_aged(p_bobs, 0);
	touch_aged(p_other, 0);
	fd = hold(p_held);

	assert_int_equal(worker_sweep_uploads(f->st, f->dir, 0), 3);
	assert_int_equal(access(p_pending, F_OK), 0);
	assert_int_equal(access(p_ready, F_OK), -1);
	assert_int_equal(access(p_none, F_OK), -1);
	assert_int_equal(access(p_bobs, F_OK), -1);
	assert_int_equal(access(p_held, F_OK), 0);
	assert_int_equal(access(p_other, F_OK), 0);	/* not an upload's name */
	/* its importer gone without a commit: it goes at the owner's next sweep */
	close(fd);
	assert_int_equal(worker_sweep_uploads(f->st, f->dir, a), 1);
	assert_int_equal(access(p_held, F_OK), -1);
	assert_int_equal(access(p_pending, F_OK), 0);
	free(p_pending);
	free(p_ready);
	free(p_none);
	free(p_held);
	free(p_bobs);
	free(p_other);
	free(dir);
	free(spool);
}

/* spool_create's file is held from the start, and spool_usage counts both kinds of file. */
static void
test_spool_create_and_usage(void **state)
{
	struct fx		*f = *state;
	struct spool_usage	 u;
	char			*path, *job;
	int			 fd;

	assert_int_equal(spool_create(f->dir, 9, &fd, &path), 0);
	assert_non_null(strstr(path, "/spool/9/incoming-"));
	assert_int_equal(pwrite(fd, "12345", 5, 0), 5);
	job = xasprintf("%s/spool/9/3.upload", f->dir);
	touch_aged(job, 0);
	assert_int_equal(truncate(job, 1000), 0);
	spool_usage(f->dir, 9, -1, &u);
	assert_int_equal(u.bytes, 1005);
	assert_int_equal(u.incoming, 1);
	spool_usage(f->dir, 9, fd, &u);	/* its own file left out */
	assert_int_equal(u.bytes, 1000);
	assert_int_equal(u.incoming, 0);
	assert_int_equal(spool_sweep(f->dir, (int64_t)time(NULL), 3600), 0);	/* held */
	assert_int_equal(access(path, F_OK), 0);
	close(fd);
	assert_int_equal(spool_sweep(f->dir, (int64_t)time(NULL), 3600), 1);
	assert_int_equal(access(path, F_OK), -1);
	spool_usage(f->dir, 10, -1, &u);	/* no spool yet: empty */
	assert_int_equal(u.bytes, 0);
	free(path);
	free(job);
}

/*
 * The spool cap holds while the data arrives: with a cap of 1 MiB, 3 MiB on
 * stdin is refused after the first MiB, and nothing stays in the spool. A
 * transfer of hers that was killed does not count against her.
 */
static void
test_spool_cap_refuses_while_arriving(void **state)
{
	struct fx	*f = *state;
	struct clirun	 r;
	size_t		 n = 3 * 1024 * 1024;
	uint8_t		*zeros = xcalloc(n, 1);
	char		*dead;

	setenv("SSHBOOK_UPLOAD_SPOOL_MIB", "1", 1);
	r = expect_in(f, ALICE, "upload", zeros, n, 1);
	assert_string_equal(r.err, "upload: not enough room: your uploads in progress would "
	    "exceed 1 MiB; wait until they are processed\n");
	clirun_free(&r);
	assert_int_equal(count_files(f, "spool/1"), 0);
	/* A killed transfer's leftover, nobody's now, of 5 MiB: swept at the start, not counted. */
	dead = xasprintf("%s/spool/1/incoming-zzzzzz", f->dir);
	touch_aged(dead, 0);
	assert_int_equal(truncate(dead, 5 * 1024 * 1024), 0);
	(void)upload(f, ALICE, "upload", f->jpeg, f->jpegn);
	assert_int_equal(access(dead, F_OK), -1);
	unsetenv("SSHBOOK_UPLOAD_SPOOL_MIB");
	free(dead);
	free(zeros);
}

/* Past 10 MiB only a video may go on: 11 MiB of something else is refused as it arrives. */
static void
test_image_cap_while_arriving(void **state)
{
	struct fx	*f = *state;
	struct clirun	 r;
	size_t		 n = 11 * 1024 * 1024;
	uint8_t		*big = xcalloc(n, 1);

	memcpy(big, f->jpeg, f->jpegn < n ? f->jpegn : n);
	r = expect_in(f, ALICE, "upload", big, n, 1);
	assert_non_null(strstr(r.err, "upload: file too large: more than 10 MiB, the limit for "
	    "images"));
	clirun_free(&r);
	assert_int_equal(count_files(f, "spool/1"), 0);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_upload_then_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_store_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_quote_what_they_echo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upload_post_avatar_background, setup, teardown),
		cmocka_unit_test_setup_teardown(test_post_media_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_media_privacy_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_marks_bad_files_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_removes_abandoned_uploads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_removes_uploads_no_item_waits_for, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_spool_create_and_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spool_cap_refuses_while_arriving, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_image_cap_while_arriving, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upload_flood_refused_before_decoding, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_account_deletion_removes_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
