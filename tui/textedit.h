/*
 * A multi-line text editor over UTF-8 (posts, comments, bios), with no
 * ncurses in it: the text, a cursor on a code point boundary, soft wrapping
 * by display width, and cursor movement by screen rows. Pasted text arrives
 * whole (textedit_insert_text, from the app's bracketed paste); every insert
 * keeps the text valid.
 */
#ifndef SSHBOOK_TEXTEDIT_H
#define SSHBOOK_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

struct textedit {
	struct buf	 text;		/* valid UTF-8; newlines and tabs, no other controls */
	size_t		 cursor;	/* byte offset on a code point boundary */
	size_t		 max_chars;	/* code points; inserts past it are refused */
	size_t		 chars;		/* code points now */
};

/* One screen row of the wrapped text: bytes [start, end) (no newline inside). */
struct textedit_row {
	size_t	start;
	size_t	end;
};

void	textedit_init(struct textedit *, size_t max_chars);
void	textedit_free(struct textedit *);
/* Replace the text (false, unchanged, when s is invalid or too long); the cursor goes to the end. */
bool	textedit_set(struct textedit *, const char *s);
/* Insert one code point ('\n' and '\t' allowed); false when refused. */
bool	textedit_insert(struct textedit *, uint32_t cp);
/*
 * Insert pasted text (UTF-8) at the cursor, newlines and tabs kept, other
 * controls and invalid bytes left out, what does not fit under max_chars
 * dropped. Returns how many code points went in.
 */
size_t	textedit_insert_text(struct textedit *, const char *text);
bool	textedit_backspace(struct textedit *);
bool	textedit_delete(struct textedit *);
bool	textedit_left(struct textedit *);
bool	textedit_right(struct textedit *);
/* Start / end of the current logical line. */
void	textedit_home(struct textedit *);
void	textedit_end(struct textedit *);
/* Up / down one screen row of a layout width columns wide; false at the top / bottom. */
bool	textedit_up(struct textedit *, int width);
bool	textedit_down(struct textedit *, int width);

/*
 * Wrap the text into rows at most width columns wide (breaking after a space
 * when a word does not fit, inside a word longer than a row). Returns the
 * number of rows (at least 1) and *rowsp, which the caller frees.
 */
size_t	textedit_layout(const struct textedit *, int width, struct textedit_row **rowsp);
/* The cursor's row and column in that layout. */
void	textedit_cursor_pos(const struct textedit *, const struct textedit_row *rows,
	    size_t nrows, size_t *rowp, size_t *colp);

#endif
