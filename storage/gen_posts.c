/*
 * Synthetic posts, shares, reactions and comments for the benchmarks
 * (gen.h). One splitmix64 stream per call; rows go in through prepared
 * statements in big transactions, the search index and hashtags with them,
 * and the counters through the same triggers as in real use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "storage/gen-int.h"
#include "storage/gen.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

#define GP_BATCH	20000		/* rows per transaction */
#define GP_SPAN		(365 * 86400)	/* posts spread over the year before today */
#define GP_POWER_USERS	10		/* the accounts that post the most */

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])
#define PICK(r, a)	((a)[rng_below((r), NELEM(a))])

/* ---- text ------------------------------------------------------------------------ */

/* %T a topic (a tag word), %S a piece of software, %N a number, %P a place. */
static const char *const sentences[] = {
	"Finally got %S running on my old laptop.",
	"Spent the whole weekend reading about %T.",
	"Hot take: %S is better than its reputation.",
	"Does anyone have a good introduction to %T?",
	"Just upgraded to %S %N and everything still works.",
	"Today I learned something surprising about %T.",
	"My homelab now has %N machines and I regret nothing.",
	"Writing a small tool in %S to scratch an itch.",
	"The %T meetup in %P was great, thanks everyone!",
	"Benchmarking %S again: %N%% faster after one tweak.",
	"Why is %T so hard to explain to my family?",
	"Reading the %S source code is oddly relaxing.",
	"Three years of %T and I still learn every day.",
	"Coffee, a terminal and %S. Perfect morning.",
	"Looking for people interested in %T near %P.",
	"Rewrote my dotfiles from scratch, mostly for %S.",
	"Is %S still the right choice for %T in 2024?",
	"Finished a long project about %T, blog post soon.",
	"I keep coming back to %S, it just works.",
	"Small win: fixed a bug that bothered me for %N days.",
	"Teaching a friend %T this week, wish me luck.",
	"New keyboard arrived, typing this from %S.",
	"Can't believe how far %T has come in %N years.",
	"Spent %N hours debugging. It was a typo.",
	"Any recommendations for books about %T?",
	"Trying out %S for the first time, first impressions are good.",
	"The documentation for %S deserves more credit.",
	"Walking around %P and thinking about %T.",
	"Unpopular opinion: %T is mostly about patience.",
	"Just shipped version %N of my little %S project.",
};

static const char *const software[] = {
	"vim", "emacs", "tmux", "zsh", "bash", "sqlite", "postgres", "rust", "go", "python",
	"debian", "arch", "nixos", "openbsd", "freebsd", "gcc", "clang", "git", "docker",
	"podman", "neovim", "helix", "mutt", "irssi", "weechat", "ffmpeg", "curl", "ssh",
	"wireguard", "nginx", "caddy", "haskell", "ocaml", "zig", "lua", "awk", "sed",
};

static const char *const places[] = {
	"Berlin", "Paris", "London", "Tokyo", "Kraków", "Lisbon", "Toronto", "São Paulo",
	"Portland", "Austin", "Helsinki", "Prague", "Seoul", "Melbourne", "Nairobi", "Zürich",
};

static const char *const comment_lines[] = {
	"Great post!", "Totally agree.", "I had the same problem last week.",
	"Thanks for sharing this.", "Interesting, never thought of it that way.",
	"Do you have a link to the code?", "This made my day.", "Same here!",
	"Could you write more about this?", "Not sure I agree, but good points.",
	"Congrats!", "Ha, been there.", "Bookmarked.", "Which version did you use?",
	"That is impressive.", "Welcome to the club.", "So true.", "+1",
	"I would love to read the blog post.", "How long did that take?",
};

static const char *const notes[] = {
	"Worth a read.", "This!", "Good point here.", "Sharing for the people who asked.",
	"Agree with every word.", "Look at this.", "Interesting thread.", "So much this.",
};

