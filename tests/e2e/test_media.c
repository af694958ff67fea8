/*
 * End to end: media (issue 6). Uploads through OpenSSH's real `scp` and
 * `sftp` (the upload-only SFTP subsystem) and through exec `upload`, the
 * checks that refuse bad files before anything is stored, the background
 * worker that re-encodes (EXIF and GPS gone, longest side at most 2048)
 * and renders previews, and the pictures people see: an avatar on a
 * profile, a picture under a friend's post on Home, the full-screen viewer
 * (also after a resize), the gallery (`M`), the composer's Ctrl-G, a video's
 * length, and privacy. The worker is killed with SIGKILL (sshbookd must
 * start it again) and its jobs must survive a restart of the server.
 *
 * Fixtures (tests/e2e/fixtures.h) are made at run time. Pictures are found
 * on the emulated screen by their colours: libcaca cells carry a foreground
 * AND a background colour, while text and identicons leave the background
 * alone, so cells with a non-default background in a box prove a picture.
 *
 * Screen layout at 80x24 (tui/postview.c, tui/screen_profile.c): a post's
 * text starts at column 8 (bar, space, 5-column avatar, space) and its
 * pictures come in a strip under the text, at most 12 rows tall; a
 * profile's avatar box is 10x5 at column 2, its top row the display name's.
 */
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "tests/e2e/fixtures.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

#define TXT_PROCESSING	"processing, then in your gallery"
#define TXT_NOT_IMAGE	"not an image or a video"
#define TXT_DAMAGED	"the image is truncated or damaged"
#define TXT_BOMB	"image too large: 20000x20000 is 400 megapixels; the limit is 40"
#define TXT_TOO_LARGE	"file too large"
#define TXT_GALLERY_OF	"Media of "
#define TXT_PICK	"Pick pictures for your post:"
#define TXT_NO_PICS	"No pictures: Ctrl-G attaches some from your gallery."
#define AV_COL		2	/* the profile's avatar box: column ... */
#define AV_W		10	/* ... width and height */
#define AV_H		5
#define AV_MIN_BG	35	/* of its 50 cells, with a picture in it */
#define POST_X		8	/* where a post's text (and its pictures) start in a feed */

/* A second server of jobs_survive_restart, stopped here when the test failed half-way. */
static struct server *second_srv;

static int
media_teardown(void **state)
{
	int r = 0;

	exec_result_free(&last);
	if (second_srv != NULL) {
		r = server_stop(second_srv);
		second_srv = NULL;
	}
	return e2e_teardown(state) != 0 ? -1 : r;
}

static int
media_group_teardown(void **state)
{
	fixtures_cleanup();
	return e2e_group_teardown(state);
}

/* The last command failed with exactly one stderr line starting with prefix and no stdout. */
static bool
last_refused(const char *prefix)
{
	size_t n = strlen(last.err);

	if (last.outlen == 0 && count_lines(last.err) == 1 && n > 0 && last.err[n - 1] == '\n' &&
	    strncmp(last.err, prefix, strlen(prefix)) == 0)
		return true;
	fprintf(stderr, "test: expected one stderr line starting '%s' and no stdout; stdout '%s' "
	    "stderr '%s'\n", prefix, last.out, last.err);
	return false;
}

/* Upload fixture f as p with `upload ARGS`: the media id (and *postp), or -1. */
static long long
upload_as(struct person *p, const char *args, enum fixture f, long long *postp)
{
	size_t		 n;
	uint8_t		*data = fixture_load(f, &n);
	long long	 id;

	if (data == NULL)
		return -1;
	id = exec_upload(e2e_srv, p->name, &p->cred, args, data, n, postp);
	free(data);
	return id;
}

/* Wait until media id of p is ready; true when it is. */
static bool
wait_ready(struct person *p, long long id)
{
	struct json_object *o = media_wait_state(e2e_srv, p->name, &p->cred, id, "ready", 0);

	if (o == NULL)
		return false;
	json_object_put(o);
	return true;
}

/*
 * Wait until the rows under the first row holding text (rows of them, from
 * column col to the right edge) hold at least min cells with a background
 * colour: a picture under a post's text.
 */
static bool
wait_picture_below(struct term *t, const char *text, int rows, int col, int min)
{
	long long	deadline = harness_now_ms() + harness_timeout_ms();
	int		cols;

	vt_size(t->vt, &cols, NULL);
	for (;;) {
		int y = term_find(t, text);

		if (y >= 0 && vt_count_bg(t->vt, y + 1, col, rows, cols - col) >= min)
			return true;
		if (harness_now_ms() >= deadline)
			return screen_fail(t, "no picture (%d coloured cells) under '%s'", min, text);
		term_pump(t, 50);
	}
}

/*
 * On a profile: wait until the avatar box (10x5 at column 2, its top row the
 * display name's) has at least min cells with a background colour (min 0:
 * none at all, the identicon).
 */
static bool
wait_avatar_box(struct term *t, const char *display, int min)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	for (;;) {
		int y = term_find(t, display), n = -1;

		if (y >= 0) {
			n = vt_count_bg(t->vt, y, AV_COL, AV_H, AV_W);
			if (min > 0 ? n >= min : n == 0)
				return true;
		}
		if (harness_now_ms() >= deadline)
			return screen_fail(t, "the avatar box beside '%s' has %d coloured cells, "
			    "want %s%d", display, n, min > 0 ? "at least " : "", min);
		term_pump(t, 50);
	}
}

/* The number of different background colours in the avatar box beside display. */
static int
avatar_box_colors(struct term *t, const char *display)
{
	int y = term_find(t, display);

	return y < 0 ? 0 : vt_count_bg_colors(t->vt, y, AV_COL, AV_H, AV_W);
}

/*
 * A friend's new post on Home: shown at once on an empty feed, or offered as
 * "N new: press R to show it" above what is there; R in that case. Waits
 * until text is on the screen.
 */
static bool
show_new_post(struct term *t, const char *text)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	while (!term_has_text(t, text)) {
		if (term_has_text(t, "new: press R to show")) {
			term_send(t, "R");
			return term_wait_text(t, text, 0);
		}
		if (harness_now_ms() >= deadline)
			return screen_fail(t, "the new post '%s' did not show", text);
		term_pump(t, 50);
	}
	return true;
}

