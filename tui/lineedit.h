/*
 * A one-line text editor over UTF-8, with no ncurses in it (unit-tested on
 * its own): insert, delete and move by code point, so backspace removes a
 * whole wide character or emoji. The TUI maps keys to these calls in one place.
 */
#ifndef SSHBOOK_LINEEDIT_H
#define SSHBOOK_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

struct lineedit {
	struct buf	 text;		/* always valid UTF-8 without control characters */
	size_t		 cursor;	/* byte offset, on a code point boundary */
	size_t		 max_chars;	/* code points; inserts past it are refused */
	bool		 masked;	/* draw as '*' (passwords) */
};

void	lineedit_init(struct lineedit *, size_t max_chars, bool masked);
/* Free the text; masked (password) text is wiped first. */
void	lineedit_free(struct lineedit *);
/* Replace the whole text (invalid input is refused: returns false) and put the cursor at the end. */
bool	lineedit_set(struct lineedit *, const char *);
void	lineedit_clear(struct lineedit *);
/* Insert one code point at the cursor. Refuses controls and overflow: returns false. */
bool	lineedit_insert(struct lineedit *, uint32_t cp);
/*
 * Insert pasted text (UTF-8) at the cursor, as text: newlines and tabs become
 * spaces (one line), other controls and invalid bytes are left out, and
 * what does not fit under max_chars is dropped. Returns how many code points
 * went in.
 */
size_t	lineedit_insert_text(struct lineedit *, const char *text);
bool	lineedit_backspace(struct lineedit *);	/* delete the code point before the cursor */
bool	lineedit_delete(struct lineedit *);	/* delete the code point under the cursor */
bool	lineedit_left(struct lineedit *);
bool	lineedit_right(struct lineedit *);
void	lineedit_home(struct lineedit *);
void	lineedit_end(struct lineedit *);
void	lineedit_kill_to_start(struct lineedit *);	/* Ctrl-U */
void	lineedit_kill_to_end(struct lineedit *);	/* Ctrl-K */
void	lineedit_kill_word(struct lineedit *);		/* Ctrl-W: the word before the cursor */
size_t	lineedit_chars(const struct lineedit *);

/*
 * What to draw in a field `width` columns wide so the cursor stays visible:
 * *startp gets the byte offset of the first visible code point and *colp the
 * cursor's column inside the field. Masked text counts one column a code point.
 */
void	lineedit_view(const struct lineedit *, size_t width, size_t *startp, size_t *colp);

#endif
