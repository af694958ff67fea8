/*
 * Home: the feed of own and friends' posts. Until posts land it greets the
 * user and says where things are, so a first login is never a blank screen.
 */
#include <stdlib.h>

#include "storage/store.h"
#include "tui/app.h"
#include "tui/screen.h"

static void *
home_enter(struct app *app, const char *arg)
{
	(void)arg;
	(void)app;
	return NULL;
}

static void
home_draw(struct app *app, void *state, const struct rect *r)
{
	const struct user	*u = app_user(app);
	struct rect		 inner = { r->y + 3, r->x + 2, r->h - 3, r->w - 4 };
	int			 row = 0;

	(void)state;
	draw_textf(r->y + 1, r->x + 2, r->w - 4, ROLE_TITLE, "Welcome to sshbook, %s!",
	    u->display_name ? u->display_name : "");
	draw_wrapped(&inner, &row, "Your home feed is empty for now: posts from you and "
	    "your friends will show here, newest first.", ROLE_NORMAL);
	row++;
	draw_wrapped(&inner, &row, "Where things are:", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  8 Profile   your name and how others see you", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  9 Settings  password and SSH keys", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  ?           every key of the current screen", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  :help       the commands (also: ssh HOST help)", ROLE_NORMAL);
	draw_wrapped(&inner, &row, "  q           quit", ROLE_NORMAL);
}

const struct screen_ops screen_home_ops = {
	.name = "Home",
	.keys = NULL,
	.enter = home_enter,
	.draw = home_draw,
};
