/*
 * feed home|foryou, and the post half of search: pages of posts, printed
 * one after another (text, separated by blank lines) or as JSON lines.
 * Home pages with an id (--before, the id after "more:"); For You pages
 * with a token holding its ranking's cursor (--after), as storage's
 * keyset pagination needs, never an offset.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/people.h"
#include "cli/postcmd.h"
#include "cli/postfmt.h"
#include "common/err.h"
#include "storage/posts.h"

#define FEED_LIMIT	20
#define FEED_LIMIT_MAX	100

/* Every post of a page; returns how many. */
static size_t
print_page(struct cli_ctx *ctx, const struct post_page *pg, bool json)
{
	int64_t	now = (int64_t)time(NULL);
	size_t	i;

	for (i = 0; i < pg->n; i++) {
		if (json)
			json_print_line(ctx->out, postfmt_json(&pg->v[i]));
		else {
			if (i > 0)
				fputc('\n', ctx->out);
			postfmt_text(ctx->out, &pg->v[i], now);
		}
	}
	return pg->n;
}

/* A whole number in 1..max, or -1. */
static long
parse_limit(const char *s, long max)
{
	char	*end;
	long	 v;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 1 || v > max)
		return -1;
	return v;
}

/* A post id for --before: digits only; ids past the largest possible mean "from the newest". */
static bool
before_parse(const char *s, int64_t *idp)
{
	const char	*p;
	long long	 v;

	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (s[0] == '\0' || *p != '\0')
		return false;
	errno = 0;
	v = strtoll(s, NULL, 10);
	*idp = errno == ERANGE ? INT64_MAX : v;
	return true;
}

/*
 * The For You cursor as one word, "AS_OF:BEFORE:ID:SCORE": every field
 * storage keeps in it (the ranking's clock, the newest post considered,
 * where the page ended), SCORE with 17 significant digits so it reads
 * back exactly.
 */
static void
token_format(const struct post_cursor *c, char *out, size_t outsz)
{
	snprintf(out, outsz, "%" PRId64 ":%" PRId64 ":%" PRId64 ":%.17g", c->as_of, c->before,
	    c->score_id, c->score);
}

/* One whole number in 0..INT64_MAX at *sp, ending at sep; *sp moves past sep. */
static bool
token_int(const char **sp, char sep, int64_t *v)
{
	char		*end;
	long long	 n;

	if (**sp < '0' || **sp > '9')
		return false;
	errno = 0;
	n = strtoll(*sp, &end, 10);
	if (errno != 0 || *end != sep)
		return false;
	*v = n;
	*sp = end + 1;
	return true;
}

/* The cursor of a token from token_format; false when s is not one. */
static bool
token_parse(const char *s, struct post_cursor *c)
{
	struct post_cursor	 t = { 0 };
	char			*end;

	if (!token_int(&s, ':', &t.as_of) || !token_int(&s, ':', &t.before) ||
	    !token_int(&s, ':', &t.score_id) || *s == '\0')
		return false;
	errno = 0;
	t.score = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(t.score))
		return false;
	t.set = true;
	*c = t;
	return true;
}

/* ---- feed [home|foryou] [--limit N] [--before ID | --after TOKEN] [--json] ---- */

