/*
 * End to end: direct messages (issue 5), with two or three people connected
 * at once. What one of them writes must show on the others' screens without
 * a key pressed there: the status line's " msg N " count, the Messages tab,
 * an open chat (new messages, "seen", "(edited)", "message deleted").
 *
 * Screen layout of the chat at 80x24 (tui/screen_chat.c): row 1 "Chat with
 * NAME @user", the history filling rows 2..19 from the bottom (a "HH:MM who"
 * line, the text indented by 4 below it, "seen" under my last message once
 * read, "── Wed 25 Nov 2026 ──" where the day changes), a rule on row 21, the
 * input "> ..." on row 22 (a long text grows it upwards, at most 5 rows),
 * the status line on row 23.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

/* Texts of the screens (tui/screen_messages.c, tui/screen_chat.c, cli/cmd_messages.c). */
#define TXT_MSGS_TAB	"Messages"
#define TXT_NO_CONVS	"No conversations yet"
#define TXT_REQUEST_ROW	"request: a accept, x decline"
#define TXT_CHAT	"Chat with "
#define TXT_CHAT_REQ	"message request: a accepts, x declines"
#define TXT_SEEN	"seen"
#define TXT_EDITED	"(edited)"
#define TXT_DELETED	"message deleted"
#define TXT_BROWSE	"j/k pick"	/* browsing (e edit, d delete only on your own) */
#define TXT_REQ_KEYS	"a accept  x decline  i reply (accepts)"
#define TXT_EDIT_PROMPT	"Edit message:"
#define TXT_DEL_ASK	"Delete this message for both of you? (y/n)"
#define TXT_NOT_OWN_E	"you can only edit your own messages"
#define TXT_NOT_OWN_D	"you can only delete your own messages"
#define TXT_ACCEPTED	"request accepted"
#define TXT_DECLINED	"request declined"
#define ROW_INPUT	(-2)	/* "> " and what is typed */

static int
messages_teardown(void **state)
{
	exec_result_free(&last);
	return e2e_teardown(state);
}

/*
 * Leave from wherever the session is: in a chat's input line Esc first
 * (browse mode), then back to Home with 1, then q, y. True when the session
 * ended with status 0.
 */
static bool
bye(struct term *t)
{
	/* decide on a settled screen: half a frame may still show the hint of the mode before */
	term_wait_quiet(t, 100, 0);
	if (term_has_text(t, TXT_CHAT) && !term_has_text(t, TXT_BROWSE)) {
		term_key(t, VTERM_KEY_ESCAPE);
		if (!term_wait_text(t, TXT_BROWSE, 0)) {
			term_close(t);
			return false;
		}
	}
	term_send(t, "1");
	if (!term_wait_text(t, TXT_HOME, 0)) {
		term_close(t);
		return false;
	}
	return term_quit(t);
}

/* Quote s as one word for the exec command line (common/cmdline.h: single quotes). */
static char *
quote_dup(const char *s)
{
	size_t	 n = strlen(s);
	char	*q = malloc(n * 4 + 3), *w = q;

	*w++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(w, "'\\''", 4);
			w += 4;
		} else
			*w++ = *s;
	}
	*w++ = '\'';
	*w = '\0';
	return q;
}

/* The row that is exactly "    seen" (the read mark under my last message), or -1. */
static int
seen_row(struct term *t)
{
	char	row[512];
	int	y;

	for (y = 0; y < TERM_ROWS; y++) {
		term_row(t, y, row, sizeof row);
		if (strcmp(row, "    " TXT_SEEN) == 0)
			return y;
	}
	return -1;
}

/* Wait until the "seen" mark is right below the message text (its last line). */
static bool
wait_seen_under(struct term *t, const char *text)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	for (;;) {
		int y = term_find(t, text), s = seen_row(t);

		if (y >= 0 && s == y + 1)
			return true;
		if (harness_now_ms() >= deadline)
			return screen_fail(t, "no '%s' under '%s'", TXT_SEEN, text);
		term_pump(t, 50);
	}
}


/*
 * With nothing happening, the server and the apps stay idle: over half a
 * second of a quiet screen they use (almost) no CPU. Catches screens that
 * reload and hint each other in a loop without changing what they draw.
 */
static bool
server_idle(struct term *t)
{
	double before = server_cpu_ms(e2e_srv, true), used;

	term_wait_quiet(t, 500, 0);
	used = server_cpu_ms(e2e_srv, true) - before;
	if (used <= 50)	/* 50 ms of CPU in 500 ms */
		return true;
	fprintf(stderr, "test: the server used %.0f ms of CPU while nothing happened\n", used);
	return false;
}

/* The first row of the Messages tab's list (tui/screen_messages.c: content top + 3). */
#define ROW_FIRST_CONV	4

/* On tab 3, select who's row (j from the top) and press Enter: the chat opens. */
static bool
chat_from_tab(struct term *t, const struct person *who)
{
	char	title[160];
	int	y;

	term_send(t, "3");
	if (!term_wait_text(t, at(who), 0))
		return false;
	term_wait_quiet(t, 50, 0);
	if ((y = term_find(t, at(who))) < ROW_FIRST_CONV)
		return screen_fail(t, "'%s' is not in the list", at(who));
	for (; y > ROW_FIRST_CONV; y--)
		term_send(t, "j");
	term_key(t, VTERM_KEY_ENTER);
	snprintf(title, sizeof title, TXT_CHAT "%s @%s", who->display, who->name);
	return term_wait_row(t, 1, title, 0);
}

/*
 * Type text into the chat's input and press Enter; the input empties. A long
 * text wraps over several input rows: its last word is on the last one.
 */
static bool
chat_say(struct term *t, const char *text)
{
	const char *tail = text;

	if (strlen(text) > 60) {
		if ((tail = strrchr(text, ' ')) != NULL)
			tail++;
		else {
			tail = text + strlen(text) - 30;
			while (((unsigned char)*tail & 0xc0) == 0x80)
				tail++;
		}
	}
	term_send(t, text);
	if (!term_wait_row(t, ROW_INPUT, tail, 0))
		return false;
	term_key(t, VTERM_KEY_ENTER);
	return term_wait_row_gone(t, ROW_INPUT, tail, 0);
}

/* RFC 3339 in UTC: 2026-01-02T03:04:05Z (fractions of a second allowed). */
static bool
is_rfc3339_utc(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	}
	if (s[i] == '.')
		for (i++; isdigit((unsigned char)s[i]); i++)
			;
	return strcmp(s + i, "Z") == 0;
}