/* The media ids of post `post` as viewer sees it (`show --json`) into ids; how many, or -1. */
static int
post_media_ids(struct person *viewer, long long post, long long *ids, int max)
{
	struct json_object	*o, *arr;
	int			 n = 0;

	if (!run_as(viewer, 0, "show %lld --json", post))
		return -1;
	if ((o = json_tokener_parse(last.out)) == NULL ||
	    !json_object_object_get_ex(o, "media", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		fprintf(stderr, "test: show %lld --json: no media array in '%s'\n", post, last.out);
		if (o != NULL)
			json_object_put(o);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(arr) && n < max; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		/* an element is a media object, or its id */
		ids[n++] = json_object_is_type(e, json_type_int) ?
		    (long long)json_object_get_int64(e) : json_int(e, "id");
	}
	json_object_put(o);
	return n;
}

/* The stored copy of id: its bytes (caller frees) and size, or NULL (printed). */
static uint8_t *
stored_copy(long long id, size_t *lenp, char **pathp)
{
	char	*path = media_stored_path(e2e_srv, id);
	uint8_t	*p;

	*lenp = 0;
	if (pathp != NULL)
		*pathp = NULL;
	if (path == NULL) {
		fprintf(stderr, "test: no stored copy of media %lld in %s/media\n", id,
		    e2e_srv->data_dir);
		return NULL;
	}
	p = fixture_read_file(path, lenp);
	if (pathp != NULL)
		*pathp = path;
	else
		free(path);
	return p;
}

/* DATA_DIR/media/<id>.thumb.jpg; caller frees. */
static char *
thumb_path(long long id)
{
	char *p;

	if (asprintf(&p, "%s/media/%lld.thumb.jpg", e2e_srv->data_dir, id) < 0)
		abort();
	return p;
}

/* Whether path exists. */
static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* ---- uploads ------------------------------------------------------------------ */

/*
 * scp of a 3000x2000 camera JPEG whose EXIF says "turn 90 degrees" and
 * carries a GPS position: scp exits 0 and the server's line names the media
 * id; the item goes from processing to ready; the stored copy is upright
 * (1365x2048: the longest side capped at 2048), has no APP1 segment, no
 * "Exif" and none of the GPS bytes, and is smaller than the upload; the
 * preview source is at most 640 px; the spool is empty again; the gallery
 * lists it.
 */
static void
scp_upload_becomes_ready_without_metadata(void **state)
{
	struct person		 a;
	struct exec_result	 r;
	struct json_object	*o;
	const char		*cat = fixture_path(FX_PHOTO_EXIF);
	uint8_t			*stored, *orig;
	size_t			 slen, olen;
	char			*path, *tp, want[128];
	long long		 id, ids[8];
	int			 w, h;
	bool			 app1;

	(void)state;
	assert_non_null(cat);
	assert_true(person_new_offline(&a, "scpa", "Scp Alice"));
	assert_int_equal(scp_put(e2e_srv, a.name, a.key, cat, NULL, &r), 0);
	if (r.status != 0)
		fprintf(stderr, "test: scp exited %d: %s\n", r.status, r.err);
	assert_int_equal(r.status, 0);
	id = scp_media_id(r.err, "cat.jpg");
	if (id <= 0)
		fprintf(stderr, "test: no 'cat.jpg: media N' in scp's stderr '%s'\n", r.err);
	assert_true(id > 0);
	snprintf(want, sizeof want, "cat.jpg: media %lld (jpeg ", id);
	assert_non_null(strstr(r.err, want));
	assert_non_null(strstr(r.err, TXT_PROCESSING));
	exec_result_free(&r);

	assert_non_null(o = media_wait_state(e2e_srv, a.name, &a.cred, id, "ready", 0));
	assert_string_equal(json_str(o, "owner"), a.name);
	assert_string_equal(json_str(o, "kind"), "image");
	assert_string_equal(json_str(o, "format"), "jpeg");
	assert_string_equal(json_str(o, "stored_format"), "jpeg");
	/* upright: 2000x3000, then the longest side capped */
	assert_int_equal(json_int(o, "height"), 2048);
	assert_in_range(json_int(o, "width"), 1365, 1366);
	orig = fixture_load(FX_PHOTO_EXIF, &olen);
	assert_non_null(orig);
	assert_int_equal(json_int(o, "bytes"), (long long)olen);
	/* the fixture does carry what must go */
	assert_non_null(memmem(orig, olen, "Exif", 4));
	assert_non_null(memmem(orig, olen, FX_GPS_MARK, strlen(FX_GPS_MARK)));
	free(orig);

	assert_non_null(stored = stored_copy(id, &slen, &path));
	assert_non_null(strstr(path, ".jpg"));
	assert_int_equal(json_int(o, "stored_bytes"), (long long)slen);
	assert_true((size_t)json_int(o, "stored_bytes") < olen);
	assert_true(jpeg_header_info(stored, slen, &w, &h, &app1));
	assert_false(app1);
	assert_int_equal(w, json_int(o, "width"));
	assert_int_equal(h, json_int(o, "height"));
	assert_null(memmem(stored, slen, "Exif", 4));
	assert_null(memmem(stored, slen, FX_GPS_MARK, strlen(FX_GPS_MARK)));
	assert_null(memmem(stored, slen, "51.5N", 5));
	free(stored);
	free(path);
	json_object_put(o);

	/* the preview source */
	tp = thumb_path(id);
	assert_non_null(stored = fixture_read_file(tp, &slen));
	assert_true(jpeg_header_info(stored, slen, &w, &h, &app1));
	assert_true(w <= 640 && h <= 640 && (w == 640 || h == 640));
	assert_true(h > w);
	assert_null(memmem(stored, slen, "Exif", 4));
	free(stored);
	free(tp);

	assert_int_equal(spool_files(e2e_srv), 0);
	assert_int_equal(media_ids(e2e_srv, a.name, &a.cred, NULL, ids, 8), 1);
	assert_int_equal(ids[0], id);
	/* the text listing */
	assert_true(run_as(&a, 0, "media"));
	snprintf(want, sizeof want, "%lld", id);
	assert_true(strncmp(last.out, want, strlen(want)) == 0);
	assert_non_null(strstr(last.out, "image"));
	assert_non_null(strstr(last.out, "x2048"));
}

/*
 * exec `upload` refuses, before anything is stored, with one clear line and
 * exit 1: a truncated JPEG, a text file, a PNG whose header says 20000x20000,
 * an 11 MiB JPEG and 60 MiB of anything; also as an avatar and as a post
 * (no post is made). Afterwards the gallery is empty, the spool holds no
 * file and no file was added to the media dir.
 */
static void
exec_upload_refusals_store_nothing(void **state)
{
	static const struct {
		enum fixture	 f;
		const char	*args;
		const char	*why;
	} cases[] = {
		{ FX_TRUNCATED, "", "upload: " TXT_DAMAGED },
		{ FX_TEXT, "", "upload: " TXT_NOT_IMAGE },
		{ FX_BOMB, "", "upload: " TXT_BOMB },
		{ FX_BIG_JPEG, "", "upload: " TXT_TOO_LARGE },
		{ FX_HUGE, "", "upload: " TXT_TOO_LARGE },
		{ FX_TEXT, "avatar", "upload: " TXT_NOT_IMAGE },
		{ FX_BOMB, "background", "upload: " TXT_BOMB },
		{ FX_TRUNCATED, "post Look at this", "upload: " TXT_DAMAGED },
	};
	struct person	 a;
	long long	 ids[4];
	int		 before = media_files(e2e_srv);

	(void)state;
	assert_true(person_new_offline(&a, "refa", "Refused Alice"));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t	 n;
		uint8_t	*data = fixture_load(cases[i].f, &n);
		char	 cmd[128];

		assert_non_null(data);
		snprintf(cmd, sizeof cmd, "upload%s%s", cases[i].args[0] ? " " : "", cases[i].args);
		assert_true(run_stdin(&a, 1, cmd, data, n));
		free(data);
		assert_true(last_refused(cases[i].why));
		assert_int_equal(spool_files(e2e_srv), 0);
	}
	/* nothing on stdin */
	assert_true(run_stdin(&a, 1, "upload", NULL, 0));
	assert_true(last_refused("upload: the file is empty"));
	assert_int_equal(media_ids(e2e_srv, a.name, &a.cred, NULL, ids, 4), 0);
	assert_int_equal(exec_feed_ids(e2e_srv, a.name, &a.cred, "home", ids, 4), 0);
	assert_true(run_as(&a, 0, "media %s --json", a.name));
	assert_int_equal(last.outlen, 0);
	assert_int_equal(spool_files(e2e_srv), 0);
	assert_int_equal(media_files(e2e_srv), before);
}