static int
cmd_feed_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct post_page	 pg = { 0 };
	struct post_cursor	 cur = { 0 };
	const char		*limit_arg = NULL, *before_arg = NULL, *after_arg = NULL, *flag;
	bool			 json = cli_take_flag(&argc, argv, "--json"), foryou = false;
	char			 token[128], *q;
	long			 limit = FEED_LIMIT;
	int64_t			 before = 0;
	int			 r, status;

	if (cli_take_option(&argc, argv, "--limit", &limit_arg) != 0 ||
	    (limit_arg != NULL && (limit = parse_limit(limit_arg, FEED_LIMIT_MAX)) < 0))
		return cli_fail(ctx, 1, "feed: --limit takes a number from 1 to %d",
		    FEED_LIMIT_MAX);
	if (cli_take_option(&argc, argv, "--before", &before_arg) != 0)
		return cli_fail(ctx, 1, "feed: --before takes a post id (from a 'more:' line)");
	if (cli_take_option(&argc, argv, "--after", &after_arg) != 0)
		return cli_fail(ctx, 1, "feed: --after takes the token of a 'more:' line");
	if ((flag = cli_stray_flag(argc, argv)) != NULL) {
		q = cli_quote(flag);
		status = cli_fail(ctx, 1, "feed: unknown option '%s' (usage: %s)", q,
		    cmd_feed_entry.usage);
		free(q);
		return status;
	}
	if (argc > 2)
		return cli_fail(ctx, 1, "usage: %s", cmd_feed_entry.usage);
	if (argc == 2) {
		if (strcmp(argv[1], "foryou") == 0)
			foryou = true;
		else if (strcmp(argv[1], "home") != 0) {
			q = cli_quote(argv[1]);
			status = cli_fail(ctx, 1, "feed: no feed named '%s' (home or foryou)", q);
			free(q);
			return status;
		}
	}
	if (foryou && before_arg != NULL)
		return cli_fail(ctx, 1, "feed: --before pages home; foryou continues with "
		    "--after TOKEN (from its 'more:' line)");
	if (!foryou && after_arg != NULL)
		return cli_fail(ctx, 1, "feed: --after pages foryou; home continues with "
		    "--before ID");
	if (before_arg != NULL) {
		if (!before_parse(before_arg, &before))
			return cli_fail(ctx, 1, "feed: --before takes a post id "
			    "(from a 'more:' line)");
		cur.before = before;
		cur.set = true;
	}
	if (after_arg != NULL && !token_parse(after_arg, &cur))
		return cli_fail(ctx, 1, "feed: --after takes the token of a 'more:' line");
	r = foryou ?
	    store_feed_foryou(ctx->st, ctx->user_id, cur.set ? &cur : NULL, (size_t)limit, &pg) :
	    store_feed_home(ctx->st, ctx->user_id, cur.set ? &cur : NULL, (size_t)limit, &pg);
	if (r != 0)
		return cli_fail(ctx, err_exit_status(r), "feed: %s", err_str(r));
	if (print_page(ctx, &pg, json) == 0 && !json) {
		if (cur.set)
			fprintf(ctx->out, "no more posts\n");
		else if (foryou)
			fprintf(ctx->out, "nothing to suggest yet: come back when people have "
			    "posted\n");
		else
			fprintf(ctx->out, "nothing here yet: write a post (post TEXT), or find "
			    "friends (search NAME, friend add USER)\n");
	}
	if (!json && pg.n > 0 && pg.next.set) {
		fputc('\n', ctx->out);
		if (foryou) {
			token_format(&pg.next, token, sizeof token);
			fprintf(ctx->out, "more: feed foryou --after %s", token);
		} else
			fprintf(ctx->out, "more: feed --before %lld", (long long)pg.next.before);
		if (limit != FEED_LIMIT)
			fprintf(ctx->out, " --limit %ld", limit);
		fputc('\n', ctx->out);
	}
	post_page_free(&pg);
	return 0;
}

const struct cmd_entry cmd_feed_entry = {
	.name = "feed",
	.usage = "feed [home|foryou] [--limit N] [--before ID] [--after TOKEN] [--json]",
	.help = "Home (newest first) or For You (ranked)",
	.min_args = 0, .max_args = -1,	/* the options take values: checked in the command */
	.exec = cmd_feed_exec,
};

/* ---- search QUERY --posts ------------------------------------------------------ */

int
postcmd_search(struct cli_ctx *ctx, const char *query, size_t limit, bool json)
{
	struct post_page	 pg = { 0 };
	char			*q;
	int			 r;

	/* Plain text to storage: FTS5 syntax is never syntax there. */
	if ((r = store_search_posts(ctx->st, ctx->user_id, query, NULL, limit, &pg)) != 0)
		return cli_fail(ctx, err_exit_status(r), "search: %s", err_str(r));
	if (print_page(ctx, &pg, json) == 0 && !json) {
		q = cli_quote(query);
		fprintf(ctx->out, "no posts found for '%s'\n", q);
		free(q);
	} else if (!json && pg.next.set)
		fprintf(ctx->out, "\nmore posts match: add words, or show more with --limit %d\n",
		    FEED_LIMIT_MAX);
	post_page_free(&pg);
	return 0;
}
