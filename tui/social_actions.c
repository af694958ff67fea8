#include "tui/social_actions.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/hub.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"

/* The subject of a pending yes/no question (only one can be open at a time). */
static char	pending_name[USERNAME_MAX + 1];

static void
tell(struct app *app, int64_t me, int64_t other, bool notified)
{
	app_hint(app, TOPIC_FRIEND, other, me);
	app_hint(app, TOPIC_FRIEND, me, other);
	if (notified)
		app_hint(app, TOPIC_NOTIFICATION, other, me);
	app_refresh(app);
}

static void
run(struct app *app, const char *username, enum social_op op)
{
	struct store	*st = app_store(app);
	int64_t		 me = app_user(app)->id, other = 0;
	enum relation	 rel = REL_NONE;
	bool		 notified = false;
	char		 why[200] = "";
	const char	*before = "", *after = "";
	int		 r;

	if ((r = store_user_lookup(st, me, username, &other)) != 0) {
		app_status(app, true, "no user named '%s'", username);
		return;
	}
	if ((r = store_relation(st, me, other, &rel)) != 0) {
		app_status(app, true, "cannot look up '%s': %s", username, err_str(r));
		return;
	}
	if (op == SOP_FRIEND)
		op = rel == REL_REQUEST_RECEIVED ? SOP_ACCEPT :
		    rel == REL_REQUEST_SENT ? SOP_CANCEL :
		    rel == REL_FRIEND ? SOP_REMOVE : (enum social_op)-1;
	switch ((int)op) {
	case -1:
		r = store_friend_request(st, me, other, &notified, why, sizeof why);
		if (rel == REL_REQUEST_RECEIVED) {
			before = "you and ";
			after = " are now friends";
		} else
			before = "friend request sent to ";
		break;
	case SOP_ACCEPT:
		r = store_friend_accept(st, me, other, &notified, why, sizeof why);
		before = "you and ";
		after = " are now friends";
		break;
	case SOP_DECLINE:
		r = store_friend_decline(st, me, other, &notified, why, sizeof why);
		before = "declined the request from ";
		break;
	case SOP_CANCEL:
		r = store_friend_cancel(st, me, other, &notified, why, sizeof why);
		before = "cancelled your request to ";
		break;
	case SOP_REMOVE:
		r = store_friend_remove(st, me, other, &notified, why, sizeof why);
		before = "you and ";
		after = " are no longer friends";
		break;
	case SOP_BLOCK:
		if (rel == REL_BLOCKED) {
			r = store_unblock(st, me, other, why, sizeof why);
			before = "unblocked ";
		} else {
			r = store_block(st, me, other, why, sizeof why);
			before = "blocked ";
			after = ": they cannot see, find or contact you";
		}
		break;
	}
	if (r != 0) {
		app_status(app, true, "%s", why[0] ? why : err_str(r));
		return;
	}
	app_status(app, false, "%s'%s'%s", before, username, after);
	tell(app, me, other, notified);
}

static void
confirmed(struct app *app, void *ctx)
{
	run(app, pending_name, (enum social_op)(long)ctx);
}

void
social_act(struct app *app, const char *username, enum social_op op)
{
	struct store	*st = app_store(app);
	int64_t		 me = app_user(app)->id, other = 0;
	enum relation	 rel = REL_NONE;
	char		 q[160];

	if (store_user_lookup(st, me, username, &other) != 0) {
		app_status(app, true, "no user named '%s'", username);
		return;
	}
	if (other == me) {
		app_status(app, true, "that is you");
		return;
	}
	store_relation(st, me, other, &rel);
	/* Removing a friend and blocking are the two steps people regret: ask first. */
	if ((op == SOP_REMOVE || (op == SOP_FRIEND && rel == REL_FRIEND) ||
	    (op == SOP_BLOCK && rel != REL_BLOCKED))) {
		snprintf(pending_name, sizeof pending_name, "%s", username);
		snprintf(q, sizeof q, op == SOP_BLOCK ?
		    "Block '%s'? They will not be able to see, find or contact you. (y/n)" :
		    "Remove '%s' from your friends? (y/n)", username);
		app_confirm(app, q, confirmed, (void *)(long)(op == SOP_BLOCK ? SOP_BLOCK : SOP_REMOVE));
		return;
	}
	run(app, username, op);
}
