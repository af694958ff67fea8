/*
 * dm and messages: send, the conversation list, one conversation (with
 * --follow: new messages, edits and deletions as they happen), message
 * requests, edit and delete. After every write the hub hears TOPIC_MESSAGE
 * for both sides (object: the message) and TOPIC_NOTIFICATION for whoever's
 * notifications changed.
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
#include "storage/messages.h"
#include "storage/store.h"

#define HISTORY_LIMIT	20	/* messages USER shows this many by default */
#define HISTORY_MAX	500
#define FOLLOW_PAGE	100
/* Bytes of standard input read at most: MESSAGE_MAX characters of 4 bytes, and final newlines. */
#define STDIN_MAX	(MESSAGE_MAX * 4 + 64)

/* ---- shared ------------------------------------------------------------------- */

/* "CMD: unknown option '--x' (usage: ...)"; 0 when argv has no flag. */
static int
refuse_flag(struct cli_ctx *ctx, const struct cmd_entry *e, int argc, char **argv)
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

/* A storage refusal: its why (sanitized) or the error's phrase, with the error's exit status. */
static int
refused(struct cli_ctx *ctx, const char *cmd, int r, const char *why)
{
	char	*q = sanitize_dup(why != NULL && why[0] != '\0' ? why : err_str(r), false);
	int	 status;

	status = cli_fail(ctx, err_exit_status(r), "%s: %s", cmd, q);
	free(q);
	return status;
}

/*
 * The text of a message: the words argv[first..argc) joined by single
 * spaces, or else standard input to its end without the final newlines.
 * Returns 0, or the exit status after printing why not.
 */
static int
message_text(struct cli_ctx *ctx, const char *cmd, int argc, char **argv, int first,
    struct buf *out)
{
	char	chunk[4096];
	size_t	n;
	int	i;

	if (first < argc) {
		for (i = first; i < argc; i++) {
			if (i > first)
				buf_addch(out, ' ');
			buf_adds(out, argv[i]);
		}
		return 0;
	}
	if (ctx->in == NULL)
		return cli_fail(ctx, 1, "%s: no text (write it after the command)", cmd);
	/* Never more than a message can hold: a huge stdin is refused, not swallowed. */
	while ((n = fread(chunk, 1, sizeof chunk, ctx->in)) > 0) {
		if (out->len + n > STDIN_MAX)
			return cli_fail(ctx, 1, "%s: too long (at most %d characters)", cmd,
			    MESSAGE_MAX);
		buf_add(out, chunk, n);
	}
	if (ferror(ctx->in))
		return cli_fail(ctx, 1, "%s: could not read the message", cmd);
	while (out->len > 0 && (out->buf[out->len - 1] == '\n' ||
	    out->buf[out->len - 1] == '\r'))
		buf_truncate(out, out->len - 1);
	return cli_refuse_nul(ctx, cmd, out->buf, out->len);
}

/*
 * The user USER names for a conversation: someone I have one with (even
 * across a block: the history stays readable), or anyone I may find.
 * Returns 0, or the exit status after printing (2: no such user).
 */
static int
resolve_peer(struct cli_ctx *ctx, const char *cmd, const char *word, int64_t *idp)
{
	if (store_message_peer(ctx->st, ctx->user_id, cli_username_arg(word), idp) == 0)
		return 0;
	return cli_user_resolve(ctx, cmd, word, idp);
}

/* A message id as typed: digits only. 0, or the exit status after printing. */
static int
message_id(struct cli_ctx *ctx, const char *cmd, const char *s, int64_t *idp)
{
	char		*end, *q;
	long long	 v;
	int		 status;

	*idp = 0;
	errno = 0;
	v = s[0] >= '0' && s[0] <= '9' ? strtoll(s, &end, 10) : 0;
	if (v <= 0 || *end != '\0' || errno != 0) {
		q = cli_quote(s);
		status = cli_fail(ctx, 1, "%s: '%s' is not a message id (the number "
		    "messages USER shows)", cmd, q);
		free(q);
		return status;
	}
	*idp = v;
	return 0;
}

