/*
 * storage: one-to-one messages (issue 5), on a fresh ":memory:" database per
 * test: friends chatting, message requests (accept, decline, writing back),
 * blocks both ways, edit and delete, bad text, unread counts, pagination,
 * live changes, the conversation list, the one refreshed NOTIF_MESSAGE, and
 * privacy. Some tests look at the tables directly (store-int.h) to check
 * that a refusal stored nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common/err.h"
#include "common/log.h"
#include "common/utf8.h"
#include "storage/messages-int.h"
#include "storage/messages.h"
#include "storage/social-int.h"
#include "storage/social.h"
#include "storage/store-int.h"
#include "storage/store.h"
#include "tests/unit/storefix.h"

#define SOME_HASH	"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA"

/* ---- helpers ------------------------------------------------------------ */

struct fx {
	struct store	*st;
	int64_t		 alice, bob, carol;
};

static int64_t
mkuser(struct store *st, const char *name, const char *display)
{
	struct signup	su = { .username = name, .display_name = display,
	    .password_hash = SOME_HASH };
	char		why[256];
	int64_t		id;

	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);
	return id;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_int_equal(store_open(":memory:", &f->st), 0);
	f->alice = mkuser(f->st, "alice", "Alice");
	f->bob = mkuser(f->st, "bob", "Bob");
	f->carol = mkuser(f->st, "carol", "Carol");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	free(f);
	return 0;
}

/* Every row the message tables and notifications hold: a refusal must not change it. */
static int64_t
rows(struct store *st)
{
	return storefix_sql_int(st, "SELECT (SELECT count(*) FROM messages) * 1000000 + "
	    "(SELECT count(*) FROM conversations) * 10000 + "
	    "(SELECT count(*) FROM message_requests) * 100 + "
	    "(SELECT count(*) FROM notifications)");
}

/* Send, expecting success; returns the id. */
static int64_t
send_ok(struct store *st, int64_t from, int64_t to, const char *text, bool want_request)
{
	char	why[256];
	bool	request = !want_request;
	int64_t	id = 0;
	int	r;

	r = store_message_send(st, from, to, text, &id, &request, why, sizeof why);
	if (r != 0)
		fail_msg("send %lld -> %lld: %d (%s)", (long long)from, (long long)to, r, why);
	assert_true(id > 0);
	assert_int_equal(request, want_request);
	assert_string_equal(why, "");
	return id;
}

/* Send, expecting refusal r with a reason containing has; nothing may be stored. */
static void
send_refused(struct store *st, int64_t from, int64_t to, const char *text, int want,
    const char *has)
{
	char	why[256];
	bool	request = true;
	int64_t	id = 99, before = rows(st);

	assert_int_equal(store_message_send(st, from, to, text, &id, &request, why,
	    sizeof why), want);
	assert_int_equal(id, 0);
	assert_false(request);
	if (has != NULL && strstr(why, has) == NULL)
		fail_msg("why '%s' lacks '%s'", why, has);
	assert_int_equal(rows(st), before);
}

static int64_t
unread(struct store *st, int64_t user)
{
	int64_t n = -1;

	assert_int_equal(store_message_unread_count(st, user, &n), 0);
	return n;
}

/* The conversation of me with other in a list (requests or not), or NULL. */
static const struct conversation *
find_conv(const struct conversation_list *l, int64_t other)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].other_id == other)
			return &l->v[i];
	return NULL;
}

/* Whether other is in me's list (requests or the ordinary one). */
static bool
listed(struct store *st, int64_t me, int64_t other, bool requests)
{
	struct conversation_list	l;
	bool				found;

	assert_int_equal(store_conversations(st, me, requests, &l), 0);
	found = find_conv(&l, other) != NULL;
	conversation_list_free(&l);
	return found;
}

/* The number of NOTIF_MESSAGE rows actor caused for user. */
static int64_t
msg_notifs(struct store *st, int64_t user, int64_t actor, bool unread_only)
{
	sqlite3_stmt	*stmt;
	int64_t		 v;

	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM notifications "
	    "WHERE user_id = ? AND actor_id = ? AND type = 8 AND (read = 0 OR ? = 0)", -1,
	    &stmt, NULL), SQLITE_OK);
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_int64(stmt, 2, actor);
	sqlite3_bind_int(stmt, 3, unread_only);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* The one newest message between me and other. */
static struct message
newest(struct store *st, int64_t me, int64_t other, struct message_page *p)
{
	assert_int_equal(store_messages(st, me, other, 0, 1, p), 0);
	assert_int_equal(p->n, 1);
	return p->v[0];
}

