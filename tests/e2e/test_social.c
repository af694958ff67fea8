/*
 * End to end: profiles, friendships, user search and live notifications
 * (issue 3), with two or three people connected at once. What one of them
 * does must show on the others' screens without a key pressed there: the
 * status line's " notif N " badge, the Friends tab, an open profile.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

/* Texts of the screens (the TUI sources; docs/internals.md lists the stable ones). */
#define TXT_SEARCH	"Search:"
#define TXT_NOBODY	"nobody found"
#define TXT_NAME_ONLY	"Only their name and avatar are visible to you."
#define TXT_REQ_NOTIF	"sent you a friend request"
#define TXT_ACC_NOTIF	"accepted your friend request"
#define TXT_DEC_NOTIF	"declined your friend request"
#define TXT_INCOMING	"wants to be friends"
#define TXT_NO_NOTIFS	"Nothing yet."
#define AVATAR_CELL	"\u2588\u2588"	/* the identicon is drawn with full blocks */
#define ROW_FIRST_HIT	4		/* search: tab bar, query, count line, blank, first hit */

static int
social_teardown(void **state)
{
	exec_result_free(&last);
	return e2e_teardown(state);
}

/*
 * Leave from wherever the session is (a profile opened from search, the
 * search itself, a tab): back to Home with 1 (Esc first when the search line
 * has the keys), then q, y. True when the session ended with status 0.
 */