/*
 * scp of bad files: scp exits non-zero and prints the refusal line the
 * server wrote ("NAME: refused: why"), whatever the file is called (a text
 * file sent as notes.jpg is still no picture). In one scp of a good and a
 * bad file the good one is stored. Nothing of the bad ones stays.
 */
static void
scp_refusals_exit_nonzero(void **state)
{
	static const struct {
		enum fixture	 f;
		const char	*remote;
		const char	*line;
	} cases[] = {
		{ FX_TEXT, "notes.jpg", "notes.jpg: refused: " TXT_NOT_IMAGE },
		{ FX_TRUNCATED, NULL, "truncated.jpg: refused: " TXT_DAMAGED },
		{ FX_BOMB, NULL, "bomb.png: refused: " TXT_BOMB },
		{ FX_HUGE, NULL, "huge.jpg: " },
	};
	struct person		 a;
	struct exec_result	 r;
	char			 dest[128];
	const char		*args[5];
	long long		 ids[4], id;
	int			 before = media_files(e2e_srv);

	(void)state;
	assert_true(person_new_offline(&a, "scpr", "Scp Refused"));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = fixture_path(cases[i].f);

		assert_non_null(path);
		assert_int_equal(scp_put(e2e_srv, a.name, a.key, path, cases[i].remote, &r), 0);
		if (r.status == 0 || strstr(r.err, cases[i].line) == NULL)
			fprintf(stderr, "test: scp %s: exit %d, stderr '%s'; want non-zero and '%s'\n",
			    path, r.status, r.err, cases[i].line);
		assert_int_not_equal(r.status, 0);
		assert_non_null(strstr(r.err, cases[i].line));
		if (cases[i].f == FX_HUGE)
			assert_non_null(strstr(r.err, TXT_TOO_LARGE));
		assert_int_equal(scp_media_id(r.err, cases[i].remote ? cases[i].remote :
		    fixture_name(cases[i].f)), -1);
		exec_result_free(&r);
		assert_int_equal(spool_files(e2e_srv), 0);
	}
	assert_int_equal(media_ids(e2e_srv, a.name, &a.cred, NULL, ids, 4), 0);
	assert_int_equal(media_files(e2e_srv), before);

	/* one good, one bad, in one scp */
	snprintf(dest, sizeof dest, "%s@127.0.0.1:", a.name);
	args[0] = "-q";
	args[1] = fixture_path(FX_TEXT);
	args[2] = fixture_path(FX_PHOTO);
	args[3] = dest;
	args[4] = NULL;
	assert_int_equal(run_openssh(e2e_srv, "scp", a.key, args, NULL, 0, 0, &r), 0);
	assert_int_not_equal(r.status, 0);
	assert_non_null(strstr(r.err, "notes.txt: refused: " TXT_NOT_IMAGE));
	id = scp_media_id(r.err, "photo.jpg");
	if (id <= 0)
		fprintf(stderr, "test: scp of two files: stderr '%s'\n", r.err);
	exec_result_free(&r);
	assert_true(id > 0);
	assert_true(wait_ready(&a, id));
	assert_int_equal(media_ids(e2e_srv, a.name, &a.cred, NULL, ids, 4), 1);
	assert_int_equal(ids[0], id);
	assert_int_equal(spool_files(e2e_srv), 0);
}

/*
 * `sftp -b`: put a PNG and a JPEG, ls (an empty directory: uploads become
 * media, not files), all exit 0 with the server's lines on stderr. The PNG
 * graphic (flat colours, transparency) is stored as PNG at its size. Reading
 * a file back fails the batch.
 */
