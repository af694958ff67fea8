/*
 * The validators of what people type at sign-up and in their profile and
 * posts, on any bytes: usernames, display names, passwords, the names of
 * privacy, visibility and reactions, tags, post text, and the #tags and
 * @names taken out of a post. What each accepts must have the shape its
 * header promises; every refusal says why on one terminal-safe line (the
 * reason is shown to the person who typed the input, which may be hostile).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/sanitize.h"
#include "common/utf8.h"
#include "storage/posts-int.h"
#include "storage/posts.h"
#include "storage/social-int.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {
	"alice", "Alice", "a", "root", "ROOT", "al_ice-99", "9lives", "zoë",
	"Zoë Ünïcode", "   ", "\xe2\x80\x8b\xe2\x80\xae", "\xe3\x85\xa4", "tab\there", "correct horse battery",
	"love", "<3", ">:(", "\xe2\x9d\xa4", "\xf0\x9f\x98\x82", "public", "friends", "Private",
	"#linux, #C_lang rust-lang ##x #123 #a-b", "hi @bob and @Carol, not me@example.com @@x @9",
	"#\xc3\xa9t\xc3\xa9 #ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij", "line\nnext\n\n", NULL
};

/* A refusal's reason: said, on one line, safe to print back to whoever typed the input. */
static void
check_why(int r, const char *why)
{
	if (r == 0)
		return;
	FUZZ_CHECK(r == ERR_INVALID);
	FUZZ_CHECK(why[0] != '\0' && strchr(why, '\n') == NULL && sanitize_is_clean(why));
}

/* Valid UTF-8 without C0 controls (but newline and tab when multiline), DEL or C1 controls. */
static bool
no_controls(const char *s, bool multiline)
{
	size_t		len = strlen(s), i = 0, n;
	uint32_t	cp;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return false;
		if ((cp < 0x20 && !(multiline && (cp == '\n' || cp == '\t'))) || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f))
			return false;
		i += n;
	}
	return true;
}

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void
check_username(const char *s)
{
	char	why[160];
	size_t	i, n = strlen(s);
	int	r = username_check(s, why, sizeof why);

	check_why(r, why);
	if (r != 0)
		return;
	FUZZ_CHECK(n >= 2 && n <= USERNAME_MAX && s[0] >= 'a' && s[0] <= 'z');
	for (i = 0; i < n; i++)
		FUZZ_CHECK(name_char(s[i]));
	FUZZ_CHECK(!username_reserved(s));
}

static void
check_texts(const char *s)
{
	char	why[160];
	int	r;

	r = display_name_check(s, why, sizeof why);
	check_why(r, why);
	if (r == 0)
		FUZZ_CHECK(s[0] != '\0' && utf8_count(s) <= DISPLAY_NAME_MAX &&
		    no_controls(s, false));

	r = password_check(s, why, sizeof why);
	check_why(r, why);
	if (r == 0)
		FUZZ_CHECK(strlen(s) >= PASSWORD_MIN && strlen(s) <= PASSWORD_MAX &&
		    no_controls(s, false));

	r = post_text_check(s, 1, 5000, "post", why, sizeof why);
	check_why(r, why);
	if (r == 0)
		FUZZ_CHECK(utf8_count(s) >= 1 && utf8_count(s) <= 5000 && no_controls(s, true));

	r = text_check(s, 0, 100, TEXT_SINGLE_LINE, why, sizeof why);
	check_why(r, why);
	if (r == 0)
		FUZZ_CHECK(utf8_count(s) <= 100 && no_controls(s, false));
}

static void
check_names(const char *s)
{
	enum reaction	re;
	enum visibility	vis;
	enum privacy	pv;

	if (reaction_parse(s, &re) == 0) {
		FUZZ_CHECK(re >= 0 && re < REACT_COUNT);
		FUZZ_CHECK(reaction_parse(reaction_name(re), &re) == 0);
	}
	if (visibility_parse(s, &vis) == 0)
		FUZZ_CHECK(visibility_parse(visibility_name(vis), &vis) == 0);
	if (privacy_parse(s, &pv) == 0)
		FUZZ_CHECK(privacy_parse(privacy_name(pv), &pv) == 0);
}

static void
check_tags(const char *s, size_t size)
{
	char	tag[TAG_MAX + 1], why[160];
	size_t	i;
	int	r;

	r = tag_normalize(s, size, tag, why, sizeof why);
	check_why(r, why);
	if (r == 0) {
		FUZZ_CHECK(tag[0] != '\0' && strlen(tag) <= TAG_MAX);
		for (i = 0; tag[i]; i++)
			FUZZ_CHECK(name_char(tag[i]));
	}
	r = tags_check(s, why, sizeof why);
	check_why(r, why);
}

static void
check_extracted(const char *s)
{
	char	tags[POST_TAGS_MAX][TAG_MAX + 1];
	char	names[POST_MENTIONS_MAX][USERNAME_MAX + 1];
	size_t	n, i, j;

	n = post_hashtags(s, tags, POST_TAGS_MAX);
	FUZZ_CHECK(n <= POST_TAGS_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(tags[i][0] != '\0' && strlen(tags[i]) <= TAG_MAX);
		for (j = 0; tags[i][j]; j++)
			FUZZ_CHECK(name_char(tags[i][j]));
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(tags[i], tags[j]) != 0);
	}
	n = post_mention_names(s, names, POST_MENTIONS_MAX);
	FUZZ_CHECK(n <= POST_MENTIONS_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(username_check(names[i], NULL, 0) == 0 || username_reserved(names[i]));
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(names[i], names[j]) != 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 8192)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';	/* what a C caller sees: up to the first NUL */
	check_username(s);
	check_texts(s);
	check_names(s);
	check_tags(s, strlen(s));
	check_extracted(s);
	free(s);
	return 0;
}
