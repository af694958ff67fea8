/*
 * What the people commands (profile, friends, requests, friend, block,
 * search, notifications) share: resolving a username with the messages
 * people read, quoting user input safely, and the JSON user object.
 */
#ifndef SSHBOOK_CLI_PEOPLE_H
#define SSHBOOK_CLI_PEOPLE_H

#include <stdint.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "storage/social.h"

/*
 * A copy of user input fit for a one-line message: sanitized (no escapes,
 * no newlines) and cut to 40 characters with "…". The caller frees it.
 */
char	*cli_quote(const char *s);

/* A username as typed: an optional leading '@' is dropped ("@bob" is bob). */
const char	*cli_username_arg(const char *arg);

/*
 * Resolve a username for ctx's user (store_user_lookup: blocks respected).
 * Returns 0 with *idp; otherwise prints "CMD: no user named 'x'" (or the
 * storage error) and returns the exit status to give (2 for unknown names).
 */
int	cli_user_resolve(struct cli_ctx *, const char *cmd, const char *username, int64_t *idp);

/* The username of id into a new string (caller frees), or NULL. */
char	*cli_username_of(struct cli_ctx *, int64_t id);

/* "self", "none", "friend", "request_sent", "request_received", "blocked". */
const char	*cli_relation_json(enum relation);
/* For people: "this is you", "not friends", "friends", ... */
const char	*cli_relation_text(enum relation);

/*
 * The JSON user object (PRODUCT.md): username display_name bio location job
 * tags privacy friends, plus mutual, relation, full and created_at. When the
 * viewer sees only the name (!p->full) the hidden fields are null. The
 * caller owns the result (json_print_line releases it).
 */
struct json_object	*cli_user_json(const struct profile *p);
/*
 * The user object of a listed user, fetched as ctx's user sees it; NULL when
 * the user is gone or hidden since the list was read.
 */
struct json_object	*cli_user_json_by_name(struct cli_ctx *, const char *username);

/* "username  display name  (N mutual)": one line for a listed user, sanitized. */
void	cli_print_user_line(struct cli_ctx *, const struct user_summary *, const char *extra);

#endif
