/*
 * post, show, edit, delete, comment, comments, share: writing and reading
 * single posts. Every command first asks storage for the post as the user
 * may see it, so a post that is hidden and one that does not exist get the
 * same answer whatever the action (storage then checks again as it writes).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/postcmd.h"
#include "cli/postfmt.h"
#include "common/buf.h"
#include "common/err.h"
#include "storage/media.h"
#include "storage/posts.h"
#include "worker/fanout.h"

#define COMMENTS_PAGE	100

/* ---- post [--visibility V] [TEXT...] ------------------------------------- */

/* --media 41,42: up to POST_MEDIA_MAX media ids; 0 with *np, or the printed usage error's status. */
static int
parse_media_ids(struct cli_ctx *ctx, const char *list, int64_t *ids, size_t *np)
{
	const char	*p = list;
	char		*end;
	long long	 v;

	*np = 0;
	while (*p != '\0') {
		if (*p < '0' || *p > '9' || *np == POST_MEDIA_MAX)
			goto bad;
		v = strtoll(p, &end, 10);
		if (v <= 0 || (*end != ',' && *end != '\0'))
			goto bad;
		ids[(*np)++] = v;
		p = *end == ',' ? end + 1 : end;
	}
	if (*np > 0)
		return 0;
 bad:
	return cli_fail(ctx, 1, "post: --media takes 1 to %d media ids separated by commas "
	    "(see: media)", POST_MEDIA_MAX);
}

static int
cmd_post_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct buf		 text = BUF_INIT;
	enum visibility		 vis = VIS_PUBLIC;
	int64_t			 id = 0, *mentioned = NULL, media[POST_MEDIA_MAX];
	size_t			 nmentioned = 0, nmedia = 0;
	const char		*media_opt = NULL;
	char			 why[200] = "";
	int			 r, status;

	/* --media among the options before the text only: words of the text are never options. */
	for (r = 1; r < argc && strncmp(argv[r], "--", 2) == 0 && strcmp(argv[r], "--") != 0; ) {
		int take = 0;

		if (strcmp(argv[r], "--media") == 0) {
			if (r + 1 >= argc)
				return cli_fail(ctx, 1, "post: --media needs media ids (e.g. --media 41,42)");
			media_opt = argv[r + 1];
			take = 2;
		} else if (strncmp(argv[r], "--media=", 8) == 0) {
			media_opt = argv[r] + 8;
			take = 1;
		}
		if (take > 0) {
			memmove(argv + r, argv + r + take, (size_t)(argc - r - take) * sizeof *argv);
			argc -= take;
			continue;
		}
		r += strcmp(argv[r], "--visibility") == 0 ? 2 : 1;
	}
	if (media_opt != NULL && (status = parse_media_ids(ctx, media_opt, media, &nmedia)) != 0)
		return status;
	if ((status = postcmd_parse(ctx, &cmd_post_entry, POSTCMD_VISIBILITY | POSTCMD_TEXT,
	    argc, argv, &a)) != 0)
		return status;
	if (a.visibility != NULL) {
		if ((status = postcmd_visibility(ctx, "post", a.visibility, &vis)) != 0)
			return status;
	} else if ((r = store_default_visibility(ctx->st, ctx->user_id, &vis)) != 0)
		return cli_fail(ctx, err_exit_status(r), "post: %s", err_str(r));
	/* With pictures the text may be empty, and is not read from stdin then. */
	if (nmedia > 0 && a.text_first >= argc)
		buf_adds(&text, "");
	else if ((status = postcmd_text(ctx, "post", argc, argv, a.text_first, POST_MAX,
	    &text)) != 0)
		goto out;
	if (nmedia > 0)
		r = store_post_create_media(ctx->st, ctx->user_id, text.buf, vis, media, nmedia, &id,
		    &mentioned, &nmentioned, why, sizeof why);
	else
		r = store_post_create(ctx->st, ctx->user_id, text.buf, vis, &id, &mentioned,
		    &nmentioned, why, sizeof why);
	if (r != 0 && nmedia > 0 && why[0] != '\0') {
		/* Storage names the media item at fault ("no media 7", "media 7 is not yours"). */
		status = cli_fail(ctx, err_exit_status(r), "post: %s", why);
		goto out;
	}
	if (r != 0) {
		status = postcmd_fail(ctx, "post", r, 0, why);
		goto out;
	}
	fprintf(ctx->out, "%lld\n", (long long)id);
	postcmd_hint(ctx, id, mentioned, nmentioned);
 out:
	free(mentioned);
	buf_release(&text);
	return status;
}

const struct cmd_entry cmd_post_entry = {
	.name = "post",
	.usage = "post [--visibility public|friends|private] [--media ID,...] [TEXT...]",
	.help = "write a post (TEXT or stdin; with --media, pictures from your gallery); prints its id",
	.min_args = 0, .max_args = -1,
	.exec = cmd_post_exec,
};

