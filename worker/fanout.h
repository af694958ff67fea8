/*
 * Live hints about a post, to everyone whose screen may show it (its
 * audience: storage/posts.h). A hint is one hub message per person, sent
 * without blocking; the hub's socket holds only a few hundred before sends
 * are dropped, and a session must never wait on the hub. So the sender
 * tells an audience of up to FANOUT_INLINE_MAX at once, and a larger one (an
 * author with many friends) becomes a "hint_friends" job: the worker sends
 * those hints at the pace the hub reads them. A lost hint costs a refresh
 * on the fallback poll, never data.
 */
#ifndef SSHBOOK_FANOUT_H
#define SSHBOOK_FANOUT_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* Audiences larger than this go through the worker. */
#define FANOUT_INLINE_MAX	64
/* The job kind; its arg is the author whose friends are told. */
#define JOB_KIND_HINT_FRIENDS	"hint_friends"

/*
 * Read post's audience as much as a session needs it (author first, at most
 * FANOUT_INLINE_MAX + 1: more means "the worker's"), for fanout_post; before
 * a delete, since the post is gone after it. 0 or an ERR_ code, as
 * store_post_audience.
 */
int	fanout_audience(struct store *, int64_t post, int64_t **idsp, size_t *np);
/*
 * Tell ids (as fanout_audience gives them; n may be 0 when it could not be
 * read) and me that post changed, on hub_fd (-1: no daemon, nothing to do).
 * An audience over FANOUT_INLINE_MAX: me is told at once, the rest by a job
 * queued once per author (a burst of changes costs one run) and the worker
 * woken. Never blocks on the hub.
 */
void	fanout_post(struct store *, int hub_fd, int64_t me, int64_t post, const int64_t *ids,
	    size_t n);
/*
 * The same, reading post's audience now. A post about to be deleted needs
 * fanout_audience before the delete and fanout_post after it.
 */
void	fanout_post_now(struct store *, int hub_fd, int64_t me, int64_t post);

/*
 * The worker's side: tell ids that object changed (topic TOPIC_POST),
 * waiting for the hub as long as it keeps reading. Returns how many hints
 * went; fewer than n when the hub stopped taking them (logged).
 */
size_t	fanout_send_paced(int hub_fd, int64_t object, const int64_t *ids, size_t n);
/* A "hint_friends" job: author and every friend of author. 0 or an ERR_ code. */
int	fanout_run_friends(struct store *, int hub_fd, int64_t author);

#endif
