/*
 * For You: a ranked feed of posts the viewer may see and did not write.
 * docs/foryou.md has the formula and the reasons; in short:
 *
 *   score = (1 + engagement) / (age_hours + 2)^1.5 * boosts
 *
 * ranked over a bounded candidate set: the newest FY_RECENT posts the
 * viewer may see plus the FY_ACTIVE most recently active ones, so a page
 * costs the same whatever the size of the network or the depth of the
 * scroll. One statement reads the candidates with everything the score
 * needs; the score, the order and the reasons are computed here.
 *
 * Pages agree through the cursor: as_of fixes the clock the ages count
 * from, before fixes the newest post id considered, and (score, score_id)
 * is where the last page ended. engagement is a high-water mark (it never
 * goes down, migration 3) and the boosts for recent activity only switch
 * on, so a post already shown cannot sink below the cursor and come back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

#define FY_RECENT	1500		/* the newest visible posts considered */
#define FY_ACTIVE	300		/* plus the most recently active ones ... */
#define FY_ACTIVE_SPAN	(2 * 86400)	/* ... within this long before as_of */
#define FY_FOF_FRIENDS	100		/* friends whose friends are looked at, at most */
#define FY_FOF_HUB	200		/* friends with more friends than this are skipped */

#define FY_HOUR		3600.0
#define FY_GRAVITY	1.5	/* (in fy_score as x * sqrt(x)) */
#define FY_POPULAR	10	/* reactions that make a post "popular" */
#define FY_LIVELY	5	/* comments that make it "lively" */

/* The boosts (docs/foryou.md). */
#define BOOST_HASHTAG	2.0	/* a hashtag of the post is one of the viewer's tags */
#define BOOST_AUTHOR_TAG 1.3	/* else the author shares a tag with the viewer */
#define BOOST_FOF	1.5	/* the author is a friend of a friend */
#define BOOST_FRIEND	1.2	/* the author is a friend */
#define BOOST_ACTIVE	1.25	/* reacted to, commented on or shared in the last day */

/*
 * ?1 viewer, ?2 newest id considered, ?3 FY_RECENT, ?4 as_of - FY_ACTIVE_SPAN,
 * ?5 FY_ACTIVE.
 * - vt: the viewer's tags.
 * - cand: the two sources, each under the privacy predicate, without the
 *   viewer's own posts.
 */
static const char sql_candidates[] =
	"WITH vt(tag) AS MATERIALIZED (SELECT tag FROM user_tags WHERE user_id = ?1"
	"), cand(id) AS ("
	" SELECT id FROM (SELECT p.id FROM posts p WHERE p.id <= ?2 AND p.author_id != ?1"
	"  AND " SQL_POST_VISIBLE("p", "?1") " ORDER BY p.id DESC LIMIT ?3)"
	" UNION"
	" SELECT id FROM (SELECT p.id FROM posts p WHERE p.active_at >= ?4 AND p.id <= ?2"
	"  AND p.author_id != ?1 AND " SQL_POST_VISIBLE("p", "?1")
	"  ORDER BY p.active_at DESC LIMIT ?5)"
	") SELECT p.id, p.author_id, p.created_at, p.active_at, p.engagement,"
	" p.n_like + p.n_love + p.n_haha + p.n_wow + p.n_sad + p.n_angry, p.n_comments,"
	" p.n_shares,"
	" EXISTS (SELECT 1 FROM friendships WHERE user_id = ?1 AND friend_id = p.author_id),"
	" (SELECT pt.tag FROM post_tags pt WHERE pt.post_id = p.id AND pt.tag IN vt"
	"  ORDER BY pt.tag LIMIT 1),"
	" (SELECT ut.tag FROM user_tags ut WHERE ut.user_id = p.author_id AND ut.tag IN vt"
	"  ORDER BY ut.tag LIMIT 1)"
	" FROM cand JOIN posts p ON p.id = cand.id";

struct fy_cand {
	int64_t	id;
	int64_t	author;
	int64_t	created_at;
	int64_t	active_at;
	int64_t	engagement;
	int64_t	reactions;
	int64_t	comments;
	int64_t	shares;
	bool	friend;
	bool	fof;		/* a friend of a friend, not a friend */
	int64_t	via;		/* then: the friend they are a friend of */
	char	tag[TAG_MAX + 1];	/* a hashtag of the post the viewer has, or "" */
	char	author_tag[TAG_MAX + 1];	/* a tag the author and the viewer share, or "" */
	double	score;
};

