/*
 * End to end: the first five minutes (issue 11, items 5-8). What someone who
 * lives in tig, mutt or htop notices at once:
 *
 * - the profile form: "Visible to" is chosen from its three values, the bio
 *   is a multi-line editor with the composer's markdown preview, and `i`
 *   shows the whole bio rendered;
 * - every screen owns its rectangle: what is on the terminal is what a fresh
 *   draw of the same screen shows (after tab switches, Ctrl-L, a resize);
 * - nothing is cut at 80 or 100 columns: the help wraps and scrolls with a
 *   visible "more", the hints choose what fits, dates fit, and the "window
 *   too small" notice fits the window;
 * - the hints and the help list the keys that apply to the screen and the
 *   selected item: `e edit` only on one's own post, never `q quit` where q
 *   types a q.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "tests/e2e/fixtures.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

#define MAX_ROWS	64
#define ROW_BYTES	2048

/* Multi-line markdown, each line long enough to leave text behind a shorter one. */
#define BIO_MD	"I climb **rocks** and _write_ C.\n\n" \
	"- first item of a list that goes on for a while\n" \
	"- second item of the list, longer than the notice under it, with a last word: longer!\n" \
	"- third\n- fourth\n- fifth\n- sixth\n- seventh\n- eighth\n- ninth\n- tenth\n"

static int
polish2_teardown(void **state)
{
	exec_result_free(&last);
	return e2e_teardown(state);
}

struct shot {
	int	rows;
	char	row[MAX_ROWS][ROW_BYTES];
};

static void
shot_take(struct term *t, int rows, struct shot *s)
{
	int y;

	term_wait_quiet(t, 200, 0);
	s->rows = rows;
	for (y = 0; y < rows && y < MAX_ROWS; y++)
		term_row(t, y, s->row[y], sizeof s->row[y]);
}

static void
shot_print(const struct shot *s, const char *why)
{
	int y;

	fprintf(stderr, "---- %s\n", why);
	for (y = 0; y < s->rows; y++)
		fprintf(stderr, "%2d|%s|\n", y, s->row[y]);
}

/* Trailing blanks off. */
static void
rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
}

static long long
upload_background(struct person *p)
{
	uint8_t		*data;
	size_t		 n;
	long long	 id;

	if ((data = fixture_load(FX_PHOTO, &n)) == NULL)
		return -1;
	id = exec_upload(e2e_srv, p->name, &p->cred, "background", data, n, NULL);
	free(data);
	if (id > 0)
		json_object_put(media_wait_state(e2e_srv, p->name, &p->cred, id, "ready", 0));
	return id;
}

/* ---- item 5: the profile form ---------------------------------------------------------- */

/*
 * e on my profile: "Visible to" shows its three values and Right / Left
 * choose among them (a letter types nothing: "publicx" cannot happen); the
 * bio is a multi-line editor (Enter makes a new line) with a rendered
 * preview under it; Ctrl-S saves both. i then shows the whole bio rendered
 * (no ** left), not the raw markdown.
 */
static void
profile_form_choices_and_bio_editor(void **state)
{
	struct person a;

	(void)state;
	assert_true(person_new(&a, "pfa", "Form Ann"));
	term_send(a.t, "8");
	assert_true(term_wait_text(a.t, "No bio yet", 0));
	term_send(a.t, "e");
	assert_true(term_wait_text(a.t, "Edit your profile", 0));
	assert_true(wait_row_has(a.t, "Visible to", "(\u2022) public"));
	assert_true(wait_row_has(a.t, "Visible to", "( ) friends"));
	for (int i = 0; i < 4; i++)
		term_key(a.t, VTERM_KEY_TAB);		/* Visible to */
	term_send(a.t, "x");
	term_key(a.t, VTERM_KEY_RIGHT);
	assert_true(wait_row_has(a.t, "Visible to", "(\u2022) friends"));
	assert_true(absent(a.t, "publicx"));
	term_key(a.t, VTERM_KEY_TAB);			/* Bio */
	term_send(a.t, "I like **bold** words");
	term_key(a.t, VTERM_KEY_ENTER);
	term_send(a.t, "and a second line");
	/* the editor keeps the markdown, the preview under it renders it */
	assert_true(term_wait_text(a.t, "I like **bold** words", 0));
	assert_true(wait_below_has(a.t, "I like **bold** words", 1, "and a second line"));
	assert_true(term_wait_text(a.t, "I like bold words and a second line", 0));
	assert_true(absent(a.t, "Multi-line bio: ssh"));
	term_send(a.t, "\x13");	/* Ctrl-S */
	assert_true(term_wait_row(a.t, -1, "profile saved", 0));
	assert_true(term_wait_text(a.t, "visible to: friends", 0));
	assert_true(run_as(&a, 0, "profile --json"));
	assert_non_null(strstr(last.out, "\"privacy\":\"friends\""));
	assert_non_null(strstr(last.out, "I like **bold** words\\nand a second line"));
	/* i: the whole bio, rendered */
	term_send(a.t, "i");
	assert_true(term_wait_row(a.t, 1, "Form Ann", 0));
	assert_true(term_wait_text(a.t, "I like bold words and a second line", 0));
	assert_true(absent(a.t, "**bold**"));
	term_send(a.t, "q");
	assert_true(term_wait_row_gone(a.t, 1, "Form Ann", 0));
	assert_true(term_quit(a.t));
}

