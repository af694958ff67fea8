#include "tui/lineedit.h"

#include <string.h>

#include <sodium.h>

#include "common/utf8.h"

void
lineedit_init(struct lineedit *le, size_t max_chars, bool masked)
{
	buf_init(&le->text);
	le->cursor = 0;
	le->max_chars = max_chars;
	le->masked = masked;
}

void
lineedit_free(struct lineedit *le)
{
	if (le->masked && le->text.alloc)
		sodium_memzero(le->text.buf, le->text.alloc);
	buf_release(&le->text);
	le->cursor = 0;
}

void
lineedit_clear(struct lineedit *le)
{
	if (le->masked && le->text.alloc)
		sodium_memzero(le->text.buf, le->text.alloc);
	buf_reset(&le->text);
	le->cursor = 0;
}

size_t
lineedit_chars(const struct lineedit *le)
{
	return utf8_count(le->text.buf);
}

bool
lineedit_set(struct lineedit *le, const char *s)
{
	if (text_check(s, 0, le->max_chars, TEXT_SINGLE_LINE, NULL, 0) != 0)
		return false;
	lineedit_clear(le);
	buf_adds(&le->text, s);
	le->cursor = le->text.len;
	return true;
}

bool
lineedit_insert(struct lineedit *le, uint32_t cp)
{
	char	 enc[4];
	size_t	 n;

	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return false;
	if (lineedit_chars(le) >= le->max_chars)
		return false;
	if ((n = utf8_encode(cp, enc)) == 0)
		return false;
	buf_grow(&le->text, n);
	memmove(le->text.buf + le->cursor + n, le->text.buf + le->cursor,
	    le->text.len - le->cursor + 1);
	memcpy(le->text.buf + le->cursor, enc, n);
	le->text.len += n;
	le->cursor += n;
	return true;
}

/* Remove bytes [from, to) of the text. */
static void
cut(struct lineedit *le, size_t from, size_t to)
{
	memmove(le->text.buf + from, le->text.buf + to, le->text.len - to + 1);
	le->text.len -= to - from;
}

size_t
lineedit_insert_text(struct lineedit *le, const char *text)
{
	size_t		len = strlen(text), i = 0, n, added = 0;
	uint32_t	cp;

	while (i < len) {
		if ((n = utf8_decode(text + i, len - i, &cp)) == 0) {
			i++;
			continue;
		}
		i += n;
		if (cp == '\n' || cp == '\t' || cp == '\r')
			cp = ' ';
		if (lineedit_insert(le, cp))
			added++;
		else if (lineedit_chars(le) >= le->max_chars)
			break;
	}
	return added;
}

bool
lineedit_backspace(struct lineedit *le)
{
	size_t prev;

	if (le->cursor == 0)
		return false;
	prev = utf8_prev(le->text.buf, le->cursor);
	cut(le, prev, le->cursor);
	le->cursor = prev;
	return true;
}

bool
lineedit_delete(struct lineedit *le)
{
	if (le->cursor >= le->text.len)
		return false;
	cut(le, le->cursor, utf8_next(le->text.buf, le->text.len, le->cursor));
	return true;
}

bool
lineedit_left(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	le->cursor = utf8_prev(le->text.buf, le->cursor);
	return true;
}

bool
lineedit_right(struct lineedit *le)
{
	if (le->cursor >= le->text.len)
		return false;
	le->cursor = utf8_next(le->text.buf, le->text.len, le->cursor);
	return true;
}

void
lineedit_home(struct lineedit *le)
{
	le->cursor = 0;
}

void
lineedit_end(struct lineedit *le)
{
	le->cursor = le->text.len;
}

void
lineedit_kill_to_start(struct lineedit *le)
{
	cut(le, 0, le->cursor);
	le->cursor = 0;
}

void
lineedit_kill_to_end(struct lineedit *le)
{
	buf_truncate(&le->text, le->cursor);
}

void
lineedit_kill_word(struct lineedit *le)
{
	size_t start = le->cursor;

	while (start > 0 && le->text.buf[start - 1] == ' ')
		start--;
	while (start > 0 && le->text.buf[start - 1] != ' ')
		start = utf8_prev(le->text.buf, start);
	cut(le, start, le->cursor);
	le->cursor = start;
}

/* Columns taken by the code point at byte offset i. */
static size_t
cp_cols(const struct lineedit *le, size_t i)
{
	uint32_t cp;

	if (le->masked)
		return 1;
	if (utf8_decode(le->text.buf + i, le->text.len - i, &cp) == 0)
		return 1;
	return (size_t)utf8_cp_width(cp);
}

void
lineedit_view(const struct lineedit *le, size_t width, size_t *startp, size_t *colp)
{
	size_t	start = 0, col = 0, i;

	if (width == 0)
		width = 1;
	/* Columns from the start to the cursor. */
	for (i = 0; i < le->cursor; i = utf8_next(le->text.buf, le->text.len, i))
		col += cp_cols(le, i);
	/* Drop code points from the left until the cursor fits (one column kept for it). */
	while (col >= width && start < le->cursor) {
		col -= cp_cols(le, start);
		start = utf8_next(le->text.buf, le->text.len, start);
	}
	*startp = start;
	*colp = col;
}
