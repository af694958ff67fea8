/*
 * User search over the users_fts index (FTS5): keeping each user's row of
 * the index current, turning what people type into a query that can never
 * be FTS5 syntax, and the ranked, keyset-paginated search itself.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "storage/social-int.h"
#include "storage/social.h"

#define SEARCH_PAGE_MAX	100

int
store_user_index(struct store *st, int64_t user)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	/* FTS5 takes OR REPLACE on the rowid: a new row or a rewrite of the old one. */
	if ((r = stmt_get(st, "INSERT OR REPLACE INTO users_fts (rowid, username, "
	    "display_name, bio, tags, location, job) SELECT u.id, u.username, "
	    "u.display_name, u.bio, coalesce((SELECT group_concat(tag, ' ') FROM "
	    "user_tags WHERE user_id = u.id), ''), u.location, u.job FROM users u "
	    "WHERE u.id = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	r = stmt_done(st, stmt, "index user");
	stmt_reset(stmt);
	return r;
}

int
store_user_unindex(struct store *st, int64_t user)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "DELETE FROM users_fts WHERE rowid = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	r = stmt_done(st, stmt, "unindex user");
	stmt_reset(stmt);
	return r;
}

/* ---- the query ------------------------------------------------------------- */

/*
 * Whether a code point can be part of a word. ASCII: letters and digits only.
 * Beyond ASCII, letters of every script count, so everything does except the
 * blocks of spaces, punctuation, symbols, emoji and invisible marks; the
 * tokenizer (unicode61) has the last word on what is a letter, and a quoted
 * string is only ever text to it, so this needs to be sensible, not exact.
 */
static bool
word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9');
	if (cp <= 0xBF)		/* C1 controls, Latin-1 punctuation and symbols */
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)	/* multiplication and division signs */
		return false;
	if (cp >= 0x2000 && cp <= 0x2BFF)	/* punctuation, symbols, arrows, boxes */
		return false;
	if (cp >= 0x3000 && cp <= 0x303F)	/* CJK punctuation and the ideographic space */
		return false;
	if ((cp >= 0xD800 && cp <= 0xF8FF) ||	/* surrogates, private use */
	    (cp >= 0xFE00 && cp <= 0xFE0F) ||	/* variation selectors */
	    cp == 0xFEFF || (cp >= 0xFF00 && cp <= 0xFF0F) ||	/* BOM, fullwidth punctuation */
	    (cp >= 0xFFF0 && cp <= 0xFFFF) ||	/* specials */
	    (cp >= 0x1F000 && cp <= 0x1FAFF) ||	/* emoji and pictographs */
	    cp >= 0xE0000)			/* tag characters, private use planes */
		return false;
	return true;
}

size_t
search_query_build(const char *text, char *out)
{
	size_t		 len, i, n, words = 0, o = 0, wlen = 0;
	uint32_t	 cp;
	bool		 in_word = false;

	out[0] = '\0';
	if (text == NULL)
		return 0;
	len = strlen(text);
	for (i = 0; i < len && words <= SEARCH_WORDS_MAX; i += n) {
		if ((n = utf8_decode(text + i, len - i, &cp)) == 0) {
			n = 1;		/* an invalid byte separates words, and is dropped */
			cp = ' ';
		}
		if (!word_cp(cp)) {
			if (in_word) {
				/* Close the word: "word"* is a prefix query of a plain string. */
				memcpy(out + o, "\"*", 2);
				o += 2;
				in_word = false;
			}
			continue;
		}
		if (!in_word) {
			if (words == SEARCH_WORDS_MAX)
				break;	/* later words are ignored */
			if (words > 0)
				out[o++] = ' ';	/* implicit AND */
			out[o++] = '"';
			in_word = true;
			wlen = 0;
			words++;
		}
		/* A longer word is cut (still a prefix of itself); later bytes are skipped. */
		if (wlen + n <= SEARCH_WORD_MAX) {
			memcpy(out + o, text + i, n);
			o += n;
			wlen += n;
		}
	}
	if (in_word) {
		memcpy(out + o, "\"*", 2);
		o += 2;
	}
	out[o] = '\0';
	return words;
}

/* ---- ranking ----------------------------------------------------------------- */