/* Fixed topics, used when the users have no tags (the first are the most common). */
static const char *const fallback_tags[] = {
	"linux", "opensource", "vim", "rust", "c", "python", "networking", "security",
	"homelab", "selfhosting", "git", "bash", "emacs", "go", "debian", "privacy",
};

struct gen_ctx {
	struct rng	 rng;
	int64_t		*ids;		/* users, by id */
	char		**names;	/* their usernames */
	size_t		 nusers;
	char		**tags;		/* topics, most common first */
	size_t		 ntags;
};

/* A topic, favouring the common ones (squared uniform). */
static const char *
topic(struct gen_ctx *g)
{
	double u = rng_unit(&g->rng);

	return g->tags[(size_t)(u * u * (double)g->ntags)];
}

static void
sentence(struct gen_ctx *g, struct buf *b)
{
	const char *p = PICK(&g->rng, sentences);

	for (; *p != '\0'; p++) {
		if (*p != '%') {
			buf_addch(b, *p);
			continue;
		}
		switch (*++p) {
		case 'T':
			buf_adds(b, topic(g));
			break;
		case 'S':
			buf_adds(b, PICK(&g->rng, software));
			break;
		case 'N':
			buf_addf(b, "%u", 2 + (unsigned)rng_below(&g->rng, 40));
			break;
		case 'P':
			buf_adds(b, PICK(&g->rng, places));
			break;
		default:
			buf_addch(b, *p);
			break;
		}
	}
}

/* A post: 1-4 sentences, hashtags in 40%, a mention in 5%, some markdown. */
static void
post_text(struct gen_ctx *g, struct buf *b)
{
	size_t i, n = 1 + rng_below(&g->rng, 4), ntags;

	buf_reset(b);
	if (rng_pct(&g->rng, 5))
		buf_addf(b, "@%s ", g->names[rng_below(&g->rng, g->nusers)]);
	for (i = 0; i < n; i++) {
		bool bold = rng_pct(&g->rng, 5);

		if (i > 0)
			buf_adds(b, rng_pct(&g->rng, 15) ? "\n\n" : " ");
		if (bold)
			buf_adds(b, "**");
		sentence(g, b);
		if (bold)
			buf_adds(b, "**");
	}
	if (rng_pct(&g->rng, 40)) {
		ntags = 1 + rng_below(&g->rng, 3);
		buf_addch(b, '\n');
		for (i = 0; i < ntags; i++)
			buf_addf(b, " #%s", topic(g));
	}
}

/* ---- statements ------------------------------------------------------------------ */

static int
step_done(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int r = stmt_done(st, stmt, what);

	stmt_reset(stmt);
	return r;
}

static int
cache_size(struct store *st, int64_t *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*out = 0;
	if ((r = stmt_get(st, "PRAGMA cache_size", &stmt)) != 0)
		return r;
	if ((r = stmt_row(st, stmt, "read cache size")) == 1) {
		*out = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "read cache size");
	stmt_reset(stmt);
	return r;
}

static int
gen_cache(struct store *st, int64_t size)
{
	char sql[64];

	/* A pragma's value cannot be bound; this is our own number. */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)size);
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(st, "set cache size");
	return 0;
}

static int
load_users(struct store *st, struct gen_ctx *g)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 alloc = 0;
	int		 r;

	if ((r = stmt_get(st, "SELECT id, username FROM users ORDER BY id", &stmt)) != 0)
		return r;
	while ((r = stmt_row(st, stmt, "list users")) == 1) {
		if (g->nusers == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			g->ids = xreallocarray(g->ids, alloc, sizeof *g->ids);
			g->names = xreallocarray(g->names, alloc, sizeof *g->names);
		}
		g->ids[g->nusers] = sqlite3_column_int64(stmt, 0);
		g->names[g->nusers++] = col_text(stmt, 1);
	}
	stmt_reset(stmt);
	return r;
}