/* A string of n copies of s (the caller frees). */
static char *
repeat(const char *s, size_t n)
{
	size_t	 len = strlen(s), i;
	char	*out = malloc(len * n + 1);

	for (i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

/* ---- schema ----------------------------------------------------------------- */

static void
test_schema(void **state)
{
	struct fx *f = *state;

	assert_int_equal(storefix_sql_int(f->st, "PRAGMA user_version"), store_schema_version());
	/* STRICT, and the checks: a wrong type, a message to oneself, a bad state. */
	assert_int_not_equal(sqlite3_exec(f->st->db, "INSERT INTO messages (from_id, to_id, "
	    "text, created_at, rev) VALUES ('x', 2, 'hi', 0, 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(f->st->db, "INSERT INTO messages (from_id, to_id, "
	    "text, created_at, rev) VALUES (1, 1, 'hi', 0, 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(f->st->db, "INSERT INTO message_requests VALUES "
	    "(1, 2, 1, 7, 0)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(f->st->db, "INSERT INTO message_requests VALUES "
	    "(2, 1, 1, 0, 0)", NULL, NULL, NULL), SQLITE_OK);
	/* The pair key is the same both ways. */
	assert_int_equal(sqlite3_exec(f->st->db, "INSERT INTO messages (from_id, to_id, text, "
	    "created_at, rev) VALUES (2, 1, 'hi', 0, 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(storefix_sql_int(f->st, "SELECT lo * 10 + hi FROM messages"), 12);
	assert_string_equal(notif_type_name(NOTIF_MESSAGE), "message");
	assert_string_equal(notif_type_text(NOTIF_MESSAGE), "sent you a message");
}

/* ---- friends chat ------------------------------------------------------------- */

static void
test_friends_chat(void **state)
{
	struct fx			*f = *state;
	struct conversation_list	 l;
	const struct conversation	*c;
	struct message_page		 p;
	int64_t				 m1, m2, m3;

	storefix_befriend(f->st, f->alice, f->bob);
	m1 = send_ok(f->st, f->alice, f->bob, "hi bob", false);
	m2 = send_ok(f->st, f->bob, f->alice, "hi alice\nhow are you?\tfine", false);
	m3 = send_ok(f->st, f->alice, f->bob, "good 👍", false);
	assert_true(m1 < m2 && m2 < m3);

	/* The same history from both sides, newest first. */
	assert_int_equal(store_messages(f->st, f->bob, f->alice, 0, 10, &p), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.next_before, 0);
	assert_int_equal(p.v[0].id, m3);
	assert_int_equal(p.v[1].id, m2);
	assert_int_equal(p.v[2].id, m1);
	assert_int_equal(p.v[1].from_id, f->bob);
	assert_int_equal(p.v[1].to_id, f->alice);
	assert_string_equal(p.v[1].text, "hi alice\nhow are you?\tfine");
	assert_string_equal(p.v[0].text, "good 👍");
	assert_false(p.v[0].deleted);
	assert_int_equal(p.v[0].edited_at, 0);
	assert_true(p.v[0].created_at > 0);
	message_page_free(&p);
	assert_int_equal(store_messages(f->st, f->alice, f->bob, 0, 10, &p), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.v[0].id, m3);
	message_page_free(&p);

	/* Ordinary conversations on both sides, no requests. */
	assert_int_equal(store_conversations(f->st, f->bob, false, &l), 0);
	assert_int_equal(l.n, 1);
	c = &l.v[0];
	assert_int_equal(c->other_id, f->alice);
	assert_string_equal(c->username, "alice");
	assert_string_equal(c->display_name, "Alice");
	assert_string_equal(c->avatar_seed, "alice");	/* no key: the username */
	assert_int_equal(c->last.id, m3);
	assert_string_equal(c->last.text, "good 👍");
	assert_int_equal(c->unread, 2);
	assert_false(c->request);
	assert_false(c->pending);
	assert_false(c->declined);
	conversation_list_free(&l);
	assert_true(listed(f->st, f->alice, f->bob, false));
	assert_false(listed(f->st, f->alice, f->bob, true));
	assert_false(listed(f->st, f->bob, f->alice, true));
	assert_int_equal(unread(f->st, f->bob), 2);
	assert_int_equal(unread(f->st, f->alice), 1);

	/* No message to oneself, nor to nobody. */
	send_refused(f->st, f->alice, f->alice, "me", ERR_INVALID, "yourself");
	send_refused(f->st, f->alice, 9999, "anyone?", ERR_NOTFOUND, "no such user");
}

/* ---- message requests ----------------------------------------------------------- */

static void
test_request_accept(void **state)
{
	struct fx			*f = *state;
	struct conversation_list	 l;
	const struct conversation	*c;

	send_ok(f->st, f->alice, f->bob, "hello stranger", true);
	send_ok(f->st, f->alice, f->bob, "still there?", true);

	/* Bob: a request, in its own list, counted as unread. */
	assert_int_equal(store_conversations(f->st, f->bob, true, &l), 0);
	assert_int_equal(l.n, 1);
	c = &l.v[0];
	assert_int_equal(c->other_id, f->alice);
	assert_true(c->request);
	assert_false(c->pending);
	assert_int_equal(c->unread, 2);
	assert_string_equal(c->last.text, "still there?");
	conversation_list_free(&l);
	assert_false(listed(f->st, f->bob, f->alice, false));
	assert_int_equal(unread(f->st, f->bob), 2);

	/* Alice: her own conversation, pending. */
	assert_int_equal(store_conversations(f->st, f->alice, false, &l), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].pending);
	assert_false(l.v[0].request);
	conversation_list_free(&l);
	assert_false(listed(f->st, f->alice, f->bob, true));

	/* Only the recipient answers, and only a pending request. */
	assert_int_equal(store_message_request_accept(f->st, f->alice, f->bob), ERR_NOTFOUND);
	assert_int_equal(store_message_request_decline(f->st, f->alice, f->bob), ERR_NOTFOUND);
	assert_int_equal(store_message_request_accept(f->st, f->bob, f->carol), ERR_NOTFOUND);
	assert_int_equal(store_message_request_accept(f->st, f->bob, f->bob), ERR_NOTFOUND);
	assert_int_equal(store_message_request_accept(f->st, f->bob, f->alice), 0);
	assert_int_equal(store_message_request_accept(f->st, f->bob, f->alice), ERR_NOTFOUND);
	assert_int_equal(store_message_request_decline(f->st, f->bob, f->alice), ERR_NOTFOUND);

	/* Now ordinary, both ways. */
	assert_true(listed(f->st, f->bob, f->alice, false));
	assert_false(listed(f->st, f->bob, f->alice, true));
	assert_int_equal(store_conversations(f->st, f->alice, false, &l), 0);
	assert_false(l.v[0].pending);
	conversation_list_free(&l);
	send_ok(f->st, f->alice, f->bob, "thanks", false);
	send_ok(f->st, f->bob, f->alice, "sure", false);
	assert_int_equal(unread(f->st, f->bob), 3);
}

static void
test_reply_accepts(void **state)
{
	struct fx *f = *state;

	send_ok(f->st, f->alice, f->bob, "hello", true);
	/* Writing back is accepting: no request either way afterwards. */
	send_ok(f->st, f->bob, f->alice, "hi, who are you?", false);
	send_ok(f->st, f->alice, f->bob, "alice", false);
	assert_true(listed(f->st, f->bob, f->alice, false));
	assert_false(listed(f->st, f->bob, f->alice, true));
	assert_false(listed(f->st, f->alice, f->bob, true));
	assert_int_equal(store_message_request_accept(f->st, f->bob, f->alice), ERR_NOTFOUND);
}

static void
test_decline(void **state)
{
	struct fx			*f = *state;
	struct conversation_list	 l;
	struct message_page		 p;
	bool				 n;
	char				 why[256];

	send_ok(f->st, f->alice, f->bob, "buy my stuff", true);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, true), 1);
	assert_int_equal(store_message_request_decline(f->st, f->bob, f->alice), 0);

	/* Alice is refused from now on, with nothing stored. */
	send_refused(f->st, f->alice, f->bob, "please?", ERR_DENIED,
	    "'bob' is not taking messages from you");
	/* Bob: gone from both lists, the count, and the notifications. */
	assert_false(listed(f->st, f->bob, f->alice, true));
	assert_false(listed(f->st, f->bob, f->alice, false));
	assert_int_equal(unread(f->st, f->bob), 0);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, false), 0);
	/* The history stays readable to both. */
	assert_int_equal(store_messages(f->st, f->bob, f->alice, 0, 10, &p), 0);
	assert_int_equal(p.n, 1);
	message_page_free(&p);
	/* Alice sees her conversation, declined. */
	assert_int_equal(store_conversations(f->st, f->alice, false, &l), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].declined);
	assert_false(l.v[0].pending);
	conversation_list_free(&l);
	/* Other people are not affected. */
	send_ok(f->st, f->carol, f->bob, "hi bob", true);

	/* Until they are friends: then ordinary, and still after unfriending. */
	storefix_befriend(f->st, f->alice, f->bob);
	send_ok(f->st, f->alice, f->bob, "friends now", false);
	assert_int_equal(store_friend_remove(f->st, f->bob, f->alice, &n, why, sizeof why), 0);
	send_ok(f->st, f->alice, f->bob, "still ok?", false);
	assert_true(listed(f->st, f->bob, f->alice, false));
	/* Carol's request, and all of alice's: the declined one counts again, never read. */
	assert_int_equal(unread(f->st, f->bob), 4);
}