/*
 * sshbook_rank(users_fts, names_only): BM25 as FTS5's bm25() computes it
 * (k1 1.2, b 0.75, weighted term frequency, length normalisation), with the
 * column weights below and without the IDF factor. Why our own:
 * - IDF: bm25() finds each phrase's document count by reading its whole
 *   doclist once per statement, 2-4 ms for a short prefix that 30,000 of
 *   100,000 users match, which alone broke the 5 ms budget; and the IDF of a
 *   prefix (many terms at once) means little. Within one query it only
 *   weighs words against each other; the order of single-word queries is
 *   the same as bm25()'s.
 * - Privacy in one pass: names_only (a viewer who may not see the whole
 *   profile) counts only username and display name, and the row is no match
 *   (NULL) unless every word occurs there. The order then never depends on
 *   a hidden field, and the query needs no second MATCH.
 * Lower is better, as with bm25().
 */
static const double rank_weights[] = {
	10.0,	/* username */
	8.0,	/* display_name */
	1.0,	/* bio */
	3.0,	/* tags */
	2.0,	/* location */
	2.0,	/* job */
};
#define RANK_NCOLS	((int)(sizeof rank_weights / sizeof rank_weights[0]))
#define RANK_NAME_COLS	2	/* the first two: what everyone may match */
#define RANK_K1		1.2
#define RANK_B		0.75

/* Average row length (tokens) over all columns and over the name columns, per statement. */
struct rank_avg {
	double	all;
	double	names;
};

static struct rank_avg *
rank_avg(const Fts5ExtensionApi *api, Fts5Context *fts)
{
	struct rank_avg	*avg;
	sqlite3_int64	 rows = 0, total;
	int		 col;

	if ((avg = api->xGetAuxdata(fts, 0)) != NULL)
		return avg;
	if ((avg = sqlite3_malloc(sizeof *avg)) == NULL)
		return NULL;
	avg->all = avg->names = 0;
	if (api->xRowCount(fts, &rows) == SQLITE_OK && rows > 0) {
		for (col = 0; col < RANK_NCOLS; col++) {
			if (api->xColumnTotalSize(fts, col, &total) != SQLITE_OK)
				total = 0;
			avg->all += (double)total;
			if (col < RANK_NAME_COLS)
				avg->names += (double)total;
		}
		avg->all /= (double)rows;
		avg->names /= (double)rows;
	}
	if (api->xSetAuxdata(fts, avg, sqlite3_free) != SQLITE_OK)
		return NULL;	/* FTS5 freed it */
	return avg;
}

static void
rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
    sqlite3_value **val)
{
	double		 freq[SEARCH_WORDS_MAX] = { 0 }, dl = 0, avgdl, norm, score = 0;
	struct rank_avg	*avg;
	bool		 names_only = nval > 0 && sqlite3_value_int(val[0]) != 0;
	int		 ncols = names_only ? RANK_NAME_COLS : RANK_NCOLS;
	int		 nphrase, ninst, i, phrase, col, off, n;

	nphrase = api->xPhraseCount(fts);
	if (nphrase > SEARCH_WORDS_MAX || api->xColumnCount(fts) != RANK_NCOLS) {
		sqlite3_result_error(ctx, "sshbook_rank: unexpected query or table", -1);
		return;
	}
	if ((avg = rank_avg(api, fts)) == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
		sqlite3_result_error(ctx, "sshbook_rank: no instances", -1);
		return;
	}
	for (i = 0; i < ninst; i++)
		if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && col >= 0 &&
		    col < ncols && phrase >= 0 && phrase < nphrase)
			freq[phrase] += rank_weights[col];
	for (col = 0; col < ncols; col++)
		if (api->xColumnSize(fts, col, &n) == SQLITE_OK)
			dl += n;
	avgdl = names_only ? avg->names : avg->all;
	norm = 1.0 - RANK_B + RANK_B * dl / (avgdl > 0 ? avgdl : 1.0);
	for (i = 0; i < nphrase; i++) {
		/* A word the tokenizer drops (an emoji) is an empty phrase: it matches all. */
		if (api->xPhraseSize(fts, i) == 0)
			continue;
		if (freq[i] == 0) {
			if (names_only) {
				/* This word is only in fields the viewer may not see. */
				sqlite3_result_null(ctx);
				return;
			}
			continue;
		}
		score += freq[i] * (RANK_K1 + 1.0) / (freq[i] + RANK_K1 * norm);
	}
	sqlite3_result_double(ctx, -score);
}

