/*
 * The per-user write rate limit (store_set_write_limit): a token bucket in
 * the write_budget table. The bucket is read and updated inside the write's
 * own transaction (BEGIN IMMEDIATE), so two processes of one user cannot
 * both spend the last token, and a write that fails later gives it back.
 */
#include <time.h>

#include "common/err.h"
#include "storage/store-int.h"
#include "storage/store.h"

void
store_set_write_limit(struct store *st, int burst, int per_minute)
{
	st->write_burst = burst > 0 && per_minute > 0 ? burst : 0;
	st->write_per_minute = per_minute > 0 ? per_minute : 0;
}

static int64_t
clock_ms(const struct store *st)
{
	struct timespec ts;

	if (st->write_clock_ms != 0)
		return st->write_clock_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
write_budget_take(struct store *st, int64_t user, char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 now = clock_ms(st), at = now;
	double		 tokens = st->write_burst;
	int		 r;

	if (st->write_burst <= 0)
		return 0;
	if ((r = stmt_get(st, "SELECT tokens, at_ms FROM write_budget WHERE user_id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	if ((r = stmt_row(st, stmt, "read write budget")) == 1) {
		tokens = sqlite3_column_double(stmt, 0);
		at = sqlite3_column_int64(stmt, 1);
		r = 0;
	}
	stmt_reset(stmt);
	if (r != 0)
		return r;
	/* A clock that went back refills nothing, and takes nothing away. */
	if (now > at)
		tokens += (double)(now - at) * st->write_per_minute / 60000.0;
	if (tokens > st->write_burst)
		tokens = st->write_burst;
	if (tokens < 1) {
		store_why(why, whysz, "%s", err_str(ERR_RATE));
		return ERR_RATE;
	}
	if ((r = stmt_get(st, "INSERT INTO write_budget (user_id, tokens, at_ms) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (user_id) DO UPDATE SET tokens = ?2, at_ms = ?3",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_double(stmt, 2, tokens - 1);
	sqlite3_bind_int64(stmt, 3, now > at ? now : at);
	r = stmt_done(st, stmt, "spend write budget");
	stmt_reset(stmt);
	return r;
}