/* ---- show POST [--json] ---------------------------------------------------- */

static int
cmd_show_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct post		 p = { 0 };
	int64_t			 id;
	int			 status;

	if ((status = postcmd_parse(ctx, &cmd_show_entry, POSTCMD_POST | POSTCMD_JSON, argc,
	    argv, &a)) != 0 ||
	    (status = postcmd_id(ctx, "show", a.post, &id)) != 0 ||
	    (status = postcmd_get(ctx, "show", id, &p)) != 0)
		return status;
	if (a.json)
		json_print_line(ctx->out, postfmt_json(&p));
	else
		postfmt_text(ctx->out, &p, (int64_t)time(NULL));
	post_free(&p);
	return 0;
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "show POST [--json]",
	.help = "show one post",
	.min_args = 1, .max_args = 1,
	.exec = cmd_show_exec,
};

/* ---- edit POST [TEXT...] ---------------------------------------------------- */

/* The post, when it is ctx's user's own: 0, or the printed refusal's status (2 hidden, 3 someone else's). */
static int
get_own(struct cli_ctx *ctx, const char *cmd, const char *verb, int64_t id, struct post *p)
{
	int status;

	if ((status = postcmd_get(ctx, cmd, id, p)) != 0)
		return status;
	if (p->author_id != ctx->user_id) {
		post_free(p);
		memset(p, 0, sizeof *p);
		return cli_fail(ctx, 3, "%s: post #%lld is not yours (only its author can %s it)",
		    cmd, (long long)id, verb);
	}
	return 0;
}

static int
cmd_edit_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct post		 p = { 0 };
	struct buf		 text = BUF_INIT;
	int64_t			 id, *mentioned = NULL;
	size_t			 nmentioned = 0;
	char			 why[200] = "";
	int			 r, status;

	if ((status = postcmd_parse(ctx, &cmd_edit_entry, POSTCMD_POST | POSTCMD_TEXT, argc,
	    argv, &a)) != 0 ||
	    (status = postcmd_id(ctx, "edit", a.post, &id)) != 0 ||
	    (status = get_own(ctx, "edit", "edit", id, &p)) != 0)
		return status;
	/* A share's text is its note, which may be as long as a post. */
	if ((status = postcmd_text(ctx, "edit", argc, argv, a.text_first,
	    p.shared_from != 0 ? SHARE_NOTE_MAX : POST_MAX, &text)) != 0)
		goto out;
	r = store_post_edit(ctx->st, ctx->user_id, id, text.buf, &mentioned, &nmentioned, why,
	    sizeof why);
	if (r != 0) {
		status = postcmd_fail(ctx, "edit", r, id, why);
		goto out;
	}
	fprintf(ctx->out, "edited #%lld\n", (long long)id);
	postcmd_hint(ctx, id, mentioned, nmentioned);
 out:
	free(mentioned);
	buf_release(&text);
	post_free(&p);
	return status;
}

const struct cmd_entry cmd_edit_entry = {
	.name = "edit",
	.usage = "edit POST [TEXT...]",
	.help = "replace your post's text (TEXT or stdin)",
	.min_args = 1, .max_args = -1,
	.exec = cmd_edit_exec,
};

/* ---- delete POST ------------------------------------------------------------ */

static int
cmd_delete_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct post		 p = { 0 };
	int64_t			 id, *ids = NULL;
	size_t			 n = 0;
	int			 r, status;

	if ((status = postcmd_parse(ctx, &cmd_delete_entry, POSTCMD_POST, argc, argv, &a)) != 0 ||
	    (status = postcmd_id(ctx, "delete", a.post, &id)) != 0 ||
	    (status = get_own(ctx, "delete", "delete", id, &p)) != 0)
		return status;
	post_free(&p);
	/* Who sees it must be known before it is gone. */
	if (ctx->hub_fd >= 0 && fanout_audience(ctx->st, id, &ids, &n) != 0)
		n = 0;
	if ((r = store_post_delete(ctx->st, ctx->user_id, id)) != 0) {
		free(ids);
		return postcmd_fail(ctx, "delete", r, id, NULL);
	}
	fprintf(ctx->out, "deleted #%lld\n", (long long)id);
	fanout_post(ctx->st, ctx->hub_fd, ctx->user_id, id, ids, n);
	free(ids);
	return 0;
}

const struct cmd_entry cmd_delete_entry = {
	.name = "delete",
	.usage = "delete POST",
	.help = "delete your post, its comments and reactions",
	.min_args = 1, .max_args = 1,
	.exec = cmd_delete_exec,
};

/* ---- comment POST [TEXT...] --------------------------------------------------- */