static void
sftp_put_and_ls(void **state)
{
	struct person		 a;
	struct exec_result	 r;
	char			 batch[2048];
	long long		 png, jpg, ids[4];
	uint8_t			*stored;
	size_t			 n;
	int			 w, h;

	(void)state;
	assert_true(person_new_offline(&a, "sftpa", "Sftp Alice"));
	snprintf(batch, sizeof batch, "put %s\nput %s\nls\nls -l\n", fixture_path(FX_PNG),
	    fixture_path(FX_PHOTO));
	assert_int_equal(sftp_batch(e2e_srv, a.name, a.key, batch, &r), 0);
	if (r.status != 0)
		fprintf(stderr, "test: sftp -b exited %d: stdout '%s' stderr '%s'\n", r.status, r.out,
		    r.err);
	assert_int_equal(r.status, 0);
	png = scp_media_id(r.err, "graphic.png");
	jpg = scp_media_id(r.err, "photo.jpg");
	if (png <= 0 || jpg <= 0)
		fprintf(stderr, "test: sftp's stderr '%s'\n", r.err);
	assert_true(png > 0 && jpg > 0 && png != jpg);
	assert_non_null(strstr(r.err, "graphic.png: media"));
	assert_non_null(strstr(r.err, "(png 320x200; " TXT_PROCESSING ")"));
	assert_non_null(strstr(r.err, "(jpeg 800x600; " TXT_PROCESSING ")"));
	exec_result_free(&r);
	assert_true(wait_ready(&a, png));
	assert_true(wait_ready(&a, jpg));
	assert_int_equal(media_ids(e2e_srv, a.name, &a.cred, NULL, ids, 4), 2);
	assert_true(has_id(ids, 2, png) && has_id(ids, 2, jpg));

	assert_true(run_as(&a, 0, "media show %lld --json", png));
	assert_non_null(strstr(last.out, "\"stored_format\":\"png\""));
	assert_non_null(stored = stored_copy(png, &n, NULL));
	assert_true(png_header_info(stored, n, &w, &h));
	assert_int_equal(w, 320);
	assert_int_equal(h, 200);
	free(stored);

	/* upload-only: a get fails, and so does the batch */
	snprintf(batch, sizeof batch, "get photo.jpg %s/back.jpg\n", e2e_srv->tmp);
	assert_int_equal(sftp_batch(e2e_srv, a.name, a.key, batch, &r), 0);
	assert_int_not_equal(r.status, 0);
	exec_result_free(&r);
	snprintf(batch, sizeof batch, "%s/back.jpg", e2e_srv->tmp);
	assert_false(exists(batch));
	assert_int_equal(spool_files(e2e_srv), 0);
}

/* ---- what people see ---------------------------------------------------------------- */

/*
 * bob looks at alice's profile: the identicon, no background colours in the
 * avatar box. alice runs `upload avatar`: without a key pressed, bob's box
 * fills with a picture (many coloured cells, several colours). alice's own
 * profile (tab 8) shows it too; `media show --json` says avatar.
 */
static void
avatar_shows_on_profile_live(void **state)
{
	struct person		 a, b;
	struct json_object	*o;
	long long		 id;

	(void)state;
	assert_true(person_new(&a, "ava", "Avatar Alice"));
	assert_true(person_new(&b, "avb", "Avatar Bob"));
	assert_true(term_open_profile(b.t, a.name, a.display));
	term_wait_quiet(b.t, 150, 0);
	assert_true(wait_avatar_box(b.t, a.display, 0));

	assert_true((id = upload_as(&a, "avatar", FX_PHOTO, NULL)) > 0);
	assert_true(wait_avatar_box(b.t, a.display, AV_MIN_BG));
	assert_true(avatar_box_colors(b.t, a.display) >= 3);
	assert_true(term_has_text(b.t, "Joined"));

	term_send(a.t, "8");
	assert_true(term_wait_text(a.t, "this is you", 0));
	assert_true(wait_avatar_box(a.t, a.display, AV_MIN_BG));
	assert_non_null(o = media_wait_state(e2e_srv, a.name, &a.cred, id, "ready", 0));
	assert_true(json_object_get_boolean(json_object_object_get(o, "avatar")));
	json_object_put(o);
	/* bob may see the avatar (it is on a public profile) */
	assert_true(run_as(&b, 0, "media show %lld --json", id));
}

/* Wait until the row holding text is row y (the profile header moved under a banner, or back). */
static bool
wait_text_at_row(struct term *t, const char *text, int y)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	for (;;) {
		if (term_find(t, text) == y)
			return true;
		if (harness_now_ms() >= deadline)
			return screen_fail(t, "'%s' is not on row %d", text, y);
		term_pump(t, 50);
	}
}

/*
 * The background: carol (a stranger) looks at alice's public profile; after
 * `upload background` a 3-row banner in colour appears under the tab bar,
 * live, and the header moves down under it. A second session of carol on a
 * terminal without colours (TERM=vt100) sees the banner too, drawn in ASCII
 * with no colour at all. When alice makes her profile friends-only, the
 * background goes for carol (only name and avatar are hers to see).
 */
static void
background_banner_live_mono_and_private(void **state)
{
	struct person	 a, c;
	struct term	*mono;
	char		 row[512];
	long long	 id;

	(void)state;
	assert_true(person_new_offline(&a, "bga", "Banner Alice"));
	assert_true(person_new(&c, "bgc", "Banner Carol"));
	assert_true(term_open_profile(c.t, a.name, a.display));
	assert_true(wait_text_at_row(c.t, a.display, 2));
	assert_int_equal(term_count_bg(c.t, 1, 2, 3, TERM_COLS - 4), 0);

	assert_true((id = upload_as(&a, "background", FX_PHOTO, NULL)) > 0);
	assert_true(term_wait_bg(c.t, 1, 2, 3, TERM_COLS - 4, 100, 0));
	assert_true(wait_text_at_row(c.t, a.display, 5));

	assert_non_null(mono = term_open_type(e2e_srv, c.name, &c.cred, "vt100", TERM_COLS,
	    TERM_ROWS));
	assert_true(term_wait_text(mono, TXT_HOME, 0));
	assert_true(term_open_profile(mono, a.name, a.display));
	assert_true(wait_text_at_row(mono, a.display, 5));
	assert_int_equal(term_count_bg(mono, 0, 0, TERM_ROWS, TERM_COLS), 0);
	for (int y = 1; y <= 3; y++) {
		term_row(mono, y, row, sizeof row);
		for (const char *p = row; *p; p++)
			assert_true((unsigned char)*p < 0x80);	/* ASCII only */
	}
	term_row(mono, 2, row, sizeof row);
	assert_true(strspn(row, " ") < strlen(row));	/* not blank: the picture is there */
	term_close(mono);

	assert_true(run_as(&a, 0, "profile set privacy friends"));
	assert_true(term_wait_text(c.t, "Only their name and avatar are visible to you.", 0));
	assert_true(term_wait_bg(c.t, 1, 2, 3, TERM_COLS - 4, 0, 0));
	assert_true(wait_text_at_row(c.t, a.display, 2));
	assert_true(run_as(&c, 2, "media show %lld", id));
}

/*
 * alice and bob are friends; bob sits on Home. alice runs `upload post TEXT`
 * with a photo: it prints the media id and "post N"; bob's Home shows the
 * text (or offers it, "1 new", and R shows it), and under it a picture appears (after
 * "processing…" while the worker works). The post's JSON lists the media.
 */
static void
friend_post_picture_in_home(void **state)
{
	struct person	 a, b;
	long long	 id, post = 0, mids[4];

	(void)state;
	assert_true(person_new(&a, "fpa", "Feed Alice"));
	assert_true(person_new(&b, "fpb", "Feed Bob"));
	assert_true(make_friends(&a, &b));
	term_wait_quiet(b.t, 150, 0);

	assert_true((id = upload_as(&a, "post Sunset over the hills", FX_PHOTO, &post)) > 0);
	assert_true(post > 0);
	assert_true(show_new_post(b.t, "Sunset over the hills"));
	assert_true(wait_picture_below(b.t, "Sunset over the hills", 12, POST_X, 150));
	assert_int_equal(post_media_ids(&b, post, mids, 4), 1);
	assert_int_equal(mids[0], id);
	assert_true(wait_ready(&a, id));
}

