/*
 * Friends: tab 5 lists requests to me, requests I sent and my friends, in
 * that order; screen_friends_of_ops lists anyone's friends with a filter line
 * (search inside the list). Both page through friends with keyset cursors.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/lineedit.h"
#include "tui/listdraw.h"
#include "tui/screen.h"
#include "tui/social_actions.h"

#define PAGE	50

enum row_kind { ROW_INCOMING, ROW_OUTGOING, ROW_FRIEND };

struct friends_state {
	char			*owner;		/* whose friends (friends_of); NULL: the tab, mine */
	int64_t			 owner_id;
	struct user_list	 incoming, outgoing, friends;
	bool			 denied;	/* the owner's list is not visible to me */
	struct lineedit		 filter;	/* friends_of only */
	struct listview		 lv;
	int			 height;
};

static size_t
row_count(const struct friends_state *s)
{
	return s->incoming.n + s->outgoing.n + s->friends.n;
}

/* The user at row i, and which section it is in. */
static const struct user_summary *
row_user(const struct friends_state *s, size_t i, enum row_kind *kind)
{
	if (i < s->incoming.n) {
		*kind = ROW_INCOMING;
		return &s->incoming.v[i];
	}
	i -= s->incoming.n;
	if (i < s->outgoing.n) {
		*kind = ROW_OUTGOING;
		return &s->outgoing.v[i];
	}
	*kind = ROW_FRIEND;
	return &s->friends.v[i - s->outgoing.n];
}

static void
friends_more(struct app *app, struct friends_state *s)
{
	struct user_list	page = { 0 };
	size_t			i;
	int			r;

	if (s->friends.n > 0 && s->friends.next_after == NULL)
		return;
	r = store_friends_list(app_store(app), app_user(app)->id, s->owner_id,
	    s->filter.text.buf, s->friends.n ? s->friends.next_after : NULL, PAGE, &page);
	if (r != 0) {
		s->denied = true;
		return;
	}
	s->friends.v = xreallocarray(s->friends.v, s->friends.n + page.n + 1, sizeof *s->friends.v);
	for (i = 0; i < page.n; i++)
		s->friends.v[s->friends.n++] = page.v[i];
	free(s->friends.next_after);
	s->friends.next_after = page.next_after;
	free(page.v);	/* entries moved */
	s->lv.n = row_count(s);
}

static void
friends_load(struct app *app, struct friends_state *s)
{
	int64_t me = app_user(app)->id;

	user_list_free(&s->incoming);
	user_list_free(&s->outgoing);
	user_list_free(&s->friends);
	memset(&s->incoming, 0, sizeof s->incoming);
	memset(&s->outgoing, 0, sizeof s->outgoing);
	memset(&s->friends, 0, sizeof s->friends);
	s->denied = false;
	if (s->owner == NULL) {
		s->owner_id = me;
		store_requests_incoming(app_store(app), me, &s->incoming);
		store_requests_outgoing(app_store(app), me, &s->outgoing);
	} else if (store_user_lookup(app_store(app), me, s->owner, &s->owner_id) != 0) {
		s->denied = true;
		s->lv.n = 0;
		return;
	}
	friends_more(app, s);
	s->lv.n = row_count(s);
	listview_clamp(&s->lv, (size_t)s->height);
}

static void *
friends_enter_common(struct app *app, const char *owner)
{
	struct friends_state *s = xcalloc(1, sizeof *s);

	s->owner = owner ? xstrdup(owner) : NULL;
	s->height = 10;
	lineedit_init(&s->filter, 64, false);
	friends_load(app, s);
	return s;
}

static void *
friends_enter(struct app *app, const char *arg)
{
	(void)arg;
	return friends_enter_common(app, NULL);
}

static void *
friends_of_enter(struct app *app, const char *arg)
{
	return friends_enter_common(app, arg ? arg : app_user(app)->username);
}

static void
friends_leave(struct app *app, void *state)
{
	struct friends_state *s = state;

	(void)app;
	user_list_free(&s->incoming);
	user_list_free(&s->outgoing);
	user_list_free(&s->friends);
	lineedit_free(&s->filter);
	free(s->owner);
	free(s);
}

