/*
 * What a user's text does once it reaches SQLite: the search box (users and
 * posts, through the FTS5 query builder), `profile set FIELD VALUE` and a
 * post's text (hashtags indexed, @mentions notified), on a real store on
 * ":memory:" with a few people and posts made once. The first byte picks the
 * profile field, the rest is the text. A search is never an error (the
 * header promises no query is), the query built is only quoted prefixes, a
 * refusal is ERR_INVALID with a reason, and nothing leaves the store
 * different for the next input: the post is deleted again.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "common/log.h"
#include "common/sanitize.h"
#include "storage/posts.h"
#include "storage/social-int.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tests/fuzz/fuzz.h"

/* Binary seeds (the first byte is the field), so their lengths are given too. */
#define SEEDS(X) \
	X("\0alice") X("\1bob the builder") X("\2#linux rust") \
	X("\3\"quoted\" NEAR(a b) OR x* -y ^z") X("\4col:umn AND (") X("\5Zoë 日本 e\xcc\x81") \
	X("\6al bo ca da ed fr gr he ij ka") X("\7@alice @bob hello #tag") \
	X("\10\xe2\x80\xae\xe2\x80\x8b zw") X("\11a,b, c d-e_f #G")
#define AS_STRING(s)	s,
#define AS_SIZE(s)	sizeof(s) - 1,

const char *const fuzz_seeds[] = { SEEDS(AS_STRING) NULL };
const size_t fuzz_seed_lens[] = { SEEDS(AS_SIZE) 0 };

static const char *const fields[] = { "name", "bio", "location", "job", "tags", "privacy", "nope", "" };

static struct store	*st;
static int64_t		 alice, bob, carol;

static int64_t
make_user(const char *name, const char *display, unsigned char k)
{
	/* An ed25519 key line of fixed bytes: the same store every run. */
	unsigned char	 blob[4 + 11 + 4 + 32] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd',
	    '2', '5', '5', '1', '9', 0, 0, 0, 32 };
	char		 b64[128], line[256], why[256];
	struct signup	 su = { .username = name, .display_name = display };
	int64_t		 id;

	memset(blob + 19, k, 32);
	sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, sizeof line, "ssh-ed25519 %s fuzz", b64);
	su.key_line = line;
	if (store_user_create(st, &su, &id, why, sizeof why) != 0)
		abort();
	return id;
}

static void
teardown(void)
{
	store_close(st);
	st = NULL;
}

static void
setup(void)
{
	static const char *const posts[] = {
		"hello #linux world", "rust and C, #c #rust", "Zoë's café in 日本 #travel",
		"\"quoted\" text with NEAR and OR", "@bob look at this",
	};
	char	why[256];
	int64_t	id;
	size_t	i;
	bool	n;

	log_open("fuzz_search", LOG_TO_NONE, NULL, LOG_LVL_ERROR);
	if (sodium_init() < 0 || store_open(":memory:", &st) != 0)
		abort();
	alice = make_user("alice", "Alice Liddell", 1);
	bob = make_user("bob", "Bob the Builder", 2);
	carol = make_user("carol", "Carol", 3);
	atexit(teardown);
	if (store_profile_set(st, alice, "bio", "curious about #linux and rabbits", why, sizeof why) ||
	    store_profile_set(st, alice, "tags", "linux, travel", why, sizeof why) ||
	    store_friend_request(st, alice, bob, &n, why, sizeof why) ||
	    store_friend_accept(st, bob, alice, &n, why, sizeof why))
		abort();
	for (i = 0; i < sizeof posts / sizeof posts[0]; i++)
		if (store_post_create(st, i % 2 ? bob : alice, posts[i], VIS_PUBLIC, &id, NULL, NULL,
		    why, sizeof why) != 0)
			abort();
}

/* The query built: at most SEARCH_WORDS_MAX of "word"* joined by spaces, no quote inside a word. */
static void
check_query(const char *text)
{
	char	*q = malloc(SEARCH_QUERY_MAX);	/* exactly what the header asks for */
	size_t	 words = search_query_build(text, q), seen = 0, i = 0, w;

	FUZZ_CHECK(words <= SEARCH_WORDS_MAX);
	while (q[i] != '\0') {
		if (seen > 0)
			FUZZ_CHECK(q[i++] == ' ');
		FUZZ_CHECK(q[i++] == '"');
		for (w = 0; q[i] != '"' && q[i] != '\0'; i++)
			w++;
		FUZZ_CHECK(w >= 1 && w <= SEARCH_WORD_MAX);
		FUZZ_CHECK(q[i++] == '"' && q[i++] == '*');
		seen++;
	}
	FUZZ_CHECK(seen == words);
	free(q);
}

static void
check_search(const char *text)
{
	struct user_hits	hits;
	struct post_page	page;
	size_t			i;

	FUZZ_CHECK(store_search_users(st, carol, text, NULL, 5, &hits) == 0);
	for (i = 0; i < hits.n; i++)
		FUZZ_CHECK(hits.v[i].id == alice || hits.v[i].id == bob || hits.v[i].id == carol);
	if (hits.next.set) {
		struct search_cursor after = hits.next;

		user_hits_free(&hits);
		FUZZ_CHECK(store_search_users(st, carol, text, &after, 5, &hits) == 0);
	}
	user_hits_free(&hits);
	FUZZ_CHECK(store_search_posts(st, carol, text, NULL, 5, &page) == 0);
	post_page_free(&page);
}

static void
check_profile(const char *field, const char *value)
{
	char	why[256] = "";
	int	r = store_profile_set(st, carol, field, value, why, sizeof why);

	FUZZ_CHECK(r == 0 || r == ERR_INVALID);
	if (r != 0)
		FUZZ_CHECK(why[0] != '\0' && strchr(why, '\n') == NULL && sanitize_is_clean(why));
}

static void
check_post(const char *text)
{
	char	 why[256] = "";
	int64_t	 id, *mentioned = NULL;
	size_t	 nmentioned = 0, i;
	int	 r;

	r = store_post_create(st, carol, text, VIS_PUBLIC, &id, &mentioned, &nmentioned, why,
	    sizeof why);
	FUZZ_CHECK(r == 0 || r == ERR_INVALID);
	if (r != 0) {
		FUZZ_CHECK(why[0] != '\0' && strchr(why, '\n') == NULL && sanitize_is_clean(why));
		FUZZ_CHECK(mentioned == NULL && nmentioned == 0);
		return;
	}
	for (i = 0; i < nmentioned; i++)
		FUZZ_CHECK(mentioned[i] == alice || mentioned[i] == bob);
	free(mentioned);
	FUZZ_CHECK(store_post_delete(st, carol, id) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*field;
	char		*s;

	if (size == 0 || size > 4096)
		return 0;
	if (st == NULL)
		setup();
	field = fields[data[0] % (sizeof fields / sizeof fields[0])];
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	check_query(s);
	check_search(s);
	check_profile(field, s);
	check_post(s);
	free(s);
	return 0;
}
