/*
 * storage: posts, feeds, reactions, comments, shares, post search and the
 * notifications about posts, on a fresh ":memory:" database per test. The
 * heart of it is the privacy matrix: every read path, for every visibility,
 * as the author, a friend, a stranger and users a block separates from the
 * author either way.
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
#include "storage/gen.h"
#include "storage/posts-int.h"
#include "storage/posts.h"
#include "storage/social.h"
#include "storage/store-int.h"
#include "storage/store.h"
#include "tests/unit/storefix.h"

/* ---- helpers ------------------------------------------------------------ */

static int64_t
post(struct store *st, int64_t author, const char *text, enum visibility vis)
{
	char	why[256];
	int64_t	id = 0;

	assert_int_equal(store_post_create(st, author, text, vis, &id, NULL, NULL, why,
	    sizeof why), 0);
	assert_true(id > 0);
	return id;
}

static int64_t
share(struct store *st, int64_t me, int64_t original, const char *note, enum visibility vis)
{
	char	why[256];
	int64_t	id = 0, author = 0;

	assert_int_equal(store_share(st, me, original, note, vis, &id, &author, why,
	    sizeof why), 0);
	assert_true(id > 0);
	return id;
}

static bool
sees(struct store *st, int64_t viewer, int64_t id)
{
	struct post	p;
	int		r = store_post_get(st, viewer, id, &p);

	assert_true(r == 0 || r == ERR_NOTFOUND);
	if (r == 0) {
		assert_int_equal(p.id, id);
		post_free(&p);
	}
	return r == 0;
}

enum feed {
	FEED_HOME,
	FEED_FORYOU,
	FEED_TIMELINE,
	FEED_SEARCH,
};

static int
feed_page(struct store *st, enum feed f, int64_t viewer, int64_t user, const char *q,
    const struct post_cursor *cur, size_t limit, struct post_page *pg)
{
	switch (f) {
	case FEED_HOME:
		return store_feed_home(st, viewer, cur, limit, pg);
	case FEED_FORYOU:
		return store_feed_foryou(st, viewer, cur, limit, pg);
	case FEED_TIMELINE:
		return store_timeline(st, viewer, user, cur, limit, pg);
	case FEED_SEARCH:
		return store_search_posts(st, viewer, q, cur, limit, pg);
	}
	return ERR_INTERNAL;
}

#define COLLECT_MAX	2000

/*
 * Every id of a feed, page by page, in order, asserting that no id comes
 * twice; returns how many (or -1 when the first page is ERR_NOTFOUND).
 */
static long
collect(struct store *st, enum feed f, int64_t viewer, int64_t user, const char *q,
    size_t limit, int64_t *ids)
{
	struct post_page	pg;
	struct post_cursor	cur = { 0 };
	size_t			n = 0, i, j;
	int			r, pages = 0;

	for (;;) {
		r = feed_page(st, f, viewer, user, q, pages ? &cur : NULL, limit, &pg);
		if (r == ERR_NOTFOUND && pages == 0)
			return -1;
		assert_int_equal(r, 0);
		assert_true(pg.n <= limit);
		for (i = 0; i < pg.n; i++) {
			for (j = 0; j < n; j++)
				assert_true(ids[j] != pg.v[i].id);	/* never twice */
			assert_true(n < COLLECT_MAX);
			ids[n++] = pg.v[i].id;
			if (f == FEED_FORYOU) {
				assert_non_null(pg.v[i].reason);
				assert_true(strlen(pg.v[i].reason) > 0);
				assert_true(pg.v[i].author_id != viewer);
			} else
				assert_null(pg.v[i].reason);
		}
		cur = pg.next;
		post_page_free(&pg);
		pages++;
		assert_true(pages < 500);
		if (!cur.set)
			break;
	}
	return (long)n;
}

static bool
in_feed(struct store *st, enum feed f, int64_t viewer, int64_t user, const char *q,
    int64_t id)
{
	int64_t	ids[COLLECT_MAX];
	long	n = collect(st, f, viewer, user, q, 7, ids), i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Whether user has a notification of type about object (as store_notifications lists them). */
static bool
notified(struct store *st, int64_t user, enum notif_type type, int64_t object)
{
	struct notif_page	p;
	size_t			i;
	bool			found = false;

	assert_int_equal(store_notifications(st, user, false, 0, 500, &p), 0);
	for (i = 0; i < p.n; i++)
		if (p.v[i].type == type && p.v[i].object_id == object)
			found = true;
	notif_page_free(&p);
	return found;
}

static int64_t
count_notified(struct store *st, int64_t user, enum notif_type type, int64_t object)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM notifications WHERE user_id = %lld "
	    "AND type = %d AND object_id = %lld", (long long)user, (int)type, (long long)object);
	return storefix_sql_int(st, sql);
}

static int64_t
unread(struct store *st, int64_t user)
{
	int64_t n = -1;

	assert_int_equal(store_notification_unread_count(st, user, &n), 0);
	return n;
}

/* ---- the cast of the privacy matrix -------------------------------------- */

enum who {
	AUTHOR,
	FRIEND,
	STRANGER,
	BLOCKED,	/* the author blocked them */
	BLOCKER,	/* they blocked the author */
	NWHO
};
static const char *const who_names[NWHO] = {
	"author", "friend", "stranger", "blocked", "blocker"
};

struct cast {
	int64_t	id[NWHO];
	int64_t	fof;	/* a friend of the friend, not of the author */
};

static void
cast_make(struct store *st, struct cast *c)
{
	c->id[AUTHOR] = storefix_user(st, "alice", NULL);
	c->id[FRIEND] = storefix_user(st, "bob", NULL);
	c->id[STRANGER] = storefix_user(st, "carol", NULL);
	c->id[BLOCKED] = storefix_user(st, "dave", NULL);
	c->id[BLOCKER] = storefix_user(st, "erin", NULL);
	c->fof = storefix_user(st, "frank", NULL);
	storefix_befriend(st, c->id[AUTHOR], c->id[FRIEND]);
	storefix_befriend(st, c->id[FRIEND], c->fof);
	/* Friends first, so the block also has a friendship to end. */
	storefix_befriend(st, c->id[AUTHOR], c->id[BLOCKED]);
	storefix_befriend(st, c->id[BLOCKER], c->id[AUTHOR]);
	storefix_block(st, c->id[AUTHOR], c->id[BLOCKED]);
	storefix_block(st, c->id[BLOCKER], c->id[AUTHOR]);
}

/* Who may see a post of this visibility (posts.h). */
static bool
may_see(enum visibility vis, enum who w)
{
	switch (w) {
	case AUTHOR:
		return true;
	case FRIEND:
		return vis != VIS_PRIVATE;
	case STRANGER:
		return vis == VIS_PUBLIC;
	default:
		return false;
	}
}

/* ---- the privacy matrix --------------------------------------------------- */

