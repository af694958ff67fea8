/* Live hints about posts, inline or through the worker (worker/fanout.h). */
#include "worker/fanout.h"

#include <stdbool.h>
#include <stdlib.h>

#include "common/err.h"
#include "common/hub.h"
#include "common/log.h"
#include "storage/jobs.h"
#include "storage/posts.h"

/* How long the worker waits for the hub to take one hint before it gives up on the rest. */
#define PACED_WAIT_MS	2000

static void
hint(int hub_fd, unsigned topic, int64_t user, int64_t object)
{
	struct hub_msg m = { HUB_HINT, topic, user, object };

	(void)hub_send(hub_fd, &m);
}

void
fanout_post(struct store *st, int hub_fd, int64_t me, int64_t post, const int64_t *ids,
    size_t n)
{
	bool	added = false;
	size_t	i;

	if (hub_fd < 0)
		return;
	hint(hub_fd, TOPIC_POST, me, post);
	if (n <= FANOUT_INLINE_MAX) {
		for (i = 0; i < n; i++)
			if (ids[i] != me)
				hint(hub_fd, TOPIC_POST, ids[i], post);
		return;
	}
	/* The audience of a non-private post is its author (ids[0]) and the author's friends. */
	if (store_job_add_once(st, JOB_KIND_HINT_FRIENDS, ids[0], &added) != 0) {
		log_warn("fan-out of post %lld to %zu people: cannot queue the job",
		    (long long)post, n);
		return;
	}
	if (added)
		hint(hub_fd, TOPIC_JOB, HUB_WORKER_ID, ids[0]);
}

int
fanout_audience(struct store *st, int64_t post, int64_t **idsp, size_t *np)
{
	return store_post_audience(st, post, FANOUT_INLINE_MAX + 1, idsp, np);
}

void
fanout_post_now(struct store *st, int hub_fd, int64_t me, int64_t post)
{
	int64_t	*ids = NULL;
	size_t	 n = 0;

	if (hub_fd < 0)
		return;	/* no daemon: nobody to tell, and no query to make */
	if (fanout_audience(st, post, &ids, &n) != 0)
		n = 0;
	fanout_post(st, hub_fd, me, post, ids, n);
	free(ids);
}

size_t
fanout_send_paced(int hub_fd, int64_t object, const int64_t *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct hub_msg m = { HUB_HINT, TOPIC_POST, ids[i], object };

		if (hub_send_wait(hub_fd, &m, PACED_WAIT_MS) != 0) {
			log_warn("worker: the hub took %zu of %zu hints, then stopped", i, n);
			break;
		}
	}
	return i;
}

int
fanout_run_friends(struct store *st, int hub_fd, int64_t author)
{
	int64_t	*ids = NULL;
	size_t	 n = 0, sent;
	int	 r;

	if ((r = store_author_audience(st, author, 0, &ids, &n)) != 0)
		return r;
	/* Which post is not known (it may be gone): 0 says "unknown" on the wire. */
	sent = fanout_send_paced(hub_fd, 0, ids, n);
	log_info("worker: told %zu of %zu people that user %lld's posts changed", sent, n,
	    (long long)author);
	free(ids);
	return 0;
}
