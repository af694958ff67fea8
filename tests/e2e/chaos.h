/*
 * Durability under SIGKILL (issue 10): one driver for the end-to-end test
 * (tests/e2e/test_durability.c, a handful of kills) and the benchmark
 * (`sshbook-bench chaos N`, hundreds).
 *
 * chaos_run starts a server, signs up its writers and lets them write at
 * once, each in its own process: exec writers over real SSH (`post`,
 * `comment`, `dm`, `like` / `unlike`, `profile set bio`, on one connection
 * with a channel per command, reconnecting when it is cut), a TUI writer
 * posting through the composer and a TUI writer chatting in an open chat.
 * Every text carries a unique marker and is derived from it, and each
 * writer tells the driver what it tried and what it saw acknowledged (exit
 * status 0; "posted" on the status line; the message drawn in the chat's
 * history). Meanwhile the killer SIGKILLs a victim among sshbookd's
 * processes: an exec app, a TUI app, a session child, the worker, or
 * sshbookd itself (restarted at once on the same data dir and port), then
 * waits until every writer has had a write acknowledged that it started
 * after the kill (the pace; no fixed sleeps), and goes on for K kills.
 *
 * At the end the writers stop and the database is read (read-only, the
 * sqlite3 API): every acknowledged marker must be there exactly once and
 * whole (the text, author and target it was written with), nothing tried
 * twice or half-written, no row with a marker nobody tried, the counters
 * (`n_comments`, `n_like`) equal to the rows they count, each bio one
 * that was set and not older than the last acknowledged one, `PRAGMA
 * integrity_check` "ok" and `PRAGMA foreign_key_check` empty. Then the
 * server must still sign up and log in a new user, bring its worker back,
 * and stop cleanly on SIGTERM (server_stop's checks).
 *
 * The random seed is fixed (printed; $SSHBOOK_CHAOS_SEED overrides it), so
 * the schedule of victim kinds is the same every run; which process of a
 * kind is hit depends on timing.
 */
#ifndef SSHBOOK_E2E_CHAOS_H
#define SSHBOOK_E2E_CHAOS_H

#include <stdbool.h>
#include <stdio.h>

enum chaos_kind {
	CHAOS_EXEC_APP,		/* `sshbook --user NAME -- CMD ...` of an exec request */
	CHAOS_TUI_APP,		/* `sshbook --user NAME` on a pty */
	CHAOS_SESSION,		/* a session child of sshbookd (libssh) */
	CHAOS_WORKER,		/* `sshbook --worker` */
	CHAOS_LISTENER,		/* sshbookd itself */
	CHAOS_NKINDS
};

struct chaos_opts {
	int		 kills;		/* K: how many SIGKILLs */
	int		 exec_writers;	/* exec writer processes (at least 2) */
	unsigned	 seed;		/* 0: $SSHBOOK_CHAOS_SEED or the default */
	FILE		*progress;	/* a line per kill, or NULL */
};

struct chaos_result {
	unsigned	 seed;
	int		 kills;				/* SIGKILLs sent */
	int		 by_kind[CHAOS_NKINDS];
	int		 restarts;			/* listener restarts by the driver */
	long		 tried;				/* writes started */
	long		 acked;				/* writes a client saw acknowledged */
	long		 acked_rows;			/* of those, writes that add a row */
	long		 found;				/* those rows found in the database */
	long		 overwrites;			/* acknowledged bios, likes, unlikes */
	long		 uploads;			/* acknowledged uploads */
	long		 uploads_ready;			/* of those, processed by the worker in the end */
	long		 media_unacked;			/* media rows of uploads not acknowledged */
	long		 media_failed;			/* media rows that ended "failed" (must be 0) */
	long		 jobs_left;			/* jobs not done at the end (must be 0) */
	int		 spool_left;			/* files left in the spool (must be 0) */
	int		 sessions_left;			/* session processes once the writers left */
	long		 unacked_found;			/* tried, not acknowledged, there anyway */
	long		 lost;				/* acknowledged and not there (must be 0) */
	long		 duplicates;			/* a marker found more than once */
	long		 torn;				/* a row whose text, author or target is wrong */
	long		 phantoms;			/* a marker that was never tried */
	long		 counter_errors;		/* posts whose counters disagree with rows */
	long		 final_errors;			/* a bio or like older than the last acknowledged one */
	char		 integrity[128];		/* PRAGMA integrity_check's first row */
	long		 fk_violations;			/* rows of PRAGMA foreign_key_check */
	bool		 login_after;			/* sign-up and login worked at the end */
	bool		 worker_after;			/* the worker was running at the end */
	bool		 clean_stop;			/* server_stop returned 0 */
	char		 failure[256];			/* the first thing that went wrong, or "" */
	double		 seconds;			/* the chaos phase, wall clock */
};

/* Names for the kinds ("exec app", ...). */
const char	*chaos_kind_name(enum chaos_kind);
/*
 * Run it all as described above. 0 when every check passed (res->failure
 * empty), -1 otherwise; res is filled in either way as far as the run got.
 */
int		 chaos_run(const struct chaos_opts *, struct chaos_result *res);
/* The figures as `name: value` lines (bench/run.sh's format). */
void		 chaos_print(const struct chaos_result *, FILE *);

#endif
