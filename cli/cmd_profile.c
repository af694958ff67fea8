/* profile: show anyone's profile (as the storage lets you see it), or set a field of yours. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/people.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/sanitize.h"
#include "common/timefmt.h"
#include "media/markdown.h"
#include "storage/media.h"
#include "storage/social.h"

#define BIO_COLS	78		/* the bio is rendered for an 80-column terminal */
#define STDIN_MAX	(64 * 1024)	/* bytes read for `profile set bio -`; storage checks the real limit */

static const char *const profile_fields[] = {
	"name", "bio", "location", "job", "tags", "privacy", "avatar", "background", NULL
};

/* profile set avatar|background ID|none: one of my uploads (media ID), or back to none. */
static int
profile_set_image(struct cli_ctx *ctx, const char *field, const char *value)
{
	enum profile_image	 which = strcmp(field, "avatar") == 0 ? PROFILE_AVATAR :
				    PROFILE_BACKGROUND;
	char			 why[200] = "", *end, *q;
	long long		 id = 0;
	int			 r, status;

	if (strcmp(value, "none") != 0) {
		id = strtoll(value, &end, 10);
		if (value[0] < '0' || value[0] > '9' || *end != '\0' || id <= 0) {
			q = cli_quote(value);
			status = cli_fail(ctx, 1, "profile set %s: '%s' is not a media id (or none)",
			    field, q);
			free(q);
			return status;
		}
	}
	r = store_profile_set_image(ctx->st, ctx->user_id, which, id, why, sizeof why);
	if (r == ERR_NOTFOUND)
		return cli_fail(ctx, 2, "profile set %s: no media %lld (or you cannot see it)",
		    field, id);
	if (r == ERR_DENIED)
		return cli_fail(ctx, 3, "profile set %s: media %lld is not yours", field, id);
	if (r != 0) {
		q = sanitize_dup(why[0] ? why : err_str(r), false);
		status = cli_fail(ctx, err_exit_status(r), "profile set %s: %s", field, q);
		free(q);
		return status;
	}
	fprintf(ctx->out, "%s %s\n", field, id ? "updated" : "removed");
	cli_hint(ctx, TOPIC_ACCOUNT, ctx->user_id, 0);
	return 0;
}

static void
print_field(struct cli_ctx *ctx, const char *label, const char *value)
{
	char *clean;

	if (value == NULL || value[0] == '\0')
		return;
	clean = sanitize_dup(value, false);
	fprintf(ctx->out, "%-10s%s\n", label, clean);
	free(clean);
}

static void
print_bio(struct cli_ctx *ctx, const char *bio)
{
	struct md_doc	 d;
	size_t		 i;
	char		*t;

	if (bio == NULL || bio[0] == '\0' || md_render(bio, BIO_COLS, &d) != 0)
		return;
	if (d.n > 0)
		fputc('\n', ctx->out);
	for (i = 0; i < d.n; i++) {
		t = md_line_text(&d.lines[i]);
		fprintf(ctx->out, "%s\n", t);
		free(t);
	}
	md_doc_free(&d);
}

static void
print_profile(struct cli_ctx *ctx, const struct profile *p)
{
	struct buf	 b = BUF_INIT;
	char		*name = sanitize_dup(p->username, false);
	char		*display = sanitize_dup(p->display_name, false);
	char		 date[32];
	size_t		 i;

	fprintf(ctx->out, "%s (@%s)\n", display, name);
	if (!p->full) {
		fprintf(ctx->out, "only their name is visible to you\n");
		fprintf(ctx->out, "%-10s%s\n", "relation:", cli_relation_text(p->relation));
		goto out;
	}
	time_date(p->created_at, date, sizeof date);
	fprintf(ctx->out, "%-10s%s\n", "joined:", date);
	print_field(ctx, "location:", p->location);
	print_field(ctx, "job:", p->job);
	for (i = 0; i < p->ntags; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", p->tags[i]);
	print_field(ctx, "tags:", b.buf);
	if (p->relation == REL_SELF)
		fprintf(ctx->out, "%-10s%zu\n", "friends:", p->friend_count);
	else
		fprintf(ctx->out, "%-10s%zu (%zu mutual)\n", "friends:", p->friend_count,
		    p->mutual_count);
	if (p->relation == REL_SELF)
		fprintf(ctx->out, "%-10s%s\n", "privacy:", privacy_name(p->privacy));
	else
		fprintf(ctx->out, "%-10s%s\n", "relation:", cli_relation_text(p->relation));
	print_bio(ctx, p->bio);
 out:
	buf_release(&b);
	free(name);
	free(display);
}

static int
profile_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct profile	 p = { 0 };
	const char	*who = ctx->username, *flag;
	char		*q;
	bool		 json = cli_take_flag(&argc, argv, "--json");
	int		 r;

	if ((flag = cli_stray_flag(argc, argv)) != NULL || argc > 2) {
		if (flag == NULL)
			return cli_fail(ctx, 1, "usage: %s", cmd_profile_entry.usage);
		q = cli_quote(flag);
		r = cli_fail(ctx, 1, "profile: unknown option '%s' (usage: %s)", q,
		    cmd_profile_entry.usage);
		free(q);
		return r;
	}
	if (argc == 2)
		who = cli_username_arg(argv[1]);
	if ((r = store_profile_get(ctx->st, ctx->user_id, who, &p)) != 0) {
		if (r == ERR_NOTFOUND || r == ERR_INVALID) {
			q = cli_quote(who);
			r = cli_fail(ctx, 2, "profile: no user named '%s'", q);
			free(q);
			return r;
		}
		return cli_fail(ctx, err_exit_status(r), "profile: %s", err_str(r));
	}
	if (json)
		json_print_line(ctx->out, cli_user_json(&p));
	else
		print_profile(ctx, &p);
	profile_free(&p);
	return 0;
}

