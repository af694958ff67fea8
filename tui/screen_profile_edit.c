/*
 * Editing my profile: one form with every field; Enter saves them all
 * through storage, which validates each (the first refusal is shown and
 * focused, nothing after it is saved), Esc leaves without saving.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/xmalloc.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/screen.h"

enum { E_NAME, E_LOCATION, E_JOB, E_TAGS, E_PRIVACY, E_BIO };

/* The storage field each form field saves to, in form order. */
static const char *const field_names[] = { "name", "location", "job", "tags", "privacy", "bio" };

struct edit_state {
	struct form	form;
};

static void *
edit_enter(struct app *app, const char *arg)
{
	struct edit_state	*s = xcalloc(1, sizeof *s);
	struct profile		 p = { 0 };
	struct buf		 tags = BUF_INIT;
	size_t			 i;

	(void)arg;
	store_profile_get(app_store(app), app_user(app)->id, app_user(app)->username, &p);
	for (i = 0; i < p.ntags; i++)
		buf_addf(&tags, "%s%s", i ? " " : "", p.tags[i]);
	form_init(&s->form);
	form_add(&s->form, "Display name", DISPLAY_NAME_MAX, false, p.display_name);
	form_add(&s->form, "Location", LOCATION_MAX, false, p.location);
	form_add(&s->form, "Work", JOB_MAX, false, p.job);
	form_add(&s->form, "Tags", TAGS_MAX * (TAG_MAX + 1), false, tags.buf);
	form_add(&s->form, "Visible to", 16, false, privacy_name(p.privacy));
	/* One line here; a multi-line bio comes through `ssh HOST profile set bio - < bio.md`. */
	form_add(&s->form, "Bio (markdown)", BIO_MAX, false, p.bio);
	/* A bio with several lines cannot be edited on one line: leave it alone here. */
	s->form.f[E_BIO].hidden = strchr(p.bio, '\n') != NULL;
	buf_release(&tags);
	profile_free(&p);
	return s;
}

static void
edit_leave(struct app *app, void *state)
{
	struct edit_state *s = state;

	(void)app;
	form_free(&s->form);
	free(s);
}

static void
edit_draw(struct app *app, void *state, const struct rect *r)
{
	struct edit_state	*s = state;
	int			 x = r->x + 2, w = r->w - 4;

	(void)app;
	draw_text(r->y + 1, x, w, "Edit your profile", ROLE_TITLE);
	draw_text(r->y + r->h - 3, x, w, "Tags: words separated by spaces. Visible to: public, "
	    "friends or private.", ROLE_DIM);
	draw_text(r->y + r->h - 2, x, w, "Enter saves  Tab moves  Esc leaves without saving. "
	    "Multi-line bio: ssh HOST profile set bio - < bio.md", ROLE_DIM);
	form_draw(&s->form, r->y + 3, x, 16, w - 16 > 60 ? 60 : w - 16);
}

static void
edit_save(struct app *app, struct edit_state *s)
{
	char	why[160];
	size_t	i;
	int	r;

	for (i = 0; i < s->form.n; i++) {
		if (s->form.f[i].hidden)
			continue;
		why[0] = '\0';
		r = store_profile_set(app_store(app), app_user(app)->id, field_names[i],
		    form_value(&s->form, i), why, sizeof why);
		if (r != 0) {
			snprintf(s->form.error, sizeof s->form.error, "%s: %s", s->form.f[i].label,
			    why[0] ? why : err_str(r));
			form_focus(&s->form, i);
			return;
		}
	}
	app_hint(app, TOPIC_ACCOUNT, app_user(app)->id, 0);
	app_reload_user(app);
	app_back(app);
	app_status(app, false, "profile saved");
}

static int
edit_input(struct app *app, void *state, int key)
{
	struct edit_state *s = state;

	switch (form_key(&s->form, key)) {
	case FORM_CANCEL:
		app_back(app);
		app_status(app, false, "nothing changed");
		return TUI_REDRAW;
	case FORM_SUBMIT:
		edit_save(app, s);
		return TUI_REDRAW;
	case FORM_CHANGED:
		return TUI_REDRAW;
	case FORM_NONE:
		break;
	}
	return TUI_UNHANDLED;
}

static int
edit_paste(struct app *app, void *state, const char *text)
{
	struct edit_state *s = state;

	(void)app;
	form_paste(&s->form, text);
	return TUI_REDRAW;
}

const struct screen_ops screen_profile_edit_ops = {
	.name = "Edit profile",
	.enter = edit_enter,
	.leave = edit_leave,
	.draw = edit_draw,
	.input = edit_input,
	.paste = edit_paste,
};