/* ---- live delivery ------------------------------------------------------------- */

/*
 * bob sits on Home; his friend alice sends `dm bob hi` over exec. bob's status
 * line shows " msg 1 " (and a notification) with no key pressed; tab 3 lists
 * alice with the preview and "1 unread"; Enter opens the chat with the
 * message in it, and both counts go back to 0.
 */
static void
dm_by_exec_shows_live(void **state)
{
	struct person a, b;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Reader"));
	assert_true(person_new(&a, "alice", "Alice Sender"));
	assert_true(make_friends(&b, &a));
	assert_true(run_as(&b, 0, "notifications read all"));
	assert_true(term_wait_badge(b.t, 0));

	assert_true(run_as(&a, 0, "dm %s hi", b.name));
	assert_string_equal(last.out, "");	/* between friends: no "message request" line */
	assert_true(term_wait_msg_count(b.t, 1));
	assert_true(term_wait_badge(b.t, 1));
	assert_true(term_wait_text(b.t, TXT_HOME, 0));	/* it came to him; he did nothing */
	assert_true(term_msg_count_is(a.t, 0));		/* the sender's count does not move */

	term_send(b.t, "3");
	assert_true(term_wait_text(b.t, "1 conversation  ·  0 requests", 0));
	assert_true(wait_row_has(b.t, at(&a), "Alice Sender"));
	assert_true(wait_row_has(b.t, at(&a), "hi"));
	assert_true(wait_row_has(b.t, at(&a), "1 unread"));
	assert_true(term_msg_count_is(b.t, 1));		/* looking at the list is not reading */

	term_key(b.t, VTERM_KEY_ENTER);
	assert_true(term_wait_row(b.t, 1, "Chat with Alice Sender", 0));
	assert_true(wait_below_has(b.t, "    hi", -1, "Alice Sender"));
	assert_true(term_wait_msg_count(b.t, 0));
	assert_true(term_wait_badge(b.t, 0));

	/* back on the list: read now */
	term_key(b.t, VTERM_KEY_ESCAPE);		/* input line -> browse */
	assert_true(term_wait_text(b.t, TXT_BROWSE, 0));
	term_send(b.t, "q");
	assert_true(term_wait_text(b.t, "1 conversation", 0));
	assert_true(absent(b.t, "1 unread"));
	assert_true(run_as(&b, 0, "messages --json"));
	assert_non_null(strstr(last.out, "\"unread\":0"));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/*
 * Both in the chat (alice through `:dm bob`, bob from tab 3): what one types
 * and sends with Enter appears on the other's screen with no key pressed
 * there; with bob looking, alice sees "seen" under her last message. UTF-8
 * and wide characters arrive whole; a long message wraps.
 */
static void
chat_both_ways_live(void **state)
{
	static const char longtext[] = "the quick brown fox jumps over the lazy dog and then "
	    "it does it again and again until the line is far too long for one row of eighty "
	    "columns, wrapped-end";
	struct person	a, b;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Chat"));
	assert_true(person_new(&b, "bob", "Bob Chat"));
	assert_true(make_friends(&a, &b));
	assert_true(run_as(&a, 0, "dm %s first", b.name));
	assert_true(chat_from_tab(b.t, &a));
	assert_true(wait_below_has(b.t, "    first", -1, "Alice Chat"));
	assert_true(chat_by_command(a.t, &b, ">"));
	/* bob has read it: alice sees "seen" under "first" */
	assert_true(wait_seen_under(a.t, "    first"));
	/* two open chats on one conversation do not keep each other busy */
	assert_true(server_idle(a.t));

	assert_true(chat_say(a.t, "hello bob"));
	assert_true(term_wait_text(a.t, "    hello bob", 0));
	assert_true(term_wait_text(b.t, "    hello bob", 0));	/* no key on bob's side */
	assert_true(wait_seen_under(a.t, "    hello bob"));	/* bob has it on screen */
	assert_int_equal(seen_row(a.t), term_find(a.t, "    hello bob") + 1);

	assert_true(chat_say(b.t, "h\u00e9llo alice \u65e5\u672c"));
	assert_true(term_wait_text(a.t, "h\u00e9llo alice \u65e5\u672c", 0));
	assert_true(wait_below_has(a.t, "h\u00e9llo alice", -1, "Bob Chat"));
	assert_true(wait_seen_under(b.t, "h\u00e9llo alice \u65e5\u672c"));
	/* "seen" marks my last message: alice's stays under hers after bob's reply */
	assert_int_equal(seen_row(a.t), term_find(a.t, "    hello bob") + 1);

	assert_true(chat_say(a.t, longtext));
	assert_true(term_wait_text(b.t, "wrapped-end", 0));
	assert_true(term_find(b.t, "wrapped-end") > term_find(b.t, "the quick brown fox"));
	assert_true(term_msg_count_is(a.t, 0));
	assert_true(term_msg_count_is(b.t, 0));

	assert_true(run_as(&a, 0, "messages %s --json", b.name));
	assert_int_equal(count_lines(last.out), 4);
	assert_null(strstr(last.out, "\"read\":false"));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/*
 * The other ways into a chat: `m` on a profile (found with `/`), and `m` on
 * the Messages tab, which asks whom. q leaves the chat back to where it was
 * opened from.
 */
static void
chat_from_profile_and_prompt(void **state)
{
	struct person	a, b;
	char		title[160];

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Opens"));
	assert_true(person_new_offline(&b, "bob", "Bob Opened"));
	snprintf(title, sizeof title, TXT_CHAT "%s @%s", b.display, b.name);

	/* the profile: / and the name, Enter, m */
	term_send(a.t, "/");
	assert_true(term_wait_text(a.t, "Search:", 0));
	term_send(a.t, b.name);
	assert_true(term_wait_text(a.t, at(&b), 0));
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(a.t, "Joined", 0));
	term_send(a.t, "m");
	assert_true(term_wait_row(a.t, 1, title, 0));
	assert_true(term_wait_text(a.t, "No messages yet: say hello.", 0));
	assert_true(chat_say(a.t, "from your profile"));
	assert_true(term_wait_text(a.t, "    from your profile", 0));
	assert_true(term_wait_text(a.t, "sent as a message request", 0));	/* not friends */
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(a.t, TXT_BROWSE, 0));
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, "Joined", 0));			/* back on the profile */

	/* the Messages tab: m asks whom */
	term_send(a.t, "3");
	assert_true(wait_row_has(a.t, at(&b), "waiting for them"));
	term_send(a.t, "m");
	assert_true(term_wait_row(a.t, -1, "Message whom (username):", 0));
	term_send(a.t, "@");
	term_send(a.t, b.name);
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_row(a.t, 1, title, 0));
	assert_true(term_wait_text(a.t, "    from your profile", 0));

	/* nobody by that name */
	term_key(a.t, VTERM_KEY_ESCAPE);
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, "1 conversation", 0));
	term_send(a.t, "m");
	assert_true(term_wait_row(a.t, -1, "Message whom (username):", 0));
	term_send(a.t, "nobody-here");
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(a.t, "No such user (or you cannot message them).", 0));
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, "1 conversation", 0));
	assert_true(bye(a.t));
}

