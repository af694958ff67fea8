/*
 * Media benchmarks (issue 6), without a server: the pipeline and the TUI's
 * drawing code called directly, as the worker and a session call them.
 *
 *   process N   a 12-megapixel, about 5 MB photo-like JPEG (made with the
 *               project's encoder: tests/e2e/fixtures.h): media_validate_file
 *               (size, type, header caps, a full decode in the sandbox child)
 *               + media_process_file (decode, orient, scale to 2048, encode,
 *               the 640 px preview source, in the sandbox child) + the first
 *               preview (media_render_thumb at the feed's size: media/layout.h
 *               with FEED_BODY_COLS_80 and FEED_MEDIA_MAX_ROWS), N runs after
 *               one warm-up; median and p90 of the sum and of each step
 *   draw N      drawing cached previews with the real code (tui/pictures.h,
 *               tui/postview.h post_item_draw) into an ncurses screen made
 *               with newterm() on /dev/null (TERM xterm-256color): one
 *               picture's rows, N times (from this process's cache, and from
 *               the database's preview cache as a new session finds it), and
 *               a screen of 10 image posts (80x170 cells, so all 10 fit), N
 *               times; drawing and wnoutrefresh + doupdate timed apart.
 *               Consecutive draws alternate between two sets of pictures,
 *               so every refresh really sends the changed cells.
 *
 * Prints "name: value" lines for bench/run.sh; bench/README.md has the method.
 */
#include <curses.h>
#include <errno.h>
#include <ftw.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "media/layout.h"
#include "media/pipeline.h"
#include "media/preview.h"
#include "storage/media.h"
#include "storage/posts.h"
#include "storage/store.h"
#include "tests/e2e/fixtures.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/pictures.h"
#include "tui/postview.h"

#define PHOTO_W		4000
#define PHOTO_H		3000
#define PHOTO_Q		92
#define PHOTO_NOISE	21

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The p-quantile of v[0..n) (sorts v). */
static double
quantile(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[(int)(p * (n - 1) + 0.5)];
}

static void
print_dist(const char *name, double *v, int n, const char *unit, double scale)
{
	double med = quantile(v, n, 0.5), p90 = quantile(v, n, 0.9), p99 = quantile(v, n, 0.99);

	printf("%s: median %.3f %s, p90 %.3f %s, p99 %.3f %s, max %.3f %s (n=%d)\n", name,
	    med * scale, unit, p90 * scale, unit, p99 * scale, unit, v[n - 1] * scale, unit, n);
}

static char *tmpdir;

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
cleanup(void)
{
	if (tmpdir != NULL)
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	fixtures_cleanup();
}

static char *
path_in(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", tmpdir, name) < 0)
		abort();
	return p;
}

/* ---- process ---------------------------------------------------------------- */

