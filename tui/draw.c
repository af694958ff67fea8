#include "tui/draw.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/sanitize.h"
#include "common/terminal.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "media/identicon.h"
#include "media/markdown.h"
#include "tui/lineedit.h"

#define AVATAR_PAIR	(ROLE_COUNT + 1)	/* + 1..6; the roles have 1..ROLE_COUNT */

static attr_t	role_attr[ROLE_COUNT];
static bool	colors;
static bool	ascii_only;	/* the terminal shows ASCII only: every glyph through terminal_ascii_dup */
static int	cursor_y = -1, cursor_x = -1;	/* claimed this frame; -1: nobody */

void
draw_init(void)
{
	static const struct {
		enum draw_role	role;
		short		fg, bg;
		attr_t		extra;
		attr_t		mono;
	} map[] = {
		{ ROLE_NORMAL,	   -1,		  -1,		0,	  0 },
		{ ROLE_TITLE,	   COLOR_CYAN,	  -1,		A_BOLD,	  A_BOLD },
		{ ROLE_DIM,	   -1,		  -1,		A_DIM,	  A_DIM },
		{ ROLE_SELECTED,   COLOR_BLACK,	  COLOR_CYAN,	0,	  A_REVERSE },
		{ ROLE_TAB,	   -1,		  -1,		0,	  0 },
		{ ROLE_TAB_ACTIVE, COLOR_BLACK,	  COLOR_GREEN,	A_BOLD,	  A_REVERSE | A_BOLD },
		{ ROLE_STATUS,	   COLOR_WHITE,	  COLOR_BLUE,	0,	  A_REVERSE },
		{ ROLE_ERROR,	   COLOR_WHITE,	  COLOR_RED,	A_BOLD,	  A_REVERSE | A_BOLD },
		{ ROLE_OK,	   COLOR_GREEN,	  -1,		A_BOLD,	  A_BOLD },
		{ ROLE_FIELD,	   -1,		  -1,		A_UNDERLINE, A_UNDERLINE },
		{ ROLE_FIELD_FOCUS, COLOR_YELLOW, -1,		A_UNDERLINE | A_BOLD,
		    A_UNDERLINE | A_BOLD },
		{ ROLE_KEY,	   COLOR_YELLOW,  -1,		A_BOLD,	  A_BOLD },
	};
	size_t i;

	_Static_assert(AVATAR_PAIR + 6 <= DRAW_PAIRS_RESERVED, "draw.c's pairs overlap the pictures'");
	ascii_only = terminal_ascii_only();
	colors = has_colors();
	if (colors) {
		start_color();
		use_default_colors();
		/* Avatar colours 1..6 (red .. cyan) as pairs AVATAR_PAIR + c. */
		for (i = 1; i <= 6; i++)
			init_pair((short)(AVATAR_PAIR + i), (short)i, -1);
	}
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (colors && (map[i].fg != -1 || map[i].bg != -1)) {
			init_pair((short)(i + 1), map[i].fg, map[i].bg);
			role_attr[map[i].role] = COLOR_PAIR(i + 1) | map[i].extra;
		} else
			role_attr[map[i].role] = colors ? map[i].extra : map[i].mono;
	}
}

void
draw_cursor_at(int y, int x)
{
	if (y < 0 || y >= LINES || x < 0)
		return;
	cursor_y = y;
	cursor_x = x < COLS ? x : COLS - 1;
}

void
draw_cursor_reset(void)
{
	cursor_y = cursor_x = -1;
}

bool
draw_cursor_claimed(int *y, int *x)
{
	*y = cursor_y;
	*x = cursor_x;
	return cursor_y >= 0;
}

bool
draw_has_colors(void)
{
	return colors;
}

/*
 * s made safe to draw (sanitize_dup), and on an ASCII-only terminal made
 * ASCII: every string on the screen goes through here, so no screen needs
 * its own fallback for a glyph (and user text cannot send a vt100 UTF-8).
 */
static char *
clean_dup(const char *s, bool keep_newlines)
{
	char *clean = sanitize_dup(s, keep_newlines), *a;

	if (!ascii_only)
		return clean;
	a = terminal_ascii_dup(clean);
	free(clean);
	return a;
}

