/*
 * storage: profiles, tags, friendships, blocks, notifications and user
 * search, on a fresh ":memory:" database per test. Some tests look at the
 * tables directly (store-int.h) to check what was or was not stored.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "common/err.h"
#include "common/log.h"
#include "common/utf8.h"
#include "storage/gen.h"
#include "storage/social-int.h"
#include "storage/social.h"
#include "storage/store-int.h"
#include "storage/store.h"
#include "tests/unit/storefix.h"

/* A well-formed Argon2id string (never verified here): an account with no key. */
#define SOME_HASH	"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA"

/* ---- helpers ------------------------------------------------------------ */

static void
set(struct store *st, int64_t user, const char *field, const char *value)
{
	char why[256];

	assert_int_equal(store_profile_set(st, user, field, value, why, sizeof why), 0);
	assert_string_equal(why, "");
}

static int64_t
unread(struct store *st, int64_t user)
{
	int64_t n = -1;

	assert_int_equal(store_notification_unread_count(st, user, &n), 0);
	return n;
}

/* The one newest notification of user (asserting there is at least one). */
static struct notification
newest(struct store *st, int64_t user, struct notif_page *p)
{
	assert_int_equal(store_notifications(st, user, false, 0, 1, p), 0);
	assert_int_equal(p->n, 1);
	return p->v[0];
}

static int64_t
notif_count(struct store *st, int64_t user)
{
	struct notif_page	p;
	int64_t			n;

	assert_int_equal(store_notifications(st, user, false, 0, 500, &p), 0);
	n = (int64_t)p.n;
	notif_page_free(&p);
	return n;
}

static enum relation
rel(struct store *st, int64_t me, int64_t other)
{
	enum relation r;

	assert_int_equal(store_relation(st, me, other, &r), 0);
	return r;
}

/* Whether a search by viewer finds the user with this id (first 100 hits), and how. */
static bool
search_finds(struct store *st, int64_t viewer, const char *q, int64_t id, enum relation *relp)
{
	struct user_hits	h;
	size_t			i;
	bool			found = false;

	assert_int_equal(store_search_users(st, viewer, q, NULL, 100, &h), 0);
	for (i = 0; i < h.n; i++)
		if (h.v[i].id == id) {
			found = true;
			if (relp != NULL)
				*relp = h.v[i].relation;
		}
	user_hits_free(&h);
	return found;
}

static size_t
search_count(struct store *st, int64_t viewer, const char *q)
{
	struct user_hits	h;
	size_t			n;

	assert_int_equal(store_search_users(st, viewer, q, NULL, 100, &h), 0);
	n = h.n;
	user_hits_free(&h);
	return n;
}

static char *
repeat(const char *s, size_t times)
{
	size_t	 len = strlen(s), i;
	char	*out = malloc(len * times + 1);

	assert_non_null(out);
	for (i = 0; i < times; i++)
		memcpy(out + i * len, s, len);
	out[len * times] = '\0';
	return out;
}

/* ---- schema ----------------------------------------------------------------- */

static void
test_schema(void **state)
{
	struct store	*st = *state;

	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), store_schema_version());
	assert_true(store_schema_version() >= 2);
	/* STRICT: a wrong type in the new tables is an error. */
	assert_int_not_equal(sqlite3_exec(st->db, "INSERT INTO notifications (user_id, "
	    "type, created_at) VALUES ('x', 1, 0)", NULL, NULL, NULL), SQLITE_OK);
	storefix_user(st, "alice", "Alice");
	assert_int_not_equal(sqlite3_exec(st->db, "UPDATE users SET privacy = 7", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(st->db, "INSERT INTO friendships VALUES (1, 1, 0)",
	    NULL, NULL, NULL), SQLITE_OK);
}

/*
 * A database made before this migration, with users in it: the new step
 * adds the tables and puts the existing users into the search index.
 */
static void
test_migration_backfills_search(void **state)
{
	char		 dir[] = "/tmp/sshbook-social-XXXXXX", path[256];
	struct store	*st = NULL;
	int64_t		 alice;
	int		 r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sshbook.db", dir);
	/* A real version-1 database, with a user made the way version 1 made them. */
	store_migrate_limit = 1;
	r = store_open(path, &st);
	store_migrate_limit = 0;
	assert_int_equal(r, 0);
	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), 1);
	assert_int_equal(sqlite3_exec(st->db,
	    "INSERT INTO users (username, display_name, created_at) "
	    "VALUES ('alice', 'Alice Liddell', 0);", NULL, NULL, NULL), SQLITE_OK);
	alice = sqlite3_last_insert_rowid(st->db);
	store_close(st);
	st = NULL;

	assert_int_equal(store_open(path, &st), 0);
	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users_fts"), 1);
	assert_true(search_finds(st, alice, "lidd", alice, NULL));
	/* The rank configuration survives a new connection. */
	set(st, alice, "bio", "hello");
	assert_true(search_finds(st, alice, "hel", alice, NULL));
	store_close(st);

	storefix_remove_db(dir, path);
}

/* ---- the request state machine -------------------------------------------------- */

