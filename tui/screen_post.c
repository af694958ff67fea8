/*
 * One post with its comments (Enter on a post anywhere). The selection starts
 * on the post; j/k move into the comments. e and d act on what is selected:
 * the post (own) or a comment (own; the post's author may delete any).
 * c adds a comment. Changes from others arrive live through the hub.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "common/hub.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "media/markdown.h"
#include "storage/posts.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/post_actions.h"
#include "tui/postview.h"
#include "tui/screen.h"

#define COMMENT_PAGE	100
#define COMMENT_ROWS	4	/* text rows a comment shows at most */

struct post_state {
	int64_t			 id;
	bool			 missing;
	struct post_item	 item;
	struct comment_page	 comments;	/* all pages loaded so far */
	size_t			 sel;		/* 0: the post; i: comment i-1 */
	size_t			 top;		/* first comment on screen */
};

static int64_t	pending_comment;	/* the comment a question is about */

static void
post_load(struct app *app, struct post_state *s)
{
	struct post		p = { 0 };
	struct comment_page	page = { 0 };
	int64_t			after = 0;
	size_t			i;

	post_item_free(&s->item);
	comment_page_free(&s->comments);
	memset(&s->comments, 0, sizeof s->comments);
	s->missing = store_post_get(app_store(app), app_user(app)->id, s->id, &p) != 0;
	if (s->missing)
		return;
	post_item_init(&s->item, &p);
	s->item.opened = true;
	/* Comments page by page (bounded: a post rarely has thousands). */
	do {
		memset(&page, 0, sizeof page);
		if (store_comments(app_store(app), app_user(app)->id, s->id, after, COMMENT_PAGE,
		    &page) != 0)
			break;
		s->comments.v = xreallocarray(s->comments.v, s->comments.n + page.n + 1,
		    sizeof *s->comments.v);
		for (i = 0; i < page.n; i++)
			s->comments.v[s->comments.n++] = page.v[i];
		after = page.next_after;
		free(page.v);	/* entries moved */
	} while (after != 0 && s->comments.n < 10 * COMMENT_PAGE);
	if (s->sel > s->comments.n)
		s->sel = s->comments.n;
}

static void *
post_enter(struct app *app, const char *arg)
{
	struct post_state	*s = xcalloc(1, sizeof *s);
	char			*end = NULL;
	int64_t			 comment = 0;
	size_t			 i;

	s->id = arg ? strtoll(arg, &end, 10) : 0;
	if (end != NULL && *end == ':')
		comment = strtoll(end + 1, NULL, 10);
	post_load(app, s);
	if (comment == 0 || s->missing)
		return s;
	/* "ID:COMMENT" (a notification): that comment selected, scrolled into view. */
	for (i = 0; i < s->comments.n; i++)
		if (s->comments.v[i].id == comment)
			s->sel = i + 1;
	if (s->sel == 0)
		app_status(app, false, "that comment was deleted");
	return s;
}

static void
post_leave(struct app *app, void *state)
{
	struct post_state *s = state;

	(void)app;
	post_item_free(&s->item);
	comment_page_free(&s->comments);
	free(s);
}

/*
 * A comment's text in r, as markdown like a post's (emphasis, code, lists,
 * links as "text (url)"); returns the rows used. Rendered at each draw: a
 * few visible comments of at most 2,000 characters cost microseconds.
 */
static int
draw_comment_text(const char *text, const struct rect *r)
{
	struct md_doc	doc = { 0 };
	int		row = 0;
	size_t		i;

	if (md_render(text, r->w, &doc) != 0) {
		draw_wrapped(r, &row, text, ROLE_NORMAL);
		return row;
	}
	for (i = 0; i < doc.n && row < r->h; i++)
		draw_md_line(&doc.lines[i], r->y + row++, r->x, r->w);
	md_doc_free(&doc);
	return row;
}

/* Draw comment i at y, at most max rows; returns the rows used. */
static int
draw_comment(const struct comment *c, bool selected, int y, int x, int w, int max)
{
	struct rect	r = { y + 1, x + 4, max - 1 < COMMENT_ROWS ? max - 1 : COMMENT_ROWS, w - 6 };
	char		ago[32];
	int		row = 0, cx;

	time_ago(c->created_at, (int64_t)time(NULL), ago, sizeof ago);
	if (selected)
		draw_text(y, x, 1, "\u258c", ROLE_KEY);
	cx = x + 2 + draw_text(y, x + 2, w / 2, c->author_display_name, ROLE_TITLE) + 1;
	draw_textf(y, cx, x + w - cx, ROLE_DIM, "@%s · %s%s", c->author_username, ago,
	    c->edited_at ? " · edited" : "");
	if (r.h > 0)
		row = draw_comment_text(c->text, &r);
	return 1 + row;
}