static void
copy_tag(sqlite3_stmt *stmt, int col, char *out)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(out, TAG_MAX + 1, "%s", s != NULL ? (const char *)s : "");
}

static bool
recently_active(const struct fy_cand *c, int64_t as_of)
{
	/* Activity beyond the post itself, within a day of as_of (or later: it only switches on). */
	return c->active_at > c->created_at && c->active_at >= as_of - 86400;
}

/*
 * The square root by Newton's method, for x >= 1: the storage library links
 * no libm, and this is exact enough and the same on every run (the order of
 * one cursor's pages depends on the scores being reproducible).
 */
static double
fy_sqrt(double x)
{
	double	g = x / 2.0 + 0.5, next;
	int	i;

	for (i = 0; i < 100; i++) {
		next = 0.5 * (g + x / g);
		if (next >= g)
			break;
		g = next;
	}
	return g;
}

static double
fy_score(const struct fy_cand *c, int64_t as_of)
{
	double	age = (double)(as_of > c->created_at ? as_of - c->created_at : 0) / FY_HOUR;
	/* (age + 2)^1.5: FY_GRAVITY */
	double	s = (1.0 + (double)c->engagement) / ((age + 2.0) * fy_sqrt(age + 2.0));

	if (c->tag[0] != '\0')
		s *= BOOST_HASHTAG;
	else if (c->author_tag[0] != '\0')
		s *= BOOST_AUTHOR_TAG;
	if (c->fof)
		s *= BOOST_FOF;
	else if (c->friend)
		s *= BOOST_FRIEND;
	if (recently_active(c, as_of))
		s *= BOOST_ACTIVE;
	return s;
}

/* Best first; ties by the newer id, so the order is total. */
static int
fy_cmp(const void *a, const void *b)
{
	const struct fy_cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

/*
 * Friends of friends, as a set of user ids, each with the friend it was
 * reached through. Built in C rather than SQL: it needs a cap per friend,
 * which SQLite cannot say in one statement, and the set is only probed. A
 * friend with more than FY_FOF_HUB friends is skipped: reading a hub's
 * thousands of friends costs more than the rest of the page (a DISTINCT set
 * of 20,000 took 10-20 ms on the generated network), and "knows someone who
 * knows everyone" says little. At most FY_FOF_FRIENDS friends are expanded
 * (the first by id: the oldest accounts; with 500 a viewer with thousands
 * of friends took 20-40 ms, with 100 the p99 of the page is about 15 ms).
 * Only friends whose friend list the viewer may see count (their profile
 * is not private), so neither the order nor the reason tells what a private
 * list holds.
 */
struct fy_fof {
	int64_t	*key;		/* open addressing, 0 free */
	int64_t	*via;
	size_t	 cap;		/* a power of two */
	size_t	 n;
};

static size_t
fof_slot(const struct fy_fof *f, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ULL;
	size_t	 i = (size_t)(h >> 20) & (f->cap - 1);

	while (f->key[i] != 0 && f->key[i] != id)
		i = (i + 1) & (f->cap - 1);
	return i;
}

static void
fof_add(struct fy_fof *f, int64_t id, int64_t via)
{
	struct fy_fof	 g;
	size_t		 i;

	if (2 * (f->n + 1) > f->cap) {
		g.cap = f->cap ? f->cap * 2 : 1024;
		g.n = 0;
		g.key = xcalloc(g.cap, sizeof *g.key);
		g.via = xcalloc(g.cap, sizeof *g.via);
		for (i = 0; i < f->cap; i++)
			if (f->key[i] != 0)
				fof_add(&g, f->key[i], f->via[i]);
		free(f->key);
		free(f->via);
		*f = g;
	}
	i = fof_slot(f, id);
	if (f->key[i] == 0) {
		f->key[i] = id;
		f->via[i] = via;
		f->n++;
	}
}

static int64_t
fof_via(const struct fy_fof *f, int64_t id)
{
	size_t i;

	if (f->cap == 0)
		return 0;
	i = fof_slot(f, id);
	return f->key[i] == id ? f->via[i] : 0;
}

static void
fof_free(struct fy_fof *f)
{
	free(f->key);
	free(f->via);
	memset(f, 0, sizeof *f);
}

/* The ids a statement bound (?1 id, ?2 limit) returns, at most max + 1 of them. */
static int
fof_ids(struct store *st, const char *sql, int64_t id, size_t max, int64_t *out, size_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*np = 0;
	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, (int64_t)max + 1);
	while ((r = stmt_row(st, stmt, "list friends")) == 1)
		out[(*np)++] = sqlite3_column_int64(stmt, 0);
	stmt_reset(stmt);
	return r;
}

