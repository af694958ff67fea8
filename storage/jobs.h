/*
 * storage: the job table the background worker (worker/worker.h) takes its
 * work from. A job is a kind and one id; it is claimed with a lease, so a
 * worker that dies mid-job leaves it to be taken again, and jobs survive
 * restarts because they are rows. Kinds today: "media" (process an upload;
 * arg: the media id) and "hint_friends" (tell a user's friends that the
 * user's posts changed; arg: the user id; worker/fanout.h).
 */
#ifndef SSHBOOK_JOBS_H
#define SSHBOOK_JOBS_H

#include <stdbool.h>
#include <stdint.h>

struct store;

#define JOB_MAX_ATTEMPTS	3
#define JOB_KIND_MAX		32

struct job {
	int64_t	 id;
	char	 kind[JOB_KIND_MAX + 1];	/* "media", ... */
	int64_t	 arg;				/* what it works on (a media id) */
	int	 attempts;			/* including this one */
};

/* Queue a job to run now. kind: 1..JOB_KIND_MAX of a-z _. */
int	store_job_add(struct store *, const char *kind, int64_t arg, int64_t *idp);
/*
 * The same, unless the same kind and arg is already queued and not yet
 * taken: that one will do (a burst of changes costs one run). A job already
 * running does not count, since it may have read what changed too early.
 * *addedp (may be NULL) says whether a row was added.
 */
int	store_job_add_once(struct store *, const char *kind, int64_t arg, bool *addedp);
/*
 * Take the job that has been due the longest (then the oldest): queued
 * with run_after <= now, or running with its lease expired (its worker
 * died). It becomes running with a lease until now + lease_secs (>= 1) and
 * attempts + 1. A running job whose lease ran out on its last attempt
 * (attempts >= JOB_MAX_ATTEMPTS: its worker died every time) is not taken
 * again but failed for good, and so is its media item if still PENDING.
 * ERR_NOTFOUND when none is due.
 */
int	store_job_claim(struct store *, int64_t now, int lease_secs, struct job *out);
/*
 * The same, recording owner (the worker's process id, > 0) as the job's
 * holder, so that a later worker can tell the holder has died
 * (store_job_release_dead).
 */
int	store_job_claim_as(struct store *, int64_t now, int lease_secs, int64_t owner,
	    struct job *out);
/*
 * End the lease of every running job whose recorded owner is dead
 * (alive(owner, ctx) false), so the next claim takes it now rather than when
 * its lease runs out; attempts count as for an expired lease (a job whose
 * worker died JOB_MAX_ATTEMPTS times fails for good). Jobs claimed without
 * an owner keep their lease. *releasedp (may be NULL) gets how many.
 */
int	store_job_release_dead(struct store *, int64_t now,
	    bool (*alive)(int64_t owner, void *ctx), void *ctx, size_t *releasedp);
/* The job is done: its row goes. ERR_NOTFOUND when it is gone already. */
int	store_job_done(struct store *, int64_t id);
/*
 * The running job failed this attempt: back to queued, due at now +
 * retry_secs, or (attempts >= JOB_MAX_ATTEMPTS) failed for good, with why
 * kept (cut to 200 bytes). *finalp (may be NULL) says which; on a final
 * failure of a "media" job the worker also calls store_media_failed.
 * ERR_NOTFOUND when the job is gone or not running.
 */
int	store_job_fail(struct store *, int64_t id, int64_t now, int retry_secs, const char *why,
	    bool *finalp);
/* Counts by state, for the log and the tests. */
int	store_job_counts(struct store *, size_t *queued, size_t *running, size_t *failed);

#endif
