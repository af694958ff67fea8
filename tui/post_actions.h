/*
 * What can be done to a post, shared by every screen that shows posts
 * (feeds, timelines, search, the post screen): each action asks, calls
 * storage, tells the hub and reports on the status line the same way.
 */
#ifndef SSHBOOK_POST_ACTIONS_H
#define SSHBOOK_POST_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>

struct app;
struct post;

/* l: like, or unlike when the viewer's reaction is a like. */
void	post_act_like(struct app *, const struct post *);
/* r: choose a reaction (or remove it) with one key. */
void	post_act_react(struct app *, const struct post *);
/* s: share with an optional note (asked on the prompt line). */
void	post_act_share(struct app *, const struct post *);
/* e: edit own post in the composer. */
void	post_act_edit(struct app *, const struct post *);
/* d: delete own post, after a y/n question. */
void	post_act_delete(struct app *, const struct post *);
/* V: change own post's visibility with one key. */
void	post_act_visibility(struct app *, const struct post *);
/* w: who reacted, in the pager. */
void	post_act_reactors(struct app *, const struct post *);
/* p: the author's profile. */
void	post_act_author(struct app *, const struct post *);
/* v: the post's pictures (or its shared original's) in the full-screen viewer. */
void	post_act_view(struct app *, const struct post *);
/* Enter / c: the post screen with its comments. */
void	post_act_open(struct app *, const struct post *);
/*
 * Run a key-table action (ACT_LIKE, ACT_REACT, ACT_OPEN ... of POST_BINDINGS)
 * on a post: the one dispatch every screen showing posts shares. Returns
 * false when the action is not a post action.
 */
bool	post_act(struct app *, const struct post *, int action);
/* Tell the hub a post changed: its audience refreshes (worker/fanout.h). */
void	post_hint(struct app *, int64_t post);

/* The enum key_when bits a selected post p sets (W_POST, W_OWN or W_OTHERS, W_PICTURES, W_SHARE). */
unsigned	post_when(struct app *, const struct post *);

#endif
