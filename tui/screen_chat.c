/*
 * A chat with one person (`m` on a profile, Enter on a conversation, `:dm bob`).
 * History fills the screen from the bottom with day separators and "seen"
 * under my last message once read; an input at the bottom (Enter sends; it
 * grows to INPUT_ROWS rows for a long message or one pasted with several
 * lines, which keeps them).
 * Esc leaves the input for browsing: j/k pick a message, e edits and d deletes
 * an own one, i (or Enter) goes back to typing. Older pages load when the
 * selection reaches the top. New messages, edits and deletions arrive live.
 * A message request to me opens in browse mode with no input line, so the
 * a (accept) and x (decline) it advertises are keys, not text; i types a
 * reply, which accepts it too.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "common/hub.h"
#include "common/xmalloc.h"
#include "storage/messages.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/screen.h"
#include "tui/textedit.h"

#define PAGE	100
#define NEWS	32	/* messages a reload makes room for beyond what is loaded */
#define INPUT_ROWS	5	/* the most rows the input grows to */

struct chat_state {
	char			*username;
	int64_t			 other;
	char			*other_name;	/* display name */
	bool			 missing;
	bool			 request;	/* their request to me, not accepted yet */
	struct message		*v;		/* oldest first */
	size_t			 n;
	int64_t			 older;		/* cursor for the next older page; 0 at the start */
	struct textedit		 input;
	int			 input_w;	/* columns it was laid out in (Up / Down) */
	size_t			 input_top;	/* its first row on the screen */
	bool			 browsing;	/* Esc: the selection moves, not the cursor */
	size_t			 sel;		/* selected message while browsing */
	size_t			 bottom;	/* last message on screen while browsing */
};

static int64_t	pending_message;

static void
chat_free_messages(struct chat_state *s)
{
	struct message_page p = { s->v, s->n, 0 };

	message_page_free(&p);
	s->v = NULL;
	s->n = 0;
}

/* The index of message id in s->v, or dflt when it is not loaded. */
static size_t
chat_index(const struct chat_state *s, int64_t id, size_t dflt)
{
	size_t i;

	for (i = 0; id != 0 && i < s->n; i++)
		if (s->v[i].id == id)
			return i;
	return dflt;
}

/*
 * Load the newest page, and down to the oldest message loaded before (older
 * pages the user scrolled to stay loaded; the pick and the window stay on the
 * same messages, whatever arrived meanwhile).
 */
static void
chat_load(struct app *app, struct chat_state *s)
{
	struct conversation_list	 reqs = { 0 };
	struct message_page		 page = { 0 };
	int64_t				 oldest = s->n ? s->v[0].id : 0;
	int64_t				 sel_id = s->sel < s->n ? s->v[s->sel].id : 0;
	int64_t				 bottom_id = s->bottom < s->n ? s->v[s->bottom].id : 0;
	size_t				 want = PAGE, keep, i;
	bool				 unread, was_request = s->request;

	/*
	 * What was loaded and room for news (each arrival reloads, so few come
	 * between two loads; with more, the newest ones are what stays loaded);
	 * anything older than `oldest` is dropped again.
	 */
	if (oldest != 0)
		want = (s->n > PAGE ? s->n : PAGE) + NEWS;
	if (store_messages(app_store(app), app_user(app)->id, s->other, 0, want, &page) != 0) {
		app_status(app, true, "cannot load the conversation");
		return;
	}
	chat_free_messages(s);
	for (keep = page.n; oldest != 0 && keep > 0 && page.v[keep - 1].id < oldest; keep--)
		free(page.v[keep - 1].text);
	s->v = xreallocarray(NULL, keep + 1, sizeof *s->v);
	for (i = 0; i < keep; i++)
		s->v[i] = page.v[keep - 1 - i];	/* oldest first */
	s->n = keep;
	s->older = keep < page.n ? oldest : page.next_before;
	free(page.v);	/* entries moved or freed */
	s->sel = chat_index(s, sel_id, s->sel);
	s->bottom = chat_index(s, bottom_id, s->bottom);
	s->request = false;
	if (store_conversations(app_store(app), app_user(app)->id, true, &reqs) == 0)
		for (i = 0; i < reqs.n; i++)
			if (reqs.v[i].other_id == s->other)
				s->request = true;
	conversation_list_free(&reqs);
	if (s->sel >= s->n)
		s->sel = s->n ? s->n - 1 : 0;
	if (s->request && !was_request) {
		/* A request: the keys it offers (a, x) must not land in an input line. */
		s->browsing = true;
		s->sel = s->n ? s->n - 1 : 0;
	}
	/*
	 * Reading it here is reading it: mark read and let the other side see
	 * "seen". Only when something was unread: the hints come back to this
	 * very screen (the hub fans out to every session of the user, this one
	 * too), and hinting on every load would reload and hint forever.
	 */
	for (i = 0, unread = false; i < s->n && !unread; i++)
		unread = s->v[i].to_id == app_user(app)->id && !s->v[i].read;
	if (!s->request && unread && store_messages_mark_read(app_store(app),
	    app_user(app)->id, s->other) == 0) {
		app_hint(app, TOPIC_MESSAGE, s->other, 0);
		app_hint(app, TOPIC_MESSAGE, app_user(app)->id, 0);
	}
}

