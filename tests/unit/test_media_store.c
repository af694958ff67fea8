/*
 * storage: media items, their attachment to posts, profile images, the
 * preview cache and the job table, on a fresh ":memory:" database per test
 * (a file database where surviving a reopen is the point). The heart of it
 * is the privacy matrix: every way an item can be seen (avatar, background,
 * a post of each visibility, nothing) for the owner, a friend, a stranger
 * and users a block separates from the owner either way, through every read
 * (one item, the gallery, the posts that carry it, the profile).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "common/err.h"
#include "storage/jobs.h"
#include "storage/media-int.h"
#include "storage/media.h"
#include "storage/posts-int.h"
#include "storage/posts.h"
#include "storage/social.h"
#include "storage/store-int.h"
#include "storage/store.h"
#include "tests/unit/storefix.h"

/* ---- helpers ------------------------------------------------------------ */

static void
set_privacy(struct store *st, int64_t user, const char *p)
{
	char why[256];

	assert_int_equal(store_profile_set(st, user, "privacy", p, why, sizeof why), 0);
}

static int64_t
image(struct store *st, int64_t owner)
{
	int64_t id = 0;

	assert_int_equal(store_media_add(st, owner, MEDIA_IMAGE, "png", 640, 480, 0, 12345,
	    &id), 0);
	assert_true(id > 0);
	return id;
}

static int64_t
video(struct store *st, int64_t owner)
{
	int64_t id = 0;

	assert_int_equal(store_media_add(st, owner, MEDIA_VIDEO, "mp4", 1280, 720, 9000,
	    3000000, &id), 0);
	assert_true(id > 0);
	return id;
}

/* A post with media; asserts success. */
static int64_t
mpost(struct store *st, int64_t author, const char *text, enum visibility vis,
    const int64_t *media, size_t n)
{
	char	why[256];
	int64_t	id = 0;
	int	r;

	r = store_post_create_media(st, author, text, vis, media, n, &id, NULL, NULL, why,
	    sizeof why);
	if (r != 0)
		fail_msg("post with media refused: %d %s", r, why);
	assert_true(id > 0);
	return id;
}

/* A refused post with media: the error, why in whyout; nothing stored. */
static int
mpost_refused(struct store *st, int64_t author, const char *text, const int64_t *media,
    size_t n, char *whyout, size_t whysz)
{
	int64_t	posts = storefix_sql_int(st, "SELECT count(*) FROM posts");
	int64_t	pm = storefix_sql_int(st, "SELECT count(*) FROM post_media");
	int64_t	fts = storefix_sql_int(st, "SELECT count(*) FROM posts_fts_docsize");
	int64_t	id = 99;
	int	r;

	r = store_post_create_media(st, author, text, VIS_PUBLIC, media, n, &id, NULL, NULL,
	    whyout, whysz);
	assert_true(r < 0);
	assert_int_equal(id, 0);
	assert_true(whyout[0] != '\0');
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts"), posts);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM post_media"), pm);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM posts_fts_docsize"), fts);
	return r;
}

static bool
sees_media(struct store *st, int64_t viewer, int64_t id)
{
	struct media	m;
	int		r = store_media_get(st, viewer, id, &m);

	assert_true(r == 0 || r == ERR_NOTFOUND);
	if (r == 0) {
		assert_int_equal(m.id, id);
		media_free(&m);
	} else
		assert_int_equal(m.id, 0);
	return r == 0;
}

/* Whether id is in owner's gallery as viewer sees it (walking every page of 2). */
static bool
in_gallery(struct store *st, int64_t viewer, int64_t owner, int64_t id)
{
	struct media_list	l;
	int64_t			before = 0;
	bool			found = false;
	size_t			i;
	int			pages = 0, r;

	do {
		r = store_media_gallery(st, viewer, owner, before, 2, &l);
		if (r == ERR_NOTFOUND && pages == 0)
			return false;
		assert_int_equal(r, 0);
		assert_true(l.n <= 2);
		for (i = 0; i < l.n; i++) {
			if (l.v[i].id == id)
				found = true;
			if (before != 0)
				assert_true(l.v[i].id < before);
		}
		before = l.next_before;
		media_list_free(&l);
		assert_true(++pages < 1000);
	} while (before != 0);
	return found;
}

/* The media ids of a post as viewer sees it (-1: the post is not visible). */
static long
post_media_of(struct store *st, int64_t viewer, int64_t post, int64_t *ids)
{
	struct post	p;
	size_t		i;
	long		n;
	int		r = store_post_get(st, viewer, post, &p);

	if (r == ERR_NOTFOUND)
		return -1;
	assert_int_equal(r, 0);
	for (i = 0; i < p.nmedia; i++)
		ids[i] = p.media[i].id;
	n = (long)p.nmedia;
	post_free(&p);
	return n;
}

static struct profile
profile_of(struct store *st, int64_t viewer, const char *name)
{
	struct profile p;

	assert_int_equal(store_profile_get(st, viewer, name, &p), 0);
	return p;
}

/* ---- the schema ------------------------------------------------------------- */

