/*
 * End to end: pictures on every kind of terminal (issue 11, item 12). A
 * friend's picture post on Home, the post screen and the full-screen viewer,
 * and `ssh -t host media show ID`, each read back from a real terminal
 * emulator (libvterm) with its cell colours and the raw bytes it received:
 * - TERM=vt100 (no colours, no Unicode): not one byte of 0x80 or more
 *   reaches the terminal, and the picture is drawn with the ASCII density
 *   ramp " .:-=+*#%@" (no runs of '?', which is how libcaca's ASCII set and
 *   unknown glyphs used to look);
 * - TERM=xterm-256color: the picture's cells are colours of the xterm
 *   palette's cube and grey ramp (16..255), half blocks ("▀" over a
 *   background), `media show` sending ESC[38;5;N and ESC[48;5;N;
 * - TERM=xterm (8 colours and 64 pairs in its terminfo): libcaca's blocks
 *   still, in the 8 basic colours;
 * - TERM=linux (8 colours, no Unicode): the ASCII ramp tinted with colours.
 *
 * Layout at 80x24 (tui/postview.c): a post's text starts at column 8 and its
 * pictures come in a strip under the text, at most 12 rows tall.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "tests/e2e/fixtures.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

#define RAMP		" .:-=+*#%@"
#define POST_X		8	/* where a post's text (and its pictures) start in a feed */
#define STRIP_ROWS	12	/* the tallest picture strip of a feed */
#define HALF_BLOCK	"\u2580"

static int
pictures_teardown(void **state)
{
	exec_result_free(&last);
	return e2e_teardown(state);
}

static int
pictures_group_teardown(void **state)
{
	fixtures_cleanup();
	return e2e_group_teardown(state);
}

/* alice posts FX_PHOTO with text for her friend bob: the media id once it is ready, or -1. */
static long long
picture_post(struct person *a, struct person *b, const char *prefix, const char *text)
{
	struct json_object	*o;
	char			 args[128], an[16], bn[16];
	uint8_t			*data;
	size_t			 n;
	long long		 id, post = 0;

	snprintf(an, sizeof an, "%sa", prefix);
	snprintf(bn, sizeof bn, "%sb", prefix);
	if (!person_new_offline(a, an, "Pic Alice") || !person_new_offline(b, bn, "Pic Bob") ||
	    !make_friends(a, b))
		return -1;
	if ((data = fixture_load(FX_PHOTO, &n)) == NULL)
		return -1;
	snprintf(args, sizeof args, "post %s", quote(text));
	id = exec_upload(e2e_srv, a->name, &a->cred, args, data, n, &post);
	free(data);
	if (id <= 0 || post <= 0)
		return -1;
	if ((o = media_wait_state(e2e_srv, a->name, &a->cred, id, "ready", 0)) == NULL)
		return -1;
	json_object_put(o);
	return id;
}

/* Every byte the terminal received is ASCII (below 0x80). */
static bool
raw_ascii(struct term *t, const char *what)
{
	size_t		 len;
	const char	*raw = vt_raw(t->vt, &len);

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)raw[i] >= 0x80)
			return screen_fail(t, "%s: byte %zu of %zu sent to the terminal is 0x%02x "
			    "(near '%.20s')", what, i, len, (unsigned char)raw[i],
			    raw + (i > 10 ? i - 10 : 0));
	return true;
}

/* No "??" anywhere on the screen. */
static bool
no_question_runs(struct term *t)
{
	char *s = vt_text(t->vt);
	bool ok = strstr(s, "??") == NULL;

	free(s);
	return ok ? true : screen_fail(t, "a run of '?' on the screen");
}

/*
 * Rows y0..y1 - 1 from column x0: each row's characters up to its last
 * non-blank one are all from the ramp; at least min of them are not blank
 * and at least 4 different ramp characters appear (a picture, not a fill).
 */
