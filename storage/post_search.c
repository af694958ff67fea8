/*
 * Post search over posts_fts (FTS5, external content: posts.text), and
 * hashtag search over post_tags. What people type becomes a query through
 * search_query_build (search.c), the same safe builder as user search: every
 * word a quoted prefix, so no input is ever FTS5 syntax.
 *
 * Ranking and pages follow user search (search.c explains why): matches are
 * taken in blocks of POST_SEARCH_BLOCK in index order, here newest first,
 * and each block is ranked by itself, so a page costs the same for a word
 * in ten posts or in a hundred thousand. The rank is BM25 without IDF
 * (IDF needs a pass over the whole doclist of every word, which is what
 * makes a common word slow); within a block it weighs how often and how
 * densely the words occur. The cursor carries the block (before: its
 * exclusive upper id) and the last row's (rank, id).
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

#define POST_SEARCH_BLOCK	500
#define RANK_K1			1.2
#define RANK_B			0.75

/* ---- ranking --------------------------------------------------------------- */

static void
post_rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
    sqlite3_value **val)
{
	double		 freq[SEARCH_WORDS_MAX] = { 0 }, *avg, norm, score = 0;
	sqlite3_int64	 rows = 0, total = 0;
	int		 nphrase, ninst, i, phrase, col, off, dl = 0;

	(void)nval;
	(void)val;
	nphrase = api->xPhraseCount(fts);
	if (nphrase > SEARCH_WORDS_MAX) {
		sqlite3_result_error(ctx, "sshbook_post_rank: too many phrases", -1);
		return;
	}
	/* The average length, once per statement. */
	if ((avg = api->xGetAuxdata(fts, 0)) == NULL) {
		if ((avg = sqlite3_malloc(sizeof *avg)) == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		*avg = 0;
		if (api->xRowCount(fts, &rows) == SQLITE_OK && rows > 0 &&
		    api->xColumnTotalSize(fts, 0, &total) == SQLITE_OK)
			*avg = (double)total / (double)rows;
		if (api->xSetAuxdata(fts, avg, sqlite3_free) != SQLITE_OK) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
		sqlite3_result_error(ctx, "sshbook_post_rank: no instances", -1);
		return;
	}
	for (i = 0; i < ninst; i++)
		if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && phrase >= 0 &&
		    phrase < nphrase)
			freq[phrase] += 1.0;
	if (api->xColumnSize(fts, 0, &dl) != SQLITE_OK)
		dl = 0;
	norm = 1.0 - RANK_B + RANK_B * (double)dl / (*avg > 0 ? *avg : 1.0);
	for (i = 0; i < nphrase; i++)
		if (freq[i] > 0)
			score += freq[i] * (RANK_K1 + 1.0) / (freq[i] + RANK_K1 * norm);
	sqlite3_result_double(ctx, -score);	/* lower is better, as with bm25() */
}

int
post_search_register(struct store *st)
{
	return store_fts5_function(st, "sshbook_post_rank", post_rank_fn);
}

/* ---- the search ----------------------------------------------------------- */

/*
 * One block and its page, in one statement so FTS5 reads the matches once:
 * - hits: the next ?4 matches below id ?3, newest first, ranked;
 * - block: where it ends and how full it is (always one row);
 * - page: the best ?8 the viewer may see after the cursor (?5: whether there
 *   is one; ?6, ?7 its rank and id).
 */
static const char sql_search_block[] =
	"WITH hits(id, rank) AS MATERIALIZED ("
	" SELECT posts_fts.rowid, sshbook_post_rank(posts_fts) FROM posts_fts"
	"  WHERE posts_fts MATCH ?2 AND posts_fts.rowid < ?3"
	"  ORDER BY posts_fts.rowid DESC LIMIT ?4"
	"), block(last, n) AS (SELECT min(id), count(*) FROM hits"
	"), page(id, rank) AS ("
	" SELECT h.id, h.rank FROM hits h JOIN posts p ON p.id = h.id"
	"  WHERE " SQL_POST_VISIBLE("p", "?1")
	"  AND (?5 = 0 OR h.rank > ?6 OR (h.rank = ?6 AND h.id < ?7))"
	"  ORDER BY h.rank, h.id DESC LIMIT ?8"
	") SELECT block.last, block.n, page.id, page.rank FROM block LEFT JOIN page"
	" ORDER BY page.rank, page.id DESC";

struct hit {
	int64_t	id;
	double	rank;
	int64_t	block;	/* the exclusive upper id of its block */
};

