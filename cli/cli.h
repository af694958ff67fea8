/*
 * cli: the command front end of `sshbook`. One table of commands serves
 * `ssh host COMMAND ...` (exec) and the TUI's `:` line, and generates
 * `help`, so the three cannot drift apart.
 */
#ifndef SSHBOOK_CLI_H
#define SSHBOOK_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct store;

/* Who runs a command and where its text goes. Nothing here is owned by the cli. */
struct cli_ctx {
	struct store	*st;
	int64_t		 user_id;
	const char	*username;
	FILE		*in;		/* the command's stdin; NULL when there is none (`:` line) */
	FILE		*out;		/* results, for people or (--json) for scripts */
	FILE		*err;		/* one-line errors */
	int		 hub_fd;	/* event hub, -1 without the daemon */
	const char	*data_dir;	/* media files and the upload spool; NULL: uploads refused */
	/*
	 * For tests of streaming commands (`notifications --follow`), which
	 * otherwise run until SIGHUP/SIGTERM or a failed write: when not NULL,
	 * called before each wait for news (the first time after the current
	 * items are printed); a nonzero return ends the stream with status 0.
	 * NULL in the app, so a zeroed context streams until the client goes.
	 */
	int		(*follow_tick)(struct cli_ctx *, void *arg);
	void		*follow_arg;
};

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* "keys [list|add|remove FINGERPRINT]" */
	const char	*help;		/* one line, lower case */
	int		 min_args;	/* words after the name, flags excluded */
	int		 max_args;	/* -1: no limit */
	/*
	 * argv[0] is the command name; flags are still in argv, and the array
	 * (not the strings) is the command's to rearrange. Returns an exit status.
	 */
	int		(*exec)(struct cli_ctx *, int argc, char **argv);
};

/* The command table, NULL-terminated, in the order `help` lists it. */
extern const struct cmd_entry *const cli_commands[];

/* The entry named name, or NULL. */
const struct cmd_entry	*cli_find(const char *name);

/*
 * Run argv[0] with its arguments: unknown commands and wrong argument counts
 * print one line to ctx->err and return 1; otherwise the command's status
 * (0 ok, 1 usage or refused, 2 not found, 3 not allowed).
 */
int	cli_run(struct cli_ctx *, int argc, char **argv);

/* Print "NAME: message" to ctx->err (one line) and return status. */
int	cli_fail(struct cli_ctx *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Remove every occurrence of flag (e.g. "--json") from argv, compacting it;
 * returns true if it was present. *argcp is updated.
 */
bool	cli_take_flag(int *argcp, char **argv, const char *flag);
/*
 * Remove an option with a value, "--name VALUE" or "--name=VALUE", from argv
 * (the last one wins). *valuep is the value (a string of argv) or stays NULL
 * when the option is absent. Returns 0, or -1 when it has no value.
 */
int	cli_take_option(int *argcp, char **argv, const char *name, const char **valuep);
/* The first word after the name that looks like a flag ("--x"), or NULL: left over means unknown. */
const char	*cli_stray_flag(int argc, char **argv);
/* Count argv words after the name, for usage checks (flags start with "--"). */
int	cli_count_args(int argc, char **argv);

/*
 * Refuse text read from stdin that holds a NUL byte: it goes on as a C
 * string, which the NUL would cut short without a word (`printf 'a\0b'`
 * stored as "a"). Returns 0 when the len bytes of text have none, or 1 (the
 * exit status) after printing "CMD: control characters are not allowed",
 * the answer storage gives for every other control character. Every
 * command that reads text on stdin calls it.
 */
int	cli_refuse_nul(struct cli_ctx *, const char *cmd, const char *text, size_t len);
/* Tell the event hub that something concerning user changed (a hint, never data). */
void	cli_hint(struct cli_ctx *, unsigned topic, int64_t user, int64_t object);

#endif