static void
chat_load_older(struct app *app, struct chat_state *s)
{
	struct message_page	page = { 0 };
	size_t			i;

	if (s->older == 0)
		return;
	if (store_messages(app_store(app), app_user(app)->id, s->other, s->older, PAGE, &page) != 0)
		return;
	s->v = xreallocarray(s->v, s->n + page.n + 1, sizeof *s->v);
	memmove(s->v + page.n, s->v, s->n * sizeof *s->v);
	for (i = 0; i < page.n; i++)
		s->v[i] = page.v[page.n - 1 - i];
	s->n += page.n;
	s->sel += page.n;
	s->older = page.next_before;
	free(page.v);
}

static void *
chat_enter(struct app *app, const char *arg)
{
	struct chat_state	*s = xcalloc(1, sizeof *s);
	struct profile		 p = { 0 };

	s->username = xstrdup(arg ? arg : "");
	textedit_init(&s->input, MESSAGE_MAX);
	s->input_w = 76;
	/* Someone I have a conversation with stays readable across a block. */
	if ((store_user_lookup(app_store(app), app_user(app)->id, s->username, &s->other) != 0 &&
	    store_message_peer(app_store(app), app_user(app)->id, s->username, &s->other) != 0) ||
	    s->other == app_user(app)->id) {
		s->missing = true;
		return s;
	}
	store_profile_get(app_store(app), app_user(app)->id, s->username, &p);
	s->other_name = xstrdup(p.display_name ? p.display_name : s->username);
	profile_free(&p);
	chat_load(app, s);
	return s;
}

static void
chat_leave(struct app *app, void *state)
{
	struct chat_state *s = state;

	(void)app;
	chat_free_messages(s);
	textedit_free(&s->input);
	free(s->username);
	free(s->other_name);
	free(s);
}

/* Rows message i takes at width w (name line + wrapped text), plus a day separator above it. */
static int
message_rows(const struct chat_state *s, size_t i, int w)
{
	int rows = 0;

	if (i == 0 || s->v[i].created_at / 86400 != s->v[i - 1].created_at / 86400)
		rows++;
	/* The name line, then the text wrapped the way draw_wrapped will. */
	return rows + 1 + draw_wrapped_rows(s->v[i].deleted ? "message deleted" : s->v[i].text,
	    w - 4);
}

static void
draw_message(struct app *app, const struct chat_state *s, size_t i, int y, int x, int w,
    int max, bool selected)
{
	const struct message	*m = &s->v[i];
	bool			 mine = m->from_id == app_user(app)->id;
	struct rect		 body;
	char			 when[16], day[40];
	struct tm		 tm;
	time_t			 t = (time_t)m->created_at;
	int			 row = 0;

	gmtime_r(&t, &tm);
	if (i == 0 || m->created_at / 86400 != s->v[i - 1].created_at / 86400) {
		strftime(day, sizeof day, "%a %d %b %Y", &tm);
		if (row < max)
			draw_textf(y + row, x + 2, w - 4, ROLE_DIM, "── %s ──", day);
		row++;
	}
	strftime(when, sizeof when, "%H:%M", &tm);
	if (row < max) {
		if (selected)
			draw_text(y + row, x, 1, "\u258c", ROLE_KEY);
		draw_textf(y + row, x + 2, w - 4, mine ? ROLE_KEY : ROLE_TITLE, "%s %s%s", when,
		    mine ? "you" : s->other_name, m->edited_at ? " (edited)" : "");
	}
	row++;
	body.y = y + row;
	body.x = x + 4;
	body.w = w - 4;
	body.h = max - row;
	row = 0;
	if (body.h > 0)
		draw_wrapped(&body, &row, m->deleted ? "message deleted" : m->text,
		    m->deleted ? ROLE_DIM : ROLE_NORMAL);
}

