/*
 * Notifications (tab 4): newest first, unread ones stand out, similar ones
 * are one row ("Bob and 2 others reacted to your post"), each names what it
 * is about (the first words of the post, comment or message). Enter opens
 * that, through a table by type (the post, at the comment for a comment; the
 * chat; the person), and marks the row read. New ones arriving while the
 * list is open show as "N new" at the top without moving the selection.
 */
#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/listdraw.h"
#include "tui/screen.h"

#define PAGE	50

struct notif_state {
	struct notif_page	 page;		/* every page loaded so far */
	struct listview		 lv;
	int			 height;
	size_t			 fresh;		/* arrived since the list was loaded */
};

static void
notif_more(struct app *app, struct notif_state *s)
{
	struct notif_page	next = { 0 };
	size_t			i;

	if (s->page.n > 0 && s->page.next_before == 0)
		return;
	if (store_notification_groups(app_store(app), app_user(app)->id, s->page.next_before,
	    PAGE, &next) != 0) {
		app_status(app, true, "cannot load notifications");
		return;
	}
	s->page.v = xreallocarray(s->page.v, s->page.n + next.n + 1, sizeof *s->page.v);
	for (i = 0; i < next.n; i++)
		s->page.v[s->page.n++] = next.v[i];
	s->page.next_before = next.next_before;
	free(next.v);	/* entries moved */
	s->lv.n = s->page.n;
}

static void
notif_reload(struct app *app, struct notif_state *s)
{
	notif_page_free(&s->page);
	memset(&s->page, 0, sizeof s->page);
	s->fresh = 0;
	notif_more(app, s);
	listview_clamp(&s->lv, (size_t)s->height);
}

static void *
notif_enter(struct app *app, const char *arg)
{
	struct notif_state *s = xcalloc(1, sizeof *s);

	(void)arg;
	s->height = 10;
	notif_reload(app, s);
	return s;
}

static void
notif_leave(struct app *app, void *state)
{
	struct notif_state *s = state;

	(void)app;
	notif_page_free(&s->page);
	free(s);
}

static void
notif_row(void *ctx, size_t i, int y, int x, int w, bool selected)
{
	const struct notification	*n = &((struct notif_state *)ctx)->page.v[i];
	enum draw_role			 role = selected ? ROLE_SELECTED :
					    n->read ? ROLE_NORMAL : ROLE_TITLE;
	char				 ago[32];
	int				 cx = x + 1;

	enum draw_role			 dim = selected ? ROLE_SELECTED : ROLE_DIM;
	struct buf			 about = BUF_INIT;
	int				 end = x + w - 11;	/* the time's columns */

	time_ago(n->created_at, (int64_t)time(NULL), ago, sizeof ago);
	cx += draw_text(y, cx, 2, n->read ? " " : "*", role) + 1;
	cx += draw_text(y, cx, w / 4, n->actor_display_name, role) + 1;
	cx += draw_textf(y, cx, w / 5, dim, "@%s", n->actor_username) + 1;
	if (n->others > 0)
		cx += draw_textf(y, cx, end - cx, role, "and %lld other%s ", (long long)n->others,
		    n->others == 1 ? "" : "s");
	cx += draw_text(y, cx, end - cx, notif_type_text(n->type), role);
	if (n->about_gone)
		buf_addf(&about, " (%s)", notif_gone_text(n->type));
	else if (n->about != NULL)
		buf_addf(&about, ": \u201c%s\u201d", n->about);
	draw_text_cut(y, cx, end - cx, about.buf, dim);
	buf_release(&about);
	draw_text_right(y, x, w - 1, ago, dim);
}

