/*
 * Running one exec command line in a unit test, the way sshbook runs it over
 * SSH: split like the daemon splits it, stdin from a buffer (or none),
 * stdout and stderr captured. Linked into every unit test binary.
 */
#ifndef SSHBOOK_TEST_CLIRUN_H
#define SSHBOOK_TEST_CLIRUN_H

#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

struct store;
struct cli_ctx;

struct clirun_as {
	struct store	*st;
	int64_t		 user_id;
	const char	*username;
	const char	*data_dir;	/* NULL: uploads refused, as in the `:` line without one */
	int		 hub_fd;	/* -1: none */
	/* Streams (--follow): cli_ctx.follow_tick and follow_arg; NULL for others. */
	int		(*follow_tick)(struct cli_ctx *, void *);
	void		*follow_arg;
	FILE		*out;		/* stdout goes here instead of being captured (out is "") */
};

struct clirun {
	int	 status;
	char	*out;	/* all of stdout, NUL-terminated */
	char	*err;	/* all of stderr */
};

/*
 * Run line as who. input NULL: no stdin at all (the TUI's `:` line); else
 * stdin holds inlen bytes (0: an empty stdin). Fails the test when the line
 * does not split. Free the result with clirun_free.
 */
struct clirun	clirun(const struct clirun_as *who, const char *line, const void *input,
		    size_t inlen);
void		clirun_free(struct clirun *);

#endif