static void
friend_row(void *ctx, size_t i, int y, int x, int w, bool selected)
{
	const struct friends_state	*s = ctx;
	const struct user_summary	*u;
	enum row_kind			 kind;
	enum draw_role			 role = selected ? ROLE_SELECTED : ROLE_NORMAL;
	char				 right[64];
	int				 used;

	u = row_user(s, i, &kind);
	used = draw_textf(y, x + 1, w / 2, role, "@%s", u->username);
	draw_text(y, x + 2 + (used > 20 ? used : 20), w / 2 - 4, u->display_name, role);
	if (kind == ROW_INCOMING)
		snprintf(right, sizeof right, "wants to be friends: a accept, x decline");
	else if (kind == ROW_OUTGOING)
		snprintf(right, sizeof right, "request sent: c cancels");
	else
		snprintf(right, sizeof right, "%zu mutual", u->mutual_count);
	draw_text_right(y, x, w - 1, right, selected ? ROLE_SELECTED :
	    kind == ROW_INCOMING ? ROLE_KEY : ROLE_DIM);
}

static void
friends_draw(struct app *app, void *state, const struct rect *r)
{
	struct friends_state	*s = state;
	struct rect		 list = { r->y + 3, r->x + 1, r->h - 5, r->w - 2 };
	int			 cx = -1;

	(void)app;
	s->height = list.h;
	if (s->owner == NULL) {
		draw_text(r->y + 1, r->x + 2, r->w - 4, "Friends", ROLE_TITLE);
		draw_textf(r->y + 1, r->x + 12, r->w - 14, ROLE_NORMAL,
		    "%zu request%s to you  ·  %zu sent  ·  %zu%s friend%s", s->incoming.n,
		    s->incoming.n == 1 ? "" : "s", s->outgoing.n, s->friends.n,
		    s->friends.next_after ? "+" : "",
		    s->friends.n == 1 && !s->friends.next_after ? "" : "s");
	} else {
		draw_textf(r->y + 1, r->x + 2, r->w / 2, ROLE_TITLE, "Friends of @%s", s->owner);
		draw_text(r->y + 1, r->x + r->w / 2, 8, "Filter:", ROLE_NORMAL);
		cx = draw_field(r->y + 1, r->x + r->w / 2 + 8, r->w / 2 - 10, &s->filter, ROLE_FIELD);
	}
	if (s->denied)
		draw_text(list.y, list.x + 1, list.w - 2, "This friends list is not visible to you.",
		    ROLE_DIM);
	else if (row_count(s) == 0)
		draw_text(list.y, list.x + 1, list.w - 2, s->owner ? "No friends to show." :
		    "No friends yet: / finds people, f on a profile sends a request.", ROLE_DIM);
	list_draw(&list, &s->lv, friend_row, s);
	app_draw_hints(app, r->y + r->h - 1, r->x + 2, r->w - 4);
	if (cx >= 0)
		draw_cursor_at(r->y + 1, cx);
}

static int
friends_action(struct app *app, void *state, int action)
{
	struct friends_state		*s = state;
	const struct user_summary	*u = NULL;
	enum row_kind			 kind = ROW_FRIEND;

	if (list_nav(&s->lv, action, (size_t)s->height)) {
		if (list_near_end(&s->lv))
			friends_more(app, s);
		return TUI_REDRAW;
	}
	if (action == ACT_FILTER) {
		app_open(app, &screen_friends_of_ops, app_user(app)->username);
		return TUI_REDRAW;
	}
	if (s->lv.sel >= row_count(s))
		return TUI_NONE;
	u = row_user(s, s->lv.sel, &kind);
	switch (action) {
	case ACT_OPEN:
		app_open(app, &screen_user_ops, u->username);
		break;
	case ACT_FRIEND:
		social_act(app, u->username, SOP_ACCEPT);
		break;
	case ACT_DECLINE:
		social_act(app, u->username, SOP_DECLINE);
		break;
	case ACT_CANCEL:
		social_act(app, u->username, SOP_CANCEL);
		break;
	case ACT_DELETE:
		social_act(app, u->username, SOP_REMOVE);
		break;
	case ACT_BLOCK:
		social_act(app, u->username, SOP_BLOCK);
		break;
	default:
		return TUI_NONE;
	}
	return TUI_REDRAW;
}

