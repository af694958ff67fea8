/*
 * Search (`/` anywhere): a query line on top, results as you type (each word
 * matches a prefix); Tab switches between people and posts (a #hashtag query
 * finds the posts carrying it). Enter opens the selected profile or post.
 * Arrows move in the results because letters go to the query; the next page
 * loads as the selection nears the end.
 *
 * "As you type" means when typing pauses (SEARCH_IDLE_MS), not on every key:
 * a paste arrives as thousands of keys in a burst, and a search per key was
 * seconds of a core for one paste. Keys past the field's limit are refused
 * with a note, and search nothing.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/feed.h"
#include "tui/post_actions.h"
#include "tui/lineedit.h"
#include "tui/listdraw.h"
#include "tui/screen.h"

#define PAGE		30
#define QUERY_MAX	200	/* characters in the query field */
#define SEARCH_IDLE_MS	200	/* typing paused this long: search */

struct search_state {
	struct lineedit		 query;
	struct buf		 searched;	/* the query the results are for */
	struct user_hits	 hits;		/* every page loaded so far */
	struct listview		 lv;
	int			 height;
	bool			 posts_mode;	/* Tab: people or posts */
	struct feed		 posts;
};

static int
load_posts(struct app *app, void *arg, const struct post_cursor *after, size_t limit,
    struct post_page *out)
{
	const struct search_state *s = arg;

	return store_search_posts(app_store(app), app_user(app)->id, s->query.text.buf, after,
	    limit, out);
}

/* Append the next page of hits (or the first, when none are loaded). */
static void
search_more(struct app *app, struct search_state *s)
{
	struct user_hits page = { 0 };
	size_t i;

	if (s->hits.n > 0 && !s->hits.next.set)
		return;	/* the end */
	if (store_search_users(app_store(app), app_user(app)->id, s->query.text.buf,
	    s->hits.n ? &s->hits.next : NULL, PAGE, &page) != 0) {
		app_status(app, true, "search failed");
		return;
	}
	s->hits.v = xreallocarray(s->hits.v, s->hits.n + page.n + 1, sizeof *s->hits.v);
	for (i = 0; i < page.n; i++)
		s->hits.v[s->hits.n++] = page.v[i];
	s->hits.next = page.next;
	free(page.v);	/* the entries moved into s->hits */
	s->lv.n = s->hits.n;
}

static void
search_reload(struct app *app, struct search_state *s)
{
	buf_reset(&s->searched);
	buf_adds(&s->searched, s->query.text.buf);
	if (s->posts_mode) {
		feed_reload(&s->posts, app);
		return;
	}
	user_hits_free(&s->hits);
	memset(&s->hits, 0, sizeof s->hits);
	s->lv.sel = s->lv.top = 0;
	s->lv.n = 0;
	search_more(app, s);
}

static void *
search_enter(struct app *app, const char *arg)
{
	struct search_state *s = xcalloc(1, sizeof *s);

	lineedit_init(&s->query, QUERY_MAX, false);
	buf_init(&s->searched);
	if (arg != NULL)
		lineedit_set(&s->query, arg);
	s->height = 10;
	feed_init(&s->posts, load_posts, s);
	/* A hashtag is a question about posts. */
	s->posts_mode = arg != NULL && arg[0] == '#';
	search_reload(app, s);
	return s;
}

static void
search_leave(struct app *app, void *state)
{
	struct search_state *s = state;

	(void)app;
	lineedit_free(&s->query);
	buf_release(&s->searched);
	user_hits_free(&s->hits);
	feed_free(&s->posts);
	free(s);
}

static const char *
relation_mark(enum relation rel)
{
	switch (rel) {
	case REL_SELF:			return "you";
	case REL_FRIEND:		return "friend";
	case REL_REQUEST_SENT:		return "request sent";
	case REL_REQUEST_RECEIVED:	return "wants to be friends";
	case REL_BLOCKED:		return "blocked";
	default:			return "";
	}
}

static void
hit_row(void *ctx, size_t i, int y, int x, int w, bool selected)
{
	const struct user_summary	*u = &((struct search_state *)ctx)->hits.v[i];
	enum draw_role			 role = selected ? ROLE_SELECTED : ROLE_NORMAL;
	char				 right[64];
	int				 used;

	snprintf(right, sizeof right, "%s%s%zu mutual", relation_mark(u->relation),
	    relation_mark(u->relation)[0] ? "  ·  " : "", u->mutual_count);
	used = draw_textf(y, x + 1, w / 2, role, "@%s", u->username);
	draw_text(y, x + 2 + (used > 20 ? used : 20), w / 2, u->display_name, role);
	draw_text_right(y, x, w - 1, right, selected ? ROLE_SELECTED : ROLE_DIM);
}