static bool
bye(struct term *t)
{
	if (term_has_text(t, TXT_SEARCH)) {
		term_key(t, VTERM_KEY_ESCAPE);
		if (!term_wait_gone(t, TXT_SEARCH, 0)) {
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

/* No SQL or FTS5 detail leaked into what the user reads. */
static bool
no_sql_leak(const char *s)
{
	static const char *const marks[] = {
		"SQL", "sql", "fts5", "FTS5", "syntax error", "malformed", "sqlite", "no such column",
		"unterminated",
	};

	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		if (strstr(s, marks[i]) != NULL) {
			fprintf(stderr, "test: '%s' leaked into '%s'\n", marks[i], s);
			return false;
		}
	}
	return true;
}

/* Open the search with `/`, type typed (a prefix of what finds who), and wait for who's row. */
static bool
search_type(struct term *t, const char *typed, const struct person *who)
{
	if (!term_has_text(t, TXT_SEARCH)) {
		term_send(t, "/");
		if (!term_wait_text(t, TXT_SEARCH, 0))
			return false;
	}
	term_send(t, typed);
	return who == NULL || term_wait_text(t, at(who), 0);
}

/*
 * From anywhere: `/`, type the first two letters of who's username (they
 * show up as typed), then the rest so who's row is the first, Enter: who's
 * profile is open.
 */
static bool
open_profile_by_search(struct term *t, const struct person *who)
{
	char two[3] = { who->name[0], who->name[1], '\0' };

	if (!search_type(t, two, who))
		return false;
	term_send(t, who->name + 2);
	if (!term_wait_row(t, ROW_FIRST_HIT, at(who), 0))
		return false;
	term_key(t, VTERM_KEY_ENTER);
	return term_wait_text(t, "Joined", 0) && term_wait_text(t, who->display, 0);
}

/* "@name  ·  relation" on an open profile. */
static bool
wait_relation(struct term *t, const struct person *who, const char *relation)
{
	char want[160];

	snprintf(want, sizeof want, "@%s  \u00b7  %s", who->name, relation);
	return term_wait_text(t, want, 0);
}

/* The notification's actor as a username, whether `actor` is a string or an object. */
static const char *
jactor(struct json_object *o)
{
	struct json_object *f;

	if (!json_object_object_get_ex(o, "actor", &f))
		return "";
	if (json_object_is_type(f, json_type_object))
		return jstr(f, "username");
	return json_object_is_type(f, json_type_string) ? json_object_get_string(f) : "";
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

/* ---- friend requests, live ------------------------------------------------- */

/*
 * alice asks over exec; bob, sitting on Home, sees his badge go to 1 with no
 * key pressed; he reads the notification on tab 4 and accepts on tab 5; alice,
 * watching her Friends tab, sees her badge move and bob become a friend.
 */
static void
request_by_exec_shows_live(void **state)
{
	struct person a, b;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Liddell"));
	assert_true(person_new(&b, "bob", "Bob Builder"));
	term_send(a.t, "5");
	assert_true(term_wait_text(a.t, "No friends yet", 0));

	assert_true(run_as(&a, 0, "friend add %s", b.name));
	assert_true(term_wait_badge(b.t, 1));
	assert_true(term_wait_text(b.t, TXT_HOME, 0));	/* it came to him; he did nothing */
	/* alice's Friends tab shows the request she sent, without a key */
	assert_true(wait_row_has(a.t, at(&b), "request sent"));
	assert_true(term_badge_is(a.t, 0));

	term_send(b.t, "4");
	assert_true(term_wait_text(b.t, TXT_REQ_NOTIF, 0));
	assert_true(wait_row_has(b.t, TXT_REQ_NOTIF, "Alice Liddell"));
	assert_true(wait_row_has(b.t, TXT_REQ_NOTIF, a.name));

	term_send(b.t, "5");
	assert_true(term_wait_text(b.t, TXT_INCOMING, 0));
	assert_true(wait_row_has(b.t, at(&a), TXT_INCOMING));
	term_send(b.t, "a");
	assert_true(term_wait_text(b.t, "are now friends", 0));
	assert_true(wait_row_has(b.t, at(&a), "mutual"));

	assert_true(term_wait_badge(a.t, 1));
	assert_true(wait_row_has(a.t, at(&b), "mutual"));
	assert_true(absent(a.t, "request sent"));
	term_send(a.t, "4");
	assert_true(term_wait_text(a.t, TXT_ACC_NOTIF, 0));
	assert_true(wait_row_has(a.t, TXT_ACC_NOTIF, "Bob Builder"));

	assert_true(run_as(&a, 0, "friends"));
	assert_non_null(strstr(last.out, b.name));
	assert_true(run_as(&b, 0, "friends"));
	assert_non_null(strstr(last.out, a.name));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/*
 * alice finds bob with `/` as she types, opens his profile and presses f; bob's
 * badge moves; he accepts over exec; alice's badge moves and the profile she
 * still has open now says they are friends, all without a key on her side.
 */
static void
request_from_search_accepted_by_exec(void **state)
{
	struct person a, b;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Search"));
	assert_true(person_new(&b, "bort", "Bort Sampson"));
	assert_true(open_profile_by_search(a.t, &b));
	assert_true(wait_relation(a.t, &b, "not friends"));
	term_send(a.t, "f");
	assert_true(wait_relation(a.t, &b, "friend request sent"));
	assert_true(term_wait_row(a.t, -1, "friend request sent to", 0));

	assert_true(term_wait_badge(b.t, 1));
	assert_true(run_as(&b, 0, "requests"));
	assert_non_null(strstr(last.out, a.name));
	assert_true(run_as(&b, 0, "friend accept %s", a.name));

	assert_true(term_wait_badge(a.t, 1));
	assert_true(wait_relation(a.t, &b, "friends"));
	assert_true(run_as(&a, 0, "friends --json"));
	assert_non_null(strstr(last.out, b.name));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/* bob, on his Friends tab, sees the request arrive, declines it with x; alice is told. */
static void
decline_tells_requester(void **state)
{
	struct person a, b;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Declined"));
	assert_true(person_new(&b, "bob", "Bob Decliner"));
	term_send(b.t, "5");
	assert_true(term_wait_text(b.t, "No friends yet", 0));
	assert_true(run_as(&a, 0, "friend add %s", b.name));
	assert_true(wait_row_has(b.t, at(&a), TXT_INCOMING));
	assert_true(term_wait_badge(b.t, 1));

	term_send(b.t, "x");
	assert_true(term_wait_row(b.t, -1, "declined the request from", 0));
	assert_true(term_wait_gone(b.t, at(&a), 0));
	assert_true(term_wait_badge(a.t, 1));
	term_send(a.t, "4");
	assert_true(term_wait_text(a.t, TXT_DEC_NOTIF, 0));
	assert_true(wait_row_has(a.t, TXT_DEC_NOTIF, "Bob Decliner"));

	assert_true(run_as(&a, 0, "friends"));
	assert_null(strstr(last.out, b.name));
	assert_true(run_as(&b, 0, "requests"));
	assert_null(strstr(last.out, a.name));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/*
 * A withdrawn request takes its notification with it: over exec while bob is
 * on Home (his badge goes back to 0), and with f on bob's profile while bob
 * looks at his Notifications tab (the row goes away too).
 */
static void
cancel_withdraws_notification(void **state)
{
	struct person a, b;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Cancels"));
	assert_true(person_new(&b, "bob", "Bob Cancelled"));
	assert_true(run_as(&a, 0, "friend add %s", b.name));
	assert_true(term_wait_badge(b.t, 1));
	assert_true(run_as(&a, 0, "friend cancel %s", b.name));
	assert_true(term_wait_badge(b.t, 0));
	term_send(b.t, "4");
	assert_true(term_wait_text(b.t, TXT_NO_NOTIFS, 0));
	assert_true(run_as(&b, 0, "notifications --json"));
	assert_string_equal(last.out, "");

	/* again from the TUI: f sends, f again cancels (no question for that) */
	assert_true(open_profile_by_search(a.t, &b));
	term_send(a.t, "f");
	assert_true(wait_relation(a.t, &b, "friend request sent"));
	assert_true(term_wait_badge(b.t, 1));
	assert_true(term_wait_text(b.t, TXT_REQ_NOTIF, 0));
	term_send(a.t, "f");
	assert_true(term_wait_row(a.t, -1, "cancelled your request to", 0));
	assert_true(wait_relation(a.t, &b, "not friends"));
	assert_true(term_wait_badge(b.t, 0));
	assert_true(term_wait_gone(b.t, TXT_REQ_NOTIF, 0));
	assert_true(run_as(&b, 0, "requests"));
	assert_null(strstr(last.out, a.name));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/*
 * r on a friend asks first; n keeps the friend, y removes; bob, watching his
 * own Friends tab, sees alice go without a key.
 */
static void
remove_asks_first(void **state)
{
	struct person	a, b;
	char		q[128];

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Removes"));
	assert_true(person_new(&b, "bob", "Bob Removed"));
	assert_true(make_friends(&a, &b));
	term_send(b.t, "5");
	assert_true(wait_row_has(b.t, at(&a), "mutual"));
	term_send(a.t, "5");
	assert_true(wait_row_has(a.t, at(&b), "mutual"));

	snprintf(q, sizeof q, "Remove '%s' from your friends? (y/n)", b.name);
	term_send(a.t, "r");
	assert_true(term_wait_row(a.t, -1, q, 0));
	term_send(a.t, "n");
	assert_true(term_wait_row_gone(a.t, -1, q, 0));
	assert_true(run_as(&a, 0, "friends"));
	assert_non_null(strstr(last.out, b.name));
	assert_true(term_wait_text(b.t, at(&a), 0));

	term_send(a.t, "r");
	assert_true(term_wait_row(a.t, -1, q, 0));
	term_send(a.t, "y");
	assert_true(term_wait_row(a.t, -1, "are no longer friends", 0));
	assert_true(term_wait_gone(a.t, at(&b), 0));
	assert_true(term_wait_gone(b.t, at(&a), 0));
	assert_true(run_as(&b, 0, "friends"));
	assert_null(strstr(last.out, a.name));
	/* the same over exec: nothing to remove any more */
	assert_true(run_as(&a, 2, "friend remove %s", b.name));
	assert_true(last_failed_cleanly());
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/*
 * alice blocks bob from his profile (after a question): he can no longer
 * request her, find her or see her profile, and learns no more than he would
 * of a name nobody has; the friendship is gone. alice can unblock him, and
 * then everything works again.
 */
static void
block_cuts_everything(void **state)
{
	struct person	a, b;
	char		q[128], ghost[64], unknown_err[512];
	int		unknown_status;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Blocks"));
	assert_true(person_new(&b, "bob", "Bob Blocked"));
	assert_true(make_friends(&a, &b));
	assert_true(open_profile_by_search(a.t, &b));
	assert_true(wait_relation(a.t, &b, "friends"));

	snprintf(q, sizeof q, "Block '%s'?", b.name);
	term_send(a.t, "b");
	assert_true(term_wait_row(a.t, -1, q, 0));
	term_send(a.t, "n");
	assert_true(term_wait_row_gone(a.t, -1, q, 0));
	assert_true(wait_relation(a.t, &b, "friends"));
	term_send(a.t, "b");
	assert_true(term_wait_row(a.t, -1, q, 0));
	term_send(a.t, "y");
	assert_true(wait_relation(a.t, &b, "blocked by you"));

	/* what bob gets for a name that does not exist ... */
	snprintf(ghost, sizeof ghost, "%s", fresh_user("ghost"));
	assert_true(run_as(&b, 2, "friend add %s", ghost));
	unknown_status = last.status;
	snprintf(unknown_err, sizeof unknown_err, "%s", last.err);
	/* ... is what he gets for alice now */
	assert_in_range(run_quiet(&b, "friend add %s", a.name), 2, 3);
	assert_true(last_failed_cleanly());
	assert_null(strstr(last.err, "block"));
	if (last.status != unknown_status)
		fprintf(stderr, "test: note: a blocked request exits %d, an unknown user %d "
		    "('%s' vs '%s')\n", last.status, unknown_status, last.err, unknown_err);
	assert_in_range(run_quiet(&b, "profile %s", a.name), 2, 3);
	assert_true(last_failed_cleanly());
	assert_true(run_as(&b, 0, "search %s --users --json", a.name));
	assert_string_equal(last.out, "");
	assert_true(run_as(&b, 0, "search %s --users --json", quote("Alice Blocks")));
	assert_string_equal(last.out, "");
	assert_true(run_as(&b, 0, "friends"));
	assert_null(strstr(last.out, a.name));
	assert_true(run_as(&a, 0, "friends"));
	assert_null(strstr(last.out, b.name));

	/* bob's search in the TUI does not find her by name or username */
	assert_true(search_type(b.t, a.name, NULL));
	assert_true(term_wait_text(b.t, TXT_NOBODY, 0));
	term_send(b.t, "\x05\x15");	/* Ctrl-E Ctrl-U: empty query */
	term_send(b.t, "Alice Blocks");
	assert_true(term_wait_text(b.t, TXT_NOBODY, 0));
	assert_true(absent(b.t, at(&a)));

	/* alice still finds bob, marked, and unblocks him over exec */
	term_key(a.t, VTERM_KEY_ESCAPE);
	assert_true(search_type(a.t, b.name, &b));
	assert_true(wait_row_has(a.t, at(&b), "blocked"));
	assert_true(run_as(&a, 0, "unblock %s", b.name));
	assert_true(run_as(&b, 0, "profile %s", a.name));
	assert_non_null(strstr(last.out, a.name));
	assert_true(run_as(&b, 0, "friend add %s", a.name));
	assert_true(term_wait_badge(a.t, 1));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/* ---- search ------------------------------------------------------------------ */

/* Results follow the typing: username prefix, display-name word prefix, every word must match. */
static void
search_prefix_as_you_type(void **state)
{
	struct person s, z1, z2;

	(void)state;
	assert_true(person_new_offline(&z1, "zeph", "Orla Quillfeather"));
	assert_true(person_new_offline(&z2, "zeno", "Orla Brennan"));
	assert_true(person_new(&s, "seeker", "Sam Seeker"));

	assert_true(search_type(s.t, "q", &z1));
	assert_true(search_type(s.t, "ui", &z1));	/* "qui" */
	assert_true(absent(s.t, at(&z2)));
	term_send(s.t, "\x05\x15");
	assert_true(search_type(s.t, "orl", &z1));
	assert_true(term_wait_text(s.t, at(&z2), 0));
	assert_true(search_type(s.t, " b", &z2));	/* "orl b": both words must match */
	assert_true(term_wait_gone(s.t, at(&z1), 0));
	term_send(s.t, "\x05\x15");
	assert_true(search_type(s.t, "zep", &z1));
	assert_true(absent(s.t, at(&z2)));
	term_send(s.t, "\x05\x15");
	assert_true(search_type(s.t, z2.name, &z2));
	assert_true(term_wait_row(s.t, ROW_FIRST_HIT, at(&z2), 0));
	/* Esc goes back to where search was opened */
	term_key(s.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(s.t, TXT_HOME, 0));

	assert_true(run_as(&s, 0, "search quill --users"));
	assert_non_null(strstr(last.out, z1.name));
	assert_null(strstr(last.out, z2.name));
	assert_true(run_as(&s, 0, "search %s --users", quote("orla bren")));
	assert_non_null(strstr(last.out, z2.name));
	assert_null(strstr(last.out, z1.name));
	assert_true(bye(s.t));
}

/* FTS5 syntax typed into search is text: no error, no crash, and words in it still match. */
static void
search_fts_syntax_is_text(void **state)
{
	static const char *const hostile[] = {
		"\"", "*", "NEAR(", "NEAR(a b", "\"unbalanced", "a\" OR \"b", "(", ")(", "-",
		"^x", "col:x", "a AND", "OR", "NOT", "AND", "'", "\\", "{a b}", "a + b", "\"\"",
		"NEAR(\"x\" \"y\", 2)", "*\"*", "%", "_", ";--", "x'); DROP TABLE users; --",
	};
	struct person	s, n;
	char		row[1024];

	(void)state;
	assert_true(person_new_offline(&n, "nick", "Nearly Headless"));
	assert_true(person_new(&s, "seeker", "Syntax Seeker"));

	/* the words in syntax still find people */
	assert_true(search_type(s.t, "NEAR(", &n));
	term_send(s.t, "\x05\x15");
	assert_true(search_type(s.t, "\"nearly", &n));
	term_send(s.t, "\x05\x15");
	assert_true(search_type(s.t, "nea*", &n));
	term_send(s.t, "\x05\x15");
	assert_true(search_type(s.t, "\"headl", &n));

	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		term_send(s.t, "\x05\x15");
		term_send(s.t, hostile[i]);
		term_wait_quiet(s.t, 100, 0);
		term_row(s.t, -1, row, sizeof row);
		if (term_has_text(s.t, "search failed") || !no_sql_leak(row) || s.t->eof) {
			fprintf(stderr, "test: typing '%s' in search:\n", hostile[i]);
			term_screen_dump(s.t, stderr);
			fail();
		}
		assert_true(term_wait_text(s.t, TXT_SEARCH, 0));
	}
	term_key(s.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_text(s.t, TXT_HOME, 0));

	/* the same over exec: exit 0, never an SQL error */
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		assert_true(run_as(&s, 0, "search %s --users", quote(hostile[i])));
		assert_true(no_sql_leak(last.err) && no_sql_leak(last.out));
		assert_string_equal(last.err, "");
	}
	assert_true(run_as(&s, 0, "search %s --users", quote("NEAR(")));
	assert_non_null(strstr(last.out, n.name));
	assert_true(run_as(&s, 0, "search %s --users --json", quote("\"nearly")));
	assert_non_null(strstr(last.out, n.name));
	assert_true(bye(s.t));
}

/* ---- profiles ------------------------------------------------------------------ */

/*
 * Privacy "friends": a stranger sees the name and the avatar only, a friend
 * everything; "private": even a friend sees the name only; the owner always
 * sees it all. Search matches hidden fields only for those who may see them.
 */
static void
profile_privacy(void **state)
{
	struct person	a, b, c;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Private"));
	assert_true(person_new(&a, "alice", "Alice Friend"));
	assert_true(person_new(&c, "carol", "Carol Stranger"));
	assert_true(make_friends(&a, &b));
	assert_true(run_as(&b, 0, "profile set location Atlantis"));
	assert_true(run_as(&b, 0, "profile set bio %s", quote("Keeps bees on the roof")));
	assert_true(run_as(&b, 0, "profile set tags beekeeping"));
	assert_true(run_as(&b, 0, "profile set privacy friends"));

	/* carol, a stranger */
	assert_true(open_profile_by_search(c.t, &b));
	assert_true(term_wait_text(c.t, TXT_NAME_ONLY, 0));
	assert_true(term_wait_text(c.t, "Bob Private", 0));
	assert_true(term_wait_text(c.t, AVATAR_CELL, 0));
	assert_true(absent(c.t, "Atlantis"));
	assert_true(absent(c.t, "Keeps bees"));
	assert_true(absent(c.t, "beekeeping"));
	assert_true(run_as(&c, 0, "profile %s --json", b.name));
	assert_null(strstr(last.out, "Atlantis"));
	assert_null(strstr(last.out, "bees"));
	assert_true(run_as(&c, 3, "friends %s", b.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&c, 0, "search atlantis --users --json"));
	assert_null(strstr(last.out, b.name));

	/* alice, a friend */
	assert_true(open_profile_by_search(a.t, &b));
	assert_true(term_wait_text(a.t, "Location: Atlantis", 0));
	assert_true(term_wait_text(a.t, "Keeps bees on the roof", 0));
	assert_true(term_wait_text(a.t, "#beekeeping", 0));
	assert_true(absent(a.t, TXT_NAME_ONLY));
	assert_true(run_as(&a, 0, "friends %s", b.name));
	assert_non_null(strstr(last.out, a.name));
	assert_true(run_as(&a, 0, "search atlantis --users"));
	assert_non_null(strstr(last.out, b.name));

	/* private: alice (reopening the profile) sees the name only */
	assert_true(run_as(&b, 0, "profile set privacy private"));
	term_send(a.t, "q");
	assert_true(term_wait_text(a.t, TXT_SEARCH, 0));
	term_key(a.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(a.t, TXT_NAME_ONLY, 0));
	assert_true(term_wait_text(a.t, "Bob Private", 0));
	assert_true(absent(a.t, "Atlantis"));
	assert_true(run_as(&a, 0, "profile %s --json", b.name));
	assert_null(strstr(last.out, "Atlantis"));

	/* bob sees all of his own */
	term_send(b.t, "8");
	assert_true(term_wait_text(b.t, "Location: Atlantis", 0));
	assert_true(term_wait_text(b.t, "Keeps bees on the roof", 0));
	assert_true(term_wait_text(b.t, "visible to: private", 0));
	assert_true(term_wait_text(b.t, "#beekeeping", 0));
	assert_true(run_as(&b, 0, "profile --json"));
	assert_non_null(strstr(last.out, "Atlantis"));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
	assert_true(bye(c.t));
}

/* e on my profile: change location and tags, Enter; the profile shows them, to me and to others. */
static void
profile_edit_form(void **state)
{
	struct person a, b;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Editor"));
	assert_true(person_new(&a, "alice", "Alice Reader"));
	term_send(b.t, "8");
	assert_true(term_wait_text(b.t, "No bio yet", 0));
	term_send(b.t, "e");
	assert_true(term_wait_text(b.t, "Edit your profile", 0));
	term_key(b.t, VTERM_KEY_TAB);			/* Location */
	field_fill(b.t, "Lisbon");
	term_key(b.t, VTERM_KEY_TAB);			/* Work */
	field_fill(b.t, "Tram driver");
	term_key(b.t, VTERM_KEY_TAB);			/* Tags */
	field_fill(b.t, "Hiking vim");
	term_key(b.t, VTERM_KEY_ENTER);
	assert_true(term_wait_row(b.t, -1, "profile saved", 0));
	assert_true(term_wait_text(b.t, "Location: Lisbon", 0));
	assert_true(term_wait_text(b.t, "Work: Tram driver", 0));
	assert_true(term_wait_text(b.t, "#hiking #vim", 0));

	/* remove one tag, add another; Esc in a second edit changes nothing */
	term_send(b.t, "e");
	assert_true(term_wait_text(b.t, "Edit your profile", 0));
	term_key(b.t, VTERM_KEY_TAB);
	term_key(b.t, VTERM_KEY_TAB);
	term_key(b.t, VTERM_KEY_TAB);
	field_fill(b.t, "vim chess");
	term_key(b.t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(b.t, "#chess #vim", 0));
	assert_true(absent(b.t, "#hiking"));
	term_send(b.t, "e");
	assert_true(term_wait_text(b.t, "Edit your profile", 0));
	term_key(b.t, VTERM_KEY_TAB);
	field_fill(b.t, "Nowhere");
	term_key(b.t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_row(b.t, -1, "nothing changed", 0));
	assert_true(term_wait_text(b.t, "Location: Lisbon", 0));

	assert_true(open_profile_by_search(a.t, &b));
	assert_true(term_wait_text(a.t, "Location: Lisbon", 0));
	assert_true(term_wait_text(a.t, "#chess #vim", 0));
	/* e on someone else's profile does not edit */
	term_send(a.t, "e");
	assert_true(term_wait_row(a.t, -1, "only edit your own", 0));
	assert_true(absent(a.t, "Edit your profile"));
	assert_true(run_as(&a, 0, "profile %s --json", b.name));
	assert_non_null(strstr(last.out, "Lisbon"));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/* The bio limit is 500 characters (not bytes); over it: exit 1, one line, nothing changed. */
static void
bio_limit(void **state)
{
	struct person	b;
	char		bio[2048], *p;
	int		i;

	(void)state;
	assert_true(person_new_offline(&b, "bob", "Bob Limits"));
	memset(bio, 'a', 500);
	bio[500] = '\0';
	assert_true(run_as(&b, 0, "profile set bio %s", bio));
	bio[0] = 'b';
	bio[500] = 'c';
	bio[501] = '\0';
	assert_true(run_as(&b, 1, "profile set bio %s", bio));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&b, 0, "profile --json"));
	assert_non_null(strstr(last.out, "\"aaaaaaaa"));
	assert_null(strstr(last.out, "baaaaaa"));

	/* 500 two-byte characters fit; 501 do not */
	for (p = bio, i = 0; i < 500; i++, p += 2)
		memcpy(p, "\xc3\xa9", 2);	/* é */
	*p = '\0';
	assert_true(run_as(&b, 0, "profile set bio %s", bio));
	memcpy(p, "\xc3\xa9", 3);
	assert_true(run_as(&b, 1, "profile set bio %s", bio));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&b, 0, "profile --json"));
	assert_non_null(strstr(last.out, "\xc3\xa9\xc3\xa9"));
}

/* The bio is markdown: emphasis without its stars, links as "text (url)", code, lists, quotes. */
static void
bio_markdown_renders(void **state)
{
	static const char md[] = "# Hello there\n\nI like **bold** moves, see "
	    "[my site](https://ex.org) or run `make`.\n\n- first thing\n- second thing\n\n"
	    "> a quote\n";
	struct person a, b;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Markdown"));
	assert_true(person_new(&a, "alice", "Alice Viewer"));
	assert_true(run_as(&b, 0, "profile set bio %s",
	    quote("**bold** then _soft_ and [the site](https://example.org) and `code`")));
	term_send(b.t, "8");
	assert_true(term_wait_text(b.t,
	    "bold then soft and the site (https://example.org) and code", 0));
	assert_true(absent(b.t, "**"));
	assert_true(absent(b.t, "[the site]"));
	assert_true(absent(b.t, "`"));

	/* several lines, through stdin as the edit screen suggests */
	exec_result_free(&last);
	assert_int_equal(run_exec(e2e_srv, b.name, &b.cred, "profile set bio -", md,
	    strlen(md), &last), 0);
	assert_int_equal(last.status, 0);
	assert_true(open_profile_by_search(a.t, &b));
	assert_true(term_wait_text(a.t, "Hello there", 0));
	assert_true(term_wait_text(a.t, "I like bold moves, see my site (https://ex.org) or run make.", 0));
	assert_true(term_wait_text(a.t, "first thing", 0));
	assert_true(wait_row_has(a.t, "first thing", "\u2022"));	/* a bullet, not "-" */
	assert_true(term_wait_text(a.t, "second thing", 0));
	assert_true(wait_row_has(a.t, "a quote", "\u2502"));		/* a quote bar, not ">" */
	assert_true(absent(a.t, "# Hello"));
	assert_true(absent(a.t, "**"));
	assert_true(bye(a.t));
	assert_true(bye(b.t));
}

/* Tags: stored lower case and sorted; control characters, long or too many tags refused. */
static void
tags_bad_input(void **state)
{
	static const char *const bad[] = {
		"ok\x01" "bad", "\x1b[31mred", "bell\x07" "x", "a\x7f" "b", "c1\xc2\x85" "x",
		"abcdefghijklmnopqrstuvwxyz0123456",	/* 33 characters */
		"t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11 t12 t13 t14 t15 t16 t17 t18 t19 t20 t21",
		"no/slash", "\xff\xfe",
	};
	struct person b;

	(void)state;
	assert_true(person_new_offline(&b, "bob", "Bob Tags"));
	assert_true(run_as(&b, 0, "profile set tags %s", quote("Vim rust")));
	assert_true(run_as(&b, 0, "profile --json"));
	assert_non_null(strstr(last.out, "\"rust\""));
	assert_non_null(strstr(last.out, "\"vim\""));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (!run_as(&b, 1, "profile set tags %s", quote(bad[i])))
			fprintf(stderr, "test: tags '%s' were not refused\n", bad[i]);
		assert_int_equal(last.status, 1);
		assert_true(last_failed_cleanly());
		assert_true(no_sql_leak(last.err));
	}
	assert_true(run_as(&b, 1, "profile set location %s", quote("Lis\x1b]0;pwned\x07" "bon")));
	assert_true(run_as(&b, 0, "profile --json"));
	assert_non_null(strstr(last.out, "\"rust\""));
	assert_non_null(strstr(last.out, "\"vim\""));
	assert_null(strstr(last.out, "red"));
	assert_null(strstr(last.out, "pwned"));
}

/* ---- notifications ---------------------------------------------------------- */

/*
 * a on the Notifications tab marks all read: the badge drops to 0 in every
 * session of the user, and a third session that has the same list open sees
 * the unread marks go, all without a key pressed there.
 */
static void
mark_all_read_everywhere(void **state)
{
	struct person	a, b, c;
	struct term	*t2, *t3;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Reader"));
	assert_true(person_new_offline(&a, "alice", "Alice One"));
	assert_true(person_new_offline(&c, "carol", "Carol Two"));
	assert_non_null(t2 = person_login(&b));
	term_send(t2, "4");
	assert_true(term_wait_text(t2, TXT_NO_NOTIFS, 0));

	assert_true(run_as(&a, 0, "friend add %s", b.name));
	assert_true(term_wait_text(t2, at(&a), 0));	/* the empty list loads what came */
	assert_true(run_as(&c, 0, "friend add %s", b.name));
	assert_true(term_wait_badge(b.t, 2));
	assert_true(term_wait_badge(t2, 2));
	/* a list with rows does not move under the reader: "1 new", R shows it */
	assert_true(term_wait_text(t2, "1 new", 0));
	assert_true(absent(t2, at(&c)));
	term_send(t2, "R");
	assert_true(term_wait_text(t2, at(&c), 0));
	assert_true(term_wait_text(t2, "2 unread", 0));
	assert_non_null(t3 = person_login(&b));
	term_send(t3, "4");
	assert_true(term_wait_text(t3, "2 unread", 0));
	assert_true(wait_row_has(t3, at(&a), "* "));
	term_send(t2, "a");
	assert_true(term_wait_badge(t2, 0));
	assert_true(term_wait_text(t2, "0 unread", 0));
	assert_true(term_wait_badge(b.t, 0));		/* the other sessions, no key pressed */
	assert_true(term_wait_badge(t3, 0));
	assert_true(term_wait_text(t3, "0 unread", 0));
	assert_true(absent(t3, "* "));
	assert_true(term_wait_text(t2, "Alice One", 0));	/* read, not gone */
	assert_true(term_wait_text(t2, "Carol Two", 0));

	assert_true(run_as(&b, 0, "notifications --unread --json"));
	assert_string_equal(last.out, "");
	assert_true(run_as(&b, 0, "notifications --json"));
	assert_int_equal(count_lines(last.out), 2);
	assert_null(strstr(last.out, "\"read\":false"));
	assert_null(strstr(last.out, "\"read\": false"));
	assert_true(bye(t3));
	assert_true(bye(t2));
	assert_true(bye(b.t));
}

/* d deletes the selected notification; D asks, n keeps them, y deletes them all. Requests stay. */
static void
delete_one_and_all(void **state)
{
	struct person a, b, c, d;

	(void)state;
	assert_true(person_new(&b, "bob", "Bob Deleter"));
	assert_true(person_new_offline(&a, "alice", "Alice First"));
	assert_true(person_new_offline(&c, "carol", "Carol Second"));
	assert_true(person_new_offline(&d, "dave", "Dave Third"));
	assert_true(run_as(&a, 0, "friend add %s", b.name));
	assert_true(run_as(&c, 0, "friend add %s", b.name));
	assert_true(run_as(&d, 0, "friend add %s", b.name));
	assert_true(term_wait_badge(b.t, 3));
	term_send(b.t, "4");
	assert_true(term_wait_text(b.t, at(&a), 0));
	assert_true(term_wait_text(b.t, at(&c), 0));
	assert_true(term_wait_text(b.t, at(&d), 0));
	/* newest first: dave's is selected */
	assert_true(term_find(b.t, at(&d)) < term_find(b.t, at(&c)));
	assert_true(term_find(b.t, at(&c)) < term_find(b.t, at(&a)));

	term_send(b.t, "d");
	assert_true(term_wait_gone(b.t, at(&d), 0));
	assert_true(term_wait_text(b.t, at(&c), 0));
	assert_true(term_wait_text(b.t, at(&a), 0));
	assert_true(term_wait_badge(b.t, 2));

	term_send(b.t, "D");
	assert_true(term_wait_row(b.t, -1, "Delete all notifications? (y/n)", 0));
	term_send(b.t, "n");
	assert_true(term_wait_row_gone(b.t, -1, "Delete all notifications?", 0));
	assert_true(term_wait_text(b.t, at(&a), 0));
	term_send(b.t, "D");
	assert_true(term_wait_row(b.t, -1, "Delete all notifications? (y/n)", 0));
	term_send(b.t, "y");
	assert_true(term_wait_row(b.t, -1, "all notifications deleted", 0));
	assert_true(term_wait_text(b.t, TXT_NO_NOTIFS, 0));
	assert_true(term_wait_badge(b.t, 0));
	assert_true(run_as(&b, 0, "notifications --json"));
	assert_string_equal(last.out, "");
	/* the requests themselves are still there */
	assert_true(run_as(&b, 0, "requests"));
	assert_non_null(strstr(last.out, a.name));
	assert_non_null(strstr(last.out, c.name));
	assert_non_null(strstr(last.out, d.name));
	assert_true(bye(b.t));
}

/* ---- exec ------------------------------------------------------------------------- */

/* `profile --json` and `notifications --json` carry PRODUCT.md's field names; read and delete by id. */
static void
exec_json_fields(void **state)
{
	static const char *const user_fields[] = {
		"username", "display_name", "bio", "location", "job", "tags", "privacy", "friends",
	};
	static const char *const notif_fields[] = {
		"id", "type", "actor", "object", "read", "created_at",
	};
	struct person		 a, b;
	struct json_object	*v[8], *f;
	int			 n;
	int64_t			 id;

	(void)state;
	assert_true(person_new_offline(&a, "alice", "Alice Json"));
	assert_true(person_new_offline(&b, "bob", "Bob Json"));
	assert_true(run_as(&b, 0, "profile set location %s", quote("Oslo, Norway")));
	assert_true(run_as(&b, 0, "profile set job %s", quote("Bridge painter")));
	assert_true(run_as(&b, 0, "profile set tags %s", quote("linux vim")));
	assert_true(run_as(&b, 0, "profile set bio %s", quote("Hello *world*")));

	assert_true(run_as(&a, 0, "profile %s --json", b.name));
	assert_int_equal(n = json_lines(last.out, v, 8), 1);
	for (size_t i = 0; i < sizeof user_fields / sizeof user_fields[0]; i++) {
		if (!json_object_object_get_ex(v[0], user_fields[i], &f))
			fprintf(stderr, "test: no '%s' in %s\n", user_fields[i], last.out);
		assert_true(json_object_object_get_ex(v[0], user_fields[i], NULL));
	}
	assert_string_equal(jstr(v[0], "username"), b.name);
	assert_string_equal(jstr(v[0], "display_name"), "Bob Json");
	assert_string_equal(jstr(v[0], "location"), "Oslo, Norway");
	assert_string_equal(jstr(v[0], "job"), "Bridge painter");
	assert_string_equal(jstr(v[0], "bio"), "Hello *world*");	/* the markdown source */
	assert_string_equal(jstr(v[0], "privacy"), "public");
	assert_true(json_object_object_get_ex(v[0], "tags", &f));
	assert_true(json_object_is_type(f, json_type_array));
	assert_int_equal(json_object_array_length(f), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(f, 0)), "linux");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(f, 1)), "vim");
	json_free_all(v, n);

	assert_true(run_as(&a, 0, "friend add %s", b.name));
	assert_true(run_as(&b, 0, "notifications --json"));
	assert_int_equal(n = json_lines(last.out, v, 8), 1);
	for (size_t i = 0; i < sizeof notif_fields / sizeof notif_fields[0]; i++) {
		if (!json_object_object_get_ex(v[0], notif_fields[i], &f))
			fprintf(stderr, "test: no '%s' in %s\n", notif_fields[i], last.out);
		assert_true(json_object_object_get_ex(v[0], notif_fields[i], NULL));
	}
	assert_string_equal(jstr(v[0], "type"), "friend_request");
	assert_string_equal(jactor(v[0]), a.name);
	assert_true(is_rfc3339_utc(jstr(v[0], "created_at")));
	assert_true(json_object_object_get_ex(v[0], "read", &f));
	assert_true(json_object_is_type(f, json_type_boolean));
	assert_false(json_object_get_boolean(f));
	assert_true(json_object_object_get_ex(v[0], "id", &f));
	assert_true(json_object_is_type(f, json_type_int));
	id = json_object_get_int64(f);
	json_free_all(v, n);

	assert_true(run_as(&b, 0, "notifications --unread --json"));
	assert_int_equal(count_lines(last.out), 1);
	assert_true(run_as(&b, 0, "notifications read %lld", (long long)id));
	assert_true(run_as(&b, 0, "notifications --unread --json"));
	assert_string_equal(last.out, "");
	assert_true(run_as(&b, 0, "notifications --json"));
	assert_int_equal(n = json_lines(last.out, v, 8), 1);
	assert_true(json_object_object_get_ex(v[0], "read", &f));
	assert_true(json_object_get_boolean(f));
	json_free_all(v, n);
	/* alice cannot touch bob's notification */
	assert_in_range(run_quiet(&a, "notifications delete %lld", (long long)id), 2, 3);
	assert_true(run_as(&b, 0, "notifications delete %lld", (long long)id));
	assert_true(run_as(&b, 0, "notifications --json"));
	assert_string_equal(last.out, "");

	/* the answer comes back typed */
	assert_true(run_as(&b, 0, "friend accept %s", a.name));
	assert_true(run_as(&a, 0, "notifications --json"));
	assert_int_equal(n = json_lines(last.out, v, 8), 1);
	assert_string_equal(jstr(v[0], "type"), "friend_accept");
	assert_string_equal(jactor(v[0]), b.name);
	json_free_all(v, n);
	assert_true(run_as(&a, 0, "friends --json"));
	assert_int_equal(n = json_lines(last.out, v, 8), 1);
	assert_string_equal(jstr(v[0], "username"), b.name);
	json_free_all(v, n);
}

