/*
 * The background worker: `sshbook --data-dir DIR --worker`, started (and
 * restarted when it dies) by sshbookd. It takes jobs from the job table
 * (storage/jobs.h) one at a time: "media" jobs make the stored copy and the
 * preview source of an upload (media/pipeline.h, in a limited child),
 * render the first feed preview into the cache, mark the item ready and
 * hint its owner's sessions, so the picture appears live; "hint_friends"
 * jobs tell a large audience that a post changed (worker/fanout.h).
 * Jobs are rows, so they survive restarts: a job whose worker died is taken
 * again once its lease runs out.
 */
#ifndef SSHBOOK_WORKER_H
#define SSHBOOK_WORKER_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* How long a claimed job is ours before another worker may take it again. */
#define WORKER_LEASE_SECS	120
/* Seconds before a job that failed for a passing reason is tried again. */
#define WORKER_RETRY_SECS	10

/*
 * Run until SIGTERM/SIGHUP or the hub's shutdown: say HELLO as
 * HUB_WORKER_ID on hub_fd (-1: none, then poll only), process every due
 * job, then wait for a TOPIC_JOB hint or a 2 s poll. Returns the exit status.
 */
int	worker_run(struct store *, const char *data_dir, int hub_fd);

/*
 * Process due jobs until none is left, and return how many ran (tests, and
 * each wake-up of worker_run). hub_fd may be -1.
 */
size_t	worker_drain(struct store *, const char *data_dir, int hub_fd);

/*
 * Remove uploads that never finished arriving (DATA_DIR/spool/<user>/
 * incoming-*): those no live process holds any more (it was killed or
 * crashed), and those untouched for max_age seconds at time now
 * (media/spool.h spool_sweep). worker_run does this at start and every 10
 * minutes with SPOOL_ABANDONED_SECS, and for one user's spool on a
 * TOPIC_SPOOL hint (a session saw an upload's process die). Returns how
 * many went.
 */
size_t	worker_sweep_spool(const char *data_dir, int64_t now, int max_age);
/*
 * Remove the "<id>.upload" files of owner (0: everyone) that no process
 * holds and no pending item of that owner waits for (media/spool.h
 * spool_sweep_uploads): left by an importer killed before its commit, or
 * by a worker killed after marking the item ready. worker_run does it with
 * worker_sweep_spool. Returns how many went.
 */
size_t	worker_sweep_uploads(struct store *, const char *data_dir, int64_t owner);

#endif
