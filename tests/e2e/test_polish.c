/*
 * End to end: the first five minutes (issue 11, items 1-4). What someone who
 * lives in tig, mutt or htop notices at once:
 *
 * - Enter on a notification opens what it is about (the post, scrolled to
 *   the comment; the chat; the person), each row names it (the first words
 *   of the post or comment), similar ones are one row ("X and 1 other
 *   reacted to your post"), and a target gone or hidden says so;
 * - the terminal cursor sits at the insertion point of the text field that
 *   takes the keys, on every screen with one, and is hidden elsewhere;
 * - a message request opens with the keys it advertises (a, x) working;
 * - a paste (bracketed, CSI 200 ~ ... 201 ~) goes into the field whole and
 *   never runs as keys: in a chat its lines stay one message.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "tests/e2e/fixtures.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

#define TXT_CHAT	"Chat with "
#define TXT_REQ_KEYS	"a accept  x decline  i reply (accepts)"
#define TXT_ACCEPTED	"request accepted"
#define TXT_DROPPED	"the paste was dropped"
#define ROW_INPUT	(-2)	/* the chat's input, one row above the status line */

/* Typed into every field: a wide character in the middle, so columns are not bytes. */
#define TYPED		"ab\u65e5c"	/* "ab日c": 5 columns */
#define TYPED_COLS	5

static int
polish_teardown(void **state)
{
	exec_result_free(&last);
	return e2e_teardown(state);
}

/* Columns the UTF-8 text s[0..len) takes on a terminal. */
static int
columns(const char *s, size_t len)
{
	mbstate_t	ms;
	wchar_t		wc;
	size_t		i = 0, n;
	int		cols = 0, w;

	memset(&ms, 0, sizeof ms);
	while (i < len && (n = mbrtowc(&wc, s + i, len - i, &ms)) != 0 && n < (size_t)-2) {
		w = wcwidth(wc);
		cols += w > 0 ? w : 0;
		i += n;
	}
	return cols;
}

/*
 * The cursor is shown on the first row holding text, back cells to the left
 * of its end (0: right after it, where typing goes on).
 */
static bool
cursor_after(struct term *t, const char *text, int back)
{
	char	row[1024];
	char	*at_text;
	int	y;

	if (!term_wait_text(t, text, 0))
		return false;
	term_wait_quiet(t, 50, 0);
	if ((y = term_find(t, text)) < 0)
		return screen_fail(t, "'%s' went away", text);
	term_row(t, y, row, sizeof row);
	at_text = strstr(row, text);
	return term_wait_cursor(t, true, y, columns(row, (size_t)(at_text - row)) +
	    columns(text, strlen(text)) - back, 0);
}

/* Type TYPED, then Left once: the cursor sits between 日 and c, one column before the end. */
static bool
typed_cursor_ok(struct term *t)
{
	term_send(t, TYPED);
	if (!cursor_after(t, TYPED, 0))
		return false;
	term_key(t, VTERM_KEY_LEFT);
	return cursor_after(t, TYPED, 1);
}


/* ---- item 1: notifications open what they are about --------------------------------- */

#define ROW_FIRST_NOTIF	4	/* the Notifications tab's first row (tui/screen_notifications.c) */

/* On tab 4, select the row holding text (g, then j down to it) and press Enter. */
static bool
open_notification(struct term *t, const char *text)
{
	int y;

	if (!term_wait_text(t, text, 0))
		return false;
	term_send(t, "g");
	term_wait_quiet(t, 50, 0);
	if ((y = term_find(t, text)) < ROW_FIRST_NOTIF)
		return screen_fail(t, "'%s' is not in the list", text);
	for (; y > ROW_FIRST_NOTIF; y--)
		term_send(t, "j");
	if (!wait_row_has(t, text, text))
		return false;
	term_key(t, VTERM_KEY_ENTER);
	return true;
}

/* q back to the Notifications tab. */
static bool
back_to_list(struct term *t)
{
	term_send(t, "q");
	return term_wait_text(t, "Enter open  r read", 0);
}