static int
fy_fof_build(struct store *st, int64_t viewer, struct fy_fof *f)
{
	int64_t	*friends, *theirs;
	size_t	 nf, nt, i, j;
	int	 r;

	memset(f, 0, sizeof *f);
	friends = xcalloc(FY_FOF_FRIENDS + 1, sizeof *friends);
	theirs = xcalloc(FY_FOF_HUB + 1, sizeof *theirs);
	if ((r = fof_ids(st, "SELECT a.friend_id FROM friendships a JOIN users f ON "
	    "f.id = a.friend_id AND f.privacy != 2 WHERE a.user_id = ?1 LIMIT ?2", viewer,
	    FY_FOF_FRIENDS - 1, friends, &nf)) != 0)
		goto out;
	for (i = 0; i < nf; i++) {
		if ((r = fof_ids(st, "SELECT friend_id FROM friendships WHERE user_id = ?1 "
		    "LIMIT ?2", friends[i], FY_FOF_HUB, theirs, &nt)) != 0)
			goto out;
		if (nt > FY_FOF_HUB)
			continue;	/* a hub */
		for (j = 0; j < nt; j++)
			if (theirs[j] != viewer)
				fof_add(f, theirs[j], friends[i]);
	}
 out:
	if (r != 0)
		fof_free(f);
	free(friends);
	free(theirs);
	return r;
}