/*
 * The input: "> " then the text wrapped in w columns, at most INPUT_ROWS rows
 * from y (scrolled so the cursor shows), which claim the cursor.
 */
static void
draw_input(struct chat_state *s, int y, int x, int w, int h)
{
	struct textedit_row	*rows;
	size_t			 n = textedit_layout(&s->input, w, &rows), crow, ccol, i;
	char			*line;

	s->input_w = w;
	textedit_cursor_pos(&s->input, rows, n, &crow, &ccol);
	if (crow < s->input_top)
		s->input_top = crow;
	if (crow >= s->input_top + (size_t)h)
		s->input_top = crow - (size_t)h + 1;
	if (s->input_top + (size_t)h > n)
		s->input_top = n > (size_t)h ? n - (size_t)h : 0;
	draw_text(y, x - 2, 2, ">", ROLE_KEY);
	for (i = s->input_top; i < n && (int)(i - s->input_top) < h; i++) {
		line = xstrndup(s->input.text.buf + rows[i].start, rows[i].end - rows[i].start);
		draw_text(y + (int)(i - s->input_top), x, w, line, ROLE_NORMAL);
		free(line);
	}
	draw_cursor_at(y + (int)(crow - s->input_top), x + (int)ccol);
	free(rows);
}

/* Rows the input takes now: its wrapped text, 1 to INPUT_ROWS (1 while browsing: the hint). */
static int
input_rows(const struct chat_state *s, int w)
{
	struct textedit_row	*rows;
	size_t			 n;

	if (s->browsing)
		return 1;
	n = textedit_layout(&s->input, w, &rows);
	free(rows);
	return n > INPUT_ROWS ? INPUT_ROWS : (int)n;
}

static void
chat_draw(struct app *app, void *state, const struct rect *r)
{
	struct chat_state	*s = state;
	int			 in_h = input_rows(s, r->w - 4);
	int			 top = r->y + 1, bottom = r->y + r->h - 2 - in_h, y, rows;
	size_t			 last, i, first, my_last = (size_t)-1;

	if (s->missing) {
		draw_text(r->y + 1, r->x + 2, r->w - 4, "No such user (or you cannot message them).",
		    ROLE_ERROR);
		return;
	}
	draw_textf(r->y, r->x + 2, r->w - 4, ROLE_TITLE, "Chat with %s @%s", s->other_name,
	    s->username);
	if (s->request)
		draw_text(r->y, r->x + r->w / 2, r->w / 2 - 2, s->browsing ?
		    "message request: a accepts, x declines" :
		    "message request: a reply accepts it", ROLE_OK);
	for (i = 0; i < s->n; i++)
		if (s->v[i].from_id == app_user(app)->id)
			my_last = i;
	/*
	 * Fill from the bottom: the newest message last, or while browsing the
	 * window that keeps the selection in view.
	 */
	last = s->n ? s->n - 1 : 0;
	if (s->browsing && s->bottom < s->n && s->bottom >= s->sel)
		last = s->bottom;
	for (;;) {
		y = bottom;
		first = last + 1;
		while (s->n > 0 && first > 0) {
			rows = message_rows(s, first - 1, r->w) +
			    (first - 1 == my_last && s->v[my_last].read);
			if (y - rows < top)
				break;
			y -= rows;
			first--;
		}
		if (s->n > 0 && first > last) {
			/* One message taller than the window: its top part, clipped. */
			first = last;
			y = top;
		}
		if (!s->browsing || s->sel >= first || last == s->sel)
			break;
		last = s->sel;	/* the selection went above the window: scroll up to it */
	}
	s->bottom = last;
	if (s->n == 0)
		draw_text(top, r->x + 2, r->w - 4, "No messages yet: say hello.", ROLE_DIM);
	else if (first == 0 && s->older != 0)
		draw_text(top - 1 >= r->y + 1 ? top - 1 : top, r->x + 2, r->w - 4,
		    "older messages: Esc, then k at the top", ROLE_DIM);
	for (i = first; i <= last && i < s->n; i++) {
		rows = message_rows(s, i, r->w);
		draw_message(app, s, i, y, r->x, r->w, bottom - y, s->browsing && i == s->sel);
		y += rows;
		if (i == my_last && s->v[i].read && y < bottom) {
			draw_text(y, r->x + 4, r->w - 6, "seen", ROLE_DIM);
			y++;
		}
	}
	draw_hline(r->y + r->h - 1 - in_h, r->x + 2, r->w - 4);
	if (s->browsing) {
		app_draw_hints(app, r->y + r->h - 1, r->x + 2, r->w - 4);
		return;
	}
	draw_input(s, r->y + r->h - in_h, r->x + 2, r->w - 4, in_h);
}