static void
test_privacy_matrix(void **state)
{
	static const char *const words[] = { "zanzibar", "quokka", "xylophone" };
	static const char *const tags[] = { "#pubtag", "#friendtag", "#privtag" };
	struct store		*st = *state;
	struct cast		 c;
	struct comment_page	 cp;
	struct reactor_list	 rl;
	char			 text[256], why[256];
	int64_t			 ids[3], cid;
	enum visibility		 vis;
	enum who		 w;
	bool			 exp;
	int			 r;

	cast_make(st, &c);
	for (vis = VIS_PUBLIC; vis <= VIS_PRIVATE; vis++) {
		snprintf(text, sizeof text, "%s post about %s %s, hello @bob @carol @dave @erin",
		    visibility_name(vis), words[vis], tags[vis]);
		ids[vis] = post(st, c.id[AUTHOR], text, vis);
		/* Something to list under it. */
		assert_int_equal(store_comment_add(st, c.id[AUTHOR], ids[vis], "first", &cid,
		    &(int64_t){ 0 }, why, sizeof why), 0);
		assert_int_equal(store_react(st, c.id[AUTHOR], ids[vis], REACT_LOVE,
		    &(int64_t){ 0 }), 0);
	}
	for (vis = VIS_PUBLIC; vis <= VIS_PRIVATE; vis++) {
		for (w = AUTHOR; w < NWHO; w++) {
			int64_t v = c.id[w];

			exp = may_see(vis, w);
			print_message("%s post, %s: %s\n", visibility_name(vis), who_names[w],
			    exp ? "sees" : "does not see");
			assert_int_equal(sees(st, v, ids[vis]), exp);
			/* Home: own and friends' posts only. */
			assert_int_equal(in_feed(st, FEED_HOME, v, 0, NULL, ids[vis]),
			    exp && (w == AUTHOR || w == FRIEND));
			/* For You: never one's own. */
			assert_int_equal(in_feed(st, FEED_FORYOU, v, 0, NULL, ids[vis]),
			    exp && w != AUTHOR);
			assert_int_equal(in_feed(st, FEED_TIMELINE, v, c.id[AUTHOR], NULL,
			    ids[vis]), exp);
			assert_int_equal(in_feed(st, FEED_SEARCH, v, 0, words[vis], ids[vis]), exp);
			assert_int_equal(in_feed(st, FEED_SEARCH, v, 0, tags[vis], ids[vis]), exp);
			r = store_comments(st, v, ids[vis], 0, 10, &cp);
			assert_int_equal(r, exp ? 0 : ERR_NOTFOUND);
			if (exp) {
				assert_int_equal(cp.n, 1);
				assert_string_equal(cp.v[0].text, "first");
			}
			comment_page_free(&cp);
			r = store_reactors(st, v, ids[vis], 10, &rl);
			assert_int_equal(r, exp ? 0 : ERR_NOTFOUND);
			if (exp)
				assert_int_equal(rl.n, 1);
			reactor_list_free(&rl);
			/* Mentions told exactly those who may see the post. */
			if (w != AUTHOR)
				assert_int_equal(notified(st, v, NOTIF_MENTION, ids[vis]), exp);
		}
	}
	/* Writes that read: only on what one may see, and nothing stored otherwise. */
	for (vis = VIS_PUBLIC; vis <= VIS_PRIVATE; vis++) {
		for (w = FRIEND; w < NWHO; w++) {
			int64_t v = c.id[w];

			exp = may_see(vis, w);
			assert_int_equal(store_react(st, v, ids[vis], REACT_LIKE,
			    &(int64_t){ 0 }), exp ? 0 : ERR_NOTFOUND);
			assert_int_equal(store_comment_add(st, v, ids[vis], "hi", &cid,
			    &(int64_t){ 0 }, why, sizeof why), exp ? 0 : ERR_NOTFOUND);
			assert_int_equal(notified(st, c.id[AUTHOR], NOTIF_COMMENT, ids[vis]),
			    vis != VIS_PRIVATE);
		}
	}
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM reactions"), 3 + 2 + 1);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM comments"), 3 + 2 + 1);
	/* The timeline of a user who blocked the viewer does not exist for them. */
	assert_int_equal(collect(st, FEED_TIMELINE, c.id[BLOCKED], c.id[AUTHOR], NULL, 5,
	    (int64_t[COLLECT_MAX]){ 0 }), -1);
	/* The one who blocked sees an empty timeline of the one they blocked. */
	assert_int_equal(collect(st, FEED_TIMELINE, c.id[BLOCKER], c.id[AUTHOR], NULL, 5,
	    (int64_t[COLLECT_MAX]){ 0 }), 0);
}

/* Notifications about a post follow what the recipient may see now. */
static void
test_notifications_follow_privacy(void **state)
{
	struct store	*st = *state;
	struct cast	 c;
	int64_t		 p, q, before;

	cast_make(st, &c);
	p = post(st, c.id[AUTHOR], "hey @carol and @bob", VIS_PUBLIC);
	assert_true(notified(st, c.id[STRANGER], NOTIF_MENTION, p));
	before = unread(st, c.id[STRANGER]);
	/* Narrowed: carol may no longer see it, so the notification is not listed or counted. */
	assert_int_equal(store_post_set_visibility(st, c.id[AUTHOR], p, VIS_FRIENDS), 0);
	assert_false(notified(st, c.id[STRANGER], NOTIF_MENTION, p));
	assert_int_equal(unread(st, c.id[STRANGER]), before - 1);
	assert_true(notified(st, c.id[FRIEND], NOTIF_MENTION, p));
	/* Widened again: back. */
	assert_int_equal(store_post_set_visibility(st, c.id[AUTHOR], p, VIS_PUBLIC), 0);
	assert_true(notified(st, c.id[STRANGER], NOTIF_MENTION, p));
	/* A block now between them hides it too. */
	storefix_block(st, c.id[STRANGER], c.id[AUTHOR]);
	assert_false(notified(st, c.id[STRANGER], NOTIF_MENTION, p));
	/* Deleted: the rows go. */
	q = post(st, c.id[AUTHOR], "again @bob", VIS_PUBLIC);
	assert_int_equal(store_react(st, c.id[FRIEND], q, REACT_LIKE, &(int64_t){ 0 }), 0);
	assert_true(notified(st, c.id[AUTHOR], NOTIF_REACTION, q));
	assert_int_equal(store_post_delete(st, c.id[AUTHOR], q), 0);
	assert_false(notified(st, c.id[FRIEND], NOTIF_MENTION, q));
	assert_int_equal(count_notified(st, c.id[FRIEND], NOTIF_MENTION, q), 0);
	assert_int_equal(count_notified(st, c.id[AUTHOR], NOTIF_REACTION, q), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM notifications WHERE type BETWEEN 4 AND 7 "
	    "AND object_id NOT IN (SELECT id FROM posts)"), 0);
}

/* ---- shares ---------------------------------------------------------------- */