static void
test_schema(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), m1, m2, m3;

	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), store_schema_version());
	assert_true(store_schema_version() >= 5);
	m1 = image(st, a);
	/* STRICT tables with checks. */
	assert_int_not_equal(sqlite3_exec(st->db, "UPDATE media SET kind = 2", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(st->db, "UPDATE media SET state = 'x'", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(st->db, "INSERT INTO jobs (kind, arg, state, "
	    "run_after, created_at) VALUES ('x', 1, 3, 0, 0)", NULL, NULL, NULL), SQLITE_OK);
	/* Media of a user who does not exist. */
	assert_int_not_equal(sqlite3_exec(st->db, "INSERT INTO media (owner_id, kind, format, "
	    "width, height, orig_bytes, created_at) VALUES (99, 0, 'png', 1, 1, 1, 0)", NULL,
	    NULL, NULL), SQLITE_OK);
	/* An avatar that does not exist. */
	assert_int_not_equal(sqlite3_exec(st->db, "UPDATE users SET avatar_media = 999", NULL,
	    NULL, NULL), SQLITE_OK);
	/* Ids are never handed out twice, even after the newest is deleted. */
	m2 = image(st, a);
	assert_int_equal(store_media_delete(st, a, m2, NULL), 0);
	m3 = image(st, a);
	assert_true(m3 > m2 && m2 > m1);
}

/* The query plan of sql (one line per step, joined) into out. */
static void
plan(struct store *st, const char *sql, char *out, size_t outsz)
{
	sqlite3_stmt	*stmt;
	char		 q[4096];

	snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(st->db, q, -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		strncat(out, (const char *)sqlite3_column_text(stmt, 3), outsz - strlen(out) - 2);
		strncat(out, "\n", outsz - strlen(out) - 1);
	}
	sqlite3_finalize(stmt);
}

/* What makes a feed of posts with media stay fast: no scans, no sorts. */
static void
test_query_plans(void **state)
{
	struct store	*st = *state;
	char		 p[4096];

	plan(st, "SELECT m.id FROM post_media pm JOIN media m ON m.id = pm.media_id "
	    "WHERE pm.post_id = 1 ORDER BY pm.position", p, sizeof p);
	assert_null(strstr(p, "SCAN"));
	assert_null(strstr(p, "TEMP B-TREE"));
	plan(st, "SELECT m.id FROM media m WHERE m.owner_id = 1 AND m.id < 100 AND "
	    SQL_MEDIA_VISIBLE("m", "2") " ORDER BY m.id DESC LIMIT 21", p, sizeof p);
	assert_non_null(strstr(p, "media_owner"));
	assert_null(strstr(p, "TEMP B-TREE"));
	assert_null(strstr(p, "SCAN"));
	/* Deleting an item clears avatars through the partial index, not a scan of users. */
	plan(st, "UPDATE users SET avatar_media = NULL WHERE avatar_media = 5", p, sizeof p);
	assert_non_null(strstr(p, "users_avatar_media"));
	plan(st, "SELECT id FROM jobs WHERE state IN (0, 1) AND run_after <= 100 "
	    "ORDER BY run_after, id LIMIT 1", p, sizeof p);
	assert_non_null(strstr(p, "jobs_due"));
}

/* ---- adding, reading, the gallery -------------------------------------------- */

static void
test_add_get(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), id, v, x;
	struct media	 m;
	size_t		 q, r, f;

	assert_string_equal(media_kind_name(MEDIA_IMAGE), "image");
	assert_string_equal(media_kind_name(MEDIA_VIDEO), "video");
	assert_string_equal(media_state_name(MEDIA_PENDING), "processing");
	assert_string_equal(media_state_name(MEDIA_READY), "ready");
	assert_string_equal(media_state_name(MEDIA_FAILED), "failed");

	id = image(st, a);
	assert_int_equal(store_media_get(st, a, id, &m), 0);
	assert_int_equal(m.id, id);
	assert_int_equal(m.owner_id, a);
	assert_string_equal(m.owner_username, "alice");
	assert_int_equal(m.kind, MEDIA_IMAGE);
	assert_int_equal(m.state, MEDIA_PENDING);
	assert_string_equal(m.format, "png");
	assert_string_equal(m.stored_format, "");
	assert_int_equal(m.width, 640);
	assert_int_equal(m.height, 480);
	assert_int_equal(m.orig_bytes, 12345);
	assert_int_equal(m.stored_bytes, 0);
	assert_string_equal(m.error, "");
	assert_true(m.created_at > 0);
	assert_false(m.is_avatar);
	assert_false(m.is_background);
	assert_int_equal(m.post_count, 0);
	media_free(&m);
	/* Its job came with it, in the same transaction. */
	assert_int_equal(store_job_counts(st, &q, &r, &f), 0);
	assert_int_equal(q, 1);
	assert_int_equal(r + f, 0);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM jobs WHERE kind = 'media' AND "
	    "arg = %lld AND state = 0", (long long)id), 1);

	/* Bad input stores nothing, neither item nor job. */
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "bmp", 1, 1, 0, 1, &x), ERR_INVALID);
	assert_int_equal(x, 0);
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "mp4", 1, 1, 0, 1, &x), ERR_INVALID);
	assert_int_equal(store_media_add(st, a, MEDIA_VIDEO, "png", 1, 1, 0, 1, &x), ERR_INVALID);
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, NULL, 1, 1, 0, 1, &x), ERR_INVALID);
	assert_int_equal(store_media_add(st, a, (enum media_kind)7, "png", 1, 1, 0, 1, &x),
	    ERR_INVALID);
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "png", 0, 10, 0, 1, &x), ERR_INVALID);
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "png", 10, 10, 0, 0, &x),
	    ERR_INVALID);
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "png", 10, 10, -1, 10, &x),
	    ERR_INVALID);
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "jpeg", 8000, 6000, 0, 10, &x),
	    ERR_INVALID);	/* 48 megapixels */
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "jpeg", 10, 10, 0,
	    11LL * 1024 * 1024, &x), ERR_INVALID);
	assert_int_equal(store_media_add(st, a, MEDIA_VIDEO, "webm", 10, 10, 0,
	    51LL * 1024 * 1024, &x), ERR_INVALID);
	assert_int_equal(store_media_add(st, 999, MEDIA_IMAGE, "png", 10, 10, 0, 10, &x),
	    ERR_NOTFOUND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM media"), 1);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM jobs"), 1);

	/* The worker's results. */
	v = video(st, a);
	assert_int_equal(store_media_ready(st, id, "mp4", 10, 10, 10, 0), ERR_INVALID);
	assert_int_equal(store_media_ready(st, id, "jpeg", 0, 10, 10, 0), ERR_INVALID);
	assert_int_equal(store_media_ready(st, id, "jpeg", 10, 10, 0, 0), ERR_INVALID);
	assert_int_equal(store_media_ready(st, 999, "jpeg", 10, 10, 10, 0), ERR_NOTFOUND);
	assert_int_equal(storefix_sql_intf(st, "SELECT state FROM media WHERE id = %lld", (long long)id),
	    MEDIA_PENDING);
	/* A stored PNG may outgrow its upload. */
	assert_int_equal(store_media_ready(st, id, "png", 2048, 2048, 16LL * 1024 * 1024, 0), 0);
	assert_int_equal(store_media_ready(st, id, "jpeg", 320, 240, 4000, 0), 0);
	assert_int_equal(store_media_ready(st, v, "mp4", 1280, 720, 2999000, 9100), 0);
	assert_int_equal(store_media_get(st, a, id, &m), 0);
	assert_int_equal(m.state, MEDIA_READY);
	assert_string_equal(m.format, "png");
	assert_string_equal(m.stored_format, "jpeg");
	assert_int_equal(m.width, 320);
	assert_int_equal(m.height, 240);
	assert_int_equal(m.stored_bytes, 4000);
	media_free(&m);
	assert_int_equal(store_media_get(st, a, v, &m), 0);
	assert_int_equal(m.kind, MEDIA_VIDEO);
	assert_int_equal(m.duration_ms, 9100);
	assert_string_equal(m.stored_format, "mp4");
	media_free(&m);
	x = image(st, a);
	assert_int_equal(store_media_failed(st, x, "the image is truncated or damaged"), 0);
	assert_int_equal(store_media_failed(st, 999, "x"), ERR_NOTFOUND);
	assert_int_equal(store_media_get(st, a, x, &m), 0);
	assert_int_equal(m.state, MEDIA_FAILED);
	assert_string_equal(m.error, "the image is truncated or damaged");
	media_free(&m);

	/* The worker reads any item, as its owner would; people only what the rule allows. */
	assert_false(sees_media(st, b, id));
	assert_int_equal(store_media_worker_get(st, id, &m), 0);
	assert_int_equal(m.owner_id, a);
	assert_string_equal(m.format, "png");
	media_free(&m);
	assert_int_equal(store_media_worker_get(st, 999, &m), ERR_NOTFOUND);
	assert_false(sees_media(st, a, 999));
}

static void
test_gallery_pages(void **state)
{
	struct store		*st = *state;
	int64_t			 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), ids[25], before;
	struct media_list	 l;
	size_t			 i, n = 0;
	int			 pages = 0;

	for (i = 0; i < 25; i++)
		ids[i] = image(st, a);
	before = 0;
	do {
		assert_int_equal(store_media_gallery(st, a, a, before, 10, &l), 0);
		assert_true(l.n <= 10);
		for (i = 0; i < l.n; i++) {
			/* Newest first, every item once. */
			assert_int_equal(l.v[i].id, ids[24 - n]);
			assert_int_equal(l.v[i].owner_id, a);
			n++;
		}
		before = l.next_before;
		if (before != 0)
			assert_int_equal(l.n, 10);
		media_list_free(&l);
		pages++;
	} while (before != 0);
	assert_int_equal(n, 25);
	assert_int_equal(pages, 3);
	/* A page that ends exactly at the last item says there is no next one. */
	assert_int_equal(store_media_gallery(st, a, a, ids[5], 5, &l), 0);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.next_before, 0);
	media_list_free(&l);
	/* Limits. */
	assert_int_equal(store_media_gallery(st, a, a, 0, 0, &l), ERR_INVALID);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_media_gallery(st, a, a, 0, 100000, &l), 0);
	assert_int_equal(l.n, 25);
	media_list_free(&l);
	/* Unknown owner; an owner with nothing the viewer may see. */
	assert_int_equal(store_media_gallery(st, a, 999, 0, 10, &l), ERR_NOTFOUND);
	assert_int_equal(store_media_gallery(st, b, a, 0, 10, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.next_before, 0);
	media_list_free(&l);
	assert_int_equal(store_media_gallery(st, b, b, 0, 10, &l), 0);
	assert_int_equal(l.n, 0);
	media_list_free(&l);
}

static void
test_gallery_full(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), id = 0, first = 0;
	size_t		 i;

	for (i = 0; i < MEDIA_PER_USER_MAX; i++) {
		assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "jpeg", 10, 10, 0, 10, &id),
		    0);
		if (first == 0)
			first = id;
	}
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "jpeg", 10, 10, 0, 10, &id),
	    ERR_BUSY);
	assert_int_equal(id, 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM media"), MEDIA_PER_USER_MAX);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM jobs"), MEDIA_PER_USER_MAX);
	/* The cap is per user ... */
	(void)image(st, b);
	/* ... and deleting one makes room. */
	assert_int_equal(store_media_delete(st, a, first, NULL), 0);
	(void)image(st, a);
	assert_int_equal(store_media_add(st, a, MEDIA_IMAGE, "jpeg", 10, 10, 0, 10, &id),
	    ERR_BUSY);
}