static void
test_request_accept_remove(void **state)
{
	struct store		*st = *state;
	struct notif_page	 p;
	struct notification	 n;
	struct user_list	 l;
	char			 why[256];
	bool			 notified = false;
	int64_t			 alice, bob;

	alice = storefix_user(st, "alice", "Alice");
	bob = storefix_user(st, "bob", "Bob");
	assert_int_equal(rel(st, alice, bob), REL_NONE);

	assert_int_equal(store_friend_request(st, alice, bob, &notified, why, sizeof why), 0);
	assert_true(notified);
	assert_string_equal(why, "");
	assert_int_equal(rel(st, alice, bob), REL_REQUEST_SENT);
	assert_int_equal(rel(st, bob, alice), REL_REQUEST_RECEIVED);
	assert_int_equal(unread(st, bob), 1);
	assert_int_equal(unread(st, alice), 0);
	n = newest(st, bob, &p);
	assert_int_equal(n.type, NOTIF_FRIEND_REQUEST);
	assert_int_equal(n.actor_id, alice);
	assert_string_equal(n.actor_username, "alice");
	assert_string_equal(n.actor_display_name, "Alice");
	assert_int_equal(n.object_id, 0);
	assert_false(n.read);
	notif_page_free(&p);

	assert_int_equal(store_requests_incoming(st, bob, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, alice);
	assert_int_equal(l.v[0].relation, REL_REQUEST_RECEIVED);
	assert_true(l.v[0].since > 0);
	assert_null(l.next_after);
	user_list_free(&l);
	assert_int_equal(store_requests_outgoing(st, alice, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, bob);
	assert_int_equal(l.v[0].relation, REL_REQUEST_SENT);
	user_list_free(&l);
	assert_int_equal(store_requests_incoming(st, alice, &l), 0);
	assert_int_equal(l.n, 0);
	user_list_free(&l);

	/* Asking twice, asking oneself, asking nobody. */
	assert_int_equal(store_friend_request(st, alice, bob, &notified, why, sizeof why),
	    ERR_EXISTS);
	assert_false(notified);
	assert_string_equal(why, "you already sent 'bob' a friend request");
	assert_int_equal(store_friend_request(st, alice, alice, &notified, why, sizeof why),
	    ERR_INVALID);
	assert_non_null(strstr(why, "yourself"));
	assert_int_equal(store_friend_request(st, alice, 9999, &notified, why, sizeof why),
	    ERR_NOTFOUND);
	assert_string_equal(why, "no such user");
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friend_requests"), 1);
	assert_int_equal(unread(st, bob), 1);
	/* alice cannot accept her own request. */
	assert_int_equal(store_friend_accept(st, alice, bob, &notified, why, sizeof why),
	    ERR_NOTFOUND);
	assert_string_equal(why, "'bob' has not sent you a friend request");

	assert_int_equal(store_friend_accept(st, bob, alice, &notified, why, sizeof why), 0);
	assert_true(notified);
	assert_int_equal(rel(st, alice, bob), REL_FRIEND);
	assert_int_equal(rel(st, bob, alice), REL_FRIEND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friend_requests"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friendships"), 2);
	n = newest(st, alice, &p);
	assert_int_equal(n.type, NOTIF_FRIEND_ACCEPT);
	assert_int_equal(n.actor_id, bob);
	notif_page_free(&p);
	/* The request was answered: bob's notification of it stays, read. */
	assert_int_equal(unread(st, bob), 0);
	assert_int_equal(notif_count(st, bob), 1);

	assert_int_equal(store_friend_request(st, bob, alice, &notified, why, sizeof why),
	    ERR_EXISTS);
	assert_string_equal(why, "you and 'alice' are already friends");
	assert_int_equal(store_friend_accept(st, bob, alice, &notified, why, sizeof why),
	    ERR_EXISTS);

	/* Removing writes no notification; the hint alone tells the other side. */
	assert_int_equal(store_friend_remove(st, bob, alice, &notified, why, sizeof why), 0);
	assert_false(notified);
	assert_int_equal(notif_count(st, alice), 1);
	assert_int_equal(notif_count(st, bob), 1);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friendships"), 0);
	assert_int_equal(rel(st, alice, bob), REL_NONE);
	assert_int_equal(store_friend_remove(st, bob, alice, &notified, why, sizeof why),
	    ERR_NOTFOUND);
	assert_string_equal(why, "you and 'alice' are not friends");
}

static void
test_crossing_requests_accept(void **state)
{
	struct store		*st = *state;
	struct notif_page	 p;
	char			 why[256];
	bool			 notified;
	int64_t			 alice, bob;

	alice = storefix_user(st, "alice", "Alice");
	bob = storefix_user(st, "bob", "Bob");
	assert_int_equal(store_friend_request(st, alice, bob, &notified, why, sizeof why), 0);
	assert_int_equal(store_friend_request(st, bob, alice, &notified, why, sizeof why), 0);
	assert_true(notified);
	assert_non_null(strstr(why, "now friends"));
	assert_int_equal(rel(st, alice, bob), REL_FRIEND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friend_requests"), 0);
	/* alice asked first, so she is told that bob accepted. */
	assert_int_equal(newest(st, alice, &p).type, NOTIF_FRIEND_ACCEPT);
	assert_int_equal(p.v[0].actor_id, bob);
	notif_page_free(&p);
	assert_int_equal(unread(st, alice), 1);
	assert_int_equal(unread(st, bob), 0);
}

static void
test_decline(void **state)
{
	struct store		*st = *state;
	struct notif_page	 p;
	char			 why[256];
	bool			 notified;
	int64_t			 alice, bob;

	alice = storefix_user(st, "alice", "Alice");
	bob = storefix_user(st, "bob", "Bob");
	assert_int_equal(store_friend_decline(st, bob, alice, &notified, why, sizeof why),
	    ERR_NOTFOUND);
	assert_int_equal(store_friend_request(st, alice, bob, &notified, why, sizeof why), 0);
	assert_int_equal(store_friend_decline(st, bob, alice, &notified, why, sizeof why), 0);
	assert_true(notified);
	assert_int_equal(newest(st, alice, &p).type, NOTIF_FRIEND_DECLINE);
	assert_int_equal(p.v[0].actor_id, bob);
	notif_page_free(&p);
	assert_int_equal(unread(st, bob), 0);
	assert_int_equal(rel(st, alice, bob), REL_NONE);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friend_requests"), 0);
	assert_int_equal(store_friend_decline(st, bob, alice, &notified, why, sizeof why),
	    ERR_NOTFOUND);
	assert_false(notified);
	/* alice may ask again. */
	assert_int_equal(store_friend_request(st, alice, bob, &notified, why, sizeof why), 0);
	assert_int_equal(unread(st, bob), 1);
}

static void
test_cancel(void **state)
{
	struct store	*st = *state;
	char		 why[256];
	bool		 notified;
	int64_t		 alice, bob, carol;

	alice = storefix_user(st, "alice", "Alice");
	bob = storefix_user(st, "bob", "Bob");
	carol = storefix_user(st, "carol", "Carol");
	assert_int_equal(store_friend_request(st, carol, bob, &notified, why, sizeof why), 0);
	assert_int_equal(store_friend_request(st, alice, bob, &notified, why, sizeof why), 0);
	assert_int_equal(unread(st, bob), 2);
	/* bob cannot cancel what alice sent. */
	assert_int_equal(store_friend_cancel(st, bob, alice, &notified, why, sizeof why),
	    ERR_NOTFOUND);
	assert_string_equal(why, "you have no pending friend request to 'alice'");

	assert_int_equal(store_friend_cancel(st, alice, bob, &notified, why, sizeof why), 0);
	assert_true(notified);
	assert_int_equal(unread(st, bob), 1);	/* carol's is untouched */
	assert_int_equal(notif_count(st, bob), 1);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM notifications WHERE actor_id = 1"), 0);
	assert_int_equal(rel(st, alice, bob), REL_NONE);
	assert_int_equal(store_friend_accept(st, bob, alice, &notified, why, sizeof why),
	    ERR_NOTFOUND);
	assert_int_equal(store_friend_cancel(st, alice, bob, &notified, why, sizeof why),
	    ERR_NOTFOUND);
	assert_false(notified);
	assert_int_equal(rel(st, carol, bob), REL_REQUEST_SENT);
}

/* ---- blocks ------------------------------------------------------------------ */

static void
test_block_cuts_everything(void **state)
{
	struct store		*st = *state;
	struct profile		 pr;
	struct user_list	 l;
	char			 why[256];
	bool			 notified;
	enum relation		 r;
	int64_t			 alice, bob, carol, id;
	size_t			 i;

	alice = storefix_user(st, "alice", "Alice Liddell");
	bob = storefix_user(st, "bob", "Bob Builder");
	carol = storefix_user(st, "carol", "Carol");
	storefix_befriend(st, alice, bob);
	storefix_befriend(st, carol, alice);
	storefix_befriend(st, carol, bob);
	assert_int_equal(notif_count(st, bob), 2);	/* alice's and carol's requests */

	assert_int_equal(store_block(st, alice, bob, why, sizeof why), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friendships WHERE "
	    "(user_id = 1 AND friend_id = 2) OR (user_id = 2 AND friend_id = 1)"), 0);
	/* The friend notifications between the two are gone; carol's stay. */
	assert_int_equal(notif_count(st, bob), 1);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM notifications WHERE "
	    "(user_id = 1 AND actor_id = 2) OR (user_id = 2 AND actor_id = 1)"), 0);

	/* For bob, alice no longer exists. */
	assert_int_equal(store_user_lookup(st, bob, "alice", &id), ERR_NOTFOUND);
	assert_int_equal(store_profile_get(st, bob, "alice", &pr), ERR_NOTFOUND);
	assert_null(pr.username);
	assert_int_equal(store_relation(st, bob, alice, &r), ERR_NOTFOUND);
	assert_false(search_finds(st, bob, "alice", alice, NULL));
	assert_false(search_finds(st, bob, "lidd", alice, NULL));
	assert_int_equal(store_friends_list(st, bob, alice, NULL, NULL, 50, &l), ERR_NOTFOUND);
	/* Nor in carol's (public) friends list as bob sees it. */
	assert_int_equal(store_friends_list(st, bob, carol, NULL, NULL, 50, &l), 0);
	for (i = 0; i < l.n; i++)
		assert_int_not_equal(l.v[i].id, alice);
	user_list_free(&l);
	assert_int_equal(store_friends_list(st, alice, carol, NULL, NULL, 50, &l), 0);
	assert_int_equal(l.n, 2);	/* alice herself and bob (blocked, still listed) */
	user_list_free(&l);
	/* bob cannot ask, and is not told why. */
	assert_int_equal(store_friend_request(st, bob, alice, &notified, why, sizeof why),
	    ERR_DENIED);
	assert_false(notified);
	assert_string_equal(why, "cannot send a friend request to 'alice'");
	assert_null(strstr(why, "block"));
	assert_int_equal(notif_count(st, alice), 1);	/* only carol's request */

	/* alice still finds bob, to unblock him. */
	assert_int_equal(store_user_lookup(st, alice, "bob", &id), 0);
	assert_int_equal(id, bob);
	assert_int_equal(rel(st, alice, bob), REL_BLOCKED);
	assert_true(search_finds(st, alice, "bob", bob, &r));
	assert_int_equal(r, REL_BLOCKED);
	assert_int_equal(store_profile_get(st, alice, "bob", &pr), 0);
	assert_int_equal(pr.relation, REL_BLOCKED);
	profile_free(&pr);
	assert_int_equal(store_blocked_list(st, alice, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, bob);
	assert_int_equal(l.v[0].relation, REL_BLOCKED);
	user_list_free(&l);
	assert_int_equal(store_friend_request(st, alice, bob, &notified, why, sizeof why),
	    ERR_DENIED);
	assert_string_equal(why, "you blocked 'bob' (unblock them first)");
	assert_int_equal(store_block(st, alice, bob, why, sizeof why), ERR_EXISTS);
	assert_int_equal(store_block(st, alice, alice, why, sizeof why), ERR_INVALID);

	assert_int_equal(store_unblock(st, alice, bob, why, sizeof why), 0);
	assert_int_equal(store_unblock(st, alice, bob, why, sizeof why), ERR_NOTFOUND);
	assert_string_equal(why, "you have not blocked 'bob'");
	assert_int_equal(store_user_lookup(st, bob, "alice", &id), 0);
	assert_true(search_finds(st, bob, "alice", alice, NULL));
	/* The friendship does not come back by itself. */
	assert_int_equal(rel(st, alice, bob), REL_NONE);
	assert_int_equal(store_blocked_list(st, alice, &l), 0);
	assert_int_equal(l.n, 0);
	user_list_free(&l);
}

