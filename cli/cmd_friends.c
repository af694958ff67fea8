/* friends, requests, friend add|accept|decline|cancel|remove, block, unblock. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/people.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/sanitize.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "storage/social.h"

#define FRIENDS_PAGE	100

/* "CMD: unknown option '--x'" for a flag the command does not take; 0 when there is none. */
static int
refuse_stray_flag(struct cli_ctx *ctx, const struct cmd_entry *e, int argc, char **argv)
{
	const char	*flag = cli_stray_flag(argc, argv);
	char		*q;
	int		 status;

	if (flag == NULL)
		return 0;
	q = cli_quote(flag);
	status = cli_fail(ctx, 1, "%s: unknown option '%s' (usage: %s)", e->name, q, e->usage);
	free(q);
	return status;
}

/* One listed user: a JSON user object (with extras) or a text line. */
static void
print_listed(struct cli_ctx *ctx, bool json, const struct user_summary *s,
    const char *direction, const char *since_label)
{
	struct json_object	*o;
	char			 when[32], extra[64] = "";

	if (json) {
		if ((o = cli_user_json_by_name(ctx, s->username)) == NULL)
			return;	/* gone since the list was read */
		if (direction != NULL)
			json_object_object_add(o, "direction", json_object_new_string(direction));
		if (s->since != 0)
			json_object_object_add(o, "since", json_time(s->since));
		json_print_line(ctx->out, o);
		return;
	}
	if (since_label != NULL && s->since != 0) {
		time_ago(s->since, (int64_t)time(NULL), when, sizeof when);
		snprintf(extra, sizeof extra, "%s %s", since_label, when);
	}
	cli_print_user_line(ctx, s, extra);
}

/* ---- friends [USER] [--filter TEXT] [--json] ------------------------------ */

static int
cmd_friends_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct user_list	 ul = { 0 };
	const char		*filter = NULL, *who = NULL;
	char			*after = NULL, *q;
	bool			 json = cli_take_flag(&argc, argv, "--json");
	int64_t			 id = ctx->user_id;
	size_t			 i, total = 0;
	int			 r, status = 0;

	if (cli_take_option(&argc, argv, "--filter", &filter) != 0)
		return cli_fail(ctx, 1, "usage: %s", cmd_friends_entry.usage);
	if ((status = refuse_stray_flag(ctx, &cmd_friends_entry, argc, argv)) != 0)
		return status;
	if (argc > 2)
		return cli_fail(ctx, 1, "usage: %s", cmd_friends_entry.usage);
	if (argc == 2) {
		who = cli_username_arg(argv[1]);
		if ((status = cli_user_resolve(ctx, "friends", who, &id)) != 0)
			return status;
	}
	do {
		r = store_friends_list(ctx->st, ctx->user_id, id, filter, after,
		    FRIENDS_PAGE, &ul);
		free(after);
		after = NULL;
		if (r != 0)
			break;
		for (i = 0; i < ul.n; i++)
			print_listed(ctx, json, &ul.v[i], NULL, "friends since");
		total += ul.n;
		if (ul.next_after != NULL)
			after = xstrdup(ul.next_after);
		user_list_free(&ul);
	} while (after != NULL);
	if (r != 0) {
		q = cli_quote(who != NULL ? who : ctx->username);
		if (r == ERR_DENIED)
			status = cli_fail(ctx, 3, "friends: the friends of '%s' are not "
			    "visible to you", q);
		else if (r == ERR_NOTFOUND)
			status = cli_fail(ctx, 2, "friends: no user named '%s'", q);
		else
			status = cli_fail(ctx, err_exit_status(r), "friends: %s", err_str(r));
		free(q);
		return status;
	}
	if (total == 0 && !json) {
		if (filter != NULL && filter[0] != '\0') {
			q = cli_quote(filter);
			fprintf(ctx->out, "no friends match '%s'\n", q);
			free(q);
		} else if (who == NULL || id == ctx->user_id)
			fprintf(ctx->out, "no friends yet (send a request: friend add USER)\n");
		else
			fprintf(ctx->out, "no friends yet\n");
	}
	return 0;
}

const struct cmd_entry cmd_friends_entry = {
	.name = "friends",
	.usage = "friends [USER] [--filter TEXT] [--json]",
	.help = "list your friends, or USER's",
	.min_args = 0, .max_args = -1,	/* --filter takes a value: checked in the command */
	.exec = cmd_friends_exec,
};

/* ---- requests [--json] ---------------------------------------------------- */

static int
cmd_requests_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct user_list	 in = { 0 }, out = { 0 };
	bool			 json = cli_take_flag(&argc, argv, "--json");
	size_t			 i;
	int			 r, status;

	if ((status = refuse_stray_flag(ctx, &cmd_requests_entry, argc, argv)) != 0)
		return status;
	if ((r = store_requests_incoming(ctx->st, ctx->user_id, &in)) != 0 ||
	    (r = store_requests_outgoing(ctx->st, ctx->user_id, &out)) != 0) {
		user_list_free(&in);
		return cli_fail(ctx, err_exit_status(r), "requests: %s", err_str(r));
	}
	if (!json)
		fprintf(ctx->out, "incoming requests (%zu):%s\n", in.n,
		    in.n ? "" : " none");
	for (i = 0; i < in.n; i++) {
		if (!json)
			fputs("  ", ctx->out);
		print_listed(ctx, json, &in.v[i], "incoming", "asked");
	}
	if (!json)
		fprintf(ctx->out, "outgoing requests (%zu):%s\n", out.n,
		    out.n ? "" : " none");
	for (i = 0; i < out.n; i++) {
		if (!json)
			fputs("  ", ctx->out);
		print_listed(ctx, json, &out.v[i], "outgoing", "sent");
	}
	if (!json && in.n > 0)
		fprintf(ctx->out, "answer with: friend accept USER, or friend decline USER\n");
	user_list_free(&in);
	user_list_free(&out);
	return 0;
}