static void
test_shares(void **state)
{
	struct store		*st = *state;
	struct cast		 c;
	struct post		 p;
	char			 why[256];
	int64_t			 orig, s1, s2, s3, id, author, pub;
	int64_t			 alice, bob, carol, frank;

	cast_make(st, &c);
	alice = c.id[AUTHOR];
	bob = c.id[FRIEND];
	carol = c.id[STRANGER];
	frank = c.fof;
	orig = post(st, alice, "friends only original", VIS_FRIENDS);
	/* bob may see it and shares it publicly; alice hears of it. */
	assert_int_equal(store_share(st, bob, orig, "look", VIS_PUBLIC, &s1, &author, why,
	    sizeof why), 0);
	assert_int_equal(author, alice);
	assert_true(notified(st, alice, NOTIF_SHARE, s1));
	assert_int_equal(store_post_get(st, bob, s1, &p), 0);
	assert_int_equal(p.shared_from, orig);
	assert_int_equal(p.original_state, ORIGINAL_SHOWN);
	assert_non_null(p.original);
	assert_string_equal(p.original->text, "friends only original");
	assert_string_equal(p.text, "look");
	post_free(&p);
	/* A stranger sees the share, never the friends-only original inside it. */
	assert_int_equal(store_post_get(st, carol, s1, &p), 0);
	assert_null(p.original);
	assert_int_equal(p.original_state, ORIGINAL_HIDDEN);
	assert_int_equal(p.shared_from, orig);
	post_free(&p);
	assert_false(sees(st, carol, orig));
	/* Nor can they share what they cannot see. */
	assert_int_equal(store_share(st, carol, orig, NULL, VIS_PUBLIC, &id, &author, why,
	    sizeof why), ERR_NOTFOUND);
	/* A share of a share: frank shares bob's share; for alice both levels show. */
	s2 = share(st, frank, s1, "", VIS_PUBLIC);
	assert_int_equal(store_post_get(st, alice, s2, &p), 0);
	assert_non_null(p.original);
	assert_int_equal(p.original->id, s1);
	assert_non_null(p.original->original);
	assert_int_equal(p.original->original->id, orig);
	assert_string_equal(p.text, "");
	post_free(&p);
	/* ... and for carol the middle shows, the original inside it does not. */
	assert_int_equal(store_post_get(st, carol, s2, &p), 0);
	assert_non_null(p.original);
	assert_int_equal(p.original->id, s1);
	assert_null(p.original->original);
	assert_int_equal(p.original->original_state, ORIGINAL_HIDDEN);
	post_free(&p);
	/* The same through the feeds: carol's For You and frank's timeline. */
	assert_true(in_feed(st, FEED_TIMELINE, carol, frank, NULL, s2));
	/* Narrowing after the share: a public original shared, then made friends-only. */
	pub = post(st, alice, "public at first", VIS_PUBLIC);
	s3 = share(st, carol, pub, "nice", VIS_PUBLIC);
	assert_int_equal(store_post_get(st, frank, s3, &p), 0);
	assert_int_equal(p.original_state, ORIGINAL_SHOWN);
	post_free(&p);
	assert_int_equal(store_post_set_visibility(st, alice, pub, VIS_FRIENDS), 0);
	assert_int_equal(store_post_get(st, frank, s3, &p), 0);
	assert_int_equal(p.original_state, ORIGINAL_HIDDEN);
	assert_null(p.original);
	post_free(&p);
	assert_int_equal(store_post_get(st, carol, s3, &p), 0);	/* carol too, now */
	assert_int_equal(p.original_state, ORIGINAL_HIDDEN);
	post_free(&p);
	assert_int_equal(store_post_get(st, bob, s3, &p), 0);	/* a friend still sees it */
	assert_int_equal(p.original_state, ORIGINAL_SHOWN);
	post_free(&p);
	/* Deleting the original: every share says so, for every viewer. */
	assert_int_equal(store_post_delete(st, alice, orig), 0);
	assert_int_equal(store_post_get(st, carol, s1, &p), 0);
	assert_int_equal(p.original_state, ORIGINAL_DELETED);
	assert_null(p.original);
	post_free(&p);
	assert_int_equal(store_post_get(st, bob, s1, &p), 0);
	assert_int_equal(p.original_state, ORIGINAL_DELETED);
	post_free(&p);
	/* A later post never takes the deleted one's id (a share would point at it). */
	id = post(st, alice, "new post", VIS_PUBLIC);
	assert_true(id > orig);
	assert_int_equal(store_post_get(st, bob, s1, &p), 0);
	assert_int_equal(p.original_state, ORIGINAL_DELETED);
	post_free(&p);
	/* Private posts cannot be shared, not even by their author. */
	id = post(st, alice, "just me", VIS_PRIVATE);
	assert_int_equal(store_share(st, alice, id, NULL, VIS_PUBLIC, &s1, &author, why,
	    sizeof why), ERR_DENIED);
	assert_string_equal(why, "private posts cannot be shared");
	/* Sharing one's own post notifies nobody; the share count follows. */
	s1 = share(st, alice, pub, "me again", VIS_FRIENDS);
	assert_false(notified(st, alice, NOTIF_SHARE, s1));
	assert_int_equal(store_post_get(st, alice, pub, &p), 0);
	assert_int_equal(p.shares, 2);
	post_free(&p);
	assert_int_equal(store_post_delete(st, alice, s1), 0);
	assert_int_equal(store_post_get(st, alice, pub, &p), 0);
	assert_int_equal(p.shares, 1);
	post_free(&p);
	/* A share the original's author may not see is not announced to them. */
	id = post(st, bob, "bob's public", VIS_PUBLIC);
	s1 = share(st, frank, id, "friends of frank only", VIS_FRIENDS);
	assert_true(notified(st, bob, NOTIF_SHARE, s1));	/* bob is frank's friend */
	id = post(st, carol, "carol's public", VIS_PUBLIC);
	s1 = share(st, frank, id, "friends of frank only", VIS_FRIENDS);
	assert_false(notified(st, carol, NOTIF_SHARE, s1));
	assert_int_equal(count_notified(st, carol, NOTIF_SHARE, s1), 0);
	/* Bad notes. */
	assert_int_equal(store_share(st, frank, id, "\x1b[31m", VIS_PUBLIC, &s1, &author,
	    why, sizeof why), ERR_INVALID);
	assert_int_equal(store_share(st, frank, id, "ok", (enum visibility)7, &s1, &author,
	    why, sizeof why), ERR_INVALID);
}

static void
test_share_chain_depth(void **state)
{
	struct store	*st = *state;
	struct post	 p, *o;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), id, s[5];
	int		 i, depth;

	id = post(st, a, "root", VIS_PUBLIC);
	s[0] = share(st, b, id, "1", VIS_PUBLIC);
	for (i = 1; i < 5; i++)
		s[i] = share(st, i % 2 ? a : b, s[i - 1], "n", VIS_PUBLIC);
	assert_int_equal(store_post_get(st, a, s[4], &p), 0);
	for (depth = 0, o = &p; o->original != NULL; o = o->original)
		depth++;
	assert_int_equal(depth, SHARE_DEPTH_MAX);
	assert_int_equal(o->original_state, ORIGINAL_HIDDEN);
	post_free(&p);
}

/* ---- writing --------------------------------------------------------------------- */

static void
test_create_limits(void **state)
{
	struct store	*st = *state;
	char		*big, why[256];
	int64_t		 a = storefix_user(st, "alice", NULL), id = 0, *m = NULL;
	size_t		 nm = 9;
	size_t		 i;

	big = malloc(POST_MAX * 2 + 8);
	assert_non_null(big);
	assert_int_equal(store_post_create(st, a, "", VIS_PUBLIC, &id, &m, &nm, why,
	    sizeof why), ERR_INVALID);
	assert_string_equal(why, "a post must not be empty");
	assert_int_equal(id, 0);
	assert_null(m);
	assert_int_equal(nm, 0);
	assert_int_equal(store_post_create(st, a, " \n\t ", VIS_PUBLIC, &id, NULL, NULL, why,
	    sizeof why), ERR_INVALID);
	assert_int_equal(store_post_create(st, a, NULL, VIS_PUBLIC, &id, NULL, NULL, why,
	    sizeof why), ERR_INVALID);
	/* 5,000 characters, counted as characters: two bytes each here. */
	for (i = 0; i < POST_MAX; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2);
	big[2 * POST_MAX] = '\0';
	assert_int_equal(store_post_create(st, a, big, VIS_PUBLIC, &id, NULL, NULL, why,
	    sizeof why), 0);
	assert_true(id > 0);
	memcpy(big + 2 * POST_MAX, "x", 2);
	assert_int_equal(store_post_create(st, a, big, VIS_PUBLIC, &id, NULL, NULL, why,
	    sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "too long"));
	assert_int_equal(store_post_create(st, a, "bad \xff byte", VIS_PUBLIC, &id, NULL, NULL,
	    why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "UTF-8"));
	assert_int_equal(store_post_create(st, a, "\x1b]0;pwned\x07", VIS_PUBLIC, &id, NULL,
	    NULL, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "control"));
	assert_int_equal(store_post_create(st, a, "c1 \xc2\x9b" "31m", VIS_PUBLIC, &id, NULL,
	    NULL, why, sizeof why), ERR_INVALID);
	assert_int_equal(store_post_create(st, a, "ok", (enum visibility)3, &id, NULL, NULL,
	    why, sizeof why), ERR_INVALID);
	/* Nothing of those was stored: one post, one index row. */
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts"), 1);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts_fts"), 1);
	/* Newlines and tabs are text. */
	id = post(st, a, "line one\n\tline two", VIS_FRIENDS);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts"), 2);
	/* An unknown author. */
	assert_int_equal(store_post_create(st, 999, "ghost", VIS_PUBLIC, &id, NULL, NULL, why,
	    sizeof why), ERR_NOTFOUND);
	free(big);
}