/* The JSON message object (PRODUCT.md): id from to text created_at read, plus edited_at deleted. */
static struct json_object *
message_json(const struct message *m, int64_t me, const char *my_name, const char *other_name)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(m->id));
	json_object_object_add(o, "from", json_object_new_string(m->from_id == me ?
	    my_name : other_name));
	json_object_object_add(o, "to", json_object_new_string(m->to_id == me ?
	    my_name : other_name));
	json_object_object_add(o, "text", json_object_new_string(m->text));
	json_object_object_add(o, "created_at", json_time(m->created_at));
	json_object_object_add(o, "read", json_object_new_boolean(m->read));
	json_object_object_add(o, "edited_at", m->edited_at != 0 ? json_time(m->edited_at) :
	    NULL);
	json_object_object_add(o, "deleted", json_object_new_boolean(m->deleted));
	return o;
}

/*
 * One message for people: "ID  SENDER  WHEN  TEXT", sanitized; further lines
 * of the text indented below. label replaces WHEN (NULL: how long ago).
 */
static void
message_print(struct cli_ctx *ctx, const struct message *m, int64_t me, const char *my_name,
    const char *other_name, const char *label)
{
	struct buf	 text = BUF_INIT;
	char		 when[32], *who;
	const char	*p, *nl;

	who = sanitize_dup(m->from_id == me ? my_name : other_name, false);
	if (label == NULL)
		time_ago(m->created_at, (int64_t)time(NULL), when, sizeof when);
	else
		snprintf(when, sizeof when, "%s", label);
	if (m->deleted)
		buf_adds(&text, "message deleted");
	else
		sanitize_append(&text, m->text, true);
	if (m->edited_at != 0 && !m->deleted && label == NULL)
		buf_adds(&text, "  (edited)");
	fprintf(ctx->out, "%lld  %s  %s  ", (long long)m->id, who, when);
	for (p = text.buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		fprintf(ctx->out, "%.*s\n    ", (int)(nl - p), p);
	fprintf(ctx->out, "%s\n", p);
	buf_release(&text);
	free(who);
}

/* After other's messages to me were marked read: their "seen", my badge and my other sessions. */
static void
hint_read(struct cli_ctx *ctx, int64_t other)
{
	cli_hint(ctx, TOPIC_MESSAGE, other, 0);
	cli_hint(ctx, TOPIC_MESSAGE, ctx->user_id, 0);
	cli_hint(ctx, TOPIC_NOTIFICATION, ctx->user_id, 0);
}

/* ---- dm USER [TEXT...] -------------------------------------------------------- */

static int
cmd_dm_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct buf	 text = BUF_INIT;
	char		 why[200] = "", *name;
	bool		 request = false;
	int64_t		 other, id;
	int		 r, status;

	/* Every word after USER is text, "--" ones too; only USER cannot be a flag. */
	if ((status = refuse_flag(ctx, &cmd_dm_entry, 2, argv)) != 0)
		return status;
	if ((status = cli_user_resolve(ctx, "dm", argv[1], &other)) != 0)
		return status;
	if ((status = message_text(ctx, "dm", argc, argv, 2, &text)) != 0)
		goto out;
	r = store_message_send(ctx->st, ctx->user_id, other, text.buf, &id, &request, why,
	    sizeof why);
	if (r != 0) {
		status = refused(ctx, "dm", r, why);
		goto out;
	}
	cli_hint(ctx, TOPIC_MESSAGE, other, id);
	cli_hint(ctx, TOPIC_MESSAGE, ctx->user_id, id);
	cli_hint(ctx, TOPIC_NOTIFICATION, other, id);
	if (request) {
		name = cli_username_of(ctx, other);
		fprintf(ctx->out, "sent as a message request (%s can accept or decline it)\n",
		    name != NULL ? name : "they");
		free(name);
	}
 out:
	buf_release(&text);
	return status;
}

