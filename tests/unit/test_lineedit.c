/* The line and text editors and the list view: pure logic behind every field and list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/utf8.h"
#include "tui/lineedit.h"
#include "tui/listview.h"
#include "tui/textedit.h"

static void
insert_str(struct lineedit *le, const char *s)
{
	size_t		 len = strlen(s), i = 0, n;
	uint32_t	 cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		assert_true(n > 0);
		lineedit_insert(le, cp);
		i += n;
	}
}

static void
test_insert_and_backspace_wide(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, 64, false);
	insert_str(&le, "a日😀");
	assert_string_equal(le.text.buf, "a日😀");
	assert_int_equal(lineedit_chars(&le), 3);
	/* One backspace removes the whole emoji (4 bytes), not one byte of it. */
	assert_true(lineedit_backspace(&le));
	assert_string_equal(le.text.buf, "a日");
	assert_true(lineedit_backspace(&le));
	assert_string_equal(le.text.buf, "a");
	assert_int_equal(le.cursor, 1);
	assert_true(lineedit_backspace(&le));
	assert_false(lineedit_backspace(&le));
	assert_string_equal(le.text.buf, "");
	lineedit_free(&le);
}

static void
test_cursor_moves_by_code_point(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, 64, false);
	insert_str(&le, "ab日c");
	assert_true(lineedit_left(&le));	/* before c */
	assert_true(lineedit_left(&le));	/* before 日 */
	assert_int_equal(le.cursor, 2);
	insert_str(&le, "X");
	assert_string_equal(le.text.buf, "abX日c");
	assert_true(lineedit_delete(&le));	/* removes 日 */
	assert_string_equal(le.text.buf, "abXc");
	lineedit_home(&le);
	assert_false(lineedit_left(&le));
	lineedit_end(&le);
	assert_false(lineedit_right(&le));
	assert_int_equal(le.cursor, strlen("abXc"));
	lineedit_free(&le);
}

static void
test_refuses_controls_and_overflow(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, 3, false);
	assert_false(lineedit_insert(&le, 0x1b));	/* ESC */
	assert_false(lineedit_insert(&le, '\n'));
	assert_false(lineedit_insert(&le, 0x9b));	/* C1 CSI */
	assert_false(lineedit_insert(&le, 0xD800));	/* a surrogate is not a character */
	assert_true(lineedit_insert(&le, 'a'));
	assert_true(lineedit_insert(&le, 'b'));
	assert_true(lineedit_insert(&le, 0x65E5));
	assert_false(lineedit_insert(&le, 'd'));	/* max 3 characters */
	assert_string_equal(le.text.buf, "ab日");
	assert_false(lineedit_set(&le, "too long"));
	assert_false(lineedit_set(&le, "\x1b[2J"));
	assert_string_equal(le.text.buf, "ab日");
	lineedit_free(&le);
}

static void
test_kill_keys(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, 64, false);
	insert_str(&le, "hello big world");
	lineedit_kill_word(&le);
	assert_string_equal(le.text.buf, "hello big ");
	lineedit_home(&le);
	lineedit_right(&le);
	lineedit_kill_to_end(&le);
	assert_string_equal(le.text.buf, "h");
	lineedit_end(&le);
	lineedit_kill_to_start(&le);
	assert_string_equal(le.text.buf, "");
	lineedit_free(&le);
}

static void
test_view_scrolls_to_cursor(void **state)
{
	struct lineedit	le;
	size_t		start, col;

	(void)state;
	lineedit_init(&le, 64, false);
	insert_str(&le, "日本語日本語");	/* 12 columns */
	lineedit_view(&le, 6, &start, &col);
	/* The cursor at the end must be visible inside 6 columns. */
	assert_true(col < 6);
	assert_true(start > 0);
	assert_true(utf8_width(le.text.buf + start) <= 5);
	lineedit_home(&le);
	lineedit_view(&le, 6, &start, &col);
	assert_int_equal(start, 0);
	assert_int_equal(col, 0);
	lineedit_free(&le);
}

static void
test_listview(void **state)
{
	struct listview lv = { 0 };

	(void)state;
	listview_move(&lv, 1, 5);	/* empty: nothing to select */
	assert_int_equal(lv.sel, 0);
	lv.n = 20;
	listview_move(&lv, 7, 5);
	assert_int_equal(lv.sel, 7);
	assert_int_equal(lv.top, 3);	/* the selection stays in the 5-row window */
	listview_move(&lv, 100, 5);
	assert_int_equal(lv.sel, 19);
	listview_move(&lv, -100, 5);
	assert_int_equal(lv.sel, 0);
	assert_int_equal(lv.top, 0);
	listview_bottom(&lv, 5);
	assert_int_equal(lv.top, 15);
	lv.n = 3;	/* the data shrank under the selection */
	listview_clamp(&lv, 5);
	assert_int_equal(lv.sel, 2);
	assert_true(lv.top <= lv.sel);
}

