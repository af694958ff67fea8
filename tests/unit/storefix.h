/*
 * What the storage unit tests share: a store on ":memory:" as the cmocka
 * state, a look behind the API (one integer from a query), and people set up
 * the way the app would (an account with a fresh key, friends, blocks).
 * Linked into every unit test binary.
 */
#ifndef SSHBOOK_TEST_STOREFIX_H
#define SSHBOOK_TEST_STOREFIX_H

#include <stdint.h>

struct store;

/* cmocka setup/teardown: *state is a struct store on ":memory:" (migrated). */
int	storefix_setup(void **state);
int	storefix_teardown(void **state);

/* Remove a database file at path (and its -wal and -shm), then the directory dir it was in. */
void	storefix_remove_db(const char *dir, const char *path);

/* The first column of the first row of sql, run behind the API's back. */
int64_t	storefix_sql_int(struct store *, const char *sql);
int64_t	storefix_sql_intf(struct store *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * An account named name (display name: display, or name when NULL) with a
 * fresh random ed25519 key and no password (hashing one takes a tenth of a
 * second). Returns its id; fails the test otherwise.
 */
int64_t	storefix_user(struct store *, const char *name, const char *display);
/* a asks, b accepts. */
void	storefix_befriend(struct store *, int64_t a, int64_t b);
/* a blocks b. */
void	storefix_block(struct store *, int64_t a, int64_t b);

#endif