/* Rank the block below `from`, append up to want hits after cur; *nextp the next block or 0. */
static int
search_block(struct store *st, int64_t viewer, const char *q, int64_t from,
    const struct post_cursor *cur, size_t want, struct hit *hits, size_t *nhits,
    int64_t *nextp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*nextp = 0;
	if ((r = stmt_get(st, sql_search_block, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_text(stmt, 2, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, from);
	sqlite3_bind_int64(stmt, 4, POST_SEARCH_BLOCK);
	sqlite3_bind_int(stmt, 5, cur != NULL);
	if (cur != NULL) {
		sqlite3_bind_double(stmt, 6, cur->score);
		sqlite3_bind_int64(stmt, 7, cur->score_id);
	}
	sqlite3_bind_int64(stmt, 8, (int64_t)want);
	while ((r = stmt_row(st, stmt, "search posts")) == 1) {
		/* A full block may have another below it; a short one was the last. */
		if (sqlite3_column_int64(stmt, 1) == POST_SEARCH_BLOCK)
			*nextp = sqlite3_column_int64(stmt, 0);
		if (sqlite3_column_type(stmt, 2) == SQLITE_NULL)
			continue;	/* the block's row of an empty page */
		hits[*nhits].id = sqlite3_column_int64(stmt, 2);
		hits[*nhits].rank = sqlite3_column_double(stmt, 3);
		hits[*nhits].block = from;
		(*nhits)++;
	}
	stmt_reset(stmt);
	return r;
}

static int
search_text(struct store *st, int64_t viewer, const char *q, const struct post_cursor *after,
    size_t limit, struct post_page *out)
{
	const struct post_cursor	*cur = NULL;
	struct hit			*hits;
	int64_t				*ids = NULL, from = INT64_MAX, next;
	size_t				 n = 0, i;
	int				 r;

	if (after != NULL && after->set) {
		cur = after;
		from = after->before > 0 ? after->before : INT64_MAX;
	}
	hits = xcalloc(limit + 1, sizeof *hits);
	/* One row more than asked: it only says that there is a next page. */
	while (n < limit + 1) {
		if ((r = search_block(st, viewer, q, from, cur, limit + 1 - n, hits, &n,
		    &next)) != 0)
			goto out;
		if (next == 0)
			break;
		from = next;
		cur = NULL;
	}
	if (n > limit) {
		n = limit;
		out->next.before = hits[n - 1].block;
		out->next.score = hits[n - 1].rank;
		out->next.score_id = hits[n - 1].id;
		out->next.set = true;
	}
	ids = xcalloc(n + 1, sizeof *ids);
	for (i = 0; i < n; i++)
		ids[i] = hits[i].id;
	r = post_page_load(st, viewer, ids, n, out);
 out:
	free(ids);
	free(hits);
	return r;
}

/* The posts carrying one hashtag, newest first (a keyset on the id, like Home). */
static int
search_tag(struct store *st, int64_t viewer, const char *tag,
    const struct post_cursor *after, size_t limit, struct post_page *out)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		*ids = NULL, before = INT64_MAX;
	size_t		 n = 0;
	int		 r;

	if (after != NULL && after->set && after->before > 0)
		before = after->before;
	if ((r = stmt_get(st, "SELECT pt.post_id FROM post_tags pt JOIN posts p ON "
	    "p.id = pt.post_id WHERE pt.tag = ?2 AND pt.post_id < ?3 AND "
	    SQL_POST_VISIBLE("p", "?1") " ORDER BY pt.post_id DESC LIMIT ?4", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_text(stmt, 2, tag, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, before);
	sqlite3_bind_int64(stmt, 4, (int64_t)limit + 1);
	if ((r = post_ids_collect(st, stmt, limit, "search hashtag", &ids, &n)) != 0)
		return r;
	if (n > limit) {
		n = limit;
		out->next.before = ids[n - 1];
		out->next.set = true;
	}
	r = post_page_load(st, viewer, ids, n, out);
	free(ids);
	return r;
}

/* Whether query is one #hashtag (blanks around it allowed); its normal form in tag. */
static bool
query_hashtag(const char *query, char *tag)
{
	char	buf[TAG_MAX + 2], one[1][TAG_MAX + 1];
	size_t	len;

	while (*query == ' ' || *query == '\t')
		query++;
	len = strlen(query);
	while (len > 0 && (query[len - 1] == ' ' || query[len - 1] == '\t'))
		len--;
	if (len < 2 || len > TAG_MAX + 1 || query[0] != '#')
		return false;
	memcpy(buf, query, len);
	buf[len] = '\0';
	/* The same rule as in posts, and the tag must be the whole query. */
	if (post_hashtags(buf, one, 1) != 1 || strlen(one[0]) != len - 1)
		return false;
	memcpy(tag, one[0], len);
	return true;
}

int
store_search_posts(struct store *st, int64_t viewer, const char *query,
    const struct post_cursor *after, size_t limit, struct post_page *out)
{
	char	q[SEARCH_QUERY_MAX], tag[TAG_MAX + 1];
	int	r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	limit = post_limit(limit);
	if (query == NULL)
		return 0;
	if (query_hashtag(query, tag))
		r = search_tag(st, viewer, tag, after, limit, out);
	else if (search_query_build(query, q) == 0)
		return 0;	/* nothing to look for finds nothing */
	else
		r = search_text(st, viewer, q, after, limit, out);
	if (r != 0)
		post_page_free(out);
	return r;
}