static void
test_media_posts(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), m = image(st, a), other = image(st, a);
	int64_t		 p1, p2, *posts = NULL;
	size_t		 n = 0;

	assert_int_equal(store_media_posts(st, m, &posts, &n), 0);
	assert_int_equal(n, 0);
	free(posts);
	p1 = mpost(st, a, "one", VIS_PUBLIC, &m, 1);
	p2 = mpost(st, a, "two", VIS_PRIVATE, &m, 1);
	(void)mpost(st, a, "three", VIS_PUBLIC, &other, 1);
	assert_int_equal(store_media_posts(st, m, &posts, &n), 0);
	assert_int_equal(n, 2);
	assert_true((posts[0] == p1 && posts[1] == p2) || (posts[0] == p2 && posts[1] == p1));
	free(posts);
}

static void
test_upload_rate(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), now = (int64_t)time(NULL);
	int64_t		 first = 0, id;
	char		 why[160];
	int		 i;

	for (i = 0; i < MEDIA_UPLOADS_PER_WINDOW; i++) {
		assert_int_equal(store_media_upload_allowed(st, a, now, 0, why, sizeof why), 0);
		id = image(st, a);
		if (first == 0)
			first = id;
	}
	assert_int_equal(store_media_upload_allowed(st, a, now, 0, why, sizeof why), ERR_BUSY);
	assert_non_null(strstr(why, "too many uploads"));
	/* Per user, and over once the window has passed. */
	assert_int_equal(store_media_upload_allowed(st, b, now, 0, why, sizeof why), 0);
	/* Transfers still arriving count as done: bob with 29 of them may start one more only. */
	assert_int_equal(store_media_upload_allowed(st, b, now, MEDIA_UPLOADS_PER_WINDOW - 1, why,
	    sizeof why), 0);
	assert_int_equal(store_media_upload_allowed(st, b, now, MEDIA_UPLOADS_PER_WINDOW, why,
	    sizeof why), ERR_BUSY);
	assert_non_null(strstr(why, "too many uploads"));
	assert_int_equal(store_media_upload_allowed(st, a, now + MEDIA_UPLOAD_WINDOW + 1, 0, why,
	    sizeof why), 0);
	/* A deleted upload no longer counts. */
	assert_int_equal(store_media_delete(st, a, first, NULL), 0);
	assert_int_equal(store_media_upload_allowed(st, a, now, 0, why, sizeof why), 0);
}

/* ---- privacy ----------------------------------------------------------------------- */

enum who { OWNER, FRIEND, STRANGER, BLOCKED, BLOCKER, NWHO };
static const char *const who_names[] = { "owner", "friend", "stranger", "blocked", "blocker" };

enum item { M_PUBLIC, M_FRIENDS, M_PRIVATE, M_LOOSE, M_AVATAR, M_BACKGROUND, NITEM };
static const char *const item_names[] = { "public post", "friends post", "private post",
    "unattached", "avatar", "background" };

struct cast {
	int64_t	id[NWHO];
	int64_t	item[NITEM];
	int64_t	post[3];	/* by visibility */
	int64_t	share;		/* the stranger's share of the public post */
};

static void
cast_make(struct store *st, struct cast *c)
{
	char	why[256];
	int	v;

	c->id[OWNER] = storefix_user(st, "owner", NULL);
	c->id[FRIEND] = storefix_user(st, "friend", NULL);
	c->id[STRANGER] = storefix_user(st, "stranger", NULL);
	c->id[BLOCKED] = storefix_user(st, "blocked", NULL);
	c->id[BLOCKER] = storefix_user(st, "blocker", NULL);
	storefix_befriend(st, c->id[OWNER], c->id[FRIEND]);
	/* Friends once, so only the blocks keep them out. */
	storefix_befriend(st, c->id[OWNER], c->id[BLOCKED]);
	storefix_befriend(st, c->id[OWNER], c->id[BLOCKER]);
	storefix_block(st, c->id[OWNER], c->id[BLOCKED]);
	storefix_block(st, c->id[BLOCKER], c->id[OWNER]);
	for (v = 0; v < NITEM; v++)
		c->item[v] = image(st, c->id[OWNER]);
	for (v = VIS_PUBLIC; v <= VIS_PRIVATE; v++)
		c->post[v] = mpost(st, c->id[OWNER], "look", (enum visibility)v, &c->item[v], 1);
	assert_int_equal(store_profile_set_image(st, c->id[OWNER], PROFILE_AVATAR,
	    c->item[M_AVATAR], why, sizeof why), 0);
	assert_int_equal(store_profile_set_image(st, c->id[OWNER], PROFILE_BACKGROUND,
	    c->item[M_BACKGROUND], why, sizeof why), 0);
	assert_int_equal(store_share(st, c->id[STRANGER], c->post[VIS_PUBLIC], "see this",
	    VIS_PUBLIC, &c->share, &(int64_t){ 0 }, why, sizeof why), 0);
}

/* Every read agrees with the expectation for each viewer and item. */
static void
check_matrix(struct store *st, const struct cast *c, const bool expect[NWHO][NITEM])
{
	int64_t		ids[POST_MEDIA_MAX];
	struct media	m;
	int		w, i;
	bool		s;

	for (w = 0; w < NWHO; w++)
		for (i = 0; i < NITEM; i++) {
			s = sees_media(st, c->id[w], c->item[i]);
			if (s != expect[w][i])
				fail_msg("%s %s the %s item", who_names[w],
				    s ? "sees" : "does not see", item_names[i]);
			if (in_gallery(st, c->id[w], c->id[OWNER], c->item[i]) != s)
				fail_msg("the gallery disagrees for %s and the %s item",
				    who_names[w], item_names[i]);
			if (!s)
				continue;
			/* What an item tells a viewer is what that viewer may know. */
			assert_int_equal(store_media_get(st, c->id[w], c->item[i], &m), 0);
			assert_int_equal(m.is_avatar, i == M_AVATAR);
			assert_int_equal(m.is_background, i == M_BACKGROUND);
			assert_int_equal(m.post_count, i <= M_PRIVATE ? 1 : 0);
			media_free(&m);
		}
	/* The posts carry exactly the items of the posts the viewer sees. */
	for (w = 0; w < NWHO; w++)
		for (i = M_PUBLIC; i <= M_PRIVATE; i++) {
			long n = post_media_of(st, c->id[w], c->post[i], ids);

			assert_int_equal(n >= 0, expect[w][i]);
			if (n >= 0) {
				assert_int_equal(n, 1);
				assert_int_equal(ids[0], c->item[i]);
			}
		}
}

static void
test_privacy_matrix(void **state)
{
	struct store	*st = *state;
	struct cast	 c;
	/* Public profile. */
	static const bool pub[NWHO][NITEM] = {
		/*		public	friends	private	loose	avatar	bground */
		[OWNER] =	{ 1,	1,	1,	1,	1,	1 },
		[FRIEND] =	{ 1,	1,	0,	0,	1,	1 },
		[STRANGER] =	{ 1,	0,	0,	0,	1,	1 },
		[BLOCKED] =	{ 0,	0,	0,	0,	0,	0 },
		[BLOCKER] =	{ 0,	0,	0,	0,	0,	0 },
	};
	static const bool friends[NWHO][NITEM] = {
		[OWNER] =	{ 1,	1,	1,	1,	1,	1 },
		[FRIEND] =	{ 1,	1,	0,	0,	1,	1 },
		[STRANGER] =	{ 1,	0,	0,	0,	1,	0 },
		[BLOCKED] =	{ 0,	0,	0,	0,	0,	0 },
		[BLOCKER] =	{ 0,	0,	0,	0,	0,	0 },
	};
	static const bool priv[NWHO][NITEM] = {
		[OWNER] =	{ 1,	1,	1,	1,	1,	1 },
		[FRIEND] =	{ 1,	1,	0,	0,	1,	0 },
		[STRANGER] =	{ 1,	0,	0,	0,	1,	0 },
		[BLOCKED] =	{ 0,	0,	0,	0,	0,	0 },
		[BLOCKER] =	{ 0,	0,	0,	0,	0,	0 },
	};

	cast_make(st, &c);
	check_matrix(st, &c, pub);
	set_privacy(st, c.id[OWNER], "friends");
	check_matrix(st, &c, friends);
	set_privacy(st, c.id[OWNER], "private");
	check_matrix(st, &c, priv);
}