static bool
ramp_art(struct term *t, int y0, int y1, int x0, int min)
{
	char	row[1024], seen[256] = { 0 };
	int	drawn = 0, distinct = 0;

	for (int y = y0; y < y1; y++) {
		size_t len;

		term_row(t, y, row, sizeof row);
		len = strlen(row);
		for (size_t x = (size_t)x0; x < len; x++) {
			unsigned char c = (unsigned char)row[x];

			if (c >= 0x80 || strchr(RAMP, c) == NULL)
				return screen_fail(t, "row %d column %zu is '%c', not one of \"%s\"",
				    y, x, c, RAMP);
			drawn += c != ' ';
			if (!seen[c]++)
				distinct++;
		}
	}
	if (drawn < min || distinct < 4)
		return screen_fail(t, "rows %d..%d: %d drawn cells of %d ramp characters, want "
		    "%d and 4", y0, y1 - 1, drawn, distinct, min);
	return true;
}

/* Wait until rows y0..y1 - 1 from x0 hold at least min non-blank characters. */
static bool
wait_drawn(struct term *t, const char *text, int dy, int rows, int x0, int min, int *yp)
{
	long long	deadline = harness_now_ms() + harness_timeout_ms();
	char		row[1024];

	for (;;) {
		int y = term_find(t, text), drawn = 0;

		for (int r = 0; y >= 0 && r < rows; r++) {
			term_row(t, y + dy + r, row, sizeof row);
			for (size_t x = (size_t)x0; x < strlen(row); x++)
				drawn += row[x] != ' ';
		}
		if (y >= 0 && drawn >= min) {
			*yp = y;
			return term_wait_quiet(t, 200, 0);
		}
		if (harness_now_ms() >= deadline)
			return screen_fail(t, "no picture (%d drawn cells) under '%s'", min, text);
		term_pump(t, 50);
	}
}

/* Colour census of a box: cells with a background, and how they stand against lo..hi. */
struct census {
	int	bg_cells;	/* cells with a background colour */
	int	fg_cells;	/* cells with a foreground colour */
	int	out_of_range;	/* a colour set but outside lo..hi */
	int	distinct_bg, distinct_fg;
};

static void
colour_census(struct term *t, int y0, int rows, int x0, int cols, int lo, int hi,
    struct census *c)
{
	static char	bgs[256], fgs[256];
	int		fg, bg;

	memset(c, 0, sizeof *c);
	memset(bgs, 0, sizeof bgs);
	memset(fgs, 0, sizeof fgs);
	for (int y = y0; y < y0 + rows; y++)
		for (int x = x0; x < x0 + cols; x++) {
			if (!vt_cell_colors(t->vt, y, x, &fg, &bg))
				continue;
			if (bg != -1) {
				c->bg_cells++;
				if (bg < lo || bg > hi)
					c->out_of_range++;
				else if (!bgs[bg]++)
					c->distinct_bg++;
			}
			if (fg != -1) {
				c->fg_cells++;
				if (fg < lo || fg > hi)
					c->out_of_range++;
				else if (!fgs[fg]++)
					c->distinct_fg++;
			}
		}
}

/* Wait until the strip under text has at least min cells with a background colour. */
static bool
wait_coloured(struct term *t, const char *text, int min, int *yp)
{
	long long	deadline = harness_now_ms() + harness_timeout_ms();
	int		cols;

	vt_size(t->vt, &cols, NULL);
	for (;;) {
		int y = term_find(t, text);

		if (y >= 0 && vt_count_bg(t->vt, y + 1, POST_X, STRIP_ROWS, cols - POST_X) >= min) {
			*yp = y;
			return term_wait_quiet(t, 200, 0);
		}
		if (harness_now_ms() >= deadline)
			return screen_fail(t, "no picture (%d coloured cells) under '%s'", min, text);
		term_pump(t, 50);
	}
}

