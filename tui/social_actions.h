/*
 * Friendship and block actions, shared by every screen that shows people
 * (a profile, the Friends tab, search results, notifications), so each step
 * asks, reports and notifies the same way everywhere.
 */
#ifndef SSHBOOK_SOCIAL_ACTIONS_H
#define SSHBOOK_SOCIAL_ACTIONS_H

struct app;

enum social_op {
	SOP_FRIEND,	/* whichever fits: request, accept, or remove (asks first) */
	SOP_ACCEPT,
	SOP_DECLINE,
	SOP_CANCEL,
	SOP_REMOVE,	/* asks first */
	SOP_BLOCK,	/* block (asks first) or unblock */
};

/*
 * Do op towards username as the app's user: storage does the work in one
 * transaction, then the hub hears of it (both sides refresh; the other side's
 * badge moves when a notification was written) and the status line says what
 * happened or why not. The active screen is refreshed.
 */
void	social_act(struct app *, const char *username, enum social_op op);

#endif