/*
 * The composer: n, text, Ctrl-G opens the gallery in pick mode, Space marks
 * two pictures, Enter attaches them ("Pictures: #a #b"), Ctrl-S posts; the
 * post carries both. Then the viewer: v shows the first picture full screen
 * ("1/2"), l the second ("2/2"); after a resize to 120x40 it is drawn again
 * at the new size (coloured cells below row 24); back at 80x24 and q, Home.
 */
static void
composer_attach_and_viewer(void **state)
{
	struct person	 a;
	long long	 m1, m2, ids[4], post;
	int		 n;

	(void)state;
	assert_true(person_new(&a, "cva", "Composer Alice"));
	assert_true((m1 = upload_as(&a, "", FX_PHOTO, NULL)) > 0);
	assert_true((m2 = upload_as(&a, "gallery", FX_PHOTO2, NULL)) > 0);
	assert_true(wait_ready(&a, m1));
	assert_true(wait_ready(&a, m2));

	term_send(a.t, "n");
	assert_true(term_wait_text(a.t, "New post", 0));
	assert_true(term_wait_text(a.t, TXT_NO_PICS, 0));
	term_send(a.t, "Two pictures from the walk");
	assert_true(term_wait_text(a.t, "Two pictures from the walk", 0));
	term_send(a.t, "\x07");		/* Ctrl-G */
	assert_true(term_wait_text(a.t, TXT_PICK, 0));
	assert_true(term_wait_text(a.t, "[ ] #", 0));
	term_send(a.t, " ");
	assert_true(term_wait_text(a.t, "[x] #", 0));
	term_send(a.t, "j");
	term_send(a.t, " ");
	assert_true(term_wait_gone(a.t, "[ ] #", 0));
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_gone(a.t, TXT_PICK, 0));
	assert_true(term_wait_text(a.t, "Pictures: #", 0));
	{
		char want1[32], want2[32];

		snprintf(want1, sizeof want1, "#%lld", m1);
		snprintf(want2, sizeof want2, "#%lld", m2);
		assert_true(term_wait_text(a.t, want1, 0));
		assert_true(term_wait_text(a.t, want2, 0));
	}
	term_send(a.t, "\x13");		/* Ctrl-S */
	assert_true(term_wait_row(a.t, -1, "posted", 0));
	assert_true(term_wait_text(a.t, "Two pictures from the walk", 0));
	assert_true(wait_picture_below(a.t, "Two pictures from the walk", 12, POST_X, 150));
	assert_int_equal(exec_feed_ids(e2e_srv, a.name, &a.cred, "home", ids, 4), 1);
	post = ids[0];
	assert_int_equal(n = post_media_ids(&a, post, ids, 4), 2);
	assert_true(has_id(ids, n, m1) && has_id(ids, n, m2));

	/* the viewer */
	assert_true(term_wait_selected(a.t, "Two pictures from the walk"));
	term_send(a.t, "v");
	assert_true(term_wait_text(a.t, "1/2", 0));
	assert_true(term_wait_bg(a.t, 1, 0, 21, 80, 600, 0));
	term_send(a.t, "l");
	assert_true(term_wait_text(a.t, "2/2", 0));
	assert_true(term_wait_bg(a.t, 1, 0, 21, 80, 600, 0));
	term_resize(a.t, 120, 40);
	assert_true(term_wait_bg(a.t, 24, 0, 14, 120, 300, 0));
	assert_true(term_wait_text(a.t, "2/2", 0));
	term_send(a.t, "h");
	assert_true(term_wait_text(a.t, "1/2", 0));
	term_resize(a.t, 80, 24);
	assert_true(term_wait_bg(a.t, 1, 0, 21, 80, 600, 0));
	term_send(a.t, "q");
	assert_true(term_wait_gone(a.t, "1/2", 0));
	assert_true(term_wait_text(a.t, "Two pictures from the walk", 0));
}

/*
 * The gallery from one's own profile: 8, M lists the uploads with a preview
 * beside the list; a makes the selected one the avatar ("avatar set"), and
 * the profile's avatar box shows it; x stops using it ("avatar removed"),
 * and the identicon is back. b makes it the background: a banner in colour
 * across the top of the profile, gone again with x. Another person's gallery (M on their profile)
 * lists only what they may see.
 */
static void
gallery_sets_avatar(void **state)
{
	struct person		 a, b;
	struct json_object	*o;
	long long		 id;
	char			 want[64];

	(void)state;
	assert_true(person_new(&a, "gla", "Gallery Alice"));
	assert_true(person_new(&b, "glb", "Gallery Bob"));
	assert_true((id = upload_as(&a, "", FX_PHOTO2, NULL)) > 0);
	assert_true(wait_ready(&a, id));

	term_send(a.t, "8");
	assert_true(term_wait_text(a.t, "this is you", 0));
	assert_true(term_wait_text(a.t, "M media", 0));
	assert_true(wait_avatar_box(a.t, a.display, 0));
	term_send(a.t, "M");
	snprintf(want, sizeof want, TXT_GALLERY_OF "%s", a.name);
	assert_true(term_wait_text(a.t, want, 0));
	snprintf(want, sizeof want, "#%lld 640x480", id);
	assert_true(term_wait_text(a.t, want, 0));
	assert_true(term_wait_text(a.t, "stored as jpeg 640x480", 0));
	/* the preview pane, right of the list */
	assert_true(term_wait_bg(a.t, 3, 43, 15, 37, 100, 0));
	term_send(a.t, "a");
	assert_true(term_wait_row(a.t, -1, "avatar set", 0));
	assert_true(term_wait_text(a.t, "\u00b7 avatar", 0));
	assert_non_null(o = media_show(e2e_srv, a.name, &a.cred, id));
	assert_true(json_object_get_boolean(json_object_object_get(o, "avatar")));
	json_object_put(o);
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, "this is you", 0));
	assert_true(wait_avatar_box(a.t, a.display, AV_MIN_BG));

	term_send(a.t, "M");
	snprintf(want, sizeof want, "#%lld 640x480", id);
	assert_true(term_wait_text(a.t, want, 0));
	term_send(a.t, "x");
	assert_true(term_wait_row(a.t, -1, "avatar removed", 0));
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, "this is you", 0));
	assert_true(wait_avatar_box(a.t, a.display, 0));

	/* the same picture as her background: a banner across the top of her profile; x again */
	term_send(a.t, "M");
	assert_true(term_wait_text(a.t, want, 0));
	term_send(a.t, "b");
	assert_true(term_wait_row(a.t, -1, "background set", 0));
	assert_true(term_wait_text(a.t, "\u00b7 background", 0));
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, "this is you", 0));
	assert_true(term_wait_bg(a.t, 1, 2, 3, TERM_COLS - 4, 100, 0));
	term_send(a.t, "M");
	assert_true(term_wait_text(a.t, want, 0));
	term_send(a.t, "x");
	assert_true(term_wait_row(a.t, -1, "background removed", 0));
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, "this is you", 0));
	assert_true(term_wait_bg(a.t, 1, 2, 3, TERM_COLS - 4, 0, 0));

	/* bob looks at alice's gallery: the upload is in no post and no longer her avatar */
	assert_true(term_open_profile(b.t, a.name, a.display));
	term_send(b.t, "M");
	snprintf(want, sizeof want, TXT_GALLERY_OF "%s", a.name);
	assert_true(term_wait_text(b.t, want, 0));
	assert_true(term_wait_text(b.t, "Nothing to show.", 0));
	assert_true(run_as(&b, 2, "media show %lld", id));
}

