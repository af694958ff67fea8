/* common/: buf, utf8, text_check, sanitize, err, timefmt. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/sanitize.h"
#include "common/terminal.h"
#include "common/timefmt.h"
#include "common/utf8.h"

#define FFFD	"\xef\xbf\xbd"

/* ---- buf ----------------------------------------------------------------- */

static void
test_buf_never_null(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	assert_non_null(b.buf);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
	buf_add(&b, "x", 0);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.alloc, 0);
	buf_addf(&b, "%s", "");
	assert_string_equal(b.buf, "");
	buf_reset(&b);
	buf_truncate(&b, 0);
	assert_string_equal(b.buf, "");
	buf_release(&b);
	assert_non_null(b.buf);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	/* The shared empty string was never written through. */
	assert_int_equal(buf_empty[0], '\0');
}

static void
test_buf_addf_growth(void **state)
{
	struct buf	 b = BUF_INIT;
	char		 expect[16];
	size_t		 i, off = 0;

	(void)state;
	/* Far past the first 64-byte allocation, through several doublings. */
	for (i = 0; i < 1000; i++)
		buf_addf(&b, "%zu,", i);
	assert_true(b.alloc > b.len);
	assert_int_equal(strlen(b.buf), b.len);
	for (i = 0; i < 1000; i++) {
		snprintf(expect, sizeof expect, "%zu,", i);
		assert_memory_equal(b.buf + off, expect, strlen(expect));
		off += strlen(expect);
	}
	assert_int_equal(off, b.len);

	/* One long formatted piece in one go. */
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	buf_addf(&b, "[%5000s]", "x");
	assert_int_equal(b.len, 5002);
	assert_int_equal(b.buf[0], '[');
	assert_int_equal(b.buf[5000], 'x');
	assert_int_equal(b.buf[5001], ']');
	assert_int_equal(b.buf[5002], '\0');

	buf_reset(&b);
	buf_adds(&b, "ab");
	buf_addch(&b, 'c');
	buf_add(&b, "def", 2);
	assert_string_equal(b.buf, "abcde");
	assert_int_equal(b.len, 5);
	buf_release(&b);
}

static void
test_buf_detach_truncate(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	size_t		 len = 99;

	(void)state;
	/* Even an empty buffer hands out memory the caller may free. */
	s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	assert_ptr_not_equal(s, buf_empty);
	free(s);

	buf_adds(&b, "hello, world");
	buf_truncate(&b, 5);
	assert_string_equal(b.buf, "hello");
	assert_int_equal(b.len, 5);
	buf_truncate(&b, 50);		/* longer than the text: no change */
	assert_string_equal(b.buf, "hello");
	s = buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_ptr_equal(b.buf, buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	free(s);
	s = buf_detach(&b, NULL);
	assert_string_equal(s, "");
	free(s);
}

/* ---- utf8 ---------------------------------------------------------------- */

struct decode_case {
	const char	*s;
	size_t		 len;
	size_t		 used;
	uint32_t	 cp;
};

static void
test_utf8_decode(void **state)
{
	static const struct decode_case cases[] = {
		{ "A", 1, 1, 'A' },
		{ "\xc3\xa9", 2, 2, 0xE9 },
		{ "\xe6\x97\xa5", 3, 3, 0x65E5 },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1F600 },
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10FFFF },
		{ "\xef\xbf\xbd", 3, 3, 0xFFFD },
		/* overlong forms of '/' and of U+0000 */
		{ "\xc0\xaf", 2, 0, 0xFFFD },
		{ "\xc1\xbf", 2, 0, 0xFFFD },
		{ "\xe0\x80\xaf", 3, 0, 0xFFFD },
		{ "\xe0\x9f\xbf", 3, 0, 0xFFFD },
		{ "\xf0\x80\x80\xaf", 4, 0, 0xFFFD },
		{ "\xf0\x8f\xbf\xbf", 4, 0, 0xFFFD },
		{ "\xc0\x80", 2, 0, 0xFFFD },
		/* surrogates */
		{ "\xed\xa0\x80", 3, 0, 0xFFFD },
		{ "\xed\xbf\xbf", 3, 0, 0xFFFD },
		/* past U+10FFFF, and bytes that never start a sequence */
		{ "\xf4\x90\x80\x80", 4, 0, 0xFFFD },
		{ "\xf5\x80\x80\x80", 4, 0, 0xFFFD },
		{ "\xff", 1, 0, 0xFFFD },
		{ "\x80", 1, 0, 0xFFFD },
		/* truncated: the string ends, or the next byte is not a continuation */
		{ "\xe6\x97", 2, 0, 0xFFFD },
		{ "\xe6\x97\xa5", 2, 0, 0xFFFD },
		{ "\xf0\x9f\x98", 3, 0, 0xFFFD },
		{ "\xc3" "A", 2, 0, 0xFFFD },
		{ "\xe6" "A" "\xa5", 3, 0, 0xFFFD },
		{ "", 0, 0, 0xFFFD },
	};
	uint32_t	 cp;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cp = 12345;
		assert_int_equal(utf8_decode(cases[i].s, cases[i].len, &cp), cases[i].used);
		assert_int_equal(cp, cases[i].cp);
	}
}