static void
chat_send(struct app *app, struct chat_state *s)
{
	int64_t	id = 0;
	bool	request = false;
	char	why[200] = "";
	int	r;

	if (s->input.text.len == 0)
		return;
	r = store_message_send(app_store(app), app_user(app)->id, s->other, s->input.text.buf,
	    &id, &request, why, sizeof why);
	if (r == ERR_NOTFOUND) {
		/*
		 * Over exec a person who blocked you reads as a name nobody has, so a
		 * block cannot be probed; here their name and the history are on the
		 * screen, and "no user named" would be a plain lie.
		 */
		app_status(app, true, "not sent: this conversation is closed to you");
		return;
	}
	if (r != 0) {
		app_status(app, true, "not sent: %s", why[0] ? why : err_str(r));
		return;
	}
	textedit_set(&s->input, "");
	s->input_top = 0;
	app_hint(app, TOPIC_MESSAGE, s->other, id);
	app_hint(app, TOPIC_NOTIFICATION, s->other, id);
	app_hint(app, TOPIC_MESSAGE, app_user(app)->id, id);
	if (request)
		app_status(app, false, "sent as a message request: they see it once they accept");
	chat_load(app, s);
}

static void
edit_done(struct app *app, void *ctx, const char *text)
{
	struct chat_state	*s = ctx;
	int64_t			 other = 0;
	char			 why[200] = "";
	int			 r;

	if (text == NULL)
		return;
	r = store_message_edit(app_store(app), app_user(app)->id, pending_message, text, &other,
	    why, sizeof why);
	if (r != 0) {
		app_status(app, true, "cannot edit: %s", why[0] ? why : err_str(r));
		return;
	}
	app_hint(app, TOPIC_MESSAGE, other, pending_message);
	app_hint(app, TOPIC_MESSAGE, app_user(app)->id, pending_message);
	chat_load(app, s);
}

static void
delete_yes(struct app *app, void *ctx)
{
	struct chat_state	*s = ctx;
	int64_t			 other = 0;
	int			 r;

	if ((r = store_message_delete(app_store(app), app_user(app)->id, pending_message,
	    &other)) != 0) {
		app_status(app, true, "cannot delete: %s", err_str(r));
		return;
	}
	app_hint(app, TOPIC_MESSAGE, other, pending_message);
	app_hint(app, TOPIC_MESSAGE, app_user(app)->id, pending_message);
	chat_load(app, s);
}

static int
browse_key(struct app *app, struct chat_state *s, int key)
{
	const struct message *m = s->sel < s->n ? &s->v[s->sel] : NULL;

	switch (key) {
	case 'j': case TK(KEY_DOWN):
		if (s->sel + 1 < s->n)
			s->sel++;
		return TUI_REDRAW;
	case 'k': case TK(KEY_UP):
		if (s->sel > 0)
			s->sel--;
		else
			chat_load_older(app, s);
		return TUI_REDRAW;
	case 'i': case '\n':
		s->browsing = false;
		return TUI_REDRAW;
	case 'a':
		if (s->request && store_message_request_accept(app_store(app), app_user(app)->id,
		    s->other) == 0) {
			app_hint(app, TOPIC_MESSAGE, s->other, 0);
			app_status(app, false, "request accepted: you can chat now");
			chat_load(app, s);
		}
		return TUI_REDRAW;
	case 'x':
		if (s->request && store_message_request_decline(app_store(app), app_user(app)->id,
		    s->other) == 0) {
			app_hint(app, TOPIC_MESSAGE, s->other, 0);
			app_status(app, false, "request declined: they cannot message you until you "
			    "are friends");
			chat_load(app, s);
		}
		return TUI_REDRAW;
	case 'e':
	case 'd':
		if (m == NULL || m->from_id != app_user(app)->id || m->deleted) {
			app_status(app, true, "you can only %s your own messages",
			    key == 'e' ? "edit" : "delete");
			return TUI_REDRAW;
		}
		pending_message = m->id;
		if (key == 'e') {
			app_prompt(app, "Edit message:", false, MESSAGE_MAX, edit_done, s);
			app_prompt_fill(app, m->text);
		} else
			app_confirm(app, "Delete this message for both of you? (y/n)", delete_yes, s);
		return TUI_REDRAW;
	}
	return TUI_UNHANDLED;
}