/* ---- item 6: every screen owns its rectangle -------------------------------------------- */

/* Keys to a screen from Home, and a text that says it is there. */
static const struct {
	const char	*keys;
	const char	*shows;
} screens[] = {
	{ "2", NULL }, { "3", NULL }, { "4", NULL }, { "5", NULL }, { "6", NULL },
	{ "9", "Settings" }, { "8", "i shows the whole bio" }, { "1", NULL },
	{ "1\n", "comments" }, { "8?", "Help: Profile" }, { "8i", "sixth" }, { "9?", "Help: Settings" },
	{ "1n", "New post" },
};

/*
 * What the terminal shows equals a fresh draw: alice (a multi-line bio, a
 * background picture, a post) visits every tab and screen at 80x24,
 * 100x30 and 120x40, each after another screen; the rows are kept, the
 * window resized away and back (a full redraw), and the rows compared.
 * The cut bio's notice stands alone on its row (it once kept the end of
 * the bio line under it: "… i shows the whole bioer!").
 */
static void
screens_own_their_rectangle(void **state)
{
	static const int	 sizes[][2] = { { 80, 24 }, { 100, 30 }, { 120, 40 } };
	static struct shot	 before, after;
	struct person		 a;
	struct term		*t;
	size_t			 i, k;
	int			 y;
	char			 row[ROW_BYTES];

	(void)state;
	assert_true(person_new_offline(&a, "own", "Owner Ann"));
	assert_true(run_stdin(&a, 0, "profile set bio -", BIO_MD, strlen(BIO_MD)));
	assert_true(upload_background(&a) > 0);
	assert_true(exec_post(e2e_srv, a.name, &a.cred, "public", "a post, so the bio is cut") > 0);
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		int cols = sizes[k][0], rows = sizes[k][1];

		assert_non_null(t = term_open(e2e_srv, a.name, &a.cred, cols, rows));
		assert_true(term_wait_text(t, "a post, so the bio is cut", 0));
		for (i = 0; i < sizeof screens / sizeof screens[0]; i++) {
			term_send(t, screens[i].keys);
			if (screens[i].shows != NULL)
				assert_true(term_wait_text(t, screens[i].shows, 0));
			shot_take(t, rows, &before);
			term_resize(t, cols + 7, rows + 3);
			term_wait_quiet(t, 200, 0);
			term_resize(t, cols, rows);
			shot_take(t, rows, &after);
			for (y = 0; y < rows; y++)
				if (strcmp(before.row[y], after.row[y]) != 0) {
					shot_print(&before, "before");
					shot_print(&after, "after a fresh draw");
					fail_msg("%dx%d, keys '%s': row %d differs", cols, rows,
					    screens[i].keys, y);
				}
			if (strcmp(screens[i].keys, "8") == 0) {
				/* the notice alone on its row */
				assert_true((y = term_find(t, "i shows the whole bio")) > 0);
				term_row(t, y, row, sizeof row);
				rtrim(row);
				if (strcmp(row + strlen(row) - strlen("whole bio"), "whole bio") != 0)
					fail_msg("%dx%d: the notice row is '%s'", cols, rows, row);
			}
			/* back to Home: q closes what was opened, Esc leaves the composer */
			if (strchr(screens[i].keys, '?') || strchr(screens[i].keys, 'i') ||
			    strchr(screens[i].keys, '\n'))
				term_send(t, "q");
			if (strchr(screens[i].keys, 'n'))
				term_key(t, VTERM_KEY_ESCAPE);
			term_wait_quiet(t, 100, 0);
		}
		term_send(t, "1");
		assert_true(term_quit(t));
	}
}

