/*
 * notifications: list (all, or --unread), stream (--follow, through
 * cli/follow.c: a wake-up queries for notifications newer than the last
 * shown), mark read and delete.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/follow.h"
#include "cli/json.h"
#include "cli/people.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/sanitize.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "storage/social.h"
#include "storage/store.h"

#define NOTIF_PAGE	100

/* Pages as storage returns them: newest first. */
struct notif_batch {
	struct notif_page	*pages;
	size_t			 n;
};

static void
batch_free(struct notif_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		notif_page_free(&b->pages[i]);
	free(b->pages);
	memset(b, 0, sizeof *b);
}

/* Every notification (unread ones with unread_only) with an id above after_id. */
static int
batch_load(struct cli_ctx *ctx, bool unread_only, int64_t after_id, struct notif_batch *b)
{
	struct notif_page	*p;
	int64_t			 before = 0;
	int			 r;

	memset(b, 0, sizeof *b);
	for (;;) {
		b->pages = xreallocarray(b->pages, b->n + 1, sizeof *b->pages);
		p = &b->pages[b->n];
		if ((r = store_notifications(ctx->st, ctx->user_id, unread_only, before,
		    NOTIF_PAGE, p)) != 0) {
			batch_free(b);
			return r;
		}
		b->n++;
		/* Newest first: once a page reaches after_id, older pages hold nothing new. */
		if (p->next_before == 0 || (p->n > 0 && p->v[p->n - 1].id <= after_id))
			break;
		before = p->next_before;
	}
	return 0;
}

static void
print_text(struct cli_ctx *ctx, const struct notification *n, int64_t now)
{
	struct buf	 who = BUF_INIT;
	char		 when[32];

	if (n->actor_username != NULL) {
		sanitize_append(&who, n->actor_display_name ? n->actor_display_name : "", false);
		buf_adds(&who, " (@");
		sanitize_append(&who, n->actor_username, false);
		buf_adds(&who, ")");
	} else
		buf_adds(&who, "someone");
	time_ago(n->created_at, now, when, sizeof when);
	fprintf(ctx->out, "%lld  %-6s  %-11s  ", (long long)n->id, n->read ? "read" : "unread",
	    when);
	fprintf(ctx->out, "%s %s", who.buf, notif_type_text(n->type));
	if (n->about_gone)
		fprintf(ctx->out, " (%s)", notif_gone_text(n->type));
	else if (n->about != NULL) {
		buf_reset(&who);
		sanitize_append(&who, n->about, false);
		fprintf(ctx->out, ": \"%s\"", who.buf);
	}
	fputc('\n', ctx->out);
	buf_release(&who);
}

static void
print_json(struct cli_ctx *ctx, const struct notification *n)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(n->id));
	json_object_object_add(o, "type", json_object_new_string(notif_type_name(n->type)));
	json_object_object_add(o, "actor", n->actor_username != NULL ?
	    json_object_new_string(n->actor_username) : NULL);
	/* 0 means "about the actor": no separate object. */
	json_object_object_add(o, "object", n->object_id != 0 ?
	    json_object_new_int64(n->object_id) : NULL);
	json_object_object_add(o, "read", json_object_new_boolean(n->read));
	json_object_object_add(o, "created_at", json_time(n->created_at));
	/* Added fields: the first words of what it is about (null: none, or gone). */
	json_object_object_add(o, "about", n->about != NULL ?
	    json_object_new_string(n->about) : NULL);
	json_object_object_add(o, "about_deleted", json_object_new_boolean(n->about_gone));
	json_print_line(ctx->out, o);
}

/*
 * Print the batch's notifications above after_id: newest first for a list,
 * oldest first for a stream (new ones then continue below, as with tail -f).
 * Returns how many were printed; *maxp gets the highest id seen.
 */
static size_t
batch_print(struct cli_ctx *ctx, const struct notif_batch *b, bool json, bool oldest_first,
    int64_t after_id, int64_t *maxp)
{
	const struct notification	*n;
	int64_t				 now = (int64_t)time(NULL);
	size_t				 i, j, pi, ni, count = 0;

	for (i = 0; i < b->n; i++) {
		pi = oldest_first ? b->n - 1 - i : i;
		for (j = 0; j < b->pages[pi].n; j++) {
			ni = oldest_first ? b->pages[pi].n - 1 - j : j;
			n = &b->pages[pi].v[ni];
			if (n->id <= after_id)
				continue;
			if (n->id > *maxp)
				*maxp = n->id;
			if (json)
				print_json(ctx, n);
			else
				print_text(ctx, n, now);
			count++;
		}
	}
	return count;
}

/* ---- --follow ------------------------------------------------------------ */

struct notif_follow {
	bool	unread_only, json;
	bool	started;	/* the first batch is printed */
	int64_t	last;		/* the highest id printed */
};