static int
load_tags(struct store *st, struct gen_ctx *g)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 alloc = 0, i;
	int		 r;

	if ((r = stmt_get(st, "SELECT tag FROM user_tags GROUP BY tag ORDER BY count(*) DESC, "
	    "tag LIMIT 200", &stmt)) != 0)
		return r;
	while ((r = stmt_row(st, stmt, "list tags")) == 1) {
		if (g->ntags == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			g->tags = xreallocarray(g->tags, alloc, sizeof *g->tags);
		}
		g->tags[g->ntags++] = col_text(stmt, 0);
	}
	stmt_reset(stmt);
	if (r == 0 && g->ntags == 0) {
		g->tags = xcalloc(NELEM(fallback_tags), sizeof *g->tags);
		for (i = 0; i < NELEM(fallback_tags); i++)
			g->tags[g->ntags++] = xstrdup(fallback_tags[i]);
	}
	return r;
}

static void
ctx_free(struct gen_ctx *g)
{
	size_t i;

	for (i = 0; i < g->nusers; i++)
		free(g->names[i]);
	for (i = 0; i < g->ntags; i++)
		free(g->tags[i]);
	free(g->names);
	free(g->ids);
	free(g->tags);
}

/* Commit every GP_BATCH rows; *in_txn tracks the open transaction. */
static int
batch_step(struct store *st, size_t *count, bool *in_txn)
{
	int r;

	if (!*in_txn) {
		if ((r = store_begin(st)) != 0)
			return r;
		*in_txn = true;
	}
	if (++*count % GP_BATCH == 0) {
		if ((r = store_commit(st)) != 0)
			return r;
		*in_txn = false;
	}
	return 0;
}

/* ---- posts ----------------------------------------------------------------------- */

/* What the engagement phase needs to know about a post. */
struct gp_post {
	int64_t	id;
	int64_t	created_at;
	bool	public;
};

static int64_t
pick_author(struct gen_ctx *g)
{
	double	u;
	size_t	power = g->nusers < GP_POWER_USERS ? g->nusers : GP_POWER_USERS;
	unsigned w = (unsigned)rng_below(&g->rng, 100);

	if (w < 2)
		return g->ids[rng_below(&g->rng, power)];
	if (w < 50) {
		/* Squared uniform, as for friendships: popular accounts post more. */
		u = rng_unit(&g->rng);
		return g->ids[(size_t)(u * u * (double)g->nusers)];
	}
	return g->ids[rng_below(&g->rng, g->nusers)];
}

static int
insert_post(struct store *st, int64_t author, const char *text, int vis, int64_t at,
    int64_t shared_from, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "INSERT INTO posts (author_id, text, visibility, created_at, "
	    "shared_from, active_at) VALUES (?1, ?2, ?3, ?4, ?5, ?4)", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, author);
	sqlite3_bind_text(stmt, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, vis);
	sqlite3_bind_int64(stmt, 4, at);
	if (shared_from != 0)
		sqlite3_bind_int64(stmt, 5, shared_from);
	if ((r = step_done(st, stmt, "generate post")) == 0)
		*idp = sqlite3_last_insert_rowid(st->db);
	if (r != 0)
		return r;
	/* The same rows post_index writes. */
	return post_index(st, *idp, text);
}

