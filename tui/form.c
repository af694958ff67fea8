#include "tui/form.h"

#include <curses.h>
#include <string.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/screen.h"

void
form_init(struct form *fm)
{
	memset(fm, 0, sizeof *fm);
}

size_t
form_add(struct form *fm, const char *label, size_t max_chars, bool masked, const char *initial)
{
	size_t i = fm->n;

	if (i == FORM_MAX_FIELDS)
		return i - 1;	/* a programming error; the screens add a fixed few */
	fm->f[i].label = label;
	lineedit_init(&fm->f[i].le, max_chars, masked);
	if (initial != NULL)
		lineedit_set(&fm->f[i].le, initial);
	fm->n++;
	return i;
}

void
form_free(struct form *fm)
{
	size_t i;

	for (i = 0; i < fm->n; i++)
		lineedit_free(&fm->f[i].le);
	fm->n = 0;
}

const char *
form_value(const struct form *fm, size_t i)
{
	return fm->f[i].le.text.buf;
}

void
form_focus(struct form *fm, size_t i)
{
	if (i < fm->n && !fm->f[i].hidden)
		fm->focus = i;
}

/* The next visible field in direction dir (+1 or -1), wrapping. */
static size_t
next_visible(const struct form *fm, int dir)
{
	size_t i = fm->focus, tries;

	for (tries = 0; tries < fm->n; tries++) {
		i = (i + fm->n + (size_t)(dir > 0 ? 1 : fm->n - 1)) % fm->n;
		if (!fm->f[i].hidden)
			return i;
	}
	return fm->focus;
}

enum form_result
form_key(struct form *fm, int key)
{
	switch (key) {
	case 27:
		return FORM_CANCEL;
	case '\n':
		return FORM_SUBMIT;
	case '\t':
	case TK(KEY_DOWN):
		fm->focus = next_visible(fm, 1);
		return FORM_CHANGED;
	case TK(KEY_BTAB):
	case TK(KEY_UP):
		fm->focus = next_visible(fm, -1);
		return FORM_CHANGED;
	}
	if (fm->n > 0 && app_lineedit_key(&fm->f[fm->focus].le, key)) {
		fm->error[0] = '\0';
		return FORM_CHANGED;
	}
	return FORM_NONE;
}

enum form_result
form_paste(struct form *fm, const char *text)
{
	if (fm->n > 0 && lineedit_insert_text(&fm->f[fm->focus].le, text) > 0)
		fm->error[0] = '\0';
	return FORM_CHANGED;
}

int
form_draw(const struct form *fm, int y, int x, int label_w, int field_w)
{
	int	cy = -1, cx = 0, col;
	size_t	i;

	for (i = 0; i < fm->n; i++) {
		if (fm->f[i].hidden)
			continue;
		/* The focused field: a marker in the margin, its label and field highlighted. */
		if (i == fm->focus && x >= 2)
			draw_text(y, x - 2, 1, "\u25b8", ROLE_KEY);
		draw_text(y, x, label_w - 1, fm->f[i].label, i == fm->focus ? ROLE_KEY : ROLE_NORMAL);
		col = draw_field(y, x + label_w, field_w, &fm->f[i].le,
		    i == fm->focus ? ROLE_FIELD_FOCUS : ROLE_FIELD);
		if (i == fm->focus) {
			cy = y;
			cx = col;
		}
		y += 2;
	}
	if (fm->error[0])
		draw_text(y++, x, label_w + field_w, fm->error, ROLE_ERROR);
	if (cy >= 0)
		draw_cursor_at(cy, cx);
	return y;
}
