/*
 * The one --follow loop, shared by every streaming command: signals, the
 * hub's hints, the data_version fallback, and the end of the stream.
 */
#include "cli/follow.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/hub.h"
#include "storage/store.h"

#define FOLLOW_WAIT_MS	1000	/* the data_version poll when no hint comes */

static volatile sig_atomic_t follow_stop;

static void
follow_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* Drain the hub: true when a hint may concern topics; *hubp is -1 once it is gone. */
static bool
hub_drain(int *hubp, unsigned topics)
{
	struct hub_msg	m;
	bool		news = false;
	int		r;

	while ((r = hub_recv(*hubp, &m)) == 1) {
		if (m.kind == HUB_SHUTDOWN)
			follow_stop = 1;	/* the server is going: so is this session */
		else if (m.kind == HUB_HINT && (m.topic == TOPIC_ANY ||
		    (m.topic < 32 && (topics & CLI_TOPIC(m.topic)) != 0)))
			news = true;
	}
	if (r < 0)
		*hubp = -1;	/* carry on with data_version alone */
	return news;
}

/* Whether the stream should end after a write: the client is gone. */
static bool
out_broken(struct cli_ctx *ctx)
{
	return fflush(ctx->out) != 0 || ferror(ctx->out);
}

int
cli_follow(struct cli_ctx *ctx, unsigned topics, int (*news)(struct cli_ctx *, void *),
    void *arg)
{
	struct sigaction	 sa, old_hup, old_term, old_pipe;
	struct pollfd		 pfd;
	int64_t			 dv = 0, ndv;
	int			 hub = ctx->hub_fd, n, r, status = 0;
	bool			 wake, retry = false;

	follow_stop = 0;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = follow_signal;	/* no SA_RESTART: poll returns EINTR */
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);

	/* Before the first query: a commit after it must look like news. */
	(void)store_data_version(ctx->st, &dv);
	if ((r = news(ctx, arg)) > 0) {
		status = r;
		goto out;
	}
	retry = r == CLI_FOLLOW_RETRY;
	if (out_broken(ctx))
		goto out;
	while (!follow_stop) {
		if (ctx->follow_tick != NULL && ctx->follow_tick(ctx, ctx->follow_arg) != 0)
			break;
		if (follow_stop)
			break;
		wake = retry;
		retry = false;
		if (hub >= 0) {
			pfd.fd = hub;
			pfd.events = POLLIN;
			pfd.revents = 0;
			n = poll(&pfd, 1, FOLLOW_WAIT_MS);
			if (n < 0 && errno != EINTR)
				hub = -1;
			else if (n > 0) {
				wake |= hub_drain(&hub, topics);
				if (hub >= 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
					hub = -1;
			}
		} else
			(void)poll(NULL, 0, FOLLOW_WAIT_MS);
		if (follow_stop)
			break;
		/* Another connection committed: maybe news the hub did not tell. */
		if (store_data_version(ctx->st, &ndv) == 0 && ndv != dv) {
			dv = ndv;
			wake = true;
		}
		if (!wake)
			continue;
		if ((r = news(ctx, arg)) > 0) {
			status = r;
			break;
		}
		retry = r == CLI_FOLLOW_RETRY;
		if (out_broken(ctx))
			break;
	}
 out:
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return status;
}
