/*
 * Profile (own): who you are on sshbook. Issue 3 grows this into full
 * profiles; for now the name, the username, the joined date and how you log in.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/err.h"
#include "common/hub.h"
#include "common/timefmt.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/screen.h"

static void *
profile_enter(struct app *app)
{
	app_reload_user(app);
	return NULL;
}

static void
profile_draw(struct app *app, void *state, const struct rect *r)
{
	const struct user	*u = app_user(app);
	char			 joined[32];
	int			 y = r->y + 1, x = r->x + 2, w = r->w - 4;

	(void)state;
	time_date(u->created_at, joined, sizeof joined);
	draw_text(y++, x, w, u->display_name, ROLE_TITLE);
	draw_textf(y++, x, w, ROLE_DIM, "@%s", u->username);
	y++;
	draw_textf(y++, x, w, ROLE_NORMAL, "Joined %s", joined);
	draw_textf(y++, x, w, ROLE_NORMAL, "Logs in with %zu SSH key%s%s", u->key_count,
	    u->key_count == 1 ? "" : "s", u->has_password ? " and a password" : "");
	y++;
	draw_text(y++, x, w, "e edits your display name. Bio, tags, friends and posts "
	    "are coming soon.", ROLE_DIM);
}

static void
display_name_done(struct app *app, void *ctx, const char *text)
{
	char	why[160];
	int	r;

	(void)ctx;
	if (text == NULL)
		return;
	r = store_user_set_display_name(app_store(app), app_user(app)->id, text, why, sizeof why);
	if (r != 0) {
		app_status(app, true, "cannot change the display name: %s",
		    why[0] ? why : err_str(r));
		return;
	}
	app_reload_user(app);
	app_hint(app, TOPIC_ACCOUNT, app_user(app)->id, 0);
	app_status(app, false, "display name changed");
}

static int
profile_action(struct app *app, void *state, int action)
{
	(void)state;
	if (action == ACT_EDIT) {
		app_prompt(app, "Display name:", false, DISPLAY_NAME_MAX, display_name_done, NULL);
		return TUI_REDRAW;
	}
	return TUI_NONE;
}

static const struct key_binding profile_keys[] = {
	{ 'e',	ACT_EDIT,	"edit your display name" },
	{ 0, 0, NULL }
};

const struct screen_ops screen_profile_ops = {
	.name = "Profile",
	.keys = profile_keys,
	.enter = profile_enter,
	.draw = profile_draw,
	.action = profile_action,
};