static void
test_edit_delete(void **state)
{
	struct store		*st = *state;
	struct post		 p;
	struct post_page	 pg;
	char			 why[256];
	int64_t			 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), id, cid;

	storefix_befriend(st, a, b);
	id = post(st, a, "original words about walrus #oldtag", VIS_PUBLIC);
	assert_int_equal(store_comment_add(st, b, id, "nice", &cid, &(int64_t){ 0 }, why,
	    sizeof why), 0);
	assert_int_equal(store_react(st, b, id, REACT_HAHA, &(int64_t){ 0 }), 0);
	/* Someone else's: refused, nothing changed. */
	assert_int_equal(store_post_edit(st, b, id, "hacked", NULL, NULL, why, sizeof why),
	    ERR_DENIED);
	assert_int_equal(store_post_set_visibility(st, b, id, VIS_PRIVATE), ERR_DENIED);
	assert_int_equal(store_post_delete(st, b, id), ERR_DENIED);
	assert_int_equal(store_post_get(st, b, id, &p), 0);
	assert_string_equal(p.text, "original words about walrus #oldtag");
	assert_int_equal(p.edited_at, 0);
	assert_int_equal(p.visibility, VIS_PUBLIC);
	post_free(&p);
	/* Bad text: refused, nothing changed. */
	assert_int_equal(store_post_edit(st, a, id, "", NULL, NULL, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_post_edit(st, a, id, "esc \x1b", NULL, NULL, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_post_edit(st, a, 12345, "x", NULL, NULL, why, sizeof why),
	    ERR_NOTFOUND);
	/* Own: edited, marked, re-indexed. */
	assert_int_equal(store_post_edit(st, a, id, "new words about narwhal #newtag", NULL,
	    NULL, why, sizeof why), 0);
	assert_int_equal(store_post_get(st, b, id, &p), 0);
	assert_string_equal(p.text, "new words about narwhal #newtag");
	assert_true(p.edited_at > 0);
	assert_int_equal(p.comments, 1);
	assert_int_equal(p.reactions[REACT_HAHA], 1);
	post_free(&p);
	assert_false(in_feed(st, FEED_SEARCH, b, 0, "walrus", id));
	assert_false(in_feed(st, FEED_SEARCH, b, 0, "#oldtag", id));
	assert_true(in_feed(st, FEED_SEARCH, b, 0, "narwhal", id));
	assert_true(in_feed(st, FEED_SEARCH, b, 0, "#newtag", id));
	/* Delete: the post, its comments, reactions, hashtags and index row go. */
	assert_int_equal(store_post_delete(st, a, id), 0);
	assert_int_equal(store_post_get(st, a, id, &p), ERR_NOTFOUND);
	assert_int_equal(store_post_delete(st, a, id), ERR_NOTFOUND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM comments"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM reactions"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM post_tags"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH "
	    "'narwhal'"), 0);
	assert_int_equal(store_search_posts(st, a, "narwhal", NULL, 10, &pg), 0);
	assert_int_equal(pg.n, 0);
	post_page_free(&pg);
	/* The index stays consistent with its content table. */
	assert_int_equal(sqlite3_exec(st->db, "INSERT INTO posts_fts(posts_fts, rank) "
	    "VALUES ('integrity-check', 1)", NULL, NULL, NULL), SQLITE_OK);
}

static void
test_default_visibility_and_names(void **state)
{
	struct store	*st = *state;
	enum visibility	 v;
	enum reaction	 k;
	int64_t		 a = storefix_user(st, "alice", NULL);

	assert_int_equal(store_default_visibility(st, a, &v), 0);
	assert_int_equal(v, VIS_PUBLIC);
	assert_int_equal(store_set_default_visibility(st, a, VIS_FRIENDS), 0);
	assert_int_equal(store_default_visibility(st, a, &v), 0);
	assert_int_equal(v, VIS_FRIENDS);
	assert_int_equal(store_set_default_visibility(st, a, (enum visibility)9), ERR_INVALID);
	assert_int_equal(store_set_default_visibility(st, 999, VIS_PUBLIC), ERR_NOTFOUND);
	assert_int_equal(store_default_visibility(st, 999, &v), ERR_NOTFOUND);
	assert_int_equal(visibility_parse("friends", &v), 0);
	assert_int_equal(v, VIS_FRIENDS);
	assert_int_equal(visibility_parse("everyone", &v), ERR_INVALID);
	assert_string_equal(visibility_name(VIS_PRIVATE), "private");
	assert_string_equal(visibility_name((enum visibility)42), "private");
	for (k = REACT_LIKE; k < REACT_COUNT; k++) {
		enum reaction back;

		assert_int_equal(reaction_parse(reaction_name(k), &back), 0);
		assert_int_equal(back, k);
		assert_int_equal(reaction_parse(reaction_emoji(k), &back), 0);
		assert_int_equal(back, k);
		assert_int_equal(reaction_parse(reaction_ascii(k), &back), 0);
		assert_int_equal(back, k);
	}
	assert_int_equal(reaction_parse("\xe2\x9d\xa4\xef\xb8\x8f", &k), 0);	/* ❤️ */
	assert_int_equal(k, REACT_LOVE);
	assert_int_equal(reaction_parse("none", &k), ERR_INVALID);
	assert_int_equal(reaction_parse("", &k), ERR_INVALID);
	assert_string_equal(notif_type_name(NOTIF_SHARE), "share");
	assert_string_equal(notif_type_text(NOTIF_FRIEND_REQUEST), "sent you a friend request");
	assert_string_equal(notif_type_text(NOTIF_REACTION), "reacted to your post");
	assert_string_equal(notif_type_text(NOTIF_COMMENT), "commented on your post");
	assert_string_equal(notif_type_text(NOTIF_SHARE), "shared your post");
	assert_string_equal(notif_type_text(NOTIF_MENTION), "mentioned you");
	assert_string_equal(notif_type_text((enum notif_type)99), "did something");
}

/* ---- reactions ------------------------------------------------------------------- */

static void
test_reactions(void **state)
{
	struct store		*st = *state;
	struct post		 p;
	struct reactor_list	 rl;
	int64_t			 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL),
				 c = storefix_user(st, "carol", NULL), id, author;

	id = post(st, a, "react to me", VIS_PUBLIC);
	assert_int_equal(store_react(st, b, id, REACT_LIKE, &author), 0);
	assert_int_equal(author, a);
	assert_int_equal(count_notified(st, a, NOTIF_REACTION, id), 1);
	/* A change replaces, and says nothing new. */
	assert_int_equal(store_react(st, b, id, REACT_WOW, &author), 0);
	assert_int_equal(author, 0);
	assert_int_equal(count_notified(st, a, NOTIF_REACTION, id), 1);
	assert_int_equal(store_react(st, c, id, REACT_WOW, &author), 0);
	assert_int_equal(store_post_get(st, b, id, &p), 0);
	assert_int_equal(p.reactions[REACT_LIKE], 0);
	assert_int_equal(p.reactions[REACT_WOW], 2);
	assert_int_equal(p.reaction_total, 2);
	assert_int_equal(p.my_reaction, REACT_WOW);
	post_free(&p);
	/* Who reacted, newest first. */
	assert_int_equal(store_reactors(st, a, id, 10, &rl), 0);
	assert_int_equal(rl.n, 2);
	assert_int_equal(rl.v[0].reaction, REACT_WOW);
	reactor_list_free(&rl);
	/* Own reactions do not notify. */
	assert_int_equal(store_react(st, a, id, REACT_LOVE, &author), 0);
	assert_int_equal(author, 0);
	/* Unreact: counts down, the unread notification is withdrawn. */
	assert_int_equal(store_unreact(st, b, id), 0);
	assert_int_equal(store_unreact(st, b, id), ERR_NOTFOUND);
	assert_int_equal(count_notified(st, a, NOTIF_REACTION, id) , 1);	/* carol's */
	assert_int_equal(store_post_get(st, b, id, &p), 0);
	assert_int_equal(p.reaction_total, 2);
	assert_int_equal(p.my_reaction, REACT_NONE);
	post_free(&p);
	/* Reacting again after the author read it: no second notification. */
	assert_int_equal(store_notification_read_all(st, a), 0);
	assert_int_equal(store_unreact(st, c, id), 0);
	assert_int_equal(store_react(st, c, id, REACT_SAD, &author), 0);
	assert_int_equal(author, 0);
	assert_int_equal(count_notified(st, a, NOTIF_REACTION, id), 1);
	/* Bad input, unknown or hidden posts. */
	assert_int_equal(store_react(st, b, id, REACT_NONE, &author), ERR_INVALID);
	assert_int_equal(store_react(st, b, id, REACT_COUNT, &author), ERR_INVALID);
	assert_int_equal(store_react(st, b, 999, REACT_LIKE, &author), ERR_NOTFOUND);
	id = post(st, a, "mine only", VIS_PRIVATE);
	assert_int_equal(store_react(st, b, id, REACT_LIKE, &author), ERR_NOTFOUND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM reactions WHERE post_id = (SELECT "
	    "max(id) FROM posts)"), 0);
	/* A deleted reactor leaves the counts. */
	id = post(st, a, "count me", VIS_PUBLIC);
	assert_int_equal(store_react(st, c, id, REACT_LIKE, &author), 0);
	assert_int_equal(store_react(st, b, id, REACT_LIKE, &author), 0);
	assert_int_equal(store_user_delete(st, c), 0);
	assert_int_equal(store_post_get(st, a, id, &p), 0);
	assert_int_equal(p.reactions[REACT_LIKE], 1);
	post_free(&p);
}