static void
test_utf8_encode(void **state)
{
	static const uint32_t	 cps[] = { 0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0xFFFD,
	    0xFFFF, 0x10000, 0x1F600, 0x10FFFF };
	char			 out[4];
	uint32_t		 cp;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		n = utf8_encode(cps[i], out);
		assert_true(n >= 1 && n <= 4);
		assert_int_equal(utf8_decode(out, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
	assert_int_equal(utf8_encode(0xD800, out), 0);
	assert_int_equal(utf8_encode(0xDFFF, out), 0);
	assert_int_equal(utf8_encode(0x110000, out), 0);
	assert_int_equal(utf8_encode(0xE9, out), 2);
	assert_memory_equal(out, "\xc3\xa9", 2);
}

static void
test_utf8_valid_count(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("h\xc3\xa9llo \xe6\x97\xa5\xf0\x9f\x98\x80", 14));
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("ab\xff", 3));
	assert_false(utf8_valid("\xe6\x97", 2));
	assert_int_equal(utf8_count(""), 0);
	assert_int_equal(utf8_count("abc"), 3);
	assert_int_equal(utf8_count("\xe6\x97\xa5\xe6\x9c\xac"), 2);
	assert_int_equal(utf8_count("a\xf0\x9f\x98\x80z"), 3);
}

static void
test_utf8_width(void **state)
{
	(void)state;
	assert_true(utf8_locale_init());
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("hello"), 5);
	assert_int_equal(utf8_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);	/* 日本 */
	assert_int_equal(utf8_width("\xf0\x9f\x98\x80"), 2);		/* 😀 */
	assert_int_equal(utf8_width("a\xe6\x97\xa5" "b"), 4);
	assert_int_equal(utf8_width("e\xcc\x81"), 1);			/* e + combining acute */
	assert_int_equal(utf8_width("\xff\xfe"), 2);			/* invalid: 1 each */
	assert_int_equal(utf8_cp_width(0x65E5), 2);
	assert_int_equal(utf8_cp_width('x'), 1);
	assert_int_equal(utf8_cp_width(0x0301), 0);
	assert_int_equal(utf8_cp_width(0x1B), 1);			/* unprintable counts 1 */
}

