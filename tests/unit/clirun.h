/*
 * Running one exec command line in a unit test, the way sshbook runs it over
 * SSH: split like the daemon splits it, stdin from a buffer (or none),
 * stdout and stderr captured. Linked into every unit test binary.
 */
#ifndef SSHBOOK_TEST_CLIRUN_H
#define SSHBOOK_TEST_CLIRUN_H

#include <stdbool.h>
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

/*
 * What every expectation on a command checks, failing the test (naming line)
 * otherwise: the exit status; stdout containing out_has and stderr err_has
 * (NULL: anything); a failure prints exactly one line on stderr and nothing
 * on stdout, a success nothing on stderr.
 */
void		clirun_check(const char *line, const struct clirun *r, int status,
		    const char *out_has, const char *err_has);

/* ---- JSON output (--json prints one object per line) ---- */
struct json_object;
/* Line nth (from 0) of out as a JSON object; fails the test otherwise. The caller puts it. */
struct json_object	*json_line(const char *out, size_t nth);
/* The member key of o (NULL for a JSON null); fails the test when there is no such key. */
struct json_object	*jget(struct json_object *o, const char *key);
/* A string member (NULL for null); fails when it is something else. */
const char		*jstr(struct json_object *o, const char *key);
/* True when the member is null. */
bool			 jnull(struct json_object *o, const char *key);
/* A number member; fails when it is something else (null included). */
int64_t			 jint(struct json_object *o, const char *key);
/* Newlines in s. */
size_t			 count_lines(const char *s);

#endif
