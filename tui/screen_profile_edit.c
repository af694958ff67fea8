/*
 * Editing my profile: one form with every field. The one-line fields are a
 * struct form; "Visible to" is a choice of its three values (Left / Right or
 * Space), never free text; the bio is a multi-line editor with the live
 * markdown preview the composer has. Ctrl-S (or Enter outside the bio)
 * saves everything through storage, which validates each field (the first
 * refusal is shown and focused, nothing after it is saved); Esc leaves
 * without saving.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/xmalloc.h"
#include "media/markdown.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/screen.h"
#include "tui/textedit.h"

enum { E_NAME, E_LOCATION, E_JOB, E_TAGS, E_PRIVACY, E_BIO, E_COUNT };

/* The storage field each form field saves to, in form order. */
static const char *const field_names[] = { "name", "location", "job", "tags", "privacy", "bio" };

#define LABEL_W		16

struct edit_state {
	struct form	 form;		/* E_NAME .. E_TAGS */
	int		 focus;		/* E_NAME .. E_BIO */
	enum privacy	 privacy;
	struct textedit	 bio;
	int		 bio_w;		/* the width the bio was laid out at */
	size_t		 bio_top;	/* first row of the bio editor shown */
	struct md_doc	 preview;
	bool		 preview_stale;
	char		 error[200];
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
	s->privacy = p.privacy;
	textedit_init(&s->bio, BIO_MAX);
	textedit_set(&s->bio, p.bio);
	s->preview_stale = true;
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
	textedit_free(&s->bio);
	md_doc_free(&s->preview);
	free(s);
}

/* The bio editor at (y, x), w x h, scrolled so the cursor shows; returns the cursor's cell. */
static void
draw_bio_editor(struct edit_state *s, int y, int x, int w, int h, bool focused, int *cy,
    int *cx)
{
	struct textedit_row	*rows;
	size_t			 n, crow, ccol, i;
	char			*line;

	n = textedit_layout(&s->bio, w, &rows);
	textedit_cursor_pos(&s->bio, rows, n, &crow, &ccol);
	if (crow < s->bio_top)
		s->bio_top = crow;
	if (crow >= s->bio_top + (size_t)h)
		s->bio_top = crow - (size_t)h + 1;
	for (i = 0; (int)i < h; i++) {
		draw_fill(y + (int)i, x, w, focused ? ROLE_FIELD_FOCUS : ROLE_FIELD);
		if (s->bio_top + i >= n)
			continue;
		line = xstrndup(s->bio.text.buf + rows[s->bio_top + i].start,
		    rows[s->bio_top + i].end - rows[s->bio_top + i].start);
		draw_text(y + (int)i, x, w, line, focused ? ROLE_FIELD_FOCUS : ROLE_FIELD);
		free(line);
	}
	*cy = y + (int)(crow - s->bio_top);
	*cx = x + (int)ccol;
	free(rows);
}

static void
edit_draw(struct app *app, void *state, const struct rect *r)
{
	struct edit_state	*s = state;
	int			 x = r->x + 2, w = r->w - 4, fw = w - LABEL_W, y, i, cx;
	int			 bio_h, prev_h, cy = -1, ccx = 0, bottom = r->y + r->h - 2;
	bool			 focused;
	size_t			 j;

	if (fw > 60)
		fw = 60;
	draw_text(r->y + 1, x, w, "Edit your profile", ROLE_TITLE);
	s->form.focus = s->focus < E_PRIVACY ? (size_t)s->focus : s->form.n;
	y = form_draw(&s->form, r->y + 3, x, LABEL_W, fw);
	/* Visible to: the three values, the chosen one marked. */
	focused = s->focus == E_PRIVACY;
	if (focused)
		draw_text(y, x - 2, 1, "\u25b8", ROLE_KEY);
	draw_text(y, x, LABEL_W - 1, "Visible to", focused ? ROLE_KEY : ROLE_NORMAL);
	cx = x + LABEL_W;
	for (i = 0; i < 3; i++) {
		char item[32];

		snprintf(item, sizeof item, "(%s) %s", (int)s->privacy == i ? "\u2022" : " ",
		    privacy_name((enum privacy)i));
		cx += draw_text(y, cx, x + w - cx, item, (int)s->privacy == i ?
		    (focused ? ROLE_FIELD_FOCUS : ROLE_TITLE) : ROLE_NORMAL) + 3;
	}
	y += 2;
	/* The bio: an editor, then its preview, sharing what is left. */
	focused = s->focus == E_BIO;
	if (focused)
		draw_text(y, x - 2, 1, "\u25b8", ROLE_KEY);
	draw_text(y, x, LABEL_W - 1, "Bio (markdown)", focused ? ROLE_KEY : ROLE_NORMAL);
	draw_textf(y, x + w - 10, 10, s->bio.chars >= BIO_MAX ? ROLE_ERROR : ROLE_DIM, "%zu/%d",
	    s->bio.chars, BIO_MAX);
	y++;
	bio_h = (bottom - y - 1) / 2;
	if (bio_h < 1)
		bio_h = 1;
	if (w != s->bio_w) {
		s->bio_w = w;
		s->preview_stale = true;
	}
	draw_bio_editor(s, y, x, w, bio_h, focused, &cy, &ccx);
	y += bio_h;
	draw_hline(y, x, w);
	draw_text(y, x + 2, 10, " Preview ", ROLE_DIM);
	y++;
	if (s->preview_stale) {
		md_doc_free(&s->preview);
		md_render(s->bio.text.buf, w, &s->preview);
		s->preview_stale = false;
	}
	prev_h = bottom - y;
	for (j = 0; j < s->preview.n && (int)j < prev_h; j++)
		draw_md_line(&s->preview.lines[j], y + (int)j, x, w);
	if (s->error[0] || s->form.error[0])
		draw_text_cut(r->y + r->h - 2, x, w, s->error[0] ? s->error : s->form.error,
		    ROLE_ERROR);
	app_draw_hints(app, r->y + r->h - 1, x, w);
	if (focused)
		draw_cursor_at(cy, ccx);
}

