#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "err.h"
#include "xmalloc.h"
#include "cmdline.h"

/*
 * One pass over the bytes with an explicit position, no recursion and no
 * backtracking: the input is hostile (it comes straight from the network)
 * and the fuzz harness feeds it everything.
 */

struct splitter {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	struct buf	 word;
	char		**v;
	size_t		 n;
	size_t		 alloc;
	char		*why;
	size_t		 whysz;
};

static int __attribute__((format(printf, 2, 3)))
fail(struct splitter *sp, const char *fmt, ...)
{
	va_list ap;

	if (sp->why != NULL && sp->whysz > 0) {
		va_start(ap, fmt);
		vsnprintf(sp->why, sp->whysz, fmt, ap);
		va_end(ap);
	}
	return ERR_INVALID;
}

static int
push_word(struct splitter *sp)
{
	if (sp->n == CMDLINE_MAX_WORDS)
		return fail(sp, "command line has more than %d words",
		    CMDLINE_MAX_WORDS);
	/* Room for this word and the terminating NULL. */
	if (sp->n + 2 > sp->alloc) {
		sp->alloc = sp->alloc ? sp->alloc * 2 : 8;
		sp->v = xreallocarray(sp->v, sp->alloc, sizeof *sp->v);
	}
	sp->v[sp->n++] = buf_detach(&sp->word, NULL);
	sp->v[sp->n] = NULL;
	return 0;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* After an opening ': copy up to the closing one. */
static int
single_quoted(struct splitter *sp)
{
	size_t start = sp->pos;

	while (sp->pos < sp->len && sp->s[sp->pos] != '\'') {
		if (sp->s[sp->pos] == '\0')
			return fail(sp, "command line contains a NUL byte");
		sp->pos++;
	}
	if (sp->pos == sp->len)
		return fail(sp, "unbalanced single quote in the command line");
	buf_add(&sp->word, sp->s + start, sp->pos - start);
	sp->pos++;	/* the closing quote */
	return 0;
}

/* After an opening ": copy up to the closing one, honouring the few escapes. */
static int
double_quoted(struct splitter *sp)
{
	char c, next;

	for (;;) {
		if (sp->pos == sp->len)
			return fail(sp, "unbalanced double quote in the command line");
		c = sp->s[sp->pos++];
		if (c == '\0')
			return fail(sp, "command line contains a NUL byte");
		if (c == '"')
			return 0;
		if (c != '\\' || sp->pos == sp->len) {
			buf_addch(&sp->word, c);
			continue;
		}
		next = sp->s[sp->pos];
		if (next == '\n') {
			sp->pos++;
		} else if (next == '"' || next == '\\' || next == '$' ||
		    next == '`') {
			buf_addch(&sp->word, next);
			sp->pos++;
		} else
			buf_addch(&sp->word, c);
	}
}

int
cmdline_split(const char *line, size_t len, struct cmdline *out, char *why,
    size_t whysz)
{
	struct splitter	 sp = { .s = line, .len = len, .word = BUF_INIT,
			    .why = why, .whysz = whysz };
	bool		 inword = false;
	char		 c;
	int		 r;
	size_t		 i;

	out->argv = NULL;
	out->argc = 0;
	if (why != NULL && whysz > 0)
		why[0] = '\0';
	if (len > CMDLINE_MAX_BYTES)
		return fail(&sp, "command line longer than %d bytes",
		    CMDLINE_MAX_BYTES);

	while (sp.pos < sp.len) {
		c = sp.s[sp.pos++];
		if (c == '\0') {
			r = fail(&sp, "command line contains a NUL byte");
			goto out;
		}
		if (is_blank(c)) {
			if (inword && (r = push_word(&sp)) != 0)
				goto out;
			inword = false;
			continue;
		}
		if (c == '\\') {
			if (sp.pos == sp.len) {
				r = fail(&sp, "command line ends with a backslash");
				goto out;
			}
			c = sp.s[sp.pos++];
			if (c == '\n')
				continue;	/* continuation: neither a word nor a blank */
			if (c == '\0') {
				r = fail(&sp, "command line contains a NUL byte");
				goto out;
			}
			buf_addch(&sp.word, c);
		} else if (c == '\'') {
			if ((r = single_quoted(&sp)) != 0)
				goto out;
		} else if (c == '"') {
			if ((r = double_quoted(&sp)) != 0)
				goto out;
		} else
			buf_addch(&sp.word, c);
		inword = true;
	}
	if (inword && (r = push_word(&sp)) != 0)
		goto out;

	out->argv = sp.v;
	out->argc = (int)sp.n;
	sp.v = NULL;
	sp.n = 0;
	r = 0;
 out:
	for (i = 0; i < sp.n; i++)
		free(sp.v[i]);
	free(sp.v);
	buf_release(&sp.word);
	return r;
}

void
cmdline_free(struct cmdline *cl)
{
	int i;

	if (cl->argv != NULL) {
		for (i = 0; i < cl->argc; i++)
			free(cl->argv[i]);
		free(cl->argv);
	}
	cl->argv = NULL;
	cl->argc = 0;
}
