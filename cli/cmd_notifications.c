/*
 * notifications: list (all, or --unread), stream (--follow), mark read and
 * delete. The stream waits on the event hub (a hint says "look again") with
 * a 1 s timeout that falls back to PRAGMA data_version, the only path when
 * the app runs without the daemon; either way the database is the truth and
 * a hint only triggers a query for notifications newer than the last shown.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
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
#define FOLLOW_WAIT_MS	1000	/* the data_version poll when no hint comes */

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
	fprintf(ctx->out, "%s %s\n", who.buf, notif_type_text(n->type));
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

static volatile sig_atomic_t follow_stop;

static void
follow_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* Drain the hub: true when a hint may concern notifications; *hubp is -1 once it is gone. */
static bool
hub_drain(int *hubp)
{
	struct hub_msg	m;
	bool		news = false;
	int		r;

	while ((r = hub_recv(*hubp, &m)) == 1) {
		if (m.kind == HUB_SHUTDOWN)
			follow_stop = 1;	/* the server is going: so is this session */
		else if (m.kind == HUB_HINT &&
		    (m.topic == TOPIC_NOTIFICATION || m.topic == TOPIC_ANY))
			news = true;
	}
	if (r < 0)
		*hubp = -1;	/* carry on with data_version alone */
	return news;
}

/*
 * Stream until the client goes: SIGHUP or SIGTERM (sshbookd sends them when
 * the channel closes), a failed write (EPIPE: SIGPIPE is ignored meanwhile),
 * the hub's shutdown, or the test hook. Not on stdin's EOF: `ssh -n host
 * notifications --follow` has none from the start.
 */
static int
notif_follow(struct cli_ctx *ctx, bool unread_only, bool json)
{
	struct sigaction	 sa, old_hup, old_term, old_pipe;
	struct notif_batch	 b;
	struct pollfd		 pfd;
	int64_t			 last = 0, dv = 0, ndv;
	int			 hub = ctx->hub_fd, n, r, status = 0;
	bool			 news, retry = false;

	follow_stop = 0;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = follow_signal;	/* no SA_RESTART: poll returns EINTR */
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);

	(void)store_data_version(ctx->st, &dv);
	if ((r = batch_load(ctx, unread_only, 0, &b)) != 0) {
		status = cli_fail(ctx, err_exit_status(r), "notifications: %s", err_str(r));
		goto out;
	}
	(void)batch_print(ctx, &b, json, true, 0, &last);
	batch_free(&b);
	if (fflush(ctx->out) != 0 || ferror(ctx->out))
		goto out;
	while (!follow_stop) {
		if (ctx->follow_tick != NULL && ctx->follow_tick(ctx, ctx->follow_arg) != 0)
			break;
		if (follow_stop)
			break;
		news = retry;
		retry = false;
		if (hub >= 0) {
			pfd.fd = hub;
			pfd.events = POLLIN;
			pfd.revents = 0;
			n = poll(&pfd, 1, FOLLOW_WAIT_MS);
			if (n < 0 && errno != EINTR)
				hub = -1;
			else if (n > 0) {
				news = hub_drain(&hub);
				if (hub >= 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
					hub = -1;
			}
		} else
			(void)poll(NULL, 0, FOLLOW_WAIT_MS);
		if (follow_stop)
			break;
		/* Another connection committed: maybe a notification the hub did not tell. */
		if (store_data_version(ctx->st, &ndv) == 0 && ndv != dv) {
			dv = ndv;
			news = true;
		}
		if (!news)
			continue;
		if (batch_load(ctx, unread_only, last, &b) != 0) {
			retry = true;	/* logged by storage; try again at the next wake-up */
			continue;
		}
		n = (int)batch_print(ctx, &b, json, true, last, &last);
		batch_free(&b);
		if (n > 0 && (fflush(ctx->out) != 0 || ferror(ctx->out)))
			break;	/* the client is gone */
	}
 out:
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return status;
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