static void
test_block_removes_requests(void **state)
{
	struct store		*st = *state;
	struct user_list	 l;
	char			 why[256];
	bool			 notified;
	int64_t			 alice, bob;

	alice = storefix_user(st, "alice", "Alice");
	bob = storefix_user(st, "bob", "Bob");
	assert_int_equal(store_friend_request(st, alice, bob, &notified, why, sizeof why), 0);
	assert_int_equal(unread(st, bob), 1);
	assert_int_equal(store_block(st, bob, alice, why, sizeof why), 0);
	assert_int_equal(unread(st, bob), 0);
	assert_int_equal(notif_count(st, bob), 0);
	assert_int_equal(store_requests_outgoing(st, alice, &l), 0);
	assert_int_equal(l.n, 0);
	user_list_free(&l);
	assert_int_equal(store_requests_incoming(st, bob, &l), 0);
	assert_int_equal(l.n, 0);
	user_list_free(&l);
	assert_int_equal(store_friend_accept(st, bob, alice, &notified, why, sizeof why),
	    ERR_DENIED);
	assert_int_equal(store_friend_cancel(st, alice, bob, &notified, why, sizeof why),
	    ERR_NOTFOUND);
}

/* ---- profiles ------------------------------------------------------------------ */

static void
test_profile_privacy(void **state)
{
	struct store	*st = *state;
	struct profile	 p;
	int64_t		 alice, friend, stranger;
	const char	*privs[] = { "public", "friends", "private" };
	/* whether [stranger, friend, self] sees it all, per privacy */
	const bool	 full[3][3] = {
		{ true, true, true }, { false, true, true }, { false, false, true },
	};
	int64_t		 viewers[3];
	size_t		 i, v;

	alice = storefix_user(st, "alice", "Alice Liddell");
	friend = storefix_user(st, "bob", "Bob");
	stranger = storefix_user(st, "carol", "Carol");
	storefix_befriend(st, alice, friend);
	set(st, alice, "bio", "Down the *rabbit* hole.\nAnd back.");
	set(st, alice, "location", "Oxford");
	set(st, alice, "job", "explorer");
	set(st, alice, "tags", "tea, Croquet");
	viewers[0] = stranger;
	viewers[1] = friend;
	viewers[2] = alice;

	for (i = 0; i < 3; i++) {
		set(st, alice, "privacy", privs[i]);
		for (v = 0; v < 3; v++) {
			assert_int_equal(store_profile_get(st, viewers[v], "alice", &p), 0);
			assert_int_equal(p.id, alice);
			assert_string_equal(p.username, "alice");
			assert_string_equal(p.display_name, "Alice Liddell");
			assert_true(p.avatar_seed[0] != '\0');
			assert_true(p.created_at > 0);
			assert_int_equal(p.full, full[i][v]);
			if (full[i][v]) {
				assert_string_equal(p.bio, "Down the *rabbit* hole.\nAnd back.");
				assert_string_equal(p.location, "Oxford");
				assert_string_equal(p.job, "explorer");
				assert_int_equal(p.ntags, 2);
				assert_string_equal(p.tags[0], "croquet");
				assert_string_equal(p.tags[1], "tea");
				assert_int_equal(p.privacy, (enum privacy)i);
				assert_int_equal(p.friend_count, 1);
			} else {
				assert_string_equal(p.bio, "");
				assert_string_equal(p.location, "");
				assert_string_equal(p.job, "");
				assert_int_equal(p.ntags, 0);
				assert_null(p.tags);
				assert_int_equal(p.privacy, PRIVACY_PUBLIC);
				assert_int_equal(p.friend_count, 0);
				assert_int_equal(p.mutual_count, 0);
			}
			assert_int_equal(p.relation, v == 2 ? REL_SELF : v == 1 ? REL_FRIEND :
			    REL_NONE);
			profile_free(&p);
			assert_null(p.bio);
		}
	}
	/* Names match without regard to case; junk is simply not found. */
	assert_int_equal(store_profile_get(st, stranger, "ALICE", &p), 0);
	assert_int_equal(p.id, alice);
	profile_free(&p);
	assert_int_equal(store_profile_get(st, stranger, "nobody", &p), ERR_NOTFOUND);
	assert_int_equal(store_profile_get(st, stranger, "al;ce", &p), ERR_NOTFOUND);
	assert_int_equal(store_profile_get(st, stranger, NULL, &p), ERR_NOTFOUND);
}

static void
test_avatar_seed(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .username = "nokey", .display_name = "No Key",
	    .password_hash = SOME_HASH };
	struct key_list	 kl;
	struct profile	 p;
	char		 why[256];
	int64_t		 alice, nokey;

	alice = storefix_user(st, "alice", "Alice");
	assert_int_equal(store_user_create(st, &su, &nokey, why, sizeof why), 0);
	assert_int_equal(store_key_list(st, alice, &kl), 0);
	assert_int_equal(store_key_add(st, alice, "ssh-ed25519 "
	    "AAAAC3NzaC1lZDI1NTE5AAAAIBkUODaxExFU+jKENLD8Jrk3RXnNUlDzS91yZoHzRwm9 x",
	    NULL, why, sizeof why), 0);
	assert_int_equal(store_profile_get(st, nokey, "alice", &p), 0);
	/* The oldest key, not the one added since. */
	assert_string_equal(p.avatar_seed, kl.v[0].fingerprint);
	profile_free(&p);
	key_list_free(&kl);
	assert_int_equal(store_profile_get(st, alice, "nokey", &p), 0);
	assert_string_equal(p.avatar_seed, "nokey");
	profile_free(&p);
}

static void
test_lookup(void **state)
{
	struct store	*st = *state;
	int64_t		 alice, id = -1;

	alice = storefix_user(st, "alice", "Alice");
	assert_int_equal(store_user_lookup(st, alice, "alice", &id), 0);
	assert_int_equal(id, alice);
	assert_int_equal(store_user_lookup(st, alice, "Alice", &id), 0);
	assert_int_equal(id, alice);
	assert_int_equal(store_user_lookup(st, alice, "bob", &id), ERR_NOTFOUND);
	assert_int_equal(id, 0);
	assert_int_equal(store_user_lookup(st, alice, "a", &id), ERR_INVALID);
	assert_int_equal(store_user_lookup(st, alice, "bob'; DROP TABLE users; --", &id),
	    ERR_INVALID);
	assert_int_equal(store_user_lookup(st, alice, "", &id), ERR_INVALID);
	assert_int_equal(store_user_lookup(st, alice, NULL, &id), ERR_INVALID);
	assert_int_equal(store_user_lookup(st, alice, "1abc", &id), ERR_INVALID);
}