static void
post_draw(struct app *app, void *state, const struct rect *r)
{
	struct post_state	*s = state;
	int			 y = r->y, h, limit = r->y + r->h - 1, used;
	size_t			 i;

	if (s->missing) {
		draw_text(r->y + 1, r->x + 2, r->w - 4, "This post is gone, or not visible to you.",
		    ROLE_ERROR);
		return;
	}
	/* The post takes at most the top half while a comment is selected. */
	h = s->sel == 0 ? r->h - 4 : r->h / 2;
	y += post_item_draw(&s->item, app, y, r->x, r->w, 0, h, 0, s->sel == 0);
	draw_hline(y, r->x + 2, r->w - 4);
	draw_textf(y++, r->x + 4, r->w - 8, ROLE_DIM, " %zu comment%s ", s->comments.n,
	    s->comments.n == 1 ? "" : "s");
	if (s->comments.n == 0)
		draw_text(y, r->x + 2, r->w - 4, "No comments yet: c adds one.", ROLE_DIM);
	if (s->sel > 0 && s->sel - 1 < s->top)
		s->top = s->sel - 1;
	/* Scroll so the selected comment fits (each takes at most 1 + COMMENT_ROWS rows). */
	while (s->sel > 0 && (int)(s->sel - 1 - s->top) * (COMMENT_ROWS + 1) > limit - y - 1 - COMMENT_ROWS &&
	    s->top + 1 < s->sel)
		s->top++;
	for (i = s->top; i < s->comments.n && y < limit; i++) {
		used = draw_comment(&s->comments.v[i], s->sel == i + 1, y, r->x, r->w, limit - y);
		y += used;
	}
	app_draw_hints(app, r->y + r->h - 1, r->x + 2, r->w - 4);
}

static void
hint_post(struct app *app, struct post_state *s, int64_t also)
{
	post_hint(app, s->id);
	if (also != 0 && also != app_user(app)->id)
		app_hint(app, TOPIC_NOTIFICATION, also, s->id);
}

static void
comment_added(struct app *app, void *ctx, const char *text)
{
	struct post_state	*s = ctx;
	int64_t			 id = 0, author = 0;
	char			 why[200] = "";
	int			 r;

	if (text == NULL)
		return;
	r = store_comment_add(app_store(app), app_user(app)->id, s->id, text, &id, &author,
	    why, sizeof why);
	if (r != 0) {
		app_status(app, true, "cannot comment: %s", why[0] ? why : err_str(r));
		return;
	}
	hint_post(app, s, author);
	post_load(app, s);
	s->sel = s->comments.n;	/* the new comment, at the end */
	app_status(app, false, "comment added");
}

static void
comment_edited(struct app *app, void *ctx, const char *text)
{
	struct post_state	*s = ctx;
	char			 why[200] = "";
	int			 r;

	if (text == NULL)
		return;
	r = store_comment_edit(app_store(app), app_user(app)->id, pending_comment, text,
	    why, sizeof why);
	if (r != 0) {
		app_status(app, true, "cannot edit the comment: %s", why[0] ? why : err_str(r));
		return;
	}
	hint_post(app, s, 0);
	post_load(app, s);
	app_status(app, false, "comment edited");
}

static void
comment_delete_yes(struct app *app, void *ctx)
{
	struct post_state	*s = ctx;
	int			 r;

	if ((r = store_comment_delete(app_store(app), app_user(app)->id, pending_comment)) != 0) {
		app_status(app, true, "cannot delete the comment: %s", err_str(r));
		return;
	}
	hint_post(app, s, 0);
	post_load(app, s);
	app_status(app, false, "comment deleted");
}