/* ---- item 7: nothing cut at 80 and 100 columns ----------------------------------------- */

/* No row of the screen ends in the middle of a word that the help or a hint has whole. */
static bool
none_cut(struct term *t, const char *const *whole, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!term_wait_text(t, whole[i], 0))
			return screen_fail(t, "'%s' is not there whole", whole[i]);
	return true;
}

/*
 * At 80x24 and 100x30: the Profile help has every description whole (long
 * ones wrapped onto a second row), and when it is longer than the window a
 * "-- lines 1-N of M" row says so; PgDn and G go on to its end. The Friends
 * tab's hints are whole words. Settings shows a key's date whole. The
 * "window too small" notice reads whole at 50x15 and at 20x5.
 */
static void
nothing_cut_at_80_and_100(void **state)
{
	static const char *const help_whole[] = {
		"edit your profile", "on your own)", "the friends list (search inside it)",
	};
	static const int	 sizes[][2] = { { 80, 24 }, { 100, 30 } };
	struct person		 a, b;
	struct term		*t;
	char			 date[32], mon[8];
	struct tm		 tm;
	time_t			 now = time(NULL);
	size_t			 k;

	(void)state;
	assert_true(person_new_offline(&a, "cut", "Cut Ann"));
	assert_true(person_new_offline(&b, "cub", "Cut Ben"));
	assert_true(make_friends(&a, &b));
	gmtime_r(&now, &tm);
	strftime(mon, sizeof mon, "%b", &tm);
	/* after the fingerprint, no leading zero: "  8 Dec 2026" */
	snprintf(date, sizeof date, "  %d %s %d", tm.tm_mday, mon, tm.tm_year + 1900);
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		int cols = sizes[k][0], rows = sizes[k][1];

		assert_non_null(t = term_open(e2e_srv, a.name, &a.cred, cols, rows));
		assert_true(term_wait_text(t, TXT_HOME, 0));
		term_send(t, "8");
		assert_true(term_wait_text(t, "Joined", 0));
		term_send(t, "?");
		assert_true(term_wait_text(t, "Help: Profile", 0));
		if (rows == 24) {
			assert_true(term_wait_text(t, "-- lines 1-", 0));
			assert_true(none_cut(t, help_whole, 2));
			term_key(t, VTERM_KEY_PAGEDOWN);
			assert_true(term_wait_gone(t, "-- lines 1-", 0));
			term_send(t, "G");
			assert_true(term_wait_text(t, "q or Esc closes this help.", 0));
			assert_true(term_wait_text(t, "the end", 0));
			term_send(t, "g");
			assert_true(term_wait_text(t, "-- lines 1-", 0));
		} else
			assert_true(none_cut(t, help_whole, 3));
		term_send(t, "q");
		assert_true(term_wait_gone(t, "Help: Profile", 0));

		/* the Friends tab, with ben selected: hints whole */
		term_send(t, "5");
		assert_true(term_wait_text(t, b.display, 0));
		term_wait_quiet(t, 150, 0);
		if (term_has_text(t, "s search"))
			assert_true(term_has_text(t, "s search friends"));
		assert_true(term_has_text(t, "r remove"));
		term_send(t, "?");
		assert_true(term_wait_text(t, "remove from your friends (asks first)", 0));
		term_send(t, "q");

		/* Settings: the key's date */
		term_send(t, "9");
		assert_true(term_wait_text(t, "SHA256:", 0));
		assert_true(term_wait_text(t, date, 0));
		term_send(t, "1");
		assert_true(term_quit(t));
	}

	assert_non_null(t = term_open(e2e_srv, a.name, &a.cred, 80, 24));
	assert_true(term_wait_text(t, TXT_HOME, 0));
	term_resize(t, 50, 15);
	assert_true(term_wait_text(t, TXT_TOO_SMALL, 0));
	assert_true(term_wait_text(t, "50x15", 0));
	assert_true(term_wait_text(t, "needs 80x24", 0));
	term_resize(t, 20, 5);
	assert_true(term_wait_text(t, "20x5", 0));
	assert_true(term_wait_text(t, "80x24", 0));
	assert_true(term_wait_text(t, "too small", 0));
	term_resize(t, 80, 24);
	assert_true(term_wait_text(t, TXT_HOME, 0));
	assert_true(term_quit(t));
}