static void
test_profile_set(void **state)
{
	struct store	*st = *state;
	struct profile	 p;
	char		 why[256], *big;
	int64_t		 alice;

	alice = storefix_user(st, "alice", "Alice");
	set(st, alice, "bio", "old bio");
	set(st, alice, "location", "Oxford");

	/* A bio of 500 characters (multi-byte ones count once) is fine, 501 is not. */
	big = repeat("\xc3\xa9", 500);
	set(st, alice, "bio", big);
	free(big);
	big = repeat("x", 501);
	assert_int_equal(store_profile_set(st, alice, "bio", big, why, sizeof why),
	    ERR_INVALID);
	assert_non_null(strstr(why, "bio"));
	assert_non_null(strstr(why, "500"));
	free(big);
	assert_int_equal(storefix_sql_int(st, "SELECT length(bio) FROM users WHERE id = 1"), 500);
	set(st, alice, "bio", "old bio");

	/* Nothing changes on a refusal, in the table or in the search index. */
	assert_int_equal(store_profile_set(st, alice, "bio", "bad \x1b[31m escape", why,
	    sizeof why), ERR_INVALID);
	assert_int_equal(store_profile_set(st, alice, "bio", "bad \xff utf-8", why,
	    sizeof why), ERR_INVALID);
	assert_int_equal(store_profile_set(st, alice, "location", "two\nlines", why,
	    sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "location"));
	big = repeat("j", JOB_MAX + 1);
	assert_int_equal(store_profile_set(st, alice, "job", big, why, sizeof why),
	    ERR_INVALID);
	free(big);
	assert_int_equal(store_profile_set(st, alice, "name", "   ", why, sizeof why),
	    ERR_INVALID);
	assert_non_null(strstr(why, "display name"));
	assert_int_equal(store_profile_set(st, alice, "name", "", why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_profile_set(st, alice, "privacy", "secret", why, sizeof why),
	    ERR_INVALID);
	assert_string_equal(why, "privacy is public, friends or private");
	assert_int_equal(store_profile_set(st, alice, "email", "a@b", why, sizeof why),
	    ERR_INVALID);
	assert_non_null(strstr(why, "unknown profile field"));
	assert_int_equal(store_profile_set(st, alice, NULL, "x", why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_profile_set(st, alice, "bio", NULL, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_profile_set(st, 9999, "bio", "x", why, sizeof why),
	    ERR_NOTFOUND);
	assert_int_equal(store_profile_set(st, 9999, "tags", "x", why, sizeof why),
	    ERR_NOTFOUND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_tags"), 0);

	assert_int_equal(store_profile_get(st, alice, "alice", &p), 0);
	assert_string_equal(p.display_name, "Alice");
	assert_string_equal(p.bio, "old bio");
	assert_string_equal(p.location, "Oxford");
	assert_string_equal(p.job, "");
	assert_int_equal(p.privacy, PRIVACY_PUBLIC);
	profile_free(&p);
	assert_true(search_finds(st, alice, "old", alice, NULL));

	/* Each field lands, and the search index follows in the same step. */
	set(st, alice, "name", "Alice Kingsleigh");
	set(st, alice, "bio", "tabs\tand\nnewlines are fine");
	set(st, alice, "location", "");
	set(st, alice, "job", "captain");
	set(st, alice, "privacy", "private");
	assert_int_equal(store_profile_get(st, alice, "alice", &p), 0);
	assert_string_equal(p.display_name, "Alice Kingsleigh");
	assert_string_equal(p.bio, "tabs\tand\nnewlines are fine");
	assert_string_equal(p.location, "");
	assert_string_equal(p.job, "captain");
	assert_int_equal(p.privacy, PRIVACY_PRIVATE);
	profile_free(&p);
	assert_true(search_finds(st, alice, "kingsl", alice, NULL));
	assert_true(search_finds(st, alice, "capt", alice, NULL));
	assert_false(search_finds(st, alice, "old", alice, NULL));
	assert_false(search_finds(st, alice, "oxford", alice, NULL));
}

static void
test_tags(void **state)
{
	struct store	*st = *state;
	struct profile	 p;
	char		 why[256], *big;
	int64_t		 alice;
	size_t		 i;

	alice = storefix_user(st, "alice", "Alice");
	/* Commas or blanks between, '#' allowed, folded to lower case, sorted. */
	set(st, alice, "tags", "Linux, vim  #Rust\tC");
	assert_int_equal(store_profile_get(st, alice, "alice", &p), 0);
	assert_int_equal(p.ntags, 4);
	assert_string_equal(p.tags[0], "c");
	assert_string_equal(p.tags[1], "linux");
	assert_string_equal(p.tags[2], "rust");
	assert_string_equal(p.tags[3], "vim");
	profile_free(&p);

	/* Refusals change nothing. */
	assert_int_equal(store_profile_set(st, alice, "tags", "ok bad\x01tag", why, sizeof why),
	    ERR_INVALID);
	assert_non_null(strstr(why, "tags are"));
	assert_int_equal(store_profile_set(st, alice, "tags", "caf\xc3\xa9", why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_profile_set(st, alice, "tags", "a.b", why, sizeof why),
	    ERR_INVALID);
	big = repeat("t", TAG_MAX + 1);
	assert_int_equal(store_profile_set(st, alice, "tags", big, why, sizeof why),
	    ERR_INVALID);
	free(big);
	assert_int_equal(store_profile_set(st, alice, "tags", "#", why, sizeof why),
	    ERR_INVALID);
	{
		char many[TAGS_MAX * 8 + 16] = "";

		for (i = 0; i <= TAGS_MAX; i++)
			snprintf(many + strlen(many), sizeof many - strlen(many), "t%zu ", i);
		assert_int_equal(store_profile_set(st, alice, "tags", many, why, sizeof why),
		    ERR_INVALID);
		assert_string_equal(why, "at most 20 tags");
		/* Exactly 20, with duplicates that fold into them, is fine. */
		many[0] = '\0';
		for (i = 0; i < TAGS_MAX; i++)
			snprintf(many + strlen(many), sizeof many - strlen(many), "t%zu T%zu ",
			    i, i);
		set(st, alice, "tags", many);
	}
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_tags"), TAGS_MAX);
	/* The 21st cannot be added one at a time either. */
	assert_int_equal(store_tag_add(st, alice, "extra", why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "at most 20"));
	assert_int_equal(store_tag_add(st, alice, "T3", why, sizeof why), ERR_EXISTS);
	assert_string_equal(why, "you already have the tag 't3'");

	/* Duplicates collapse. */
	set(st, alice, "tags", "vim Vim VIM,vim");
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_tags"), 1);
	assert_int_equal(store_tag_add(st, alice, "#Emacs", why, sizeof why), 0);
	assert_int_equal(store_tag_add(st, alice, "emacs", why, sizeof why), ERR_EXISTS);
	assert_int_equal(store_tag_add(st, alice, "bad tag", why, sizeof why), ERR_INVALID);
	assert_int_equal(store_tag_add(st, alice, "", why, sizeof why), ERR_INVALID);
	assert_int_equal(store_tag_add(st, alice, NULL, why, sizeof why), ERR_INVALID);
	assert_int_equal(store_tag_add(st, 9999, "x", why, sizeof why), ERR_NOTFOUND);
	assert_true(search_finds(st, alice, "emac", alice, NULL));
	assert_int_equal(store_tag_remove(st, alice, "EMACS"), 0);
	assert_int_equal(store_tag_remove(st, alice, "emacs"), ERR_NOTFOUND);
	assert_int_equal(store_tag_remove(st, alice, "not a tag"), ERR_NOTFOUND);
	assert_false(search_finds(st, alice, "emac", alice, NULL));
	assert_true(search_finds(st, alice, "vim", alice, NULL));
	/* An empty list clears them. */
	set(st, alice, "tags", "");
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_tags"), 0);
	assert_false(search_finds(st, alice, "vim", alice, NULL));
}

/* ---- lists ---------------------------------------------------------------------- */

static void
test_friends_list(void **state)
{
	struct store		*st = *state;
	struct user_list	 l;
	char			 name[32], disp[32], *after = NULL;
	int64_t			 alice, stranger, ids[7];
	size_t			 i, seen = 0, pages = 0;

	alice = storefix_user(st, "alice", "Alice");
	stranger = storefix_user(st, "zed", "Zed");
	/* Made in an order unlike the names, to see the sort. */
	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof name, "f%zu", (i * 3) % 7);
		snprintf(disp, sizeof disp, (i * 3) % 7 == 4 ? "Marble HAT" : "Friend %zu", i);
		ids[i] = storefix_user(st, name, disp);
		storefix_befriend(st, ids[i], alice);
	}

	/* Pages of 3: f0 f1 f2 | f3 f4 f5 | f6, each once, in order. */
	do {
		assert_int_equal(store_friends_list(st, stranger, alice, NULL, after, 3, &l), 0);
		free(after);
		after = NULL;
		for (i = 0; i < l.n; i++) {
			snprintf(name, sizeof name, "f%zu", seen++);
			assert_string_equal(l.v[i].username, name);
			assert_int_equal(l.v[i].relation, REL_NONE);
			assert_true(l.v[i].since > 0);
		}
		if (l.next_after != NULL)
			after = strdup(l.next_after);
		assert_true(++pages <= 3);
		user_list_free(&l);
	} while (after != NULL);
	assert_int_equal(seen, 7);
	assert_int_equal(pages, 3);	/* f0-f2, f3-f5, f6 */

	/* Exactly one full page: no cursor for an empty next page. */
	assert_int_equal(store_friends_list(st, stranger, alice, NULL, NULL, 7, &l), 0);
	assert_int_equal(l.n, 7);
	assert_null(l.next_after);
	user_list_free(&l);

	/* The filter: part of a username or a display name, case-insensitive. */
	assert_int_equal(store_friends_list(st, stranger, alice, "hat", NULL, 50, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].username, "f4");
	user_list_free(&l);
	assert_int_equal(store_friends_list(st, stranger, alice, "F6", NULL, 50, &l), 0);
	assert_int_equal(l.n, 1);
	user_list_free(&l);
	assert_int_equal(store_friends_list(st, stranger, alice, "%", NULL, 50, &l), 0);
	assert_int_equal(l.n, 0);
	user_list_free(&l);
	assert_int_equal(store_friends_list(st, stranger, alice, "", NULL, 50, &l), 0);
	assert_int_equal(l.n, 7);
	user_list_free(&l);

	/* Privacy: the list goes with the full profile. */
	set(st, alice, "privacy", "friends");
	assert_int_equal(store_friends_list(st, stranger, alice, NULL, NULL, 50, &l),
	    ERR_DENIED);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_friends_list(st, ids[0], alice, NULL, NULL, 50, &l), 0);
	assert_int_equal(l.n, 7);
	user_list_free(&l);
	set(st, alice, "privacy", "private");
	assert_int_equal(store_friends_list(st, ids[0], alice, NULL, NULL, 50, &l),
	    ERR_DENIED);
	assert_int_equal(store_friends_list(st, alice, alice, NULL, NULL, 50, &l), 0);
	assert_int_equal(l.n, 7);
	user_list_free(&l);
	assert_int_equal(store_friends_list(st, alice, 9999, NULL, NULL, 50, &l),
	    ERR_NOTFOUND);
	assert_int_equal(store_friends_list(st, alice, alice, NULL, NULL, 0, &l),
	    ERR_INVALID);
}

static void
test_mutual_counts(void **state)
{
	struct store		*st = *state;
	struct profile		 p;
	struct user_list	 l;
	struct user_hits	 h;
	int64_t			 alice, bob, x, y, z, w;

	alice = storefix_user(st, "alice", "Alice");
	bob = storefix_user(st, "bob", "Bob");
	x = storefix_user(st, "xavier", "X");
	y = storefix_user(st, "yolanda", "Y");
	z = storefix_user(st, "zoe", "Z");
	w = storefix_user(st, "walter", "W");
	storefix_befriend(st, alice, x);
	storefix_befriend(st, alice, y);
	storefix_befriend(st, alice, z);
	storefix_befriend(st, bob, x);
	storefix_befriend(st, y, bob);
	storefix_befriend(st, bob, w);

	assert_int_equal(store_profile_get(st, alice, "bob", &p), 0);
	assert_int_equal(p.friend_count, 3);
	assert_int_equal(p.mutual_count, 2);
	profile_free(&p);
	assert_int_equal(store_profile_get(st, bob, "alice", &p), 0);
	assert_int_equal(p.mutual_count, 2);
	profile_free(&p);
	assert_int_equal(store_profile_get(st, alice, "alice", &p), 0);
	assert_int_equal(p.friend_count, 3);
	assert_int_equal(p.mutual_count, 0);
	profile_free(&p);
	assert_int_equal(store_profile_get(st, alice, "walter", &p), 0);
	assert_int_equal(p.mutual_count, 0);
	profile_free(&p);

	/* In lists: bob's friends as alice sees them. */
	assert_int_equal(store_friends_list(st, alice, bob, NULL, NULL, 50, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].username, "walter");
	assert_int_equal(l.v[0].mutual_count, 0);
	assert_string_equal(l.v[1].username, "xavier");
	assert_int_equal(l.v[1].relation, REL_FRIEND);
	assert_int_equal(l.v[1].mutual_count, 0);	/* alice and x share no friend */
	user_list_free(&l);
	assert_int_equal(store_search_users(st, alice, "bob", NULL, 10, &h), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.v[0].mutual_count, 2);
	user_hits_free(&h);

	/* A hidden friends list hides the count too. */
	set(st, bob, "privacy", "private");
	assert_int_equal(store_profile_get(st, alice, "bob", &p), 0);
	assert_false(p.full);
	assert_int_equal(p.mutual_count, 0);
	assert_int_equal(p.friend_count, 0);
	profile_free(&p);
	assert_int_equal(store_search_users(st, alice, "bob", NULL, 10, &h), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.v[0].mutual_count, 0);
	user_hits_free(&h);
}

/* ---- notifications ----------------------------------------------------------------- */

static void
test_notifications(void **state)
{
	struct store		*st = *state;
	struct notif_page	 p;
	char			 name[32], why[256];
	bool			 notified, seen[26] = { false };
	int64_t			 bob, carol, before = 0, last = INT64_MAX, id, first_id;
	size_t			 i, total = 0, pages = 0;

	bob = storefix_user(st, "bob", "Bob");
	carol = storefix_user(st, "carol", "Carol");
	for (i = 0; i < 25; i++) {
		snprintf(name, sizeof name, "u%02zu", i);
		id = storefix_user(st, name, "Someone");
		assert_int_equal(store_friend_request(st, id, bob, &notified, why,
		    sizeof why), 0);
	}
	assert_int_equal(unread(st, bob), 25);

	/* Newest first, pages of 10, every one exactly once. */
	do {
		assert_int_equal(store_notifications(st, bob, false, before, 10, &p), 0);
		for (i = 0; i < p.n; i++) {
			assert_true(p.v[i].id < last);
			last = p.v[i].id;
			assert_int_equal(p.v[i].type, NOTIF_FRIEND_REQUEST);
			assert_true(p.v[i].actor_id >= 3 && p.v[i].actor_id < 28);
			assert_false(seen[p.v[i].actor_id - 3]);
			seen[p.v[i].actor_id - 3] = true;
			total++;
		}
		before = p.next_before;
		assert_true(++pages <= 3);
		notif_page_free(&p);
	} while (before != 0);
	assert_int_equal(total, 25);
	assert_int_equal(pages, 3);
	assert_int_equal(store_notifications(st, bob, false, 0, 0, &p), ERR_INVALID);

	/* Read one, read it again, read all. */
	assert_int_equal(store_notifications(st, bob, false, 0, 1, &p), 0);
	first_id = p.v[0].id;
	notif_page_free(&p);
	assert_int_equal(store_notification_read(st, bob, first_id), 0);
	assert_int_equal(unread(st, bob), 24);
	assert_int_equal(store_notification_read(st, bob, first_id), 0);
	assert_int_equal(unread(st, bob), 24);
	assert_int_equal(store_notifications(st, bob, true, 0, 100, &p), 0);
	assert_int_equal(p.n, 24);
	for (i = 0; i < p.n; i++)
		assert_int_not_equal(p.v[i].id, first_id);
	notif_page_free(&p);
	assert_int_equal(store_notifications(st, bob, false, 0, 1, &p), 0);
	assert_true(p.v[0].read);
	notif_page_free(&p);

	/* Someone else's notification: not found, and untouched. */
	assert_int_equal(store_notification_read(st, carol, first_id - 1), ERR_NOTFOUND);
	assert_int_equal(store_notification_delete(st, carol, first_id - 1), ERR_NOTFOUND);
	assert_int_equal(store_notification_read(st, bob, 999999), ERR_NOTFOUND);
	assert_int_equal(store_notification_delete(st, bob, 999999), ERR_NOTFOUND);
	assert_int_equal(store_notification_read_all(st, carol), 0);
	assert_int_equal(store_notification_delete_all(st, carol), 0);
	assert_int_equal(unread(st, bob), 24);
	assert_int_equal(notif_count(st, bob), 25);

	assert_int_equal(store_notification_read_all(st, bob), 0);
	assert_int_equal(unread(st, bob), 0);
	assert_int_equal(store_notifications(st, bob, true, 0, 100, &p), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.next_before, 0);
	notif_page_free(&p);

	assert_int_equal(store_notification_delete(st, bob, first_id), 0);
	assert_int_equal(store_notification_delete(st, bob, first_id), ERR_NOTFOUND);
	assert_int_equal(notif_count(st, bob), 24);
	assert_int_equal(store_notification_delete_all(st, bob), 0);
	assert_int_equal(notif_count(st, bob), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM notifications"), 0);
	assert_string_equal(notif_type_name(NOTIF_FRIEND_REQUEST), "friend_request");
	assert_string_equal(notif_type_name(NOTIF_FRIEND_ACCEPT), "friend_accept");
	assert_string_equal(notif_type_name(NOTIF_FRIEND_DECLINE), "friend_decline");
	assert_string_equal(notif_type_name((enum notif_type)99), "unknown");
}

/* ---- search ------------------------------------------------------------------------ */

/* A small town to search in: enough people that common words rank sensibly. */
static void
town(struct store *st)
{
	static const char *const people[][3] = {
		{ "alice", "Alice Liddell", "Curious about rabbits." },
		{ "alina", "Alina Petrova", "Painter." },
		{ "alfred", "Alfred Pennyworth", "Butler. Likes tea." },
		{ "bob", "Bob Builder", "Can we fix it?" },
		{ "jose", "José García", "Música y código." },
		{ "vimfan", "Vera Vim", "Editor wars veteran." },
		{ "dora", "Dora", "I use vim, btw." },
		{ "eric", "Eric", "Emacs user. Sometimes vim." },
		{ "frank", "Frank", "Gardening." },
		{ "gina", "Gina", "Cycling and coffee." },
		{ "hank", "Hank", "Fishing." },
		{ "iris", "Iris", "Astronomy at night." },
		{ "jack", "Jack", "Carpentry." },
		{ "kate", "Kate", "Chess." },
	};
	size_t i;

	for (i = 0; i < sizeof people / sizeof people[0]; i++) {
		int64_t id = storefix_user(st, people[i][0], people[i][1]);

		set(st, id, "bio", people[i][2]);
	}
}

static void
test_search_prefix(void **state)
{
	struct store		*st = *state;
	struct user_hits	 h;
	int64_t			 kate = 14;

	town(st);
	assert_true(search_finds(st, kate, "al", 1, NULL));
	assert_true(search_finds(st, kate, "al", 2, NULL));
	assert_true(search_finds(st, kate, "al", 3, NULL));
	assert_int_equal(search_count(st, kate, "al"), 3);
	assert_int_equal(search_count(st, kate, "ALI"), 2);
	assert_int_equal(search_count(st, kate, "lidd"), 1);
	/* Two words: both must match (AND), in any field. */
	assert_int_equal(search_count(st, kate, "ali lid"), 1);
	assert_int_equal(search_count(st, kate, "alice rabbit"), 1);
	assert_int_equal(search_count(st, kate, "alice painter"), 0);
	/* Diacritics fold both ways. */
	assert_true(search_finds(st, kate, "garcia", 5, NULL));
	assert_true(search_finds(st, kate, "GARCÍA", 5, NULL));
	assert_true(search_finds(st, kate, "musica", 5, NULL));
	/* No match, and a prefix only matches at the start of a word. */
	assert_int_equal(search_count(st, kate, "zzz"), 0);
	assert_int_equal(search_count(st, kate, "iddell"), 0);
	/* The viewer finds themself, as REL_SELF. */
	assert_int_equal(store_search_users(st, kate, "kate", NULL, 10, &h), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.v[0].relation, REL_SELF);
	assert_string_equal(h.v[0].username, "kate");
	assert_string_equal(h.v[0].display_name, "Kate");
	assert_true(h.v[0].avatar_seed[0] != '\0');
	assert_false(h.next.set);
	user_hits_free(&h);
	assert_int_equal(store_search_users(st, kate, "kate", NULL, 0, &h), ERR_INVALID);
}

static void
test_search_ranking(void **state)
{
	struct store		*st = *state;
	struct user_hits	 h;
	size_t			 i;

	town(st);
	/* Three users say "vim": the one named so comes first. */
	assert_int_equal(store_search_users(st, 14, "vim", NULL, 10, &h), 0);
	assert_int_equal(h.n, 3);
	assert_string_equal(h.v[0].username, "vimfan");
	for (i = 1; i < h.n; i++)
		assert_true(strcmp(h.v[i].username, "dora") == 0 ||
		    strcmp(h.v[i].username, "eric") == 0);
	user_hits_free(&h);
	/* A name beats a bio: "alice" is a name once and nowhere else. */
	set(st, 13, "bio", "Friends with alice and alina.");
	assert_int_equal(store_search_users(st, 14, "alice", NULL, 10, &h), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].username, "alice");
	assert_string_equal(h.v[1].username, "jack");
	user_hits_free(&h);
}

static void
test_search_pagination(void **state)
{
	struct store		*st = *state;
	struct user_hits	 h, all;
	struct search_cursor	 cur = { 0 };
	char			 name[32], bio[128];
	bool			 seen[60] = { false };
	int64_t			 viewer, id;
	size_t			 i, total = 0, pages = 0, k;

	viewer = storefix_user(st, "viewer", "Viewer");
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "pad%zu", i);
		storefix_user(st, name, "Filler");
	}
	/*
	 * 45 matches with ranks that tie in groups (same bio length and shape)
	 * and differ between groups, so the cursor's tie-break on id matters.
	 */
	for (i = 0; i < 45; i++) {
		snprintf(name, sizeof name, "dev%02zu", i);
		id = storefix_user(st, name, "Developer");
		snprintf(bio, sizeof bio, "%.*s", (int)(i % 5) * 10,
		    "words words words words words words words words words words");
		set(st, id, "bio", bio);
	}
	assert_int_equal(store_search_users(st, viewer, "dev", NULL, 100, &all), 0);
	assert_int_equal(all.n, 45);
	assert_false(all.next.set);

	k = 0;
	do {
		assert_int_equal(store_search_users(st, viewer, "dev", pages ? &cur : NULL, 7,
		    &h), 0);
		for (i = 0; i < h.n; i++, k++) {
			/* The same order as one big page: nothing skipped, nothing twice. */
			assert_true(k < all.n);
			assert_int_equal(h.v[i].id, all.v[k].id);
			assert_false(seen[h.v[i].id - 22]);
			seen[h.v[i].id - 22] = true;
			total++;
		}
		cur = h.next;
		assert_true(++pages <= 7);
		if (cur.set)
			assert_int_equal(h.n, 7);
		user_hits_free(&h);
	} while (cur.set);
	assert_int_equal(total, 45);
	assert_int_equal(pages, 7);
	user_hits_free(&all);

	/* Exactly one full page: no cursor for an empty next page. */
	assert_int_equal(store_search_users(st, viewer, "dev", NULL, 45, &h), 0);
	assert_int_equal(h.n, 45);
	assert_false(h.next.set);
	user_hits_free(&h);
}

