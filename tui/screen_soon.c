/*
 * Tabs whose features have not landed yet. They say what is coming rather
 * than pretend: one mechanism, a line of text per tab.
 */
#include <stddef.h>

#include "tui/app.h"
#include "tui/screen.h"

struct soon {
	const char	*what;
};

static void *
soon_enter(struct app *app, const char *arg)
{
	(void)arg;
	(void)app;
	return NULL;
}

static void
soon_draw_text(const struct rect *r, const char *title, const char *what)
{
	struct rect	inner = { r->y + 3, r->x + 2, r->h - 3, r->w - 4 };
	int		row = 0;

	draw_text(r->y + 1, r->x + 2, r->w - 4, title, ROLE_TITLE);
	draw_wrapped(&inner, &row, what, ROLE_NORMAL);
	row++;
	draw_wrapped(&inner, &row, "This part of sshbook is coming soon. "
	    "Press 1 for Home, 9 for Settings, ? for help.", ROLE_DIM);
}

#define SOON_SCREEN(var, title, text)					\
static void								\
var##_draw(struct app *app, void *state, const struct rect *r)		\
{									\
	(void)app;							\
	(void)state;							\
	soon_draw_text(r, title, text);					\
}									\
const struct screen_ops var = {						\
	.name = title,							\
	.keys = NULL,							\
	.enter = soon_enter,						\
	.draw = var##_draw,						\
};

SOON_SCREEN(screen_groups_ops, "Groups",
    "Open and closed groups with their own feeds, admins and moderators.")
SOON_SCREEN(screen_events_ops, "Events",
    "Events with time zones, invitations, RSVPs, reminders and .ics export.")