/*
 * The Notifications tab's list (store_notification_groups): reactions to one
 * post and comments on one post are one entry each (the newest stands for
 * it, `others` counts the rest, unread while any is), each says what it is
 * about (the comment's or the post's first words, cut after a word), a
 * deleted comment says so, a blocked actor is neither shown nor counted,
 * and reading or deleting the entry does it to the whole group.
 */
static void
test_notification_groups(void **state)
{
	struct store		*st = *state;
	struct notif_page	 p;
	int64_t			 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL),
				 c = storefix_user(st, "carol", NULL), d = storefix_user(st, "dave", NULL),
				 id, other, cid, author;
	char			 why[200];

	id = post(st, a, "Hello world\n\nthis is   a post with a body long enough to be cut "
	    "somewhere in the middle of its words", VIS_PUBLIC);
	other = post(st, a, "another one", VIS_PUBLIC);
	assert_int_equal(store_react(st, b, id, REACT_LIKE, &author), 0);
	assert_int_equal(store_react(st, c, id, REACT_LOVE, &author), 0);
	assert_int_equal(store_react(st, d, id, REACT_LIKE, &author), 0);
	assert_int_equal(store_react(st, b, other, REACT_LIKE, &author), 0);
	assert_int_equal(store_comment_add(st, c, id, "first comment", &cid, &author, why,
	    sizeof why), 0);
	assert_int_equal(store_comment_add(st, b, id, "nice post", &cid, &author, why,
	    sizeof why), 0);

	assert_int_equal(store_notification_groups(st, a, 0, 50, &p), 0);
	assert_int_equal(p.n, 3);
	/* newest first: the comments (bob's stands for them), the other post, the reactions */
	assert_int_equal(p.v[0].type, NOTIF_COMMENT);
	assert_string_equal(p.v[0].actor_username, "bob");
	assert_int_equal(p.v[0].others, 1);
	assert_int_equal(p.v[0].detail_id, cid);
	assert_string_equal(p.v[0].about, "nice post");
	assert_false(p.v[0].read);
	assert_int_equal(p.v[1].type, NOTIF_REACTION);
	assert_int_equal(p.v[1].object_id, other);
	assert_int_equal(p.v[1].others, 0);
	assert_string_equal(p.v[1].about, "another one");
	assert_int_equal(p.v[2].type, NOTIF_REACTION);
	assert_string_equal(p.v[2].actor_username, "dave");
	assert_int_equal(p.v[2].others, 2);
	/* spaces and newlines made one, cut after a word, at most 60 characters and "…" */
	assert_string_equal(p.v[2].about,
	    "Hello world this is a post with a body long enough to be cut\u2026");
	notif_page_free(&p);
	/* the rows are still one each for exec */
	assert_int_equal(store_notifications(st, a, false, 0, 50, &p), 0);
	assert_int_equal(p.n, 6);
	notif_page_free(&p);

	/* a page of 1: the cursor is the entry's id */
	assert_int_equal(store_notification_groups(st, a, 0, 1, &p), 0);
	assert_int_equal(p.n, 1);
	assert_true(p.next_before != 0);
	other = p.next_before;
	notif_page_free(&p);
	assert_int_equal(store_notification_groups(st, a, other, 1, &p), 0);
	assert_int_equal(p.v[0].type, NOTIF_REACTION);
	notif_page_free(&p);

	/* a deleted comment says so; a block hides dave and his count */
	assert_int_equal(store_comment_delete(st, b, cid), 0);
	storefix_block(st, a, d);
	assert_int_equal(store_notification_groups(st, a, 0, 50, &p), 0);
	assert_int_equal(p.n, 3);
	assert_true(p.v[0].about_gone);
	assert_null(p.v[0].about);
	assert_string_equal(notif_gone_text(p.v[0].type), "comment deleted");
	assert_int_equal(p.v[2].others, 1);
	assert_string_equal(p.v[2].actor_username, "carol");

	/* read and delete act on the whole group */
	assert_int_equal(store_notification_read_group(st, a, p.v[2].id), 0);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM notifications WHERE "
	    "user_id = %lld AND type = %d AND read = 0", (long long)a, NOTIF_REACTION), 2);
	assert_int_equal(store_notification_delete_group(st, a, p.v[0].id), 0);
	assert_int_equal(store_notification_read_group(st, b, p.v[1].id), ERR_NOTFOUND);
	notif_page_free(&p);
	assert_int_equal(store_notification_groups(st, a, 0, 50, &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[1].type, NOTIF_REACTION);
	assert_true(p.v[1].read);
	notif_page_free(&p);
}

/* ---- comments --------------------------------------------------------------------- */