static int
gen_posts(struct store *st, struct gen_ctx *g, size_t n, int64_t end, struct gp_post *out)
{
	struct buf	 text = BUF_INIT;
	int64_t		*pub = NULL, at, shared, id;
	size_t		 npub = 0, i, count = 0;
	bool		 in_txn = false;
	unsigned	 w;
	int		 vis, r = 0;

	pub = xcalloc(n + 1, sizeof *pub);
	for (i = 0; i < n; i++) {
		if ((r = batch_step(st, &count, &in_txn)) != 0)
			goto out;
		/* Ids grow with time, as they do for real: newest first is id order. */
		at = end - GP_SPAN + (int64_t)((double)i * GP_SPAN / (double)n);
		w = (unsigned)rng_below(&g->rng, 100);
		vis = w < 70 ? VIS_PUBLIC : w < 95 ? VIS_FRIENDS : VIS_PRIVATE;
		shared = 0;
		if (npub > 0 && rng_pct(&g->rng, 3)) {
			/* A share of a recent public post, mostly with a short note. */
			shared = pub[npub - 1 - rng_below(&g->rng, npub < 5000 ? npub : 5000)];
			buf_reset(&text);
			if (rng_pct(&g->rng, 60))
				buf_adds(&text, PICK(&g->rng, notes));
		} else
			post_text(g, &text);
		if ((r = insert_post(st, pick_author(g), text.buf, vis, at, shared, &id)) != 0)
			goto out;
		out[i].id = id;
		out[i].created_at = at;
		out[i].public = vis == VIS_PUBLIC;
		if (vis == VIS_PUBLIC && shared == 0)
			pub[npub++] = id;
	}
	if (in_txn) {
		r = store_commit(st);
		in_txn = false;
	}
 out:
	if (in_txn)
		store_rollback(st);
	buf_release(&text);
	free(pub);
	return r;
}

/* ---- reactions and comments ----------------------------------------------------- */

/*
 * How many of total go to each public post: heavy-tailed (a few posts
 * collect most), each at most cap, summing to total exactly when the caps
 * allow. (No libm in the storage library: the tails are built from
 * uniforms by hand.)
 */
static size_t *
spread(struct gen_ctx *g, const struct gp_post *posts, size_t n, size_t total, size_t cap)
{
	double	*w = xcalloc(n + 1, sizeof *w), sum = 0, x;
	size_t	*c = xcalloc(n + 1, sizeof *c), i, got = 0, tries;

	for (i = 0; i < n; i++) {
		if (!posts[i].public)
			continue;
		/* Pareto with alpha 1 (1 / uniform): a long tail, cut by cap below. */
		w[i] = 1.0 / (1.0 - rng_unit(&g->rng));
		sum += w[i];
	}
	for (i = 0; sum > 0 && i < n; i++) {
		x = (double)total * w[i] / sum;
		c[i] = (size_t)x + (rng_unit(&g->rng) < x - (double)(size_t)x);
		if (c[i] > cap)
			c[i] = cap;
		got += c[i];
	}
	/* Even out the rounding: add to or take from random public posts. */
	for (tries = 0; got != total && sum > 0 && tries < 100 * (total + 1); tries++) {
		i = rng_below(&g->rng, n);
		if (!posts[i].public)
			continue;
		if (got < total && c[i] < cap) {
			c[i]++;
			got++;
		} else if (got > total && c[i] > 0) {
			c[i]--;
			got--;
		}
	}
	free(w);
	return c;
}

/* When someone answered a post made at `at`: hours to days later, never after end. */
static int64_t
later(struct gen_ctx *g, int64_t at, int64_t end)
{
	double	 u = rng_unit(&g->rng), hours = u * u * u * 72.0;	/* most within hours, some days */
	int64_t	 t = at + 60 + (int64_t)(hours * 3600.0);

	return t < end ? t : end;
}