static int
bench_process(int n)
{
	size_t			 len;
	uint8_t			*jpg;
	char			*src = path_in("photo12mp.jpg"), *out = path_in("out.jpg");
	char			*thumb = path_in("out.thumb.jpg"), why[256];
	double			*tot = calloc((size_t)n, sizeof *tot);
	double			*tv = calloc((size_t)n, sizeof *tv), *tp = calloc((size_t)n, sizeof *tp);
	double			*tr = calloc((size_t)n, sizeof *tr);
	int			 status = 1, run, cols = 0, rows = 0;
	struct media_info	 info;
	struct media_processed	 res;

	if (tot == NULL || tv == NULL || tp == NULL || tr == NULL)
		abort();
	if ((jpg = fixture_photo_jpeg(PHOTO_W, PHOTO_H, PHOTO_Q, PHOTO_NOISE, 12, &len)) == NULL ||
	    fixture_write_file(src, jpg, len) != 0)
		goto out;
	printf("process_input: %dx%d JPEG, %.2f MB (%zu bytes), quality %d\n", PHOTO_W, PHOTO_H,
	    len / 1e6, len, PHOTO_Q);
	free(jpg);
	for (run = -1; run < n; run++) {	/* run -1 warms up */
		struct cellgrid	 g;
		double		 t0, t1, t2, t3;
		int		 r;

		unlink(out);
		unlink(thumb);
		t0 = now_ms();
		if ((r = media_validate_file(src, &info, why, sizeof why)) != 0) {
			fprintf(stderr, "media bench: validate: %s (%d)\n", why, r);
			goto out;
		}
		t1 = now_ms();
		if ((r = media_process_file(src, info.format, out, thumb, &res, why,
		    sizeof why)) != 0) {
			fprintf(stderr, "media bench: process: %s (%d)\n", why, r);
			goto out;
		}
		t2 = now_ms();
		/* the worker's first preview: the feed's size on an 80-column terminal */
		(void)media_strip_layout(&res.width, &res.height, 1, FEED_BODY_COLS_80,
		    FEED_MEDIA_MAX_ROWS, &cols, &rows);
		if ((r = media_render_thumb(thumb, cols, rows, 256, false, &g)) != 0) {
			fprintf(stderr, "media bench: render: %d\n", r);
			goto out;
		}
		t3 = now_ms();
		cellgrid_free(&g);
		if (run >= 0) {
			tv[run] = t1 - t0;
			tp[run] = t2 - t1;
			tr[run] = t3 - t2;
			tot[run] = t3 - t0;
		}
	}
	{
		struct stat st;

		if (stat(out, &st) == 0)
			printf("process_output: stored jpeg %dx%d, %lld bytes; first preview %dx%d cells\n",
			    res.width, res.height, (long long)st.st_size, cols, rows);
	}
	print_dist("process_validate_ms", tv, n, "ms", 1);
	print_dist("process_reencode_ms", tp, n, "ms", 1);
	print_dist("process_first_preview_ms", tr, n, "ms", 1);
	print_dist("process_total_ms", tot, n, "ms", 1);
	printf("process_target: median %s 300 ms\n", quantile(tot, n, 0.5) < 300 ? "under" :
	    "NOT under");
	status = 0;
 out:
	free(src);
	free(out);
	free(thumb);
	free(tot);
	free(tv);
	free(tp);
	free(tr);
	return status;
}

/* ---- draw ----------------------------------------------------------------------- */

#define NPOSTS	20	/* two screens of 10 */

struct drawdb {
	struct store	*st;
	char		*data_dir;
	int64_t		 user;
	int64_t		 media[NPOSTS];
};

/* A data dir with one user, NPOSTS processed pictures, one post each, an avatar. */
static int
drawdb_make(struct drawdb *d)
{
	struct signup	 su = { .username = "bencher", .display_name = "Bench Marker",
			    .password = "bench password" };
	char		*db, why[256];
	int		 r;

	memset(d, 0, sizeof *d);
	d->data_dir = path_in("data");
	if (mkdir(d->data_dir, 0700) != 0)
		return -1;
	{
		char *m = path_in("data/media");

		mkdir(m, 0700);
		free(m);
	}
	if (asprintf(&db, "%s/sshbook.db", d->data_dir) < 0)
		abort();
	r = store_open(db, &d->st);
	free(db);
	if (r != 0 || store_user_create(d->st, &su, &d->user, why, sizeof why) != 0) {
		fprintf(stderr, "media bench: store: %s\n", why);
		return -1;
	}
	for (int i = 0; i < NPOSTS; i++) {
		struct media_processed	 res;
		size_t			 len;
		uint8_t			*jpg = fixture_photo_jpeg(800 + 40 * (i % 5), 600, 85, 8,
					    (uint32_t)(100 + i), &len);
		char			*src = path_in("src.jpg"), *out, *thumb, text[64];
		int64_t			 post, *mentioned = NULL;
		size_t			 nmentioned = 0;

		if (jpg == NULL || fixture_write_file(src, jpg, len) != 0)
			return -1;
		free(jpg);
		if (store_media_add(d->st, d->user, MEDIA_IMAGE, "jpeg", 800 + 40 * (i % 5), 600, 0,
		    (int64_t)len, &d->media[i]) != 0)
			return -1;
		out = media_path(d->data_dir, d->user, d->media[i], MEDIA_FILE_STORED, MF_JPEG);
		thumb = media_path(d->data_dir, d->user, d->media[i], MEDIA_FILE_THUMB, MF_JPEG);
		r = media_process_file(src, MF_JPEG, out, thumb, &res, why, sizeof why);
		free(src);
		free(out);
		free(thumb);
		if (r != 0 || store_media_ready(d->st, d->media[i], "jpeg", res.width, res.height,
		    res.stored_bytes, 0) != 0) {
			fprintf(stderr, "media bench: processing picture %d: %s\n", i, why);
			return -1;
		}
		snprintf(text, sizeof text, "Picture number %d from the benchmark walk", i);
		r = store_post_create_media(d->st, d->user, text, VIS_PUBLIC, &d->media[i], 1, &post,
		    &mentioned, &nmentioned, why, sizeof why);
		free(mentioned);
		mentioned = NULL;
		if (r != 0) {
			fprintf(stderr, "media bench: post: %s\n", why);
			return -1;
		}
	}
	if (store_profile_set_image(d->st, d->user, PROFILE_AVATAR, d->media[0], why,
	    sizeof why) != 0)
		return -1;
	return 0;
}