static void
test_comments(void **state)
{
	struct store		*st = *state;
	struct comment_page	 cp;
	struct post		 p;
	char			 why[256], *big;
	int64_t			 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL),
				 c = storefix_user(st, "carol", NULL), id, cb, cc, ca, author, after;
	size_t			 i, total;

	id = post(st, a, "comment on me", VIS_PUBLIC);
	assert_int_equal(store_comment_add(st, b, id, "from bob", &cb, &author, why, sizeof why),
	    0);
	assert_int_equal(author, a);
	assert_true(notified(st, a, NOTIF_COMMENT, id));
	assert_int_equal(store_comment_add(st, c, id, "from carol", &cc, &author, why,
	    sizeof why), 0);
	assert_int_equal(store_comment_add(st, a, id, "from alice", &ca, &author, why,
	    sizeof why), 0);
	assert_int_equal(author, 0);	/* no notification for one's own */
	assert_int_equal(count_notified(st, a, NOTIF_COMMENT, id), 2);
	/* Oldest first, with who may delete what. */
	assert_int_equal(store_comments(st, b, id, 0, 10, &cp), 0);
	assert_int_equal(cp.n, 3);
	assert_int_equal(cp.v[0].id, cb);
	assert_true(cp.v[0].can_delete);	/* bob's own */
	assert_false(cp.v[1].can_delete);	/* carol's */
	assert_string_equal(cp.v[1].author_username, "carol");
	assert_int_equal(cp.next_after, 0);
	comment_page_free(&cp);
	assert_int_equal(store_comments(st, a, id, 0, 10, &cp), 0);
	for (i = 0; i < cp.n; i++)
		assert_true(cp.v[i].can_delete);	/* the post's author */
	comment_page_free(&cp);
	/* Others' comments: no edit; no delete unless the post is yours. */
	assert_int_equal(store_comment_edit(st, b, cc, "changed", why, sizeof why), ERR_DENIED);
	assert_int_equal(store_comment_edit(st, a, cc, "changed", why, sizeof why), ERR_DENIED);
	assert_int_equal(store_comment_delete(st, b, cc), ERR_DENIED);
	assert_int_equal(store_comment_edit(st, c, cc, "", why, sizeof why), ERR_INVALID);
	assert_int_equal(store_comment_edit(st, c, cc, "\x1b[2J", why, sizeof why), ERR_INVALID);
	assert_int_equal(store_comments(st, b, id, 0, 10, &cp), 0);
	assert_string_equal(cp.v[1].text, "from carol");
	assert_int_equal(cp.v[1].edited_at, 0);
	comment_page_free(&cp);
	assert_int_equal(store_comment_edit(st, c, cc, "carol, edited", why, sizeof why), 0);
	assert_int_equal(store_comment_delete(st, a, cc), 0);	/* the post's author */
	assert_int_equal(store_comment_delete(st, a, cc), ERR_NOTFOUND);
	assert_int_equal(store_comment_delete(st, b, cb), 0);	/* one's own */
	assert_int_equal(store_post_get(st, a, id, &p), 0);
	assert_int_equal(p.comments, 1);
	post_free(&p);
	/* Limits. */
	big = malloc(COMMENT_MAX + 2);
	assert_non_null(big);
	memset(big, 'x', COMMENT_MAX);
	big[COMMENT_MAX] = '\0';
	assert_int_equal(store_comment_add(st, b, id, big, &cb, &author, why, sizeof why), 0);
	big[COMMENT_MAX] = 'x';
	big[COMMENT_MAX + 1] = '\0';
	assert_int_equal(store_comment_add(st, b, id, big, &cb, &author, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_comment_add(st, b, id, " ", &cb, &author, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_comment_add(st, b, id, "\xc0\x80", &cb, &author, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_comment_add(st, b, 999, "x", &cb, &author, why, sizeof why),
	    ERR_NOTFOUND);
	free(big);
	/* Pages: no gaps, no repeats. */
	for (i = 0; i < 23; i++)
		assert_int_equal(store_comment_add(st, c, id, "more", &cc, &author, why,
		    sizeof why), 0);
	total = 0;
	after = 0;
	do {
		assert_int_equal(store_comments(st, b, id, after, 5, &cp), 0);
		for (i = 0; i < cp.n; i++)
			assert_true(cp.v[i].id > after || i > 0);
		total += cp.n;
		after = cp.next_after;
		comment_page_free(&cp);
	} while (after != 0);
	assert_int_equal(total, 25);
	/* Comments of a post one may not see, or of someone a block separates, are not listed. */
	id = post(st, a, "private", VIS_PRIVATE);
	assert_int_equal(store_comment_add(st, b, id, "sneak", &cb, &author, why, sizeof why),
	    ERR_NOTFOUND);
	assert_int_equal(store_comments(st, b, id, 0, 10, &cp), ERR_NOTFOUND);
}

/* ---- mentions and hashtags -------------------------------------------------------- */

static void
test_mentions(void **state)
{
	struct store	*st = *state;
	char		 why[256];
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), c = storefix_user(st, "carol", NULL),
			 d = storefix_user(st, "dave", NULL), id, *m = NULL, cid, author;
	size_t		 nm = 0;

	storefix_befriend(st, a, b);
	/* Case, punctuation, repeats, self, unknown names and e-mail addresses. */
	assert_int_equal(store_post_create(st, a, "hi @Bob, @bob! and @carol. me: @alice, "
	    "@nobody, mail x@dave.org", VIS_PUBLIC, &id, &m, &nm, why, sizeof why), 0);
	assert_int_equal(nm, 2);
	assert_true((m[0] == b && m[1] == c) || (m[0] == c && m[1] == b));
	free(m);
	assert_int_equal(count_notified(st, b, NOTIF_MENTION, id), 1);
	assert_int_equal(count_notified(st, c, NOTIF_MENTION, id), 1);
	assert_int_equal(count_notified(st, a, NOTIF_MENTION, id), 0);
	assert_int_equal(count_notified(st, d, NOTIF_MENTION, id), 0);
	/* An edit that mentions them again tells nobody twice; a new name is told. */
	assert_int_equal(store_post_edit(st, a, id, "@bob @carol @dave", &m, &nm, why,
	    sizeof why), 0);
	assert_int_equal(nm, 1);
	assert_int_equal(m[0], d);
	free(m);
	assert_int_equal(count_notified(st, b, NOTIF_MENTION, id), 1);
	assert_int_equal(count_notified(st, d, NOTIF_MENTION, id), 1);
	/* Only those who may see the post. */
	assert_int_equal(store_post_create(st, a, "friends: @bob @carol", VIS_FRIENDS, &id, &m,
	    &nm, why, sizeof why), 0);
	assert_int_equal(nm, 1);
	assert_int_equal(m[0], b);
	free(m);
	assert_int_equal(count_notified(st, c, NOTIF_MENTION, id), 0);
	/* In comments too, about the post; the post's author hears of the comment instead. */
	id = post(st, a, "plain", VIS_PUBLIC);
	assert_int_equal(store_comment_add(st, b, id, "@carol look, @alice", &cid, &author,
	    why, sizeof why), 0);
	assert_int_equal(count_notified(st, c, NOTIF_MENTION, id), 1);
	assert_int_equal(count_notified(st, a, NOTIF_MENTION, id), 0);
	assert_int_equal(count_notified(st, a, NOTIF_COMMENT, id), 1);
	assert_int_equal(store_comment_add(st, d, id, "@carol again", &cid, &author, why,
	    sizeof why), 0);
	assert_int_equal(count_notified(st, c, NOTIF_MENTION, id), 1);
	/* A block between the one who mentions and the one mentioned: no notification. */
	storefix_block(st, c, d);
	id = post(st, d, "@carol hello", VIS_PUBLIC);
	assert_int_equal(count_notified(st, c, NOTIF_MENTION, id), 0);
}

static void
test_text_parsing(void **state)
{
	char	tags[POST_TAGS_MAX][TAG_MAX + 1];
	char	names[POST_MENTIONS_MAX][USERNAME_MAX + 1];
	size_t	n;

	(void)state;
	n = post_hashtags("#Linux and #linux, (#rust) C# x#y #1 #2fa "
	    "# heading ##double &#39; #a-b_c "
	    "#toolongtoolongtoolongtoolongtoolong1 end#", tags, POST_TAGS_MAX);
	assert_int_equal(n, 4);
	assert_string_equal(tags[0], "linux");
	assert_string_equal(tags[1], "rust");
	assert_string_equal(tags[2], "2fa");
	assert_string_equal(tags[3], "a-b_c");
	n = post_mention_names("@Bob a@b.c @1x @x @carol_ @bob (@dave) @@eve", names,
	    POST_MENTIONS_MAX);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "bob");
	assert_string_equal(names[1], "carol_");
	assert_string_equal(names[2], "dave");
}

/* ---- feeds -------------------------------------------------------------------------- */

/* Home and timelines: keyset pages without gaps or repeats, newest first, on both plans. */
static void
test_home_timeline_pages(void **state)
{
	struct store	*st = *state;
	int64_t		 ids[COLLECT_MAX], home1[COLLECT_MAX], mine[60], a, b, c, s;
	char		 text[64];
	long		 n, n1, i;
	size_t		 limit, k;

	a = storefix_user(st, "alice", NULL);
	b = storefix_user(st, "bob", NULL);
	c = storefix_user(st, "carol", NULL);
	s = storefix_user(st, "stranger", NULL);
	storefix_befriend(st, a, b);
	storefix_befriend(st, a, c);
	for (k = 0; k < 60; k++) {
		int64_t	who = k % 4 == 0 ? a : k % 4 == 1 ? b : k % 4 == 2 ? c : s;
		enum visibility vis = k % 5 == 4 ? VIS_PRIVATE : k % 3 == 0 ? VIS_FRIENDS : VIS_PUBLIC;

		snprintf(text, sizeof text, "post %zu", k);
		mine[k] = post(st, who, text, vis);
	}
	/* Expected Home of alice: her own, and bob's and carol's not private. */
	for (limit = 1; limit <= 25; limit += 6) {
		n = collect(st, FEED_HOME, a, 0, NULL, limit, ids);
		for (i = 1; i < n; i++)
			assert_true(ids[i] < ids[i - 1]);
		n1 = 0;
		for (k = 60; k-- > 0;) {
			bool mine_k = k % 4 == 0, friend_k = k % 4 == 1 || k % 4 == 2;
			bool priv = k % 5 == 4;

			if (mine_k || (friend_k && !priv))
				home1[n1++] = mine[k];
		}
		assert_int_equal(n, n1);
		for (i = 0; i < n; i++)
			assert_int_equal(ids[i], home1[i]);
	}
	/* The other plan (walking posts by time) gives the same pages. */
	st->home_scan_friends = 1;
	for (limit = 1; limit <= 25; limit += 6) {
		n = collect(st, FEED_HOME, a, 0, NULL, limit, ids);
		assert_int_equal(n, n1);
		for (i = 0; i < n; i++)
			assert_int_equal(ids[i], home1[i]);
	}
	st->home_scan_friends = 0;
	/* bob's timeline as a stranger sees it: his public posts only. */
	n = collect(st, FEED_TIMELINE, s, b, NULL, 4, ids);
	n1 = 0;
	for (k = 60; k-- > 0;)
		if (k % 4 == 1 && k % 5 != 4 && k % 3 != 0)
			home1[n1++] = mine[k];
	assert_int_equal(n, n1);
	for (i = 0; i < n; i++)
		assert_int_equal(ids[i], home1[i]);
	/* Unknown users have no timeline; limit 0 is an error. */
	assert_int_equal(collect(st, FEED_TIMELINE, s, 999, NULL, 4, ids), -1);
	{
		struct post_page pg;

		assert_int_equal(store_feed_home(st, a, NULL, 0, &pg), ERR_INVALID);
		assert_int_equal(store_timeline(st, a, b, NULL, 0, &pg), ERR_INVALID);
		assert_int_equal(store_feed_foryou(st, a, NULL, 0, &pg), ERR_INVALID);
		assert_int_equal(store_search_posts(st, a, "post", NULL, 0, &pg), ERR_INVALID);
	}
}