int
store_fts5_function(struct store *st, const char *name, fts5_extension_function fn)
{
	sqlite3_stmt	*stmt = NULL;
	fts5_api	*api = NULL;
	int		 r;

	/* The documented way to reach FTS5's C API: a pointer handed out by SELECT fts5(?). */
	if ((r = stmt_get(st, "SELECT fts5(?1)", &stmt)) != 0)
		return r;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	r = stmt_row(st, stmt, "find the fts5 api");
	stmt_reset(stmt);
	if (r < 0)
		return r;
	if (api == NULL || api->iVersion < 2) {
		log_error("store: this SQLite has no usable FTS5");
		return ERR_DB;
	}
	if (api->xCreateFunction(api, name, NULL, fn, NULL) != SQLITE_OK)
		return store_db_error(st, name);
	return 0;
}

int
search_register(struct store *st)
{
	return store_fts5_function(st, "sshbook_rank", rank_fn);
}

/* ---- the search ------------------------------------------------------------ */

/*
 * Why blocks. A ranked order needs every match scored before the best is
 * known, and a match costs 1-3 us here (FTS5 reads the row's size through an
 * SQL statement, the users row is read for privacy). A two-letter prefix
 * among 100,000 generated users matches 30,000 to 60,000 of them: 30-100 ms
 * for the exact order (bench/storage_bench.c: p99 52 ms with bm25() over all
 * matches). So the matches are taken in blocks of SEARCH_BLOCK in rowid
 * order, which FTS5 streams from the index and stops early, and each block is
 * ranked by itself: p99 4.0 ms with blocks of 1,000, 2.3 ms with 500. Blocks
 * in ascending rowid order stay put when users sign up (new rows land in the
 * last block), so pages do not shift under a reader. The cursor carries the
 * block's start (an exclusive lower bound on rowid).
 *
 * A block counts the matches of the whole query, hidden fields included, so
 * where a visible user's block starts can depend on other users' hidden
 * fields; the order within a block cannot, and the cursor that carries the
 * boundary never reaches a person (the front ends pass it back unread).
 */
#define SEARCH_BLOCK	500

/*
 * One block and its page, in one statement so FTS5 reads the matches once:
 * - hits: the next ?4 matches after rowid ?3, in rowid order, less the users
 *   who blocked the viewer and ?5 (the exact username match, already on the
 *   page), each with its rank. Hidden fields count only for viewers who see
 *   the whole profile (sshbook_rank's names_only; NULL: no match for this
 *   viewer). The viewer's friends and blockers are read once (uncorrelated
 *   IN), not per match. MATERIALIZED: the rank is computed once per row.
 * - block: where it ends and how full it is (a full block may have a next);
 *   always one row, so the answer has one even when the page is empty.
 * - page: the best ?9 of the block after the cursor (?6: whether there is
 *   one; ?7, ?8: its rank and id), and only those get their summary.
 */
static const char sql_search[] =
	"WITH hits(id, rank) AS MATERIALIZED ("
	" SELECT users_fts.rowid, sshbook_rank(users_fts, NOT (u.privacy = 0 OR u.id = ?1 OR"
	"  (u.privacy = 1 AND u.id IN (SELECT friend_id FROM friendships WHERE user_id = ?1))))"
	"  FROM users_fts JOIN users u ON u.id = users_fts.rowid"
	"  WHERE users_fts MATCH ?2 AND users_fts.rowid > ?3"
	"  AND u.id NOT IN (SELECT blocker_id FROM blocks WHERE blocked_id = ?1) AND u.id != ?5"
	"  ORDER BY users_fts.rowid LIMIT ?4"
	"), block(last, n) AS (SELECT max(id), count(*) FROM hits"
	"), page(id, rank) AS ("
	" SELECT id, rank FROM hits WHERE rank IS NOT NULL"
	"  AND (?6 = 0 OR rank > ?7 OR (rank = ?7 AND id > ?8))"
	"  ORDER BY rank, id LIMIT ?9"
	") SELECT block.last, block.n, p.rank, " SQL_SUMMARY
	" FROM block LEFT JOIN page p LEFT JOIN users u ON u.id = p.id"
	" ORDER BY p.rank, p.id";

/* Where each row of a page stands, for the cursor. */
struct hit_pos {
	double	rank;
	int64_t	block;
};

struct search {
	struct user_hits	*out;
	struct hit_pos		*pos;
	size_t			 alloc;
};

static struct user_summary *
search_push(struct search *s, double rank, int64_t block)
{
	size_t			 alloc = s->alloc;
	struct user_summary	*u = summary_push(&s->out->v, &s->out->n, &s->alloc);

	if (s->alloc != alloc)
		s->pos = xreallocarray(s->pos, s->alloc, sizeof *s->pos);
	s->pos[s->out->n - 1].rank = rank;
	s->pos[s->out->n - 1].block = block;
	return u;
}