static int
fy_candidates(struct store *st, int64_t viewer, int64_t bound, int64_t as_of,
    const struct fy_fof *fof, struct fy_cand **vp, size_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	struct fy_cand	*c;
	size_t		 alloc = 0;
	int		 r;

	*vp = NULL;
	*np = 0;
	if ((r = stmt_get(st, sql_candidates, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, bound);
	sqlite3_bind_int64(stmt, 3, FY_RECENT);
	sqlite3_bind_int64(stmt, 4, as_of - FY_ACTIVE_SPAN);
	sqlite3_bind_int64(stmt, 5, FY_ACTIVE);
	while ((r = stmt_row(st, stmt, "rank for you")) == 1) {
		if (*np == alloc) {
			alloc = alloc ? alloc * 2 : 512;
			*vp = xreallocarray(*vp, alloc, sizeof **vp);
		}
		c = &(*vp)[(*np)++];
		c->id = sqlite3_column_int64(stmt, 0);
		c->author = sqlite3_column_int64(stmt, 1);
		c->created_at = sqlite3_column_int64(stmt, 2);
		c->active_at = sqlite3_column_int64(stmt, 3);
		c->engagement = sqlite3_column_int64(stmt, 4);
		c->reactions = sqlite3_column_int64(stmt, 5);
		c->comments = sqlite3_column_int64(stmt, 6);
		c->shares = sqlite3_column_int64(stmt, 7);
		c->friend = sqlite3_column_int(stmt, 8) != 0;
		c->via = c->friend ? 0 : fof_via(fof, c->author);
		c->fof = c->via != 0;
		copy_tag(stmt, 9, c->tag);
		copy_tag(stmt, 10, c->author_tag);
		c->score = fy_score(c, as_of);
	}
	stmt_reset(stmt);
	if (r != 0) {
		free(*vp);
		*vp = NULL;
		*np = 0;
	}
	return r;
}

/* The username of a user, or NULL. */
static char *
fy_username(struct store *st, int64_t id)
{
	sqlite3_stmt	*stmt = NULL;
	char		*name = NULL;

	if (stmt_get(st, "SELECT username FROM users WHERE id = ?", &stmt) != 0)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	if (stmt_row(st, stmt, "read username") == 1)
		name = col_text(stmt, 0);
	stmt_reset(stmt);
	return name;
}

/* The one line that says why c is shown (docs/foryou.md lists them in this order). */
static char *
fy_reason(struct store *st, const struct fy_cand *c, int64_t as_of)
{
	char	*name, *s;

	if (c->tag[0] != '\0')
		return xasprintf("#%s, like you", c->tag);
	if (c->reactions >= FY_POPULAR)
		return xasprintf("popular: %lld reactions", (long long)c->reactions);
	if (c->fof) {
		if (as_of - c->created_at < 86400)
			return xstrdup("new from someone you may know");
		if ((name = fy_username(st, c->via)) != NULL) {
			s = xasprintf("friend of %s", name);
			free(name);
			return s;
		}
		return xstrdup("someone you may know");
	}
	if (c->comments >= FY_LIVELY)
		return xasprintf("lively: %lld comments", (long long)c->comments);
	if (c->friend)
		return xstrdup("from a friend");
	if (c->author_tag[0] != '\0')
		return xasprintf("into #%s, like you", c->author_tag);
	if (recently_active(c, as_of))
		return xstrdup("people are on it now");
	if (c->shares > 0)
		return xasprintf("shared %lld time%s", (long long)c->shares,
		    c->shares == 1 ? "" : "s");
	if (c->reactions > 0)
		return xasprintf("%lld reaction%s", (long long)c->reactions,
		    c->reactions == 1 ? "" : "s");
	return xstrdup("new on sshbook");
}

static int
newest_post(struct store *st, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*idp = 0;
	if ((r = stmt_get(st, "SELECT coalesce(max(id), 0) FROM posts", &stmt)) != 0)
		return r;
	if ((r = stmt_row(st, stmt, "find the newest post")) == 1) {
		*idp = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "find the newest post");
	stmt_reset(stmt);
	return r;
}

int
store_feed_foryou(struct store *st, int64_t viewer, const struct post_cursor *after,
    size_t limit, struct post_page *out)
{
	struct fy_cand	*v = NULL;
	struct fy_fof	 fof;
	int64_t		*ids = NULL, bound, as_of;
	size_t		 n = 0, i, start = 0, take, got, j;
	int		 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	limit = post_limit(limit);
	if (after != NULL && after->set) {
		bound = after->before;
		as_of = after->as_of;
	} else {
		if ((r = newest_post(st, &bound)) != 0)
			return r;
		as_of = store_now();
	}
	if ((r = fy_fof_build(st, viewer, &fof)) != 0)
		return r;
	r = fy_candidates(st, viewer, bound, as_of, &fof, &v, &n);
	fof_free(&fof);
	if (r != 0)
		return r;
	if (n > 0)
		qsort(v, n, sizeof *v, fy_cmp);
	/* Skip what earlier pages showed: everything up to and including the cursor. */
	if (after != NULL && after->set)
		while (start < n && (v[start].score > after->score ||
		    (v[start].score == after->score && v[start].id >= after->score_id)))
			start++;
	take = n - start < limit ? n - start : limit;
	ids = xcalloc(take + 1, sizeof *ids);
	for (i = 0; i < take; i++)
		ids[i] = v[start + i].id;
	if ((r = post_page_load(st, viewer, ids, take, out)) != 0)
		goto out;
	/* post_page_load skips nothing here (the candidates passed the same rule); match by id anyway. */
	for (i = 0, j = start; i < out->n; i++) {
		while (j < start + take && v[j].id != out->v[i].id)
			j++;
		if (j < start + take)
			out->v[i].reason = fy_reason(st, &v[j], as_of);
		else
			out->v[i].reason = xstrdup("new on sshbook");
	}
	got = start + take;
	if (got < n && take > 0) {
		out->next.before = bound;
		out->next.as_of = as_of;
		out->next.score = v[got - 1].score;
		out->next.score_id = v[got - 1].id;
		out->next.set = true;
	}
 out:
	if (r != 0)
		post_page_free(out);
	free(ids);
	free(v);
	return r;
}
