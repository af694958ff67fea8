#include "tui/textedit.h"

#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xmalloc.h"

void
textedit_init(struct textedit *te, size_t max_chars)
{
	memset(te, 0, sizeof *te);
	buf_init(&te->text);
	te->max_chars = max_chars;
}

void
textedit_free(struct textedit *te)
{
	buf_release(&te->text);
	te->cursor = te->chars = 0;
}

bool
textedit_set(struct textedit *te, const char *s)
{
	if (text_check(s, 0, te->max_chars, TEXT_MULTILINE, NULL, 0) != 0)
		return false;
	buf_reset(&te->text);
	buf_adds(&te->text, s);
	te->cursor = te->text.len;
	te->chars = utf8_count(s);
	return true;
}

bool
textedit_insert(struct textedit *te, uint32_t cp)
{
	char	enc[4];
	size_t	n;

	if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return false;
	if (te->chars >= te->max_chars || (n = utf8_encode(cp, enc)) == 0)
		return false;
	buf_grow(&te->text, n);
	memmove(te->text.buf + te->cursor + n, te->text.buf + te->cursor,
	    te->text.len - te->cursor + 1);
	memcpy(te->text.buf + te->cursor, enc, n);
	te->text.len += n;
	te->cursor += n;
	te->chars++;
	return true;
}

size_t
textedit_insert_text(struct textedit *te, const char *text)
{
	size_t		len = strlen(text), i = 0, n, added = 0;
	uint32_t	cp;

	while (i < len && te->chars < te->max_chars) {
		if ((n = utf8_decode(text + i, len - i, &cp)) == 0) {
			i++;
			continue;
		}
		i += n;
		if (textedit_insert(te, cp == '\r' ? '\n' : cp))
			added++;
	}
	return added;
}

static void
cut(struct textedit *te, size_t from, size_t to)
{
	memmove(te->text.buf + from, te->text.buf + to, te->text.len - to + 1);
	te->text.len -= to - from;
	te->chars--;
}

bool
textedit_backspace(struct textedit *te)
{
	size_t prev;

	if (te->cursor == 0)
		return false;
	prev = utf8_prev(te->text.buf, te->cursor);
	cut(te, prev, te->cursor);
	te->cursor = prev;
	return true;
}

bool
textedit_delete(struct textedit *te)
{
	if (te->cursor >= te->text.len)
		return false;
	cut(te, te->cursor, utf8_next(te->text.buf, te->text.len, te->cursor));
	return true;
}

bool
textedit_left(struct textedit *te)
{
	if (te->cursor == 0)
		return false;
	te->cursor = utf8_prev(te->text.buf, te->cursor);
	return true;
}

bool
textedit_right(struct textedit *te)
{
	if (te->cursor >= te->text.len)
		return false;
	te->cursor = utf8_next(te->text.buf, te->text.len, te->cursor);
	return true;
}

void
textedit_home(struct textedit *te)
{
	while (te->cursor > 0 && te->text.buf[te->cursor - 1] != '\n')
		te->cursor--;
}

void
textedit_end(struct textedit *te)
{
	while (te->cursor < te->text.len && te->text.buf[te->cursor] != '\n')
		te->cursor++;
}

/* Columns of the code point at byte i; a tab counts as one (it is drawn as a space). */
static int
cols_at(const struct textedit *te, size_t i)
{
	uint32_t cp;

	if (utf8_decode(te->text.buf + i, te->text.len - i, &cp) == 0 || cp == '\t')
		return 1;
	return utf8_cp_width(cp);
}

size_t
textedit_layout(const struct textedit *te, int width, struct textedit_row **rowsp)
{
	const char		*t = te->text.buf;
	size_t			 len = te->text.len, i = 0, start = 0, last_space = 0, n = 0, cap = 16;
	struct textedit_row	*rows = xreallocarray(NULL, cap, sizeof *rows);
	int			 w = 0, cw;
	bool			 have_space = false;

	if (width < 1)
		width = 1;
#define EMIT(s, e) do {							\
		if (n == cap) {						\
			cap *= 2;					\
			rows = xreallocarray(rows, cap, sizeof *rows);	\
		}							\
		rows[n].start = (s);					\
		rows[n++].end = (e);					\
	} while (0)
	while (i < len) {
		if (t[i] == '\n') {
			EMIT(start, i);
			start = ++i;
			w = 0;
			have_space = false;
			continue;
		}
		cw = cols_at(te, i);
		if (w + cw > width) {
			/* Break after the last space of the row when there is one. */
			if (have_space && last_space > start) {
				EMIT(start, last_space);
				start = last_space;
			} else {
				EMIT(start, i);
				start = i;
			}
			w = 0;
			have_space = false;
			for (size_t j = start; j < i; j = utf8_next(t, len, j))
				w += cols_at(te, j);
			continue;
		}
		w += cw;
		i = utf8_next(t, len, i);
		if (t[i - 1] == ' ') {
			last_space = i;
			have_space = true;
		}
	}
	EMIT(start, len);
#undef EMIT
	*rowsp = rows;
	return n;
}

void
textedit_cursor_pos(const struct textedit *te, const struct textedit_row *rows, size_t nrows,
    size_t *rowp, size_t *colp)
{
	size_t r, i, col = 0;

	/* The last row that starts at or before the cursor (a wrap point belongs to the next row). */
	for (r = 0; r + 1 < nrows && rows[r + 1].start <= te->cursor; r++)
		;
	for (i = rows[r].start; i < te->cursor && i < rows[r].end;
	    i = utf8_next(te->text.buf, te->text.len, i))
		col += (size_t)cols_at(te, i);
	*rowp = r;
	*colp = col;
}

/* Move to column goal of row r (or its end). */
static void
goto_row_col(struct textedit *te, const struct textedit_row *row, size_t goal)
{
	size_t i = row->start, col = 0, cw;

	while (i < row->end) {
		cw = (size_t)cols_at(te, i);
		if (col + cw > goal)
			break;
		col += cw;
		i = utf8_next(te->text.buf, te->text.len, i);
	}
	te->cursor = i;
}

static bool
vertical(struct textedit *te, int width, int dir)
{
	struct textedit_row	*rows;
	size_t			 n = textedit_layout(te, width, &rows), r, col;
	bool			 moved = false;

	textedit_cursor_pos(te, rows, n, &r, &col);
	if ((dir < 0 && r > 0) || (dir > 0 && r + 1 < n)) {
		goto_row_col(te, &rows[dir < 0 ? r - 1 : r + 1], col);
		moved = true;
	}
	free(rows);
	return moved;
}

bool
textedit_up(struct textedit *te, int width)
{
	return vertical(te, width, -1);
}

bool
textedit_down(struct textedit *te, int width)
{
	return vertical(te, width, 1);
}