static void
test_decline_then_friends_without_writing(void **state)
{
	struct fx	*f = *state;
	bool		 n;
	char		 why[256];

	send_ok(f->st, f->alice, f->bob, "hi", true);
	assert_int_equal(store_message_request_decline(f->st, f->bob, f->alice), 0);
	/* Friends, then not, and no message in between: the decline no longer stands. */
	storefix_befriend(f->st, f->bob, f->alice);
	assert_int_equal(store_friend_remove(f->st, f->alice, f->bob, &n, why, sizeof why), 0);
	send_ok(f->st, f->alice, f->bob, "hi again", false);
}

static void
test_decliner_writes(void **state)
{
	struct fx *f = *state;

	send_ok(f->st, f->alice, f->bob, "hi", true);
	assert_int_equal(store_message_request_decline(f->st, f->bob, f->alice), 0);
	/* Bob changes his mind and writes: accepted after all. */
	send_ok(f->st, f->bob, f->alice, "sorry, hi", false);
	send_ok(f->st, f->alice, f->bob, "no problem", false);
	assert_true(listed(f->st, f->bob, f->alice, false));
}

static void
test_pending_then_friends(void **state)
{
	struct fx *f = *state;

	send_ok(f->st, f->alice, f->bob, "hi", true);
	storefix_befriend(f->st, f->alice, f->bob);
	/* The request became an ordinary conversation. */
	assert_false(listed(f->st, f->bob, f->alice, true));
	assert_true(listed(f->st, f->bob, f->alice, false));
	send_ok(f->st, f->alice, f->bob, "friends", false);
}

/* ---- blocks --------------------------------------------------------------------- */