/*
 * alice's post gets two likes, a comment, a mention elsewhere, a message and
 * a friend request. Tab 4 shows five rows, each naming what it is about, the
 * likes as one ("Carol Likes @carol and 1 other reacted to your post:
 * “Hello from alice…”"). Enter opens the post at the comment (alice deletes
 * it there; the row then says so, and opening it again says so too), the post
 * for the likes, the chat for the message, the person for the request, and
 * marks each read. `notifications --json` carries the about text.
 */
static void
notifications_open_their_target(void **state)
{
	struct person	a, b, c, d;
	long long	id;
	char		row[512];
	int		y;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Posts"));
	assert_true(person_new_offline(&b, "bob", "Bob Comments"));
	assert_true(person_new_offline(&c, "carol", "Carol Likes"));
	assert_true(person_new_offline(&d, "dave", "Dave Writes"));
	id = exec_post(e2e_srv, a.name, &a.cred, "public",
	    "Hello from alice about the weekend hike up the hill");
	assert_true(id > 0);
	assert_true(run_as(&b, 0, "like %lld", id));
	assert_true(run_as(&c, 0, "like %lld", id));
	assert_true(run_as(&b, 0, "comment %lld nice trail photos", id));
	assert_true(run_as(&c, 0, "post @%s look at this view", a.name));
	assert_true(run_as(&d, 0, "dm %s are you coming tonight", a.name));
	assert_true(run_as(&b, 0, "friend add %s", a.name));
	assert_true(term_wait_badge(a.t, 6));

	term_send(a.t, "4");
	assert_true(wait_row_has(a.t, "and 1 other reacted to your post", ": \u201cHello"));
	assert_true(wait_row_has(a.t, "and 1 other reacted to your post", "Carol Likes"));
	assert_true(wait_row_has(a.t, "commented on your post", "\u201cnice trail photos\u201d"));
	assert_true(wait_row_has(a.t, "mentioned you", "look at this view"));
	assert_true(wait_row_has(a.t, "sent you a message", "\u201care you coming tonight\u201d"));
	assert_true(wait_row_has(a.t, "sent you a friend request", "Bob Comments"));
	assert_true(absent(a.t, "No such user"));

	/* the comment: its post, at the comment (selected), and read */
	assert_true(open_notification(a.t, "commented on your post"));
	assert_true(term_wait_text(a.t, "Hello from alice about the weekend hike", 0));
	/* bob's comment: alice may delete it (her post) but not edit it */
	assert_true(term_wait_text(a.t, "c comment  d delete comment", 0));
	assert_true(absent(a.t, "e edit comment"));
	assert_true(wait_row_has(a.t, "Bob Comments", "\u258c"));
	assert_true(term_wait_badge(a.t, 5));
	term_send(a.t, "d");
	assert_true(term_wait_row(a.t, -1, "Delete this comment? (y/n)", 0));
	term_send(a.t, "y");
	assert_true(term_wait_row(a.t, -1, "comment deleted", 0));
	assert_true(back_to_list(a.t));
	assert_true(wait_row_has(a.t, "commented on your post", "(comment deleted)"));
	y = term_find(a.t, "commented on your post");
	term_row(a.t, y, row, sizeof row);
	assert_true(strlen(row) > 2 && row[2] != '*');	/* read: no mark */
	assert_true(open_notification(a.t, "commented on your post"));
	assert_true(term_wait_text(a.t, "Hello from alice about the weekend hike", 0));
	assert_true(term_wait_row(a.t, -1, "that comment was deleted", 0));
	assert_true(back_to_list(a.t));

	/* the likes: one row for both, opening the post; both read */
	assert_true(open_notification(a.t, "and 1 other reacted to your post"));
	assert_true(term_wait_text(a.t, "l like  c comment  r react", 0));
	assert_true(term_wait_text(a.t, "Hello from alice about the weekend hike", 0));
	assert_true(term_wait_badge(a.t, 3));
	assert_true(back_to_list(a.t));

	/* the message: the chat (a request from a stranger) */
	assert_true(open_notification(a.t, "sent you a message"));
	assert_true(term_wait_text(a.t, TXT_CHAT "Dave Writes", 0));
	assert_true(term_wait_text(a.t, "    are you coming tonight", 0));
	assert_true(term_wait_badge(a.t, 2));
	assert_true(back_to_list(a.t));

	/* the friend request: the person */
	assert_true(open_notification(a.t, "sent you a friend request"));
	assert_true(term_wait_text(a.t, "wants to be your friend", 0));
	assert_true(term_wait_text(a.t, at(&b), 0));
	assert_true(term_wait_badge(a.t, 1));
	assert_true(back_to_list(a.t));

	/* exec: the same words, as an added JSON field */
	assert_true(run_as(&a, 0, "notifications --json"));
	assert_non_null(strstr(last.out, "\"about\":\"@"));
	assert_non_null(strstr(last.out, "look at this view\""));
	assert_true(run_as(&a, 0, "notifications"));
	assert_non_null(strstr(last.out, "sent you a message: \"are you coming tonight\""));
	assert_true(term_quit(a.t));
}