/*
 * Big result sets are ranked in blocks of matches in id order (search.c):
 * with blocks of 7, every page still comes in order, each block is its
 * matches in the same relative order as the one-block ranking, and paging
 * reaches every match exactly once, pages spanning blocks included.
 */
static void
test_search_blocks(void **state)
{
	struct store		*st = *state;
	struct user_hits	 h, all;
	struct search_cursor	 cur = { 0 };
	char			 name[32], bio[128];
	int64_t			 viewer, got[64], ids[64];
	size_t			 i, j, n = 0, k, pages = 0, nids = 0;

	viewer = storefix_user(st, "viewer", "Viewer");
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "dev%02zu", i);
		ids[nids++] = storefix_user(st, name, "Developer");
		snprintf(bio, sizeof bio, "%.*s", (int)((i * 7) % 5) * 12,
		    "words words words words words words words words words words");
		set(st, ids[nids - 1], "bio", bio);
		snprintf(name, sizeof name, "pad%zu", i);
		storefix_user(st, name, "Filler");
	}
	assert_int_equal(store_search_users(st, viewer, "dev", NULL, 100, &all), 0);
	assert_int_equal(all.n, 40);

	st->search_block = 7;
	do {
		assert_int_equal(store_search_users(st, viewer, "dev", pages ? &cur : NULL, 5,
		    &h), 0);
		for (i = 0; i < h.n; i++) {
			assert_true(n < 40);	/* nothing twice */
			got[n++] = h.v[i].id;
		}
		cur = h.next;
		assert_true(++pages <= 8);
		user_hits_free(&h);
	} while (cur.set);
	assert_int_equal(n, 40);
	/* Block b holds the matches 7b..7b+6 in id order, ranked like the one-block order. */
	for (k = 0; k < n; k += 7) {
		size_t end = k + 7 < n ? k + 7 : n, pos = k;

		for (j = 0; j < all.n; j++) {
			for (i = k; i < end && ids[i] != all.v[j].id; i++)
				;
			if (i < end)
				assert_int_equal(got[pos++], all.v[j].id);
		}
		assert_int_equal(pos, end);
	}
	user_hits_free(&all);
}