static int
chat_input(struct app *app, void *state, int key)
{
	struct chat_state *s = state;

	if (s->missing)
		return TUI_UNHANDLED;
	if (s->browsing)
		return browse_key(app, s, key);
	switch (key) {
	case 27:
		s->browsing = true;
		s->sel = s->n ? s->n - 1 : 0;
		return TUI_REDRAW;
	case '\n':
		chat_send(app, s);
		return TUI_REDRAW;
	case TK(KEY_PPAGE):
		s->browsing = true;
		s->sel = s->n > 10 ? s->n - 10 : 0;
		return TUI_REDRAW;
	}
	/* Tab stays the next-tab key here, as it was on the one-line input. */
	if (key != '\t' && app_textedit_key(&s->input, key, s->input_w, NULL))
		return TUI_REDRAW;
	return TUI_UNHANDLED;
}

/*
 * A paste goes into the input whole, its lines kept (Enter sends them as one
 * message); pasting while browsing goes back to typing with it.
 */
static int
chat_paste(struct app *app, void *state, const char *text)
{
	struct chat_state *s = state;

	if (s->missing)
		return TUI_NONE;
	s->browsing = false;
	if (textedit_insert_text(&s->input, text) == 0 && s->input.chars >= MESSAGE_MAX)
		app_status(app, true, "a message is at most %d characters", MESSAGE_MAX);
	return TUI_REDRAW;
}

static void
chat_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	struct chat_state *s = state;

	(void)m;
	if (!s->missing)
		chat_load(app, s);
}

/* Typing or picking messages; a request; whose the picked message is. */
static unsigned
chat_when(struct app *app, void *state)
{
	struct chat_state	*s = state;
	const struct message	*m = s->sel < s->n ? &s->v[s->sel] : NULL;
	unsigned		 w;

	if (s->missing)
		return W_KEYS;
	w = s->request ? W_REQUEST : W_NOREQUEST;
	if (!s->browsing)
		return w | W_TYPING;
	w |= W_KEYS;
	if (m != NULL && !m->deleted)
		w |= m->from_id == app_user(app)->id ? W_OWN : W_OTHERS;
	return w;
}

static const struct key_binding chat_keys[] = {
	{ '\n',		ACT_NONE,	"send", "send", W_TYPING },
	{ 27,		ACT_PREV,	"stop typing: pick messages with j/k", "pick messages",
	    W_TYPING },
	{ TK(KEY_PPAGE), ACT_NONE,	"pick older messages", NULL, W_TYPING },
	{ 'a',		ACT_FRIEND,	"accept the message request", "accept", W_KEYS | W_REQUEST },
	{ 'x',		ACT_DECLINE,	"decline the message request", "decline", W_KEYS | W_REQUEST },
	{ 'i',		ACT_OPEN,	"reply (accepts the request)", "reply (accepts)",
	    W_KEYS | W_REQUEST },
	{ 'j',		ACT_NEXT,	"pick the next message", "/k pick", W_KEYS },
	{ 'k',		ACT_PREV,	"pick the previous one (at the top: older ones)", NULL, W_KEYS },
	{ 'e',		ACT_EDIT,	"edit the picked message", "edit", W_KEYS | W_OWN },
	{ 'd',		ACT_DELETE,	"delete the picked message (asks)", "delete", W_KEYS | W_OWN },
	{ 'i',		ACT_OPEN,	"type again", "type", W_KEYS | W_NOREQUEST },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_chat_ops = {
	.name = "Chat",
	.keys = chat_keys,
	.enter = chat_enter,
	.leave = chat_leave,
	.draw = chat_draw,
	.input = chat_input,
	.paste = chat_paste,
	.refresh = chat_refresh,
	.when = chat_when,
};