/* ---- item 2: the cursor ------------------------------------------------------------ */

/*
 * In the sign-up name field, the composer, the chat input, the search box,
 * the profile form and the : line the cursor is shown at the insertion point
 * after typing text with a wide character (and after Left); on Home and on
 * the Notifications tab it is hidden. The sign-up form marks its focused
 * field and moves the mark with Tab.
 */
static void
cursor_at_the_insertion_point(void **state)
{
	struct person	a, b;
	struct cred	c;
	struct term	*t;
	const char	*name = fresh_user("cur");
	ssh_key		 key = key_new();
	int		 y;

	(void)state;
	/* sign-up: the name field */
	c = cred_key(key);
	assert_non_null(t = term_open(e2e_srv, name, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	assert_true(term_wait_text(t, "Display name", 0));
	y = term_find(t, "Display name");
	assert_true(wait_row_has(t, "Display name", "\u25b8"));	/* ▸: the focused field */
	term_send(t, "\x05\x15");
	assert_true(typed_cursor_ok(t));
	term_key(t, VTERM_KEY_TAB);
	assert_true(wait_row_has(t, "Password (optional)", "\u25b8"));
	assert_true(term_wait_row_gone(t, y, "\u25b8", 0));
	term_key_mod(t, VTERM_KEY_TAB, VTERM_MOD_SHIFT);
	assert_true(wait_row_has(t, "Display name", "\u25b8"));
	term_key(t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(t, TXT_HOME, 0));
	/* a list screen: no cursor */
	assert_true(term_wait_cursor(t, false, 0, 0, 0));
	assert_true(term_quit(t));

	assert_true(person_new(&a, "alice", "Alice Cursor"));
	assert_true(person_new(&b, "bob", "Bob Cursor"));
	assert_true(term_wait_cursor(a.t, false, 0, 0, 0));
	term_send(a.t, "4");
	assert_true(term_wait_text(a.t, "unread", 0));
	assert_true(term_wait_cursor(a.t, false, 0, 0, 0));

	/* the composer */
	term_send(a.t, "n");
	assert_true(term_wait_text(a.t, TXT_NEW_POST, 0));
	assert_true(typed_cursor_ok(a.t));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(a.t, "Leave without posting?", 0));
	assert_true(term_wait_cursor(a.t, false, 0, 0, 0));	/* a question takes the keys */
	term_send(a.t, "y");
	assert_true(term_wait_gone(a.t, TXT_NEW_POST, 0));

	/* the chat input */
	assert_true(chat_by_command(a.t, &b, ">"));
	assert_true(typed_cursor_ok(a.t));
	term_key(a.t, VTERM_KEY_ESCAPE);	/* browsing: the input has no cursor */
	assert_true(term_wait_text(a.t, "j/k pick", 0));
	assert_true(term_wait_cursor(a.t, false, 0, 0, 0));
	term_send(a.t, "q");
	assert_true(term_wait_gone(a.t, TXT_CHAT, 0));

	/* the search box */
	term_send(a.t, "/");
	assert_true(term_wait_text(a.t, "Search:", 0));
	assert_true(typed_cursor_ok(a.t));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_gone(a.t, "Search:", 0));

	/* the profile form */
	term_send(a.t, "8");
	assert_true(term_wait_text(a.t, "this is you", 0));
	term_send(a.t, "e");
	assert_true(term_wait_text(a.t, "Edit your profile", 0));
	assert_true(wait_row_has(a.t, "Display name", "\u25b8"));
	term_send(a.t, "\x05\x15");
	assert_true(typed_cursor_ok(a.t));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_gone(a.t, "Edit your profile", 0));

	/* the : line */
	term_send(a.t, ":");
	assert_true(term_wait_row(a.t, -1, ":", 0));
	term_send(a.t, TYPED);
	assert_true(term_wait_row(a.t, -1, TYPED, 0));
	assert_true(term_wait_cursor(a.t, true, -1, 2 + TYPED_COLS, 0));	/* ": " then the text */
	term_key(a.t, VTERM_KEY_LEFT);
	assert_true(term_wait_cursor(a.t, true, -1, 2 + TYPED_COLS - 1, 0));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_cursor(a.t, false, 0, 0, 0));
	assert_true(term_quit(a.t));
	assert_true(term_quit(b.t));
}