/* Whoever's username is the query comes first, wherever their block is, and only once. */
static void
test_search_exact_username(void **state)
{
	struct store		*st = *state;
	struct user_hits	 h;
	struct search_cursor	 cur = { 0 };
	char			 name[32], why[256];
	int64_t			 viewer, ma, seen = 0;
	size_t			 i, pages = 0, total = 0;

	viewer = storefix_user(st, "viewer", "Viewer");
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof name, "mark%02zu", i);
		storefix_user(st, name, "Mark Markson");
	}
	ma = storefix_user(st, "ma", "Wei Ma");
	st->search_block = 4;
	assert_int_equal(store_search_users(st, viewer, "  MA ", NULL, 5, &h), 0);
	assert_int_equal(h.n, 5);
	assert_int_equal(h.v[0].id, ma);
	assert_true(h.next.set);
	user_hits_free(&h);
	do {
		assert_int_equal(store_search_users(st, viewer, "ma", pages ? &cur : NULL, 5, &h),
		    0);
		for (i = 0; i < h.n; i++)
			seen += h.v[i].id == ma;
		total += h.n;
		cur = h.next;
		assert_true(++pages <= 7);	/* 31 in pages of 5 */
		user_hits_free(&h);
	} while (cur.set);
	assert_int_equal(seen, 1);
	assert_int_equal(total, 31);
	/* Not for someone "ma" blocked. */
	assert_int_equal(store_block(st, ma, viewer, why, sizeof why), 0);
	assert_false(search_finds(st, viewer, "ma", ma, NULL));
	assert_int_equal(search_count(st, viewer, "ma"), 30);
}