/* friends_of: letters go to the filter; arrows and Enter to the list. */
static int
friends_of_input(struct app *app, void *state, int key)
{
	struct friends_state *s = state;

	switch (key) {
	case 27:
		app_back(app);
		return TUI_REDRAW;
	case '\n':
		return friends_action(app, s, ACT_OPEN);
	case TK(KEY_DOWN):
		return friends_action(app, s, ACT_NEXT);
	case TK(KEY_UP):
		return friends_action(app, s, ACT_PREV);
	case TK(KEY_NPAGE):
		return friends_action(app, s, ACT_PAGE_DOWN);
	case TK(KEY_PPAGE):
		return friends_action(app, s, ACT_PAGE_UP);
	}
	if (app_lineedit_key(&s->filter, key)) {
		s->lv.sel = s->lv.top = 0;
		friends_load(app, s);
		return TUI_REDRAW;
	}
	return TUI_UNHANDLED;
}

/* A paste is filter text (on one line). */
static int
friends_of_paste(struct app *app, void *state, const char *text)
{
	struct friends_state *s = state;

	if (lineedit_insert_text(&s->filter, text) > 0) {
		s->lv.sel = s->lv.top = 0;
		friends_load(app, s);
	}
	return TUI_REDRAW;
}

static void
friends_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	(void)m;
	friends_load(app, state);
}

/* The selected row: a request to me, one I sent, or a friend. */
static unsigned
friends_when(struct app *app, void *state)
{
	struct friends_state	*s = state;
	enum row_kind		 kind;

	(void)app;
	if (s->lv.n == 0 || s->lv.sel >= row_count(s))
		return W_KEYS;
	(void)row_user(s, s->lv.sel, &kind);
	return W_KEYS | W_ITEM | (kind == ROW_INCOMING ? W_REQUEST : kind == ROW_OUTGOING ?
	    W_SENT : W_FRIEND);
}

static const struct key_binding friends_keys[] = {
	NAV_BINDINGS,
	{ '\n',	ACT_OPEN,	"open the profile", "open", W_ITEM },
	{ 'p',	ACT_OPEN,	NULL, NULL, W_ITEM },
	{ 'a',	ACT_FRIEND,	"accept the friend request", "accept", W_REQUEST },
	{ 'x',	ACT_DECLINE,	"decline the friend request", "decline", W_REQUEST },
	{ 'c',	ACT_CANCEL,	"cancel the request you sent", "cancel", W_SENT },
	{ 'r',	ACT_DELETE,	"remove from your friends (asks first)", "remove", W_FRIEND },
	{ 'b',	ACT_BLOCK,	"block or unblock", "block", W_ITEM },
	{ 's',	ACT_FILTER,	"search inside your friends", "search friends", 0 },
	{ 0, 0, NULL, NULL, 0 }
};

static unsigned
friends_of_when(struct app *app, void *state)
{
	(void)app;
	(void)state;
	return W_TYPING;
}

static const struct key_binding friends_of_keys[] = {
	{ '\n',		ACT_OPEN,	"open the profile", "open", W_TYPING },
	{ TK(KEY_DOWN),	ACT_NEXT,	"next", NULL, W_TYPING },
	{ TK(KEY_UP),	ACT_PREV,	"previous", NULL, W_TYPING },
	{ 27,		ACT_NONE,	"back", "back", W_TYPING },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_friends_ops = {
	.name = "Friends",
	.keys = friends_keys,
	.enter = friends_enter,
	.leave = friends_leave,
	.draw = friends_draw,
	.action = friends_action,
	.refresh = friends_refresh,
	.when = friends_when,
};

const struct screen_ops screen_friends_of_ops = {
	.name = "Friends of",
	.keys = friends_of_keys,
	.enter = friends_of_enter,
	.leave = friends_leave,
	.draw = friends_draw,
	.action = friends_action,
	.input = friends_of_input,
	.paste = friends_of_paste,
	.refresh = friends_refresh,
	.when = friends_of_when,
};