static void
refresh_now(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}

static int
bench_draw(int n)
{
	struct drawdb		 d;
	struct app		*app = NULL;
	struct post_page	 page = { 0 };
	struct post_item	 items[NPOSTS];
	size_t			 nitems = 0;
	FILE			*out = NULL, *in = NULL;
	SCREEN			*scr = NULL;
	double			*td = calloc((size_t)n, sizeof *td), *tu = calloc((size_t)n, sizeof *tu);
	int			 status = 1, cols[2], rows[2], w, h;

	if (td == NULL || tu == NULL)
		abort();
	if (drawdb_make(&d) != 0)
		goto out;
	if ((app = app_new_headless(d.st, d.data_dir, d.user)) == NULL)
		goto out;
	setenv("TERM", "xterm-256color", 1);
	if ((out = fopen("/dev/null", "w")) == NULL || (in = fopen("/dev/null", "r")) == NULL ||
	    (scr = newterm("xterm-256color", out, in)) == NULL) {
		fprintf(stderr, "media bench: newterm: %s\n", strerror(errno));
		goto out;
	}
	resizeterm(24, 80);
	draw_init();
	printf("draw_terminal: %s, %d colours, %d pairs, colour %s\n", termname(), COLORS,
	    COLOR_PAIRS, draw_has_colors() ? "on" : "off");

	/* one picture at the feed's size (72 columns, at most 12 rows) */
	for (int k = 0; k < 2; k++) {
		struct media m;

		if (store_media_get(d.st, d.user, d.media[k], &m) != 0)
			goto out;
		w = m.width;
		h = m.height;
		media_free(&m);
		(void)media_strip_layout(&w, &h, 1, FEED_BODY_COLS_80, FEED_MEDIA_MAX_ROWS, &cols[k],
		    &rows[k]);
		if (picture_get(app, d.media[k], cols[k], rows[k]) == NULL) {
			fprintf(stderr, "media bench: no preview for media %lld\n",
			    (long long)d.media[k]);
			goto out;
		}
	}
	printf("draw_picture_size: %dx%d cells\n", cols[0], rows[0]);
	for (int pass = 0; pass < 2; pass++) {
		/* pass 0: this process's cache; pass 1: the database's (a new session's first draw) */
		for (int i = -20; i < n; i++) {
			int			 k = (i & 1);
			const struct cellgrid	*g;
			double			 t0, t1, t2;

			if (pass == 1)
				pictures_forget(d.media[k]);
			t0 = now_ms();
			if ((g = picture_get(app, d.media[k], cols[k], rows[k])) == NULL)
				goto out;
			for (int r = 0; r < g->rows; r++)
				picture_draw_row(g, r, 2 + r, 8);
			t1 = now_ms();
			refresh_now();
			t2 = now_ms();
			if (i >= 0) {
				td[i] = t1 - t0;
				tu[i] = t2 - t1;
			}
		}
		if (pass == 0) {
			print_dist("draw_picture_cached_us", td, n, "us", 1000);
			print_dist("draw_picture_refresh_us", tu, n, "us", 1000);
		} else {
			print_dist("draw_picture_from_db_cache_us", td, n, "us", 1000);
			print_dist("draw_picture_from_db_cache_refresh_us", tu, n, "us", 1000);
		}
	}

	/* a screen of 10 image posts: the feed's post_item_draw, 80 columns, all 10 on screen */
	if (store_feed_home(d.st, d.user, NULL, NPOSTS, &page) != 0 || page.n != NPOSTS) {
		fprintf(stderr, "media bench: the feed has %zu posts\n", page.n);
		goto out;
	}
	for (size_t i = 0; i < page.n; i++)
		post_item_init(&items[nitems++], &page.v[i]);
	resizeterm(170, 80);
	clear();
	refresh_now();
	for (int i = -20; i < n; i++) {
		int	first = (i & 1) * 10, y = 0, shown = 0;
		double	t0, t1, t2;

		t0 = now_ms();
		erase();
		for (int k = first; k < first + 10 && y < LINES; k++, shown++)
			y += post_item_draw(&items[k], app, y, 0, COLS, 0, LINES - y,
			    POST_LIST_BODY_ROWS, k == first);
		t1 = now_ms();
		refresh_now();
		t2 = now_ms();
		if (shown != 10 || y > LINES) {
			fprintf(stderr, "media bench: only %d posts fit in %d rows\n", shown, LINES);
			goto out;
		}
		if (i == 0)
			printf("draw_screen_rows: 10 posts in %d rows\n", y);
		if (i >= 0) {
			td[i] = t1 - t0;
			tu[i] = t2 - t1;
		}
	}
	print_dist("draw_screen10_ms", td, n, "ms", 1);
	print_dist("draw_screen10_refresh_ms", tu, n, "ms", 1);
	/* the same, each picture from the database's preview cache (a session's first screen) */
	for (int i = -20; i < n; i++) {
		int	first = (i & 1) * 10, y = 0;
		double	t0, t1, t2;

		for (int k = 0; k < NPOSTS; k++)
			pictures_forget(d.media[k]);
		t0 = now_ms();
		erase();
		for (int k = first; k < first + 10 && y < LINES; k++)
			y += post_item_draw(&items[k], app, y, 0, COLS, 0, LINES - y,
			    POST_LIST_BODY_ROWS, k == first);
		t1 = now_ms();
		refresh_now();
		t2 = now_ms();
		if (i >= 0) {
			td[i] = t1 - t0;
			tu[i] = t2 - t1;
		}
	}
	print_dist("draw_screen10_from_db_cache_ms", td, n, "ms", 1);
	print_dist("draw_screen10_from_db_cache_refresh_ms", tu, n, "ms", 1);
	status = 0;
 out:
	for (size_t i = 0; i < nitems; i++)
		post_item_free(&items[i]);
	post_page_free(&page);
	if (scr != NULL) {
		endwin();
		delscreen(scr);
	}
	if (out != NULL)
		fclose(out);
	if (in != NULL)
		fclose(in);
	app_free_headless(app);
	if (d.st != NULL)
		store_close(d.st);
	free(d.data_dir);
	free(td);
	free(tu);
	return status;
}

int
main(int argc, char **argv)
{
	const char	*t = getenv("TMPDIR");
	int		 n, status;

	if (argc != 3 || (n = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: sshbook-bench-media process|draw N\n");
		return 2;
	}
	setlocale(LC_ALL, "C.UTF-8");
	log_set_level(LOG_LVL_WARN);	/* not the store's migration lines */
	if (asprintf(&tmpdir, "%s/sshbook-bench-media-XXXXXX", t && *t ? t : "/tmp") < 0 ||
	    mkdtemp(tmpdir) == NULL) {
		fprintf(stderr, "media bench: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	if (strcmp(argv[1], "process") == 0)
		status = bench_process(n);
	else if (strcmp(argv[1], "draw") == 0)
		status = bench_draw(n);
	else {
		fprintf(stderr, "usage: sshbook-bench-media process|draw N\n");
		status = 2;
	}
	cleanup();
	free(tmpdir);
	return status;
}