const struct cmd_entry cmd_dm_entry = {
	.name = "dm",
	.usage = "dm USER [TEXT...]",
	.help = "send USER a message (TEXT, or standard input)",
	.min_args = 1, .max_args = -1,
	.exec = cmd_dm_exec,
};

/* ---- messages [--json]: the conversation list ----------------------------------- */

static void
conversation_print(struct cli_ctx *ctx, const struct conversation *c, bool json)
{
	struct json_object	*o;
	char			 when[32], *name, *display, *preview;

	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "username", json_object_new_string(c->username));
		json_object_object_add(o, "display_name",
		    json_object_new_string(c->display_name));
		json_object_object_add(o, "unread", json_object_new_int64((int64_t)c->unread));
		json_object_object_add(o, "request", json_object_new_boolean(c->request));
		json_object_object_add(o, "pending", json_object_new_boolean(c->pending));
		json_object_object_add(o, "declined", json_object_new_boolean(c->declined));
		json_object_object_add(o, "last", message_json(&c->last, ctx->user_id,
		    ctx->username, c->username));
		json_print_line(ctx->out, o);
		return;
	}
	name = sanitize_dup(c->username, false);
	display = sanitize_dup(c->display_name, false);
	/* One line, cut: cli_quote sanitizes, folds newlines and ends long text with "…". */
	preview = cli_quote(c->last.deleted ? "message deleted" : c->last.text);
	time_ago(c->last.created_at, (int64_t)time(NULL), when, sizeof when);
	fprintf(ctx->out, "  %s  %s  ", name, display);
	if (c->unread > 0)
		fprintf(ctx->out, "%zu unread  ", c->unread);
	fprintf(ctx->out, "%s  %s%s", when, c->last.from_id == ctx->user_id ? "you: " : "",
	    preview);
	if (c->pending)
		fputs("  (waiting for them to accept)", ctx->out);
	else if (c->declined)
		fputs("  (they are not taking messages from you)", ctx->out);
	fputc('\n', ctx->out);
	free(name);
	free(display);
	free(preview);
}

static int
conversations_list(struct cli_ctx *ctx, bool json)
{
	struct conversation_list	 mine = { 0 }, asks = { 0 };
	size_t				 i;
	int				 r;

	if ((r = store_conversations(ctx->st, ctx->user_id, false, &mine)) != 0 ||
	    (r = store_conversations(ctx->st, ctx->user_id, true, &asks)) != 0) {
		conversation_list_free(&mine);
		return cli_fail(ctx, err_exit_status(r), "messages: %s", err_str(r));
	}
	if (!json && mine.n == 0 && asks.n == 0)
		fprintf(ctx->out, "no conversations yet (start one: dm USER TEXT)\n");
	else if (!json)
		fprintf(ctx->out, "conversations (%zu):%s\n", mine.n, mine.n ? "" : " none");
	for (i = 0; i < mine.n; i++)
		conversation_print(ctx, &mine.v[i], json);
	if (!json && asks.n > 0)
		fprintf(ctx->out, "message requests (%zu):\n", asks.n);
	for (i = 0; i < asks.n; i++)
		conversation_print(ctx, &asks.v[i], json);
	if (!json && asks.n > 0)
		fprintf(ctx->out, "answer with: messages accept USER, or messages decline USER\n");
	conversation_list_free(&mine);
	conversation_list_free(&asks);
	return 0;
}

/* ---- messages USER [--json] [--follow] [--limit N] [--before ID] ------------------ */

struct chat {
	int64_t		 other;
	char		*other_name;
	bool		 json;
	size_t		 limit;
	int64_t		 before;
	/* --follow */
	bool		 started;	/* the history is printed */
	int64_t		 last_id;	/* the newest message printed */
	int64_t		 rev;		/* the conversation's last change seen */
};

/* Whether other's request to me waits for an answer (for the hint under the history). */
static bool
chat_is_request(struct cli_ctx *ctx, int64_t other)
{
	struct conversation_list	l;
	bool				found = false;
	size_t				i;

	if (store_conversations(ctx->st, ctx->user_id, true, &l) != 0)
		return false;
	for (i = 0; i < l.n; i++)
		if (l.v[i].other_id == other)
			found = true;
	conversation_list_free(&l);
	return found;
}

