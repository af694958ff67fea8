/*
 * Posts and comments as the exec commands print them (show, feed, search
 * --posts, comments): the text form for people and the JSON objects of
 * PRODUCT.md for scripts. Everything that came from a user is sanitized
 * here (markdown through md_render, names through sanitize_dup).
 */
#ifndef SSHBOOK_CLI_POSTFMT_H
#define SSHBOOK_CLI_POSTFMT_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "storage/posts.h"

#define POSTFMT_COLS	78	/* post bodies are rendered for an 80-column terminal */

/*
 * The text form of a post, ending with its counts line (no blank line after):
 *
 *	#12  Alice @alice · 5m · public · edited
 *	the markdown, rendered as plain text at 78 columns
 *	like 2, love 1 · 3 comments · 0 shares · you reacted like
 *
 * A share's header ends with "· shared #ID"; its note comes first, then the
 * original framed with "| " (header and body), or "| original post deleted"
 * or "| original post not available". For You posts get "why: REASON"
 * before the counts. now is the time the relative times count from.
 */
void	postfmt_text(FILE *out, const struct post *p, int64_t now);

/*
 * The JSON post object: id author text visibility created_at edited_at likes
 * reactions comments shares shared_from media (PRODUCT.md), plus
 * author_display_name, my_reaction (a name or null), original (the shared
 * post as a post object, or null), original_state (null for an ordinary
 * post; "shown", "deleted" or "hidden" for a share) and, for For You,
 * reason. edited_at and shared_from are null when unset; media is [].
 * The caller owns the result (json_print_line releases it).
 */
struct json_object	*postfmt_json(const struct post *p);

/* "comment #5  Bob @bob · 3m · edited", then the text, each line indented by two spaces. */
void	postfmt_comment_text(FILE *out, const struct comment *c, int64_t now);
/* The JSON comment object: id post author text created_at edited_at (plus author_display_name). */
struct json_object	*postfmt_comment_json(const struct comment *c);

/* "shown", "deleted", "hidden". */
const char	*postfmt_original_state_name(enum original_state);

#endif