/* ---- item 3: a message request's keys ---------------------------------------------- */

/*
 * carol (not bob's friend) writes to bob; bob opens her request from tab 3.
 * The chat says "a accept  x decline" and has no input line (no cursor), so
 * a accepts at once, and nothing was typed. Then i gives the input back.
 */
static void
request_keys_work_as_shown(void **state)
{
	struct person	b, c;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Asked"));
	assert_true(person_new(&c, "carol", "Carol Asks"));
	assert_true(run_as(&c, 0, "dm %s may I join", b.name));
	assert_true(term_wait_msg_count(b.t, 1));
	term_send(b.t, "3");
	assert_true(term_wait_text(b.t, "request: a accept, x decline", 0));
	term_key(b.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(b.t, TXT_CHAT, 0));
	assert_true(term_wait_text(b.t, "    may I join", 0));
	assert_true(term_wait_text(b.t, TXT_REQ_KEYS, 0));
	assert_true(term_wait_cursor(b.t, false, 0, 0, 0));
	term_send(b.t, "a");
	assert_true(term_wait_row(b.t, -1, TXT_ACCEPTED, 0));
	assert_true(term_wait_msg_count(b.t, 0));
	assert_true(absent(b.t, "> a"));
	assert_true(run_as(&c, 0, "messages %s", b.name));
	term_send(b.t, "i");
	assert_true(term_wait_row(b.t, ROW_INPUT, ">", 0));
	term_send(b.t, "welcome");
	assert_true(cursor_after(b.t, "welcome", 0));
	assert_true(absent(b.t, "> awelcome"));
	term_key(b.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(b.t, "    welcome", 0));
	assert_true(term_quit(c.t));
	term_key(b.t, VTERM_KEY_ESCAPE);
	term_send(b.t, "q");
	assert_true(term_wait_gone(b.t, TXT_CHAT, 0));
	assert_true(term_quit(b.t));
}

/* ---- item 4: bracketed paste ------------------------------------------------------ */

/*
 * alice pastes two lines into the chat: nothing is sent, the input holds
 * both lines; Enter sends them as one message, which bob sees with its two
 * lines under one header. A paste on Home is not keys (its "q" asks
 * nothing); on the : line its newline is a space and nothing runs; in the
 * composer its lines stay lines and nothing is posted.
 */
