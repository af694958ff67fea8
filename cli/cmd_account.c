/* whoami and help: who am I, and what can I run. */
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "common/err.h"
#include "storage/store.h"

#define HELP_USAGE_COLS 30

static int
cmd_whoami_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct user	 u = { 0 };
	bool		 json = cli_take_flag(&argc, argv, "--json");
	struct json_object *o;
	int		 r;

	if ((r = store_user_by_id(ctx->st, ctx->user_id, &u)) != 0)
		return cli_fail(ctx, err_exit_status(r), "whoami: %s", err_str(r));
	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "username", json_object_new_string(u.username));
		json_object_object_add(o, "display_name", json_object_new_string(u.display_name));
		json_object_object_add(o, "created_at", json_time(u.created_at));
		json_print_line(ctx->out, o);
	} else
		fprintf(ctx->out, "%s\n", u.username);
	user_free(&u);
	return 0;
}

const struct cmd_entry cmd_whoami_entry = {
	.name = "whoami",
	.usage = "whoami [--json]",
	.help = "print your username",
	.min_args = 0, .max_args = 0,
	.exec = cmd_whoami_exec,
};

static int
cmd_help_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;
	size_t			 i;

	(void)argc;
	if (argc > 1) {
		if ((e = cli_find(argv[1])) == NULL)
			return cli_fail(ctx, 2, "help: no command named that (try: help)");
		fprintf(ctx->out, "usage: %s\n%s\n", e->usage, e->help);
		return 0;
	}
	/* Two columns while the usage is short; a long usage gets its help on the next line. */
	for (i = 0; cli_commands[i] != NULL; i++) {
		e = cli_commands[i];
		if (strlen(e->usage) <= HELP_USAGE_COLS)
			fprintf(ctx->out, "  %-*s  %s\n", HELP_USAGE_COLS, e->usage, e->help);
		else
			fprintf(ctx->out, "  %s\n  %-*s  %s\n", e->usage, HELP_USAGE_COLS, "", e->help);
	}
	fprintf(ctx->out, "exit status: 0 ok, 1 usage or refused, 2 not found, 3 not allowed\n");
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "help [COMMAND]",
	.help = "list the commands, or show how to use one",
	.min_args = 0, .max_args = 1,
	.exec = cmd_help_exec,
};
