/* like, unlike, react: one reaction per user and post (a new one replaces the old). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/people.h"
#include "cli/postcmd.h"
#include "common/err.h"
#include "storage/posts.h"

/* React with kind to the post named by word; prints what was done. */
static int
react(struct cli_ctx *ctx, const char *cmd, const char *word, enum reaction kind)
{
	struct post	p = { 0 };
	int64_t		id, author = 0;
	int		r, status;

	if ((status = postcmd_id(ctx, cmd, word, &id)) != 0 ||
	    (status = postcmd_get(ctx, cmd, id, &p)) != 0)
		return status;
	post_free(&p);
	if ((r = store_react(ctx->st, ctx->user_id, id, kind, &author)) != 0)
		return postcmd_fail(ctx, cmd, r, id, NULL);
	if (kind == REACT_LIKE)
		fprintf(ctx->out, "you liked #%lld\n", (long long)id);
	else
		fprintf(ctx->out, "you reacted %s to #%lld\n", reaction_name(kind), (long long)id);
	postcmd_hint(ctx, id, &author, 1);
	return 0;
}

static int
cmd_like_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	a;
	int			status;

	if ((status = postcmd_parse(ctx, &cmd_like_entry, POSTCMD_POST, argc, argv, &a)) != 0)
		return status;
	return react(ctx, "like", a.post, REACT_LIKE);
}

const struct cmd_entry cmd_like_entry = {
	.name = "like",
	.usage = "like POST",
	.help = "like a post",
	.min_args = 1, .max_args = 1,
	.exec = cmd_like_exec,
};

static int
cmd_unlike_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct post		 p = { 0 };
	enum reaction		 was;
	int64_t			 id;
	int			 r, status;

	if ((status = postcmd_parse(ctx, &cmd_unlike_entry, POSTCMD_POST, argc, argv, &a)) != 0 ||
	    (status = postcmd_id(ctx, "unlike", a.post, &id)) != 0 ||
	    (status = postcmd_get(ctx, "unlike", id, &p)) != 0)
		return status;
	was = p.my_reaction;
	post_free(&p);
	r = was == REACT_NONE ? ERR_NOTFOUND : store_unreact(ctx->st, ctx->user_id, id);
	/* The post is there: what is missing is the reaction. */
	if (r == ERR_NOTFOUND)
		return cli_fail(ctx, 1, "unlike: you have not reacted to #%lld", (long long)id);
	if (r != 0)
		return postcmd_fail(ctx, "unlike", r, id, NULL);
	if (was == REACT_LIKE)
		fprintf(ctx->out, "you no longer like #%lld\n", (long long)id);
	else
		fprintf(ctx->out, "removed your %s reaction to #%lld\n", reaction_name(was),
		    (long long)id);
	postcmd_hint(ctx, id, NULL, 0);
	return 0;
}

const struct cmd_entry cmd_unlike_entry = {
	.name = "unlike",
	.usage = "unlike POST",
	.help = "take back your reaction to a post",
	.min_args = 1, .max_args = 1,
	.exec = cmd_unlike_exec,
};

static int
cmd_react_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	enum reaction		 kind;
	int			 status, k;
	char			*q;

	/* EMOJI may look like an option (">:(" does not, but be plain): POST then one word. */
	if ((status = postcmd_parse(ctx, &cmd_react_entry, POSTCMD_POST | POSTCMD_TEXT, argc, argv,
	    &a)) != 0)
		return status;
	if (a.text_first != argc - 1)
		return cli_fail(ctx, 1, "usage: %s", cmd_react_entry.usage);
	if (reaction_parse(argv[a.text_first], &kind) != 0 || kind == REACT_NONE) {
		q = cli_quote(argv[a.text_first]);
		fprintf(ctx->err, "react: unknown reaction '%s' (one of:", q);
		for (k = REACT_LIKE; k < REACT_COUNT; k++)
			fprintf(ctx->err, " %s %s", reaction_name((enum reaction)k),
			    reaction_ascii((enum reaction)k));
		fprintf(ctx->err, ")\n");
		fflush(ctx->err);
		free(q);
		return 1;
	}
	return react(ctx, "react", a.post, kind);
}

const struct cmd_entry cmd_react_entry = {
	.name = "react",
	.usage = "react POST EMOJI",
	.help = "react: like love haha wow sad angry",
	.min_args = 2, .max_args = 2,
	.exec = cmd_react_exec,
};
