/* media/markdown: cmark AST to styled, wrapped, sanitized lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "media/markdown.h"

/* Every span valid UTF-8 with no control character at all, and no line wider than width. */
static void
assert_doc_safe(const struct md_doc *d, int width)
{
	size_t	i, j, k;
	char	*t;

	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->lines[i].n; j++) {
			const unsigned char *s = (const unsigned char *)d->lines[i].spans[j].text;

			assert_non_null(s);
			assert_true(utf8_valid((const char *)s, strlen((const char *)s)));
			for (k = 0; s[k]; k++) {
				assert_true(s[k] >= 0x20 && s[k] != 0x7f);
				/* C1 controls encode as C2 80..C2 9F */
				assert_false(s[k] == 0xc2 && s[k + 1] >= 0x80 && s[k + 1] <= 0x9f);
			}
		}
		t = md_line_text(&d->lines[i]);
		if (utf8_width(t) > (size_t)width)
			fail_msg("line %zu is %zu columns wide (max %d): '%s'", i, utf8_width(t),
			    width, t);
		free(t);
	}
}

static struct md_doc
render(const char *md, int width)
{
	struct md_doc d;

	assert_int_equal(md_render(md, width, &d), 0);
	assert_doc_safe(&d, width < 10 ? 10 : width);
	return d;
}

/* The whole document as text, lines joined with '\n'; caller frees. */
static char *
doc_text(const struct md_doc *d)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	char		*t;

	for (i = 0; i < d->n; i++) {
		t = md_line_text(&d->lines[i]);
		buf_adds(&b, t);
		buf_addch(&b, '\n');
		free(t);
	}
	return buf_detach(&b, NULL);
}

static char *
line_text(const struct md_doc *d, size_t i)
{
	assert_true(i < d->n);
	return md_line_text(&d->lines[i]);
}

static void
assert_line(const struct md_doc *d, size_t i, const char *want)
{
	char *t = line_text(d, i);

	assert_string_equal(t, want);
	free(t);
}

/* The style of the first span whose text is exactly s; fails when there is none. */
static unsigned
span_style(const struct md_doc *d, const char *s)
{
	size_t i, j;

	for (i = 0; i < d->n; i++)
		for (j = 0; j < d->lines[i].n; j++)
			if (strcmp(d->lines[i].spans[j].text, s) == 0)
				return d->lines[i].spans[j].style;
	fail_msg("no span '%s'", s);
	return 0;
}

static bool
has_span(const struct md_doc *d, const char *s)
{
	size_t i, j;

	for (i = 0; i < d->n; i++)
		for (j = 0; j < d->lines[i].n; j++)
			if (strcmp(d->lines[i].spans[j].text, s) == 0)
				return true;
	return false;
}

/* True when some span containing s carries every bit of style. */
static bool
styled(const struct md_doc *d, const char *s, unsigned style)
{
	size_t i, j;

	for (i = 0; i < d->n; i++)
		for (j = 0; j < d->lines[i].n; j++)
			if (strstr(d->lines[i].spans[j].text, s) != NULL &&
			    (d->lines[i].spans[j].style & style) == style)
				return true;
	return false;
}

static void
test_emphasis_strong_code(void **state)
{
	struct md_doc d = render("plain *italic* **bold** ***both*** `a code`", 78);

	(void)state;
	assert_int_equal(d.n, 1);
	assert_line(&d, 0, "plain italic bold both a code");
	assert_int_equal(span_style(&d, "italic"), MD_ITALIC);
	assert_int_equal(span_style(&d, "bold"), MD_BOLD);
	assert_int_equal(span_style(&d, "both"), MD_BOLD | MD_ITALIC);
	assert_int_equal(span_style(&d, "a code"), MD_CODE);
	assert_int_equal(span_style(&d, "plain "), MD_PLAIN);
	md_doc_free(&d);
	assert_int_equal(d.n, 0);
	assert_null(d.lines);
}

static void
test_code_block(void **state)
{
	struct md_doc d = render("before\n\n```c\nint\tx;\n\n  keep   spaces\n"
	    "a very long line of code that must be cut and never wrapped\n```\nafter", 30);
	char *t;

	(void)state;
	t = doc_text(&d);
	assert_string_equal(t,
	    "before\n"
	    "\n"
	    "  int x;\n"		/* the tab to the next stop of 4 */
	    "  \n"
	    "    keep   spaces\n"
	    "  a very long line of code tha\n"	/* cut at 30 columns */
	    "\n"
	    "after\n");
	free(t);
	assert_true(d.lines[2].n == 1 && d.lines[2].spans[0].style == MD_CODE);
	assert_true(styled(&d, "keep   spaces", MD_CODE));
	assert_false(styled(&d, "after", MD_CODE));
	md_doc_free(&d);

	/* An indented code block too. */
	d = render("    indented code\n", 40);
	assert_int_equal(d.n, 1);
	assert_line(&d, 0, "  indented code");
	assert_true(styled(&d, "indented code", MD_CODE));
	md_doc_free(&d);
}

