/*
 * Messages (tab 3): message requests to me first (a accepts, x declines),
 * then my conversations, newest first, each with the other person, a preview
 * and an unread count. Enter opens the chat; m starts one with anyone.
 * Updates live as messages arrive.
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
#include "storage/messages.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/listdraw.h"
#include "tui/screen.h"

struct messages_state {
	struct conversation_list	requests;	/* to me, not accepted */
	struct conversation_list	convs;
	struct listview			lv;
	int				height;
};

static size_t
rows(const struct messages_state *s)
{
	return s->requests.n + s->convs.n;
}

static const struct conversation *
row_conv(const struct messages_state *s, size_t i)
{
	return i < s->requests.n ? &s->requests.v[i] : &s->convs.v[i - s->requests.n];
}

static void
messages_load(struct app *app, struct messages_state *s)
{
	conversation_list_free(&s->requests);
	conversation_list_free(&s->convs);
	memset(&s->requests, 0, sizeof s->requests);
	memset(&s->convs, 0, sizeof s->convs);
	if (store_conversations(app_store(app), app_user(app)->id, true, &s->requests) != 0 ||
	    store_conversations(app_store(app), app_user(app)->id, false, &s->convs) != 0)
		app_status(app, true, "cannot load your conversations");
	s->lv.n = rows(s);
	listview_clamp(&s->lv, (size_t)s->height);
}

static void *
messages_enter(struct app *app, const char *arg)
{
	struct messages_state *s = xcalloc(1, sizeof *s);

	(void)arg;
	s->height = 10;
	messages_load(app, s);
	return s;
}

static void
messages_leave(struct app *app, void *state)
{
	struct messages_state *s = state;

	(void)app;
	conversation_list_free(&s->requests);
	conversation_list_free(&s->convs);
	free(s);
}

static void
conv_row(void *ctx, size_t i, int y, int x, int w, bool selected)
{
	const struct messages_state	*s = ctx;
	const struct conversation	*c = row_conv(s, i);
	enum draw_role			 role = selected ? ROLE_SELECTED :
					    c->unread ? ROLE_TITLE : ROLE_NORMAL;
	char				 ago[32], right[96];
	int				 cx = x + 1, rw;

	time_ago(c->last.created_at, (int64_t)time(NULL), ago, sizeof ago);
	if (i < s->requests.n)
		snprintf(right, sizeof right, "request: a accept, x decline  %s", ago);
	else if (c->unread)
		snprintf(right, sizeof right, "%zu unread  %s", c->unread, ago);
	else
		snprintf(right, sizeof right, "%s%s", c->pending ? "waiting for them  " : "", ago);
	rw = draw_width(right) + 2;
	cx += draw_text(y, cx, 20, c->display_name, role) + 1;
	cx += draw_textf(y, cx, 16, selected ? ROLE_SELECTED : ROLE_DIM, "@%s", c->username) + 2;
	draw_text(y, cx, x + w - rw - cx - 2, c->last.deleted ? "message deleted" : c->last.text,
	    selected ? ROLE_SELECTED : ROLE_DIM);
	draw_text_right(y, x, w - 1, right, selected ? ROLE_SELECTED :
	    i < s->requests.n || c->unread ? ROLE_KEY : ROLE_DIM);
}

static void
messages_draw(struct app *app, void *state, const struct rect *r)
{
	struct messages_state	*s = state;
	struct rect		 list = { r->y + 3, r->x + 1, r->h - 5, r->w - 2 };

	(void)app;
	s->height = list.h;
	draw_text(r->y + 1, r->x + 2, 12, "Messages", ROLE_TITLE);
	draw_textf(r->y + 1, r->x + 14, r->w - 16, ROLE_NORMAL, "%zu conversation%s  ·  %zu "
	    "request%s", s->convs.n, s->convs.n == 1 ? "" : "s", s->requests.n,
	    s->requests.n == 1 ? "" : "s");
	if (rows(s) == 0)
		draw_text(list.y, list.x + 1, list.w - 2, "No conversations yet: m starts one, or m "
		    "on someone's profile.", ROLE_DIM);
	list_draw(&list, &s->lv, conv_row, s);
	app_draw_hints(app, r->y + r->h - 1, r->x + 2, r->w - 4);
}

static void
new_done(struct app *app, void *ctx, const char *text)
{
	(void)ctx;
	if (text != NULL && text[0] != '\0')
		app_open(app, &screen_chat_ops, text[0] == '@' ? text + 1 : text);
}

static int
messages_action(struct app *app, void *state, int action)
{
	struct messages_state		*s = state;
	const struct conversation	*c;
	int				 r;

	if (list_nav(&s->lv, action, (size_t)s->height))
		return TUI_REDRAW;
	if (action == ACT_COMPOSE) {
		app_prompt(app, "Message whom (username):", false, 33, new_done, NULL);
		return TUI_REDRAW;
	}
	if (s->lv.sel >= rows(s))
		return TUI_NONE;
	c = row_conv(s, s->lv.sel);
	switch (action) {
	case ACT_OPEN:
		app_open(app, &screen_chat_ops, c->username);
		return TUI_REDRAW;
	case ACT_PROFILE:
		app_open(app, &screen_user_ops, c->username);
		return TUI_REDRAW;
	case ACT_FRIEND:
	case ACT_DECLINE:
		if (s->lv.sel >= s->requests.n) {
			app_status(app, true, "that is not a message request");
			return TUI_REDRAW;
		}
		r = action == ACT_FRIEND ?
		    store_message_request_accept(app_store(app), app_user(app)->id, c->other_id) :
		    store_message_request_decline(app_store(app), app_user(app)->id, c->other_id);
		if (r != 0) {
			app_status(app, true, "cannot answer the request: %s", err_str(r));
			return TUI_REDRAW;
		}
		app_hint(app, TOPIC_MESSAGE, c->other_id, 0);
		app_status(app, false, action == ACT_FRIEND ? "request accepted" :
		    "request declined: they cannot message you until you are friends");
		messages_load(app, s);
		app_refresh(app);
		return TUI_REDRAW;
	}
	return TUI_NONE;
}

static void
messages_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	(void)m;
	messages_load(app, state);
}

/* A row selected; a request (the first rows) or a conversation. */
static unsigned
messages_when(struct app *app, void *state)
{
	struct messages_state *s = state;

	(void)app;
	if (s->lv.n == 0)
		return W_KEYS;
	return W_KEYS | W_ITEM | (s->lv.sel < s->requests.n ? W_REQUEST : 0);
}

static const struct key_binding messages_keys[] = {
	NAV_BINDINGS,
	{ '\n',	ACT_OPEN,	"open the conversation", "open", W_ITEM },
	{ 'm',	ACT_COMPOSE,	"message someone", "new message", 0 },
	{ 'a',	ACT_FRIEND,	"accept the message request", "accept", W_REQUEST },
	{ 'x',	ACT_DECLINE,	"decline the message request", "decline", W_REQUEST },
	{ 'p',	ACT_PROFILE,	"their profile", "profile", W_ITEM },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_messages_ops = {
	.name = "Messages",
	.keys = messages_keys,
	.enter = messages_enter,
	.leave = messages_leave,
	.draw = messages_draw,
	.action = messages_action,
	.refresh = messages_refresh,
	.when = messages_when,
};
