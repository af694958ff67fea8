/* The exec command-line splitter: words, quotes, escapes, and what it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cmdline.h"
#include "common/err.h"

/* Split s and compare with the expected words (a NULL-terminated list). */
static void
expect_words(const char *s, const char *const *want)
{
	struct cmdline	 cl;
	char		 why[128];
	int		 i, n = 0;

	while (want[n] != NULL)
		n++;
	assert_int_equal(cmdline_split(s, strlen(s), &cl, why, sizeof why), 0);
	assert_int_equal(cl.argc, n);
	for (i = 0; i < n; i++)
		assert_string_equal(cl.argv[i], want[i]);
	if (n > 0)
		assert_null(cl.argv[n]);
	cmdline_free(&cl);
	assert_null(cl.argv);
	assert_int_equal(cl.argc, 0);
}

/* Split s expecting a refusal whose reason contains `part`. */
static void
expect_error(const char *s, size_t len, const char *part)
{
	struct cmdline	 cl;
	char		 why[128] = "";

	assert_int_equal(cmdline_split(s, len, &cl, why, sizeof why), ERR_INVALID);
	assert_null(cl.argv);
	assert_int_equal(cl.argc, 0);
	assert_non_null(strstr(why, part));
	assert_null(strchr(why, '\n'));
}

static void
test_plain_words(void **state)
{
	(void)state;
	expect_words("whoami", (const char *[]){ "whoami", NULL });
	expect_words("post hello world",
	    (const char *[]){ "post", "hello", "world", NULL });
	/* Runs of blanks, leading and trailing blanks, tabs and newlines. */
	expect_words("  feed \t --limit\n 5  ",
	    (const char *[]){ "feed", "--limit", "5", NULL });
}

static void
test_empty_and_blank(void **state)
{
	(void)state;
	expect_words("", (const char *[]){ NULL });
	expect_words("   \t\n ", (const char *[]){ NULL });
	/* An empty quoted string is still a word. */
	expect_words("post ''", (const char *[]){ "post", "", NULL });
	expect_words("\"\"", (const char *[]){ "", NULL });
	expect_words("a '' b", (const char *[]){ "a", "", "b", NULL });
}

static void
test_single_quotes(void **state)
{
	(void)state;
	expect_words("post 'hello world'",
	    (const char *[]){ "post", "hello world", NULL });
	/* Nothing is special inside single quotes, not even a backslash. */
	expect_words("'a\\b \"c\" $HOME `x`'",
	    (const char *[]){ "a\\b \"c\" $HOME `x`", NULL });
	expect_words("'line one\nline two'",
	    (const char *[]){ "line one\nline two", NULL });
}

static void
test_double_quotes(void **state)
{
	(void)state;
	expect_words("dm bob \"hi there\"",
	    (const char *[]){ "dm", "bob", "hi there", NULL });
	/* The escapes that work in double quotes. */
	expect_words("\"a\\\"b\\\\c\\$d\\`e\"",
	    (const char *[]){ "a\"b\\c$d`e", NULL });
	/* Before any other character the backslash stays. */
	expect_words("\"a\\nb\\'c\"", (const char *[]){ "a\\nb\\'c", NULL });
	/* Backslash-newline inside double quotes disappears. */
	expect_words("\"ab\\\ncd\"", (const char *[]){ "abcd", NULL });
	/* No expansion of any kind. */
	expect_words("\"$HOME\" * ~ $(id) ;",
	    (const char *[]){ "$HOME", "*", "~", "$(id)", ";", NULL });
	expect_words("'it'\"'\"'s'", (const char *[]){ "it's", NULL });
}

static void
test_backslash_escapes(void **state)
{
	(void)state;
	expect_words("a\\ b", (const char *[]){ "a b", NULL });
	expect_words("\\'x\\\"", (const char *[]){ "'x\"", NULL });
	expect_words("\\\\", (const char *[]){ "\\", NULL });
	/* Continuation: backslash-newline joins, and alone makes no word. */
	expect_words("ab\\\ncd", (const char *[]){ "abcd", NULL });
	expect_words("a \\\n b", (const char *[]){ "a", "b", NULL });
	expect_words("\\\n", (const char *[]){ NULL });
}

