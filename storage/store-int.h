/*
 * storage internals: the definition of struct store and the helpers the
 * storage modules share. Nothing outside storage/ includes this file (the
 * unit tests may, to look at the database behind the API's back).
 */
#ifndef SSHBOOK_STORE_INT_H
#define SSHBOOK_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "storage/store.h"

/* One prepared statement, cached for the life of the connection. */
struct store_stmt {
	const char	*sql;
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3			*db;
	struct store_stmt	*stmts;
	size_t			 nstmts;
	size_t			 stmts_alloc;
	/* User search ranks its matches in blocks of this many (0: SEARCH_BLOCK); tests lower it. */
	size_t			 search_block;
	/* Home walks posts by time from this many friends up (0: HOME_SCAN_FRIENDS); tests lower it. */
	size_t			 home_scan_friends;
	/* The write rate limit (store_set_write_limit): burst 0 is none. */
	int			 write_burst;
	int			 write_per_minute;
	/* Tests: the budget's clock in ms (0: the real one). */
	int64_t			 write_clock_ms;
};

/* The schema version store_open migrates to (PRAGMA user_version). */
int	store_schema_version(void);
/*
 * For the migration tests only: when > 0, store_open migrates no further than
 * this version (and the search functions need the later schema, so only raw
 * SQL may be used on such a store). 0, the default, migrates to the latest.
 */
extern int	store_migrate_limit;

/*
 * The prepared statement for sql, prepared on first use and kept until
 * store_close. sql must be constant text (a literal or a static array) with
 * only bound parameters, never text built from input. The statement comes
 * back reset with no bindings; release it with stmt_reset when done.
 * Returns 0, ERR_DB (prepare failed, logged) or ERR_INTERNAL (the statement
 * is still being stepped by a caller further up).
 */
int	stmt_get(struct store *, const char *sql, sqlite3_stmt **stmtp);
/* Reset and clear the bindings (so no bound pointer outlives its owner); NULL is fine. */
void	stmt_reset(sqlite3_stmt *);
/*
 * Step a statement that returns no rows. Returns 0; ERR_EXISTS on a UNIQUE or
 * PRIMARY KEY conflict and ERR_NOTFOUND on a FOREIGN KEY one (neither logged:
 * the caller explains them to the user); ERR_DB for anything else (logged
 * with what).
 */
int	stmt_done(struct store *, sqlite3_stmt *, const char *what);
/*
 * The whole round for a statement whose parameters are all integers: get
 * it, bind the n int64 arguments to ?1..?n, step it to the end (stmt_done's
 * answers), reset it. *changesp (may be NULL) gets the rows it changed.
 */
int	stmt_exec_ints(struct store *, const char *what, const char *sql, int64_t *changesp,
	    int n, ...);
/* Step a query: 1 when a row is ready, 0 at the end, ERR_DB (logged with what). */
int	stmt_row(struct store *, sqlite3_stmt *, const char *what);
/* Log the connection's last error with what, and return ERR_DB. */
int	store_db_error(struct store *, const char *what);

/* A copy of a text column; "" for NULL. The caller frees. */
char	*col_text(sqlite3_stmt *, int col);

/*
 * BEGIN IMMEDIATE: take the write lock now (waiting up to the busy timeout),
 * so a read-then-write cannot fail halfway on a lock. 0 or ERR_DB.
 */
int	store_begin(struct store *);
int	store_commit(struct store *);
/* Roll back the open transaction, if SQLite has not already done so. */
void	store_rollback(struct store *);

/* sodium_init, once per process. 0 or ERR_SYSTEM (logged). */
int	store_sodium_init(void);
/* Unix seconds now. */
int64_t	store_now(void);

/*
 * (budget.c) Take one write from user's budget, inside the caller's write
 * transaction (so a write that fails after it gives the token back). 0, or
 * ERR_RATE when the bucket is empty (why, when not NULL, says so), or ERR_DB.
 */
int	write_budget_take(struct store *, int64_t user, char *why, size_t whysz);

/* Write a reason into why (whysz bytes) when why is not NULL. */
void	store_why(char *why, size_t whysz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Empty why on entry, as every output is cleared. */
void	store_why_clear(char *why, size_t whysz);

/* ---- shared between the modules --------------------------------------- */

/* 0 when hash looks like a crypto_pwhash_str Argon2id string, else ERR_INVALID. */
int	password_hash_check(const char *hash);
/* Insert a parsed key for user (inside the caller's transaction, if any). Like store_key_add. */
int	store_key_insert(struct store *, int64_t user, const struct user_key *,
	    char *why, size_t whysz);
/*
 * Mark the invite code used by user. Call inside a transaction. ERR_INVALID
 * (no code), ERR_NOTFOUND (unknown code), ERR_EXISTS (already used), ERR_DB;
 * why says which.
 */
int	store_invite_use(struct store *, const char *code, int64_t user,
	    char *why, size_t whysz);

#endif
