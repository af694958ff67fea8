/*
 * A form: labelled one-line fields with a focus, drawn and driven the same way
 * on every screen that asks for several values at once (sign-up, profile
 * editing). Tab / Down / Up move, Enter submits, Esc cancels; the editing keys
 * are the shared ones of app_lineedit_key.
 */
#ifndef SSHBOOK_FORM_H
#define SSHBOOK_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/lineedit.h"

#define FORM_MAX_FIELDS	8

struct form {
	struct {
		const char	*label;		/* static text */
		struct lineedit	 le;
		bool		 hidden;
	}		 f[FORM_MAX_FIELDS];
	size_t		 n;
	size_t		 focus;
	char		 error[200];	/* shown under the fields; cleared by typing */
};

enum form_result {
	FORM_NONE,		/* the key was not for the form */
	FORM_CHANGED,		/* redraw */
	FORM_SUBMIT,		/* Enter */
	FORM_CANCEL,		/* Esc */
};

void	form_init(struct form *);
/* Add a field; returns its index. initial may be NULL. */
size_t	form_add(struct form *, const char *label, size_t max_chars, bool masked,
	    const char *initial);
void	form_free(struct form *);
/* The text of field i (never NULL). */
const char	*form_value(const struct form *, size_t i);
void	form_focus(struct form *, size_t i);
/* Handle one key (see enum form_result). */
enum form_result	form_key(struct form *, int key);
/* Pasted text into the focused field, on one line (lineedit_insert_text): FORM_CHANGED. */
enum form_result	form_paste(struct form *, const char *text);
/*
 * Draw the visible fields from row y: label in label_w columns, then the
 * field field_w columns wide, a blank row between fields, then the error.
 * The focused field is marked (a ▸ in the two columns left of x, its label
 * and field highlighted) and claims the cursor (draw_cursor_at). Returns the
 * next free row.
 */
int	form_draw(const struct form *, int y, int x, int label_w, int field_w);

#endif
