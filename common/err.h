/*
 * One error vocabulary for the whole project. Functions that act return 0 or
 * one of these (negative); front ends turn them into a status line or an exit code.
 */
#ifndef SSHBOOK_ERR_H
#define SSHBOOK_ERR_H

enum {
	ERR_INVALID = -1,	/* bad input: syntax, length, encoding */
	ERR_NOTFOUND = -2,	/* no such user, key, post ... */
	ERR_EXISTS = -3,	/* already there: name taken, key already added */
	ERR_DENIED = -4,	/* not allowed for this user */
	ERR_BUSY = -5,		/* try later: locked, rate limited */
	ERR_DB = -6,		/* storage failed (logged where it happened) */
	ERR_SYSTEM = -7,	/* an OS call failed (errno logged) */
	ERR_INTERNAL = -8,	/* a bug: an invariant broke */
	ERR_RATE = -9,		/* the user's write rate limit: wait a little */
};

/* A short lower-case phrase for an error code ("not found"); never NULL. */
const char	*err_str(int);

/* The exec exit status for an error code: 0 ok, 1 usage/refused, 2 not found, 3 not allowed. */
int		 err_exit_status(int);

#endif