/* Print a page of history (newest first from storage) oldest first; mark what it shows read. */
static int
chat_history(struct cli_ctx *ctx, struct chat *c)
{
	struct message_page	 p;
	const struct message	*m;
	bool			 unread = false;
	size_t			 i;
	char			*name;
	int			 r;

	if ((r = store_messages(ctx->st, ctx->user_id, c->other, c->before, c->limit, &p)) != 0)
		return r;
	for (i = p.n; i-- > 0;) {
		m = &p.v[i];
		if (c->json)
			json_print_line(ctx->out, message_json(m, ctx->user_id, ctx->username,
			    c->other_name));
		else
			message_print(ctx, m, ctx->user_id, ctx->username, c->other_name, NULL);
		if (m->id > c->last_id)
			c->last_id = m->id;
		if (m->to_id == ctx->user_id && !m->read)
			unread = true;
	}
	if (!c->json) {
		name = sanitize_dup(c->other_name, false);
		if (p.n == 0)
			fprintf(ctx->out, c->before ? "no older messages with %s\n" :
			    "no messages with %s yet (send one: dm %s TEXT)\n", name, name);
		else if (p.v[0].from_id == ctx->user_id && p.v[0].read && c->before == 0)
			fprintf(ctx->out, "seen\n");
		if (p.next_before != 0)
			fprintf(ctx->out, "older: messages %s --before %lld\n", name,
			    (long long)p.next_before);
		if (c->before == 0 && chat_is_request(ctx, c->other))
			fprintf(ctx->out, "%s sent you a message request: messages accept %s, "
			    "or messages decline %s\n", name, name, name);
		free(name);
	}
	message_page_free(&p);
	/* Reading the newest page is reading the conversation; older pages are only browsing. */
	if (unread && c->before == 0 &&
	    store_messages_mark_read(ctx->st, ctx->user_id, c->other) == 0)
		hint_read(ctx, c->other);
	return 0;
}

/* The stream's news (cli_follow): the history first, then what changed since. */
static int
chat_news(struct cli_ctx *ctx, void *arg)
{
	struct chat		*c = arg;
	struct message_page	 p;
	const struct message	*m;
	bool			 unread = false, is_new;
	size_t			 i, n;
	int			 r;

	if (!c->started) {
		/* The change number first: whatever comes after it shows below. */
		if ((r = store_messages_rev(ctx->st, ctx->user_id, c->other, &c->rev)) != 0 ||
		    (r = chat_history(ctx, c)) != 0)
			return cli_fail(ctx, err_exit_status(r), "messages: %s", err_str(r));
		c->started = true;
		return 0;
	}
	do {
		if (store_messages_changed(ctx->st, ctx->user_id, c->other, c->rev,
		    FOLLOW_PAGE, &p) != 0)
			return CLI_FOLLOW_RETRY;	/* logged by storage */
		for (i = 0; i < p.n; i++) {
			m = &p.v[i];
			c->rev = m->rev > c->rev ? m->rev : c->rev;
			/* A message shown before is an update: an edit or a deletion. */
			if ((is_new = m->id > c->last_id)) {
				c->last_id = m->id;
				if (m->to_id == ctx->user_id && !m->read)
					unread = true;
			} else if (!m->deleted && m->edited_at == 0)
				continue;	/* sent while the history was read: shown there */
			if (c->json)
				json_print_line(ctx->out, message_json(m, ctx->user_id,
				    ctx->username, c->other_name));
			else
				message_print(ctx, m, ctx->user_id, ctx->username,
				    c->other_name, is_new ? NULL : m->deleted ? "deleted" :
				    "edited");
		}
		n = p.n;
		message_page_free(&p);
	} while (n == FOLLOW_PAGE);
	/* Someone is watching: what arrives is read. */
	if (unread && store_messages_mark_read(ctx->st, ctx->user_id, c->other) == 0)
		hint_read(ctx, c->other);
	return 0;
}