/* ---- message requests ------------------------------------------------------------ */

/*
 * carol, no friend of bob's, writes to him: her `dm` says it went as a
 * request; bob's Messages tab (open, no key pressed) lists it as a request;
 * a accepts and it becomes an ordinary conversation. dave, another stranger,
 * is declined with x: his next `dm` fails with exit 3 and one line, and
 * nothing is stored, until the two are friends.
 */
static void
requests_accept_and_decline(void **state)
{
	struct person	b, c, d;
	char		row[512];

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Asked"));
	assert_true(person_new_offline(&c, "carol", "Carol Stranger"));
	assert_true(person_new_offline(&d, "dave", "Dave Stranger"));
	term_send(b.t, "3");
	assert_true(term_wait_text(b.t, TXT_NO_CONVS, 0));

	assert_true(run_as(&c, 0, "dm %s hello from carol", b.name));
	assert_non_null(strstr(last.out, "message request"));
	assert_true(wait_row_has(b.t, at(&c), TXT_REQUEST_ROW));
	assert_true(wait_row_has(b.t, at(&c), "hello from"));	/* the preview, cut to fit */
	assert_true(term_wait_text(b.t, "0 conversations  ·  1 request", 0));
	assert_true(term_wait_msg_count(b.t, 1));		/* requests count as unread */
	assert_true(run_as(&c, 0, "messages"));
	assert_non_null(strstr(last.out, "waiting for them to accept"));

	term_send(b.t, "a");
	assert_true(term_wait_row(b.t, -1, TXT_ACCEPTED, 0));
	assert_true(term_wait_text(b.t, "1 conversation  ·  0 requests", 0));
	assert_true(wait_row_has(b.t, at(&c), "1 unread"));
	assert_true(absent(b.t, TXT_REQUEST_ROW));
	assert_true(run_as(&c, 0, "dm %s thanks", b.name));
	assert_string_equal(last.out, "");			/* no longer a request */
	assert_true(wait_row_has(b.t, at(&c), "2 unread"));
	assert_true(term_wait_msg_count(b.t, 2));
	assert_true(run_as(&c, 0, "messages"));
	assert_null(strstr(last.out, "waiting for them"));

	/* dave: declined */
	assert_true(run_as(&d, 0, "dm %s buy my stuff", b.name));
	assert_true(term_wait_text(b.t, "1 conversation  ·  1 request", 0));
	assert_true(wait_row_has(b.t, at(&d), TXT_REQUEST_ROW));
	assert_true(term_wait_msg_count(b.t, 3));
	assert_int_equal(term_find(b.t, at(&d)), ROW_FIRST_CONV);	/* requests first */
	term_send(b.t, "x");
	assert_true(term_wait_text(b.t, TXT_DECLINED ": they cannot message you", 0));
	assert_true(term_wait_gone(b.t, at(&d), 0));
	assert_true(term_wait_msg_count(b.t, 2));
	assert_true(term_wait_text(b.t, "1 conversation  ·  0 requests", 0));

	assert_true(run_as(&d, 3, "dm %s please", b.name));
	assert_true(last_failed_cleanly());
	assert_non_null(strstr(last.err, "not taking messages"));
	assert_true(run_as(&d, 0, "messages"));
	assert_non_null(strstr(last.out, "not taking messages from you"));
	assert_true(run_as(&d, 0, "messages %s --json", b.name));
	assert_int_equal(count_lines(last.out), 1);		/* only the first one */
	assert_true(absent(b.t, at(&d)));
	assert_true(term_msg_count_is(b.t, 2));

	/* a on an ordinary conversation is no answer to anything */
	term_send(b.t, "a");
	assert_true(term_wait_row(b.t, -1, "that is not a message request", 0));

	/* friends now: dave may write again, and it is an ordinary message */
	assert_true(run_as(&d, 0, "friend add %s", b.name));
	assert_true(run_as(&b, 0, "friend accept %s", d.name));
	assert_true(run_as(&d, 0, "dm %s friends now", b.name));
	assert_string_equal(last.out, "");
	assert_true(wait_row_has(b.t, at(&d), "friends now"));
	term_row(b.t, term_find(b.t, at(&d)), row, sizeof row);
	assert_null(strstr(row, TXT_REQUEST_ROW));
	/*
	 * Becoming friends accepts the declined request (storage/messages.h), so
	 * its first message counts as unread again, with the new one: 2 + 2.
	 */
	assert_true(wait_row_has(b.t, at(&d), "2 unread"));
	assert_true(term_wait_msg_count(b.t, 4));
	assert_true(bye(b.t));
}

/*
 * The request seen from inside the chat: bob opens carol's request, the
 * title line says so and reading it does not mark it read (she must not see
 * "seen" before he accepts); it opens with no input line, so a accepts at
 * once (issue 11), and then it is read.
 */