static void
te_insert_str(struct textedit *te, const char *s)
{
	size_t		 len = strlen(s), i = 0, n;
	uint32_t	 cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		assert_true(n > 0);
		textedit_insert(te, cp);
		i += n;
	}
}

static void
test_textedit_lines_and_limits(void **state)
{
	struct textedit te;

	(void)state;
	textedit_init(&te, 10);
	te_insert_str(&te, "ab\ncd");
	assert_string_equal(te.text.buf, "ab\ncd");
	assert_false(textedit_insert(&te, 0x1b));	/* ESC refused */
	assert_false(textedit_insert(&te, '\r'));
	te_insert_str(&te, "efghi");			/* 10 characters now */
	assert_false(textedit_insert(&te, 'x'));
	assert_int_equal(te.chars, 10);
	textedit_home(&te);
	assert_int_equal(te.cursor, 3);			/* start of "cdefgh" */
	assert_true(textedit_backspace(&te));		/* joins the lines */
	assert_string_equal(te.text.buf, "abcdefghi");
	textedit_end(&te);
	assert_int_equal(te.cursor, strlen("abcdefghi"));
	assert_false(textedit_set(&te, "far too long a text"));
	assert_string_equal(te.text.buf, "abcdefghi");
	textedit_free(&te);
}

static void
test_textedit_wraps_by_width(void **state)
{
	struct textedit		 te;
	struct textedit_row	*rows;
	size_t			 n, r, c;

	(void)state;
	textedit_init(&te, 100);
	assert_true(textedit_set(&te, "hello big world\n日本語日本"));
	n = textedit_layout(&te, 10, &rows);
	/* "hello big " | "world" | "日本語日本" (10 columns exactly) */
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].start, 0);
	assert_int_equal(rows[1].start, strlen("hello big "));
	assert_int_equal(rows[2].start, strlen("hello big world\n"));
	textedit_cursor_pos(&te, rows, n, &r, &c);
	assert_int_equal(r, 2);
	assert_int_equal(c, 10);
	free(rows);
	/* Up from the end of the CJK row lands at the end of "world" (5 columns). */
	assert_true(textedit_up(&te, 10));
	assert_int_equal(te.cursor, strlen("hello big world"));
	assert_true(textedit_up(&te, 10));
	assert_false(textedit_up(&te, 10));
	assert_true(textedit_down(&te, 10));
	assert_true(textedit_down(&te, 10));
	assert_false(textedit_down(&te, 10));
	textedit_free(&te);
}

/*
 * A paste goes in whole at the cursor: in a one-line field newlines and tabs
 * become spaces and other controls go; the multi-line editor keeps its lines
 * (a CR is a newline); both stop at their limit.
 */
static void
test_paste_text(void **state)
{
	struct lineedit	le;
	struct textedit	te;

	(void)state;
	lineedit_init(&le, 12, false);
	assert_true(lineedit_set(&le, "ab"));
	lineedit_left(&le);
	assert_int_equal(lineedit_insert_text(&le, "x\ny\t\x1bz"), 5);
	assert_string_equal(le.text.buf, "ax y zb");
	assert_int_equal(lineedit_insert_text(&le, "\xe6\x97\xa5 long tail"), 5);
	assert_int_equal(lineedit_chars(&le), 12);
	lineedit_free(&le);

	textedit_init(&te, 10);
	assert_int_equal(textedit_insert_text(&te, "one\ntwo\rthree"), 10);
	assert_string_equal(te.text.buf, "one\ntwo\nth");
	assert_int_equal(te.chars, 10);
	assert_int_equal(textedit_insert_text(&te, "more"), 0);
	textedit_free(&te);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_and_backspace_wide),
		cmocka_unit_test(test_paste_text),
		cmocka_unit_test(test_cursor_moves_by_code_point),
		cmocka_unit_test(test_refuses_controls_and_overflow),
		cmocka_unit_test(test_kill_keys),
		cmocka_unit_test(test_view_scrolls_to_cursor),
		cmocka_unit_test(test_listview),
		cmocka_unit_test(test_textedit_lines_and_limits),
		cmocka_unit_test(test_textedit_wraps_by_width),
	};

	utf8_locale_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