/* The gallery of someone who blocked you does not exist; of someone you blocked, it is empty. */
static void
test_gallery_blocks(void **state)
{
	struct store		*st = *state;
	struct cast		 c;
	struct media_list	 l;

	cast_make(st, &c);
	assert_int_equal(store_media_gallery(st, c.id[BLOCKED], c.id[OWNER], 0, 10, &l),
	    ERR_NOTFOUND);
	assert_int_equal(store_media_gallery(st, c.id[BLOCKER], c.id[OWNER], 0, 10, &l), 0);
	assert_int_equal(l.n, 0);
	media_list_free(&l);
	assert_int_equal(store_media_gallery(st, c.id[STRANGER], c.id[OWNER], 0, 10, &l), 0);
	assert_int_equal(l.n, 3);	/* background, avatar, the public post's */
	media_list_free(&l);
	assert_int_equal(store_media_gallery(st, c.id[OWNER], c.id[OWNER], 0, 10, &l), 0);
	assert_int_equal(l.n, NITEM);
	media_list_free(&l);
}

/* What a profile and a post say about the images, per viewer. */
static void
test_profile_fields(void **state)
{
	struct store	*st = *state;
	struct cast	 c;
	struct profile	 p;
	struct post	 po;
	int64_t		 mid;
	int		 w;

	cast_make(st, &c);
	for (w = OWNER; w <= STRANGER; w++) {
		p = profile_of(st, c.id[w], "owner");
		assert_int_equal(p.avatar_media, c.item[M_AVATAR]);
		assert_int_equal(p.background_media, c.item[M_BACKGROUND]);
		profile_free(&p);
		assert_int_equal(store_profile_image(st, c.id[w], c.id[OWNER], PROFILE_AVATAR,
		    &mid), 0);
		assert_int_equal(mid, c.item[M_AVATAR]);
		assert_int_equal(store_profile_image(st, c.id[w], c.id[OWNER],
		    PROFILE_BACKGROUND, &mid), 0);
		assert_int_equal(mid, c.item[M_BACKGROUND]);
	}
	/* The owner blocked this one: the owner does not exist for them. */
	assert_int_equal(store_profile_get(st, c.id[BLOCKED], "owner", &p), ERR_NOTFOUND);
	assert_int_equal(store_profile_image(st, c.id[BLOCKED], c.id[OWNER], PROFILE_AVATAR,
	    &mid), ERR_NOTFOUND);
	assert_int_equal(mid, 0);
	/* This one blocked the owner: the profile is found (to unblock), the images are not shown. */
	p = profile_of(st, c.id[BLOCKER], "owner");
	assert_int_equal(p.relation, REL_BLOCKED);
	assert_int_equal(p.avatar_media, 0);
	assert_int_equal(p.background_media, 0);
	profile_free(&p);
	assert_int_equal(store_profile_image(st, c.id[BLOCKER], c.id[OWNER], PROFILE_AVATAR,
	    &mid), 0);
	assert_int_equal(mid, 0);
	assert_int_equal(store_profile_image(st, c.id[BLOCKER], c.id[OWNER],
	    PROFILE_BACKGROUND, &mid), 0);
	assert_int_equal(mid, 0);
	assert_int_equal(store_profile_image(st, c.id[OWNER], 999, PROFILE_AVATAR, &mid),
	    ERR_NOTFOUND);

	/* Friends-only and private profiles: the stranger keeps the avatar, loses the background. */
	set_privacy(st, c.id[OWNER], "private");
	p = profile_of(st, c.id[STRANGER], "owner");
	assert_false(p.full);
	assert_int_equal(p.avatar_media, c.item[M_AVATAR]);
	assert_int_equal(p.background_media, 0);
	profile_free(&p);
	assert_int_equal(store_profile_image(st, c.id[STRANGER], c.id[OWNER],
	    PROFILE_BACKGROUND, &mid), 0);
	assert_int_equal(mid, 0);
	p = profile_of(st, c.id[OWNER], "owner");
	assert_int_equal(p.background_media, c.item[M_BACKGROUND]);
	profile_free(&p);
	set_privacy(st, c.id[OWNER], "friends");
	p = profile_of(st, c.id[FRIEND], "owner");
	assert_int_equal(p.background_media, c.item[M_BACKGROUND]);
	profile_free(&p);
	p = profile_of(st, c.id[STRANGER], "owner");
	assert_int_equal(p.background_media, 0);
	assert_int_equal(p.avatar_media, c.item[M_AVATAR]);
	profile_free(&p);

	/*
	 * The background also shown in a public post: the stranger sees the
	 * item through the post, but is not told it is the hidden background.
	 */
	{
		int64_t bg = c.item[M_BACKGROUND];
		struct media m;

		(void)mpost(st, c.id[OWNER], "my background", VIS_PUBLIC, &bg, 1);
		assert_int_equal(store_media_get(st, c.id[STRANGER], bg, &m), 0);
		assert_false(m.is_background);
		assert_int_equal(m.post_count, 1);
		media_free(&m);
		assert_int_equal(store_media_get(st, c.id[OWNER], bg, &m), 0);
		assert_true(m.is_background);
		media_free(&m);
	}

	/* Posts carry the author's avatar, for the stranger's share and its original alike. */
	assert_int_equal(store_post_get(st, c.id[FRIEND], c.share, &po), 0);
	assert_int_equal(po.author_id, c.id[STRANGER]);
	assert_int_equal(po.author_avatar_media, 0);
	assert_int_equal(po.nmedia, 0);
	assert_non_null(po.original);
	assert_int_equal(po.original->author_avatar_media, c.item[M_AVATAR]);
	assert_int_equal(po.original->nmedia, 1);
	assert_int_equal(po.original->media[0].id, c.item[M_PUBLIC]);
	post_free(&po);
}

/* Every list of posts fills the media: Home, For You, timelines, search, shares. */
static void
test_feeds_fill_media(void **state)
{
	struct store		*st = *state;
	int64_t			 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL);
	int64_t			 m[3], v, p1, p2, p3;
	struct post_page	 pg;
	size_t			 i, seen;
	char			 why[256];

	storefix_befriend(st, a, b);
	m[0] = image(st, a);
	m[1] = image(st, a);
	m[2] = image(st, a);
	v = video(st, a);
	assert_int_equal(store_media_ready(st, v, "mp4", 1280, 720, 2000000, 9000), 0);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, m[0], why, sizeof why),
	    0);
	p1 = mpost(st, a, "three #pics", VIS_FRIENDS, m, 3);
	p2 = mpost(st, a, "", VIS_PUBLIC, &v, 1);
	p3 = mpost(st, a, "plain #pics", VIS_PUBLIC, NULL, 0);

#define CHECK_PAGE(call) do {							\
	assert_int_equal((call), 0);						\
	seen = 0;								\
	for (i = 0; i < pg.n; i++) {						\
		if (pg.v[i].author_id == a)					\
			assert_int_equal(pg.v[i].author_avatar_media, m[0]);	\
		if (pg.v[i].id == p1) {						\
			seen++;							\
			assert_int_equal(pg.v[i].nmedia, 3);			\
			assert_int_equal(pg.v[i].media[0].id, m[0]);		\
			assert_int_equal(pg.v[i].media[1].id, m[1]);		\
			assert_int_equal(pg.v[i].media[2].id, m[2]);		\
			assert_int_equal(pg.v[i].media[2].kind, MEDIA_IMAGE);	\
			assert_int_equal(pg.v[i].media[2].state, MEDIA_PENDING); \
			assert_int_equal(pg.v[i].media[2].width, 640);		\
		} else if (pg.v[i].id == p2) {					\
			seen++;							\
			assert_int_equal(pg.v[i].nmedia, 1);			\
			assert_int_equal(pg.v[i].media[0].id, v);		\
			assert_int_equal(pg.v[i].media[0].kind, MEDIA_VIDEO);	\
			assert_int_equal(pg.v[i].media[0].state, MEDIA_READY);	\
			assert_int_equal(pg.v[i].media[0].duration_ms, 9000);	\
			assert_string_equal(pg.v[i].text, "");			\
		} else if (pg.v[i].id == p3) {					\
			assert_int_equal(pg.v[i].nmedia, 0);			\
		}								\
	}									\
	post_page_free(&pg);							\
} while (0)

	CHECK_PAGE(store_feed_home(st, b, NULL, 20, &pg));
	assert_int_equal(seen, 2);
	CHECK_PAGE(store_feed_foryou(st, b, NULL, 20, &pg));
	assert_int_equal(seen, 2);
	CHECK_PAGE(store_timeline(st, b, a, NULL, 20, &pg));
	assert_int_equal(seen, 2);
	CHECK_PAGE(store_timeline(st, a, a, NULL, 20, &pg));
	assert_int_equal(seen, 2);
	CHECK_PAGE(store_search_posts(st, b, "#pics", NULL, 20, &pg));
	assert_int_equal(seen, 1);
