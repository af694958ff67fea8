/* keys: list, add (an authorized_keys line on stdin) and remove SSH keys. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/sanitize.h"
#include "common/timefmt.h"
#include "storage/store.h"

static int
keys_list(struct cli_ctx *ctx, bool json)
{
	struct key_list	 kl = { 0 };
	struct json_object *o;
	char		 date[32], *comment;
	size_t		 i;
	int		 r;

	if ((r = store_key_list(ctx->st, ctx->user_id, &kl)) != 0)
		return cli_fail(ctx, err_exit_status(r), "keys: %s", err_str(r));
	for (i = 0; i < kl.n; i++) {
		if (json) {
			o = json_object_new_object();
			json_object_object_add(o, "fingerprint",
			    json_object_new_string(kl.v[i].fingerprint));
			json_object_object_add(o, "type", json_object_new_string(kl.v[i].type));
			json_object_object_add(o, "comment",
			    json_object_new_string(kl.v[i].comment));
			json_object_object_add(o, "created_at", json_time(kl.v[i].created_at));
			json_print_line(ctx->out, o);
			continue;
		}
		time_date(kl.v[i].created_at, date, sizeof date);
		comment = sanitize_dup(kl.v[i].comment, false);
		fprintf(ctx->out, "%s  %s  %s  %s\n", kl.v[i].fingerprint, kl.v[i].type,
		    date, comment);
		free(comment);
	}
	if (kl.n == 0 && !json)
		fprintf(ctx->out, "no keys (add one: ssh HOST keys add < ~/.ssh/id_ed25519.pub)\n");
	key_list_free(&kl);
	return 0;
}

/* Read the first non-empty line of stdin, refusing more than KEY_LINE_MAX bytes. */
static int
read_key_line(struct cli_ctx *ctx, struct buf *line)
{
	int c;

	if (ctx->in == NULL)
		return ERR_INVALID;
	while ((c = fgetc(ctx->in)) != EOF) {
		if (c == '\n') {
			if (line->len > 0)
				break;
			continue;
		}
		if (line->len >= KEY_LINE_MAX)
			return ERR_INVALID;
		buf_addch(line, c);
	}
	return line->len > 0 ? 0 : ERR_INVALID;
}

static int
keys_add(struct cli_ctx *ctx, int argc, char **argv)
{
	struct buf	 line = BUF_INIT;
	char		 why[160], *fp = NULL;
	int		 r, status;

	if (argc > 2) {
		/* The line may come as arguments too (`:keys add ssh-ed25519 AAAA... me`). */
		for (int i = 2; i < argc; i++) {
			if (i > 2)
				buf_addch(&line, ' ');
			buf_adds(&line, argv[i]);
		}
	} else if (read_key_line(ctx, &line) != 0) {
		buf_release(&line);
		return cli_fail(ctx, 1, "keys add: give an authorized_keys line on stdin "
		    "(ssh HOST keys add < ~/.ssh/id_ed25519.pub)");
	}
	if ((status = cli_refuse_nul(ctx, "keys add", line.buf, line.len)) != 0) {
		buf_release(&line);
		return status;
	}
	r = store_key_add(ctx->st, ctx->user_id, line.buf, &fp, why, sizeof why);
	buf_release(&line);
	if (r == ERR_EXISTS)
		status = cli_fail(ctx, 1, "keys add: that key is already on your account");
	else if (r != 0)
		status = cli_fail(ctx, err_exit_status(r), "keys add: %s",
		    why[0] ? why : err_str(r));
	else {
		fprintf(ctx->out, "%s\n", fp);
		cli_hint(ctx, TOPIC_ACCOUNT, ctx->user_id, 0);
		status = 0;
	}
	free(fp);
	return status;
}

static int
keys_remove(struct cli_ctx *ctx, const char *fp)
{
	int r = store_key_remove(ctx->st, ctx->user_id, fp);

	if (r == ERR_NOTFOUND)
		return cli_fail(ctx, 2, "keys remove: no key with that fingerprint "
		    "(see: keys list)");
	if (r == ERR_DENIED)
		return cli_fail(ctx, 3, "keys remove: that is your last way to log in "
		    "(add another key or set a password first)");
	if (r != 0)
		return cli_fail(ctx, err_exit_status(r), "keys remove: %s", err_str(r));
	fprintf(ctx->out, "removed %s\n", fp);
	cli_hint(ctx, TOPIC_ACCOUNT, ctx->user_id, 0);
	return 0;
}

static int
cmd_keys_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = cli_take_flag(&argc, argv, "--json");

	if (argc == 1 || strcmp(argv[1], "list") == 0) {
		if (argc > 2)
			return cli_fail(ctx, 1, "usage: %s", cmd_keys_entry.usage);
		return keys_list(ctx, json);
	}
	if (strcmp(argv[1], "add") == 0)
		return keys_add(ctx, argc, argv);
	if (strcmp(argv[1], "remove") == 0) {
		if (argc != 3)
			return cli_fail(ctx, 1, "usage: keys remove FINGERPRINT");
		return keys_remove(ctx, argv[2]);
	}
	return cli_fail(ctx, 1, "usage: %s", cmd_keys_entry.usage);
}

const struct cmd_entry cmd_keys_entry = {
	.name = "keys",
	.usage = "keys [list [--json] | add < LINE | remove FINGERPRINT]",
	.help = "list, add or remove the SSH keys that log you in",
	.min_args = 0, .max_args = -1,
	.exec = cmd_keys_exec,
};