static void
request_answered_in_chat(void **state)
{
	struct person	b, c;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Chats"));
	assert_true(person_new(&c, "carol", "Carol Asks"));
	assert_true(run_as(&c, 0, "dm %s may I", b.name));
	assert_true(term_wait_msg_count(b.t, 1));
	assert_true(chat_by_command(c.t, &b, ">"));
	assert_true(term_wait_text(c.t, "    may I", 0));

	assert_true(chat_from_tab(b.t, &c));
	assert_true(term_wait_text(b.t, TXT_CHAT_REQ, 0));
	assert_true(term_wait_text(b.t, "    may I", 0));
	assert_true(absent(c.t, "    " TXT_SEEN));
	assert_true(term_msg_count_is(b.t, 1));

	/* the request opens with no input line: a is the key it says, not text */
	assert_true(term_wait_text(b.t, TXT_REQ_KEYS, 0));
	term_send(b.t, "a");
	assert_true(term_wait_row(b.t, -1, "request accepted", 0));
	assert_true(term_wait_gone(b.t, TXT_CHAT_REQ, 0));
	assert_true(term_wait_msg_count(b.t, 0));
	assert_true(wait_seen_under(c.t, "    may I"));		/* carol's screen, no key */
	term_send(b.t, "i");
	assert_true(chat_say(b.t, "sure"));
	assert_true(term_wait_text(c.t, "    sure", 0));
	assert_true(bye(b.t));
	assert_true(bye(c.t));
}

/* ---- edit and delete ------------------------------------------------------------- */

/*
 * In the chat: Esc, k to pick her own message, e opens a prompt with its
 * text, she changes it and presses Enter: both screens show the new text and
 * "(edited)". d asks, y deletes: both show "message deleted". e and d on
 * bob's message answer with an error and change nothing.
 */
static void
edit_and_delete_live(void **state)
{
	struct person	a, b;
	char		row[512];
	int		y;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Edits"));
	assert_true(person_new(&b, "bob", "Bob Watches"));
	assert_true(make_friends(&a, &b));
	assert_true(chat_by_command(a.t, &b, ">"));
	assert_true(chat_by_command(b.t, &a, ">"));
	assert_true(chat_say(a.t, "see you at 5"));
	assert_true(term_wait_text(b.t, "    see you at 5", 0));
	assert_true(chat_say(b.t, "ok from bob"));
	assert_true(term_wait_text(a.t, "    ok from bob", 0));

	/* bob's message is picked first: not hers to change */
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(a.t, TXT_BROWSE, 0));
	assert_true(wait_below_has(a.t, "    ok from bob", -1, "\u258c"));	/* the pick mark */
	term_send(a.t, "e");
	assert_true(term_wait_row(a.t, -1, TXT_NOT_OWN_E, 0));
	assert_true(absent(a.t, TXT_EDIT_PROMPT));
	term_send(a.t, "d");
	assert_true(term_wait_row(a.t, -1, TXT_NOT_OWN_D, 0));
	assert_true(absent(a.t, TXT_DEL_ASK));
	assert_true(absent(b.t, TXT_EDITED));
	assert_true(absent(b.t, TXT_DELETED));

	/* k: her own; e shows the text in the prompt */
	term_send(a.t, "k");
	assert_true(wait_below_has(a.t, "    see you at 5", -1, "\u258c"));
	term_send(a.t, "e");
	assert_true(term_wait_row(a.t, -1, TXT_EDIT_PROMPT " see you at 5", 0));
	term_key(a.t, VTERM_KEY_BACKSPACE);
	term_send(a.t, "6 instead");
	assert_true(term_wait_row(a.t, -1, "see you at 6 instead", 0));
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(a.t, "    see you at 6 instead", 0));
	assert_true(term_wait_text(b.t, "    see you at 6 instead", 0));	/* no key */
	assert_true(wait_below_has(b.t, "    see you at 6 instead", -1, TXT_EDITED));
	assert_true(wait_below_has(a.t, "    see you at 6 instead", -1, TXT_EDITED));
	assert_true(absent(b.t, "see you at 5"));
	y = term_find(b.t, "    ok from bob");
	term_row(b.t, y - 1, row, sizeof row);
	assert_null(strstr(row, TXT_EDITED));

	/* Esc in the edit prompt changes nothing */
	term_send(a.t, "e");
	assert_true(term_wait_row(a.t, -1, TXT_EDIT_PROMPT, 0));
	term_send(a.t, " and more");
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_row_gone(a.t, -1, TXT_EDIT_PROMPT, 0));
	assert_true(absent(b.t, "and more"));

	/* d asks; n keeps it, y deletes it for both */
	term_send(a.t, "d");
	assert_true(term_wait_row(a.t, -1, TXT_DEL_ASK, 0));
	term_send(a.t, "n");
	assert_true(term_wait_row_gone(a.t, -1, TXT_DEL_ASK, 0));
	assert_true(absent(b.t, TXT_DELETED));
	term_send(a.t, "d");
	assert_true(term_wait_row(a.t, -1, TXT_DEL_ASK, 0));
	term_send(a.t, "y");
	assert_true(term_wait_text(a.t, "    " TXT_DELETED, 0));
	assert_true(term_wait_text(b.t, "    " TXT_DELETED, 0));		/* no key */
	assert_true(term_wait_gone(b.t, "see you at 6", 0));
	assert_true(term_wait_gone(a.t, "see you at 6", 0));
	assert_true(term_wait_text(b.t, "    ok from bob", 0));
	/* a deleted message cannot be edited or deleted again */
	term_send(a.t, "e");
	assert_true(term_wait_row(a.t, -1, TXT_NOT_OWN_E, 0));

	/* over exec: the same rules (bob's message is not alice's) */
	assert_true(run_as(&b, 0, "messages %s --json", a.name));
	assert_int_equal(count_lines(last.out), 2);
	assert_non_null(strstr(last.out, "\"deleted\":true"));
	assert_null(strstr(last.out, "see you"));
	{
		struct json_object	*v[4];
		int			 n = json_lines(last.out, v, 4);
		long long		 bobs = 0;

		assert_int_equal(n, 2);
		for (int i = 0; i < n; i++)
			if (strcmp(jstr(v[i], "from"), b.name) == 0)
				bobs = (long long)json_object_get_int64(
				    json_object_object_get(v[i], "id"));
		json_free_all(v, n);
		assert_true(bobs > 0);
		assert_true(run_as(&a, 3, "messages edit %lld hacked", bobs));
		assert_true(last_failed_cleanly());
		assert_true(run_as(&a, 3, "messages delete %lld", bobs));
		assert_true(last_failed_cleanly());
		assert_true(absent(a.t, "hacked"));
		assert_true(term_wait_text(b.t, "    ok from bob", 0));
	}
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/* ---- unread counts ------------------------------------------------------------------ */

/*
 * bob has three sessions: Home, Notifications, and (later) a chat. Messages
 * from alice and carol move " msg N " up in all of them; alice deleting an
 * unread message moves it down; bob reading over exec, then in a chat in his
 * third session, takes it to 0 everywhere, all without a key in the others.
 */