/*
 * A video: `upload post` of a 2-second mp4 becomes ready with its duration
 * (about 2000 ms) and size; a friend's Home shows the text, the thumbnail
 * (coloured cells) and "video 0:02".
 */
static void
video_gets_duration(void **state)
{
	struct person		 a, b;
	struct json_object	*o;
	long long		 id, post;

	(void)state;
	assert_non_null(fixture_path(FX_VIDEO));
	assert_true(person_new_offline(&a, "vida", "Video Alice"));
	assert_true(person_new(&b, "vidb", "Video Bob"));
	assert_true(make_friends(&a, &b));
	term_wait_quiet(b.t, 150, 0);

	assert_true((id = upload_as(&a, "post Test pattern clip", FX_VIDEO, &post)) > 0);
	assert_true(post > 0);
	assert_non_null(o = media_wait_state(e2e_srv, a.name, &a.cred, id, "ready", 0));
	assert_string_equal(json_str(o, "kind"), "video");
	assert_string_equal(json_str(o, "format"), "mp4");
	assert_in_range(json_int(o, "duration_ms"), 1800, 2200);
	assert_int_equal(json_int(o, "width"), 320);
	assert_int_equal(json_int(o, "height"), 240);
	json_object_put(o);

	assert_true(show_new_post(b.t, "Test pattern clip"));
	assert_true(term_wait_text(b.t, "video 0:02", 0));
	assert_true(wait_picture_below(b.t, "Test pattern clip", 12, POST_X, 100));
}

/*
 * Privacy: a friends-only post's picture is not in `media alice --json` for
 * a stranger and `media show ID` answers exit 2 for them, while a friend
 * sees both. An upload in no post is alice's alone.
 */
static void
privacy_friends_only_picture(void **state)
{
	struct person	 a, b, c;
	long long	 id, post, lone, ids[8];
	int		 n;

	(void)state;
	assert_true(person_new_offline(&a, "pra", "Private Alice"));
	assert_true(person_new_offline(&b, "prb", "Friend Bob"));
	assert_true(person_new_offline(&c, "prc", "Stranger Carol"));
	assert_true(make_friends(&a, &b));
	assert_true((id = upload_as(&a, "post --visibility friends Only for friends", FX_PHOTO,
	    &post)) > 0);
	assert_true(post > 0);
	assert_true((lone = upload_as(&a, "gallery", FX_PHOTO2, NULL)) > 0);
	assert_true(wait_ready(&a, id));
	assert_true(wait_ready(&a, lone));

	assert_true((n = media_ids(e2e_srv, c.name, &c.cred, a.name, ids, 8)) >= 0);
	assert_false(has_id(ids, n, id));
	assert_false(has_id(ids, n, lone));
	assert_true(run_as(&c, 2, "media show %lld", id));
	assert_true(last_refused("media"));
	assert_true(run_as(&c, 2, "media show %lld --json", id));
	assert_true(run_as(&c, 2, "show %lld", post));

	assert_true((n = media_ids(e2e_srv, b.name, &b.cred, a.name, ids, 8)) >= 1);
	assert_true(has_id(ids, n, id));
	assert_false(has_id(ids, n, lone));
	assert_true(run_as(&b, 0, "media show %lld --json", id));
	assert_true(run_as(&b, 2, "media show %lld", lone));

	assert_int_equal(n = media_ids(e2e_srv, a.name, &a.cred, NULL, ids, 8), 2);
	assert_true(has_id(ids, n, id) && has_id(ids, n, lone));
}

/* `media delete`: the item, its stored copy and its preview source go; others cannot delete. */
static void
delete_removes_files(void **state)
{
	struct person	 a, b;
	long long	 id;
	char		*stored, *thumb;

	(void)state;
	assert_true(person_new_offline(&a, "dela", "Delete Alice"));
	assert_true(person_new_offline(&b, "delb", "Delete Bob"));
	assert_true((id = upload_as(&a, "avatar", FX_PHOTO, NULL)) > 0);
	assert_true(wait_ready(&a, id));
	assert_non_null(stored = media_stored_path(e2e_srv, id));
	thumb = thumb_path(id);
	assert_true(exists(thumb));
	assert_true(run_as(&b, 0, "media show %lld --json", id));	/* an avatar is public */
	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "media delete %lld", id);
		assert_true(run_stdin(&b, 3, cmd, NULL, 0));
	}
	assert_true(exists(stored));
	assert_true(run_as(&a, 0, "media delete %lld", id));
	assert_true(run_as(&a, 2, "media show %lld", id));
	assert_true(run_as(&b, 2, "media show %lld", id));
	assert_false(exists(stored));
	assert_false(exists(thumb));
	free(stored);
	free(thumb);
}

/* ---- `ssh -t host media show ID`: the picture drawn on a terminal ---------------------- */

/*
 * The rows above the description line (row desc) are a picture: none blank,
 * and together at least min_cells drawn cells (a character other than a
 * space, or a background colour). The picture's characters are all one
 * column wide, so the n-th code point of a row is its n-th cell.
 */
