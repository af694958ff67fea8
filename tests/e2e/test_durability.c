/*
 * End to end: durability under SIGKILL (issue 10), a handful of kills.
 * tests/e2e/chaos.h has the method: writers over exec and in two TUI
 * sessions write without pause while random processes of the server (exec
 * apps, TUI apps, session children, the worker, the listener itself) are
 * killed with SIGKILL; then every write a client saw acknowledged must be
 * in the database once and whole, the database must pass its integrity
 * checks, and the server must still let a new person in and stop cleanly.
 * `sshbook-bench chaos 300` is the same with hundreds of kills.
 *
 * SSHBOOK_CHAOS_KILLS changes the number of kills (12), SSHBOOK_CHAOS_SEED
 * the schedule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tests/e2e/chaos.h"
#include "tests/e2e/harness.h"

/*
 * 12 kills: two rounds of the schedule, so the listener twice, the worker,
 * a session child and a TUI app twice each and an exec app four times
 * (an exec app or worker not found in time is replaced by a session child).
 */
static void
acknowledged_writes_survive_sigkill(void **state)
{
	struct chaos_opts	opts = { .kills = 12, .exec_writers = 4, .progress = stderr };
	struct chaos_result	res;
	const char		*env = getenv("SSHBOOK_CHAOS_KILLS");
	int			rc;

	(void)state;
	if (env != NULL && atoi(env) > 0)
		opts.kills = atoi(env);
	rc = chaos_run(&opts, &res);
	chaos_print(&res, stdout);
	assert_int_equal(res.kills, opts.kills);
	if (opts.kills >= 12) {
		assert_true(res.by_kind[CHAOS_LISTENER] >= 2);
		assert_true(res.restarts == res.by_kind[CHAOS_LISTENER]);
		for (int k = 0; k < CHAOS_NKINDS; k++)
			if (k != CHAOS_WORKER && k != CHAOS_EXEC_APP)
				assert_true(res.by_kind[k] >= 1);
		assert_true(res.by_kind[CHAOS_WORKER] + res.by_kind[CHAOS_EXEC_APP] >= 1);
	}
	assert_true(res.acked_rows > 0);
	assert_int_equal(res.lost, 0);
	assert_int_equal(res.found, res.acked_rows);
	assert_int_equal(res.duplicates, 0);
	assert_int_equal(res.torn, 0);
	assert_int_equal(res.phantoms, 0);
	assert_int_equal(res.counter_errors, 0);
	assert_int_equal(res.final_errors, 0);
	assert_string_equal(res.integrity, "ok");
	assert_int_equal(res.fk_violations, 0);
	assert_int_equal(res.uploads_ready, res.uploads);
	assert_int_equal(res.media_failed, 0);
	assert_int_equal(res.jobs_left, 0);
	assert_int_equal(res.spool_left, 0);
	assert_int_equal(res.sessions_left, 0);
	assert_true(res.login_after);
	assert_true(res.worker_after);
	assert_true(res.clean_stop);
	assert_string_equal(res.failure, "");
	assert_int_equal(rc, 0);
}

static int
durability_teardown(void **state)
{
	(void)state;
	return harness_cleanup();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(acknowledged_writes_survive_sigkill, durability_teardown),
	};

	return cmocka_run_group_tests_name("e2e durability", tests, NULL, NULL);
}
