/* search: find people (the default) or posts (--posts; groups join when they land). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/people.h"
#include "cli/postcmd.h"
#include "common/buf.h"
#include "common/err.h"
#include "storage/social.h"

#define SEARCH_LIMIT	20	/* hits shown unless --limit says otherwise */
#define SEARCH_LIMIT_MAX	100

/* A whole number in 1..max, or -1. */
static long
parse_limit(const char *s, long max)
{
	char	*end;
	long	 v;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > max)
		return -1;
	return v;
}

static int
cmd_search_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct user_hits	 hits = { 0 };
	struct json_object	*o;
	struct buf		 query = BUF_INIT;
	const char		*limit_arg = NULL, *flag;
	bool			 json = cli_take_flag(&argc, argv, "--json");
	bool			 users, posts, groups;
	char			*q;
	long			 limit = SEARCH_LIMIT;
	size_t			 i;
	int			 r, status = 0;

	users = cli_take_flag(&argc, argv, "--users");	/* the default */
	posts = cli_take_flag(&argc, argv, "--posts");
	groups = cli_take_flag(&argc, argv, "--groups");
	if (cli_take_option(&argc, argv, "--limit", &limit_arg) != 0 ||
	    (limit_arg != NULL && (limit = parse_limit(limit_arg, SEARCH_LIMIT_MAX)) < 0))
		return cli_fail(ctx, 1, "search: --limit takes a number from 1 to %d",
		    SEARCH_LIMIT_MAX);
	if (users + posts + groups > 1)
		return cli_fail(ctx, 1, "search: one kind at a time: --users (the default), "
		    "--posts or --groups");
	if (groups)
		return cli_fail(ctx, 1, "search: groups cannot be searched yet, "
		    "only people and posts (search --posts QUERY)");
	if ((flag = cli_stray_flag(argc, argv)) != NULL) {
		q = cli_quote(flag);
		status = cli_fail(ctx, 1, "search: unknown option '%s' (usage: %s)", q,
		    cmd_search_entry.usage);
		free(q);
		return status;
	}
	if (argc < 2)
		return cli_fail(ctx, 1, "usage: %s", cmd_search_entry.usage);
	for (i = 1; i < (size_t)argc; i++) {
		if (i > 1)
			buf_addch(&query, ' ');
		buf_adds(&query, argv[i]);
	}
	if (posts) {
		status = postcmd_search(ctx, query.buf, (size_t)limit, json);
		goto out;
	}
	/* Plain text to storage: quotes, '*', NEAR( and the like are never syntax there. */
	r = store_search_users(ctx->st, ctx->user_id, query.buf, NULL, (size_t)limit, &hits);
	if (r != 0) {
		status = cli_fail(ctx, err_exit_status(r), "search: %s", err_str(r));
		goto out;
	}
	for (i = 0; i < hits.n; i++) {
		if (!json)
			cli_print_user_line(ctx, &hits.v[i], NULL);
		else if ((o = cli_user_json_by_name(ctx, hits.v[i].username)) != NULL)
			json_print_line(ctx->out, o);
	}
	if (!json && hits.n == 0) {
		q = cli_quote(query.buf);
		fprintf(ctx->out, "nobody found for '%s'\n", q);
		free(q);
	} else if (!json && hits.next.set)
		fprintf(ctx->out, "more people match: add words, or show more with --limit %d\n",
		    SEARCH_LIMIT_MAX);
 out:
	user_hits_free(&hits);
	buf_release(&query);
	return status;
}

const struct cmd_entry cmd_search_entry = {
	.name = "search",
	.usage = "search QUERY... [--users|--posts] [--limit N] [--json]",
	.help = "find people (the default) or posts",
	.min_args = 1, .max_args = -1,
	.exec = cmd_search_exec,
};
