/*
 * Split the command line of an SSH exec request into words, like a minimal
 * POSIX shell word splitter but with no expansion and no shell at all: no
 * variables, globs, tildes, redirections or command separators.
 *
 * - Blanks (space, tab, newline) outside quotes separate words.
 * - Outside quotes, a backslash makes the next character literal;
 *   backslash-newline is removed (a line continuation).
 * - '...' keeps everything up to the next ' literally.
 * - "..." keeps everything literally, except that a backslash before
 *   " \ $ ` or newline escapes it (backslash-newline is removed); before any
 *   other character the backslash stays.
 * - Quotes join with their neighbours: a'b'"c" is one word "abc", and ''
 *   is one empty word.
 */
#ifndef SSHBOOK_CMDLINE_H
#define SSHBOOK_CMDLINE_H

#include <stddef.h>

#define CMDLINE_MAX_BYTES	65536	/* longer command lines are refused */
#define CMDLINE_MAX_WORDS	256	/* so are ones with more words */

struct cmdline {
	char	**argv;		/* argc words, then NULL; NULL when argc is 0 */
	int	  argc;
};

/*
 * Split len bytes of line. Returns 0 with *out filled (argc is 0 for an
 * empty or blank line; free with cmdline_free), or ERR_INVALID with a
 * lower-case one-line reason in why (whysz bytes, may be NULL): a NUL byte,
 * an unbalanced quote, a trailing backslash, more than CMDLINE_MAX_BYTES
 * bytes or more than CMDLINE_MAX_WORDS words. *out is cleared on entry and
 * left empty on failure.
 */
int	cmdline_split(const char *line, size_t len, struct cmdline *out,
	    char *why, size_t whysz);
/* Free the words and reset *cl to empty; safe on an empty or cleared struct. */
void	cmdline_free(struct cmdline *cl);

#endif