static int
gen_reactions(struct store *st, struct gen_ctx *g, const struct gp_post *posts, size_t n,
    size_t total, int64_t end)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		*c, i, k, count = 0, tries;
	bool		 in_txn = false;
	unsigned	 w;
	int		 kind, r = 0;

	c = spread(g, posts, n, total, g->nusers / 2);
	for (i = 0; i < n; i++) {
		for (k = 0, tries = 0; k < c[i] && tries < 4 * c[i] + 10; tries++) {
			if ((r = batch_step(st, &count, &in_txn)) != 0)
				goto out;
			w = (unsigned)rng_below(&g->rng, 100);
			kind = w < 60 ? REACT_LIKE : w < 75 ? REACT_LOVE : w < 87 ? REACT_HAHA :
			    w < 93 ? REACT_WOW : w < 97 ? REACT_SAD : REACT_ANGRY;
			if ((r = stmt_get(st, "INSERT INTO reactions (post_id, user_id, kind, "
			    "created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", &stmt)) != 0)
				goto out;
			sqlite3_bind_int64(stmt, 1, posts[i].id);
			sqlite3_bind_int64(stmt, 2, g->ids[rng_below(&g->rng, g->nusers)]);
			sqlite3_bind_int(stmt, 3, kind);
			sqlite3_bind_int64(stmt, 4, later(g, posts[i].created_at, end));
			if ((r = step_done(st, stmt, "generate reaction")) != 0)
				goto out;
			k += sqlite3_changes(st->db) > 0;
		}
	}
	if (in_txn) {
		r = store_commit(st);
		in_txn = false;
	}
 out:
	if (in_txn)
		store_rollback(st);
	free(c);
	return r;
}

static int
gen_comments(struct store *st, struct gen_ctx *g, const struct gp_post *posts, size_t n,
    size_t total, int64_t end)
{
	sqlite3_stmt	*stmt = NULL;
	struct buf	 text = BUF_INIT;
	size_t		*c, i, k, count = 0;
	bool		 in_txn = false;
	int		 r = 0;

	c = spread(g, posts, n, total, SIZE_MAX);
	for (i = 0; i < n; i++) {
		for (k = 0; k < c[i]; k++) {
			if ((r = batch_step(st, &count, &in_txn)) != 0)
				goto out;
			buf_reset(&text);
			buf_adds(&text, PICK(&g->rng, comment_lines));
			if (rng_pct(&g->rng, 30)) {
				buf_addch(&text, ' ');
				sentence(g, &text);
			}
			if ((r = stmt_get(st, "INSERT INTO comments (post_id, author_id, text, "
			    "created_at) VALUES (?, ?, ?, ?)", &stmt)) != 0)
				goto out;
			sqlite3_bind_int64(stmt, 1, posts[i].id);
			sqlite3_bind_int64(stmt, 2, g->ids[rng_below(&g->rng, g->nusers)]);
			sqlite3_bind_text(stmt, 3, text.buf, -1, SQLITE_STATIC);
			sqlite3_bind_int64(stmt, 4, later(g, posts[i].created_at, end));
			if ((r = step_done(st, stmt, "generate comment")) != 0)
				goto out;
		}
	}
	if (in_txn) {
		r = store_commit(st);
		in_txn = false;
	}
 out:
	if (in_txn)
		store_rollback(st);
	buf_release(&text);
	free(c);
	return r;
}

int
store_gen_posts(struct store *st, size_t n_posts, size_t n_reactions, size_t n_comments,
    uint64_t seed)
{
	struct gen_ctx	 g = { .rng = { seed } };
	struct gp_post	*posts = NULL;
	int64_t		 end = store_now() / 86400 * 86400, cache = 0;
	int		 r;

	if ((r = load_users(st, &g)) != 0)
		goto out;
	if (g.nusers == 0) {
		r = n_posts == 0 ? 0 : ERR_INVALID;
		goto out;
	}
	if ((r = load_tags(st, &g)) != 0)
		goto out;
	/* As for friendships: random inserts into big indexes want a big cache. */
	if ((r = cache_size(st, &cache)) != 0 || (r = gen_cache(st, -262144)) != 0)
		goto out;
	posts = xcalloc(n_posts + 1, sizeof *posts);
	if ((r = gen_posts(st, &g, n_posts, end, posts)) != 0)
		goto out;
	if ((r = gen_reactions(st, &g, posts, n_posts, n_reactions, end)) != 0)
		goto out;
	r = gen_comments(st, &g, posts, n_posts, n_comments, end);
 out:
	if (cache != 0)
		gen_cache(st, cache);
	free(posts);
	ctx_free(&g);
	return r;
}
