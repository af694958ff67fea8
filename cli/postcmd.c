/* Shared by the post commands: words, ids, errors, text input, hints. */
#include "cli/postcmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/people.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/sanitize.h"
#include "common/utf8.h"
#include "worker/fanout.h"

#define UTF8_MAX_BYTES	4	/* per character: max characters of text fit in 4 * max bytes */

int
postcmd_parse(struct cli_ctx *ctx, const struct cmd_entry *e, unsigned flags, int argc,
    char **argv, struct postcmd_args *out)
{
	const char	*w, *eq;
	size_t		 vlen = strlen("--visibility");
	bool		 options = true, want_post = (flags & POSTCMD_POST) != 0;
	char		*q;
	int		 i, status;

	memset(out, 0, sizeof *out);
	out->text_first = argc;
	for (i = 1; i < argc; i++) {
		w = argv[i];
		if (options && strncmp(w, "--", 2) == 0) {
			if (w[2] == '\0') {
				options = false;
				continue;
			}
			if ((flags & POSTCMD_JSON) && strcmp(w, "--json") == 0) {
				out->json = true;
				continue;
			}
			if ((flags & POSTCMD_VISIBILITY) && strncmp(w, "--visibility", vlen) == 0 &&
			    (w[vlen] == '\0' || w[vlen] == '=')) {
				eq = w[vlen] == '=' ? w + vlen + 1 : NULL;
				if (eq == NULL && i + 1 >= argc)
					return cli_fail(ctx, 1, "%s: --visibility takes public, "
					    "friends or private", e->name);
				out->visibility = eq != NULL ? eq : argv[++i];
				continue;
			}
			q = cli_quote(w);
			status = cli_fail(ctx, 1, "%s: unknown option '%s' (usage: %s)", e->name, q,
			    e->usage);
			free(q);
			return status;
		}
		if (want_post) {
			out->post = w;
			want_post = false;
			continue;
		}
		if (!(flags & POSTCMD_TEXT))
			return cli_fail(ctx, 1, "usage: %s", e->usage);
		out->text_first = i;
		break;
	}
	if (want_post)
		return cli_fail(ctx, 1, "usage: %s", e->usage);
	return 0;
}

int
postcmd_id(struct cli_ctx *ctx, const char *cmd, const char *arg, int64_t *idp)
{
	const char	*s;
	char		*q;
	long long	 v;
	int		 status;

	*idp = 0;
	for (s = arg; *s >= '0' && *s <= '9'; s++)
		;
	if (arg[0] == '\0' || *s != '\0') {
		q = cli_quote(arg);
		status = cli_fail(ctx, 1, "%s: '%s' is not a post id (a number, as in: %s 12)",
		    cmd, q, cmd);
		free(q);
		return status;
	}
	errno = 0;
	v = strtoll(arg, NULL, 10);
	if (errno != 0 || v <= 0) {
		/* All digits, but no post can have it: the ordinary answer, with the digits. */
		q = cli_quote(arg);
		status = cli_fail(ctx, 2, "%s: no post #%s (or you cannot see it)", cmd, q);
		free(q);
		return status;
	}
	*idp = v;
	return 0;
}

int
postcmd_not_found(struct cli_ctx *ctx, const char *cmd, int64_t id)
{
	return cli_fail(ctx, 2, "%s: no post #%lld (or you cannot see it)", cmd, (long long)id);
}

int
postcmd_fail(struct cli_ctx *ctx, const char *cmd, int r, int64_t id, const char *why)
{
	char	*q;
	int	 status;

	if (r == ERR_NOTFOUND)
		return postcmd_not_found(ctx, cmd, id);
	q = sanitize_dup(why != NULL && why[0] != '\0' ? why : err_str(r), false);
	status = cli_fail(ctx, err_exit_status(r), "%s: %s", cmd, q);
	free(q);
	return status;
}

int
postcmd_get(struct cli_ctx *ctx, const char *cmd, int64_t id, struct post *out)
{
	int r;

	if ((r = store_post_get(ctx->st, ctx->user_id, id, out)) != 0)
		return postcmd_fail(ctx, cmd, r, id, NULL);
	return 0;
}

static int
too_long(struct cli_ctx *ctx, const char *cmd, size_t n, size_t max)
{
	if (n > 0)
		return cli_fail(ctx, 1, "%s: too long: %zu characters (at most %zu); nothing "
		    "was stored", cmd, n, max);
	return cli_fail(ctx, 1, "%s: too long (at most %zu characters); nothing was stored",
	    cmd, max);
}

int
postcmd_text(struct cli_ctx *ctx, const char *cmd, int argc, char **argv, int first,
    size_t max, struct buf *out)
{
	char	chunk[4096];
	size_t	n, cap = max * UTF8_MAX_BYTES + 2;	/* room for a final "\r\n" */
	int	i;

	buf_reset(out);
	if (first < argc) {
		/* The words as given, joined by single spaces: no quotes needed. */
		for (i = first; i < argc; i++) {
			if (i > first)
				buf_addch(out, ' ');
			buf_adds(out, argv[i]);
		}
	} else {
		if (ctx->in == NULL)
			return cli_fail(ctx, 1, "%s: no text (give it as words after the command; "
			    "standard input only over exec)", cmd);
		while ((n = fread(chunk, 1, sizeof chunk, ctx->in)) > 0) {
			if (out->len + n > cap)
				return too_long(ctx, cmd, 0, max);	/* no need to read on */
			buf_add(out, chunk, n);
		}
		if (ferror(ctx->in))
			return cli_fail(ctx, 1, "%s: cannot read the text from standard input",
			    cmd);
		while (out->len > 0 && (out->buf[out->len - 1] == '\n' ||
		    out->buf[out->len - 1] == '\r'))
			buf_truncate(out, out->len - 1);
		if (cli_refuse_nul(ctx, cmd, out->buf, out->len) != 0)
			return 1;
	}
	if (out->len == 0)
		return cli_fail(ctx, 1, "%s: no text (give it as words, or on standard input: "
		    "ssh HOST %s < file.md)", cmd, cmd);
	/* Storage refuses it too; here the message can say how long it was. */
	if (utf8_valid(out->buf, out->len) && (n = utf8_count(out->buf)) > max)
		return too_long(ctx, cmd, n, max);
	return 0;
}

int
postcmd_visibility(struct cli_ctx *ctx, const char *cmd, const char *word, enum visibility *out)
{
	if (visibility_parse(word, out) != 0)
		return cli_fail(ctx, 1, "%s: visibility is public, friends or private", cmd);
	return 0;
}

void
postcmd_hint(struct cli_ctx *ctx, int64_t post, const int64_t *notified, size_t n)
{
	size_t i;

	if (ctx->hub_fd < 0)
		return;	/* no daemon: nobody to tell, and no query to make */
	fanout_post_now(ctx->st, ctx->hub_fd, ctx->user_id, post);
	for (i = 0; i < n; i++)
		if (notified[i] != 0 && notified[i] != ctx->user_id)
			cli_hint(ctx, TOPIC_NOTIFICATION, notified[i], post);
}