#undef CHECK_PAGE
}

/* ---- posts with media ------------------------------------------------------------ */

static void
test_post_create_rules(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL);
	int64_t		 img[5], v, v2, bimg, bhidden, bad, id, got[POST_MEDIA_MAX], *mentioned;
	int64_t		 mix[2];
	size_t		 i, nmentioned;
	char		 why[256];

	for (i = 0; i < 5; i++)
		img[i] = image(st, a);
	v = video(st, a);
	v2 = video(st, a);
	bimg = image(st, b);
	bhidden = image(st, b);
	(void)mpost(st, b, "mine", VIS_PUBLIC, &bimg, 1);	/* alice can see it */
	bad = image(st, a);
	assert_int_equal(store_media_failed(st, bad, "the image is truncated or damaged"), 0);

	assert_int_equal(mpost_refused(st, a, "five", img, 5, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "up to 4 images or 1 video"));
	mix[0] = img[0];
	mix[1] = v;
	assert_int_equal(mpost_refused(st, a, "mixed", mix, 2, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "up to 4 images or 1 video"));
	mix[0] = v;
	mix[1] = v2;
	assert_int_equal(mpost_refused(st, a, "two videos", mix, 2, why, sizeof why),
	    ERR_INVALID);
	mix[0] = img[1];
	mix[1] = img[1];
	assert_int_equal(mpost_refused(st, a, "twice", mix, 2, why, sizeof why), ERR_INVALID);
	mix[0] = img[0];
	mix[1] = bimg;
	assert_int_equal(mpost_refused(st, a, "theirs", mix, 2, why, sizeof why), ERR_DENIED);
	assert_non_null(strstr(why, "not yours"));
	assert_int_equal(mpost_refused(st, a, "hidden", &bhidden, 1, why, sizeof why),
	    ERR_NOTFOUND);
	id = 424242;
	assert_int_equal(mpost_refused(st, a, "absent", &id, 1, why, sizeof why), ERR_NOTFOUND);
	assert_non_null(strstr(why, "424242"));
	assert_int_equal(mpost_refused(st, a, "failed", &bad, 1, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "could not be processed"));
	/* Text rules still hold. */
	assert_int_equal(mpost_refused(st, a, "", NULL, 0, why, sizeof why), ERR_INVALID);
	assert_int_equal(mpost_refused(st, a, NULL, NULL, 0, why, sizeof why), ERR_INVALID);
	assert_int_equal(mpost_refused(st, a, "bad \x1b[2J", img, 1, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_post_create_media(st, a, "vis", (enum visibility)9, img, 1, &id,
	    NULL, NULL, why, sizeof why), ERR_INVALID);

	/* Empty text is fine with media; the order given is kept. */
	id = mpost(st, a, "", VIS_PUBLIC, img, 4);
	assert_int_equal(post_media_of(st, b, id, got), 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(got[i], img[i]);
	id = mpost(st, a, NULL, VIS_PUBLIC, &v, 1);
	assert_int_equal(post_media_of(st, a, id, got), 1);
	assert_int_equal(got[0], v);
	/* The same item may go into several posts; a pending one is fine. */
	mix[0] = img[3];
	mix[1] = img[0];
	id = mpost(st, a, "again", VIS_PRIVATE, mix, 2);
	assert_int_equal(post_media_of(st, a, id, got), 2);
	assert_int_equal(got[0], img[3]);
	assert_int_equal(got[1], img[0]);
	/* An edit may empty the text of a post with media, not of one without. */
	assert_int_equal(store_post_edit(st, a, id, "", NULL, NULL, why, sizeof why), 0);
	assert_int_equal(store_post_edit(st, a, id, "words after all", NULL, NULL, why,
	    sizeof why), 0);
	/* Without media it is store_post_create. */
	id = mpost(st, a, "just words", VIS_PUBLIC, NULL, 0);
	assert_int_equal(post_media_of(st, a, id, got), 0);
	assert_int_equal(store_post_edit(st, a, id, " ", NULL, NULL, why, sizeof why),
	    ERR_INVALID);
	/* Mentions and hashtags work as in any post. */
	assert_int_equal(store_post_create_media(st, a, "@bob #cats", VIS_PUBLIC, &img[4], 1,
	    &id, &mentioned, &nmentioned, why, sizeof why), 0);
	assert_int_equal(nmentioned, 1);
	assert_int_equal(mentioned[0], b);
	free(mentioned);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM post_tags WHERE post_id = %lld "
	    "AND tag = 'cats'", (long long)id), 1);
	/* An unknown author. */
	assert_int_equal(store_post_create_media(st, 999, "who", VIS_PUBLIC, NULL, 0, &id, NULL,
	    NULL, why, sizeof why), ERR_NOTFOUND);
}

/* ---- deleting ---------------------------------------------------------------------- */

static void
test_delete(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL);
	int64_t		 m[2], loose, p, got[POST_MEDIA_MAX];
	struct profile	 pr;
	struct post	 po;
	char		*fmt = NULL, why[256];
	uint8_t		 blob[] = { 1, 2, 3 };

	m[0] = image(st, a);
	m[1] = image(st, a);
	loose = image(st, a);
	p = mpost(st, a, "two pictures", VIS_PUBLIC, m, 2);
	assert_int_equal(store_media_ready(st, m[0], "jpeg", 10, 10, 10, 0), 0);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, m[0], why, sizeof why),
	    0);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_BACKGROUND, m[0], why,
	    sizeof why), 0);
	assert_int_equal(store_preview_put(st, m[0], 40, 12, 16, blob, sizeof blob), 0);

	/* Others cannot: someone else's they can see, or one they cannot even see. */
	fmt = (char *)"untouched";
	assert_int_equal(store_media_delete(st, b, m[0], &fmt), ERR_DENIED);
	assert_null(fmt);
	assert_int_equal(store_media_delete(st, b, loose, NULL), ERR_NOTFOUND);
	assert_int_equal(store_media_delete(st, a, 999, NULL), ERR_NOTFOUND);
	assert_true(sees_media(st, a, loose));

	assert_int_equal(store_media_delete(st, a, m[0], &fmt), 0);
	assert_string_equal(fmt, "jpeg");
	free(fmt);
	assert_false(sees_media(st, a, m[0]));
	/* The post keeps its text and other picture. */
	assert_int_equal(post_media_of(st, b, p, got), 1);
	assert_int_equal(got[0], m[1]);
	assert_int_equal(store_post_get(st, b, p, &po), 0);
	assert_string_equal(po.text, "two pictures");
	assert_int_equal(po.author_avatar_media, 0);
	post_free(&po);
	/* No longer avatar or background; previews and its job gone. */
	pr = profile_of(st, a, "alice");
	assert_int_equal(pr.avatar_media, 0);
	assert_int_equal(pr.background_media, 0);
	profile_free(&pr);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM media_previews"), 0);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM jobs WHERE arg = %lld",
	    (long long)m[0]), 0);
	/* A pending item has no stored copy yet. */
	assert_int_equal(store_media_delete(st, a, loose, &fmt), 0);
	assert_string_equal(fmt, "");
	free(fmt);

	/* Deleting the post detaches; the item stays in the gallery. */
	assert_int_equal(store_post_delete(st, a, p), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM post_media"), 0);
	assert_true(sees_media(st, a, m[1]));
	assert_false(sees_media(st, b, m[1]));
}