/*
 * `notifications --follow` streams: with the command running, a request from
 * alice shows up as a new line on bob's channel; when bob hangs up, no
 * process is left behind.
 */
static void
notifications_follow_streams(void **state)
{
	struct person		 a, b, c;
	struct exec_chan	*e;
	struct json_object	*v[8];
	size_t			 mark;
	int			 n;

	(void)state;
	assert_true(person_new_offline(&a, "alice", "Alice Follow"));
	assert_true(person_new_offline(&b, "bob", "Bob Follows"));
	assert_true(person_new_offline(&c, "carol", "Carol Early"));
	assert_true(server_wait_descendants(e2e_srv, 0, 0));

	/* carol's request comes before the command starts: it shows first, which says it runs */
	assert_true(run_as(&c, 0, "friend add %s", b.name));
	assert_non_null(e = exec_start(e2e_srv, b.name, &b.cred, "notifications --follow --json"));
	assert_true(exec_wait_out(e, 0, c.name, 0));
	mark = e->outlen;

	assert_true(run_as(&a, 0, "friend add %s", b.name));
	assert_true(exec_wait_out(e, mark, "\n", 0));
	assert_true(exec_wait_out(e, mark, a.name, 0));
	assert_int_equal(n = json_lines(e->out + mark, v, 8), 1);
	assert_string_equal(jstr(v[0], "type"), "friend_request");
	assert_string_equal(jactor(v[0]), a.name);
	json_free_all(v, n);
	assert_false(e->eof);

	/* carol withdraws and asks again: a new notification, a new line */
	assert_true(run_as(&c, 0, "friend cancel %s", b.name));
	mark = e->outlen;
	assert_true(run_as(&c, 0, "friend add %s", b.name));
	assert_true(exec_wait_out(e, mark, c.name, 0));

	exec_close(e);
	assert_true(server_wait_descendants(e2e_srv, 0, 0));
	assert_true(server_alive(e2e_srv));
}