static void
test_blocks_both_ways(void **state)
{
	struct fx			*f = *state;
	struct conversation_list	 l;
	struct message_page		 p;
	char				 why[256];
	int64_t				 id;

	storefix_befriend(f->st, f->alice, f->bob);
	send_ok(f->st, f->bob, f->alice, "before", false);
	assert_int_equal(unread(f->st, f->alice), 1);
	assert_int_equal(store_block(f->st, f->alice, f->bob, why, sizeof why), 0);

	/* The blocker is told why; the blocked one gets the words of an unknown name. */
	send_refused(f->st, f->alice, f->bob, "x", ERR_DENIED, "you blocked 'bob'");
	send_refused(f->st, f->bob, f->alice, "x", ERR_NOTFOUND, "no user named 'alice'");
	/* Unread across a block does not count; the history stays readable to each side. */
	assert_int_equal(unread(f->st, f->alice), 0);
	assert_int_equal(store_messages(f->st, f->alice, f->bob, 0, 10, &p), 0);
	assert_int_equal(p.n, 1);
	message_page_free(&p);
	assert_int_equal(store_messages(f->st, f->bob, f->alice, 0, 10, &p), 0);
	assert_int_equal(p.n, 1);
	message_page_free(&p);
	assert_int_equal(store_conversations(f->st, f->alice, false, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].unread, 0);
	conversation_list_free(&l);
	/* Bob finds his conversation by name although alice is hidden from him. */
	assert_int_equal(store_user_lookup(f->st, f->bob, "alice", &id), ERR_NOTFOUND);
	assert_int_equal(store_message_peer(f->st, f->bob, "alice", &id), 0);
	assert_int_equal(id, f->alice);
	assert_int_equal(store_message_peer(f->st, f->bob, "ALICE", &id), 0);
	assert_int_equal(store_message_peer(f->st, f->bob, "carol", &id), ERR_NOTFOUND);
	assert_int_equal(id, 0);

	/* Unblocked: as strangers now (the block ended the friendship), but their old conversation stands. */
	assert_int_equal(store_unblock(f->st, f->alice, f->bob, why, sizeof why), 0);
	assert_int_equal(unread(f->st, f->alice), 1);
	send_ok(f->st, f->bob, f->alice, "after", false);

	/* A block by the recipient, with no history: refused the same way. */
	assert_int_equal(store_block(f->st, f->carol, f->alice, why, sizeof why), 0);
	send_refused(f->st, f->alice, f->carol, "hi", ERR_NOTFOUND, "no user named 'carol'");
	send_refused(f->st, f->carol, f->alice, "hi", ERR_DENIED, "unblock them first");
}

/* ---- edit and delete -------------------------------------------------------------- */

static void
test_edit_delete(void **state)
{
	struct fx		*f = *state;
	struct message_page	 p;
	struct message		 m;
	char			 why[256], *big;
	int64_t			 id, theirs, other, rev0, before;

	storefix_befriend(f->st, f->alice, f->bob);
	id = send_ok(f->st, f->alice, f->bob, "helo", false);
	theirs = send_ok(f->st, f->bob, f->alice, "hi", false);
	m = newest(f->st, f->alice, f->bob, &p);
	assert_int_equal(m.id, theirs);
	message_page_free(&p);
	assert_int_equal(store_messages_rev(f->st, f->alice, f->bob, &rev0), 0);

	assert_int_equal(store_message_edit(f->st, f->alice, id, "hello", &other, why,
	    sizeof why), 0);
	assert_int_equal(other, f->bob);
	assert_int_equal(store_messages(f->st, f->bob, f->alice, 0, 10, &p), 0);
	assert_int_equal(p.v[1].id, id);
	assert_string_equal(p.v[1].text, "hello");
	assert_true(p.v[1].edited_at > 0);
	assert_true(p.v[1].rev > rev0);
	message_page_free(&p);

	/* Someone else's: refused, nothing changed. */
	before = rows(f->st);
	assert_int_equal(store_message_edit(f->st, f->alice, theirs, "hacked", &other, why,
	    sizeof why), ERR_DENIED);
	assert_int_equal(other, 0);
	assert_non_null(strstr(why, "not yours"));
	assert_int_equal(store_message_delete(f->st, f->alice, theirs, &other), ERR_DENIED);
	assert_int_equal(store_message_edit(f->st, f->carol, id, "hacked", &other, why,
	    sizeof why), ERR_NOTFOUND);
	assert_int_equal(store_message_delete(f->st, f->carol, id, &other), ERR_NOTFOUND);
	assert_int_equal(store_message_edit(f->st, f->alice, 99999, "x", &other, why,
	    sizeof why), ERR_NOTFOUND);
	/* Bad text: refused, nothing changed. */
	big = repeat("a", MESSAGE_MAX + 1);
	assert_int_equal(store_message_edit(f->st, f->alice, id, big, &other, why,
	    sizeof why), ERR_INVALID);
	free(big);
	assert_int_equal(store_message_edit(f->st, f->alice, id, "\x1b[2J", &other, why,
	    sizeof why), ERR_INVALID);
	assert_int_equal(store_message_edit(f->st, f->alice, id, "  ", &other, why,
	    sizeof why), ERR_INVALID);
	assert_int_equal(rows(f->st), before);
	assert_int_equal(store_messages(f->st, f->alice, f->bob, 0, 10, &p), 0);
	assert_string_equal(p.v[0].text, "hi");
	assert_int_equal(p.v[0].edited_at, 0);
	assert_string_equal(p.v[1].text, "hello");
	message_page_free(&p);

	/* Delete own: shown as deleted to both, the words gone. */
	assert_int_equal(store_message_delete(f->st, f->alice, id, &other), 0);
	assert_int_equal(other, f->bob);
	assert_int_equal(storefix_sql_int(f->st, "SELECT count(*) FROM messages WHERE text = 'hello'"), 0);
	assert_int_equal(store_messages(f->st, f->bob, f->alice, 0, 10, &p), 0);
	assert_int_equal(p.n, 2);
	assert_true(p.v[1].deleted);
	assert_string_equal(p.v[1].text, "");
	assert_false(p.v[0].deleted);
	message_page_free(&p);
	assert_int_equal(store_messages(f->st, f->alice, f->bob, 0, 10, &p), 0);
	assert_true(p.v[1].deleted);
	message_page_free(&p);
	/* Gone is gone: no edit, no second delete. */
	assert_int_equal(store_message_edit(f->st, f->alice, id, "back", &other, why,
	    sizeof why), ERR_NOTFOUND);
	assert_non_null(strstr(why, "deleted"));
	assert_int_equal(store_message_delete(f->st, f->alice, id, &other), ERR_NOTFOUND);
	/* The newest message, deleted, is the list's preview. */
	id = send_ok(f->st, f->alice, f->bob, "oops", false);
	assert_int_equal(store_message_delete(f->st, f->alice, id, &other), 0);
	{
		struct conversation_list l;

		assert_int_equal(store_conversations(f->st, f->bob, false, &l), 0);
		assert_int_equal(l.v[0].last.id, id);
		assert_true(l.v[0].last.deleted);
		conversation_list_free(&l);
	}
}