static void
edit_save(struct app *app, struct edit_state *s)
{
	char		why[160];
	const char	*value;
	int		i, r;

	for (i = 0; i < E_COUNT; i++) {
		value = i < E_PRIVACY ? form_value(&s->form, (size_t)i) :
		    i == E_PRIVACY ? privacy_name(s->privacy) : s->bio.text.buf;
		why[0] = '\0';
		r = store_profile_set(app_store(app), app_user(app)->id, field_names[i], value,
		    why, sizeof why);
		if (r != 0) {
			snprintf(s->error, sizeof s->error, "%s: %s", i < E_PRIVACY ?
			    s->form.f[i].label : i == E_PRIVACY ? "Visible to" : "Bio",
			    why[0] ? why : err_str(r));
			s->focus = i;
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
	struct edit_state	*s = state;
	bool			 changed = false;

	switch (key) {
	case 27:
		app_back(app);
		app_status(app, false, "nothing changed");
		return TUI_REDRAW;
	case CTRL_KEY('s'):
		edit_save(app, s);
		return TUI_REDRAW;
	case '\t':
		s->focus = (s->focus + 1) % E_COUNT;
		return TUI_REDRAW;
	case TK(KEY_BTAB):
		s->focus = (s->focus + E_COUNT - 1) % E_COUNT;
		return TUI_REDRAW;
	}
	if (s->focus == E_BIO) {
		if (key == '\n')
			changed = textedit_insert(&s->bio, '\n');
		else if (key == TK(KEY_UP) && !textedit_up(&s->bio, s->bio_w))
			s->focus = E_PRIVACY;	/* above the first row: the field above */
		else if (!app_textedit_key(&s->bio, key, s->bio_w > 0 ? s->bio_w : 40, &changed))
			return TUI_NONE;
		if (changed) {
			s->preview_stale = true;
			s->error[0] = '\0';
		}
		return TUI_REDRAW;
	}
	if (key == '\n') {
		edit_save(app, s);
		return TUI_REDRAW;
	}
	if (key == TK(KEY_DOWN) || key == TK(KEY_UP)) {
		s->focus = (s->focus + (key == TK(KEY_DOWN) ? 1 : E_COUNT - 1)) % E_COUNT;
		return TUI_REDRAW;
	}
	if (s->focus == E_PRIVACY) {
		if (key == TK(KEY_RIGHT) || key == ' ' || key == 'l')
			s->privacy = (enum privacy)((s->privacy + 1) % 3);
		else if (key == TK(KEY_LEFT) || key == 'h')
			s->privacy = (enum privacy)((s->privacy + 2) % 3);
		else if (key == 'p' || key == 'f')
			s->privacy = key == 'p' ? PRIVACY_PUBLIC : PRIVACY_FRIENDS;
		return TUI_REDRAW;	/* nothing is typed into a choice */
	}
	s->form.focus = (size_t)s->focus;
	if (form_key(&s->form, key) == FORM_CHANGED) {
		s->error[0] = '\0';
		return TUI_REDRAW;
	}
	return TUI_NONE;
}

/* A paste goes into the focused field: whole, lines kept, into the bio; on one line elsewhere. */
static int
edit_paste(struct app *app, void *state, const char *text)
{
	struct edit_state *s = state;

	(void)app;
	if (s->focus == E_BIO) {
		textedit_insert_text(&s->bio, text);
		s->preview_stale = true;
	} else if (s->focus < E_PRIVACY) {
		s->form.focus = (size_t)s->focus;
		form_paste(&s->form, text);
	}
	return TUI_REDRAW;
}

static unsigned
edit_when(struct app *app, void *state)
{
	struct edit_state *s = state;

	(void)app;
	return W_TYPING | (s->focus == E_BIO ? W_MULTILINE : s->focus == E_PRIVACY ? W_CHOICE :
	    W_ONELINE);
}

static const struct key_binding edit_keys[] = {
	{ CTRL_KEY('s'), ACT_NONE,	"save every field", "save", W_TYPING },
	{ '\n',		ACT_NONE,	"save every field", NULL, W_ONELINE },
	{ '\n',		ACT_NONE,	"save every field", NULL, W_CHOICE },
	{ '\n',		ACT_NONE,	"a new line in the bio", "new line", W_MULTILINE },
	{ TK(KEY_RIGHT), ACT_NONE,	"the next value (Space, l too)", "/Left choose", W_CHOICE },
	{ TK(KEY_LEFT),	ACT_NONE,	"the previous value (h too)", NULL, W_CHOICE },
	{ '\t',		ACT_NEXT,	"the next field", "next field", W_TYPING },
	{ TK(KEY_BTAB),	ACT_PREV,	"the field before", NULL, W_TYPING },
	{ 27,		ACT_NONE,	"leave without saving", "leave", W_TYPING },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_profile_edit_ops = {
	.name = "Edit profile",
	.keys = edit_keys,
	.enter = edit_enter,
	.leave = edit_leave,
	.draw = edit_draw,
	.input = edit_input,
	.paste = edit_paste,
	.when = edit_when,
};