static bool
art_above(struct term *t, int desc, int min_cells)
{
	char	row[1024];
	int	cells = 0;

	for (int y = 0; y < desc; y++) {
		int x = 0, drawn = 0, fg, bg;

		term_row(t, y, row, sizeof row);
		for (const char *p = row; *p; p++) {
			if (((unsigned char)*p & 0xc0) == 0x80)
				continue;	/* not the first byte of a character */
			vt_cell_colors(t->vt, y, x++, &fg, &bg);
			drawn += *p != ' ' || bg != -1;
		}
		if (drawn == 0)
			return screen_fail(t, "row %d of the picture is blank", y);
		cells += drawn;
	}
	if (cells < min_cells)
		return screen_fail(t, "the picture has %d drawn cells, expected %d or more", cells,
		    min_cells);
	return true;
}

/* The row of the description line into *yp, with room for a picture above it. */
static bool
desc_below_art(struct term *t, const char *desc, int *yp)
{
	if ((*yp = term_find(t, desc)) < 0)
		return screen_fail(t, "no description line '%s'", desc);
	if (*yp < 8)
		return screen_fail(t, "the description line is on row %d: no picture above it",
		    *yp);
	return true;
}

/* Rows 0..rows-1 hold printable ASCII only. */
static bool
ascii_only(struct term *t, int rows)
{
	char row[1024];

	for (int y = 0; y < rows; y++) {
		term_row(t, y, row, sizeof row);
		for (const char *p = row; *p; p++) {
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				return screen_fail(t, "row %d is not ASCII", y);
		}
	}
	return true;
}

/* No cell of the screen has a colour, foreground or background. */
static bool
colourless(struct term *t)
{
	int cols, rows, fg, bg;

	vt_size(t->vt, &cols, &rows);
	for (int y = 0; y < rows; y++) {
		for (int x = 0; x < cols; x++) {
			vt_cell_colors(t->vt, y, x, &fg, &bg);
			if (fg != -1 || bg != -1)
				return screen_fail(t, "cell %d,%d has colours %d on %d", y, x, fg,
				    bg);
		}
	}
	return true;
}

/* Lines the command wrote: at most rows - 1, so nothing scrolled off the top of the screen. */
static bool
fits_on_screen(struct term *t, int rows)
{
	size_t		 len, lines = 0;
	const char	*raw = vt_raw(t->vt, &len);

	for (size_t i = 0; i < len; i++)
		lines += raw[i] == '\n';
	if (lines < (size_t)rows)
		return true;
	return screen_fail(t, "%zu lines on a terminal of %d rows: the top scrolled away", lines,
	    rows);
}

/* How many different foreground colours the first rows rows have. */
static int
fg_colours(struct term *t, int rows)
{
	char	seen[256] = { 0 };
	int	fg, bg, n = 0;

	for (int y = 0; y < rows; y++)
		for (int x = 0; x < TERM_COLS; x++)
			if (vt_cell_colors(t->vt, y, x, &fg, &bg) && fg >= 0 && fg < 256 &&
			    !seen[fg]++)
				n++;
	return n;
}

/* Every coloured cell of the first rows rows uses one of the 8 basic colours (0..7). */
static bool
eight_colours_only(struct term *t, int rows)
{
	int fg, bg;

	for (int y = 0; y < rows; y++)
		for (int x = 0; x < TERM_COLS; x++) {
			if (!vt_cell_colors(t->vt, y, x, &fg, &bg))
				continue;
			if (fg > 7 || bg > 7) {
				fprintf(stderr, "test: cell %d,%d has colours %d on %d\n", y, x, fg, bg);
				return false;
			}
		}
	return true;
}

/*
 * `ssh -t host media show ID` (an exec request on a pty) draws the picture
 * above the description line "ID image jpeg WxH  N KB  DATE", fitted to the
 * terminal so that nothing scrolls away:
 * - TERM=xterm-256color at 80x24: rows of coloured cells (foreground and
 *   background, several colours) from the top, then the description in the
 *   terminal's own colours; exit 0;
 * - TERM=vt100 (no colours in its terminfo, like the TUI's monochrome
 *   fallback): the picture in ASCII characters only, not one coloured cell;
 *   exit 0;
 * - carol, a stranger, asks for alice's gallery-only upload: one line, the
 *   "not found" refusal, no picture, exit 2.
 */
static void
media_show_draws_on_a_pty(void **state)
{
	struct person		 a, c;
	struct json_object	*o;
	struct term		*t;
	char			 cmd[64], desc[128], row[1024];
	long long		 id;
	int			 status, y, fg, bg;

	(void)state;
	assert_true(person_new_offline(&a, "ptya", "Pty Alice"));
	assert_true(person_new_offline(&c, "ptyc", "Pty Carol"));
	assert_true((id = upload_as(&a, "", FX_PHOTO, NULL)) > 0);
	assert_non_null(o = media_wait_state(e2e_srv, a.name, &a.cred, id, "ready", 0));
	snprintf(desc, sizeof desc, "%-6lld %-5s %-4s %lldx%lld", id, "image",
	    json_str(o, "stored_format"), json_int(o, "width"), json_int(o, "height"));
	json_object_put(o);
	snprintf(cmd, sizeof cmd, "media show %lld", id);

	/* in colour */
	assert_non_null(t = term_exec(e2e_srv, a.name, &a.cred, "xterm-256color", TERM_COLS,
	    TERM_ROWS, cmd, &status));
	assert_int_equal(status, 0);
	assert_true(desc_below_art(t, desc, &y));
	term_row(t, y, row, sizeof row);
	assert_non_null(strstr(row, " KB  "));
	assert_true(fits_on_screen(t, TERM_ROWS));
	assert_true(art_above(t, y, y * 40));
	assert_true(vt_count_bg(t->vt, 0, 0, y, TERM_COLS) >= y * 40);
	assert_true(vt_count_bg_colors(t->vt, 0, 0, y, TERM_COLS) >= 3);
	assert_true(vt_cell_colors(t->vt, 0, 0, &fg, &bg));
	assert_true(fg != -1 && bg != -1);
	assert_int_equal(vt_count_bg(t->vt, y, 0, TERM_ROWS - y, TERM_COLS), 0);
	term_close(t);

	/* without colours: ASCII art */
	assert_non_null(t = term_exec(e2e_srv, a.name, &a.cred, "vt100", TERM_COLS, TERM_ROWS, cmd,
	    &status));
	assert_int_equal(status, 0);
	assert_true(desc_below_art(t, desc, &y));
	assert_true(fits_on_screen(t, TERM_ROWS));
	assert_true(art_above(t, y, y * 40));
	assert_true(ascii_only(t, y));
	assert_true(colourless(t));
	term_close(t);

	/*
	 * the Linux console: ASCII art tinted in its 8 colours (bright ones as
	 * bold, not 90-97), on the terminal's own background
	 */
	assert_non_null(t = term_exec(e2e_srv, a.name, &a.cred, "linux", TERM_COLS, TERM_ROWS, cmd,
	    &status));
	assert_int_equal(status, 0);
	assert_true(desc_below_art(t, desc, &y));
	assert_true(ascii_only(t, y));
	assert_int_equal(vt_count_bg(t->vt, 0, 0, y, TERM_COLS), 0);
	assert_true(fg_colours(t, y) >= 2);
	assert_true(eight_colours_only(t, y));
	term_close(t);

	/* someone who may not see it */
	assert_non_null(t = term_exec(e2e_srv, c.name, &c.cred, "xterm-256color", TERM_COLS,
	    TERM_ROWS, cmd, &status));
	assert_int_equal(status, 2);
	snprintf(row, sizeof row, "media show: no media %lld (or you cannot see it)", id);
	assert_int_equal(term_find(t, row), 0);
	assert_int_equal(vt_count_bg(t->vt, 0, 0, TERM_ROWS, TERM_COLS), 0);
	term_row(t, 1, row, sizeof row);
	assert_string_equal(row, "");
	term_close(t);
}

