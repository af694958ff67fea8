/*
 * What the post commands (post, show, edit, delete, like, unlike, react,
 * comment, comments, share, feed, search --posts) share: their words, post
 * ids, the one answer for posts that are missing or hidden, text from words
 * or stdin, and the hub hints after a change.
 */
#ifndef SSHBOOK_CLI_POSTCMD_H
#define SSHBOOK_CLI_POSTCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "storage/posts.h"

/* What postcmd_parse found in a command's words. */
struct postcmd_args {
	const char	*post;		/* the POST word (want_post), or NULL */
	const char	*visibility;	/* --visibility VALUE, or NULL */
	bool		 json;		/* --json */
	int		 text_first;	/* argv index of the first TEXT word; argc when none */
};

/* Which options a command takes. */
enum {
	POSTCMD_POST = 1 << 0,		/* a POST word comes first */
	POSTCMD_VISIBILITY = 1 << 1,	/* --visibility public|friends|private */
	POSTCMD_JSON = 1 << 2,		/* --json */
	POSTCMD_TEXT = 1 << 3,		/* TEXT words follow */
};

/*
 * Split `CMD [options] [POST] [options] [TEXT...]`. Options are read until
 * TEXT starts (or after "--", which ends them), so words of the text are
 * never options: `post hi --json` posts "hi --json". Unknown options, a
 * missing POST and words where no TEXT is taken are usage errors: printed,
 * and the exit status returned; 0 when the words are fine.
 */
int	postcmd_parse(struct cli_ctx *, const struct cmd_entry *, unsigned flags, int argc,
	    char **argv, struct postcmd_args *out);

/*
 * A post id as typed: digits only (else "CMD: 'x' is not a post id", exit
 * status 1). Ids too large to exist get the not-found answer (2). Returns 0
 * with *idp, or the exit status after printing.
 */
int	postcmd_id(struct cli_ctx *, const char *cmd, const char *arg, int64_t *idp);

/*
 * "CMD: no post #ID (or you cannot see it)", status 2: the same words for a
 * post that does not exist and one the user may not see, so nothing leaks.
 */
int	postcmd_not_found(struct cli_ctx *, const char *cmd, int64_t id);

/*
 * A storage failure about post id: ERR_NOTFOUND is postcmd_not_found; the
 * rest print why (sanitized) or the error's phrase with err_exit_status.
 */
int	postcmd_fail(struct cli_ctx *, const char *cmd, int r, int64_t id, const char *why);

/* The post as ctx's user may see it: 0, or the printed failure's status (2 when hidden or absent). */
int	postcmd_get(struct cli_ctx *, const char *cmd, int64_t id, struct post *out);

/*
 * The text of a post, edit or comment: argv[first..argc) joined by single
 * spaces, or else ctx->in read to EOF (without its final newlines). Refused
 * with a printed message: no stdin (the `:` line) and no words, nothing at
 * all, a NUL byte on stdin (cli_refuse_nul), or more than max characters
 * (read no further than needed to know).
 * Returns 0 with out filled, or the exit status (1).
 */
int	postcmd_text(struct cli_ctx *, const char *cmd, int argc, char **argv, int first,
	    size_t max, struct buf *out);

/* The visibility word of --visibility: 0, or prints "CMD: visibility is ..." and returns 1. */
int	postcmd_visibility(struct cli_ctx *, const char *cmd, const char *word, enum visibility *out);

/*
 * After a change to post: its audience as storage says now (TOPIC_POST,
 * through worker/fanout.h), and TOPIC_NOTIFICATION to each of the n users
 * in notified (0 and ctx's own id are skipped).
 */
void	postcmd_hint(struct cli_ctx *, int64_t post, const int64_t *notified, size_t n);

/*
 * search QUERY --posts: posts ctx's user may see matching query (words as
 * prefixes; one #tag finds the posts carrying it), best first, at most
 * limit, as text or JSON lines. Returns the exit status.
 */
int	postcmd_search(struct cli_ctx *, const char *query, size_t limit, bool json);

#endif