/* ---- bad input ----------------------------------------------------------------- */

static void
test_bad_text(void **state)
{
	struct fx	*f = *state;
	char		*s;

	storefix_befriend(f->st, f->alice, f->bob);
	s = repeat("a", MESSAGE_MAX + 1);
	send_refused(f->st, f->alice, f->bob, s, ERR_INVALID, "too long");
	free(s);
	/* Characters, not bytes: 4000 two-byte ones fit, 4001 do not. */
	s = repeat("é", MESSAGE_MAX);
	send_ok(f->st, f->alice, f->bob, s, false);
	free(s);
	s = repeat("é", MESSAGE_MAX + 1);
	send_refused(f->st, f->alice, f->bob, s, ERR_INVALID, "too long");
	free(s);
	send_refused(f->st, f->alice, f->bob, "bad \xff\xfe bytes", ERR_INVALID, "UTF-8");
	send_refused(f->st, f->alice, f->bob, "\xc0\xaf", ERR_INVALID, "UTF-8");
	send_refused(f->st, f->alice, f->bob, "\x1b]0;pwned\x07", ERR_INVALID, "control");
	send_refused(f->st, f->alice, f->bob, "red \x1b[31m", ERR_INVALID, "control");
	send_refused(f->st, f->alice, f->bob, "c1 \xc2\x9b" "31m", ERR_INVALID, "control");
	send_refused(f->st, f->alice, f->bob, "cr\r", ERR_INVALID, "control");
	send_refused(f->st, f->alice, f->bob, "", ERR_INVALID, "empty");
	send_refused(f->st, f->alice, f->bob, " \n\t ", ERR_INVALID, "empty");
	/* Bad text to a stranger creates no request either. */
	send_refused(f->st, f->alice, f->carol, "\x1b", ERR_INVALID, NULL);
	assert_int_equal(storefix_sql_int(f->st, "SELECT count(*) FROM message_requests WHERE "
	    "state = 0"), 0);
}

/* ---- unread counts and notifications ---------------------------------------------- */

static void
test_unread_and_mark_read(void **state)
{
	struct fx			*f = *state;
	struct conversation_list	 l;
	struct message_page		 p;
	int64_t				 last, other, n;

	storefix_befriend(f->st, f->alice, f->bob);
	storefix_befriend(f->st, f->carol, f->bob);
	assert_int_equal(unread(f->st, f->bob), 0);
	send_ok(f->st, f->alice, f->bob, "1", false);
	assert_int_equal(unread(f->st, f->bob), 1);
	send_ok(f->st, f->alice, f->bob, "2", false);
	send_ok(f->st, f->carol, f->bob, "3", false);
	last = send_ok(f->st, f->alice, f->bob, "4", false);
	assert_int_equal(unread(f->st, f->bob), 4);
	assert_int_equal(unread(f->st, f->alice), 0);	/* my own messages are not unread to me */
	send_ok(f->st, f->bob, f->alice, "5", false);
	assert_int_equal(unread(f->st, f->alice), 1);
	assert_int_equal(unread(f->st, f->bob), 4);

	assert_int_equal(store_conversations(f->st, f->bob, false, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(find_conv(&l, f->alice)->unread, 3);
	assert_int_equal(find_conv(&l, f->carol)->unread, 1);
	conversation_list_free(&l);

	/* A deleted unread message is nothing to read. */
	assert_int_equal(store_message_delete(f->st, f->alice, last, &other), 0);
	assert_int_equal(unread(f->st, f->bob), 3);
	assert_int_equal(store_conversations(f->st, f->bob, false, &l), 0);
	assert_int_equal(find_conv(&l, f->alice)->unread, 2);
	conversation_list_free(&l);

	/* Reading alice's conversation: her messages read, carol's not. */
	assert_int_equal(store_messages_mark_read(f->st, f->bob, f->alice), 0);
	assert_int_equal(unread(f->st, f->bob), 1);
	assert_int_equal(store_messages(f->st, f->alice, f->bob, 0, 10, &p), 0);
	assert_false(p.v[0].read);	/* bob's "5": alice has not read it */
	assert_true(p.v[2].read);	/* alice's "2": bob has */
	message_page_free(&p);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, true), 0);
	assert_int_equal(msg_notifs(f->st, f->bob, f->carol, true), 1);
	/* Twice is fine; marking read for someone else's conversation changes nothing. */
	assert_int_equal(store_messages_mark_read(f->st, f->bob, f->alice), 0);
	assert_int_equal(store_messages_mark_read(f->st, f->carol, f->alice), 0);
	assert_int_equal(unread(f->st, f->alice), 1);
	assert_int_equal(store_notification_unread_count(f->st, f->bob, &n), 0);
	assert_int_equal(n, 1);	/* carol's */
	assert_int_equal(store_messages_mark_read(f->st, f->bob, f->carol), 0);
	assert_int_equal(unread(f->st, f->bob), 0);
}

