/*
 * Streams (`notifications --follow`, `messages USER --follow`): print news as
 * it comes until the client goes. The wait is on the event hub (a hint says
 * "look again") with a 1 s timeout that falls back to PRAGMA data_version,
 * the only path when the app runs without the daemon; either way the
 * database is the truth and a wake-up only triggers a query.
 */
#ifndef SSHBOOK_CLI_FOLLOW_H
#define SSHBOOK_CLI_FOLLOW_H

#include "cli/cli.h"

/* What a news callback returns when storage failed (logged): try again at the next wake-up. */
#define CLI_FOLLOW_RETRY	(-1)

/* The topic mask bit of an enum hub_topic, for cli_follow. */
#define CLI_TOPIC(t)	(1u << (t))

/*
 * Call news(ctx, arg) once at the start, then at each wake-up that may bring
 * news: a hub hint whose topic is in the mask topics (TOPIC_ANY always
 * counts), a commit by another connection, or a failed call before. news
 * prints what is new and returns 0, CLI_FOLLOW_RETRY, or an exit status
 * (> 0, after printing the error) that ends the stream with it.
 *
 * The stream ends with 0 on SIGHUP or SIGTERM (sshbookd sends them when the
 * channel closes), a failed write (EPIPE: SIGPIPE is ignored meanwhile), the
 * hub's shutdown, or ctx->follow_tick; not on stdin's EOF (`ssh -n host
 * notifications --follow` has none from the start). The signal dispositions
 * are the caller's again afterwards.
 */
int	cli_follow(struct cli_ctx *, unsigned topics, int (*news)(struct cli_ctx *, void *),
	    void *arg);

#endif
