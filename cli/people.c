/* Shared by the people commands: lookups, safe quoting, the user object. */
#include "cli/people.h"

#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/sanitize.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "storage/store.h"

#define QUOTE_MAX	40	/* characters of user input echoed in a message */

char *
cli_quote(const char *s)
{
	char	*clean = sanitize_dup(s != NULL ? s : "", false);
	size_t	 len = strlen(clean), i = 0, n = 0;

	while (i < len && n < QUOTE_MAX) {
		i = utf8_next(clean, len, i);
		n++;
	}
	if (i < len) {
		clean[i] = '\0';
		clean = xreallocarray(clean, i + sizeof "…", 1);
		strcat(clean, "…");
	}
	return clean;
}

const char *
cli_username_arg(const char *arg)
{
	return arg[0] == '@' ? arg + 1 : arg;
}

int
cli_user_resolve(struct cli_ctx *ctx, const char *cmd, const char *username, int64_t *idp)
{
	char	*q;
	int	 r, status;

	r = store_user_lookup(ctx->st, ctx->user_id, cli_username_arg(username), idp);
	if (r == 0)
		return 0;
	q = cli_quote(cli_username_arg(username));
	/* A malformed name cannot exist either: the same answer as an unknown one. */
	if (r == ERR_NOTFOUND || r == ERR_INVALID)
		status = cli_fail(ctx, 2, "%s: no user named '%s'", cmd, q);
	else
		status = cli_fail(ctx, err_exit_status(r), "%s: %s", cmd, err_str(r));
	free(q);
	return status;
}

char *
cli_username_of(struct cli_ctx *ctx, int64_t id)
{
	struct user	 u = { 0 };
	char		*name = NULL;

	if (store_user_by_id(ctx->st, id, &u) == 0) {
		name = u.username;
		u.username = NULL;
	}
	user_free(&u);
	return name;
}

const char *
cli_relation_json(enum relation rel)
{
	switch (rel) {
	case REL_SELF: return "self";
	case REL_FRIEND: return "friend";
	case REL_REQUEST_SENT: return "request_sent";
	case REL_REQUEST_RECEIVED: return "request_received";
	case REL_BLOCKED: return "blocked";
	case REL_NONE: break;
	}
	return "none";
}

const char *
cli_relation_text(enum relation rel)
{
	switch (rel) {
	case REL_SELF: return "this is you";
	case REL_FRIEND: return "friends";
	case REL_REQUEST_SENT: return "you asked to be friends (waiting for an answer)";
	case REL_REQUEST_RECEIVED: return "asked to be your friend";
	case REL_BLOCKED: return "blocked by you";
	case REL_NONE: break;
	}
	return "not friends";
}

struct json_object *
cli_user_json(const struct profile *p)
{
	struct json_object	*o = json_object_new_object(), *tags;
	size_t			 i;

	json_object_object_add(o, "username", json_object_new_string(p->username));
	json_object_object_add(o, "display_name", json_object_new_string(p->display_name));
	if (p->full) {
		json_object_object_add(o, "bio", json_object_new_string(p->bio));
		json_object_object_add(o, "location", json_object_new_string(p->location));
		json_object_object_add(o, "job", json_object_new_string(p->job));
		tags = json_object_new_array();
		for (i = 0; i < p->ntags; i++)
			json_object_array_add(tags, json_object_new_string(p->tags[i]));
		json_object_object_add(o, "tags", tags);
		json_object_object_add(o, "privacy",
		    json_object_new_string(privacy_name(p->privacy)));
		json_object_object_add(o, "friends",
		    json_object_new_int64((int64_t)p->friend_count));
		json_object_object_add(o, "mutual",
		    json_object_new_int64((int64_t)p->mutual_count));
		json_object_object_add(o, "created_at", json_time(p->created_at));
	} else {
		/* Hidden is not empty: null says "not visible to you". */
		static const char *const hidden[] = { "bio", "location", "job", "tags",
		    "privacy", "friends", "mutual", "created_at" };
		for (i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
			json_object_object_add(o, hidden[i], NULL);
	}
	json_object_object_add(o, "relation",
	    json_object_new_string(cli_relation_json(p->relation)));
	json_object_object_add(o, "full", json_object_new_boolean(p->full));
	return o;
}

struct json_object *
cli_user_json_by_name(struct cli_ctx *ctx, const char *username)
{
	struct profile		 p = { 0 };
	struct json_object	*o = NULL;

	if (store_profile_get(ctx->st, ctx->user_id, username, &p) == 0)
		o = cli_user_json(&p);
	profile_free(&p);
	return o;
}

void
cli_print_user_line(struct cli_ctx *ctx, const struct user_summary *s, const char *extra)
{
	char *name = sanitize_dup(s->username, false);
	char *display = sanitize_dup(s->display_name, false);

	if (s->relation == REL_SELF)
		fprintf(ctx->out, "%s  %s  (you)", name, display);
	else
		fprintf(ctx->out, "%s  %s  (%zu mutual)", name, display, s->mutual_count);
	if (extra != NULL && extra[0] != '\0')
		fprintf(ctx->out, "  %s", extra);
	fputc('\n', ctx->out);
	free(name);
	free(display);
}