static void
notif_draw(struct app *app, void *state, const struct rect *r)
{
	struct notif_state	*s = state;
	struct rect		 list = { r->y + 3, r->x + 1, r->h - 5, r->w - 2 };

	s->height = list.h;
	draw_text(r->y + 1, r->x + 2, 16, "Notifications", ROLE_TITLE);
	draw_textf(r->y + 1, r->x + 18, r->w - 20, ROLE_NORMAL, "%lld unread",
	    (long long)app_unread_notifications(app));
	if (s->fresh > 0)
		draw_textf(r->y + 1, r->x + 34, r->w - 36, ROLE_OK, "%zu new: R shows them", s->fresh);
	if (s->page.n == 0)
		draw_text(list.y, list.x + 1, list.w - 2, "Nothing yet. Friend requests, answers "
		    "and more will show up here as they happen.", ROLE_DIM);
	list_draw(&list, &s->lv, notif_row, s);
	app_draw_hints(app, r->y + r->h - 1, r->x + 2, r->w - 4);
}

static void
delete_all_yes(struct app *app, void *ctx)
{
	struct notif_state *s = ctx;

	if (store_notification_delete_all(app_store(app), app_user(app)->id) != 0) {
		app_status(app, true, "cannot delete notifications");
		return;
	}
	app_hint(app, TOPIC_NOTIFICATION, app_user(app)->id, 0);
	notif_reload(app, s);
	app_refresh(app);
	app_status(app, false, "all notifications deleted");
}

/* Enter on a notification, by what it is about (notif_targets). */
static void
open_person(struct app *app, const struct notification *n)
{
	app_open(app, &screen_user_ops, n->actor_username);
}

static void
open_post(struct app *app, const struct notification *n)
{
	char arg[48];

	/* A comment's post opens at the comment; one deleted since says so there. */
	if (n->detail_id != 0)
		snprintf(arg, sizeof arg, "%lld:%lld", (long long)n->object_id,
		    (long long)n->detail_id);
	else
		snprintf(arg, sizeof arg, "%lld", (long long)n->object_id);
	app_open(app, &screen_post_ops, arg);
}

static void
open_chat(struct app *app, const struct notification *n)
{
	app_open(app, &screen_chat_ops, n->actor_username);
}

static void (*const notif_targets[])(struct app *, const struct notification *) = {
	[NOTIF_FRIEND_REQUEST] = open_person,
	[NOTIF_FRIEND_ACCEPT] = open_person,
	[NOTIF_FRIEND_DECLINE] = open_person,
	[NOTIF_REACTION] = open_post,
	[NOTIF_COMMENT] = open_post,
	[NOTIF_SHARE] = open_post,	/* the share, with my post framed in it */
	[NOTIF_MENTION] = open_post,
	[NOTIF_MESSAGE] = open_chat,
};

static void
notif_open(struct app *app, const struct notification *n)
{
	if ((size_t)n->type < sizeof notif_targets / sizeof notif_targets[0] &&
	    notif_targets[n->type] != NULL && n->actor_username != NULL)
		notif_targets[n->type](app, n);
	else
		app_status(app, true, "there is nothing to open for this notification");
}

static int
notif_action(struct app *app, void *state, int action)
{
	struct notif_state	*s = state;
	struct notification	*n = s->lv.sel < s->page.n ? &s->page.v[s->lv.sel] : NULL;
	struct notification	 target;
	int64_t			 me = app_user(app)->id;

	if (list_nav(&s->lv, action, (size_t)s->height)) {
		if (list_near_end(&s->lv))
			notif_more(app, s);
		return TUI_REDRAW;
	}
	switch (action) {
	case ACT_RELOAD:
		notif_reload(app, s);
		return TUI_REDRAW;
	case ACT_MARK_ALL_READ:
		store_notification_read_all(app_store(app), me);
		app_hint(app, TOPIC_NOTIFICATION, me, 0);
		notif_reload(app, s);
		app_refresh(app);
		return TUI_REDRAW;
	case ACT_DELETE_ALL:
		if (s->page.n > 0)
			app_confirm(app, "Delete all notifications? (y/n)", delete_all_yes, s);
		return TUI_REDRAW;
	}
	if (n == NULL)
		return TUI_NONE;
	switch (action) {
	case ACT_OPEN:
	case ACT_MARK_READ:
		/* What to open, kept apart: the refresh below replaces the rows. */
		target = *n;
		target.actor_username = n->actor_username ? xstrdup(n->actor_username) : NULL;
		target.actor_display_name = target.about = NULL;
		if (!n->read) {
			store_notification_read_group(app_store(app), me, n->id);
			n->read = true;
			app_hint(app, TOPIC_NOTIFICATION, me, n->id);
			app_refresh(app);
		}
		if (action == ACT_OPEN)
			notif_open(app, &target);
		free(target.actor_username);
		return TUI_REDRAW;
	case ACT_DELETE:
		if (store_notification_delete_group(app_store(app), me, n->id) == 0) {
			app_hint(app, TOPIC_NOTIFICATION, me, 0);
			notif_reload(app, s);
			app_refresh(app);
		}
		return TUI_REDRAW;
	}
	return TUI_NONE;
}