static void
unread_counts_across_sessions(void **state)
{
	struct person	 a, b, c;
	struct term	*t2, *t3;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Counts"));
	assert_true(person_new_offline(&a, "alice", "Alice Counts"));
	assert_true(person_new_offline(&c, "carol", "Carol Counts"));
	assert_true(make_friends(&a, &b));
	assert_true(make_friends(&c, &b));
	assert_non_null(t2 = person_login(&b));
	term_send(t2, "4");
	assert_true(term_wait_text(t2, " unread", 0));

	assert_true(run_as(&a, 0, "dm %s one", b.name));
	assert_true(term_wait_msg_count(b.t, 1));
	assert_true(term_wait_msg_count(t2, 1));
	assert_true(run_as(&a, 0, "dm %s two", b.name));
	assert_true(run_as(&c, 0, "dm %s three", b.name));
	assert_true(term_wait_msg_count(b.t, 3));
	assert_true(term_wait_msg_count(t2, 3));
	assert_non_null(t3 = person_login(&b));
	assert_true(term_wait_msg_count(t3, 3));

	/* alice takes one back: down by one */
	assert_true(run_as(&a, 0, "messages %s --json", b.name));
	{
		struct json_object	*v[4];
		int			 n = json_lines(last.out, v, 4);
		long long		 id = 0;

		assert_int_equal(n, 2);
		for (int i = 0; i < n; i++)
			if (strcmp(jstr(v[i], "text"), "two") == 0)
				id = (long long)json_object_get_int64(
				    json_object_object_get(v[i], "id"));
		json_free_all(v, n);
		assert_true(run_as(&a, 0, "messages delete %lld", id));
	}
	assert_true(term_wait_msg_count(b.t, 2));
	assert_true(term_wait_msg_count(t2, 2));
	assert_true(term_wait_msg_count(t3, 2));

	/* bob reads alice's over exec */
	assert_true(run_as(&b, 0, "messages %s", a.name));
	assert_non_null(strstr(last.out, "one"));
	assert_true(term_wait_msg_count(b.t, 1));
	assert_true(term_wait_msg_count(t2, 1));
	assert_true(term_wait_msg_count(t3, 1));

	/* and carol's in a chat in his third session */
	assert_true(chat_from_tab(t3, &c));
	assert_true(term_wait_text(t3, "    three", 0));
	assert_true(term_wait_msg_count(t3, 0));
	assert_true(term_wait_msg_count(b.t, 0));
	assert_true(term_wait_msg_count(t2, 0));

	/* up again while he sits in carol's chat: a message from alice counts, carol's does not */
	assert_true(run_as(&c, 0, "dm %s four", b.name));
	assert_true(term_wait_text(t3, "    four", 0));
	assert_true(run_as(&a, 0, "dm %s five", b.name));
	assert_true(term_wait_msg_count(b.t, 1));
	assert_true(term_wait_msg_count(t3, 1));
	assert_true(term_wait_msg_count(t2, 1));
	assert_true(bye(t3));
	assert_true(bye(t2));
	assert_true(bye(b.t));
}

/* ---- scrollback --------------------------------------------------------------------- */

#define SCROLL_N	250	/* the TUI loads 100 a page: three pages */

/* "    line-0042" as the chat shows message 42's text. */
static const char *
line_text(int i)
{
	static char	ring[4][32];
	static int	next;
	char		*s = ring[next++ % 4];

	snprintf(s, sizeof ring[0], "    line-%04d", i);
	return s;
}

/* Press k n times (one write), then wait until message i is on screen and picked. */
static bool
k_until_picked(struct term *t, int n, int i)
{
	char keys[512];

	memset(keys, 'k', (size_t)n);
	keys[n] = '\0';
	term_send(t, keys);
	return wait_below_has(t, line_text(i), -1, "\u258c");
}

/*
 * 250 messages from alice (seeded over one connection): bob's chat opens on
 * the newest; Esc then k walks up, older pages load at the top, and the
 * oldest is reached with the day separator above it. A message arriving
 * while he reads old ones does not move his pick; i goes back to typing.
 */
static void
scrollback_loads_older(void **state)
{
	struct person	 a, b;
	char		*cmds[SCROLL_N];
	long long	 t0;
	int		 i;

	(void)state;
	assert_true(person_new_offline(&a, "alice", "Alice Talks"));
	assert_true(person_new(&b, "bob", "Bob Scrolls"));
	assert_true(make_friends(&a, &b));
	for (i = 0; i < SCROLL_N; i++) {
		assert_true(asprintf(&cmds[i], "dm %s line-%04d", b.name, i + 1) > 0);
	}
	t0 = harness_now_ms();
	i = exec_batch(e2e_srv, a.name, &a.cred, cmds, SCROLL_N);
	fprintf(stderr, "test: %d messages seeded in %lld ms over one connection\n", i,
	    harness_now_ms() - t0);
	for (int j = 0; j < SCROLL_N; j++)
		free(cmds[j]);
	assert_int_equal(i, SCROLL_N);
	assert_true(term_wait_msg_count(b.t, SCROLL_N));

	assert_true(chat_from_tab(b.t, &a));
	assert_true(term_wait_text(b.t, line_text(SCROLL_N), 0));
	assert_true(term_wait_text(b.t, line_text(SCROLL_N - 1), 0));
	assert_true(term_wait_msg_count(b.t, 0));
	assert_true(absent(b.t, line_text(1)));
	/* the newest is at the bottom, right above the input line */
	assert_true(term_find(b.t, line_text(SCROLL_N)) > term_find(b.t, line_text(SCROLL_N - 1)));

	term_key(b.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(b.t, TXT_BROWSE, 0));
	assert_true(wait_below_has(b.t, line_text(SCROLL_N), -1, "\u258c"));
	/* the first page holds 151..250: 99 up is its top */
	assert_true(k_until_picked(b.t, 99, SCROLL_N - 99));
	assert_true(absent(b.t, line_text(SCROLL_N - 100)));
	/* one more at the top loads the next page */
	term_send(b.t, "k");
	assert_true(term_wait_text(b.t, line_text(SCROLL_N - 100), 0));
	assert_true(k_until_picked(b.t, 100, SCROLL_N - 199));
	term_send(b.t, "k");
	assert_true(term_wait_text(b.t, line_text(SCROLL_N - 200), 0));
	assert_true(k_until_picked(b.t, 50, 1));
	assert_true(wait_below_has(b.t, line_text(1), -2, "\u2500\u2500 "));	/* day separator */
	/* k at the very top: nothing more, no error */
	term_send(b.t, "k");
	assert_true(wait_below_has(b.t, line_text(1), -1, "\u258c"));
	assert_true(absent(b.t, "cannot load"));

	/* a new message while he reads the oldest: his pick stays where it is */
	assert_true(run_as(&a, 0, "dm %s line-%04d", b.name, SCROLL_N + 1));
	assert_true(term_wait_msg_count(b.t, 0));
	term_wait_quiet(b.t, 200, 0);
	assert_true(wait_below_has(b.t, line_text(1), -1, "\u258c"));
	term_send(b.t, "j");
	assert_true(wait_below_has(b.t, line_text(2), -1, "\u258c"));

	/* i: typing again, the newest at the bottom */
	term_send(b.t, "i");
	assert_true(term_wait_text(b.t, line_text(SCROLL_N + 1), 0));
	assert_true(term_wait_gone(b.t, line_text(1), 0));
	assert_true(term_wait_gone(b.t, TXT_BROWSE, 0));
	assert_true(bye(b.t));
}