static void
test_search_privacy(void **state)
{
	struct store	*st = *state;
	int64_t		 carol, friend, stranger;

	carol = storefix_user(st, "carol", "Carol Danvers");
	friend = storefix_user(st, "bob", "Bob");
	stranger = storefix_user(st, "eve", "Eve");
	/* Enough others that the words are rare. */
	storefix_user(st, "frank", "Frank");
	storefix_user(st, "grace", "Grace");
	storefix_user(st, "heidi", "Heidi");
	storefix_befriend(st, carol, friend);
	set(st, carol, "bio", "kubernetes wrangler");
	set(st, carol, "location", "Reykjavik");
	set(st, carol, "job", "pilot");
	set(st, carol, "tags", "hiking");

	assert_true(search_finds(st, stranger, "kube", carol, NULL));
	set(st, carol, "privacy", "friends");
	/* Hidden fields do not match for a stranger; the name still does. */
	assert_false(search_finds(st, stranger, "kube", carol, NULL));
	assert_false(search_finds(st, stranger, "reykj", carol, NULL));
	assert_false(search_finds(st, stranger, "pilot", carol, NULL));
	assert_false(search_finds(st, stranger, "hiking", carol, NULL));
	assert_false(search_finds(st, stranger, "carol kube", carol, NULL));
	assert_true(search_finds(st, stranger, "carol", carol, NULL));
	assert_true(search_finds(st, stranger, "danv", carol, NULL));
	assert_true(search_finds(st, stranger, "carol danv", carol, NULL));
	assert_true(search_finds(st, friend, "kube", carol, NULL));
	assert_true(search_finds(st, friend, "hik", carol, NULL));
	assert_true(search_finds(st, carol, "kube", carol, NULL));
	set(st, carol, "privacy", "private");
	assert_false(search_finds(st, friend, "kube", carol, NULL));
	assert_true(search_finds(st, friend, "carol", carol, NULL));
	assert_true(search_finds(st, carol, "pilot", carol, NULL));
}

static void
test_search_query_build(void **state)
{
	char q[SEARCH_QUERY_MAX], *big;

	(void)state;
	assert_int_equal(search_query_build("al", q), 1);
	assert_string_equal(q, "\"al\"*");
	assert_int_equal(search_query_build("  Alice  o'Hara ", q), 3);
	assert_string_equal(q, "\"Alice\"* \"o\"* \"Hara\"*");
	assert_int_equal(search_query_build("a\"b*c NEAR(d) {e}:f ^g -h", q), 8);
	assert_string_equal(q, "\"a\"* \"b\"* \"c\"* \"NEAR\"* \"d\"* \"e\"* \"f\"* \"g\"*");
	assert_int_equal(search_query_build("José 東京", q), 2);
	assert_string_equal(q, "\"José\"* \"東京\"*");
	assert_int_equal(search_query_build("\xff\xfe" "ab\xc3", q), 1);
	assert_string_equal(q, "\"ab\"*");
	assert_int_equal(search_query_build("", q), 0);
	assert_string_equal(q, "");
	assert_int_equal(search_query_build("\"*()-:^{}", q), 0);
	assert_int_equal(search_query_build(NULL, q), 0);
	assert_int_equal(search_query_build("\xf0\x9f\x90\xa7 \xe2\x80\x94", q), 0);
	/* Bounded: at most 8 words of at most 64 bytes. */
	big = repeat("x", 10000);
	assert_int_equal(search_query_build(big, q), 1);
	assert_int_equal(strlen(q), 64 + 3);
	free(big);
	big = repeat("ab ", 3000);
	assert_int_equal(search_query_build(big, q), SEARCH_WORDS_MAX);
	free(big);
}