static int
chat_show(struct cli_ctx *ctx, const char *who, bool json, bool follow, const char *limit,
    const char *before)
{
	struct chat	 c = { 0 };
	char		*end;
	long long	 v;
	int		 r, status = 0;

	c.json = json;
	c.limit = HISTORY_LIMIT;
	if (limit != NULL) {
		errno = 0;
		v = strtoll(limit, &end, 10);
		if (limit[0] < '0' || limit[0] > '9' || *end != '\0' || errno != 0 || v < 1 ||
		    v > HISTORY_MAX)
			return cli_fail(ctx, 1, "messages: --limit takes a number from 1 to %d",
			    HISTORY_MAX);
		c.limit = (size_t)v;
	}
	if (before != NULL && (status = message_id(ctx, "messages --before", before,
	    &c.before)) != 0)
		return status;
	if (follow && ctx->in == NULL)
		/* The `:` line has no stdin and must not block the TUI. */
		return cli_fail(ctx, 1, "messages --follow: only as a command "
		    "(ssh HOST messages USER --follow)");
	if (follow && before != NULL)
		return cli_fail(ctx, 1, "messages: --follow shows the newest messages, "
		    "not with --before");
	if ((status = resolve_peer(ctx, "messages", who, &c.other)) != 0)
		return status;
	if (c.other == ctx->user_id)
		return cli_fail(ctx, 1, "messages: that is you (try: messages, for your "
		    "conversations)");
	if ((c.other_name = cli_username_of(ctx, c.other)) == NULL)
		return cli_fail(ctx, 2, "messages: no such user");	/* gone meanwhile */
	if (follow)
		status = cli_follow(ctx, CLI_TOPIC(TOPIC_MESSAGE), chat_news, &c);
	else if ((r = chat_history(ctx, &c)) != 0)
		status = cli_fail(ctx, err_exit_status(r), "messages: %s", err_str(r));
	free(c.other_name);
	return status;
}

/* ---- messages accept|decline USER, messages edit ID [TEXT...], messages delete ID ---- */

static int
request_answer(struct cli_ctx *ctx, const char *verb, const char *who)
{
	bool	 accept = strcmp(verb, "accept") == 0;
	char	 cmd[32], *name, *q;
	int64_t	 other;
	int	 r, status;

	snprintf(cmd, sizeof cmd, "messages %s", verb);
	if ((status = resolve_peer(ctx, cmd, who, &other)) != 0)
		return status;
	r = accept ? store_message_request_accept(ctx->st, ctx->user_id, other) :
	    store_message_request_decline(ctx->st, ctx->user_id, other);
	name = cli_username_of(ctx, other);
	if (r == ERR_NOTFOUND) {
		q = cli_quote(name != NULL ? name : cli_username_arg(who));
		status = cli_fail(ctx, 2, "%s: no message request from '%s'", cmd, q);
		free(q);
	} else if (r != 0)
		status = cli_fail(ctx, err_exit_status(r), "%s: %s", cmd, err_str(r));
	else {
		cli_hint(ctx, TOPIC_MESSAGE, other, 0);
		cli_hint(ctx, TOPIC_MESSAGE, ctx->user_id, 0);
		if (!accept)	/* its notification is gone: my badge */
			cli_hint(ctx, TOPIC_NOTIFICATION, ctx->user_id, 0);
		if (accept)
			fprintf(ctx->out, "accepted the message request from %s\n",
			    name != NULL ? name : "them");
		else
			fprintf(ctx->out, "declined the message request from %s (they cannot "
			    "write to you unless you write to them or become friends)\n",
			    name != NULL ? name : "them");
	}
	free(name);
	return status;
}