/* Deleting an account takes its media, attachments, previews and profile images with it. */
static void
test_user_delete(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), m, bm, p, share;
	uint8_t		 blob[] = { 9 };
	char		 why[256];
	struct post	 po;

	m = image(st, a);
	bm = image(st, b);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, m, why, sizeof why), 0);
	assert_int_equal(store_profile_set_image(st, b, PROFILE_AVATAR, bm, why, sizeof why), 0);
	p = mpost(st, a, "hello", VIS_PUBLIC, &m, 1);
	assert_int_equal(store_share(st, b, p, NULL, VIS_PUBLIC, &share, &(int64_t){ 0 }, why,
	    sizeof why), 0);
	assert_int_equal(store_preview_put(st, m, 10, 5, 0, blob, sizeof blob), 0);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM jobs WHERE arg = %lld",
	    (long long)m), 1);
	assert_int_equal(store_user_delete(st, a), 0);
	/* Its waiting job went too; bob's stays. */
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM jobs WHERE arg = %lld",
	    (long long)m), 0);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM jobs WHERE arg = %lld",
	    (long long)bm), 1);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM media WHERE owner_id = %lld",
	    (long long)a), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM post_media"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM media_previews"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/* Bob and his avatar are untouched; his share shows the original gone. */
	assert_int_equal(store_post_get(st, b, share, &po), 0);
	assert_int_equal(po.original_state, ORIGINAL_DELETED);
	assert_int_equal(po.author_avatar_media, bm);
	post_free(&po);
}

/* ---- profile images ---------------------------------------------------------------- */

static void
test_set_image(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), b = storefix_user(st, "bob", NULL), img, v, bad, bimg, mid;
	char		 why[256];

	img = image(st, a);
	v = video(st, a);
	bad = image(st, a);
	bimg = image(st, b);
	assert_int_equal(store_media_failed(st, bad, "damaged"), 0);

	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, v, why, sizeof why),
	    ERR_INVALID);
	assert_non_null(strstr(why, "video"));
	assert_int_equal(store_profile_set_image(st, a, PROFILE_BACKGROUND, v, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, bad, why, sizeof why),
	    ERR_INVALID);
	assert_non_null(strstr(why, "could not be processed"));
	/* Bob's item, which alice cannot even see, then can (his avatar). */
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, bimg, why, sizeof why),
	    ERR_NOTFOUND);
	assert_int_equal(store_profile_set_image(st, b, PROFILE_AVATAR, bimg, why, sizeof why),
	    0);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, bimg, why, sizeof why),
	    ERR_DENIED);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, 999, why, sizeof why),
	    ERR_NOTFOUND);
	assert_int_equal(store_profile_set_image(st, a, (enum profile_image)5, img, why,
	    sizeof why), ERR_INVALID);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM users WHERE id = %lld AND "
	    "avatar_media IS NULL AND background_media IS NULL", (long long)a), 1);

	/* A pending image may be set (it shows once ready); 0 clears. */
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, img, why, sizeof why), 0);
	assert_int_equal(store_profile_image(st, b, a, PROFILE_AVATAR, &mid), 0);
	assert_int_equal(mid, img);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, 0, why, sizeof why), 0);
	assert_int_equal(store_profile_image(st, b, a, PROFILE_AVATAR, &mid), 0);
	assert_int_equal(mid, 0);
	assert_int_equal(store_profile_set_image(st, 999, PROFILE_AVATAR, 0, why, sizeof why),
	    ERR_NOTFOUND);
	/* An item that fails later stops being the avatar. */
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, img, why, sizeof why), 0);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_BACKGROUND, img, why,
	    sizeof why), 0);
	assert_int_equal(store_media_failed(st, img, "cannot decode"), 0);
	assert_int_equal(store_profile_image(st, a, a, PROFILE_AVATAR, &mid), 0);
	assert_int_equal(mid, 0);
	assert_int_equal(store_profile_image(st, a, a, PROFILE_BACKGROUND, &mid), 0);
	assert_int_equal(mid, 0);
	/* Bob's is untouched. */
	assert_int_equal(store_profile_image(st, a, b, PROFILE_AVATAR, &mid), 0);
	assert_int_equal(mid, bimg);
}

/* ---- the preview cache ------------------------------------------------------------- */

static void
test_previews(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), m = image(st, a), m2 = image(st, a);
	uint8_t		 one[] = { 1, 2, 3, 4 }, two[] = { 5, 6 }, *blob = NULL;
	size_t		 n = 0;
	int		 i;

	assert_int_equal(store_preview_get(st, m, 40, 12, 16, &blob, &n), ERR_NOTFOUND);
	assert_null(blob);
	assert_int_equal(store_preview_put(st, m, 40, 12, 16, one, sizeof one), 0);
	assert_int_equal(store_preview_get(st, m, 40, 12, 16, &blob, &n), 0);
	assert_int_equal(n, sizeof one);
	assert_memory_equal(blob, one, n);
	free(blob);
	/* Another shape or colour is another entry. */
	assert_int_equal(store_preview_get(st, m, 40, 12, 0, &blob, &n), ERR_NOTFOUND);
	assert_int_equal(store_preview_get(st, m, 41, 12, 16, &blob, &n), ERR_NOTFOUND);
	assert_int_equal(store_preview_get(st, m2, 40, 12, 16, &blob, &n), ERR_NOTFOUND);
	/* put replaces. */
	assert_int_equal(store_preview_put(st, m, 40, 12, 16, two, sizeof two), 0);
	assert_int_equal(store_preview_get(st, m, 40, 12, 16, &blob, &n), 0);
	assert_int_equal(n, sizeof two);
	assert_memory_equal(blob, two, n);
	free(blob);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM media_previews"), 1);
	/* Bad input; an item that does not exist. */
	assert_int_equal(store_preview_put(st, m, 0, 12, 16, one, sizeof one), ERR_INVALID);
	assert_int_equal(store_preview_put(st, m, 40, 12, 16, NULL, 0), ERR_INVALID);
	/* the number of colours is 0, 8, 16 or 256, each its own row */
	assert_int_equal(store_preview_put(st, m, 40, 12, 1, one, sizeof one), ERR_INVALID);
	assert_int_equal(store_preview_put(st, m, 40, 12, 255, one, sizeof one), ERR_INVALID);
	assert_int_equal(store_preview_get(st, m, 40, 12, 1, &blob, &n), ERR_NOTFOUND);
	assert_int_equal(store_preview_put(st, m, 40, 12, 256, one, sizeof one), 0);
	assert_int_equal(store_preview_put(st, m, 40, 12, 8, two, sizeof two), 0);
	assert_int_equal(store_preview_get(st, m, 40, 12, 256, &blob, &n), 0);
	assert_memory_equal(blob, one, sizeof one);
	free(blob);
	assert_int_equal(store_preview_get(st, m, 40, 12, 8, &blob, &n), 0);
	assert_memory_equal(blob, two, sizeof two);
	free(blob);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM media_previews"), 3);
	assert_int_equal(store_preview_put(st, 999, 40, 12, 16, one, sizeof one),
	    ERR_NOTFOUND);
	/* Many shapes of one item: a bounded number is kept, the newest always. */
	for (i = 1; i <= 40; i++)
		assert_int_equal(store_preview_put(st, m, 10 + i, 5, 0, one, sizeof one), 0);
	assert_true(storefix_sql_int(st, "SELECT count(*) FROM media_previews") <= 17);
	assert_int_equal(store_preview_get(st, m, 50, 5, 0, &blob, &n), 0);
	free(blob);
	/* Rows go with their item. */
	assert_int_equal(store_preview_put(st, m2, 40, 12, 16, one, sizeof one), 0);
	assert_int_equal(store_media_delete(st, a, m, NULL), 0);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM media_previews WHERE media_id = "
	    "%lld", (long long)m), 0);
	assert_int_equal(store_preview_get(st, m2, 40, 12, 16, &blob, &n), 0);
	free(blob);
}

/* ---- jobs ----------------------------------------------------------------------------- */

static void
counts(struct store *st, size_t q, size_t r, size_t f)
{
	size_t a, b, c;

	assert_int_equal(store_job_counts(st, &a, &b, &c), 0);
	assert_int_equal(a, q);
	assert_int_equal(b, r);
	assert_int_equal(c, f);
}

