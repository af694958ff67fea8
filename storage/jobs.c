/*
 * The job table the background worker processes. A job is claimed with a
 * lease rather than a lock: a worker that dies leaves its job running with
 * a lease that runs out, and the next claim takes it again, so nothing is
 * lost to a crash and nothing needs the dead worker to clean up. While a job
 * runs, run_after holds its lease's end, so one range of jobs_due finds
 * both the queued jobs that are due and the running ones whose lease ran
 * out.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/jobs.h"
#include "storage/media-int.h"
#include "storage/media.h"
#include "storage/store-int.h"

#define JOB_WHY_MAX		200	/* bytes of a failure's reason kept */
#define JOB_GIVE_UP_BATCH	16	/* exhausted jobs retired per claim */

/* 1..JOB_KIND_MAX of a-z and _. */
static bool
kind_ok(const char *kind)
{
	size_t i;

	if (kind == NULL || kind[0] == '\0')
		return false;
	for (i = 0; kind[i] != '\0'; i++)
		if (i >= JOB_KIND_MAX || !((kind[i] >= 'a' && kind[i] <= 'z') || kind[i] == '_'))
			return false;
	return true;
}

/* How many bytes of s to keep: at most max, not cutting a UTF-8 sequence. */
static int
why_len(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return (int)n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

int
job_insert(struct store *st, const char *kind, int64_t arg, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 now = store_now();
	int		 r;

	if (idp != NULL)
		*idp = 0;
	if ((r = stmt_get(st, "INSERT INTO jobs (kind, arg, run_after, created_at) "
	    "VALUES (?1, ?2, ?3, ?3)", &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, arg);
	sqlite3_bind_int64(stmt, 3, now);
	if ((r = stmt_done(st, stmt, "insert job")) == 0 && idp != NULL)
		*idp = sqlite3_last_insert_rowid(st->db);
	stmt_reset(stmt);
	return r;
}

int
store_job_add(struct store *st, const char *kind, int64_t arg, int64_t *idp)
{
	*idp = 0;
	if (!kind_ok(kind))
		return ERR_INVALID;
	/* One statement: atomic by itself. */
	return job_insert(st, kind, arg, idp);
}

int
store_job_add_once(struct store *st, const char *kind, int64_t arg, bool *addedp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if (addedp != NULL)
		*addedp = false;
	if (!kind_ok(kind))
		return ERR_INVALID;
	/* One statement, so the check and the insert cannot be split by another writer. */
	if ((r = stmt_get(st, "INSERT INTO jobs (kind, arg, run_after, created_at) "
	    "SELECT ?1, ?2, ?3, ?3 WHERE NOT EXISTS (SELECT 1 FROM jobs "
	    "WHERE state = 0 AND kind = ?1 AND arg = ?2)", &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, arg);
	sqlite3_bind_int64(stmt, 3, store_now());
	if ((r = stmt_done(st, stmt, "insert job once")) == 0 && addedp != NULL)
		*addedp = sqlite3_changes(st->db) > 0;
	stmt_reset(stmt);
	return r;
}

/*
 * Retire the running jobs whose lease ran out on their last attempt: the
 * worker died every time (a file that kills it, say), and claiming them
 * again would loop for ever. They fail for good, and so does a media item
 * still waiting for one, so its owner is told instead of waiting. Inside the
 * caller's transaction; a few per call, the rest at the next claim.
 */
static int
give_up_stuck(struct store *st, int64_t now)
{
	static const char why[] = "processing stopped during every attempt";
	sqlite3_stmt	*stmt = NULL;
	struct {
		int64_t	id;
		int64_t	arg;
		bool	media;
	} stuck[JOB_GIVE_UP_BATCH];
	size_t		 n = 0, i;
	int		 r;

	if ((r = stmt_get(st, "SELECT id, arg, kind = ?3 FROM jobs WHERE state = 1 AND "
	    "run_after <= ?1 AND attempts >= ?2 ORDER BY run_after, id LIMIT ?4", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int(stmt, 2, JOB_MAX_ATTEMPTS);
	sqlite3_bind_text(stmt, 3, JOB_KIND_MEDIA, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, JOB_GIVE_UP_BATCH);
	while (n < JOB_GIVE_UP_BATCH && (r = stmt_row(st, stmt, "find stuck jobs")) == 1) {
		stuck[n].id = sqlite3_column_int64(stmt, 0);
		stuck[n].arg = sqlite3_column_int64(stmt, 1);
		stuck[n].media = sqlite3_column_int(stmt, 2) != 0;
		n++;
		r = 0;
	}
	stmt_reset(stmt);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		if ((r = stmt_get(st, "UPDATE jobs SET state = 2, lease_until = 0, error = ?2 "
		    "WHERE id = ?1", &stmt)) != 0)
			return r;
		sqlite3_bind_int64(stmt, 1, stuck[i].id);
		sqlite3_bind_text(stmt, 2, why, -1, SQLITE_STATIC);
		r = stmt_done(st, stmt, "give up job");
		stmt_reset(stmt);
		if (r != 0)
			return r;
		if (stuck[i].media && (r = media_mark_failed(st, stuck[i].arg,
		    "could not be processed", true)) != 0)
			return r;
	}
	return 0;
}

int
store_job_claim(struct store *st, int64_t now, int lease_secs, struct job *out)
{
	return store_job_claim_as(st, now, lease_secs, 0, out);
}

int
store_job_claim_as(struct store *st, int64_t now, int lease_secs, int64_t owner,
    struct job *out)
{
	sqlite3_stmt		*stmt = NULL;
	const unsigned char	*kind;
	size_t			 len;
	int			 r, c;

	memset(out, 0, sizeof *out);
	if (lease_secs < 1)
		return ERR_INVALID;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = give_up_stuck(st, now)) != 0)
		goto out;
	/*
	 * The job due longest, then the oldest. One UPDATE ... RETURNING inside
	 * the write transaction: two workers can never take the same job.
	 */
	if ((r = stmt_get(st, "UPDATE jobs SET state = 1, attempts = attempts + 1, "
	    "lease_until = ?1 + ?2, run_after = ?1 + ?2, owner = ?4 WHERE id = (SELECT id FROM jobs "
	    "WHERE state IN (0, 1) AND run_after <= ?1 AND (state = 0 OR attempts < ?3) "
	    "ORDER BY run_after, id LIMIT 1) RETURNING id, kind, arg, attempts", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int(stmt, 2, lease_secs);
	/* Stuck jobs beyond give_up_stuck's batch wait for the next claim, never run again. */
	sqlite3_bind_int(stmt, 3, JOB_MAX_ATTEMPTS);
	sqlite3_bind_int64(stmt, 4, owner > 0 ? owner : 0);
	if ((r = stmt_row(st, stmt, "claim job")) == 1) {
		out->id = sqlite3_column_int64(stmt, 0);
		if ((kind = sqlite3_column_text(stmt, 1)) != NULL) {
			len = strnlen((const char *)kind, JOB_KIND_MAX);
			memcpy(out->kind, kind, len);
			out->kind[len] = '\0';
		}
		out->arg = sqlite3_column_int64(stmt, 2);
		out->attempts = sqlite3_column_int(stmt, 3);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	/* Nothing due still commits what give_up_stuck did. */
	if ((r == 0 || r == ERR_NOTFOUND) && (c = store_commit(st)) != 0)
		r = c;
 out:
	if (r != 0 && r != ERR_NOTFOUND) {
		store_rollback(st);
		memset(out, 0, sizeof *out);
	}
	return r;
}

/* Running jobs with an owner whose lease has not run out, looked at per call of release_dead. */
#define JOB_RELEASE_BATCH	64

/*
 * Without this a worker killed mid-job (SIGKILL, the OOM killer, a crash)
 * left its job leased for WORKER_LEASE_SECS: an upload acknowledged to its
 * owner stayed "processing" for two minutes although the listener had a
 * new worker running a second later. Only one worker runs per listener,
 * but after the listener itself died its old worker may still be finishing
 * a job while the new one starts, so "running" alone does not mean
 * "abandoned": the owner's process must be gone. A reused pid only makes
 * the job wait for its lease, as before.
 */
int
store_job_release_dead(struct store *st, int64_t now, bool (*alive)(int64_t owner, void *ctx),
    void *ctx, size_t *releasedp)
{
	sqlite3_stmt	*stmt = NULL;
	struct {
		int64_t	id;
		int64_t	owner;
	} held[JOB_RELEASE_BATCH];
	size_t		 n = 0, i, released = 0;
	int		 r;

	if (releasedp != NULL)
		*releasedp = 0;
	if ((r = stmt_get(st, "SELECT id, owner FROM jobs WHERE state = 1 AND run_after > ?1 "
	    "AND owner > 0 ORDER BY run_after, id LIMIT ?2", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int(stmt, 2, JOB_RELEASE_BATCH);
	while (n < JOB_RELEASE_BATCH && (r = stmt_row(st, stmt, "find held jobs")) == 1) {
		held[n].id = sqlite3_column_int64(stmt, 0);
		held[n].owner = sqlite3_column_int64(stmt, 1);
		n++;
		r = 0;
	}
	stmt_reset(stmt);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		int64_t changed = 0;

		if (alive(held[i].owner, ctx))
			continue;
		/* the owner in the WHERE: a job claimed again meanwhile is left alone */
		if ((r = stmt_exec_ints(st, "release job", "UPDATE jobs SET run_after = ?2, "
		    "lease_until = ?2 WHERE id = ?1 AND state = 1 AND owner = ?3", &changed, 3,
		    held[i].id, now, held[i].owner)) != 0)
			return r;
		released += (size_t)changed;
	}
	if (releasedp != NULL)
		*releasedp = released;
	return 0;
}

int
store_job_done(struct store *st, int64_t id)
{
	int64_t	changed;
	int	r;

	if ((r = stmt_exec_ints(st, "job done", "DELETE FROM jobs WHERE id = ?1", &changed, 1,
	    id)) == 0 && changed == 0)
		r = ERR_NOTFOUND;
	return r;
}

int
store_job_fail(struct store *st, int64_t id, int64_t now, int retry_secs, const char *why,
    bool *finalp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if (finalp != NULL)
		*finalp = false;
	if (retry_secs < 0)
		return ERR_INVALID;
	if (why == NULL)
		why = "";
	/* One statement decides and records, so it is atomic by itself. */
	if ((r = stmt_get(st, "UPDATE jobs SET state = CASE WHEN attempts >= ?3 THEN 2 ELSE 0 "
	    "END, run_after = ?2 + ?4, lease_until = 0, error = ?5 WHERE id = ?1 AND state = 1 "
	    "RETURNING state", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int(stmt, 3, JOB_MAX_ATTEMPTS);
	sqlite3_bind_int(stmt, 4, retry_secs);
	sqlite3_bind_text(stmt, 5, why, why_len(why, JOB_WHY_MAX), SQLITE_STATIC);
	if ((r = stmt_row(st, stmt, "fail job")) == 1) {
		if (finalp != NULL)
			*finalp = sqlite3_column_int(stmt, 0) == 2;
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;	/* no such job, or it is not running */
	stmt_reset(stmt);
	return r;
}

int
store_job_counts(struct store *st, size_t *queued, size_t *running, size_t *failed)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 c[3] = { 0, 0, 0 };
	int64_t		 s, n;
	int		 r;

	if (queued != NULL)
		*queued = 0;
	if (running != NULL)
		*running = 0;
	if (failed != NULL)
		*failed = 0;
	if ((r = stmt_get(st, "SELECT state, count(*) FROM jobs GROUP BY state", &stmt)) != 0)
		return r;
	while ((r = stmt_row(st, stmt, "count jobs")) == 1) {
		s = sqlite3_column_int64(stmt, 0);
		n = sqlite3_column_int64(stmt, 1);
		if (s >= 0 && s <= 2 && n > 0)
			c[s] = (size_t)n;
		r = 0;
	}
	stmt_reset(stmt);
	if (r < 0)
		return r;
	if (queued != NULL)
		*queued = c[0];
	if (running != NULL)
		*running = c[1];
	if (failed != NULL)
		*failed = c[2];
	return 0;
}