/* Reading a request is no read receipt: its messages stay unread until it is accepted. */
static void
test_request_read_after_accept(void **state)
{
	struct fx		*f = *state;
	struct message_page	 p;

	send_ok(f->st, f->carol, f->bob, "may I", true);
	assert_int_equal(store_messages_mark_read(f->st, f->bob, f->carol), 0);
	assert_int_equal(store_messages(f->st, f->carol, f->bob, 0, 10, &p), 0);
	assert_false(p.v[0].read);
	message_page_free(&p);
	assert_int_equal(unread(f->st, f->bob), 1);
	/* Nor is reading one I declined. */
	send_ok(f->st, f->alice, f->bob, "me too", true);
	assert_int_equal(store_message_request_decline(f->st, f->bob, f->alice), 0);
	assert_int_equal(store_messages_mark_read(f->st, f->bob, f->alice), 0);
	assert_int_equal(storefix_sql_int(f->st, "SELECT count(*) FROM messages WHERE read = 1"),
	    0);
	assert_int_equal(store_message_request_accept(f->st, f->bob, f->carol), 0);
	assert_int_equal(store_messages_mark_read(f->st, f->bob, f->carol), 0);
	assert_int_equal(store_messages(f->st, f->carol, f->bob, 0, 10, &p), 0);
	assert_true(p.v[0].read);
	message_page_free(&p);
	assert_int_equal(unread(f->st, f->bob), 0);
}

static void
test_notification_refreshed(void **state)
{
	struct fx		*f = *state;
	struct notif_page	 p;
	int64_t			 m1, m2, first, other;

	storefix_befriend(f->st, f->alice, f->bob);
	m1 = send_ok(f->st, f->alice, f->bob, "one", false);
	assert_int_equal(store_notifications(f->st, f->bob, false, 0, 10, &p), 0);
	/* The friend request (read when accepted), then the message. */
	assert_int_equal(p.v[0].type, NOTIF_MESSAGE);
	assert_int_equal(p.v[0].actor_id, f->alice);
	assert_int_equal(p.v[0].object_id, m1);
	assert_false(p.v[0].read);
	first = p.v[0].id;
	notif_page_free(&p);

	/* A second message: still one notification, refreshed (newer id, newest object). */
	m2 = send_ok(f->st, f->alice, f->bob, "two", false);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, false), 1);
	assert_int_equal(store_notifications(f->st, f->bob, false, 0, 10, &p), 0);
	assert_int_equal(p.v[0].type, NOTIF_MESSAGE);
	assert_true(p.v[0].id > first);
	assert_int_equal(p.v[0].object_id, m2);
	notif_page_free(&p);

	/* Read, then a new message: unread again, still one. */
	assert_int_equal(store_messages_mark_read(f->st, f->bob, f->alice), 0);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, true), 0);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, false), 1);
	send_ok(f->st, f->alice, f->bob, "three", false);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, true), 1);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, false), 1);
	/* One per sender. */
	send_ok(f->st, f->carol, f->bob, "hi", true);
	assert_int_equal(msg_notifs(f->st, f->bob, f->carol, false), 1);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, false), 1);
	/* Replies notify the other way, separately. */
	send_ok(f->st, f->bob, f->alice, "back", false);
	assert_int_equal(msg_notifs(f->st, f->alice, f->bob, true), 1);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, true), 1);

	/* Alice takes back her only unread message: the notification goes with it. */
	assert_int_equal(store_messages_mark_read(f->st, f->bob, f->alice), 0);
	m1 = send_ok(f->st, f->alice, f->bob, "oops", false);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, true), 1);
	assert_int_equal(store_message_delete(f->st, f->alice, m1, &other), 0);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, false), 0);
	/* Not while another unread one remains. */
	send_ok(f->st, f->alice, f->bob, "a", false);
	m2 = send_ok(f->st, f->alice, f->bob, "b", false);
	assert_int_equal(store_message_delete(f->st, f->alice, m2, &other), 0);
	assert_int_equal(msg_notifs(f->st, f->bob, f->alice, true), 1);
	/* A block hides it (notifications.c's rule for every kind). */
	{
		char	why[256];
		int64_t	n;

		assert_int_equal(store_notification_unread_count(f->st, f->bob, &n), 0);
		assert_int_equal(n, 2);	/* alice's and carol's */
		assert_int_equal(store_block(f->st, f->bob, f->alice, why, sizeof why), 0);
		assert_int_equal(store_notification_unread_count(f->st, f->bob, &n), 0);
		assert_int_equal(n, 1);
	}
}

