#include "tui/post_actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/timefmt.h"
#include "storage/posts.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/postview.h"
#include "tui/screen.h"
#include "worker/fanout.h"

/* The post a pending question is about (one question is open at a time). */
static int64_t	pending_post;

void
post_hint(struct app *app, int64_t post)
{
	fanout_post_now(app_store(app), app_hub_fd(app), app_user(app)->id, post);
}

static void
after_change(struct app *app, int64_t post, int64_t notified_user)
{
	post_hint(app, post);
	if (notified_user != 0 && notified_user != app_user(app)->id)
		app_hint(app, TOPIC_NOTIFICATION, notified_user, post);
	app_refresh(app);
}

static void
react(struct app *app, int64_t post, enum reaction kind)
{
	int64_t	author = 0;
	int	r;

	if (kind == REACT_NONE) {
		r = store_unreact(app_store(app), app_user(app)->id, post);
		if (r != 0 && r != ERR_NOTFOUND) {
			app_status(app, true, "cannot remove the reaction: %s", err_str(r));
			return;
		}
		app_status(app, false, "reaction removed");
		after_change(app, post, 0);
		return;
	}
	if ((r = store_react(app_store(app), app_user(app)->id, post, kind, &author)) != 0) {
		if (r == ERR_NOTFOUND)
			app_status(app, true, "that post is gone or not visible to you");
		else
			app_status(app, true, "cannot react: %s", err_str(r));
		return;
	}
	app_status(app, false, "you reacted %s", reaction_label(kind, app_ascii(app)));
	after_change(app, post, author);
}

void
post_act_like(struct app *app, const struct post *p)
{
	react(app, p->id, p->my_reaction == REACT_LIKE ? REACT_NONE : REACT_LIKE);
}

static void
react_chosen(struct app *app, void *ctx, int key)
{
	(void)ctx;
	if (key == '0')
		react(app, pending_post, REACT_NONE);
	else if (key >= '1' && key < '1' + REACT_COUNT - 1)
		react(app, pending_post, (enum reaction)(REACT_LIKE + (key - '1')));
}

void
post_act_react(struct app *app, const struct post *p)
{
	struct buf	q = BUF_INIT;
	int		k;

	pending_post = p->id;
	buf_adds(&q, "React:");
	for (k = REACT_LIKE; k < REACT_COUNT; k++)
		buf_addf(&q, "  %d %s", k, reaction_label((enum reaction)k, app_ascii(app)));
	buf_adds(&q, "  0 none  (other keys: never mind)");
	app_choose(app, q.buf, react_chosen, NULL);
	buf_release(&q);
}

static void
share_done(struct app *app, void *ctx, const char *note)
{
	enum visibility	vis = VIS_PUBLIC;
	int64_t		id = 0, author = 0;
	char		why[200] = "";
	int		r;

	(void)ctx;
	if (note == NULL)
		return;
	store_default_visibility(app_store(app), app_user(app)->id, &vis);
	r = store_share(app_store(app), app_user(app)->id, pending_post, note, vis, &id, &author,
	    why, sizeof why);
	if (r != 0) {
		app_status(app, true, "cannot share: %s", why[0] ? why : err_str(r));
		return;
	}
	app_status(app, false, "shared (%s)", visibility_name(vis));
	app_note_own_post(app);
	after_change(app, id, author);
}

void
post_act_share(struct app *app, const struct post *p)
{
	pending_post = p->id;
	app_prompt(app, "Share with a note (Enter shares, empty for none, Esc cancels):", false,
	    SHARE_NOTE_MAX, share_done, NULL);
}

void
post_act_edit(struct app *app, const struct post *p)
{
	char arg[32];

	if (p->author_id != app_user(app)->id) {
		app_status(app, true, "you can only edit your own posts");
		return;
	}
	snprintf(arg, sizeof arg, "edit:%lld", (long long)p->id);
	app_open(app, &screen_compose_ops, arg);
}

static void
delete_yes(struct app *app, void *ctx)
{
	int64_t	*ids = NULL;
	size_t	 n = 0;
	int	 r;

	(void)ctx;
	/* The audience must be known before the post is gone. */
	fanout_audience(app_store(app), pending_post, &ids, &n);
	if ((r = store_post_delete(app_store(app), app_user(app)->id, pending_post)) != 0) {
		app_status(app, true, "cannot delete the post: %s", err_str(r));
		free(ids);
		return;
	}
	fanout_post(app_store(app), app_hub_fd(app), app_user(app)->id, pending_post, ids, n);
	free(ids);
	app_status(app, false, "post deleted");
	app_refresh(app);
}