static void
test_utf8_prev_next(void **state)
{
	/* a(0) 日(1..3) 😀(4..7) z(8), length 9 */
	const char	*s = "a\xe6\x97\xa5\xf0\x9f\x98\x80z";
	size_t		 len = strlen(s);

	(void)state;
	assert_int_equal(len, 9);
	assert_int_equal(utf8_prev(s, 9), 8);
	assert_int_equal(utf8_prev(s, 8), 4);
	assert_int_equal(utf8_prev(s, 4), 1);
	assert_int_equal(utf8_prev(s, 1), 0);
	assert_int_equal(utf8_prev(s, 0), 0);
	assert_int_equal(utf8_next(s, len, 0), 1);
	assert_int_equal(utf8_next(s, len, 1), 4);
	assert_int_equal(utf8_next(s, len, 4), 8);
	assert_int_equal(utf8_next(s, len, 8), 9);
	assert_int_equal(utf8_next(s, len, 9), 9);
	/* An invalid byte is stepped over alone. */
	assert_int_equal(utf8_next("\xff" "a", 2, 0), 1);
}

static void
test_text_check(void **state)
{
	char	 why[128];
	char	 s[300];

	(void)state;
	assert_int_equal(text_check("hello", 1, 5, TEXT_SINGLE_LINE, why, sizeof why), 0);
	assert_string_equal(why, "");
	assert_int_equal(text_check("hello!", 1, 5, TEXT_SINGLE_LINE, why, sizeof why),
	    ERR_INVALID);
	assert_string_equal(why, "too long (at most 5 characters)");
	/* Limits count characters, not bytes. */
	assert_int_equal(text_check("\xe6\x97\xa5\xe6\x97\xa5", 1, 2, TEXT_SINGLE_LINE, why,
	    sizeof why), 0);
	assert_int_equal(text_check("\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5", 1, 2,
	    TEXT_SINGLE_LINE, why, sizeof why), ERR_INVALID);
	assert_int_equal(text_check("", 1, 5, TEXT_SINGLE_LINE, why, sizeof why),
	    ERR_INVALID);
	assert_string_equal(why, "must not be empty");
	assert_int_equal(text_check("", 0, 5, TEXT_SINGLE_LINE, why, sizeof why), 0);
	assert_int_equal(text_check("ab", 3, 5, TEXT_SINGLE_LINE, why, sizeof why),
	    ERR_INVALID);
	assert_string_equal(why, "too short (at least 3 characters)");

	/* Newline and tab only when multi-line; other controls never. */
	assert_int_equal(text_check("a\nb", 1, 9, TEXT_SINGLE_LINE, why, sizeof why),
	    ERR_INVALID);
	assert_string_equal(why, "control characters are not allowed");
	assert_int_equal(text_check("a\nb\tc", 1, 9, TEXT_MULTILINE, why, sizeof why), 0);
	assert_int_equal(text_check("a\tb", 1, 9, TEXT_SINGLE_LINE, NULL, 0), ERR_INVALID);
	assert_int_equal(text_check("a\rb", 1, 9, TEXT_MULTILINE, NULL, 0), ERR_INVALID);
	assert_int_equal(text_check("\x1b[2J", 1, 9, TEXT_MULTILINE, NULL, 0), ERR_INVALID);
	assert_int_equal(text_check("a\x7f", 1, 9, TEXT_MULTILINE, NULL, 0), ERR_INVALID);
	assert_int_equal(text_check("a\xc2\x9b" "b", 1, 9, TEXT_MULTILINE, NULL, 0),
	    ERR_INVALID);	/* U+009B, the 8-bit CSI */
	assert_int_equal(text_check("a\xc2\x85", 1, 9, TEXT_MULTILINE, NULL, 0),
	    ERR_INVALID);	/* U+0085, NEL */
	assert_int_equal(text_check("a\xc2\xa0" "b", 1, 9, TEXT_SINGLE_LINE, NULL, 0), 0);
	assert_int_equal(text_check("bad\xff", 1, 9, TEXT_MULTILINE, why, sizeof why),
	    ERR_INVALID);
	assert_string_equal(why, "not valid UTF-8");
	assert_int_equal(text_check("\xc0\xaf", 1, 9, TEXT_MULTILINE, NULL, 0), ERR_INVALID);

	/* A long input is refused, and a short why buffer is not overrun. */
	memset(s, 'x', sizeof s - 1);
	s[sizeof s - 1] = '\0';
	memset(why, '#', sizeof why);
	assert_int_equal(text_check(s, 1, 64, TEXT_SINGLE_LINE, why, 8), ERR_INVALID);
	assert_string_equal(why, "too lon");
	assert_int_equal(why[8], '#');
}