static void
test_foryou(void **state)
{
	struct store		*st = *state;
	struct post_page	 pg;
	int64_t			 ids[COLLECT_MAX], users[8], lonely, tagged, id;
	char			 name[16], text[128];
	long			 n, i;
	size_t			 k;
	bool			 seen_tag = false, seen_fof = false, seen_popular = false;

	for (k = 0; k < 8; k++) {
		snprintf(name, sizeof name, "user%zu", k);
		users[k] = storefix_user(st, name, NULL);
	}
	lonely = storefix_user(st, "lonely", NULL);
	tagged = storefix_user(st, "tagged", NULL);
	assert_int_equal(store_profile_set(st, tagged, "tags", "linux vim", NULL, 0), 0);
	storefix_befriend(st, users[0], users[1]);
	storefix_befriend(st, users[1], users[2]);
	for (k = 0; k < 80; k++) {
		snprintf(text, sizeof text, "post number %zu%s", k, k % 7 == 0 ? " #linux" : "");
		post(st, users[k % 8], text, k % 10 == 9 ? VIS_FRIENDS : VIS_PUBLIC);
	}
	/* One popular post. */
	id = post(st, users[3], "everyone likes this", VIS_PUBLIC);
	for (k = 0; k < 8; k++)
		if (users[k] != users[3])
			assert_int_equal(store_react(st, users[k], id, REACT_LIKE, &(int64_t){ 0 }), 0);
	assert_int_equal(store_react(st, lonely, id, REACT_LOVE, &(int64_t){ 0 }), 0);
	assert_int_equal(store_react(st, tagged, id, REACT_LOVE, &(int64_t){ 0 }), 0);
	assert_int_equal(store_react(st, storefix_user(st, "extra1", NULL), id, REACT_LOVE, &(int64_t){ 0 }), 0);
	assert_int_equal(store_react(st, storefix_user(st, "extra2", NULL), id, REACT_LOVE, &(int64_t){ 0 }), 0);
	/* Zero friends: every public post, none twice (collect checks), all with reasons. */
	n = collect(st, FEED_FORYOU, lonely, 0, NULL, 7, ids);
	assert_int_equal(n, 73);	/* 72 public + the popular one */
	/* The popular one ranks first, and says so. */
	assert_int_equal(store_feed_foryou(st, lonely, NULL, 5, &pg), 0);
	assert_int_equal(pg.v[0].id, id);
	assert_non_null(strstr(pg.v[0].reason, "popular: 11 reactions"));
	post_page_free(&pg);
	/* Tags: the viewer's tags boost the posts that carry them, and say so. */
	assert_int_equal(store_feed_foryou(st, tagged, NULL, 20, &pg), 0);
	for (k = 0; k < pg.n; k++)
		if (strcmp(pg.v[k].reason, "#linux, like you") == 0)
			seen_tag = true;
	post_page_free(&pg);
	assert_true(seen_tag);
	/* Friends of friends. */
	n = collect(st, FEED_FORYOU, users[0], 0, NULL, 10, ids);
	assert_true(n > 0);
	assert_int_equal(store_feed_foryou(st, users[0], NULL, 100, &pg), 0);
	for (k = 0; k < pg.n; k++) {
		assert_true(pg.v[k].author_id != users[0]);
		if (pg.v[k].author_id == users[2]) {
			assert_string_equal(pg.v[k].reason, "new from someone you may know");
			seen_fof = true;
		}
		if (strncmp(pg.v[k].reason, "popular", 7) == 0)
			seen_popular = true;
	}
	post_page_free(&pg);
	assert_true(seen_fof && seen_popular);
	/* Pages of one cursor never repeat even while new posts and reactions arrive. */
	{
		struct post_cursor	cur;
		int64_t			seen[COLLECT_MAX];
		size_t			nseen = 0, j;

		assert_int_equal(store_feed_foryou(st, lonely, NULL, 10, &pg), 0);
		for (k = 0; k < pg.n; k++)
			seen[nseen++] = pg.v[k].id;
		cur = pg.next;
		/* Between the pages: new posts, and reactions on a post already shown. */
		post(st, users[4], "brand new", VIS_PUBLIC);
		for (k = 0; k < 8; k++)
			store_react(st, users[k], seen[nseen - 1], REACT_HAHA, &(int64_t){ 0 });
		for (k = 0; k < 8; k++)
			store_unreact(st, users[k], seen[0]);
		while (cur.set) {
			post_page_free(&pg);
			assert_int_equal(store_feed_foryou(st, lonely, &cur, 10, &pg), 0);
			for (k = 0; k < pg.n; k++) {
				for (j = 0; j < nseen; j++)
					assert_true(seen[j] != pg.v[k].id);
				seen[nseen++] = pg.v[k].id;
			}
			cur = pg.next;
		}
		post_page_free(&pg);
		assert_int_equal(nseen, 73);
	}
	/* An empty network is an empty page. */
	for (i = 0; i < 1; i++) {
		struct store *e = NULL;

		assert_int_equal(store_open(":memory:", &e), 0);
		assert_int_equal(store_feed_foryou(e, storefix_user(e, "solo", NULL), NULL, 10, &pg), 0);
		assert_int_equal(pg.n, 0);
		assert_false(pg.next.set);
		post_page_free(&pg);
		store_close(e);
	}
}

/* ---- search ---------------------------------------------------------------------------- */

static void
test_search(void **state)
{
	static const char *const hostile[] = {
		"\"", "\"\"", "*", "a*", "NEAR(a b)", "a OR b", "a AND", "NOT", "-x", "(", ")",
		"^a", "text:a", "{text}: a", "a + b", "'", "\\", "%", "_", "#", "##", "#-",
		"# linux", "@bob", "\xf0\x9f\x90\xa7", "\xff\xfe", "\xe2\x80\xae" "rtl",
		"a\"b*c(d)e:f^g", "😀😀😀", "\t\n", "",
	};
	struct store		*st = *state;
	struct post_page	 pg;
	int64_t			 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL),
				 c = storefix_user(st, "carol", NULL), ids[COLLECT_MAX], p1, p2, p3;
	char			 text[64];
	size_t			 i;
	long			 n;

	p1 = post(st, a, "Learning #Linux kernel internals", VIS_PUBLIC);
	p2 = post(st, a, "linux linux linux on the desktop", VIS_PUBLIC);
	p3 = post(st, a, "Café crème with José", VIS_PUBLIC);
	/* Prefixes, case, diacritics, several words. */
	assert_true(in_feed(st, FEED_SEARCH, b, 0, "linu", p1));
	assert_true(in_feed(st, FEED_SEARCH, b, 0, "LINUX", p2));
	assert_true(in_feed(st, FEED_SEARCH, b, 0, "cafe jose", p3));
	assert_false(in_feed(st, FEED_SEARCH, b, 0, "cafe linux", p3));
	/* The more matches, the better (p2 says linux three times). */
	assert_int_equal(store_search_posts(st, b, "linux", NULL, 10, &pg), 0);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.v[0].id, p2);
	post_page_free(&pg);
	/* A hashtag query finds the posts that carry the tag, not those that only say the word. */
	assert_int_equal(store_search_posts(st, b, " #LINUX ", NULL, 10, &pg), 0);
	assert_int_equal(pg.n, 1);
	assert_int_equal(pg.v[0].id, p1);
	post_page_free(&pg);
	/* FTS syntax is text, never an error. */
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		assert_int_equal(store_search_posts(st, b, hostile[i], NULL, 10, &pg), 0);
		post_page_free(&pg);
	}
	assert_int_equal(store_search_posts(st, b, NULL, NULL, 10, &pg), 0);
	assert_int_equal(pg.n, 0);
	/* Pages across several blocks of matches: each match once. */
	for (i = 0; i < 1200; i++) {
		snprintf(text, sizeof text, "common word %zu%s", i, i % 3 ? "" : " #common");
		post(st, i % 2 ? a : b, text, i % 10 == 0 ? VIS_FRIENDS : VIS_PUBLIC);
	}
	/* bob's own friends-only posts are his to find; carol, a stranger, misses them. */
	n = collect(st, FEED_SEARCH, b, 0, "common", 50, ids);
	assert_int_equal(n, 1200);
	n = collect(st, FEED_SEARCH, c, 0, "common", 50, ids);
	assert_int_equal(n, 1200 - 120);
	n = collect(st, FEED_SEARCH, c, 0, "#common", 50, ids);
	assert_int_equal(n, 400 - 40);
	for (i = 1; i < (size_t)n; i++)
		assert_true(ids[i] < ids[i - 1]);	/* hashtags: newest first */
}