/* ---- bad input ------------------------------------------------------------------------ */

/* alice's view of her conversation with who, as JSON lines (for "nothing changed"). */
static char *
history_json(struct person *me, const struct person *who)
{
	if (!run_as(me, 0, "messages %s --json --limit 500", who->name))
		return NULL;
	return strdup(last.out);
}

/*
 * Over the limit (4,000 characters, counted as characters), invalid UTF-8,
 * control characters, escape sequences (ED, OSC title, C1 CSI), empty
 * messages, unknown users and oneself: exit 1 (2 for the unknown), one line
 * on stderr, nothing stored; bob, watching the chat, never gets his title
 * set or his screen cleared, and no escape sequence reaches his terminal.
 */
static void
bad_messages_refused(void **state)
{
	static const char *const hostile[] = {
		"clear\x1b[2Jme", "title\x1b]0;pwned\x07x", "title2\x1b]2;pwned\x1b\\x",
		"c1\xc2\x9b" "2Jx", "bell\x07x", "cr\rover", "bs\x08x", "del\x7fx", "nul-free\x01x",
		"\xff\xfe", "over\xc0\xaflong",
	};
	struct person	 a, b;
	char		*before, *after, *text, *q, ghost[64];
	int		 titles, i;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Hostile"));
	assert_true(person_new(&b, "bob", "Bob Target"));
	assert_true(make_friends(&a, &b));
	assert_true(run_as(&a, 0, "dm %s still here", b.name));
	assert_true(chat_by_command(b.t, &a, ">"));
	assert_true(term_wait_text(b.t, "    still here", 0));
	titles = vt_title_sets(b.t->vt);
	assert_non_null(before = history_json(&a, &b));

	/* 4,001 characters: refused as an argument and on stdin; 4,000 fit */
	text = malloc(4 * 4001 + 1);
	memset(text, 'a', 4001);
	text[4001] = '\0';
	assert_true(run_as(&a, 1, "dm %s %s", b.name, text));
	assert_true(last_failed_cleanly());
	assert_non_null(strstr(last.err, "4000"));
	{
		char cmd[96];

		snprintf(cmd, sizeof cmd, "dm %s", b.name);
		assert_true(run_stdin(&a, 1, cmd, text, strlen(text)));
		assert_true(last_failed_cleanly());
		assert_non_null(after = history_json(&a, &b));
		assert_string_equal(before, after);
		free(after);
		/* 4,001 two-byte characters too; 4,000 of them are a message */
		for (i = 0; i < 4001; i++)
			memcpy(text + 2 * i, "\xc3\xa9", 2);
		text[2 * 4001] = '\0';
		assert_true(run_stdin(&a, 1, cmd, text, strlen(text)));
		assert_true(last_failed_cleanly());
		text[2 * 4000] = '\0';
		assert_true(run_stdin(&a, 0, cmd, text, strlen(text)));
		/* taller than the window: its top part shows, under the sender's name */
		assert_true(wait_below_has(b.t, "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9",
		    -1, "Alice Hostile"));
		memset(text, 'z', 4000);
		text[4000] = '\0';
		assert_true(run_as(&a, 0, "dm %s %s", b.name, text));
		assert_true(term_wait_text(b.t, "zzzzzzzzzzzzzzzz", 0));
	}
	free(text);
	free(before);
	assert_non_null(before = history_json(&a, &b));

	/* control characters and escape sequences: refused, as an argument and on stdin */
	for (size_t k = 0; k < sizeof hostile / sizeof hostile[0]; k++) {
		char cmd[96];

		q = quote_dup(hostile[k]);
		if (!run_as(&a, 1, "dm %s %s", b.name, q))
			fprintf(stderr, "test: hostile message %zu was not refused\n", k);
		assert_int_equal(last.status, 1);
		assert_true(last_failed_cleanly());
		assert_null(strchr(last.err, '\x1b'));
		free(q);
		snprintf(cmd, sizeof cmd, "dm %s", b.name);
		assert_true(run_stdin(&a, 1, cmd, hostile[k], strlen(hostile[k])));
		assert_true(last_failed_cleanly());
	}
	assert_non_null(after = history_json(&a, &b));
	assert_string_equal(before, after);
	free(after);

	/* empty, unknown user, oneself */
	assert_true(run_as(&a, 1, "dm %s ''", b.name));
	assert_true(last_failed_cleanly());
	{
		char cmd[96];

		snprintf(cmd, sizeof cmd, "dm %s", b.name);
		assert_true(run_stdin(&a, 1, cmd, "\n\n", strlen("\n\n")));
		assert_true(last_failed_cleanly());
	}
	snprintf(ghost, sizeof ghost, "%s", fresh_user("ghost"));
	assert_true(run_as(&a, 2, "dm %s hello", ghost));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "dm %s hello me", a.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "dm"));
	assert_true(last_failed_cleanly());
	assert_non_null(after = history_json(&a, &b));
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* bob's terminal: no title set, not cleared, no escape from a message on the wire */
	term_wait_quiet(b.t, 200, 0);
	assert_int_equal(vt_title_sets(b.t->vt), titles);
	assert_false(vt_raw_contains(b.t->vt, "pwned", 5));
	assert_true(term_has_text(b.t, "    still here") || term_has_text(b.t, "zzzzzzzz"));
	assert_true(term_has_text(b.t, TXT_CHAT));
	assert_true(absent(b.t, "clear"));
	assert_true(run_as(&b, 0, "messages %s", a.name));
	assert_null(strchr(last.out, '\x1b'));
	assert_true(bye(b.t));
	assert_true(bye(a.t));
}

