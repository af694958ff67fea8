/*
 * End to end: the per-user write rate limit (PRODUCT.md "a per-user rate
 * limit on writes"). This binary's server allows a burst of 5 writes that
 * refills at 1 a minute, so the 6th write within a test is refused however
 * slow the machine is: over exec with a one-line message and exit status 1,
 * in the TUI on the status line, and in both cases nothing is stored. Other
 * users keep their own budget; taking things back is never limited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

#define TXT_RATE	"too many changes in a short time: wait a minute and try again"
#define LIKE		"\xf0\x9f\x91\x8d"	/* 👍 */

static int
limits_teardown(void **state)
{
	exec_result_free(&last);
	return e2e_teardown(state);
}

/* Post over exec and return the new id (0 when it failed). */
static long long
post_id(struct person *p, const char *text)
{
	if (!run_as(p, 0, "post %s", quote(text)))
		return 0;
	return strtoll(last.out, NULL, 10);
}

/*
 * alice writes 5 posts; the 6th post, a comment and a like are refused with
 * the same clear line and exit 1, and her timeline still has 5 posts. bob's
 * budget is his own: he comments on her post. Deleting is not limited.
 */
static void
exec_writes_past_the_burst(void **state)
{
	struct person	a, b;
	long long	first = 0, id;
	int		n;

	(void)state;
	assert_true(person_new_offline(&a, "hasty", "Hasty Alice"));
	assert_true(person_new_offline(&b, "calm", "Calm Bob"));
	for (int i = 0; i < 5; i++) {
		char text[32];

		snprintf(text, sizeof text, "burst post %d", i + 1);
		assert_true((id = post_id(&a, text)) > 0);
		if (first == 0)
			first = id;
	}
	assert_false(run_as(&a, 0, "post %s", quote("one too many")));
	assert_int_equal(last.status, 1);
	assert_true(last_failed_cleanly());
	assert_non_null(strstr(last.err, TXT_RATE));
	assert_true(run_as(&a, 1, "comment %lld %s", first, quote("refused too")));
	assert_non_null(strstr(last.err, TXT_RATE));
	assert_true(run_as(&a, 1, "like %lld", first));
	assert_non_null(strstr(last.err, TXT_RATE));

	assert_true(run_as(&a, 0, "show %lld --json", first));
	assert_non_null(strstr(last.out, "\"comments\":0"));
	assert_non_null(strstr(last.out, "\"likes\":0"));

	assert_true(run_as(&b, 0, "comment %lld %s", first, quote("bob has his own budget")));
	assert_true(run_as(&a, 0, "delete %lld", first));
	n = run_quiet(&a, "show %lld", first);
	assert_int_equal(n, 2);
}

/*
 * bob has spent his burst (5 friend requests); on his Home he presses l on
 * alice's post: the status line says why, and the post keeps 0 likes, on
 * his screen and over exec.
 */
static void
tui_write_past_the_burst(void **state)
{
	struct person	a, b, others[5];
	long long	id;

	(void)state;
	assert_true(person_new_offline(&a, "poster", "Poster Alice"));
	assert_true(person_new(&b, "liker", "Liker Bob"));
	assert_true(make_friends(&a, &b));	/* alice's request: her write, not his */
	for (int i = 0; i < 4; i++) {
		assert_true(person_new_offline(&others[i], "asked", "Asked"));
		assert_true(run_as(&b, 0, "friend add %s", others[i].name));
	}
	assert_true(run_as(&b, 0, "post %s", quote("bob's fifth write")));
	assert_true(run_as(&b, 1, "post %s", quote("bob's sixth write")));
	assert_true((id = post_id(&a, "like me if you can")) > 0);
	/* his own post is on his Home: alice's is announced, and R shows and selects it */
	assert_true(term_wait_row(b.t, 1, "1 new: press R to show it", 0));
	term_send(b.t, "R");
	assert_true(term_wait_selected(b.t, "like me if you can"));
	term_send(b.t, "l");
	assert_true(term_wait_text(b.t, "cannot react: " TXT_RATE, 0));
	assert_true(absent(b.t, "(you: "));
	assert_true(run_as(&a, 0, "show %lld --json", id));
	assert_non_null(strstr(last.out, "\"likes\":0"));
	assert_true(term_quit(b.t));
	b.t = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(exec_writes_past_the_burst, limits_teardown),
		cmocka_unit_test_teardown(tui_write_past_the_burst, limits_teardown),
	};

	e2e_server_config = "write_burst = 5\nwrite_per_minute = 1\n";
	return cmocka_run_group_tests_name("e2e write limit", tests, e2e_group_setup,
	    e2e_group_teardown);
}