/* ---- the worker ------------------------------------------------------------------------ */

/* Wait until srv has a worker other than `not` (0: any); its pid, or 0. */
static pid_t
wait_worker(const struct server *srv, pid_t not)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	for (;;) {
		pid_t p = server_worker_pid(srv);

		if (p > 0 && p != not)
			return p;
		if (harness_now_ms() >= deadline) {
			fprintf(stderr, "test: no worker%s within %d ms\n", not ? " restarted" : "",
			    harness_timeout_ms());
			server_print_log(srv, stderr, 30);
			return 0;
		}
		poll(NULL, 0, 20);
	}
}

/*
 * kill -9 the worker: sshbookd notices, logs it and starts another; an
 * upload after that still becomes ready.
 */
static void
worker_killed_is_restarted(void **state)
{
	struct person	 a;
	pid_t		 old, now;
	long long	 id;

	(void)state;
	assert_true(person_new_offline(&a, "wka", "Worker Alice"));
	assert_true((old = wait_worker(e2e_srv, 0)) > 0);
	assert_int_equal(kill(old, SIGKILL), 0);
	assert_true((now = wait_worker(e2e_srv, old)) > 0);
	assert_int_not_equal(now, old);
	assert_true(server_log_contains(e2e_srv, "worker died of signal 9"));
	assert_true((id = upload_as(&a, "", FX_PHOTO, NULL)) > 0);
	assert_true(wait_ready(&a, id));
	assert_int_equal(spool_files(e2e_srv), 0);
}

/*
 * Jobs survive a restart: a server with "worker = 0" takes a picture post,
 * whose picture stays processing with its file in the spool (Home shows a
 * "processing…" box in its place); the server stops (SIGTERM, cleanly) and
 * starts again on the same data with the worker on, the upload becomes
 * ready and Home shows the picture.
 */
static void
jobs_survive_restart(void **state)
{
	struct server		*srv;
	struct term		*t;
	struct json_object	*o;
	ssh_key			 key = key_new();
	struct cred		 cr = cred_key(key);
	const char		*name = fresh_user("rsa");
	uint8_t			*data;
	size_t			 n;
	long long		 id, post;

	(void)state;
	assert_int_equal(server_start(&second_srv, "worker = 0"), 0);
	srv = second_srv;
	assert_true(make_user_with_key(srv, name, key, NULL));
	assert_int_equal(server_worker_pid(srv), 0);
	assert_non_null(data = fixture_load(FX_PHOTO, &n));
	id = exec_upload(srv, name, &cr, "post Waiting for the worker", data, n, &post);
	free(data);
	assert_true(id > 0 && post > 0);
	/* Home: the post with a "processing…" box where the picture will be */
	assert_non_null(t = term_open(srv, name, &cr, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, "Waiting for the worker", 0));
	assert_true(term_wait_text(t, "processing\u2026", 0));
	assert_true(term_find(t, "processing\u2026") > term_find(t, "Waiting for the worker"));
	assert_int_equal(term_count_bg(t, 1, 0, 21, TERM_COLS), 0);
	assert_true(term_quit(t));
	assert_non_null(o = media_show(srv, name, &cr, id));
	assert_string_equal(json_str(o, "state"), "processing");
	json_object_put(o);
	assert_int_equal(spool_files(srv), 1);
	/* still nobody processes it */
	assert_non_null(o = media_show(srv, name, &cr, id));
	assert_string_equal(json_str(o, "state"), "processing");
	json_object_put(o);
	assert_int_equal(server_worker_pid(srv), 0);

	assert_int_equal(server_term(srv), 0);
	server_set_extra(srv, "worker = 1");
	assert_int_equal(server_restart(srv), 0);
	assert_true(wait_worker(srv, 0) > 0);
	assert_non_null(o = media_wait_state(srv, name, &cr, id, "ready", 0));
	json_object_put(o);
	assert_int_equal(spool_files(srv), 0);
	/* now the picture */
	assert_non_null(t = term_open(srv, name, &cr, TERM_COLS, TERM_ROWS));
	assert_true(wait_picture_below(t, "Waiting for the worker", 12, POST_X, 150));
	assert_false(term_has_text(t, "processing\u2026"));
	assert_true(term_quit(t));
	second_srv = NULL;
	assert_int_equal(server_stop(srv), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(scp_upload_becomes_ready_without_metadata, media_teardown),
		cmocka_unit_test_teardown(exec_upload_refusals_store_nothing, media_teardown),
		cmocka_unit_test_teardown(scp_refusals_exit_nonzero, media_teardown),
		cmocka_unit_test_teardown(sftp_put_and_ls, media_teardown),
		cmocka_unit_test_teardown(avatar_shows_on_profile_live, media_teardown),
		cmocka_unit_test_teardown(background_banner_live_mono_and_private, media_teardown),
		cmocka_unit_test_teardown(friend_post_picture_in_home, media_teardown),
		cmocka_unit_test_teardown(composer_attach_and_viewer, media_teardown),
		cmocka_unit_test_teardown(gallery_sets_avatar, media_teardown),
		cmocka_unit_test_teardown(video_gets_duration, media_teardown),
		cmocka_unit_test_teardown(privacy_friends_only_picture, media_teardown),
		cmocka_unit_test_teardown(delete_removes_files, media_teardown),
		cmocka_unit_test_teardown(media_show_draws_on_a_pty, media_teardown),
		cmocka_unit_test_teardown(worker_killed_is_restarted, media_teardown),
		cmocka_unit_test_teardown(jobs_survive_restart, media_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e media", tests, e2e_group_setup,
	    media_group_teardown);
}