/*
 * The user whose username is the whole query (blanks around it ignored), if
 * the viewer may find them: *idp, and the row pushed onto the page when
 * push is true. 0 with *idp 0 when there is none.
 */
static int
exact_match(struct store *st, struct search *s, int64_t viewer, const char *query,
    bool push, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	char		 name[USERNAME_MAX + 1];
	size_t		 len;
	int		 r;

	*idp = 0;
	while (*query == ' ' || *query == '\t')
		query++;
	len = strnlen(query, USERNAME_MAX + 1);
	while (len > 0 && (query[len - 1] == ' ' || query[len - 1] == '\t'))
		len--;
	if (len < USERNAME_MIN || len > USERNAME_MAX)
		return 0;
	memcpy(name, query, len);
	name[len] = '\0';
	/* Names are ASCII; NOCASE matches "Bob" to "bob". Anything else finds no row. */
	if ((r = stmt_get(st, "SELECT " SQL_SUMMARY " FROM users u WHERE u.username = ?2 "
	    "AND " SQL_VISIBLE, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	if ((r = stmt_row(st, stmt, "search exact name")) == 1) {
		*idp = sqlite3_column_int64(stmt, 0);
		/* First of all: below any score, in the first block. */
		if (push)
			summary_fill(stmt, 0, search_push(s, -HUGE_VAL, 0));
		r = 0;
	}
	stmt_reset(stmt);
	return r;
}

/*
 * Rank the block after `from` and append up to want rows after the cursor.
 * *nextp: where the next block starts, or 0 when this was the last.
 */
static int
search_block(struct store *st, struct search *s, int64_t viewer, const char *q,
    int64_t from, size_t block, const struct search_cursor *cur, int64_t exact,
    size_t want, int64_t *nextp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*nextp = 0;
	if ((r = stmt_get(st, sql_search, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_text(stmt, 2, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, from);
	sqlite3_bind_int64(stmt, 4, (int64_t)block);
	sqlite3_bind_int64(stmt, 5, exact);
	sqlite3_bind_int(stmt, 6, cur != NULL);
	if (cur != NULL) {
		sqlite3_bind_double(stmt, 7, cur->rank);
		sqlite3_bind_int64(stmt, 8, cur->id);
	}
	sqlite3_bind_int64(stmt, 9, (int64_t)want);
	while ((r = stmt_row(st, stmt, "search users")) == 1) {
		/* A full block may have another after it; a short one was the last. */
		if ((size_t)sqlite3_column_int64(stmt, 1) == block)
			*nextp = sqlite3_column_int64(stmt, 0);
		if (sqlite3_column_type(stmt, 2) == SQLITE_NULL)
			continue;	/* the block's row of an empty page */
		summary_fill(stmt, 3, search_push(s, sqlite3_column_double(stmt, 2), from));
	}
	stmt_reset(stmt);
	return r;
}

int
store_search_users(struct store *st, int64_t viewer, const char *query,
    const struct search_cursor *after, size_t limit, struct user_hits *out)
{
	struct search			 s = { .out = out };
	const struct search_cursor	*cur = NULL;
	char				 q[SEARCH_QUERY_MAX];
	size_t				 block;
	int64_t				 exact, from = 0, next;
	int				 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	if (limit > SEARCH_PAGE_MAX)
		limit = SEARCH_PAGE_MAX;
	if (search_query_build(query, q) == 0)
		return 0;	/* nothing to look for finds nothing */
	block = st->search_block ? st->search_block : SEARCH_BLOCK;
	if (after != NULL && after->set) {
		cur = after;
		from = after->block;
	}
	if ((r = exact_match(st, &s, viewer, query, cur == NULL, &exact)) != 0)
		goto out;
	/* One row more than asked: it only says that there is a next page. */
	while (out->n < limit + 1) {
		if ((r = search_block(st, &s, viewer, q, from, block, cur, exact,
		    limit + 1 - out->n, &next)) != 0)
			goto out;
		if (next == 0)
			break;
		from = next;
		cur = NULL;
	}
	if (out->n > limit) {
		summary_free(&out->v[--out->n]);
		out->next.rank = s.pos[out->n - 1].rank;
		out->next.id = out->v[out->n - 1].id;
		out->next.block = s.pos[out->n - 1].block;
		out->next.set = true;
	}
 out:
	if (r != 0)
		user_hits_free(out);
	free(s.pos);
	return r;
}