/* ---- sanitize ------------------------------------------------------------ */

static void
assert_sanitized(const char *in, bool keep_newlines, const char *expect)
{
	char *out = sanitize_dup(in, keep_newlines);

	assert_string_equal(out, expect);
	assert_null(strchr(out, '\x1b'));
	free(out);
}

static void
test_sanitize_escapes(void **state)
{
	(void)state;
	/* Sequences lose their introducer and draw as plain text. */
	assert_sanitized("\x1b[2Jhi", false, FFFD "[2Jhi");
	assert_sanitized("\x1b]0;pwned\x07" "x", false, FFFD "]0;pwned" FFFD "x");
	assert_sanitized("\x1b]8;;http://evil\x1b\\link", false,
	    FFFD "]8;;http://evil" FFFD "\\link");
	assert_sanitized("\x1bPq#0\x1b\\", false, FFFD "Pq#0" FFFD "\\");
	/* C1: a raw 0x9b byte is invalid UTF-8; U+009B encoded is a control. */
	assert_sanitized("a\x9b" "31mb", false, "a" FFFD "31mb");
	assert_sanitized("a\xc2\x9b" "31mb", false, "a" FFFD "31mb");
	assert_sanitized("\x7f\x01", false, FFFD FFFD);
	assert_false(sanitize_is_clean("\x1b[2J"));
	assert_false(sanitize_is_clean("\xc2\x9b"));
}

static void
test_sanitize_invisible(void **state)
{
	(void)state;
	/* RLO would draw "txt.exe" as "exe.txt". */
	assert_sanitized("abc\xe2\x80\xae" "exe.txt", false, "abcexe.txt");
	assert_sanitized("a\xe2\x81\xa6" "b\xe2\x81\xa9" "c", false, "abc");	/* LRI, PDI */
	assert_sanitized("a\xe2\x80\x8b" "d\xe2\x80\x8d" "m\xef\xbb\xbf" "n", false, "admn");
	assert_sanitized("\xe2\x80\x8f", false, "");
	assert_false(sanitize_is_clean("abc\xe2\x80\xae"));
	assert_false(sanitize_is_clean("a\xe2\x80\x8b"));
}

static void
test_sanitize_text(void **state)
{
	const char *plain = "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 !";

	(void)state;
	assert_sanitized(plain, false, plain);
	assert_true(sanitize_is_clean(plain));
	assert_true(sanitize_is_clean(""));
	assert_sanitized("", true, "");
	/* Invalid bytes become U+FFFD, one each, and decoding resumes after them. */
	assert_sanitized("a\xff\xfe" "b", false, "a" FFFD FFFD "b");
	assert_sanitized("\xc0\xaf", false, FFFD FFFD);
	assert_sanitized("\xe6\x97", false, FFFD FFFD);
	assert_sanitized("x\xe6\x97", false, "x" FFFD FFFD);
	assert_false(sanitize_is_clean("a\xff"));
	/* Newlines kept or flattened; tabs become spaces. */
	assert_sanitized("one\ntwo", true, "one\ntwo");
	assert_sanitized("one\ntwo", false, "one two");
	assert_sanitized("a\tb", true, "a b");
	assert_sanitized("a\r\nb", true, "a" FFFD "\nb");
	assert_false(sanitize_is_clean("a\tb"));
}

static void
test_sanitize_append(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "name: ");
	sanitize_append(&b, "\x1b[31mred", false);
	assert_string_equal(b.buf, "name: " FFFD "[31mred");
	assert_int_equal(b.len, strlen(b.buf));
	buf_release(&b);
}

/* ---- err and timefmt ----------------------------------------------------- */