static void
test_jobs(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), m, now = store_now(), id, id2;
	struct job	 j, j2;
	bool		 final;

	/* Nothing to do. */
	assert_int_equal(store_job_claim(st, now, 60, &j), ERR_NOTFOUND);
	assert_int_equal(j.id, 0);
	counts(st, 0, 0, 0);

	/* An upload's job: claim, done. */
	m = image(st, a);
	assert_int_equal(store_job_claim(st, now, 60, &j), 0);
	assert_string_equal(j.kind, "media");
	assert_int_equal(j.arg, m);
	assert_int_equal(j.attempts, 1);
	counts(st, 0, 1, 0);
	/* Leased: nobody else gets it meanwhile. */
	assert_int_equal(store_job_claim(st, now + 59, 60, &j2), ERR_NOTFOUND);
	assert_int_equal(store_job_done(st, j.id), 0);
	counts(st, 0, 0, 0);
	assert_int_equal(store_job_done(st, j.id), ERR_NOTFOUND);

	/* Kinds. */
	assert_int_equal(store_job_add(st, "", 1, &id), ERR_INVALID);
	assert_int_equal(store_job_add(st, NULL, 1, &id), ERR_INVALID);
	assert_int_equal(store_job_add(st, "Media", 1, &id), ERR_INVALID);
	assert_int_equal(store_job_add(st, "a-b", 1, &id), ERR_INVALID);
	assert_int_equal(store_job_add(st, "abcdefghijklmnopqrstuvwxyzabcdefg", 1, &id),
	    ERR_INVALID);
	assert_int_equal(id, 0);
	assert_int_equal(store_job_add(st, "abcdefghijklmnopqrstuvwxyz_abcde", 7, &id), 0);
	assert_true(id > 0);

	/* The worker "crashes": once the lease runs out, the next claim takes it again. */
	assert_int_equal(store_job_claim(st, now, 30, &j), 0);
	assert_int_equal(j.id, id);
	assert_string_equal(j.kind, "abcdefghijklmnopqrstuvwxyz_abcde");
	assert_int_equal(j.arg, 7);
	assert_int_equal(store_job_claim(st, now + 29, 30, &j2), ERR_NOTFOUND);
	assert_int_equal(store_job_claim(st, now + 31, 30, &j2), 0);
	assert_int_equal(j2.id, id);
	assert_int_equal(j2.attempts, 2);
	counts(st, 0, 1, 0);
	assert_int_equal(store_job_done(st, id), 0);

	/* Oldest first. */
	assert_int_equal(store_job_add(st, "one", 1, &id), 0);
	assert_int_equal(store_job_add(st, "two", 2, &id2), 0);
	assert_int_equal(store_job_claim(st, now, 60, &j), 0);
	assert_int_equal(j.id, id);
	assert_int_equal(store_job_claim(st, now, 60, &j), 0);
	assert_int_equal(j.id, id2);
	assert_int_equal(store_job_done(st, id), 0);
	assert_int_equal(store_job_done(st, id2), 0);

	/* Failing: retried later, then failed for good after JOB_MAX_ATTEMPTS. */
	assert_int_equal(store_job_add(st, "flaky", 3, &id), 0);
	assert_int_equal(store_job_fail(st, id, now, 10, "not running", &final), ERR_NOTFOUND);
	assert_int_equal(store_job_claim(st, now, 60, &j), 0);
	assert_int_equal(j.attempts, 1);
	assert_int_equal(store_job_fail(st, id, now, 10, "try again", &final), 0);
	assert_false(final);
	counts(st, 1, 0, 0);
	assert_int_equal(store_job_claim(st, now + 9, 60, &j), ERR_NOTFOUND);
	assert_int_equal(store_job_claim(st, now + 10, 60, &j), 0);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(store_job_fail(st, id, now + 10, 10, "again", NULL), 0);
	assert_int_equal(store_job_claim(st, now + 20, 60, &j), 0);
	assert_int_equal(j.attempts, JOB_MAX_ATTEMPTS);
	assert_int_equal(store_job_fail(st, id, now + 20, 10, "broken for good", &final), 0);
	assert_true(final);
	counts(st, 0, 0, 1);
	assert_int_equal(store_job_claim(st, now + 100000, 60, &j), ERR_NOTFOUND);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM jobs WHERE id = %lld AND "
	    "error = 'broken for good'", (long long)id), 1);
	assert_int_equal(store_job_fail(st, 999, now, 10, "x", &final), ERR_NOTFOUND);
	assert_int_equal(store_job_claim(st, now, 0, &j), ERR_INVALID);
}

/* A job whose worker dies on every attempt is given up, and its item says so. */
static void
test_job_stuck(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), m = image(st, a), now = store_now();
	struct job	 j;
	struct media	 md;
	char		 why[256];
	int		 i;

	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, m, why, sizeof why), 0);
	for (i = 1; i <= JOB_MAX_ATTEMPTS; i++) {
		assert_int_equal(store_job_claim(st, now + 100 * i, 60, &j), 0);
		assert_int_equal(j.arg, m);
		assert_int_equal(j.attempts, i);
	}
	assert_int_equal(store_job_claim(st, now + 100 * i, 60, &j), ERR_NOTFOUND);
	counts(st, 0, 0, 1);
	assert_int_equal(store_media_get(st, a, m, &md), 0);
	assert_int_equal(md.state, MEDIA_FAILED);
	assert_true(strlen(md.error) > 0);
	assert_false(md.is_avatar);
	media_free(&md);
}

/* What place_fake was called with, and what it answers. */
static int64_t	placed_id;
static int	place_answer;

static int
place_fake(int64_t id, void *ctx)
{
	struct store *st = ctx;

	placed_id = id;
	/* inside the transaction: the row and its job are there to this connection */
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM jobs WHERE arg = "
	    "(SELECT max(id) FROM media)"), 1);
	return place_answer;
}

/*
 * store_media_add_placed moves the file inside the row's transaction: when
 * placing fails nothing is stored (no item, no job), when it works the item
 * and its job are committed with the id the file was named by.
 */
static void
test_media_add_placed(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), id = -1;

	place_answer = ERR_SYSTEM;
	assert_int_equal(store_media_add_placed(st, a, MEDIA_IMAGE, "png", 640, 480, 0, 12345,
	    place_fake, st, &id), ERR_SYSTEM);
	assert_int_equal(id, 0);
	assert_true(placed_id > 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM media"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM jobs"), 0);

	place_answer = 0;
	assert_int_equal(store_media_add_placed(st, a, MEDIA_IMAGE, "png", 640, 480, 0, 12345,
	    place_fake, st, &id), 0);
	assert_int_equal(id, placed_id);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM media WHERE state = 0"), 1);
	counts(st, 1, 0, 0);
}

/* The owners test_job_owner_dies treats as running. */
static int64_t live_owners[2];

static bool
fake_alive(int64_t owner, void *ctx)
{
	int *asked = ctx;

	(*asked)++;
	return owner == live_owners[0] || owner == live_owners[1];
}

/*
 * A worker killed mid-job: the job is taken again at once once its owner is
 * known to be dead, not after the lease (the chaos test found uploads
 * "processing" for two minutes behind a killed worker). A live owner keeps
 * its job, a job claimed without an owner keeps its lease, and the attempts
 * still count, so a job whose worker dies every time fails for good.
 */