static void
test_quotes_join_neighbours(void **state)
{
	(void)state;
	expect_words("a'b'\"c\"d", (const char *[]){ "abcd", NULL });
	expect_words("--visibility=\"friends only\"",
	    (const char *[]){ "--visibility=friends only", NULL });
}

static void
test_utf8_passes_through(void **state)
{
	(void)state;
	expect_words("post 'héllo 日本 😀'",
	    (const char *[]){ "post", "héllo 日本 😀", NULL });
}

static void
test_unbalanced(void **state)
{
	(void)state;
	expect_error("post 'hello", 11, "unbalanced single quote");
	expect_error("post \"hello", 11, "unbalanced double quote");
	expect_error("'", 1, "unbalanced single quote");
	expect_error("\"a\\\"", 4, "unbalanced double quote");
	expect_error("post hello\\", 11, "ends with a backslash");
}

static void
test_nul_byte(void **state)
{
	(void)state;
	expect_error("ab\0cd", 5, "NUL");
	expect_error("'ab\0cd'", 7, "NUL");
	expect_error("\"ab\0cd\"", 7, "NUL");
	expect_error("ab\\\0", 4, "NUL");
}

static void
test_too_long(void **state)
{
	char	*s;
	size_t	 n = CMDLINE_MAX_BYTES + 1;

	(void)state;
	s = malloc(n + 1);
	assert_non_null(s);
	memset(s, 'a', n);
	s[n] = '\0';
	expect_error(s, n, "longer than");

	/* Exactly at the limit is fine: one huge word. */
	{
		struct cmdline	cl;

		assert_int_equal(cmdline_split(s, CMDLINE_MAX_BYTES, &cl, NULL, 0), 0);
		assert_int_equal(cl.argc, 1);
		assert_int_equal(strlen(cl.argv[0]), CMDLINE_MAX_BYTES);
		cmdline_free(&cl);
	}
	free(s);
}

static void
test_too_many_words(void **state)
{
	struct cmdline	 cl;
	char		 s[4 * (CMDLINE_MAX_WORDS + 1) + 1];
	size_t		 i;

	(void)state;
	/* 256 words pass, 257 do not. */
	for (i = 0; i < CMDLINE_MAX_WORDS; i++)
		memcpy(s + 2 * i, "a ", 2);
	s[2 * CMDLINE_MAX_WORDS] = '\0';
	assert_int_equal(cmdline_split(s, strlen(s), &cl, NULL, 0), 0);
	assert_int_equal(cl.argc, CMDLINE_MAX_WORDS);
	cmdline_free(&cl);

	memcpy(s + 2 * CMDLINE_MAX_WORDS, "b", 2);
	expect_error(s, strlen(s), "more than 256 words");
	/* Many empty quoted words count too. */
	for (i = 0; i < CMDLINE_MAX_WORDS + 1; i++)
		memcpy(s + 3 * i, "'' ", 3);
	s[3 * (CMDLINE_MAX_WORDS + 1)] = '\0';
	expect_error(s, strlen(s), "more than 256 words");
}

static void
test_free_is_idempotent(void **state)
{
	struct cmdline cl = { NULL, 0 };

	(void)state;
	cmdline_free(&cl);
	cmdline_free(&cl);
	assert_null(cl.argv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_single_quotes),
		cmocka_unit_test(test_double_quotes),
		cmocka_unit_test(test_backslash_escapes),
		cmocka_unit_test(test_quotes_join_neighbours),
		cmocka_unit_test(test_utf8_passes_through),
		cmocka_unit_test(test_unbalanced),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_too_many_words),
		cmocka_unit_test(test_free_is_idempotent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