static void
paste_is_text_never_keys(void **state)
{
	struct person	a, b;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Pastes"));
	assert_true(person_new(&b, "bob", "Bob Reads"));
	assert_true(make_friends(&a, &b));
	assert_true(chat_by_command(a.t, &b, ">"));
	assert_true(chat_by_command(b.t, &a, ">"));

	term_paste(a.t, "first pasted line\nsecond pasted line");
	assert_true(term_wait_row(a.t, ROW_INPUT, "second pasted line", 0));
	assert_true(wait_below_has(a.t, "> first pasted line", 1, "second pasted line"));
	assert_true(cursor_after(a.t, "second pasted line", 0));
	assert_true(absent(b.t, "first pasted line"));
	assert_true(absent(a.t, "    first pasted line"));
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(b.t, "    first pasted line", 0));
	/* one header above, the second line right under the first: one message */
	assert_true(wait_below_has(b.t, "    first pasted line", 1, "    second pasted line"));
	assert_true(wait_below_has(b.t, "    first pasted line", -1, "Alice Pastes"));
	assert_true(term_wait_row(a.t, ROW_INPUT, ">", 0));
	assert_true(term_wait_row_gone(a.t, ROW_INPUT, "pasted", 0));
	term_key(a.t, VTERM_KEY_ESCAPE);
	term_send(a.t, "q");
	assert_true(term_wait_gone(a.t, TXT_CHAT, 0));

	/* Home: the q of a paste is not the quit key */
	term_paste(a.t, "jq");
	assert_true(term_wait_row(a.t, -1, TXT_DROPPED, 0));
	assert_true(absent(a.t, TXT_QUIT));

	/* the : line: one line, nothing runs */
	term_send(a.t, ":");
	assert_true(term_wait_row(a.t, -1, ":", 0));
	term_paste(a.t, "whoami\nwhoami");
	assert_true(term_wait_row(a.t, -1, ": whoami whoami", 0));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_row_gone(a.t, -1, "whoami", 0));

	/* the composer: lines kept, nothing posted */
	term_send(a.t, "n");
	assert_true(term_wait_text(a.t, TXT_NEW_POST, 0));
	term_paste(a.t, "pasted title\n\nand a body\n");
	assert_true(term_wait_text(a.t, "and a body", 0));
	assert_true(wait_below_has(a.t, "pasted title", 2, "and a body"));
	assert_true(cursor_after(a.t, "and a body", 0));
	assert_true(absent(a.t, "posted (visible to"));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(a.t, "Leave without posting?", 0));
	term_send(a.t, "y");
	assert_true(term_wait_gone(a.t, TXT_NEW_POST, 0));
	assert_true(term_quit(a.t));
	term_key(b.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(b.t, "j/k pick", 0));
	term_send(b.t, "q");
	assert_true(term_wait_gone(b.t, TXT_CHAT, 0));
	assert_true(term_quit(b.t));
}

/*
 * Item 13's wording: counts read as words. With one friend the Friends tab
 * says "1 friend", and a search with one hit says "1 person".
 */
static void
counts_read_as_words(void **state)
{
	struct person	a, b;

	(void)state;
	assert_true(person_new(&a, "counter", "Counting Alice"));
	assert_true(person_new_offline(&b, "onlyfriend", "Zanzibar Onlyfriend"));
	assert_true(make_friends(&b, &a));
	term_send(a.t, "5");
	assert_true(term_wait_text(a.t, "sent  \u00b7  1 friend", 0));
	assert_true(absent(a.t, "1 friends"));
	term_send(a.t, "/");
	assert_true(term_wait_text(a.t, "Search:", 0));
	term_send(a.t, "Zanzibar");
	assert_true(term_wait_text(a.t, "1 person  \u00b7", 0));
	assert_true(absent(a.t, "1 people"));
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_gone(a.t, "Search:", 0));
	assert_true(term_quit(a.t));
	a.t = NULL;
}

/*
 * Item 9: what I do shows at once. alice shares bob's oldest post from
 * further down her Home: her share is at the top, selected, at once (it
 * used to wait as "1 new: press R"), and the "shared" message goes by
 * itself, with no key pressed. Posting a picture from her gallery ("n post
 * it", Ctrl-S) lands on Home with the new post, not back in the gallery.
 */
