/*
 * The background worker (worker/worker.h). One job at a time keeps it
 * simple and bounded: the slow part runs in a sandbox child anyway, and a
 * community's uploads are few per second at most.
 */
#include "worker/worker.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/hub.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "media/layout.h"
#include "media/pipeline.h"
#include "media/preview.h"
#include "media/spool.h"
#include "storage/jobs.h"
#include "storage/media.h"
#include "storage/posts.h"
#include "worker/fanout.h"

#define POLL_MS		2000	/* without a hint, look at the table this often */
#define SWEEP_SECS	600	/* look through every spool this often (media/spool.h) */
#define SPOOL_OWNERS_MAX 64	/* spools to look at after one batch of TOPIC_SPOOL hints */

static volatile sig_atomic_t stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
hint(int hub_fd, unsigned topic, int64_t user, int64_t object)
{
	struct hub_msg m = { HUB_HINT, topic, user, object };

	if (hub_fd >= 0)
		(void)hub_send(hub_fd, &m);
}

/*
 * The first preview: the one an 80-column terminal's feed asks for, in
 * 256 colours (xterm-256color, the common TERM), so the common case never
 * renders in a session. A failure here
 * costs only speed: sessions render what they miss.
 */
static void
first_preview(struct store *st, const char *thumb, int64_t id, int w, int h)
{
	struct cellgrid	 g;
	uint8_t		*blob = NULL;
	size_t		 n = 0;
	int		 cols, rows;

	/* The stored copy's size, as the feed will know it from the post (storage/posts.h). */
	(void)media_strip_layout(&w, &h, 1, FEED_BODY_COLS_80, FEED_MEDIA_MAX_ROWS, &cols, &rows);
	if (media_render_thumb(thumb, cols, rows, 256, false, &g) != 0)
		return;
	if (cellgrid_serialize(&g, &blob, &n) == 0)
		(void)store_preview_put(st, id, cols, rows, 256, blob, n);
	free(blob);
	cellgrid_free(&g);
}

/*
 * The posts showing media id, to everyone whose Home may show them: their
 * screens swap the "processing…" box for the picture without waiting for
 * the slow poll.
 */
static void
hint_posts(struct store *st, int hub_fd, int64_t id)
{
	int64_t	*posts = NULL, *ids = NULL;
	size_t	 nposts = 0, nids, i;

	if (hub_fd < 0 || store_media_posts(st, id, &posts, &nposts) != 0)
		return;
	for (i = 0; i < nposts; i++) {
		if (store_post_audience(st, posts[i], 0, &ids, &nids) != 0)
			continue;
		(void)fanout_send_paced(hub_fd, posts[i], ids, nids);
		free(ids);
		ids = NULL;
	}
	free(posts);
}