/* ---- item 8: hints that apply --------------------------------------------------------- */

/*
 * ann and ben are friends; ben posts. On ben's post (Home, then the post
 * screen) ann's hints and help have no e edit or d delete; on her own post
 * they do. The composer's and the chat's hints are the editor's keys
 * (Ctrl-S post, Enter send), never q quit or ? help, which would type.
 */
static void
hints_that_apply(void **state)
{
	struct person	a, b;
	long long	id;

	(void)state;
	assert_true(person_new(&a, "hia", "Hint Ann"));
	assert_true(person_new_offline(&b, "hib", "Hint Ben"));
	assert_true(make_friends(&a, &b));
	assert_true((id = exec_post(e2e_srv, b.name, &b.cred, "friends", "ben writes this")) > 0);
	term_send(a.t, "R");
	assert_true(term_wait_text(a.t, "ben writes this", 0));
	term_send(a.t, "g");
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(a.t, "No comments yet", 0));
	assert_true(term_wait_row(a.t, -2, "l like", 0));
	assert_true(absent(a.t, "e edit"));
	assert_true(absent(a.t, "d delete"));
	term_send(a.t, "?");
	assert_true(term_wait_text(a.t, "Help: Post", 0));
	assert_true(term_wait_text(a.t, "like or unlike the post", 0));
	assert_true(absent(a.t, "edit your post"));
	term_send(a.t, "q");
	term_send(a.t, "q");
	assert_true(term_wait_gone(a.t, "No comments yet", 0));
	/* Home has no hint row: the status line takes the selected post's keys */
	assert_true(term_wait_row(a.t, -1, "l like", 0));
	assert_true(absent(a.t, "e edit"));
	assert_true(absent(a.t, "d delete"));

	/* her own post: e edit and d delete */
	assert_true(compose_post(a.t, "ann writes this"));
	term_send(a.t, "g");
	assert_true(term_wait_text(a.t, "ann writes this", 0));
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(a.t, "No comments yet", 0));
	assert_true(term_wait_row(a.t, -2, "e edit  d delete", 0));
	term_send(a.t, "q");
	assert_true(term_wait_gone(a.t, "No comments yet", 0));

	/* the composer: the editor's keys */
	term_send(a.t, "n");
	assert_true(term_wait_text(a.t, TXT_NEW_POST, 0));
	assert_true(term_wait_text(a.t, "Ctrl-S post", 0));
	assert_true(absent(a.t, "q quit"));
	assert_true(absent(a.t, "q back"));
	assert_true(absent(a.t, "? help"));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_gone(a.t, TXT_NEW_POST, 0));

	/* a chat while typing */
	term_send(a.t, ":");
	assert_true(term_wait_row(a.t, -1, ":", 0));
	term_send(a.t, "dm ");
	term_send(a.t, b.name);
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(a.t, "Chat with", 0));
	assert_true(term_wait_row(a.t, -1, "Enter send", 0));
	assert_true(absent(a.t, "q quit"));
	assert_true(absent(a.t, "q back"));
	assert_true(absent(a.t, "? help"));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_row(a.t, -1, "q back", 0));
	term_send(a.t, "q");
	assert_true(term_wait_gone(a.t, "Chat with", 0));
	assert_true(term_quit(a.t));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(profile_form_choices_and_bio_editor, polish2_teardown),
		cmocka_unit_test_teardown(screens_own_their_rectangle, polish2_teardown),
		cmocka_unit_test_teardown(nothing_cut_at_80_and_100, polish2_teardown),
		cmocka_unit_test_teardown(hints_that_apply, polish2_teardown),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	if (getenv("SSHBOOK_E2E_FILTER") != NULL)
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e polish2", tests, e2e_group_setup,
	    e2e_group_teardown);
}