static int
cmd_comment_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct post		 p = { 0 };
	struct buf		 text = BUF_INIT;
	int64_t			 id, cid = 0, author = 0;
	char			 why[200] = "";
	int			 r, status;

	if ((status = postcmd_parse(ctx, &cmd_comment_entry, POSTCMD_POST | POSTCMD_TEXT, argc,
	    argv, &a)) != 0 ||
	    (status = postcmd_id(ctx, "comment", a.post, &id)) != 0 ||
	    (status = postcmd_get(ctx, "comment", id, &p)) != 0)
		return status;
	post_free(&p);
	if ((status = postcmd_text(ctx, "comment", argc, argv, a.text_first, COMMENT_MAX,
	    &text)) != 0)
		goto out;
	r = store_comment_add(ctx->st, ctx->user_id, id, text.buf, &cid, &author, why, sizeof why);
	if (r != 0) {
		status = postcmd_fail(ctx, "comment", r, id, why);
		goto out;
	}
	fprintf(ctx->out, "%lld\n", (long long)cid);
	postcmd_hint(ctx, id, &author, 1);
 out:
	buf_release(&text);
	return status;
}

const struct cmd_entry cmd_comment_entry = {
	.name = "comment",
	.usage = "comment POST [TEXT...]",
	.help = "comment on a post (TEXT or stdin); prints its id",
	.min_args = 1, .max_args = -1,
	.exec = cmd_comment_exec,
};

/* ---- comments POST [--json] ---------------------------------------------------- */

static int
cmd_comments_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct post		 p = { 0 };
	struct comment_page	 page = { 0 };
	int64_t			 id, after = 0, now = (int64_t)time(NULL);
	size_t			 i, total = 0;
	int			 r, status;

	if ((status = postcmd_parse(ctx, &cmd_comments_entry, POSTCMD_POST | POSTCMD_JSON, argc,
	    argv, &a)) != 0 ||
	    (status = postcmd_id(ctx, "comments", a.post, &id)) != 0 ||
	    (status = postcmd_get(ctx, "comments", id, &p)) != 0)
		return status;
	post_free(&p);
	do {
		if ((r = store_comments(ctx->st, ctx->user_id, id, after, COMMENTS_PAGE,
		    &page)) != 0)
			return postcmd_fail(ctx, "comments", r, id, NULL);
		for (i = 0; i < page.n; i++) {
			if (a.json)
				json_print_line(ctx->out, postfmt_comment_json(&page.v[i]));
			else
				postfmt_comment_text(ctx->out, &page.v[i], now);
		}
		total += page.n;
		after = page.next_after;
		comment_page_free(&page);
	} while (after != 0);
	if (total == 0 && !a.json)
		fprintf(ctx->out, "no comments yet (comment %lld TEXT adds one)\n", (long long)id);
	return 0;
}

const struct cmd_entry cmd_comments_entry = {
	.name = "comments",
	.usage = "comments POST [--json]",
	.help = "a post's comments, oldest first",
	.min_args = 1, .max_args = 1,
	.exec = cmd_comments_exec,
};

/* ---- share POST [--visibility V] [NOTE...] ---------------------------------------- */

static int
cmd_share_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct postcmd_args	 a;
	struct post		 p = { 0 };
	struct buf		 note = BUF_INIT;
	enum visibility		 vis = VIS_PUBLIC;
	int64_t			 id, sid = 0, author = 0;
	char			 why[200] = "";
	int			 r, status;

	if ((status = postcmd_parse(ctx, &cmd_share_entry,
	    POSTCMD_POST | POSTCMD_VISIBILITY | POSTCMD_TEXT, argc, argv, &a)) != 0 ||
	    (status = postcmd_id(ctx, "share", a.post, &id)) != 0)
		return status;
	if (a.visibility != NULL) {
		if ((status = postcmd_visibility(ctx, "share", a.visibility, &vis)) != 0)
			return status;
	} else if ((r = store_default_visibility(ctx->st, ctx->user_id, &vis)) != 0)
		return cli_fail(ctx, err_exit_status(r), "share: %s", err_str(r));
	if ((status = postcmd_get(ctx, "share", id, &p)) != 0)
		return status;
	post_free(&p);
	/* The note is optional and only from words: a share never waits on stdin. */
	if (a.text_first < argc &&
	    (status = postcmd_text(ctx, "share", argc, argv, a.text_first, SHARE_NOTE_MAX,
	    &note)) != 0)
		goto out;
	r = store_share(ctx->st, ctx->user_id, id, note.buf, vis, &sid, &author, why, sizeof why);
	if (r != 0) {
		status = postcmd_fail(ctx, "share", r, id, why);
		goto out;
	}
	fprintf(ctx->out, "%lld\n", (long long)sid);
	postcmd_hint(ctx, sid, &author, 1);
 out:
	buf_release(&note);
	return status;
}

const struct cmd_entry cmd_share_entry = {
	.name = "share",
	.usage = "share POST [--visibility public|friends|private] [NOTE...]",
	.help = "share a post, with an optional note",
	.min_args = 1, .max_args = -1,
	.exec = cmd_share_exec,
};