/*
 * A block stops messages both ways. bob blocks alice: to alice, bob is now
 * an unknown user (exit 2, the very words a name nobody has gets); bob, the
 * blocker, is told he blocked her (exit 3). In the TUI, where bob's name and
 * the history are on her screen, alice's send fails with "this conversation
 * is closed to you" (not "no user named") and reaches nobody; the history
 * stays readable to both.
 */
static void
block_stops_messages(void **state)
{
	struct person	a, b;
	char		ghost[64], ghost_err[256], *p;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Blocked"));
	assert_true(person_new(&b, "bob", "Bob Blocks"));
	assert_true(make_friends(&a, &b));
	assert_true(run_as(&a, 0, "dm %s before the block", b.name));
	assert_true(chat_by_command(a.t, &b, ">"));
	assert_true(chat_by_command(b.t, &a, ">"));
	assert_true(term_wait_text(b.t, "    before the block", 0));
	assert_true(run_as(&b, 0, "block %s", a.name));

	/* what alice gets for a name nobody has ... */
	snprintf(ghost, sizeof ghost, "%s", fresh_user("ghost"));
	assert_true(run_as(&a, 2, "dm %s hello", ghost));
	snprintf(ghost_err, sizeof ghost_err, "%s", last.err);
	/* ... is what she gets for bob now */
	assert_true(run_as(&a, 2, "dm %s are you there", b.name));
	assert_true(last_failed_cleanly());
	assert_null(strstr(last.err, "block"));
	p = strstr(ghost_err, ghost);
	assert_non_null(p);
	assert_int_equal(strncmp(last.err, ghost_err, (size_t)(p - ghost_err)), 0);
	/* bob, who blocked her: not allowed, and told why */
	assert_true(run_as(&b, 3, "dm %s bye", a.name));
	assert_true(last_failed_cleanly());
	assert_non_null(strstr(last.err, "blocked"));

	/* the TUI: alice's Enter does not send (the text stays for her); bob sees nothing */
	term_send(a.t, "knock knock");
	assert_true(term_wait_row(a.t, ROW_INPUT, "> knock knock", 0));
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_row(a.t, -1, "not sent: this conversation is closed to you", 0));
	assert_true(term_wait_row(a.t, ROW_INPUT, "> knock knock", 0));
	assert_true(absent(a.t, "    knock knock"));
	term_send(b.t, "go away");
	assert_true(term_wait_row(b.t, ROW_INPUT, "> go away", 0));
	term_key(b.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(b.t, "not sent: you blocked", 0));
	assert_true(absent(b.t, "knock knock"));
	assert_true(absent(a.t, "go away"));

	/* the history stays readable to both */
	assert_true(term_wait_text(a.t, "    before the block", 0));
	assert_true(run_as(&a, 0, "messages %s", b.name));
	assert_non_null(strstr(last.out, "before the block"));
	assert_true(run_as(&b, 0, "messages %s --json", a.name));
	assert_int_equal(count_lines(last.out), 1);

	/* unblocked: a conversation once held as friends is ordinary again */
	assert_true(run_as(&b, 0, "unblock %s", a.name));
	assert_true(run_as(&a, 0, "dm %s after", b.name));
	assert_string_equal(last.out, "");	/* not a message request */
	assert_true(term_wait_text(b.t, "    after", 0));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/* ---- exec ------------------------------------------------------------------------------- */

/*
 * `messages` lists the conversations and the requests; `messages USER
 * --json` prints one object per message, oldest first, with PRODUCT.md's
 * fields id from to text created_at read; --limit and --before page it;
 * `help` lists dm and messages.
 */