/* ---- pages and live changes ---------------------------------------------------------- */

static void
test_pagination(void **state)
{
	struct fx		*f = *state;
	struct message_page	 p;
	int64_t			 ids[25], before = 0, last = INT64_MAX;
	char			 text[16];
	size_t			 i, total = 0, pages = 0;

	storefix_befriend(f->st, f->alice, f->bob);
	for (i = 0; i < 25; i++) {
		snprintf(text, sizeof text, "m%zu", i);
		/* Interleaved with another conversation, which must not show. */
		ids[i] = send_ok(f->st, i % 2 ? f->alice : f->bob, i % 2 ? f->bob : f->alice,
		    text, false);
		send_ok(f->st, f->carol, f->alice, "noise", true);
	}
	do {
		assert_int_equal(store_messages(f->st, f->alice, f->bob, before, 10, &p), 0);
		for (i = 0; i < p.n; i++) {
			assert_true(p.v[i].id < last);
			last = p.v[i].id;
			/* Newest first, no gaps: the ids are exactly ids[24 - total]. */
			assert_int_equal(p.v[i].id, ids[24 - total]);
			total++;
		}
		before = p.next_before;
		assert_true(++pages <= 3);
		message_page_free(&p);
	} while (before != 0);
	assert_int_equal(total, 25);
	assert_int_equal(pages, 3);
	/* A page that ends exactly at the start says so. */
	assert_int_equal(store_messages(f->st, f->alice, f->bob, ids[5], 5, &p), 0);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.next_before, 0);
	message_page_free(&p);
	assert_int_equal(store_messages(f->st, f->alice, f->bob, ids[6], 5, &p), 0);
	assert_int_equal(p.next_before, ids[1]);
	message_page_free(&p);
	assert_int_equal(store_messages(f->st, f->alice, f->bob, 0, 0, &p), ERR_INVALID);
	assert_int_equal(store_messages(f->st, f->alice, f->alice, 0, 10, &p), 0);
	assert_int_equal(p.n, 0);
	message_page_free(&p);
}

static void
test_after_and_changes(void **state)
{
	struct fx		*f = *state;
	struct message_page	 p;
	int64_t			 a, b, c, rev, other;
	char			 why[128];

	storefix_befriend(f->st, f->alice, f->bob);
	assert_int_equal(store_messages_rev(f->st, f->alice, f->bob, &rev), 0);
	assert_int_equal(rev, 0);
	a = send_ok(f->st, f->alice, f->bob, "a", false);
	b = send_ok(f->st, f->bob, f->alice, "b", false);
	send_ok(f->st, f->carol, f->bob, "elsewhere", true);
	c = send_ok(f->st, f->alice, f->bob, "c", false);

	/* After an id: oldest first, this conversation only, limited. */
	assert_int_equal(store_messages_after(f->st, f->bob, f->alice, a, 10, &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].id, b);
	assert_int_equal(p.v[1].id, c);
	assert_int_equal(p.next_before, 0);
	message_page_free(&p);
	assert_int_equal(store_messages_after(f->st, f->bob, f->alice, 0, 2, &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].id, a);
	assert_int_equal(p.v[1].id, b);
	message_page_free(&p);
	assert_int_equal(store_messages_after(f->st, f->bob, f->alice, c, 10, &p), 0);
	assert_int_equal(p.n, 0);
	message_page_free(&p);

	/* Changes: an edit of an old one and a delete come after the sends, in order. */
	assert_int_equal(store_messages_rev(f->st, f->bob, f->alice, &rev), 0);
	assert_int_equal(rev, 3);
	assert_int_equal(store_message_delete(f->st, f->bob, b, &other), 0);
	assert_int_equal(store_message_edit(f->st, f->alice, a, "A", &other, why, sizeof why), 0);
	assert_int_equal(store_messages_changed(f->st, f->bob, f->alice, rev, 10, &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].id, b);
	assert_true(p.v[0].deleted);
	assert_int_equal(p.v[1].id, a);
	assert_string_equal(p.v[1].text, "A");
	assert_int_equal(p.v[1].rev, rev + 2);
	message_page_free(&p);
	assert_int_equal(store_messages_changed(f->st, f->alice, f->bob, 0, 10, &p), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.v[0].id, c);	/* a and b changed later */
	message_page_free(&p);
	assert_int_equal(store_messages_rev(f->st, f->alice, f->bob, &rev), 0);
	assert_int_equal(rev, 5);
	assert_int_equal(store_messages_changed(f->st, f->alice, f->bob, rev, 10, &p), 0);
	assert_int_equal(p.n, 0);
	message_page_free(&p);
}

/* ---- the conversation list -------------------------------------------------------------- */

