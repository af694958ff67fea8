/*
 * settings: the account's own choices that are not part of the profile
 * others see. For now one: the visibility new posts get unless `post
 * --visibility` says otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/people.h"
#include "cli/postcmd.h"
#include "common/err.h"
#include "common/hub.h"
#include "storage/posts.h"

static int
settings_show(struct cli_ctx *ctx, bool json)
{
	struct json_object	*o;
	enum visibility		 vis;
	int			 r;

	if ((r = store_default_visibility(ctx->st, ctx->user_id, &vis)) != 0)
		return cli_fail(ctx, err_exit_status(r), "settings: %s", err_str(r));
	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "default_visibility",
		    json_object_new_string(visibility_name(vis)));
		json_print_line(ctx->out, o);
	} else
		fprintf(ctx->out, "visibility  %s  (of new posts; change with: settings "
		    "visibility public|friends|private)\n", visibility_name(vis));
	return 0;
}

static int
cmd_settings_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	enum visibility	 vis;
	bool		 json = cli_take_flag(&argc, argv, "--json");
	const char	*flag;
	char		*q;
	int		 r, status;

	if ((flag = cli_stray_flag(argc, argv)) != NULL) {
		q = cli_quote(flag);
		status = cli_fail(ctx, 1, "settings: unknown option '%s' (usage: %s)", q,
		    cmd_settings_entry.usage);
		free(q);
		return status;
	}
	if (argc == 1)
		return settings_show(ctx, json);
	if (strcmp(argv[1], "visibility") != 0) {
		q = cli_quote(argv[1]);
		status = cli_fail(ctx, 1, "settings: no setting named '%s' (visibility)", q);
		free(q);
		return status;
	}
	if (argc != 3)
		return cli_fail(ctx, 1, "usage: settings visibility public|friends|private");
	if ((status = postcmd_visibility(ctx, "settings visibility", argv[2], &vis)) != 0)
		return status;
	if ((r = store_set_default_visibility(ctx->st, ctx->user_id, vis)) != 0)
		return cli_fail(ctx, err_exit_status(r), "settings visibility: %s", err_str(r));
	fprintf(ctx->out, "new posts are now visible to: %s\n", visibility_name(vis));
	cli_hint(ctx, TOPIC_ACCOUNT, ctx->user_id, 0);
	return 0;
}

const struct cmd_entry cmd_settings_entry = {
	.name = "settings",
	.usage = "settings [--json] | settings visibility public|friends|private",
	.help = "your settings: default post visibility",
	.min_args = 0, .max_args = 2,
	.exec = cmd_settings_exec,
};
