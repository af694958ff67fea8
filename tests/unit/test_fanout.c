/*
 * Live hints about posts (worker/fanout.h): a small audience is told by the
 * sender at once; a large one becomes one job per author that the worker
 * runs, and the worker's paced sending loses nothing even when the hub's
 * socket is far smaller than the audience. The hub is a socketpair here,
 * its far end read by the test (or by a thread that reads slowly).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/hub.h"
#include "common/log.h"
#include "storage/jobs.h"
#include "storage/posts.h"
#include "storage/store.h"
#include "tests/unit/storefix.h"
#include "worker/fanout.h"
#include "worker/worker.h"

/* Hints one test reads back from the hub's far end. */
struct got {
	size_t	n;
	size_t	post_hints;	/* TOPIC_POST */
	size_t	job_hints;	/* TOPIC_JOB to HUB_WORKER_ID */
	int64_t	*users;		/* whom each TOPIC_POST hint was for */
	int64_t	*objects;
};

static void
got_free(struct got *g)
{
	free(g->users);
	free(g->objects);
	memset(g, 0, sizeof *g);
}

static void
got_one(struct got *g, const struct hub_msg *m)
{
	g->n++;
	assert_int_equal(m->kind, HUB_HINT);
	if (m->topic == TOPIC_JOB) {
		assert_int_equal(m->user_id, HUB_WORKER_ID);
		g->job_hints++;
		return;
	}
	assert_int_equal(m->topic, TOPIC_POST);
	g->users = realloc(g->users, (g->post_hints + 1) * sizeof *g->users);
	g->objects = realloc(g->objects, (g->post_hints + 1) * sizeof *g->objects);
	assert_non_null(g->users);
	assert_non_null(g->objects);
	g->users[g->post_hints] = m->user_id;
	g->objects[g->post_hints] = m->object_id;
	g->post_hints++;
}

/* Everything waiting on fd now (the senders here are done before we read). */
static void
read_waiting(int fd, struct got *g)
{
	struct hub_msg	m;

	while (hub_recv(fd, &m) == 1)
		got_one(g, &m);
}

static bool
told(const struct got *g, int64_t user)
{
	for (size_t i = 0; i < g->post_hints; i++)
		if (g->users[i] == user)
			return true;
	return false;
}

/* A slow hub: reads until the peer closes, napping now and then. */
struct reader {
	int		fd;
	struct got	got;
};

static void *
read_slowly(void *arg)
{
	struct reader	*rd = arg;
	struct hub_msg	 m;
	struct pollfd	 pfd = { rd->fd, POLLIN, 0 };
	int		 r;

	for (;;) {
		if (poll(&pfd, 1, 5000) <= 0)
			break;
		if ((r = hub_recv(rd->fd, &m)) < 0)
			break;
		if (r == 1)
			got_one(&rd->got, &m);
		if (rd->got.n % 500 == 0)
			poll(NULL, 0, 2);	/* behind on purpose: the sender must wait, not drop */
	}
	return NULL;
}

/* An author with n friends (users named prefix0.. ); ids[0] is the author. */
static int64_t *
author_with_friends(struct store *st, const char *prefix, size_t n)
{
	int64_t	*ids = calloc(n + 1, sizeof *ids);
	char	 name[32];

	assert_non_null(ids);
	snprintf(name, sizeof name, "%sauthor", prefix);
	ids[0] = storefix_user(st, name, NULL);
	for (size_t i = 1; i <= n; i++) {
		snprintf(name, sizeof name, "%s%zu", prefix, i);
		ids[i] = storefix_user(st, name, NULL);
		storefix_befriend(st, ids[0], ids[i]);
	}
	return ids;
}

static int64_t
post_by(struct store *st, int64_t author, enum visibility vis)
{
	int64_t	id = 0;
	char	why[128];

	assert_int_equal(store_post_create(st, author, "hello", vis, &id, NULL, NULL, why,
	    sizeof why), 0);
	return id;
}

static int
hub_pair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
}

