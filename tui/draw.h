/*
 * Drawing: the only place that puts user text on the screen. Every string is
 * sanitized (common/sanitize.h) and clipped by display width here, so screens
 * never call ncurses output functions on user text themselves.
 */
#ifndef SSHBOOK_DRAW_H
#define SSHBOOK_DRAW_H

#include <stdbool.h>
#include <stddef.h>

/* What a piece of text is; mapped to colours, or to bold/reverse in monochrome. */
enum draw_role {
	ROLE_NORMAL,
	ROLE_TITLE,
	ROLE_DIM,
	ROLE_SELECTED,
	ROLE_TAB,
	ROLE_TAB_ACTIVE,
	ROLE_STATUS,
	ROLE_ERROR,
	ROLE_OK,
	ROLE_FIELD,
	ROLE_FIELD_FOCUS,	/* the text field that takes the keys */
	ROLE_KEY,
	ROLE_COUNT
};

struct rect {
	int	y, x, h, w;
};

/* Colour pairs 1..DRAW_PAIRS_RESERVED are draw.c's; pictures (tui/pictures.c) use the rest. */
#define DRAW_PAIRS_RESERVED	24

/* Set up colours when the terminal has them, monochrome attributes otherwise. */
void	draw_init(void);
bool	draw_has_colors(void);
/*
 * Draw s at (y, x), at most maxw columns, sanitized, in role; a wide
 * character that would cross the limit is left out. Returns the columns used.
 */
int	draw_text(int y, int x, int maxw, const char *s, enum draw_role);
/* The same, but text that does not fit ends in "…" (in the last column it may use). */
int	draw_text_cut(int y, int x, int maxw, const char *s, enum draw_role);
/* The same, right-aligned so it ends at column x + maxw. */
int	draw_text_right(int y, int x, int maxw, const char *s, enum draw_role);
/* printf then draw_text (the format must come from the program, not from users). */
int	draw_textf(int y, int x, int maxw, enum draw_role, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* A horizontal rule w columns wide. */
void	draw_hline(int y, int x, int w);
/* Fill a row segment with spaces in role. */
void	draw_fill(int y, int x, int w, enum draw_role);
/* Draw s word-wrapped inside r starting at row r.y + *row; advances *row. Newlines kept. */
void	draw_wrapped(const struct rect *r, int *row, const char *s, enum draw_role);
struct lineedit;
/*
 * Draw a text field w columns wide at (y, x), scrolled so its cursor shows;
 * masked fields show one '*' per character. Returns the cursor's screen column.
 */
int	draw_field(int y, int x, int w, const struct lineedit *, enum draw_role);
/*
 * The terminal cursor. A focused text field claims it during the frame with
 * draw_cursor_at (the field that takes the keys; the last claim wins, so a
 * prompt on the bottom row, drawn after the screen, takes it over). The app
 * loop starts every frame with draw_cursor_reset and, after drawing, shows
 * the cursor where it was claimed or hides it when nothing claimed it, just
 * before the frame's one doupdate. Screens never call move() or curs_set().
 */
void	draw_cursor_at(int y, int x);
void	draw_cursor_reset(void);
/* Where the cursor was claimed this frame; false when nothing claimed it. */
bool	draw_cursor_claimed(int *y, int *x);
/* Width and height of an avatar drawn by draw_avatar. */
#define AVATAR_COLS	10
#define AVATAR_ROWS	5
/* Draw the identicon of seed with its top-left corner at (y, x): "██" cells in its colour ("##" in monochrome). */
void	draw_avatar(int y, int x, const char *seed);
/*
 * Row r (0..2) of the small identicon drawn beside posts: the 5x5 pattern in
 * 5 columns and 3 rows of half blocks ('#' when ascii).
 */
void	draw_avatar_small_row(int r, int y, int x, const char *seed, bool ascii);
struct md_line;
/* One rendered markdown line (media/markdown.h) at (y, x), w columns, its styles as roles. */
void	draw_md_line(const struct md_line *, int y, int x, int w);
/* Rows draw_wrapped would take for s in a rect w columns wide. */
int	draw_wrapped_rows(const char *s, int w);
/* Columns s takes once sanitized. */
int	draw_width(const char *s);

#endif