/*
 * bob on a vt100 (no colours, no Unicode) opens Home with alice's picture
 * post, the post (Enter) and the viewer (v): the picture in ramp
 * characters each time, no '?' runs, and not one byte of 0x80 or more sent,
 * although the TUI draws selection bars, middle dots, box lines and the
 * picture elsewhere in Unicode.
 */
static void
vt100_pictures_are_ascii(void **state)
{
	struct person	 a, b;
	struct term	*t;
	const char	*text = "A picture for a vt100";
	int		 y;

	(void)state;
	assert_true(picture_post(&a, &b, "pv", text) > 0);
	assert_non_null(t = term_open_type(e2e_srv, b.name, &b.cred, "vt100", TERM_COLS,
	    TERM_ROWS));
	assert_true(wait_drawn(t, text, 1, STRIP_ROWS, POST_X, 150, &y));
	assert_true(ramp_art(t, y + 1, y + 1 + STRIP_ROWS, POST_X, 150));
	assert_true(no_question_runs(t));
	assert_int_equal(term_count_bg(t, 0, 0, TERM_ROWS, TERM_COLS), 0);
	assert_true(raw_ascii(t, "Home"));

	term_send(t, "\r");	/* the post */
	assert_true(term_wait_text(t, "No comments yet", 0));
	assert_true(wait_drawn(t, text, 1, STRIP_ROWS, POST_X, 150, &y));
	assert_true(no_question_runs(t));
	assert_true(raw_ascii(t, "the post"));

	term_send(t, "v");	/* the viewer: the picture full screen */
	assert_true(term_wait_text(t, " 1/1 ", 0));
	assert_true(term_wait_quiet(t, 200, 0));
	assert_true(ramp_art(t, 1, TERM_ROWS - 2, 0, 600));	/* under the tab bar, above the info line */
	assert_true(no_question_runs(t));
	assert_true(raw_ascii(t, "the viewer"));
	term_close(t);
}

/*
 * The same post on xterm-256color: the strip under the text is half blocks
 * whose foreground and background are all palette colours 16..255, in many
 * shades; on TERM=xterm (8 colours, 64 pairs) libcaca's blocks in the 8
 * basic colours, foregrounds and backgrounds.
 */
static void
palette_pictures_by_terminal(void **state)
{
	struct person	 a, b;
	struct term	*t;
	struct census	 c;
	const char	*text = "A picture in 256 colours";
	char		 row[1024];
	int		 y;

	(void)state;
	assert_true(picture_post(&a, &b, "pc", text) > 0);

	assert_non_null(t = term_open_type(e2e_srv, b.name, &b.cred, "xterm-256color", TERM_COLS,
	    TERM_ROWS));
	assert_true(wait_coloured(t, text, 300, &y));
	colour_census(t, y + 1, STRIP_ROWS, POST_X, TERM_COLS - POST_X, 16, 255, &c);
	if (c.out_of_range != 0 || c.bg_cells < 300 || c.fg_cells < 300 || c.distinct_bg < 12)
		fail_msg("256 colours: %d cells with a background, %d with a foreground, %d "
		    "outside 16..255, %d backgrounds", c.bg_cells, c.fg_cells, c.out_of_range,
		    c.distinct_bg);
	term_row(t, y + 1, row, sizeof row);
	assert_non_null(strstr(row, HALF_BLOCK HALF_BLOCK HALF_BLOCK HALF_BLOCK));
	term_close(t);

	assert_non_null(t = term_open_type(e2e_srv, b.name, &b.cred, "xterm", TERM_COLS,
	    TERM_ROWS));
	assert_true(wait_coloured(t, text, 300, &y));
	colour_census(t, y + 1, STRIP_ROWS, POST_X, TERM_COLS - POST_X, 0, 7, &c);
	if (c.out_of_range != 0 || c.fg_cells < 100 || c.distinct_fg < 3)
		fail_msg("8 colours: %d cells with a foreground, %d outside 0..7, %d foregrounds",
		    c.fg_cells, c.out_of_range, c.distinct_fg);
	assert_true(no_question_runs(t));
	term_close(t);
}