/* A few friends: each is told at once, about that post, and no job is queued. */
static void
small_audience_inline(void **state)
{
	struct store	*st = *state;
	int64_t		*ids = author_with_friends(st, "sm", 3), post, stranger;
	struct got	 g = { 0 };
	size_t		 queued, running, failed;
	int		 sv[2];

	stranger = storefix_user(st, "smstranger", NULL);
	post = post_by(st, ids[0], VIS_FRIENDS);
	assert_int_equal(hub_pair(sv), 0);
	fanout_post_now(st, sv[0], ids[0], post);
	read_waiting(sv[1], &g);
	assert_int_equal(g.post_hints, 4);	/* the author and three friends, once each */
	for (int i = 0; i < 4; i++)
		assert_true(told(&g, ids[i]));
	assert_false(told(&g, stranger));
	for (size_t i = 0; i < g.post_hints; i++)
		assert_int_equal(g.objects[i], post);
	assert_int_equal(g.job_hints, 0);
	assert_int_equal(store_job_counts(st, &queued, &running, &failed), 0);
	assert_int_equal(queued, 0);
	got_free(&g);
	close(sv[0]);
	close(sv[1]);
	free(ids);
}

/* A private post's audience is its author alone, however many friends. */
static void
private_post_only_author(void **state)
{
	struct store	*st = *state;
	int64_t		*ids = author_with_friends(st, "pr", FANOUT_INLINE_MAX + 5), post;
	struct got	 g = { 0 };
	int		 sv[2];

	post = post_by(st, ids[0], VIS_PRIVATE);
	assert_int_equal(hub_pair(sv), 0);
	fanout_post_now(st, sv[0], ids[0], post);
	read_waiting(sv[1], &g);
	assert_int_equal(g.post_hints, 1);
	assert_true(told(&g, ids[0]));
	assert_int_equal(g.job_hints, 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM jobs"), 0);
	got_free(&g);
	close(sv[0]);
	close(sv[1]);
	free(ids);
}

/*
 * Over the inline limit: the sender tells only itself, queues one job and
 * wakes the worker; a second change before the worker runs adds nothing.
 * The worker then tells the author and every friend.
 */
static void
large_audience_through_worker(void **state)
{
	struct store	*st = *state;
	size_t		 nfriends = FANOUT_INLINE_MAX + 36;
	int64_t		*ids = author_with_friends(st, "lg", nfriends), post, liker;
	struct got	 g = { 0 };
	size_t		 queued, running, failed;
	int		 sv[2];

	post = post_by(st, ids[0], VIS_PUBLIC);
	liker = ids[7];
	assert_int_equal(hub_pair(sv), 0);
	fanout_post_now(st, sv[0], ids[0], post);
	fanout_post_now(st, sv[0], liker, post);	/* say, a friend reacts */
	read_waiting(sv[1], &g);
	assert_int_equal(g.post_hints, 2);	/* only the two senders themselves */
	assert_true(told(&g, ids[0]));
	assert_true(told(&g, liker));
	assert_int_equal(g.job_hints, 1);	/* one wake-up for one job */
	assert_int_equal(store_job_counts(st, &queued, &running, &failed), 0);
	assert_int_equal(queued, 1);
	assert_int_equal(storefix_sql_intf(st, "SELECT arg FROM jobs WHERE kind = '%s'",
	    JOB_KIND_HINT_FRIENDS), ids[0]);
	got_free(&g);

	assert_int_equal(worker_drain(st, "/nonexistent", sv[0]), 1);
	read_waiting(sv[1], &g);
	assert_int_equal(g.post_hints, nfriends + 1);
	for (size_t i = 0; i <= nfriends; i++)
		assert_true(told(&g, ids[i]));
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM jobs"), 0);
	/* the next change queues again */
	fanout_post_now(st, sv[0], ids[0], post);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM jobs WHERE state = 0"), 1);
	got_free(&g);
	close(sv[0]);
	close(sv[1]);
	free(ids);
}

/* A deleted post: the audience read before the delete still reaches everyone through the job. */
static void
deleted_post_reaches_friends(void **state)
{
	struct store	*st = *state;
	size_t		 nfriends = FANOUT_INLINE_MAX + 20;
	int64_t		*ids = author_with_friends(st, "dl", nfriends), *aud = NULL, post;
	size_t		 naud = 0;
	struct got	 g = { 0 };
	int		 sv[2];

	post = post_by(st, ids[0], VIS_PUBLIC);
	/* what a session reads before the delete: one more than it would hint itself */
	assert_int_equal(fanout_audience(st, post, &aud, &naud), 0);
	assert_int_equal(naud, FANOUT_INLINE_MAX + 1);
	assert_int_equal(aud[0], ids[0]);
	free(aud);
	assert_int_equal(store_post_audience(st, post, 0, &aud, &naud), 0);
	assert_int_equal(naud, nfriends + 1);
	free(aud);
	assert_int_equal(fanout_audience(st, post, &aud, &naud), 0);
	assert_int_equal(store_post_delete(st, ids[0], post), 0);
	assert_int_equal(hub_pair(sv), 0);
	fanout_post(st, sv[0], ids[0], post, aud, naud);
	assert_int_equal(worker_drain(st, "/nonexistent", sv[0]), 1);
	read_waiting(sv[1], &g);
	for (size_t i = 0; i <= nfriends; i++)
		assert_true(told(&g, ids[i]));
	got_free(&g);
	free(aud);
	close(sv[0]);
	close(sv[1]);
	free(ids);
}

/*
 * Thousands of hints into a socket that holds a few hundred, read slowly:
 * non-blocking sends drop most of them; the worker's paced sends lose none.
 */
static void
paced_sending_loses_nothing(void **state)
{
	enum { N = 5000 };
	int64_t		*ids = calloc(N, sizeof *ids);
	struct reader	 rd = { 0 };
	pthread_t	 th;
	struct hub_msg	 m = { HUB_HINT, TOPIC_POST, 1, 1 };
	size_t		 sent_plain = 0;
	int		 sv[2];

	(void)state;
	assert_non_null(ids);
	for (int i = 0; i < N; i++)
		ids[i] = i + 1;
	/* nobody reading: how many a plain non-blocking burst gets in */
	assert_int_equal(hub_pair(sv), 0);
	for (int i = 0; i < N; i++)
		if (hub_send(sv[0], &m) == 0)
			sent_plain++;
	assert_true(sent_plain < N);
	close(sv[0]);
	close(sv[1]);

	assert_int_equal(hub_pair(sv), 0);
	rd.fd = sv[1];
	assert_int_equal(pthread_create(&th, NULL, read_slowly, &rd), 0);
	assert_int_equal(fanout_send_paced(sv[0], 42, ids, N), N);
	close(sv[0]);	/* the reader sees the end */
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(rd.got.post_hints, N);
	for (int i = 0; i < N; i += 997)
		assert_true(told(&rd.got, ids[i]));
	got_free(&rd.got);
	close(sv[1]);
	free(ids);
}

/* A hub that is gone: the worker stops at once instead of waiting per hint. */
static void
paced_sending_to_a_closed_hub(void **state)
{
	int64_t	ids[3] = { 1, 2, 3 };
	int	sv[2];

	(void)state;
	assert_int_equal(hub_pair(sv), 0);
	close(sv[1]);
	assert_int_equal(fanout_send_paced(sv[0], 1, ids, 3), 0);
	close(sv[0]);
	assert_int_equal(fanout_send_paced(-1, 1, ids, 3), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(small_audience_inline, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test_setup_teardown(private_post_only_author, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test_setup_teardown(large_audience_through_worker, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test_setup_teardown(deleted_post_reaches_friends, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test(paced_sending_loses_nothing),
		cmocka_unit_test(paced_sending_to_a_closed_hub),
	};

	log_set_level(LOG_LVL_WARN);	/* a hundred "created user" lines say nothing here */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