/* After a rename: make it durable, so a crash cannot leave a ready row without its file. */
static void
sync_dir(const char *path)
{
	char	*dir = xstrdup(path), *slash = strrchr(dir, '/');
	int	 fd;

	if (slash != NULL)
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* One "media" job. 0: done (ready, failed for good, or gone); else retry later. */
static int
process_media(struct store *st, const char *data_dir, int hub_fd, int64_t id, char *why,
    size_t whysz)
{
	struct media		 m;
	struct media_processed	 res;
	enum media_format	 fmt;
	char			*src = NULL, *tmp = NULL, *dst = NULL, *thumb = NULL;
	int			 r;

	r = store_media_worker_get(st, id, &m);
	if (r == ERR_NOTFOUND)
		return 0;	/* deleted meanwhile */
	if (r != 0) {
		snprintf(why, whysz, "storage: %s", err_str(r));
		return r;
	}
	if (m.state != MEDIA_PENDING) {
		media_free(&m);
		return 0;
	}
	fmt = media_format_parse(m.format);
	src = media_path(data_dir, m.owner_id, id, MEDIA_FILE_UPLOAD, fmt);
	tmp = xasprintf("%s/media", data_dir);
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		log_error("worker: mkdir %s: %s", tmp, strerror(errno));
	free(tmp);
	tmp = xasprintf("%s/media/%lld.new", data_dir, (long long)id);
	thumb = media_path(data_dir, m.owner_id, id, MEDIA_FILE_THUMB, fmt);
	memset(&res, 0, sizeof res);
	r = media_process_file(src, fmt, tmp, thumb, &res, why, whysz);
	if (r == 0) {
		dst = media_path(data_dir, m.owner_id, id, MEDIA_FILE_STORED, res.stored_format);
		if (rename(tmp, dst) != 0) {
			log_error("worker: rename %s: %s", dst, strerror(errno));
			snprintf(why, whysz, "could not store the processed file");
			r = ERR_SYSTEM;
		}
	}
	if (r == 0) {
		first_preview(st, thumb, id, res.width, res.height);
		sync_dir(dst);
		r = store_media_ready(st, id, media_format_name(res.stored_format), res.width,
		    res.height, res.stored_bytes, res.duration_ms);
		if (r == ERR_NOTFOUND) {
			/* Deleted while we worked: nobody may see these files, so they go. */
			(void)unlink(dst);
			(void)unlink(thumb);
			(void)unlink(src);
			r = 0;
		} else if (r == 0) {
			/* Only the re-encoded copy stays: the upload may carry metadata. */
			(void)unlink(src);
			log_info("worker: media %lld ready: %s %dx%d, %lld bytes",
			    (long long)id, media_format_name(res.stored_format), res.width,
			    res.height, (long long)res.stored_bytes);
		}
	} else if (r == ERR_INVALID) {
		/* The file itself is bad: trying again cannot help. */
		(void)store_media_failed(st, id, why);
		(void)unlink(src);
		(void)unlink(tmp);
		log_warn("worker: media %lld failed: %s", (long long)id, why);
		r = 0;
	} else
		(void)unlink(tmp);
	hint(hub_fd, TOPIC_MEDIA, m.owner_id, id);
	if (r == 0)
		hint_posts(st, hub_fd, id);
	free(src);
	free(tmp);
	free(dst);
	free(thumb);
	media_free(&m);
	return r;
}

size_t
worker_sweep_spool(const char *data_dir, int64_t now, int max_age)
{
	size_t removed = spool_sweep(data_dir, now, max_age);

	if (removed > 0)
		log_info("worker: removed %zu abandoned uploads from the spool", removed);
	return removed;
}

/* Whether the worker that claimed a job is still running (same machine: its pid). */
static bool
owner_alive(int64_t owner, void *ctx)
{
	(void)ctx;
	if (owner == (int64_t)getpid())
		return true;
	return kill((pid_t)owner, 0) == 0 || errno == EPERM;
}

/* An item of owner is pending: its upload waits for the worker. */
static bool
upload_waiting(int64_t owner, int64_t id, void *ctx)
{
	struct store	*st = ctx;
	struct media	 m;
	bool		 waiting;
	int		 r;

	if ((r = store_media_worker_get(st, id, &m)) == ERR_NOTFOUND)
		return false;
	if (r != 0)
		return true;	/* cannot tell: keep it */
	waiting = m.owner_id == owner && m.state == MEDIA_PENDING;
	media_free(&m);
	return waiting;
}

size_t
worker_sweep_uploads(struct store *st, const char *data_dir, int64_t owner)
{
	return owner > 0 ? spool_sweep_uploads_user(data_dir, owner, upload_waiting, st) :
	    spool_sweep_uploads(data_dir, upload_waiting, st);
}

size_t
worker_drain(struct store *st, const char *data_dir, int hub_fd)
{
	struct job	j;
	char		why[240];
	size_t		ran = 0, released = 0;
	bool		final;
	int		r;

	/* a job whose worker was killed is taken back now, not when its lease ends */
	if (store_job_release_dead(st, (int64_t)time(NULL), owner_alive, NULL, &released) == 0 &&
	    released > 0)
		log_info("worker: took back %zu jobs of a worker that died", released);
	while (!stop_requested) {
		r = store_job_claim_as(st, (int64_t)time(NULL), WORKER_LEASE_SECS,
		    (int64_t)getpid(), &j);
		if (r == ERR_NOTFOUND)
			break;
		if (r != 0) {
			log_error("worker: cannot claim a job: %s", err_str(r));
			break;
		}
		ran++;
		why[0] = '\0';
		if (strcmp(j.kind, "media") == 0)
			r = process_media(st, data_dir, hub_fd, j.arg, why, sizeof why);
		else if (strcmp(j.kind, JOB_KIND_HINT_FRIENDS) == 0) {
			if ((r = fanout_run_friends(st, hub_fd, j.arg)) != 0)
				snprintf(why, sizeof why, "storage: %s", err_str(r));
		} else {
			log_error("worker: job %lld has unknown kind '%s'", (long long)j.id, j.kind);
			snprintf(why, sizeof why, "unknown job kind");
			r = ERR_INTERNAL;
		}
		if (r == 0) {
			(void)store_job_done(st, j.id);
			continue;
		}
		final = false;
		(void)store_job_fail(st, j.id, (int64_t)time(NULL), WORKER_RETRY_SECS, why, &final);
		log_warn("worker: job %lld (%s %lld) attempt %d failed: %s%s", (long long)j.id,
		    j.kind, (long long)j.arg, j.attempts, why, final ? " (giving up)" : "");
		if (final && strcmp(j.kind, "media") == 0)
			(void)store_media_failed(st, j.arg, "the server could not process it");
	}
	return ran;
}

int
worker_run(struct store *st, const char *data_dir, int hub_fd)
{
	struct hub_msg		 hello = { HUB_HELLO, 0, HUB_WORKER_ID, 0 }, m;
	struct sigaction	 sa;
	struct pollfd		 pfd;
	int64_t			 next_sweep = 0, owners[SPOOL_OWNERS_MAX];
	size_t			 nowners, i;
	int			 r;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (hub_fd >= 0 && hub_send(hub_fd, &hello) != 0)
		log_warn("worker: cannot say hello to the hub; polling only");
	log_info("worker: started");
	while (!stop_requested) {
		if ((int64_t)time(NULL) >= next_sweep) {
			(void)worker_sweep_spool(data_dir, (int64_t)time(NULL),
			    SPOOL_ABANDONED_SECS);
			(void)worker_sweep_uploads(st, data_dir, 0);
			next_sweep = (int64_t)time(NULL) + SWEEP_SECS;
		}
		(void)worker_drain(st, data_dir, hub_fd);
		pfd.fd = hub_fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		r = poll(&pfd, hub_fd >= 0 ? 1 : 0, POLL_MS);
		if (r < 0 && errno != EINTR) {
			log_error("worker: poll: %s", strerror(errno));
			break;
		}
		if (r > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
			/* Hints only say "look again": read them all, then look. */
			nowners = 0;
			while ((r = hub_recv(hub_fd, &m)) == 1) {
				if (m.kind == HUB_SHUTDOWN)
					stop_requested = 1;
				else if (m.topic == TOPIC_SPOOL && m.object_id > 0 &&
				    nowners < SPOOL_OWNERS_MAX)
					owners[nowners++] = m.object_id;
			}
			/*
			 * An upload's process died without cleaning up (kill -9,
			 * a crash): its file is no longer held, so it goes now
			 * rather than at the next full sweep.
			 */
			for (i = 0; i < nowners; i++) {
				(void)spool_sweep_user(data_dir, owners[i], (int64_t)time(NULL),
				    SPOOL_ABANDONED_SECS);
				(void)worker_sweep_uploads(st, data_dir, owners[i]);
			}
			if (r < 0) {
				log_warn("worker: the hub went away; stopping");
				break;
			}
		}
	}
	log_info("worker: stopping");
	return 0;
}