const struct cmd_entry cmd_requests_entry = {
	.name = "requests",
	.usage = "requests [--json]",
	.help = "friend requests to you and from you",
	.min_args = 0, .max_args = 0,
	.exec = cmd_requests_exec,
};

/* ---- friend add|accept|decline|cancel|remove USER, block USER, unblock USER ---- */

static const struct friend_action {
	const char	*name;
	int		(*fn)(struct store *, int64_t me, int64_t other, bool *notifiedp,
			    char *why, size_t whysz);
	const char	*before, *after;	/* what was done, around the other's username */
} friend_actions[] = {
	{ "add",	store_friend_request,	"friend request sent to ", "" },
	{ "accept",	store_friend_accept,	"you and ", " are now friends" },
	{ "decline",	store_friend_decline,	"declined the friend request from ", "" },
	{ "cancel",	store_friend_cancel,	"cancelled your friend request to ", "" },
	{ "remove",	store_friend_remove,	"", " is no longer your friend" },
};

/* The hints every friendship or block change sends: both sides' friend views, and other's badge. */
static void
hint_pair(struct cli_ctx *ctx, int64_t other, bool notified)
{
	cli_hint(ctx, TOPIC_FRIEND, other, 0);
	cli_hint(ctx, TOPIC_FRIEND, ctx->user_id, 0);
	if (notified)
		cli_hint(ctx, TOPIC_NOTIFICATION, other, 0);
}

static int
action_failed(struct cli_ctx *ctx, const char *cmd, int r, const char *why)
{
	char	*q = sanitize_dup(why[0] ? why : err_str(r), false);
	int	 status;

	/* ERR_EXISTS and ERR_INVALID (self) are refusals: 1; blocks 3; no such request 2. */
	status = cli_fail(ctx, err_exit_status(r), "%s: %s", cmd, q);
	free(q);
	return status;
}

static int
cmd_friend_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct friend_action	*a = NULL;
	char				 why[200] = "", cmd[32], *name;
	bool				 notified = false;
	int64_t				 other;
	size_t				 i;
	int				 r, status;

	if ((status = refuse_stray_flag(ctx, &cmd_friend_entry, argc, argv)) != 0)
		return status;
	for (i = 0; argc == 3 && i < sizeof friend_actions / sizeof friend_actions[0]; i++)
		if (strcmp(argv[1], friend_actions[i].name) == 0)
			a = &friend_actions[i];
	if (a == NULL)
		return cli_fail(ctx, 1, "usage: %s", cmd_friend_entry.usage);
	snprintf(cmd, sizeof cmd, "friend %s", a->name);
	if ((status = cli_user_resolve(ctx, cmd, argv[2], &other)) != 0)
		return status;
	if ((r = a->fn(ctx->st, ctx->user_id, other, &notified, why, sizeof why)) != 0)
		return action_failed(ctx, cmd, r, why);
	hint_pair(ctx, other, notified);
	/* Storage words an unusual success ("friend add" that accepted their request). */
	if (why[0] != '\0') {
		name = sanitize_dup(why, false);
		fprintf(ctx->out, "%s\n", name);
		free(name);
		return 0;
	}
	name = cli_username_of(ctx, other);
	fprintf(ctx->out, "%s%s%s\n", a->before, name ? name : "them", a->after);
	free(name);
	return 0;
}

const struct cmd_entry cmd_friend_entry = {
	.name = "friend",
	.usage = "friend add|accept|decline|cancel|remove USER",
	.help = "ask, accept, decline, withdraw or unfriend",
	.min_args = 2, .max_args = 2,
	.exec = cmd_friend_exec,
};

static int
block_common(struct cli_ctx *ctx, int argc, char **argv, bool block)
{
	const struct cmd_entry	*e = block ? &cmd_block_entry : &cmd_unblock_entry;
	char			 why[200] = "", *name;
	int64_t			 other;
	int			 r, status;

	if ((status = refuse_stray_flag(ctx, e, argc, argv)) != 0)
		return status;
	if (argc != 2)
		return cli_fail(ctx, 1, "usage: %s", e->usage);
	if ((status = cli_user_resolve(ctx, e->name, argv[1], &other)) != 0)
		return status;
	r = block ? store_block(ctx->st, ctx->user_id, other, why, sizeof why) :
	    store_unblock(ctx->st, ctx->user_id, other, why, sizeof why);
	if (r != 0)
		return action_failed(ctx, e->name, r, why);
	hint_pair(ctx, other, false);
	name = cli_username_of(ctx, other);
	fprintf(ctx->out, "%s %s\n", block ? "blocked" : "unblocked", name ? name : "them");
	free(name);
	return 0;
}

static int
cmd_block_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	return block_common(ctx, argc, argv, true);
}

static int
cmd_unblock_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	return block_common(ctx, argc, argv, false);
}

const struct cmd_entry cmd_block_entry = {
	.name = "block",
	.usage = "block USER",
	.help = "block someone: they can no longer find you",
	.min_args = 1, .max_args = 1,
	.exec = cmd_block_exec,
};

const struct cmd_entry cmd_unblock_entry = {
	.name = "unblock",
	.usage = "unblock USER",
	.help = "unblock someone you blocked",
	.min_args = 1, .max_args = 1,
	.exec = cmd_unblock_exec,
};