static void
exec_messages_json(void **state)
{
	static const char *const fields[] = { "id", "from", "to", "text", "created_at", "read" };
	struct person		 a, b, c;
	struct json_object	*v[8], *f;
	long long		 first_id;
	int			 n, i;

	(void)state;
	assert_true(person_new_offline(&a, "alice", "Alice Json"));
	assert_true(person_new_offline(&b, "bob", "Bob Json"));
	assert_true(person_new_offline(&c, "carol", "Carol Json"));
	assert_true(make_friends(&a, &b));
	assert_true(run_as(&a, 0, "messages"));
	assert_non_null(strstr(last.out, "no conversations yet"));
	assert_true(run_as(&a, 0, "dm %s one", b.name));
	assert_true(run_as(&b, 0, "dm %s two", a.name));
	{
		char cmd[96];

		snprintf(cmd, sizeof cmd, "dm %s", b.name);
		assert_true(run_stdin(&a, 0, cmd, "three\nlines\nhere\n", strlen("three\nlines\nhere\n")));
	}
	assert_true(run_as(&c, 0, "dm %s from a stranger", a.name));

	assert_true(run_as(&a, 0, "messages"));
	assert_non_null(strstr(last.out, "conversations (1):"));
	assert_non_null(strstr(last.out, b.name));
	assert_non_null(strstr(last.out, "message requests (1):"));
	assert_non_null(strstr(last.out, c.name));
	assert_non_null(strstr(last.out, "messages accept USER"));
	assert_true(run_as(&a, 0, "messages --json"));
	assert_int_equal(n = json_lines(last.out, v, 8), 2);
	assert_string_equal(jstr(v[0], "username"), b.name);
	assert_string_equal(jstr(v[1], "username"), c.name);
	assert_true(json_object_get_boolean(json_object_object_get(v[1], "request")));
	assert_int_equal(json_object_get_int(json_object_object_get(v[0], "unread")), 1);
	json_free_all(v, n);

	assert_true(run_as(&b, 0, "messages %s --json", a.name));
	assert_int_equal(n = json_lines(last.out, v, 8), 3);
	for (i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
			if (!json_object_object_get_ex(v[i], fields[k], &f))
				fprintf(stderr, "test: no '%s' in %s\n", fields[k], last.out);
			assert_true(json_object_object_get_ex(v[i], fields[k], NULL));
		}
		assert_true(json_object_is_type(json_object_object_get(v[i], "id"), json_type_int));
		assert_true(is_rfc3339_utc(jstr(v[i], "created_at")));
		assert_true(json_object_is_type(json_object_object_get(v[i], "read"),
		    json_type_boolean));
	}
	assert_string_equal(jstr(v[0], "from"), a.name);
	assert_string_equal(jstr(v[0], "to"), b.name);
	assert_string_equal(jstr(v[0], "text"), "one");
	assert_string_equal(jstr(v[1], "from"), b.name);
	assert_string_equal(jstr(v[2], "text"), "three\nlines\nhere");	/* newlines kept */
	/* "two" was read by nobody yet; "one" neither: bob reads as this prints */
	assert_false(json_object_get_boolean(json_object_object_get(v[1], "read")));
	first_id = (long long)json_object_get_int64(json_object_object_get(v[0], "id"));
	assert_true(json_object_get_int64(json_object_object_get(v[1], "id")) > first_id);
	json_free_all(v, n);
	/* bob read them by listing: alice sees them read */
	assert_true(run_as(&a, 0, "messages %s --json", b.name));
	assert_int_equal(n = json_lines(last.out, v, 8), 3);
	assert_true(json_object_get_boolean(json_object_object_get(v[0], "read")));
	json_free_all(v, n);

	/* paging */
	assert_true(run_as(&a, 0, "messages %s --json --limit 2", b.name));
	assert_int_equal(n = json_lines(last.out, v, 8), 2);
	assert_string_equal(jstr(v[0], "text"), "two");
	json_free_all(v, n);
	assert_true(run_as(&a, 0, "messages %s --limit 1", b.name));
	assert_non_null(strstr(last.out, "older: messages"));
	assert_true(run_as(&a, 0, "messages %s --json --before %lld", b.name, first_id + 1));
	assert_int_equal(n = json_lines(last.out, v, 8), 1);
	assert_string_equal(jstr(v[0], "text"), "one");
	json_free_all(v, n);

	/* errors */
	assert_true(run_as(&a, 2, "messages %s", fresh_user("ghost")));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "messages %s", a.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "messages %s --limit 0", b.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "messages %s --before abc", b.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "messages --follow"));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 2, "messages delete 999999999"));
	assert_true(last_failed_cleanly());

	assert_true(run_as(&a, 0, "help"));
	assert_non_null(strstr(last.out, "dm USER"));
	assert_non_null(strstr(last.out, "messages"));
	assert_true(run_as(&a, 0, "help dm"));
	assert_non_null(strstr(last.out, "dm USER"));
}

/*
 * `messages USER --follow` prints the history, then streams: a new message
 * from bob shows up as a new line within the deadline, so do an edit and a
 * deletion; when alice hangs up, no process is left behind.
 */
static void
messages_follow_streams(void **state)
{
	struct person		 a, b;
	struct exec_chan	*e;
	struct json_object	*v[8];
	size_t			 mark;
	long long		 id;
	int			 n;

	(void)state;
	assert_true(person_new_offline(&a, "alice", "Alice Follows"));
	assert_true(person_new_offline(&b, "bob", "Bob Streams"));
	assert_true(make_friends(&a, &b));
	assert_true(run_as(&b, 0, "dm %s history", a.name));
	assert_true(server_wait_descendants(e2e_srv, 0, 0));

	{
		char cmd[128];

		snprintf(cmd, sizeof cmd, "messages %s --follow --json", b.name);
		assert_non_null(e = exec_start(e2e_srv, a.name, &a.cred, cmd));
	}
	assert_true(exec_wait_out(e, 0, "history", 0));
	mark = e->outlen;

	assert_true(run_as(&b, 0, "dm %s live one", a.name));
	assert_true(exec_wait_out(e, mark, "live one", 0));
	assert_true(exec_wait_out(e, mark, "\n", 0));
	assert_int_equal(n = json_lines(e->out + mark, v, 8), 1);
	assert_string_equal(jstr(v[0], "from"), b.name);
	assert_string_equal(jstr(v[0], "to"), a.name);
	id = (long long)json_object_get_int64(json_object_object_get(v[0], "id"));
	json_free_all(v, n);
	assert_false(e->eof);
	/* alice is watching: what arrives is read */
	assert_true(run_as(&b, 0, "messages %s --json", a.name));
	assert_non_null(strstr(last.out, "live one"));
	assert_null(strstr(last.out, "\"read\":false"));

	mark = e->outlen;
	assert_true(run_as(&b, 0, "messages edit %lld live one, edited", id));
	assert_true(exec_wait_out(e, mark, "live one, edited", 0));
	mark = e->outlen;
	assert_true(run_as(&b, 0, "messages delete %lld", id));
	assert_true(exec_wait_out(e, mark, "\"deleted\":true", 0));
	mark = e->outlen;
	assert_true(run_as(&a, 0, "dm %s my own", b.name));
	assert_true(exec_wait_out(e, mark, "my own", 0));

	exec_close(e);
	assert_true(server_wait_descendants(e2e_srv, 0, 0));
	assert_true(server_alive(e2e_srv));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(dm_by_exec_shows_live, messages_teardown),
		cmocka_unit_test_teardown(chat_both_ways_live, messages_teardown),
		cmocka_unit_test_teardown(chat_from_profile_and_prompt, messages_teardown),
		cmocka_unit_test_teardown(requests_accept_and_decline, messages_teardown),
		cmocka_unit_test_teardown(request_answered_in_chat, messages_teardown),
		cmocka_unit_test_teardown(edit_and_delete_live, messages_teardown),
		cmocka_unit_test_teardown(unread_counts_across_sessions, messages_teardown),
		cmocka_unit_test_teardown(scrollback_loads_older, messages_teardown),
		cmocka_unit_test_teardown(bad_messages_refused, messages_teardown),
		cmocka_unit_test_teardown(block_stops_messages, messages_teardown),
		cmocka_unit_test_teardown(exec_messages_json, messages_teardown),
		cmocka_unit_test_teardown(messages_follow_streams, messages_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	/* scrollback_loads_older seeds 250 messages from one user: past the default burst of 60 */
	e2e_server_config = "write_burst = 400\n";
	return cmocka_run_group_tests_name("e2e messages", tests, e2e_group_setup,
	    e2e_group_teardown);
}