/* `ssh -t host media show ID` as p on TERM type; the finished terminal and the art's rows. */
static struct term *
show_on(struct person *p, long long id, const char *type, int *artrows)
{
	struct term	*t;
	char		 cmd[64], desc[32];
	int		 status;

	snprintf(cmd, sizeof cmd, "media show %lld", id);
	t = term_exec(e2e_srv, p->name, &p->cred, type, TERM_COLS, TERM_ROWS, cmd, &status);
	if (t == NULL)
		return NULL;
	snprintf(desc, sizeof desc, "%-6lld image", id);
	if (status != 0 || (*artrows = term_find(t, desc)) < 8) {
		screen_fail(t, "media show on %s: exit %d, description on row %d", type, status,
		    term_find(t, desc));
		term_close(t);
		return NULL;
	}
	return t;
}

/*
 * media show on a pty: on a vt100 ramp characters and only ASCII bytes; on
 * the Linux console the ramp tinted (foregrounds in 8 colours, ASCII
 * bytes); on xterm-256color ESC[38;5;N / ESC[48;5;N and cells in 16..255;
 * on xterm libcaca's blocks in 8 colours, no 256-colour sequence.
 */
static void
media_show_by_terminal(void **state)
{
	struct person	 a, b;
	struct term	*t;
	struct census	 c;
	long long	 id;
	int		 rows;

	(void)state;
	assert_true((id = picture_post(&a, &b, "ms", "media show everywhere")) > 0);

	assert_non_null(t = show_on(&a, id, "vt100", &rows));
	assert_true(raw_ascii(t, "media show on vt100"));
	assert_true(ramp_art(t, 0, rows, 0, rows * 30));
	assert_true(no_question_runs(t));
	term_close(t);

	assert_non_null(t = show_on(&a, id, "linux", &rows));
	assert_true(raw_ascii(t, "media show on linux"));
	assert_true(ramp_art(t, 0, rows, 0, rows * 30));
	colour_census(t, 0, rows, 0, TERM_COLS, 0, 7, &c);
	if (c.out_of_range != 0 || c.fg_cells < rows * 20 || c.distinct_fg < 2)
		fail_msg("linux: %d cells with a foreground, %d outside 0..7, %d foregrounds",
		    c.fg_cells, c.out_of_range, c.distinct_fg);
	term_close(t);

	assert_non_null(t = show_on(&a, id, "xterm-256color", &rows));
	assert_true(vt_raw_contains(t->vt, "\033[38;5;", 7));
	assert_true(vt_raw_contains(t->vt, ";48;5;", 6));
	colour_census(t, 0, rows, 0, TERM_COLS, 16, 255, &c);
	if (c.out_of_range != 0 || c.bg_cells < rows * 40 || c.distinct_bg < 12)
		fail_msg("256 colours: %d cells with a background, %d outside 16..255, %d "
		    "backgrounds", c.bg_cells, c.out_of_range, c.distinct_bg);
	term_close(t);

	assert_non_null(t = show_on(&a, id, "xterm", &rows));
	assert_false(vt_raw_contains(t->vt, "38;5;", 5));
	colour_census(t, 0, rows, 0, TERM_COLS, 0, 7, &c);
	if (c.out_of_range != 0 || c.fg_cells < rows * 40 || c.distinct_fg < 3)
		fail_msg("8 colours: %d cells with a foreground, %d outside 0..7, %d foregrounds",
		    c.fg_cells, c.out_of_range, c.distinct_fg);
	term_close(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(vt100_pictures_are_ascii, pictures_teardown),
		cmocka_unit_test_teardown(palette_pictures_by_terminal, pictures_teardown),
		cmocka_unit_test_teardown(media_show_by_terminal, pictures_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e pictures", tests, e2e_group_setup,
	    pictures_group_teardown);
}