static void
test_lists(void **state)
{
	struct md_doc	 d;
	char		*t;

	(void)state;
	d = render("- one\n- two\n  - inner\n  - inner two\n- three\n", 40);
	t = doc_text(&d);
	assert_string_equal(t, "• one\n• two\n  ◦ inner\n  ◦ inner two\n• three\n");
	free(t);
	assert_true(styled(&d, "•", MD_MARKER));
	assert_true(styled(&d, "◦", MD_MARKER));
	assert_false(styled(&d, "one", MD_MARKER));
	md_doc_free(&d);

	d = render("1. first\n2. second\n3. third\n\n7) seven\n8) eight\n", 40);
	t = doc_text(&d);
	assert_string_equal(t, "1. first\n2. second\n3. third\n\n7) seven\n8) eight\n");
	free(t);
	assert_true(styled(&d, "2.", MD_MARKER));
	md_doc_free(&d);

	/* Wrapped items hang under their text; a loose list keeps blank lines. */
	d = render("- a list item long enough to wrap\n\n- b\n", 20);
	t = doc_text(&d);
	assert_string_equal(t, "• a list item long\n  enough to wrap\n\n• b\n");
	free(t);
	md_doc_free(&d);

	/* Numbered inside bullets, and a paragraph after the list. */
	d = render("- x\n  1. y\n  2. z\n\nafter", 40);
	t = doc_text(&d);
	assert_string_equal(t, "• x\n  1. y\n  2. z\n\nafter\n");
	free(t);
	md_doc_free(&d);

	/* An empty item still shows its marker, and keeps a loose list's spacing. */
	d = render("-\n- b\n", 40);
	assert_int_equal(d.n, 2);
	assert_line(&d, 0, "• ");
	md_doc_free(&d);
	d = render("- a\n\n-\n\n- c\n", 40);
	t = doc_text(&d);
	assert_string_equal(t, "• a\n\n• \n\n• c\n");
	free(t);
	md_doc_free(&d);
}

static void
test_quotes(void **state)
{
	struct md_doc	 d = render("> quoted text that wraps here\n>\n> > deeper\n\nout", 20);
	char		*t = doc_text(&d);

	(void)state;
	assert_string_equal(t,
	    "│ quoted text that\n"
	    "│ wraps here\n"
	    "│\n"
	    "│ │ deeper\n"
	    "\n"
	    "out\n");
	free(t);
	assert_true(styled(&d, "│", MD_MARKER | MD_QUOTE));
	assert_true(styled(&d, "quoted text that", MD_QUOTE));
	assert_true(styled(&d, "deeper", MD_QUOTE));
	assert_false(styled(&d, "out", MD_QUOTE));
	md_doc_free(&d);

	d = render("> - item in a quote\n", 40);
	assert_line(&d, 0, "│ • item in a quote");
	md_doc_free(&d);
}

static void
test_links_and_images(void **state)
{
	struct md_doc d = render("see [the site](https://example.org/a) now", 78);

	(void)state;
	assert_line(&d, 0, "see the site (https://example.org/a) now");
	assert_int_equal(span_style(&d, "https://example.org/a"), MD_LINK);
	assert_false(styled(&d, "the site", MD_LINK));
	md_doc_free(&d);

	/* An autolink shows its URL once; an empty link text shows only the URL. */
	d = render("<https://example.org> and [](http://x.y)", 78);
	assert_line(&d, 0, "https://example.org and http://x.y");
	assert_true(styled(&d, "https://example.org", MD_LINK));
	assert_true(styled(&d, "http://x.y", MD_LINK));
	md_doc_free(&d);

	d = render("![a cat](cat.png) ![](dog.png)", 78);
	assert_line(&d, 0, "[image: a cat] (cat.png) [image] (dog.png)");
	assert_int_equal(span_style(&d, "cat.png"), MD_LINK);
	md_doc_free(&d);

	/* A long URL is broken to fit, never overflows. */
	d = render("[x](https://example.org/a/very/long/path/that/cannot/fit/in/twenty)", 20);
	assert_true(d.n >= 3);
	md_doc_free(&d);
}