static void
own_actions_show_at_once(void **state)
{
	struct person	 a, b;
	struct json_object *o;
	uint8_t		*jpeg;
	size_t		 len;
	long long	 id;
	char		 want[64];

	(void)state;
	assert_true(person_new(&a, "sharer", "Sharing Alice"));
	assert_true(person_new_offline(&b, "source", "Source Bob"));
	assert_true(make_friends(&b, &a));
	assert_true(run_as(&b, 0, "post %s", quote("the oldest words")));
	assert_true(run_as(&b, 0, "post %s", quote("the middle words")));
	assert_true(run_as(&b, 0, "post %s", quote("the newest words")));
	assert_true(term_wait_text(a.t, "new: press R", 0));
	term_send(a.t, "R");
	assert_true(term_wait_selected(a.t, "the newest words"));
	term_send(a.t, "j");
	assert_true(term_wait_selected(a.t, "the middle words"));
	term_send(a.t, "j");
	assert_true(term_wait_selected(a.t, "the oldest words"));
	term_send(a.t, "s");
	assert_true(term_wait_row(a.t, -1, "Share with a note", 0));
	term_send(a.t, "passing it on");
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_row(a.t, -1, "shared (", 0));
	assert_true(term_wait_selected(a.t, "passing it on"));
	assert_true(absent(a.t, "new: press R"));
	/* the message goes by itself (10 s), no key pressed */
	assert_true(term_wait_row_gone(a.t, -1, "shared (", 10000 + harness_timeout_ms()));

	assert_non_null(jpeg = fixture_load(FX_PHOTO2, &len));
	id = exec_upload(e2e_srv, a.name, &a.cred, "", jpeg, len, NULL);
	free(jpeg);
	assert_true(id > 0);
	assert_non_null(o = media_wait_state(e2e_srv, a.name, &a.cred, id, "ready", 0));
	json_object_put(o);
	term_send(a.t, "8");
	assert_true(term_wait_text(a.t, "M media", 0));
	term_send(a.t, "M");
	snprintf(want, sizeof want, "#%lld 640x480", id);
	assert_true(term_wait_text(a.t, want, 0));
	term_send(a.t, "n");
	assert_true(term_wait_text(a.t, TXT_NEW_POST, 0));
	term_send(a.t, "straight from the gallery");
	term_send(a.t, "\x13");	/* Ctrl-S */
	assert_true(term_wait_row(a.t, -1, "posted (visible to", 0));
	assert_true(term_wait_selected(a.t, "straight from the gallery"));
	assert_true(absent(a.t, want));
	assert_true(term_quit(a.t));
	a.t = NULL;
}

/*
 * Item 11: keys as in other TUIs. F1 opens the help, also while typing
 * (where ? is text); Ctrl-C cancels the composer (it asks, as Esc does) and
 * on a tab asks to quit; the quit question does not swallow the next key
 * (2 goes to tab 2); a key nothing takes says so on the status line.
 */
static void
keys_as_in_other_tuis(void **state)
{
	struct person a;

	(void)state;
	assert_true(person_new(&a, "keys", "Key Presser"));
	term_key(a.t, VTERM_KEY_FUNCTION(1));
	assert_true(term_wait_text(a.t, "Help: Home", 0));
	/* the help names it as people do, not as ncurses does */
	term_send(a.t, "G");
	assert_true(term_wait_text(a.t, "?, F1", 0));
	assert_true(absent(a.t, "KEY_F("));
	term_send(a.t, "q");
	assert_true(term_wait_gone(a.t, "Help: Home", 0));

	term_send(a.t, "n");
	assert_true(term_wait_text(a.t, TXT_NEW_POST, 0));
	term_send(a.t, "is this a question?");
	assert_true(term_wait_text(a.t, "is this a question?", 0));
	term_key(a.t, VTERM_KEY_FUNCTION(1));
	assert_true(term_wait_text(a.t, "Help: ", 0));
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, "is this a question?", 0));
	term_send(a.t, "\x03");	/* Ctrl-C */
	assert_true(term_wait_text(a.t, "Leave without posting?", 0));
	term_send(a.t, "y");
	assert_true(term_wait_gone(a.t, TXT_NEW_POST, 0));

	term_send(a.t, "\x03");
	assert_true(term_wait_row(a.t, -1, TXT_QUIT, 0));
	term_send(a.t, "2");
	assert_true(term_wait_row_gone(a.t, -1, TXT_QUIT, 0));
	term_send(a.t, "?");	/* the help names the screen: tab 2 it is */
	assert_true(term_wait_text(a.t, "Help: For You", 0));
	term_send(a.t, "q");
	assert_true(term_wait_gone(a.t, "Help: For You", 0));

	term_send(a.t, "Z");
	assert_true(term_wait_row(a.t, -1, "Z: no such key here, ? for help", 0));
	assert_true(term_quit(a.t));
	a.t = NULL;
}

