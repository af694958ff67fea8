/*
 * Home (tab 1): my own and my friends' posts and shares, newest first.
 * For You (tab 2): a ranked feed of posts I may see and did not write, each
 * saying why it is there. Both are the shared feed (tui/feed.h) over a
 * different storage query.
 */
#include <curses.h>
#include <stdlib.h>

#include "common/hub.h"
#include "common/xmalloc.h"
#include "storage/posts.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/feed.h"
#include "tui/screen.h"

static int
load_home(struct app *app, void *arg, const struct post_cursor *after, size_t limit,
    struct post_page *out)
{
	(void)arg;
	return store_feed_home(app_store(app), app_user(app)->id, after, limit, out);
}

static int
load_foryou(struct app *app, void *arg, const struct post_cursor *after, size_t limit,
    struct post_page *out)
{
	(void)arg;
	return store_feed_foryou(app_store(app), app_user(app)->id, after, limit, out);
}

static void *
feed_screen_enter(struct app *app, feed_load_fn load)
{
	struct feed *f = xcalloc(1, sizeof *f);

	feed_init(f, load, NULL);
	feed_reload(f, app);
	return f;
}

static void *
home_enter(struct app *app, const char *arg)
{
	(void)arg;
	return feed_screen_enter(app, load_home);
}

static void *
foryou_enter(struct app *app, const char *arg)
{
	(void)arg;
	return feed_screen_enter(app, load_foryou);
}

static void
feed_screen_leave(struct app *app, void *state)
{
	(void)app;
	feed_free(state);
	free(state);
}

static void
home_draw(struct app *app, void *state, const struct rect *r)
{
	struct feed		*f = state;
	const struct user	*u = app_user(app);
	struct rect		 inner = { r->y + 3, r->x + 2, r->h - 3, r->w - 4 };
	int			 row = 0;

	if (f->n > 0) {
		feed_draw(f, app, r);
		return;
	}
	draw_textf(r->y + 1, r->x + 2, r->w - 4, ROLE_TITLE, "Welcome to sshbook, %s!",
	    u->display_name ? u->display_name : "");
	draw_wrapped(&inner, &row, "Your home feed is empty for now: posts from you and "
	    "your friends will show here, newest first.", ROLE_NORMAL);
	row++;
	draw_wrapped(&inner, &row, "Where things are:", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  n           write a post", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  2 For You   posts from everyone, ranked for you", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  /           find people", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  8 Profile   your name and how others see you", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  9 Settings  password and SSH keys", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  ?           every key of the current screen", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  q           quit", ROLE_NORMAL);
}

static void
foryou_draw(struct app *app, void *state, const struct rect *r)
{
	struct feed *f = state;

	if (f->n > 0) {
		feed_draw(f, app, r);
		return;
	}
	draw_text(r->y + 1, r->x + 2, r->w - 4, "For You", ROLE_TITLE);
	{
		struct rect	inner = { r->y + 3, r->x + 2, r->h - 3, r->w - 4 };
		int		row = 0;

		draw_wrapped(&inner, &row, "Nothing to show yet: when people post in public, "
		    "the posts most worth your time show here.", ROLE_DIM);
	}
}

static int
feed_screen_action(struct app *app, void *state, int action)
{
	return feed_action(state, app, action);
}

static void
feed_screen_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	(void)m;
	feed_refresh(state, app);
}

static unsigned
feed_screen_when(struct app *app, void *state)
{
	return W_KEYS | feed_when(state, app);
}

static const struct key_binding feed_keys[] = {
	NAV_BINDINGS,
	POST_BINDINGS,
	{ 'R',	ACT_RELOAD,	"show new posts (reload)", NULL, 0 },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_home_ops = {
	.name = "Home",
	.keys = feed_keys,
	.enter = home_enter,
	.leave = feed_screen_leave,
	.draw = home_draw,
	.action = feed_screen_action,
	.refresh = feed_screen_refresh,
	.when = feed_screen_when,
};

const struct screen_ops screen_foryou_ops = {
	.name = "For You",
	.keys = feed_keys,
	.enter = foryou_enter,
	.leave = feed_screen_leave,
	.draw = foryou_draw,
	.action = feed_screen_action,
	.refresh = feed_screen_refresh,
	.when = feed_screen_when,
};