static void
test_headings_and_paragraphs(void **state)
{
	struct md_doc	 d = render("# Title\n\nfirst paragraph\nsame paragraph\n\n## Sub\n"
	    "second\n\n---\n", 30);
	char		*t = doc_text(&d);

	(void)state;
	assert_string_equal(t,
	    "Title\n\nfirst paragraph same paragraph\n\nSub\n\nsecond\n\n"
	    "──────────────────────────────\n");
	free(t);
	assert_true(styled(&d, "Title", MD_HEADING));
	assert_true(styled(&d, "Sub", MD_HEADING));
	assert_false(styled(&d, "second", MD_HEADING));
	assert_true(styled(&d, "─", MD_MARKER));
	md_doc_free(&d);

	/* A hard line break. */
	d = render("one  \ntwo\\\nthree", 30);
	t = doc_text(&d);
	assert_string_equal(t, "one\ntwo\nthree\n");
	free(t);
	md_doc_free(&d);

	d = render("", 30);
	assert_int_equal(d.n, 0);
	md_doc_free(&d);
	d = render("   \n\n  \n", 30);
	assert_int_equal(d.n, 0);
	md_doc_free(&d);
}

static void
test_raw_html_is_text(void **state)
{
	struct md_doc	 d = render("<script>alert(1)</script>\n\nsay <b>hi</b> & <img src=x onerror=y>", 78);
	char		*t = doc_text(&d);

	(void)state;
	assert_string_equal(t, "<script>alert(1)</script>\n\nsay <b>hi</b> & <img src=x onerror=y>\n");
	free(t);
	md_doc_free(&d);
}

static void
test_wrap_by_display_width(void **state)
{
	struct md_doc	 d;
	char		*t;
	size_t		 i;

	(void)state;
	d = render("aaa bbb ccc ddd", 10);
	t = doc_text(&d);
	assert_string_equal(t, "aaa bbb\nccc ddd\n");
	free(t);
	md_doc_free(&d);

	/* Wide characters count two columns: five per line at width 10. */
	d = render("日本語日本語日本語日本語", 10);
	t = doc_text(&d);
	assert_string_equal(t, "日本語日本\n語日本語日\n本語\n");
	free(t);
	md_doc_free(&d);

	/* Width 11 leaves one column: a wide character never straddles the edge. */
	d = render("日本語日本語日本語", 11);
	for (i = 0; i < d.n; i++) {
		t = line_text(&d, i);
		assert_true(utf8_width(t) <= 10);
		free(t);
	}
	md_doc_free(&d);

	d = render("emoji 😀😀😀 fit 😀😀", 10);
	t = doc_text(&d);
	assert_string_equal(t, "emoji\n😀😀😀 fit\n😀😀\n");
	free(t);
	md_doc_free(&d);

	/* A word longer than the width is hard-broken. */
	d = render("x abcdefghijklmnopqrstuvwxyz y", 10);
	t = doc_text(&d);
	assert_string_equal(t, "x\nabcdefghij\nklmnopqrst\nuvwxyz y\n");
	free(t);
	md_doc_free(&d);

	/* Narrower than 10 is treated as 10. */
	d = render("aaa bbb ccc ddd", 3);
	assert_int_equal(d.n, 2);
	md_doc_free(&d);
}

static void
test_escapes_are_sanitized(void **state)
{
	static const char *const inputs[] = {
		"red \x1b[31mALERT\x1b[0m text",
		"title \x1b]0;owned\x07 osc",
		"csi \xc2\x9b" "2J c1",
		"entity &#27;[2J and &#x9b;31m and &#x1b;]0;x&#7;",
		"`code \x1b[31m`",
		"```\n\x1b[2Jblock\x1b]8;;http://x\x1b\\\n```",
		"[link](http://x/\x1b[31m) <span>\x1b[1m</span>",
		"> quote \x1b[5m blink\n- item \x1b[7m",
		"bidi \xe2\x80\xae" "evil \xe2\x80\x8b" "zw",
		"bad utf8 \xff\xfe \xc0\xaf",
		"cr\rlf",
		NULL
	};
	struct md_doc	 d;
	size_t		 i;
	char		*t;

	(void)state;
	for (i = 0; inputs[i] != NULL; i++) {
		d = render(inputs[i], 40);	/* render() checks every span */
		t = doc_text(&d);
		assert_null(strchr(t, '\x1b'));
		assert_null(strstr(t, "\xe2\x80\xae"));
		free(t);
		md_doc_free(&d);
	}
	/* The text around an escape survives; only the introducer is replaced. */
	d = render("red \x1b[31mALERT", 40);
	t = doc_text(&d);
	assert_string_equal(t, "red \xef\xbf\xbd[31mALERT\n");
	free(t);
	md_doc_free(&d);
}