static void
search_draw(struct app *app, void *state, const struct rect *r)
{
	struct search_state	*s = state;
	struct rect		 list = { r->y + 3, r->x + 1, r->h - 4, r->w - 2 };
	int			 cx;

	s->height = list.h;
	draw_text(r->y, r->x + 1, 9, "Search:", ROLE_TITLE);
	cx = draw_field(r->y, r->x + 10, r->w - 30, &s->query, ROLE_FIELD);
	draw_text(r->y, r->x + r->w - 18, 8, " People ", s->posts_mode ? ROLE_DIM : ROLE_TAB_ACTIVE);
	draw_text(r->y, r->x + r->w - 9, 7, " Posts ", s->posts_mode ? ROLE_TAB_ACTIVE : ROLE_DIM);
	if (s->query.text.len == 0)
		draw_text(r->y + 1, r->x + 1, r->w - 2, "Type a name, a tag, a place or words of a "
		    "post; Tab switches people / posts.", ROLE_DIM);
	else if (s->posts_mode)
		draw_textf(r->y + 1, r->x + 1, r->w - 2, ROLE_DIM, "%zu%s post%s  ·  arrows move, "
		    "Enter opens, Tab people, Esc back", s->posts.n, s->posts.next.set ? "+" : "",
		    s->posts.n == 1 && !s->posts.next.set ? "" : "s");
	else
		draw_textf(r->y + 1, r->x + 1, r->w - 2, ROLE_DIM, "%zu%s %s  ·  arrows move, "
		    "Enter opens, Tab posts, Esc back", s->hits.n, s->hits.next.set ? "+" : "",
		    s->hits.n == 1 && !s->hits.next.set ? "person" : "people");
	if (s->posts_mode) {
		if (s->posts.n == 0 && s->query.text.len > 0)
			draw_text(list.y, list.x + 1, list.w - 2, "no posts found", ROLE_DIM);
		else
			feed_draw(&s->posts, app, &list);
	} else {
		list_draw(&list, &s->lv, hit_row, s);
		if (s->hits.n == 0 && s->query.text.len > 0)
			draw_text(list.y, list.x + 1, list.w - 2, "nobody found", ROLE_DIM);
	}
	draw_cursor_at(r->y, cx);
}

/* Search for what the field holds now, unless the results are for it already. */
static void
search_flush(struct app *app, struct search_state *s)
{
	if (strcmp(s->query.text.buf, s->searched.buf) != 0)
		search_reload(app, s);
}

static void
search_timer(struct app *app, void *state)
{
	search_flush(app, state);
}

static int
search_input(struct app *app, void *state, int key)
{
	struct search_state	*s = state;
	int			 action = ACT_NONE;

	switch (key) {
	case 27:
		app_back(app);
		return TUI_REDRAW;
	case '\t':
		s->posts_mode = !s->posts_mode;
		search_reload(app, s);
		return TUI_REDRAW;
	case '\n':
		/* Open what the results of the query as typed hold, not an older one's. */
		search_flush(app, s);
		if (s->posts_mode) {
			if (feed_selected(&s->posts) != NULL)
				post_act_open(app, &feed_selected(&s->posts)->post);
		} else if (s->lv.sel < s->hits.n)
			app_open(app, &screen_user_ops, s->hits.v[s->lv.sel].username);
		return TUI_REDRAW;
	case TK(KEY_DOWN):	action = ACT_NEXT; break;
	case TK(KEY_UP):	action = ACT_PREV; break;
	case TK(KEY_NPAGE):	action = ACT_PAGE_DOWN; break;
	case TK(KEY_PPAGE):	action = ACT_PAGE_UP; break;
	}
	if (action != ACT_NONE && s->posts_mode) {
		feed_nav(&s->posts, app, action);
		return TUI_REDRAW;
	}
	if (action != ACT_NONE) {
		list_nav(&s->lv, action, (size_t)s->height);
		if (list_near_end(&s->lv))
			search_more(app, s);
		return TUI_REDRAW;
	}
	if (!(key & TK_FLAG) && key >= 0x20 && key != 0x7F &&
	    lineedit_chars(&s->query) >= s->query.max_chars) {
		app_status(app, true, "the search is at most %d characters", QUERY_MAX);
		return TUI_REDRAW;
	}
	if (app_lineedit_key(&s->query, key)) {
		/* The field changed (or the cursor moved): search once typing pauses. */
		app_timer(app, SEARCH_IDLE_MS);
		return TUI_REDRAW;
	}
	return TUI_UNHANDLED;
}

/* A paste is query text (on one line), searched once it is all in. */
static int
search_paste(struct app *app, void *state, const char *text)
{
	struct search_state *s = state;

	if (lineedit_insert_text(&s->query, text) > 0)
		search_reload(app, s);
	return TUI_REDRAW;
}

static void
search_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	struct search_state	*s = state;
	size_t			 sel = s->lv.sel;

	(void)m;
	if (s->posts_mode) {
		feed_refresh(&s->posts, app);
		return;
	}
	search_reload(app, s);
	s->lv.sel = sel;
	listview_clamp(&s->lv, (size_t)s->height);
}

static unsigned
search_when(struct app *app, void *state)
{
	(void)app;
	(void)state;
	return W_TYPING;
}

static const struct key_binding search_keys[] = {
	{ '\n',		ACT_OPEN,	"open the selected profile or post", "open", W_TYPING },
	{ '\t',		ACT_FILTER,	"switch between people and posts", "people / posts",
	    W_TYPING },
	{ TK(KEY_DOWN),	ACT_NEXT,	"next result", NULL, W_TYPING },
	{ TK(KEY_UP),	ACT_PREV,	"previous result", NULL, W_TYPING },
	{ 27,		ACT_NONE,	"back", "back", W_TYPING },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_search_ops = {
	.name = "Search",
	.keys = search_keys,
	.enter = search_enter,
	.leave = search_leave,
	.draw = search_draw,
	.input = search_input,
	.paste = search_paste,
	.refresh = search_refresh,
	.timer = search_timer,
	.when = search_when,
};