static int
post_action(struct app *app, void *state, int action)
{
	struct post_state	*s = state;
	const struct comment	*c = s->sel > 0 && s->sel - 1 < s->comments.n ?
				    &s->comments.v[s->sel - 1] : NULL;
	const struct post	*p = &s->item.post;

	if (s->missing)
		return TUI_NONE;
	switch (action) {
	case ACT_NEXT:
		if (s->sel < s->comments.n)
			s->sel++;
		return TUI_REDRAW;
	case ACT_PREV:
		if (s->sel > 0)
			s->sel--;
		return TUI_REDRAW;
	case ACT_TOP:
		s->sel = 0;
		return TUI_REDRAW;
	case ACT_BOTTOM:
		s->sel = s->comments.n;
		return TUI_REDRAW;
	case ACT_COMMENT:
		app_prompt(app, "Comment:", false, COMMENT_MAX, comment_added, s);
		return TUI_REDRAW;
	case ACT_EDIT:
		if (c == NULL) {
			post_act_edit(app, p);
			return TUI_REDRAW;
		}
		if (c->author_id != app_user(app)->id) {
			app_status(app, true, "you can only edit your own comments");
			return TUI_REDRAW;
		}
		pending_comment = c->id;
		app_prompt(app, "Edit comment:", false, COMMENT_MAX, comment_edited, s);
		app_prompt_fill(app, c->text);
		return TUI_REDRAW;
	case ACT_DELETE:
		if (c == NULL) {
			post_act_delete(app, p);
			return TUI_REDRAW;
		}
		if (!c->can_delete) {
			app_status(app, true, "you can delete your own comments, and any on your posts");
			return TUI_REDRAW;
		}
		pending_comment = c->id;
		app_confirm(app, "Delete this comment? (y/n)", comment_delete_yes, s);
		return TUI_REDRAW;
	case ACT_AUTHOR:
		if (c != NULL)
			app_open(app, &screen_user_ops, c->author_username);
		else
			post_act_author(app, p);
		return TUI_REDRAW;
	case ACT_OPEN:
		/* On a share, Enter opens the shared post. */
		if (c == NULL && p->original != NULL)
			post_act_open(app, p->original);
		return TUI_REDRAW;
	}
	/* Everything else acts on the post itself, as in a feed. */
	return post_act(app, p, action) ? TUI_REDRAW : TUI_NONE;
}

static void
post_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	struct post_state *s = state;

	(void)m;
	post_load(app, s);
}

/* What is selected: the post (sel 0) or a comment, and whose it is. */
static unsigned
post_when_now(struct app *app, void *state)
{
	struct post_state	*s = state;
	const struct comment	*c;

	if (s->missing)
		return W_KEYS;
	if (s->sel == 0 || s->sel - 1 >= s->comments.n)
		return W_KEYS | post_when(app, &s->item.post);
	c = &s->comments.v[s->sel - 1];
	return W_KEYS | W_COMMENT | (c->author_id == app_user(app)->id ? W_OWN : W_OTHERS) |
	    (c->can_delete ? W_CAN_DELETE : 0);
}

static const struct key_binding post_keys[] = {
	NAV_BINDINGS,
	{ 'l',	ACT_LIKE,	"like or unlike the post", "like", W_POST },
	{ 'c',	ACT_COMMENT,	"add a comment", "comment", 0 },
	{ 'r',	ACT_REACT,	"react to the post (pick one)", "react", W_POST },
	{ 's',	ACT_SHARE,	"share the post (with a note)", "share", W_POST },
	{ 'e',	ACT_EDIT,	"edit your post", "edit", W_POST | W_OWN },
	{ 'd',	ACT_DELETE,	"delete your post (asks)", "delete", W_POST | W_OWN },
	{ 'e',	ACT_EDIT,	"edit your comment", "edit comment", W_COMMENT | W_OWN },
	{ 'd',	ACT_DELETE,	"delete the comment (asks)", "delete comment",
	    W_COMMENT | W_CAN_DELETE },
	{ 'v',	ACT_VIEW,	"its pictures, full screen", "pictures", W_POST | W_PICTURES },
	{ '\n',	ACT_OPEN,	"open the shared post", "original", W_POST | W_SHARE },
	{ 'w',	ACT_REACTORS,	"who reacted", NULL, W_POST },
	{ 'V',	ACT_VISIBILITY,	"who can see your post", NULL, W_POST | W_OWN },
	{ 'p',	ACT_AUTHOR,	"the author's profile", "profile", 0 },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_post_ops = {
	.name = "Post",
	.keys = post_keys,
	.enter = post_enter,
	.leave = post_leave,
	.draw = post_draw,
	.action = post_action,
	.refresh = post_refresh,
	.when = post_when_now,
};