/* Sanitize and cut s to maxw columns into out; returns the columns. */
static int
clip(const char *s, int maxw, struct buf *out)
{
	char		*clean = clean_dup(s, false);
	size_t		 len = strlen(clean), i = 0, n;
	uint32_t	 cp;
	int		 w = 0, cw;

	while (i < len) {
		n = utf8_decode(clean + i, len - i, &cp);
		if (n == 0)
			break;	/* cannot happen after sanitize */
		cw = utf8_cp_width(cp);
		if (w + cw > maxw)
			break;
		buf_add(out, clean + i, n);
		w += cw;
		i += n;
	}
	free(clean);
	return w;
}

int
draw_text(int y, int x, int maxw, const char *s, enum draw_role role)
{
	struct buf	b = BUF_INIT;
	int		w;

	if (maxw <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + maxw > COLS)
		maxw = COLS - x;
	w = clip(s, maxw, &b);
	attrset(role_attr[role]);
	mvaddstr(y, x, b.buf);
	attrset(A_NORMAL);
	buf_release(&b);
	return w;
}

int
draw_text_cut(int y, int x, int maxw, const char *s, enum draw_role role)
{
	struct buf	b = BUF_INIT;
	int		w, ew = draw_width("\u2026");	/* three dots on ASCII terminals */

	if (maxw <= ew || draw_width(s) <= maxw)
		return draw_text(y, x, maxw, s, role);
	clip(s, maxw - ew, &b);
	buf_adds(&b, "\u2026");
	w = draw_text(y, x, maxw, b.buf, role);
	buf_release(&b);
	return w;
}

int
draw_text_right(int y, int x, int maxw, const char *s, enum draw_role role)
{
	struct buf	b = BUF_INIT;
	int		w;

	if (maxw <= 0)
		return 0;
	w = clip(s, maxw, &b);
	buf_release(&b);
	return draw_text(y, x + maxw - w, w, s, role);
}

int
draw_textf(int y, int x, int maxw, enum draw_role role, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;
	int		w;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	w = draw_text(y, x, maxw, b.buf, role);
	buf_release(&b);
	return w;
}