static void
test_hashtags_and_mentions(void **state)
{
	struct md_doc d = render("I like #linux and #c_lang, ask @bob or @carol-2.", 78);

	(void)state;
	assert_int_equal(span_style(&d, "#linux"), MD_HASHTAG);
	assert_int_equal(span_style(&d, "#c_lang"), MD_HASHTAG);
	assert_int_equal(span_style(&d, "@bob"), MD_MENTION);
	assert_int_equal(span_style(&d, "@carol-2"), MD_MENTION);
	md_doc_free(&d);

	/* Not tags: inside words, addresses, numbers, too short or too long names, code, URLs. */
	d = render("mail a@b.com, C# and issue #42 or @x or "
	    "@abcdefghijklmnopqrstuvwxyzabcdefg `#code @code` http://h/#frag @9lives "
	    "@bob@example.org", 200);
	assert_false(styled(&d, "", MD_HASHTAG));
	assert_false(styled(&d, "", MD_MENTION));
	md_doc_free(&d);

	/* Tags keep the surrounding style and mark only the tag. */
	d = render("**#bold** (#paren) @bob's", 78);
	assert_int_equal(span_style(&d, "#bold"), MD_BOLD | MD_HASHTAG);
	assert_int_equal(span_style(&d, "#paren"), MD_HASHTAG);
	assert_int_equal(span_style(&d, "@bob"), MD_MENTION);
	assert_true(has_span(&d, "'s"));
	md_doc_free(&d);

	/* In a quote and across a soft line break. */
	d = render("> #quoted\nnext line @alice", 78);
	assert_int_equal(span_style(&d, "#quoted"), MD_QUOTE | MD_HASHTAG);
	assert_int_equal(span_style(&d, "@alice"), MD_QUOTE | MD_MENTION);
	md_doc_free(&d);
}

static void
test_deep_nesting(void **state)
{
	static const char *const units[] = { "> ", "[", "- ", "1. ", "*", "**a ", "![", "<", "a`", "<a " };
	struct buf	 b = BUF_INIT;
	struct md_doc	 d;
	size_t		 i, k;
	char		*t;

	(void)state;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		buf_reset(&b);
		for (k = 0; k < 20000; k++)
			buf_adds(&b, units[i]);
		buf_adds(&b, " deep");
		d = render(b.buf, 40);
		assert_true(d.n > 0);
		t = doc_text(&d);
		assert_non_null(strstr(t, "deep"));
		free(t);
		md_doc_free(&d);
		/* At the minimum width too. */
		d = render(b.buf, 10);
		md_doc_free(&d);
	}
	/* 40 nested quotes, each with text: the prefix stops growing, the text stays. */
	buf_reset(&b);
	for (k = 1; k <= 40; k++) {
		for (i = 0; i < k; i++)
			buf_adds(&b, "> ");
		buf_addf(&b, "level%zu\n", k);
	}
	d = render(b.buf, 20);
	t = doc_text(&d);
	assert_non_null(strstr(t, "level1\n"));
	assert_non_null(strstr(t, "level40"));
	free(t);
	md_doc_free(&d);
	buf_release(&b);
}

static void
test_huge_input(void **state)
{
	struct buf	 b = BUF_INIT;
	struct md_doc	 d;
	char		*t;

	(void)state;
	while (b.len < 100 * 1024)
		buf_adds(&b, "**word** #tag 日本 \x1b[31m [x](y) > ");
	buf_adds(&b, "\n\nTHE END");
	d = render(b.buf, 78);
	assert_true(d.n > 100);
	t = doc_text(&d);
	/* Over 64 KB: shown flattened, as plain text, markdown not interpreted. */
	assert_non_null(strstr(t, "**word**"));
	assert_non_null(strstr(t, "THE END"));
	free(t);
	assert_true(styled(&d, "#tag", MD_HASHTAG));
	md_doc_free(&d);
	buf_release(&b);
}

static void
test_line_text(void **state)
{
	struct md_doc	 d = render("a **b** `c`", 20);
	char		*t;

	(void)state;
	assert_int_equal(d.n, 1);
	assert_int_equal(d.lines[0].n, 4);	/* "a ", "b", " ", "c" */
	t = md_line_text(&d.lines[0]);
	assert_string_equal(t, "a b c");
	free(t);
	md_doc_free(&d);
	md_doc_free(&d);	/* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emphasis_strong_code),
		cmocka_unit_test(test_code_block),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_links_and_images),
		cmocka_unit_test(test_headings_and_paragraphs),
		cmocka_unit_test(test_raw_html_is_text),
		cmocka_unit_test(test_wrap_by_display_width),
		cmocka_unit_test(test_escapes_are_sanitized),
		cmocka_unit_test(test_hashtags_and_mentions),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_input),
		cmocka_unit_test(test_line_text),
	};

	if (!utf8_locale_init())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
