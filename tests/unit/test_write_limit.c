/*
 * The per-user write rate limit (store_set_write_limit, storage/budget.c): a
 * bucket of writes that refills over time, spent by the writes other people
 * see, refusing with ERR_RATE and storing nothing when empty. The budget's
 * clock is held still here (write_clock_ms) and moved by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/messages.h"
#include "storage/posts.h"
#include "storage/social.h"
#include "storage/store-int.h"
#include "storage/store.h"
#include "tests/unit/storefix.h"

#define T0	1800000000000LL	/* the budget's clock, ms */

static int64_t
post(struct store *st, int64_t author, const char *text, int *rp)
{
	int64_t	id = 0;
	char	why[256];

	*rp = store_post_create(st, author, text, VIS_PUBLIC, &id, NULL, NULL, why, sizeof why);
	if (*rp == ERR_RATE)
		assert_non_null(strstr(why, "too many changes"));
	return id;
}

static int64_t
posts_by(struct store *st, int64_t user)
{
	return storefix_sql_intf(st, "SELECT count(*) FROM posts WHERE author_id = %lld",
	    (long long)user);
}

/* store_open sets no limit: a hundred posts in the same millisecond go through. */
static void
no_limit_by_default(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "unlimited", NULL);
	int		 r;

	st->write_clock_ms = T0;
	for (int i = 0; i < 100; i++) {
		post(st, a, "again", &r);
		assert_int_equal(r, 0);
	}
	assert_int_equal(posts_by(st, a), 100);
}

/*
 * A burst of 3 at 60 a minute: the 4th post is refused and not stored; a
 * second later one more goes; after a minute the bucket is full again (3,
 * not 60: it never holds more than the burst).
 */
static void
burst_then_refill(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "writer", NULL);
	int		 r;

	store_set_write_limit(st, 3, 60);
	st->write_clock_ms = T0;
	for (int i = 0; i < 3; i++) {
		post(st, a, "in the burst", &r);
		assert_int_equal(r, 0);
	}
	assert_int_equal(post(st, a, "one too many", &r), 0);
	assert_int_equal(r, ERR_RATE);
	assert_int_equal(posts_by(st, a), 3);
	assert_int_equal(err_exit_status(ERR_RATE), 1);

	st->write_clock_ms = T0 + 999;
	post(st, a, "not yet", &r);
	assert_int_equal(r, ERR_RATE);
	st->write_clock_ms = T0 + 1000;
	post(st, a, "a second later", &r);
	assert_int_equal(r, 0);
	post(st, a, "and no more", &r);
	assert_int_equal(r, ERR_RATE);

	st->write_clock_ms = T0 + 3600 * 1000;
	for (int i = 0; i < 3; i++) {
		post(st, a, "a full bucket", &r);
		assert_int_equal(r, 0);
	}
	post(st, a, "past the burst", &r);
	assert_int_equal(r, ERR_RATE);
	assert_int_equal(posts_by(st, a), 7);
}

/*
 * Every write others see spends from the same bucket and is refused when it
 * is empty; deletes, accepting a request and reading are not limited.
 */
static void
every_kind_of_write(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "busy", NULL), b = storefix_user(st, "friendb", NULL);
	int64_t		 c = storefix_user(st, "strangerc", NULL), p, q, id, comment, msg, author;
	bool		 req, notified;
	char		 why[256];
	int		 r;

	storefix_befriend(st, a, b);
	p = post(st, b, "bob's post", &r);
	assert_int_equal(r, 0);
	q = post(st, a, "alice's own", &r);
	assert_int_equal(r, 0);
	assert_int_equal(store_comment_add(st, a, p, "a comment", &comment, &author, why,
	    sizeof why), 0);
	assert_int_equal(store_message_send(st, a, b, "hi", &msg, &req, why, sizeof why), 0);

	/* empty the bucket: a burst of 1 spent on a reaction */
	store_set_write_limit(st, 1, 1);
	st->write_clock_ms = T0;
	assert_int_equal(store_react(st, a, p, REACT_LIKE, &author), 0);

	assert_int_equal(store_react(st, a, p, REACT_LOVE, &author), ERR_RATE);
	assert_int_equal(store_comment_add(st, a, p, "more", &id, &author, why, sizeof why),
	    ERR_RATE);
	assert_non_null(strstr(why, "too many changes"));
	assert_int_equal(store_comment_edit(st, a, comment, "edited", why, sizeof why), ERR_RATE);
	assert_int_equal(store_share(st, a, p, "look", VIS_PUBLIC, &id, &author, why, sizeof why),
	    ERR_RATE);
	assert_int_equal(store_post_edit(st, a, q, "edited", NULL, NULL, why, sizeof why),
	    ERR_RATE);
	assert_int_equal(store_message_send(st, a, b, "again", &id, &req, why, sizeof why),
	    ERR_RATE);
	assert_int_equal(store_message_edit(st, a, msg, "edited", &author, why, sizeof why),
	    ERR_RATE);
	assert_int_equal(store_friend_request(st, a, c, &notified, why, sizeof why), ERR_RATE);
	/* nothing of it stored */
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM comments WHERE post_id = %lld",
	    (long long)p), 1);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM posts WHERE shared_from = "
	    "%lld", (long long)p), 0);
	assert_int_equal(storefix_sql_intf(st, "SELECT kind FROM reactions WHERE post_id = %lld",
	    (long long)p), REACT_LIKE);
	assert_int_equal(storefix_sql_intf(st, "SELECT count(*) FROM friend_requests WHERE "
	    "from_id = %lld", (long long)a), 0);

	/* not limited: taking things back and reading */
	assert_int_equal(store_message_delete(st, a, msg, &author), 0);
	assert_int_equal(store_comment_delete(st, a, comment), 0);
	assert_int_equal(store_unreact(st, a, p), 0);
	assert_int_equal(store_post_delete(st, a, q), 0);

	/* b has a bucket of her own */
	assert_int_equal(store_react(st, b, p, REACT_LIKE, &author), 0);
}

/* A write refused for another reason gives its token back. */
static void
refused_write_costs_nothing(void **state)
{
	struct store	*st = *state;
	int64_t		 a = storefix_user(st, "careful", NULL), id, author;
	char		 why[256];
	int		 r;

	store_set_write_limit(st, 1, 1);
	st->write_clock_ms = T0;
	assert_int_equal(store_comment_add(st, a, 999999, "on nothing", &id, &author, why,
	    sizeof why), ERR_NOTFOUND);
	assert_int_equal(store_react(st, a, 999999, REACT_LIKE, &author), ERR_NOTFOUND);
	post(st, a, "still allowed", &r);
	assert_int_equal(r, 0);
	post(st, a, "now the bucket is empty", &r);
	assert_int_equal(r, ERR_RATE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(no_limit_by_default, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test_setup_teardown(burst_then_refill, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test_setup_teardown(every_kind_of_write, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test_setup_teardown(refused_write_costs_nothing, storefix_setup,
		    storefix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