/* ---- bad input ------------------------------------------------------------------------ */

static void
bad_requests(void **state)
{
	struct person	a, b, c;
	char		ghost[64];

	(void)state;
	assert_true(person_new_offline(&a, "alice", "Alice Bad"));
	assert_true(person_new(&b, "bob", "Bob Bad"));
	assert_true(person_new_offline(&c, "carol", "Carol Bad"));
	snprintf(ghost, sizeof ghost, "%s", fresh_user("ghost"));

	assert_true(run_as(&a, 2, "friend add %s", ghost));
	assert_true(last_failed_cleanly());
	assert_non_null(strstr(last.err, ghost));
	assert_in_range(run_quiet(&a, "friend add %s", quote("Not A Name!")), 1, 2);
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "friend add %s", a.name));
	assert_true(last_failed_cleanly());

	assert_true(run_as(&a, 0, "friend add %s", b.name));
	assert_true(term_wait_badge(b.t, 1));
	assert_true(run_as(&a, 1, "friend add %s", b.name));
	assert_true(last_failed_cleanly());

	assert_true(run_as(&a, 2, "friend accept %s", ghost));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 2, "friend accept %s", c.name));	/* no request from carol */
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 2, "friend decline %s", c.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 2, "friend cancel %s", c.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 2, "friend remove %s", c.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "friend"));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "friend befriend %s", b.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 2, "block %s", ghost));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "block %s", a.name));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 2, "profile %s", ghost));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "profile set colour blue"));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "profile set privacy everyone"));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 2, "notifications delete 999999999"));
	assert_true(last_failed_cleanly());
	assert_true(run_as(&a, 1, "notifications delete abc"));
	assert_true(last_failed_cleanly());
	assert_in_range(run_quiet(&a, "notifications read -5"), 1, 2);
	assert_true(last_failed_cleanly());

	/* nothing changed: one request, one notification, no friends */
	assert_true(run_as(&b, 0, "notifications --json"));
	assert_int_equal(count_lines(last.out), 1);
	assert_true(run_as(&b, 0, "requests --json"));
	assert_int_equal(count_lines(last.out), 1);
	assert_non_null(strstr(last.out, a.name));
	assert_true(run_as(&a, 0, "friends --json"));
	assert_string_equal(last.out, "");
	assert_true(term_badge_is(b.t, 1));
	assert_true(bye(b.t));
}