/* The stream's news (cli_follow): everything at first, oldest first; then what is newer. */
static int
notif_news(struct cli_ctx *ctx, void *arg)
{
	struct notif_follow	*nf = arg;
	struct notif_batch	 b;
	int			 r;

	if ((r = batch_load(ctx, nf->unread_only, nf->last, &b)) != 0) {
		if (!nf->started)
			return cli_fail(ctx, err_exit_status(r), "notifications: %s",
			    err_str(r));
		return CLI_FOLLOW_RETRY;	/* logged by storage */
	}
	nf->started = true;
	(void)batch_print(ctx, &b, nf->json, true, nf->last, &nf->last);
	batch_free(&b);
	return 0;
}

static int
notif_follow(struct cli_ctx *ctx, bool unread_only, bool json)
{
	struct notif_follow nf = { unread_only, json, false, 0 };

	return cli_follow(ctx, CLI_TOPIC(TOPIC_NOTIFICATION), notif_news, &nf);
}

/* ---- read | delete ID|all -------------------------------------------------- */

static int
parse_id(const char *s, int64_t *idp)
{
	char		*end;
	long long	 v;

	if (s[0] < '0' || s[0] > '9')
		return ERR_INVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || v <= 0)
		return ERR_INVALID;
	*idp = v;
	return 0;
}

static int
notif_change(struct cli_ctx *ctx, const char *verb, const char *target)
{
	bool	 del = strcmp(verb, "delete") == 0, all = strcmp(target, "all") == 0;
	int64_t	 id = 0;
	char	*q;
	int	 r, status;

	if (!all && parse_id(target, &id) != 0) {
		q = cli_quote(target);
		status = cli_fail(ctx, 1, "notifications %s: '%s' is not a notification id "
		    "(a number from: notifications, or all)", verb, q);
		free(q);
		return status;
	}
	if (all)
		r = del ? store_notification_delete_all(ctx->st, ctx->user_id) :
		    store_notification_read_all(ctx->st, ctx->user_id);
	else
		r = del ? store_notification_delete(ctx->st, ctx->user_id, id) :
		    store_notification_read(ctx->st, ctx->user_id, id);
	if (r == ERR_NOTFOUND)
		return cli_fail(ctx, 2, "notifications %s: no notification %lld", verb,
		    (long long)id);
	if (r != 0)
		return cli_fail(ctx, err_exit_status(r), "notifications %s: %s", verb,
		    err_str(r));
	/* The badge in every session of mine. */
	cli_hint(ctx, TOPIC_NOTIFICATION, ctx->user_id, id);
	if (all)
		fprintf(ctx->out, del ? "deleted all notifications\n" :
		    "marked all notifications read\n");
	else
		fprintf(ctx->out, del ? "deleted notification %lld\n" :
		    "marked notification %lld read\n", (long long)id);
	return 0;
}

static int
cmd_notifications_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct notif_batch	 b;
	const char		*flag;
	bool			 json, unread, follow;
	int64_t			 last = 0;
	char			*q;
	int			 r, status;

	if (argc >= 2 && (strcmp(argv[1], "read") == 0 || strcmp(argv[1], "delete") == 0)) {
		if (argc != 3)
			return cli_fail(ctx, 1, "usage: notifications %s ID|all", argv[1]);
		return notif_change(ctx, argv[1], argv[2]);
	}
	json = cli_take_flag(&argc, argv, "--json");
	unread = cli_take_flag(&argc, argv, "--unread");
	follow = cli_take_flag(&argc, argv, "--follow");
	if ((flag = cli_stray_flag(argc, argv)) != NULL) {
		q = cli_quote(flag);
		status = cli_fail(ctx, 1, "notifications: unknown option '%s' (usage: %s)", q,
		    cmd_notifications_entry.usage);
		free(q);
		return status;
	}
	if (argc > 1)
		return cli_fail(ctx, 1, "usage: %s", cmd_notifications_entry.usage);
	if (follow) {
		/* The `:` line has no stdin and must not block the TUI. */
		if (ctx->in == NULL)
			return cli_fail(ctx, 1, "notifications --follow: only as a command "
			    "(ssh HOST notifications --follow)");
		return notif_follow(ctx, unread, json);
	}
	if ((r = batch_load(ctx, unread, 0, &b)) != 0)
		return cli_fail(ctx, err_exit_status(r), "notifications: %s", err_str(r));
	if (batch_print(ctx, &b, json, false, 0, &last) == 0 && !json)
		fprintf(ctx->out, unread ? "no unread notifications\n" : "no notifications\n");
	batch_free(&b);
	return 0;
}

const struct cmd_entry cmd_notifications_entry = {
	.name = "notifications",
	.usage = "notifications [--unread] [--json] [--follow] | notifications read|delete ID|all",
	.help = "your notifications: list, follow, read, delete",
	.min_args = 0, .max_args = 2,
	.exec = cmd_notifications_exec,
};