/*
 * The bio from stdin for `profile set bio -`: all of it, without the final
 * newlines. ERR_INVALID when it is far too long, ERR_SYSTEM when there is no
 * stdin (the `:` line) or it cannot be read.
 */
static int
read_stdin_value(struct cli_ctx *ctx, struct buf *b)
{
	char	chunk[4096];
	size_t	n;

	if (ctx->in == NULL)
		return ERR_SYSTEM;
	while ((n = fread(chunk, 1, sizeof chunk, ctx->in)) > 0) {
		if (b->len + n > STDIN_MAX)
			return ERR_INVALID;	/* far too long; storage checks the real limit */
		buf_add(b, chunk, n);
	}
	if (ferror(ctx->in))
		return ERR_SYSTEM;
	while (b->len > 0 && (b->buf[b->len - 1] == '\n' || b->buf[b->len - 1] == '\r'))
		buf_truncate(b, b->len - 1);
	return 0;
}

static int
profile_set(struct cli_ctx *ctx, int argc, char **argv)
{
	struct buf	 value = BUF_INIT;
	const char	*field;
	char		 why[200] = "", *q;
	size_t		 i;
	int		 r, status;

	if (argc < 4)
		return cli_fail(ctx, 1, "usage: profile set FIELD VALUE... "
		    "(FIELD: name, bio, location, job, tags, privacy, avatar, background; "
		    "bio - reads stdin)");
	field = argv[2];
	for (i = 0; profile_fields[i] != NULL; i++)
		if (strcmp(field, profile_fields[i]) == 0)
			break;
	if (profile_fields[i] == NULL) {
		q = cli_quote(field);
		status = cli_fail(ctx, 1, "profile set: unknown field '%s' "
		    "(name, bio, location, job, tags, privacy, avatar, background)", q);
		free(q);
		return status;
	}
	if (strcmp(field, "avatar") == 0 || strcmp(field, "background") == 0) {
		if (argc != 4)
			return cli_fail(ctx, 1, "usage: profile set %s MEDIA_ID|none", field);
		return profile_set_image(ctx, field, argv[3]);
	}
	if (strcmp(field, "bio") == 0 && argc == 4 && strcmp(argv[3], "-") == 0) {
		if ((r = read_stdin_value(ctx, &value)) != 0) {
			buf_release(&value);
			if (r == ERR_INVALID)
				return cli_fail(ctx, 1, "profile set bio: too long "
				    "(at most %d characters)", BIO_MAX);
			return cli_fail(ctx, 1, "profile set bio: cannot read the bio "
			    "from stdin (ssh HOST profile set bio - < bio.md)");
		}
		if ((status = cli_refuse_nul(ctx, "profile set bio", value.buf,
		    value.len)) != 0) {
			buf_release(&value);
			return status;
		}
	} else {
		/* The words as given, joined by single spaces: VALUE needs no quotes. */
		for (i = 3; i < (size_t)argc; i++) {
			if (i > 3)
				buf_addch(&value, ' ');
			buf_adds(&value, argv[i]);
		}
	}
	r = store_profile_set(ctx->st, ctx->user_id, field, value.buf, why, sizeof why);
	buf_release(&value);
	if (r != 0) {
		/* Storage's sentence names the field ("bio: too long ..."). */
		q = sanitize_dup(why[0] ? why : err_str(r), false);
		status = cli_fail(ctx, err_exit_status(r), "profile set: %s", q);
		free(q);
		return status;
	}
	fprintf(ctx->out, "%s updated\n", strcmp(field, "name") == 0 ? "display name" : field);
	cli_hint(ctx, TOPIC_ACCOUNT, ctx->user_id, 0);
	return 0;
}

static int
cmd_profile_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	/* `set` first: its VALUE words are taken as they are, "--json" included. */
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return profile_set(ctx, argc, argv);
	return profile_show(ctx, argc, argv);
}

const struct cmd_entry cmd_profile_entry = {
	.name = "profile",
	.usage = "profile [USER] [--json] | profile set FIELD VALUE...",
	.help = "show a profile, or set one of your fields",
	.min_args = 0, .max_args = -1,
	.exec = cmd_profile_exec,
};