/*
 * A hint arrived: count what is new without moving the list under the
 * user's selection; R (or leaving and coming back) shows it. Rows already
 * shown are brought up to date in place: one that went away (a withdrawn
 * request, a delete in another session) leaves the list, one read elsewhere
 * loses its mark, and the selection stays on the same notification.
 */
static void
notif_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	struct notif_state	*s = state;
	struct notif_page	 now = { 0 }, next, gone = { 0 };
	int64_t			 newest, oldest, sel_id;
	size_t			 i, kept = 0, sel = SIZE_MAX;

	(void)m;
	if (s->page.n == 0) {
		notif_reload(app, s);
		return;
	}
	newest = s->page.v[0].id;
	oldest = s->page.v[s->page.n - 1].id;
	sel_id = s->lv.sel < s->page.n ? s->page.v[s->lv.sel].id : newest;
	/* Everything from the top down to the oldest row shown, as it is now. */
	do {
		if (store_notification_groups(app_store(app), app_user(app)->id,
		    now.n ? now.next_before : 0, PAGE, &next) != 0) {
			notif_page_free(&now);
			return;
		}
		now.v = xreallocarray(now.v, now.n + next.n + 1, sizeof *now.v);
		if (next.n > 0)
			memcpy(now.v + now.n, next.v, next.n * sizeof *next.v);
		now.n += next.n;
		now.next_before = next.next_before;
		free(next.v);	/* entries moved */
	} while (now.next_before != 0 && now.n > 0 && now.v[now.n - 1].id > oldest);

	/* Newer than the list: counted, not shown. The rest replaces the list. */
	gone.v = xreallocarray(NULL, now.n + 1, sizeof *gone.v);
	s->fresh = 0;
	for (i = 0; i < now.n; i++) {
		if (now.v[i].id > newest) {
			gone.v[gone.n++] = now.v[i];
			s->fresh++;
			continue;
		}
		if (sel == SIZE_MAX && now.v[i].id <= sel_id)
			sel = kept;	/* the selected one, or the next older in its place */
		now.v[kept++] = now.v[i];
	}
	now.n = kept;
	notif_page_free(&gone);
	notif_page_free(&s->page);
	s->page = now;
	s->lv.n = s->page.n;
	s->lv.sel = sel < s->page.n ? sel : (s->page.n ? s->page.n - 1 : 0);
	listview_clamp(&s->lv, (size_t)s->height);
}

static unsigned
notif_when(struct app *app, void *state)
{
	struct notif_state *s = state;

	(void)app;
	return W_KEYS | (s->lv.n > 0 ? W_ITEM : 0);
}

static const struct key_binding notif_keys[] = {
	NAV_BINDINGS,
	{ '\n',	ACT_OPEN,		"open it, mark it read", "open", W_ITEM },
	{ 'r',	ACT_MARK_READ,		"mark read", "read", W_ITEM },
	{ 'a',	ACT_MARK_ALL_READ,	"mark all read", "all read", W_ITEM },
	{ 'd',	ACT_DELETE,		"delete", "delete", W_ITEM },
	{ 'D',	ACT_DELETE_ALL,		"delete all (asks first)", "delete all", W_ITEM },
	{ 'R',	ACT_RELOAD,		"show new ones", "reload", 0 },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_notifications_ops = {
	.name = "Notifications",
	.keys = notif_keys,
	.enter = notif_enter,
	.leave = notif_leave,
	.draw = notif_draw,
	.action = notif_action,
	.refresh = notif_refresh,
	.when = notif_when,
};