/*
 * Item 10: a short password on the sign-up form is refused when its field
 * is left (Tab), with the focus kept on it, not after it was repeated.
 */
static void
signup_checks_each_field_as_it_is_left(void **state)
{
	const char	*u = fresh_user("early");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	int		 row, col, prow, pcol;

	(void)state;
	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	term_key(t, VTERM_KEY_TAB);
	assert_true(term_wait_text(t, "\u25b8 Password (optional)", 0));
	term_send(t, "short");
	assert_true(term_wait_quiet(t, 100, 0));
	term_cursor(t, &prow, &pcol);
	term_key(t, VTERM_KEY_TAB);
	assert_true(term_wait_text(t, "passwords are at least 8 characters", 0));
	/* still on the password field: the cursor has not moved to the repeat */
	assert_true(term_wait_quiet(t, 100, 0));
	term_cursor(t, &row, &col);
	assert_int_equal(row, prow);
	assert_true(term_has_text(t, "\u25b8 Password (optional)"));
	term_key(t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_closed(t, 0, NULL));
	term_close(t);
}

/* Item 14: a comment's markdown is rendered as a post's is. */
static void
comments_render_markdown(void **state)
{
	struct person	a;
	long long	id;

	(void)state;
	assert_true(person_new(&a, "mdc", "Markdown Commenter"));
	assert_true(run_as(&a, 0, "post %s", quote("a post to comment on")));
	id = strtoll(last.out, NULL, 10);
	assert_true(id > 0);
	assert_true(run_as(&a, 0, "comment %lld %s", id, quote("**loud** and `quiet` words")));
	assert_true(term_wait_selected(a.t, "a post to comment on"));
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(a.t, "1 comment", 0));
	assert_true(term_wait_text(a.t, "loud and quiet words", 0));
	/* the opened post says when, in full, where a list says "just now" */
	{
		struct json_object	*o;
		struct tm		 tm;
		time_t			 t;
		char			 want[64], day[16], rest[32];

		assert_true(run_as(&a, 0, "show %lld --json", id));
		assert_non_null(o = json_tokener_parse(last.out));
		memset(&tm, 0, sizeof tm);
		assert_non_null(strptime(jstr(o, "created_at"), "%Y-%m-%dT%H:%M:%SZ", &tm));
		json_object_put(o);
		t = timegm(&tm);
		gmtime_r(&t, &tm);
		strftime(day, sizeof day, "%a", &tm);
		strftime(rest, sizeof rest, "%b %Y %H:%M UTC", &tm);
		snprintf(want, sizeof want, "\u00b7 %s %d %s \u00b7", day, tm.tm_mday, rest);
		assert_true(wait_row_has(a.t, "@mdc", want));
	}
	assert_true(absent(a.t, "**loud**"));
	assert_true(absent(a.t, "`quiet`"));
	term_send(a.t, "q");	/* back on Home: the post screen's "-- 1 comment --" line goes */
	assert_true(term_wait_gone(a.t, " 1 comment \u2500", 0));
	assert_true(term_quit(a.t));
	a.t = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(notifications_open_their_target, polish_teardown),
		cmocka_unit_test_teardown(cursor_at_the_insertion_point, polish_teardown),
		cmocka_unit_test_teardown(request_keys_work_as_shown, polish_teardown),
		cmocka_unit_test_teardown(paste_is_text_never_keys, polish_teardown),
		cmocka_unit_test_teardown(counts_read_as_words, polish_teardown),
		cmocka_unit_test_teardown(own_actions_show_at_once, polish_teardown),
		cmocka_unit_test_teardown(keys_as_in_other_tuis, polish_teardown),
		cmocka_unit_test_teardown(signup_checks_each_field_as_it_is_left, polish_teardown),
		cmocka_unit_test_teardown(comments_render_markdown, polish_teardown),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	if (getenv("SSHBOOK_E2E_FILTER") != NULL)
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e polish", tests, e2e_group_setup,
	    e2e_group_teardown);
}