/* In the TUI: f on my own profile is refused with a message; the badge does not move. */
static void
self_request_in_tui(void **state)
{
	struct person a;

	(void)state;
	assert_true(person_new(&a, "alice", "Alice Self"));
	term_send(a.t, "8");
	assert_true(term_wait_text(a.t, "this is you", 0));
	term_send(a.t, "f");
	assert_true(term_wait_row(a.t, -1, "that is you", 0));
	assert_true(term_badge_is(a.t, 0));
	assert_true(run_as(&a, 0, "requests --json"));
	assert_string_equal(last.out, "");
	assert_true(bye(a.t));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(request_by_exec_shows_live, social_teardown),
		cmocka_unit_test_teardown(request_from_search_accepted_by_exec, social_teardown),
		cmocka_unit_test_teardown(decline_tells_requester, social_teardown),
		cmocka_unit_test_teardown(cancel_withdraws_notification, social_teardown),
		cmocka_unit_test_teardown(remove_asks_first, social_teardown),
		cmocka_unit_test_teardown(block_cuts_everything, social_teardown),
		cmocka_unit_test_teardown(search_prefix_as_you_type, social_teardown),
		cmocka_unit_test_teardown(search_fts_syntax_is_text, social_teardown),
		cmocka_unit_test_teardown(profile_privacy, social_teardown),
		cmocka_unit_test_teardown(profile_edit_form, social_teardown),
		cmocka_unit_test_teardown(bio_limit, social_teardown),
		cmocka_unit_test_teardown(bio_markdown_renders, social_teardown),
		cmocka_unit_test_teardown(tags_bad_input, social_teardown),
		cmocka_unit_test_teardown(mark_all_read_everywhere, social_teardown),
		cmocka_unit_test_teardown(delete_one_and_all, social_teardown),
		cmocka_unit_test_teardown(exec_json_fields, social_teardown),
		cmocka_unit_test_teardown(notifications_follow_streams, social_teardown),
		cmocka_unit_test_teardown(bad_requests, social_teardown),
		cmocka_unit_test_teardown(self_request_in_tui, social_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)	/* e.g. "search*" */
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e social", tests, e2e_group_setup,
	    e2e_group_teardown);
}