static void
test_job_owner_dies(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "alice", NULL), m1, m2, m3, now = store_now();
	struct job	 j1, j2, j3, j;
	size_t		 released;
	int		 asked = 0;

	m1 = image(st, a);
	m2 = image(st, a);
	m3 = image(st, a);
	assert_int_equal(store_job_claim_as(st, now, 120, 4001, &j1), 0);	/* dies */
	assert_int_equal(store_job_claim_as(st, now, 120, 4002, &j2), 0);	/* lives */
	assert_int_equal(store_job_claim(st, now, 120, &j3), 0);		/* no owner */
	assert_int_equal(j1.arg, m1);
	assert_int_equal(j2.arg, m2);
	assert_int_equal(j3.arg, m3);
	live_owners[0] = 4002;
	live_owners[1] = 0;
	assert_int_equal(store_job_claim_as(st, now + 1, 120, 4003, &j), ERR_NOTFOUND);

	assert_int_equal(store_job_release_dead(st, now + 1, fake_alive, &asked, &released), 0);
	assert_int_equal(released, 1);
	assert_int_equal(asked, 2);	/* the owners of j1 and j2; j3 has none */
	assert_int_equal(store_job_claim_as(st, now + 1, 120, 4003, &j), 0);
	assert_int_equal(j.id, j1.id);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(store_job_claim_as(st, now + 1, 120, 4003, &j), ERR_NOTFOUND);

	/* its new owner dies too, and the next: the third death is the last */
	live_owners[0] = 4002;
	assert_int_equal(store_job_release_dead(st, now + 2, fake_alive, &asked, &released), 0);
	assert_int_equal(released, 1);
	assert_int_equal(store_job_claim_as(st, now + 2, 120, 4004, &j), 0);
	assert_int_equal(j.attempts, 3);
	assert_int_equal(store_job_release_dead(st, now + 3, fake_alive, &asked, &released), 0);
	assert_int_equal(released, 1);
	assert_int_equal(store_job_claim_as(st, now + 3, 120, 4005, &j), ERR_NOTFOUND);
	counts(st, 0, 2, 1);

	/* the living owner finishes; the ownerless job waits for its lease as before */
	assert_int_equal(store_job_done(st, j2.id), 0);
	live_owners[0] = 0;
	assert_int_equal(store_job_release_dead(st, now + 4, fake_alive, &asked, &released), 0);
	assert_int_equal(released, 0);
	assert_int_equal(store_job_claim_as(st, now + 119, 120, 4005, &j), ERR_NOTFOUND);
	assert_int_equal(store_job_claim_as(st, now + 120, 120, 4005, &j), 0);
	assert_int_equal(j.id, j3.id);
}

/* Jobs live in the database: a restart (a new connection) finds them. */
static void
test_jobs_survive_reopen(void **state)
{
	char		 dir[] = "/tmp/sshbook-media-XXXXXX", path[256];
	struct store	*st = NULL;
	struct job	 j;
	int64_t		 a, m1, m2, now = store_now();

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sshbook.db", dir);
	assert_int_equal(store_open(path, &st), 0);
	a = storefix_user(st, "alice", NULL);
	m1 = image(st, a);
	m2 = image(st, a);
	assert_int_equal(store_job_claim(st, now, 60, &j), 0);	/* the worker takes m1 ... */
	assert_int_equal(j.arg, m1);
	store_close(st);					/* ... and the machine stops */
	st = NULL;

	assert_int_equal(store_open(path, &st), 0);
	counts(st, 1, 1, 0);
	assert_int_equal(store_job_claim(st, now, 60, &j), 0);
	assert_int_equal(j.arg, m2);
	assert_int_equal(store_job_done(st, j.id), 0);
	assert_int_equal(store_job_claim(st, now + 61, 60, &j), 0);
	assert_int_equal(j.arg, m1);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(store_job_done(st, j.id), 0);
	counts(st, 0, 0, 0);
	store_close(st);
	storefix_remove_db(dir, path);
}

/* ---- the migration ----------------------------------------------------------------- */

/*
 * A real version-4 database (users, a friendship, posts, a share, a
 * message) takes migration 5: old posts load with no media, and media work
 * on the old rows.
 */
static void
test_migration_from_v4(void **state)
{
	char		 dir[] = "/tmp/sshbook-media-XXXXXX", path[256];
	struct store	*st = NULL;
	struct post	 p;
	struct profile	 pr;
	int64_t		 a = 1, b = 2, m, id, got[POST_MEDIA_MAX];
	char		 why[256];
	int		 r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sshbook.db", dir);
	store_migrate_limit = 4;
	r = store_open(path, &st);
	store_migrate_limit = 0;
	assert_int_equal(r, 0);
	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), 4);
	/* Rows the way version 4 made them. */
	assert_int_equal(sqlite3_exec(st->db,
	    "INSERT INTO users (username, display_name, created_at) VALUES "
	    "('alice', 'Alice', 0), ('bob', 'Bob', 0);"
	    "INSERT INTO friendships VALUES (1, 2, 0), (2, 1, 0);"
	    "INSERT INTO posts (author_id, text, visibility, created_at, active_at) "
	    "VALUES (1, 'old post', 0, 1, 1);"
	    "INSERT INTO posts (author_id, text, visibility, created_at, shared_from, active_at) "
	    "VALUES (2, 'old share', 0, 2, 1, 2);"
	    "INSERT INTO messages (from_id, to_id, text, created_at, rev) "
	    "VALUES (1, 2, 'hi', 3, 1);", NULL, NULL, NULL), SQLITE_OK);
	store_close(st);
	st = NULL;

	assert_int_equal(store_open(path, &st), 0);
	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(store_post_get(st, b, 2, &p), 0);
	assert_int_equal(p.nmedia, 0);
	assert_int_equal(p.author_avatar_media, 0);
	assert_non_null(p.original);
	assert_string_equal(p.original->text, "old post");
	assert_int_equal(p.original->nmedia, 0);
	post_free(&p);
	pr = profile_of(st, b, "alice");
	assert_int_equal(pr.avatar_media, 0);
	assert_int_equal(pr.background_media, 0);
	profile_free(&pr);
	/* The new tables on the old rows. */
	m = image(st, a);
	assert_int_equal(store_profile_set_image(st, a, PROFILE_AVATAR, m, why, sizeof why), 0);
	id = mpost(st, a, "", VIS_FRIENDS, &m, 1);
	assert_int_equal(post_media_of(st, b, id, got), 1);
	assert_int_equal(got[0], m);
	assert_int_equal(store_post_get(st, b, 1, &p), 0);
	assert_int_equal(p.author_avatar_media, m);
	post_free(&p);
	counts(st, 1, 0, 0);
	store_close(st);
	storefix_remove_db(dir, path);
}

/* PRAGMA integrity_check on st: its one row, which the caller frees. */
static char *
integrity(struct store *st)
{
	sqlite3_stmt	*stmt;
	char		*out;

	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &stmt, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	out = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return out;
}

/*
 * Operators run PRAGMA integrity_check: on a database with posts with
 * pictures it says "ok", both after the migration of a database made before
 * post_media was rebuilt (whose column order made SQLite 3.40 report "NULL
 * value in post_media.media_id") and on a new one. The pictures keep their
 * posts and their order through the rebuild, and the cascade still works.
 */
static void
test_integrity_check_with_media(void **state)
{
	char		 dir[] = "/tmp/sshbook-media-XXXXXX", path[256], *ic;
	struct store	*st = NULL;
	int64_t		 a, m[2], id, got[POST_MEDIA_MAX];
	int		 r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sshbook.db", dir);
	store_migrate_limit = 7;	/* the version before the post_media rebuild */
	r = store_open(path, &st);
	store_migrate_limit = 0;
	assert_int_equal(r, 0);
	a = storefix_user(st, "alice", "Alice");
	m[0] = image(st, a);
	m[1] = image(st, a);
	id = mpost(st, a, "two pictures", VIS_PUBLIC, (const int64_t[]){ m[1], m[0] }, 2);
	store_close(st);
	st = NULL;

	assert_int_equal(store_open(path, &st), 0);
	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), store_schema_version());
	ic = integrity(st);
	assert_string_equal(ic, "ok");
	free(ic);
	assert_int_equal(post_media_of(st, a, id, got), 2);
	assert_int_equal(got[0], m[1]);
	assert_int_equal(got[1], m[0]);
	/* New rows on the rebuilt table, then the cascade from a post. */
	mpost(st, a, "one more", VIS_PUBLIC, &m[0], 1);
	ic = integrity(st);
	assert_string_equal(ic, "ok");
	free(ic);
	assert_int_equal(sqlite3_exec(st->db, "DELETE FROM posts", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM post_media"), 0);
	store_close(st);
	storefix_remove_db(dir, path);
}

static void
test_free_tolerates_empty(void **state)
{
	struct media		m = { 0 };
	struct media_list	l = { 0 };

	(void)state;
	media_free(&m);
	media_free(NULL);
	media_list_free(&l);
	media_list_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_query_plans, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_add_get, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_gallery_pages, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_gallery_full, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_privacy_matrix, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_gallery_blocks, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_profile_fields, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_feeds_fill_media, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_post_create_rules, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_delete, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_user_delete, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_set_image, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_previews, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_upload_rate, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_media_posts, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_jobs, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_job_stuck, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_media_add_placed, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test_setup_teardown(test_job_owner_dies, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test(test_jobs_survive_reopen),
		cmocka_unit_test(test_migration_from_v4),
		cmocka_unit_test(test_integrity_check_with_media),
		cmocka_unit_test(test_free_tolerates_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