static void
test_conversation_list(void **state)
{
	struct fx			*f = *state;
	struct conversation_list	 l;
	int64_t				 dave;

	dave = mkuser(f->st, "dave", "Dave");
	storefix_befriend(f->st, f->alice, f->bob);
	storefix_befriend(f->st, f->alice, f->carol);
	assert_int_equal(store_conversations(f->st, f->alice, false, &l), 0);
	assert_int_equal(l.n, 0);
	conversation_list_free(&l);

	send_ok(f->st, f->alice, f->bob, "to bob", false);
	send_ok(f->st, f->carol, f->alice, "from carol", false);
	send_ok(f->st, dave, f->alice, "from dave", true);
	send_ok(f->st, f->bob, f->alice, "bob again", false);

	/* Newest last message first, whoever wrote it; requests apart. */
	assert_int_equal(store_conversations(f->st, f->alice, false, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].username, "bob");
	assert_string_equal(l.v[0].last.text, "bob again");
	assert_int_equal(l.v[0].last.from_id, f->bob);
	assert_string_equal(l.v[1].username, "carol");
	assert_string_equal(l.v[1].last.text, "from carol");
	conversation_list_free(&l);
	assert_int_equal(store_conversations(f->st, f->alice, true, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].username, "dave");
	assert_true(l.v[0].request);
	conversation_list_free(&l);

	/* Writing to carol brings her to the top. */
	send_ok(f->st, f->alice, f->carol, "hi carol", false);
	assert_int_equal(store_conversations(f->st, f->alice, false, &l), 0);
	assert_string_equal(l.v[0].username, "carol");
	assert_string_equal(l.v[0].last.text, "hi carol");
	assert_int_equal(l.v[0].last.from_id, f->alice);
	assert_int_equal(l.v[0].unread, 1);	/* carol's "from carol" */
	conversation_list_free(&l);

	/* An account that goes takes its conversations with it, on both sides. */
	assert_int_equal(store_user_delete(f->st, f->bob), 0);
	assert_int_equal(store_conversations(f->st, f->alice, false, &l), 0);
	assert_int_equal(l.n, 1);
	conversation_list_free(&l);
	assert_int_equal(storefix_sql_int(f->st, "SELECT count(*) FROM messages WHERE 2 IN "
	    "(from_id, to_id)"), 0);
	assert_int_equal(unread(f->st, f->alice), 2);	/* carol's and dave's */
}

/* ---- privacy ----------------------------------------------------------------------- */

static void
test_privacy(void **state)
{
	struct fx			*f = *state;
	struct conversation_list	 l;
	struct message_page		 p;
	int64_t				 id, other, n;
	char				 why[128];

	storefix_befriend(f->st, f->alice, f->bob);
	id = send_ok(f->st, f->alice, f->bob, "secret", false);
	send_ok(f->st, f->bob, f->alice, "secret too", false);

	/* Carol sees none of it, and can touch none of it. */
	assert_int_equal(store_conversations(f->st, f->carol, false, &l), 0);
	assert_int_equal(l.n, 0);
	conversation_list_free(&l);
	assert_int_equal(store_conversations(f->st, f->carol, true, &l), 0);
	assert_int_equal(l.n, 0);
	conversation_list_free(&l);
	assert_int_equal(store_messages(f->st, f->carol, f->alice, 0, 10, &p), 0);
	assert_int_equal(p.n, 0);
	message_page_free(&p);
	assert_int_equal(store_messages_after(f->st, f->carol, f->bob, 0, 10, &p), 0);
	assert_int_equal(p.n, 0);
	message_page_free(&p);
	assert_int_equal(store_messages_changed(f->st, f->carol, f->bob, 0, 10, &p), 0);
	assert_int_equal(p.n, 0);
	message_page_free(&p);
	assert_int_equal(unread(f->st, f->carol), 0);
	assert_int_equal(store_message_peer(f->st, f->carol, "alice", &other), ERR_NOTFOUND);
	assert_int_equal(store_message_edit(f->st, f->carol, id, "mine now", &other, why,
	    sizeof why), ERR_NOTFOUND);
	assert_int_equal(store_message_delete(f->st, f->carol, id, &other), ERR_NOTFOUND);
	assert_int_equal(store_messages_mark_read(f->st, f->carol, f->alice), 0);
	assert_int_equal(unread(f->st, f->bob), 1);
	assert_int_equal(store_notification_unread_count(f->st, f->carol, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_message_request_decline(f->st, f->carol, f->alice),
	    ERR_NOTFOUND);
	/* Unchanged for the two. */
	assert_int_equal(store_messages(f->st, f->bob, f->alice, 0, 10, &p), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[1].text, "secret");
	message_page_free(&p);
}

static void
test_free_tolerates_empty(void **state)
{
	struct message_page		p = { 0 };
	struct conversation_list	l = { 0 };

	(void)state;
	message_page_free(&p);
	message_page_free(NULL);
	conversation_list_free(&l);
	conversation_list_free(NULL);
	assert_null(p.v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_friends_chat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_accepts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decline_then_friends_without_writing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_decliner_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_then_friends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocks_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unread_and_mark_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_read_after_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notification_refreshed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_after_and_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conversation_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_privacy, setup, teardown),
		cmocka_unit_test(test_free_tolerates_empty),
	};

	log_open("test_messages", LOG_TO_STDERR, NULL, LOG_LVL_WARN);
	utf8_locale_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