void
draw_fill(int y, int x, int w, enum draw_role role)
{
	if (y < 0 || y >= LINES || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	attrset(role_attr[role]);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
draw_hline(int y, int x, int w)
{
	struct buf	b = BUF_INIT;
	int		i;

	/*
	 * U+2500 rather than ACS_HLINE: the app always runs in UTF-8, and the
	 * alternate character set breaks when TERM does not match the terminal.
	 */
	for (i = 0; i < w; i++)
		buf_adds(&b, "\u2500");
	draw_text(y, x, w, b.buf, ROLE_DIM);
	buf_release(&b);
}

int
draw_width(const char *s)
{
	char	*clean = clean_dup(s, false);
	int	 w = (int)utf8_width(clean);

	free(clean);
	return w;
}

/* Wrap s inside r from *row; draws only when draw is true (else just counts rows). */
static void
wrap(const struct rect *r, int *row, const char *s, enum draw_role role, bool draw)
{
	char		*clean = clean_dup(s, true);
	const char	*p = clean;
	struct buf	 line = BUF_INIT;
	size_t		 n;
	uint32_t	 cp;
	int		 w = 0, cw, last_space_w = -1;
	size_t		 last_space = 0;

	while (*row < r->h) {
		if (*p == '\0' || *p == '\n') {
			if (draw)
				draw_text(r->y + *row, r->x, r->w, line.buf, role);
			(*row)++;
			buf_reset(&line);
			w = 0;
			last_space_w = -1;
			if (*p == '\0')
				break;
			p++;
			continue;
		}
		n = utf8_decode(p, strlen(p), &cp);
		if (n == 0)
			n = 1;
		cw = utf8_cp_width(cp);
		if (w + cw > r->w) {
			/* Break at the last space when there is one, else mid-word. */
			if (last_space_w > 0) {
				const char *rest = line.buf + last_space + 1;
				char *carry = xstrdup(rest);

				buf_truncate(&line, last_space);
				if (draw)
					draw_text(r->y + *row, r->x, r->w, line.buf, role);
				buf_reset(&line);
				buf_adds(&line, carry);
				w = draw_width(carry);
				free(carry);
			} else {
				if (draw)
					draw_text(r->y + *row, r->x, r->w, line.buf, role);
				buf_reset(&line);
				w = 0;
			}
			(*row)++;
			last_space_w = -1;
			continue;
		}
		if (cp == ' ') {
			last_space = line.len;
			last_space_w = w;
		}
		buf_add(&line, p, n);
		w += cw;
		p += n;
	}
	buf_release(&line);
	free(clean);
}

void
draw_wrapped(const struct rect *r, int *row, const char *s, enum draw_role role)
{
	wrap(r, row, s, role, true);
}

int
draw_wrapped_rows(const char *s, int w)
{
	struct rect	r = { 0, 0, 1 << 20, w > 0 ? w : 1 };
	int		row = 0;

	wrap(&r, &row, s, ROLE_NORMAL, false);
	return row;
}

int
draw_field(int y, int x, int w, const struct lineedit *le, enum draw_role role)
{
	struct buf	stars = BUF_INIT;
	size_t		start, col, n;

	draw_fill(y, x, w, role);
	lineedit_view(le, (size_t)(w > 0 ? w : 1), &start, &col);
	if (le->masked) {
		for (n = utf8_count(le->text.buf + start); n > 0 && stars.len < (size_t)w; n--)
			buf_addch(&stars, '*');
		draw_text(y, x, w, stars.buf, role);
		buf_release(&stars);
	} else
		draw_text(y, x, w, le->text.buf + start, role);
	return x + (int)col;
}

void
draw_avatar(int y, int x, const char *seed)
{
	struct identicon	id;
	int			r, c;

	identicon_make(seed, &id);
	for (r = 0; r < IDENTICON_SIZE; r++) {
		if (y + r >= LINES)
			break;
		for (c = 0; c < IDENTICON_SIZE; c++) {
			if (!id.cell[r][c] || x + 2 * c + 1 >= COLS)
				continue;
			if (colors && !ascii_only) {
				attrset(COLOR_PAIR(AVATAR_PAIR + id.color));
				mvaddstr(y + r, x + 2 * c, "\u2588\u2588");
			} else {
				if (colors)
					attrset(COLOR_PAIR(AVATAR_PAIR + id.color) | A_BOLD);
				else
					attrset(A_BOLD);
				mvaddstr(y + r, x + 2 * c, "##");
			}
		}
	}
	attrset(A_NORMAL);
}

void
draw_avatar_small_row(int r, int y, int x, const char *seed, bool ascii)
{
	struct identicon	id;
	int			c;
	bool			top, bottom;
	const char		*s;

	if (r < 0 || 2 * r >= IDENTICON_SIZE || y < 0 || y >= LINES)
		return;
	identicon_make(seed, &id);
	attrset(colors ? COLOR_PAIR(AVATAR_PAIR + id.color) : A_BOLD);
	for (c = 0; c < IDENTICON_SIZE && x + c < COLS; c++) {
		/* Two pattern rows per screen row: the top half and the bottom half of a cell. */
		top = id.cell[2 * r][c];
		bottom = 2 * r + 1 < IDENTICON_SIZE && id.cell[2 * r + 1][c];
		if (ascii)
			s = top || bottom ? "#" : " ";
		else
			s = top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
		mvaddstr(y, x + c, s);
	}
	attrset(A_NORMAL);
}

void
draw_md_line(const struct md_line *l, int y, int x, int w)
{
	size_t	j;
	int	cx = x;

	for (j = 0; j < l->n && cx < x + w; j++) {
		unsigned	style = l->spans[j].style;
		enum draw_role	role = ROLE_NORMAL;

		if (style & (MD_BOLD | MD_HEADING))
			role = ROLE_TITLE;
		else if (style & (MD_LINK | MD_HASHTAG | MD_MENTION))
			role = ROLE_KEY;
		else if (style & (MD_CODE | MD_QUOTE | MD_MARKER | MD_ITALIC))
			role = ROLE_DIM;
		cx += draw_text(y, cx, x + w - cx, l->spans[j].text, role);
	}
}