void
post_act_delete(struct app *app, const struct post *p)
{
	if (p->author_id != app_user(app)->id) {
		app_status(app, true, "you can only delete your own posts");
		return;
	}
	pending_post = p->id;
	app_confirm(app, "Delete this post, its comments and reactions? (y/n)", delete_yes, NULL);
}

static void
visibility_chosen(struct app *app, void *ctx, int key)
{
	enum visibility	vis;
	int		r;

	(void)ctx;
	if (key < '1' || key > '3')
		return;
	vis = (enum visibility)(key - '1');
	if ((r = store_post_set_visibility(app_store(app), app_user(app)->id, pending_post, vis)) != 0) {
		app_status(app, true, "cannot change the visibility: %s", err_str(r));
		return;
	}
	app_status(app, false, "now visible to: %s", visibility_name(vis));
	after_change(app, pending_post, 0);
}

void
post_act_visibility(struct app *app, const struct post *p)
{
	if (p->author_id != app_user(app)->id) {
		app_status(app, true, "you can only change your own posts");
		return;
	}
	pending_post = p->id;
	app_choose(app, "Visible to: 1 public  2 friends  3 only me", visibility_chosen, NULL);
}

void
post_act_reactors(struct app *app, const struct post *p)
{
	struct reactor_list	 rl = { 0 };
	struct buf		 b = BUF_INIT;
	char			 ago[32];
	size_t			 i;

	if (store_reactors(app_store(app), app_user(app)->id, p->id, 200, &rl) != 0) {
		app_status(app, true, "cannot list the reactions");
		return;
	}
	for (i = 0; i < rl.n; i++) {
		time_ago(rl.v[i].created_at, (int64_t)time(NULL), ago, sizeof ago);
		buf_addf(&b, "%s  %s @%s  %s\n", reaction_label(rl.v[i].reaction, app_ascii(app)),
		    rl.v[i].display_name, rl.v[i].username, ago);
	}
	if (rl.n == 0)
		buf_adds(&b, "No reactions yet.\n");
	app_pager(app, "Who reacted", b.buf);
	buf_release(&b);
	reactor_list_free(&rl);
}

void
post_act_author(struct app *app, const struct post *p)
{
	app_open(app, &screen_user_ops, p->author_username);
}

void
post_act_open(struct app *app, const struct post *p)
{
	char arg[32];

	snprintf(arg, sizeof arg, "%lld", (long long)p->id);
	app_open(app, &screen_post_ops, arg);
}

void
post_act_view(struct app *app, const struct post *p)
{
	char arg[40];

	if (p->nmedia == 0 && (p->original == NULL || p->original->nmedia == 0)) {
		app_status(app, true, "this post has no pictures");
		return;
	}
	snprintf(arg, sizeof arg, "post:%lld", (long long)p->id);
	app_open(app, &screen_viewer_ops, arg);
}

unsigned
post_when(struct app *app, const struct post *p)
{
	unsigned w = W_POST;

	w |= p->author_id == app_user(app)->id ? W_OWN : W_OTHERS;
	if (p->nmedia > 0 || (p->original != NULL && p->original->nmedia > 0))
		w |= W_PICTURES;
	if (p->original != NULL)
		w |= W_SHARE;
	return w;
}

bool
post_act(struct app *app, const struct post *p, int action)
{
	switch (action) {
	case ACT_OPEN:
	case ACT_COMMENT:	post_act_open(app, p); break;
	case ACT_LIKE:		post_act_like(app, p); break;
	case ACT_REACT:		post_act_react(app, p); break;
	case ACT_REACTORS:	post_act_reactors(app, p); break;
	case ACT_SHARE:		post_act_share(app, p); break;
	case ACT_EDIT:		post_act_edit(app, p); break;
	case ACT_DELETE:	post_act_delete(app, p); break;
	case ACT_VISIBILITY:	post_act_visibility(app, p); break;
	case ACT_AUTHOR:	post_act_author(app, p); break;
	case ACT_VIEW:		post_act_view(app, p); break;
	default:
		return false;
	}
	return true;
}