static int
message_edit(struct cli_ctx *ctx, int argc, char **argv)
{
	struct buf	 text = BUF_INIT;
	char		 why[200] = "";
	int64_t		 id, other;
	int		 r, status;

	if ((status = message_id(ctx, "messages edit", argv[2], &id)) != 0)
		return status;
	if ((status = message_text(ctx, "messages edit", argc, argv, 3, &text)) != 0)
		goto out;
	if ((r = store_message_edit(ctx->st, ctx->user_id, id, text.buf, &other, why,
	    sizeof why)) != 0) {
		status = refused(ctx, "messages edit", r, why);
		goto out;
	}
	cli_hint(ctx, TOPIC_MESSAGE, other, id);
	cli_hint(ctx, TOPIC_MESSAGE, ctx->user_id, id);
	fprintf(ctx->out, "edited message %lld\n", (long long)id);
 out:
	buf_release(&text);
	return status;
}

static int
message_delete(struct cli_ctx *ctx, const char *word)
{
	int64_t	id, other;
	int	r, status;

	if ((status = message_id(ctx, "messages delete", word, &id)) != 0)
		return status;
	r = store_message_delete(ctx->st, ctx->user_id, id, &other);
	if (r == ERR_NOTFOUND)
		return cli_fail(ctx, 2, "messages delete: no message %lld (or it was deleted)",
		    (long long)id);
	if (r == ERR_DENIED)
		return cli_fail(ctx, 3, "messages delete: message %lld is not yours",
		    (long long)id);
	if (r != 0)
		return cli_fail(ctx, err_exit_status(r), "messages delete: %s", err_str(r));
	cli_hint(ctx, TOPIC_MESSAGE, other, id);
	cli_hint(ctx, TOPIC_MESSAGE, ctx->user_id, id);
	/* Their notification may have gone with their last unread message. */
	cli_hint(ctx, TOPIC_NOTIFICATION, other, id);
	fprintf(ctx->out, "deleted message %lld\n", (long long)id);
	return 0;
}

static int
cmd_messages_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	const char	*limit = NULL, *before = NULL;
	bool		 json, follow;
	int		 status;

	/*
	 * Subcommands first (their TEXT words are text, whatever they look
	 * like). One word alone is a USER: `messages edit` is the conversation
	 * with someone named edit.
	 */
	if (argc >= 3 && (strcmp(argv[1], "accept") == 0 || strcmp(argv[1], "decline") == 0)) {
		if ((status = refuse_flag(ctx, &cmd_messages_entry, argc, argv)) != 0)
			return status;
		if (argc != 3)
			return cli_fail(ctx, 1, "usage: messages %s USER", argv[1]);
		return request_answer(ctx, argv[1], argv[2]);
	}
	if (argc >= 3 && strcmp(argv[1], "edit") == 0)
		return message_edit(ctx, argc, argv);
	if (argc >= 3 && strcmp(argv[1], "delete") == 0) {
		if (argc != 3)
			return cli_fail(ctx, 1, "usage: messages delete ID");
		return message_delete(ctx, argv[2]);
	}
	json = cli_take_flag(&argc, argv, "--json");
	follow = cli_take_flag(&argc, argv, "--follow");
	if (cli_take_option(&argc, argv, "--limit", &limit) != 0 ||
	    cli_take_option(&argc, argv, "--before", &before) != 0)
		return cli_fail(ctx, 1, "usage: %s", cmd_messages_entry.usage);
	if ((status = refuse_flag(ctx, &cmd_messages_entry, argc, argv)) != 0)
		return status;
	if (argc > 2)
		return cli_fail(ctx, 1, "usage: %s", cmd_messages_entry.usage);
	if (argc == 2)
		return chat_show(ctx, argv[1], json, follow, limit, before);
	if (follow || limit != NULL || before != NULL)
		return cli_fail(ctx, 1, "messages: --follow, --limit and --before are for one "
		    "conversation (messages USER ...)");
	return conversations_list(ctx, json);
}

const struct cmd_entry cmd_messages_entry = {
	.name = "messages",
	.usage = "messages [USER] [--json] [--follow] [--limit N] [--before ID] | "
	    "messages accept|decline USER | messages edit ID [TEXT...] | messages delete ID",
	.help = "your conversations, or one (marked read); requests; edit or delete yours",
	.min_args = 0, .max_args = -1,
	.exec = cmd_messages_exec,
};