static void
test_err(void **state)
{
	(void)state;
	assert_string_equal(err_str(0), "ok");
	assert_string_equal(err_str(ERR_NOTFOUND), "not found");
	assert_string_equal(err_str(-999), "internal error");
	assert_int_equal(err_exit_status(0), 0);
	assert_int_equal(err_exit_status(ERR_INVALID), 1);
	assert_int_equal(err_exit_status(ERR_NOTFOUND), 2);
	assert_int_equal(err_exit_status(ERR_DENIED), 3);
	assert_int_equal(err_exit_status(ERR_DB), 1);
}

static void
test_timefmt(void **state)
{
	char	 out[32];
	int64_t	 t = 1795593670;	/* 2026-11-25T08:01:10Z */

	(void)state;
	time_rfc3339(0, out, sizeof out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	time_rfc3339(t, out, sizeof out);
	assert_string_equal(out, "2026-11-25T08:01:10Z");
	time_date(t, out, sizeof out);
	assert_string_equal(out, "25 Nov 2026");
	time_ago(t, t + 59, out, sizeof out);
	assert_string_equal(out, "just now");
	time_ago(t, t + 5 * 60, out, sizeof out);
	assert_string_equal(out, "5m");
	time_ago(t, t + 3 * 3600, out, sizeof out);
	assert_string_equal(out, "3h");
	time_ago(t, t + 2 * 86400, out, sizeof out);
	assert_string_equal(out, "2d");
	time_ago(t, t + 30 * 86400, out, sizeof out);	/* this year: without it */
	assert_string_equal(out, "25 Nov");
	time_ago(t, t + 60 * 86400, out, sizeof out);	/* seen the next year: with it */
	assert_string_equal(out, "25 Nov 2026");
	time_date(t + 12 * 86400, out, sizeof out);
	assert_string_equal(out, "7 Dec 2026");
	time_full(t, out, sizeof out);
	assert_string_equal(out, "Wed 25 Nov 2026 08:01 UTC");
	time_full(t + 12 * 86400, out, sizeof out);
	assert_string_equal(out, "Mon 7 Dec 2026 08:01 UTC");
}

/*
 * ASCII-only terminals: the interface's glyphs by the table, accents
 * dropped, anything else '?' per column (a wide character two), so the
 * columns stay as they were; only the ellipsis is three dots.
 */
static void
test_terminal_ascii(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain text", "plain text" },
		{ "\u258c \u2502 \u2500\u2500 \u2022 \u25e6 \u25aa", "| | -- * o -" },
		{ "@bob \u00b7 just now \u00b7 public", "@bob . just now . public" },
		{ "processing\u2026", "processing..." },
		{ "\u250c\u2500\u2510\u2514\u2518", "+-+++" },
		{ "\u25b6 video \u25b8", "> video >" },
		{ "\u201cquoted\u201d \u2014 Zo\u00eb, \u00c5ngstr\u00f6m", "\"quoted\" - Zoe, Angstrom" },
		{ "\u65e5\u672c", "????" },		/* two wide characters */
		{ "\U0001F44D", "??" },		/* an emoji: two columns */
		{ "e\u0301", "e" },			/* a combining accent: nothing */
		{ "\u2580\u2588", "##" },
		{ "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *a = terminal_ascii_dup(cases[i].in);

		assert_string_equal(a, cases[i].out);
		for (const char *p = a; *p; p++)
			assert_true((unsigned char)*p < 0x80);
		free(a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_never_null),
		cmocka_unit_test(test_buf_addf_growth),
		cmocka_unit_test(test_buf_detach_truncate),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_encode),
		cmocka_unit_test(test_utf8_valid_count),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_utf8_prev_next),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_sanitize_escapes),
		cmocka_unit_test(test_sanitize_invisible),
		cmocka_unit_test(test_sanitize_text),
		cmocka_unit_test(test_sanitize_append),
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_timefmt),
		cmocka_unit_test(test_terminal_ascii),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