/* ---- odds and ends ------------------------------------------------------------------------ */

static void
test_audience(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), c = storefix_user(st, "carol", NULL),
			*ids, id;
	size_t		 n;

	storefix_befriend(st, a, b);
	storefix_befriend(st, a, c);
	id = post(st, a, "to all", VIS_PUBLIC);
	assert_int_equal(store_post_audience(st, id, 0, &ids, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], a);
	free(ids);
	id = post(st, a, "to me", VIS_PRIVATE);
	assert_int_equal(store_post_audience(st, id, 0, &ids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], a);
	free(ids);
	assert_int_equal(store_post_audience(st, 999, 0, &ids, &n), ERR_NOTFOUND);
	assert_null(ids);
	assert_int_equal(n, 0);
}

/* A user who goes takes their posts, reactions, comments and index rows with them. */
static void
test_user_delete(void **state)
{
	struct store	*st = *state;
	struct post	 p;
	char		 why[256];
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), id, s, cid;

	id = post(st, a, "kept #stays", VIS_PUBLIC);
	post(st, b, "bob's words #gone", VIS_PUBLIC);
	s = share(st, b, id, "bob shares", VIS_PUBLIC);
	assert_int_equal(store_comment_add(st, b, id, "bob says", &cid, &(int64_t){ 0 }, why,
	    sizeof why), 0);
	assert_int_equal(store_react(st, b, id, REACT_LIKE, &(int64_t){ 0 }), 0);
	assert_int_equal(store_user_delete(st, b), 0);
	assert_int_equal(store_post_get(st, a, s, &p), ERR_NOTFOUND);
	assert_int_equal(store_post_get(st, a, id, &p), 0);
	assert_int_equal(p.reaction_total, 0);
	assert_int_equal(p.comments, 0);
	assert_int_equal(p.shares, 0);
	post_free(&p);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH "
	    "'bob'"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM post_tags"), 1);
	assert_int_equal(sqlite3_exec(st->db, "INSERT INTO posts_fts(posts_fts, rank) "
	    "VALUES ('integrity-check', 1)", NULL, NULL, NULL), SQLITE_OK);
}

static void
test_gen_posts(void **state)
{
	struct store		*st = *state;
	struct post_page	 pg;

	assert_int_equal(store_gen_posts(st, 10, 0, 0, 1), ERR_INVALID);	/* no users */
	assert_int_equal(store_gen_users(st, 300, 1), 0);
	assert_int_equal(store_gen_friendships(st, 1500, 2), 0);
	assert_int_equal(store_gen_posts(st, 3000, 9000, 2000, 3), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts"), 3000);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM reactions"), 9000);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM comments"), 2000);
	/* The triggers kept the counts. */
	assert_int_equal(storefix_sql_int(st, "SELECT sum(n_like + n_love + n_haha + n_wow + n_sad + "
	    "n_angry) FROM posts"), 9000);
	assert_int_equal(storefix_sql_int(st, "SELECT sum(n_comments) FROM posts"), 2000);
	assert_int_equal(storefix_sql_int(st, "SELECT sum(n_shares) FROM posts"),
	    storefix_sql_int(st, "SELECT count(*) FROM posts WHERE shared_from IS NOT NULL"));
	assert_true(storefix_sql_int(st, "SELECT count(*) FROM post_tags") > 500);
	/* Ids grow with time. */
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts a JOIN posts b ON b.id = a.id + 1 "
	    "WHERE b.created_at < a.created_at"), 0);
	assert_int_equal(sqlite3_exec(st->db, "INSERT INTO posts_fts(posts_fts, rank) "
	    "VALUES ('integrity-check', 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_feed_foryou(st, 5, NULL, 20, &pg), 0);
	assert_int_equal(pg.n, 20);
	post_page_free(&pg);
}

/* The new tables are STRICT and check what they hold. */
static void
test_schema(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), id;

	assert_true(store_schema_version() >= 3);
	id = post(st, a, "checked", VIS_PUBLIC);
	(void)id;
	assert_int_not_equal(sqlite3_exec(st->db, "UPDATE posts SET visibility = 3", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(st->db, "UPDATE posts SET created_at = 'x'", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(st->db, "UPDATE users SET default_visibility = 5",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(st->db, "INSERT INTO reactions VALUES "
	    "((SELECT max(id) FROM posts), 1, 9, 0)", NULL, NULL, NULL), SQLITE_OK);
	/* A post of a user who does not exist. */
	assert_int_not_equal(sqlite3_exec(st->db, "INSERT INTO posts (author_id, text, "
	    "visibility, created_at, active_at) VALUES (99, 'x', 0, 0, 0)", NULL, NULL, NULL),
	    SQLITE_OK);
}

/*
 * A real version-2 database (profiles and friendships, no posts) takes
 * migration 3: the new tables, triggers and index work on the old rows.
 */
static void
test_migration_from_v2(void **state)
{
	char		 dir[] = "/tmp/sshbook-posts-XXXXXX", path[256];
	struct store	*st = NULL;
	struct post	 p;
	enum visibility	 v;
	int64_t		 a, b, id;
	int		 r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sshbook.db", dir);
	store_migrate_limit = 2;
	r = store_open(path, &st);
	store_migrate_limit = 0;
	assert_int_equal(r, 0);
	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), 2);
	/* Rows the way version 2 made them (today's code may touch later tables). */
	assert_int_equal(sqlite3_exec(st->db,
	    "INSERT INTO users (username, display_name, created_at) VALUES "
	    "('alice', 'Alice', 0), ('bob', 'Bob', 0);"
	    "INSERT INTO friendships VALUES (1, 2, 0), (2, 1, 0);", NULL, NULL, NULL),
	    SQLITE_OK);
	a = 1;
	b = 2;
	store_close(st);
	st = NULL;

	assert_int_equal(store_open(path, &st), 0);
	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(store_default_visibility(st, b, &v), 0);
	assert_int_equal(v, VIS_PUBLIC);
	id = post(st, a, "after the upgrade #fresh", VIS_FRIENDS);
	assert_true(in_feed(st, FEED_HOME, b, 0, NULL, id));
	assert_true(in_feed(st, FEED_SEARCH, b, 0, "#fresh", id));
	assert_true(in_feed(st, FEED_SEARCH, b, 0, "upgr", id));
	assert_int_equal(store_react(st, b, id, REACT_LIKE, &(int64_t){ 0 }), 0);
	assert_int_equal(store_post_get(st, a, id, &p), 0);
	assert_int_equal(p.reactions[REACT_LIKE], 1);
	post_free(&p);
	store_close(st);
	storefix_remove_db(dir, path);
}

static void
test_free_tolerates_empty(void **state)
{
	struct post		p = { 0 };
	struct post_page	pg = { 0 };
	struct comment_page	cp = { 0 };
	struct reactor_list	rl = { 0 };

	(void)state;
	post_free(&p);
	post_free(NULL);
	post_page_free(&pg);
	post_page_free(NULL);
	comment_page_free(&cp);
	comment_page_free(NULL);
	reactor_list_free(&rl);
	reactor_list_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_privacy_matrix, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_notifications_follow_privacy, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_shares, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_share_chain_depth, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_create_limits, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_edit_delete, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_default_visibility_and_names, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_reactions, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_notification_groups, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_comments, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_mentions, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_text_parsing),
		cmocka_unit_test_setup_teardown(test_home_timeline_pages, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_foryou, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_search, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_audience, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_user_delete, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_gen_posts, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_migration_from_v2),
		cmocka_unit_test(test_free_tolerates_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