static void
test_search_hostile_queries(void **state)
{
	struct store		*st = *state;
	struct user_hits	 h;
	static const char *const queries[] = {
		"\"", "\"\"", "*", "**", "al*", "\"al", "al\"", "NEAR(", "NEAR(alice bob",
		"NEAR(alice bob, 2)", "alice OR bob", "alice AND", "NOT alice", "AND", "OR",
		"-", "-alice", ":", "username:alice", "{username}: alice", "^alice", "^", "(",
		")", "(alice", "alice)", "((()))", "'", "';--", "\\", "\\\"", "+", "a+b", "%",
		"_", "rank", "users_fts", "{", "}", "[", "]", "alice\"*\"", "\t\n", " ",
		"\xf0\x9f\x90\xa7", "\xff", "\xc3", "al\x01" "ce", "NEAR", "*alice",
	};
	char	*big, rnd[512];
	size_t	 i, j;

	town(st);
	for (i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		assert_int_equal(store_search_users(st, 1, queries[i], NULL, 20, &h), 0);
		user_hits_free(&h);
	}
	/* Syntax characters are separators: these still find alice. */
	assert_true(search_finds(st, 14, "al*", 1, NULL));
	assert_true(search_finds(st, 14, "\"alice", 1, NULL));
	assert_true(search_finds(st, 14, "(alice)", 1, NULL));
	assert_true(search_finds(st, 14, "^alice", 1, NULL));
	assert_true(search_finds(st, 14, "-alice", 1, NULL));
	assert_true(search_finds(st, 14, "{alice}:", 1, NULL));
	/* A column filter is two words, and no column is called "username" in a bio. */
	assert_false(search_finds(st, 14, "username:alice", 1, NULL));
	/* Nothing to search for finds nothing. */
	assert_int_equal(search_count(st, 14, ""), 0);
	assert_int_equal(search_count(st, 14, "   "), 0);
	assert_int_equal(search_count(st, 14, "\"*()"), 0);
	assert_int_equal(store_search_users(st, 14, NULL, NULL, 20, &h), 0);
	assert_int_equal(h.n, 0);
	assert_false(h.next.set);
	/* Long queries. */
	big = repeat("NEAR(\"x* ", 1200);
	assert_int_equal(store_search_users(st, 14, big, NULL, 20, &h), 0);
	user_hits_free(&h);
	free(big);
	big = repeat("alice ", 2000);
	assert_true(search_finds(st, 14, big, 1, NULL));
	free(big);
	/* Random bytes, invalid UTF-8 and all: never an error. */
	for (i = 0; i < 300; i++) {
		randombytes_buf(rnd, sizeof rnd - 1);
		for (j = 0; j < sizeof rnd - 1; j++)
			if (rnd[j] == '\0')
				rnd[j] = '"';
		rnd[(i * 7) % (sizeof rnd - 1) + 1] = '\0';
		assert_int_equal(store_search_users(st, 14, rnd, NULL, 20, &h), 0);
		user_hits_free(&h);
	}
}

/* ---- accounts and the index ---------------------------------------------------------- */

static void
test_index_follows_accounts(void **state)
{
	struct store	*st = *state;
	char		 why[256];
	bool		 notified;
	int64_t		 alice, bob;

	alice = storefix_user(st, "alice", "Alice Liddell");
	bob = storefix_user(st, "bob", "Bob");
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users_fts"), 2);
	assert_int_equal(store_user_set_display_name(st, alice, "Alice Kingsleigh", why,
	    sizeof why), 0);
	assert_true(search_finds(st, bob, "kings", alice, NULL));
	assert_false(search_finds(st, bob, "liddell", alice, NULL));
	assert_int_equal(store_user_set_display_name(st, 9999, "X", why, sizeof why),
	    ERR_NOTFOUND);

	storefix_befriend(st, alice, bob);
	assert_int_equal(store_friend_remove(st, alice, bob, &notified, why, sizeof why), 0);
	storefix_befriend(st, alice, bob);
	assert_int_equal(store_block(st, bob, alice, why, sizeof why), 0);
	assert_int_equal(store_user_delete(st, alice), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users_fts"), 1);
	assert_false(search_finds(st, bob, "alice", alice, NULL));
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friendships"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM notifications"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM blocks"), 0);
	assert_int_equal(store_user_delete(st, alice), ERR_NOTFOUND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users_fts"), 1);
}

static void
test_names(void **state)
{
	enum privacy p = PRIVACY_PRIVATE;

	(void)state;
	assert_string_equal(privacy_name(PRIVACY_PUBLIC), "public");
	assert_string_equal(privacy_name(PRIVACY_FRIENDS), "friends");
	assert_string_equal(privacy_name(PRIVACY_PRIVATE), "private");
	assert_int_equal(privacy_parse("friends", &p), 0);
	assert_int_equal(p, PRIVACY_FRIENDS);
	assert_int_equal(privacy_parse("Friends", &p), ERR_INVALID);
	assert_int_equal(privacy_parse("", &p), ERR_INVALID);
	assert_int_equal(privacy_parse(NULL, &p), ERR_INVALID);
}

/* ---- the generator ---------------------------------------------------------------- */

static void
test_gen(void **state)
{
	struct store	*st = *state, *st2 = NULL;
	struct user	 u, u2;
	struct profile	 p;
	char		 why[256];
	int64_t		 i, nonascii = 0;

	assert_int_equal(store_gen_users(st, 1500, 7), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users"), 1500);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users_fts"), 1500);
	assert_int_equal(storefix_sql_int(st, "SELECT count(DISTINCT username) FROM users"), 1500);
	assert_true(storefix_sql_int(st, "SELECT max(n) FROM (SELECT count(*) AS n FROM user_tags "
	    "GROUP BY user_id)") <= 5);
	assert_true(storefix_sql_int(st, "SELECT count(*) FROM users WHERE privacy = 0") > 1100);
	assert_true(storefix_sql_int(st, "SELECT count(*) FROM users WHERE privacy != 0") > 0);
	/* Deterministic: the same seed, the same people. */
	assert_int_equal(store_open(":memory:", &st2), 0);
	assert_int_equal(store_gen_users(st2, 1500, 7), 0);
	for (i = 1; i <= 1500; i++) {
		assert_int_equal(store_user_by_id(st, i, &u), 0);
		assert_int_equal(store_user_by_id(st2, i, &u2), 0);
		assert_string_equal(u.username, u2.username);
		assert_string_equal(u.display_name, u2.display_name);
		assert_int_equal(username_check(u.username, why, sizeof why), 0);
		assert_int_equal(display_name_check(u.display_name, why, sizeof why), 0);
		nonascii += strspn(u.display_name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz ") != strlen(u.display_name);
		assert_int_equal(store_profile_get(st, i, u.username, &p), 0);
		assert_int_equal(text_check(p.bio, 0, BIO_MAX, TEXT_MULTILINE, NULL, 0), 0);
		profile_free(&p);
		user_free(&u);
		user_free(&u2);
	}
	assert_true(nonascii > 100);
	store_close(st2);

	assert_int_equal(store_gen_friendships(st, 4000, 9), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friendships"), 8000);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM friendships a WHERE NOT EXISTS "
	    "(SELECT 1 FROM friendships b WHERE b.user_id = a.friend_id AND "
	    "b.friend_id = a.user_id)"), 0);
	/* Skewed: the busiest user has many times the average of about 5. */
	assert_true(storefix_sql_int(st, "SELECT max(n) FROM (SELECT count(*) AS n FROM friendships "
	    "GROUP BY user_id)") > 40);
	/* Adding more users later keeps names unique. */
	assert_int_equal(store_gen_users(st, 500, 7), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(DISTINCT username) FROM users"), 2000);
	assert_true(search_count(st, 1, "linu") > 0);
}

static void
test_free_tolerates_empty(void **state)
{
	struct profile		p = { 0 };
	struct user_list	l = { 0 };
	struct user_hits	h = { 0 };
	struct notif_page	n = { 0 };

	(void)state;
	profile_free(&p);
	profile_free(NULL);
	user_list_free(&l);
	user_list_free(NULL);
	user_hits_free(&h);
	user_hits_free(NULL);
	notif_page_free(&n);
	notif_page_free(NULL);
	assert_null(p.tags);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_migration_backfills_search),
		cmocka_unit_test_setup_teardown(test_request_accept_remove, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_crossing_requests_accept, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_decline, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_cancel, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_block_cuts_everything, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_block_removes_requests, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_profile_privacy, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_avatar_seed, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_lookup, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_profile_set, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_tags, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_friends_list, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_mutual_counts, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_notifications, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_search_prefix, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_search_ranking, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_search_pagination, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_search_blocks, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_search_exact_username, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_search_privacy, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_search_query_build),
		cmocka_unit_test_setup_teardown(test_search_hostile_queries, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_index_follows_accounts, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_gen, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_free_tolerates_empty),
	};

	log_open("test_social", LOG_TO_STDERR, NULL, LOG_LVL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
